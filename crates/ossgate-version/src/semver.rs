//! SemVer 2.0.0 precedence (semver.org, section 11), as OSV's `SEMVER` range type and the
//! crates.io, npm, Go, Hex, Pub, SwiftURL and GitHub Actions ecosystems use it.
//!
//! Written by hand rather than with the `semver` crate: that crate's `Ord` compares build
//! metadata (precedence must ignore it), it limits numbers to 64 bits and it rejects the loose
//! spellings real advisories and tags carry. Leniencies, all documented here and matching
//! osv-scalibr's reading of the same data:
//! - a leading `v`, `V` or `=` is dropped;
//! - one or two numeric parts are padded with zeros (`1.2` reads as `1.2.0`);
//! - a fourth and later numeric part is build metadata (`1.1.3.4.5` = `1.1.3`);
//! - a pre-release may follow the numbers without `-` (`1.36.0rc1`);
//! - numbers have any size.

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone)]
pub struct SemVer {
    pub major: Num,
    pub minor: Num,
    pub patch: Num,
    pub pre: Vec<Ident>,
    pub build: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ident {
    Num(Num),
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

fn valid_ident(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl SemVer {
    pub fn parse(input: &str) -> Result<SemVer, VersionError> {
        let err = |why: &str| VersionError::new(input, why);
        let s = input.trim();
        let s = s.strip_prefix('=').unwrap_or(s).trim_start();
        let s = s
            .strip_prefix('v')
            .or_else(|| s.strip_prefix('V'))
            .unwrap_or(s);
        if s.is_empty() {
            return Err(err("empty version"));
        }
        let bytes = s.as_bytes();
        let mut nums: [Num; 3] = [Num::ZERO, Num::ZERO, Num::ZERO];
        let mut i = 0;
        let mut part = 0;
        let mut rest_is_build = false;
        loop {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            nums[part] = Num::parse(&s[start..i]).ok_or_else(|| err("expected a number"))?;
            part += 1;
            if i < bytes.len() && bytes[i] == b'.' {
                if part == 3 {
                    rest_is_build = true;
                    i += 1;
                    break;
                }
                i += 1;
                continue;
            }
            break;
        }
        let tail = &s[i..];
        let (pre, build) = if rest_is_build {
            ("", Some(tail))
        } else {
            let tail = tail.strip_prefix('-').unwrap_or(tail);
            match tail.split_once('+') {
                Some((p, b)) => (p, Some(b)),
                None => (tail, None),
            }
        };
        if i < bytes.len() && !rest_is_build && pre.is_empty() && build.is_none() {
            return Err(err("empty pre-release"));
        }
        if let Some(b) = build
            && (b.is_empty() || !b.split('.').all(valid_ident))
        {
            return Err(err("bad build metadata"));
        }
        let pre = if pre.is_empty() {
            if tail_has_dash_only(&s[i..]) {
                return Err(err("empty pre-release"));
            }
            Vec::new()
        } else {
            pre.split('.')
                .map(|id| {
                    if !valid_ident(id) {
                        Err(err("bad pre-release identifier"))
                    } else if let Some(n) = Num::parse(id) {
                        Ok(Ident::Num(n))
                    } else {
                        Ok(Ident::Alpha(id.into()))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let [major, minor, patch] = nums;
        Ok(SemVer {
            major,
            minor,
            patch,
            pre,
            build: build.map(Into::into),
        })
    }
}

/// `1.2.3-` and `1.2.3-+b`: a dash with nothing after it.
fn tail_has_dash_only(tail: &str) -> bool {
    tail == "-" || tail.starts_with("-+")
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.major, &self.minor, &self.patch)
            .cmp(&(&other.major, &other.minor, &other.patch))
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
            || (from.major.is_zero() && from.minor != to.minor)
            || (from.major.is_zero() && from.minor.is_zero() && from.patch != to.patch)
    }
    fn is_prerelease(v: &SemVer) -> bool {
        !v.pre.is_empty()
    }
}

/// Dart's pub versions (pub_semver): SemVer, except that build metadata orders too: after the
/// pre-release, a version without build metadata sorts before one with it, and build
/// identifiers compare like pre-release identifiers.
#[derive(Debug, Clone)]
pub struct PubVersion(pub SemVer);

impl PubVersion {
    fn build_idents(&self) -> Vec<Ident> {
        self.0
            .build
            .as_deref()
            .map(|b| {
                b.split('.')
                    .map(|id| Num::parse(id).map_or_else(|| Ident::Alpha(id.into()), Ident::Num))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .cmp(&other.0)
            .then_with(|| match (&self.0.build, &other.0.build) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(_), Some(_)) => self.build_idents().cmp(&other.build_idents()),
            })
    }
}
impl PartialOrd for PubVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for PubVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for PubVersion {}
impl fmt::Display for PubVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

pub struct PubScheme;

impl Scheme for PubScheme {
    type V = PubVersion;
    fn parse(s: &str) -> Result<PubVersion, VersionError> {
        SemVer::parse(s).map(PubVersion)
    }
    fn is_breaking(from: &PubVersion, to: &PubVersion) -> bool {
        SemVerScheme::is_breaking(&from.0, &to.0)
    }
    fn is_prerelease(v: &PubVersion) -> bool {
        SemVerScheme::is_prerelease(&v.0)
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
        assert_eq!(v("0.0.0-0").pre, vec![Ident::Num(Num::ZERO)]);
        assert_eq!(v("1.1.3.4.5"), v("1.1.3"));
        assert!(v("1.36.0rc1") < v("1.36.0"));
        assert!(v("1.36.0rc1") > v("1.35.0"));
        assert!(v("999999999999999999999999999991") < v("999999999999999999999999999999"));
        assert!(v("0.0.0-0") < v("0.0.0"));
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "a.b.c",
            "1.2.3-",
            "1.2.3+",
            "1..2",
            "1.2.3-a..b",
            "1.x",
            "v",
            "1.2.3-+b",
            "1.2.3.",
            "-1",
        ] {
            assert!(SemVer::parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn go_module_versions() {
        // Pseudo-versions are pre-releases of the next patch; +incompatible is build metadata.
        assert!(v("v0.0.0-20210101000000-abcdef123456") < v("v0.0.1"));
        assert!(v("v1.2.4-0.20210101000000-abcdef123456") > v("v1.2.3"));
        assert!(v("v1.2.4-0.20210101000000-abcdef123456") < v("v1.2.4"));
        assert!(v("v1.2.3-pre.0.20210101000000-abcdef123456") > v("v1.2.3-pre"));
        assert_eq!(v("v2.0.0+incompatible"), v("2.0.0"));
    }

    #[test]
    fn pub_orders_build_metadata() {
        let p = |s| PubScheme::parse(s).unwrap();
        assert!(p("1.0.0") < p("1.0.0+1"));
        assert!(p("1.0.0+1") < p("1.0.0+2"));
        assert!(p("1.0.0+2") < p("1.0.0+a"));
        assert!(p("1.0.0-beta+9") < p("1.0.0"));
        assert_eq!(p("1.0.0+x"), p("1.0.0+x"));
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
