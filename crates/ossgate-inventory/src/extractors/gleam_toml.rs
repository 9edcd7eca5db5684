//! Gleam projects: the manifest `gleam.toml` and the lockfile `manifest.toml` beside it.
//!
//! **manifest.toml** (written by `gleam deps download`) holds the resolved set:
//!
//! ```toml
//! packages = [
//!   { name = "gleam_stdlib", version = "0.34.0", build_tools = ["gleam"], requirements = [], otp_app = "gleam_stdlib", source = "hex", outer_checksum = "..." },
//!   { name = "gleeunit", version = "1.0.2", requirements = ["gleam_stdlib"], source = "hex", ... },
//! ]
//!
//! [requirements]
//! gleam_stdlib = { version = ">= 0.34.0 and < 2.0.0" }
//! ```
//!
//! `source = "hex"` packages are Hex components, `requirements` gives the edges and the
//! `[requirements]` table the direct dependencies. `git` and `local` packages are not Hex
//! releases and are reported unresolved. The lock does not tell development dependencies
//! apart; when the `gleam.toml` beside it lists `[dev-dependencies]`, packages reachable only
//! from those are given the dev scope.
//!
//! **gleam.toml** declares `[dependencies]` and `[dev-dependencies]` (or `dev_dependencies`),
//! each a Hex version requirement (`">= 0.34.0 and < 2.0.0"`, or `{ version = "..." }`), a git
//! repository (`{ git = "...", ref = "..." }`) or a local path (`{ path = "..." }`). Only a
//! requirement naming one exact version (`"1.2.3"`, `"== 1.2.3"`) is a component; ranges, git
//! and path dependencies are reported unresolved. The project itself (`name`, `version`) is not
//! a component. When a Gleam `manifest.toml` sits beside it, gleam.toml gives nothing: the
//! lockfile has the exact versions. (The registry's `superseded_by` cannot express this,
//! because both files are read by this one extractor and a lockfile would supersede itself.)
//!
//! The two files are told apart by content: a top-level `packages` array makes a lockfile; a
//! `manifest.toml` without one is not Gleam's and gives nothing.
//! Julia's `Manifest.toml` (capital M) is left to the Julia extractor.

use super::{file_name, toml_error};
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use toml::Spanned;

pub struct GleamToml;

impl Extractor for GleamToml {
    fn name(&self) -> &'static str {
        "gleam-toml"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "gleam.toml" | "manifest.toml")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let table: toml::Table =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        if is_lockfile(&table) {
            return read_lock(file);
        }
        match file_name(file.path) {
            // Another tool's manifest.toml: nothing of Gleam's in it.
            "manifest.toml" => Ok(Extracted::default()),
            "gleam.toml" if lock_beside(file.path) => Ok(Extracted::default()),
            _ => read_project(file),
        }
    }
}

fn is_lockfile(table: &toml::Table) -> bool {
    matches!(table.get("packages"), Some(toml::Value::Array(_)))
}

/// Whether a Gleam `manifest.toml` sits beside `gleam.toml`.
fn lock_beside(path: &Path) -> bool {
    std::fs::read_to_string(path.with_file_name("manifest.toml"))
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .is_some_and(|t| is_lockfile(&t))
}

#[derive(Deserialize)]
struct Project {
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default, rename = "dev_dependencies")]
    dev_dependencies_underscore: BTreeMap<String, Spanned<toml::Value>>,
}

