//! 重点事项 · 合作协议 · 考核 pages and API: the key-item list with status counts and the
//! unit's reminders, an item's milestone timeline with its progress (filed by the lead unit with
//! evidence files, reviewed by the office), agreements clause by clause, and the assessment
//! ranking. Every figure comes from the store's scoped calls, shared by page, API and export.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::error::{ApiError, ApiPath, AppError, PathOr404};
use crate::form::{parse_body, parse_query};
use crate::progress::this_month;
use crate::project::today;
use crate::views::{Opt, html};
use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::Request;
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::assessment::AssessmentRules;
use hezuo_domain::key_item::ItemProgressInput;
use hezuo_domain::{FieldError, ItemStatus, Viewer};
use hezuo_office::evidence::{MAX_EVIDENCE_FILES, evidence_kind, evidence_name};
use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind, ListSheet};
use hezuo_store::agreement::{AgreementDetail, AgreementFilter, AgreementPage};
use hezuo_store::assessment::AssessmentReport;
use hezuo_store::key_item::{
    EvidenceUpload, KeyItemDetail, KeyItemFilter, KeyItemPage, KeyItemRow, Reminder, WorkPlanRow,
};
use serde::Deserialize;
use utoipa::IntoParams;

// ---- the list ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "key_items/list.html")]
struct ListPage {
    chrome: Chrome,
    filter: KeyItemFilter,
    query: String,
    years: Vec<Opt>,
    plans: Vec<Opt>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    statuses: Vec<Opt>,
    /// (label, code, count) for the status tiles.
    tiles: Vec<(&'static str, &'static str, i64)>,
    page: KeyItemPage,
    /// Rows before this page, for the 序号 column.
    offset: usize,
    reminders: Vec<Reminder>,
    can_manage: bool,
}

impl ListPage {
    fn selected(&self, value: &str, current: &Option<String>) -> bool {
        current.as_deref() == Some(value)
    }

    fn selected_id(&self, value: &str, current: &Option<i64>) -> bool {
        current.map(|c| c.to_string()).as_deref() == Some(value)
    }
}

fn status_opts() -> Vec<Opt> {
    Opt::of(&ItemStatus::ALL, ItemStatus::code, ItemStatus::label)
}

/// The filter a request asks for; without a year or plan, the latest plan year.
async fn filter_of(
    state: &AppState,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<(KeyItemFilter, Vec<WorkPlanRow>), AppError> {
    let mut filter: KeyItemFilter = parse_query(raw)?;
    let plans = state.store.work_plans(viewer, None).await?;
    if filter.year.is_none() && filter.plan.is_none() {
        filter.year = plans.first().map(|p| p.year);
    }
    Ok((filter, plans))
}

fn query_of(filter: &KeyItemFilter) -> String {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            pairs.append_pair(k, &v);
        }
    };
    add("year", filter.year.map(|v| v.to_string()));
    add("plan", filter.plan.map(|v| v.to_string()));
    add("category", filter.category.clone());
    add("unit", filter.unit.map(|v| v.to_string()));
    add("status", filter.status.clone());
    add("q", filter.q.clone());
    pairs.finish()
}

/// `GET /key-items`: items in scope with their status today, the status counts, and the
/// viewer's reminders (overdue and due within 7 days).
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (mut filter, plans) = filter_of(&state, &user.viewer, raw.as_deref()).await?;
    filter.per_page = Some(filter.per_page.unwrap_or(200));
    let page = state
        .store
        .list_key_items(&user.viewer, &filter, today())
        .await?;
    let reminders = state.store.reminders(&user.viewer, today()).await?;
    let mut years: Vec<i64> = plans.iter().map(|p| p.year).collect();
    years.dedup();
    let in_year: Vec<&WorkPlanRow> = plans
        .iter()
        .filter(|p| filter.year.is_none_or(|y| p.year == y))
        .collect();
    let mut categories: Vec<String> = Vec::new();
    for p in &in_year {
        for c in &p.categories {
            if !categories.contains(c) {
                categories.push(c.clone());
            }
        }
    }
    let units = if user.viewer.is_office() || user.viewer.role == hezuo_domain::Role::Leader {
        crate::views::Lookups::load(&state, &user.viewer)
            .await?
            .units
    } else {
        Vec::new()
    };
    let tiles = ItemStatus::ALL
        .iter()
        .map(|s| (s.label(), s.code(), page.counts.get(*s)))
        .collect();
    let view = ListPage {
        chrome: Chrome::new(&state, &user, "key_items"),
        query: query_of(&filter),
        years: years
            .into_iter()
            .map(|y| Opt {
                value: y.to_string(),
                label: format!("{y}年"),
            })
            .collect(),
        plans: in_year
            .iter()
            .map(|p| Opt {
                value: p.id.to_string(),
                label: p.name.clone(),
            })
            .collect(),
        categories: categories
            .into_iter()
            .map(|c| Opt {
                value: c.clone(),
                label: c,
            })
            .collect(),
        units,
        statuses: status_opts(),
        tiles,
        filter,
        offset: ((page.page - 1) * page.per_page) as usize,
        page,
        reminders,
        can_manage: user.viewer.is_office(),
    };
    Ok(html(&view))
}

