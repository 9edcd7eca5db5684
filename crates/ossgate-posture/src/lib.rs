//! Security posture of an upstream project from a local git checkout, offline: OpenSSF
//! Scorecard's checks (same names, 0–10 scores and risk weights, so results compare) computed
//! from the files of the checkout and from its git history, plus health signals Scorecard does
//! not have (release cadence, bus factor, active maintainers, organisational concentration,
//! governance files).
//!
//! What is read: the working tree (or, for a bare repository, HEAD's tree) and the commits and
//! tags reachable from HEAD. What is not: anything a forge API holds — branch protection, CI
//! runs, webhooks, the Best Practices database, pull-request reviews, issue activity, GitHub
//! profile companies. Checks that need those say "not available offline" and stay out of the
//! aggregate; checks that approximate forge data from git (Code-Review, Contributors,
//! Maintained) say so in their reason.
//!
//! The result follows Scorecard's JSON result format (`repo`, `date`, `scorecard`, `score`,
//! `checks[]` with `name`, `score`, `reason`, `details`, `documentation`) with two additions:
//! `findings` per check (kind, file, line, snippet) and an `ossgate` object with the health
//! metrics. See docs/posture.md.

pub mod checks;
pub mod git;
pub mod health;
pub mod shell;
pub mod tree;
pub mod yaml;

use serde::Serialize;
use std::path::Path;

pub use tree::Tree;

/// Scorecard's risk levels and their weights in the aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Critical,
    High,
    Medium,
    Low,
}

impl Risk {
    pub fn weight(self) -> f64 {
        match self {
            Risk::Critical => 10.0,
            Risk::High => 7.5,
            Risk::Medium => 5.0,
            Risk::Low => 2.5,
        }
    }
}

/// One structured finding: what, where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Finding {
    pub fn new(kind: &str, file: &str, line: Option<u32>, snippet: Option<String>) -> Finding {
        Finding {
            kind: kind.to_string(),
            file: file.to_string(),
            line,
            snippet,
        }
    }
}

/// A check's score: 0–10, inconclusive (nothing to judge), or not computable offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Score {
    Value(u8),
    Inconclusive,
    Offline,
}

impl Score {
    /// Scorecard's number: -1 for anything that is not a score.
    pub fn number(self) -> i32 {
        match self {
            Score::Value(v) => i32::from(v),
            _ => -1,
        }
    }

    pub fn clamp(v: f64) -> Score {
        Score::Value(v.floor().clamp(0.0, 10.0) as u8)
    }
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct CheckResult {
    pub name: &'static str,
    pub score: Score,
    pub reason: String,
    pub details: Vec<String>,
    pub findings: Vec<Finding>,
    /// The check approximates forge data from git history.
    pub approximate: bool,
}

impl CheckResult {
    pub fn new(name: &'static str, score: Score, reason: impl Into<String>) -> CheckResult {
        CheckResult {
            name,
            score,
            reason: reason.into(),
            details: Vec::new(),
            findings: Vec::new(),
            approximate: false,
        }
    }

    pub fn offline(name: &'static str) -> CheckResult {
        CheckResult::new(
            name,
            Score::Offline,
            "not available offline: this check needs the forge's API",
        )
    }

    pub fn risk(&self) -> Risk {
        risk_of(self.name)
    }
}

/// Scorecard's risk level of each check.
pub fn risk_of(name: &str) -> Risk {
    match name {
        "Dangerous-Workflow" | "Webhooks" => Risk::Critical,
        "Binary-Artifacts"
        | "Branch-Protection"
        | "Code-Review"
        | "Dependency-Update-Tool"
        | "Maintained"
        | "Signed-Releases"
        | "Token-Permissions"
        | "Vulnerabilities" => Risk::High,
        "Fuzzing" | "Packaging" | "Pinned-Dependencies" | "SAST" | "Security-Policy" => {
            Risk::Medium
        }
        _ => Risk::Low,
    }
}

/// Scorecard's weighted mean over the checks that have a score, to one decimal; `None` when no
/// check has one.
pub fn aggregate(checks: &[CheckResult]) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for c in checks {
        if let Score::Value(v) = c.score {
            sum += f64::from(v) * c.risk().weight();
            weights += c.risk().weight();
        }
    }
    (weights > 0.0).then(|| ((sum / weights) * 10.0).floor() / 10.0)
}

