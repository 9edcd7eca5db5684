//! `package-lock.json` (lockfileVersion 1, 2 and 3) and `npm-shrinkwrap.json`.
//!
//! v2/v3 read the flat `packages` map (keys are install paths such as
//! `node_modules/a/node_modules/b`); v1 reads the nested `dependencies` tree. The root entry and
//! workspace packages are the project's own; their declared dependencies are the direct ones.
//! Entries whose version is not a registry version (git, file, URL) are not npm registry
//! packages: they are listed as unresolved, with what they point at.

use super::{file_name, json_error};
use crate::lines::JsonKeyLines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

pub struct NpmLock;

impl Extractor for NpmLock {
    fn name(&self) -> &'static str {
        "npm-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root: Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        let Some(obj) = root.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "expected a JSON object",
            ));
        };
        let lines = JsonKeyLines::new(file.text);
        if let Some(packages) = obj.get("packages").and_then(Value::as_object) {
            Ok(from_packages(file, packages, &lines))
        } else if let Some(deps) = obj.get("dependencies").and_then(Value::as_object) {
            let declared: HashSet<String> = package_json_deps(file.path)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let mut out = Extracted::default();
            from_tree(file, deps, &declared, true, &lines, &mut out);
            Ok(out)
        } else if obj.contains_key("lockfileVersion") {
            Ok(Extracted::default()) // a project without dependencies
        } else {
            Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a package-lock: no `packages`, `dependencies` or `lockfileVersion`",
            ))
        }
    }
}

/// A registry version, or `npm:real-name@version` for an aliased package.
fn registry_version<'a>(name: &'a str, version: &'a str) -> Option<(&'a str, &'a str)> {
    if let Some(alias) = version.strip_prefix("npm:") {
        let at = alias.rfind('@').filter(|&i| i > 0)?;
        return Some((&alias[..at], &alias[at + 1..]));
    }
    let looks_registry = !version.is_empty()
        && version.as_bytes()[0].is_ascii_digit()
        && !version.contains(':')
        && !version.contains('/');
    looks_registry.then_some((name, version))
}

fn scope_of(entry: &Map<String, Value>) -> Scope {
    let flag = |k: &str| entry.get(k).and_then(Value::as_bool).unwrap_or(false);
    if flag("dev") || flag("devOptional") {
        Scope::Dev
    } else if flag("optional") {
        Scope::Optional
    } else {
        Scope::Runtime
    }
}

const DEP_KEYS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

fn dep_names(entry: &Map<String, Value>) -> impl Iterator<Item = &str> {
    DEP_KEYS
        .iter()
        .filter_map(|k| entry.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.keys().map(String::as_str))
}

fn from_packages(
    file: &SourceFile,
    packages: &Map<String, Value>,
    lines: &JsonKeyLines,
) -> Extracted {
    // The root ("") and workspace packages (keys outside node_modules) declare the direct deps.
    let mut direct: HashSet<&str> = HashSet::new();
    for (key, entry) in packages {
        if !key.contains("node_modules/")
            && let Some(e) = entry.as_object()
        {
            direct.extend(dep_names(e));
        }
    }

    let mut out = Extracted::default();
    for (key, entry) in packages {
        let Some(idx) = key.rfind("node_modules/") else {
            continue;
        };
        let Some(e) = entry.as_object() else { continue };
        if e.get("link").and_then(Value::as_bool) == Some(true) {
            continue; // a symlink to a workspace package, which is the project's own
        }
        let installed_as = &key[idx + "node_modules/".len()..];
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(installed_as);
        let Some(version) = e.get("version").and_then(Value::as_str) else {
            continue;
        };
        let Some((name, version)) = registry_version(name, version) else {
            out.unresolved
                .push(not_registry(file, lines.line(key), name, version));
            continue;
        };
        let mut c = Component::new(Ecosystem::Npm, name, version);
        c.locations.push(loc(&file.display, lines.line(key)));
        c.scope = scope_of(e);
        c.direct = idx == 0 && direct.contains(installed_as);
        c.dependencies = dep_names(e)
            .filter_map(|dep| resolve(packages, key, dep))
            .collect();
        out.components.push(c);
    }
    out
}

/// An entry installed from git, a file, a tarball URL or a directory.
fn not_registry(file: &SourceFile, line: Option<u32>, name: &str, version: &str) -> Unresolved {
    Unresolved {
        file: file.display.clone(),
        line,
        text: format!("{name}@{version}"),
        reason: "not an npm registry release (git, file, URL or directory)".into(),
    }
}

