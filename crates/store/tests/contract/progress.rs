//! Investment progress records: annual plans saved against their version, monthly reports filed
//! by the area and accepted or sent back by the office, blocking factors that stay open until
//! resolved, and who has (not) reported for a month. Every write is scoped and audited.

use crate::support::*;
use hezuo_domain::{BlockerKind, ProjectInput, Viewer};
use hezuo_store::Store;
use hezuo_store::progress::{AreaReporting, BlockerRow, PlanRow, ProgressRow};
use hezuo_store::project::ProjectRow;

contract!(
    a_plan_is_created_then_updated_against_its_version_and_audited,
    a_stale_or_blind_plan_write_is_a_conflict_and_changes_nothing,
    only_editors_in_scope_may_save_a_plan,
    a_report_is_filed_with_its_blockers_and_refiled_until_accepted,
    returning_a_report_needs_a_reason_and_a_current_version,
    only_the_office_reviews_reports_and_only_in_its_scope,
    pending_reports_are_the_submitted_ones_in_scope_oldest_first,
    a_blocker_is_resolved_once_and_not_before_it_was_raised,
    reporting_counts_expected_submitted_missing_and_late_per_district,
);

async fn plan_audits(store: &Store, project_id: i64) -> Vec<hezuo_store::AuditEntry> {
    store.audit_for("annual_plan", project_id).await.unwrap()
}

async fn report_audits(store: &Store, report_id: i64) -> Vec<hezuo_store::AuditEntry> {
    store
        .audit_for("monthly_progress", report_id)
        .await
        .unwrap()
}

async fn reports_of(store: &Store, project_id: i64) -> Vec<ProgressRow> {
    store.progress_reports(&admin(), project_id).await.unwrap()
}

async fn open(store: &Store, viewer: &Viewer) -> Vec<BlockerRow> {
    store.open_blockers(viewer, &every()).await.unwrap()
}

async fn a_plan_is_created_then_updated_against_its_version_and_audited(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("计划项目")).await;
    assert_eq!(store.plan(&admin(), p.id, 2024).await.unwrap(), None);

    let created = store
        .save_plan(
            &admin(),
            &actor(),
            p.id,
            &plan(2024, 12_000, Some("2024-03"), Some("2025-06")),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            created.project_id,
            created.year,
            created.planned,
            created.planned_start.as_deref(),
            created.planned_completion.as_deref(),
            created.version,
        ),
        (p.id, 2024, 120_000_000, Some("2024-03"), Some("2025-06"), 1)
    );
    assert_eq!(
        store.plan(&admin(), p.id, 2024).await.unwrap().as_ref(),
        Some(&created)
    );

    let updated = store
        .save_plan(
            &admin(),
            &actor(),
            p.id,
            &plan(2024, 15_000, None, Some("2024-12")),
            Some(1),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            updated.planned,
            updated.planned_start.as_deref(),
            updated.planned_completion.as_deref(),
            updated.version,
        ),
        (150_000_000, None, Some("2024-12"), 2)
    );
    assert_eq!(
        store.plan(&admin(), p.id, 2024).await.unwrap().as_ref(),
        Some(&updated)
    );

    // Another year is another plan, created on its own.
    let last_year = store
        .save_plan(&admin(), &actor(), p.id, &plan(2023, 800, None, None), None)
        .await
        .unwrap();
    assert_eq!((last_year.year, last_year.version), (2023, 1));
    let years: Vec<i64> = store
        .plans(&admin(), p.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.year)
        .collect();
    assert_eq!(years, vec![2024, 2023], "newest year first");

    // One audit row per write, with the plan before and after.
    let rows = plan_audits(&store, p.id).await;
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "update", "create"], "newest first");
    let update = &rows[1];
    let before: PlanRow = serde_json::from_str(update.before_json.as_ref().unwrap()).unwrap();
    let after: PlanRow = serde_json::from_str(update.after_json.as_ref().unwrap()).unwrap();
    assert_eq!((before, after), (created.clone(), updated));
    assert_eq!(rows[2].before_json, None, "nothing before a creation");
    let first: PlanRow = serde_json::from_str(rows[2].after_json.as_ref().unwrap()).unwrap();
    assert_eq!(first, created);
    assert_eq!(rows[2].username, actor().username);
}

