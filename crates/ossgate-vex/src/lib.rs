//! VEX (Vulnerability Exploitability eXchange) for ossgate: one statement model, readers and
//! writers for the three exchange formats, product matching, and the rule that applies
//! statements to a scan's findings.
//!
//! # The statement model
//!
//! A [`Statement`] is what one author says about one vulnerability (id and aliases) in one
//! product (a purl, a CPE, or an opaque id), optionally narrowed to *subcomponents* of that
//! product: a [`Status`] (`not_affected`, `affected`, `fixed`, `under_investigation`), a
//! [`Justification`] (the OpenVEX / CISA vocabulary), an impact statement, an action statement,
//! notes, the author, a timestamp and the source (file, `store`). Documents that name several
//! products in one statement are split into one statement per product.
//!
//! # Formats
//!
//! | format | read | written |
//! |---|---|---|
//! | OpenVEX ([`openvex`]) | 0.2.0, and the 0.0.x shape (vulnerability and products as strings, `@context` without a version) | 0.2.0 |
//! | CycloneDX ([`cyclonedx`]) | 1.4–1.7 `vulnerabilities[].analysis`, standalone or inside an SBOM | 1.6 |
//! | CSAF ([`csaf`]) | 2.0 `csaf_vex` and `csaf_security_advisory`: product tree (branches, full product names, relationships) resolved to purls / CPEs, `product_status`, `flags`, `threats` (impact), `remediations` | 2.0, `csaf_vex` profile |
//!
//! What is not read, and why, is listed in each module. Every output is checked against the
//! official JSON schema in the tests ([`schema`] embeds the OpenVEX and CSAF ones).
//!
//! # Applying statements ([`apply`])
//!
//! A statement applies to a finding (a vulnerability in a component found while scanning a
//! product release) when it names one of the finding's ids (id or alias) and either
//!
//! 1. its product covers the scanned release (`--product`) and it has no subcomponents or one of
//!    them covers the component's purl, or
//! 2. it has no subcomponents and its product covers the component's own purl (a statement about
//!    a library applies wherever that library is found).
//!
//! Coverage is [`product::ProductId::matches`]: a statement for `pkg:npm/app@1.2.0` does not
//! apply to `pkg:npm/app@1.3.0`, one for `pkg:npm/app` applies to every version.
//!
//! Within one source, a newer statement *supersedes* an older one with the same (vulnerability,
//! product, subcomponents). Among the statements that apply and are not superseded, the newest
//! wins (statements without a timestamp are oldest; ties go to the one given last). The others
//! that disagree with the winner's status are reported as a conflict. Findings whose winning
//! status is `not_affected` or `fixed` are suppressed.

pub mod apply;
pub mod csaf;
pub mod cyclonedx;
mod model;
pub mod openvex;
pub mod product;
pub mod schema;

pub use apply::{Decision, Index, Target};
pub use model::{Document, Format, Justification, Statement, Status, WriteOptions};

use serde_json::Value;
use std::path::Path;

/// What writers put where a format requires a reason the statement does not have (OpenVEX and
/// CSAF require one for not_affected).
pub const NO_JUSTIFICATION: &str = "No justification was given by the source.";
/// What writers put where a format requires an action statement the statement does not have
/// (OpenVEX and CSAF require one for affected).
pub const NO_ACTION: &str = "No action statement was given by the source.";

/// A document that cannot be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", if path.is_empty() { String::new() } else { format!(" at {path}") })]
pub struct ReadError {
    pub file: String,
    /// A JSON pointer to the offending value; empty for the whole document.
    pub path: String,
    pub message: String,
}

/// Which format a JSON document is in, by its marker fields.
pub fn sniff(doc: &Value) -> Option<Format> {
    if doc
        .get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
    {
        return Some(Format::OpenVex);
    }
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        return Some(Format::CycloneDx);
    }
    if doc.pointer("/document/csaf_version").is_some() {
        return Some(Format::Csaf);
    }
    None
}

/// Reads a VEX document from bytes; `file` names it in errors and becomes each statement's
/// source.
pub fn read_bytes(bytes: &[u8], file: &str) -> Result<Document, ReadError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| ReadError {
        file: file.to_string(),
        path: String::new(),
        message: format!("not JSON: {e}"),
    })?;
    read_value(&doc, file)
}

