//! Deno's configuration file `deno.json` / `deno.jsonc`: the `imports` map (and the `imports` of
//! each entry of `scopes`), whose values name packages by specifier.
//!
//! - `npm:name@version[/subpath]` is an npm package.
//! - `jsr:@scope/name@version[/subpath]` is a JSR package. JSR has no OSV ecosystem, so these are
//!   `Ecosystem::Other("JSR")`; the purl uses the `jsr` type (as the peer tools do), built like an
//!   npm purl (`pkg:jsr/%40std/path@1.0.8`), since the model's `purl_type` has no JSR entry.
//!
//! Every import is direct; scope is runtime (the file does not tell dev imports apart). Only an
//! exact version (`1.2.3`, see `package_json::exact_version`) makes a component; a range
//! (`^1`, `1`) or no version at all goes to `unresolved`: the exact versions live in `deno.lock`.
//! Other imports (relative paths, `https:` URLs, `node:` built-ins) are not registry packages
//! and are not read, nor are an external `importMap` file, `name`/`version` (the project's own
//! JSR identity) or `deno.lock`.
//!
//! `.jsonc` comments and trailing commas are accepted (Deno accepts them in both names) through
//! the tolerant pre-pass shared with the `bun.lock` reader, which also gives the key lines.

use super::bun_lock::clean;
use super::package_json::exact_version;
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde_json::{Map, Value};
use std::path::Path;

pub struct DenoJson;

impl Extractor for DenoJson {
    fn name(&self) -> &'static str {
        "deno-json"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "deno.json" | "deno.jsonc")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let cleaned = clean(file.text);
        let root: Value =
            serde_json::from_str(&cleaned.json).map_err(|e| json_error(&file.display, e))?;
        let Some(obj) = root.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "expected a JSON object",
            ));
        };
        let mut out = Extracted::default();
        let top_line = |key: &str| cleaned.line("", key);
        if let Some(imports) = object_member(file, obj, "imports", top_line("imports"))? {
            for (key, value) in imports {
                let line = cleaned.line("imports", key);
                read_import(file, key, value, line, &mut out)?;
            }
        }
        if let Some(scopes) = object_member(file, obj, "scopes", top_line("scopes"))? {
            for (scope, imports) in scopes {
                let line = cleaned.line("scopes", scope);
                let Some(imports) = imports.as_object() else {
                    return Err(ExtractError::new(
                        &file.display,
                        line,
                        format!("scopes: `{scope}` is not an object"),
                    ));
                };
                for (key, value) in imports {
                    // Nested too deep for the key scan: the line holding the pair, if any.
                    let line = value.as_str().and_then(|v| pair_line(file.text, key, v));
                    read_import(file, key, value, line, &mut out)?;
                }
            }
        }
        // File order (serde_json's maps are sorted by key).
        out.components
            .sort_by_key(|c| c.locations.first().and_then(|l| l.line).unwrap_or(u32::MAX));
        out.unresolved.sort_by_key(|u| u.line.unwrap_or(u32::MAX));
        Ok(out)
    }
}

fn object_member<'a>(
    file: &SourceFile,
    obj: &'a Map<String, Value>,
    key: &str,
    line: Option<u32>,
) -> Result<Option<&'a Map<String, Value>>, ExtractError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ExtractError::new(
            &file.display,
            line,
            format!("`{key}` is not an object"),
        )),
    }
}

fn read_import(
    file: &SourceFile,
    key: &str,
    value: &Value,
    line: Option<u32>,
    out: &mut Extracted,
) -> Result<(), ExtractError> {
    let Some(specifier) = value.as_str() else {
        return Err(ExtractError::new(
            &file.display,
            line,
            format!("imports: `{key}` is not a string"),
        ));
    };
    let (ecosystem, rest) = if let Some(rest) = specifier.strip_prefix("npm:") {
        (Ecosystem::Npm, rest)
    } else if let Some(rest) = specifier.strip_prefix("jsr:") {
        (Ecosystem::Other("JSR".into()), rest)
    } else {
        return Ok(()); // a path, a URL or a built-in
    };
    let unresolved = |reason: &str| Unresolved {
        file: file.display.clone(),
        line,
        text: specifier.to_string(),
        reason: reason.to_string(),
    };
    let Some((name, version)) = split_specifier(rest) else {
        out.unresolved
            .push(unresolved("a package specifier without a name"));
        return Ok(());
    };
    let Some(version) = version else {
        out.unresolved
            .push(unresolved("no version: the exact version is in deno.lock"));
        return Ok(());
    };
    let Some(version) = exact_version(version) else {
        out.unresolved.push(unresolved(
            "a version range, not an exact version: the exact version is in deno.lock",
        ));
        return Ok(());
    };
    let purl = match &ecosystem {
        Ecosystem::Npm => ecosystem.purl(name, Some(version)),
        _ => {
            let npm_like = Ecosystem::Npm.purl(name, Some(version));
            format!(
                "pkg:jsr/{}",
                npm_like.strip_prefix("pkg:npm/").unwrap_or(&npm_like)
            )
        }
    };
    let mut c = Component::with_purl(ecosystem, name.to_string(), version.to_string(), purl);
    c.locations.push(loc(&file.display, line));
    c.direct = true;
    out.components.push(c);
    Ok(())
}

