//! RPM package versions (Red Hat, Fedora, CentOS, AlmaLinux, Rocky, openSUSE, SUSE, Mageia,
//! ...), ordered as rpm orders them: `rpmvercmp` on each part, epoch first.
//!
//! Syntax: `[epoch:]version[-release]`. The epoch is the digits before the first colon
//! (missing or empty: 0); the release is everything after the *last* hyphen.
//!
//! `rpmvercmp` reads a string as a sequence of segments: maximal runs of ASCII digits or of
//! ASCII letters, `~` and `^`; every other character only separates segments (so `2.0`,
//! `2_0` and `2..0` are equal). Two sequences compare segment by segment:
//!
//! * `~` sorts before anything, even the end of the string (pre-release: `1.0~rc1 < 1.0`);
//! * `^` sorts after the end of the string but before any further segment (post-release
//!   snapshot: `1.0 < 1.0^git1 < 1.0.1`);
//! * a numeric segment is newer than an alphabetic one; numeric segments compare as numbers,
//!   at any size (leading zeros ignored); alphabetic segments compare with `strcmp`;
//! * when one string runs out, the one with segments left is newer.
//!
//! Missing releases. rpm compares the releases of two EVRs only when both have one, so for
//! rpm `1.0` "equals" both `1.0-1` and `1.0-2`, which are not equal to each other. That is
//! not an order (sorting needs one), so [`Ord`] refines it: a missing release compares as an
//! empty one, that is before any release (except one starting with `~`). Every pair that rpm
//! orders is ordered the same way; only the pairs rpm calls equal because one side lacks a
//! release are told apart. [`RpmVersion::rpm_cmp`] gives rpm's own answer.
//!
//! Acceptance: empty strings, whitespace or control characters, a non-numeric epoch (any
//! colon that does not end a run of digits at the start), an empty version and an empty
//! release after a hyphen are errors. Other characters are accepted as rpm's comparison does
//! (as separators).

use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

/// The RPM ordering.
pub struct RpmScheme;

/// A parsed RPM EVR; displays as given (trimmed).
#[derive(Clone, Debug)]
pub struct RpmVersion {
    text: Box<str>,
    /// The epoch's digits (empty when absent).
    epoch: Range<usize>,
    version: Range<usize>,
    release: Option<Range<usize>>,
}

impl RpmVersion {
    /// Parses `[epoch:]version[-release]`; see the module documentation for what is rejected.
    pub fn parse(input: &str) -> Result<RpmVersion, VersionError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(VersionError::new(
                input,
                "whitespace or control character in version",
            ));
        }
        let (epoch, rest_start) = match s.find(':') {
            Some(colon) => {
                if !s[..colon].bytes().all(|b| b.is_ascii_digit()) {
                    return Err(VersionError::new(input, "epoch is not a number"));
                }
                (0..colon, colon + 1)
            }
            None => (0..0, 0),
        };
        let rest = &s[rest_start..];
        if rest.contains(':') {
            return Err(VersionError::new(input, "more than one `:` in version"));
        }
        let (version, release) = match rest.rfind('-') {
            Some(hyphen) => {
                if hyphen + 1 == rest.len() {
                    return Err(VersionError::new(input, "empty release after `-`"));
                }
                (
                    rest_start..rest_start + hyphen,
                    Some(rest_start + hyphen + 1..s.len()),
                )
            }
            None => (rest_start..s.len(), None),
        };
        if version.is_empty() {
            return Err(VersionError::new(input, "empty version"));
        }
        Ok(RpmVersion {
            text: s.into(),
            epoch,
            version,
            release,
        })
    }

    /// The epoch as written (digits, possibly with leading zeros); `None` when absent or empty.
    pub fn epoch(&self) -> Option<&str> {
        Some(&self.text[self.epoch.clone()]).filter(|e| !e.is_empty())
    }

    /// The version: between the epoch's colon and the last hyphen.
    pub fn version(&self) -> &str {
        &self.text[self.version.clone()]
    }

    /// The release (after the last hyphen), when there is one.
    pub fn release(&self) -> Option<&str> {
        self.release.clone().map(|r| &self.text[r])
    }

    /// The version as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn epoch_digits(&self) -> &[u8] {
        strip_zeros(&self.text.as_bytes()[self.epoch.clone()])
    }

    /// rpm's own EVR comparison: epoch, version, then release only when both have one.
    /// Not an order (see the module documentation); [`Ord`] refines it.
    pub fn rpm_cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.epoch_digits(), other.epoch_digits())
            .then_with(|| rpmvercmp(self.version(), other.version()))
            .then_with(|| match (self.release(), other.release()) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                _ => Ordering::Equal,
            })
    }
}

