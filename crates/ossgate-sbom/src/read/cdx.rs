//! CycloneDX 1.2–1.7 JSON (and XML, converted to JSON by `cdx_xml`) → components.
//!
//! Read:
//! - `components[]`, recursively (`components[].components[]`, and the subject's own
//!   `metadata.component.components[]`), in document order. Each is identified by its `purl`
//!   (else `group`/`name`/`version` as `pkg:generic`, else the CPE's product and version);
//!   `hashes` (MD5, SHA-1, SHA-256, SHA-384, SHA-512; the other algorithms CycloneDX allows
//!   are dropped silently), `licenses` (`license.id`, `license.name`, `expression`, each one
//!   entry) and `scope` (`required` → runtime, `optional` → optional, `excluded` → dev: not
//!   shipped).
//! - `metadata.component` is the subject.
//! - `dependencies[]`: `ref` → `dependsOn[]` over `bom-ref`s (a ref that names no `bom-ref`
//!   but a purl is accepted). The subject's entry gives the direct components.
//!
//! Not read: services and components of type `file`, `data`, `cryptographic-asset` and
//! `machine-learning-model` (not packages; no warning), external references, CPEs beyond
//! identification, `provides`, pedigree, evidence and vulnerabilities: the component model has
//! no place for them.

use super::{
    IdentSource, Lines, SbomContents, Warnings, identify_component, json_type, opt_array, opt_str,
    read_hash,
};
use ossgate_model::{Component, Location, Scope};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Hash algorithms CycloneDX allows that ossgate does not model.
const SPEC_ALGS: &[&str] = &[
    "SHA3-256",
    "SHA3-384",
    "SHA3-512",
    "BLAKE2b-256",
    "BLAKE2b-384",
    "BLAKE2b-512",
    "BLAKE3",
    "Streebog-256",
    "Streebog-512",
];

/// Component types that are not software packages.
const NOT_PACKAGES: &[&str] = &[
    "file",
    "data",
    "cryptographic-asset",
    "machine-learning-model",
];

/// What a `bom-ref` names.
#[derive(Clone, Copy, PartialEq)]
enum Node {
    Component(usize),
    Subject,
    /// A service, a component that is not a package, or one that could not be identified.
    Other,
}

struct Reader<'a> {
    file: &'a str,
    lines: &'a Lines,
    w: Warnings,
    out: SbomContents,
    /// bom-ref → what it names, and the path that declared it.
    refs: HashMap<String, (Node, String)>,
    /// purl → component, for documents that refer by purl (built when first needed).
    purls: HashMap<String, usize>,
    /// Per component: nested inside another component.
    nested: Vec<bool>,
}

pub(crate) fn contents(doc: &Value, file: &str, lines: &Lines) -> SbomContents {
    let mut r = Reader {
        file,
        lines,
        w: Warnings::default(),
        out: SbomContents::default(),
        refs: HashMap::new(),
        purls: HashMap::new(),
        nested: Vec::new(),
    };
    let Some(root) = doc.as_object() else {
        r.w.push("$", None, "the document is not a JSON object");
        r.out.warnings = r.w.finish();
        return r.out;
    };
    r.metadata(root);
    let comps = opt_array(root, "components", "$", &mut r.w);
    r.components(comps, "$.components", false);
    r.services(root);
    let direct = r.dependencies(root);
    r.set_direct(direct);
    let mut out = r.out;
    out.warnings = r.w.finish();
    out
}

