//! The advisory store. [`AdvisoryStore`] and [`ImportTx`] are the seam: everything above this
//! crate talks to them, so a PostgreSQL backend can be added beside [`SqliteStore`] without
//! touching import or matching.
//!
//! The store keeps each OSV record whole (for export and display), a small header (what a
//! finding shows), and one row per `affected[]` entry keyed by (ecosystem, normalised name):
//! a scan reads only the rows of the packages it has.
//!
//! It also keeps VEX triage decisions ([`VexStore`]): an append-only history in which the newest
//! statement per (vulnerability, product, subcomponents) is the current one.

mod sqlite;

pub use sqlite::SqliteStore;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create store directory {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "store {path} has schema version {found}, newer than this ossgate knows ({known}); upgrade ossgate"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One `affected[]` entry of a record, as stored for matching.
#[derive(Debug, Clone)]
pub struct PackageRow {
    /// The ecosystem's base name (`PyPI`, `Debian`), without `:` suffix.
    pub ecosystem: String,
    /// The package name normalised as the ecosystem compares names.
    pub name: String,
    /// The `affected[]` entry as JSON.
    pub entry: String,
}

/// One OSV record, ready to store.
#[derive(Debug, Clone)]
pub struct AdvisoryRow {
    pub id: String,
    /// `modified`, as microseconds since the Unix epoch (comparable; may be negative).
    pub modified_us: i64,
    pub modified: String,
    pub published: Option<String>,
    pub withdrawn: Option<String>,
    pub aliases: Vec<String>,
    /// The fields a finding shows, as JSON.
    pub header: String,
    /// The whole record as JSON.
    pub record: String,
    pub packages: Vec<PackageRow>,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Inserted,
    /// The stored record was older and has been replaced.
    Replaced,
    /// The stored record is as new or newer; nothing changed.
    Unchanged,
}

/// A stored `affected[]` entry for a package, with its record's header.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub advisory_id: String,
    pub entry: String,
    pub header: String,
}

/// A CISA KEV catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevRow {
    pub cve: String,
    pub date_added: String,
    pub due_date: Option<String>,
    pub ransomware: Option<String>,
}

/// HTTP validators remembered from the last successful sync of a source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Where a source's data came from last.
#[derive(Debug, Clone)]
pub struct SourceRow {
    /// An ecosystem name, or `CISA KEV`.
    pub key: String,
    /// The file or URL it was imported from.
    pub location: String,
    /// RFC 3339 time of the last import (by `db import` or `db sync`).
    pub imported_at: Option<String>,
    /// RFC 3339 time of the last sync check (including "not modified").
    pub synced_at: Option<String>,
    pub sync: SyncState,
}

/// Records per ecosystem.
#[derive(Debug, Clone)]
pub struct EcosystemCount {
    pub ecosystem: String,
    pub records: u64,
    pub withdrawn: u64,
}

/// An overview of the store, for `db status`.
#[derive(Debug, Clone)]
pub struct Status {
    pub location: String,
    pub records: u64,
    pub withdrawn: u64,
    pub kev_entries: u64,
    pub ecosystems: Vec<EcosystemCount>,
    pub sources: Vec<SourceRow>,
}

/// Read access plus the start of an import.
pub trait AdvisoryStore {
    /// Starts an atomic import: nothing is visible to readers until `commit`, and dropping the
    /// transaction (or a crash) leaves the store as it was.
    fn begin_import(&mut self) -> Result<Box<dyn ImportTx + '_>>;
    /// Every non-withdrawn `affected[]` entry stored for a package.
    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>>;
    /// [`AdvisoryStore::candidates`] for many packages of one ecosystem at once (one read
    /// snapshot), as (normalised name, candidate) in name order.
    fn candidates_many(&self, ecosystem: &str, names: &[&str]) -> Result<Vec<(String, Candidate)>>;
    fn kev(&self, cve: &str) -> Result<Option<KevRow>>;
    fn source(&self, key: &str) -> Result<Option<SourceRow>>;
    fn status(&self) -> Result<Status>;
    /// The number of stored records, without a table scan.
    fn record_count(&self) -> Result<u64>;
    /// The whole stored record, by OSV id.
    fn record(&self, id: &str) -> Result<Option<String>>;
}

/// The writes of one import, applied atomically on `commit`.
pub trait ImportTx {
    /// Stores a record unless a record with the same id and an equal or newer `modified` is
    /// already stored.
    fn upsert(&mut self, row: &AdvisoryRow) -> Result<Upsert>;
    /// Replaces the KEV catalogue.
    fn replace_kev(&mut self, rows: &[KevRow]) -> Result<()>;
    /// Notes where a source came from.
    fn record_source(&mut self, row: &SourceRow) -> Result<()>;
    fn commit(self: Box<Self>) -> Result<()>;
}

/// One stored VEX statement. The store keeps the fields as text; `ossgate-vex` gives them
/// meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexRow {
    /// Assigned by the store on insert (ignored when inserting).
    pub id: i64,
    pub vulnerability: String,
    pub aliases: Vec<String>,
    pub product: String,
    pub subcomponents: Vec<String>,
    pub status: String,
    pub justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub notes: Option<String>,
    pub author: String,
    /// RFC 3339.
    pub timestamp: String,
    /// `timestamp` as microseconds since the Unix epoch, for ordering.
    pub timestamp_us: i64,
    /// Where the statement came from: `cli`, or the document it was imported from.
    pub source: String,
}

/// Which statements to list; `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct VexFilter {
    /// A vulnerability id or alias (case-insensitive).
    pub vulnerability: Option<String>,
    /// The product exactly as stored.
    pub product: Option<String>,
}

/// The VEX history: appended to, never rewritten.
pub trait VexStore {
    /// Appends statements in one transaction; returns their ids.
    fn insert_vex(&mut self, rows: &[VexRow]) -> Result<Vec<i64>>;
    /// Every statement, oldest first.
    fn vex_log(&self, filter: &VexFilter) -> Result<Vec<VexRow>>;
    /// The current statement per (vulnerability, product, subcomponents): the newest by
    /// timestamp, the later inserted on a tie; oldest first.
    fn vex_current(&self, filter: &VexFilter) -> Result<Vec<VexRow>>;
}
