//! Maven's `pom.xml` (Java and the other JVM languages; Maven Central).
//!
//! A POM is a manifest: it declares the project's direct dependencies, not the resolved graph,
//! so every component is `direct` and none has edges. What is read:
//!
//! - `project/dependencies/dependency`, and the same inside `profiles/profile`. Dependencies of
//!   `build` plugins and extensions, and of `reporting`, are tools of the build rather than
//!   parts of the product and are not read. Each component is named `groupId:artifactId` and
//!   located at the line of its `<dependency>` element.
//! - **Properties.** `${...}` references are expanded from the POM's `<properties>` (a parent's
//!   first, the child's overriding them, then those of `activeByDefault` profiles) and from the
//!   model: `project.version`, `project.groupId`, `project.artifactId` and `project.parent.*`
//!   (also spelled `pom.*`; bare `version`, `groupId` and `artifactId` after the properties).
//!   Values may refer to other properties; a reference to an undefined property, a cycle, or an
//!   expansion that grows without end leaves the dependency unresolved, with the reason.
//! - **dependencyManagement.** A dependency written without a version takes it (and its scope,
//!   when it has none) from the `dependencyManagement` of the POM or its parents, matched on
//!   groupId, artifactId, type and classifier, the nearest declaration winning. A BOM imported
//!   with `<scope>import</scope>` is read only when it is one of the project's own modules:
//!   the modules listed (recursively) by the top-most POM of the parent chain found on disk,
//!   with the same groupId, artifactId and version. Its managed versions are expanded with the
//!   BOM's own properties, as Maven does. A BOM that is not in the tree is not fetched: what it
//!   would manage stays unresolved, and the reason names it.
//! - **Parent.** `<parent>` is looked up at `<relativePath>` (default `../pom.xml`, a directory
//!   meaning its `pom.xml`, an empty element meaning "not on disk") relative to this file on
//!   disk, and used only when its groupId and artifactId (and its version, when both are
//!   literal) are the ones asked for. The child inherits its properties, dependencyManagement,
//!   groupId and version, and its dependencies: those are reported at the line of the child's
//!   `<parent>` element. A parent that is not in the tree (usually one on Maven Central) is not
//!   fetched; properties it would define stay undefined and the reasons say so.
//! - **Versions.** A plain version (Maven's "soft requirement", the version used unless a
//!   conflict elsewhere moves it) and a one-version range `[1.0]` are exact. Other ranges
//!   (`[1.0,2.0)`), `LATEST`/`RELEASE`, an empty version and anything still holding `${` go to
//!   `unresolved`.
//! - **Scopes.** `compile` (the default) and `runtime` are `Runtime`; `test` is `Test`;
//!   `<optional>true</optional>` is `Optional`. `provided` and `system` are `Optional` too: the
//!   artifact is needed to compile but is not shipped with the product (a container or the JDK
//!   supplies it at run time, at a version this file does not decide).
//! - **Profiles.** `activeByDefault` profiles are treated as active (their properties,
//!   dependencyManagement and dependencies apply). Profiles activated by JDK, OS, property or
//!   file cannot be evaluated from the file alone: their dependencies are reported with the
//!   `Optional` scope (a condition decides whether they are used), resolved with the profile's
//!   own properties over the project's.
//! - **Duplicates.** Two declarations with the same groupId, artifactId, type and classifier
//!   are one dependency (Maven warns about them): the first declaration is kept, a second one
//!   at the same version adds its line, and one at another version is listed in `unresolved`
//!   (it is not the version used). Declarations differing only in type or classifier are the
//!   same package at the same version and become one component with several lines.
//!
//! Malformed XML (including invalid element names), a root element other than `<project>`
//! and a dependency of this file without a groupId or artifactId are errors with the line.
//!
//! The XML reader ([`parse_xml`], an element tree with lines built from quick-xml's events)
//! is shared with the Gradle verification-metadata extractor.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct PomXml;

impl Extractor for PomXml {
    fn name(&self) -> &'static str {
        "pom-xml"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "pom.xml"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = parse_xml(&file.display, file.text)?;
        let pom =
            Pom::read(&root).map_err(|(line, msg)| ExtractError::new(&file.display, line, msg))?;
        let project = Project::load(pom, Some(file.path));
        let reactor = LazyReactor::new(project.top_path());
        let mut importing = vec![canonical(file.path)];
        let managed = project.managed(&reactor, &mut importing);
        resolve(file, &project, &managed)
    }
}

// ---------------------------------------------------------------------------------------------
// XML: an element tree with line numbers.

/// One element of an XML document: its local name (namespace prefix dropped), attributes
/// (local names), the text directly inside it (CDATA and entities included, comments left
/// out), its child elements and the 1-based line of its start tag.
#[derive(Debug, Default)]
pub(super) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
    pub line: u32,
}

impl Element {
    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child called `name`, when it is not empty.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// 1-based lines of byte offsets.
pub(super) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    pub fn line(&self, offset: u64) -> u32 {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|&nl| nl < offset) as u32 + 1
    }
}

/// Elements nested deeper than this are refused (no real POM comes close).
const MAX_DEPTH: usize = 256;

/// Parses a whole XML document into its root [`Element`]. Errors name `display` and the line.
pub(super) fn parse_xml(display: &str, text: &str) -> Result<Element, ExtractError> {
    // quick-xml skips a byte-order mark without counting it in its positions.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                return Err(ExtractError::new(
                    display,
                    Some(lines.line(reader.error_position())),
                    format!("invalid XML: {e}"),
                ));
            }
        };
        let line = lines.line(at);
        let fail = |msg: String| ExtractError::new(display, Some(line), msg);
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(format!("elements nested deeper than {MAX_DEPTH}")));
                }
                stack.push(open(&e, line).map_err(fail)?);
            }
            Event::Empty(e) => {
                let el = open(&e, line).map_err(fail)?;
                close(el, &mut stack, &mut root).map_err(fail)?;
            }
            Event::End(e) => {
                let name: &str = e.name().0;
                if !valid_name(name) {
                    return Err(fail(format!("invalid XML: bad element name `</{name}>`")));
                }
                let Some(el) = stack.pop() else {
                    return Err(fail(format!("invalid XML: unexpected `</{name}>`")));
                };
                close(el, &mut stack, &mut root).map_err(fail)?;
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                add_text(&mut stack, &content).map_err(|msg| {
                    let lead = t.len() - t.trim_start().len();
                    ExtractError::new(display, Some(lines.line(at + lead as u64)), msg)
                })?;
            }
            Event::CData(t) => add_text(&mut stack, &t.xml10_content()).map_err(fail)?,
            Event::GeneralRef(r) => {
                let s = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            return Err(fail(format!(
                                "invalid XML: bad character reference `&{};`",
                                &*r
                            )));
                        }
                    }
                } else {
                    match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(fail(format!("invalid XML: unknown entity `&{};`", &*r)));
                        }
                    }
                };
                add_text(&mut stack, &s).map_err(fail)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ExtractError::new(
            display,
            Some(open.line),
            format!("invalid XML: <{}> is never closed", open.name),
        ));
    }
    root.ok_or_else(|| ExtractError::new(display, Some(1), "invalid XML: no root element"))
}

fn open(e: &BytesStart, line: u32) -> Result<Element, String> {
    let full: &str = e.name().0;
    if !valid_name(full) {
        return Err(format!("invalid XML: bad element name `<{full}>`"));
    }
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| format!("invalid XML: bad attribute in <{full}>: {err}"))?;
        let key: &str = a.key.0;
        if a.value.contains('<') {
            return Err(format!("invalid XML: `<` in attribute `{key}` of <{full}>"));
        }
        if !valid_name(key) {
            return Err(format!(
                "invalid XML: bad attribute name `{key}` in <{full}>"
            ));
        }
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("invalid XML: bad attribute `{key}` in <{full}>: {err}"))?;
        attrs.push((local(key).to_string(), value.into_owned()));
    }
    Ok(Element {
        name: local(full).to_string(),
        attrs,
        line,
        ..Element::default()
    })
}

