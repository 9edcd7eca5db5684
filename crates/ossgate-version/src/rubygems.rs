//! RubyGems version ordering: `Gem::Version`, as OSV's `RubyGems` ecosystem ranges use it.
//!
//! - A version is digits, then `.`-separated runs of ASCII letters and digits, then optionally
//!   `-` and `.`-separated runs of letters, digits and `-`; spaces around it are dropped.
//! - Every `-` reads as `.pre.` (`1.0.0-rc1` is `1.0.0.pre.rc1`).
//! - Segments are the runs of digits (numbers, of any size) and of letters (strings):
//!   `1.0.0.pre.rc1` is `1, 0, 0, "pre", "rc", 1`.
//! - A version holding a letter (or a `-`) is a prerelease.
//! - Before comparing, zeros are dropped at the end of the numeric segments that precede the
//!   first string, and at the end of the whole (`1.0.a` = `1.a`, `1.0` = `1`).
//! - Segments then compare in turn, a missing one counting as `0`: numbers numerically,
//!   strings byte by byte (so case-sensitively), and a string below a number
//!   (`1.0.0.pre1 < 1.0.0`, `1.0.a < 1.0`, `1.a < 1.0.1`).
//!
//! One leniency: letters may follow the first digits directly (`1beta`, which RubyGems itself
//! rejects and the peer fixtures order as `1.beta`). An empty version (which RubyGems reads
//! as `0`) is rejected.

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone)]
enum Seg {
    Num(Num),
    /// A run of letters: a byte range of the version text.
    Str(usize, usize),
    /// The `pre` that a `-` stands for.
    Pre,
}

impl Seg {
    fn is_zero(&self) -> bool {
        matches!(self, Seg::Num(n) if n.is_zero())
    }
}

/// A RubyGems version, ordered as `Gem::Version` orders it.
#[derive(Debug, Clone)]
pub struct GemVersion {
    text: Box<str>,
    /// The canonical segments (trailing zeros dropped as described above).
    segs: Vec<Seg>,
    major: Num,
    prerelease: bool,
}

/// RubyGems' version scheme (OSV ecosystem `RubyGems`).
#[derive(Debug, Clone, Copy, Default)]
pub struct RubyGemsScheme;

/// Ruby's `\s`.
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// Checks the text against RubyGems' version pattern (with the leniency above).
fn well_formed(text: &str) -> Result<(), &'static str> {
    let (head, tail) = match text.split_once('-') {
        Some((h, t)) => (h, Some(t)),
        None => (text, None),
    };
    if !head.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err("a version starts with a digit");
    }
    if !head
        .split('.')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return Err("expected letters or digits between dots");
    }
    if let Some(tail) = tail
        && !tail
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    {
        return Err("expected letters, digits or `-` between dots after `-`");
    }
    Ok(())
}