async fn a_stale_or_blind_plan_write_is_a_conflict_and_changes_nothing(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("并发计划")).await;
    save_plan(&store, p.id, plan(2024, 1_000, None, None)).await;
    let current = save_plan(&store, p.id, plan(2024, 2_000, None, None)).await;
    assert_eq!(current.version, 2);
    let audits = plan_audits(&store, p.id).await.len();

    // Saved against version 1 while it is at 2.
    expect_conflict(
        store
            .save_plan(
                &admin(),
                &actor(),
                p.id,
                &plan(2024, 9_999, None, None),
                Some(1),
            )
            .await,
    );
    // "Create" (no version) when a plan for the year already exists.
    expect_conflict(
        store
            .save_plan(
                &admin(),
                &actor(),
                p.id,
                &plan(2024, 9_999, None, None),
                None,
            )
            .await,
    );
    // A version from the future is stale too.
    expect_conflict(
        store
            .save_plan(
                &admin(),
                &actor(),
                p.id,
                &plan(2024, 9_999, None, None),
                Some(3),
            )
            .await,
    );
    assert_eq!(
        store.plan(&admin(), p.id, 2024).await.unwrap(),
        Some(current),
        "the plan is unchanged"
    );
    assert_eq!(
        plan_audits(&store, p.id).await.len(),
        audits,
        "no audit row"
    );
}

async fn only_editors_in_scope_may_save_a_plan(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            unit_id: id(&w.unit_1),
            leader_id: id(&w.leader_1),
            platform_id: id(&w.platform_a),
            ..input("吴兴项目")
        },
    )
    .await;
    let p2024 = plan(2024, 1_000, None, None);

    // Outside the viewer's scope the project does not exist.
    for viewer in [
        district_viewer(B),
        platform_viewer(w.platform_b.id),
        platform_viewer(w.platform_a2.id),
        unit_viewer(Some(w.unit_2.id)),
        arealess_viewer(),
    ] {
        expect_not_found(store.save_plan(&viewer, &actor(), p.id, &p2024, None).await);
        // Nor can it read the plans.
        expect_not_found(store.plans(&viewer, p.id).await);
    }
    // A leader and the responsible unit see the project but change nothing.
    for viewer in [leader_viewer(w.leader_1.id), unit_viewer(Some(w.unit_1.id))] {
        assert!(store.get_project(&viewer, p.id).await.is_ok());
        expect_refused(store.save_plan(&viewer, &actor(), p.id, &p2024, None).await);
    }
    // A project that does not exist at all.
    expect_not_found(
        store
            .save_plan(&admin(), &actor(), p.id + 1000, &p2024, None)
            .await,
    );
    assert_eq!(store.plans(&admin(), p.id).await.unwrap(), vec![]);
    assert!(plan_audits(&store, p.id).await.is_empty());

    // The district's and the platform's liaisons and the office may.
    let a = store
        .save_plan(&district_viewer(A), &actor(), p.id, &p2024, None)
        .await
        .unwrap();
    let b = store
        .save_plan(
            &platform_viewer(w.platform_a.id),
            &actor(),
            p.id,
            &plan(2024, 2_000, None, None),
            Some(a.version),
        )
        .await
        .unwrap();
    let c = store
        .save_plan(
            &office(),
            &actor(),
            p.id,
            &plan(2024, 3_000, None, None),
            Some(b.version),
        )
        .await
        .unwrap();
    assert_eq!((c.planned, c.version), (wan(3_000), 3));
    // And what the leader reads is that plan.
    assert_eq!(
        store
            .plan(&leader_viewer(w.leader_2.id), p.id, 2024)
            .await
            .unwrap(),
        Some(c)
    );
}

