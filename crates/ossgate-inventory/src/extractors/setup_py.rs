//! setuptools' `setup.py`, read without running Python (a manifest, read only when no Python
//! lockfile covers it).
//!
//! A small tokenizer reads Python's string literals (both quote kinds, triple quotes, prefixes,
//! escapes, implicit concatenation), brackets, comments and logical lines. In the keyword
//! arguments of a call (`setup(...)`, or a dict literal passed as `**{...}`) it reads:
//! - `install_requires` (runtime), `setup_requires` (dev: build-time), `tests_require` (test):
//!   a list or tuple of requirement strings, or one string of requirement lines;
//! - `extras_require` (optional): a dict literal or `dict(...)` of such values.
//!
//! A value may also be a variable assigned at the top level of the same file (`REQS = [...]`,
//! the last assignment before the use), a `+` of lists and variables, and a list may splat a
//! variable (`[*BASE, "x"]`). Anything computed (`open(...).read().splitlines()`,
//! comprehensions, `.format`, `%`, f-strings) cannot be read without running the file and is
//! reported as unresolved with its source text.
//!
//! Versions follow the same rule as `pyproject.toml` (see `pyproject_toml`): only `==v` gives
//! a component; bounds, other specifiers and a requirement without any version go to
//! unresolved with the reason (the peers report a bound's version; ossgate does not guess).
//! The project's own `name`/`version` are not reported (the peer tools do not report them).
//!
//! An unterminated string literal is an error with its line; a file cut short inside `setup(`
//! is read as far as it goes.

use super::file_name;
use super::pyproject_toml::{Declared, PYTHON_LOCKS, parse_pep508};
use crate::{ExtractError, Extracted, Extractor, SourceFile};
use ossgate_model::Scope;
use std::collections::HashMap;
use std::path::Path;

pub struct SetupPy;

impl Extractor for SetupPy {
    fn name(&self) -> &'static str {
        "setup-py"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "setup.py"
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        PYTHON_LOCKS
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let toks = tokenize(file.text)
            .map_err(|(line, msg)| ExtractError::new(&file.display, Some(line), msg))?;
        let mut r = Reader {
            text: file.text,
            toks: &toks,
            assignments: assignments(&toks),
            acc: Declared::new(&file.display),
        };
        for i in 0..toks.len() {
            let Some(scope) = keyword_at(&toks, i) else {
                continue;
            };
            let start = i + 2;
            let end = expr_end(&toks, start);
            let value = toks.get(start..end).unwrap_or(&[]);
            if scope == Scope::Optional {
                r.extras(value, BUDGET);
            } else {
                r.requirements(value, scope, BUDGET);
            }
        }
        Ok(r.acc.finish())
    }
}

/// How deep variables may refer to variables (guards against cycles).
const BUDGET: u32 = 8;

const KEYWORDS: &[(&str, Scope)] = &[
    ("install_requires", Scope::Runtime),
    ("setup_requires", Scope::Dev),
    ("tests_require", Scope::Test),
    ("extras_require", Scope::Optional),
];

/// The scope of a requirement keyword argument starting at `i` (`name=` inside a call, or
/// `"name":` inside a dict literal).
fn keyword_at(toks: &[Token], i: usize) -> Option<Scope> {
    let t = toks.get(i)?;
    let next = toks.get(i + 1)?;
    let name = match (&t.kind, &next.kind) {
        (Kind::Name(n), Kind::Op(op)) if op == "=" && t.opener == Some(b'(') => n.as_str(),
        (Kind::Str(s, true), Kind::Op(op)) if op == ":" && t.opener == Some(b'{') => s.as_str(),
        _ => return None,
    };
    KEYWORDS.iter().find(|(k, _)| *k == name).map(|(_, s)| *s)
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A string literal's value; `false` when it is not a constant (an f-string with fields).
    Str(String, bool),
    Name(String),
    Op(String),
    Number,
    /// The end of a logical line (outside brackets).
    Newline,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// 1-based line where the token starts.
    line: u32,
    /// Lines the token spans beyond its first (a string with newlines in its source).
    extra_lines: u32,
    start: usize,
    end: usize,
    /// The innermost open bracket around the token.
    opener: Option<u8>,
}

