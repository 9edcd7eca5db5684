//! History checks and health metrics on repositories the test builds with `git`: commits with
//! chosen dates, authors and trailers, lightweight, annotated and signed tags. Also: malformed
//! workflows and Dockerfiles give findings with file and line, never a panic.

use ossgate_posture::{Options, Score, assess};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const DAY: i64 = 86_400;
/// 2026-06-01T00:00:00Z: "now" for every assessment here.
const NOW: i64 = 1_780_272_000;

fn git_env(dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let mut c = Command::new("git");
    c.args(args).current_dir(dir);
    c.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Commits `msg` authored by `who <email>` at `when`, committed by `committer` (or the author).
fn commit(dir: &Path, when: i64, who: &str, email: &str, committer: Option<&str>, msg: &str) {
    // One file per branch, so that merges never conflict.
    let branch = git_env(dir, &["symbolic-ref", "--short", "HEAD"], &[]);
    let f = dir.join(format!("{branch}.txt"));
    let mut t = std::fs::read_to_string(&f).unwrap_or_default();
    t.push_str(&format!("{when}\n"));
    std::fs::write(&f, t).unwrap();
    git_env(dir, &["add", "-A"], &[]);
    let date = format!("@{when} +0000");
    let cemail = committer.unwrap_or(email).to_string();
    git_env(
        dir,
        &["commit", "-q", "-m", msg],
        &[
            ("GIT_AUTHOR_NAME", who.into()),
            ("GIT_AUTHOR_EMAIL", email.into()),
            ("GIT_AUTHOR_DATE", date.clone()),
            ("GIT_COMMITTER_NAME", "c".into()),
            ("GIT_COMMITTER_EMAIL", cemail),
            ("GIT_COMMITTER_DATE", date),
        ],
    );
}

fn init() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    git_env(t.path(), &["init", "-q", "-b", "main"], &[]);
    t
}

fn check<'a>(r: &'a ossgate_posture::Report, name: &str) -> &'a ossgate_posture::CheckResult {
    r.checks.iter().find(|c| c.name == name).unwrap()
}

fn opts() -> Options<'static> {
    Options {
        now: Some(NOW),
        vulns: None,
    }
}

#[test]
fn maintained_contributors_and_bus_factor() {
    let t = init();
    let d = t.path();
    // An old first commit, then 20 commits in the last 90 days from three organisations.
    commit(d, NOW - 400 * DAY, "Old", "old@acme.example", None, "start");
    let authors = [
        ("Ann", "ann@acme.example"),
        ("Bob", "bob@globex.example"),
        ("Cy", "cy@initech.example"),
        ("Dee", "dee@gmail.com"),
    ];
    for i in 0..20 {
        let (n, e) = authors[i % 4];
        commit(
            d,
            NOW - (80 - i as i64) * DAY,
            n,
            e,
            None,
            &format!("change {i}"),
        );
    }
    let r = assess(d, &opts()).unwrap();
    let m = check(&r, "Maintained");
    assert_eq!(m.score, Score::Value(10), "{m:?}");
    assert!(m.approximate);
    let c = check(&r, "Contributors");
    // acme, globex, initech each have 5 commits; gmail.com is not an organisation.
    assert_eq!(c.score, Score::Value(10), "{c:?}");
    // 20 commits in the last year (the first is older), 5 per author: 2 authors cover half.
    assert_eq!(r.health.bus_factor, 2);
    assert_eq!(r.health.active_maintainers_90d, 4);
    assert_eq!(r.health.active_maintainers_365d, 4);
    assert_eq!(r.health.commits, 21);
    assert_eq!(r.health.largest_org.as_deref(), Some("acme.example"));
}

