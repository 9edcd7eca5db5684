//! PEP 751 `pylock.toml` / `pylock.<name>.toml`: one `[[packages]]` entry per locked package.
//! Entries with a `version` that install from an index (`sdist`, `wheels` or nothing more) are
//! components; entries from a VCS, a local directory or an archive URL, or without a version,
//! are not PyPI releases and are reported as unresolved. Edges come from `dependencies`. The
//! format does not say which packages the project requires directly.
//!
//! Hashes: the `sdist` and each of the `wheels` carry `hashes = { <algorithm> = "<hex>" }`
//! (hashlib names, `sha256` in practice): every digest of every file is kept as the
//! component's `hashes`. Algorithms outside MD5/SHA-1/SHA-2 (e.g. `blake2b`), malformed digests
//! and odd shapes are left out without failing the file.

use super::npm_lock::push_hash;
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

pub struct PyLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    vcs: Option<toml::Value>,
    directory: Option<toml::Value>,
    archive: Option<toml::Value>,
    /// `{ name, url, hashes = { sha256 = "..." }, ... }`; any shape is accepted.
    sdist: Option<toml::Value>,
    /// A list of tables like `sdist`'s.
    wheels: Option<toml::Value>,
}

#[derive(Deserialize)]
struct Dep {
    name: Option<String>,
    version: Option<String>,
}

impl Package {
    /// The digests of its sdist and wheels.
    fn hashes(&self, out: &mut Vec<Hash>) {
        let wheels = self.wheels.as_ref().and_then(toml::Value::as_array);
        let files = self.sdist.iter().chain(wheels.into_iter().flatten());
        let tables = files.filter_map(|f| f.get("hashes").and_then(toml::Value::as_table));
        for (alg, hex) in tables.flatten() {
            let hash = HashAlg::parse(alg)
                .zip(hex.as_str())
                .and_then(|(alg, hex)| Hash::from_hex(alg, hex));
            if let Some(h) = hash {
                push_hash(out, h);
            }
        }
    }

    /// Where a non-index package comes from, `None` for an index release.
    fn source_kind(&self) -> Option<&'static str> {
        if self.vcs.is_some() {
            Some("VCS")
        } else if self.directory.is_some() {
            Some("directory")
        } else if self.archive.is_some() {
            Some("archive")
        } else {
            None
        }
    }
}

