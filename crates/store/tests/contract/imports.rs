//! Imports: all or nothing, a dry run stores nothing, re-importing updates and never
//! duplicates, only the sheet's columns are changed, scope is enforced, one audit row per import.

use crate::support::*;
use hezuo_domain::cells::Sourced;
use hezuo_domain::{ProjectDraft, Stage};
use hezuo_store::Store;
use hezuo_store::import::{ImportFile, ImportOutcome};

contract!(
    an_import_inserts_then_updates_and_never_duplicates,
    one_bad_row_stores_nothing_and_a_dry_run_stores_nothing,
    an_update_changes_only_the_columns_the_sheet_has,
    a_later_stage_moves_the_project_on_an_earlier_one_is_refused,
    an_area_imports_only_into_its_own_scope,
    each_project_streams_the_whole_filtered_scoped_list_in_order,
    a_large_import_leaves_every_index_as_it_was,
);

const ALL: &[&str] = &[
    "name",
    "investment_wan",
    "origin",
    "district_code",
    "stage",
    "investor",
];

fn row(n: usize, d: ProjectDraft, columns: &[&'static str]) -> Sourced<ProjectDraft> {
    Sourced {
        sheet: "项目".into(),
        row: n,
        value: d,
        columns: columns.to_vec(),
    }
}

fn file() -> ImportFile {
    ImportFile {
        name: "2024年项目.xlsx".into(),
        sha256: "ab".repeat(32),
    }
}

async fn import(store: &Store, rows: &[Sourced<ProjectDraft>], dry: bool) -> ImportOutcome {
    store
        .import_projects(&admin(), &actor(), rows, &file(), dry, today())
        .await
        .expect("import runs")
}

async fn import_audits(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'import'")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn an_import_inserts_then_updates_and_never_duplicates(store: Store) {
    World::build(&store).await;
    let rows = vec![
        row(2, draft(input("甲项目")), ALL),
        row(3, draft(input("乙项目")), ALL),
    ];
    let first = import(&store, &rows, false).await;
    assert_eq!((first.inserted, first.updated), (2, 0), "{first:?}");
    let again = import(&store, &rows, false).await;
    assert_eq!((again.inserted, again.updated), (0, 2));
    // Full-width forms and spaces in a name do not make another project.
    let mut wide = input("甲项目");
    wide.name = "甲 项目".into();
    let third = import(&store, &[row(2, draft(wide), ALL)], false).await;
    assert_eq!((third.inserted, third.updated), (0, 1));
    assert_eq!(list(&store, &admin(), &every()).await.total, 2);
    assert_eq!(import_audits(&store).await, 3);
    let after: String = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'import' ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(
        after.contains(&"ab".repeat(32)) && after.contains("\"inserted\":2"),
        "{after}"
    );
}

async fn one_bad_row_stores_nothing_and_a_dry_run_stores_nothing(store: Store) {
    World::build(&store).await;
    // The same name twice in a district: the second row is a problem, so nothing is stored.
    let rows = vec![
        row(2, draft(input("甲项目")), ALL),
        row(3, draft(input("乙项目")), ALL),
        row(4, draft(input("甲项目")), ALL),
    ];
    let out = import(&store, &rows, false).await;
    assert_eq!((out.inserted, out.updated), (0, 0));
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].row, 4);
    assert!(
        out.problems[0].message.contains("第 2 行"),
        "{:?}",
        out.problems
    );
    assert_eq!(list(&store, &admin(), &every()).await.total, 0);
    let dry = import(&store, &rows[..2], true).await;
    assert_eq!((dry.inserted, dry.updated, dry.dry_run), (2, 0, true));
    assert!(dry.problems.is_empty());
    assert_eq!(list(&store, &admin(), &every()).await.total, 0);
    assert_eq!(import_audits(&store).await, 0);
}

