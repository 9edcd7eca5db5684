//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct PyprojectToml;

impl Extractor for PyprojectToml {
    fn name(&self) -> &'static str {
        "pyproject-toml"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
