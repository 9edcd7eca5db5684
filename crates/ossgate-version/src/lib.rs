//! Version ordering per ecosystem and OSV range evaluation.
//!
//! Each ecosystem's ordering is one module implementing [`Scheme`]; [`for_ecosystem`] maps an
//! ecosystem to its scheme. To add an ecosystem: write a module with a `Scheme` impl and add
//! one arm to the `dispatch!` macro below.
//!
//! Range evaluation ([`evaluate`]) follows the OSV schema's "Evaluation" pseudocode exactly:
//! a version is affected by an `affected[]` entry when it is listed in `versions` or included
//! in one of its `SEMVER`/`ECOSYSTEM` ranges. `GIT` ranges cannot be evaluated without the
//! repository's commit graph and are never guessed at.

pub mod alpine;
pub mod conan;
pub mod debian;
pub mod dotted;
pub mod maven;
pub mod nuget;
pub mod num;
pub mod packagist;
pub mod pep440;
pub mod range;
pub mod rpm;
pub mod rubygems;
pub mod semver;
#[cfg(test)]
mod testutil;

use ossgate_model::Ecosystem;
use std::fmt;

pub use range::{Decision, evaluate, evaluate_with};

/// A version could not be read under an ecosystem's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse version `{version}`: {reason}")]
pub struct VersionError {
    pub version: String,
    pub reason: String,
}

impl VersionError {
    pub fn new(version: &str, reason: impl Into<String>) -> Self {
        VersionError {
            version: version.to_string(),
            reason: reason.into(),
        }
    }
}

/// One ecosystem's version syntax and ordering.
pub trait Scheme {
    type V: Ord + fmt::Display;
    fn parse(s: &str) -> Result<Self::V, VersionError>;
    /// Whether moving from `from` to `to` crosses the ecosystem's compatibility boundary.
    fn is_breaking(from: &Self::V, to: &Self::V) -> bool;
    /// Whether a version is a pre-release (not offered as an upgrade when a release fixes too).
    fn is_prerelease(v: &Self::V) -> bool;
}

/// The scheme of an ecosystem, when ossgate can order its versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    SemVer,
    Pep440,
    Pub,
    Packagist,
    Hackage,
    Cran,
    Debian,
    Rpm,
    Alpine,
    Maven,
    NuGet,
    RubyGems,
    Conan,
}

/// The OSV ecosystems whose versions ossgate orders, and the scheme of each.
pub const ECOSYSTEMS: &[(&str, SchemeKind)] = &[
    ("crates.io", SchemeKind::SemVer),
    ("npm", SchemeKind::SemVer),
    ("Go", SchemeKind::SemVer),
    ("Hex", SchemeKind::SemVer),
    ("SwiftURL", SchemeKind::SemVer),
    ("GitHub Actions", SchemeKind::SemVer),
    ("Julia", SchemeKind::SemVer),
    ("PyPI", SchemeKind::Pep440),
    ("Pub", SchemeKind::Pub),
    ("Packagist", SchemeKind::Packagist),
    ("Hackage", SchemeKind::Hackage),
    ("GHC", SchemeKind::Hackage),
    ("CRAN", SchemeKind::Cran),
    ("Maven", SchemeKind::Maven),
    ("NuGet", SchemeKind::NuGet),
    ("RubyGems", SchemeKind::RubyGems),
    ("Debian", SchemeKind::Debian),
    ("Ubuntu", SchemeKind::Debian),
    ("Alpine", SchemeKind::Alpine),
    ("Wolfi", SchemeKind::Alpine),
    ("Chainguard", SchemeKind::Alpine),
    ("Red Hat", SchemeKind::Rpm),
    ("Rocky Linux", SchemeKind::Rpm),
    ("AlmaLinux", SchemeKind::Rpm),
    ("SUSE", SchemeKind::Rpm),
    ("openSUSE", SchemeKind::Rpm),
    ("Mageia", SchemeKind::Rpm),
    ("openEuler", SchemeKind::Rpm),
    ("Photon OS", SchemeKind::Rpm),
    ("ConanCenter", SchemeKind::Conan),
];

/// The names of [`ECOSYSTEMS`], for messages.
pub fn supported() -> Vec<&'static str> {
    ECOSYSTEMS.iter().map(|(n, _)| *n).collect()
}

/// Which scheme orders an ecosystem's `ECOSYSTEM` ranges; `None` when not (yet) supported.
pub fn for_ecosystem(eco: &Ecosystem) -> Option<SchemeKind> {
    let name = eco.as_str();
    ECOSYSTEMS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// Runs `$body` with `$S` bound to the scheme type of `$kind`.
#[macro_export]
macro_rules! dispatch {
    ($kind:expr, $S:ident => $body:expr) => {
        match $kind {
            $crate::SchemeKind::SemVer => {
                type $S = $crate::semver::SemVerScheme;
                $body
            }
            $crate::SchemeKind::Pep440 => {
                type $S = $crate::pep440::Pep440Scheme;
                $body
            }
            $crate::SchemeKind::Pub => {
                type $S = $crate::semver::PubScheme;
                $body
            }
            $crate::SchemeKind::Packagist => {
                type $S = $crate::packagist::PackagistScheme;
                $body
            }
            $crate::SchemeKind::Hackage => {
                type $S = $crate::dotted::HackageScheme;
                $body
            }
            $crate::SchemeKind::Cran => {
                type $S = $crate::dotted::CranScheme;
                $body
            }
            $crate::SchemeKind::Debian => {
                type $S = $crate::debian::DebianScheme;
                $body
            }
            $crate::SchemeKind::Rpm => {
                type $S = $crate::rpm::RpmScheme;
                $body
            }
            $crate::SchemeKind::Alpine => {
                type $S = $crate::alpine::AlpineScheme;
                $body
            }
            $crate::SchemeKind::Maven => {
                type $S = $crate::maven::MavenScheme;
                $body
            }
            $crate::SchemeKind::NuGet => {
                type $S = $crate::nuget::NuGetScheme;
                $body
            }
            $crate::SchemeKind::RubyGems => {
                type $S = $crate::rubygems::RubyGemsScheme;
                $body
            }
            $crate::SchemeKind::Conan => {
                type $S = $crate::conan::ConanScheme;
                $body
            }
        }
    };
}

/// Compares two versions of an ecosystem.
pub fn compare(kind: SchemeKind, a: &str, b: &str) -> Result<std::cmp::Ordering, VersionError> {
    dispatch!(kind, S => Ok(S::parse(a)?.cmp(&S::parse(b)?)))
}

/// Whether an upgrade from `from` to `to` crosses a major version.
pub fn is_breaking(kind: SchemeKind, from: &str, to: &str) -> Result<bool, VersionError> {
    dispatch!(kind, S => Ok(S::is_breaking(&S::parse(from)?, &S::parse(to)?)))
}

/// Sorts version strings in the scheme's order; strings that do not parse go last, by text.
pub fn sort_versions(kind: SchemeKind, versions: &mut Vec<String>) {
    dispatch!(kind, S => {
        let mut keyed: Vec<(Option<<S as Scheme>::V>, String)> =
            versions.drain(..).map(|s| (S::parse(&s).ok(), s)).collect();
        keyed.sort_by(|(a, sa), (b, sb)| match (a, b) {
            (Some(a), Some(b)) => a.cmp(b).then_with(|| sa.cmp(sb)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => sa.cmp(sb),
        });
        keyed.dedup_by(|a, b| a.1 == b.1);
        versions.extend(keyed.into_iter().map(|(_, s)| s));
    })
}
