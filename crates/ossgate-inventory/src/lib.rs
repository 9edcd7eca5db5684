//! What is inside a project: one [`Extractor`] per lockfile format, found by file name, and a
//! walker that runs them over a directory tree (respecting `.gitignore`).
//!
//! To add a format: write a module under `extractors/` with a type implementing [`Extractor`],
//! and add it to [`registry`]. Nothing else needs to change: `scan` and `inventory` pick it up.

mod extractors;
mod lines;
#[cfg(test)]
pub(crate) mod testdata;

use ossgate_model::{Component, Location};
use std::fmt;
use std::path::{Path, PathBuf};

pub use extractors::{FORMATS, registry};

/// A file handed to an extractor: its path as shown to the user, and its text.
pub struct SourceFile<'a> {
    /// The path shown in output (relative to the scanned directory when walking).
    pub display: String,
    /// The path on disk, for extractors that read neighbouring files (e.g. package.json).
    pub path: &'a Path,
    pub text: &'a str,
}

/// A requirement that names a package but not one exact version, so it cannot be matched.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unresolved {
    pub file: String,
    pub line: Option<u32>,
    pub text: String,
    pub reason: String,
}

/// What one extractor found in one file.
#[derive(Debug, Default)]
pub struct Extracted {
    pub components: Vec<Component>,
    pub unresolved: Vec<Unresolved>,
    /// Problems that did not stop reading (an SBOM that violates its specification), each with
    /// the file and, where known, the line.
    pub warnings: Vec<ExtractError>,
}

/// A file that could not be read.
#[derive(Debug, Clone, serde::Serialize, thiserror::Error)]
pub struct ExtractError {
    pub file: String,
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl ExtractError {
    pub fn new(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        ExtractError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// One lockfile or manifest format.
pub trait Extractor: Send + Sync {
    /// A short stable name, e.g. `cargo-lock`.
    fn name(&self) -> &'static str;
    /// Whether this extractor reads the file at `path` (by file name or pattern).
    fn applies_to(&self, path: &Path) -> bool;
    /// Reads the components of one file.
    fn extract(&self, file: &SourceFile) -> Result<Extracted, ExtractError>;
    /// For a manifest (declared dependencies, no exact versions): the lockfile names that make
    /// it redundant. When a directory walk finds one of them beside the manifest or in a parent
    /// directory inside the walked tree (a workspace lock), the manifest is not read. Lockfiles
    /// return the empty default.
    fn superseded_by(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Options for [`collect`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Also walk `node_modules`, `target`, `vendor` and similar directories of third-party code.
    pub include_vendored: bool,
    /// Glob patterns (gitignore syntax, relative to the walked directory) of paths to leave out.
    pub exclude: Vec<String>,
}

/// Per-file summary of an inventory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub file: String,
    pub extractor: &'static str,
    pub components: usize,
}

/// The inventory of a project: components de-duplicated across files, with every location kept.
#[derive(Debug, Default)]
pub struct Inventory {
    pub components: Vec<Component>,
    pub files: Vec<FileSummary>,
    pub errors: Vec<ExtractError>,
    /// Problems in files that were still read (see [`Extracted::warnings`]).
    pub warnings: Vec<ExtractError>,
    pub unresolved: Vec<Unresolved>,
    /// Manifests not read because a lockfile covers them.
    pub superseded: Vec<Superseded>,
}

/// A manifest left out of the inventory because a lockfile beside it (or a workspace lockfile
/// above it) gives the exact versions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Superseded {
    pub file: String,
    /// The lockfile, relative to the walked directory.
    pub by: String,
}

/// The first of `locks` found beside `file` or in a directory above it, up to `root`.
fn superseding_lock(root: &Path, file: &Path, locks: &[&str]) -> Option<String> {
    if locks.is_empty() {
        return None;
    }
    let mut dir = file.parent();
    while let Some(d) = dir {
        for lock in locks {
            let candidate = d.join(lock);
            if candidate.is_file() {
                let shown = candidate.strip_prefix(root).unwrap_or(&candidate);
                return Some(shown.display().to_string());
            }
        }
        if d == root || !d.starts_with(root) {
            break;
        }
        dir = d.parent();
    }
    None
}

/// Directories of vendored or installed third-party code, skipped unless asked.
const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "target",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
];

/// Builds the inventory of `path`: a directory (walked) or a single file.
pub fn collect(path: &Path, opts: &Options) -> Result<Inventory, ExtractError> {
    let extractors = registry();
    let meta = std::fs::metadata(path)
        .map_err(|e| ExtractError::new(&path.display().to_string(), None, e.to_string()))?;
    let mut found: Vec<(PathBuf, String, usize)> = Vec::new();
    if meta.is_file() {
        let idx = extractors
            .iter()
            .position(|x| x.applies_to(path))
            .ok_or_else(|| {
                ExtractError::new(
                    &path.display().to_string(),
                    None,
                    format!(
                        "no extractor reads this kind of file (supported: {})",
                        extractors::FORMATS
                            .iter()
                            .map(|(_, files, _)| *files)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                )
            })?;
        found.push((path.to_path_buf(), path.display().to_string(), idx));
    } else {
        let include_vendored = opts.include_vendored;
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for glob in &opts.exclude {
            overrides.add(&format!("!{glob}")).map_err(|e| {
                ExtractError::new(
                    &path.display().to_string(),
                    None,
                    format!("bad --exclude glob `{glob}`: {e}"),
                )
            })?;
        }
        let overrides = overrides.build().map_err(|e| {
            ExtractError::new(
                &path.display().to_string(),
                None,
                format!("bad --exclude globs: {e}"),
            )
        })?;
        let walker = ignore::WalkBuilder::new(path)
            .require_git(false)
            .overrides(overrides)
            .filter_entry(move |e| {
                include_vendored
                    || !(e.file_type().is_some_and(|t| t.is_dir())
                        && e.depth() > 0
                        && VENDORED_DIRS.iter().any(|d| e.file_name() == *d))
            })
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    return Err(ExtractError::new(
                        &path.display().to_string(),
                        None,
                        e.to_string(),
                    ));
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if let Some(idx) = extractors.iter().position(|x| x.applies_to(entry.path())) {
                let display = entry
                    .path()
                    .strip_prefix(path)
                    .unwrap_or(entry.path())
                    .display()
                    .to_string();
                found.push((entry.path().to_path_buf(), display, idx));
            }
        }
        found.sort_by(|a, b| a.1.cmp(&b.1));
    }

    let mut inv = Inventory::default();
    if meta.is_dir() {
        found.retain(|(file, display, idx)| {
            match superseding_lock(path, file, extractors[*idx].superseded_by()) {
                Some(lock) => {
                    inv.superseded.push(Superseded {
                        file: display.clone(),
                        by: lock,
                    });
                    false
                }
                None => true,
            }
        });
    }
    let mut all: Vec<Component> = Vec::new();
    for (file, display, idx) in found {
        let extractor = &extractors[idx];
        let text = match std::fs::read(&file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    inv.errors
                        .push(ExtractError::new(&display, None, "file is not UTF-8 text"));
                    continue;
                }
            },
            Err(e) => {
                inv.errors
                    .push(ExtractError::new(&display, None, e.to_string()));
                continue;
            }
        };
        let src = SourceFile {
            display: display.clone(),
            path: &file,
            text: &text,
        };
        match extractor.extract(&src) {
            Ok(ex) => {
                inv.files.push(FileSummary {
                    file: display,
                    extractor: extractor.name(),
                    components: ex.components.len(),
                });
                all.extend(ex.components);
                inv.unresolved.extend(ex.unresolved);
                inv.warnings.extend(ex.warnings);
            }
            Err(e) => inv.errors.push(e),
        }
    }
    inv.components = dedupe(all);
    Ok(inv)
}

