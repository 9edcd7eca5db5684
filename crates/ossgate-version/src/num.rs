//! A non-negative integer of any size, as version numbers are: ordered numerically without ever
//! overflowing. Numbers that fit in a `u64` (nearly all) are kept as one; longer ones as their
//! digits without leading zeros, ordered by length and then by digits.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Num {
    Small(u64),
    /// More than fits in a u64: the digits, without leading zeros.
    Big(Box<str>),
}

impl Num {
    /// Reads a run of ASCII digits (leading zeros allowed). `None` if `digits` is empty or holds
    /// anything but digits.
    pub fn parse(digits: &str) -> Option<Num> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(match digits.parse::<u64>() {
            Ok(n) => Num::Small(n),
            Err(_) => {
                let trimmed = digits.trim_start_matches('0');
                Num::Big(trimmed.into())
            }
        })
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Num::Small(0))
    }

    pub const ZERO: Num = Num::Small(0);
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Small(n) => write!(f, "{n}"),
            Num::Big(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_any_size() {
        let n = |s| Num::parse(s).unwrap();
        assert!(n("9") < n("10"));
        assert!(n("18446744073709551615") < n("18446744073709551616"));
        assert!(n("999999999999999999999999999991") < n("999999999999999999999999999999"));
        assert_eq!(n("0000000000000000000000000012"), n("12"));
        assert_eq!(n("000000000000000000000000000000000000"), Num::ZERO);
        assert!(Num::parse("").is_none() && Num::parse("1a").is_none());
        assert_eq!(
            n("0099999999999999999999").to_string(),
            "99999999999999999999"
        );
    }
}
