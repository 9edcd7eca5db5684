use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A package ecosystem, named as the OSV schema names it.
///
/// OSV ecosystem strings may carry a suffix after `:` (`Debian:12`, `Maven:https://...`); the
/// variant holds the base name and [`Ecosystem::parse`] drops the suffix. Ecosystems that no
/// variant covers are kept as [`Ecosystem::Other`] so that no record is ever rejected for naming
/// a new one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    CratesIo,
    Npm,
    PyPI,
    Go,
    Maven,
    NuGet,
    RubyGems,
    Packagist,
    Pub,
    Hex,
    Other(String),
}

impl Ecosystem {
    /// Parses an OSV ecosystem string. Never fails: unknown names become `Other`.
    pub fn parse(s: &str) -> Ecosystem {
        let base = s.split(':').next().unwrap_or(s).trim();
        match base {
            "crates.io" => Ecosystem::CratesIo,
            "npm" => Ecosystem::Npm,
            "PyPI" => Ecosystem::PyPI,
            "Go" => Ecosystem::Go,
            "Maven" => Ecosystem::Maven,
            "NuGet" => Ecosystem::NuGet,
            "RubyGems" => Ecosystem::RubyGems,
            "Packagist" => Ecosystem::Packagist,
            "Pub" => Ecosystem::Pub,
            "Hex" => Ecosystem::Hex,
            other => Ecosystem::Other(other.to_string()),
        }
    }

