//! Key items, agreements and the assessment: status computed from milestones on the day asked,
//! progress filed by the lead unit and reviewed by the office, reminders, an agreement carried
//! out clause by clause, the assessment's counts, and the scope of every read.

use crate::support::*;
use hezuo_domain::agreement::AgreementInput;
use hezuo_domain::key_item::{ItemInput, ItemProgressInput, MilestoneInput, WorkPlanInput};
use hezuo_domain::{Month, Viewer};
use hezuo_store::key_item::{EvidenceUpload, KeyItemFilter};
use hezuo_store::{Store, StoreError};

contract!(
    an_items_status_follows_its_milestones_and_reports,
    a_unit_files_progress_and_the_office_accepts_or_returns_it,
    reminders_list_overdue_and_soon_due_milestones_in_scope,
    every_read_is_scoped_to_the_lead_unit,
    an_agreement_is_carried_out_through_its_clauses_items,
    the_assessment_counts_each_units_milestones_and_reports,
    a_stale_item_edit_is_a_conflict,
    an_import_creates_its_plan_updates_by_title_and_keeps_what_it_does_not_state,
);

async fn plan(store: &Store, year: i32) -> i64 {
    let plan = WorkPlanInput {
        year: year.to_string(),
        kind: "cooperation_list".into(),
        name: format!("{year}年重点合作事项清单"),
        categories: String::new(),
    }
    .validate()
    .unwrap();
    store
        .create_work_plan(&admin(), &actor(), &plan)
        .await
        .unwrap()
        .id
}

fn item_input(plan_id: i64, unit_id: i64, title: &str, dues: &[&str]) -> ItemInput {
    ItemInput {
        plan_id: plan_id.to_string(),
        category: "产业协同".into(),
        title: title.into(),
        lead_unit_id: unit_id.to_string(),
        partner_regions: "上海市松江区".into(),
        target: "年内完成".into(),
        milestones: dues
            .iter()
            .enumerate()
            .map(|(i, d)| MilestoneInput {
                title: format!("节点{}", i + 1),
                due_on: d.to_string(),
            })
            .collect(),
        ..Default::default()
    }
}

async fn item(store: &Store, input: ItemInput) -> i64 {
    let categories = vec!["产业协同".to_string()];
    let item = input.validate(&categories).unwrap();
    store
        .create_key_item(&admin(), &actor(), &item)
        .await
        .unwrap()
}

fn report(month: &str, done: &[i64]) -> hezuo_domain::key_item::ItemProgress {
    ItemProgressInput {
        month: month.into(),
        content: "按计划推进".into(),
        next_steps: String::new(),
        done_milestones: done.iter().map(|d| d.to_string()).collect(),
    }
    .validate(Month::new(2024, 12).unwrap())
    .unwrap()
}

async fn status(store: &Store, id: i64, day: &str) -> String {
    store
        .key_item(&admin(), id, date(day))
        .await
        .unwrap()
        .item
        .status_label
}

async fn milestone_ids(store: &Store, id: i64) -> Vec<i64> {
    store
        .key_item(&admin(), id, today())
        .await
        .unwrap()
        .milestones
        .iter()
        .map(|m| m.id)
        .collect()
}

