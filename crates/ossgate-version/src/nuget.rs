//! NuGet version ordering: `NuGetVersion` as NuGet.Versioning parses and compares it, which is
//! how OSV's `NuGet` ecosystem ranges are meant to be evaluated.
//!
//! - A version is one to four numbers separated by `.` (`Major.Minor.Patch.Revision`, missing
//!   ones are 0: `1` = `1.0` = `1.0.0` = `1.0.0.0`), then optionally `-` and `.`-separated
//!   release labels, then optionally `+` and `.`-separated build metadata.
//! - Numbers are 32-bit signed integers that are not negative (`System.Version`); leading
//!   zeros are allowed (`1.01` = `1.1`). No leading `v`.
//! - Labels and metadata parts are non-empty runs of ASCII letters, digits and `-`; a label of
//!   digits only has no leading zero (`1.0.0-01` is rejected), metadata parts may.
//! - Order: the four numbers, then a version without labels above one with labels; labels
//!   compare in turn, fewer below more when all so far are equal. A label that .NET reads as
//!   an `int` (`int.TryParse`: digits, optionally after `-`, within 32 bits) is numeric and
//!   compares as a number below any other label; other labels compare as ASCII text ignoring
//!   case. So a numeric label too large for 32 bits compares as text, as NuGet does.
//! - Build metadata takes no part in ordering or equality.
//! - Spaces around the version are dropped, and (as `System.Version` allows) around each number.

use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

/// A NuGet version, ordered as NuGet orders it.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    text: Box<str>,
    /// Major, minor, patch, revision.
    parts: [u32; 4],
    /// Byte range of the release labels in `text`, without the leading `-`.
    labels: Option<(usize, usize)>,
}

/// NuGet's version scheme (OSV ecosystem `NuGet`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NuGetScheme;

/// A label or metadata part: ASCII letters, digits and `-`, and (for labels) no leading zero
/// on a number.
fn valid_part(p: &str, allow_leading_zeros: bool) -> bool {
    let b = p.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && (allow_leading_zeros
            || !(b.len() > 1 && b[0] == b'0' && b.iter().all(u8::is_ascii_digit)))
}

/// One number of the version: `int.TryParse` with `NumberStyles.Integer` as `System.Version`
/// uses it, which allows white space around the digits; not negative.
fn version_number(p: &str) -> Option<u32> {
    let digits = p.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: u32 = 0;
    for b in digits.bytes() {
        n = n.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
        if n > i32::MAX as u32 {
            return None;
        }
    }
    Some(n)
}

/// A release label read as .NET's `int.TryParse` reads it, for the characters a label can hold.
fn label_number(label: &str) -> Option<i64> {
    let (negative, digits) = match label.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, label),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n * 10 + i64::from(b - b'0');
        if n > 1 << 31 {
            return None;
        }
    }
    let n = if negative { -n } else { n };
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&n)
        .then_some(n)
}

