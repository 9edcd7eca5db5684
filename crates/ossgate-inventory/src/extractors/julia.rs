//! Julia environments: `Manifest.toml` (the resolved set) and `Project.toml` (the declaration).
//!
//! **Manifest** (`Manifest.toml`, `JuliaManifest.toml`, and the version-specific
//! `Manifest-v1.11.toml` / `JuliaManifest-v1.11.toml`). Two layouts exist:
//!
//! - format 2.0 (Julia 1.7 on): `manifest_format = "2.0"`, `julia_version`, and one
//!   `[[deps.Name]]` table per package;
//! - the older flat format: one top-level `[[Name]]` table per package.
//!
//! Each package table holds `uuid`, `version`, `git-tree-sha1`, and `deps`, either a list of
//! names or (when names are ambiguous) a table from name to uuid; `repo-url`/`repo-rev` mark a
//! package tracked from a git repository and `path` one developed from a local directory.
//! Packages with a `version` are components (those from git repositories included: the version
//! is the package's own), and `deps` gives the edges. Standard libraries carry no `version`
//! (nor a tree hash, path or repository): they ship with Julia at `julia_version` rather than
//! being resolved packages, and are not reported. A developed or repository package without a
//! `version` is reported unresolved. The manifest does not say which packages are direct: the
//! `Project.toml` (or `JuliaProject.toml`) beside it does, by uuid, in `[deps]`.
//!
//! The purl carries the package uuid, which purl-spec's `julia` type requires to tell packages
//! of the same name apart: `pkg:julia/JSON@0.21.4?uuid=682c06a0-...`. [`Ecosystem::purl`]
//! writes no qualifiers, so [`purl_with`] adds it.
//!
//! **Project** (`Project.toml`, `JuliaProject.toml`). The project itself, when it has a `name`
//! and a `version` (a package rather than an application), is reported as a direct
//! component. `[deps]` lists dependencies by name and uuid with version bounds in `[compat]`;
//! a bound naming one version (`"=1.2.3"`) is a component, anything else (a range, or no
//! `[compat]` entry) is reported unresolved, as are `[weakdeps]` (optional) and `[extras]`
//! (test and build targets). A manifest beside it gives the exact versions, so the project
//! is superseded by `Manifest.toml` or `JuliaManifest.toml` (the version-specific names cannot
//! be listed there).
//!
//! Gleam's lockfile is `manifest.toml` in lower case; file names are compared exactly, so the
//! two are never confused.

use super::dpkg_status::purl_with;
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

fn julia() -> Ecosystem {
    Ecosystem::Other("Julia".into())
}

fn purl(name: &str, version: &str, uuid: &str) -> String {
    purl_with(&julia(), None, name, version, &[("uuid", uuid)])
}

pub struct JuliaManifest;

