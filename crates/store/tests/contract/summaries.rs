//! The summaries the figures read (migration 0004: the plans' `done_from`, `done_to`,
//! `done1` … `done12` and the projects' `started_on` / `completed_on`; migrations 0016 and
//! 0017: each plan's copy of its project's district and dates) are kept by triggers. Here they are checked against
//! the rows they summarise after every kind of write — through the store, by hand-written SQL, from many
//! tasks at once, and after the migration is applied to a database that already holds data —
//! so a figure can never be read stale.

use crate::support::*;
use hezuo_domain::{ProjectInput, Stage};
use hezuo_store::{Engine, Store};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Barrier;

contract!(
    summaries_follow_every_write_to_reports_and_stage_changes,
    the_summaries_stage_lists_are_the_domains,
    reports_filed_at_once_for_one_plan_are_all_summed,
    plans_written_while_their_project_moves_and_starts_copy_it,
    the_migration_summarises_data_already_there,
);

type PlanSums = BTreeMap<(i64, i64), (Option<i64>, Option<i64>, [i64; 12])>;
type Milestones = BTreeMap<i64, (Option<String>, Option<String>)>;

/// Per plan (project, year) the summary should hold, worked out here from the report rows.
async fn expected_plan_sums(store: &Store) -> PlanSums {
    let plans: Vec<(i64, i64)> = sqlx::query_as("SELECT project_id, year FROM annual_plans")
        .fetch_all(store.pool())
        .await
        .expect("plans");
    let mut out: PlanSums = plans
        .into_iter()
        .map(|k| (k, (None, None, [0; 12])))
        .collect();
    let rows: Vec<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT project_id, year, month, invested, status FROM monthly_progress ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .expect("reports");
    for (project, year, month, invested, status) in rows {
        // Reports of a year without a plan count in no figure and are not summed.
        let Some(e) = out.get_mut(&(project, year)) else {
            continue;
        };
        if status == "returned" {
            continue;
        }
        e.0 = Some(e.0.map_or(month, |m: i64| m.min(month)));
        e.1 = Some(e.1.map_or(month, |m: i64| m.max(month)));
        for k in month..=12 {
            e.2[(k - 1) as usize] += invested;
        }
    }
    out
}

async fn stored_plan_sums(store: &Store) -> PlanSums {
    let rows = sqlx::query(
        "SELECT project_id, year, done_from, done_to, done1, done2, done3, done4, done5, done6, \
         done7, done8, done9, done10, done11, done12 FROM annual_plans",
    )
    .fetch_all(store.pool())
    .await
    .expect("annual_plans");
    use sqlx::Row;
    rows.iter()
        .map(|r| {
            let mut d = [0; 12];
            for (k, v) in d.iter_mut().enumerate() {
                *v = r.get(4 + k);
            }
            ((r.get(0), r.get(1)), (r.get(2), r.get(3), d))
        })
        .collect()
}

/// Per project, the first date of a change into a started / completed stage, by the domain.
async fn expected_milestones(store: &Store) -> Milestones {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM projects")
        .fetch_all(store.pool())
        .await
        .expect("projects");
    let mut out: Milestones = ids.into_iter().map(|id| (id, (None, None))).collect();
    let changes: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT project_id, to_stage, changed_on FROM stage_changes")
            .fetch_all(store.pool())
            .await
            .expect("stage changes");
    for (project, to, on) in changes {
        let stage = Stage::ALL
            .into_iter()
            .find(|s| s.code() == to)
            .expect("a known stage");
        let e = out.get_mut(&project).expect("the project exists");
        let earliest = |cur: &mut Option<String>| {
            if cur.as_ref().is_none_or(|c| on < *c) {
                *cur = Some(on.clone());
            }
        };
        if stage.has_started() {
            earliest(&mut e.0);
        }
        if stage.has_completed() {
            earliest(&mut e.1);
        }
    }
    out
}

