//! The release-to-release change report: which components were added, removed, or moved to
//! another version between two inventories (two SBOMs, two project trees, or one of each).
//!
//! Components are matched by ecosystem and name as the ecosystem compares names (PEP 503 for
//! PyPI, case-insensitive for NuGet, ...). A name present at several versions on one side (npm
//! trees often hold several) is compared as a set: versions only on the old side and only on
//! the new side make one `changed` entry when the name is on both sides.

use ossgate_model::{Component, Ecosystem};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One component on one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    pub purl: String,
}

/// A name present on both sides whose versions differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub ecosystem: String,
    pub name: String,
    /// Versions only in the old inventory.
    pub from: Vec<String>,
    /// Versions only in the new inventory.
    pub to: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub changed: Vec<Change>,
    /// Components identical on both sides.
    pub unchanged: usize,
}

type Key = (String, String);

fn index(components: &[Component]) -> BTreeMap<Key, BTreeMap<String, &Component>> {
    let mut m: BTreeMap<Key, BTreeMap<String, &Component>> = BTreeMap::new();
    for c in components {
        let key = (
            c.ecosystem.as_str().to_string(),
            c.ecosystem.normalize_name(&c.name),
        );
        m.entry(key).or_default().insert(c.version.clone(), c);
    }
    m
}

fn entry(c: &Component) -> Entry {
    Entry {
        ecosystem: c.ecosystem.as_str().to_string(),
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &[Component], new: &[Component]) -> Diff {
    let (a, b) = (index(old), index(new));
    let keys: BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
    let mut d = Diff::default();
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some(va), None) => d.removed.extend(va.values().map(|c| entry(c))),
            (None, Some(vb)) => d.added.extend(vb.values().map(|c| entry(c))),
            (Some(va), Some(vb)) => {
                let from: Vec<String> = va
                    .keys()
                    .filter(|v| !vb.contains_key(*v))
                    .cloned()
                    .collect();
                let to: Vec<String> = vb
                    .keys()
                    .filter(|v| !va.contains_key(*v))
                    .cloned()
                    .collect();
                d.unchanged += va.keys().filter(|v| vb.contains_key(*v)).count();
                if !from.is_empty() || !to.is_empty() {
                    let name = vb
                        .values()
                        .next()
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| key.1.clone());
                    d.changed.push(Change {
                        ecosystem: key.0.clone(),
                        name,
                        from: sorted(from, &key.0),
                        to: sorted(to, &key.0),
                    });
                }
            }
            (None, None) => {}
        }
    }
    d
}

/// Versions in the ecosystem's order where ossgate knows it, else as text.
fn sorted(mut v: Vec<String>, ecosystem: &str) -> Vec<String> {
    match ossgate_version::for_ecosystem(&Ecosystem::parse(ecosystem)) {
        Some(kind) => ossgate_version::sort_versions(kind, &mut v),
        None => v.sort(),
    }
    v
}

impl Diff {
    /// A plain-text report: one line per change, then a summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.changed {
            out.push_str(&format!(
                "~ {} ({}) {} -> {}\n",
                c.name,
                c.ecosystem,
                c.from.join(", "),
                c.to.join(", ")
            ));
        }
        for e in &self.added {
            out.push_str(&format!("+ {} ({}) {}\n", e.name, e.ecosystem, e.version));
        }
        for e in &self.removed {
            out.push_str(&format!("- {} ({}) {}\n", e.name, e.ecosystem, e.version));
        }
        out.push_str(&format!(
            "{} added, {} removed, {} changed, {} unchanged\n",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.unchanged
        ));
        out
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(eco: Ecosystem, name: &str, version: &str) -> Component {
        Component::new(eco, name, version)
    }

    #[test]
    fn added_removed_changed() {
        let old = [
            c(Ecosystem::Npm, "a", "1.0.0"),
            c(Ecosystem::Npm, "b", "2.0.0"),
            c(Ecosystem::PyPI, "Django", "4.2.0"),
            c(Ecosystem::Npm, "multi", "1.0.0"),
            c(Ecosystem::Npm, "multi", "2.0.0"),
        ];
        let new = [
            c(Ecosystem::Npm, "a", "1.0.0"),
            c(Ecosystem::Npm, "c", "3.0.0"),
            c(Ecosystem::PyPI, "django", "5.0.1"),
            c(Ecosystem::Npm, "multi", "2.0.0"),
            c(Ecosystem::Npm, "multi", "10.0.0"),
        ];
        let d = diff(&old, &new);
        assert_eq!(
            d.added.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
        assert_eq!(
            d.removed
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>(),
            ["b"]
        );
        let changed: Vec<(&str, Vec<String>, Vec<String>)> = d
            .changed
            .iter()
            .map(|c| (c.name.as_str(), c.from.clone(), c.to.clone()))
            .collect();
        assert_eq!(
            changed,
            [
                ("django", vec!["4.2.0".into()], vec!["5.0.1".into()]),
                ("multi", vec!["1.0.0".into()], vec!["10.0.0".into()]),
            ]
        );
        assert_eq!(d.unchanged, 2);
        assert!(
            d.text()
                .ends_with("1 added, 1 removed, 2 changed, 2 unchanged\n")
        );
        assert!(diff(&old, &old).is_empty());
    }
}
