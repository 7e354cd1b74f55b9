//! What the command-line tests share: a scratch folder, the real binary, a database of
//! their own on the PostgreSQL server.

#![allow(dead_code)] // each test file uses its own part

use sqlx::{AssertSqlSafe, Connection, Executor};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

/// A folder for one test's files, removed when the test ends.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(test: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("hezuo-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn sqlite(&self, name: &str) -> String {
        format!("sqlite://{}", self.path(name).display())
    }

    /// The files in the folder, sorted, leaving out SQLite's own `-wal` and `-shm` files
    /// (present or not depending on whether a connection is open).
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
            .collect();
        names.sort();
        names
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn hezuo(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("hezuo runs")
}

pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "hezuo failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The command failed with exit code 1; its message.
pub fn refused(out: Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected a refusal: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---- PostgreSQL -------------------------------------------------------------------------------

pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The server the tests create their databases on (as the store's contract tests do).
pub fn pg_base() -> String {
    std::env::var("HEZUO_TEST_PG")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_string())
}

/// `base` with its database name replaced by `name`, query string kept.
pub fn pg_url_for(base: &str, name: &str) -> String {
    let (main, query) = match base.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (base, None),
    };
    let host_start = main.find("://").map_or(0, |i| i + 3);
    let path_start = main[host_start..]
        .find('/')
        .map_or(main.len(), |i| host_start + i);
    let mut url = format!("{}/{name}", &main[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// A database of its own on the PostgreSQL server, dropped when the test ends.
pub struct PgDb {
    pub name: String,
    pub url: String,
}

impl PgDb {
    pub fn create(label: &str) -> PgDb {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("hezuo_t_{label}_{}_{nanos}", std::process::id());
        let base = pg_base();
        runtime().block_on(async {
            let mut admin = sqlx::postgres::PgConnection::connect(&base)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {base} is unreachable: {e}"));
            admin
                .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .unwrap();
            admin.close().await.ok();
        });
        PgDb {
            url: pg_url_for(&base, &name),
            name,
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let base = pg_base();
        let name = self.name.clone();
        runtime().block_on(async {
            if let Ok(mut admin) = sqlx::postgres::PgConnection::connect(&base).await {
                let _ = admin
                    .execute(AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await;
                admin.close().await.ok();
            }
        });
    }
}