async fn stored_milestones(store: &Store) -> Milestones {
    let rows: Vec<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, started_on, completed_on FROM projects")
            .fetch_all(store.pool())
            .await
            .expect("projects");
    rows.into_iter().map(|(id, s, c)| (id, (s, c))).collect()
}

async fn assert_fresh(store: &Store, after: &str) {
    assert_eq!(
        stored_plan_sums(store).await,
        expected_plan_sums(store).await,
        "the plans' sums after {after}"
    );
    assert_eq!(
        stored_milestones(store).await,
        expected_milestones(store).await,
        "started_on / completed_on after {after}"
    );
    // (district, 开工, 竣工) of a plan or of its project.
    type Copy = (String, Option<String>, Option<String>);
    type PlanCopy = (i64, i64, String, Option<String>, Option<String>);
    let plans: Vec<PlanCopy> = sqlx::query_as(
        "SELECT project_id, year, district_code, started_on, completed_on FROM annual_plans",
    )
    .fetch_all(store.pool())
    .await
    .expect("plans' copies of their projects");
    let projects: BTreeMap<i64, Copy> =
        sqlx::query_as::<_, (i64, String, Option<String>, Option<String>)>(
            "SELECT id, district_code, started_on, completed_on FROM projects",
        )
        .fetch_all(store.pool())
        .await
        .expect("projects")
        .into_iter()
        .map(|(id, d, s, c)| (id, (d, s, c)))
        .collect();
    let astray: Vec<(i64, i64, Copy, Copy)> = plans
        .into_iter()
        .map(|(id, year, d, s, c)| (id, year, (d, s, c), projects[&id].clone()))
        .filter(|(_, _, plan, project)| plan != project)
        .collect();
    assert_eq!(
        astray,
        vec![],
        "plans whose district or 开工/竣工 dates are not their project's after {after}"
    );
}

