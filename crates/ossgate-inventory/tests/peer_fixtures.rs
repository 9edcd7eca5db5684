//! Conformance: every lockfile fixture in `peer-fixtures/lockfiles/index.json` (other projects'
//! test fixtures, with the packages those projects expect) yields exactly its expected
//! (name, version) multiset, through the public registry, and every fixture the index says must
//! fail gives an error. Where ossgate deliberately reads a fixture differently, the deviation is
//! listed below with its reason, and the test checks that the deviation is exactly as stated.
//!
//! Each index record also names the file it stands for (`real_filename`): the test checks that
//! the registry picks the same extractor for that name, so a fixture cannot pass through an
//! extractor a user's file would never reach.

use ossgate_inventory::{Extractor, SourceFile, registry};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Peer format name → ossgate extractor name.
const FORMATS: &[(&str, &str)] = &[
    ("bun-lock", "bun-lock"),
    ("cabal-project-freeze", "cabal-freeze"),
    ("cargo-lock", "cargo-lock"),
    ("cargo-toml", "cargo-toml"),
    ("composer-lock", "composer-lock"),
    ("conan-lock", "conan-lock"),
    ("cpan-meta", "cpan-meta"),
    ("csproj", "msbuild"),
    ("deno-json", "deno-json"),
    ("deps-json", "deps-json"),
    ("directory-packages-props", "msbuild"),
    ("gemfile-lock", "gemfile-lock"),
    ("gemspec", "gemspec"),
    ("gleam-toml", "gleam-toml"),
    ("go-mod", "go-mod"),
    ("gradle-lockfile", "gradle-lockfile"),
    (
        "gradle-verification-metadata-xml",
        "gradle-verification-metadata",
    ),
    ("gradle-version-catalog", "gradle-version-catalog"),
    ("manifest-toml", "julia-manifest"),
    ("mix-lock", "mix-lock"),
    ("mix-lock-elixir", "mix-lock"),
    ("msbuild-xml-inline", "msbuild"),
    ("opam-install", "opam-install"),
    ("osv-scanner-v1/apk", "apk-installed"),
    ("osv-scanner-v1/dpkg", "dpkg-status"),
    (
        "osv-scanner-v1/gradle-verification-metadata",
        "gradle-verification-metadata",
    ),
    ("osv-scanner-v1/maven", "pom-xml"),
    ("osv-scanner-v1/nuget", "nuget-lock"),
    ("osv-scanner-v1/pip", "requirements-txt"),
    ("osv-scanner-v1/pnpm", "pnpm-lock"),
    ("package-json", "package-json"),
    ("package-lock-json", "npm-lock"),
    ("package-resolved", "package-resolved"),
    ("packages-config", "packages-config"),
    ("packages-lock-json", "nuget-lock"),
    ("paket-dependencies", "paket-dependencies"),
    ("paket-lock", "paket-lock"),
    ("pdm-lock", "pdm-lock"),
    ("pipfile-lock", "pipfile-lock"),
    ("pnpm-lock-yaml", "pnpm-lock"),
    ("podfile-lock", "podfile-lock"),
    ("poetry-lock", "poetry-lock"),
    ("pom-xml", "pom-xml"),
    ("project-assets-json", "project-assets-json"),
    ("project-toml", "julia-project"),
    ("pubspec-lock", "pubspec-lock"),
    ("pylock-toml", "pylock"),
    ("pyproject-toml", "pyproject-toml"),
    ("renv-lock", "renv-lock"),
    ("requirements-txt", "requirements-txt"),
    ("setup-py", "setup-py"),
    ("stack-yaml-lock", "stack-yaml-lock"),
    ("uv-lock", "uv-lock"),
    ("vendor-modules-txt", "go-vendor-modules"),
    ("yarn-lock", "yarn-lock"),
];

/// Formats whose peers report a requirement that is not one exact pin with a guessed version
/// (the range's lower bound, `0.0.0` or empty). ossgate never guesses: such a requirement is
/// listed as unresolved, so for these formats an expected package that is not a component must
/// be named in the unresolved list instead.
const UNPINNED_FORMATS: &[&str] = &[
    "requirements-txt",
    "osv-scanner-v1/pip",
    "gleam-toml",
    "cargo-toml",
    "pyproject-toml",
    "setup-py",
];

