//! `uv.lock`: one `[[package]]` per locked package, every one with a version a component (as
//! osv-scanner reports them), except the project itself (an `editable` or `virtual` source, one
//! per workspace member), which is the subject rather than a package. It is a root: its `dependencies` and `optional-dependencies` are direct,
//! and so are its `dev-dependencies` groups, which make what only they pull in dev scope.
//! Packages from git, a path, a directory or a URL keep the version the lock gives them (a
//! git checkout of a release is that release); one without a version is unresolved. Edges
//! come from `dependencies`.
//!
//! Hashes: the `hash = "sha256:<hex>"` of the package's `sdist` and of each of its `wheels`
//! (one digest per distribution file) are all kept as the component's `hashes`. A malformed
//! digest, or an `sdist`/`wheels` of another shape, is left out without failing the file.

use super::npm_lock::push_hash;
use super::poetry_lock::prefixed_hash;
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub struct UvLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    source: Option<toml::Table>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dep>>,
    /// `{ url, hash, size }`; any shape is accepted, and only that one read.
    sdist: Option<toml::Value>,
    /// `[{ url, hash, size }]`; likewise.
    wheels: Option<toml::Value>,
}

impl Package {
    /// The digests of its sdist and wheels.
    fn hashes(&self, out: &mut Vec<ossgate_model::Hash>) {
        let wheels = self.wheels.as_ref().and_then(toml::Value::as_array);
        let files = self.sdist.iter().chain(wheels.into_iter().flatten());
        for f in files {
            if let Some(h) = f
                .get("hash")
                .and_then(toml::Value::as_str)
                .and_then(prefixed_hash)
            {
                push_hash(out, h);
            }
        }
    }
}

#[derive(Deserialize)]
struct Dep {
    name: String,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Registry,
    Root,
    Other(&'static str),
}

fn kind(p: &Package) -> Kind {
    let Some(source) = &p.source else {
        return Kind::Registry;
    };
    if source.contains_key("registry") {
        Kind::Registry
    } else if source.contains_key("editable") || source.contains_key("virtual") {
        Kind::Root
    } else {
        let other = ["git", "path", "directory", "url"]
            .into_iter()
            .find(|k| source.contains_key(*k))
            .unwrap_or("non-registry");
        Kind::Other(other)
    }
}

impl Extractor for UvLock {
    fn name(&self) -> &'static str {
        "uv-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "uv.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[package]]");
        let eco = Ecosystem::PyPI;
        let pkgs = &lock.package;
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            by_name
                .entry(eco.normalize_name(&p.name))
                .or_default()
                .push(i);
        }
        // The packages a dependency entry points at (more than one only when the lock has
        // several versions of a name and the entry does not say which).
        let targets = |d: &Dep| -> Vec<usize> {
            by_name
                .get(&eco.normalize_name(&d.name))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| d.version.is_none() || pkgs[j].version == d.version)
                .collect()
        };

        // Scope: the widest of every root seed set a package is reachable from.
        let mut scope: Vec<Option<Scope>> = vec![None; pkgs.len()];
        let mut direct = vec![false; pkgs.len()];
        for p in pkgs.iter().filter(|p| kind(p) == Kind::Root) {
            let seeds: [(Scope, Vec<&Dep>); 3] = [
                (Scope::Runtime, p.dependencies.iter().collect()),
                (
                    Scope::Optional,
                    p.optional_dependencies.values().flatten().collect(),
                ),
                (Scope::Dev, p.dev_dependencies.values().flatten().collect()),
            ];
            for (s, deps) in seeds {
                for d in &deps {
                    for j in targets(d) {
                        direct[j] = true;
                    }
                }
                for j in reachable(pkgs, deps, &targets) {
                    scope[j] = Some(scope[j].map_or(s, |old| old.widest(s)));
                }
            }
        }

        let mut out = Extracted::default();
        for (i, p) in pkgs.iter().enumerate() {
            let line = lines.get(i).copied();
            let version = match (kind(p), p.version.as_deref().map(str::trim)) {
                // The project itself is the subject of the inventory, not one of its packages.
                (Kind::Root, _) => continue,
                (_, Some(v)) if !v.is_empty() => v,
                (k, v) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: match v {
                            Some(v) => format!("{} {v}", p.name),
                            None => p.name.clone(),
                        },
                        reason: match k {
                            Kind::Other(s) => format!("installed from a {s} source, not PyPI"),
                            _ => "no version".to_string(),
                        },
                    });
                    continue;
                }
            };
            let mut c = Component::new(eco.clone(), &p.name, version);
            c.locations.push(loc(&file.display, line));
            c.direct = direct[i];
            c.scope = scope[i].unwrap_or(Scope::Runtime);
            p.hashes(&mut c.hashes);
            for d in &p.dependencies {
                for j in targets(d) {
                    let t = &pkgs[j];
                    if let Some(v) = t.version.as_deref().filter(|v| !v.trim().is_empty()) {
                        c.dependencies.push(eco.purl(&t.name, Some(v.trim())));
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

/// Indexes of the packages reachable from `seeds`, following `dependencies` and, where an
/// entry asks for extras, the target's `optional-dependencies` for those extras.
fn reachable<'a>(
    pkgs: &'a [Package],
    seeds: Vec<&'a Dep>,
    targets: &dyn Fn(&Dep) -> Vec<usize>,
) -> HashSet<usize> {
    let mut seen: HashSet<usize> = HashSet::new();
    let mut seen_extra: HashSet<(usize, &str)> = HashSet::new();
    let mut queue = seeds;
    while let Some(d) = queue.pop() {
        for j in targets(d) {
            if seen.insert(j) {
                queue.extend(&pkgs[j].dependencies);
            }
            for e in &d.extra {
                if seen_extra.insert((j, e.as_str()))
                    && let Some(deps) = pkgs[j].optional_dependencies.get(e)
                {
                    queue.extend(deps);
                }
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        UvLock.extract(&SourceFile {
            display: "uv.lock".into(),
            path: Path::new("uv.lock"),
            text,
        })
    }

    const LOCK: &str = r#"version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "requests", extra = ["socks"] },
]

[package.optional-dependencies]
fast = [{ name = "orjson" }]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "requests" },
]

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "urllib3", version = "2.0.7" }]