/// Vulnerabilities in the repository's own lockfiles, supplied by the caller (the CLI matches
/// them against ossgate's store), so this crate does not depend on the advisory database.
pub trait VulnSource: Sync {
    /// Known vulnerabilities of the repository at `root`: (advisory id, file, package@version).
    fn vulnerabilities(&self, root: &Path) -> Result<Vec<VulnHit>, String>;
}

#[derive(Debug, Clone)]
pub struct VulnHit {
    pub id: String,
    pub file: String,
    pub package: String,
}

/// How to assess.
#[derive(Default)]
pub struct Options<'a> {
    /// "Now" in seconds since the epoch (tests fix it); default the clock.
    pub now: Option<i64>,
    pub vulns: Option<&'a dyn VulnSource>,
}

/// The whole assessment of one repository.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub commit: Option<String>,
    pub date: String,
    pub checks: Vec<CheckResult>,
    pub score: Option<f64>,
    pub health: health::Health,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Git(#[from] git::GitError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// Assesses the repository (checkout or bare) at `path`.
pub fn assess(path: &Path, opts: &Options) -> Result<Report, Error> {
    let repo = git::Repo::open(path)?;
    let tree = if repo.is_bare() {
        Tree::from_repo(&repo)?
    } else {
        Tree::from_dir(path).map_err(|e| Error::Io(path.display().to_string(), e))?
    };
    let history = repo.history()?;
    let now = opts
        .now
        .unwrap_or_else(|| jiff::Timestamp::now().as_second());
    let mut checks = checks::file_checks(&tree);
    checks.push(checks::vulnerabilities::check(path, opts.vulns));
    checks.extend(checks::history_checks(&history, &tree, now));
    checks.sort_by(|a, b| a.name.cmp(b.name));
    let score = aggregate(&checks);
    let health = health::compute(&history, &tree, now);
    let date = jiff::Timestamp::from_second(now)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default();
    Ok(Report {
        name: repo_name(path),
        commit: history.head.clone(),
        date,
        checks,
        score,
        health,
    })
}

fn repo_name(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let n = abs
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    n.strip_suffix(".git").map(str::to_string).unwrap_or(n)
}

/// Scorecard's documentation anchor for a check.
pub fn doc_url(name: &str) -> String {
    format!(
        "https://github.com/ossf/scorecard/blob/main/docs/checks.md#{}",
        name.to_ascii_lowercase()
    )
}

/// The JSON result (Scorecard's format plus `findings` and `ossgate`).
pub fn to_json(r: &Report) -> serde_json::Value {
    use serde_json::json;
    let checks: Vec<serde_json::Value> = r
        .checks
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "score": c.score.number(),
                "reason": c.reason,
                "details": c.details,
                "documentation": {
                    "short": checks::short_doc(c.name),
                    "url": doc_url(c.name),
                },
                "risk": c.risk(),
                "available": c.score != Score::Offline,
                "approximate": c.approximate,
                "findings": c.findings,
            })
        })
        .collect();
    json!({
        "date": r.date,
        "repo": {"name": r.name, "commit": r.commit},
        "scorecard": {"version": concat!("ossgate-posture ", env!("CARGO_PKG_VERSION")), "commit": null},
        "score": r.score.map(serde_json::Value::from).unwrap_or(serde_json::Value::from(-1)),
        "checks": checks,
        "metadata": [],
        "ossgate": r.health,
    })
}
