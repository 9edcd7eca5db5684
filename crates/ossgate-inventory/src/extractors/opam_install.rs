//! The packages installed in an opam (OCaml) switch.
//!
//! Two files are read, both inside a switch's `.opam-switch` directory:
//!
//! - `switch-state`, which opam itself writes, in opam's file syntax:
//!   `installed: ["dune.3.7.2" "ocamlfind.1.9.6"]` lists every installed package as
//!   `name.version` and `roots: [...]` those the user asked for (direct). `compiler`, `pinned`
//!   and other fields are not read (pinned and compiler packages are in `installed` too).
//! - `install`, a plain list with one `name.version` per line, `#` comments and anything after
//!   the first word of a line ignored (the shape of `opam list --short --columns=package`
//!   output; osv-scalibr reads this file). It does not say which packages are direct.
//!
//! The text decides which syntax is read: a file with an `opam-version:`, `installed:` or
//! `roots:` field is a switch state. opam package names cannot contain `.`, so `name.version`
//! splits at the first dot. An entry that is not `name.version` is an error with its line.
//! dune's `<package>.install` files (which list files to install, not packages) are not read.
//! The walker skips hidden directories, so a directory scan does not reach `.opam-switch`; scan
//! the file itself.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, loc};
use ossgate_model::{Component, Ecosystem};
use std::collections::HashSet;
use std::path::Path;

pub struct OpamInstall;

fn opam() -> Ecosystem {
    Ecosystem::Other("opam".into())
}

impl Extractor for OpamInstall {
    fn name(&self) -> &'static str {
        "opam-install"
    }

    fn applies_to(&self, path: &Path) -> bool {
        matches!(file_name(path), "install" | "switch-state")
            && path.parent().map(file_name) == Some(".opam-switch")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let err = |line: u32, msg: String| ExtractError::new(&file.display, Some(line), msg);
        let is_state = file.text.lines().any(|l| {
            let l = l.trim_start();
            ["opam-version:", "installed:", "roots:"]
                .iter()
                .any(|f| l.starts_with(f))
        });
        // (entry, line) of every installed package, and the names of the direct ones.
        let (entries, roots): (Vec<(String, u32)>, HashSet<String>) = if is_state {
            let fields = opam_fields(file.text).map_err(|(l, m)| err(l, m))?;
            let list = |name: &str| -> Vec<(String, u32)> {
                fields
                    .iter()
                    .filter(|(f, _)| f == name)
                    .flat_map(|(_, v)| v.iter().cloned())
                    .collect()
            };
            let mut roots = HashSet::new();
            for (entry, line) in list("roots") {
                roots.insert(split_entry(&entry).map_err(|m| err(line, m))?.0.to_string());
            }
            (list("installed"), roots)
        } else {
            let entries = file
                .text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| {
                    let word = l.split_whitespace().next()?;
                    (!word.starts_with('#')).then(|| (word.to_string(), i as u32 + 1))
                })
                .collect();
            (entries, HashSet::new())
        };

        let mut out = Extracted::default();
        for (entry, line) in &entries {
            let (name, version) = split_entry(entry).map_err(|m| err(*line, m))?;
            let mut c = Component::new(opam(), name, version);
            c.locations.push(loc(&file.display, Some(*line)));
            c.direct = roots.contains(name);
            out.components.push(c);
        }
        Ok(out)
    }
}

/// `name.version`, checked against the characters opam allows in each.
fn split_entry(entry: &str) -> Result<(&str, &str), String> {
    let bad = || format!("`{entry}` is not an opam package `name.version`");
    let (name, version) = entry.split_once('.').ok_or_else(bad)?;
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_+".contains(&b));
    let version_ok = !version.is_empty()
        && version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_+.~".contains(&b));
    if name_ok && version_ok {
        Ok((name, version))
    } else {
        Err(bad())
    }
}

/// Top-level fields of an opam file: name, and its string values with their lines.
type Fields = Vec<(String, Vec<(String, u32)>)>;

