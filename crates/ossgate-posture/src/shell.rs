//! A POSIX/bash shell reader, just deep enough for Pinned-Dependencies: it builds a tree of
//! statements (simple commands, `&&`/`||`/`|` lists, compound commands, command and process
//! substitutions) with line numbers, then walks every node looking for
//! - download-then-run: `curl … | sh`, `bash <(wget …)`, and running a file a download wrote;
//! - package-manager installs that are not pinned: `pip install` without hashes, `npm install`,
//!   `go get`/`go install` without a version, `choco install` without checksums,
//!   `nuget install` / `dotnet add package` without a version.
//!
//! The rules follow OpenSSF Scorecard's documented behaviour (so scores compare): words that are
//! not plain text (variables, substitutions spliced into a word) are left out of a command's
//! argument list, `sudo` is dropped, quoted words keep their quotes, and `interpreter -c "…"` is
//! read again as a script. Input that is not valid shell gives a processing error, never a panic.
//! Here-document bodies are skipped, not expanded.

use std::collections::HashSet;

/// A statement: one command with its redirections, its first and last line (1-based) and its
/// source text with line continuations folded.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub cmd: Cmd,
    pub redirs: Vec<Redir>,
    pub line: u32,
    pub end_line: u32,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Cmd {
    Call(Vec<Word>),
    Binary {
        op: &'static str,
        left: Box<Stmt>,
        right: Box<Stmt>,
    },
    Block(Vec<Stmt>),
    Empty,
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub op: String,
    pub word: Word,
}

#[derive(Debug, Clone, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub enum Part {
    Lit(String),
    Sgl(String),
    Dbl(Vec<Part>),
    CmdSubst(Vec<Stmt>),
    ProcSubst { input: bool, stmts: Vec<Stmt> },
    Param,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

/// Parses a script.
pub fn parse(src: &str) -> Result<Vec<Stmt>, ParseError> {
    let mut p = Parser {
        s: src.chars().collect(),
        i: 0,
        line: 1,
        heredocs: Vec::new(),
        depth: 0,
    };
    let stmts = p.list(&[])?;
    p.skip_blank(true);
    if p.i < p.s.len() {
        return Err(p.err(&format!("unexpected {:?}", p.s[p.i])));
    }
    Ok(stmts)
}

struct Parser {
    s: Vec<char>,
    i: usize,
    line: u32,
    heredocs: Vec<(String, bool)>,
    depth: usize,
}

const RESERVED_END: &[&str] = &[
    "then", "elif", "else", "fi", "do", "done", "esac", "}", "in",
];

impl Parser {
    fn err(&self, m: &str) -> ParseError {
        ParseError {
            line: self.line,
            message: m.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.i + n).copied()
    }

