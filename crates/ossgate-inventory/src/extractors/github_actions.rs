//! GitHub Actions: the actions and reusable workflows a repository's workflows use.
//!
//! Read from workflow files (`.github/workflows/*.yml` and `*.yaml`, directly in that directory,
//! where GitHub looks for them) and from action metadata files (`action.yml`, `action.yaml`),
//! whose composite `runs.steps` use other actions. Every `uses:` key is read:
//! - a step's `uses: owner/repo@ref` or `uses: owner/repo/path@ref` (an action in a sub-directory
//!   of the repository), and a job's `uses: owner/repo/.github/workflows/x.yml@ref` (a reusable
//!   workflow), become a component of the `GitHub Actions` ecosystem named `owner/repo` (the
//!   repository is what advisories name) with the ref as version: a tag (`v4`, `v4.1.1`), a
//!   branch, or a full commit SHA, as written. The purl is `pkg:githubactions/owner/repo@ref`.
//! - `./path` and `../path` are the repository's own actions or workflows: not components.
//! - `docker://image:tag` runs a container image, not an action package: reported as unresolved.
//! - a reference without `@ref`, or one made of an expression, is reported as unresolved.
//!
//! Every component is direct (the repository names it) and has the dev scope: actions run in CI
//! and do not ship in the product. A component used several times in one file is one component
//! with one location per use.
//!
//! The file is read with a line scanner rather than a YAML parser, so that every line number is
//! exact and a broken workflow still yields what can be read: no input is an error. The scanner
//! knows enough YAML to skip the text of block scalars (`run: |`, `script: >-`, `- |`) and of
//! quoted scalars spanning several lines, so a `uses:` written inside a shell script is not taken
//! for a step. Flow mappings (`- {uses: a/b@v1}`) are not read.

use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::HashMap;
use std::path::Path;

pub struct GithubActions;

fn ecosystem() -> Ecosystem {
    Ecosystem::Other("GitHub Actions".into())
}

impl Extractor for GithubActions {
    fn name(&self) -> &'static str {
        "github-actions"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = super::file_name(path);
        if name == "action.yml" || name == "action.yaml" {
            return true;
        }
        if !(name.ends_with(".yml") || name.ends_with(".yaml")) {
            return false;
        }
        let mut parents = path.components().rev().skip(1).map(|c| c.as_os_str());
        parents.next().is_some_and(|d| d == "workflows")
            && parents.next().is_some_and(|d| d == ".github")
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (line, value) in uses_values(file.text) {
            match parse_reference(&value) {
                Reference::Local => {}
                Reference::Action {
                    owner,
                    repo,
                    version,
                } => {
                    let p = purl(owner, repo, version);
                    let location = loc(&file.display, Some(line));
                    match index.get(&p) {
                        Some(&i) => {
                            if let Some(c) = out.components.get_mut(i) {
                                c.locations.push(location);
                            }
                        }
                        None => {
                            let mut c = Component::with_purl(
                                ecosystem(),
                                format!("{owner}/{repo}"),
                                version.to_string(),
                                p.clone(),
                            );
                            c.locations.push(location);
                            c.direct = true;
                            c.scope = Scope::Dev;
                            index.insert(p, out.components.len());
                            out.components.push(c);
                        }
                    }
                }
                Reference::Unresolved(reason) => out.unresolved.push(Unresolved {
                    file: file.display.clone(),
                    line: Some(line),
                    text: value,
                    reason: reason.into(),
                }),
            }
        }
        Ok(out)
    }
}

/// `pkg:githubactions/owner/repo@ref`: the owner is the namespace.
fn purl(owner: &str, repo: &str, version: &str) -> String {
    let eco = ecosystem();
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.';
    // The model's purl builder takes the name as one segment; give it the repository and put the
    // owner (letters, digits and `-` on GitHub) in front as the namespace.
    let base = eco.purl(repo, Some(version));
    match base.strip_prefix("pkg:githubactions/") {
        Some(rest) if !owner.is_empty() && owner.bytes().all(plain) => {
            format!("pkg:githubactions/{owner}/{rest}")
        }
        _ => eco.purl(&format!("{owner}/{repo}"), Some(version)),
    }
}

