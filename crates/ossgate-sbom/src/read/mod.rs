//! Reading SBOMs: what a CycloneDX or SPDX document says is inside a product.
//!
//! Reading goes in three steps, each usable on its own:
//!
//! 1. [`sniff`] (or [`identify`], which also says why a text is not one): which of the four
//!    serialisations a text is, by its content (`bomFormat`/`specVersion`, `spdxVersion`,
//!    `<bom xmlns="http://cyclonedx.org/schema/bom/1.x">`, `SPDXVersion:`), the file name
//!    only as a hint.
//! 2. [`to_json`]: the document in its JSON form. CycloneDX XML (1.0–1.7) is converted to the
//!    equivalent CycloneDX JSON, SPDX tag-value (2.x) to SPDX JSON, so that one JSON schema
//!    ([`crate::validate`]) and one reader serve both serialisations of each format. Text that
//!    is not JSON / well-formed XML, or whose root is not a CycloneDX `bom`, is a [`ReadError`]
//!    with its line.
//! 3. [`contents`]: the components the document lists, its subject, what could not be
//!    identified (`unresolved`), and [`Warning`]s for every violation of the specification that
//!    did not stop reading (each with the JSON path of the offending value).
//!
//! [`read`] does all three.
//!
//! What is read, per format:
//!
//! - CycloneDX 1.2–1.7 JSON (and XML through the conversion, also 1.0/1.1): see the `cdx`
//!   module. Components recursively, identified by purl (else by name and version,
//!   as `pkg:generic`), hashes, licences, scope, the dependency graph; `metadata.component`
//!   is the subject. Services and components of type `file`, `data`, `cryptographic-asset`
//!   and `machine-learning-model` are not software packages and are skipped without a
//!   warning.
//! - SPDX 2.2/2.3 JSON (and tag-value through the conversion): see the `spdx` module.
//!   Packages are components (files and snippets are not), relationships give the graph, the
//!   first described package is the subject.
//!
//! Not read: SPDX 3.0 (JSON-LD), SPDX RDF/XML and YAML, and CycloneDX protobuf. [`identify`]
//! names these (and CSAF / OpenVEX documents) in its error rather than calling them unknown.
//!
//! `direct`: the components the subject depends on. When the document records no edge from
//! its subject (no subject, or no dependency entry / relationship for it), the components no
//! other component depends on are taken as direct, so that a flat SBOM does not read as all
//! transitive — the inverse of what the writer does for an inventory without direct/transitive
//! information.

mod cdx;
mod cdx_xml;
mod spdx;
mod spdx_tv;
#[cfg(test)]
mod tests;

use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// The SBOM serialisations ossgate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
}

