//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct GleamToml;

impl Extractor for GleamToml {
    fn name(&self) -> &'static str {
        "gleam-toml"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
