//! `db sync`: download OSV's per-ecosystem `all.zip` from `<base>/<ecosystem>/all.zip`, with
//! conditional requests so that an unchanged ecosystem costs one request and no import.

use crate::Progress;
use crate::import::{SourceReport, import_zip};
use ossgate_store::{AdvisoryStore, SourceRow, SyncState};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// OSV's public bucket.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// What syncing one ecosystem did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub ecosystem: String,
    pub url: String,
    /// `updated`, `not-modified` or `failed`.
    pub outcome: &'static str,
    pub import: Option<SourceReport>,
    pub error: Option<String>,
}

pub fn url_for(base: &str, ecosystem: &str) -> String {
    let eco: String = ecosystem
        .chars()
        .map(|c| {
            if c == ' ' {
                "%20".to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("{}/{}/all.zip", base.trim_end_matches('/'), eco)
}

/// Syncs one ecosystem. `work_dir` holds the download until it is imported (same filesystem as
/// the store, so nothing is left half-written elsewhere).
pub fn sync_ecosystem(
    store: &mut dyn AdvisoryStore,
    base: &str,
    ecosystem: &str,
    work_dir: &Path,
    progress: &dyn Progress,
) -> SyncReport {
    let url = url_for(base, ecosystem);
    let fail = |e: String| SyncReport {
        ecosystem: ecosystem.to_string(),
        url: url.clone(),
        outcome: "failed",
        import: None,
        error: Some(e),
    };
    let previous = match store.source(ecosystem) {
        Ok(s) => s.map(|s| s.sync).unwrap_or_default(),
        Err(e) => return fail(e.to_string()),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_body(Some(Duration::from_secs(600)))
        .user_agent(concat!("ossgate/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut req = agent.get(&url);
    if let Some(etag) = &previous.etag {
        req = req.header("If-None-Match", etag);
    }
    if let Some(lm) = &previous.last_modified {
        req = req.header("If-Modified-Since", lm);
    }
    let mut resp = match req.call() {
        Ok(r) => r,
        Err(e) => return fail(format!("GET {url}: {e}")),
    };
    let now = jiff::Timestamp::now().to_string();
    let status = resp.status().as_u16();
    if status == 304 {
        let row = SourceRow {
            key: ecosystem.to_string(),
            location: url.clone(),
            imported_at: None,
            synced_at: Some(now),
            sync: previous,
        };
        let r = store.begin_import().and_then(|mut tx| {
            tx.record_source(&row)?;
            tx.commit()
        });
        return match r {
            Ok(()) => SyncReport {
                ecosystem: ecosystem.to_string(),
                url,
                outcome: "not-modified",
                import: None,
                error: None,
            },
            Err(e) => fail(e.to_string()),
        };
    }
    if status != 200 {
        return fail(format!("GET {url}: HTTP {status}"));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let validators = SyncState {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let length = resp.body().content_length();
    let mut tmp = match tempfile::Builder::new()
        .prefix(".sync-")
        .suffix(".zip")
        .tempfile_in(work_dir)
    {
        Ok(t) => t,
        Err(e) => {
            return fail(format!(
                "cannot create a download file in {}: {e}",
                work_dir.display()
            ));
        }
    };
    progress.start_bytes(&url, length);
    let mut reader = resp.body_mut().as_reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut got: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return fail(format!("GET {url}: download interrupted: {e}")),
        };
        if let Err(e) = tmp.write_all(&buf[..n]) {
            return fail(format!("writing the download: {e}"));
        }
        got += n as u64;
        progress.inc(n as u64);
    }
    progress.finish();
    if let Some(len) = length
        && got != len
    {
        return fail(format!("GET {url}: got {got} of {len} bytes"));
    }
    let row = SourceRow {
        key: ecosystem.to_string(),
        location: url.clone(),
        imported_at: Some(now.clone()),
        synced_at: Some(now),
        sync: validators,
    };
    let report = import_zip(store, tmp.path(), Some(&row), progress);
    // The temporary file is removed when `tmp` is dropped.
    let outcome = if report.failed.is_some() {
        "failed"
    } else {
        "updated"
    };
    SyncReport {
        ecosystem: ecosystem.to_string(),
        url,
        outcome,
        error: report.failed.clone(),
        import: Some(report),
    }
}
