//! Dart / Flutter `pubspec.lock` (YAML, written by `dart pub` and `flutter pub`).
//!
//! `packages` maps each package name to `{dependency, description, source, version}`:
//! - `dependency` is `direct main`, `direct dev`, `direct overridden` (named in the pubspec's
//!   `dependency_overrides`) or `transitive`. The three `direct` kinds are declared by the project
//!   itself; `direct dev` packages get the dev scope. The lock does not say which transitive
//!   packages are needed only by dev dependencies, so they are runtime.
//! - `source` is `hosted` (pub.dev or another pub server), `git`, `path` (a package on disk) or
//!   `sdk` (shipped with the Flutter or Dart SDK, `version: "0.0.0"` for Flutter's own). Every
//!   source is reported with the version the lock records, as the peer extractors do: the version
//!   is what pub resolved, whatever the source.
//!
//! `sdks` (the Dart and Flutter SDK constraints) is not read: those are constraints, not
//! packages. The lock records no edges between packages.
//!
//! Lines are those of the package keys, taken from the YAML parser's spans. A package entry
//! without a `version` is reported as unresolved. An empty file, a document that is not a mapping,
//! or a mapping with neither `packages` nor `sdks` is an error.
//!
//! This module also holds the YAML helpers the other YAML extractors of this crate use
//! ([`yaml_error`], [`span_line`], [`Entries`]).

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

pub struct PubspecLock;

/// A YAML parse or shape error, with the line serde-saphyr points at.
pub(super) fn yaml_error(file: &str, e: &serde_saphyr::Error) -> ExtractError {
    let line = e.location().and_then(|l| span_line(&l));
    let message = e.without_snippet().to_string();
    // serde-saphyr prefixes its messages with `error: line N column M: `; the line is ours.
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => rest,
        _ => message,
    };
    ExtractError::new(file, line, format!("invalid YAML: {}", message.trim()))
}

/// The 1-based line of a serde-saphyr location, `None` when unknown.
pub(super) fn span_line(l: &serde_saphyr::Location) -> Option<u32> {
    u32::try_from(l.line()).ok().filter(|&n| n > 0)
}