#[test]
fn young_or_idle_repositories_are_not_maintained() {
    let t = init();
    commit(t.path(), NOW - 10 * DAY, "A", "a@x.example", None, "new");
    let r = assess(t.path(), &opts()).unwrap();
    assert_eq!(check(&r, "Maintained").score, Score::Value(0));

    let t = init();
    commit(t.path(), NOW - 500 * DAY, "A", "a@x.example", None, "old");
    for i in 0..3 {
        commit(
            t.path(),
            NOW - (60 + i) * DAY,
            "A",
            "a@x.example",
            None,
            "few",
        );
    }
    let r = assess(t.path(), &opts()).unwrap();
    // 3 commits in 90 days: 3/13 of a weekly cadence.
    assert_eq!(check(&r, "Maintained").score, Score::Value(2));
}

#[test]
fn code_review_from_trailers_committers_and_merges() {
    let t = init();
    let d = t.path();
    commit(d, NOW - 50 * DAY, "A", "a@x.example", None, "unreviewed 1");
    commit(
        d,
        NOW - 49 * DAY,
        "A",
        "a@x.example",
        None,
        "fix\n\nReviewed-by: B <b@x.example>\n",
    );
    commit(
        d,
        NOW - 48 * DAY,
        "A",
        "a@x.example",
        Some("maintainer@x.example"),
        "applied by someone else",
    );
    commit(d, NOW - 47 * DAY, "A", "a@x.example", None, "unreviewed 2");
    let r = assess(d, &opts()).unwrap();
    let c = check(&r, "Code-Review");
    assert!(c.approximate);
    // 2 of 4 show review.
    assert_eq!(c.score, Score::Value(5), "{c:?}");

    // A merge commit counts as a reviewed change.
    git_env(d, &["checkout", "-q", "-b", "topic"], &[]);
    commit(d, NOW - 40 * DAY, "A", "a@x.example", None, "topic work");
    git_env(d, &["checkout", "-q", "main"], &[]);
    commit(d, NOW - 39 * DAY, "A", "a@x.example", None, "main work");
    let date = format!("@{} +0000", NOW - 38 * DAY);
    git_env(
        d,
        &["merge", "-q", "--no-ff", "-m", "Merge topic", "topic"],
        &[
            ("GIT_AUTHOR_NAME", "A".into()),
            ("GIT_AUTHOR_EMAIL", "a@x.example".into()),
            ("GIT_COMMITTER_NAME", "A".into()),
            ("GIT_COMMITTER_EMAIL", "a@x.example".into()),
            ("GIT_AUTHOR_DATE", date.clone()),
            ("GIT_COMMITTER_DATE", date),
        ],
    );
    let r = assess(d, &opts()).unwrap();
    // 7 commits: the trailer, the other committer and the merge are reviewed: 3/7.
    assert_eq!(check(&r, "Code-Review").score, Score::Value(4));
}

