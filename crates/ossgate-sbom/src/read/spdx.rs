//! SPDX 2.2/2.3 JSON (and tag-value, converted to JSON by `spdx_tv`) → components.
//!
//! Read:
//! - `packages[]`: each is a component, identified by its `PACKAGE-MANAGER purl` external
//!   reference (else `name` and `versionInfo` as `pkg:generic`, else a `SECURITY cpe23Type` /
//!   `cpe22Type` reference's product and version); `checksums` (MD5, SHA1, SHA256, SHA384,
//!   SHA512; SPDX's other algorithms are dropped silently); the licence is `licenseDeclared`,
//!   else `licenseConcluded` (`NOASSERTION` / `NONE`: no licence), split at its top-level
//!   `AND`s, a `LicenseRef-` that `hasExtractedLicensingInfos` names read as that name.
//! - The subject is the first package the document describes (`documentDescribes`, or a
//!   `DESCRIBES` / `DESCRIBED_BY` relationship); it is not also a component. Other described
//!   packages are direct components.
//! - `relationships`: `A DEPENDS_ON B`, `A CONTAINS B`, `A STATIC_LINK B`, `A DYNAMIC_LINK B`
//!   and `B <kind>_DEPENDENCY_OF A` / `B CONTAINED_BY A` are edges A → B. A component that is
//!   only a dev, build, test or optional dependency (`DEV_DEPENDENCY_OF`, ...) gets that
//!   scope (build → dev). The subject's edges give the direct components.
//!
//! Not read: files and snippets (not packages), other relationship types (generation,
//! variants, ...), supplier / originator / download location and annotations (the component
//! model has no place for them). Elements of other documents (`DocumentRef-...:`) are left out
//! of the graph without a warning.

use super::{
    IdentSource, Lines, SbomContents, Warnings, identify_component, is_no_value, json_type,
    opt_array, opt_str, read_hash, split_and,
};
use ossgate_model::{Component, Location, Scope};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Checksum algorithms SPDX 2.3 allows that ossgate does not model.
const SPEC_ALGS: &[&str] = &[
    "SHA224",
    "SHA3-256",
    "SHA3-384",
    "SHA3-512",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
    "MD2",
    "MD4",
    "MD6",
    "ADLER32",
];

const DOCUMENT: &str = "SPDXRef-DOCUMENT";

/// One package as read, before the subject is chosen.
struct Pkg<'a> {
    obj: &'a Map<String, Value>,
    id: Option<String>,
    path: String,
    /// `None`: could not be identified (already recorded as unresolved, unless it is the
    /// subject).
    comp: Option<Component>,
    /// When unidentifiable: what the unresolved entry would say.
    unresolved: Option<(String, String)>,
}

