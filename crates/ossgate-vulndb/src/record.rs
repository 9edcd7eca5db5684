//! From OSV JSON to a stored row: validation, the header a finding shows, and the per-package
//! rows the scan looks up.

use ossgate_model::osv::{OsvRecord, OsvSeverity};
use ossgate_model::{Ecosystem, Rating, Severity};
use ossgate_store::{AdvisoryRow, PackageRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The part of a record that a finding shows; stored beside the whole record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<OsvSeverity>,
    /// A qualitative word from `database_specific.severity` (GHSA's `MODERATE`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_word: Option<String>,
    /// RustSec's informational kind (`unmaintained`, `unsound`, `notice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informational: Option<String>,
    pub modified: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

/// Parses RFC 3339 `modified` into microseconds since the epoch. A time without an offset is
/// taken as UTC (some records omit the `Z`).
pub fn timestamp_us(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(ts.as_microsecond());
    }
    match t.parse::<jiff::civil::DateTime>() {
        Ok(dt) => dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_microsecond())
            .map_err(|e| e.to_string()),
        Err(_) => Err(format!("`{s}` is not an RFC 3339 date-time")),
    }
}

/// Reads one OSV record from JSON. Errors carry the JSON path of the offending field.
pub fn parse_record(bytes: Vec<u8>) -> Result<(OsvRecord, AdvisoryRow), String> {
    // The fast path parses plainly; only a failing record is parsed again to find the path.
    let rec: OsvRecord = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(_) => return Err(locate_error(&bytes)),
    };
    let raw = String::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let row = to_row(&rec, raw)?;
    Ok((rec, row))
}

fn locate_error(bytes: &[u8]) -> String {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, OsvRecord>(de) {
        Ok(_) => "invalid record".to_string(),
        Err(e) => {
            let path = e.path().to_string();
            if path == "." {
                e.into_inner().to_string()
            } else {
                format!("at {path}: {}", e.into_inner())
            }
        }
    }
}

/// The stored form of an `affected[]` entry: what matching needs, borrowed from the record.
#[derive(Serialize)]
struct StoredEntry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'a ossgate_model::osv::Package>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    severity: &'a [OsvSeverity],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    ranges: &'a [ossgate_model::osv::Range],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    versions: &'a [String],
}

fn to_row(rec: &OsvRecord, raw: String) -> Result<AdvisoryRow, String> {
    if rec.id.trim().is_empty() {
        return Err("`id` is empty".into());
    }
    let modified_us = timestamp_us(&rec.modified).map_err(|e| format!("at modified: {e}"))?;
    let mut informational = None;
    let mut packages = Vec::with_capacity(rec.affected.len());
    for (i, a) in rec.affected.iter().enumerate() {
        if let Some(info) = a
            .database_specific
            .get("informational")
            .and_then(Value::as_str)
        {
            informational = Some(info.to_string());
        }
        let Some(pkg) = &a.package else { continue };
        if pkg.name.trim().is_empty() {
            return Err(format!("at affected[{i}].package.name: empty package name"));
        }
        let eco = Ecosystem::parse(&pkg.ecosystem);
        let slim = StoredEntry {
            package: a.package.as_ref(),
            severity: &a.severity,
            ranges: &a.ranges,
            versions: &a.versions,
        };
        packages.push(PackageRow {
            ecosystem: eco.as_str().to_string(),
            name: eco.normalize_name(&pkg.name),
            entry: serde_json::to_string(&slim).map_err(|e| e.to_string())?,
        });
    }
    let header = Header {
        id: rec.id.clone(),
        aliases: rec.aliases.clone(),
        summary: rec.summary.clone().filter(|s| !s.trim().is_empty()),
        severity: rec.severity.clone(),
        severity_word: rec
            .database_specific
            .get("severity")
            .and_then(Value::as_str)
            .map(str::to_string),
        informational,
        modified: rec.modified.clone(),
        published: rec.published.clone(),
    };
    Ok(AdvisoryRow {
        id: rec.id.clone(),
        modified_us,
        modified: rec.modified.clone(),
        published: rec.published.clone(),
        withdrawn: rec.withdrawn.clone(),
        aliases: rec.aliases.clone(),
        header: serde_json::to_string(&header).map_err(|e| e.to_string())?,
        record: raw,
        packages,
    })
}

