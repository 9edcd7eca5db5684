//! Checks from git history.
//! - Maintained: commits in the last 90 days; 13 or more (one a week) score 10, fewer score
//!   proportionally. A repository whose first commit is younger than 90 days scores 0, as in
//!   Scorecard. Issue activity is forge data and is not counted (approximate).
//! - Contributors: organisations among authors with at least 5 commits, taken from e-mail
//!   domains (public mail providers and noreply addresses are not organisations); 3 or more: 10
//!   (approximate: Scorecard reads GitHub profile companies).
//! - Code-Review: of the last 30 non-merge changes on the first-parent line, the share that shows
//!   review — merged through a merge commit, a Reviewed-by/Approved-by/Acked-by trailer, or a
//!   committer other than the author (approximate: pull-request approvals are forge data).
//! - Signed-Releases: of the last 5 tags, the share that is signed (a PGP/SSH signature on an
//!   annotated tag) or has a signature/provenance file in the tree naming it; 8 for signatures,
//!   10 with provenance (`.intoto.jsonl`). No tags: inconclusive.

use crate::git::{CommitInfo, History};
use crate::tree::{Tree, file_name};
use crate::{CheckResult, Finding, Score};
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

const PUBLIC_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "protonmail.com",
    "proton.me",
    "qq.com",
    "163.com",
    "126.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "aol.com",
    "fastmail.com",
    "users.noreply.github.com",
    "noreply.github.com",
    "localhost",
    "example.com",
    "hey.com",
];

/// The organisation an e-mail address suggests (its domain minus common mail-host prefixes),
/// or `None` for personal mail providers.
pub fn organisation(email: &str) -> Option<String> {
    let d = email
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches('>')
        .to_ascii_lowercase();
    if d.is_empty() || !d.contains('.') {
        return None;
    }
    if PUBLIC_MAIL
        .iter()
        .any(|p| d == *p || d.ends_with(&format!(".{p}")))
    {
        return None;
    }
    // mail.example.com / users.example.org → example.com
    let parts: Vec<&str> = d.split('.').collect();
    let n = parts.len();
    let keep = if n >= 3 && parts[n - 2].len() <= 3 && parts[n - 1].len() == 2 {
        3
    } else {
        2
    };
    Some(parts[n.saturating_sub(keep)..].join("."))
}

pub fn maintained(h: &History, now: i64) -> CheckResult {
    let name = "Maintained";
    let Some(first) = h.commits.iter().map(|c| c.time).min() else {
        return CheckResult::new(name, Score::Inconclusive, "no commits");
    };
    let mut r;
    if now - first < 90 * DAY {
        r = CheckResult::new(
            name,
            Score::Value(0),
            "repository was created in the last 90 days",
        );
    } else {
        let recent = h
            .commits
            .iter()
            .filter(|c| c.time >= now - 90 * DAY && c.time <= now)
            .count();
        let score = (recent as f64 / 13.0 * 10.0).min(10.0);
        r = CheckResult::new(
            name,
            Score::clamp(score),
            format!(
                "{recent} commit(s) in the last 90 days (issue activity is not available offline)"
            ),
        );
    }
    r.approximate = true;
    r
}

pub fn contributors(h: &History, now: i64) -> CheckResult {
    let name = "Contributors";
    let _ = now;
    if h.commits.is_empty() {
        return CheckResult::new(name, Score::Inconclusive, "no commits");
    }
    let mut per_author: BTreeMap<String, usize> = BTreeMap::new();
    for c in &h.commits {
        *per_author
            .entry(c.author_email.to_ascii_lowercase())
            .or_default() += 1;
    }
    let orgs: BTreeSet<String> = per_author
        .iter()
        .filter(|(_, n)| **n >= 5)
        .filter_map(|(e, _)| organisation(e))
        .collect();
    let n = orgs.len();
    let score = if n >= 3 { 10.0 } else { n as f64 * 10.0 / 3.0 };
    let mut r = CheckResult::new(
        name,
        Score::clamp(score),
        format!("project has {n} contributing organisation(s) (from author e-mail domains)"),
    );
    r.approximate = true;
    for o in orgs {
        r.details
            .push(format!("Info: found contributions from: {o}"));
    }
    r
}

fn reviewed(c: &CommitInfo, merged: bool) -> bool {
    merged
        || c.review_trailers > 0
        || (!c.committer_email.is_empty()
            && !c.committer_email.eq_ignore_ascii_case(&c.author_email)
            && !c.committer_email.eq_ignore_ascii_case("noreply@github.com"))
}

pub fn code_review(h: &History) -> CheckResult {
    let name = "Code-Review";
    if h.commits.is_empty() {
        return CheckResult::new(name, Score::Inconclusive, "no commits");
    }
    // The walk is newest first; a non-merge commit directly below a merge's second parent is a
    // change that came through that merge. Approximation: a change is "merged" when a merge
    // commit exists among the newer commits and the change is not on the first-parent line —
    // we use the simpler signal: merge commits themselves count as reviewed changes.
    let mut total = 0;
    let mut ok = 0;
    for c in h.commits.iter().take(30) {
        total += 1;
        if reviewed(c, c.parents > 1) {
            ok += 1;
        }
    }
    let mut r = CheckResult::new(
        name,
        Score::clamp(ok as f64 / total as f64 * 10.0),
        format!(
            "{ok} of the last {total} changes show review (merge, review trailer or a committer other than the author)"
        ),
    );
    r.approximate = true;
    r
}

pub fn signed_releases(h: &History, tree: &Tree) -> CheckResult {
    let name = "Signed-Releases";
    if h.tags.is_empty() {
        return CheckResult::new(name, Score::Inconclusive, "no releases found");
    }
    let mut tags = h.tags.clone();
    tags.sort_by_key(|t| std::cmp::Reverse(t.time.unwrap_or(0)));
    tags.truncate(5);
    let sig_files: Vec<&str> = tree
        .paths()
        .iter()
        .map(String::as_str)
        .filter(|p| {
            let n = file_name(p).to_ascii_lowercase();
            [
                ".asc",
                ".sig",
                ".minisig",
                ".sigstore",
                ".sigstore.json",
                ".intoto.jsonl",
            ]
            .iter()
            .any(|e| n.ends_with(e))
        })
        .collect();
    let mut r = CheckResult::new(name, Score::Value(0), "");
    let mut signed = 0;
    let mut provenance = 0;
    for t in &tags {
        let files: Vec<&&str> = sig_files
            .iter()
            .filter(|p| p.contains(t.name.as_str()))
            .collect();
        let prov = files.iter().any(|p| p.ends_with(".intoto.jsonl"));
        if t.signed || !files.is_empty() {
            signed += 1;
            if prov {
                provenance += 1;
            }
            r.details.push(format!("Info: signed release: {}", t.name));
        } else {
            r.details
                .push(format!("Warn: release {} is not signed", t.name));
            r.findings.push(Finding::new(
                "unsigned-release",
                &format!("refs/tags/{}", t.name),
                None,
                None,
            ));
        }
    }
    let n = tags.len() as f64;
    let score = (signed as f64 * 8.0 + provenance as f64 * 2.0) / n;
    r.score = Score::clamp(score);
    r.reason = format!("{signed} of the last {} releases are signed", tags.len());
    r
}
