//! Elixir `mix.lock`: an Elixir map literal from dependency name to a lock tuple.
//!
//! ```text
//! %{
//!   "plug": {:hex, :plug, "1.11.1", "f299...", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "2352..."},
//!   "foo": {:git, "https://github.com/org/foo.git", "fc94...", [branch: "main"]},
//! }
//! ```
//!
//! `:hex` entries are Hex packages: the second element is the package name on Hex (the map key
//! is the application name, which differs for aliased packages), the third its version, and the
//! sixth its requirements, which give the edges. `:git` and `:path` entries have no Hex version
//! and are reported unresolved. The file does not record which dependencies are direct.
//!
//! The file is read by a small scanner for the term syntax mix writes (maps, tuples, lists,
//! keyword lists, strings, atoms and bare words), not by evaluating Elixir.

use super::file_name;
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::HashMap;
use std::path::Path;

pub struct MixLock;

impl Extractor for MixLock {
    fn name(&self) -> &'static str {
        "mix-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "mix.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut p = Parser {
            text: file.text,
            pos: 0,
            depth: 0,
        };
        let err = |p: &Parser, msg: String| {
            ExtractError::new(&file.display, Some(line_of_offset(p.text, p.pos)), msg)
        };
        p.skip_ws();
        let mut out = Extracted::default();
        if p.pos == p.text.len() {
            return Ok(out);
        }
        if !p.text[p.pos..].starts_with("%{") {
            return Err(err(&p, "expected `%{` opening the lock map".into()));
        }
        let root = p.value().map_err(|m| err(&p, m))?;
        p.skip_ws();
        if p.pos != p.text.len() {
            return Err(err(&p, "unexpected text after the lock map".into()));
        }
        let Term::Map(entries) = root.term else {
            return Err(err(&p, "expected a map".into()));
        };

