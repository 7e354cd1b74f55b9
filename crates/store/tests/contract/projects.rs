//! Creating and editing projects: exact round trips, project-code uniqueness, optimistic versions,
//! and references the dictionaries must vouch for.

use crate::support::*;
use hezuo_domain::ProjectInput;
use hezuo_store::Store;
use hezuo_store::project::{ListEntry, ProjectRow};

contract!(
    a_created_project_reads_back_every_field_exactly,
    a_project_without_optional_fields_reads_back_empty,
    a_project_code_belongs_to_one_project_only,
    an_update_saves_every_field_and_replaces_the_lists,
    an_update_against_a_stale_version_is_a_conflict_and_changes_nothing,
    a_platform_must_lie_in_the_chosen_district,
    references_the_dictionaries_do_not_know_are_invalid_and_create_nothing,
);

fn full_input(w: &World) -> ProjectInput {
    ProjectInput {
        name: "年产10万台新能源汽车电驱系统项目".into(),
        kind: "industrial".into(),
        stage: "started".into(),
        stage_date: "2024-06-01".into(),
        signed_on: "2024-03-05".into(),
        investor: "某某汽车科技（上海）有限公司".into(),
        summary: "新建电驱总成生产线12条，达产后年产电驱系统10万台。".into(),
        currency: "USD".into(),
        investment_wan: "15000.5".into(),
        usd_rate: "7.1884".into(),
        rate_date: "2024-03-01".into(),
        arrived_wan: "3000.25".into(),
        origin: "abroad".into(),
        origin_detail: "德国".into(),
        industry_id: id(&w.industry_1),
        chain_id: id(&w.chain_1),
        flags: vec!["chain_leader".into(), "global500".into()],
        district_code: A.into(),
        platform_id: id(&w.platform_a),
        land_mu: "85.25".into(),
        leader_id: id(&w.leader_1),
        unit_id: id(&w.unit_1),
        promoter: "赵招商".into(),
        commissioner: "钱专员".into(),
        signing_event_id: id(&w.event),
        project_code: "2024-330502-04-01-123456".into(),
        lists: vec![on_list(&w.list_1, 2024), on_list(&w.list_2, 2025)],
        ..Default::default()
    }
}

