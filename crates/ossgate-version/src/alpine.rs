//! Alpine apk package versions, ordered as `apk version -t` (apk-tools) orders them; Alpine,
//! Wolfi and Chainguard use them.
//!
//! Syntax (anything else is rejected, as apk rejects it):
//!
//! ```text
//! number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
//! ```
//!
//! * numbers are ASCII digit runs; the letter is one of `a`-`z`;
//! * a suffix is one of `alpha`, `beta`, `pre`, `rc`, `cvs`, `svn`, `git`, `hg`, `p`,
//!   optionally followed by a number; there may be several (`1.0_alpha1_pre2`);
//! * the hash is a non-empty run of lowercase hex digits (`1.0~1a2b3c`);
//! * the revision is `-r` and a number, last.
//!
//! Comparison walks both versions component by component:
//!
//! * the first number, suffix numbers and the revision compare numerically (at any size,
//!   leading zeros ignored: `01.0` equals `1.0`);
//! * a later number (after a `.`) compares as a string when either side has a leading zero
//!   (`1.02 < 1.1`, `8.2.0 < 8.2.001`), numerically otherwise (`1.2 < 1.10`);
//! * letters compare by code; hashes compare as strings;
//! * suffixes: `_alpha < _beta < _pre < _rc < (no suffix) < _cvs < _svn < _git < _hg < _p`.
//!
//! When one version has a component where the other has a different kind of component (or
//! has ended), a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`) is older; otherwise the
//! side whose component comes *earlier* in the syntax above is newer: a further number beats a
//! letter (`1.0a < 1.0.1`), which beats a suffix, ..., which beats the revision, which beats
//! the end (`1.0 < 1.0-r1 < 1.0_p1 < 1.0a`).
//!
//! The only deliberate difference from apk-tools: apk reads numbers into 64 bits, so numbers of
//! more than 19 digits can wrap there; here they compare exactly.

use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;

/// The apk ordering (Alpine, Wolfi, Chainguard).
pub struct AlpineScheme;

/// A parsed apk version; displays as given (trimmed).
#[derive(Clone, Debug)]
pub struct ApkVersion {
    text: Box<str>,
}

/// Component kinds, in the order the syntax allows them. The numeric order matters: when two
/// versions differ in kind at the same position, the larger kind is the older version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialNumber,
    Number,
    Letter,
    Suffix,
    SuffixNumber,
    Hash,
    Revision,
    End,
    Invalid,
}

/// Suffix ranks; `NO_SUFFIX` is the pivot between pre- and post-release suffixes.
const SUFFIXES: [(&[u8], u8); 9] = [
    (b"alpha", 1),
    (b"beta", 2),
    (b"pre", 3),
    (b"rc", 4),
    (b"cvs", 6),
    (b"svn", 7),
    (b"git", 8),
    (b"hg", 9),
    (b"p", 10),
];
const NO_SUFFIX: u8 = 5;

/// One component: its kind, its text (digits, letter, suffix name or hash) and, for a suffix,
/// its rank.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a [u8],
    suffix: u8,
}

impl Token<'_> {
    fn is_pre_release_suffix(&self) -> bool {
        self.kind == Kind::Suffix && self.suffix < NO_SUFFIX
    }
}

/// Reads components left to right; after an invalid one it stays invalid.
struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    last: Kind,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a str) -> Self {
        Lexer {
            s: s.as_bytes(),
            i: 0,
            last: Kind::InitialNumber,
        }
    }

    fn token(&mut self, kind: Kind, start: usize, suffix: u8) -> Token<'a> {
        self.last = kind;
        Token {
            kind,
            text: &self.s[start..self.i],
            suffix,
        }
    }

    fn invalid(&mut self) -> Token<'a> {
        self.last = Kind::Invalid;
        Token {
            kind: Kind::Invalid,
            text: &[],
            suffix: 0,
        }
    }

    /// Consumes the run of bytes satisfying `pred`; returns where it started.
    fn span(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.s.get(self.i).is_some_and(|&c| pred(c)) {
            self.i += 1;
        }
        start
    }

    /// A number of `kind`, or invalid if there are no digits.
    fn number(&mut self, kind: Kind) -> Token<'a> {
        let start = self.span(|c| c.is_ascii_digit());
        if start == self.i {
            return self.invalid();
        }
        self.token(kind, start, 0)
    }

    fn first(&mut self) -> Token<'a> {
        self.number(Kind::InitialNumber)
    }

    fn next(&mut self) -> Token<'a> {
        let last = self.last;
        if last == Kind::Invalid {
            return self.invalid();
        }
        let Some(&c) = self.s.get(self.i) else {
            return self.token(Kind::End, self.i, 0);
        };
        match c {
            b'a'..=b'z' if last <= Kind::Number => {
                let start = self.i;
                self.i += 1;
                self.token(Kind::Letter, start, 0)
            }
            b'.' if last <= Kind::Number => {
                self.i += 1;
                self.number(Kind::Number)
            }
            b'0'..=b'9' if last == Kind::Suffix => self.number(Kind::SuffixNumber),
            b'_' if last <= Kind::SuffixNumber => {
                self.i += 1;
                let start = self.span(|c| c.is_ascii_lowercase());
                let name = &self.s[start..self.i];
                match SUFFIXES.iter().find(|(n, _)| *n == name) {
                    Some(&(_, rank)) => self.token(Kind::Suffix, start, rank),
                    None => self.invalid(),
                }
            }
            b'~' if last < Kind::Hash => {
                self.i += 1;
                let start = self.span(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
                if start == self.i {
                    return self.invalid();
                }
                self.token(Kind::Hash, start, 0)
            }
            b'-' if last < Kind::Revision && self.s.get(self.i + 1) == Some(&b'r') => {
                self.i += 2;
                self.number(Kind::Revision)
            }
            _ => self.invalid(),
        }
    }
}

