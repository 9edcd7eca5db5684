//! Conformance on the real projects in `$OSSGATE_DATA/inputs`: every project is read without
//! errors; every file in them is read, superseded by a lockfile, or listed here as not a
//! dependency file; and the counts of the known traps are checked against independent counts
//! (computed here in a different way from the extractors). Per-format counts for the other
//! inputs live beside each extractor's unit tests.

use ossgate_inventory::{Inventory, Options, collect};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn inputs() -> Option<PathBuf> {
    let dir = std::env::var_os("OSSGATE_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
        })
        .join("inputs");
    if dir.is_dir() {
        return Some(dir);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "inputs missing at {}",
        dir.display()
    );
    eprintln!("skipped: no inputs at {}", dir.display());
    None
}

/// Files in the inputs that are not dependency files ossgate reads, and why.
const NOT_READ: &[(&str, &str)] = &[
    ("SOURCES.md", "provenance notes"),
    (
        "Gemfile",
        "Bundler's manifest; the Gemfile.lock beside it is read",
    ),
    (
        "composer.json",
        "Composer's manifest; the composer.lock beside it is read",
    ),
    (
        "pubspec.yaml",
        "Dart's manifest; the pubspec.lock beside it is read",
    ),
    (
        "pnpm-workspace.yaml",
        "workspace layout; the packages are in pnpm-lock.yaml",
    ),
    (
        "main.in",
        "pip-compile input; the compiled main.txt is read",
    ),
    ("go.sum", "read with go.mod only for go < 1.17 modules"),
];

fn project(dir: &Path) -> Inventory {
    let inv = collect(dir, &Options::default()).unwrap();
    assert!(inv.errors.is_empty(), "{}: {:?}", dir.display(), inv.errors);
    inv
}

#[test]
fn every_input_file_is_accounted_for() {
    let Some(root) = inputs() else { return };
    let mut read = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let inv = project(&dir);
        assert!(!inv.components.is_empty(), "{}", dir.display());
        let files: BTreeSet<String> = inv.files.iter().map(|f| f.file.clone()).collect();
        let superseded: BTreeSet<String> = inv.superseded.iter().map(|s| s.file.clone()).collect();
        for f in walk(&dir) {
            let rel = f.strip_prefix(&dir).unwrap().display().to_string();
            let name = f.file_name().unwrap().to_str().unwrap();
            assert!(
                files.contains(&rel)
                    || superseded.contains(&rel)
                    || NOT_READ.iter().any(|(n, _)| *n == name),
                "{}: {rel} is neither read, superseded, nor listed as not read",
                dir.display()
            );
        }
        read += files.len();
    }
    assert!(read >= 40, "{read} files read");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Trivy reads only the first of astro's two YAML documents (19 packages). Independent count:
/// package keys at two-space indentation under every `packages:` section of every document.
#[test]
fn astro_pnpm_lock_both_documents() {
    let Some(root) = inputs() else { return };
    let text = std::fs::read_to_string(root.join("astro/pnpm-lock.yaml")).unwrap();
    assert_eq!(text.matches("\n---\n").count() + 1, 2, "two documents");
    let mut want = BTreeSet::new();
    let mut in_packages = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_packages = line == "packages:";
            continue;
        }
        if in_packages
            && let Some(key) = line.strip_prefix("  ")
            && !key.starts_with(' ')
            && let Some(key) = key.strip_suffix(':')
        {
            let key = key.trim_matches('\'');
            // `name@version` (v9): the last `@` that is not the first character.
            if let Some(at) = key[1..].find('@').map(|i| i + 1)
                && !key[at + 1..].starts_with("link:")
                && !key[at + 1..].starts_with("file:")
            {
                want.insert(format!("{}@{}", &key[..at], &key[at + 1..]));
            }
        }
    }
    assert!(want.len() > 2000, "{}", want.len());
    let inv = project(&root.join("astro"));
    let got: BTreeSet<String> = inv
        .components
        .iter()
        .filter(|c| c.ecosystem.as_str() == "npm")
        .map(|c| format!("{}@{}", c.name, c.version))
        .collect();
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "missing {} e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

/// Trivy drops warehouse's whole v1 package-lock over one `"resolved": false`. Independent
/// count: the distinct registry name@version pairs in the nested `dependencies` tree.
#[test]
fn warehouse_v1_lock_with_resolved_false() {
    let Some(root) = inputs() else { return };
    let lock = root.join("warehouse-2021/package-lock.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
    fn tree(deps: &Value, out: &mut BTreeSet<String>) {
        if let Some(m) = deps.as_object() {
            for (name, e) in m {
                if let Some(v) = e["version"]
                    .as_str()
                    .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
                {
                    out.insert(format!("{name}@{v}"));
                }
                tree(&e["dependencies"], out);
            }
        }
    }
    let mut want = BTreeSet::new();
    tree(&doc["dependencies"], &mut want);
    let text = std::fs::read_to_string(&lock).unwrap();
    assert!(
        text.contains("\"resolved\": false"),
        "the trap is still there"
    );
    let inv = collect(&lock, &Options::default()).unwrap();
    assert!(inv.errors.is_empty());
    let got: BTreeSet<String> = inv
        .components
        .iter()
        .map(|c| format!("{}@{}", c.name, c.version))
        .collect();
    assert_eq!(got, want);
    assert!(want.len() > 1000, "{}", want.len());
}

/// bitwarden-server's four NuGet lockfiles share most packages: the inventory holds each
/// package once, with a location in every file it appears in. Independent count: the union of
/// (lower-cased id, resolved version) over the four files' non-project dependencies.
#[test]
fn bitwarden_nuget_locks_deduplicated() {
    let Some(root) = inputs() else { return };
    let dir = root.join("bitwarden-server");
    let mut union = BTreeSet::new();
    let mut sum = 0;
    for lock in walk(&dir)
        .into_iter()
        .filter(|p| p.file_name().unwrap() == "packages.lock.json")
    {
        let doc: Value = serde_json::from_slice(&std::fs::read(&lock).unwrap()).unwrap();
        let mut this = BTreeSet::new();
        for (_, deps) in doc["dependencies"].as_object().unwrap() {
            for (id, d) in deps.as_object().unwrap() {
                if d["type"] != "Project"
                    && let Some(v) = d["resolved"].as_str()
                {
                    this.insert((id.to_lowercase(), v.to_string()));
                }
            }
        }
        sum += this.len();
        union.extend(this);
    }
    let inv = project(&dir);
    let got: BTreeSet<(String, String)> = inv
        .components
        .iter()
        .filter(|c| c.ecosystem.as_str() == "NuGet")
        .map(|c| (c.name.to_lowercase(), c.version.clone()))
        .collect();
    assert_eq!(got, union);
    assert_eq!(
        inv.components
            .iter()
            .filter(|c| c.ecosystem.as_str() == "NuGet")
            .count(),
        union.len(),
        "one component per package"
    );
    assert!(
        sum > union.len() * 3 / 2,
        "the files overlap: {sum} vs {}",
        union.len()
    );
    let shared = inv
        .components
        .iter()
        .filter(|c| c.ecosystem.as_str() == "NuGet" && c.locations.len() == 4)
        .count();
    assert!(shared > 0, "some packages are found in all four files");
}
