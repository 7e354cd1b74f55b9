//! 领导驾驶舱: KPI cards, charts drawn on the server as SVG, the most lagging projects and the
//! open blocking factors, for any scope and period; every figure drills down to its projects.
//! The numbers come from the same store queries as `/api/v1/stats/*`.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::error::AppError;
use crate::form::parse_query;
use crate::progress::last_month;
use crate::stats::{InvestmentJson, StatsParams, province_reference};
use crate::views::{Lookups, Opt, html, wan_display};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use hezuo_domain::figures::{self, Light};
use hezuo_domain::{BlockerKind, Month, TierConfig, Yuan};
use hezuo_office::chart::{
    Bar, BarChart, BarColor, CellColor, GridCell, GridMap, LineChart, Series, TierBars,
};
use hezuo_store::stats::{Figure, GroupBy, InvestmentStats, Period, ProjectProgress};

fn bar_color(light: Option<Light>) -> Option<BarColor> {
    light.map(|l| match l {
        Light::Ahead => BarColor::Ahead,
        Light::Normal => BarColor::Normal,
        Light::Behind => BarColor::Behind,
    })
}

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
            "全市",
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
    if parts.is_empty() {
        "全市".into()
    } else {
        parts.join(" · ")
    }
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
}

fn rate_text(r: Option<figures::Ratio>) -> String {
    r.map_or("—".into(), |r| r.percent_text())
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

pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: StatsParams = parse_query(raw.as_deref())?;
    let period = period_of(&state, &user, &params).await?;
    let filter = params.filter();
    let store = &state.store;
    let viewer = &user.viewer;
    let q = scope_query(&params, period);

    let whole = store.investment_stats(viewer, &filter, period).await?;
    let json = InvestmentJson::new(&whole, province_reference(&state, period).await?);
    let signing = store
        .signing_stats(viewer, &filter, period, &state.config.tiers)
        .await?;
    let by_district = store
        .investment_stats_by(viewer, &filter, period, Some(GroupBy::District))
        .await?;
    let monthly = store.monthly_completed(viewer, &filter, period).await?;
    let lagging = store.lagging_projects(viewer, &filter, period, 10).await?;
    let open = store.open_blockers(viewer, &filter).await?;
    let lookups = Lookups::load(&state, viewer).await?;

    let months = period.month;
    let time = figures::time_progress(months).as_f64() * 100.0;
    let district_link = |code: &str| {
        let mut p = params.clone();
        p.district = Some(code.to_string());
        format!("/cockpit?{}", scope_query(&p, period))
    };
    let district_chart = BarChart {
        title: format!("{}年1—{}月各区县年度投资完成率", period.year, months),
        unit: "%".into(),
        bars: by_district
            .iter()
            .filter(|(_, _, s)| s.planned > 0)
            .map(|(code, name, s)| Bar {
                label: name.clone(),
                value: s.completion_rate().map_or(0.0, |r| r.as_f64() * 100.0),
                color: bar_color(s.light()),
                href: Some(district_link(code)),
            })
            .collect(),
        reference: Some((
            time,
            format!("时序进度 {}", figures::time_progress(months).percent_text()),
        )),
    }
    .to_svg();

    let mut cumulative = 0i64;
    let done: Vec<Option<f64>> = (1..=12)
        .map(|m| {
            if m > months {
                return None;
            }
            cumulative += monthly
                .iter()
                .find(|(mm, _)| *mm == m)
                .map_or(0, |(_, v)| *v);
            Some(cumulative as f64 / 1e8)
        })
        .collect();
    // Nothing planned and nothing reported: say so rather than draw a flat zero line.
    let has_data = whole.planned > 0 || monthly.iter().any(|(_, v)| *v != 0);
    let plan_line: Vec<Option<f64>> = (1..=12)
        .map(|m| has_data.then(|| whole.planned as f64 / 1e8 * f64::from(m) / 12.0))
        .collect();
    let done: Vec<Option<f64>> = if has_data { done } else { vec![None; 12] };
    let line_chart = LineChart {
        title: format!("{}年累计完成投资与序时计划", period.year),
        unit: "亿元".into(),
        x_labels: (1..=12).map(|m| format!("{m}月")).collect(),
        series: vec![
            Series {
                name: "序时计划".into(),
                values: plan_line,
                dashed: true,
            },
            Series {
                name: "累计完成".into(),
                values: done,
                dashed: false,
            },
        ],
    }
    .to_svg();

    let tier_chart = TierBars {
        title: format!("{}年1—{}月签约项目规模分布（累计）", period.year, months),
        items: signing
            .tiers
            .iter()
            .filter(|_| signing.count > 0)
            .map(|t| {
                (
                    TierConfig::label(t.min_yi),
                    t.count.max(0) as u64,
                    t.investment as f64 / 1e8,
                )
            })
            .collect(),
    }
    .to_svg();

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

    let blockers = BlockerKind::ALL
        .iter()
        .map(|k| {
            (
                k.label().to_string(),
                open.iter().filter(|b| b.kind == k.code()).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let scope = scope_label(&params, &lookups);
    let page = CockpitPage {
        chrome: Chrome::new(&state, &user, "cockpit"),
        title: format!("{scope} · {}年1—{}月", period.year, months),
        selectors: selectors(&params, period, &lookups),
        cards: cards(&whole, &json, (signing.count, signing.investment), &q),
        district_chart,
        line_chart,
        tier_chart,
        grid_chart,
        lagging: lagging
            .iter()
            .map(|p| ProgressView::new(p, months))
            .collect(),
        blockers,
        scope,
    };
    Ok(html(&page))
}

#[derive(Template)]
#[template(path = "cockpit/projects.html")]
struct DrillPage {
    chrome: Chrome,
    title: String,
    back: String,
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
