//! `package-lock.json` (lockfileVersion 1, 2 and 3) and `npm-shrinkwrap.json`.
//!
//! v2/v3 read the flat `packages` map (keys are install paths such as
//! `node_modules/a/node_modules/b`); v1 reads the nested `dependencies` tree. The root entry and
//! workspace packages are the project's own; their declared dependencies are the direct ones.
//! Workspace packages (keys outside `node_modules`) are components too: they ship in the
//! product, often under the names they are published as.
//! Entries whose version is not a registry version (git, file, URL) are not npm registry
//! packages: they are listed as unresolved, with what they point at.
//!
//! Each entry's `integrity` is a Subresource Integrity string, `sha512-<base64>` (older locks:
//! `sha1-<base64>`, and possibly several space-separated digests): the digests of the package
//! tarball, kept as the component's `hashes`. A digest that does not decode, or whose length
//! does not fit its algorithm, is left out; it does not fail the file.

use super::{file_name, json_error};
use crate::lines::JsonKeyLines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;
use ossgate_model::{Component, Ecosystem, Hash, HashAlg, Scope};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct NpmLock;

impl Extractor for NpmLock {
    fn name(&self) -> &'static str {
        "npm-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root: Value =
            serde_json::from_str(file.text).map_err(|e| json_error(&file.display, e))?;
        let Some(obj) = root.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "expected a JSON object",
            ));
        };
        let lines = JsonKeyLines::new(file.text);
        if let Some(packages) = obj.get("packages").and_then(Value::as_object) {
            Ok(from_packages(file, packages, &lines))
        } else if let Some(deps) = obj.get("dependencies").and_then(Value::as_object) {
            let declared: HashSet<String> = package_json_deps(file.path)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let mut out = Extracted::default();
            from_tree(file, deps, &declared, true, &lines, &mut out);
            Ok(out)
        } else if obj.contains_key("lockfileVersion") {
            Ok(Extracted::default()) // a project without dependencies
        } else {
            Err(ExtractError::new(
                &file.display,
                Some(1),
                "not a package-lock: no `packages`, `dependencies` or `lockfileVersion`",
            ))
        }
    }
}

/// A registry version, or `npm:real-name@version` for an aliased package.
fn registry_version<'a>(name: &'a str, version: &'a str) -> Option<(&'a str, &'a str)> {
    if let Some(alias) = version.strip_prefix("npm:") {
        let at = alias.rfind('@').filter(|&i| i > 0)?;
        return Some((&alias[..at], &alias[at + 1..]));
    }
    let looks_registry = !version.is_empty()
        && version.as_bytes()[0].is_ascii_digit()
        && !version.contains(':')
        && !version.contains('/');
    looks_registry.then_some((name, version))
}

fn scope_of(entry: &Map<String, Value>) -> Scope {
    let flag = |k: &str| entry.get(k).and_then(Value::as_bool).unwrap_or(false);
    if flag("dev") || flag("devOptional") {
        Scope::Dev
    } else if flag("optional") {
        Scope::Optional
    } else {
        Scope::Runtime
    }
}

const DEP_KEYS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

fn dep_names(entry: &Map<String, Value>) -> impl Iterator<Item = &str> {
    DEP_KEYS
        .iter()
        .filter_map(|k| entry.get(*k).and_then(Value::as_object))
        .flat_map(|m| m.keys().map(String::as_str))
}

