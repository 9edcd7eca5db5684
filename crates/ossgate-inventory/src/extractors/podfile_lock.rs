//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct PodfileLock;

impl Extractor for PodfileLock {
    fn name(&self) -> &'static str {
        "podfile-lock"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
