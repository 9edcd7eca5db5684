//! (being written)

use crate::{ExtractError, Extracted, Extractor, SourceFile};
use std::path::Path;

pub struct JuliaManifest;

impl Extractor for JuliaManifest {
    fn name(&self) -> &'static str {
        "julia-manifest"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}

pub struct JuliaProject;

impl Extractor for JuliaProject {
    fn name(&self) -> &'static str {
        "julia-project"
    }
    fn applies_to(&self, _path: &Path) -> bool {
        false
    }
    fn extract(&self, _file: &SourceFile) -> Result<Extracted, ExtractError> {
        Ok(Extracted::default())
    }
}
