//! .NET `packages.lock.json` (NuGet lock file, `version` 1 and 2).
//!
//! `dependencies` holds one object per target framework (`net8.0`, `net8.0/linux-x64`, ...),
//! each mapping a package id to `{type, requested, resolved, contentHash, dependencies}`.
//! `type` is `Direct`, `Transitive`, `CentralTransitive` or `Project`; `Project` entries are the
//! solution's own projects and are left out. A package locked for several frameworks is reported
//! once per version, with the line of its key in every framework that has it.
//!
//! Hashes: `contentHash` is the base64 SHA-512 of the `.nupkg` file, kept as the component's
//! `hashes` (once, however many frameworks list the package). One that does not decode to a
//! SHA-512 is left out without failing the file.

use super::npm_lock::{base64_hash, push_hash};
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem, HashAlg};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

pub struct NuGetLock;

impl Extractor for NuGetLock {
    fn name(&self) -> &'static str {
        "nuget-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "packages.lock.json"
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
        let lines = PackageKeyLines::new(file.text);
        let frameworks = match obj.get("dependencies") {
            Some(Value::Object(m)) => m,
            Some(_) => {
                return Err(ExtractError::new(
                    &file.display,
                    lines.top_key("dependencies"),
                    "`dependencies` must be an object of target frameworks",
                ));
            }
            None if obj.contains_key("version") => return Ok(Extracted::default()),
            None => {
                return Err(ExtractError::new(
                    &file.display,
                    Some(1),
                    "not a packages.lock.json: no `dependencies` or `version`",
                ));
            }
        };

        let mut out = Extracted::default();
        // (lower-cased id, version) -> index in out.components; ids are case-insensitive.
        let mut seen: HashMap<Key, usize> = HashMap::new();
        // Edges of each component, as keys, turned into purls once every component is known.
        let mut edges: Vec<Vec<Key>> = Vec::new();
        for (framework, packages) in frameworks {
            let Some(packages) = packages.as_object() else {
                return Err(ExtractError::new(
                    &file.display,
                    lines.framework(framework),
                    format!("target framework `{framework}` must be an object of packages"),
                ));
            };
            for (name, entry) in packages {
                let line = lines.package(framework, name);
                let Some(entry) = entry.as_object() else {
                    return Err(ExtractError::new(
                        &file.display,
                        line,
                        format!("package `{name}` must be an object"),
                    ));
                };
                let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
                if kind.eq_ignore_ascii_case("Project") {
                    continue;
                }
                let version = match entry.get("resolved") {
                    Some(Value::String(v)) if !v.trim().is_empty() => v.trim(),
                    Some(Value::String(_)) | None => continue,
                    Some(_) => {
                        return Err(ExtractError::new(
                            &file.display,
                            line,
                            format!("`resolved` of package `{name}` must be a string"),
                        ));
                    }
                };
                let deps: Vec<Key> = match entry.get("dependencies") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Object(d)) => {
                        d.keys().filter_map(|dep| resolve(packages, dep)).collect()
                    }
                    Some(_) => {
                        return Err(ExtractError::new(
                            &file.display,
                            line,
                            format!("`dependencies` of package `{name}` must be an object"),
                        ));
                    }
                };
                let hash = entry
                    .get("contentHash")
                    .and_then(Value::as_str)
                    .and_then(|h| base64_hash(HashAlg::Sha512, h.trim()));
                let direct = kind.eq_ignore_ascii_case("Direct");
                let location = loc(&file.display, line);
                let key = key(name, version);
                match seen.get(&key) {
                    Some(&i) => {
                        let c = &mut out.components[i];
                        c.direct |= direct;
                        if !c.locations.contains(&location) {
                            c.locations.push(location);
                        }
                        edges[i].extend(deps);
                        if let Some(h) = hash {
                            push_hash(&mut c.hashes, h);
                        }
                    }
                    None => {
                        let mut c = Component::new(Ecosystem::NuGet, name.as_str(), version);
                        c.locations.push(location);
                        c.direct = direct;
                        c.hashes.extend(hash);
                        seen.insert(key, out.components.len());
                        out.components.push(c);
                        edges.push(deps);
                    }
                }
            }
        }
        let purls: HashMap<&Key, &str> = seen
            .iter()
            .map(|(k, &i)| (k, out.components[i].purl.as_str()))
            .collect();
        let resolved: Vec<Vec<String>> = edges
            .iter()
            .map(|deps| {
                let mut d: Vec<String> = deps
                    .iter()
                    .filter_map(|k| purls.get(k).map(|p| p.to_string()))
                    .collect();
                d.sort();
                d.dedup();
                d
            })
            .collect();
        for (c, deps) in out.components.iter_mut().zip(resolved) {
            c.locations.sort();
            c.dependencies = deps;
        }
        Ok(out)
    }
}

