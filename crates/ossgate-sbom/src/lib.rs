//! SBOM output: an inventory written as CycloneDX (1.4–1.7, JSON or XML) or SPDX 2.3 (JSON or
//! tag-value).
//!
//! The official Rust models stop at CycloneDX 1.5 and SPDX 2.x and none writes SPDX tag-value,
//! so the documents are built here directly from the [`Component`] model, and checked against
//! the official schemas in the tests (`tests/schemas.rs`).
//!
//! Every component is identified by its purl (the inventory de-duplicates by purl), which is
//! also its CycloneDX `bom-ref`; the SPDX ids are derived from it. The subject of the document
//! (the project or product release) is the root: it depends on the direct components, and each
//! component on the components its lockfile records as its dependencies.

pub mod completeness;
mod cyclonedx;
pub mod diff;
mod ids;
mod license;
pub mod read;
mod schema;
mod spdx_doc;

pub use ids::{content_uuid, timestamp};
pub use license::{LicenseForm, classify};
pub use schema::{Schema, SchemaError, validate};

use ossgate_model::Component;
use std::fmt;

/// The SBOM formats ossgate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "cyclonedx-json" | "cyclonedx" | "cdx" => Some(Format::CycloneDxJson),
            "cyclonedx-xml" => Some(Format::CycloneDxXml),
            "spdx-json" | "spdx" => Some(Format::SpdxJson),
            "spdx-tag-value" | "spdx-tv" => Some(Format::SpdxTagValue),
            _ => None,
        }
    }
}

/// CycloneDX specification versions ossgate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CdxVersion {
    V1_4,
    V1_5,
    V1_6,
    V1_7,
}

impl CdxVersion {
    pub fn parse(s: &str) -> Option<CdxVersion> {
        match s {
            "1.4" => Some(CdxVersion::V1_4),
            "1.5" => Some(CdxVersion::V1_5),
            "1.6" => Some(CdxVersion::V1_6),
            "1.7" => Some(CdxVersion::V1_7),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CdxVersion::V1_4 => "1.4",
            CdxVersion::V1_5 => "1.5",
            CdxVersion::V1_6 => "1.6",
            CdxVersion::V1_7 => "1.7",
        }
    }
}

impl fmt::Display for CdxVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the document describes.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The project or product name (by default the scanned directory's name).
    pub name: String,
    /// The release, when known.
    pub version: Option<String>,
    /// The product's purl, when the user gives one.
    pub purl: Option<String>,
}

/// Document-level metadata.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub format: Format,
    /// CycloneDX version (ignored for SPDX, which is always 2.3).
    pub cdx_version: CdxVersion,
    /// Byte-identical output for identical input: a fixed timestamp (`SOURCE_DATE_EPOCH`, or
    /// the Unix epoch) and a serial number / namespace derived from the content.
    pub reproducible: bool,
    /// The author (a person or organisation) named in the document.
    pub author: Option<String>,
    /// The supplier of the product, when given.
    pub supplier: Option<String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            format: Format::CycloneDxJson,
            cdx_version: CdxVersion::V1_6,
            reproducible: false,
            author: None,
            supplier: None,
        }
    }
}

/// Errors writing an SBOM.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Writes `components` (an inventory, de-duplicated by purl) as an SBOM about `subject`.
pub fn write(
    subject: &Subject,
    components: &[Component],
    opts: &WriteOptions,
) -> Result<String, Error> {
    let doc = Doc::new(subject, components);
    match opts.format {
        Format::CycloneDxJson => cyclonedx::json(&doc, opts),
        Format::CycloneDxXml => cyclonedx::xml(&doc, opts),
        Format::SpdxJson => spdx_doc::json(&doc, opts),
        Format::SpdxTagValue => spdx_doc::tag_value(&doc, opts),
    }
}

/// The components sorted by purl, with their edges limited to components in the document, and
/// the root's edges (the direct components).
pub(crate) struct Doc<'a> {
    pub subject: &'a Subject,
    pub components: Vec<&'a Component>,
    /// Per component (same order): indexes of the components it depends on.
    pub edges: Vec<Vec<usize>>,
    /// Indexes of the direct components.
    pub direct: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(subject: &'a Subject, components: &'a [Component]) -> Doc<'a> {
        let mut list: Vec<&Component> = components.iter().collect();
        list.sort_by(|a, b| a.purl.cmp(&b.purl));
        list.dedup_by(|a, b| a.purl == b.purl);
        let index: std::collections::HashMap<&str, usize> = list
            .iter()
            .enumerate()
            .map(|(i, c)| (c.purl.as_str(), i))
            .collect();
        let edges = list
            .iter()
            .map(|c| {
                let mut e: Vec<usize> = c
                    .dependencies
                    .iter()
                    .filter_map(|d| index.get(d.as_str()).copied())
                    .collect();
                e.sort_unstable();
                e.dedup();
                e
            })
            .collect();
        let mut direct: Vec<usize> = (0..list.len()).filter(|&i| list[i].direct).collect();
        if direct.is_empty() {
            // A format without direct/transitive information: the root depends on every
            // component no other component depends on, so the graph stays connected.
            let mut has_parent = vec![false; list.len()];
            for e in &edges {
                for &j in e {
                    has_parent[j] = true;
                }
            }
            direct = (0..list.len()).filter(|&i| !has_parent[i]).collect();
        }
        Doc {
            subject,
            components: list,
            edges,
            direct,
        }
    }

    /// A stable digest of the content, for reproducible serial numbers.
    pub fn content_key(&self) -> String {
        let mut key = format!(
            "{}\n{}\n{}\n",
            self.subject.name,
            self.subject.version.as_deref().unwrap_or(""),
            self.subject.purl.as_deref().unwrap_or("")
        );
        for (c, e) in self.components.iter().zip(&self.edges) {
            key.push_str(&c.purl);
            for h in &c.hashes {
                key.push(' ');
                key.push_str(&h.value);
            }
            for l in &c.licenses {
                key.push(' ');
                key.push_str(l);
            }
            for j in e {
                key.push_str(&format!(" >{j}"));
            }
            key.push('\n');
        }
        key
    }
}

/// The parts of a purl the SBOM formats show separately.
pub(crate) struct PurlParts {
    pub namespace: Option<String>,
    pub name: String,
}

pub(crate) fn purl_parts(c: &Component) -> PurlParts {
    use std::str::FromStr;
    match packageurl::PackageUrl::from_str(&c.purl) {
        Ok(p) => PurlParts {
            namespace: p.namespace().map(str::to_string),
            name: p.name().to_string(),
        },
        Err(_) => PurlParts {
            namespace: None,
            name: c.name.clone(),
        },
    }
}
