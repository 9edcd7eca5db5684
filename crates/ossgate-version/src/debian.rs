//! Debian and Ubuntu package versions, ordered exactly as `dpkg --compare-versions` orders
//! them (deb-version(7)).
//!
//! Syntax: `[epoch:]upstream_version[-debian_revision]`. The epoch is everything before the
//! first colon and must be a number (default 0); the revision is everything after the *last*
//! hyphen; an absent revision compares like an empty one (so `1.0` equals `1.0-0`).
//!
//! Upstream version and revision are compared with the same algorithm: alternate runs of
//! non-digits and digits. Non-digit runs are compared character by character with `~`
//! sorting before everything (even the end of the string), then the end of the run, then
//! letters, then every other character; digit runs are compared numerically, at any size
//! (digit strings without their leading zeros, by length, then byte by byte).
//!
//! Acceptance follows dpkg's parser: what dpkg rejects with an error is an error here (empty
//! version, embedded whitespace, an empty, non-numeric, negative or too big epoch, nothing
//! after the epoch's colon, an empty upstream version or revision). What dpkg only warns about
//! is accepted, as dpkg accepts it: an upstream version not starting with a digit, and
//! characters outside the allowed set. Such characters order as dpkg on amd64 orders them:
//! ASCII non-letters after letters by code, and bytes of non-ASCII characters by their value
//! (between the letters and the ASCII non-letters, as dpkg's signed `char` puts them).
//!
//! The parsed value keeps the trimmed text and the positions of its parts; comparison works
//! on the string slices, without allocating.

use crate::{Scheme, VersionError};
use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

/// The Debian ordering (Debian, Ubuntu and other dpkg-based distributions).
pub struct DebianScheme;

/// A parsed Debian version; displays as given (trimmed).
#[derive(Clone, Debug)]
pub struct DebianVersion {
    text: Box<str>,
    epoch: u32,
    upstream: Range<usize>,
    revision: Option<Range<usize>>,
}

/// dpkg's `c_isspace`: the C locale's white-space characters.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// dpkg rejects an epoch greater than `INT_MAX`.
const MAX_EPOCH: u64 = i32::MAX as u64;

impl DebianVersion {
    /// Parses a version as dpkg does; see the module documentation for what is rejected.
    pub fn parse(input: &str) -> Result<DebianVersion, VersionError> {
        let s = input.trim_matches(is_c_space);
        if s.is_empty() {
            return Err(VersionError::new(input, "version string is empty"));
        }
        if s.contains(is_c_space) {
            return Err(VersionError::new(
                input,
                "version string has embedded spaces",
            ));
        }
        let (epoch, rest_start) = match s.find(':') {
            Some(colon) => (parse_epoch(&s[..colon], input)?, colon + 1),
            None => (0, 0),
        };
        let rest = &s[rest_start..];
        if rest.is_empty() {
            return Err(VersionError::new(
                input,
                "nothing after colon in version number",
            ));
        }
        let (upstream, revision) = match rest.rfind('-') {
            Some(hyphen) => {
                if hyphen + 1 == rest.len() {
                    return Err(VersionError::new(input, "revision number is empty"));
                }
                (
                    rest_start..rest_start + hyphen,
                    Some(rest_start + hyphen + 1..s.len()),
                )
            }
            None => (rest_start..s.len(), None),
        };
        if upstream.is_empty() {
            return Err(VersionError::new(input, "version number is empty"));
        }
        Ok(DebianVersion {
            text: s.into(),
            epoch,
            upstream,
            revision,
        })
    }

    /// The epoch (0 when absent).
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The upstream version: between the epoch's colon and the last hyphen.
    pub fn upstream(&self) -> &str {
        &self.text[self.upstream.clone()]
    }

    /// The Debian revision (after the last hyphen), when there is one.
    pub fn revision(&self) -> Option<&str> {
        self.revision.clone().map(|r| &self.text[r])
    }

