//! `hezuo-bench`: runs every cockpit figure the store computes on a database filled by
//! `hezuo bench-data`, side by side with a hand-written SQL query for the same figure over the
//! same tables (the limit: the simplest correct SQL a DBA would write, constants inlined, one
//! round trip where one statement can say it), checks that both give the same answer (and
//! stops if not), and prints p50/p95 of each and the ratio store/hand. Before timing, each
//! figure is also computed once from the report and stage-change rows themselves, bypassing
//! the trigger-kept summaries (the better SQL shape for each engine: SQLite has no hash join),
//! and must agree. The figures last measured, and how, are in `bench/README.md`.

use anyhow::{Context, bail};
use clap::Parser;
use hezuo_domain::{Area, Origin, Role, TierConfig, Viewer};
use hezuo_store::project::{ProjectFilter, ProjectPage, ProjectRow};
use hezuo_store::stats::{
    GroupBy, GroupStat, InvestmentStats, LightCounts, Period, ProjectProgress, SigningStats,
    TierStat,
};
use hezuo_store::{Engine, Store};
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "hezuo-bench",
    about = "驾驶舱各项指标：store 查询与手写 SQL 对照计时"
)]
struct Args {
    /// Database filled by `hezuo bench-data` (sqlite://PATH or postgres://…)
    #[arg(long)]
    db: String,
    /// Timed runs of each query (after two warm-up runs)
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// The p95 goal in milliseconds (100 at 100k projects; 1000 at 1M on PostgreSQL)
    #[arg(long, default_value_t = 100)]
    goal_ms: u64,
    /// The goal for store/hand (on the medians)
    #[arg(long, default_value_t = 1.5)]
    max_ratio: f64,
    /// Only the figures whose name contains this text (e.g. investment_stats, 区县)
    #[arg(long)]
    only: Option<String>,
    /// What-if, SQLite only: `PRAGMA mmap_size` in MiB on every pooled connection before
    /// measuring (the store itself does not set it). Store and hand SQL share the pool.
    #[arg(long)]
    sqlite_mmap_mib: Option<u64>,
}

/// The period of the investment figures: January–June 2024 (last year: January–June 2023).
const YEAR: i32 = 2024;
const MONTH: u32 = 6;
const END: &str = "2024-06-30";
/// The district of the district figures and of the area viewer.
const DISTRICT: &str = "330522";
const AREA_DISTRICT: &str = "330502";
/// 省长三角一体化重大项目 in the bench-data fixture.
const LIST: i64 = 1;
const LAGGING_LIMIT: i64 = 10;

const STARTED: &str = "'started', 'completed', 'producing', 'full_production'";
const COMPLETED: &str = "'completed', 'producing', 'full_production'";

/// What a figure returns, whichever way it was computed.
#[derive(Debug, PartialEq)]
enum Answer {
    Investment(InvestmentStats),
    InvestmentBy(Vec<(String, String, InvestmentStats)>),
    Signing(SigningStats),
    Monthly(Vec<(u32, i64)>),
    Lagging(Vec<ProjectProgress>),
    Page(ProjectPage),
}

impl Answer {
    /// A one-line summary, so the table shows the figures are not empty.
    fn summary(&self) -> String {
        match self {
            Answer::Investment(s) => format!(
                "{} 个项目，计划 {} 万元，完成 {} 万元",
                s.projects,
                s.planned / 10_000,
                s.completed / 10_000
            ),
            Answer::InvestmentBy(rows) => format!("{} 个区县", rows.len()),
            Answer::Signing(s) => format!("签约 {} 个，{} 万元", s.count, s.investment / 10_000),
            Answer::Monthly(rows) => format!("{} 个月", rows.len()),
            Answer::Lagging(rows) => format!("{} 个滞后项目", rows.len()),
            Answer::Page(p) => format!("共 {} 个，本页 {} 个", p.total, p.items.len()),
        }
    }
}

#[derive(Clone, Copy)]
enum Figure {
    InvestmentCity,
    InvestmentDistrict,
    InvestmentList,
    InvestmentByDistrict,
    Signing,
    Monthly,
    Lagging,
    ProjectPage,
}

impl Figure {
    const ALL: [Figure; 8] = [
        Figure::InvestmentCity,
        Figure::InvestmentDistrict,
        Figure::InvestmentList,
        Figure::InvestmentByDistrict,
        Figure::Signing,
        Figure::Monthly,
        Figure::Lagging,
        Figure::ProjectPage,
    ];

