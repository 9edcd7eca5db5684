//! SPDX 2.3, JSON and tag-value, with the same content:
//!
//! - the document (`SPDXRef-DOCUMENT`, CC0-1.0 data licence, a `documentNamespace` under
//!   `https://spdx.org/spdxdocs/` made unique by a UUID, creators: the tool and the author);
//! - the subject as a package `SPDXRef-Root` that the document DESCRIBES;
//! - one package per component: name, `versionInfo`, `supplier`/`downloadLocation`/licence
//!   fields as NOASSERTION where unknown (SPDX requires them), `licenseDeclared` from the
//!   lockfile or SBOM, checksums, the purl as a PACKAGE-MANAGER external reference, and
//!   `primaryPackagePurpose` LIBRARY;
//! - relationships: the root DEPENDS_ON each direct component (DEV_DEPENDENCY_OF /
//!   OPTIONAL_DEPENDENCY_OF / TEST_DEPENDENCY_OF for those scopes, which SPDX writes from the
//!   dependency's side), and each component DEPENDS_ON the components its lockfile names.

use crate::ids::{serial, timestamp};
use crate::license::{LicenseForm, classify};
use crate::{Doc, Error, WriteOptions};
use ossgate_model::{Component, Scope};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;

const ROOT: &str = "SPDXRef-Root";

/// SPDX ids: `SPDXRef-Package-<name>-<version>`, with every character outside
/// `[A-Za-z0-9.-]` replaced by `-`, and a counter where two components would collide.
fn spdx_ids(doc: &Doc) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    doc.components
        .iter()
        .map(|c| {
            let raw = format!("{}-{}-{}", c.ecosystem.purl_type(), c.name, c.version);
            let base: String = raw
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                        ch
                    } else {
                        '-'
                    }
                })
                .collect();
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            if *n == 1 {
                format!("SPDXRef-Package-{base}")
            } else {
                format!("SPDXRef-Package-{base}-{n}")
            }
        })
        .collect()
}

/// The declared licence as SPDX wants it: an expression over list ids, `LicenseRef-` for
/// anything else, NOASSERTION when unknown.
fn declared(c: &Component) -> String {
    if c.licenses.is_empty() {
        return "NOASSERTION".into();
    }
    let parts: Vec<String> = c
        .licenses
        .iter()
        .map(|l| match classify(l) {
            LicenseForm::Id(id) => id,
            LicenseForm::Expression(e) if c.licenses.len() == 1 => e,
            LicenseForm::Expression(e) => format!("({e})"),
            LicenseForm::Name(n) => license_ref(&n),
        })
        .collect();
    parts.join(" AND ")
}

/// `LicenseRef-<idstring>` for a licence that is not on the SPDX list.
fn license_ref(name: &str) -> String {
    let id: String = name
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    format!("LicenseRef-{id}")
}

/// Free-text licences used in the document, for `hasExtractedLicensingInfos`.
fn extracted_licenses(doc: &Doc) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = doc
        .components
        .iter()
        .flat_map(|c| c.licenses.iter())
        .filter_map(|l| match classify(l) {
            LicenseForm::Name(n) => Some((license_ref(&n), n)),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

struct Relationship<'a> {
    from: &'a str,
    kind: &'static str,
    to: &'a str,
}

fn relationships<'a>(doc: &Doc, ids: &'a [String]) -> Vec<Relationship<'a>> {
    let mut out = vec![Relationship {
        from: "SPDXRef-DOCUMENT",
        kind: "DESCRIBES",
        to: ROOT,
    }];
    for &i in &doc.direct {
        let (from, kind, to) = match doc.components[i].scope {
            Scope::Runtime => (ROOT, "DEPENDS_ON", ids[i].as_str()),
            Scope::Dev => (ids[i].as_str(), "DEV_DEPENDENCY_OF", ROOT),
            Scope::Optional => (ids[i].as_str(), "OPTIONAL_DEPENDENCY_OF", ROOT),
            Scope::Test => (ids[i].as_str(), "TEST_DEPENDENCY_OF", ROOT),
        };
        out.push(Relationship { from, kind, to });
    }
    for (i, e) in doc.edges.iter().enumerate() {
        for &j in e {
            out.push(Relationship {
                from: ids[i].as_str(),
                kind: "DEPENDS_ON",
                to: ids[j].as_str(),
            });
        }
    }
    out
}

