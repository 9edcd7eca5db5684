//! Gradle's dependency verification metadata, `gradle/verification-metadata.xml` (Maven
//! repositories).
//!
//! Gradle writes one `<component group= name= version=>` element under
//! `verification-metadata/components` for every module it resolved and verified, with the
//! checksums or signatures of its artifacts. The set is therefore the resolved graph of the
//! build (every configuration, plugins and build tooling included), with exact versions, but
//! without edges, without telling direct from transitive and without scopes: components are
//! reported as transitive runtime components, named `group:name`, at the line of their
//! `<component>` tag. The same module version listed twice is one component with both lines.
//!
//! Not read: `<configuration>` (trusted artifacts and keys name groups or patterns, not
//! resolved modules) and the artifacts' checksums. A `<component>` without a `group` or `name`
//! is malformed (an error with its line); one without a version goes to `unresolved`. Attribute
//! order and quoting do not matter; the root element must be `<verification-metadata>`. The
//! file is read wherever it is found under that name (Gradle keeps it in `gradle/`).

use super::file_name;
use super::pom_xml::{Element, parse_xml};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::HashMap;
use std::path::Path;

pub struct GradleVerification;

impl Extractor for GradleVerification {
    fn name(&self) -> &'static str {
        "gradle-verification-metadata"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "verification-metadata.xml"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = parse_xml(&file.display, file.text)?;
        if root.name != "verification-metadata" {
            return Err(ExtractError::new(
                &file.display,
                Some(root.line),
                format!(
                    "not a Gradle verification-metadata.xml: the root element is <{}>",
                    root.name
                ),
            ));
        }
        let mut out = Extracted::default();
        let mut by_purl: HashMap<String, usize> = HashMap::new();
        let eco = Ecosystem::Maven;
        let components = root.all("components").flat_map(|c| c.all("component"));
        for el in components {
            let (name, version) = read_component(el)
                .map_err(|msg| ExtractError::new(&file.display, Some(el.line), msg))?;
            let Some(version) = version else {
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(el.line),
                    text: name,
                    reason: "<component> without a version".into(),
                });
                continue;
            };
            let purl = eco.purl(&name, Some(&version));
            let location = loc(&file.display, Some(el.line));
            match by_purl.get(&purl).and_then(|&i| out.components.get_mut(i)) {
                Some(c) => c.locations.push(location),
                None => {
                    let mut c = Component::with_purl(eco.clone(), name, version, purl.clone());
                    c.locations.push(location);
                    by_purl.insert(purl, out.components.len());
                    out.components.push(c);
                }
            }
        }
        Ok(out)
    }
}

