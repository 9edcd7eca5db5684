//! Versions that are plain lists of numbers, ordered element by element with a shorter list
//! first when it is a prefix of the longer:
//! - Hackage (Haskell PVP, `Data.Version`): `1.0 < 1.0.0 < 1.0.0.1`, separators `.` only;
//! - CRAN (R's `package_version`): separators `.` or `-` (`1.2-3` = `1.2.3`).

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::fmt;

#[derive(Debug, Clone)]
pub struct Dotted {
    parts: Vec<Num>,
    text: Box<str>,
}

impl Ord for Dotted {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts.cmp(&other.parts)
    }
}
impl PartialOrd for Dotted {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Dotted {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}
impl Eq for Dotted {}

impl fmt::Display for Dotted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn parse(input: &str, seps: &[char]) -> Result<Dotted, VersionError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(VersionError::new(input, "empty version"));
    }
    let parts = s
        .split(seps)
        .map(|p| {
            Num::parse(p)
                .ok_or_else(|| VersionError::new(input, "expected numbers separated by dots"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Dotted {
        parts,
        text: s.into(),
    })
}

pub struct HackageScheme;

impl Scheme for HackageScheme {
    type V = Dotted;
    fn parse(s: &str) -> Result<Dotted, VersionError> {
        parse(s, &['.'])
    }
    /// The PVP's major version is the first two numbers.
    fn is_breaking(from: &Dotted, to: &Dotted) -> bool {
        from.parts.iter().take(2).ne(to.parts.iter().take(2))
    }
    fn is_prerelease(_: &Dotted) -> bool {
        false
    }
}

pub struct CranScheme;

impl Scheme for CranScheme {
    type V = Dotted;
    fn parse(s: &str) -> Result<Dotted, VersionError> {
        parse(s, &['.', '-'])
    }
    fn is_breaking(from: &Dotted, to: &Dotted) -> bool {
        from.parts.first() != to.parts.first()
    }
    fn is_prerelease(_: &Dotted) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hackage_order() {
        let v = |s| HackageScheme::parse(s).unwrap();
        assert!(v("1.0") < v("1.0.0"));
        assert!(v("1.0.0") < v("1.0.0.1"));
        assert!(v("0.9.10") > v("0.9.9"));
        assert!(v("2") > v("1.99.99"));
        assert!(HackageScheme::parse("1.0-a").is_err());
        assert!(HackageScheme::parse("").is_err());
        assert!(HackageScheme::is_breaking(&v("1.2.3"), &v("1.3.0")));
        assert!(!HackageScheme::is_breaking(&v("1.2.3"), &v("1.2.9")));
    }

    #[test]
    fn cran_order() {
        let v = |s| CranScheme::parse(s).unwrap();
        assert_eq!(v("1.2-3").cmp(&v("1.2.3")), std::cmp::Ordering::Equal);
        assert!(v("1.2-10") > v("1.2-9"));
        assert!(v("0.99") < v("1.0"));
        assert!(CranScheme::parse("1.0a").is_err());
    }
}
