//! Bun's text lockfile `bun.lock` (lockfileVersion 0 and 1). The binary `bun.lockb` is not read.
//!
//! The file is JSON with trailing commas, and Bun's parser also accepts comments (JSONC). A small
//! tolerant pre-pass ([`clean`]) turns it into strict JSON for `serde_json`: comments become
//! nothing (their newlines are kept, so error lines stay right), trailing commas before `}` and
//! `]` are dropped. The same pass notes the line of every key of the top-level `packages` object.
//!
//! - `workspaces` maps each workspace path (`""` is the root) to its `name` and declared
//!   `dependencies`, `devDependencies`, `optionalDependencies` and `peerDependencies`: those are
//!   the direct dependencies.
//! - `packages` maps an install path (`name`, or `parent/name` for a copy nested under `parent`,
//!   scoped names included) to a tuple whose first element is `name@reference`. A registry package
//!   is `[ident, registry, info, integrity]`; git, GitHub, tarball and `file:` packages are
//!   `[ident, info, ...]`; `workspace:`, `link:` and `root:` entries are the project's own. The
//!   install path may be an alias: the component takes the real name from the ident.
//! - The `info` object's `dependencies`, `optionalDependencies` and `peerDependencies` are
//!   resolved like Node does (the nested copy first, then each enclosing level) into edges.
//!
//! Scope comes from reachability: a package reached from a workspace's `dependencies` or
//! `peerDependencies` through required edges is runtime; reached only through an optional
//! dependency, optional; reached only from `devDependencies`, dev.
//!
//! Git, GitHub, tarball and `file:` packages carry no registry version (the peer tools report
//! them with an empty version): they go to `unresolved`. A tuple whose first element is not a
//! `name@reference` string makes the file unreadable: an error naming the package and line.

use super::{file_name, json_error};
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::path::Path;

pub struct BunLock;

impl Extractor for BunLock {
    fn name(&self) -> &'static str {
        "bun-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "bun.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let cleaned = clean(file.text);
        let root: Value =
            serde_json::from_str(&cleaned.json).map_err(|e| json_error(&file.display, e))?;
        let Some(obj) = root.as_object() else {
            return Err(ExtractError::new(
                &file.display,
                Some(1),
                "expected a JSON object",
            ));
        };
        let empty = Map::new();
        let packages = match obj.get("packages") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                return Err(ExtractError::new(
                    &file.display,
                    cleaned.line("", "packages"),
                    "`packages` is not an object",
                ));
            }
        };
        let workspaces = match obj.get("workspaces") {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(w)) => w,
            Some(_) => {
                return Err(ExtractError::new(
                    &file.display,
                    Some(1),
                    "`workspaces` is not an object",
                ));
            }
        };
        read(file, &cleaned, workspaces, packages)
    }
}

/// Dependency maps whose targets must be installed.
const REQUIRED: &[&str] = &["dependencies", "peerDependencies"];
/// Dependency maps whose targets may be missing (a platform package, an optional peer).
const OPTIONAL: &[&str] = &["optionalDependencies"];

/// One `packages` entry.
struct Entry<'a> {
    key: &'a str,
    line: Option<u32>,
    info: Option<&'a Map<String, Value>>,
    /// Index into the output components, for registry packages.
    component: Option<usize>,
}