async fn a_report_is_filed_with_its_blockers_and_refiled_until_accepted(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("月报项目")).await;
    save_plan(&store, p.id, plan(2024, 1_200, None, None)).await;

    // February of a leap year: blockers are raised on the month's last day.
    let filed = store
        .submit_progress(
            &district_viewer(A),
            &actor(),
            p.id,
            &report(
                "2024-02",
                150,
                &[
                    (BlockerKind::Land, "土地指标尚未落实"),
                    (BlockerKind::Approval, "环评批复待出"),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            filed.project_id,
            filed.year,
            filed.month,
            filed.invested,
            filed.status.as_str(),
            filed.return_reason.as_deref(),
            filed.reviewed_at.as_deref(),
            filed.version,
        ),
        (p.id, 2024, 2, wan(150), "submitted", None, None, 1)
    );
    assert_eq!(filed.image_progress, "2024-02形象进度");
    assert!(!filed.submitted_at.is_empty());
    assert_eq!(reports_of(&store, p.id).await, vec![filed.clone()]);

    let board = open(&store, &admin()).await;
    let seen: Vec<[&str; 4]> = board
        .iter()
        .map(|b| {
            [
                b.project_name.as_str(),
                b.district_name.as_str(),
                b.kind.as_str(),
                b.description.as_str(),
            ]
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ["月报项目", A_NAME, "land", "土地指标尚未落实"],
            ["月报项目", A_NAME, "approval", "环评批复待出"],
        ]
    );
    assert!(board.iter().all(
        |b| (b.project_id, b.opened_on.as_str(), b.resolved_on.as_deref())
            == (p.id, "2024-02-29", None)
    ));
    assert_eq!(store.project_blockers(&admin(), p.id).await.unwrap(), board);

    let audits = report_audits(&store, filed.id).await;
    assert_eq!(audits.len(), 1);
    assert_eq!(
        (audits[0].action.as_str(), audits[0].before_json.as_ref()),
        ("submit", None)
    );

    // Re-filing a submitted report replaces it; it stays one report.
    let refiled = submit_report(
        &store,
        p.id,
        report("2024-02", 180, &[(BlockerKind::Funding, "配套资金未到位")]),
    )
    .await;
    assert_eq!(
        (
            refiled.id,
            refiled.invested,
            refiled.status.as_str(),
            refiled.version
        ),
        (filed.id, wan(180), "submitted", 2)
    );
    assert_eq!(reports_of(&store, p.id).await, vec![refiled.clone()]);
    // Blockers raised earlier stay open until resolved; the new one joins them.
    let kinds: Vec<String> = open(&store, &admin())
        .await
        .into_iter()
        .map(|b| b.kind)
        .collect();
    assert_eq!(kinds, vec!["land", "approval", "funding"]);

    // Sent back, then re-filed: submitted again, the reason and the review cleared.
    let returned = send_back(&store, &refiled).await;
    assert_eq!(
        (
            returned.status.as_str(),
            returned.return_reason.as_deref(),
            returned.version
        ),
        ("returned", Some("数据有误，请核实"), 3)
    );
    assert!(returned.reviewed_at.is_some());
    let again = submit(&store, p.id, "2024-02", 200).await;
    assert_eq!(
        (
            again.id,
            again.invested,
            again.status.as_str(),
            again.return_reason.as_deref(),
            again.reviewed_at.as_deref(),
            again.version,
        ),
        (filed.id, wan(200), "submitted", None, None, 4)
    );

    // Accepted is final: neither re-filed nor reviewed again.
    let accepted = accept(&store, &again).await;
    assert_eq!(
        (accepted.status.as_str(), accepted.version),
        ("accepted", 5)
    );
    assert!(accepted.reviewed_at.is_some());
    let audits_before = report_audits(&store, filed.id).await.len();
    expect_conflict(
        store
            .submit_progress(&admin(), &actor(), p.id, &report("2024-02", 1, &[]))
            .await,
    );
    expect_conflict(
        store
            .review_progress(
                &office(),
                &actor(),
                accepted.id,
                accepted.version,
                false,
                Some("再看看"),
            )
            .await,
    );
    assert_eq!(reports_of(&store, p.id).await, vec![accepted.clone()]);
    assert_eq!(report_audits(&store, filed.id).await.len(), audits_before);

    // Each write left one audit row, newest first, with the report after it.
    let audits = report_audits(&store, filed.id).await;
    let actions: Vec<&str> = audits.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["accept", "resubmit", "return", "resubmit", "submit"]
    );
    let last: ProgressRow = serde_json::from_str(audits[0].after_json.as_ref().unwrap()).unwrap();
    assert_eq!(last, accepted);
    let before: ProgressRow =
        serde_json::from_str(audits[0].before_json.as_ref().unwrap()).unwrap();
    assert_eq!(before, again);

    // Another month is another report, newest first.
    let march = submit(&store, p.id, "2024-03", 90).await;
    assert_ne!(march.id, filed.id);
    assert_eq!(reports_of(&store, p.id).await, vec![march, accepted]);
}

