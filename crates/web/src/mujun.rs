//! 亩均效益评价 pages and API: the year's overview (where the evaluation stands and its
//! 公示 → 发布 steps, classes by district and industry, movement since last year, objections),
//! the ranked results with their export, an enterprise's result explained indicator by
//! indicator with its objections and improvement action, the scheme editor (TOML), and the
//! improvement list (整治提升 / 腾笼换鸟) with the land reclaimed and the floor vacated.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, pair, side_by_side};
use crate::error::{ApiError, AppError, PathOr404};
use crate::form::{parse_body, parse_query};
use crate::views::html;
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::Role;
use hezuo_domain::assistance::{amount_text, parse_amount};
use hezuo_domain::mujun::{DataField, MuResult};
use hezuo_domain::mujun_report::{Distribution, ImprovementKind, Movement, Stage, distribution};
use hezuo_store::StoreError;
use hezuo_store::mujun_results::{
    ImprovementInput, ImprovementRow, Improvements, MujunYear, ObjectionRow, ResultRow,
};
use serde::{Deserialize, Serialize};

const PAGE_SIZE: usize = 50;

/// Which year and which enterprises.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultFilter {
    /// 评价年度 (default: the latest year with a scheme).
    pub year: Option<i32>,
    /// 区县代码.
    pub district: Option<String>,
    pub industry: Option<String>,
    /// A class (A/B/C/D …), or "exempt" / "ungraded".
    pub class: Option<String>,
    /// Name or credit code contains.
    pub q: Option<String>,
    /// "above" (规上) or "below" (规下).
    pub scale: Option<String>,
    #[serde(default)]
    #[param(ignore)]
    pub page: Option<usize>,
}

impl ResultFilter {
    fn keeps(&self, r: &ResultRow) -> bool {
        fn given(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let e = &r.enterprise;
        given(&self.district).is_none_or(|d| e.district_code == d)
            && given(&self.industry).is_none_or(|i| e.industry == i)
            && given(&self.scale).is_none_or(|s| (s == "above") == (e.above_scale != 0))
            && given(&self.q).is_none_or(|q| e.name.contains(q) || e.credit_code.contains(q))
            && given(&self.class).is_none_or(|c| match c {
                "exempt" => r.result.class.is_none() && r.result.managed_as.is_some(),
                "ungraded" => r.result.class.is_none() && r.result.managed_as.is_none(),
                c => r.result.class.as_deref() == Some(c),
            })
    }

    /// The query string without the page, for links and the export.
    fn query(&self, year: i32) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("year", &year.to_string());
        for (k, v) in [
            ("district", &self.district),
            ("industry", &self.industry),
            ("class", &self.class),
            ("q", &self.q),
            ("scale", &self.scale),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }
}

/// The year asked, or the latest with a scheme, or last year.
async fn year_of(state: &AppState, asked: Option<i32>) -> Result<i32, AppError> {
    if let Some(y) = asked {
        return Ok(y);
    }
    let years = state.store.mujun_years().await?;
    Ok(years.first().copied().unwrap_or_else(|| {
        crate::export::beijing_today()
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap_or(2024)
            - 1
    }))
}

/// A result's class as shown: the class, "免评（按B类管理）", or "未定级".
pub fn class_text(r: &MuResult) -> String {
    match (&r.class, &r.managed_as) {
        (Some(c), _) => c.clone(),
        (None, Some(m)) => format!("免评（按{m}类管理）"),
        (None, None) => "未定级".into(),
    }
}

fn score_text(r: &MuResult) -> String {
    r.score.map_or("—".into(), |s| format!("{s:.2}"))
}

fn stage_label(y: &MujunYear) -> &'static str {
    y.stage.map_or("未设置方案", Stage::label)
}

#[derive(Template)]
#[template(path = "mujun/index.html")]
struct IndexPage {
    chrome: Chrome,
    y: MujunYear,
    years: Vec<i32>,
    classes: Vec<String>,
    by_district: Distribution,
    by_industry: Distribution,
    moved: Option<Movement>,
    objections: Vec<ObjectionRow>,
    improvements: Improvements,
    is_office: bool,
    notice: String,
    until: String,
    /// An objection answered over a stale version: the user's answer beside the latest.
    conflict: Option<Conflict>,
}