/// The string values of each top-level field of an opam file, with their lines: `name: "s"`,
/// or `name: [ "a" "b" ... ]`. Strings inside `{ ... }` filters are not values and are
/// skipped; comments (`# ...`, `(* ... *)`) are ignored.
fn opam_fields(text: &str) -> Result<Fields, (u32, String)> {
    let mut fields: Fields = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line = 1u32;
    // Nesting of `[`, `{` and `(` since the current field began.
    let mut stack: Vec<(u8, u32)> = Vec::new();
    let mut word_start: Option<usize> = None;
    while let Some(&b) = bytes.get(i) {
        let is_word = b.is_ascii_alphanumeric() || b"-_+.".contains(&b);
        if is_word {
            word_start.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(start) = word_start.take()
            && b == b':'
            && stack.is_empty()
        {
            let name = text.get(start..i).unwrap_or("").to_string();
            fields.push((name, Vec::new()));
            i += 1;
            continue;
        }
        match b {
            b'\n' => line += 1,
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'(' if bytes.get(i + 1) == Some(&b'*') => {
                let start = line;
                i += 2;
                loop {
                    match bytes.get(i) {
                        None => return Err((start, "unterminated `(*` comment".into())),
                        Some(b'*') if bytes.get(i + 1) == Some(&b')') => break,
                        Some(b'\n') => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'"' => {
                let start = line;
                let triple = bytes.get(i..i + 3) == Some(b"\"\"\"");
                i += if triple { 3 } else { 1 };
                let mut value = Vec::new();
                loop {
                    match bytes.get(i) {
                        None => return Err((start, "unterminated string".into())),
                        Some(b'"') if !triple => break,
                        Some(b'"') if bytes.get(i..i + 3) == Some(b"\"\"\"") => {
                            i += 2;
                            break;
                        }
                        Some(b'\\') => {
                            if let Some(&c) = bytes.get(i + 1) {
                                if c == b'\n' {
                                    line += 1;
                                }
                                value.push(c);
                            }
                            i += 1;
                        }
                        Some(&c) => {
                            if c == b'\n' {
                                line += 1;
                            }
                            value.push(c);
                        }
                    }
                    i += 1;
                }
                let in_filter = stack.iter().any(|(c, _)| *c != b'[');
                if !in_filter && let Some((_, values)) = fields.last_mut() {
                    values.push((String::from_utf8_lossy(&value).into_owned(), start));
                }
            }
            b'[' | b'{' | b'(' => stack.push((b, line)),
            b']' | b'}' | b')' => {
                let open = match b {
                    b']' => b'[',
                    b'}' => b'{',
                    _ => b'(',
                };
                match stack.pop() {
                    Some((o, _)) if o == open => {}
                    _ => return Err((line, format!("unbalanced `{}`", b as char))),
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some((open, l)) = stack.last() {
        return Err((*l, format!("`{}` is never closed", *open as char)));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        OpamInstall.extract(&SourceFile {
            display: "install".into(),
            path: Path::new("_opam/.opam-switch/install"),
            text,
        })
    }

    const STATE: &str = r#"opam-version: "2.0"
compiler: ["base-bigarray.base" "ocaml-base-compiler.4.14.1"]
roots: ["dune.3.7.2" "ocaml-base-compiler.4.14.1" (* a comment "x.1" *)]
installed: [
  "base-bigarray.base"
  "dune.3.7.2" # a comment "y.2"
  "ocaml-base-compiler.4.14.1"
  "seq.base" {"filtered.1"}
  "ppx_deriving.5.2.1"
]
pinned: "ppx_deriving.5.2.1"
"#;

    #[test]
    fn reads_a_switch_state() {
        let ex = run(STATE).unwrap();
        let got: Vec<(&str, &str, bool, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.direct,
                    c.locations[0].line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("base-bigarray", "base", false, Some(5)),
                ("dune", "3.7.2", true, Some(6)),
                ("ocaml-base-compiler", "4.14.1", true, Some(7)),
                ("seq", "base", false, Some(8)),
                ("ppx_deriving", "5.2.1", false, Some(9)),
            ]
        );
        assert_eq!(ex.components[1].purl, "pkg:opam/dune@3.7.2");
        assert_eq!(ex.components[1].ecosystem, opam());
    }

    #[test]
    fn reads_a_plain_list() {
        let ex = run("# list\n\n  dune.3.7.2  # trailing\nlwt.5.7.0 extra words\n").unwrap();
        let got: Vec<(&str, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:opam/dune@3.7.2", Some(3)),
                ("pkg:opam/lwt@5.7.0", Some(4))
            ]
        );
        assert!(ex.components.iter().all(|c| !c.direct));
        assert!(run("").unwrap().components.is_empty());
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("dune.3.7.2\nnot-a-package-entry\n", 2),
            ("dune.3\n.3\n", 2),
            ("a.\n", 1),
            ("a/b.1\n", 1),
            ("opam-version: \"2.0\"\ninstalled: [\n\"dune\"\n]\n", 3),
            ("opam-version: \"2.0\"\ninstalled: [\n\"dune.1\"\n", 2),
            ("opam-version: \"2.0\"\n\ninstalled: [\"dune.1]\n", 3),
            ("opam-version: \"2.0\"\ninstalled: [\"a.1\"}\n", 2),
            ("roots: [\"x\"]\n", 1),
            ("roots: [] (* open\n", 1),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "install");
        }
    }

    #[test]
    fn applies_to_switch_files_only() {
        for p in [
            "_opam/.opam-switch/install",
            "/home/u/.opam/default/.opam-switch/switch-state",
        ] {
            assert!(OpamInstall.applies_to(Path::new(p)), "{p}");
        }
        for p in [
            "foo.install",
            "install",
            ".opam-switch/switch-config",
            "x/install",
        ] {
            assert!(!OpamInstall.applies_to(Path::new(p)), "{p}");
        }
        assert_eq!(OpamInstall.name(), "opam-install");
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        // No exceptions: every fixture matches.
        assert_eq!(check_format(&root, "opam-install", &[], run), (2, 0));
    }
}
