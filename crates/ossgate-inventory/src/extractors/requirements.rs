//! pip requirements files (`requirements*.txt`, and any `.txt` in a `requirements/` folder).
//!
//! Pinned lines (`name[extras]==version`, `===version`, with markers and `--hash` options and `\`
//! continuations) are components. `-r`/`--requirement` includes are followed relative to the
//! including file. Lines that pin no exact version (ranges, URLs, editables, local paths) are
//! reported as unresolved, never dropped silently. pip's line syntax is not covered by a crate,
//! so this small line parser is written here.

use super::file_name;
use super::python::pep508_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct Requirements;

impl Extractor for Requirements {
    fn name(&self) -> &'static str {
        "requirements-txt"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path);
        if !name.ends_with(".txt") {
            return false;
        }
        name.contains("requirements")
            || path
                .parent()
                .and_then(|p| p.file_name())
                .is_some_and(|d| d == "requirements")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        let mut seen = HashSet::new();
        seen.insert(file.path.to_path_buf());
        parse(file.path, &file.display, file.text, &mut out, &mut seen, 0)?;
        Ok(out)
    }
}

fn scope_for(display: &str) -> Scope {
    let stem = Path::new(display)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if stem.contains("test") {
        Scope::Test
    } else if stem.contains("dev") || stem.contains("lint") || stem.contains("docs") {
        Scope::Dev
    } else {
        Scope::Runtime
    }
}

/// Logical lines, as pip builds them: a line ending in `\` is joined with the next (every
/// backslash at either end of it is stripped, nothing is inserted), unless it is a comment line;
/// comments are removed only after joining, so a `# ... \` comment swallows the next line.
/// Yields (first physical line number, text).
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut joining = false;
    let mut start = 0u32;
    let mut emit = |start: u32, line: &str| {
        let t = strip_comment(line).trim();
        if !t.is_empty() {
            out.push((start, t.to_string()));
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let comment_line = raw.trim_start().starts_with('#');
        if !raw.ends_with('\\') || comment_line {
            if joining {
                if comment_line {
                    current.push(' ');
                }
                current.push_str(raw);
                emit(start, &current);
                current.clear();
                joining = false;
            } else {
                emit(i as u32 + 1, raw);
            }
        } else {
            if !joining {
                start = i as u32 + 1;
                joining = true;
            }
            current.push_str(raw.trim_matches('\\'));
        }
    }
    if joining {
        emit(start, &current);
    }
    out
}

/// A `#` starts a comment at the start of a line or after whitespace.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return line[..i].trim_end();
        }
    }
    line.trim_end()
}

fn parse(
    path: &Path,
    display: &str,
    text: &str,
    out: &mut Extracted,
    seen: &mut HashSet<PathBuf>,
    depth: usize,
) -> Result<(), ExtractError> {
    let scope = scope_for(display);
    for (line, text) in logical_lines(text) {
        if let Some(opt) = text.strip_prefix('-') {
            let (flag, arg) = split_option(opt);
            match flag {
                "r" | "-requirement" => include(path, display, line, arg, out, seen, depth)?,
                "e" | "-editable" => out.unresolved.push(Unresolved {
                    file: display.to_string(),
                    line: Some(line),
                    text,
                    reason: "editable install (local or VCS source), no registry version".into(),
                }),
                _ => {} // -c constraints, --index-url, --hash on its own line, ...: not packages
            }
            continue;
        }
        match requirement(&text) {
            Ok((name, version)) => {
                let mut c = Component::new(Ecosystem::PyPI, name, version);
                c.locations.push(loc(display, Some(line)));
                c.direct = true;
                c.scope = scope;
                out.components.push(c);
            }
            Err(reason) => out.unresolved.push(Unresolved {
                file: display.to_string(),
                line: Some(line),
                text,
                reason,
            }),
        }
    }
    Ok(())
}

fn split_option(opt: &str) -> (&str, &str) {
    let opt = opt.trim();
    match opt.find([' ', '=', '\t']) {
        Some(i) => (&opt[..i], opt[i + 1..].trim()),
        // `-rfile.txt` is also accepted by pip
        None if opt.starts_with('r') && opt.len() > 1 => ("r", &opt[1..]),
        None => (opt, ""),
    }
}

fn include(
    path: &Path,
    display: &str,
    line: u32,
    arg: &str,
    out: &mut Extracted,
    seen: &mut HashSet<PathBuf>,
    depth: usize,
) -> Result<(), ExtractError> {
    if arg.contains("://") {
        out.unresolved.push(Unresolved {
            file: display.to_string(),
            line: Some(line),
            text: format!("-r {arg}"),
            reason: "remote requirements file is not fetched".into(),
        });
        return Ok(());
    }
    let target = path.parent().unwrap_or(Path::new(".")).join(arg);
    if !seen.insert(target.clone()) || depth > 32 {
        return Ok(()); // already read: an include cycle or a file included twice
    }
    let inc_display = Path::new(display)
        .parent()
        .unwrap_or(Path::new(""))
        .join(arg)
        .display()
        .to_string();
    let text = std::fs::read_to_string(&target).map_err(|e| {
        ExtractError::new(
            display,
            Some(line),
            format!("cannot read included file {arg}: {e}"),
        )
    })?;
    parse(&target, &inc_display, &text, out, seen, depth + 1)
}

