//! The apply rule (see the crate documentation): which statement decides a finding, and which
//! statements disagree with it.
//!
//! [`Index`] is built once per scan: statements are grouped by vulnerability id (upper-cased;
//! aliases included), their products parsed once, and superseded statements marked. Deciding a
//! finding then costs a hash look-up per id and a product match per candidate statement.

use crate::Statement;
use crate::product::ProductId;
use ossgate_model::Finding;
use std::collections::HashMap;

/// How a statement reached a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The statement is about the scanned product release (and, when it names subcomponents,
    /// one of them is the finding's component).
    Release,
    /// The statement's product is the finding's component.
    Component,
}

/// The statement that decides a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Index of the winning statement in the slice the index was built from.
    pub winner: usize,
    pub via: Via,
    /// Statements that also apply (not superseded) but give another status.
    pub conflicts: Vec<usize>,
}

/// What is being decided: a vulnerability (its ids) in a component (its purl).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub ids: &'a [&'a str],
    pub purl: &'a str,
}

/// Statements prepared for deciding findings of one scan.
pub struct Index<'s> {
    statements: &'s [Statement],
    products: Vec<ProductId>,
    subs: Vec<Vec<ProductId>>,
    superseded: Vec<bool>,
    for_release: Vec<bool>,
    by_vuln: HashMap<String, Vec<u32>>,
}

