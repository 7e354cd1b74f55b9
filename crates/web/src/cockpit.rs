//! 领导驾驶舱: KPI cards, charts drawn on the server as SVG, the most lagging projects and the
//! open blocking factors, for any scope and period; every figure drills down to its projects.
//! The numbers come from the same store queries as `/api/v1/stats/*`.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::charts::{self, bar_color};
use crate::error::AppError;
use crate::form::parse_query;
use crate::progress::last_month;
use crate::stats::{InvestmentJson, StatsParams, province_reference};
use crate::views::{CITY, Lookups, Opt, html, rate_text, wan_display};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use hezuo_domain::figures::{self, Light};
use hezuo_domain::{BlockerKind, Month, TierConfig, Yuan};
use hezuo_office::chart::{CellColor, GridCell, GridMap};
use hezuo_store::stats::{Figure, GroupBy, InvestmentStats, Period, ProjectProgress};

/// Where a district sits on the schematic grid (示意图, not a map): Huzhou's five by their
/// rough position, any other district after them.
fn grid_position(code: &str, index: usize) -> (u8, u8) {
    match code {
        "330522" => (0, 0),
        "330502" => (0, 1),
        "330503" => (0, 2),
        "330523" => (1, 0),
        "330521" => (1, 1),
        _ => (2 + (index / 3) as u8, (index % 3) as u8),
    }
}

/// One KPI card.
pub struct Card {
    title: &'static str,
    value: String,
    detail: String,
    /// ahead / normal / behind / "" for the value's colour.
    tone: &'static str,
    href: String,
}

/// A project row of the lagging table and the drill-down.
pub struct ProgressView {
    id: i64,
    name: String,
    district: String,
    planned: String,
    completed: String,
    rate: String,
    light: &'static str,
    light_code: &'static str,
}

impl ProgressView {
    fn new(p: &ProjectProgress, month: u32) -> ProgressView {
        let light = p.light(month);
        ProgressView {
            id: p.id,
            name: p.name.clone(),
            district: p.district_name.clone(),
            planned: wan_display(p.planned),
            completed: wan_display(p.completed),
            rate: figures::completion_rate(Yuan(p.completed), Yuan(p.planned))
                .map_or("—".into(), |r| r.percent_text()),
            light: light.map_or("", Light::label),
            light_code: light.map_or("", Light::code),
        }
    }
}

/// The scope and period selector, with the current choice marked.
pub struct Selector {
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
}

fn selectors(params: &StatsParams, period: Period, lookups: &Lookups) -> Vec<Selector> {
    let s =
        |name: &'static str, label: &'static str, blank: &str, opts: &[Opt], current: String| {
            Selector {
                name,
                label,
                options: std::iter::once((String::new(), blank.to_string(), current.is_empty()))
                    .chain(
                        opts.iter()
                            .map(|o| (o.value.clone(), o.label.clone(), o.value == current)),
                    )
                    .collect(),
            }
        };
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let months: Vec<Opt> = (1..=12)
        .map(|m| Opt {
            value: m.to_string(),
            label: format!("1—{m}月"),
        })
        .collect();
    let this_year = crate::progress::this_month().year;
    let years: Vec<Opt> = (2020..=this_year)
        .rev()
        .map(|y| Opt {
            value: y.to_string(),
            label: format!("{y}年"),
        })
        .collect();
    vec![
        Selector {
            options: years
                .iter()
                .map(|o| {
                    (
                        o.value.clone(),
                        o.label.clone(),
                        o.value == period.year.to_string(),
                    )
                })
                .collect(),
            ..s("year", "年度", "", &[], String::new())
        },
        Selector {
            options: months
                .iter()
                .map(|o| {
                    (
                        o.value.clone(),
                        o.label.clone(),
                        o.value == period.month.to_string(),
                    )
                })
                .collect(),
            ..s("month", "截至", "", &[], String::new())
        },
        s(
            "district",
            "区县",
            // A liaison's "all" is its own area, not the city.
            if lookups.whole == CITY {
                CITY
            } else {
                "全部"
            },
            &lookups.districts,
            params.district.clone().unwrap_or_default(),
        ),
        s(
            "platform",
            "平台",
            "全部",
            &lookups.platforms,
            id(params.platform),
        ),
        s("list", "清单", "全部", &lookups.lists, id(params.list)),
        s("chain", "产业链", "全部", &lookups.chains, id(params.chain)),
        s(
            "leader",
            "联系领导",
            "全部",
            &lookups.leaders,
            id(params.leader),
        ),
    ]
}

