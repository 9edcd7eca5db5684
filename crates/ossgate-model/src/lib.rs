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

/// A hash algorithm a lockfile or SBOM records for a package archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HashAlg {
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "SHA-1")]
    Sha1,
    #[serde(rename = "SHA-256")]
    Sha256,
    #[serde(rename = "SHA-384")]
    Sha384,
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl HashAlg {
    /// CycloneDX's name (`SHA-256`), also used in ossgate's JSON.
    pub fn cyclonedx(self) -> &'static str {
        match self {
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// SPDX 2.x's name (`SHA256`).
    pub fn spdx(self) -> &'static str {
        match self {
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA1",
            HashAlg::Sha256 => "SHA256",
            HashAlg::Sha384 => "SHA384",
            HashAlg::Sha512 => "SHA512",
        }
    }

    /// Parses CycloneDX, SPDX, SRI (`sha512`) and lockfile spellings.
    pub fn parse(s: &str) -> Option<HashAlg> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "md5" => Some(HashAlg::Md5),
            "sha1" => Some(HashAlg::Sha1),
            "sha256" => Some(HashAlg::Sha256),
            "sha384" => Some(HashAlg::Sha384),
            "sha512" => Some(HashAlg::Sha512),
            _ => None,
        }
    }

    /// Length of the digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlg::Md5 => 16,
            HashAlg::Sha1 => 20,
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }
}

/// A digest of a package archive: algorithm and lower-case hex value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Hash {
    pub alg: HashAlg,
    pub value: String,
}

impl Hash {
    /// A hash from a hex digest; `None` when the value is not hex of the algorithm's length.
    pub fn from_hex(alg: HashAlg, hex: &str) -> Option<Hash> {
        let ok = hex.len() == alg.digest_len() * 2 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| Hash {
            alg,
            value: hex.to_ascii_lowercase(),
        })
    }

    /// A hash from raw digest bytes.
    pub fn from_bytes(alg: HashAlg, bytes: &[u8]) -> Option<Hash> {
        if bytes.len() != alg.digest_len() {
            return None;
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut value = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            value.push(HEX[usize::from(b >> 4)] as char);
            value.push(HEX[usize::from(b & 15)] as char);
        }
        Some(Hash { alg, value })
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
    /// Digests of the package archive, where the lockfile records them (integrity, checksum).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    /// Declared licences as SPDX expressions, where the source says (SBOMs, some lockfiles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
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
            hashes: Vec::new(),
            licenses: Vec::new(),
        }
    }
}