impl Extractor for JuliaManifest {
    fn name(&self) -> &'static str {
        "julia-manifest"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path);
        matches!(name, "Manifest.toml" | "JuliaManifest.toml")
            || ((name.starts_with("Manifest-v") || name.starts_with("JuliaManifest-v"))
                && name.ends_with(".toml"))
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let table: Table =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let err = |line: Option<u32>, msg: String| ExtractError::new(&file.display, line, msg);
        // Format 2.0 keeps the packages under `deps`; the flat format at the top level.
        let v2 = table.contains_key("manifest_format")
            || matches!(table.get("deps"), Some(Value::Table(_)));
        let (packages, prefix) = match table.get("deps") {
            _ if !v2 => (&table, ""),
            Some(Value::Table(deps)) => (deps, "deps."),
            None => return Ok(Extracted::default()),
            Some(_) => {
                let line = key_line(file.text, "", "deps");
                return Err(err(line, "`deps` is not a table".into()));
            }
        };

        let mut entries: Vec<Entry> = Vec::new();
        for (name, value) in packages {
            let Value::Array(tables) = value else {
                if v2 {
                    let line = key_line(file.text, "deps", name);
                    return Err(err(
                        line,
                        format!("`deps.{name}` is not an array of tables"),
                    ));
                }
                continue; // a top-level setting of the flat format
            };
            let lines = package_lines(file.text, prefix, name);
            for (k, t) in tables.iter().enumerate() {
                let line = lines.get(k).copied();
                let Value::Table(t) = t else {
                    return Err(err(line, format!("`{prefix}{name}` is not a table")));
                };
                entries.push(Entry::read(name, t, line).map_err(|m| err(line, m))?);
            }
        }
        entries.sort_by_key(|e| e.line.unwrap_or(u32::MAX));

        let direct = project_deps_beside(file.path);
        let mut out = Extracted::default();
        let components: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                if e.version.is_some() {
                    return true;
                }
                let why = if let Some(p) = &e.path {
                    Some(format!(
                        "developed from the local directory `{p}` without a version"
                    ))
                } else {
                    e.repo
                        .as_ref()
                        .map(|r| format!("tracked from the repository {r} without a version"))
                };
                if let Some(reason) = why {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line: e.line,
                        text: e.name.clone(),
                        reason,
                    });
                }
                false
            })
            .collect();
        let purls: Vec<String> = components
            .iter()
            .map(|e| purl(&e.name, e.version.as_deref().unwrap_or(""), &e.uuid))
            .collect();
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut by_uuid: HashMap<&str, usize> = HashMap::new();
        for (i, e) in components.iter().enumerate() {
            by_name.entry(e.name.as_str()).or_insert(i);
            if !e.uuid.is_empty() {
                by_uuid.entry(e.uuid.as_str()).or_insert(i);
            }
        }
        for (i, e) in components.iter().enumerate() {
            let mut c = Component::with_purl(
                julia(),
                e.name.clone(),
                e.version.clone().unwrap_or_default(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, e.line));
            c.direct = direct.iter().any(|(name, uuid)| {
                if e.uuid.is_empty() || uuid.is_empty() {
                    *name == e.name
                } else {
                    *uuid == e.uuid
                }
            });
            let mut seen = HashSet::new();
            for (name, uuid) in &e.deps {
                let j = match uuid {
                    Some(u) => by_uuid.get(u.as_str()),
                    None => by_name.get(name.as_str()),
                };
                if let Some(&j) = j
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

/// One package table of a manifest.
struct Entry {
    name: String,
    uuid: String,
    version: Option<String>,
    path: Option<String>,
    repo: Option<String>,
    /// Dependencies by name, with the uuid when the manifest gives it.
    deps: Vec<(String, Option<String>)>,
    line: Option<u32>,
}

impl Entry {
    fn read(name: &str, t: &Table, line: Option<u32>) -> Result<Entry, String> {
        let string = |k: &str| -> Result<Option<String>, String> {
            match t.get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("`{k}` of `{name}` is not a string")),
            }
        };
        let deps = match t.get("deps") {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| {
                    d.as_str()
                        .map(|s| (s.to_string(), None))
                        .ok_or_else(|| format!("`deps` of `{name}` holds a non-string"))
                })
                .collect::<Result<_, _>>()?,
            Some(Value::Table(m)) => m
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|u| (k.clone(), Some(u.to_string())))
                        .ok_or_else(|| format!("`deps.{k}` of `{name}` is not a uuid string"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(format!("`deps` of `{name}` is not a list or table")),
        };
        Ok(Entry {
            name: name.to_string(),
            uuid: string("uuid")?.unwrap_or_default(),
            version: string("version")?.filter(|v| !v.is_empty()),
            path: string("path")?,
            repo: string("repo-url")?,
            deps,
            line,
        })
    }
}

/// The lines of `[[<prefix><name>]]` headers, bare or quoted, in file order.
fn package_lines(text: &str, prefix: &str, name: &str) -> Vec<u32> {
    let mut lines = header_lines(text, &format!("[[{prefix}{name}]]"));
    lines.extend(header_lines(text, &format!("[[{prefix}\"{name}\"]]")));
    lines.sort_unstable();
    lines
}

/// The project files that may sit beside a manifest, the matching name first.
fn projects_beside(manifest: &Path) -> [PathBuf; 2] {
    let (first, second) = if file_name(manifest).starts_with("Julia") {
        ("JuliaProject.toml", "Project.toml")
    } else {
        ("Project.toml", "JuliaProject.toml")
    };
    [
        manifest.with_file_name(first),
        manifest.with_file_name(second),
    ]
}

