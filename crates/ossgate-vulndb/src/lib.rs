//! Known vulnerabilities: importing OSV data (files and `db sync`), the CISA KEV catalogue, and
//! matching an inventory against the store.

pub mod import;
pub mod kev;
pub mod matcher;
pub mod record;
pub mod sync;

pub use import::{RecordError, SourceReport, import_path, import_zip};
pub use matcher::{Matches, Unevaluated, match_components};

/// Progress of long work. The CLI draws a bar on a terminal; libraries and tests pass
/// [`NoProgress`].
pub trait Progress {
    /// Starts counting `total` items (records) for `label`.
    fn start(&self, label: &str, total: u64);
    /// Starts counting bytes for `label`; `total` when known.
    fn start_bytes(&self, label: &str, total: Option<u64>);
    fn inc(&self, n: u64);
    fn finish(&self);
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn start_bytes(&self, _: &str, _: Option<u64>) {}
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
}
