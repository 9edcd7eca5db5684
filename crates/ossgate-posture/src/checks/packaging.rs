//! Packaging: a workflow that publishes a package — a `run:` step with a publishing command
//! (npm/yarn/pnpm publish, mvn deploy, gradle publish, gem push, nuget/dotnet nuget push, cargo
//! publish, twine upload, poetry publish, sbt ci-release/publish, mix hex.publish, goreleaser,
//! semantic-release, docker push) or a publishing action (PyPI, Docker build-push, GoReleaser,
//! …) — in GitHub workflows or in `.gitlab-ci.yml`. Found: 10; not found: inconclusive, as in
//! Scorecard (a project may publish from elsewhere).

use super::workflow;
use crate::tree::{Tree, is_workflow_path};
use crate::{CheckResult, Finding, Score};

pub const NAME: &str = "Packaging";

const ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "docker/build-push-action",
    "goreleaser/goreleaser-action",
    "relekang/python-semantic-release",
    "python-semantic-release/python-semantic-release",
    "softprops/action-gh-release",
    "ko-build/setup-ko",
    "jreleaser/release-action",
    "cycjimmy/semantic-release-action",
];

/// Whether one line of shell publishes a package.
pub fn is_publish_command(line: &str) -> bool {
    let l = line.trim();
    let words: Vec<&str> = l.split_whitespace().collect();
    let has = |a: &str, b: &str| words.windows(2).any(|w| w[0].ends_with(a) && w[1] == b);
    has("npm", "publish")
        || has("yarn", "publish")
        || has("pnpm", "publish")
        || (words
            .iter()
            .any(|w| w.ends_with("mvn") || w.ends_with("mvnw"))
            && words
                .iter()
                .any(|w| *w == "deploy" || w.starts_with("deploy:")))
        || words.contains(&"deploy") && l.contains("mvn")
        || (words
            .iter()
            .any(|w| w.ends_with("gradle") || w.ends_with("gradlew"))
            && words.iter().any(|w| w.starts_with("publish")))
        || has("gem", "push")
        || has("nuget", "push")
        || has("cargo", "publish")
        || has("twine", "upload")
        || has("poetry", "publish")
        || has("sbt", "ci-release")
        || has("sbt", "publish")
        || has("sbt", "publishSigned")
        || words.contains(&"hex.publish")
        || has("docker", "push")
        || words
            .iter()
            .any(|w| *w == "semantic-release" || w.ends_with("/semantic-release"))
        || (words.first().is_some_and(|w| w.ends_with("goreleaser")) && words.contains(&"release"))
        || has("flit", "publish")
        || has("hatch", "publish")
        || has("uv", "publish")
}

/// Whether a GitHub workflow publishes a package; the matching line.
pub fn is_packaging_workflow(text: &str) -> Result<Option<u32>, String> {
    let wf = workflow::parse(text).map_err(|e| e.message)?;
    for job in &wf.jobs {
        for s in &job.steps {
            if let Some((u, l)) = &s.uses {
                let n = u.split('@').next().unwrap_or("").to_ascii_lowercase();
                if ACTIONS.contains(&n.as_str()) {
                    return Ok(Some(*l));
                }
            }
            if let Some((run, l)) = &s.run {
                // Continuation lines are joined so `mvn \n deploy` is one command.
                let joined = run.replace("\\\n", " ");
                if joined.lines().any(is_publish_command) {
                    return Ok(Some(*l));
                }
            }
        }
    }
    Ok(None)
}

/// A GitLab CI file scanned line by line: the first publishing line and how many there are.
pub fn gitlab_packaging(text: &str) -> (Option<u32>, usize) {
    let mut first = None;
    let mut n = 0;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim().trim_start_matches("- ").trim();
        if t.starts_with('#') {
            continue;
        }
        if is_publish_command(t) {
            n += 1;
            first.get_or_insert(i as u32 + 1);
        }
    }
    (first, n)
}

pub fn check(tree: &Tree) -> CheckResult {
    let mut found = Vec::new();
    for (i, p) in tree.matching(|p| is_workflow_path(p) || p == ".gitlab-ci.yml") {
        let Some(b) = tree.read_at(i) else { continue };
        let text = String::from_utf8_lossy(&b);
        let hit = if p == ".gitlab-ci.yml" {
            gitlab_packaging(&text).0
        } else {
            is_packaging_workflow(&text).ok().flatten()
        };
        if let Some(l) = hit {
            found.push(Finding::new("packaging-workflow", p, Some(l), None));
        }
    }
    if found.is_empty() {
        return CheckResult::new(NAME, Score::Inconclusive, "packaging workflow not detected");
    }
    let mut r = CheckResult::new(NAME, Score::Value(10), "packaging workflow detected");
    for f in &found {
        r.details.push(format!(
            "Info: project packages its releases by way of CI: {}",
            f.file
        ));
    }
    r.findings = found;
    r
}
