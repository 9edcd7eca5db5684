//! Scan output: terminal table, JSON (documented in docs/scan-json.md) and Markdown.

use crate::table::Table;
use crate::vex::{Triage, VexNote};
use ossgate_inventory::Inventory;
use ossgate_model::{Finding, Rating};
use ossgate_vulndb::Matches;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Version of the JSON output's shape. Bumped only on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

pub struct ScanReport<'a> {
    pub target: String,
    pub store: String,
    pub advisories: u64,
    pub inventory: &'a Inventory,
    /// The findings still shown after VEX (suppressed ones are in `vex`).
    pub matches: &'a Matches,
    pub vex: &'a Triage,
}

/// A finding with the VEX statement that applied to it, if any (JSON output).
#[derive(serde::Serialize)]
struct WithVex<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    vex: Option<&'a VexNote>,
}

fn vex_json(r: &ScanReport) -> serde_json::Value {
    let conflicts: Vec<serde_json::Value> = r
        .matches
        .findings
        .iter()
        .zip(&r.vex.notes)
        .filter_map(|(f, n)| n.as_ref().map(|n| (f, n)))
        .chain(r.vex.suppressed.iter().map(|(f, n)| (f, n)))
        .filter(|(_, n)| !n.conflicts.is_empty())
        .map(|(f, n)| {
            json!({
                "id": f.id, "purl": f.purl, "applied": n.status, "applied_source": n.source,
                "others": n.conflicts,
            })
        })
        .collect();
    json!({
        "product": r.vex.product,
        "sources": r.vex.sources,
        "statements": r.vex.statements,
        "conflicts": conflicts,
    })
}

fn counts(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for r in [
        Rating::Critical,
        Rating::High,
        Rating::Medium,
        Rating::Low,
        Rating::None,
        Rating::Unknown,
    ] {
        m.insert(r.as_str(), 0);
    }
    for f in findings.iter().filter(|f| f.informational.is_none()) {
        *m.entry(f.severity.rating.as_str()).or_default() += 1;
    }
    m
}

fn informational(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.informational.is_some())
        .count()
}

pub fn json(r: &ScanReport) -> anyhow::Result<String> {
    let f = &r.matches.findings;
    let doc = json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "ossgate", "version": env!("CARGO_PKG_VERSION")},
        "target": r.target,
        "store": {"path": r.store, "advisories": r.advisories},
        "summary": {
            "files": r.inventory.files.len(),
            "components": r.inventory.components.len(),
            "findings": f.len(),
            "by_severity": counts(f),
            "informational": informational(f),
            "kev": f.iter().filter(|x| x.kev.is_some()).count(),
            "unevaluated": r.matches.unevaluated.len(),
            "unresolved": r.inventory.unresolved.len(),
            "errors": r.inventory.errors.len(),
            "warnings": r.inventory.warnings.len(),
            "suppressed": r.vex.suppressed.len(),
            "vex_conflicts": r.vex.conflicts(),
        },
        "files": r.inventory.files,
        "findings": f
            .iter()
            .zip(&r.vex.notes)
            .map(|(finding, n)| WithVex { finding, vex: n.as_ref() })
            .collect::<Vec<_>>(),
        "suppressed": r
            .vex
            .suppressed
            .iter()
            .map(|(finding, n)| WithVex { finding, vex: Some(n) })
            .collect::<Vec<_>>(),
        "vex": vex_json(r),
        "unevaluated": r.matches.unevaluated,
        "unresolved": r.inventory.unresolved,
        "errors": r.inventory.errors,
        "warnings": r.inventory.warnings,
    });
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

fn severity_cell(f: &Finding) -> String {
    match (f.informational.as_deref(), f.severity.score) {
        (Some(info), _) => info.to_string(),
        (None, Some(score)) => format!("{} {:.1}", f.severity.rating.as_str(), score),
        (None, None) => f.severity.rating.as_str().to_string(),
    }
}

fn colour(f: &Finding) -> Option<&'static str> {
    if f.informational.is_some() {
        return Some("2");
    }
    match f.severity.rating {
        Rating::Critical => Some("1;31"),
        Rating::High => Some("31"),
        Rating::Medium => Some("33"),
        Rating::Low => Some("36"),
        _ => None,
    }
}

fn aliases_cell(f: &Finding) -> String {
    // CVE first: it is what people search for.
    let mut a: Vec<&String> = f.aliases.iter().collect();
    a.sort_by_key(|x| (!x.starts_with("CVE-"), x.as_str()));
    match a.len() {
        0 => "-".into(),
        1 | 2 => a.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
        n => format!("{}, {} +{}", a[0], a[1], n - 2),
    }
}

fn fix_cell(f: &Finding) -> String {
    match (&f.upgrade_to, f.breaking_upgrade) {
        (Some(v), Some(true)) => format!("{v} (major)"),
        (Some(v), _) => v.clone(),
        (None, _) if f.fixed_versions.is_empty() => "no fix".into(),
        (None, _) => "no fix above installed".into(),
    }
}

fn source_cell(f: &Finding) -> String {
    let first = f.sources.first().map(|l| match l.line {
        Some(n) => format!("{}:{}", l.file, n),
        None => l.file.clone(),
    });
    match (first, f.sources.len()) {
        (Some(s), 1) => s,
        (Some(s), n) => format!("{s} +{}", n - 1),
        (None, _) => "-".into(),
    }
}