impl Extractor for PyLock {
    fn name(&self) -> &'static str {
        "pylock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path);
        name == "pylock.toml"
            || name
                .strip_prefix("pylock.")
                .and_then(|n| n.strip_suffix(".toml"))
                .is_some_and(|mid| !mid.is_empty() && !mid.contains('.'))
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[packages]]");
        let eco = Ecosystem::PyPI;
        let resolved = |p: &Package| match (&p.version, p.source_kind()) {
            (Some(v), None) if !v.trim().is_empty() => Some(v.trim().to_string()),
            _ => None,
        };
        let mut by_name: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for p in &lock.packages {
            if let Some(v) = resolved(p) {
                by_name
                    .entry(eco.normalize_name(&p.name))
                    .or_default()
                    .push((p.name.clone(), v));
            }
        }
        let mut out = Extracted::default();
        for (i, p) in lock.packages.iter().enumerate() {
            let line = lines.get(i).copied();
            let Some(version) = resolved(p) else {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: match &p.version {
                        Some(v) => format!("{} {v}", p.name),
                        None => p.name.clone(),
                    },
                    reason: match p.source_kind() {
                        Some(k) => format!("installed from a {k} source, not PyPI"),
                        None => "no version".to_string(),
                    },
                });
                continue;
            };
            let mut c = Component::new(eco.clone(), &p.name, &version);
            c.locations.push(loc(&file.display, line));
            p.hashes(&mut c.hashes);
            for d in &p.dependencies {
                let Some(name) = &d.name else { continue };
                for (n, v) in by_name.get(&eco.normalize_name(name)).into_iter().flatten() {
                    if d.version.as_ref().is_none_or(|want| want == v) {
                        c.dependencies.push(eco.purl(n, Some(v)));
                    }
                }
            }
            c.dependencies.sort();
            c.dependencies.dedup();
            out.components.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PyLock.extract(&SourceFile {
            display: "pylock.toml".into(),
            path: Path::new("pylock.toml"),
            text,
        })
    }

    #[test]
    fn file_names() {
        for ok in ["pylock.toml", "pylock.dev.toml", "a/b/pylock.docs.toml"] {
            assert!(PyLock.applies_to(Path::new(ok)), "{ok}");
        }
        for no in [
            "pylock.json",
            "pylock..toml",
            "pylock.a.b.toml",
            "xpylock.toml",
        ] {
            assert!(!PyLock.applies_to(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn reads_packages_edges_and_sources() {
        let text = r#"lock-version = "1.0"
created-by = "test"

[[packages]]
name = "Cattrs"
version = "24.1.2"
marker = "python_version >= '3.8'"
dependencies = [{ name = "attrs" }, { name = "missing" }]
wheels = [{ url = "https://files.pythonhosted.org/c.whl", hashes = { sha256 = "00" } }]

[[packages]]
name = "attrs"
version = "25.1.0"
sdist = { url = "https://files.pythonhosted.org/a.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "mylib"
directory = { path = "." }

[[packages]]
name = "tool"
version = "1.0"
vcs = { type = "git", url = "https://example.com/tool.git", commit-id = "abc" }

[[packages.attestation-identities]]
kind = "GitHub"
"#;
        let ex = run(text).unwrap();
        let got: Vec<(&str, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/cattrs@24.1.2", Some(4)),
                ("pkg:pypi/attrs@25.1.0", Some(11)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:pypi/attrs@25.1.0"]);
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("mylib", Some(16)), ("tool 1.0", Some(20))]);
        assert!(ex.unresolved[1].reason.contains("VCS"));
    }

    #[test]
    fn hashes_of_sdist_and_wheels() {
        let h = |c: char, n: usize| c.to_string().repeat(n);
        let (h1, h2, h3) = (h('1', 64), h('2', 64), h('3', 128));
        let text = format!(
            r#"lock-version = "1.0"

[[packages]]
name = "a"
version = "1.0"
sdist = {{ url = "https://x/a-1.0.tar.gz", hashes = {{ sha256 = "{h1}", blake2b = "00" }} }}
wheels = [
    {{ url = "https://x/a-1.0-py3-none-any.whl", hashes = {{ sha256 = "{h2}", sha512 = "{h3}" }} }},
    {{ url = "https://x/a-1.0-cp3-none-any.whl", hashes = {{ sha256 = "short" }} }},
    {{ url = "https://x/a-1.0-cp4-none-any.whl", hashes = {{ sha256 = 1 }} }},
    {{ url = "https://x/a-1.0-cp5-none-any.whl", hashes = "odd" }},
]

[[packages]]
name = "b"
version = "1.0"
wheels = "odd"

[[packages]]
name = "c"
version = "1.0"

[[packages.wheels]]
name = "c-1.0-py3-none-any.whl"

[packages.wheels.hashes]
sha256 = "{h2}"
"#
        );
        let ex = run(&text).unwrap();
        let got: Vec<Vec<(HashAlg, &str)>> = ex
            .components
            .iter()
            .map(|c| c.hashes.iter().map(|h| (h.alg, h.value.as_str())).collect())
            .collect();
        assert_eq!(
            got,
            [
                vec![
                    (HashAlg::Sha256, h1.as_str()),
                    (HashAlg::Sha256, h2.as_str()),
                    (HashAlg::Sha512, h3.as_str()),
                ],
                vec![],
                vec![(HashAlg::Sha256, h2.as_str())],
            ]
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let err = run("lock-version = \"1.0\"\n\n[[packages]]\nname = \n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(run("[[packages]]\nversion = \"1\"\n").is_err());
        assert!(run("packages = 3\n").is_err());
        assert!(run("[[packages]]\nname = \"a\"\ndependencies = [\"b\"]\n").is_err());
        assert!(run("").unwrap().components.is_empty());
    }

    /// Peer (osv-scalibr) pylock.toml fixtures: the same (name, version) multiset. No
    /// exceptions.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        let (mut checked, mut errors, mut packages) = (0, 0, 0);
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "pypi" && r["format"] == "pylock-toml"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            checked += 1;
            let fixture = field("fixture");
            let path = root.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let result = PyLock.extract(&SourceFile {
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
            let want = expected_packages(&root, rec);
            assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
            // One digest per `sha256 = ` in the fixture (all its packages are components).
            let digests = text.matches("sha256 = ").count();
            let read: usize = ex.components.iter().map(|c| c.hashes.len()).sum();
            assert_eq!(read, digests, "{fixture}");
            packages += expected.len();
        }
        assert_eq!(
            (checked, errors, packages),
            (5, 1, 10),
            "pylock.toml fixtures in the index"
        );
    }
}
