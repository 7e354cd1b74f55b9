//! The store's contract: one suite, run unchanged against SQLite and PostgreSQL.
//!
//! Each case is written once as `async fn case(store: Store)`; `contract!(case)` turns it into
//! `case::sqlite` and `case::postgres`, each on a fresh database. PostgreSQL is reached through
//! `HEZUO_TEST_PG` (default `postgres://postgres@127.0.0.1:5432/test`); if it is unreachable the
//! PostgreSQL half fails rather than skips, because CI starts it.
//!
//! Run: `cargo test -p hezuo-store --test contract` (add `sqlite` or `postgres` to run one half).

/// Generates one test per engine for each named case in the current module.
macro_rules! contract {
    ($($case:ident),+ $(,)?) => {$(
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::support::run(crate::support::Backend::Sqlite, super::$case).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::support::run(crate::support::Backend::Postgres, super::$case).await;
            }
        }
    )+};
}

#[path = "contract/support.rs"]
mod support;

#[path = "contract/accounts.rs"]
mod accounts;
#[path = "contract/assistance.rs"]
mod assistance;
#[path = "contract/audit.rs"]
mod audit;
#[path = "contract/concurrency.rs"]
mod concurrency;
#[path = "contract/coop_platforms.rs"]
mod coop_platforms;
#[path = "contract/dictionaries.rs"]
mod dictionaries;
#[path = "contract/enterprise_imports.rs"]
mod enterprise_imports;
#[path = "contract/enterprises.rs"]
mod enterprises;
#[path = "contract/imports.rs"]
mod imports;
#[path = "contract/key_items.rs"]
mod key_items;
#[path = "contract/listing.rs"]
mod listing;
#[path = "contract/migrations.rs"]
mod migrations;
#[path = "contract/progress.rs"]
mod progress;
#[path = "contract/projects.rs"]
mod projects;
#[path = "contract/record_imports.rs"]
mod record_imports;
#[path = "contract/scope.rs"]
mod scope;
#[path = "contract/security.rs"]
mod security;
#[path = "contract/stages.rs"]
mod stages;
#[path = "contract/stats.rs"]
mod stats;
#[path = "contract/summaries.rs"]
mod summaries;
#[path = "contract/totals.rs"]
mod totals;
