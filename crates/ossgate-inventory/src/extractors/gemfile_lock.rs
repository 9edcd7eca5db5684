//! Bundler's `Gemfile.lock` (and `gems.locked`, its name under a `gems.rb`).
//!
//! The file is a list of sections, each opened by an unindented upper-case header. The source
//! sections (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) hold two-space `key: value` lines and a
//! `specs:` list: four-space `name (version)` or `name (version-platform)` lines are the locked
//! gems, and the six-space lines under one are its own dependencies. `DEPENDENCIES` names, at two
//! spaces, what the Gemfile asks for (a trailing `!` marks a git or path source): the direct
//! dependencies. Other sections (`PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH`, and any Bundler
//! adds later) say nothing about which gems are locked and are skipped.
//!
//! `CHECKSUMS` (Bundler 2.5 and later) lists, at two spaces, `name (version) sha256=<hex>` for
//! each locked gem (several digests comma-separated; none for git and path gems): the digest
//! of the `.gem` file, kept as the component's `hashes`. A platform gem is listed under its full
//! `name (version-platform)`, so its digest goes to the spec line of that platform. The section
//! is read leniently: a line or digest that does not parse is left out without failing the
//! file.
//!
//! Every spec line is one component, gems from git and path sources included. The platform
//! suffix is dropped from the version (as Bundler itself reads it, everything after the first
//! `-`), so a gem locked for several platforms gives several components with the same purl,
//! one per line; the inventory merges them. A spec without a version names no exact release
//! and is reported as unresolved.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Hash, HashAlg};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub struct GemfileLock;

impl Extractor for GemfileLock {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "Gemfile.lock" | "gems.locked")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let lock = parse(file)?;

        let eco = Ecosystem::RubyGems;
        let purls: Vec<String> = lock
            .specs
            .iter()
            .map(|s| eco.purl(s.name, Some(s.version)))
            .collect();
        // The first spec of each name: platform variants of one gem share name and version.
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (i, s) in lock.specs.iter().enumerate() {
            by_name.entry(s.name).or_insert(i);
        }
        // `CHECKSUMS` digests by spec, matched on the name and the full `version-platform`.
        let mut hashes: Vec<Vec<Hash>> = Vec::new();
        if !lock.checksums.is_empty() {
            let by_lock_name: HashMap<(&str, &str), usize> = lock
                .specs
                .iter()
                .enumerate()
                .map(|(i, s)| ((s.name, s.locked), i))
                .collect();
            hashes.resize(lock.specs.len(), Vec::new());
            for (name, locked, digests) in &lock.checksums {
                let Some(slot) = by_lock_name
                    .get(&(*name, *locked))
                    .and_then(|&i| hashes.get_mut(i))
                else {
                    continue;
                };
                for (alg, hex) in digests.split(',').filter_map(|d| d.trim().split_once('=')) {
                    if let Some(h) = HashAlg::parse(alg).and_then(|alg| Hash::from_hex(alg, hex))
                        && !slot.contains(&h)
                    {
                        slot.push(h);
                    }
                }
            }
        }

        let mut out = Extracted {
            components: Vec::with_capacity(lock.specs.len()),
            unresolved: lock.unresolved,
            ..Extracted::default()
        };
        for (i, s) in lock.specs.iter().enumerate() {
            let mut c = Component::with_purl(
                eco.clone(),
                s.name.to_string(),
                s.version.to_string(),
                purls[i].clone(),
            );
            c.locations.push(loc(&file.display, Some(s.line)));
            c.direct = lock.direct.contains(s.name);
            if let Some(h) = hashes.get_mut(i) {
                c.hashes = std::mem::take(h);
            }
            let mut seen = HashSet::new();
            c.dependencies = s
                .deps
                .iter()
                .filter_map(|d| by_name.get(d).copied())
                .filter(|&j| j != i && seen.insert(j))
                .map(|j| purls[j].clone())
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

/// One locked gem: a four-space line under `specs:`.
struct Spec<'a> {
    name: &'a str,
    version: &'a str,
    /// What the parentheses hold: the version, with its platform when there is one.
    locked: &'a str,
    line: u32,
    /// Names on the six-space lines under it.
    deps: Vec<&'a str>,
}