    fn starts(&self, t: &str) -> bool {
        (self.i..)
            .zip(t.chars())
            .all(|(j, c)| self.s.get(j) == Some(&c))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Skips spaces, tabs, line continuations and comments; newlines too when `nl`.
    fn skip_blank(&mut self, nl: bool) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.bump();
                    self.bump();
                }
                Some('#') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                }
                Some('\n') if nl => {
                    self.bump();
                    self.read_heredoc_bodies();
                }
                _ => return,
            }
        }
    }

    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.heredocs);
        for (delim, strip) in pending {
            loop {
                if self.peek().is_none() {
                    return;
                }
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.bump();
                }
                let line: String = self.s[start..self.i].iter().collect();
                self.bump();
                let l = if strip {
                    line.trim_start_matches('\t')
                } else {
                    &line
                };
                if l == delim {
                    break;
                }
            }
        }
    }

    /// The next bare word without consuming it (for reserved words).
    fn peek_word(&self) -> Option<String> {
        let mut j = self.i;
        let mut w = String::new();
        while let Some(&c) = self.s.get(j) {
            if is_meta(c) || c == '\'' || c == '"' || c == '$' || c == '`' || c == '\\' {
                break;
            }
            w.push(c);
            j += 1;
        }
        if w.is_empty() { None } else { Some(w) }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word().as_deref() == Some(w) {
            for _ in 0..w.chars().count() {
                self.bump();
            }
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, w: &str) -> Result<(), ParseError> {
        self.skip_blank(true);
        if self.eat_word(w) {
            Ok(())
        } else {
            Err(self.err(&format!("expected {w:?}")))
        }
    }

    /// A list of statements up to one of `stops` (reserved words), `)`, `;;` or the end.
    fn list(&mut self, stops: &[&str]) -> Result<Vec<Stmt>, ParseError> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(self.err("nesting too deep"));
        }
        let mut out = Vec::new();
        loop {
            self.skip_blank(true);
            match self.peek() {
                None | Some(')') => break,
                Some(';') if self.peek_at(1) == Some(';') => break,
                Some(';' | '&') => {
                    // An empty statement before a separator is a syntax error.
                    return Err(self.err("unexpected separator"));
                }
                _ => {}
            }
            if let Some(w) = self.peek_word()
                && (stops.contains(&w.as_str()) || RESERVED_END.contains(&w.as_str()))
            {
                break;
            }
            let st = self.and_or()?;
            out.push(st);
            self.skip_blank(false);
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') => {
                    self.bump();
                }
                Some('&') if self.peek_at(1) != Some('&') => {
                    self.bump();
                }
                Some('\n') | None | Some(')') => {}
                Some(';') => {}
                Some(c) => {
                    if let Some(w) = self.peek_word()
                        && RESERVED_END.contains(&w.as_str())
                    {
                        continue;
                    }
                    return Err(self.err(&format!("unexpected {c:?}")));
                }
            }
        }
        self.depth -= 1;
        Ok(out)
    }

    fn and_or(&mut self) -> Result<Stmt, ParseError> {
        let start = self.i;
        let mut left = self.pipeline()?;
        loop {
            self.skip_blank(false);
            let op = if self.starts("&&") {
                "&&"
            } else if self.starts("||") {
                "||"
            } else {
                break;
            };
            self.bump();
            self.bump();
            self.skip_blank(true);
            let right = self.pipeline()?;
            left = self.binary(op, left, right, start);
        }
        Ok(left)
    }

    fn pipeline(&mut self) -> Result<Stmt, ParseError> {
        self.skip_blank(false);
        if self.peek() == Some('!') && matches!(self.peek_at(1), Some(' ' | '\t')) {
            self.bump();
        }
        let start = self.i;
        let left = self.command()?;
        self.skip_blank(false);
        if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
            self.bump();
            let op = if self.peek() == Some('&') {
                self.bump();
                "|&"
            } else {
                "|"
            };
            self.skip_blank(true);
            let right = self.pipeline()?;
            return Ok(self.binary(op, left, right, start));
        }
        Ok(left)
    }

    fn binary(&self, op: &'static str, left: Stmt, right: Stmt, start: usize) -> Stmt {
        let line = left.line;
        let end_line = right.end_line;
        Stmt {
            text: self.text(start, self.i),
            cmd: Cmd::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            redirs: Vec::new(),
            line,
            end_line,
        }
    }

    fn text(&self, a: usize, b: usize) -> String {
        let raw: String = self.s[a..b.min(self.s.len())].iter().collect();
        let folded = raw.replace("\\\r\n", " ").replace("\\\n", " ");
        folded.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn command(&mut self) -> Result<Stmt, ParseError> {
        self.skip_blank(false);
        let start = self.i;
        let line = self.line;
        let cmd = match self.peek_word().as_deref() {
            Some("if") => {
                self.eat_word("if");
                let mut body = self.list(&["then"])?;
                self.expect_word("then")?;
                body.extend(self.list(&[])?);
                loop {
                    self.skip_blank(true);
                    if self.eat_word("elif") {
                        body.extend(self.list(&["then"])?);
                        self.expect_word("then")?;
                        body.extend(self.list(&[])?);
                    } else if self.eat_word("else") {
                        body.extend(self.list(&[])?);
                    } else {
                        break;
                    }
                }
                self.expect_word("fi")?;
                Cmd::Block(body)
            }
            Some(kw @ ("while" | "until")) => {
                let kw = kw.to_string();
                self.eat_word(&kw);
                let mut body = self.list(&["do"])?;
                self.expect_word("do")?;
                body.extend(self.list(&[])?);
                self.expect_word("done")?;
                Cmd::Block(body)
            }
            Some(kw @ ("for" | "select")) => {
                let kw = kw.to_string();
                self.eat_word(&kw);
                self.skip_blank(false);
                if self.starts("((") {
                    self.skip_balanced('(', ')')?;
                } else {
                    self.word()?;
                    self.skip_blank(true);
                    if self.eat_word("in") {
                        loop {
                            self.skip_blank(false);
                            match self.peek() {
                                Some(';' | '\n') | None => break,
                                _ => {
                                    if self.peek_word().as_deref() == Some("do") {
                                        break;
                                    }
                                    self.word()?;
                                }
                            }
                        }
                    }
                }
                self.skip_blank(false);
                if self.peek() == Some(';') {
                    self.bump();
                }
                self.expect_word("do")?;
                let body = self.list(&[])?;
                self.expect_word("done")?;
                Cmd::Block(body)
            }
            Some("case") => {
                self.eat_word("case");
                self.skip_blank(false);
                self.word()?;
                self.expect_word("in")?;
                let mut body = Vec::new();
                loop {
                    self.skip_blank(true);
                    if self.eat_word("esac") {
                        break;
                    }
                    if self.peek().is_none() {
                        return Err(self.err("expected esac"));
                    }
                    // Pattern list up to ')'.
                    if self.peek() == Some('(') {
                        self.bump();
                    }
                    loop {
                        self.skip_blank(false);
                        match self.peek() {
                            Some(')') => {
                                self.bump();
                                break;
                            }
                            Some('|') => {
                                self.bump();
                            }
                            None | Some('\n') => return Err(self.err("bad case pattern")),
                            _ => {
                                let before = self.i;
                                self.word()?;
                                if self.i == before {
                                    return Err(self.err("bad case pattern"));
                                }
                            }
                        }
                    }
                    body.extend(self.list(&["esac"])?);
                    self.skip_blank(true);
                    if self.starts(";;") {
                        self.bump();
                        self.bump();
                        if self.peek() == Some('&') {
                            self.bump();
                        }
                    } else if self.starts(";&") {
                        self.bump();
                        self.bump();
                    }
                }
                Cmd::Block(body)
            }
            Some("{") => {
                self.eat_word("{");
                let body = self.list(&["}"])?;
                self.expect_word("}")?;
                Cmd::Block(body)
            }
            Some("function") => {
                self.eat_word("function");
                self.skip_blank(false);
                self.word()?;
                self.skip_blank(false);
                if self.starts("()") {
                    self.bump();
                    self.bump();
                }
                self.skip_blank(true);
                let body = self.command()?;
                Cmd::Block(vec![body])
            }
            Some("[[") => {
                // A test clause: words up to `]]`, none of them commands.
                self.eat_word("[[");
                loop {
                    self.skip_blank(true);
                    if self.eat_word("]]") {
                        break;
                    }
                    match self.peek() {
                        None => return Err(self.err("expected ]]")),
                        Some(c) if is_meta(c) => {
                            self.bump();
                        }
                        _ => {
                            self.word()?;
                        }
                    }
                }
                Cmd::Empty
            }
            _ => {
                if self.starts("((") {
                    self.skip_balanced('(', ')')?;
                    Cmd::Empty
                } else if self.peek() == Some('(') {
                    self.bump();
                    let body = self.list(&[])?;
                    self.skip_blank(true);
                    if self.peek() != Some(')') {
                        return Err(self.err("expected )"));
                    }
                    self.bump();
                    Cmd::Block(body)
                } else {
                    return self.simple(start, line);
                }
            }
        };
        let redirs = self.trailing_redirs()?;
        Ok(Stmt {
            cmd,
            redirs,
            line,
            end_line: self.line,
            text: self.text(start, self.i),
        })
    }

    fn trailing_redirs(&mut self) -> Result<Vec<Redir>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.skip_blank(false);
            if let Some(r) = self.redir()? {
                out.push(r);
            } else {
                return Ok(out);
            }
        }
    }

    fn skip_balanced(&mut self, open: char, close: char) -> Result<(), ParseError> {
        let mut depth = 0usize;
        while let Some(c) = self.bump() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(());
                }
            }
        }
        Err(self.err(&format!("expected {close:?}")))
    }

    /// A redirection at the cursor, if any (with an optional fd number before it).
    fn redir(&mut self) -> Result<Option<Redir>, ParseError> {
        let save = (self.i, self.line);
        let mut j = self.i;
        while self.s.get(j).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        }
        let c = self.s.get(j).copied();
        if !matches!(c, Some('<' | '>')) || (c == Some('<') && self.s.get(j + 1) == Some(&'(')) {
            return Ok(None);
        }
        if c == Some('>') && self.s.get(j + 1) == Some(&'(') {
            return Ok(None);
        }
        self.i = j;
        let mut op = String::new();
        for t in [
            "<<<", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", "&>", "<", ">",
        ] {
            if self.starts(t) {
                op = t.to_string();
                break;
            }
        }
        for _ in 0..op.len() {
            self.bump();
        }
        self.skip_blank(false);
        let word = self.word()?;
        if word.parts.is_empty() {
            self.i = save.0;
            self.line = save.1;
            return Err(self.err("redirection without a target"));
        }
        if op == "<<" || op == "<<-" {
            let delim: String = word
                .parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) | Part::Sgl(s) => s.clone(),
                    Part::Dbl(ps) => ps
                        .iter()
                        .map(|p| match p {
                            Part::Lit(s) => s.clone(),
                            _ => String::new(),
                        })
                        .collect(),
                    _ => String::new(),
                })
                .collect();
            self.heredocs.push((delim, op == "<<-"));
        }
        Ok(Some(Redir { op, word }))
    }

    fn simple(&mut self, start: usize, line: u32) -> Result<Stmt, ParseError> {
        let mut args = Vec::new();
        let mut redirs = Vec::new();
        let mut assigning = true;
        loop {
            self.skip_blank(false);
            if let Some(r) = self.redir()? {
                redirs.push(r);
                continue;
            }
            match self.peek() {
                None | Some('\n' | ';' | '&' | '|' | ')') => break,
                Some('(') if !args.is_empty() => {
                    // `name()` starts a function definition.
                    if self.peek_at(1) == Some(')') && args.len() == 1 {
                        self.bump();
                        self.bump();
                        self.skip_blank(true);
                        let body = self.command()?;
                        return Ok(Stmt {
                            cmd: Cmd::Block(vec![body]),
                            redirs,
                            line,
                            end_line: self.line,
                            text: self.text(start, self.i),
                        });
                    }
                    return Err(self.err("unexpected ( in a command"));
                }
                Some('(') => return Err(self.err("unexpected (")),
                _ => {}
            }
            let w = self.word()?;
            if w.parts.is_empty() {
                return Err(self.err("unexpected character"));
            }
            if assigning && is_assignment(&w) {
                // `VAR=(a b)` array assignment.
                if self.peek() == Some('(') {
                    self.skip_balanced('(', ')')?;
                }
                continue;
            }
            assigning = false;
            args.push(w);
        }
        let end_line = self.line;
        if self.i == start {
            return Err(self.err("expected a command"));
        }
        Ok(Stmt {
            cmd: if args.is_empty() {
                Cmd::Empty
            } else {
                Cmd::Call(args)
            },
            redirs,
            line,
            end_line,
            text: self.text(start, self.i),
        })
    }

    /// One word: adjacent literal, quoted and substituted parts.
    fn word(&mut self) -> Result<Word, ParseError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(n) => {
                            lit.push('\\');
                            lit.push(n);
                        }
                        None => lit.push('\\'),
                    }
                }
                '\'' => {
                    flush(&mut lit, &mut parts);
                    self.bump();
                    let mut v = String::new();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(ch) => v.push(ch),
                            None => return Err(self.err("reached EOF without closing quote '")),
                        }
                    }
                    parts.push(Part::Sgl(v));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.bump();
                    let inner = self.dquoted()?;
                    parts.push(Part::Dbl(inner));
                }
                '$' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.dollar()?);
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                '<' | '>' if self.peek_at(1) == Some('(') => {
                    flush(&mut lit, &mut parts);
                    self.bump();
                    self.bump();
                    let stmts = self.list(&[])?;
                    self.skip_blank(true);
                    if self.bump() != Some(')') {
                        return Err(self.err("expected ) to close a process substitution"));
                    }
                    parts.push(Part::ProcSubst {
                        input: c == '<',
                        stmts,
                    });
                }
                '{' if lit.is_empty() && parts.is_empty() => {
                    // Brace groups are handled as reserved words; `{a,b}` is literal.
                    lit.push(c);
                    self.bump();
                }
                c if is_meta(c) => break,
                _ => {
                    lit.push(c);
                    self.bump();
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word { parts })
    }

    fn dquoted(&mut self) -> Result<Vec<Part>, ParseError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return Err(self.err("reached EOF without closing quote \"")),
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(n) => {
                            if !matches!(n, '"' | '\\' | '$' | '`') {
                                lit.push('\\');
                            }
                            lit.push(n);
                        }
                        None => {}
                    }
                }
                Some('$') => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.dollar()?);
                }
                Some('`') => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                Some(c) => {
                    lit.push(c);
                    self.bump();
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(parts)
    }

    fn dollar(&mut self) -> Result<Part, ParseError> {
        self.bump();
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.skip_balanced('(', ')')?;
                Ok(Part::Param)
            }
            Some('(') => {
                self.bump();
                let stmts = self.list(&[])?;
                self.skip_blank(true);
                if self.bump() != Some(')') {
                    return Err(self.err("expected ) to close $("));
                }
                Ok(Part::CmdSubst(stmts))
            }
            Some('{') => {
                let mut depth = 0usize;
                while let Some(c) = self.bump() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                return Ok(Part::Param);
                            }
                        }
                        '\\' => {
                            self.bump();
                        }
                        _ => {}
                    }
                }
                Err(self.err("reached EOF without matching ${ with }"))
            }
            Some('\'') => {
                // $'…' ANSI-C quoting.
                self.bump();
                let mut v = String::new();
                loop {
                    match self.bump() {
                        Some('\\') => {
                            if let Some(n) = self.bump() {
                                v.push(n);
                            }
                        }
                        Some('\'') => break,
                        Some(c) => v.push(c),
                        None => return Err(self.err("reached EOF without closing quote '")),
                    }
                }
                Ok(Part::Sgl(v))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.bump();
                }
                Ok(Part::Param)
            }
            Some(c) if c.is_ascii_digit() || "@*#?$!-".contains(c) => {
                self.bump();
                Ok(Part::Param)
            }
            _ => Ok(Part::Lit("$".into())),
        }
    }

    fn backtick(&mut self) -> Result<Part, ParseError> {
        self.bump();
        let mut inner = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("reached EOF without closing quote `")),
                Some('`') => break,
                Some('\\') => {
                    if let Some(n) = self.bump() {
                        if !matches!(n, '`' | '\\' | '$') {
                            inner.push('\\');
                        }
                        inner.push(n);
                    }
                }
                Some(c) => inner.push(c),
            }
        }
        let stmts = parse(&inner).map_err(|e| self.err(&e.message))?;
        Ok(Part::CmdSubst(stmts))
    }
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

