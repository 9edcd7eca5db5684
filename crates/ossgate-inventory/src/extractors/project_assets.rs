//! NuGet's `obj/project.assets.json`, the restore result of a `PackageReference` project (the
//! resolved graph MSBuild builds from).
//!
//! - `libraries` maps `"Name/Version"` to `{type, sha512, path, files}`: every `type: package`
//!   entry is a component, at the line of its key; `type: project` entries are the solution's
//!   own projects and are left out. A key without a version is reported as unresolved.
//! - `targets` (one object per framework, and per runtime identifier) maps the same keys to
//!   `{type, dependencies}`, `dependencies` giving each package's requirements as ranges; a
//!   requirement is resolved to the version locked in the same target, which gives the edges.
//! - `project.frameworks.<tfm>.dependencies` are the project's own `PackageReference`s
//!   (`target: Package`): these packages are direct. One whose `suppressParent` is `All`
//!   (`PrivateAssets="All"`: analyzers, SourceLink, build tooling) is read as a development
//!   dependency, and so is every package reachable only from such references; a package
//!   reachable from any other direct reference is runtime.
//!
//! Not read: `projectFileDependencyGroups` (the same requirements as text), `packageFolders`,
//! and `downloadDependencies` (packs fetched for the SDK, not part of the graph).

use super::deps_json::{SectionKeyLines, section};
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub struct ProjectAssets;

impl Extractor for ProjectAssets {
    fn name(&self) -> &'static str {
        "project-assets-json"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path).eq_ignore_ascii_case("project.assets.json")
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
        let lines = SectionKeyLines::new(file.text, &["libraries", "targets"]);
        let libraries = section(obj, "libraries", file, &lines)?.ok_or_else(|| {
            ExtractError::new(
                &file.display,
                Some(1),
                "not a project.assets.json: no `libraries` object",
            )
        })?;

        let mut out = Extracted::default();
        // (lower-cased name, version) -> component index.
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for (key, lib) in libraries {
            let line = lines.key("libraries", key);
            let Some(lib) = lib.as_object() else {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    format!("library `{key}` must be an object"),
                ));
            };
            let kind = lib.get("type").and_then(Value::as_str).unwrap_or("");
            if !kind.eq_ignore_ascii_case("package") {
                continue;
            }
            let (name, version) = match key.split_once('/') {
                Some((n, v)) if !n.trim().is_empty() && !v.trim().is_empty() => {
                    (n.trim(), v.trim())
                }
                _ => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: key.clone(),
                        reason: "a project.assets.json library key without a version".into(),
                    });
                    continue;
                }
            };
            let k = (Ecosystem::NuGet.normalize_name(name), version.to_string());
            if index.contains_key(&k) {
                continue;
            }
            let mut c = Component::new(Ecosystem::NuGet, name, version);
            c.locations.push(loc(&file.display, line));
            index.insert(k, out.components.len());
            out.components.push(c);
        }

        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); out.components.len()];
        if let Some(targets) = section(obj, "targets", file, &lines)? {
            for (target, entries) in targets {
                let line = lines.key("targets", target);
                let bad = |what: String| ExtractError::new(&file.display, line, what);
                let Some(entries) = entries.as_object() else {
                    return Err(bad(format!("target `{target}` must be an object")));
                };
                // What each name resolves to in this target.
                let locked: HashMap<String, usize> = entries
                    .keys()
                    .filter_map(|key| {
                        let (n, v) = key.split_once('/')?;
                        let k = (Ecosystem::NuGet.normalize_name(n), v.trim().to_string());
                        Some((k.0.clone(), *index.get(&k)?))
                    })
                    .collect();
                for (key, entry) in entries {
                    let Some(entry) = entry.as_object() else {
                        return Err(bad(format!(
                            "`{key}` in target `{target}` must be an object"
                        )));
                    };
                    let deps = match entry.get("dependencies") {
                        None | Some(Value::Null) => continue,
                        Some(Value::Object(d)) => d,
                        Some(_) => {
                            return Err(bad(format!(
                                "`dependencies` of `{key}` in target `{target}` must be an object"
                            )));
                        }
                    };
                    let from = key.split_once('/').and_then(|(n, v)| {
                        index.get(&(Ecosystem::NuGet.normalize_name(n), v.trim().to_string()))
                    });
                    let Some(&from) = from else { continue };
                    for dep in deps.keys() {
                        if let Some(&to) = locked.get(&Ecosystem::NuGet.normalize_name(dep))
                            && to != from
                        {
                            edges[from].insert(to);
                        }
                    }
                }
            }
        }

        // The project's own references: lower-cased name -> whether any is not private.
        let mut declared: HashMap<String, bool> = HashMap::new();
        let frameworks = obj
            .get("project")
            .and_then(|p| p.get("frameworks"))
            .and_then(Value::as_object);
        for fw in frameworks.into_iter().flat_map(|f| f.values()) {
            let Some(deps) = fw.get("dependencies").and_then(Value::as_object) else {
                continue;
            };
            for (name, dep) in deps {
                let target = dep
                    .get("target")
                    .and_then(Value::as_str)
                    .unwrap_or("Package");
                if !target.eq_ignore_ascii_case("Package") {
                    continue;
                }
                let private = dep
                    .get("suppressParent")
                    .and_then(Value::as_str)
                    .is_some_and(|s| {
                        s.split([',', ';'])
                            .any(|p| p.trim().eq_ignore_ascii_case("All"))
                    });
                *declared
                    .entry(Ecosystem::NuGet.normalize_name(name))
                    .or_insert(false) |= !private;
            }
        }
        let mut runtime_roots = Vec::new();
        let mut dev_roots = Vec::new();
        for (i, c) in out.components.iter_mut().enumerate() {
            if let Some(&runtime) = declared.get(&Ecosystem::NuGet.normalize_name(&c.name)) {
                c.direct = true;
                if runtime {
                    runtime_roots.push(i);
                } else {
                    dev_roots.push(i);
                }
            }
        }
        let runtime = reachable(&edges, runtime_roots);
        let dev = reachable(&edges, dev_roots);
        let purls: Vec<String> = out.components.iter().map(|c| c.purl.clone()).collect();
        for (i, c) in out.components.iter_mut().enumerate() {
            if dev[i] && !runtime[i] {
                c.scope = Scope::Dev;
            }
            c.dependencies = edges[i].iter().map(|&j| purls[j].clone()).collect();
            c.dependencies.sort();
        }
        // serde_json's map iterates keys in sorted order: report them in file order.
        out.components
            .sort_by_key(|c| c.locations.first().and_then(|l| l.line).unwrap_or(u32::MAX));
        out.unresolved.sort_by_key(|u| u.line.unwrap_or(u32::MAX));
        Ok(out)
    }
}

