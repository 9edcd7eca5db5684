//! `db import`: OSV `all.zip` archives, directories of `*.json` records (recursive), single
//! records, and CISA's KEV catalogue.
//!
//! Each source (one archive, or the JSON records of one directory, or one file) is imported in
//! one transaction. A record that breaks the schema is reported with its file and id, counted
//! and skipped; an archive that cannot be read to its end is rolled back whole.

use crate::record::parse_record;
use crate::{Progress, kev};
use ossgate_model::Ecosystem;
use ossgate_store::{AdvisoryRow, AdvisoryStore, ImportTx, SourceRow, Upsert};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// A record that was skipped, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RecordError {
    /// The archive or file.
    pub file: String,
    /// The entry inside an archive, when the file is one.
    pub entry: Option<String>,
    /// The record id, when it could be read.
    pub id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(e) = &self.entry {
            write!(f, " [{e}]")?;
        }
        if let Some(id) = &self.id {
            write!(f, " record {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What importing one source did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    pub source: String,
    /// `osv-zip`, `osv-json` or `kev`.
    pub kind: &'static str,
    pub inserted: u64,
    pub replaced: u64,
    pub unchanged: u64,
    /// Withdrawn records among those read (stored, never matched).
    pub withdrawn: u64,
    pub kev_entries: u64,
    pub errors: Vec<RecordError>,
    /// Set when the whole source was rolled back.
    pub failed: Option<String>,
    /// Ecosystems whose records this source held.
    pub ecosystems: Vec<String>,
}

impl SourceReport {
    pub fn records_read(&self) -> u64 {
        self.inserted + self.replaced + self.unchanged
    }
}

/// Imports every source under `path`: a zip, a JSON file (record or KEV catalogue), or a
/// directory (its zips one by one, its JSON records together).
pub fn import_path(
    store: &mut dyn AdvisoryStore,
    path: &Path,
    progress: &dyn Progress,
) -> Vec<SourceReport> {
    let display = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return vec![failed(&display, "osv-json", format!("cannot read: {e}"))],
    };
    if meta.is_file() {
        return vec![import_file(store, path, progress)];
    }
    let mut zips = Vec::new();
    let mut jsons = Vec::new();
    if let Err(e) = walk(path, &mut zips, &mut jsons) {
        return vec![failed(&display, "osv-json", e)];
    }
    let mut reports: Vec<SourceReport> = zips
        .iter()
        .map(|z| import_zip(store, z, None, progress))
        .collect();
    if !jsons.is_empty() {
        reports.push(import_json_files(store, &display, &jsons, progress));
    }
    if reports.is_empty() {
        reports.push(failed(
            &display,
            "osv-json",
            "no .zip or .json files found".into(),
        ));
    }
    reports
}

fn walk(dir: &Path, zips: &mut Vec<PathBuf>, jsons: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let ft = e.file_type().map_err(|e| format!("{}: {e}", p.display()))?;
        if ft.is_dir() {
            walk(&p, zips, jsons)?;
        } else if p.extension().is_some_and(|x| x == "zip") {
            zips.push(p);
        } else if p.extension().is_some_and(|x| x == "json") {
            jsons.push(p);
        }
    }
    Ok(())
}

fn failed(source: &str, kind: &'static str, message: String) -> SourceReport {
    SourceReport {
        source: source.to_string(),
        kind,
        failed: Some(message),
        ..Default::default()
    }
}

fn import_file(
    store: &mut dyn AdvisoryStore,
    path: &Path,
    progress: &dyn Progress,
) -> SourceReport {
    let display = path.display().to_string();
    if path.extension().is_some_and(|x| x == "zip") {
        return import_zip(store, path, None, progress);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return failed(&display, "osv-json", format!("cannot read: {e}")),
    };
    if kev::looks_like_kev(&bytes) {
        return kev::import_kev(store, &display, &bytes);
    }
    import_json_files(store, &display, &[path.to_path_buf()], progress)
}