[package.optional-dependencies]
socks = [{ name = "pysocks" }]

[[package]]
name = "urllib3"
version = "1.26.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "urllib3"
version = "2.0.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "PySocks"
version = "1.7.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "orjson"
version = "3.9.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "7.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "iniconfig" }]

[[package]]
name = "iniconfig"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "ruff"
version = "0.8.1"
source = { git = "https://github.com/astral-sh/ruff#84748be" }
"#;

    #[test]
    fn reads_roots_scopes_edges_and_sources() {
        let ex = run(LOCK).unwrap();
        let got: Vec<(&str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/requests@2.31.0", true, Scope::Runtime, Some(21)),
                ("pkg:pypi/urllib3@1.26.0", false, Scope::Runtime, Some(30)),
                ("pkg:pypi/urllib3@2.0.7", false, Scope::Runtime, Some(35)),
                ("pkg:pypi/pysocks@1.7.1", false, Scope::Runtime, Some(40)),
                ("pkg:pypi/orjson@3.9.0", true, Scope::Optional, Some(45)),
                ("pkg:pypi/pytest@7.4.0", true, Scope::Dev, Some(50)),
                ("pkg:pypi/iniconfig@2.0.0", false, Scope::Dev, Some(56)),
                // From git, at the version the lock gives it.
                ("pkg:pypi/ruff@0.8.1", false, Scope::Runtime, Some(61)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:pypi/urllib3@2.0.7"]);
        assert_eq!(ex.components[5].dependencies, ["pkg:pypi/iniconfig@2.0.0"]);
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn hashes_of_sdist_and_wheels() {
        let h = |c: char| c.to_string().repeat(64);
        let (h1, h2, h3) = (h('1'), h('2'), h('a'));
        let text = format!(
            r#"version = 1

[[package]]
name = "a"
version = "1.0"
source = {{ registry = "https://pypi.org/simple" }}
sdist = {{ url = "https://x/a-1.0.tar.gz", hash = "sha256:{h1}", size = 10 }}
wheels = [
    {{ url = "https://x/a-1.0-py3-none-any.whl", hash = "sha256:{h2}", size = 10 }},
    {{ url = "https://x/a-1.0-cp312-none-any.whl", hash = "sha256:{}", size = 10 }},
    {{ url = "https://x/a-1.0-cp313-none-any.whl", hash = "sha256:zz", size = 10 }},
    {{ url = "https://x/a-1.0-cp314-none-any.whl", hash = 5 }},
    {{ url = "https://x/a-1.0-cp315-none-any.whl" }},
]

[[package]]
name = "b"
version = "1.0"
source = {{ registry = "https://pypi.org/simple" }}
wheels = [{{ url = "https://x/b-1.0-py3-none-any.whl", hash = "sha256:{h2}" }}]

[[package]]
name = "c"
version = "1.0"
source = {{ registry = "https://pypi.org/simple" }}
sdist = "odd"
wheels = 3
"#,
            h3.to_uppercase()
        );
        let ex = run(&text).unwrap();
        let got: Vec<Vec<&str>> = ex
            .components
            .iter()
            .map(|c| c.hashes.iter().map(|h| h.value.as_str()).collect())
            .collect();
        assert_eq!(got, [vec![&h1, &h2, &h3], vec![&h2], vec![]]);
        assert!(
            ex.components
                .iter()
                .flat_map(|c| &c.hashes)
                .all(|h| h.alg == ossgate_model::HashAlg::Sha256)
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let err = run("version = 1\n\n[[package]]\nname = \n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(run("[[package]]\nversion = \"1\"\n").is_err());
        assert!(run("[[package]]\nname = \"a\"\ndependencies = [\"b\"]\n").is_err());
        assert!(run("[[package]]\nname = \"a\"\nsource = \"x\"\n").is_err());
        assert!(run("").unwrap().components.is_empty());
        // A dependency cycle and a dangling edge are fine.
        let ex = run(
            "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { virtual = \".\" }\n\
             dependencies = [{ name = \"b\" }, { name = \"zz\" }]\n\
             [[package]]\nname = \"b\"\nversion = \"1\"\ndependencies = [{ name = \"b\" }]\n\
             [[package]]\nname = \"c\"\n",
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert!(ex.components[0].direct);
        assert_eq!(ex.unresolved.len(), 1);
    }

    /// Fixture packages deliberately not components: (fixture, name, version, reason).
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

    /// Peer (osv-scanner) uv.lock fixtures: the same (name, version) multiset, less the listed
    /// exceptions, which must be reported as unresolved.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        let (mut checked, mut packages, mut excepted) = (0, 0, 0);
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "pypi" && r["format"] == "uv-lock"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            checked += 1;
            let fixture = field("fixture");
            assert!(rec.get("expect_error").is_none(), "{fixture}");
            let path = root.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = UvLock
                .extract(&SourceFile {
                    display: fixture.to_string(),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let expected = &expected(&root, rec);
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
                *want
                    .entry((name.to_string(), version.to_string()))
                    .or_default() += 1;
            }
            assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
            packages += want.values().sum::<usize>();
        }
        assert_eq!(excepted, EXCEPTIONS.len(), "every exception is used");
        assert_eq!((checked, packages), (4, 5), "uv.lock fixtures in the index");
    }

    /// saleor's uv.lock: one component per registry package, counted from the raw text.
    #[test]
    fn real_lockfile() {
        let Some(dir) = shared_dir("inputs/saleor") else {
            return;
        };
        let path = dir.join("uv.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = UvLock
            .extract(&SourceFile {
                display: "uv.lock".into(),
                path: &path,
                text: &text,
            })
            .unwrap();
        let registry = text
            .lines()
            .filter(|l| l.starts_with("source = { registry = "))
            .count();
        assert!(registry > 100);
        // The registry packages; the project itself (`source = { virtual = "." }`) is not one.
        assert_eq!(ex.components.len(), registry);
        // Every `hash = "sha256:` of a registry package is one digest (saleor locks no other
        // kind of package).
        let digests = text.matches("hash = \"sha256:").count();
        let read: usize = ex.components.iter().map(|c| c.hashes.len()).sum();
        assert_eq!(read, digests);
        assert!(ex.unresolved.is_empty());
        assert!(ex.components.iter().any(|c| c.direct));
        assert!(ex.components.iter().any(|c| !c.direct));
        assert!(ex.components.iter().any(|c| c.scope == Scope::Dev));
        assert!(ex.components.iter().any(|c| c.scope == Scope::Runtime));
        assert!(ex.components.iter().any(|c| !c.dependencies.is_empty()));
        let purls: HashSet<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        for c in &ex.components {
            for d in &c.dependencies {
                assert!(purls.contains(d.as_str()), "{}: dangling {d}", c.purl);
            }
        }
    }
}
