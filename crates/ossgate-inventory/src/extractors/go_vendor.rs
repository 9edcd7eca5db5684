//! Go's `vendor/modules.txt`, written by `go mod vendor`.
//!
//! ```text
//! # golang.org/x/net v0.5.6 => example.com/fork/net v1.4.5
//! ## explicit; go 1.20
//! example.com/fork/net/http2
//! ```
//!
//! A `# path version` line opens a module, `## explicit` (with `; go 1.x` after it) marks a module
//! the main module's go.mod requires itself (direct), and the plain lines after it are the
//! packages vendored from that module. `=>` gives the module's replacement: another module
//! (`=> path version`, reported under the replacement, as the code comes from there), or a local
//! directory (`=> ./dir`, `../dir`, `/abs`).
//!
//! - Only modules with at least one vendored package are in the build; a module line followed
//!   by no package (`## explicit` requirements nothing imports) contributes no code and is not
//!   read at all.
//! - A vendored module without a version, with a version that is not a Go module version
//!   (`v1.2.3`, pre-release, pseudo-version, `+incompatible`), with a major version its path
//!   does not allow (`example.com/m/v2` needs `v2.x.y`; a path without suffix needs `v0`/`v1` or
//!   `+incompatible`; `gopkg.in/x.v3` needs `v3`), with a malformed replacement, or replaced by
//!   a local directory (not a published module anyone can publish an advisory for, as go.mod's
//!   extractor treats it) is reported unresolved.
//! - Versions keep Go's `v` prefix, as the go.mod extractor writes them. A module listed twice
//!   is one component with both lines. The file records no edges.
//!
//! go.mod in the directory above gives the same modules (and the walker skips `vendor/` unless
//! asked), so the file is superseded by it.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::HashMap;
use std::path::Path;

pub struct GoVendor;

impl Extractor for GoVendor {
    fn name(&self) -> &'static str {
        "go-vendor-modules"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "modules.txt" && path.parent().map(file_name) == Some("vendor")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for m in modules(file.text) {
            if !m.has_packages {
                continue;
            }
            match m.resolve() {
                Ok((name, version)) => match index.get(&(name.to_string(), version.to_string())) {
                    Some(&i) => {
                        let c = &mut out.components[i];
                        c.direct |= m.explicit;
                        c.locations.push(loc(&file.display, Some(m.line)));
                    }
                    None => {
                        let mut c = Component::new(Ecosystem::Go, name, version);
                        c.direct = m.explicit;
                        c.locations.push(loc(&file.display, Some(m.line)));
                        index.insert(
                            (name.to_string(), version.to_string()),
                            out.components.len(),
                        );
                        out.components.push(c);
                    }
                },
                Err(reason) => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(m.line),
                    text: m.text.to_string(),
                    reason,
                }),
            }
        }
        Ok(out)
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["go.mod"]
    }
}

/// One `# ...` module line and what follows it.
struct Module<'a> {
    /// The text after `# `.
    text: &'a str,
    line: u32,
    explicit: bool,
    has_packages: bool,
}

fn modules(text: &str) -> Vec<Module<'_>> {
    let mut out: Vec<Module> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("## ") {
            if let Some(m) = out.last_mut() {
                m.explicit |= rest.split(';').any(|a| a.trim() == "explicit");
            }
        } else if let Some(rest) = line.strip_prefix("# ") {
            out.push(Module {
                text: rest.trim(),
                line: i as u32 + 1,
                explicit: false,
                has_packages: false,
            });
        } else if !line.is_empty()
            && !line.starts_with('#')
            && let Some(m) = out.last_mut()
        {
            m.has_packages = true;
        }
    }
    out
}

impl<'a> Module<'a> {
    /// The module the vendored code comes from, or why it cannot be named.
    fn resolve(&self) -> Result<(&'a str, &'a str), String> {
        let tokens: Vec<&str> = self.text.split_whitespace().collect();
        let (left, right) = match tokens.iter().position(|t| *t == "=>") {
            Some(p) => {
                let (left, right) = tokens.split_at(p);
                (left, Some(right.get(1..).unwrap_or_default()))
            }
            None => (tokens.as_slice(), None),
        };
        match (left, right) {
            ([path, version], None) => checked(path, version),
            ([_], None) => Err("module without a version".into()),
            ([_, ..], Some([target])) if is_local(target) => Err(format!(
                "replaced by the local directory `{target}`, not a published module"
            )),
            ([_] | [_, _], Some([path, version])) => checked(path, version),
            _ => Err("malformed module line".into()),
        }
    }
}