    fn name(self) -> &'static str {
        match self {
            Figure::InvestmentCity => "investment_stats 全市",
            Figure::InvestmentDistrict => "investment_stats 区县",
            Figure::InvestmentList => "investment_stats 清单+年度",
            Figure::InvestmentByDistrict => "investment_stats_by 分区县",
            Figure::Signing => "signing_stats 全市全年",
            Figure::Monthly => "monthly_completed 全市",
            Figure::Lagging => "lagging_projects 前10",
            Figure::ProjectPage => "list_projects 区县用户",
        }
    }

    async fn store(self, store: &Store) -> anyhow::Result<Answer> {
        let office = office();
        let period = Period::new(YEAR, Some(MONTH))?;
        let city = ProjectFilter::default();
        Ok(match self {
            Figure::InvestmentCity => {
                Answer::Investment(store.investment_stats(&office, &city, period).await?)
            }
            Figure::InvestmentDistrict => {
                let f = ProjectFilter {
                    district: Some(DISTRICT.into()),
                    ..Default::default()
                };
                Answer::Investment(store.investment_stats(&office, &f, period).await?)
            }
            Figure::InvestmentList => {
                let f = ProjectFilter {
                    list: Some(LIST),
                    ..Default::default()
                };
                Answer::Investment(store.investment_stats(&office, &f, period).await?)
            }
            Figure::InvestmentByDistrict => Answer::InvestmentBy(
                store
                    .investment_stats_by(&office, &city, period, Some(GroupBy::District))
                    .await?,
            ),
            Figure::Signing => Answer::Signing(
                store
                    .signing_stats(
                        &office,
                        &city,
                        Period::new(YEAR, None)?,
                        &TierConfig::default(),
                    )
                    .await?,
            ),
            Figure::Monthly => Answer::Monthly(
                store
                    .monthly_completed(&office, &city, Period::new(YEAR, None)?)
                    .await?,
            ),
            Figure::Lagging => Answer::Lagging(
                store
                    .lagging_projects(&office, &city, period, LAGGING_LIMIT)
                    .await?,
            ),
            Figure::ProjectPage => Answer::Page(
                store
                    .list_projects(&area_viewer(), &ProjectFilter::default())
                    .await?,
            ),
        })
    }

    /// The figure's scope as a condition on `p`, for the hand-written SQL.
    fn condition(self) -> String {
        match self {
            Figure::InvestmentDistrict => format!(" AND p.district_code = '{DISTRICT}'"),
            Figure::InvestmentList => format!(
                " AND p.id IN (SELECT e.project_id FROM project_list_entries e \
                 WHERE e.list_id = {LIST} AND e.year = {YEAR})"
            ),
            _ => String::new(),
        }
    }

    /// The peer the store is timed against: hand-written SQL over the same tables the store
    /// reads, summaries included (migration 0004).
    async fn hand(self, pool: &AnyPool) -> anyhow::Result<Answer> {
        let cond = self.condition();
        Ok(match self {
            Figure::InvestmentCity | Figure::InvestmentDistrict | Figure::InvestmentList => {
                Answer::Investment(single(hand_investment(pool, &cond, false).await?))
            }
            Figure::InvestmentByDistrict => {
                Answer::InvestmentBy(hand_investment(pool, "", true).await?)
            }
            Figure::Signing => Answer::Signing(hand_signing(pool).await?),
            Figure::Monthly => Answer::Monthly(hand_monthly(pool).await?),
            Figure::Lagging => Answer::Lagging(hand_lagging(pool).await?),
            Figure::ProjectPage => Answer::Page(hand_page(pool).await?),
        })
    }

    /// The same figure from the report and stage-change rows themselves, never the summaries:
    /// run once (untimed) to show the summaries hold exactly what they summarise at scale.
    async fn base(self, pool: &AnyPool, engine: Engine) -> anyhow::Result<Answer> {
        let cond = self.condition();
        Ok(match self {
            Figure::InvestmentCity | Figure::InvestmentDistrict | Figure::InvestmentList => {
                Answer::Investment(single(base_investment(pool, engine, &cond, false).await?))
            }
            Figure::InvestmentByDistrict => {
                Answer::InvestmentBy(base_investment(pool, engine, "", true).await?)
            }
            Figure::Monthly => Answer::Monthly(base_monthly(pool).await?),
            Figure::Lagging => Answer::Lagging(base_lagging(pool, engine).await?),
            Figure::Signing | Figure::ProjectPage => self.hand(pool).await?,
        })
    }
}

fn office() -> Viewer {
    Viewer {
        user_id: 0,
        role: Role::Office,
        area: None,
        unit_id: None,
        leader_id: None,
    }
}

fn area_viewer() -> Viewer {
    Viewer {
        user_id: 0,
        role: Role::Area,
        area: Some(Area::District(AREA_DISTRICT.into())),
        unit_id: None,
        leader_id: None,
    }
}

fn q(sql: String) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(AssertSqlSafe(sql))
}

