//! Perl distribution metadata: `META.json` / `META.yml` (CPAN::Meta::Spec), and the
//! `MYMETA.json` / `MYMETA.yml` a build writes from them.
//!
//! What is read:
//! - the distribution itself (`name`, `version`), reported as a component as the peer
//!   extractors do: a META file ships with every CPAN distribution, and installed ones (in
//!   `~/.cpanm/work`, `~/.cpan/build`) are what is on the machine. It is not marked direct: it is
//!   the project, not a dependency of it. A `name` without a `version` is reported as
//!   unresolved; a file without a `name` gives no distribution component.
//! - the prerequisites: in spec 2 (`META.json`, and `META.yml` written by new tools)
//!   `prereqs.<phase>.<relationship>.<module>: <version range>`; in spec 1.x (`META.yml`) the
//!   top-level `requires`, `recommends`, `build_requires`, `configure_requires` and
//!   (Module::Install's) `test_requires`. Phases give the scope: `runtime` runtime, `test` test,
//!   `build`, `configure` and `develop` dev; `recommends` and `suggests` are optional.
//!   A prerequisite is a version *range* (`0` for any version, `1.2` for at least 1.2,
//!   `>= 1.2, != 1.5`), so it is reported as unresolved with the range, unless it pins one
//!   exact version (`== 1.2.3`): then it is a direct component, and an edge of the distribution.
//!   `perl` (the interpreter), `conflicts`, and phases or relationships outside the spec (`x_*`)
//!   are not dependencies and are not read; neither are `optional_features`.
//!
//! A `META.yml` beside a `META.json` of the same name (`MYMETA.yml` beside `MYMETA.json`) is not
//! read: CPAN tools prefer the JSON file, which holds the same data in the newer spec, and the
//! YAML copy would only repeat it.
//!
//! JSON is validated with serde_json (errors carry its line) and then read through the YAML
//! parser (JSON is YAML), which keeps the spelling of numbers written without quotes (`1.10`)
//! and gives every key's line. A file that is not a mapping (`null`, a string) is an error.

use super::pubspec_lock::{Entries, span_line, yaml_error};
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::path::Path;

pub struct CpanMeta;

/// `module: range` pairs.
type Requirements = Entries<Spanned<String>, Option<String>>;
/// Spec 2 prerequisites: phase → relationship → requirements.
type Prereqs = Entries<String, Option<Entries<String, Option<Requirements>>>>;

#[derive(serde::Deserialize)]
struct Meta {
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    prereqs: Option<Prereqs>,
    // Spec 1.x.
    #[serde(default)]
    requires: Option<Requirements>,
    #[serde(default)]
    recommends: Option<Requirements>,
    #[serde(default)]
    build_requires: Option<Requirements>,
    #[serde(default)]
    configure_requires: Option<Requirements>,
    #[serde(default)]
    test_requires: Option<Requirements>,
}

fn cpan() -> Ecosystem {
    Ecosystem::Other("CPAN".into())
}

/// The scope of a spec phase and relationship, `None` for those not read.
fn scope_of(phase: &str, relationship: &str) -> Option<Scope> {
    let phase_scope = match phase {
        "runtime" => Scope::Runtime,
        "test" => Scope::Test,
        "build" | "configure" | "develop" => Scope::Dev,
        _ => return None,
    };
    match relationship {
        "requires" => Some(phase_scope),
        "recommends" | "suggests" => Some(Scope::Optional),
        _ => None,
    }
}

/// The version a range pins exactly (`== 1.2.3`), if it does.
fn exact_version(range: &str) -> Option<&str> {
    let v = range.trim().strip_prefix("==")?.trim();
    (!v.is_empty() && !v.contains([',', ' ', '<', '>', '=', '!'])).then_some(v)
}

/// Whether the text is JSON rather than YAML: by extension, else by its first character.
fn is_json(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yml" | "yaml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// A copy of a JSON value with every number turned into its text (the typed reader takes
/// version numbers as strings).
fn numbers_as_strings(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_strings).collect()),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, numbers_as_strings(v)))
                .collect(),
        ),
        other => other,
    }
}

