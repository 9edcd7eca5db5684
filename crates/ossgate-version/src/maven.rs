//! Maven version ordering: `ComparableVersion` as Maven 3.9 reads and orders versions, which is
//! how OSV's `Maven` ecosystem ranges are meant to be evaluated.
//!
//! Reading (Maven 3.9):
//! - items are split on `.`, on `-` and on every change between digits and non-digits; an empty
//!   item (`1..2`, `1-.1`, a leading `.`) is `0`;
//! - `-` and a change between digits and letters open a nested list: everything after belongs to
//!   it (`1.0-alpha-1` is `[1, [alpha, [1]]]` once normalised, `1a1` is `[1, [alpha, [1]]]`);
//! - a letter item that is followed by digits (`1.0.rc1`) or ends the version (`1.0.Final`)
//!   while its list already holds items also opens a list, so `.X` reads as `-X` (MNG-7644);
//! - qualifiers compare case-insensitively: `alpha` (`a` when a digit follows) < `beta` (`b`) <
//!   `milestone` (`m`) < `rc` = `cr` < `snapshot` < `` = `ga` = `final` = `release` < `sp` <
//!   any other word, other words lexically;
//! - numbers compare numerically, of any size;
//! - a number is above a list, which is above a word (`1.1 > 1-1 > 1-sp`); when one list runs
//!   out, the other one's rest is compared with "nothing" (`0` or the release qualifier);
//! - "null" items (`0`, the release qualifier, empty lists) at the end of each list are dropped
//!   (`1.0.0` = `1`, `1-0` = `1`, `1.ga` = `1`).
//!
//! Two departures from Maven's code:
//! - a nested list left with nothing but a further nested list is that list, as the POM
//!   reference's specification has it ("trailing null values are trimmed at each remaining
//!   hyphen"), and the peer fixtures too: `1-ga-1` = `1-0-1` = `1-1` (Maven 3.9's code keeps
//!   an extra level and orders `1-ga-1` below `1-1`);
//! - Maven's order is not transitive where "nothing" meets items that equal it: it has
//!   `1-1 > 1`, `1 > 1.0.alpha.beta` and `1.0.alpha.beta > 1-1`. Here, at each position, how the
//!   rest of each version compares with "nothing" is decided first (the rest's first item that
//!   is not `0`, the release qualifier or a list boundary), and only then the items themselves.
//!   This makes the order total, as `Ord` (and sorting) requires: here
//!   `1.0.alpha.beta < 1 < 1-1`. Checked against Maven's own `ComparableVersion` on random
//!   versions: every pair where the two differ (the first departure aside) lies on such a
//!   cycle, with a prefix of one of the two versions as the third.
//!
//! Digits are ASCII digits; any other character (including non-ASCII digits, which Java's
//! `Character.isDigit` would take) is a letter.

use crate::num::Num;
use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

// Known qualifiers, in their order. `RELEASE` is the empty qualifier.
const ALPHA: u8 = 0;
const BETA: u8 = 1;
const MILESTONE: u8 = 2;
const RC: u8 = 3;
const SNAPSHOT: u8 = 4;
const RELEASE: u8 = 5;
const SP: u8 = 6;

/// One item of the version, in a flat form of Maven's nested lists: a nested list is always
/// the last item of its parent, so `Sub` says "everything after this is one level deeper".
#[derive(Debug, Clone)]
enum Tok {
    Num(Num),
    /// A known qualifier (one of the constants above).
    Qual(u8),
    /// Any other word: a byte range of the version text, compared case-insensitively.
    Word(usize, usize),
    Sub,
}

impl Tok {
    /// Whether the item equals "nothing": `0`, the release qualifier, a list boundary.
    fn is_nullish(&self) -> bool {
        match self {
            Tok::Num(n) => n.is_zero(),
            Tok::Qual(q) => *q == RELEASE,
            Tok::Word(..) => false,
            Tok::Sub => true,
        }
    }