/// `(name, uuid)` of the `[deps]` of the project beside a manifest.
fn project_deps_beside(manifest: &Path) -> Vec<(String, String)> {
    let Some(table) = projects_beside(manifest)
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| toml::from_str::<Table>(&t).ok())
    else {
        return Vec::new();
    };
    table
        .get("deps")
        .and_then(Value::as_table)
        .map(|deps| {
            deps.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

pub struct JuliaProject;

impl Extractor for JuliaProject {
    fn name(&self) -> &'static str {
        "julia-project"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "Project.toml" | "JuliaProject.toml")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let table: Table =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let err = |line: Option<u32>, msg: String| ExtractError::new(&file.display, line, msg);
        let string = |t: &Table, k: &str, section: &str| -> Result<Option<String>, ExtractError> {
            match t.get(k) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(err(
                    key_line(file.text, section, k),
                    format!("`{k}` is not a string"),
                )),
            }
        };
        let mut out = Extracted::default();

        if let (Some(name), Some(version)) =
            (string(&table, "name", "")?, string(&table, "version", "")?)
        {
            let uuid = string(&table, "uuid", "")?.unwrap_or_default();
            let mut c = Component::with_purl(
                julia(),
                name.clone(),
                version.clone(),
                purl(&name, &version, &uuid),
            );
            c.locations
                .push(loc(&file.display, key_line(file.text, "", "name")));
            c.direct = true;
            out.components.push(c);
        }

        let compat = match table.get("compat") {
            None => Table::new(),
            Some(Value::Table(t)) => t.clone(),
            Some(_) => {
                return Err(err(
                    key_line(file.text, "", "compat"),
                    "`compat` is not a table".into(),
                ));
            }
        };
        for (section, scope, what) in [
            ("deps", Scope::Runtime, "dependency"),
            ("weakdeps", Scope::Optional, "weak (optional) dependency"),
            ("extras", Scope::Test, "extra (test or build) dependency"),
        ] {
            let deps = match table.get(section) {
                None => continue,
                Some(Value::Table(t)) => t,
                Some(_) => {
                    return Err(err(
                        key_line(file.text, "", section),
                        format!("`{section}` is not a table"),
                    ));
                }
            };
            for (name, uuid) in deps {
                let line = key_line(file.text, section, name);
                let Some(uuid) = uuid.as_str() else {
                    return Err(err(
                        line,
                        format!("`{section}.{name}` is not a uuid string"),
                    ));
                };
                let bound = string(&compat, name, "compat")?;
                match bound.as_deref().and_then(exact_bound) {
                    Some(v) => {
                        let mut c = Component::with_purl(
                            julia(),
                            name.clone(),
                            v.to_string(),
                            purl(name, v, uuid),
                        );
                        c.locations.push(loc(&file.display, line));
                        c.direct = true;
                        c.scope = scope;
                        out.components.push(c);
                    }
                    None => out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: name.clone(),
                        reason: match bound {
                            Some(b) => {
                                format!("{what} with compat bound `{b}`, not one exact version")
                            }
                            None => format!("{what} without a [compat] bound"),
                        },
                    }),
                }
            }
        }
        out.unresolved.sort_by_key(|u| u.line.unwrap_or(u32::MAX));
        Ok(out)
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["Manifest.toml", "JuliaManifest.toml"]
    }
}

/// The version a `[compat]` bound pins exactly: `=1.2.3` (one entry).
fn exact_bound(bound: &str) -> Option<&str> {
    let v = bound.trim().strip_prefix('=')?.trim();
    let ok = !v.is_empty()
        && !v.contains([',', ' ', '-', '=', '<', '>', '^', '~'])
        && v.split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    ok.then_some(v)
}

