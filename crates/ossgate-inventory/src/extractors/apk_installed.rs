//! apk's database of installed packages: `lib/apk/db/installed` (and `usr/lib/apk/db/installed`).
//!
//! One block per package, blocks separated by blank lines, one `K:value` line per field where
//! `K` is a single letter: `P` name, `V` version, `A` architecture, `o` origin (the aports
//! package it was built from), `D` dependencies and `p` provides (both space-separated),
//! `c` the aports commit, and many more (`F`/`R`/`Z`/`a` describe the installed files) that are
//! not read. Lines that are not `K:value` are ignored; a block without `P` (only file entries)
//! is not a package, and a second `P` in one block starts a new package.
//!
//! - **Name.** Alpine's security database, and OSV's Alpine records, name the origin package
//!   (`openssl`, not its subpackage `libcrypto3`), so the component is named after `o` (or `P`
//!   when there is no origin) at the package's version (subpackages share their origin's
//!   version). A package without `V` is reported unresolved.
//! - **purl.** The purl identifies the installed package: `pkg:apk/alpine/libcrypto3@3.1.4-r5?
//!   arch=x86_64&distro=alpine-3.19.1&upstream=openssl` (`upstream` only when the origin is
//!   another package). [`Ecosystem::purl`] cannot carry the namespace and qualifiers, so they
//!   are added by [`purl_with`].
//! - **Distribution.** When the file sits at `<root>/lib/apk/db/installed`, the image's
//!   `<root>/etc/os-release` decides the ecosystem (`ID=wolfi` is `Wolfi`, `ID=chainguard` is
//!   `Chainguard`, anything else `Alpine`) and the purl namespace, and `<root>/etc/alpine-release`
//!   (or os-release's `VERSION_ID`) the `distro` qualifier (`alpine-3.19.1`).
//! - **Edges.** Each `D` entry (`musl>=1.2`, `so:libc.musl-x86_64.so.1`, `cmd:sh`) becomes an
//!   edge to the installed package of that name, or else to the first one providing it (`p`).
//!   Version constraints and `@tag` pins are ignored; `!name` conflicts make no edge.
//! - **Direct.** `<root>/etc/apk/world` lists what was asked for explicitly; when it exists,
//!   the packages it names are direct. Without it, no package is direct.
//!
//! A `P` or `V` value containing spaces is an error with its line.

use super::dpkg_status::{OsRelease, image_root, os_release, purl_with};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct ApkInstalled;

