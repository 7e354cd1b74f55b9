//! Scope: a liaison, a unit or a leader sees and changes only what its role allows; a row
//! outside the scope does not exist for the viewer.

use crate::listing::Library;
use crate::support::*;
use hezuo_domain::{ProjectInput, Stage, Viewer};
use hezuo_store::Store;
use hezuo_store::project::{ProjectFilter, ProjectRow};

contract!(
    a_district_liaison_never_sees_or_touches_another_districts_projects,
    a_platform_liaison_sees_only_its_platforms_projects,
    a_unit_sees_only_the_projects_it_is_responsible_for_and_changes_none,
    a_leader_sees_every_project_but_cannot_create_or_change_one,
    an_area_account_without_an_area_sees_nothing,
    a_liaison_cannot_place_a_project_outside_its_area,
);

/// Checks that `viewer` can neither read nor change `row`, and that `row` is untouched.
async fn hidden(store: &Store, viewer: &Viewer, row: &ProjectRow) {
    expect_not_found(store.get_project(viewer, row.id).await);
    expect_not_found(store.project_lists(viewer, row.id).await);
    expect_not_found(store.stage_history(viewer, row.id).await);
    let edit = draft(ProjectInput {
        district_code: row.district_code.clone(),
        ..input("越权修改")
    });
    expect_not_found(
        store
            .update_project(viewer, &actor(), row.id, row.version, &edit)
            .await,
    );
    let next = Stage::parse(&row.stage)
        .and_then(Stage::next)
        .expect("an open stage");
    let r = store
        .transition_project(
            viewer,
            &actor(),
            row.id,
            row.version,
            next,
            today(),
            None,
            today(),
        )
        .await;
    expect_not_found(r);
    let r = store
        .transition_project(
            viewer,
            &actor(),
            row.id,
            row.version,
            Stage::Terminated,
            today(),
            Some("越权"),
            today(),
        )
        .await;
    expect_not_found(r);
    assert_eq!(
        &store.get_project(&admin(), row.id).await.unwrap(),
        row,
        "{} is unchanged",
        row.name
    );
    assert_eq!(
        audit_count(store, row.id).await,
        1,
        "{} has only its creation audited",
        row.name
    );
}

async fn visible(store: &Store, viewer: &Viewer) -> (Vec<String>, i64, i64) {
    let page = list(
        store,
        viewer,
        &ProjectFilter {
            sort: Some("name".into()),
            dir: Some("asc".into()),
            ..every()
        },
    )
    .await;
    (names(&page), page.total, page.total_investment_cny)
}

async fn a_district_liaison_never_sees_or_touches_another_districts_projects(store: Store) {
    let lib = Library::seed(&store).await;
    let v = district_viewer(A);
    assert_eq!(
        visible(&store, &v).await,
        (
            vec![
                "ABC机器人项目".into(),
                "丙文旅综合体".into(),
                "乙智能装备项目".into(),
                "甲电驱系统项目".into()
            ],
            4,
            2_199_999_999
        )
    );
    let asks_for_b = ProjectFilter {
        district: Some(B.into()),
        ..every()
    };
    let page = list(&store, &v, &asks_for_b).await;
    assert_eq!(
        (page.items.len(), page.total, page.total_investment_cny),
        (0, 0, 0),
        "asking for B by filter"
    );
    let page = list(
        &store,
        &v,
        &ProjectFilter {
            q: Some("物流园".into()),
            ..every()
        },
    )
    .await;
    assert_eq!(
        (page.items.len(), page.total),
        (0, 0),
        "finding B's project by keyword"
    );
    let page = list(
        &store,
        &v,
        &ProjectFilter {
            platform: Some(lib.w.platform_b.id),
            ..every()
        },
    )
    .await;
    assert_eq!(
        (page.items.len(), page.total),
        (0, 0),
        "finding B's project by platform"
    );

    for name in ["丁外资研发中心", "戊物流园"] {
        hidden(&store, &v, lib.row(name)).await;
    }
    let own = lib.row("丙文旅综合体");
    assert_eq!(&store.get_project(&v, own.id).await.unwrap(), own);
    assert_eq!(store.stage_history(&v, own.id).await.unwrap().len(), 1);
    assert_eq!(store.project_lists(&v, own.id).await.unwrap().len(), 1);

    // The other district's liaison is held to its own district the same way.
    let v = district_viewer(B);
    assert_eq!(visible(&store, &v).await.0, ["丁外资研发中心", "戊物流园"]);
    hidden(&store, &v, own).await;
}

