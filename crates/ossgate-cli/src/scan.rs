//! `ossgate scan`.

use crate::Ctx;
use crate::report::{self, ScanReport};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use ossgate_inventory::{Options, collect};
use ossgate_model::{Finding, Rating};
use ossgate_store::{AdvisoryStore, SqliteStore};
use ossgate_vulndb::match_components;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ScanArgs {
    /// A project directory (walked, respecting .gitignore) or one lockfile.
    pub path: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with 1 when a finding is at least this severe (`kev`: only known-exploited ones).
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
    /// Also walk node_modules, target, vendor and virtualenv directories.
    #[arg(long)]
    pub include_vendored: bool,
    /// Leave out paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The product release being scanned (purl or CPE): VEX statements about it apply.
    #[arg(long, value_name = "PURL")]
    pub product: Option<String>,
    /// VEX documents (OpenVEX, CycloneDX, CSAF) to apply, besides the store and the project's
    /// .ossgate/vex.openvex.json (repeatable).
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// List the findings VEX statements suppress (not_affected, fixed).
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Any,
    Low,
    Medium,
    High,
    Critical,
    Kev,
    Never,
}

impl FailOn {
    /// Whether a finding makes the scan fail. Informational advisories (RustSec's unmaintained,
    /// unsound, notice) are reported but never fail a scan, as with cargo-audit's warnings.
    pub fn fails(self, f: &Finding) -> bool {
        if f.informational.is_some() {
            return false;
        }
        let at_least = |r: Rating| f.severity.rating >= r;
        match self {
            FailOn::Any => true,
            FailOn::Low => at_least(Rating::Low),
            FailOn::Medium => at_least(Rating::Medium),
            FailOn::High => at_least(Rating::High),
            FailOn::Critical => at_least(Rating::Critical),
            FailOn::Kev => f.kev.is_some(),
            FailOn::Never => false,
        }
    }
}

pub fn run(ctx: &Ctx, args: ScanArgs) -> anyhow::Result<ExitCode> {
    let store_path = ctx.store_path();
    if !store_path.exists() {
        bail!(
            "no advisory store at {}: run `ossgate db import PATH` or `ossgate db sync` first",
            store_path.display()
        );
    }
    let store = SqliteStore::open_read(&store_path)?;
    let status_records = store.record_count()?;
    if status_records == 0 && !ctx.quiet {
        eprintln!(
            "warning: the advisory store {} is empty; every scan will come back clean",
            store_path.display()
        );
    }

    let inventory = collect(
        &args.path,
        &Options {
            include_vendored: args.include_vendored,
            exclude: args.exclude.clone(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.path.is_file()
        && let Some(e) = inventory.errors.first()
    {
        bail!("{e}");
    }
    let mut matches = match_components(&store, &inventory.components)
        .with_context(|| format!("matching against {}", store_path.display()))?;
    let (statements, sources) = crate::vex::gather(&store, &args.path, &args.vex)?;
    let findings = std::mem::take(&mut matches.findings);
    let (shown, mut triage) = crate::vex::triage(&statements, args.product.as_deref(), findings);
    matches.findings = shown;
    triage.sources = sources;
    triage.show_suppressed = args.show_suppressed;

    let report = ScanReport {
        target: args.path.display().to_string(),
        store: store_path.display().to_string(),
        advisories: status_records,
        inventory: &inventory,
        matches: &matches,
        vex: &triage,
    };
    let text = match args.format {
        Format::Json => report::json(&report)?,
        Format::Markdown => report::markdown(&report),
        Format::Table => report::table(&report, ctx.color && args.output.is_none()),
    };
    match &args.output {
        Some(path) => report::write_atomic(path, text.as_bytes())?,
        None => out!("{text}"),
    }
    if !ctx.quiet {
        for w in &inventory.warnings {
            eprintln!("warning: {w}");
        }
        for e in &inventory.errors {
            eprintln!("error: {e}");
        }
        let conflicts = triage.conflicts();
        if conflicts > 0 {
            eprintln!(
                "warning: VEX statements disagree on {conflicts} finding{}; the newest statement was applied (see `vex.conflicts` in --format json)",
                if conflicts == 1 { "" } else { "s" }
            );
        }
    }
    if !inventory.errors.is_empty() {
        // The results are incomplete: that must not pass a gate.
        return Ok(ExitCode::from(2));
    }
    let failing = matches.findings.iter().any(|f| args.fail_on.fails(f));
    Ok(ExitCode::from(if failing { 1 } else { 0 }))
}
