//! Shared types of ossgate. Every other crate depends on this one and on nothing above it.
//!
//! - [`Ecosystem`]: a package ecosystem as OSV names it, with its name-normalisation rules and
//!   its purl type.
//! - [`Component`]: one package found in a project, with where it came from.
//! - [`Finding`], [`Severity`], [`Kev`]: what a scan reports.

mod ecosystem;
mod finding;
pub mod osv;

pub use ecosystem::Ecosystem;
pub use finding::{Finding, Kev, Rating, Severity};

use serde::Serialize;

/// Where a component was declared: a file and, where the format lets us know it, a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// The dependency scope a lockfile gives a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Runtime,
    Dev,
    Optional,
    Test,
}

impl Scope {
    /// When one component is found under several scopes, the one that matters most wins:
    /// a package that is a runtime dependency anywhere ships in the product.
    pub fn widest(self, other: Scope) -> Scope {
        self.min(other)
    }
}

/// One package, at one version, found in a project.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub ecosystem: Ecosystem,
    /// The name as the lockfile spells it.
    pub name: String,
    pub version: String,
    /// `pkg:` URL with version.
    pub purl: String,
    pub locations: Vec<Location>,
    /// Declared by the project itself (rather than pulled in by another package).
    pub direct: bool,
    pub scope: Scope,
    /// purls of the components this one depends on, where the format records edges.
    pub dependencies: Vec<String>,
}

impl Component {
    /// Builds a component, deriving the purl from ecosystem, name and version.
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: impl Into<String>) -> Self {
        let name = name.into();
        let version = version.into();
        let purl = ecosystem.purl(&name, Some(&version));
        Component::with_purl(ecosystem, name, version, purl)
    }

    /// Builds a component whose purl the caller has already built with [`Ecosystem::purl`].
    pub fn with_purl(ecosystem: Ecosystem, name: String, version: String, purl: String) -> Self {
        Component {
            ecosystem,
            name,
            version,
            purl,
            locations: Vec::new(),
            direct: false,
            scope: Scope::Runtime,
            dependencies: Vec::new(),
        }
    }
}
