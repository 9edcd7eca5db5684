//! End-to-end tests of VEX: `vex set|log|import|export` and `scan --product --vex
//! --show-suppressed` on a small npm project against the committed OSV examples.

mod common;

use common::{Env, repo_root, text};
use serde_json::Value;
use std::path::{Path, PathBuf};

const PRODUCT: &str = "pkg:npm/acme-app@1.2.0";
const MINIMIST_CVE: &str = "CVE-2021-44906";

fn env() -> Env {
    let env = Env::new();
    let osv = repo_root().join("examples/osv");
    let out = env.run(&["db", "import", osv.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    env
}

/// A project locking minimist 0.0.8 and handlebars 4.7.3 (both with advisories in examples/osv).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let lock = serde_json::json!({
        "name": "acme-app", "version": "1.2.0", "lockfileVersion": 3, "requires": true,
        "packages": {
            "": {"name": "acme-app", "version": "1.2.0",
                 "dependencies": {"minimist": "0.0.8", "handlebars": "4.7.3"}},
            "node_modules/minimist": {"version": "0.0.8",
                "resolved": "https://registry.npmjs.org/minimist/-/minimist-0.0.8.tgz"},
            "node_modules/handlebars": {"version": "4.7.3",
                "resolved": "https://registry.npmjs.org/handlebars/-/handlebars-4.7.3.tgz"}
        }
    });
    std::fs::write(
        dir.path().join("package-lock.json"),
        serde_json::to_string_pretty(&lock).unwrap(),
    )
    .unwrap();
    dir
}