    /// How the item compares with "nothing".
    fn cmp_null(&self) -> Ordering {
        match self {
            Tok::Num(n) if n.is_zero() => Ordering::Equal,
            Tok::Num(_) | Tok::Word(..) => Ordering::Greater,
            Tok::Qual(q) => q.cmp(&RELEASE),
            Tok::Sub => Ordering::Equal,
        }
    }
}

/// A Maven version, ordered as described in the module documentation.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    text: Box<str>,
    toks: Vec<Tok>,
}

/// Maven's version scheme (OSV ecosystem `Maven`).
#[derive(Debug, Clone, Copy, Default)]
pub struct MavenScheme;

/// Builds the flat item list, normalising each list as it is closed.
struct Builder {
    toks: Vec<Tok>,
    /// Items added to the innermost list so far (before normalisation), as Maven counts them.
    level_len: usize,
}

impl Builder {
    fn push(&mut self, t: Tok) {
        self.toks.push(t);
        self.level_len += 1;
    }

    /// Drops the innermost list's trailing null items.
    fn trim(&mut self) {
        while let Some(t) = self.toks.last()
            && !matches!(t, Tok::Sub)
            && t.is_nullish()
        {
            self.toks.pop();
        }
    }

    /// Closes the innermost list and opens a nested one. A list left empty by its trimming
    /// (below the top level) is replaced by the new one: consecutive boundaries collapse.
    fn open(&mut self) {
        self.trim();
        if !matches!(self.toks.last(), Some(Tok::Sub)) {
            self.toks.push(Tok::Sub);
        }
        self.level_len = 0;
    }

    fn finish(mut self) -> Vec<Tok> {
        self.trim();
        // Lists left empty at the end.
        while matches!(self.toks.last(), Some(Tok::Sub)) {
            self.toks.pop();
        }
        self.toks
    }
}

fn number(digits: &str) -> Tok {
    // `digits` is a non-empty run of ASCII digits, so `parse` cannot fail.
    Tok::Num(Num::parse(digits).unwrap_or(Num::ZERO))
}

fn known_qualifier(w: &str) -> Option<u8> {
    const NAMES: [(&str, u8); 10] = [
        ("alpha", ALPHA),
        ("beta", BETA),
        ("milestone", MILESTONE),
        ("rc", RC),
        ("cr", RC),
        ("snapshot", SNAPSHOT),
        ("ga", RELEASE),
        ("final", RELEASE),
        ("release", RELEASE),
        ("sp", SP),
    ];
    NAMES
        .iter()
        .find(|(name, _)| w.eq_ignore_ascii_case(name))
        .map(|&(_, q)| q)
}

fn word(text: &str, start: usize, end: usize, followed_by_digit: bool) -> Tok {
    let w = &text[start..end];
    let short = match w.as_bytes() {
        [c] if followed_by_digit => match c.to_ascii_lowercase() {
            b'a' => Some(ALPHA),
            b'b' => Some(BETA),
            b'm' => Some(MILESTONE),
            _ => None,
        },
        _ => None,
    };
    match short.or_else(|| known_qualifier(w)) {
        Some(q) => Tok::Qual(q),
        None => Tok::Word(start, end),
    }
}

fn item(text: &str, start: usize, end: usize, digits: bool) -> Tok {
    if digits {
        number(&text[start..end])
    } else {
        word(text, start, end, false)
    }
}