impl GemVersion {
    pub fn parse(input: &str) -> Result<GemVersion, VersionError> {
        let text = input.trim_matches(is_ruby_space);
        if text.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        well_formed(text).map_err(|why| VersionError::new(input, why))?;
        let bytes = text.as_bytes();
        let mut segs = Vec::with_capacity(6);
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            let c = bytes[i];
            if c.is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                // A non-empty run of ASCII digits always parses.
                segs.push(Seg::Num(Num::parse(&text[start..i]).unwrap_or(Num::ZERO)));
            } else if c.is_ascii_alphabetic() {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                segs.push(Seg::Str(start, i));
            } else {
                if c == b'-' {
                    segs.push(Seg::Pre);
                }
                i += 1;
            }
        }
        let major = match segs.first() {
            Some(Seg::Num(n)) => n.clone(),
            _ => Num::ZERO,
        };
        let prerelease = bytes.iter().any(|b| b.is_ascii_alphabetic() || *b == b'-');
        // Canonical form: drop the zeros that end the numeric part and the whole.
        let first_str = segs
            .iter()
            .position(|s| !matches!(s, Seg::Num(_)))
            .unwrap_or(segs.len());
        while segs.last().is_some_and(Seg::is_zero) {
            segs.pop();
        }
        if first_str < segs.len() {
            let mut k = first_str;
            while k > 0 && segs[k - 1].is_zero() {
                k -= 1;
            }
            segs.drain(k..first_str);
        }
        Ok(GemVersion {
            text: text.into(),
            segs,
            major,
            prerelease,
        })
    }

    /// The version as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn str_of(&self, seg: &Seg) -> &[u8] {
        match seg {
            Seg::Str(a, b) => &self.text.as_bytes()[*a..*b],
            _ => b"pre",
        }
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.segs.len().max(other.segs.len());
        for i in 0..n {
            let o = match (self.segs.get(i), other.segs.get(i)) {
                (Some(Seg::Num(a)), Some(Seg::Num(b))) => a.cmp(b),
                (Some(Seg::Num(a)), None) => a.cmp(&Num::ZERO),
                (None, Some(Seg::Num(b))) => Num::ZERO.cmp(b),
                (None, None) => Ordering::Equal,
                // A string is below a number (and below a missing segment, which is 0).
                (Some(Seg::Num(_)) | None, Some(_)) => Ordering::Greater,
                (Some(_), Some(Seg::Num(_)) | None) => Ordering::Less,
                (Some(a), Some(b)) => self.str_of(a).cmp(other.str_of(b)),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl fmt::Display for GemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Scheme for RubyGemsScheme {
    type V = GemVersion;

    fn parse(s: &str) -> Result<GemVersion, VersionError> {
        GemVersion::parse(s)
    }

    /// The first segment changes.
    fn is_breaking(from: &GemVersion, to: &GemVersion) -> bool {
        from.major != to.major
    }

    /// `Gem::Version#prerelease?`: the version holds a letter.
    fn is_prerelease(v: &GemVersion) -> bool {
        v.prerelease
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self as tu, Rng, assert_total_order};

    fn v(s: &str) -> GemVersion {
        RubyGemsScheme::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn assert_ascending(chain: &[&str]) {
        tu::assert_ascending(v, chain);
    }

    fn assert_all_equal(group: &[&str]) {
        tu::assert_all_equal(v, group);
    }

    // The peer fixture file is checked in tests/conformance.rs.

    /// The cases of RubyGems' own `Gem::Version#<=>` tests.
    #[test]
    fn rubygems_spaceship_cases() {
        assert_all_equal(&["1.0", "1.0.0", "1"]);
        assert_ascending(&["1.0.a", "1.0"]);
        assert_ascending(&["0.0.0", "1.8.2"]);
        assert_ascending(&["1.8.2.a", "1.8.2"]);
        assert_ascending(&["1.8.2.a", "1.8.2.b"]);
        assert_ascending(&["1.8.2.a9", "1.8.2.a10"]);
        assert_all_equal(&["0.beta.1", "0.0.beta.1"]);
        assert_ascending(&["0.0.beta", "0.0.beta.1"]);
        assert_ascending(&["0.0.beta", "0.beta.1"]);
        assert_ascending(&["5.a", "5.0.0.rc2"]);
        assert_ascending(&["5.0.0.rc2", "5.x"]);
        assert_all_equal(&["1.9.3", " 1.9.3 "]);
    }

    #[test]
    fn prerelease_ordering() {
        assert_ascending(&[
            "1.0.0.a",
            "1.0.0.alpha",
            "1.0.0.alpha.1",
            "1.0.0.b1",
            "1.0.0.beta",
            "1.0.0.beta.2",
            "1.0.0.beta.11",
            "1.0.0.pre",
            "1.0.0.pre1",
            "1.0.0.rc1",
            "1.0.0.rc2",
            "1.0.0",
            "1.0.1.rc1",
            "1.0.1",
            "1.1",
            "2",
        ]);
        assert_all_equal(&["1.0.0-rc1", "1.0.0.pre.rc1", "1.0.0.pre.rc.1"]);
        assert_ascending(&["1.0.0-rc1", "1.0.0.rc1"]);
        assert_all_equal(&["1.0.a", "1.a", "1.0.0.a.0", "1.a.0.0"]);
        assert_ascending(&["1.a", "1.0.1"]);
        assert_all_equal(&["1.0.a10", "1.0.a.10", "1.a10"]);
        assert_ascending(&["1.0.a.9", "1.0.a.10", "1.0.b.9"]);
        assert_ascending(&["1.a.1", "1.a.1.1", "1.a.2"]);
        assert_ascending(&["1.a.0.1", "1.a.1"]);
    }

    /// Strings compare byte by byte, so upper case sorts first.
    #[test]
    fn strings_are_case_sensitive() {
        assert_ascending(&["1.0.B", "1.0.a", "1.0.b"]);
        assert_ascending(&["1.0.RC1", "1.0.rc1"]);
        assert_ascending(&["1.0.a", "1.0.aa", "1.0.ab", "1.0.b"]);
    }

    #[test]
    fn numbers_of_any_size() {
        assert_ascending(&[
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999",
            "100000000000000000000000000000",
        ]);
        assert_all_equal(&["1.000000000000000000000000000001", "1.1", "01.01.0"]);
        assert_all_equal(&["0", "0.0", "00000000000000000000000000.0"]);
    }

    #[test]
    fn well_formedness() {
        for good in [
            "1",
            "1.0",
            " 1.0\t\n",
            "1.0.0-rc1",
            "1-2",
            "1--2",
            "1.0a",
            "1.0.0.pre.rc.1",
            "1-a-b.c-d",
            "1beta",
        ] {
            assert!(RubyGemsScheme::parse(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "  ",
            "junk",
            "v1.0",
            "1.0\n2.0",
            "1..2",
            "1.",
            ".1",
            "1.2 3.4",
            "1.0-",
            "1-.a",
            "1.0-a..b",
            "1.0_1",
            "1.0+abc",
            "1.0.é",
            "١.٢",
            "\u{a0}1.0",
            "2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.",
        ] {
            assert!(RubyGemsScheme::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(v("  1.0.0-rc1 ").to_string(), "1.0.0-rc1");
        assert_eq!(v("1.0.0-rc1").as_str(), "1.0.0-rc1");
    }

    #[test]
    fn prerelease_and_breaking() {
        for s in [
            "1.2.0.a",
            "2.9.b",
            "22.1.50.0.d",
            "1.2.d.42",
            "1.A",
            "1-1",
            "1-a",
            "1beta",
        ] {
            assert!(RubyGemsScheme::is_prerelease(&v(s)), "{s}");
        }
        for s in ["1.2.0", "2.9", "22.1.50.0", "0"] {
            assert!(!RubyGemsScheme::is_prerelease(&v(s)), "{s}");
        }
        let br = |a: &str, b: &str| RubyGemsScheme::is_breaking(&v(a), &v(b));
        assert!(br("1.9", "2.0"));
        assert!(br("0.9", "1.0.0.rc1"));
        assert!(br("3.0", "2.7"));
        assert!(!br("1.0", "1.99"));
        assert!(!br("1.0.a", "01.5"));
        assert!(!br("0.1", "0.2"));
    }

    /// The order is total: antisymmetric, transitive, and equal exactly when `==`.
    #[test]
    fn order_is_total_on_random_versions() {
        const PIECES: [&str; 12] = [
            "0", "1", "2", "10", "00", "a", "b", "pre", "rc", "A", "", "9",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut next = || rng.next();
        let mut vs = Vec::new();
        while vs.len() < 300 {
            let mut s = String::from(["0", "1", "2"][(next() % 3) as usize]);
            for _ in 0..next() % 6 {
                s.push(['.', '-', '.'][(next() % 3) as usize]);
                s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            if let Ok(x) = RubyGemsScheme::parse(&s) {
                vs.push(x);
            }
        }
        assert_total_order(&vs, &mut Rng(0x5EED), 200_000);
    }
}