async fn exec(store: &Store, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn summaries_follow_every_write_to_reports_and_stage_changes(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-01-05".into(),
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("汇总甲")
        },
    )
    .await;
    let q = create(&store, input("汇总乙")).await;
    assert_fresh(&store, "creating projects").await;

    // Reports filed before the plan exists are summed when it is added.
    let jan = submit(&store, p.id, "2024-01", 100).await;
    assert_fresh(&store, "a report without a plan").await;
    save_plan(
        &store,
        p.id,
        plan(2024, 1_000, Some("2024-02"), Some("2024-12")),
    )
    .await;
    assert_fresh(&store, "adding the plan").await;
    assert_eq!(stored_plan_sums(&store).await[&(p.id, 2024)].2[0], wan(100));
    save_plan(
        &store,
        p.id,
        plan(2024, 1_200, Some("2024-02"), Some("2024-12")),
    )
    .await;
    assert_fresh(&store, "editing the plan").await;
    save_plan(&store, q.id, plan(2023, 300, None, None)).await;
    let feb = submit(&store, p.id, "2024-02", 50).await;
    let apr = submit(&store, p.id, "2024-04", 70).await;
    accept(&store, &jan).await;
    assert_fresh(&store, "accepting").await;
    let returned = send_back(&store, &feb).await;
    assert_fresh(&store, "returning February").await;
    assert_eq!(
        stored_plan_sums(&store).await[&(p.id, 2024)].2[1],
        wan(100),
        "a returned report counts for nothing"
    );
    // Filing February again replaces the returned report.
    store
        .submit_progress(&admin(), &actor(), p.id, &report("2024-02", 80, &[]))
        .await
        .expect("re-file February");
    assert_fresh(&store, "re-filing February").await;
    let _ = returned;

    // Writes the store never makes, made by hand: the triggers follow them too.
    exec(
        &store,
        &format!(
            "UPDATE monthly_progress SET invested = invested * 2 WHERE id = {}",
            apr.id
        ),
    )
    .await;
    assert_fresh(&store, "an UPDATE of an amount").await;
    exec(
        &store,
        &format!(
            "UPDATE monthly_progress SET project_id = {}, year = 2023 WHERE id = {}",
            q.id, apr.id
        ),
    )
    .await;
    assert_fresh(&store, "moving a report to another plan").await;
    exec(
        &store,
        &format!("DELETE FROM monthly_progress WHERE id = {}", jan.id),
    )
    .await;
    assert_fresh(&store, "deleting a report").await;

    let p = move_to(&store, &p, Stage::Started, "2024-03-10").await;
    assert_fresh(&store, "开工").await;
    let p = move_to(&store, &p, Stage::Completed, "2024-09-30").await;
    assert_fresh(&store, "竣工").await;
    move_to(&store, &p, Stage::Producing, "2024-10-08").await;
    assert_fresh(&store, "投产").await;
    exec(
        &store,
        &format!(
            "UPDATE stage_changes SET changed_on = '2024-03-01' WHERE project_id = {} AND to_stage = 'started'",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "re-dating 开工").await;
    exec(
        &store,
        &format!(
            "DELETE FROM stage_changes WHERE project_id = {} AND to_stage = 'completed'",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "deleting 竣工 (投产 still counts as completed)").await;
    let lead = create(&store, input("汇总丙")).await;
    move_to(&store, &lead, Stage::Terminated, "2024-05-01").await;
    assert_fresh(&store, "终止").await;

    exec(
        &store,
        &format!(
            "UPDATE annual_plans SET year = 2025 WHERE project_id = {}",
            q.id
        ),
    )
    .await;
    assert_fresh(&store, "moving a plan to another year").await;

    // The plans' district (migration 0016) follows the project however either is written.
    let now = store.get_project(&admin(), p.id).await.expect("p");
    store
        .update_project(
            &admin(),
            &actor(),
            p.id,
            now.version,
            &draft(ProjectInput {
                district_code: B.into(),
                stage: "signed".into(),
                stage_date: "2024-01-05".into(),
                lists: vec![on_list(&w.list_1, 2024)],
                ..input("汇总甲")
            }),
        )
        .await
        .expect("move p to B");
    assert_fresh(&store, "moving a project to another district").await;
    exec(
        &store,
        &format!(
            "UPDATE projects SET district_code = '{A}' WHERE id = {}",
            q.id
        ),
    )
    .await;
    assert_fresh(&store, "moving a project by hand").await;
    exec(
        &store,
        &format!(
            "INSERT INTO annual_plans (project_id, year, planned, version, updated_at) \
             VALUES ({}, 2026, 100, 1, '2026-01-01T00:00:00Z')",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan written by hand without its district").await;
    exec(
        &store,
        &format!(
            "INSERT INTO annual_plans (project_id, year, district_code, planned, version, updated_at) \
             VALUES ({}, 2027, '{A}', 100, 1, '2026-01-01T00:00:00Z')",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan written by hand with another district").await;
    exec(
        &store,
        &format!(
            "UPDATE annual_plans SET district_code = '{A}' WHERE project_id = {}",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan's district changed by hand").await;
    // And its 开工/竣工 dates (0017) the same way.
    exec(
        &store,
        &format!(
            "INSERT INTO annual_plans (project_id, year, district_code, started_on, completed_on, planned, \
             version, updated_at) VALUES ({}, 2028, '{B}', '1999-01-01', '1999-02-01', 100, 1, \
             '2026-01-01T00:00:00Z')",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan written by hand with other dates").await;
    exec(
        &store,
        &format!(
            "UPDATE annual_plans SET started_on = NULL, completed_on = '1999-01-01' WHERE project_id = {}",
            p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan's dates changed by hand").await;
    exec(
        &store,
        &format!(
            "UPDATE annual_plans SET project_id = {} WHERE project_id = {} AND year = 2026",
            q.id, p.id
        ),
    )
    .await;
    assert_fresh(&store, "a plan moved to a project in another district").await;
    exec(&store, &format!("DELETE FROM projects WHERE id = {}", q.id)).await;
    assert_fresh(&store, "deleting a project with reports").await;
}

async fn the_summaries_stage_lists_are_the_domains(store: Store) {
    World::build(&store).await;
    for stage in Stage::ALL {
        let p = create(&store, input(&format!("阶段{}", stage.code()))).await;
        exec(
            &store,
            &format!(
                "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, user_id, created_at) \
                 VALUES ({}, 'lead', '{}', '2024-06-01', NULL, NULL, '2024-06-01T00:00:00Z')",
                p.id,
                stage.code()
            ),
        )
        .await;
        let (started, completed) = stored_milestones(&store).await[&p.id].clone();
        assert_eq!(
            started.is_some(),
            stage.has_started(),
            "{stage:?} counts as started"
        );
        assert_eq!(
            completed.is_some(),
            stage.has_completed(),
            "{stage:?} counts as completed"
        );
    }
    assert_fresh(&store, "a change into every stage").await;
}

async fn reports_filed_at_once_for_one_plan_are_all_summed(store: Store) {
    World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-01-05".into(),
            ..input("并发填报")
        },
    )
    .await;
    // The plan is added while the reports are being filed: whichever commits first, the sums
    // end up holding every report.
    let barrier = Arc::new(Barrier::new(13));
    let mut tasks = Vec::new();
    let plan_task = {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        tokio::spawn(async move {
            barrier.wait().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            save_plan(&store, id, plan(2024, 12_000, None, None)).await
        })
    };
    for m in 1..=12 {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            store
                .submit_progress(
                    &admin(),
                    &actor(),
                    id,
                    &report(&format!("2024-{m:02}"), m, &[]),
                )
                .await
        }));
    }
    for t in tasks {
        t.await.expect("the task ran").expect("the report is filed");
    }
    plan_task.await.expect("the plan is saved");
    assert_fresh(&store, "twelve reports filed at once").await;
    assert_eq!(
        stored_plan_sums(&store).await[&(p.id, 2024)].2[11],
        wan((1..=12).sum())
    );
}

/// A project moved between districts again and again while its plans for twelve years are
/// being written: whichever commits first, every plan ends in the project's district.
async fn plans_written_while_their_project_moves_and_starts_copy_it(store: Store) {
    World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-01-05".into(),
            ..input("边写边迁")
        },
    )
    .await;
    let barrier = Arc::new(Barrier::new(14));
    // Its 开工/竣工 dates change meanwhile too, each an earlier date than the last (0017).
    let dater = {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        tokio::spawn(async move {
            barrier.wait().await;
            for (to, on) in [
                ("started", "2024-05-01"),
                ("started", "2024-04-01"),
                ("completed", "2024-09-01"),
                ("started", "2024-03-01"),
                ("completed", "2024-08-01"),
            ] {
                exec(
                    &store,
                    &format!(
                        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, \
                         user_id, created_at) VALUES ({id}, 'signed', '{to}', '{on}', NULL, NULL, \
                         '2024-06-01T00:00:00Z')"
                    ),
                )
                .await;
            }
        })
    };
    let mover = {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        tokio::spawn(async move {
            barrier.wait().await;
            for to in [B, A, B, A, B] {
                let now = store.get_project(&admin(), id).await.expect("p");
                store
                    .update_project(
                        &admin(),
                        &actor(),
                        id,
                        now.version,
                        &draft(ProjectInput {
                            district_code: to.into(),
                            stage: "signed".into(),
                            stage_date: "2024-01-05".into(),
                            ..input("边写边迁")
                        }),
                    )
                    .await
                    .expect("move");
            }
        })
    };
    let mut tasks = Vec::new();
    for year in 2020..2032 {
        let (store, barrier, id) = (store.clone(), barrier.clone(), p.id);
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            save_plan(&store, id, plan(year, 100, None, None)).await
        }));
    }
    for t in tasks {
        t.await.expect("the plan is saved");
    }
    mover.await.expect("the project moved");
    dater.await.expect("the project started and completed");
    assert_fresh(
        &store,
        "plans written while their project moved and started",
    )
    .await;
    let dates: Vec<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT DISTINCT started_on, completed_on FROM annual_plans")
            .fetch_all(store.pool())
            .await
            .expect("dates");
    assert_eq!(
        dates,
        vec![(Some("2024-03-01".into()), Some("2024-08-01".into()))]
    );
    let districts: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT district_code FROM annual_plans")
            .fetch_all(store.pool())
            .await
            .expect("districts");
    assert_eq!(districts, vec![B.to_string()]);
}