fn from_packages(
    file: &SourceFile,
    packages: &Map<String, Value>,
    lines: &JsonKeyLines,
) -> Extracted {
    // The root ("") and workspace packages (keys outside node_modules) declare the direct deps.
    let mut direct: HashSet<&str> = HashSet::new();
    for (key, entry) in packages {
        if !key.contains("node_modules/")
            && let Some(e) = entry.as_object()
        {
            direct.extend(dep_names(e));
        }
    }

    // The names workspace packages are installed under: `node_modules/<name>` links to them.
    // npm leaves `name` out of a workspace entry when it equals the directory's name.
    let mut link_names: HashMap<&str, &str> = HashMap::new();
    for (key, entry) in packages {
        if let Some(idx) = key.rfind("node_modules/")
            && entry.get("link").and_then(Value::as_bool) == Some(true)
            && let Some(target) = entry.get("resolved").and_then(Value::as_str)
        {
            link_names.insert(target, &key[idx + "node_modules/".len()..]);
        }
    }

    let mut out = Extracted::default();
    for (key, entry) in packages {
        let Some(idx) = key.rfind("node_modules/") else {
            // A workspace package (not the root): the project's own, and it ships.
            if !key.is_empty()
                && let Some(e) = entry.as_object()
                && let (Some(name), Some(version)) = (
                    e.get("name")
                        .and_then(Value::as_str)
                        .or_else(|| link_names.get(key.as_str()).copied())
                        .or_else(|| key.rsplit('/').next()),
                    e.get("version").and_then(Value::as_str),
                )
                && let Some((name, version)) = registry_version(name, version)
            {
                let mut c = Component::new(Ecosystem::Npm, name, version);
                c.locations.push(loc(&file.display, lines.line(key)));
                c.scope = scope_of(e);
                c.dependencies = dep_names(e)
                    .filter_map(|dep| resolve(packages, key, dep))
                    .collect();
                out.components.push(c);
            }
            continue;
        };
        let Some(e) = entry.as_object() else { continue };
        if e.get("link").and_then(Value::as_bool) == Some(true) {
            continue; // a symlink to a workspace package, which is the project's own
        }
        let installed_as = &key[idx + "node_modules/".len()..];
        let name = e
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(installed_as);
        let Some(version) = e.get("version").and_then(Value::as_str) else {
            continue;
        };
        let Some((name, version)) = registry_version(name, version) else {
            out.unresolved
                .push(not_registry(file, lines.line(key), name, version));
            continue;
        };
        let mut c = Component::new(Ecosystem::Npm, name, version);
        c.locations.push(loc(&file.display, lines.line(key)));
        c.scope = scope_of(e);
        c.direct = idx == 0 && direct.contains(installed_as);
        if let Some(integrity) = e.get("integrity").and_then(Value::as_str) {
            sri_hashes(integrity, &mut c.hashes);
        }
        c.dependencies = dep_names(e)
            .filter_map(|dep| resolve(packages, key, dep))
            .collect();
        out.components.push(c);
    }
    out
}

/// An entry installed from git, a file, a tarball URL or a directory.
fn not_registry(file: &SourceFile, line: Option<u32>, name: &str, version: &str) -> Unresolved {
    Unresolved {
        file: file.display.clone(),
        line,
        text: format!("{name}@{version}"),
        reason: "not an npm registry release (git, file, URL or directory)".into(),
    }
}

/// Node's module resolution over install paths: look in `<key>/node_modules/<dep>`, then in each
/// enclosing `node_modules` up to the root.
fn resolve(packages: &Map<String, Value>, key: &str, dep: &str) -> Option<String> {
    let mut base = key.to_string();
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{dep}")
        } else {
            format!("{base}/node_modules/{dep}")
        };
        if let Some(e) = packages.get(&candidate).and_then(Value::as_object) {
            let name = e.get("name").and_then(Value::as_str).unwrap_or(dep);
            let version = e.get("version").and_then(Value::as_str)?;
            let (name, version) = registry_version(name, version)?;
            return Some(Ecosystem::Npm.purl(name, Some(version)));
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(i) => base[..i].to_string(),
            None => String::new(),
        };
    }
}

/// The `(name, range)` pairs a sibling `package.json` declares under the dependency keys; none
/// when it is missing or unreadable. Used for v1 locks (which do not record the root) and by
/// the yarn.lock extractor.
pub(super) fn package_json_deps(lock_path: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(lock_path.with_file_name("package.json")) else {
        return Vec::new();
    };
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    DEP_KEYS
        .iter()
        .filter_map(|k| m.get(*k).and_then(Value::as_object))
        .flat_map(|deps| {
            deps.iter()
                .map(|(n, r)| (n.clone(), r.as_str().unwrap_or("").to_string()))
        })
        .collect()
}

