//! Paket (F#/.NET): `paket.lock`, the resolved graph, and `paket.dependencies`, the manifest.
//!
//! **paket.lock** is indentation-based. At column 0: group options (`STORAGE: NONE`,
//! `RESTRICTION: ...`), `GROUP <name>` (everything before the first is the `Main` group) and the
//! source kinds `NUGET`, `GITHUB`, `GIT`, `GIST`, `HTTP`. At 2 spaces: `remote: <feed or repo>`
//! (and `specs:` in old files). Under `NUGET`, 4 spaces is a package, `Name (1.2.3)` optionally
//! followed by ` - framework: ...`-style settings, and 6 spaces one of its dependencies,
//! `Name (>= 1.0)`, which becomes an edge to the package of that name locked in the same group.
//! Only `NUGET` entries are NuGet packages (a local-folder remote is a NuGet feed too); the
//! `GITHUB`/`GIT`/`GIST`/`HTTP` sections pin source files and repositories by commit or URL,
//! which are not packages of any registry advisories are filed against, so they are not read.
//! The lock does not mark direct dependencies: the `paket.dependencies` beside it does, per group
//! (names compared without regard to case). Groups are not scopes (a `Build` or `Test` group is
//! a convention, not a rule), so every package is runtime. A package locked in several groups at
//! one version is one component with a location per group.
//!
//! **paket.dependencies** declares `nuget Name [constraint] [options]` per group (`group X`;
//! `//` and `#` start comments). A plain version or `= 1.2.3` pins that exact version, and
//! `== 1.2.3` pins it overriding conflicts: these are components. A range (`>= 1.0`, `~> 2.6`,
//! `>= 1.0 < 2.0`) or no constraint at all (Paket picks the *highest* matching version) names no
//! one version, so it is unresolved — except with `lowest_matching: true` (on the line or for
//! the group), where Paket takes the lowest matching version, the lower bound of a `>=` or `~>`.
//! `clitool` lines (.NET CLI tools) are read like `nuget` ones, as development dependencies.
//! `github`/`git`/`gist`/`http` lines are source files, not packages (see above). A
//! `paket.lock` beside the manifest (or above it) makes it redundant.

use super::file_name;
use crate::{ExtractError, Extracted, Extractor, SourceFile, Unresolved, loc};
use ossgate_model::{Component, Ecosystem, Scope};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

pub struct PaketLock;

/// One package of a paket.lock's NUGET section.
struct Locked<'a> {
    group: String,
    name: &'a str,
    version: &'a str,
    line: u32,
    deps: Vec<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Nuget,
    Other,
}

/// The packages of a paket.lock, in file order.
fn parse_lock<'a>(display: &str, text: &'a str) -> Result<Vec<Locked<'a>>, ExtractError> {
    let mut out: Vec<Locked> = Vec::new();
    let mut group = "main".to_string();
    let mut section = Section::None;
    // Whether the last package line belongs to the current NUGET section.
    let mut in_package = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i as u32 + 1;
        let bad = |msg: &str| ExtractError::new(display, Some(line_no), msg.to_string());
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        if content.starts_with(char::is_whitespace) {
            return Err(bad("tab in the indentation"));
        }
        match indent {
            0 => {
                in_package = false;
                let keyword = content.split_whitespace().next().unwrap_or("");
                section = match keyword {
                    "NUGET" => Section::Nuget,
                    "GITHUB" | "GIT" | "GIST" | "HTTP" => Section::Other,
                    "GROUP" => {
                        group = content["GROUP".len()..].trim().to_ascii_lowercase();
                        Section::None
                    }
                    // Group settings: `STORAGE: NONE`, `RESTRICTION: || (== net6.0)`, ...
                    k if k.ends_with(':')
                        && k.len() > 1
                        && k[..k.len() - 1]
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-') =>
                    {
                        Section::None
                    }
                    _ => return Err(bad(&format!("unexpected line `{content}`"))),
                };
            }
            _ if section != Section::Nuget => {}
            2 => {
                in_package = false;
                if !(content.starts_with("remote:") || content == "specs:") {
                    return Err(bad(&format!(
                        "unexpected line `{content}` in a NUGET section"
                    )));
                }
            }
            4 => {
                let Some((name, rest)) = content.split_once(" (") else {
                    return Err(bad(&format!("`{content}`: expected `Name (version)`")));
                };
                let version = rest.split_once(')').map(|(v, _)| v.trim()).unwrap_or("");
                let name = name.trim();
                if name.is_empty() || version.is_empty() || name.contains(char::is_whitespace) {
                    return Err(bad(&format!("`{content}`: expected `Name (version)`")));
                }
                out.push(Locked {
                    group: group.clone(),
                    name,
                    version,
                    line: line_no,
                    deps: Vec::new(),
                });
                in_package = true;
            }
            6 => {
                let name = content.split_whitespace().next().unwrap_or("");
                match out.last_mut() {
                    Some(p) if in_package => p.deps.push(name),
                    _ => return Err(bad("a dependency outside a package")),
                }
            }
            _ => return Err(bad(&format!("unexpected indentation of `{content}`"))),
        }
    }
    Ok(out)
}

