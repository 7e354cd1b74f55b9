//! Plan and progress imports: rows name stored projects (by code, else name and district),
//! all or nothing, a dry run stores nothing, re-importing replaces and never duplicates, a
//! year-to-date figure files the month's share, an accepted report is final, scope is enforced.

use crate::support::*;
use hezuo_domain::cells::Sourced;
use hezuo_domain::progress::{PlanRecord, ProgressRecord, ProjectRef};
use hezuo_domain::{BlockerKind, Viewer, Yuan};
use hezuo_store::Store;
use hezuo_store::import::{ImportFile, ImportOutcome};

contract!(
    plans_are_created_then_replaced_and_one_bad_row_stores_nothing,
    a_project_is_named_by_code_or_by_name_and_district,
    reports_file_the_months_share_of_a_year_to_date_figure,
    an_accepted_report_is_final_but_an_unchanged_one_reimports,
    an_area_imports_plans_and_reports_only_for_its_own_projects,
);

fn file() -> ImportFile {
    ImportFile {
        name: "2024年计划.xlsx".into(),
        sha256: "cd".repeat(32),
    }
}

fn named(name: &str, district: Option<&str>) -> ProjectRef {
    ProjectRef {
        code: None,
        name: name.into(),
        district_code: district.map(str::to_string),
    }
}

fn sourced<T>(row: usize, value: T) -> Sourced<T> {
    Sourced {
        sheet: "表1".into(),
        row,
        value,
        columns: vec![],
    }
}

fn plan_row(row: usize, project: ProjectRef, planned: i64) -> Sourced<PlanRecord> {
    sourced(
        row,
        PlanRecord {
            project,
            plan: plan(2024, planned, Some("2024-03"), Some("2025-06")),
        },
    )
}

fn report_row(
    row: usize,
    project: ProjectRef,
    on: &str,
    invested: i64,
    year_to_date: bool,
) -> Sourced<ProgressRecord> {
    sourced(
        row,
        ProgressRecord {
            project,
            progress: report(on, invested, &[(BlockerKind::Land, "用地指标未落实")]),
            year_to_date,
        },
    )
}

async fn plans(
    store: &Store,
    viewer: &Viewer,
    rows: &[Sourced<PlanRecord>],
    dry: bool,
) -> ImportOutcome {
    store
        .import_plans(viewer, &actor(), rows, &file(), dry)
        .await
        .expect("import runs")
}

async fn reports(
    store: &Store,
    viewer: &Viewer,
    rows: &[Sourced<ProgressRecord>],
    dry: bool,
) -> ImportOutcome {
    store
        .import_progress(viewer, &actor(), rows, &file(), dry)
        .await
        .expect("import runs")
}

async fn planned(store: &Store, project_id: i64) -> Option<i64> {
    store
        .plan(&admin(), project_id, 2024)
        .await
        .unwrap()
        .map(|p| p.planned)
}

/// Months and amounts (万元) of a project's reports, oldest first.
async fn filed(store: &Store, project_id: i64) -> Vec<(i64, i64, String)> {
    let mut v: Vec<(i64, i64, String)> = store
        .progress_reports(&admin(), project_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.month, r.invested / wan(1), r.status))
        .collect();
    v.reverse();
    v
}

async fn plans_are_created_then_replaced_and_one_bad_row_stores_nothing(store: Store) {
    World::build(&store).await;
    let a = create(&store, input("甲项目")).await;
    let b = create(&store, input("乙项目")).await;
    let rows = vec![
        plan_row(3, named("甲项目", Some(A)), 5_000),
        // No district column: a name used once in the city is enough.
        plan_row(4, named("乙项目", None), 3_000),
    ];
    let dry = plans(&store, &admin(), &rows, true).await;
    assert_eq!((dry.inserted, dry.updated), (2, 0));
    assert_eq!(
        planned(&store, a.id).await,
        None,
        "a dry run stores nothing"
    );
    let first = plans(&store, &admin(), &rows, false).await;
    assert_eq!((first.inserted, first.updated), (2, 0), "{first:?}");
    assert_eq!(planned(&store, a.id).await, Some(wan(5_000)));
    let mut changed = rows.clone();
    changed[0].value.plan.planned = Yuan(wan(6_000));
    let again = plans(&store, &admin(), &changed, false).await;
    assert_eq!((again.inserted, again.updated), (0, 2));
    assert_eq!(planned(&store, a.id).await, Some(wan(6_000)));
    assert_eq!(planned(&store, b.id).await, Some(wan(3_000)));
    // An unknown project and a repeated row: nothing of the file is stored.
    let mut bad = changed.clone();
    bad[0].value.plan.planned = Yuan(wan(9_000));
    bad.push(plan_row(5, named("丙项目", Some(A)), 100));
    bad.push(plan_row(6, named("甲项目", Some(A)), 100));
    let out = plans(&store, &admin(), &bad, false).await;
    let problems: Vec<(usize, &str)> = out
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str()))
        .collect();
    assert_eq!(problems, vec![(5, "name"), (6, "name")], "{out:?}");
    assert!(out.problems[1].message.contains("第 3 行"));
    assert_eq!((out.inserted, out.updated), (0, 0));
    assert_eq!(planned(&store, a.id).await, Some(wan(6_000)));
    let audits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'annual_plan'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(audits, 2, "one audit row per stored import");
}