async fn a_created_project_reads_back_every_field_exactly(store: Store) {
    let w = World::build(&store).await;
    let draft = draft(full_input(&w));
    let created = store
        .create_project(&admin(), &actor(), &draft)
        .await
        .expect("created");
    let got = store
        .get_project(&admin(), created.id)
        .await
        .expect("read back");
    assert_eq!(got, created, "create returns what get reads");

    assert_eq!(got.name, "年产10万台新能源汽车电驱系统项目");
    assert_eq!(got.kind, "industrial");
    assert_eq!(got.stage, "started");
    assert_eq!(got.maturity, None);
    assert_eq!(got.stage_date, "2024-06-01");
    assert_eq!(got.signed_on.as_deref(), Some("2024-03-05"));
    assert_eq!(got.investor, "某某汽车科技（上海）有限公司");
    assert_eq!(
        got.summary,
        "新建电驱总成生产线12条，达产后年产电驱系统10万台。"
    );
    assert_eq!(got.currency, "USD");
    assert_eq!(
        got.investment_orig, 150_005_000,
        "US$ 15000.5万 in whole dollars"
    );
    assert_eq!(got.usd_rate, Some(71_884));
    assert_eq!(got.rate_date.as_deref(), Some("2024-03-01"));
    assert_eq!(
        got.investment_cny, 1_078_295_942,
        "150,005,000 × 7.1884 exactly"
    );
    assert_eq!(got.investment_cny, draft.investment_cny.0);
    assert_eq!(got.arrived, 30_002_500);
    assert_eq!(got.origin, "abroad");
    assert_eq!(got.origin_detail, "德国");
    assert_eq!(
        (got.industry_id, got.industry_name.as_deref()),
        (Some(w.industry_1.id), Some("新能源汽车及关键零部件"))
    );
    assert_eq!(
        (got.chain_id, got.chain_name.as_deref()),
        (Some(w.chain_1.id), Some("电驱系统"))
    );
    assert_eq!(got.flags, "chain_leader,global500");
    assert_eq!(
        (got.district_code.as_str(), got.district_name.as_str()),
        (A, w.district_a.name.as_str())
    );
    assert_eq!(
        (got.platform_id, got.platform_name.as_deref()),
        (Some(w.platform_a.id), Some("吴兴经济开发区"))
    );
    assert_eq!(got.land_mu_x100, Some(8525));
    assert_eq!(
        (got.leader_id, got.leader_name.as_deref()),
        (Some(w.leader_1.id), Some("张市长"))
    );
    assert_eq!(
        (got.unit_id, got.unit_name.as_deref()),
        (Some(w.unit_1.id), Some("市经信局"))
    );
    assert_eq!(got.promoter, "赵招商");
    assert_eq!(got.commissioner, "钱专员");
    assert_eq!(
        (got.signing_event_id, got.signing_event_name.as_deref()),
        (Some(w.event.id), Some("2024长三角合作签约会"))
    );
    assert_eq!(
        got.project_code.as_deref(),
        Some("2024-330502-04-01-123456")
    );
    assert_eq!(got.version, 1);
    assert!(!got.created_at.is_empty());
    assert_eq!(got.created_at, got.updated_at);

    let lists = store.project_lists(&admin(), got.id).await.unwrap();
    assert_eq!(
        lists,
        vec![
            ListEntry {
                list_id: w.list_2.id,
                list_name: "省重大产业项目".into(),
                year: 2025
            },
            ListEntry {
                list_id: w.list_1.id,
                list_name: "省长三角一体化重大项目".into(),
                year: 2024
            },
        ]
    );
    let history = store.stage_history(&admin(), got.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from_stage, None);
    assert_eq!(
        (history[0].to_stage.as_str(), history[0].changed_on.as_str()),
        ("started", "2024-06-01")
    );
    assert_eq!(history[0].reason, None);

    // Amounts beyond 32 bits stay exact.
    let big = create(
        &store,
        ProjectInput {
            investment_wan: "2345678.9".into(),
            arrived_wan: "0.0001".into(),
            ..input("百亿级项目")
        },
    )
    .await;
    let big = store.get_project(&admin(), big.id).await.unwrap();
    assert_eq!(
        (big.investment_orig, big.investment_cny, big.arrived),
        (23_456_789_000, 23_456_789_000, 1)
    );
    assert_eq!(
        (big.currency.as_str(), big.usd_rate, big.rate_date),
        ("CNY", None, None)
    );
}

