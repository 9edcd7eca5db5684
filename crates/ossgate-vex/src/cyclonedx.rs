//! CycloneDX VEX: reads `vulnerabilities[]` of CycloneDX 1.4–1.7 JSON (a standalone VEX BOM or
//! an SBOM carrying its own vulnerabilities), writes a 1.6 VEX BOM.
//!
//! # Reading
//!
//! Each `affects[].ref` becomes one statement. The ref is resolved through the BOM's components
//! (by `bom-ref`, including nested components and `metadata.component`) to the component's purl,
//! else its CPE, else the bom-ref itself; a BOM-Link (`urn:cdx:serial/version#ref`) is resolved by
//! its fragment. The product is then:
//! - the component itself when it is `metadata.component`, or when the BOM has no
//!   `metadata.component` and the component is top level;
//! - otherwise the BOM's subject (`metadata.component`) or the top-level component the ref is
//!   nested in, with the referenced component as subcomponent.
//!
//! `affects[].versions[]` entries with a `version` narrow the product to that version (a purl
//! gains `@version`); their `status` refines the state where it says more (`unaffected` makes an
//! exploitable or in-triage state not_affected, `unknown` makes it under_investigation, while
//! `affected` is what a resolved or not_affected analysis is about and leaves it as it is);
//! entries with a `range` (`vers:`) are skipped with a warning: applying a range is not
//! supported, and applying its statement to every version would hide real findings.
//! A vulnerability without `analysis` is a listing, not a statement: it is skipped (warning).
//!
//! States map to statuses: `not_affected` and `false_positive` → not_affected, `exploitable` →
//! affected, `resolved` and `resolved_with_pedigree` → fixed, `in_triage` → under_investigation.
//! Justifications map to the OpenVEX vocabulary (and back, for writing):
//!
//! | CycloneDX | OpenVEX |
//! |---|---|
//! | `code_not_present` | `vulnerable_code_not_present` |
//! | `code_not_reachable` | `vulnerable_code_not_in_execute_path` |
//! | `requires_environment` (written), `requires_configuration` | `vulnerable_code_cannot_be_controlled_by_adversary` |
//! | `requires_dependency` | `component_not_present` |
//! | `protected_by_mitigating_control` (written), `protected_by_compiler`, `protected_at_runtime`, `protected_at_perimeter` | `inline_mitigations_already_exist` |
//!
//! `analysis.detail` is the impact statement of a not_affected statement and the notes of the
//! others; the action statement is `recommendation`, else `workaround`, else the listed
//! `analysis.response` values. The time is `analysis.lastUpdated`, `firstIssued`, the
//! vulnerability's `updated` / `published`, or `metadata.timestamp`, the first present.
//! Not read: ratings, CWEs, advisories, credits, proof of concept (they describe the
//! vulnerability, not its exploitability in the product).

use crate::{Document, Format, Justification, ReadError, Reader, Statement, Status, WriteOptions};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

fn state_status(state: &str) -> Option<Status> {
    Some(match state {
        "not_affected" | "false_positive" => Status::NotAffected,
        "exploitable" => Status::Affected,
        "resolved" | "resolved_with_pedigree" => Status::Fixed,
        "in_triage" => Status::UnderInvestigation,
        _ => return None,
    })
}

fn status_state(s: Status) -> &'static str {
    match s {
        Status::NotAffected => "not_affected",
        Status::Affected => "exploitable",
        Status::Fixed => "resolved",
        Status::UnderInvestigation => "in_triage",
    }
}

fn read_justification(j: &str) -> Option<Justification> {
    Some(match j {
        "code_not_present" => Justification::VulnerableCodeNotPresent,
        "code_not_reachable" => Justification::VulnerableCodeNotInExecutePath,
        "requires_configuration" | "requires_environment" => {
            Justification::VulnerableCodeCannotBeControlledByAdversary
        }
        "requires_dependency" => Justification::ComponentNotPresent,
        "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => Justification::InlineMitigationsAlreadyExist,
        _ => return None,
    })
}

fn write_justification(j: Justification) -> &'static str {
    match j {
        Justification::VulnerableCodeNotPresent => "code_not_present",
        Justification::VulnerableCodeNotInExecutePath => "code_not_reachable",
        Justification::VulnerableCodeCannotBeControlledByAdversary => "requires_environment",
        Justification::ComponentNotPresent => "requires_dependency",
        Justification::InlineMitigationsAlreadyExist => "protected_by_mitigating_control",
    }
}

