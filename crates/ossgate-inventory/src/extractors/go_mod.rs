//! `go.mod`, with the `go.sum` beside it for modules that declare a `go` version below 1.17.
//!
//! Components are the required modules after `exclude` and `replace` are applied: a module
//! replaced by another module path and version is reported under the replacement, and a module
//! replaced by a local directory (`=> ./x`, `=> ../x`, `=> /abs`) is not a registry package: it
//! is listed as unresolved. The main module (`module`) is not a component. The Go standard library is
//! reported as `stdlib` at the `toolchain` version when there is one (`go1.23.6-xyz` gives
//! `1.23.6`), otherwise at the `go` version, as osv-scalibr reports it. Module versions keep
//! Go's `v` prefix as written.
//!
//! From go 1.17 on, go.mod lists every module that provides a package the build needs (the
//! `// indirect` ones included). Before that it lists only some of them, so, as osv-scanner does,
//! the modules with a content hash in go.sum (`module version h1:hash`; the `version/go.mod`
//! lines only hash a go.mod file) that go.mod does not require are added as indirect
//! dependencies. This can over-report: go.sum may hold modules no longer needed. A go.sum that
//! is not in go.sum's shape is not used (the go.mod is still read).
//!
//! Components carry no `hashes`: go.sum's `h1:<base64>` is not a digest of an archive. It is
//! Go's "dirhash", a SHA-256 over a listing of the SHA-256 of every file in the module (or of
//! its go.mod alone), so it matches no file a registry serves and no SBOM consumer could check
//! it as a package hash. It is read only to know which modules go.sum records.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Location, Scope};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct GoMod;

impl Extractor for GoMod {
    fn name(&self) -> &'static str {
        "go-mod"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "go.mod"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let m = parse(file.text)
            .map_err(|(line, message)| ExtractError::new(&file.display, Some(line), message))?;

        let excluded: HashSet<(&str, &str)> = m
            .excludes
            .iter()
            .map(|(p, v)| (p.as_str(), v.as_str()))
            .collect();

        let mut out = Extracted::default();
        // (name, version) -> index in `out.components`.
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for r in &m.requires {
            if excluded.contains(&(r.path.as_str(), r.version.as_str())) {
                continue;
            }
            let (name, version, line) = match m.replacement(&r.path, &r.version) {
                None => (&r.path, &r.version, r.line),
                Some(Replace {
                    target: Target::Local(dir),
                    line,
                    ..
                }) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line: Some(*line),
                        text: format!("{} {} => {dir}", r.path, r.version),
                        reason: "replaced by a local directory, not a module release".into(),
                    });
                    continue;
                }
                Some(Replace {
                    target: Target::Module { path, version },
                    line,
                    ..
                }) => (path, version, *line),
            };
            let location = loc(&file.display, Some(line));
            match seen.get(&(name.clone(), version.clone())) {
                Some(&i) => {
                    let c = &mut out.components[i];
                    c.direct |= !r.indirect;
                    if !c.locations.contains(&location) {
                        c.locations.push(location);
                    }
                }
                None => {
                    seen.insert((name.clone(), version.clone()), out.components.len());
                    out.components
                        .push(component(name, version, location, !r.indirect));
                }
            }
        }

        if let Some((version, line)) = m.stdlib() {
            out.components.push(component(
                "stdlib",
                version,
                loc(&file.display, Some(line)),
                true,
            ));
        }

        let before_1_17 =
            m.go.as_ref()
                .is_some_and(|(v, _)| go_language_version(v).is_some_and(|mm| mm < (1, 17)));
        if before_1_17 && let Some((sum_path, sum_text)) = read_sum(file.path) {
            let sum_display = sibling_display(&file.display, &sum_path);
            for (name, version, line) in parse_sum(&sum_text).unwrap_or_default() {
                if excluded.contains(&(name, version))
                    || matches!(
                        m.replacement(name, version),
                        Some(Replace {
                            target: Target::Local(_),
                            ..
                        })
                    )
                {
                    continue;
                }
                let key = (name.to_string(), version.to_string());
                if seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, out.components.len());
                out.components.push(component(
                    name,
                    version,
                    loc(&sum_display, Some(line)),
                    false,
                ));
            }
        }
        Ok(out)
    }
}

fn component(name: &str, version: &str, location: Location, direct: bool) -> Component {
    let mut c = Component::new(Ecosystem::Go, name, version);
    c.locations.push(location);
    c.direct = direct;
    c.scope = Scope::Runtime;
    c
}