async fn a_platform_liaison_sees_only_its_platforms_projects(store: Store) {
    let lib = Library::seed(&store).await;
    let v = platform_viewer(lib.w.platform_a.id);
    assert_eq!(
        visible(&store, &v).await,
        (vec!["甲电驱系统项目".into()], 1, 500_000_000)
    );
    let page = list(
        &store,
        &v,
        &ProjectFilter {
            district: Some(A.into()),
            ..every()
        },
    )
    .await;
    assert_eq!(
        page.total, 1,
        "the district filter does not widen the scope"
    );
    // Same district, other platform or none; and another district.
    for name in [
        "乙智能装备项目",
        "丙文旅综合体",
        "ABC机器人项目",
        "丁外资研发中心",
    ] {
        hidden(&store, &v, lib.row(name)).await;
    }
    let own = lib.row("甲电驱系统项目");
    let edited = store
        .update_project(
            &v,
            &actor(),
            own.id,
            1,
            &draft(ProjectInput {
                platform_id: id(&lib.w.platform_a),
                ..input("甲项目改名")
            }),
        )
        .await
        .expect("a liaison edits its own platform's project");
    assert_eq!(edited.name, "甲项目改名");
}

async fn a_unit_sees_only_the_projects_it_is_responsible_for_and_changes_none(store: Store) {
    let lib = Library::seed(&store).await;
    let v = unit_viewer(Some(lib.w.unit_1.id));
    assert_eq!(
        visible(&store, &v).await,
        (
            vec!["丁外资研发中心".into(), "甲电驱系统项目".into()],
            2,
            1_075_072_000
        )
    );
    let v2 = unit_viewer(Some(lib.w.unit_2.id));
    assert_eq!(visible(&store, &v2).await.0, ["乙智能装备项目"]);
    for name in ["乙智能装备项目", "丙文旅综合体", "戊物流园"] {
        hidden(&store, &v, lib.row(name)).await;
    }

    let own = lib.row("甲电驱系统项目");
    assert_eq!(&store.get_project(&v, own.id).await.unwrap(), own);
    assert!(
        store
            .create_project(&v, &actor(), &draft(input("单位新建")))
            .await
            .is_err()
    );
    let edit = draft(ProjectInput {
        platform_id: id(&lib.w.platform_a),
        ..input("单位修改")
    });
    assert!(
        store
            .update_project(&v, &actor(), own.id, 1, &edit)
            .await
            .is_err()
    );
    let r = store
        .transition_project(
            &v,
            &actor(),
            own.id,
            1,
            Stage::Started,
            today(),
            None,
            today(),
        )
        .await;
    assert!(r.is_err());
    assert_eq!(&store.get_project(&admin(), own.id).await.unwrap(), own);
    assert_eq!(audit_count(&store, own.id).await, 1);
    assert_eq!(
        list(&store, &admin(), &every()).await.total,
        6,
        "nothing was created"
    );

    let nobody = unit_viewer(None);
    assert_eq!(
        visible(&store, &nobody).await,
        (vec![], 0, 0),
        "a unit account without a unit sees nothing"
    );
}

