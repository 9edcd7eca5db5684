//! OpenVEX: reads 0.2.0 and the older 0.0.x shape, writes 0.2.0.
//!
//! Read:
//! - the document's `@id`, `author`, `timestamp` / `last_updated`;
//! - per statement: `vulnerability` (an object with `name`, `aliases`, `description` in 0.2.0; a
//!   plain string in 0.0.x, with `vuln_description`), `products` (objects with `@id`,
//!   `identifiers` (purl, cpe23, cpe22) and `subcomponents` in 0.2.0; plain strings in 0.0.x,
//!   where subcomponents sit on the statement), `status`, `justification`, `impact_statement`,
//!   `action_statement`, `status_notes` and the statement's `timestamp` / `last_updated`.
//! - Lenient where the intent is plain: a missing `@id` or `version`, a version given as a string,
//!   and the non-standard `statement` field some examples carry (kept as the notes) are warnings,
//!   not errors.
//!
//! Not read: `hashes` (matching is by identifier), `supplier`, `tooling`, `role`.
//!
//! A statement without `products` is an error: it does not say what it is about, so it could only
//! be applied to everything, which is never what a triage decision means.

use crate::{Document, Format, Justification, ReadError, Reader, Statement, Status, WriteOptions};
use serde_json::{Map, Value, json};

pub const CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

/// OpenVEX requires product ids to be IRIs. An identifier that is neither a purl, a CPE nor an
/// IRI (a CycloneDX bom-ref, a CSAF product name) is written as this prefix followed by the
/// identifier percent-encoded, and read back to the identifier.
pub const OTHER_PREFIX: &str = "urn:ossgate:product:";

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether `s` looks like an absolute IRI: a scheme, a colon, and no spaces or characters IRIs
/// exclude.
fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

/// The OpenVEX object for a product or subcomponent identifier.
fn component_json(id: &str) -> Value {
    match crate::product::ProductId::parse(id) {
        crate::product::ProductId::Cpe(_) if id.starts_with("cpe:2.3:") => {
            json!({"identifiers": {"cpe23": id}})
        }
        crate::product::ProductId::Cpe(_) => json!({"identifiers": {"cpe22": id}}),
        crate::product::ProductId::Purl(_) => json!({"@id": id}),
        crate::product::ProductId::Other(_) if is_iri(id) => json!({"@id": id}),
        crate::product::ProductId::Other(_) => {
            json!({"@id": format!("{OTHER_PREFIX}{}", percent_encode(id))})
        }
    }
}

/// The id of a product or subcomponent object (or a plain string in 0.0.x).
fn product_id(r: &Reader, v: &Value, path: &str) -> Result<String, ReadError> {
    if let Some(s) = v.as_str() {
        return Ok(s.to_string());
    }
    if !v.is_object() {
        return Err(r.err(path, "expected a product object or string"));
    }
    let id = r
        .opt_str(v, "@id", path)?
        .map(|id| match id.strip_prefix(OTHER_PREFIX) {
            Some(rest) => percent_decode(rest),
            None => id,
        });
    let ids = v.get("identifiers");
    let ident = |k: &str| ids.and_then(|i| i.get(k)).and_then(Value::as_str);
    // The @id is the product when it is an identifier we can match; otherwise prefer the
    // identifiers.
    if let Some(id) = &id
        && (id.starts_with("pkg:") || id.starts_with("cpe:"))
    {
        return Ok(id.clone());
    }
    if let Some(x) = ident("purl").or(ident("cpe23")).or(ident("cpe22")) {
        return Ok(x.to_string());
    }
    id.ok_or_else(|| r.err(path, "product has neither @id nor identifiers"))
}