async fn returning_a_report_needs_a_reason_and_a_current_version(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("退回项目")).await;
    let filed = submit(&store, p.id, "2024-05", 100).await;

    for reason in [None, Some(""), Some("   ")] {
        expect_invalid(
            store
                .review_progress(&office(), &actor(), filed.id, filed.version, false, reason)
                .await,
        );
    }
    // A stale version: the report was re-filed since it was read.
    let refiled = submit(&store, p.id, "2024-05", 120).await;
    expect_conflict(
        store
            .review_progress(&office(), &actor(), filed.id, filed.version, true, None)
            .await,
    );
    expect_conflict(
        store
            .review_progress(
                &office(),
                &actor(),
                filed.id,
                filed.version,
                false,
                Some("不对"),
            )
            .await,
    );
    assert_eq!(reports_of(&store, p.id).await, vec![refiled.clone()]);
    assert_eq!(
        report_audits(&store, filed.id).await.len(),
        2,
        "submit + resubmit"
    );

    // A returned report cannot be accepted before it is filed again.
    let returned = send_back(&store, &refiled).await;
    expect_conflict(
        store
            .review_progress(
                &office(),
                &actor(),
                returned.id,
                returned.version,
                true,
                None,
            )
            .await,
    );
    assert_eq!(reports_of(&store, p.id).await, vec![returned]);
    // A report that does not exist.
    expect_not_found(
        store
            .review_progress(&office(), &actor(), filed.id + 1000, 1, true, None)
            .await,
    );
}