impl IndexPage {
    fn stage(&self) -> &'static str {
        stage_label(&self.y)
    }

    /// The two distribution tables: title, counts, id, first column's header.
    fn tables(&self) -> [(&'static str, &Distribution, &'static str, &'static str); 2] {
        [
            ("分区县等级分布", &self.by_district, "district", "区县"),
            ("分行业等级分布", &self.by_industry, "industry", "行业"),
        ]
    }

    fn is(&self, stage: &str) -> bool {
        self.y.stage.is_some_and(|s| s.code() == stage)
    }

    fn mu(&self, x100: &i64) -> String {
        amount_text(*x100)
    }
}

async fn index_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    notice: String,
) -> Result<IndexPage, AppError> {
    let y = state.store.mujun_year(&user.viewer, year).await?;
    let classes = y.classes();
    let by_district = distribution(
        &classes,
        y.rows.iter().map(|r| (r.district_name.as_str(), &r.result)),
    );
    // Districts in their administrative order, as every table of the office lists them.
    let order: Vec<String> = crate::views::Lookups::load(state, &user.viewer)
        .await?
        .districts
        .into_iter()
        .map(|o| o.label)
        .collect();
    let mut by_district = by_district;
    by_district
        .rows
        .sort_by_key(|r| order.iter().position(|d| *d == r.key).unwrap_or(usize::MAX));
    let by_industry = distribution(
        &classes,
        y.rows
            .iter()
            .map(|r| (r.enterprise.industry.as_str(), &r.result)),
    );
    let last = state.store.mujun_year(&user.viewer, year - 1).await?;
    let moved = (!last.rows.is_empty()).then(|| y.movement_since(&last));
    let objections = state
        .store
        .mujun_objections(&user.viewer, year, None)
        .await?;
    let improvements = state
        .store
        .mujun_improvements(&user.viewer, year, None)
        .await?;
    let until = if y.publicity_until.is_empty() {
        (crate::export::beijing_today() + chrono::Days::new(7)).to_string()
    } else {
        y.publicity_until.clone()
    };
    Ok(IndexPage {
        chrome: Chrome::new(state, user, "mujun"),
        years: state.store.mujun_years().await?,
        classes,
        by_district,
        by_industry,
        moved,
        objections,
        improvements,
        is_office: user.viewer.is_office(),
        notice,
        until,
        conflict: None,
        y,
    })
}

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// `GET /mujun?year=`.
pub async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: YearQuery = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    Ok(html(&index_page(&state, &user, year, String::new()).await?))
}

/// Where a form goes when the store took it; else the page it came from, rendered by `again`
/// with the refusal in Chinese, under the status that says why (409 stale, 422 refused).
async fn answer<T, P, F>(
    result: Result<T, StoreError>,
    to: &str,
    again: F,
) -> Result<Response, AppError>
where
    P: Template,
    F: AsyncFnOnce(String) -> Result<P, AppError>,
{
    let (status, notice) = match result {
        Ok(_) => return Ok(Redirect::to(to).into_response()),
        Err(StoreError::Conflict(m)) => (StatusCode::CONFLICT, m),
        Err(StoreError::Invalid { message, .. }) => (StatusCode::UNPROCESSABLE_ENTITY, message),
        Err(other) => return Err(other.into()),
    };
    Ok((status, html(&again(notice).await?)).into_response())
}

#[derive(Debug, Deserialize)]
struct StepForm {
    year: i32,
    version: i64,
    #[serde(default)]
    until: String,
}

/// `POST /mujun/publicize`: freeze the results and open 公示 (again, after corrections).
pub async fn publicize(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: StepForm = parse_body(req).await?;
    let result = state
        .store
        .publicize_mujun(&user.viewer, &user.actor, f.year, f.until.trim(), f.version)
        .await;
    answer(result, &format!("/mujun?year={}", f.year), async |notice| {
        index_page(&state, &user, f.year, notice).await
    })
    .await
}

/// `POST /mujun/finalize`: publish (refused while objections are open).
pub async fn finalize(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: StepForm = parse_body(req).await?;
    let result = state
        .store
        .finalize_mujun(&user.viewer, &user.actor, f.year, f.version)
        .await;
    answer(result, &format!("/mujun?year={}", f.year), async |notice| {
        index_page(&state, &user, f.year, notice).await
    })
    .await
}