/// `name[@version][/subpath]` (the name possibly `@scope/name`) into name and version.
fn split_specifier(rest: &str) -> Option<(&str, Option<&str>)> {
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    // The name ends at the `@` of the version or at the `/` of a subpath.
    let start = if rest.starts_with('@') {
        rest.find('/')? + 1
    } else {
        0
    };
    let end = rest
        .get(start..)?
        .find(['@', '/'])
        .map_or(rest.len(), |i| i + start);
    let name = rest
        .get(..end)
        .filter(|n| !n.is_empty() && !n.ends_with('/'))?;
    let version = rest.get(end..).and_then(|r| r.strip_prefix('@')).map(|v| {
        let v = v.split('/').next().unwrap_or(v);
        v.trim()
    });
    Some((name, version.filter(|v| !v.is_empty())))
}

/// The 1-based line holding `"key": "value"`, if the file writes the pair on one line.
fn pair_line(text: &str, key: &str, value: &str) -> Option<u32> {
    let key = serde_json::to_string(key).ok()?;
    let value = serde_json::to_string(value).ok()?;
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key.as_str())
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| r.trim_start().starts_with(value.as_str()))
        })
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use ossgate_model::Scope;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        DenoJson.extract(&SourceFile {
            display: "deno.json".into(),
            path: Path::new("/nonexistent/deno.json"),
            text,
        })
    }

    #[test]
    fn npm_and_jsr_imports() {
        let ex = run(r#"{
  // deno.jsonc allows comments
  "name": "@me/app",
  "version": "1.0.0",
  "imports": {
    "chalk": "npm:chalk@5.3.0",
    "preact/hooks": "npm:preact@10.19.2/hooks",
    "@std/path": "jsr:@std/path@1.0.8",
    "@std/fs": "jsr:@std/fs@^1.0.0",
    "types": "npm:@types/node@20.1.0",
    "local/": "./src/",
    "remote": "https://deno.land/x/oak@v12.6.1/mod.ts",
    "bare": "npm:left-pad",
  },
  "scopes": {
    "https://deno.land/x/": {
      "old": "npm:lodash@4.17.20"
    }
  }
}"#)
        .unwrap();
        let got: Vec<(&str, &str, Option<u32>, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.ecosystem.as_str(),
                    c.locations[0].line,
                    c.direct,
                    c.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:npm/chalk@5.3.0", "npm", Some(6), true, Scope::Runtime),
                (
                    "pkg:npm/preact@10.19.2",
                    "npm",
                    Some(7),
                    true,
                    Scope::Runtime
                ),
                (
                    "pkg:jsr/%40std/path@1.0.8",
                    "JSR",
                    Some(8),
                    true,
                    Scope::Runtime
                ),
                (
                    "pkg:npm/%40types/node@20.1.0",
                    "npm",
                    Some(10),
                    true,
                    Scope::Runtime
                ),
                (
                    "pkg:npm/lodash@4.17.20",
                    "npm",
                    Some(17),
                    true,
                    Scope::Runtime
                ),
            ]
        );
        assert_eq!(ex.components[2].name, "@std/path");
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [("jsr:@std/fs@^1.0.0", Some(9)), ("npm:left-pad", Some(13))]
        );
    }

    #[test]
    fn specifiers() {
        assert_eq!(split_specifier("a@1/x"), Some(("a", Some("1"))));
        assert_eq!(
            split_specifier("@s/a@1.0.0/x/y"),
            Some(("@s/a", Some("1.0.0")))
        );
        assert_eq!(split_specifier("@s/a/x"), Some(("@s/a", None)));
        assert_eq!(split_specifier("/a@2"), Some(("a", Some("2"))));
        assert_eq!(split_specifier("a@"), Some(("a", None)));
        assert_eq!(split_specifier("@s"), None);
        assert_eq!(split_specifier("@s/"), None);
        assert_eq!(split_specifier(""), None);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        assert_eq!(
            run("{\n  \"imports\": {\n    \"a\": \n}").unwrap_err().line,
            Some(4)
        );
        assert_eq!(
            run("{\n  \"imports\": {\n    \"a\": 1\n  }\n}")
                .unwrap_err()
                .line,
            Some(3)
        );
        assert_eq!(run("{\n  \"imports\": []\n}").unwrap_err().line, Some(2));
        assert!(run("{\"scopes\": {\"x\": 1}}").is_err());
        assert!(run("[]").is_err());
        assert!(run("").is_err());
        assert!(run("{}").unwrap().components.is_empty());
        assert!(DenoJson.applies_to(Path::new("a/deno.jsonc")));
        assert!(DenoJson.applies_to(Path::new("a/deno.json")));
        assert!(!DenoJson.applies_to(Path::new("a/deno.lock")));
    }

    /// The one deno-json fixture, an asserted exception: the peer reports `npm:chalk@1` as
    /// chalk 1.0.0 (the lowest version of the range) and `jsr:@std1/path1@^1` with the range
    /// `^1` as its version; ossgate reports neither range as a component but both as unresolved,
    /// as it does the two imports without a version (which the peer leaves out).
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let records = peer_records(&root, |r| r["format"] == "deno-json");
        assert_eq!(records.len(), 1);
        for r in &records {
            let ex = run(&fixture_text(&root, r)).unwrap();
            assert!(ex.components.is_empty());
            let expected = expected(&root, r);
            assert_eq!(expected.len(), 2);
            for e in &expected {
                let url = e["metadata"]["URL"].as_str().unwrap();
                let line = e["location"]["line"].as_u64().map(|l| l as u32);
                assert!(
                    ex.unresolved
                        .iter()
                        .any(|u| u.text == url && u.line == line),
                    "{url}"
                );
            }
            assert_eq!(ex.unresolved.len(), 4);
        }
    }
}