/// Adds to `out` the digests of a Subresource Integrity string (`sha512-<base64>`, several
/// separated by white space, each maybe followed by `?options`), as npm and yarn classic write
/// them. Tokens of an unknown algorithm, or that do not decode to a digest of the algorithm's
/// length, are skipped. Shared with the yarn.lock extractor.
pub(super) fn sri_hashes(integrity: &str, out: &mut Vec<Hash>) {
    for token in integrity.split_ascii_whitespace() {
        let Some((alg, b64)) = token.split_once('-') else {
            continue;
        };
        let alg = match alg {
            "sha512" => HashAlg::Sha512,
            "sha384" => HashAlg::Sha384,
            "sha256" => HashAlg::Sha256,
            "sha1" => HashAlg::Sha1,
            "md5" => HashAlg::Md5,
            _ => continue,
        };
        let b64 = b64.split_once('?').map_or(b64, |(b, _)| b);
        if let Some(h) = base64_hash(alg, b64) {
            push_hash(out, h);
        }
    }
}

/// A digest written in (standard, padded or not) base64; `None` when it does not decode to the
/// algorithm's length. Decodes on the stack: the hex string is the only allocation.
pub(super) fn base64_hash(alg: HashAlg, b64: &str) -> Option<Hash> {
    // The longest digest, SHA-512, is 88 base64 characters; a decode of up to 96 fits 72 bytes.
    if b64.len() > 96 {
        return None;
    }
    let mut buf = [0u8; 72];
    let n = STANDARD_PAD_INDIFFERENT.decode_slice(b64, &mut buf).ok()?;
    hex_hash(alg, buf.get(..n)?)
}

/// A digest from its raw bytes, hex-encoded without a per-byte allocation.
fn hex_hash(alg: HashAlg, bytes: &[u8]) -> Option<Hash> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if bytes.len() != alg.digest_len() {
        return None;
    }
    let mut value = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        value.push(char::from(HEX[usize::from(b >> 4)]));
        value.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    Some(Hash { alg, value })
}

/// Adds a digest unless the component already has it (an entry listed twice, or a package
/// read from several places).
pub(super) fn push_hash(out: &mut Vec<Hash>, h: Hash) {
    if !out.contains(&h) {
        // Most packages have one digest: no room for four.
        out.reserve_exact(1);
        out.push(h);
    }
}