/// The whole scope's row, or the empty figure when nothing is planned.
fn single(mut rows: Vec<(String, String, InvestmentStats)>) -> InvestmentStats {
    rows.pop().map_or_else(
        || InvestmentStats {
            year: YEAR,
            month: MONTH,
            projects: 0,
            planned: 0,
            completed: 0,
            planned_start: 0,
            started: 0,
            planned_completion: 0,
            completed_projects: 0,
            signed: 0,
            landed: 0,
            lights: LightCounts::default(),
            last_year_completed: None,
        },
        |(_, _, s)| s,
    )
}

/// 投资进度 in one statement over the summaries: each plan in scope with its sum to the month
/// (`annual_plans.done{M}`) and its project's 开工/竣工 dates, signings (落地) and last year's sum.
async fn hand_investment(
    pool: &AnyPool,
    cond: &str,
    by_district: bool,
) -> anyhow::Result<Vec<(String, String, InvestmentStats)>> {
    let (key, label, join) = group_of(by_district);
    // The plans carry their project's district and 开工/竣工 dates (migrations 0016, 0017):
    // grouped by their own column, and the plans read the projects only when a condition
    // needs them.
    let (pkey, pjoin) = if by_district {
        (
            "ap.district_code",
            "JOIN districts d ON d.code = ap.district_code",
        )
    } else {
        (key, join)
    };
    let plans_from = if cond.is_empty() {
        "annual_plans ap"
    } else {
        "annual_plans ap JOIN projects p ON p.id = ap.project_id"
    };
    let (y, m, ly) = (YEAR, MONTH, YEAR - 1);
    let sql = format!(
        "WITH inv AS (
           SELECT {pkey} AS g, {label} AS label, COUNT(*) AS n, SUM(ap.planned) AS planned,
             SUM(ap.done{m}) AS done,
             SUM(CASE WHEN ap.planned_start BETWEEN '{y}-01' AND '{y}-12' THEN 1 ELSE 0 END) AS ps,
             SUM(CASE WHEN ap.planned_start BETWEEN '{y}-01' AND '{y}-12' AND ap.started_on <= '{END}' THEN 1 ELSE 0 END) AS st,
             SUM(CASE WHEN ap.planned_completion BETWEEN '{y}-01' AND '{y}-12' THEN 1 ELSE 0 END) AS pc,
             SUM(CASE WHEN ap.planned_completion BETWEEN '{y}-01' AND '{y}-12' AND ap.completed_on <= '{END}' THEN 1 ELSE 0 END) AS co,
             SUM(CASE WHEN ap.planned > 0 AND ap.done{m} * 1200 > 105 * {m} * ap.planned THEN 1 ELSE 0 END) AS ahead,
             SUM(CASE WHEN ap.planned > 0 AND ap.done{m} * 1200 < 95 * {m} * ap.planned THEN 1 ELSE 0 END) AS behind,
             SUM(CASE WHEN ap.planned > 0 THEN 1 ELSE 0 END) AS with_plan
           FROM {plans_from} {pjoin}
           WHERE ap.year = {y}{cond} GROUP BY 1, 2),
         landing AS (
           SELECT {key} AS g, {label} AS label, COUNT(*) AS signed,
             SUM(CASE WHEN p.started_on <= '{END}' THEN 1 ELSE 0 END) AS landed
           FROM projects p {join}
           WHERE p.signed_on >= '{y}-01-01' AND p.signed_on <= '{END}'{cond} GROUP BY 1, 2),
         last AS (
           SELECT {pkey} AS g, {label} AS label, SUM(ap.done{m}) AS s
           FROM {plans_from} {pjoin}
           WHERE ap.year = {ly} AND ap.done_from <= {m}{cond} GROUP BY 1, 2),
         {PARTS}"
    );
    investment_rows(pool, sql).await
}

/// The columns of a hand-written 投资进度 row, by part.
const PARTS: &str = "parts AS (
           SELECT g, label FROM inv UNION SELECT g, label FROM landing UNION SELECT g, label FROM last)
         SELECT parts.g, parts.label, COALESCE(inv.n, 0), CAST(COALESCE(inv.planned, 0) AS BIGINT),
           CAST(COALESCE(inv.done, 0) AS BIGINT), CAST(COALESCE(inv.ps, 0) AS BIGINT),
           CAST(COALESCE(inv.st, 0) AS BIGINT), CAST(COALESCE(inv.pc, 0) AS BIGINT),
           CAST(COALESCE(inv.co, 0) AS BIGINT), CAST(COALESCE(inv.ahead, 0) AS BIGINT),
           CAST(COALESCE(inv.behind, 0) AS BIGINT), CAST(COALESCE(inv.with_plan, 0) AS BIGINT),
           CAST(COALESCE(landing.signed, 0) AS BIGINT), CAST(COALESCE(landing.landed, 0) AS BIGINT),
           CAST(last.s AS BIGINT)
         FROM parts LEFT JOIN inv ON inv.g = parts.g LEFT JOIN landing ON landing.g = parts.g
           LEFT JOIN last ON last.g = parts.g";

