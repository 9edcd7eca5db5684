//! The extractor registry. One module per format; [`registry`] lists them in the order they are
//! tried (the first whose `applies_to` accepts a file reads it).

mod apk_installed;
mod bun_lock;
mod cabal_freeze;
mod cargo_lock;
mod cargo_toml;
mod composer_lock;
mod conan_lock;
mod cpan_meta;
mod deno_json;
mod deps_json;
mod dpkg_status;
mod gemfile_lock;
mod gemspec;
mod github_actions;
mod gleam_toml;
mod go_mod;
mod go_vendor;
mod gradle_lock;
mod gradle_verification;
mod julia;
mod mix_lock;
mod msbuild;
mod npm_lock;
mod nuget_lock;
mod opam_install;
mod package_json;
mod packages_config;
mod paket;
mod pdm_lock;
mod pipfile_lock;
mod pnpm_lock;
mod podfile_lock;
mod poetry_lock;
mod pom_xml;
mod project_assets;
mod pubspec_lock;
mod pylock;
mod pyproject_toml;
mod python;
mod rebar_lock;
mod renv_lock;
mod requirements;
mod sbom_doc;
mod setup_py;
mod stack_lock;
mod swift_resolved;
mod uv_lock;
mod version_catalog;
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
        Box::new(pnpm_lock::PnpmLock),
        Box::new(bun_lock::BunLock),
        Box::new(package_json::PackageJson),
        Box::new(deno_json::DenoJson),
        Box::new(pom_xml::PomXml),
        Box::new(gradle_verification::GradleVerification),
        Box::new(version_catalog::VersionCatalog),
        Box::new(packages_config::PackagesConfig),
        Box::new(msbuild::MsBuild),
        Box::new(deps_json::DepsJson),
        Box::new(project_assets::ProjectAssets),
        Box::new(paket::PaketLock),
        Box::new(paket::PaketDependencies),
        Box::new(pubspec_lock::PubspecLock),
        Box::new(stack_lock::StackLock),
        Box::new(rebar_lock::RebarLock),
        Box::new(github_actions::GithubActions),
        Box::new(podfile_lock::PodfileLock),
        Box::new(cpan_meta::CpanMeta),
        Box::new(dpkg_status::DpkgStatus),
        Box::new(apk_installed::ApkInstalled),
        Box::new(go_vendor::GoVendor),
        Box::new(opam_install::OpamInstall),
        Box::new(gleam_toml::GleamToml),
        Box::new(julia::JuliaManifest),
        Box::new(julia::JuliaProject),
        Box::new(cargo_toml::CargoToml),
        Box::new(pyproject_toml::PyprojectToml),
        Box::new(setup_py::SetupPy),
        Box::new(gemspec::Gemspec),
        Box::new(sbom_doc::SbomDocument),
    ]
}

