//! SBOMs as inventory input: CycloneDX 1.2–1.7 (JSON, XML) and SPDX 2.2/2.3 (JSON, tag-value),
//! read by `ossgate_sbom::read` into the same components a lockfile gives.
//!
//! The file name only selects candidates (`*.cdx.json`, `*.cdx.xml`, `bom.json`, `bom.xml`,
//! `*.bom.json`, `*.bom.xml`, `*.spdx.json`, `*.spdx`, `*.spdx.tv`, and JSON or XML files
//! whose name says `sbom` or `cyclonedx`); the content decides, so a `bom.json` that is not an
//! SBOM is an error saying what it is. The document's subject (CycloneDX
//! `metadata.component`, the package SPDX describes) is what the SBOM is about, not one of its
//! components, so it is not listed. Each component's location is the SBOM file (with the line
//! for XML and tag-value documents). Entries without a version are unresolved; violations of
//! the specification that did not stop reading are warnings naming the JSON path.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved};
use ossgate_sbom::read;
use std::path::Path;

pub struct SbomDocument;

/// Whether a file name looks like an SBOM (lower case).
fn sbom_name(name: &str) -> bool {
    let json_or_xml = name.ends_with(".json") || name.ends_with(".xml");
    name == "bom.json"
        || name == "bom.xml"
        || name.ends_with(".cdx.json")
        || name.ends_with(".cdx.xml")
        || name.ends_with(".bom.json")
        || name.ends_with(".bom.xml")
        || name.ends_with(".spdx.json")
        || name.ends_with(".spdx")
        || name.ends_with(".spdx.tv")
        || (json_or_xml && (name.contains("sbom") || name.contains("cyclonedx")))
}

impl Extractor for SbomDocument {
    fn name(&self) -> &'static str {
        "sbom"
    }

    fn applies_to(&self, path: &Path) -> bool {
        sbom_name(&file_name(path).to_ascii_lowercase())
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let (_, contents) = read::read(&file.display, file.text)
            .map_err(|e| ExtractError::new(&file.display, e.line, e.message))?;
        let unresolved = contents
            .unresolved
            .into_iter()
            .map(|(path, text, reason)| Unresolved {
                file: file.display.clone(),
                line: None,
                text: if text.is_empty() { path.clone() } else { text },
                reason: format!("{path}: {reason}"),
            })
            .collect();
        let warnings = contents
            .warnings
            .into_iter()
            .map(|w| ExtractError::new(&file.display, w.line, format!("{}: {}", w.path, w.message)))
            .collect();
        Ok(Extracted {
            components: contents.components,
            unresolved,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry;

    const XML: &str = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <components>
    <component type="library" bom-ref="a">
      <name>lodash</name><version>4.17.20</version><purl>pkg:npm/lodash@4.17.20</purl>
    </component>
    <component type="library"><name>unversioned</name></component>
    <component type="library"><name>bad</name><version>1</version><purl>nonsense</purl></component>
  </components>
</bom>
"#;

    fn run(name: &str, text: &str) -> Result<Extracted, ExtractError> {
        SbomDocument.extract(&SourceFile {
            display: name.into(),
            path: Path::new(name),
            text,
        })
    }

    #[test]
    fn applies_to_sbom_names_only() {
        for yes in [
            "bom.json",
            "BOM.XML",
            "app.cdx.json",
            "app.cdx.xml",
            "x-1.0.bom.json",
            "app.spdx.json",
            "app.spdx",
            "app.spdx.tv",
            "my-sbom.json",
            "cyclonedx-report.xml",
        ] {
            assert!(SbomDocument.applies_to(Path::new(yes)), "{yes}");
        }
        for no in ["package.json", "pom.xml", "sbom.txt", "bom.yaml", "spdx.md"] {
            assert!(!SbomDocument.applies_to(Path::new(no)), "{no}");
        }
        // No other extractor claims these names first.
        let reg = registry();
        for name in ["bom.json", "bom.xml", "app.spdx", "app.cdx.json"] {
            let first = reg.iter().find(|x| x.applies_to(Path::new(name))).unwrap();
            assert_eq!(first.name(), "sbom", "{name}");
        }
    }

    #[test]
    fn reads_components_unresolved_and_warnings_with_lines() {
        let ex = run("sboms/app.cdx.xml", XML).unwrap();
        let purls: Vec<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(purls, vec!["pkg:npm/lodash@4.17.20", "pkg:generic/bad@1"]);
        let loc = &ex.components[0].locations[0];
        assert_eq!(
            (loc.file.as_str(), loc.line),
            ("sboms/app.cdx.xml", Some(4))
        );
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "unversioned");
        assert!(ex.unresolved[0].reason.starts_with("$.components[1]"));
        assert_eq!(ex.warnings.len(), 1);
        assert_eq!(ex.warnings[0].line, Some(8));
        assert!(ex.warnings[0].message.contains("$.components[2].purl"));
    }

    #[test]
    fn a_json_that_is_not_an_sbom_is_a_clear_error() {
        let e = run("bom.json", r#"{"name": "x", "dependencies": {}}"#).unwrap_err();
        assert!(e.message.contains("neither CycloneDX"), "{e}");
        let e = run("x.spdx", "hello").unwrap_err();
        assert!(e.message.contains("SPDXVersion"), "{e}");
        let e = run(
            "bom.xml",
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<a>\n</bom>",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn the_inventory_reads_an_sbom_through_the_registry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.cdx.xml");
        std::fs::write(&path, XML).unwrap();
        let inv = crate::collect(&path, &crate::Options::default()).unwrap();
        assert_eq!(inv.files.len(), 1);
        assert_eq!(inv.files[0].extractor, "sbom");
        assert_eq!(inv.components.len(), 2);
        assert_eq!(inv.unresolved.len(), 1);
        assert_eq!(inv.warnings.len(), 1);
        let inv = crate::collect(dir.path(), &crate::Options::default()).unwrap();
        assert_eq!(inv.components.len(), 2, "found by a directory walk");
    }
}
