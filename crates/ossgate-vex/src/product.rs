//! Product identifiers and matching.
//!
//! A statement's product is a *pattern*; a scanned release or a component's purl is the
//! *target*. A pattern matches a target when:
//!
//! - **purl**: type, namespace and name are equal (after the purl type's own normalisation,
//!   e.g. PyPI's lower case and `-`); a pattern version must equal the target's version (a
//!   leading `v` is ignored on both sides, so Go's `v1.2.0` equals `1.2.0`), while a pattern
//!   without version matches every version; every pattern qualifier must be present in the target
//!   with the same value (the target may carry more); a pattern subpath must be equal.
//! - **CPE** (2.3 formatted string or 2.2 URI, compared attribute by attribute, case-insensitive):
//!   every pattern attribute that is not ANY (`*` or empty) must equal the target's.
//! - **anything else** (a CycloneDX bom-ref, a CSAF product name): only the same string.
//!
//! A purl never matches a CPE: nothing maps one to the other reliably.

use std::collections::BTreeMap;

/// A parsed product identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductId {
    Purl(Purl),
    Cpe(Vec<String>),
    Other(String),
}

/// The parts of a purl that matching compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

impl Purl {
    /// The purl without version, qualifiers and subpath: `pkg:type/namespace/name`.
    pub fn base(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("pkg:{}/{}/{}", self.ty, ns, self.name),
            None => format!("pkg:{}/{}", self.ty, self.name),
        }
    }
}

/// Whether `s` starts with the ASCII `prefix`, ignoring case (never slicing inside a character).
fn prefixed(s: &str, prefix: &str) -> bool {
    s.len() > prefix.len()
        && s.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn strip_v(v: &str) -> &str {
    match v.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => v,
    }
}

impl ProductId {
    pub fn parse(s: &str) -> ProductId {
        let t = s.trim();
        if prefixed(t, "pkg:") {
            if let Ok(p) = t.parse::<packageurl::PackageUrl>() {
                return ProductId::Purl(Purl {
                    ty: p.ty().to_ascii_lowercase(),
                    namespace: p.namespace().map(str::to_string),
                    name: p.name().to_string(),
                    version: p.version().map(str::to_string),
                    qualifiers: p
                        .qualifiers()
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    subpath: p.subpath().map(str::to_string),
                });
            }
            return ProductId::Other(t.to_string());
        }
        if prefixed(t, "cpe:")
            && let Some(attrs) = parse_cpe(t)
        {
            return ProductId::Cpe(attrs);
        }
        ProductId::Other(t.to_string())
    }

    /// Whether this pattern covers `target` (see the module documentation).
    pub fn matches(&self, target: &ProductId) -> bool {
        match (self, target) {
            (ProductId::Purl(p), ProductId::Purl(t)) => {
                p.ty == t.ty
                    && p.name == t.name
                    && p.namespace == t.namespace
                    && match (&p.version, &t.version) {
                        (None, _) => true,
                        (Some(pv), Some(tv)) => strip_v(pv) == strip_v(tv),
                        (Some(_), None) => false,
                    }
                    && p.qualifiers
                        .iter()
                        .all(|(k, v)| t.qualifiers.get(k) == Some(v))
                    && (p.subpath.is_none() || p.subpath == t.subpath)
            }
            (ProductId::Cpe(p), ProductId::Cpe(t)) => p
                .iter()
                .zip(t.iter())
                .all(|(a, b)| a == "*" || a.is_empty() || a == b),
            (ProductId::Other(a), ProductId::Other(b)) => a == b,
            _ => false,
        }
    }

    pub fn purl(&self) -> Option<&Purl> {
        match self {
            ProductId::Purl(p) => Some(p),
            _ => None,
        }
    }
}

/// Whether the product string `pattern` covers `target` (both parsed on the fly; parse once with
/// [`ProductId::parse`] when matching many).
pub fn matches(pattern: &str, target: &str) -> bool {
    ProductId::parse(pattern).matches(&ProductId::parse(target))
}