/// Python's tokens, as far as this reader needs them. Errors: (line, message).
fn tokenize(text: &str) -> Result<Vec<Token>, (u32, String)> {
    let b = text.as_bytes();
    let mut toks: Vec<Token> = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let (mut i, mut line) = (0usize, 1u32);
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    while let Some(&c) = b.get(i) {
        let opener = stack.last().copied();
        let push = |toks: &mut Vec<Token>, kind, start, end, line| {
            toks.push(Token {
                kind,
                line,
                extra_lines: 0,
                start,
                end,
                opener,
            })
        };
        match c {
            b'\n' => {
                if stack.is_empty() && toks.last().is_some_and(|t| t.kind != Kind::Newline) {
                    push(&mut toks, Kind::Newline, i, i + 1, line);
                }
                line += 1;
                i += 1;
            }
            b'#' => {
                while b.get(i).is_some_and(|&x| x != b'\n') {
                    i += 1;
                }
            }
            b'\\' if at(i + 1) == b'\n' => {
                line += 1;
                i += 2;
            }
            b'\\' if at(i + 1) == b'\r' && at(i + 2) == b'\n' => {
                line += 1;
                i += 3;
            }
            _ if c.is_ascii_whitespace() => i += 1,
            b'\'' | b'"' => {
                let (tok, next, lines) = string(b, i, i, false, false).map_err(|m| (line, m))?;
                push(&mut toks, tok, i, next, line);
                if let Some(t) = toks.last_mut() {
                    t.extra_lines = lines;
                }
                line += lines;
                i = next;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|&x| x.is_ascii_alphanumeric() || x == b'_' || x >= 0x80)
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                let lower = word.to_ascii_lowercase();
                let is_prefix = word.len() <= 2
                    && !lower.is_empty()
                    && lower.chars().all(|x| matches!(x, 'r' | 'b' | 'u' | 'f'));
                if is_prefix && matches!(at(i), b'\'' | b'"') {
                    let raw = lower.contains('r');
                    let fstring = lower.contains('f');
                    let (tok, next, lines) =
                        string(b, start, i, raw, fstring).map_err(|m| (line, m))?;
                    push(&mut toks, tok, start, next, line);
                    if let Some(t) = toks.last_mut() {
                        t.extra_lines = lines;
                    }
                    line += lines;
                    i = next;
                } else {
                    push(&mut toks, Kind::Name(word.to_string()), start, i, line);
                }
            }
            _ if c.is_ascii_digit() || (c == b'.' && at(i + 1).is_ascii_digit()) => {
                let start = i;
                while b
                    .get(i)
                    .is_some_and(|&x| x.is_ascii_alphanumeric() || x == b'_' || x == b'.')
                {
                    i += 1;
                }
                push(&mut toks, Kind::Number, start, i, line);
            }
            _ => {
                let two = text.get(i..i + 2).unwrap_or("");
                let op = if [
                    "==", "!=", "<=", ">=", "**", "//", "->", ":=", "+=", "-=", "*=", "/=", "%=",
                    "&=", "|=", "^=", "<<", ">>", "@=",
                ]
                .contains(&two)
                {
                    two
                } else {
                    text.get(i..i + 1).unwrap_or("?")
                };
                match c {
                    b'(' | b'[' | b'{' => stack.push(c),
                    b')' | b']' | b'}' => {
                        stack.pop();
                    }
                    _ => {}
                }
                push(&mut toks, Kind::Op(op.to_string()), i, i + op.len(), line);
                i += op.len().max(1);
            }
        }
    }
    Ok(toks)
}