struct Lock<'a> {
    specs: Vec<Spec<'a>>,
    direct: HashSet<&'a str>,
    unresolved: Vec<Unresolved>,
    /// `CHECKSUMS` lines: name, what the parentheses hold, and the `alg=hex,...` list.
    checksums: Vec<(&'a str, &'a str, &'a str)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    /// Before the first header.
    None,
    /// `GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`; `true` once its `specs:` line is read.
    Source {
        in_specs: bool,
    },
    Dependencies,
    Checksums,
    /// A section this extractor does not read.
    Other,
}

fn parse<'a>(file: &SourceFile<'a>) -> Result<Lock<'a>, ExtractError> {
    let err = |line: u32, msg: String| ExtractError::new(&file.display, Some(line), msg);
    let mut lock = Lock {
        specs: Vec::new(),
        direct: HashSet::new(),
        unresolved: Vec::new(),
        checksums: Vec::new(),
    };
    let mut section = Section::None;
    // Whether the current `specs:` list has had a spec line yet (dependency lines need one),
    // and whether the latest one became a component (one without version owns no edges).
    let mut has_spec = false;
    let mut last_spec_kept = false;

    let text: &'a str = file.text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if content.starts_with('\t') {
            return Err(err(n, "tab in indentation".into()));
        }
        let content = content.trim_end();

        if indent == 0 {
            if !content
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'_')
            {
                return Err(err(
                    n,
                    format!("expected a section header such as `GEM`, found `{content}`"),
                ));
            }
            section = match content {
                "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => Section::Source { in_specs: false },
                "DEPENDENCIES" => Section::Dependencies,
                "CHECKSUMS" => Section::Checksums,
                _ => Section::Other,
            };
            has_spec = false;
            last_spec_kept = false;
            continue;
        }

        match section {
            Section::None => {
                return Err(err(
                    n,
                    "indented line before any section header: not a Gemfile.lock".into(),
                ));
            }
            Section::Other => {}
            Section::Checksums => {
                // `name (version[-platform]) alg=hex[,alg=hex]`; anything else is skipped.
                if indent == 2
                    && let Some((name, rest)) = content.split_once(" (")
                    && let Some((locked, digests)) = rest.split_once(')')
                {
                    lock.checksums.push((name, locked, digests.trim()));
                }
            }
            Section::Dependencies => {
                if indent == 2 {
                    let end = content.find([' ', '!', '(']).unwrap_or(content.len());
                    let name = &content[..end];
                    if name.is_empty() {
                        return Err(err(n, format!("invalid dependency line `{content}`")));
                    }
                    lock.direct.insert(name);
                }
            }
            Section::Source { in_specs } => match indent {
                2 => {
                    let Some((key, _)) = content.split_once(':').filter(|(k, v)| {
                        !k.is_empty() && !k.contains(' ') && (v.is_empty() || v.starts_with(' '))
                    }) else {
                        return Err(err(n, format!("expected `key: value`, found `{content}`")));
                    };
                    section = Section::Source {
                        in_specs: key == "specs",
                    };
                    has_spec = false;
                    last_spec_kept = false;
                }
                4 if in_specs => {
                    has_spec = true;
                    last_spec_kept = false;
                    match spec_line(content) {
                        Ok(Some((name, version, locked))) => {
                            lock.specs.push(Spec {
                                name,
                                version,
                                locked,
                                line: n,
                                deps: Vec::new(),
                            });
                            last_spec_kept = true;
                        }
                        Ok(None) => lock.unresolved.push(Unresolved {
                            file: file.display.clone(),
                            line: Some(n),
                            text: content.to_string(),
                            reason: "locked gem without a version".into(),
                        }),
                        Err(msg) => return Err(err(n, msg)),
                    }
                }
                6 if in_specs => {
                    if !has_spec {
                        return Err(err(
                            n,
                            format!("dependency line `{content}` before any gem"),
                        ));
                    }
                    let name = content.split(' ').next().unwrap_or(content);
                    if last_spec_kept && let Some(spec) = lock.specs.last_mut() {
                        spec.deps.push(name);
                    }
                }
                _ => {
                    return Err(err(
                        n,
                        format!("unexpected indentation ({indent} spaces): `{content}`"),
                    ));
                }
            },
        }
    }
    Ok(lock)
}

