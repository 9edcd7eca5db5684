//! Erlang `rebar.lock` (rebar3), a file of Erlang terms each ended by a full stop.
//!
//! Three versions of the format exist:
//! - before rebar3 3.5: one term, the list of locked dependencies:
//!   `[{<<"cowboy">>,{pkg,<<"cowboy">>,<<"1.0.4">>},0}, ...].`
//! - lock version `"1.1.0"`: `{"1.1.0", [Deps]}.` followed by `[{pkg_hash,[{Name, Hash}]}].`
//! - lock version `"1.2.0"`: the same, with a `pkg_hash_ext` list beside `pkg_hash`.
//!
//! Each dependency is `{Name, Source, Level}`. `Level` is the depth in the dependency tree:
//! 0 for the project's own `deps` (direct), 1 and more for what they pull in. `Source` is
//! `{pkg, PackageName, Version}` for a Hex package (`PackageName` differs from `Name` when the
//! project aliases a package), `{git, Url, {ref, Sha}}` or `{git_subdir, Url, {ref, Sha}, Dir}`
//! for a git checkout. Hex packages become Hex components named by `PackageName`; git
//! checkouts (and any other source) have no package version and are reported as unresolved
//! with their commit. The hash lists are parsed (the file must be well formed) but not used.
//!
//! The lock holds only the default profile's dependencies (rebar3 does not lock `test` or other
//! profiles), so every component is runtime. It records no edges between dependencies.
//!
//! The reader understands the subset of Erlang term syntax rebar3 writes: tuples, lists,
//! binaries of one string (`<<"x">>`, also `<<"x"/utf8>>`), strings, atoms (bare and quoted),
//! integers and `%` comments. Anything else is an error with its line.

use super::file_name;
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem};
use std::path::Path;

pub struct RebarLock;

/// Deeper nesting than this is not a lock file (and would risk the stack).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Tuple(Vec<Node>),
    List(Vec<Node>),
    /// A binary written as one string.
    Binary(String),
    Str(String),
    Atom(String),
    Int(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    term: Term,
    /// Byte offset where the term starts.
    at: usize,
}

impl Node {
    fn text(&self) -> Option<&str> {
        match &self.term {
            Term::Binary(s) | Term::Str(s) => Some(s),
            _ => None,
        }
    }
    fn atom(&self) -> Option<&str> {
        match &self.term {
            Term::Atom(s) => Some(s),
            _ => None,
        }
    }
    fn elements(&self) -> Option<&[Node]> {
        match &self.term {
            Term::Tuple(v) | Term::List(v) => Some(v),
            _ => None,
        }
    }
}

/// A parse error: byte offset and message.
type ParseError = (usize, String);

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn skip_blank(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err((self.pos, msg.into()))
    }

    fn expect(&mut self, s: &str) -> Result<(), ParseError> {
        if self.text.get(self.pos..).is_some_and(|t| t.starts_with(s)) {
            self.pos += s.len();
            Ok(())
        } else {
            self.err(format!("expected `{s}`"))
        }
    }

    /// Every top-level term, each ended by `.`.
    fn forms(&mut self) -> Result<Vec<Node>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.skip_blank();
            if self.peek().is_none() {
                return Ok(out);
            }
            out.push(self.term(0)?);
            self.skip_blank();
            self.expect(".")?;
            // A full stop ends a form only when followed by white space, a comment or the end.
            if self
                .peek()
                .is_some_and(|b| !b.is_ascii_whitespace() && b != b'%')
            {
                return self.err("expected white space after `.`");
            }
        }
    }

    fn term(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return self.err("terms nested too deeply");
        }
        self.skip_blank();
        let at = self.pos;
        let term = match self.peek() {
            Some(b'{') => Term::Tuple(self.sequence(b'}', depth)?),
            Some(b'[') => Term::List(self.sequence(b']', depth)?),
            Some(b'<') => {
                self.expect("<<")?;
                self.skip_blank();
                let s = if self.peek() == Some(b'"') {
                    self.quoted(b'"')?
                } else {
                    String::new()
                };
                self.skip_blank();
                if self.peek() == Some(b'/') {
                    self.pos += 1;
                    self.skip_blank();
                    self.bare_word();
                    self.skip_blank();
                }
                self.expect(">>")?;
                Term::Binary(s)
            }
            Some(b'"') => Term::Str(self.quoted(b'"')?),
            Some(b'\'') => Term::Atom(self.quoted(b'\'')?),
            Some(b) if b.is_ascii_lowercase() => Term::Atom(self.bare_word().to_string()),
            Some(b) if b.is_ascii_digit() || b == b'-' => {
                self.pos += 1;
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.pos += 1;
                }
                let digits = self.text.get(at..self.pos).unwrap_or("");
                if digits == "-" {
                    return Err((at, "expected a number after `-`".into()));
                }
                Term::Int(digits.to_string())
            }
            Some(_) => return self.err("unexpected character"),
            None => return self.err("unexpected end of file"),
        };
        Ok(Node { term, at })
    }

    /// `{ ... }` or `[ ... ]`: terms separated by commas.
    fn sequence(&mut self, close: u8, depth: usize) -> Result<Vec<Node>, ParseError> {
        self.pos += 1; // the opening bracket
        let mut items = Vec::new();
        self.skip_blank();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            items.push(self.term(depth + 1)?);
            self.skip_blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ => return self.err(format!("expected `,` or `{}`", close as char)),
            }
        }
    }

    /// An atom's characters: letters, digits, `_` and `@`.
    fn bare_word(&mut self) -> &'a str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@')
        {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// A string or quoted atom, with its escapes read.
    fn quoted(&mut self, quote: u8) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let rest = self.text.get(self.pos..).unwrap_or("");
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c as u32 == quote as u32 => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, c)) => out.push(c),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err((start, "unterminated string".into()))
    }
}