/// Group key, label and join: by district, or the whole scope as one part.
fn group_of(by_district: bool) -> (&'static str, &'static str, &'static str) {
    if by_district {
        (
            "p.district_code",
            "d.name",
            "JOIN districts d ON d.code = p.district_code",
        )
    } else {
        ("CAST('' AS TEXT)", "CAST('' AS TEXT)", "")
    }
}

/// 投资进度 in one statement from the rows themselves: plans in scope joined to their year-to-date sums and to whether
/// they started/completed by the period's end, plus signings (落地) and last year's sum. A part
/// (district) with signings or last year's reports but no plan this year is listed too.
async fn base_investment(
    pool: &AnyPool,
    engine: Engine,
    cond: &str,
    by_district: bool,
) -> anyhow::Result<Vec<(String, String, InvestmentStats)>> {
    let (key, label, join) = group_of(by_district);
    let (y, m, ly) = (YEAR, MONTH, YEAR - 1);
    let parts = PARTS;
    let sql = match engine {
        // SQLite has no hash join: walk the plans once, each plan's sums and stage read from
        // covering indexes, computed once per plan (MATERIALIZED) and then added up.
        Engine::Sqlite => format!(
            "WITH x AS MATERIALIZED (
           SELECT {key} AS g, {label} AS label, ap.planned,
             COALESCE((SELECT SUM(mp.invested) FROM monthly_progress mp WHERE mp.project_id = ap.project_id
               AND mp.year = {y} AND mp.month <= {m} AND mp.status <> 'returned'), 0) AS done,
             CASE WHEN ap.planned_start >= '{y}-01' AND ap.planned_start <= '{y}-12' THEN 1 ELSE 0 END AS ps,
             CASE WHEN ap.planned_completion >= '{y}-01' AND ap.planned_completion <= '{y}-12' THEN 1 ELSE 0 END AS pc,
             (SELECT MAX(CASE WHEN sc.to_stage IN ({COMPLETED}) THEN 2 WHEN sc.to_stage IN ({STARTED}) THEN 1 ELSE 0 END)
               FROM stage_changes sc WHERE sc.project_id = ap.project_id AND sc.changed_on <= '{END}') AS lv
           FROM annual_plans ap JOIN projects p ON p.id = ap.project_id {join}
           WHERE ap.year = {y}{cond}),
         inv AS (
           SELECT g, label, COUNT(*) AS n, SUM(planned) AS planned, SUM(done) AS done, SUM(ps) AS ps,
             SUM(CASE WHEN lv >= 1 THEN ps ELSE 0 END) AS st, SUM(pc) AS pc,
             SUM(CASE WHEN lv >= 2 THEN pc ELSE 0 END) AS co,
             SUM(CASE WHEN planned > 0 AND done * 1200 > 105 * {m} * planned THEN 1 ELSE 0 END) AS ahead,
             SUM(CASE WHEN planned > 0 AND done * 1200 < 95 * {m} * planned THEN 1 ELSE 0 END) AS behind,
             SUM(CASE WHEN planned > 0 THEN 1 ELSE 0 END) AS with_plan
           FROM x GROUP BY g, label),
         landing AS (
           SELECT g, label, COUNT(*) AS signed, SUM(landed) AS landed FROM (
             SELECT {key} AS g, {label} AS label,
               CASE WHEN EXISTS (SELECT 1 FROM stage_changes sc WHERE sc.project_id = p.id
                 AND sc.to_stage IN ({STARTED}) AND sc.changed_on <= '{END}') THEN 1 ELSE 0 END AS landed
             FROM projects p {join}
             WHERE p.signed_on >= '{y}-01-01' AND p.signed_on <= '{END}'{cond}) s
           GROUP BY g, label),
         last AS (
           SELECT g, label, SUM(s) AS s FROM (
             SELECT {key} AS g, {label} AS label,
               (SELECT SUM(mp.invested) FROM monthly_progress mp WHERE mp.project_id = ap.project_id
                 AND mp.year = {ly} AND mp.month <= {m} AND mp.status <> 'returned') AS s
             FROM annual_plans ap JOIN projects p ON p.id = ap.project_id {join}
             WHERE ap.year = {ly}{cond}) l
           GROUP BY g, label HAVING SUM(s) IS NOT NULL),
         {parts}"
        ),
        // PostgreSQL: aggregate each source once and hash-join the results to the plans.
        Engine::Postgres => format!(
        "WITH plan AS (
           SELECT {key} AS g, {label} AS label, ap.project_id, ap.planned,
             CASE WHEN ap.planned_start >= '{y}-01' AND ap.planned_start <= '{y}-12' THEN 1 ELSE 0 END AS ps,
             CASE WHEN ap.planned_completion >= '{y}-01' AND ap.planned_completion <= '{y}-12' THEN 1 ELSE 0 END AS pc
           FROM annual_plans ap JOIN projects p ON p.id = ap.project_id {join}
           WHERE ap.year = {y}{cond}),
         done AS (
           SELECT mp.project_id, SUM(mp.invested) AS s FROM monthly_progress mp
           WHERE mp.year = {y} AND mp.month <= {m} AND mp.status <> 'returned' GROUP BY mp.project_id),
         started AS (
           SELECT DISTINCT project_id FROM stage_changes WHERE to_stage IN ({STARTED}) AND changed_on <= '{END}'),
         finished AS (
           SELECT DISTINCT project_id FROM stage_changes WHERE to_stage IN ({COMPLETED}) AND changed_on <= '{END}'),
         inv AS (
           SELECT plan.g, plan.label, COUNT(*) AS n, SUM(plan.planned) AS planned,
             SUM(COALESCE(done.s, 0)) AS done, SUM(plan.ps) AS ps,
             SUM(CASE WHEN plan.ps = 1 AND started.project_id IS NOT NULL THEN 1 ELSE 0 END) AS st,
             SUM(plan.pc) AS pc,
             SUM(CASE WHEN plan.pc = 1 AND finished.project_id IS NOT NULL THEN 1 ELSE 0 END) AS co,
             SUM(CASE WHEN plan.planned > 0 AND COALESCE(done.s, 0) * 1200 > 105 * {m} * plan.planned THEN 1 ELSE 0 END) AS ahead,
             SUM(CASE WHEN plan.planned > 0 AND COALESCE(done.s, 0) * 1200 < 95 * {m} * plan.planned THEN 1 ELSE 0 END) AS behind,
             SUM(CASE WHEN plan.planned > 0 THEN 1 ELSE 0 END) AS with_plan
           FROM plan LEFT JOIN done ON done.project_id = plan.project_id
             LEFT JOIN started ON started.project_id = plan.project_id
             LEFT JOIN finished ON finished.project_id = plan.project_id
           GROUP BY plan.g, plan.label),
         landing AS (
           SELECT x.g, x.label, COUNT(*) AS signed, SUM(x.landed) AS landed FROM (
             SELECT {key} AS g, {label} AS label,
               CASE WHEN started.project_id IS NOT NULL THEN 1 ELSE 0 END AS landed
             FROM projects p {join} LEFT JOIN started ON started.project_id = p.id
             WHERE p.signed_on >= '{y}-01-01' AND p.signed_on <= '{END}'{cond}) x
           GROUP BY x.g, x.label),
         last AS (
           SELECT x.g, x.label, SUM(x.invested) AS s FROM (
             SELECT {key} AS g, {label} AS label, mp.invested FROM monthly_progress mp
             JOIN annual_plans ap ON ap.project_id = mp.project_id AND ap.year = mp.year
             JOIN projects p ON p.id = mp.project_id {join}
             WHERE mp.year = {ly} AND mp.month <= {m} AND mp.status <> 'returned'{cond}) x
           GROUP BY x.g, x.label),
         {parts}"
        ),
    };
    investment_rows(pool, sql).await
}

