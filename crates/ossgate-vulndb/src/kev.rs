//! CISA's Known Exploited Vulnerabilities catalogue (`known_exploited_vulnerabilities.json`).

use crate::import::{RecordError, SourceReport};
use ossgate_store::{AdvisoryStore, KevRow, SourceRow};
use serde::Deserialize;

#[derive(Deserialize)]
struct Catalogue {
    #[serde(rename = "catalogVersion")]
    catalog_version: Option<String>,
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "cveID")]
    cve: String,
    #[serde(rename = "dateAdded")]
    date_added: String,
    #[serde(rename = "dueDate")]
    due_date: Option<String>,
    #[serde(rename = "knownRansomwareCampaignUse")]
    ransomware: Option<String>,
}

/// Whether a JSON document is the KEV catalogue (cheap check on its first bytes and keys).
pub fn looks_like_kev(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    head.contains("\"catalogVersion\"") && head.contains("\"vulnerabilities\"")
}

/// Replaces the stored catalogue with this one, in one transaction.
pub fn import_kev(store: &mut dyn AdvisoryStore, source: &str, bytes: &[u8]) -> SourceReport {
    let mut report = SourceReport {
        source: source.to_string(),
        kind: "kev",
        ..Default::default()
    };
    let cat: Catalogue = match serde_json::from_slice(bytes) {
        Ok(c) => c,
        Err(e) => {
            report.failed = Some(format!("not a KEV catalogue: {e}"));
            return report;
        }
    };
    let mut rows = Vec::with_capacity(cat.vulnerabilities.len());
    for (i, v) in cat.vulnerabilities.into_iter().enumerate() {
        match serde_json::from_value::<Entry>(v) {
            Ok(e) => rows.push(KevRow {
                cve: e.cve.trim().to_ascii_uppercase(),
                date_added: e.date_added,
                due_date: e.due_date,
                ransomware: e.ransomware,
            }),
            Err(e) => report.errors.push(RecordError {
                file: source.to_string(),
                entry: Some(format!("vulnerabilities[{i}]")),
                id: None,
                message: e.to_string(),
            }),
        }
    }
    let result = (|| {
        let mut tx = store.begin_import()?;
        tx.replace_kev(&rows)?;
        tx.record_source(&SourceRow {
            key: "CISA KEV".into(),
            location: match &cat.catalog_version {
                Some(v) => format!("{source} (catalogue {v})"),
                None => source.to_string(),
            },
            imported_at: Some(jiff::Timestamp::now().to_string()),
            synced_at: None,
            sync: Default::default(),
        })?;
        tx.commit()
    })();
    match result {
        Ok(()) => report.kev_entries = rows.len() as u64,
        Err(e) => report.failed = Some(e.to_string()),
    }
    report
}