fn read_project(file: &SourceFile) -> Result<Extracted, ExtractError> {
    let project: Project =
        toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
    let mut found: Vec<(u32, Scope, &str, &toml::Value)> = Vec::new();
    for (deps, scope) in [
        (&project.dependencies, Scope::Runtime),
        (&project.dev_dependencies, Scope::Dev),
        (&project.dev_dependencies_underscore, Scope::Dev),
    ] {
        for (name, value) in deps {
            let line = line_of_offset(file.text, value.span().start);
            found.push((line, scope, name, value.get_ref()));
        }
    }
    found.sort_by_key(|(line, ..)| *line);

    let mut out = Extracted::default();
    for (line, scope, name, value) in found {
        let unresolved = |reason: String| Unresolved {
            file: file.display.clone(),
            line: Some(line),
            text: name.to_string(),
            reason,
        };
        let requirement = match value {
            toml::Value::String(s) => s.as_str(),
            toml::Value::Table(t) => {
                if let Some(repo) = t.get("git").and_then(toml::Value::as_str) {
                    let at = t
                        .get("ref")
                        .and_then(toml::Value::as_str)
                        .map(|r| format!(" at `{r}`"))
                        .unwrap_or_default();
                    out.unresolved.push(unresolved(format!(
                        "git dependency on {repo}{at}, not a Hex release"
                    )));
                    continue;
                }
                if let Some(path) = t.get("path").and_then(toml::Value::as_str) {
                    out.unresolved.push(unresolved(format!(
                        "local path dependency `{path}`, not a Hex release"
                    )));
                    continue;
                }
                match t.get("version").and_then(toml::Value::as_str) {
                    Some(v) => v,
                    None => {
                        return Err(ExtractError::new(
                            &file.display,
                            Some(line),
                            format!("dependency `{name}` has no `version`, `git` or `path`"),
                        ));
                    }
                }
            }
            _ => {
                return Err(ExtractError::new(
                    &file.display,
                    Some(line),
                    format!("dependency `{name}` is not a version requirement or a table"),
                ));
            }
        };
        match exact_version(requirement) {
            Some(v) => {
                let mut c = Component::new(Ecosystem::Hex, name, v);
                c.locations.push(loc(&file.display, Some(line)));
                c.direct = true;
                c.scope = scope;
                out.components.push(c);
            }
            None => out.unresolved.push(unresolved(format!(
                "version requirement `{requirement}`, not one exact version"
            ))),
        }
    }
    Ok(out)
}

/// The version a Hex requirement pins exactly (`1.2.3`, `== 1.2.3`), if it does.
fn exact_version(req: &str) -> Option<&str> {
    let v = req.trim();
    let v = v.strip_prefix("==").map(str::trim_start).unwrap_or(v);
    // The three numbers, then nothing or a non-empty `-pre` / `+build` part.
    let (core, rest) = match v.find(['-', '+']) {
        Some(i) => (v.get(..i)?, Some(v.get(i + 1..)?)),
        None => (v, None),
    };
    let numbers_ok = core.split('.').count() == 3
        && core
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = rest.is_none_or(|r| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-+.".contains(&b))
    });
    (numbers_ok && rest_ok).then_some(v)
}

#[derive(Deserialize)]
struct Lock {
    packages: Vec<Spanned<LockPackage>>,
    #[serde(default)]
    requirements: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    requirements: Vec<String>,
    repo: Option<String>,
    commit: Option<String>,
    path: Option<String>,
}

fn read_lock(file: &SourceFile) -> Result<Extracted, ExtractError> {
    let lock: Lock =
        toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
    let mut out = Extracted::default();
    // (package, line) of the Hex packages.
    let mut hex: Vec<(&LockPackage, u32)> = Vec::new();
    for p in &lock.packages {
        let line = line_of_offset(file.text, p.span().start);
        let p = p.get_ref();
        let reason = match p.source.as_str() {
            "hex" => {
                hex.push((p, line));
                continue;
            }
            "git" => format!(
                "git dependency on {} at {}, not a Hex release",
                p.repo.as_deref().unwrap_or("?"),
                p.commit.as_deref().unwrap_or("?")
            ),
            "local" => format!(
                "local path dependency `{}`, not a Hex release",
                p.path.as_deref().unwrap_or("?")
            ),
            other => format!("package from source `{other}`, not a Hex release"),
        };
        out.unresolved.push(Unresolved {
            file: file.display.clone(),
            line: Some(line),
            text: p.name.clone(),
            reason,
        });
    }

    let purls: Vec<String> = hex
        .iter()
        .map(|(p, _)| Ecosystem::Hex.purl(&p.name, Some(&p.version)))
        .collect();
    let by_name: HashMap<&str, usize> = hex
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.name.as_str(), i))
        .collect();
    // Scope: packages reachable only from the project's dev-dependencies are dev.
    let dev_roots = dev_dependencies_beside(file.path);
    let reach = |roots: Vec<&str>| -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut stack: Vec<usize> = roots
            .iter()
            .filter_map(|r| by_name.get(r).copied())
            .collect();
        while let Some(i) = stack.pop() {
            if seen.insert(i)
                && let Some((p, _)) = hex.get(i)
            {
                stack.extend(
                    p.requirements
                        .iter()
                        .filter_map(|r| by_name.get(r.as_str()).copied()),
                );
            }
        }
        seen
    };
    let (runtime, dev) = if dev_roots.is_empty() {
        (HashSet::new(), HashSet::new())
    } else {
        (
            reach(
                lock.requirements
                    .keys()
                    .map(String::as_str)
                    .filter(|n| !dev_roots.contains(*n))
                    .collect(),
            ),
            reach(dev_roots.iter().map(String::as_str).collect()),
        )
    };

    for (i, (p, line)) in hex.iter().enumerate() {
        let mut c = Component::with_purl(
            Ecosystem::Hex,
            p.name.clone(),
            p.version.clone(),
            purls[i].clone(),
        );
        c.locations.push(loc(&file.display, Some(*line)));
        c.direct = lock.requirements.contains_key(&p.name);
        if dev.contains(&i) && !runtime.contains(&i) {
            c.scope = Scope::Dev;
        }
        let mut seen = HashSet::new();
        c.dependencies = p
            .requirements
            .iter()
            .filter_map(|r| by_name.get(r.as_str()).copied())
            .filter(|&j| j != i && seen.insert(j))
            .map(|j| purls[j].clone())
            .collect();
        out.components.push(c);
    }
    Ok(out)
}