fn scan(env: &Env, dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["scan", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn has_id(f: &Value, id: &str) -> bool {
    f["id"] == id || f["aliases"].as_array().unwrap().iter().any(|a| a == id)
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn set(env: &Env, args: &[&str]) {
    let mut all = vec!["vex", "set"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert!(out.status.success(), "{all:?}: {:?}", text(&out));
}

#[test]
fn triage_suppresses_for_the_release_only_and_keeps_history() {
    let env = env();
    let dir = project();
    let (code, before) = scan(&env, dir.path(), &["--product", PRODUCT]);
    assert_eq!(code, 1);
    assert_eq!(before["summary"]["suppressed"], 0);
    let minimist: Vec<&Value> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| has_id(f, MINIMIST_CVE))
        .collect();
    assert_eq!(minimist.len(), 1, "{}", before["findings"]);
    let total = before["summary"]["findings"].as_u64().unwrap();

    // Incomplete decisions are refused.
    let out = env.run(&[
        "vex",
        "set",
        MINIMIST_CVE,
        "--product",
        PRODUCT,
        "--status",
        "not-affected",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("needs a justification"),
        "{:?}",
        text(&out)
    );
    let out = env.run(&[
        "vex",
        "set",
        MINIMIST_CVE,
        "--product",
        PRODUCT,
        "--status",
        "affected",
    ]);
    assert!(
        text(&out).1.contains("action statement"),
        "{:?}",
        text(&out)
    );

    set(
        &env,
        &[
            "CVE-2021-44906",
            "--product",
            PRODUCT,
            "--status",
            "under-investigation",
            "--author",
            "alice",
            "--timestamp",
            "2024-01-01T00:00:00Z",
        ],
    );
    set(
        &env,
        &[
            "CVE-2021-44906",
            "--product",
            PRODUCT,
            "--status",
            "not_affected",
            "--justification",
            "vulnerable-code-not-in-execute-path",
            "--statement",
            "minimist only parses our own fixed argv",
            "--author",
            "bob",
            "--timestamp",
            "2024-02-01T00:00:00Z",
        ],
    );

    let (_, after) = scan(&env, dir.path(), &["--product", PRODUCT]);
    assert_eq!(after["summary"]["suppressed"], 1);
    assert_eq!(after["summary"]["findings"].as_u64().unwrap(), total - 1);
    assert!(
        after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !has_id(f, MINIMIST_CVE))
    );
    let s = &after["suppressed"][0];
    assert!(has_id(s, MINIMIST_CVE));
    assert_eq!(s["vex"]["status"], "not_affected");
    assert_eq!(
        s["vex"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(
        s["vex"]["impact_statement"],
        "minimist only parses our own fixed argv"
    );
    assert_eq!(s["vex"]["author"], "bob");
    assert_eq!(s["vex"]["source"], "store");
    assert_eq!(s["vex"]["via"], "release");
    assert_eq!(after["vex"]["product"], PRODUCT);

    // Another release: the statement for 1.2.0 does not apply to 1.3.0; nor without --product.
    let (_, other) = scan(&env, dir.path(), &["--product", "pkg:npm/acme-app@1.3.0"]);
    assert_eq!(other["summary"]["suppressed"], 0);
    let (_, none) = scan(&env, dir.path(), &[]);
    assert_eq!(none["summary"]["suppressed"], 0);

    // The table shows the suppressed finding with its reason only when asked.
    let out = env.run(&["scan", dir.path().to_str().unwrap(), "--product", PRODUCT]);
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("1 suppressed by VEX (--show-suppressed lists them)"),
        "{stdout}"
    );
    assert!(!stdout.contains("vulnerable_code_not_in_execute_path"));
    let out = env.run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--product",
        PRODUCT,
        "--show-suppressed",
    ]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("VEX statements applied"), "{stdout}");
    assert!(
        stdout.contains("not_affected") && stdout.contains("vulnerable_code_not_in_execute_path"),
        "{stdout}"
    );

    // History: both decisions kept, the first superseded.
    let (code, log) = env.json(&["vex", "log", "--vuln", "cve-2021-44906", "--format", "json"]);
    assert_eq!(code, 0);
    let st = log["statements"].as_array().unwrap();
    assert_eq!(st.len(), 2);
    assert_eq!(
        (st[0]["author"].as_str(), st[0]["superseded"].as_bool()),
        (Some("alice"), Some(true))
    );
    assert_eq!(
        (st[1]["author"].as_str(), st[1]["superseded"].as_bool()),
        (Some("bob"), Some(false))
    );
    let (_, cur) = env.json(&[
        "vex",
        "log",
        "--product",
        PRODUCT,
        "--current",
        "--format",
        "json",
    ]);
    assert_eq!(cur["statements"].as_array().unwrap().len(), 1);
    let (_, other_product) = env.json(&[
        "vex",
        "log",
        "--product",
        "pkg:npm/acme-app@1.3.0",
        "--format",
        "json",
    ]);
    assert!(other_product["statements"].as_array().unwrap().is_empty());
    let out = env.run(&["vex", "log"]);
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("under_investigation (superseded)") && stdout.contains("bob"),
        "{stdout}"
    );
}

#[test]
fn repo_file_vex_files_subcomponents_and_conflicts() {
    let env = env();
    let dir = project();
    let repo_file = dir.path().join(".ossgate/vex.openvex.json");
    // VEX as code: a component statement in the project's file applies wherever handlebars
    // 4.7.3 is, without --product.
    set(
        &env,
        &[
            "CVE-2021-23369",
            "--product",
            "pkg:npm/handlebars@4.7.3",
            "--status",
            "not-affected",
            "--justification",
            "vulnerable-code-not-present",
            "--file",
            repo_file.to_str().unwrap(),
        ],
    );
    // A release statement narrowed to a subcomponent, appended to the same file.
    set(
        &env,
        &[
            MINIMIST_CVE,
            "--product",
            PRODUCT,
            "--subcomponent",
            "pkg:npm/minimist",
            "--status",
            "fixed",
            "--file",
            repo_file.to_str().unwrap(),
            "--timestamp",
            "2024-03-01T00:00:00Z",
        ],
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&repo_file).unwrap()).unwrap();
    assert_eq!(doc["statements"].as_array().unwrap().len(), 2);
    assert_eq!(doc["version"], 2);
    assert!(
        ossgate_vex::schema::validate(ossgate_vex::schema::VexSchema::OpenVex, &doc, 10).is_empty()
    );

    let (_, v) = scan(&env, dir.path(), &[]);
    let suppressed = ids(&v["suppressed"]);
    assert_eq!(v["summary"]["suppressed"], 1, "{suppressed:?}");
    assert!(has_id(&v["suppressed"][0], "CVE-2021-23369"));
    assert_eq!(v["suppressed"][0]["vex"]["via"], "component");
    assert!(
        v["vex"]["sources"][0]
            .as_str()
            .unwrap()
            .contains(".ossgate/vex.openvex.json")
    );

    let (_, v) = scan(&env, dir.path(), &["--product", PRODUCT]);
    assert_eq!(v["summary"]["suppressed"], 2);
    let m = v["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| has_id(f, MINIMIST_CVE))
        .unwrap();
    assert_eq!(m["vex"]["status"], "fixed");
    assert_eq!(m["vex"]["subcomponents"][0], "pkg:npm/minimist");

    // An upstream document says affected, later: newest wins, and the conflict is reported.
    let upstream = dir.path().join("upstream.json");
    std::fs::write(&upstream, serde_json::json!({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
        "author": "Upstream", "timestamp": "2024-04-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": MINIMIST_CVE}, "products": [{"@id": "pkg:npm/acme-app"}],
                        "status": "affected", "action_statement": "Upgrade minimist to 1.2.6"}]
    }).to_string()).unwrap();
    let out = env.run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--product",
        PRODUCT,
        "--vex",
        upstream.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(
        stderr.contains("VEX statements disagree on 1 finding"),
        "{stderr}"
    );
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["summary"]["vex_conflicts"], 1);
    let m = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| has_id(f, MINIMIST_CVE))
        .unwrap();
    assert_eq!(m["vex"]["status"], "affected");
    assert_eq!(m["vex"]["action_statement"], "Upgrade minimist to 1.2.6");
    assert_eq!(m["vex"]["conflicts"][0]["status"], "fixed");
    assert_eq!(v["vex"]["conflicts"][0]["applied"], "affected");

    // A broken --vex file is an error naming it.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": \"X\", \"status\": \"maybe\", \"products\": [\"pkg:npm/a\"]}]}").unwrap();
    let out = env.run(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--vex",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains("bad.json at /statements/0/status: unknown status"),
        "{stderr}"
    );
}