impl DocKind {
    pub fn name(self) -> &'static str {
        match self {
            DocKind::CycloneDxJson => "CycloneDX JSON",
            DocKind::CycloneDxXml => "CycloneDX XML",
            DocKind::SpdxJson => "SPDX JSON",
            DocKind::SpdxTagValue => "SPDX tag-value",
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem in the document that does not stop reading: where (a JSON path like
/// `$.components[3].purl`, and for XML / tag-value also the line) and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{} (line {l}): {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// A document that cannot be read at all (not JSON / XML, wrong root, not an SBOM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub line: Option<u32>,
    pub message: String,
}

impl ReadError {
    fn new(line: Option<u32>, message: impl Into<String>) -> ReadError {
        ReadError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

/// What an SBOM says is inside.
#[derive(Debug, Clone, Default)]
pub struct SbomContents {
    /// The components, in document order (not de-duplicated: two entries with the same purl
    /// stay two components).
    pub components: Vec<Component>,
    /// What the document describes (CycloneDX `metadata.component`, the first package SPDX
    /// describes); its `dependencies` are the direct components. Its version is empty when
    /// the document gives none.
    pub subject: Option<Component>,
    /// Entries that name no identifiable version: (JSON path, text, reason).
    pub unresolved: Vec<(String, String, String)>,
    pub warnings: Vec<Warning>,
}

/// The kind of SBOM `text` is, by its content (`file_name` only as a hint); `None` when it is
/// not one ossgate reads. [`identify`] says why.
pub fn sniff(file_name: &str, text: &str) -> Option<DocKind> {
    identify(file_name, text).ok()
}

/// Like [`sniff`], but says what the text is when it is not an SBOM ossgate reads (CSAF,
/// OpenVEX, SPDX 3.0, SPDX RDF, ...).
pub fn identify(file_name: &str, text: &str) -> Result<DocKind, ReadError> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let lower_name = file_name.to_ascii_lowercase();
    if t.starts_with('{') || t.starts_with('[') {
        return identify_json(&lower_name, t);
    }
    if t.starts_with('<') {
        return identify_xml(t);
    }
    // Tag-value: `SPDXVersion:` on a line of its own (comments and blank lines may precede).
    for line in t.lines().take(200) {
        let l = line.trim_start();
        if l.starts_with("SPDXVersion:") {
            return Ok(DocKind::SpdxTagValue);
        }
        if l.starts_with("spdxVersion:") {
            return Err(ReadError::new(
                None,
                "an SPDX document in YAML, which ossgate does not read (use SPDX JSON or tag-value)",
            ));
        }
    }
    if t.is_empty() {
        return Err(ReadError::new(None, "the file is empty"));
    }
    let hint = if lower_name.ends_with(".spdx") {
        " (the name ends in .spdx, but there is no `SPDXVersion:` line)"
    } else {
        ""
    };
    Err(ReadError::new(
        Some(1),
        format!("not an SBOM: neither JSON, XML nor SPDX tag-value{hint}"),
    ))
}

/// The position of the value of the first occurrence of the JSON key `key` (quoted), if any.
fn json_key_value<'t>(t: &'t str, key: &str) -> Option<(usize, &'t str)> {
    let quoted = format!("\"{key}\"");
    let at = t.find(&quoted)?;
    let rest = t[at + quoted.len()..].trim_start().strip_prefix(':')?;
    Some((at, rest.trim_start()))
}

fn identify_json(lower_name: &str, t: &str) -> Result<DocKind, ReadError> {
    let cdx = json_key_value(t, "bomFormat");
    let spdx = json_key_value(t, "spdxVersion");
    match (cdx, spdx) {
        (Some((a, v)), s) if s.is_none_or(|(b, _)| a < b) => {
            if v.starts_with("\"CycloneDX\"") {
                return Ok(DocKind::CycloneDxJson);
            }
            return Err(ReadError::new(
                None,
                format!(
                    "bomFormat is {}, not \"CycloneDX\"",
                    v.split([',', '}', '\n']).next().unwrap_or("").trim()
                ),
            ));
        }
        (_, Some((_, v))) => {
            if v.starts_with("\"SPDX-2.") {
                return Ok(DocKind::SpdxJson);
            }
            return Err(ReadError::new(
                None,
                format!(
                    "spdxVersion is {}; ossgate reads SPDX 2.2 and 2.3",
                    v.split([',', '}', '\n']).next().unwrap_or("").trim()
                ),
            ));
        }
        _ => {}
    }
    if let Some((_, ctx)) = json_key_value(t, "@context") {
        let head: String = ctx.chars().take(200).collect();
        if head.contains("spdx.org/rdf/3") {
            return Err(ReadError::new(
                None,
                "an SPDX 3.0 (JSON-LD) document; ossgate reads SPDX 2.2 and 2.3 (JSON, tag-value)",
            ));
        }
        if head.contains("openvex") {
            return Err(ReadError::new(
                None,
                "an OpenVEX document (vulnerability statements), not an SBOM",
            ));
        }
    }
    if json_key_value(t, "csaf_version").is_some() {
        return Err(ReadError::new(
            None,
            "a CSAF advisory (vulnerability statements), not an SBOM",
        ));
    }
    // CycloneDX JSON requires bomFormat; accept its absence when the rest looks like a BOM.
    if json_key_value(t, "specVersion").is_some()
        && (json_key_value(t, "components").is_some()
            || ["bom", "cdx", "cyclonedx"]
                .iter()
                .any(|h| lower_name.contains(h)))
    {
        return Ok(DocKind::CycloneDxJson);
    }
    Err(ReadError::new(
        None,
        "JSON, but neither CycloneDX (bomFormat/specVersion) nor SPDX 2.x (spdxVersion)",
    ))
}

fn identify_xml(t: &str) -> Result<DocKind, ReadError> {
    // Skip the declaration, comments, processing instructions and the doctype.
    let mut rest = t;
    loop {
        rest = rest.trim_start();
        let skip_to = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            break;
        };
        match skip_to {
            Some(i) => rest = &rest[i..],
            None => return Err(ReadError::new(None, "XML without a root element")),
        }
    }
    let tag_end = rest.find('>').unwrap_or(rest.len());
    let start_tag = &rest[..tag_end];
    let name = start_tag
        .trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("");
    let local = name.rsplit(':').next().unwrap_or(name);
    if local == "bom" && start_tag.contains("http://cyclonedx.org/schema/bom/") {
        return Ok(DocKind::CycloneDxXml);
    }
    if local == "RDF" && t.contains("spdx.org/rdf/terms") {
        return Err(ReadError::new(
            None,
            "an SPDX RDF/XML document, which ossgate does not read (use SPDX JSON or tag-value)",
        ));
    }
    if local == "bom" {
        return Err(ReadError::new(
            None,
            "XML <bom> without the CycloneDX namespace (xmlns=\"http://cyclonedx.org/schema/bom/1.x\")",
        ));
    }
    Err(ReadError::new(
        None,
        format!("XML whose root element is <{name}>, not a CycloneDX <bom>"),
    ))
}

/// The document in its JSON form, with the problems met converting it (see the module
/// comment). JSON documents are parsed as they are.
pub fn to_json(kind: DocKind, text: &str) -> Result<(Value, Vec<Warning>), ReadError> {
    convert(kind, text).map(|(doc, w, _)| (doc, w))
}

/// JSON paths of a converted document (XML, tag-value) → the 1-based line they came from.
pub(crate) type Lines = HashMap<String, u32>;

/// [`to_json`], also giving the line of each converted value (empty for JSON documents).
fn convert(kind: DocKind, text: &str) -> Result<(Value, Vec<Warning>, Lines), ReadError> {
    let text = text.trim_start_matches('\u{feff}');
    match kind {
        DocKind::CycloneDxJson => {
            let doc = parse_json(text)?;
            let mut w = Warnings::default();
            match doc.get("bomFormat") {
                Some(Value::String(s)) if s == "CycloneDX" => {}
                Some(other) => w.push(
                    "$.bomFormat",
                    None,
                    format!("is {other}, not \"CycloneDX\""),
                ),
                None => w.push("$.bomFormat", None, "missing (required: \"CycloneDX\")"),
            }
            if !doc.get("specVersion").is_some_and(Value::is_string) {
                w.push("$.specVersion", None, "missing or not a string (required)");
            }
            Ok((doc, w.finish(), Lines::new()))
        }
        DocKind::SpdxJson => {
            let doc = parse_json(text)?;
            let mut w = Warnings::default();
            match doc.get("spdxVersion").and_then(Value::as_str) {
                Some("SPDX-2.2" | "SPDX-2.3") => {}
                Some(v) => w.push(
                    "$.spdxVersion",
                    None,
                    format!("{v:?}: ossgate reads SPDX 2.2 and 2.3; read as 2.3"),
                ),
                None => w.push("$.spdxVersion", None, "missing or not a string (required)"),
            }
            Ok((doc, w.finish(), Lines::new()))
        }
        DocKind::CycloneDxXml => cdx_xml::to_json(text),
        DocKind::SpdxTagValue => spdx_tv::to_json(text),
    }
}

fn parse_json(text: &str) -> Result<Value, ReadError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let line = u32::try_from(e.line()).ok().filter(|&l| l > 0);
        ReadError::new(line, format!("not valid JSON: {e}"))
    })?;
    if !doc.is_object() {
        return Err(ReadError::new(
            Some(1),
            format!("the document is a JSON {}, not an object", json_type(&doc)),
        ));
    }
    Ok(doc)
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The components of a document in its JSON form (from [`to_json`]); `file` names it in each
/// component's location.
pub fn contents(kind: DocKind, doc: &Value, file: &str) -> SbomContents {
    contents_with_lines(kind, doc, file, &Lines::new())
}

