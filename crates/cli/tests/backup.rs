//! `hezuo backup` and `hezuo restore` through the real binary, on SQLite and on PostgreSQL: a
//! backup taken while another task keeps writing restores into a fresh database with the
//! manifest's row counts and the source's rows; a corrupted backup, an existing backup file
//! and a target that holds data are refused, and nothing half-written is left behind.

use hezuo_store::dict::DictKind;
use hezuo_store::{Actor, Store};
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod support;
use support::*;

/// A migrated database with a small synthetic city (300 projects, three months of reports).
fn load(db: &str) {
    ok(hezuo(db, &["migrate"]));
    ok(hezuo(
        db,
        &["bench-data", "--projects", "300", "--months", "3"],
    ));
}

fn manifest(backup: &Path) -> serde_json::Value {
    let mut p = backup.as_os_str().to_owned();
    p.push(".manifest.json");
    serde_json::from_slice(&std::fs::read(PathBuf::from(p)).unwrap()).unwrap()
}

type ProjectRows = Vec<(i64, String, String, i64)>;

/// What the tests compare between databases, read with plain SQL.
struct Seen {
    /// Rows per table, for the tables named in the manifest.
    counts: Vec<(String, i64)>,
    schema_version: i64,
    projects: ProjectRows,
    industries: Vec<(i64, String)>,
}

