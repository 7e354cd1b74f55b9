//! What a backup is checked against: the tables of a database and their row counts, the
//! migrations it has applied, and SQLite's online copy (`VACUUM INTO`) together with the counts
//! that copy is consistent with. The files, the manifest and the PostgreSQL client tools belong
//! to the CLI (`hezuo backup`, `hezuo restore`); this module only looks inside databases.
//!
//! Consistency. A copy is only worth comparing with "the source" as of the instant it was
//! taken, and a live server keeps writing:
//! - SQLite: `VACUUM INTO` reads the source in one read transaction, so the copy is the
//!   database as of one instant, but it cannot run inside a transaction of ours (SQLite
//!   refuses), and holding the write lock for the whole copy would stall the server. So
//!   [`sqlite_copy`] counts every table in a read transaction, notes `PRAGMA data_version`,
//!   makes the copy on the same connection, and reads `data_version` again: unchanged means no
//!   other connection committed between the count and the copy, so the copy must hold exactly
//!   those counts, and any difference is a fault. Changed means writes came in between; it
//!   tries again, and if the server never pauses long enough, the copy's own counts (after its
//!   integrity check) are what the manifest records, and [`SqliteCopy::matched_source`] says so.
//! - PostgreSQL: [`PgSnapshot`] exports a snapshot from a repeatable-read transaction and
//!   counts inside it; `pg_dump --snapshot` dumps that very snapshot, so the counts are exact.

use crate::StoreError;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, Executor};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// Table name → rows. PostgreSQL tables outside the `public` schema are `schema.table`.
pub type RowCounts = BTreeMap<String, i64>;

/// What a database holds, as far as a backup is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub tables: RowCounts,
    /// The versions recorded in `schema_migrations`, ascending (empty without that table).
    pub migrations: Vec<i64>,
}

impl Contents {
    /// The newest migration applied; 0 for a database hezuo never migrated.
    pub fn schema_version(&self) -> i64 {
        self.migrations.last().copied().unwrap_or(0)
    }

    pub fn total_rows(&self) -> i64 {
        self.tables.values().sum()
    }

    /// Each difference from `other` in words ("表 projects：源库 620 行，备份 619 行"), `this`
    /// and `that` naming the two sides; empty when they hold the same tables, rows and version.
    pub fn differences(&self, this: &str, other: &Contents, that: &str) -> Vec<String> {
        let mut out = Vec::new();
        let names: std::collections::BTreeSet<&String> =
            self.tables.keys().chain(other.tables.keys()).collect();
        for name in names {
            match (self.tables.get(name), other.tables.get(name)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => out.push(format!("表 {name}：{this} {a} 行，{that} {b} 行")),
                (Some(_), None) => out.push(format!("表 {name}：{that}中没有这张表")),
                (None, _) => out.push(format!("表 {name}：{this}中没有这张表")),
            }
        }
        if self.schema_version() != other.schema_version() {
            out.push(format!(
                "结构版本：{this} {}，{that} {}",
                self.schema_version(),
                other.schema_version()
            ));
        }
        out
    }
}

/// The manifest's key for a table: its name, qualified by its schema unless that is `public`.
pub fn table_key(schema: &str, table: &str) -> String {
    if schema == "public" {
        table.to_string()
    } else {
        format!("{schema}.{table}")
    }
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The newest schema version this program knows (its last migration).
pub async fn known_schema_version() -> Result<i64, StoreError> {
    Ok(crate::db::latest_schema_version())
}

/// The SHA-256 of a file, in lower-case hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

// ---- SQLite ------------------------------------------------------------------------------------

/// The tables, their rows and the migrations, read through `conn` (in one transaction when the
/// caller opened one).
async fn sqlite_contents(conn: &mut SqliteConnection) -> Result<Contents, StoreError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = RowCounts::new();
    for name in &names {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {}",
            quote_ident(name)
        )))
        .fetch_one(&mut *conn)
        .await?;
        tables.insert(name.clone(), n);
    }
    let migrations = if tables.contains_key("schema_migrations") {
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    Ok(Contents { tables, migrations })
}

/// A database file opened read-only and immutable: nothing is written next to it (no `-wal`
/// or `-shm`), and its bytes stay as they were, so its SHA-256 stays valid.
async fn open_file_readonly(path: &Path) -> Result<SqliteConnection, StoreError> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false)
        .connect()
        .await?)
}

/// Checks a database file that no one is writing (a backup, or a restored copy): SQLite's
/// `PRAGMA integrity_check` must say `ok`; then its tables, rows and migrations.
pub async fn sqlite_check_file(path: &Path) -> Result<Contents, StoreError> {
    let mut conn = open_file_readonly(path).await?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    if problems != ["ok"] {
        let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
        conn.close().await.ok();
        return Err(StoreError::invalid(
            "integrity",
            format!("完整性检查未通过：{}", shown.join("；")),
        ));
    }
    let contents = sqlite_contents(&mut conn).await?;
    conn.close().await.ok();
    Ok(contents)
}

/// A copy made by [`sqlite_copy`], checked.
#[derive(Debug, Clone)]
pub struct SqliteCopy {
    /// What the copy holds (its integrity check passed).
    pub contents: Contents,
    /// True when the source's own counts, read as of the copy, were compared and equal; false
    /// when writes kept arriving between counting and copying on every attempt, and the counts
    /// are the copy's own.
    pub matched_source: bool,
    pub attempts: u32,
}