fn summary_line(r: &ScanReport) -> String {
    let f = &r.matches.findings;
    let c = counts(f);
    let mut parts: Vec<String> = ["critical", "high", "medium", "low", "unknown"]
        .iter()
        .filter(|k| c[*k] > 0)
        .map(|k| format!("{} {k}", c[k]))
        .collect();
    let info = informational(f);
    if info > 0 {
        parts.push(format!("{info} informational"));
    }
    let mut s = format!(
        "{} finding{} in {} components from {} file{}",
        f.len(),
        if f.len() == 1 { "" } else { "s" },
        r.inventory.components.len(),
        r.inventory.files.len(),
        if r.inventory.files.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    if !parts.is_empty() {
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    let kev = f.iter().filter(|x| x.kev.is_some()).count();
    if kev > 0 {
        s.push_str(&format!("; {kev} known exploited (CISA KEV)"));
    }
    if !r.matches.unevaluated.is_empty() {
        s.push_str(&format!(
            "; {} advisories could not be evaluated (see --format json)",
            r.matches.unevaluated.len()
        ));
    }
    if !r.inventory.unresolved.is_empty() {
        s.push_str(&format!(
            "; {} requirements not resolved to a registry version",
            r.inventory.unresolved.len()
        ));
    }
    let suppressed = r.vex.suppressed.len();
    if suppressed > 0 {
        s.push_str(&format!("; {suppressed} suppressed by VEX"));
        if !r.vex.show_suppressed {
            s.push_str(" (--show-suppressed lists them)");
        }
    }
    let conflicts = r.vex.conflicts();
    if conflicts > 0 {
        s.push_str(&format!("; {conflicts} with conflicting VEX statements"));
    }
    s
}

const VEX_HEADERS: [&str; 6] = ["ID", "PACKAGE", "VERSION", "VEX", "REASON", "SOURCE"];

fn vex_cells(f: &Finding, n: &VexNote) -> [String; 6] {
    let mut status = n.status.to_string();
    if !n.conflicts.is_empty() {
        status.push_str(" (conflict)");
    }
    [
        f.id.clone(),
        format!("{} ({})", f.name, f.ecosystem),
        f.version.clone(),
        status,
        n.reason(),
        match &n.author {
            Some(a) => format!("{} ({a})", n.source),
            None => n.source.clone(),
        },
    ]
}

/// Rows for the VEX section: shown findings with a statement (affected, under investigation),
/// then suppressed ones when asked for.
fn vex_rows(r: &ScanReport) -> Vec<[String; 6]> {
    let mut rows: Vec<[String; 6]> = r
        .matches
        .findings
        .iter()
        .zip(&r.vex.notes)
        .filter_map(|(f, n)| n.as_ref().map(|n| vex_cells(f, n)))
        .collect();
    if r.vex.show_suppressed {
        rows.extend(r.vex.suppressed.iter().map(|(f, n)| vex_cells(f, n)));
    }
    rows
}

const HEADERS: [&str; 8] = [
    "SEVERITY", "ID", "ALIASES", "PACKAGE", "VERSION", "FIX", "KEV", "SOURCE",
];

fn cells(f: &Finding) -> [String; 8] {
    [
        severity_cell(f),
        f.id.clone(),
        aliases_cell(f),
        format!("{} ({})", f.name, f.ecosystem),
        f.version.clone(),
        fix_cell(f),
        if f.kev.is_some() {
            "yes".into()
        } else {
            "".into()
        },
        source_cell(f),
    ]
}

pub fn table(r: &ScanReport, color: bool) -> String {
    let mut out = String::new();
    if !r.matches.findings.is_empty() {
        let mut t = Table::new(&HEADERS);
        for f in &r.matches.findings {
            let c = cells(f);
            let code = colour(f);
            t.row(
                c.into_iter()
                    .enumerate()
                    .map(|(i, s)| (s, if i == 0 { code } else { None }))
                    .collect(),
            );
        }
        out.push_str(&t.render(color));
        out.push('\n');
    }
    let rows = vex_rows(r);
    if !rows.is_empty() {
        out.push_str("VEX statements applied:\n");
        let mut t = Table::new(&VEX_HEADERS);
        for c in rows {
            t.row(c.into_iter().map(|s| (s, None)).collect());
        }
        out.push_str(&t.render(color));
        out.push('\n');
    }
    out.push_str(&summary_line(r));
    out.push('\n');
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(r: &ScanReport) -> String {
    let mut out = format!(
        "# ossgate scan: {}\n\n{}\n",
        md_escape(&r.target),
        summary_line(r)
    );
    if !r.matches.findings.is_empty() {
        out.push_str("\n| ");
        out.push_str(&HEADERS.join(" | "));
        out.push_str(" |\n|");
        out.push_str(&"---|".repeat(HEADERS.len()));
        out.push('\n');
        for f in &r.matches.findings {
            let c = cells(f);
            out.push_str("| ");
            out.push_str(
                &c.iter()
                    .map(|s| md_escape(s))
                    .collect::<Vec<_>>()
                    .join(" | "),
            );
            out.push_str(" |\n");
        }
    }
    let rows = vex_rows(r);
    if !rows.is_empty() {
        out.push_str("\n## VEX statements applied\n\n| ");
        out.push_str(&VEX_HEADERS.join(" | "));
        out.push_str(" |\n|");
        out.push_str(&"---|".repeat(VEX_HEADERS.len()));
        out.push('\n');
        for c in rows {
            out.push_str("| ");
            out.push_str(
                &c.iter()
                    .map(|s| md_escape(s))
                    .collect::<Vec<_>>()
                    .join(" | "),
            );
            out.push_str(" |\n");
        }
    }
    if !r.inventory.errors.is_empty() {
        out.push_str("\n## Files that could not be read\n\n");
        for e in &r.inventory.errors {
            out.push_str(&format!("- {}\n", md_escape(&e.to_string())));
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    tmp.write_all(bytes)?;
    // A temporary file is created private (0600); the output gets the permissions of the file
    // it replaces, or the usual 0644 of a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}
