//! Connection, migrations and the small SQL helpers every query module uses.

use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, AssertSqlSafe, Executor};
use std::path::Path;

/// The storage seam's error: callers match on `NotFound` and `Conflict`; anything else is a
/// fault the edge logs and reports as a generic failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("记录不存在")]
    NotFound,
    /// A stale version or a uniqueness clash; the text is shown to the user.
    #[error("{0}")]
    Conflict(String),
    /// Input the database refuses (an unknown dictionary id, an area outside the user's scope).
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// A setting that cannot work, e.g. an unsupported database URL.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// How much of an SQLite database file each pooled connection maps into memory.
pub(crate) const SQLITE_MMAP_BYTES: i64 = 1 << 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    engine: Engine,
    sessions: crate::auth::SessionPolicy,
    passwords: crate::auth::PasswordProfile,
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Released migrations are never edited; a change is a new entry.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "project_library",
        sqlite: include_str!("../migrations/sqlite/0001_project_library.sql"),
        postgres: include_str!("../migrations/postgres/0001_project_library.sql"),
    },
    Migration {
        version: 2,
        name: "investment_progress",
        sqlite: include_str!("../migrations/sqlite/0002_investment_progress.sql"),
        postgres: include_str!("../migrations/postgres/0002_investment_progress.sql"),
    },
    Migration {
        version: 3,
        name: "figure_indexes",
        sqlite: include_str!("../migrations/sqlite/0003_figure_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0003_figure_indexes.sql"),
    },
    Migration {
        version: 4,
        name: "figure_summaries",
        sqlite: include_str!("../migrations/sqlite/0004_figure_summaries.sql"),
        postgres: include_str!("../migrations/postgres/0004_figure_summaries.sql"),
    },
    Migration {
        version: 5,
        name: "import_uploads",
        sqlite: include_str!("../migrations/sqlite/0005_import_uploads.sql"),
        postgres: include_str!("../migrations/postgres/0005_import_uploads.sql"),
    },
    Migration {
        version: 6,
        name: "import_mappings",
        sqlite: include_str!("../migrations/sqlite/0006_import_mappings.sql"),
        postgres: include_str!("../migrations/postgres/0006_import_mappings.sql"),
    },
    Migration {
        version: 7,
        name: "stage_summary_on_insert",
        sqlite: include_str!("../migrations/sqlite/0007_stage_summary_on_insert.sql"),
        postgres: include_str!("../migrations/postgres/0007_stage_summary_on_insert.sql"),
    },
    Migration {
        version: 8,
        name: "key_items",
        sqlite: include_str!("../migrations/sqlite/0008_key_items.sql"),
        postgres: include_str!("../migrations/postgres/0008_key_items.sql"),
    },
    Migration {
        version: 9,
        name: "assistance",
        sqlite: include_str!("../migrations/sqlite/0009_assistance.sql"),
        postgres: include_str!("../migrations/postgres/0009_assistance.sql"),
    },
    Migration {
        version: 10,
        name: "coop_platforms",
        sqlite: include_str!("../migrations/sqlite/0010_coop_platforms.sql"),
        postgres: include_str!("../migrations/postgres/0010_coop_platforms.sql"),
    },
    Migration {
        version: 11,
        name: "mujun",
        sqlite: include_str!("../migrations/sqlite/0011_mujun.sql"),
        postgres: include_str!("../migrations/postgres/0011_mujun.sql"),
    },
    Migration {
        version: 12,
        name: "mujun_results",
        sqlite: include_str!("../migrations/sqlite/0012_mujun_results.sql"),
        postgres: include_str!("../migrations/postgres/0012_mujun_results.sql"),
    },
    Migration {
        version: 13,
        name: "audit_immutable",
        sqlite: include_str!("../migrations/sqlite/0013_audit_immutable.sql"),
        postgres: include_str!("../migrations/postgres/0013_audit_immutable.sql"),
    },
    Migration {
        version: 14,
        name: "password_age",
        sqlite: include_str!("../migrations/sqlite/0014_password_age.sql"),
        postgres: include_str!("../migrations/postgres/0014_password_age.sql"),
    },
    Migration {
        version: 15,
        name: "project_totals",
        sqlite: include_str!("../migrations/sqlite/0015_project_totals.sql"),
        postgres: include_str!("../migrations/postgres/0015_project_totals.sql"),
    },
    Migration {
        version: 16,
        name: "plan_districts",
        sqlite: include_str!("../migrations/sqlite/0016_plan_districts.sql"),
        postgres: include_str!("../migrations/postgres/0016_plan_districts.sql"),
    },
    Migration {
        version: 17,
        name: "plan_project_dates",
        sqlite: include_str!("../migrations/sqlite/0017_plan_project_dates.sql"),
        postgres: include_str!("../migrations/postgres/0017_plan_project_dates.sql"),
    },
    Migration {
        version: 18,
        name: "redundant_indexes",
        sqlite: include_str!("../migrations/sqlite/0018_redundant_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0018_redundant_indexes.sql"),
    },
];

