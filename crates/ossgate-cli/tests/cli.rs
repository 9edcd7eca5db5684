//! End-to-end tests of the `ossgate` binary on the committed demo and on small fixtures.

mod common;

use common::{Env, npm_record, repo_root, text, write_zip};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn demo_env() -> Env {
    let env = Env::new();
    let osv = repo_root().join("examples/osv");
    let out = env.run(&["db", "import", osv.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    env
}

fn finding<'a>(v: &'a Value, id: &str, version: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id && f["version"] == version)
        .unwrap_or_else(|| panic!("no finding {id} at {version}"))
}

#[test]
fn demo_scan_finds_hand_checked_vulnerabilities() {
    let env = demo_env();
    let demo = repo_root().join("examples/demo-project");
    let (code, v) = env.json(&["scan", demo.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "findings give exit code 1");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["summary"]["files"], 4);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["unevaluated"], 0);

    // crates.io: RUSTSEC-2023-0071 (Marvin attack on rsa), no fixed version exists.
    let rsa = finding(&v, "RUSTSEC-2023-0071", "0.9.10");
    assert_eq!(rsa["purl"], "pkg:cargo/rsa@0.9.10");
    assert_eq!(rsa["ecosystem"], "crates.io");
    assert!(
        rsa["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "CVE-2023-49092")
    );
    assert_eq!(rsa["severity"]["rating"], "medium");
    assert_eq!(rsa["severity"]["score"], 5.9);
    assert_eq!(rsa["upgrade_to"], Value::Null);
    assert_eq!(rsa["sources"][0]["file"], "rust/Cargo.lock");
    // crates.io: h2 0.4.15, fixed in 0.4.16 (a patch upgrade).
    let h2 = finding(&v, "RUSTSEC-2026-0258", "0.4.15");
    assert_eq!(h2["upgrade_to"], "0.4.16");
    assert_eq!(h2["breaking_upgrade"], false);

    // PyPI: urllib3 1.26.2, CVE-2023-43804, fixed in 1.26.17 and 2.0.6: the nearest is 1.26.17.
    let u = finding(&v, "PYSEC-2023-192", "1.26.2");
    assert_eq!(u["purl"], "pkg:pypi/urllib3@1.26.2");
    assert_eq!(u["upgrade_to"], "1.26.17");
    assert_eq!(u["breaking_upgrade"], false);
    let aliases: Vec<&str> = u["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(aliases.contains(&"CVE-2023-43804") && aliases.contains(&"GHSA-v845-jxx5-vc9f"));
    assert_eq!(
        u["sources"][0],
        serde_json::json!({"file": "python-pip/requirements.txt", "line": 823})
    );
    // PyPI: idna 2.10 needs 3.7, a major upgrade.
    let idna = finding(&v, "PYSEC-2024-60", "2.10");
    assert_eq!(idna["upgrade_to"], "3.7");
    assert_eq!(idna["breaking_upgrade"], true);
    // poetry.lock: dulwich 1.2.1.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "dulwich"
                && f["sources"][0]["file"] == "python-poetry/poetry.lock")
    );

    // npm (lockfile v1): minimist 0.0.8, CVE-2021-44906 (critical 9.8), fixed 1.2.6: a major move.
    let m = finding(&v, "x_GLAD-npm-minimist-CVE-2021-44906", "0.0.8");
    assert_eq!(m["severity"]["rating"], "critical");
    assert_eq!(m["severity"]["score"], 9.8);
    assert_eq!(m["severity"]["type"], "CVSS_V3");
    assert_eq!(m["fixed_versions"], serde_json::json!(["1.2.6"]));
    assert_eq!(m["upgrade_to"], "1.2.6");
    assert_eq!(m["breaking_upgrade"], true);
    let m5 = finding(&v, "x_GLAD-npm-minimist-CVE-2021-44906", "1.2.5");
    assert_eq!(m5["breaking_upgrade"], false);

    // Every finding carries the documented fields.
    for f in v["findings"].as_array().unwrap() {
        for key in [
            "id",
            "aliases",
            "purl",
            "ecosystem",
            "name",
            "version",
            "severity",
            "fixed_versions",
            "upgrade_to",
            "breaking_upgrade",
            "sources",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
}

#[test]
fn reimport_is_idempotent_and_newer_records_replace_older() {
    let env = demo_env();
    let before = env.status_records();
    let osv = repo_root().join("examples/osv");
    let (code, v) = env.json(&["db", "import", osv.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let imports = v["imports"].as_array().unwrap();
    assert!(
        imports
            .iter()
            .all(|r| r["inserted"] == 0 && r["replaced"] == 0)
    );
    assert_eq!(env.status_records(), before);

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.json");
    std::fs::write(
        &p,
        npm_record(
            "TEST-1",
            "2024-01-01T00:00:00Z",
            "left-pad",
            "1.0.0",
            "CVE-1",
        ),
    )
    .unwrap();
    env.run(&["db", "import", p.to_str().unwrap()]);
    std::fs::write(
        &p,
        npm_record(
            "TEST-1",
            "2023-01-01T00:00:00Z",
            "left-pad",
            "9.0.0",
            "CVE-1",
        ),
    )
    .unwrap();
    let (_, v) = env.json(&["db", "import", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        v["imports"][0]["unchanged"], 1,
        "an older record does not replace a newer one"
    );
    std::fs::write(
        &p,
        npm_record(
            "TEST-1",
            "2025-01-01T00:00:00Z",
            "left-pad",
            "2.0.0",
            "CVE-1",
        ),
    )
    .unwrap();
    let (_, v) = env.json(&["db", "import", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["imports"][0]["replaced"], 1);

    let lock = dir.path().join("package-lock.json");
    std::fs::write(
        &lock,
        r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/left-pad":{"version":"1.5.0"}}}"#,
    )
    .unwrap();
    let (code, v) = env.json(&["scan", lock.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        v["findings"][0]["fixed_versions"],
        serde_json::json!(["2.0.0"])
    );
}

#[test]
fn withdrawn_records_are_kept_but_never_matched() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let rec = npm_record(
        "TEST-W",
        "2024-01-01T00:00:00Z",
        "left-pad",
        "2.0.0",
        "CVE-9",
    )
    .replacen(
        "\"modified\"",
        "\"withdrawn\":\"2024-02-01T00:00:00Z\",\"modified\"",
        1,
    );
    std::fs::write(dir.path().join("w.json"), rec).unwrap();
    let (_, v) = env.json(&[
        "db",
        "import",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["imports"][0]["withdrawn"], 1);
    assert_eq!(env.status_records(), 1);
    let lock = dir.path().join("package-lock.json");
    std::fs::write(
        &lock,
        r#"{"lockfileVersion":3,"packages":{"node_modules/left-pad":{"version":"1.0.0"}}}"#,
    )
    .unwrap();
    let (code, v) = env.json(&["scan", lock.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn aliases_merge_into_one_finding_and_kev_is_flagged() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    // Two databases describe the same vulnerability; the second names the first as an alias.
    std::fs::write(
        dir.path().join("a.json"),
        npm_record(
            "GHSA-aaaa-bbbb-cccc",
            "2024-01-01T00:00:00Z",
            "qs",
            "6.0.0",
            "CVE-2099-0001",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        npm_record(
            "NATIVESEC-1",
            "2024-01-01T00:00:00Z",
            "qs",
            "6.1.0",
            "GHSA-aaaa-bbbb-cccc",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("kev.json"),
        r#"{"title":"t","catalogVersion":"1","count":1,"vulnerabilities":[
            {"cveID":"CVE-2099-0001","dateAdded":"2099-01-01","dueDate":"2099-02-01","knownRansomwareCampaignUse":"Known"}]}"#,
    )
    .unwrap();
    let out = env.run(&[
        "db",
        "import",
        dir.path().to_str().unwrap(),
        dir.path().join("kev.json").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{:?}", text(&out));
    let lock = dir.path().join("package-lock.json");
    std::fs::write(
        &lock,
        r#"{"lockfileVersion":2,"packages":{"node_modules/qs":{"version":"5.0.0"}}}"#,
    )
    .unwrap();
    let (code, v) = env.json(&["scan", lock.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "aliased records are one finding: {f:?}");
    assert_eq!(f[0]["id"], "NATIVESEC-1");
    assert_eq!(
        f[0]["aliases"],
        serde_json::json!(["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"])
    );
    assert_eq!(f[0]["kev"]["cve"], "CVE-2099-0001");
    assert_eq!(f[0]["kev"]["known_ransomware_campaign_use"], "Known");
    // Both records' fixes are listed; the nearest that neither record affects is 6.1.0.
    assert_eq!(
        f[0]["fixed_versions"],
        serde_json::json!(["6.0.0", "6.1.0"])
    );
    assert_eq!(f[0]["upgrade_to"], "6.1.0");
    assert_eq!(v["summary"]["kev"], 1);
}

#[test]
fn exit_codes_follow_fail_on() {
    let env = demo_env();
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    let lock = lock.to_str().unwrap();
    // localsend's lock: rsa (medium 5.9) and h2 (no score): medium fails, high does not.
    assert_eq!(
        env.run(&["scan", lock, "--fail-on", "medium"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        env.run(&["scan", lock, "--fail-on", "high"]).status.code(),
        Some(0)
    );
    assert_eq!(
        env.run(&["scan", lock, "--fail-on", "kev"]).status.code(),
        Some(0)
    );
    assert_eq!(
        env.run(&["scan", lock, "--fail-on", "never"]).status.code(),
        Some(0)
    );
    assert_eq!(env.run(&["scan", lock]).status.code(), Some(1));
    let empty = tempfile::tempdir().unwrap();
    let clean = empty.path().join("requirements.txt");
    std::fs::write(&clean, "left-pad==1.0\n").unwrap();
    assert_eq!(
        env.run(&["scan", clean.to_str().unwrap()]).status.code(),
        Some(0)
    );
}

#[test]
fn table_and_markdown_outputs() {
    let env = demo_env();
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    let out = env.run(&["scan", lock.to_str().unwrap()]);
    let (stdout, _) = text(&out);
    assert!(stdout.starts_with("SEVERITY"), "{stdout}");
    assert!(stdout.contains("RUSTSEC-2023-0071"));
    assert!(
        !stdout.contains("\x1b["),
        "no colour when not on a terminal"
    );
    assert!(stdout.contains("findings in"), "{stdout}");
    let out = env.run(&["scan", lock.to_str().unwrap(), "--format", "markdown"]);
    let (md, _) = text(&out);
    assert!(md.starts_with("# ossgate scan:"));
    assert!(md.contains("| SEVERITY | ID |"));
    assert!(md.contains("| medium 5.9 | RUSTSEC-2023-0071 |"), "{md}");
    let out = env.run(&["scan", lock.to_str().unwrap(), "--color", "always"]);
    assert!(text(&out).0.contains("\x1b["));
}

#[test]
fn output_file_is_written_whole() {
    let env = demo_env();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    let out = env.run(&[
        "scan",
        lock.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert!(!v["findings"].as_array().unwrap().is_empty());
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

#[test]
fn scanning_without_a_store_is_a_clear_error() {
    let env = Env::new();
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    let out = env.run(&["scan", lock.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("ossgate db import"));
}

#[test]
fn malformed_lockfiles_name_file_and_line() {
    let env = demo_env();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("Cargo.lock", "[[package]]\nname = \"a\"\nversion = \n", 3),
        (
            "package-lock.json",
            "{\n \"packages\": {\n  \"node_modules/a\": {\"version\": }\n",
            3,
        ),
        (
            "poetry.lock",
            "[[package]]\nname = \"x\"\n\n[[package]\n",
            4,
        ),
    ];
    for (name, body, line) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        let out = env.run(&["scan", p.to_str().unwrap()]);
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{}:{line}:", p.display())),
            "{name}: {err}"
        );
    }
    // In a directory, the broken file is reported and the others still scanned; exit 2.
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(proj.path().join("Cargo.lock"), "not = [toml").unwrap();
    std::fs::create_dir(proj.path().join("py")).unwrap();
    std::fs::write(proj.path().join("py/requirements.txt"), "urllib3==1.26.2\n").unwrap();
    let out = env.run(&["scan", proj.path().to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"][0]["file"], "Cargo.lock");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "urllib3")
    );
}

#[test]
fn garbage_and_truncated_inputs_never_panic() {
    let env = demo_env();
    let dir = tempfile::tempdir().unwrap();
    let demo = repo_root().join("examples/demo-project");
    let real = [
        ("Cargo.lock", demo.join("rust/Cargo.lock")),
        ("package-lock.json", demo.join("web/package-lock.json")),
        ("poetry.lock", demo.join("python-poetry/poetry.lock")),
        ("requirements.txt", demo.join("python-pip/requirements.txt")),
    ];
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    for (name, src) in real {
        let bytes = std::fs::read(src).unwrap();
        let mut variants: Vec<Vec<u8>> = vec![
            bytes[..bytes.len() / 2].to_vec(),
            bytes[..bytes.len() / 3].to_vec(),
            Vec::new(),
        ];
        for _ in 0..3 {
            let mut g = bytes.clone();
            for _ in 0..64 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = (seed as usize) % g.len();
                g[i] = (seed >> 32) as u8;
            }
            variants.push(g);
        }
        for (k, v) in variants.iter().enumerate() {
            let p = dir.path().join(format!("{k}")).join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, v).unwrap();
            let out = env.run(&["scan", p.to_str().unwrap(), "-f", "json"]);
            let code = out.status.code();
            assert!(matches!(code, Some(0..=2)), "{name} variant {k}: {code:?}");
            if code == Some(2) {
                assert!(
                    text(&out).1.contains(name),
                    "the error names the file: {:?}",
                    text(&out).1
                );
            }
        }
    }
}

#[test]
fn bad_records_are_skipped_and_named_and_broken_archives_roll_back() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let good = npm_record("GOOD-1", "2024-01-01T00:00:00Z", "a", "1.0.0", "CVE-A");
    let dup = npm_record("GOOD-1", "2024-06-01T00:00:00Z", "a", "2.0.0", "CVE-A");
    let bad_event = good.replace("GOOD-1", "BAD-1").replace(
        "{\"introduced\":\"0\"}",
        "{\"introduced\":\"0\",\"fixed\":\"1\"}",
    );
    let no_modified = r#"{"id":"BAD-2","affected":[]}"#.to_string();
    let zip = dir.path().join("npm.zip");
    write_zip(
        &zip,
        &[
            ("GOOD-1.json".into(), good.clone()),
            ("BAD-1.json".into(), bad_event),
            ("BAD-2.json".into(), no_modified),
            ("GOOD-1-copy.json".into(), dup),
            ("junk.json".into(), "{\"id\": ".into()),
        ],
    );
    let (code, v) = env.json(&["db", "import", zip.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "record errors are counted and skipped: {v}");
    let r = &v["imports"][0];
    assert_eq!(r["inserted"], 1);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 4, "{errors:?}");
    let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("BAD-1.json") && m.contains("affected[0].ranges[0].events[0]")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("BAD-2.json") && m.contains("modified")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("GOOD-1-copy.json") && m.contains("duplicate id")),
        "{msgs:?}"
    );
    assert!(errors.iter().all(|e| e["file"] == zip.to_str().unwrap()));
    // --strict turns skipped records into a failure.
    assert_eq!(
        env.run(&["db", "import", "--strict", zip.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );

    // A truncated archive is rejected whole and the store keeps what it had.
    let before = env.status_records();
    let mut entries = Vec::new();
    for i in 0..50 {
        entries.push((
            format!("T-{i}.json"),
            npm_record(
                &format!("T-{i}"),
                "2024-01-01T00:00:00Z",
                "b",
                "1.0.0",
                "CVE-B",
            ),
        ));
    }
    let full = dir.path().join("full.zip");
    write_zip(&full, &entries);
    let bytes = std::fs::read(&full).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 30] {
        let truncated = dir.path().join(format!("cut{cut}.zip"));
        std::fs::write(&truncated, &bytes[..cut]).unwrap();
        let out = env.run(&["db", "import", truncated.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out).1.contains(truncated.to_str().unwrap()),
            "{:?}",
            text(&out)
        );
        assert_eq!(env.status_records(), before);
    }
    // An archive whose entry data is corrupt fails mid-way and is rolled back whole.
    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    for b in &mut corrupt[mid - 200..mid] {
        *b ^= 0x5a;
    }
    let cpath = dir.path().join("corrupt.zip");
    std::fs::write(&cpath, &corrupt).unwrap();
    let out = env.run(&["db", "import", cpath.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert_eq!(env.status_records(), before);
}

#[test]
fn a_killed_import_leaves_the_previous_data_intact() {
    let env = demo_env();
    let before = env.status_records();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.zip");
    let entries: Vec<(String, String)> = (0..60_000)
        .map(|i| {
            let id = format!("KILL-{i}");
            (
                format!("{id}.json"),
                npm_record(
                    &id,
                    "2024-01-01T00:00:00Z",
                    &format!("pkg{i}"),
                    "1.0.0",
                    &format!("CVE-K-{i}"),
                ),
            )
        })
        .collect();
    write_zip(&big, &entries);
    let wal = env.home.path().join("ossgate.db-wal");
    let wal_before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let mut child = env
        .cmd(&["db", "import", big.to_str().unwrap()])
        .spawn()
        .unwrap();
    // Wait until the import is visibly writing, then kill it without warning.
    let started = std::time::Instant::now();
    loop {
        let grown = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > wal_before + 4_000_000;
        if grown || started.elapsed() > std::time::Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import must have been killed mid-way, not finished"
    );
    assert_eq!(
        env.status_records(),
        before,
        "nothing of the killed import is visible"
    );
    // The store still works: a scan runs and a new import succeeds.
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    assert_eq!(
        env.run(&["scan", lock.to_str().unwrap()]).status.code(),
        Some(1)
    );
    let small = dir.path().join("small.zip");
    write_zip(&small, &entries[..10]);
    assert!(
        env.run(&["db", "import", small.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(env.status_records(), before + 10);
}

#[test]
fn a_scan_does_not_wait_for_a_running_import() {
    let env = demo_env();
    // Another process's import in progress: a write transaction holding the store's write lock,
    // with uncommitted rows.
    let conn = rusqlite::Connection::open(env.home.path().join("ossgate.db")).unwrap();
    conn.execute_batch(
        "BEGIN IMMEDIATE; DELETE FROM affected; DELETE FROM advisory; UPDATE meta SET value = 0;",
    )
    .unwrap();
    let lock = repo_root().join("examples/demo-project/rust/Cargo.lock");
    let started = std::time::Instant::now();
    let (code, v) = env.json(&["scan", lock.to_str().unwrap(), "-f", "json"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the scan waited"
    );
    assert_eq!(code, 1, "the scan reads the last committed data: {v}");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "RUSTSEC-2023-0071")
    );
    conn.execute_batch("ROLLBACK").unwrap();
}

/// A one-thread HTTP/1.1 server on loopback serving `/<eco>/all.zip` with an ETag, answering
/// 304 to a matching If-None-Match. Records each request's path and validator.
/// (request path, If-None-Match value) of each request seen.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

struct Server {
    base: String,
    requests: Seen,
    hits: Arc<AtomicUsize>,
}

fn serve(zip: Vec<u8>, etag: &'static str) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests: Seen = Arc::new(Mutex::new(Vec::new()));
    let hits = Arc::new(AtomicUsize::new(0));
    let (req2, hits2) = (requests.clone(), hits.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            hits2.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut inm = None;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.split_once(':')
                    && k.eq_ignore_ascii_case("if-none-match")
                {
                    inm = Some(v.trim().to_string());
                }
            }
            req2.lock().unwrap().push((path.clone(), inm.clone()));
            let resp: Vec<u8> = if path != "/npm/all.zip" {
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            } else if inm.as_deref() == Some(etag) {
                format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n")
                    .into_bytes()
            } else {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
                    zip.len()
                )
                .into_bytes();
                r.extend_from_slice(&zip);
                r
            };
            let _ = stream.write_all(&resp);
            let _ = stream.flush();
            let mut sink = [0u8; 64];
            let _ = stream.read(&mut sink);
        }
    });
    Server {
        base,
        requests,
        hits,
    }
}

#[test]
fn sync_downloads_once_and_then_costs_one_conditional_request() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("npm.zip");
    write_zip(
        &zip_path,
        &[
            (
                "S-1.json".into(),
                npm_record("S-1", "2024-01-01T00:00:00Z", "left-pad", "1.3.0", "CVE-S1"),
            ),
            (
                "S-2.json".into(),
                npm_record("S-2", "2024-01-01T00:00:00Z", "lodash", "4.17.21", "CVE-S2"),
            ),
        ],
    );
    let server = serve(std::fs::read(&zip_path).unwrap(), "\"v1\"");
    let env = Env::new();
    let (code, v) = env.json(&[
        "db",
        "sync",
        "--ecosystem",
        "npm",
        "--base-url",
        &server.base,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["sync"][0]["outcome"], "updated");
    assert_eq!(v["sync"][0]["import"]["inserted"], 2);
    assert_eq!(env.status_records(), 2);

    let (code, v) = env.json(&[
        "db",
        "sync",
        "-e",
        "npm",
        "--base-url",
        &server.base,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["sync"][0]["outcome"], "not-modified");
    assert!(
        v["sync"][0]["import"].is_null(),
        "no import for an unchanged ecosystem"
    );
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        2,
        "one request per sync"
    );
    let reqs = server.requests.lock().unwrap().clone();
    assert_eq!(reqs[0], ("/npm/all.zip".to_string(), None));
    assert_eq!(
        reqs[1],
        ("/npm/all.zip".to_string(), Some("\"v1\"".to_string()))
    );

    let (_, st) = env.json(&["db", "status", "--format", "json"]);
    let npm = &st["ecosystems"][0];
    assert_eq!(npm["ecosystem"], "npm");
    assert_eq!(npm["records"], 2);
    assert_eq!(npm["source"], format!("{}/npm/all.zip", server.base));
    assert!(npm["synced_at"].is_string() && npm["imported_at"].is_string());
    // Without --ecosystem, sync covers the ecosystems already in the store.
    let (_, v) = env.json(&["db", "sync", "--base-url", &server.base, "--format", "json"]);
    assert_eq!(v["sync"].as_array().unwrap().len(), 1);
    // A missing ecosystem is an error, with the URL named.
    let out = env.run(&["db", "sync", "-e", "Nope", "--base-url", &server.base]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("/Nope/all.zip"), "{:?}", text(&out));
    // No temporary download is left in the store directory.
    let stray: Vec<_> = std::fs::read_dir(env.home.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".sync-"))
        .collect();
    assert!(stray.is_empty());
}

#[test]
fn directory_walk_respects_gitignore_and_skips_vendored_dirs() {
    let env = demo_env();
    let proj = tempfile::tempdir().unwrap();
    let p = proj.path();
    std::fs::create_dir_all(p.join("node_modules/x")).unwrap();
    std::fs::create_dir_all(p.join("ignored")).unwrap();
    std::fs::write(p.join(".gitignore"), "ignored/\n").unwrap();
    let req = "urllib3==1.26.2\n";
    std::fs::write(p.join("node_modules/x/requirements.txt"), req).unwrap();
    std::fs::write(p.join("ignored/requirements.txt"), req).unwrap();
    let (_, v) = env.json(&["scan", p.to_str().unwrap(), "-f", "json"]);
    assert_eq!(v["summary"]["files"], 0);
    let (_, v) = env.json(&[
        "scan",
        p.to_str().unwrap(),
        "-f",
        "json",
        "--include-vendored",
    ]);
    assert_eq!(v["files"][0]["file"], "node_modules/x/requirements.txt");
}
