//! PyPI versions: PEP 440 in full, and a defined order for the legacy non-PEP 440 strings PyPI
//! still serves.
//!
//! PEP 440: epochs, release segments of any length and any size, pre-releases (`a`, `b`, `rc`
//! and their spellings `alpha`, `beta`, `c`, `pre`, `preview`), post-releases (`.postN`, `-N`,
//! `rev`, `r`), dev releases, local versions, and every normalisation the specification allows
//! (case, separators, implicit numbers, a leading `v`, surrounding whitespace).
//!
//! Legacy: a string that is not PEP 440 sorts before every PEP 440 version, and legacy strings
//! order among themselves as setuptools' `LegacyVersion` ordered them (numbers and letter runs,
//! `pre`/`preview`/`rc` read as `c`, `dev` before letters, `-` as `final-`), except that numeric
//! parts compare as numbers of any size rather than as zero-padded strings.
//!
//! Written here rather than with `pep440_rs`, whose release numbers are 64-bit and which has no
//! legacy ordering.

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

/// A PyPI version.
#[derive(Debug, Clone)]
pub enum PyVersion {
    Pep440(Pep440),
    Legacy(Legacy),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PreKind {
    Alpha,
    Beta,
    Rc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalPart {
    Num(Num),
    Alpha(Box<str>),
}

impl Ord for LocalPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalPart::Num(a), LocalPart::Num(b)) => a.cmp(b),
            // Alphanumeric segments sort before numeric ones.
            (LocalPart::Alpha(_), LocalPart::Num(_)) => Ordering::Less,
            (LocalPart::Num(_), LocalPart::Alpha(_)) => Ordering::Greater,
            (LocalPart::Alpha(a), LocalPart::Alpha(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for LocalPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A parsed PEP 440 version (normalised).
#[derive(Debug, Clone)]
pub struct Pep440 {
    pub epoch: Num,
    pub release: Vec<Num>,
    pub pre: Option<(PreKind, Num)>,
    pub post: Option<Num>,
    pub dev: Option<Num>,
    /// Lower-cased segments.
    pub local: Vec<LocalPart>,
}

/// A legacy (non-PEP 440) version: its comparison parts.
#[derive(Debug, Clone)]
pub struct Legacy {
    text: Box<str>,
    parts: Vec<LegacyPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum LegacyPart {
    // Declaration order is the order: setuptools prefixed letters with `*` (which sorts before
    // digits) and zero-padded numbers.
    Word(Box<str>),
    Number(Num),
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_sep(&mut self) -> bool {
        matches!(self.peek(), Some(b'.' | b'-' | b'_')) && {
            self.i += 1;
            true
        }
    }
    fn number(&mut self) -> Option<Num> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        // Safe: the slice holds ASCII digits only.
        Num::parse(std::str::from_utf8(&self.s[start..self.i]).ok()?)
    }
    /// Eats the longest of `words` found here (case already lowered); returns its index.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = &self.s[self.i..];
        let mut best: Option<(usize, usize)> = None;
        for (k, w) in words.iter().enumerate() {
            if rest.starts_with(w.as_bytes()) && best.is_none_or(|(_, len)| w.len() > len) {
                best = Some((k, w.len()));
            }
        }
        let (k, len) = best?;
        self.i += len;
        Some(k)
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
}

impl Pep440 {
    /// Parses a PEP 440 version, or `None` when the string is not one.
    pub fn parse(input: &str) -> Option<Pep440> {
        let lower = input.trim().to_ascii_lowercase();
        let mut c = Cursor {
            s: lower.as_bytes(),
            i: 0,
        };
        c.eat(b'v');
        // Epoch.
        let save = c.i;
        let mut epoch = Num::ZERO;
        if let Some(n) = c.number() {
            if c.eat(b'!') {
                epoch = n;
            } else {
                c.i = save;
            }
        }
        // Release.
        let mut release = vec![c.number()?];
        while c.peek() == Some(b'.') && c.s.get(c.i + 1).is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
            release.push(c.number()?);
        }
        // Pre-release.
        let mut pre = None;
        let save = c.i;
        c.eat_sep();
        const PRE: [&str; 7] = ["alpha", "a", "beta", "b", "preview", "pre", "c"];
        let kind = match c.word(&PRE) {
            Some(0 | 1) => Some(PreKind::Alpha),
            Some(2 | 3) => Some(PreKind::Beta),
            Some(_) => Some(PreKind::Rc),
            None if c.word(&["rc"]).is_some() => Some(PreKind::Rc),
            None => None,
        };
        match kind {
            Some(k) => {
                let before_num = c.i;
                c.eat_sep();
                let n = match c.number() {
                    Some(n) => n,
                    None => {
                        c.i = before_num;
                        Num::ZERO
                    }
                };
                pre = Some((k, n));
            }
            None => c.i = save,
        }
        // Post-release: `.post1`, `-1`, `rev1`, `r1`.
        let mut post = None;
        let save = c.i;
        if c.eat(b'-') && c.peek().is_some_and(|b| b.is_ascii_digit()) {
            post = c.number();
        } else {
            c.i = save;
            c.eat_sep();
            if c.word(&["post", "rev", "r"]).is_some() {
                let before_num = c.i;
                c.eat_sep();
                post = Some(c.number().unwrap_or_else(|| {
                    c.i = before_num;
                    Num::ZERO
                }));
            } else {
                c.i = save;
            }
        }
        // Dev release.
        let mut dev = None;
        let save = c.i;
        c.eat_sep();
        if c.word(&["dev"]).is_some() {
            let before_num = c.i;
            c.eat_sep();
            dev = Some(c.number().unwrap_or_else(|| {
                c.i = before_num;
                Num::ZERO
            }));
        } else {
            c.i = save;
        }
        // Local version.
        let mut local = Vec::new();
        if c.eat(b'+') {
            let rest = std::str::from_utf8(&c.s[c.i..]).ok()?;
            for seg in rest.split(['.', '-', '_']) {
                if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return None;
                }
                local.push(match Num::parse(seg) {
                    Some(n) => LocalPart::Num(n),
                    None => LocalPart::Alpha(seg.into()),
                });
            }
            c.i = c.s.len();
        }
        if !c.done() {
            return None;
        }
        Some(Pep440 {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The release without trailing zeros (`1.0.0` and `1` are equal).
    fn release_key(&self) -> &[Num] {
        let mut end = self.release.len();
        while end > 1 && self.release[end - 1].is_zero() {
            end -= 1;
        }
        &self.release[..end]
    }
}

/// PEP 440's ordering of the pre-, post- and dev-release parts: a dev release of a final
/// version sorts before its pre-releases; no pre-release sorts after any; no post-release
/// before any; no dev release after any.
fn suffix_cmp(a: &Pep440, b: &Pep440) -> Ordering {
    fn pre_key(v: &Pep440) -> (i8, Option<&(PreKind, Num)>) {
        match (&v.pre, &v.post, &v.dev) {
            (None, None, Some(_)) => (-1, None),
            (None, _, _) => (1, None),
            (Some(p), _, _) => (0, Some(p)),
        }
    }
    fn post_key(v: &Pep440) -> (i8, Option<&Num>) {
        match &v.post {
            None => (-1, None),
            Some(n) => (0, Some(n)),
        }
    }
    fn dev_key(v: &Pep440) -> (i8, Option<&Num>) {
        match &v.dev {
            None => (1, None),
            Some(n) => (0, Some(n)),
        }
    }
    pre_key(a)
        .cmp(&pre_key(b))
        .then_with(|| post_key(a).cmp(&post_key(b)))
        .then_with(|| dev_key(a).cmp(&dev_key(b)))
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release_key().cmp(other.release_key()))
            .then_with(|| suffix_cmp(self, other))
            // No local version sorts before any; segment by segment, shorter first.
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pep440 {}

impl Legacy {
    fn parse(input: &str) -> Legacy {
        let text = input.trim();
        let lower = text.to_ascii_lowercase();
        let mut parts: Vec<LegacyPart> = Vec::new();
        let bytes = lower.as_bytes();
        let mut i = 0;
        let final_dash: Box<str> = "final-".into();
        let push = |part: LegacyPart, parts: &mut Vec<LegacyPart>| {
            if let LegacyPart::Word(w) = &part {
                if w.as_ref() < "final" {
                    // A pre-release tag: drop the `-` markers before it.
                    while parts.last() == Some(&LegacyPart::Word(final_dash.clone())) {
                        parts.pop();
                    }
                }
                // Drop trailing zeros of the numeric run before any word.
                while parts.last() == Some(&LegacyPart::Number(Num::ZERO)) {
                    parts.pop();
                }
            }
            parts.push(part);
        };
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let n = Num::parse(&lower[start..i]).unwrap_or(Num::ZERO);
                push(LegacyPart::Number(n), &mut parts);
            } else if b.is_ascii_lowercase() {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                    i += 1;
                }
                let w = match &lower[start..i] {
                    "pre" | "preview" | "rc" => "c",
                    "dev" => "@",
                    other => other,
                };
                push(LegacyPart::Word(w.into()), &mut parts);
            } else if b == b'-' {
                i += 1;
                push(LegacyPart::Word("final-".into()), &mut parts);
            } else if b == b'.' {
                i += 1;
            } else {
                // Any other character stands alone, as setuptools kept it.
                let ch_len = lower[i..].chars().next().map_or(1, char::len_utf8);
                let w = &lower[i..i + ch_len];
                i += ch_len;
                push(LegacyPart::Word(w.into()), &mut parts);
            }
        }
        push(LegacyPart::Word("final".into()), &mut parts);
        Legacy {
            text: text.into(),
            parts,
        }
    }
}

impl PyVersion {
    /// Reads any string PyPI may serve: PEP 440, else legacy. Only an empty string is refused.
    pub fn parse(input: &str) -> Result<PyVersion, VersionError> {
        if input.trim().is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        Ok(match Pep440::parse(input) {
            Some(v) => PyVersion::Pep440(v),
            None => PyVersion::Legacy(Legacy::parse(input)),
        })
    }

