//! The embedded SQLite backend: one file, WAL journal (readers never wait for an import, and an
//! import killed half-way leaves the last committed state), schema migrations by `user_version`.

use crate::*;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    r#"
-- Small, hot rows: what matching reads. WITHOUT ROWID keeps them clustered by id.
CREATE TABLE advisory (
    id          TEXT PRIMARY KEY,
    modified_us INTEGER NOT NULL,
    modified    TEXT NOT NULL,
    published   TEXT,
    withdrawn   TEXT,
    header      TEXT NOT NULL
) WITHOUT ROWID;

-- The whole record, cold: read only to show or export it.
CREATE TABLE record (
    id     TEXT PRIMARY KEY,
    record TEXT NOT NULL
);

-- One row per affected[] entry (entries can be large: PyPI's enumerated versions).
CREATE TABLE affected (
    advisory_id TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    ecosystem   TEXT NOT NULL,
    name        TEXT NOT NULL,
    entry       TEXT NOT NULL,
    UNIQUE (advisory_id, idx)
);
CREATE INDEX affected_package ON affected (ecosystem, name);

CREATE TABLE alias (
    advisory_id TEXT NOT NULL,
    alias       TEXT NOT NULL,
    PRIMARY KEY (advisory_id, alias)
) WITHOUT ROWID;
CREATE INDEX alias_alias ON alias (alias);

CREATE TABLE kev (
    cve        TEXT PRIMARY KEY,
    date_added TEXT NOT NULL,
    due_date   TEXT,
    ransomware TEXT
) WITHOUT ROWID;

CREATE TABLE source (
    key           TEXT PRIMARY KEY,
    location      TEXT NOT NULL,
    imported_at   TEXT,
    synced_at     TEXT,
    etag          TEXT,
    last_modified TEXT
) WITHOUT ROWID;

-- Counters kept up to date by each import, so reading them costs no table scan.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('records', 0);
"#,
    r#"
-- VEX triage decisions: append only. A later row for the same (vulnerability, product,
-- subcomponents) supersedes an earlier one; nothing is updated or deleted.
CREATE TABLE vex_statements (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    vulnerability    TEXT NOT NULL,
    aliases          TEXT NOT NULL,   -- JSON array
    product          TEXT NOT NULL,
    subcomponents    TEXT NOT NULL,   -- JSON array, sorted
    status           TEXT NOT NULL,
    justification    TEXT,
    impact_statement TEXT,
    action_statement TEXT,
    notes            TEXT,
    author           TEXT NOT NULL,
    timestamp        TEXT NOT NULL,   -- RFC 3339, as given
    timestamp_us     INTEGER NOT NULL,-- microseconds since the epoch, for ordering
    source           TEXT NOT NULL    -- where the statement was made (cli) or imported from
);
CREATE INDEX vex_key ON vex_statements (vulnerability, product, subcomponents, timestamp_us, id);
CREATE INDEX vex_product ON vex_statements (product);
"#,
];

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    path: String,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let display = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let err = |source| StoreError::Sqlite {
            path: display.clone(),
            source,
        };
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        // A larger page cache keeps a big import from spilling to the WAL before it commits.
        conn.pragma_update(None, "cache_size", -32768)
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        migrate(&mut conn, &display)?;
        Ok(SqliteStore {
            conn,
            path: display,
        })
    }

    /// Opens an existing store for reading only, as a scan needs: no journal set-up, no
    /// checkpoint on close, nothing written. Falls back to [`SqliteStore::open`] when the store
    /// does not exist yet or needs migrating.
    pub fn open_read(path: &Path) -> Result<SqliteStore> {
        use rusqlite::OpenFlags;
        let display = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let Ok(conn) = Connection::open_with_flags(path, flags) else {
            return SqliteStore::open(path);
        };
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap_or(-1);
        if version != MIGRATIONS.len() as i64 {
            drop(conn);
            return SqliteStore::open(path);
        }
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(|source| StoreError::Sqlite {
                path: display.clone(),
                source,
            })?;
        Ok(SqliteStore {
            conn,
            path: display,
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    let err = |source| StoreError::Sqlite {
        path: path.to_string(),
        source,
    };
    let known = MIGRATIONS.len() as i64;
    let current: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(err)?;
    if current > known {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found: current,
            known,
        });
    }
    if current == known {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(err)?;
    // Re-read under the write lock: another process may have migrated meanwhile.
    let current: i64 = tx
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(err)?;
    for (i, m) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(m).map_err(err)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(err)?;
    }
    tx.commit().map_err(err)
}

