//! Haskell Stack's `stack.yaml.lock` (YAML, Stack 2 and later).
//!
//! The lock pins the `extra-deps` of `stack.yaml` and its snapshot:
//!
//! ```yaml
//! packages:
//! - completed:
//!     hackage: fuzzyset-0.2.4@sha256:f1b6de8b...,1618
//!     pantry-tree: {sha256: ..., size: 574}
//!   original:
//!     hackage: fuzzyset-0.2.4
//! - completed:
//!     name: wai
//!     version: 3.2.1.2
//!     git: https://github.com/yesodweb/wai.git
//!     commit: d11d63f1...
//!   original: {git: ..., commit: ...}
//! snapshots:
//! - completed: {sha256: ..., size: 720263, url: ...}
//!   original: lts-22.41
//! ```
//!
//! Each package's `completed` location is read: a Hackage package identifier
//! `name-version[@sha256:hash,size | @rev:N]` gives the name (everything before the last `-`) and
//! the version; a git or archive package gives its `name` and `version` (from its cabal file),
//! and is reported too, since the version is known. When `completed` is missing (a lock Stack
//! has not finished), `original` is read the same way. A package whose version cannot be found
//! is reported as unresolved. Every package is direct: extra-deps are declared by the project's
//! `stack.yaml` itself. The lock records no edges.
//!
//! The snapshot's packages are not in the lock (only the snapshot's address is), so ossgate cannot
//! see them; each snapshot is reported as unresolved so that the gap is visible.
//!
//! Lines are those of the `hackage:` (or `name:`) values, from the YAML parser's spans.

use super::file_name;
use super::pubspec_lock::{span_line, yaml_error, yaml_is_empty};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use serde_saphyr::Spanned;
use std::path::Path;

pub struct StackLock;

#[derive(serde::Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Option<Vec<Spanned<Option<Package>>>>,
    #[serde(default)]
    snapshots: Option<Vec<Spanned<Option<Snapshot>>>>,
}

#[derive(serde::Deserialize)]
struct Package {
    #[serde(default)]
    completed: Option<Source>,
    #[serde(default)]
    original: Option<Source>,
}

/// A package location as pantry writes it (only the fields read here).
#[derive(serde::Deserialize)]
struct Source {
    #[serde(default)]
    hackage: Option<Spanned<String>>,
    #[serde(default)]
    name: Option<Spanned<String>>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    git: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    commit: Option<String>,
}

#[derive(serde::Deserialize)]
struct Snapshot {
    #[serde(default)]
    original: Option<serde_json::Value>,
}

fn hackage() -> Ecosystem {
    Ecosystem::Other("Hackage".into())
}

/// Splits a Hackage package identifier `name-1.2.3[@...]` into name and version.
fn split_identifier(id: &str) -> Option<(&str, &str)> {
    let id = id.split('@').next().unwrap_or(id).trim();
    let (name, version) = id.rsplit_once('-')?;
    let is_version = !version.is_empty()
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (is_version && !name.is_empty()).then_some((name, version))
}

/// A package read from the lock: name, version and line.
type Read = (String, String, Option<u32>);
/// What to report as unresolved instead: text and line.
type Unread = (String, Option<u32>);

/// The name, version and line of a package location, or what to report as unresolved.
fn read_source(src: &Source) -> Result<Read, Unread> {
    if let Some(h) = &src.hackage {
        let line = span_line(&h.referenced);
        return match split_identifier(&h.value) {
            Some((n, v)) => Ok((n.to_string(), v.to_string(), line)),
            None => Err((h.value.trim().to_string(), line)),
        };
    }
    match (&src.name, src.version.as_deref().map(str::trim)) {
        (Some(n), Some(v)) if !n.value.trim().is_empty() && !v.is_empty() => Ok((
            n.value.trim().to_string(),
            v.to_string(),
            span_line(&n.referenced),
        )),
        (name, _) => {
            let place = src
                .git
                .as_deref()
                .or(src.url.as_deref())
                .map(|u| match &src.commit {
                    Some(c) => format!("{u} at {c}"),
                    None => u.to_string(),
                });
            let text = match (name, place) {
                (Some(n), Some(p)) => format!("{} ({p})", n.value.trim()),
                (Some(n), None) => n.value.trim().to_string(),
                (None, Some(p)) => p,
                (None, None) => String::new(),
            };
            Err((text, name.as_ref().and_then(|n| span_line(&n.referenced))))
        }
    }
}

