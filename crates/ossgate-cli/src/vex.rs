//! `ossgate vex set|log|import|export`, and the VEX step of `ossgate scan`: gathering statements
//! (the store, the repository's `.ossgate/vex.openvex.json`, `--vex` files) and applying them
//! to findings (the rule is `ossgate_vex`'s: see docs/vex.md).

use crate::Ctx;
use crate::table::Table;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use ossgate_model::Finding;
use ossgate_store::{AdvisoryStore, SqliteStore, VexFilter, VexRow, VexStore};
use ossgate_vex::apply::Via;
use ossgate_vex::{Format, Index, Justification, Statement, Status, WriteOptions};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where a project keeps its VEX decisions ("VEX as code"), relative to the scanned directory.
pub const REPO_FILE: &str = ".ossgate/vex.openvex.json";

#[derive(Subcommand)]
pub enum VexCommand {
    /// Record a triage decision: in the store (history kept), or with --file in the project's
    /// OpenVEX file, reviewed like code.
    Set(SetArgs),
    /// Show who decided what and when (oldest first; superseded decisions marked).
    Log(LogArgs),
    /// Add the statements of OpenVEX, CycloneDX or CSAF documents to the store.
    Import(ImportArgs),
    /// Write a VEX document for a product release: every vulnerability a scan of PATH finds,
    /// with its triage status (under_investigation where there is none).
    Export(ExportArgs),
}

/// The statuses as VEX spells them (`not_affected`); the kebab-case spelling is accepted too.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum StatusArg {
    #[value(alias = "not-affected")]
    NotAffected,
    Affected,
    Fixed,
    #[value(alias = "under-investigation")]
    UnderInvestigation,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Status {
        match s {
            StatusArg::NotAffected => Status::NotAffected,
            StatusArg::Affected => Status::Affected,
            StatusArg::Fixed => Status::Fixed,
            StatusArg::UnderInvestigation => Status::UnderInvestigation,
        }
    }
}

/// The OpenVEX / CISA justifications (`vulnerable_code_not_present`); kebab-case accepted too.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum JustificationArg {
    #[value(alias = "component-not-present")]
    ComponentNotPresent,
    #[value(alias = "vulnerable-code-not-present")]
    VulnerableCodeNotPresent,
    #[value(alias = "vulnerable-code-not-in-execute-path")]
    VulnerableCodeNotInExecutePath,
    #[value(alias = "vulnerable-code-cannot-be-controlled-by-adversary")]
    VulnerableCodeCannotBeControlledByAdversary,
    #[value(alias = "inline-mitigations-already-exist")]
    InlineMitigationsAlreadyExist,
}

impl From<JustificationArg> for Justification {
    fn from(j: JustificationArg) -> Justification {
        match j {
            JustificationArg::ComponentNotPresent => Justification::ComponentNotPresent,
            JustificationArg::VulnerableCodeNotPresent => Justification::VulnerableCodeNotPresent,
            JustificationArg::VulnerableCodeNotInExecutePath => {
                Justification::VulnerableCodeNotInExecutePath
            }
            JustificationArg::VulnerableCodeCannotBeControlledByAdversary => {
                Justification::VulnerableCodeCannotBeControlledByAdversary
            }
            JustificationArg::InlineMitigationsAlreadyExist => {
                Justification::InlineMitigationsAlreadyExist
            }
        }
    }
}

