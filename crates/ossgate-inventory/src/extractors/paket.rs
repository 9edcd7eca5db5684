//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct PaketLock;

impl Extractor for PaketLock {
    fn name(&self) -> &'static str {
        "paket-lock"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}

pub struct PaketDependencies;

impl Extractor for PaketDependencies {
    fn name(&self) -> &'static str {
        "paket-dependencies"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
