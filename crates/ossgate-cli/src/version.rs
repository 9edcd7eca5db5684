//! `ossgate version compare|affected`: the version rules on their own, for checking and scripts.

use crate::Ctx;
use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use ossgate_model::Ecosystem;
use ossgate_version::{Decision, SchemeKind, compare, evaluate, for_ecosystem};
use ossgate_vulndb::record::parse_record;
use std::cmp::Ordering;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum VersionCommand {
    /// Compare two versions under an ecosystem's rules; prints `<`, `=` or `>`.
    ///
    /// With --stdin, reads lines `A B` (whitespace-separated) and prints one symbol per line, or
    /// `error: ...` for a line it cannot compare (exit code 2 if any line could not be).
    Compare {
        /// OSV ecosystem name: npm, crates.io, PyPI, Go, Maven, ...
        ecosystem: String,
        #[arg(required_unless_present = "stdin")]
        a: Option<String>,
        #[arg(required_unless_present = "stdin")]
        b: Option<String>,
        #[arg(long, conflicts_with_all = ["a", "b"])]
        stdin: bool,
    },
    /// Whether VERSION of package NAME is affected by the OSV record in RECORD, and which range
    /// or list entry decided it. Exit code 0: not affected, 1: affected, 2: error or cannot tell.
    Affected {
        record: PathBuf,
        ecosystem: String,
        name: String,
        version: String,
    },
}

fn scheme(ecosystem: &str) -> anyhow::Result<(Ecosystem, SchemeKind)> {
    let eco = Ecosystem::parse(ecosystem);
    let kind = for_ecosystem(&eco).ok_or_else(|| {
        anyhow!(
            "no version ordering for ecosystem `{ecosystem}` (supported: {})",
            ossgate_version::supported().join(", ")
        )
    })?;
    Ok((eco, kind))
}

fn symbol(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

pub fn run(_ctx: &Ctx, cmd: VersionCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        VersionCommand::Compare {
            ecosystem,
            a,
            b,
            stdin,
        } => {
            let (_, kind) = scheme(&ecosystem)?;
            if !stdin {
                let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
                let o = compare(kind, &a, &b).map_err(|e| anyhow!("{e}"))?;
                outln!("{}", symbol(o));
                return Ok(ExitCode::SUCCESS);
            }
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut failed = false;
            for (i, line) in std::io::stdin().lock().lines().enumerate() {
                let line = line.context("reading standard input")?;
                let mut parts = line.split_whitespace();
                let result = match (parts.next(), parts.next(), parts.next()) {
                    (Some(a), Some(b), None) => {
                        compare(kind, a, b).map(symbol).map_err(|e| e.to_string())
                    }
                    (None, _, _) => Err("empty line".to_string()),
                    _ => Err(format!("line {}: expected two versions", i + 1)),
                };
                match result {
                    Ok(s) => writeln!(out, "{s}")?,
                    Err(e) => {
                        failed = true;
                        writeln!(out, "error: {e}")?;
                    }
                }
            }
            out.flush()?;
            Ok(ExitCode::from(if failed { 2 } else { 0 }))
        }
        VersionCommand::Affected {
            record,
            ecosystem,
            name,
            version,
        } => {
            let bytes =
                std::fs::read(&record).with_context(|| format!("reading {}", record.display()))?;
            let (rec, _) = parse_record(bytes).map_err(|e| anyhow!("{}: {e}", record.display()))?;
            let eco = Ecosystem::parse(&ecosystem);
            let want = eco.normalize_name(&name);
            let entries: Vec<(usize, &ossgate_model::osv::Affected)> = rec
                .affected
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    a.package.as_ref().is_some_and(|p| {
                        let pe = Ecosystem::parse(&p.ecosystem);
                        pe == eco && pe.normalize_name(&p.name) == want
                    })
                })
                .collect();
            if entries.is_empty() {
                bail!(
                    "{} has no affected[] entry for {ecosystem} package {name}",
                    rec.id
                );
            }
            let mut cannot = Vec::new();
            for (i, entry) in &entries {
                match evaluate(&eco, entry, &version) {
                    Decision::Affected(why) => {
                        outln!("affected: {} affected[{i}] {why}", rec.id);
                        return Ok(ExitCode::from(1));
                    }
                    Decision::CannotEvaluate(r) => cannot.push(format!("affected[{i}]: {r}")),
                    Decision::NotAffected => {}
                }
            }
            if cannot.len() == entries.len() {
                outln!("cannot evaluate: {}", cannot.join("; "));
                return Ok(ExitCode::from(2));
            }
            outln!(
                "not affected: {name} {version} is outside every range and list of {}",
                rec.id
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