struct SqliteImport<'a> {
    tx: Transaction<'a>,
    path: &'a str,
}

impl SqliteImport<'_> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.to_string(),
            source,
        }
    }
}

impl ImportTx for SqliteImport<'_> {
    fn upsert(&mut self, row: &AdvisoryRow) -> Result<Upsert> {
        let err = self.err();
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT modified_us FROM advisory WHERE id = ?1")
            .map_err(&err)?
            .query_row([&row.id], |r| r.get(0))
            .optional()
            .map_err(&err)?;
        let outcome = match existing {
            Some(m) if m >= row.modified_us => return Ok(Upsert::Unchanged),
            Some(_) => {
                self.tx
                    .prepare_cached("DELETE FROM affected WHERE advisory_id = ?1")
                    .map_err(&err)?
                    .execute([&row.id])
                    .map_err(&err)?;
                self.tx
                    .prepare_cached("DELETE FROM alias WHERE advisory_id = ?1")
                    .map_err(&err)?
                    .execute([&row.id])
                    .map_err(&err)?;
                Upsert::Replaced
            }
            None => Upsert::Inserted,
        };
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO advisory (id, modified_us, modified, published, withdrawn, header)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(&err)?
            .execute(params![
                row.id,
                row.modified_us,
                row.modified,
                row.published,
                row.withdrawn,
                row.header,
            ])
            .map_err(&err)?;
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO record (id, record) VALUES (?1, ?2)")
            .map_err(&err)?
            .execute(params![row.id, row.record])
            .map_err(&err)?;
        {
            let mut ins = self
                .tx
                .prepare_cached(
                    "INSERT INTO affected (advisory_id, idx, ecosystem, name, entry) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?;
            for (i, p) in row.packages.iter().enumerate() {
                ins.execute(params![row.id, i as i64, p.ecosystem, p.name, p.entry])
                    .map_err(&err)?;
            }
        }
        let mut ins = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO alias (advisory_id, alias) VALUES (?1, ?2)")
            .map_err(&err)?;
        for a in &row.aliases {
            ins.execute(params![row.id, a]).map_err(&err)?;
        }
        Ok(outcome)
    }

    fn replace_kev(&mut self, rows: &[KevRow]) -> Result<()> {
        let err = self.err();
        self.tx.execute("DELETE FROM kev", []).map_err(&err)?;
        let mut ins = self
            .tx
            .prepare_cached(
                "INSERT OR REPLACE INTO kev (cve, date_added, due_date, ransomware) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(&err)?;
        for r in rows {
            ins.execute(params![r.cve, r.date_added, r.due_date, r.ransomware])
                .map_err(&err)?;
        }
        Ok(())
    }

    fn record_source(&mut self, row: &SourceRow) -> Result<()> {
        let err = self.err();
        self.tx
            .prepare_cached(
                "INSERT INTO source (key, location, imported_at, synced_at, etag, last_modified)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (key) DO UPDATE SET
                   location = excluded.location,
                   imported_at = COALESCE(excluded.imported_at, source.imported_at),
                   synced_at = COALESCE(excluded.synced_at, source.synced_at),
                   etag = CASE WHEN excluded.synced_at IS NULL THEN source.etag ELSE excluded.etag END,
                   last_modified = CASE WHEN excluded.synced_at IS NULL THEN source.last_modified
                                        ELSE excluded.last_modified END",
            )
            .map_err(&err)?
            .execute(params![
                row.key,
                row.location,
                row.imported_at,
                row.synced_at,
                row.sync.etag,
                row.sync.last_modified
            ])
            .map_err(&err)?;
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<()> {
        let path = self.path.to_string();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        self.tx
            .execute(
                "UPDATE meta SET value = (SELECT COUNT(*) FROM advisory) WHERE key = 'records'",
                [],
            )
            .map_err(err)?;
        self.tx.commit().map_err(err)
    }
}

impl AdvisoryStore for SqliteStore {
    fn begin_import(&mut self) -> Result<Box<dyn ImportTx + '_>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| StoreError::Sqlite {
                path: self.path.clone(),
                source,
            })?;
        Ok(Box::new(SqliteImport {
            tx,
            path: &self.path,
        }))
    }

    fn candidates(&self, ecosystem: &str, name: &str) -> Result<Vec<Candidate>> {
        let err = self.err();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT af.advisory_id, af.entry, a.header
                 FROM affected af JOIN advisory a ON a.id = af.advisory_id
                 WHERE af.ecosystem = ?1 AND af.name = ?2 AND a.withdrawn IS NULL
                 ORDER BY af.advisory_id, af.idx",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([ecosystem, name], |r| {
                Ok(Candidate {
                    advisory_id: r.get(0)?,
                    entry: r.get(1)?,
                    header: r.get(2)?,
                })
            })
            .map_err(&err)?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)
    }

    fn candidates_many(&self, ecosystem: &str, names: &[&str]) -> Result<Vec<(String, Candidate)>> {
        let err = self.err();
        // The names travel as one JSON array; SQLite's json_each feeds them to the index.
        let list = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT af.name, af.advisory_id, af.entry, a.header
                 FROM affected af JOIN advisory a ON a.id = af.advisory_id
                 WHERE af.ecosystem = ?1 AND af.name IN (SELECT value FROM json_each(?2))
                   AND a.withdrawn IS NULL
                 ORDER BY af.name, af.advisory_id, af.idx",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![ecosystem, list], |r| {
                Ok((
                    r.get(0)?,
                    Candidate {
                        advisory_id: r.get(1)?,
                        entry: r.get(2)?,
                        header: r.get(3)?,
                    },
                ))
            })
            .map_err(&err)?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)
    }

    fn kev(&self, cve: &str) -> Result<Option<KevRow>> {
        let err = self.err();
        self.conn
            .prepare_cached("SELECT cve, date_added, due_date, ransomware FROM kev WHERE cve = ?1")
            .map_err(&err)?
            .query_row([cve], |r| {
                Ok(KevRow {
                    cve: r.get(0)?,
                    date_added: r.get(1)?,
                    due_date: r.get(2)?,
                    ransomware: r.get(3)?,
                })
            })
            .optional()
            .map_err(&err)
    }

    fn source(&self, key: &str) -> Result<Option<SourceRow>> {
        let err = self.err();
        self.conn
            .prepare_cached(
                "SELECT key, location, imported_at, synced_at, etag, last_modified FROM source WHERE key = ?1",
            )
            .map_err(&err)?
            .query_row([key], source_row)
            .optional()
            .map_err(&err)
    }

    fn status(&self) -> Result<Status> {
        let err = self.err();
        let (records, withdrawn): (i64, i64) = self
            .conn
            .query_row("SELECT COUNT(*), COUNT(withdrawn) FROM advisory", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(&err)?;
        let kev_entries: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM kev", [], |r| r.get(0))
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT af.ecosystem, COUNT(DISTINCT af.advisory_id),
                        COUNT(DISTINCT CASE WHEN a.withdrawn IS NOT NULL THEN a.id END)
                 FROM affected af JOIN advisory a ON a.id = af.advisory_id
                 GROUP BY af.ecosystem ORDER BY af.ecosystem",
            )
            .map_err(&err)?;
        let ecosystems = stmt
            .query_map([], |r| {
                Ok(EcosystemCount {
                    ecosystem: r.get(0)?,
                    records: r.get::<_, i64>(1)? as u64,
                    withdrawn: r.get::<_, i64>(2)? as u64,
                })
            })
            .map_err(&err)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT key, location, imported_at, synced_at, etag, last_modified FROM source ORDER BY key")
            .map_err(&err)?;
        let sources = stmt
            .query_map([], source_row)
            .map_err(&err)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)?;
        Ok(Status {
            location: self.path.clone(),
            records: records as u64,
            withdrawn: withdrawn as u64,
            kev_entries: kev_entries as u64,
            ecosystems,
            sources,
        })
    }

    fn record_count(&self) -> Result<u64> {
        let err = self.err();
        let n: i64 = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'records'")
            .map_err(&err)?
            .query_row([], |r| r.get(0))
            .map_err(&err)?;
        Ok(n as u64)
    }

    fn record(&self, id: &str) -> Result<Option<String>> {
        let err = self.err();
        self.conn
            .prepare_cached("SELECT record FROM record WHERE id = ?1")
            .map_err(&err)?
            .query_row([id], |r| r.get(0))
            .optional()
            .map_err(&err)
    }
}

