//! dpkg's database of installed packages: `var/lib/dpkg/status`, and the one-file-per-package
//! `var/lib/dpkg/status.d/<name>` of distroless images (their `*.md5sums` files are not read).
//!
//! The file is a sequence of RFC 822-style paragraphs separated by blank lines: `Field: value`
//! lines, continuation lines starting with a space or tab, and `#` comment lines. Field names
//! are case-insensitive. Per paragraph this reads `Package`, `Version` (with its epoch, as
//! written), `Status`, `Architecture`, `Source`, `Depends`, `Pre-Depends` and `Provides`.
//!
//! - **Which paragraphs are packages.** `Status` is `want flag status`; the package's files are
//!   on disk when the status word is `installed`, `triggers-pending`, `triggers-awaited`,
//!   `half-configured` or `unpacked`, and those are read. `not-installed`, `config-files`
//!   (only configuration files are left), `half-installed` and any other value are not.
//!   Paragraphs without a `Status` field are read as installed: the files of `status.d` carry
//!   none. Lines that are neither fields, continuations nor comments are ignored.
//! - **Name and version.** Debian and Ubuntu advisories (and OSV) name *source* packages at
//!   the source version, so the component is the source package: `Source: glibc` makes
//!   `libc6` a `glibc` component, and `Source: util-linux (2.36.1-8+deb11u1)` also gives the
//!   version (it differs from the binary's when the binary has its own epoch or a binNMU).
//!   Without `Source`, the source is the binary package itself. A paragraph naming no package
//!   at all is skipped; a package without any version is reported unresolved.
//! - **purl.** The purl identifies the installed *binary* package, as purl-spec's `deb` type
//!   does: `pkg:deb/debian/libc6@2.31-13+deb11u5?arch=amd64&distro=debian-11&upstream=glibc`.
//!   [`Ecosystem::purl`] cannot carry a namespace or qualifiers for this type, so
//!   [`purl_with`] adds them to the purl it builds. `upstream` names the source (with
//!   `@version` when that differs from the binary's) when it is not the binary itself.
//! - **Distribution.** When the file sits at `<root>/var/lib/dpkg/status` (or in
//!   `status.d`), `<root>/etc/os-release` (or `<root>/usr/lib/os-release`) names it: `ID`
//!   `ubuntu` (or an `ID_LIKE` containing it) makes the ecosystem `Ubuntu`, anything else
//!   `Debian`, and `ID`-`VERSION_ID` (or `VERSION_CODENAME` when there is no `VERSION_ID`)
//!   becomes the `distro` qualifier (`debian-12`). Without os-release: `Debian`, no qualifier.
//! - **Edges.** `Depends` and `Pre-Depends` clauses (`a (>= 1) | b, c:any`) become edges to the
//!   installed packages satisfying them: per clause, the first alternative installed under
//!   that name, or else providing it (`Provides`), preferring the same architecture. Version
//!   constraints and architecture qualifiers are ignored; `Recommends` and `Suggests` are not
//!   dependencies and make no edges.
//! - **Direct.** dpkg does not record why a package was installed. apt does, in
//!   `<root>/var/lib/apt/extended_states` (`Auto-Installed: 1`): when that file exists, the
//!   packages it does not mark as automatically installed are direct (what `apt-mark
//!   showmanual` lists). Without it, no package is direct.
//!
//! A `Package`, `Version` or `Source` value that cannot be what dpkg writes (spaces inside a
//! name or version, an unclosed `(` in `Source`) is an error with its line.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct DpkgStatus;