#[derive(Template)]
#[template(path = "mujun/results.html")]
struct ResultsPage {
    chrome: Chrome,
    y: MujunYear,
    rows: Vec<ResultRow>,
    total: usize,
    page: usize,
    pages: usize,
    filter: ResultFilter,
    query: String,
    districts: Vec<crate::views::Opt>,
    industries: Vec<String>,
    classes: Vec<String>,
}

impl ResultsPage {
    fn class_text(&self, r: &MuResult) -> String {
        class_text(r)
    }

    fn score_text(&self, r: &MuResult) -> String {
        score_text(r)
    }

    fn stage(&self) -> &'static str {
        stage_label(&self.y)
    }

    fn picked(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "district" => &self.filter.district,
            "industry" => &self.filter.industry,
            "class" => &self.filter.class,
            _ => &self.filter.scale,
        };
        v.as_deref() == Some(value)
    }
}

/// The year's results in scope, filtered.
async fn filtered(
    state: &AppState,
    user: &CurrentUser,
    filter: &ResultFilter,
) -> Result<(MujunYear, Vec<ResultRow>), AppError> {
    let year = year_of(state, filter.year).await?;
    let mut y = state.store.mujun_year(&user.viewer, year).await?;
    let rows: Vec<ResultRow> = std::mem::take(&mut y.rows)
        .into_iter()
        .filter(|r| filter.keeps(r))
        .collect();
    Ok((y, rows))
}

/// `GET /mujun/results?year=&district=&industry=&class=&scale=&q=&page=`.
pub async fn results(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let filter: ResultFilter = parse_query(raw.as_deref())?;
    let (y, rows) = filtered(&state, &user, &filter).await?;
    let all = state.store.mujun_year(&user.viewer, y.year).await?;
    let mut industries: Vec<String> = all
        .rows
        .iter()
        .map(|r| r.enterprise.industry.clone())
        .filter(|i| !i.is_empty())
        .collect();
    industries.sort();
    industries.dedup();
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let shown = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Ok(html(&ResultsPage {
        chrome: Chrome::new(&state, &user, "mujun"),
        query: filter.query(y.year),
        classes: y.classes(),
        districts: crate::views::Lookups::load(&state, &user.viewer)
            .await?
            .districts,
        industries,
        rows: shown,
        total,
        page,
        pages,
        filter,
        y,
    }))
}

/// `GET /mujun/results/export.xlsx`: the filtered results, each indicator's points in a column.
pub async fn export_results(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    let filter: ResultFilter = parse_query(raw.as_deref())?;
    let (y, rows) = filtered(&state, &user, &filter).await?;
    let indicators: Vec<String> = y
        .scheme
        .as_ref()
        .map(|s| s.indicators.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    let mut columns = vec![
        Column::new("排名", Integer, 8.0).untotalled(),
        Column::new("企业名称", Text, 30.0),
        Column::new("统一社会信用代码", Text, 22.0),
        Column::new("所在区县", Text, 10.0),
        Column::new("行业", Text, 14.0),
        Column::new("规模", Text, 8.0),
        Column::new("用地（亩）", Decimal, 11.0),
        Column::new("得分", Decimal, 10.0),
        Column::new("等级", Text, 16.0),
    ];
    let headers: Vec<String> = indicators.iter().map(|n| format!("{n}（得分）")).collect();
    for h in &headers {
        columns.push(Column::new(h, Decimal, 14.0));
    }
    columns.push(Column::new("说明", Text, 36.0));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let e = &r.enterprise;
            let mut row = vec![
                r.result.rank.map_or(Cell::Empty, |k| Cell::Int(k as i64)),
                Cell::Text(e.name.clone()),
                Cell::Text(e.credit_code.clone()),
                Cell::Text(r.district_name.clone()),
                Cell::Text(e.industry.clone()),
                Cell::Text(
                    if e.above_scale != 0 {
                        "规上"
                    } else {
                        "规下"
                    }
                    .into(),
                ),
                Cell::Number((e.land_owned_x100 + e.land_leased_x100) as f64 / 100.0),
                r.result.score.map_or(Cell::Empty, Cell::Number),
                Cell::Text(class_text(&r.result)),
            ];
            for name in &indicators {
                row.push(
                    r.result
                        .indicators
                        .iter()
                        .find(|i| &i.name == name)
                        .map_or(Cell::Empty, |i| Cell::Number(i.points)),
                );
            }
            let notes: Vec<String> = r
                .result
                .indicators
                .iter()
                .filter_map(|i| i.note.as_ref().map(|n| format!("{}：{n}", i.name)))
                .chain(r.result.note.clone())
                .chain(
                    r.result
                        .adjustments
                        .iter()
                        .map(|(n, p)| format!("{n} {p:+}分")),
                )
                .collect();
            row.push(Cell::Text(notes.join("；")));
            row
        })
        .collect();
    let scope = crate::export::scope_line(
        &format!("{}年度，{}", y.year, stage_label(&y)),
        &user.user.display_name,
    );
    let title = format!("{}{}年度亩均效益评价结果", state.config.city_name, y.year);
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "评价结果",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows: cells,
        chart: None,
    }];
    crate::export::book_download(&sheets, &format!("亩均效益评价{}", y.year), "mujun")
}

