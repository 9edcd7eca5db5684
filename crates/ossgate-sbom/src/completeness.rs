//! Completeness of an SBOM against two minimums, element by element, on the document's JSON
//! form (CycloneDX JSON, or SPDX 2.x JSON; XML and tag-value documents are converted first):
//!
//! - **NTIA minimum elements** (NTIA, "The Minimum Elements For a Software Bill of Materials",
//!   2021): per component the supplier name, component name, version, another unique identifier
//!   (purl, CPE or SWID) and its dependency relationship; for the document the author of the
//!   SBOM data and a timestamp.
//! - **BSI TR-03183-2** (version 2.0): the format (CycloneDX 1.6 or later, or SPDX 3.0.1 or
//!   later), the SBOM's creator with a contact (e-mail or URL) and timestamp; per component a
//!   creator with a contact, name, version, licences, a SHA-512 hash, dependency relationships,
//!   and the file name (CycloneDX property `bsi:component:filename`, SPDX `packageFileName`);
//!   and no vulnerability data inside the SBOM (the TR keeps that in separate documents such as
//!   VEX or CSAF). The TR's executable/archive/structured properties are not checked.
//!
//! Each failure names the element and where it is missing (a JSON path), so a supplier can fix
//! it; the summary counts, per element, how many components lack it.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Which minimum a requirement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Standard {
    #[serde(rename = "NTIA")]
    Ntia,
    #[serde(rename = "BSI TR-03183-2")]
    Bsi,
}

impl Standard {
    pub fn name(self) -> &'static str {
        match self {
            Standard::Ntia => "NTIA",
            Standard::Bsi => "BSI TR-03183-2",
        }
    }
}

/// One element missing somewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub standard: Standard,
    pub element: &'static str,
    /// JSON path of the document part that lacks it (`$` for the document).
    pub path: String,
    pub message: String,
}

/// Per (standard, element): how many document parts were checked and how many lack it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementSummary {
    pub standard: Standard,
    pub element: &'static str,
    pub checked: usize,
    pub missing: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Completeness {
    pub summary: Vec<ElementSummary>,
    pub missing: Vec<Missing>,
}

impl Completeness {
    /// Whether every element of `standard` is present everywhere.
    pub fn passes(&self, standard: Standard) -> bool {
        !self.missing.iter().any(|m| m.standard == standard)
    }
}

struct Checker {
    counts: BTreeMap<(Standard, &'static str), (usize, usize)>,
    missing: Vec<Missing>,
}

impl Checker {
    fn check(
        &mut self,
        standard: Standard,
        element: &'static str,
        path: &str,
        ok: bool,
        message: impl FnOnce() -> String,
    ) {
        let e = self.counts.entry((standard, element)).or_default();
        e.0 += 1;
        if !ok {
            e.1 += 1;
            self.missing.push(Missing {
                standard,
                element,
                path: path.to_string(),
                message: message(),
            });
        }
    }

    fn finish(self) -> Completeness {
        Completeness {
            summary: self
                .counts
                .into_iter()
                .map(|((standard, element), (checked, missing))| ElementSummary {
                    standard,
                    element,
                    checked,
                    missing,
                })
                .collect(),
            missing: self.missing,
        }
    }
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty())
}

fn known(v: &Value) -> Option<&str> {
    text(v).filter(|s| *s != "NOASSERTION" && *s != "NONE")
}

fn has_contact(entity: &Value) -> bool {
    let email = entity.get("email").and_then(text).is_some()
        || entity
            .get("contact")
            .and_then(Value::as_array)
            .is_some_and(|c| c.iter().any(|x| x.get("email").and_then(text).is_some()));
    let url = entity
        .get("url")
        .and_then(Value::as_array)
        .is_some_and(|u| u.iter().any(|x| text(x).is_some()));
    email || url
}

/// Checks a CycloneDX or SPDX 2.x document in JSON form.
pub fn check(doc: &Value) -> Completeness {
    let mut c = Checker {
        counts: BTreeMap::new(),
        missing: Vec::new(),
    };
    if doc.get("bomFormat").is_some() || doc.get("specVersion").is_some() {
        cyclonedx(doc, &mut c);
    } else {
        spdx(doc, &mut c);
    }
    c.finish()
}

