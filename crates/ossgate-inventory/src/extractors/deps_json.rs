//! .NET `*.deps.json`, the dependency manifest the SDK writes next to a built or published
//! application (what the runtime host loads, so what actually ships).
//!
//! `libraries` maps `"Name/Version"` to `{type, serviceable, sha512, path, hashPath}`:
//! - `type: package` entries are NuGet packages: components;
//! - `type: runtimepack` entries (`runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1`,
//!   in self-contained apps) are the runtime shipped inside the app: reported as the NuGet
//!   package they come from (the name without `runtimepack.`), which is where advisories for the
//!   .NET runtime are filed;
//! - `type: project` entries are the application and the solution's own projects, built from
//!   source: not packages of any registry, so they are left out (as `packages.lock.json` and
//!   `project.assets.json` do); `type: reference` entries are plain assembly references, also
//!   left out.
//!
//! A library key without a `/Version` names no version and is reported as unresolved.
//!
//! `targets` (one object per framework, and per runtime identifier) maps the same keys to their
//! `dependencies` (`{name: version}`): these give the edges, and a package a `project` entry
//! depends on is direct. Everything in a deps.json is loaded at run time, so the scope is
//! runtime. Each component's line is that of its key in `libraries`.

use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

pub struct DepsJson;

/// What a `libraries` key stands for, once read.
enum Library {
    Component(usize),
    Project,
    Other,
}

impl Extractor for DepsJson {
    fn name(&self) -> &'static str {
        "deps-json"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path).to_ascii_lowercase();
        name.len() > ".deps.json".len() && name.ends_with(".deps.json")
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
                "not a .deps.json: no `libraries` object",
            )
        })?;

        let mut out = Extracted::default();
        // Lower-cased `libraries` key -> what it is.
        let mut libs: HashMap<String, Library> = HashMap::new();
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
            let name_prefix = match kind.to_ascii_lowercase().as_str() {
                "package" => "",
                "runtimepack" => "runtimepack.",
                "project" => {
                    libs.insert(key.to_ascii_lowercase(), Library::Project);
                    continue;
                }
                _ => {
                    libs.insert(key.to_ascii_lowercase(), Library::Other);
                    continue;
                }
            };
            let (name, version) = match key.split_once('/') {
                Some((n, v)) if !n.trim().is_empty() && !v.trim().is_empty() => {
                    (n.trim(), v.trim())
                }
                _ => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: key.clone(),
                        reason: "a deps.json library key without a version".into(),
                    });
                    continue;
                }
            };
            let name = strip_prefix_ignore_case(name, name_prefix);
            let mut c = Component::new(Ecosystem::NuGet, name, version);
            c.locations.push(loc(&file.display, line));
            libs.insert(
                key.to_ascii_lowercase(),
                Library::Component(out.components.len()),
            );
            out.components.push(c);
        }

        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); out.components.len()];
        let mut direct: HashSet<usize> = HashSet::new();
        if let Some(targets) = section(obj, "targets", file, &lines)? {
            for (target, entries) in targets {
                let line = lines.key("targets", target);
                let bad = |what: String| ExtractError::new(&file.display, line, what);
                let Some(entries) = entries.as_object() else {
                    return Err(bad(format!("target `{target}` must be an object")));
                };
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
                    let from = libs.get(&key.to_ascii_lowercase());
                    for (dep, version) in deps {
                        let Some(version) = version.as_str() else {
                            return Err(bad(format!(
                                "the version of `{dep}` under `{key}` must be a string"
                            )));
                        };
                        let dep_key = format!("{dep}/{version}").to_ascii_lowercase();
                        let Some(Library::Component(to)) = libs.get(&dep_key) else {
                            continue;
                        };
                        match from {
                            Some(Library::Component(i)) if i != to => {
                                edges[*i].insert(*to);
                            }
                            Some(Library::Project) => {
                                direct.insert(*to);
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        let purls: Vec<String> = out.components.iter().map(|c| c.purl.clone()).collect();
        for (i, c) in out.components.iter_mut().enumerate() {
            c.direct = direct.contains(&i);
            c.dependencies = edges[i].iter().map(|&j| purls[j].clone()).collect();
            c.dependencies.sort();
            c.dependencies.dedup();
        }
        // serde_json's map iterates keys in sorted order: report them in file order.
        out.components
            .sort_by_key(|c| c.locations.first().and_then(|l| l.line).unwrap_or(u32::MAX));
        out.unresolved.sort_by_key(|u| u.line.unwrap_or(u32::MAX));
        Ok(out)
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> &'a str {
    match s.get(..prefix.len()) {
        Some(head) if !prefix.is_empty() && head.eq_ignore_ascii_case(prefix) => {
            s.get(prefix.len()..).unwrap_or(s)
        }
        _ => s,
    }
}

/// The top-level object `key`: `None` when absent or null, an error when not an object.
pub(super) fn section<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    file: &SourceFile,
    lines: &SectionKeyLines,
) -> Result<Option<&'a Map<String, Value>>, ExtractError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ExtractError::new(
            &file.display,
            lines.top(key),
            format!("`{key}` must be an object"),
        )),
    }
}

