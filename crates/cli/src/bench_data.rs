//! `hezuo bench-data`: fills an empty, migrated database with a synthetic city at scale (the
//! five Huzhou districts, N projects with dated stage histories, two or more years of annual
//! plans and monthly reports, list entries), for the benchmark in `bench/`.
//!
//! Going through the store row by row would take hours at 100k projects × 24 months, so rows
//! are written as multi-row INSERTs with literal values inside large transactions. Every text
//! is generated here from fixed vocabularies; [`lit`] still quotes it properly. The same seed
//! gives the same database on either engine.

use anyhow::{Context, bail};
use chrono::{Datelike, Duration, NaiveDate};
use hezuo_domain::{Flag, Kind, Maturity, Origin, Stage};
use hezuo_store::{Engine, Store};
use sqlx::{AnyConnection, AssertSqlSafe, Connection};
use std::fmt::Write;
use std::time::Instant;

/// The first year of plans and monthly reports; `months` count from its January.
const FIRST_YEAR: i32 = 2023;
/// Rows per INSERT statement. Values are literals, so SQLite's bind-parameter limit does not
/// apply; 500 keeps each statement small enough to parse quickly on both engines.
const ROWS_PER_INSERT: usize = 500;
/// Projects generated (and their rows written) together; a transaction holds several blocks.
const PROJECTS_PER_BLOCK: i64 = 1000;
const BLOCKS_PER_TRANSACTION: i64 = 20;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub projects: i64,
    pub months: u32,
    pub seed: u64,
}

/// (code, name, short name for project names)
const DISTRICTS: &[(&str, &str, &str)] = &[
    ("330502", "吴兴区", "吴兴"),
    ("330503", "南浔区", "南浔"),
    ("330521", "德清县", "德清"),
    ("330522", "长兴县", "长兴"),
    ("330523", "安吉县", "安吉"),
];
/// Relative share of projects per district, in the order above.
const DISTRICT_WEIGHTS: &[u64] = &[22, 16, 20, 24, 18];
/// (id, code, name, district): platform `i` belongs to district `i`.
const PLATFORMS: &[(i64, &str, &str, &str)] = &[
    (1, "NTH", "南太湖新区", "330502"),
    (2, "SHQ", "上合区", "330503"),
    (3, "GXQ", "湖州莫干山高新区", "330521"),
    (4, "CHQ", "长三角（湖州）产业合作区", "330522"),
    (5, "AJK", "安吉经济开发区", "330523"),
];
const INDUSTRIES: &[(i64, &str)] = &[
    (1, "数字经济"),
    (2, "高端装备"),
    (3, "新材料"),
    (4, "生命健康"),
    (5, "绿色家居"),
];
/// (id, name, industry id)
const CHAINS: &[(i64, &str, i64)] = &[
    (1, "半导体及光电", 1),
    (2, "软件和信息服务", 1),
    (3, "智能装备", 2),
    (4, "新能源汽车及关键零部件", 2),
    (5, "先进高分子材料", 3),
    (6, "锂电新能源", 3),
    (7, "生物医药", 4),
    (8, "医疗器械", 4),
    (9, "绿色家居", 5),
    (10, "竹产业", 5),
];
const LISTS: &[(i64, &str)] = &[
    (1, "省长三角一体化重大项目"),
    (2, "省重大项目"),
    (3, "市重点项目"),
];
const LEADERS: &[(i64, &str, &str)] = &[
    (1, "王建国", "市长"),
    (2, "李明华", "常务副市长"),
    (3, "张卫东", "副市长"),
    (4, "陈晓燕", "副市长"),
];
const UNITS: &[(i64, &str, &str)] = &[
    (1, "FGW", "市发展改革委"),
    (2, "JXJ", "市经信局"),
    (3, "SWJ", "市商务局"),
    (4, "KJJ", "市科技局"),
];
/// (origin, weight, the investor's city in generated names)
const ORIGINS: &[(Origin, u64, &str)] = &[
    (Origin::Shanghai, 30, "上海"),
    (Origin::Jiangsu, 16, "苏州"),
    (Origin::Anhui, 6, "合肥"),
    (Origin::Province, 20, "杭州"),
    (Origin::Local, 10, "湖州"),
    (Origin::Domestic, 13, "深圳"),
    (Origin::Abroad, 5, "新加坡"),
];
const COMPANY_WORDS: &[&str] = &[
    "科技",
    "智能装备",
    "新材料",
    "生物医药",
    "新能源",
    "电子",
    "精密制造",
    "数字科技",
];
const IMAGE_PROGRESS: &[&str] = &[
    "前期手续办理",
    "土地平整",
    "桩基施工",
    "主体结构施工",
    "厂房封顶",
    "设备安装调试",
    "试生产",
];
/// Agreed investment buckets in 万元 (from, to) with their weights: mostly below 1亿, a long
/// tail up to 200亿, so every tier (≥1/3/5/10/20/50/100亿) has projects.
const INVESTMENT_BUCKETS: &[(i64, i64, u64)] = &[
    (2_000, 5_000, 250),
    (5_000, 10_000, 200),
    (10_000, 30_000, 220),
    (30_000, 50_000, 120),
    (50_000, 100_000, 100),
    (100_000, 200_000, 60),
    (200_000, 500_000, 35),
    (500_000, 1_000_000, 10),
    (1_000_000, 2_000_000, 5),
];
/// How far a project gets (lead … full production), before the data's end truncates it.
const TARGET_STAGE_WEIGHTS: &[u64] = &[8, 10, 20, 32, 12, 10, 8];
/// Days from one stage to the next (lead→negotiating, …, producing→full production).
const STAGE_GAPS: &[(i64, i64)] = &[
    (15, 120),
    (30, 240),
    (30, 300),
    (180, 720),
    (10, 120),
    (90, 540),
];

