//! pnpm's `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x.
//!
//! **Documents.** A lockfile may hold several YAML documents: pnpm 11 writes a small document
//! for its own self-install (`packageManagerDependencies`), then `---`, then the project's
//! lockfile. Every document is read; the same (name, version) found in two documents is one
//! component with a location in each.
//!
//! **Packages.** `packages` maps a dependency path to the locked package; each key becomes one
//! component located at the key's line. The key spells name and version:
//! - 5.x: `/name/1.2.3`, `/@scope/name/1.2.3_peer@1.0.0+other@2.0.0` (peer suffix after `_`), or
//!   with a registry host in front (`registry.npmjs.org/name/1.2.3`);
//! - 6.x: `/name@1.2.3(peer@1.0.0)` (peer suffix in parentheses);
//! - 9.x: `name@1.2.3` in `packages`, and the peer-resolved variants `name@1.2.3(peer@1.0.0)` in
//!   `snapshots`, which hold the edges.
//!
//! Git, tarball and local (`file:`) packages have keys that are not registry paths; their
//! entries carry `name` (5.x/6.x) and `version` fields, which win over the key, and they are
//! reported with that name and version (as the peer tools' fixtures expect). An entry whose name
//! or version cannot be found (a `file:` directory without a `version`, a key such as
//! `github.com/user/repo` with nothing else) is reported as unresolved. A key that is not a
//! dependency path at all (5.x/6.x without a `/`, 9.x without `name@`) is an error.
//!
//! **Direct dependencies and scope.** The project's own packages are the `importers` (9.x, and
//! 5.x/6.x workspaces) or the top level (5.x/6.x single projects): their `dependencies`,
//! `optionalDependencies`, `devDependencies` (and pnpm's `packageManagerDependencies`, read as
//! development tooling) name the direct dependencies. `link:` references are workspace packages,
//! not registry packages, and are skipped. Scope: 5.x/6.x entries say `dev: true` (development
//! only) or `dev: false` (production); without the flag, and in 9.x which has none, a package
//! reachable from a production or optional dependency is runtime, one reachable only from
//! development dependencies is dev. `optional: true` makes a non-dev package optional.
//!
//! **Edges.** Each package's (5.x/6.x) or snapshot's (9.x) `dependencies` and
//! `optionalDependencies` become edges to the packages they resolve to.
//!
//! Not read: `specifiers`, `overrides`, `patchedDependencies`, `resolution` (integrity and
//! tarball URLs), `peerDependencies` ranges (their resolution is already in the dependency
//! maps), `settings`, `configDependencies` (packages pnpm installs for its own configuration,
//! not listed under `packages`).

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

pub struct PnpmLock;

impl Extractor for PnpmLock {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "pnpm-lock.yaml"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let docs = parse_documents(&file.display, file.text)?;
        let mut out = Output::default();
        for doc in &docs {
            read_document(file, doc, &mut out)?;
        }
        Ok(Extracted {
            components: out.finish(),
            unresolved: out.unresolved,
            ..Extracted::default()
        })
    }
}

/// Every YAML document of the file. Large monorepo lockfiles exceed serde-saphyr's default
/// node budget (250,000), so the node and event budgets are raised; the anchor and alias limits
/// that guard against alias bombs stay at their defaults.
fn parse_documents(display: &str, text: &str) -> Result<Vec<Doc>, ExtractError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 100_000_000,
            max_nodes: 50_000_000,
            max_total_scalar_bytes: 1 << 30,
        },
        with_snippet: false,
    };
    let docs: Vec<Doc> = serde_saphyr::from_multiple_with_options(text, options).map_err(|e| {
        let line = e
            .location()
            .map(|l| l.line())
            .filter(|l| *l > 0)
            .map(|l| u32::try_from(l).unwrap_or(u32::MAX));
        ExtractError::new(display, line, format!("invalid pnpm lockfile YAML: {e}"))
    })?;
    for doc in &docs {
        if doc.lockfile_version.is_none()
            && doc.packages.is_none()
            && doc.importers.is_none()
            && doc.snapshots.is_none()
        {
            return Err(ExtractError::new(
                display,
                Some(1),
                "not a pnpm lockfile: a document without `lockfileVersion`, `importers` or `packages`",
            ));
        }
    }
    Ok(docs)
}