    /// The version as given, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// An epoch as dpkg reads it with `strtol`: an optional sign, then digits; at most `INT_MAX`.
fn parse_epoch(e: &str, input: &str) -> Result<u32, VersionError> {
    if e.is_empty() {
        return Err(VersionError::new(input, "epoch in version is empty"));
    }
    let (negative, digits) = match e.as_bytes()[0] {
        b'+' => (false, &e[1..]),
        b'-' => (true, &e[1..]),
        _ => (false, e),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VersionError::new(input, "epoch in version is not number"));
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 10 {
        return Err(VersionError::new(input, "epoch in version is too big"));
    }
    // At most ten digits: fits in a u64.
    let value = significant
        .bytes()
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    if negative && value != 0 {
        return Err(VersionError::new(input, "epoch in version is negative"));
    }
    if value > MAX_EPOCH {
        return Err(VersionError::new(input, "epoch in version is too big"));
    }
    Ok(value as u32)
}

/// The weight of a character in a non-digit run; `None` is a digit or the end of the string.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        // dpkg reads bytes as (signed, on amd64) `char` and adds 256: bytes of non-ASCII
        // characters end up between the letters and the ASCII non-letters.
        Some(c) if c >= 0x80 => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// The non-digit byte at `i`, if any.
fn non_digit(s: &[u8], i: usize) -> Option<u8> {
    s.get(i).copied().filter(|c| !c.is_ascii_digit())
}

/// The digit run starting at `i`, without its leading zeros, and the index after it.
fn digit_run(s: &[u8], mut i: usize) -> (&[u8], usize) {
    while s.get(i) == Some(&b'0') {
        i += 1;
    }
    let start = i;
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    (&s[start..i], i)
}

/// Compares two digit strings without leading zeros numerically.
fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// dpkg's comparison of two upstream versions or two revisions.
pub fn compare_part(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        loop {
            let (ca, cb) = (non_digit(a, i), non_digit(b, j));
            if ca.is_none() && cb.is_none() {
                break;
            }
            let (wa, wb) = (weight(ca), weight(cb));
            if wa != wb {
                return wa.cmp(&wb);
            }
            // Equal non-zero weights: both sides are at a non-digit.
            i += 1;
            j += 1;
        }
        let (da, next_i) = digit_run(a, i);
        let (db, next_j) = digit_run(b, j);
        match cmp_digits(da, db) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        i = next_i;
        j = next_j;
    }
    Ordering::Equal
}

impl Ord for DebianVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| compare_part(self.upstream(), other.upstream()))
            .then_with(|| {
                compare_part(
                    self.revision().unwrap_or(""),
                    other.revision().unwrap_or(""),
                )
            })
    }
}

impl PartialOrd for DebianVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DebianVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DebianVersion {}

impl fmt::Display for DebianVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first digit run of an upstream version, without leading zeros (`None` if it has none).
fn first_number(upstream: &str) -> Option<&[u8]> {
    let b = upstream.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    Some(digit_run(b, start).0)
}

impl Scheme for DebianScheme {
    type V = DebianVersion;

    fn parse(s: &str) -> Result<Self::V, VersionError> {
        DebianVersion::parse(s)
    }

    /// A change of epoch or of the first number of the upstream version.
    fn is_breaking(from: &Self::V, to: &Self::V) -> bool {
        from.epoch != to.epoch || first_number(from.upstream()) != first_number(to.upstream())
    }

    /// A `~` in the upstream version (`1.0~rc1-1`). A `~` only in the revision
    /// (`1.0-1~deb12u1`, `1.0-1~bpo12+1`) marks a rebuild for an older distribution, not a
    /// pre-release of the software.
    fn is_prerelease(v: &Self::V) -> bool {
        v.upstream().contains('~')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Rng, assert_total_order};

