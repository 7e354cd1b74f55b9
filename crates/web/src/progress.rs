//! 投资进度 pages: a project's annual plans, monthly reports and blocking factors with their
//! forms; the office's review queue with missing and late reports per area; the 要素制约 board.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, pair};
use crate::error::{AppError, PathOr404};
use crate::form::{errors_for, parse_body, parse_query};
use crate::project::today;
use crate::views::{Opt, html, wan_display};
use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::money::Yuan;
use hezuo_domain::progress::{PlanInput, ProgressInput};
use hezuo_domain::project::parse_date;
use hezuo_domain::{BlockerKind, FieldError, Month, Role};
use hezuo_store::StoreError;
use hezuo_store::progress::{AreaReporting, BlockerRow, PlanRow, ProgressRow};
use hezuo_store::project::ProjectFilter;

/// The month now, in Beijing.
pub fn this_month() -> Month {
    let t = today();
    Month::new(
        t.format("%Y").to_string().parse().unwrap_or(2024),
        t.format("%m").to_string().parse().unwrap_or(1),
    )
    .expect("today is a valid month")
}

/// The month before this one: what areas are reporting on now.
pub fn last_month() -> Month {
    let m = this_month();
    if m.month == 1 {
        Month {
            year: m.year - 1,
            month: 12,
        }
    } else {
        Month {
            year: m.year,
            month: m.month - 1,
        }
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "accepted" => "已确认",
        "returned" => "已退回",
        _ => "待审核",
    }
}

fn blocker_label(kind: &str) -> String {
    BlockerKind::parse(kind).map_or(kind.to_string(), |k| k.label().to_string())
}

pub struct PlanView {
    year: i64,
    planned: String,
    start: String,
    completion: String,
    version: i64,
}

impl From<&PlanRow> for PlanView {
    fn from(p: &PlanRow) -> Self {
        PlanView {
            year: p.year,
            planned: wan_display(p.planned),
            start: p.planned_start.clone().unwrap_or_default(),
            completion: p.planned_completion.clone().unwrap_or_default(),
            version: p.version,
        }
    }
}

pub struct ReportView {
    id: i64,
    month: String,
    invested: String,
    image_progress: String,
    coordination: String,
    status: String,
    status_label: &'static str,
    return_reason: String,
    version: i64,
}

impl From<&ProgressRow> for ReportView {
    fn from(r: &ProgressRow) -> Self {
        ReportView {
            id: r.id,
            month: format!("{}-{:02}", r.year, r.month),
            invested: wan_display(r.invested),
            image_progress: r.image_progress.clone(),
            coordination: r.coordination.clone(),
            status: r.status.clone(),
            status_label: status_label(&r.status),
            return_reason: r.return_reason.clone().unwrap_or_default(),
            version: r.version,
        }
    }
}

pub struct BlockerView {
    id: i64,
    project_id: i64,
    project: String,
    district: String,
    kind: String,
    description: String,
    opened_on: String,
    resolved_on: String,
    age_days: i64,
}

impl From<&BlockerRow> for BlockerView {
    fn from(b: &BlockerRow) -> Self {
        let age_days = parse_date(&b.opened_on).map_or(0, |d| (today() - d).num_days().max(0));
        BlockerView {
            id: b.id,
            project_id: b.project_id,
            project: b.project_name.clone(),
            district: b.district_name.clone(),
            kind: blocker_label(&b.kind),
            description: b.description.clone(),
            opened_on: b.opened_on.clone(),
            resolved_on: b.resolved_on.clone().unwrap_or_default(),
            age_days,
        }
    }
}

