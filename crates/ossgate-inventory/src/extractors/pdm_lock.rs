//! `pdm.lock`: one `[[package]]` per locked package with its `groups` (a package none of whose
//! groups is `default` is dev scope) and PEP 508 `dependencies` strings (edges). Packages from
//! git, a local path or a URL are components at the version the lock gives them, as the peers
//! report them; one without a version is unresolved. A sibling
//! `pyproject.toml` says which packages are direct.
//!
//! Hashes: a package has one `sha256:<hex>` digest per distribution file, in its own
//! `files = [{file = "...", hash = "..."}]` (lock_version 4.1 and later) or, in older locks, in
//! `[metadata.files]` under `"name version"` (entries `{url = "...", hash = "..."}`). All are
//! kept as the component's `hashes`; a malformed digest or entry is left out without failing
//! the file.

use super::poetry_lock::file_hashes;
use super::python::{declared_in_pyproject, pep508_name};
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

pub struct PdmLock;

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
    version: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    dependencies: Vec<String>,
    git: Option<String>,
    path: Option<String>,
    url: Option<String>,
    /// `[{file = "...", hash = "sha256:..."}]`; any shape is accepted, and only that one read.
    files: Option<toml::Value>,
}

impl Extractor for PdmLock {
    fn name(&self) -> &'static str {
        "pdm-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "pdm.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[package]]");
        let eco = Ecosystem::PyPI;
        let declared = declared_in_pyproject(file.path);
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
        for p in &lock.package {
            if let (Some(v), None) = (&p.version, source_kind(p)) {
                by_name
                    .entry(eco.normalize_name(&p.name))
                    .or_default()
                    .push(v);
            }
        }
        // The old `[metadata.files]` table: (normalised name, version) -> its file entries.
        let mut old_files: HashMap<(String, &str), &[toml::Value]> = HashMap::new();
        if let Some(files) = lock
            .metadata
            .as_ref()
            .and_then(|m| m.get("files"))
            .and_then(toml::Value::as_table)
        {
            for (key, list) in files {
                if let (Some((name, version)), Some(list)) = (key.rsplit_once(' '), list.as_array())
                {
                    old_files.insert((eco.normalize_name(name.trim()), version.trim()), list);
                }
            }
        }
        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
            let line = lines.get(i).copied();
            let version = match (&p.version, source_kind(p)) {
                (Some(v), _) if !v.trim().is_empty() => v.trim(),
                (v, kind) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: match v {
                            Some(v) => format!("{} {v}", p.name),
                            None => p.name.clone(),
                        },
                        reason: match kind {
                            Some(k) => format!("installed from a {k} source, not PyPI"),
                            None => "no version".to_string(),
                        },
                    });
                    continue;
                }
            };
            let mut c = Component::new(eco.clone(), &p.name, version);
            c.locations.push(loc(&file.display, line));
            let dev = p
                .groups
                .as_ref()
                .is_some_and(|g| !g.iter().any(|x| x == "default"));
            c.scope = if dev { Scope::Dev } else { Scope::Runtime };
            let normalized = eco.normalize_name(&p.name);
            c.direct = declared.contains(&normalized);
            let files = match p.files.as_ref().and_then(toml::Value::as_array) {
                Some(files) => Some(files.as_slice()),
                None => old_files.get(&(normalized, version)).copied(),
            };
            file_hashes(files.unwrap_or_default(), |_| true, &mut c.hashes);
            for dep in &p.dependencies {
                let name = pep508_name(dep);
                if let Some(versions) = by_name.get(&eco.normalize_name(name)) {
                    c.dependencies
                        .extend(versions.iter().map(|v| eco.purl(name, Some(v))));
                }
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

/// Where a non-PyPI package comes from, `None` for a PyPI release.
fn source_kind(p: &Package) -> Option<&'static str> {
    if p.git.is_some() {
        Some("git")
    } else if p.path.is_some() {
        Some("path")
    } else if p.url.is_some() {
        Some("URL")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PdmLock.extract(&SourceFile {
            display: "pdm.lock".into(),
            path: Path::new("/nonexistent/pdm.lock"),
            text,
        })
    }

    #[test]
    fn reads_groups_edges_and_direct() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\ndependencies = [\"Requests>=2\"]\n\
             [tool.pdm.dev-dependencies]\ntest = [\"pytest\"]\n",
        )
        .unwrap();
        let path = dir.path().join("pdm.lock");
        let text = r#"[metadata]
groups = ["default", "dev"]
lock_version = "4.4.1"

[[package]]
name = "requests"
version = "2.31.0"
groups = ["default"]
dependencies = [
    "urllib3<3,>=1.21.1",
    "charset-normalizer[unicode]; python_version >= \"3.7\"",
]

[[package]]
name = "urllib3"
version = "2.0.7"
groups = ["default", "dev"]

[[package]]
name = "pytest"
version = "7.4.0"
groups = ["dev"]

[[package]]
name = "mylib"
version = "0.1.0"
git = "https://example.com/mylib.git"
revision = "abc"
groups = ["default"]
"#;
        let ex = PdmLock
            .extract(&SourceFile {
                display: "pdm.lock".into(),
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
                ("pkg:pypi/requests@2.31.0", true, Scope::Runtime, Some(5)),
                ("pkg:pypi/urllib3@2.0.7", false, Scope::Runtime, Some(14)),
                ("pkg:pypi/pytest@7.4.0", true, Scope::Dev, Some(19)),
                ("pkg:pypi/mylib@0.1.0", false, Scope::Runtime, Some(24)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:pypi/urllib3@2.0.7"]);
        // From git, at the version the lock gives it.
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn hashes_from_files_and_the_old_metadata_table() {
        let h = |c: char| c.to_string().repeat(64);
        let (h1, h2, h3) = (h('1'), h('2'), h('3'));
        let text = format!(
            r#"[metadata]
lock_version = "4.0"

[[package]]
name = "a"
version = "1.0"
files = [
    {{file = "a-1.0-py3-none-any.whl", hash = "sha256:{h1}"}},
    {{file = "a-1.0.tar.gz", hash = "sha256:{h2}"}},
    {{file = "a-1.0.zip", hash = "sha256:bad"}},
]

[[package]]
name = "Old_Pkg"
version = "2.0"

[[package]]
name = "c"
version = "3.0"
files = "odd"

[metadata.files]
"old-pkg 2.0" = [
    {{url = "https://x/Old_Pkg-2.0.tar.gz", hash = "sha256:{h3}"}},
    {{url = "https://x/Old_Pkg-2.0-py3-none-any.whl", hash = "sha256:{h1}"}},
]
"old-pkg 1.0" = [
    {{url = "https://x/Old_Pkg-1.0.tar.gz", hash = "sha256:{h2}"}},
]
odd = 3
"#
        );
        let ex = run(&text).unwrap();
        let got: Vec<(&str, Vec<&str>)> = ex
            .components
            .iter()
            .map(|c| {
                let v = c.hashes.iter().map(|h| h.value.as_str()).collect();
                (c.purl.as_str(), v)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/a@1.0", vec![h1.as_str(), h2.as_str()]),
                ("pkg:pypi/old-pkg@2.0", vec![h3.as_str(), h1.as_str()]),
                ("pkg:pypi/c@3.0", vec![]),
            ]
        );
        assert!(run("metadata = 1\n").unwrap().components.is_empty());
    }

    /// The peer fixtures with `files` give one digest per file line.
    #[test]
    fn fixture_hashes() {
        let Some(root) = data_dir() else {
            return;
        };
        let path = root.join("lockfiles/pypi/pdm-lock/two-packages.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = run(&text).unwrap();
        let lines = text.matches(", hash = \"sha256:").count();
        assert_eq!(lines, 4);
        assert!(ex.components.iter().all(|c| c.hashes.len() == 2));
    }

    #[test]
    fn requirement_names() {
        assert_eq!(
            pep508_name("win-inet-pton; os_name == 'nt'"),
            "win-inet-pton"
        );
        assert_eq!(pep508_name("a.b_c[x]>=1"), "a.b_c");
        assert_eq!(pep508_name("foo @ git+https://x"), "foo");
        assert_eq!(pep508_name(""), "");
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let err = run("[metadata]\n\n[[package]]\nname = \n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(run("[[package]]\nversion = \"1\"\n").is_err());
        assert!(run("[[package]]\nname = \"a\"\ndependencies = [1]\n").is_err());
        assert!(run("").unwrap().components.is_empty());
        let ex = run("[[package]]\nname = \"a\"\n").unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 1);
    }

    /// Fixture packages deliberately not components: (fixture, name, version, reason).
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

    /// Peer (osv-scanner) pdm.lock fixtures: the same (name, version) multiset and dev scope,
    /// less the listed exceptions, which must be reported as unresolved.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        let (mut checked, mut errors, mut packages, mut excepted) = (0, 0, 0, 0);
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "pypi" && r["format"] == "pdm-lock"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            checked += 1;
            let fixture = field("fixture");
            let path = root.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let result = PdmLock.extract(&SourceFile {
                display: fixture.to_string(),
                path: &path,
                text: &text,
            });
            let expected = &expected(&root, rec);
            if rec.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}: expected an error");
                assert!(expected.is_empty());
                errors += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut want = Packages::new();
            for p in expected {
                let (name, version) = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
                if EXCEPTIONS
                    .iter()
                    .any(|x| (x.0, x.1, x.2) == (fixture, name, version))
                {
                    let text = format!("{name} {version}");
                    assert!(
                        ex.unresolved.iter().any(|u| u.text == text),
                        "{fixture}: {text} not unresolved"
                    );
                    excepted += 1;
                    continue;
                }
                let dev = p["dep_groups"]
                    .as_array()
                    .is_some_and(|g| g.iter().any(|x| x == "dev"));
                let c = ex
                    .components
                    .iter()
                    .find(|c| c.name == name && c.version == version)
                    .unwrap_or_else(|| panic!("{fixture}: {name} {version} missing"));
                assert_eq!(c.scope == Scope::Dev, dev, "{fixture}: {}", c.purl);
                *want
                    .entry((name.to_string(), version.to_string()))
                    .or_default() += 1;
            }
            assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
            packages += want.values().sum::<usize>();
        }
        assert_eq!(excepted, EXCEPTIONS.len(), "every exception is used");
        assert_eq!(
            (checked, errors, packages),
            (6, 1, 8),
            "pdm.lock fixtures in the index"
        );
    }
}