fn from_tree(
    file: &SourceFile,
    deps: &Map<String, Value>,
    declared: &HashSet<String>,
    top: bool,
    lines: &JsonKeyLines,
    out: &mut Extracted,
) {
    for (name, entry) in deps {
        let Some(e) = entry.as_object() else { continue };
        if let Some(version) = e.get("version").and_then(Value::as_str) {
            match registry_version(name, version) {
                Some((real, version)) => {
                    let mut c = Component::new(Ecosystem::Npm, real, version);
                    c.locations.push(loc(&file.display, lines.line(name)));
                    c.scope = scope_of(e);
                    c.direct = top && declared.contains(name);
                    if let Some(integrity) = e.get("integrity").and_then(Value::as_str) {
                        sri_hashes(integrity, &mut c.hashes);
                    }
                    out.components.push(c);
                }
                None => out
                    .unresolved
                    .push(not_registry(file, lines.line(name), name, version)),
            }
        }
        if let Some(nested) = e.get("dependencies").and_then(Value::as_object) {
            from_tree(file, nested, declared, false, lines, out);
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        NpmLock.extract(&SourceFile {
            display: "package-lock.json".into(),
            path: Path::new("/nonexistent/package-lock.json"),
            text,
        })
    }

    #[test]
    fn v3_packages_scopes_aliases_and_edges() {
        let ex = run(r#"{
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app", "dependencies": {"a": "^1", "alias": "npm:real@^2"}, "devDependencies": {"d": "1"}},
    "node_modules/a": {"version": "1.2.3", "dependencies": {"b": "*"}},
    "node_modules/a/node_modules/b": {"version": "0.1.0"},
    "node_modules/b": {"version": "9.9.9"},
    "node_modules/alias": {"name": "real", "version": "2.0.0"},
    "node_modules/d": {"version": "1.0.0", "dev": true},
    "node_modules/@s/p": {"version": "3.0.0", "optional": true},
    "node_modules/ws": {"resolved": "packages/ws", "link": true},
    "node_modules/g": {"version": "git+https://x/y.git#abc"}
  }
}"#)
        .unwrap();
        let mut got: Vec<(String, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| (c.purl.clone(), c.direct, c.scope))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("pkg:npm/%40s/p@3.0.0".into(), false, Scope::Optional),
                ("pkg:npm/a@1.2.3".into(), true, Scope::Runtime),
                ("pkg:npm/b@0.1.0".into(), false, Scope::Runtime),
                ("pkg:npm/b@9.9.9".into(), false, Scope::Runtime),
                ("pkg:npm/d@1.0.0".into(), true, Scope::Dev),
                ("pkg:npm/real@2.0.0".into(), true, Scope::Runtime),
            ]
        );
        // a's own nested copy of b wins over the hoisted one.
        let a = ex.components.iter().find(|c| c.name == "a").unwrap();
        assert_eq!(a.dependencies, ["pkg:npm/b@0.1.0"]);
        assert_eq!(a.locations[0].line, Some(5));
    }

    #[test]
    fn workspace_packages_named_by_their_links_or_directories() {
        let ex = run(r#"{"lockfileVersion": 3, "packages": {
    "": {"name": "root", "workspaces": ["packages/*"]},
    "node_modules/core-lib": {"resolved": "packages/core", "link": true},
    "packages/core": {"version": "2.0.0"},
    "packages/cli": {"version": "2.0.1"},
    "packages/named": {"name": "@org/named", "version": "1.0.0"}
}}"#)
        .unwrap();
        let mut got: Vec<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "pkg:npm/%40org/named@1.0.0",
                "pkg:npm/cli@2.0.1",
                "pkg:npm/core-lib@2.0.0"
            ]
        );
    }

    #[test]
    fn v1_nested_tree() {
        let ex = run(r#"{"lockfileVersion": 1, "dependencies": {
            "a": {"version": "1.0.0", "resolved": false, "dependencies": {"b": {"version": "2.0.0", "dev": true}}},
            "c": {"version": "npm:other@3.1.0"},
            "e": {"version": "file:../e"}
        }}"#)
        .unwrap();
        let purls: Vec<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(
            purls,
            ["pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0", "pkg:npm/other@3.1.0"]
        );
        assert_eq!(ex.components[1].scope, Scope::Dev);
    }

    // Digests of the bytes `a`, in base64 and hex.
    pub(crate) const SHA512_B64: &str =
        "H0D8ktokFpR1CXnubPWC8tXX0o4YM13gWrxU0FYOD1MChgxlK/CNVgJSql50IQVG82n7u86MEs/HlXsmUv6adQ==";
    pub(crate) const SHA512_HEX: &str = "1f40fc92da241694750979ee6cf582f2d5d7d28e18335de05abc54d0560e0f5302860c652bf08d560252aa5e74210546f369fbbbce8c12cfc7957b2652fe9a75";
    pub(crate) const SHA1_B64: &str = "hvfkN/qlp/zhXR3cuerq6jd2Z7g=";
    pub(crate) const SHA1_HEX: &str = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8";

    fn hashes(c: &Component) -> Vec<(HashAlg, &str)> {
        c.hashes.iter().map(|h| (h.alg, h.value.as_str())).collect()
    }

    #[test]
    fn integrity_becomes_hashes_in_v3_and_v1() {
        let v3 = format!(
            r#"{{"lockfileVersion": 3, "packages": {{
  "": {{"dependencies": {{"a": "1", "b": "1", "c": "1", "d": "1"}}}},
  "node_modules/a": {{"version": "1.0.0", "integrity": "sha512-{SHA512_B64}"}},
  "node_modules/b": {{"version": "1.0.0", "integrity": "sha512-notbase64!! sha1-{SHA1_B64} sha256-AAAA"}},
  "node_modules/c": {{"version": "1.0.0", "integrity": "sha512-{SHA512_B64}?opt sha1-{SHA1_B64} sha512-{SHA512_B64}"}},
  "node_modules/d": {{"version": "1.0.0", "integrity": 7}},
  "node_modules/e": {{"version": "1.0.0", "integrity": "md4-abc sha512"}}
}}}}"#
        );
        let ex = run(&v3).unwrap();
        let by = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(hashes(by("a")), [(HashAlg::Sha512, SHA512_HEX)]);
        // The malformed sha512 and the too-short sha256 are skipped, the sha1 kept.
        assert_eq!(hashes(by("b")), [(HashAlg::Sha1, SHA1_HEX)]);
        // Several digests kept, options dropped, a repeated one once.
        assert_eq!(
            hashes(by("c")),
            [(HashAlg::Sha512, SHA512_HEX), (HashAlg::Sha1, SHA1_HEX)]
        );
        assert!(by("d").hashes.is_empty());
        assert!(by("e").hashes.is_empty());

        let v1 = format!(
            r#"{{"lockfileVersion": 1, "dependencies": {{
  "a": {{"version": "1.0.0", "integrity": "sha1-{SHA1_B64}",
         "dependencies": {{"b": {{"version": "2.0.0", "integrity": "sha512-{SHA512_B64}"}}}}}},
  "c": {{"version": "1.0.0", "integrity": "sha1-AAAA"}}
}}}}"#
        );
        let ex = run(&v1).unwrap();
        assert_eq!(hashes(&ex.components[0]), [(HashAlg::Sha1, SHA1_HEX)]);
        assert_eq!(hashes(&ex.components[1]), [(HashAlg::Sha512, SHA512_HEX)]);
        assert!(ex.components[2].hashes.is_empty());
    }

    #[test]
    fn sri_parsing_edge_cases() {
        let mut out = Vec::new();
        // Unpadded base64 is accepted; empty, stray and oversized tokens are not.
        sri_hashes(SHA1_B64.trim_end_matches('='), &mut out);
        assert!(out.is_empty(), "no algorithm prefix");
        sri_hashes(
            &format!("sha1-{}", SHA1_B64.trim_end_matches('=')),
            &mut out,
        );
        sri_hashes("", &mut out);
        sri_hashes("sha1-", &mut out);
        sri_hashes(&format!("sha512-{}", "A".repeat(400)), &mut out);
        sri_hashes("-- sha1-\u{e9}", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].value, SHA1_HEX);
    }

    /// The real locks: the digests read are exactly the `integrity` values in the text (found
    /// by a plain line scan, and compared after encoding the hex back to SRI).
    #[test]
    fn real_locks_carry_integrity_hashes() {
        use std::collections::BTreeSet;
        let Some(inputs) = crate::testdata::shared_dir("inputs") else {
            return;
        };
        for project in ["npm-cli", "saleor", "firefly-iii", "insomnia"] {
            let path = inputs.join(project).join("package-lock.json");
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = NpmLock
                .extract(&SourceFile {
                    display: project.into(),
                    path: &path,
                    text: &text,
                })
                .unwrap();
            let in_text: BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("\"integrity\": \""))
                .map(|v| v.trim_end_matches(',').trim_end_matches('"'))
                .collect();
            let read: BTreeSet<String> = ex
                .components
                .iter()
                .flat_map(|c| &c.hashes)
                .map(|h| {
                    let bytes: Vec<u8> = (0..h.value.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&h.value[i..i + 2], 16).unwrap())
                        .collect();
                    let alg = match h.alg {
                        HashAlg::Sha512 => "sha512",
                        HashAlg::Sha1 => "sha1",
                        other => panic!("{other:?}"),
                    };
                    format!(
                        "{alg}-{}",
                        base64::engine::general_purpose::STANDARD.encode(bytes)
                    )
                })
                .collect();
            assert!(read.len() > 100, "{project}");
            assert_eq!(
                read.iter().map(String::as_str).collect::<BTreeSet<_>>(),
                in_text,
                "{project}"
            );
        }
    }

    #[test]
    fn malformed_json_names_the_line() {
        let err =
            run("{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": }\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(run("[1,2]").is_err());
        assert!(run("{\"name\": \"x\"}").is_err());
    }
}