/// The list of locked dependencies in the parsed forms, with the lock version if written.
fn dependency_list(forms: &[Node]) -> Result<&[Node], (usize, String)> {
    let Some(first) = forms.first() else {
        return Err((0, "empty file: no lock term".into()));
    };
    match &first.term {
        Term::List(deps) => Ok(deps),
        Term::Tuple(items) => match items.as_slice() {
            [version, deps] if version.text().is_some() => match &deps.term {
                Term::List(deps) => Ok(deps),
                _ => Err((deps.at, "expected the list of dependencies".into())),
            },
            _ => Err((
                first.at,
                "expected `{\"<lock version>\", [Dependencies]}`".into(),
            )),
        },
        _ => Err((first.at, "expected a list of dependencies".into())),
    }
}

impl Extractor for RebarLock {
    fn name(&self) -> &'static str {
        "rebar-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "rebar.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let text = file.text;
        let fail = |(at, msg): (usize, String)| {
            ExtractError::new(&file.display, Some(line_of_offset(text, at)), msg)
        };
        let forms = Parser { text, pos: 0 }.forms().map_err(fail)?;
        let deps = dependency_list(&forms).map_err(fail)?;
        let eco = Ecosystem::Hex;
        let mut out = Extracted::default();
        for dep in deps {
            let line = Some(line_of_offset(text, dep.at));
            let (alias, source, level) = match dep.elements() {
                Some([name, source, level]) => (name, source, Some(level)),
                Some([name, source]) => (name, source, None),
                _ => {
                    return Err(fail((
                        dep.at,
                        "expected `{Name, Source, Level}` for a dependency".into(),
                    )));
                }
            };
            let Some(alias) = alias.text() else {
                return Err(fail((alias.at, "expected the dependency's name".into())));
            };
            let direct = match level.map(|l| &l.term) {
                Some(Term::Int(n)) => n == "0",
                None => false,
                Some(_) => {
                    return Err(fail((
                        level.map_or(dep.at, |l| l.at),
                        "expected the dependency's level (an integer)".into(),
                    )));
                }
            };
            let parts = source.elements().unwrap_or(&[]);
            let kind = parts.first().and_then(Node::atom).unwrap_or("");
            match (kind, parts) {
                ("pkg", [_, name, version, ..]) => {
                    let (Some(name), Some(version)) = (name.text(), version.text()) else {
                        return Err(fail((
                            source.at,
                            "expected `{pkg, Name, Version}` with binaries".into(),
                        )));
                    };
                    if name.trim().is_empty() || version.trim().is_empty() {
                        return Err(fail((source.at, "empty package name or version".into())));
                    }
                    let mut c = Component::new(eco.clone(), name.trim(), version.trim());
                    c.locations.push(loc(&file.display, line));
                    c.direct = direct;
                    out.components.push(c);
                }
                ("git" | "git_subdir", [_, url, reference, ..]) => {
                    let url = url.text().unwrap_or("?");
                    let at = match reference.elements() {
                        Some([k, v]) => {
                            format!("{} {}", k.atom().unwrap_or("ref"), v.text().unwrap_or("?"))
                        }
                        _ => "an unknown ref".into(),
                    };
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: format!("{alias} ({url} {at})"),
                        reason: "git dependency: a commit, not a Hex package version".into(),
                    });
                }
                _ => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line,
                    text: alias.to_string(),
                    reason: format!(
                        "dependency source `{}` is not a Hex package",
                        if kind.is_empty() { "?" } else { kind }
                    ),
                }),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        RebarLock.extract(&SourceFile {
            display: "rebar.lock".into(),
            path: Path::new("rebar.lock"),
            text,
        })
    }

    fn summary(ex: &Extracted) -> Vec<(String, Option<u32>, bool)> {
        ex.components
            .iter()
            .map(|c| (c.purl.clone(), c.locations[0].line, c.direct))
            .collect()
    }

    /// rebar3 before 3.5: the bare list.
    const OLD: &str = r#"[{<<"cowboy">>,{pkg,<<"cowboy">>,<<"1.0.4">>},0},
 {<<"cowlib">>,{pkg,<<"cowlib">>,<<"1.0.2">>},1},
 {<<"ranch">>,{pkg,<<"ranch">>,<<"1.2.1">>},1}].
