//! 对口工作 pages and API: the programme matrix (programmes × indicators, target against actual,
//! coloured by status), a programme's page with its indicators, funds and disbursements and the
//! forms to report them, and the JSON under `/api/v1/assistance/`. Every read goes through the
//! store's scoped calls: an on-site team sees its own programme only.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, pair};
use crate::error::{ApiError, ApiPath, AppError, PathOr404};
use crate::form::{parse_body, parse_query};
use crate::progress::this_month;
use crate::project::today;
use crate::views::{Opt, html, wan_display};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::assistance::{COMMON_INDICATORS, ProgrammeInput, ProgrammeKind, parse_amount};
use hezuo_domain::{Month, Viewer, Yuan};
use hezuo_store::StoreError;
use hezuo_store::assistance::{
    FundRow, PersonRow, ProgrammeFilter, ProgrammePage, ProgrammeRow, SaleRow,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The filter a request asks for; without a year, the latest year with programmes.
async fn filter_of(
    state: &AppState,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<(ProgrammeFilter, Vec<i64>), AppError> {
    let mut filter: ProgrammeFilter = parse_query(raw)?;
    let all = state
        .store
        .programmes(viewer, &ProgrammeFilter::default(), this_month())
        .await?;
    let mut years: Vec<i64> = all.items.iter().map(|p| p.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    if filter.year.is_none() {
        filter.year = years.first().copied();
    }
    Ok((filter, years))
}

/// One cell of the matrix: an indicator of a programme, or nothing.
pub struct MatrixCell {
    actual: String,
    target: String,
    status: String,
    title: String,
}

#[derive(Template)]
#[template(path = "assistance/matrix.html")]
struct MatrixPage {
    chrome: Chrome,
    filter: ProgrammeFilter,
    years: Vec<Opt>,
    kinds: Vec<Opt>,
    month: String,
    /// The filter as a query string, for the export link.
    query: String,
    /// The indicator names across the programmes, common ones first.
    columns: Vec<String>,
    rows: Vec<(ProgrammeRow, Vec<Option<MatrixCell>>)>,
    /// (label, code, programmes) by overall status.
    tiles: Vec<(&'static str, &'static str, usize)>,
    can_manage: bool,
}

impl MatrixPage {
    fn selected(&self, value: &str, current: &Option<String>) -> bool {
        current.as_deref() == Some(value)
    }

    fn selected_year(&self, value: &str) -> bool {
        self.filter.year.map(|y| y.to_string()).as_deref() == Some(value)
    }

    fn money(&self, yuan: impl std::borrow::Borrow<i64>) -> String {
        wan_display(*yuan.borrow())
    }
}

/// Indicator names over the programmes: the common ones in their order, then the others.
fn matrix_columns(page: &ProgrammePage) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (common, _) in COMMON_INDICATORS {
        if page
            .items
            .iter()
            .any(|p| p.indicators.iter().any(|i| i.name == common))
        {
            names.push(common.to_string());
        }
    }
    for p in &page.items {
        for i in &p.indicators {
            if !names.contains(&i.name) {
                names.push(i.name.clone());
            }
        }
    }
    names
}

/// `GET /assistance?year=&kind=&month=`: the matrix.
pub async fn matrix(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (filter, years) = filter_of(&state, &user.viewer, raw.as_deref()).await?;
    let page = state
        .store
        .programmes(&user.viewer, &filter, this_month())
        .await?;
    let columns = matrix_columns(&page);
    let tiles = hezuo_domain::assistance::IndicatorStatus::ALL
        .iter()
        .map(|s| {
            (
                s.label(),
                s.code(),
                page.items
                    .iter()
                    .filter(|p| p.status.as_deref() == Some(s.code()))
                    .count(),
            )
        })
        .collect();
    let rows = page
        .items
        .iter()
        .map(|p| {
            let cells = columns
                .iter()
                .map(|c| {
                    p.indicators
                        .iter()
                        .find(|i| &i.name == c)
                        .map(|i| MatrixCell {
                            actual: i.actual.clone(),
                            target: format!("目标{}{}", i.target, i.unit),
                            status: i.status.clone(),
                            title: format!(
                                "{}：完成{}，目标{}{}（{}）",
                                i.name, i.actual, i.target, i.unit, i.status_label
                            ),
                        })
                })
                .collect();
            (p.clone(), cells)
        })
        .collect();
    Ok(html(&MatrixPage {
        chrome: Chrome::new(&state, &user, "assistance"),
        years: years
            .iter()
            .map(|y| Opt {
                value: y.to_string(),
                label: format!("{y}年"),
            })
            .collect(),
        kinds: Opt::of(
            &ProgrammeKind::ALL,
            ProgrammeKind::code,
            ProgrammeKind::label,
        ),
        month: page.as_of.clone(),
        query: {
            let mut q = form_urlencoded::Serializer::new(String::new());
            if let Some(y) = filter.year {
                q.append_pair("year", &y.to_string());
            }
            if let Some(k) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
                q.append_pair("kind", k);
            }
            q.append_pair("month", &page.as_of);
            q.finish()
        },
        columns,
        rows,
        tiles,
        filter,
        can_manage: user.viewer.is_office(),
    }))
}

/// `GET /assistance/export.xlsx?year=&kind=&month=`: every indicator of the filtered
/// programmes with its target, actual and status, and every fund with what was paid out.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    let (filter, _) = filter_of(&state, &user.viewer, raw.as_deref()).await?;
    let page = state
        .store
        .programmes(&user.viewer, &filter, this_month())
        .await?;
    let year = filter.year.map_or_else(String::new, |y| format!("{y}年"));
    let scope = crate::export::scope_line(
        &format!("{year}，按{}序时进度评价", page.as_of),
        &user.user.display_name,
    );
    let columns = vec![
        Column::new("类型", Text, 16.0),
        Column::new("结对地区", Text, 24.0),
        Column::new("指标", Text, 18.0),
        Column::new("单位", Text, 8.0),
        Column::new("省定目标", Text, 12.0),
        Column::new("完成", Text, 12.0),
        Column::new("完成率", Text, 10.0),
        Column::new("统计至", Text, 10.0),
        Column::new("状态", Text, 14.0),
    ];
    let mut rows = Vec::new();
    for p in &page.items {
        for i in &p.indicators {
            rows.push(vec![
                Cell::Text(p.kind_label.clone()),
                Cell::Text(p.partner_region.clone()),
                Cell::Text(i.name.clone()),
                Cell::Text(i.unit.clone()),
                Cell::Text(i.target.clone()),
                Cell::Text(i.actual.clone()),
                Cell::Text(i.rate.clone()),
                Cell::Text(i.as_of.clone().unwrap_or_default()),
                Cell::Text(i.status_label.clone()),
            ]);
        }
    }
    let fund_columns = vec![
        Column::new("类型", Text, 16.0),
        Column::new("结对地区", Text, 24.0),
        Column::new("援助项目", Text, 32.0),
        Column::new("安排资金（万元）", Wan, 16.0),
        Column::new("已拨付（万元）", Wan, 16.0),
        Column::new("余额（万元）", Wan, 14.0),
        Column::new("拨付笔数", Integer, 10.0),
    ];
    let mut fund_rows = Vec::new();
    for p in &page.items {
        for f in state.store.funds(&user.viewer, p.id).await? {
            fund_rows.push(vec![
                Cell::Text(p.kind_label.clone()),
                Cell::Text(p.partner_region.clone()),
                Cell::Text(f.project.clone()),
                Cell::Yuan(f.allocated),
                Cell::Yuan(f.disbursed),
                Cell::Yuan(f.balance()),
                Cell::Int(f.disbursements.len() as i64),
            ]);
        }
    }
    let city = &state.config.city_name;
    let (t1, t2) = (
        format!("{city}{year}对口工作指标完成情况"),
        format!("{city}{year}对口援助资金安排和拨付情况"),
    );
    let sheets = [
        BookSheet {
            list: ListSheet {
                sheet_name: "指标完成情况",
                title: &t1,
                scope: &scope,
                columns: &columns,
            },
            rows,
            chart: None,
        },
        BookSheet {
            list: ListSheet {
                sheet_name: "援助资金",
                title: &t2,
                scope: &scope,
                columns: &fund_columns,
            },
            rows: fund_rows,
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "对口工作", "assistance")
}

// ---- one programme -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "assistance/detail.html")]
struct DetailPage {
    chrome: Chrome,
    p: ProgrammeRow,
    funds: Vec<FundRow>,
    people: Vec<PersonRow>,
    sales: Vec<SaleRow>,
    month: String,
    can_change: bool,
    can_set_targets: bool,
    common: Vec<(&'static str, &'static str)>,
    /// Today, the disbursement form's default day.
    today: String,
    notice: String,
    /// An indicator saved over a stale version: the user's figures beside the latest.
    conflict: Option<Conflict>,
}

impl DetailPage {
    fn sales_total(&self) -> i64 {
        self.sales.iter().map(|s| s.amount).sum()
    }

    fn money(&self, yuan: impl std::borrow::Borrow<i64>) -> String {
        wan_display(*yuan.borrow())
    }
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    notice: String,
) -> Result<DetailPage, AppError> {
    let page = state
        .store
        .programmes(&user.viewer, &ProgrammeFilter::default(), this_month())
        .await?;
    let p = page
        .items
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let funds = state.store.funds(&user.viewer, id).await?;
    let people = state.store.people(&user.viewer, id).await?;
    let sales = state.store.sales(&user.viewer, id).await?;
    let team = p.team_unit_id;
    Ok(DetailPage {
        chrome: Chrome::new(state, user, "assistance"),
        can_change: user.viewer.is_office() || team.is_some_and(|t| user.viewer.may_report_for(t)),
        can_set_targets: user.viewer.is_office(),
        // Figures are reported for the programme's year: its December once the year is over.
        month: this_month()
            .min(Month::new(p.year as i32, 12).unwrap_or_else(this_month))
            .to_string(),
        common: COMMON_INDICATORS.to_vec(),
        today: today().to_string(),
        p,
        funds,
        people,
        sales,
        notice,
        conflict: None,
    })
}

/// `GET /assistance/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    Ok(html(&detail_page(&state, &user, id, String::new()).await?))
}

