//! What every contract case stands on: a fresh database per test (a temporary SQLite file, or a
//! new PostgreSQL database on the server named by `HEZUO_TEST_PG`), and fixtures built through
//! the store's public API only.

use chrono::NaiveDate;
use hezuo_domain::{
    Area, BlockerKind, Month, Plan, Progress, ProjectDraft, ProjectInput, Role, Stage, Viewer, Yuan,
};
use hezuo_store::dict::{DictItem, DictKind};
use hezuo_store::progress::{PlanRow, ProgressRow};
use hezuo_store::project::{ProjectFilter, ProjectPage, ProjectRow};
use hezuo_store::{Actor, Store, StoreError};
use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Connection, Executor};
use std::fmt::Debug;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The engine a generated test runs against.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The PostgreSQL server the tests create their databases on (any database on it will do as the
/// place to run `CREATE DATABASE` from).
fn pg_base() -> String {
    std::env::var("HEZUO_TEST_PG")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_string())
}

/// `base` with its database name replaced by `name`, query string kept.
fn pg_url_for(base: &str, name: &str) -> String {
    let (main, query) = match base.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (base, None),
    };
    let host_start = main.find("://").map_or(0, |i| i + 3);
    let path_start = main[host_start..]
        .find('/')
        .map_or(main.len(), |i| host_start + i);
    let mut url = format!("{}/{name}", &main[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("hezuo_test_{}_{n}_{nanos}", std::process::id())
}

async fn pg_admin(base: &str) -> PgConnection {
    PgConnection::connect(base).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL at {base} is unreachable ({e}). Start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or point HEZUO_TEST_PG at a server"
        )
    })
}

/// A database that exists for one test.
enum TestDb {
    Sqlite { path: PathBuf },
    Postgres { base: String, name: String },
}

impl TestDb {
    async fn create(backend: Backend) -> TestDb {
        let name = unique_name();
        match backend {
            Backend::Sqlite => TestDb::Sqlite {
                path: std::env::temp_dir().join(format!("{name}.db")),
            },
            Backend::Postgres => {
                let base = pg_base();
                let mut admin = pg_admin(&base).await;
                admin
                    .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create database {name} on {base}: {e}"));
                admin.close().await.ok();
                TestDb::Postgres { base, name }
            }
        }
    }

    fn url(&self) -> String {
        match self {
            TestDb::Sqlite { path } => format!("sqlite://{}", path.display()),
            TestDb::Postgres { base, name } => pg_url_for(base, name),
        }
    }