/// Lines of the top-level keys of a JSON document and of the keys directly inside some of its
/// top-level objects (`libraries`, `targets`). The text has already been parsed as JSON, so a
/// scan of strings and brackets is enough; keys are compared as written, escapes decoded.
pub(super) struct SectionKeyLines {
    top: HashMap<String, u32>,
    keys: HashMap<(String, String), u32>,
}

impl SectionKeyLines {
    pub fn new(text: &str, sections: &[&str]) -> Self {
        let mut out = SectionKeyLines {
            top: HashMap::new(),
            keys: HashMap::new(),
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
                    let start = i;
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j] != b'"' {
                        j += if bytes[j] == b'\\' { 2 } else { 1 };
                    }
                    i = j.min(bytes.len());
                    let mut k = i + 1;
                    while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                        k += 1;
                    }
                    if k < bytes.len() && bytes[k] == b':' {
                        let raw = text.get(start..(i + 1).min(text.len())).unwrap_or("");
                        let key: String = serde_json::from_str(raw).unwrap_or_default();
                        let depth = path.len();
                        let parent = path.first().and_then(|p| p.clone());
                        if let Some(slot) = path.last_mut() {
                            *slot = Some(key.clone());
                        }
                        match (depth, parent) {
                            (1, _) => {
                                out.top.entry(key).or_insert(line);
                            }
                            (2, Some(p)) if sections.contains(&p.as_str()) => {
                                out.keys.entry((p, key)).or_insert(line);
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

    pub fn top(&self, key: &str) -> Option<u32> {
        self.top.get(key).copied()
    }

    pub fn key(&self, section: &str, key: &str) -> Option<u32> {
        self.keys
            .get(&(section.to_string(), key.to_string()))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        DepsJson.extract(&SourceFile {
            display: "App.deps.json".into(),
            path: Path::new("App.deps.json"),
            text,
        })
    }

    const DEPS: &str = r#"{
  "runtimeTarget": {
    "name": ".NETCoreApp,Version=v8.0/linux-x64",
    "signature": ""
  },
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v8.0": {},
    ".NETCoreApp,Version=v8.0/linux-x64": {
      "App/1.0.0": {
        "dependencies": {
          "Serilog": "3.1.1",
          "Lib": "1.0.0",
          "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": "8.0.1"
        },
        "runtime": {"App.dll": {}}
      },
      "Lib/1.0.0": {
        "dependencies": {"Newtonsoft.Json": "13.0.3"},
        "runtime": {"Lib.dll": {}}
      },
      "Serilog/3.1.1": {
        "dependencies": {"System.Memory": "4.5.5", "Missing": "1.0.0"},
        "runtime": {"lib/net7.0/Serilog.dll": {"assemblyVersion": "2.0.0.0"}}
      },
      "System.Memory/4.5.5": {},
      "Newtonsoft.Json/13.0.3": {"dependencies": null},
      "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1": {"runtime": {}}
    }
  },
  "libraries": {
    "App/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1": {
      "type": "runtimepack",
      "serviceable": false,
      "sha512": ""
    },
    "Serilog/3.1.1": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-abc",
      "path": "serilog/3.1.1",
      "hashPath": "serilog.3.1.1.nupkg.sha512"
    },
    "System.Memory/4.5.5": {"type": "package", "serviceable": true},
    "Lib/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.3": {"type": "package"},
    "Microsoft.CSharp": {"type": "package"},
    "mscorlib": {"type": "reference"}
  }
}"#;

