//! The office's forms for 重点事项 and 合作协议: a new plan, a new or changed item (milestones
//! as rows, linked projects by name, the agreement clause it carries out), a new agreement.
//! A refused form comes back with every problem next to its field and everything typed kept;
//! a stale edit is refused with a notice and loses nothing.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, side_by_side};
use crate::error::{AppError, PathOr404};
use crate::form::parse_body;
use crate::project::today;
use crate::views::{Opt, html};
use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::agreement::AgreementInput;
use hezuo_domain::key_item::{ItemInput, MilestoneInput, PlanKind, WorkPlanInput};
use hezuo_domain::{FieldError, Viewer};
use hezuo_store::StoreError;
use hezuo_store::project::ProjectFilter;
use serde::Deserialize;

/// Blank milestone rows offered under the filled ones.
const SPARE_MILESTONE_ROWS: usize = 3;

fn office_only(user: &CurrentUser) -> Result<(), AppError> {
    if user.viewer.is_office() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "只有合作办可以维护重点事项和合作协议".into(),
        ))
    }
}

fn store_error(e: StoreError) -> Result<(String, Vec<FieldError>), AppError> {
    match e {
        StoreError::Invalid { field, message } if !field.is_empty() => {
            Ok((String::new(), vec![FieldError { field, message }]))
        }
        StoreError::Invalid { message, .. } | StoreError::Conflict(message) => {
            Ok((message, Vec::new()))
        }
        other => Err(AppError::from(other)),
    }
}

// ---- items ---------------------------------------------------------------------------------

/// The item form as posted: milestones as parallel rows, projects one name (or number) a line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    plan_id: String,
    category: String,
    title: String,
    lead_unit_id: String,
    partner_units: String,
    partner_regions: String,
    target: String,
    milestone_title: Vec<String>,
    milestone_due: Vec<String>,
    projects: String,
    clause_id: String,
    version: i64,
}

#[derive(Template)]
#[template(path = "key_items/form.html")]
struct ItemFormPage {
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    form: ItemForm,
    /// (title, due) rows: the typed ones and a few blank.
    rows: Vec<(String, String)>,
    plans: Vec<Opt>,
    categories: Vec<Opt>,
    units: Vec<Opt>,
    clauses: Vec<Opt>,
    errors: Vec<FieldError>,
    notice: String,
    conflict: Option<Conflict>,
}

impl ItemFormPage {
    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }
}

async fn item_page(
    state: &AppState,
    user: &CurrentUser,
    (title, action, cancel): (String, String, String),
    form: ItemForm,
    errors: Vec<FieldError>,
    notice: String,
) -> Result<ItemFormPage, AppError> {
    let plans = state.store.work_plans(&user.viewer, None).await?;
    let mut categories: Vec<Opt> = Vec::new();
    for p in &plans {
        for c in &p.categories {
            if !categories.iter().any(|o| &o.value == c) {
                categories.push(Opt {
                    value: c.clone(),
                    label: c.clone(),
                });
            }
        }
    }
    let units = crate::views::Lookups::load(state, &user.viewer)
        .await?
        .units;
    let clauses = state
        .store
        .clause_options(&user.viewer)
        .await?
        .into_iter()
        .map(|c| Opt {
            value: c.id.to_string(),
            label: format!("{} 第{}条：{}", c.agreement_title, c.seq, c.body),
        })
        .collect();
    let mut rows: Vec<(String, String)> = form
        .milestone_title
        .iter()
        .zip(
            form.milestone_due
                .iter()
                .chain(std::iter::repeat(&String::new())),
        )
        .filter(|(t, d)| !t.trim().is_empty() || !d.trim().is_empty())
        .map(|(t, d)| (t.clone(), d.clone()))
        .collect();
    rows.extend(std::iter::repeat_n(
        (String::new(), String::new()),
        SPARE_MILESTONE_ROWS,
    ));
    Ok(ItemFormPage {
        chrome: Chrome::new(state, user, "key_items"),
        title,
        action,
        cancel,
        form,
        rows,
        plans: plans
            .iter()
            .map(|p| Opt {
                value: p.id.to_string(),
                label: format!("{}（{}）", p.name, p.kind_label),
            })
            .collect(),
        categories,
        units,
        clauses,
        errors,
        notice,
        conflict: None,
    })
}