// ---------------------------------------------------------------------------------------------
// The YAML shape, read leniently: unknown keys are ignored; a known key of the wrong type is an
// error.

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Doc {
    lockfile_version: Option<Scalar>,
    importers: Option<Ordered<String, Option<Importer>>>,
    /// 5.x/6.x single-project lockfiles keep the importer's maps at the top level.
    dependencies: Option<Ordered<String, DepRef>>,
    dev_dependencies: Option<Ordered<String, DepRef>>,
    optional_dependencies: Option<Ordered<String, DepRef>>,
    packages: Option<Ordered<Spanned<String>, Option<Entry>>>,
    snapshots: Option<Ordered<String, Option<Entry>>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Importer {
    dependencies: Option<Ordered<String, DepRef>>,
    dev_dependencies: Option<Ordered<String, DepRef>>,
    optional_dependencies: Option<Ordered<String, DepRef>>,
    package_manager_dependencies: Option<Ordered<String, DepRef>>,
}

/// A `packages` entry (5.x/6.x: everything; 9.x: name/version only) or a 9.x `snapshots` entry
/// (edges and the optional flag).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Entry {
    name: Option<Scalar>,
    version: Option<Scalar>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: Option<Ordered<String, DepRef>>,
    optional_dependencies: Option<Ordered<String, DepRef>>,
}

/// A YAML mapping in file order.
struct Ordered<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(OrderedVisitor(PhantomData))
    }
}

/// A scalar read as text, whatever type YAML would infer for it (`lockfileVersion: 5.3` is a
/// float, `'6.0'` a string).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// What a dependency map says about one dependency: a reference (`1.2.3`, `1.2.3_peer@1`,
/// `1.2.3(peer@1)`, `link:../x`, `other@1.0.0` for an alias, a tarball URL) written directly
/// (5.x, and every package's own map) or as the `version` of `{specifier, version}` (importers
/// in 6.x and 9.x).
struct DepRef(Option<String>);