#[derive(Template)]
#[template(path = "progress/project.html")]
struct ProjectProgressPage {
    chrome: Chrome,
    id: i64,
    name: String,
    plans: Vec<PlanView>,
    reports: Vec<ReportView>,
    blockers: Vec<BlockerView>,
    can_edit: bool,
    can_review: bool,
    plan_form: PlanInput,
    plan_errors: Vec<FieldError>,
    report_form: ProgressInput,
    report_errors: Vec<FieldError>,
    blocker_kinds: Vec<Opt>,
    /// The blocker rows of the report form as typed: (kind, note).
    blocker_rows: Vec<(String, String)>,
    notice: String,
    /// A stale plan or report: what was typed beside the latest version.
    conflict: Option<Conflict>,
    today: String,
}

impl ProjectProgressPage {
    fn plan_error(&self, field: &str) -> String {
        errors_for(&self.plan_errors, field)
    }
    fn report_error(&self, field: &str) -> String {
        errors_for(&self.report_errors, field)
    }
}

#[derive(Default)]
struct Forms {
    plan: Option<(PlanInput, String, Vec<FieldError>)>,
    report: Option<(ProgressInput, Vec<FieldError>)>,
    notice: String,
    conflict: Option<Conflict>,
}

async fn project_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    forms: Forms,
) -> Result<Response, AppError> {
    let project = state.store.get_project(&user.viewer, id).await?;
    let plans = state.store.plans(&user.viewer, id).await?;
    let reports = state.store.progress_reports(&user.viewer, id).await?;
    let blockers = state.store.project_blockers(&user.viewer, id).await?;
    let stale = forms.conflict.is_some();
    let failed = forms.plan.as_ref().is_some_and(|p| !p.2.is_empty())
        || forms.report.as_ref().is_some_and(|r| !r.1.is_empty())
        || !forms.notice.is_empty();
    let (plan_form, _, plan_errors) = forms.plan.unwrap_or_else(|| {
        let year = this_month().year;
        (
            PlanInput {
                year: year.to_string(),
                ..Default::default()
            },
            String::new(),
            Vec::new(),
        )
    });
    let (mut report_form, report_errors) = forms.report.unwrap_or_else(|| {
        (
            ProgressInput {
                month: last_month().to_string(),
                ..Default::default()
            },
            Vec::new(),
        )
    });
    report_form.blocker_kinds.resize(2, String::new());
    report_form.blocker_notes.resize(2, String::new());
    let blocker_rows = report_form
        .blocker_kinds
        .iter()
        .cloned()
        .zip(report_form.blocker_notes.iter().cloned())
        .collect();
    let page = ProjectProgressPage {
        chrome: Chrome::new(state, user, "projects"),
        id,
        name: project.name,
        plans: plans.iter().map(PlanView::from).collect(),
        reports: reports.iter().map(ReportView::from).collect(),
        blockers: blockers.iter().map(BlockerView::from).collect(),
        can_edit: user.viewer.can_edit_projects(),
        can_review: matches!(user.viewer.role, Role::Admin | Role::Office),
        plan_form,
        plan_errors,
        report_form,
        report_errors,
        blocker_kinds: Opt::of(&BlockerKind::ALL, BlockerKind::code, BlockerKind::label),
        blocker_rows,
        notice: forms.notice,
        conflict: forms.conflict,
        today: today().to_string(),
    };
    let status = if stale {
        StatusCode::CONFLICT
    } else if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html(&page)).into_response())
}

pub async fn project(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    project_page(&state, &user, id, Forms::default()).await
}

/// A store refusal that belongs on the form, or a real failure.
fn refusal(e: StoreError) -> Result<FieldError, AppError> {
    match e {
        StoreError::Invalid { field, message } => Ok(FieldError { field, message }),
        StoreError::Conflict(message) => Ok(FieldError {
            field: String::new(),
            message,
        }),
        other => Err(other.into()),
    }
}

