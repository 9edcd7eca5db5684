//! MSBuild project files: `*.csproj`, `*.fsproj`, `*.vbproj`, `Directory.Packages.props` and
//! `Directory.Build.props` (NuGet `PackageReference` projects).
//!
//! What is read, from any `ItemGroup` (conditions are not evaluated, so every conditional
//! reference is reported):
//! - `<PackageReference Include="Id" Version="1.2.3" />`: the version comes from the
//!   `VersionOverride` or `Version` metadata, written as an attribute or as a child element
//!   (`<Version>1.2.3</Version>`). A reference without one takes the version central package
//!   management gives it: a `<PackageVersion>` in the same file, else in the nearest
//!   `Directory.Packages.props` in the project's directory or above it on disk (MSBuild's own
//!   look-up); with none of these it is unresolved.
//! - `<PackageVersion Include="Id" Version="1.2.3" />` (the central version list of
//!   `Directory.Packages.props`): each pinned version is reported, as the project's own
//!   declaration.
//! - `<GlobalPackageReference Include="Id" Version="1.2.3" />`: a reference added to every
//!   project; NuGet gives these `PrivateAssets="All"`, so they are development dependencies.
//!
//! Every reference is direct (the project declares it). `PrivateAssets="all"` means the package
//! does not flow to the project's consumers — the idiom for analyzers, SourceLink, build and test
//! tooling — so such a reference is read as a development dependency (`Scope::Dev`). That is a
//! reading, not a rule of NuGet: an application still copies the package's runtime assets.
//!
//! Versions: a plain `1.2.3` is NuGet's "at least 1.2.3", which restore resolves to 1.2.3 when
//! it exists, so it is taken as the version; `[1.2.3]` is an exact pin. Ranges (`[1.0,2.0)`,
//! `(,2.0]`), floating versions (`1.*`, `*`) and empty versions are unresolved. `$(Name)` in an
//! id or a version is expanded from the `PropertyGroup`s of the same file, then of the nearest
//! `Directory.Build.props` (and, for a central version, of that `Directory.Packages.props`); an
//! undefined property leaves the reference unresolved. `Import`s are not followed.
//!
//! Not read: items with `Update` or `Remove` instead of `Include` (they change references made
//! elsewhere), `ProjectReference` (the solution's own projects), old-style `<Reference>`
//! assembly references (their packages are in `packages.config`). A `packages.lock.json` beside
//! the project (or above it) holds the resolved graph, so the project file is then not read.

use super::file_name;
use crate::lines::line_of_offset;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct MsBuild;

const CENTRAL_FILE: &str = "Directory.Packages.props";
const BUILD_PROPS: &str = "Directory.Build.props";

