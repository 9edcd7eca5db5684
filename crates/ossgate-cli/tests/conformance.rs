//! Conformance tests on the real public data in `$OSSGATE_DATA` (default `../shared/data` beside
//! the project root). Skipped with a message when the data is missing; a failure under CI=true.

mod common;

use common::{Env, repo_root, text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn data() -> Option<PathBuf> {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    if dir.join("osv").is_dir() && dir.join("inputs").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "conformance data missing at {} (set OSSGATE_DATA)",
            dir.display()
        );
    }
    eprintln!(
        "skipped: conformance data not found at {} (set OSSGATE_DATA)",
        dir.display()
    );
    None
}

/// The whole shared OSV data set and the KEV catalogue, imported once per test binary run.
fn full_store(data: &std::path::Path) -> Env {
    let env = Env::new();
    let osv = data.join("osv");
    let kev = data.join("kev/known_exploited_vulnerabilities.json");
    let (code, v) = env.json(&[
        "db",
        "import",
        osv.to_str().unwrap(),
        kev.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    env_check_imports(data, &v);
    env
}

fn env_check_imports(data: &std::path::Path, v: &Value) {
    let imports = v["imports"].as_array().unwrap();
    let mut zips = 0;
    for r in imports {
        assert!(r["failed"].is_null(), "import failed: {r}");
        assert_eq!(
            r["errors"].as_array().unwrap().len(),
            0,
            "record errors: {r}"
        );
        if r["kind"] == "osv-zip" {
            zips += 1;
            let path = r["source"].as_str().unwrap();
            let f = std::fs::File::open(path).unwrap();
            let entries = zip::ZipArchive::new(f).unwrap().len() as u64;
            let read = r["inserted"].as_u64().unwrap()
                + r["unchanged"].as_u64().unwrap()
                + r["replaced"].as_u64().unwrap();
            assert_eq!(read, entries, "every record of {path} is read");
        }
        if r["kind"] == "kev" {
            let cat: Value = serde_json::from_slice(
                &std::fs::read(data.join("kev/known_exploited_vulnerabilities.json")).unwrap(),
            )
            .unwrap();
            assert_eq!(
                r["kev_entries"],
                cat["vulnerabilities"].as_array().unwrap().len()
            );
        }
    }
    let on_disk = std::fs::read_dir(data.join("osv"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "zip")
        })
        .count();
    assert_eq!(zips, on_disk, "every zip in osv/ imports");
}

/// Non-informational findings as (package, id) pairs.
fn vulns(v: &Value) -> BTreeSet<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["informational"].is_null())
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn conformance_full_osv_import_and_real_inputs() {
    let Some(data) = data() else { return };
    let env = full_store(&data);
    let (_, st) = env.json(&["db", "status", "--format", "json"]);
    let ecos: BTreeMap<String, u64> = st["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ecosystem"].as_str().unwrap().to_string(),
                e["records"].as_u64().unwrap(),
            )
        })
        .collect();
    for eco in [
        "crates.io",
        "npm",
        "PyPI",
        "Go",
        "Maven",
        "NuGet",
        "RubyGems",
        "Packagist",
    ] {
        assert!(
            ecos.get(eco).copied().unwrap_or(0) > 0,
            "{eco} has records: {ecos:?}"
        );
    }
    assert_eq!(ecos["crates.io"], 1206);
    // Re-importing the same data changes nothing.
    let (_, again) = env.json(&[
        "db",
        "import",
        data.join("osv/crates.io.zip").to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(again["imports"][0]["unchanged"], 1206);

    // cargo-audit's results on the same RustSec data (docs/peers.md, measured with
    // `cargo audit --db rustsec-advisory-db --no-fetch --no-yanked --json --file Cargo.lock`).
    let expect: [(&str, &[(&str, &str)]); 3] = [
        (
            "cargo",
            &[
                ("crossbeam-epoch", "RUSTSEC-2026-0204"),
                ("h2", "RUSTSEC-2026-0258"),
            ],
        ),
        (
            "localsend",
            &[("rsa", "RUSTSEC-2023-0071"), ("h2", "RUSTSEC-2026-0258")],
        ),
        (
            "deno",
            &[
                ("rsa", "RUSTSEC-2023-0071"),
                ("hickory-proto", "RUSTSEC-2026-0118"),
                ("hickory-proto", "RUSTSEC-2026-0119"),
                ("quick-xml", "RUSTSEC-2026-0194"),
                ("quick-xml", "RUSTSEC-2026-0195"),
                ("crossbeam-epoch", "RUSTSEC-2026-0204"),
                ("h2", "RUSTSEC-2026-0258"),
            ],
        ),
    ];
    for (project, pairs) in expect {
        let lock = data.join("inputs").join(project).join("Cargo.lock");
        let (code, v) = env.json(&["scan", lock.to_str().unwrap(), "-f", "json"]);
        assert_eq!(code, 1);
        let want: BTreeSet<(String, String)> = pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(
            vulns(&v),
            want,
            "{project}: same vulnerabilities as cargo-audit"
        );
        // Independent count: every [[package]] in the lock (registry, git and path crates),
        // by text.
        let text = std::fs::read_to_string(&lock).unwrap();
        let mut crates = BTreeSet::new();
        let mut name = String::new();
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("name = ") {
                name = n.trim_matches('"').to_string();
            } else if let Some(v) = line.strip_prefix("version = ")
                && !name.is_empty()
            {
                crates.insert((name.clone(), v.trim_matches('"').to_string()));
            }
        }
        assert_eq!(
            v["summary"]["components"],
            crates.len(),
            "{project}: component count"
        );
    }

    // Every input scans without errors.
    let mut scanned = 0;
    for entry in std::fs::read_dir(data.join("inputs")).unwrap() {
        let project = entry.unwrap().path();
        if !project.is_dir() {
            continue;
        }
        let (code, v) = env.json(&["scan", project.to_str().unwrap(), "-f", "json"]);
        assert!(
            code == 0 || code == 1,
            "{}: exit {code}: {}",
            project.display(),
            v["errors"]
        );
        assert_eq!(v["summary"]["errors"], 0, "{}", project.display());
        for u in v["unevaluated"].as_array().unwrap() {
            assert!(!u["reason"].as_str().unwrap().is_empty());
        }
        scanned += v["summary"]["files"].as_u64().unwrap();
    }
    assert_eq!(
        scanned, 42,
        "Cargo.lock ×3, package-lock.json ×6, poetry.lock ×1, requirements ×5, Gemfile.lock ×3, \
         composer.lock ×1, go.mod ×3, packages.lock.json ×4, yarn.lock ×3, uv.lock ×1, \
         pom.xml ×8, pnpm-lock.yaml ×3, pubspec.lock ×1 (the manifests beside them are superseded)"
    );

    // npm lockfiles: component counts against an independent count of registry entries.
    for project in ["npm-cli", "insomnia", "saleor", "firefly-iii"] {
        let lock = data.join("inputs").join(project).join("package-lock.json");
        let doc: Value = serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
        let mut want = BTreeSet::new();
        for (key, e) in doc["packages"].as_object().unwrap() {
            // Installed packages, and the workspace's own packages (not the root).
            let name = match key.rfind("node_modules/") {
                Some(i) => e["name"].as_str().unwrap_or(&key[i + 13..]),
                // npm leaves out `name` when it is the directory's name.
                None if !key.is_empty() => e["name"]
                    .as_str()
                    .unwrap_or_else(|| key.rsplit('/').next().unwrap_or(key)),
                None => continue,
            };
            if let Some(ver) = e["version"]
                .as_str()
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            {
                want.insert(format!("{name}@{ver}"));
            }
        }
        let (_, v) = env.json(&["scan", lock.to_str().unwrap(), "-f", "json"]);
        assert_eq!(v["summary"]["components"], want.len(), "{project}");
    }

    // Hand-checked on the full data: warehouse (2021) pins urllib3 1.26.2, which
    // PYSEC-2023-192 (CVE-2023-43804, fixed 1.26.17 / 2.0.6) affects; its npm lock (v1) has
    // lodash 4.17.19, which CVE-2021-23337 (fixed 4.17.21) affects.
    let (_, v) = env.json(&[
        "scan",
        data.join("inputs/warehouse-2021").to_str().unwrap(),
        "-f",
        "json",
    ]);
    let f = v["findings"].as_array().unwrap();
    let u = f
        .iter()
        .find(|x| x["id"] == "PYSEC-2023-192")
        .expect("urllib3 finding");
    assert_eq!(
        (u["version"].as_str(), u["upgrade_to"].as_str()),
        (Some("1.26.2"), Some("1.26.17"))
    );
    let l = f
        .iter()
        .find(|x| {
            x["name"] == "lodash"
                && x["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a == "CVE-2021-23337")
        })
        .expect("lodash finding");
    assert_eq!(l["version"], "4.17.19");
    assert_eq!(l["upgrade_to"], "4.17.21");
    // PyPI records about the warehouse requirements agree with the `versions` enumerations.
    assert!(f.iter().filter(|x| x["ecosystem"] == "PyPI").count() > 50);
}

#[test]
fn conformance_kev_flag_on_real_data() {
    let Some(data) = data() else { return };
    let env = Env::new();
    let out = env.run(&[
        "db",
        "import",
        data.join("osv/npm.zip").to_str().unwrap(),
        data.join("kev/known_exploited_vulnerabilities.json")
            .to_str()
            .unwrap(),
    ]);
    assert!(out.status.success(), "{:?}", text(&out));
    // jQuery 3.4.1: CVE-2020-11023 is in CISA's catalogue (added 2025-01-23).
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("package-lock.json");
    std::fs::write(&lock, r#"{"lockfileVersion":3,"packages":{"":{"dependencies":{"jquery":"3.4.1"}},"node_modules/jquery":{"version":"3.4.1"}}}"#).unwrap();
    let (code, v) = env.json(&[
        "scan",
        lock.to_str().unwrap(),
        "-f",
        "json",
        "--fail-on",
        "kev",
    ]);
    assert_eq!(code, 1, "--fail-on kev fails on a known-exploited finding");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "CVE-2020-11023")
        })
        .expect("jquery CVE-2020-11023");
    assert_eq!(f["kev"]["cve"], "CVE-2020-11023");
    assert_eq!(f["direct"], true);
    assert_eq!(f["upgrade_to"], "3.5.0");
}