    /// The OSV name of the ecosystem (its base, without any `:` suffix).
    pub fn as_str(&self) -> &str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Other(s) => s,
        }
    }

    /// The purl type of the ecosystem (purl-spec's PURL-TYPES).
    pub fn purl_type(&self) -> &str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::NuGet => "nuget",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::Other(name) => match name.as_str() {
                "CRAN" => "cran",
                "Hackage" | "GHC" => "hackage",
                "SwiftURL" => "swift",
                "ConanCenter" => "conan",
                "Julia" => "julia",
                "GitHub Actions" => "githubactions",
                "CocoaPods" => "cocoapods",
                "JSR" => "jsr",
                "CPAN" => "cpan",
                "opam" => "opam",
                "Bioconductor" => "bioconductor",
                "Debian" | "Ubuntu" => "deb",
                "Alpine" | "Wolfi" | "Chainguard" => "apk",
                "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia"
                | "openEuler" | "Photon OS" => "rpm",
                _ => "generic",
            },
        }
    }

    /// Normalises a package name the way the ecosystem's registry compares names, so that a
    /// lockfile's spelling and an advisory's spelling meet.
    ///
    /// - PyPI: PEP 503 (lower case, runs of `-`, `_`, `.` become one `-`).
    /// - crates.io: crate names are case-insensitive and treat `-` and `_` as the same name.
    /// - NuGet and Packagist: package ids are case-insensitive.
    /// - npm, Go, Maven, RubyGems, others: case-sensitive, taken as written.
    pub fn normalize_name(&self, name: &str) -> String {
        self.normalized(name).into_owned()
    }

    /// [`Ecosystem::normalize_name`], borrowing when the name is already in normal form.
    pub fn normalized<'a>(&self, name: &'a str) -> Cow<'a, str> {
        let name = name.trim();
        match self {
            Ecosystem::PyPI => {
                let normal = name
                    .bytes()
                    .all(|b| !b.is_ascii_uppercase() && b != b'_' && b != b'.')
                    && !name.contains("--");
                if normal {
                    Cow::Borrowed(name)
                } else {
                    Cow::Owned(pep503(name))
                }
            }
            Ecosystem::CratesIo => {
                if name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_') {
                    Cow::Owned(name.to_ascii_lowercase().replace('_', "-"))
                } else {
                    Cow::Borrowed(name)
                }
            }
            Ecosystem::NuGet | Ecosystem::Packagist => {
                if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(name.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(name)
                }
            }
            _ => Cow::Borrowed(name),
        }
    }

    /// Reads a purl back into (ecosystem, name as ossgate spells it, version): the inverse of
    /// [`Ecosystem::purl`]. `None` when the purl does not parse; a type ossgate has no
    /// ecosystem for becomes `Other(type)`.
    pub fn from_purl(purl: &str) -> Option<(Ecosystem, String, Option<String>)> {
        use std::str::FromStr;
        let p = packageurl::PackageUrl::from_str(purl).ok()?;
        let ns = p.namespace();
        let eco = match p.ty() {
            "cargo" => Ecosystem::CratesIo,
            "npm" => Ecosystem::Npm,
            "pypi" => Ecosystem::PyPI,
            "golang" => Ecosystem::Go,
            "maven" => Ecosystem::Maven,
            "nuget" => Ecosystem::NuGet,
            "gem" => Ecosystem::RubyGems,
            "composer" => Ecosystem::Packagist,
            "pub" => Ecosystem::Pub,
            "hex" => Ecosystem::Hex,
            "cran" => Ecosystem::Other("CRAN".into()),
            "hackage" => Ecosystem::Other("Hackage".into()),
            "swift" => Ecosystem::Other("SwiftURL".into()),
            "conan" => Ecosystem::Other("ConanCenter".into()),
            "julia" => Ecosystem::Other("Julia".into()),
            "githubactions" | "github" => Ecosystem::Other("GitHub Actions".into()),
            "cocoapods" => Ecosystem::Other("CocoaPods".into()),
            "jsr" => Ecosystem::Other("JSR".into()),
            "cpan" => Ecosystem::Other("CPAN".into()),
            "opam" => Ecosystem::Other("opam".into()),
            "bioconductor" => Ecosystem::Other("Bioconductor".into()),
            "deb" => match ns.map(str::to_ascii_lowercase).as_deref() {
                Some("ubuntu") => Ecosystem::Other("Ubuntu".into()),
                _ => Ecosystem::Other("Debian".into()),
            },
            "apk" => match ns.map(str::to_ascii_lowercase).as_deref() {
                Some("wolfi") => Ecosystem::Other("Wolfi".into()),
                Some("chainguard") => Ecosystem::Other("Chainguard".into()),
                _ => Ecosystem::Other("Alpine".into()),
            },
            "rpm" => Ecosystem::Other(
                match ns.map(str::to_ascii_lowercase).as_deref() {
                    Some("rocky") => "Rocky Linux",
                    Some("almalinux") => "AlmaLinux",
                    Some("suse" | "sles") => "SUSE",
                    Some("opensuse") => "openSUSE",
                    Some("mageia") => "Mageia",
                    Some("openeuler") => "openEuler",
                    Some("photon") => "Photon OS",
                    _ => "Red Hat",
                }
                .into(),
            ),
            other => Ecosystem::Other(other.to_string()),
        };
        let name = match (&eco, ns) {
            (_, None) => p.name().to_string(),
            (Ecosystem::Maven, Some(ns)) => format!("{ns}:{}", p.name()),
            (Ecosystem::Other(e), Some(_))
                if matches!(
                    e.as_str(),
                    "Debian"
                        | "Ubuntu"
                        | "Alpine"
                        | "Wolfi"
                        | "Chainguard"
                        | "Red Hat"
                        | "Rocky Linux"
                        | "AlmaLinux"
                        | "SUSE"
                        | "openSUSE"
                        | "Mageia"
                        | "openEuler"
                        | "Photon OS"
                ) =>
            {
                // For distributions the namespace is the vendor, not part of the name.
                p.name().to_string()
            }
            (Ecosystem::Other(e), Some(ns)) if e == "SwiftURL" => format!("{ns}/{}", p.name()),
            (_, Some(ns)) => format!("{ns}/{}", p.name()),
        };
        Some((eco, name, p.version().map(str::to_string)))
    }

    /// A purl for a package of this ecosystem; `version` is appended when given.
    pub fn purl(&self, name: &str, version: Option<&str>) -> String {
        let (namespace, short) = match self {
            Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
                Some((scope, rest)) => (Some(format!("@{scope}")), rest.to_string()),
                None => (None, name.to_string()),
            },
            Ecosystem::Maven => match name.split_once(':') {
                Some((group, artifact)) => (Some(group.to_string()), artifact.to_string()),
                None => (None, name.to_string()),
            },
            Ecosystem::Go | Ecosystem::Packagist => match name.rsplit_once('/') {
                Some((ns, rest)) => (Some(ns.to_string()), rest.to_string()),
                None => (None, name.to_string()),
            },
            // SwiftURL names are repository URLs: the host and path are the namespace.
            Ecosystem::Other(eco) if eco == "SwiftURL" => match name
                .trim_start_matches("https://")
                .trim_end_matches(".git")
                .rsplit_once('/')
            {
                Some((ns, rest)) => (Some(ns.to_string()), rest.to_string()),
                None => (None, name.to_string()),
            },
            _ => (None, name.to_string()),
        };
        let built =
            packageurl::PackageUrl::new(self.purl_type(), short.as_str()).and_then(|mut p| {
                if let Some(ns) = &namespace {
                    p.with_namespace(ns.as_str())?;
                }
                if let Some(v) = version {
                    p.with_version(v)?;
                }
                Ok(p.to_string())
            });
        match built {
            Ok(s) => s,
            // packageurl refuses only empty names; keep a readable fallback rather than fail.
            Err(_) => format!("pkg:{}/{}", self.purl_type(), name),
        }
    }
}