/// `GET /key-items/export.xlsx`: the filtered list as a workbook, with a sheet by lead unit.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let (mut filter, _) = filter_of(&state, &user.viewer, raw.as_deref()).await?;
    filter.per_page = Some(1000);
    filter.page = None;
    let mut rows: Vec<KeyItemRow> = Vec::new();
    loop {
        let page = state
            .store
            .list_key_items(&user.viewer, &filter, today())
            .await?;
        let done = page.items.len() < 1000;
        rows.extend(page.items);
        if done {
            break;
        }
        filter.page = Some(filter.page.unwrap_or(1) + 1);
    }
    let city = &state.config.city_name;
    let scope = crate::export::scope_line(
        &filter
            .year
            .map_or_else(|| "全部年度".to_string(), |y| format!("{y}年度")),
        &user.user.display_name,
    );
    let columns = vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("所属计划", Text, 24.0),
        Column::new("任务类别", Text, 12.0),
        Column::new("事项名称", Text, 36.0),
        Column::new("牵头单位", Text, 16.0),
        Column::new("配合单位", Text, 22.0),
        Column::new("合作地区", Text, 18.0),
        Column::new("目标任务", Text, 40.0),
        Column::new("节点数", Integer, 8.0),
        Column::new("已完成节点", Integer, 10.0),
        Column::new("下一节点时限", Date, 12.0),
        Column::new("最近填报", Text, 10.0),
        Column::new("状态", Text, 8.0),
    ];
    let list: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(r.plan_name.clone()),
                Cell::Text(r.category.clone()),
                Cell::Text(r.title.clone()),
                Cell::Text(r.lead_unit_name.clone()),
                Cell::Text(r.partner_units.join("、")),
                Cell::Text(r.partner_regions.join("、")),
                Cell::Text(r.target.clone()),
                Cell::Int(r.milestones),
                Cell::Int(r.milestones_done),
                Cell::Text(r.next_due.clone().unwrap_or_default()),
                Cell::Text(r.last_report.clone().unwrap_or_default()),
                Cell::Text(r.status_label.clone()),
            ]
        })
        .collect();
    let unit_columns = vec![
        Column::new("牵头单位", Text, 20.0),
        Column::new("事项（项）", Integer, 10.0),
        Column::new("未启动", Integer, 8.0),
        Column::new("推进中", Integer, 8.0),
        Column::new("已完成", Integer, 8.0),
        Column::new("滞后", Integer, 8.0),
    ];
    let mut units: Vec<&str> = rows.iter().map(|r| r.lead_unit_name.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let by_unit: Vec<Vec<Cell>> = units
        .iter()
        .map(|u| {
            let of: Vec<&KeyItemRow> = rows.iter().filter(|r| r.lead_unit_name == *u).collect();
            let mut cells = vec![Cell::Text(u.to_string()), Cell::Int(of.len() as i64)];
            for s in ItemStatus::ALL {
                cells.push(Cell::Int(
                    of.iter().filter(|r| r.status == s.code()).count() as i64,
                ));
            }
            cells
        })
        .collect();
    let (t1, t2) = (
        format!("{city}重点事项推进情况"),
        format!("{city}重点事项推进情况（按牵头单位）"),
    );
    let sheets = [
        BookSheet {
            list: ListSheet {
                sheet_name: "重点事项",
                title: &t1,
                scope: &scope,
                columns: &columns,
            },
            rows: list,
            chart: None,
        },
        BookSheet {
            list: ListSheet {
                sheet_name: "按牵头单位",
                title: &t2,
                scope: &scope,
                columns: &unit_columns,
            },
            rows: by_unit,
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "重点事项", "key-items")
}

// ---- one item ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "key_items/detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: KeyItemDetail,
    may_report: bool,
    can_review: bool,
    form: ItemProgressInput,
    errors: Vec<FieldError>,
    notice: String,
    /// A review sent over a stale version: the decision beside the report's status now.
    conflict: Option<crate::conflict::Conflict>,
}

