//! Matching an inventory against the store: index look-ups per package, OSV range evaluation
//! per component, aliases merged into one finding per vulnerability and component.

use crate::record::{Header, severity_of};
use ossgate_model::osv::{Affected, Event, RangeType};
use ossgate_model::{Component, Finding, Kev, Severity};
use ossgate_store::{AdvisoryStore, Candidate, StoreError};
use ossgate_version::{Decision, SchemeKind, dispatch, evaluate_with, for_ecosystem};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// An advisory that names a component's package but could not be evaluated for its version.
#[derive(Debug, Clone, Serialize)]
pub struct Unevaluated {
    pub id: String,
    pub purl: String,
    pub reason: String,
}

/// The result of matching.
#[derive(Debug, Default)]
pub struct Matches {
    pub findings: Vec<Finding>,
    pub unevaluated: Vec<Unevaluated>,
}

/// One record matched for one component, with all of its entries for the package.
struct Hit {
    header: Rc<Header>,
    entries: Vec<Rc<Affected>>,
    why: String,
    severity: Severity,
}

/// Matches every component against the store.
pub fn match_components(
    store: &dyn AdvisoryStore,
    components: &[Component],
) -> Result<Matches, StoreError> {
    let mut out = Matches::default();
    // Components grouped by package, so each package is looked up once.
    let mut by_package: BTreeMap<(&str, Cow<str>), Vec<&Component>> = BTreeMap::new();
    for c in components {
        by_package
            .entry((c.ecosystem.as_str(), c.ecosystem.normalized(&c.name)))
            .or_default()
            .push(c);
    }
    let mut headers: HashMap<String, Rc<Header>> = HashMap::new();
    let mut kev_cache: HashMap<String, Option<Kev>> = HashMap::new();

    // One query per ecosystem for all of its packages: one read snapshot, one index walk.
    let mut by_eco: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (eco, name) in by_package.keys() {
        by_eco.entry(eco).or_default().push(name.as_ref());
    }
    let mut rows_by_package: HashMap<&str, HashMap<String, Vec<Candidate>>> = HashMap::new();
    for (eco, names) in by_eco {
        let rows = rows_by_package.entry(eco).or_default();
        for (name, row) in store.candidates_many(eco, &names)? {
            rows.entry(name).or_default().push(row);
        }
    }

    for ((eco, name), comps) in by_package {
        let Some(rows) = rows_by_package
            .get_mut(eco)
            .and_then(|m| m.remove(name.as_ref()))
        else {
            continue;
        };
        // (advisory id, parsed entries) in store order.
        let mut records: Vec<(Rc<Header>, Vec<Rc<Affected>>)> = Vec::new();
        for row in rows {
            let header = match headers.get(&row.advisory_id) {
                Some(h) => h.clone(),
                None => {
                    let Ok(h) = serde_json::from_str::<Header>(&row.header) else {
                        continue;
                    };
                    let h = Rc::new(h);
                    headers.insert(row.advisory_id.clone(), h.clone());
                    h
                }
            };
            let Ok(entry) = serde_json::from_str::<Affected>(&row.entry) else {
                continue;
            };
            match records.last_mut() {
                Some((h, entries)) if h.id == header.id => entries.push(Rc::new(entry)),
                _ => records.push((header, vec![Rc::new(entry)])),
            }
        }

        for comp in comps {
            let kind = for_ecosystem(&comp.ecosystem);
            let mut hits: Vec<Hit> = Vec::new();
            for (header, entries) in &records {
                let mut decided: Option<(String, Severity)> = None;
                let mut cannot: Option<String> = None;
                for e in entries {
                    match evaluate_with(kind, &comp.ecosystem, e, &comp.version) {
                        Decision::Affected(why) => {
                            decided = Some((why, severity_of(header, &e.severity)));
                            break;
                        }
                        Decision::CannotEvaluate(r) => cannot = Some(r),
                        Decision::NotAffected => {}
                    }
                }
                match (decided, cannot) {
                    (Some((why, severity)), _) => hits.push(Hit {
                        header: header.clone(),
                        entries: entries.clone(),
                        why,
                        severity,
                    }),
                    (None, Some(reason)) => out.unevaluated.push(Unevaluated {
                        id: header.id.clone(),
                        purl: comp.purl.clone(),
                        reason,
                    }),
                    (None, None) => {}
                }
            }
            for group in merge_aliases(hits) {
                out.findings
                    .push(finding(store, comp, kind, group, &mut kev_cache)?);
            }
        }
    }
    // Vulnerabilities first, worst first; informational advisories after them.
    out.findings.sort_by(|a, b| {
        a.informational
            .is_some()
            .cmp(&b.informational.is_some())
            .then_with(|| b.severity.rank().cmp(&a.severity.rank()))
            .then_with(|| a.purl.cmp(&b.purl))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}

/// Groups hits whose ids and aliases overlap (transitively).
fn merge_aliases(hits: Vec<Hit>) -> Vec<Vec<Hit>> {
    let n = hits.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, h) in hits.iter().enumerate() {
        for name in std::iter::once(&h.header.id).chain(h.header.aliases.iter()) {
            match owner.get(name.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(name.as_str(), i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<Hit>> = BTreeMap::new();
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    for (h, root) in hits.into_iter().zip(roots) {
        groups.entry(root).or_default().push(h);
    }
    groups.into_values().collect()
}

/// Which id stands for a group: the ecosystem's own database first (RUSTSEC, PYSEC, GO, ...),
/// then GHSA, then anything else, CVE last; ties by id.
fn id_rank(id: &str) -> (u8, &str) {
    let r = if id.starts_with("CVE-") {
        3
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("x_") || id.starts_with("OSV-") {
        2
    } else {
        0
    };
    (r, id)
}

fn finding(
    store: &dyn AdvisoryStore,
    comp: &Component,
    kind: Option<SchemeKind>,
    mut group: Vec<Hit>,
    kev_cache: &mut HashMap<String, Option<Kev>>,
) -> Result<Finding, StoreError> {
    group.sort_by(|a, b| id_rank(&a.header.id).cmp(&id_rank(&b.header.id)));
    let primary = &group[0];
    let id = primary.header.id.clone();
    let records: Vec<String> = group.iter().map(|h| h.header.id.clone()).collect();
    let mut all_ids: BTreeSet<String> = BTreeSet::new();
    for h in &group {
        all_ids.insert(h.header.id.clone());
        all_ids.extend(h.header.aliases.iter().cloned());
    }
    all_ids.remove(&id);

    let severity = group
        .iter()
        .map(|h| h.severity.clone())
        .max_by_key(|s| s.rank())
        .unwrap_or_else(Severity::unknown);

    let mut kev = None;
    for cve in std::iter::once(&id)
        .chain(all_ids.iter())
        .filter(|i| i.starts_with("CVE-"))
    {
        let entry = match kev_cache.get(cve) {
            Some(k) => k.clone(),
            None => {
                let k = store.kev(cve)?.map(|r| Kev {
                    cve: r.cve,
                    date_added: r.date_added,
                    due_date: r.due_date,
                    known_ransomware_campaign_use: r.ransomware,
                });
                kev_cache.insert(cve.clone(), k.clone());
                k
            }
        };
        if entry.is_some() {
            kev = entry;
            break;
        }
    }

    let entries: Vec<&Affected> = group
        .iter()
        .flat_map(|h| h.entries.iter().map(|e| e.as_ref()))
        .collect();
    let mut fixed_versions: Vec<String> = entries
        .iter()
        .flat_map(|e| e.ranges.iter())
        .filter(|r| matches!(r.kind, RangeType::Semver | RangeType::Ecosystem))
        .flat_map(|r| r.events.iter())
        .filter_map(|ev| match ev {
            Event::Fixed(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    fixed_versions.sort();
    fixed_versions.dedup();
    let (upgrade_to, breaking_upgrade) = match kind {
        Some(kind) => {
            ossgate_version::sort_versions(kind, &mut fixed_versions);
            upgrade(kind, comp, &entries, &fixed_versions)
        }
        None => (None, None),
    };

    Ok(Finding {
        id,
        aliases: all_ids.into_iter().collect(),
        records,
        summary: group.iter().find_map(|h| h.header.summary.clone()),
        purl: comp.purl.clone(),
        ecosystem: comp.ecosystem.clone(),
        name: comp.name.clone(),
        version: comp.version.clone(),
        severity,
        kev,
        fixed_versions,
        upgrade_to,
        breaking_upgrade,
        informational: group.iter().find_map(|h| h.header.informational.clone()),
        direct: comp.direct,
        scope: comp.scope,
        sources: comp.locations.clone(),
        matched_by: format!("{}: {}", primary.header.id, primary.why),
    })
}

/// The nearest fixed version above the installed one that no entry of the group affects, and
/// whether moving to it crosses a major version. A release is preferred over a pre-release:
/// a pre-release is offered only when no release fixes the vulnerability.
fn upgrade(
    kind: SchemeKind,
    comp: &Component,
    entries: &[&Affected],
    fixed_sorted: &[String],
) -> (Option<String>, Option<bool>) {
    dispatch!(kind, S => {
        use ossgate_version::Scheme;
        let Ok(installed) = S::parse(&comp.version) else { return (None, None) };
        let mut prerelease: Option<(String, bool)> = None;
        for candidate in fixed_sorted {
            let Ok(cv) = S::parse(candidate) else { continue };
            if cv <= installed {
                continue;
            }
            let still_affected = entries.iter().any(|e| {
                evaluate_with(Some(kind), &comp.ecosystem, e, candidate).is_affected()
            });
            if still_affected {
                continue;
            }
            let breaking = S::is_breaking(&installed, &cv);
            if !S::is_prerelease(&cv) {
                return (Some(candidate.clone()), Some(breaking));
            }
            if prerelease.is_none() {
                prerelease = Some((candidate.clone(), breaking));
            }
        }
        match prerelease {
            Some((v, b)) => (Some(v), Some(b)),
            None => (None, None),
        }
    })
}
