//! Yarn `yarn.lock`: classic v1 and Berry (v2 and later).
//!
//! Both are an indentation format with one top-level entry per resolved package. The header lists
//! the descriptors (`name@range`) that resolved to it; the body holds its fields:
//!
//! ```text
//! "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":     # v1
//!   version "7.12.11"
//!   resolved "https://registry.yarnpkg.com/..."
//!   dependencies:
//!     "@babel/highlight" "^7.10.4"
//!
//! "debug@npm:4, debug@npm:^4.1.0":                               # Berry
//!   version: 4.3.3
//!   resolution: "debug@npm:4.3.3"
//!   dependencies:
//!     ms: 2.1.2
//!   linkType: hard
//! ```
//!
//! A small hand parser reads both. The project's own packages (Berry `__metadata`, workspaces,
//! `link:`/`portal:` entries with `linkType: soft`, versions `0.0.0-use.local`) are left out.
//! Packages from git, file or tarball sources are kept, with the version their package.json
//! declares, as osv-scalibr reports them. Direct dependencies are those the sibling package.json
//! (and, for Berry, each workspace entry) declares.
//!
//! Hashes: a classic entry's `integrity` (SRI, `sha512-<base64>` or `sha1-<base64>`) and the
//! `#<sha1 hex>` fragment yarn classic appends to a registry tarball's `resolved` URL are digests
//! of the npm tarball, kept as the component's `hashes`. The fragment of a git URL (or of any
//! URL that is not a `.tgz` tarball) is a commit id, not a digest, and is not read. Berry's
//! `checksum: 10c0/<hex>` is deliberately not read: the part after the cache key (`10c0/`,
//! `8/`...) is a SHA-512 of the zip archive Yarn builds for its own cache, not of the package
//! tarball the registry serves, so it would not match any published digest. A malformed
//! digest is left out without failing the file.

use super::file_name;
use super::npm_lock::{package_json_deps, push_hash, sri_hashes};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub struct YarnLock;

impl Extractor for YarnLock {
    fn name(&self) -> &'static str {
        "yarn-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "yarn.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let entries = parse(file.text)
            .map_err(|(line, msg)| ExtractError::new(&file.display, Some(line), msg))?;
        let declared = package_json_deps(file.path);
        Ok(build(file, &entries, &declared))
    }
}

/// One top-level entry of the lock file.
#[derive(Debug, Default)]
struct Entry {
    /// 1-based line of the header.
    line: u32,
    /// The descriptors of the header (`name@range`), unquoted.
    descriptors: Vec<String>,
    /// Scalar fields directly under the entry (`version`, `resolution`, `linkType`, ...).
    fields: HashMap<String, String>,
    /// `(name, range)` pairs of the `dependencies` and `optionalDependencies` blocks.
    deps: Vec<(String, String)>,
}

impl Entry {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }
}

/// Reads the entries of a lock file; an error is a 1-based line and a message.
fn parse(text: &str) -> Result<Vec<Entry>, (u32, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    let mut field_indent: Option<usize> = None;
    let mut block: Option<String> = None;
    let mut child_indent: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let lineno = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 {
            entries.extend(current.take());
            let Some(header) = content.strip_suffix(':') else {
                return Err((
                    lineno,
                    "expected an entry header ending in `:` (is this a yarn.lock?)".into(),
                ));
            };
            let descriptors = split_header(header).map_err(|m| (lineno, m))?;
            if descriptors.is_empty() {
                return Err((lineno, "entry header names no package".into()));
            }
            current = Some(Entry {
                line: lineno,
                descriptors,
                ..Entry::default()
            });
            field_indent = None;
            block = None;
            child_indent = None;
            continue;
        }
        let Some(entry) = current.as_mut() else {
            return Err((lineno, "indented line before the first entry header".into()));
        };
        let fi = *field_indent.get_or_insert(indent);
        if indent < fi {
            return Err((lineno, "inconsistent indentation".into()));
        }
        if indent == fi {
            let (key, value) = split_field(content).map_err(|m| (lineno, m))?;
            match value {
                None => {
                    block = Some(key);
                    child_indent = None;
                }
                Some(value) => {
                    block = None;
                    entry.fields.entry(key).or_insert(value);
                }
            }
            continue;
        }
        // Inside a block: only its direct children matter (deeper levels are e.g. the
        // `optional: true` of `peerDependenciesMeta`).
        let Some(b) = block.as_deref() else { continue };
        if *child_indent.get_or_insert(indent) != indent {
            continue;
        }
        if matches!(b, "dependencies" | "optionalDependencies") {
            let (name, range) = split_field(content).map_err(|m| (lineno, m))?;
            if let Some(range) = range {
                entry.deps.push((name, range));
            }
        }
    }
    entries.extend(current);
    Ok(entries)
}