impl DetailPage {
    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }

    fn has_open_milestones(&self) -> bool {
        self.d.milestones.iter().any(|m| !m.done)
    }

    fn checked(&self, id: &i64) -> bool {
        self.form.done_milestones.contains(&id.to_string())
    }

    fn report_status(&self, status: &str) -> &'static str {
        match status {
            "accepted" => "已确认",
            "returned" => "已退回",
            _ => "待审核",
        }
    }
}

async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: ItemProgressInput,
    errors: Vec<FieldError>,
    notice: String,
) -> Result<DetailPage, AppError> {
    let d = state.store.key_item(&user.viewer, id, today()).await?;
    Ok(DetailPage {
        chrome: Chrome::new(state, user, "key_items"),
        may_report: user.viewer.may_report_for(d.item.lead_unit_id),
        can_review: user.viewer.is_office(),
        d,
        form,
        errors,
        notice,
        conflict: None,
    })
}

fn blank_report() -> ItemProgressInput {
    ItemProgressInput {
        month: this_month().to_string(),
        ..Default::default()
    }
}

/// `GET /key-items/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    Ok(html(
        &detail_page(&state, &user, id, blank_report(), Vec::new(), String::new()).await?,
    ))
}

fn bad_upload(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("上传内容无法读取：{e}"))
}