fn is_assignment(w: &Word) -> bool {
    let Some(Part::Lit(first)) = w.parts.first() else {
        return false;
    };
    let Some(eq) = first.find('=') else {
        return false;
    };
    let name = first[..eq].trim_end_matches('+');
    let name = name.split('[').next().unwrap_or("");
    !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ----------------------------------------------------------------------------------------------
// Analysis

/// What kind of dependency a command pulls in, with Scorecard's type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DepType {
    #[serde(rename = "downloadThenRun")]
    DownloadThenRun,
    #[serde(rename = "pipCommand")]
    Pip,
    #[serde(rename = "npmCommand")]
    Npm,
    #[serde(rename = "goCommand")]
    Go,
    #[serde(rename = "chocoCommand")]
    Choco,
    #[serde(rename = "nugetCommand")]
    Nuget,
}

impl DepType {
    pub fn name(self) -> &'static str {
        match self {
            DepType::DownloadThenRun => "downloadThenRun",
            DepType::Pip => "pipCommand",
            DepType::Npm => "npmCommand",
            DepType::Go => "goCommand",
            DepType::Choco => "chocoCommand",
            DepType::Nuget => "nugetCommand",
        }
    }
}

/// A command found in a script, with lines in the enclosing file.
#[derive(Debug, Clone)]
pub struct ShellDep {
    pub kind: DepType,
    pub pinned: bool,
    pub start_line: u32,
    pub end_line: u32,
    pub snippet: String,
}