/// Project names (or numbers), one a line, as ids the viewer may see; a name that matches no
/// project, or several, is an error naming it.
async fn resolve_projects(
    state: &AppState,
    viewer: &Viewer,
    text: &str,
) -> Result<Result<Vec<String>, FieldError>, AppError> {
    let mut ids = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().all(|c| c.is_ascii_digit()) {
            ids.push(line.to_string());
            continue;
        }
        let filter = ProjectFilter {
            q: Some(line.to_string()),
            per_page: Some(50),
            ..Default::default()
        };
        let found: Vec<i64> = state
            .store
            .list_projects(viewer, &filter)
            .await?
            .items
            .iter()
            .filter(|p| p.name == line)
            .map(|p| p.id)
            .collect();
        match found.as_slice() {
            [id] => ids.push(id.to_string()),
            [] => {
                return Ok(Err(FieldError {
                    field: "projects".into(),
                    message: format!("项目库中没有名为“{line}”的项目"),
                }));
            }
            _ => {
                return Ok(Err(FieldError {
                    field: "projects".into(),
                    message: format!("有多个名为“{line}”的项目，请改填项目编号"),
                }));
            }
        }
    }
    Ok(Ok(ids))
}

impl ItemForm {
    fn input(&self, project_ids: Vec<String>) -> ItemInput {
        ItemInput {
            plan_id: self.plan_id.clone(),
            category: self.category.clone(),
            title: self.title.clone(),
            lead_unit_id: self.lead_unit_id.clone(),
            partner_units: self.partner_units.clone(),
            partner_regions: self.partner_regions.clone(),
            target: self.target.clone(),
            milestones: self
                .milestone_title
                .iter()
                .zip(
                    self.milestone_due
                        .iter()
                        .chain(std::iter::repeat(&String::new())),
                )
                .map(|(t, d)| MilestoneInput {
                    title: t.clone(),
                    due_on: d.clone(),
                })
                .collect(),
            project_ids,
            clause_id: self.clause_id.clone(),
        }
    }
}