/// Connections to PostgreSQL when the configuration does not say: one per core and one more.
/// Under `wrk -c32` on two cores (server, PostgreSQL and wrk on the same machine) a pool of 16
/// left 1–2% of requests waiting 150–280 ms while the backends competed for the cores; 5 left
/// 36–84 ms; 3 kept p99 at 38–49 ms with the same throughput (bench/README.md). A database on
/// its own larger server may want more: `database.pool` in the configuration.
fn postgres_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores + 1).unwrap_or(u32::MAX).clamp(3, 64)
}

/// The newest schema version this program knows (its last migration).
pub(crate) fn latest_schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    /// Opens `sqlite://PATH` (created with its folder if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, None).await
    }

    /// [`Store::connect`] with the number of PostgreSQL connections given (the configuration's
    /// `database.pool`); `None` or 0 sizes it to the machine ([`postgres_pool_size`]). SQLite
    /// keeps its own pool of 8.
    pub async fn connect_with(url: &str, postgres_pool: Option<u32>) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (engine, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if path != ":memory:"
                && let Some(dir) = Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
            }
            (Engine::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Engine::Postgres, url.to_string())
        } else {
            return Err(StoreError::Config(format!(
                "不支持的数据库地址“{url}”：应以 sqlite:// 或 postgres:// 开头"
            )));
        };
        let options = AnyPoolOptions::new().max_connections(match engine {
            Engine::Sqlite => 8,
            Engine::Postgres => postgres_pool
                .filter(|n| *n > 0)
                .unwrap_or_else(postgres_pool_size),
        });
        let options = if engine == Engine::Sqlite {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    // mmap: the connections of the pool read the file through the one OS page
                    // cache instead of each warming its own 2 MB cache (a city-wide figure ran
                    // 115 ms on one connection and 400 ms on another before, bench/README.md).
                    conn.execute(sqlx::AssertSqlSafe(format!(
                        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                         PRAGMA mmap_size = {SQLITE_MMAP_BYTES}"
                    )))
                    .await?;
                    Ok(())
                })
            })
        } else {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    // No JIT compilation: PostgreSQL compiles a statement whose estimated cost
                    // passes `jit_above_cost`, and the figures' statements are short enough that
                    // compiling costs more than it saves (the split by district at 100k projects,
                    // p95 166 ms with it, 89 ms without; bench/README.md).
                    conn.execute("SET jit = off").await?;
                    Ok(())
                })
            })
        };
        let pool = options.connect(&url).await?;
        if engine == Engine::Sqlite {
            // WAL lets pages be read while a write is in progress; the setting is kept in the file.
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let store = Store {
            pool,
            engine,
            sessions: crate::auth::SessionPolicy::default(),
            passwords: crate::auth::PasswordProfile::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The same store with sessions living as `policy` says.
    pub fn with_session_policy(mut self, policy: crate::auth::SessionPolicy) -> Store {
        self.sessions = policy;
        self
    }

    pub fn session_policy(&self) -> crate::auth::SessionPolicy {
        self.sessions
    }

    /// The same store with new passwords checked (and aged) by `profile`.
    pub fn with_password_profile(mut self, profile: crate::auth::PasswordProfile) -> Store {
        self.passwords = profile;
        self
    }

    pub fn password_profile(&self) -> crate::auth::PasswordProfile {
        self.passwords
    }

    /// Applies every migration not yet recorded, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.pool
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .await?;
        for m in MIGRATIONS {
            let mut tx = self.begin_write().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(m.version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            let sql = match self.engine {
                Engine::Sqlite => m.sqlite,
                Engine::Postgres => m.postgres,
            };
            tx.execute(sql).await?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(version = m.version, name = m.name, "migration applied");
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`) so a
    /// transaction that reads before it writes waits for other writers instead of failing.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Any>, StoreError> {
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A value bound to a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    /// SQL NULL in an integer column.
    Null,
    /// SQL NULL in a text column (PostgreSQL types a parameter by its column).
    NullText,
}

/// Binds every parameter of a [`Sql`] to a `Query` or `QueryAs` (their `bind`s are distinct methods).
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Int(v) => q.bind(v),
                Param::Text(v) => q.bind(v),
                Param::Null => q.bind(None::<i64>),
                Param::NullText => q.bind(None::<String>),
            };
        }
        q
    }};
}

/// Dynamic SQL with `$n` placeholders numbered as values are pushed, valid on both engines.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    params: Vec<Param>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    /// A statement already written with its placeholders, and their values in order.
    pub fn with_params(text: String, params: Vec<Param>) -> Sql {
        Sql { text, params }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for the value.
    pub fn bind(&mut self, p: Param) -> &mut Self {
        use std::fmt::Write;
        self.params.push(p);
        let _ = write!(self.text, "${}", self.params.len());
        self
    }

    pub fn bind_int(&mut self, v: i64) -> &mut Self {
        self.bind(Param::Int(v))
    }

    pub fn bind_text(&mut self, v: impl Into<String>) -> &mut Self {
        self.bind(Param::Text(v.into()))
    }

    pub fn param_count(&self) -> usize {
        self.params.len()
    }

    pub fn extend_params(&mut self, other: &Sql) {
        self.params.extend(other.params.iter().cloned());
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        bind_all!(
            sqlx::query(AssertSqlSafe(self.text.clone())),
            self.params.iter().cloned()
        )
    }

    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        bind_all!(
            sqlx::query_as::<_, T>(AssertSqlSafe(self.text.clone())),
            self.params.iter().cloned()
        )
    }

    /// [`Sql::query`], its values moved into the query instead of copied (large statements).
    pub fn into_query(self) -> Query<'static, Any, AnyArguments> {
        bind_all!(sqlx::query(AssertSqlSafe(self.text)), self.params)
    }

    /// [`Sql::query_as`], its values moved into the query instead of copied.
    pub fn into_query_as<T>(self) -> sqlx::query::QueryAs<'static, Any, T, AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        bind_all!(
            sqlx::query_as::<_, T>(AssertSqlSafe(self.text)),
            self.params
        )
    }
}

/// Refuses a change only the office (合作办, or an administrator) may make: "只有合作办可以{what}".
pub(crate) fn office_only(viewer: &hezuo_domain::Viewer, what: &str) -> Result<(), StoreError> {
    if viewer.is_office() {
        Ok(())
    } else {
        Err(StoreError::invalid("", format!("只有合作办可以{what}")))
    }
}

/// Maps a uniqueness violation to a `Conflict` with the given message.
pub(crate) fn unique_as_conflict(e: sqlx::Error, message: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(message.to_string())
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::invalid("", "引用的字典项不存在")
        }
        _ => StoreError::Db(e),
    }
}
