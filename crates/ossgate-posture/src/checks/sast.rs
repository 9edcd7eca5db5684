//! SAST: static analysis configured in the repository — workflows using CodeQL, Snyk, Pysa,
//! Qodana, Hadolint, Semgrep, gosec, bandit, Brakeman, or the SARIF upload action, and a Maven
//! `pom.xml` naming a SonarQube host (`<sonar.host.url>`). Scorecard also checks that recent
//! pull requests were analysed (check runs): that is forge data, so offline a CodeQL-only setup
//! scores 7 (Scorecard's weight for "configured, runs on commits unknown") and any other tool 10.

use crate::tree::{Tree, file_name, is_workflow_path};
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "SAST";

const ACTIONS: &[(&str, &str)] = &[
    ("github/codeql-action/analyze", "CodeQL"),
    ("snyk/actions", "Snyk"),
    ("facebook/pysa-action", "Pysa"),
    ("jetbrains/qodana-action", "Qodana"),
    ("hadolint/hadolint-action", "Hadolint"),
    ("returntocorp/semgrep-action", "Semgrep"),
    ("semgrep/semgrep-action", "Semgrep"),
    ("securego/gosec", "gosec"),
    ("pycqa/bandit-action", "Bandit"),
];

/// The SAST tools configured: (tool, path, line, snippet).
pub fn detect(tree: &Tree) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, p) in tree.matching(|_| true) {
        if is_workflow_path(p) {
            let Some(b) = tree.read_at(i) else { continue };
            let Ok(wf) = super::workflow::parse(&String::from_utf8_lossy(&b)) else {
                continue;
            };
            let mut tools: Vec<&str> = Vec::new();
            for job in &wf.jobs {
                for s in &job.steps {
                    let Some((u, _)) = &s.uses else { continue };
                    let name = u.split('@').next().unwrap_or("").to_ascii_lowercase();
                    for (a, t) in ACTIONS {
                        if (name == *a || name.starts_with(&format!("{a}/"))) && !tools.contains(t)
                        {
                            tools.push(t);
                        }
                    }
                }
            }
            for t in tools {
                out.push(Finding::new(t, p, None, None));
            }
        } else if file_name(p) == "pom.xml"
            && let Some(t) = tree.read_text(p)
        {
            for (n, line) in t.lines().enumerate() {
                if let Some(s) = line.find("<sonar.host.url>") {
                    let rest = &line[s + 16..];
                    let url = rest.split("</sonar.host.url>").next().unwrap_or("").trim();
                    out.push(Finding::new(
                        "Sonar",
                        p,
                        Some(n as u32 + 1),
                        Some(url.to_string()),
                    ));
                }
            }
        }
    }
    out
}

pub fn check(tree: &Tree) -> CheckResult {
    let found = detect(tree);
    if found.is_empty() {
        let mut r = CheckResult::new(NAME, Score::Value(0), "SAST tool is not run on all commits");
        r.details.push("Warn: no SAST tool detected".into());
        return r;
    }
    let non_codeql = found.iter().any(|f| f.kind != "CodeQL");
    let mut r = CheckResult::new(
        NAME,
        Score::Value(if non_codeql { 10 } else { 7 }),
        "SAST tool detected (whether it runs on every pull request needs forge data)",
    );
    r.approximate = true;
    for f in &found {
        r.details.push(format!(
            "Info: SAST configuration detected: {} ({})",
            f.kind, f.file
        ));
    }
    r.findings = found;
    r
}