fn contents_with_lines(kind: DocKind, doc: &Value, file: &str, lines: &Lines) -> SbomContents {
    let mut out = match kind {
        DocKind::CycloneDxJson | DocKind::CycloneDxXml => cdx::contents(doc, file, lines),
        DocKind::SpdxJson | DocKind::SpdxTagValue => spdx::contents(doc, file, lines),
    };
    if !lines.is_empty() {
        for w in &mut out.warnings {
            if w.line.is_none() {
                w.line = line_of(lines, &w.path);
            }
        }
    }
    out
}

/// The line of the value at `path`, or of the nearest enclosing value that has one.
pub(crate) fn line_of(lines: &Lines, path: &str) -> Option<u32> {
    let mut p = path;
    loop {
        if let Some(&l) = lines.get(p) {
            return Some(l);
        }
        let cut = p.rfind(['.', '['])?;
        p = &p[..cut];
    }
}

/// [`identify`], [`to_json`] and [`contents`] in one: the conversion's warnings come first.
/// For XML and tag-value documents, components and warnings carry the line they came from.
pub fn read(file_name: &str, text: &str) -> Result<(DocKind, SbomContents), ReadError> {
    let kind = identify(file_name, text)?;
    let (doc, warnings, lines) = convert(kind, text)?;
    let mut out = contents_with_lines(kind, &doc, file_name, &lines);
    if !warnings.is_empty() {
        let mut all = warnings;
        all.append(&mut out.warnings);
        out.warnings = all;
    }
    Ok((kind, out))
}