#[derive(Debug, PartialEq)]
enum Reference<'a> {
    /// `./path`: the repository's own action or workflow.
    Local,
    Action {
        owner: &'a str,
        repo: &'a str,
        version: &'a str,
    },
    Unresolved(&'static str),
}

fn parse_reference(value: &str) -> Reference<'_> {
    let v = value.trim();
    if v.starts_with("./") || v.starts_with("../") || v == "." {
        return Reference::Local;
    }
    if v.starts_with("docker://") {
        return Reference::Unresolved("a Docker image, not a GitHub Actions package");
    }
    if v.contains("${{") {
        return Reference::Unresolved("an expression: the action is chosen at run time");
    }
    let Some((path, version)) = v.split_once('@') else {
        return Reference::Unresolved("an action reference without `@ref`");
    };
    let mut segments = path.split('/');
    let (Some(owner), Some(repo)) = (segments.next(), segments.next()) else {
        return Reference::Unresolved("not an `owner/repo@ref` reference");
    };
    let valid = |s: &str| !s.is_empty() && !s.chars().any(char::is_whitespace);
    if !valid(owner) || !valid(repo) || !valid(version) || segments.any(str::is_empty) {
        return Reference::Unresolved("not an `owner/repo@ref` reference");
    }
    Reference::Action {
        owner,
        repo,
        version,
    }
}

/// What the scanner is inside of, carried from one line to the next.
enum State {
    Normal,
    /// A block scalar whose content lines are indented more than this column.
    Block(usize),
    /// A quoted scalar not closed on its first line.
    Quoted(char),
}

/// The (1-based line, value) of every `uses:` key outside scalar text.
fn uses_values(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut state = State::Normal;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let rest = &raw[indent..];
        match state {
            State::Block(col) => {
                if rest.trim().is_empty() || indent > col {
                    continue;
                }
                state = State::Normal;
            }
            State::Quoted(q) => {
                if closing_quote(raw, q).is_some() {
                    state = State::Normal;
                }
                continue;
            }
            State::Normal => {}
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        // Sequence dashes: `- `, possibly several (`- - x`).
        let (mut col, mut rest) = (indent, rest);
        let mut dash_col = None;
        while let Some(after) = rest.strip_prefix('-') {
            if !(after.is_empty() || after.starts_with([' ', '\t'])) {
                break;
            }
            dash_col = Some(col);
            let trimmed = after.trim_start_matches([' ', '\t']);
            col += rest.len() - trimmed.len();
            rest = trimmed;
        }
        let (node_col, key, value) = match split_key(rest) {
            Some((key, value)) => (col, Some(key), value),
            None => (dash_col.unwrap_or(col), None, rest),
        };
        let value = value.trim();
        if is_block_indicator(strip_comment(value)) {
            state = State::Block(node_col);
            continue;
        }
        if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'')
            && closing_quote(&value[1..], q).is_none()
        {
            state = State::Quoted(q);
            continue;
        }
        if key == Some("uses") {
            let v = scalar(value);
            if !v.is_empty() {
                out.push((line_no, v.to_string()));
            }
        }
    }
    out
}

/// `key: value` (or a `key:` ending the line): the key, unquoted, and the value text.
fn split_key(s: &str) -> Option<(&str, &str)> {
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = closing_quote(&s[1..], q)? + 1;
        let key = &s[1..end];
        let after = s[end + 1..].trim_start();
        let value = after.strip_prefix(':')?;
        return (value.is_empty() || value.starts_with([' ', '\t'])).then_some((key, value));
    }
    if s.starts_with(['{', '[', '|', '>', '&', '*', '!', '%', '@', '`']) {
        return None;
    }
    let mut search = 0;
    while let Some(p) = s[search..].find(':') {
        let at = search + p;
        let after = &s[at + 1..];
        if after.is_empty() || after.starts_with([' ', '\t']) {
            let key = s[..at].trim_end();
            // A ` #` before the colon makes the rest a comment.
            if key.contains(" #") {
                return None;
            }
            return Some((key, after));
        }
        search = at + 1;
    }
    None
}