/// 1-based line of `key = ...` in `[section]` (`""`: before any section header).
fn key_line(text: &str, section: &str, key: &str) -> Option<u32> {
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(header) = t.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            continue;
        }
        let Some((k, _)) = t.split_once('=') else {
            continue;
        };
        if current == section && k.trim().trim_matches('"') == key {
            return Some(i as u32 + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn manifest_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        JuliaManifest.extract(&SourceFile {
            display: "Manifest.toml".into(),
            path,
            text,
        })
    }

    fn manifest(text: &str) -> Result<Extracted, ExtractError> {
        manifest_at(Path::new("/nonexistent/Manifest.toml"), text)
    }

    fn project(text: &str) -> Result<Extracted, ExtractError> {
        JuliaProject.extract(&SourceFile {
            display: "Project.toml".into(),
            path: Path::new("/nonexistent/Project.toml"),
            text,
        })
    }

    const V2: &str = r#"# This file is machine-generated - editing it directly is not advised

julia_version = "1.10.0"
manifest_format = "2.0"
project_hash = "abc"

[[deps.Dates]]
deps = ["Printf"]
uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"

[[deps.JSON]]
deps = ["Dates", "Mmap", "Parsers", "Unicode"]
git-tree-sha1 = "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.4"

[[deps.Parsers]]
deps = ["Dates", "PrecompileTools", "UUIDs"]
git-tree-sha1 = "8489905bcdbcfac64d1daa51ca07c0d8f0283821"
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "2.8.1"

[[deps.PrecompileTools]]
git-tree-sha1 = "03b4c25b43cb84cee5c90aa9b5ea0a78fd848d2f"
uuid = "aea7be01-6a6a-4083-8856-8a6e6704d82a"
version = "1.2.0"

    [deps.PrecompileTools.deps]
    Preferences = "21216c6a-2e73-6563-6e65-726566657250"

[[deps.Preferences]]
deps = ["TOML"]
git-tree-sha1 = "9306f6085165d270f7e3db02af26a400d580f5c6"
uuid = "21216c6a-2e73-6563-6e65-726566657250"
version = "1.4.3"

[[deps.Mine]]
path = "dev/Mine"
uuid = "11111111-2222-3333-4444-555555555555"

[[deps.Forked]]
deps = ["JSON"]
git-tree-sha1 = "cca953732cd949cfe36d70e981a41ac32a5c6ae7"
repo-rev = "main"
repo-url = "https://github.com/x/Forked.jl"
uuid = "dcb67f36-efa0-11e8-0cef-2fc465ed98ae"
version = "0.2.0"
"#;

    #[test]
    fn reads_a_v2_manifest() {
        let ex = manifest(V2).unwrap();
        let got: Vec<(&str, &str, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("JSON", "0.21.4", Some(11)),
                ("Parsers", "2.8.1", Some(17)),
                ("PrecompileTools", "1.2.0", Some(23)),
                ("Preferences", "1.4.3", Some(31)),
                ("Forked", "0.2.0", Some(41)),
            ]
        );
        let c = &ex.components;
        assert_eq!(
            c[0].purl,
            "pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"
        );
        assert_eq!(c[0].ecosystem, julia());
        // Standard libraries (Dates, Mmap...) make no edges; the uuid table form resolves.
        assert_eq!(c[0].dependencies, [c[1].purl.as_str()]);
        assert_eq!(c[1].dependencies, [c[2].purl.as_str()]);
        assert_eq!(c[2].dependencies, [c[3].purl.as_str()]);
        assert_eq!(c[4].dependencies, [c[0].purl.as_str()]);
        assert!(c.iter().all(|c| !c.direct));
        // The developed package without a version.
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "Mine");
        assert_eq!(ex.unresolved[0].line, Some(37));
    }

    #[test]
    fn reads_the_flat_format_and_direct_dependencies_from_the_project() {
        let text = r#"[[Base64]]
uuid = "2a0f44e3-6c83-55bd-87e4-b1978d98bd5f"

[[JSON]]
deps = ["Dates", "Mmap", "Parsers", "Unicode"]
git-tree-sha1 = "b34d7cef7b337321e97d22242c3c2b91f476748e"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.0"

[[Parsers]]
deps = ["Dates", "Test"]
git-tree-sha1 = "ef0af6c8601db18c282d092ccbd2f01f3f0cd70b"
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "0.3.7"
"#;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Project.toml"),
            "[deps]\nJSON = \"682c06a0-de6a-54ab-a142-c8b1cf79cde6\"\n",
        )
        .unwrap();
        let ex = manifest_at(&dir.path().join("Manifest.toml"), text).unwrap();
        let got: Vec<(&str, bool, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.direct, c.locations[0].line))
            .collect();
        assert_eq!(got, [("JSON", true, Some(4)), ("Parsers", false, Some(10))]);
        assert_eq!(
            ex.components[0].dependencies,
            [ex.components[1].purl.as_str()]
        );
        // JuliaManifest-v1.11.toml looks for JuliaProject.toml first.
        std::fs::write(dir.path().join("JuliaProject.toml"), "[deps]\n").unwrap();
        let ex = manifest_at(&dir.path().join("JuliaManifest-v1.11.toml"), text).unwrap();
        assert!(ex.components.iter().all(|c| !c.direct));
    }

    #[test]
    fn applies_to_julia_file_names_only() {
        for p in [
            "Manifest.toml",
            "x/JuliaManifest.toml",
            "Manifest-v1.11.toml",
            "JuliaManifest-v1.10.toml",
        ] {
            assert!(JuliaManifest.applies_to(Path::new(p)), "{p}");
        }
        for p in ["manifest.toml", "Manifest.lock", "Project.toml"] {
            assert!(!JuliaManifest.applies_to(Path::new(p)), "{p}");
        }
        assert!(JuliaProject.applies_to(Path::new("a/Project.toml")));
        assert!(JuliaProject.applies_to(Path::new("JuliaProject.toml")));
        assert!(!JuliaProject.applies_to(Path::new("project.toml")));
        assert_eq!(
            JuliaProject.superseded_by(),
            ["Manifest.toml", "JuliaManifest.toml"]
        );
        assert_eq!(
            (JuliaManifest.name(), JuliaProject.name()),
            ("julia-manifest", "julia-project")
        );
    }

    #[test]
    fn malformed_manifests() {
        let cases: &[(&str, Option<u32>)] = &[
            ("manifest_format = \"2.0\"\n[[deps.A]\n", Some(2)),
            ("manifest_format = \"2.0\"\ndeps = 3\n", Some(2)),
            (
                "manifest_format = \"2.0\"\n\n[[deps.A]]\nversion = 1\n",
                Some(3),
            ),
            (
                "manifest_format = \"2.0\"\n\n[[deps.A]]\ndeps = [1]\n",
                Some(3),
            ),
            (
                "manifest_format = \"2.0\"\n\n[[deps.A]]\ndeps = 1\n",
                Some(3),
            ),
            ("manifest_format = \"2.0\"\n[deps]\nA = 1\n", Some(3)),
        ];
        for (text, line) in cases {
            let err = manifest(text).expect_err(text);
            assert_eq!(err.line, *line, "{text}: {err}");
            assert_eq!(err.file, "Manifest.toml");
        }
        assert!(manifest("").unwrap().components.is_empty());
        assert!(
            manifest("julia_version = \"1.6\"\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn reads_a_project() {
        let text = r#"name = "MyPkg"
uuid = "7876af07-990d-54b4-ab0e-23690620f79a"
version = "0.3.0"

[deps]
JSON = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
"Pinned" = "00000000-0000-0000-0000-000000000001"
LinearAlgebra = "37e2e46d-f89d-539d-b4ee-838fcccc9c8e"

[weakdeps]
Plots = "91a5bcdd-55d7-5caf-9e0b-520d859cae80"

[compat]
JSON = "0.21, 1"
Pinned = "=1.2.3"
julia = "1.6"

[extras]
Test = "8dfed614-e22c-5e08-85e1-65c5234f0b40"
"#;
        let ex = project(text).unwrap();
        let got: Vec<(&str, &str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.version.as_str(),
                    c.direct,
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:julia/MyPkg@0.3.0?uuid=7876af07-990d-54b4-ab0e-23690620f79a",
                    "0.3.0",
                    true,
                    Scope::Runtime,
                    Some(1)
                ),
                (
                    "pkg:julia/Pinned@1.2.3?uuid=00000000-0000-0000-0000-000000000001",
                    "1.2.3",
                    true,
                    Scope::Runtime,
                    Some(7)
                ),
            ]
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("JSON", Some(6)),
                ("LinearAlgebra", Some(8)),
                ("Plots", Some(11)),
                ("Test", Some(19)),
            ]
        );
        assert!(ex.unresolved[0].reason.contains("0.21, 1"));
        // An application: no name or version, nothing of its own.
        assert!(project("[deps]\n").unwrap().components.is_empty());
        for (text, line) in [
            ("name = 1\nversion = \"1\"\n", Some(1)),
            ("[deps]\nA = 1\n", Some(2)),
            ("deps = 1\n", Some(1)),
            ("compat = 1\n", Some(1)),
            ("[deps]\nA = \"u\"\n[compat]\nA = 1\n", Some(4)),
            ("[deps\n", Some(1)),
        ] {
            let err = project(text).expect_err(text);
            assert_eq!(err.line, line, "{text}: {err}");
        }
        assert_eq!(exact_bound("=1.2.3"), Some("1.2.3"));
        assert_eq!(exact_bound("= 1"), Some("1"));
        for b in ["1.2.3", "=1.2, =1.3", "=1.2-1.3", "=", "~1.2"] {
            assert_eq!(exact_bound(b), None, "{b}");
        }
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        // No exceptions: every fixture matches.
        assert_eq!(check_format(&root, "manifest-toml", &[], manifest), (4, 0));
        assert_eq!(check_format(&root, "project-toml", &[], project), (1, 0));
    }
}
