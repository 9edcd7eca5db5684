//! One module per Scorecard check. File-based checks take the repository's [`Tree`]; history
//! checks take the commits and tags; forge-only checks report "not available offline".

pub mod binary_artifacts;
pub mod dangerous_workflow;
pub mod dependency_update_tool;
pub mod fuzzing;
pub mod history;
pub mod license;
pub mod packaging;
pub mod pinned;
pub mod sast;
pub mod security_policy;
pub mod token_permissions;
pub mod vulnerabilities;
pub mod workflow;

use crate::git::History;
use crate::{CheckResult, Tree};

/// Checks that need the forge's API.
pub const FORGE_ONLY: &[&str] = &[
    "Branch-Protection",
    "CI-Tests",
    "CII-Best-Practices",
    "Webhooks",
];

/// Every check computed from the files (run in parallel).
pub fn file_checks(tree: &Tree) -> Vec<CheckResult> {
    type F = fn(&Tree) -> CheckResult;
    let fs: [F; 11] = [
        binary_artifacts::check,
        dangerous_workflow::check,
        dependency_update_tool::check,
        fuzzing::check,
        license::check,
        packaging::check,
        pinned::check,
        sast::check,
        security_policy::check,
        token_permissions::check,
        |_| CheckResult::offline("Branch-Protection"),
    ];
    use rayon::prelude::*;
    let mut out: Vec<CheckResult> = fs.par_iter().map(|f| f(tree)).collect();
    for n in &FORGE_ONLY[1..] {
        out.push(CheckResult::offline(n));
    }
    out
}

/// Checks computed from git history.
pub fn history_checks(h: &History, tree: &Tree, now: i64) -> Vec<CheckResult> {
    vec![
        history::maintained(h, now),
        history::contributors(h, now),
        history::code_review(h),
        history::signed_releases(h, tree),
    ]
}

/// Scorecard's one-line description of each check.
pub fn short_doc(name: &str) -> &'static str {
    match name {
        "Binary-Artifacts" => {
            "Determines if the project has generated executable (binary) artifacts in the source repository."
        }
        "Branch-Protection" => {
            "Determines if the default and release branches are protected with GitHub's branch protection settings."
        }
        "CI-Tests" => "Determines if the project runs tests before pull requests are merged.",
        "CII-Best-Practices" => {
            "Determines if the project has an OpenSSF (formerly CII) Best Practices Badge."
        }
        "Code-Review" => {
            "Determines if the project requires human code review before pull requests (aka merge requests) are merged."
        }
        "Contributors" => {
            "Determines if the project has a set of contributors from multiple organizations (e.g., companies)."
        }
        "Dangerous-Workflow" => {
            "Determines if the project's GitHub Action workflows avoid dangerous patterns."
        }
        "Dependency-Update-Tool" => "Determines if the project uses a dependency update tool.",
        "Fuzzing" => "Determines if the project uses fuzzing.",
        "License" => "Determines if the project has defined a license.",
        "Maintained" => "Determines if the project is \"actively maintained\".",
        "Packaging" => {
            "Determines if the project is published as a package that others can easily download, install, easily update, and uninstall."
        }
        "Pinned-Dependencies" => {
            "Determines if the project has declared and pinned the dependencies of its build process."
        }
        "SAST" => "Determines if the project uses static code analysis.",
        "Security-Policy" => "Determines if the project has published a security policy.",
        "Signed-Releases" => "Determines if the project cryptographically signs release artifacts.",
        "Token-Permissions" => {
            "Determines if the project's workflows follow the principle of least privilege."
        }
        "Vulnerabilities" => "Determines if the project has open, known unfixed vulnerabilities.",
        "Webhooks" => {
            "Determines if the webhook defined in the repository has a token configured to authenticate the origins of requests."
        }
        _ => "",
    }
}