/// SplitMix64: small, fast and fully determined by the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    fn index(&mut self, len: usize) -> usize {
        (self.next() % len as u64) as usize
    }

    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut r = self.next() % weights.iter().sum::<u64>();
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

/// A SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt_lit(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_string(), lit)
}

fn opt_int(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".to_string(), |v| v.to_string())
}

fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A multi-row INSERT being filled; written out every [`ROWS_PER_INSERT`] rows.
struct Insert {
    head: &'static str,
    sql: String,
    rows: usize,
    /// Rows a statement holds before it is written.
    capacity: usize,
    total: u64,
}

impl Insert {
    fn new(head: &'static str) -> Insert {
        Insert::with_capacity(head, ROWS_PER_INSERT)
    }

    fn with_capacity(head: &'static str, capacity: usize) -> Insert {
        Insert {
            head,
            sql: String::new(),
            rows: 0,
            capacity,
            total: 0,
        }
    }

    /// Appends one row's values (without parentheses), writing the statement when full.
    async fn row(&mut self, conn: &mut AnyConnection, values: &str) -> anyhow::Result<()> {
        if self.rows == 0 {
            self.sql.push_str(self.head);
            self.sql.push_str(" VALUES (");
        } else {
            self.sql.push_str(", (");
        }
        self.sql.push_str(values);
        self.sql.push(')');
        self.rows += 1;
        if self.rows >= self.capacity {
            self.flush(conn).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let sql = std::mem::take(&mut self.sql);
        sqlx::raw_sql(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .with_context(|| format!("写入失败：{}", self.head))?;
        self.total += self.rows as u64;
        self.rows = 0;
        Ok(())
    }
}

/// What the second pass needs to know of a generated project.
struct Generated {
    id: i64,
    /// The project's district, written on its plans (migration 0016).
    district: &'static str,
    investment: i64,
    history: Vec<(Stage, NaiveDate)>,
    planned: bool,
}

impl Generated {
    fn reached(&self, stage: Stage) -> Option<NaiveDate> {
        self.history
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, d)| *d)
    }
}

/// The calendar the data covers: monthly reports from January of [`FIRST_YEAR`] for `months`
/// months; nothing is dated after the last of them.
struct Calendar {
    months: u32,
    years: Vec<i32>,
    end: NaiveDate,
}

impl Calendar {
    fn new(months: u32) -> Calendar {
        let last = months - 1;
        let (year, month) = (FIRST_YEAR + (last / 12) as i32, last % 12 + 1);
        let first_of_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .expect("valid month");
        Calendar {
            months,
            years: (FIRST_YEAR..=year).collect(),
            end: first_of_next - Duration::days(1),
        }
    }

    fn month(&self, k: u32) -> (i32, u32) {
        (FIRST_YEAR + (k / 12) as i32, k % 12 + 1)
    }
}