fn strip_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&b| b != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

/// Compares two digit strings without leading zeros numerically.
fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// One element of a string as `rpmvercmp` reads it. The derived order of the kinds is the
/// order of elements at the same position: `~` < end < `^` < letters < digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Tilde,
    End,
    Caret,
    Alpha,
    Numeric,
}

/// Reads the element at `*i`, skipping separators, and moves past it. For a numeric segment
/// the text is without leading zeros.
fn next_segment<'a>(s: &'a [u8], i: &mut usize) -> (Kind, &'a [u8]) {
    while *i < s.len() && !s[*i].is_ascii_alphanumeric() && s[*i] != b'~' && s[*i] != b'^' {
        *i += 1;
    }
    let Some(&c) = s.get(*i) else {
        return (Kind::End, &[]);
    };
    let start = *i;
    match c {
        b'~' => {
            *i += 1;
            (Kind::Tilde, &[])
        }
        b'^' => {
            *i += 1;
            (Kind::Caret, &[])
        }
        c if c.is_ascii_digit() => {
            while s.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            (Kind::Numeric, strip_zeros(&s[start..*i]))
        }
        _ => {
            while s.get(*i).is_some_and(u8::is_ascii_alphabetic) {
                *i += 1;
            }
            (Kind::Alpha, &s[start..*i])
        }
    }
}

/// rpm's `rpmvercmp` on two version (or release) strings.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        let (ka, sa) = next_segment(a, &mut i);
        let (kb, sb) = next_segment(b, &mut j);
        let o = ka.cmp(&kb).then_with(|| match ka {
            Kind::Numeric => cmp_digits(sa, sb),
            Kind::Alpha => sa.cmp(sb),
            _ => Ordering::Equal,
        });
        if o != Ordering::Equal || ka == Kind::End {
            return o;
        }
    }
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(self.epoch_digits(), other.epoch_digits())
            .then_with(|| rpmvercmp(self.version(), other.version()))
            .then_with(|| rpmvercmp(self.release().unwrap_or(""), other.release().unwrap_or("")))
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