/// Reads a string literal whose prefix starts at `start` and quote at `q`. Returns the token,
/// the offset after it and the number of newlines inside it.
fn string(
    b: &[u8],
    start: usize,
    q: usize,
    raw: bool,
    fstring: bool,
) -> Result<(Kind, usize, u32), String> {
    let _ = start;
    let quote = b.get(q).copied().unwrap_or(b'"');
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let mut i = if triple { q + 3 } else { q + 1 };
    let mut out: Vec<u8> = Vec::new();
    let mut lines = 0u32;
    loop {
        let Some(&c) = b.get(i) else {
            return Err("unterminated string literal".into());
        };
        match c {
            b'\\' => {
                let Some(&n) = b.get(i + 1) else {
                    return Err("unterminated string literal".into());
                };
                if n == b'\n' {
                    lines += 1;
                    if raw {
                        out.extend([b'\\', b'\n']);
                    }
                } else if raw {
                    out.extend([b'\\', n]);
                } else {
                    match n {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'\\' | b'\'' | b'"' => out.push(n),
                        _ => out.extend([b'\\', n]),
                    }
                }
                i += 2;
            }
            _ if c == quote => {
                if !triple {
                    i += 1;
                    break;
                }
                if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                    i += 3;
                    break;
                }
                out.push(c);
                i += 1;
            }
            b'\n' if !triple => return Err("unterminated string literal".into()),
            _ => {
                if c == b'\n' {
                    lines += 1;
                }
                out.push(c);
                i += 1;
            }
        }
    }
    let value = String::from_utf8_lossy(&out).into_owned();
    let constant = !(fstring && value.contains('{'));
    Ok((Kind::Str(value, constant), i, lines))
}

/// The end (exclusive) of the expression starting at `start`: the first `,`, `:`, closing
/// bracket or end of logical line outside brackets opened inside it.
fn expr_end(toks: &[Token], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, t) in toks.iter().enumerate().skip(start) {
        match &t.kind {
            Kind::Op(op) => match op.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" if depth == 0 => return j,
                ")" | "]" | "}" => depth -= 1,
                "," | ":" | ";" if depth == 0 => return j,
                _ => {}
            },
            Kind::Newline if depth == 0 => return j,
            _ => {}
        }
    }
    toks.len()
}

/// Top-level assignments `NAME = value`: name → (statement index, value start) in file order.
fn assignments(toks: &[Token]) -> HashMap<String, Vec<(usize, usize)>> {
    let mut out: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (i, t) in toks.iter().enumerate() {
        let Kind::Name(name) = &t.kind else { continue };
        let statement_start = i == 0
            || toks
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.kind == Kind::Newline || p.kind == Kind::Op(";".into()));
        let is_assign = toks
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Op("=".into()));
        if t.opener.is_none() && statement_start && is_assign {
            out.entry(name.clone()).or_default().push((i, i + 2));
        }
    }
    out
}

/// One element of a requirement list.
enum Item {
    /// A constant string, the line it starts on, and whether its lines are the source's
    /// lines (one string literal written over several lines).
    Literal(String, u32, bool),
    /// An expression that cannot be read without running Python: its source and line.
    Computed(String, u32),
}

struct Reader<'a, 't> {
    text: &'a str,
    toks: &'t [Token],
    assignments: HashMap<String, Vec<(usize, usize)>>,
    acc: Declared,
}

