//! 平台 · 飞地 pages and API: the platforms and enclaves with their year-to-date figures, 同比,
//! and an enclave's shares due to its partner against what arrived; a platform's page with its
//! history and the form to file a month's figures (the office or the district's liaison).

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, side_by_side};
use crate::error::{ApiError, AppError, PathOr404};
use crate::form::{parse_body, parse_query};
use crate::progress::this_month;
use crate::views::{Opt, html};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::platform::{PlatformInput, PlatformKind};
use hezuo_domain::{Month, Role, Yuan};
use hezuo_store::StoreError;
use hezuo_store::coop_platform::{
    FiguresRow, PlatformFigures, PlatformFilter, PlatformPage, PlatformRow,
};
use serde::Deserialize;

/// Yuan as 亿元 with two decimals, as platform reports state them.
fn yi(yuan: i64) -> String {
    Yuan(yuan).yi_text(2)
}

#[derive(Template)]
#[template(path = "platforms/list.html")]
struct ListPage {
    chrome: Chrome,
    page: PlatformPage,
    kinds: Vec<Opt>,
    kind: String,
    can_manage: bool,
    form: PlatformInput,
    districts: Vec<Opt>,
    errors: Vec<hezuo_domain::FieldError>,
}

impl ListPage {
    fn yi(&self, yuan: &i64) -> String {
        yi(*yuan)
    }

    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    filter: &PlatformFilter,
    form: PlatformInput,
    errors: Vec<hezuo_domain::FieldError>,
) -> Result<ListPage, AppError> {
    let page = state
        .store
        .coop_platforms(&user.viewer, filter, this_month())
        .await?;
    Ok(ListPage {
        chrome: Chrome::new(state, user, "platforms"),
        page,
        kinds: Opt::of(&PlatformKind::ALL, PlatformKind::code, PlatformKind::label),
        kind: filter.kind.clone().unwrap_or_default(),
        can_manage: user.viewer.is_office(),
        form,
        districts: crate::views::Lookups::load(state, &user.viewer)
            .await?
            .districts,
        errors,
    })
}

/// `GET /platforms?year=&month=&kind=`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let filter: PlatformFilter = parse_query(raw.as_deref())?;
    let page = list_page(&state, &user, &filter, PlatformInput::default(), Vec::new()).await?;
    Ok(html(&page))
}

/// `POST /platforms`: a new platform or enclave (office).
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: PlatformInput = parse_body(req).await?;
    let errors = match form.validate() {
        Ok(p) => match state
            .store
            .create_coop_platform(&user.viewer, &user.actor, &p)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/platforms/{id}")).into_response()),
            Err(StoreError::Conflict(message) | StoreError::Invalid { message, .. }) => {
                vec![hezuo_domain::FieldError {
                    field: "name".into(),
                    message,
                }]
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let page = list_page(&state, &user, &PlatformFilter::default(), form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

#[derive(Template)]
#[template(path = "platforms/detail.html")]
struct DetailPage {
    chrome: Chrome,
    p: PlatformRow,
    history: Vec<FiguresRow>,
    can_report: bool,
    /// The report form as typed (empty on first view; the month defaults to this one).
    form: FiguresForm,
    notice: String,
    /// Figures saved over a stale version: the user's beside the latest.
    conflict: Option<Conflict>,
}

impl DetailPage {
    /// A period's key in the form's `version_YYYY-MM` inputs.
    fn period(&self, h: &FiguresRow) -> String {
        format!("{}-{:02}", h.year, h.month)
    }

    fn yi(&self, yuan: &i64) -> String {
        yi(*yuan)
    }
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    notice: String,
) -> Result<DetailPage, AppError> {
    let history = state.store.platform_history(&user.viewer, id).await?;
    let page = state
        .store
        .coop_platforms(&user.viewer, &PlatformFilter::default(), this_month())
        .await?;
    let p = page
        .items
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(DetailPage {
        chrome: Chrome::new(state, user, "platforms"),
        can_report: user.viewer.is_office() || user.viewer.role == Role::Area,
        form: FiguresForm {
            month: this_month().to_string(),
            ..Default::default()
        },
        p,
        history,
        notice,
        conflict: None,
    })
}

/// `GET /platforms/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    Ok(html(&detail_page(&state, &user, id, String::new()).await?))
}

/// A month's figures as typed, in 万元 (projects a count).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct FiguresForm {
    month: String,
    /// The version read; the page posts one per month it lists as `version_YYYY-MM`.
    version: Option<i64>,
    fixed_asset_investment: String,
    industrial_output: String,
    projects: String,
    projects_investment: String,
    tax: String,
    output_arrived: String,
    tax_arrived: String,
}

impl FiguresForm {
    fn figures(&self) -> Result<(Month, PlatformFigures), StoreError> {
        let month = Month::parse(&self.month)
            .ok_or_else(|| StoreError::invalid("month", "请填写统计月份，如 2024-11"))?;
        let wan = |label: &str, t: &str| -> Result<i64, StoreError> {
            if t.trim().is_empty() {
                return Ok(0);
            }
            Yuan::parse_wan(t)
                .map(|y| y.0)
                .map_err(|e| StoreError::invalid("figures", format!("{label}：{e}")))
        };
        let projects =
            match self.projects.trim() {
                "" => 0,
                t => t.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    StoreError::invalid("projects", format!("引进项目“{t}”不是个数"))
                })?,
            };
        Ok((
            month,
            PlatformFigures {
                fixed_asset_investment: wan("固定资产投资", &self.fixed_asset_investment)?,
                industrial_output: wan("规上工业总产值", &self.industrial_output)?,
                projects,
                projects_investment: wan("引进项目总投资", &self.projects_investment)?,
                tax: wan("税收", &self.tax)?,
                output_arrived: wan("产值分成实到", &self.output_arrived)?,
                tax_arrived: wan("税收分成实到", &self.tax_arrived)?,
            },
        ))
    }
}