impl Extractor for PaketLock {
    fn name(&self) -> &'static str {
        "paket-lock"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "paket.lock"
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let locked = parse_lock(&file.display, file.text)?;
        let direct = declared_beside(file.path);

        let mut out = Extracted::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        // (group, lower-cased name) -> component index.
        let mut by_name: HashMap<(&str, String), usize> = HashMap::new();
        let mut of_entry: Vec<usize> = Vec::new();
        for p in &locked {
            let name_key = Ecosystem::NuGet.normalize_name(p.name);
            let is_direct = direct.contains(&(p.group.clone(), name_key.clone()));
            let key = (name_key.clone(), p.version.to_string());
            let i = match index.get(&key) {
                Some(&i) => {
                    let c = &mut out.components[i];
                    c.direct |= is_direct;
                    c.locations.push(loc(&file.display, Some(p.line)));
                    i
                }
                None => {
                    let mut c = Component::new(Ecosystem::NuGet, p.name, p.version);
                    c.locations.push(loc(&file.display, Some(p.line)));
                    c.direct = is_direct;
                    index.insert(key, out.components.len());
                    out.components.push(c);
                    out.components.len() - 1
                }
            };
            by_name.entry((p.group.as_str(), name_key)).or_insert(i);
            of_entry.push(i);
        }
        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); out.components.len()];
        for (p, &from) in locked.iter().zip(&of_entry) {
            for dep in &p.deps {
                let key = (p.group.as_str(), Ecosystem::NuGet.normalize_name(dep));
                if let Some(&to) = by_name.get(&key)
                    && to != from
                {
                    edges[from].insert(to);
                }
            }
        }
        let purls: Vec<String> = out.components.iter().map(|c| c.purl.clone()).collect();
        for (c, e) in out.components.iter_mut().zip(edges) {
            c.dependencies = e.into_iter().map(|j| purls[j].clone()).collect();
            c.dependencies.sort();
        }
        Ok(out)
    }
}

/// (group, lower-cased name) of the packages the `paket.dependencies` beside a lock declares.
fn declared_beside(lock: &Path) -> HashSet<(String, String)> {
    let Ok(text) = std::fs::read_to_string(lock.with_file_name("paket.dependencies")) else {
        return HashSet::new();
    };
    parse_dependencies(&text)
        .into_iter()
        .map(|d| (d.group, Ecosystem::NuGet.normalize_name(d.name)))
        .collect()
}

pub struct PaketDependencies;

/// One `nuget` (or `clitool`) line of a paket.dependencies.
struct Declared<'a> {
    group: String,
    name: &'a str,
    /// The constraint and settings as written (comment removed).
    rest: String,
    line: u32,
    tool: bool,
    version: Result<String, &'static str>,
}

