use crate::{Ecosystem, Location, Scope};
use serde::Serialize;

/// Qualitative severity rating, CVSS v3/v4 style. `Unknown` when an advisory gives no severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    /// The CVSS v3.x / v4.0 qualitative scale.
    pub fn from_score(score: f64) -> Rating {
        if score <= 0.0 {
            Rating::None
        } else if score < 4.0 {
            Rating::Low
        } else if score < 7.0 {
            Rating::Medium
        } else if score < 9.0 {
            Rating::High
        } else {
            Rating::Critical
        }
    }

    /// Reads the words databases put in `database_specific.severity` (GHSA: MODERATE).
    pub fn from_word(word: &str) -> Option<Rating> {
        match word.trim().to_ascii_lowercase().as_str() {
            "critical" => Some(Rating::Critical),
            "high" | "important" => Some(Rating::High),
            "medium" | "moderate" => Some(Rating::Medium),
            "low" => Some(Rating::Low),
            "none" | "negligible" => Some(Rating::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Unknown => "unknown",
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }
}

/// The severity of a finding: the rating, and the CVSS score and vector it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Severity {
    pub rating: Rating,
    /// Base score computed from `vector`; absent when the rating came from a word or is unknown.
    pub score: Option<f64>,
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or `database_specific` for a word-only rating.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub vector: Option<String>,
}

impl Severity {
    pub fn unknown() -> Severity {
        Severity {
            rating: Rating::Unknown,
            score: None,
            kind: None,
            vector: None,
        }
    }

    /// Orders severities for "the worst of": rating first, then score.
    pub fn rank(&self) -> (Rating, i64) {
        (
            self.rating,
            self.score.map(|s| (s * 10.0).round() as i64).unwrap_or(-1),
        )
    }
}

/// An entry of CISA's known-exploited-vulnerabilities catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kev {
    pub cve: String,
    pub date_added: String,
    pub due_date: Option<String>,
    pub known_ransomware_campaign_use: Option<String>,
}

/// One vulnerability in one component. Advisories that alias each other are one finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The OSV id of the advisory that stands for the group.
    pub id: String,
    /// Every other id the group is known by (OSV records matched, and their aliases).
    pub aliases: Vec<String>,
    /// OSV ids of the stored records that matched (including `id`).
    pub records: Vec<String>,
    pub summary: Option<String>,
    pub purl: String,
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub severity: Severity,
    /// The CISA KEV entry, when one of the CVE ids is in the catalogue.
    pub kev: Option<Kev>,
    /// Every `fixed` version named by the matched ranges, in version order.
    pub fixed_versions: Vec<String>,
    /// The nearest version above the installed one that none of the matched records affects.
    pub upgrade_to: Option<String>,
    /// Whether `upgrade_to` crosses a major version (a likely breaking change).
    pub breaking_upgrade: Option<bool>,
    /// RustSec's informational kind (`unmaintained`, `unsound`, `notice`) when the advisory is one.
    pub informational: Option<String>,
    pub direct: bool,
    pub scope: Scope,
    /// The files the component came from.
    pub sources: Vec<Location>,
    /// How the match was decided, e.g. `range SEMVER introduced 0.0.0-0, fixed 0.4.4`.
    pub matched_by: String,
}
