//! `pyproject.toml`: the dependencies a Python project declares (a manifest, read only when no
//! lockfile covers it: see [`PYTHON_LOCKS`]).
//!
//! Read, every entry direct:
//! - PEP 621 `[project] dependencies` (runtime) and `[project.optional-dependencies]` (optional):
//!   lists of PEP 508 requirement strings;
//! - PEP 735 `[dependency-groups]` (dev): lists of requirement strings and `{include-group}`
//!   tables (the included group is read on its own, so an include adds nothing);
//! - Poetry: `[tool.poetry.dependencies]` (runtime; `optional = true` makes it optional; `python`
//!   is the interpreter, not a package), `[tool.poetry.dev-dependencies]` and
//!   `[tool.poetry.group.<name>.dependencies]` (dev; the group `main` is the runtime group).
//!   Values are constraint strings, tables (`version`, `optional`, `git`, `path`, `url`...) or
//!   arrays of such tables (one per marker set). When `[project] dependencies` is present, Poetry
//!   2 only uses `[tool.poetry.dependencies]` to enrich those entries, so it adds none; a `git`,
//!   `path` or `url` there still marks the named project dependency as not a PyPI release;
//! - PDM `[tool.pdm.dev-dependencies]` and uv `[tool.uv] dev-dependencies` (dev): lists of
//!   requirement strings. `[tool.uv.sources]` entries with `git`, `path`, `url` or `workspace`
//!   mark the named dependency as not a PyPI release.
//!
//! Not read: `[build-system] requires` (build tools of the packaging step, not dependencies of the
//! project), the project's own name and version (the peer tools do not report the project itself),
//! and `dynamic = ["dependencies"]` (computed by the build backend).
//!
//! Versions. A manifest names requirements, not installed versions. Only an exact pin, `==v` /
//! `===v` (and a bare Poetry version, which Poetry reads as `==v`), is a component at `v`.
//! Everything else goes to `Extracted.unresolved` with a reason: bounds (`>=1.8,<2`), no
//! specifier (`numpy`, Poetry's `*`), `~=`, `^`, `~`, wildcards, alternatives, and direct
//! references (`name @ url`, git, path, url). The peer tools report a bound's version
//! (`>=1.8` as 1.8) or an empty version; ossgate does not guess which version the installer
//! picks, and the peer-fixture test checks that each such package is listed as unresolved.
//!
//! The same (normalised name, version) declared twice is one component with both locations and the
//! widest scope. Lines come from the TOML parser's spans.

use super::python::pep508_name;
use super::{file_name, toml_error};
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub struct PyprojectToml;

/// The Python lockfiles that make a manifest (`pyproject.toml`, `setup.py`) redundant.
pub(super) const PYTHON_LOCKS: &[&str] = &[
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "Pipfile.lock",
];

impl Extractor for PyprojectToml {
    fn name(&self) -> &'static str {
        "pyproject-toml"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "pyproject.toml"
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        PYTHON_LOCKS
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let doc = DeTable::parse(file.text).map_err(|e| toml_error(&file.display, file.text, e))?;
        let doc = doc.get_ref();
        let mut r = Reader {
            file,
            acc: Declared::new(&file.display),
            sources: HashMap::new(),
        };
        let tool = doc.get("tool").map(|t| r.table(t, "tool")).transpose()?;
        let poetry = tool
            .and_then(|t| t.get("poetry"))
            .map(|t| r.table(t, "tool.poetry"))
            .transpose()?;
        let project = doc
            .get("project")
            .map(|t| r.table(t, "project"))
            .transpose()?;
        let project_deps = project.and_then(|p| p.get("dependencies"));

