//! `ossgate sbom` end to end: writing, validating, comparing; on small fixtures and, when the
//! shared data is present, on every real input.

mod common;

use common::{Env, repo_root, text};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn data() -> Option<PathBuf> {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    if dir.join("inputs").is_dir() && dir.join("schemas").is_dir() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "shared data missing at {} (set OSSGATE_DATA)",
        dir.display()
    );
    eprintln!("skipped: shared data not found at {}", dir.display());
    None
}

/// (--format, --spec-version, file suffix) of every output ossgate writes.
const OUTPUTS: &[(&str, &str, &str)] = &[
    ("cyclonedx-json", "1.4", "v1.4.cdx.json"),
    ("cyclonedx-json", "1.5", "v1.5.cdx.json"),
    ("cyclonedx-json", "1.6", "cdx.json"),
    ("cyclonedx-json", "1.7", "v1.7.cdx.json"),
    ("cyclonedx-xml", "1.6", "cdx.xml"),
    ("cyclonedx-xml", "1.7", "v1.7.cdx.xml"),
    ("spdx-json", "1.6", "spdx.json"),
    ("spdx-tag-value", "1.6", "spdx"),
];

fn write(env: &Env, input: &Path, format: &str, version: &str, out: &Path) {
    let o = env.run(&[
        "sbom",
        input.to_str().unwrap(),
        "--format",
        format,
        "--spec-version",
        version,
        "--reproducible",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{format} {version}: {:?}", text(&o));
}

#[test]
fn embedded_schemas_are_the_official_ones() {
    let Some(data) = data() else { return };
    let ours = repo_root().join("crates/ossgate-sbom/schemas");
    let official = data.join("schemas");
    for (mine, theirs) in [
        ("bom-1.3.schema.json", "cyclonedx/bom-1.3.schema.json"),
        ("bom-1.4.schema.json", "cyclonedx/bom-1.4.schema.json"),
        ("bom-1.5.schema.json", "cyclonedx/bom-1.5.schema.json"),
        ("bom-1.6.schema.json", "cyclonedx/bom-1.6.schema.json"),
        ("bom-1.7.schema.json", "cyclonedx/bom-1.7.schema.json"),
        ("spdx.schema.json", "cyclonedx/spdx.schema.json"),
        ("jsf-0.82.schema.json", "cyclonedx/jsf-0.82.schema.json"),
        (
            "cryptography-defs.schema.json",
            "cyclonedx/cryptography-defs.schema.json",
        ),
        ("spdx-2.3.schema.json", "spdx/2.3/spdx-schema.json"),
    ] {
        assert_eq!(
            std::fs::read(ours.join(mine)).unwrap(),
            std::fs::read(official.join(theirs)).unwrap(),
            "{mine} differs from the official {theirs}"
        );
    }
}

/// Every SBOM written for every real input validates against the official schema (embedded,
/// and checked above to be byte-identical to `$OSSGATE_DATA/schemas`), is reproducible, and
/// lists exactly the components the inventory of the input has.
#[test]
fn every_input_gives_schema_valid_reproducible_sboms() {
    let Some(data) = data() else { return };
    let env = Env::new();
    let out = tempfile::tempdir().unwrap();
    let mut written = 0;
    for entry in std::fs::read_dir(data.join("inputs")).unwrap() {
        let input = entry.unwrap().path();
        if !input.is_dir() {
            continue;
        }
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let (_, inv) = env.json(&["inventory", input.to_str().unwrap(), "-f", "json"]);
        let purls: Vec<&str> = inv["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["purl"].as_str().unwrap())
            .collect();
        // Every format for every input; every version, and reproducibility, on three of them.
        let thorough = ["cargo", "rubygems.org", "astro"].contains(&name.as_str());
        for (format, version, suffix) in OUTPUTS {
            if !thorough && !["cdx.json", "cdx.xml", "spdx.json", "spdx"].contains(suffix) {
                continue;
            }
            let file = out.path().join(format!("{name}.{suffix}"));
            write(&env, &input, format, version, &file);
            let (code, report) = env.json(&[
                "sbom",
                "validate",
                file.to_str().unwrap(),
                "--require",
                "schema",
                "-f",
                "json",
            ]);
            assert_eq!(
                code, 0,
                "{name} {format} {version}: {}",
                report["schema_errors"]
            );
            assert!(report["schema"].is_string(), "{name} {format}: no schema");
            assert_eq!(report["schema_errors"].as_array().unwrap().len(), 0);

            // Every component of the inventory is in the document, once.
            let doc = std::fs::read_to_string(&file).unwrap();
            if *format == "cyclonedx-json" {
                let v: Value = serde_json::from_str(&doc).unwrap();
                assert_eq!(v["specVersion"], *version);
                let mut listed: Vec<&str> = v["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["purl"].as_str().unwrap())
                    .collect();
                listed.sort();
                let mut want = purls.clone();
                want.sort();
                assert_eq!(listed, want, "{name} {version}");
            } else if *format == "spdx-json" {
                let v: Value = serde_json::from_str(&doc).unwrap();
                // The packages are the components plus the document's subject.
                assert_eq!(
                    v["packages"].as_array().unwrap().len(),
                    purls.len() + 1,
                    "{name}"
                );
            }

            written += 1;
            if !thorough {
                continue;
            }
            // Read back as an inventory input: the same components, with the same edges.
            let (code, back) = env.json(&["inventory", file.to_str().unwrap(), "-f", "json"]);
            assert_eq!(code, 0, "{name} {format} {version}: {}", back["errors"]);
            let edges = |v: &Value| -> BTreeSet<(String, String)> {
                v["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|c| {
                        let from = c["purl"].as_str().unwrap().to_string();
                        c["dependencies"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(move |d| (from.clone(), d.as_str().unwrap().to_string()))
                    })
                    .collect()
            };
            let purl_set = |v: &Value| -> BTreeSet<String> {
                v["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["purl"].as_str().unwrap().to_string())
                    .collect()
            };
            assert_eq!(purl_set(&back), purl_set(&inv), "{name} {format} {version}");
            assert_eq!(edges(&back), edges(&inv), "{name} {format} {version}");
            // --reproducible: the same input gives the same bytes.
            let again = out.path().join(format!("again.{suffix}"));
            write(&env, &input, format, version, &again);
            assert_eq!(
                doc,
                std::fs::read_to_string(&again).unwrap(),
                "{name} {format} {version} is not reproducible"
            );
        }
    }
    assert!(written >= 19 * 4 + 3 * (OUTPUTS.len() - 4), "{written}");
}

fn demo() -> PathBuf {
    repo_root().join("examples/demo-project")
}

#[test]
fn writes_atomically_and_reports_bad_paths() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bom.json");
    let o = env.run(&[
        "sbom",
        demo().to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{:?}", text(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    assert!(v["serialNumber"].as_str().unwrap().starts_with("urn:uuid:"));
    // Nothing but the output in the directory: no temporary file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    let missing = dir.path().join("no/such/dir/bom.json");
    let o = env.run(&[
        "sbom",
        demo().to_str().unwrap(),
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no/such/dir"), "{:?}", text(&o));

    let o = env.run(&["sbom", "/nonexistent/project"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validate_lists_failing_elements_and_exits_1() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    // Schema-valid, but without supplier, author or versions: NTIA fails.
    let file = dir.path().join("thin.cdx.json");
    std::fs::write(
        &file,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "name": "left-pad"}]}"#,
    )
    .unwrap();
    let o = env.run(&["sbom", "validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let (stdout, _) = text(&o);
    assert!(
        stdout.contains("valid against the CycloneDX 1.6"),
        "{stdout}"
    );
    assert!(stdout.contains("$.components[0]"), "{stdout}");
    assert!(stdout.contains("NTIA: incomplete"), "{stdout}");
    // Only the schema required: it passes.
    let o = env.run(&[
        "sbom",
        "validate",
        file.to_str().unwrap(),
        "--require",
        "schema",
    ]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    // A schema violation is listed with its JSON path.
    std::fs::write(
        &file,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": "one"}"#,
    )
    .unwrap();
    let (code, v) = env.json(&[
        "sbom",
        "validate",
        file.to_str().unwrap(),
        "-f",
        "json",
        "--require",
        "schema",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["failed"], serde_json::json!(["schema"]));
    assert!(!v["schema_errors"].as_array().unwrap().is_empty());

    // Not JSON at all: an error naming the file and line, exit 2.
    std::fs::write(&file, "{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}").unwrap();
    let o = env.run(&["sbom", "validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let (_, stderr) = text(&o);
    assert!(stderr.contains("thin.cdx.json:3"), "{stderr}");
}

#[test]
fn an_sbom_ossgate_writes_passes_ntia_when_told_who_made_it() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bom.json");
    let o = env.run(&[
        "sbom",
        demo().to_str().unwrap(),
        "--author",
        "Example Corp <sbom@example.com>",
        "--supplier",
        "Example Corp",
        "--product",
        "pkg:generic/example/demo@1.0.0",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{:?}", text(&o));
    let (code, v) = env.json(&["sbom", "validate", file.to_str().unwrap(), "-f", "json"]);
    // Components from lockfiles carry no supplier, so NTIA still lists them, per element.
    let missing = v["completeness"]["missing"].as_array().unwrap();
    assert!(missing.iter().all(|m| m["element"] != "author"), "{v}");
    assert!(missing.iter().all(|m| m["element"] != "timestamp"), "{v}");
    assert_eq!(
        code,
        if missing.iter().any(|m| m["standard"] == "NTIA") {
            1
        } else {
            0
        }
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        doc["metadata"]["component"]["purl"],
        "pkg:generic/example/demo@1.0.0"
    );
}

#[test]
fn diff_reports_added_removed_and_changed() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    for (d, body) in [
        (&old, "requests==2.31.0\nurllib3==1.26.18\nsix==1.16.0\n"),
        (&new, "requests==2.32.3\nurllib3==1.26.18\nidna==3.7\n"),
    ] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("requirements.txt"), body).unwrap();
    }
    let (code, v) = env.json(&[
        "sbom",
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "-f",
        "json",
        "--exit-code",
    ]);
    assert_eq!(code, 1, "--exit-code: something changed");
    let names = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("added"), ["idna"]);
    assert_eq!(names("removed"), ["six"]);
    assert_eq!(names("changed"), ["requests"]);
    let o = env.run(&["sbom", "diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
}
