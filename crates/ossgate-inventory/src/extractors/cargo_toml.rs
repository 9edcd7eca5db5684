//! `Cargo.toml`: the crates a Rust package declares (a manifest, read only when no `Cargo.lock`
//! covers it; given directly, it is always read).
//!
//! Read:
//! - the package itself (`[package] name` and `version`, also `version.workspace = true` taken
//!   from `[workspace.package]` of the workspace root): a component, not direct (it is the
//!   project, not a dependency), whose `dependencies` are the purls of the crates it declares.
//!   A package without a version (Cargo reads `0.0.0` and will not publish it) is not a
//!   crates.io release and is not reported;
//! - `[dependencies]` (runtime; `optional = true` makes it optional), `[dev-dependencies]` (dev),
//!   `[build-dependencies]` (dev: they run on the build machine and are not linked into the
//!   product), the same three under `[target.'cfg(..)'.*]`, and the old `dev_dependencies` /
//!   `build_dependencies` spellings. Every one is direct.
//! - `workspace = true` entries take their spec from `[workspace.dependencies]` of the workspace
//!   root: this file when it has `[workspace]`, else the `package.workspace` path, else the first
//!   `Cargo.toml` with a `[workspace]` table in a directory above it on disk. A renamed entry
//!   (`package = "..."`) is the crate it names.
//!
//! Not components: `path` dependencies inside the workspace root's directory (or this package's
//! directory when there is no workspace), or matching a `members` entry, are the project's own
//! code and are left out; a `path` dependency outside it, a `git` dependency and one from another
//! `registry` are not crates.io releases and go to `Extracted.unresolved`. `[workspace.dependencies]`
//! are declarations that members inherit (each member's manifest reports what it uses, with its
//! scope), so a workspace root reports only its own package. `[patch]` and `[replace]` are not
//! read.
//!
//! Versions. Only an exact requirement (`=1.2.3`) names one version and is a component. A plain
//! version (`"0.3"`) is Cargo's default caret requirement, like `^0.3`: the resolver may pick
//! any compatible later version, so it goes to unresolved with the reason, as do `~`, `>=`,
//! `<`, `*`, wildcards and several comparators. (The peers report `futures = "0.3"` as
//! `futures@0.3`; ossgate does not guess, and the peer-fixture test checks that each such
//! crate is listed as unresolved.)
//! The same (crate, version) declared in several tables is one component, with every location
//! and the widest scope. Lines come from the TOML parser's spans.

