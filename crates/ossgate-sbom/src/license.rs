//! Licence strings as the SBOM formats want them: a single SPDX licence id, a valid SPDX
//! expression, or a free-text name. Checked with the `spdx` crate's copy of the SPDX licence
//! list (a test compares it with the list in the shared data).

/// How a licence string is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenseForm {
    /// One SPDX licence id (`MIT`), canonical spelling.
    Id(String),
    /// A valid SPDX expression (`MIT OR Apache-2.0`), as given.
    Expression(String),
    /// Not SPDX: a free-text licence name.
    Name(String),
}

/// Classifies a licence string. Ids are matched case-insensitively and written in the
/// list's spelling; `+` forms stay expressions.
pub fn classify(s: &str) -> LicenseForm {
    let s = s.trim();
    if !s.ends_with('+')
        && let Some(l) = spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(s))
    {
        return LicenseForm::Id(l.name.to_string());
    }
    // Strict syntax, but deprecated ids (GPL-2.0+, ...) are still valid SPDX expressions.
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        allow_postfix_plus_on_gpl: true,
        ..spdx::ParseMode::STRICT
    };
    match spdx::Expression::parse_mode(s, mode) {
        Ok(_) => LicenseForm::Expression(s.to_string()),
        Err(_) => LicenseForm::Name(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's copy of the SPDX licence list against the official list in the shared data
    /// (`schemas/spdx/license-list-data/licenses.json`): every official id must be known, in
    /// the official spelling, so that no licence is written as a free-text name by mistake.
    #[test]
    fn the_crate_knows_every_official_licence_id() {
        let data = std::env::var_os("OSSGATE_DATA")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/data"
                ))
            });
        let path = data.join("schemas/spdx/license-list-data/licenses.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "{} missing",
                path.display()
            );
            eprintln!("skipped: {} missing", path.display());
            return;
        };
        let list: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ids: Vec<&str> = list["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["licenseId"].as_str().unwrap())
            .collect();
        assert!(ids.len() > 600, "{}", ids.len());
        let unknown: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| match classify(id) {
                LicenseForm::Id(got) => got != *id,
                // The deprecated `GPL-2.0+` style ids: valid expressions, written as given.
                LicenseForm::Expression(got) => !id.ends_with('+') || got != *id,
                LicenseForm::Name(_) => true,
            })
            .collect();
        assert!(unknown.is_empty(), "not in the crate's list: {unknown:?}");
    }

    #[test]
    fn ids_expressions_and_names() {
        assert_eq!(classify("MIT"), LicenseForm::Id("MIT".into()));
        assert_eq!(classify("apache-2.0"), LicenseForm::Id("Apache-2.0".into()));
        assert_eq!(
            classify("MIT OR Apache-2.0"),
            LicenseForm::Expression("MIT OR Apache-2.0".into())
        );
        assert_eq!(
            classify("GPL-2.0+"),
            LicenseForm::Expression("GPL-2.0+".into())
        );
        assert_eq!(
            classify("Some Custom Licence"),
            LicenseForm::Name("Some Custom Licence".into())
        );
    }
}