/// A package id (lower-cased: NuGet ids are case-insensitive) and version.
type Key = (String, String);

fn key(name: &str, version: &str) -> Key {
    (Ecosystem::NuGet.normalize_name(name), version.to_string())
}

/// The package `dep` as locked in the same framework (ids are case-insensitive).
fn resolve(packages: &Map<String, Value>, dep: &str) -> Option<Key> {
    let (name, entry) = packages
        .get_key_value(dep)
        .or_else(|| packages.iter().find(|(k, _)| k.eq_ignore_ascii_case(dep)))?;
    let entry = entry.as_object()?;
    let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
    if kind.eq_ignore_ascii_case("Project") {
        return None;
    }
    let version = entry.get("resolved").and_then(Value::as_str)?.trim();
    (!version.is_empty()).then(|| key(name, version))
}

/// Lines of the keys of a lock file, by their place in the tree: top-level keys, the framework
/// keys inside `dependencies`, and the package keys inside each framework. The input has already
/// been parsed as JSON, so a light scan of strings and brackets is enough.
struct PackageKeyLines {
    top: HashMap<String, u32>,
    frameworks: HashMap<String, u32>,
    packages: HashMap<(String, String), u32>,
}

impl PackageKeyLines {
    fn new(text: &str) -> Self {
        let mut out = PackageKeyLines {
            top: HashMap::new(),
            frameworks: HashMap::new(),
            packages: HashMap::new(),
        };
        let bytes = text.as_bytes();
        let mut line = 1u32;
        // The key under which each open container sits; index 0 is the root value.
        let mut path: Vec<Option<String>> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'{' | b'[' => path.push(None),
                b'}' | b']' => {
                    path.pop();
                }
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < bytes.len() {
                        match bytes[j] {
                            b'\\' => j += 2,
                            b'"' => break,
                            _ => j += 1,
                        }
                    }
                    let j = j.min(bytes.len());
                    let raw = text.get(start..j).unwrap_or("");
                    i = j; // at the closing quote (or the end)
                    let mut k = j + 1;
                    while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                        k += 1;
                    }
                    if k < bytes.len() && bytes[k] == b':' {
                        let depth = path.len();
                        if let Some(slot) = path.last_mut() {
                            *slot = Some(raw.to_string());
                        }
                        let under = |d: usize| path.get(d).and_then(|k| k.as_deref());
                        match depth {
                            1 => {
                                out.top.entry(raw.to_string()).or_insert(line);
                            }
                            2 if under(0) == Some("dependencies") => {
                                out.frameworks.entry(raw.to_string()).or_insert(line);
                            }
                            3 if under(0) == Some("dependencies") => {
                                if let Some(fw) = under(1) {
                                    out.packages
                                        .entry((fw.to_string(), raw.to_string()))
                                        .or_insert(line);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    fn top_key(&self, key: &str) -> Option<u32> {
        self.top.get(key).copied()
    }

    fn framework(&self, framework: &str) -> Option<u32> {
        self.frameworks.get(framework).copied()
    }

    fn package(&self, framework: &str, name: &str) -> Option<u32> {
        self.packages
            .get(&(framework.to_string(), name.to_string()))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        NuGetLock.extract(&SourceFile {
            display: "packages.lock.json".into(),
            path: Path::new("/nonexistent/packages.lock.json"),
            text,
        })
    }

    const LOCK: &str = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "abc",
        "dependencies": {
          "System.Memory": "4.5.0",
          "mylib": "[1.0.0, )"
        }
      },
      "System.Memory": {
        "type": "Transitive",
        "resolved": "4.5.4",
        "contentHash": "def"
      },
      "Central.Pkg": {
        "type": "CentralTransitive",
        "requested": "[2.0.0, )",
        "resolved": "2.0.0"
      },
      "mylib": {
        "type": "Project",
        "dependencies": {
          "Newtonsoft.Json": "[13.0.1, )"
        }
      }
    },
    "net8.0": {
      "System.Memory": {
        "type": "Direct",
        "requested": "[4.5.4, )",
        "resolved": "4.5.4"
      },
      "Newtonsoft.Json": {
        "type": "Transitive",
        "resolved": "13.0.3",
        "dependencies": {
          "system.memory": "4.5.0"
        }
      }
    }
  }
}"#;