/// Reads a double-quoted string at the start of `s`: its value and the byte length it took.
fn unquote(s: &str) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    chars.next(); // the opening quote
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, i + 1)),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err("unterminated quoted string".into())
}

/// The descriptors of a header (without its final `:`): a comma-separated list of plain or
/// quoted items; Berry quotes the whole list as one string, split again on `, `.
fn split_header(header: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = header.trim_start();
    while !rest.is_empty() {
        let item;
        if rest.starts_with('"') {
            let (value, len) = unquote(rest)?;
            item = value;
            rest = rest[len..].trim_start();
            if !rest.is_empty() {
                rest = rest
                    .strip_prefix(',')
                    .ok_or_else(|| "expected `,` between descriptors".to_string())?
                    .trim_start();
            }
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            item = rest[..end].trim().to_string();
            rest = rest.get(end + 1..).unwrap_or("").trim_start();
        }
        out.extend(
            item.split(", ")
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        );
    }
    Ok(out)
}

/// A field line: `key value` (v1), `key: value` (Berry), or `key:` opening a block (value `None`).
/// Keys and values may be double-quoted.
fn split_field(content: &str) -> Result<(String, Option<String>), String> {
    let (key, rest) = if content.starts_with('"') {
        let (key, len) = unquote(content)?;
        (key, &content[len..])
    } else {
        let end = content
            .find(|c: char| c.is_whitespace() || c == ':')
            .unwrap_or(content.len());
        (content[..end].to_string(), &content[end..])
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    if rest.is_empty() {
        return Ok((key, None));
    }
    if rest.starts_with('"') {
        let (value, _) = unquote(rest)?;
        Ok((key, Some(value)))
    } else {
        Ok((key, Some(rest.to_string())))
    }
}

/// Splits a descriptor or locator `name@range` at the `@` after the name (a scoped name's own
/// `@` comes first). No `@` means a bare name.
fn split_descriptor(d: &str) -> (&str, &str) {
    match d.get(1..).and_then(|s| s.find('@')) {
        Some(i) => (&d[..i + 1], &d[i + 2..]),
        None => (d, ""),
    }
}

/// The name a descriptor is known by in its parent, and the real package name (different for an
/// alias, `alias@npm:real@^1`).
fn names_of(descriptor: &str) -> (&str, &str) {
    let (name, range) = split_descriptor(descriptor);
    if let Some(target) = range.strip_prefix("npm:") {
        let (real, real_range) = split_descriptor(target);
        if !real_range.is_empty() || target.starts_with('@') {
            return (name, real);
        }
    }
    (name, name)
}

/// Whether an entry is the project's own code rather than a package: Berry workspaces and
/// `link:`/`portal:` entries (`linkType: soft`), or a patch applied to a workspace.
fn is_own(entry: &Entry) -> bool {
    if entry.field("linkType") == Some("soft") {
        return true;
    }
    if entry
        .field("version")
        .is_some_and(|v| v.starts_with("0.0.0-use.local"))
    {
        return true;
    }
    let Some(resolution) = entry.field("resolution") else {
        return false;
    };
    let (_, range) = split_descriptor(resolution);
    ["workspace:", "link:", "portal:"]
        .iter()
        .any(|p| range.starts_with(p))
        || (range.starts_with("patch:")
            && (range.contains("@workspace:") || range.contains("@workspace%3A")))
}

/// The tarball digests a classic entry records: its `integrity`, and the SHA-1 in the
/// fragment of a `resolved` tarball URL. (Berry's `checksum` is not one: see the module doc.)
fn add_hashes(entry: &Entry, out: &mut Vec<Hash>) {
    if let Some(integrity) = entry.field("integrity") {
        sri_hashes(integrity, out);
    }
    if let Some(h) = entry.field("resolved").and_then(resolved_sha1) {
        push_hash(out, h);
    }
}

/// The SHA-1 yarn classic appends to a tarball URL (`https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#<sha1>`).
/// Git sources (`git+https://...#<commit>`, `https://github.com/o/r#<commit>`) put a commit id
/// there instead, so only an http(s) URL whose path names a `.tgz`/`.tar.gz` file counts.
fn resolved_sha1(resolved: &str) -> Option<Hash> {
    let (url, fragment) = resolved.rsplit_once('#')?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    let path = url.split_once('?').map_or(url, |(p, _)| p);
    if !(path.ends_with(".tgz") || path.ends_with(".tar.gz")) {
        return None;
    }
    Hash::from_hex(HashAlg::Sha1, fragment)
}

fn build(file: &SourceFile, entries: &[Entry], declared: &[(String, String)]) -> Extracted {
    let mut out = Extracted::default();
    // descriptor -> index in out.components
    let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
    // purl -> index in out.components: one component per (name, version), e.g. a patched
    // package and its original.
    let mut by_purl: HashMap<String, usize> = HashMap::new();
    // alias name (as parents and package.json say it) -> components
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    // (component, entry) pairs, for the edges
    let mut kept: Vec<(usize, &Entry)> = Vec::new();
    // dependencies declared by Berry workspace entries
    let mut workspace_deps: Vec<(&str, &str)> = Vec::new();

    for entry in entries {
        let first = entry.descriptors[0].as_str();
        if first == "__metadata" {
            continue;
        }
        if is_own(entry) {
            workspace_deps.extend(entry.deps.iter().map(|(n, r)| (n.as_str(), r.as_str())));
            continue;
        }
        let version = entry.field("version").map(str::trim).unwrap_or("");
        if version.is_empty() {
            out.unresolved.push(Unresolved {
                file: file.display.clone(),
                line: Some(entry.line),
                text: entry.descriptors.join(", "),
                reason: "yarn.lock entry without a version".into(),
            });
            continue;
        }
        let (alias, real) = names_of(first);
        let name = match entry.field("resolution") {
            Some(r) => split_descriptor(r).0,
            None => real,
        };
        let purl = Ecosystem::Npm.purl(name, Some(version));
        let idx = match by_purl.get(&purl) {
            Some(&i) => {
                out.components[i]
                    .locations
                    .push(loc(&file.display, Some(entry.line)));
                i
            }
            None => {
                let mut c = Component::with_purl(
                    Ecosystem::Npm,
                    name.to_string(),
                    version.to_string(),
                    purl.clone(),
                );
                c.locations.push(loc(&file.display, Some(entry.line)));
                out.components.push(c);
                by_purl.insert(purl, out.components.len() - 1);
                out.components.len() - 1
            }
        };
        add_hashes(entry, &mut out.components[idx].hashes);
        for d in &entry.descriptors {
            by_descriptor.insert(d.as_str(), idx);
            // Berry qualifies some descriptors with the workspace that asked for them.
            if let Some(pos) = d.find("::") {
                by_descriptor.entry(&d[..pos]).or_insert(idx);
            }
        }
        let names = by_name.entry(alias).or_default();
        if !names.contains(&idx) {
            names.push(idx);
        }
        kept.push((idx, entry));
    }

    let lookup = |name: &str, range: &str| -> Option<usize> {
        by_descriptor
            .get(format!("{name}@{range}").as_str())
            .or_else(|| by_descriptor.get(format!("{name}@npm:{range}").as_str()))
            .copied()
    };

    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); out.components.len()];
    for (idx, entry) in &kept {
        for (name, range) in &entry.deps {
            // A `resolutions` override in package.json makes yarn resolve a dependency to an
            // entry other than its own descriptor's; then the only entry of that name will do.
            let target = lookup(name, range).or_else(|| match by_name.get(name.as_str()) {
                Some(only) if only.len() == 1 => Some(only[0]),
                _ => None,
            });
            if let Some(target) = target
                && target != *idx
            {
                edges[*idx].insert(target);
            }
        }
    }
    for (idx, targets) in edges.into_iter().enumerate() {
        let mut purls: Vec<String> = targets
            .into_iter()
            .map(|t| out.components[t].purl.clone())
            .collect();
        purls.sort();
        out.components[idx].dependencies = purls;
    }

    for (name, range) in workspace_deps {
        if let Some(i) = lookup(name, range) {
            out.components[i].direct = true;
        }
    }
    for (name, range) in declared {
        match lookup(name, range) {
            Some(i) => out.components[i].direct = true,
            None => {
                for &i in by_name.get(name.as_str()).into_iter().flatten() {
                    out.components[i].direct = true;
                }
            }
        }
    }
    for c in &mut out.components {
        c.locations.sort();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use serde_json::Value;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        YarnLock.extract(&SourceFile {
            display: "yarn.lock".into(),
            path: Path::new("/nonexistent/yarn.lock"),
            text,
        })
    }

    fn summary(ex: &Extracted) -> Vec<(String, Option<u32>, Vec<String>)> {
        let mut v: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.clone(), c.locations[0].line, c.dependencies.clone()))
            .collect();
        v.sort();
        v
    }

    const V1: &str = r#"# yarn lockfile v1 (no autogenerated banner)