impl fmt::Display for RpmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first numeric segment of a version, without leading zeros (`None` if it has none).
fn first_number(version: &str) -> Option<&[u8]> {
    let b = version.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let end = b[start..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(b.len(), |n| start + n);
    Some(strip_zeros(&b[start..end]))
}

impl Scheme for RpmScheme {
    type V = RpmVersion;

    fn parse(s: &str) -> Result<Self::V, VersionError> {
        RpmVersion::parse(s)
    }

    /// A change of epoch or of the first number of the version.
    fn is_breaking(from: &Self::V, to: &Self::V) -> bool {
        from.epoch_digits() != to.epoch_digits()
            || first_number(from.version()) != first_number(to.version())
    }

    /// A `~` in the version (`1.0~rc1`).
    fn is_prerelease(v: &Self::V) -> bool {
        v.version().contains('~')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Rng, assert_total_order};
    use Ordering::{Equal, Greater, Less};

    fn v(s: &str) -> RpmVersion {
        RpmScheme::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        let (va, vb) = (v(a), v(b));
        let o = va.cmp(&vb);
        assert_eq!(vb.cmp(&va), o.reverse(), "antisymmetry of {a} and {b}");
        assert_eq!(va == vb, o == Equal, "Eq agrees with Ord for {a} and {b}");
        o
    }

    /// rpm's documented `rpmvercmp` results (rpm's test suite, `rpmvercmp.at`).
    const RPMVERCMP: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0", Equal),
        ("1.0", "2.0", Less),
        ("2.0", "1.0", Greater),
        ("2.0.1", "2.0.1", Equal),
        ("2.0", "2.0.1", Less),
        ("2.0.1", "2.0", Greater),
        ("2.0.1a", "2.0.1a", Equal),
        ("2.0.1a", "2.0.1", Greater),
        ("2.0.1", "2.0.1a", Less),
        ("5.5p1", "5.5p1", Equal),
        ("5.5p1", "5.5p2", Less),
        ("5.5p2", "5.5p1", Greater),
        ("5.5p10", "5.5p10", Equal),
        ("5.5p1", "5.5p10", Less),
        ("5.5p10", "5.5p1", Greater),
        ("10xyz", "10.1xyz", Less),
        ("10.1xyz", "10xyz", Greater),
        ("xyz10", "xyz10", Equal),
        ("xyz10", "xyz10.1", Less),
        ("xyz10.1", "xyz10", Greater),
        ("xyz.4", "xyz.4", Equal),
        ("xyz.4", "8", Less),
        ("8", "xyz.4", Greater),
        ("xyz.4", "2", Less),
        ("2", "xyz.4", Greater),
        ("5.5p2", "5.6p1", Less),
        ("5.6p1", "5.5p2", Greater),
        ("5.6p1", "6.5p1", Less),
        ("6.5p1", "5.6p1", Greater),
        ("6.0.rc1", "6.0", Greater),
        ("6.0", "6.0.rc1", Less),
        ("10b2", "10a1", Greater),
        ("10a2", "10b2", Less),
        ("1.0aa", "1.0aa", Equal),
        ("1.0a", "1.0aa", Less),
        ("1.0aa", "1.0a", Greater),
        ("10.0001", "10.0001", Equal),
        ("10.0001", "10.1", Equal),
        ("10.1", "10.0001", Equal),
        ("10.0001", "10.0039", Less),
        ("10.0039", "10.0001", Greater),
        ("4.999.9", "5.0", Less),
        ("5.0", "4.999.9", Greater),
        ("20101121", "20101121", Equal),
        ("20101121", "20101122", Less),
        ("20101122", "20101121", Greater),
        ("2_0", "2_0", Equal),
        ("2.0", "2_0", Equal),
        ("2_0", "2.0", Equal),
        ("a", "a", Equal),
        ("a+", "a+", Equal),
        ("a+", "a_", Equal),
        ("a_", "a+", Equal),
        ("+a", "+a", Equal),
        ("+a", "_a", Equal),
        ("_a", "+a", Equal),
        ("+_", "+_", Equal),
        ("_+", "+_", Equal),
        ("_+", "_", Equal),
        ("+", "_", Equal),
        ("_", "+", Equal),
        ("1.0~rc1", "1.0~rc1", Equal),
        ("1.0~rc1", "1.0", Less),
        ("1.0", "1.0~rc1", Greater),
        ("1.0~rc1", "1.0~rc2", Less),
        ("1.0~rc2", "1.0~rc1", Greater),
        ("1.0~rc1~git123", "1.0~rc1~git123", Equal),
        ("1.0~rc1~git123", "1.0~rc1", Less),
        ("1.0~rc1", "1.0~rc1~git123", Greater),
        ("1.0^", "1.0^", Equal),
        ("1.0^", "1.0", Greater),
        ("1.0", "1.0^", Less),
        ("1.0^git1", "1.0^git1", Equal),
        ("1.0^git1", "1.0", Greater),
        ("1.0", "1.0^git1", Less),
        ("1.0^git1", "1.0^git2", Less),
        ("1.0^git2", "1.0^git1", Greater),
        ("1.0^git1", "1.01", Less),
        ("1.01", "1.0^git1", Greater),
        ("1.0^20160101", "1.0^20160101", Equal),
        ("1.0^20160101", "1.0.1", Less),
        ("1.0.1", "1.0^20160101", Greater),
        ("1.0^20160101^git1", "1.0^20160101^git1", Equal),
        ("1.0^20160102", "1.0^20160101^git1", Greater),
        ("1.0^20160101^git1", "1.0^20160102", Less),
        ("1.0~rc1^git1", "1.0~rc1^git1", Equal),
        ("1.0~rc1^git1", "1.0~rc1", Greater),
        ("1.0~rc1", "1.0~rc1^git1", Less),
        ("1.0^git1~pre", "1.0^git1~pre", Equal),
        ("1.0^git1", "1.0^git1~pre", Greater),
        ("1.0^git1~pre", "1.0^git1", Less),
        // Documented as surprising but what rpm does: segments, not characters.
        ("1b.fc17", "1b.fc17", Equal),
        ("1b.fc17", "1.fc17", Less),
        ("1.fc17", "1b.fc17", Greater),
        ("1g.fc17", "1g.fc17", Equal),
        ("1g.fc17", "1.fc17", Greater),
        ("1.fc17", "1g.fc17", Less),
        // Ties in the segments but different separators are equal.
        ("1.1.α", "1.1.α", Equal),
        ("1.1.α", "1.1", Equal),
    ];

    #[test]
    fn rpmvercmp_test_vectors() {
        for &(a, b, want) in RPMVERCMP {
            assert_eq!(rpmvercmp(a, b), want, "rpmvercmp({a}, {b})");
            if !a.contains(['-', ':']) && !b.contains(['-', ':']) {
                // Also through the parsed type (versions without epoch or release).
                assert_eq!(cmp(a, b), want, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn more_segments() {
        assert_eq!(rpmvercmp("1.0", "1.0."), Equal);
        assert_eq!(rpmvercmp("1.0", "1..0"), Equal);
        assert_eq!(rpmvercmp("1a", "1.a"), Equal);
        assert_eq!(rpmvercmp("1.0a0", "1.0.0"), Less);
        assert_eq!(rpmvercmp("1.0", "1.0a"), Less);
        assert_eq!(rpmvercmp("1.0", "1.0~"), Greater);
        assert_eq!(rpmvercmp("1.0~", "1.0~~"), Greater);
        assert_eq!(rpmvercmp("1.0^", "1.0^^"), Less);
        assert_eq!(rpmvercmp("1.0^", "1.0~"), Greater);
        assert_eq!(rpmvercmp("1.0^", "1.0a"), Less);
        assert_eq!(rpmvercmp("A", "a"), Less);
        assert_eq!(rpmvercmp("Z", "a"), Less);
        assert_eq!(rpmvercmp("", ""), Equal);
        assert_eq!(rpmvercmp("", "~1"), Greater);
        assert_eq!(rpmvercmp("", "."), Equal);
        assert_eq!(
            rpmvercmp(
                "1.123456789012345678901234567890",
                "1.123456789012345678901234567891"
            ),
            Less
        );
        assert_eq!(
            rpmvercmp("1.99999999999999999999999", "1.100000000000000000000000"),
            Less
        );
        assert_eq!(rpmvercmp("1.00000000000000000000000000001", "1.1"), Equal);
    }

    #[test]
    fn evr_order() {
        let cases: &[(&str, &str, Ordering)] = &[
            ("1:0.1", "2.0", Greater),
            ("0:1.0", "1.0", Equal),
            (":1.0", "1.0", Equal),
            ("00:1.0-1", "1.0-1", Equal),
            ("1:1.0", "2:0.1", Less),
            ("10:1", "9:2", Greater),
            (
                "99999999999999999999999:1",
                "99999999999999999999998:2",
                Greater,
            ),
            ("1.0-1", "1.0-2", Less),
            ("1.0-2", "1.0-10", Less),
            ("1.0-1.el8", "1.0-1.el8_6", Less),
            ("1.0-1.el8_6", "1.0-1.el8_10", Less),
            ("1.0-1.el9", "1.0-1.el8", Greater),
            ("1.0-1.fc38", "1.0-1.fc39", Less),
            ("2.0-1", "1.0-99", Greater),
            ("1.0.1-1", "1.0-2", Greater),
            ("1.0~rc1-1", "1.0-1", Less),
            ("1.0-0.1.rc1", "1.0-1", Less),
            ("1.0^20230101git1-1", "1.0-5", Greater),
            ("0:3.4.1-3.el9_2.1", "3.4.1-3.el9_2", Greater),
            ("1.2-3-4", "1.2-3-5", Less),
            // Refinement of rpm's "missing release matches any release".
            ("1.0", "1.0-1", Less),
            ("1.0", "1.0-0", Less),
            ("1.0", "1.0-~1", Greater),
            ("1.0", "1.1-0", Less),
            ("1.1", "1.0-9", Greater),
        ];
        for &(a, b, want) in cases {
            assert_eq!(cmp(a, b), want, "{a} vs {b}");
        }
    }

    #[test]
    fn rpm_cmp_ignores_a_missing_release() {
        let r = |a: &str, b: &str| v(a).rpm_cmp(&v(b));
        assert_eq!(r("1.0", "1.0-1"), Equal);
        assert_eq!(r("1.0-2", "1.0"), Equal);
        assert_eq!(r("1.0-1", "1.0-2"), Less);
        assert_eq!(r("1:1.0", "1.0-1"), Greater);
        assert_eq!(r("1.0", "1.1-1"), Less);
        // Ord agrees with rpm wherever rpm is not indifferent.
        let all = [
            "1.0",
            "1.0-1",
            "1.0-2",
            "1:1.0",
            "1.0~rc1",
            "1.0^git1-1",
            "0.9-9",
        ];
        for a in all {
            for b in all {
                let ours = v(a).cmp(&v(b));
                let rpm = r(a, b);
                if rpm != Equal {
                    assert_eq!(ours, rpm, "{a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn ascending_chain() {
        let chain = [
            "0.9",
            "1.0~alpha",
            "1.0~rc1",
            "1.0~rc1^git1",
            "1.0",
            "1.0-1",
            "1.0-1.el8",
            "1.0-2",
            "1.0^git1",
            "1.0a",
            "1.0.1",
            "1.1",
            "1.10",
            "2",
            "2.0.0-1",
            "1:0.1",
            "2:0",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        let mut shuffled: Vec<RpmVersion> = chain.iter().rev().map(|s| v(s)).collect();
        shuffled.swap(2, 11);
        shuffled.sort();
        let got: Vec<String> = shuffled.iter().map(|v| v.to_string()).collect();
        assert_eq!(got, chain);
    }

    #[test]
    fn parts() {
        let x = v(" 2:1.2.3-4.el9_1 \n");
        assert_eq!(x.epoch(), Some("2"));
        assert_eq!(x.version(), "1.2.3");
        assert_eq!(x.release(), Some("4.el9_1"));
        assert_eq!(x.to_string(), "2:1.2.3-4.el9_1");
        assert_eq!(x.as_str(), "2:1.2.3-4.el9_1");
        let y = v("1.0");
        assert_eq!((y.epoch(), y.version(), y.release()), (None, "1.0", None));
        let z = v("1.2-3-4");
        assert_eq!((z.version(), z.release()), ("1.2-3", Some("4")));
        assert_eq!(v(":1.0").epoch(), None);
    }

    #[test]
    fn rejected() {
        for s in [
            "", " ", "\t", "1.0 1", "1.0\n-1", "a:1.0", "1a:1.0", "-1:1.0", "1.0:1", "1:2:3", "1:",
            ":", "1.0-", "-1", "1:-1", "1.0-1:2", "1\u{0}0",
        ] {
            let e = RpmScheme::parse(s).expect_err(s);
            assert_eq!(e.version, s);
        }
    }

    #[test]
    fn breaking_and_prerelease() {
        let b = |x: &str, y: &str| RpmScheme::is_breaking(&v(x), &v(y));
        assert!(!b("1.2-1", "1.3-1"));
        assert!(!b("1.2-1.el8", "1.2-2.el9"));
        assert!(!b("0:1.2", "1.9"));
        assert!(!b("01.2", "1.9"));
        assert!(b("1.2-1", "2.0-1"));
        assert!(b("1.2", "1:1.2"));
        assert!(b("9.9", "10.0"));
        assert!(b("abc", "1.0"));
        let p = |x: &str| RpmScheme::is_prerelease(&v(x));
        assert!(p("1.0~rc1"));
        assert!(p("1:1.0~rc1-1.fc39"));
        assert!(!p("1.0"));
        assert!(!p("1.0^git1"));
        assert!(!p("1.0-1"));
        assert!(!p("1.0-0.1~beta"));
    }

    #[test]
    fn never_panics_and_orders_consistently() {
        const ALPHABET: &[&str] = &[
            "0",
            "1",
            "9",
            "00",
            "a",
            "Z",
            "~",
            "^",
            ".",
            "-",
            ":",
            "_",
            "\u{e9}",
            "\u{1F600}",
            " ",
            "99999999999999999999999",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1Du64);
        let parsed: Vec<_> = (0..3000)
            .filter_map(|_| RpmScheme::parse(&rng.string(ALPHABET, 6)).ok())
            .collect();
        assert!(parsed.len() > 100);
        assert_total_order(&parsed[..parsed.len().min(200)], &mut rng, 200_000);
    }
}
