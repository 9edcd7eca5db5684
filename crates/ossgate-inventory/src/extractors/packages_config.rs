//! NuGet `packages.config` (and the per-project `packages.<project>.config`), the package list
//! of projects that predate `PackageReference`.
//!
//! The root `<packages>` holds one `<package id= version= targetFramework=
//! developmentDependency= allowedVersions= />` per installed package. NuGet writes every
//! installed package here, the ones other packages pulled in as well as those the developer
//! added, and the file does not tell them apart: each is pinned by the project's own file (and
//! updated there), so each is reported as direct. `developmentDependency="true"` marks a
//! development dependency (`Scope::Dev`). `version` is always one exact version when NuGet
//! writes it; a missing, empty, ranged or floating one is reported as unresolved.
//! `allowedVersions` (the range updates may move within) and `targetFramework` are not needed.
//! The file records no edges. Each component's line is its `<package` start tag's.

use super::file_name;
use super::msbuild::{exact_version, parse_xml};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::HashMap;
use std::path::Path;

pub struct PackagesConfig;

impl Extractor for PackagesConfig {
    fn name(&self) -> &'static str {
        "packages-config"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path).to_ascii_lowercase();
        name == "packages.config"
            || (name.len() > "packages..config".len()
                && name.starts_with("packages.")
                && name.ends_with(".config"))
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = parse_xml(&file.display, file.text)?;
        if !root.name.eq_ignore_ascii_case("packages") {
            return Err(ExtractError::new(
                &file.display,
                Some(root.line),
                format!(
                    "not a packages.config: the root element is <{}>, not <packages>",
                    root.name
                ),
            ));
        }
        let mut out = Extracted::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for el in &root.children {
            if !el.name.eq_ignore_ascii_case("package") {
                continue;
            }
            let line = Some(el.line);
            let id = el.attr("id").map(str::trim).unwrap_or("");
            if id.is_empty() {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    "<package> without an `id`",
                ));
            }
            let written = el.attr("version").map(str::trim).unwrap_or("");
            let version = match exact_version(written) {
                Ok(v) => v,
                Err(reason) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: format!("{id} {written}").trim_end().to_string(),
                        reason: reason.to_string(),
                    });
                    continue;
                }
            };
            let dev = el
                .attr("developmentDependency")
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"));
            let scope = if dev { Scope::Dev } else { Scope::Runtime };
            let key = (Ecosystem::NuGet.normalize_name(id), version.clone());
            match index.get(&key) {
                // Listed twice (once per target framework, by hand): one component.
                Some(&i) => {
                    let c = &mut out.components[i];
                    c.scope = c.scope.widest(scope);
                    c.locations.push(loc(&file.display, line));
                }
                None => {
                    let mut c = Component::new(Ecosystem::NuGet, id, version);
                    c.locations.push(loc(&file.display, line));
                    c.direct = true;
                    c.scope = scope;
                    index.insert(key, out.components.len());
                    out.components.push(c);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PackagesConfig.extract(&SourceFile {
            display: "packages.config".into(),
            path: Path::new("packages.config"),
            text,
        })
    }

    const CONFIG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<packages>
  <!-- <package id="Commented" version="1.0.0" /> -->
  <package id="Newtonsoft.Json" version="12.0.3" targetFramework="net472" />
  <package id="Microsoft.Net.Compilers" version="2.10.0" targetFramework="net472"
           developmentDependency="true" />
  <package id="EntityFramework" version="6.4.4" allowedVersions="[6,7)" targetFramework="net472" />
  <package id="NoVersion" targetFramework="net472" />
  <package id="Ranged" version="[1.0,2.0)" />
  <package id="newtonsoft.json" version="12.0.3" targetFramework="net48" />
</packages>
"#;

    #[test]
    fn packages_lines_scope_and_unresolved() {
        let ex = run(CONFIG).unwrap();
        let got: Vec<(&str, Scope, bool, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.scope,
                    c.direct,
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/Newtonsoft.Json@12.0.3",
                    Scope::Runtime,
                    true,
                    vec![Some(4), Some(10)]
                ),
                (
                    "pkg:nuget/Microsoft.Net.Compilers@2.10.0",
                    Scope::Dev,
                    true,
                    vec![Some(5)]
                ),
                (
                    "pkg:nuget/EntityFramework@6.4.4",
                    Scope::Runtime,
                    true,
                    vec![Some(7)]
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
            [("NoVersion", Some(8)), ("Ranged [1.0,2.0)", Some(9))]
        );
        assert!(ex.components.iter().all(|c| c.dependencies.is_empty()));
    }

    #[test]
    fn empty_lists_and_file_names() {
        assert!(run("<packages/>").unwrap().components.is_empty());
        assert!(
            run("<packages>\n</packages>")
                .unwrap()
                .components
                .is_empty()
        );
        for p in [
            "packages.config",
            "x/Packages.Config",
            "packages.MyApp.config",
        ] {
            assert!(PackagesConfig.applies_to(Path::new(p)), "{p}");
        }
        for p in [
            "packages.lock.json",
            "web.config",
            "packages..config",
            "app.config",
        ] {
            assert!(!PackagesConfig.applies_to(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("not\nxml", 1),
            ("", 1),
            ("<configuration/>", 1),
            (
                "<packages>\n  <package id=\"a\" version=\"1\">\n</packages>",
                3,
            ),
            ("<packages>\n  <package version=\"1.0\" />\n</packages>", 2),
            (
                "<packages>\n  <package id=\"a\" version=\"1.0\" \n</packages>",
                2,
            ),
        ];
        for (text, line) in cases {
            let err = run(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.file, "packages.config");
        }
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let must_fail = [(
            "lockfiles/nuget/packages-config/invalid",
            "not XML: an ExtractError",
        )];
        assert_eq!(
            check_format(&root, "packages-config", &must_fail, run),
            (2, 1)
        );
    }

    /// The shared inputs hold no packages.config; any that appears must parse, one component or
    /// unresolved entry per `<package ` element.
    #[test]
    fn real_inputs_parse() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut stack = vec![inputs];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if PackagesConfig.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let ex = run(&text).unwrap();
                    let listed = text.matches("<package ").count();
                    let found: usize = ex.components.iter().map(|c| c.locations.len()).sum();
                    assert_eq!(found + ex.unresolved.len(), listed, "{}", path.display());
                }
            }
        }
    }
}