/// After a change to a programme: back to its page, or — refused — its page again with the
/// reason (nothing was stored).
async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<(), StoreError>,
) -> Result<Response, AppError> {
    let e = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/assistance/{id}")).into_response()),
        Err(e) => e,
    };
    let status = match &e {
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        StoreError::NotFound => return Err(AppError::NotFound),
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let notice = AppError::from(e).to_string();
    Ok((status, html(&detail_page(state, user, id, notice).await?)).into_response())
}

#[derive(Debug, Deserialize)]
struct IndicatorForm {
    name: String,
    unit: String,
    #[serde(default)]
    target: String,
    actual: String,
    month: String,
    #[serde(default)]
    version: Option<i64>,
}

/// `POST /assistance/{id}/indicators`: an indicator's target (office) and actual as of a month.
pub async fn set_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: IndicatorForm = parse_body(req).await?;
    let amount = |label: &str, t: &str| {
        parse_amount(t).ok_or_else(|| {
            StoreError::invalid(
                "actual",
                format!("{label}“{}”不是有效数值（最多两位小数）", t.trim()),
            )
        })
    };
    let result = async {
        let target = amount("目标", &form.target)?;
        let actual = amount("完成", &form.actual)?;
        let month = Month::parse(&form.month)
            .ok_or_else(|| StoreError::invalid("month", "请填写统计月份，如 2024-06"))?;
        state
            .store
            .set_indicator(
                &user.viewer,
                &user.actor,
                id,
                (&form.name, &form.unit),
                target,
                actual,
                month,
                form.version,
            )
            .await
    }
    .await;
    if let Err(StoreError::Conflict(_)) = result {
        return stale_indicator(&state, &user, id, form).await;
    }
    answer(&state, &user, id, result).await
}