/// Reads the rows of a hand-written 投资进度 statement (columns as in [`PARTS`]).
async fn investment_rows(
    pool: &AnyPool,
    sql: String,
) -> anyhow::Result<Vec<(String, String, InvestmentStats)>> {
    let rows = q(sql).fetch_all(pool).await?;
    let mut out: Vec<(String, String, InvestmentStats)> = rows
        .iter()
        .map(|r| {
            let (ahead, behind, with_plan): (i64, i64, i64) =
                (r.try_get(9)?, r.try_get(10)?, r.try_get(11)?);
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                InvestmentStats {
                    year: YEAR,
                    month: MONTH,
                    projects: r.try_get(2)?,
                    planned: r.try_get(3)?,
                    completed: r.try_get(4)?,
                    planned_start: r.try_get(5)?,
                    started: r.try_get(6)?,
                    planned_completion: r.try_get(7)?,
                    completed_projects: r.try_get(8)?,
                    signed: r.try_get(12)?,
                    landed: r.try_get(13)?,
                    lights: LightCounts {
                        ahead,
                        normal: with_plan - ahead - behind,
                        behind,
                    },
                    last_year_completed: r.try_get(14)?,
                },
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Parts in the order of their key, as the store lists them.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// 签约 for the whole of 2024: totals and cumulative tiers in one scan, then origin and chain
/// groups in one statement.
async fn hand_signing(pool: &AnyPool) -> anyhow::Result<SigningStats> {
    let tiers = TierConfig::default().cny_yi;
    let wher = format!("p.signed_on >= '{YEAR}-01-01' AND p.signed_on <= '{YEAR}-12-31'");
    let mut sql =
        String::from("SELECT COUNT(*), CAST(COALESCE(SUM(p.investment_cny), 0) AS BIGINT)");
    for t in &tiers {
        let min = TierConfig::min_yuan(*t).0;
        sql.push_str(&format!(
            ", CAST(COALESCE(SUM(CASE WHEN p.investment_cny >= {min} THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN p.investment_cny >= {min} THEN p.investment_cny ELSE 0 END), 0) AS BIGINT)"
        ));
    }
    sql.push_str(&format!(" FROM projects p WHERE {wher}"));
    let row = q(sql).fetch_one(pool).await?;
    let mut tier_stats = Vec::new();
    for (i, t) in tiers.iter().enumerate() {
        tier_stats.push(TierStat {
            min_yi: *t,
            count: row.try_get(2 + 2 * i)?,
            investment: row.try_get(3 + 2 * i)?,
        });
    }
    let groups = format!(
        "SELECT 'o' AS part, p.origin AS k, p.origin AS label, COUNT(*) AS n, CAST(SUM(p.investment_cny) AS BIGINT) AS v \
         FROM projects p WHERE {wher} GROUP BY p.origin \
         UNION ALL \
         SELECT 'c', CAST(p.chain_id AS TEXT), c.name, COUNT(*), CAST(SUM(p.investment_cny) AS BIGINT) \
         FROM projects p JOIN chains c ON c.id = p.chain_id WHERE {wher} GROUP BY p.chain_id, c.name \
         ORDER BY 1 DESC, 5 DESC, 2"
    );
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(AssertSqlSafe(groups))
        .fetch_all(pool)
        .await?;
    let (mut by_origin, mut by_chain) = (Vec::new(), Vec::new());
    for (part, key, label, count, investment) in rows {
        if part == "o" {
            by_origin.push(GroupStat {
                label: Origin::parse(&key).map_or(key.clone(), |o| o.label().to_string()),
                key,
                count,
                investment,
            });
        } else {
            by_chain.push(GroupStat {
                key,
                label,
                count,
                investment,
            });
        }
    }
    Ok(SigningStats {
        count: row.try_get(0)?,
        investment: row.try_get(1)?,
        tiers: tier_stats,
        by_origin,
        by_chain,
    })
}

/// Completed investment per month of 2024 over the summaries: the cumulative sums of the
/// planned projects, month by month, up to the last month anyone reported for.
async fn hand_monthly(pool: &AnyPool) -> anyhow::Result<Vec<(u32, i64)>> {
    let sums: Vec<String> = (1..=12)
        .map(|k| format!("CAST(COALESCE(SUM(ap.done{k}), 0) AS BIGINT)"))
        .collect();
    let sql = format!(
        "SELECT CAST(COALESCE(MAX(ap.done_to), 0) AS BIGINT), {} FROM annual_plans ap \
         WHERE ap.year = {YEAR} AND ap.done_from <= 12",
        sums.join(", ")
    );
    let row = q(sql).fetch_one(pool).await?;
    let last: i64 = row.try_get(0)?;
    let mut out = Vec::new();
    let mut before = 0;
    for k in 1..=last as usize {
        let to: i64 = row.try_get(k)?;
        out.push((k as u32, to - before));
        before = to;
    }
    Ok(out)
}

/// The ten plans furthest behind, over the summaries.
async fn hand_lagging(pool: &AnyPool) -> anyhow::Result<Vec<ProjectProgress>> {
    let m = MONTH;
    let sql = format!(
        "SELECT p.id, p.name, d.name, ap.planned, ap.done{m} FROM annual_plans ap \
         JOIN projects p ON p.id = ap.project_id JOIN districts d ON d.code = p.district_code \
         WHERE ap.year = {YEAR} AND ap.planned > 0 AND ap.done{m} * 1200 < 95 * {m} * ap.planned \
         ORDER BY (ap.done{m} * 1000000) / ap.planned, ap.planned DESC, p.id LIMIT {LAGGING_LIMIT}"
    );
    progress_rows(pool, sql).await
}

/// Reads (id, name, district, planned, completed) rows.
async fn progress_rows(pool: &AnyPool, sql: String) -> anyhow::Result<Vec<ProjectProgress>> {
    let rows: Vec<(i64, String, String, i64, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(ProjectProgress::from).collect())
}

/// Completed investment per month of 2024, reports of planned projects only: from the plans to
/// their reports (`CROSS JOIN` keeps SQLite in that order, where each plan's reports are one
/// range of a covering index; PostgreSQL plans it freely).
async fn base_monthly(pool: &AnyPool) -> anyhow::Result<Vec<(u32, i64)>> {
    let sql = format!(
        "SELECT mp.month, CAST(SUM(mp.invested) AS BIGINT) FROM annual_plans ap CROSS JOIN monthly_progress mp \
         WHERE mp.project_id = ap.project_id AND mp.year = ap.year AND ap.year = {YEAR} \
         AND mp.month <= 12 AND mp.status <> 'returned' GROUP BY mp.month ORDER BY mp.month"
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(m, v)| (m as u32, v)).collect())
}

/// The ten plans furthest behind: each plan's year-to-date sum computed once, then filtered and
/// sorted (SQLite per plan from the covering index, PostgreSQL by one aggregate hash-joined).
async fn base_lagging(pool: &AnyPool, engine: Engine) -> anyhow::Result<Vec<ProjectProgress>> {
    let m = MONTH;
    let rows = match engine {
        Engine::Sqlite => format!(
            "WITH x AS MATERIALIZED (SELECT p.id, p.name, p.district_code, ap.planned, \
               COALESCE((SELECT SUM(mp.invested) FROM monthly_progress mp WHERE mp.project_id = ap.project_id \
                 AND mp.year = {YEAR} AND mp.month <= {m} AND mp.status <> 'returned'), 0) AS done \
               FROM annual_plans ap JOIN projects p ON p.id = ap.project_id WHERE ap.year = {YEAR} AND ap.planned > 0) "
        ),
        Engine::Postgres => format!(
            "WITH done AS (SELECT mp.project_id, CAST(SUM(mp.invested) AS BIGINT) AS s FROM monthly_progress mp \
               WHERE mp.year = {YEAR} AND mp.month <= {m} AND mp.status <> 'returned' GROUP BY mp.project_id), \
             x AS (SELECT p.id, p.name, p.district_code, ap.planned, COALESCE(done.s, 0) AS done \
               FROM annual_plans ap JOIN projects p ON p.id = ap.project_id \
               LEFT JOIN done ON done.project_id = ap.project_id WHERE ap.year = {YEAR} AND ap.planned > 0) "
        ),
    };
    let sql = format!(
        "{rows}SELECT x.id, x.name, d.name, x.planned, CAST(x.done AS BIGINT) FROM x \
         JOIN districts d ON d.code = x.district_code WHERE x.done * 1200 < 95 * {m} * x.planned \
         ORDER BY (x.done * 1000000) / x.planned, x.planned DESC, x.id LIMIT {LAGGING_LIMIT}"
    );
    progress_rows(pool, sql).await
}

/// The first page of an area user's project list (latest change first) with its totals.
async fn hand_page(pool: &AnyPool) -> anyhow::Result<ProjectPage> {
    let totals = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(investment_cny), 0) AS BIGINT) FROM projects \
         WHERE district_code = '{AREA_DISTRICT}'"
    );
    let (total, total_investment_cny): (i64, i64) = sqlx::query_as(AssertSqlSafe(totals))
        .fetch_one(pool)
        .await?;
    let page = format!(
        "SELECT p.id, p.name, p.kind, p.stage, p.maturity, p.stage_date, p.signed_on, p.investor, p.summary, \
         p.currency, p.investment_orig, p.usd_rate, p.rate_date, p.investment_cny, p.arrived, p.origin, \
         p.origin_detail, p.industry_id, i.name AS industry_name, p.chain_id, c.name AS chain_name, p.flags, \
         p.district_code, d.name AS district_name, p.platform_id, pl.name AS platform_name, p.land_mu_x100, \
         p.leader_id, l.name AS leader_name, p.unit_id, u.name AS unit_name, p.promoter, p.commissioner, \
         p.signing_event_id, se.name AS signing_event_name, p.project_code, p.version, p.created_at, p.updated_at \
         FROM projects p JOIN districts d ON d.code = p.district_code \
         LEFT JOIN platforms pl ON pl.id = p.platform_id LEFT JOIN industries i ON i.id = p.industry_id \
         LEFT JOIN chains c ON c.id = p.chain_id LEFT JOIN leaders l ON l.id = p.leader_id \
         LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN signing_events se ON se.id = p.signing_event_id \
         WHERE p.district_code = '{AREA_DISTRICT}' ORDER BY p.updated_at DESC, p.id DESC LIMIT 20"
    );
    let items: Vec<ProjectRow> = sqlx::query_as(AssertSqlSafe(page)).fetch_all(pool).await?;
    Ok(ProjectPage {
        total,
        total_investment_cny,
        page: 1,
        per_page: 20,
        items,
    })
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Measured {
    figure: Figure,
    summary: String,
    store: (Duration, Duration),
    hand: (Duration, Duration),
}