pub fn read(doc: &Value, file: &str) -> Result<Document, ReadError> {
    let mut r = Reader::new(file);
    if !doc.is_object() {
        return Err(r.err("", "an OpenVEX document must be a JSON object"));
    }
    let id = r.opt_str(doc, "@id", "")?;
    if id.is_none() {
        r.warn("/@id", "missing (required by OpenVEX)");
    }
    let author = r.opt_str(doc, "author", "")?;
    let doc_time = r
        .opt_time(doc, "last_updated", "")
        .or_else(|| r.opt_time(doc, "timestamp", ""));
    if let Some(v) = doc.get("version")
        && !v.is_u64()
    {
        r.warn("/version", format!("should be an integer, found {v}"));
    }
    let statements = match doc.get("statements") {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(r.err("/statements", "expected an array")),
        None => return Err(r.err("/statements", "missing")),
    };
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        let p = format!("/statements/{i}");
        if !st.is_object() {
            return Err(r.err(&p, "a statement must be an object"));
        }
        // The vulnerability.
        let (name, aliases, description) = match st.get("vulnerability") {
            Some(Value::String(s)) if !s.trim().is_empty() => (
                s.clone(),
                Vec::new(),
                r.opt_str(st, "vuln_description", &p)?,
            ),
            Some(v @ Value::Object(_)) => {
                let vp = format!("{p}/vulnerability");
                let name = r
                    .opt_str(v, "name", &vp)?
                    .or(r.opt_str(v, "@id", &vp)?)
                    .ok_or_else(|| r.err(format!("{vp}/name"), "missing"))?;
                let mut aliases = Vec::new();
                for (j, a) in r.opt_array(v, "aliases", &vp)?.iter().enumerate() {
                    match a.as_str() {
                        Some(a) if a != name && !aliases.iter().any(|x| x == a) => {
                            aliases.push(a.to_string())
                        }
                        Some(_) => {}
                        None => return Err(r.err(format!("{vp}/aliases/{j}"), "expected a string")),
                    }
                }
                (name, aliases, r.opt_str(v, "description", &vp)?)
            }
            Some(_) => {
                return Err(r.err(
                    format!("{p}/vulnerability"),
                    "expected an object with a name (0.2.0) or a string (0.0.x)",
                ));
            }
            None => return Err(r.err(format!("{p}/vulnerability"), "missing")),
        };
        // The status and its reasons.
        let status_s = r
            .opt_str(st, "status", &p)?
            .ok_or_else(|| r.err(format!("{p}/status"), "missing"))?;
        let status = Status::parse(&status_s).ok_or_else(|| {
            r.err(
                format!("{p}/status"),
                format!("unknown status {status_s:?} (expected not_affected, affected, fixed or under_investigation)"),
            )
        })?;
        let justification = match r.opt_str(st, "justification", &p)? {
            None => None,
            Some(j) => {
                let parsed = Justification::parse(&j);
                if parsed.is_none() {
                    r.warn(
                        &format!("{p}/justification"),
                        format!("unknown justification {j:?}, ignored"),
                    );
                }
                parsed
            }
        };
        let mut notes = r.opt_str(st, "status_notes", &p)?;
        if let Some(extra) = r.opt_str(st, "statement", &p)? {
            r.warn(
                &format!("{p}/statement"),
                "not an OpenVEX field; kept as the status notes",
            );
            notes.get_or_insert(extra);
        }
        let time = r
            .opt_time(st, "last_updated", &p)
            .or_else(|| r.opt_time(st, "timestamp", &p))
            .or(doc_time);
        // Products, and in 0.0.x statement-level subcomponents.
        let products = r.opt_array(st, "products", &p)?;
        if products.is_empty() {
            return Err(r.err(
                format!("{p}/products"),
                "the statement names no product, so it cannot be applied to anything",
            ));
        }
        let mut legacy_subs = Vec::new();
        for (j, s) in r.opt_array(st, "subcomponents", &p)?.iter().enumerate() {
            legacy_subs.push(product_id(&r, s, &format!("{p}/subcomponents/{j}"))?);
        }
        for (j, prod) in products.iter().enumerate() {
            let pp = format!("{p}/products/{j}");
            let product = product_id(&r, prod, &pp)?;
            let mut subs = legacy_subs.clone();
            for (k, s) in r.opt_array(prod, "subcomponents", &pp)?.iter().enumerate() {
                subs.push(product_id(&r, s, &format!("{pp}/subcomponents/{k}"))?);
            }
            out.push(Statement {
                vulnerability: name.clone(),
                aliases: aliases.clone(),
                description: description.clone(),
                product,
                subcomponents: subs,
                status,
                justification,
                impact_statement: r.opt_str(st, "impact_statement", &p)?,
                action_statement: r.opt_str(st, "action_statement", &p)?,
                notes: notes.clone(),
                author: author.clone(),
                timestamp: time,
                source: file.to_string(),
            });
        }
    }
    Ok(Document {
        format: Format::OpenVex,
        id,
        author,
        timestamp: doc_time,
        statements: out,
        warnings: r.warnings,
    })
}