const VEX_COLUMNS: &str =
    "id, vulnerability, aliases, product, subcomponents, status, justification,
    impact_statement, action_statement, notes, author, timestamp, timestamp_us, source";

fn vex_row(r: &rusqlite::Row) -> rusqlite::Result<VexRow> {
    let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
    Ok(VexRow {
        id: r.get(0)?,
        vulnerability: r.get(1)?,
        aliases: list(r.get(2)?),
        product: r.get(3)?,
        subcomponents: list(r.get(4)?),
        status: r.get(5)?,
        justification: r.get(6)?,
        impact_statement: r.get(7)?,
        action_statement: r.get(8)?,
        notes: r.get(9)?,
        author: r.get(10)?,
        timestamp: r.get(11)?,
        timestamp_us: r.get(12)?,
        source: r.get(13)?,
    })
}

fn vex_where(filter: &VexFilter) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    if let Some(v) = &filter.vulnerability {
        params.push(v.to_ascii_uppercase());
        let n = params.len();
        clauses.push(format!(
            "(upper(vulnerability) = ?{n} OR EXISTS (SELECT 1 FROM json_each(aliases) WHERE upper(value) = ?{n}))"
        ));
    }
    if let Some(p) = &filter.product {
        params.push(p.clone());
        clauses.push(format!("product = ?{}", params.len()));
    }
    let w = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (w, params)
}