/// The `[dev-dependencies]` names of the gleam.toml beside a manifest.toml.
fn dev_dependencies_beside(lock: &Path) -> HashSet<String> {
    let Ok(text) = std::fs::read_to_string(lock.with_file_name("gleam.toml")) else {
        return HashSet::new();
    };
    let Ok(project) = toml::from_str::<Project>(&text) else {
        return HashSet::new();
    };
    project
        .dev_dependencies
        .into_keys()
        .chain(project.dev_dependencies_underscore.into_keys())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        GleamToml.extract(&SourceFile {
            display: file_name(path).to_string(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/gleam.toml"), text)
    }

    const PROJECT: &str = r#"name = "app"
version = "1.0.0"

[dependencies]
gleam_stdlib = ">= 0.34.0 and < 2.0.0"
gleam_http = "3.6.0"
wisp = { version = "== 1.1.0" }
lib = { git = "https://github.com/x/lib", ref = "a8b3c5d" }
local = { path = "../local" }

[dev-dependencies]
gleeunit = "~> 1.0"
birdie = "1.2.0-rc.1"
"#;

    #[test]
    fn reads_a_project_exact_pins_and_unresolved_requirements() {
        let ex = run(PROJECT).unwrap();
        let got: Vec<(&str, Scope, bool, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.direct, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:hex/gleam_http@3.6.0", Scope::Runtime, true, Some(6)),
                ("pkg:hex/wisp@1.1.0", Scope::Runtime, true, Some(7)),
                ("pkg:hex/birdie@1.2.0-rc.1", Scope::Dev, true, Some(13)),
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
                ("gleam_stdlib", Some(5)),
                ("lib", Some(8)),
                ("local", Some(9)),
                ("gleeunit", Some(12)),
            ]
        );
        assert!(ex.unresolved[1].reason.contains("a8b3c5d"));
    }

    #[test]
    fn exact_versions() {
        for (req, want) in [
            ("1.2.3", Some("1.2.3")),
            (" == 1.2.3 ", Some("1.2.3")),
            ("1.2.3-rc.1+build", Some("1.2.3-rc.1+build")),
            ("~> 1.2.3", None),
            ("1.2", None),
            ("1.2.3-", None),
            (">= 1.2.3", None),
            ("1.2.3 or 1.2.4", None),
        ] {
            assert_eq!(exact_version(req), want, "{req}");
        }
    }

    const LOCK: &str = r#"# This file was generated by Gleam
# You typically do not need to edit this file

packages = [
  { name = "birdie", version = "1.2.0", build_tools = ["gleam"], requirements = ["gleam_stdlib", "rank"], otp_app = "birdie", source = "hex", outer_checksum = "AA" },
  { name = "gleam_stdlib", version = "0.40.0", build_tools = ["gleam"], requirements = [], otp_app = "gleam_stdlib", source = "hex", outer_checksum = "BB" },
  { name = "lib", version = "0.1.0", build_tools = ["gleam"], requirements = ["gleam_stdlib"], source = "git", repo = "https://github.com/x/lib", commit = "a8b3c5d" },
  { name = "local", version = "1.0.0", build_tools = ["gleam"], requirements = [], source = "local", path = "../local" },
  { name = "rank", version = "1.0.0", build_tools = ["gleam"], requirements = [], otp_app = "rank", source = "hex", outer_checksum = "CC" },
]

[requirements]
birdie = { version = ">= 1.2.0 and < 2.0.0" }
gleam_stdlib = { version = ">= 0.34.0 and < 2.0.0" }
lib = { git = "https://github.com/x/lib", ref = "a8b3c5d" }
local = { path = "../local" }
"#;

    #[test]
    fn reads_a_lockfile_with_edges_direct_and_dev_scope() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("manifest.toml");
        let ex = run_at(&lock, LOCK).unwrap();
        let got: Vec<(&str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:hex/birdie@1.2.0", true, Scope::Runtime, Some(5)),
                ("pkg:hex/gleam_stdlib@0.40.0", true, Scope::Runtime, Some(6)),
                ("pkg:hex/rank@1.0.0", false, Scope::Runtime, Some(9)),
            ]
        );
        assert_eq!(
            ex.components[0].dependencies,
            ["pkg:hex/gleam_stdlib@0.40.0", "pkg:hex/rank@1.0.0"]
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("lib", Some(7)), ("local", Some(8))]);

        // With the project beside it: birdie is a dev dependency, and so is what only it needs;
        // the project itself is then read as nothing.
        std::fs::write(&lock, LOCK).unwrap();
        let project = dir.path().join("gleam.toml");
        std::fs::write(
            &project,
            "name = \"app\"\n[dependencies]\ngleam_stdlib = \"~> 0.40\"\n[dev-dependencies]\nbirdie = \"~> 1.2\"\n",
        )
        .unwrap();
        let ex = run_at(&lock, LOCK).unwrap();
        let scopes: Vec<Scope> = ex.components.iter().map(|c| c.scope).collect();
        assert_eq!(scopes, [Scope::Dev, Scope::Runtime, Scope::Dev]);
        let ex = run_at(&project, &std::fs::read_to_string(&project).unwrap()).unwrap();
        assert!(ex.components.is_empty() && ex.unresolved.is_empty());
        // Without a lockfile beside it, the project is read.
        std::fs::remove_file(&lock).unwrap();
        let ex = run_at(&project, &std::fs::read_to_string(&project).unwrap()).unwrap();
        assert_eq!(ex.unresolved.len(), 2);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("name = \"a\"\n[dependencies\n", 2),
            ("[dependencies]\nx = 3\n", 2),
            ("[dependencies]\n\nx = { ref = \"main\" }\n", 3),
            ("dependencies = 1\n", 1),
            ("packages = [\n  { name = \"a\" },\n]\n", 2),
            ("packages = [\n  { name = \"a\", version = 1 },\n]\n", 2),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
        }
        assert!(run("").unwrap().components.is_empty());
        // Another tool's manifest.toml gives nothing (but broken TOML is still an error).
        let other = Path::new("/nonexistent/manifest.toml");
        let ex = run_at(other, "[dependencies]\nx = 3\n").unwrap();
        assert!(ex.components.is_empty() && ex.unresolved.is_empty());
        assert!(run_at(other, "[x\n").is_err());
        assert!(GleamToml.applies_to(Path::new("x/gleam.toml")));
        assert!(GleamToml.applies_to(Path::new("x/manifest.toml")));
        assert!(!GleamToml.applies_to(Path::new("x/Manifest.toml")));
        assert_eq!(GleamToml.name(), "gleam-toml");
    }

    /// osv-scalibr's gleam.toml fixtures. The peer reports every Hex requirement as a package
    /// whose "version" is the requirement (`>= 0.34.0 and < 2.0.0`) and a git dependency with
    /// an empty version; neither is a version anything can be matched against, so ossgate
    /// reports them unresolved (as it does path dependencies, which the peer leaves out).
    /// Those fixtures are compared by name with the unresolved list.
    const EXCEPTIONS: &[&str] = &[
        "lockfiles/hex/gleam-toml/git-and-local-deps.toml",
        "lockfiles/hex/gleam-toml/only-deps.toml",
        "lockfiles/hex/gleam-toml/only-dev-deps.toml",
    ];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut excepted) = (0, 0);
        for r in peer_records(&root, |r| r["format"] == "gleam-toml") {
            let fixture = fixture(&r);
            assert!(r.get("expect_error").is_none(), "{fixture}");
            let ex = run(&fixture_text(&root, &r)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            if !EXCEPTIONS.contains(&fixture) {
                assert_eq!(
                    packages(&ex.components),
                    expected_packages(&root, &r),
                    "{fixture}"
                );
                assert!(ex.unresolved.is_empty(), "{fixture}");
                checked += 1;
                continue;
            }
            assert!(ex.components.is_empty(), "{fixture}");
            let mut want: Vec<String> = expected(&root, &r)
                .iter()
                .map(|e| name_version(e).0)
                .collect();
            // Path dependencies, which the peer does not report.
            want.extend(
                ex.unresolved
                    .iter()
                    .filter(|u| u.reason.starts_with("local path"))
                    .map(|u| u.text.clone()),
            );
            let mut got: Vec<String> = ex.unresolved.iter().map(|u| u.text.clone()).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{fixture}");
            excepted += 1;
            checked += 1;
        }
        assert_eq!((checked, excepted), (4, 3));
    }
}