fn namespace(doc: &Doc, opts: &WriteOptions) -> String {
    let uuid = serial(opts.reproducible, || doc.content_key());
    let name: String = doc
        .subject
        .name
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
        .collect();
    format!("https://spdx.org/spdxdocs/{name}-{uuid}")
}

fn creators(opts: &WriteOptions) -> Vec<String> {
    let mut v = vec![format!("Tool: ossgate-{}", env!("CARGO_PKG_VERSION"))];
    if let Some(a) = &opts.author {
        v.push(format!("Organization: {a}"));
    }
    v
}

fn supplier(opts: &WriteOptions) -> String {
    match &opts.supplier {
        Some(s) => format!("Organization: {s}"),
        None => "NOASSERTION".into(),
    }
}

pub(crate) fn json(doc: &Doc, opts: &WriteOptions) -> Result<String, Error> {
    let ids = spdx_ids(doc);
    let mut root = Map::new();
    root.insert("SPDXID".into(), json!(ROOT));
    root.insert("name".into(), json!(doc.subject.name));
    if let Some(v) = &doc.subject.version {
        root.insert("versionInfo".into(), json!(v));
    }
    root.insert("supplier".into(), json!(supplier(opts)));
    root.insert("downloadLocation".into(), json!("NOASSERTION"));
    root.insert("filesAnalyzed".into(), json!(false));
    root.insert("licenseConcluded".into(), json!("NOASSERTION"));
    root.insert("licenseDeclared".into(), json!("NOASSERTION"));
    root.insert("copyrightText".into(), json!("NOASSERTION"));
    root.insert("primaryPackagePurpose".into(), json!("APPLICATION"));
    if let Some(p) = &doc.subject.purl {
        root.insert(
            "externalRefs".into(),
            json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": p}]),
        );
    }
    let mut packages = vec![Value::Object(root)];
    for (c, id) in doc.components.iter().zip(&ids) {
        let mut p = Map::new();
        p.insert("SPDXID".into(), json!(id));
        p.insert("name".into(), json!(c.name));
        p.insert("versionInfo".into(), json!(c.version));
        p.insert("supplier".into(), json!("NOASSERTION"));
        p.insert("downloadLocation".into(), json!("NOASSERTION"));
        p.insert("filesAnalyzed".into(), json!(false));
        if !c.hashes.is_empty() {
            p.insert(
                "checksums".into(),
                json!(
                    c.hashes
                        .iter()
                        .map(|h| json!({"algorithm": h.alg.spdx(), "checksumValue": h.value}))
                        .collect::<Vec<_>>()
                ),
            );
        }
        p.insert("licenseConcluded".into(), json!("NOASSERTION"));
        p.insert("licenseDeclared".into(), json!(declared(c)));
        p.insert("copyrightText".into(), json!("NOASSERTION"));
        p.insert(
            "externalRefs".into(),
            json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": c.purl}]),
        );
        p.insert("primaryPackagePurpose".into(), json!("LIBRARY"));
        packages.push(Value::Object(p));
    }
    let rels: Vec<Value> = relationships(doc, &ids)
        .iter()
        .map(|r| {
            json!({"spdxElementId": r.from, "relationshipType": r.kind, "relatedSpdxElement": r.to})
        })
        .collect();
    let mut d = Map::new();
    d.insert("spdxVersion".into(), json!("SPDX-2.3"));
    d.insert("dataLicense".into(), json!("CC0-1.0"));
    d.insert("SPDXID".into(), json!("SPDXRef-DOCUMENT"));
    d.insert("name".into(), json!(doc.subject.name));
    d.insert("documentNamespace".into(), json!(namespace(doc, opts)));
    d.insert(
        "creationInfo".into(),
        json!({"created": timestamp(opts.reproducible), "creators": creators(opts)}),
    );
    let extracted = extracted_licenses(doc);
    if !extracted.is_empty() {
        d.insert(
            "hasExtractedLicensingInfos".into(),
            json!(
                extracted
                    .iter()
                    .map(|(id, text)| json!({"licenseId": id, "extractedText": text, "name": text}))
                    .collect::<Vec<_>>()
            ),
        );
    }
    d.insert("documentDescribes".into(), json!([ROOT]));
    d.insert("packages".into(), json!(packages));
    d.insert("relationships".into(), json!(rels));
    let mut s = serde_json::to_string_pretty(&Value::Object(d))?;
    s.push('\n');
    Ok(s)
}