/// Whether a YAML text holds nothing but blank lines, comments and document markers.
pub(super) fn yaml_is_empty(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// A YAML mapping's entries in file order (duplicate keys are already an error in serde-saphyr).
pub(super) struct Entries<K, V>(pub Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

#[derive(serde::Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Option<Entries<Spanned<String>, Option<Package>>>,
    #[serde(default)]
    sdks: Option<IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct Package {
    #[serde(default)]
    dependency: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

impl Extractor for PubspecLock {
    fn name(&self) -> &'static str {
        "pubspec-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "pubspec.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        if yaml_is_empty(file.text) {
            return Err(ExtractError::new(
                &file.display,
                None,
                "empty file: a pubspec.lock holds at least `packages` or `sdks`",
            ));
        }
        let lock: Lock =
            serde_saphyr::from_str(file.text).map_err(|e| yaml_error(&file.display, &e))?;
        if lock.packages.is_none() && lock.sdks.is_none() {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a pubspec.lock: no `packages` or `sdks`",
            ));
        }
        let mut out = Extracted::default();
        let eco = Ecosystem::Pub;
        for (key, package) in lock.packages.map(|p| p.0).unwrap_or_default() {
            let name = key.value.trim();
            let line = span_line(&key.referenced);
            let version = package
                .as_ref()
                .and_then(|p| p.version.as_deref())
                .map(str::trim)
                .unwrap_or("");
            if name.is_empty() || version.is_empty() {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: name.to_string(),
                    reason: "pubspec.lock entry without a `version`".into(),
                });
                continue;
            }
            let dependency = package
                .as_ref()
                .and_then(|p| p.dependency.as_deref())
                .unwrap_or("transitive")
                .trim();
            let mut c = Component::new(eco.clone(), name, version);
            c.locations.push(loc(&file.display, line));
            c.direct = dependency.starts_with("direct");
            if dependency == "direct dev" {
                c.scope = Scope::Dev;
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PubspecLock.extract(&SourceFile {
            display: "pubspec.lock".into(),
            path: Path::new("pubspec.lock"),
            text,
        })
    }

    const LOCK: &str = r#"# Generated by pub
# See https://dart.dev/tools/pub/glossary#lockfile
packages:
  args:
    dependency: transitive
    description:
      name: args
      sha256: d0481093c50b1da8910eb0bb301626d4d8eb7284aa739614d2b394ee09e3ea04
      url: "https://pub.dev"
    source: hosted
    version: "2.7.0"
  build_runner:
    dependency: "direct dev"
    description:
      name: build_runner
      url: "https://pub.dartlang.org"
    source: hosted
    version: "2.2.1"
  device_apps:
    dependency: "direct main"
    description:
      path: "."
      ref: master
      resolved-ref: "5dc7956d938541254d2e175766b3b84ea38bb85b"
      url: "https://github.com/Tienisto/device_apps.git"
    source: git
    version: "2.2.0"
  flutter:
    dependency: "direct main"
    description: flutter
    source: sdk
    version: "0.0.0"
  http:
    dependency: "direct overridden"
    description:
      name: http
      url: "https://pub.dev"
    source: hosted
    version: "1.2.0"
  rust_lib:
    dependency: transitive
    description:
      path: "packages/rust_builder"
      relative: true
    source: path
    version: "0.0.1"
sdks:
  dart: ">=3.11.0 <4.0.0"
  flutter: ">=3.41.0 <4.0.0"
"#;

    #[test]
    fn reads_versions_lines_direct_and_scope() {
        let ex = run(LOCK).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.locations[0].line,
                    c.direct,
                    c.scope,
                    c.ecosystem.clone(),
                )
            })
            .collect();
        let pub_ = Ecosystem::Pub;
        assert_eq!(
            got,
            [
                (
                    "pkg:pub/args@2.7.0",
                    Some(4),
                    false,
                    Scope::Runtime,
                    pub_.clone()
                ),
                (
                    "pkg:pub/build_runner@2.2.1",
                    Some(12),
                    true,
                    Scope::Dev,
                    pub_.clone()
                ),
                (
                    "pkg:pub/device_apps@2.2.0",
                    Some(19),
                    true,
                    Scope::Runtime,
                    pub_.clone()
                ),
                (
                    "pkg:pub/flutter@0.0.0",
                    Some(28),
                    true,
                    Scope::Runtime,
                    pub_.clone()
                ),
                (
                    "pkg:pub/http@1.2.0",
                    Some(33),
                    true,
                    Scope::Runtime,
                    pub_.clone()
                ),
                (
                    "pkg:pub/rust_lib@0.0.1",
                    Some(40),
                    false,
                    Scope::Runtime,
                    pub_
                ),
            ]
        );
        assert!(ex.unresolved.is_empty());
        assert!(ex.components.iter().all(|c| c.dependencies.is_empty()));
    }

    #[test]
    fn odd_indentation_and_empty_packages() {
        // One-space indentation under `packages:` (seen in the wild).
        let ex = run("packages:\n maa_core:\n    dependency: \"direct main\"\n    source: path\n    version: \"0.0.1\"\n").unwrap();
        assert_eq!(ex.components[0].purl, "pkg:pub/maa_core@0.0.1");
        assert_eq!(ex.components[0].locations[0].line, Some(2));
        assert!(ex.components[0].direct);
        // A project with no dependencies.
        let ex = run("packages: {}\nsdks:\n  dart: \">=3.0.0 <4.0.0\"\n").unwrap();
        assert!(ex.components.is_empty());
        let ex = run("sdks:\n  dart: \">=3.0.0 <4.0.0\"\n").unwrap();
        assert!(ex.components.is_empty());
    }

    #[test]
    fn entry_without_version_is_unresolved() {
        let ex =
            run("packages:\n  a:\n    dependency: transitive\n    source: hosted\n  b:\n").unwrap();
        assert!(ex.components.is_empty());
        let got: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(got, [("a", Some(2)), ("b", Some(5))]);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        for text in ["", "\n\n", "# only a comment\n", "---\n"] {
            let err = run(text).unwrap_err();
            assert_eq!(err.file, "pubspec.lock");
            assert!(err.message.contains("empty"), "{err}");
        }
        assert!(run("this is not valid yaml!").is_err());
        assert!(run("- a\n- b\n").is_err());
        assert!(run("name: x\n").is_err());
        let err = run("packages:\n  a:\n    version: [1\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err =
            run("packages:\n  a:\n    version: \"1\"\n  a:\n    version: \"2\"\n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        let err = run("packages:\n  - a\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.starts_with("invalid YAML: "), "{err}");
        assert!(!err.message.contains('\n'), "{err}");
    }

    #[test]
    fn applies_to_pubspec_lock_only() {
        assert!(PubspecLock.applies_to(Path::new("app/pubspec.lock")));
        assert!(!PubspecLock.applies_to(Path::new("app/pubspec.yaml")));
        assert_eq!(PubspecLock.name(), "pubspec-lock");
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let must_fail = [
            ("lockfiles/pub/pubspec-lock/empty.lock", "an empty file"),
            ("lockfiles/pub/pubspec-lock/not-yaml.txt", "a YAML string"),
        ];
        assert_eq!(check_format(&root, "pubspec-lock", &must_fail, run), (5, 2));
        // Scope as the peer groups it: `direct dev` is dev.
        for rec in peer_records(&root, |r| r["format"] == "pubspec-lock") {
            if rec.get("expect_error").is_some() {
                continue;
            }
            let ex = run(&fixture_text(&root, &rec)).unwrap();
            for e in expected(&root, &rec) {
                let dev = e["dep_groups"]
                    .as_array()
                    .is_some_and(|g| g.iter().any(|g| g == "dev"));
                let c = ex.components.iter().find(|c| c.name == e["name"]).unwrap();
                assert_eq!(c.scope == Scope::Dev, dev, "{}", c.purl);
            }
        }
    }

    /// localsend's workspace lock: one component per package key, counted with a line scan.
    #[test]
    fn real_lockfile() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let path = inputs.join("localsend/pubspec.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = PubspecLock
            .extract(&SourceFile {
                display: "localsend/pubspec.lock".into(),
                path: &path,
                text: &text,
            })
            .unwrap_or_else(|e| panic!("{e}"));

        // Independent count: keys at two spaces of indentation between `packages:` and the next
        // top-level key, and the `dependency:` lines naming a direct kind.
        let mut in_packages = false;
        let mut keys = Vec::new();
        let mut direct = 0;
        for (i, line) in text.lines().enumerate() {
            if !line.starts_with(' ') && !line.is_empty() && !line.starts_with('#') {
                in_packages = line == "packages:";
                continue;
            }
            if in_packages
                && line.starts_with("  ")
                && !line.starts_with("   ")
                && line.ends_with(':')
            {
                keys.push((i as u32 + 1, line.trim().trim_end_matches(':').to_string()));
            }
            if in_packages && line.trim().starts_with("dependency: \"direct") {
                direct += 1;
            }
        }
        assert!(keys.len() > 200, "{}", keys.len());
        assert_eq!(ex.components.len(), keys.len());
        assert!(ex.unresolved.is_empty());
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.locations[0].line.unwrap(), c.name.clone()))
            .collect();
        assert_eq!(got, keys);
        assert_eq!(ex.components.iter().filter(|c| c.direct).count(), direct);
        assert_eq!(
            ex.components
                .iter()
                .filter(|c| c.name == "flutter" && c.version == "0.0.0")
                .count(),
            1
        );
    }
}