/// Node's module resolution over install paths: look in `<key>/node_modules/<dep>`, then in each
/// enclosing `node_modules` up to the root.
fn resolve(packages: &Map<String, Value>, key: &str, dep: &str) -> Option<String> {
    let mut base = key.to_string();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{dep}")
        } else {
            format!("{base}/node_modules/{dep}")
        };
        if let Some(e) = packages.get(&candidate).and_then(Value::as_object) {
            let name = e.get("name").and_then(Value::as_str).unwrap_or(dep);
            let version = e.get("version").and_then(Value::as_str)?;
            let (name, version) = registry_version(name, version)?;
            return Some(Ecosystem::Npm.purl(name, Some(version)));
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_string(),
            None => String::new(),
        };
    }
}

/// The `(name, range)` pairs a sibling `package.json` declares under the dependency keys; none
/// when it is missing or unreadable. Used for v1 locks (which do not record the root) and by
/// the yarn.lock extractor.
pub(super) fn package_json_deps(lock_path: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(lock_path.with_file_name("package.json")) else {
        return Vec::new();
    };
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    DEP_KEYS
        .iter()
        .filter_map(|k| m.get(*k).and_then(Value::as_object))
        .flat_map(|deps| {
            deps.iter()
                .map(|(n, r)| (n.clone(), r.as_str().unwrap_or("").to_string()))
        })
        .collect()
}

fn from_tree(
    file: &SourceFile,
    deps: &Map<String, Value>,
    declared: &HashSet<String>,
    top: bool,
    lines: &JsonKeyLines,
    out: &mut Extracted,
) {
    for (name, entry) in deps {
        let Some(e) = entry.as_object() else { continue };
        if let Some(version) = e.get("version").and_then(Value::as_str) {
            match registry_version(name, version) {
                Some((real, version)) => {
                    let mut c = Component::new(Ecosystem::Npm, real, version);
                    c.locations.push(loc(&file.display, lines.line(name)));
                    c.scope = scope_of(e);
                    c.direct = top && declared.contains(name);
                    out.components.push(c);
                }
                None => out
                    .unresolved
                    .push(not_registry(file, lines.line(name), name, version)),
            }
        }
        if let Some(nested) = e.get("dependencies").and_then(Value::as_object) {
            from_tree(file, nested, declared, false, lines, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        NpmLock.extract(&SourceFile {
            display: "package-lock.json".into(),
            path: Path::new("/nonexistent/package-lock.json"),
            text,
        })
    }

    #[test]
    fn v3_packages_scopes_aliases_and_edges() {
        let ex = run(r#"{
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app", "dependencies": {"a": "^1", "alias": "npm:real@^2"}, "devDependencies": {"d": "1"}},
    "node_modules/a": {"version": "1.2.3", "dependencies": {"b": "*"}},
    "node_modules/a/node_modules/b": {"version": "0.1.0"},
    "node_modules/b": {"version": "9.9.9"},
    "node_modules/alias": {"name": "real", "version": "2.0.0"},
    "node_modules/d": {"version": "1.0.0", "dev": true},
    "node_modules/@s/p": {"version": "3.0.0", "optional": true},
    "node_modules/ws": {"resolved": "packages/ws", "link": true},
    "node_modules/g": {"version": "git+https://x/y.git#abc"}
  }
}"#)
        .unwrap();
        let mut got: Vec<(String, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| (c.purl.clone(), c.direct, c.scope))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("pkg:npm/%40s/p@3.0.0".into(), false, Scope::Optional),
                ("pkg:npm/a@1.2.3".into(), true, Scope::Runtime),
                ("pkg:npm/b@0.1.0".into(), false, Scope::Runtime),
                ("pkg:npm/b@9.9.9".into(), false, Scope::Runtime),
                ("pkg:npm/d@1.0.0".into(), true, Scope::Dev),
                ("pkg:npm/real@2.0.0".into(), true, Scope::Runtime),
            ]
        );
        // a's own nested copy of b wins over the hoisted one.
        let a = ex.components.iter().find(|c| c.name == "a").unwrap();
        assert_eq!(a.dependencies, ["pkg:npm/b@0.1.0"]);
        assert_eq!(a.locations[0].line, Some(5));
    }

    #[test]
    fn v1_nested_tree() {
        let ex = run(r#"{"lockfileVersion": 1, "dependencies": {
            "a": {"version": "1.0.0", "resolved": false, "dependencies": {"b": {"version": "2.0.0", "dev": true}}},
            "c": {"version": "npm:other@3.1.0"},
            "e": {"version": "file:../e"}
        }}"#)
        .unwrap();
        let purls: Vec<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(
            purls,
            ["pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0", "pkg:npm/other@3.1.0"]
        );
        assert_eq!(ex.components[1].scope, Scope::Dev);
    }

    #[test]
    fn malformed_json_names_the_line() {
        let err =
            run("{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": }\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(run("[1,2]").is_err());
        assert!(run("{\"name\": \"x\"}").is_err());
    }
}
