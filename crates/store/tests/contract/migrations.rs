//! Migrations run at start-up, so every start after the first must find nothing to do.

use crate::support::*;
use hezuo_store::Store;
use hezuo_store::dict::DictKind;

contract!(connecting_twice_to_the_same_database_applies_each_migration_once);

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