/// The result of reading scripts: dependencies and scripts that could not be read.
#[derive(Debug, Default, Clone)]
pub struct ShellScan {
    pub deps: Vec<ShellDep>,
    pub errors: Vec<ParseError>,
}

/// Analyses one script whose node lines are offset by `start_line` (Scorecard's convention:
/// a node on script line n is reported at `start_line + n`, and its end at `end_line + n` when
/// `end_line >= start_line`). `files` carries downloaded file names across calls.
pub fn analyse(
    content: &str,
    start_line: u32,
    end_line: u32,
    files: &mut HashSet<String>,
    out: &mut ShellScan,
) {
    analyse_depth(content, start_line, end_line, files, out, 0);
}

fn analyse_depth(
    content: &str,
    start_line: u32,
    end_line: u32,
    files: &mut HashSet<String>,
    out: &mut ShellScan,
    depth: usize,
) {
    match parse(content) {
        Ok(stmts) => {
            let mut w = Walker {
                start: start_line,
                end: end_line,
                files,
                out,
                depth,
            };
            for s in &stmts {
                w.stmt(s);
            }
        }
        Err(mut e) => {
            e.line += start_line;
            out.errors.push(e);
        }
    }
}

struct Walker<'a> {
    start: u32,
    end: u32,
    files: &'a mut HashSet<String>,
    out: &'a mut ShellScan,
    depth: usize,
}