impl<'de> Deserialize<'de> for DepRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DepVisitor;
        impl<'de> Visitor<'de> for DepVisitor {
            type Value = DepRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version or a {specifier, version} mapping")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<DepRef, E> {
                Ok(DepRef(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<DepRef, E> {
                Ok(DepRef(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DepRef, A::Error> {
                let mut version = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "version" {
                        version = Some(map.next_value_seed(ScalarSeed)?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(DepRef(version))
            }
        }
        d.deserialize_any(DepVisitor)
    }
}

struct ScalarSeed;

impl<'de> de::DeserializeSeed<'de> for ScalarSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Dependency paths.

/// How the document spells dependency paths.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    /// 5.x and older (and 6.x, whose `/name@version` keys the same reader handles).
    Slash,
    /// 9.x: `name@version`, no leading `/`.
    V9,
}

fn style_of(version: Option<&Scalar>) -> Style {
    let major: u32 = version
        .map(|v| {
            v.0.trim()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|d| d.parse().ok())
        .unwrap_or(5);
    if major >= 9 { Style::V9 } else { Style::Slash }
}

/// Whether `key` is a dependency path at all: 5.x/6.x paths hold a `/` (or are `file:`,
/// `link:`, URL-like); 9.x paths are `name@reference`.
fn is_dependency_path(key: &str, style: Style) -> bool {
    match style {
        Style::Slash => key.contains('/') || key.contains(':'),
        Style::V9 => key.get(1..).is_some_and(|k| k.contains('@')) || key.contains(':'),
    }
}

/// The package name at the start of `path` (`name` or `@scope/name`), the separator after it
/// (`@` or `/`), and the rest.
fn split_name(path: &str) -> Option<(&str, char, &str)> {
    let start = if path.starts_with('@') {
        path.find('/')? + 1
    } else {
        0
    };
    let i = path.get(start..)?.find(['@', '/'])? + start;
    let name = path.get(..i).filter(|n| !n.is_empty() && *n != "@")?;
    let sep = if path.get(i..)?.starts_with('@') {
        '@'
    } else {
        '/'
    };
    Some((name, sep, path.get(i + 1..)?))
}

/// A registry version: starts with a digit, no URL or path characters.
fn registry_version(v: &str) -> Option<&str> {
    let ok = v.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && !v.contains(':')
        && !v.contains('/');
    ok.then_some(v)
}

/// Name and (registry) version spelled by a `packages` key; either may be missing.
fn parse_key(key: &str, style: Style) -> (Option<&str>, Option<&str>) {
    if key.starts_with("file:") || key.starts_with("link:") {
        return (None, None);
    }
    let path = match style {
        Style::V9 => key,
        Style::Slash => match key.strip_prefix('/') {
            Some(p) => p,
            // A registry host in front: `registry.npmjs.org/name/1.0.0`.
            None => match key.split_once('/') {
                Some((_, rest)) => rest,
                None => return (None, None),
            },
        },
    };
    let Some((name, sep, rest)) = split_name(path) else {
        return (None, None);
    };
    let version = match sep {
        // 6.x and 9.x: `name@1.2.3(peer@1.0.0)(other@2.0.0)`.
        '@' => rest.split('(').next().unwrap_or(rest),
        // 5.x: `name/1.2.3_peer@1.0.0+other@2.0.0`.
        _ => rest.split('_').next().unwrap_or(rest),
    };
    (Some(name), registry_version(version))
}

/// The `packages` key a 9.x snapshot key belongs to: the key without its peer suffix.
fn snapshot_package(key: &str) -> &str {
    match key.get(1..).and_then(|k| k.find('(')) {
        Some(i) => key.get(..i + 1).unwrap_or(key),
        None => key,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// Components of the whole file, merged by (name, version) across documents.
#[derive(Default)]
struct Output {
    components: Vec<Component>,
    scopes: Vec<Option<Scope>>,
    index: HashMap<(String, String), usize>,
    unresolved: Vec<Unresolved>,
}

impl Output {
    fn component(&mut self, name: &str, version: &str) -> usize {
        if let Some(&i) = self.index.get(&(name.to_string(), version.to_string())) {
            return i;
        }
        let i = self.components.len();
        self.components
            .push(Component::new(Ecosystem::Npm, name, version));
        self.scopes.push(None);
        self.index
            .insert((name.to_string(), version.to_string()), i);
        i
    }

    fn finish(&mut self) -> Vec<Component> {
        let mut out = std::mem::take(&mut self.components);
        for (c, s) in out.iter_mut().zip(&self.scopes) {
            c.scope = s.unwrap_or_default();
            c.dependencies.sort();
            c.dependencies.dedup();
        }
        out
    }
}

/// One node of a document's dependency graph: a `packages` key (5.x/6.x) or a `snapshots` key
/// (9.x).
struct Node<'a> {
    component: Option<usize>,
    dev: Option<bool>,
    optional: bool,
    deps: Vec<(&'a str, &'a str)>,
}

fn dep_pairs<'a>(maps: &[&'a Option<Ordered<String, DepRef>>]) -> Vec<(&'a str, &'a str)> {
    maps.iter()
        .filter_map(|m| m.as_ref())
        .flat_map(|m| m.0.iter())
        .filter_map(|(name, r)| Some((name.as_str(), r.0.as_deref()?)))
        .collect()
}

fn read_document(file: &SourceFile, doc: &Doc, out: &mut Output) -> Result<(), ExtractError> {
    let style = style_of(doc.lockfile_version.as_ref());
    let packages: &[(Spanned<String>, Option<Entry>)] =
        doc.packages.as_ref().map(|p| p.0.as_slice()).unwrap_or(&[]);
    let empty = Entry::default();

    // Components, one per `packages` key (merged by name and version).
    let mut package_component: HashMap<&str, usize> = HashMap::new();
    for (key, entry) in packages {
        let entry = entry.as_ref().unwrap_or(&empty);
        let line = u32::try_from(key.referenced.line()).ok().filter(|l| *l > 0);
        let key = key.value.as_str();
        if !is_dependency_path(key, style) {
            return Err(ExtractError::new(
                &file.display,
                line,
                format!("invalid dependency path: {key}"),
            ));
        }
        let (key_name, key_version) = parse_key(key, style);
        let name = entry.name.as_ref().map(|n| n.0.as_str()).or(key_name);
        let version = entry.version.as_ref().map(|v| v.0.as_str()).or(key_version);
        match (
            name.filter(|n| !n.is_empty()),
            version.filter(|v| !v.is_empty()),
        ) {
            (Some(name), Some(version)) => {
                let c = out.component(name, version);
                out.components[c].locations.push(loc(&file.display, line));
                package_component.insert(key, c);
            }
            (name, _) => out.unresolved.push(Unresolved {
                file: file.display.clone(),
                line,
                text: key.to_string(),
                reason: match name {
                    Some(_) => "pnpm package without a version (a local or git package)".into(),
                    None => "pnpm dependency path without a package name".into(),
                },
            }),
        }
    }

    // The graph: 5.x/6.x packages hold their own edges; 9.x snapshots do.
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    match (style, &doc.snapshots) {
        (Style::V9, Some(snapshots)) => {
            for (key, entry) in &snapshots.0 {
                let entry = entry.as_ref().unwrap_or(&empty);
                by_key.insert(key.as_str(), nodes.len());
                nodes.push(Node {
                    component: package_component.get(snapshot_package(key)).copied(),
                    dev: None,
                    optional: entry.optional == Some(true),
                    deps: dep_pairs(&[&entry.dependencies, &entry.optional_dependencies]),
                });
            }
            // A package without a snapshot still answers references to it.
            for (key, _) in packages {
                if !by_key.contains_key(key.value.as_str()) {
                    by_key.insert(key.value.as_str(), nodes.len());
                    nodes.push(Node {
                        component: package_component.get(key.value.as_str()).copied(),
                        dev: None,
                        optional: false,
                        deps: Vec::new(),
                    });
                }
            }
        }
        _ => {
            for (key, entry) in packages {
                let entry = entry.as_ref().unwrap_or(&empty);
                by_key.insert(key.value.as_str(), nodes.len());
                nodes.push(Node {
                    component: package_component.get(key.value.as_str()).copied(),
                    dev: entry.dev,
                    optional: entry.optional == Some(true),
                    deps: dep_pairs(&[&entry.dependencies, &entry.optional_dependencies]),
                });
            }
        }
    }

    // A reference `name: ref` names the node `name@ref` (9.x), `/name@ref` (6.x), `/name/ref`
    // (5.x), or the path `ref` itself (aliases, git and tarball packages, other registries).
    let resolve = |name: &str, r: &str| -> Option<usize> {
        if r.starts_with("link:") {
            return None; // a workspace package
        }
        [
            format!("{name}@{r}"),
            format!("/{name}@{r}"),
            format!("/{name}/{r}"),
        ]
        .iter()
        .find_map(|k| by_key.get(k.as_str()))
        .or_else(|| by_key.get(r))
        .copied()
    };
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            n.deps
                .iter()
                .filter_map(|(name, r)| resolve(name, r))
                .collect()
        })
        .collect();

    // The project's own declarations: production and development roots.
    let mut prod_refs = dep_pairs(&[&doc.dependencies, &doc.optional_dependencies]);
    let mut dev_refs = dep_pairs(&[&doc.dev_dependencies]);
    for (_, imp) in doc.importers.iter().flat_map(|i| i.0.iter()) {
        let Some(imp) = imp else { continue };
        prod_refs.extend(dep_pairs(&[&imp.dependencies, &imp.optional_dependencies]));
        dev_refs.extend(dep_pairs(&[
            &imp.dev_dependencies,
            &imp.package_manager_dependencies,
        ]));
    }
    let prod_roots: Vec<usize> = prod_refs
        .iter()
        .filter_map(|(n, r)| resolve(n, r))
        .collect();
    let dev_roots: Vec<usize> = dev_refs.iter().filter_map(|(n, r)| resolve(n, r)).collect();

    let reach_prod = reachable(&edges, &prod_roots);
    let reach_dev = reachable(&edges, &dev_roots);

    for (i, node) in nodes.iter().enumerate() {
        let Some(c) = node.component else { continue };
        let dev = node.dev.unwrap_or(!reach_prod[i] && reach_dev[i]);
        let scope = if dev {
            Scope::Dev
        } else if node.optional {
            Scope::Optional
        } else {
            Scope::Runtime
        };
        out.scopes[c] = Some(match out.scopes[c] {
            Some(s) => s.widest(scope),
            None => scope,
        });
        let purls: Vec<String> = edges[i]
            .iter()
            .filter_map(|&j| nodes[j].component)
            .filter(|&d| d != c)
            .map(|d| out.components[d].purl.clone())
            .collect();
        out.components[c].dependencies.extend(purls);
    }
    for root in prod_roots.iter().chain(&dev_roots) {
        if let Some(c) = nodes[*root].component {
            out.components[c].direct = true;
        }
    }
    Ok(())
}

/// The nodes reachable from `roots` (roots included).
fn reachable(edges: &[Vec<usize>], roots: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &r in roots {
        if !seen[r] {
            seen[r] = true;
            queue.push_back(r);
        }
    }
    while let Some(n) = queue.pop_front() {
        for &m in &edges[n] {
            if !seen[m] {
                seen[m] = true;
                queue.push_back(m);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::HashSet;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PnpmLock.extract(&SourceFile {
            display: "pnpm-lock.yaml".into(),
            path: Path::new("/nonexistent/pnpm-lock.yaml"),
            text,
        })
    }

    /// (purl, line, direct, scope) of every component, in file order.
    fn summary(ex: &Extracted) -> Vec<(String, Option<u32>, bool, Scope)> {
        ex.components
            .iter()
            .map(|c| (c.purl.clone(), c.locations[0].line, c.direct, c.scope))
            .collect()
    }

    fn find<'a>(ex: &'a Extracted, purl: &str) -> &'a Component {
        ex.components
            .iter()
            .find(|c| c.purl == purl)
            .unwrap_or_else(|| panic!("{purl} missing"))
    }

    const V9: &str = r#"lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      '@scope/a':
        specifier: ^1.0.0
        version: 1.0.0(peer@2.0.0)
      alias:
        specifier: npm:real@^3
        version: real@3.1.0
      tarball:
        specifier: https://example.com/tarball.tgz
        version: https://example.com/tarball.tgz
      local:
        specifier: workspace:*
        version: link:packages/local
    optionalDependencies:
      opt:
        specifier: ^1
        version: 1.0.1
    devDependencies:
      dev-only:
        specifier: ^4
        version: 4.0.0

  packages/local:
    dependencies:
      peer:
        specifier: ^2
        version: 2.0.0

packages:

  '@scope/a@1.0.0':
    resolution: {integrity: sha512-x}
    peerDependencies:
      peer: ^2

  peer@2.0.0:
    resolution: {integrity: sha512-x}

  real@3.1.0:
    resolution: {integrity: sha512-x}

  tarball@https://example.com/tarball.tgz:
    resolution: {tarball: https://example.com/tarball.tgz}
    version: 0.9.0

  opt@1.0.1:
    resolution: {integrity: sha512-x}

  dev-only@4.0.0:
    resolution: {integrity: sha512-x}

  shared@5.0.0:
    resolution: {integrity: sha512-x}

  dir@file:vendor/dir:
    resolution: {directory: vendor/dir, type: directory}

snapshots:

  '@scope/a@1.0.0(peer@2.0.0)':
    dependencies:
      peer: 2.0.0
      shared: 5.0.0

  peer@2.0.0: {}

  real@3.1.0: {}

  tarball@https://example.com/tarball.tgz: {}

  opt@1.0.1:
    optional: true

  dev-only@4.0.0:
    dependencies:
      shared: 5.0.0
      alias2: real@3.1.0

  shared@5.0.0: {}

  dir@file:vendor/dir: {}
"#;

    #[test]
    fn v9_importers_packages_and_snapshots() {
        let ex = run(V9).unwrap();
        assert_eq!(
            summary(&ex),
            [
                (
                    "pkg:npm/%40scope/a@1.0.0".into(),
                    Some(39),
                    true,
                    Scope::Runtime
                ),
                ("pkg:npm/peer@2.0.0".into(), Some(44), true, Scope::Runtime),
                ("pkg:npm/real@3.1.0".into(), Some(47), true, Scope::Runtime),
                (
                    "pkg:npm/tarball@0.9.0".into(),
                    Some(50),
                    true,
                    Scope::Runtime
                ),
                ("pkg:npm/opt@1.0.1".into(), Some(54), true, Scope::Optional),
                ("pkg:npm/dev-only@4.0.0".into(), Some(57), true, Scope::Dev),
                (
                    "pkg:npm/shared@5.0.0".into(),
                    Some(60),
                    false,
                    Scope::Runtime
                ),
            ]
        );
        assert_eq!(
            find(&ex, "pkg:npm/%40scope/a@1.0.0").dependencies,
            ["pkg:npm/peer@2.0.0", "pkg:npm/shared@5.0.0"]
        );
        // An aliased edge (`alias2: real@3.1.0`) reaches the real package.
        assert_eq!(
            find(&ex, "pkg:npm/dev-only@4.0.0").dependencies,
            ["pkg:npm/real@3.1.0", "pkg:npm/shared@5.0.0"]
        );
        // A local directory package without a version cannot be matched.
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "dir@file:vendor/dir");
        assert_eq!(ex.unresolved[0].line, Some(63));
    }

    #[test]
    fn v9_scope_follows_reachability() {
        // `shared` only under a dev dependency is dev; `lib`'s own optional dependency is
        // optional; nothing reaches `orphan` (kept, runtime).
        let ex = run(r#"lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      lib: {specifier: ^1, version: 1.0.0}
    devDependencies:
      tool: {specifier: ^1, version: 1.0.0}
packages:
  lib@1.0.0: {resolution: {integrity: x}}
  tool@1.0.0: {resolution: {integrity: x}}
  shared@1.0.0: {resolution: {integrity: x}}
  native@1.0.0: {resolution: {integrity: x}}
  orphan@1.0.0: {resolution: {integrity: x}}
snapshots:
  lib@1.0.0:
    optionalDependencies:
      native: 1.0.0
  tool@1.0.0:
    dependencies:
      shared: 1.0.0
      lib: 1.0.0
  shared@1.0.0: {}
  native@1.0.0:
    optional: true
  orphan@1.0.0: {}
"#)
        .unwrap();
        let got: Vec<(&str, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.direct, c.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("lib", true, Scope::Runtime),
                ("tool", true, Scope::Dev),
                ("shared", false, Scope::Dev),
                ("native", false, Scope::Optional),
                ("orphan", false, Scope::Runtime),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:npm/native@1.0.0"]);
    }

    #[test]
    fn v6_keys_flags_and_top_level_dependencies() {
        let ex = run(r#"lockfileVersion: '6.0'

dependencies:
  react-dom:
    specifier: ^18.2.0
    version: 18.2.0(react@18.2.0)

devDependencies:
  '@types/node':
    specifier: ^20
    version: 20.1.0

packages:

  /@types/node@20.1.0:
    resolution: {integrity: sha512-x}
    dev: true

  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-x}
    dependencies:
      react: 18.2.0
      str: /string-width@4.2.3
    dev: false

  /react@18.2.0:
    resolution: {integrity: sha512-x}
    dev: false

  /string-width@4.2.3:
    resolution: {integrity: sha512-x}
    optional: true
    dev: false
"#)
        .unwrap();
        assert_eq!(
            summary(&ex),
            [
                (
                    "pkg:npm/%40types/node@20.1.0".into(),
                    Some(15),
                    true,
                    Scope::Dev
                ),
                (
                    "pkg:npm/react-dom@18.2.0".into(),
                    Some(19),
                    true,
                    Scope::Runtime
                ),
                (
                    "pkg:npm/react@18.2.0".into(),
                    Some(26),
                    false,
                    Scope::Runtime
                ),
                (
                    "pkg:npm/string-width@4.2.3".into(),
                    Some(30),
                    false,
                    Scope::Optional
                ),
            ]
        );
        assert_eq!(
            ex.components[1].dependencies,
            ["pkg:npm/react@18.2.0", "pkg:npm/string-width@4.2.3"]
        );
    }

    #[test]
    fn v5_paths_peer_suffixes_hosts_and_git_entries() {
        let ex = run(r#"lockfileVersion: 5.4

importers:
  .:
    specifiers:
      a: ^1
    dependencies:
      a: 1.0.0_b@2.0.0
      g: github.com/org/g/0123abcd
    devDependencies:
      '@s/c': 3.0.0

packages:

  /a/1.0.0_b@2.0.0:
    resolution: {integrity: sha512-x}
    dependencies:
      b: 2.0.0
      d: registry.example.com/d/4.0.0
    dev: false

  /b/2.0.0:
    resolution: {integrity: sha512-x}

  /@s/c/3.0.0:
    resolution: {integrity: sha512-x}
    dev: true

  registry.example.com/d/4.0.0:
    resolution: {integrity: sha512-x}

  /e/1.0.0_@types+babel__core@7.1.14:
    resolution: {integrity: sha512-x}

  github.com/org/g/0123abcd:
    resolution: {tarball: https://codeload.github.com/org/g/tar.gz/0123abcd}
    name: gee
    version: 0.1.0

  github.com/kevva/is-positive:
    resolution: {tarball: x}
"#)
        .unwrap();
        assert_eq!(
            summary(&ex),
            [
                ("pkg:npm/a@1.0.0".into(), Some(15), true, Scope::Runtime),
                ("pkg:npm/b@2.0.0".into(), Some(22), false, Scope::Runtime),
                ("pkg:npm/%40s/c@3.0.0".into(), Some(25), true, Scope::Dev),
                ("pkg:npm/d@4.0.0".into(), Some(29), false, Scope::Runtime),
                ("pkg:npm/e@1.0.0".into(), Some(32), false, Scope::Runtime),
                ("pkg:npm/gee@0.1.0".into(), Some(35), true, Scope::Runtime),
            ]
        );
        assert_eq!(
            ex.components[0].dependencies,
            ["pkg:npm/b@2.0.0", "pkg:npm/d@4.0.0"]
        );
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "github.com/kevva/is-positive");
    }

    #[test]
    fn every_document_is_read_and_merged() {
        let text = "---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    packageManagerDependencies:\n      pnpm: {specifier: 11.0.0, version: 11.0.0}\npackages:\n  pnpm@11.0.0: {}\n  shared@1.0.0: {}\nsnapshots:\n  pnpm@11.0.0: {}\n  shared@1.0.0: {}\n---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      shared: {specifier: ^1, version: 1.0.0}\npackages:\n  shared@1.0.0: {}\n  other@2.0.0: {}\n";
        let ex = run(text).unwrap();
        let got: Vec<(&str, Vec<Option<u32>>, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.locations.iter().map(|l| l.line).collect(),
                    c.direct,
                    c.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:npm/pnpm@11.0.0", vec![Some(8)], true, Scope::Dev),
                (
                    "pkg:npm/shared@1.0.0",
                    vec![Some(9), Some(20)],
                    true,
                    Scope::Runtime
                ),
                ("pkg:npm/other@2.0.0", vec![Some(21)], false, Scope::Runtime),
            ]
        );
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        // YAML syntax.
        let err = run("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n  b: [\n").unwrap_err();
        assert_eq!(err.file, "pnpm-lock.yaml");
        assert!(err.line.is_some(), "{err}");
        // Not a dependency path.
        let err =
            run("lockfileVersion: 5.3\npackages:\n  /a/1.0.0: {}\n  nopath:\n    dev: false\n")
                .unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("invalid dependency path: nopath"));
        // A 6.x-style path in a 5.x lockfile.
        assert!(run("lockfileVersion: 5.4\npackages:\n  axios@1.2.5: {}\n").is_err());
        assert!(run("lockfileVersion: '9.0'\npackages:\n  nover: {}\n").is_err());
        // Wrong shapes.
        for text in [
            "just a string",
            "- a\n- b\n",
            "name: x\n",
            "lockfileVersion: '9.0'\npackages: [a, b]\n",
            "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    dev: maybe\n",
            "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: 3\n",
            "lockfileVersion: '9.0'\na: 1\na: 2\n",
        ] {
            assert!(run(text).is_err(), "{text}");
        }
        // Empty files and documents are no packages, not errors.
        assert!(run("").unwrap().components.is_empty());
        assert!(run("# nothing\n").unwrap().components.is_empty());
        assert!(
            run("lockfileVersion: '6.0'\n")
                .unwrap()
                .components
                .is_empty()
        );
        assert!(
            run("lockfileVersion: 5.3\nspecifiers:\ndependencies:\npackages:\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn name() {
        assert!(PnpmLock.applies_to(Path::new("a/pnpm-lock.yaml")));
        assert!(!PnpmLock.applies_to(Path::new("a/pnpm-workspace.yaml")));
        assert_eq!(PnpmLock.name(), "pnpm-lock");
    }

    /// Fixtures that must give an error.
    const MUST_FAIL: &[(&str, &str)] = &[
        (
            "lockfiles/npm/pnpm-lock-yaml/invalid-paths.yaml",
            "keys `invalidpath1` and `invalidpath2` are not dependency paths",
        ),
        (
            "lockfiles/npm/osv-scanner-v1/pnpm/invalid-package-path.yaml",
            "a 6.x-style key (`axios@1.2.5`) in a 5.4 lockfile",
        ),
    ];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        assert_eq!(
            check_format(&root, "pnpm-lock-yaml", MUST_FAIL, run),
            (19, 1)
        );
        assert_eq!(
            check_format(&root, "osv-scanner-v1/pnpm", MUST_FAIL, run),
            (0, 1)
        );
        // Lines, where the fixtures give them: the package key's line.
        let mut lines = 0;
        for rec in peer_records(&root, |r| r["format"] == "pnpm-lock-yaml") {
            if rec.get("expect_error").is_some() {
                continue;
            }
            let ex = run(&fixture_text(&root, &rec)).unwrap();
            for p in expected(&root, &rec) {
                let Some(line) = p["location"]["line"].as_u64() else {
                    continue;
                };
                let c = ex
                    .components
                    .iter()
                    .find(|c| c.name == p["name"] && c.version == p["version"])
                    .unwrap();
                assert_eq!(c.locations[0].line, Some(line as u32), "{}", c.purl);
                lines += 1;
            }
        }
        assert!(lines >= 50, "{lines}");
    }

    /// The keys under `packages:` of every document, found by indentation (not by a YAML
    /// parser): `(document, key, the block's `version:` field if any)`.
    fn package_keys_by_text(text: &str) -> Vec<(usize, String, Option<String>)> {
        let mut out: Vec<(usize, String, Option<String>)> = Vec::new();
        let (mut doc, mut in_packages, mut started) = (0, false, false);
        for line in text.lines() {
            if line == "---" {
                // A `---` before any content opens the first document.
                doc += usize::from(started);
                in_packages = false;
                continue;
            }
            started |= !line.is_empty();
            if !line.starts_with(' ') && !line.is_empty() {
                in_packages = line == "packages:";
            } else if in_packages && line.starts_with("  ") && !line.starts_with("   ") {
                let key = line.trim().trim_end_matches(':').trim_end_matches(": {}");
                out.push((doc, key.trim_matches('\'').to_string(), None));
            } else if in_packages
                && let Some(v) = line.strip_prefix("    version: ")
                && let Some(last) = out.last_mut()
            {
                last.2 = Some(v.trim().to_string());
            }
        }
        out
    }

    /// astro's lockfile holds two YAML documents (pnpm's self-install, then the workspace);
    /// both are read. The expected counts come from a line scan of the text.
    #[test]
    fn real_lockfile_astro_two_documents() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let path = inputs.join("astro/pnpm-lock.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = PnpmLock
            .extract(&SourceFile {
                display: "astro/pnpm-lock.yaml".into(),
                path: &path,
                text: &text,
            })
            .unwrap_or_else(|e| panic!("{e}"));

        let keys = package_keys_by_text(&text);
        let mut per_doc = [0usize; 2];
        let mut distinct: HashSet<(String, String)> = HashSet::new();
        let mut versionless = 0;
        for (doc, key, field) in &keys {
            per_doc[*doc] += 1;
            let at = key[1..].find('@').unwrap() + 1;
            let (name, rest) = (&key[..at], &key[at + 1..]);
            let version = if rest.starts_with(|c: char| c.is_ascii_digit()) {
                Some(rest.to_string())
            } else {
                field.clone()
            };
            match version {
                Some(v) => {
                    distinct.insert((name.to_string(), v));
                }
                None => versionless += 1,
            }
        }
        // 19 packages in pnpm's document, 2,140 in the workspace's (`detect-libc@2.1.2` is in
        // both), two of them local directories without a version (unresolved).
        assert_eq!(per_doc, [19, 2140]);
        assert_eq!(distinct.len(), 2156);
        assert_eq!(versionless, 2);
        let got: HashSet<(String, String)> = ex
            .components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone()))
            .collect();
        let mut missing: Vec<_> = distinct.difference(&got).collect();
        missing.sort();
        let mut extra: Vec<_> = got.difference(&distinct).collect();
        extra.sort();
        assert_eq!((missing, extra), (vec![], vec![]));
        assert_eq!(ex.components.len(), distinct.len());
        assert_eq!(ex.unresolved.len(), versionless);

        // Every location is the line of its key; the second document's lines are absolute.
        let lines: Vec<&str> = text.lines().collect();
        let second = lines.iter().rposition(|l| *l == "---").unwrap() as u32 + 1;
        let mut after = 0;
        for c in &ex.components {
            for l in &c.locations {
                let n = l.line.expect("a line");
                assert!(lines[n as usize - 1].contains(&c.name), "{}: {n}", c.purl);
                after += usize::from(n > second);
            }
        }
        assert_eq!(after, 2138);
        // The workspace's own dependencies are direct, dev tooling is dev, edges are recorded.
        assert!(ex.components.iter().filter(|c| c.direct).count() > 100);
        assert!(ex.components.iter().any(|c| c.scope == Scope::Dev));
        assert!(ex.components.iter().any(|c| c.scope == Scope::Runtime));
        assert!(ex.components.iter().any(|c| c.scope == Scope::Optional));
        assert!(
            ex.components
                .iter()
                .filter(|c| !c.dependencies.is_empty())
                .count()
                > 1000
        );
        let exe = find(&ex, "pkg:npm/%40pnpm/exe@11.10.0");
        assert!(exe.direct);
        assert_eq!(exe.scope, Scope::Dev);
    }

    /// prometheus's and argo-cd's UI lockfiles (9.0, one document each).
    #[test]
    fn real_lockfiles_prometheus_and_argo_cd() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        for rel in [
            "prometheus/web/ui/pnpm-lock.yaml",
            "argo-cd/ui/pnpm-lock.yaml",
        ] {
            let path = inputs.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = PnpmLock
                .extract(&SourceFile {
                    display: rel.into(),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            let keys = package_keys_by_text(&text);
            let distinct: HashSet<&str> = keys.iter().map(|(_, k, _)| k.as_str()).collect();
            assert_eq!(
                ex.components.len() + ex.unresolved.len(),
                distinct.len(),
                "{rel}"
            );
            assert!(ex.components.iter().any(|c| c.direct), "{rel}");
        }
    }
}
