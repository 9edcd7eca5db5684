//! `*.gemspec`: a Ruby gem's specification (a manifest, read only when no `Gemfile.lock` or
//! `gems.locked` covers it; given directly, it is always read).
//!
//! A gemspec is Ruby code, which ossgate does not run. It reads the common static shapes:
//!
//! - the `Gem::Specification.new do |s| ... end` block. A file without one (a helper, or a
//!   broken `Gem::Specif...`) yields nothing;
//! - `s.name = ...` and `s.version = ...`: the gem itself, a component that is not direct (it is
//!   the project, not a dependency), at the line of its name, whose `dependencies` are the
//!   purls of the gems it pins;
//! - values: string literals (`'x'`, `"x"`, `%q<x>`, `%q{x}`, with or without `.freeze`) and
//!   constants (`VERSION`, `Example::VERSION`, `Example::Version`), looked up first in the
//!   gemspec itself, then in the files it loads relative to itself: `require_relative 'lib/x'`,
//!   `require_relative File.expand_path(...)`, `File.join('lib', 'x', 'version')` and
//!   `require File.dirname(__FILE__) + '/lib/x'` (the string literals of the argument, joined
//!   with `/`, relative to the gemspec's directory, `.rb` added). A plain `require 'x/version'`
//!   goes through Ruby's `$LOAD_PATH`, which depends on code being run, and is not followed; a
//!   version computed by a method call (`Example.version`) is not evaluated. Both are errors
//!   naming the line, because a gemspec whose own version cannot be read says nothing usable;
//! - `add_dependency`, `add_runtime_dependency` (runtime) and `add_development_dependency`
//!   (dev): direct requirements. One exact pin (`"= 1.2.3"` or `"1.2.3"`) is a component; any
//!   other requirement (`>= 0`, `~> 1.2`, several comparators) names no single version and goes
//!   to `Extracted.unresolved`.
//!
//! A name or version assignment that is cut off (`s.name =` and nothing after it) is an error
//! with its line.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::path::{Path, PathBuf};

pub struct Gemspec;

impl Extractor for Gemspec {
    fn name(&self) -> &'static str {
        "gemspec"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path).ends_with(".gemspec")
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["Gemfile.lock", "gems.locked"]
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let err =
            |line: usize, msg: String| ExtractError::new(&file.display, Some(line as u32), msg);
        let lines: Vec<&str> = file.text.lines().collect();
        let Some((start, var)) = lines
            .iter()
            .enumerate()
            .find_map(|(i, l)| spec_start(l).map(|v| (i, v)))
        else {
            return Ok(Extracted::default());
        };

        let mut name: Option<(String, usize)> = None;
        let mut version: Option<(String, usize)> = None;
        let mut deps: Vec<(String, Vec<String>, Scope, usize)> = Vec::new();
        for (i, raw) in lines.iter().enumerate().skip(start + 1) {
            let l = strip_comment(raw).trim();
            let Some(rest) = l
                .strip_prefix(var.as_str())
                .and_then(|r| r.strip_prefix('.'))
            else {
                continue;
            };
            let line = i + 1;
            if let Some(value) = assignment(rest, "name") {
                let v = literal(value).ok_or_else(|| {
                    err(line, format!("the gem name is not a string literal: `{l}`"))
                })?;
                name = Some((v, line));
            } else if let Some(value) = assignment(rest, "version") {
                if value.is_empty() {
                    return Err(err(line, "the version assignment has no value".into()));
                }
                let v = self
                    .value(file, value, file.text)
                    .map_err(|m| err(line, m))?;
                version = Some((v, line));
            } else if let Some((method, args)) = call(rest) {
                let scope = match method {
                    "add_dependency" | "add_runtime_dependency" => Scope::Runtime,
                    "add_development_dependency" => Scope::Dev,
                    _ => continue,
                };
                let mut args = split_args(args).into_iter();
                let Some(dep) = args.next().and_then(|a| literal(&a)) else {
                    return Err(err(
                        line,
                        format!("the dependency name is not a string literal: `{l}`"),
                    ));
                };
                let reqs: Vec<String> = args.flat_map(|a| list_literals(&a)).collect();
                deps.push((dep, reqs, scope, line));
            }
        }

        let eco = Ecosystem::RubyGems;
        let mut out = Extracted::default();
        let mut pinned = Vec::new();
        for (dep, reqs, scope, line) in deps {
            match exact_pin(&reqs) {
                Some(v) => {
                    let mut c = Component::new(eco.clone(), dep, v);
                    c.locations.push(loc(&file.display, Some(line as u32)));
                    c.direct = true;
                    c.scope = scope;
                    pinned.push(c.purl.clone());
                    out.components.push(c);
                }
                None => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(line as u32),
                    text: format!("{dep} {}", reqs.join(", ")).trim().to_string(),
                    reason: if reqs.is_empty() {
                        "no version requirement".into()
                    } else {
                        "the requirement names no single version".into()
                    },
                }),
            }
        }
        if let (Some((n, line)), Some((v, _))) = (name, version) {
            let mut c = Component::new(eco, n, v);
            c.locations.push(loc(&file.display, Some(line as u32)));
            c.direct = false;
            c.dependencies = pinned;
            out.components.push(c);
        }
        Ok(out)
    }
}

