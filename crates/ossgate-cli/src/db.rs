//! `ossgate db import|sync|status`.

use crate::Ctx;
use crate::progress::Bar;
use crate::table::Table;
use clap::{Subcommand, ValueEnum};
use ossgate_store::{AdvisoryStore, SqliteStore};
use ossgate_vulndb::sync::{DEFAULT_BASE_URL, sync_ecosystem};
use ossgate_vulndb::{SourceReport, import_path};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Import OSV advisories (all.zip archives, directories of *.json records, single records)
    /// and CISA's known_exploited_vulnerabilities.json.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Exit with 2 when any record was skipped as invalid (default: only when a whole
        /// source failed).
        #[arg(long)]
        strict: bool,
        #[arg(long, short, value_enum, default_value_t = Fmt::Table)]
        format: Fmt,
    },
    /// Download OSV's per-ecosystem all.zip files (conditional requests: an unchanged
    /// ecosystem costs one request and no import).
    Sync {
        /// Ecosystems to sync (OSV names: crates.io, npm, PyPI, ...). Default: the ecosystems
        /// already in the store, or crates.io, npm and PyPI for an empty store.
        #[arg(long = "ecosystem", short = 'e', value_name = "E")]
        ecosystems: Vec<String>,
        /// Where the `<ecosystem>/all.zip` files are served from.
        #[arg(long, env = "OSSGATE_OSV_BASE_URL", default_value = DEFAULT_BASE_URL)]
        base_url: String,
        #[arg(long, short, value_enum, default_value_t = Fmt::Table)]
        format: Fmt,
    },
    /// Show what the store holds: ecosystems, record counts, sources, import and sync times.
    Status {
        #[arg(long, short, value_enum, default_value_t = Fmt::Table)]
        format: Fmt,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fmt {
    Table,
    Json,
}

pub fn run(ctx: &Ctx, cmd: DbCommand) -> anyhow::Result<ExitCode> {
    let mut store = SqliteStore::open(&ctx.store_path())?;
    match cmd {
        DbCommand::Import {
            paths,
            strict,
            format,
        } => {
            let progress = Bar::boxed(ctx.show_progress());
            let mut reports: Vec<SourceReport> = Vec::new();
            for p in &paths {
                reports.extend(import_path(&mut store, p, progress.as_ref()));
            }
            print_imports(ctx, &reports, format)?;
            let failed = reports.iter().any(|r| r.failed.is_some());
            let skipped = reports.iter().any(|r| !r.errors.is_empty());
            Ok(ExitCode::from(if failed || (strict && skipped) {
                2
            } else {
                0
            }))
        }
        DbCommand::Sync {
            ecosystems,
            base_url,
            format,
        } => {
            let ecosystems = if ecosystems.is_empty() {
                let known: Vec<String> = store
                    .status()?
                    .ecosystems
                    .into_iter()
                    .map(|e| e.ecosystem)
                    .collect();
                if known.is_empty() {
                    vec!["crates.io".into(), "npm".into(), "PyPI".into()]
                } else {
                    known
                }
            } else {
                ecosystems
            };
            let progress = Bar::boxed(ctx.show_progress());
            let mut reports = Vec::new();
            for eco in &ecosystems {
                reports.push(sync_ecosystem(
                    &mut store,
                    &base_url,
                    eco,
                    &ctx.home,
                    progress.as_ref(),
                ));
            }
            if format == Fmt::Json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "sync": reports }))?
                );
            } else if !ctx.quiet {
                for r in &reports {
                    match (&r.import, &r.error) {
                        (_, Some(e)) => eprintln!("{}: failed: {e}", r.ecosystem),
                        (Some(i), None) => outln!(
                            "{}: updated ({} new, {} replaced, {} unchanged, {} skipped)",
                            r.ecosystem,
                            i.inserted,
                            i.replaced,
                            i.unchanged,
                            i.errors.len()
                        ),
                        (None, None) => outln!("{}: not modified", r.ecosystem),
                    }
                }
            }
            let failed = reports.iter().any(|r| r.error.is_some());
            Ok(ExitCode::from(if failed { 2 } else { 0 }))
        }
        DbCommand::Status { format } => {
            let st = store.status()?;
            if format == Fmt::Json {
                let doc = json!({
                    "store": st.location,
                    "records": st.records,
                    "withdrawn": st.withdrawn,
                    "kev_entries": st.kev_entries,
                    "ecosystems": st.ecosystems.iter().map(|e| {
                        let src = st.sources.iter().find(|s| s.key == e.ecosystem);
                        json!({
                            "ecosystem": e.ecosystem,
                            "records": e.records,
                            "withdrawn": e.withdrawn,
                            "source": src.map(|s| s.location.clone()),
                            "imported_at": src.and_then(|s| s.imported_at.clone()),
                            "synced_at": src.and_then(|s| s.synced_at.clone()),
                        })
                    }).collect::<Vec<_>>(),
                    "kev": st.sources.iter().find(|s| s.key == "CISA KEV").map(|s| json!({
                        "source": s.location, "imported_at": s.imported_at,
                    })),
                });
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                outln!("store: {}", st.location);
                let mut t = Table::new(&[
                    "ECOSYSTEM",
                    "RECORDS",
                    "WITHDRAWN",
                    "SOURCE",
                    "IMPORTED",
                    "SYNCED",
                ]);
                for e in &st.ecosystems {
                    let src = st.sources.iter().find(|s| s.key == e.ecosystem);
                    t.row(vec![
                        (e.ecosystem.clone(), None),
                        (e.records.to_string(), None),
                        (e.withdrawn.to_string(), None),
                        (src.map(|s| s.location.clone()).unwrap_or_default(), None),
                        (
                            src.and_then(|s| s.imported_at.clone()).unwrap_or_default(),
                            None,
                        ),
                        (
                            src.and_then(|s| s.synced_at.clone())
                                .unwrap_or_else(|| "-".into()),
                            None,
                        ),
                    ]);
                }
                out!("{}", t.render(ctx.color));
                outln!(
                    "{} records ({} withdrawn, kept but never matched); {} CISA KEV entries",
                    st.records,
                    st.withdrawn,
                    st.kev_entries
                );
                if let Some(k) = st.sources.iter().find(|s| s.key == "CISA KEV") {
                    outln!(
                        "KEV: {} imported {}",
                        k.location,
                        k.imported_at.as_deref().unwrap_or("-")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_imports(ctx: &Ctx, reports: &[SourceReport], format: Fmt) -> anyhow::Result<()> {
    if format == Fmt::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({ "imports": reports }))?
        );
        return Ok(());
    }
    for r in reports {
        if let Some(f) = &r.failed {
            eprintln!("error: {}: {f}", r.source);
            continue;
        }
        for e in &r.errors {
            eprintln!("warning: skipped {e}");
        }
        if ctx.quiet {
            continue;
        }
        if r.kind == "kev" {
            outln!("{}: {} KEV entries", r.source, r.kev_entries);
        } else {
            outln!(
                "{}: {} records ({} new, {} replaced, {} unchanged, {} withdrawn, {} skipped)",
                r.source,
                r.records_read(),
                r.inserted,
                r.replaced,
                r.unchanged,
                r.withdrawn,
                r.errors.len()
            );
        }
    }
    Ok(())
}