#[derive(Template)]
#[template(path = "mujun/enterprise.html")]
struct EnterprisePage {
    chrome: Chrome,
    y: MujunYear,
    row: ResultRow,
    data: Vec<(String, String)>,
    objections: Vec<ObjectionRow>,
    improvement: Option<ImprovementRow>,
    kinds: Vec<crate::views::Opt>,
    can_object: bool,
    can_improve: bool,
    notice: String,
    content: String,
    /// The improvement action as typed, when it was refused (shown instead of the stored one).
    typed: Option<ImprovementForm>,
    /// An improvement action saved over a stale version: the user's beside the latest.
    conflict: Option<Conflict>,
}

impl EnterprisePage {
    /// The improvement form's values: as typed when refused, else as stored.
    fn action(&self, i: &ImprovementRow) -> ImprovementForm {
        self.typed.clone().unwrap_or_else(|| ImprovementForm {
            year: self.y.year,
            enterprise_id: i.enterprise_id,
            version: i.version,
            kind: i.kind.clone(),
            measures: i.measures.clone(),
            deadline: i.deadline.clone(),
            done: (i.status == "done").then(|| "1".to_string()),
            land_reclaimed: amount_text(i.land_reclaimed_x100),
            floor_vacated: amount_text(i.floor_vacated_x100),
        })
    }

    /// The improvement form's fields as shown, for a conflict.
    fn action_fields(&self, a: &ImprovementForm) -> Vec<(&'static str, String)> {
        vec![
            (
                "整治方式",
                ImprovementKind::parse(&a.kind).map_or(a.kind.clone(), |k| k.label().to_string()),
            ),
            ("完成时限", a.deadline.clone()),
            ("腾退土地（亩）", a.land_reclaimed.clone()),
            ("腾出厂房（平方米）", a.floor_vacated.clone()),
            ("整治措施", a.measures.clone()),
            (
                "已完成",
                if a.done.is_some() { "是" } else { "否" }.to_string(),
            ),
        ]
    }

    fn class_text(&self) -> String {
        class_text(&self.row.result)
    }

    fn score_text(&self) -> String {
        score_text(&self.row.result)
    }

    fn value(&self, v: &Option<f64>) -> String {
        v.map_or("—".into(), |v| {
            if v.abs() >= 100.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.4}")
            }
        })
    }

    fn benchmark(&self, v: &f64) -> String {
        self.value(&Some(*v))
    }

    fn mu(&self, x100: &i64) -> String {
        amount_text(*x100)
    }

    fn stage(&self) -> &'static str {
        stage_label(&self.y)
    }
}

