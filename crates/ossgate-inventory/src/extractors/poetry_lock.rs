//! `poetry.lock` (Poetry 1.x `category`, Poetry 2.x `groups`). Packages from git, a directory, a
//! file or a URL are not PyPI releases: they are listed as unresolved. A sibling `pyproject.toml` says which
//! packages are direct.

use super::python::declared_in_pyproject;
use super::{file_name, toml_error};
use crate::lines::header_lines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub struct PoetryLock;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    optional: bool,
    source: Option<Source>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl Extractor for PoetryLock {
    fn name(&self) -> &'static str {
        "poetry-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "poetry.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock: Lock =
            toml::from_str(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let lines = header_lines(file.text, "[[package]]");
        let eco = Ecosystem::PyPI;
        let declared = declared_in_pyproject(file.path);
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
        for p in &lock.package {
            by_name
                .entry(eco.normalize_name(&p.name))
                .or_default()
                .push(&p.version);
        }
        let mut out = Extracted::default();
        for (i, p) in lock.package.iter().enumerate() {
            let kind = p.source.as_ref().and_then(|s| s.kind.as_deref());
            if let Some(kind @ ("git" | "directory" | "file" | "url")) = kind {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: lines.get(i).copied(),
                    text: format!("{} {}", p.name, p.version),
                    reason: format!("installed from a {kind} source, not a PyPI release"),
                });
                continue;
            }
            let mut c = Component::new(eco.clone(), &p.name, &p.version);
            c.locations.push(loc(&file.display, lines.get(i).copied()));
            let dev = p.category.as_deref() == Some("dev")
                || p.groups
                    .as_ref()
                    .is_some_and(|g| !g.iter().any(|x| x == "main"));
            c.scope = if dev {
                Scope::Dev
            } else if p.optional {
                Scope::Optional
            } else {
                Scope::Runtime
            };
            c.direct = declared.contains(&eco.normalize_name(&p.name));
            for dep in p.dependencies.keys() {
                if let Some(versions) = by_name.get(&eco.normalize_name(dep)) {
                    c.dependencies
                        .extend(versions.iter().map(|v| eco.purl(dep, Some(v))));
                }
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_groups_categories_and_skips_non_pypi() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\ndependencies = [\"Requests>=2\"]\n",
        )
        .unwrap();
        let path = dir.path().join("poetry.lock");
        let text = r#"
[[package]]
name = "Requests"
version = "2.31.0"
groups = ["main"]

[package.dependencies]
urllib3 = ">=1.21.1,<3"

[[package]]
name = "urllib3"
version = "2.0.7"
category = "main"

[[package]]
name = "pytest"
version = "7.4.0"
groups = ["dev"]

[[package]]
name = "mylib"
version = "0.1.0"

[package.source]
type = "directory"
url = "../mylib"
"#;
        let ex = PoetryLock
            .extract(&SourceFile {
                display: "poetry.lock".into(),
                path: &path,
                text,
            })
            .unwrap();
        let got: Vec<(&str, bool, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/requests@2.31.0", true, Scope::Runtime, Some(2)),
                ("pkg:pypi/urllib3@2.0.7", false, Scope::Runtime, Some(10)),
                ("pkg:pypi/pytest@7.4.0", false, Scope::Dev, Some(15)),
            ]
        );
        assert_eq!(ex.components[0].dependencies, ["pkg:pypi/urllib3@2.0.7"]);
    }
}