impl Gemspec {
    /// The value of a version expression: a literal, or a constant found in the gemspec or in
    /// a file it loads relative to itself.
    fn value(&self, file: &SourceFile, expr: &str, text: &str) -> Result<String, String> {
        if let Some(v) = literal(expr) {
            return Ok(v);
        }
        let expr = expr.trim();
        let constant = expr.trim_end_matches(".freeze").trim_end_matches(".to_s");
        let is_constant = !constant.is_empty()
            && constant.split("::").all(|seg| {
                seg.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if !is_constant {
            return Err(format!(
                "the version `{expr}` is computed by Ruby code, which ossgate does not run"
            ));
        }
        let last = constant.rsplit("::").next().unwrap_or(constant);
        if let Some(v) = constant_in(text, last) {
            return Ok(v);
        }
        let dir = file.path.parent().unwrap_or(Path::new(""));
        for path in loaded_files(text, dir) {
            if let Ok(loaded) = std::fs::read_to_string(&path)
                && let Some(v) = constant_in(&loaded, last)
            {
                return Ok(v);
            }
        }
        Err(format!(
            "the version constant `{constant}` is not defined in this file or in a file it \
             loads relative to itself (a `require` through $LOAD_PATH is not followed)"
        ))
    }
}

/// `Gem::Specification.new do |s|` → `s`.
fn spec_start(line: &str) -> Option<String> {
    let l = strip_comment(line);
    let at = l.find("Gem::Specification.new")?;
    let rest = &l[at..];
    let open = rest.find('|')?;
    let close = rest[open + 1..].find('|')? + open + 1;
    let var = rest[open + 1..close].trim();
    (!var.is_empty()).then(|| var.to_string())
}

/// Drops a `#` comment that is not inside a string literal.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// `name = VALUE` (after the `s.`) → `VALUE` (possibly empty).
fn assignment<'a>(rest: &'a str, field: &str) -> Option<&'a str> {
    let r = rest.strip_prefix(field)?.trim_start();
    let r = r.strip_prefix('=')?;
    (!r.starts_with('=')).then(|| r.trim())
}

/// `add_dependency(ARGS)` or `add_dependency ARGS` → (method, ARGS).
fn call(rest: &str) -> Option<(&str, &str)> {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (method, args) = rest.split_at(end);
    let args = args.trim();
    let args = args
        .strip_prefix('(')
        .map(|a| a.strip_suffix(')').unwrap_or(a))
        .unwrap_or(args);
    Some((method, args))
}