/// PEP 503 name normalisation.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_sep = false;
        }
    }
    out
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Ecosystem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes_and_unknowns() {
        assert_eq!(Ecosystem::parse("PyPI"), Ecosystem::PyPI);
        assert_eq!(
            Ecosystem::parse("Maven:https://maven.google.com"),
            Ecosystem::Maven
        );
        assert_eq!(
            Ecosystem::parse("Debian:12"),
            Ecosystem::Other("Debian".into())
        );
        assert_eq!(Ecosystem::parse("crates.io").as_str(), "crates.io");
    }

    #[test]
    fn normalises_names_per_ecosystem() {
        assert_eq!(
            Ecosystem::PyPI.normalize_name("Django_Rest.Framework"),
            "django-rest-framework"
        );
        assert_eq!(
            Ecosystem::PyPI.normalize_name("zope..interface"),
            "zope-interface"
        );
        assert_eq!(
            Ecosystem::CratesIo.normalize_name("Serde_JSON"),
            "serde-json"
        );
        assert_eq!(Ecosystem::Npm.normalize_name("JSONStream"), "JSONStream");
        assert_eq!(Ecosystem::PyPI.normalize_name("a--b"), "a-b");
        assert!(matches!(
            Ecosystem::PyPI.normalized("django-rest"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            Ecosystem::CratesIo.normalized("serde-json"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn purls_read_back() {
        for (eco, name) in [
            (Ecosystem::Npm, "@babel/core"),
            (Ecosystem::Npm, "lodash"),
            (Ecosystem::Maven, "org.apache:commons-lang3"),
            (Ecosystem::Go, "github.com/a/b"),
            (Ecosystem::Packagist, "symfony/console"),
            (Ecosystem::PyPI, "requests"),
            (Ecosystem::CratesIo, "serde"),
            (
                Ecosystem::Other("GitHub Actions".into()),
                "actions/checkout",
            ),
        ] {
            let purl = eco.purl(name, Some("1.0.0"));
            let (e, n, v) = Ecosystem::from_purl(&purl).unwrap();
            assert_eq!(
                (e, n.as_str(), v.as_deref()),
                (eco, name, Some("1.0.0")),
                "{purl}"
            );
        }
        let (e, n, _) =
            Ecosystem::from_purl("pkg:deb/ubuntu/libc6@2.35?arch=amd64&distro=ubuntu-22.04")
                .unwrap();
        assert_eq!((e.as_str(), n.as_str()), ("Ubuntu", "libc6"));
        assert!(Ecosystem::from_purl("not a purl").is_none());
    }

    #[test]
    fn builds_purls() {
        assert_eq!(
            Ecosystem::Npm.purl("@babel/core", Some("7.0.0")),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(
            Ecosystem::CratesIo.purl("h2", Some("0.4.1")),
            "pkg:cargo/h2@0.4.1"
        );
        assert_eq!(
            Ecosystem::PyPI.purl("Jinja2", Some("2.10")),
            "pkg:pypi/jinja2@2.10"
        );
        assert_eq!(
            Ecosystem::Maven.purl("org.apache:commons", None),
            "pkg:maven/org.apache/commons"
        );
        assert_eq!(
            Ecosystem::parse("CRAN").purl("dplyr", Some("1.1.4")),
            "pkg:cran/dplyr@1.1.4"
        );
        assert_eq!(Ecosystem::parse("Debian:12").purl_type(), "deb");
        assert_eq!(Ecosystem::parse("NewThing").purl_type(), "generic");
        assert_eq!(
            Ecosystem::parse("SwiftURL")
                .purl("https://github.com/apple/swift-nio.git", Some("2.1.0")),
            "pkg:swift/github.com/apple/swift-nio@2.1.0"
        );
    }
}