/// A month's figures as the conflict table shows them, in the form's order and units.
fn figure_fields(f: &PlatformFigures, enclave: bool) -> Vec<(&'static str, String)> {
    let wan = |yuan: i64| Yuan(yuan).wan_text();
    let mut fields = vec![
        ("固定资产投资（万元）", wan(f.fixed_asset_investment)),
        ("规上工业总产值（万元）", wan(f.industrial_output)),
        ("引进项目（个）", f.projects.to_string()),
        ("引进项目总投资（万元）", wan(f.projects_investment)),
        ("税收（万元）", wan(f.tax)),
    ];
    if enclave {
        fields.push(("产值分成实到（万元）", wan(f.output_arrived)));
        fields.push(("税收分成实到（万元）", wan(f.tax_arrived)));
    }
    fields
}

/// `POST /platforms/{id}/figures`: a month's year-to-date figures, against the version read of
/// that month (`version_YYYY-MM`); a refusal keeps what was typed, a stale save shows both.
pub async fn set_figures(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let body = crate::form::body_bytes(req).await?;
    let mut form: FiguresForm = crate::form::parse_pairs(&body)?;
    if let Some(m) = Month::parse(&form.month) {
        form.version = crate::form::version_for(&body, &m.to_string()).or(form.version);
    }
    let result = match form.figures() {
        Ok((month, figures)) => state
            .store
            .set_platform_figures(&user.viewer, &user.actor, id, month, &figures, form.version)
            .await
            .map_err(|e| (e, Some(month))),
        Err(e) => Err((e, None)),
    };
    let (e, month) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/platforms/{id}")).into_response()),
        Err((StoreError::NotFound, _)) => return Err(AppError::NotFound),
        Err(e) => e,
    };
    let mut page = detail_page(&state, &user, id, String::new()).await?;
    let latest = month.and_then(|m| {
        page.history
            .iter()
            .find(|h| h.year == i64::from(m.year) && h.month == i64::from(m.month))
            .cloned()
    });
    let status = match (e, latest) {
        (StoreError::Conflict(_), Some(latest)) => {
            // The figures as they would be stored (a blank is 0), so only real differences show.
            let enclave = page.p.kind == "enclave";
            let mine = form.figures().map(|(_, f)| f).unwrap_or_default();
            let pairs = side_by_side(
                figure_fields(&mine, enclave),
                figure_fields(&latest.figures, enclave),
            );
            page.conflict = Some(
                Conflict::load(
                    &state.store,
                    "coop_platform_figures",
                    id,
                    format!("/platforms/{id}"),
                    pairs,
                )
                .await?,
            );
            // Saving again applies the user's figures over the latest version.
            form.version = Some(latest.version);
            StatusCode::CONFLICT
        }
        (e, _) => {
            let status = if matches!(e, StoreError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            page.notice = AppError::from(e).to_string();
            status
        }
    };
    page.form = form;
    Ok((status, html(&page)).into_response())
}