impl VexStore for SqliteStore {
    fn insert_vex(&mut self, rows: &[VexRow]) -> Result<Vec<i64>> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut ids = Vec::with_capacity(rows.len());
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO vex_statements (vulnerability, aliases, product, subcomponents, status,
                        justification, impact_statement, action_statement, notes, author, timestamp,
                        timestamp_us, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(err)?;
            for r in rows {
                let mut subs = r.subcomponents.clone();
                subs.sort();
                subs.dedup();
                ins.execute(params![
                    r.vulnerability,
                    serde_json::to_string(&r.aliases).unwrap_or_else(|_| "[]".into()),
                    r.product,
                    serde_json::to_string(&subs).unwrap_or_else(|_| "[]".into()),
                    r.status,
                    r.justification,
                    r.impact_statement,
                    r.action_statement,
                    r.notes,
                    r.author,
                    r.timestamp,
                    r.timestamp_us,
                    r.source,
                ])
                .map_err(err)?;
                ids.push(tx.last_insert_rowid());
            }
        }
        tx.commit().map_err(err)?;
        Ok(ids)
    }

    fn vex_log(&self, filter: &VexFilter) -> Result<Vec<VexRow>> {
        let err = self.err();
        let (w, params) = vex_where(filter);
        let sql = format!("SELECT {VEX_COLUMNS} FROM vex_statements {w} ORDER BY timestamp_us, id");
        let mut stmt = self.conn.prepare(&sql).map_err(&err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), vex_row)
            .map_err(&err)?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)
    }

    fn vex_current(&self, filter: &VexFilter) -> Result<Vec<VexRow>> {
        let err = self.err();
        let (w, params) = vex_where(filter);
        // The newest row per (vulnerability, product, subcomponents); ties go to the later row.
        let sql = format!(
            "SELECT {VEX_COLUMNS} FROM (
                SELECT *, ROW_NUMBER() OVER (
                    PARTITION BY vulnerability, product, subcomponents
                    ORDER BY timestamp_us DESC, id DESC) AS rn
                FROM vex_statements {w})
             WHERE rn = 1 ORDER BY timestamp_us, id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(&err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), vex_row)
            .map_err(&err)?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(&err)
    }
}

