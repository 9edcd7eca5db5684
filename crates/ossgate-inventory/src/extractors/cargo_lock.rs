//! `Cargo.lock`, formats v1 to v4. Workspace members (packages without a `source`) are the roots:
//! their dependencies are the direct ones. Every package the lock records is a component, as
//! the peers (osv-scanner, Trivy) report them: the workspace's own crates ship in the product and
//! are often the very crates published under those names, and a git dependency is usually a
//! fork of the crate it names.
//!
//! Hashes: each registry package's `checksum` (v2 and later) is the SHA-256 of its `.crate`
//! archive; v1 keeps them instead in the `[metadata]` table, one
//! `"checksum name version (source)" = "<hex>"` entry per package (`<none>` for git sources).
//! Both become the component's `hashes`. A checksum that is not 64 hex digits is left out
//! without failing the file, and so is a `checksum` or `[metadata]` value of another type.

use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct CargoLock;

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(default, borrow)]
    package: Vec<Package<'a>>,
    /// The string entries of the v1 `[metadata]` table (`"checksum name version (source)"` to a
    /// hex digest), in no particular order.
    #[serde(default, borrow, deserialize_with = "string_entries")]
    metadata: Vec<Entry<'a>>,
}

/// A `key = "value"` entry of a table.
type Entry<'a> = (Cow<'a, str>, Cow<'a, str>);

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
    #[serde(default, borrow, deserialize_with = "lenient_string")]
    checksum: Option<Cow<'a, str>>,
}

/// A value that is used when it is a string and ignored otherwise, so that an odd `checksum`
/// or `[metadata]` value does not fail a file whose packages read fine.
#[derive(Deserialize)]
#[serde(untagged)]
enum MaybeStr<'a> {
    Str(#[serde(borrow)] Cow<'a, str>),
    Other(IgnoredAny),
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Ok(match MaybeStr::deserialize(d)? {
        MaybeStr::Str(s) => Some(s),
        MaybeStr::Other(_) => None,
    })
}