        // Sources that take a name away from PyPI: uv's, and Poetry 2's enrichment.
        if let Some(uv_sources) = tool
            .and_then(|t| t.get("uv"))
            .and_then(|u| u.get_ref().get("sources"))
        {
            for (name, spec) in in_order(r.table(uv_sources, "tool.uv.sources")?) {
                let specs: Vec<&DeValue> = match spec.get_ref() {
                    DeValue::Array(a) => a.iter().map(|s| s.get_ref()).collect(),
                    v => vec![v],
                };
                for s in specs {
                    if let Some(kind) = ["git", "path", "url", "workspace"]
                        .into_iter()
                        .find(|k| s.get(*k).is_some())
                    {
                        r.sources.insert(
                            Ecosystem::PyPI.normalize_name(name.get_ref()),
                            format!("installed from a {kind} source in [tool.uv.sources]"),
                        );
                    }
                }
            }
        }

        // Poetry 2 with a [project] list: its dependency table only enriches that list.
        let poetry_deps = poetry.and_then(|p| p.get("dependencies"));
        if let (Some(deps), Some(_)) = (poetry_deps, project_deps) {
            r.poetry_table(deps, "tool.poetry.dependencies", Scope::Runtime, true)?;
        }

        if let Some(deps) = project_deps {
            r.pep508_list(deps, "project.dependencies", Scope::Runtime)?;
        }
        if let Some(extras) = project.and_then(|p| p.get("optional-dependencies")) {
            for (extra, list) in in_order(r.table(extras, "project.optional-dependencies")?) {
                let what = format!("project.optional-dependencies.{}", extra.get_ref());
                r.pep508_list(list, &what, Scope::Optional)?;
            }
        }
        if let Some(groups) = doc.get("dependency-groups") {
            for (group, list) in in_order(r.table(groups, "dependency-groups")?) {
                let what = format!("dependency-groups.{}", group.get_ref());
                r.pep508_list(list, &what, Scope::Dev)?;
            }
        }

        if let Some(poetry) = poetry {
            if let (Some(deps), None) = (poetry_deps, project_deps) {
                r.poetry_table(deps, "tool.poetry.dependencies", Scope::Runtime, false)?;
            }
            if let Some(deps) = poetry.get("dev-dependencies") {
                r.poetry_table(deps, "tool.poetry.dev-dependencies", Scope::Dev, false)?;
            }
            if let Some(groups) = poetry.get("group") {
                for (group, body) in in_order(r.table(groups, "tool.poetry.group")?) {
                    let g = group.get_ref();
                    let what = format!("tool.poetry.group.{g}");
                    let Some(deps) = r.table(body, &what)?.get("dependencies") else {
                        continue;
                    };
                    let scope = if g == "main" {
                        Scope::Runtime
                    } else {
                        Scope::Dev
                    };
                    r.poetry_table(deps, &format!("{what}.dependencies"), scope, false)?;
                }
            }
        }

        if let Some(pdm_dev) = tool
            .and_then(|t| t.get("pdm"))
            .and_then(|p| p.get_ref().get("dev-dependencies"))
        {
            for (group, list) in in_order(r.table(pdm_dev, "tool.pdm.dev-dependencies")?) {
                let what = format!("tool.pdm.dev-dependencies.{}", group.get_ref());
                r.pep508_list(list, &what, Scope::Dev)?;
            }
        }
        if let Some(uv_dev) = tool
            .and_then(|t| t.get("uv"))
            .and_then(|u| u.get_ref().get("dev-dependencies"))
        {
            r.pep508_list(uv_dev, "tool.uv.dev-dependencies", Scope::Dev)?;
        }

        Ok(r.acc.finish())
    }
}

/// Walks one pyproject.toml.
struct Reader<'a, 'f> {
    file: &'f SourceFile<'a>,
    acc: Declared,
    /// Normalised names installed from somewhere other than PyPI, with the reason.
    sources: HashMap<String, String>,
}

impl<'a, 'f> Reader<'a, 'f> {
    fn line(&self, span: std::ops::Range<usize>) -> Option<u32> {
        Some(line_of_offset(self.file.text, span.start))
    }

    fn error(&self, span: std::ops::Range<usize>, msg: String) -> ExtractError {
        ExtractError::new(&self.file.display, self.line(span), msg)
    }