impl Extractor for MsBuild {
    fn name(&self) -> &'static str {
        "msbuild"
    }

    fn applies_to(&self, path: &Path) -> bool {
        let name = file_name(path);
        if name.eq_ignore_ascii_case(CENTRAL_FILE) || name.eq_ignore_ascii_case(BUILD_PROPS) {
            return true;
        }
        let lower = name.to_ascii_lowercase();
        [".csproj", ".fsproj", ".vbproj"]
            .iter()
            .any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["packages.lock.json"]
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let root = parse_xml(&file.display, file.text)?;
        if !root.name.eq_ignore_ascii_case("Project") {
            return Err(ExtractError::new(
                &file.display,
                Some(root.line),
                format!(
                    "not an MSBuild project file: the root element is <{}>, not <Project>",
                    root.name
                ),
            ));
        }
        let is_central = file_name(file.path).eq_ignore_ascii_case(CENTRAL_FILE);
        let is_build_props = file_name(file.path).eq_ignore_ascii_case(BUILD_PROPS);

        // Properties: this file's, then the nearest Directory.Build.props'.
        let mut props = vec![properties(&root)];
        if !is_build_props
            && let Some(build) = nearest_above(file.path, BUILD_PROPS)
            && let Ok(text) = std::fs::read_to_string(&build)
            && let Ok(build_root) = parse_xml("", &text)
        {
            props.push(properties(&build_root));
        }
        let own_versions = package_versions(&root);
        // The central version list, read only when a reference needs it.
        let mut central: Option<Central> = None;

        let mut out = Extracted::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for el in root.descendants() {
            let kind = match el.name.as_str() {
                n if n.eq_ignore_ascii_case("PackageReference") => Item::Reference,
                n if n.eq_ignore_ascii_case("PackageVersion") => Item::Version,
                n if n.eq_ignore_ascii_case("GlobalPackageReference") => Item::Global,
                _ => continue,
            };
            let Some(include) = el.attr("Include") else {
                continue;
            };
            let line = Some(el.line);
            let unresolved = |text: String, reason: String| Unresolved {
                file: file.display.clone(),
                line,
                text,
                reason,
            };
            let ids = match expand(include, &props) {
                Some(ids) => ids,
                None => {
                    out.unresolved.push(unresolved(
                        include.trim().to_string(),
                        "the package id uses an MSBuild property not defined here".into(),
                    ));
                    continue;
                }
            };
            let written = metadata(el, "VersionOverride")
                .or_else(|| metadata(el, "Version"))
                .filter(|v| !v.is_empty());
            let scope = match (kind, metadata(el, "PrivateAssets")) {
                (_, Some(p)) if is_all(&p) => Scope::Dev,
                (Item::Global, None) => Scope::Dev,
                _ => Scope::Runtime,
            };
            for id in ids.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let version = match &written {
                    Some(v) => expand(v, &props).ok_or_else(|| {
                        (
                            v.clone(),
                            "the version uses an MSBuild property not defined here".to_string(),
                        )
                    }),
                    None if kind == Item::Reference => {
                        central_version(id, &own_versions, &props, is_central, file, &mut central)
                    }
                    None => Err((String::new(), "no version".to_string())),
                }
                .and_then(|v| exact_version(&v).map_err(|reason| (v.clone(), reason.into())));
                let version = match version {
                    Ok(v) => v,
                    Err((written, reason)) => {
                        let text = format!("{id} {written}").trim_end().to_string();
                        out.unresolved.push(unresolved(text, reason));
                        continue;
                    }
                };
                let key = (Ecosystem::NuGet.normalize_name(id), version.clone());
                match index.get(&key) {
                    Some(&i) => {
                        let c = &mut out.components[i];
                        c.scope = c.scope.widest(scope);
                        let l = loc(&file.display, line);
                        if !c.locations.contains(&l) {
                            c.locations.push(l);
                        }
                    }
                    None => {
                        let mut c = Component::new(Ecosystem::NuGet, id, version);
                        c.locations.push(loc(&file.display, line));
                        c.direct = true;
                        c.scope = scope;
                        index.insert(key, out.components.len());
                        out.components.push(c);
                    }
                }
            }
        }
        Ok(out)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Item {
    Reference,
    Version,
    Global,
}

/// The version central package management gives `id`: a `PackageVersion` of this file, else of
/// the nearest `Directory.Packages.props`. `Err((written version, reason))` when there is none.
fn central_version(
    id: &str,
    own: &HashMap<String, String>,
    props: &[HashMap<String, String>],
    is_central: bool,
    file: &SourceFile,
    central: &mut Option<Central>,
) -> Result<String, (String, String)> {
    let key = Ecosystem::NuGet.normalize_name(id);
    if let Some(v) = own.get(&key) {
        return expand(v, props).ok_or_else(|| {
            (
                v.clone(),
                "the central version uses an MSBuild property not defined here".into(),
            )
        });
    }
    if is_central {
        return Err((
            String::new(),
            "no version, and no PackageVersion for it".into(),
        ));
    }
    let central = central.get_or_insert_with(|| Central::find(file.path));
    match central {
        Central::Missing => Err((
            String::new(),
            format!("no version, and no {CENTRAL_FILE} above the project"),
        )),
        Central::Unreadable(path, why) => Err((
            String::new(),
            format!(
                "no version, and {} could not be read: {why}",
                path.display()
            ),
        )),
        Central::Found {
            path,
            versions,
            props: central_props,
        } => match versions.get(&key) {
            Some(v) => {
                let mut all = vec![central_props.clone()];
                all.extend(props.iter().cloned());
                expand(v, &all).ok_or_else(|| {
                    (
                        v.clone(),
                        format!(
                            "the version in {} uses an MSBuild property not defined there",
                            path.display()
                        ),
                    )
                })
            }
            None => Err((
                String::new(),
                format!(
                    "no version, and no PackageVersion for it in {}",
                    path.display()
                ),
            )),
        },
    }
}

/// The nearest `Directory.Packages.props` above a project, read.
enum Central {
    Missing,
    Unreadable(PathBuf, String),
    Found {
        path: PathBuf,
        versions: HashMap<String, String>,
        props: HashMap<String, String>,
    },
}