/// Writes an annotated tag object whose message carries a PGP signature block, as `git tag -s`
/// would, without needing gpg.
fn signed_tag(dir: &Path, name: &str, when: i64) {
    let head = git_env(dir, &["rev-parse", "HEAD"], &[]);
    let body = format!(
        "object {head}\ntype commit\ntag {name}\ntagger T <t@x.example> {when} +0000\n\nrelease {name}\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEfake\n=abcd\n-----END PGP SIGNATURE-----\n"
    );
    let mut child = Command::new("git")
        .args(["mktag"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "mktag: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    git_env(dir, &["update-ref", &format!("refs/tags/{name}"), &id], &[]);
}

#[test]
fn signed_releases_and_cadence() {
    let t = init();
    let d = t.path();
    assert!(
        assess(d, &opts()).is_ok(),
        "an empty repository (unborn HEAD) is assessed, not an error"
    );
    commit(d, NOW - 300 * DAY, "A", "a@x.example", None, "one");
    let tag_env = |when: i64| {
        vec![
            ("GIT_COMMITTER_NAME", "T".to_string()),
            ("GIT_COMMITTER_EMAIL", "t@x.example".to_string()),
            ("GIT_COMMITTER_DATE", format!("@{when} +0000")),
        ]
    };
    git_env(
        d,
        &["tag", "-a", "v1.0", "-m", "v1.0"],
        &tag_env(NOW - 300 * DAY),
    );
    commit(d, NOW - 200 * DAY, "A", "a@x.example", None, "two");
    signed_tag(d, "v1.1", NOW - 200 * DAY);
    commit(d, NOW - 100 * DAY, "A", "a@x.example", None, "three");
    git_env(d, &["tag", "v1.2"], &[]); // lightweight: dated by its commit
    let r = assess(d, &opts()).unwrap();
    let s = check(&r, "Signed-Releases");
    // 1 of 3 signed: 8/3.
    assert_eq!(s.score, Score::Value(2), "{s:?}");
    assert_eq!(r.health.releases, 3);
    assert_eq!(r.health.days_since_last_release, Some(100));
    assert_eq!(r.health.release_cadence_days, Some(100.0));

    // A signature file naming a release in the tree counts as signing it.
    std::fs::create_dir_all(d.join("dist")).unwrap();
    std::fs::write(d.join("dist/pkg-v1.2.tar.gz.asc"), "sig").unwrap();
    let r = assess(d, &opts()).unwrap();
    assert_eq!(check(&r, "Signed-Releases").score, Score::Value(5));

    let t = init();
    commit(t.path(), NOW - 5 * DAY, "A", "a@x.example", None, "x");
    let r = assess(t.path(), &opts()).unwrap();
    assert_eq!(check(&r, "Signed-Releases").score, Score::Inconclusive);
}

#[test]
fn forge_checks_are_left_out_of_the_aggregate() {
    let t = init();
    commit(t.path(), NOW - 5 * DAY, "A", "a@x.example", None, "x");
    let r = assess(t.path(), &opts()).unwrap();
    for n in [
        "Branch-Protection",
        "CI-Tests",
        "CII-Best-Practices",
        "Webhooks",
        "Vulnerabilities",
    ] {
        assert_eq!(check(&r, n).score, Score::Offline, "{n}");
    }
    let expected = ossgate_posture::aggregate(&r.checks).unwrap();
    assert_eq!(r.score, Some(expected));
    let json = ossgate_posture::to_json(&r);
    // 11 file checks (with Vulnerabilities), 4 history checks, 4 forge-only checks.
    assert_eq!(json["checks"].as_array().unwrap().len(), 19);
    let bp = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Webhooks")
        .unwrap();
    assert_eq!(bp["score"], -1);
    assert!(
        bp["reason"]
            .as_str()
            .unwrap()
            .contains("not available offline")
    );
    assert!(json["ossgate"]["bus_factor"].is_number());
    assert_eq!(json["repo"]["commit"].as_str().unwrap().len(), 40);
}

#[test]
fn malformed_workflow_and_dockerfile_give_findings_with_lines() {
    let t = init();
    let d = t.path();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::write(
        d.join(".github/workflows/bad.yml"),
        "on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n     bad: [unclosed\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM alpine:3\nRUN if true; then echo 'unterminated\nRUN curl https://x | sh\nFROM a b c d\n",
    )
    .unwrap();
    commit(d, NOW - 5 * DAY, "A", "a@x.example", None, "x");
    let r = assess(d, &opts()).unwrap();
    let dw = check(&r, "Dangerous-Workflow");
    let f = dw
        .findings
        .iter()
        .find(|f| f.kind == "invalid-workflow")
        .expect("finding");
    assert_eq!(f.file, ".github/workflows/bad.yml");
    assert!(f.line.is_some_and(|l| l >= 5), "{f:?}");
    let pd = check(&r, "Pinned-Dependencies");
    let pe: Vec<_> = pd
        .findings
        .iter()
        .filter(|f| f.kind == "processing-error")
        .collect();
    assert!(
        pe.iter()
            .any(|f| f.file == "Dockerfile" && f.line == Some(2)),
        "{pe:?}"
    );
    assert!(
        pe.iter()
            .any(|f| f.file == "Dockerfile" && f.line == Some(4)),
        "{pe:?}"
    );
    // The readable RUN is still analysed.
    assert!(
        pd.findings
            .iter()
            .any(|f| f.kind == "unpinned-downloadThenRun" && f.line == Some(3))
    );
}
