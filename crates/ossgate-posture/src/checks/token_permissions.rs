//! Token-Permissions: the `GITHUB_TOKEN` permissions of every workflow. Start at 10; a top-level
//! `write` on contents, packages or actions costs 10, on deployments or security-events 1, on
//! checks or statuses 0.5; `write-all` at the top costs 0.5 (and means 0 when a job also writes
//! or leaves its permissions undeclared); no top-level block costs 0.5 (0 when a job is also
//! undeclared); a job-level write under a writing or undeclared top level costs the rest. Writes
//! a workflow needs for what it visibly does (publishing packages, releasing, GitHub Pages,
//! uploading CodeQL/SARIF results) are not held against it. No workflow: inconclusive.

use super::workflow::{self, Workflow};
use crate::tree::Tree;
use crate::yaml::Node;
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Token-Permissions";

const OF_INTEREST: &[&str] = &[
    "statuses",
    "checks",
    "security-events",
    "deployments",
    "contents",
    "packages",
    "actions",
];

enum Level<'a> {
    Undeclared,
    All(&'a str, u32),
    Scopes(Vec<(&'a str, &'a str, u32)>),
}

fn level(n: Option<&Node>) -> Level<'_> {
    match n {
        None => Level::Undeclared,
        Some(n) => match n.as_str() {
            Some(s) => Level::All(s, n.line),
            None => Level::Scopes(
                n.entries()
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s, v.line)))
                    .collect(),
            ),
        },
    }
}

fn uses_any(wf: &Workflow, prefixes: &[&str]) -> bool {
    wf.jobs.iter().any(|j| {
        j.steps.iter().any(|s| {
            s.uses
                .as_ref()
                .is_some_and(|(u, _)| prefixes.iter().any(|p| u.starts_with(&format!("{p}@"))))
        })
    })
}

fn ignored(wf: &Workflow, text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if super::packaging::is_packaging_workflow(text)
        .ok()
        .flatten()
        .is_some()
    {
        out.push("packages");
    }
    let releasing = uses_any(
        wf,
        &[
            "relekang/python-semantic-release",
            "python-semantic-release/python-semantic-release",
            "goreleaser/goreleaser-action",
            "softprops/action-gh-release",
            "ncipollo/release-action",
            "peaceiris/actions-gh-pages",
            "JamesIves/github-pages-deploy-action",
            "cycjimmy/semantic-release-action",
        ],
    ) || wf.jobs.iter().any(|j| {
        j.steps.iter().any(|s| {
            s.run.as_ref().is_some_and(|(r, _)| {
                r.contains("semantic-release")
                    || (r.contains("mvn") && r.contains("release:"))
                    || r.contains("gh release")
            })
        })
    });
    if releasing {
        out.push("contents");
    }
    if uses_any(
        wf,
        &[
            "github/codeql-action/analyze",
            "github/codeql-action/upload-sarif",
        ],
    ) {
        out.push("security-events");
    }
    out
}

/// Score and findings of one workflow, applied to a running score.
fn evaluate(path: &str, text: &str, score: &mut f64, r: &mut CheckResult) {
    let wf = match workflow::parse(text) {
        Ok(w) => w,
        Err(e) => {
            r.findings.push(Finding::new(
                "invalid-workflow",
                path,
                e.line,
                Some(e.message),
            ));
            return;
        }
    };
    let ignore = ignored(&wf, text);
    let mut top_write = false;
    let mut top_undeclared = false;
    match level(wf.permissions.as_ref()) {
        Level::Undeclared => {
            top_undeclared = true;
            r.details
                .push(format!("Warn: no topLevel permission defined: {path}:1"));
            r.findings.push(Finding::new(
                "top-level-permissions-undeclared",
                path,
                Some(1),
                None,
            ));
            if wf.jobs.iter().any(|j| j.permissions.is_none()) {
                *score = 0.0;
            } else {
                *score -= 0.5;
            }
        }
        Level::All(v, line) => {
            if !v.eq_ignore_ascii_case("read-all")
                && !v.eq_ignore_ascii_case("none")
                && !v.is_empty()
            {
                top_write = true;
                r.details.push(format!(
                    "Warn: topLevel '{v}' permission set: {path}:{line}"
                ));
                r.findings.push(Finding::new(
                    "top-level-write-all",
                    path,
                    Some(line),
                    Some(v.into()),
                ));
                *score -= 0.5;
            }
        }
        Level::Scopes(scopes) => {
            for (k, v, line) in scopes {
                if !v.eq_ignore_ascii_case("write") || !OF_INTEREST.contains(&k) {
                    continue;
                }
                top_write = true;
                let cost = match k {
                    "checks" | "statuses" => 0.5,
                    "contents" | "packages" | "actions" => 10.0,
                    _ => 1.0,
                };
                *score -= cost;
                r.details.push(format!(
                    "Warn: topLevel '{k}' permission set to 'write': {path}:{line}"
                ));
                r.findings.push(Finding::new(
                    "top-level-write",
                    path,
                    Some(line),
                    Some(format!("{k}: write")),
                ));
            }
        }
    }
    for job in &wf.jobs {
        match level(job.permissions.as_ref()) {
            Level::Undeclared => {
                if top_undeclared
                    || matches!(level(wf.permissions.as_ref()), Level::All(v, _) if !v.eq_ignore_ascii_case("read-all") && !v.eq_ignore_ascii_case("none"))
                {
                    *score = 0.0;
                }
            }
            Level::All(v, line) => {
                if !v.eq_ignore_ascii_case("read-all") && !v.eq_ignore_ascii_case("none") {
                    r.findings.push(Finding::new(
                        "job-level-write-all",
                        path,
                        Some(line),
                        Some(v.into()),
                    ));
                    if top_write {
                        *score = 0.0;
                    } else if top_undeclared {
                        *score -= 0.5;
                    }
                }
            }
            Level::Scopes(scopes) => {
                for (k, v, line) in scopes {
                    if !v.eq_ignore_ascii_case("write")
                        || !OF_INTEREST.contains(&k)
                        || ignore.contains(&k)
                    {
                        continue;
                    }
                    r.details.push(format!(
                        "Warn: jobLevel '{k}' permission set to 'write': {path}:{line}"
                    ));
                    r.findings.push(Finding::new(
                        "job-level-write",
                        path,
                        Some(line),
                        Some(format!("{k}: write")),
                    ));
                    if top_write {
                        *score = 0.0;
                    } else if top_undeclared {
                        *score -= 0.5;
                    }
                }
            }
        }
    }
}

pub fn check(tree: &Tree) -> CheckResult {
    let wfs = tree.workflows();
    if wfs.is_empty() {
        return CheckResult::new(NAME, Score::Inconclusive, "no workflows found");
    }
    let mut r = CheckResult::new(NAME, Score::Value(10), "");
    let mut score = 10.0;
    for (i, p) in wfs {
        if let Some(b) = tree.read_at(i) {
            evaluate(p, &String::from_utf8_lossy(&b), &mut score, &mut r);
        }
    }
    let score = score.max(0.0);
    r.score = Score::clamp(score);
    r.reason = if score >= 10.0 {
        "GitHub workflow tokens follow principle of least privilege".into()
    } else {
        "detected GitHub workflow tokens with excessive permissions".into()
    };
    r
}