impl Central {
    fn find(project: &Path) -> Central {
        let Some(path) = nearest_above(project, CENTRAL_FILE) else {
            return Central::Missing;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return Central::Unreadable(path, e.to_string()),
        };
        match parse_xml(&path.display().to_string(), &text) {
            Ok(root) => Central::Found {
                versions: package_versions(&root),
                props: properties(&root),
                path,
            },
            Err(e) => Central::Unreadable(path, e.to_string()),
        }
    }
}

/// `name` in the directory of `file` or the nearest directory above it, other than `file`
/// itself. MSBuild walks up to the root of the file system.
fn nearest_above(file: &Path, name: &str) -> Option<PathBuf> {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let mut dir = file.parent();
    while let Some(d) = dir {
        let candidate = d.join(name);
        if candidate != file && candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// `PackageVersion` items of a file: lower-cased id → version as written (last one wins).
fn package_versions(root: &Element) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for el in root.descendants() {
        if !el.name.eq_ignore_ascii_case("PackageVersion") {
            continue;
        }
        let (Some(include), Some(version)) = (el.attr("Include"), metadata(el, "Version")) else {
            continue;
        };
        for id in include.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            out.insert(Ecosystem::NuGet.normalize_name(id), version.clone());
        }
    }
    out
}

/// Properties set in the `PropertyGroup`s of a file (names lower-cased; the last one wins).
fn properties(root: &Element) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for group in root.descendants() {
        if !group.name.eq_ignore_ascii_case("PropertyGroup") {
            continue;
        }
        for p in &group.children {
            out.insert(p.name.to_ascii_lowercase(), p.text.trim().to_string());
        }
    }
    out
}

/// `value` with its `$(Name)` references replaced from `props` (searched in order), or `None`
/// when one is not defined. Expansion is repeated a few times for properties made of others.
fn expand(value: &str, props: &[HashMap<String, String>]) -> Option<String> {
    let mut out = value.trim().to_string();
    for _ in 0..8 {
        let Some(start) = out.find("$(") else {
            return Some(out);
        };
        let end = start + out.get(start..)?.find(')')?;
        let name = out.get(start + 2..end)?.trim().to_ascii_lowercase();
        let v = props.iter().find_map(|p| p.get(&name))?;
        out = format!("{}{}{}", out.get(..start)?, v, out.get(end + 1..)?);
    }
    (!out.contains("$(")).then_some(out)
}

/// Item metadata written as an attribute or as a child element, trimmed.
fn metadata(el: &Element, name: &str) -> Option<String> {
    el.attr(name)
        .map(|v| v.trim().to_string())
        .or_else(|| el.child(name).map(|c| c.text.trim().to_string()))
}

/// Whether a `PrivateAssets` value includes `all`.
fn is_all(value: &str) -> bool {
    value
        .split(';')
        .any(|p| p.trim().eq_ignore_ascii_case("all"))
}

/// The exact version a NuGet version string pins, or why it pins none.
pub(super) fn exact_version(v: &str) -> Result<String, &'static str> {
    let v = v.trim();
    if v.is_empty() {
        return Err("no version");
    }
    let v = match v.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) if !inner.contains(',') => inner.trim(),
        _ if v.starts_with(['[', '(']) || v.contains(',') => {
            return Err("a version range, not one version");
        }
        _ => v,
    };
    if v.contains('*') {
        return Err("a floating version, not one version");
    }
    if v.contains("$(") {
        return Err("an MSBuild property that is not defined here");
    }
    if !v.starts_with(|c: char| c.is_ascii_digit()) || v.contains(char::is_whitespace) {
        return Err("not a version");
    }
    Ok(v.to_string())
}

// ---------------------------------------------------------------------------------------------
// A small XML tree, enough for MSBuild files and packages.config.

/// Deeper nesting than this is refused (no real file comes near it; it bounds recursion).
const MAX_DEPTH: usize = 200;

/// One XML element: local name, attributes (local names) in order, the 1-based line of its
/// start tag, child elements and the text directly inside it.
#[derive(Debug)]
pub(super) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub line: u32,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// An attribute's value, by case-insensitive local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child element with this (case-insensitive) local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Every element below this one, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(el) = stack.pop() {
            out.push(el);
            stack.extend(el.children.iter().rev());
        }
        out
    }
}