pub async fn run(store: &Store, opts: Options) -> anyhow::Result<()> {
    if opts.projects < 1 {
        bail!("--projects 应为正整数");
    }
    if !(1..=120).contains(&opts.months) {
        bail!("--months 应在 1—120 之间（从 {FIRST_YEAR} 年 1 月起算）");
    }
    let started = Instant::now();
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
        .fetch_one(store.pool())
        .await?;
    if existing > 0 {
        bail!(
            "数据库中已有 {existing} 个项目：bench-data 只填充空数据库，请用 --db 指定一个新的数据库"
        );
    }
    let districts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts")
        .fetch_one(store.pool())
        .await?;
    if districts > 0 {
        bail!(
            "数据库中已有区县等字典数据：bench-data 只填充空数据库，请用 --db 指定一个新的数据库"
        );
    }

    let mut conn = store.pool().acquire().await?;
    let conn: &mut AnyConnection = &mut conn;
    if store.engine() == Engine::Sqlite {
        // A large page cache keeps the indexes being built in memory (this connection only).
        sqlx::raw_sql("PRAGMA cache_size = -262144")
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::raw_sql("SET synchronous_commit = off")
            .execute(&mut *conn)
            .await?;
    }

    write_fixture(conn).await?;
    let calendar = Calendar::new(opts.months);
    let mut rng = Rng(opts.seed);
    let mut projects = Insert::new(
        "INSERT INTO projects (id, name, kind, stage, maturity, stage_date, signed_on, investor, summary, currency, \
         investment_orig, usd_rate, rate_date, investment_cny, arrived, origin, origin_detail, industry_id, chain_id, \
         flags, district_code, platform_id, land_mu_x100, leader_id, unit_id, promoter, commissioner, \
         signing_event_id, project_code, version, created_at, updated_at)",
    );
    let mut changes = Insert::new(
        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, user_id, created_at)",
    );
    let mut lists = Insert::new("INSERT INTO project_list_entries (project_id, list_id, year)");
    // A block's plans are written after its reports (below), so each plan's trigger sums its
    // reports once instead of every report rewriting its plan's sums (migration 0004), and after
    // its stage changes, so each plan copies its project's 开工/竣工 dates as they are (0017).
    let mut plans = Insert::with_capacity(
        "INSERT INTO annual_plans (project_id, year, district_code, started_on, completed_on, planned, planned_start, \
         planned_completion, version, updated_at)",
        usize::MAX,
    );
    let mut reports = Insert::new(
        "INSERT INTO monthly_progress (project_id, year, month, invested, image_progress, coordination, status, \
         return_reason, submitted_by, submitted_at, reviewed_by, reviewed_at, version)",
    );

    let mut tx = conn.begin().await?;
    let mut next_id = 1;
    let mut block = 0;
    while next_id <= opts.projects {
        let last = (next_id + PROJECTS_PER_BLOCK - 1).min(opts.projects);
        // Pass 1: the projects themselves, written before anything that refers to them.
        let mut generated = Vec::with_capacity(PROJECTS_PER_BLOCK as usize);
        for id in next_id..=last {
            let (values, g) = project_row(&mut rng, id, &calendar);
            projects.row(&mut tx, &values).await?;
            generated.push(g);
        }
        projects.flush(&mut tx).await?;
        // Pass 2: history, lists, plans and monthly reports.
        for g in &generated {
            dependents(
                &mut rng,
                g,
                &calendar,
                &mut tx,
                &mut changes,
                &mut lists,
                &mut plans,
                &mut reports,
            )
            .await?;
        }
        for insert in [&mut changes, &mut lists, &mut reports, &mut plans] {
            insert.flush(&mut tx).await?;
        }
        next_id = last + 1;
        block += 1;
        if block % BLOCKS_PER_TRANSACTION == 0 {
            tx.commit().await?;
            tx = conn.begin().await?;
            eprint!(
                "\r已写入 {} / {} 个项目（{:.0} 秒）",
                last,
                opts.projects,
                started.elapsed().as_secs_f64()
            );
        }
    }
    tx.commit().await?;
    eprintln!();
    let loaded = started.elapsed();

    if store.engine() == Engine::Postgres {
        // Ids were written explicitly: move the identity sequences past them.
        for table in [
            "districts",
            "platforms",
            "industries",
            "chains",
            "lists",
            "leaders",
            "units",
            "projects",
        ] {
            sqlx::raw_sql(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )))
            .execute(&mut *conn)
            .await?;
        }
    }
    // Fresh statistics for the query planner (and on PostgreSQL the visibility map that lets
    // index-only scans skip the table), as autovacuum or `PRAGMA optimize` would gather them on
    // a database that grew to this size.
    let analyze = Instant::now();
    let analyze_sql = match store.engine() {
        Engine::Sqlite => "ANALYZE",
        Engine::Postgres => "VACUUM ANALYZE",
    };
    sqlx::raw_sql(analyze_sql).execute(&mut *conn).await?;

    println!("已生成测试数据（种子 {}）：", opts.seed);
    println!(
        "  区县 {} 个，平台 {} 个，产业 {} 个，产业链 {} 个，清单 {} 个，领导 {} 位，责任单位 {} 个",
        DISTRICTS.len(),
        PLATFORMS.len(),
        INDUSTRIES.len(),
        CHAINS.len(),
        LISTS.len(),
        LEADERS.len(),
        UNITS.len()
    );
    println!("  项目 {:>10}", projects.total);
    println!("  阶段变更 {:>8}", changes.total);
    println!("  清单条目 {:>8}", lists.total);
    println!(
        "  年度计划 {:>8}（{} 年）",
        plans.total,
        calendar
            .years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join("、")
    );
    let (ly, lm) = calendar.month(calendar.months - 1);
    println!(
        "  月报 {:>12}（{FIRST_YEAR}-01 至 {ly}-{lm:02}）",
        reports.total
    );
    println!(
        "用时：写入 {:.1} 秒，{analyze_sql} {:.1} 秒，共 {:.1} 秒",
        loaded.as_secs_f64(),
        analyze.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn write_fixture(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let mut sql = String::new();
    let rows = |items: Vec<String>| items.join(", ");
    let _ = writeln!(
        sql,
        "INSERT INTO districts (id, code, name) VALUES {};",
        rows(
            DISTRICTS
                .iter()
                .enumerate()
                .map(|(i, (code, name, _))| format!("({}, {}, {})", i + 1, lit(code), lit(name)))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO platforms (id, code, name, district_code) VALUES {};",
        rows(
            PLATFORMS
                .iter()
                .map(|(id, code, name, d)| format!(
                    "({id}, {}, {}, {})",
                    lit(code),
                    lit(name),
                    lit(d)
                ))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO industries (id, name) VALUES {};",
        rows(
            INDUSTRIES
                .iter()
                .map(|(id, name)| format!("({id}, {})", lit(name)))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO chains (id, name, industry_id) VALUES {};",
        rows(
            CHAINS
                .iter()
                .map(|(id, name, ind)| format!("({id}, {}, {ind})", lit(name)))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO lists (id, name) VALUES {};",
        rows(
            LISTS
                .iter()
                .map(|(id, name)| format!("({id}, {})", lit(name)))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO leaders (id, name, title) VALUES {};",
        rows(
            LEADERS
                .iter()
                .map(|(id, name, title)| format!("({id}, {}, {})", lit(name), lit(title)))
                .collect()
        )
    );
    let _ = writeln!(
        sql,
        "INSERT INTO units (id, code, name) VALUES {};",
        rows(
            UNITS
                .iter()
                .map(|(id, code, name)| format!("({id}, {}, {})", lit(code), lit(name)))
                .collect()
        )
    );
    let mut tx = conn.begin().await?;
    sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A stage history from a lead date forward, cut at the calendar's end; sometimes terminated.
fn history(rng: &mut Rng, calendar: &Calendar) -> Vec<(Stage, NaiveDate)> {
    let earliest = NaiveDate::from_ymd_opt(2018, 1, 1).expect("valid date");
    let span = (calendar.end - earliest).num_days() - 30;
    let mut date = earliest + Duration::days(rng.range(0, span));
    let target = rng.weighted(TARGET_STAGE_WEIGHTS);
    let mut history = vec![(Stage::Lead, date)];
    for (i, (lo, hi)) in STAGE_GAPS.iter().enumerate().take(target) {
        date += Duration::days(rng.range(*lo, *hi));
        if date > calendar.end {
            break;
        }
        history.push((Stage::ALL[i + 1], date));
    }
    let current = history.last().expect("a lead").0;
    if current < Stage::Completed && rng.chance(40) {
        let ended = date + Duration::days(rng.range(30, 300));
        if ended <= calendar.end {
            history.push((Stage::Terminated, ended));
        }
    }
    history
}

fn project_row(rng: &mut Rng, id: i64, calendar: &Calendar) -> (String, Generated) {
    let history = history(rng, calendar);
    let (stage, stage_date) = *history.last().expect("a lead");
    let signed_on = history
        .iter()
        .find(|(s, _)| *s == Stage::Signed)
        .map(|(_, d)| *d);
    let d = rng.weighted(DISTRICT_WEIGHTS);
    let (district, _, short) = DISTRICTS[d];
    let platform = rng.chance(500).then_some(PLATFORMS[d].0);
    let kind = if rng.chance(700) {
        Kind::Industrial
    } else {
        Kind::ALL[rng.index(Kind::ALL.len())]
    };
    let (chain, industry) = if rng.chance(850) {
        let (cid, _, ind) = CHAINS[rng.index(CHAINS.len())];
        (Some(cid), Some(ind))
    } else {
        (None, None)
    };
    let o = rng.weighted(&ORIGINS.iter().map(|o| o.1).collect::<Vec<_>>());
    let (origin, _, city) = ORIGINS[o];
    let (lo, hi, _) = INVESTMENT_BUCKETS
        [rng.weighted(&INVESTMENT_BUCKETS.iter().map(|b| b.2).collect::<Vec<_>>())];
    let wan = rng.range(lo, hi);
    // Foreign capital is agreed in US dollars at a fixed rate; the yuan amount follows from it.
    let (currency, orig, usd_rate, rate_date, investment) =
        if origin == Origin::Abroad && rng.chance(600) {
            let usd = wan * 10_000 * 10_000 / 71_884;
            let usd = usd / 10_000 * 10_000;
            (
                "USD",
                usd,
                Some(71_884),
                signed_on.or(Some(stage_date)),
                usd * 71_884 / 10_000,
            )
        } else {
            ("CNY", wan * 10_000, None, None, wan * 10_000)
        };
    let arrived = if stage >= Stage::Started && stage != Stage::Terminated {
        investment / 100 * rng.range(10, 90)
    } else {
        0
    };
    let maturity =
        (stage == Stage::Negotiating).then(|| Maturity::ALL[rng.index(Maturity::ALL.len())].code());
    let flags = if rng.chance(120) {
        Flag::ALL[rng.index(Flag::ALL.len())].code()
    } else {
        ""
    };
    let land = (kind == Kind::Industrial && rng.chance(700)).then(|| rng.range(10, 500) * 100);
    let leader = rng.chance(150).then(|| LEADERS[rng.index(LEADERS.len())].0);
    let unit = rng.chance(400).then(|| UNITS[rng.index(UNITS.len())].0);
    let chain_word = chain.map_or(kind.label(), |c| CHAINS[(c - 1) as usize].1);
    let name = format!("{short}{chain_word}项目{id:07}");
    let investor = format!(
        "{city}{}有限公司{:04}",
        COMPANY_WORDS[rng.index(COMPANY_WORDS.len())],
        rng.range(1, 9999)
    );
    let created = format!("{}T09:00:00Z", history[0].1);
    let updated = format!(
        "{stage_date}T{:02}:{:02}:{:02}Z",
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59)
    );
    let planned = signed_on.is_some() && rng.chance(900);
    let values = format!(
        "{id}, {}, {}, {}, {}, {}, {}, {}, '', {}, {orig}, {}, {}, {investment}, {arrived}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '', '', NULL, NULL, 1, {}, {}",
        lit(&name),
        lit(kind.code()),
        lit(stage.code()),
        opt_lit(maturity),
        lit(&stage_date.to_string()),
        opt_lit(signed_on.map(|d| d.to_string()).as_deref()),
        lit(&investor),
        lit(currency),
        opt_int(usd_rate),
        opt_lit(rate_date.map(|d| d.to_string()).as_deref()),
        lit(origin.code()),
        // The form asks a foreign investor's country (境外项目请填写国家或地区).
        lit(if origin == Origin::Abroad { city } else { "" }),
        opt_int(industry),
        opt_int(chain),
        lit(flags),
        lit(district),
        opt_int(platform),
        opt_int(land),
        opt_int(leader),
        opt_int(unit),
        lit(&created),
        lit(&updated),
    );
    (
        values,
        Generated {
            id,
            district,
            investment,
            history,
            planned,
        },
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "one buffer per table being filled"
)]
async fn dependents(
    rng: &mut Rng,
    g: &Generated,
    calendar: &Calendar,
    conn: &mut AnyConnection,
    changes: &mut Insert,
    lists: &mut Insert,
    plans: &mut Insert,
    reports: &mut Insert,
) -> anyhow::Result<()> {
    let mut from: Option<Stage> = None;
    for (stage, date) in &g.history {
        let reason = (*stage == Stage::Terminated).then_some("投资方调整战略，项目终止");
        changes
            .row(
                conn,
                &format!(
                    "{}, {}, {}, {}, {}, NULL, {}",
                    g.id,
                    opt_lit(from.map(Stage::code)),
                    lit(stage.code()),
                    lit(&date.to_string()),
                    opt_lit(reason),
                    lit(&format!("{date}T10:00:00Z")),
                ),
            )
            .await?;
        from = Some(*stage);
    }

    for year in &calendar.years {
        let on = |rng: &mut Rng, planned: u64, other: u64| {
            rng.chance(if g.planned { planned } else { other })
        };
        for (list, planned, other) in [(1, 100, 0), (2, 200, 0), (3, 300, 30)] {
            if on(rng, planned, other) {
                lists
                    .row(conn, &format!("{}, {list}, {year}", g.id))
                    .await?;
            }
        }
    }
    if !g.planned {
        return Ok(());
    }

    let signed = g
        .reached(Stage::Signed)
        .expect("planned projects are signed");
    let started = g.reached(Stage::Started);
    let completed = g.reached(Stage::Completed);
    let terminated = g.reached(Stage::Terminated);
    // A plan for each year from the signing on, until a termination in an earlier year.
    let mut yearly = vec![None; calendar.years.len()];
    for (slot, year) in yearly.iter_mut().zip(&calendar.years) {
        if signed.year() > *year || terminated.is_some_and(|d| d.year() < *year) {
            continue;
        }
        let planned = (g.investment / 100 * rng.range(8, 35) / 10_000 * 10_000).max(100_000);
        let in_year = |d: Option<NaiveDate>| d.filter(|d| d.year() == *year);
        let random_month = |rng: &mut Rng| format!("{year:04}-{:02}", rng.range(1, 12));
        let planned_start = match in_year(started) {
            Some(d) if rng.chance(850) => Some(month_text(d)),
            Some(_) => None,
            None if started.is_none_or(|d| d.year() > *year) && rng.chance(400) => {
                Some(random_month(rng))
            }
            None => None,
        };
        let planned_completion = match in_year(completed) {
            Some(d) if rng.chance(800) => Some(month_text(d)),
            Some(_) => None,
            None if started.is_some_and(|d| d.year() < *year)
                && completed.is_none_or(|d| d.year() > *year)
                && rng.chance(250) =>
            {
                Some(random_month(rng))
            }
            None => None,
        };
        plans
            .row(
                conn,
                &format!(
                    "{id}, {year}, {}, (SELECT started_on FROM projects WHERE id = {id}), \
                     (SELECT completed_on FROM projects WHERE id = {id}), {planned}, {}, {}, 1, {}",
                    lit(g.district),
                    opt_lit(planned_start.as_deref()),
                    opt_lit(planned_completion.as_deref()),
                    lit(&format!("{year}-01-15T08:00:00Z")),
                    id = g.id,
                ),
            )
            .await?;
        // The project's pace this year: 50%–140% of an even twelfth per month.
        *slot = Some((planned, rng.range(50, 140)));
    }

    // Monthly reports in planned years, from the month of signing on.
    for k in 0..calendar.months {
        let (year, month) = calendar.month(k);
        let Some((planned, pace)) = yearly[(year - FIRST_YEAR) as usize] else {
            continue;
        };
        if (year, month) < (signed.year(), signed.month()) || rng.chance(20) {
            continue; // a report never filed
        }
        let invested = planned / 12 * pace / 100 * rng.range(70, 130) / 100 / 10_000 * 10_000;
        let (ry, rm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let submitted = format!("{ry:04}-{rm:02}-{:02}T02:00:00Z", rng.range(1, 14));
        let reviewed = format!("{ry:04}-{rm:02}-{:02}T06:00:00Z", rng.range(15, 20));
        let (status, reason, reviewed) = match rng.next() % 100 {
            0..=2 => (
                "returned",
                Some("投资额与形象进度不符，请核实后重报"),
                Some(reviewed),
            ),
            3..=4 => ("submitted", None, None),
            _ => ("accepted", None, Some(reviewed)),
        };
        reports
            .row(
                conn,
                &format!(
                    "{}, {year}, {month}, {invested}, {}, '', {}, {}, NULL, {}, NULL, {}, 1",
                    g.id,
                    lit(IMAGE_PROGRESS[rng.index(IMAGE_PROGRESS.len())]),
                    lit(status),
                    opt_lit(reason),
                    lit(&submitted),
                    opt_lit(reviewed.as_deref()),
                ),
            )
            .await?;
    }
    Ok(())
}