async fn the_migration_summarises_data_already_there(store: Store) {
    let w = World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-01-05".into(),
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("升级前")
        },
    )
    .await;
    save_plan(&store, p.id, plan(2024, 1_000, None, None)).await;
    submit(&store, p.id, "2024-01", 100).await;

    // Back to a database as migration 3 left it, then data written without any trigger.
    let down = match store.engine() {
        Engine::Sqlite => {
            "DROP TRIGGER monthly_progress_summary_insert; DROP TRIGGER monthly_progress_summary_update; \
             DROP TRIGGER monthly_progress_summary_delete; DROP TRIGGER stage_changes_summary_insert; \
             DROP TRIGGER stage_changes_summary_update; DROP TRIGGER stage_changes_summary_delete; \
             DROP TRIGGER annual_plans_summary_insert; DROP TRIGGER annual_plans_summary_update; \
             DROP TRIGGER annual_plans_project_copy_insert; \
             DROP TRIGGER annual_plans_project_copy_update; DROP TRIGGER projects_plan_copy; \
             DROP INDEX projects_figures; ALTER TABLE projects DROP COLUMN started_on; \
             ALTER TABLE projects DROP COLUMN completed_on; {PLAN_COLUMNS} \
             DELETE FROM schema_migrations WHERE version IN (4, 16, 17)"
        }
        Engine::Postgres => {
            "DROP FUNCTION hezuo_monthly_progress_summary() CASCADE; \
             DROP FUNCTION hezuo_stage_changes_summary() CASCADE; \
             DROP FUNCTION hezuo_annual_plans_summary() CASCADE; \
             DROP FUNCTION hezuo_refresh_plan_done(BIGINT, BIGINT); \
             DROP FUNCTION hezuo_refresh_project_milestones(BIGINT); DROP INDEX projects_figures; \
             DROP FUNCTION hezuo_annual_plans_project_copy() CASCADE; \
             DROP FUNCTION hezuo_projects_plan_copy() CASCADE; \
             ALTER TABLE annual_plans DROP COLUMN district_code, DROP COLUMN started_on, \
             DROP COLUMN completed_on; \
             ALTER TABLE projects DROP COLUMN started_on, DROP COLUMN completed_on; {PLAN_COLUMNS} \
             DELETE FROM schema_migrations WHERE version IN (4, 16, 17)"
        }
    };
    let plan_columns: String = ["done_from", "done_to"]
        .into_iter()
        .map(String::from)
        .chain((1..=12).map(|k| format!("done{k}")))
        .map(|c| format!("ALTER TABLE annual_plans DROP COLUMN {c};"))
        .collect();
    exec(&store, &down.replace("{PLAN_COLUMNS}", &plan_columns)).await;
    let p = move_to(&store, &p, Stage::Started, "2024-02-20").await;
    move_to(&store, &p, Stage::Completed, "2024-06-30").await;
    submit(&store, p.id, "2024-02", 30).await;
    let mar = submit(&store, p.id, "2024-03", 40).await;
    send_back(&store, &mar).await;
    submit(&store, p.id, "2023-12", 5).await;

    store.migrate().await.expect("migration 4 applies again");
    assert_fresh(&store, "applying the migration to existing data").await;
    assert_eq!(
        stored_plan_sums(&store).await[&(p.id, 2024)],
        (Some(1), Some(2), {
            let mut d = [wan(130); 12];
            d[0] = wan(100);
            d
        })
    );
    assert_eq!(
        stored_milestones(&store).await[&p.id],
        (Some("2024-02-20".into()), Some("2024-06-30".into()))
    );
    // And the triggers are back.
    submit(&store, p.id, "2024-04", 1).await;
    assert_fresh(&store, "a report after the migration").await;
}