/// `group:name` and the version (`None` when missing or empty).
fn read_component(el: &Element) -> Result<(String, Option<String>), String> {
    let attr = |k: &str| {
        el.attr(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let group = attr("group").ok_or("<component> without a `group`")?;
    let name =
        attr("name").ok_or_else(|| format!("<component group=\"{group}\"> without a `name`"))?;
    Ok((format!("{group}:{name}"), attr("version")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use ossgate_model::Scope;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        GradleVerification.extract(&SourceFile {
            display: "gradle/verification-metadata.xml".into(),
            path: Path::new("/nonexistent/gradle/verification-metadata.xml"),
            text,
        })
    }

    const META: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<verification-metadata xmlns="https://schema.gradle.org/dependency-verification">
   <configuration>
      <verify-metadata>true</verify-metadata>
      <trusted-artifacts>
         <trust group="org.jetbrains.kotlin" name="kotlin-stdlib" version="1.9.0"/>
      </trusted-artifacts>
      <trusted-keys>
         <trusted-key id="ABCD" group="com.squareup"/>
      </trusted-keys>
   </configuration>
   <components>
      <component group="com.google.guava" name="guava" version="32.1.2-jre">
         <artifact name="guava-32.1.2-jre.jar">
            <sha256 value="bc65dea7cfd9e4dacf8419d8af0e741655857d27885bb35d943d7187fc3a8fce" origin="Generated by Gradle"/>
         </artifact>
      </component>
      <!-- <component group="commented" name="out" version="1"/> -->
      <component version='2.0.9' name='slf4j-api'
                 group='org.slf4j'/>
      <component group="com.google.guava" name="guava" version="32.1.2-jre"/>
      <component group="a&amp;b" name="c" version="1"/>
      <component group="org.x" name="no-version"/>
   </components>
</verification-metadata>
"#;

    #[test]
    fn reads_components_lines_and_duplicates() {
        let ex = run(META).unwrap();
        let got: Vec<(&str, &str, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.name.as_str(),
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:maven/com.google.guava/guava@32.1.2-jre",
                    "com.google.guava:guava",
                    vec![Some(13), Some(21)]
                ),
                (
                    "pkg:maven/org.slf4j/slf4j-api@2.0.9",
                    "org.slf4j:slf4j-api",
                    vec![Some(19)]
                ),
                ("pkg:maven/a&b/c@1", "a&b:c", vec![Some(22)]),
            ]
        );
        for c in &ex.components {
            assert_eq!(c.ecosystem, Ecosystem::Maven);
            assert!(!c.direct);
            assert_eq!(c.scope, Scope::Runtime);
            assert!(c.dependencies.is_empty());
            assert_eq!(c.locations[0].file, "gradle/verification-metadata.xml");
        }
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "org.x:no-version");
        assert_eq!(ex.unresolved[0].line, Some(23));
    }

    #[test]
    fn applies_to_the_file_name_anywhere() {
        let x = GradleVerification;
        assert!(x.applies_to(Path::new("gradle/verification-metadata.xml")));
        assert!(x.applies_to(Path::new("verification-metadata.xml")));
        assert!(x.applies_to(Path::new("a/b/verification-metadata.xml")));
        assert!(!x.applies_to(Path::new("gradle/verification-keyring.keys")));
        assert!(!x.applies_to(Path::new("gradle/verification-metadata.dryrun.xml")));
        assert_eq!(x.name(), "gradle-verification-metadata");
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            (
                "<verification-metadata>\n<components>\n</verification-metadata>",
                3,
            ),
            (
                "<verification-metadata>\n<components>\n<component group=\"a\" name=\"b\" version=\"1\">\n",
                3,
            ),
            (
                "<verification-metadata>\n<components>\n<component group=\"a\" version=\"1\"/>\n</components></verification-metadata>",
                3,
            ),
            (
                "<verification-metadata>\n\n<components><component name=\"b\" version=\"1\"/></components></verification-metadata>",
                3,
            ),
            (
                "<verification-metadata>\n<components>\n<component group=\"a\" group=\"b\" name=\"c\" version=\"1\"/>\n</components></verification-metadata>",
                3,
            ),
            (
                "<verification-metadata>\n<components>\n<component group=\"a&bogus;\" name=\"c\" version=\"1\"/>\n</components></verification-metadata>",
                3,
            ),
            ("\n<project/>", 2),
            ("", 1),
            ("just text", 1),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "gradle/verification-metadata.xml");
        }
        assert!(
            run("<verification-metadata/>")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        // No exceptions: every fixture of both formats matches.
        assert_eq!(
            check_format(&root, "gradle-verification-metadata-xml", &[], run),
            (7, 0)
        );
        assert_eq!(
            check_format(
                &root,
                "osv-scanner-v1/gradle-verification-metadata",
                &[],
                run
            ),
            (1, 0)
        );
        // Where the peer gives a line, it is the line of the `<component>` tag, except for a
        // tag written over several lines: the peer gives the line where the tag ends (its
        // `>`), ossgate the line where it starts.
        const LINE_EXCEPTIONS: &[(&str, u64, u32)] = &[(
            "lockfiles/maven/gradle-verification-metadata-xml/multi-line.xml",
            8,
            5,
        )];
        let mut lines_checked = 0;
        for r in peer_records(&root, |r| r["format"] == "gradle-verification-metadata-xml") {
            let ex = run(&fixture_text(&root, &r)).unwrap();
            for e in expected(&root, &r) {
                let Some(mut line) = e["location"]["line"].as_u64() else {
                    continue;
                };
                if let Some((_, _, ours)) = LINE_EXCEPTIONS
                    .iter()
                    .find(|(f, peer, _)| *f == fixture(&r) && *peer == line)
                {
                    line = u64::from(*ours);
                }
                lines_checked += 1;
                let (name, version) = name_version(&e);
                let c = ex
                    .components
                    .iter()
                    .find(|c| c.name == name && c.version == version)
                    .unwrap();
                assert_eq!(c.locations[0].line, Some(line as u32), "{}", fixture(&r));
            }
        }
        assert_eq!(lines_checked, 24);
    }
}