fn seen(url: &str, tables: &[String]) -> Seen {
    runtime().block_on(async {
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(url).await.unwrap();
        let mut counts = Vec::new();
        for t in tables {
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
                .fetch_one(&mut conn)
                .await
                .unwrap();
            counts.push((t.clone(), n));
        }
        let schema_version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let projects: ProjectRows =
            sqlx::query_as("SELECT id, name, stage, investment_orig FROM projects ORDER BY id")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let industries = sqlx::query_as("SELECT id, name FROM industries ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        conn.close().await.ok();
        Seen {
            counts,
            schema_version,
            projects,
            industries,
        }
    })
}

fn manifest_tables(m: &serde_json::Value) -> Vec<String> {
    m["tables"].as_object().unwrap().keys().cloned().collect()
}

fn manifest_counts(m: &serde_json::Value) -> Vec<(String, i64)> {
    m["tables"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect()
}

/// Adds an industry through the store, over and over, until told to stop: the server's
/// writes while a backup runs.
struct Writer {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Writer {
    fn start(url: &str) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let url = url.to_string();
        let thread = {
            let (stop, written) = (stop.clone(), written.clone());
            std::thread::spawn(move || {
                runtime().block_on(async {
                    let store = Store::connect(&url).await.unwrap();
                    let actor = Actor::system("backup-test");
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        store
                            .dict_create(
                                &actor,
                                DictKind::Industry,
                                &format!("备份测试产业{i}"),
                                &[],
                            )
                            .await
                            .unwrap();
                        written.fetch_add(1, Ordering::Relaxed);
                    }
                    store.close().await;
                })
            })
        };
        Writer {
            stop,
            written,
            thread,
        }
    }

    fn wait_for(&self, at_least: u64) {
        let start = Instant::now();
        while self.written.load(Ordering::Relaxed) < at_least {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the writer is stuck"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap();
        self.written.load(Ordering::Relaxed)
    }
}

/// Backs `source` up while a writer keeps adding industries, restores the backup into
/// `fresh`, and checks the restored database against the manifest and the source.
fn round_trip_while_writing(source: &str, fresh: &str, backup: &Path) {
    let industries_before = seen(source, &[]).industries.len() as i64;
    let writer = Writer::start(source);
    writer.wait_for(5);
    let summary = ok(hezuo(
        source,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    let during = writer.written();
    writer.wait_for(during + 5);
    let written = writer.stop();
    assert!(summary.contains("备份完成"), "{summary}");

    let m = manifest(backup);
    assert_eq!(m["format"], 1);
    assert_eq!(
        m["bytes"].as_u64().unwrap(),
        std::fs::metadata(backup).unwrap().len()
    );
    assert_eq!(m["sha256"].as_str().unwrap(), sha256_of(backup));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(backup).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "a backup is readable by its owner only"
        );
    }
    assert!(m["schema_version"].as_i64().unwrap() >= 13, "{m}");
    assert_eq!(
        m["migrations"].as_array().unwrap().len() as i64,
        m["schema_version"].as_i64().unwrap()
    );
    assert_eq!(m["tables"]["projects"], 300);
    // The copy holds the writer's rows up to some instant: more than when it started, fewer
    // than when it stopped.
    let industries = m["tables"]["industries"].as_i64().unwrap();
    assert!(
        industries >= industries_before + 5 && industries < industries_before + written as i64,
        "{industries} industries in the backup; {industries_before} before, {written} written"
    );

    let restored = ok(hezuo(
        fresh,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(restored.contains("恢复完成"), "{restored}");
    assert!(restored.contains("与备份清单一致"), "{restored}");

    let tables = manifest_tables(&m);
    let now = seen(fresh, &tables);
    assert_eq!(now.counts, manifest_counts(&m));
    assert_eq!(now.schema_version, m["schema_version"].as_i64().unwrap());
    let src = seen(source, &[]);
    assert_eq!(now.projects.len(), 300);
    assert_eq!(now.projects, src.projects);
    // The restored industries are the source's first ones, unchanged.
    assert_eq!(now.industries.len() as i64, industries);
    assert_eq!(now.industries[..], src.industries[..now.industries.len()]);
}

#[test]
fn an_sqlite_backup_taken_while_the_server_writes_restores_into_a_fresh_file() {
    let dir = Dir::new("sqlite");
    let source = dir.sqlite("source.db");
    load(&source);

    // A quiet database: the counts are compared with the source's as of the copy.
    let quiet = dir.path("quiet.db");
    let summary = ok(hezuo(
        &source,
        &["backup", "--out", quiet.to_str().unwrap()],
    ));
    assert!(summary.contains("与源库在备份时刻的行数一致"), "{summary}");
    let m = manifest(&quiet);
    assert_eq!(m["engine"], "sqlite");
    assert_eq!(m["counts_match_source"], true);
    assert_eq!(
        seen(&source, &manifest_tables(&m)).counts,
        manifest_counts(&m)
    );

    let backup = dir.path("backups/nightly.db");
    round_trip_while_writing(&source, &dir.sqlite("restored/hezuo.db"), &backup);
    // Nothing but the backups, their manifests and the databases is left behind.
    assert_eq!(
        dir.files(),
        [
            "backups",
            "quiet.db",
            "quiet.db.manifest.json",
            "restored",
            "source.db"
        ]
    );
    let mut backups: Vec<String> = std::fs::read_dir(dir.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    backups.sort();
    assert_eq!(backups, ["nightly.db", "nightly.db.manifest.json"]);

    // Restoring over a database that holds data needs --force, and changes nothing without it.
    let target = dir.sqlite("restored/hezuo.db");
    let before = std::fs::read(dir.path("restored/hezuo.db")).unwrap();
    let message = refused(hezuo(
        &target,
        &["restore", "--from", quiet.to_str().unwrap()],
    ));
    assert!(
        message.contains("已有数据") && message.contains("--force"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(dir.path("restored/hezuo.db")).unwrap(),
        before
    );
    // With --force it is replaced by the quiet backup.
    ok(hezuo(
        &target,
        &["restore", "--from", quiet.to_str().unwrap(), "--force"],
    ));
    assert_eq!(
        seen(&target, &manifest_tables(&m)).counts,
        manifest_counts(&m)
    );
    // The restored database opens and serves as usual.
    ok(hezuo(&target, &["migrate"]));
}

#[test]
fn a_backup_never_overwrites_and_a_failed_one_leaves_nothing_behind() {
    let dir = Dir::new("refusals");
    let source = dir.sqlite("source.db");
    ok(hezuo(&source, &["migrate"]));
    std::fs::write(dir.path("taken.db"), b"keep me").unwrap();
    let message = refused(hezuo(
        &source,
        &["backup", "--out", dir.path("taken.db").to_str().unwrap()],
    ));
    assert!(message.contains("已存在"), "{message}");
    assert_eq!(std::fs::read(dir.path("taken.db")).unwrap(), b"keep me");

    // A database that does not exist is not created by a backup, and no file is left.
    let message = refused(hezuo(
        &dir.sqlite("missing.db"),
        &["backup", "--out", dir.path("b.db").to_str().unwrap()],
    ));
    assert!(message.contains("不存在"), "{message}");
    assert_eq!(dir.files(), ["source.db", "taken.db"]);
}

#[test]
fn a_corrupted_backup_is_refused_and_the_target_left_alone() {
    let dir = Dir::new("corrupt");
    let source = dir.sqlite("source.db");
    load(&source);
    let backup = dir.path("b.db");
    ok(hezuo(
        &source,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    let target = dir.sqlite("target.db");

    // Bytes flipped in the middle of the file: the SHA-256 no longer matches the manifest.
    let good = std::fs::read(&backup).unwrap();
    let good_manifest = std::fs::read(dir.path("b.db.manifest.json")).unwrap();
    let mut bad = good.clone();
    let middle = bad.len() / 2;
    for b in &mut bad[middle..middle + 16] {
        *b ^= 0xff;
    }
    std::fs::write(&backup, &bad).unwrap();
    let message = refused(hezuo(
        &target,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(
        message.contains("SHA-256") && message.contains("拒绝恢复"),
        "{message}"
    );
    assert!(!dir.path("target.db").exists());

    // The same damage with the manifest's SHA-256 rewritten to match: SQLite's integrity
    // check still refuses it. Page 2 is a b-tree page; its header is wrecked.
    let mut bad = good.clone();
    let page_size = u16::from_be_bytes([bad[16], bad[17]]) as usize;
    for b in &mut bad[page_size..page_size + 12] {
        *b = 0xee;
    }
    std::fs::write(&backup, &bad).unwrap();
    let manifest_file = dir.path("b.db.manifest.json");
    let mut m = manifest(&backup);
    m["sha256"] = sha256_of(&backup).into();
    std::fs::write(&manifest_file, serde_json::to_vec(&m).unwrap()).unwrap();
    let message = refused(hezuo(
        &target,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(message.contains("拒绝恢复"), "{message}");
    assert!(!dir.path("target.db").exists());

    // A backup without its manifest is not restored either.
    std::fs::write(&backup, &good).unwrap();
    std::fs::remove_file(&manifest_file).unwrap();
    let message = refused(hezuo(
        &target,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(message.contains("清单"), "{message}");
    assert!(!dir.path("target.db").exists());

    // Whole again, it restores, also over a database hezuo has only migrated (no data yet).
    std::fs::write(&manifest_file, &good_manifest).unwrap();
    ok(hezuo(&target, &["migrate"]));
    ok(hezuo(
        &target,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    let m = manifest(&backup);
    assert_eq!(
        seen(&target, &manifest_tables(&m)).counts,
        manifest_counts(&m)
    );
}

#[test]
fn a_backup_from_a_newer_schema_is_refused() {
    let dir = Dir::new("newer");
    let source = dir.sqlite("source.db");
    ok(hezuo(&source, &["migrate"]));
    runtime().block_on(async {
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(&source).await.unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) \
             VALUES (9999, 'from_the_future', '2099-01-01T00:00:00Z')",
        )
        .await
        .unwrap();
        conn.close().await.ok();
    });
    let backup = dir.path("b.db");
    ok(hezuo(
        &source,
        &["backup", "--out", backup.to_str().unwrap()],
    ));
    assert_eq!(manifest(&backup)["schema_version"], 9999);
    let message = refused(hezuo(
        &dir.sqlite("target.db"),
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(
        message.contains("9999") && message.contains("新"),
        "{message}"
    );
    assert!(!dir.path("target.db").exists());
}

fn sha256_of(path: &Path) -> String {
    hezuo_store::backup::sha256_file(path).unwrap()
}

#[test]
fn a_postgres_backup_taken_while_the_server_writes_restores_into_a_fresh_database() {
    let dir = Dir::new("postgres");
    let source = PgDb::create("src");
    let fresh = PgDb::create("dst");
    load(&source.url);

    let backup = dir.path("hezuo.dump");
    round_trip_while_writing(&source.url, &fresh.url, &backup);
    let m = manifest(&backup);
    assert_eq!(m["engine"], "postgres");
    // pg_dump reads the very snapshot the counts were read in.
    assert_eq!(m["counts_match_source"], true);
    assert_eq!(dir.files(), ["hezuo.dump", "hezuo.dump.manifest.json"]);

    // Over a database that holds data only with --force.
    let message = refused(hezuo(
        &fresh.url,
        &["restore", "--from", backup.to_str().unwrap()],
    ));
    assert!(
        message.contains("已有数据") && message.contains("--force"),
        "{message}"
    );
    ok(hezuo(
        &fresh.url,
        &["restore", "--from", backup.to_str().unwrap(), "--force"],
    ));
    assert_eq!(
        seen(&fresh.url, &manifest_tables(&m)).counts,
        manifest_counts(&m)
    );
    // The restored database opens and migrates as usual.
    ok(hezuo(&fresh.url, &["migrate"]));

    // An SQLite backup is not restored into PostgreSQL.
    let sqlite = dir.sqlite("s.db");
    ok(hezuo(&sqlite, &["migrate"]));
    let sqlite_backup = dir.path("s.backup");
    ok(hezuo(
        &sqlite,
        &["backup", "--out", sqlite_backup.to_str().unwrap()],
    ));
    let message = refused(hezuo(
        &fresh.url,
        &[
            "restore",
            "--from",
            sqlite_backup.to_str().unwrap(),
            "--force",
        ],
    ));
    assert!(message.contains("SQLite"), "{message}");
}

#[test]
fn a_missing_pg_dump_is_reported_in_plain_words() {
    let dir = Dir::new("no-pg-dump");
    let source = PgDb::create("nodump");
    ok(hezuo(&source.url, &["migrate"]));
    let out = Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .env("HEZUO_PG_BIN", dir.path("empty"))
        .args(["--db", &source.url, "backup", "--out"])
        .arg(dir.path("b.dump"))
        .output()
        .unwrap();
    let message = refused(out);
    assert!(
        message.contains("找不到 PostgreSQL 客户端程序 pg_dump"),
        "{message}"
    );
    assert!(dir.files().is_empty(), "{:?}", dir.files());
}
