//! Every document in the shared VEX data (`$OSSGATE_DATA/vex`, listed in its `index.json`) reads,
//! or fails with a clear reason; the list of failures is asserted.

use ossgate_vex::{Format, read_file};
use serde_json::Value;
use std::path::PathBuf;

fn vex_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        })
        .join("vex");
    if dir.join("index.json").is_file() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "shared data missing at {}",
        dir.display()
    );
    eprintln!("skipped: no shared data at {}", dir.display());
    None
}

/// The documents that cannot be read, and the reason each gives.
const FAILURES: &[(&str, &str)] = &[(
    "openvex/vexctl-testdata__legacy-no-products.vex.json",
    "at /statements/0/products: the statement names no product",
)];

#[test]
fn every_shared_document_reads_or_fails_with_a_reason() {
    let Some(dir) = vex_dir() else { return };
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut read = 0;
    let mut statements = 0;
    let mut failed = Vec::new();
    let mut ranges_only = Vec::new();
    for entry in index["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        if !file.ends_with(".json") {
            continue;
        }
        let format = entry["format"].as_str().unwrap();
        match read_file(&dir.join(file)) {
            Ok(doc) => {
                read += 1;
                let expected = match format {
                    "openvex" => Format::OpenVex,
                    f if f.starts_with("csaf") => Format::Csaf,
                    _ => Format::CycloneDx,
                };
                assert_eq!(doc.format, expected, "{file}");
                // Every document that lists vulnerabilities yields statements (SBOMs without
                // vulnerabilities and informational advisories have none).
                let raw: Value =
                    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap();
                let listed = raw["vulnerabilities"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty());
                if listed && doc.statements.is_empty() {
                    // Only documents whose every statement is about a version range (`vers:`,
                    // not applied) or names no product may come out empty, and they say so.
                    assert!(
                        !doc.warnings.is_empty()
                            && doc
                                .warnings
                                .iter()
                                .all(|w| w.contains("version range")
                                    || w.contains("affects nothing")),
                        "{file}: no statements ({:?})",
                        doc.warnings
                    );
                    ranges_only.push(file.to_string());
                }
                for s in &doc.statements {
                    assert!(
                        !s.vulnerability.is_empty() && !s.product.is_empty(),
                        "{file}: {s:?}"
                    );
                    assert!(s.source.ends_with(file), "{file}: source {}", s.source);
                }
                statements += doc.statements.len();
                if entry["schema_valid"] == false {
                    // Documents that break the schema on purpose still read, with a warning
                    // where the deviation is one ossgate notices.
                    eprintln!("{file}: read despite schema error ({:?})", doc.warnings);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.contains(file), "the error names the file: {msg}");
                failed.push((file.to_string(), msg));
            }
        }
    }
    let names: Vec<&str> = failed.iter().map(|(f, _)| f.as_str()).collect();
    let expected: Vec<&str> = FAILURES.iter().map(|(f, _)| *f).collect();
    assert_eq!(names, expected, "{failed:#?}");
    for ((_, msg), (_, reason)) in failed.iter().zip(FAILURES) {
        assert!(msg.contains(reason), "{msg}");
    }
    eprintln!("{read} documents read, {statements} statements; only ranges: {ranges_only:?}");
    assert!(read >= 70, "{read}");
}