/// Splits call arguments at top-level commas.
fn split_args(args: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote) = (Vec::new(), String::new(), 0i32, None);
    for c in args.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '[' | '(' | '<' | '{') => depth += 1,
            (None, ']' | ')' | '>' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// A Ruby string literal, optionally followed by `.freeze`: `'x'`, `"x"`, `%q<x>`, `%q{x}`,
/// `%q(x)`, `%q[x]`.
fn literal(expr: &str) -> Option<String> {
    let e = expr.trim();
    let e = e.strip_suffix(".freeze").unwrap_or(e).trim();
    let body = if let Some(r) = e.strip_prefix("%q").or_else(|| e.strip_prefix("%Q")) {
        let open = r.chars().next()?;
        let close = match open {
            '<' => '>',
            '{' => '}',
            '(' => ')',
            '[' => ']',
            c => c,
        };
        r[open.len_utf8()..].strip_suffix(close)?
    } else {
        let q = e.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let inner = e[1..].strip_suffix(q)?;
        if inner.contains(q) || (q == '"' && inner.contains("#{")) {
            return None;
        }
        inner
    };
    Some(body.to_string())
}

/// The string literals of an argument: `"1.0"` or `[">= 1", "< 2"]`.
fn list_literals(arg: &str) -> Vec<String> {
    let a = arg.trim();
    let a = a.strip_suffix(".freeze").unwrap_or(a).trim();
    match a.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
        Some(inner) => split_args(inner)
            .iter()
            .filter_map(|x| literal(x))
            .collect(),
        None => literal(a).into_iter().collect(),
    }
}

/// The version of `["= 1.2.3"]` or `["1.2.3"]`; `None` for anything else.
fn exact_pin(reqs: &[String]) -> Option<String> {
    let [r] = reqs else { return None };
    let v = r.trim().strip_prefix('=').unwrap_or(r).trim();
    let ok = !v.is_empty()
        && v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    ok.then(|| v.to_string())
}

/// `NAME = "1.2.3"` (or `.freeze`) anywhere in `text`.
fn constant_in(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let l = strip_comment(l).trim();
        let r = l.strip_prefix(name)?.trim_start().strip_prefix('=')?;
        if r.starts_with('=') {
            return None;
        }
        literal(r)
    })
}

/// The files a gemspec loads relative to its own directory (see the module docs).
fn loaded_files(text: &str, dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = strip_comment(line).trim();
        let (relative, arg) = if let Some(a) = l.strip_prefix("require_relative") {
            (true, a)
        } else if let Some(a) = l.strip_prefix("require ") {
            (false, a)
        } else {
            continue;
        };
        // A call spread over several lines: read on until the parentheses balance.
        let mut stmt = arg.to_string();
        while stmt.matches('(').count() > stmt.matches(')').count() {
            match lines.next() {
                Some(next) => stmt.push_str(strip_comment(next).trim()),
                None => break,
            }
        }
        let anchored = stmt.contains("__FILE__") || stmt.contains("__dir__");
        if !relative && !anchored {
            continue;
        }
        let parts = string_literals(&stmt);
        if parts.is_empty() {
            continue;
        }
        let joined = parts
            .iter()
            .map(|p| p.trim_matches('/'))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        let mut rel = joined;
        if !rel.ends_with(".rb") {
            rel.push_str(".rb");
        }
        if rel.split('/').any(|seg| seg == "..") {
            continue;
        }
        out.push(dir.join(rel));
    }
    out
}