/// The query string for the same scope and period (for links), without a leading `?`.
fn scope_query(params: &StatsParams, period: Period) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("year", &period.year.to_string())
        .append_pair("month", &period.month.to_string());
    if let Some(d) = &params.district {
        q.append_pair("district", d);
    }
    for (k, v) in [
        ("platform", params.platform),
        ("list", params.list),
        ("chain", params.chain),
        ("leader", params.leader),
    ] {
        if let Some(v) = v {
            q.append_pair(k, &v.to_string());
        }
    }
    q.finish()
}

/// The period asked for, else the latest month with reports in scope, else last month.
async fn period_of(
    state: &AppState,
    user: &CurrentUser,
    params: &StatsParams,
) -> Result<Period, AppError> {
    if params.year.is_some() {
        return params.period();
    }
    let latest = state
        .store
        .latest_report_month(&user.viewer)
        .await?
        .unwrap_or_else(last_month);
    Ok(Period::new(
        latest.year,
        Some(params.month.unwrap_or(latest.month)),
    )?)
}

fn scope_label(params: &StatsParams, lookups: &Lookups) -> String {
    let name =
        |opts: &[Opt], v: String| opts.iter().find(|o| o.value == v).map(|o| o.label.clone());
    let mut parts = Vec::new();
    if let Some(d) = params
        .district
        .clone()
        .and_then(|d| name(&lookups.districts, d))
    {
        parts.push(d);
    }
    for (opts, v) in [
        (&lookups.platforms, params.platform),
        (&lookups.lists, params.list),
        (&lookups.chains, params.chain),
        (&lookups.leaders, params.leader),
    ] {
        if let Some(n) = v.and_then(|v| name(opts, v.to_string())) {
            parts.push(n);
        }
    }
    // A liaison's figures are always within its own area: named first unless chosen anyway.
    if parts.is_empty() || (lookups.whole != CITY && !parts.contains(&lookups.whole)) {
        parts.insert(0, lookups.whole.clone());
    }
    parts.join(" · ")
}

#[derive(Template)]
#[template(path = "cockpit/index.html")]
struct CockpitPage {
    chrome: Chrome,
    title: String,
    selectors: Vec<Selector>,
    cards: Vec<Card>,
    district_chart: String,
    line_chart: String,
    tier_chart: String,
    grid_chart: String,
    lagging: Vec<ProgressView>,
    blockers: Vec<(String, usize)>,
    scope: String,
    /// The same scope and period as a workbook.
    export: String,
}

fn yi(yuan: i64) -> String {
    Yuan(yuan).to_string()
}