/// The data fields as the page lists them, from the scored enterprise.
fn data_lines(data: &hezuo_domain::mujun::YearData) -> Vec<(String, String)> {
    let unit = |f: DataField| match f {
        DataField::Tax | DataField::ValueAdded | DataField::Revenue | DataField::Rnd => "万元",
        DataField::Energy => "吨标煤",
        DataField::Emission => "吨",
        DataField::Electricity => "万千瓦时",
        DataField::Employees => "人",
        DataField::Land => "亩",
    };
    DataField::ALL
        .iter()
        .map(|&f| {
            let v = data.get(f).map_or("未报送".to_string(), |v| match f {
                DataField::Tax
                | DataField::ValueAdded
                | DataField::Revenue
                | DataField::Rnd
                | DataField::Electricity => format!("{:.2}", v / 10_000.0),
                DataField::Employees => format!("{v:.0}"),
                _ => format!("{v:.2}"),
            });
            (format!("{}（{}）", f.label(), unit(f)), v)
        })
        .collect()
}

async fn enterprise_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    year: i32,
    notice: String,
    content: String,
) -> Result<EnterprisePage, AppError> {
    let mut y = state.store.mujun_year(&user.viewer, year).await?;
    let at = y
        .rows
        .iter()
        .position(|r| r.enterprise.id == id)
        .ok_or(AppError::NotFound)?;
    let row = y.rows.swap_remove(at);
    y.rows.clear();
    let population = state.store.mujun_population(&user.viewer, year).await?;
    let data = population
        .iter()
        .find(|(e, _)| e.id == id)
        .map(|(_, p)| data_lines(&p.data))
        .unwrap_or_default();
    let objections = state
        .store
        .mujun_objections(&user.viewer, year, Some(id))
        .await?;
    let improvement = state
        .store
        .mujun_improvements(&user.viewer, year, Some(id))
        .await?
        .items
        .pop();
    let acts = user.viewer.is_office() || user.viewer.role == Role::Area;
    Ok(EnterprisePage {
        chrome: Chrome::new(state, user, "mujun"),
        can_object: acts && y.stage == Some(Stage::Publicized),
        can_improve: acts && improvement.is_some(),
        kinds: crate::views::Opt::of(
            &ImprovementKind::ALL,
            ImprovementKind::code,
            ImprovementKind::label,
        ),
        y,
        row,
        data,
        objections,
        improvement,
        notice,
        content,
        typed: None,
        conflict: None,
    })
}

