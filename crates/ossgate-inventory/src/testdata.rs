//! Shared mechanics of the extractor tests: where the shared data lives, the peer-fixture index
//! and the (name, version) multisets compared against it.

use ossgate_model::Component;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A (name, version) multiset.
pub type Packages = BTreeMap<(String, String), usize>;

/// The shared data directory: `$OSSGATE_DATA`, or `shared/data` next to the workspace.
pub fn shared_data() -> PathBuf {
    std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        })
}

/// `sub` under the shared data, or `None` (skip) when it is missing outside CI.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let dir = shared_data().join(sub);
    if dir.is_dir() {
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

/// The peer-fixture root (holding `lockfiles/index.json`; index paths are relative to it), or
/// `None` (skip) when the index is missing outside CI.
pub fn data_dir() -> Option<PathBuf> {
    let root = shared_data().join("peer-fixtures");
    let index = root.join("lockfiles/index.json");
    if index.is_file() {
        return Some(root);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "peer fixtures missing"
    );
    eprintln!("skipped: no peer fixtures at {}", index.display());
    None
}

/// The index records under `root` that `pred` accepts.
pub fn peer_records(root: &Path, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    let index = root.join("lockfiles/index.json");
    let records: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(index).unwrap()).unwrap();
    records.into_iter().filter(|r| pred(r)).collect()
}

/// The record's `fixture` path (as written in the index).
pub fn fixture(record: &Value) -> &str {
    record["fixture"].as_str().unwrap()
}

/// The text of the record's fixture.
pub fn fixture_text(root: &Path, record: &Value) -> String {
    std::fs::read_to_string(root.join(fixture(record))).unwrap()
}

/// The JSON array in the record's `expected` file.
pub fn expected(root: &Path, record: &Value) -> Vec<Value> {
    let path = root.join(record["expected"].as_str().unwrap());
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An expected entry's (name, version); a missing field reads as "".
pub fn name_version(e: &Value) -> (String, String) {
    (
        e["name"].as_str().unwrap_or("").to_string(),
        e["version"].as_str().unwrap_or("").to_string(),
    )
}

/// The (name, version) multiset of the record's expected file.
pub fn expected_packages(root: &Path, record: &Value) -> Packages {
    let mut want = Packages::new();
    for e in &expected(root, record) {
        *want.entry(name_version(e)).or_default() += 1;
    }
    want
}

/// The (name, version) multiset of `components`.
pub fn packages(components: &[Component]) -> Packages {
    let mut got = Packages::new();
    for c in components {
        *got.entry((c.name.clone(), c.version.clone())).or_default() += 1;
    }
    got
}

/// Checks every peer fixture of `format`: each one listed in `must_fail` (fixture, reason)
/// must give an error; every other must yield exactly its expected (name, version) multiset.
/// Returns (fixtures matched, fixtures that failed as listed).
pub fn check_format(
    root: &Path,
    format: &str,
    must_fail: &[(&str, &str)],
    run: impl Fn(&str) -> Result<crate::Extracted, crate::ExtractError>,
) -> (usize, usize) {
    let (mut checked, mut excepted) = (0, 0);
    for r in peer_records(root, |r| r["format"] == format) {
        let fixture = fixture(&r);
        let text = fixture_text(root, &r);
        if must_fail.iter().any(|(f, _)| *f == fixture) {
            assert!(run(&text).is_err(), "{fixture}");
            excepted += 1;
            continue;
        }
        let ex = run(&text).unwrap_or_else(|e| panic!("{fixture}: {e}"));
        assert_eq!(
            packages(&ex.components),
            expected_packages(root, &r),
            "{fixture}"
        );
        checked += 1;
    }
    (checked, excepted)
}