fn source_row(r: &rusqlite::Row) -> rusqlite::Result<SourceRow> {
    Ok(SourceRow {
        key: r.get(0)?,
        location: r.get(1)?,
        imported_at: r.get(2)?,
        synced_at: r.get(3)?,
        sync: SyncState {
            etag: r.get(4)?,
            last_modified: r.get(5)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, modified_us: i64, name: &str) -> AdvisoryRow {
        AdvisoryRow {
            id: id.into(),
            modified_us,
            modified: format!("t{modified_us}"),
            published: None,
            withdrawn: None,
            aliases: vec!["CVE-1".into()],
            header: format!("{{\"v\":{modified_us}}}"),
            record: "{}".into(),
            packages: vec![PackageRow {
                ecosystem: "npm".into(),
                name: name.into(),
                entry: "{}".into(),
            }],
        }
    }

    #[test]
    fn upsert_keeps_newest_and_replaces_children() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("a/b/s.db")).unwrap();
        let mut tx = s.begin_import().unwrap();
        assert_eq!(tx.upsert(&row("X", 10, "old")).unwrap(), Upsert::Inserted);
        assert_eq!(tx.upsert(&row("X", 10, "same")).unwrap(), Upsert::Unchanged);
        assert_eq!(tx.upsert(&row("X", 5, "older")).unwrap(), Upsert::Unchanged);
        assert_eq!(tx.upsert(&row("X", 20, "new")).unwrap(), Upsert::Replaced);
        tx.commit().unwrap();
        assert!(s.candidates("npm", "old").unwrap().is_empty());
        let c = s.candidates("npm", "new").unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].header, "{\"v\":20}");
        let st = s.status().unwrap();
        assert_eq!(st.records, 1);
        assert_eq!(s.record_count().unwrap(), 1);
        assert_eq!(st.ecosystems[0].records, 1);
        assert_eq!(s.record("X").unwrap().as_deref(), Some("{}"));
    }

    #[test]
    fn candidates_for_many_names_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let mut tx = s.begin_import().unwrap();
        tx.upsert(&row("A", 1, "p\"q")).unwrap();
        tx.upsert(&row("B", 1, "r")).unwrap();
        tx.upsert(&row("C", 1, "s")).unwrap();
        tx.commit().unwrap();
        let got = s.candidates_many("npm", &["r", "p\"q", "zz"]).unwrap();
        let ids: Vec<(&str, &str)> = got
            .iter()
            .map(|(n, c)| (n.as_str(), c.advisory_id.as_str()))
            .collect();
        assert_eq!(ids, [("p\"q", "A"), ("r", "B")]);
        assert!(s.candidates_many("npm", &[]).unwrap().is_empty());
    }

    #[test]
    fn dropped_import_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = SqliteStore::open(&path).unwrap();
        {
            let mut tx = s.begin_import().unwrap();
            tx.upsert(&row("X", 10, "p")).unwrap();
            // dropped without commit
        }
        assert_eq!(s.status().unwrap().records, 0);
    }

    #[test]
    fn readers_do_not_wait_for_a_running_import() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut writer = SqliteStore::open(&path).unwrap();
        {
            let mut tx = writer.begin_import().unwrap();
            tx.upsert(&row("A", 1, "p")).unwrap();
            tx.commit().unwrap();
        }
        let mut tx = writer.begin_import().unwrap();
        tx.upsert(&row("B", 1, "p")).unwrap();
        // The import holds the write lock; a second connection still reads the last commit.
        let reader = SqliteStore::open_read(&path).unwrap();
        let started = std::time::Instant::now();
        let seen = reader.candidates("npm", "p").unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].advisory_id, "A");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        tx.commit().unwrap();
        assert_eq!(reader.candidates("npm", "p").unwrap().len(), 2);
    }

    fn vex(vuln: &str, product: &str, status: &str, us: i64) -> VexRow {
        VexRow {
            id: 0,
            vulnerability: vuln.into(),
            aliases: vec!["GHSA-x".into()],
            product: product.into(),
            subcomponents: vec![],
            status: status.into(),
            justification: None,
            impact_statement: None,
            action_statement: None,
            notes: None,
            author: "alice".into(),
            timestamp: format!("t{us}"),
            timestamp_us: us,
            source: "cli".into(),
        }
    }

    #[test]
    fn vex_history_is_append_only_and_the_newest_is_current() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let ids = s
            .insert_vex(&[
                vex("CVE-1", "pkg:npm/app@1", "under_investigation", 10),
                vex("CVE-1", "pkg:npm/app@1", "not_affected", 20),
                vex("CVE-1", "pkg:npm/app@2", "affected", 15),
                vex("CVE-2", "pkg:npm/app@1", "fixed", 5),
            ])
            .unwrap();
        assert_eq!(ids.len(), 4);
        // An older decision recorded later does not supersede a newer one.
        s.insert_vex(&[vex("CVE-1", "pkg:npm/app@1", "affected", 12)])
            .unwrap();
        let all = s.vex_log(&VexFilter::default()).unwrap();
        assert_eq!(all.len(), 5, "nothing is deleted");
        assert_eq!(
            all.iter().map(|r| r.timestamp_us).collect::<Vec<_>>(),
            [5, 10, 12, 15, 20]
        );
        let cur = s.vex_current(&VexFilter::default()).unwrap();
        let got: Vec<(&str, &str, &str)> = cur
            .iter()
            .map(|r| {
                (
                    r.vulnerability.as_str(),
                    r.product.as_str(),
                    r.status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("CVE-2", "pkg:npm/app@1", "fixed"),
                ("CVE-1", "pkg:npm/app@2", "affected"),
                ("CVE-1", "pkg:npm/app@1", "not_affected"),
            ]
        );
        let by_alias = s
            .vex_log(&VexFilter {
                vulnerability: Some("ghsa-X".into()),
                product: Some("pkg:npm/app@2".into()),
            })
            .unwrap();
        assert_eq!(by_alias.len(), 1);
        assert_eq!(by_alias[0].aliases, ["GHSA-x"]);
    }

    #[test]
    fn an_older_store_gains_the_vex_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(SqliteStore::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.execute_batch("DROP TABLE vex_statements").unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        drop(c);
        let mut s = SqliteStore::open(&path).unwrap();
        s.insert_vex(&[vex("CVE-1", "p", "fixed", 1)]).unwrap();
        assert_eq!(s.vex_current(&VexFilter::default()).unwrap().len(), 1);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(SqliteStore::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn sources_keep_sync_validators_across_imports() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let mut tx = s.begin_import().unwrap();
        tx.record_source(&SourceRow {
            key: "npm".into(),
            location: "https://x/npm/all.zip".into(),
            imported_at: Some("t1".into()),
            synced_at: Some("t1".into()),
            sync: SyncState {
                etag: Some("\"e1\"".into()),
                last_modified: None,
            },
        })
        .unwrap();
        tx.record_source(&SourceRow {
            key: "npm".into(),
            location: "/tmp/npm.zip".into(),
            imported_at: Some("t2".into()),
            synced_at: None,
            sync: SyncState::default(),
        })
        .unwrap();
        tx.commit().unwrap();
        let src = s.source("npm").unwrap().unwrap();
        assert_eq!(src.location, "/tmp/npm.zip");
        assert_eq!(src.imported_at.as_deref(), Some("t2"));
        assert_eq!(src.synced_at.as_deref(), Some("t1"));
        assert_eq!(src.sync.etag.as_deref(), Some("\"e1\""));
    }
}