/// What a posted item form becomes: the validated item, or the problems to show.
async fn validate_item(
    state: &AppState,
    user: &CurrentUser,
    form: &ItemForm,
) -> Result<Result<hezuo_domain::key_item::Item, Vec<FieldError>>, AppError> {
    let mut errors = Vec::new();
    let projects = match resolve_projects(state, &user.viewer, &form.projects).await? {
        Ok(ids) => ids,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let categories = match form.plan_id.trim().parse::<i64>() {
        Ok(id) => state
            .store
            .work_plan(&user.viewer, id)
            .await
            .map(|p| p.categories)
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    match form.input(projects).validate(&categories) {
        Ok(item) if errors.is_empty() => Ok(Ok(item)),
        Ok(_) => Ok(Err(errors)),
        Err(mut e) => {
            e.extend(errors);
            Ok(Err(e))
        }
    }
}

fn new_item_labels() -> (String, String, String) {
    (
        "新建重点事项".into(),
        "/key-items".into(),
        "/key-items".into(),
    )
}

/// `GET /key-items/new`.
pub async fn new_item(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let page = item_page(
        &state,
        &user,
        new_item_labels(),
        ItemForm::default(),
        Vec::new(),
        String::new(),
    )
    .await?;
    Ok(html(&page))
}

/// `POST /key-items`.
pub async fn create_item(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form: ItemForm = parse_body(req).await?;
    let (notice, errors) = match validate_item(&state, &user, &form).await? {
        Ok(item) => match state
            .store
            .create_key_item(&user.viewer, &user.actor, &item)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/key-items/{id}")).into_response()),
            Err(e) => store_error(e)?,
        },
        Err(errors) => (String::new(), errors),
    };
    let page = item_page(&state, &user, new_item_labels(), form, errors, notice).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

fn edit_labels(id: i64) -> (String, String, String) {
    (
        "修改重点事项".into(),
        format!("/key-items/{id}/edit"),
        format!("/key-items/{id}"),
    )
}

/// `GET /key-items/{id}/edit`.
pub async fn edit_item(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form = stored_item(&state, &user, id).await?;
    let page = item_page(
        &state,
        &user,
        edit_labels(id),
        form,
        Vec::new(),
        String::new(),
    )
    .await?;
    Ok(html(&page))
}

/// The item as stored, in the form's shape (with its version).
async fn stored_item(state: &AppState, user: &CurrentUser, id: i64) -> Result<ItemForm, AppError> {
    let d = state.store.key_item(&user.viewer, id, today()).await?;
    Ok(ItemForm {
        plan_id: d.item.plan_id.to_string(),
        category: d.item.category.clone(),
        title: d.item.title.clone(),
        lead_unit_id: d.item.lead_unit_id.to_string(),
        partner_units: d.item.partner_units.join("、"),
        partner_regions: d.item.partner_regions.join("、"),
        target: d.item.target.clone(),
        milestone_title: d.milestones.iter().map(|m| m.title.clone()).collect(),
        milestone_due: d.milestones.iter().map(|m| m.due_on.clone()).collect(),
        projects: d
            .projects
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        clause_id: d.item.clause_id.map(|c| c.to_string()).unwrap_or_default(),
        version: d.item.version,
    })
}

impl ItemFormPage {
    /// The form's fields as shown (option labels, milestones as "节点（日期）"), for a conflict.
    fn shown(&self, form: &ItemForm) -> Vec<(&'static str, String)> {
        let label = |opts: &[Opt], value: &str| {
            opts.iter()
                .find(|o| o.value == value.trim())
                .map(|o| o.label.clone())
                .unwrap_or_else(|| value.to_string())
        };
        let milestones = form
            .milestone_title
            .iter()
            .zip(
                form.milestone_due
                    .iter()
                    .chain(std::iter::repeat(&String::new())),
            )
            .filter(|(t, d)| !t.trim().is_empty() || !d.trim().is_empty())
            .map(|(t, d)| format!("{}（{}）", t.trim(), d.trim()))
            .collect::<Vec<_>>()
            .join("；");
        let lines = |t: &str| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("、")
        };
        vec![
            ("所属计划", label(&self.plans, &form.plan_id)),
            ("任务类别", form.category.clone()),
            ("牵头单位", label(&self.units, &form.lead_unit_id)),
            ("事项名称", form.title.clone()),
            ("配合单位", form.partner_units.clone()),
            ("合作地区", form.partner_regions.clone()),
            ("承接的协议条款", label(&self.clauses, &form.clause_id)),
            ("目标任务", form.target.clone()),
            ("关键节点", milestones),
            ("关联项目", lines(&form.projects)),
        ]
    }
}

/// `POST /key-items/{id}/edit` with the `version` read; a stale one keeps what was typed and
/// shows it beside the latest version (see [`crate::conflict`]).
pub async fn update_item(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form: ItemForm = parse_body(req).await?;
    let (notice, errors) = match validate_item(&state, &user, &form).await? {
        Ok(item) => match state
            .store
            .update_key_item(&user.viewer, &user.actor, id, form.version, &item)
            .await
        {
            Ok(()) => return Ok(Redirect::to(&format!("/key-items/{id}")).into_response()),
            Err(StoreError::NotFound) => return Err(AppError::NotFound),
            Err(StoreError::Conflict(_)) => return stale_item(&state, &user, id, form).await,
            Err(e) => store_error(e)?,
        },
        Err(errors) => (String::new(), errors),
    };
    let status = if notice.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::CONFLICT
    };
    let page = item_page(&state, &user, edit_labels(id), form, errors, notice).await?;
    Ok((status, html(&page)).into_response())
}