impl Extractor for ApkInstalled {
    fn name(&self) -> &'static str {
        "apk-installed"
    }

    fn applies_to(&self, path: &Path) -> bool {
        image_root(path, &["apk", "db", "installed"]).is_some()
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = apk_root(file.path);
        let image = root.as_deref().map(Image::read).unwrap_or_default();

        let mut out = Extracted::default();
        let mut pkgs: Vec<Pkg> = Vec::new();
        for block in blocks(file.text) {
            let Some((name, line)) = block.name.filter(|(n, _)| !n.is_empty()) else {
                continue;
            };
            let check = |value: &str, line: u32, what: &str| {
                if value.split_whitespace().count() > 1 {
                    Err(ExtractError::new(
                        &file.display,
                        Some(line),
                        format!("{what} `{value}` contains spaces"),
                    ))
                } else {
                    Ok(())
                }
            };
            check(name, line, "package name")?;
            let component = match block.origin {
                Some(o) if !o.is_empty() => o,
                _ => name,
            };
            let Some((version, vline)) = block.version.filter(|(v, _)| !v.is_empty()) else {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(line),
                    text: component.to_string(),
                    reason: "apk installed-database entry without a version (`V:`)".into(),
                });
                continue;
            };
            check(version, vline, "version")?;
            pkgs.push(Pkg {
                name,
                component,
                version,
                arch: block.arch.unwrap_or(""),
                line,
                depends: block.depends,
                provides: block.provides,
            });
        }

        let purls: Vec<String> = pkgs
            .iter()
            .map(|p| {
                let upstream = if p.component == p.name {
                    ""
                } else {
                    p.component
                };
                purl_with(
                    &image.ecosystem,
                    Some(&image.namespace),
                    p.name,
                    p.version,
                    &[
                        ("arch", p.arch),
                        ("distro", image.distro.as_deref().unwrap_or("")),
                        ("upstream", upstream),
                    ],
                )
            })
            .collect();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut by_provides: HashMap<&str, usize> = HashMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            by_name.entry(p.name).or_insert(i);
            for v in &p.provides {
                by_provides.entry(dep_name(v)).or_insert(i);
            }
        }

        for (i, p) in pkgs.iter().enumerate() {
            let mut c = Component::with_purl(
                image.ecosystem.clone(),
                p.component.to_string(),
                p.version.to_string(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, Some(p.line)));
            c.direct = image.world.as_ref().is_some_and(|w| w.contains(p.name));
            let mut seen = HashSet::new();
            for d in &p.depends {
                if d.starts_with('!') {
                    continue;
                }
                let n = dep_name(d);
                let target = by_name.get(n).or_else(|| by_provides.get(n)).copied();
                if let Some(j) = target
                    && j != i
                    && seen.insert(j)
                {
                    c.dependencies.push(purls[j].clone());
                }
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

struct Pkg<'a> {
    /// `P`: the installed package.
    name: &'a str,
    /// The component name: the origin.
    component: &'a str,
    version: &'a str,
    arch: &'a str,
    line: u32,
    depends: Vec<&'a str>,
    provides: Vec<&'a str>,
}

/// The fields of one block that are read, with the line of `P` and `V`.
#[derive(Default)]
struct Block<'a> {
    name: Option<(&'a str, u32)>,
    version: Option<(&'a str, u32)>,
    arch: Option<&'a str>,
    origin: Option<&'a str>,
    depends: Vec<&'a str>,
    provides: Vec<&'a str>,
    any: bool,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut cur = Block::default();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if cur.any {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let mut chars = line.chars();
        let (Some(key), Some(':')) = (chars.next(), chars.next()) else {
            continue;
        };
        if !key.is_ascii_alphabetic() {
            continue;
        }
        let value = chars.as_str().trim();
        if key == 'P' && cur.name.is_some() {
            out.push(std::mem::take(&mut cur));
        }
        cur.any = true;
        match key {
            'P' => cur.name = Some((value, n)),
            'V' => cur.version = Some((value, n)),
            'A' => cur.arch = Some(value),
            'o' => cur.origin = Some(value),
            'D' => cur.depends.extend(value.split_whitespace()),
            'p' => cur.provides.extend(value.split_whitespace()),
            _ => {}
        }
    }
    if cur.any {
        out.push(cur);
    }
    out
}

/// The package name of a dependency or provides entry: `musl>=1.2`, `so:libz.so.1=1.3`,
/// `busybox@edge`, `!foo`.
fn dep_name(entry: &str) -> &str {
    let entry = entry.trim_start_matches('!');
    let end = entry.find(['<', '>', '=', '~', '@']).unwrap_or(entry.len());
    &entry[..end]
}

/// The image root above `lib/apk/db/installed` (or `usr/lib/apk/db/installed`).
fn apk_root(path: &Path) -> Option<PathBuf> {
    let root = image_root(path, &["lib", "apk", "db", "installed"])?;
    match root.file_name() {
        Some(n) if n == "usr" => root.parent().map(Path::to_path_buf),
        _ => Some(root),
    }
}

/// What the image around the database says.
struct Image {
    ecosystem: Ecosystem,
    namespace: String,
    distro: Option<String>,
    /// Names in `etc/apk/world`, when it exists.
    world: Option<HashSet<String>>,
}

impl Default for Image {
    fn default() -> Self {
        Image {
            ecosystem: Ecosystem::Other("Alpine".into()),
            namespace: "alpine".into(),
            distro: None,
            world: None,
        }
    }
}

impl Image {
    fn read(root: &Path) -> Image {
        let os = os_release(root).unwrap_or_default();
        let (ecosystem, namespace) = match os.id.as_str() {
            "wolfi" => ("Wolfi", "wolfi"),
            "chainguard" => ("Chainguard", "chainguard"),
            _ => ("Alpine", "alpine"),
        };
        let release = std::fs::read_to_string(root.join("etc/alpine-release"))
            .ok()
            .and_then(|t| t.lines().next().map(|l| l.trim().to_string()))
            .filter(|v| !v.is_empty() && !v.contains(char::is_whitespace));
        let distro = match release {
            Some(v) if namespace == "alpine" => Some(format!("alpine-{v}")),
            _ => OsRelease {
                id: namespace.to_string(),
                ..os
            }
            .distro(),
        };
        let world = std::fs::read_to_string(root.join("etc/apk/world"))
            .ok()
            .map(|t| {
                t.split_whitespace()
                    .filter(|w| !w.starts_with('!'))
                    .map(|w| dep_name(w).to_string())
                    .collect()
            });
        Image {
            ecosystem: Ecosystem::Other(ecosystem.into()),
            namespace: namespace.into(),
            distro,
            world,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::BTreeMap;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        ApkInstalled.extract(&SourceFile {
            display: "installed".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/installed"), text)
    }

    const DB: &str = "\
C:Q1abc=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
o:musl
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1

P:libcrypto3
V:3.1.4-r5
A:x86_64
o:openssl
D:so:libc.musl-x86_64.so.1 !libcrypto1.1
p:so:libcrypto.so.3=3
P:libssl3
V:3.1.4-r5
A:x86_64
o:openssl
D:libcrypto3>=3.1.4-r5 so:libc.musl-x86_64.so.1 so:libcrypto.so.3 missing-pkg

P:apk-tools
V:2.14.0-r5
A:x86_64
D:musl@main libssl3

F:etc
R:orphan
";

    #[test]
    fn reads_origins_purls_lines_and_edges() {
        let ex = run(DB).unwrap();
        let got: Vec<(&str, &str, &str, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.purl.as_str(),
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "musl",
                    "1.2.4_git20230717-r4",
                    "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64",
                    Some(2)
                ),
                (
                    "openssl",
                    "3.1.4-r5",
                    "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl",
                    Some(10)
                ),
                (
                    "openssl",
                    "3.1.4-r5",
                    "pkg:apk/alpine/libssl3@3.1.4-r5?arch=x86_64&upstream=openssl",
                    Some(16)
                ),
                (
                    "apk-tools",
                    "2.14.0-r5",
                    "pkg:apk/alpine/apk-tools@2.14.0-r5?arch=x86_64",
                    Some(22)
                ),
            ]
        );
        let c = &ex.components;
        assert!(
            c.iter()
                .all(|c| c.ecosystem.as_str() == "Alpine" && !c.direct)
        );
        assert!(c[0].dependencies.is_empty());
        // A provided `so:` name resolves; a conflict (`!`) makes no edge.
        assert_eq!(c[1].dependencies, [c[0].purl.as_str()]);
        // The constraint is ignored, duplicates are one edge, unknown names none.
        assert_eq!(c[2].dependencies, [c[1].purl.as_str(), c[0].purl.as_str()]);
        assert_eq!(c[3].dependencies, [c[0].purl.as_str(), c[2].purl.as_str()]);
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn reads_the_image_release_and_world() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("lib/apk/db")).unwrap();
        std::fs::create_dir_all(root.join("etc/apk")).unwrap();
        std::fs::write(
            root.join("etc/os-release"),
            "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n",
        )
        .unwrap();
        std::fs::write(root.join("etc/alpine-release"), "3.19.1\n").unwrap();
        std::fs::write(root.join("etc/apk/world"), "apk-tools libssl3>=3\n").unwrap();
        let ex = run_at(&root.join("lib/apk/db/installed"), DB).unwrap();
        assert_eq!(
            ex.components[0].purl,
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1"
        );
        let direct: Vec<&str> = ex
            .components
            .iter()
            .filter(|c| c.direct)
            .map(|c| c.purl.as_str())
            .collect();
        assert_eq!(direct.len(), 2);
        assert!(direct[0].starts_with("pkg:apk/alpine/libssl3@"));

        // Wolfi keeps its database under usr/.
        std::fs::create_dir_all(root.join("usr/lib/apk/db")).unwrap();
        std::fs::remove_file(root.join("etc/alpine-release")).unwrap();
        std::fs::write(
            root.join("etc/os-release"),
            "ID=wolfi\nVERSION_ID=20230201\n",
        )
        .unwrap();
        let ex = run_at(
            &root.join("usr/lib/apk/db/installed"),
            "P:glibc\nV:2.39-r1\n",
        )
        .unwrap();
        assert_eq!(ex.components[0].ecosystem.as_str(), "Wolfi");
        assert_eq!(
            ex.components[0].purl,
            "pkg:apk/wolfi/glibc@2.39-r1?distro=wolfi-20230201"
        );
    }

    #[test]
    fn applies_to_the_installed_database() {
        for p in [
            "lib/apk/db/installed",
            "/img/usr/lib/apk/db/installed",
            "apk/db/installed",
        ] {
            assert!(ApkInstalled.applies_to(Path::new(p)), "{p}");
        }
        for p in ["installed", "lib/apk/db/triggers", "db/installed"] {
            assert!(!ApkInstalled.applies_to(Path::new(p)), "{p}");
        }
        assert_eq!(ApkInstalled.name(), "apk-installed");
    }

    #[test]
    fn malformed_input() {
        let err = run("P:a\nV:1\n\nP:b c\nV:1\n").unwrap_err();
        assert_eq!((err.line, err.file.as_str()), (Some(4), "installed"));
        assert_eq!(run("P:a\nV:1 2\n").unwrap_err().line, Some(2));
        let ex = run("P:a\nA:x86_64\nP:b\nV:2\n\nV:3\nnonsense\n").unwrap();
        assert_eq!(packages(&ex.components).len(), 1);
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].line, Some(1));
        assert!(run("").unwrap().components.is_empty());
        assert!(run("\r\n\r\nP:a\r\nV:1\r\n").unwrap().components[0].version == "1");
    }

    /// osv-scanner's apk fixtures.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        // The peer reports a package without a version as a package with an empty version;
        // ossgate reports it unresolved (nothing can be matched without a version), so the
        // fixture's empty-version packages are compared by name with the unresolved list.
        const EXCEPTION: &str = "lockfiles/alpine/osv-scanner-v1/apk/malformed_installed";
        let (mut checked, mut excepted) = (0, 0);
        for r in peer_records(&root, |r| r["format"] == "osv-scanner-v1/apk") {
            let fixture = fixture(&r);
            assert!(r.get("expect_error").is_none(), "{fixture}");
            let ex = run(&fixture_text(&root, &r)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
            let mut want_unresolved = Vec::new();
            for e in &expected(&root, &r) {
                let (name, version) = name_version(e);
                if fixture == EXCEPTION && version.is_empty() {
                    want_unresolved.push(name);
                } else {
                    *want.entry((name, version)).or_default() += 1;
                }
            }
            assert_eq!(packages(&ex.components), want, "{fixture}");
            let unresolved: Vec<String> = ex.unresolved.iter().map(|u| u.text.clone()).collect();
            assert_eq!(unresolved, want_unresolved, "{fixture}");
            if fixture == EXCEPTION {
                assert_eq!(want_unresolved, ["busybox"]);
                excepted += 1;
            }
            checked += 1;
        }
        assert_eq!((checked, excepted), (4, 1));
    }
}
