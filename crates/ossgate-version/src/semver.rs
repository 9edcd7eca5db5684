//! SemVer 2.0.0 precedence (semver.org, section 11), as OSV's `SEMVER` range type and the
//! crates.io and npm ecosystems use it.
//!
//! Written by hand rather than with the `semver` crate: that crate's `Ord` compares build
//! metadata (precedence must ignore it) and it rejects the slightly loose spellings real
//! advisories carry. Leniencies, all documented here: a leading `v` or `=` is dropped, and a
//! version with one or two numeric parts is padded with zeros (`1.2` reads as `1.2.0`), as
//! node-semver's loose mode and OSV.dev's own matcher do.

use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<Ident>,
    pub build: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ident {
    Num(u64),
    Alpha(Box<str>),
}

impl Ord for Ident {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Ident::Num(a), Ident::Num(b)) => a.cmp(b),
            // Numeric identifiers always have lower precedence than alphanumeric ones.
            (Ident::Num(_), Ident::Alpha(_)) => Ordering::Less,
            (Ident::Alpha(_), Ident::Num(_)) => Ordering::Greater,
            (Ident::Alpha(a), Ident::Alpha(b)) => a.as_bytes().cmp(b.as_bytes()),
        }
    }
}

impl PartialOrd for Ident {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn parse_num(part: &str, whole: &str) -> Result<u64, VersionError> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VersionError::new(
            whole,
            "expected a number in the version core",
        ));
    }
    part.parse::<u64>()
        .map_err(|_| VersionError::new(whole, "number too large"))
}

impl SemVer {
    pub fn parse(input: &str) -> Result<SemVer, VersionError> {
        let s = input.trim();
        let s = s.strip_prefix('=').unwrap_or(s).trim_start();
        let s = s
            .strip_prefix('v')
            .or_else(|| s.strip_prefix('V'))
            .unwrap_or(s);
        if s.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        let (rest, build) = match s.split_once('+') {
            Some((r, b)) => {
                if b.is_empty() || !b.split('.').all(valid_ident) {
                    return Err(VersionError::new(input, "bad build metadata"));
                }
                (r, Some(b.into()))
            }
            None => (s, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (rest, None),
        };
        let mut nums = core.split('.');
        let major = parse_num(nums.next().unwrap_or(""), input)?;
        let minor = nums.next().map(|p| parse_num(p, input)).transpose()?;
        let patch = nums.next().map(|p| parse_num(p, input)).transpose()?;
        if nums.next().is_some() {
            return Err(VersionError::new(input, "more than three numeric parts"));
        }
        let pre = match pre {
            None => Vec::new(),
            Some(p) => {
                if p.is_empty() {
                    return Err(VersionError::new(input, "empty pre-release"));
                }
                p.split('.')
                    .map(|id| {
                        if !valid_ident(id) {
                            Err(VersionError::new(input, "bad pre-release identifier"))
                        } else if id.bytes().all(|b| b.is_ascii_digit()) {
                            id.parse::<u64>()
                                .map(Ident::Num)
                                .map_err(|_| VersionError::new(input, "number too large"))
                        } else {
                            Ok(Ident::Alpha(id.into()))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        Ok(SemVer {
            major,
            minor: minor.unwrap_or(0),
            patch: patch.unwrap_or(0),
            pre,
            build,
        })
    }
}

fn valid_ident(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                // A pre-release has lower precedence than the release itself.
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Field by field; a shorter set is lower when all before it are equal
                // (exactly what slice ordering does).
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Equality is precedence equality: build metadata does not count.
impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for SemVer {}

impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            match id {
                Ident::Num(n) => write!(f, "{n}")?,
                Ident::Alpha(a) => f.write_str(a)?,
            }
        }
        if let Some(b) = &self.build {
            write!(f, "+{b}")?;
        }
        Ok(())
    }
}

/// The SemVer scheme (crates.io, npm, and every OSV `SEMVER` range).
pub struct SemVerScheme;

impl Scheme for SemVerScheme {
    type V = SemVer;
    fn parse(s: &str) -> Result<SemVer, VersionError> {
        SemVer::parse(s)
    }
    /// Cargo's and npm's caret rule: the left-most non-zero part is the compatibility boundary.
    fn is_breaking(from: &SemVer, to: &SemVer) -> bool {
        from.major != to.major
            || (from.major == 0 && from.minor != to.minor)
            || (from.major == 0 && from.minor == 0 && from.patch != to.patch)
    }
    fn is_prerelease(v: &SemVer) -> bool {
        !v.pre.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> SemVer {
        SemVer::parse(s).unwrap()
    }

    #[test]
    fn spec_example_order() {
        // The precedence chain given in semver.org section 11.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
            assert!(v(w[1]) > v(w[0]));
        }
    }

    #[test]
    fn build_metadata_is_ignored_for_precedence() {
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
        assert_eq!(
            v("1.0.0+20130313144700").to_string(),
            "1.0.0+20130313144700"
        );
    }

    #[test]
    fn loose_spellings() {
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("=1.2.3"), v("1.2.3"));
        assert_eq!(v("1.2"), v("1.2.0"));
        assert_eq!(v("0.0.0-0").pre, vec![Ident::Num(0)]);
        assert!(v("0.0.0-0") < v("0.0.0"));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "a.b.c",
            "1.2.3.4",
            "1.2.3-",
            "1.2.3+",
            "1..2",
            "1.2.3-a..b",
            "1.x",
        ] {
            assert!(SemVer::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn breaking_rule() {
        assert!(SemVerScheme::is_breaking(&v("1.9.0"), &v("2.0.0")));
        assert!(!SemVerScheme::is_breaking(&v("1.2.0"), &v("1.9.3")));
        assert!(SemVerScheme::is_breaking(&v("0.21.1"), &v("0.22.4")));
        assert!(!SemVerScheme::is_breaking(&v("0.21.1"), &v("0.21.11")));
        assert!(SemVerScheme::is_breaking(&v("0.0.3"), &v("0.0.4")));
    }
}
