//! Composer's `composer.lock` (PHP, Packagist).
//!
//! `packages` are the runtime packages and `packages-dev` those installed only for development.
//! Each entry's `require` names the packages it needs: those locked here become edges; platform
//! requirements (`php`, `ext-*`, `lib-*`, `composer-*-api`) are not packages and are left out.
//! The lock does not record the project's own requirements, so the direct dependencies come from
//! the `composer.json` beside it (`require` and `require-dev`) when there is one.
//!
//! Versions are kept as the lock writes them (`v6.4.0` as well as `6.4.0`): the Packagist version
//! scheme normalises them when comparing. Package names are case-insensitive in Composer, so
//! edges and direct dependencies are matched without regard to case. An entry locked twice with
//! the same version (in `packages` and `packages-dev`) is one component, with the wider scope.
//!
//! Hashes: `dist.shasum` is the SHA-1 of the dist archive, kept as the component's `hashes`.
//! Composer writes it empty for dists it downloads from GitHub and similar hosts (the archive
//! is built on demand, so no digest is stable): an empty or malformed `shasum` is left out
//! without failing the file.

use super::{file_name, json_error};
use crate::lines::JsonKeyLines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg, Scope};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct ComposerLock;

/// One locked package.
struct Entry<'a> {
    name: &'a str,
    version: &'a str,
    scope: Scope,
    line: Option<u32>,
    require: Vec<&'a str>,
    /// `dist.shasum`, when a non-empty string.
    shasum: Option<&'a str>,
}

impl Extractor for ComposerLock {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "composer.lock"
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
        if !obj.contains_key("packages") && !obj.contains_key("packages-dev") {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a composer.lock: no `packages` or `packages-dev`",
            ));
        }
        let keys = JsonKeyLines::new(file.text);
        let mut names = NameLines::new(file.text);

        // Entries in file order, one per (name, version); `index` finds them by both.
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<(String, &str), usize> = HashMap::new();
        for (key, scope) in [("packages", Scope::Runtime), ("packages-dev", Scope::Dev)] {
            let list = match obj.get(key) {
                None | Some(Value::Null) => continue,
                Some(Value::Array(list)) => list,
                Some(_) => {
                    return Err(ExtractError::new(
                        &file.display,
                        keys.line(key),
                        format!("`{key}` is not an array"),
                    ));
                }
            };
            for (i, item) in list.iter().enumerate() {
                let entry = read_entry(item, scope).map_err(|msg| {
                    ExtractError::new(&file.display, keys.line(key), format!("{key}[{i}]: {msg}"))
                })?;
                let name_key = entry.name.to_ascii_lowercase();
                match index.get(&(name_key.clone(), entry.version)) {
                    Some(&j) => {
                        names.find(entry.name); // keep the line cursor in step
                        entries[j].scope = entries[j].scope.widest(scope);
                        entries[j].shasum = entries[j].shasum.or(entry.shasum);
                    }
                    None => {
                        let line = names.find(entry.name);
                        index.insert((name_key, entry.version), entries.len());
                        entries.push(Entry { line, ..entry });
                    }
                }
            }
        }

        let eco = Ecosystem::Packagist;
        let purls: Vec<String> = entries
            .iter()
            .map(|e| eco.purl(e.name, Some(e.version)))
            .collect();
        // The first entry of each name (runtime packages come first).
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_name.entry(e.name.to_ascii_lowercase()).or_insert(i);
        }
        let direct = declared_in_composer_json(file.path);

        let mut out = Extracted::default();
        for (i, e) in entries.iter().enumerate() {
            let mut c = Component::with_purl(
                eco.clone(),
                e.name.to_string(),
                e.version.to_string(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, e.line));
            c.scope = e.scope;
            c.direct = direct.contains(&e.name.to_ascii_lowercase());
            c.hashes
                .extend(e.shasum.and_then(|s| Hash::from_hex(HashAlg::Sha1, s)));
            let mut seen = HashSet::new();
            c.dependencies = e
                .require
                .iter()
                .filter(|r| !is_platform(r))
                .filter_map(|r| by_name.get(&r.to_ascii_lowercase()).copied())
                .filter(|&j| j != i && seen.insert(j))
                .map(|j| purls[j].clone())
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

fn read_entry(item: &Value, scope: Scope) -> Result<Entry<'_>, String> {
    let Some(obj) = item.as_object() else {
        return Err("expected an object".into());
    };
    let string = |k: &str| -> Result<&str, String> {
        match obj.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
            Some(Value::String(_)) => Err(format!("empty `{k}`")),
            Some(_) => Err(format!("`{k}` is not a string")),
            None => Err(format!("no `{k}`")),
        }
    };
    let name = string("name")?;
    let version = string("version").map_err(|m| format!("{name}: {m}"))?;
    let require = match obj.get("require") {
        Some(Value::Object(m)) => m.keys().map(String::as_str).collect(),
        // PHP writes an empty object as `[]`.
        None | Some(Value::Null) | Some(Value::Array(_)) => Vec::new(),
        Some(_) => return Err(format!("{name}: `require` is not an object")),
    };
    let shasum = obj
        .get("dist")
        .and_then(|d| d.get("shasum"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    Ok(Entry {
        name,
        version,
        scope,
        line: None,
        require,
        shasum,
    })
}

/// Requirements on the PHP platform rather than on packages.
fn is_platform(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "php"
        || n.starts_with("php-")
        || n.starts_with("ext-")
        || n.starts_with("lib-")
        || n == "hhvm"
        || n == "composer"
        || n == "composer-plugin-api"
        || n == "composer-runtime-api"
}

/// Lower-cased names of `require` and `require-dev` in the `composer.json` beside the lock.
fn declared_in_composer_json(lock_path: &Path) -> HashSet<String> {
    let Ok(text) = std::fs::read_to_string(lock_path.with_file_name("composer.json")) else {
        return HashSet::new();
    };
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) else {
        return HashSet::new();
    };
    ["require", "require-dev"]
        .iter()
        .filter_map(|k| m.get(*k).and_then(Value::as_object))
        .flat_map(Map::keys)
        .filter(|n| !is_platform(n))
        .map(|n| n.to_ascii_lowercase())
        .collect()
}