fn cards(s: &InvestmentStats, json: &InvestmentJson, signing: (i64, i64), q: &str) -> Vec<Card> {
    let drill = |f: Figure| format!("/cockpit/projects?figure={}&{q}", f.code());
    let tone = |l: Option<Light>| l.map_or("", Light::code);
    let mut completion_detail = format!("完成{}，计划{}", yi(s.completed), yi(s.planned));
    if let Some(v) = &json.versus_province {
        completion_detail.push_str(&format!("；{v}"));
    }
    vec![
        Card {
            title: "年度投资完成率",
            value: rate_text(s.completion_rate()),
            detail: completion_detail,
            tone: tone(s.light()),
            href: drill(Figure::Planned),
        },
        Card {
            title: "时序进度",
            value: s.time_progress().percent_text(),
            detail: format!("{}个项目有年度计划", s.projects),
            tone: "",
            href: drill(Figure::Planned),
        },
        Card {
            title: "进度滞后项目",
            value: format!("{}个", s.lights.behind),
            detail: format!("超前{}个，正常{}个", s.lights.ahead, s.lights.normal),
            tone: if s.lights.behind > 0 { "behind" } else { "" },
            href: drill(Figure::Behind),
        },
        Card {
            title: "开工率",
            value: rate_text(s.start_rate()),
            detail: format!("计划开工{}个，已开工{}个", s.planned_start, s.started),
            tone: "",
            href: drill(Figure::NotStarted),
        },
        Card {
            title: "竣工率",
            value: rate_text(s.completion_count_rate()),
            detail: format!(
                "计划竣工{}个，已竣工{}个",
                s.planned_completion, s.completed_projects
            ),
            tone: "",
            href: drill(Figure::NotCompleted),
        },
        Card {
            title: "落地率",
            value: rate_text(s.landing_rate()),
            detail: format!("期内签约{}个，已开工{}个", s.signed, s.landed),
            tone: "",
            href: drill(Figure::NotLanded),
        },
        Card {
            title: "完成投资同比",
            value: rate_text(s.year_on_year()),
            detail: s.last_year_completed.map_or("上年同期无数据".into(), |l| {
                format!("上年同期{}", yi(l))
            }),
            tone: "",
            href: drill(Figure::Planned),
        },
        Card {
            title: "签约项目",
            value: format!("{}个", signing.0),
            detail: format!("协议投资{}", yi(signing.1)),
            tone: "",
            href: drill(Figure::Signed),
        },
    ]
}

/// Everything the cockpit shows for one scope and period, read once for the page and its
/// workbook.
struct Figures {
    params: StatsParams,
    period: Period,
    whole: InvestmentStats,
    json: InvestmentJson,
    signing: hezuo_store::stats::SigningStats,
    by_district: Vec<(String, String, InvestmentStats)>,
    monthly: Vec<(u32, i64)>,
    lagging: Vec<ProjectProgress>,
    open: Vec<hezuo_store::progress::BlockerRow>,
    lookups: Lookups,
}

impl Figures {
    async fn load(
        state: &AppState,
        user: &CurrentUser,
        raw: Option<&str>,
    ) -> Result<Figures, AppError> {
        let params: StatsParams = parse_query(raw)?;
        let period = period_of(state, user, &params).await?;
        let filter = params.filter();
        let store = &state.store;
        let viewer = &user.viewer;
        let whole = store.investment_stats(viewer, &filter, period).await?;
        let json = InvestmentJson::new(&whole, province_reference(&state.store, period).await?);
        let signing = store
            .signing_stats(viewer, &filter, period, &state.config.tiers)
            .await?;
        let by_district = store
            .investment_stats_by(viewer, &filter, period, Some(GroupBy::District))
            .await?;
        let monthly = store.monthly_completed(viewer, &filter, period).await?;
        let lagging = store.lagging_projects(viewer, &filter, period, 10).await?;
        // Blocking factors as they stood at the period's end (today, for the running period).
        let as_of = period.as_of(crate::export::beijing_today());
        let open = store.blockers_open_on(viewer, &filter, as_of).await?;
        let lookups = Lookups::load(state, viewer).await?;
        Ok(Figures {
            params,
            period,
            whole,
            json,
            signing,
            by_district,
            monthly,
            lagging,
            open,
            lookups,
        })
    }