    fn table<'v>(
        &self,
        v: &'v Spanned<DeValue<'a>>,
        what: &str,
    ) -> Result<&'v DeTable<'a>, ExtractError> {
        v.get_ref()
            .as_table()
            .ok_or_else(|| self.error(v.span(), format!("`{what}` is not a table")))
    }

    /// A list of PEP 508 strings (PEP 621, PEP 735, PDM, uv).
    fn pep508_list(
        &mut self,
        list: &Spanned<DeValue<'a>>,
        what: &str,
        scope: Scope,
    ) -> Result<(), ExtractError> {
        let Some(items) = list.get_ref().as_array() else {
            return Err(self.error(list.span(), format!("`{what}` is not an array")));
        };
        for item in items {
            let line = self.line(item.span());
            match item.get_ref() {
                DeValue::String(req) => self.requirement(req, line, scope),
                // PEP 735 `{include-group = "name"}`: that group is read on its own.
                DeValue::Table(t) if t.get("include-group").is_some() => {}
                _ => {
                    return Err(self.error(
                        item.span(),
                        format!("`{what}`: an entry is not a requirement string"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn requirement(&mut self, req: &str, line: Option<u32>, scope: Scope) {
        // PDM's editable installs: `-e path` / `-e git+...`.
        if req.trim_start().starts_with('-') {
            self.acc.unresolved(
                req,
                line,
                "an editable install of a local path or URL".into(),
            );
            return;
        }
        match parse_pep508(req) {
            Ok(r) => {
                if let Some(reason) = self.sources.get(&Ecosystem::PyPI.normalize_name(r.name)) {
                    self.acc.unresolved(req, line, reason.clone());
                    return;
                }
                match r.pin.exact() {
                    Ok(v) => self.acc.component(r.name, v, line, scope),
                    Err(reason) => self.acc.unresolved(req, line, reason),
                }
            }
            Err(reason) => self.acc.unresolved(req, line, reason),
        }
    }

    /// A Poetry dependency table: name → constraint string, table or array of tables.
    fn poetry_table(
        &mut self,
        deps: &Spanned<DeValue<'a>>,
        what: &str,
        scope: Scope,
        enrich_only: bool,
    ) -> Result<(), ExtractError> {
        for (name, spec) in in_order(self.table(deps, what)?) {
            let name_str: &str = name.get_ref();
            if name_str.eq_ignore_ascii_case("python") {
                continue;
            }
            let line = self.line(name.span());
            let entries: Vec<&Spanned<DeValue>> = match spec.get_ref() {
                DeValue::Array(a) => a.iter().collect(),
                _ => vec![spec],
            };
            for entry in entries {
                let text = |detail: &str| format!("{name_str} = {detail}");
                let (constraint, optional) = match entry.get_ref() {
                    DeValue::String(s) => (Some(s.as_ref()), false),
                    DeValue::Table(t) => {
                        if let Some(kind) = ["git", "path", "url"]
                            .into_iter()
                            .find(|k| t.get(*k).is_some())
                        {
                            let reason = format!("installed from a {kind} source, not PyPI");
                            if enrich_only {
                                self.sources
                                    .insert(Ecosystem::PyPI.normalize_name(name_str), reason);
                            } else {
                                self.acc.unresolved(&text(kind), line, reason);
                            }
                            continue;
                        }
                        let version = match t.get("version").map(|v| v.get_ref()) {
                            None => None,
                            Some(DeValue::String(s)) => Some(s.as_ref()),
                            Some(_) => {
                                return Err(self.error(
                                    entry.span(),
                                    format!("`{what}.{name_str}.version` is not a string"),
                                ));
                            }
                        };
                        let optional = t
                            .get("optional")
                            .and_then(|o| o.get_ref().as_bool())
                            .unwrap_or(false);
                        (version, optional)
                    }
                    _ => {
                        return Err(self.error(
                            entry.span(),
                            format!("`{what}.{name_str}` is not a string or a table"),
                        ));
                    }
                };
                if enrich_only {
                    continue;
                }
                let scope = if optional && scope == Scope::Runtime {
                    Scope::Optional
                } else {
                    scope
                };
                let constraint = constraint.unwrap_or("*");
                if let Some(reason) = self.sources.get(&Ecosystem::PyPI.normalize_name(name_str)) {
                    let reason = reason.clone();
                    self.acc.unresolved(&text(constraint), line, reason);
                    continue;
                }
                match poetry_pin(constraint).exact() {
                    Ok(v) => self.acc.component(name_str, v, line, scope),
                    Err(reason) => {
                        self.acc
                            .unresolved(&format!("{name_str} = \"{constraint}\""), line, reason)
                    }
                }
            }
        }
        Ok(())
    }
}

type Entry<'t, 'a> = (&'t Spanned<Cow<'a, str>>, &'t Spanned<DeValue<'a>>);

/// A table's entries in file order (the map's own order depends on crate features).
fn in_order<'t, 'a>(table: &'t DeTable<'a>) -> Vec<Entry<'t, 'a>> {
    let mut entries: Vec<Entry> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// What a requirement's version specifier allows.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pin<'a> {
    /// `==v` / `===v`: one version.
    Exact(&'a str),
    /// `>=v`: the lowest version allowed.
    AtLeast(&'a str),
    /// `<=v` (with no `==` or `>=` clause): the highest version allowed.
    AtMost(&'a str),
    /// No specifier.
    Any,
    /// Not one version: why.
    NotOne(String),
}

impl<'a> Pin<'a> {
    /// The one version the requirement names, or why it names none. Only an exact pin is a
    /// version: a bound or no specifier at all lets the installer pick, and ossgate does not
    /// guess which (the peers report the bound's version; see the peer-fixture test).
    pub(super) fn exact(self) -> Result<&'a str, String> {
        match self {
            Pin::Exact(v) => Ok(v),
            Pin::AtLeast(v) => Err(format!("`>={v}` allows any later version too")),
            Pin::AtMost(v) => Err(format!("`<={v}` allows any earlier version too")),
            Pin::Any => Err("no version specifier".into()),
            Pin::NotOne(reason) => Err(reason),
        }
    }
}

/// A PEP 508 requirement: the project name as written and what its specifier allows.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Requirement<'a> {
    pub name: &'a str,
    pub pin: Pin<'a>,
}

/// Reads a PEP 508 requirement string (`name[extras] (specifiers) ; markers`, or
/// `name @ url`). Errors (with the reason) when it names no project.
pub(super) fn parse_pep508(req: &str) -> Result<Requirement<'_>, String> {
    let req = req.trim();
    let name = pep508_name(req);
    if name.is_empty() {
        return Err("not a requirement: no project name".into());
    }
    let mut rest = req.get(name.len()..).unwrap_or("").trim_start();
    if let Some(r) = rest.strip_prefix('[') {
        let Some((_, after)) = r.split_once(']') else {
            return Err("unclosed `[` of the extras".into());
        };
        rest = after.trim_start();
    }
    if rest.starts_with('@') {
        return Err("a direct URL reference, not a PyPI release".into());
    }
    let spec = rest.split(';').next().unwrap_or("").trim();
    let spec = match spec.strip_prefix('(') {
        Some(s) => s.strip_suffix(')').unwrap_or(s).trim(),
        None => spec,
    };
    let pin = classify(
        spec.split(',').map(str::trim).filter(|c| !c.is_empty()),
        false,
    );
    Ok(Requirement { name, pin })
}

/// A Poetry constraint (`^1.2`, `~1.2`, `1.2.3`, `>=1,<2`, `>=1 <2`, `*`, `1 || 2`).
pub(super) fn poetry_pin(constraint: &str) -> Pin<'_> {
    let c = constraint.trim();
    if c.contains('|') {
        return Pin::NotOne(format!("`{c}` allows alternatives"));
    }
    // Clauses are separated by commas or spaces; a space may also follow an operator.
    let mut clauses: Vec<&str> = Vec::new();
    let mut pending_op: Option<usize> = None;
    let mut start = None;
    for (i, ch) in c.char_indices().chain(std::iter::once((c.len(), ','))) {
        let sep = ch == ',' || ch.is_whitespace();
        match (start, sep) {
            (None, false) => start = Some(pending_op.take().unwrap_or(i)),
            (Some(s), true) => {
                let part = c.get(s..i).unwrap_or("");
                if part.chars().all(|x| "<>=!~^".contains(x)) {
                    pending_op = Some(s); // `>= 1.2`: the version follows the space
                } else {
                    clauses.push(part);
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = pending_op {
        clauses.push(c.get(s..).unwrap_or("").trim());
    }
    clauses.retain(|x| *x != "*");
    classify(clauses.into_iter(), true)
}

/// The pin of a list of version clauses. `bare_exact`: a clause without an operator is `==`
/// (Poetry); otherwise it is unreadable.
fn classify<'a>(clauses: impl Iterator<Item = &'a str>, bare_exact: bool) -> Pin<'a> {
    let (mut exact, mut at_least, mut at_most) = (None, None, None);
    let mut written: Vec<&str> = Vec::new();
    for clause in clauses {
        written.push(clause);
        let (op, version) = split_operator(clause);
        let version = version.trim();
        let op = match op {
            "" if bare_exact => "==",
            "" => return Pin::NotOne(format!("unreadable version specifier `{clause}`")),
            op => op,
        };
        let plain = is_version(version);
        match op {
            "==" | "===" if plain => {
                exact.get_or_insert(version);
            }
            ">=" if plain => {
                at_least.get_or_insert(version);
            }
            "<=" if plain => {
                at_most.get_or_insert(version);
            }
            _ => {}
        }
    }
    if written.is_empty() {
        return Pin::Any;
    }
    match (exact, at_least, at_most) {
        (Some(v), _, _) => Pin::Exact(v),
        (None, Some(v), _) => Pin::AtLeast(v),
        (None, None, Some(v)) => Pin::AtMost(v),
        (None, None, None) => {
            Pin::NotOne(format!("`{}` does not name one version", written.join(",")))
        }
    }
}

/// Splits a clause into its comparison operator (possibly empty) and the rest.
fn split_operator(clause: &str) -> (&str, &str) {
    for op in ["===", "==", "~=", "!=", "<=", ">=", "<", ">", "^", "~", "="] {
        if let Some(rest) = clause.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", clause)
}

/// A plain version: starts with a digit (or `v` and a digit), no wildcard.
fn is_version(v: &str) -> bool {
    let digits = v.strip_prefix(['v', 'V']).unwrap_or(v);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_'))
}

/// The components and unresolved requirements of one Python manifest, merging repeats.
pub(super) struct Declared {
    file: String,
    components: Vec<Component>,
    index: HashMap<(String, String), usize>,
    unresolved: Vec<Unresolved>,
}

impl Declared {
    pub(super) fn new(file: &str) -> Self {
        Declared {
            file: file.to_string(),
            components: Vec::new(),
            index: HashMap::new(),
            unresolved: Vec::new(),
        }
    }

    /// A declared dependency at `version` (empty: none written).
    pub(super) fn component(&mut self, name: &str, version: &str, line: Option<u32>, scope: Scope) {
        let eco = Ecosystem::PyPI;
        let key = (eco.normalize_name(name), version.to_string());
        let location = loc(&self.file, line);
        if let Some(&i) = self.index.get(&key)
            && let Some(c) = self.components.get_mut(i)
        {
            c.scope = c.scope.widest(scope);
            if !c.locations.contains(&location) {
                c.locations.push(location);
            }
            return;
        }
        let purl = eco.purl(name, (!version.is_empty()).then_some(version));
        let mut c = Component::with_purl(eco, name.to_string(), version.to_string(), purl);
        c.locations.push(location);
        c.direct = true;
        c.scope = scope;
        self.index.insert(key, self.components.len());
        self.components.push(c);
    }

    pub(super) fn unresolved(&mut self, text: &str, line: Option<u32>, reason: String) {
        // The same requirement reached twice (a list reused in two keywords): listed once.
        let text = text.trim();
        if self
            .unresolved
            .iter()
            .any(|u| u.line == line && u.text == text)
        {
            return;
        }
        self.unresolved.push(Unresolved {
            file: self.file.clone(),
            line,
            text: text.trim().to_string(),
            reason,
        });
    }

    pub(super) fn finish(self) -> Extracted {
        Extracted {
            components: self.components,
            unresolved: self.unresolved,
            ..Extracted::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        PyprojectToml.extract(&SourceFile {
            display: "pyproject.toml".into(),
            path: Path::new("/nonexistent/pyproject.toml"),
            text,
        })
    }

    type Row = (String, String, Scope, Option<u32>);

    fn rows(ex: &Extracted) -> Vec<Row> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.version.clone(),
                    c.scope,
                    c.locations[0].line,
                )
            })
            .collect()
    }

    fn row(name: &str, version: &str, scope: Scope, line: u32) -> Row {
        (name.into(), version.into(), scope, Some(line))
    }

    #[test]
    fn pep508_requirements() {
        let p = |s| parse_pep508(s).map(|r| (r.name, r.pin));
        assert_eq!(
            p("requests==2.32.0"),
            Ok(("requests", Pin::Exact("2.32.0")))
        );
        assert_eq!(
            p(" flask[async, dotenv] >= 3.0 , <4 ; python_version >= '3.8'"),
            Ok(("flask", Pin::AtLeast("3.0")))
        );
        assert_eq!(
            p("build (>=1.2.1,<2.0.0)"),
            Ok(("build", Pin::AtLeast("1.2.1")))
        );
        assert_eq!(
            p("<3, >=2.20"),
            Err("not a requirement: no project name".into())
        );
        assert_eq!(p("foo <3, >=2.20"), Ok(("foo", Pin::AtLeast("2.20"))));
        assert_eq!(p("foo<=1.2.3"), Ok(("foo", Pin::AtMost("1.2.3"))));
        assert_eq!(p("foo>=1,==1.5"), Ok(("foo", Pin::Exact("1.5"))));
        assert_eq!(p("foo===1.0-custom"), Ok(("foo", Pin::Exact("1.0-custom"))));
        assert_eq!(p("numpy"), Ok(("numpy", Pin::Any)));
        assert_eq!(
            p("numpy ; sys_platform == 'linux'"),
            Ok(("numpy", Pin::Any))
        );
        for r in [
            "foo~=1.4", "foo>1", "foo<2", "foo!=1.5", "foo==1.*", "foo>=dev",
        ] {
            assert!(matches!(p(r), Ok((_, Pin::NotOne(_)))), "{r}");
        }
        assert!(p("pkg @ https://example.com/pkg.whl ; python_version>'3'").is_err());
        assert!(p("pkg[x").is_err());
        assert!(p("./local").is_err());
    }

    #[test]
    fn poetry_constraints() {
        assert_eq!(poetry_pin("2.0.1"), Pin::Exact("2.0.1"));
        assert_eq!(poetry_pin("==2.0.1"), Pin::Exact("2.0.1"));
        assert_eq!(poetry_pin(">= 2.0, < 3"), Pin::AtLeast("2.0"));
        assert_eq!(poetry_pin(">=2.0 <3"), Pin::AtLeast("2.0"));
        assert_eq!(poetry_pin("*"), Pin::Any);
        assert_eq!(poetry_pin(""), Pin::Any);
        for c in ["^1.2", "~1.2", "~=1.2", "1.2.*", ">1", "1.0 || 2.0", "<= "] {
            assert!(matches!(poetry_pin(c), Pin::NotOne(_)), "{c}");
        }
    }

    const EVERY_STYLE: &str = r#"[project]
name = "demo"
version = "1.0"
dependencies = [
    "requests==2.32.0",
    "Flask_Login>=0.6",
    "numpy",
    "poetry-core @ git+https://github.com/python-poetry/poetry-core.git",
    "attrs~=23.1",
    "local-lib",
]
[project.optional-dependencies]
socks = ["PySocks<=1.7.1", "requests==2.32.0"]

[dependency-groups]
test = ["pytest==8.0.0", {include-group = "lint"}]
lint = ["ruff>0.1"]

[tool.uv]
dev-dependencies = ["mypy==1.8.0"]
[tool.uv.sources]
local-lib = { path = "../local-lib" }

[tool.pdm.dev-dependencies]
docs = ["mkdocs==1.5.3", "-e file:///${PROJECT_ROOT}/plugins#egg=plugin"]
"#;

    #[test]
    fn pep621_pep735_uv_and_pdm() {
        let ex = run(EVERY_STYLE).unwrap();
        assert_eq!(
            rows(&ex),
            [
                row("requests", "2.32.0", Scope::Runtime, 5),
                row("pytest", "8.0.0", Scope::Dev, 16),
                row("mkdocs", "1.5.3", Scope::Dev, 25),
                row("mypy", "1.8.0", Scope::Dev, 20),
            ]
        );
        assert!(ex.components.iter().all(|c| c.direct));
        assert!(ex.components.iter().all(|c| c.dependencies.is_empty()));
        // Declared twice: one component, both lines, the widest scope.
        assert_eq!(ex.components[0].locations.len(), 2);
        assert_eq!(ex.components[0].locations[1].line, Some(13));
        assert_eq!(ex.components[0].purl, "pkg:pypi/requests@2.32.0");
        let un: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            un,
            [
                ("Flask_Login>=0.6", Some(6)),
                ("numpy", Some(7)),
                (
                    "poetry-core @ git+https://github.com/python-poetry/poetry-core.git",
                    Some(8)
                ),
                ("attrs~=23.1", Some(9)),
                ("local-lib", Some(10)),
                ("PySocks<=1.7.1", Some(13)),
                ("ruff>0.1", Some(17)),
                ("-e file:///${PROJECT_ROOT}/plugins#egg=plugin", Some(25)),
            ]
        );
        // A bound or no specifier names no version: never a guessed component.
        assert!(ex.unresolved[0].reason.contains("later version"));
        assert!(ex.unresolved[1].reason.contains("no version specifier"));
        assert!(ex.unresolved[4].reason.contains("path source"));
        assert!(ex.unresolved.iter().all(|u| !u.reason.is_empty()));
    }

    #[test]
    fn poetry_tables() {
        let text = r#"[tool.poetry]
name = "demo"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.9"
requests = "2.31.0"
flask = { version = ">=2.0,<3", optional = true }
attrs = "^23.1"
mylib = { path = "../mylib", develop = true }
forked = { git = "https://example.com/forked.git", tag = "v1" }
anything = "*"
multi = [
    { version = "1.0.0", python = "<3.8" },
    { version = "2.0.0", python = ">=3.8" },
]

[tool.poetry.dev-dependencies]
black = "==23.1.0"

[tool.poetry.group.test.dependencies]
pytest = { version = "7.4.0", extras = ["x"] }

[tool.poetry.group.main.dependencies]
rich = "13.0.0"
"#;
        let ex = run(text).unwrap();
        let mut got = rows(&ex);
        got.sort();
        assert_eq!(
            got,
            [
                row("black", "23.1.0", Scope::Dev, 19),
                row("multi", "1.0.0", Scope::Runtime, 13),
                row("multi", "2.0.0", Scope::Runtime, 13),
                row("pytest", "7.4.0", Scope::Dev, 22),
                row("requests", "2.31.0", Scope::Runtime, 7),
                row("rich", "13.0.0", Scope::Runtime, 25),
            ]
        );
        let mut un: Vec<&str> = ex.unresolved.iter().map(|u| u.text.as_str()).collect();
        un.sort();
        assert_eq!(
            un,
            [
                "anything = \"*\"",
                "attrs = \"^23.1\"",
                "flask = \">=2.0,<3\"",
                "forked = git",
                "mylib = path"
            ]
        );
    }

    #[test]
    fn poetry_enriching_a_project_list_adds_nothing() {
        let text = r#"[project]
dependencies = ["requests>=2.31", "forked>=1.0"]
[tool.poetry.dependencies]
requests = { source = "private" }
forked = { git = "https://example.com/forked.git" }
extra = "1.0.0"
"#;
        let ex = run(text).unwrap();
        assert!(ex.components.is_empty());
        let un: Vec<&str> = ex.unresolved.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(un, ["requests>=2.31", "forked>=1.0"]);
        assert!(ex.unresolved[1].reason.contains("git"));
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("[project]\ndependencies = [\n", 2),
            ("[project]\nname = \"x\"\ndependencies = \"requests\"\n", 3),
            ("[project]\ndependencies = [\n  \"a==1\",\n  3,\n]\n", 4),
            ("project = 1\n", 1),
            ("[project.optional-dependencies]\nx = \"a\"\n", 2),
            ("[tool.poetry.dependencies]\nrequests = 2\n", 2),
            (
                "[tool.poetry.dependencies]\nrequests = { version = 2 }\n",
                2,
            ),
            ("[tool]\npoetry = [1]\n", 2),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "pyproject.toml");
        }
        assert!(run("").unwrap().components.is_empty());
        assert!(PyprojectToml.applies_to(Path::new("a/pyproject.toml")));
        assert!(!PyprojectToml.applies_to(Path::new("a/pyproject.toml.bak")));
        assert!(PyprojectToml.superseded_by().contains(&"poetry.lock"));
    }

    #[test]
    fn real_manifests() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        for project in ["poetry", "saleor"] {
            let path = inputs.join(project).join("pyproject.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let ex = PyprojectToml
                .extract(&SourceFile {
                    display: format!("{project}/pyproject.toml"),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            // Requirement lines: quoted strings alone on a line inside the dependency arrays,
            // and `name = ...` lines of Poetry's dependency tables.
            let (mut section, mut in_array, mut declared) = (String::new(), false, 0);
            for line in text.lines().map(str::trim) {
                if line.starts_with('[') && !line.starts_with("[\"") {
                    section = line.to_string();
                    in_array = false;
                    continue;
                }
                let key = line.split([' ', '=']).next().unwrap_or("");
                if line.ends_with("= [") {
                    in_array = matches!(
                        (section.as_str(), key),
                        ("[project]", "dependencies")
                            | ("[project.optional-dependencies]", _)
                            | ("[dependency-groups]", _)
                            | ("[tool.uv]", "dev-dependencies")
                    );
                } else if in_array && line.starts_with(']') {
                    in_array = false;
                } else if (in_array && line.starts_with('"'))
                    || (section.starts_with("[tool.poetry")
                        && section.ends_with("dependencies]")
                        && line.contains(" = ")
                        && !line.starts_with('#')
                        && key != "python")
                {
                    declared += 1;
                }
            }
            let merged: usize = ex.components.iter().map(|c| c.locations.len()).sum();
            assert_eq!(merged + ex.unresolved.len(), declared, "{project}");
            eprintln!(
                "{project}: {declared} requirements, {} components, {} unresolved",
                ex.components.len(),
                ex.unresolved.len()
            );
            assert!(ex.components.len() + ex.unresolved.len() > 20, "{project}");
            for c in &ex.components {
                let line = c.locations[0].line.unwrap() as usize;
                let src = text.lines().nth(line - 1).unwrap();
                assert!(
                    src.to_ascii_lowercase()
                        .contains(&c.name.to_ascii_lowercase()),
                    "{project}: {} at {line}",
                    c.name
                );
            }
        }
    }
}
