//! Migrations run at start-up, so every start after the first must find nothing to do.

use crate::support::*;
use hezuo_store::Store;
use hezuo_store::dict::DictKind;

contract!(
    connecting_twice_to_the_same_database_applies_each_migration_once,
    the_postgresql_pool_is_configured_or_sized_to_the_machine,
    postgresql_connections_do_not_compile_statements,
);

/// Every PostgreSQL connection of the pool runs without JIT, whatever the server's default (on
/// in PostgreSQL 15): compiling a figure's statement took longer than running it.
async fn postgresql_connections_do_not_compile_statements(store: Store) {
    if store.engine() != hezuo_store::Engine::Postgres {
        return;
    }
    // Every connection the pool may open, held at once, so none is missed.
    let mut held = Vec::new();
    for _ in 0..store.pool().options().get_max_connections() {
        let mut conn = store.pool().acquire().await.expect("connection");
        let jit: String = sqlx::query_scalar("SELECT current_setting('jit')")
            .fetch_one(&mut *conn)
            .await
            .expect("jit");
        assert_eq!(jit, "off");
        held.push(conn);
    }
}

/// `database.pool` sets PostgreSQL's connections; unset (or 0) they follow the cores. SQLite
/// keeps its pool of 8 whatever is asked.
async fn the_postgresql_pool_is_configured_or_sized_to_the_machine(store: Store) {
    use hezuo_store::Engine;
    let url = url_of(&store);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    let size = |s: &Store| s.pool().options().get_max_connections();
    for (asked, postgres) in [
        (Some(2), 2),
        (Some(0), (cores + 1).max(3)),
        (None, (cores + 1).max(3)),
    ] {
        let s = Store::connect_with(&url, asked).await.expect("connect");
        let expected = match store.engine() {
            Engine::Sqlite => 8,
            Engine::Postgres => postgres,
        };
        assert_eq!(size(&s), expected, "asked {asked:?}");
    }
}

async fn applied(store: &Store) -> Vec<i64> {
    sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(store.pool())
        .await
        .expect("schema_migrations is readable")
}

async fn connecting_twice_to_the_same_database_applies_each_migration_once(store: Store) {
    let first = applied(&store).await;
    assert!(
        !first.is_empty(),
        "the first connect applies the migrations"
    );
    dict(&store, DictKind::District, A_NAME, values([A])).await;

    let again = Store::connect(&url_of(&store))
        .await
        .expect("a second connect to a migrated database succeeds");
    assert_eq!(applied(&again).await, first, "nothing is applied twice");
    again
        .migrate()
        .await
        .expect("migrating a migrated database is a no-op");
    assert_eq!(applied(&again).await, first);

    let districts = again
        .dict_list(DictKind::District)
        .await
        .expect("districts");
    assert_eq!(
        districts
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>(),
        [A_NAME],
        "data survives"
    );
    again.close().await;
}
