//! Property tests: every scheme is a total order on generated versions (antisymmetric,
//! transitive, equality consistent with the order), and versions with a canonical form survive
//! a display/parse round trip.

use ossgate_version::{Scheme, SchemeKind, dispatch};
use proptest::prelude::*;
use std::cmp::Ordering;

/// Checks the order laws on three version strings of one scheme (skipping strings the scheme
/// rejects).
fn order_laws(kind: SchemeKind, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    dispatch!(kind, S => {
        let (Ok(x), Ok(y), Ok(z)) = (S::parse(a), S::parse(b), S::parse(c)) else {
            return Ok(());
        };
        prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse(), "antisymmetry {} {}", a, b);
        prop_assert_eq!(x.cmp(&x), Ordering::Equal, "reflexive {}", a);
        prop_assert_eq!(x == y, x.cmp(&y) == Ordering::Equal, "eq consistent {} {}", a, b);
        if x <= y && y <= z {
            prop_assert!(x <= z, "transitivity {} <= {} <= {}", a, b, c);
        }
        if x >= y && y >= z {
            prop_assert!(x >= z, "transitivity {} >= {} >= {}", a, b, c);
        }
        Ok(())
    })
}

fn semver_str() -> impl Strategy<Value = String> {
    "v?[0-9]{1,3}(\\.[0-9]{1,3}){0,2}(-(alpha|beta|rc|[0-9]{1,2}|[a-z]{1,3})(\\.(alpha|[0-9]{1,2})){0,2})?(\\+[a-z0-9]{1,4})?"
}

fn pep440_str() -> impl Strategy<Value = String> {
    "([0-9]!)?[0-9]{1,3}(\\.[0-9]{1,2}){0,3}((a|b|rc|alpha|c|pre)[0-9]{0,2})?(\\.post[0-9]{1,2}|-[0-9])?(\\.dev[0-9]{0,2})?(\\+[a-z0-9]{1,3}(\\.[a-z0-9]{1,3}){0,2})?"
}

fn pypi_any_str() -> impl Strategy<Value = String> {
    // PEP 440 and legacy strings mixed.
    prop_oneof![
        pep440_str(),
        "[0-9]{1,2}(\\.[0-9a-z]{1,4}){0,3}(-[a-z]{1,6})?"
    ]
}

fn composer_str() -> impl Strategy<Value = String> {
    "v?[0-9]{1,2}(\\.[0-9]{1,2}){0,3}(-(alpha|beta|RC|rc|a|b|p|pl|patch|stable)[0-9]{0,2})?(-dev)?"
}

fn dotted_str() -> impl Strategy<Value = String> {
    "[0-9]{1,3}([.-][0-9]{1,3}){0,4}"
}

macro_rules! laws {
    ($name:ident, $kind:expr, $gen:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn $name(a in $gen, b in $gen, c in $gen) {
                order_laws($kind, &a, &b, &c)?;
            }
        }
    };
}

fn debian_str() -> impl Strategy<Value = String> {
    "([0-9]:)?[0-9]{1,2}(\\.[0-9a-z~+]{1,3}){0,3}(-[0-9a-z.+~]{1,6})?"
}

fn rpm_str() -> impl Strategy<Value = String> {
    "([0-9]:)?[0-9]{1,2}(\\.[0-9a-z~^]{1,3}){0,3}(-[0-9a-z.~^_]{1,6})?"
}

fn apk_str() -> impl Strategy<Value = String> {
    "[0-9]{1,2}(\\.[0-9]{1,2}){0,3}[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,2}){0,2}(-r[0-9]{1,2})?"
}

fn maven_str() -> impl Strategy<Value = String> {
    "[0-9]{1,2}([.-]([0-9]{1,2}|alpha|beta|rc|cr|m|ga|final|sp|snapshot|release|[a-z]{1,3})){0,4}"
}

fn nuget_str() -> impl Strategy<Value = String> {
    "[0-9]{1,2}(\\.[0-9]{1,2}){1,3}(-[a-zA-Z0-9]{1,4}(\\.[a-zA-Z0-9]{1,3}){0,2})?(\\+[a-z0-9]{1,3})?"
}

fn gem_str() -> impl Strategy<Value = String> {
    "[0-9]{1,2}(\\.([0-9]{1,2}|[a-z]{1,4}[0-9]?)){0,4}"
}

laws!(maven_is_a_total_order, SchemeKind::Maven, maven_str());
laws!(nuget_is_a_total_order, SchemeKind::NuGet, nuget_str());
laws!(rubygems_is_a_total_order, SchemeKind::RubyGems, gem_str());
fn conan_str() -> impl Strategy<Value = String> {
    "([0-9]{1,3}|cci)(\\.([0-9]{1,3}|[0-9][a-z]|[a-z]{1,3})){0,3}(-[a-z0-9]{1,4}(\\.[0-9a-z]{1,2})?)?(\\+[0-9a-z]{1,3})?"
}

laws!(conan_is_a_total_order, SchemeKind::Conan, conan_str());
laws!(debian_is_a_total_order, SchemeKind::Debian, debian_str());
laws!(rpm_is_a_total_order, SchemeKind::Rpm, rpm_str());
laws!(alpine_is_a_total_order, SchemeKind::Alpine, apk_str());
laws!(semver_is_a_total_order, SchemeKind::SemVer, semver_str());
laws!(pub_is_a_total_order, SchemeKind::Pub, semver_str());
laws!(pep440_is_a_total_order, SchemeKind::Pep440, pypi_any_str());
laws!(
    packagist_is_a_total_order,
    SchemeKind::Packagist,
    composer_str()
);
laws!(hackage_is_a_total_order, SchemeKind::Hackage, dotted_str());
laws!(cran_is_a_total_order, SchemeKind::Cran, dotted_str());

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// SemVer prints canonically: parse(display(v)) == v, and printing is stable.
    #[test]
    fn semver_round_trip(s in semver_str()) {
        use ossgate_version::semver::SemVerScheme as S;
        if let Ok(v) = S::parse(&s) {
            let shown = v.to_string();
            let back = S::parse(&shown).unwrap();
            prop_assert_eq!(&back, &v);
            prop_assert_eq!(back.to_string(), shown);
        }
    }

    /// PEP 440 versions print in normal form: parsing it gives the same version and the same text.
    #[test]
    fn pep440_round_trip(s in pep440_str()) {
        use ossgate_version::pep440::Pep440Scheme as S;
        let v = S::parse(&s).unwrap();
        prop_assert!(!v.is_legacy(), "{} should be PEP 440", s);
        let shown = v.to_string();
        let back = S::parse(&shown).unwrap();
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(back.to_string(), shown);
    }

    /// No input makes a parser panic.
    #[test]
    fn parsers_never_panic(s in "\\PC{0,24}") {
        for kind in [SchemeKind::SemVer, SchemeKind::Pep440, SchemeKind::Pub, SchemeKind::Packagist,
                     SchemeKind::Hackage, SchemeKind::Cran, SchemeKind::Debian, SchemeKind::Rpm,
                     SchemeKind::Alpine, SchemeKind::Maven, SchemeKind::NuGet, SchemeKind::RubyGems, SchemeKind::Conan] {
            let _ = ossgate_version::compare(kind, &s, "1.0.0");
        }
    }
}