/// A stale save of an item: the form again as typed, carrying the latest version, with the
/// fields where the two differ.
async fn stale_item(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    mut form: ItemForm,
) -> Result<Response, AppError> {
    let latest = stored_item(state, user, id).await?;
    form.version = latest.version;
    let mut page = item_page(
        state,
        user,
        edit_labels(id),
        form,
        Vec::new(),
        String::new(),
    )
    .await?;
    let pairs = side_by_side(page.shown(&page.form), page.shown(&latest));
    page.conflict = Some(
        Conflict::load(
            &state.store,
            "key_item",
            id,
            format!("/key-items/{id}"),
            pairs,
        )
        .await?,
    );
    Ok((StatusCode::CONFLICT, html(&page)).into_response())
}

// ---- plans ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "key_items/plan_form.html")]
struct PlanFormPage {
    chrome: Chrome,
    form: WorkPlanInput,
    kinds: Vec<Opt>,
    errors: Vec<FieldError>,
    notice: String,
}

impl PlanFormPage {
    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }
}

fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    form: WorkPlanInput,
    errors: Vec<FieldError>,
    notice: String,
) -> PlanFormPage {
    PlanFormPage {
        chrome: Chrome::new(state, user, "key_items"),
        form,
        kinds: Opt::of(&PlanKind::ALL, PlanKind::code, PlanKind::label),
        errors,
        notice,
    }
}

/// `GET /key-items/plans/new`.
pub async fn new_plan(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form = WorkPlanInput {
        year: crate::progress::this_month().year.to_string(),
        kind: PlanKind::WorkPoints.code().into(),
        ..Default::default()
    };
    Ok(html(&plan_page(
        &state,
        &user,
        form,
        Vec::new(),
        String::new(),
    )))
}

/// `POST /key-items/plans`.
pub async fn create_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form: WorkPlanInput = parse_body(req).await?;
    let (notice, errors) = match form.validate() {
        Ok(plan) => match state
            .store
            .create_work_plan(&user.viewer, &user.actor, &plan)
            .await
        {
            Ok(row) => {
                return Ok(Redirect::to(&format!("/key-items?plan={}", row.id)).into_response());
            }
            Err(e) => store_error(e)?,
        },
        Err(errors) => (String::new(), errors),
    };
    let page = plan_page(&state, &user, form, errors, notice);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}

// ---- agreements ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "key_items/agreement_form.html")]
struct AgreementFormPage {
    chrome: Chrome,
    form: AgreementInput,
    kinds: Vec<Opt>,
    errors: Vec<FieldError>,
    notice: String,
}

impl AgreementFormPage {
    fn error(&self, field: &str) -> String {
        crate::form::errors_for(&self.errors, field)
    }
}

fn agreement_page(
    state: &AppState,
    user: &CurrentUser,
    form: AgreementInput,
    errors: Vec<FieldError>,
    notice: String,
) -> AgreementFormPage {
    AgreementFormPage {
        chrome: Chrome::new(state, user, "agreements"),
        form,
        kinds: Opt::of(
            &hezuo_domain::agreement::PartnerKind::ALL,
            hezuo_domain::agreement::PartnerKind::code,
            hezuo_domain::agreement::PartnerKind::label,
        ),
        errors,
        notice,
    }
}

/// `GET /agreements/new`.
pub async fn new_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form = AgreementInput {
        level: "市级".into(),
        partner_kind: "city".into(),
        ..Default::default()
    };
    Ok(html(&agreement_page(
        &state,
        &user,
        form,
        Vec::new(),
        String::new(),
    )))
}

/// `POST /agreements`.
pub async fn create_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    office_only(&user)?;
    let form: AgreementInput = parse_body(req).await?;
    let (notice, errors) = match form.validate() {
        Ok(a) => match state
            .store
            .create_agreement(&user.viewer, &user.actor, &a)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/agreements/{id}")).into_response()),
            Err(e) => store_error(e)?,
        },
        Err(errors) => (String::new(), errors),
    };
    let page = agreement_page(&state, &user, form, errors, notice);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
}
