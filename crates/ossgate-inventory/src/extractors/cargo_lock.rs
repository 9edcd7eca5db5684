//! `Cargo.lock`, formats v1 to v4. Workspace members (packages without a `source`) are the roots:
//! their dependencies are the direct ones. Only packages from crates.io are components of the
//! crates.io ecosystem; git and path dependencies are not crates.io packages.

use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct CargoLock;

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(default, borrow)]
    package: Vec<Package<'a>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    dependencies: Vec<Cow<'a, str>>,
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
        let (lock, lines) = match fast_parse(file.text) {
            Some(parsed) => parsed,
            None => {
                let lock: Lock = toml::from_str(file.text)
                    .map_err(|e| toml_error(&file.display, file.text, e))?;
                (lock, header_lines(file.text, "[[package]]"))
            }
        };

        // Each package's purl, built once; edges refer to packages by index.
        let purls: Vec<String> = lock
            .package
            .iter()
            .map(|p| Ecosystem::CratesIo.purl(&p.name, Some(&p.version)))
            .collect();
        // name -> [(version, index)], to resolve `"name"` and `"name version (source)"`.
        let mut by_name: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
        for (i, p) in lock.package.iter().enumerate() {
            by_name
                .entry(p.name.as_ref())
                .or_default()
                .push((p.version.as_ref(), i));
        }
        let resolve = |dep: &str| -> Option<usize> {
            let mut parts = dep.split(' ');
            let candidates = by_name.get(parts.next()?)?;
            match parts.next() {
                Some(v) => candidates
                    .iter()
                    .find(|(ver, _)| *ver == v)
                    .map(|(_, i)| *i),
                None => candidates.first().map(|(_, i)| *i),
            }
        };

        let mut direct: HashSet<usize> = HashSet::new();
        for p in lock.package.iter().filter(|p| p.source.is_none()) {
            direct.extend(p.dependencies.iter().filter_map(|d| resolve(d)));
        }

        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
            if !p.source.as_deref().is_some_and(is_crates_io) {
                continue;
            }
            let mut c = Component::with_purl(
                Ecosystem::CratesIo,
                p.name.to_string(),
                p.version.to_string(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, lines.get(i).copied()));
            c.direct = direct.contains(&i);
            c.dependencies = p
                .dependencies
                .iter()
                .filter_map(|d| resolve(d))
                .map(|j| purls[j].clone())
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

/// Reads the layout Cargo itself writes (`[[package]]` tables of `key = "string"` lines and
/// `dependencies = [` arrays of one string per line), with each package's header line. Returns
/// `None` at the first line outside that layout, so the caller falls back to the full TOML
/// parser: hand-edited or unusual files are still read exactly. Written by hand because this
/// is the scan's hot path, and the general TOML parser takes about 60% of a Cargo.lock scan.
fn fast_parse(text: &str) -> Option<(Lock<'_>, Vec<u32>)> {
    fn string(v: &str) -> Option<&str> {
        let inner = v.strip_prefix('"')?.strip_suffix('"')?;
        // Escapes would need the real parser.
        (!inner.contains('\\') && !inner.contains('"')).then_some(inner)
    }
    let mut packages: Vec<Package> = Vec::new();
    let mut lines = Vec::new();
    let mut in_package = false;
    let mut in_metadata = false;
    let mut in_deps = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if in_deps {
            if line == "]" {
                in_deps = false;
            } else {
                let dep = string(line.strip_suffix(',').unwrap_or(line))?;
                packages.last_mut()?.dependencies.push(Cow::Borrowed(dep));
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[[package]]" {
            packages.push(Package {
                name: Cow::Borrowed(""),
                version: Cow::Borrowed(""),
                source: None,
                dependencies: Vec::new(),
            });
            lines.push(i as u32 + 1);
            in_package = true;
            continue;
        }
        if line.starts_with('[') {
            // `[metadata]` (v1 checksums) or `[patch.unused]`: nothing this extractor reads,
            // but only the full parser knows their shape.
            if line == "[metadata]" {
                in_package = false;
                in_metadata = true;
                continue;
            }
            return None;
        }
        let (key, value) = line.split_once(" = ")?;
        if in_metadata {
            // v1 checksums: `"checksum name version (source)" = "hex"`.
            string(value)?;
            continue;
        }
        if !in_package {
            // Only the format version stands at the top.
            if key == "version" && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            return None;
        }
        let pkg = packages.last_mut()?;
        match key {
            "name" => pkg.name = Cow::Borrowed(string(value)?),
            "version" => pkg.version = Cow::Borrowed(string(value)?),
            "source" => pkg.source = Some(Cow::Borrowed(string(value)?)),
            "checksum" => {
                string(value)?;
            }
            "dependencies" if value == "[" => in_deps = true,
            "dependencies" => {
                // A one-line array: `["a", "b 1.0.0"]`.
                let inner = value.strip_prefix('[')?.strip_suffix(']')?.trim();
                for item in inner.split(',').map(str::trim).filter(|x| !x.is_empty()) {
                    pkg.dependencies.push(Cow::Borrowed(string(item)?));
                }
            }
            _ => return None,
        }
    }
    if in_deps
        || packages
            .iter()
            .any(|p| p.name.is_empty() || p.version.is_empty())
    {
        return None;
    }
    Some((Lock { package: packages }, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_and_full_parsers_agree() {
        let full: Lock = toml::from_str(LOCK).unwrap();
        let (fast, lines) = fast_parse(LOCK).expect("Cargo's own layout");
        assert_eq!(fast.package.len(), full.package.len());
        for (a, b) in fast.package.iter().zip(&full.package) {
            assert_eq!(
                (&a.name, &a.version, &a.source, &a.dependencies),
                (&b.name, &b.version, &b.source, &b.dependencies)
            );
        }
        assert_eq!(lines, header_lines(LOCK, "[[package]]"));
        // Anything outside Cargo's layout goes to the full parser.
        assert!(fast_parse("[[package]]\nname = 'a'\nversion = \"1\"\n").is_none());
        assert!(
            fast_parse("[[package]]\nname = \"a\"\nversion = \"1\"\nfeatures = { x = 1 }\n")
                .is_none()
        );
        assert!(fast_parse("[[package]]\nname = \"a\"\n").is_none());
        assert!(fast_parse("not = [toml").is_none());
        assert!(fast_parse("version = 3\n[metadata]\n\"checksum a 1 (x)\" = \"ab\"\n").is_some());
    }

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

    /// The real lockfiles in the shared data take the fast path and read exactly as the full
    /// TOML parser reads them.
    #[test]
    fn conformance_fast_path_on_real_lockfiles() {
        let Some(inputs) = crate::testdata::shared_dir("inputs") else {
            return;
        };
        let mut checked = 0;
        for project in ["cargo", "deno", "localsend"] {
            let text = std::fs::read_to_string(inputs.join(project).join("Cargo.lock")).unwrap();
            let full: Lock = toml::from_str(&text).unwrap();
            let (fast, lines) = fast_parse(&text).expect("Cargo's own layout takes the fast path");
            assert_eq!(fast.package.len(), full.package.len(), "{project}");
            for (a, b) in fast.package.iter().zip(&full.package) {
                assert_eq!(
                    (&a.name, &a.version, &a.source, &a.dependencies),
                    (&b.name, &b.version, &b.source, &b.dependencies)
                );
            }
            assert_eq!(lines, header_lines(&text, "[[package]]"));
            checked += 1;
        }
        assert_eq!(checked, 3);
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
