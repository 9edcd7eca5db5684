//! `Cargo.lock`, formats v1 to v4. Workspace members (packages without a `source`) are the roots:
//! their dependencies are the direct ones. Only packages from crates.io are components of the
//! crates.io ecosystem; git and path dependencies are not crates.io packages.

use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct CargoLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

fn is_crates_io(source: &str) -> bool {
    source == "registry+https://github.com/rust-lang/crates.io-index"
        || source == "sparse+https://index.crates.io/"
}

impl Extractor for CargoLock {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "Cargo.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[package]]");

        // name -> versions, to resolve `dependencies = ["name"]` entries that omit the version.
        let mut versions: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &lock.package {
            versions.entry(&p.name).or_default().push(&p.version);
        }
        let resolve = |dep: &str| -> Option<(String, String)> {
            let mut parts = dep.split(' ');
            let name = parts.next()?;
            let version = match parts.next() {
                Some(v) => v.to_string(),
                None => versions.get(name)?.first()?.to_string(),
            };
            Some((name.to_string(), version))
        };

        let mut direct: HashSet<(String, String)> = HashSet::new();
        for p in lock.package.iter().filter(|p| p.source.is_none()) {
            direct.extend(p.dependencies.iter().filter_map(|d| resolve(d)));
        }

        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
            if !p.source.as_deref().is_some_and(is_crates_io) {
                continue;
            }
            let mut c = Component::new(Ecosystem::CratesIo, &p.name, &p.version);
            c.locations.push(loc(&file.display, lines.get(i).copied()));
            c.direct = direct.contains(&(p.name.clone(), p.version.clone()));
            c.dependencies = p
                .dependencies
                .iter()
                .filter_map(|d| resolve(d))
                .map(|(n, v)| Ecosystem::CratesIo.purl(&n, Some(&v)))
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["h2", "local"]

[[package]]
name = "h2"
version = "0.4.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"
dependencies = ["bytes 1.5.0"]

[[package]]
name = "bytes"
version = "1.5.0"
source = "sparse+https://index.crates.io/"

[[package]]
name = "local"
version = "0.2.0"

[[package]]
name = "forked"
version = "0.1.0"
source = "git+https://example.com/forked#abc"
"#;

    #[test]
    fn reads_packages_roots_and_edges() {
        let src = SourceFile {
            display: "Cargo.lock".into(),
            path: Path::new("Cargo.lock"),
            text: LOCK,
        };
        let ex = CargoLock.extract(&src).unwrap();
        let names: Vec<_> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(names, ["pkg:cargo/h2@0.4.1", "pkg:cargo/bytes@1.5.0"]);
        assert!(ex.components[0].direct);
        assert!(!ex.components[1].direct);
        assert_eq!(ex.components[0].locations[0].line, Some(9));
        assert_eq!(ex.components[0].dependencies, ["pkg:cargo/bytes@1.5.0"]);
    }

    #[test]
    fn bad_toml_names_the_line() {
        let src = SourceFile {
            display: "x/Cargo.lock".into(),
            path: Path::new("Cargo.lock"),
            text: "[[package]]\nname = \"a\"\nversion = \n",
        };
        let err = CargoLock.extract(&src).unwrap_err();
        assert_eq!(err.file, "x/Cargo.lock");
        assert_eq!(err.line, Some(3));
    }
}
