//! Vulnerabilities: the repository's own lockfiles matched against ossgate's advisory store.
//! The matching lives in the CLI (which owns the store); this check receives it through
//! [`VulnSource`]. Score: 10 minus one per vulnerability, as Scorecard counts them.

use crate::{CheckResult, Finding, Score, VulnSource};
use std::path::Path;

pub const NAME: &str = "Vulnerabilities";

pub fn check(root: &Path, src: Option<&dyn VulnSource>) -> CheckResult {
    let Some(src) = src else {
        return CheckResult::new(
            NAME,
            Score::Offline,
            "not available: no advisory store was given (run `ossgate db import` first)",
        );
    };
    match src.vulnerabilities(root) {
        Err(e) => CheckResult::new(NAME, Score::Inconclusive, format!("could not scan: {e}")),
        Ok(hits) => {
            let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            let n = ids.len();
            let mut r = CheckResult::new(
                NAME,
                Score::Value(10u8.saturating_sub(n.min(10) as u8)),
                if n == 0 {
                    "0 existing vulnerabilities detected".to_string()
                } else {
                    format!("{n} existing vulnerabilities detected")
                },
            );
            for h in &hits {
                r.details.push(format!(
                    "Warn: Project is vulnerable to: {} ({})",
                    h.id, h.package
                ));
                r.findings.push(Finding::new(
                    "vulnerability",
                    &h.file,
                    None,
                    Some(format!("{} {}", h.id, h.package)),
                ));
            }
            r
        }
    }
}