impl Reader<'_> {
    fn metadata(&mut self, root: &Map<String, Value>) {
        let Some(meta) = root.get("metadata") else {
            return;
        };
        let Some(meta) = meta.as_object() else {
            self.w.push(
                "$.metadata",
                None,
                format!("must be an object, not a {}", json_type(meta)),
            );
            return;
        };
        let Some(subject) = meta.get("component") else {
            return;
        };
        let path = "$.metadata.component";
        let Some(obj) = subject.as_object() else {
            self.w.push(
                path,
                None,
                format!("must be an object, not a {}", json_type(subject)),
            );
            return;
        };
        if let Some(c) = self.component(obj, path, true) {
            self.out.subject = Some(c);
        }
        self.register_ref(obj, path, Node::Subject);
        let nested = opt_array(obj, "components", path, &mut self.w);
        self.components(nested, &format!("{path}.components"), false);
    }

    /// Reads an array of components and, recursively, their nested components.
    fn components(&mut self, list: &[Value], path: &str, nested: bool) {
        for (i, v) in list.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(obj) = v.as_object() else {
                self.w.push(
                    p,
                    None,
                    format!("a component must be an object, not a {}", json_type(v)),
                );
                continue;
            };
            let ty = opt_str(obj, "type", &p, &mut self.w);
            if ty.is_none() {
                self.w.push(
                    format!("{p}.type"),
                    None,
                    "missing (required); read as library",
                );
            }
            let node = if ty.is_some_and(|t| NOT_PACKAGES.contains(&t)) {
                Node::Other
            } else {
                match self.component(obj, &p, false) {
                    Some(c) => {
                        let idx = self.out.components.len();
                        self.out.components.push(c);
                        self.nested.push(nested);
                        Node::Component(idx)
                    }
                    None => Node::Other,
                }
            };
            self.register_ref(obj, &p, node);
            let children = opt_array(obj, "components", &p, &mut self.w);
            self.components(children, &format!("{p}.components"), true);
        }
    }

    fn register_ref(&mut self, obj: &Map<String, Value>, path: &str, node: Node) {
        let Some(r) = opt_str(obj, "bom-ref", path, &mut self.w) else {
            return;
        };
        if let Some((_, first)) = self.refs.get(r) {
            self.w.push(
                format!("{path}['bom-ref']"),
                None,
                format!("bom-ref {r:?} is already used at {first}; bom-refs must be unique"),
            );
            return;
        }
        self.refs.insert(r.to_string(), (node, path.to_string()));
    }

    /// One component (not its children); `None` when it cannot be identified (recorded as
    /// unresolved).
    fn component(&mut self, obj: &Map<String, Value>, p: &str, subject: bool) -> Option<Component> {
        let w = &mut self.w;
        let name = opt_str(obj, "name", p, w);
        if name.is_none() {
            w.push(format!("{p}.name"), None, "missing (required)");
        }
        let purl = opt_str(obj, "purl", p, w).map(|s| (s, format!("{p}.purl")));
        let src = IdentSource {
            purl,
            group: opt_str(obj, "group", p, w),
            name,
            version: opt_str(obj, "version", p, w),
            cpe: opt_str(obj, "cpe", p, w),
        };
        let ident = match identify_component(&src, subject, w) {
            Ok(i) => i,
            Err((text, reason)) => {
                self.out.unresolved.push((p.to_string(), text, reason));
                return None;
            }
        };
        let mut c = Component::with_purl(ident.ecosystem, ident.name, ident.version, ident.purl);
        c.locations.push(Location {
            file: self.file.to_string(),
            line: self.lines.get(p).copied(),
        });
        for (i, h) in opt_array(obj, "hashes", p, w).iter().enumerate() {
            let hp = format!("{p}.hashes[{i}]");
            let (Some(alg), Some(content)) = (
                h.get("alg").and_then(Value::as_str),
                h.get("content").and_then(Value::as_str),
            ) else {
                w.push(hp, None, "a hash needs `alg` and `content` strings");
                continue;
            };
            if let Some(hash) = read_hash(alg, content, SPEC_ALGS, &hp, w)
                && !c.hashes.contains(&hash)
            {
                c.hashes.push(hash);
            }
        }
        c.licenses = licenses(opt_array(obj, "licenses", p, w), p, w);
        c.scope = match opt_str(obj, "scope", p, w) {
            None | Some("required") => Scope::Runtime,
            Some("optional") => Scope::Optional,
            Some("excluded") => Scope::Dev,
            Some(other) => {
                w.push(
                    format!("{p}.scope"),
                    None,
                    format!(
                        "{other:?} is not one of required, optional, excluded; read as required"
                    ),
                );
                Scope::Runtime
            }
        };
        Some(c)
    }

    /// Services only declare bom-refs that dependencies may name.
    fn services(&mut self, root: &Map<String, Value>) {
        fn walk(r: &mut Reader, list: &[Value], path: &str) {
            for (i, v) in list.iter().enumerate() {
                let p = format!("{path}[{i}]");
                if let Some(obj) = v.as_object() {
                    r.register_ref(obj, &p, Node::Other);
                    let nested = opt_array(obj, "services", &p, &mut r.w);
                    walk(r, nested, &format!("{p}.services"));
                }
            }
        }
        let list = opt_array(root, "services", "$", &mut self.w);
        walk(self, list, "$.services");
    }

    /// The graph; returns the subject's direct components when its entry names any.
    fn dependencies(&mut self, root: &Map<String, Value>) -> Option<Vec<usize>> {
        let mut direct: Option<Vec<usize>> = None;
        let deps = opt_array(root, "dependencies", "$", &mut self.w);
        for (i, d) in deps.iter().enumerate() {
            let p = format!("$.dependencies[{i}]");
            let Some(obj) = d.as_object() else {
                self.w.push(
                    p,
                    None,
                    format!("a dependency must be an object, not a {}", json_type(d)),
                );
                continue;
            };
            let Some(from_ref) = opt_str(obj, "ref", &p, &mut self.w) else {
                self.w.push(format!("{p}.ref"), None, "missing (required)");
                continue;
            };
            let from = self.lookup(from_ref, &format!("{p}.ref"));
            let targets = opt_array(obj, "dependsOn", &p, &mut self.w);
            for (j, t) in targets.iter().enumerate() {
                let tp = format!("{p}.dependsOn[{j}]");
                let Some(to_ref) = t.as_str() else {
                    self.w.push(
                        tp,
                        None,
                        format!("must be a bom-ref string, not a {}", json_type(t)),
                    );
                    continue;
                };
                let Some(Node::Component(to)) = self.lookup(to_ref, &tp) else {
                    continue;
                };
                match from {
                    Some(Node::Subject) => direct.get_or_insert_with(Vec::new).push(to),
                    Some(Node::Component(f)) => {
                        let purl = self.out.components[to].purl.clone();
                        let deps = &mut self.out.components[f].dependencies;
                        if f != to && !deps.contains(&purl) {
                            deps.push(purl);
                        }
                    }
                    _ => {}
                }
            }
        }
        direct
    }

    /// What `r` names; `None` (with a warning) when nothing in the document has that bom-ref.
    fn lookup(&mut self, r: &str, path: &str) -> Option<Node> {
        if let Some((node, _)) = self.refs.get(r) {
            return Some(*node);
        }
        if self.purls.is_empty() {
            // Built on the first miss only: most documents refer by bom-ref alone.
            for (i, c) in self.out.components.iter().enumerate() {
                self.purls.entry(c.purl.clone()).or_insert(i);
            }
        }
        if let Some(&i) = self.purls.get(r) {
            return Some(Node::Component(i));
        }
        self.w.push(
            path,
            None,
            format!("{r:?} is not the bom-ref of any component or service in the document"),
        );
        None
    }

    /// Marks the direct components: the subject's dependencies, else the top-level
    /// components nothing depends on.
    fn set_direct(&mut self, direct: Option<Vec<usize>>) {
        let comps = &mut self.out.components;
        let direct = match direct {
            Some(d) => d,
            None => {
                let depended: std::collections::HashSet<&str> = comps
                    .iter()
                    .flat_map(|c| c.dependencies.iter().map(String::as_str))
                    .collect();
                (0..comps.len())
                    .filter(|&i| !self.nested[i] && !depended.contains(comps[i].purl.as_str()))
                    .collect()
            }
        };
        let mut purls = Vec::new();
        for i in direct {
            comps[i].direct = true;
            if !purls.contains(&comps[i].purl) {
                purls.push(comps[i].purl.clone());
            }
        }
        if let Some(s) = &mut self.out.subject {
            s.dependencies = purls;
        }
    }
}

/// `licenses[]`: each `license.id`, `license.name` or `expression` is one entry.
fn licenses(list: &[Value], p: &str, w: &mut Warnings) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, l) in list.iter().enumerate() {
        let lp = format!("{p}.licenses[{i}]");
        let found = match l.as_object() {
            Some(obj) => {
                if let Some(e) = obj.get("expression") {
                    e.as_str().map(str::trim).map(str::to_string)
                } else if let Some(lic) = obj.get("license").and_then(Value::as_object) {
                    let id = lic.get("id").and_then(Value::as_str).map(str::trim);
                    let name = lic.get("name").and_then(Value::as_str).map(str::trim);
                    id.filter(|s| !s.is_empty()).or(name).map(str::to_string)
                } else {
                    None
                }
            }
            None => None,
        };
        match found.filter(|s| !s.is_empty()) {
            Some(s) => {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            None => w.push(
                lp,
                None,
                "a licence entry needs `license.id`, `license.name` or `expression`",
            ),
        }
    }
    out
}
