//! Dangerous-Workflow: in GitHub workflows, (1) an untrusted checkout — a `pull_request_target`
//! or `workflow_run` workflow that checks out the pull request's head (`ref:` naming
//! `github.event.pull_request.head.*`, `github.event.workflow_run.head_*` or `github.head_ref`);
//! (2) script injection — an attacker-controlled `${{ }}` expression (issue/PR/comment titles
//! and bodies, commit messages and authors, head refs, `toJSON(github.event)`…) inside a `run:`
//! script or an `actions/github-script` `script:`. Any pattern: 0; none: 10; no workflow:
//! inconclusive. A workflow that is not valid YAML is a finding with its line.

use super::workflow;
use crate::tree::Tree;
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Dangerous-Workflow";

const UNTRUSTED_SUFFIXES: &[&str] = &[
    ".title",
    ".body",
    ".message",
    ".name",
    ".email",
    ".label",
    ".ref",
    ".page_name",
    ".default_branch",
];

/// Whether an expression (the text inside `${{ }}`) is attacker-controlled.
pub fn is_untrusted(expr: &str) -> bool {
    let e = expr.trim();
    let lower = e.to_ascii_lowercase();
    if let Some(inner) = lower
        .strip_prefix("tojson(")
        .and_then(|s| s.strip_suffix(')'))
    {
        let inner = inner.trim();
        return inner == "github.event" || inner == "github";
    }
    if lower == "github.head_ref" {
        return true;
    }
    if !lower.starts_with("github.event.") {
        return false;
    }
    let rest = &lower["github.event.".len()..];
    const SOURCES: &[&str] = &[
        "issue.title",
        "issue.body",
        "pull_request.title",
        "pull_request.body",
        "comment.body",
        "review.body",
        "review_comment.body",
        "discussion.title",
        "discussion.body",
        "head_commit.message",
        "head_commit.author.email",
        "head_commit.author.name",
        "pull_request.head.ref",
        "pull_request.head.label",
        "pull_request.head.repo.default_branch",
        "workflow_run.head_branch",
        "workflow_run.head_commit.message",
        "workflow_run.head_commit.author.email",
        "workflow_run.head_commit.author.name",
    ];
    if SOURCES.contains(&rest) {
        return true;
    }
    // Wildcard paths: commits[*].message, pages[*].page_name, blocked_user.name …
    let norm: String = {
        let mut s = String::new();
        let mut skip = false;
        for c in rest.chars() {
            match c {
                '[' => skip = true,
                ']' => skip = false,
                _ if !skip => s.push(c),
                _ => {}
            }
        }
        s
    };
    matches!(
        norm.as_str(),
        "commits.message" | "commits.author.email" | "commits.author.name" | "pages.page_name"
    ) || (norm.contains("blocked_user") && UNTRUSTED_SUFFIXES.iter().any(|s| norm.ends_with(s)))
}

/// The untrusted `${{ }}` expressions in `s`, with their line offset within `s`.
pub fn injections(s: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut consumed = 0;
    while let Some(p) = rest.find("${{") {
        let Some(q) = rest[p..].find("}}") else { break };
        let expr = &rest[p + 3..p + q];
        if is_untrusted(expr) {
            let line = s[..consumed + p].matches('\n').count() as u32;
            out.push((expr.trim().to_string(), line));
        }
        consumed += p + q + 2;
        rest = &rest[p + q + 2..];
    }
    out
}

/// Dangerous patterns of one workflow: (kind, line, snippet).
pub fn patterns(path: &str, text: &str) -> Result<Vec<Finding>, Finding> {
    let mut out = Vec::new();
    if !crate::tree::is_workflow_path(path) {
        return Ok(out);
    }
    let wf = workflow::parse(text)
        .map_err(|e| Finding::new("invalid-workflow", path, e.line, Some(e.message)))?;
    let privileged = wf
        .triggers
        .iter()
        .any(|t| t == "pull_request_target" || t == "workflow_run");
    for job in &wf.jobs {
        for s in &job.steps {
            if privileged
                && let Some((u, _)) = &s.uses
                && u.starts_with("actions/checkout")
                && let Some((_, r, l)) = s.with.iter().find(|(k, _, _)| k == "ref")
            {
                let lr = r.to_ascii_lowercase();
                if lr.contains("github.event.pull_request.head")
                    || lr.contains("github.event.workflow_run.head")
                    || lr.contains("github.head_ref")
                {
                    out.push(Finding::new(
                        "untrusted-checkout",
                        path,
                        Some(*l),
                        Some(r.clone()),
                    ));
                }
            }
            if let Some((run, line)) = &s.run {
                for (expr, off) in injections(run) {
                    out.push(Finding::new(
                        "script-injection",
                        path,
                        Some(line + off + 1),
                        Some(expr),
                    ));
                }
            }
            if let Some((u, _)) = &s.uses
                && u.starts_with("actions/github-script")
                && let Some((_, script, line)) = s.with.iter().find(|(k, _, _)| k == "script")
            {
                for (expr, off) in injections(script) {
                    out.push(Finding::new(
                        "script-injection",
                        path,
                        Some(line + off + 1),
                        Some(expr),
                    ));
                }
            }
        }
    }
    Ok(out)
}

pub fn check(tree: &Tree) -> CheckResult {
    let wfs = tree.workflows();
    if wfs.is_empty() {
        return CheckResult::new(NAME, Score::Inconclusive, "no workflows found");
    }
    let mut r = CheckResult::new(
        NAME,
        Score::Value(10),
        "no dangerous workflow patterns detected",
    );
    for (i, p) in wfs {
        let Some(b) = tree.read_at(i) else { continue };
        match patterns(p, &String::from_utf8_lossy(&b)) {
            Ok(fs) => r.findings.extend(fs),
            Err(f) => {
                r.details
                    .push(format!("Warn: {}: unreadable workflow", f.file));
                r.findings.push(f);
            }
        }
    }
    let dangerous = r
        .findings
        .iter()
        .filter(|f| f.kind != "invalid-workflow")
        .count();
    if dangerous > 0 {
        r.score = Score::Value(0);
        r.reason = "dangerous workflow patterns detected".into();
        for f in r.findings.iter().filter(|f| f.kind != "invalid-workflow") {
            r.details.push(format!(
                "Warn: {}: {}:{}",
                f.kind,
                f.file,
                f.line.unwrap_or(0)
            ));
        }
    }
    r
}