impl Extractor for DpkgStatus {
    fn name(&self) -> &'static str {
        "dpkg-status"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path);
        let parent = path.parent().map(file_name).unwrap_or("");
        if parent == "dpkg" {
            return name == "status";
        }
        parent == "status.d"
            && path.parent().and_then(Path::parent).map(file_name) == Some("dpkg")
            && !name.is_empty()
            && !name.starts_with('.')
            && !name.ends_with(".md5sums")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = dpkg_root(file.path);
        let os = root.as_deref().and_then(os_release);
        let eco = match &os {
            Some(os) if os.is_like("ubuntu") => Ecosystem::Other("Ubuntu".into()),
            _ => Ecosystem::Other("Debian".into()),
        };
        let namespace = os
            .as_ref()
            .map(|o| o.id.as_str())
            .filter(|id| !id.is_empty())
            .unwrap_or(if eco.as_str() == "Ubuntu" {
                "ubuntu"
            } else {
                "debian"
            })
            .to_string();
        let distro = os.as_ref().and_then(OsRelease::distro);
        let manual = root.as_deref().and_then(apt_manual);

        let mut out = Extracted::default();
        let mut pkgs: Vec<Pkg> = Vec::new();
        for para in paragraphs(file.text) {
            match read_package(&para)
                .map_err(|(line, m)| ExtractError::new(&file.display, Some(line), m))?
            {
                Read::Skip => {}
                Read::NoVersion(name, line) => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(line),
                    text: name,
                    reason: "dpkg status paragraph without a `Version`".into(),
                }),
                Read::Package(p) => pkgs.push(p),
            }
        }

        let purls: Vec<String> = pkgs
            .iter()
            .map(|p| {
                let upstream = p.upstream();
                purl_with(
                    &eco,
                    Some(&namespace),
                    p.purl_name(),
                    p.purl_version(),
                    &[
                        ("arch", p.arch.as_str()),
                        ("distro", distro.as_deref().unwrap_or("")),
                        ("upstream", upstream.as_str()),
                    ],
                )
            })
            .collect();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_provides: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in pkgs.iter().enumerate() {
            if !p.binary.is_empty() {
                by_name.entry(p.binary.as_str()).or_default().push(i);
            }
            for v in &p.provides {
                by_provides.entry(v.as_str()).or_default().push(i);
            }
        }
        let pick = |candidates: &[usize], arch: &str| -> Option<usize> {
            let arch_of = |j: &usize| pkgs.get(*j).map(|p| p.arch.as_str()).unwrap_or("");
            candidates
                .iter()
                .find(|j| arch_of(j) == arch)
                .or_else(|| candidates.iter().find(|j| arch_of(j) == "all"))
                .or_else(|| candidates.first())
                .copied()
        };

        for (i, p) in pkgs.iter().enumerate() {
            let mut c = Component::with_purl(
                eco.clone(),
                p.name.clone(),
                p.version.clone(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, Some(p.line)));
            c.direct = manual
                .as_ref()
                .is_some_and(|auto| !p.binary.is_empty() && !auto.is_auto(&p.binary, &p.arch));
            let mut seen = HashSet::new();
            for clause in &p.depends {
                let target = clause.iter().find_map(|alt| {
                    by_name
                        .get(alt.as_str())
                        .and_then(|c| pick(c, &p.arch))
                        .or_else(|| by_provides.get(alt.as_str()).and_then(|c| pick(c, &p.arch)))
                });
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

/// One installed package read from a paragraph.
struct Pkg {
    /// The component name: the source package.
    name: String,
    /// The component version: the source version.
    version: String,
    /// The binary package (`Package`), empty when the paragraph has none.
    binary: String,
    bin_version: String,
    arch: String,
    line: u32,
    /// `Depends` and `Pre-Depends` clauses, each a list of alternative package names.
    depends: Vec<Vec<String>>,
    provides: Vec<String>,
}

impl Pkg {
    fn purl_name(&self) -> &str {
        if self.binary.is_empty() {
            &self.name
        } else {
            &self.binary
        }
    }

    fn purl_version(&self) -> &str {
        if self.bin_version.is_empty() {
            &self.version
        } else {
            &self.bin_version
        }
    }

    /// The `upstream` qualifier: the source, when it is not the binary package itself.
    fn upstream(&self) -> String {
        if self.name == self.purl_name() && self.version == self.purl_version() {
            String::new()
        } else if self.version == self.purl_version() {
            self.name.clone()
        } else {
            format!("{}@{}", self.name, self.version)
        }
    }
}

enum Read {
    Skip,
    /// A package without a version: its name and line.
    NoVersion(String, u32),
    Package(Pkg),
}

/// The status words under which a package's files are on disk.
const ON_DISK: &[&str] = &[
    "installed",
    "triggers-pending",
    "triggers-awaited",
    "half-configured",
    "unpacked",
];

fn read_package(para: &Paragraph) -> Result<Read, (u32, String)> {
    if let Some(status) = para.get("status") {
        let words: Vec<&str> = status.value.split_whitespace().collect();
        let on_disk = words.len() == 3 && words.get(2).is_some_and(|w| ON_DISK.contains(w));
        if !on_disk {
            return Ok(Read::Skip);
        }
    }
    let binary = match para.get("package") {
        Some(f) => single_token(f, "package name")?,
        None => String::new(),
    };
    let bin_version = match para.get("version") {
        Some(f) => single_token(f, "version")?,
        None => String::new(),
    };
    let (source, source_version) = match para.get("source") {
        Some(f) => parse_source(f)?,
        None => (String::new(), String::new()),
    };
    let name = if source.is_empty() {
        binary.clone()
    } else {
        source
    };
    if name.is_empty() {
        return Ok(Read::Skip);
    }
    let line = para
        .get("package")
        .map(|f| f.line)
        .unwrap_or(para.first_line);
    let version = if source_version.is_empty() {
        bin_version.clone()
    } else {
        source_version
    };
    if version.is_empty() {
        return Ok(Read::NoVersion(name, line));
    }
    let mut depends = Vec::new();
    for key in ["pre-depends", "depends"] {
        if let Some(f) = para.get(key) {
            depends.extend(relation_clauses(&f.value));
        }
    }
    let provides = para
        .get("provides")
        .map(|f| relation_clauses(&f.value).into_iter().flatten().collect())
        .unwrap_or_default();
    Ok(Read::Package(Pkg {
        name,
        version,
        binary,
        bin_version,
        arch: para
            .get("architecture")
            .map(|f| f.value.trim().to_string())
            .unwrap_or_default(),
        line,
        depends,
        provides,
    }))
}

/// A field whose value must be one word (a package name, a version); empty reads as absent.
fn single_token(f: &Field, what: &str) -> Result<String, (u32, String)> {
    let v = f.head;
    if v.split_whitespace().count() > 1 {
        return Err((f.line, format!("{what} `{v}` contains spaces")));
    }
    Ok(v.to_string())
}

/// `Source: name` or `Source: name (version)`.
fn parse_source(f: &Field) -> Result<(String, String), (u32, String)> {
    let v = f.head;
    let bad = || {
        (
            f.line,
            format!("`Source: {v}` is not `name` or `name (version)`"),
        )
    };
    let (name, rest) = match v.find(|c: char| c.is_whitespace() || c == '(') {
        Some(i) => (&v[..i], v[i..].trim()),
        None => (v, ""),
    };
    if rest.is_empty() {
        return Ok((name.to_string(), String::new()));
    }
    let version = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map(str::trim)
        .ok_or_else(bad)?;
    if name.is_empty() || version.split_whitespace().count() > 1 {
        return Err(bad());
    }
    Ok((name.to_string(), version.to_string()))
}

/// A relationship field (`a (>= 1) | b:any, c [amd64]`) as clauses of alternative names.
fn relation_clauses(value: &str) -> Vec<Vec<String>> {
    value
        .split(',')
        .map(|clause| {
            clause
                .split('|')
                .filter_map(|alt| {
                    let name = alt
                        .trim()
                        .split(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == '<')
                        .next()
                        .unwrap_or("");
                    let name = name.split(':').next().unwrap_or("");
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// One `Field: value` of a paragraph; continuation lines are joined with spaces.
pub(super) struct Field<'a> {
    pub name: &'a str,
    pub value: String,
    /// The value on the field's own line, without continuations: what single-line fields
    /// (Package, Version, Source) mean; continuation lines under them are junk.
    pub head: &'a str,
    /// 1-based line of the field name.
    pub line: u32,
}

pub(super) struct Paragraph<'a> {
    pub first_line: u32,
    pub fields: Vec<Field<'a>>,
}

impl Paragraph<'_> {
    /// The first field of that name (field names are case-insensitive).
    pub fn get(&self, name: &str) -> Option<&Field<'_>> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

/// The paragraphs of an RFC 822-style control file, leniently: lines that are neither fields,
/// continuations nor comments are ignored.
pub(super) fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut cur: Option<Paragraph> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if line.trim().is_empty() {
            if let Some(p) = cur.take()
                && !p.fields.is_empty()
            {
                out.push(p);
            }
            continue;
        }
        let para = cur.get_or_insert_with(|| Paragraph {
            first_line: n,
            fields: Vec::new(),
        });
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(f) = para.fields.last_mut() {
                f.value.push(' ');
                f.value.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let valid = !name.is_empty()
            && !name.starts_with('-')
            && name.bytes().all(|b| b.is_ascii_graphic());
        if valid {
            para.fields.push(Field {
                name,
                head: value.trim(),
                value: value.trim().to_string(),
                line: n,
            });
        }
    }
    if let Some(p) = cur
        && !p.fields.is_empty()
    {
        out.push(p);
    }
    out
}

/// The root of the file system image a dpkg database belongs to: `<root>/var/lib/dpkg/status`
/// or `<root>/var/lib/dpkg/status.d/<file>`.
fn dpkg_root(path: &Path) -> Option<PathBuf> {
    image_root(path, &["var", "lib", "dpkg", "status"]).or_else(|| {
        path.parent()
            .and_then(|d| image_root(d, &["var", "lib", "dpkg", "status.d"]))
    })
}

/// The packages apt marks `Auto-Installed: 1` in `<root>/var/lib/apt/extended_states`.
#[derive(Default)]
struct AutoInstalled {
    /// `(package, architecture)`.
    pairs: HashSet<(String, String)>,
    names: HashSet<String>,
}

impl AutoInstalled {
    /// apt records `Architecture: all` packages under the native architecture, so those are
    /// matched by name alone.
    fn is_auto(&self, name: &str, arch: &str) -> bool {
        if arch == "all" {
            self.names.contains(name)
        } else {
            self.pairs.contains(&(name.to_string(), arch.to_string()))
        }
    }
}

/// apt's automatically installed packages, or `None` when `extended_states` is absent.
fn apt_manual(root: &Path) -> Option<AutoInstalled> {
    let text = std::fs::read_to_string(root.join("var/lib/apt/extended_states")).ok()?;
    let mut auto = AutoInstalled::default();
    for p in paragraphs(&text) {
        let value = |k: &str| p.get(k).map(|f| f.value.trim().to_string());
        if value("auto-installed").as_deref() == Some("1")
            && let Some(name) = value("package")
        {
            auto.names.insert(name.clone());
            auto.pairs
                .insert((name, value("architecture").unwrap_or_default()));
        }
    }
    Some(auto)
}

/// The directory above `path` when `path` ends with the components `suffix`.
pub(super) fn image_root(path: &Path, suffix: &[&str]) -> Option<PathBuf> {
    let mut p = path;
    for want in suffix.iter().rev() {
        if p.file_name()? != *want {
            return None;
        }
        p = p.parent()?;
    }
    Some(p.to_path_buf())
}

/// What `os-release` says about a file system image.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct OsRelease {
    /// `ID`, lower case (`debian`, `ubuntu`, `alpine`, `wolfi`).
    pub id: String,
    pub id_like: String,
    pub version_id: String,
    pub codename: String,
}

impl OsRelease {
    /// Whether `ID` is `id` or `ID_LIKE` names it.
    pub fn is_like(&self, id: &str) -> bool {
        self.id == id || self.id_like.split_whitespace().any(|w| w == id)
    }

    /// The purl `distro` qualifier: `debian-12`, `ubuntu-22.04`, `debian-trixie`.
    pub fn distro(&self) -> Option<String> {
        if self.id.is_empty() {
            return None;
        }
        let version = if self.version_id.is_empty() {
            &self.codename
        } else {
            &self.version_id
        };
        (!version.is_empty()).then(|| format!("{}-{}", self.id, version))
    }

    pub fn parse(text: &str) -> OsRelease {
        let mut os = OsRelease::default();
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once('=') else {
                continue;
            };
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value)
                .replace('\\', "");
            match key.trim() {
                "ID" => os.id = value.to_ascii_lowercase(),
                "ID_LIKE" => os.id_like = value.to_ascii_lowercase(),
                "VERSION_ID" => os.version_id = value,
                "VERSION_CODENAME" => os.codename = value,
                _ => {}
            }
        }
        os
    }
}

/// `<root>/etc/os-release`, or `<root>/usr/lib/os-release`, when one can be read.
pub(super) fn os_release(root: &Path) -> Option<OsRelease> {
    ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|p| std::fs::read_to_string(root.join(p)).ok())
        .map(|t| OsRelease::parse(&t))
}