fn read(
    file: &SourceFile,
    cleaned: &Cleaned,
    workspaces: &Map<String, Value>,
    packages: &Map<String, Value>,
) -> Result<Extracted, ExtractError> {
    // Entries in file order (serde_json's map is sorted by key).
    let mut entries: Vec<Entry> = packages
        .iter()
        .map(|(key, _)| Entry {
            key,
            line: cleaned.line("packages", key),
            info: None,
            component: None,
        })
        .collect();
    entries.sort_by_key(|e| (e.line.is_none(), e.line));

    let mut out = Extracted::default();
    let mut by_purl: HashMap<String, usize> = HashMap::new();
    for entry in &mut entries {
        let bad = |what: &str| {
            ExtractError::new(
                &file.display,
                entry.line,
                format!("could not extract '{}': {what}", entry.key),
            )
        };
        let tuple = packages
            .get(entry.key)
            .and_then(Value::as_array)
            .ok_or_else(|| bad("the entry is not an array"))?;
        let ident = tuple
            .first()
            .and_then(Value::as_str)
            .ok_or_else(|| bad("the first element is not a `name@version` string"))?;
        let (name, reference) = split_ident(ident)
            .ok_or_else(|| bad("the first element is not a `name@version` string"))?;
        entry.info = tuple.iter().skip(1).find_map(Value::as_object);
        let kind = reference.split(':').next().unwrap_or("");
        if reference.starts_with(|c: char| c.is_ascii_digit()) && !reference.contains(':') {
            let purl = Ecosystem::Npm.purl(name, Some(reference));
            let c = match by_purl.get(&purl) {
                Some(&c) => c,
                None => {
                    let c = out.components.len();
                    out.components.push(Component::with_purl(
                        Ecosystem::Npm,
                        name.to_string(),
                        reference.to_string(),
                        purl.clone(),
                    ));
                    by_purl.insert(purl, c);
                    c
                }
            };
            out.components[c]
                .locations
                .push(loc(&file.display, entry.line));
            entry.component = Some(c);
        } else if matches!(kind, "workspace" | "link" | "root") {
            // The project's own packages.
        } else {
            out.unresolved.push(Unresolved {
                file: file.display.clone(),
                line: entry.line,
                text: ident.to_string(),
                reason: format!(
                    "bun.lock {} package without a registry version",
                    match kind {
                        "github" | "gitlab" | "bitbucket" => "git",
                        k if k.starts_with("git") => "git",
                        "file" => "local file",
                        "http" | "https" => "tarball",
                        _ => "non-registry",
                    }
                ),
            });
        }
    }

    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key, i))
        .collect();
    // `name` as seen from install path `from`: `from/name`, then each enclosing level.
    let resolve = |from: &str, name: &str| -> Option<usize> {
        let mut base = from.to_string();
        loop {
            let candidate = if base.is_empty() {
                name.to_string()
            } else {
                format!("{base}/{name}")
            };
            if let Some(&i) = index.get(candidate.as_str()) {
                return Some(i);
            }
            if base.is_empty() {
                return None;
            }
            base = parent(&base).to_string();
        }
    };
    let edges = |maps: &[&str]| -> Vec<Vec<usize>> {
        entries
            .iter()
            .map(|e| {
                dep_names(e.info, maps)
                    .filter_map(|d| resolve(e.key, d))
                    .collect()
            })
            .collect()
    };
    let required = edges(REQUIRED);
    let optional = edges(OPTIONAL);
    let all: Vec<Vec<usize>> = required
        .iter()
        .zip(&optional)
        .map(|(r, o)| r.iter().chain(o).copied().collect())
        .collect();

    // Workspace declarations: a workspace named `w` finds its own copies under `w/`.
    let (mut prod, mut opt, mut dev) = (Vec::new(), Vec::new(), Vec::new());
    for (path, ws) in workspaces {
        let ws = ws.as_object();
        let base = match ws.and_then(|w| w.get("name")).and_then(Value::as_str) {
            Some(n) if !path.is_empty() => n,
            _ => "",
        };
        let roots = |maps: &[&str]| -> Vec<usize> {
            dep_names(ws, maps)
                .filter_map(|d| resolve(base, d))
                .collect()
        };
        prod.extend(roots(REQUIRED));
        opt.extend(roots(OPTIONAL));
        dev.extend(roots(&["devDependencies"]));
    }
    let reach_required = reachable(&required, &prod);
    let reach_prod = reachable(&all, &[prod.as_slice(), opt.as_slice()].concat());
    let reach_dev = reachable(&all, &dev);

    let mut scopes: Vec<Option<Scope>> = vec![None; out.components.len()];
    for (i, e) in entries.iter().enumerate() {
        let Some(c) = e.component else { continue };
        let scope = if reach_required[i] {
            Scope::Runtime
        } else if reach_prod[i] {
            Scope::Optional
        } else if reach_dev[i] {
            Scope::Dev
        } else {
            Scope::Runtime
        };
        scopes[c] = Some(scopes[c].map_or(scope, |s| s.widest(scope)));
        let deps: Vec<String> = all[i]
            .iter()
            .filter_map(|&j| entries[j].component)
            .filter(|&d| d != c)
            .map(|d| out.components[d].purl.clone())
            .collect();
        out.components[c].dependencies.extend(deps);
    }
    for &r in prod.iter().chain(&opt).chain(&dev) {
        if let Some(c) = entries[r].component {
            out.components[c].direct = true;
        }
    }
    for (c, s) in out.components.iter_mut().zip(scopes) {
        c.scope = s.unwrap_or_default();
        c.dependencies.sort();
        c.dependencies.dedup();
    }
    Ok(out)
}