    /// Open blocking factors by type, the types with any.
    fn blocker_counts(&self) -> Vec<(String, usize)> {
        BlockerKind::ALL
            .iter()
            .map(|k| {
                (
                    k.label().to_string(),
                    self.open.iter().filter(|b| b.kind == k.code()).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let f = Figures::load(&state, &user, raw.as_deref()).await?;
    let (params, period) = (&f.params, f.period);
    let (whole, json, signing, by_district, monthly) =
        (&f.whole, &f.json, &f.signing, &f.by_district, &f.monthly);
    let q = scope_query(params, period);
    let months = period.month;
    let district_link = |code: &str| {
        let mut p = params.clone();
        p.district = Some(code.to_string());
        format!("/cockpit?{}", scope_query(&p, period))
    };
    let district_chart =
        charts::district_completion(period, by_district, |code| Some(district_link(code))).to_svg();
    let line_chart = charts::cumulative_against_plan(period, whole.planned, monthly).to_svg();
    let tier_chart = charts::signing_tiers(period, signing).to_svg();

    let grid_chart = GridMap {
        title: "各区县投资完成情况示意图".into(),
        cells: by_district
            .iter()
            .enumerate()
            .map(|(i, (code, name, s))| {
                let (row, col) = grid_position(code, i);
                GridCell {
                    label: name.clone(),
                    row,
                    col,
                    value_text: rate_text(s.completion_rate()),
                    color: bar_color(s.light()).map_or(CellColor::NoData, CellColor::Status),
                    href: Some(district_link(code)),
                }
            })
            .collect(),
    }
    .to_svg();

    let blockers = f.blocker_counts();
    let scope = scope_label(params, &f.lookups);
    let page = CockpitPage {
        chrome: Chrome::new(&state, &user, "cockpit"),
        title: format!("{scope} · {}年1—{}月", period.year, months),
        selectors: selectors(params, period, &f.lookups),
        cards: cards(whole, json, (signing.count, signing.investment), &q),
        district_chart,
        line_chart,
        tier_chart,
        grid_chart,
        lagging: f
            .lagging
            .iter()
            .map(|p| ProgressView::new(p, months))
            .collect(),
        blockers,
        scope,
        export: format!("/cockpit/export.xlsx?{q}"),
    };
    Ok(html(&page))
}

#[derive(Template)]
#[template(path = "cockpit/projects.html")]
struct DrillPage {
    chrome: Chrome,
    title: String,
    back: String,
    export: String,
    rows: Vec<ProgressView>,
    others: Vec<(String, &'static str, bool)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct FigureQuery {
    figure: String,
}

/// The projects behind one figure.
pub async fn projects(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: StatsParams = parse_query(raw.as_deref())?;
    let FigureQuery { figure } = parse_query(raw.as_deref())?;
    let figure = Figure::parse(&figure).ok_or(AppError::NotFound)?;
    let period = period_of(&state, &user, &params).await?;
    let rows = state
        .store
        .figure_projects(&user.viewer, &params.filter(), period, figure, 1000)
        .await?;
    let lookups = Lookups::load(&state, &user.viewer).await?;
    let q = scope_query(&params, period);
    let month = Month {
        year: period.year,
        month: period.month,
    };
    let page = DrillPage {
        chrome: Chrome::new(&state, &user, "cockpit"),
        title: format!(
            "{} · {} · {}年1—{}月（{}个）",
            figure.label(),
            scope_label(&params, &lookups),
            month.year,
            month.month,
            rows.len()
        ),
        back: format!("/cockpit?{q}"),
        export: format!("/cockpit/projects/export.xlsx?figure={}&{q}", figure.code()),
        rows: rows
            .iter()
            .map(|p| ProgressView::new(p, period.month))
            .collect(),
        others: Figure::ALL
            .iter()
            .map(|f| {
                (
                    format!("/cockpit/projects?figure={}&{q}", f.code()),
                    f.label(),
                    *f == figure,
                )
            })
            .collect(),
    };
    Ok(html(&page))
}

// ---- the cockpit as a workbook -------------------------------------------------------------

use hezuo_office::export::{BookSheet, Cell, ChartKind, ChartSpec, Column, ColumnKind, ListSheet};

fn ratio(r: Option<figures::Ratio>) -> Cell {
    r.map_or(Cell::Empty, |r| Cell::Ratio(r.as_f64()))
}

fn light_text(l: Option<Light>) -> Cell {
    Cell::Text(l.map_or("", Light::label).to_string())
}

/// The columns of a project progress table (the lagging projects, a figure's projects).
fn progress_columns() -> Vec<Column> {
    use ColumnKind::*;
    vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("项目名称", Text, 36.0),
        Column::new("所属区县", Text, 12.0),
        Column::new("年度计划（万元）", Wan, 16.0),
        Column::new("累计完成（万元）", Wan, 16.0),
        Column::new("完成率", Percent, 10.0),
        Column::new("进度", Text, 8.0),
    ]
}

fn progress_cells(n: usize, p: &ProjectProgress, month: u32) -> Vec<Cell> {
    vec![
        Cell::Int(n as i64),
        Cell::Text(p.name.clone()),
        Cell::Text(p.district_name.clone()),
        Cell::Yuan(p.planned),
        Cell::Yuan(p.completed),
        ratio(figures::completion_rate(Yuan(p.completed), Yuan(p.planned))),
        light_text(p.light(month)),
    ]
}

/// `GET /cockpit/export.xlsx?<the cockpit's scope and period>`: every table of the cockpit —
/// the KPI cards, completion by district, the monthly cumulative against plan, the signing
/// tiers, the lagging projects and the open blocking factors — one sheet each, with the
/// page's charts as native Excel charts.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let f = Figures::load(&state, &user, raw.as_deref()).await?;
    let (period, months) = (f.period, f.period.month);
    let scope = crate::export::scope_line(
        &format!(
            "{}；{}年1—{}月",
            scope_label(&f.params, &f.lookups),
            period.year,
            months
        ),
        &user.user.display_name,
    );
    let city = &state.config.city_name;
    let q = scope_query(&f.params, period);
    let card_rows: Vec<Vec<Cell>> = cards(
        &f.whole,
        &f.json,
        (f.signing.count, f.signing.investment),
        &q,
    )
    .into_iter()
    .map(|c| {
        vec![
            Cell::Text(c.title.to_string()),
            Cell::Text(c.value),
            Cell::Text(c.detail),
        ]
    })
    .collect();
    let kpi_columns = vec![
        Column::new("指标", Text, 18.0),
        Column::new("数值", Text, 12.0),
        Column::new("说明", Text, 60.0),
    ];
    let time = f.whole.time_progress();
    let district_rows: Vec<Vec<Cell>> = f
        .by_district
        .iter()
        .map(|(_, name, s)| {
            vec![
                Cell::Text(name.clone()),
                Cell::Int(s.projects),
                Cell::Yuan(s.planned),
                Cell::Yuan(s.completed),
                ratio(s.completion_rate()),
                Cell::Ratio(time.as_f64()),
                light_text(s.light()),
                ratio(s.start_rate()),
                ratio(s.completion_count_rate()),
            ]
        })
        .collect();
    let district_columns = vec![
        Column::new("区县", Text, 12.0),
        Column::new("计划项目数", Integer, 10.0),
        Column::new("年度计划（万元）", Wan, 16.0),
        Column::new("累计完成（万元）", Wan, 16.0),
        Column::new("完成率", Percent, 10.0),
        Column::new("时序进度", Percent, 10.0),
        Column::new("进度", Text, 8.0),
        Column::new("开工率", Percent, 10.0),
        Column::new("竣工率", Percent, 10.0),
    ];
    let cumulative = charts::cumulative(f.period, &f.monthly);
    let month_rows: Vec<Vec<Cell>> = cumulative
        .iter()
        .enumerate()
        .map(|(i, done)| {
            let m = i as u32 + 1;
            let this = f
                .monthly
                .iter()
                .find(|(mm, _)| *mm == m)
                .map_or(0, |(_, v)| *v);
            vec![
                Cell::Text(format!("{m}月")),
                Cell::Yuan(this),
                Cell::Yuan(*done),
                Cell::Yuan(f.whole.planned * i64::from(m) / 12),
            ]
        })
        .collect();
    let month_columns = vec![
        Column::new("月份", Text, 8.0),
        Column::new("当月完成（万元）", Wan, 16.0),
        Column::new("累计完成（万元）", Wan, 16.0).untotalled(),
        Column::new("序时计划（万元）", Wan, 16.0).untotalled(),
    ];
    let tier_rows: Vec<Vec<Cell>> = f
        .signing
        .tiers
        .iter()
        .map(|t| {
            vec![
                Cell::Text(TierConfig::label(t.min_yi)),
                Cell::Int(t.count),
                Cell::Yuan(t.investment),
            ]
        })
        .collect();
    // The tiers are cumulative (≥1亿 includes ≥3亿): no total.
    let tier_columns = vec![
        Column::new("规模", Text, 12.0),
        Column::new("签约项目数", Integer, 12.0).untotalled(),
        Column::new("协议投资（万元）", Wan, 18.0).untotalled(),
    ];
    let lagging_rows: Vec<Vec<Cell>> = f
        .lagging
        .iter()
        .enumerate()
        .map(|(i, p)| progress_cells(i + 1, p, months))
        .collect();
    let blocker_rows: Vec<Vec<Cell>> = f
        .blocker_counts()
        .into_iter()
        .map(|(kind, n)| vec![Cell::Text(kind), Cell::Int(n as i64)])
        .collect();
    let blocker_columns = vec![
        Column::new("要素制约类型", Text, 14.0),
        Column::new("未解决（项）", Integer, 12.0),
    ];
    let progress_columns = progress_columns();
    let titles = [
        format!("{city}领导驾驶舱主要指标"),
        format!("{city}{}年1—{months}月各区县年度投资完成情况", period.year),
        format!("{city}{}年累计完成投资与序时计划", period.year),
        format!("{city}{}年1—{months}月签约项目规模分布", period.year),
        format!("{city}进度滞后项目（前10个）"),
        format!("{city}未解决的要素制约"),
    ];
    let list = |sheet_name, title, columns| ListSheet {
        sheet_name,
        title,
        scope: &scope,
        columns,
    };
    let sheets = vec![
        BookSheet {
            list: list("主要指标", &titles[0], &kpi_columns),
            rows: card_rows,
            chart: None,
        },
        BookSheet {
            list: list("各区县完成情况", &titles[1], &district_columns),
            rows: district_rows,
            chart: Some(ChartSpec {
                kind: ChartKind::Bar,
                title: "各区县年度投资完成率与时序进度".into(),
                categories: 0,
                values: vec![4, 5],
                axis: "完成率".into(),
                axis_format: "0%".into(),
            }),
        },
        BookSheet {
            list: list("月度累计完成", &titles[2], &month_columns),
            rows: month_rows,
            chart: Some(ChartSpec {
                kind: ChartKind::Line,
                title: "累计完成投资与序时计划".into(),
                categories: 0,
                values: vec![2, 3],
                axis: "万元".into(),
                axis_format: "#,##0".into(),
            }),
        },
        BookSheet {
            list: list("签约规模分布", &titles[3], &tier_columns),
            rows: tier_rows,
            chart: Some(ChartSpec {
                kind: ChartKind::Column,
                title: "签约项目规模分布（累计）".into(),
                categories: 0,
                values: vec![1],
                axis: "项目数（个）".into(),
                axis_format: "0".into(),
            }),
        },
        BookSheet {
            list: list("进度滞后项目", &titles[4], &progress_columns),
            rows: lagging_rows,
            chart: None,
        },
        BookSheet {
            list: list("要素制约", &titles[5], &blocker_columns),
            rows: blocker_rows,
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "领导驾驶舱", "cockpit")
}

/// `GET /cockpit/projects/export.xlsx?figure=…&<scope and period>`: the projects behind one
/// figure, as the drill-down page lists them.
pub async fn export_projects(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: StatsParams = parse_query(raw.as_deref())?;
    let FigureQuery { figure } = parse_query(raw.as_deref())?;
    let figure = Figure::parse(&figure).ok_or(AppError::NotFound)?;
    let period = period_of(&state, &user, &params).await?;
    let rows = state
        .store
        .figure_projects(&user.viewer, &params.filter(), period, figure, 100_000)
        .await?;
    let lookups = Lookups::load(&state, &user.viewer).await?;
    let scope = crate::export::scope_line(
        &format!(
            "{}；{}年1—{}月",
            scope_label(&params, &lookups),
            period.year,
            period.month
        ),
        &user.user.display_name,
    );
    let title = format!("{}{}项目清单", state.config.city_name, figure.label());
    let columns = progress_columns();
    let sheet = BookSheet {
        list: ListSheet {
            sheet_name: "项目清单",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, p)| progress_cells(i + 1, p, period.month))
            .collect(),
        chart: None,
    };
    crate::export::book_download(&[sheet], figure.label(), "cockpit-projects")
}
