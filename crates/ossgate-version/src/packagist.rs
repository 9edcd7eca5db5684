//! Packagist (Composer) versions: Composer's normalisation, then PHP's `version_compare`.
//!
//! Normalisation (Composer's `VersionParser::normalize`): a leading `v` is dropped; the numeric
//! part is padded to four numbers (`1.2` → `1.2.0.0`); a stability suffix is spelled out
//! (`a` → `alpha`, `b` → `beta`, `rc` → `RC`, `p`/`pl` → `patch`) with its numbers; a trailing
//! `dev` becomes `-dev`. Date versions (`2010-01-02`, `20100102`) keep their numbers. Branch names
//! (`dev-main`, `1.x-dev`) are not versions and do not parse.
//!
//! `version_compare` (PHP): `-`, `_`, `+` become `.`, a `.` is put between digits and letters,
//! parts compare numerically when both are numbers, else by the special forms
//! any-other-string < `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc` < number < `pl` = `p`;
//! when one version has more parts, a further number makes it greater and a further word is
//! compared with a number.

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Number(Num),
    /// The rank of a word among the special forms (other words rank lowest).
    Word(i8),
}

/// A number is the special form `#`, between `RC` and `pl`.
const NUMBER_RANK: i8 = 4;

fn word_rank(w: &str) -> i8 {
    // PHP matches the special forms by prefix, in this order.
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", NUMBER_RANK),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(f, _)| w.starts_with(f))
        .map_or(-6, |(_, r)| *r)
}

fn part_cmp(a: &Part, b: &Part) -> Ordering {
    match (a, b) {
        (Part::Number(x), Part::Number(y)) => x.cmp(y),
        (Part::Number(_), Part::Word(r)) => NUMBER_RANK.cmp(r),
        (Part::Word(r), Part::Number(_)) => r.cmp(&NUMBER_RANK),
        (Part::Word(x), Part::Word(y)) => x.cmp(y),
    }
}

/// A normalised Composer version.
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    text: Box<str>,
    normalized: Box<str>,
    parts: Vec<Part>,
    prerelease: bool,
    major: Num,
}

/// Composer's normalisation; `None` for what it rejects or treats as a branch.
fn normalize(input: &str) -> Option<(String, bool)> {
    let s = input.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    if s.is_empty() || s.starts_with("dev-") || s.ends_with(".x-dev") || s.contains('*') {
        return None;
    }
    // Drop build metadata (`+...`) as Composer does.
    let s = s.split('+').next().unwrap_or(s);
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut nums: Vec<&str> = Vec::new();
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return None;
        }
        nums.push(&s[start..i]);
        if i + 1 < bytes.len()
            && bytes[i] == b'.'
            && bytes[i + 1].is_ascii_digit()
            && nums.len() < 4
        {
            i += 1;
            continue;
        }
        break;
    }
    let date = nums.len() == 1 && nums[0].len() >= 8;
    let mut out = if date {
        nums[0].to_string()
    } else {
        let mut n: Vec<&str> = nums.clone();
        while n.len() < 4 {
            n.push("0");
        }
        n.join(".")
    };
    let mut rest = s[i..].to_ascii_lowercase();
    let mut prerelease = false;
    if rest.ends_with("dev") {
        rest.truncate(rest.len() - 3);
        let trimmed = rest.trim_end_matches(['.', '-', '_']).to_string();
        rest = trimmed;
        prerelease = true;
        if rest.is_empty() {
            out.push_str("-dev");
            return Some((out, prerelease));
        }
        let (stability, numbers) = stability(&rest)?;
        out.push_str(&format!("-{stability}{numbers}-dev"));
        return Some((out, prerelease));
    }
    if !rest.is_empty() {
        let (stability, numbers) = stability(&rest)?;
        prerelease |= matches!(stability, "alpha" | "beta" | "RC");
        if stability != "stable" {
            out.push_str(&format!("-{stability}{numbers}"));
        }
    }
    Some((out, prerelease))
}

/// `[._-]?(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)` → (spelled-out stability, numbers).
fn stability(rest: &str) -> Option<(&'static str, String)> {
    let r = rest.trim_start_matches(['.', '-', '_']);
    const WORDS: [(&str, &str); 9] = [
        ("stable", "stable"),
        ("alpha", "alpha"),
        ("beta", "beta"),
        ("patch", "patch"),
        ("rc", "RC"),
        ("pl", "patch"),
        ("a", "alpha"),
        ("b", "beta"),
        ("p", "patch"),
    ];
    let (word, spelled) = WORDS.iter().find(|(w, _)| r.starts_with(w))?;
    let tail = &r[word.len()..];
    let mut numbers = String::new();
    for chunk in tail.split(['.', '-']) {
        if chunk.is_empty() {
            continue;
        }
        if !chunk.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !numbers.is_empty() {
            numbers.push('.');
        }
        numbers.push_str(chunk);
    }
    Some((spelled, numbers))
}

