//! `Pipfile.lock` (pipenv): the `default` (runtime) and `develop` (dev) sections map package
//! names to `{"version": "==1.2.3", ...}`. Every entry is direct: pipenv locks the whole
//! environment flat, without edges. Entries without an exact `==` version (git, path or
//! editable installs) are not PyPI releases and are reported as unresolved. A package locked
//! at the same version in both sections is one runtime component.
//!
//! Hashes: each entry's `"hashes": ["sha256:<hex>", ...]` lists one digest per distribution
//! file pip may install; all are kept as the component's `hashes`. Malformed digests (and a
//! `hashes` that is not a list of strings) are left out without failing the file.

use super::npm_lock::push_hash;
use super::poetry_lock::prefixed_hash;
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::path::Path;

pub struct PipfileLock;

impl Extractor for PipfileLock {
    fn name(&self) -> &'static str {
        "pipfile-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "Pipfile.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        if file.text.trim().is_empty() {
            return Ok(out);
        }
        let doc: serde_json::Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        let Some(root) = doc.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "expected a JSON object at the top level",
            ));
        };
        let eco = Ecosystem::PyPI;
        for (section, scope) in [("default", Scope::Runtime), ("develop", Scope::Dev)] {
            let Some(value) = root.get(section) else {
                continue;
            };
            let section_line = key_offset(file.text, section, 0);
            let Some(packages) = value.as_object() else {
                return Err(ExtractError::new(
                    &file.display,
                    section_line.map(|o| line_at(file.text, o)),
                    format!("`{section}` is not an object"),
                ));
            };
            let start = section_line.unwrap_or(0);
            for (name, entry) in packages {
                let line = key_offset(file.text, name, start).map(|o| line_at(file.text, o));
                let version = entry.get("version").and_then(|v| v.as_str());
                match version.and_then(|v| v.trim().strip_prefix("==")) {
                    Some(v) if !v.trim().is_empty() && !v.contains(['*', ',']) => {
                        let mut c = Component::new(eco.clone(), name, v.trim());
                        // Locked in both sections: one component, whose runtime scope wins.
                        if out.components.iter().any(|x| x.purl == c.purl) {
                            continue;
                        }
                        c.locations.push(loc(&file.display, line));
                        c.direct = true;
                        c.scope = scope;
                        let listed = entry.get("hashes").and_then(|h| h.as_array());
                        for h in listed.into_iter().flatten() {
                            if let Some(h) = h.as_str().and_then(prefixed_hash) {
                                push_hash(&mut c.hashes, h);
                            }
                        }
                        out.components.push(c);
                    }
                    _ => {
                        let what = ["git", "path", "file", "url"]
                            .into_iter()
                            .find(|k| entry.get(*k).is_some());
                        out.unresolved.push(Unresolved {
                            file: file.display.clone(),
                            line,
                            text: name.clone(),
                            reason: match (what, version) {
                                (Some(k), _) => format!("installed from a {k} source, not PyPI"),
                                (None, Some(v)) => format!("no exact version (`{v}`)"),
                                (None, None) => "no version".to_string(),
                            },
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Byte offset of the JSON key `"key"` followed by `:`, searching from `from`.
fn key_offset(text: &str, key: &str, from: usize) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let mut pos = from.min(text.len());
    while let Some(i) = text.get(pos..)?.find(&quoted) {
        let at = pos + i;
        let after = &text[at + quoted.len()..];
        if after.trim_start().starts_with(':') {
            return Some(at);
        }
        pos = at + quoted.len();
    }
    None
}

fn line_at(text: &str, offset: usize) -> u32 {
    crate::lines::line_of_offset(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PipfileLock.extract(&SourceFile {
            display: "Pipfile.lock".into(),
            path: Path::new("Pipfile.lock"),
            text,
        })
    }

    #[test]
    fn reads_sections_scopes_and_lines() {
        let text = r#"{
  "_meta": {"sources": []},
  "default": {
    "Requests": {"hashes": [], "index": "pypi", "version": "==2.31.0"},
    "pluggy": {"version": "==1.0.1", "markers": "python_version >= '3.6'"}
  },
  "develop": {
    "pluggy": {"version": "==1.0.0"},
    "requests": {"version": "==2.31.0"},
    "mylib": {"editable": true, "path": "."},
    "toml": {"git": "https://github.com/uiri/toml", "ref": "abc"}
  }
}"#;
        let ex = run(text).unwrap();
        let got: Vec<(&str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/requests@2.31.0", true, Scope::Runtime, Some(4)),
                ("pkg:pypi/pluggy@1.0.1", true, Scope::Runtime, Some(5)),
                ("pkg:pypi/pluggy@1.0.0", true, Scope::Dev, Some(8)),
            ]
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("mylib", Some(10)), ("toml", Some(11))]);
        assert!(ex.unresolved[1].reason.contains("git"));
    }

    #[test]
    fn hashes_are_read() {
        let h = |c: char| c.to_string().repeat(64);
        let (h1, h2) = (h('1'), h('b'));
        let text = format!(
            r#"{{"default": {{
  "a": {{"version": "==1.0", "hashes": ["sha256:{h1}", "sha256:{}", "sha256:{h1}", "sha256:xyz", "md5:{h1}", 3]}},
  "b": {{"version": "==1.0", "hashes": "sha256:{h1}"}},
  "c": {{"version": "==1.0"}}
}}}}"#,
            h2.to_uppercase()
        );
        let ex = run(&text).unwrap();
        let got: Vec<Vec<&str>> = ex
            .components
            .iter()
            .map(|c| c.hashes.iter().map(|h| h.value.as_str()).collect())
            .collect();
        // Several kept (a repeat once), the malformed and mistyped left out.
        assert_eq!(got, [vec![h1.as_str(), h2.as_str()], vec![], vec![]]);
        assert!(
            ex.components[0]
                .hashes
                .iter()
                .all(|h| h.alg == ossgate_model::HashAlg::Sha256)
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let err = run("{\n  \"default\": {\n    \"a\": \n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        assert!(run("[1, 2]").is_err());
        assert!(run("{\"default\": [1]}").is_err());
        assert!(run("").unwrap().components.is_empty());
        assert!(run("{}").unwrap().components.is_empty());
        // Odd but valid shapes are tolerated.
        let ex = run("{\"default\": {\"a\": 1, \"b\": {\"version\": 3}}}").unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 2);
    }

    /// Peer (osv-scanner) Pipfile.lock fixtures: the same (name, version) multiset, dev scope
    /// and lines. No exceptions.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        let (mut checked, mut packages) = (0, 0);
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "pypi" && r["format"] == "pipfile-lock"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            let fixture = field("fixture");
            assert!(rec.get("expect_error").is_none(), "{fixture}");
            let path = root.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = PipfileLock
                .extract(&SourceFile {
                    display: fixture.to_string(),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let expected = &expected(&root, rec);
            let want = expected_packages(&root, rec);
            assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
            for p in expected {
                let dev = p["dep_groups"]
                    .as_array()
                    .is_some_and(|g| g.iter().any(|x| x == "dev"));
                let c = ex
                    .components
                    .iter()
                    .find(|c| c.name == p["name"] && c.version == p["version"])
                    .unwrap();
                assert_eq!(c.scope == Scope::Dev, dev, "{fixture}: {}", c.purl);
                if let Some(line) = p["location"]["line"].as_u64() {
                    assert_eq!(c.locations[0].line, Some(line as u32), "{fixture}");
                }
            }
            packages += expected.len();
            checked += 1;
        }
        assert_eq!((checked, packages), (7, 8), "Pipfile.lock fixtures");
    }
}