/// `GET /mujun/enterprises/{id}?year=`.
pub async fn enterprise(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: YearQuery = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    Ok(html(
        &enterprise_page(&state, &user, id, year, String::new(), String::new()).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct ObjectionForm {
    year: i32,
    enterprise_id: i64,
    #[serde(default)]
    content: String,
}

/// `POST /mujun/objections`: an objection during 公示 (the office or the district).
pub async fn file_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: ObjectionForm = parse_body(req).await?;
    let result = state
        .store
        .file_mujun_objection(
            &user.viewer,
            &user.actor,
            f.year,
            f.enterprise_id,
            &f.content,
        )
        .await;
    let to = format!("/mujun/enterprises/{}?year={}", f.enterprise_id, f.year);
    answer(result, &to, async |notice| {
        enterprise_page(
            &state,
            &user,
            f.enterprise_id,
            f.year,
            notice,
            f.content.clone(),
        )
        .await
    })
    .await
}

#[derive(Debug, Deserialize)]
struct ResolveForm {
    year: i32,
    version: i64,
    decision: String,
    #[serde(default)]
    resolution: String,
}

/// `POST /mujun/objections/{id}/resolve` (the office).
pub async fn resolve_objection(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: ResolveForm = parse_body(req).await?;
    let upheld = f.decision == "upheld";
    let result = state
        .store
        .resolve_mujun_objection(
            &user.viewer,
            &user.actor,
            id,
            upheld,
            &f.resolution,
            f.version,
        )
        .await;
    if let Err(StoreError::Conflict(_)) = result {
        let mut page = index_page(&state, &user, f.year, String::new()).await?;
        if let Some(latest) = page.objections.iter().find(|o| o.id == id) {
            let decision = |d: &str| match d {
                "upheld" => "采纳",
                "rejected" => "不予采纳",
                _ => "",
            };
            let latest_decision = if latest.status == "open" {
                String::new()
            } else {
                latest.status_label().to_string()
            };
            let pairs = [
                pair("处理结果", decision(&f.decision), latest_decision),
                pair("处理意见", &f.resolution, &latest.resolution),
            ];
            let href = format!("/mujun?year={}#objections", f.year);
            let mut conflict =
                Conflict::load(&state.store, "mujun_objection", id, href, pairs).await?;
            conflict = if latest.status == "open" {
                conflict.with_resubmit(
                    format!("/mujun/objections/{id}/resolve"),
                    [
                        ("year", f.year.to_string()),
                        ("decision", f.decision.clone()),
                        ("resolution", f.resolution.clone()),
                        ("version", latest.version.to_string()),
                    ],
                )
            } else {
                conflict.closed("这件异议已经处理完毕，不能再次处理。")
            };
            page.conflict = Some(conflict);
            return Ok((StatusCode::CONFLICT, html(&page)).into_response());
        }
    }
    answer(
        result,
        &format!("/mujun?year={}#objections", f.year),
        async |notice| index_page(&state, &user, f.year, notice).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "mujun/scheme.html")]
struct SchemePage {
    chrome: Chrome,
    year: i32,
    text: String,
    version: i64,
    stage: Option<Stage>,
    editable: bool,
    error: String,
    saved: bool,
    /// A scheme saved over a stale version: the user's text beside the latest.
    conflict: Option<Conflict>,
}

async fn scheme_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    typed: Option<(String, i64)>,
    error: String,
    saved: bool,
) -> Result<SchemePage, AppError> {
    let y = state.store.mujun_year(&user.viewer, year).await?;
    let (text, version) = match typed {
        Some(t) => t,
        None if y.scheme_toml.is_empty() => (
            format!(
                "year = {year}\nmissing = \"zero\"\n\n[[indicators]]\nname = \"亩均税收\"\nnumerator = \"tax\"\ndenominator = \"land\"\nweight = 100\nbenchmark = {{ kind = \"average\", times = 1.0 }}\ncap = 3.0\n\n[[classes]]\nclass = \"A\"\nupto_pct = 20\n[[classes]]\nclass = \"B\"\nupto_pct = 60\n[[classes]]\nclass = \"C\"\nupto_pct = 95\n[[classes]]\nclass = \"D\"\nupto_pct = 100\n"
            ),
            0,
        ),
        None => (y.scheme_toml.clone(), y.version),
    };
    Ok(SchemePage {
        chrome: Chrome::new(state, user, "mujun"),
        editable: user.viewer.is_office() && y.stage.is_none_or(|s| s == Stage::Draft),
        stage: y.stage,
        year,
        text,
        version,
        error,
        saved,
        conflict: None,
    })
}

/// `GET /mujun/scheme?year=`.
pub async fn scheme(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    #[derive(Deserialize)]
    struct Q {
        year: Option<i32>,
        saved: Option<String>,
    }
    let q: Q = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    Ok(html(
        &scheme_page(&state, &user, year, None, String::new(), q.saved.is_some()).await?,
    ))
}

/// `POST /mujun/scheme` (multipart: the text typed, or a .toml file chosen, which wins).
pub async fn save_scheme(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let (mut year, mut version, mut text, mut file) = (None, 0i64, String::new(), None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("上传内容无效：{e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| AppError::BadRequest(format!("上传内容无效：{e}")))?;
        let value = || String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "year" => year = value().parse::<i32>().ok(),
            "version" => version = value().parse().unwrap_or(0),
            "scheme" => text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n"),
            "file" if !bytes.is_empty() => {
                file = Some(
                    String::from_utf8(bytes.to_vec()).map_err(|_| AppError::Invalid {
                        field: "file".into(),
                        message: "方案文件应为 UTF-8 编码的 TOML 文本".into(),
                    }),
                );
            }
            _ => {}
        }
    }
    let year = year.ok_or_else(|| AppError::BadRequest("缺少评价年度".into()))?;
    let text = match file {
        Some(Ok(t)) => t,
        Some(Err(e)) => {
            let page = scheme_page(
                &state,
                &user,
                year,
                Some((text, version)),
                e.to_string(),
                false,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response());
        }
        None => text,
    };
    let result = state
        .store
        .save_mujun_scheme(
            &user.viewer,
            &user.actor,
            year,
            &text,
            (version > 0).then_some(version),
        )
        .await;
    if let Err(StoreError::Conflict(_)) = &result {
        let latest = state.store.mujun_year(&user.viewer, year).await?;
        let mut page = scheme_page(
            &state,
            &user,
            year,
            // The text as typed, carrying the latest version: saving again applies it.
            Some((text.clone(), latest.version)),
            String::new(),
            false,
        )
        .await?;
        if latest.stage.is_some() {
            let pairs = [pair("评价方案（TOML）", &text, &latest.scheme_toml)];
            page.conflict = Some(
                Conflict::load(
                    &state.store,
                    "mujun_scheme",
                    i64::from(year),
                    format!("/mujun/scheme?year={year}"),
                    pairs,
                )
                .await?,
            );
            return Ok((StatusCode::CONFLICT, html(&page)).into_response());
        }
    }
    answer(
        result,
        &format!("/mujun/scheme?year={year}&saved=1"),
        async |error| {
            scheme_page(
                &state,
                &user,
                year,
                Some((text.clone(), version)),
                error,
                false,
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "mujun/improvements.html")]
struct ImprovementsPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    list: Improvements,
}

impl ImprovementsPage {
    fn mu(&self, x100: &i64) -> String {
        amount_text(*x100)
    }
}

/// `GET /mujun/improvements?year=`.
pub async fn improvements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: YearQuery = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    let list = state
        .store
        .mujun_improvements(&user.viewer, year, None)
        .await?;
    Ok(html(&ImprovementsPage {
        chrome: Chrome::new(&state, &user, "mujun"),
        years: state.store.mujun_years().await?,
        year,
        list,
    }))
}

/// `GET /mujun/improvements/export.xlsx?year=`.
pub async fn export_improvements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    let q: YearQuery = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    let list = state
        .store
        .mujun_improvements(&user.viewer, year, None)
        .await?;
    let columns = vec![
        Column::new("企业名称", Text, 30.0),
        Column::new("统一社会信用代码", Text, 22.0),
        Column::new("所在区县", Text, 10.0),
        Column::new("行业", Text, 14.0),
        Column::new("用地（亩）", Decimal, 11.0),
        Column::new("方式", Text, 10.0),
        Column::new("整治措施", Text, 36.0),
        Column::new("完成时限", Date, 12.0),
        Column::new("状态", Text, 8.0),
        Column::new("腾退土地（亩）", Decimal, 14.0),
        Column::new("腾出厂房（平方米）", Decimal, 16.0),
    ];
    let rows = list
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.enterprise_name.clone()),
                Cell::Text(i.credit_code.clone()),
                Cell::Text(i.district_name.clone()),
                Cell::Text(i.industry.clone()),
                Cell::Number(i.land_x100 as f64 / 100.0),
                Cell::Text(i.kind_label().into()),
                Cell::Text(i.measures.clone()),
                Cell::Text(i.deadline.clone()),
                Cell::Text(i.status_label().into()),
                Cell::Number(i.land_reclaimed_x100 as f64 / 100.0),
                Cell::Number(i.floor_vacated_x100 as f64 / 100.0),
            ]
        })
        .collect();
    let scope = crate::export::scope_line(&format!("{year}年度评价"), &user.user.display_name);
    let title = format!(
        "{}{year}年度亩均效益D类企业整治提升清单",
        state.config.city_name
    );
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "整治提升清单",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows,
        chart: None,
    }];
    crate::export::book_download(
        &sheets,
        &format!("整治提升清单{year}"),
        "mujun-improvements",
    )
}