// ---------------------------------------------------------------------------------------------
// Shared by the readers.

/// Warnings, where the same message at many places is reported once, at its first place, with
/// the number of places.
#[derive(Default)]
pub(crate) struct Warnings {
    list: Vec<Warning>,
    counts: Vec<usize>,
    index: HashMap<String, usize>,
}

impl Warnings {
    pub fn push(&mut self, path: impl Into<String>, line: Option<u32>, message: impl Into<String>) {
        let message = message.into();
        if let Some(&i) = self.index.get(&message) {
            if let Some(n) = self.counts.get_mut(i) {
                *n += 1;
            }
            return;
        }
        self.index.insert(message.clone(), self.list.len());
        self.list.push(Warning {
            path: path.into(),
            line,
            message,
        });
        self.counts.push(1);
    }

    pub fn finish(self) -> Vec<Warning> {
        self.list
            .into_iter()
            .zip(self.counts)
            .map(|(mut w, n)| {
                if n > 1 {
                    w.message = format!("{} ({n} places)", w.message);
                }
                w
            })
            .collect()
    }
}

/// An optional string field: `None` when absent, empty or not a string (with a warning).
pub(crate) fn opt_str<'a>(
    obj: &'a serde_json::Map<String, Value>,
    key: &str,
    path: &str,
    w: &mut Warnings,
) -> Option<&'a str> {
    match obj.get(key)? {
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()),
        Value::Null => None,
        other => {
            w.push(
                format!("{path}.{}", key_path(key)),
                None,
                format!("must be a string, not a {}", json_type(other)),
            );
            None
        }
    }
}

/// `key` as a JSON path segment: `.name`, or `['bom-ref']` for keys that are not identifiers.
pub(crate) fn key_path(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    {
        key.to_string()
    } else {
        format!("['{key}']")
    }
}