use super::{file_name, toml_error};
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::HashMap;
use std::path::{Component as PathPart, Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

pub struct CargoToml;

impl Extractor for CargoToml {
    fn name(&self) -> &'static str {
        "cargo-toml"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "Cargo.toml"
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["Cargo.lock"]
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let spans =
            DeTable::parse(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let doc: Table =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let m = Manifest {
            file,
            spans: spans.get_ref(),
            dir: file.path.parent().unwrap_or(Path::new("")).to_path_buf(),
        };
        let workspace = m.workspace(&doc);
        let mut out = Out::default();

        // Dependency tables: (path of keys to the table, scope).
        let mut tables: Vec<(Vec<String>, Scope)> = Vec::new();
        let kinds = [
            ("dependencies", Scope::Runtime),
            ("dev-dependencies", Scope::Dev),
            ("dev_dependencies", Scope::Dev),
            ("build-dependencies", Scope::Dev),
            ("build_dependencies", Scope::Dev),
        ];
        for (key, scope) in kinds {
            tables.push((vec![key.to_string()], scope));
        }
        if let Some(target) = doc.get("target") {
            let Some(target) = target.as_table() else {
                return Err(m.error(&["target"], "`target` is not a table"));
            };
            for (cfg, body) in target {
                let Some(body) = body.as_table() else {
                    return Err(m.error(&["target", cfg], "a `target` entry is not a table"));
                };
                for (key, scope) in kinds {
                    if body.contains_key(key) {
                        tables.push((vec!["target".into(), cfg.clone(), key.into()], scope));
                    }
                }
            }
        }
        // Every entry, read in file order.
        let mut entries = Vec::new();
        for (path, scope) in &tables {
            let Some(deps) = lookup(&doc, path) else {
                continue;
            };
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            let Some(deps) = deps.as_table() else {
                return Err(m.error(&keys, &format!("`{}` is not a table", path.join("."))));
            };
            for (key, spec) in deps {
                let mut at = keys.clone();
                at.push(key);
                entries.push((m.line(&at), key, spec, *scope));
            }
        }
        entries.sort_by_key(|(line, ..)| line.unwrap_or(u32::MAX));
        for (line, key, spec, scope) in entries {
            m.dependency(key, spec, scope, line, workspace.as_ref(), &mut out)?;
        }

        // The package itself.
        let mut components = Vec::new();
        if let Some(package) = doc.get("package").or_else(|| doc.get("project")) {
            let Some(package) = package.as_table() else {
                return Err(m.error(&["package"], "`package` is not a table"));
            };
            let Some(name) = package.get("name").and_then(Value::as_str) else {
                return Err(m.error(&["package"], "`package` has no `name` string"));
            };
            let version = match package.get("version") {
                None => None,
                Some(Value::String(v)) => Some(v.clone()),
                Some(Value::Table(t)) if t.get("workspace") == Some(&Value::Boolean(true)) => {
                    let inherited = workspace.as_ref().and_then(|w| {
                        w.table
                            .get("package")
                            .and_then(|p| p.get("version"))
                            .and_then(Value::as_str)
                    });
                    match inherited {
                        Some(v) => Some(v.to_string()),
                        None => {
                            out.unresolved.push(Unresolved {
                                file: file.display.clone(),
                                line: m.line(&["package", "version"]),
                                text: format!("{name} version.workspace = true"),
                                reason: "the workspace root or its `[workspace.package] version` \
                                         was not found"
                                    .into(),
                            });
                            None
                        }
                    }
                }
                Some(_) => {
                    return Err(m.error(
                        &["package", "version"],
                        "`package.version` is not a string or `{ workspace = true }`",
                    ));
                }
            };
            if let Some(version) = version {
                let mut root = Component::new(Ecosystem::CratesIo, name, version);
                root.locations
                    .push(loc(&file.display, m.line(&["package", "name"])));
                let mut deps: Vec<String> = out.components.iter().map(|c| c.purl.clone()).collect();
                deps.sort();
                deps.dedup();
                root.dependencies = deps;
                components.push(root);
            }
        }
        components.extend(out.components);
        Ok(Extracted {
            components,
            unresolved: out.unresolved,
            ..Extracted::default()
        })
    }
}

/// The workspace root: its directory and its `[workspace]` table.
struct Workspace {
    dir: PathBuf,
    table: Table,
}

#[derive(Default)]
struct Out {
    components: Vec<Component>,
    index: HashMap<(String, String), usize>,
    unresolved: Vec<Unresolved>,
}

/// One dependency's spec, from this file or from `[workspace.dependencies]`.
#[derive(Default)]
struct Spec {
    version: Option<String>,
    package: Option<String>,
    git: Option<String>,
    path: Option<String>,
    registry: Option<String>,
    /// The directory `path` is relative to.
    base: PathBuf,
}

struct Manifest<'a, 'f> {
    file: &'f SourceFile<'a>,
    spans: &'f DeTable<'a>,
    dir: PathBuf,
}

impl Manifest<'_, '_> {
    /// The line of the key at `path` (or of the deepest key found along it).
    fn line(&self, path: &[&str]) -> Option<u32> {
        let mut table = self.spans;
        let mut line = None;
        for key in path {
            let (k, v) = table.get_key_value(*key)?;
            line = Some(line_of_offset(self.file.text, k.span().start));
            match v.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        line
    }

    fn error(&self, path: &[&str], msg: &str) -> ExtractError {
        ExtractError::new(&self.file.display, self.line(path), msg)
    }

    /// The workspace root, if there is one.
    fn workspace(&self, doc: &Table) -> Option<Workspace> {
        if let Some(Value::Table(t)) = doc.get("workspace") {
            return Some(Workspace {
                dir: self.dir.clone(),
                table: t.clone(),
            });
        }
        let read = |dir: &Path| -> Option<Workspace> {
            let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
            let doc: Table = toml::from_str(&text).ok()?;
            match doc.get("workspace") {
                Some(Value::Table(t)) => Some(Workspace {
                    dir: dir.to_path_buf(),
                    table: t.clone(),
                }),
                _ => None,
            }
        };
        let explicit = doc
            .get("package")
            .and_then(|p| p.get("workspace"))
            .and_then(Value::as_str);
        if let Some(rel) = explicit {
            return read(&normalize(&self.dir.join(rel)));
        }
        if self.dir.as_os_str().is_empty() {
            return None;
        }
        self.dir.ancestors().skip(1).take(64).find_map(read)
    }

    fn dependency(
        &self,
        key: &str,
        spec: &Value,
        scope: Scope,
        line: Option<u32>,
        workspace: Option<&Workspace>,
        out: &mut Out,
    ) -> Result<(), ExtractError> {
        let display = &self.file.display;
        let unresolved = |out: &mut Out, text: String, reason: String| {
            out.unresolved.push(Unresolved {
                file: display.clone(),
                line,
                text,
                reason,
            })
        };
        let mut optional = false;
        let spec = match spec {
            Value::String(v) => Spec {
                version: Some(v.clone()),
                ..Spec::default()
            },
            Value::Table(t) => {
                optional = t.get("optional") == Some(&Value::Boolean(true));
                if t.get("workspace") == Some(&Value::Boolean(true)) {
                    let inherited = workspace.and_then(|w| {
                        let entry = w.table.get("dependencies")?.get(key)?;
                        Some(read_spec(entry, &w.dir))
                    });
                    match inherited {
                        Some(Ok(s)) => s,
                        Some(Err(msg)) => {
                            unresolved(out, format!("{key}.workspace = true"), msg);
                            return Ok(());
                        }
                        None => {
                            unresolved(
                                out,
                                format!("{key}.workspace = true"),
                                "not found in the `[workspace.dependencies]` of a workspace root"
                                    .into(),
                            );
                            return Ok(());
                        }
                    }
                } else {
                    read_spec(spec, &self.dir).map_err(|m| {
                        ExtractError::new(display, line, format!("dependency `{key}`: {m}"))
                    })?
                }
            }
            _ => {
                return Err(ExtractError::new(
                    display,
                    line,
                    format!("dependency `{key}` is not a string or a table"),
                ));
            }
        };
        let name = spec.package.as_deref().unwrap_or(key);
        if let Some(git) = &spec.git {
            unresolved(
                out,
                format!("{name} (git {git})"),
                "a git dependency, not a crates.io release".into(),
            );
            return Ok(());
        }
        if let Some(rel) = &spec.path {
            let target = normalize(&spec.base.join(rel));
            let local = match workspace {
                Some(w) => is_member(w, &target),
                None => target.starts_with(normalize(&self.dir)),
            };
            if !local {
                unresolved(
                    out,
                    format!("{name} (path {rel})"),
                    "a path dependency outside the workspace, not a crates.io release".into(),
                );
            }
            return Ok(());
        }
        if let Some(registry) = spec.registry.as_deref().filter(|r| *r != "crates-io") {
            unresolved(
                out,
                format!("{name} (registry {registry})"),
                format!("from the registry `{registry}`, not crates.io"),
            );
            return Ok(());
        }
        let Some(req) = spec.version else {
            unresolved(out, name.to_string(), "no version requirement".into());
            return Ok(());
        };
        let version = match requirement_version(&req) {
            Ok(v) => v,
            Err(reason) => {
                unresolved(out, format!("{name} = \"{req}\""), reason);
                return Ok(());
            }
        };
        let scope = if optional && scope == Scope::Runtime {
            Scope::Optional
        } else {
            scope
        };
        let eco = Ecosystem::CratesIo;
        let index_key = (eco.normalize_name(name), version.to_string());
        let location = loc(display, line);
        if let Some(&i) = out.index.get(&index_key)
            && let Some(c) = out.components.get_mut(i)
        {
            c.scope = c.scope.widest(scope);
            if !c.locations.contains(&location) {
                c.locations.push(location);
            }
            return Ok(());
        }
        let mut c = Component::new(eco, name, version);
        c.locations.push(location);
        c.direct = true;
        c.scope = scope;
        out.index.insert(index_key, out.components.len());
        out.components.push(c);
        Ok(())
    }
}

/// Reads a dependency table (`version`, `package`, `git`, `path`, `registry`).
fn read_spec(spec: &Value, base: &Path) -> Result<Spec, String> {
    let t = match spec {
        Value::String(v) => {
            return Ok(Spec {
                version: Some(v.clone()),
                base: base.to_path_buf(),
                ..Spec::default()
            });
        }
        Value::Table(t) => t,
        _ => return Err("not a string or a table".into()),
    };
    let text = |k: &str| -> Result<Option<String>, String> {
        match t.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{k}` is not a string")),
        }
    };
    let git = text("git")?.map(|url| {
        match ["tag", "rev", "branch"]
            .iter()
            .find_map(|k| t.get(*k).and_then(Value::as_str).map(|v| (*k, v)))
        {
            Some((k, v)) => format!("{url}, {k} {v}"),
            None => url,
        }
    });
    Ok(Spec {
        version: text("version")?,
        package: text("package")?,
        git,
        path: text("path")?,
        registry: text("registry")?.or(text("registry-index")?),
        base: base.to_path_buf(),
    })
}

/// The version of an exact requirement (`=v`, one comparator). A plain version or `^v` is
/// Cargo's caret requirement, which lets the resolver pick any compatible later version: no
/// lockfile says which, and ossgate does not guess.
fn requirement_version(req: &str) -> Result<&str, String> {
    let r = req.trim();
    if r.contains(',') {
        return Err(format!("`{r}` is a range of versions"));
    }
    let Some(v) = r.strip_prefix('=').map(str::trim) else {
        return Err(if r.is_empty() {
            "an empty version requirement".into()
        } else if r.starts_with(|c: char| c == '^' || c.is_ascii_digit()) {
            format!("`{r}` is a caret requirement: any compatible later version too")
        } else {
            format!("`{r}` does not name one version")
        });
    };
    let (core, _) = v.split_once(['-', '+']).unwrap_or((v, ""));
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = parts.len() <= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if numeric {
        Ok(v)
    } else if r.is_empty() {
        Err("an empty version requirement".into())
    } else {
        Err(format!("`{r}` does not name one version"))
    }
}

/// Whether `target` is inside the workspace root's directory or matches a `members` entry.
fn is_member(w: &Workspace, target: &Path) -> bool {
    let root = normalize(&w.dir);
    if target.starts_with(&root) {
        return true;
    }
    let members = w
        .table
        .get("members")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    members
        .iter()
        .filter_map(Value::as_str)
        .any(|m| glob_match(&normalize(&root.join(m)), target))
}

/// `pattern` with `*` segments matching any one path segment.
fn glob_match(pattern: &Path, path: &Path) -> bool {
    let (p, t): (Vec<_>, Vec<_>) = (pattern.components().collect(), path.components().collect());
    p.len() == t.len()
        && p.iter().zip(&t).all(|(a, b)| {
            let a = a.as_os_str().to_string_lossy();
            a == "*" || a == b.as_os_str().to_string_lossy()
        })
}

/// A path with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            PathPart::CurDir => {}
            PathPart::ParentDir => {
                if matches!(out.components().next_back(), Some(PathPart::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The value at a path of table keys.
fn lookup<'v>(doc: &'v Table, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut v = doc.get(first)?;
    for k in rest {
        v = v.get(k)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        CargoToml.extract(&SourceFile {
            display: "Cargo.toml".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/app/Cargo.toml"), text)
    }

    type Row<'a> = (&'a str, &'a str, bool, Scope, Option<u32>);

    fn rows(ex: &Extracted) -> Vec<Row<'_>> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.direct,
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect()
    }

    #[test]
    fn requirements() {
        assert_eq!(requirement_version("=0.3"), Ok("0.3"));
        assert_eq!(requirement_version("= 1"), Ok("1"));
        for caret in ["0.3", "1", "^1.2.3"] {
            let e = requirement_version(caret).unwrap_err();
            assert!(e.contains("caret"), "{caret}: {e}");
        }
        assert_eq!(
            requirement_version("= 1.2.3-beta.1+meta"),
            Ok("1.2.3-beta.1+meta")
        );
        for r in [
            "~1.2", ">=1", "<2", "*", "1.*", "1.x", ">=1, <2", "", "1.2.3.4", "a",
        ] {
            assert!(requirement_version(r).is_err(), "{r}");
        }
    }

    const MANIFEST: &str = r#"[package]
name = "app"
version = "0.1.0"

[dependencies]
serde = { version = "=1.0.190", features = ["derive"] }
regex = "1"
tokio = { version = "~1.35", optional = true }
json = { package = "serde_json", version = "=1.0.108" }
forked = { git = "https://example.com/forked.git", tag = "v2" }
helper = { path = "crates/helper", version = "0.1" }
outside = { path = "../outside" }
private = { version = "1.0", registry = "corp" }
bare = {}
extra = { version = "=1.2.0", optional = true }

[dev-dependencies]
serde = "=1.0.190"
proptest = "=1.4.0"

[build-dependencies]
cc = "=1.0.83"

[target.'cfg(windows)'.dependencies]
winapi = { version = "=0.3.9", features = ["winuser"] }

[target.'cfg(unix)'.dependencies.libc]
version = "=0.2.150"

[target.'cfg(unix)'.dev-dependencies]
nix = "=0.27.1"
"#;

    #[test]
    fn package_tables_targets_and_unresolved() {
        let ex = run(MANIFEST).unwrap();
        let mut got = rows(&ex);
        got.sort();
        assert_eq!(
            got,
            [
                ("app", "0.1.0", false, Scope::Runtime, Some(2)),
                ("cc", "1.0.83", true, Scope::Dev, Some(22)),
                ("extra", "1.2.0", true, Scope::Optional, Some(15)),
                ("libc", "0.2.150", true, Scope::Runtime, Some(27)),
                ("nix", "0.27.1", true, Scope::Dev, Some(31)),
                ("proptest", "1.4.0", true, Scope::Dev, Some(19)),
                ("serde", "1.0.190", true, Scope::Runtime, Some(6)),
                ("serde_json", "1.0.108", true, Scope::Runtime, Some(9)),
                ("winapi", "0.3.9", true, Scope::Runtime, Some(25)),
            ]
        );
        // serde, declared twice: one component with both lines.
        let serde = ex.components.iter().find(|c| c.name == "serde").unwrap();
        let lines: Vec<_> = serde.locations.iter().map(|l| l.line).collect();
        assert_eq!(lines, [Some(6), Some(18)]);
        // The package is first and depends on every declared crate.
        let root = &ex.components[0];
        assert_eq!(root.purl, "pkg:cargo/app@0.1.0");
        assert_eq!(root.dependencies.len(), 8);
        assert!(
            root.dependencies
                .contains(&"pkg:cargo/serde_json@1.0.108".to_string())
        );
        let mut un: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        un.sort();
        assert_eq!(
            un,
            [
                ("bare", Some(14)),
                (
                    "forked (git https://example.com/forked.git, tag v2)",
                    Some(10)
                ),
                ("outside (path ../outside)", Some(12)),
                ("private (registry corp)", Some(13)),
                ("regex = \"1\"", Some(7)),
                ("tokio = \"~1.35\"", Some(8)),
            ]
        );
    }

    #[test]
    fn workspace_inheritance_from_the_root_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            r#"[workspace]
members = ["crates/*", "../sibling"]
[workspace.package]
version = "2.1.0"
[workspace.dependencies]
anyhow = "=1.0.75"
serde = { version = "=1.0.190", default-features = false }
core-lib = { path = "crates/core-lib", version = "2.1.0" }
sib = { path = "../sibling" }
far = { path = "../../far" }
gitdep = { git = "https://example.com/g.git" }
ranged = ">=0.5"
"#,
        )
        .unwrap();
        let member = dir.path().join("crates/app/Cargo.toml");
        let text = r#"[package]
name = "app"
version.workspace = true
edition.workspace = true

[dependencies]
anyhow.workspace = true
serde = { workspace = true, features = ["derive"], optional = true }
core-lib.workspace = true
sib = { workspace = true }
far.workspace = true
gitdep.workspace = true
ranged.workspace = true
missing.workspace = true
"#;
        let ex = run_at(&member, text).unwrap();
        assert_eq!(
            rows(&ex),
            [
                ("app", "2.1.0", false, Scope::Runtime, Some(2)),
                ("anyhow", "1.0.75", true, Scope::Runtime, Some(7)),
                ("serde", "1.0.190", true, Scope::Optional, Some(8)),
            ]
        );
        let un: Vec<&str> = ex.unresolved.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            un,
            [
                "far (path ../../far)",
                "gitdep (git https://example.com/g.git)",
                "ranged = \">=0.5\"",
                "missing.workspace = true",
            ]
        );
        assert_eq!(ex.unresolved[3].line, Some(14));

        // Without a root on disk, inherited entries are unresolved.
        let ex = run(text).unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 9);
        assert!(ex.unresolved[0].reason.contains("workspace"));
    }

    #[test]
    fn a_root_reads_its_own_workspace_table() {
        let text = r#"[workspace]
members = ["member"]
[workspace.dependencies]
log = "=0.4.20"
[package]
name = "root"
version = "1.0.0"
[dependencies]
log.workspace = true
member = { path = "member" }
"#;
        let ex = run(text).unwrap();
        assert_eq!(
            rows(&ex),
            [
                ("root", "1.0.0", false, Scope::Runtime, Some(6)),
                ("log", "0.4.20", true, Scope::Runtime, Some(9)),
            ]
        );
        assert!(ex.unresolved.is_empty());
        // A virtual manifest declares for its members: nothing of its own.
        let ex = run("[workspace]\n[workspace.dependencies]\nlog = \"0.4.20\"\n").unwrap();
        assert!(ex.components.is_empty() && ex.unresolved.is_empty());
        // A package without a version is not published: no component.
        let ex = run("[package]\nname = \"x\"\n[dependencies]\nlog = \"=0.4.20\"\n").unwrap();
        assert_eq!(
            rows(&ex),
            [("log", "0.4.20", true, Scope::Runtime, Some(4))]
        );
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("[package]\nname = \"x\"\nversion = \n", 3),
            ("[package]\nversion = \"1.0.0\"\n", 1),
            ("[package]\nname = \"x\"\nversion = 1\n", 3),
            ("package = 3\n", 1),
            (
                "[package]\nname = \"x\"\nversion = \"1\"\n[dependencies]\nfoo = 1\n",
                5,
            ),
            ("dependencies = [1]\n", 1),
            ("[dependencies]\nfoo = { version = 1 }\n", 2),
            ("[dependencies.foo]\npath = 3\n", 1),
            ("target = 1\n", 1),
            ("[target]\nunix = 1\n", 2),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "Cargo.toml");
        }
        assert!(CargoToml.applies_to(Path::new("x/Cargo.toml")));
        assert!(!CargoToml.applies_to(Path::new("x/Cargo.lock")));
        assert_eq!(CargoToml.superseded_by(), ["Cargo.lock"]);
    }

    /// cargo's own Cargo.toml (a package and a workspace root) and deno's (a virtual manifest).
    /// For cargo, the crates are counted from the text lines of the dependency tables, and each
    /// must be locked in the Cargo.lock beside it.
    #[test]
    fn real_manifests() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let read = |project: &str| {
            let path = inputs.join(project).join("Cargo.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = run_at(&path, &text).unwrap_or_else(|e| panic!("{project}: {e}"));
            (text, ex)
        };

        let (text, ex) = read("cargo");
        // Workspace dependencies that are paths (members), by line.
        let mut section = "";
        let mut member_paths = Vec::new();
        let mut declared = std::collections::BTreeSet::new();
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line;
                // `[target.'cfg(windows)'.dependencies.windows-sys]`
                if let Some(name) = line
                    .strip_suffix(']')
                    .and_then(|l| l.rsplit_once("dependencies."))
                    .map(|(_, n)| n)
                {
                    declared.insert(name.to_string());
                }
                continue;
            }
            let name = line.split(['=', '.', ' ']).next().unwrap_or("");
            if name.is_empty() || name.starts_with('#') {
                continue;
            }
            if section == "[workspace.dependencies]" && line.contains("path =") {
                member_paths.push(name.to_string());
            } else if section.ends_with("dependencies]") && section != "[workspace.dependencies]" {
                declared.insert(name.to_string());
            }
        }
        let from_registry: Vec<&String> = declared
            .iter()
            .filter(|n| !member_paths.contains(n))
            .collect();
        // Every registry crate is either an exact pin (a component) or, like almost all of
        // cargo's own (caret requirements such as "1.0.98"), listed as unresolved.
        let mut names: std::collections::BTreeSet<&str> =
            ex.components[1..].iter().map(|c| c.name.as_str()).collect();
        names.extend(
            ex.unresolved
                .iter()
                .filter_map(|u| u.text.split([' ', '.', '=']).next()),
        );
        assert_eq!(names.len(), from_registry.len());
        assert!(ex.unresolved.len() > 50, "{}", ex.unresolved.len());
        assert_eq!(ex.components[0].purl, "pkg:cargo/cargo@0.101.0");
        let lock = std::fs::read_to_string(inputs.join("cargo/Cargo.lock")).unwrap();
        for u in &ex.unresolved {
            let name = u.text.split([' ', '.', '=']).next().unwrap();
            assert!(
                lock.contains(&format!("name = \"{name}\"")),
                "{name} is not locked"
            );
            assert!(u.line.is_some() && !u.reason.is_empty(), "{u:?}");
        }
        let (_, ex) = read("deno");
        assert!(ex.components.is_empty() && ex.unresolved.is_empty());
    }
}