    /// Removes the database; failures only leave litter behind, so they are not fatal.
    async fn remove(self) {
        match self {
            TestDb::Sqlite { path } => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            TestDb::Postgres { base, name } => {
                let mut admin = pg_admin(&base).await;
                admin
                    .execute(AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
    }
}

/// Runs one contract case against a fresh database of the given engine, and removes the
/// database afterwards whether or not the case passed.
pub async fn run<F, Fut>(backend: Backend, case: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = TestDb::create(backend).await;
    let url = db.url();
    let store = match Store::connect(&url).await {
        Ok(store) => store,
        Err(e) => {
            db.remove().await;
            panic!("cannot open {url}: {e:?}");
        }
    };
    // On its own task, so a failing case still lets us close the pool and drop the database.
    let outcome = tokio::spawn(case(store.clone())).await;
    store.close().await;
    db.remove().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("the case did not finish: {e}"),
        }
    }
}

/// The URL the store was opened with, for a second connection to the same database.
pub fn url_of(store: &Store) -> String {
    store.pool().connect_options().database_url.to_string()
}

// ---- dates, actors, viewers ------------------------------------------------------------------

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

/// "Today" for validation and stage changes, fixed so the cases do not depend on the calendar.
pub fn today() -> NaiveDate {
    date("2024-12-31")
}

pub fn actor() -> Actor {
    Actor {
        user_id: None,
        username: "contract-test".into(),
        ip: "192.0.2.1".into(),
    }
}

fn viewer(role: Role, area: Option<Area>, unit_id: Option<i64>, leader_id: Option<i64>) -> Viewer {
    Viewer {
        user_id: 0,
        role,
        area,
        unit_id,
        leader_id,
    }
}

pub fn admin() -> Viewer {
    viewer(Role::Admin, None, None, None)
}

pub fn district_viewer(code: &str) -> Viewer {
    viewer(
        Role::Area,
        Some(Area::District(code.to_string())),
        None,
        None,
    )
}

pub fn platform_viewer(id: i64) -> Viewer {
    viewer(Role::Area, Some(Area::Platform(id)), None, None)
}

pub fn unit_viewer(id: Option<i64>) -> Viewer {
    viewer(Role::Unit, None, id, None)
}

pub fn leader_viewer(id: i64) -> Viewer {
    viewer(Role::Leader, None, None, Some(id))
}

/// An area liaison whose account has no area (misconfigured).
pub fn arealess_viewer() -> Viewer {
    viewer(Role::Area, None, None, None)
}

// ---- dictionaries ----------------------------------------------------------------------------

pub const A: &str = "330502";
pub const A_NAME: &str = "吴兴区";
pub const B: &str = "330503";
pub const B_NAME: &str = "南浔区";

pub fn values<const N: usize>(v: [&str; N]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub async fn dict(store: &Store, kind: DictKind, name: &str, vals: Vec<String>) -> DictItem {
    store
        .dict_create(&actor(), kind, name, &vals)
        .await
        .unwrap_or_else(|e| panic!("fixture {kind:?} {name}: {e:?}"))
}

/// Two districts and what hangs off them.
pub struct World {
    pub district_a: DictItem,
    pub district_b: DictItem,
    /// Platforms WXKF and WXNB in A, NXKF in B.
    pub platform_a: DictItem,
    pub platform_a2: DictItem,
    pub platform_b: DictItem,
    pub unit_1: DictItem,
    pub unit_2: DictItem,
    pub leader_1: DictItem,
    pub leader_2: DictItem,
    pub industry_1: DictItem,
    pub industry_2: DictItem,
    /// chain_1 and chain_2 belong to industry_1.
    pub chain_1: DictItem,
    pub chain_2: DictItem,
    pub list_1: DictItem,
    pub list_2: DictItem,
    pub event: DictItem,
}

impl World {
    pub async fn build(store: &Store) -> World {
        use DictKind::*;
        let district_a = dict(store, District, A_NAME, values([A])).await;
        let district_b = dict(store, District, B_NAME, values([B])).await;
        let platform_a = dict(store, Platform, "吴兴经济开发区", values(["WXKF", A])).await;
        let platform_a2 = dict(store, Platform, "吴兴南太湖科创园", values(["WXNB", A])).await;
        let platform_b = dict(store, Platform, "南浔经济开发区", values(["NXKF", B])).await;
        let unit_1 = dict(store, Unit, "市经信局", values(["JXJ"])).await;
        let unit_2 = dict(store, Unit, "市商务局", values(["SWJ"])).await;
        let leader_1 = dict(store, Leader, "张市长", values(["市长"])).await;
        let leader_2 = dict(store, Leader, "李副市长", values(["副市长"])).await;
        let industry_1 = dict(store, Industry, "新能源汽车及关键零部件", vec![]).await;
        let industry_2 = dict(store, Industry, "现代服务业", vec![]).await;
        let industry_1_id = industry_1.id.to_string();
        let chain_1 = dict(store, Chain, "电驱系统", values([&industry_1_id])).await;
        let chain_2 = dict(store, Chain, "智能装备", values([&industry_1_id])).await;
        let list_1 = dict(store, List, "省长三角一体化重大项目", vec![]).await;
        let list_2 = dict(store, List, "省重大产业项目", vec![]).await;
        let event = dict(
            store,
            SigningEvent,
            "2024长三角合作签约会",
            values(["2024-03-05", "上海"]),
        )
        .await;
        World {
            district_a,
            district_b,
            platform_a,
            platform_a2,
            platform_b,
            unit_1,
            unit_2,
            leader_1,
            leader_2,
            industry_1,
            industry_2,
            chain_1,
            chain_2,
            list_1,
            list_2,
            event,
        }
    }
}

/// A dictionary entry's id as the project form carries it.
pub fn id(item: &DictItem) -> String {
    item.id.to_string()
}

/// "list_id:year" as the project form carries it.
pub fn on_list(item: &DictItem, year: i32) -> String {
    format!("{}:{year}", item.id)
}

// ---- projects --------------------------------------------------------------------------------

/// The smallest valid form: a 1亿元 industrial lead from Shanghai in district A.
pub fn input(name: &str) -> ProjectInput {
    ProjectInput {
        name: name.into(),
        kind: "industrial".into(),
        stage: "lead".into(),
        stage_date: "2024-01-10".into(),
        currency: "CNY".into(),
        investment_wan: "10000".into(),
        origin: "shanghai".into(),
        district_code: A.into(),
        ..Default::default()
    }
}

pub fn draft(input: ProjectInput) -> ProjectDraft {
    let name = input.name.clone();
    input
        .validate(today())
        .unwrap_or_else(|e| panic!("fixture “{name}” does not validate: {e:?}"))
}

/// Creates a project as an administrator.
pub async fn create(store: &Store, input: ProjectInput) -> ProjectRow {
    let name = input.name.clone();
    store
        .create_project(&admin(), &actor(), &draft(input))
        .await
        .unwrap_or_else(|e| panic!("fixture “{name}” is refused: {e:?}"))
}

/// A filter that fits every test library on one page.
pub fn every() -> ProjectFilter {
    ProjectFilter {
        per_page: Some(200),
        ..Default::default()
    }
}

pub async fn list(store: &Store, viewer: &Viewer, filter: &ProjectFilter) -> ProjectPage {
    store
        .list_projects(viewer, filter)
        .await
        .unwrap_or_else(|e| panic!("list {filter:?}: {e:?}"))
}

pub fn names(page: &ProjectPage) -> Vec<String> {
    page.items.iter().map(|p| p.name.clone()).collect()
}

/// Audit rows of a project, newest first.
pub async fn audit_count(store: &Store, id: i64) -> usize {
    store
        .audit_for("project", id)
        .await
        .expect("audit rows")
        .len()
}

// ---- error shapes ----------------------------------------------------------------------------

#[track_caller]
pub fn expect_conflict<T: Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Conflict(message)) => {
            assert!(!message.is_empty(), "a conflict explains itself")
        }
        other => panic!("expected StoreError::Conflict, got {other:?}"),
    }
}