/// The go.sum of a go.mod: `X.sum` beside `X.mod` (which is `go.sum` for a real `go.mod`),
/// else `go.sum` beside the file. Unreadable or absent: none.
fn read_sum(mod_path: &Path) -> Option<(PathBuf, String)> {
    let mut candidates = Vec::new();
    if mod_path.extension().is_some_and(|e| e == "mod") {
        candidates.push(mod_path.with_extension("sum"));
    }
    let go_sum = mod_path.with_file_name("go.sum");
    if !candidates.contains(&go_sum) {
        candidates.push(go_sum);
    }
    candidates
        .into_iter()
        .find_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
}

/// The display path of a file beside the one shown as `display`.
fn sibling_display(display: &str, sibling: &Path) -> String {
    let name = file_name(sibling);
    match display.rfind(['/', '\\']) {
        Some(i) => format!("{}{}", &display[..=i], name),
        None => name.to_string(),
    }
}

/// The modules go.sum holds a content hash for, as (module, version, 1-based line), first
/// occurrence only. `None` when a line is not `module version hash`: go would reject the file.
fn parse_sum(text: &str) -> Option<Vec<(&str, &str, u32)>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            [name, version, _hash] => {
                if version.ends_with("/go.mod") {
                    continue;
                }
                if seen.insert((*name, *version)) {
                    out.push((*name, *version, i as u32 + 1));
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// go.mod syntax

#[derive(Debug, Default)]
struct ModFile {
    /// The `go` version and its line.
    go: Option<(String, u32)>,
    /// The `toolchain` name (e.g. `go1.23.6`) and its line.
    toolchain: Option<(String, u32)>,
    requires: Vec<Require>,
    replaces: Vec<Replace>,
    excludes: Vec<(String, String)>,
}

#[derive(Debug)]
struct Require {
    path: String,
    version: String,
    line: u32,
    indirect: bool,
}

#[derive(Debug)]
struct Replace {
    path: String,
    /// `None`: every version of `path` is replaced.
    version: Option<String>,
    target: Target,
    line: u32,
}

#[derive(Debug)]
enum Target {
    Module {
        path: String,
        version: String,
    },
    /// A directory on disk.
    Local(String),
}

impl ModFile {
    /// The replace directive that applies to `path@version`: one naming that exact version wins
    /// over one naming the path alone; among equals the last one written.
    fn replacement(&self, path: &str, version: &str) -> Option<&Replace> {
        let mut exact = None;
        let mut any = None;
        for r in self.replaces.iter().filter(|r| r.path == path) {
            match &r.version {
                Some(v) if v == version => exact = Some(r),
                Some(_) => {}
                None => any = Some(r),
            }
        }
        exact.or(any)
    }

    /// The standard library version and the line that gives it.
    fn stdlib(&self) -> Option<(&str, u32)> {
        let from_toolchain = self.toolchain.as_ref().and_then(|(name, line)| {
            let release = name.split('-').next().unwrap_or(name);
            let v = release.strip_prefix("go")?;
            (!v.is_empty()).then_some((v, *line))
        });
        from_toolchain.or_else(|| self.go.as_ref().map(|(v, l)| (v.as_str(), *l)))
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Open,
    Close,
    Arrow,
    Word(String),
}

type ParseError = (u32, String);

/// Splits one line into tokens and the text of its `//` comment, if any.
fn tokenize(line: &str) -> Result<(Vec<Tok>, Option<&str>), String> {
    let mut toks = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if bytes[i..].starts_with(b"//") {
            return Ok((toks, Some(&line[i + 2..])));
        } else if c == b'(' {
            toks.push(Tok::Open);
            i += 1;
        } else if c == b')' {
            toks.push(Tok::Close);
            i += 1;
        } else if c == b'"' {
            let (word, end) = quoted(line, i + 1)?;
            toks.push(Tok::Word(word));
            i = end;
        } else if c == b'`' {
            let end = line[i + 1..]
                .find('`')
                .map(|e| i + 1 + e)
                .ok_or("unterminated raw string (missing closing `)")?;
            toks.push(Tok::Word(line[i + 1..end].to_string()));
            i = end + 1;
        } else {
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'(' | b')' | b'"' | b'`')
                && !bytes[i..].starts_with(b"//")
            {
                i += 1;
            }
            let word = &line[start..i];
            for (k, part) in word.split("=>").enumerate() {
                if k > 0 {
                    toks.push(Tok::Arrow);
                }
                if !part.is_empty() {
                    toks.push(Tok::Word(part.to_string()));
                }
            }
        }
    }
    Ok((toks, None))
}

/// A double-quoted string starting after the opening quote at byte `start`: its value and the
/// byte after the closing quote.
fn quoted(line: &str, start: usize) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = line[start..].char_indices();
    while let Some((off, c)) = chars.next() {
        match c {
            '"' => return Ok((out, start + off + 1)),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err("unterminated quoted string (missing closing \")".into())
}

/// Parses go.mod text. Errors carry the 1-based line they are about.
fn parse(text: &str) -> Result<ModFile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut m = ModFile::default();
    // The verb of the open `verb (` block and the line that opened it.
    let mut block: Option<(String, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let (toks, comment) = tokenize(raw).map_err(|e| (line, e))?;
        if toks.is_empty() {
            continue;
        }
        if let Some((verb, _)) = &block {
            if toks == [Tok::Close] {
                block = None;
                continue;
            }
            if toks.iter().any(|t| matches!(t, Tok::Open | Tok::Close)) {
                return Err((line, format!("unexpected parenthesis inside {verb} block")));
            }
            directive(&mut m, verb, &toks, comment, line)?;
            continue;
        }
        let verb = match &toks[0] {
            Tok::Word(w) => w.clone(),
            Tok::Close => return Err((line, "unexpected ) outside a block".into())),
            _ => {
                return Err((
                    line,
                    "expected a directive (module, go, require, ...)".into(),
                ));
            }
        };
        let args = &toks[1..];
        match args {
            [Tok::Open] => block = Some((verb, line)),
            [Tok::Open, Tok::Close] => {}
            _ if args.iter().any(|t| matches!(t, Tok::Open | Tok::Close)) => {
                return Err((
                    line,
                    format!(
                        "unexpected parenthesis in {verb} directive (a block opens with `{verb} (` at the end of its line)"
                    ),
                ));
            }
            _ => directive(&mut m, &verb, args, comment, line)?,
        }
    }
    if let Some((verb, opened)) = block {
        return Err((
            opened,
            format!("unterminated {verb} block: no closing ) before the end of the file"),
        ));
    }
    Ok(m)
}

/// The words of `args`, or `None` if a `=>` or parenthesis is among them.
fn words(args: &[Tok]) -> Option<Vec<&str>> {
    args.iter()
        .map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect()
}

/// One directive (or one line of a directive block).
fn directive(
    m: &mut ModFile,
    verb: &str,
    args: &[Tok],
    comment: Option<&str>,
    line: u32,
) -> Result<(), ParseError> {
    let err = |msg: String| Err((line, msg));
    match verb {
        "module" => match words(args).as_deref() {
            Some([_path]) => Ok(()),
            _ => err("module directive must name exactly one module path".into()),
        },
        "go" => match words(args).as_deref() {
            Some([v]) => {
                if go_language_version(v).is_none() {
                    return err(format!(
                        "invalid go version {v:?} (expected e.g. 1.21 or 1.21.0)"
                    ));
                }
                if m.go.is_some() {
                    return err("repeated go directive".into());
                }
                m.go = Some((v.to_string(), line));
                Ok(())
            }
            _ => err("go directive must give exactly one version".into()),
        },
        "toolchain" => match words(args).as_deref() {
            Some([name]) => {
                m.toolchain = Some((name.to_string(), line));
                Ok(())
            }
            _ => err("toolchain directive must give exactly one name".into()),
        },
        "require" | "exclude" => {
            let (path, version) = match words(args).as_deref() {
                Some([path, version]) => (path.to_string(), version.to_string()),
                Some([path]) => return err(format!("{verb} {path}: missing version")),
                Some([]) => return err(format!("{verb}: missing module path and version")),
                Some([path, ..]) => {
                    return err(format!("{verb} {path}: unexpected text after the version"));
                }
                None => return err(format!("{verb}: unexpected `=>` or parenthesis")),
            };
            check_version(verb, &path, &version).or_else(err)?;
            if verb == "require" {
                m.requires.push(Require {
                    path,
                    version,
                    line,
                    indirect: comment.is_some_and(is_indirect),
                });
            } else {
                m.excludes.push((path, version));
            }
            Ok(())
        }
        "replace" => {
            let Some(arrow) = args.iter().position(|t| *t == Tok::Arrow) else {
                return err("replace: missing `=>`".into());
            };
            let (Some(old), Some(new)) = (words(&args[..arrow]), words(&args[arrow + 1..])) else {
                return err("replace: more than one `=>` or a parenthesis".into());
            };
            let (path, version) = match old.as_slice() {
                [p] => (p.to_string(), None),
                [p, v] => {
                    check_version(verb, p, v).or_else(err)?;
                    (p.to_string(), Some(v.to_string()))
                }
                [] => return err("replace: missing module path before `=>`".into()),
                _ => return err("replace: unexpected text before `=>`".into()),
            };
            let target = match new.as_slice() {
                [p] if is_local_path(p) => Target::Local(p.to_string()),
                [p] => {
                    return err(format!(
                        "replace {path}: replacement {p} has no version and is not a directory path (starting with ./ or ../)"
                    ));
                }
                [p, _] if is_local_path(p) => {
                    return err(format!(
                        "replace {path}: replacement directory {p} must not have a version"
                    ));
                }
                [p, v] => {
                    check_version(verb, p, v).or_else(err)?;
                    Target::Module {
                        path: p.to_string(),
                        version: v.to_string(),
                    }
                }
                [] => return err(format!("replace {path}: missing replacement after `=>`")),
                _ => {
                    return err(format!(
                        "replace {path}: unexpected text after the replacement"
                    ));
                }
            };
            m.replaces.push(Replace {
                path,
                version,
                target,
                line,
            });
            Ok(())
        }
        // `retract`, `godebug`, `tool`, `ignore` and directives added by later Go releases say
        // nothing about which modules are built.
        _ => Ok(()),
    }
}

/// A module version is `v` then a digit: `v1.2.3`, `v0.0.0-2021...-abcdef`, `v2.0.0+incompatible`.
fn check_version(verb: &str, path: &str, version: &str) -> Result<(), String> {
    let mut b = version.bytes();
    if b.next() == Some(b'v') && b.next().is_some_and(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "{verb} {path}: invalid version {version:?} (expected e.g. v1.2.3)"
        ))
    }
}

