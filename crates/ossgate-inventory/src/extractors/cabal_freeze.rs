//! `cabal.project.freeze`: a cabal project file whose `constraints:` field pins every package,
//! one comma-separated constraint per line:
//!
//! ```text
//! active-repositories: hackage.haskell.org:merge
//! constraints: any.aeson ==2.2.1.0,
//!              any.aeson +ordered-keymap,
//!              any.base ==4.18.2.0,
//!              setup.Cabal ==3.10.2.0
//! index-state: hackage.haskell.org 2024-01-01T00:00:00Z
//! ```
//!
//! A field runs on over indented (and blank) lines; `--` starts a comment line. A constraint is
//! `[qualifier.]package` followed by `==version` (a pin), flags (`+flag -flag`), or `installed` /
//! `source` (no version: GHC's own packages, not pinned). Only pins are components; any other
//! version range is reported unresolved. Setup and executable (build-tool) qualifiers (`setup.`,
//! `pkg:setup.`, `pkg:exe.`) are build-time: dev scope.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::path::Path;

pub struct CabalFreeze;

fn hackage() -> Ecosystem {
    Ecosystem::Other("Hackage".into())
}

impl Extractor for CabalFreeze {
    fn name(&self) -> &'static str {
        "cabal-freeze"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "cabal.project.freeze"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        let mut in_constraints = false;
        for (i, raw) in file.text.lines().enumerate() {
            let line_no = i as u32 + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with("--") {
                continue;
            }
            let body = if raw.starts_with([' ', '\t']) {
                if !in_constraints {
                    continue;
                }
                trimmed
            } else {
                // A new field (or stray text) at the margin.
                match trimmed.split_once(':') {
                    Some((field, rest)) if field.trim().eq_ignore_ascii_case("constraints") => {
                        in_constraints = true;
                        rest.trim()
                    }
                    _ => {
                        in_constraints = false;
                        continue;
                    }
                }
            };
            for entry in body.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                read_constraint(file, line_no, entry, &mut out)?;
            }
        }
        Ok(out)
    }
}

fn read_constraint(
    file: &SourceFile,
    line: u32,
    entry: &str,
    out: &mut Extracted,
) -> Result<(), ExtractError> {
    let split = entry
        .find(|c: char| c.is_whitespace() || "=<>^".contains(c))
        .unwrap_or(entry.len());
    let (target, rest) = entry.split_at(split);
    // The package name is what follows the last qualifier dot; names never contain dots.
    let (qualifier, name) = target.rsplit_once('.').unwrap_or(("", target));
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_name {
        return Err(ExtractError::new(
            &file.display,
            Some(line),
            format!("not a constraint: `{entry}`"),
        ));
    }
    let rest = rest.trim();
    if rest.is_empty() || rest == "installed" || rest == "source" || rest.starts_with(['+', '-']) {
        // Flags, or no version to speak of.
        return Ok(());
    }
    let pinned = rest
        .strip_prefix("==")
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let Some(version) = pinned else {
        out.unresolved.push(Unresolved {
            file: file.display.clone(),
            line: Some(line),
            text: entry.to_string(),
            reason: "not pinned to one version (`==x.y`)".into(),
        });
        return Ok(());
    };
    let mut c = Component::new(hackage(), name, version);
    c.locations.push(loc(&file.display, Some(line)));
    if qualifier == "setup" || qualifier.ends_with(":setup") || qualifier.ends_with(":exe") {
        c.scope = Scope::Dev;
    }
    out.components.push(c);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        let src = SourceFile {
            display: "cabal.project.freeze".into(),
            path: Path::new("cabal.project.freeze"),
            text,
        };
        CabalFreeze.extract(&src)
    }

    const FREEZE: &str = "active-repositories: hackage.haskell.org:merge
constraints: any.aeson ==2.2.1.0,
             any.aeson +ordered-keymap -cffi,
             any.base installed,
             setup.Cabal ==3.10.2.0,
             -- a comment
             happy:exe.alex ==3.4.0.1,

             text==2.0.2,
             any.odd >=1.0 && <2
index-state: hackage.haskell.org 2024-01-01T00:00:00Z
  any.not-a-constraint ==9
";

    #[test]
    fn reads_pins_scopes_and_lines() {
        let ex = run(FREEZE).unwrap();
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
                ("aeson", "2.2.1.0", Scope::Runtime, Some(2)),
                ("Cabal", "3.10.2.0", Scope::Dev, Some(5)),
                ("alex", "3.4.0.1", Scope::Dev, Some(7)),
                ("text", "2.0.2", Scope::Runtime, Some(9)),
            ]
        );
        assert_eq!(ex.components[0].purl, "pkg:hackage/aeson@2.2.1.0");
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].line, Some(10));
    }

    #[test]
    fn malformed_constraints_are_errors() {
        assert_eq!(
            run("constraints: any.ok ==1,\n  any. ==1.0\n")
                .unwrap_err()
                .line,
            Some(2)
        );
        assert!(run("constraints: any.a/b ==1\n").is_err());
        assert!(
            run("constraints:\nfoo\nfoo\n")
                .unwrap()
                .components
                .is_empty()
        );
        assert!(run("").unwrap().components.is_empty());
    }

    /// Fixtures whose peer result we deliberately do not reproduce: (fixture, what we read in
    /// addition to the peer, reason).
    /// A fixture, the (name, version) pairs ossgate reads beyond the peer, and why.
    type Exception = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
    );

    const EXCEPTIONS: &[Exception] = &[(
        "lockfiles/hackage/cabal-project-freeze/valid_2",
        &[("foo", "2.4.0.3")],
        "an unqualified constraint `foo ==2.4.0.3` is valid cabal syntax and pins foo; \
         the peer reads only `any.`-qualified constraints",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut excepted) = (0, 0);
        for r in peer_records(&root, |r| r["format"] == "cabal-project-freeze") {
            let fixture = fixture(&r);
            let ex = run(&fixture_text(&root, &r)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let got = packages(&ex.components);
            let mut want = expected_packages(&root, &r);
            if let Some((_, extra, _)) = EXCEPTIONS.iter().find(|(f, _, _)| *f == fixture) {
                for (n, v) in *extra {
                    *want.entry((n.to_string(), v.to_string())).or_default() += 1;
                }
                excepted += 1;
            }
            assert_eq!(got, want, "{fixture}");
            checked += 1;
        }
        assert_eq!((checked, excepted), (2, 1));
    }
}