fn string_entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Entry<'de>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MaybeTable<'a> {
        Table(#[serde(borrow)] HashMap<Cow<'a, str>, MaybeStr<'a>>),
        Other(IgnoredAny),
    }
    Ok(match MaybeTable::deserialize(d)? {
        MaybeTable::Table(t) => t
            .into_iter()
            .filter_map(|(k, v)| match v {
                MaybeStr::Str(v) => Some((k, v)),
                MaybeStr::Other(_) => None,
            })
            .collect(),
        MaybeTable::Other(_) => Vec::new(),
    })
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

        // v1: checksums by package index, from `[metadata]`.
        let mut v1_checksums: Vec<Option<&str>> = Vec::new();
        if !lock.metadata.is_empty() {
            v1_checksums.resize(lock.package.len(), None);
            for (key, value) in &lock.metadata {
                let Some((name, version, source)) = metadata_key(key) else {
                    continue;
                };
                let found = by_name.get(name).into_iter().flatten().find(|(v, j)| {
                    *v == version
                        && lock
                            .package
                            .get(*j)
                            .is_some_and(|p| p.source.as_deref() == Some(source))
                });
                if let Some(&(_, j)) = found
                    && let Some(slot) = v1_checksums.get_mut(j)
                {
                    *slot = Some(value.as_ref());
                }
            }
        }

        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
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
            let checksum = p
                .checksum
                .as_deref()
                .or_else(|| v1_checksums.get(i).copied().flatten());
            if let Some(h) = checksum.and_then(|x| Hash::from_hex(HashAlg::Sha256, x)) {
                c.hashes = vec![h];
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

/// The `(name, version, source)` of a v1 `[metadata]` key, `checksum name version (source)`.
fn metadata_key(key: &str) -> Option<(&str, &str, &str)> {
    let rest = key.strip_prefix("checksum ")?;
    let (name, rest) = rest.split_once(' ')?;
    let (version, source) = rest.split_once(' ')?;
    let source = source.strip_prefix('(')?.strip_suffix(')')?;
    Some((name, version, source))
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
    let mut metadata = Vec::new();
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
                checksum: None,
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
            // v1 checksums: `"checksum name version (source)" = "hex"`. A bare key stands for
            // itself; anything else (escapes, dotted keys, non-strings) is the full parser's.
            let key = if key.starts_with('"') {
                string(key)?
            } else if !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                key
            } else {
                return None;
            };
            metadata.push((Cow::Borrowed(key), Cow::Borrowed(string(value)?)));
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
            "checksum" => pkg.checksum = Some(Cow::Borrowed(string(value)?)),
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
    Some((
        Lock {
            package: packages,
            metadata,
        },
        lines,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast and the full parser read `text` alike: packages with every field, and the v1
    /// `[metadata]` entries (in any order).
    fn assert_same(text: &str) {
        let full: Lock = toml::from_str(text).unwrap();
        let (fast, lines) = fast_parse(text).expect("Cargo's own layout");
        assert_eq!(fast.package.len(), full.package.len());
        for (a, b) in fast.package.iter().zip(&full.package) {
            assert_eq!(
                (&a.name, &a.version, &a.source, &a.dependencies, &a.checksum),
                (&b.name, &b.version, &b.source, &b.dependencies, &b.checksum)
            );
        }
        let (mut m1, mut m2) = (fast.metadata.clone(), full.metadata.clone());
        m1.sort();
        m2.sort();
        assert_eq!(m1, m2);
        assert_eq!(lines, header_lines(text, "[[package]]"));
    }

    #[test]
    fn fast_and_full_parsers_agree() {
        assert_same(LOCK);
        assert_same(LOCK_V1);
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

    const SUM_A: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const SUM_B: &str = "ABCDEF00000000000000000000000000000000000000000000000000000000FF";

    /// A v1 lock: checksums in `[metadata]`, one unknown, one malformed, one `<none>`.
    const LOCK_V1: &str = r#"[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "a 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "a"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "a"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "b"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "c"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "g"
version = "0.1.0"
source = "git+https://example.com/g#abc"

[metadata]
"checksum a 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "0000000000000000000000000000000000000000000000000000000000000001"
"checksum a 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "ABCDEF00000000000000000000000000000000000000000000000000000000FF"
"checksum b 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "not-hex"
"checksum g 0.1.0 (git+https://example.com/g#abc)" = "<none>"
"checksum zz 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "0000000000000000000000000000000000000000000000000000000000000002"
"#;

    fn extract(text: &str) -> Extracted {
        CargoLock
            .extract(&SourceFile {
                display: "Cargo.lock".into(),
                path: Path::new("Cargo.lock"),
                text,
            })
            .unwrap()
    }

    fn sums(ex: &Extracted) -> Vec<(&str, Vec<&str>)> {
        ex.components
            .iter()
            .map(|c| {
                assert!(c.hashes.iter().all(|h| h.alg == HashAlg::Sha256));
                let v = c.hashes.iter().map(|h| h.value.as_str()).collect();
                (c.purl.as_str(), v)
            })
            .collect()
    }

    #[test]
    fn checksums_v2_and_v1_metadata() {
        let sum_b = SUM_B.to_ascii_lowercase();
        let want_v1 = vec![
            ("pkg:cargo/app@0.1.0", vec![]),
            ("pkg:cargo/a@1.0.0", vec![SUM_A]),
            ("pkg:cargo/a@2.0.0", vec![sum_b.as_str()]),
            ("pkg:cargo/b@1.0.0", vec![]),
            ("pkg:cargo/c@1.0.0", vec![]),
            ("pkg:cargo/g@0.1.0", vec![]),
        ];
        assert_eq!(sums(&extract(LOCK_V1)), want_v1);
        // The same file off the fast path (a comment it does not take) reads the same.
        let slow = LOCK_V1.replace("[metadata]\n", "[metadata] # v1\n");
        assert!(fast_parse(&slow).is_none());
        assert_eq!(sums(&extract(&slow)), want_v1);

        // v2+: `checksum`; malformed (too short) is left out.
        let v3 = format!(
            "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
             checksum = \"{SUM_B}\"\n\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n\
             source = \"sparse+https://index.crates.io/\"\nchecksum = \"abc\"\n"
        );
        let want = vec![
            ("pkg:cargo/a@1.0.0", vec![sum_b.as_str()]),
            ("pkg:cargo/b@1.0.0", vec![]),
        ];
        assert_same(&v3);
        assert_eq!(sums(&extract(&v3)), want);
        // A checksum of another type takes the full parser, and is ignored there.
        let odd = v3.replace("checksum = \"abc\"", "checksum = 3");
        assert!(fast_parse(&odd).is_none());
        assert_eq!(sums(&extract(&odd)), want);
        let odd = format!("{v3}\n[metadata]\nx = 1\n");
        assert_eq!(sums(&extract(&odd)), want);
        let odd = v3.replace("version = 3", "version = 3\nmetadata = 7");
        assert_eq!(sums(&extract(&odd)), want);
    }

    #[test]
    fn reads_packages_roots_and_edges() {
        let src = SourceFile {
            display: "Cargo.lock".into(),
            path: Path::new("Cargo.lock"),
            text: LOCK,
        };
        let ex = CargoLock.extract(&src).unwrap();
        let names: Vec<_> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        // Every package is a component: the workspace root, registry, path and git crates.
        assert_eq!(
            names,
            [
                "pkg:cargo/app@0.1.0",
                "pkg:cargo/h2@0.4.1",
                "pkg:cargo/bytes@1.5.0",
                "pkg:cargo/local@0.2.0",
                "pkg:cargo/forked@0.1.0"
            ]
        );
        assert!(!ex.components[0].direct, "a root is not its own dependency");
        assert!(ex.components[1].direct);
        assert!(!ex.components[2].direct);
        assert_eq!(ex.components[1].locations[0].line, Some(9));
        assert_eq!(ex.components[1].dependencies, ["pkg:cargo/bytes@1.5.0"]);
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
            assert!(
                fast_parse(&text).is_some(),
                "{project}: takes the fast path"
            );
            assert_same(&text);
            // Every crates.io package carries its checksum: as many SHA-256 digests as
            // `checksum = ` lines; path and git packages have none.
            let ex = CargoLock
                .extract(&SourceFile {
                    display: project.into(),
                    path: Path::new("Cargo.lock"),
                    text: &text,
                })
                .unwrap();
            let checksum_lines = text
                .lines()
                .filter(|l| l.starts_with("checksum = \""))
                .count();
            let hashes: Vec<&Hash> = ex.components.iter().flat_map(|c| &c.hashes).collect();
            assert!(checksum_lines > 100, "{project}");
            assert_eq!(hashes.len(), checksum_lines, "{project}");
            assert!(hashes.iter().all(|h| h.alg == HashAlg::Sha256));
            let registry = text
                .lines()
                .filter(|l| l.starts_with("source = \"registry+"))
                .count();
            assert_eq!(
                ex.components.iter().filter(|c| c.hashes.len() == 1).count(),
                registry,
                "{project}"
            );
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