pub(crate) fn contents(doc: &Value, file: &str, lines: &Lines) -> SbomContents {
    let mut w = Warnings::default();
    let mut out = SbomContents::default();
    let Some(root) = doc.as_object() else {
        w.push("$", None, "the document is not a JSON object");
        out.warnings = w.finish();
        return out;
    };
    let extracted = extracted_names(root, &mut w);

    // Every element id in the document, so that a relationship naming a file or snippet is
    // not taken for a dangling one.
    let mut known: HashSet<String> = HashSet::new();
    known.insert(DOCUMENT.to_string());
    if let Some(id) = root.get("SPDXID").and_then(Value::as_str) {
        known.insert(id.to_string());
    }
    for key in ["files", "snippets"] {
        for f in opt_array(root, key, "$", &mut w) {
            if let Some(id) = f.get("SPDXID").and_then(Value::as_str) {
                known.insert(id.to_string());
            }
        }
    }

    let mut pkgs: Vec<Pkg> = Vec::new();
    for (i, v) in opt_array(root, "packages", "$", &mut w).iter().enumerate() {
        let p = format!("$.packages[{i}]");
        let Some(obj) = v.as_object() else {
            w.push(
                p,
                None,
                format!("a package must be an object, not a {}", json_type(v)),
            );
            continue;
        };
        let id = opt_str(obj, "SPDXID", &p, &mut w).map(str::to_string);
        match &id {
            None => w.push(format!("{p}.SPDXID"), None, "missing (required)"),
            Some(id) if !known.insert(id.clone()) => w.push(
                format!("{p}.SPDXID"),
                None,
                format!("{id:?} is already used by another element; SPDXIDs must be unique"),
            ),
            Some(_) => {}
        }
        let (comp, unresolved) = match package(obj, &p, file, lines, &extracted, &mut w) {
            Ok(c) => (Some(c), None),
            Err(u) => (None, Some(u)),
        };
        pkgs.push(Pkg {
            obj,
            id,
            path: p,
            comp,
            unresolved,
        });
    }
    let index: HashMap<&str, usize> = pkgs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.id.as_deref().map(|id| (id, i)))
        .collect();

    // What the document describes, in order.
    let mut described: Vec<usize> = Vec::new();
    for (i, d) in opt_array(root, "documentDescribes", "$", &mut w)
        .iter()
        .enumerate()
    {
        match d.as_str() {
            Some(id) => {
                if let Some(&k) = index.get(id) {
                    described.push(k);
                } else if !known.contains(id) && !id.starts_with("DocumentRef-") {
                    w.push(
                        format!("$.documentDescribes[{i}]"),
                        None,
                        format!("{id:?} is not the SPDXID of any element in the document"),
                    );
                }
            }
            None => w.push(
                format!("$.documentDescribes[{i}]"),
                None,
                format!("must be an SPDXID string, not a {}", json_type(d)),
            ),
        }
    }

    // Edges between packages: (from, to, scope of `to` the relationship implies).
    let mut edges: Vec<(usize, usize, Scope)> = Vec::new();
    for (i, r) in opt_array(root, "relationships", "$", &mut w)
        .iter()
        .enumerate()
    {
        let p = format!("$.relationships[{i}]");
        let Some(obj) = r.as_object() else {
            w.push(
                p,
                None,
                format!("a relationship must be an object, not a {}", json_type(r)),
            );
            continue;
        };
        let a = opt_str(obj, "spdxElementId", &p, &mut w);
        let kind = opt_str(obj, "relationshipType", &p, &mut w);
        let b = opt_str(obj, "relatedSpdxElement", &p, &mut w);
        let (Some(a), Some(kind), Some(b)) = (a, kind, b) else {
            w.push(
                p,
                None,
                "a relationship needs spdxElementId, relationshipType and relatedSpdxElement",
            );
            continue;
        };
        let resolve = |id: &str, field: &str, w: &mut Warnings| -> Option<usize> {
            if let Some(&k) = index.get(id) {
                return Some(k);
            }
            if !known.contains(id) && !is_no_value(id) && !id.starts_with("DocumentRef-") {
                w.push(
                    format!("{p}.{field}"),
                    None,
                    format!("{id:?} is not the SPDXID of any element in the document"),
                );
            }
            None
        };
        let ka = resolve(a, "spdxElementId", &mut w);
        let kb = resolve(b, "relatedSpdxElement", &mut w);
        let kind = kind.to_ascii_uppercase().replace('-', "_");
        match kind.as_str() {
            "DESCRIBES" if a == DOCUMENT => described.extend(kb),
            "DESCRIBED_BY" if b == DOCUMENT => described.extend(ka),
            "DEPENDS_ON" | "CONTAINS" | "STATIC_LINK" | "DYNAMIC_LINK" => {
                if let (Some(x), Some(y)) = (ka, kb) {
                    edges.push((x, y, Scope::Runtime));
                }
            }
            "DEPENDENCY_OF"
            | "RUNTIME_DEPENDENCY_OF"
            | "PROVIDED_DEPENDENCY_OF"
            | "CONTAINED_BY" => {
                if let (Some(x), Some(y)) = (ka, kb) {
                    edges.push((y, x, Scope::Runtime));
                }
            }
            "DEV_DEPENDENCY_OF" | "BUILD_DEPENDENCY_OF" => {
                if let (Some(x), Some(y)) = (ka, kb) {
                    edges.push((y, x, Scope::Dev));
                }
            }
            "TEST_DEPENDENCY_OF" => {
                if let (Some(x), Some(y)) = (ka, kb) {
                    edges.push((y, x, Scope::Test));
                }
            }
            "OPTIONAL_DEPENDENCY_OF" => {
                if let (Some(x), Some(y)) = (ka, kb) {
                    edges.push((y, x, Scope::Optional));
                }
            }
            _ => {}
        }
    }

    let subject = described.first().copied();
    // Scope: the widest any incoming edge gives; a dev/test/optional edge alone narrows it.
    let mut scope: Vec<Option<Scope>> = vec![None; pkgs.len()];
    for &(_, to, s) in &edges {
        scope[to] = Some(scope[to].map_or(s, |old| old.widest(s)));
    }
    let mut has_parent = vec![false; pkgs.len()];
    let mut from_subject: Vec<usize> = Vec::new();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); pkgs.len()];
    for &(from, to, _) in &edges {
        if from == to {
            continue;
        }
        if Some(from) == subject {
            from_subject.push(to);
        } else {
            has_parent[to] = true;
        }
        if !deps[from].contains(&to) {
            deps[from].push(to);
        }
    }
    let direct: HashSet<usize> = if from_subject.is_empty() {
        (0..pkgs.len())
            .filter(|&i| Some(i) != subject && !has_parent[i])
            .collect()
    } else {
        from_subject
            .iter()
            .copied()
            .chain(described.iter().copied().skip(1))
            .collect()
    };

    let purls: Vec<Option<String>> = pkgs
        .iter()
        .map(|p| p.comp.as_ref().map(|c| c.purl.clone()))
        .collect();
    let dep_purls = |i: usize| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for &j in &deps[i] {
            if Some(j) != subject
                && let Some(p) = &purls[j]
                && !v.contains(p)
            {
                v.push(p.clone());
            }
        }
        v
    };
    for (i, pkg) in pkgs.iter_mut().enumerate() {
        if Some(i) == subject {
            continue;
        }
        match pkg.comp.take() {
            Some(mut c) => {
                c.dependencies = dep_purls(i);
                c.direct = direct.contains(&i);
                c.scope = scope[i].unwrap_or(Scope::Runtime);
                out.components.push(c);
            }
            None => {
                if let Some((text, reason)) = pkg.unresolved.take() {
                    out.unresolved.push((pkg.path.clone(), text, reason));
                }
            }
        }
    }
    if let Some(s) = subject {
        let sub = subject_component(pkgs[s].obj, &pkgs[s].path, file, lines, &extracted);
        if let Some(mut c) = sub {
            let mut d: Vec<String> = Vec::new();
            for &j in &direct {
                if let Some(p) = &purls[j]
                    && !d.contains(p)
                {
                    d.push(p.clone());
                }
            }
            d.sort();
            c.dependencies = d;
            out.subject = Some(c);
        }
    }
    out.warnings = w.finish();
    out
}

