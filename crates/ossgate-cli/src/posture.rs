//! `ossgate posture`: Scorecard-style posture and health of local git checkouts, offline.
//! One or more PATHs give a table or one JSON document each; `--batch DIR` assesses every
//! repository below DIR in parallel (rayon) and writes JSON lines, with a progress bar on a
//! terminal. The Vulnerabilities check scans each repository's own lockfiles against the local
//! advisory store (when there is one); the posture crate sees it only through `VulnSource`.

use crate::Ctx;
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use ossgate_inventory::{Options as InvOptions, collect};
use ossgate_posture::{Options, Report, Score, VulnHit, VulnSource, assess, to_json};
use ossgate_store::SqliteStore;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct PostureArgs {
    /// Git checkouts or bare repositories to assess.
    #[arg(required_unless_present = "batch")]
    pub paths: Vec<PathBuf>,
    /// Assess every git repository below DIR in parallel; JSON lines on standard output.
    #[arg(long, value_name = "DIR", conflicts_with = "paths")]
    pub batch: Option<PathBuf>,
    /// Output format (for PATHs; --batch always writes JSON lines).
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Lockfile vulnerabilities from the local store, opened per repository (SQLite connections
/// are not shared across threads).
struct StoreVulns {
    store: PathBuf,
}

impl VulnSource for StoreVulns {
    fn vulnerabilities(&self, root: &Path) -> Result<Vec<VulnHit>, String> {
        let store = SqliteStore::open_read(&self.store).map_err(|e| e.to_string())?;
        let inv = collect(root, &InvOptions::default()).map_err(|e| e.to_string())?;
        let m =
            ossgate_vulndb::match_components(&store, &inv.components).map_err(|e| e.to_string())?;
        Ok(m.findings
            .iter()
            .filter(|f| f.informational.is_none())
            .map(|f| VulnHit {
                id: f.id.clone(),
                file: f
                    .sources
                    .first()
                    .map(|s| s.file.clone())
                    .unwrap_or_default(),
                package: format!("{}@{}", f.name, f.version),
            })
            .collect())
    }
}

pub fn run(ctx: &Ctx, args: PostureArgs) -> anyhow::Result<ExitCode> {
    let store_path = ctx.store_path();
    let vulns = store_path
        .exists()
        .then_some(StoreVulns { store: store_path });
    let opts = Options {
        now: None,
        vulns: vulns.as_ref().map(|v| v as &dyn VulnSource),
    };
    if let Some(dir) = &args.batch {
        return batch(ctx, dir, &opts);
    }
    let mut failed = false;
    for p in &args.paths {
        match assess(p, &opts) {
            Ok(r) => match args.format {
                Format::Json => outln!("{}", serde_json::to_string_pretty(&to_json(&r))?),
                Format::Table => out!("{}", table(&r)),
            },
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    Ok(ExitCode::from(if failed { 2 } else { 0 }))
}

/// Git repositories below `dir`: directories holding `.git`, and bare repositories. The walk
/// does not descend into a repository once found.
fn find_repos(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join(".git").exists()
            || (d.join("HEAD").is_file() && d.join("objects").is_dir() && d.join("refs").is_dir())
        {
            out.push(d);
            continue;
        }
        let rd = std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))?;
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn batch(ctx: &Ctx, dir: &Path, opts: &Options) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        bail!("{}: not a directory", dir.display());
    }
    let repos = find_repos(dir)?;
    let bar = if ctx.show_progress() {
        let b = ProgressBar::new(repos.len() as u64);
        b.set_style(
            ProgressStyle::with_template("posture [{bar:30}] {pos}/{len} repositories ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };
    let results: Vec<(PathBuf, Result<Report, String>)> = repos
        .par_iter()
        .map(|p| {
            let r = assess(p, opts).map_err(|e| e.to_string());
            if let Some(b) = &bar {
                b.inc(1);
            }
            (p.clone(), r)
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut failed = false;
    let mut text = String::new();
    for (p, r) in results {
        let v = match r {
            Ok(r) => {
                let mut v = to_json(&r);
                v["path"] = serde_json::Value::from(p.display().to_string());
                v
            }
            Err(e) => {
                failed = true;
                serde_json::json!({"path": p.display().to_string(), "error": e})
            }
        };
        text.push_str(&serde_json::to_string(&v)?);
        text.push('\n');
    }
    out!("{text}");
    Ok(ExitCode::from(if failed { 2 } else { 0 }))
}

fn table(r: &Report) -> String {
    let mut s = format!(
        "{} @ {}  aggregate score: {}\n\n",
        r.name,
        r.commit
            .as_deref()
            .map(|c| &c[..c.len().min(12)])
            .unwrap_or("(no commits)"),
        r.score
            .map(|v| format!("{v:.1}/10"))
            .unwrap_or_else(|| "n/a".into())
    );
    s.push_str(&format!("{:<24} {:>6}  {}\n", "CHECK", "SCORE", "REASON"));
    for c in &r.checks {
        let score = match c.score {
            Score::Value(v) => format!("{v}"),
            Score::Inconclusive => "?".into(),
            Score::Offline => "-".into(),
        };
        let approx = if c.approximate { " (approximate)" } else { "" };
        s.push_str(&format!(
            "{:<24} {:>6}  {}{}\n",
            c.name, score, c.reason, approx
        ));
    }
    let h = &r.health;
    s.push_str(&format!(
        "\nhealth: {} commits, {} releases, last release {} days ago, cadence {} days, bus factor {}, \
         active maintainers {} (90d) / {} (365d), largest organisation {} ({}), best-practices badge: {}\n",
        h.commits,
        h.releases,
        h.days_since_last_release.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        h.release_cadence_days.map(|d| format!("{d:.0}")).unwrap_or_else(|| "-".into()),
        h.bus_factor,
        h.active_maintainers_90d,
        h.active_maintainers_365d,
        h.largest_org.as_deref().unwrap_or("-"),
        h.largest_org_share.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "-".into()),
        if h.best_practices_badge { "yes" } else { "no" },
    ));
    s
}
