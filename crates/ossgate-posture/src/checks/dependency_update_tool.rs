//! Dependency-Update-Tool: a Dependabot, Renovate or Scala Steward configuration file in one of
//! the places those tools read it from (10), else 0. Tools configured only in a forge's
//! settings (Mend app, Lift) are not visible offline.

use crate::tree::Tree;
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Dependency-Update-Tool";

/// Whether `path` (repository-relative) configures a dependency update tool.
pub fn is_config(path: &str) -> bool {
    let p = path;
    matches!(
        p,
        ".github/dependabot.yml"
            | ".github/dependabot.yaml"
            | ".github/renovate.json"
            | ".github/renovate.json5"
            | ".gitlab/renovate.json"
            | ".gitlab/renovate.json5"
            | ".renovaterc"
            | ".renovaterc.json"
            | ".renovaterc.json5"
            | "renovate.json"
            | "renovate.json5"
            | ".scala-steward.conf"
            | "scala-steward.conf"
            | ".github/.scala-steward.conf"
            | ".github/scala-steward.conf"
            | ".config/.scala-steward.conf"
            | ".config/scala-steward.conf"
    )
}

pub fn check(tree: &Tree) -> CheckResult {
    let found = tree.matching(is_config);
    if found.is_empty() {
        return CheckResult::new(NAME, Score::Value(0), "no update tool detected");
    }
    let mut r = CheckResult::new(NAME, Score::Value(10), "update tool detected");
    for (_, p) in found {
        r.details
            .push(format!("Info: detected update tool config: {p}"));
        r.findings
            .push(Finding::new("update-tool-config", p, None, None));
    }
    r
}