        // (app name, package name, version, requirement app names, offset) of Hex entries.
        let mut hex = Vec::new();
        for (key, value) in &entries {
            let line = Some(line_of_offset(file.text, key.at));
            let app = match &key.term {
                Term::Str(s) | Term::Atom(s) => s.as_str(),
                _ => {
                    return Err(ExtractError::new(
                        &file.display,
                        line,
                        "lock key is not a name",
                    ));
                }
            };
            let Term::Tuple(items) = &value.term else {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    format!("lock entry `{app}` is not a tuple"),
                ));
            };
            let kind = match items.first().map(|t| &t.term) {
                Some(Term::Atom(k)) => k.as_str(),
                _ => "",
            };
            if kind != "hex" {
                let how = match kind {
                    "git" => "a git dependency",
                    "path" => "a path dependency",
                    "" => "an entry of unknown kind",
                    _ => "not a Hex package",
                };
                out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: app.to_string(),
                    reason: format!("{how}, without a Hex version"),
                });
                continue;
            }
            let text_at = |i: usize| match items.get(i).map(|t| &t.term) {
                Some(Term::Atom(s)) | Some(Term::Str(s)) => s.as_str(),
                _ => "",
            };
            let (name, version) = (text_at(1), text_at(2));
            if name.is_empty() || version.is_empty() {
                return Err(ExtractError::new(
                    &file.display,
                    line,
                    format!("hex entry `{app}` without a package name and version"),
                ));
            }
            let requires: Vec<&str> = match items.get(5).map(|t| &t.term) {
                Some(Term::List(deps)) => deps
                    .iter()
                    .filter_map(|d| match &d.term {
                        Term::Tuple(t) => match t.first().map(|x| &x.term) {
                            Some(Term::Atom(a)) => Some(a.as_str()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            hex.push((app, name, version, requires, line));
        }

        let purls: HashMap<&str, String> = hex
            .iter()
            .map(|(app, name, version, _, _)| (*app, Ecosystem::Hex.purl(name, Some(version))))
            .collect();
        for (app, name, version, requires, line) in &hex {
            let mut c = Component::with_purl(
                Ecosystem::Hex,
                name.to_string(),
                version.to_string(),
                purls[app].clone(),
            );
            c.locations.push(loc(&file.display, *line));
            c.dependencies = requires
                .iter()
                .filter_map(|r| purls.get(r).cloned())
                .collect();
            out.components.push(c);
        }
        Ok(out)
    }
}

/// A term and the byte offset where it starts.
#[derive(Debug)]
struct Node {
    term: Term,
    at: usize,
}

#[derive(Debug)]
enum Term {
    Str(String),
    Atom(String),
    Tuple(Vec<Node>),
    /// Keyword pairs `key: value` are 2-tuples of an atom and the value, as in Elixir.
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// Numbers, `true`, `nil` and other bare words.
    Word,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || "_.?!@-+".contains(c)
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Whitespace and `#` comments.
    fn skip_ws(&mut self) {
        loop {
            let r = self.rest();
            let trimmed = r.trim_start();
            self.pos += r.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Node, String> {
        self.skip_ws();
        let at = self.pos;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("terms nested too deeply".into());
        }
        let term = match self.peek() {
            None => Err("unexpected end of file".into()),
            Some('%') => {
                if !self.eat("%{") {
                    return Err("expected `%{`".into());
                }
                self.map()
            }
            Some('{') => {
                self.pos += 1;
                self.seq('}', false).map(Term::Tuple)
            }
            Some('[') => {
                self.pos += 1;
                self.seq(']', true).map(Term::List)
            }
            Some('"') => self.string().map(Term::Str),
            Some(':') => {
                self.pos += 1;
                if self.peek() == Some('"') {
                    self.string().map(Term::Atom)
                } else {
                    let w = self.word();
                    if w.is_empty() {
                        Err("expected an atom after `:`".into())
                    } else {
                        Ok(Term::Atom(w))
                    }
                }
            }
            Some(c) if is_word_char(c) => {
                self.word();
                Ok(Term::Word)
            }
            Some(c) => Err(format!("unexpected `{c}`")),
        }?;
        self.depth -= 1;
        Ok(Node { term, at })
    }

    fn word(&mut self) -> String {
        let end = self
            .rest()
            .find(|c: char| !is_word_char(c))
            .unwrap_or(self.rest().len());
        let w = self.rest()[..end].to_string();
        self.pos += end;
        w
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // opening quote
        let mut s = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(s);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => s.push('\n'),
                    Some((_, 't')) => s.push('\t'),
                    Some((_, e)) => s.push(e),
                    None => break,
                },
                c => s.push(c),
            }
        }
        Err("unterminated string".into())
    }

    /// A keyword key (`name:` or `"name":` followed by a space), if one starts here.
    fn keyword_key(&mut self) -> Result<Option<Node>, String> {
        let at = self.pos;
        let key = if self.peek() == Some('"') {
            let s = self.string()?;
            if self.rest().starts_with(':') && !self.rest().starts_with("::") {
                Some(s)
            } else {
                self.pos = at;
                None
            }
        } else if self.peek().is_some_and(is_word_char) {
            let w = self.word();
            if self.rest().starts_with(':') && !self.rest().starts_with("::") {
                Some(w)
            } else {
                self.pos = at;
                None
            }
        } else {
            None
        };
        Ok(key.map(|k| {
            self.pos += 1; // the colon
            Node {
                term: Term::Atom(k),
                at,
            }
        }))
    }

    /// Items up to `close`, separated by commas (a trailing comma allowed).
    fn seq(&mut self, close: char, keywords: bool) -> Result<Vec<Node>, String> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            let item = match keywords.then(|| self.keyword_key()).transpose()?.flatten() {
                Some(key) => {
                    let at = key.at;
                    let value = self.value()?;
                    Node {
                        term: Term::Tuple(vec![key, value]),
                        at,
                    }
                }
                None => self.value()?,
            };
            items.push(item);
            self.skip_ws();
            if !self.eat(",") && self.peek() != Some(close) {
                return Err(format!("expected `,` or `{close}`"));
            }
        }
    }

    /// Pairs up to `}`: `key: value`, `"key": value` or `key => value`.
    fn map(&mut self) -> Result<Term, String> {
        let mut pairs = Vec::new();
        loop {
            self.skip_ws();
            if self.eat("}") {
                return Ok(Term::Map(pairs));
            }
            let (key, value) = match self.keyword_key()? {
                Some(key) => (key, self.value()?),
                None => {
                    let key = self.value()?;
                    self.skip_ws();
                    if !self.eat("=>") {
                        return Err("expected `=>` or `:` after a map key".into());
                    }
                    (key, self.value()?)
                }
            };
            pairs.push((key, value));
            self.skip_ws();
            if !self.eat(",") && self.peek() != Some('}') {
                return Err("expected `,` or `}`".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::BTreeMap;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        let src = SourceFile {
            display: "mix.lock".into(),
            path: Path::new("mix.lock"),
            text,
        };
        MixLock.extract(&src)
    }

    const LOCK: &str = r#"%{
  "mime": {:hex, :mime, "1.5.0", "203e", [:mix], [], "hexpm", "0a5e"},
  "plug": {:hex, :plug, "1.11.1", "f299", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}, {:telemetry, "~> 0.4", [hex: :telemetry, repo: "hexpm", optional: true]}], "hexpm", "2352"},
  "my_json": {:hex, :jason, "1.4.1", "af1b", [:mix], [], "hexpm", "fbb0"},
  # a comment
  "foo": {:git, "https://github.com/my-org/foo.git", "fc94", [branch: "feat/\"x\""]},
  "local": {:path, "../local", []},
}
"#;

    #[test]
    fn reads_hex_packages_edges_and_git() {
        let ex = run(LOCK).unwrap();
        let got: Vec<_> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:hex/mime@1.5.0", Some(2)),
                ("pkg:hex/plug@1.11.1", Some(3)),
                ("pkg:hex/jason@1.4.1", Some(4)),
            ]
        );
        assert_eq!(ex.components[1].dependencies, ["pkg:hex/mime@1.5.0"]);
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(unresolved, [("foo", Some(6)), ("local", Some(7))]);
    }

    #[test]
    fn other_map_syntaxes() {
        let ex = run("%{\"a\" => {:hex, :a, \"1.0.0\", \"h\", [:mix], [], \"hexpm\"}, b: {:hex, :b, \"2.0.0\"}}").unwrap();
        let got: Vec<_> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(got, ["pkg:hex/a@1.0.0", "pkg:hex/b@2.0.0"]);
        assert!(run("").unwrap().components.is_empty());
        assert!(run("%{}").unwrap().components.is_empty());
    }

    #[test]
    fn malformed_input_is_an_error_and_never_panics() {
        for bad in [
            "x",
            "%{",
            "%{\"a\": {:hex, :a, \"1\"}",
            "%{\"a\": {:hex, :a, \"1}",
            "%{\"a\": 1}",
            "%{\"a\": {:hex}}",
            "%{\"a\" {:hex}}",
            "%{} x",
            "%{\"a\": :}",
            "%{\"a\": {:hex, :a, \"1\"}}}",
            "%{\"é\": [\\",
        ] {
            assert!(run(bad).is_err(), "{bad}");
        }
        let deep = format!("%{{\"a\": {}", "[".repeat(10_000));
        assert!(run(&deep).is_err());
        assert_eq!(
            run("%{\n\"a\": {:hex, :a, \"1\"},\n ?}").unwrap_err().line,
            Some(3)
        );
    }

    /// Fixtures whose peer result we deliberately do not reproduce, with the reason.
    const EXCEPTIONS: &[(&str, &str)] = &[(
        "lockfiles/hex/mix-lock/git.lock",
        "the peer reports git dependencies as packages with an empty version; ossgate reports \
         them as unresolved (they have no Hex version to match), so they are compared by name \
         against the unresolved list",
    )];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut excepted) = (0, 0);
        for r in peer_records(&root, |r| {
            r["format"] == "mix-lock" || r["format"] == "mix-lock-elixir"
        }) {
            let fixture = fixture(&r);
            let ex = run(&fixture_text(&root, &r)).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let got = packages(&ex.components);
            let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
            let mut want_unresolved: Vec<String> = Vec::new();
            let excepted_here = EXCEPTIONS.iter().any(|(f, _)| *f == fixture);
            for e in &expected(&root, &r) {
                let (name, version) = name_version(e);
                if excepted_here && version.is_empty() {
                    want_unresolved.push(name);
                } else {
                    *want.entry((name, version)).or_default() += 1;
                }
            }
            assert_eq!(got, want, "{fixture}");
            if excepted_here {
                let mut unresolved: Vec<String> =
                    ex.unresolved.iter().map(|u| u.text.clone()).collect();
                unresolved.sort();
                want_unresolved.sort();
                assert!(!want_unresolved.is_empty(), "{fixture}");
                assert_eq!(unresolved, want_unresolved, "{fixture}");
                excepted += 1;
            }
            checked += 1;
        }
        assert_eq!((checked, excepted), (6, 1));
    }
}