    #[test]
    fn frameworks_projects_direct_edges_and_lines() {
        let ex = run(LOCK).unwrap();
        let by_purl = |p: &str| ex.components.iter().find(|c| c.purl == p).unwrap();
        let mut got: Vec<(&str, bool, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.direct,
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        got.sort();
        // System.Memory is merged across frameworks, keeping both key lines; the project is
        // left out; CentralTransitive is not direct.
        assert_eq!(
            got,
            [
                ("pkg:nuget/Central.Pkg@2.0.0", false, vec![Some(20)]),
                ("pkg:nuget/Newtonsoft.Json@13.0.1", true, vec![Some(5)]),
                ("pkg:nuget/Newtonsoft.Json@13.0.3", false, vec![Some(38)]),
                (
                    "pkg:nuget/System.Memory@4.5.4",
                    true,
                    vec![Some(15), Some(33)]
                ),
            ]
        );
        assert_eq!(
            by_purl("pkg:nuget/System.Memory@4.5.4").name,
            "System.Memory"
        );
        // Edges resolve in the same framework (ids case-insensitively); the project reference
        // is not a component, so no edge points at it.
        assert_eq!(
            by_purl("pkg:nuget/Newtonsoft.Json@13.0.1").dependencies,
            ["pkg:nuget/System.Memory@4.5.4"]
        );
        assert_eq!(
            by_purl("pkg:nuget/Newtonsoft.Json@13.0.3").dependencies,
            ["pkg:nuget/System.Memory@4.5.4"]
        );
    }

    #[test]
    fn content_hash_is_a_sha512() {
        use crate::extractors::npm_lock::tests::{SHA1_B64, SHA512_B64, SHA512_HEX};
        let text = format!(
            r#"{{"version": 1, "dependencies": {{
  "net8.0": {{
    "A": {{"type": "Direct", "resolved": "1.0.0", "contentHash": "{SHA512_B64}"}},
    "B": {{"type": "Transitive", "resolved": "1.0.0", "contentHash": "{SHA1_B64}"}},
    "C": {{"type": "Transitive", "resolved": "1.0.0", "contentHash": "not base64!"}},
    "D": {{"type": "Transitive", "resolved": "1.0.0", "contentHash": 5}},
    "E": {{"type": "Transitive", "resolved": "1.0.0"}}
  }},
  "net6.0": {{
    "A": {{"type": "Direct", "resolved": "1.0.0", "contentHash": "{SHA512_B64}"}},
    "E": {{"type": "Transitive", "resolved": "1.0.0", "contentHash": "{SHA512_B64}"}}
  }}
}}}}"#
        );
        let ex = run(&text).unwrap();
        let got: Vec<(&str, Vec<(HashAlg, &str)>)> = ex
            .components
            .iter()
            .map(|c| {
                let h = c.hashes.iter().map(|h| (h.alg, h.value.as_str())).collect();
                (c.name.as_str(), h)
            })
            .collect();
        let sha512 = vec![(HashAlg::Sha512, SHA512_HEX)];
        let mut got = got;
        got.sort();
        assert_eq!(
            got,
            [
                // Listed in two frameworks: the digest once.
                ("A", sha512.clone()),
                // A SHA-1-sized value is not a SHA-512.
                ("B", vec![]),
                ("C", vec![]),
                ("D", vec![]),
                // The framework that has it gives it.
                ("E", sha512),
            ]
        );
    }

    #[test]
    fn empty_and_malformed() {
        assert!(
            run("{\"version\": 1, \"dependencies\": {}}")
                .unwrap()
                .components
                .is_empty()
        );
        assert!(run("{\"version\": 1}").unwrap().components.is_empty());
        let err =
            run("{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net6.0\": [\n").unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(run("this is not json!").is_err());
        assert!(run("[1]").is_err());
        assert!(run("{\"name\": 1}").is_err());
        let err = run("{\"version\": 1,\n \"dependencies\": {\n \"net6.0\": 3}}").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err =
            run("{\"dependencies\": {\"net6.0\": {\n\"A\": {\"resolved\": 1}}}}").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(run("{\"dependencies\": {\"net6.0\": {\"A\": []}}}").is_err());
        // Odd but valid JSON never panics.
        for text in [
            "{\"dependencies\": {\"n\\\"et\": {\"A\\\\\": {\"resolved\": \"1.0\"}}}}",
            "{\"dependencies\": {\"x\": {\"A\": {\"resolved\": \"\"}}}}",
            "{\"dependencies\": {\"x\": {\"A\": {\"resolved\": \"1\", \"dependencies\": null}}}}",
        ] {
            let _ = run(text);
        }
    }

    /// The packages.lock.json fixtures of osv-scalibr and osv-scanner read as upstream expects.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(base) = data_dir() else { return };
        let mut checked = 0;
        let mut errors_expected = 0;
        for rec in &peer_records(&base, |r| {
            r["ecosystem_dir"] == "nuget"
                && matches!(
                    r["format"].as_str(),
                    Some("packages-lock-json" | "osv-scanner-v1/nuget")
                )
        }) {
            let field = |k: &str| rec.get(k).and_then(Value::as_str).unwrap_or("");
            assert_eq!(field("real_filename"), "packages.lock.json");
            let path = base.join(field("fixture"));
            let text = std::fs::read_to_string(&path).unwrap();
            let got = NuGetLock.extract(&SourceFile {
                display: field("fixture").to_string(),
                path: &path,
                text: &text,
            });
            let expected = expected(&base, rec);
            let mut want: Vec<(String, String)> = expected
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_string(),
                        p["version"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            want.sort();
            if rec.get("expect_error").is_some() {
                assert!(got.is_err(), "{}: expected an error", field("fixture"));
                assert!(want.is_empty());
                errors_expected += 1;
            } else {
                let mut have: Vec<(String, String)> = got
                    .unwrap_or_else(|e| panic!("{}: {e}", field("fixture")))
                    .components
                    .into_iter()
                    .map(|c| (c.name, c.version))
                    .collect();
                have.sort();
                assert_eq!(have, want, "{}", field("fixture"));
                assert_eq!(
                    want.len() as u64,
                    rec["packages"].as_u64().unwrap(),
                    "{}",
                    field("fixture")
                );
            }
            checked += 1;
        }
        assert_eq!((checked, errors_expected), (6, 1));
    }

    /// Every packages.lock.json of bitwarden-server parses, with as many components as distinct
    /// (id, resolved) pairs of non-project entries, counted straight from the JSON value.
    #[test]
    fn real_lockfiles_parse_with_independent_counts() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let root = inputs.join("bitwarden-server");
        let mut files = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n == "packages.lock.json") {
                    files.push(p);
                }
            }
        }
        assert!(!files.is_empty());
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let ex = NuGetLock
                .extract(&SourceFile {
                    display: path.display().to_string(),
                    path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            let v: Value = serde_json::from_str(&text).unwrap();
            let mut pairs = std::collections::BTreeSet::new();
            for (_, pkgs) in v["dependencies"].as_object().unwrap() {
                for (name, e) in pkgs.as_object().unwrap() {
                    if e["type"] != "Project" {
                        pairs.insert((
                            name.to_lowercase(),
                            e["resolved"].as_str().unwrap().to_string(),
                        ));
                    }
                }
            }
            assert_eq!(ex.components.len(), pairs.len(), "{}", path.display());
            // Each component's digest is the `contentHash` of its entries, re-encoded.
            let mut hashes = std::collections::BTreeMap::new();
            for (_, pkgs) in v["dependencies"].as_object().unwrap() {
                for (name, e) in pkgs.as_object().unwrap() {
                    if let Some(h) = e["contentHash"].as_str() {
                        let key = (name.to_lowercase(), e["resolved"].as_str().unwrap());
                        hashes.insert(key, h.to_string());
                    }
                }
            }
            assert!(hashes.len() > 100);
            for c in &ex.components {
                let want = &hashes[&(c.name.to_lowercase(), c.version.as_str())];
                assert_eq!(c.hashes.len(), 1, "{}", c.purl);
                assert_eq!(c.hashes[0].alg, HashAlg::Sha512);
                let bytes: Vec<u8> = (0..128)
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&c.hashes[0].value[i..i + 2], 16).unwrap())
                    .collect();
                assert_eq!(&STANDARD.encode(bytes), want, "{}", c.purl);
            }
            assert!(ex.components.iter().all(|c| {
                c.locations.iter().all(|l| {
                    text.lines()
                        .nth(l.line.unwrap() as usize - 1)
                        .unwrap()
                        .trim_start()
                        .starts_with(&format!("\"{}\":", c.name))
                })
            }));
        }
        eprintln!("checked {} packages.lock.json files", files.len());
    }
}
