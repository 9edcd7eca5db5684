//! Helpers shared by the schemes' unit tests.

use std::fmt::Display;

/// A fixed-seed xorshift generator, so that a failing case reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Up to `max_pieces` pieces drawn from `alphabet`, concatenated.
    pub fn string(&mut self, alphabet: &[&str], max_pieces: usize) -> String {
        let n = self.below(max_pieces + 1);
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

/// Asserts that `Ord` is a total order on `items` consistent with `Eq`: antisymmetry and
/// equality on every pair, transitivity (both ways) on `triples` random triples, and a sort
/// that leaves the items in order.
pub fn assert_total_order<T: Ord + Display + Clone>(items: &[T], rng: &mut Rng, triples: usize) {
    for a in items {
        for b in items {
            let ab = a.cmp(b);
            assert_eq!(ab, b.cmp(a).reverse(), "antisymmetry: {a} vs {b}");
            assert_eq!(ab.is_eq(), a == b, "Eq agrees with Ord: {a} vs {b}");
        }
    }
    for _ in 0..triples {
        let a = &items[rng.below(items.len())];
        let b = &items[rng.below(items.len())];
        let c = &items[rng.below(items.len())];
        if a <= b && b <= c {
            assert!(a <= c, "transitivity: {a} <= {b} <= {c}");
        }
        if a >= b && b >= c {
            assert!(a >= c, "transitivity: {a} >= {b} >= {c}");
        }
    }
    let mut sorted = items.to_vec();
    sorted.sort();
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
}

/// Asserts that every version of `chain` is below every later one, both ways round, and that
/// none equals another.
pub fn assert_ascending<T: Ord + std::fmt::Debug>(parse: impl Fn(&str) -> T, chain: &[&str]) {
    for (i, a) in chain.iter().enumerate() {
        for b in &chain[i + 1..] {
            let (x, y) = (parse(a), parse(b));
            assert_eq!(x.cmp(&y), std::cmp::Ordering::Less, "{a} < {b}");
            assert_eq!(y.cmp(&x), std::cmp::Ordering::Greater, "{b} > {a}");
            assert_ne!(x, y, "{a} != {b}");
        }
    }
}

/// Asserts that all versions of `group` are equal to each other.
pub fn assert_all_equal<T: Ord + std::fmt::Debug>(parse: impl Fn(&str) -> T, group: &[&str]) {
    for a in group {
        for b in group {
            let (x, y) = (parse(a), parse(b));
            assert_eq!(x.cmp(&y), std::cmp::Ordering::Equal, "{a} = {b}");
            assert_eq!(x, y, "{a} == {b}");
        }
    }
}