/// Compares two words as Maven does: after lower-casing both.
fn cmp_words(a: &str, b: &str) -> Ordering {
    fn lower(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes().map(|c| c.to_ascii_lowercase())
    }
    if a.is_ascii() && b.is_ascii() {
        return lower(a).cmp(lower(b));
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

impl MavenVersion {
    pub fn parse(input: &str) -> Result<MavenVersion, VersionError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        let bytes = text.as_bytes();
        let mut b = Builder {
            toks: Vec::with_capacity(8),
            level_len: 0,
        };
        let mut start = 0;
        let mut digits = false;
        // Slicing is safe: every boundary is next to an ASCII byte (a separator or a digit).
        for (i, &c) in bytes.iter().enumerate() {
            match c {
                b'.' | b'-' => {
                    if i == start {
                        b.push(Tok::Num(Num::ZERO));
                    } else {
                        b.push(item(text, start, i, digits));
                    }
                    start = i + 1;
                    if c == b'-' {
                        b.open();
                    }
                }
                b'0'..=b'9' => {
                    if !digits && i > start {
                        // Letters then digits: `X1` is `X-1`, and `.X1` is `-X1` (MNG-7644).
                        if b.level_len > 0 {
                            b.open();
                        }
                        b.push(word(text, start, i, true));
                        start = i;
                        b.open();
                    }
                    digits = true;
                }
                _ => {
                    if digits && i > start {
                        // Digits then letters: `1a` is `1-a`.
                        b.push(number(&text[start..i]));
                        start = i;
                        b.open();
                    }
                    digits = false;
                }
            }
        }
        if start < bytes.len() {
            // A final `.X` reads as `-X` (MNG-7644).
            if !digits && b.level_len > 0 {
                b.open();
            }
            b.push(item(text, start, bytes.len(), digits));
        }
        Ok(MavenVersion {
            text: text.into(),
            toks: b.finish(),
        })
    }

    /// The version as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn major(&self) -> &Num {
        match self.toks.first() {
            Some(Tok::Num(n)) => n,
            _ => &Num::ZERO,
        }
    }

    /// Compares two items at the same position, Maven's way.
    fn cmp_tok(&self, x: &Tok, other: &MavenVersion, y: &Tok) -> Ordering {
        use Ordering::{Equal, Greater, Less};
        match (x, y) {
            (Tok::Num(m), Tok::Num(n)) => m.cmp(n),
            (Tok::Sub, Tok::Sub) => Equal,
            // A number is above a list, a list above a word.
            (Tok::Num(_), _) => Greater,
            (_, Tok::Num(_)) => Less,
            (Tok::Sub, _) => Greater,
            (_, Tok::Sub) => Less,
            (Tok::Qual(p), Tok::Qual(q)) => p.cmp(q),
            (Tok::Qual(_), Tok::Word(..)) => Less,
            (Tok::Word(..), Tok::Qual(_)) => Greater,
            (Tok::Word(a0, a1), Tok::Word(b0, b1)) => {
                cmp_words(&self.text[*a0..*a1], &other.text[*b0..*b1])
            }
        }
    }
}

