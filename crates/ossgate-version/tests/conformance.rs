//! Every line of every version-ordering fixture in `$OSSGATE_DATA/peer-fixtures/versions`
//! (osv-scalibr's test data) holds in both directions, under the ecosystems it covers.

use ossgate_model::Ecosystem;
use ossgate_version::{compare, for_ecosystem};
use std::cmp::Ordering;
use std::path::PathBuf;

fn fixtures() -> Option<PathBuf> {
    let data = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")));
    let dir = data.join("peer-fixtures/versions");
    if dir.is_dir() {
        return Some(dir);
    }
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "fixtures missing at {}", dir.display());
    eprintln!("skipped: no version fixtures at {}", dir.display());
    None
}

/// Checks one fixture file under one ecosystem; returns the number of comparisons checked.
fn check(file: &str, eco: Ecosystem) -> usize {
    let Some(dir) = fixtures() else { return 0 };
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let kind = for_ecosystem(&eco).unwrap_or_else(|| panic!("no scheme for {eco}"));
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("# ") || line.starts_with("//") || line == "#" {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 3, "{file}:{}: malformed line {line:?}", i + 1);
        let (a, op, b) = (parts[0], parts[1], parts[2]);
        let want = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            _ => panic!("{file}:{}: bad operator {op}", i + 1),
        };
        n += 1;
        match (compare(kind, a, b), compare(kind, b, a)) {
            (Ok(x), Ok(y)) if x == want && y == want.reverse() => {}
            (x, y) => failures.push(format!(
                "{file}:{} ({eco}): {a} {op} {b}: got {x:?}, reversed {y:?}",
                i + 1
            )),
        }
    }
    assert!(failures.is_empty(), "{} of {n} failed:\n{}", failures.len(), failures.join("\n"));
    n
}

#[test]
fn semver_fixtures_for_npm_crates_go_hex() {
    for eco in [Ecosystem::Npm, Ecosystem::CratesIo, Ecosystem::Go, Ecosystem::Hex] {
        let n = check("semver.txt", eco);
        assert!(n == 0 || n >= 80);
    }
}

#[test]
fn pypi_fixtures() {
    let n = check("pypi.txt", Ecosystem::PyPI);
    assert!(n == 0 || n >= 37);
}