#[derive(Debug, Clone, Deserialize)]
struct ImprovementForm {
    year: i32,
    enterprise_id: i64,
    version: i64,
    kind: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    land_reclaimed: String,
    #[serde(default)]
    floor_vacated: String,
}

impl ImprovementForm {
    fn input(&self) -> Result<ImprovementInput, StoreError> {
        let amount = |label: &str, t: &str| match t.trim() {
            "" => Ok(0),
            t => parse_amount(t).ok_or_else(|| {
                StoreError::invalid(
                    "amount",
                    format!("{label}“{t}”应为不小于0的数，最多两位小数"),
                )
            }),
        };
        Ok(ImprovementInput {
            kind: ImprovementKind::parse(&self.kind)
                .ok_or_else(|| StoreError::invalid("kind", "请选择整治方式"))?,
            measures: self.measures.clone(),
            deadline: self.deadline.clone(),
            done: self.done.is_some(),
            land_reclaimed_x100: amount("腾退土地", &self.land_reclaimed)?,
            floor_vacated_x100: amount("腾出厂房面积", &self.floor_vacated)?,
        })
    }
}

/// `POST /mujun/improvements/{id}` (the office or the enterprise's district).
pub async fn update_improvement(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: ImprovementForm = parse_body(req).await?;
    let result = match f.input() {
        Ok(input) => {
            state
                .store
                .update_mujun_improvement(&user.viewer, &user.actor, id, &input, f.version)
                .await
        }
        Err(e) => Err(e),
    };
    let to = format!("/mujun/enterprises/{}?year={}", f.enterprise_id, f.year);
    if let Err(StoreError::Conflict(_)) = result {
        let mut page = enterprise_page(
            &state,
            &user,
            f.enterprise_id,
            f.year,
            String::new(),
            String::new(),
        )
        .await?;
        let latest = page.improvement.as_ref().map(|i| page.action(i));
        if let Some(latest) = latest {
            let pairs = side_by_side(page.action_fields(&f), page.action_fields(&latest));
            page.conflict = Some(
                Conflict::load(
                    &state.store,
                    "mujun_improvement",
                    id,
                    format!("{to}#improvement"),
                    pairs,
                )
                .await?,
            );
            // The form keeps what was typed; saving it again applies it over the latest.
            page.typed = Some(ImprovementForm {
                version: latest.version,
                ..f.clone()
            });
            return Ok((StatusCode::CONFLICT, html(&page)).into_response());
        }
    }
    answer(result, &to, async |notice| {
        let mut page = enterprise_page(
            &state,
            &user,
            f.enterprise_id,
            f.year,
            notice,
            String::new(),
        )
        .await?;
        page.typed = Some(f.clone());
        Ok(page)
    })
    .await
}