/// The `nuget`/`clitool` declarations of a paket.dependencies, in file order.
fn parse_dependencies(text: &str) -> Vec<Declared<'_>> {
    let mut out = Vec::new();
    let mut group = "main".to_string();
    // Groups (lower-cased) with `lowest_matching: true` for all their packages.
    let mut lowest_groups: HashSet<String> = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let code = raw
            .find("//")
            .into_iter()
            .chain(raw.find('#'))
            .min()
            .map_or(raw, |cut| &raw[..cut]);
        let mut tokens = code.split_whitespace();
        let Some(keyword) = tokens.next() else {
            continue;
        };
        let keyword = keyword.to_ascii_lowercase();
        match keyword.as_str() {
            "group" => {
                group = tokens.next().unwrap_or("main").to_ascii_lowercase();
            }
            "lowest_matching:"
                if tokens
                    .next()
                    .is_some_and(|v| v.eq_ignore_ascii_case("true")) =>
            {
                lowest_groups.insert(group.clone());
            }
            "nuget" | "clitool" => {
                let Some(name) = tokens.next() else {
                    continue;
                };
                let rest: Vec<&str> = tokens.collect();
                let version = pinned_version(&rest, lowest_groups.contains(&group));
                out.push(Declared {
                    group: group.clone(),
                    name,
                    rest: rest.join(" "),
                    line: i as u32 + 1,
                    tool: keyword == "clitool",
                    version,
                });
            }
            _ => {}
        }
    }
    out
}

/// The one version a paket.dependencies constraint selects, or why there is none.
fn pinned_version(tokens: &[&str], group_lowest: bool) -> Result<String, &'static str> {
    const OPS: [&str; 7] = ["==", "~>", ">=", "<=", "=", ">", "<"];
    let mut parts: Vec<(&str, &str)> = Vec::new();
    let mut lowest = group_lowest;
    let mut pending_op: Option<&str> = None;
    let mut options = false;
    let mut iter = tokens.iter().peekable();
    while let Some(&t) = iter.next() {
        if t.ends_with(':') {
            options = true;
            if t.eq_ignore_ascii_case("lowest_matching:") {
                lowest = iter.peek().is_some_and(|v| v.eq_ignore_ascii_case("true"));
            }
            continue;
        }
        if options {
            continue;
        }
        let op = OPS.iter().find(|op| t.starts_with(**op)).copied();
        let rest = op.map_or(t, |op| &t[op.len()..]);
        if rest.is_empty() {
            pending_op = op;
            continue;
        }
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            parts.push((op.or(pending_op.take()).unwrap_or(""), rest));
        }
        // Anything else is a prerelease channel (`prerelease`, `alpha`, `beta`...).
    }
    match parts.as_slice() {
        [] => Err("no version constraint: Paket takes the highest version"),
        [("" | "=" | "==", v)] => Ok(v.to_string()),
        [(">=" | "~>", v), ..] if lowest => Ok(v.to_string()),
        _ => Err("a version range: Paket takes the highest matching version"),
    }
}

