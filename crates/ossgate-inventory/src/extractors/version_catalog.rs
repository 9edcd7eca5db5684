//! Gradle version catalogs, `gradle/libs.versions.toml` (any `*.versions.toml`; Maven
//! repositories).
//!
//! A catalog is a manifest: it declares the libraries a build may use and the versions it asks
//! for, not what Gradle resolved, so it is superseded by a `gradle.lockfile` beside it or above
//! it (the catalog normally sits in `gradle/`, the lock in the project root). Each entry of
//! `[libraries]` is a direct runtime component named `group:artifact`, located at its line;
//! catalogs record no edges and no scopes (a library's configuration is chosen in the build
//! script). The same module at the same version under two aliases is one component with both
//! lines.
//!
//! Library notations read:
//! - a string `"group:artifact:version"` (`"group:artifact"` has no version);
//! - a table with `module = "group:artifact"`, or `group` and `name`;
//! - its version as a string (`version = "1.0"`), a reference into `[versions]`
//!   (`version.ref = "x"`, also written `version = { ref = "x" }`), or a rich version table
//!   (`strictly`, `require`, `prefer`, `reject`), in `[libraries]` or in `[versions]`.
//!
//! Versions: a plain version is what Gradle requests (`require`): exact unless dynamic. A rich
//! version gives the first exact one of `strictly`, `require` and `prefer`, the order of
//! strength Gradle applies (`prefer` is used only when nothing stronger names a version).
//! `1.0!!` is `strictly` 1.0, and `range!!1.5` prefers 1.5. Dynamic versions (`1.+`,
//! `latest.release`, ranges such as `[1.0,2.0)`), an empty or missing version, and rich
//! versions with no exact part go to `unresolved` with the reason.
//!
//! Not read: `[bundles]` (lists of aliases of libraries already read) and `[plugins]` (Gradle
//! plugin ids, resolved from the plugin portal, not Maven coordinates). Invalid TOML, a
//! library whose notation is not one of the above, and a `version.ref` naming no entry of
//! `[versions]` are errors with the line.

use super::toml_error;
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::{Spanned, Value};

pub struct VersionCatalog;

#[derive(Deserialize)]
struct Catalog {
    #[serde(default)]
    versions: BTreeMap<String, Spanned<Value>>,
    #[serde(default)]
    libraries: BTreeMap<String, Spanned<Value>>,
}

impl Extractor for VersionCatalog {
    fn name(&self) -> &'static str {
        "gradle-version-catalog"
    }

    fn applies_to(&self, path: &Path) -> bool {
        super::file_name(path)
            .strip_suffix(".versions.toml")
            .is_some_and(|stem| !stem.is_empty())
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["gradle.lockfile"]
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let catalog: Catalog =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let mut libraries: Vec<(&String, &Spanned<Value>)> = catalog.libraries.iter().collect();
        libraries.sort_by_key(|(_, v)| v.span().start);

        let eco = Ecosystem::Maven;
        let mut out = Extracted::default();
        let mut by_purl: HashMap<String, usize> = HashMap::new();
        for (alias, value) in libraries {
            let line = line_of_offset(file.text, value.span().start);
            let lib = read_library(value.get_ref(), &catalog.versions).map_err(|msg| {
                ExtractError::new(
                    &file.display,
                    Some(line),
                    format!("library `{alias}`: {msg}"),
                )
            })?;
            let version = match lib.version {
                Ok(v) => v,
                Err(reason) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line: Some(line),
                        text: match &lib.shown {
                            Some(s) => format!("{} {s}", lib.name),
                            None => lib.name,
                        },
                        reason,
                    });
                    continue;
                }
            };
            let purl = eco.purl(&lib.name, Some(&version));
            let location = loc(&file.display, Some(line));
            match by_purl.get(&purl).and_then(|&i| out.components.get_mut(i)) {
                Some(c) => c.locations.push(location),
                None => {
                    let mut c = Component::with_purl(eco.clone(), lib.name, version, purl.clone());
                    c.direct = true;
                    c.locations.push(location);
                    by_purl.insert(purl, out.components.len());
                    out.components.push(c);
                }
            }
        }
        Ok(out)
    }
}