/// A purl with a namespace and qualifiers, which [`Ecosystem::purl`] does not write: the
/// model builds `pkg:type/name@version` (and its encoding), and this inserts the namespace and
/// appends the non-empty qualifiers, sorted by key as purl's canonical form has them.
pub(super) fn purl_with(
    eco: &Ecosystem,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let base = eco.purl(name, Some(version));
    let prefix = format!("pkg:{}/", eco.purl_type());
    let mut out = match (namespace, base.strip_prefix(&prefix)) {
        (Some(ns), Some(rest)) if !ns.is_empty() => {
            format!("{prefix}{}/{rest}", encode(&ns.to_ascii_lowercase()))
        }
        _ => base,
    };
    let mut qs: Vec<&(&str, &str)> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    qs.sort();
    for (i, (k, v)) in qs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// Percent-encoding of a purl qualifier value or namespace segment: everything but ASCII
/// letters, digits and `-._~:`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::BTreeMap;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        DpkgStatus.extract(&SourceFile {
            display: "status".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/status"), text)
    }

    const STATUS: &str = "\
Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries.

Package: bsdutils
Status: install ok installed
Architecture: amd64
Source: util-linux (2.38.1-5+b1)
Version: 1:2.38.1-5+b1
Pre-Depends: libc6 (>= 2.34), libsystemd0
Depends: awk | mawk, default-mta
  | mail-transport-agent

