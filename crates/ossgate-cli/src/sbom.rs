//! `ossgate sbom`: write an SBOM of a project, validate one, compare two.

use crate::Ctx;
use crate::report::write_atomic;
use clap::{Args, Subcommand, ValueEnum};
use ossgate_inventory::{Options, collect};
use ossgate_model::Component;
use ossgate_sbom::completeness::{self, Standard};
use ossgate_sbom::read::{self, DocKind};
use ossgate_sbom::{CdxVersion, Format, Schema, Subject, WriteOptions};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SbomArgs {
    #[command(subcommand)]
    pub command: Option<SbomCommand>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Subcommand)]
pub enum SbomCommand {
    /// Check an SBOM against its official schema and the NTIA / BSI TR-03183-2 minimum
    /// elements. Exit code 1 when a required check fails, with every failing element listed.
    Validate(ValidateArgs),
    /// Components added, removed and changed between two SBOMs or project trees.
    Diff(DiffArgs),
}

#[derive(Args)]
pub struct WriteArgs {
    /// A project directory (walked, respecting .gitignore), a lockfile, or an SBOM.
    #[arg(required = true)]
    pub path: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = OutFormat::CyclonedxJson)]
    pub format: OutFormat,
    /// CycloneDX specification version.
    #[arg(long, value_name = "VERSION", default_value = "1.6",
          value_parser = ["1.4", "1.5", "1.6", "1.7"])]
    pub spec_version: String,
    /// Byte-identical output for identical input: the timestamp is $SOURCE_DATE_EPOCH (or
    /// 1970-01-01) and the serial number / namespace is derived from the content.
    #[arg(long)]
    pub reproducible: bool,
    /// The product's name (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The product release the SBOM describes.
    #[arg(long = "product-version", value_name = "VERSION")]
    pub product_version: Option<String>,
    /// The product's purl (the dependency root), e.g. pkg:generic/acme/app@2.1.0.
    #[arg(long, value_name = "PURL")]
    pub product: Option<String>,
    /// Who made the SBOM (a person or organisation, optionally with "<email>").
    #[arg(long)]
    pub author: Option<String>,
    /// The product's supplier.
    #[arg(long)]
    pub supplier: Option<String>,
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
pub enum OutFormat {
    CyclonedxJson,
    CyclonedxXml,
    SpdxJson,
    SpdxTagValue,
}

#[derive(Args)]
pub struct ValidateArgs {
    /// The SBOM: CycloneDX (JSON or XML) or SPDX 2.x (JSON or tag-value).
    pub file: PathBuf,
    /// Which checks decide the exit code (comma-separated): schema, ntia, bsi.
    #[arg(long, value_delimiter = ',', default_value = "schema,ntia")]
    pub require: Vec<Requirement>,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Requirement {
    Schema,
    Ntia,
    Bsi,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The earlier release: an SBOM, a lockfile or a project directory.
    pub old: PathBuf,
    /// The later release.
    pub new: PathBuf,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Exit with 1 when anything changed.
    #[arg(long)]
    pub exit_code: bool,
}

pub fn run(ctx: &Ctx, args: SbomArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(SbomCommand::Validate(v)) => validate(ctx, v),
        Some(SbomCommand::Diff(d)) => diff(ctx, d),
        None => write(ctx, args.write),
    }
}