/// Parses a whole XML document into its root element. Malformed XML, text or a second element
/// outside the root, an unclosed element and a document with no element are errors with a line.
pub(super) fn parse_xml(display: &str, text: &str) -> Result<Element, ExtractError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = text.len() - body.len();
    let line_at = |pos: u64| line_of_offset(text, base + pos as usize);
    let err = |pos: u64, msg: String| ExtractError::new(display, Some(line_at(pos)), msg);
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| err(reader.error_position(), format!("invalid XML: {e}")))?;
        let text_piece = match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if stack.is_empty() && root.is_some() {
                    return Err(err(pos, "a second element after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(pos, "elements nested too deeply".into()));
                }
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| err(pos, format!("invalid XML attribute: {e}")))?;
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| err(pos, format!("invalid XML attribute value: {e}")))?;
                    attrs.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
                }
                let el = Element {
                    name: e.local_name().as_ref().to_string(),
                    attrs,
                    line: line_at(pos),
                    children: Vec::new(),
                    text: String::new(),
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                } else {
                    attach(&mut stack, &mut root, el);
                }
                continue;
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(err(pos, "an end tag with no start tag".into()));
                };
                attach(&mut stack, &mut root, el);
                continue;
            }
            Event::Text(t) => t.xml10_content().into_owned(),
            Event::CData(t) => t.xml10_content().into_owned(),
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            return Err(err(pos, format!("invalid character reference &{};", &*r)));
                        }
                    }
                } else {
                    match &*r {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        other => format!("&{other};"),
                    }
                }
            }
            Event::Eof => break,
            _ => continue,
        };
        match stack.last_mut() {
            Some(top) => top.text.push_str(&text_piece),
            None if text_piece.trim().is_empty() => {}
            None => {
                // Point at the text itself, not at the whitespace before it.
                let skip = body
                    .get(pos as usize..)
                    .map_or(0, |rest| rest.len() - rest.trim_start().len());
                return Err(err(
                    pos + skip as u64,
                    "text outside the root element".into(),
                ));
            }
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

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn run_at(path: &Path, display: &str, text: &str) -> Result<Extracted, ExtractError> {
        MsBuild.extract(&SourceFile {
            display: display.into(),
            path,
            text,
        })
    }

    fn run(text: &str) -> Result<Extracted, ExtractError> {
        run_at(Path::new("/nonexistent/dir/app.csproj"), "app.csproj", text)
    }

    const PROJECT: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <SerilogVersion>3.1.1</SerilogVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="Serilog" Version="$(SerilogVersion)" />
    <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0" PrivateAssets="All" />
    <PackageReference
        Include="xunit"
        Version="[2.6.2]" />
    <PackageReference Include="Polly">
      <Version>8.2.0</Version>
      <PrivateAssets>none</PrivateAssets>
    </PackageReference>
    <PackageReference Include="Analyzers">
      <Version>1.0.0</Version>
      <PrivateAssets>compile; all</PrivateAssets>
    </PackageReference>
  </ItemGroup>
  <ItemGroup Condition="'$(TargetFramework)' == 'net472'">
    <PackageReference Include="System.Memory" Version="[4.5.0,5.0)" />
    <PackageReference Include="Floating" Version="1.*" />
    <PackageReference Include="Undefined" Version="$(Nope)" />
    <PackageReference Include="NoVersion" />
    <PackageReference Include="newtonsoft.json" Version="13.0.3" />
    <PackageReference Update="Updated" Version="1.0.0" />
    <PackageReference Include="" Version="1.0.0" />
    <ProjectReference Include="..\Lib\Lib.csproj" />
  </ItemGroup>
</Project>
"#;

    #[test]
    fn references_versions_lines_scopes() {
        let ex = run(PROJECT).unwrap();
        let got: Vec<(&str, Scope, Vec<Option<u32>>)> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.scope,
                    c.locations.iter().map(|l| l.line).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/Newtonsoft.Json@13.0.3",
                    Scope::Runtime,
                    vec![Some(7), Some(27)]
                ),
                ("pkg:nuget/Serilog@3.1.1", Scope::Runtime, vec![Some(8)]),
                (
                    "pkg:nuget/Microsoft.SourceLink.GitHub@8.0.0",
                    Scope::Dev,
                    vec![Some(9)]
                ),
                ("pkg:nuget/xunit@2.6.2", Scope::Runtime, vec![Some(10)]),
                ("pkg:nuget/Polly@8.2.0", Scope::Runtime, vec![Some(13)]),
                ("pkg:nuget/Analyzers@1.0.0", Scope::Dev, vec![Some(17)]),
            ]
        );
        assert!(ex.components.iter().all(|c| c.direct));
        assert!(
            ex.components
                .iter()
                .all(|c| c.ecosystem == Ecosystem::NuGet)
        );
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("System.Memory [4.5.0,5.0)", Some(23)),
                ("Floating 1.*", Some(24)),
                ("Undefined $(Nope)", Some(25)),
                ("NoVersion", Some(26)),
            ]
        );
        assert!(ex.unresolved[0].reason.contains("range"));
        assert!(ex.unresolved[1].reason.contains("floating"));
        assert!(ex.unresolved[3].reason.contains(CENTRAL_FILE));
    }

    #[test]
    fn exact_versions() {
        assert_eq!(exact_version("1.2.3"), Ok("1.2.3".into()));
        assert_eq!(exact_version(" [1.2.3-beta.1] "), Ok("1.2.3-beta.1".into()));
        for v in [
            "",
            "[1.0,2.0)",
            "(,2.0]",
            "[1.0, )",
            "1.*",
            "*",
            "1.0-*",
            "abc",
            "1 2",
        ] {
            assert!(exact_version(v).is_err(), "{v}");
        }
    }

    #[test]
    fn central_package_management_from_the_nearest_props_above() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/App")).unwrap();
        std::fs::write(
            root.join(CENTRAL_FILE),
            r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
    <AwsVersion>3.7.300</AwsVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageVersion Include="AWSSDK.Core" Version="$(AwsVersion)" />
    <PackageVersion Include="Ranged" Version="[1.0,2.0)" />
    <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.133" />
  </ItemGroup>
</Project>"#,
        )
        .unwrap();
        let project = root.join("src/App/App.csproj");
        let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="newtonsoft.json" />
    <PackageReference Include="AWSSDK.Core" />
    <PackageReference Include="Serilog" VersionOverride="3.1.1" />
    <PackageReference Include="Ranged" />
    <PackageReference Include="Missing" />
  </ItemGroup>