#[track_caller]
pub fn expect_invalid<T: Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Invalid { message, .. }) => {
            assert!(!message.is_empty(), "an invalid input explains itself")
        }
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

#[track_caller]
pub fn expect_not_found<T: Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("expected StoreError::NotFound, got {other:?}"),
    }
}

// ---- investment progress ---------------------------------------------------------------------

/// The city office (合作办): sees and changes the whole city, reviews monthly reports.
pub fn office() -> Viewer {
    viewer(Role::Office, None, None, None)
}

/// 万元 as yuan.
pub fn wan(n: i64) -> i64 {
    n * hezuo_domain::money::WAN
}

pub fn month(text: &str) -> Month {
    Month::parse(text).unwrap_or_else(|| panic!("a test month: {text}"))
}

/// A plan for `year`: `planned` 万元, optional planned start and completion months ("2024-03").
pub fn plan(year: i32, planned: i64, start: Option<&str>, completion: Option<&str>) -> Plan {
    Plan {
        year,
        planned: Yuan(wan(planned)),
        planned_start: start.map(month),
        planned_completion: completion.map(month),
    }
}

/// A month's report: `invested` 万元, with blocking factors.
pub fn report(on: &str, invested: i64, blockers: &[(BlockerKind, &str)]) -> Progress {
    Progress {
        month: month(on),
        invested: Yuan(wan(invested)),
        image_progress: format!("{on}形象进度"),
        coordination: String::new(),
        blockers: blockers.iter().map(|(k, d)| (*k, d.to_string())).collect(),
    }
}

/// Creates or replaces a plan as an administrator, with whatever version it has now.
pub async fn save_plan(store: &Store, project_id: i64, p: Plan) -> PlanRow {
    let current = store
        .plan(&admin(), project_id, p.year)
        .await
        .expect("read the plan")
        .map(|r| r.version);
    store
        .save_plan(&admin(), &actor(), project_id, &p, current)
        .await
        .unwrap_or_else(|e| panic!("plan {} for project {project_id}: {e:?}", p.year))
}

/// Files a month's report as an administrator.
pub async fn submit(store: &Store, project_id: i64, on: &str, invested: i64) -> ProgressRow {
    submit_report(store, project_id, report(on, invested, &[])).await
}

pub async fn submit_report(store: &Store, project_id: i64, p: Progress) -> ProgressRow {
    store
        .submit_progress(&admin(), &actor(), project_id, &p)
        .await
        .unwrap_or_else(|e| panic!("report {} for project {project_id}: {e:?}", p.month))
}

/// The office accepts a report.
pub async fn accept(store: &Store, row: &ProgressRow) -> ProgressRow {
    store
        .review_progress(&office(), &actor(), row.id, row.version, true, None)
        .await
        .unwrap_or_else(|e| panic!("accept report {}: {e:?}", row.id))
}

/// The office sends a report back.
pub async fn send_back(store: &Store, row: &ProgressRow) -> ProgressRow {
    store
        .review_progress(
            &office(),
            &actor(),
            row.id,
            row.version,
            false,
            Some("数据有误，请核实"),
        )
        .await
        .unwrap_or_else(|e| panic!("return report {}: {e:?}", row.id))
}

/// Moves a project on to `to` on `on`, as an administrator.
pub async fn move_to(store: &Store, row: &ProjectRow, to: Stage, on: &str) -> ProjectRow {
    let reason = (to == Stage::Terminated).then_some("投资方撤回");
    store
        .transition_project(
            &admin(),
            &actor(),
            row.id,
            row.version,
            to,
            date(on),
            reason,
            today(),
        )
        .await
        .unwrap_or_else(|e| panic!("{} → {to:?} on {on}: {e:?}", row.name))
}

/// A refusal, whichever way the store words it (an invalid request or a row that is not there
/// for this viewer) — never a success and never a database fault.
#[track_caller]
pub fn expect_refused<T: Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Invalid { .. } | StoreError::NotFound) => {}
        other => panic!("expected a refusal (Invalid or NotFound), got {other:?}"),
    }
}