impl Reader<'_, '_> {
    fn source(&self, toks: &[Token]) -> (String, u32) {
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
            return (String::new(), 0);
        };
        let text = self.text.get(first.start..last.end).unwrap_or("").trim();
        let short: String = text.chars().take(200).collect();
        (short, first.line)
    }

    /// The tokens of the value last assigned to `name` before token `before`.
    fn variable(&self, name: &str, before: usize) -> Option<&[Token]> {
        let list = self.assignments.get(name)?;
        let (_, start) = list
            .iter()
            .rev()
            .find(|(_, start)| expr_end(self.toks, *start) < before)?;
        self.toks.get(*start..expr_end(self.toks, *start))
    }

    /// The index in `self.toks` of the first token of `toks` (a sub-slice of it).
    fn index_of(&self, toks: &[Token]) -> usize {
        toks.first()
            .and_then(|f| self.toks.iter().position(|t| t.start == f.start))
            .unwrap_or(0)
    }

    /// Reads a requirements value into components and unresolved entries.
    fn requirements(&mut self, value: &[Token], scope: Scope, budget: u32) {
        let mut items = Vec::new();
        self.items(value, budget, &mut items);
        for item in items {
            match item {
                Item::Literal(s, line, own_lines) => {
                    // A string may hold several requirement lines (with comments).
                    for (k, req) in s.lines().enumerate() {
                        let line = if own_lines { line + k as u32 } else { line };
                        let req = req.split(" #").next().unwrap_or("").trim();
                        if req.is_empty() || req.starts_with('#') {
                            continue;
                        }
                        self.requirement(req, Some(line), scope);
                    }
                }
                Item::Computed(src, line) => self.acc.unresolved(
                    &src,
                    Some(line),
                    "computed when setup.py runs; not read without running it".into(),
                ),
            }
        }
    }

    fn requirement(&mut self, req: &str, line: Option<u32>, scope: Scope) {
        match parse_pep508(req) {
            Ok(r) => match r.pin.exact() {
                Ok(v) => self.acc.component(r.name, v, line, scope),
                Err(reason) => self.acc.unresolved(req, line, reason),
            },
            Err(reason) => self.acc.unresolved(req, line, reason),
        }
    }

    /// The elements of a list-valued expression: `[...]`, `(...)`, a string, a variable, and
    /// `+` of those.
    fn items(&self, value: &[Token], budget: u32, out: &mut Vec<Item>) {
        for term in split_top(value, "+") {
            self.term(term, budget, out);
        }
    }

    fn term(&self, term: &[Token], budget: u32, out: &mut Vec<Item>) {
        let computed = |out: &mut Vec<Item>| {
            let (src, line) = self.source(term);
            if !src.is_empty() {
                out.push(Item::Computed(src, line));
            }
        };
        if let Some(inner) = enclosed(term, &["[", "("]) {
            if inner.iter().any(|t| t.kind == Kind::Name("for".into())) {
                return computed(out);
            }
            for element in split_top(inner, ",") {
                self.element(element, budget, out);
            }
            return;
        }
        match term {
            [] => {}
            [t] if matches!(t.kind, Kind::Name(_)) => {
                let Kind::Name(name) = &t.kind else { return };
                match self.variable(name, self.index_of(term)) {
                    Some(value) if budget > 0 => self.items(value, budget - 1, out),
                    _ => computed(out),
                }
            }
            _ => match literal(term) {
                Some(item) => out.push(item),
                None => computed(out),
            },
        }
    }

    fn element(&self, element: &[Token], budget: u32, out: &mut Vec<Item>) {
        match element {
            [] => {}
            [star, rest @ ..] if star.kind == Kind::Op("*".into()) => self.items(rest, budget, out),
            [t] if matches!(t.kind, Kind::Name(_)) => self.term(element, budget, out),
            _ => match literal(element) {
                Some(item) => out.push(item),
                None => {
                    let (src, line) = self.source(element);
                    out.push(Item::Computed(src, line));
                }
            },
        }
    }

    /// `extras_require`: a dict literal, `dict(k=v, ...)` or a variable holding one.
    fn extras(&mut self, value: &[Token], budget: u32) {
        let dict_call = match value {
            [dict, rest @ ..] if dict.kind == Kind::Name("dict".into()) => enclosed(rest, &["("]),
            _ => None,
        };
        let inner = match value {
            _ if enclosed(value, &["{"]).is_some() => enclosed(value, &["{"]).unwrap_or(&[]),
            _ if dict_call.is_some() => dict_call.unwrap_or(&[]),
            [t] if matches!(t.kind, Kind::Name(_)) => {
                let Kind::Name(name) = &t.kind else { return };
                if let Some(v) = self.variable(name, self.index_of(value))
                    && budget > 0
                {
                    let v = v.to_vec();
                    return self.extras(&v, budget - 1);
                }
                return self.computed_value(value);
            }
            _ => return self.computed_value(value),
        };
        for entry in split_top(inner, ",") {
            // `"key": value` or `key=value`.
            let sep = entry.iter().position(|t| {
                t.opener == entry.first().and_then(|f| f.opener)
                    && matches!(&t.kind, Kind::Op(op) if op == ":" || op == "=")
            });
            match sep {
                Some(k) => {
                    let v = entry.get(k + 1..).unwrap_or(&[]);
                    self.requirements(v, Scope::Optional, budget);
                }
                None if entry.is_empty() => {}
                // `**other`: another dict.
                None => self.computed_value(entry),
            }
        }
    }

    fn computed_value(&mut self, value: &[Token]) {
        let (src, line) = self.source(value);
        if !src.is_empty() {
            self.acc.unresolved(
                &src,
                Some(line),
                "computed when setup.py runs; not read without running it".into(),
            );
        }
    }
}