/// The severity of a record for one package: the package-level `affected[].severity` when
/// present, else the record's; of those, the newest CVSS version's vector, scored. A record
/// without vectors falls back to its qualitative word, then to unknown.
pub fn severity_of(header: &Header, entry_severity: &[OsvSeverity]) -> Severity {
    let list = if entry_severity.is_empty() {
        &header.severity
    } else {
        entry_severity
    };
    let mut best: Option<(u8, Severity)> = None;
    for s in list {
        let rank = match s.kind.as_str() {
            "CVSS_V4" => 4,
            "CVSS_V3" => 3,
            "CVSS_V2" => 2,
            _ => continue,
        };
        if best.as_ref().is_some_and(|(r, _)| *r >= rank) {
            continue;
        }
        if let Some(sev) = score_vector(&s.kind, &s.score) {
            best = Some((rank, sev));
        }
    }
    if let Some((_, sev)) = best {
        return sev;
    }
    if let Some(r) = header.severity_word.as_deref().and_then(Rating::from_word) {
        return Severity {
            rating: r,
            score: None,
            kind: Some("database_specific".into()),
            vector: None,
        };
    }
    Severity::unknown()
}

/// Computes the base score of a CVSS vector (v2, v3.0, v3.1, v4.0).
pub fn score_vector(kind: &str, vector: &str) -> Option<Severity> {
    let parsed: cvss::Cvss = vector.trim().parse().ok()?;
    let score = parsed.score();
    let rating = if kind == "CVSS_V2" {
        // CVSS v2 has three bands: 0-3.9 low, 4-6.9 medium, 7-10 high.
        if score >= 7.0 {
            Rating::High
        } else if score >= 4.0 {
            Rating::Medium
        } else {
            Rating::Low
        }
    } else {
        Rating::from_score(score)
    };
    Some(Severity {
        rating,
        score: Some((score * 10.0).round() / 10.0),
        kind: Some(kind.to_string()),
        vector: Some(vector.trim().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_vectors() {
        let s = score_vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!((s.rating, s.score), (Rating::Critical, Some(9.8)));
        let s = score_vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H").unwrap();
        assert_eq!((s.rating, s.score), (Rating::High, Some(7.5)));
        let s = score_vector(
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        )
        .unwrap();
        assert_eq!((s.rating, s.score), (Rating::Critical, Some(9.3)));
        let s = score_vector("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P").unwrap();
        assert_eq!((s.rating, s.score), (Rating::High, Some(7.5)));
        assert!(score_vector("CVSS_V3", "garbage").is_none());
    }

    #[test]
    fn prefers_newest_cvss_then_word_then_unknown() {
        let mut h: Header = serde_json::from_str(
            r#"{"id":"A","modified":"2020-01-01T00:00:00Z","severity":[
                {"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:N/A:N"}]}"#,
        )
        .unwrap();
        let s = severity_of(&h, &[]);
        assert_eq!(s.kind.as_deref(), Some("CVSS_V3"));
        assert_eq!(s.score, Some(6.8));
        h.severity.clear();
        h.severity_word = Some("MODERATE".into());
        assert_eq!(severity_of(&h, &[]).rating, Rating::Medium);
        h.severity_word = None;
        assert_eq!(severity_of(&h, &[]).rating, Rating::Unknown);
    }

    #[test]
    fn schema_errors_name_the_path() {
        let err = parse_record(
            br#"{"id":"A","modified":"2020-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"x"},
               "ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}"#
                .to_vec(),
        )
        .unwrap_err();
        assert!(err.contains("affected[0].ranges[0].events[0]"), "{err}");
        let err = parse_record(br#"{"id":"A","modified":"yesterday"}"#.to_vec()).unwrap_err();
        assert!(err.contains("modified"), "{err}");
        assert!(parse_record(b"{\"id\":".to_vec()).is_err());
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp_us("1970-01-01T00:00:01Z").unwrap(), 1_000_000);
        assert_eq!(timestamp_us("1970-01-01T00:00:01").unwrap(), 1_000_000);
        assert!(timestamp_us("0001-01-01T00:00:00Z").unwrap() < 0);
        assert_eq!(
            timestamp_us("2024-01-01T01:00:00+01:00").unwrap(),
            timestamp_us("2024-01-01T00:00:00Z").unwrap()
        );
    }
}