fn cmp_label(a: &str, b: &str) -> Ordering {
    match (label_number(a), label_number(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

fn cmp_labels(a: &str, b: &str) -> Ordering {
    let (mut xs, mut ys) = (a.split('.'), b.split('.'));
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match cmp_label(x, y) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

impl NuGetVersion {
    pub fn parse(input: &str) -> Result<NuGetVersion, VersionError> {
        let err = |why: &str| VersionError::new(input, why);
        let text = input.trim();
        if text.is_empty() {
            return Err(err("empty version"));
        }
        // The numbers end at the first `-` (labels) or `+` (metadata); labels end at `+`.
        let numbers_end = text.find(['-', '+']).unwrap_or(text.len());
        let (labels, metadata) = match text.as_bytes().get(numbers_end) {
            None => (None, None),
            Some(b'+') => (None, Some(numbers_end + 1)),
            Some(_) => {
                let start = numbers_end + 1;
                match text[start..].find('+') {
                    Some(p) => (Some((start, start + p)), Some(start + p + 1)),
                    None => (Some((start, text.len())), None),
                }
            }
        };
        let mut parts = [0u32; 4];
        for (k, p) in text[..numbers_end].split('.').enumerate() {
            let slot = parts
                .get_mut(k)
                .ok_or_else(|| err("more than four numbers"))?;
            *slot = version_number(p)
                .ok_or_else(|| err("expected numbers from 0 to 2147483647 separated by dots"))?;
        }
        if let Some((a, b)) = labels
            && !text[a..b].split('.').all(|l| valid_part(l, false))
        {
            return Err(err(
                "release labels are letters, digits and `-`, numbers without leading zeros",
            ));
        }
        if let Some(m) = metadata
            && !text[m..].split('.').all(|p| valid_part(p, true))
        {
            return Err(err("build metadata is letters, digits and `-`"));
        }
        Ok(NuGetVersion {
            text: text.into(),
            parts,
            labels,
        })
    }

    /// The version as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn labels(&self) -> Option<&str> {
        self.labels.map(|(a, b)| &self.text[a..b])
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts
            .cmp(&other.parts)
            .then_with(|| match (self.labels(), other.labels()) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => cmp_labels(a, b),
            })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

impl fmt::Display for NuGetVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Scheme for NuGetScheme {
    type V = NuGetVersion;

    fn parse(s: &str) -> Result<NuGetVersion, VersionError> {
        NuGetVersion::parse(s)
    }

    /// The major number changes.
    fn is_breaking(from: &NuGetVersion, to: &NuGetVersion) -> bool {
        from.parts[0] != to.parts[0]
    }

    /// The version has release labels.
    fn is_prerelease(v: &NuGetVersion) -> bool {
        v.labels.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self as tu, Rng, assert_total_order};

    fn v(s: &str) -> NuGetVersion {
        NuGetScheme::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn assert_ascending(chain: &[&str]) {
        tu::assert_ascending(v, chain);
    }

    fn assert_all_equal(group: &[&str]) {
        tu::assert_all_equal(v, group);
    }

    /// SemVer 2.0.0's precedence example (section 11), which NuGet follows.
    #[test]
    fn semver_precedence_example() {
        assert_ascending(&[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ]);
    }

    /// NuGet's documented pre-release order: labels compare as text, ignoring case.
    #[test]
    fn documented_prerelease_order() {
        assert_ascending(&[
            "1.0.1-aaa",
            "1.0.1-alpha10",
            "1.0.1-alpha2",
            "1.0.1-beta",
            "1.0.1-open",
            "1.0.1-rc",
            "1.0.1-zzz",
            "1.0.1",
        ]);
        assert_all_equal(&["1.0.0-BETA", "1.0.0-beta", "1.0.0-Beta"]);
        assert_all_equal(&["1.0.0-RC.1", "1.0.0-rc.1"]);
    }

    /// Missing numbers are 0, leading zeros do not count, metadata is ignored: NuGet's
    /// normalisation rules.
    #[test]
    fn normalisation() {
        assert_all_equal(&["1", "1.0", "1.0.0", "1.0.0.0", "01.00.000"]);
        assert_all_equal(&["1.01.1", "1.1.1", "1.1.1.0"]);
        assert_all_equal(&["1.0.01.0", "1.0.1"]);
        assert_all_equal(&["1.0.0+metadata", "1.0.0+other.1", "1.0.0", "1.0+0"]);
        assert_all_equal(&["1.0.0-beta+abc", "1.0.0-beta+def", "1.0.0-beta"]);
        assert_eq!(v(" 1.0.0-beta+abc ").to_string(), "1.0.0-beta+abc");
        assert_eq!(v("1.0.0-beta+abc").as_str(), "1.0.0-beta+abc");
    }

    /// The legacy fourth number.
    #[test]
    fn four_part_versions() {
        assert_ascending(&[
            "1.0.0-beta",
            "1.0.0",
            "1.0.0.1-beta",
            "1.0.0.1",
            "1.0.0.2",
            "1.0.0.10",
            "1.0.1",
        ]);
        assert_ascending(&["4.0.0.0", "4.0.0.1", "4.0.1.0", "4.1"]);
    }

    #[test]
    fn labels() {
        // Numeric below alphanumeric, numbers numerically, more labels above fewer.
        assert_ascending(&[
            "1.0.0-1",
            "1.0.0-2",
            "1.0.0-10",
            "1.0.0-a",
            "1.0.0-a.1",
            "1.0.0-a.1.1",
            "1.0.0-a.2",
            "1.0.0-a.b",
        ]);
        // `alpha` is a prefix of `alpha-1`, so it sorts first.
        assert_ascending(&[
            "1.0.0-alpha.0",
            "1.0.0-alpha-1",
            "1.0.0-alpha-2",
            "1.0.0-alpha-a",
        ]);
        assert_all_equal(&["1.0.0-0", "1.0.0--0"]);
        // `int.TryParse` reads `-5` as minus five.
        assert_ascending(&["1.0.0-a.-5", "1.0.0-a.0", "1.0.0-a.-x"]);
        // Beyond 32 bits a label is text: NuGet's own behaviour.
        assert_ascending(&["1.0.0-2147483647", "1.0.0-2147483648"]);
        assert_ascending(&["1.0.0-10000000000", "1.0.0-9999999999", "1.0.0-a"]);
        assert_ascending(&["1.0.0--2147483648", "1.0.0--2147483649"]);
    }

    #[test]
    fn rejects_what_nuget_rejects() {
        for bad in [
            "",
            "   ",
            "v1.0.0",
            "V1.0",
            "1.0.0-",
            "1.0.0+",
            "1.0.0-beta+",
            "1.0.0-+meta",
            "1.0.0-beta..1",
            "1.0.0-.beta",
            "1.0.0-beta.",
            "1.0.0-01",
            "1.0.0-beta.01",
            "1.0.0-béta",
            "1.0.0-beta_1",
            "1.0.0+meta+more",
            "1.0.0+meta..x",
            "1.2.3.4.5",
            "1..2",
            ".1",
            "1.",
            "a.b",
            "1.0.x",
            "2147483648.0",
            "1.99999999999999999999",
            "1.-1",
            "1.+1",
            "١.٢",
            "1.0 beta",
        ] {
            assert!(NuGetScheme::parse(bad).is_err(), "{bad:?}");
        }
        for good in [
            "2147483647.2147483647.2147483647.2147483647",
            "1.0.0-0",
            "1.0.0-0a",
            "1.0.0-alpha.0.1a",
            "1.0.0+01.002",
            "1.0.0-beta-1+build-5",
            "1.0 ",
            "1. 2 .3",
        ] {
            assert!(NuGetScheme::parse(good).is_ok(), "{good:?}");
        }
        assert_all_equal(&["1. 2 .3", "1.2.3"]);
    }

    #[test]
    fn prerelease_and_breaking() {
        assert!(NuGetScheme::is_prerelease(&v("1.0.0-beta")));
        assert!(NuGetScheme::is_prerelease(&v("1.0.0.1-rc.1+build")));
        assert!(!NuGetScheme::is_prerelease(&v("1.0.0")));
        assert!(!NuGetScheme::is_prerelease(&v("1.0.0+build-x")));
        let br = |a: &str, b: &str| NuGetScheme::is_breaking(&v(a), &v(b));
        assert!(br("1.9", "2.0"));
        assert!(br("2.0", "1.0"));
        assert!(br("0.9", "1.0.0-rc.1"));
        assert!(!br("1.0", "1.99.3.4"));
        assert!(!br("01.0", "1.5-beta"));
    }

    /// The order is total: antisymmetric, transitive, and equal exactly when `==`.
    #[test]
    fn order_is_total_on_random_versions() {
        const LABELS: [&str; 10] = [
            "0",
            "1",
            "2",
            "10",
            "a",
            "B",
            "-1",
            "alpha",
            "ALPHA",
            "99999999999",
        ];
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        let mut next = || rng.next();
        let mut vs = Vec::new();
        for _ in 0..300 {
            let mut s = format!("{}.{}", next() % 3, next() % 3);
            if next() % 2 == 0 {
                s.push_str(&format!(".{}.{}", next() % 2, next() % 2));
            }
            let n = next() % 4;
            for k in 0..n {
                s.push(if k == 0 { '-' } else { '.' });
                s.push_str(LABELS[(next() % LABELS.len() as u64) as usize]);
            }
            vs.push(v(&s));
        }
        assert_total_order(&vs, &mut Rng(0x5EED), 200_000);
    }
}