/// An array field: empty when absent; a warning when it is not an array.
pub(crate) fn opt_array<'a>(
    obj: &'a serde_json::Map<String, Value>,
    key: &str,
    path: &str,
    w: &mut Warnings,
) -> &'a [Value] {
    match obj.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(other) => {
            w.push(
                format!("{path}.{}", key_path(key)),
                None,
                format!("must be an array, not a {}", json_type(other)),
            );
            &[]
        }
    }
}

/// A component's identity.
#[derive(Debug)]
pub(crate) struct Ident {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub purl: String,
}

/// What identifies a component in a document.
pub(crate) struct IdentSource<'a> {
    /// The purl and its JSON path.
    pub purl: Option<(&'a str, String)>,
    pub group: Option<&'a str>,
    pub name: Option<&'a str>,
    pub version: Option<&'a str>,
    pub cpe: Option<&'a str>,
}

/// `NOASSERTION` / `NONE`: SPDX's "unknown" and "nothing".
pub(crate) fn is_no_value(s: &str) -> bool {
    s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE")
}

/// The identity of a component: by purl (ecosystem, name and version read from it, the purl
/// kept as written, with the version field added when the purl has none); without a usable
/// purl, by name and version (the CPE's when no version field) as `pkg:generic`.
/// `Err((text, reason))` when no version is known (or no name), unless `subject` (a subject
/// may have no version: its version is then empty).
pub(crate) fn identify_component(
    src: &IdentSource,
    subject: bool,
    w: &mut Warnings,
) -> Result<Ident, (String, String)> {
    let version = src
        .version
        .map(str::trim)
        .filter(|v| !v.is_empty() && !is_no_value(v));
    if let Some((purl, path)) = &src.purl {
        match Ecosystem::from_purl(purl) {
            Some((ecosystem, name, purl_version)) => {
                let purl_version = purl_version.filter(|v| !v.is_empty());
                return match (purl_version, version) {
                    (Some(v), _) => Ok(Ident {
                        ecosystem,
                        name,
                        version: v,
                        purl: purl.to_string(),
                    }),
                    (None, Some(v)) => Ok(Ident {
                        ecosystem,
                        name,
                        version: v.to_string(),
                        purl: purl_with_version(purl, v),
                    }),
                    (None, None) if subject => Ok(Ident {
                        ecosystem,
                        name,
                        version: String::new(),
                        purl: purl.to_string(),
                    }),
                    (None, None) => Err((
                        purl.to_string(),
                        "no version: neither the purl nor the version field gives one".into(),
                    )),
                };
            }
            None => w.push(
                path.clone(),
                None,
                format!("{purl:?} is not a valid purl; the component is read by its name"),
            ),
        }
    }
    let cpe = src.cpe.and_then(cpe_parts);
    let name = src
        .name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(cpe.as_ref().map(|c| c.1))
        .filter(|n| !n.is_empty());
    let Some(name) = name else {
        return Err((String::new(), "no name and no purl".into()));
    };
    let version = version.or(cpe.as_ref().and_then(|c| c.2));
    let group = src.group.map(str::trim).filter(|g| !g.is_empty());
    let full_name = match group {
        Some(g) => format!("{g}/{name}"),
        None => name.to_string(),
    };
    match version {
        Some(v) => Ok(Ident {
            ecosystem: Ecosystem::Other("generic".into()),
            purl: generic_purl(group, name, Some(v)),
            name: full_name,
            version: v.to_string(),
        }),
        None if subject => Ok(Ident {
            ecosystem: Ecosystem::Other("generic".into()),
            purl: generic_purl(group, name, None),
            name: full_name,
            version: String::new(),
        }),
        None => Err((
            full_name,
            "no version: no purl, and neither a version field nor a CPE version".into(),
        )),
    }
}

/// `pkg:generic/<group>/<name>@<version>`.
pub(crate) fn generic_purl(group: Option<&str>, name: &str, version: Option<&str>) -> String {
    let built = packageurl::PackageUrl::new("generic", name).and_then(|mut p| {
        if let Some(g) = group {
            p.with_namespace(g)?;
        }
        if let Some(v) = version {
            p.with_version(v)?;
        }
        Ok(p.to_string())
    });
    built.unwrap_or_else(|_| {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        let mut s = "pkg:generic/".to_string();
        if let Some(g) = group {
            s.push_str(&enc(g));
            s.push('/');
        }
        s.push_str(&enc(name));
        if let Some(v) = version {
            s.push('@');
            s.push_str(&enc(v));
        }
        s
    })
}