"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.11"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.11.tgz"
  integrity sha512-abc==
  dependencies:
    "@babel/highlight" "^7.10.4"
    js-tokens "^4.0.0"
  optionalDependencies:
    fsevents "~2.3.2"

"@babel/highlight@^7.10.4":
  version "7.10.4"

js-tokens@^4.0.0, js-tokens@^4:
  version "4.0.0"

fsevents@~2.3.2:
  version "2.3.3"

"string-width-cjs@npm:string-width@^4.2.0", string-width@^4.2.0:
  version "4.2.3"

"mine@git+https://github.com/me/mine.git#abc":
  version "1.0.0"
  resolved "git+https://github.com/me/mine.git#abcdef"

broken@^1:
  resolved "https://example.com/broken.tgz"
"#;

    #[test]
    fn v1_entries_edges_aliases_and_lines() {
        let ex = run(V1).unwrap();
        assert_eq!(
            summary(&ex),
            [
                (
                    "pkg:npm/%40babel/code-frame@7.12.11".to_string(),
                    Some(3),
                    vec![
                        "pkg:npm/%40babel/highlight@7.10.4".to_string(),
                        "pkg:npm/fsevents@2.3.3".to_string(),
                        "pkg:npm/js-tokens@4.0.0".to_string(),
                    ]
                ),
                ("pkg:npm/%40babel/highlight@7.10.4".into(), Some(13), vec![]),
                ("pkg:npm/fsevents@2.3.3".into(), Some(19), vec![]),
                ("pkg:npm/js-tokens@4.0.0".into(), Some(16), vec![]),
                ("pkg:npm/mine@1.0.0".into(), Some(25), vec![]),
                ("pkg:npm/string-width@4.2.3".into(), Some(22), vec![]),
            ]
        );
        assert!(ex.components.iter().all(|c| !c.direct));
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].line, Some(29));
    }

    const BERRY: &str = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    debug: "npm:^4.1.0"
    lib: "workspace:packages/lib"
  languageName: unknown
  linkType: soft