/// `name`, `name (version)` or `name (version-platform)`: the name and the version without its
/// platform and what the parentheses hold, or `None` for a name without version.
fn spec_line(content: &str) -> Result<Option<(&str, &str, &str)>, String> {
    let Some((name, rest)) = content.split_once(' ') else {
        if content.contains(['(', ')']) {
            return Err(format!("expected `name (version)`, found `{content}`"));
        }
        return Ok(None);
    };
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("expected `name (version)`, found `{content}`"))?;
    let version = inner.split('-').next().unwrap_or("").trim();
    if name.is_empty() || version.is_empty() || version.contains([' ', '(', ')']) {
        return Err(format!("expected `name (version)`, found `{content}`"));
    }
    Ok(Some((name, version, inner)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{self, *};

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        GemfileLock.extract(&SourceFile {
            display: "Gemfile.lock".into(),
            path: Path::new("/nonexistent/Gemfile.lock"),
            text,
        })
    }

    const LOCK: &str = "\
GIT
  remote: https://github.com/example/forked.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    forked (0.10.0)
      treetop (>= 1.2.3)

PATH
  remote: vendor/gems/local
  specs:
    local (3.2.0)

GEM
  remote: https://rubygems.org/
  specs:
    nokogiri (1.13.8-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.13.8-x86_64-linux)
      racc (~> 1.4)
    racc (1.6.0)
    rails (7.0.2.2)
      bundler (>= 1.15.0)
      nokogiri (>= 1.8.5)
      racc
    treetop (1.6.12)
      polyglot (~> 0.3)
    polyglot (0.3.5)

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  forked!
  local!
  rails (~> 7.0)

CHECKSUMS
  racc (1.6.0) sha256=abc

RUBY VERSION
   ruby 3.0.2p107

BUNDLED WITH
   2.2.28
";

    #[test]
    fn reads_sources_platforms_direct_and_edges() {
        let ex = run(LOCK).unwrap();
        let got: Vec<(&str, bool, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.direct, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:gem/forked@0.10.0", true, Some(6)),
                ("pkg:gem/local@3.2.0", true, Some(12)),
                ("pkg:gem/nokogiri@1.13.8", false, Some(17)),
                ("pkg:gem/nokogiri@1.13.8", false, Some(19)),
                ("pkg:gem/racc@1.6.0", false, Some(21)),
                ("pkg:gem/rails@7.0.2.2", true, Some(22)),
                ("pkg:gem/treetop@1.6.12", false, Some(26)),
                ("pkg:gem/polyglot@0.3.5", false, Some(28)),
            ]
        );
        assert!(
            ex.components
                .iter()
                .all(|c| c.ecosystem == Ecosystem::RubyGems)
        );
        let deps = |name: &str| {
            ex.components
                .iter()
                .find(|c| c.name == name)
                .unwrap()
                .dependencies
                .clone()
        };
        // Edges resolve by name to the locked gem; `bundler` is not locked and is left out.
        assert_eq!(
            deps("rails"),
            ["pkg:gem/nokogiri@1.13.8", "pkg:gem/racc@1.6.0"]
        );
        assert_eq!(deps("forked"), ["pkg:gem/treetop@1.6.12"]);
        assert_eq!(deps("treetop"), ["pkg:gem/polyglot@0.3.5"]);
        assert!(deps("polyglot").is_empty());
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn checksums_go_to_their_platform_spec() {
        let h = |c: char, n: usize| c.to_string().repeat(n);
        let (h1, h2, h3, h4) = (h('1', 64), h('2', 64), h('3', 64), h('4', 128));
        let text = format!(
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.8)\n      racc (~> 1.4)\n    nokogiri (1.13.8-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.6.0)\n    rake (13.0.0)\n    odd (1.0)\n\nDEPENDENCIES\n  nokogiri\n\nCHECKSUMS\n  nokogiri (1.13.8) sha256={h1}\n  nokogiri (1.13.8-x86_64-linux) sha256={h2}\n  racc (1.6.0) sha256={h3},sha512={h4}\n  rake (13.0.0) sha256=abc\n  odd (1.0)\n  missing (9.9) sha256={h1}\n  garbage line\n    deeper (1.0) sha256={h1}\n  noparen sha256={h1}\n  unknown (1.0) md4={h1},=,sha256\n\nBUNDLED WITH\n   2.5.3\n"
        );
        let ex = run(&text).unwrap();
        type Row<'a> = (&'a str, Option<u32>, Vec<(HashAlg, &'a str)>);
        let got: Vec<Row> = ex
            .components
            .iter()
            .map(|c| {
                let v = c.hashes.iter().map(|h| (h.alg, h.value.as_str())).collect();
                (c.purl.as_str(), c.locations[0].line, v)
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:gem/nokogiri@1.13.8",
                    Some(4),
                    vec![(HashAlg::Sha256, h1.as_str())]
                ),
                (
                    "pkg:gem/nokogiri@1.13.8",
                    Some(6),
                    vec![(HashAlg::Sha256, h2.as_str())]
                ),
                (
                    "pkg:gem/racc@1.6.0",
                    Some(8),
                    vec![
                        (HashAlg::Sha256, h3.as_str()),
                        (HashAlg::Sha512, h4.as_str())
                    ]
                ),
                ("pkg:gem/rake@13.0.0", Some(9), vec![]),
                ("pkg:gem/odd@1.0", Some(10), vec![]),
            ]
        );
        // The LOCK sample's malformed `sha256=abc` is no error either.
        assert!(
            run(LOCK)
                .unwrap()
                .components
                .iter()
                .all(|c| c.hashes.is_empty())
        );
    }

    #[test]
    fn crlf_bom_and_gems_locked() {
        let text = format!("\u{feff}{}", LOCK.replace('\n', "\r\n"));
        let ex = run(&text).unwrap();
        assert_eq!(ex.components.len(), 8);
        assert_eq!(ex.components[0].version, "0.10.0");
        assert_eq!(ex.components[5].dependencies.len(), 2);
        assert!(GemfileLock.applies_to(Path::new("a/gems.locked")));
        assert!(GemfileLock.applies_to(Path::new("a/Gemfile.lock")));
        assert!(!GemfileLock.applies_to(Path::new("a/Gemfile")));
        assert!(!GemfileLock.applies_to(Path::new("a/gemfile.lock.bak")));
        assert_eq!(GemfileLock.name(), "gemfile-lock");
    }

    #[test]
    fn empty_and_sectionless_files() {
        assert!(run("").unwrap().components.is_empty());
        assert!(run("\n\n").unwrap().components.is_empty());
        let ex = run("PLATFORMS\n  ruby\n\nDEPENDENCIES\n\nBUNDLED WITH\n   2.4.1\n").unwrap();
        assert!(ex.components.is_empty());
        // A source without specs.
        assert!(
            run("GEM\n  remote: https://rubygems.org/\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn spec_without_version_is_unresolved() {
        let ex = run(
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    odd\n      dep\n    ok (1.0)\n",
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.components[0].purl, "pkg:gem/ok@1.0");
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].line, Some(4));
        assert_eq!(ex.unresolved[0].text, "odd");
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let cases: &[(&str, u32)] = &[
            ("GEM\n  specs:\n    a (1.0\n", 3),
            ("GEM\n  specs:\n    a 1.0\n", 3),
            ("GEM\n  specs:\n    a ()\n", 3),
            ("GEM\n  specs:\n    a (-x86_64-linux)\n", 3),
            ("GEM\n  specs:\n      dep (>= 1)\n", 3),
            ("GEM\n  specs:\n    a (1.0)\n        too-deep\n", 4),
            ("GEM\n  remote https://x\n", 2),
            ("GEM\n  specs:\n\ta (1.0)\n", 3),
            ("  specs:\n    a (1.0)\n", 1),
            ("{\"not\": \"a lockfile\"}\n", 1),
            ("GEM\n  specs:\n    a (1.0)\nlowercase header\n", 4),
            ("DEPENDENCIES\n  !\n", 2),
            ("GEM\n  specs:\n    (1.0)\n", 3),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.file, "Gemfile.lock");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "GEM\n  specs:\n    (1.0)\n",
            "GEM\n  specs:\n    é (ü-ß)\n",
            "GEM\n  specs:\n    a (1.0))\n",
            "GEM\n  specs:\n    a (1.0)\n      \n      b\n",
            "GEM\n:\n",
            "GEM\n  :\n  specs:\n    a (1)\n",
            "\r\n\r\nGEM\r\n",
            "DEPENDENCIES\n  a!\n  b (>= 1)!\n    c\n",
        ];
        for s in samples {
            let _ = run(s);
        }
        for cut in 0..LOCK.len() {
            if LOCK.is_char_boundary(cut) {
                let _ = run(&LOCK[..cut]);
            }
        }
    }

    fn extract_path(path: &Path, display: &str) -> Result<Extracted, ExtractError> {
        let text = std::fs::read_to_string(path).unwrap();
        GemfileLock.extract(&SourceFile {
            display: display.to_string(),
            path,
            text: &text,
        })
    }

    /// osv-scalibr's Gemfile.lock fixtures: the same (name, version) multiset.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else {
            return;
        };
        // No exceptions: every Gemfile.lock fixture must match.
        let mut checked = 0;
        let mut packages = 0;
        for rec in &peer_records(&root, |r| {
            r["ecosystem_dir"] == "rubygems" && r["format"] == "gemfile-lock"
        }) {
            let field = |k: &str| rec[k].as_str().unwrap_or_default();
            let fixture = field("fixture");
            let result = extract_path(&root.join(fixture), fixture);
            let expected = &expected(&root, rec);
            if rec.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}: expected an error");
            } else {
                let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
                let want = expected_packages(&root, rec);
                assert_eq!(testdata::packages(&ex.components), want, "{fixture}");
                assert_eq!(expected.len() as u64, rec["packages"].as_u64().unwrap());
                // Where the fixture asserts a line, it is the spec's line.
                for p in expected {
                    if let Some(line) = p["location"]["line"].as_u64() {
                        assert!(
                            ex.components
                                .iter()
                                .any(|c| c.name == p["name"]
                                    && c.locations[0].line == Some(line as u32)),
                            "{fixture}: {} at line {line}",
                            p["name"]
                        );
                    }
                }
                packages += expected.len();
            }
            checked += 1;
        }
        assert_eq!(checked, 8, "Gemfile.lock fixtures in the index");
        assert_eq!(packages, 90);
    }

    /// The real lockfiles in the shared data read without error, one component per spec line.
    #[test]
    fn real_lockfiles() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut checked = 0;
        for project in ["rubygems.org", "openstreetmap-website", "huginn"] {
            let path = inputs.join(project).join("Gemfile.lock");
            let ex = extract_path(&path, project).unwrap_or_else(|e| panic!("{e}"));
            let text = std::fs::read_to_string(&path).unwrap();
            let spec_lines = text
                .lines()
                .filter(|l| l.starts_with("    ") && !l.starts_with("     ") && l.ends_with(')'))
                .count();
            assert_eq!(ex.components.len(), spec_lines, "{project}");
            assert!(ex.unresolved.is_empty(), "{project}");
            assert!(ex.components.iter().any(|c| c.direct), "{project}");
            assert!(
                ex.components.iter().any(|c| !c.dependencies.is_empty()),
                "{project}"
            );
            assert!(
                ex.components.iter().all(|c| !c.version.contains('-')),
                "{project}: platform suffixes are dropped"
            );
            // Every `CHECKSUMS` digest lands on the spec line naming the same gem.
            let lines: Vec<&str> = text.lines().collect();
            let digests = text.matches(" sha256=").count();
            let read: usize = ex.components.iter().map(|c| c.hashes.len()).sum();
            assert_eq!(read, digests, "{project}");
            for c in ex.components.iter().filter(|c| !c.hashes.is_empty()) {
                let spec = lines[c.locations[0].line.unwrap() as usize - 1].trim();
                let entry = format!("  {spec} sha256={}", c.hashes[0].value);
                assert!(text.contains(&entry), "{project}: {entry}");
            }
            if project == "rubygems.org" {
                assert!(read > 300);
            }
            checked += 1;
        }
        assert_eq!(checked, 3);
    }
}