/// One enterprise's result in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiResult {
    pub enterprise_id: i64,
    pub credit_code: String,
    pub name: String,
    pub district_code: String,
    pub industry: String,
    pub above_scale: bool,
    #[serde(flatten)]
    pub result: MuResult,
}

/// A year's results in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiResults {
    pub year: i32,
    /// draft (a trial computed on read), publicized, final; null without a scheme.
    pub stage: Option<Stage>,
    pub classes: Vec<String>,
    pub distribution: Distribution,
    pub results: Vec<ApiResult>,
}

/// The year's 亩均效益评价 results in the caller's scope, each with every indicator's
/// contribution, and the class distribution by district.
#[utoipa::path(get, path = "/api/v1/mujun/results", params(ResultFilter), tag = "mujun",
    responses((status = 200, description = "成功", body = ApiResults), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "参数未通过校验", body = crate::error::ErrorBody)))]
pub async fn api_mujun_results(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ApiResults>, ApiError> {
    let filter: ResultFilter = parse_query(raw.as_deref())?;
    let (y, rows) = filtered(&state, &user, &filter).await?;
    let classes = y.classes();
    let distribution = distribution(
        &classes,
        rows.iter().map(|r| (r.district_name.as_str(), &r.result)),
    );
    Ok(Json(ApiResults {
        year: y.year,
        stage: y.stage,
        distribution,
        classes,
        results: rows
            .into_iter()
            .map(|r| ApiResult {
                enterprise_id: r.enterprise.id,
                credit_code: r.enterprise.credit_code,
                name: r.enterprise.name,
                district_code: r.enterprise.district_code,
                industry: r.enterprise.industry,
                above_scale: r.enterprise.above_scale != 0,
                result: r.result,
            })
            .collect(),
    }))
}

/// The improvement list of a year's evaluation in the caller's scope, with its totals
/// (亩 and m² in hundredths).
#[utoipa::path(get, path = "/api/v1/mujun/improvements", params(("year" = Option<i32>, Query, description = "评价年度")), tag = "mujun",
    responses((status = 200, description = "成功", body = Improvements), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "参数未通过校验", body = crate::error::ErrorBody)))]
pub async fn api_mujun_improvements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Improvements>, ApiError> {
    let q: YearQuery = parse_query(raw.as_deref())?;
    let year = year_of(&state, q.year).await?;
    let list = state
        .store
        .mujun_improvements(&user.viewer, year, None)
        .await?;
    Ok(Json(list))
}