impl Walker<'_> {
    fn lines(&self, node_line: u32) -> (u32, u32) {
        if self.end >= self.start {
            (self.start + node_line, self.end + node_line)
        } else {
            (self.start + node_line, self.start + node_line)
        }
    }

    fn push(&mut self, s: &Stmt, kind: DepType, pinned: bool) {
        let (a, b) = self.lines(s.line);
        self.out.deps.push(ShellDep {
            kind,
            pinned,
            start_line: a,
            end_line: b,
            snippet: s.text.clone(),
        });
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.cmd {
            Cmd::Call(words) => {
                self.call(s, words);
                for w in words {
                    self.word(w);
                }
            }
            Cmd::Binary { op, left, right } => {
                if *op == "|"
                    && let (Cmd::Call(l), Cmd::Call(r)) = (&left.cmd, &right.cmd)
                    && is_download(&command(l))
                    && is_interpreter(&command(r))
                {
                    self.push(s, DepType::DownloadThenRun, false);
                }
                self.stmt(left);
                self.stmt(right);
            }
            Cmd::Block(body) => {
                for b in body {
                    self.stmt(b);
                }
            }
            Cmd::Empty => {}
        }
        for r in &s.redirs {
            self.word(&r.word);
        }
        // Record what a download writes (after the node's own checks, as a pre-order walk).
        if let Cmd::Call(words) = &s.cmd {
            let c = command(words);
            // A download from a URL pinned to a commit is reproducible: running it is fine.
            let pinned_url = c.iter().any(|a| {
                a.contains("://")
                    && a.split('/')
                        .any(|seg| seg.len() == 40 && seg.chars().all(|ch| ch.is_ascii_hexdigit()))
            });
            if is_download(&c) && !pinned_url {
                let redirect = s.redirs.iter().find_map(|r| {
                    (r.op == ">")
                        .then(|| match r.word.parts.as_slice() {
                            [Part::Lit(l)] => Some(l.clone()),
                            _ => None,
                        })
                        .flatten()
                });
                if let Some(f) = redirect.or_else(|| output_file(&c)) {
                    self.files.insert(f);
                }
            }
        }
    }

    fn word(&mut self, w: &Word) {
        for p in &w.parts {
            self.part(p);
        }
    }

    fn part(&mut self, p: &Part) {
        match p {
            Part::CmdSubst(stmts) | Part::ProcSubst { stmts, .. } => {
                for s in stmts {
                    self.stmt(s);
                }
            }
            Part::Dbl(ps) => ps.iter().for_each(|p| self.part(p)),
            _ => {}
        }
    }

    fn call(&mut self, s: &Stmt, words: &[Word]) {
        let c = command(words);
        // interpreter -c "script": read the script too.
        if self.depth < 8
            && let Some(interp) = interpreter_with_c(&c)
            && !is_python(&[interp.to_string()])
            && !OTHER_INTERPRETERS.iter().any(|b| binary_is(b, interp))
            && let Some(script) = quoted_arg(words)
        {
            let (a, b) = self.lines(s.line);
            analyse_depth(&script, a, b, self.files, self.out, self.depth + 1);
        }
        // Running a file that a download wrote.
        let hits = self
            .files
            .iter()
            .filter(|f| interpreter_with_file(&c, f) || executes_file(&c, f))
            .count();
        for _ in 0..hits {
            self.push(s, DepType::DownloadThenRun, false);
        }
        // `bash <(curl …)`.
        if is_interpreter(&c)
            && let Some(w) = words.get(1)
            && let [Part::ProcSubst { input: true, stmts }] = w.parts.as_slice()
            && let Some(first) = stmts.first()
            && let Cmd::Call(inner) = &first.cmd
            && is_download(&command(inner))
        {
            self.push(s, DepType::DownloadThenRun, false);
        }
        if c.is_empty() {
            return;
        }
        if let Some((kind, pinned)) = package_install(&c) {
            self.push(s, kind, pinned);
        }
    }
}

/// The argument list Scorecard reasons about: plain words (quoted ones keep their quotes),
/// without `sudo`; words made of several parts are left out.
pub fn command(words: &[Word]) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        if w.parts.len() != 1 {
            continue;
        }
        match &w.parts[0] {
            Part::Sgl(v) => out.push(format!("'{v}'")),
            Part::Dbl(ps) => {
                if let [Part::Lit(l)] = ps.as_slice() {
                    out.push(format!("\"{l}\""));
                }
            }
            Part::Lit(l) if !l.eq_ignore_ascii_case("sudo") => out.push(l.clone()),
            _ => {}
        }
    }
    out
}

fn quoted_arg(words: &[Word]) -> Option<String> {
    for w in words {
        if w.parts.len() != 1 {
            continue;
        }
        match &w.parts[0] {
            Part::Dbl(ps) => {
                if let [Part::Lit(l)] = ps.as_slice() {
                    return Some(l.clone());
                }
            }
            Part::Sgl(v) => return Some(v.clone()),
            _ => {}
        }
    }
    None
}

