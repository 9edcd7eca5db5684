//! PEP 440 (PyPI) ordering, on top of `pep440_rs`, which implements the specification's
//! normalisation and ordering (epochs, pre/post/dev releases, local versions).

use crate::{Scheme, VersionError};
use std::str::FromStr;

pub struct Pep440Scheme;

impl Scheme for Pep440Scheme {
    type V = pep440_rs::Version;

    fn parse(s: &str) -> Result<Self::V, VersionError> {
        pep440_rs::Version::from_str(s.trim()).map_err(|e| VersionError::new(s, e.to_string()))
    }

    /// A change of epoch or of the first release segment.
    fn is_breaking(from: &Self::V, to: &Self::V) -> bool {
        from.epoch() != to.epoch() || from.release().first() != to.release().first()
    }

    fn is_prerelease(v: &Self::V) -> bool {
        v.any_prerelease()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> pep440_rs::Version {
        Pep440Scheme::parse(s).unwrap()
    }

    #[test]
    fn pep440_order() {
        let chain = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
    }

    #[test]
    fn normalised_spellings_are_equal() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0RC1"), v("1.0rc1"));
        assert_eq!(v("1.0-post1"), v("1.0.post1"));
        assert!(Pep440Scheme::parse("not a version").is_err());
    }

    #[test]
    fn breaking_rule() {
        assert!(Pep440Scheme::is_breaking(&v("2.11.3"), &v("3.1.3")));
        assert!(!Pep440Scheme::is_breaking(&v("2.10"), &v("2.11.3")));
        assert!(Pep440Scheme::is_breaking(&v("2.0"), &v("1!2.1")));
    }
}