async fn measure(
    figure: Figure,
    store: &Store,
    pool: &AnyPool,
    runs: usize,
) -> anyhow::Result<Measured> {
    // Once, untimed: the summaries the store and the hand SQL read agree with the rows.
    let (from_store, from_rows) = (
        figure.store(store).await?,
        figure.base(pool, store.engine()).await?,
    );
    if from_store != from_rows {
        bail!(
            "{}：store 与直接由月报、阶段记录计算的结果不一致\nstore: {from_store:#?}\n原始数据: {from_rows:#?}",
            figure.name()
        );
    }
    let (mut s, mut h) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut summary = String::new();
    for i in 0..runs + 2 {
        // Alternate which goes first, so neither always finds the cache warmed by the other.
        let (a, b, ta, tb) = if i % 2 == 0 {
            let t = Instant::now();
            let a = figure.store(store).await?;
            let ta = t.elapsed();
            let t = Instant::now();
            let b = figure.hand(pool).await?;
            (a, b, ta, t.elapsed())
        } else {
            let t = Instant::now();
            let b = figure.hand(pool).await?;
            let tb = t.elapsed();
            let t = Instant::now();
            let a = figure.store(store).await?;
            (a, b, t.elapsed(), tb)
        };
        if a != b {
            bail!(
                "{}：store 与手写 SQL 结果不一致\nstore: {a:#?}\n手写:  {b:#?}",
                figure.name()
            );
        }
        summary = a.summary();
        if i >= 2 {
            s.push(ta);
            h.push(tb);
        }
    }
    s.sort();
    h.sort();
    Ok(Measured {
        figure,
        summary,
        store: (percentile(&s, 50), percentile(&s, 95)),
        hand: (percentile(&h, 50), percentile(&h, 95)),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `HEZUO_BENCH_LOG=sqlx::query=debug` shows every statement with its time.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEZUO_BENCH_LOG")
                .unwrap_or_else(|_| "error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if args.runs < 1 {
        bail!("--runs 应为正整数");
    }
    let store = Store::connect(&args.db)
        .await
        .with_context(|| format!("无法打开数据库 {}", args.db))?;
    let pool = store.pool().clone();
    if let Some(mib) = args.sqlite_mmap_mib {
        if store.engine() != Engine::Sqlite {
            bail!("--sqlite-mmap-mib 只适用于 SQLite");
        }
        // Hold every connection the pool may open at once, so each gets the setting.
        let mut held = Vec::new();
        for _ in 0..pool.options().get_max_connections() {
            held.push(pool.acquire().await?);
        }
        for conn in &mut held {
            sqlx::query(AssertSqlSafe(format!(
                "PRAGMA mmap_size = {}",
                mib * 1024 * 1024
            )))
            .execute(&mut **conn)
            .await?;
        }
    }
    let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(&pool)
        .await?;
    let reports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM monthly_progress")
        .fetch_one(&pool)
        .await?;
    if projects == 0 {
        bail!("数据库中没有项目：请先运行 hezuo bench-data");
    }
    let engine = match store.engine() {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    };
    println!(
        "{engine}：{projects} 个项目，{reports} 条月报；每项 {} 次计时（另预热 2 次），统计期 {YEAR} 年 1—{MONTH} 月{}",
        args.runs,
        args.sqlite_mmap_mib.map_or(String::new(), |m| format!(
            "；连接池每个连接 PRAGMA mmap_size = {m} MiB"
        ))
    );
    println!();
    println!(
        "| figure | answer | store p50 ms | store p95 ms | hand p50 ms | hand p95 ms | ratio p50 | ratio p95 | goal |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");
    let mut missed = 0;
    let chosen = Figure::ALL
        .into_iter()
        .filter(|f| args.only.as_deref().is_none_or(|o| f.name().contains(o)));
    for figure in chosen {
        let m = measure(figure, &store, &pool, args.runs).await?;
        let ratio50 = ms(m.store.0) / ms(m.hand.0);
        let ratio95 = ms(m.store.1) / ms(m.hand.1);
        let fast = ms(m.store.1) < args.goal_ms as f64;
        let close = ratio50 <= args.max_ratio;
        let verdict = match (fast, close) {
            (true, true) => "met".to_string(),
            (false, true) => format!("MISSED p95 ≥ {} ms", args.goal_ms),
            (true, false) => format!("MISSED ratio > {}", args.max_ratio),
            (false, false) => format!(
                "MISSED p95 ≥ {} ms and ratio > {}",
                args.goal_ms, args.max_ratio
            ),
        };
        if !(fast && close) {
            missed += 1;
        }
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.2} | {verdict} |",
            m.figure.name(),
            m.summary,
            ms(m.store.0),
            ms(m.store.1),
            ms(m.hand.0),
            ms(m.hand.1),
            ratio50,
            ratio95,
        );
    }
    println!();
    println!(
        "所有结果与手写 SQL、与直接由月报和阶段记录计算的结果一致。目标：store p95 < {} ms 且 store/手写（中位数）≤ {}：{}",
        args.goal_ms,
        args.max_ratio,
        if missed == 0 {
            "全部达标".to_string()
        } else {
            format!("{missed} 项未达标")
        }
    );
    store.close().await;
    Ok(())
}