/// Every component, depth first, with its JSON path.
fn cdx_components<'a>(list: &'a Value, path: &str, out: &mut Vec<(String, &'a Value)>) {
    if let Some(items) = list.as_array() {
        for (i, comp) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            out.push((p.clone(), comp));
            if let Some(nested) = comp.get("components") {
                cdx_components(nested, &format!("{p}.components"), out);
            }
        }
    }
}

fn version_at_least(v: &str, major: u32, minor: u32) -> bool {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

fn cyclonedx(doc: &Value, c: &mut Checker) {
    let meta = &doc["metadata"];
    let spec = doc["specVersion"].as_str().unwrap_or("");
    let authors = meta["authors"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x.get("name").and_then(text).is_some()));
    let manufacturer = meta.get("manufacturer").or_else(|| meta.get("manufacture"));
    let org = manufacturer
        .or_else(|| meta.get("supplier"))
        .and_then(|m| m.get("name"))
        .and_then(text)
        .is_some();
    c.check(
        Standard::Ntia,
        "author",
        "$.metadata",
        authors || org,
        || "no metadata.authors, manufacturer or supplier names who made the SBOM".into(),
    );
    c.check(
        Standard::Ntia,
        "timestamp",
        "$.metadata.timestamp",
        meta.get("timestamp").and_then(text).is_some(),
        || "no metadata.timestamp".into(),
    );
    c.check(
        Standard::Bsi,
        "format",
        "$.specVersion",
        version_at_least(spec, 1, 6),
        || format!("CycloneDX {spec}; the TR requires 1.6 or later"),
    );
    let creator_contact = meta["authors"]
        .as_array()
        .is_some_and(|a| a.iter().any(has_contact))
        || manufacturer.is_some_and(has_contact)
        || meta.get("supplier").is_some_and(has_contact);
    c.check(
        Standard::Bsi,
        "SBOM creator contact",
        "$.metadata",
        creator_contact,
        || "the SBOM's creator has no e-mail or URL".into(),
    );
    c.check(
        Standard::Bsi,
        "timestamp",
        "$.metadata.timestamp",
        meta.get("timestamp").and_then(text).is_some(),
        || "no metadata.timestamp".into(),
    );
    let has_vulns = doc["vulnerabilities"]
        .as_array()
        .is_some_and(|v| !v.is_empty());
    c.check(
        Standard::Bsi,
        "no vulnerability data",
        "$.vulnerabilities",
        !has_vulns,
        || "the SBOM carries vulnerabilities; the TR keeps them in VEX/CSAF documents".into(),
    );

    let mut comps = Vec::new();
    cdx_components(&doc["components"], "$.components", &mut comps);
    // bom-refs that take part in a dependency relationship (either side).
    let mut related: HashSet<&str> = HashSet::new();
    if let Some(deps) = doc["dependencies"].as_array() {
        for d in deps {
            if let Some(r) = d["ref"].as_str() {
                related.insert(r);
            }
            for x in d["dependsOn"].as_array().into_iter().flatten() {
                if let Some(r) = x.as_str() {
                    related.insert(r);
                }
            }
        }
    }
    for (path, comp) in comps {
        let name = comp.get("name").and_then(text);
        let label = || name.unwrap_or("(unnamed)").to_string();
        let supplier = comp["supplier"]["name"].as_str().is_some()
            || comp.get("publisher").and_then(text).is_some()
            || comp["manufacturer"]["name"].as_str().is_some()
            || comp.get("author").and_then(text).is_some()
            || comp["authors"].as_array().is_some_and(|a| !a.is_empty());
        c.check(Standard::Ntia, "supplier", &path, supplier, || {
            format!("{}: no supplier", label())
        });
        c.check(Standard::Ntia, "name", &path, name.is_some(), || {
            "no name".to_string()
        });
        let version = comp.get("version").and_then(text).is_some();
        c.check(Standard::Ntia, "version", &path, version, || {
            format!("{}: no version", label())
        });
        let id = comp.get("purl").and_then(text).is_some()
            || comp.get("cpe").and_then(text).is_some()
            || comp.get("swid").is_some()
            || comp.get("omniborId").is_some()
            || comp.get("swhid").is_some();
        c.check(Standard::Ntia, "unique identifier", &path, id, || {
            format!("{}: no purl, CPE or SWID", label())
        });
        let in_graph = comp["bom-ref"]
            .as_str()
            .is_some_and(|r| related.contains(r));
        c.check(
            Standard::Ntia,
            "dependency relationship",
            &path,
            in_graph,
            || format!("{}: not in the dependency graph", label()),
        );

        let creator = comp["supplier"]
            .as_object()
            .is_some_and(|_| has_contact(&comp["supplier"]))
            || comp["manufacturer"]
                .as_object()
                .is_some_and(|_| has_contact(&comp["manufacturer"]));
        c.check(
            Standard::Bsi,
            "component creator contact",
            &path,
            creator,
            || {
                format!(
                    "{}: no supplier or manufacturer with e-mail or URL",
                    label()
                )
            },
        );
        c.check(Standard::Bsi, "name", &path, name.is_some(), || {
            "no name".to_string()
        });
        c.check(Standard::Bsi, "version", &path, version, || {
            format!("{}: no version", label())
        });
        let licences = comp["licenses"].as_array().is_some_and(|l| !l.is_empty());
        c.check(Standard::Bsi, "licences", &path, licences, || {
            format!("{}: no licences", label())
        });
        let sha512 = comp["hashes"].as_array().is_some_and(|h| {
            h.iter().any(|x| {
                x["alg"]
                    .as_str()
                    .is_some_and(|a| a.eq_ignore_ascii_case("SHA-512"))
            })
        });
        c.check(Standard::Bsi, "SHA-512 hash", &path, sha512, || {
            format!("{}: no SHA-512 hash", label())
        });
        c.check(
            Standard::Bsi,
            "dependency relationship",
            &path,
            in_graph,
            || format!("{}: not in the dependency graph", label()),
        );
        let filename = comp["properties"].as_array().is_some_and(|p| {
            p.iter().any(|x| {
                x["name"] == "bsi:component:filename" && x.get("value").and_then(text).is_some()
            })
        });
        c.check(Standard::Bsi, "file name", &path, filename, || {
            format!("{}: no bsi:component:filename property", label())
        });
    }
}