fn checked<'a>(path: &'a str, version: &'a str) -> Result<(&'a str, &'a str), String> {
    let Some(major) = version_major(version) else {
        return Err(format!("`{version}` is not a Go module version"));
    };
    if !major_allowed(path, major, version.ends_with("+incompatible")) {
        return Err(format!(
            "version `{version}` does not match the major version of module path `{path}`"
        ));
    }
    Ok((path, version))
}

/// A replacement that is a directory rather than a module path.
fn is_local(target: &str) -> bool {
    target == "."
        || target == ".."
        || target.starts_with("./")
        || target.starts_with("../")
        || target.starts_with('/')
        || target.starts_with(".\\")
        || target.starts_with("..\\")
        || target.get(1..3) == Some(":\\")
}

/// The major version of a Go module version (`v1.2.3`, `v0.0.0-2023...-abcdef`,
/// `v2.0.0+incompatible`), or `None` when it is not one.
fn version_major(v: &str) -> Option<u64> {
    let rest = v.strip_prefix('v')?;
    let (rest, build) = match rest.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (rest, None),
    };
    if build.is_some_and(|b| b != "incompatible") {
        return None;
    }
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    if numbers.len() != 3 {
        return None;
    }
    for n in &numbers {
        let ok = !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'));
        if !ok {
            return None;
        }
    }
    if let Some(pre) = pre {
        let ok = pre
            .split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !ok {
            return None;
        }
    }
    numbers.first()?.parse().ok()
}