#[derive(Args)]
pub struct SetArgs {
    /// The vulnerability id (CVE, GHSA, OSV id).
    pub vuln: String,
    /// The product: a purl (with version: one release; without: every release) or a CPE.
    #[arg(long, value_name = "PURL")]
    pub product: String,
    #[arg(long, value_enum)]
    pub status: StatusArg,
    /// Why the product is not affected (with --status not_affected).
    #[arg(long, value_enum)]
    pub justification: Option<JustificationArg>,
    /// The impact statement: why the product is not affected, in words.
    #[arg(long, value_name = "TEXT")]
    pub statement: Option<String>,
    /// The action statement: what users should do (required with --status affected).
    #[arg(long, value_name = "TEXT")]
    pub action: Option<String>,
    /// How the status was determined.
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// A component inside the product the decision is about (repeatable).
    #[arg(long = "subcomponent", value_name = "PURL")]
    pub subcomponents: Vec<String>,
    /// Another id of the vulnerability (repeatable).
    #[arg(long = "alias", value_name = "ID")]
    pub aliases: Vec<String>,
    /// Who decided (default: $OSSGATE_AUTHOR, else $USER).
    #[arg(long)]
    pub author: Option<String>,
    /// When (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub timestamp: Option<String>,
    /// Write the decision to this OpenVEX file instead of the store (created if missing);
    /// without a value, the project file .ossgate/vex.openvex.json.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = REPO_FILE)]
    pub file: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fmt {
    Table,
    Json,
}

#[derive(Args)]
pub struct LogArgs {
    /// Only statements whose product covers PURL (or is exactly PURL).
    #[arg(long, value_name = "PURL")]
    pub product: Option<String>,
    /// Only statements about this vulnerability (id or alias).
    #[arg(long, value_name = "ID")]
    pub vuln: Option<String>,
    /// Only the current statements (leave out superseded ones).
    #[arg(long)]
    pub current: bool,
    #[arg(long, short, value_enum, default_value_t = Fmt::Table)]
    pub format: Fmt,
}

#[derive(Args)]
pub struct ImportArgs {
    /// OpenVEX, CycloneDX (VEX or SBOM with vulnerabilities) or CSAF 2.0 documents.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Openvex,
    Cyclonedx,
    Csaf,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The release being described: a project directory, a lockfile or an SBOM.
    pub path: PathBuf,
    /// The product release's purl (or CPE).
    #[arg(long, value_name = "PURL")]
    pub product: String,
    #[arg(long, short, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// More VEX documents to take statements from (repeatable).
    #[arg(long = "vex", value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// The document's author / CSAF publisher name (default: $OSSGATE_AUTHOR, else $USER).
    #[arg(long)]
    pub author: Option<String>,
    /// CSAF publisher namespace: a URL the author controls.
    #[arg(long, value_name = "URL", default_value = "https://ossgate.invalid")]
    pub namespace: String,
    /// Also walk node_modules, target, vendor and virtualenv directories.
    #[arg(long)]
    pub include_vendored: bool,
}

fn default_author() -> String {
    std::env::var("OSSGATE_AUTHOR")
        .or_else(|_| std::env::var("USER"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn statement_to_row(s: &Statement, source: &str) -> VexRow {
    let ts = s.timestamp.unwrap_or_else(jiff::Timestamp::now);
    VexRow {
        id: 0,
        vulnerability: s.vulnerability.clone(),
        aliases: s.aliases.clone(),
        product: s.product.clone(),
        subcomponents: s.subcomponents.clone(),
        status: s.status.as_str().into(),
        justification: s.justification.map(|j| j.as_str().into()),
        impact_statement: s.impact_statement.clone(),
        action_statement: s.action_statement.clone(),
        notes: s.notes.clone(),
        author: s.author.clone().unwrap_or_else(|| "unknown".into()),
        timestamp: ossgate_vex::format_time(ts),
        timestamp_us: ts.as_microsecond(),
        source: source.into(),
    }
}

/// A stored row as a statement; its source is `store`, or `store: FILE` for imported rows.
pub fn row_to_statement(r: &VexRow) -> anyhow::Result<Statement> {
    let status = Status::parse(&r.status).with_context(|| {
        format!(
            "store: VEX statement {} has unknown status {:?}",
            r.id, r.status
        )
    })?;
    Ok(Statement {
        vulnerability: r.vulnerability.clone(),
        aliases: r.aliases.clone(),
        description: None,
        product: r.product.clone(),
        subcomponents: r.subcomponents.clone(),
        status,
        justification: r.justification.as_deref().and_then(Justification::parse),
        impact_statement: r.impact_statement.clone(),
        action_statement: r.action_statement.clone(),
        notes: r.notes.clone(),
        author: Some(r.author.clone()),
        timestamp: jiff::Timestamp::from_microsecond(r.timestamp_us).ok(),
        source: if r.source == "cli" {
            "store".into()
        } else {
            format!("store: {}", r.source)
        },
    })
}

fn build_statement(a: &SetArgs) -> anyhow::Result<Statement> {
    let status: Status = a.status.into();
    if a.justification.is_some() && status != Status::NotAffected {
        bail!("--justification goes with --status not_affected only");
    }
    let mut s = Statement::new(a.vuln.trim(), a.product.trim(), status);
    if s.vulnerability.is_empty() || s.product.is_empty() {
        bail!("the vulnerability id and --product must not be empty");
    }
    s.aliases = a.aliases.clone();
    s.subcomponents = a.subcomponents.clone();
    s.justification = a.justification.map(Into::into);
    s.impact_statement = a.statement.clone();
    s.action_statement = a.action.clone();
    s.notes = a.notes.clone();
    s.author = Some(a.author.clone().unwrap_or_else(default_author));
    s.timestamp = Some(match &a.timestamp {
        Some(t) => ossgate_vex::parse_time(t)
            .with_context(|| format!("--timestamp {t:?} is not an RFC 3339 time"))?,
        None => jiff::Timestamp::now(),
    });
    if let Some(why) = s.incomplete() {
        bail!("{why} (--justification / --statement, --action)");
    }
    Ok(s)
}

/// Appends `s` to the OpenVEX file at `path` (created when missing), keeping everything else
/// in the file as it is, and writes it atomically.
fn append_to_file(path: &Path, s: &Statement) -> anyhow::Result<()> {
    let doc = if path.exists() {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file = path.display().to_string();
        let parsed = ossgate_vex::read_bytes(&bytes, &file)?;
        if parsed.format != Format::OpenVex {
            bail!(
                "{file} is a {} document; `vex set --file` edits OpenVEX files",
                parsed.format.name()
            );
        }
        let mut v: Value = serde_json::from_slice(&bytes)?;
        let now = ossgate_vex::format_time(jiff::Timestamp::now());
        if let Some(list) = v.get_mut("statements").and_then(Value::as_array_mut) {
            list.push(ossgate_vex::openvex::statement_json(s));
        }
        if let Some(o) = v.as_object_mut() {
            o.insert("last_updated".into(), Value::String(now));
            let next = o.get("version").and_then(Value::as_u64).unwrap_or(0) + 1;
            o.insert("version".into(), next.into());
        }
        v
    } else {
        let mut opts = WriteOptions::new(
            s.author.clone().unwrap_or_else(default_author),
            jiff::Timestamp::now(),
        );
        opts.id = Some(format!("urn:uuid:{}", uuid::Uuid::new_v4()));
        ossgate_vex::openvex::write(std::slice::from_ref(s), &opts)
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    crate::report::write_atomic(path, text.as_bytes())
}

pub fn run(ctx: &Ctx, cmd: VexCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        VexCommand::Set(a) => {
            let s = build_statement(&a)?;
            match &a.file {
                Some(path) => {
                    append_to_file(path, &s)?;
                    if !ctx.quiet {
                        eprintln!(
                            "{} {} for {} recorded in {}",
                            s.vulnerability,
                            s.status,
                            s.product,
                            path.display()
                        );
                    }
                }
                None => {
                    let mut store = SqliteStore::open(&ctx.store_path())?;
                    let ids = store.insert_vex(&[statement_to_row(&s, "cli")])?;
                    if !ctx.quiet {
                        eprintln!(
                            "{} {} for {} recorded in {} (#{})",
                            s.vulnerability,
                            s.status,
                            s.product,
                            ctx.store_path().display(),
                            ids.first().copied().unwrap_or_default()
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        VexCommand::Import(a) => {
            let mut rows = Vec::new();
            for f in &a.files {
                let doc = ossgate_vex::read_file(f)?;
                if !ctx.quiet {
                    for w in &doc.warnings {
                        eprintln!("warning: {}: {w}", f.display());
                    }
                }
                let src = f.display().to_string();
                for s in &doc.statements {
                    let mut s = s.clone();
                    s.author = s.author.or(doc.author.clone());
                    s.timestamp = s.timestamp.or(doc.timestamp);
                    rows.push(statement_to_row(&s, &src));
                }
            }
            let mut store = SqliteStore::open(&ctx.store_path())?;
            store.insert_vex(&rows)?;
            if !ctx.quiet {
                eprintln!(
                    "{} statements imported from {} documents",
                    rows.len(),
                    a.files.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        VexCommand::Log(a) => log(ctx, &a),
        VexCommand::Export(a) => export(ctx, a),
    }
}

fn log(ctx: &Ctx, a: &LogArgs) -> anyhow::Result<ExitCode> {
    let store = SqliteStore::open(&ctx.store_path())?;
    let filter = VexFilter {
        vulnerability: a.vuln.clone(),
        product: None,
    };
    let all = store.vex_log(&filter)?;
    let current: std::collections::HashSet<i64> =
        store.vex_current(&filter)?.iter().map(|r| r.id).collect();
    let rows: Vec<&VexRow> = all
        .iter()
        .filter(|r| !a.current || current.contains(&r.id))
        .filter(|r| {
            a.product
                .as_deref()
                .is_none_or(|p| r.product == p || ossgate_vex::product::matches(&r.product, p))
        })
        .collect();
    match a.format {
        Fmt::Json => {
            let list: Vec<Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "vulnerability": r.vulnerability, "aliases": r.aliases,
                        "product": r.product, "subcomponents": r.subcomponents, "status": r.status,
                        "justification": r.justification, "impact_statement": r.impact_statement,
                        "action_statement": r.action_statement, "notes": r.notes, "author": r.author,
                        "timestamp": r.timestamp, "source": r.source,
                        "superseded": !current.contains(&r.id),
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&serde_json::json!({"statements": list}))?;
            s.push('\n');
            out!("{s}");
        }
        Fmt::Table => {
            if rows.is_empty() {
                outln!("no VEX statements recorded");
                return Ok(ExitCode::SUCCESS);
            }
            let mut t = Table::new(&[
                "TIME",
                "AUTHOR",
                "VULNERABILITY",
                "PRODUCT",
                "STATUS",
                "REASON",
                "SOURCE",
            ]);
            for r in rows {
                let product = if r.subcomponents.is_empty() {
                    r.product.clone()
                } else {
                    format!("{} > {}", r.product, r.subcomponents.join(", "))
                };
                let reason = [
                    r.justification.as_deref(),
                    r.impact_statement.as_deref(),
                    r.action_statement.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
                let status = if current.contains(&r.id) {
                    r.status.clone()
                } else {
                    format!("{} (superseded)", r.status)
                };
                t.row(
                    [
                        r.timestamp.clone(),
                        r.author.clone(),
                        r.vulnerability.clone(),
                        product,
                        status,
                        reason,
                        r.source.clone(),
                    ]
                    .into_iter()
                    .map(|c| (c, None))
                    .collect(),
                );
            }
            outln!("{}", t.render(false).trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The statements a scan of `scan_path` applies: the store's current ones, the project's
/// `.ossgate/vex.openvex.json`, then the `--vex` files (later ones win timestamp ties).
pub fn gather(
    store: &SqliteStore,
    scan_path: &Path,
    files: &[PathBuf],
) -> anyhow::Result<(Vec<Statement>, Vec<String>)> {
    let mut statements = Vec::new();
    let mut sources = Vec::new();
    let rows = store.vex_current(&VexFilter::default())?;
    if !rows.is_empty() {
        sources.push(format!("store ({} statements)", rows.len()));
    }
    for r in &rows {
        statements.push(row_to_statement(r)?);
    }
    let root = if scan_path.is_dir() {
        scan_path.to_path_buf()
    } else {
        scan_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let repo = root.join(REPO_FILE);
    let mut docs: Vec<PathBuf> = Vec::new();
    if repo.is_file() {
        docs.push(repo);
    }
    docs.extend(files.iter().cloned());
    for f in docs {
        let doc = ossgate_vex::read_file(&f)?;
        sources.push(format!(
            "{} ({} statements)",
            f.display(),
            doc.statements.len()
        ));
        for mut s in doc.statements {
            s.author = s.author.or(doc.author.clone());
            statements.push(s);
        }
    }
    Ok((statements, sources))
}

/// The triage of one finding, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct VexNote {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<Justification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub author: Option<String>,
    pub timestamp: Option<String>,
    /// Where the deciding statement came from.
    pub source: String,
    /// The statement's product and subcomponents.
    pub product: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subcomponents: Vec<String>,
    /// `release` (about the scanned product) or `component` (about the component itself).
    pub via: Via,
    /// Statements that apply too but say otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictNote {
    pub status: Status,
    pub source: String,
    pub author: Option<String>,
    pub timestamp: Option<String>,
    pub product: String,
}

impl VexNote {
    /// Justification, else impact statement, else action statement: the reason in one line.
    pub fn reason(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(j) = self.justification {
            parts.push(j.to_string());
        }
        parts.extend(
            self.impact_statement
                .iter()
                .chain(self.action_statement.iter())
                .cloned(),
        );
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join("; ")
        }
    }
}

/// A scan's findings after VEX: those still shown (with any statement that applied) and those
/// suppressed.
#[derive(Default)]
pub struct Triage {
    /// The release the scan describes (`--product`).
    pub product: Option<String>,
    pub sources: Vec<String>,
    pub statements: usize,
    /// For each shown finding, in order: the statement that applied, if any.
    pub notes: Vec<Option<VexNote>>,
    pub suppressed: Vec<(Finding, VexNote)>,
    pub show_suppressed: bool,
}

impl Triage {
    /// Findings (shown or suppressed) whose statements disagree.
    pub fn conflicts(&self) -> usize {
        self.notes
            .iter()
            .flatten()
            .chain(self.suppressed.iter().map(|(_, n)| n))
            .filter(|n| !n.conflicts.is_empty())
            .count()
    }
}

fn note(statements: &[Statement], d: &ossgate_vex::Decision) -> VexNote {
    let w = &statements[d.winner];
    VexNote {
        status: w.status,
        justification: w.justification,
        impact_statement: w.impact_statement.clone(),
        action_statement: w.action_statement.clone(),
        notes: w.notes.clone(),
        author: w.author.clone(),
        timestamp: w.timestamp.map(ossgate_vex::format_time),
        source: w.source.clone(),
        product: w.product.clone(),
        subcomponents: w.subcomponents.clone(),
        via: d.via,
        conflicts: d
            .conflicts
            .iter()
            .map(|&i| {
                let s = &statements[i];
                ConflictNote {
                    status: s.status,
                    source: s.source.clone(),
                    author: s.author.clone(),
                    timestamp: s.timestamp.map(ossgate_vex::format_time),
                    product: s.product.clone(),
                }
            })
            .collect(),
    }
}

/// Applies `statements` to `findings`: returns the findings still shown and the triage.
pub fn triage(
    statements: &[Statement],
    product: Option<&str>,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Triage) {
    let index = Index::new(statements, product);
    let mut shown = Vec::with_capacity(findings.len());
    let mut t = Triage {
        product: product.map(str::to_string),
        statements: statements.len(),
        ..Triage::default()
    };
    for f in findings {
        match index.decide_finding(&f) {
            Some(d) if statements[d.winner].status.suppresses() => {
                let n = note(statements, &d);
                t.suppressed.push((f, n));
            }
            Some(d) => {
                t.notes.push(Some(note(statements, &d)));
                shown.push(f);
            }
            None => {
                t.notes.push(None);
                shown.push(f);
            }
        }
    }
    (shown, t)
}

fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<ExitCode> {
    let store_path = ctx.store_path();
    if !store_path.exists() {
        bail!(
            "no advisory store at {}: run `ossgate db import PATH` or `ossgate db sync` first",
            store_path.display()
        );
    }
    let store = SqliteStore::open_read(&store_path)?;
    let inventory = ossgate_inventory::collect(
        &a.path,
        &ossgate_inventory::Options {
            include_vendored: a.include_vendored,
            exclude: Vec::new(),
        },
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(e) = inventory.errors.first() {
        // A VEX document that silently leaves out a file's vulnerabilities would mislead.
        bail!("{e}");
    }
    let matches = ossgate_vulndb::match_components(&store, &inventory.components)
        .with_context(|| format!("matching against {}", store_path.display()))?;
    let _ = store.record_count()?;
    let (statements, _) = gather(&store, &a.path, &a.vex)?;
    let index = Index::new(&statements, Some(&a.product));
    let now = jiff::Timestamp::now();
    let mut out: Vec<Statement> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for f in &matches.findings {
        if !seen.insert((f.id.clone(), f.purl.clone())) {
            continue;
        }
        let mut s = Statement::new(f.id.clone(), a.product.clone(), Status::UnderInvestigation);
        s.aliases = f.aliases.clone();
        s.description = f.summary.clone();
        s.subcomponents = vec![f.purl.clone()];
        s.timestamp = Some(now);
        if let Some(d) = index.decide_finding(f) {
            let w = &statements[d.winner];
            s.status = w.status;
            s.justification = w.justification;
            s.impact_statement = w.impact_statement.clone();
            s.action_statement = w.action_statement.clone();
            s.notes = w.notes.clone();
            s.timestamp = w.timestamp.or(Some(now));
        }
        out.push(s);
    }
    let format = match a.format {
        ExportFormat::Openvex => Format::OpenVex,
        ExportFormat::Cyclonedx => Format::CycloneDx,
        ExportFormat::Csaf => Format::Csaf,
    };
    if out.is_empty() && format != Format::CycloneDx {
        bail!(
            "a scan of {} finds no vulnerabilities: an {} document needs at least one (CycloneDX can say there are none)",
            a.path.display(),
            format.name()
        );
    }
    let mut opts = WriteOptions::new(a.author.unwrap_or_else(default_author), now);
    opts.product = Some(a.product.clone());
    opts.namespace = a.namespace;
    let doc = ossgate_vex::write(format, &out, &opts);
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    match &a.output {
        Some(p) => crate::report::write_atomic(p, text.as_bytes())?,
        None => out!("{text}"),
    }
    if !ctx.quiet {
        let triaged = out
            .iter()
            .filter(|s| s.status != Status::UnderInvestigation)
            .count();
        eprintln!(
            "{} vulnerabilities for {} ({} triaged, {} under investigation)",
            out.len(),
            a.product,
            triaged,
            out.len() - triaged
        );
    }
    Ok(ExitCode::SUCCESS)
}