/// `name@reference`, the name possibly scoped (`@scope/name@1.0.0`).
fn split_ident(ident: &str) -> Option<(&str, &str)> {
    let at = ident.get(1..)?.find('@')? + 1;
    let name = ident.get(..at)?;
    let reference = ident.get(at + 1..)?;
    (!name.is_empty() && !reference.is_empty()).then_some((name, reference))
}

/// The install path one level up: `a/@s/b/c` → `a/@s/b`, `a` → ``.
fn parent(path: &str) -> &str {
    let Some(i) = path.rfind('/') else {
        return "";
    };
    let head = path.get(..i).unwrap_or("");
    // `@scope/name` is one package name: drop the scope too.
    match head.rfind('/') {
        Some(j) if head.get(j + 1..).is_some_and(|s| s.starts_with('@')) => {
            head.get(..j).unwrap_or("")
        }
        None if head.starts_with('@') => "",
        _ => head,
    }
}

fn dep_names<'a>(
    obj: Option<&'a Map<String, Value>>,
    maps: &'a [&'a str],
) -> impl Iterator<Item = &'a str> + 'a {
    maps.iter()
        .filter_map(move |k| obj.and_then(|o| o.get(*k)).and_then(Value::as_object))
        .flat_map(|m| m.keys().map(String::as_str))
}

/// The entries reachable from `roots` (roots included).
fn reachable(edges: &[Vec<usize>], roots: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut queue: VecDeque<usize> = roots.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        if seen[n] {
            continue;
        }
        seen[n] = true;
        queue.extend(edges[n].iter().copied().filter(|&m| !seen[m]));
    }
    seen
}

/// The strict-JSON text of a JSONC file, and where its keys are.
pub(super) struct Cleaned {
    pub(super) json: String,
    /// 1-based line of the first occurrence of each key of the top-level object, as
    /// `("", key)`, and of each key of an object that is a top-level member, as `(member, key)`.
    key_lines: HashMap<(String, String), u32>,
}

impl Cleaned {
    /// The line of top-level key `key` (`top` = "") or of `key` inside top-level member `top`.
    pub(super) fn line(&self, top: &str, key: &str) -> Option<u32> {
        self.key_lines
            .get(&(top.to_string(), key.to_string()))
            .copied()
    }
}

