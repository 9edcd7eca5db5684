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