fn strip_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&b| b != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

/// Compares two digit strings numerically, at any size.
fn cmp_numbers(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (strip_zeros(a), strip_zeros(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares two components of the same kind.
fn cmp_same_kind(a: &Token<'_>, b: &Token<'_>) -> Ordering {
    match a.kind {
        Kind::Number if a.text.first() == Some(&b'0') || b.text.first() == Some(&b'0') => {
            a.text.cmp(b.text)
        }
        Kind::InitialNumber | Kind::Number | Kind::SuffixNumber | Kind::Revision => {
            cmp_numbers(a.text, b.text)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        Kind::Letter | Kind::Hash => a.text.cmp(b.text),
        Kind::End | Kind::Invalid => Ordering::Equal,
    }
}

/// apk's comparison of two version strings (both valid; invalid input never panics).
fn compare(a: &str, b: &str) -> Ordering {
    let (mut la, mut lb) = (Lexer::new(a), Lexer::new(b));
    let (mut ta, mut tb) = (la.first(), lb.first());
    while ta.kind == tb.kind && ta.kind < Kind::End {
        match cmp_same_kind(&ta, &tb) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        ta = la.next();
        tb = lb.next();
    }
    if ta.kind == tb.kind {
        Ordering::Equal
    } else if ta.is_pre_release_suffix() {
        Ordering::Less
    } else if tb.is_pre_release_suffix() {
        Ordering::Greater
    } else {
        // The component that comes later in the syntax belongs to the older version.
        tb.kind.cmp(&ta.kind)
    }
}

/// Whether apk accepts `s` as a version.
fn is_valid(s: &str) -> bool {
    let mut lexer = Lexer::new(s);
    let mut t = lexer.first();
    while t.kind < Kind::End {
        t = lexer.next();
    }
    t.kind == Kind::End
}

impl ApkVersion {
    /// Parses a version; anything apk would reject is an error.
    pub fn parse(input: &str) -> Result<ApkVersion, VersionError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        if !is_valid(s) {
            return Err(VersionError::new(
                input,
                "not an apk version (number{.number}...{letter}{_suffix{number}}...{~hash}{-r#})",
            ));
        }
        Ok(ApkVersion { text: s.into() })
    }

    /// The version as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first number, as written.
    fn first_number(&self) -> &[u8] {
        Lexer::new(&self.text).first().text
    }

    /// Components from the first to the end (exclusive); the version is valid.
    fn tokens(&self) -> impl Iterator<Item = Token<'_>> {
        let mut lexer = Lexer::new(&self.text);
        let mut first = Some(lexer.first());
        std::iter::from_fn(move || {
            let t = first.take().unwrap_or_else(|| lexer.next());
            (t.kind < Kind::End).then_some(t)
        })
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.text, &other.text)
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

impl fmt::Display for ApkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Scheme for AlpineScheme {
    type V = ApkVersion;

    fn parse(s: &str) -> Result<Self::V, VersionError> {
        ApkVersion::parse(s)
    }

    /// A change of the first number (apk versions have no epoch).
    fn is_breaking(from: &Self::V, to: &Self::V) -> bool {
        cmp_numbers(from.first_number(), to.first_number()) != Ordering::Equal
    }

    /// An `_alpha`, `_beta`, `_pre` or `_rc` suffix anywhere.
    fn is_prerelease(v: &Self::V) -> bool {
        v.tokens().any(|t| t.is_pre_release_suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Rng, assert_total_order};
    use Ordering::{Equal, Greater, Less};

    fn v(s: &str) -> ApkVersion {
        AlpineScheme::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        let (va, vb) = (v(a), v(b));
        let o = va.cmp(&vb);
        assert_eq!(vb.cmp(&va), o.reverse(), "antisymmetry of {a} and {b}");
        assert_eq!(va == vb, o == Equal, "Eq agrees with Ord for {a} and {b}");
        o
    }

    /// A selection of apk-tools' own test vectors (`version.data`): `a op b` per line.
    const APK_VECTORS: &str = "\
2.34 > 0.1.0_alpha
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
2.2.39-r1 > 1.0.4-r3
1.0.4-r3 < 1.0.4-r4
1.0.4-r4 < 1.6
1.0.2 > 0.7-r1
1.0.0 < 1.0.1
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.2 < 1.3_alpha
1.3_alpha < 1.3_alpha2
0.7.0 < 0.8_beta1
0.8_beta4 < 4.8-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
2.3.0b-r4 > 0.12.1
0.12.3 > 0.12
0.12 < 0.13_beta1
0.13_beta5 > 0.9.12
0.9.13 > 0.0.16
0.0.16 < 0.6
1.2.11 < 1.2.12.1
1.2.12.1 < 1.2.13
2.8-r4 > 0.9.6
0.2.0-r1 = 0.2.0-r1
0.2.0-r1 < 3.1_p16
3.1_p16 < 3.1_p17
3.1_p17 > 1.06-r6
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
9.3.4-r2 > 9.3.4
1.0.6-r3 > 0.11
1.2.1-r1 < 1.2.2.1
2.59 < 20050718-r1
20050718-r1 < 20050718-r2
3.9.8-r5 > 2.01.01_alpha10
2.01.01_alpha10 > 0.94
1.0 > 0.99.3.20040818
0.13 < 0.90.1-r1
1.39 > 1.00_beta2
1.00_beta2 > 0.9.2
7.15.1-r1 > 1.02
1.02 < 1.03-r1
0.5.2.7 < 4.2.52_p2-r1
4.2.52_p2-r1 < 4.2.52_p4-r2
4.2.52_p4-r2 > 1.02.07
1.02.07 < 1.02.10-r1
9 > 2.18.3-r10
2.18.3-r10 > 1.05-r18
1.05-r18 < 1.05-r19
2.8 < 2.20.1
2.38 < 20050405
2.11-r1 > 2.11
0.7.3-r2 > 0.7.3
20060720 > 3.0.20060720
1.1 < 1.1.1-r1
2.1.10-r2 > 0.7.18-r2
0.7.18-r2 < 0.17-r6
1.4.4-r1 < 2.1.9.200602141850
2.5.1-r8 < 2.5.1a-r1
2.5.1a-r1 > 1.19.2-r1
1.3.5-r10 > 1.3.5-r8
20040401 > 2.0.0_rc3-r1
2.0.0_rc3-r1 > 1.5
3.0.0-r2 < 021109-r3
021109-r3 < 20060512
0.9.16-r1 < 3.9_pre20060124
3.9_pre20060124 > 0.01
0.01 < 0.06
1.1.7 < 6b-r7
6b-r7 > 1.12-r7
0.10.0-r1 > 0.10.0
0.10.0 < 0.10.1_rc1
0.10.1_rc1 > 0.9.11
2.0.2 > 1.1a
1.1a < 1.3a
1.0-r1 > 0.15.1b
0.15.1b < 1.0.1
0.15.1b-r2 > 0.15.1b
1.1.20 > 0.9.4
22.7-r1 < 22.7.3-r1
22.7.3-r1 > 22.7
22.7 > 2.1_pre20
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
02.08.01b < 4.77
5.1 > 2.02.06
2.02.06 < 2.02.10
2.8.6-r2 > 2.02-r1
3.81 > 1.6d
1.6d > 1.2.07.8
1.2.07.8 < 1.2.12.04
1.2.12.04 < 1.2.12.05
1.07-r1 < 1.07.5
1.07.5 > 1.07
1.07 < 1.19
20061003 > 0.1_pre20060810
0.1_pre20060810 < 0.1_pre20060817
3.3.17 > 0.59s-r11
0.59s-r11 < 0.65
1.60-r12 < 110-r8
20030719 > 4.01
4.01 < 4.20
4.20 > 0.20070118
0.20070118 < 0.20070207_rc1
0.20070207_rc1 < 1.0
2.3.30-r2 < 3.7_p1
4.3_p2-r1 < 4.3_p2-r5
4.4_p1-r6 < 4.5_p1-r1
4.5_p1-r1 > 4.5_p1
4.5_p1 > 0.9.8c-r1
0.9.8c-r1 < 0.9.8d
2.2.3-r2 < 013
013 < 014-r1
0.1.23 < 5b-r9
3.2.7 > 0.3.1_rc8
1.7 < 1.7b
1.7b < 1.8.4-r3
1.8.5 < 1.8.5_p2
0.98 < 1.00
1.4.9-r2 < 2.9.11_pre20051101-r2
2.9.11_pre20051101-r2 < 2.9.11_pre20051101-r3
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
2.9.11_pre20051101 < 2.9.11_pre20061021-r1
4.5.14 > 4.09-r1
1.3.2-r3 < 1.6.8_p12-r1
1.6.8_p12-r1 > 1.6.8_p9-r2
0.40-r1 < 2.25b-r5
1.4_p12-r2 < 1.4_p12-r5
0.9.28-r2 < 0.9.28.1
0.9.28.1 > 0.9.28
0.9.28.1 < 087-r1
087-r1 < 103
104-r11 > 104-r9
1.23-r1 > 1.23
5.52-r1 > 1.2.5_rc2
20040406-r1 > 2.12r-r4
2.12r-r4 < 2.12r-r5
7.0.17 < 7.0.174
1.1.1-r3 > 0.3.4_pre20061029
2.16 < 28
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
6.0_pre1 < 6.0
6.1_pre1 < 6.1
6.0_p1 > 6.0
6.1_p1 > 6.1
8.2.0 < 8.2.001
8.2.0015 < 8.2.002
1.0~1234 < 1.0~2345
1.0~1234-r1 < 1.0~2345-r0
1.0~1234-r1 > 1.0~1234-r0
";

    #[test]
    fn apk_tools_vectors() {
        let mut n = 0;
        for line in APK_VECTORS.lines() {
            let mut parts = line.split_whitespace();
            let (a, op, b) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let want = match op {
                "<" => Less,
                "=" => Equal,
                ">" => Greater,
                _ => panic!("bad line {line}"),
            };
            assert_eq!(cmp(a, b), want, "{line}");
            n += 1;
        }
        assert!(n > 150);
    }

    #[test]
    fn suffix_order() {
        let chain = [
            "1.0_alpha",
            "1.0_alpha1",
            "1.0_alpha2",
            "1.0_alpha10",
            "1.0_beta_alpha",
            "1.0_beta",
            "1.0_beta1",
            "1.0_beta_p",
            "1.0_pre1",
            "1.0_rc1",
            "1.0_rc2",
            "1.0",
            "1.0-r1",
            "1.0~abc",
            "1.0_cvs",
            "1.0_svn",
            "1.0_git20240101",
            "1.0_hg1",
            "1.0_p1",
            "1.0_p1-r1",
            "1.0_p2",
            "1.0a",
            "1.0b_rc1",
            "1.0b",
            "1.0.1_rc1",
            "1.0.1",
            "1.1",
            "1.2",
            "1.10",
            "2.0",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        let mut shuffled: Vec<ApkVersion> = chain.iter().rev().map(|s| v(s)).collect();
        shuffled.swap(4, 20);
        shuffled.sort();
        let got: Vec<String> = shuffled.iter().map(|v| v.to_string()).collect();
        assert_eq!(got, chain);
    }

    #[test]
    fn numbers() {
        // First number and revision: numeric, leading zeros ignored.
        assert_eq!(cmp("01.0", "1.0"), Equal);
        assert_eq!(cmp("1.0-r01", "1.0-r1"), Equal);
        assert_eq!(cmp("1.0_p01", "1.0_p1"), Equal);
        assert_eq!(cmp("9.0", "10.0"), Less);
        // Later numbers: string comparison when either has a leading zero.
        assert_eq!(cmp("1.2", "1.10"), Less);
        assert_eq!(cmp("1.02", "1.1"), Less);
        assert_eq!(cmp("1.0", "1.00"), Less);
        assert_eq!(cmp("1.05", "1.5"), Less);
        assert_eq!(cmp("1.09", "1.1"), Less);
        assert_eq!(cmp("1.010", "1.09"), Less);
        assert_eq!(cmp("1.0", "1.0"), Equal);
        // Any size.
        assert_eq!(
            cmp(
                "123456789012345678901234567890.1",
                "123456789012345678901234567891.0"
            ),
            Less
        );
        assert_eq!(
            cmp("1.99999999999999999999999", "1.100000000000000000000000"),
            Less
        );
        assert_eq!(
            cmp(
                "1.0-r99999999999999999999999",
                "1.0-r100000000000000000000000"
            ),
            Less
        );
        assert_eq!(cmp("00000000000000000000000000001", "1"), Equal);
    }

    #[test]
    fn hashes() {
        assert_eq!(cmp("1.0~abc", "1.0~abd"), Less);
        assert_eq!(cmp("1.0~ab", "1.0~abc"), Less);
        assert_eq!(cmp("1.0~f", "1.0~0123"), Greater);
        assert_eq!(cmp("1.0~abc-r1", "1.0~abc"), Greater);
        assert_eq!(cmp("1.0_p1~abc", "1.0_p1"), Greater);
        assert_eq!(cmp("0.1_pre2~1234abcd", "0.1_pre2"), Greater);
    }

    #[test]
    fn validity() {
        for s in [
            "0",
            "1.2",
            "0.1_pre2",
            "0.1_pre2~1234abcd",
            "0.1_p1_pre2",
            "0.1_alpha1_pre2",
            "0.1_git20240101_pre1",
            "1.0a-r0",
            "1.0_rc1~0f-r10",
            "2.12r-r4",
            " 1.0-r1 \n",
        ] {
            assert!(AlpineScheme::parse(s).is_ok(), "{s} should parse");
        }
        for s in [
            "",
            " ",
            "0.1bc",
            "0.1bc1",
            "0.1a1",
            "0.1a.1",
            "0.1_pre2~",
            "0.1_pre2~1234xbcd",
            "0.1_pre2~1234ABCD",
            "0.1_pre2~1234abcd_pre1",
            "0.1_pre2-r1~1234xbcd",
            "0.1_foobar",
            "0.1_foobar1",
            "0.1-pre1.1",
            "0.1-r",
            "0.1-r2_pre1",
            "0.1-r2_p3_pre1",
            "0.1-r2-r3",
            "0.1-r2.1",
            ".1",
            "a",
            "_pre1",
            "-r1",
            "0.1_",
            "0.1_-r0",
            "0.1__alpha",
            "0.1_1_alpha",
            "1.0bc",
            "23_foo",
            "3.6.9_post1",
            "1.",
            "1..2",
            "1.0A",
            "v1.0",
            "1.0-1",
            "1.0 -r1",
            "1.0-r1a",
            "1.0\u{e9}",
            "\u{661}.0",
        ] {
            let e = AlpineScheme::parse(s).expect_err(s);
            assert_eq!(e.version, s);
        }
    }

    #[test]
    fn breaking_and_prerelease() {
        let b = |x: &str, y: &str| AlpineScheme::is_breaking(&v(x), &v(y));
        assert!(!b("1.2-r0", "1.3-r1"));
        assert!(!b("1.2", "01.9_p1"));
        assert!(b("1.2", "2.0"));
        assert!(b("9.9", "10.0"));
        let p = |x: &str| AlpineScheme::is_prerelease(&v(x));
        assert!(p("1.0_alpha"));
        assert!(p("1.0_beta2-r1"));
        assert!(p("1.0_pre20240101"));
        assert!(p("1.0_rc1"));
        assert!(p("0.1_p1_pre2"));
        assert!(!p("1.0"));
        assert!(!p("1.0-r3"));
        assert!(!p("1.0_p1"));
        assert!(!p("1.0_git20240101"));
        assert!(!p("1.0a"));
    }

    #[test]
    fn display_is_trimmed_input() {
        let x = v("  1.02_rc1-r3\n");
        assert_eq!(x.to_string(), "1.02_rc1-r3");
        assert_eq!(x.as_str(), "1.02_rc1-r3");
    }

    #[test]
    fn never_panics_and_orders_consistently() {
        const ALPHABET: &[&str] = &[
            "0",
            "1",
            "9",
            "00",
            ".",
            ".1",
            ".0",
            "a",
            "z",
            "_rc",
            "_p",
            "_alpha",
            "_git",
            "1",
            "~ab",
            "-r",
            "-r1",
            "_",
            "~",
            "\u{e9}",
            "99999999999999999999999",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1Du64);
        let parsed: Vec<_> = (0..3000)
            .filter_map(|_| AlpineScheme::parse(&rng.string(ALPHABET, 6)).ok())
            .collect();
        assert!(parsed.len() > 100);
        assert_total_order(&parsed[..parsed.len().min(200)], &mut rng, 200_000);
    }
}