/// Reads a VEX document already parsed as JSON.
pub fn read_value(doc: &Value, file: &str) -> Result<Document, ReadError> {
    match sniff(doc) {
        Some(Format::OpenVex) => openvex::read(doc, file),
        Some(Format::CycloneDx) => cyclonedx::read(doc, file),
        Some(Format::Csaf) => csaf::read(doc, file),
        None => Err(ReadError {
            file: file.to_string(),
            path: String::new(),
            message: "not a VEX document: no OpenVEX @context, CycloneDX bomFormat or CSAF document.csaf_version".into(),
        }),
    }
}

/// Reads a VEX document from a file.
pub fn read_file(path: &Path) -> Result<Document, ReadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        file: file.clone(),
        path: String::new(),
        message: format!("cannot read: {e}"),
    })?;
    read_bytes(&bytes, &file)
}

/// Writes statements in `format` as a JSON value.
pub fn write(format: Format, statements: &[Statement], opts: &WriteOptions) -> Value {
    match format {
        Format::OpenVex => openvex::write(statements, opts),
        Format::CycloneDx => cyclonedx::write(statements, opts),
        Format::Csaf => csaf::write(statements, opts),
    }
}

/// Parses an RFC 3339 time, also accepting a date alone (midnight UTC) and a time without
/// offset (UTC), as documents in the wild carry them.
pub fn parse_time(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    None
}

/// An RFC 3339 string in UTC with at most millisecond precision (what CSAF and CycloneDX
/// validators accept everywhere).
pub fn format_time(t: jiff::Timestamp) -> String {
    let ms = t.as_millisecond();
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) if ms % 1000 != 0 => format!("{t:.3}"),
        Ok(t) => format!("{t:.0}"),
        Err(_) => t.to_string(),
    }
}

/// A stable id derived from content, for documents written without an explicit id.
pub(crate) fn content_id(statements: &[Statement], opts: &WriteOptions) -> uuid::Uuid {
    let mut key = format!("{}|{}|", opts.author, opts.product.as_deref().unwrap_or(""));
    for s in statements {
        key.push_str(&format!(
            "{}|{}|{}|{}|{:?}|",
            s.vulnerability,
            s.product,
            s.subcomponents.join(","),
            s.status,
            s.timestamp
        ));
    }
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes())
}

/// Helpers shared by the readers: typed access with JSON-pointer errors.
pub(crate) struct Reader<'a> {
    pub file: &'a str,
    pub warnings: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str) -> Reader<'a> {
        Reader {
            file,
            warnings: Vec::new(),
        }
    }

    pub fn err(&self, path: impl Into<String>, message: impl Into<String>) -> ReadError {
        ReadError {
            file: self.file.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn warn(&mut self, path: &str, message: impl AsRef<str>) {
        self.warnings.push(format!("{path}: {}", message.as_ref()));
    }

    /// An optional string field; a non-string value is an error.
    pub fn opt_str(&self, v: &Value, key: &str, path: &str) -> Result<Option<String>, ReadError> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(format!("{path}/{key}"), "expected a string")),
        }
    }

    /// An optional array field; a non-array value is an error.
    pub fn opt_array<'v>(
        &self,
        v: &'v Value,
        key: &str,
        path: &str,
    ) -> Result<&'v [Value], ReadError> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(format!("{path}/{key}"), "expected an array")),
        }
    }

    /// An optional timestamp; an unparseable one is a warning (the statement stays, undated).
    pub fn opt_time(&mut self, v: &Value, key: &str, path: &str) -> Option<jiff::Timestamp> {
        let s = v.get(key)?.as_str()?;
        let t = parse_time(s);
        if t.is_none() {
            self.warn(
                &format!("{path}/{key}"),
                format!("not an RFC 3339 time: {s:?}"),
            );
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_shapes_documents_use() {
        let t = parse_time("2023-01-08T18:02:03.647787998-06:00").unwrap();
        assert_eq!(format_time(t), "2023-01-09T00:02:03.647Z");
        assert_eq!(
            format_time(parse_time("2022-03-03").unwrap()),
            "2022-03-03T00:00:00Z"
        );
        assert_eq!(
            format_time(parse_time("2022-03-03T11:00:00").unwrap()),
            "2022-03-03T11:00:00Z"
        );
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn unknown_documents_fail_with_a_reason() {
        let e = read_bytes(b"{\"a\":1}", "x.json").unwrap_err();
        assert!(
            e.to_string().starts_with("x.json: not a VEX document"),
            "{e}"
        );
        let e = read_bytes(b"{", "y.json").unwrap_err();
        assert!(e.to_string().contains("y.json: not JSON"), "{e}");
    }
}