impl Extractor for PaketDependencies {
    fn name(&self) -> &'static str {
        "paket-dependencies"
    }

    fn applies_to(&self, path: &Path) -> bool {
        file_name(path) == "paket.dependencies"
    }

    fn superseded_by(&self) -> &'static [&'static str] {
        &["paket.lock"]
    }

    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError> {
        let mut out = Extracted::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for d in parse_dependencies(file.text) {
            let line = Some(d.line);
            let version = match d.version {
                Ok(v) => v,
                Err(reason) => {
                    out.unresolved.push(Unresolved {
                        file: file.display.clone(),
                        line,
                        text: format!("{} {}", d.name, d.rest).trim_end().to_string(),
                        reason: reason.to_string(),
                    });
                    continue;
                }
            };
            let scope = if d.tool { Scope::Dev } else { Scope::Runtime };
            let key = (Ecosystem::NuGet.normalize_name(d.name), version.clone());
            match index.get(&key) {
                Some(&i) => {
                    let c = &mut out.components[i];
                    c.scope = c.scope.widest(scope);
                    c.locations.push(loc(&file.display, line));
                }
                None => {
                    let mut c = Component::new(Ecosystem::NuGet, d.name, version);
                    c.locations.push(loc(&file.display, line));
                    c.direct = true;
                    c.scope = scope;
                    index.insert(key, out.components.len());
                    out.components.push(c);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;

    fn lock_at(path: &Path, text: &str) -> Result<Extracted, ExtractError> {
        PaketLock.extract(&SourceFile {
            display: "paket.lock".into(),
            path,
            text,
        })
    }

    fn lock(text: &str) -> Result<Extracted, ExtractError> {
        lock_at(Path::new("/nonexistent/paket.lock"), text)
    }

    fn deps(text: &str) -> Result<Extracted, ExtractError> {
        PaketDependencies.extract(&SourceFile {
            display: "paket.dependencies".into(),
            path: Path::new("/nonexistent/paket.dependencies"),
            text,
        })
    }

    const LOCK: &str = "REDIRECTS: ON
STORAGE: NONE
RESTRICTION: || (== net6.0) (== netstandard2.0)
NUGET
  remote: https://api.nuget.org/v3/index.json
    FSharp.Core (6.0.5) - content: none
    Giraffe (6.0)
      FSharp.Core (>= 6.0.1)
      Microsoft.IO.RecyclableMemoryStream (>= 2.2) - restriction: >= netstandard2.0
      Missing  - framework: net45
    Microsoft.IO.RecyclableMemoryStream (2.3.2)
  remote: ./local-feed
    Internal.Pkg (1.0.0-beta1)
GITHUB
  remote: fsharp/FAKE
    modules/Octokit/Octokit.fsx (1277af1f0a03700040e12bc10c1f964c19de6614)
      Octokit
HTTP
  remote: https://example.com/file.fs
    file.fs

GROUP Build
STORAGE: NONE
NUGET
  remote: https://api.nuget.org/v3/index.json
    FAKE (5.20.4)
      FSharp.Core (>= 4.7)
    FSharp.Core (4.7.2)
    fsharp.core (6.0.5)
";

    #[test]
    fn lock_groups_edges_lines_and_direct_from_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("paket.dependencies"),
            "source https://api.nuget.org/v3/index.json\nnuget giraffe\n\ngroup Build\n  nuget FAKE ~> 5\n",
        )
        .unwrap();
        let ex = lock_at(&dir.path().join("paket.lock"), LOCK).unwrap();
        type Row<'a> = (&'a str, bool, Vec<Option<u32>>, Vec<&'a str>);
        let got: Vec<Row> = ex
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.direct,
                    c.locations.iter().map(|l| l.line).collect(),
                    c.dependencies.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:nuget/FSharp.Core@6.0.5",
                    false,
                    vec![Some(6), Some(29)],
                    vec![]
                ),
                (
                    "pkg:nuget/Giraffe@6.0",
                    true,
                    vec![Some(7)],
                    vec![
                        "pkg:nuget/FSharp.Core@6.0.5",
                        "pkg:nuget/Microsoft.IO.RecyclableMemoryStream@2.3.2"
                    ]
                ),
                (
                    "pkg:nuget/Microsoft.IO.RecyclableMemoryStream@2.3.2",
                    false,
                    vec![Some(11)],
                    vec![]
                ),
                (
                    "pkg:nuget/Internal.Pkg@1.0.0-beta1",
                    false,
                    vec![Some(13)],
                    vec![]
                ),
                // Edges stay inside the group: FAKE needs the Build group's FSharp.Core.
                (
                    "pkg:nuget/FAKE@5.20.4",
                    true,
                    vec![Some(26)],
                    vec!["pkg:nuget/FSharp.Core@4.7.2"]
                ),
                ("pkg:nuget/FSharp.Core@4.7.2", false, vec![Some(28)], vec![]),
            ]
        );
        assert!(ex.components.iter().all(|c| c.scope == Scope::Runtime));
        // Without a manifest nothing is direct.
        assert!(lock(LOCK).unwrap().components.iter().all(|c| !c.direct));
    }

    #[test]
    fn lock_empty_and_malformed() {
        assert!(lock("").unwrap().components.is_empty());
        assert!(lock("\n\n").unwrap().components.is_empty());
        let cases: &[(&str, u32)] = &[
            ("This is not a paket.lock", 1),
            ("NUGET\n  remote: x\n    NoVersion\n", 3),
            ("NUGET\n  remote: x\n    A ()\n", 3),
            ("NUGET\n  remote: x\n      B (>= 1)\n", 3),
            ("NUGET\n  remote: x\n    A (1)\n\t  B (1)\n", 4),
            ("NUGET\n  remote: x\n    A (1)\n        B (1)\n", 4),
            ("NUGET\n  bogus\n", 2),
            (
                "NUGET\n  remote: x\n    A (1)\n  remote: y\n      B (1)\n",
                5,
            ),
        ];
        for (text, line) in cases {
            let err = lock(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.file, "paket.lock");
        }
        // Odd content outside NUGET sections is not read.
        assert!(lock("GIT\n  remote: x\n     (abc)\n        weird\n").is_ok());
    }

    const DEPS: &str = "source https://api.nuget.org/v3/index.json