async fn only_the_office_reviews_reports_and_only_in_its_scope(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            unit_id: id(&w.unit_1),
            leader_id: id(&w.leader_1),
            ..input("吴兴月报")
        },
    )
    .await;
    let filed = submit(&store, p.id, "2024-04", 100).await;

    // Those who see the report but are not the office.
    for viewer in [
        district_viewer(A),
        leader_viewer(w.leader_1.id),
        unit_viewer(Some(w.unit_1.id)),
    ] {
        expect_refused(
            store
                .review_progress(&viewer, &actor(), filed.id, filed.version, true, None)
                .await,
        );
        expect_refused(
            store
                .review_progress(
                    &viewer,
                    &actor(),
                    filed.id,
                    filed.version,
                    false,
                    Some("退回"),
                )
                .await,
        );
    }
    // Those who do not see it at all.
    for viewer in [
        district_viewer(B),
        unit_viewer(Some(w.unit_2.id)),
        arealess_viewer(),
    ] {
        expect_not_found(
            store
                .review_progress(&viewer, &actor(), filed.id, filed.version, true, None)
                .await,
        );
        expect_not_found(store.progress_reports(&viewer, p.id).await);
        expect_not_found(
            store
                .submit_progress(&viewer, &actor(), p.id, &report("2024-04", 1, &[]))
                .await,
        );
    }
    // Leaders and units read reports but do not file them.
    for viewer in [leader_viewer(w.leader_1.id), unit_viewer(Some(w.unit_1.id))] {
        assert_eq!(
            store.progress_reports(&viewer, p.id).await.unwrap(),
            vec![filed.clone()]
        );
        expect_refused(
            store
                .submit_progress(&viewer, &actor(), p.id, &report("2024-04", 1, &[]))
                .await,
        );
    }
    assert_eq!(reports_of(&store, p.id).await, vec![filed.clone()]);
    assert_eq!(report_audits(&store, filed.id).await.len(), 1);

    // The office (and the administrator) may.
    let accepted = store
        .review_progress(&office(), &actor(), filed.id, filed.version, true, None)
        .await
        .unwrap();
    assert_eq!(accepted.status, "accepted");
}

async fn pending_reports_are_the_submitted_ones_in_scope_oldest_first(store: Store) {
    let w = World::build(&store).await;
    let a1 = create(
        &store,
        ProjectInput {
            unit_id: id(&w.unit_1),
            ..input("吴兴一")
        },
    )
    .await;
    let a2 = create(&store, input("吴兴二")).await;
    let b1 = create(
        &store,
        ProjectInput {
            district_code: B.into(),
            unit_id: id(&w.unit_1),
            ..input("南浔一")
        },
    )
    .await;

    let r1 = submit(&store, a1.id, "2024-01", 10).await;
    let r2 = submit(&store, b1.id, "2024-01", 20).await;
    let r3 = submit(&store, a2.id, "2024-01", 30).await;
    let r4 = submit(&store, a1.id, "2024-02", 40).await;
    let r5 = submit(&store, b1.id, "2024-02", 50).await;
    accept(&store, &r3).await; // no longer waiting
    send_back(&store, &r4).await; // waiting for the area, not the office

    let pending = |v: Viewer| {
        let store = store.clone();
        async move {
            store
                .pending_reports(&v)
                .await
                .unwrap()
                .into_iter()
                .map(|(r, name)| {
                    assert_eq!(r.status, "submitted");
                    (r.id, name)
                })
                .collect::<Vec<_>>()
        }
    };
    let all = pending(office()).await;
    assert_eq!(
        all,
        vec![
            (r1.id, "吴兴一".to_string()),
            (r2.id, "南浔一".to_string()),
            (r5.id, "南浔一".to_string()),
        ]
    );
    assert_eq!(pending(admin()).await, all);
    assert_eq!(pending(leader_viewer(w.leader_1.id)).await, all);
    assert_eq!(
        pending(district_viewer(A)).await,
        vec![(r1.id, "吴兴一".to_string())]
    );
    assert_eq!(
        pending(district_viewer(B)).await,
        vec![(r2.id, "南浔一".to_string()), (r5.id, "南浔一".to_string())]
    );
    assert_eq!(
        pending(unit_viewer(Some(w.unit_1.id))).await,
        all,
        "unit 1 answers for 吴兴一 and 南浔一"
    );
    assert_eq!(pending(unit_viewer(Some(w.unit_2.id))).await, vec![]);
    assert_eq!(pending(arealess_viewer()).await, vec![]);

    // A returned report re-filed is waiting again.
    let r4 = submit(&store, a1.id, "2024-02", 45).await;
    let ids: Vec<i64> = pending(district_viewer(A))
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, vec![r1.id, r4.id]);
}