/// The subject package, which may have no version (its warnings were given already).
fn subject_component(
    obj: &Map<String, Value>,
    p: &str,
    file: &str,
    lines: &Lines,
    extracted: &HashMap<String, String>,
) -> Option<Component> {
    let mut scratch = Warnings::default();
    let src = ident_source(obj, p, &mut scratch);
    let ident = identify_component(&src, true, &mut scratch).ok()?;
    let mut c = Component::with_purl(ident.ecosystem, ident.name, ident.version, ident.purl);
    c.locations.push(Location {
        file: file.to_string(),
        line: lines.get(p).copied(),
    });
    c.licenses = license(obj, p, extracted, &mut scratch);
    Some(c)
}

fn ident_source<'a>(obj: &'a Map<String, Value>, p: &str, w: &mut Warnings) -> IdentSource<'a> {
    let mut purl = None;
    let mut cpe = None;
    for (i, r) in opt_array(obj, "externalRefs", p, w).iter().enumerate() {
        let rp = format!("{p}.externalRefs[{i}]");
        let field = |k: &str| r.get(k).and_then(Value::as_str).map(str::trim);
        let (Some(cat), Some(ty), Some(loc)) = (
            field("referenceCategory"),
            field("referenceType"),
            field("referenceLocator"),
        ) else {
            w.push(
                rp,
                None,
                "an external reference needs referenceCategory, referenceType and referenceLocator",
            );
            continue;
        };
        let cat = cat.to_ascii_uppercase().replace('_', "-");
        match (cat.as_str(), ty) {
            ("PACKAGE-MANAGER", "purl") if purl.is_none() => {
                purl = Some((loc, format!("{rp}.referenceLocator")));
            }
            ("SECURITY", "cpe23Type" | "cpe22Type") if cpe.is_none() => cpe = Some(loc),
            _ => {}
        }
    }
    IdentSource {
        purl,
        group: None,
        name: opt_str(obj, "name", p, w),
        version: opt_str(obj, "versionInfo", p, w),
        cpe,
    }
}

