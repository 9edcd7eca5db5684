//! The extractor registry. One module per format; [`registry`] lists them in the order they are
//! tried (the first whose `applies_to` accepts a file reads it).

mod cabal_freeze;
mod cargo_lock;
mod composer_lock;
mod conan_lock;
mod gemfile_lock;
mod go_mod;
mod gradle_lock;
mod mix_lock;
mod npm_lock;
mod nuget_lock;
mod pdm_lock;
mod pipfile_lock;
mod poetry_lock;
mod pylock;
mod python;
mod renv_lock;
mod requirements;
mod swift_resolved;
mod uv_lock;
mod yarn_lock;

use crate::{ExtractError, Extractor};

/// Every extractor ossgate has.
pub fn registry() -> Vec<Box<dyn Extractor>> {
    vec![
        Box::new(cargo_lock::CargoLock),
        Box::new(npm_lock::NpmLock),
        Box::new(poetry_lock::PoetryLock),
        Box::new(requirements::Requirements),
        Box::new(gemfile_lock::GemfileLock),
        Box::new(composer_lock::ComposerLock),
        Box::new(go_mod::GoMod),
        Box::new(nuget_lock::NuGetLock),
        Box::new(yarn_lock::YarnLock),
        Box::new(pipfile_lock::PipfileLock),
        Box::new(uv_lock::UvLock),
        Box::new(pdm_lock::PdmLock),
        Box::new(pylock::PyLock),
        Box::new(gradle_lock::GradleLock),
        Box::new(renv_lock::RenvLock),
        Box::new(swift_resolved::SwiftResolved),
        Box::new(conan_lock::ConanLock),
        Box::new(cabal_freeze::CabalFreeze),
        Box::new(mix_lock::MixLock),
    ]
}

pub(crate) fn file_name(path: &std::path::Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// A TOML parse error, with the line it points at.
pub(crate) fn toml_error(file: &str, text: &str, e: toml::de::Error) -> ExtractError {
    let line = e
        .span()
        .map(|s| crate::lines::line_of_offset(text, s.start));
    ExtractError::new(file, line, format!("invalid TOML: {}", e.message()))
}

/// A JSON parse error, with the line it points at.
pub(crate) fn json_error(file: &str, e: serde_json::Error) -> ExtractError {
    let line = (e.line() > 0).then_some(e.line() as u32);
    ExtractError::new(file, line, format!("invalid JSON: {e}"))
}