const SUPPORTED_SHELLS: &[&str] = &["sh", "bash", "mksh"];
const OTHER_SHELLS: &[&str] = &["dash", "ksh"];
const PYTHON: &[&str] = &["python", "python3", "python2.7"];
const OTHER_INTERPRETERS: &[&str] = &["perl", "ruby", "php", "node", "nodejs", "java"];
const EXTRA_INTERPRETERS: &[&str] = &["dotnet", "nuget", "exec", "su"];

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

fn binary_is(expected: &str, name: &str) -> bool {
    basename(name).eq_ignore_ascii_case(expected)
}

fn interpreters() -> impl Iterator<Item = &'static str> {
    EXTRA_INTERPRETERS
        .iter()
        .chain(OTHER_INTERPRETERS)
        .chain(SUPPORTED_SHELLS)
        .chain(OTHER_SHELLS)
        .chain(PYTHON)
        .copied()
}

fn is_interpreter(c: &[String]) -> bool {
    c.first()
        .is_some_and(|c0| interpreters().any(|b| binary_is(b, c0)))
}

fn is_python(c: &[String]) -> bool {
    c.first()
        .is_some_and(|c0| PYTHON.iter().any(|b| binary_is(b, c0)))
}

/// `bash -c`, `su -c`, `sh -ec` …: the interpreter's name when a `-…c…` flag follows it.
fn interpreter_with_c(c: &[String]) -> Option<&'static str> {
    interpreters().find(|b| {
        let mut seen = false;
        for w in c {
            if binary_is(b, w) {
                seen = true;
            } else if seen && w.starts_with('-') && w.contains('c') {
                return true;
            }
        }
        false
    })
}

fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let abs = p.starts_with('/');
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !abs {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (abs, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn interpreter_with_file(c: &[String], f: &str) -> bool {
    is_interpreter(c)
        && c[1..]
            .iter()
            .any(|a| clean(a).eq_ignore_ascii_case(&clean(f)))
}

fn executes_file(c: &[String], f: &str) -> bool {
    c.first()
        .is_some_and(|c0| clean(c0).eq_ignore_ascii_case(&clean(f)))
}

fn is_download(c: &[String]) -> bool {
    let Some(c0) = c.first() else { return false };
    if ["curl", "wget", "gsutil"].iter().any(|b| binary_is(b, c0)) {
        return true;
    }
    binary_is("aws", c0)
        && c.len() >= 3
        && c[1].eq_ignore_ascii_case("s3api")
        && c[2].eq_ignore_ascii_case("get-object")
}

fn url_path_base(u: &str) -> String {
    let after_scheme = u.split_once("://").map(|x| x.1).unwrap_or(u);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("");
    let path = path.split(['?', '#']).next().unwrap_or("");
    let b = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if b.is_empty() {
        if path.is_empty() {
            ".".into()
        } else {
            "/".into()
        }
    } else {
        b.to_string()
    }
}

fn parent(p: &str) -> String {
    match p.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => p[..i].to_string(),
        None => ".".into(),
    }
}

/// The file a wget / gsutil / aws download writes.
fn output_file(c: &[String]) -> Option<String> {
    let c0 = c.first()?;
    if binary_is("wget", c0) {
        for i in 1..c.len().saturating_sub(1) {
            if c[i].eq_ignore_ascii_case("-O") {
                return Some(c[i + 1].clone());
            }
        }
        return c[1..]
            .iter()
            .find(|a| a.starts_with("http"))
            .map(|u| url_path_base(u));
    }
    if binary_is("gsutil", c0) {
        for i in 1..c.len().saturating_sub(1) {
            if !c[i].starts_with("gs://") {
                continue;
            }
            let dest = &c[i + 1];
            if clean(&parent(dest)) == clean(dest) {
                return Some(format!("{}/{}", parent(dest), url_path_base(&c[i])));
            }
            return Some(dest.clone());
        }
        return None;
    }
    if binary_is("aws", c0) {
        if c.len() < 3
            || !c[1].eq_ignore_ascii_case("s3api")
            || !c[2].eq_ignore_ascii_case("get-object")
        {
            return None;
        }
        let ifile = &c[c.len() - 2];
        let ofile = &c[c.len() - 1];
        if clean(&parent(ofile)) == clean(ofile) {
            return Some(clean(&format!(
                "{}/{}",
                parent(ofile),
                url_path_base(ifile)
            )));
        }
        return Some(ofile.clone());
    }
    None
}

/// A package-manager install and whether it is pinned.
pub fn package_install(c: &[String]) -> Option<(DepType, bool)> {
    if is_go_download(c) {
        return Some((DepType::Go, !go_unpinned(c)));
    }
    if is_pip_install(c) {
        return Some((DepType::Pip, !pip_unpinned(c)));
    }
    if let Some(pip) = python_pip(c)
        && is_pip_install(pip)
    {
        return Some((DepType::Pip, !pip_unpinned(pip)));
    }
    if is_npm_download(c) {
        let ci = c[1..].iter().any(|a| a.eq_ignore_ascii_case("ci"));
        return Some((DepType::Npm, ci));
    }
    if c.len() >= 2
        && (binary_is("choco", &c[0]) || binary_is("choco.exe", &c[0]))
        && c[1].eq_ignore_ascii_case("install")
    {
        let checksums = c[2..].iter().any(|a| {
            let k = a.split('=').next().unwrap_or("");
            [
                "--requirechecksum",
                "--requirechecksums",
                "--require-checksums",
            ]
            .iter()
            .any(|f| k.eq_ignore_ascii_case(f))
        });
        return Some((DepType::Choco, checksums));
    }
    let dotnet_add = c.len() >= 4
        && (binary_is("dotnet", &c[0]) || binary_is("dotnet.exe", &c[0]))
        && c[1].eq_ignore_ascii_case("add")
        && (c[2].eq_ignore_ascii_case("package") || c[3].eq_ignore_ascii_case("package"));
    let nuget_install = c.len() >= 2
        && (binary_is("nuget", &c[0]) || binary_is("nuget.exe", &c[0]))
        && c[1].eq_ignore_ascii_case("install");
    // Restores: reproducible only in locked mode.
    if c.len() >= 2
        && (binary_is("nuget", &c[0]) || binary_is("nuget.exe", &c[0]))
        && c[1].eq_ignore_ascii_case("restore")
    {
        let locked = c[2..].iter().any(|a| a.eq_ignore_ascii_case("-LockedMode"));
        return Some((DepType::Nuget, locked));
    }
    if c.len() >= 2
        && (binary_is("dotnet", &c[0]) || binary_is("dotnet.exe", &c[0]))
        && c[1].eq_ignore_ascii_case("restore")
    {
        let locked = c[2..]
            .iter()
            .any(|a| a.eq_ignore_ascii_case("--locked-mode"));
        return Some((DepType::Nuget, locked));
    }
    if (binary_is("msbuild", &c[0]) || binary_is("msbuild.exe", &c[0]))
        && c[1..].iter().any(|a| {
            let l = a.to_ascii_lowercase();
            (l.starts_with("/t:") || l.starts_with("-t:")) && l.contains("restore")
        })
    {
        let locked = c[1..]
            .iter()
            .any(|a| a.to_ascii_lowercase().replace('-', "/") == "/p:restorelockedmode=true");
        return Some((DepType::Nuget, locked));
    }
    if dotnet_add {
        let versioned = c[3..]
            .iter()
            .any(|a| a.eq_ignore_ascii_case("-v") || a.eq_ignore_ascii_case("--version"));
        return Some((DepType::Nuget, versioned));
    }
    if nuget_install {
        let pinned = c.len() == 2
            || c[2].ends_with("packages.config")
            || c[2..].iter().any(|a| a.eq_ignore_ascii_case("-Version"));
        return Some((DepType::Nuget, pinned));
    }
    None
}

fn is_go_download(c: &[String]) -> bool {
    c.len() > 2 && binary_is("go", &c[0]) && (c[1] == "get" || c[1] == "install")
}

fn is_hex40(s: &str) -> bool {
    s.len() >= 40 && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// `v1.2.3`, optionally with a pre-release and build part.
fn is_full_semver(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let (core, _) = rest.split_once(['-', '+']).unwrap_or((rest, ""));
    let tail = &rest[core.len()..];
    let nums: Vec<&str> = core.split('.').collect();
    let ok_tail = tail
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c))
        && !tail.ends_with(['-', '+']);
    nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        && ok_tail
}