/// `GET /platforms/export.xlsx?year=&month=&kind=`: the list as a workbook, in 万元.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    let filter: PlatformFilter = parse_query(raw.as_deref())?;
    let page = state
        .store
        .coop_platforms(&user.viewer, &filter, this_month())
        .await?;
    let period = format!("{}年1—{}月", page.year, page.month);
    let scope = crate::export::scope_line(&period, &user.user.display_name);
    let columns = vec![
        Column::new("名称", Text, 26.0),
        Column::new("类型", Text, 10.0),
        Column::new("所在区县", Text, 10.0),
        Column::new("合作地区", Text, 20.0),
        Column::new("数据截至", Text, 10.0),
        Column::new("固定资产投资（万元）", Wan, 16.0),
        Column::new("同比", Text, 9.0),
        Column::new("规上工业总产值（万元）", Wan, 18.0),
        Column::new("同比", Text, 9.0),
        Column::new("引进项目（个）", Integer, 12.0),
        Column::new("引进项目总投资（万元）", Wan, 18.0),
        Column::new("税收（万元）", Wan, 14.0),
        Column::new("同比", Text, 9.0),
        Column::new("应分税收（万元）", Wan, 14.0),
        Column::new("实到税收（万元）", Wan, 14.0),
    ];
    let text = |o: &Option<String>| Cell::Text(o.clone().unwrap_or_default());
    let rows = page
        .items
        .iter()
        .map(|p| {
            let f = p.current.as_ref().map(|c| c.figures).unwrap_or_default();
            let money = |v: i64| {
                if p.current.is_some() {
                    Cell::Yuan(v)
                } else {
                    Cell::Empty
                }
            };
            vec![
                Cell::Text(p.name.clone()),
                Cell::Text(p.kind_label.clone()),
                Cell::Text(p.district_name.clone()),
                Cell::Text(p.partner_region.clone()),
                Cell::Text(
                    p.current
                        .as_ref()
                        .map_or_else(|| "未填报".into(), |c| format!("{}-{:02}", c.year, c.month)),
                ),
                money(f.fixed_asset_investment),
                text(&p.yoy.fixed_asset_investment),
                money(f.industrial_output),
                text(&p.yoy.industrial_output),
                if p.current.is_some() {
                    Cell::Int(f.projects)
                } else {
                    Cell::Empty
                },
                money(f.projects_investment),
                money(f.tax),
                text(&p.yoy.tax),
                p.tax_settlement
                    .map_or(Cell::Empty, |s| Cell::Yuan(s.agreed)),
                p.tax_settlement
                    .map_or(Cell::Empty, |s| Cell::Yuan(s.arrived)),
            ]
        })
        .collect();
    let title = format!(
        "{}合作平台与飞地主要指标（{period}）",
        state.config.city_name
    );
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "平台飞地",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows,
        chart: None,
    }];
    crate::export::book_download(&sheets, "平台飞地", "platforms")
}

/// Platforms and enclaves in the caller's scope with their year-to-date figures, 同比 and, for
/// an enclave, the shares due to its partner against what arrived.
#[utoipa::path(get, path = "/api/v1/platforms", params(PlatformFilter), tag = "platforms",
    responses((status = 200, description = "成功", body = PlatformPage), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 422, description = "参数未通过校验", body = crate::error::ErrorBody)))]
pub async fn api_platforms(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<PlatformPage>, ApiError> {
    let filter: PlatformFilter = parse_query(raw.as_deref())?;
    Ok(Json(
        state
            .store
            .coop_platforms(&user.viewer, &filter, this_month())
            .await?,
    ))
}