/// The index of the first item at or after `from` that does not equal "nothing".
fn solid_from(toks: &[Tok], from: usize) -> usize {
    (from..toks.len())
        .find(|&k| !toks[k].is_nullish())
        .unwrap_or(toks.len())
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.toks, &other.toks);
        let (mut sa, mut sb) = (solid_from(a, 0), solid_from(b, 0));
        let mut i = 0;
        loop {
            if sa < i {
                sa = solid_from(a, i);
            }
            if sb < i {
                sb = solid_from(b, i);
            }
            // How each version's rest compares with "nothing".
            let ta = a.get(sa).map_or(Ordering::Equal, Tok::cmp_null);
            let tb = b.get(sb).map_or(Ordering::Equal, Tok::cmp_null);
            let tails = ta.cmp(&tb);
            match (a.get(i), b.get(i)) {
                (None, None) => return Ordering::Equal,
                // The version that ran out is below any that did not, on a tie.
                (Some(_), None) => return tails.then(Ordering::Greater),
                (None, Some(_)) => return tails.then(Ordering::Less),
                (Some(x), Some(y)) => {
                    if tails != Ordering::Equal {
                        return tails;
                    }
                    match self.cmp_tok(x, other, y) {
                        Ordering::Equal => i += 1,
                        o => return o,
                    }
                }
            }
        }
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl fmt::Display for MavenVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Scheme for MavenScheme {
    type V = MavenVersion;

    fn parse(s: &str) -> Result<MavenVersion, VersionError> {
        MavenVersion::parse(s)
    }

    /// The first item, when a number (else 0), changes.
    fn is_breaking(from: &MavenVersion, to: &MavenVersion) -> bool {
        from.major() != to.major()
    }

    /// Holds a qualifier that sorts below a release: alpha, beta, milestone, rc or snapshot.
    fn is_prerelease(v: &MavenVersion) -> bool {
        v.toks
            .iter()
            .any(|t| matches!(t, Tok::Qual(q) if *q < RELEASE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self as tu, Rng, assert_total_order};

    fn v(s: &str) -> MavenVersion {
        MavenScheme::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn assert_ascending(chain: &[&str]) {
        tu::assert_ascending(v, chain);
    }

    fn assert_all_equal(group: &[&str]) {
        tu::assert_all_equal(v, group);
    }

    // The peer fixture file is checked in tests/conformance.rs.

    /// The examples of the POM reference's "Version Order Specification".
    #[test]
    fn pom_reference_examples() {
        assert_ascending(&["1", "1.1"]);
        assert_ascending(&["1-snapshot", "1", "1-sp"]);
        assert_ascending(&["1-foo2", "1-foo10"]);
        assert_all_equal(&["1.foo", "1-foo"]);
        assert_ascending(&["1-foo", "1-1", "1.1"]);
        assert_all_equal(&["1.ga", "1-ga", "1-0", "1.0", "1"]);
        assert_ascending(&["1-ga", "1-sp"]);
        assert_ascending(&["1-ga.1", "1-sp.1"]);
        assert_ascending(&["1-sp-1", "1-ga-1"]);
        assert_all_equal(&["1-ga-1", "1-1"]);
        assert_all_equal(&["1-a1", "1-alpha-1"]);
        // Splitting and trimming examples.
        assert_all_equal(&["1-1.foo-bar1baz-.1", "1-1.foo-bar-1-baz-0.1"]);
        assert_all_equal(&["1.0.0", "1.ga", "1.final", "1.0", "1.", "1-", "1"]);
        assert_all_equal(&["1.0.0-foo.0.0", "1-foo"]);
        assert_all_equal(&["1.0.0-0.0.0", "1"]);
    }

    /// The qualifier order of Maven's own `ComparableVersionTest`.
    #[test]
    fn qualifier_order() {
        assert_ascending(&[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ]);
    }

    /// The number order of Maven 3.9's `ComparableVersionTest`.
    #[test]
    fn number_order() {
        assert_ascending(&[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ]);
    }

    #[test]
    fn leading_zeros_and_zero() {
        assert_all_equal(&[
            "0000000000000000001",
            "000000000000000001",
            "00000000000000001",
            "0000000000000001",
            "000000000000001",
            "00000000000001",
            "0000000000001",
            "000000000001",
            "00000000001",
            "0000000001",
            "000000001",
            "00000001",
            "0000001",
            "000001",
            "00001",
            "0001",
            "001",
            "01",
            "1",
        ]);
        assert_all_equal(&["0000000000000000", "000000000", "0", "0.0", "0-0", "0.ga"]);
        assert_all_equal(&["1.01", "1.1", "1.000000000000000000000000000000001"]);
    }

    /// Numbers of any size, compared numerically (Maven uses int, long and BigInteger items).
    #[test]
    fn big_numbers() {
        assert_ascending(&[
            "2147483647",
            "2147483648",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            "99999999999999999999999999999999999999",
            "100000000000000000000000000000000000000",
        ]);
        assert_ascending(&["1.9223372036854775808-1", "1.9223372036854775808.1"]);
    }

    /// MNG-6964: the whole rest of a list is compared with "nothing", not its first item.
    #[test]
    fn mng_6964() {
        assert_ascending(&["1-0.alpha", "1-0.beta", "1"]);
    }

    /// MNG-7644: `.X1` reads as `-X1` for any word X.
    #[test]
    fn mng_7644() {
        for x in [
            "abc",
            "alpha",
            "a",
            "beta",
            "b",
            "def",
            "milestone",
            "m",
            "RC",
        ] {
            assert_ascending(&[&format!("1.0.0.{x}1"), &format!("1.0.0-{x}2")]);
            assert_all_equal(&[
                &format!("2-{x}1"),
                &format!("2.0.{x}1"),
                &format!("2.0.0.{x}1"),
            ]);
        }
        assert_ascending(&["1.0.RC2", "1.0-RC3", "1.0.1"]);
        assert_all_equal(&["1.0.0.RELEASE", "1.0.0", "1.0.0.Final", "1.0.0.GA"]);
    }

    #[test]
    fn aliases_shorthands_and_case() {
        assert_all_equal(&["1cr", "1rc", "1-RC", "1.CR", "1Cr"]);
        assert_all_equal(&["1a1", "1-alpha-1", "1.ALPHA1", "1A1"]);
        assert_all_equal(&["1b2", "1-beta-2", "1Beta2"]);
        assert_all_equal(&["1m3", "1-milestone-3", "1MILESTONE3"]);
        // Shorthands only stand when a digit follows.
        assert_ascending(&["1-alpha", "1-beta", "1-milestone", "1", "1-a", "1-b", "1-m"]);
        assert_all_equal(&["1-c1", "1-c-1"]);
        assert_all_equal(&["1-XyZ", "1-xyz", "1.xYz"]);
        assert_ascending(&["1-snapshot", "1", "1-sp", "1-aaa", "1-zzz"]);
        assert_all_equal(&["1-release", "1-final", "1-ga", "1"]);
        // Non-ASCII words compare after lower-casing too.
        assert_all_equal(&["1-ÉTÉ", "1-été"]);
        assert_ascending(&["1-zeta", "1-été"]);
    }

    #[test]
    fn common_real_world_spellings() {
        assert_ascending(&[
            "3.0.0-alpha-1",
            "3.0.0-beta-1",
            "3.0.0-M1",
            "3.0.0-M2",
            "3.0.0-RC1",
            "3.0.0-RC2",
            "3.0.0-SNAPSHOT",
            "3.0.0",
            "3.0.0-sp1",
            "3.0.0-jre",
            "3.0.0-1",
            "3.0.1",
        ]);
        assert_ascending(&[
            "5.3.0.RC1",
            "5.3.0.RELEASE",
            "5.3.1.RELEASE",
            "5.3.10.RELEASE",
        ]);
        assert_ascending(&["31.0-android", "31.0-jre", "31.0.1-android", "31.1-jre"]);
        assert_ascending(&["2.12.0-rc1", "2.12.0-rc2", "2.12.0", "2.12.1"]);
        assert_ascending(&["1.0.0.Alpha1", "1.0.0.Beta2", "1.0.0.CR1", "1.0.0.Final"]);
        assert_ascending(&["9.4.43.v20210629", "9.4.44.v20210927", "9.4.44.v20211027"]);
    }

    /// Where Maven's own order has a cycle (`1-1 > 1 > 1.0.alpha.beta > 1-1`), the rest of
    /// each version is first compared with "nothing".
    #[test]
    fn maven_cycles_are_broken_consistently() {
        assert_ascending(&["1.0.alpha.beta", "1", "1-1"]);
        assert_ascending(&["1-alpha", "1", "1.foo.1"]);
        // Pairs outside such cycles keep Maven's answer.
        assert_ascending(&["2.0-1", "2.0.1"]);
        assert_ascending(&["1-1", "1.0.1"]);
        assert_ascending(&["1.0.alpha.1", "1"]);
    }

    /// Trailing nulls are trimmed at each hyphen, so an emptied list is no extra level.
    #[test]
    fn nulls_trimmed_at_each_hyphen() {
        assert_all_equal(&["1-1", "1-ga-1", "1-0-1", "1--1", "1-final-0-1", "1-ga1"]);
        assert_all_equal(&["1-beta", "1-final-beta", "1-0-beta"]);
        assert_ascending(&["0-1", "1"]);
        assert_ascending(&["1-sp-1", "1-1"]);
    }

    #[test]
    fn parse_edges() {
        for bad in ["", " ", "\t\n"] {
            assert!(MavenScheme::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(v("  1.0-SNAPSHOT \n").to_string(), "1.0-SNAPSHOT");
        assert_eq!(v("1.0-SNAPSHOT").as_str(), "1.0-SNAPSHOT");
        assert_all_equal(&["-", ".", "0", "-.-", "ga"]);
        assert_all_equal(&[".1", "0.1"]);
        assert_ascending(&["rc", "ga", "1"]);
        // Anything else is a letter.
        assert_ascending(&["1+1", "1_1", "1.0.1"]);
        for s in [
            "١٢٣",
            "😀.1-😀",
            "1.0\u{0}",
            "--..--",
            "a-b-c-d",
            "0.0.0-2021-05-17T01-01-51-5ec03a8b",
        ] {
            let x = v(s);
            assert_eq!(x.cmp(&x), Ordering::Equal, "{s}");
        }
    }

    #[test]
    fn deep_nesting_neither_recurses_nor_slows() {
        let a = "1-".repeat(100_000) + "1";
        let b = "1-".repeat(100_000) + "2";
        let c = "1a".repeat(100_000);
        let (a, b, c) = (v(&a), v(&b), v(&c));
        assert!(a < b);
        assert_eq!(c.cmp(&c.clone()), Ordering::Equal);
        assert!(c < a, "1a1a.. is 1-alpha-1-alpha-.., below 1-1-..");
    }

    #[test]
    fn prerelease_and_breaking() {
        for s in [
            "1.0-SNAPSHOT",
            "1.0-alpha-1",
            "1.0.0.M1",
            "1.0b2",
            "2.0.0-RC1",
            "2.0.CR2",
        ] {
            assert!(MavenScheme::is_prerelease(&v(s)), "{s}");
        }
        for s in [
            "1.0",
            "1.0-sp1",
            "1.0.0.RELEASE",
            "31.1-jre",
            "1.0-1",
            "1.0.Final",
            "1-a",
        ] {
            assert!(!MavenScheme::is_prerelease(&v(s)), "{s}");
        }
        let br = |a: &str, b: &str| MavenScheme::is_breaking(&v(a), &v(b));
        assert!(br("1.9", "2.0"));
        assert!(br("2.0", "1.9"));
        assert!(br("0.9", "1.0-SNAPSHOT"));
        assert!(!br("1.0", "1.99.3"));
        assert!(!br("1.0", "01.5"));
        assert!(!br("1-SNAPSHOT", "1.0.1"));
    }

    /// A tiny deterministic generator of version-like strings.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn version(&mut self) -> String {
            const PIECES: [&str; 22] = [
                "0",
                "1",
                "2",
                "10",
                "00",
                "a",
                "b",
                "m",
                "alpha",
                "rc",
                "cr",
                "ga",
                "final",
                "sp",
                "snapshot",
                "x",
                "foo",
                "RELEASE",
                "release",
                "",
                "9999999999999999999999",
                "01",
            ];
            const SEPS: [&str; 3] = [".", "-", ""];
            let n = 1 + self.next() % 6;
            let mut s = String::new();
            for k in 0..n {
                if k > 0 {
                    s.push_str(SEPS[(self.next() % 3) as usize]);
                }
                s.push_str(PIECES[(self.next() % PIECES.len() as u64) as usize]);
            }
            if s.trim().is_empty() { "0".into() } else { s }
        }
    }

    /// The order is total: antisymmetric, transitive, and equal exactly when `==`.
    #[test]
    fn order_is_total_on_random_versions() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let vs: Vec<MavenVersion> = (0..400).map(|_| v(&g.version())).collect();
        assert_total_order(&vs, &mut Rng(g.next()), 200_000);
    }
}
