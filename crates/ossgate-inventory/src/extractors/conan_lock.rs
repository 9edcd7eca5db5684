//! Conan `conan.lock` (JSON).
//!
//! - Conan 1 (lock versions 0.2 to 0.4): `graph_lock.nodes` maps node ids to `{ref | pref,
//!   requires, build_requires, context, path}`. The node with a `path` is the consumer
//!   (the project's conanfile) and is not a component; its requirements are the direct ones.
//!   Nodes in the `build` context are build tools (dev scope). `requires` lists node ids (or, in
//!   0.2, maps references to node ids), which give the edges.
//! - Conan 2 (lock version 0.5): flat `requires`, `build_requires` and `python_requires` arrays
//!   of references. Build and python requirements are dev scope; no edges or direct flags.
//!
//! A reference is `name/version[@user/channel][#rrev[%timestamp]][:package_id[#prev]]`;
//! references without a name (`1.2.3`) do not name a package and are left out.

use super::{file_name, json_error};
use crate::lines::JsonKeyLines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct ConanLock;

fn conan() -> Ecosystem {
    Ecosystem::Other("ConanCenter".into())
}

impl Extractor for ConanLock {
    fn name(&self) -> &'static str {
        "conan-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "conan.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root: Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        let bad = |msg: &str| ExtractError::new(&file.display, Some(1), msg);
        let obj = root
            .as_object()
            .ok_or_else(|| bad("expected a JSON object"))?;
        if let Some(graph) = obj.get("graph_lock") {
            let nodes = graph
                .get("nodes")
                .and_then(Value::as_object)
                .ok_or_else(|| bad("`graph_lock.nodes` is not an object"))?;
            from_nodes(file, nodes)
        } else if ["requires", "build_requires", "python_requires"]
            .iter()
            .any(|k| obj.contains_key(*k))
        {
            from_lists(file, obj)
        } else {
            Err(bad(
                "not a conan.lock: no `graph_lock`, `requires` or `build_requires`",
            ))
        }
    }
}

/// `(name, version)` of a reference, or `None` when it names no package.
fn parse_ref(r: &str) -> Option<(&str, &str)> {
    let r = r.trim();
    let end = r.find(['@', '#', '%', ':']).unwrap_or(r.len());
    let (name, version) = r[..end].split_once('/')?;
    (!name.is_empty() && !version.is_empty() && !version.contains('/')).then_some((name, version))
}

/// Conan 1: the node graph.
fn from_nodes(file: &SourceFile, nodes: &Map<String, Value>) -> Result<Extracted, ExtractError> {
    // Node ids are keys after the `"nodes":` line.
    let base = file
        .text
        .lines()
        .position(|l| l.trim_start().starts_with("\"nodes\":"))
        .unwrap_or(0);
    let offset: usize = file.text.lines().take(base).map(|l| l.len() + 1).sum();
    let lines = JsonKeyLines::new(file.text.get(offset.min(file.text.len())..).unwrap_or(""));
    let line_of = |id: &str| lines.line(id).map(|l| l + base as u32);

    // Ids a node requires, in either the list form or the 0.2 map form.
    fn ids<'a>(node: &'a Map<String, Value>, key: &str) -> Vec<&'a str> {
        match node.get(key) {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            Some(Value::Object(m)) => m.values().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    let mut purls: HashMap<&str, String> = HashMap::new();
    let mut direct: HashSet<&str> = HashSet::new();
    let mut entries = Vec::new();
    for (id, node) in nodes {
        let Some(node) = node.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                line_of(id),
                format!("node `{id}` is not an object"),
            ));
        };
        if node.contains_key("path") {
            direct.extend(ids(node, "requires"));
            direct.extend(ids(node, "build_requires"));
            continue;
        }
        let reference = node
            .get("ref")
            .or_else(|| node.get("pref"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some((name, version)) = parse_ref(reference) else {
            continue;
        };
        purls.insert(id.as_str(), conan().purl(name, Some(version)));
        entries.push((id.as_str(), node, name, version));
    }

    let mut out = Extracted::default();
    for (id, node, name, version) in entries {
        let mut c = Component::with_purl(
            conan(),
            name.to_string(),
            version.to_string(),
            purls[id].clone(),
        );
        c.locations.push(loc(&file.display, line_of(id)));
        c.direct = direct.contains(id);
        if node.get("context").and_then(Value::as_str) == Some("build") {
            c.scope = Scope::Dev;
        }
        c.dependencies = ids(node, "requires")
            .into_iter()
            .chain(ids(node, "build_requires"))
            .filter_map(|d| purls.get(d).cloned())
            .collect();
        out.components.push(c);
    }
    Ok(out)
}