/// The byte index in `s` of the quote closing a scalar opened before `s`.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            return Some(i);
        }
    }
    None
}

/// A value without its trailing comment (` # ...`).
fn strip_comment(value: &str) -> &str {
    if value.starts_with('#') {
        return "";
    }
    match value.find(" #").or_else(|| value.find("\t#")) {
        Some(p) => value[..p].trim_end(),
        None => value,
    }
}

/// `|`, `>`, with chomping and indentation indicators (`|-`, `>+`, `|2`).
fn is_block_indicator(value: &str) -> bool {
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

/// A one-line scalar's text: quotes removed (with their escapes), or a plain value's comment.
fn scalar(value: &str) -> String {
    let value = value.trim();
    if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &value[1..];
        let end = closing_quote(inner, q).unwrap_or(inner.len());
        let body = &inner[..end];
        return if q == '\'' {
            body.replace("''", "'")
        } else {
            body.replace("\\\"", "\"").replace("\\\\", "\\")
        };
    }
    strip_comment(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Extracted {
        GithubActions
            .extract(&SourceFile {
                display: ".github/workflows/ci.yml".into(),
                path: Path::new(".github/workflows/ci.yml"),
                text,
            })
            .unwrap()
    }

    fn summary(ex: &Extracted) -> Vec<(&str, &str, &str, Vec<u32>)> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_str(),
                    c.purl.as_str(),
                    c.locations.iter().filter_map(|l| l.line).collect(),
                )
            })
            .collect()
    }

    const WORKFLOW: &str = r#"name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Setup
        uses: "actions/setup-node@b39b52d1213e96004bfcb1c61a8a6fa8ab84f3e8" # v4.0.1
        with:
          node-version: 20
      - run: |
          echo "uses: evil/action@v1"
          cat <<EOF
          - uses: not/this@v2
          EOF

      - run: >-
          uses: also/not@v3
      - uses: github/codeql-action/init@v3
      - uses: ./.github/actions/local
      - uses: docker://alpine:3.8
      - uses: 'actions/checkout@v4'
      - name: "a quoted
          uses: inside/quote@v1
          name"
        uses: owner/repo@release/v1
  call:
    uses: octo-org/example-repo/.github/workflows/reusable.yml@main
  local:
    uses: ./.github/workflows/other.yml