/// The tolerant pre-pass: JSONC (comments, trailing commas) to JSON, line structure kept. Also
/// used by the `package.json` and `deno.json` extractors for their key lines.
///
/// Outside strings, `//` comments run to the end of the line and `/* */` comments to their
/// close; both are dropped, keeping their newlines. A comma followed (past whitespace and
/// comments) by `}` or `]` is replaced by a space. Everything else is copied as is, so that
/// `serde_json` reports any other fault at its real line. Along the way, strings followed by `:`
/// are keys: those at depth 1 name the current top-level member, and those at depths 1 and 2
/// are recorded with their line.
pub(super) fn clean(text: &str) -> Cleaned {
    let mut out = String::with_capacity(text.len());
    let mut key_lines = HashMap::new();
    let mut chars = text.char_indices().peekable();
    let mut line: u32 = 1;
    let mut depth: usize = 0;
    let mut top_key: Option<String> = None;
    let mut pending_comma: Option<usize> = None;
    // The last string seen, at (its text, line, depth), until something other than
    // whitespace or comments follows it.
    let mut last_string: Option<(String, u32, usize)> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let mut end = text.len();
                let mut escaped = false;
                for (j, d) in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                    }
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j + 1;
                        break;
                    }
                }
                let literal = text.get(i..end).unwrap_or("");
                out.push_str(literal);
                pending_comma = None;
                last_string = serde_json::from_str::<String>(literal)
                    .ok()
                    .map(|s| (s, line, depth));
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                while let Some(&(_, d)) = chars.peek() {
                    if d == '\n' {
                        break;
                    }
                    chars.next();
                }
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                chars.next();
                let mut star = false;
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        line += 1;
                        out.push('\n');
                    }
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            ',' => {
                pending_comma = Some(out.len());
                last_string = None;
                out.push(',');
            }
            '}' | ']' => {
                if let Some(p) = pending_comma.take() {
                    out.replace_range(p..p + 1, " ");
                }
                depth = depth.saturating_sub(1);
                last_string = None;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                pending_comma = None;
                last_string = None;
                out.push(c);
            }
            ':' => {
                if let Some((key, key_line, key_depth)) = last_string.take() {
                    if key_depth == 1 {
                        key_lines
                            .entry((String::new(), key.clone()))
                            .or_insert(key_line);
                        top_key = Some(key);
                    } else if key_depth == 2
                        && let Some(top) = &top_key
                    {
                        key_lines.entry((top.clone(), key)).or_insert(key_line);
                    }
                }
                pending_comma = None;
                out.push(':');
            }
            '\n' => {
                line += 1;
                out.push('\n');
            }
            c if c.is_whitespace() => out.push(c),
            c => {
                pending_comma = None;
                last_string = None;
                out.push(c);
            }
        }
    }
    Cleaned {
        json: out,
        key_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use std::collections::BTreeMap;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        BunLock.extract(&SourceFile {
            display: "bun.lock".into(),
            path: Path::new("/nonexistent/bun.lock"),
            text,
        })
    }

    const LOCK: &str = r#"{
  // written by bun 1.2
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": {
        "chalk": "^4.0.0",
        "old": "npm:supports-color@^5",
        "lib": "workspace:*",
      },
      "optionalDependencies": { "fsevents": "^2" },
      "devDependencies": { "tool": "^1", "gitdep": "github:o/r" },
    },
    "packages/lib": {
      "name": "lib",
      "dependencies": { "chalk": "^3.0.0" },
    },
  },
  "packages": {
    "chalk": ["chalk@4.1.2", "", { "dependencies": { "supports-color": "^7.1.0" } }, "sha512-x"],

    "fsevents": ["fsevents@2.3.3", "", { "dependencies": { "nan": "^2" }, "os": "darwin" }, "sha512-x"],

    /* a block
       comment */
    "gitdep": ["gitdep@github:o/r#abc1234", {}, "o-r-abc1234"],

    "lib": ["lib@workspace:packages/lib"],

    "lib/chalk": ["chalk@3.0.0", "", {}, "sha512-x"],

    "nan": ["nan@2.22.0", "", {}, "sha512-x"],

    "old": ["supports-color@5.5.0", "", { "dependencies": { "has-flag": "^3" } }, "sha512-x"],

    "old/has-flag": ["has-flag@3.0.0", "", {}, "sha512-x"],

    "supports-color": ["supports-color@7.2.0", "", { "dependencies": { "has-flag": "^4" } }, "sha512-x"],

    "has-flag": ["has-flag@4.0.0", "", {}, "sha512-x"],

    "tool": ["tool@1.0.0", "", { "dependencies": { "has-flag": "^4", "@s/x": "1" } }, "sha512-x"],

    "@s/x": ["@s/x@1.0.0", "", { "dependencies": { "y": "1" } }, "sha512-x"],

    "@s/x/y": ["y@1.0.0", "", {}, "sha512-x"],
  },
}
"#;

    #[test]
    fn packages_lines_direct_scopes_and_edges() {
        let ex = run(LOCK).unwrap();
        let got: Vec<(&str, Option<u32>, bool, Scope)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line, c.direct, c.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:npm/chalk@4.1.2", Some(21), true, Scope::Runtime),
                ("pkg:npm/fsevents@2.3.3", Some(23), true, Scope::Optional),
                ("pkg:npm/chalk@3.0.0", Some(31), true, Scope::Runtime),
                ("pkg:npm/nan@2.22.0", Some(33), false, Scope::Optional),
                (
                    "pkg:npm/supports-color@5.5.0",
                    Some(35),
                    true,
                    Scope::Runtime
                ),
                ("pkg:npm/has-flag@3.0.0", Some(37), false, Scope::Runtime),
                (
                    "pkg:npm/supports-color@7.2.0",
                    Some(39),
                    false,
                    Scope::Runtime
                ),
                ("pkg:npm/has-flag@4.0.0", Some(41), false, Scope::Runtime),
                ("pkg:npm/tool@1.0.0", Some(43), true, Scope::Dev),
                ("pkg:npm/%40s/x@1.0.0", Some(45), false, Scope::Dev),
                ("pkg:npm/y@1.0.0", Some(47), false, Scope::Dev),
            ]
        );
        let deps = |purl: &str| {
            ex.components
                .iter()
                .find(|c| c.purl == purl)
                .unwrap()
                .dependencies
                .clone()
        };
        // The nested copy wins over the hoisted one; scoped parents resolve.
        assert_eq!(
            deps("pkg:npm/supports-color@5.5.0"),
            ["pkg:npm/has-flag@3.0.0"]
        );
        assert_eq!(
            deps("pkg:npm/supports-color@7.2.0"),
            ["pkg:npm/has-flag@4.0.0"]
        );
        assert_eq!(deps("pkg:npm/%40s/x@1.0.0"), ["pkg:npm/y@1.0.0"]);
        assert_eq!(
            deps("pkg:npm/tool@1.0.0"),
            ["pkg:npm/%40s/x@1.0.0", "pkg:npm/has-flag@4.0.0"]
        );
        // The git package is unresolved, the workspace package is the project's own.
        assert_eq!(ex.unresolved.len(), 1);
        assert_eq!(ex.unresolved[0].text, "gitdep@github:o/r#abc1234");
        assert_eq!(ex.unresolved[0].line, Some(27));
        assert!(ex.unresolved[0].reason.contains("git"));
    }

    #[test]
    fn pre_pass_keeps_strings_and_lines() {
        let c = clean("{\n \"a//b\": \"x/*y*/\", // c\n \"packages\": {\"k,\": [1,],},\n}");
        let v: Value = serde_json::from_str(&c.json).unwrap();
        assert_eq!(v["a//b"], "x/*y*/");
        assert_eq!(v["packages"]["k,"], serde_json::json!([1]));
        assert_eq!(c.line("packages", "k,"), Some(3));
        assert_eq!(c.line("", "packages"), Some(3));
        assert_eq!(c.line("", "a//b"), Some(2));
        assert_eq!(c.line("", "k,"), None);
        assert_eq!(parent("a/@s/b/c"), "a/@s/b");
        assert_eq!(parent("a/@s/b"), "a");
        assert_eq!(parent("@s/b"), "");
        assert_eq!(parent("a"), "");
        assert_eq!(split_ident("@s/b@1.0.0"), Some(("@s/b", "1.0.0")));
        assert_eq!(
            split_ident("x@git+ssh://git@h/r"),
            Some(("x", "git+ssh://git@h/r"))
        );
        assert_eq!(split_ident("nover"), None);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let err = run("{\n  \"packages\": {\n    \"a\": [\"a@1.0.0\" \"\"],\n  },\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = run("{\n  \"packages\": {\n    \"a\": [1, \"\"],\n  },\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("could not extract 'a'"));
        for text in [
            "[]",
            "{\"packages\": []}",
            "{\"packages\": {\"a\": \"a@1\"}}",
            "{\"packages\": {\"a\": []}}",
            "{\"packages\": {\"a\": [\"a\"]}}",
            "{\"workspaces\": 1}",
            "{ /* unterminated",
            "",
        ] {
            assert!(run(text).is_err(), "{text}");
        }
        assert!(run("{}").unwrap().components.is_empty());
        assert!(BunLock.applies_to(Path::new("x/bun.lock")));
        assert!(!BunLock.applies_to(Path::new("x/bun.lockb")));
    }

    /// Fixtures whose peer result we deliberately do not reproduce, with the reason.
    const EXCEPTIONS: &[(&str, &str)] = &[
        (
            "lockfiles/npm/bun-lock/blog-sample.json5",
            "git package reported by the peer with an empty version; unresolved here",
        ),
        (
            "lockfiles/npm/bun-lock/commits.json5",
            "git packages reported by the peer with an empty version; unresolved here",
        ),
        (
            "lockfiles/npm/bun-lock/files.json5",
            "a `file:` package reported by the peer with an empty version; unresolved here",
        ),
    ];

    /// Every bun-lock fixture: `bad-tuple` must fail; the others give the expected multiset,
    /// except that the peer's empty-version entries (git, `file:`) are compared by name against
    /// the unresolved list; lines match where the fixtures give them.
    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut failed, mut excepted) = (0, 0, 0);
        for r in peer_records(&root, |r| r["format"] == "bun-lock") {
            let fixture = fixture(&r);
            let result = run(&fixture_text(&root, &r));
            if r.get("expect_error").is_some() {
                let err = result.expect_err(fixture);
                assert!(
                    err.message.contains("could not extract 'wrappy-bad1'"),
                    "{err}"
                );
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let excepted_here = EXCEPTIONS.iter().any(|(f, _)| *f == fixture);
            let mut want: BTreeMap<(String, String), usize> = BTreeMap::new();
            let mut want_unresolved: Vec<String> = Vec::new();
            for e in &expected(&root, &r) {
                let (name, version) = name_version(e);
                if excepted_here && version.is_empty() {
                    want_unresolved.push(name);
                } else {
                    *want.entry((name, version)).or_default() += 1;
                }
                if let Some(line) = e["location"]["line"].as_u64() {
                    let line = Some(line as u32);
                    let found =
                        ex.components.iter().any(|c| {
                            c.name == e["name"] && c.locations.iter().any(|l| l.line == line)
                        }) || ex.unresolved.iter().any(|u| u.line == line);
                    assert!(found, "{fixture}: {e}");
                }
            }
            assert_eq!(packages(&ex.components), want, "{fixture}");
            let mut unresolved: Vec<String> = ex
                .unresolved
                .iter()
                .map(|u| split_ident(&u.text).unwrap().0.to_string())
                .collect();
            unresolved.sort();
            want_unresolved.sort();
            assert_eq!(unresolved, want_unresolved, "{fixture}");
            excepted += usize::from(excepted_here);
            checked += 1;
        }
        assert_eq!((checked, failed, excepted), (12, 1, EXCEPTIONS.len()));
    }
}
