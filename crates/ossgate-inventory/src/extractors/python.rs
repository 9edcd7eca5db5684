//! What the Python extractors share: reading a requirement's project name, and the direct
//! dependencies a `pyproject.toml` beside a lockfile declares.

use ossgate_model::Ecosystem;
use std::collections::HashSet;
use std::path::Path;

/// The project name a PEP 508 requirement string starts with (`requests[socks]>=2` →
/// `requests`); empty when it starts with none (names begin with a letter or digit).
pub(crate) fn pep508_name(req: &str) -> &str {
    let req = req.trim_start();
    if !req.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return "";
    }
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

/// Normalised names of the dependencies a `pyproject.toml` beside `lock_path` declares, empty
/// when there is none: Poetry's tables (`[tool.poetry.dependencies]`, `dev-dependencies`,
/// groups), PEP 621 `[project]` dependencies and optional dependencies, PEP 735
/// `[dependency-groups]`, and PDM's `[tool.pdm.dev-dependencies]`.
pub(crate) fn declared_in_pyproject(lock_path: &Path) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(text) = lock_path
        .parent()
        .and_then(|d| std::fs::read_to_string(d.join("pyproject.toml")).ok())
    else {
        return out;
    };
    let Ok(doc) = toml::from_str::<toml::Table>(&text) else {
        return out;
    };
    let eco = Ecosystem::PyPI;
    let tool = doc.get("tool");

    // Poetry: tables keyed by project name.
    if let Some(p) = tool.and_then(|t| t.get("poetry")) {
        let mut tables: Vec<&toml::Value> = Vec::new();
        tables.extend(p.get("dependencies"));
        tables.extend(p.get("dev-dependencies"));
        if let Some(groups) = p.get("group").and_then(|g| g.as_table()) {
            tables.extend(groups.values().filter_map(|g| g.get("dependencies")));
        }
        for t in tables.iter().filter_map(|t| t.as_table()) {
            out.extend(
                t.keys()
                    .filter(|k| *k != "python")
                    .map(|k| eco.normalize_name(k)),
            );
        }
    }

    // PEP 621, PEP 735 and PDM: lists of PEP 508 strings.
    let project = doc.get("project");
    let mut lists: Vec<&toml::Value> = Vec::new();
    lists.extend(project.and_then(|p| p.get("dependencies")));
    let tables = [
        project.and_then(|p| p.get("optional-dependencies")),
        doc.get("dependency-groups"),
        tool.and_then(|t| t.get("pdm"))
            .and_then(|t| t.get("dev-dependencies")),
    ];
    for t in tables.into_iter().flatten().filter_map(|t| t.as_table()) {
        lists.extend(t.values());
    }
    for req in lists
        .into_iter()
        .filter_map(|l| l.as_array())
        .flatten()
        .filter_map(|v| v.as_str())
    {
        let name = pep508_name(req);
        if !name.is_empty() {
            out.insert(eco.normalize_name(name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_requirements() {
        assert_eq!(
            pep508_name("requests[socks]>=2 ; python_version>'3'"),
            "requests"
        );
        assert_eq!(pep508_name("  zope.interface==5"), "zope.interface");
        assert_eq!(pep508_name("./local"), "");
    }

    #[test]
    fn every_pyproject_style_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            r#"
[project]
dependencies = ["Requests>=2"]
[project.optional-dependencies]
socks = ["PySocks"]
[dependency-groups]
test = ["pytest>=8", {include-group = "lint"}]
[tool.pdm.dev-dependencies]
lint = ["ruff"]
[tool.poetry.dependencies]
python = "^3.9"
Flask_Login = "*"
[tool.poetry.group.docs.dependencies]
mkdocs = "*"
"#,
        )
        .unwrap();
        let mut got: Vec<String> = declared_in_pyproject(&dir.path().join("x.lock"))
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                "flask-login",
                "mkdocs",
                "pysocks",
                "pytest",
                "requests",
                "ruff"
            ]
        );
        assert!(declared_in_pyproject(&dir.path().join("sub/x.lock")).is_empty());
    }
}
