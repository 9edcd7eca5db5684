//! Health beyond Scorecard, from history and files: release cadence and time since the last
//! release (tags), bus factor (the fewest authors covering half of the last year's commits),
//! active maintainers in the last 90 and 365 days, the share of commits from the largest
//! organisation (e-mail domains), governance files, a disclosure contact in SECURITY.md and an
//! OpenSSF Best Practices badge reference in the README.

use crate::checks::history::organisation;
use crate::git::History;
use crate::tree::{Tree, file_name};
use serde::Serialize;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Health {
    pub commits: usize,
    pub shallow: bool,
    pub releases: usize,
    pub days_since_last_release: Option<i64>,
    /// Median days between consecutive releases.
    pub release_cadence_days: Option<f64>,
    pub bus_factor: usize,
    pub active_maintainers_90d: usize,
    pub active_maintainers_365d: usize,
    pub largest_org: Option<String>,
    pub largest_org_share: Option<f64>,
    pub governance: Governance,
    pub best_practices_badge: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Governance {
    pub codeowners: Option<String>,
    pub governance: Option<String>,
    pub maintainers: Option<String>,
    pub security_policy: Option<String>,
    pub security_contact: bool,
}

pub fn compute(h: &History, tree: &Tree, now: i64) -> Health {
    let mut out = Health {
        commits: h.commits.len(),
        shallow: h.shallow,
        releases: h.tags.len(),
        ..Health::default()
    };
    let mut times: Vec<i64> = h.tags.iter().filter_map(|t| t.time).collect();
    times.sort_unstable();
    if let Some(last) = times.last() {
        out.days_since_last_release = Some((now - last).max(0) / DAY);
    }
    if times.len() >= 2 {
        let mut gaps: Vec<f64> = times
            .windows(2)
            .map(|w| (w[1] - w[0]) as f64 / DAY as f64)
            .collect();
        gaps.sort_by(|a, b| a.total_cmp(b));
        let m = gaps.len() / 2;
        out.release_cadence_days = Some(if gaps.len() % 2 == 1 {
            gaps[m]
        } else {
            (gaps[m - 1] + gaps[m]) / 2.0
        });
    }
    let year: Vec<_> = h
        .commits
        .iter()
        .filter(|c| c.time >= now - 365 * DAY && c.time <= now)
        .collect();
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for c in &year {
        *per.entry(c.author_email.to_ascii_lowercase()).or_default() += 1;
    }
    out.active_maintainers_365d = per.len();
    out.active_maintainers_90d = year
        .iter()
        .filter(|c| c.time >= now - 90 * DAY)
        .map(|c| c.author_email.to_ascii_lowercase())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut counts: Vec<usize> = per.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let half = year.len().div_ceil(2);
    let mut acc = 0;
    for c in counts {
        if acc >= half {
            break;
        }
        acc += c;
        out.bus_factor += 1;
    }
    let mut orgs: BTreeMap<String, usize> = BTreeMap::new();
    for c in &h.commits {
        if let Some(o) = organisation(&c.author_email) {
            *orgs.entry(o).or_default() += 1;
        }
    }
    if let Some((o, n)) = orgs.iter().max_by_key(|(_, n)| **n) {
        out.largest_org = Some(o.clone());
        out.largest_org_share =
            Some((*n as f64 / h.commits.len().max(1) as f64 * 1000.0).round() / 1000.0);
    }
    for p in tree.paths() {
        let dir_ok = !p.contains('/') || p.starts_with(".github/") || p.starts_with("docs/");
        if !dir_ok || p.matches('/').count() > 1 {
            continue;
        }
        let n = file_name(p).to_ascii_uppercase();
        let stem = n.split('.').next().unwrap_or("");
        match stem {
            "CODEOWNERS" => out.governance.codeowners.get_or_insert(p.clone()),
            "GOVERNANCE" => out.governance.governance.get_or_insert(p.clone()),
            "MAINTAINERS" | "OWNERS" => out.governance.maintainers.get_or_insert(p.clone()),
            _ => continue,
        };
    }
    if let Some(p) = tree
        .paths()
        .iter()
        .find(|p| crate::checks::security_policy::is_policy_path(p))
    {
        out.governance.security_policy = Some(p.clone());
        if let Some(t) = tree.read_text(p) {
            out.governance.security_contact = crate::checks::security_policy::analyse(&t).0 > 0;
        }
    }
    out.best_practices_badge = tree
        .paths()
        .iter()
        .filter(|p| !p.contains('/') && p.to_ascii_uppercase().starts_with("README"))
        .any(|p| {
            tree.read_text(p).is_some_and(|t| {
                t.contains("bestpractices.coreinfrastructure.org/projects/")
                    || t.contains("bestpractices.dev/projects/")
                    || t.contains("bestpractices.dev/en/projects/")
            })
        });
    out
}