fn read(file: &SourceFile) -> Result<Meta, ExtractError> {
    let not_a_mapping = || {
        ExtractError::new(
            &file.display,
            Some(1),
            "not a CPAN META file: expected a mapping of distribution metadata",
        )
    };
    if is_json(file.path, file.text) {
        let value: Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        if !value.is_object() {
            return Err(not_a_mapping());
        }
        // The YAML reader gives lines; should it refuse some valid JSON, serde_json reads it
        // (without lines).
        return match serde_saphyr::from_str::<Meta>(file.text) {
            Ok(meta) => Ok(meta),
            Err(_) => serde_json::from_value(numbers_as_strings(value)).map_err(|e| {
                ExtractError::new(&file.display, None, format!("unexpected META shape: {e}"))
            }),
        };
    }
    match serde_saphyr::from_str::<Option<Value>>(file.text) {
        Ok(Some(Value::Object(_))) => {}
        Ok(_) => return Err(not_a_mapping()),
        Err(e) => return Err(yaml_error(&file.display, &e)),
    }
    serde_saphyr::from_str::<Meta>(file.text).map_err(|e| yaml_error(&file.display, &e))
}

impl Extractor for CpanMeta {
    fn name(&self) -> &'static str {
        "cpan-meta"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "META.json" | "META.yml" | "MYMETA.json" | "MYMETA.yml"
        )
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let yaml_copy = matches!(
            file.path.extension().and_then(|e| e.to_str()),
            Some("yml" | "yaml")
        );
        if yaml_copy && file.path.with_extension("json").is_file() {
            return Ok(Extracted::default());
        }
        let meta = read(file)?;
        let mut out = Extracted::default();

        // (phase, relationship, requirements) in file order, spec 2 first.
        let mut groups: Vec<(String, String, Requirements)> = Vec::new();
        for (phase, rels) in meta.prereqs.map(|p| p.0).unwrap_or_default() {
            for (rel, reqs) in rels.map(|r| r.0).unwrap_or_default() {
                if let Some(reqs) = reqs {
                    groups.push((phase.clone(), rel, reqs));
                }
            }
        }
        for (reqs, phase, rel) in [
            (meta.requires, "runtime", "requires"),
            (meta.recommends, "runtime", "recommends"),
            (meta.build_requires, "build", "requires"),
            (meta.configure_requires, "configure", "requires"),
            (meta.test_requires, "test", "requires"),
        ] {
            if let Some(reqs) = reqs {
                groups.push((phase.into(), rel.into(), reqs));
            }
        }

        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for (phase, rel, reqs) in groups {
            let Some(scope) = scope_of(&phase, &rel) else {
                continue;
            };
            for (module, range) in reqs.0 {
                let name = module.value.trim();
                if name.is_empty() || name == "perl" {
                    continue;
                }
                let line = span_line(&module.referenced);
                let range = range.as_deref().map(str::trim).unwrap_or("");
                let Some(version) = exact_version(range) else {
                    let wanted = match range {
                        "" | "0" => "any version".to_string(),
                        r if r
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
                            || r.starts_with('v') =>
                        {
                            format!("version {r} or later")
                        }
                        r => format!("`{r}`"),
                    };
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: name.to_string(),
                        reason: format!(
                            "{phase} {rel} {wanted}: a prerequisite range, not an installed version"
                        ),
                    });
                    continue;
                };
                let key = (name.to_string(), version.to_string());
                if let Some(&i) = index.get(&key) {
                    if let Some(c) = out.components.get_mut(i) {
                        c.scope = c.scope.widest(scope);
                        c.locations.push(loc(&file.display, line));
                    }
                    continue;
                }
                let mut c = Component::new(cpan(), name, version);
                c.locations.push(loc(&file.display, line));
                c.direct = true;
                c.scope = scope;
                index.insert(key, out.components.len());
                out.components.push(c);
            }
        }

        if let Some(name) = meta.name.filter(|n| !n.value.trim().is_empty()) {
            let line = span_line(&name.referenced);
            let dist = name.value.trim();
            match meta
                .version
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                Some(version) => {
                    let mut c = Component::new(cpan(), dist, version);
                    c.locations.push(loc(&file.display, line));
                    c.dependencies = out.components.iter().map(|p| p.purl.clone()).collect();
                    out.components.insert(0, c);
                }
                None => out.unresolved.insert(
                    0,
                    Unresolved {
                        file: file.display.clone(),
                        line,
                        text: dist.to_string(),
                        reason: "META file without a `version`".into(),
                    },
                ),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        CpanMeta.extract(&SourceFile {
            display: file_name(path).to_string(),
            path,
            text,
        })
    }

    fn run_json(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/META.json"), text)
    }

    fn run_yml(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/META.yml"), text)
    }

    const JSON: &str = r#"{
   "abstract" : "Example",
   "name" : "Acme-Example",
   "prereqs" : {
      "configure" : {
         "requires" : {
            "ExtUtils::MakeMaker" : "0"
         }
      },
      "runtime" : {
         "recommends" : {
            "JSON::XS" : "== 4.03"
         },
         "requires" : {
            "Carp" : 0,
            "Exporter" : "5.57",
            "Moo" : ">= 2.0, < 3.0",
            "Pinned::Mod" : "== 1.10",
            "perl" : "5.008"
         },
         "conflicts" : {
            "Bad::Mod" : "< 1.0"
         }
      },
      "test" : {
         "requires" : {
            "Test::More" : "0.88",
            "Pinned::Mod" : "==1.10"
         }
      },
      "x_custom" : {
         "requires" : { "Ignored" : "== 1" }
      }
   },
   "version" : 1.10
}
"#;

    #[test]
    fn reads_spec_2_json_with_lines_scopes_and_pins() {
        let ex = run_json(JSON).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.locations
                        .iter()
                        .filter_map(|l| l.line)
                        .collect::<Vec<_>>(),
                    c.direct,
                    c.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // The number 1.10 keeps its spelling.
                ("pkg:cpan/Acme-Example@1.10", vec![3], false, Scope::Runtime),
                ("pkg:cpan/JSON::XS@4.03", vec![12], true, Scope::Optional),
                (
                    "pkg:cpan/Pinned::Mod@1.10",
                    vec![18, 28],
                    true,
                    Scope::Runtime
                ),
            ]
        );
        assert_eq!(
            ex.components[0].dependencies,
            ["pkg:cpan/JSON::XS@4.03", "pkg:cpan/Pinned::Mod@1.10"]
        );
        assert!(ex.components.iter().all(|c| c.ecosystem == cpan()));
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line, u.reason.as_str()))
            .collect();
        let reason = "a prerequisite range, not an installed version";
        assert_eq!(
            unresolved,
            [
                (
                    "ExtUtils::MakeMaker",
                    Some(7),
                    &*format!("configure requires any version: {reason}")
                ),
                (
                    "Carp",
                    Some(15),
                    &*format!("runtime requires any version: {reason}")
                ),
                (
                    "Exporter",
                    Some(16),
                    &*format!("runtime requires version 5.57 or later: {reason}")
                ),
                (
                    "Moo",
                    Some(17),
                    &*format!("runtime requires `>= 2.0, < 3.0`: {reason}")
                ),
                (
                    "Test::More",
                    Some(27),
                    &*format!("test requires version 0.88 or later: {reason}")
                ),
            ]
        );
    }

    #[test]
    fn reads_spec_1_yaml() {
        let text = "--- #YAML:1.0
name:                Class-Data-Inheritable
version:             0.080
requires:
    Carp: 0
    Foo::Bar: '== 2.00'
build_requires:
    Test::More: 0.47
configure_requires:
recommends:
    Optional::Thing: ==1.0
conflicts:
    Old::Thing: 1
author:              ~
";
        let ex = run_yml(text).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line, c.scope))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:cpan/Class-Data-Inheritable@0.080",
                    Some(2),
                    Scope::Runtime
                ),
                ("pkg:cpan/Foo::Bar@2.00", Some(6), Scope::Runtime),
                ("pkg:cpan/Optional::Thing@1.0", Some(11), Scope::Optional),
            ]
        );
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("Carp", Some(5)), ("Test::More", Some(8))]);
    }

    #[test]
    fn missing_name_or_version() {
        let ex =
            run_json(r#"{"version": "1.0", "prereqs": {"runtime": {"requires": {"A": "== 1"}}}}"#)
                .unwrap();
        assert_eq!(testdata::packages(&ex.components).len(), 1);
        assert_eq!(ex.components[0].name, "A");
        let ex = run_json("{\n  \"name\": \"Dist\"\n}").unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved[0].text, "Dist");
        assert_eq!(ex.unresolved[0].line, Some(2));
        assert!(
            run_yml("name: ~\nversion: 1\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        for text in ["null", "[]", "\"x\"", "3"] {
            assert!(run_json(text).is_err(), "{text}");
        }
        let err = run_json("{\n  \"name\": \n}").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        for text in ["", "# nothing\n", "hedehodo", "- a\n", "null\n"] {
            assert!(run_yml(text).is_err(), "{text:?}");
        }
        let err = run_yml("name: x\nrequires: [1\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err = run_yml("name: x\nrequires:\n  A: [1]\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        // Unknown extension: JSON when it looks like JSON.
        assert!(run_at(Path::new("x/meta.txt"), "{\"name\": 1").is_err());
    }

    #[test]
    fn yaml_beside_json_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let yml = dir.path().join("META.yml");
        let text = "name: Dist\nversion: '1.0'\n";
        assert_eq!(run_at(&yml, text).unwrap().components.len(), 1);
        std::fs::write(dir.path().join("META.json"), "{}").unwrap();
        assert!(run_at(&yml, text).unwrap().components.is_empty());
        // A MYMETA.yml only defers to MYMETA.json.
        assert_eq!(
            run_at(&dir.path().join("MYMETA.yml"), text)
                .unwrap()
                .components
                .len(),
            1
        );
    }

    #[test]
    fn json_the_yaml_reader_refuses_is_read_without_lines() {
        // Valid JSON, but duplicate keys (the last wins) are an error in YAML.
        let ex = run_json(r#"{"name": "D", "version": "1", "version": 2.50}"#).unwrap();
        assert_eq!(ex.components[0].version, "2.5");
        assert_eq!(ex.components[0].locations[0].line, None);
    }

    #[test]
    fn applies_to_meta_files() {
        for p in ["META.json", "x/META.yml", "MYMETA.json", "MYMETA.yml"] {
            assert!(CpanMeta.applies_to(Path::new(p)), "{p}");
        }
        for p in ["meta.json", "META.yaml", "package.json", "cpanfile"] {
            assert!(!CpanMeta.applies_to(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let must_fail = [
            "lockfiles/cpan/cpan-meta/invalid_json.jsontest",
            "lockfiles/cpan/cpan-meta/null.jsontest",
        ];
        let (mut matched, mut failed) = (0, 0);
        for rec in peer_records(&root, |r| r["format"] == "cpan-meta") {
            let fixture = fixture(&rec);
            let path = root.join(fixture);
            let text = fixture_text(&root, &rec);
            let result = run_at(&path, &text);
            if must_fail.contains(&fixture) {
                assert!(rec.get("expect_error").is_some(), "{fixture}");
                assert!(result.is_err(), "{fixture}");
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            // The peers report the distribution only; prerequisites here are all ranges.
            assert_eq!(
                testdata::packages(&ex.components),
                expected_packages(&root, &rec),
                "{fixture}"
            );
            matched += 1;
        }
        // META_correct1.yml gives nothing because META_correct1.json sits beside it.
        assert_eq!((matched, failed), (4, 2));
    }
}