"#;

    /// Lock version 1.1.0: the versioned tuple and the hash list.
    const V110: &str = r#"{"1.1.0",
[{<<"certifi">>,{pkg,<<"certifi">>,<<"2.0.0">>},1},
 {<<"hackney">>,{pkg,<<"hackney">>,<<"1.10.1">>},0},
 {<<"recon">>,
  {git,"https://github.com/ferd/recon.git",
       {ref,"f7b6c08e6e9e2219db58bfb012c58c178822e01e"}},
  0}]}.
[
{pkg_hash,[
 {<<"certifi">>, <<"A0C0E475107135F76B8C1D5BC7EFB33CD3815CB3CF3DEA7AEFDD174DABEAD064">>},
 {<<"hackney">>, <<"9F8F471C844B8CE395F7B6D8398139E26DDCA9EBC171A8B91342EE15A19963F4">>}]}
].
"#;

    /// Lock version 1.2.0: `pkg_hash_ext`, an aliased package and a git_subdir checkout.
    const V120: &str = r#"{"1.2.0",
[{<<"datum">>,{pkg,<<"datum">>,<<"4.6.2">>},0},
 {<<"pipe">>,{pkg,<<"pipes">>,<<"2.0.2">>},0},
 {<<"uid">>,{pkg,<<"uid">>,<<"1.3.5">>},2},
 {<<"sub">>,{git_subdir,"https://github.com/x/mono.git",{ref,"0123abc"},"apps/sub"},1}]}.