/// The inside of `toks` when they are one bracketed group opened by one of `openers` (or a
/// group cut short by the end of the file).
fn enclosed<'t>(toks: &'t [Token], openers: &[&str]) -> Option<&'t [Token]> {
    let (first, rest) = toks.split_first()?;
    if !matches!(&first.kind, Kind::Op(op) if openers.contains(&op.as_str())) {
        return None;
    }
    let mut depth = 1usize;
    for (j, t) in rest.iter().enumerate() {
        if let Kind::Op(op) = &t.kind {
            match op.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth -= 1;
                    if depth == 0 {
                        // The group must be the whole expression.
                        return (j + 1 == rest.len()).then(|| rest.get(..j).unwrap_or(&[]));
                    }
                }
                _ => {}
            }
        }
    }
    Some(rest)
}

/// A constant string expression: string literals, side by side or joined by `+`.
fn literal(toks: &[Token]) -> Option<Item> {
    let mut out = String::new();
    let mut expect_string = true;
    for t in toks {
        match &t.kind {
            Kind::Str(s, true) => out.push_str(s),
            Kind::Op(op) if op == "+" && !expect_string => {
                expect_string = true;
                continue;
            }
            _ => return None,
        }
        expect_string = false;
    }
    let first = toks.first()?;
    let own_lines = toks.len() == 1 && first.extra_lines > 0;
    (!expect_string).then_some(Item::Literal(out, first.line, own_lines))
}

/// Splits `toks` at `sep` operators outside nested brackets.
fn split_top<'t>(toks: &'t [Token], sep: &str) -> Vec<&'t [Token]> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (j, t) in toks.iter().enumerate() {
        if let Kind::Op(op) = &t.kind {
            match op.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                o if o == sep && depth == 0 => {
                    parts.push(toks.get(start..j).unwrap_or(&[]));
                    start = j + 1;
                }
                _ => {}
            }
        }
    }
    parts.push(toks.get(start..).unwrap_or(&[]));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        SetupPy.extract(&SourceFile {
            display: "setup.py".into(),
            path: Path::new("setup.py"),
            text,
        })
    }

    fn rows(ex: &Extracted) -> Vec<(&str, &str, Scope, Option<u32>)> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect()
    }

    fn unresolved(ex: &Extracted) -> Vec<(&str, Option<u32>)> {
        ex.unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect()
    }

    #[test]
    fn string_literals() {
        let toks = tokenize(
            "a = 'x' \"y\" r'\\d' b'z' '''t\n'q'\n''' u\"\\\"e\\n\" f'{v}' F\"w\" # c 'no'\n",
        )
        .unwrap();
        let strs: Vec<(&str, bool, u32)> = toks
            .iter()
            .filter_map(|t| match &t.kind {
                Kind::Str(s, c) => Some((s.as_str(), *c, t.line)),
                _ => None,
            })
            .collect();
        assert_eq!(
            strs,
            [
                ("x", true, 1),
                ("y", true, 1),
                ("\\d", true, 1),
                ("z", true, 1),
                ("t\n'q'\n", true, 1),
                ("\"e\n", true, 3),
                ("{v}", false, 3),
                ("w", true, 3),
            ]
        );
        assert_eq!(tokenize("x = 'abc\ny'").unwrap_err().0, 1);
        assert_eq!(tokenize("\n\nx = '''abc\ny").unwrap_err().0, 3);
        assert_eq!(tokenize("x = 'abc\\").unwrap_err().0, 1);
        // Brackets join lines; a backslash continues one.
        let toks = tokenize("a = [\n1,\n]\nb = 1 + \\\n 2\n").unwrap();
        let newlines = toks.iter().filter(|t| t.kind == Kind::Newline).count();
        assert_eq!(newlines, 2);
    }

    const SETUP: &str = r#"from setuptools import setup

BASE = [
    "requests==2.31.0",  # pinned
    'click>=8.0,<9',
]
TESTS = BASE + ["pytest" "==7.4.0"]
DOCS = "sphinx==7.2.6\n# a comment\nfuro>=2023.9.10\n"

