//! `ossgate inventory`: what is inside a project, without matching advisories.

use crate::Ctx;
use crate::report::write_atomic;
use crate::table::Table;
use clap::{Args, ValueEnum};
use ossgate_inventory::{Inventory, Options, collect};
use ossgate_model::Component;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct InventoryArgs {
    /// A project directory (walked, respecting .gitignore) or one lockfile.
    pub path: PathBuf,
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Leave out paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also walk node_modules, target, vendor and virtualenv directories.
    #[arg(long)]
    pub include_vendored: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Tree,
}

/// Version of the JSON output's shape (docs/inventory-json.md).
pub const JSON_SCHEMA_VERSION: u32 = 1;

pub fn run(ctx: &Ctx, args: InventoryArgs) -> anyhow::Result<ExitCode> {
    let inv = collect(
        &args.path,
        &Options {
            include_vendored: args.include_vendored,
            exclude: args.exclude.clone(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.path.is_file()
        && let Some(e) = inv.errors.first()
    {
        anyhow::bail!("{e}");
    }
    let text = match args.format {
        Format::Json => json_doc(&args, &inv)?,
        Format::Table => table(&inv, ctx.color && args.output.is_none()),
        Format::Tree => tree(&inv),
    };
    match &args.output {
        Some(p) => write_atomic(p, text.as_bytes())?,
        None => out!("{text}"),
    }
    if !ctx.quiet {
        for w in &inv.warnings {
            eprintln!("warning: {w}");
        }
        for e in &inv.errors {
            eprintln!("error: {e}");
        }
    }
    Ok(ExitCode::from(if inv.errors.is_empty() { 0 } else { 2 }))
}

fn json_doc(args: &InventoryArgs, inv: &Inventory) -> anyhow::Result<String> {
    let doc = json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "ossgate", "version": env!("CARGO_PKG_VERSION")},
        "target": args.path.display().to_string(),
        "summary": {
            "files": inv.files.len(),
            "components": inv.components.len(),
            "direct": inv.components.iter().filter(|c| c.direct).count(),
            "unresolved": inv.unresolved.len(),
            "errors": inv.errors.len(),
            "warnings": inv.warnings.len(),
        },
        "files": inv.files,
        "components": inv.components,
        "unresolved": inv.unresolved,
        "superseded": inv.superseded,
        "errors": inv.errors,
        "warnings": inv.warnings,
    });
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

fn location(c: &Component) -> String {
    let first = c.locations.first().map(|l| match l.line {
        Some(n) => format!("{}:{n}", l.file),
        None => l.file.clone(),
    });
    match (first, c.locations.len()) {
        (Some(s), 1) => s,
        (Some(s), n) => format!("{s} +{}", n - 1),
        (None, _) => String::new(),
    }
}

fn table(inv: &Inventory, color: bool) -> String {
    let mut t = Table::new(&[
        "ECOSYSTEM",
        "NAME",
        "VERSION",
        "SCOPE",
        "DIRECT",
        "LOCATION",
    ]);
    for c in &inv.components {
        t.row(vec![
            (c.ecosystem.to_string(), None),
            (c.name.clone(), None),
            (c.version.clone(), None),
            (format!("{:?}", c.scope).to_lowercase(), None),
            (
                if c.direct {
                    "yes".into()
                } else {
                    String::new()
                },
                None,
            ),
            (location(c), None),
        ]);
    }
    let mut out = t.render(color);
    out.push('\n');
    for f in &inv.files {
        out.push_str(&format!(
            "{}: {} components ({})\n",
            f.file, f.components, f.extractor
        ));
    }
    for s in &inv.superseded {
        out.push_str(&format!(
            "{}: not read, {} gives the versions\n",
            s.file, s.by
        ));
    }
    out.push_str(&format!(
        "{} components ({} direct) from {} file{}",
        inv.components.len(),
        inv.components.iter().filter(|c| c.direct).count(),
        inv.files.len(),
        if inv.files.len() == 1 { "" } else { "s" }
    ));
    if !inv.unresolved.is_empty() {
        out.push_str(&format!(
            "; {} requirements not resolved to a registry version",
            inv.unresolved.len()
        ));
    }
    if !inv.errors.is_empty() {
        out.push_str(&format!("; {} files could not be read", inv.errors.len()));
    }
    out.push('\n');
    out
}

/// The dependency graph from the direct components down; a component seen before on the path
/// is marked `(cycle)`, one already printed elsewhere `(*)`. Components that no direct one
/// reaches (formats without edges, or orphans) are listed at the root.
fn tree(inv: &Inventory) -> String {
    let by_purl: BTreeMap<&str, &Component> = inv
        .components
        .iter()
        .map(|c| (c.purl.as_str(), c))
        .collect();
    let mut out = String::new();
    let mut printed: BTreeSet<&str> = BTreeSet::new();
    fn walk<'a>(
        c: &'a Component,
        depth: usize,
        by_purl: &BTreeMap<&str, &'a Component>,
        path: &mut Vec<&'a str>,
        printed: &mut BTreeSet<&'a str>,
        out: &mut String,
    ) {
        let indent = "  ".repeat(depth);
        if path.contains(&c.purl.as_str()) {
            out.push_str(&format!("{indent}{} (cycle)\n", c.purl));
            return;
        }
        if !printed.insert(c.purl.as_str()) {
            out.push_str(&format!("{indent}{} (*)\n", c.purl));
            return;
        }
        out.push_str(&format!("{indent}{}\n", c.purl));
        path.push(c.purl.as_str());
        for d in &c.dependencies {
            if let Some(dep) = by_purl.get(d.as_str()) {
                walk(dep, depth + 1, by_purl, path, printed, out);
            }
        }
        path.pop();
    }
    let roots: Vec<&Component> = inv.components.iter().filter(|c| c.direct).collect();
    for r in roots {
        walk(r, 0, &by_purl, &mut Vec::new(), &mut printed, &mut out);
    }
    for c in &inv.components {
        if !printed.contains(c.purl.as_str()) {
            walk(c, 0, &by_purl, &mut Vec::new(), &mut printed, &mut out);
        }
    }
    out
}