/// An indicator saved over a version that is no longer the latest: the page with the latest
/// figures, and the user's beside them with a button to save them over it.
async fn stale_indicator(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: IndicatorForm,
) -> Result<Response, AppError> {
    let mut page = detail_page(state, user, id, String::new()).await?;
    let latest = page
        .p
        .indicators
        .iter()
        .find(|i| i.name == form.name.trim())
        .ok_or(AppError::NotFound)?;
    // Each row names the indicator: the page lists several, each with its own row form.
    let label = |field: &str| format!("{}·{field}", latest.name);
    let pairs = [
        pair(&label("省定目标"), &form.target, &latest.target),
        pair(&label("完成"), &form.actual, &latest.actual),
        pair(
            &label("统计至"),
            &form.month,
            latest.as_of.clone().unwrap_or_default(),
        ),
    ];
    let conflict = Conflict::load(
        &state.store,
        "assistance_indicator",
        latest.id,
        format!("/assistance/{id}"),
        pairs,
    )
    .await?
    .with_resubmit(
        format!("/assistance/{id}/indicators"),
        [
            ("name", form.name.clone()),
            ("unit", form.unit.clone()),
            ("target", form.target.clone()),
            ("actual", form.actual.clone()),
            ("month", form.month.clone()),
            ("version", latest.version.to_string()),
        ],
    );
    page.conflict = Some(conflict);
    Ok((StatusCode::CONFLICT, html(&page)).into_response())
}