/// What each extractor reads: (extractor name, the files it reads, ecosystem). Shown when a
/// file is of no known kind, and in docs/formats.md; a test keeps it in step with [`registry`].
pub const FORMATS: &[(&str, &str, &str)] = &[
    ("cargo-lock", "Cargo.lock", "crates.io"),
    (
        "cargo-toml",
        "Cargo.toml (when no Cargo.lock covers it)",
        "crates.io",
    ),
    ("npm-lock", "package-lock.json, npm-shrinkwrap.json", "npm"),
    ("yarn-lock", "yarn.lock (classic and Berry)", "npm"),
    ("pnpm-lock", "pnpm-lock.yaml (v5, v6, v9)", "npm"),
    ("bun-lock", "bun.lock", "npm"),
    (
        "package-json",
        "package.json (when no lockfile covers it)",
        "npm",
    ),
    ("deno-json", "deno.json, deno.jsonc", "npm, JSR"),
    ("requirements-txt", "requirements*.txt", "PyPI"),
    ("poetry-lock", "poetry.lock", "PyPI"),
    ("pipfile-lock", "Pipfile.lock", "PyPI"),
    ("uv-lock", "uv.lock", "PyPI"),
    ("pdm-lock", "pdm.lock", "PyPI"),
    ("pylock", "pylock.toml, pylock.*.toml", "PyPI"),
    (
        "pyproject-toml",
        "pyproject.toml (when no lockfile covers it)",
        "PyPI",
    ),
    ("setup-py", "setup.py (when no lockfile covers it)", "PyPI"),
    ("go-mod", "go.mod (with go.sum)", "Go"),
    ("go-vendor-modules", "vendor/modules.txt", "Go"),
    ("pom-xml", "pom.xml (with parent POMs in the tree)", "Maven"),
    (
        "gradle-lockfile",
        "gradle.lockfile, buildscript-gradle.lockfile",
        "Maven",
    ),
    (
        "gradle-verification-metadata",
        "gradle/verification-metadata.xml",
        "Maven",
    ),
    ("gradle-version-catalog", "gradle/*.versions.toml", "Maven"),
    ("gemfile-lock", "Gemfile.lock, gems.locked", "RubyGems"),
    (
        "gemspec",
        "*.gemspec (when no Gemfile.lock covers it)",
        "RubyGems",
    ),
    ("composer-lock", "composer.lock", "Packagist"),
    ("nuget-lock", "packages.lock.json", "NuGet"),
    ("packages-config", "packages.config", "NuGet"),
    (
        "msbuild",
        "*.csproj, *.fsproj, *.vbproj, Directory.Packages.props, Directory.Build.props",
        "NuGet",
    ),
    ("deps-json", "*.deps.json", "NuGet"),
    ("project-assets-json", "project.assets.json", "NuGet"),
    ("paket-lock", "paket.lock", "NuGet"),
    (
        "paket-dependencies",
        "paket.dependencies (when no paket.lock covers it)",
        "NuGet",
    ),
    ("pubspec-lock", "pubspec.lock", "Pub"),
    ("mix-lock", "mix.lock", "Hex"),
    ("rebar-lock", "rebar.lock", "Hex"),
    ("gleam-toml", "gleam.toml, manifest.toml (Gleam)", "Hex"),
    ("renv-lock", "renv.lock", "CRAN"),
    ("package-resolved", "Package.resolved", "SwiftURL"),
    ("podfile-lock", "Podfile.lock", "CocoaPods"),
    ("conan-lock", "conan.lock", "ConanCenter"),
    ("cabal-freeze", "cabal.project.freeze", "Hackage"),
    ("stack-yaml-lock", "stack.yaml.lock", "Hackage"),
    ("julia-manifest", "Manifest.toml (Julia)", "Julia"),
    (
        "julia-project",
        "Project.toml (when no Manifest.toml covers it)",
        "Julia",
    ),
    (
        "opam-install",
        ".opam-switch/switch-state, .opam-switch/install",
        "opam",
    ),
    ("cpan-meta", "META.json, META.yml", "CPAN"),
    (
        "github-actions",
        ".github/workflows/*.yml, action.yml",
        "GitHub Actions",
    ),
    ("dpkg-status", "var/lib/dpkg/status", "Debian, Ubuntu"),
    ("apk-installed", "lib/apk/db/installed", "Alpine"),
    (
        "sbom",
        "CycloneDX 1.2-1.7 JSON/XML (bom.json, bom.xml, *.cdx.json, *.cdx.xml), SPDX 2.2/2.3 JSON and tag-value (*.spdx.json, *.spdx)",
        "any (by purl)",
    ),
];

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

#[cfg(test)]
mod table_tests {
    use super::{FORMATS, registry};

    #[test]
    fn formats_table_lists_every_extractor_once() {
        let names: Vec<&str> = registry().iter().map(|x| x.name()).collect();
        for n in &names {
            assert_eq!(
                FORMATS.iter().filter(|(f, _, _)| f == n).count(),
                1,
                "{n} in FORMATS"
            );
        }
        assert_eq!(names.len(), FORMATS.len());
    }
}