impl Extractor for StackLock {
    fn name(&self) -> &'static str {
        "stack-yaml-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "stack.yaml.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        if yaml_is_empty(file.text) {
            return Err(ExtractError::new(&file.display, None, "empty file"));
        }
        let lock: Lock =
            serde_saphyr::from_str(file.text).map_err(|e| yaml_error(&file.display, &e))?;
        if lock.packages.is_none() && lock.snapshots.is_none() {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a stack.yaml.lock: no `packages` or `snapshots`",
            ));
        }
        let mut out = Extracted::default();
        for item in lock.packages.unwrap_or_default() {
            let item_line = span_line(&item.referenced);
            let source = item
                .value
                .as_ref()
                .and_then(|p| p.completed.as_ref().or(p.original.as_ref()));
            let read = match source {
                Some(s) => read_source(s),
                None => Err((String::new(), item_line)),
            };
            match read {
                Ok((name, version, line)) => {
                    let mut c = Component::new(hackage(), name, version);
                    c.locations.push(loc(&file.display, line.or(item_line)));
                    c.direct = true;
                    out.components.push(c);
                }
                Err((text, line)) => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: line.or(item_line),
                    text,
                    reason: "stack.yaml.lock package without a Hackage name and version".into(),
                }),
            }
        }
        for snap in lock.snapshots.unwrap_or_default() {
            let text = match snap.value.as_ref().and_then(|s| s.original.as_ref()) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Object(m)) => m
                    .get("url")
                    .and_then(|u| u.as_str())
                    .unwrap_or("snapshot")
                    .to_string(),
                _ => "snapshot".to_string(),
            };
            out.unresolved.push(Unresolved {
                file: file.display.clone(),
                line: span_line(&snap.referenced),
                text,
                reason: "the snapshot's packages are not listed in stack.yaml.lock; \
                         ossgate does not resolve Stackage snapshots"
                    .into(),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        StackLock.extract(&SourceFile {
            display: "stack.yaml.lock".into(),
            path: Path::new("stack.yaml.lock"),
            text,
        })
    }

    const LOCK: &str = "# This file was autogenerated by Stack.
packages:
- completed:
    hackage: acme-missiles-0.3@sha256:2ba66a092a32593880a87fb00f3213762d7bca65a687d45965778deb8694c5d1,613
    pantry-tree:
      size: 226
      sha256: 614bc0cca76937507ea0a5ccc17a504c997ce458d7f2f9e43b15a10c8eaeb033
  original:
    hackage: acme-missiles-0.3
- completed:
    subdir: wai
    name: wai
    version: 3.2.1.2
    git: https://github.com/yesodweb/wai.git
    pantry-tree:
      size: 714
      sha256: ecfd0b4b75f435a3f362394807b35e5ef0647b1a25005d44a3632c49db4833d2
    commit: d11d63f1a6a92db8c637a8d33e7953ce6194a3e0
  original:
    subdir: wai
    git: https://github.com/yesodweb/wai.git
    commit: d11d63f1a6a92db8c637a8d33e7953ce6194a3e0
- completed:
    hackage: text-2.0.2@rev:1
  original:
    hackage: text-2.0.2@rev:1
- original:
    hackage: lens-5.2.3
- completed:
    url: https://example.com/foo.tar.gz
  original:
    url: https://example.com/foo.tar.gz
snapshots:
- completed:
    size: 720263
    url: https://raw.githubusercontent.com/commercialhaskell/stackage-snapshots/master/lts/22/41.yaml
    sha256: 1e32b51d9082fdf6f3bd92accc9dfffd4ddaf406404427fb10bf76d2bc03cbbb
  original: lts-22.41
";

    #[test]
    fn reads_hackage_and_git_packages_with_lines() {
        let ex = run(LOCK).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line, c.direct))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:hackage/acme-missiles@0.3", Some(4), true),
                ("pkg:hackage/wai@3.2.1.2", Some(12), true),
                ("pkg:hackage/text@2.0.2", Some(24), true),
                ("pkg:hackage/lens@5.2.3", Some(28), true),
            ]
        );
        assert!(ex.components.iter().all(|c| c.ecosystem == hackage()));
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("https://example.com/foo.tar.gz", Some(29)),
                ("lts-22.41", Some(34)),
            ]
        );
    }

    #[test]
    fn identifiers() {
        assert_eq!(
            split_identifier("hasql-pool-1.0.1@sha256:abc,2302"),
            Some(("hasql-pool", "1.0.1"))
        );
        assert_eq!(
            split_identifier("base64-bytestring-1.2.1.0"),
            Some(("base64-bytestring", "1.2.1.0"))
        );
        assert_eq!(split_identifier("acme-missiles"), None);
        assert_eq!(split_identifier("foo"), None);
        assert_eq!(split_identifier("-1.0"), None);
        assert_eq!(split_identifier("foo-1..0"), None);
        let ex = run("packages:\n- completed:\n    hackage: acme-missiles\n").unwrap();
        assert_eq!(ex.unresolved[0].text, "acme-missiles");
        assert_eq!(ex.unresolved[0].line, Some(3));
    }

    #[test]
    fn empty_and_malformed() {
        assert!(
            run("packages: []\nsnapshots: []\n")
                .unwrap()
                .components
                .is_empty()
        );
        assert!(run("").is_err());
        assert!(run("# comment only\n").is_err());
        assert!(run("not yaml: [").is_err());
        assert!(run("other: 1\n").is_err());
        let err = run("packages:\n- completed:\n    hackage: [1, 2]\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(StackLock.applies_to(Path::new("x/stack.yaml.lock")));
        assert!(!StackLock.applies_to(Path::new("x/stack.yaml")));
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        assert_eq!(check_format(&root, "stack-yaml-lock", &[], run), (1, 0));
    }
}