framework: net6.0

nuget FSharp.Core 6.0.5
nuget Newtonsoft.Json = 13.0.1 // pinned
nuget Serilog == 3.1.1 restriction: >= net6.0
nuget Argu >= 6.1 < 7.0
nuget Expecto ~> 9.0 prerelease
nuget Latest
nuget Lowest >=2.0.1 lowest_matching: true
nuget Beta 1.0.0-beta2 beta #comment
clitool dotnet-fable 1.3.7
github fsharp/FAKE:5.20.4 src/app/Fake.fsx
nuget

group Tools
  lowest_matching: true
  nuget Tool ~> 1.2.3
  nuget Other
";

    #[test]
    fn dependencies_exact_pins_and_unresolved_ranges() {
        let ex = deps(DEPS).unwrap();
        let got: Vec<(&str, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:nuget/FSharp.Core@6.0.5", Scope::Runtime, Some(4)),
                ("pkg:nuget/Newtonsoft.Json@13.0.1", Scope::Runtime, Some(5)),
                ("pkg:nuget/Serilog@3.1.1", Scope::Runtime, Some(6)),
                ("pkg:nuget/Lowest@2.0.1", Scope::Runtime, Some(10)),
                ("pkg:nuget/Beta@1.0.0-beta2", Scope::Runtime, Some(11)),
                ("pkg:nuget/dotnet-fable@1.3.7", Scope::Dev, Some(12)),
                ("pkg:nuget/Tool@1.2.3", Scope::Runtime, Some(18)),
            ]
        );
        assert!(ex.components.iter().all(|c| c.direct));
        let unresolved: Vec<(&str, Option<u32>)> = ex
            .unresolved
            .iter()
            .map(|u| (u.text.as_str(), u.line))
            .collect();
        assert_eq!(
            unresolved,
            [
                ("Argu >= 6.1 < 7.0", Some(7)),
                ("Expecto ~> 9.0 prerelease", Some(8)),
                ("Latest", Some(9)),
                ("Other", Some(19)),
            ]
        );
        assert!(ex.unresolved[0].reason.contains("range"));
        assert!(ex.unresolved[2].reason.contains("no version"));
        assert!(deps("").unwrap().components.is_empty());
        assert_eq!(PaketDependencies.superseded_by(), ["paket.lock"]);
        assert!(PaketDependencies.applies_to(Path::new("a/paket.dependencies")));
        assert!(PaketLock.applies_to(Path::new("a/paket.lock")));
        assert!(!PaketLock.applies_to(Path::new("a/paket.references")));
        assert!(PaketLock.superseded_by().is_empty());
    }

    /// Peer (osv-scalibr) entries ossgate deliberately does not report as components:
    /// (fixture, name, version, reason). NuGet ones must be reported as unresolved.
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
        (
            "lockfiles/nuget/paket-lock/paket.lock",
            "fsprojects/Paket",
            "5.0.0",
            GITHUB,
        ),
        (
            "lockfiles/nuget/paket-lock/paket.lock",
            "fsharp/FAKE",
            "5.20.4",
            GITHUB,
        ),
        (DEPS_FIXTURE, "NUnit", "2.6.3", RANGE),
        (DEPS_FIXTURE, "FSharp.Core", "4.0.0", RANGE),
        (DEPS_FIXTURE, "Microsoft.Extensions.Logging", "", NONE),
        (DEPS_FIXTURE, "FAKE", "", NONE),
        (DEPS_FIXTURE, "Paket", "", NONE),
        (DEPS_FIXTURE, "fsprojects/Paket", "", GITHUB),
        (DEPS_FIXTURE, "fsharp/FAKE", "5.20.4", GITHUB),
        (DEPS_FIXTURE, "tpetricek/FSharp.Formatting", "", GITHUB),
        (
            DEPS_FIXTURE,
            "tpetricek/FSharp.Formatting",
            "2.13.5",
            GITHUB,
        ),
        (DEPS_FIXTURE, "tpetricek/FSharp.Formatting", "", GITHUB),
    ];
    const DEPS_FIXTURE: &str = "lockfiles/nuget/paket-dependencies/paket.dependencies";
    const GITHUB: &str = "GitHub source files pinned by ref, reported by the peer as GitHub \
                          Actions: they are not actions, nor packages of any registry";
    const RANGE: &str = "the peer reports a range's lower bound as the version; Paket resolves \
                         to the highest matching version, so no one version is known: unresolved";
    const NONE: &str = "the peer reports an empty version; no version is known: unresolved";

    #[test]
    fn conformance_peer_fixtures() {
        let Some(root) = data_dir() else { return };
        let mut used = 0;
        let mut checked = 0;
        for format in ["paket-lock", "paket-dependencies"] {
            for rec in peer_records(&root, |r| r["format"] == format) {
                let fixture = fixture(&rec);
                assert!(rec.get("expect_error").is_none(), "{fixture}");
                let path = root.join(fixture);
                let text = fixture_text(&root, &rec);
                let src = SourceFile {
                    display: fixture.to_string(),
                    path: &path,
                    text: &text,
                };
                let ex = if format == "paket-lock" {
                    PaketLock.extract(&src)
                } else {
                    PaketDependencies.extract(&src)
                }
                .unwrap_or_else(|e| panic!("{fixture}: {e}"));
                let mut want = Packages::new();
                for e in expected(&root, &rec) {
                    let (name, version) = name_version(&e);
                    let excepted = EXCEPTIONS
                        .iter()
                        .any(|x| (x.0, x.1, x.2) == (fixture, name.as_str(), version.as_str()));
                    if excepted {
                        used += 1;
                        if e["ecosystem"] == "NuGet" {
                            assert!(
                                ex.unresolved.iter().any(|u| u.text.starts_with(&name)),
                                "{fixture}: {name} not unresolved"
                            );
                        }
                        continue;
                    }
                    assert_eq!(e["ecosystem"], "NuGet", "{fixture}: {name}");
                    // Where the peer gives a line, the component is at that line.
                    if let Some(line) = e["location"]["line"].as_u64() {
                        assert!(
                            ex.components.iter().any(|c| c.name == name
                                && c.locations.iter().any(|l| l.line == Some(line as u32))),
                            "{fixture}: {name} not at line {line}"
                        );
                    }
                    *want.entry((name, version)).or_default() += 1;
                }
                assert_eq!(packages(&ex.components), want, "{fixture}");
                checked += 1;
            }
        }
        assert_eq!(checked, 4);
        assert_eq!(used, EXCEPTIONS.len(), "every exception is used");
    }

    /// No Paket files in the shared inputs; any that appear must parse, with one lock entry per
    /// 4-space line under NUGET counted here by a plain scan.
    #[test]
    fn real_inputs_parse() {
        let Some(inputs) = shared_dir("inputs") else {
            return;
        };
        let mut stack = vec![inputs];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if PaketLock.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let ex = lock_at(&path, &text).unwrap();
                    let mut nuget = false;
                    let mut entries = 0;
                    for l in text.lines() {
                        if !l.starts_with(' ') && !l.trim().is_empty() {
                            nuget = l.trim() == "NUGET";
                        } else if nuget && l.starts_with("    ") && !l.starts_with("     ") {
                            entries += 1;
                        }
                    }
                    let found: usize = ex.components.iter().map(|c| c.locations.len()).sum();
                    assert_eq!(found, entries, "{}", path.display());
                } else if PaketDependencies.applies_to(&path) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(deps(&text).is_ok());
                }
            }
        }
    }
}