/// The 11 attributes of a CPE (part, vendor, product, version, update, edition, language,
/// sw_edition, target_sw, target_hw, other), lower-cased; missing ones are ANY (empty).
fn parse_cpe(s: &str) -> Option<Vec<String>> {
    let lower = s.to_ascii_lowercase();
    let mut attrs: Vec<String> = if let Some(rest) = lower.strip_prefix("cpe:2.3:") {
        // Formatted string: colon-separated, `\:` escapes a colon.
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    cur.push(c);
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                }
                ':' => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
        out
    } else if let Some(rest) = lower.strip_prefix("cpe:/") {
        // 2.2 URI: part, vendor, product, version, update, edition (maybe packed), language.
        let mut out: Vec<String> = rest.split(':').map(str::to_string).collect();
        if out.len() > 5 && out[5].starts_with('~') {
            let packed: Vec<String> = out[5].split('~').skip(1).map(str::to_string).collect();
            let lang = out.get(6).cloned().unwrap_or_default();
            out.truncate(5);
            let mut it = packed.into_iter();
            out.push(it.next().unwrap_or_default());
            out.push(lang);
            out.extend(it);
        }
        out
    } else {
        return None;
    };
    if attrs.is_empty() || attrs.len() > 11 {
        return None;
    }
    attrs.resize(11, String::new());
    Some(attrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_version_qualifiers_and_case() {
        assert!(matches("pkg:npm/app", "pkg:npm/app@1.3.0"));
        assert!(matches("pkg:npm/app@1.2.0", "pkg:npm/app@1.2.0"));
        assert!(!matches("pkg:npm/app@1.2.0", "pkg:npm/app@1.3.0"));
        assert!(!matches("pkg:npm/app@1.2.0", "pkg:npm/app"));
        assert!(!matches("pkg:npm/app", "pkg:npm/other@1"));
        assert!(!matches("pkg:npm/app", "pkg:pypi/app@1"));
        assert!(matches("pkg:golang/a.b/c@v1.2.0", "pkg:golang/a.b/c@1.2.0"));
        assert!(matches(
            "pkg:pypi/Django_Rest@1.0",
            "pkg:pypi/django-rest@1.0"
        ));
        assert!(matches(
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64&distro=wolfi"
        ));
        assert!(!matches(
            "pkg:apk/wolfi/git@2.39.0-r1?arch=armv7",
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"
        ));
        assert!(matches(
            "pkg:apk/wolfi/git@2.39.0-r1",
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"
        ));
        assert!(matches(
            "pkg:oci/nginx@sha256%3Aabc",
            "pkg:oci/nginx@sha256:abc?repository_url=index.docker.io/library"
        ));
    }

    #[test]
    fn cpe_both_bindings() {
        assert!(matches(
            "cpe:/a:redhat:enterprise_linux:8::appstream",
            "cpe:2.3:a:redhat:enterprise_linux:8:*:appstream:*:*:*:*:*"
        ));
        assert!(matches(
            "cpe:2.3:a:example:abc:*:*:*:*:*:*:*:*",
            "cpe:2.3:a:example:abc:4.2:*:*:*:*:*:*:*"
        ));
        assert!(!matches(
            "cpe:2.3:a:example:abc:4.1:*:*:*:*:*:*:*",
            "cpe:2.3:a:example:abc:4.2:*:*:*:*:*:*:*"
        ));
        assert!(!matches(
            "cpe:2.3:a:example:abc:*:*:*:*:*:*:*:*",
            "pkg:npm/abc@1"
        ));
        assert!(matches("product-ABC", "product-ABC"));
        assert!(!matches("product-ABC", "product-abc"));
        // Multi-byte text never panics.
        assert!(!matches("pké:x", "cpé:/a"));
        assert!(matches("ü", "ü"));
    }
}
