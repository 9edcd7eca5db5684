//! End to end: `ossgate posture` on a repository built with git, as a table, as JSON and in
//! batch mode (JSON lines), and a clear error for a path that is not a repository.

mod common;

use common::{Env, text};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@acme.example")
        .env("GIT_COMMITTER_NAME", "A")
        .env("GIT_COMMITTER_EMAIL", "a@acme.example")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repo(root: &Path, name: &str) -> std::path::PathBuf {
    let d = root.join(name);
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::write(d.join("LICENSE"), "MIT License\n").unwrap();
    std::fs::write(
        d.join("SECURITY.md"),
        "Report vulnerabilities to security@acme.example please\n",
    )
    .unwrap();
    std::fs::write(
        d.join(".github/workflows/ci.yml"),
        "on: pull_request_target\npermissions: read-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: curl -s https://x.example/i.sh | bash\n",
    )
    .unwrap();
    git(&d, &["init", "-q"]);
    git(&d, &["add", "-A"]);
    git(&d, &["commit", "-q", "-m", "init"]);
    d
}

#[test]
fn posture_json_table_and_batch() {
    let env = Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let d = repo(tmp.path(), "one");
    repo(tmp.path(), "nested/two");

    let (code, v) = env.json(&["posture", d.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(v["repo"]["name"], "one");
    let check = |n: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(check("License")["score"], 9);
    assert_eq!(check("Security-Policy")["score"], 10);
    assert_eq!(check("Dangerous-Workflow")["score"], 0);
    let f = &check("Dangerous-Workflow")["findings"][0];
    assert_eq!(f["kind"], "untrusted-checkout");
    assert_eq!(f["file"], ".github/workflows/ci.yml");
    assert_eq!(f["line"], 9);
    assert_eq!(
        check("Pinned-Dependencies")["findings"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(check("Webhooks")["score"], -1);
    assert!(v["score"].as_f64().unwrap() > 0.0);
    assert_eq!(v["ossgate"]["governance"]["security_contact"], true);

    let out = env.run(&["posture", d.to_str().unwrap()]);
    assert!(out.status.success());
    let t = text(&out).0;
    assert!(
        t.contains("Dangerous-Workflow") && t.contains("aggregate score"),
        "{t}"
    );

    let out = env.run(&["posture", "--batch", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    let lines: Vec<serde_json::Value> = text(&out)
        .0
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .all(|l| l["checks"].as_array().unwrap().len() == 19)
    );

    let out = env.run(&["posture", tmp.path().join("nope").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("nope"), "{:?}", text(&out));
}