async fn a_project_is_named_by_code_or_by_name_and_district(store: Store) {
    World::build(&store).await;
    let mut coded = input("甲项目");
    coded.project_code = "2024-330502-04-01-123456".into();
    let a = create(&store, coded).await;
    let mut other = input("甲项目");
    other.district_code = B.into();
    let b = create(&store, other).await;
    let by_code = ProjectRef {
        code: Some("2024-330502-04-01-123456".into()),
        name: "名称写错也能按代码匹配".into(),
        district_code: None,
    };
    let ambiguous = plans(
        &store,
        &admin(),
        &[plan_row(3, named("甲项目", None), 1)],
        false,
    )
    .await;
    assert_eq!(ambiguous.problems.len(), 1);
    assert!(
        ambiguous.problems[0].message.contains("同名"),
        "{ambiguous:?}"
    );
    let unknown_code = ProjectRef {
        code: Some("2024-330502-04-01-999999".into()),
        ..by_code.clone()
    };
    let out = plans(&store, &admin(), &[plan_row(3, unknown_code, 1)], false).await;
    assert_eq!(out.problems[0].field, "project_code");
    let rows = vec![
        plan_row(3, by_code, 100),
        plan_row(4, named("甲 项目", Some(B)), 200),
    ];
    let out = plans(&store, &admin(), &rows, false).await;
    assert!(out.problems.is_empty(), "{out:?}");
    assert_eq!(planned(&store, a.id).await, Some(wan(100)));
    assert_eq!(planned(&store, b.id).await, Some(wan(200)));
}

async fn reports_file_the_months_share_of_a_year_to_date_figure(store: Store) {
    World::build(&store).await;
    let a = create(&store, input("甲项目")).await;
    submit(&store, a.id, "2024-01", 100).await;
    let p = || named("甲项目", Some(A));
    // 1-2月 300 → February 200; 1-3月 250 is less than 300: refused, nothing stored.
    let bad = vec![
        report_row(3, p(), "2024-02", 300, true),
        report_row(4, p(), "2024-03", 250, true),
    ];
    let out = reports(&store, &admin(), &bad, false).await;
    assert_eq!(out.problems.len(), 1, "{out:?}");
    assert_eq!(
        (out.problems[0].row, out.problems[0].field.as_str()),
        (4, "ytd_wan")
    );
    assert!(out.problems[0].message.contains("300"), "{out:?}");
    assert_eq!(filed(&store, a.id).await.len(), 1);
    // The rows in any order: March's total less January and February.
    let good = vec![
        report_row(4, p(), "2024-03", 450, true),
        report_row(3, p(), "2024-02", 300, true),
    ];
    let out = reports(&store, &admin(), &good, false).await;
    assert_eq!((out.inserted, out.updated), (2, 0), "{out:?}");
    let months = filed(&store, a.id).await;
    assert_eq!(
        months.iter().map(|(m, v, _)| (*m, *v)).collect::<Vec<_>>(),
        vec![(1, 100), (2, 200), (3, 150)]
    );
    assert!(months.iter().all(|(_, _, s)| s == "submitted"));
    // Again: replaced, not duplicated; the blocker stays one open blocker.
    let out = reports(&store, &admin(), &good, false).await;
    assert_eq!((out.inserted, out.updated), (0, 2));
    assert_eq!(filed(&store, a.id).await.len(), 3);
    let blockers = store.project_blockers(&admin(), a.id).await.unwrap();
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    assert_eq!(blockers[0].kind, "land");
}

async fn an_accepted_report_is_final_but_an_unchanged_one_reimports(store: Store) {
    World::build(&store).await;
    let a = create(&store, input("甲项目")).await;
    let p = || named("甲项目", Some(A));
    let row = vec![report_row(3, p(), "2024-01", 100, false)];
    reports(&store, &admin(), &row, false).await;
    let stored = store.progress_reports(&admin(), a.id).await.unwrap();
    accept(&store, &stored[0]).await;
    let same = reports(&store, &admin(), &row, false).await;
    assert!(same.problems.is_empty(), "{same:?}");
    let changed = vec![report_row(3, p(), "2024-01", 120, false)];
    let out = reports(&store, &admin(), &changed, false).await;
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0].message.contains("已被合作办确认"));
    assert_eq!(filed(&store, a.id).await, vec![(1, 100, "accepted".into())]);
}

async fn an_area_imports_plans_and_reports_only_for_its_own_projects(store: Store) {
    World::build(&store).await;
    let mut theirs = input("乙项目");
    theirs.district_code = B.into();
    let b = create(&store, theirs).await;
    let ours = create(&store, input("甲项目")).await;
    let area = district_viewer(A);
    let rows = vec![
        plan_row(3, named("甲项目", Some(A)), 100),
        plan_row(4, named("乙项目", Some(B)), 100),
    ];
    let out = plans(&store, &area, &rows, false).await;
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].row, 4);
    assert!(out.problems[0].message.contains("管理范围"));
    assert_eq!(planned(&store, b.id).await, None);
    assert_eq!(planned(&store, ours.id).await, None);
    let out = reports(
        &store,
        &area,
        &[report_row(3, named("乙项目", None), "2024-01", 1, false)],
        false,
    )
    .await;
    assert!(out.problems[0].message.contains("管理范围"));
    assert!(filed(&store, b.id).await.is_empty());
    let out = plans(&store, &area, &rows[..1], false).await;
    assert!(out.problems.is_empty());
    assert_eq!(planned(&store, ours.id).await, Some(wan(100)));
}