fn key(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

impl<'s> Index<'s> {
    /// Prepares `statements` for a scan of the product release `release` (a purl or CPE), if
    /// one is named. The order of `statements` breaks timestamp ties: later wins.
    pub fn new(statements: &'s [Statement], release: Option<&str>) -> Index<'s> {
        let release = release.map(ProductId::parse);
        let products: Vec<ProductId> = statements
            .iter()
            .map(|s| ProductId::parse(&s.product))
            .collect();
        let subs = statements
            .iter()
            .map(|s| {
                s.subcomponents
                    .iter()
                    .map(|x| ProductId::parse(x))
                    .collect()
            })
            .collect();
        let for_release = products
            .iter()
            .map(|p| release.as_ref().is_some_and(|r| p.matches(r)))
            .collect();
        // Supersession: within a source, the newest statement per (vulnerability, product,
        // subcomponents) stands.
        let mut newest: HashMap<(&str, String, &str, Vec<&str>), usize> = HashMap::new();
        let mut superseded = vec![false; statements.len()];
        for (i, s) in statements.iter().enumerate() {
            let mut sub: Vec<&str> = s.subcomponents.iter().map(String::as_str).collect();
            sub.sort_unstable();
            let k = (
                s.source.as_str(),
                key(&s.vulnerability),
                s.product.as_str(),
                sub,
            );
            match newest.get(&k) {
                Some(&j) if statements[j].timestamp > s.timestamp => superseded[i] = true,
                Some(&j) => {
                    superseded[j] = true;
                    newest.insert(k, i);
                }
                None => {
                    newest.insert(k, i);
                }
            }
        }
        let mut by_vuln: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, s) in statements.iter().enumerate() {
            if superseded[i] {
                continue;
            }
            for id in s.ids() {
                let list = by_vuln.entry(key(id)).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Index {
            statements,
            products,
            subs,
            superseded,
            for_release,
            by_vuln,
        }
    }

    /// Whether statement `i` was superseded by a newer one from the same source.
    pub fn is_superseded(&self, i: usize) -> bool {
        self.superseded[i]
    }

    fn applies(&self, i: usize, component: &ProductId) -> Option<Via> {
        let subs = &self.subs[i];
        if self.for_release[i] && (subs.is_empty() || subs.iter().any(|s| s.matches(component))) {
            return Some(Via::Release);
        }
        if subs.is_empty() && self.products[i].matches(component) {
            return Some(Via::Component);
        }
        None
    }

    /// The statement that decides `target`, if any applies.
    pub fn decide(&self, target: Target) -> Option<Decision> {
        let component = ProductId::parse(target.purl);
        let mut cands: Vec<u32> = Vec::new();
        for id in target.ids {
            if let Some(list) = self.by_vuln.get(&key(id)) {
                cands.extend_from_slice(list);
            }
        }
        if cands.is_empty() {
            return None;
        }
        cands.sort_unstable();
        cands.dedup();
        let applying: Vec<(usize, Via)> = cands
            .into_iter()
            .filter_map(|i| {
                self.applies(i as usize, &component)
                    .map(|v| (i as usize, v))
            })
            .collect();
        let &(winner, via) = applying
            .iter()
            .max_by_key(|(i, _)| (self.statements[*i].timestamp, *i))?;
        let status = self.statements[winner].status;
        let conflicts = applying
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| self.statements[*i].status != status)
            .collect();
        Some(Decision {
            winner,
            via,
            conflicts,
        })
    }

    /// [`Index::decide`] for a scan finding (its id, aliases and purl).
    pub fn decide_finding(&self, f: &Finding) -> Option<Decision> {
        let ids: Vec<&str> = std::iter::once(f.id.as_str())
            .chain(f.aliases.iter().map(String::as_str))
            .collect();
        self.decide(Target {
            ids: &ids,
            purl: &f.purl,
        })
    }
}

/// Decides every finding: one entry per finding, in order.
pub fn apply(
    statements: &[Statement],
    release: Option<&str>,
    findings: &[Finding],
) -> Vec<Option<Decision>> {
    let index = Index::new(statements, release);
    findings.iter().map(|f| index.decide_finding(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Justification, Status};

    fn st(vuln: &str, product: &str, status: Status, time: &str, source: &str) -> Statement {
        let mut s = Statement::new(vuln, product, status);
        s.timestamp = Some(time.parse().unwrap());
        s.source = source.into();
        if status == Status::NotAffected {
            s.justification = Some(Justification::VulnerableCodeNotInExecutePath);
        }
        s
    }

    fn decide(index: &Index, ids: &[&str], purl: &str) -> Option<Decision> {
        index.decide(Target { ids, purl })
    }

    #[test]
    fn a_statement_for_1_2_does_not_apply_to_1_3() {
        let s = vec![st(
            "CVE-1",
            "pkg:npm/app@1.2.0",
            Status::NotAffected,
            "2024-01-01T00:00:00Z",
            "store",
        )];
        let at_12 = Index::new(&s, Some("pkg:npm/app@1.2.0"));
        let d = decide(&at_12, &["CVE-1"], "pkg:npm/lib@2.0.0").unwrap();
        assert_eq!((d.winner, d.via), (0, Via::Release));
        let at_13 = Index::new(&s, Some("pkg:npm/app@1.3.0"));
        assert_eq!(decide(&at_13, &["CVE-1"], "pkg:npm/lib@2.0.0"), None);
        let unnamed = Index::new(&s, None);
        assert_eq!(decide(&unnamed, &["CVE-1"], "pkg:npm/lib@2.0.0"), None);
        // A statement on the product without version covers every release.
        let all = vec![st(
            "CVE-1",
            "pkg:npm/app",
            Status::NotAffected,
            "2024-01-01T00:00:00Z",
            "store",
        )];
        assert!(
            decide(
                &Index::new(&all, Some("pkg:npm/app@1.3.0")),
                &["CVE-1"],
                "pkg:npm/lib@2"
            )
            .is_some()
        );
    }

    #[test]
    fn subcomponents_narrow_a_release_statement() {
        let mut s = st(
            "CVE-1",
            "pkg:npm/app@1.2.0",
            Status::NotAffected,
            "2024-01-01T00:00:00Z",
            "f",
        );
        s.subcomponents = vec!["pkg:npm/lib".into()];
        let v = vec![s];
        let i = Index::new(&v, Some("pkg:npm/app@1.2.0"));
        assert!(decide(&i, &["CVE-1"], "pkg:npm/lib@2.0.0").is_some());
        assert_eq!(decide(&i, &["CVE-1"], "pkg:npm/other@2.0.0"), None);
        // Without the release, a subcomponent statement does not apply on its own.
        assert_eq!(
            decide(&Index::new(&v, None), &["CVE-1"], "pkg:npm/lib@2.0.0"),
            None
        );
    }

    #[test]
    fn component_statements_apply_wherever_the_component_is() {
        let v = vec![st(
            "GHSA-aaaa",
            "pkg:npm/lib@2.0.0",
            Status::NotAffected,
            "2024-01-01T00:00:00Z",
            "f",
        )];
        let i = Index::new(&v, Some("pkg:npm/anything@9"));
        let d = decide(&i, &["cve-2", "ghsa-AAAA"], "pkg:npm/lib@2.0.0").unwrap();
        assert_eq!(d.via, Via::Component);
        assert_eq!(decide(&i, &["GHSA-aaaa"], "pkg:npm/lib@2.0.1"), None);
        assert_eq!(decide(&i, &["GHSA-bbbb"], "pkg:npm/lib@2.0.0"), None);
    }

    #[test]
    fn supersession_within_a_source_and_conflicts_across_sources() {
        let v = vec![
            st(
                "CVE-1",
                "pkg:npm/app",
                Status::UnderInvestigation,
                "2024-01-01T00:00:00Z",
                "store",
            ),
            st(
                "CVE-1",
                "pkg:npm/app",
                Status::NotAffected,
                "2024-02-01T00:00:00Z",
                "store",
            ),
            st(
                "CVE-1",
                "pkg:npm/app",
                Status::Affected,
                "2023-06-01T00:00:00Z",
                "upstream.json",
            ),
        ];
        let i = Index::new(&v, Some("pkg:npm/app@1"));
        assert!(i.is_superseded(0));
        assert!(!i.is_superseded(1) && !i.is_superseded(2));
        let d = decide(&i, &["CVE-1"], "pkg:npm/x@1").unwrap();
        assert_eq!(d.winner, 1, "newest wins");
        assert_eq!(
            d.conflicts,
            vec![2],
            "the older upstream statement disagrees"
        );
        // A newer affected statement from upstream wins, and the store's decision is the conflict.
        let mut v2 = v.clone();
        v2[2].timestamp = Some("2024-03-01T00:00:00Z".parse().unwrap());
        let d = decide(
            &Index::new(&v2, Some("pkg:npm/app@1")),
            &["CVE-1"],
            "pkg:npm/x@1",
        )
        .unwrap();
        assert_eq!((d.winner, d.conflicts), (2, vec![1]));
        // Agreeing statements are no conflict; equal times go to the later one.
        let same = vec![
            st(
                "CVE-1",
                "pkg:npm/app",
                Status::Fixed,
                "2024-01-01T00:00:00Z",
                "a",
            ),
            st(
                "CVE-1",
                "pkg:npm/app",
                Status::Fixed,
                "2024-01-01T00:00:00Z",
                "b",
            ),
        ];
        let d = decide(
            &Index::new(&same, Some("pkg:npm/app@1")),
            &["CVE-1"],
            "pkg:npm/x@1",
        )
        .unwrap();
        assert_eq!((d.winner, d.conflicts.len()), (1, 0));
    }
}