/// `word.word/word` somewhere in the argument: a module path rather than a local folder.
fn looks_remote(pkg: &str) -> bool {
    let b = pkg.as_bytes();
    let w = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    for (i, &c) in b.iter().enumerate() {
        if c != b'.' || i == 0 || !w(b[i - 1]) {
            continue;
        }
        let mut j = i + 1;
        let s = j;
        while j < b.len() && w(b[j]) {
            j += 1;
        }
        if j > s && j < b.len() && b[j] == b'/' && j + 1 < b.len() && w(b[j + 1]) {
            return true;
        }
    }
    false
}

fn go_unpinned(c: &[String]) -> bool {
    let flags = ["-d", "-f", "-t", "-u", "-v", "-fix", "-insecure"];
    let mut insecure = false;
    let mut i = 1;
    while i + 1 < c.len() {
        while i + 1 < c.len() && flags.contains(&c[i + 1].as_str()) {
            if c[i + 1] == "-insecure" {
                insecure = true;
            }
            i += 1;
        }
        if i + 1 >= c.len() {
            return false;
        }
        let pkg = &c[i + 1];
        if !looks_remote(pkg) {
            return false;
        }
        let parts: Vec<&str> = pkg.split('@').collect();
        if parts.len() == 2 {
            let v = parts[1];
            if v == "none" || is_hex40(v) || (!insecure && is_full_semver(v)) {
                return false;
            }
        }
        i += 1;
    }
    true
}

fn is_pip_install(c: &[String]) -> bool {
    c.len() >= 2
        && (binary_is("pip", &c[0]) || binary_is("pip3", &c[0]))
        && c[1].eq_ignore_ascii_case("install")
}

fn python_pip(c: &[String]) -> Option<&[String]> {
    if !is_python(c) {
        return None;
    }
    (1..c.len().saturating_sub(1))
        .find(|&i| c[i].eq_ignore_ascii_case("-m") && c[i + 1].eq_ignore_ascii_case("pip"))
        .map(|i| &c[i + 1..])
}

fn is_flag(a: &str) -> bool {
    // (--?word)+
    let mut rest = a;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('-') else {
            return false;
        };
        let r = r.strip_prefix('-').unwrap_or(r);
        let n = r
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum::<usize>();
        if n == 0 {
            return false;
        }
        rest = &r[n..];
    }
    true
}

