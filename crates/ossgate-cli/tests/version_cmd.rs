//! `ossgate version compare|affected` end to end.

mod common;

use common::{Env, repo_root, text};
use std::io::Write;
use std::process::Stdio;

#[test]
fn compare_prints_one_symbol() {
    let env = Env::new();
    let cases = [
        ("PyPI", "1.0", "1.0.0", "="),
        ("PyPI", "2.0rc1", "2.0", "<"),
        ("npm", "1.2.3-beta.11", "1.2.3-beta.2", ">"),
        ("crates.io", "0.22.4", "0.22.10", "<"),
        ("Go", "v2.0.0+incompatible", "2.0.0", "="),
        ("Packagist", "v1.0.0-RC1", "1.0.0", "<"),
        ("Pub", "1.0.0+1", "1.0.0", ">"),
        ("Hackage", "1.0", "1.0.0", "<"),
    ];
    for (eco, a, b, want) in cases {
        let out = env.run(&["version", "compare", eco, a, b]);
        assert!(out.status.success(), "{eco} {a} {b}: {:?}", text(&out));
        assert_eq!(text(&out).0.trim(), want, "{eco}: {a} vs {b}");
    }
}

#[test]
fn compare_errors_name_the_problem() {
    let env = Env::new();
    let out = env.run(&["version", "compare", "NoSuchEco", "1", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("no version ordering for ecosystem `NoSuchEco`")
    );
    let out = env.run(&["version", "compare", "npm", "1.x", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("1.x"), "{:?}", text(&out));
}

#[test]
fn compare_stdin_one_line_per_pair() {
    let env = Env::new();
    let mut child = env
        .cmd(&["version", "compare", "PyPI", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1.0 2.0\n2.0   2.0.0\n1!0\t5\nonly-one\n\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines[..3], ["<", "=", ">"]);
    assert!(lines[3].starts_with("error: "), "{lines:?}");
    assert!(lines[4].starts_with("error: "), "{lines:?}");
    assert_eq!(lines.len(), 5);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a line that could not be compared gives exit 2"
    );
}

#[test]
fn affected_says_which_entry_decided() {
    let env = Env::new();
    let rec = repo_root().join("examples/osv/crates.io/RUSTSEC-2023-0071.json");
    let rec = rec.to_str().unwrap();
    let out = env.run(&["version", "affected", rec, "crates.io", "rsa", "0.9.10"]);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, _) = text(&out);
    assert!(
        stdout.starts_with("affected: RUSTSEC-2023-0071 affected[0] SEMVER range introduced"),
        "{stdout}"
    );
    let rec = repo_root().join("examples/osv/PyPI/PYSEC-2023-192.json");
    let rec = rec.to_str().unwrap();
    let out = env.run(&["version", "affected", rec, "PyPI", "URLLib3", "1.26.17"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(text(&out).0.starts_with("not affected"));
    let out = env.run(&["version", "affected", rec, "PyPI", "requests", "1.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("no affected[] entry"));
}