async fn an_update_changes_only_the_columns_the_sheet_has(store: Store) {
    World::build(&store).await;
    let mut full = input("甲项目");
    full.investor = "上海某公司".into();
    full.summary = "新建厂房".into();
    let made = create(&store, full).await;
    // A sheet with only name, district and investment: investor and summary stay.
    let mut sheet = input("甲项目");
    sheet.investment_wan = "25000".into();
    let out = import(
        &store,
        &[row(
            2,
            draft(sheet),
            &["name", "district_code", "investment_wan"],
        )],
        false,
    )
    .await;
    assert_eq!(out.updated, 1, "{out:?}");
    let got = store.get_project(&admin(), made.id).await.unwrap();
    assert_eq!(got.investment_cny, wan(25_000));
    assert_eq!(got.investor, "上海某公司");
    assert_eq!(got.summary, "新建厂房");
    assert_eq!(got.version, made.version + 1);
}

async fn a_later_stage_moves_the_project_on_an_earlier_one_is_refused(store: Store) {
    World::build(&store).await;
    let made = create(&store, input("甲项目")).await;
    let mut signed = input("甲项目");
    signed.stage = "signed".into();
    signed.stage_date = "2024-03-05".into();
    let out = import(&store, &[row(2, draft(signed), ALL)], false).await;
    assert!(out.problems.is_empty(), "{out:?}");
    let got = store.get_project(&admin(), made.id).await.unwrap();
    assert_eq!(got.stage, Stage::Signed.code());
    assert_eq!(got.signed_on.as_deref(), Some("2024-03-05"));
    let history = store.stage_history(&admin(), made.id).await.unwrap();
    assert_eq!(history.len(), 2);
    // Back to 线索: refused, nothing changes.
    let back = import(&store, &[row(2, draft(input("甲项目")), ALL)], false).await;
    assert_eq!(back.problems.len(), 1);
    assert!(back.problems[0].message.contains("不能倒退"));
    let still = store.get_project(&admin(), made.id).await.unwrap();
    assert_eq!(still.stage, Stage::Signed.code());
}

async fn an_area_imports_only_into_its_own_scope(store: Store) {
    World::build(&store).await;
    let mut in_b = input("乙区项目");
    in_b.district_code = B.into();
    let out = store
        .import_projects(
            &district_viewer(A),
            &actor(),
            &[
                row(2, draft(input("甲区项目")), ALL),
                row(3, draft(in_b), ALL),
            ],
            &file(),
            false,
            today(),
        )
        .await
        .unwrap();
    assert_eq!(out.problems.len(), 1, "{out:?}");
    assert_eq!(out.problems[0].row, 3);
    assert_eq!(list(&store, &admin(), &every()).await.total, 0);
}

async fn each_project_streams_the_whole_filtered_scoped_list_in_order(store: Store) {
    World::build(&store).await;
    for n in 0..25 {
        let mut i = input(&format!("项目{n:02}"));
        if n % 5 == 0 {
            i.district_code = B.into();
        }
        create(&store, i).await;
    }
    let filter = hezuo_store::project::ProjectFilter {
        sort: Some("name".into()),
        dir: Some("asc".into()),
        ..Default::default()
    };
    let mut names = Vec::new();
    let n = store
        .each_project(&district_viewer(A), &filter, |p| {
            names.push(p.name);
            true
        })
        .await
        .unwrap();
    // All pages (more than one page of 20), only district A's, in the list's order.
    assert_eq!(n, 20);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(!names.contains(&"项目00".to_string()));
    // Stopping early stops.
    let mut seen = 0;
    store
        .each_project(&admin(), &filter, |_| {
            seen += 1;
            seen < 3
        })
        .await
        .unwrap();
    assert_eq!(seen, 3);
}

/// The indexes and triggers of the tables a large import fills (SQLite drops and rebuilds
/// them around the rows), each with its definition.
async fn indexes(store: &Store) -> Vec<(String, String)> {
    let sql = match store.engine() {
        hezuo_store::Engine::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') \
             AND tbl_name IN ('projects', 'stage_changes') AND sql IS NOT NULL ORDER BY name"
        }
        hezuo_store::Engine::Postgres => {
            "SELECT CAST(indexname AS TEXT), indexdef FROM pg_indexes \
             WHERE tablename IN ('projects', 'stage_changes') \
             UNION ALL SELECT CAST(tgname AS TEXT), pg_get_triggerdef(oid) FROM pg_trigger \
             WHERE NOT tgisinternal AND tgrelid IN ('projects'::regclass, 'stage_changes'::regclass) \
             ORDER BY 1"
        }
    };
    sqlx::query_as(sql).fetch_all(store.pool()).await.unwrap()
}

