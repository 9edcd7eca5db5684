//! npm's `package.json`, read as a manifest when no lockfile gives exact versions (a
//! `package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml`, `bun.lock` or
//! `bun.lockb` beside it or in a workspace directory above supersedes it).
//!
//! - **The package itself**: `name` and `version` make one component (not direct), as an
//!   installed package's `package.json` describes it. Left out when either is missing or empty,
//!   when the package is `"private": true` (never published, so its name may belong to someone
//!   else on the registry), and for VS Code extensions (`engines.vscode` or `contributes`), whose
//!   names are Marketplace names, not npm packages.
//! - **Declared dependencies** (`dependencies` runtime, `devDependencies` dev,
//!   `optionalDependencies` optional, `peerDependencies` runtime): all direct. An exact version
//!   (`1.2.3`, `=1.2.3`, `v1.2.3`, with pre-release and build parts, or the alias
//!   `npm:real@1.2.3`) is a component; anything else (a range, a tag such as `latest`, a git,
//!   tarball or `file:` reference) goes to `unresolved`, since only a lockfile says what was
//!   installed. `workspace:` and `link:` references are the project's own packages and are
//!   skipped. Transitive dependencies are unknown without a lockfile; there are no edges.
//!
//! Lines: each component is located at its key (`"name"` for the package itself), found by the
//! depth-aware key scan shared with the `bun.lock` reader. The file itself is strict JSON.

use super::bun_lock::clean;
use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::{Map, Value};
use std::path::Path;

pub struct PackageJson;

impl Extractor for PackageJson {
    fn name(&self) -> &'static str {
        "package-json"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "package.json"
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lock",
            "bun.lockb",
        ]
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
        let lines = clean(file.text);
        let mut out = Extracted::default();

        if let Some((name, version)) = own_package(obj) {
            let mut c = Component::new(Ecosystem::Npm, name, version);
            c.locations.push(loc(&file.display, lines.line("", "name")));
            out.components.push(c);
        }

        for (section, scope) in SECTIONS {
            let deps = match obj.get(*section) {
                None | Some(Value::Null) => continue,
                Some(Value::Object(d)) => d,
                Some(_) => {
                    return Err(ExtractError::new(
                        &file.display,
                        lines.line("", section),
                        format!("`{section}` is not an object"),
                    ));
                }
            };
            for (name, spec) in deps {
                let line = lines.line(section, name);
                let Some(spec) = spec.as_str() else {
                    return Err(ExtractError::new(
                        &file.display,
                        line,
                        format!("{section}: `{name}` is not a string"),
                    ));
                };
                let spec = spec.trim();
                match classify(name, spec) {
                    Declared::Exact(real, version) => {
                        let mut c = Component::new(Ecosystem::Npm, real, version);
                        c.locations.push(loc(&file.display, line));
                        c.direct = true;
                        c.scope = *scope;
                        out.components.push(c);
                    }
                    Declared::Own => {}
                    Declared::Unresolved(reason) => out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: format!("{name}@{spec}"),
                        reason: reason.to_string(),
                    }),
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

const SECTIONS: &[(&str, Scope)] = &[
    ("dependencies", Scope::Runtime),
    ("devDependencies", Scope::Dev),
    ("optionalDependencies", Scope::Optional),
    ("peerDependencies", Scope::Runtime),
];

/// The package's own name and version, when it is a publishable npm package.
fn own_package(obj: &Map<String, Value>) -> Option<(&str, &str)> {
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::trim);
    let name = text("name").filter(|n| !n.is_empty())?;
    let version = text("version").filter(|v| !v.is_empty())?;
    let private = obj.get("private").and_then(Value::as_bool) == Some(true);
    let vscode = obj.contains_key("contributes")
        || obj
            .get("engines")
            .and_then(Value::as_object)
            .is_some_and(|e| e.contains_key("vscode"));
    (!private && !vscode).then_some((name, version))
}

enum Declared<'a> {
    /// The real package name and its exact version.
    Exact(&'a str, &'a str),
    /// A workspace or linked package: the project's own.
    Own,
    Unresolved(&'static str),
}

fn classify<'a>(name: &'a str, spec: &'a str) -> Declared<'a> {
    if spec.starts_with("workspace:") || spec.starts_with("link:") {
        return Declared::Own;
    }
    if let Some(alias) = spec.strip_prefix("npm:") {
        return match alias.get(1..).and_then(|a| a.find('@')) {
            Some(i) => match (
                alias.get(..i + 1),
                alias.get(i + 2..).and_then(exact_version),
            ) {
                (Some(real), Some(v)) => Declared::Exact(real, v),
                _ => Declared::Unresolved("an npm alias to a range, not an exact version"),
            },
            None => Declared::Unresolved("an npm alias without a version"),
        };
    }
    if let Some(v) = exact_version(spec) {
        return Declared::Exact(name, v);
    }
    let reason = if spec.starts_with("file:") {
        "a local file or directory, not a registry package"
    } else if spec.contains("://")
        || spec.starts_with("git")
        || spec.starts_with("github:")
        || spec.starts_with("gitlab:")
        || spec.starts_with("bitbucket:")
        || (spec.contains('/') && !spec.starts_with('@'))
    {
        "a git or tarball reference, not a registry version"
    } else {
        "a version range or tag, not an exact version (no lockfile)"
    };
    Declared::Unresolved(reason)
}

