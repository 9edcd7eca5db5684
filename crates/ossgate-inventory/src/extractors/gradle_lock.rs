//! Gradle dependency locks: `gradle.lockfile` and `buildscript-gradle.lockfile`.
//!
//! One line per locked module, `group:artifact:version=conf1,conf2`; `#` starts a comment and the
//! `empty=...` line lists the configurations that resolved nothing. Gradle writes every resolved
//! module (direct or not) and records no edges. A module locked only in test configurations
//! (`testCompileClasspath`, `androidTestRuntimeClasspath`, ...) has the test scope. Lines that are
//! not in this shape are skipped, as Gradle itself ignores them.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::path::Path;

pub struct GradleLock;

impl Extractor for GradleLock {
    fn name(&self) -> &'static str {
        "gradle-lockfile"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "gradle.lockfile" | "buildscript-gradle.lockfile"
        )
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        for (i, raw) in file.text.lines().enumerate() {
            let Some((group, artifact, version, configs)) = parse_line(raw) else {
                continue;
            };
            let mut c = Component::new(Ecosystem::Maven, format!("{group}:{artifact}"), version);
            c.locations.push(loc(&file.display, Some(i as u32 + 1)));
            if is_test_only(configs) {
                c.scope = Scope::Test;
            }
            out.components.push(c);
        }
        Ok(out)
    }
}

/// `group:artifact:version=configs`, or `None` for comments, the `empty=` line and anything else.
fn parse_line(raw: &str) -> Option<(&str, &str, &str, &str)> {
    let line = raw.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (coords, configs) = line.split_once('=').unwrap_or((line, ""));
    let mut parts = coords.split(':');
    let (group, artifact, version) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    if parts.next().is_some() || !ok(group) || !ok(artifact) || !ok(version) {
        return None;
    }
    Some((group, artifact, version, configs))
}

/// Whether every configuration listed is a test one (and at least one is listed).
fn is_test_only(configs: &str) -> bool {
    let mut any = false;
    for conf in configs.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        any = true;
        if !(conf.starts_with("test") || conf.contains("Test")) {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(name: &str, text: &str) -> Extracted {
        let src = SourceFile {
            display: name.into(),
            path: Path::new(name),
            text,
        };
        GradleLock.extract(&src).unwrap()
    }

    const LOCK: &str = "# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.google.guava:guava:31.1-jre=compileClasspath,runtimeClasspath,testCompileClasspath
junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath
org.hamcrest:hamcrest-core:1.3=testRuntimeClasspath
empty=annotationProcessor,testAnnotationProcessor
";

    #[test]
    fn reads_modules_lines_and_scopes() {
        let ex = run("gradle.lockfile", LOCK);
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "com.google.guava:guava",
                    "31.1-jre",
                    Scope::Runtime,
                    Some(4)
                ),
                ("junit:junit", "4.13.2", Scope::Test, Some(5)),
                ("org.hamcrest:hamcrest-core", "1.3", Scope::Test, Some(6)),
            ]
        );
        assert_eq!(
            ex.components[0].purl,
            "pkg:maven/com.google.guava/guava@31.1-jre"
        );
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn skips_junk_and_never_fails() {
        let ex = run(
            "gradle.lockfile",
            ">>>\n////\nempty=====\n  a\na:b\na:b:c:d=x\n:b:1=x\na:b:1\n\u{feff}=\n",
        );
        let got: Vec<_> = ex.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(got, ["a:b"]);
        assert_eq!(ex.components[0].scope, Scope::Runtime);
    }

    #[test]
    fn applies_to_both_lockfiles() {
        assert!(GradleLock.applies_to(Path::new("x/gradle.lockfile")));
        assert!(GradleLock.applies_to(Path::new("buildscript-gradle.lockfile")));
        assert!(!GradleLock.applies_to(Path::new("build.gradle")));
    }

    /// Every gradle-lockfile fixture of the peer scanners reads to the same (name, version)
    /// multiset as the peer expects.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let mut checked = 0;
        for r in peer_records(&root, |r| r["format"] == "gradle-lockfile") {
            let fixture = fixture(&r);
            let ex = run("gradle.lockfile", &fixture_text(&root, &r));
            assert_eq!(
                packages(&ex.components),
                expected_packages(&root, &r),
                "{fixture}"
            );
            checked += 1;
        }
        assert_eq!(checked, 3);
    }
}