Package: mawk
Status: install ok installed
Architecture: amd64
Version: 1.3.4.20200120-3.1
Provides: awk
Depends: libc6:any (>= 2.34)

Package: exim4
Status: install ok installed
Architecture: all
Version: 4.96-15
Provides: mail-transport-agent

Package: libgcc-s1
Status: deinstall ok config-files
Architecture: amd64
Version: 12.2.0-14

Package: gone
Status: purge ok not-installed
Architecture: amd64

Package: pending
Status: install ok triggers-pending
Architecture: amd64
Version: 1.0-1
";

    #[test]
    fn reads_source_names_versions_purls_lines_and_edges() {
        let ex = run(STATUS).unwrap();
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
                    "glibc",
                    "2.36-9+deb12u4",
                    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc",
                    Some(1)
                ),
                (
                    "util-linux",
                    "2.38.1-5+b1",
                    "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&upstream=util-linux%402.38.1-5%2Bb1",
                    Some(11)
                ),
                (
                    "mawk",
                    "1.3.4.20200120-3.1",
                    "pkg:deb/debian/mawk@1.3.4.20200120-3.1?arch=amd64",
                    Some(20)
                ),
                (
                    "exim4",
                    "4.96-15",
                    "pkg:deb/debian/exim4@4.96-15?arch=all",
                    Some(27)
                ),
                (
                    "pending",
                    "1.0-1",
                    "pkg:deb/debian/pending@1.0-1?arch=amd64",
                    Some(42)
                ),
            ]
        );
        let c = &ex.components;
        assert!(
            c.iter()
                .all(|c| c.ecosystem.as_str() == "Debian" && !c.direct)
        );
        // libgcc-s1 has only its configuration files left: no edge to it.
        assert!(c[0].dependencies.is_empty());
        // Pre-Depends count, a virtual name resolves to its provider, and a clause continued
        // on the next line (`default-mta | mail-transport-agent`) is read whole.
        assert_eq!(
            c[1].dependencies,
            [c[0].purl.as_str(), c[2].purl.as_str(), c[3].purl.as_str()]
        );
        // `libc6:any (>= 2.34)`: the architecture qualifier and the constraint are ignored.
        assert_eq!(c[2].dependencies, [c[0].purl.as_str()]);
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn reads_the_distribution_and_manual_packages_of_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
        std::fs::create_dir_all(root.join("var/lib/apt")).unwrap();
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(
            root.join("etc/os-release"),
            "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=jammy\n",
        )
        .unwrap();
        std::fs::write(
            root.join("var/lib/apt/extended_states"),
            "Package: mawk\nArchitecture: amd64\nAuto-Installed: 1\n\nPackage: exim4\nArchitecture: amd64\nAuto-Installed: 1\n\nPackage: libc6\nArchitecture: i386\nAuto-Installed: 1\n",
        )
        .unwrap();
        let ex = run_at(&root.join("var/lib/dpkg/status"), STATUS).unwrap();
        assert!(
            ex.components
                .iter()
                .all(|c| c.ecosystem.as_str() == "Ubuntu")
        );
        assert_eq!(
            ex.components[2].purl,
            "pkg:deb/ubuntu/mawk@1.3.4.20200120-3.1?arch=amd64&distro=ubuntu-22.04"
        );
        let direct: Vec<&str> = ex
            .components
            .iter()
            .filter(|c| c.direct)
            .map(|c| c.name.as_str())
            .collect();
        // exim4 (`all`) is matched by name; libc6 is automatic only for i386.
        assert_eq!(direct, ["glibc", "util-linux", "pending"]);

        // A distroless status.d file: no Status field, Debian testing without VERSION_ID.
        std::fs::create_dir_all(root.join("var/lib/dpkg/status.d")).unwrap();
        std::fs::write(
            root.join("etc/os-release"),
            "ID=debian\nVERSION_CODENAME=trixie\n",
        )
        .unwrap();
        let path = root.join("var/lib/dpkg/status.d/tzdata");
        let ex = run_at(
            &path,
            "Package: tzdata\nVersion: 2024a-1\nArchitecture: all\n",
        )
        .unwrap();
        assert_eq!(
            ex.components[0].purl,
            "pkg:deb/debian/tzdata@2024a-1?arch=all&distro=debian-trixie"
        );
        assert_eq!(ex.components[0].ecosystem.as_str(), "Debian");
    }

    #[test]
    fn applies_to_status_and_status_d_files() {
        for p in [
            "var/lib/dpkg/status",
            "/img/var/lib/dpkg/status.d/libc6",
            "dpkg/status",
        ] {
            assert!(DpkgStatus.applies_to(Path::new(p)), "{p}");
        }
        for p in [
            "var/lib/dpkg/status-old",
            "var/lib/dpkg/status.d/libc6.md5sums",
            "status",
            "src/status",
            "var/lib/dpkg/available",
        ] {
            assert!(!DpkgStatus.applies_to(Path::new(p)), "{p}");
        }
        assert_eq!(DpkgStatus.name(), "dpkg-status");
    }

    #[test]
    fn paragraphs_without_name_or_version_and_bad_values() {
        let ex = run("Package: a\nStatus: install ok installed\n\nStatus: install ok installed\nArchitecture: all\n\nnot a field\n# comment\n").unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "a");
        assert_eq!(ex.unresolved[0].line, Some(1));
        assert!(run("").unwrap().components.is_empty());

        let cases: &[(&str, u32)] = &[
            ("Package: a\nVersion: 1.0 2.0\n", 2),
            ("\nPackage: a b\nVersion: 1\n", 2),
            ("Package: a\nVersion: 1\nSource: src (1.0\n", 3),
            ("Package: a\nVersion: 1\nSource: src 1.0\n", 3),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "status");
        }
        // Not installed paragraphs are not checked.
        assert!(
            run("Package: a b\nStatus: deinstall ok config-files\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn purls_and_os_release() {
        let os =
            OsRelease::parse("ID='debian'\nVERSION_ID=\"12\"\n# c\nVERSION_CODENAME=bookworm\n");
        assert_eq!(os.distro().as_deref(), Some("debian-12"));
        assert!(os.is_like("debian") && !os.is_like("ubuntu"));
        assert_eq!(OsRelease::default().distro(), None);
        assert_eq!(
            purl_with(
                &Ecosystem::Other("Julia".into()),
                None,
                "JSON",
                "0.21.4",
                &[("uuid", "682c06a0-de6a-54ab-a142-c8b1cf79cde6")]
            ),
            "pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"
        );
        assert_eq!(
            purl_with(
                &Ecosystem::Other("Alpine".into()),
                Some("Alpine"),
                "a",
                "1-r0",
                &[("z", "x/y&z"), ("arch", ""), ("b", "é")]
            ),
            "pkg:apk/alpine/a@1-r0?b=%C3%A9&z=x%2Fy%26z"
        );
    }

    /// osv-scanner's dpkg status fixtures.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        // The peer reports a package without a version as a package with an empty version;
        // ossgate reports it unresolved (nothing can be matched without a version), so the
        // fixture's empty-version packages are compared by name with the unresolved list.
        const EXCEPTION: &str = "lockfiles/debian/osv-scanner-v1/dpkg/malformed_status";
        let (mut checked, mut excepted) = (0, 0);
        for r in peer_records(&root, |r| r["format"] == "osv-scanner-v1/dpkg") {
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
                assert_eq!(want_unresolved, ["bash"]);
                excepted += 1;
            }
            checked += 1;
        }
        assert_eq!((checked, excepted), (4, 1));
    }

    /// The status file of the machine running the tests, when it has one: every paragraph
    /// whose status is `installed` is a component, counted here by plain line matching.
    #[test]
    fn real_status_file_of_this_machine() {
        let path = Path::new("/var/lib/dpkg/status");
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: no {}", path.display());
            return;
        };
        let ex = run_at(path, &text).unwrap_or_else(|e| panic!("{e}"));
        let installed = text
            .split("\n\n")
            .filter(|p| {
                p.lines()
                    .any(|l| l.starts_with("Status: ") && l.ends_with(" installed"))
            })
            .count();
        assert!(installed > 0);
        assert_eq!(ex.components.len(), installed);
        assert!(ex.unresolved.is_empty());
        // Every component sits on its `Package:` line, and most have edges.
        let lines: Vec<&str> = text.lines().collect();
        for c in &ex.components {
            let l = c.locations[0].line.unwrap() as usize;
            assert!(lines[l - 1].starts_with("Package: "), "{}", c.purl);
        }
        let with_edges = ex
            .components
            .iter()
            .filter(|c| !c.dependencies.is_empty())
            .count();
        assert!(with_edges * 2 > ex.components.len(), "{with_edges}");
        // The machine's os-release names the distribution.
        if let Some(distro) = os_release(Path::new("/")).and_then(|os| os.distro()) {
            assert!(
                ex.components
                    .iter()
                    .all(|c| c.purl.contains(&format!("distro={distro}"))),
                "{distro}"
            );
        }
    }
}