/// Whether a module path allows a major version: `/vN` suffixes need `vN`, `gopkg.in/x.vN`
/// needs `vN` (`v0` or `v1` for `.v0`/`.v1`), and paths without a suffix `v0`, `v1` or a
/// `+incompatible` version.
fn major_allowed(path: &str, major: u64, incompatible: bool) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    if path.starts_with("gopkg.in/") {
        let Some(n) = last
            .rsplit_once(".v")
            .map(|(_, n)| n.trim_end_matches("-unstable"))
            .and_then(|n| n.parse::<u64>().ok())
        else {
            return false;
        };
        return !incompatible && (n == major || (n <= 1 && major <= 1));
    }
    let suffix = last
        .strip_prefix('v')
        .filter(|n| !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| *n >= 2 && path.contains('/'));
    match suffix {
        Some(n) => n == major && !incompatible,
        None => major <= 1 || incompatible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        GoVendor.extract(&SourceFile {
            display: "vendor/modules.txt".into(),
            path: Path::new("vendor/modules.txt"),
            text,
        })
    }

    const MODULES: &str = "\
# github.com/pkg/errors v0.9.1
## explicit
github.com/pkg/errors
# golang.org/x/sys v0.0.0-20220722155257-8c9f86f7a55f
## explicit; go 1.17
golang.org/x/sys/unix
golang.org/x/sys/windows
# gopkg.in/yaml.v3 v3.0.1
gopkg.in/yaml.v3
# github.com/docker/docker v24.0.7+incompatible
## explicit
github.com/docker/docker/api
# github.com/old/lib v1.0.0 => github.com/new/lib/v2 v2.1.0-rc.1
## explicit; go 1.21
github.com/new/lib/v2
# example.com/local v1.0.0 => ../local
## explicit
example.com/local
# example.com/unused v1.5.0
## explicit; go 1.20
# github.com/pkg/errors v0.9.1
github.com/pkg/errors/internal
";

    #[test]
    fn reads_versions_direct_replacements_and_lines() {
        let ex = run(MODULES).unwrap();
        let got: Vec<(&str, bool, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.direct,
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:golang/github.com/pkg/errors@v0.9.1",
                    true,
                    vec![Some(1), Some(21)]
                ),
                (
                    "pkg:golang/golang.org/x/sys@v0.0.0-20220722155257-8c9f86f7a55f",
                    true,
                    vec![Some(4)]
                ),
                ("pkg:golang/gopkg.in/yaml.v3@v3.0.1", false, vec![Some(8)]),
                (
                    "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible",
                    true,
                    vec![Some(10)]
                ),
                (
                    "pkg:golang/github.com/new/lib/v2@v2.1.0-rc.1",
                    true,
                    vec![Some(13)]
                ),
            ]
        );
        assert_eq!(ex.components[4].name, "github.com/new/lib/v2");
        assert_eq!(ex.components[4].version, "v2.1.0-rc.1");
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].line, Some(16));
        assert!(ex.unresolved[0].reason.contains("../local"));
    }

    #[test]
    fn versions_and_major_suffixes() {
        for v in [
            "v1.2.3",
            "v0.0.0-20220722155257-8c9f86f7a55f",
            "v2.0.0+incompatible",
            "v1.0.0-rc.1",
        ] {
            assert!(version_major(v).is_some(), "{v}");
        }
        for v in [
            "1.2.3",
            "v1.2",
            "v01.2.3",
            "v1.2.3+meta",
            "v1.2.3-",
            "nope",
            "v",
            "v1..2",
        ] {
            assert!(version_major(v).is_none(), "{v}");
        }
        assert!(major_allowed("example.com/m", 1, false));
        assert!(!major_allowed("example.com/m", 2, false));
        assert!(major_allowed("example.com/m", 2, true));
        assert!(major_allowed("example.com/m/v2", 2, false));
        assert!(!major_allowed("example.com/m/v2", 1, false));
        assert!(!major_allowed("example.com/m/v2", 2, true));
        assert!(major_allowed("example.com/m/v1", 1, false));
        assert!(major_allowed("gopkg.in/yaml.v2", 2, false));
        assert!(!major_allowed("gopkg.in/yaml.v2", 3, false));
        assert!(major_allowed("gopkg.in/check.v1", 0, false));
        assert!(!major_allowed("gopkg.in/yaml", 1, false));
    }

    #[test]
    fn unresolved_modules_and_odd_lines() {
        let text = "\
github.com/before/any/header
## explicit
# a.example/noversion
a.example/noversion
# a.example/bad nope
a.example/bad
# a.example/m/v3 v2.0.0
a.example/m/v3
# a.example/r v1.0.0 => not a path
a.example/r
# a.example/w => b.example/w v0.2.0
b.example/w
#comment line
# a.example/unused
";
        let ex = run(text).unwrap();
        assert_eq!(packages(&ex.components).len(), 1);
        assert_eq!(ex.components[0].name, "b.example/w");
        assert!(!ex.components[0].direct);
        let lines: Vec<Option<u32>> = ex.unresolved.iter().map(|u| u.line).collect();
        assert_eq!(lines, [Some(3), Some(5), Some(7), Some(9)]);
        assert!(run("").unwrap().components.is_empty());
        assert!(GoVendor.applies_to(Path::new("x/vendor/modules.txt")));
        assert!(!GoVendor.applies_to(Path::new("x/modules.txt")));
        assert_eq!(GoVendor.superseded_by(), ["go.mod"]);
    }

    /// osv-scalibr drops Go's `v` prefix from module versions; ossgate keeps it as written.
    fn peer_version(v: &str) -> &str {
        v.strip_prefix('v').unwrap_or(v)
    }

    /// Peer expectations not met, as (fixture, name, version): osv-scalibr reports a module
    /// replaced by a local directory under the module's own path and version, but the vendored
    /// code is the directory's, not that published version; ossgate reports it unresolved, as
    /// its go.mod extractor leaves local replacements out.
    const PEER_EXCEPTIONS: &[(&str, &str, &str)] = &[(
        "lockfiles/go/vendor-modules-txt/valid/vendor/modules.txt",
        "example.com/local",
        "1.0.0",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut hit) = (0, 0);
        for r in peer_records(&root, |r| r["format"] == "vendor-modules-txt") {
            let fixture = fixture(&r);
            assert!(r.get("expect_error").is_none(), "{fixture}");
            let ex = run(&fixture_text(&root, &r)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut got: Vec<(String, String)> = ex
                .components
                .iter()
                .map(|c| (c.name.clone(), peer_version(&c.version).to_string()))
                .collect();
            let mut want = Vec::new();
            for e in &expected(&root, &r) {
                let (name, version) = name_version(e);
                if PEER_EXCEPTIONS.contains(&(fixture, name.as_str(), version.as_str())) {
                    assert!(ex.unresolved.iter().any(|u| u.text.starts_with(&name)));
                    hit += 1;
                    continue;
                }
                // The peer's line is the component's first line.
                if let Some(line) = e["location"]["line"].as_u64() {
                    let c = ex.components.iter().find(|c| c.name == name).unwrap();
                    assert_eq!(c.locations[0].line, Some(line as u32), "{fixture}: {name}");
                }
                want.push((name, version));
            }
            got.sort();
            want.sort();
            assert_eq!(got, want, "{fixture}");
            checked += 1;
        }
        assert_eq!((checked, hit), (2, PEER_EXCEPTIONS.len()));
    }
}
