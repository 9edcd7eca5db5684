//! `ossgate inventory` end to end.

mod common;

use common::{Env, repo_root, text};
use serde_json::Value;
use std::process::Stdio;

#[test]
fn json_lists_components_with_the_documented_fields() {
    let env = Env::new();
    let demo = repo_root().join("examples/demo-project");
    let (code, v) = env.json(&["inventory", demo.to_str().unwrap(), "-f", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["summary"]["files"], 4);
    let comps = v["components"].as_array().unwrap();
    assert_eq!(v["summary"]["components"], comps.len());
    for c in comps {
        for key in [
            "ecosystem",
            "name",
            "version",
            "purl",
            "locations",
            "direct",
            "scope",
            "dependencies",
        ] {
            assert!(c.get(key).is_some(), "component lacks {key}: {c}");
        }
    }
    // A crate with edges: h2 depends on bytes, and both are in the inventory.
    let h2 = comps
        .iter()
        .find(|c| c["purl"] == "pkg:cargo/h2@0.4.15")
        .unwrap();
    let deps: Vec<&str> = h2["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        deps.iter().any(|d| d.starts_with("pkg:cargo/bytes@")),
        "{deps:?}"
    );
    assert!(
        deps.iter().all(|d| comps.iter().any(|c| c["purl"] == *d)),
        "edges point at components"
    );
    assert_eq!(h2["locations"][0]["file"], "rust/Cargo.lock");
    // Direct and dev scope from the lockfiles' own information.
    let pytest = comps
        .iter()
        .find(|c| c["name"] == "pytest" && c["ecosystem"] == "PyPI")
        .unwrap();
    assert_eq!(pytest["scope"], "dev");
}

#[test]
fn exclude_leaves_paths_out() {
    let env = Env::new();
    let demo = repo_root().join("examples/demo-project");
    let (_, v) = env.json(&[
        "inventory",
        demo.to_str().unwrap(),
        "-f",
        "json",
        "--exclude",
        "web/**",
        "--exclude",
        "python-*",
    ]);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["rust/Cargo.lock"]);
    let out = env.run(&["inventory", demo.to_str().unwrap(), "--exclude", "[z-a]"]);
    assert_eq!(out.status.code(), Some(2), "a bad glob is an error");
}

#[test]
fn tree_and_table() {
    let env = Env::new();
    let lock = repo_root().join("examples/demo-project/python-poetry/poetry.lock");
    let out = env.run(&["inventory", lock.to_str().unwrap(), "-f", "tree"]);
    let (tree, _) = text(&out);
    // requests is expanded where it is first reached, its dependencies indented under it;
    // later occurrences are marked (*).
    let lines: Vec<&str> = tree.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.trim_start().starts_with("pkg:pypi/requests@") && !l.ends_with("(*)"))
        .expect("requests is in the tree");
    let indent = lines[i].len() - lines[i].trim_start().len();
    let children: Vec<&str> = lines[i + 1..]
        .iter()
        .take_while(|l| l.len() - l.trim_start().len() > indent)
        .map(|l| l.trim_start())
        .collect();
    assert!(
        children.iter().any(|l| l.starts_with("pkg:pypi/urllib3@")),
        "{tree}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("pkg:pypi/requests@") && l.ends_with("(*)"))
    );
    let out = env.run(&["inventory", lock.to_str().unwrap()]);
    let (table, _) = text(&out);
    assert!(table.starts_with("ECOSYSTEM"));
    assert!(
        table.contains("from 1 file\n") || table.contains("from 1 file;"),
        "{table}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    let demo = repo_root().join("examples/demo-project");
    let mut child = env
        .cmd(&["inventory", demo.to_str().unwrap(), "-f", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
    let _: Option<Value> = None;
}