    #[test]
    fn packages_runtime_packs_edges_direct_and_lines() {
        let ex = run(DEPS).unwrap();
        let got: Vec<(&str, bool, Option<u32>, Vec<&str>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.direct,
                    c.locations[0].line,
                    c.dependencies.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.1",
                    true,
                    Some(33),
                    vec![]
                ),
                (
                    "pkg:nuget/Serilog@3.1.1",
                    true,
                    Some(38),
                    vec!["pkg:nuget/System.Memory@4.5.5"]
                ),
                ("pkg:nuget/System.Memory@4.5.5", false, Some(45), vec![]),
                // Direct through the project reference Lib, one of the solution's projects.
                ("pkg:nuget/Newtonsoft.Json@13.0.3", true, Some(47), vec![]),
            ]
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("Microsoft.CSharp", Some(48))]);
    }

    #[test]
    fn empty_and_malformed() {
        assert!(run("{\"libraries\": {}}").unwrap().components.is_empty());
        let cases: &[(&str, u32)] = &[
            ("{}", 1),
            ("[]", 1),
            ("not json", 1),
            ("{\n\"libraries\": [\n]}", 2),
            ("{\n\"libraries\": {\n\"A/1\": 3}}", 3),
            ("{\"libraries\": {},\n\"targets\": {\n\"net\": []}}", 3),
            (
                "{\"libraries\": {},\n\"targets\": {\n\"net\": {\"A/1\": 1}}}",
                3,
            ),
            (
                "{\"libraries\": {},\n\"targets\": {\n\"net\": {\"A/1\": {\"dependencies\": 1}}}}",
                3,
            ),
            (
                "{\"libraries\": {},\n\"targets\": {\n\"n\": {\"A/1\": {\"dependencies\": {\"B\": 1}}}}}",
                3,
            ),
            (
                "{\n  \"libraries\": {\n    \"A/1\": {\"type\": \"package\"}\n",
                4,
            ),
        ];
        for (text, line) in cases {
            let err = run(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "App.deps.json");
        }
        assert!(DepsJson.applies_to(Path::new("bin/App.deps.json")));
        assert!(DepsJson.applies_to(Path::new("x.DEPS.JSON")));
        assert!(!DepsJson.applies_to(Path::new(".deps.json")));
        assert!(!DepsJson.applies_to(Path::new("deps.json")));
    }

    #[test]
    fn key_lines_decode_escapes_and_ignore_strings() {
        let text = "{\"a\": \"libraries\",\n\"libraries\": {\n  \"x\\/y\": {\"type\": \"k\"},\n  \"q\": [\"z\"]\n}}";
        let lines = SectionKeyLines::new(text, &["libraries"]);
        assert_eq!(lines.top("libraries"), Some(2));
        assert_eq!(lines.key("libraries", "x/y"), Some(3));
        assert_eq!(lines.key("libraries", "q"), Some(4));
        assert_eq!(lines.key("libraries", "type"), None);
        // Cut short inside a string: no panic.
        let _ = SectionKeyLines::new("{\"libraries\": {\"a\\", &["libraries"]);
    }

    /// The peer (osv-scalibr) also reports `type: project` libraries, the application itself
    /// among them; ossgate leaves the solution's own projects out (they are built from source,
    /// not NuGet packages, and a purl for them could match an unrelated package's advisories).
    const PROJECTS_LEFT_OUT: &[(&str, &str, &str)] = &[(
        "lockfiles/nuget/deps-json/nopackagename",
        "TestLibrary",
        "1.0.0",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut matched, mut failed, mut left_out) = (0, 0, 0);
        for rec in peer_records(&root, |r| r["format"] == "deps-json") {
            let fixture = fixture(&rec);
            let result = run(&fixture_text(&root, &rec));
            if rec.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}");
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut want = expected_packages(&root, &rec);
            for (f, name, version) in PROJECTS_LEFT_OUT {
                if *f == fixture {
                    let key = (name.to_string(), version.to_string());
                    assert!(
                        want.remove(&key).is_some(),
                        "{fixture}: {name} not expected"
                    );
                    left_out += 1;
                }
            }
            assert_eq!(packages(&ex.components), want, "{fixture}");
            // The library without a version is reported, as unresolved.
            if fixture.ends_with("nopackagename") {
                assert_eq!(ex.unresolved.len(), 1);
                assert_eq!(
                    ex.unresolved[0].text,
                    "Microsoft.Extensions.DependencyInjection"
                );
            }
            matched += 1;
        }
        assert_eq!((matched, failed, left_out), (1, 1, PROJECTS_LEFT_OUT.len()));
    }

    /// No deps.json in the shared inputs; any that appears must parse, with one component or
    /// unresolved entry per `"type": "package"` or `"runtimepack"` library.
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
                } else if DepsJson.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let ex = run(&text).unwrap();
                    let listed = text.matches("\"type\": \"package\"").count()
                        + text.matches("\"type\": \"runtimepack\"").count();
                    assert!(ex.components.len() + ex.unresolved.len() <= listed);
                }
            }
        }
    }
}