"lib@workspace:packages/lib":
  version: 0.0.0-use.local
  resolution: "lib@workspace:packages/lib"
  dependencies:
    wrap-cjs: "npm:wrap-ansi@^7.0.0"
    resolve: "patch:resolve@npm%3A^1.22.1#optional!builtin<compat/resolve>"
  languageName: unknown
  linkType: soft

"debug@npm:4, debug@npm:^4.1.0":
  version: 4.3.3
  resolution: "debug@npm:4.3.3"
  dependencies:
    ms: 2.1.2
  peerDependenciesMeta:
    supports-color:
      optional: true
  checksum: 10c0/abc
  languageName: node
  linkType: hard

"ms@npm:2.1.2":
  "version": 2.1.2
  "resolution": "ms@npm:2.1.2"
  "linkType": "hard"

"wrap-cjs@npm:wrap-ansi@^7.0.0":
  version: 7.0.0
  resolution: "wrap-ansi@npm:7.0.0"
  linkType: hard

"resolve@npm:^1.22.1":
  version: 1.22.8
  resolution: "resolve@npm:1.22.8"
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.1#optional!builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
  linkType: hard

"tool@link:./tools/tool::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "tool@link:./tools/tool::locator=app%40workspace%3A."
  languageName: node
  linkType: soft

"local@file:./local::locator=app%40workspace%3A.":
  version: 1.0.0
  resolution: "local@file:./local#./local::hash=1&locator=app%40workspace%3A."
  linkType: hard