/// `// indirect` (also `// indirect; other text`).
fn is_indirect(comment: &str) -> bool {
    let first = comment.split_whitespace().next().unwrap_or("");
    first == "indirect" || first.starts_with("indirect;")
}

/// A replacement target that is a directory, not a module path.
fn is_local_path(p: &str) -> bool {
    let b = p.as_bytes();
    p == "."
        || p == ".."
        || ["./", "../", ".\\", "..\\", "/", "\\"]
            .iter()
            .any(|s| p.starts_with(s))
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// The (major, minor) of a `go` version: `1.21`, `1.21.0`, `1.21rc1`, `1.9`.
fn go_language_version(v: &str) -> Option<(u64, u64)> {
    let numeric_end = v
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(v.len());
    let (numbers, pre) = v.split_at(numeric_end);
    let letters = pre.trim_end_matches(|c: char| c.is_ascii_digit());
    if !pre.is_empty()
        && (letters.is_empty()
            || letters.len() == pre.len()
            || !letters.bytes().all(|c| c.is_ascii_lowercase()))
    {
        return None;
    }
    let parts: Vec<&str> = numbers.split('.').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let num = |s: &str| s.parse::<u64>().ok();
    if parts.len() == 3 {
        num(parts[2])?;
    }
    Some((num(parts[0])?, num(parts[1])?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        GoMod.extract(&SourceFile {
            display: "app/go.mod".into(),
            path: Path::new("/nonexistent/app/go.mod"),
            text,
        })
    }

    /// (name, version, direct, first line) of each component, in output order.
    fn summary(ex: &Extracted) -> Vec<(String, String, bool, Option<u32>)> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.version.clone(),
                    c.direct,
                    c.locations[0].line,
                )
            })
            .collect()
    }

    fn row(n: &str, v: &str, direct: bool, line: u32) -> (String, String, bool, Option<u32>) {
        (n.into(), v.into(), direct, Some(line))
    }

    const BASIC: &str = "// leading comment