/// Records read from a source: (entry name, bytes).
type Raw = (String, Vec<u8>);

/// A parsed record: its entry name, and its ecosystems and row, or why it was rejected.
type Parsed = (String, Result<(Vec<String>, AdvisoryRow), String>);

/// Parses a batch of records in parallel (rayon), keeping their order.
fn parse_batch(batch: Vec<Raw>) -> Vec<Parsed> {
    batch
        .into_par_iter()
        .map(|(entry, bytes)| {
            let r = parse_record(bytes).map(|(rec, row)| {
                let ecos = rec
                    .affected
                    .iter()
                    .filter_map(|a| a.package.as_ref())
                    .map(|p| Ecosystem::parse(&p.ecosystem).as_str().to_string())
                    .collect();
                (ecos, row)
            });
            (entry, r)
        })
        .collect()
}

/// Parses records in parallel and writes them in one transaction.
struct Writer<'a> {
    tx: Box<dyn ImportTx + 'a>,
    report: SourceReport,
    seen: HashMap<String, String>,
    ecosystems: BTreeSet<String>,
    file: String,
}

impl<'a> Writer<'a> {
    fn new(
        store: &'a mut dyn AdvisoryStore,
        source: &str,
        kind: &'static str,
    ) -> Result<Self, Box<SourceReport>> {
        let tx = store
            .begin_import()
            .map_err(|e| Box::new(failed(source, kind, e.to_string())))?;
        Ok(Writer {
            tx,
            report: SourceReport {
                source: source.to_string(),
                kind,
                ..Default::default()
            },
            seen: HashMap::new(),
            ecosystems: BTreeSet::new(),
            file: source.to_string(),
        })
    }