fn close(el: Element, stack: &mut [Element], root: &mut Option<Element>) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(el);
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(el);
            Ok(())
        }
        None => Err(format!("invalid XML: a second root element <{}>", el.name)),
    }
}

fn add_text(stack: &mut [Element], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err("invalid XML: text outside the root element".into()),
    }
}

/// `prefix:name` → `name`.
fn local(name: &str) -> &str {
    name.split_once(':').map_or(name, |(_, l)| l)
}

/// An XML Name: a letter, `_` or `:` (or any non-ASCII character) first, then also digits,
/// `-` and `.`.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_' || first == ':' || !first.is_ascii())
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':') || !c.is_ascii()
        })
}

// ---------------------------------------------------------------------------------------------
// The POM as written (nothing expanded yet).

#[derive(Debug, Clone, Default)]
struct Dep {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    classifier: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    line: u32,
}

impl Dep {
    fn read(el: &Element) -> Dep {
        Dep {
            group: el.child_text("groupId"),
            artifact: el.child_text("artifactId"),
            version: el.child_text("version"),
            kind: el.child_text("type"),
            classifier: el.child_text("classifier"),
            scope: el.child_text("scope"),
            optional: el.child_text("optional"),
            line: el.line,
        }
    }
}

#[derive(Debug, Default)]
struct Profile {
    id: String,
    active_by_default: bool,
    properties: Vec<(String, String)>,
    deps: Vec<Dep>,
    managed: Vec<Dep>,
}

#[derive(Debug, Clone)]
struct ParentRef {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    /// `None`: not written (`../pom.xml`); `Some("")`: do not look on disk.
    relative_path: Option<String>,
    line: u32,
}

impl ParentRef {
    fn coords(&self) -> String {
        format!(
            "{}:{}:{}",
            self.group.as_deref().unwrap_or("?"),
            self.artifact.as_deref().unwrap_or("?"),
            self.version.as_deref().unwrap_or("?")
        )
    }
}

#[derive(Debug, Default)]
struct Pom {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent: Option<ParentRef>,
    properties: Vec<(String, String)>,
    deps: Vec<Dep>,
    managed: Vec<Dep>,
    profiles: Vec<Profile>,
    modules: Vec<String>,
}

/// `<x><dependencies><dependency>...` under `el`.
fn deps_in(el: Option<&Element>) -> Vec<Dep> {
    el.and_then(|e| e.child("dependencies"))
        .map(|d| d.all("dependency").map(Dep::read).collect())
        .unwrap_or_default()
}