/// Formats that ossgate routes by a narrower path than the peer's file name pattern: (format,
/// the path ossgate routes, why).
const ROUTED_AS: &[(&str, &str, &str)] = &[(
    "opam-install",
    ".opam-switch/install",
    "the peer reads any `*.install`, but dune writes `<package>.install` files into every OCaml \
     project, listing files to install rather than packages; only opam's own switch files are read",
)];

/// How ossgate deliberately reads a fixture differently from the peer that wrote it.
enum Deviation {
    /// ossgate reports an error where the peer returns a (usually empty) result.
    Error,
    /// The peer lists these packages; ossgate reports them as unresolved requirements.
    Unresolved(&'static [(&'static str, &'static str)]),
    /// The peer lists these packages; ossgate does not report them as components.
    Omitted(&'static [(&'static str, &'static str)]),
    /// ossgate finds these packages in addition to the peer's.
    Extra(&'static [(&'static str, &'static str)]),
    /// ossgate also reports the manifest's declared dependencies that are pinned to one
    /// version, as direct components (the peer reports only the package itself).
    ExtraDirect,
    /// ossgate reads the first list of the peer's packages as the second.
    Instead(
        &'static [(&'static str, &'static str)],
        &'static [(&'static str, &'static str)],
    ),
}

const DEVIATIONS: &[(&str, Deviation, &str)] = &[
    (
        "lockfiles/go/vendor-modules-txt/valid/vendor/modules.txt",
        Deviation::Unresolved(&[("example.com/local", "1.0.0")]),
        "replaced by ./local: the vendored code is the local directory's, not the module release",
    ),
    (
        "lockfiles/maven/pom-xml/interpolation.xml",
        Deviation::Unresolved(&[("org.mine:ranged-package", "9.4.35.v20201120")]),
        "a version range: Maven picks the highest matching release, which the POM does not say \
         (the peer takes the lower bound)",
    ),
    (
        "lockfiles/maven/osv-scanner-v1/maven/interpolation.xml",
        Deviation::Omitted(&[("org.mine:ranged-package", "9.4.35.v20201120")]),
        "only in <dependencyManagement>, which manages versions but adds no dependency",
    ),
    (
        "lockfiles/npm/package-json/deps/accepts/package.json",
        Deviation::ExtraDirect,
        "exact version pins of a manifest are direct components",
    ),
    (
        "lockfiles/npm/package-json/deps/no-person-name/package.json",
        Deviation::ExtraDirect,
        "exact version pins of a manifest are direct components",
    ),
    (
        "lockfiles/npm/package-json/package-with-deps.json",
        Deviation::Unresolved(&[
            ("dep2", "2.0.1"),
            ("dep3", "3.1.0"),
            ("dep4", "0.4.2"),
            ("dep5", "5.0.0"),
            ("dep7", "1.0.0"),
        ]),
        "ranges: npm installs the highest match, which a manifest does not say (the peer takes \
         the lowest)",
    ),
    (
        "lockfiles/deno/deno-json/deno.json",
        Deviation::Unresolved(&[("chalk", "1.0.0"), ("std1/path1", "^1")]),
        "`npm:chalk@1` and `jsr:...@^1` are ranges, not versions",
    ),
    (
        "lockfiles/nuget/deps-json/nopackagename",
        Deviation::Omitted(&[("TestLibrary", "1.0.0")]),
        "a `project` library is the application itself, built from source, not a NuGet package",
    ),
    (
        "lockfiles/nuget/paket-lock/paket.lock",
        Deviation::Omitted(&[("fsharp/FAKE", "5.20.4"), ("fsprojects/Paket", "5.0.0")]),
        "GITHUB entries are source files pinned by commit, not NuGet packages",
    ),
    (
        "lockfiles/nuget/paket-dependencies/paket.dependencies",
        Deviation::Omitted(&[
            ("fsharp/FAKE", "5.20.4"),
            ("fsprojects/Paket", ""),
            ("tpetricek/FSharp.Formatting", ""),
            ("tpetricek/FSharp.Formatting", "2.13.5"),
        ]),
        "`github` lines are source files pinned by commit, not NuGet packages",
    ),
    (
        "lockfiles/nuget/paket-dependencies/paket.dependencies",
        Deviation::Unresolved(&[("FSharp.Core", "4.0.0"), ("NUnit", "2.6.3")]),
        "ranges: Paket resolves to the highest match (the peer takes the lower bound)",
    ),
    (
        "lockfiles/conan/conan-lock/not-json.txt",
        Deviation::Error,
        "malformed input is an error naming the file, not an empty inventory",
    ),
    (
        "lockfiles/cran/renv-lock/not-json.txt",
        Deviation::Error,
        "malformed input is an error naming the file, not an empty inventory",
    ),
    (
        "lockfiles/swift/package-resolved/invalid",
        Deviation::Error,
        "malformed input is an error naming the file, not an empty inventory",
    ),
    (
        "lockfiles/hackage/cabal-project-freeze/valid_2",
        Deviation::Extra(&[("foo", "2.4.0.3")]),
        "an unqualified `foo ==2.4.0.3` is valid cabal syntax and pins foo; the peer reads only \
         `any.`-qualified constraints",
    ),
    (
        "lockfiles/pypi/osv-scanner-v1/pip/line-continuation.txt",
        Deviation::Instead(&[("bar", "4.5\\\\")], &[("bar", "4.5.6")]),
        "pip strips every trailing backslash before joining continued lines, so `bar == 4.5\\\\` \
         followed by `.6` reads as 4.5.6 (the peer keeps a literal backslash)",
    ),
];

/// The peers' spelling conventions, applied to both sides before comparing: Go versions without
/// the `v` (as OSV writes them), PyPI names in PEP 503 normal form.
fn normal(ecosystem_dir: &str, name: &str, version: &str) -> (String, String) {
    match ecosystem_dir {
        "go" => (
            name.to_string(),
            version.strip_prefix('v').unwrap_or(version).to_string(),
        ),
        "pypi" => (loose(name), version.to_string()),
        _ => (name.to_string(), version.to_string()),
    }
}

/// Lower case with `-`, `_` and `.` folded (PEP 503, and good enough to find a name in text).
fn loose(s: &str) -> String {
    s.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn data_root() -> Option<PathBuf> {
    let data = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        });
    let root = data.join("peer-fixtures");
    if root.join("lockfiles/index.json").is_file() {
        return Some(root);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "peer fixtures missing at {}",
        root.display()
    );
    eprintln!("skipped: no peer fixtures at {}", root.display());
    None
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// The file names a record's `real_filename` stands for ("A / B", "*.csproj", "x (note)").
fn real_names(real: &str) -> Vec<String> {
    real.split(" / ")
        .map(|n| {
            let n = n.split(" (").next().unwrap_or(n).trim();
            n.replace('*', "x")
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn every_peer_lockfile_fixture() {
    let Some(root) = data_root() else { return };
    let records: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(root.join("lockfiles/index.json")).unwrap())
            .unwrap();
    let extractors = registry();
    let by_name = |name: &str| -> &dyn Extractor {
        extractors
            .iter()
            .find(|x| x.name() == name)
            .unwrap_or_else(|| panic!("no extractor named {name}"))
            .as_ref()
    };
    let mut failures: Vec<String> = Vec::new();
    let mut per_format: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut used_deviations = 0;
    for r in &records {
        let format = str_field(r, "format");
        let fixture = str_field(r, "fixture");
        let Some((_, xname)) = FORMATS.iter().find(|(f, _)| *f == format) else {
            failures.push(format!("{fixture}: format {format} has no extractor"));
            continue;
        };
        let x = by_name(xname);
        let real_names = match ROUTED_AS.iter().find(|(f, _, _)| *f == format) {
            Some((_, path, _)) => vec![path.to_string()],
            None => real_names(str_field(r, "real_filename")),
        };
        for real in real_names {
            let picked = extractors
                .iter()
                .find(|e| e.applies_to(Path::new(&real)))
                .map(|e| e.name());
            if picked != Some(*xname) {
                failures.push(format!(
                    "{fixture}: a file named {real} goes to {picked:?}, not {xname}"
                ));
            }
        }
        let path = root.join(fixture);
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let display = r["options"]["file_path_given_to_parser"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            });
        let result = x.extract(&SourceFile {
            display,
            path: &path,
            text: &text,
        });
        let counts = per_format.entry(format).or_default();
        let deviations: Vec<&Deviation> = DEVIATIONS
            .iter()
            .filter(|(f, _, _)| *f == fixture)
            .map(|(_, d, _)| d)
            .collect();
        used_deviations += deviations.len();
        let deviation_error = deviations.iter().any(|d| matches!(d, Deviation::Error));
        if r.get("expect_error").is_some() || deviation_error {
            match result {
                Err(_) => {
                    if r.get("expect_error").is_some() {
                        counts.1 += 1;
                    } else {
                        counts.2 += 1;
                    }
                }
                Ok(ex) => failures.push(format!(
                    "{fixture}: must fail, but gave {} components",
                    ex.components.len()
                )),
            }
            continue;
        }
        let ex = match result {
            Ok(ex) => ex,
            Err(e) => {
                failures.push(format!("{fixture}: {e}"));
                continue;
            }
        };
        let expected: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(root.join(str_field(r, "expected"))).unwrap(),
        )
        .unwrap();
        let eco = str_field(r, "ecosystem_dir");
        let want: BTreeSet<(String, String)> = expected
            .iter()
            .map(|e| normal(eco, str_field(e, "name"), str_field(e, "version")))
            .collect();
        let got: BTreeSet<(String, String)> = ex
            .components
            .iter()
            .map(|c| normal(eco, &c.name, &c.version))
            .collect();
        let unresolved_names = |name: &str| {
            ex.unresolved
                .iter()
                .any(|u| loose(&u.text).contains(&loose(name)))
        };
        let listed = |list: &[(&str, &str)], (n, v): &(String, String)| {
            list.iter()
                .any(|p| normal(eco, p.0, p.1) == (n.clone(), v.clone()))
        };
        let mut missing = Vec::new();
        for key in want.difference(&got) {
            let by_deviation = deviations.iter().any(|d| match d {
                Deviation::Unresolved(l) => listed(l, key) && unresolved_names(&key.0),
                Deviation::Omitted(l) | Deviation::Instead(l, _) => listed(l, key),
                _ => false,
            });
            // No version to match, or a requirement the peer guessed a version for.
            let by_rule = (key.1.is_empty() || UNPINNED_FORMATS.contains(&format))
                && unresolved_names(&key.0);
            if !by_deviation && !by_rule {
                missing.push(key);
            }
        }
        let unexpected: Vec<_> = got
            .difference(&want)
            .filter(|k| {
                !deviations.iter().any(|d| match d {
                    Deviation::Extra(l) | Deviation::Instead(_, l) => listed(l, k),
                    // Only declared dependencies, direct and pinned to one version.
                    Deviation::ExtraDirect => ex
                        .components
                        .iter()
                        .any(|c| normal(eco, &c.name, &c.version) == **k && c.direct),
                    _ => false,
                })
            })
            .collect();
        if !deviations.is_empty() {
            counts.2 += 1;
        } else {
            counts.0 += 1;
        }
        if !missing.is_empty() || !unexpected.is_empty() {
            failures.push(format!(
                "{fixture} ({xname}): missing {missing:?}, unexpected {unexpected:?}"
            ));
        }
    }
    for (format, (matched, failed, deviated)) in &per_format {
        eprintln!("{format:45} matched {matched:3}  must-fail {failed:2}  deviations {deviated}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures do not conform:\n{}",
        failures.len(),
        records.len(),
        failures.join("\n")
    );
    assert_eq!(
        used_deviations,
        DEVIATIONS.len(),
        "a deviation names no fixture"
    );
    assert!(records.len() >= 313, "{}", records.len());
}