    pub fn is_legacy(&self) -> bool {
        matches!(self, PyVersion::Legacy(_))
    }
}

impl Ord for PyVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PyVersion::Pep440(a), PyVersion::Pep440(b)) => a.cmp(b),
            (PyVersion::Legacy(_), PyVersion::Pep440(_)) => Ordering::Less,
            (PyVersion::Pep440(_), PyVersion::Legacy(_)) => Ordering::Greater,
            (PyVersion::Legacy(a), PyVersion::Legacy(b)) => a.parts.cmp(&b.parts),
        }
    }
}

impl PartialOrd for PyVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PyVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for PyVersion {}

/// The normalised form (PEP 440's canonical spelling); legacy versions print as given.
impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PyVersion::Legacy(l) => f.write_str(&l.text),
            PyVersion::Pep440(v) => {
                if !v.epoch.is_zero() {
                    write!(f, "{}!", v.epoch)?;
                }
                for (i, n) in v.release.iter().enumerate() {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write!(f, "{n}")?;
                }
                if let Some((k, n)) = &v.pre {
                    let tag = match k {
                        PreKind::Alpha => "a",
                        PreKind::Beta => "b",
                        PreKind::Rc => "rc",
                    };
                    write!(f, "{tag}{n}")?;
                }
                if let Some(n) = &v.post {
                    write!(f, ".post{n}")?;
                }
                if let Some(n) = &v.dev {
                    write!(f, ".dev{n}")?;
                }
                for (i, p) in v.local.iter().enumerate() {
                    f.write_str(if i == 0 { "+" } else { "." })?;
                    match p {
                        LocalPart::Num(n) => write!(f, "{n}")?,
                        LocalPart::Alpha(a) => f.write_str(a)?,
                    }
                }
                Ok(())
            }
        }
    }
}