async fn a_blocker_is_resolved_once_and_not_before_it_was_raised(store: Store) {
    let w = World::build(&store).await;
    let a = create(
        &store,
        ProjectInput {
            leader_id: id(&w.leader_1),
            ..input("吴兴受阻")
        },
    )
    .await;
    let b = create(
        &store,
        ProjectInput {
            district_code: B.into(),
            ..input("南浔受阻")
        },
    )
    .await;
    submit_report(
        &store,
        a.id,
        report(
            "2024-03",
            10,
            &[
                (BlockerKind::Land, "用地报批未完成"),
                (BlockerKind::Demolition, "拆迁协议未签"),
            ],
        ),
    )
    .await;
    submit_report(
        &store,
        b.id,
        report("2024-01", 10, &[(BlockerKind::Energy, "能耗指标不足")]),
    )
    .await;

    let board = open(&store, &admin()).await;
    let seen: Vec<(&str, &str, &str)> = board
        .iter()
        .map(|b| {
            (
                b.project_name.as_str(),
                b.kind.as_str(),
                b.opened_on.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("南浔受阻", "energy", "2024-01-31"),
            ("吴兴受阻", "land", "2024-03-31"),
            ("吴兴受阻", "demolition", "2024-03-31"),
        ],
        "oldest first"
    );
    let land = board[1].clone();
    assert_eq!(open(&store, &district_viewer(A)).await, board[1..].to_vec());
    assert_eq!(open(&store, &district_viewer(B)).await, board[..1].to_vec());
    let filtered = store
        .open_blockers(
            &admin(),
            &hezuo_store::project::ProjectFilter {
                district: Some(B.into()),
                ..every()
            },
        )
        .await
        .unwrap();
    assert_eq!(filtered, board[..1].to_vec());

    // Neither before it was raised, nor by someone who cannot change the project.
    let audits = store.audit_for("blocker", land.id).await.unwrap().len();
    assert!(
        store
            .resolve_blocker(&admin(), &actor(), land.id, date("2024-03-30"))
            .await
            .is_err()
    );
    expect_not_found(
        store
            .resolve_blocker(&district_viewer(B), &actor(), land.id, date("2024-04-15"))
            .await,
    );
    expect_not_found(
        store
            .resolve_blocker(
                &leader_viewer(w.leader_1.id),
                &actor(),
                land.id,
                date("2024-04-15"),
            )
            .await,
    );
    expect_not_found(
        store
            .resolve_blocker(&admin(), &actor(), land.id + 1000, date("2024-04-15"))
            .await,
    );
    assert_eq!(open(&store, &admin()).await, board, "nothing resolved");
    assert_eq!(
        store.audit_for("blocker", land.id).await.unwrap().len(),
        audits
    );

    // The area resolves it; it leaves the board and keeps its date.
    store
        .resolve_blocker(&district_viewer(A), &actor(), land.id, date("2024-04-15"))
        .await
        .unwrap();
    let after = open(&store, &admin()).await;
    assert_eq!(after, vec![board[0].clone(), board[2].clone()]);
    let mine = store.project_blockers(&admin(), a.id).await.unwrap();
    let resolved = mine.iter().find(|b| b.id == land.id).unwrap();
    assert_eq!(resolved.resolved_on.as_deref(), Some("2024-04-15"));
    assert_eq!(mine.last().unwrap().id, land.id, "resolved ones last");
    let rows = store.audit_for("blocker", land.id).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, "resolve");

    // As they stood on a day: raised by then and not resolved by then.
    let on = |day: &'static str| {
        let store = store.clone();
        async move {
            store
                .blockers_open_on(&admin(), &every(), date(day))
                .await
                .unwrap()
                .iter()
                .map(|b| (b.project_name.clone(), b.kind.clone()))
                .collect::<Vec<_>>()
        }
    };
    let all = |kinds: &[(&str, &str)]| -> Vec<(String, String)> {
        kinds
            .iter()
            .map(|(p, k)| (p.to_string(), k.to_string()))
            .collect()
    };
    assert_eq!(on("2024-01-30").await, all(&[]));
    assert_eq!(on("2024-02-29").await, all(&[("南浔受阻", "energy")]));
    assert_eq!(
        on("2024-04-14").await,
        all(&[
            ("南浔受阻", "energy"),
            ("吴兴受阻", "land"),
            ("吴兴受阻", "demolition")
        ]),
        "the land blocker was still open the day before it was resolved"
    );
    assert_eq!(
        on("2024-04-15").await,
        all(&[("南浔受阻", "energy"), ("吴兴受阻", "demolition")])
    );

    // Once only.
    expect_conflict(
        store
            .resolve_blocker(&admin(), &actor(), land.id, date("2024-05-01"))
            .await,
    );
    let mine = store.project_blockers(&admin(), a.id).await.unwrap();
    assert_eq!(
        mine.iter()
            .find(|b| b.id == land.id)
            .unwrap()
            .resolved_on
            .as_deref(),
        Some("2024-04-15")
    );
    assert_eq!(store.audit_for("blocker", land.id).await.unwrap().len(), 1);

    // On the day it was raised is allowed.
    store
        .resolve_blocker(&admin(), &actor(), board[0].id, date("2024-01-31"))
        .await
        .unwrap();
    assert_eq!(open(&store, &admin()).await, vec![board[2].clone()]);
}