async fn an_items_status_follows_its_milestones_and_reports(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    let id = item(
        &store,
        item_input(
            p,
            w.unit_1.id,
            "共建产业合作园",
            &["2024-06-30", "2024-12-31"],
        ),
    )
    .await;
    assert_eq!(status(&store, id, "2024-06-30").await, "未启动");
    assert_eq!(status(&store, id, "2024-07-01").await, "滞后");
    let ms = milestone_ids(&store, id).await;
    let unit = unit_viewer(Some(w.unit_1.id));
    store
        .file_item_progress(
            &unit,
            &actor(),
            id,
            &report("2024-07", &[ms[0]]),
            &[],
            date("2024-07-15"),
        )
        .await
        .unwrap();
    // Done late: no longer lagging, and the item is under way.
    assert_eq!(status(&store, id, "2024-08-01").await, "推进中");
    let detail = store
        .key_item(&admin(), id, date("2024-08-01"))
        .await
        .unwrap();
    assert_eq!(detail.milestones[0].state, "逾期完成");
    assert_eq!(detail.milestones[0].done_on.as_deref(), Some("2024-07-15"));
    assert_eq!(detail.item.last_report.as_deref(), Some("2024-07"));
    store
        .file_item_progress(
            &unit,
            &actor(),
            id,
            &report("2024-12", &[ms[1]]),
            &[],
            date("2024-12-20"),
        )
        .await
        .unwrap();
    assert_eq!(status(&store, id, "2025-01-01").await, "已完成");

    let page = store
        .list_key_items(
            &admin(),
            &KeyItemFilter {
                status: Some("已完成".into()),
                ..Default::default()
            },
            date("2025-01-01"),
        )
        .await
        .unwrap();
    assert_eq!((page.total, page.counts.done), (1, 1));
    let none = store
        .list_key_items(
            &admin(),
            &KeyItemFilter {
                status: Some("lagging".into()),
                ..Default::default()
            },
            date("2025-01-01"),
        )
        .await
        .unwrap();
    assert_eq!(none.total, 0);
    assert!(matches!(
        store
            .list_key_items(
                &admin(),
                &KeyItemFilter {
                    status: Some("搁置".into()),
                    ..Default::default()
                },
                today()
            )
            .await,
        Err(StoreError::Invalid { .. })
    ));
}

async fn a_unit_files_progress_and_the_office_accepts_or_returns_it(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    let id = item(
        &store,
        item_input(p, w.unit_1.id, "沪湖绿色智造廊道", &["2024-05-31"]),
    )
    .await;
    let ms = milestone_ids(&store, id).await;
    let unit = unit_viewer(Some(w.unit_1.id));
    let other = unit_viewer(Some(w.unit_2.id));
    expect_refused(
        store
            .file_item_progress(
                &other,
                &actor(),
                id,
                &report("2024-05", &[]),
                &[],
                date("2024-05-20"),
            )
            .await,
    );
    let file = EvidenceUpload {
        file_name: "签约现场照片.png".into(),
        content_type: "image/png".into(),
        content: b"\x89PNG\r\n\x1a\nrest".to_vec(),
    };
    let filed = store
        .file_item_progress(
            &unit,
            &actor(),
            id,
            &report("2024-05", &[ms[0]]),
            &[file],
            date("2024-05-20"),
        )
        .await
        .unwrap();
    assert_eq!(filed.status, "submitted");
    assert_eq!(status(&store, id, "2024-06-01").await, "已完成");

    // Only the office reviews; a return needs a reason and undoes the milestone.
    expect_refused(
        store
            .review_item_progress(&unit, &actor(), filed.id, filed.version, true, None)
            .await,
    );
    expect_refused(
        store
            .review_item_progress(
                &admin(),
                &actor(),
                filed.id,
                filed.version,
                false,
                Some(" "),
            )
            .await,
    );
    let pending = store.pending_item_progress(&admin()).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1, "沪湖绿色智造廊道");
    let returned = store
        .review_item_progress(
            &admin(),
            &actor(),
            filed.id,
            filed.version,
            false,
            Some("缺少佐证材料"),
        )
        .await
        .unwrap();
    assert_eq!(
        (returned.status.as_str(), returned.returned_count),
        ("returned", 1)
    );
    assert_eq!(status(&store, id, "2024-06-01").await, "滞后");
    expect_conflict(
        store
            .review_item_progress(&admin(), &actor(), filed.id, filed.version, true, None)
            .await,
    );

    // Re-filed and accepted: final.
    let refiled = store
        .file_item_progress(
            &unit,
            &actor(),
            id,
            &report("2024-05", &[ms[0]]),
            &[],
            date("2024-05-25"),
        )
        .await
        .unwrap();
    store
        .review_item_progress(&admin(), &actor(), refiled.id, refiled.version, true, None)
        .await
        .unwrap();
    expect_conflict(
        store
            .file_item_progress(
                &unit,
                &actor(),
                id,
                &report("2024-05", &[]),
                &[],
                date("2024-05-26"),
            )
            .await,
    );
    let detail = store.key_item(&unit, id, date("2024-06-01")).await.unwrap();
    assert_eq!(detail.item.status_label, "已完成");
    assert_eq!(detail.progress[0].evidence.len(), 1);
    let fid = detail.progress[0].evidence[0].id;
    let served = store.evidence_file(&unit, fid).await.unwrap();
    assert_eq!(served.content_type, "image/png");
    assert!(matches!(
        store.evidence_file(&other, fid).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .audit_for("key_item_progress", filed.id)
            .await
            .unwrap()
            .len(),
        4
    );
}