/// One library: `group:artifact`, its exact version or why there is none, and the version as
/// written (for `unresolved`).
struct Library {
    name: String,
    version: Result<String, String>,
    shown: Option<String>,
}

fn read_library(
    value: &Value,
    versions: &BTreeMap<String, Spanned<Value>>,
) -> Result<Library, String> {
    match value {
        Value::String(s) => {
            let parts: Vec<&str> = s.split(':').map(str::trim).collect();
            match parts.as_slice() {
                [g, a] if !g.is_empty() && !a.is_empty() => Ok(Library {
                    name: format!("{g}:{a}"),
                    version: Err("no version".into()),
                    shown: None,
                }),
                [g, a, v] if !g.is_empty() && !a.is_empty() => Ok(Library {
                    name: format!("{g}:{a}"),
                    version: plain_version(v),
                    shown: Some(v.to_string()),
                }),
                _ => Err(format!("`{s}` is not `group:artifact:version` notation")),
            }
        }
        Value::Table(t) => {
            let string = |k: &str| -> Result<Option<&str>, String> {
                match t.get(k) {
                    None => Ok(None),
                    Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim())),
                    Some(_) => Err(format!("`{k}` is not a non-empty string")),
                }
            };
            let name = match (string("module")?, string("group")?, string("name")?) {
                (Some(m), None, None) => match m.split_once(':') {
                    Some((g, a))
                        if !g.trim().is_empty() && !a.trim().is_empty() && !a.contains(':') =>
                    {
                        format!("{}:{}", g.trim(), a.trim())
                    }
                    _ => return Err(format!("module `{m}` is not `group:artifact`")),
                },
                (None, Some(g), Some(a)) => format!("{g}:{a}"),
                _ => {
                    return Err("needs `module = \"group:artifact\"`, or `group` and `name`".into());
                }
            };
            let (version, shown) = match t.get("version") {
                None => (Err("no version".into()), None),
                Some(Value::Table(v)) if v.contains_key("ref") => {
                    let Some(Value::String(r)) = v.get("ref") else {
                        return Err("`version.ref` is not a string".into());
                    };
                    let Some(target) = versions.get(r.as_str()) else {
                        return Err(format!(
                            "`version.ref` names `{r}`, which is not in [versions]"
                        ));
                    };
                    version_value(target.get_ref()).map_err(|m| format!("[versions] `{r}`: {m}"))?
                }
                Some(v) => version_value(v)?,
            };
            Ok(Library {
                name,
                version,
                shown,
            })
        }
        _ => Err("expected a string or a table".into()),
    }
}

/// An exact version or why there is none, and the version as written.
type VersionSpec = (Result<String, String>, Option<String>);

/// A version string or rich version table.
fn version_value(v: &Value) -> Result<VersionSpec, String> {
    match v {
        Value::String(s) => Ok((plain_version(s), Some(s.clone()))),
        Value::Table(t) => {
            let mut shown = Vec::new();
            let mut found = None;
            for k in ["strictly", "require", "prefer", "reject"] {
                match t.get(k) {
                    None => {}
                    Some(Value::String(s)) => {
                        shown.push(format!("{k} {s}"));
                        if found.is_none() && k != "reject" && exact(s) {
                            found = Some(s.trim().to_string());
                        }
                    }
                    Some(Value::Array(a)) if k == "reject" => {
                        shown.push(format!("reject {}", a.len()));
                    }
                    Some(_) => return Err(format!("`{k}` is not a string")),
                }
            }
            if let Some(bad) = t.keys().find(|k| {
                !matches!(
                    k.as_str(),
                    "strictly" | "require" | "prefer" | "reject" | "rejectAll"
                )
            }) {
                return Err(format!("unknown rich version key `{bad}`"));
            }
            let shown = format!("{{ {} }}", shown.join(", "));
            let version = found.ok_or_else(|| format!("no exact version in {shown}"));
            Ok((version, Some(shown)))
        }
        _ => Err("a version is a string or a table".into()),
    }
}