/// `spec` as an exact SemVer version (`=` or `v` in front allowed), without the prefix.
pub(super) fn exact_version(spec: &str) -> Option<&str> {
    let v = spec.strip_prefix('=').unwrap_or(spec).trim_start();
    let v = v.strip_prefix('v').unwrap_or(v);
    let (core, rest) = match v.find(['-', '+']) {
        Some(i) => (v.get(..i)?, v.get(i + 1..)?),
        None => (v, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let suffix_ok = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'));
    let has_suffix = v.len() > core.len();
    (numeric && suffix_ok && (!has_suffix || !rest.is_empty())).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::BTreeMap;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PackageJson.extract(&SourceFile {
            display: "package.json".into(),
            path: Path::new("/nonexistent/package.json"),
            text,
        })
    }

    #[test]
    fn the_package_pins_ranges_and_own_packages() {
        let ex = run(r#"{
  "author": {"name": "someone", "url": "x"},
  "name": "app",
  "version": "2.0.0",
  "dependencies": {
    "z": "1.2.3",
    "b": "^1.0.0",
    "c": "npm:real@3.0.0-rc.1",
    "d": "workspace:*",
    "e": "github:o/r#v1",
    "f": "file:../f",
    "g": "latest"
  },
  "devDependencies": {
    "@s/t": "=4.5.6+build.7"
  },
  "optionalDependencies": {"o": "v0.1.0"},
  "peerDependencies": {"p": ">=1"}
}"#)
        .unwrap();
        let got: Vec<(&str, Option<u32>, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line, c.direct, c.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:npm/app@2.0.0", Some(3), false, Scope::Runtime),
                ("pkg:npm/z@1.2.3", Some(6), true, Scope::Runtime),
                ("pkg:npm/real@3.0.0-rc.1", Some(8), true, Scope::Runtime),
                ("pkg:npm/%40s/t@4.5.6%2Bbuild.7", Some(15), true, Scope::Dev),
                ("pkg:npm/o@0.1.0", Some(17), true, Scope::Optional),
            ]
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("b@^1.0.0", Some(7)),
                ("e@github:o/r#v1", Some(10)),
                ("f@file:../f", Some(11)),
                ("g@latest", Some(12)),
                ("p@>=1", Some(18)),
            ]
        );
        assert!(ex.unresolved[1].reason.contains("git"));
        assert!(ex.unresolved[2].reason.contains("local"));
    }

    #[test]
    fn private_and_vscode_packages_are_not_components() {
        for text in [
            r#"{"name": "root", "version": "0.0.0", "private": true}"#,
            r#"{"name": "ext", "version": "1.0.0", "engines": {"vscode": "^1.80.0"}}"#,
            r#"{"name": "ext", "version": "1.0.0", "contributes": {}}"#,
            r#"{"name": "x", "version": ""}"#,
            r#"{"version": "1.0.0"}"#,
        ] {
            assert!(run(text).unwrap().components.is_empty(), "{text}");
        }
        // Their dependencies still count.
        let ex = run(r#"{"name": "r", "private": true, "dependencies": {"a": "1.0.0"}}"#).unwrap();
        assert_eq!(ex.components[0].purl, "pkg:npm/a@1.0.0");
    }

    #[test]
    fn exact_versions() {
        for (spec, want) in [
            ("1.2.3", Some("1.2.3")),
            ("=1.2.3", Some("1.2.3")),
            ("v1.2.3-beta.1", Some("1.2.3-beta.1")),
            ("1.2.3+b", Some("1.2.3+b")),
            ("1.2", None),
            ("1.2.x", None),
            ("1.2.3 - 2", None),
            ("^1.2.3", None),
            ("1.2.3-", None),
            ("01.2.3.4", None),
            ("", None),
        ] {
            assert_eq!(exact_version(spec), want, "{spec}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let err =
            run("{\n  \"name\": \"a\",\n  \"dependencies\": {\n    \"b\": 1\n  }\n}").unwrap_err();
        assert_eq!(err.line, Some(4));
        let err = run("{\n  \"name\": \"a\",\n  \"dependencies\": [\"b\"]\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(run("{\n  \"name\": \n}").unwrap_err().line, Some(3));
        assert!(run("[]").is_err());
        assert!(run("").is_err());
        assert!(run("{}").unwrap().components.is_empty());
        assert!(PackageJson.applies_to(Path::new("a/package.json")));
        assert!(!PackageJson.applies_to(Path::new("a/package-lock.json")));
        assert!(PackageJson.superseded_by().contains(&"pnpm-lock.yaml"));
    }

    /// Fixtures whose peer result we deliberately do not reproduce, with the reason.
    const EXCEPTIONS: &[(&str, &str)] = &[
        (
            "lockfiles/npm/package-json/deps/accepts/package.json",
            "the peer (default options) reports only the package; ossgate also reports the \
             declared exact pins (`negotiator: 0.6.3`, the dev pins) as direct components",
        ),
        (
            "lockfiles/npm/package-json/deps/no-person-name/package.json",
            "as for accepts: the declared exact pins are components too",
        ),
        (
            "lockfiles/npm/package-json/package-with-deps.json",
            "with `includeDeps` the peer reports each range at its lowest matching version \
             (`>2.0.0` as 2.0.1); ossgate reports only exact pins as components and the ranges \
             (and `invalid`) as unresolved",
        ),
    ];

    /// Every package-json fixture. Those without exceptions give exactly the expected multiset.
    /// For the exceptions, the expected entries are mapped: the package itself is the one
    /// non-direct component; each expected dependency is a component when the file pins it
    /// exactly, otherwise unresolved; and every extra component is an exact pin of the file.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut failed, mut excepted) = (0, 0, 0);
        for r in peer_records(&root, |r| r["format"] == "package-json") {
            let fixture = fixture(&r);
            let text = fixture_text(&root, &r);
            let result = run(&text);
            if r.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}");
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            // Lines, where given.
            for e in expected(&root, &r) {
                if let Some(line) = e["location"]["line"].as_u64() {
                    let line = Some(line as u32);
                    assert!(
                        ex.components
                            .iter()
                            .any(|c| c.name == e["name"] && c.locations[0].line == line)
                            || ex.unresolved.iter().any(|u| u.line == line),
                        "{fixture}: {e}"
                    );
                }
            }
            if !EXCEPTIONS.iter().any(|(f, _)| *f == fixture) {
                assert_eq!(
                    packages(&ex.components),
                    expected_packages(&root, &r),
                    "{fixture}"
                );
                checked += 1;
                continue;
            }
            let manifest: Value = serde_json::from_str(&text).unwrap();
            let declared = |name: &str| -> Option<&str> {
                SECTIONS
                    .iter()
                    .find_map(|(s, _)| manifest[*s][name].as_str())
            };
            let own: Vec<&Component> = ex.components.iter().filter(|c| !c.direct).collect();
            let mut want_own = BTreeMap::new();
            for e in expected(&root, &r) {
                let (name, version) = name_version(&e);
                match declared(&name) {
                    None => *want_own.entry((name, version)).or_insert(0) += 1,
                    Some(spec) if exact_version(spec) == Some(version.as_str()) => assert!(
                        ex.components
                            .iter()
                            .any(|c| c.direct && c.name == name && c.version == version),
                        "{fixture}: {name}"
                    ),
                    Some(spec) => assert!(
                        ex.unresolved
                            .iter()
                            .any(|u| u.text == format!("{name}@{spec}")),
                        "{fixture}: {name}"
                    ),
                }
            }
            let own: Vec<Component> = own.into_iter().cloned().collect();
            assert_eq!(packages(&own), want_own, "{fixture}");
            for c in ex.components.iter().filter(|c| c.direct) {
                assert_eq!(
                    declared(&c.name).and_then(exact_version),
                    Some(c.version.as_str()),
                    "{fixture}: {}",
                    c.purl
                );
            }
            checked += 1;
            excepted += 1;
        }
        assert_eq!((checked, failed, excepted), (9, 1, EXCEPTIONS.len()));
    }

    /// Every package.json of the shared inputs reads; each declared dependency is a component
    /// (exact pin), unresolved, or a workspace/link reference, counted by a line scan of the
    /// dependency sections.
    #[test]
    fn real_manifests() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut files = 0;
        let mut stack = vec![inputs];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if file_name(&path) != "package.json" {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let ex = PackageJson
                    .extract(&SourceFile {
                        display: path.display().to_string(),
                        path: &path,
                        text: &text,
                    })
                    .unwrap_or_else(|e| panic!("{e}"));
                // Line scan: entries between `"<section>": {` and the closing `}`.
                let (mut entries, mut own_refs, mut section) = (0, 0, false);
                for line in text.lines() {
                    let t = line.trim();
                    if SECTIONS
                        .iter()
                        .any(|(s, _)| t.starts_with(&format!("\"{s}\": {{")))
                    {
                        section = !t.ends_with('}');
                    } else if section && t.starts_with('}') {
                        section = false;
                    } else if section && t.starts_with('"') {
                        entries += 1;
                        own_refs +=
                            usize::from(t.contains("\"workspace:") || t.contains("\"link:"));
                    }
                }
                let direct = ex.components.iter().filter(|c| c.direct).count();
                assert_eq!(
                    direct + ex.unresolved.len() + own_refs,
                    entries,
                    "{}",
                    path.display()
                );
                files += 1;
            }
        }
        assert!(files >= 12, "{files}");
    }
}