</Project>"#;
        let ex = run_at(&project, "src/App/App.csproj", text).unwrap();
        let got: Vec<(&str, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:nuget/newtonsoft.json@13.0.3", Some(3)),
                ("pkg:nuget/AWSSDK.Core@3.7.300", Some(4)),
                ("pkg:nuget/Serilog@3.1.1", Some(5)),
            ]
        );
        let unresolved: Vec<&str> = ex.unresolved.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(unresolved, ["Ranged [1.0,2.0)", "Missing"]);
        assert!(ex.unresolved[1].reason.contains("no PackageVersion"));

        // The props file itself: its pinned versions and the global reference (dev).
        let props = std::fs::read_to_string(root.join(CENTRAL_FILE)).unwrap();
        let ex = run_at(&root.join(CENTRAL_FILE), CENTRAL_FILE, &props).unwrap();
        let got: Vec<(&str, Scope, bool)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.direct))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:nuget/Newtonsoft.Json@13.0.3", Scope::Runtime, true),
                ("pkg:nuget/AWSSDK.Core@3.7.300", Scope::Runtime, true),
                ("pkg:nuget/Nerdbank.GitVersioning@3.6.133", Scope::Dev, true),
            ]
        );
        assert_eq!(ex.unresolved.len(), 1);

        // A broken props file leaves version-less references unresolved, with the reason.
        std::fs::write(root.join(CENTRAL_FILE), "<Project>").unwrap();
        let ex = run_at(&project, "src/App/App.csproj", text).unwrap();
        assert_eq!(ex.components.len(), 1);
        assert!(ex.unresolved[0].reason.contains("could not be read"));
    }

    #[test]
    fn properties_from_directory_build_props() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join(BUILD_PROPS),
            "<Project><PropertyGroup><XunitVersion>2.9.0</XunitVersion></PropertyGroup>\
             <ItemGroup><PackageReference Include=\"StyleCop.Analyzers\" Version=\"1.1.118\" \
             PrivateAssets=\"all\"/></ItemGroup></Project>",
        )
        .unwrap();
        let text = "<Project>\n<ItemGroup>\n<PackageReference Include=\"xunit\" \
                    Version=\"$(XunitVersion)\"/>\n</ItemGroup>\n</Project>";
        let ex = run_at(&dir.path().join("src/T.fsproj"), "src/T.fsproj", text).unwrap();
        assert_eq!(ex.components[0].purl, "pkg:nuget/xunit@2.9.0");
        assert_eq!(ex.components[0].locations[0].line, Some(3));
        let props = std::fs::read_to_string(dir.path().join(BUILD_PROPS)).unwrap();
        let ex = run_at(&dir.path().join(BUILD_PROPS), BUILD_PROPS, &props).unwrap();
        assert_eq!(ex.components[0].scope, Scope::Dev);
    }

    #[test]
    fn old_style_projects_with_a_namespace_and_a_bom() {
        let text = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project ToolsVersion=\"15.0\" \
                    xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n  <ItemGroup>\n    \
                    <Reference Include=\"System\" />\n    <PackageReference Include=\"A&amp;B\">\n      \
                    <Version>1.0&#46;0</Version>\n    </PackageReference>\n  </ItemGroup>\n</Project>";
        let ex = run(text).unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.components[0].name, "A&B");
        assert_eq!(ex.components[0].version, "1.0.0");
        assert_eq!(ex.components[0].locations[0].line, Some(5));
    }

    #[test]
    fn applies_to_project_files() {
        for p in [
            "a/App.csproj",
            "b.FSPROJ",
            "x/y.vbproj",
            "Directory.Packages.props",
            "src/Directory.Build.props",
        ] {
            assert!(MsBuild.applies_to(Path::new(p)), "{p}");
        }
        for p in [
            ".csproj",
            "a.csproj.user",
            "Directory.Build.targets",
            "x.props",
            "packages.config",
        ] {
            assert!(!MsBuild.applies_to(Path::new(p)), "{p}");
        }
        assert_eq!(MsBuild.superseded_by(), ["packages.lock.json"]);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_line() {
        let cases: &[(&str, u32)] = &[
            ("", 1),
            ("not xml", 1),
            ("<Project>\n  <ItemGroup>\n</Project>", 3),
            ("<Project>\n  <ItemGroup>\n", 2),
            ("<Project>\n</Project>\n<Project/>", 3),
            ("<Project/>\ntext", 2),
            (
                "<Project>\n  <PackageReference Include=\"a\" Include=\"b\"/>\n</Project>",
                2,
            ),
            (
                "<Project>\n  <PackageReference Include=\"a&bogus;\"/>\n</Project>",
                2,
            ),
            ("<Packages>\n</Packages>", 1),
            ("<Project>\n <a b=\"1>\n</Project>", 2),
        ];
        for (text, line) in cases {
            let err = run(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.file, "app.csproj");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(run(&deep).is_err());
    }

    fn check(root: &Path, format: &str, display: impl Fn(&serde_json::Value) -> String) -> usize {
        let mut n = 0;
        for rec in peer_records(root, |r| r["format"] == format) {
            let path = root.join(fixture(&rec));
            let text = fixture_text(root, &rec);
            let shown = display(&rec);
            assert!(rec.get("expect_error").is_none());
            let ex = run_at(&path, &shown, &text).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert_eq!(
                packages(&ex.components),
                expected_packages(root, &rec),
                "{}",
                fixture(&rec)
            );
            // Where the peer names the file, the location carries that name.
            for (c, e) in ex.components.iter().zip(expected(root, &rec)) {
                if let Some(p) = rec["options"]["file_path_given_to_parser"].as_str() {
                    assert_eq!(e["location"]["path"], p);
                }
                assert_eq!(c.locations[0].file, shown);
                assert!(c.locations[0].line.is_some());
            }
            n += 1;
        }
        n
    }

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let inline = check(&root, "msbuild-xml-inline", |r| {
            r["options"]["file_path_given_to_parser"]
                .as_str()
                .unwrap()
                .to_string()
        });
        assert_eq!(inline, 7);
        let own = |r: &serde_json::Value| fixture(r).to_string();
        assert_eq!(check(&root, "csproj", own), 4);
        assert_eq!(check(&root, "directory-packages-props", own), 4);
    }

    /// The shared inputs hold no MSBuild project files (bitwarden-server carries only its
    /// packages.lock.json files); if some appear, every one must parse, with one component or
    /// unresolved entry per `<PackageReference`/`<PackageVersion` with an `Include`.
    #[test]
    fn real_inputs_parse() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut stack = vec![inputs];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if MsBuild.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let display = path.display().to_string();
                    let ex = run_at(&path, &display, &text).unwrap();
                    let declared = text
                        .match_indices("<PackageReference Include=")
                        .chain(text.match_indices("<PackageVersion Include="))
                        .count();
                    let found: usize = ex.components.iter().map(|c| c.locations.len()).sum();
                    assert_eq!(found + ex.unresolved.len(), declared, "{display}");
                    files += 1;
                }
            }
        }
        eprintln!("{files} MSBuild files in the shared inputs");
    }
}