    /// Stores a parsed batch in order. A store error aborts the source.
    fn write_batch(&mut self, parsed: Vec<Parsed>, in_archive: bool) -> Result<(), String> {
        for (entry, r) in parsed {
            let (file, entry_name) = if in_archive {
                (self.file.clone(), Some(entry.clone()))
            } else {
                (entry.clone(), None)
            };
            match r {
                Err(message) => self.report.errors.push(RecordError {
                    file,
                    entry: entry_name,
                    id: None,
                    message,
                }),
                Ok((ecosystems, row)) => {
                    if let Some(first) = self.seen.get(&row.id) {
                        self.report.errors.push(RecordError {
                            file,
                            entry: entry_name,
                            id: Some(row.id.clone()),
                            message: format!("duplicate id (first read from {first}); skipped"),
                        });
                        continue;
                    }
                    self.seen.insert(row.id.clone(), entry);
                    self.ecosystems.extend(ecosystems);
                    if row.withdrawn.is_some() {
                        self.report.withdrawn += 1;
                    }
                    match self.tx.upsert(&row).map_err(|e| e.to_string())? {
                        Upsert::Inserted => self.report.inserted += 1,
                        Upsert::Replaced => self.report.replaced += 1,
                        Upsert::Unchanged => self.report.unchanged += 1,
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(mut self, location: &str, sync: Option<&SourceRow>) -> SourceReport {
        let now = jiff::Timestamp::now().to_string();
        for eco in &self.ecosystems {
            let row = match sync {
                Some(s) => SourceRow {
                    key: eco.clone(),
                    ..s.clone()
                },
                None => SourceRow {
                    key: eco.clone(),
                    location: location.to_string(),
                    imported_at: Some(now.clone()),
                    synced_at: None,
                    sync: Default::default(),
                },
            };
            if let Err(e) = self.tx.record_source(&row) {
                return self.abort(e.to_string());
            }
        }
        self.report.ecosystems = self.ecosystems.iter().cloned().collect();
        let mut report = self.report;
        if let Err(e) = self.tx.commit() {
            report.failed = Some(e.to_string());
            report.inserted = 0;
            report.replaced = 0;
            report.unchanged = 0;
        }
        report
    }

    fn abort(mut self, message: String) -> SourceReport {
        // Dropping the transaction rolls every write of this source back.
        self.report.failed = Some(message);
        self.report.inserted = 0;
        self.report.replaced = 0;
        self.report.unchanged = 0;
        self.report
    }
}

const BATCH: usize = 1024;

/// Reads entry `i` of an archive: `None` for directories and non-JSON entries. An error means
/// the archive cannot be read to its end.
fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
) -> Result<Option<Raw>, String> {
    let mut f = archive
        .by_index(i)
        .map_err(|e| format!("entry #{i}: {e}; archive rolled back"))?;
    let name = f
        .name()
        .map_err(|e| format!("entry #{i}: bad name: {e}; archive rolled back"))?
        .to_string();
    if f.is_dir() || !name.ends_with(".json") {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity(f.size() as usize);
    f.read_to_end(&mut buf)
        .map_err(|e| format!("entry {name}: {e}; archive rolled back"))?;
    Ok(Some((name, buf)))
}

/// Imports one OSV archive. `sync` carries the source row to record when the archive came from
/// `db sync` (its URL and HTTP validators).
pub fn import_zip(
    store: &mut dyn AdvisoryStore,
    path: &Path,
    sync: Option<&SourceRow>,
    progress: &dyn Progress,
) -> SourceReport {
    let display = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return failed(&display, "osv-zip", format!("cannot read: {e}")),
    };
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes.as_slice())) {
        Ok(a) => a,
        Err(e) => {
            return failed(
                &display,
                "osv-zip",
                format!("not a readable zip archive (truncated or corrupt?): {e}"),
            );
        }
    };
    let mut writer = match Writer::new(store, &display, "osv-zip") {
        Ok(w) => w,
        Err(r) => return *r,
    };
    let total = archive.len();
    progress.start(&display, total as u64);
    // Inflating and parsing run on a second thread (parsing itself in parallel) while this
    // thread writes the previous batch: the two stages overlap.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<(usize, Vec<Parsed>), String>>(2);
    let outcome: Result<(), String> = std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch: Vec<Raw> = Vec::with_capacity(BATCH);
            let mut read = 0usize;
            for i in 0..total {
                let entry = read_entry(&mut archive, i);
                read += 1;
                match entry {
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                    Ok(Some(raw)) => batch.push(raw),
                    Ok(None) => {}
                }
                if batch.len() == BATCH {
                    let parsed = parse_batch(std::mem::take(&mut batch));
                    if tx.send(Ok((read, parsed))).is_err() {
                        return;
                    }
                    read = 0;
                }
            }
            let _ = tx.send(Ok((read, parse_batch(batch))));
        });
        for msg in rx {
            let (n, parsed) = msg?;
            writer.write_batch(parsed, true)?;
            progress.inc(n as u64);
        }
        Ok(())
    });
    if let Err(e) = outcome {
        return writer.abort(e);
    }
    progress.finish();
    writer.finish(&display, sync)
}

fn import_json_files(
    store: &mut dyn AdvisoryStore,
    source: &str,
    files: &[PathBuf],
    progress: &dyn Progress,
) -> SourceReport {
    let mut writer = match Writer::new(store, source, "osv-json") {
        Ok(w) => w,
        Err(r) => return *r,
    };
    progress.start(source, files.len() as u64);
    for chunk in files.chunks(BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for p in chunk {
            match std::fs::read(p) {
                Ok(b) => batch.push((p.display().to_string(), b)),
                Err(e) => writer.report.errors.push(RecordError {
                    file: p.display().to_string(),
                    entry: None,
                    id: None,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        if let Err(e) = writer.write_batch(parse_batch(batch), false) {
            return writer.abort(e);
        }
        progress.inc(chunk.len() as u64);
    }
    progress.finish();
    writer.finish(source, None)
}