module example.com/app // the main module is not a component

go 1.21

require github.com/single/dep v1.2.3

require (
\tgithub.com/a/b v0.1.0 // a trailing comment
\t// a whole-line comment
\tgolang.org/x/sys v0.0.0-20210630005230-0f9fa26af87c // indirect
\tgithub.com/old/thing v2.0.0+incompatible // indirect; pulled in by b
\t\"example.com/quoted\" v1.0.0
)
";

    #[test]
    fn requires_indirect_markers_stdlib_and_lines() {
        let ex = run(BASIC).unwrap();
        assert_eq!(
            summary(&ex),
            [
                row("github.com/single/dep", "v1.2.3", true, 6),
                row("github.com/a/b", "v0.1.0", true, 9),
                row(
                    "golang.org/x/sys",
                    "v0.0.0-20210630005230-0f9fa26af87c",
                    false,
                    11
                ),
                row("github.com/old/thing", "v2.0.0+incompatible", false, 12),
                row("example.com/quoted", "v1.0.0", true, 13),
                row("stdlib", "1.21", true, 4),
            ]
        );
        let c = &ex.components[0];
        assert_eq!(c.purl, "pkg:golang/github.com/single/dep@v1.2.3");
        assert_eq!(c.ecosystem, Ecosystem::Go);
        assert_eq!(c.scope, Scope::Runtime);
        assert!(c.dependencies.is_empty());
        assert_eq!(c.locations[0].file, "app/go.mod");
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn replace_exclude_and_ignored_directives() {
        let ex = run("module m
go 1.22.3
toolchain go1.22.5-custom
godebug (
\tdefault=go1.21
\tpanicnil=1
)
godebug asynctimerchan=0
retract v1.0.1 // bad
retract [v1.1.0, v1.1.9]
retract (
\tv1.2.0 // rationale
\t[v1.3.0, v1.3.5]
)
tool golang.org/x/tools/cmd/stringer
require (
\tgolang.org/x/net v1.2.3
\tgolang.org/x/text v0.3.0
\texample.com/local v0.0.0-00010101000000-000000000000
\texample.com/localv v1.0.0
\texample.com/gone v1.0.0
\texample.com/kept v1.1.0
\texample.com/both v1.0.0 // indirect
\texample.com/both2 v1.0.0
)
replace (
\tgolang.org/x/net v1.2.3 => example.com/fork/net v1.4.5
\tgolang.org/x/net v9.9.9 => example.com/never v1.0.0
\tgolang.org/x/text => golang.org/x/text v0.3.8
\texample.com/local => ./local
\texample.com/localv v1.0.0 => ../sibling
\texample.com/both => example.com/merged v1.0.0
\texample.com/both2 => example.com/merged v1.0.0
)
replace golang.org/x/text v0.3.0 => golang.org/x/text v0.3.7
exclude example.com/gone v1.0.0
exclude (
\texample.com/kept v1.0.0
)
")
        .unwrap();
        let mut got = summary(&ex);
        got.sort();
        assert_eq!(
            got,
            [
                row("example.com/fork/net", "v1.4.5", true, 27),
                row("example.com/kept", "v1.1.0", true, 22),
                // Two requirements replaced by the same module: one component, direct if
                // either is, with both replace lines.
                row("example.com/merged", "v1.0.0", true, 32),
                // A replace naming the version wins over one naming only the path.
                row("golang.org/x/text", "v0.3.7", true, 35),
                row("stdlib", "1.22.5", true, 3),
            ]
        );
        let merged = ex
            .components
            .iter()
            .find(|c| c.name == "example.com/merged")
            .unwrap();
        let lines: Vec<_> = merged.locations.iter().map(|l| l.line).collect();
        assert_eq!(lines, [Some(32), Some(33)]);
    }

    #[test]
    fn no_go_directive_no_stdlib_and_odd_layouts() {
        let ex = run("module \"example.com/m\"\r\n\r\nrequire (\r\n  a.com/x v1.0.0\r\n)\r\nrequire ()\r\nreplace a.com/x=>b.com/y v2.0.0\r\n").unwrap();
        assert_eq!(summary(&ex), [row("b.com/y", "v2.0.0", true, 7)]);
        assert!(run("").unwrap().components.is_empty());
        assert!(run("\u{feff}module m\n").unwrap().components.is_empty());
        // A toolchain that does not name a go release leaves the go version.
        let ex = run("go 1.21rc1\ntoolchain default\n").unwrap();
        assert_eq!(summary(&ex), [row("stdlib", "1.21rc1", true, 1)]);
    }

    #[test]
    fn malformed_input_names_the_line() {
        let cases: &[(&str, u32)] = &[
            ("module m\n\nrequire (\n\ta.com/x v1.0.0\n", 3),
            ("module m\nrequire a.com/x\n", 2),
            ("require (\n\ta.com/x v1.0.0\n\tb.com/y\n)\n", 3),
            ("require a.com/x 1.0.0\n", 1),
            ("require a.com/x v1.0.0 extra\n", 1),
            ("require\n", 1),
            ("module m\n)\n", 2),
            ("require (\n\t(\n)\n", 2),
            ("require ( a.com/x v1.0.0 )\n", 1),
            ("replace a.com/x v1.0.0 b.com/y v1.0.0\n", 1),
            ("replace a.com/x => b.com/y\n", 1),
            ("replace a.com/x => ./dir v1.0.0\n", 1),
            ("replace a.com/x => \n", 1),
            ("replace => b.com/y v1.0.0\n", 1),
            ("replace a.com/x => b.com/y v1 => c v2\n", 1),
            ("exclude a.com/x\n", 1),
            ("module m\ngo one\n", 2),
            ("go 1.21\ngo 1.22\n", 2),
            ("go\n", 1),
            ("module\n", 1),
            ("module a b\n", 1),
            ("toolchain\n", 1),
            ("require \"a.com/x v1.0.0\n", 1),
            ("require `a.com/x v1.0.0\n", 1),
            ("=> x\n", 1),
        ];
        for (text, line) in cases {
            let err = run(text).unwrap_err();
            assert_eq!(err.file, "app/go.mod", "{text:?}");
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
        }
        let err = run("module m\n\nrequire (\n\ta.com/x v1.0.0\n").unwrap_err();
        assert!(err.message.contains("unterminated require block"), "{err}");
        let err = run("require a.com/x\n").unwrap_err();
        assert!(err.message.contains("a.com/x: missing version"), "{err}");
    }

    /// Every prefix, and every line-level mutation, of a realistic file reads or fails cleanly.
    #[test]
    fn never_panics() {
        let text = format!(
            "{BASIC}replace (\n\ta => b v1.0.0\n\tc => ./d\n)\nexclude x v1.0.0\nretract [v1.0.0, v1.0.1]\n\"unterminated\n`raw\nrequire \"\\"
        );
        for (i, _) in text.char_indices() {
            let _ = run(&text[..i]);
        }
        for junk in [
            "(",
            ")",
            "=>",
            "\"",
            "`",
            "//",
            "\\",
            "(\n(",
            "require ((",
            "replace =>",
            "go .",
            "go 1.",
            "go 1..2",
            "go 1.2x",
            "go 1.2rc",
            "go 99999999999999999999.1",
            "é ü",
            "require é v\u{e9}",
            "\0",
            "replace a.com/x => C:\\dir",
        ] {
            let _ = run(junk);
            let _ = run(&format!("require (\n{junk}\n)"));
        }
        // Random lines over go.mod's significant pieces (a fixed-seed LCG keeps it repeatable).
        let pieces = [
            "require",
            "replace",
            "exclude",
            "go",
            "toolchain",
            "module",
            "retract",
            "(",
            ")",
            "=>",
            "//",
            "indirect",
            "\"",
            "`",
            "\\",
            " ",
            "\t",
            "\n",
            "a.com/x",
            "v1.0.0",
            "./d",
            "1.16",
            "go1.2-x",
            "é",
            "[",
            "]",
            ",",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let _ = run(&text);
        }
    }

    #[test]
    fn go_versions() {
        assert_eq!(go_language_version("1.16"), Some((1, 16)));
        assert_eq!(go_language_version("1.21.0"), Some((1, 21)));
        assert_eq!(go_language_version("1.21rc1"), Some((1, 21)));
        assert_eq!(go_language_version("1.9"), Some((1, 9)));
        for bad in [
            "1", "1.", "1.2.3.4", "v1.21", "1.21-rc1", "1.21rc", "1.21RC1", "",
        ] {
            assert_eq!(go_language_version(bad), None, "{bad}");
        }
        assert!(is_local_path("./x") && is_local_path("../x") && is_local_path("/abs"));
        assert!(is_local_path("C:\\x") && is_local_path(".."));
        assert!(!is_local_path("example.com/x") && !is_local_path(".hidden/x"));
    }

    #[test]
    fn applies_to_go_mod_only() {
        assert!(GoMod.applies_to(Path::new("a/b/go.mod")));
        assert!(!GoMod.applies_to(Path::new("a/b/go.sum")));
        assert!(!GoMod.applies_to(Path::new("a/b/x.mod")));
        assert_eq!(GoMod.name(), "go-mod");
    }

    const OLD_MOD: &str = "module example.com/old

go 1.16

require (
\tgithub.com/a/b v1.0.0
\texample.com/local v1.0.0
\texample.com/excluded v1.0.0
)

replace example.com/local => ./local

exclude example.com/excluded v1.0.0
";

    const OLD_SUM: &str = "github.com/a/b v1.0.0 h1:aaa=
github.com/a/b v1.0.0/go.mod h1:bbb=
github.com/c/d v0.2.0 h1:ccc=
github.com/c/d v0.2.0/go.mod h1:ddd=
github.com/only/gomod v0.1.0/go.mod h1:eee=

example.com/local v1.0.0 h1:fff=
example.com/excluded v1.0.0 h1:ggg=
golang.org/x/sys v0.0.0-20200930185726-fdedc70b468f h1:hhh=
";

    fn run_in(dir: &Path, mod_name: &str, mod_text: &str) -> Extracted {
        let path = dir.join(mod_name);
        std::fs::write(&path, mod_text).unwrap();
        GoMod
            .extract(&SourceFile {
                display: format!("proj/{mod_name}"),
                path: &path,
                text: mod_text,
            })
            .unwrap()
    }

    #[test]
    fn go_sum_adds_indirect_modules_before_go_1_17() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.sum"), OLD_SUM).unwrap();
        let ex = run_in(dir.path(), "go.mod", OLD_MOD);
        assert_eq!(
            summary(&ex),
            [
                row("github.com/a/b", "v1.0.0", true, 6),
                row("stdlib", "1.16", true, 3),
                row("github.com/c/d", "v0.2.0", false, 3),
                row(
                    "golang.org/x/sys",
                    "v0.0.0-20200930185726-fdedc70b468f",
                    false,
                    9
                ),
            ]
        );
        assert_eq!(ex.components[2].locations[0].file, "proj/go.sum");

        // From go 1.17 on, go.sum is not read.
        let ex = run_in(dir.path(), "go.mod", &OLD_MOD.replace("go 1.16", "go 1.17"));
        let names: Vec<_> = ex.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["github.com/a/b", "stdlib"]);
        // Nor without a go directive.
        let ex = run_in(dir.path(), "go.mod", &OLD_MOD.replace("go 1.16\n", ""));
        assert_eq!(ex.components.len(), 1);

        // A go.sum that is not in go.sum's shape is not used; the go.mod still is.
        std::fs::write(dir.path().join("go.sum"), "this is not a go.sum\n").unwrap();
        let ex = run_in(dir.path(), "go.mod", OLD_MOD);
        assert_eq!(ex.components.len(), 2);
    }

    #[test]
    fn x_mod_reads_x_sum() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fixture.sum"), OLD_SUM).unwrap();
        let ex = run_in(dir.path(), "fixture.mod", OLD_MOD);
        assert_eq!(ex.components.len(), 4);
        assert_eq!(ex.components[2].locations[0].file, "proj/fixture.sum");
        // No sum at all: go.mod alone.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(run_in(empty.path(), "go.mod", OLD_MOD).components.len(), 2);
    }

    /// Peer expectations this extractor deliberately does not meet, as (fixture, name, version)
    /// of an expected package it does not report. osv-scalibr reports a module replaced by a
    /// local directory under the directory's path with no version; that is not a Go module
    /// anyone can publish an advisory for, so ossgate leaves it out.
    const PEER_EXCEPTIONS: &[(&str, &str, &str)] =
        &[("lockfiles/go/go-mod/replace-local.mod", "./fork/net", "")];

    /// osv-scalibr drops Go's `v` prefix from module versions; ossgate keeps it as written.
    fn peer_version(v: &str) -> &str {
        v.strip_prefix('v').unwrap_or(v)
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let records = peer_records(&root, |r| {
            r["ecosystem_dir"] == "go" && r["format"] == "go-mod"
        });
        let mut checked = 0;
        let mut expected_total = 0;
        let mut exceptions_hit = Vec::new();
        let mut variants_checked = 0;
        for rec in &records {
            let fixture = fixture(rec);
            let path = root.join(fixture);
            let text = std::fs::read_to_string(&path).unwrap();
            let expected = expected(&root, rec);
            let src = SourceFile {
                display: file_name(&path).to_string(),
                path: &path,
                text: &text,
            };
            let result = GoMod.extract(&src);
            if rec.get("expect_error").is_some_and(|e| !e.is_null()) {
                assert!(
                    result.is_err() || expected.is_empty(),
                    "{fixture}: upstream expects an error"
                );
                checked += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            expected_total += expected.len();

            let mut got: Vec<(String, String)> = ex
                .components
                .iter()
                .map(|c| (c.name.clone(), peer_version(&c.version).to_string()))
                .collect();
            let mut want: Vec<(String, String)> = Vec::new();
            for e in &expected {
                let name = e["name"].as_str().unwrap();
                let version = e["version"].as_str().unwrap();
                if PEER_EXCEPTIONS.contains(&(fixture, name, version)) {
                    exceptions_hit.push((fixture, name.to_string()));
                    continue;
                }
                want.push((name.to_string(), version.to_string()));
                // Where upstream asserts a line, the component is reported at that line.
                if let Some(line) = e["location"]["line"].as_u64() {
                    assert!(
                        ex.components.iter().any(|c| c.name == name
                            && peer_version(&c.version) == version
                            && c.locations.iter().any(|l| l.line == Some(line as u32))),
                        "{fixture}: {name}@{version} not at line {line}"
                    );
                }
            }
            got.sort();
            want.sort();
            assert_eq!(got, want, "{fixture}");

            // `excludeIndirect` variants: what remains is the direct components.
            if let Some(file) = rec.get("variants_file").and_then(|v| v.as_str()) {
                let variants: Vec<serde_json::Value> =
                    serde_json::from_str(&std::fs::read_to_string(root.join(file)).unwrap())
                        .unwrap();
                for v in variants {
                    assert_eq!(v["options"]["excludeIndirect"], true, "{fixture}: variant");
                    let mut want: Vec<(String, String)> = v["packages"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            (
                                p["name"].as_str().unwrap().to_string(),
                                p["version"].as_str().unwrap().to_string(),
                            )
                        })
                        .collect();
                    let mut got: Vec<(String, String)> = ex
                        .components
                        .iter()
                        .filter(|c| c.direct)
                        .map(|c| (c.name.clone(), peer_version(&c.version).to_string()))
                        .collect();
                    want.sort();
                    got.sort();
                    assert_eq!(got, want, "{fixture}: excludeIndirect variant");
                    variants_checked += 1;
                }
            }
            checked += 1;
        }
        assert_eq!(checked, 10, "go.mod fixtures in the index");
        assert_eq!(expected_total, 21, "expected packages over those fixtures");
        assert_eq!(variants_checked, 1);
        // Every exception is still needed: the peer still expects what we leave out.
        assert_eq!(
            exceptions_hit.len(),
            PEER_EXCEPTIONS.len(),
            "{exceptions_hit:?}"
        );
    }

    /// Components of a go.mod counted a different way: scan lines for `require`, `exclude` and
    /// local `replace` entries with plain string handling, then count required path@version
    /// pairs not excluded and not replaced by a directory, plus the standard library.
    fn independent_count(text: &str) -> (usize, usize) {
        let mut section = "";
        let mut required: Vec<(String, String, bool)> = Vec::new();
        let mut excluded: HashSet<String> = HashSet::new();
        let mut local: HashSet<String> = HashSet::new();
        let mut has_go = false;
        for raw in text.lines() {
            let indirect = raw.contains("// indirect");
            let code = raw.split("//").next().unwrap().trim();
            if code.is_empty() {
                continue;
            }
            if code == ")" {
                section = "";
                continue;
            }
            let body = if let Some(verb) = code.strip_suffix('(') {
                section = match verb.trim() {
                    "require" => "require",
                    "exclude" => "exclude",
                    "replace" => "replace",
                    _ => "other",
                };
                continue;
            } else if section.is_empty() {
                let (verb, rest) = code.split_once(' ').unwrap_or((code, ""));
                match verb {
                    "go" => {
                        has_go = true;
                        continue;
                    }
                    "require" | "exclude" | "replace" => {
                        section = verb;
                        let body = rest.trim().to_string();
                        let handled = handle(section, &body, indirect);
                        section = "";
                        match handled {
                            Some(x) => x,
                            None => continue,
                        }
                    }
                    _ => continue,
                }
            } else {
                match handle(section, code, indirect) {
                    Some(x) => x,
                    None => continue,
                }
            };
            match body {
                Entry::Require(p, v, ind) => required.push((p, v, ind)),
                Entry::Exclude(pv) => {
                    excluded.insert(pv);
                }
                Entry::Local(p) => {
                    local.insert(p);
                }
            }
        }
        enum Entry {
            Require(String, String, bool),
            Exclude(String),
            Local(String),
        }
        fn handle(section: &str, body: &str, indirect: bool) -> Option<Entry> {
            let parts: Vec<&str> = body.split_whitespace().collect();
            match section {
                "require" => Some(Entry::Require(
                    parts[0].to_string(),
                    parts[1].to_string(),
                    indirect,
                )),
                "exclude" => Some(Entry::Exclude(format!("{} {}", parts[0], parts[1]))),
                "replace" => {
                    let (lhs, rhs) = body.split_once("=>")?;
                    let rhs = rhs.trim();
                    (rhs.starts_with("./") || rhs.starts_with("../"))
                        .then(|| Entry::Local(lhs.split_whitespace().next().unwrap().to_string()))
                }
                _ => None,
            }
        }
        let kept: Vec<_> = required
            .iter()
            .filter(|(p, v, _)| !excluded.contains(&format!("{p} {v}")) && !local.contains(p))
            .collect();
        let direct = kept.iter().filter(|(_, _, ind)| !ind).count();
        (
            kept.len() + usize::from(has_go),
            direct + usize::from(has_go),
        )
    }

    #[test]
    fn real_go_mods_in_shared_inputs() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut checked = Vec::new();
        for project in ["argo-cd", "prometheus", "kubernetes-client-go"] {
            let path = inputs.join(project).join("go.mod");
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = GoMod
                .extract(&SourceFile {
                    display: format!("{project}/go.mod"),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            let (total, direct) = independent_count(&text);
            assert_eq!(ex.components.len(), total, "{project}");
            assert_eq!(
                ex.components.iter().filter(|c| c.direct).count(),
                direct,
                "{project}"
            );
            // Every component has a version and a line; purls are unique within the file.
            let purls: HashSet<_> = ex.components.iter().map(|c| c.purl.as_str()).collect();
            assert_eq!(purls.len(), ex.components.len(), "{project}");
            assert!(
                ex.components
                    .iter()
                    .all(|c| !c.version.is_empty() && c.locations[0].line.is_some())
            );
            checked.push((project, total));
        }
        eprintln!("go.mod inputs: {checked:?}");
        assert_eq!(checked.len(), 3);
    }
}