/// A version string as Gradle reads it (`1.0`, `1.0!!`, `[1.0,2.0)!!1.5`).
fn plain_version(s: &str) -> Result<String, String> {
    let s = s.trim();
    let (strictly, prefer) = match s.split_once("!!") {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (s, None),
    };
    if exact(strictly) {
        return Ok(strictly.to_string());
    }
    if let Some(p) = prefer.filter(|p| exact(p)) {
        return Ok(p.to_string());
    }
    if s.is_empty() {
        Err("empty version".into())
    } else {
        Err(format!("dynamic version `{s}`"))
    }
}

/// A version naming one release: not empty, not a range, not `1.+` or `latest.*`.
fn exact(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && !v.contains(['[', ']', '(', ')', ',', '+', ' ', '*'])
        && !v.starts_with("latest.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use ossgate_model::Scope;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        VersionCatalog.extract(&SourceFile {
            display: "gradle/libs.versions.toml".into(),
            path: Path::new("/nonexistent/gradle/libs.versions.toml"),
            text,
        })
    }

    const CATALOG: &str = r#"[versions]
kotlin = "1.9.22"
okhttp = { strictly = "[4.0, 5.0[", prefer = "4.12.0" }
dyn = "2.+"

[libraries]
guava = "com.google.guava:guava:33.0.0-jre"
okhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }
kotlin-stdlib = { group = "org.jetbrains.kotlin", name = "kotlin-stdlib", version.ref = "kotlin" }
kotlin-reflect = { module = "org.jetbrains.kotlin:kotlin-reflect", version = { ref = "kotlin" } }
strict = { module = "a:strict", version = "1.0!!" }
ranged = { module = "a:ranged", version = "[1.0,2.0)" }
pinned-range = { module = "a:pinned", version = "[1.0,2.0)!!1.5" }
rich = { module = "a:rich", version = { require = "3.1", prefer = "3.2" } }
rejected = { module = "a:rej", version = { reject = "1.0" } }
dynamic = { module = "a:dyn", version.ref = "dyn" }
latest = "a:latest:latest.release"
noversion = "a:noversion"
guava-again = { module = "com.google.guava:guava", version = "33.0.0-jre" }

[bundles]
kotlin = ["kotlin-stdlib", "kotlin-reflect"]