async fn a_project_without_optional_fields_reads_back_empty(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "negotiating".into(),
            maturity: "intent".into(),
            origin: "jiangsu".into(),
            district_code: B.into(),
            ..input("在谈项目")
        },
    )
    .await;
    let got = store.get_project(&admin(), p.id).await.unwrap();
    assert_eq!(got, p);
    assert_eq!(
        (got.stage.as_str(), got.maturity.as_deref()),
        ("negotiating", Some("intent"))
    );
    assert_eq!(
        (got.district_code.as_str(), got.district_name.as_str()),
        (B, w.district_b.name.as_str())
    );
    assert_eq!(got.signed_on, None);
    assert_eq!((got.usd_rate, got.rate_date.as_deref()), (None, None));
    assert_eq!(
        (got.investment_orig, got.investment_cny, got.arrived),
        (100_000_000, 100_000_000, 0)
    );
    assert_eq!(
        (got.industry_id, got.industry_name.as_deref()),
        (None, None)
    );
    assert_eq!((got.chain_id, got.chain_name.as_deref()), (None, None));
    assert_eq!(
        (got.platform_id, got.platform_name.as_deref()),
        (None, None)
    );
    assert_eq!((got.leader_id, got.leader_name.as_deref()), (None, None));
    assert_eq!((got.unit_id, got.unit_name.as_deref()), (None, None));
    assert_eq!(
        (got.signing_event_id, got.signing_event_name.as_deref()),
        (None, None)
    );
    assert_eq!(
        (got.land_mu_x100, got.project_code.as_deref()),
        (None, None)
    );
    assert_eq!(
        (
            got.flags.as_str(),
            got.investor.as_str(),
            got.summary.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(
        (
            got.origin_detail.as_str(),
            got.promoter.as_str(),
            got.commissioner.as_str()
        ),
        ("", "", "")
    );
    assert!(
        store
            .project_lists(&admin(), p.id)
            .await
            .unwrap()
            .is_empty()
    );
    expect_not_found(store.get_project(&admin(), p.id + 1000).await);
}

async fn a_project_code_belongs_to_one_project_only(store: Store) {
    World::build(&store).await;
    let code = "2024-330502-04-01-123456";
    let first = create(
        &store,
        ProjectInput {
            project_code: code.into(),
            ..input("甲项目")
        },
    )
    .await;
    let same = |name: &str, code: &str| {
        draft(ProjectInput {
            project_code: code.into(),
            ..input(name)
        })
    };
    expect_conflict(
        store
            .create_project(&admin(), &actor(), &same("乙项目", code))
            .await,
    );
    expect_conflict(
        store
            .create_project(&admin(), &actor(), &same("乙项目", "20243305020401123456"))
            .await,
    );
    assert_eq!(
        list(&store, &admin(), &every()).await.total,
        1,
        "nothing was created"
    );

    let second = store
        .create_project(
            &admin(),
            &actor(),
            &same("乙项目", "2024-330502-04-01-654321"),
        )
        .await
        .unwrap();
    expect_conflict(
        store
            .update_project(&admin(), &actor(), second.id, 1, &same("乙项目", code))
            .await,
    );
    assert_eq!(
        store.get_project(&admin(), second.id).await.unwrap(),
        second,
        "the refused edit changed nothing"
    );
    assert_eq!(audit_count(&store, second.id).await, 1);

    // Projects without a code do not clash with each other.
    create(&store, input("丙项目")).await;
    create(&store, input("丁项目")).await;
    assert_eq!(list(&store, &admin(), &every()).await.total, 4);
    assert_eq!(
        store
            .get_project(&admin(), first.id)
            .await
            .unwrap()
            .project_code
            .as_deref(),
        Some(code)
    );
}

async fn an_update_saves_every_field_and_replaces_the_lists(store: Store) {
    let w = World::build(&store).await;
    let before = create(
        &store,
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("原名项目")
        },
    )
    .await;
    let mut edit = full_input(&w);
    edit.stage = "lead".into();
    edit.stage_date = "2024-01-10".into();
    edit.signed_on = String::new();
    edit.district_code = B.into();
    edit.platform_id = id(&w.platform_b);
    edit.lists = vec![on_list(&w.list_2, 2025), on_list(&w.list_1, 2025)];
    let edit = draft(edit);

    let after = store
        .update_project(&admin(), &actor(), before.id, before.version, &edit)
        .await
        .expect("saved");
    assert_eq!(store.get_project(&admin(), before.id).await.unwrap(), after);
    assert_eq!(after.version, 2);
    assert_eq!(after.name, "年产10万台新能源汽车电驱系统项目");
    assert_eq!(
        (after.stage.as_str(), after.stage_date.as_str()),
        ("lead", "2024-01-10")
    );
    assert_eq!(
        (
            after.currency.as_str(),
            after.investment_orig,
            after.usd_rate
        ),
        ("USD", 150_005_000, Some(71_884))
    );
    assert_eq!(
        (after.investment_cny, after.arrived),
        (1_078_295_942, 30_002_500)
    );
    assert_eq!(
        (after.district_code.as_str(), after.platform_id),
        (B, Some(w.platform_b.id))
    );
    assert_eq!(
        (after.flags.as_str(), after.land_mu_x100),
        ("chain_leader,global500", Some(8525))
    );
    assert_eq!(
        (after.leader_id, after.unit_id, after.signing_event_id),
        (Some(w.leader_1.id), Some(w.unit_1.id), Some(w.event.id))
    );
    assert_eq!(
        after.project_code.as_deref(),
        Some("2024-330502-04-01-123456")
    );
    assert_eq!(after.created_at, before.created_at);
    let years: Vec<(i64, i64)> = store
        .project_lists(&admin(), before.id)
        .await
        .unwrap()
        .iter()
        .map(|e| (e.list_id, e.year))
        .collect();
    assert_eq!(
        years,
        vec![(w.list_1.id, 2025), (w.list_2.id, 2025)],
        "the old entry is gone"
    );

    // Clearing optional fields clears them.
    let cleared = store
        .update_project(&admin(), &actor(), before.id, 2, &draft(input("原名项目")))
        .await
        .unwrap();
    assert_eq!(
        ProjectRow {
            id: before.id,
            version: 3,
            created_at: before.created_at.clone(),
            updated_at: cleared.updated_at.clone(),
            ..before
        },
        cleared
    );
    assert!(
        store
            .project_lists(&admin(), cleared.id)
            .await
            .unwrap()
            .is_empty()
    );
    expect_not_found(
        store
            .update_project(
                &admin(),
                &actor(),
                cleared.id + 1000,
                1,
                &draft(input("无此项目")),
            )
            .await,
    );
}