/// (district, projects, Σ investment) rows.
type Totals = Vec<(String, i64, i64)>;

/// The list's kept totals by district (migration 0015) beside the same counted from the rows.
async fn totals(store: &Store) -> (Totals, Totals) {
    let read = |sql: &'static str| async move {
        sqlx::query_as::<_, (String, i64, i64)>(sql)
            .fetch_all(store.pool())
            .await
            .unwrap()
    };
    (
        read(
            "SELECT district_code, CAST(projects AS BIGINT), CAST(investment_cny AS BIGINT) \
             FROM project_totals WHERE projects <> 0 ORDER BY district_code",
        )
        .await,
        read(
            "SELECT district_code, COUNT(*), CAST(COALESCE(SUM(investment_cny), 0) AS BIGINT) \
             FROM projects GROUP BY district_code ORDER BY district_code",
        )
        .await,
    )
}

/// 2 000 new projects into an empty library: SQLite builds the indexes after the rows. A dry
/// run (rolled back) and a commit both leave every index there and as defined, and the rows are
/// found through them.
async fn a_large_import_leaves_every_index_as_it_was(store: Store) {
    World::build(&store).await;
    let before = indexes(&store).await;
    assert!(before.len() >= 5, "{before:?}");
    let same = |(kept, counted): (Totals, Totals)| {
        assert_eq!(kept, counted, "the list's totals");
        kept
    };
    // Every stage in turn, each dated, so the projects' first 开工/竣工 dates are checked too.
    let stages: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::Terminated)
        .collect();
    let rows: Vec<Sourced<ProjectDraft>> = (0..2_000)
        .map(|i| {
            let mut p = input(&format!("批量项目{i}"));
            p.stage = stages[i % stages.len()].code().into();
            p.stage_date = format!("2024-03-{:02}", 1 + i % 28);
            p.signed_on = "2024-02-01".into();
            row(i + 2, draft(p), ALL)
        })
        .collect();
    let dry = import(&store, &rows, true).await;
    assert_eq!((dry.inserted, dry.problems.len()), (2_000, 0));
    assert_eq!(indexes(&store).await, before, "after a dry run");
    assert_eq!(list(&store, &admin(), &every()).await.total, 0);
    assert!(same(totals(&store).await).is_empty(), "after a dry run");

    let out = import(&store, &rows, false).await;
    assert_eq!((out.inserted, out.problems.len()), (2_000, 0));
    assert_eq!(indexes(&store).await, before, "after the import");
    assert_eq!(same(totals(&store).await)[0].1, 2_000);
    let mut in_a = every();
    in_a.district = Some(A.into());
    assert_eq!(list(&store, &admin(), &in_a).await.total, 2_000);
    let first_stages: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM stage_changes sc JOIN projects p ON p.id = sc.project_id \
         WHERE p.district_code = $1",
    )
    .bind(A)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(first_stages, 2_000);
    let dates: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, started_on, completed_on FROM projects")
            .fetch_all(store.pool())
            .await
            .unwrap();
    for (name, started, completed) in dates {
        let r = &rows[name["批量项目".len()..].parse::<usize>().unwrap()].value;
        let on = |yes: bool| yes.then(|| r.stage_date.to_string());
        assert_eq!(
            (started, completed),
            (on(r.stage.has_started()), on(r.stage.has_completed())),
            "{name} at {:?}",
            r.stage
        );
    }
    // Imported again: all updates, no duplicate, the indexes untouched.
    let again = import(&store, &rows, false).await;
    assert_eq!((again.inserted, again.updated), (0, 2_000));
    assert_eq!(indexes(&store).await, before, "after the update");
    // One more, row by row: the totals' trigger is back and counts it.
    let one = vec![row(2, draft(input("批量之后的项目")), ALL)];
    assert_eq!(import(&store, &one, false).await.inserted, 1);
    assert_eq!(same(totals(&store).await)[0].1, 2_001);
}