/// Conan 2: flat lists of references.
fn from_lists(file: &SourceFile, obj: &Map<String, Value>) -> Result<Extracted, ExtractError> {
    let mut out = Extracted::default();
    for (key, scope) in [
        ("requires", Scope::Runtime),
        ("build_requires", Scope::Dev),
        ("python_requires", Scope::Dev),
    ] {
        let refs = match obj.get(key) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(ExtractError::new(
                    &file.display,
                    Some(1),
                    format!("`{key}` is not an array"),
                ));
            }
        };
        for r in refs {
            let Some(r) = r.as_str() else {
                return Err(ExtractError::new(
                    &file.display,
                    Some(1),
                    format!("`{key}` holds a non-string"),
                ));
            };
            let Some((name, version)) = parse_ref(r) else {
                continue;
            };
            let quoted = format!("\"{r}\"");
            let line = file
                .text
                .lines()
                .position(|l| l.contains(&quoted))
                .map(|i| i as u32 + 1);
            let mut c = Component::new(conan(), name, version);
            c.locations.push(loc(&file.display, line));
            c.scope = scope;
            out.components.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        let src = SourceFile {
            display: "conan.lock".into(),
            path: Path::new("conan.lock"),
            text,
        };
        ConanLock.extract(&src)
    }

    #[test]
    fn parses_references() {
        assert_eq!(parse_ref("zlib/1.2.11"), Some(("zlib", "1.2.11")));
        assert_eq!(
            parse_ref("zlib/1.2.11@user/stable#abc%1667396813.184"),
            Some(("zlib", "1.2.11"))
        );
        assert_eq!(
            parse_ref("zlib/1.2.11#5f49:19729b#5884"),
            Some(("zlib", "1.2.11"))
        );
        assert_eq!(parse_ref("1.2.3#abc"), None);
        assert_eq!(parse_ref("/1.0"), None);
        assert_eq!(parse_ref(""), None);
    }

    const V1: &str = r#"{
 "graph_lock": {
  "nodes": {
   "0": {
    "ref": "app/1.0",
    "requires": ["1"],
    "build_requires": ["3"],
    "path": "conanfile.py",
    "context": "host"
   },
   "1": {
    "ref": "libpng/1.6.39@acme/stable#7927",
    "requires": ["2"],
    "context": "host"
   },
   "2": {
    "ref": "zlib/1.2.13",
    "context": "host"
   },
   "3": {
    "ref": "cmake/3.27.0",
    "context": "build"
   }
  }
 },
 "version": "0.4"
}"#;

    #[test]
    fn reads_v1_graph() {
        let ex = run(V1).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:conan/libpng@1.6.39", true, Scope::Runtime, Some(11)),
                ("pkg:conan/zlib@1.2.13", false, Scope::Runtime, Some(16)),
                ("pkg:conan/cmake@3.27.0", true, Scope::Dev, Some(20)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:conan/zlib@1.2.13"]);
    }

    #[test]
    fn reads_v2_lists() {
        let ex = run(r#"{
    "version": "0.5",
    "requires": [
        "zlib/1.2.11#ffa7%1667396813.184"
    ],
    "build_requires": ["ninja/1.11.1#a2f0%1667050636.338"],
    "python_requires": ["pyreq/0.1#x"]
}"#)
        .unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("zlib", "1.2.11", Scope::Runtime, Some(4)),
                ("ninja", "1.11.1", Scope::Dev, Some(6)),
                ("pyreq", "0.1", Scope::Dev, Some(7)),
            ]
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(run("this is not json!").is_err());
        assert!(run("[]").is_err());
        assert!(run("{}").is_err());
        assert!(run("{\"graph_lock\": {}}").is_err());
        assert!(run("{\"graph_lock\": {\"nodes\": {\"1\": 2}}}").is_err());
        assert!(run("{\"requires\": {}}").is_err());
        assert!(run("{\"requires\": [1]}").is_err());
        assert!(run("{\"requires\": []}").unwrap().components.is_empty());
    }

    const EXCEPTIONS: &[(&str, &str)] = &[(
        "lockfiles/conan/conan-lock/not-json.txt",
        "peer returns no packages; ossgate reports malformed input as an ExtractError",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        assert_eq!(check_format(&root, "conan-lock", EXCEPTIONS, run), (15, 1));
    }
}