/// The lines holding `"name": "<string>"`, searched in file order: each package's `name` is
/// looked for after the previous package's, so that an author's `name` inside an earlier
/// package, or a package listed twice, does not take the wrong line.
struct NameLines {
    /// (1-based line, the string value) in file order.
    lines: Vec<(u32, String)>,
    cursor: usize,
}

impl NameLines {
    fn new(text: &str) -> Self {
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("\"name\"") else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let value = value.trim();
            let value = value.strip_suffix(',').unwrap_or(value).trim_end();
            // serde_json reads the escapes (`\/` in old locks, `\u....`).
            if let Ok(s) = serde_json::from_str::<String>(value) {
                lines.push((i as u32 + 1, s));
            }
        }
        NameLines { lines, cursor: 0 }
    }

    fn find(&mut self, name: &str) -> Option<u32> {
        let found = self.lines[self.cursor.min(self.lines.len())..]
            .iter()
            .position(|(_, s)| s == name)
            .map(|p| p + self.cursor);
        match found {
            Some(k) => {
                self.cursor = k + 1;
                Some(self.lines[k].0)
            }
            // Out of order (hand-edited) or on a line with other keys: any match will do.
            None => self.lines.iter().find(|(_, s)| s == name).map(|(l, _)| *l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        ComposerLock.extract(&SourceFile {
            display: "composer.lock".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/composer.lock"), text)
    }

    const LOCK: &str = r#"{
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "439b16dd5df2e0730bd1cc4352654d09",
    "packages": [
        {
            "name": "monolog/monolog",
            "version": "3.5.0",
            "require": {
                "php": ">=8.1",
                "psr/log": "^2.0 || ^3.0",
                "ext-json": "*"
            },
            "authors": [
                {
                    "name": "Jordi Boggiano",
                    "email": "j.boggiano@seld.be"
                }
            ]
        },
        {
            "name": "psr/log",
            "version": "3.0.0",
            "require": {
                "php": ">=8.0.0"
            }
        },
        {
            "name": "symfony/console",
            "version": "v6.4.1",
            "require": {
                "Psr/Log": "^1|^2|^3",
                "symfony/polyfill-mbstring": "~1.0"
            }
        }
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "10.5.3",
            "require": []
        },
        {
            "name": "psr/log",
            "version": "3.0.0"
        }
    ],
    "aliases": [],
    "platform": {"php": "^8.1"},
    "platform-dev": []
}"#;

    #[test]
    fn reads_scopes_lines_edges_and_direct_from_composer_json() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("composer.json"),
            r#"{"require": {"php": "^8.1", "Monolog/Monolog": "^3.0", "symfony/console": "^6.4"},
                "require-dev": {"phpunit/phpunit": "^10"}}"#,
        )
        .unwrap();
        let ex = run_at(&dir.path().join("composer.lock"), LOCK).unwrap();
        let got: Vec<(&str, &str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.version.as_str(),
                    c.direct,
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:composer/monolog/monolog@3.5.0",
                    "3.5.0",
                    true,
                    Scope::Runtime,
                    Some(6)
                ),
                (
                    "pkg:composer/psr/log@3.0.0",
                    "3.0.0",
                    false,
                    Scope::Runtime,
                    Some(21)
                ),
                (
                    "pkg:composer/symfony/console@v6.4.1",
                    "v6.4.1",
                    true,
                    Scope::Runtime,
                    Some(28)
                ),
                (
                    "pkg:composer/phpunit/phpunit@10.5.3",
                    "10.5.3",
                    true,
                    Scope::Dev,
                    Some(38)
                ),
            ]
        );
        assert!(
            ex.components
                .iter()
                .all(|c| c.ecosystem == Ecosystem::Packagist)
        );
        // Platform requirements and packages not in the lock make no edges; case is ignored.
        assert_eq!(
            ex.components[0].dependencies,
            ["pkg:composer/psr/log@3.0.0"]
        );
        assert_eq!(
            ex.components[2].dependencies,
            ["pkg:composer/psr/log@3.0.0"]
        );
        assert!(ex.components[1].dependencies.is_empty());
    }

    #[test]
    fn without_or_with_a_broken_composer_json_nothing_is_direct() {
        let ex = run(LOCK).unwrap();
        assert_eq!(ex.components.len(), 4);
        assert!(ex.components.iter().all(|c| !c.direct));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("composer.json"), "{ not json").unwrap();
        let ex = run_at(&dir.path().join("composer.lock"), LOCK).unwrap();
        assert!(ex.components.iter().all(|c| !c.direct));
    }

    #[test]
    fn escaped_slashes_and_one_line_files() {
        let text = "{\n  \"packages\": [\n    {\n      \"name\": \"a\\/b\",\n      \"version\": \"1.0.0\"\n    }\n  ]\n}";
        let ex = run(text).unwrap();
        assert_eq!(ex.components[0].name, "a/b");
        assert_eq!(ex.components[0].locations[0].line, Some(4));
        // Minified: the name shares its line with other keys, so no line is known.
        let ex = run(r#"{"packages":[{"version":"1","name":"a/b"}],"packages-dev":null}"#).unwrap();
        assert_eq!(ex.components[0].purl, "pkg:composer/a/b@1");
        assert_eq!(ex.components[0].locations[0].line, None);
        assert!(ComposerLock.applies_to(Path::new("x/composer.lock")));
        assert!(!ComposerLock.applies_to(Path::new("x/composer.json")));
        assert_eq!(ComposerLock.name(), "composer-lock");
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let err = run("{\n  \"packages\": [\n    {\"name\": }\n  ]\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.file, "composer.lock");
        for text in ["null", "[]", "\"x\"", "{}", "{\"name\": \"x\"}"] {
            assert_eq!(run(text).unwrap_err().line, Some(1), "{text}");
        }
        let cases: &[(&str, u32)] = &[
            ("{\n\"packages\": {}\n}", 2),
            ("{\n\"packages\": [1]\n}", 2),
            (
                "{\n\"packages\": [],\n\"packages-dev\": [{\"version\": \"1\"}]\n}",
                3,
            ),
            ("{\n\"packages\": [{\"name\": \"a/b\"}]\n}", 2),
            (
                "{\n\"packages\": [{\"name\": \"a/b\", \"version\": 1}]\n}",
                2,
            ),
            (
                "{\n\"packages\": [{\"name\": \"\", \"version\": \"1\"}]\n}",
                2,
            ),
            (
                "{\n\"packages\": [{\"name\": \"a\", \"version\": \"1\", \"require\": 3}]\n}",
                2,
            ),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
        }
        assert!(run("").is_err());
        assert!(run("{\"packages\": []}").unwrap().components.is_empty());
    }

    fn extract_path(path: &Path, display: &str) -> Result<Extracted, ExtractError> {
        let text = std::fs::read_to_string(path).unwrap();
        ComposerLock.extract(&SourceFile {
            display: display.to_string(),
            path,
            text: &text,
        })
    }

    /// osv-scalibr's composer.lock fixtures: the same (name, version) multiset, scopes and lines.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        // No exceptions: every composer.lock fixture must match.
        let (mut checked, mut errors, mut packages) = (0, 0, 0);
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "packagist" && r["format"] == "composer-lock"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            let fixture = field("fixture");
            let result = extract_path(&root.join(fixture), fixture);
            let expected = &expected(&root, rec);
            assert_eq!(expected.len() as u64, rec["packages"].as_u64().unwrap());
            if rec.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}: expected an error");
                assert!(expected.is_empty());
                errors += 1;
            } else {
                let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
                let want = expected_packages(&root, rec);
                assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
                // Scope (dep_groups) and line, where asserted.
                for p in expected {
                    let c = ex
                        .components
                        .iter()
                        .find(|c| c.name == p["name"] && c.version == p["version"])
                        .unwrap();
                    if let Some(groups) = p["dep_groups"].as_array() {
                        let dev = groups.iter().any(|g| g == "dev");
                        assert_eq!(c.scope == Scope::Dev, dev, "{fixture}: {}", c.purl);
                    }
                    if let Some(line) = p["location"]["line"].as_u64() {
                        assert_eq!(
                            c.locations[0].line,
                            Some(line as u32),
                            "{fixture}: {}",
                            c.purl
                        );
                    }
                }
                packages += expected.len();
            }
            checked += 1;
        }
        assert_eq!(
            (checked, errors, packages),
            (6, 1, 8),
            "composer.lock fixtures in the index"
        );
    }

    /// firefly-iii's composer.lock reads without error, one component per distinct locked
    /// (name, version), with the direct ones its composer.json names.
    #[test]
    fn real_lockfile() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let path = inputs.join("firefly-iii/composer.lock");
        let ex = extract_path(&path, "firefly-iii/composer.lock").unwrap_or_else(|e| panic!("{e}"));

        // The same counts, worked out from the JSON values.
        let lock: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut distinct = HashSet::new();
        let mut names = HashSet::new();
        let mut dev_only = 0;
        for key in ["packages", "packages-dev"] {
            for p in lock[key].as_array().unwrap() {
                let name = p["name"].as_str().unwrap().to_ascii_lowercase();
                if distinct.insert((name.clone(), p["version"].as_str().unwrap().to_string()))
                    && key == "packages-dev"
                {
                    dev_only += 1;
                }
                names.insert(name);
            }
        }
        assert_eq!(ex.components.len(), distinct.len());
        assert_eq!(
            ex.components
                .iter()
                .filter(|c| c.scope == Scope::Dev)
                .count(),
            dev_only
        );
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(inputs.join("firefly-iii/composer.json")).unwrap(),
        )
        .unwrap();
        let declared: HashSet<String> = ["require", "require-dev"]
            .iter()
            .flat_map(|k| manifest[*k].as_object().unwrap().keys())
            .map(|k| k.to_ascii_lowercase())
            .filter(|k| names.contains(k))
            .collect();
        assert!(!declared.is_empty());
        assert_eq!(
            ex.components.iter().filter(|c| c.direct).count(),
            declared.len()
        );
        // Every package has a line, and it is its own `"name"` line.
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for c in &ex.components {
            let line = c.locations[0].line.expect("a line") as usize;
            assert!(
                lines[line - 1].contains(&format!("\"name\": \"{}\"", c.name)),
                "{}",
                c.purl
            );
        }
        assert!(
            ex.components
                .iter()
                .filter(|c| !c.dependencies.is_empty())
                .count()
                > 100
        );
        // As many digests as non-empty `"shasum"` values (none here: GitHub dists).
        let shasums = text
            .lines()
            .filter(|l| l.trim_start().starts_with("\"shasum\": \"") && !l.contains("\"\""))
            .count();
        let read: usize = ex.components.iter().map(|c| c.hashes.len()).sum();
        assert_eq!(read, shasums);
    }

    #[test]
    fn dist_shasum_is_a_sha1_hash() {
        let sha1 = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8";
        let text = format!(
            r#"{{"packages": [
  {{"name": "a/a", "version": "1.0", "dist": {{"type": "zip", "url": "u", "shasum": "{}"}}}},
  {{"name": "b/b", "version": "1.0", "dist": {{"type": "zip", "url": "u", "shasum": ""}}}},
  {{"name": "c/c", "version": "1.0", "dist": {{"shasum": "xyz"}}}},
  {{"name": "d/d", "version": "1.0", "dist": {{"shasum": 12}}}},
  {{"name": "e/e", "version": "1.0", "dist": "odd"}},
  {{"name": "f/f", "version": "1.0"}}
], "packages-dev": [
  {{"name": "b/b", "version": "1.0", "dist": {{"shasum": "{sha1}"}}}}
]}}"#,
            sha1.to_uppercase()
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
        assert_eq!(
            got,
            [
                ("a/a", vec![(HashAlg::Sha1, sha1)]),
                // Empty in `packages`: the dev entry of the same release gives it.
                ("b/b", vec![(HashAlg::Sha1, sha1)]),
                ("c/c", vec![]),
                ("d/d", vec![]),
                ("e/e", vec![]),
                ("f/f", vec![]),
            ]
        );
    }
}