fn spdx(doc: &Value, c: &mut Checker) {
    let info = &doc["creationInfo"];
    let creators: Vec<&str> = info["creators"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let author = creators
        .iter()
        .any(|s| s.starts_with("Person:") || s.starts_with("Organization:"));
    c.check(
        Standard::Ntia,
        "author",
        "$.creationInfo.creators",
        author,
        || "no Person: or Organization: creator".into(),
    );
    let created = info.get("created").and_then(text).is_some();
    c.check(
        Standard::Ntia,
        "timestamp",
        "$.creationInfo.created",
        created,
        || "no creationInfo.created".into(),
    );
    let version = doc["spdxVersion"].as_str().unwrap_or("");
    c.check(Standard::Bsi, "format", "$.spdxVersion", false, || {
        format!("{version}; the TR requires SPDX 3.0.1 or later")
    });
    let contact = creators
        .iter()
        .any(|s| (s.starts_with("Person:") || s.starts_with("Organization:")) && s.contains('('));
    c.check(
        Standard::Bsi,
        "SBOM creator contact",
        "$.creationInfo.creators",
        contact,
        || "no creator with an e-mail, as `Organization: Name (email)`".into(),
    );
    c.check(
        Standard::Bsi,
        "timestamp",
        "$.creationInfo.created",
        created,
        || "no creationInfo.created".into(),
    );

    let mut related: HashSet<&str> = HashSet::new();
    for r in doc["relationships"].as_array().into_iter().flatten() {
        let kind = r["relationshipType"].as_str().unwrap_or("");
        if kind == "DESCRIBES" || kind == "DESCRIBED_BY" {
            continue;
        }
        for k in ["spdxElementId", "relatedSpdxElement"] {
            if let Some(id) = r[k].as_str() {
                related.insert(id);
            }
        }
    }
    for (i, p) in doc["packages"].as_array().into_iter().flatten().enumerate() {
        let path = format!("$.packages[{i}]");
        let name = p.get("name").and_then(text);
        let label = || name.unwrap_or("(unnamed)").to_string();
        let supplier = p.get("supplier").and_then(known).is_some()
            || p.get("originator").and_then(known).is_some();
        c.check(Standard::Ntia, "supplier", &path, supplier, || {
            format!("{}: no supplier", label())
        });
        c.check(Standard::Ntia, "name", &path, name.is_some(), || {
            "no name".to_string()
        });
        let version = p.get("versionInfo").and_then(text).is_some();
        c.check(Standard::Ntia, "version", &path, version, || {
            format!("{}: no versionInfo", label())
        });
        let id = p["externalRefs"].as_array().is_some_and(|refs| {
            refs.iter().any(|r| {
                matches!(
                    r["referenceType"].as_str(),
                    Some("purl" | "cpe23Type" | "cpe22Type" | "swid")
                )
            })
        });
        c.check(Standard::Ntia, "unique identifier", &path, id, || {
            format!("{}: no purl, CPE or SWID external reference", label())
        });
        let in_graph = p["SPDXID"].as_str().is_some_and(|s| related.contains(s));
        c.check(
            Standard::Ntia,
            "dependency relationship",
            &path,
            in_graph,
            || format!("{}: in no relationship", label()),
        );
        let contact = p
            .get("supplier")
            .and_then(known)
            .is_some_and(|s| s.contains('('));
        c.check(
            Standard::Bsi,
            "component creator contact",
            &path,
            contact,
            || format!("{}: no supplier with an e-mail", label()),
        );
        c.check(Standard::Bsi, "name", &path, name.is_some(), || {
            "no name".to_string()
        });
        c.check(Standard::Bsi, "version", &path, version, || {
            format!("{}: no versionInfo", label())
        });
        let licences = p.get("licenseDeclared").and_then(known).is_some()
            || p.get("licenseConcluded").and_then(known).is_some();
        c.check(Standard::Bsi, "licences", &path, licences, || {
            format!("{}: no declared or concluded licence", label())
        });
        let sha512 = p["checksums"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x["algorithm"].as_str() == Some("SHA512")));
        c.check(Standard::Bsi, "SHA-512 hash", &path, sha512, || {
            format!("{}: no SHA512 checksum", label())
        });
        c.check(
            Standard::Bsi,
            "dependency relationship",
            &path,
            in_graph,
            || format!("{}: in no relationship", label()),
        );
        let filename = p.get("packageFileName").and_then(text).is_some();
        c.check(Standard::Bsi, "file name", &path, filename, || {
            format!("{}: no packageFileName", label())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cyclonedx_elements() {
        let doc = json!({
            "bomFormat": "CycloneDX", "specVersion": "1.6",
            "metadata": {"timestamp": "2026-01-01T00:00:00Z",
                         "authors": [{"name": "A", "email": "a@example.com"}]},
            "components": [
                {"bom-ref": "a", "name": "a", "version": "1", "purl": "pkg:npm/a@1",
                 "supplier": {"name": "S", "url": ["https://s.example"]},
                 "licenses": [{"license": {"id": "MIT"}}],
                 "hashes": [{"alg": "SHA-512", "content": "00"}],
                 "properties": [{"name": "bsi:component:filename", "value": "a.tgz"}]},
                {"bom-ref": "b", "name": "b"}
            ],
            "dependencies": [{"ref": "a", "dependsOn": []}]
        });
        let r = check(&doc);
        let missing: Vec<(&str, &str)> = r
            .missing
            .iter()
            .filter(|m| m.standard == Standard::Ntia)
            .map(|m| (m.element, m.path.as_str()))
            .collect();
        assert_eq!(
            missing,
            [
                ("supplier", "$.components[1]"),
                ("version", "$.components[1]"),
                ("unique identifier", "$.components[1]"),
                ("dependency relationship", "$.components[1]"),
            ]
        );
        assert!(!r.passes(Standard::Ntia));
        // Component a meets every BSI element; b meets only its name.
        assert!(r.missing.iter().all(|m| m.path != "$.components[0]"));
        let s = r
            .summary
            .iter()
            .find(|s| s.standard == Standard::Bsi && s.element == "SHA-512 hash")
            .unwrap();
        assert_eq!((s.checked, s.missing), (2, 1));
    }

    #[test]
    fn spdx_elements_and_old_formats() {
        let doc = json!({
            "spdxVersion": "SPDX-2.3",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: x"]},
            "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1",
                          "supplier": "Organization: S",
                          "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",
                                            "referenceType": "purl", "referenceLocator": "pkg:npm/a@1"}]}],
            "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                               "relatedSpdxElement": "SPDXRef-a"}]
        });
        let r = check(&doc);
        let ntia: Vec<&str> = r
            .missing
            .iter()
            .filter(|m| m.standard == Standard::Ntia)
            .map(|m| m.element)
            .collect();
        assert_eq!(ntia, ["author", "dependency relationship"]);
        assert!(
            r.missing
                .iter()
                .any(|m| m.standard == Standard::Bsi && m.element == "format")
        );
    }
}