    fn v(s: &str) -> DebianVersion {
        DebianScheme::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn cmp(a: &str, b: &str) -> Ordering {
        let (va, vb) = (v(a), v(b));
        let o = va.cmp(&vb);
        assert_eq!(vb.cmp(&va), o.reverse(), "antisymmetry of {a} and {b}");
        assert_eq!(
            va == vb,
            o == Ordering::Equal,
            "Eq agrees with Ord for {a} and {b}"
        );
        o
    }

    /// Checked against `dpkg --compare-versions` 1.21 on amd64.
    const CASES: &[(&str, &str, Ordering)] = {
        use Ordering::*;
        &[
            ("1.0~rc1", "1.0", Less),
            ("1.0", "1.0+b1", Less),
            ("1:0.1", "2.0", Greater),
            ("1.0", "1.0", Equal),
            ("1.0", "1.00", Equal),
            ("1.0", "1.0-0", Equal),
            ("0:1.0", "1.0", Equal),
            ("00:1.0", "0:1.0", Equal),
            ("1.0", "1.0-1", Less),
            ("1.0-1", "1.0-2", Less),
            ("1.0-2", "1.0-10", Less),
            ("1.2", "1.10", Less),
            ("1.0a", "1.0", Greater),
            ("1.0", "1.0.", Less),
            ("1.0.", "1.0a", Greater),
            ("1.0+", "1.0a", Greater),
            ("1.0", "1.a", Less),
            ("a", "1", Greater),
            ("1.0~", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~~a", "1.0~~", Greater),
            ("1.0~~a", "1.0~", Less),
            ("1.0~rc1", "1.0~rc2", Less),
            ("1.0~rc1", "1.0~beta", Greater),
            ("1.0~rc1-1", "1.0-1", Less),
            ("1.0-1~bpo1", "1.0-1", Less),
            ("1.0-1", "1.0-1+deb12u1", Less),
            ("1.0-1~deb11u1", "1.0-1+deb11u1", Less),
            ("2.30-1ubuntu1", "2.30-1ubuntu2", Less),
            ("2.30-1ubuntu1", "2.30-1", Greater),
            ("2.30-1ubuntu1.1", "2.30-1ubuntu1", Greater),
            ("1.2.3-1", "1.2.3-1build1", Less),
            ("7.88.1-10+deb12u5", "7.88.1-10+deb12u12", Less),
            ("1:2.0", "1:10.0", Less),
            ("1:1.0", "2:0.1", Less),
            ("1:1.0", "99999", Greater),
            ("2147483647:1", "1", Greater),
            ("1.0-2-3", "1.0-2-4", Less),
            ("1.0-2-3", "1.0-3", Greater),
            ("1:2:3", "1:2:3-0", Equal),
            ("1:2:3", "1:2:4", Less),
            ("1.0.0", "1.0", Greater),
            ("1..0", "1.0", Greater),
            ("1-1", "1-1~", Greater),
            ("1.0a", "1.0b", Less),
            ("1.0B", "1.0a", Less),
            ("1.0Z", "1.0.", Less),
            ("1.0+dfsg", "1.0", Greater),
            ("1.0+dfsg-1", "1.0-1", Greater),
            ("1.0+dfsg-1", "1.0.1-1", Less),
            ("0:1.0:1", "1.0.1", Greater),
            ("9", "10", Less),
            ("00010", "9", Greater),
            ("0010", "10", Equal),
            (
                "1.123456789012345678901234567890",
                "1.123456789012345678901234567891",
                Less,
            ),
            (
                "1.99999999999999999999999999",
                "1.100000000000000000000000000",
                Less,
            ),
            ("1.000000000000000000000000000001", "1.1", Equal),
            ("1.2~rc1+git20200101", "1.2~rc1", Greater),
            ("1.2~rc1+git20200101", "1.2", Less),
        ]
    };

    #[test]
    fn known_orderings() {
        for &(a, b, want) in CASES {
            assert_eq!(cmp(a, b), want, "{a} vs {b}");
        }
    }

    #[test]
    fn ascending_chain() {
        let chain = [
            "~~~1",
            "~~",
            "~~a",
            "~",
            "0",
            "0.0~rc1",
            "0.0",
            "0.0a",
            "0.0+",
            "0.0.0",
            "0.1~~",
            "0.1~",
            "0.1",
            "0.1-0.1",
            "0.1-1~bpo",
            "0.1-1",
            "0.1-1+b1",
            "0.1-1.1",
            "0.1a",
            "0.1.1",
            "0.2",
            "0.10",
            "1.0~alpha",
            "1.0~beta",
            "1.0~rc1",
            "1.0",
            "1.0-1",
            "1.0+b1",
            "1.0.1",
            "2",
            "10",
            "1:0",
            "1:0.1",
            "2:0",
            "10:0",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(w[0], w[1]), Ordering::Less, "{} < {}", w[0], w[1]);
        }
        let mut shuffled: Vec<DebianVersion> = chain.iter().rev().map(|s| v(s)).collect();
        shuffled.swap(3, 17);
        shuffled.sort();
        let got: Vec<String> = shuffled.iter().map(|v| v.to_string()).collect();
        assert_eq!(got, chain);
    }

    #[test]
    fn non_ascii_characters_order_as_on_amd64() {
        // dpkg warns about them but compares them: after letters, before ASCII non-letters.
        assert_eq!(cmp("1.z", "1.\u{e9}"), Ordering::Less);
        assert_eq!(cmp("1.\u{e9}", "1.+"), Ordering::Less);
        assert_eq!(cmp("1.\u{e9}", "1.\u{e9}"), Ordering::Equal);
    }

    #[test]
    fn parts() {
        let x = v("  2:1.2-3-ubuntu4 \n");
        assert_eq!(x.epoch(), 2);
        assert_eq!(x.upstream(), "1.2-3");
        assert_eq!(x.revision(), Some("ubuntu4"));
        assert_eq!(x.to_string(), "2:1.2-3-ubuntu4");
        assert_eq!(x.as_str(), "2:1.2-3-ubuntu4");
        let y = v("1.0");
        assert_eq!((y.epoch(), y.upstream(), y.revision()), (0, "1.0", None));
        let z = v("1:2:3");
        assert_eq!((z.epoch(), z.upstream(), z.revision()), (1, "2:3", None));
        assert_eq!(v("+1:1.0").epoch(), 1);
        assert_eq!(v("-0:1.0").epoch(), 0);
        assert_eq!(v("2147483647:1").epoch(), 2147483647);
    }

    #[test]
    fn accepted_with_dpkg_warnings() {
        for s in [
            "a", "abc1.0", "1.0_a", "1.0@", "~1", "1.\u{e9}", "1:1:1:1", "1:a-b-c",
        ] {
            assert!(DebianScheme::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn rejected() {
        for s in [
            "",
            "   ",
            "\t\n",
            "1.0 1",
            "1.0\t-1",
            ":1.0",
            "a:1.0",
            "1.0:1.0",
            "1a:1.0",
            "-1:1.0",
            "+:1.0",
            "1:",
            "1.0-",
            "-1",
            "1:-1",
            "2147483648:1",
            "99999999999999999999999:1",
            "1:1.0-",
        ] {
            let e = DebianScheme::parse(s).expect_err(s);
            assert_eq!(e.version, s);
        }
    }

    #[test]
    fn breaking_and_prerelease() {
        let b = |x: &str, y: &str| DebianScheme::is_breaking(&v(x), &v(y));
        assert!(!b("1.2-1", "1.3-1"));
        assert!(!b("1.2-1", "1.2-2"));
        assert!(!b("1.2", "01.5"));
        assert!(b("1.2-1", "2.0-1"));
        assert!(b("1.2", "1:1.2"));
        assert!(b("9.9", "10.0"));
        assert!(!b("0:1.0", "1.5"));
        assert!(b("abc", "1.0"));
        assert!(!b("abc", "def"));
        let p = |x: &str| DebianScheme::is_prerelease(&v(x));
        assert!(p("1.0~rc1"));
        assert!(p("1.0~rc1-1"));
        assert!(p("1:1.0~beta2-0ubuntu1"));
        assert!(!p("1.0"));
        assert!(!p("1.0-1"));
        assert!(!p("1.0-1~deb12u1"));
        assert!(!p("1.0+git20200101-1"));
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
            "+",
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
            .filter_map(|_| DebianScheme::parse(&rng.string(ALPHABET, 6)).ok())
            .collect();
        assert!(parsed.len() > 100);
        assert_total_order(&parsed[..parsed.len().min(200)], &mut rng, 200_000);
    }

    /// Cross-checks random versions against the system's `dpkg`, when there is one:
    /// `cargo test -p ossgate-version --lib debian:: -- --ignored`.
    #[test]
    #[ignore = "needs dpkg"]
    fn agrees_with_system_dpkg() {
        use std::process::Command;
        if Command::new("dpkg").arg("--version").output().is_err() {
            return;
        }
        const ALPHABET: &[&str] = &["0", "1", "2", "10", "a", "b", "Z", "~", "+", ".", "-"];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut gen_version = || {
            let len = 1 + (next() % 6) as usize;
            let mut s: String = if next() % 4 == 0 {
                "1:".into()
            } else {
                String::new()
            };
            s.push_str(["1", "2", "0"][(next() % 3) as usize]);
            for _ in 0..len {
                s.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            s
        };
        let mut checked = 0;
        while checked < 300 {
            let (a, b) = (gen_version(), gen_version());
            let (Ok(va), Ok(vb)) = (DebianScheme::parse(&a), DebianScheme::parse(&b)) else {
                continue;
            };
            let ours = va.cmp(&vb);
            for (op, want) in [
                ("lt", ours == Ordering::Less),
                ("eq", ours == Ordering::Equal),
                ("gt", ours == Ordering::Greater),
            ] {
                let status = Command::new("dpkg")
                    .args(["--compare-versions", &a, op, &b])
                    .stderr(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert_eq!(
                    status.success(),
                    want,
                    "dpkg --compare-versions {a} {op} {b}"
                );
            }
            checked += 1;
        }
    }
}