/// `POST /key-items/{id}/progress` (multipart: `_csrf`, `month`, `content`, `next_steps`,
/// `done_milestones`…, `evidence`…): files a month's progress. A refused form is shown again
/// with every problem and what was typed; files must be chosen again.
pub async fn file_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut form = ItemProgressInput::default();
    let mut files: Vec<EvidenceUpload> = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let uploaded = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(bad_upload)?;
            if uploaded.is_empty() && bytes.is_empty() {
                continue;
            }
            match evidence_kind(&uploaded, &bytes) {
                Ok(kind) => files.push(EvidenceUpload {
                    file_name: evidence_name(&uploaded, kind),
                    content_type: kind.content_type.into(),
                    content: bytes.to_vec(),
                }),
                Err(message) => errors.push(FieldError {
                    field: "evidence".into(),
                    message,
                }),
            }
            continue;
        }
        let text = field.text().await.map_err(bad_upload)?;
        match name.as_str() {
            "month" => form.month = text,
            "content" => form.content = text,
            "next_steps" => form.next_steps = text,
            "done_milestones" => form.done_milestones.push(text),
            _ => {}
        }
    }
    if files.len() > MAX_EVIDENCE_FILES {
        errors.push(FieldError {
            field: "evidence".into(),
            message: format!("每次最多上传{MAX_EVIDENCE_FILES}个佐证材料"),
        });
    }
    let progress = match form.validate(this_month()) {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => {
            let page = detail_page(&state, &user, id, form, errors, String::new()).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response());
        }
        Err(mut e) => {
            e.extend(errors);
            let page = detail_page(&state, &user, id, form, e, String::new()).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response());
        }
    };
    match state
        .store
        .file_item_progress(&user.viewer, &user.actor, id, &progress, &files, today())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/key-items/{id}?filed=1")).into_response()),
        Err(hezuo_store::StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => {
            let notice = AppError::from(e).to_string();
            let page = detail_page(&state, &user, id, form, Vec::new(), notice).await?;
            Ok((axum::http::StatusCode::CONFLICT, html(&page)).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
struct ReviewForm {
    item_id: i64,
    version: i64,
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /key-items/progress/{id}/review` (`item_id`, `version`, `decision`=accept|return,
/// `reason`).
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: ReviewForm = parse_body(req).await?;
    let accept = form.decision == "accept";
    match state
        .store
        .review_item_progress(
            &user.viewer,
            &user.actor,
            id,
            form.version,
            accept,
            Some(&form.reason),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/key-items/{}", form.item_id)).into_response()),
        Err(hezuo_store::StoreError::Conflict(message)) => {
            let mut page = detail_page(
                &state,
                &user,
                form.item_id,
                blank_report(),
                Vec::new(),
                String::new(),
            )
            .await?;
            let Some(latest) = page.d.progress.iter().find(|r| r.id == id) else {
                page.notice = message;
                return Ok((axum::http::StatusCode::CONFLICT, html(&page)).into_response());
            };
            let review = crate::conflict::StaleReview {
                entity: "key_item_progress",
                id,
                latest_href: format!("/key-items/{}", form.item_id),
                action: format!("/key-items/progress/{id}/review"),
                fields: vec![("item_id", form.item_id.to_string())],
                decision: &form.decision,
                reason: &form.reason,
                status: &latest.status,
                latest_reason: latest.return_reason.as_deref().unwrap_or_default(),
                version: latest.version,
            };
            page.conflict = Some(review.conflict(&state.store).await?);
            Ok((axum::http::StatusCode::CONFLICT, html(&page)).into_response())
        }
        Err(e) => {
            let notice = AppError::from(e).to_string();
            let page = detail_page(
                &state,
                &user,
                form.item_id,
                blank_report(),
                Vec::new(),
                notice,
            )
            .await?;
            Ok((axum::http::StatusCode::CONFLICT, html(&page)).into_response())
        }
    }
}

/// `GET /evidence/{id}`: an evidence file under its safe name, as an attachment.
pub async fn evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    let f = state.store.evidence_file(&user.viewer, id).await?;
    let ext = f.file_name.rsplit('.').next().unwrap_or("bin");
    Ok(crate::export::file_download(
        f.content,
        &f.content_type,
        &f.file_name,
        &format!("evidence-{id}.{ext}"),
    ))
}

// ---- agreements ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "key_items/agreements.html")]
struct AgreementsPage {
    chrome: Chrome,
    filter: AgreementFilter,
    query: String,
    provinces: Vec<Opt>,
    kinds: Vec<Opt>,
    page: AgreementPage,
    /// Σ clauses, broken down, carried out over the rows shown, and the rate.
    totals: (u32, u32, u32, String),
    can_manage: bool,
}

impl AgreementsPage {
    fn selected(&self, value: &str, current: &Option<String>) -> bool {
        current.as_deref() == Some(value)
    }
}

#[derive(Template)]
#[template(path = "key_items/agreement.html")]
struct AgreementPageView {
    chrome: Chrome,
    d: AgreementDetail,
}

fn agreement_totals(page: &AgreementPage) -> hezuo_domain::agreement::Fulfilment {
    let mut t = hezuo_domain::agreement::Fulfilment::default();
    for a in &page.items {
        t.clauses += a.fulfilment.clauses;
        t.broken_down += a.fulfilment.broken_down;
        t.carried_out += a.fulfilment.carried_out;
    }
    t
}

/// `GET /agreements?province=&partner_kind=&q=`: the list with its totals row.
pub async fn agreements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let filter: AgreementFilter = parse_query(raw.as_deref())?;
    let page = state
        .store
        .list_agreements(&user.viewer, &filter, today())
        .await?;
    let all = state
        .store
        .list_agreements(&user.viewer, &AgreementFilter::default(), today())
        .await?;
    let mut provinces: Vec<String> = all
        .items
        .iter()
        .map(|a| a.partner_province.clone())
        .filter(|p| !p.is_empty())
        .collect();
    provinces.sort();
    provinces.dedup();
    let t = agreement_totals(&page);
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("province", &filter.province),
        ("partner_kind", &filter.partner_kind),
        ("q", &filter.q),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            query.append_pair(k, v);
        }
    }
    Ok(html(&AgreementsPage {
        chrome: Chrome::new(&state, &user, "agreements"),
        query: query.finish(),
        provinces: provinces
            .into_iter()
            .map(|p| Opt {
                value: p.clone(),
                label: p,
            })
            .collect(),
        kinds: Opt::of(
            &hezuo_domain::agreement::PartnerKind::ALL,
            hezuo_domain::agreement::PartnerKind::code,
            hezuo_domain::agreement::PartnerKind::label,
        ),
        totals: (t.clauses, t.broken_down, t.carried_out, t.rate_text()),
        filter,
        page,
        can_manage: user.viewer.is_office(),
    }))
}

/// `GET /agreements/export.xlsx`: the filtered agreements with their fulfilment, and every
/// clause with the items carrying it.
pub async fn export_agreements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let filter: AgreementFilter = parse_query(raw.as_deref())?;
    let page = state
        .store
        .list_agreements(&user.viewer, &filter, today())
        .await?;
    let scope = crate::export::scope_line(&state.config.city_name, &user.user.display_name);
    let columns = vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("协议名称", Text, 40.0),
        Column::new("合作方", Text, 16.0),
        Column::new("合作方类型", Text, 10.0),
        Column::new("所在省（市）", Text, 10.0),
        Column::new("签署日期", Date, 12.0),
        Column::new("签约层级", Text, 10.0),
        Column::new("合作领域", Text, 24.0),
        Column::new("条款（条）", Integer, 10.0),
        Column::new("已分解（条）", Integer, 10.0),
        Column::new("已落实（条）", Integer, 10.0),
        Column::new("落实率", Percent, 10.0),
    ];
    let rows = page
        .items
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let f = a.fulfilment;
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(a.title.clone()),
                Cell::Text(a.partner.clone()),
                Cell::Text(a.partner_kind_label.clone()),
                Cell::Text(a.partner_province.clone()),
                Cell::Text(a.signed_on.clone()),
                Cell::Text(a.level.clone()),
                Cell::Text(a.fields.join("、")),
                Cell::Int(i64::from(f.clauses)),
                Cell::Int(i64::from(f.broken_down)),
                Cell::Int(i64::from(f.carried_out)),
                if f.clauses == 0 {
                    Cell::Empty
                } else {
                    Cell::Ratio(f64::from(f.carried_out) / f64::from(f.clauses))
                },
            ]
        })
        .collect();
    let clause_columns = vec![
        Column::new("协议名称", Text, 36.0),
        Column::new("条", Integer, 6.0).untotalled(),
        Column::new("条款内容", Text, 40.0),
        Column::new("落实情况", Text, 10.0),
        Column::new("承接事项", Text, 50.0),
    ];
    let mut clause_rows = Vec::new();
    for a in &page.items {
        let d = state.store.agreement(&user.viewer, a.id, today()).await?;
        for c in d.clauses {
            clause_rows.push(vec![
                Cell::Text(a.title.clone()),
                Cell::Int(c.seq),
                Cell::Text(c.body),
                Cell::Text(c.state),
                Cell::Text(
                    c.items
                        .iter()
                        .map(|i| format!("{}（{}，{}）", i.title, i.lead_unit_name, i.status_label))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            ]);
        }
    }
    let (t1, t2) = (
        format!("{}区域合作协议落实情况", state.config.city_name),
        format!("{}区域合作协议条款落实明细", state.config.city_name),
    );
    let sheets = [
        BookSheet {
            list: ListSheet {
                sheet_name: "合作协议",
                title: &t1,
                scope: &scope,
                columns: &columns,
            },
            rows,
            chart: None,
        },
        BookSheet {
            list: ListSheet {
                sheet_name: "条款落实",
                title: &t2,
                scope: &scope,
                columns: &clause_columns,
            },
            rows: clause_rows,
            chart: None,
        },
    ];
    crate::export::book_download(&sheets, "合作协议", "agreements")
}

/// `GET /agreements/{id}`.
pub async fn agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    let d = state.store.agreement(&user.viewer, id, today()).await?;
    Ok(html(&AgreementPageView {
        chrome: Chrome::new(&state, &user, "agreements"),
        d,
    }))
}

// ---- assessment ----------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AssessmentParams {
    /// The year assessed (default: the latest plan year).
    pub year: Option<i64>,
}

#[derive(Template)]
#[template(path = "key_items/assessment.html")]
struct AssessmentPage {
    chrome: Chrome,
    report: AssessmentReport,
    can_adjust: bool,
    notice: String,
}

impl AssessmentPage {
    fn pct(&self, v: &f64) -> String {
        format!("{:.1}%", v * 100.0)
    }
}

async fn assessment_year(
    state: &AppState,
    viewer: &Viewer,
    year: Option<i64>,
) -> Result<i64, AppError> {
    Ok(match year {
        Some(y) => y,
        None => state
            .store
            .work_plans(viewer, None)
            .await?
            .first()
            .map_or_else(|| i64::from(this_month().year), |p| p.year),
    })
}

/// `GET /assessment?year=Y`: the ranking with each unit's counts and the office's adjustments.
pub async fn assessment_page(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: AssessmentParams = parse_query(raw.as_deref())?;
    let year = assessment_year(&state, &user.viewer, params.year).await?;
    Ok(html(
        &assessment_view(&state, &user, year, String::new()).await?,
    ))
}

/// The ranking page for a year, with a notice when a change was refused.
async fn assessment_view(
    state: &AppState,
    user: &CurrentUser,
    year: i64,
    notice: String,
) -> Result<AssessmentPage, AppError> {
    Ok(AssessmentPage {
        chrome: Chrome::new(state, user, "assessment"),
        report: state.store.assessment(&user.viewer, year, today()).await?,
        can_adjust: user.viewer.is_office(),
        notice,
    })
}

#[derive(Debug, Deserialize)]
struct AdjustForm {
    year: i64,
    unit_id: i64,
    points: String,
    reason: String,
}

/// `POST /assessment/adjust` (`year`, `unit_id`, `points`, `reason`).
pub async fn adjust(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: AdjustForm = parse_body(req).await?;
    let points = form
        .points
        .trim()
        .replace('＋', "+")
        .replace('－', "-")
        .parse::<f64>()
        .unwrap_or(f64::NAN);
    match state
        .store
        .adjust_assessment(
            &user.viewer,
            &user.actor,
            form.year,
            form.unit_id,
            points,
            &form.reason,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/assessment?year={}", form.year)).into_response()),
        Err(e) => {
            let notice = AppError::from(e).to_string();
            let page = assessment_view(&state, &user, form.year, notice).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
struct RulesForm {
    year: i64,
    on_time_points: String,
    completion_points: String,
    per_returned_report: String,
    per_missing_report: String,
    max_deduction: String,
}

/// `POST /assessment/rules`: the year's scoring rules (office only); numbers that cannot work
/// are refused with the reason and the page keeps the year's rules as they were.
pub async fn save_rules(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let form: RulesForm = parse_body(req).await?;
    let number = |label: &str, t: &str| -> Result<f64, String> {
        t.trim()
            .parse::<f64>()
            .map_err(|_| format!("{label}“{}”不是数字", t.trim()))
    };
    let parsed = (|| -> Result<AssessmentRules, String> {
        Ok(AssessmentRules {
            on_time_points: number("按期完成分值", &form.on_time_points)?,
            completion_points: number("完成率分值", &form.completion_points)?,
            per_returned_report: number("每次退回扣分", &form.per_returned_report)?,
            per_missing_report: number("每月缺报扣分", &form.per_missing_report)?,
            max_deduction: number("扣分上限", &form.max_deduction)?,
        })
    })();
    let outcome = match parsed {
        Ok(rules) => state
            .store
            .set_assessment_rules(&user.viewer, &user.actor, form.year, &rules)
            .await
            .map_err(|e| AppError::from(e).to_string()),
        Err(message) => Err(message),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/assessment?year={}", form.year)).into_response()),
        Err(notice) => {
            let page = assessment_view(&state, &user, form.year, notice).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
    }
}

/// `GET /assessment/export.xlsx?year=Y`.
pub async fn export_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use ColumnKind::*;
    let params: AssessmentParams = parse_query(raw.as_deref())?;
    let year = assessment_year(&state, &user.viewer, params.year).await?;
    let report = state.store.assessment(&user.viewer, year, today()).await?;
    let scope = crate::export::scope_line(
        &format!("{year}年度，统计至{}", report.as_of),
        &user.user.display_name,
    );
    let columns = vec![
        Column::new("名次", Integer, 6.0).untotalled(),
        Column::new("牵头单位", Text, 20.0),
        Column::new("事项（项）", Integer, 10.0),
        Column::new("到期节点", Integer, 10.0),
        Column::new("按期完成", Integer, 10.0),
        Column::new("已完成", Integer, 10.0),
        Column::new("退回（次）", Integer, 10.0),
        Column::new("缺报（月·项）", Integer, 12.0),
        Column::new("按期完成得分", Decimal, 12.0).untotalled(),
        Column::new("完成率得分", Decimal, 12.0).untotalled(),
        Column::new("扣分", Decimal, 8.0).untotalled(),
        Column::new("调整", Decimal, 8.0).untotalled(),
        Column::new("总分", Decimal, 8.0).untotalled(),
        Column::new("调整理由", Text, 36.0),
    ];
    let rows = report
        .units
        .iter()
        .map(|u| {
            vec![
                Cell::Int(i64::from(u.rank)),
                Cell::Text(u.unit_name.clone()),
                Cell::Int(u.items),
                Cell::Int(i64::from(u.record.milestones_due)),
                Cell::Int(i64::from(u.record.done_on_time)),
                Cell::Int(i64::from(u.record.done)),
                Cell::Int(i64::from(u.record.returned_reports)),
                Cell::Int(i64::from(u.record.missing_reports)),
                Cell::Number(u.score.on_time_score),
                Cell::Number(u.score.completion_score),
                Cell::Number(u.score.deduction),
                Cell::Number(u.score.adjustment),
                Cell::Number(u.score.total),
                Cell::Text(
                    u.adjustments
                        .iter()
                        .map(|a| format!("{:+}分：{}", a.points, a.reason))
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            ]
        })
        .collect();
    let title = format!("{}{year}年度重点事项考核得分", state.config.city_name);
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "考核得分",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows,
        chart: None,
    }];
    crate::export::book_download(&sheets, &format!("{year}年度考核得分"), "assessment")
}

// ---- API -----------------------------------------------------------------------------------

/// Key items in the caller's scope (a lead unit sees the items it leads), with their status today.
#[utoipa::path(get, path = "/api/v1/key-items", params(KeyItemFilter), tag = "key-items",
    responses((status = 200, description = "成功", body = KeyItemPage), (status = 400, description = "请求参数无效", body = crate::error::ErrorBody),
        (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody), (status = 422, description = "参数未通过校验", body = crate::error::ErrorBody)))]
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<KeyItemPage>, ApiError> {
    let filter: KeyItemFilter = parse_query(raw.as_deref())?;
    Ok(Json(
        state
            .store
            .list_key_items(&user.viewer, &filter, today())
            .await?,
    ))
}

/// One key item with its milestones, progress, linked projects and agreement clause.
#[utoipa::path(get, path = "/api/v1/key-items/{id}", params(("id" = i64, Path)), tag = "key-items",
    responses((status = 200, description = "成功", body = KeyItemDetail), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 404, description = "不存在或不在权限范围内", body = crate::error::ErrorBody)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<KeyItemDetail>, ApiError> {
    Ok(Json(state.store.key_item(&user.viewer, id, today()).await?))
}

/// Cooperation agreements in the caller's scope, each with how much of it is carried out.
#[utoipa::path(get, path = "/api/v1/agreements", params(AgreementFilter), tag = "agreements",
    responses((status = 200, description = "成功", body = AgreementPage), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody)))]
pub async fn api_agreements(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<AgreementPage>, ApiError> {
    let filter: AgreementFilter = parse_query(raw.as_deref())?;
    Ok(Json(
        state
            .store
            .list_agreements(&user.viewer, &filter, today())
            .await?,
    ))
}

/// One agreement with its clauses and the key items carrying each.
#[utoipa::path(get, path = "/api/v1/agreements/{id}", params(("id" = i64, Path)), tag = "agreements",
    responses((status = 200, description = "成功", body = AgreementDetail), (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody),
        (status = 404, description = "不存在或不在权限范围内", body = crate::error::ErrorBody)))]
pub async fn api_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AgreementDetail>, ApiError> {
    Ok(Json(
        state.store.agreement(&user.viewer, id, today()).await?,
    ))
}

/// The year's assessment of lead units (a unit sees its own row).
#[utoipa::path(get, path = "/api/v1/assessment", params(AssessmentParams), tag = "assessment",
    responses((status = 200, description = "成功", body = AssessmentReport), (status = 400, description = "请求参数无效", body = crate::error::ErrorBody),
        (status = 401, description = "未登录或令牌无效", body = crate::error::ErrorBody)))]
pub async fn api_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<AssessmentReport>, ApiError> {
    let params: AssessmentParams = parse_query(raw.as_deref())?;
    let year = assessment_year(&state, &user.viewer, params.year).await?;
    Ok(Json(
        state.store.assessment(&user.viewer, year, today()).await?,
    ))
}