setup(
    name="demo",
    version="1.0",
    install_requires=[
        *BASE,
        "six",
        "attrs~=23.1",
        "lxml" ">=" "4.9.3",
        'numpy=={}'.format(NUMPY),
        f"pandas=={PANDAS}",
    ],
    setup_requires=("wheel==0.41.2",),
    tests_require=TESTS,
    extras_require={
        "docs": DOCS,
        'socks': ['PySocks<=1.7.1'],
        "all": open("requirements.txt").read().splitlines(),
    },
)
setup(install_requires="""
    flask>=3.0.0
    # templates
    jinja2==3.1.2
""")
"#;

    #[test]
    fn keywords_variables_and_computed_values() {
        let ex = run(SETUP).unwrap();
        assert_eq!(
            rows(&ex),
            [
                ("requests", "2.31.0", Scope::Runtime, Some(4)),
                ("wheel", "0.41.2", Scope::Dev, Some(21)),
                ("pytest", "7.4.0", Scope::Test, Some(7)),
                ("sphinx", "7.2.6", Scope::Optional, Some(8)),
                ("jinja2", "3.1.2", Scope::Runtime, Some(32)),
            ]
        );
        // requests and click again through TESTS: merged, the widest scope kept.
        assert_eq!(ex.components[0].locations.len(), 1);
        assert!(ex.components.iter().all(|c| c.direct));
        assert_eq!(
            unresolved(&ex),
            [
                ("click>=8.0,<9", Some(5)),
                ("six", Some(15)),
                ("attrs~=23.1", Some(16)),
                ("lxml>=4.9.3", Some(17)),
                ("'numpy=={}'.format(NUMPY)", Some(18)),
                ("f\"pandas=={PANDAS}\"", Some(19)),
                ("furo>=2023.9.10", Some(8)),
                ("PySocks<=1.7.1", Some(25)),
                ("open(\"requirements.txt\").read().splitlines()", Some(26)),
                ("flask>=3.0.0", Some(30)),
            ]
        );
    }

    #[test]
    fn dict_calls_splats_and_redefinitions() {
        let text = r#"
import setuptools
REQS = ["old==1.0"]
REQS = ["new==2.0"]
kwargs = {'install_requires': REQS, "tests_require": ["nose==1.3.7"]}
setuptools.setup(
    extras_require=dict(fast=["ujson==5.8.0"], **MORE),
    **kwargs
)
REQS = ["later==3.0"]
"#;
        let ex = run(text).unwrap();
        assert_eq!(
            rows(&ex),
            [
                ("new", "2.0", Scope::Runtime, Some(4)),
                ("nose", "1.3.7", Scope::Test, Some(5)),
                ("ujson", "5.8.0", Scope::Optional, Some(7)),
            ]
        );
        assert_eq!(unresolved(&ex), [("**MORE", Some(7))]);
    }

    #[test]
    fn cycles_and_cut_short_files() {
        let ex = run("A = A + ['x==1']\nsetup(install_requires=A)\n").unwrap();
        assert_eq!(rows(&ex), [("x", "1", Scope::Runtime, Some(1))]);
        assert_eq!(ex.unresolved.len(), 1);
        let ex = run("setup(install_requires=['a==1', 'b==2'").unwrap();
        assert_eq!(ex.components.len(), 2);
        let ex = run("setup(install_requires=[x for x in y])").unwrap();
        assert_eq!(unresolved(&ex), [("[x for x in y]", Some(1))]);
        let ex = run("setup(install_requires=UNDEFINED)").unwrap();
        assert_eq!(unresolved(&ex), [("UNDEFINED", Some(1))]);
        assert!(run("").unwrap().components.is_empty());
        assert!(run(")))]]]}}}").unwrap().components.is_empty());
        let err = run("setup(\n  install_requires=['a==1,\n])").unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("setup.py", Some(2)));
        assert!(SetupPy.applies_to(Path::new("x/setup.py")));
        assert!(!SetupPy.applies_to(Path::new("x/setup.cfg")));
        assert!(SetupPy.superseded_by().contains(&"uv.lock"));
    }
}