/// Every `'...'` / `"..."` literal in a statement, in order.
fn string_literals(stmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = stmt.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\'' || c == '"' {
            if let Some(len) = stmt[i + 1..].find(c) {
                out.push(stmt[i + 1..i + 1 + len].to_string());
                for _ in 0..=len {
                    chars.next();
                }
            } else {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        Gemspec.extract(&SourceFile {
            display: "x.gemspec".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("x.gemspec"), text)
    }

    #[test]
    fn literal_spec_with_dependencies() {
        let text = "# comment\nGem::Specification.new do |s|\n  s.name = \"demo\".freeze\n  \
                    s.version = '1.4.0'\n  s.add_dependency 'rack', '= 2.2.8'\n  \
                    s.add_runtime_dependency(%q<rexml>.freeze, [\">= 0\"])\n  \
                    s.add_development_dependency \"rspec\", \"~> 3.12\", \">= 3.12.1\"\n  \
                    s.add_development_dependency 'rake', '13.1.0'\nend\n";
        let ex = run(text).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.direct,
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("rack", "2.2.8", true, Scope::Runtime, Some(5)),
                ("rake", "13.1.0", true, Scope::Dev, Some(8)),
                ("demo", "1.4.0", false, Scope::Runtime, Some(3)),
            ]
        );
        assert_eq!(
            ex.components[2].dependencies,
            vec![
                "pkg:gem/rack@2.2.8".to_string(),
                "pkg:gem/rake@13.1.0".to_string()
            ]
        );
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            vec![
                ("rexml >= 0", Some(6)),
                ("rspec ~> 3.12, >= 3.12.1", Some(7))
            ]
        );
    }

    #[test]
    fn constants_in_the_file_and_in_loaded_files() {
        let ex = run("VERSION = '3.0.0'.freeze\nGem::Specification.new do |spec|\n  spec.name = 'a'\n  spec.version = VERSION\nend\n").unwrap();
        assert_eq!(ex.components[0].version, "3.0.0");

        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("lib/a")).unwrap();
        std::fs::write(
            dir.path().join("lib/a/version.rb"),
            "module A\n  # VERSION = '0.0.1'\n  VERSION = \"2.1.0\"\nend\n",
        )
        .unwrap();
        let spec = dir.path().join("a.gemspec");
        let text = "require_relative 'lib/a/version'\nGem::Specification.new do |s|\n  s.name = 'a'\n  s.version = A::VERSION\nend\n";
        assert_eq!(run_at(&spec, text).unwrap().components[0].version, "2.1.0");
        let text = "require File.expand_path(File.join('lib', 'a', 'version'), __dir__)\nGem::Specification.new do |s|\n  s.name = 'a'\n  s.version = A::VERSION\nend\n";
        assert_eq!(run_at(&spec, text).unwrap().components[0].version, "2.1.0");
        // Through $LOAD_PATH: not followed, an error naming the line of the version.
        let text = "require 'a/version'\nGem::Specification.new do |s|\n  s.name = 'a'\n  s.version = A::VERSION\nend\n";
        let e = run_at(&spec, text).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("A::VERSION"), "{e}");
        // Outside the gemspec's directory: not followed.
        let text = "require_relative '../a/lib/a/version'\nGem::Specification.new do |s|\n  s.name = 'a'\n  s.version = A::VERSION\nend\n";
        assert!(run_at(&spec, text).is_err());
    }

    #[test]
    fn malformed_and_computed() {
        assert!(
            run("Gem::Specif\n  s.name = 'x'\nend\n")
                .unwrap()
                .components
                .is_empty()
        );
        let e = run("Gem::Specification.new do |s|\n  s.name =\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e =
            run("Gem::Specification.new do |s|\n  s.name = 'a'\n  s.version = A.version\nend\n")
                .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("Ruby code"), "{e}");
        let e =
            run("Gem::Specification.new do |s|\n  s.name = 'a'\n  s.version =\nend\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        // A name or version that never comes: nothing to report, no error.
        assert!(
            run("Gem::Specification.new do |s|\n  s.name = 'a'\nend\n")
                .unwrap()
                .components
                .is_empty()
        );
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = testdata::data_dir() else {
            return;
        };
        let mut n = 0;
        for r in testdata::peer_records(&root, |r| r["format"] == "gemspec") {
            let fixture = testdata::fixture(&r).to_string();
            let path = root.join(&fixture);
            let text = testdata::fixture_text(&root, &r);
            let got = run_at(&path, &text);
            if r.get("expect_error").is_some() {
                assert!(got.is_err(), "{fixture} must fail");
            } else {
                let ex = got.unwrap_or_else(|e| panic!("{fixture}: {e}"));
                assert_eq!(
                    testdata::packages(&ex.components),
                    testdata::expected_packages(&root, &r),
                    "{fixture}"
                );
            }
            n += 1;
        }
        assert_eq!(n, 13);
    }
}