/// One OpenVEX statement object.
pub fn statement_json(s: &Statement) -> Value {
    let mut vuln = Map::new();
    vuln.insert("name".into(), json!(s.vulnerability));
    let mut aliases: Vec<&String> = Vec::new();
    for a in &s.aliases {
        if *a != s.vulnerability && !aliases.contains(&a) {
            aliases.push(a);
        }
    }
    if !aliases.is_empty() {
        vuln.insert("aliases".into(), json!(aliases));
    }
    if let Some(d) = &s.description {
        vuln.insert("description".into(), json!(d));
    }
    let mut product = match component_json(&s.product) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut subs: Vec<&String> = Vec::new();
    for x in &s.subcomponents {
        if !subs.contains(&x) {
            subs.push(x);
        }
    }
    if !subs.is_empty() {
        product.insert(
            "subcomponents".into(),
            Value::Array(subs.iter().map(|x| component_json(x)).collect()),
        );
    }
    let mut o = Map::new();
    o.insert("vulnerability".into(), Value::Object(vuln));
    if let Some(t) = s.timestamp {
        o.insert("timestamp".into(), json!(crate::format_time(t)));
    }
    o.insert("products".into(), json!([Value::Object(product)]));
    o.insert("status".into(), json!(s.status.as_str()));
    if let Some(j) = s.justification {
        o.insert("justification".into(), json!(j.as_str()));
    }
    let impact = match (&s.impact_statement, s.status, s.justification) {
        (Some(i), _, _) => Some(i.clone()),
        // OpenVEX requires a reason for not_affected; say plainly that none was given.
        (None, Status::NotAffected, None) => Some(crate::NO_JUSTIFICATION.into()),
        _ => None,
    };
    if let Some(i) = impact {
        o.insert("impact_statement".into(), json!(i));
    }
    let action = match (&s.action_statement, s.status) {
        (Some(a), _) => Some(a.clone()),
        (None, Status::Affected) => Some(crate::NO_ACTION.into()),
        _ => None,
    };
    if let Some(a) = action {
        o.insert("action_statement".into(), json!(a));
    }
    if let Some(n) = &s.notes {
        o.insert("status_notes".into(), json!(n));
    }
    Value::Object(o)
}

/// An OpenVEX 0.2.0 document holding `statements` (identical statements written once).
pub fn write(statements: &[Statement], opts: &WriteOptions) -> Value {
    let id = opts
        .id
        .clone()
        .unwrap_or_else(|| format!("urn:uuid:{}", crate::content_id(statements, opts)));
    let mut out: Vec<Value> = Vec::new();
    for s in statements {
        let v = statement_json(s);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    json!({
        "@context": CONTEXT,
        "@id": id,
        "author": opts.author,
        "timestamp": crate::format_time(opts.timestamp),
        "version": 1,
        "tooling": concat!("ossgate ", env!("CARGO_PKG_VERSION")),
        "statements": out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes() {
        let legacy = json!({
            "@context": "https://openvex.dev/ns/v0.0.1", "@id": "x", "author": "a",
            "timestamp": "2023-01-08T18:02:03Z", "version": "1",
            "statements": [{"vulnerability": "CVE-1", "products": ["pkg:apk/a@1", "pkg:apk/b@2"],
                            "subcomponents": ["pkg:apk/c@3"], "status": "fixed"}]
        });
        let d = read(&legacy, "l.json").unwrap();
        assert_eq!(d.statements.len(), 2);
        assert_eq!(d.statements[1].product, "pkg:apk/b@2");
        assert_eq!(d.statements[1].subcomponents, ["pkg:apk/c@3"]);
        assert_eq!(d.statements[0].status, Status::Fixed);
        assert!(d.warnings.iter().any(|w| w.starts_with("/version")));

        let bad = json!({"@context": CONTEXT, "statements": [{"vulnerability": {"name": "X"}, "status": "nope", "products": [{"@id": "pkg:npm/a"}]}]});
        let e = read(&bad, "b.json").unwrap_err();
        assert_eq!(e.path, "/statements/0/status");
        assert!(e.message.contains("nope"));
    }
}