pub struct Pep440Scheme;

impl Scheme for Pep440Scheme {
    type V = PyVersion;

    fn parse(s: &str) -> Result<PyVersion, VersionError> {
        PyVersion::parse(s)
    }

    /// A change of epoch or of the first release number.
    fn is_breaking(from: &PyVersion, to: &PyVersion) -> bool {
        match (from, to) {
            (PyVersion::Pep440(a), PyVersion::Pep440(b)) => {
                a.epoch != b.epoch || a.release.first() != b.release.first()
            }
            _ => true,
        }
    }

    fn is_prerelease(v: &PyVersion) -> bool {
        match v {
            PyVersion::Pep440(p) => p.pre.is_some() || p.dev.is_some(),
            PyVersion::Legacy(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> PyVersion {
        Pep440Scheme::parse(s).unwrap()
    }

    #[test]
    fn pep440_order() {
        let chain = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
            assert!(!v(w[0]).is_legacy() && !v(w[1]).is_legacy());
        }
    }

    #[test]
    fn normalised_spellings_are_equal_and_print_canonically() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0").to_string(), "1.0");
        let same = [
            ("1.0RC1", "1.0rc1"),
            ("1.0-post1", "1.0.post1"),
            ("1.0-1", "1.0.post1"),
            ("1.0.rev", "1.0.post0"),
            ("v1.0", "1.0"),
            (" 1.0.a.10 ", "1.0a10"),
            ("1.0c1", "1.0rc1"),
            ("1.0-preview-2", "1.0rc2"),
            ("1.0alpha", "1.0a0"),
            ("1.0.DEV", "1.0.dev0"),
            ("1.0+ubuntu-1", "1.0+ubuntu.1"),
            ("0!1.0", "1.0"),
        ];
        for (a, b) in same {
            assert_eq!(v(a), v(b), "{a} = {b}");
            assert_eq!(v(a).to_string(), v(b).to_string(), "{a} prints as {b}");
            assert!(!v(a).is_legacy(), "{a} is PEP 440");
        }
        assert_eq!(v("1.0.a.10").to_string(), "1.0a10");
        assert_eq!(
            v("1!2.0-preview-2.post3.dev4+Ubuntu_1").to_string(),
            "1!2.0rc2.post3.dev4+ubuntu.1"
        );
    }

    #[test]
    fn legacy_versions_sort_before_pep440_and_among_themselves() {
        for s in [
            "0.1-bulbasaur",
            "1gamma",
            "2019.12.304 // x",
            "1.2.4.gamma",
            "1.0.g1",
            "dev",
        ] {
            assert!(v(s).is_legacy(), "{s}");
        }
        assert!(v("1gamma") < v("0.0.1"));
        assert!(v("0.1-bulbasaur") < v("0.1-charmander"));
        assert!(v("0.1-charmander") < v("0.9-doduo"));
        assert!(v("1.0-dev-r1") < v("1.0-dev-r2"));
        assert!(Pep440Scheme::parse("").is_err());
        assert!(Pep440Scheme::parse("   ").is_err());
    }

    #[test]
    fn huge_numbers() {
        assert!(v("999999999999999999999999999991") < v("999999999999999999999999999999"));
        assert!(!v("999999999999999999999999999991").is_legacy());
    }

    #[test]
    fn breaking_rule() {
        assert!(Pep440Scheme::is_breaking(&v("2.11.3"), &v("3.1.3")));
        assert!(!Pep440Scheme::is_breaking(&v("2.10"), &v("2.11.3")));
        assert!(Pep440Scheme::is_breaking(&v("2.0"), &v("1!2.1")));
        assert!(Pep440Scheme::is_prerelease(&v("2.0rc1")));
        assert!(Pep440Scheme::is_prerelease(&v("2.0.dev1")));
        assert!(!Pep440Scheme::is_prerelease(&v("2.0.post1")));
    }
}
