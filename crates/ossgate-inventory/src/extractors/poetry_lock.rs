//! `poetry.lock` (Poetry 1.x `category`, Poetry 2.x `groups`). Packages from git, a directory, a
//! file or a URL are components at the version the lock gives them, as the peers report them (a
//! git checkout of a release is that release). A sibling `pyproject.toml` says which
//! packages are direct.
//!
//! Hashes: a package has one `sha256:<hex>` digest per distribution file (sdist and wheels),
//! in its own `files = [{file = "...", hash = "..."}]` (Poetry 1.5 and later) or, in older
//! locks, in the `[metadata.files]` table under its name. All of them are kept as the
//! component's `hashes` (any one of them identifies a genuine release file). When the old table
//! has one list for several locked versions of a name, each version keeps the files whose name
//! carries its version. A malformed digest or entry is left out without failing the file.

use super::npm_lock::push_hash;
use super::python::declared_in_pyproject;
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg, Scope};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub struct PoetryLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
    /// Read for the old `[metadata.files]` table only; any shape is accepted.
    metadata: Option<toml::Value>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    /// `[{file = "...", hash = "sha256:..."}]`; any shape is accepted, and only that one read.
    files: Option<toml::Value>,
}

impl Extractor for PoetryLock {
    fn name(&self) -> &'static str {
        "poetry-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "poetry.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[package]]");
        let eco = Ecosystem::PyPI;
        let declared = declared_in_pyproject(file.path);
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
        for p in &lock.package {
            by_name
                .entry(eco.normalize_name(&p.name))
                .or_default()
                .push(&p.version);
        }
        // The old `[metadata.files]` table: normalised name -> its file entries.
        let mut old_files: HashMap<String, &[toml::Value]> = HashMap::new();
        if let Some(files) = lock
            .metadata
            .as_ref()
            .and_then(|m| m.get("files"))
            .and_then(toml::Value::as_table)
        {
            for (name, list) in files {
                if let Some(list) = list.as_array() {
                    old_files.insert(eco.normalize_name(name), list);
                }
            }
        }
        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
            if p.version.trim().is_empty() {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: lines.get(i).copied(),
                    text: p.name.clone(),
                    reason: "no version".into(),
                });
                continue;
            }
            let mut c = Component::new(eco.clone(), &p.name, &p.version);
            c.locations.push(loc(&file.display, lines.get(i).copied()));
            let dev = p.category.as_deref() == Some("dev")
                || p.groups
                    .as_ref()
                    .is_some_and(|g| !g.iter().any(|x| x == "main"));
            c.scope = if dev {
                Scope::Dev
            } else if p.optional {
                Scope::Optional
            } else {
                Scope::Runtime
            };
            let normalized = eco.normalize_name(&p.name);
            c.direct = declared.contains(&normalized);
            match p.files.as_ref().and_then(toml::Value::as_array) {
                Some(files) => file_hashes(files, |_| true, &mut c.hashes),
                None => {
                    if let Some(files) = old_files.get(&normalized) {
                        let shared = by_name.get(&normalized).is_some_and(|v| v.len() > 1);
                        let version = p.version.as_str();
                        let ours = |f: &str| !shared || file_has_version(f, version);
                        file_hashes(files, ours, &mut c.hashes);
                    }
                }
            }
            for dep in p.dependencies.keys() {
                if let Some(versions) = by_name.get(&eco.normalize_name(dep)) {
                    c.dependencies
                        .extend(versions.iter().map(|v| eco.purl(dep, Some(v))));
                }
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

/// The digests of a list of `{file = "...", hash = "<alg>:<hex>"}` entries (Poetry, PDM) whose
/// file name `keep` accepts (an entry without `file`, as PDM writes with `url`, counts as the
/// empty name). Other entries and malformed digests are skipped.
pub(super) fn file_hashes(files: &[toml::Value], keep: impl Fn(&str) -> bool, out: &mut Vec<Hash>) {
    for f in files {
        let Some(hash) = f.get("hash").and_then(toml::Value::as_str) else {
            continue;
        };
        let name = f.get("file").and_then(toml::Value::as_str).unwrap_or("");
        if keep(name)
            && let Some(h) = prefixed_hash(hash)
        {
            push_hash(out, h);
        }
    }
}

/// A digest written `<alg>:<hex>` (`sha256:ab12...`), as the Python lockfiles and pip write
/// them; `None` for an unknown algorithm or a value that is not hex of its length.
pub(super) fn prefixed_hash(s: &str) -> Option<Hash> {
    let (alg, hex) = s.trim().split_once(':')?;
    Hash::from_hex(HashAlg::parse(alg)?, hex)
}

/// Whether a distribution file name is of `version`: the version follows a `-` and is followed
/// by `-` (wheels, eggs) or an archive extension (sdists).
fn file_has_version(file: &str, version: &str) -> bool {
    file.match_indices(version).any(|(i, _)| {
        let before = file[..i].ends_with('-');
        let after = &file[i + version.len()..];
        before
            && (after.starts_with('-')
                || [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar"].contains(&after))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_categories_and_non_registry_sources() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\ndependencies = [\"Requests>=2\"]\n",
        )
        .unwrap();
        let path = dir.path().join("poetry.lock");
        let text = r#"
[[package]]
name = "Requests"
version = "2.31.0"
groups = ["main"]

[package.dependencies]
urllib3 = ">=1.21.1,<3"

[[package]]
name = "urllib3"
version = "2.0.7"
category = "main"

[[package]]
name = "pytest"
version = "7.4.0"
groups = ["dev"]

[[package]]
name = "mylib"
version = "0.1.0"

[package.source]
type = "directory"
url = "../mylib"
"#;
        let ex = PoetryLock
            .extract(&SourceFile {
                display: "poetry.lock".into(),
                path: &path,
                text,
            })
            .unwrap();
        let got: Vec<(&str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/requests@2.31.0", true, Scope::Runtime, Some(2)),
                ("pkg:pypi/urllib3@2.0.7", false, Scope::Runtime, Some(10)),
                ("pkg:pypi/pytest@7.4.0", false, Scope::Dev, Some(15)),
                ("pkg:pypi/mylib@0.1.0", false, Scope::Runtime, Some(20)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:pypi/urllib3@2.0.7"]);
    }

    const H1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
    const H2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
    const H3: &str = "3333333333333333333333333333333333333333333333333333333333333333";

    fn run(text: &str) -> Extracted {
        PoetryLock
            .extract(&SourceFile {
                display: "poetry.lock".into(),
                path: Path::new("/nonexistent/poetry.lock"),
                text,
            })
            .unwrap()
    }

    fn hashes(ex: &Extracted) -> Vec<(String, Vec<String>)> {
        ex.components
            .iter()
            .map(|c| {
                assert!(c.hashes.iter().all(|h| h.alg == HashAlg::Sha256));
                let v = c.hashes.iter().map(|h| h.value.clone()).collect();
                (c.purl.clone(), v)
            })
            .collect()
    }

    #[test]
    fn hashes_of_every_file() {
        let text = format!(
            r#"
[[package]]
name = "a"
version = "1.0"
files = [
    {{file = "a-1.0-py3-none-any.whl", hash = "sha256:{H1}"}},
    {{file = "a-1.0.tar.gz", hash = "sha256:{H2}"}},
    {{file = "a-1.0.zip", hash = "sha256:nothex"}},
    {{file = "a-1.0.egg", hash = "crc32:{H3}"}},
    {{file = "a-1.0.tar.bz2"}},
    "odd",
]

[[package]]
name = "b"
version = "2.0"
files = []

[[package]]
name = "c"
version = "3.0"
files = "odd"
"#
        );
        assert_eq!(
            hashes(&run(&text)),
            [
                ("pkg:pypi/a@1.0".into(), vec![H1.into(), H2.into()]),
                ("pkg:pypi/b@2.0".into(), vec![]),
                ("pkg:pypi/c@3.0".into(), vec![]),
            ]
        );
    }

    #[test]
    fn hashes_from_the_old_metadata_files_table() {
        let text = format!(
            r#"
[[package]]
name = "Foo_Bar"
version = "1.0"

[[package]]
name = "two"
version = "1.0"

[[package]]
name = "two"
version = "1.0.1"

[[package]]
name = "none"
version = "1.0"

[metadata]
lock-version = "1.1"

[metadata.files]
foo-bar = [
    {{file = "Foo_Bar-1.0-py3-none-any.whl", hash = "sha256:{H1}"}},
    {{file = "Foo_Bar-1.0.tar.gz", hash = "md5:00"}},
]
two = [
    {{file = "two-1.0.tar.gz", hash = "sha256:{H1}"}},
    {{file = "two-1.0-py3-none-any.whl", hash = "sha256:{H2}"}},
    {{file = "two-1.0.1.tar.gz", hash = "sha256:{H3}"}},
]
none = []
"#
        );
        assert_eq!(
            hashes(&run(&text)),
            [
                ("pkg:pypi/foo-bar@1.0".into(), vec![H1.into()]),
                ("pkg:pypi/two@1.0".into(), vec![H1.into(), H2.into()]),
                ("pkg:pypi/two@1.0.1".into(), vec![H3.into()]),
                ("pkg:pypi/none@1.0".into(), vec![]),
            ]
        );
        // An odd `[metadata]` shape is no error.
        let ex = run("metadata = 3\n[[package]]\nname = \"a\"\nversion = \"1\"\n");
        assert!(ex.components[0].hashes.is_empty());
        assert!(prefixed_hash(&format!("SHA256:{}", H1.to_uppercase())).is_some());
        assert!(prefixed_hash(H1).is_none());
    }

    /// Poetry's own lock: every `hash = "sha256:..."` line is one digest of its package.
    #[test]
    fn real_lockfile_hashes() {
        let Some(dir) = crate::testdata::shared_dir("inputs/poetry") else {
            return;
        };
        let text = std::fs::read_to_string(dir.join("poetry.lock")).unwrap();
        let ex = run(&text);
        let lines = text
            .lines()
            .filter(|l| l.contains(", hash = \"sha256:"))
            .count();
        let read: usize = ex.components.iter().map(|c| c.hashes.len()).sum();
        assert!(lines > 100);
        assert_eq!(read, lines);
        // Every package but the one from git (poetry-core, `files = []`) has its files' hashes.
        let without: Vec<&str> = ex
            .components
            .iter()
            .filter(|c| c.hashes.is_empty())
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(without, ["poetry-core"]);
    }
}