/// Which nodes `roots` reach (themselves included) over `edges`.
fn reachable(edges: &[BTreeSet<usize>], roots: Vec<usize>) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack = roots;
    while let Some(i) = stack.pop() {
        if let Some(s) = seen.get_mut(i)
            && !*s
        {
            *s = true;
            stack.extend(edges[i].iter().copied());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        ProjectAssets.extract(&SourceFile {
            display: "obj/project.assets.json".into(),
            path: Path::new("obj/project.assets.json"),
            text,
        })
    }

    const ASSETS: &str = r#"{
  "version": 3,
  "targets": {
    "net8.0": {
      "Serilog.Sinks.File/5.0.0": {
        "type": "package",
        "dependencies": {"Serilog": "2.10.0"}
      },
      "Serilog/3.1.1": {"type": "package"},
      "Microsoft.SourceLink.GitHub/8.0.0": {
        "type": "package",
        "dependencies": {"Microsoft.SourceLink.Common": "8.0.0", "serilog": "3.0.0"}
      },
      "Microsoft.SourceLink.Common/8.0.0": {"type": "package"},
      "Lib/1.0.0": {"type": "project", "dependencies": {"Serilog": "3.1.1"}}
    }
  },
  "libraries": {
    "Microsoft.SourceLink.Common/8.0.0": {"sha512": "x", "type": "package", "path": "p"},
    "Microsoft.SourceLink.GitHub/8.0.0": {"sha512": "x", "type": "package"},
    "Serilog/3.1.1": {"sha512": "x", "type": "package", "files": ["a", "b"]},
    "Serilog.Sinks.File/5.0.0": {"type": "package"},
    "Lib/1.0.0": {"type": "project", "path": "../Lib/Lib.csproj"},
    "Broken": {"type": "package"}
  },
  "project": {
    "version": "1.0.0",
    "frameworks": {
      "net8.0": {
        "dependencies": {
          "Serilog.Sinks.File": {"target": "Package", "version": "[5.0.0, )"},
          "Microsoft.SourceLink.GitHub": {
            "suppressParent": "All",
            "target": "Package",
            "version": "[8.0.0, )"
          }
        }
      }
    }
  }
}"#;

    #[test]
    fn packages_direct_scope_edges_and_lines() {
        let ex = run(ASSETS).unwrap();
        type Row<'a> = (&'a str, bool, Scope, Option<u32>, Vec<&'a str>);
        let got: Vec<Row> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.direct,
                    c.scope,
                    c.locations[0].line,
                    c.dependencies.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/Microsoft.SourceLink.Common@8.0.0",
                    false,
                    Scope::Dev,
                    Some(19),
                    vec![]
                ),
                (
                    "pkg:nuget/Microsoft.SourceLink.GitHub@8.0.0",
                    true,
                    Scope::Dev,
                    Some(20),
                    vec![
                        "pkg:nuget/Microsoft.SourceLink.Common@8.0.0",
                        "pkg:nuget/Serilog@3.1.1"
                    ]
                ),
                // Reached from a runtime reference as well as from the private one.
                (
                    "pkg:nuget/Serilog@3.1.1",
                    false,
                    Scope::Runtime,
                    Some(21),
                    vec![]
                ),
                (
                    "pkg:nuget/Serilog.Sinks.File@5.0.0",
                    true,
                    Scope::Runtime,
                    Some(22),
                    vec!["pkg:nuget/Serilog@3.1.1"]
                ),
            ]
        );
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "Broken");
        assert_eq!(ex.unresolved[0].line, Some(24));
    }

    #[test]
    fn empty_and_malformed() {
        let ex = run("{\"version\": 3, \"targets\": {\"net8.0\": {}}, \"libraries\": {}}").unwrap();
        assert!(ex.components.is_empty());
        let cases: &[(&str, u32)] = &[
            ("{}", 1),
            ("[1]", 1),
            ("{\"version\": 3,\n\"libraries\": 1}", 2),
            ("{\"libraries\": {\n\"A/1\": []}}", 2),
            ("{\"libraries\": {},\n\"targets\": {\n\"net\": 1}}", 3),
            (
                "{\"libraries\": {},\n\"targets\": {\n\"net\": {\"A/1\": 1}}}",
                3,
            ),
            (
                "{\"libraries\": {\"A/1\": {\"type\": \"package\"}},\n\"targets\": {\n\"net\": {\"A/1\": {\"dependencies\": []}}}}",
                3,
            ),
            ("{\n\"libraries\": {\n", 3),
        ];
        for (text, line) in cases {
            let err = run(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text}: {err}");
        }
        // Odd shapes in `project` are not errors: it only decides direct and scope.
        let ex = run("{\"libraries\": {\"A/1\": {\"type\": \"package\"}}, \"project\": {\"frameworks\": {\"x\": 1, \"y\": {\"dependencies\": {\"a\": 1}}}}}").unwrap();
        assert!(ex.components[0].direct);
        assert!(ProjectAssets.applies_to(Path::new("src/App/obj/project.assets.json")));
        assert!(!ProjectAssets.applies_to(Path::new("project.json")));
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let run_fixture = |text: &str| {
            let ex = run(text)?;
            // The NuGet client's own restore: two frameworks, one private reference.
            assert_eq!(ex.components.iter().filter(|c| c.direct).count(), 4);
            Ok(ex)
        };
        assert_eq!(
            check_format(&root, "project-assets-json", &[], run_fixture),
            (1, 0)
        );
    }

    /// No project.assets.json in the shared inputs; any that appears must parse, with one
    /// component or unresolved entry per `"type": "package"` key of `libraries`.
    #[test]
    fn real_inputs_parse() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut stack = vec![inputs];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if ProjectAssets.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let ex = run(&text).unwrap();
                    let v: Value = serde_json::from_str(&text).unwrap();
                    let listed = v["libraries"]
                        .as_object()
                        .unwrap()
                        .values()
                        .filter(|l| l["type"] == "package")
                        .count();
                    assert_eq!(ex.components.len() + ex.unresolved.len(), listed);
                }
            }
        }
    }
}
