//! The project list's totals row (count, Σ agreed investment) for the whole city or one
//! district is read from `project_totals`, kept by triggers (migration 0015). Here the totals a
//! list shows are checked against the rows themselves after every kind of write — create, edit
//! (amount and district), a project moved by hand-written SQL, deletes — for every viewer and
//! filter that reads the kept totals and for filters that still count.

use crate::support::*;
use hezuo_domain::{ProjectInput, Viewer};
use hezuo_store::Store;
use hezuo_store::project::ProjectFilter;

contract!(the_lists_totals_follow_every_write_to_projects);

/// (count, Σ investment) of the projects a filter and scope should hold, counted from the rows.
async fn counted(store: &Store, district: Option<&str>) -> (i64, i64) {
    let (n, sum): (i64, i64) = match district {
        Some(code) => sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(investment_cny), 0) AS BIGINT) FROM projects WHERE district_code = $1",
        )
        .bind(code)
        .fetch_one(store.pool())
        .await,
        None => sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(investment_cny), 0) AS BIGINT) FROM projects",
        )
        .fetch_one(store.pool())
        .await,
    }
    .expect("counted");
    (n, sum)
}

async fn shown(store: &Store, viewer: &Viewer, filter: &ProjectFilter) -> (i64, i64) {
    let page = list(store, viewer, filter).await;
    (page.total, page.total_investment_cny)
}

/// Every way of reading the totals of the city and of each district agrees with the rows.
async fn check(store: &Store, when: &str) {
    let by_district = |code: &str| ProjectFilter {
        district: Some(code.into()),
        ..every()
    };
    let city = counted(store, None).await;
    let (a, b) = (counted(store, Some(A)).await, counted(store, Some(B)).await);
    assert_eq!(
        shown(store, &office(), &every()).await,
        city,
        "{when}: city"
    );
    assert_eq!(
        shown(store, &admin(), &by_district(A)).await,
        a,
        "{when}: city ∩ A"
    );
    assert_eq!(
        shown(store, &office(), &by_district(B)).await,
        b,
        "{when}: city ∩ B"
    );
    assert_eq!(
        shown(store, &district_viewer(A), &every()).await,
        a,
        "{when}: A's own"
    );
    assert_eq!(
        shown(store, &district_viewer(A), &by_district(A)).await,
        a,
        "{when}: A asking for A"
    );
    assert_eq!(
        shown(store, &district_viewer(A), &by_district(B)).await,
        (0, 0),
        "{when}: A asking for B sees nothing"
    );
    assert_eq!(
        shown(store, &office(), &by_district("999999")).await,
        (0, 0),
        "{when}: a district without projects"
    );
    // A filter the kept totals cannot answer is still counted, and still agrees.
    let signed = ProjectFilter {
        stage: Some("signed".into()),
        ..every()
    };
    let (n, _): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(0 AS BIGINT) FROM projects WHERE stage = 'signed' AND district_code = $1",
    )
    .bind(A)
    .fetch_one(store.pool())
    .await
    .expect("signed in A");
    assert_eq!(
        shown(store, &district_viewer(A), &signed).await.0,
        n,
        "{when}: signed in A"
    );
    // And the kept rows themselves are what the projects hold, district by district.
    let kept: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT district_code, projects, investment_cny FROM project_totals WHERE projects <> 0 ORDER BY district_code",
    )
    .fetch_all(store.pool())
    .await
    .expect("project_totals");
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT district_code, COUNT(*), CAST(SUM(investment_cny) AS BIGINT) FROM projects GROUP BY district_code ORDER BY district_code",
    )
    .fetch_all(store.pool())
    .await
    .expect("grouped");
    assert_eq!(kept, rows, "{when}: project_totals");
}

async fn the_lists_totals_follow_every_write_to_projects(store: Store) {
    let _w = World::build(&store).await;
    check(&store, "empty").await;
    let a1 = create(&store, input("甲一")).await;
    let a2 = create(
        &store,
        ProjectInput {
            investment_wan: "25000.5".into(),
            stage: "signed".into(),
            signed_on: "2024-01-10".into(),
            ..input("甲二")
        },
    )
    .await;
    let b1 = create(
        &store,
        ProjectInput {
            district_code: B.into(),
            investment_wan: "3000".into(),
            ..input("乙一")
        },
    )
    .await;
    check(&store, "after creating").await;

    // An edit of the amount, then a move to the other district, through the store.
    let edited = store
        .update_project(
            &admin(),
            &actor(),
            a1.id,
            a1.version,
            &draft(ProjectInput {
                investment_wan: "77777".into(),
                ..input("甲一")
            }),
        )
        .await
        .expect("edit the amount");
    check(&store, "after an amount edit").await;
    store
        .update_project(
            &admin(),
            &actor(),
            a1.id,
            edited.version,
            &draft(ProjectInput {
                district_code: B.into(),
                investment_wan: "77777".into(),
                ..input("甲一")
            }),
        )
        .await
        .expect("move to B");
    check(&store, "after a move").await;
    // An edit that changes neither leaves them alone (and they still agree).
    let now = store.get_project(&admin(), b1.id).await.expect("b1");
    store
        .update_project(
            &admin(),
            &actor(),
            b1.id,
            now.version,
            &draft(ProjectInput {
                district_code: B.into(),
                investment_wan: "3000".into(),
                investor: "改了投资方".into(),
                ..input("乙一")
            }),
        )
        .await
        .expect("edit the investor");
    check(&store, "after an edit of other fields").await;

    // Writes by hand, as a DBA or a later migration might make them.
    sqlx::query(
        "UPDATE projects SET district_code = $1, investment_cny = investment_cny * 2 WHERE id = $2",
    )
    .bind(A)
    .bind(b1.id)
    .execute(store.pool())
    .await
    .expect("move by hand");
    check(&store, "after a move by hand").await;
    sqlx::query("DELETE FROM projects WHERE id = $1")
        .bind(a2.id)
        .execute(store.pool())
        .await
        .expect("delete a project");
    check(&store, "after a delete").await;
}