async fn a_leader_sees_every_project_but_cannot_create_or_change_one(store: Store) {
    let lib = Library::seed(&store).await;
    let v = leader_viewer(lib.w.leader_2.id);
    let (seen, total, money) = visible(&store, &v).await;
    assert_eq!((seen.len(), total, money), (6, 6, 2_805_071_999));
    for row in &lib.rows {
        assert_eq!(&store.get_project(&v, row.id).await.unwrap(), row);
        assert_eq!(store.stage_history(&v, row.id).await.unwrap().len(), 1);
    }
    assert!(
        store
            .create_project(&v, &actor(), &draft(input("领导新建")))
            .await
            .is_err()
    );
    let own = lib.row("乙智能装备项目");
    let edit = draft(ProjectInput {
        platform_id: id(&lib.w.platform_a2),
        ..input("领导修改")
    });
    assert!(
        store
            .update_project(&v, &actor(), own.id, 1, &edit)
            .await
            .is_err()
    );
    let r = store
        .transition_project(
            &v,
            &actor(),
            own.id,
            1,
            Stage::Signed,
            today(),
            None,
            today(),
        )
        .await;
    assert!(r.is_err());
    assert_eq!(&store.get_project(&admin(), own.id).await.unwrap(), own);
    assert_eq!(audit_count(&store, own.id).await, 1);
    assert_eq!(list(&store, &admin(), &every()).await.total, 6);
}

async fn an_area_account_without_an_area_sees_nothing(store: Store) {
    let lib = Library::seed(&store).await;
    let v = arealess_viewer();
    assert_eq!(visible(&store, &v).await, (vec![], 0, 0));
    for row in &lib.rows {
        expect_not_found(store.get_project(&v, row.id).await);
    }
    assert!(
        store
            .create_project(&v, &actor(), &draft(input("无区域新建")))
            .await
            .is_err()
    );
    assert_eq!(list(&store, &admin(), &every()).await.total, 6);
}

async fn a_liaison_cannot_place_a_project_outside_its_area(store: Store) {
    let w = World::build(&store).await;
    let in_a = district_viewer(A);
    expect_invalid(
        store
            .create_project(
                &in_a,
                &actor(),
                &draft(ProjectInput {
                    district_code: B.into(),
                    ..input("跨区")
                }),
            )
            .await,
    );
    let b_platform = draft(ProjectInput {
        district_code: B.into(),
        platform_id: id(&w.platform_b),
        ..input("跨区平台")
    });
    expect_invalid(store.create_project(&in_a, &actor(), &b_platform).await);
    let own = store
        .create_project(&in_a, &actor(), &draft(input("本区项目")))
        .await
        .expect("own district");
    let on_platform = draft(ProjectInput {
        platform_id: id(&w.platform_a),
        ..input("本区平台项目")
    });
    store
        .create_project(&in_a, &actor(), &on_platform)
        .await
        .expect("a platform in its own district");
    let moved = draft(ProjectInput {
        district_code: B.into(),
        ..input("本区项目")
    });
    expect_invalid(
        store
            .update_project(&in_a, &actor(), own.id, 1, &moved)
            .await,
    );
    assert_eq!(store.get_project(&admin(), own.id).await.unwrap(), own);

    let on_a = platform_viewer(w.platform_a.id);
    expect_invalid(
        store
            .create_project(&on_a, &actor(), &draft(input("平台外")))
            .await,
    );
    let sibling = draft(ProjectInput {
        platform_id: id(&w.platform_a2),
        ..input("兄弟平台")
    });
    expect_invalid(store.create_project(&on_a, &actor(), &sibling).await);
    let elsewhere = draft(ProjectInput {
        district_code: B.into(),
        platform_id: id(&w.platform_b),
        ..input("外区平台")
    });
    expect_invalid(store.create_project(&on_a, &actor(), &elsewhere).await);
    let mine = draft(ProjectInput {
        platform_id: id(&w.platform_a),
        ..input("本平台项目")
    });
    let p = store
        .create_project(&on_a, &actor(), &mine)
        .await
        .expect("its own platform");
    let off = draft(ProjectInput {
        platform_id: id(&w.platform_a2),
        ..input("本平台项目")
    });
    expect_invalid(store.update_project(&on_a, &actor(), p.id, 1, &off).await);
    assert_eq!(store.get_project(&admin(), p.id).await.unwrap(), p);

    let page = list(
        &store,
        &admin(),
        &ProjectFilter {
            sort: Some("name".into()),
            dir: Some("asc".into()),
            ..every()
        },
    )
    .await;
    assert_eq!(
        names(&page),
        ["本区平台项目", "本区项目", "本平台项目"],
        "only the allowed projects exist"
    );
}