[
{pkg_hash,[
 {<<"datum">>, <<"C33BEDFCCD0D4DA4DDFEA06E49926061310730D56E360F55C218F0B98491F561">>},
 {<<"pipe">>, <<"0038479ADCDCE3C551E4AFD8496390ADF8A125703CE85AF008EC036FFD505F98">>},
 {<<"uid">>, <<"F66DF05995D01824BCF857750F081EC2DB4F5187C61FDF1F6B2EC49CEAE44162">>}]},
{pkg_hash_ext,[
 {<<"datum">>, <<"8F18C3C87856038820CE3033DC70C55521410FFD46B22B83987E43DAF9116A53">>},
 {<<"pipe">>, <<"A4C823A6B082E4752DBD1F27A7F4FE17E64E9A72730DE84A947F72C36516D7F7">>},
 {<<"uid">>, <<"E3BFA76E509C151D007FB7710B07205129A0394A5BBEF00718A345EAD9C797CA">>}]}
].
"#;

    #[test]
    fn reads_the_old_bare_list() {
        let ex = run(OLD).unwrap();
        assert_eq!(
            summary(&ex),
            [
                ("pkg:hex/cowboy@1.0.4".into(), Some(1), true),
                ("pkg:hex/cowlib@1.0.2".into(), Some(2), false),
                ("pkg:hex/ranch@1.2.1".into(), Some(3), false),
            ]
        );
        assert!(ex.unresolved.is_empty());
        assert!(ex.components.iter().all(|c| c.ecosystem == Ecosystem::Hex));
    }

    #[test]
    fn reads_lock_version_1_1_0_with_a_git_dependency() {
        let ex = run(V110).unwrap();
        assert_eq!(
            summary(&ex),
            [
                ("pkg:hex/certifi@2.0.0".into(), Some(2), false),
                ("pkg:hex/hackney@1.10.1".into(), Some(3), true),
            ]
        );
        assert_eq!(ex.unresolved.len(), 1);
        let u = &ex.unresolved[0];
        assert_eq!(u.line, Some(4));
        assert_eq!(
            u.text,
            "recon (https://github.com/ferd/recon.git ref f7b6c08e6e9e2219db58bfb012c58c178822e01e)"
        );
        assert!(u.reason.contains("git"));
    }

    #[test]
    fn reads_lock_version_1_2_0_with_aliases() {
        let ex = run(V120).unwrap();
        assert_eq!(
            summary(&ex),
            [
                ("pkg:hex/datum@4.6.2".into(), Some(2), true),
                // The Hex package is `pipes`; `pipe` is the project's name for it.
                ("pkg:hex/pipes@2.0.2".into(), Some(3), true),
                ("pkg:hex/uid@1.3.5".into(), Some(4), false),
            ]
        );
        assert_eq!(ex.unresolved.len(), 1);
        assert!(
            ex.unresolved[0]
                .text
                .starts_with("sub (https://github.com/x/mono.git ref 0123abc)")
        );
        assert_eq!(ex.unresolved[0].line, Some(5));
    }

    #[test]
    fn syntax_variants() {
        // Comments, quoted atoms, utf8 binaries, strings as names, unknown sources.
        let text = "% a comment\n{\"1.2.0\", % trailing\n[{<<\"a\"/utf8>>,{'pkg',<<\"a\">>,<<\"1.0.0\">>},0},\n {\"b\",{hg,\"https://x\",{ref,\"1\"}},1}]}.\n[].\n";
        let ex = run(text).unwrap();
        assert_eq!(summary(&ex), [("pkg:hex/a@1.0.0".into(), Some(3), true)]);
        assert_eq!(ex.unresolved[0].text, "b");
        assert!(ex.unresolved[0].reason.contains("`hg`"));
        // No dependencies.
        assert!(run("[].\n").unwrap().components.is_empty());
        assert!(
            run("{\"1.2.0\",\n[]}.\n[\n].\n")
                .unwrap()
                .components
                .is_empty()
        );
        // Escapes inside strings.
        let mut p = Parser {
            text: r#""a\"b\\c\n""#,
            pos: 0,
        };
        assert_eq!(p.term(0).unwrap().term, Term::Str("a\"b\\c\n".into()));
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("", 1),
            ("% only a comment\n", 1),
            ("[{<<\"a\">>,{pkg,<<\"a\">>,<<\"1\">>},0}]\n", 2), // no full stop
            ("[\n{<<\"a\">>,{pkg,<<\"a\">>,<<\"1\">>},0\n].", 3), // tuple not closed
            ("[\n{<<\"a\">>,{pkg,<<\"a\">>,<<\"1\">>},x}].", 2), // level not an integer
            ("[\n{<<\"a\">>,{pkg,a,<<\"1\">>},0}].", 2),        // name not a binary
            ("[\n{a,{pkg,<<\"a\">>,<<\"1\">>},0}].", 2),
            ("[\n1].", 2),
            ("{\"1.2.0\"}.", 1),
            ("{\"1.2.0\",\n 3}.", 2),
            ("\"x\".", 1),
            ("[<<\"a\">>\n\n].", 1),
            ("[\"unterminated].", 1),
            ("[\n  #].", 2),
            ("[-].", 1),
            ("[]...", 1),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.file, "rebar.lock");
        }
        // Deep nesting is refused rather than overflowing the stack.
        let deep = format!("{}{}.", "[".repeat(100_000), "]".repeat(100_000));
        assert!(run(&deep).is_err());
    }

    #[test]
    fn every_prefix_reads_without_panic() {
        for text in [
            OLD,
            V110,
            V120,
            "{\"1.2.0\",[{<<\"é\"/utf8>>,{pkg,<<\"é\">>,<<\"1\">>},0}]}.\n",
        ] {
            for (i, _) in text.char_indices() {
                let _ = run(&text[..i]);
                let _ = run(&text[i..]);
            }
        }
    }

    #[test]
    fn applies_to_rebar_lock() {
        assert!(RebarLock.applies_to(Path::new("app/rebar.lock")));
        assert!(!RebarLock.applies_to(Path::new("app/rebar.config")));
        assert!(!RebarLock.applies_to(Path::new("app/mix.lock")));
        assert_eq!(RebarLock.name(), "rebar-lock");
    }
}