/// `name[extras] == version ; markers --hash=...` → (name, version), or why it is not pinned.
fn requirement(text: &str) -> Result<(String, String), String> {
    // Options after the requirement (`--hash=...`) end it.
    let req = match text.find(" -") {
        Some(i) => &text[..i],
        None => text,
    };
    let req = req.split(';').next().unwrap_or("").trim();
    let name = pep508_name(req);
    if name.is_empty() {
        return Err("not a requirement (a path or URL without a package name)".into());
    }
    let mut rest = req[name.len()..].trim_start();
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(i) => rest = rest[i + 1..].trim_start(),
            None => return Err("unclosed extras bracket".into()),
        }
    }
    if rest.starts_with('@') {
        return Err("direct URL reference, no registry version".into());
    }
    let version = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(',') && !v.contains('*'));
    match version {
        Some(v) if v.contains('$') => {
            Err(format!("version `{v}` comes from an environment variable"))
        }
        Some(v) if !v.contains(char::is_whitespace) => Ok((name.to_string(), v.to_string())),
        _ if rest.is_empty() => Err("no version specified".into()),
        _ => Err(format!("not pinned to one version (`{rest}`)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_lines_hashes_markers_extras() {
        let text = "\
# comment
Jinja2==2.10 \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
requests[socks] == 2.19.1 ; python_version >= \"3\"  # pinned
flask>=1.0
urllib3===1.24.1
-e git+https://x/y.git#egg=y
--index-url https://pypi.org/simple
pkg @ https://example.com/pkg.whl
lxml==4.*
";
        let mut out = Extracted::default();
        parse(
            Path::new("r.txt"),
            "requirements.txt",
            text,
            &mut out,
            &mut HashSet::new(),
            0,
        )
        .unwrap();
        let got: Vec<(String, Option<u32>)> = out
            .components
            .iter()
            .map(|c| (c.purl.clone(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/jinja2@2.10".to_string(), Some(2)),
                ("pkg:pypi/requests@2.19.1".to_string(), Some(5)),
                ("pkg:pypi/urllib3@1.24.1".to_string(), Some(7)),
            ]
        );
        let lines: Vec<Option<u32>> = out.unresolved.iter().map(|u| u.line).collect();
        assert_eq!(lines, [Some(6), Some(8), Some(10), Some(11)]);
    }

    #[test]
    fn continuations_join_before_comments_are_stripped() {
        // pip joins `\`-continued lines first, stripping every backslash at either end, and
        // strips comments afterwards: a comment ending in `\` swallows the next line, while a
        // line that is only a comment never continues.
        let text = "foo==\\\n\\\n 1.2.3\nbar == 4.5\\\\\n.6\nbaz == 7.8.9 # \\\nbaz == 1.2.3\n\
                    # note \\\nqux == 1.0\nenv == ${VERSION}\n";
        let mut out = Extracted::default();
        parse(
            Path::new("r.txt"),
            "r.txt",
            text,
            &mut out,
            &mut HashSet::new(),
            0,
        )
        .unwrap();
        let got: Vec<(&str, Option<u32>)> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:pypi/foo@1.2.3", Some(1)),
                ("pkg:pypi/bar@4.5.6", Some(4)),
                ("pkg:pypi/baz@7.8.9", Some(6)),
                ("pkg:pypi/qux@1.0", Some(9)),
            ]
        );
        assert_eq!(out.unresolved.len(), 1);
        assert!(out.unresolved[0].reason.contains("environment variable"));
    }

    #[test]
    fn follows_includes_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.txt"),
            "six==1.16.0\n-r requirements.txt\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("requirements.txt"),
            "-r base.txt\nattrs==23.1.0\n",
        )
        .unwrap();
        let path = dir.path().join("requirements.txt");
        let text = std::fs::read_to_string(&path).unwrap();
        let ex = Requirements
            .extract(&SourceFile {
                display: "requirements.txt".into(),
                path: &path,
                text: &text,
            })
            .unwrap();
        let purls: Vec<&str> = ex.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(purls, ["pkg:pypi/six@1.16.0", "pkg:pypi/attrs@23.1.0"]);
        assert_eq!(ex.components[0].locations[0].file, "base.txt");
    }

    #[test]
    fn missing_include_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        let err = Requirements
            .extract(&SourceFile {
                display: "requirements.txt".into(),
                path: &path,
                text: "a==1\n-r nope.txt\n",
            })
            .unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn recognises_file_names() {
        assert!(Requirements.applies_to(Path::new("requirements-dev.txt")));
        assert!(Requirements.applies_to(Path::new("x/requirements/main.txt")));
        assert!(!Requirements.applies_to(Path::new("notes.txt")));
    }
}