[plugins]
kotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version.ref = "kotlin" }
"#;

    #[test]
    fn reads_every_notation_with_lines() {
        let ex = run(CATALOG).unwrap();
        let got: Vec<(&str, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:maven/com.google.guava/guava@33.0.0-jre",
                    vec![Some(7), Some(19)]
                ),
                (
                    "pkg:maven/com.squareup.okhttp3/okhttp@4.12.0",
                    vec![Some(8)]
                ),
                (
                    "pkg:maven/org.jetbrains.kotlin/kotlin-stdlib@1.9.22",
                    vec![Some(9)]
                ),
                (
                    "pkg:maven/org.jetbrains.kotlin/kotlin-reflect@1.9.22",
                    vec![Some(10)]
                ),
                ("pkg:maven/a/strict@1.0", vec![Some(11)]),
                ("pkg:maven/a/pinned@1.5", vec![Some(13)]),
                ("pkg:maven/a/rich@3.1", vec![Some(14)]),
            ]
        );
        for c in &ex.components {
            assert!(c.direct);
            assert_eq!(c.scope, Scope::Runtime);
            assert_eq!(c.ecosystem, Ecosystem::Maven);
        }
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("a:ranged [1.0,2.0)", Some(12)),
                ("a:rej { reject 1.0 }", Some(15)),
                ("a:dyn 2.+", Some(16)),
                ("a:latest latest.release", Some(17)),
                ("a:noversion", Some(18)),
            ]
        );
        assert!(
            ex.unresolved[0].reason.contains("dynamic"),
            "{:?}",
            ex.unresolved[0]
        );
    }

    #[test]
    fn applies_to_and_superseded_by() {
        let x = VersionCatalog;
        assert!(x.applies_to(Path::new("gradle/libs.versions.toml")));
        assert!(x.applies_to(Path::new("other/deps.versions.toml")));
        assert!(!x.applies_to(Path::new("gradle/.versions.toml")));
        assert!(!x.applies_to(Path::new("gradle/libs.toml")));
        assert_eq!(x.superseded_by(), ["gradle.lockfile"]);
        assert_eq!(x.name(), "gradle-version-catalog");
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("[libraries]\n\na = 3\n", 3),
            ("[libraries]\na = \"x\"\n", 2),
            ("[libraries]\na = \"g:a:v:w\"\n", 2),
            ("[libraries]\n\na = { module = \"g\" }\n", 3),
            ("[libraries]\na = { group = \"g\" }\n", 2),
            (
                "[libraries]\na = { module = \"g:a\", group = \"g\", name = \"a\" }\n",
                2,
            ),
            (
                "[libraries]\na = { module = \"g:a\", version.ref = \"nope\" }\n",
                2,
            ),
            ("[libraries]\na = { module = \"g:a\", version = 1 }\n", 2),
            (
                "[libraries]\na = { module = \"g:a\", version = { strictly = 1 } }\n",
                2,
            ),
            (
                "[libraries]\na = { module = \"g:a\", version = { exactly = \"1\" } }\n",
                2,
            ),
            (
                "[versions]\nv = 3\n[libraries]\na = { module = \"g:a\", version.ref = \"v\" }\n",
                4,
            ),
            ("libraries = 3\n", 1),
            ("[libraries\n", 1),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "gradle/libs.versions.toml");
        }
        assert!(run("").unwrap().components.is_empty());
        assert!(
            run("[versions]\na = \"1\"\n")
                .unwrap()
                .components
                .is_empty()
        );
        // Deeply nested values: an error or a result, never a stack overflow.
        for n in [1_000, 100_000] {
            let deep = format!("[libraries]\na = {}{}\n", "[".repeat(n), "]".repeat(n));
            assert!(run(&deep).is_err());
            let deep = format!("[libraries]\na = {}\n", "{b = ".repeat(n));
            assert!(run(&deep).is_err());
        }
    }

    /// Peer expectations deliberately not met: (fixture, name, peer version, reason).
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[(
        "lockfiles/maven/gradle-version-catalog/libs.versions.toml",
        "org.example:noversion",
        "",
        "the peer reports a library without a version as a package with an empty version; \
         ossgate lists it in `unresolved` (nothing can be matched against no version)",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut failed, mut excepted) = (0, 0, 0);
        for r in peer_records(&root, |r| r["format"] == "gradle-version-catalog") {
            let fixture = fixture(&r);
            let result = run(&fixture_text(&root, &r));
            if r.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}");
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut want = expected_packages(&root, &r);
            for (f, name, version, _) in EXCEPTIONS.iter().filter(|e| e.0 == fixture) {
                let key = (name.to_string(), version.to_string());
                assert_eq!(want.remove(&key), Some(1), "{f}: {name}");
                assert!(
                    ex.unresolved.iter().any(|u| u.text == *name),
                    "{f}: {name} not unresolved"
                );
                excepted += 1;
            }
            assert_eq!(packages(&ex.components), want, "{fixture}");
            checked += 1;
        }
        assert_eq!((checked, failed, excepted), (1, 2, 1));
    }
}