fn doc(dir: &std::path::Path, file: &str) -> ossgate_vex::Document {
    read_file(&dir.join(file)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn what_the_readers_take_from_known_documents() {
    use ossgate_vex::{Justification, Status};
    let Some(dir) = vex_dir() else { return };
    // OpenVEX 0.2.0, nested subcomponents, no @id.
    let d = doc(&dir, "openvex/trivy-testdata__openvex-nested.json");
    let s = &d.statements[0];
    assert_eq!(s.vulnerability, "CVE-2024-0001");
    assert_eq!(
        s.product,
        "pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0"
    );
    assert_eq!(
        s.subcomponents,
        ["pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0"]
    );
    assert_eq!(
        s.justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
    // OpenVEX 0.0.1: one statement per product string.
    let d = doc(&dir, "openvex/go-vex-testdata__v0.0.1.json");
    assert_eq!(d.statements.len(), 2);
    assert_eq!(
        d.statements[1].product,
        "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"
    );
    assert_eq!(d.statements[1].status, Status::Fixed);
    // Trivy's own VEX: aliases and impact statements.
    let d = doc(&dir, "openvex/trivy-project__trivy.openvex.json");
    let s = d
        .statements
        .iter()
        .find(|s| s.vulnerability == "GO-2024-2575")
        .unwrap();
    assert!(s.aliases.contains(&"CVE-2024-26147".to_string()));
    assert_eq!(s.subcomponents, ["pkg:golang/helm.sh/helm/v3"]);
    assert_eq!(
        s.impact_statement.as_deref(),
        Some("Govulncheck determined that the vulnerable code isn't called")
    );
    // CycloneDX with a BOM-Link to a purl.
    let d = doc(&dir, "cyclonedx/trivy-testdata__cyclonedx-vex.json");
    let s = &d.statements[0];
    assert_eq!(
        (s.vulnerability.as_str(), s.product.as_str()),
        (
            "CVE-2021-44228",
            "pkg:maven/org.springframework.boot/spring-boot@2.6.0"
        )
    );
    assert_eq!(s.status, Status::NotAffected);
    assert_eq!(
        s.justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
    // CycloneDX false_positive and resolved_with_pedigree.
    let d = doc(
        &dir,
        "cyclonedx/guac-testdata__cyclonedx-vex-false-positive.json",
    );
    assert!(d.statements.iter().all(|s| s.status == Status::NotAffected));
    let d = doc(
        &dir,
        "cyclonedx/guac-testdata__cyclonedx-vex-resolved-with-pedigree.json",
    );
    assert!(d.statements.iter().all(|s| s.status == Status::Fixed));
    // CSAF: impact threat as the impact statement.
    let d = doc(&dir, "csaf/vexctl-examples__csaf.json");
    let s = &d.statements[0];
    assert_eq!(
        (s.product.as_str(), s.status),
        ("pkg:generic/component1@1.3.4", Status::NotAffected)
    );
    assert_eq!(
        s.impact_statement.as_deref(),
        Some("Class with vulnerable code was removed before shipping.")
    );
    assert_eq!(s.author.as_deref(), Some("Example Company"));
    // Red Hat CSAF VEX: relationships become product + subcomponent, remediations the action.
    let d = doc(&dir, "csaf/redhat__rhsa-2023_1441.csaf_vex.json");
    let with_sub = d
        .statements
        .iter()
        .filter(|s| !s.subcomponents.is_empty())
        .count();
    assert!(with_sub > 0);
    assert!(
        d.statements
            .iter()
            .filter(|s| s.status == Status::Fixed)
            .all(|s| s.action_statement.is_some())
    );
    assert!(d.statements.iter().any(|s| s.product.starts_with("cpe:/")));
}

/// The schemas the writers are validated against (embedded in `schemas/`) are byte for byte
/// the official ones in `$OSSGATE_DATA/schemas`.
#[test]
fn embedded_schemas_are_the_official_ones() {
    let Some(vex) = vex_dir() else { return };
    let official = vex.parent().unwrap().join("schemas");
    let ours = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas"));
    for (mine, theirs) in [
        (
            "openvex_json_schema.json",
            "openvex/openvex_json_schema.json",
        ),
        (
            "csaf-2.0.schema.json",
            "csaf/2.0/json_schema/csaf_json_schema.json",
        ),
        (
            "cvss-v2.0.json",
            "csaf/2.0/referenced_schema/first/cvss-v2.0.json",
        ),
        (
            "cvss-v3.0.json",
            "csaf/2.0/referenced_schema/first/cvss-v3.0.json",
        ),
        (
            "cvss-v3.1.json",
            "csaf/2.0/referenced_schema/first/cvss-v3.1.json",
        ),
    ] {
        assert_eq!(
            std::fs::read(ours.join(mine)).unwrap(),
            std::fs::read(official.join(theirs)).unwrap(),
            "{mine} differs from the official {theirs}"
        );
    }
}
