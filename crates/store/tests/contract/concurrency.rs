//! Optimistic versioning under real contention: of many edits made against one version,
//! exactly one is saved.

use crate::support::*;
use hezuo_domain::ProjectInput;
use hezuo_store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::Barrier;

contract!(fifty_concurrent_edits_of_the_same_version_save_exactly_one);

async fn fifty_concurrent_edits_of_the_same_version_save_exactly_one(store: Store) {
    // 等保 asks for fifty writers on one version.
    const N: usize = 50;
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("争抢项目")
        },
    )
    .await;
    let barrier = Arc::new(Barrier::new(N));
    let mut tasks = Vec::new();
    for i in 0..N {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        let edit = draft(ProjectInput {
            investment_wan: format!("{}", 10_000 + i),
            lists: vec![on_list(&w.list_2, 2024 + i as i32)],
            ..input(&format!("修改{i}"))
        });
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            store.update_project(&admin(), &actor(), id, 1, &edit).await
        }));
    }
    let mut saved = Vec::new();
    let mut conflicts = 0;
    for task in tasks {
        match task.await.expect("the task ran") {
            Ok(row) => saved.push(row),
            Err(StoreError::Conflict(_)) => conflicts += 1,
            Err(e) => panic!("expected Ok or Conflict, got {e:?}"),
        }
    }
    assert_eq!(
        (saved.len(), conflicts),
        (1, N - 1),
        "exactly one edit wins"
    );

    let winner = &saved[0];
    let now = store.get_project(&admin(), p.id).await.unwrap();
    assert_eq!(&now, winner, "the stored project is the winning edit");
    assert_eq!(now.version, 2);
    let i: i32 = winner.name.trim_start_matches("修改").parse().unwrap();
    assert_eq!(now.investment_cny, (10_000 + i64::from(i)) * 10_000);
    let lists = store.project_lists(&admin(), p.id).await.unwrap();
    assert_eq!(
        lists
            .iter()
            .map(|e| (e.list_id, e.year))
            .collect::<Vec<_>>(),
        [(w.list_2.id, 2024 + i64::from(i))]
    );
    assert_eq!(
        audit_count(&store, p.id).await,
        2,
        "create + the one saved edit"
    );
}
