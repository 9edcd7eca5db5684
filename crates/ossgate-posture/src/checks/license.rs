//! License: a licence file at the top level (or in `LICENSES/`), named as Scorecard recognises
//! them (LICENSE, LICENCE, COPYING, COPYRIGHT, PATENTS, with prefixes, suffixes and text
//! extensions). 9 for a file, 10 when its name also names an FSF/OSI-approved licence (the SPDX
//! id is taken from the file name only, as Scorecard does offline).

use crate::tree::Tree;
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "License";

const EXTS: &[&str] = &[
    "", "adoc", "asc", "docx", "doc", "ext", "html", "markdown", "md", "rst", "txt", "xml",
];

/// Whether a repository path is a licence file.
pub fn is_license_file(path: &str) -> bool {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path),
    };
    if !dir.is_empty() {
        return dir.eq_ignore_ascii_case("licenses") && path.matches('/').count() == 1;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && EXTS.contains(&e.to_ascii_lowercase().as_str()) => (s, e),
        Some((_, e)) if !EXTS.contains(&e.to_ascii_lowercase().as_str()) && e.len() <= 4 => {
            return false;
        }
        _ => (name, ""),
    };
    let _ = ext;
    if stem.contains(' ') || stem.contains(',') {
        return false;
    }
    let u = stem.to_ascii_uppercase();
    ["LICENSE", "LICENCE", "COPYING", "COPYRIGHT"]
        .iter()
        .any(|k| u.contains(k))
        || u == "PATENTS"
}

const OSI: &[&str] = &[
    "MIT",
    "APACHE",
    "ASL",
    "BSD",
    "GPL",
    "LGPL",
    "AGPL",
    "MPL",
    "ISC",
    "EPL",
    "UNLICENSE",
    "ZLIB",
    "ARTISTIC",
    "CC0",
];

pub fn check(tree: &Tree) -> CheckResult {
    let files = tree.matching(is_license_file);
    let Some((_, first)) = files.first() else {
        let mut r = CheckResult::new(NAME, Score::Value(0), "license file not detected");
        r.details
            .push("Warn: project does not have a license file".into());
        return r;
    };
    let u = first.to_ascii_uppercase();
    let recognised = OSI.iter().any(|k| u.contains(k));
    let mut r = CheckResult::new(
        NAME,
        Score::Value(if recognised { 10 } else { 9 }),
        "license file detected",
    );
    r.details
        .push(format!("Info: project has a license file: {first}"));
    if !recognised {
        r.details.push(
            "Warn: the licence is not identified by its file name as FSF/OSI-approved".into(),
        );
    }
    r.findings
        .push(Finding::new("license-file", first, None, None));
    r
}