/// The inventory of `path`; a single file that cannot be read is an error.
fn components(
    path: &Path,
    exclude: &[String],
    include_vendored: bool,
) -> anyhow::Result<Vec<Component>> {
    let inv = collect(
        path,
        &Options {
            include_vendored,
            exclude: exclude.to_vec(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(e) = inv.errors.first() {
        if path.is_file() {
            anyhow::bail!("{e}");
        }
        for e in &inv.errors {
            eprintln!("warning: {e}");
        }
    }
    Ok(inv.components)
}

fn write(ctx: &Ctx, args: WriteArgs) -> anyhow::Result<ExitCode> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let comps = components(&path, &args.exclude, args.include_vendored)?;
    let name = args.name.clone().unwrap_or_else(|| {
        let abs = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let base = if abs.is_file() {
            abs.parent().map(Path::to_path_buf).unwrap_or(abs)
        } else {
            abs
        };
        base.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project".into())
    });
    let opts = WriteOptions {
        format: match args.format {
            OutFormat::CyclonedxJson => Format::CycloneDxJson,
            OutFormat::CyclonedxXml => Format::CycloneDxXml,
            OutFormat::SpdxJson => Format::SpdxJson,
            OutFormat::SpdxTagValue => Format::SpdxTagValue,
        },
        cdx_version: CdxVersion::parse(&args.spec_version).unwrap_or(CdxVersion::V1_6),
        reproducible: args.reproducible,
        author: args.author.clone(),
        supplier: args.supplier.clone(),
    };
    let subject = Subject {
        name,
        version: args.product_version.clone(),
        purl: args.product.clone(),
    };
    let text = ossgate_sbom::write(&subject, &comps, &opts)?;
    match &args.output {
        Some(p) => {
            write_atomic(p, text.as_bytes())?;
            if !ctx.quiet {
                eprintln!("wrote {} components to {}", comps.len(), p.display());
            }
        }
        None => out!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(_ctx: &Ctx, args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let shown = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = read::sniff(&file_name, &text)
        .ok_or_else(|| anyhow::anyhow!("{shown}: not a CycloneDX or SPDX 2.x document"))?;
    let (doc, warnings) = read::to_json(kind, &text).map_err(|e| match e.line {
        Some(l) => anyhow::anyhow!("{shown}:{l}: {}", e.message),
        None => anyhow::anyhow!("{shown}: {}", e.message),
    })?;
    let schema = Schema::for_document(&doc);
    let schema_errors = schema
        .map(|s| ossgate_sbom::validate(s, &doc, 1000))
        .unwrap_or_default();
    let report = completeness::check(&doc);
    let failed: Vec<&str> = args
        .require
        .iter()
        .filter_map(|r| match r {
            Requirement::Schema if schema.is_none() || !schema_errors.is_empty() => Some("schema"),
            Requirement::Ntia if !report.passes(Standard::Ntia) => Some("ntia"),
            Requirement::Bsi if !report.passes(Standard::Bsi) => Some("bsi"),
            _ => None,
        })
        .collect();
    let kind_name = match kind {
        DocKind::CycloneDxJson => "CycloneDX JSON",
        DocKind::CycloneDxXml => "CycloneDX XML",
        DocKind::SpdxJson => "SPDX JSON",
        DocKind::SpdxTagValue => "SPDX tag-value",
    };
    match args.format {
        ReportFormat::Json => {
            let v = json!({
                "file": shown,
                "format": kind_name,
                "schema": schema.map(|s| s.name()),
                "schema_errors": schema_errors,
                "read_warnings": warnings.iter().map(|w| json!({"path": w.path, "line": w.line, "message": w.message})).collect::<Vec<_>>(),
                "completeness": report,
                "failed": failed,
            });
            outln!("{}", serde_json::to_string_pretty(&v)?);
        }
        ReportFormat::Text => {
            let mut out = String::new();
            match schema {
                Some(s) if schema_errors.is_empty() => out.push_str(&format!(
                    "{shown}: {kind_name}, valid against the {}\n",
                    s.name()
                )),
                Some(s) => {
                    out.push_str(&format!(
                        "{shown}: {kind_name}, {} violation(s) of the {}:\n",
                        schema_errors.len(),
                        s.name()
                    ));
                    for e in &schema_errors {
                        out.push_str(&format!(
                            "  {}: {}\n",
                            if e.path.is_empty() { "/" } else { &e.path },
                            e.message
                        ));
                    }
                }
                None => out.push_str(&format!(
                    "{shown}: {kind_name}, no schema for this version\n"
                )),
            }
            for w in &warnings {
                out.push_str(&format!("  warning: {}: {}\n", w.path, w.message));
            }
            for standard in [Standard::Ntia, Standard::Bsi] {
                let rows: Vec<_> = report
                    .summary
                    .iter()
                    .filter(|s| s.standard == standard)
                    .collect();
                let ok = report.passes(standard);
                out.push_str(&format!(
                    "{}: {}\n",
                    standard.name(),
                    if ok { "complete" } else { "incomplete" }
                ));
                for s in rows {
                    let mark = if s.missing == 0 { "ok  " } else { "FAIL" };
                    out.push_str(&format!(
                        "  {mark} {:28} {} of {} lack it\n",
                        s.element, s.missing, s.checked
                    ));
                }
            }
            let failing: Vec<_> = report
                .missing
                .iter()
                .filter(|m| {
                    args.require.iter().any(|r| {
                        matches!(
                            (r, m.standard),
                            (Requirement::Ntia, Standard::Ntia) | (Requirement::Bsi, Standard::Bsi)
                        )
                    })
                })
                .collect();
            if !failing.is_empty() {
                out.push_str("missing elements:\n");
                for m in failing {
                    out.push_str(&format!(
                        "  [{}] {} at {}: {}\n",
                        m.standard.name(),
                        m.element,
                        m.path,
                        m.message
                    ));
                }
            }
            out!("{out}");
        }
    }
    Ok(ExitCode::from(if failed.is_empty() { 0 } else { 1 }))
}

fn diff(_ctx: &Ctx, args: DiffArgs) -> anyhow::Result<ExitCode> {
    let old = components(&args.old, &[], false)?;
    let new = components(&args.new, &[], false)?;
    let d = ossgate_sbom::diff::diff(&old, &new);
    match args.format {
        ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&d)?),
        ReportFormat::Text => out!("{}", d.text()),
    }
    Ok(ExitCode::from(if args.exit_code && !d.is_empty() {
        1
    } else {
        0
    }))
}