fn pinned_editable(src: &str) -> bool {
    let remote = ["git", "svn", "hg", "bzr"]
        .iter()
        .any(|p| src.starts_with(p) && src.len() > p.len());
    if !remote {
        return true;
    }
    // git[+https|+http|+ssh|+git]://…@<40 hex>[#egg=…]
    let rest = if let Some(r) = src.strip_prefix("git://") {
        r
    } else if let Some(r) = ["git+https://", "git+http://", "git+ssh://", "git+git://"]
        .iter()
        .find_map(|p| src.strip_prefix(p))
    {
        r
    } else {
        return false;
    };
    let main = rest.split_once("#egg=").map(|x| x.0).unwrap_or(rest);
    if rest.contains('#') && !rest.contains("#egg=") {
        return false;
    }
    match main.rsplit_once('@') {
        Some((_, h)) => h.len() == 40 && h.chars().all(|c| c.is_ascii_hexdigit()),
        None => false,
    }
}

fn pip_unpinned(c: &[String]) -> bool {
    let (mut no_deps, mut editable, mut editable_pinned) = (false, false, true);
    let (mut hashes, mut extra, mut wheel) = (false, false, false);
    for a in c.iter().skip(2) {
        if a.eq_ignore_ascii_case("--no-deps") {
            no_deps = true;
            continue;
        }
        if a == "-e" || a == "--editable" {
            editable = true;
            continue;
        }
        if a.eq_ignore_ascii_case("--require-hashes") {
            hashes = true;
            break;
        }
        if is_flag(a) {
            continue;
        }
        if a.ends_with(".whl") {
            wheel = true;
            continue;
        }
        if editable {
            if !pinned_editable(a) {
                editable_pinned = false;
            }
            continue;
        }
        extra = true;
    }
    if editable {
        return !no_deps || !editable_pinned;
    }
    if hashes {
        return false;
    }
    if extra {
        return true;
    }
    !wheel
}

fn is_npm_download(c: &[String]) -> bool {
    binary_is("npm", &c[0])
        && c[1..].iter().any(|a| {
            ["install", "i", "install-test", "update", "ci"]
                .iter()
                .any(|k| a.eq_ignore_ascii_case(k))
        })
}

/// Whether a file is a shell script of one of `shells`: a shebang decides; without one, the
/// extension does.
fn matching_shell_script(path: &str, content: &[u8], shells: &[&str]) -> bool {
    let by_ext = shells.iter().any(|s| path.ends_with(&format!(".{s}")));
    let first = content.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let first = String::from_utf8_lossy(first);
    let first = first.trim_end_matches('\r');
    if content.is_empty() {
        return by_ext;
    }
    let Some(rest) = first.strip_prefix("#!") else {
        return by_ext;
    };
    let parts: Vec<&str> = rest.split(' ').collect();
    shells.iter().any(|s| {
        binary_is(s, parts[0])
            || (parts.len() >= 2 && binary_is("env", parts[0]) && binary_is(s, parts[1]))
    })
}

/// A shell script our reader handles (sh, bash, mksh).
pub fn is_supported_shell_script(path: &str, content: &[u8]) -> bool {
    matching_shell_script(path, content, SUPPORTED_SHELLS)
}

/// Any shell script (also dash, ksh, and `exec`/`su` shebangs).
pub fn is_shell_script(path: &str, content: &[u8]) -> bool {
    let mut all: Vec<&str> = vec!["exec", "su"];
    all.extend(SUPPORTED_SHELLS);
    all.extend(OTHER_SHELLS);
    matching_shell_script(path, content, &all)
}

/// Whether a step's shell is one our reader handles.
pub fn is_supported_shell(name: &str) -> bool {
    SUPPORTED_SHELLS.iter().any(|s| binary_is(s, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &str) -> ShellScan {
        let mut out = ShellScan::default();
        analyse(s, 0, 0, &mut HashSet::new(), &mut out);
        out
    }

    #[test]
    fn pipe_to_shell_and_proc_subst() {
        let r = scan("curl -s https://x | sudo bash\nbash <(wget -qO- http://x/y.sh)\n");
        assert_eq!(r.deps.len(), 2);
        assert_eq!(r.deps[0].snippet, "curl -s https://x | sudo bash");
        assert_eq!(r.deps[1].start_line, 2);
    }

    #[test]
    fn download_then_execute() {
        let r =
            scan("wget https://x/install.sh\nbash install.sh\ncurl https://y > /tmp/f\n/tmp/f\n");
        assert_eq!(
            r.deps
                .iter()
                .filter(|d| d.kind == DepType::DownloadThenRun)
                .count(),
            2
        );
    }

    #[test]
    fn installs() {
        let r = scan(
            "pip install x\npip install -r r.txt --require-hashes\nnpm ci\nnpm i x\ngo get a.b/c@v1.2.3\n",
        );
        let pinned: Vec<bool> = r.deps.iter().map(|d| d.pinned).collect();
        assert_eq!(pinned, vec![false, true, true, false, true]);
    }

    #[test]
    fn syntax_errors_do_not_panic() {
        for s in [
            "if x; curl a | bash",
            "echo 'open",
            "$(",
            "a && ",
            "case x in",
            "f() {",
        ] {
            assert!(!scan(s).errors.is_empty(), "{s}");
        }
    }

    #[test]
    fn compound_commands() {
        let r = scan(
            "if [ -f a ]; then\n  pip install a\nelif true; then :; else npm i; fi\nfor x in a b; do go get a.b/c; done\ncase $1 in\n  a) curl x | sh ;;\nesac\nf() { choco install z; }\n",
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.deps.len(), 5);
    }
}