/// PHP's canonical parts of a version string.
fn php_parts(s: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            parts.push(Part::Number(Num::parse(&s[start..i]).unwrap_or(Num::ZERO)));
        } else if matches!(b, b'.' | b'-' | b'_' | b'+') {
            i += 1;
        } else {
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_digit()
                && !matches!(bytes[i], b'.' | b'-' | b'_' | b'+')
            {
                i += 1;
            }
            parts.push(Part::Word(word_rank(&s[start..i])));
        }
    }
    parts
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.parts, &other.parts);
        for (x, y) in a.iter().zip(b.iter()) {
            let o = part_cmp(x, y);
            if o != Ordering::Equal {
                return o;
            }
        }
        // The longer one: a further number makes it greater, a further word compares with `#`.
        let extra = |p: &Part| match p {
            Part::Number(_) => Ordering::Greater,
            Part::Word(r) => r.cmp(&NUMBER_RANK),
        };
        match a.len().cmp(&b.len()) {
            Ordering::Equal => Ordering::Equal,
            Ordering::Greater => extra(&a[b.len()]),
            Ordering::Less => extra(&b[a.len()]).reverse(),
        }
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ComposerVersion {}

impl fmt::Display for ComposerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl ComposerVersion {
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

pub struct PackagistScheme;

impl Scheme for PackagistScheme {
    type V = ComposerVersion;

    fn parse(s: &str) -> Result<ComposerVersion, VersionError> {
        let (normalized, prerelease) = normalize(s)
            .ok_or_else(|| VersionError::new(s, "not a Composer version (or a branch name)"))?;
        let parts = php_parts(&normalized);
        let major = match parts.first() {
            Some(Part::Number(n)) => n.clone(),
            _ => Num::ZERO,
        };
        Ok(ComposerVersion {
            text: s.trim().into(),
            normalized: normalized.into(),
            parts,
            prerelease,
            major,
        })
    }

    fn is_breaking(from: &ComposerVersion, to: &ComposerVersion) -> bool {
        from.major != to.major
    }

    fn is_prerelease(v: &ComposerVersion) -> bool {
        v.prerelease
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ComposerVersion {
        PackagistScheme::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn normalises_like_composer() {
        let cases = [
            ("1.0.0", "1.0.0.0"),
            ("v1.2", "1.2.0.0"),
            ("1.2.3.4", "1.2.3.4"),
            ("1.0.0-RC1", "1.0.0.0-RC1"),
            ("1.0.0rc1", "1.0.0.0-RC1"),
            ("1.0.0-beta.2", "1.0.0.0-beta2"),
            ("1.0.0b2", "1.0.0.0-beta2"),
            ("1.0.0-alpha3", "1.0.0.0-alpha3"),
            ("1.0.0-pl1", "1.0.0.0-patch1"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0.0-dev", "1.0.0.0-dev"),
            ("1.0.0-beta2-dev", "1.0.0.0-beta2-dev"),
            ("20100102", "20100102"),
        ];
        for (a, want) in cases {
            assert_eq!(v(a).normalized(), want, "{a}");
        }
        for bad in ["", "dev-main", "1.x-dev", "foo", "1.0.*", "1.0.0-gamma"] {
            assert!(PackagistScheme::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn orders_like_version_compare() {
        let chain = [
            "1.0.0-dev",
            "1.0.0-alpha1",
            "1.0.0-alpha2",
            "1.0.0-beta1",
            "1.0.0-RC1",
            "1.0.0-RC2",
            "1.0.0",
            "1.0.0-patch1",
            "1.0.1",
            "1.0.10",
            "1.1",
            "2.0.0-beta1",
            "v2.0",
            "10.0",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0.0"));
        assert_eq!(v("v1.0.0"), v("1.0.0"));
        assert!(PackagistScheme::is_prerelease(&v("1.0.0-RC1")));
        assert!(!PackagistScheme::is_prerelease(&v("1.0.0-patch1")));
        assert!(PackagistScheme::is_breaking(&v("1.9"), &v("2.0")));
    }
}
