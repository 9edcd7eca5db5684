//! R `renv.lock` (JSON): `Packages` maps each name to `{Package, Version, Source, Repository,
//! Requirements}`. Packages installed from a package repository (CRAN, or a CRAN-like mirror such
//! as Posit Package Manager) carry a `Repository` and are CRAN components. Packages from GitHub
//! or local sources (no `Repository`) and from Bioconductor are not CRAN packages and are left
//! out.
//! renv does not record which packages the project uses directly; `Requirements` gives the edges.

use super::{file_name, json_error};
use crate::lines::JsonKeyLines;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

pub struct RenvLock;

fn cran() -> Ecosystem {
    Ecosystem::Other("CRAN".into())
}

impl Extractor for RenvLock {
    fn name(&self) -> &'static str {
        "renv-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "renv.lock"
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
        let mut out = Extracted::default();
        let packages = match obj.get("Packages") {
            Some(Value::Object(p)) => p,
            None | Some(Value::Null) => return Ok(out),
            Some(_) => {
                return Err(ExtractError::new(
                    &file.display,
                    Some(1),
                    "`Packages` is not an object",
                ));
            }
        };

        // Lines of the package keys: only keys after the `"Packages":` line are package names.
        let base = file
            .text
            .lines()
            .position(|l| l.trim_start().starts_with("\"Packages\":"))
            .unwrap_or(0);
        let offset: usize = file.text.lines().take(base).map(|l| l.len() + 1).sum();
        let rest = file.text.get(offset.min(file.text.len())..).unwrap_or("");
        let lines = JsonKeyLines::new(rest);

        // (name, version, requirements, line) of every repository package.
        let mut found = Vec::new();
        for (key, entry) in packages {
            let line = lines.line(key).map(|l| l + base as u32);
            let Some(entry) = entry.as_object() else {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    format!("package `{key}` is not an object"),
                ));
            };
            let text = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("");
            // Bioconductor releases are not CRAN packages, whichever field names them.
            let repository = text("Repository");
            if repository.is_empty()
                || repository == "Bioconductor"
                || text("Source") == "Bioconductor"
            {
                continue;
            }
            let name = match text("Package") {
                "" => key.as_str(),
                n => n,
            };
            let version = text("Version");
            if version.is_empty() {
                out.unresolved.push(crate::Unresolved {
                    file: file.display.clone(),
                    line,
                    text: name.to_string(),
                    reason: "renv.lock entry without a `Version`".into(),
                });
                continue;
            }
            let requirements: Vec<&str> = entry
                .get("Requirements")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            found.push((name, version, requirements, line));
        }

        let purls: HashMap<&str, String> = found
            .iter()
            .map(|(n, v, _, _)| (*n, cran().purl(n, Some(v))))
            .collect();
        for (name, version, requirements, line) in &found {
            let mut c = Component::with_purl(
                cran(),
                name.to_string(),
                version.to_string(),
                purls[name].clone(),
            );
            c.locations.push(loc(&file.display, *line));
            c.dependencies = requirements
                .iter()
                .filter_map(|r| purls.get(r).cloned())
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        let src = SourceFile {
            display: "renv.lock".into(),
            path: Path::new("renv.lock"),
            text,
        };
        RenvLock.extract(&src)
    }

    const LOCK: &str = r#"{
  "R": {
    "Version": "4.3.1",
    "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]
  },
  "Packages": {
    "R6": {
      "Package": "R6",
      "Version": "2.5.1",
      "Source": "Repository",
      "Repository": "CRAN"
    },
    "httr": {
      "Package": "httr",
      "Version": "1.4.7",
      "Source": "Repository",
      "Repository": "RSPM",
      "Requirements": ["R6", "curl", "tools"]
    },
    "mime": {
      "Package": "mime",
      "Version": "0.12.1",
      "Source": "GitHub",
      "RemoteSha": "1763e0dcb72fb58d97bab97bb834fc71f1e012bc"
    },
    "Biobase": {
      "Package": "Biobase",
      "Version": "2.60.0",
      "Source": "Bioconductor"
    },
    "limma": {
      "Package": "limma",
      "Version": "3.56.2",
      "Source": "Bioconductor",
      "Repository": "Bioconductor"
    }
  }
}"#;

    #[test]
    fn reads_repository_packages_lines_and_edges() {
        let ex = run(LOCK).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:cran/R6@2.5.1", Some(7)),
                ("pkg:cran/httr@1.4.7", Some(13)),
            ]
        );
        assert_eq!(ex.components[1].dependencies, ["pkg:cran/R6@2.5.1"]);
        assert_eq!(ex.components[0].ecosystem, cran());
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert_eq!(run("{\n  \"Packages\": [\n").unwrap_err().line, Some(3));
        assert!(run("[]").is_err());
        assert!(run("{\"Packages\": 3}").is_err());
        assert!(run("{\"Packages\": {\"a\": 1}}").is_err());
        assert!(run("{\"R\": {}}").unwrap().components.is_empty());
        let ex = run("{\"Packages\": {\"a\": {\"Repository\": \"CRAN\"}}}").unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 1);
    }

    /// Fixtures whose peer result we deliberately do not reproduce, with the reason.
    const EXCEPTIONS: &[(&str, &str)] = &[(
        "lockfiles/cran/renv-lock/not-json.txt",
        "peer returns no packages; ossgate reports malformed input as an ExtractError",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        assert_eq!(check_format(&root, "renv-lock", EXCEPTIONS, run), (4, 1));
    }
}