/// Sets when a report was filed (the API always stamps "now").
async fn filed_at(store: &Store, report: &ProgressRow, at: &str) {
    let done = sqlx::query("UPDATE monthly_progress SET submitted_at = $1 WHERE id = $2")
        .bind(at.to_string())
        .bind(report.id)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1);
}

fn area(
    code: &str,
    name: &str,
    expected: i64,
    submitted: i64,
    missing: &[&ProjectRow],
    late: &[&ProjectRow],
) -> AreaReporting {
    let pairs = |v: &[&ProjectRow]| v.iter().map(|p| (p.id, p.name.clone())).collect();
    AreaReporting {
        district_code: code.into(),
        district_name: name.into(),
        expected,
        submitted,
        missing: pairs(missing),
        late: pairs(late),
    }
}

async fn reporting_counts_expected_submitted_missing_and_late_per_district(store: Store) {
    let w = World::build(&store).await;
    let project = |name: &str, district: &str| ProjectInput {
        district_code: district.into(),
        unit_id: if district == A {
            id(&w.unit_1)
        } else {
            String::new()
        },
        ..input(name)
    };
    let a1 = create(&store, project("吴兴按时", A)).await;
    let a2 = create(&store, project("吴兴逾期", A)).await;
    let a3 = create(&store, project("吴兴未报", A)).await;
    let a4 = create(&store, project("吴兴无计划", A)).await;
    let a5 = create(&store, project("吴兴去年计划", A)).await;
    let b1 = create(&store, project("南浔按时", B)).await;
    let b2 = create(&store, project("南浔逾期", B)).await;
    for p in [&a1, &a2, &a3, &b1, &b2] {
        save_plan(&store, p.id, plan(2024, 1_000, None, None)).await;
    }
    save_plan(&store, a5.id, plan(2023, 1_000, None, None)).await;

    // March 2024 is due by 10 April, Beijing time (UTC+8), the office's calendar.
    let r = submit(&store, a1.id, "2024-03", 10).await;
    filed_at(&store, &r, "2024-04-10T15:59:59Z").await; // 23:59:59 on the 10th in Beijing
    let r = submit(&store, a2.id, "2024-03", 10).await;
    filed_at(&store, &r, "2024-04-10T16:00:00Z").await; // 00:00 on the 11th in Beijing
    let r = submit(&store, a3.id, "2024-02", 10).await; // another month
    filed_at(&store, &r, "2024-03-01T01:00:00Z").await;
    let r = submit(&store, a4.id, "2024-03", 10).await; // not expected: no plan
    filed_at(&store, &r, "2024-04-01T01:00:00Z").await;
    let r = submit(&store, a5.id, "2024-03", 10).await; // not expected: a plan for 2023 only
    filed_at(&store, &r, "2024-04-01T01:00:00Z").await;
    let r = submit(&store, b1.id, "2024-03", 10).await;
    filed_at(&store, &r, "2024-04-01T00:30:00Z").await;
    accept(&store, &r).await; // accepted or not, it was filed
    let r = submit(&store, b2.id, "2024-03", 10).await;
    filed_at(&store, &r, "2024-05-02T01:00:00Z").await;

    let march = month("2024-03");
    let whole = vec![
        area(A, A_NAME, 3, 2, &[&a3], &[&a2]),
        area(B, B_NAME, 2, 2, &[], &[&b2]),
    ];
    assert_eq!(store.reporting(&admin(), march).await.unwrap(), whole);
    assert_eq!(store.reporting(&office(), march).await.unwrap(), whole);
    assert_eq!(
        store.reporting(&district_viewer(A), march).await.unwrap(),
        whole[..1].to_vec()
    );
    assert_eq!(
        store.reporting(&district_viewer(B), march).await.unwrap(),
        whole[1..].to_vec()
    );
    assert_eq!(
        store
            .reporting(&unit_viewer(Some(w.unit_1.id)), march)
            .await
            .unwrap(),
        whole[..1].to_vec()
    );
    assert_eq!(
        store.reporting(&arealess_viewer(), march).await.unwrap(),
        vec![]
    );

    // February: only a3 reported (on time); 2023: only a5 was expected, and did not report.
    assert_eq!(
        store.reporting(&admin(), month("2024-02")).await.unwrap(),
        vec![
            area(A, A_NAME, 3, 1, &[&a1, &a2], &[]),
            area(B, B_NAME, 2, 0, &[&b1, &b2], &[]),
        ]
    );
    assert_eq!(
        store.reporting(&admin(), month("2023-03")).await.unwrap(),
        vec![area(A, A_NAME, 1, 0, &[&a5], &[])]
    );

    // December is due by 10 January of the next year.
    let r = submit(&store, a1.id, "2024-12", 10).await;
    filed_at(&store, &r, "2025-01-10T15:00:00Z").await;
    let r = submit(&store, a2.id, "2024-12", 10).await;
    filed_at(&store, &r, "2025-01-11T02:00:00Z").await;
    let r = submit(&store, b1.id, "2024-12", 10).await;
    filed_at(&store, &r, "2024-12-31T20:00:00Z").await;
    assert_eq!(
        store.reporting(&admin(), month("2024-12")).await.unwrap(),
        vec![
            area(A, A_NAME, 3, 2, &[&a3], &[&a2]),
            area(B, B_NAME, 2, 1, &[&b2], &[]),
        ]
    );

    // A returned report is still owed: it counts as missing until filed again.
    send_back(&store, &r).await;
    assert_eq!(
        store.reporting(&admin(), month("2024-12")).await.unwrap(),
        vec![
            area(A, A_NAME, 3, 2, &[&a3], &[&a2]),
            area(B, B_NAME, 2, 0, &[&b1, &b2], &[]),
        ]
    );
}

contract!(filing_the_same_blocker_again_does_not_open_it_twice);

async fn filing_the_same_blocker_again_does_not_open_it_twice(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("重复要素项目")).await;
    let blocker = [(BlockerKind::Land, "用地指标尚未落实")];
    let filed = submit_report(&store, p.id, report("2024-02", 100, &blocker)).await;
    send_back(&store, &filed).await;
    submit_report(&store, p.id, report("2024-02", 120, &blocker)).await;
    submit_report(&store, p.id, report("2024-03", 80, &blocker)).await;
    let open_now: Vec<String> = open(&store, &admin())
        .await
        .into_iter()
        .map(|b| b.description)
        .collect();
    assert_eq!(open_now, vec!["用地指标尚未落实"]);
}