/// Merges components with the same purl: locations and edges are united, a component direct
/// anywhere is direct, and the widest scope wins.
fn dedupe(mut all: Vec<Component>) -> Vec<Component> {
    all.sort_by(|a, b| a.purl.cmp(&b.purl));
    let mut out: Vec<Component> = Vec::with_capacity(all.len());
    for c in all {
        match out.last_mut() {
            Some(existing) if existing.purl == c.purl => {
                existing.direct |= c.direct;
                existing.scope = existing.scope.widest(c.scope);
                existing.locations.extend(c.locations);
                existing.dependencies.extend(c.dependencies);
                existing.hashes.extend(c.hashes);
                existing.licenses.extend(c.licenses);
            }
            _ => out.push(c),
        }
    }
    for c in &mut out {
        if c.locations.len() > 1 {
            c.locations.sort();
            c.locations.dedup();
        }
        c.dependencies.sort();
        c.dependencies.dedup();
        c.hashes.sort();
        c.hashes.dedup();
        c.licenses.sort();
        c.licenses.dedup();
    }
    out
}

/// A location in `file` at 1-based `line`.
pub(crate) fn loc(file: &str, line: Option<u32>) -> Location {
    Location {
        file: file.to_string(),
        line,
    }
}

#[cfg(test)]
mod robustness {
    use crate::testdata::{data_dir, fixture, peer_records};
    use crate::{SourceFile, registry};

    /// Every extractor, fed every peer fixture of every format, cut short at several points and
    /// with bytes flipped, returns a result or an error: never a panic.
    #[test]
    fn no_extractor_panics_on_any_fixture_mangled() {
        let Some(root) = data_dir() else { return };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        let extractors = registry();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut runs = 0;
        for rec in peer_records(&root, |_| true) {
            let Ok(bytes) = std::fs::read(root.join(fixture(&rec))) else {
                continue;
            };
            let mut variants: Vec<Vec<u8>> = [1, 3, 2]
                .iter()
                .map(|d| bytes[..bytes.len() * 2 / (d + 2)].to_vec())
                .collect();
            let mut flipped = bytes.clone();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if !flipped.is_empty() {
                    let i = (seed as usize) % flipped.len();
                    flipped[i] = (seed >> 40) as u8;
                }
            }
            variants.push(flipped);
            variants.push(bytes);
            for v in variants {
                let text = String::from_utf8_lossy(&v);
                for x in &extractors {
                    let _ = x.extract(&SourceFile {
                        display: "input".into(),
                        path: &path,
                        text: &text,
                    });
                    runs += 1;
                }
            }
        }
        assert!(runs > 10_000, "{runs}");
    }
}
