//! Security-Policy: a SECURITY file (`.md`, `.markdown`, `.adoc`, `.rst`, `.txt` or none) at
//! the top level, in `.github/` or `docs/`/`doc/`, matched case-insensitively. Score: 6 for
//! linked content (a URL or e-mail address to report to), 3 for text beyond the links, 1 for
//! naming vulnerabilities or disclosure. A policy in the organisation's `.github` repository is
//! forge data and is not consulted.

use crate::tree::Tree;
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Security-Policy";

/// Whether a repository path is a security policy file.
pub fn is_policy_path(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    let (dir, name) = l.rsplit_once('/').unwrap_or(("", &l));
    if !matches!(dir, "" | ".github" | "docs" | "doc") {
        return false;
    }
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .or_else(|| name.strip_suffix(".adoc"))
        .or_else(|| name.strip_suffix(".rst"))
        .or_else(|| name.strip_suffix(".txt"))
        .unwrap_or(name);
    stem == "security"
}

/// (urls and e-mails, remaining text length, vulnerability/disclosure words).
pub fn analyse(text: &str) -> (usize, usize, usize) {
    let mut links = 0;
    let mut rest = 0;
    for w in text.split_whitespace() {
        let lw = w.to_ascii_lowercase();
        let is_url = lw.contains("http://") || lw.contains("https://");
        let is_mail = {
            let t = w.trim_matches(|c: char| !c.is_alphanumeric());
            t.split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
        };
        if is_url || is_mail {
            links += 1;
        } else {
            rest += w.chars().count();
        }
    }
    let lower = text.to_ascii_lowercase();
    let words = lower.matches("vuln").count() + lower.matches("disclos").count();
    (links, rest, words)
}

pub fn check(tree: &Tree) -> CheckResult {
    let files = tree.matching(is_policy_path);
    let Some((i, p)) = files.first() else {
        let mut r = CheckResult::new(NAME, Score::Value(0), "security policy file not detected");
        r.details
            .push("Warn: no security policy file detected".into());
        return r;
    };
    let text = tree
        .read_at(*i)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let (links, rest, words) = analyse(&text);
    let mut score = 0;
    let mut r = CheckResult::new(NAME, Score::Value(0), "security policy file detected");
    r.findings
        .push(Finding::new("security-policy", p, None, None));
    r.details
        .push(format!("Info: security policy file detected: {p}"));
    if links > 0 {
        score += 6;
        r.details
            .push("Info: found linked content in security policy".into());
    } else {
        r.details.push("Warn: no linked content found".into());
    }
    if rest > 1 {
        score += 3;
        r.details.push("Info: found text in security policy".into());
    } else {
        r.details.push("Warn: one or no descriptive hints of disclosure, vulnerability, and/or timelines in security policy".into());
    }
    if words > 0 && rest > 1 {
        score += 1;
        r.details.push(
            "Info: found disclosure, vulnerability, and/or timelines in security policy".into(),
        );
    }
    r.score = Score::Value(score);
    r
}