pub async fn save_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    state.store.get_project(&user.viewer, id).await?;
    // The form carries the version it read for each year's plan as `version_YYYY`.
    let pairs: std::collections::HashMap<String, String> = parse_body(req).await?;
    let field = |k: &str| pairs.get(k).cloned().unwrap_or_default();
    let input = PlanInput {
        year: field("year"),
        planned_wan: field("planned_wan"),
        planned_start: field("planned_start"),
        planned_completion: field("planned_completion"),
    };
    let version = field(&format!("version_{}", input.year.trim()));
    let plan = match input.validate() {
        Ok(p) => p,
        Err(errors) => {
            return project_page(
                &state,
                &user,
                id,
                Forms {
                    plan: Some((input, version, errors)),
                    ..Default::default()
                },
            )
            .await;
        }
    };
    match state
        .store
        .save_plan(&user.viewer, &user.actor, id, &plan, version.parse().ok())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}/progress")).into_response()),
        Err(StoreError::Conflict(_)) => {
            let latest = state
                .store
                .plan(&user.viewer, id, plan.year)
                .await?
                .ok_or(AppError::NotFound)?;
            let pairs = [
                pair(
                    "计划投资（万元）",
                    &input.planned_wan,
                    Yuan(latest.planned).wan_text(),
                ),
                pair(
                    "计划开工（月）",
                    &input.planned_start,
                    latest.planned_start.unwrap_or_default(),
                ),
                pair(
                    "计划竣工（月）",
                    &input.planned_completion,
                    latest.planned_completion.unwrap_or_default(),
                ),
            ];
            let conflict = Conflict::load(
                &state.store,
                "annual_plan",
                id,
                format!("/projects/{id}/progress"),
                pairs,
            )
            .await?;
            project_page(
                &state,
                &user,
                id,
                Forms {
                    plan: Some((input, version, Vec::new())),
                    conflict: Some(conflict),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => {
            let error = refusal(e)?;
            project_page(
                &state,
                &user,
                id,
                Forms {
                    plan: Some((input, version, vec![error])),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

pub async fn submit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    state.store.get_project(&user.viewer, id).await?;
    let body = crate::form::body_bytes(req).await?;
    let input: ProgressInput = crate::form::parse_pairs(&body)?;
    let progress = match input.validate(this_month()) {
        Ok(p) => p,
        Err(errors) => {
            return project_page(
                &state,
                &user,
                id,
                Forms {
                    report: Some((input, errors)),
                    ..Default::default()
                },
            )
            .await;
        }
    };
    // The form carries the version it read of each month's report as `version_YYYY-MM`; a
    // month it did not list was read as having none.
    let seen = crate::form::version_for(&body, &progress.month.to_string()).unwrap_or(0);
    match state
        .store
        .submit_progress_seen(&user.viewer, &user.actor, id, &progress, Some(seen))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}/progress")).into_response()),
        Err(StoreError::Conflict(message)) => {
            let reports = state.store.progress_reports(&user.viewer, id).await?;
            let latest = reports.iter().find(|r| {
                r.year == i64::from(progress.month.year)
                    && r.month == i64::from(progress.month.month)
            });
            let Some(latest) = latest.filter(|r| r.status != "accepted") else {
                // Accepted meanwhile: final, nothing to save over.
                return project_page(
                    &state,
                    &user,
                    id,
                    Forms {
                        report: Some((
                            input,
                            vec![FieldError {
                                field: String::new(),
                                message,
                            }],
                        )),
                        ..Default::default()
                    },
                )
                .await;
            };
            let pairs = [
                pair(
                    "当月完成投资（万元）",
                    &input.invested_wan,
                    Yuan(latest.invested).wan_text(),
                ),
                pair("形象进度", &input.image_progress, &latest.image_progress),
                pair("需协调事项", &input.coordination, &latest.coordination),
            ];
            let conflict = Conflict::load(
                &state.store,
                "monthly_progress",
                latest.id,
                format!("/projects/{id}/progress"),
                pairs,
            )
            .await?;
            project_page(
                &state,
                &user,
                id,
                Forms {
                    report: Some((input, Vec::new())),
                    conflict: Some(conflict),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => {
            let error = refusal(e)?;
            project_page(
                &state,
                &user,
                id,
                Forms {
                    report: Some((input, vec![error])),
                    ..Default::default()
                },
            )
            .await
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ReviewForm {
    decision: String,
    reason: String,
    version: i64,
    project_id: i64,
    back: String,
}

pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(report_id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: ReviewForm = parse_body(req).await?;
    let accept = form.decision == "accept";
    let back = if form.back == "queue" {
        "/progress".to_string()
    } else {
        format!("/projects/{}/progress", form.project_id)
    };
    match state
        .store
        .review_progress(
            &user.viewer,
            &user.actor,
            report_id,
            form.version,
            accept,
            Some(&form.reason),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(StoreError::Conflict(message)) => {
            let reports = state
                .store
                .progress_reports(&user.viewer, form.project_id)
                .await?;
            let conflict = match reports.iter().find(|r| r.id == report_id) {
                Some(latest) => Some(
                    crate::conflict::StaleReview {
                        entity: "monthly_progress",
                        id: report_id,
                        latest_href: format!("/projects/{}/progress", form.project_id),
                        action: format!("/progress/{report_id}/review"),
                        fields: vec![
                            ("project_id", form.project_id.to_string()),
                            ("back", form.back.clone()),
                        ],
                        decision: &form.decision,
                        reason: &form.reason,
                        status: &latest.status,
                        latest_reason: latest.return_reason.as_deref().unwrap_or_default(),
                        version: latest.version,
                    }
                    .conflict(&state.store)
                    .await?,
                ),
                None => None,
            };
            project_page(
                &state,
                &user,
                form.project_id,
                Forms {
                    notice: if conflict.is_some() {
                        String::new()
                    } else {
                        message
                    },
                    conflict,
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => {
            let error = refusal(e)?;
            if form.back == "queue" {
                queue_page(&state, &user, None, error.message).await
            } else {
                project_page(
                    &state,
                    &user,
                    form.project_id,
                    Forms {
                        notice: error.message,
                        ..Default::default()
                    },
                )
                .await
            }
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ResolveForm {
    date: String,
    project_id: i64,
    back: String,
}

pub async fn resolve_blocker(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(blocker_id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: ResolveForm = parse_body(req).await?;
    let date = parse_date(&form.date).filter(|d| *d <= today());
    let result = match date {
        Some(d) => {
            state
                .store
                .resolve_blocker(&user.viewer, &user.actor, blocker_id, d)
                .await
        }
        None => Err(StoreError::invalid(
            "date",
            "请填写解决日期（不能晚于今天）",
        )),
    };
    let back = if form.back == "board" {
        "/blockers".to_string()
    } else {
        format!("/projects/{}/progress", form.project_id)
    };
    match result {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => {
            let error = refusal(e)?;
            project_page(
                &state,
                &user,
                form.project_id,
                Forms {
                    notice: error.message,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

struct PendingView {
    report: ReportView,
    project_id: i64,
    project: String,
}

#[derive(Template)]
#[template(path = "progress/queue.html")]
struct QueuePage {
    chrome: Chrome,
    month: String,
    pending: Vec<PendingView>,
    areas: Vec<AreaReporting>,
    can_review: bool,
    notice: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MonthQuery {
    month: String,
}

async fn queue_page(
    state: &AppState,
    user: &CurrentUser,
    month: Option<Month>,
    notice: String,
) -> Result<Response, AppError> {
    // Default: the latest month anyone in scope reported on (else last month).
    let month = match month {
        Some(m) => m,
        None => state
            .store
            .latest_report_month(&user.viewer)
            .await?
            .unwrap_or_else(last_month),
    };
    let pending = state
        .store
        .pending_reports(&user.viewer)
        .await?
        .iter()
        .map(|(r, name)| PendingView {
            report: ReportView::from(r),
            project_id: r.project_id,
            project: name.clone(),
        })
        .collect();
    let areas = state.store.reporting(&user.viewer, month).await?;
    let status = if notice.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let page = QueuePage {
        chrome: Chrome::new(state, user, "progress"),
        month: month.to_string(),
        pending,
        areas,
        can_review: matches!(user.viewer.role, Role::Admin | Role::Office),
        notice,
    };
    Ok((status, html(&page)).into_response())
}

/// 月报: reports waiting for review, and who has not reported for a month.
pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let q: MonthQuery = parse_query(raw.as_deref())?;
    queue_page(&state, &user, Month::parse(&q.month), String::new()).await
}

#[derive(Template)]
#[template(path = "progress/blockers.html")]
struct BoardPage {
    chrome: Chrome,
    /// The filters, for the export link.
    query: String,
    by_kind: Vec<(String, usize, i64)>,
    rows: Vec<BlockerView>,
}

/// 要素制约 board: open blocking factors by type and age.
pub async fn board(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let filter: ProjectFilter = parse_query(raw.as_deref())?;
    let rows: Vec<BlockerView> = state
        .store
        .open_blockers(&user.viewer, &filter)
        .await?
        .iter()
        .map(BlockerView::from)
        .collect();
    let by_kind = BlockerKind::ALL
        .iter()
        .map(|k| {
            let of_kind: Vec<&BlockerView> = rows.iter().filter(|r| r.kind == k.label()).collect();
            let oldest = of_kind.iter().map(|r| r.age_days).max().unwrap_or(0);
            (k.label().to_string(), of_kind.len(), oldest)
        })
        .filter(|(_, n, _)| *n > 0)
        .collect();
    Ok(html(&BoardPage {
        chrome: Chrome::new(&state, &user, "blockers"),
        query: raw.unwrap_or_default(),
        by_kind,
        rows,
    }))
}

// ---- the lists as workbooks ----------------------------------------------------------------

use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind, ListSheet};

/// `GET /progress/export.xlsx?month=YYYY-MM`: the reports waiting for review, and who has not
/// (or late) reported for the month, as the 月报 page shows them.
pub async fn export_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let q: MonthQuery = parse_query(raw.as_deref())?;
    let month = match Month::parse(&q.month) {
        Some(m) => m,
        None => state
            .store
            .latest_report_month(&user.viewer)
            .await?
            .unwrap_or_else(last_month),
    };
    let pending = state.store.pending_reports(&user.viewer).await?;
    let areas = state.store.reporting(&user.viewer, month).await?;
    let city = &state.config.city_name;
    let scope = crate::export::scope_line(
        &format!("{}；填报情况为 {month}", scope_name(&state, &user).await?),
        &user.user.display_name,
    );
    let pending_columns = vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("项目名称", Text, 34.0),
        Column::new("月份", Text, 10.0),
        Column::new("当月完成（万元）", Wan, 16.0),
        Column::new("形象进度", Text, 36.0),
        Column::new("需协调事项", Text, 30.0),
        Column::new("报送时间", Text, 18.0),
    ];
    let area_columns = vec![
        Column::new("区县", Text, 12.0),
        Column::new("应报", Integer, 8.0),
        Column::new("已报", Integer, 8.0),
        Column::new("未报", Integer, 8.0),
        Column::new("逾期", Integer, 8.0),
        Column::new("未报项目", Text, 50.0),
        Column::new("逾期项目", Text, 40.0),
    ];
    let names = |v: &[(i64, String)]| {
        Cell::Text(
            v.iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        )
    };
    let (t1, t2) = (
        format!("{city}待审核月报"),
        format!("{city}{}年{}月项目月报填报情况", month.year, month.month),
    );
    let sheets = [
        BookSheet {
            list: ListSheet {
                sheet_name: "填报情况",
                title: &t2,
                scope: &scope,
                columns: &area_columns,
            },
            rows: areas
                .iter()
                .map(|a| {
                    vec![
                        Cell::Text(a.district_name.clone()),
                        Cell::Int(a.expected),
                        Cell::Int(a.submitted),
                        Cell::Int(a.missing.len() as i64),
                        Cell::Int(a.late.len() as i64),
                        names(&a.missing),
                        names(&a.late),
                    ]
                })
                .collect(),
            chart: None,
        },
        BookSheet {
            list: ListSheet {
                sheet_name: "待审核月报",
                title: &t1,
                scope: &scope,
                columns: &pending_columns,
            },
            rows: pending
                .iter()
                .enumerate()
                .map(|(i, (r, name))| {
                    vec![
                        Cell::Int(i as i64 + 1),
                        Cell::Text(name.clone()),
                        Cell::Text(format!("{}-{:02}", r.year, r.month)),
                        Cell::Yuan(r.invested),
                        Cell::Text(r.image_progress.clone()),
                        Cell::Text(r.coordination.clone()),
                        Cell::Text(r.submitted_at.chars().take(16).collect()),
                    ]
                })
                .collect(),
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "月报填报情况", "progress")
}

/// `GET /blockers/export.xlsx?<filters>`: the open blocking factors, oldest first, and their
/// count by type.
pub async fn export_board(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let filter: ProjectFilter = parse_query(raw.as_deref())?;
    let rows: Vec<BlockerView> = state
        .store
        .open_blockers(&user.viewer, &filter)
        .await?
        .iter()
        .map(BlockerView::from)
        .collect();
    let city = &state.config.city_name;
    let scope =
        crate::export::scope_line(&scope_name(&state, &user).await?, &user.user.display_name);
    let list_columns = vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("类型", Text, 8.0),
        Column::new("项目名称", Text, 34.0),
        Column::new("所属区县", Text, 12.0),
        Column::new("具体情况", Text, 50.0),
        Column::new("提出日期", Date, 12.0),
        Column::new("已持续（天）", Integer, 12.0).untotalled(),
    ];
    let kind_columns = vec![
        Column::new("类型", Text, 10.0),
        Column::new("未解决（项）", Integer, 12.0),
        Column::new("最久（天）", Integer, 12.0).untotalled(),
    ];
    let by_kind: Vec<Vec<Cell>> = BlockerKind::ALL
        .iter()
        .filter_map(|k| {
            let of_kind: Vec<&BlockerView> = rows.iter().filter(|r| r.kind == k.label()).collect();
            (!of_kind.is_empty()).then(|| {
                vec![
                    Cell::Text(k.label().to_string()),
                    Cell::Int(of_kind.len() as i64),
                    Cell::Int(of_kind.iter().map(|r| r.age_days).max().unwrap_or(0)),
                ]
            })
        })
        .collect();
    let (t1, t2) = (
        format!("{city}未解决的要素制约清单"),
        format!("{city}未解决的要素制约（按类型）"),
    );
    let sheets = [
        BookSheet {
            list: ListSheet {
                sheet_name: "要素制约清单",
                title: &t1,
                scope: &scope,
                columns: &list_columns,
            },
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    vec![
                        Cell::Int(i as i64 + 1),
                        Cell::Text(b.kind.clone()),
                        Cell::Text(b.project.clone()),
                        Cell::Text(b.district.clone()),
                        Cell::Text(b.description.clone()),
                        Cell::Text(b.opened_on.clone()),
                        Cell::Int(b.age_days),
                    ]
                })
                .collect(),
            chart: None,
        },
        BookSheet {
            list: ListSheet {
                sheet_name: "按类型",
                title: &t2,
                scope: &scope,
                columns: &kind_columns,
            },
            rows: by_kind,
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "要素制约清单", "blockers")
}

/// The account's area by name, else the city.
async fn scope_name(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    let lookups = crate::views::Lookups::load(state, &user.viewer).await?;
    Ok(crate::views::area_name(&user.viewer, &lookups)
        .unwrap_or_else(|| state.config.city_name.clone()))
}