#[derive(Debug, Deserialize)]
struct FundForm {
    project: String,
    allocated_wan: String,
}

/// `POST /assistance/{id}/funds`: money allocated to an assistance project.
pub async fn add_fund(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: FundForm = parse_body(req).await?;
    let result = match Yuan::parse_wan(&form.allocated_wan) {
        Ok(amount) => state
            .store
            .add_fund(&user.viewer, &user.actor, id, &form.project, amount)
            .await
            .map(|_| ()),
        Err(e) => Err(StoreError::invalid("allocated", format!("安排资金：{e}"))),
    };
    answer(&state, &user, id, result).await
}

#[derive(Debug, Deserialize)]
struct DisburseForm {
    programme_id: i64,
    amount_wan: String,
    paid_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /assistance/funds/{id}/disburse`: a payment out of a fund, never past its balance.
pub async fn disburse(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(fund_id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: DisburseForm = parse_body(req).await?;
    let result = match (
        Yuan::parse_wan(&form.amount_wan),
        hezuo_domain::project::parse_date(&form.paid_on),
    ) {
        (Ok(amount), Some(day)) => state
            .store
            .disburse(&user.viewer, &user.actor, fund_id, amount, day, &form.note)
            .await
            .map(|_| ()),
        (Err(e), _) => Err(StoreError::invalid("amount", format!("拨付金额：{e}"))),
        (_, None) => Err(StoreError::invalid(
            "paid_on",
            "请填写拨付日期，如 2024-06-30",
        )),
    };
    answer(&state, &user, form.programme_id, result).await
}

/// The first problem of a form, as the programme page's notice.
fn first_problem(errors: Vec<hezuo_domain::FieldError>) -> StoreError {
    let message = errors
        .into_iter()
        .map(|e| e.message)
        .collect::<Vec<_>>()
        .join("；");
    StoreError::invalid("", message)
}

/// `POST /assistance/{id}/people`: a person dispatched.
pub async fn add_person(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: hezuo_domain::assistance::PersonInput = parse_body(req).await?;
    let result = match form.validate() {
        Ok(p) => state
            .store
            .add_person(&user.viewer, &user.actor, id, &p)
            .await
            .map(|_| ()),
        Err(errors) => Err(first_problem(errors)),
    };
    answer(&state, &user, id, result).await
}

/// `POST /assistance/{id}/sales`: a consumption-assistance sale.
pub async fn add_sale(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: hezuo_domain::assistance::SaleInput = parse_body(req).await?;
    let result = match form.validate() {
        Ok(sale) => state
            .store
            .add_sale(&user.viewer, &user.actor, id, &sale)
            .await
            .map(|_| ()),
        Err(errors) => Err(first_problem(errors)),
    };
    answer(&state, &user, id, result).await
}

#[derive(Template)]
#[template(path = "assistance/form.html")]
struct NewPage {
    chrome: Chrome,
    form: ProgrammeInput,
    kinds: Vec<Opt>,
    units: Vec<Opt>,
    errors: Vec<hezuo_domain::FieldError>,
}

impl NewPage {
    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    form: ProgrammeInput,
    errors: Vec<hezuo_domain::FieldError>,
) -> Result<NewPage, AppError> {
    Ok(NewPage {
        chrome: Chrome::new(state, user, "assistance"),
        form,
        kinds: Opt::of(
            &ProgrammeKind::ALL,
            ProgrammeKind::code,
            ProgrammeKind::label,
        ),
        units: crate::views::Lookups::load(state, &user.viewer)
            .await?
            .units,
        errors,
    })
}

/// `GET /assistance/new`.
pub async fn new_programme(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !user.viewer.is_office() {
        return Err(AppError::Forbidden("只有合作办可以新建对口工作".into()));
    }
    let form = ProgrammeInput {
        year: this_month().year.to_string(),
        ..Default::default()
    };
    Ok(html(&new_page(&state, &user, form, Vec::new()).await?))
}

/// `POST /assistance`.
pub async fn create_programme(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    if !user.viewer.is_office() {
        return Err(AppError::Forbidden("只有合作办可以新建对口工作".into()));
    }
    let form: ProgrammeInput = parse_body(req).await?;
    let errors = match form.validate() {
        Ok(p) => match state
            .store
            .create_programme(&user.viewer, &user.actor, &p)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/assistance/{id}")).into_response()),
            Err(StoreError::Conflict(message)) => vec![hezuo_domain::FieldError {
                field: "name".into(),
                message,
            }],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let page = new_page(&state, &user, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

// ---- API -----------------------------------------------------------------------------------

/// A programme with its funds and their disbursements.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDetail {
    #[serde(flatten)]
    pub programme: ProgrammeRow,
    pub funds: Vec<FundRow>,
    pub people: Vec<PersonRow>,
    pub sales: Vec<SaleRow>,
}

/// Paired-assistance programmes in the caller's scope, each indicator with its status at the
/// month asked (default now).
#[utoipa::path(get, path = "/api/v1/assistance/programmes", params(ProgrammeFilter), tag = "assistance",
    responses((status = 200, description = "成功", body = ProgrammePage), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "参数未通过校验", body = crate::error::ErrorBody)))]
pub async fn api_programmes(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<ProgrammePage>, ApiError> {
    let filter: ProgrammeFilter = parse_query(raw.as_deref())?;
    Ok(Json(
        state
            .store
            .programmes(&user.viewer, &filter, this_month())
            .await?,
    ))
}

/// One programme with its funds.
#[utoipa::path(get, path = "/api/v1/assistance/programmes/{id}", params(("id" = i64, Path)), tag = "assistance",
    responses((status = 200, description = "成功", body = ProgrammeDetail), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 404, description = "不存在或不在权限范围内", body = crate::error::ErrorBody)))]
pub async fn api_programme(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgrammeDetail>, ApiError> {
    let page = state
        .store
        .programmes(&user.viewer, &ProgrammeFilter::default(), this_month())
        .await?;
    let programme = page
        .items
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let funds = state.store.funds(&user.viewer, id).await?;
    let people = state.store.people(&user.viewer, id).await?;
    let sales = state.store.sales(&user.viewer, id).await?;
    Ok(Json(ProgrammeDetail {
        programme,
        funds,
        people,
        sales,
    }))
}