/// One package; `Err((text, reason))` when it names no version.
fn package(
    obj: &Map<String, Value>,
    p: &str,
    file: &str,
    lines: &Lines,
    extracted: &HashMap<String, String>,
    w: &mut Warnings,
) -> Result<Component, (String, String)> {
    if opt_str(obj, "name", p, w).is_none() {
        w.push(format!("{p}.name"), None, "missing (required)");
    }
    let src = ident_source(obj, p, w);
    let ident = identify_component(&src, false, w)?;
    let mut c = Component::with_purl(ident.ecosystem, ident.name, ident.version, ident.purl);
    c.locations.push(Location {
        file: file.to_string(),
        line: lines.get(p).copied(),
    });
    for (i, h) in opt_array(obj, "checksums", p, w).iter().enumerate() {
        let hp = format!("{p}.checksums[{i}]");
        let (Some(alg), Some(value)) = (
            h.get("algorithm").and_then(Value::as_str),
            h.get("checksumValue").and_then(Value::as_str),
        ) else {
            w.push(
                hp,
                None,
                "a checksum needs `algorithm` and `checksumValue` strings",
            );
            continue;
        };
        if let Some(hash) = read_hash(alg, value, SPEC_ALGS, &hp, w)
            && !c.hashes.contains(&hash)
        {
            c.hashes.push(hash);
        }
    }
    c.licenses = license(obj, p, extracted, w);
    Ok(c)
}

/// `licenseDeclared`, else `licenseConcluded`, split at top-level `AND`s.
fn license(
    obj: &Map<String, Value>,
    p: &str,
    extracted: &HashMap<String, String>,
    w: &mut Warnings,
) -> Vec<String> {
    let expr = ["licenseDeclared", "licenseConcluded"]
        .iter()
        .filter_map(|k| opt_str(obj, k, p, w))
        .find(|v| !is_no_value(v));
    let Some(expr) = expr else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for part in split_and(expr) {
        let part = extracted.get(&part).cloned().unwrap_or(part);
        if !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

/// `LicenseRef-...` → the licence's name, from `hasExtractedLicensingInfos`.
fn extracted_names(root: &Map<String, Value>, w: &mut Warnings) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in opt_array(root, "hasExtractedLicensingInfos", "$", w) {
        let id = e.get("licenseId").and_then(Value::as_str).map(str::trim);
        let name = e.get("name").and_then(Value::as_str).map(str::trim);
        if let (Some(id), Some(name)) = (id, name)
            && !name.is_empty()
            && !is_no_value(name)
        {
            out.insert(id.to_string(), name.to_string());
        }
    }
    out
}