/// A component's identifier: purl, else CPE, else bom-ref, else name.
fn component_id(c: &Value) -> Option<String> {
    ["purl", "cpe", "bom-ref", "name"]
        .iter()
        .find_map(|k| c.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
        .map(str::to_string)
}

/// bom-ref → (component id, id of its top-level ancestor when nested).
fn index_components(doc: &Value) -> HashMap<String, (String, Option<String>)> {
    fn walk(
        list: &Value,
        top: Option<&str>,
        out: &mut HashMap<String, (String, Option<String>)>,
        depth: usize,
    ) {
        let Some(items) = list.as_array() else { return };
        if depth > 64 {
            return;
        }
        for c in items {
            let Some(mut id) = component_id(c) else {
                continue;
            };
            // ossgate writes a nested component without purl or CPE with the bom-ref
            // `product|component`: its identifier is the part after the product.
            if let Some(rest) = top
                .and_then(|t| id.strip_prefix(t))
                .and_then(|r| r.strip_prefix('|'))
            {
                id = rest.to_string();
            }
            if let Some(r) = c.get("bom-ref").and_then(Value::as_str) {
                out.entry(r.to_string())
                    .or_insert_with(|| (id.clone(), top.map(str::to_string)));
            }
            if let Some(children) = c.get("components") {
                walk(children, Some(top.unwrap_or(&id)), out, depth + 1);
            }
        }
    }
    let mut out = HashMap::new();
    if let Some(meta) = doc.pointer("/metadata/component") {
        walk(&json!([meta]), None, &mut out, 0);
    }
    if let Some(list) = doc.get("components") {
        walk(list, None, &mut out, 0);
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn with_version(id: &str, version: &str) -> String {
    if let Some(p) = crate::product::ProductId::parse(id).purl()
        && p.version.is_none()
    {
        // Insert the version before qualifiers / subpath.
        let cut = id.find(['?', '#']).unwrap_or(id.len());
        return format!("{}@{}{}", &id[..cut], version, &id[cut..]);
    }
    format!("{id}@{version}")
}

pub fn read(doc: &Value, file: &str) -> Result<Document, ReadError> {
    let mut r = Reader::new(file);
    let comps = index_components(doc);
    let subject = doc.pointer("/metadata/component");
    let subject_ref = subject
        .and_then(|c| c.get("bom-ref"))
        .and_then(Value::as_str);
    let subject_id = subject.and_then(component_id);
    let doc_time = doc
        .get("metadata")
        .map(|m| r.opt_time(m, "timestamp", "/metadata"))
        .unwrap_or(None);
    let author = doc
        .pointer("/metadata/authors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get("name").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|s| !s.is_empty())
        .or_else(|| {
            [
                "/metadata/supplier/name",
                "/metadata/manufacturer/name",
                "/metadata/manufacture/name",
            ]
            .iter()
            .find_map(|p| doc.pointer(p).and_then(Value::as_str).map(str::to_string))
        });
    let mut out = Vec::new();
    for (i, v) in r.opt_array(doc, "vulnerabilities", "")?.iter().enumerate() {
        let p = format!("/vulnerabilities/{i}");
        if !v.is_object() {
            return Err(r.err(&p, "a vulnerability must be an object"));
        }
        let id = r
            .opt_str(v, "id", &p)?
            .ok_or_else(|| r.err(format!("{p}/id"), "missing"))?;
        let Some(analysis) = v.get("analysis").filter(|a| a.is_object()) else {
            r.warn(
                &p,
                format!("{id} has no analysis: not a VEX statement, skipped"),
            );
            continue;
        };
        let ap = format!("{p}/analysis");
        let Some(state) = r.opt_str(analysis, "state", &ap)? else {
            r.warn(&ap, format!("{id} has no analysis.state: skipped"));
            continue;
        };
        let base_status = state_status(&state).ok_or_else(|| {
            r.err(
                format!("{ap}/state"),
                format!("unknown analysis state {state:?}"),
            )
        })?;
        let mut aliases: Vec<String> = Vec::new();
        for (j, rf) in r.opt_array(v, "references", &p)?.iter().enumerate() {
            let Some(a) = rf.get("id").and_then(Value::as_str) else {
                return Err(r.err(format!("{p}/references/{j}/id"), "missing"));
            };
            if a != id && !aliases.iter().any(|x| x == a) {
                aliases.push(a.to_string());
            }
        }
        let justification = match r.opt_str(analysis, "justification", &ap)? {
            None => None,
            Some(j) => {
                let m = read_justification(&j);
                if m.is_none() {
                    r.warn(
                        &format!("{ap}/justification"),
                        format!("unknown justification {j:?}, ignored"),
                    );
                }
                m
            }
        };
        let detail = r.opt_str(analysis, "detail", &ap)?;
        let responses: Vec<&str> = r
            .opt_array(analysis, "response", &ap)?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let action = r
            .opt_str(v, "recommendation", &p)?
            .or(r.opt_str(v, "workaround", &p)?)
            .or_else(|| {
                (!responses.is_empty()).then(|| format!("Response: {}", responses.join(", ")))
            });
        let time = r
            .opt_time(analysis, "lastUpdated", &ap)
            .or_else(|| r.opt_time(analysis, "firstIssued", &ap))
            .or_else(|| r.opt_time(v, "updated", &p))
            .or_else(|| r.opt_time(v, "published", &p))
            .or(doc_time);
        let description = r.opt_str(v, "description", &p)?;
        let affects = r.opt_array(v, "affects", &p)?;
        if affects.is_empty() {
            r.warn(&p, format!("{id} affects nothing: skipped"));
        }
        for (j, a) in affects.iter().enumerate() {
            let fp = format!("{p}/affects/{j}");
            let rf = r
                .opt_str(a, "ref", &fp)?
                .ok_or_else(|| r.err(format!("{fp}/ref"), "missing"))?;
            // A BOM-Link points into another BOM: its fragment is the bom-ref there.
            // (Some producers write `urn:uuid:` in place of `urn:cdx:`.)
            let local = match rf.strip_prefix("urn:").and_then(|x| x.split_once('#')) {
                Some((_, frag)) => percent_decode(frag),
                None => rf.clone(),
            };
            let (leaf, top) = match comps.get(&local) {
                Some((id, top)) => (id.clone(), top.clone()),
                None => (local.clone(), None),
            };
            let is_subject =
                subject_ref == Some(local.as_str()) || subject_id.as_deref() == Some(leaf.as_str());
            let (product, sub) = match (top, &subject_id) {
                _ if is_subject => (leaf, None),
                (Some(top), _) => (top, Some(leaf)),
                (None, Some(s)) => (s.clone(), Some(leaf)),
                (None, None) => (leaf, None),
            };
            let versions = r.opt_array(a, "versions", &fp)?;
            let mut variants: Vec<(String, Option<String>, Status)> = Vec::new();
            if versions.is_empty() {
                variants.push((product.clone(), sub.clone(), base_status));
            }
            for (k, ver) in versions.iter().enumerate() {
                let vp = format!("{fp}/versions/{k}");
                let vstatus = match ver.get("status").and_then(Value::as_str) {
                    Some("unknown") => Status::UnderInvestigation,
                    Some("unaffected") if !base_status.suppresses() => Status::NotAffected,
                    _ => base_status,
                };
                if let Some(version) = r.opt_str(ver, "version", &vp)? {
                    match &sub {
                        Some(s) => variants.push((
                            product.clone(),
                            Some(with_version(s, &version)),
                            vstatus,
                        )),
                        None => variants.push((with_version(&product, &version), None, vstatus)),
                    }
                } else if let Some(range) = r.opt_str(ver, "range", &vp)? {
                    r.warn(
                        &vp,
                        format!("version range {range} not applied (ranges are not supported)"),
                    );
                } else {
                    return Err(r.err(vp, "a versions entry needs a version or a range"));
                }
            }
            for (product, sub, status) in variants {
                let (impact, notes) = if status == Status::NotAffected {
                    (detail.clone(), None)
                } else {
                    (None, detail.clone())
                };
                out.push(Statement {
                    vulnerability: id.clone(),
                    aliases: aliases.clone(),
                    description: description.clone(),
                    product,
                    subcomponents: sub.into_iter().collect(),
                    status,
                    justification: justification.filter(|_| status == Status::NotAffected),
                    impact_statement: impact,
                    action_statement: action.clone(),
                    notes,
                    author: author.clone(),
                    timestamp: time,
                    source: file.to_string(),
                });
            }
        }
    }
    Ok(Document {
        format: Format::CycloneDx,
        id: r.opt_str(doc, "serialNumber", "")?,
        author,
        timestamp: doc_time,
        statements: out,
        warnings: r.warnings,
    })
}

type Component = Map<String, Value>;

/// A CycloneDX component for a product identifier.
fn component(id: &str, bom_ref: &str, ty: &str) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("type".into(), json!(ty));
    c.insert("bom-ref".into(), json!(bom_ref));
    match crate::product::ProductId::parse(id) {
        crate::product::ProductId::Purl(p) => {
            c.insert("name".into(), json!(p.name));
            if let Some(ns) = &p.namespace {
                c.insert("group".into(), json!(ns));
            }
            if let Some(v) = &p.version {
                c.insert("version".into(), json!(v));
            }
            c.insert("purl".into(), json!(id));
        }
        crate::product::ProductId::Cpe(attrs) => {
            let name = attrs.get(2).filter(|s| !s.is_empty() && *s != "*");
            c.insert("name".into(), json!(name.map(String::as_str).unwrap_or(id)));
            c.insert("cpe".into(), json!(id));
        }
        crate::product::ProductId::Other(_) => {
            c.insert("name".into(), json!(id));
        }
    }
    c
}

fn alias_source(id: &str) -> Value {
    if id.starts_with("CVE-") {
        json!({"name": "NVD", "url": format!("https://nvd.nist.gov/vuln/detail/{id}")})
    } else if id.starts_with("GHSA-") {
        json!({"name": "GitHub", "url": format!("https://github.com/advisories/{id}")})
    } else {
        json!({"name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}")})
    }
}

/// A CycloneDX 1.6 VEX BOM. When every statement is about the same product (and it is
/// `opts.product`, if given), that product is `metadata.component` and statements reference
/// their subcomponents as top-level components; otherwise each product is a top-level component
/// with its subcomponents nested in it.
pub fn write(statements: &[Statement], opts: &WriteOptions) -> Value {
    let serial = crate::content_id(statements, opts);
    let subject = statements
        .first()
        .map(|s| s.product.clone())
        .or(opts.product.clone())
        .filter(|p| statements.iter().all(|s| &s.product == p))
        .filter(|p| opts.product.as_ref().is_none_or(|o| o == p));
    let mut top: Vec<(String, Component)> = Vec::new();
    let mut nested: HashMap<String, Vec<(String, Component)>> = HashMap::new();
    let mut refs_for = |s: &Statement| -> Vec<String> {
        let mut refs = Vec::new();
        if subject.is_some() {
            if s.subcomponents.is_empty() {
                refs.push(s.product.clone());
            }
            for sub in &s.subcomponents {
                if !top.iter().any(|(r, _)| r == sub) {
                    top.push((sub.clone(), component(sub, sub, "library")));
                }
                refs.push(sub.clone());
            }
            return refs;
        }
        if !top.iter().any(|(r, _)| *r == s.product) {
            top.push((
                s.product.clone(),
                component(&s.product, &s.product, "application"),
            ));
        }
        if s.subcomponents.is_empty() {
            refs.push(s.product.clone());
        }
        for sub in &s.subcomponents {
            let r = format!("{}|{}", s.product, sub);
            let list = nested.entry(s.product.clone()).or_default();
            if !list.iter().any(|(x, _)| *x == r) {
                list.push((r.clone(), component(sub, &r, "library")));
            }
            refs.push(r);
        }
        refs
    };
    let mut vulns = Vec::new();
    for s in statements {
        let refs = refs_for(s);
        let mut v = Map::new();
        v.insert("id".into(), json!(s.vulnerability));
        v.insert("source".into(), alias_source(&s.vulnerability));
        let aliases: Vec<Value> = s
            .aliases
            .iter()
            .filter(|a| **a != s.vulnerability)
            .map(|a| json!({"id": a, "source": alias_source(a)}))
            .collect();
        if !aliases.is_empty() {
            v.insert("references".into(), Value::Array(aliases));
        }
        if let Some(d) = &s.description {
            v.insert("description".into(), json!(d));
        }
        if let Some(a) = &s.action_statement {
            v.insert("recommendation".into(), json!(a));
        }
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(status_state(s.status)));
        if let Some(j) = s.justification {
            analysis.insert("justification".into(), json!(write_justification(j)));
        }
        let detail = if s.status == Status::NotAffected {
            s.impact_statement.as_ref()
        } else {
            s.notes.as_ref()
        };
        if let Some(d) = detail {
            analysis.insert("detail".into(), json!(d));
        }
        if let Some(t) = s.timestamp {
            analysis.insert("lastUpdated".into(), json!(crate::format_time(t)));
        }
        v.insert("analysis".into(), Value::Object(analysis));
        v.insert(
            "affects".into(),
            Value::Array(refs.into_iter().map(|r| json!({"ref": r})).collect()),
        );
        // Identical entries (a source listing one product twice) are written once: the schema
        // wants them unique.
        let v = Value::Object(v);
        if !vulns.contains(&v) {
            vulns.push(v);
        }
    }
    let components: Vec<Value> = top
        .into_iter()
        .map(|(r, mut c)| {
            if let Some(children) = nested.remove(&r) {
                c.insert(
                    "components".into(),
                    Value::Array(
                        children
                            .into_iter()
                            .map(|(_, c)| Value::Object(c))
                            .collect(),
                    ),
                );
            }
            Value::Object(c)
        })
        .collect();
    let mut metadata = Map::new();
    metadata.insert(
        "timestamp".into(),
        json!(crate::format_time(opts.timestamp)),
    );
    metadata.insert(
        "tools".into(),
        json!({"components": [{"type": "application", "name": "ossgate", "version": env!("CARGO_PKG_VERSION")}]}),
    );
    metadata.insert("authors".into(), json!([{"name": opts.author}]));
    if let Some(s) = &subject {
        metadata.insert(
            "component".into(),
            Value::Object(component(s, s, "application")),
        );
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": metadata,
        "components": components,
        "vulnerabilities": vulns,
    })
}