"#;

    #[test]
    fn berry_entries_workspaces_patches_and_direct() {
        let ex = run(BERRY).unwrap();
        assert_eq!(
            summary(&ex),
            [
                (
                    "pkg:npm/debug@4.3.3".to_string(),
                    Some(25),
                    vec!["pkg:npm/ms@2.1.2".to_string()]
                ),
                ("pkg:npm/local@1.0.0".into(), Some(63), vec![]),
                ("pkg:npm/ms@2.1.2".into(), Some(37), vec![]),
                ("pkg:npm/resolve@1.22.8".into(), Some(47), vec![]),
                ("pkg:npm/wrap-ansi@7.0.0".into(), Some(42), vec![]),
            ]
        );
        let resolve = ex.components.iter().find(|c| c.name == "resolve").unwrap();
        assert_eq!(
            resolve.locations.iter().map(|l| l.line).collect::<Vec<_>>(),
            [Some(47), Some(52)]
        );
        // Workspace entries declare the direct dependencies.
        let direct: Vec<&str> = ex
            .components
            .iter()
            .filter(|c| c.direct)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(direct, ["debug", "wrap-ansi", "resolve"]);
    }

    #[test]
    fn direct_from_package_json() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"dependencies": {"js-tokens": "^4"}, "devDependencies": {"string-width-cjs": "npm:string-width@^4.2.0"},
               "peerDependencies": {"fsevents": "*"}}"#,
        )
        .unwrap();
        let path = dir.path().join("yarn.lock");
        let ex = YarnLock
            .extract(&SourceFile {
                display: "yarn.lock".into(),
                path: &path,
                text: V1,
            })
            .unwrap();
        let mut direct: Vec<&str> = ex
            .components
            .iter()
            .filter(|c| c.direct)
            .map(|c| c.name.as_str())
            .collect();
        direct.sort();
        // fsevents: `*` is not a locked descriptor, so the name decides.
        assert_eq!(direct, ["fsevents", "js-tokens", "string-width"]);
    }

    #[test]
    fn edge_falls_back_to_the_only_entry_of_a_name() {
        // package.json `resolutions` can send `lodash: "npm:4.17.20"` to another descriptor.
        let ex = run(r#"
"a@npm:^1":
  version: 1.0.0
  resolution: "a@npm:1.0.0"
  dependencies:
    lodash: "npm:4.17.20"
    ms: "npm:^2"

"lodash@npm:^4.17.21":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"

"ms@npm:2.0.0":
  version: 2.0.0
  resolution: "ms@npm:2.0.0"

"ms@npm:2.1.3":
  version: 2.1.3
  resolution: "ms@npm:2.1.3"
"#)
        .unwrap();
        // Two `ms` entries: no guess.
        assert_eq!(ex.components[0].dependencies, ["pkg:npm/lodash@4.17.21"]);
    }

    #[test]
    fn hashes_from_integrity_and_resolved_but_not_berry_checksums() {
        use crate::extractors::npm_lock::tests::{SHA1_B64, SHA1_HEX, SHA512_B64, SHA512_HEX};
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        let text = format!(
            r#"# yarn lockfile v1

a@^1:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#{sha1}"
  integrity sha512-{SHA512_B64}

a@^1.0.0:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#{sha1}"
  integrity "sha512-{SHA512_B64} sha1-{SHA1_B64}"

bad@^1:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/bad/-/bad-1.0.0.tgz#xyz"
  integrity sha512-!!notbase64

git@^1:
  version "1.0.0"
  resolved "https://github.com/o/git#{sha1}"

git2@^1:
  version "1.0.0"
  resolved "git+https://example.com/o/git2.git#{sha1}"
"#
        );
        let ex = run(&text).unwrap();
        let by = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        let hashes = |n: &str| -> Vec<(HashAlg, String)> {
            by(n)
                .hashes
                .iter()
                .map(|h| (h.alg, h.value.clone()))
                .collect()
        };
        // Two entries of one package: every digest once.
        assert_eq!(
            hashes("a"),
            [
                (HashAlg::Sha512, SHA512_HEX.to_string()),
                (HashAlg::Sha1, sha1.to_string()),
                (HashAlg::Sha1, SHA1_HEX.to_string()),
            ]
        );
        assert!(by("bad").hashes.is_empty());
        // A commit id is not a tarball digest.
        assert!(by("git").hashes.is_empty());
        assert!(by("git2").hashes.is_empty());

        // Berry checksums hash Yarn's cache zip, not the tarball: not reported.
        let berry = run(BERRY).unwrap();
        assert!(berry.components.iter().all(|c| c.hashes.is_empty()));
        let berry = run(&format!(
            "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"b@npm:^1\":\n  version: 1.0.0\n  resolution: \"b@npm:1.0.0\"\n  checksum: 10c0/{SHA512_HEX}\n  linkType: hard\n"
        ))
        .unwrap();
        assert_eq!(berry.components.len(), 1);
        assert!(berry.components[0].hashes.is_empty());
    }

    /// openstreetmap-website's classic lock: the digests read are exactly the `integrity`
    /// values and the `resolved` fragments of the text, found by a plain line scan.
    #[test]
    fn real_classic_lock_hashes() {
        use base64::Engine;
        let Some(dir) = shared_dir("inputs/openstreetmap-website") else {
            return;
        };
        let path = dir.join("yarn.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = run(&text).unwrap();
        let sri: BTreeSet<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  integrity "))
            .map(str::to_string)
            .collect();
        let fragments: BTreeSet<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  resolved "))
            .filter_map(|l| l.trim_matches('"').split_once(".tgz#"))
            .map(|(_, f)| f.to_string())
            .collect();
        let mut read_sri = BTreeSet::new();
        let mut read_sha1 = BTreeSet::new();
        for h in ex.components.iter().flat_map(|c| &c.hashes) {
            match h.alg {
                HashAlg::Sha512 => {
                    let bytes: Vec<u8> = (0..128)
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&h.value[i..i + 2], 16).unwrap())
                        .collect();
                    read_sri.insert(format!(
                        "sha512-{}",
                        base64::engine::general_purpose::STANDARD.encode(bytes)
                    ));
                }
                HashAlg::Sha1 => {
                    read_sha1.insert(h.value.clone());
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(sri.len() > 100);
        assert_eq!(read_sri, sri);
        assert_eq!(read_sha1, fragments);
        assert!(ex.components.iter().all(|c| !c.hashes.is_empty()));
    }

    #[test]
    fn malformed_input_names_the_line() {
        let err = run("a@^1:\n  version \"1.0.0\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = run("# c\n\"a@^1:\n  version \"1\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = run("{\"lockfileVersion\": 3}\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        let err = run("\n  version \"1\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = run("a@1:\n    version \"1\"\n  resolved \"x\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = run("\"a@1\" b@2:\n  version \"1\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(run(":\n").is_err());
        assert!(run("").unwrap().components.is_empty());
        assert!(run("# yarn lockfile v1\n\n").unwrap().components.is_empty());
        // Windows line endings and a byte-order mark.
        let ex = run("\u{feff}a@^1:\r\n  version \"1.0.0\"\r\n").unwrap();
        assert_eq!(ex.components[0].purl, "pkg:npm/a@1.0.0");
    }

    #[test]
    fn never_panics_on_truncated_or_odd_input() {
        for text in [V1, BERRY] {
            for (i, _) in text.char_indices() {
                let _ = run(&text[..i]);
                let _ = run(&text[i..]);
            }
        }
        for text in [
            "@:\n  version \"\"\n",
            "\"\\\n",
            "a@\"x\":\n  \"\\",
            "é@ü:\n  version: ü\n  dependencies:\n    \"é\": \"ü\n",
            "a:\n  dependencies:\n    b\n      c\n",
            "\t\ta:\n",
        ] {
            let _ = run(text);
        }
    }

    /// The yarn.lock fixtures of osv-scalibr read as upstream expects (names, versions, lines).
    #[test]
    fn conformance_peer_fixtures() {
        let Some(base) = data_dir() else { return };
        // Fixtures that cannot be matched, with the reason. None so far.
        const EXCEPTIONS: &[(&str, &str)] = &[];
        let mut checked = 0;
        let mut excepted = 0;
        for rec in &peer_records(&base, |r| {
            r["ecosystem_dir"] == "npm" && r["format"] == "yarn-lock"
        }) {
            let field = |k: &str| rec.get(k).and_then(Value::as_str).unwrap_or("");
            assert_eq!(field("real_filename"), "yarn.lock");
            let fixture = field("fixture");
            if EXCEPTIONS.iter().any(|(f, _)| *f == fixture) {
                excepted += 1;
                continue;
            }
            let path = base.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let got = YarnLock.extract(&SourceFile {
                display: fixture.to_string(),
                path: &path,
                text: &text,
            });
            let expected = expected(&base, rec);
            let mut want: Vec<(String, String, Option<u64>)> = expected
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_string(),
                        p["version"].as_str().unwrap().to_string(),
                        p.pointer("/location/line").and_then(Value::as_u64),
                    )
                })
                .collect();
            want.sort();
            if rec.get("expect_error").is_some() {
                assert!(got.is_err(), "{fixture}: expected an error");
            } else {
                let got = got.unwrap_or_else(|e| panic!("{fixture}: {e}"));
                let mut have: Vec<(String, String, Option<u64>)> = got
                    .components
                    .iter()
                    .flat_map(|c| {
                        c.locations
                            .iter()
                            .map(|l| (c.name.clone(), c.version.clone(), l.line.map(u64::from)))
                    })
                    .collect();
                have.sort();
                // Upstream asserts a line for every package here; compare without lines if not.
                if want.iter().any(|w| w.2.is_none()) {
                    for v in want.iter_mut().chain(have.iter_mut()) {
                        v.2 = None;
                    }
                }
                assert_eq!(have, want, "{fixture}");
                assert_eq!(want.len() as u64, rec["packages"].as_u64().unwrap());
            }
            checked += 1;
        }
        assert_eq!(excepted, EXCEPTIONS.len());
        assert_eq!(checked, 16);
    }

    /// Independent count: for each top-level block, its `version` value and the name from its
    /// `resolution` (or header), found by plain string search; project-owned blocks left out.
    fn count_by_text_scan(text: &str) -> usize {
        let mut seen = BTreeSet::new();
        let mut blocks: Vec<Vec<&str>> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ') {
                blocks.push(vec![line]);
            } else if let Some(b) = blocks.last_mut() {
                b.push(line);
            }
        }
        let value = |b: &[&str], key: &str| -> Option<String> {
            b[1..].iter().find_map(|l| {
                let t = l.strip_prefix("  ")?;
                let rest = t
                    .strip_prefix(&format!("{key}:"))
                    .or_else(|| t.strip_prefix(&format!("{key} ")))?;
                Some(rest.trim().trim_matches('"').to_string())
            })
        };
        for b in &blocks {
            if b[0].starts_with("__metadata") {
                continue;
            }
            let Some(version) = value(b, "version") else {
                continue;
            };
            let resolution = value(b, "resolution");
            if version.starts_with("0.0.0-use.local")
                || value(b, "linkType").as_deref() == Some("soft")
                || resolution
                    .as_deref()
                    .is_some_and(|r| r.contains("@workspace:"))
            {
                continue;
            }
            let source = resolution.unwrap_or_else(|| {
                let h = b[0].trim_start_matches('"');
                let first = h.split(", ").next().unwrap().trim_end_matches(':');
                first.trim_end_matches('"').to_string()
            });
            let at = source
                .get(1..)
                .and_then(|s| s.find('@'))
                .map_or(source.len(), |i| i + 1);
            let mut name = &source[..at];
            // v1 alias: `alias@npm:real@range`
            if let Some(real) = source.get(at + 1..).and_then(|r| r.strip_prefix("npm:"))
                && let Some(i) = real.get(1..).and_then(|r| r.find('@'))
            {
                name = &real[..i + 1];
            }
            seen.insert((name.to_string(), version));
        }
        seen.len()
    }

    #[test]
    fn real_lockfiles_parse_with_independent_counts() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut checked = Vec::new();
        for project in std::fs::read_dir(&inputs).unwrap() {
            let path = project.unwrap().path().join("yarn.lock");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let ex = YarnLock
                .extract(&SourceFile {
                    display: path.display().to_string(),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            let expected = count_by_text_scan(&text);
            assert!(expected > 100, "{}", path.display());
            assert_eq!(ex.components.len(), expected, "{}", path.display());
            assert!(ex.unresolved.is_empty(), "{}", path.display());
            // Every location is an entry header; most packages have edges; some are direct.
            let lines: Vec<&str> = text.lines().collect();
            for c in &ex.components {
                for l in &c.locations {
                    let h = lines[l.line.unwrap() as usize - 1];
                    assert!(!h.starts_with(' ') && h.ends_with(':'), "{h}");
                }
            }
            assert!(ex.components.iter().any(|c| c.direct));
            assert!(ex.components.iter().any(|c| !c.dependencies.is_empty()));
            checked.push(path);
        }
        assert_eq!(checked.len(), 3, "{checked:?}");
    }
}
