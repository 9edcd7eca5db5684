//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct RebarLock;

impl Extractor for RebarLock {
    fn name(&self) -> &'static str {
        "rebar-lock"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