/// The purl with `version` added (it parsed before, so it parses again).
fn purl_with_version(purl: &str, version: &str) -> String {
    use std::str::FromStr;
    packageurl::PackageUrl::from_str(purl)
        .ok()
        .and_then(|mut p| {
            p.with_version(version).ok()?;
            Some(p.to_string())
        })
        .unwrap_or_else(|| purl.to_string())
}

/// (vendor, product, version) of a CPE 2.3 formatted string or a CPE 2.2 URI; `*`, `-` and
/// empty are no value.
pub(crate) fn cpe_parts(cpe: &str) -> Option<(&str, &str, Option<&str>)> {
    let fields: Vec<&str> = if let Some(rest) = cpe.strip_prefix("cpe:2.3:") {
        // part:vendor:product:version:... (escaped colons `\:` are rare enough to ignore)
        rest.split(':').skip(1).collect()
    } else if let Some(rest) = cpe.strip_prefix("cpe:/") {
        rest.split(':').skip(1).collect()
    } else {
        return None;
    };
    fn value<'s>(s: Option<&&'s str>) -> Option<&'s str> {
        s.copied()
            .filter(|v| !v.is_empty() && *v != "*" && *v != "-")
    }
    let vendor = value(fields.first()).unwrap_or("");
    let product = value(fields.get(1))?;
    Some((vendor, product, value(fields.get(2))))
}

/// A hash from an algorithm name and a hex digest; `None` when the algorithm is not one
/// ossgate models (silently when `spec_algs` lists it: the format allows it, SHA-3 and BLAKE
/// for example) or the value is not hex of its length (with a warning).
pub(crate) fn read_hash(
    alg: &str,
    value: &str,
    spec_algs: &[&str],
    path: &str,
    w: &mut Warnings,
) -> Option<Hash> {
    let Some(a) = HashAlg::parse(alg) else {
        if !spec_algs.iter().any(|s| s.eq_ignore_ascii_case(alg.trim())) {
            w.push(
                path,
                None,
                format!("hash algorithm {alg:?} is not one the specification allows; ignored"),
            );
        }
        return None;
    };
    let hash = Hash::from_hex(a, value.trim());
    if hash.is_none() {
        w.push(
            path,
            None,
            format!(
                "{value:?} is not a {} digest ({} hex digits); ignored",
                a.cyclonedx(),
                a.digest_len() * 2
            ),
        );
    }
    hash
}

/// The operands of an SPDX expression's top-level `AND`s, each without enclosing parentheses
/// (`MIT AND (A OR B)` → `MIT`, `A OR B`).
pub(crate) fn split_and(expr: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' | b'\t' if depth == 0 => {
                let rest = &expr[i..];
                let trimmed = rest.trim_start();
                let ws = rest.len() - trimmed.len();
                if trimmed
                    .get(..3)
                    .is_some_and(|a| a.eq_ignore_ascii_case("AND"))
                    && trimmed.get(3..).is_some_and(|r| r.starts_with([' ', '\t']))
                {
                    parts.push(&expr[start..i]);
                    i += ws + 3;
                    start = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&expr[start..]);
    parts
        .into_iter()
        .map(strip_parens)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// `(A OR B)` → `A OR B`, only when the parentheses enclose the whole text.
fn strip_parens(s: &str) -> &str {
    let mut s = s.trim();
    while s.starts_with('(') && s.ends_with(')') {
        let inner = &s[1..s.len() - 1];
        let mut depth = 0i32;
        let balanced = inner.bytes().all(|b| {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            depth >= 0
        }) && depth == 0;
        if !balanced {
            break;
        }
        s = inner.trim();
    }
    s
}