fn properties_in(el: &Element) -> Vec<(String, String)> {
    el.child("properties")
        .map(|p| {
            p.children
                .iter()
                .map(|c| (c.name.clone(), c.text.trim().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn modules_in(el: &Element) -> Vec<String> {
    el.child("modules")
        .map(|m| {
            m.all("module")
                .map(|x| x.text.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

impl Pom {
    fn read(root: &Element) -> Result<Pom, (Option<u32>, String)> {
        if root.name != "project" {
            return Err((
                Some(root.line),
                format!(
                    "not a Maven POM: the root element is <{}>, not <project>",
                    root.name
                ),
            ));
        }
        let parent = root.child("parent").map(|p| ParentRef {
            group: p.child_text("groupId"),
            artifact: p.child_text("artifactId"),
            version: p.child_text("version"),
            relative_path: p.child("relativePath").map(|r| r.text.trim().to_string()),
            line: p.line,
        });
        let mut modules = modules_in(root);
        let mut profiles = Vec::new();
        if let Some(ps) = root.child("profiles") {
            for p in ps.all("profile") {
                modules.extend(modules_in(p));
                profiles.push(Profile {
                    id: p.child_text("id").unwrap_or_default(),
                    active_by_default: p
                        .child("activation")
                        .and_then(|a| a.child_text("activeByDefault"))
                        .is_some_and(|t| t == "true"),
                    properties: properties_in(p),
                    deps: deps_in(Some(p)),
                    managed: deps_in(p.child("dependencyManagement")),
                });
            }
        }
        Ok(Pom {
            group: root.child_text("groupId"),
            artifact: root.child_text("artifactId"),
            version: root.child_text("version"),
            parent,
            properties: properties_in(root),
            deps: deps_in(Some(root)),
            managed: deps_in(root.child("dependencyManagement")),
            profiles,
            modules,
        })
    }

    /// A POM file on disk, or `None` when it cannot be read or is not a POM.
    fn load(path: &Path) -> Option<Pom> {
        let text = std::fs::read_to_string(path).ok()?;
        let root = parse_xml("", &text).ok()?;
        Pom::read(&root).ok()
    }

    /// The groupId, inherited from `<parent>` when not written.
    fn group_or_parent(&self) -> Option<&str> {
        self.group
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.group.as_deref()))
    }

    fn active_profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.iter().filter(|p| p.active_by_default)
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

// ---------------------------------------------------------------------------------------------
// The project: a POM with its parents found on disk, and property expansion.

/// Parents followed at most this far.
const MAX_PARENTS: usize = 32;

/// The model fields `${project.*}` can name, as written (expanded on use).
#[derive(Debug, Default)]
struct Coords {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent_group: Option<String>,
    parent_artifact: Option<String>,
    parent_version: Option<String>,
}

struct Project {
    /// The POM and the ancestors found on disk, nearest first.
    chain: Vec<(Pom, Option<PathBuf>)>,
    /// Properties of the whole chain, nearer POMs (and their active profiles) overriding.
    props: HashMap<String, String>,
    coords: Coords,
    /// The first ancestor not found in the tree (`g:a:v`).
    missing_parent: Option<String>,
}

impl Project {
    fn load(pom: Pom, path: Option<&Path>) -> Project {
        let mut seen: HashSet<PathBuf> = path.map(canonical).into_iter().collect();
        let mut chain = vec![(pom, path.map(Path::to_path_buf))];
        let mut missing_parent = None;
        while chain.len() <= MAX_PARENTS {
            let found = {
                let Some((last, last_path)) = chain.last() else {
                    break;
                };
                let Some(parent) = &last.parent else {
                    break;
                };
                match last_path
                    .as_deref()
                    .and_then(|p| find_parent(p, parent, &mut seen))
                {
                    Some(found) => found,
                    None => {
                        missing_parent = Some(parent.coords());
                        break;
                    }
                }
            };
            chain.push((found.0, Some(found.1)));
        }

        let mut props = HashMap::new();
        for (pom, _) in chain.iter().rev() {
            props.extend(pom.properties.iter().cloned());
            for p in pom.active_profiles() {
                props.extend(p.properties.iter().cloned());
            }
        }
        let coords = match chain.first() {
            Some((pom, _)) => {
                let parent = pom.parent.as_ref();
                Coords {
                    group: pom.group_or_parent().map(str::to_string),
                    artifact: pom.artifact.clone(),
                    version: pom
                        .version
                        .clone()
                        .or_else(|| parent.and_then(|p| p.version.clone())),
                    parent_group: parent.and_then(|p| p.group.clone()),
                    parent_artifact: parent.and_then(|p| p.artifact.clone()),
                    parent_version: parent.and_then(|p| p.version.clone()),
                }
            }
            None => Coords::default(),
        };
        Project {
            chain,
            props,
            coords,
            missing_parent,
        }
    }

    /// The top-most POM of the chain on disk: where the project's modules are listed.
    fn top_path(&self) -> Option<PathBuf> {
        self.chain.last().and_then(|(_, p)| p.clone())
    }

    fn ctx<'a>(&'a self, overlay: &'a [(String, String)]) -> Ctx<'a> {
        Ctx {
            project: self,
            overlay,
        }
    }

    /// The reason a property could not be expanded.
    fn why(&self, why: Why) -> String {
        match why {
            Why::Undefined(key) => match &self.missing_parent {
                Some(parent) => format!(
                    "property `{key}` is not defined (it may come from the parent {parent}, \
                     which is not in the tree)"
                ),
                None => format!("property `{key}` is not defined"),
            },
            Why::Cycle(key) => format!("property `{key}` refers to itself"),
            Why::TooLarge => "property expansion too deep or too large".into(),
        }
    }

    /// The dependencyManagement of the whole chain, expanded in this project's context, with
    /// the BOMs it imports from the tree.
    fn managed(&self, reactor: &LazyReactor, importing: &mut Vec<PathBuf>) -> Managed {
        let ctx = self.ctx(&[]);
        let mut out = Managed::default();
        let mut imports = Vec::new();
        for (pom, _) in &self.chain {
            // Active profiles are injected over the POM's own entries.
            let entries = pom
                .active_profiles()
                .flat_map(|p| p.managed.iter())
                .chain(pom.managed.iter());
            for d in entries {
                let Ok(key) = ctx.key(d) else { continue };
                let scope = d.scope.as_deref().map(|s| ctx.expand_or_raw(s));
                if scope.as_deref() == Some("import") {
                    imports.push((key, d));
                    continue;
                }
                out.entries.entry(key).or_insert_with(|| ManagedEntry {
                    version: match &d.version {
                        Some(v) => ctx.expand(v).map_err(|w| self.why(w)),
                        None => Err("no version".into()),
                    },
                    raw: d.version.clone(),
                    scope,
                });
            }
        }
        for (key, d) in imports {
            let version = d.version.as_deref().map(|v| ctx.expand(v));
            let shown = format!(
                "{}:{}:{}",
                key.0,
                key.1,
                match &version {
                    Some(Ok(v)) => v.as_str(),
                    _ => d.version.as_deref().unwrap_or("?"),
                }
            );
            let version = match version {
                Some(Ok(v)) => Some(v),
                _ => None,
            };
            match reactor.bom(&key.0, &key.1, version.as_deref(), importing) {
                Some(bom) => {
                    for (k, v) in bom.entries {
                        out.entries.entry(k).or_insert(v);
                    }
                    out.missing_imports.extend(bom.missing_imports);
                }
                None => out.missing_imports.push(shown),
            }
        }
        out
    }
}

/// Finds `parent` on disk relative to the POM at `child`.
fn find_parent(
    child: &Path,
    parent: &ParentRef,
    seen: &mut HashSet<PathBuf>,
) -> Option<(Pom, PathBuf)> {
    let rel = match parent.relative_path.as_deref() {
        None => "../pom.xml",
        Some("") => return None,
        Some(r) => r,
    };
    let mut candidate = child.parent()?.join(rel);
    if candidate.is_dir() {
        candidate = candidate.join("pom.xml");
    }
    let key = canonical(&candidate);
    if seen.contains(&key) {
        return None;
    }
    let pom = Pom::load(&candidate)?;
    let same_version = match (&pom.version, &parent.version) {
        (Some(a), Some(b)) if !a.contains("${") && !b.contains("${") => a == b,
        _ => true,
    };
    let same = pom.artifact.is_some()
        && pom.artifact == parent.artifact
        && pom.group_or_parent() == parent.group.as_deref()
        && same_version;
    if !same {
        return None;
    }
    seen.insert(key);
    Some((pom, candidate))
}

/// Why a `${...}` reference could not be expanded.
enum Why {
    Undefined(String),
    Cycle(String),
    TooLarge,
}

/// Expansions allowed for one value, nested references at most this deep, and the longest
/// result: enough for any real POM, and no hang on a crafted one.
const MAX_EXPANSIONS: usize = 1000;
const MAX_NESTING: usize = 64;
const MAX_EXPANDED_LEN: usize = 64 * 1024;

/// Property lookup for one project, with an optional overlay (a profile's properties).
struct Ctx<'a> {
    project: &'a Project,
    overlay: &'a [(String, String)],
}

impl<'a> Ctx<'a> {
    fn model(&self, field: &str) -> Option<&'a str> {
        let c = &self.project.coords;
        match field {
            "groupId" => c.group.as_deref(),
            "artifactId" => c.artifact.as_deref(),
            "version" => c.version.as_deref(),
            "parent.groupId" => c.parent_group.as_deref(),
            "parent.artifactId" => c.parent_artifact.as_deref(),
            "parent.version" => c.parent_version.as_deref(),
            _ => None,
        }
    }

    fn lookup(&self, key: &str) -> Option<&'a str> {
        if let Some(field) = key
            .strip_prefix("project.")
            .or_else(|| key.strip_prefix("pom."))
            && let Some(v) = self.model(field)
        {
            return Some(v);
        }
        if let Some((_, v)) = self.overlay.iter().rev().find(|(k, _)| k == key) {
            return Some(v);
        }
        if let Some(v) = self.project.props.get(key) {
            return Some(v);
        }
        self.model(key)
    }

    /// `s` with every `${...}` expanded.
    fn expand(&self, s: &str) -> Result<String, Why> {
        let mut budget = MAX_EXPANSIONS;
        self.expand_in(s, &mut Vec::new(), &mut budget)
    }

    /// `s` expanded, or as written when it cannot be.
    fn expand_or_raw(&self, s: &str) -> String {
        self.expand(s).unwrap_or_else(|_| s.to_string())
    }

    fn expand_in(
        &self,
        s: &str,
        stack: &mut Vec<String>,
        budget: &mut usize,
    ) -> Result<String, Why> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(j) = after.find('}') else {
                // Not a reference: kept as written (and then not a valid version).
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let key = &after[..j];
            if stack.iter().any(|k| k == key) {
                return Err(Why::Cycle(key.to_string()));
            }
            if *budget == 0 || stack.len() >= MAX_NESTING || out.len() > MAX_EXPANDED_LEN {
                return Err(Why::TooLarge);
            }
            *budget -= 1;
            let value = self
                .lookup(key)
                .ok_or_else(|| Why::Undefined(key.to_string()))?;
            stack.push(key.to_string());
            let expanded = self.expand_in(value, stack, budget)?;
            stack.pop();
            out.push_str(&expanded);
            rest = &after[j + 1..];
        }
        out.push_str(rest);
        if out.len() > MAX_EXPANDED_LEN {
            return Err(Why::TooLarge);
        }
        Ok(out)
    }

    /// The management key: groupId, artifactId, type (default `jar`), classifier.
    fn key(&self, d: &Dep) -> Result<Key, String> {
        let part = |v: &Option<String>, what: &str| -> Result<String, String> {
            match v {
                None => Err(format!("no {what}")),
                Some(v) => self.expand(v).map_err(|w| self.project.why(w)),
            }
        };
        let group = part(&d.group, "groupId")?;
        let artifact = part(&d.artifact, "artifactId")?;
        let kind = d
            .kind
            .as_deref()
            .map_or_else(|| "jar".to_string(), |k| self.expand_or_raw(k));
        let classifier = d
            .classifier
            .as_deref()
            .map(|c| self.expand_or_raw(c))
            .unwrap_or_default();
        Ok((group, artifact, kind, classifier))
    }
}

/// groupId, artifactId, type, classifier.
type Key = (String, String, String, String);

#[derive(Debug, Clone)]
struct ManagedEntry {
    version: Result<String, String>,
    /// The version as written, for `unresolved` texts.
    raw: Option<String>,
    scope: Option<String>,
}

#[derive(Debug, Default)]
struct Managed {
    entries: HashMap<Key, ManagedEntry>,
    /// Imported BOMs not found in the tree (`g:a:v`).
    missing_imports: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The reactor: the project's own modules, where imported BOMs are looked for.

/// POM files read at most while listing modules.
const MAX_MODULES: usize = 1000;
/// BOM imports followed at most this deep.
const MAX_IMPORT_DEPTH: usize = 16;

struct LazyReactor {
    top: Option<PathBuf>,
    modules: OnceCell<Vec<(String, String, PathBuf)>>,
}

impl LazyReactor {
    fn new(top: Option<PathBuf>) -> Self {
        LazyReactor {
            top,
            modules: OnceCell::new(),
        }
    }

    /// (groupId, artifactId, path) of the top POM and of its modules, recursively.
    fn modules(&self) -> &[(String, String, PathBuf)] {
        self.modules.get_or_init(|| {
            let mut out = Vec::new();
            let Some(top) = &self.top else { return out };
            let mut queue = vec![top.clone()];
            let mut seen = HashSet::new();
            while let Some(path) = queue.pop() {
                if seen.len() >= MAX_MODULES || !seen.insert(canonical(&path)) {
                    continue;
                }
                let Some(pom) = Pom::load(&path) else {
                    continue;
                };
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                for m in &pom.modules {
                    let mut p = dir.join(m);
                    if !m.ends_with(".xml") {
                        p = p.join("pom.xml");
                    }
                    queue.push(p);
                }
                if let (Some(g), Some(a)) = (pom.group_or_parent(), &pom.artifact) {
                    out.push((g.to_string(), a.clone(), path));
                }
            }
            out
        })
    }

    /// The dependencyManagement of the BOM `group:artifact:version` when it is a module of
    /// this project, or `None`.
    fn bom(
        &self,
        group: &str,
        artifact: &str,
        version: Option<&str>,
        importing: &mut Vec<PathBuf>,
    ) -> Option<Managed> {
        if importing.len() >= MAX_IMPORT_DEPTH {
            return None;
        }
        let path = self
            .modules()
            .iter()
            .find(|(g, a, _)| g == group && a == artifact)
            .map(|(_, _, p)| p.clone())?;
        let key = canonical(&path);
        if importing.contains(&key) {
            return None;
        }
        let bom = Project::load(Pom::load(&path)?, Some(&path));
        let bom_version = bom
            .coords
            .version
            .as_deref()
            .and_then(|v| bom.ctx(&[]).expand(v).ok());
        if version.is_none() || bom_version.as_deref() != version {
            return None;
        }
        importing.push(key);
        let managed = bom.managed(self, importing);
        importing.pop();
        Some(managed)
    }
}

// ---------------------------------------------------------------------------------------------
// Resolution of the declared dependencies.

/// A version Maven will use as written, or why not.
fn exact_version(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("empty version".into());
    }
    if v.contains("${") {
        return Err(format!("version `{v}` holds an unexpanded `${{`"));
    }
    if let Some(inner) = v.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
        && !inner.contains(',')
        && !inner.contains(['[', ']', '(', ')'])
        && !inner.trim().is_empty()
    {
        return Ok(inner.trim().to_string());
    }
    if v.starts_with(['[', '(']) || v.contains(',') {
        return Err(format!("version range `{v}`"));
    }
    if v == "LATEST" || v == "RELEASE" {
        return Err(format!("meta-version `{v}`"));
    }
    if v.contains(char::is_whitespace) {
        return Err(format!("invalid version `{v}`"));
    }
    Ok(v.to_string())
}

fn scope_of(scope: &str, optional: bool) -> Scope {
    match scope {
        "test" => Scope::Test,
        _ if optional => Scope::Optional,
        "provided" | "system" => Scope::Optional,
        _ => Scope::Runtime,
    }
}

/// One dependency after expansion.
struct Resolved {
    key: Key,
    version: Result<String, String>,
    /// The version as written (expanded where possible), for `unresolved` texts.
    shown: Option<String>,
    scope: Scope,
    line: u32,
}

/// Expands one declared dependency in `ctx`, with versions from `managed`.
fn resolve_dep(
    ctx: &Ctx,
    d: &Dep,
    managed: &Managed,
    conditional: bool,
) -> Result<Resolved, String> {
    let key = ctx.key(d)?;
    let project = ctx.project;
    let entry = managed.entries.get(&key);
    let (version, shown) = match &d.version {
        Some(v) => match ctx.expand(v) {
            Ok(x) => (exact_version(&x), Some(x)),
            Err(w) => (Err(project.why(w)), Some(v.clone())),
        },
        None => match entry {
            Some(m) => (
                m.version
                    .clone()
                    .and_then(|v| exact_version(&v))
                    .map_err(|r| format!("from dependencyManagement: {r}")),
                m.version.clone().ok().or_else(|| m.raw.clone()),
            ),
            None => {
                let mut reason = String::from("no version, and no dependencyManagement entry");
                if !managed.missing_imports.is_empty() {
                    reason.push_str(&format!(
                        " (imported BOMs not in the tree: {})",
                        managed.missing_imports.join(", ")
                    ));
                }
                if let Some(parent) = &project.missing_parent {
                    reason.push_str(&format!(" (parent {parent} is not in the tree)"));
                }
                (Err(reason), None)
            }
        },
    };
    let scope = d
        .scope
        .as_deref()
        .map(|s| ctx.expand_or_raw(s))
        .or_else(|| entry.and_then(|m| m.scope.clone()))
        .unwrap_or_else(|| "compile".into());
    let optional = d
        .optional
        .as_deref()
        .is_some_and(|o| ctx.expand_or_raw(o) == "true");
    let mut scope = scope_of(&scope, optional);
    if conditional && scope != Scope::Test {
        scope = Scope::Optional;
    }
    Ok(Resolved {
        key,
        version,
        shown,
        scope,
        line: d.line,
    })
}

fn resolve(
    file: &SourceFile,
    project: &Project,
    managed: &Managed,
) -> Result<Extracted, ExtractError> {
    let ctx = project.ctx(&[]);
    let parent_line = project
        .chain
        .first()
        .and_then(|(p, _)| p.parent.as_ref())
        .map(|p| p.line);

    let mut effective: Vec<Resolved> = Vec::new();
    let mut by_key: HashMap<Key, usize> = HashMap::new();
    // Extra lines of duplicates at the same version, by index into `effective`.
    let mut extra_lines: Vec<(usize, u32)> = Vec::new();
    let mut out = Extracted::default();
    let unresolved = |line: u32, text: String, reason: String| Unresolved {
        file: file.display.clone(),
        line: Some(line),
        text,
        reason,
    };

    for (depth, (pom, _)) in project.chain.iter().enumerate() {
        let deps = pom
            .deps
            .iter()
            .chain(pom.active_profiles().flat_map(|p| p.deps.iter()));
        for d in deps {
            let line = if depth == 0 {
                d.line
            } else {
                parent_line.unwrap_or(d.line)
            };
            let r = match resolve_dep(&ctx, d, managed, false) {
                Ok(r) => Resolved { line, ..r },
                Err(msg) if depth == 0 => {
                    return Err(ExtractError::new(
                        &file.display,
                        Some(d.line),
                        format!("<dependency>: {msg}"),
                    ));
                }
                Err(msg) => {
                    out.unresolved.push(unresolved(
                        line,
                        "<dependency> inherited from the parent".into(),
                        msg,
                    ));
                    continue;
                }
            };
            match by_key.get(&r.key) {
                // A parent's declaration is overridden by the child's.
                Some(_) if depth > 0 => {}
                Some(&i) => match (&effective[i].version, &r.version) {
                    (a, b) if a == b => extra_lines.push((i, r.line)),
                    (kept, _) => out.unresolved.push(unresolved(
                        r.line,
                        text_of(&r),
                        format!(
                            "a second declaration of {}:{} (type {}, classifier `{}`); the \
                             first one (line {}{}) is kept",
                            r.key.0,
                            r.key.1,
                            r.key.2,
                            r.key.3,
                            effective[i].line,
                            kept.as_ref()
                                .map(|v| format!(", version {v}"))
                                .unwrap_or_default()
                        ),
                    )),
                },
                None => {
                    by_key.insert(r.key.clone(), effective.len());
                    effective.push(r);
                }
            }
        }
    }

    // Profiles this file cannot tell are active: their dependencies are conditional.
    let mut conditional: Vec<Resolved> = Vec::new();
    if let Some((pom, _)) = project.chain.first() {
        for profile in pom.profiles.iter().filter(|p| !p.active_by_default) {
            let pctx = project.ctx(&profile.properties);
            let mut pmanaged = Managed {
                entries: HashMap::new(),
                missing_imports: managed.missing_imports.clone(),
            };
            for d in &profile.managed {
                if let (Ok(key), Some(v)) = (pctx.key(d), &d.version) {
                    pmanaged.entries.entry(key).or_insert(ManagedEntry {
                        version: pctx.expand(v).map_err(|w| project.why(w)),
                        raw: Some(v.clone()),
                        scope: d.scope.as_deref().map(|s| pctx.expand_or_raw(s)),
                    });
                }
            }
            for (k, v) in &managed.entries {
                pmanaged
                    .entries
                    .entry(k.clone())
                    .or_insert_with(|| v.clone());
            }
            for d in &profile.deps {
                let r = resolve_dep(&pctx, d, &pmanaged, true).map_err(|msg| {
                    ExtractError::new(
                        &file.display,
                        Some(d.line),
                        format!("<dependency> in profile `{}`: {msg}", profile.id),
                    )
                })?;
                let already = by_key
                    .get(&r.key)
                    .is_some_and(|&i| effective[i].version == r.version);
                if already {
                    continue;
                }
                match &r.version {
                    Ok(_) => conditional.push(r),
                    Err(reason) => out.unresolved.push(unresolved(
                        r.line,
                        text_of(&r),
                        format!("in profile `{}`: {reason}", profile.id),
                    )),
                }
            }
        }
    }

    // Components, one per purl, in order of first declaration.
    let eco = Ecosystem::Maven;
    let mut by_purl: HashMap<String, usize> = HashMap::new();
    let lines_of = |i: usize| {
        std::iter::once(effective[i].line).chain(
            extra_lines
                .iter()
                .filter(move |(j, _)| *j == i)
                .map(|(_, l)| *l),
        )
    };
    let all = effective
        .iter()
        .enumerate()
        .map(|(i, r)| (r, lines_of(i).collect::<Vec<_>>()))
        .chain(conditional.iter().map(|r| (r, vec![r.line])));
    for (r, lines) in all {
        let version = match &r.version {
            Ok(v) => v,
            Err(reason) => {
                out.unresolved
                    .push(unresolved(r.line, text_of(r), reason.clone()));
                continue;
            }
        };
        let name = format!("{}:{}", r.key.0, r.key.1);
        let purl = eco.purl(&name, Some(version));
        let idx = match by_purl.get(&purl) {
            Some(&i) => i,
            None => {
                let mut c = Component::with_purl(eco.clone(), name, version.clone(), purl.clone());
                c.direct = true;
                c.scope = r.scope;
                by_purl.insert(purl, out.components.len());
                out.components.push(c);
                out.components.len() - 1
            }
        };
        let Some(c) = out.components.get_mut(idx) else {
            continue;
        };
        c.scope = c.scope.widest(r.scope);
        for line in lines {
            let l = loc(&file.display, Some(line));
            if !c.locations.contains(&l) {
                c.locations.push(l);
            }
        }
    }
    out.unresolved.sort_by_key(|u| u.line);
    Ok(out)
}

/// `group:artifact` and the version as written, for `unresolved`.
fn text_of(r: &Resolved) -> String {
    match &r.shown {
        Some(v) => format!("{}:{} {v}", r.key.0, r.key.1),
        None => format!("{}:{}", r.key.0, r.key.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        PomXml.extract(&SourceFile {
            display: "pom.xml".into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/pom.xml"), text)
    }

    /// (name, version, scope, lines) of each component.
    fn summary(ex: &Extracted) -> Vec<(String, String, Scope, Vec<u32>)> {
        ex.components
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.version.clone(),
                    c.scope,
                    c.locations.iter().filter_map(|l| l.line).collect(),
                )
            })
            .collect()
    }

    /// (text, line) of each unresolved entry.
    fn unresolved(ex: &Extracted) -> Vec<(String, u32)> {
        ex.unresolved
            .iter()
            .map(|u| (u.text.clone(), u.line.unwrap_or(0)))
            .collect()
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>org.example</groupId>
  <artifactId>app</artifactId>
  <version>${revision}</version>
  <properties>
    <revision>1.4.0</revision>
    <jackson.version>2.17.1</jackson.version>
    <jackson.alias>${jackson.version}</jackson.alias>
    <loop.a>${loop.b}</loop.a>
    <loop.b>${loop.a}</loop.b>
    <range>[1.0,2.0)</range>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.slf4j</groupId>
        <artifactId>slf4j-api</artifactId>
        <version>2.0.13</version>
        <scope>provided</scope>
      </dependency>
      <dependency>
        <groupId>org.only</groupId>
        <artifactId>managed</artifactId>
        <version>9.9</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.alias}</version>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>app-core</artifactId>
      <version>${project.version}</version>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>[4.13.2]</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
    </dependency>
    <dependency>
      <groupId>javax.servlet</groupId>
      <artifactId>servlet-api</artifactId>
      <version>2.5</version>
      <scope>system</scope>
    </dependency>
    <dependency>
      <groupId>org.opt</groupId>
      <artifactId>opt</artifactId>
      <version>1&#46;0</version>
      <optional>true</optional>
    </dependency>
    <dependency><groupId>org.bad</groupId><artifactId>undefined</artifactId><version>${nope}</version></dependency>
    <dependency><groupId>org.bad</groupId><artifactId>loop</artifactId><version>${loop.a}</version></dependency>
    <dependency><groupId>org.bad</groupId><artifactId>range</artifactId><version>${range}</version></dependency>
    <dependency><groupId>org.bad</groupId><artifactId>latest</artifactId><version>LATEST</version></dependency>
    <dependency><groupId>org.bad</groupId><artifactId>unmanaged</artifactId></dependency>
    <!--
    <dependency><groupId>org.commented</groupId><artifactId>out</artifactId><version>1</version></dependency>
    -->
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
        <dependencies>
          <dependency>
            <groupId>org.plugin</groupId>
            <artifactId>plugin-dep</artifactId>
            <version>1.0</version>
          </dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn reads_properties_management_scopes_and_lines() {
        let ex = run(POM).unwrap();
        assert_eq!(
            summary(&ex),
            [
                (
                    s("com.fasterxml.jackson.core:jackson-databind"),
                    s("2.17.1"),
                    Scope::Runtime,
                    vec![30]
                ),
                (
                    s("org.example:app-core"),
                    s("1.4.0"),
                    Scope::Runtime,
                    vec![35]
                ),
                (s("junit:junit"), s("4.13.2"), Scope::Test, vec![41]),
                // Version and scope from dependencyManagement.
                (
                    s("org.slf4j:slf4j-api"),
                    s("2.0.13"),
                    Scope::Optional,
                    vec![47]
                ),
                (
                    s("javax.servlet:servlet-api"),
                    s("2.5"),
                    Scope::Optional,
                    vec![51]
                ),
                (s("org.opt:opt"), s("1.0"), Scope::Optional, vec![57]),
            ]
        );
        let c = &ex.components[0];
        assert_eq!(
            c.purl,
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1"
        );
        assert_eq!(c.ecosystem, Ecosystem::Maven);
        assert!(
            ex.components
                .iter()
                .all(|c| c.direct && c.dependencies.is_empty())
        );
        assert_eq!(c.locations[0].file, "pom.xml");
        assert_eq!(
            unresolved(&ex),
            [
                (s("org.bad:undefined ${nope}"), 63),
                (s("org.bad:loop ${loop.a}"), 64),
                (s("org.bad:range [1.0,2.0)"), 65),
                (s("org.bad:latest LATEST"), 66),
                (s("org.bad:unmanaged"), 67),
            ]
        );
        let reasons: Vec<&str> = ex.unresolved.iter().map(|u| u.reason.as_str()).collect();
        assert!(
            reasons[0].contains("`nope` is not defined"),
            "{}",
            reasons[0]
        );
        assert!(reasons[1].contains("refers to itself"), "{}", reasons[1]);
        assert!(reasons[2].contains("range"), "{}", reasons[2]);
        assert!(reasons[3].contains("meta-version"), "{}", reasons[3]);
        assert!(
            reasons[4].contains("no dependencyManagement entry"),
            "{}",
            reasons[4]
        );
    }

    #[test]
    fn duplicates_keep_the_first_declaration() {
        let pom = r#"<project>
  <properties><a>lib</a><b>lib</b></properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>${a}</artifactId><version>1</version></dependency>
    <dependency><groupId>g</groupId><artifactId>${b}</artifactId><version>1</version></dependency>
    <dependency><groupId>g</groupId><artifactId>lib</artifactId><version>2</version></dependency>
    <dependency><groupId>g</groupId><artifactId>lib</artifactId><version>1</version><classifier>sources</classifier></dependency>
    <dependency><groupId>g</groupId><artifactId>lib</artifactId><version>3</version><type>test-jar</type><scope>test</scope></dependency>
  </dependencies>
</project>"#;
        let ex = run(pom).unwrap();
        assert_eq!(
            summary(&ex),
            [
                (s("g:lib"), s("1"), Scope::Runtime, vec![4, 5, 7]),
                (s("g:lib"), s("3"), Scope::Test, vec![8]),
            ]
        );
        assert_eq!(unresolved(&ex), [(s("g:lib 2"), 6)]);
        assert!(
            ex.unresolved[0].reason.contains("line 4"),
            "{:?}",
            ex.unresolved
        );
    }

    #[test]
    fn property_expansion_never_hangs() {
        // Each property doubles the one below it: 2^40 characters if expanded naively.
        let mut props = String::new();
        for i in 0..40 {
            props.push_str(&format!("<p{i}>${{p{}}}${{p{}}}</p{i}>", i + 1, i + 1));
        }
        props.push_str("<p40>x</p40><self>${self}</self><unclosed>${oops</unclosed>");
        let pom = format!(
            "<project><properties>{props}</properties><dependencies>\n\
             <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{p0}}</version></dependency>\n\
             <dependency><groupId>g</groupId><artifactId>b</artifactId><version>${{self}}</version></dependency>\n\
             <dependency><groupId>g</groupId><artifactId>c</artifactId><version>${{unclosed}}</version></dependency>\n\
             <dependency><groupId>g</groupId><artifactId>d</artifactId><version>${{version}}</version></dependency>\n\
             </dependencies></project>"
        );
        let ex = run(&pom).unwrap();
        assert!(ex.components.is_empty());
        assert_eq!(ex.unresolved.len(), 4, "{:?}", ex.unresolved);
        assert!(ex.unresolved[0].reason.contains("too deep or too large"));
        assert!(ex.unresolved[1].reason.contains("`self` refers to itself"));
        assert!(ex.unresolved[2].reason.contains("unexpanded"));
        // `${version}` is the project's version, which is not given.
        assert!(ex.unresolved[3].reason.contains("`version` is not defined"));
    }

    #[test]
    fn profiles_active_by_default_and_conditional() {
        let pom = r#"<project>
  <properties><v>1.0</v></properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>base</artifactId><version>${v}</version></dependency>
  </dependencies>
  <profiles>
    <profile>
      <id>default</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <properties><v>1.1</v></properties>
      <dependencies>
        <dependency><groupId>g</groupId><artifactId>always</artifactId><version>${v}</version></dependency>
      </dependencies>
    </profile>
    <profile>
      <id>jdk8</id>
      <activation><jdk>1.8</jdk></activation>
      <properties><w>8.0</w></properties>
      <dependencyManagement><dependencies>
        <dependency><groupId>g</groupId><artifactId>managed</artifactId><version>${w}</version></dependency>
      </dependencies></dependencyManagement>
      <dependencies>
        <dependency><groupId>g</groupId><artifactId>old</artifactId><version>${w}</version></dependency>
        <dependency><groupId>g</groupId><artifactId>managed</artifactId></dependency>
        <dependency><groupId>g</groupId><artifactId>base</artifactId><version>1.1</version></dependency>
        <dependency><groupId>g</groupId><artifactId>t</artifactId><version>1</version><scope>test</scope></dependency>
        <dependency><groupId>g</groupId><artifactId>nov</artifactId></dependency>
      </dependencies>
    </profile>
  </profiles>
</project>"#;
        let ex = run(pom).unwrap();
        assert_eq!(
            summary(&ex),
            [
                // The active profile's property applies to the whole POM.
                (s("g:base"), s("1.1"), Scope::Runtime, vec![4]),
                (s("g:always"), s("1.1"), Scope::Runtime, vec![12]),
                (s("g:old"), s("8.0"), Scope::Optional, vec![23]),
                (s("g:managed"), s("8.0"), Scope::Optional, vec![24]),
                (s("g:t"), s("1"), Scope::Test, vec![26]),
            ]
        );
        assert_eq!(unresolved(&ex), [(s("g:nov"), 27)]);
        assert!(ex.unresolved[0].reason.starts_with("in profile `jdk8`"));
    }

    /// Writes `files` (relative path, text) under a new temporary directory.
    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn run_file(dir: &Path, rel: &str) -> Extracted {
        let path = dir.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        run_at(&path, &text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    const PARENT: &str = r#"<project>
  <parent>
    <groupId>org.external</groupId>
    <artifactId>corporate</artifactId>
    <version>7</version>
  </parent>
  <groupId>org.acme</groupId>
  <artifactId>acme-parent</artifactId>
  <version>${revision}</version>
  <packaging>pom</packaging>
  <modules>
    <module>bom</module>
    <module>app</module>
  </modules>
  <properties>
    <revision>3.1</revision>
    <guava.version>33.0.0-jre</guava.version>
    <overridden>parent</overridden>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>${guava.version}</version></dependency>
      <dependency><groupId>org.x</groupId><artifactId>by-child-prop</artifactId><version>${overridden}</version></dependency>
      <dependency><groupId>org.x</groupId><artifactId>from-corporate</artifactId><version>${corporate.version}</version></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>org.inherited</groupId><artifactId>everywhere</artifactId><version>1.2</version></dependency>
    <dependency><groupId>org.overridden</groupId><artifactId>lib</artifactId><version>1.0</version></dependency>
  </dependencies>
</project>"#;

    const BOM: &str = r#"<project>
  <parent>
    <groupId>org.acme</groupId>
    <artifactId>acme-parent</artifactId>
    <version>${revision}</version>
  </parent>
  <artifactId>acme-bom</artifactId>
  <packaging>pom</packaging>
  <properties><netty.version>4.1.100.Final</netty.version><overridden>bom</overridden></properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>io.netty</groupId><artifactId>netty-handler</artifactId><version>${netty.version}</version></dependency>
      <dependency><groupId>org.x</groupId><artifactId>bom-prop</artifactId><version>${overridden}</version></dependency>
      <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>1.0-from-bom</version></dependency>
      <dependency><groupId>org.elsewhere</groupId><artifactId>other-bom</artifactId><version>5</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
</project>"#;

    const APP: &str = r#"<project>
  <parent>
    <groupId>org.acme</groupId>
    <artifactId>acme-parent</artifactId>
    <version>${revision}</version>
    <relativePath>..</relativePath>
  </parent>
  <artifactId>app</artifactId>
  <properties><overridden>child</overridden></properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.acme</groupId><artifactId>acme-bom</artifactId><version>${project.version}</version><type>pom</type><scope>import</scope></dependency>
      <dependency><groupId>org.missing</groupId><artifactId>missing-bom</artifactId><version>2</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>${project.groupId}</groupId><artifactId>lib</artifactId><version>${project.parent.version}</version></dependency>
    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>
    <dependency><groupId>io.netty</groupId><artifactId>netty-handler</artifactId></dependency>
    <dependency><groupId>org.x</groupId><artifactId>by-child-prop</artifactId></dependency>
    <dependency><groupId>org.x</groupId><artifactId>bom-prop</artifactId></dependency>
    <dependency><groupId>org.x</groupId><artifactId>from-corporate</artifactId></dependency>
    <dependency><groupId>org.x</groupId><artifactId>nowhere</artifactId></dependency>
    <dependency><groupId>org.overridden</groupId><artifactId>lib</artifactId><version>2.0</version></dependency>
    <dependency><groupId>org.x</groupId><artifactId>parent-prop</artifactId><version>${guava.version}</version></dependency>
  </dependencies>
</project>"#;

    #[test]
    fn parent_on_disk_and_bom_imported_from_the_reactor() {
        let dir = tree(&[
            ("pom.xml", PARENT),
            ("bom/pom.xml", BOM),
            ("app/pom.xml", APP),
        ]);
        let ex = run_file(dir.path(), "app/pom.xml");
        assert_eq!(
            summary(&ex),
            [
                // groupId and version inherited from the parent.
                (s("org.acme:lib"), s("3.1"), Scope::Runtime, vec![17]),
                // The parent's management wins over the imported BOM's.
                (
                    s("com.google.guava:guava"),
                    s("33.0.0-jre"),
                    Scope::Runtime,
                    vec![18]
                ),
                (
                    s("io.netty:netty-handler"),
                    s("4.1.100.Final"),
                    Scope::Runtime,
                    vec![19]
                ),
                // Inherited management is expanded with the child's properties...
                (
                    s("org.x:by-child-prop"),
                    s("child"),
                    Scope::Runtime,
                    vec![20]
                ),
                // ...imported management with the BOM's own.
                (s("org.x:bom-prop"), s("bom"), Scope::Runtime, vec![21]),
                (s("org.overridden:lib"), s("2.0"), Scope::Runtime, vec![24]),
                (
                    s("org.x:parent-prop"),
                    s("33.0.0-jre"),
                    Scope::Runtime,
                    vec![25]
                ),
                // The parent's dependencies, at the line of <parent>.
                (
                    s("org.inherited:everywhere"),
                    s("1.2"),
                    Scope::Runtime,
                    vec![2]
                ),
            ]
        );
        assert_eq!(
            unresolved(&ex),
            [
                (s("org.x:from-corporate ${corporate.version}"), 22),
                (s("org.x:nowhere"), 23)
            ]
        );
        let reasons: Vec<&str> = ex.unresolved.iter().map(|u| u.reason.as_str()).collect();
        assert!(
            reasons[0].contains("org.external:corporate:7, which is not in the tree"),
            "{}",
            reasons[0]
        );
        assert!(
            reasons[1].contains("org.missing:missing-bom:2")
                && reasons[1].contains("org.elsewhere:other-bom:5"),
            "{}",
            reasons[1]
        );

        // The parent itself: its own dependencies, its own parent missing.
        let ex = run_file(dir.path(), "pom.xml");
        assert_eq!(ex.components.len(), 2);
        assert!(ex.unresolved.is_empty());
    }

    #[test]
    fn parents_that_are_not_the_one_asked_for_are_not_used() {
        let child = |parent: &str| {
            format!(
                "<project>\n{parent}\n<artifactId>c</artifactId><dependencies>\n\
                 <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{v}}</version></dependency>\n\
                 </dependencies></project>"
            )
        };
        let parent_pom = "<project><groupId>p</groupId><artifactId>parent</artifactId><version>1</version>\
                          <properties><v>5</v></properties></project>";
        let cases = [
            // (parent element, file holding the parent, resolved?)
            (
                "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version></parent>",
                "pom.xml",
                true,
            ),
            (
                "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version><relativePath>other/pom.xml</relativePath></parent>",
                "sub/other/pom.xml",
                true,
            ),
            (
                "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version><relativePath>other</relativePath></parent>",
                "sub/other/pom.xml",
                true,
            ),
            (
                "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>1</version><relativePath/></parent>",
                "pom.xml",
                false,
            ),
            (
                "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>2</version></parent>",
                "pom.xml",
                false,
            ),
            (
                "<parent><groupId>q</groupId><artifactId>parent</artifactId><version>1</version></parent>",
                "pom.xml",
                false,
            ),
            (
                "<parent><groupId>p</groupId><artifactId>other</artifactId><version>1</version></parent>",
                "pom.xml",
                false,
            ),
        ];
        for (parent, at, resolved) in cases {
            let c = child(parent);
            let dir = tree(&[("sub/pom.xml", &c), (at, parent_pom)]);
            let ex = run_file(dir.path(), "sub/pom.xml");
            assert_eq!(
                ex.components.len(),
                usize::from(resolved),
                "{parent} at {at}"
            );
            if !resolved {
                assert!(
                    ex.unresolved[0].reason.contains("not in the tree"),
                    "{parent}"
                );
            }
        }
    }

    #[test]
    fn parent_cycles_and_import_cycles_end() {
        let a = r#"<project>
  <parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version><relativePath>../b</relativePath></parent>
  <groupId>g</groupId><artifactId>a</artifactId><version>1</version>
  <modules><module>../b</module></modules>
  <dependencyManagement><dependencies>
    <dependency><groupId>g</groupId><artifactId>b</artifactId><version>1</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId></dependency></dependencies>
</project>"#;
        let b = a
            .replace("<artifactId>b</artifactId>", "<artifactId>TMP</artifactId>")
            .replace("<artifactId>a</artifactId>", "<artifactId>b</artifactId>")
            .replace("<artifactId>TMP</artifactId>", "<artifactId>a</artifactId>")
            .replace("../b", "../a");
        let dir = tree(&[("a/pom.xml", a), ("b/pom.xml", &b)]);
        for f in ["a/pom.xml", "b/pom.xml"] {
            let ex = run_file(dir.path(), f);
            assert!(ex.components.is_empty());
            assert_eq!(ex.unresolved.len(), 1, "{f}");
        }
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            (
                "<project>\n<properties>\n<${Id}.version>1</${Id}.version>\n</properties>\n</project>",
                3,
            ),
            ("<project>\n<dependencies>\n</dependency>\n</project>", 3),
            ("<project>\n<dependencies>\n<dependency>\n", 3),
            ("<project>\n\n<name>&nbsp;</name>\n</project>", 3),
            ("<project>\n\n<name>&#0;</name>\n</project>", 3),
            ("<project>\n</project>\n<project/>", 3),
            ("<project>\n</project>\ntext", 3),
            ("\n<pom/>", 2),
            (
                "<project>\n<dependencies>\n<dependency><artifactId>a</artifactId><version>1</version></dependency>\n</dependencies></project>",
                3,
            ),
            (
                "<project>\n<dependencies>\n<dependency><groupId>g</groupId></dependency>\n</dependencies></project>",
                3,
            ),
            ("<project>\n<a b='1' b='2'/>\n</project>", 2),
            ("<project>\n<a b='<'/>\n</project>", 2),
            ("<project>\n<!-- x\n</project>", 2),
            ("", 1),
            ("not xml", 1),
        ];
        for (text, line) in cases {
            let err = run(text).expect_err(text);
            assert_eq!(err.line, Some(*line), "{text}: {err}");
            assert_eq!(err.file, "pom.xml");
        }
        let deep = format!("<project>{}", "<a>".repeat(10_000));
        assert!(run(&deep).unwrap_err().message.contains("nested deeper"));
        // A well-formed POM with nothing in it.
        assert!(run("<project/>").unwrap().components.is_empty());
        // A byte-order mark and CRLF line ends.
        let crlf = "\u{feff}<?xml version=\"1.0\"?>\r\n<project>\r\n<dependencies>\r\n\
                    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>\r\n\
                    </dependencies></project>\r\n";
        let ex = run(crlf).unwrap();
        assert_eq!(ex.components[0].locations[0].line, Some(4));
        // CDATA, entities and a namespace prefix read as text and names.
        let ex = run("<m:project xmlns:m='x'><m:dependencies><m:dependency><m:groupId><![CDATA[a&b]]></m:groupId>\
                      <m:artifactId>c&amp;d</m:artifactId><m:version> 1 </m:version></m:dependency></m:dependencies></m:project>")
            .unwrap();
        assert_eq!(ex.components[0].name, "a&b:c&d");
        assert_eq!(ex.components[0].version, "1");
    }

    #[test]
    fn applies_to_pom_xml_only() {
        assert!(PomXml.applies_to(Path::new("a/pom.xml")));
        assert!(PomXml.applies_to(Path::new("pom.xml")));
        assert!(!PomXml.applies_to(Path::new("a/pom.xml.bak")));
        assert!(!PomXml.applies_to(Path::new("a/build.gradle")));
        assert_eq!(PomXml.name(), "pom-xml");
        assert!(PomXml.superseded_by().is_empty());
    }

    /// Peer expectations deliberately not met: (fixture, name, peer version, reason). Each of
    /// these packages is expected in `unresolved` instead (or, for the last, nowhere).
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
        (
            "lockfiles/maven/pom-xml/interpolation.xml",
            "org.mine:ranged-package",
            "9.4.35.v20201120",
            "the peer reports the lower bound of the range [9.4.35.v20201120,9.5); Maven uses \
             the highest available version in the range, which the POM does not say, so \
             ossgate lists it in `unresolved`",
        ),
        (
            "lockfiles/maven/pom-xml/with-parent.xml",
            "org.frank:frank",
            "",
            "declared without a version and managed by nothing in the tree (only possibly by \
             the imported BOM org.import:import:1.2.3, which is not in the tree): the peer \
             reports an empty version, ossgate lists it in `unresolved`",
        ),
        (
            "lockfiles/maven/osv-scanner-v1/maven/interpolation.xml",
            "org.mine:ranged-package",
            "9.4.35.v20201120",
            "only in <dependencyManagement>, which manages versions without adding a \
             dependency (the pom-xml fixture transitive.xml expects the same), and a range",
        ),
    ];

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let (mut checked, mut failed, mut excepted, mut lines) = (0, 0, 0, 0);
        for r in peer_records(&root, |r| {
            r["format"] == "pom-xml" || r["format"] == "osv-scanner-v1/maven"
        }) {
            let fixture = fixture(&r);
            let path = root.join(fixture);
            let text = fixture_text(&root, &r);
            let result = run_at(&path, &text);
            if r.get("expect_error").is_some() {
                assert!(result.is_err(), "{fixture}");
                failed += 1;
                continue;
            }
            let ex = result.unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let mut want = expected_packages(&root, &r);
            for (_, name, version, _) in EXCEPTIONS.iter().filter(|e| e.0 == fixture) {
                let key = (name.to_string(), version.to_string());
                assert_eq!(want.remove(&key), Some(1), "{fixture}: {name}");
                let in_management = fixture.contains("osv-scanner-v1");
                assert_eq!(
                    ex.unresolved.iter().any(|u| u.text.starts_with(name)),
                    !in_management,
                    "{fixture}: {name}"
                );
                excepted += 1;
            }
            assert_eq!(packages(&ex.components), want, "{fixture}");
            // Lines: a component is located (among others) where the peer puts it; the peer's
            // line 0 means "ambiguous".
            for e in expected(&root, &r) {
                let Some(line) = e["location"]["line"].as_u64().filter(|l| *l > 0) else {
                    continue;
                };
                let (name, version) = name_version(&e);
                if let Some(c) = ex
                    .components
                    .iter()
                    .find(|c| c.name == name && c.version == version)
                {
                    assert!(
                        c.locations.iter().any(|l| l.line == Some(line as u32)),
                        "{fixture}: {name} not at line {line}: {:?}",
                        c.locations
                    );
                    lines += 1;
                }
            }
            // Scope: the peer's `test` group.
            for e in expected(&root, &r) {
                if let Some(groups) = e["dep_groups"].as_array() {
                    let (name, version) = name_version(&e);
                    if let Some(c) = ex
                        .components
                        .iter()
                        .find(|c| c.name == name && c.version == version)
                    {
                        assert_eq!(
                            c.scope == Scope::Test,
                            groups.iter().any(|g| g == "test"),
                            "{fixture}: {name}"
                        );
                    }
                }
            }
            checked += 1;
        }
        assert_eq!((checked, failed, excepted, lines), (13, 1, 3, 18));
    }

    /// Removes `<!-- ... -->` comments, keeping the line breaks inside them.
    fn strip_comments(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("<!--") {
            out.push_str(&rest[..i]);
            let after = &rest[i..];
            let end = after.find("-->").map_or(after.len(), |j| j + 3);
            out.extend(after[..end].chars().filter(|c| *c == '\n'));
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }

    /// Lines of `<dependency>` tags that declare dependencies of the project: outside
    /// `<build>`, `<reporting>` and `<dependencyManagement>`, found by scanning lines.
    fn declared_dependency_lines(text: &str) -> Vec<u32> {
        let text = strip_comments(text);
        let mut depth = 0i32;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            for tag in ["build", "reporting", "dependencyManagement"] {
                depth += line.matches(&format!("<{tag}>")).count() as i32;
            }
            if depth == 0 {
                for _ in line.matches("<dependency>") {
                    out.push(i as u32 + 1);
                }
            }
            for tag in ["build", "reporting", "dependencyManagement"] {
                depth -= line.matches(&format!("</{tag}>")).count() as i32;
            }
        }
        out
    }

    /// Jenkins' multi-module build: every POM parses; each `<dependency>` the project
    /// declares (counted by scanning lines) is a component or an unresolved entry at its
    /// line; the versions managed by `bom/pom.xml` (a module imported as a BOM) resolve.
    #[test]
    fn real_jenkins_poms() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let dir = inputs.join("jenkins");
        let files = [
            "pom.xml",
            "bom/pom.xml",
            "core/pom.xml",
            "cli/pom.xml",
            "war/pom.xml",
            "coverage/pom.xml",
            "websocket/spi/pom.xml",
            "websocket/jetty12-ee9/pom.xml",
        ];
        let (mut components, mut unresolved_total, mut tags, mut declared) = (0, 0, 0, 0);
        for f in files {
            let path = dir.join(f);
            let text = std::fs::read_to_string(&path).unwrap();
            tags += text.matches("<dependency>").count();
            let ex = PomXml
                .extract(&SourceFile {
                    display: f.to_string(),
                    path: &path,
                    text: &text,
                })
                .unwrap_or_else(|e| panic!("{e}"));
            let parent_line = text
                .lines()
                .position(|l| l.trim() == "<parent>")
                .map(|i| i as u32 + 1);
            let mut got: Vec<u32> = ex
                .components
                .iter()
                .flat_map(|c| c.locations.iter().filter_map(|l| l.line))
                .chain(ex.unresolved.iter().filter_map(|u| u.line))
                .filter(|l| Some(*l) != parent_line)
                .collect();
            got.sort();
            got.dedup();
            let want = declared_dependency_lines(&text);
            assert_eq!(got, want, "{f}");
            declared += want.len();
            components += ex.components.len();
            unresolved_total += ex.unresolved.len();
            eprintln!(
                "{f}: {} components, {} unresolved, {} declared",
                ex.components.len(),
                ex.unresolved.len(),
                want.len()
            );

            if f == "core/pom.xml" {
                // Managed by bom/pom.xml, with properties of the root POM.
                let find = |n: &str| {
                    ex.components
                        .iter()
                        .find(|c| c.name == n)
                        .map(|c| c.version.as_str())
                };
                assert_eq!(
                    find("org.jenkins-ci.main:remoting"),
                    Some("3386.v353e57a_1b_ea_0")
                );
                assert_eq!(find("com.google.guava:guava"), Some("33.7.1-jre"));
                assert_eq!(find("org.jenkins-ci.main:cli"), Some("2.579-SNAPSHOT"));
            }
        }
        // The same number of `<dependency>` tags as the shared data's SOURCES.md lists.
        assert_eq!(tags, 146);
        // 85 declared: 68 components (no two at one purl) and 17 unresolved, all of them
        // versions managed by BOMs or a parent on Maven Central (spring, slf4j, junit...).
        assert_eq!((components, unresolved_total, declared), (68, 17, 85));
    }
}