async fn reminders_list_overdue_and_soon_due_milestones_in_scope(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    item(
        &store,
        item_input(
            p,
            w.unit_1.id,
            "甲",
            &["2024-06-09", "2024-06-10", "2024-06-17", "2024-06-18"],
        ),
    )
    .await;
    item(&store, item_input(p, w.unit_2.id, "乙", &["2024-06-12"])).await;
    let day = date("2024-06-10");
    let mine = store
        .reminders(&unit_viewer(Some(w.unit_1.id)), day)
        .await
        .unwrap();
    let dues: Vec<(&str, bool, i64)> = mine
        .iter()
        .map(|r| (r.due_on.as_str(), r.overdue, r.days))
        .collect();
    assert_eq!(
        dues,
        [
            ("2024-06-09", true, -1),
            ("2024-06-10", false, 0),
            ("2024-06-17", false, 7)
        ]
    );
    assert_eq!(store.reminders(&admin(), day).await.unwrap().len(), 4);
    assert!(
        store
            .reminders(&district_viewer(A), day)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn every_read_is_scoped_to_the_lead_unit(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    let one = item(&store, item_input(p, w.unit_1.id, "甲", &["2024-06-30"])).await;
    let two = item(&store, item_input(p, w.unit_2.id, "乙", &["2024-06-30"])).await;
    let viewers: [(Viewer, &[i64]); 6] = [
        (admin(), &[one, two]),
        (leader_viewer(w.leader_1.id), &[one, two]),
        (unit_viewer(Some(w.unit_1.id)), &[one]),
        (unit_viewer(None), &[]),
        (district_viewer(A), &[]),
        (arealess_viewer(), &[]),
    ];
    for (viewer, expected) in viewers {
        let page = store
            .list_key_items(&viewer, &KeyItemFilter::default(), today())
            .await
            .unwrap();
        let ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, expected, "{viewer:?}");
        for id in [one, two] {
            let seen = store.key_item(&viewer, id, today()).await;
            assert_eq!(seen.is_ok(), expected.contains(&id), "{viewer:?} item {id}");
        }
        let plans = store.work_plans(&viewer, None).await.unwrap();
        assert_eq!(plans.len(), usize::from(!expected.is_empty()), "{viewer:?}");
        let report = store.assessment(&viewer, 2024, today()).await.unwrap();
        assert_eq!(report.units.len(), expected.len(), "{viewer:?}");
    }
    // Filters narrow within the scope.
    let by_unit = KeyItemFilter {
        unit: Some(w.unit_2.id),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_key_items(&unit_viewer(Some(w.unit_1.id)), &by_unit, today())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        store
            .list_key_items(&admin(), &by_unit, today())
            .await
            .unwrap()
            .total,
        1
    );
}

async fn an_agreement_is_carried_out_through_its_clauses_items(store: Store) {
    let w = World::build(&store).await;
    let agreement = AgreementInput {
        title: "湖州市—松江区一体化合作框架协议".into(),
        partner: "上海市松江区".into(),
        partner_kind: "district".into(),
        partner_province: "上海市".into(),
        signed_on: "2019-08-22".into(),
        level: "市级".into(),
        fields: "产业协同、交通互联".into(),
        clauses: "共建G60科创走廊\n推动沪苏湖铁路建设\n共享公共服务".into(),
    }
    .validate()
    .unwrap();
    let aid = store
        .create_agreement(&admin(), &actor(), &agreement)
        .await
        .unwrap();
    expect_refused(
        store
            .create_agreement(&unit_viewer(Some(w.unit_1.id)), &actor(), &agreement)
            .await,
    );
    let detail = store.agreement(&admin(), aid, today()).await.unwrap();
    let clause = |i: usize| detail.clauses[i].id.to_string();
    let p = plan(&store, 2024).await;
    let a = item(
        &store,
        ItemInput {
            clause_id: clause(0),
            ..item_input(p, w.unit_1.id, "甲", &["2024-03-31"])
        },
    )
    .await;
    item(
        &store,
        ItemInput {
            clause_id: clause(1),
            ..item_input(p, w.unit_2.id, "乙", &["2024-12-31"])
        },
    )
    .await;
    let ms = milestone_ids(&store, a).await;
    store
        .file_item_progress(
            &admin(),
            &actor(),
            a,
            &report("2024-03", &ms),
            &[],
            date("2024-03-20"),
        )
        .await
        .unwrap();

    let row = &store
        .list_agreements(&admin(), &Default::default(), date("2024-06-01"))
        .await
        .unwrap()
        .items[0];
    assert_eq!(
        (
            row.fulfilment.clauses,
            row.fulfilment.broken_down,
            row.fulfilment.carried_out
        ),
        (3, 2, 1)
    );
    assert_eq!(row.fulfilment_rate, "33.3%");
    let detail = store
        .agreement(&admin(), aid, date("2024-06-01"))
        .await
        .unwrap();
    let states: Vec<&str> = detail.clauses.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(states, ["已落实", "落实中", "未分解"]);
    let item_detail = store.key_item(&admin(), a, today()).await.unwrap();
    assert_eq!(item_detail.clause.unwrap().seq, 1);

    // A unit sees the agreement it works on, with only its own items under it.
    let unit = unit_viewer(Some(w.unit_2.id));
    let seen = store
        .agreement(&unit, aid, date("2024-06-01"))
        .await
        .unwrap();
    assert_eq!(seen.agreement.fulfilment_rate, "33.3%");
    let titles: Vec<&str> = seen
        .clauses
        .iter()
        .flat_map(|c| c.items.iter().map(|i| i.title.as_str()))
        .collect();
    assert_eq!(titles, ["乙"]);
    assert_eq!(
        store
            .list_agreements(&district_viewer(A), &Default::default(), today())
            .await
            .unwrap()
            .total,
        0
    );
}

async fn the_assessment_counts_each_units_milestones_and_reports(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    // Unit 1: three milestones due by the assessment day: one on time, one late, one not done.
    let a = item(
        &store,
        item_input(
            p,
            w.unit_1.id,
            "甲",
            &["2024-02-29", "2024-03-31", "2024-04-30", "2024-12-31"],
        ),
    )
    .await;
    let ms = milestone_ids(&store, a).await;
    let unit = unit_viewer(Some(w.unit_1.id));
    store
        .file_item_progress(
            &unit,
            &actor(),
            a,
            &report("2024-02", &[ms[0]]),
            &[],
            date("2024-02-20"),
        )
        .await
        .unwrap();
    let late = store
        .file_item_progress(
            &unit,
            &actor(),
            a,
            &report("2024-04", &[ms[1]]),
            &[],
            date("2024-04-05"),
        )
        .await
        .unwrap();
    let returned = store
        .review_item_progress(
            &admin(),
            &actor(),
            late.id,
            late.version,
            false,
            Some("数据不全"),
        )
        .await
        .unwrap();
    store
        .file_item_progress(
            &unit,
            &actor(),
            a,
            &report("2024-04", &[ms[1]]),
            &[],
            date("2024-04-06"),
        )
        .await
        .unwrap();
    assert_eq!(returned.returned_count, 1);
    // Unit 2: nothing due yet.
    item(&store, item_input(p, w.unit_2.id, "乙", &["2024-12-31"])).await;
    store
        .adjust_assessment(
            &admin(),
            &actor(),
            2024,
            w.unit_2.id,
            -2.5,
            "材料报送不规范",
        )
        .await
        .unwrap();
    expect_refused(
        store
            .adjust_assessment(&admin(), &actor(), 2024, w.unit_2.id, 1.0, " ")
            .await,
    );
    expect_refused(
        store
            .adjust_assessment(&unit, &actor(), 2024, w.unit_1.id, 5.0, "自评")
            .await,
    );

    // As of 2024-05-10: Jan–Apr reports were due; unit 1 filed Feb and Apr (2 missing).
    let report = store
        .assessment(&admin(), 2024, date("2024-05-10"))
        .await
        .unwrap();
    let u1 = report
        .units
        .iter()
        .find(|u| u.unit_id == w.unit_1.id)
        .unwrap();
    assert_eq!(
        (
            u1.record.milestones_due,
            u1.record.done_on_time,
            u1.record.done,
            u1.record.returned_reports,
            u1.record.missing_reports
        ),
        (3, 1, 2, 1, 2)
    );
    // 60 × 1/3 + 40 × 2/3 − (1 + 2 × 0.5) = 20 + 26.67 − 2 = 44.67
    assert_eq!(u1.score.total, 44.67);
    let u2 = report
        .units
        .iter()
        .find(|u| u.unit_id == w.unit_2.id)
        .unwrap();
    // Nothing due: full rates; four months unreported (−2) and the office's −2.5.
    assert_eq!(u2.score.total, 95.5);
    assert_eq!(u2.adjustments[0].reason, "材料报送不规范");
    assert_eq!((u2.rank, u1.rank), (1, 2));
}

async fn a_stale_item_edit_is_a_conflict(store: Store) {
    let w = World::build(&store).await;
    let p = plan(&store, 2024).await;
    let id = item(&store, item_input(p, w.unit_1.id, "甲", &["2024-06-30"])).await;
    let categories = vec!["产业协同".to_string()];
    let edited = item_input(p, w.unit_1.id, "甲（调整）", &["2024-09-30"])
        .validate(&categories)
        .unwrap();
    store
        .update_key_item(&admin(), &actor(), id, 1, &edited)
        .await
        .unwrap();
    expect_conflict(
        store
            .update_key_item(&admin(), &actor(), id, 1, &edited)
            .await,
    );
    let detail = store.key_item(&admin(), id, today()).await.unwrap();
    assert_eq!(
        (detail.item.title.as_str(), detail.item.version),
        ("甲（调整）", 2)
    );
    assert_eq!(detail.milestones[0].due_on, "2024-09-30");
    let wrong_category = hezuo_domain::key_item::Item {
        category: "体育".into(),
        ..edited
    };
    expect_refused(
        store
            .update_key_item(&admin(), &actor(), id, 2, &wrong_category)
            .await,
    );
}

fn record(
    w: &World,
    row: usize,
    title: &str,
    category: &str,
    dues: &[&str],
) -> hezuo_domain::cells::Sourced<hezuo_domain::key_item::ItemRecord> {
    hezuo_domain::cells::Sourced {
        sheet: "要点".into(),
        row,
        value: hezuo_domain::key_item::ItemRecord {
            plan_name: "2025年工作要点".into(),
            plan_year: 2025,
            category: category.into(),
            title: title.into(),
            lead_unit_id: w.unit_1.id,
            partner_units: vec![],
            partner_regions: vec!["上海市".into()],
            target: "年内完成".into(),
            milestones: dues
                .iter()
                .map(|d| hezuo_domain::key_item::Milestone {
                    title: format!("{d}前完成"),
                    due: date(d),
                })
                .collect(),
        },
        columns: vec![
            "category",
            "title",
            "lead_unit",
            "partner_regions",
            "target",
            "milestones",
        ],
    }
}

async fn an_import_creates_its_plan_updates_by_title_and_keeps_what_it_does_not_state(
    store: Store,
) {
    let w = World::build(&store).await;
    let file = hezuo_store::import::ImportFile {
        name: "要点.xlsx".into(),
        sha256: "00".into(),
    };
    let rows = vec![
        record(&w, 3, "甲", "产业协同", &["2025-06-30"]),
        record(&w, 4, "乙", "交通互联", &["2025-03-31", "2025-12-31"]),
    ];
    // Not the office: refused, nothing stored.
    let refused = store
        .import_key_items(
            &unit_viewer(Some(w.unit_1.id)),
            &actor(),
            &rows,
            &file,
            false,
        )
        .await
        .unwrap();
    assert_eq!(refused.problems.len(), 1);
    assert!(store.work_plans(&admin(), None).await.unwrap().is_empty());
    // A dry run stores nothing.
    let dry = store
        .import_key_items(&admin(), &actor(), &rows, &file, true)
        .await
        .unwrap();
    assert_eq!((dry.inserted, dry.problems.len()), (2, 0));
    assert!(store.work_plans(&admin(), None).await.unwrap().is_empty());

    let done = store
        .import_key_items(&admin(), &actor(), &rows, &file, false)
        .await
        .unwrap();
    assert_eq!((done.inserted, done.updated), (2, 0));
    let plans = store.work_plans(&admin(), None).await.unwrap();
    assert_eq!(plans[0].categories, ["产业协同", "交通互联"]);
    let day = date("2025-01-15");
    let page = store
        .list_key_items(&admin(), &KeyItemFilter::default(), day)
        .await
        .unwrap();
    let b = page.items.iter().find(|i| i.title == "乙").unwrap().id;
    let ms = milestone_ids(&store, b).await;
    store
        .file_item_progress(
            &admin(),
            &actor(),
            b,
            &report("2024-12", &[ms[0]]),
            &[],
            date("2025-01-10"),
        )
        .await
        .unwrap();

    // Again, without a target column and with a category the plan lacks on a third row.
    let mut again: Vec<_> = rows.clone();
    for r in &mut again {
        r.columns.retain(|c| *c != "target");
        r.value.target = String::new();
    }
    again.push(record(&w, 5, "丙", "体育", &[]));
    let bad = store
        .import_key_items(&admin(), &actor(), &again, &file, false)
        .await
        .unwrap();
    assert_eq!((bad.inserted, bad.updated), (0, 0));
    assert!(bad.problems[0].message.contains("体育"));
    again.pop();
    again.push(record(&w, 5, "甲", "产业协同", &[]));
    let dup = store
        .import_key_items(&admin(), &actor(), &again, &file, false)
        .await
        .unwrap();
    assert!(
        dup.problems[0].message.contains("第3行"),
        "{:?}",
        dup.problems
    );
    again.pop();
    let updated = store
        .import_key_items(&admin(), &actor(), &again, &file, false)
        .await
        .unwrap();
    assert_eq!((updated.inserted, updated.updated), (0, 2));
    let detail = store.key_item(&admin(), b, day).await.unwrap();
    assert_eq!(
        detail.item.target, "年内完成",
        "a missing column keeps what is stored"
    );
    assert_eq!(
        detail.milestones[0].done_on.as_deref(),
        Some("2025-01-10"),
        "a done milestone stays done"
    );
    assert_eq!(
        store
            .list_key_items(&admin(), &KeyItemFilter::default(), day)
            .await
            .unwrap()
            .total,
        2
    );
}