/// Tag-value text allows any character but a newline inside a single-line value; multi-line
/// values go in `<text>` blocks.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

pub(crate) fn tag_value(doc: &Doc, opts: &WriteOptions) -> Result<String, Error> {
    let ids = spdx_ids(doc);
    let mut out = String::with_capacity(512 + doc.components.len() * 400);
    let _ = writeln!(out, "SPDXVersion: SPDX-2.3");
    let _ = writeln!(out, "DataLicense: CC0-1.0");
    let _ = writeln!(out, "SPDXID: SPDXRef-DOCUMENT");
    let _ = writeln!(out, "DocumentName: {}", one_line(&doc.subject.name));
    let _ = writeln!(out, "DocumentNamespace: {}", namespace(doc, opts));
    for c in creators(opts) {
        let _ = writeln!(out, "Creator: {}", one_line(&c));
    }
    let _ = writeln!(out, "Created: {}", timestamp(opts.reproducible));
    out.push('\n');
    let _ = writeln!(out, "PackageName: {}", one_line(&doc.subject.name));
    let _ = writeln!(out, "SPDXID: {ROOT}");
    if let Some(v) = &doc.subject.version {
        let _ = writeln!(out, "PackageVersion: {}", one_line(v));
    }
    let _ = writeln!(out, "PackageSupplier: {}", one_line(&supplier(opts)));
    let _ = writeln!(out, "PackageDownloadLocation: NOASSERTION");
    let _ = writeln!(out, "FilesAnalyzed: false");
    let _ = writeln!(out, "PackageLicenseConcluded: NOASSERTION");
    let _ = writeln!(out, "PackageLicenseDeclared: NOASSERTION");
    let _ = writeln!(out, "PackageCopyrightText: NOASSERTION");
    let _ = writeln!(out, "PrimaryPackagePurpose: APPLICATION");
    if let Some(p) = &doc.subject.purl {
        let _ = writeln!(out, "ExternalRef: PACKAGE-MANAGER purl {p}");
    }
    for (c, id) in doc.components.iter().zip(&ids) {
        out.push('\n');
        let _ = writeln!(out, "PackageName: {}", one_line(&c.name));
        let _ = writeln!(out, "SPDXID: {id}");
        let _ = writeln!(out, "PackageVersion: {}", one_line(&c.version));
        let _ = writeln!(out, "PackageSupplier: NOASSERTION");
        let _ = writeln!(out, "PackageDownloadLocation: NOASSERTION");
        let _ = writeln!(out, "FilesAnalyzed: false");
        for h in &c.hashes {
            let _ = writeln!(out, "PackageChecksum: {}: {}", h.alg.spdx(), h.value);
        }
        let _ = writeln!(out, "PackageLicenseConcluded: NOASSERTION");
        let _ = writeln!(out, "PackageLicenseDeclared: {}", declared(c));
        let _ = writeln!(out, "PackageCopyrightText: NOASSERTION");
        let _ = writeln!(out, "ExternalRef: PACKAGE-MANAGER purl {}", c.purl);
        let _ = writeln!(out, "PrimaryPackagePurpose: LIBRARY");
    }
    let extracted = extracted_licenses(doc);
    for (id, text) in &extracted {
        out.push('\n');
        let _ = writeln!(out, "LicenseID: {id}");
        let _ = writeln!(
            out,
            "ExtractedText: <text>{}</text>",
            text.replace("</text>", "")
        );
        let _ = writeln!(out, "LicenseName: {}", one_line(text));
    }
    out.push('\n');
    for r in relationships(doc, &ids) {
        let _ = writeln!(out, "Relationship: {} {} {}", r.from, r.kind, r.to);
    }
    Ok(out)
}