/// Copies the live SQLite database at `source` into the new file `dest` with `VACUUM INTO`
/// while others may keep writing, and checks the copy (see the module's note on consistency).
/// `dest` must not exist; on an error it may be left behind for the caller to remove.
pub async fn sqlite_copy(
    source: &Path,
    dest: &Path,
    attempts: u32,
) -> Result<SqliteCopy, StoreError> {
    if !source.is_file() {
        return Err(StoreError::Config(format!(
            "数据库文件不存在：{}",
            source.display()
        )));
    }
    let dest_text = dest
        .to_str()
        .ok_or_else(|| StoreError::Config(format!("备份路径不是有效的文本：{}", dest.display())))?
        .to_string();
    let mut conn = SqliteConnectOptions::new()
        .filename(source)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await?;
    let attempts = attempts.max(1);
    let mut attempt = 0;
    let result = loop {
        attempt += 1;
        if dest.exists() {
            std::fs::remove_file(dest).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        }
        let mut tx = conn.begin().await?;
        let before = sqlite_contents(&mut tx).await?;
        let version_before: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(&dest_text)
            .execute(&mut conn)
            .await?;
        let version_after: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(&mut conn)
            .await?;
        let quiet = version_before == version_after;
        if !quiet && attempt < attempts {
            tracing::info!(attempt, "writes arrived during the copy; copying again");
            continue;
        }
        let copy = sqlite_check_file(dest).await?;
        if quiet {
            let diff = before.differences("源库", &copy, "备份");
            if !diff.is_empty() {
                break Err(StoreError::invalid(
                    "counts",
                    format!("备份与源库同一时刻的内容不符：{}", diff.join("；")),
                ));
            }
        }
        break Ok(SqliteCopy {
            contents: copy,
            matched_source: quiet,
            attempts: attempt,
        });
    };
    conn.close().await.ok();
    result
}

/// What a live SQLite database holds, read in one transaction (a restore's target, before it
/// is replaced). `None` when there is no file.
pub async fn sqlite_contents_of(path: &Path) -> Result<Option<Contents>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .connect()
        .await?;
    let mut tx = conn.begin().await?;
    let contents = sqlite_contents(&mut tx).await;
    tx.rollback().await.ok();
    conn.close().await.ok();
    Ok(Some(contents?))
}

/// Takes a live SQLite database out of WAL mode, which SQLite allows only when no other
/// connection has it open: a running `hezuo serve` makes this fail with a `Conflict`. On
/// success the WAL is folded into the file and removed, so the file may be replaced.
pub async fn sqlite_claim(path: &Path) -> Result<(), StoreError> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(2))
        .connect()
        .await?;
    let mode: Result<String, sqlx::Error> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut conn)
        .await;
    conn.close().await.ok();
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
        Ok(_) | Err(sqlx::Error::Database(_)) => Err(StoreError::Conflict(format!(
            "数据库 {} 正被其他程序使用（hezuo serve 是否仍在运行？）：请先停止服务再恢复",
            path.display()
        ))),
        Err(e) => Err(e.into()),
    }
}

// ---- PostgreSQL --------------------------------------------------------------------------------

async fn pg_contents(conn: &mut PgConnection) -> Result<Contents, StoreError> {
    let names: Vec<(String, String)> = sqlx::query_as(
        "SELECT schemaname::text, tablename::text FROM pg_catalog.pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema') \
           AND schemaname NOT LIKE 'pg\\_%' ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = RowCounts::new();
    for (schema, table) in &names {
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {}.{}",
            quote_ident(schema),
            quote_ident(table)
        )))
        .fetch_one(&mut *conn)
        .await?;
        tables.insert(table_key(schema, table), n);
    }
    let migrated = tables
        .keys()
        .any(|k| k == "schema_migrations" || k.ends_with(".schema_migrations"));
    let migrations = if migrated {
        // The one the connection's search_path finds, as the store's own queries do.
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    Ok(Contents { tables, migrations })
}

/// What a PostgreSQL database holds now, read in one repeatable-read transaction.
pub async fn pg_contents_of(url: &str) -> Result<Contents, StoreError> {
    let mut conn = PgConnection::connect(url).await?;
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let contents = pg_contents(&mut conn).await;
    conn.execute("ROLLBACK").await.ok();
    conn.close().await.ok();
    contents
}

/// An exported snapshot of a PostgreSQL database and what it holds. Keep it until `pg_dump
/// --snapshot` has finished with it, then [`PgSnapshot::release`] it.
pub struct PgSnapshot {
    conn: PgConnection,
    /// The name `pg_dump --snapshot=` takes.
    pub id: String,
    pub contents: Contents,
}

impl PgSnapshot {
    pub async fn take(url: &str) -> Result<PgSnapshot, StoreError> {
        let mut conn = PgConnection::connect(url).await?;
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut conn)
            .await?;
        let contents = pg_contents(&mut conn).await?;
        Ok(PgSnapshot { conn, id, contents })
    }

    pub async fn release(mut self) {
        self.conn.execute("ROLLBACK").await.ok();
        self.conn.close().await.ok();
    }
}