fn export(env: &Env, dir: &Path, format: &str, out: &Path) -> Value {
    let o = env.run(&[
        "vex",
        "export",
        dir.to_str().unwrap(),
        "--product",
        PRODUCT,
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
        "--author",
        "Acme PSIRT",
        "--namespace",
        "https://acme.example",
    ]);
    assert!(o.status.success(), "{:?}", text(&o));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn export_lists_every_vulnerability_with_its_triage_in_each_format() {
    let env = env();
    let dir = project();
    set(
        &env,
        &[
            MINIMIST_CVE,
            "--product",
            PRODUCT,
            "--status",
            "not_affected",
            "--justification",
            "inline-mitigations-already-exist",
        ],
    );
    let (_, scan) = scan(&env, dir.path(), &[]);
    let total = scan["summary"]["findings"].as_u64().unwrap() as usize;
    let out_dir = tempfile::tempdir().unwrap();
    let mut docs: Vec<(PathBuf, Value)> = Vec::new();
    for format in ["openvex", "cyclonedx", "csaf"] {
        let path = out_dir.path().join(format!("acme.{format}.json"));
        let doc = export(&env, dir.path(), format, &path);
        let errors = match format {
            "openvex" => {
                ossgate_vex::schema::validate(ossgate_vex::schema::VexSchema::OpenVex, &doc, 10)
            }
            "csaf" => {
                ossgate_vex::schema::validate(ossgate_vex::schema::VexSchema::Csaf20, &doc, 10)
            }
            _ => Vec::new(),
        };
        assert!(errors.is_empty(), "{format}: {errors:?}");
        let back = ossgate_vex::read_file(&path).unwrap();
        let keys: std::collections::BTreeSet<(String, String)> = back
            .statements
            .iter()
            .map(|s| (s.vulnerability.clone(), s.subcomponents.join(",")))
            .collect();
        assert_eq!(keys.len(), total, "{format}: one statement per finding");
        assert!(back.statements.iter().all(|s| s.product == PRODUCT));
        let m = back
            .statements
            .iter()
            .find(|s| s.ids().any(|i| i == MINIMIST_CVE))
            .unwrap();
        assert_eq!(m.status, ossgate_vex::Status::NotAffected, "{format}");
        assert_eq!(
            m.justification,
            Some(ossgate_vex::Justification::InlineMitigationsAlreadyExist)
        );
        assert_eq!(m.subcomponents, ["pkg:npm/minimist@0.0.8"]);
        let rest = back
            .statements
            .iter()
            .filter(|s| s.status == ossgate_vex::Status::UnderInvestigation)
            .count();
        assert!(rest >= total - 1 && rest > 0, "{format}: {rest}");
        docs.push((path, doc));
    }
    let cdx = &docs[1].1;
    assert_eq!(cdx["metadata"]["component"]["purl"], PRODUCT);
    let csaf = &docs[2].1;
    assert_eq!(csaf["document"]["category"], "csaf_vex");
    assert_eq!(
        csaf["document"]["publisher"]["namespace"],
        "https://acme.example"
    );

    // The CSAF validator's mandatory tests, when CI provides the library.
    if let Some(lib) = std::env::var_os("CSAF_VALIDATOR_LIB") {
        let o = std::process::Command::new("node")
            .arg(repo_root().join(".ci/csaf-validate.mjs"))
            .arg(&docs[2].0)
            .env("CSAF_VALIDATOR_LIB", lib)
            .output()
            .unwrap();
        assert!(o.status.success(), "{:?}", text(&o));
    }

    // Imported back into another store, the statements apply to a scan.
    let other = Env::new();
    let osv = repo_root().join("examples/osv");
    other.run(&["db", "import", osv.to_str().unwrap()]);
    let o = other.run(&["vex", "import", docs[2].0.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    let (_, v) = other.json(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--product",
        PRODUCT,
        "--format",
        "json",
    ]);
    assert_eq!(v["summary"]["suppressed"], 1);
    assert!(
        v["suppressed"][0]["vex"]["source"]
            .as_str()
            .unwrap()
            .starts_with("store: ")
    );
}
