//! The statement model every reader produces and every writer consumes.

use jiff::Timestamp;
use serde::Serialize;
use std::fmt;

/// The four VEX statuses (OpenVEX and CSAF names; CycloneDX states map onto them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotAffected,
        Status::Affected,
        Status::Fixed,
        Status::UnderInvestigation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotAffected => "not_affected",
            Status::Affected => "affected",
            Status::Fixed => "fixed",
            Status::UnderInvestigation => "under_investigation",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether a finding with this status is left out of a scan's results: the product is not
    /// affected, or the vulnerability is fixed in it.
    pub fn suppresses(self) -> bool {
        matches!(self, Status::NotAffected | Status::Fixed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a product is not affected: the OpenVEX / CISA vocabulary, which CSAF 2.0 uses as flag
/// labels. CycloneDX's own justifications are mapped onto it (see [`crate::cyclonedx`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Justification; 5] = [
        Justification::ComponentNotPresent,
        Justification::VulnerableCodeNotPresent,
        Justification::VulnerableCodeNotInExecutePath,
        Justification::VulnerableCodeCannotBeControlledByAdversary,
        Justification::InlineMitigationsAlreadyExist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "component_not_present",
            Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Justification::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Justification::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    pub fn parse(s: &str) -> Option<Justification> {
        Justification::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One VEX statement: what one author says about one vulnerability in one product (optionally
/// narrowed to components inside it). A document's statement naming several products becomes
/// one `Statement` per product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The vulnerability's main id (CVE, GHSA, OSV id, ...).
    pub vulnerability: String,
    /// Other ids the vulnerability is known by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A description of the vulnerability, where the document gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The product: a purl (`pkg:`), a CPE (`cpe:`), or another identifier (a CycloneDX
    /// bom-ref, a CSAF product name) that only matches itself.
    pub product: String,
    /// Components inside `product` the statement is about; empty: the whole product.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subcomponents: Vec<String>,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<Justification>,
    /// Why the product is not affected (free text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    /// What to do about it (for `affected`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    /// How the status was determined (OpenVEX `status_notes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When the statement was made (the statement's own time, else its document's).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_time")]
    pub timestamp: Option<Timestamp>,
    /// Where the statement came from: a file path, `store`, or a URL.
    pub source: String,
}

fn ser_time<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&crate::format_time(*t)),
        None => s.serialize_none(),
    }
}

impl Statement {
    /// A statement with only the required parts set.
    pub fn new(
        vulnerability: impl Into<String>,
        product: impl Into<String>,
        status: Status,
    ) -> Statement {
        Statement {
            vulnerability: vulnerability.into(),
            aliases: Vec::new(),
            description: None,
            product: product.into(),
            subcomponents: Vec::new(),
            status,
            justification: None,
            impact_statement: None,
            action_statement: None,
            notes: None,
            author: None,
            timestamp: None,
            source: String::new(),
        }
    }

    /// The vulnerability's id and aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.vulnerability.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// What the statement is missing to be a complete VEX statement (`not_affected` needs a
    /// justification or an impact statement, `affected` an action statement), if anything.
    pub fn incomplete(&self) -> Option<&'static str> {
        match self.status {
            Status::NotAffected
                if self.justification.is_none() && self.impact_statement.is_none() =>
            {
                Some("a not_affected statement needs a justification or an impact statement")
            }
            Status::Affected if self.action_statement.is_none() => {
                Some("an affected statement needs an action statement")
            }
            _ => None,
        }
    }
}

/// The formats ossgate reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    OpenVex,
    CycloneDx,
    Csaf,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "openvex" => Some(Format::OpenVex),
            "cyclonedx" | "cdx" => Some(Format::CycloneDx),
            "csaf" => Some(Format::Csaf),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::OpenVex => "OpenVEX",
            Format::CycloneDx => "CycloneDX",
            Format::Csaf => "CSAF",
        }
    }
}

/// A document read: its statements and what was noticed but not fatal.
#[derive(Debug, Clone)]
pub struct Document {
    pub format: Format,
    /// The document's id (`@id`, serialNumber, tracking id).
    pub id: Option<String>,
    pub author: Option<String>,
    pub timestamp: Option<Timestamp>,
    pub statements: Vec<Statement>,
    /// Parts of the document that were read leniently or skipped, with their JSON paths.
    pub warnings: Vec<String>,
}

/// What a writer needs besides the statements.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The document's id; a content-derived one when `None`.
    pub id: Option<String>,
    pub author: String,
    pub timestamp: Timestamp,
    /// The product release the document describes (CycloneDX `metadata.component`).
    pub product: Option<String>,
    /// CSAF `publisher.namespace`: a URL the author controls.
    pub namespace: String,
    /// A title (CSAF requires one).
    pub title: Option<String>,
}

impl WriteOptions {
    pub fn new(author: impl Into<String>, timestamp: Timestamp) -> WriteOptions {
        WriteOptions {
            id: None,
            author: author.into(),
            timestamp,
            product: None,
            namespace: "https://ossgate.invalid".into(),
            title: None,
        }
    }
}