async fn an_update_against_a_stale_version_is_a_conflict_and_changes_nothing(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("原名项目")
        },
    )
    .await;
    let current = store
        .update_project(&admin(), &actor(), p.id, 1, &draft(input("第一次修改")))
        .await
        .unwrap();
    let lists = store.project_lists(&admin(), p.id).await.unwrap();
    let stale = draft(ProjectInput {
        investment_wan: "99999".into(),
        lists: vec![on_list(&w.list_2, 2025)],
        ..input("第二次修改")
    });

    expect_conflict(
        store
            .update_project(&admin(), &actor(), p.id, 1, &stale)
            .await,
    );
    expect_conflict(
        store
            .update_project(&admin(), &actor(), p.id, 3, &stale)
            .await,
    );

    assert_eq!(store.get_project(&admin(), p.id).await.unwrap(), current);
    assert_eq!(store.project_lists(&admin(), p.id).await.unwrap(), lists);
    assert_eq!(
        audit_count(&store, p.id).await,
        2,
        "create and the one saved edit"
    );
}

async fn a_platform_must_lie_in_the_chosen_district(store: Store) {
    let w = World::build(&store).await;
    let elsewhere = draft(ProjectInput {
        platform_id: id(&w.platform_b),
        ..input("错位项目")
    });
    expect_invalid(store.create_project(&admin(), &actor(), &elsewhere).await);
    assert_eq!(list(&store, &admin(), &every()).await.total, 0);

    let p = create(
        &store,
        ProjectInput {
            platform_id: id(&w.platform_a),
            ..input("开发区项目")
        },
    )
    .await;
    let moved = draft(ProjectInput {
        platform_id: id(&w.platform_b),
        ..input("开发区项目")
    });
    expect_invalid(
        store
            .update_project(&admin(), &actor(), p.id, 1, &moved)
            .await,
    );
    let moved = draft(ProjectInput {
        district_code: B.into(),
        platform_id: id(&w.platform_a),
        ..input("开发区项目")
    });
    expect_invalid(
        store
            .update_project(&admin(), &actor(), p.id, 1, &moved)
            .await,
    );
    assert_eq!(store.get_project(&admin(), p.id).await.unwrap(), p);
    assert_eq!(audit_count(&store, p.id).await, 1);
}

async fn references_the_dictionaries_do_not_know_are_invalid_and_create_nothing(store: Store) {
    let w = World::build(&store).await;
    let missing = "987654".to_string();
    for bad in [
        ProjectInput {
            district_code: "330599".into(),
            ..input("未知区县")
        },
        ProjectInput {
            platform_id: missing.clone(),
            ..input("未知平台")
        },
        ProjectInput {
            industry_id: missing.clone(),
            ..input("未知产业")
        },
        ProjectInput {
            chain_id: missing.clone(),
            ..input("未知产业链")
        },
        ProjectInput {
            leader_id: missing.clone(),
            ..input("未知领导")
        },
        ProjectInput {
            unit_id: missing.clone(),
            ..input("未知单位")
        },
        ProjectInput {
            signing_event_id: missing.clone(),
            ..input("未知签约会")
        },
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024), format!("{missing}:2024")],
            ..input("未知清单")
        },
    ] {
        let name = bad.name.clone();
        let r = store.create_project(&admin(), &actor(), &draft(bad)).await;
        assert!(
            matches!(r, Err(hezuo_store::StoreError::Invalid { .. })),
            "{name}: {r:?}"
        );
    }
    assert_eq!(
        list(&store, &admin(), &every()).await.total,
        0,
        "no half-written project"
    );
    let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM project_list_entries")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(orphans, 0);
    let audits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'project'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(audits, 0);

    let p = create(
        &store,
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("已有项目")
        },
    )
    .await;
    let bad = draft(ProjectInput {
        lists: vec![format!("{missing}:2024")],
        ..input("已有项目")
    });
    expect_invalid(
        store
            .update_project(&admin(), &actor(), p.id, 1, &bad)
            .await,
    );
    assert_eq!(store.get_project(&admin(), p.id).await.unwrap(), p);
    assert_eq!(
        store.project_lists(&admin(), p.id).await.unwrap().len(),
        1,
        "the old list entry survives"
    );
}