"#;

    #[test]
    fn reads_steps_reusable_workflows_and_skips_scripts() {
        let ex = run(WORKFLOW);
        assert_eq!(
            summary(&ex),
            [
                (
                    "actions/checkout",
                    "v4",
                    "pkg:githubactions/actions/checkout@v4",
                    vec![7, 23]
                ),
                (
                    "actions/setup-node",
                    "b39b52d1213e96004bfcb1c61a8a6fa8ab84f3e8",
                    "pkg:githubactions/actions/setup-node@b39b52d1213e96004bfcb1c61a8a6fa8ab84f3e8",
                    vec![9]
                ),
                (
                    "github/codeql-action",
                    "v3",
                    "pkg:githubactions/github/codeql-action@v3",
                    vec![20]
                ),
                (
                    "owner/repo",
                    "release/v1",
                    "pkg:githubactions/owner/repo@release/v1",
                    vec![27]
                ),
                (
                    "octo-org/example-repo",
                    "main",
                    "pkg:githubactions/octo-org/example-repo@main",
                    vec![29]
                ),
            ]
        );
        assert!(
            ex.components
                .iter()
                .all(|c| c.direct && c.scope == Scope::Dev && c.ecosystem == ecosystem())
        );
        let unresolved: Vec<_> = ex
            .unresolved
            .iter()
            .map(|u| (u.line, u.text.as_str()))
            .collect();
        assert_eq!(unresolved, [(Some(22), "docker://alpine:3.8")]);
    }

    #[test]
    fn composite_action_metadata() {
        let text = "name: My action\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@v3.3.2\n      with:\n        path: ~/.cache\n    - shell: bash\n      run: echo done\n";
        let ex = GithubActions
            .extract(&SourceFile {
                display: "action.yml".into(),
                path: Path::new("action.yml"),
                text,
            })
            .unwrap();
        assert_eq!(
            summary(&ex),
            [(
                "actions/cache",
                "v3.3.2",
                "pkg:githubactions/actions/cache@v3.3.2",
                vec![5]
            )]
        );
    }

    #[test]
    fn block_scalars_end_at_the_key_indentation() {
        // Content at any deeper indentation belongs to the script, including blank lines and
        // lines that look like keys; the next sibling key ends it.
        let text = "steps:\n  - run: |\n\n      uses: x/y@1\n     uses: x/z@1\n    uses: a/b@1\n  - args:\n      - |\n        uses: c/d@1\n      - uses: e/f@1\n";
        let ex = run(text);
        let got: Vec<_> = summary(&ex).into_iter().map(|s| (s.0, s.3)).collect();
        assert_eq!(got, [("a/b", vec![6]), ("e/f", vec![10])]);
    }

    #[test]
    fn broken_workflows_yield_what_they_can() {
        let text = "jobs:\n  a:\n    steps: [\n      - uses: actions/checkout@v4\n    -- weird\n\t- uses: tabbed/action@v1 # comment\n";
        let ex = run(text);
        let got: Vec<_> = summary(&ex).into_iter().map(|s| (s.0, s.3)).collect();
        assert_eq!(
            got,
            [("actions/checkout", vec![4]), ("tabbed/action", vec![6])]
        );
        assert!(run("").components.is_empty());
        assert!(run("\u{0}\u{1}: [\n'unterminated\n").components.is_empty());
        assert!(run("uses:\nuses: ''\n").unresolved.is_empty());
    }

    #[test]
    fn references() {
        use Reference::*;
        assert_eq!(parse_reference("./x"), Local);
        assert_eq!(parse_reference("../x"), Local);
        assert_eq!(
            parse_reference("a/b/c/d@v1"),
            Action {
                owner: "a",
                repo: "b",
                version: "v1"
            }
        );
        for bad in [
            "a@v1",
            "a/b",
            "a/b@",
            "/b@v1",
            "a//c@v1",
            "a/b/@v1",
            "${{ matrix.action }}",
            "docker://alpine",
        ] {
            assert!(matches!(parse_reference(bad), Unresolved(_)), "{bad}");
        }
        let ex = run("steps:\n  - uses: actions/checkout\n  - uses: ${{ inputs.x }}@v1\n");
        assert!(ex.components.is_empty());
        let lines: Vec<_> = ex.unresolved.iter().map(|u| u.line).collect();
        assert_eq!(lines, [Some(2), Some(3)]);
    }

    #[test]
    fn quoted_keys_and_scalars() {
        let ex =
            run("\"uses\": 'it''s/odd@v1'\n'uses': \"a/b@v\\\"2\"\nx: 'multi\n  uses: no/no@v1'\n");
        let got: Vec<_> = summary(&ex).into_iter().map(|s| (s.0, s.1)).collect();
        assert_eq!(got, [("it's/odd", "v1"), ("a/b", "v\"2")]);
    }

    #[test]
    fn every_prefix_and_odd_bytes_read_without_panic() {
        let odd = "- uses: \"é\\\"a/b@v1\n  'uses': 'x''\n\t-\t- uses: a/b@\u{2028}\n- |\u{feff}\n run: >9\n";
        for text in [WORKFLOW, odd] {
            for (i, _) in text.char_indices() {
                let _ = run(&text[..i]);
                let _ = run(&text[i..]);
            }
        }
    }

    #[test]
    fn applies_to_workflows_and_action_metadata() {
        let yes = [
            ".github/workflows/ci.yml",
            "repo/.github/workflows/release.yaml",
            "action.yml",
            "sub/dir/action.yaml",
        ];
        let no = [
            ".github/ci.yml",
            "workflows/ci.yml",
            ".github/workflows/README.md",
            ".github/workflows/sub/ci.yml",
            "github/workflows/ci.yml",
            ".github/dependabot.yml",
            "actions.yml",
        ];
        for p in yes {
            assert!(GithubActions.applies_to(Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!GithubActions.applies_to(Path::new(p)), "{p}");
        }
        assert_eq!(GithubActions.name(), "github-actions");
    }
}
