//! Administration: accounts and roles, and every dictionary (districts, platforms, units,
//! leaders, industries, chains, lists, signing events). Only 管理员 may enter.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::conflict::{Conflict, pair, side_by_side};
use crate::error::{AppError, PathOr404};
use crate::form::parse_body;
use crate::views::{Opt, html};
use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::Role;
use hezuo_store::StoreError;
use hezuo_store::auth::{User, UserInput};
use hezuo_store::dict::{DictItem, DictKind, FieldType};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    chrome: Chrome,
    kinds: Vec<(String, String, usize)>,
    users: usize,
}

pub async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    user.require_admin()?;
    let mut kinds = Vec::new();
    for k in DictKind::ALL {
        kinds.push((
            k.slug().to_string(),
            k.label().to_string(),
            state.store.dict_list(k).await?.len(),
        ));
    }
    let users = state.store.list_users().await?.len();
    Ok(html(&IndexPage {
        chrome: Chrome::new(&state, &user, "admin"),
        kinds,
        users,
    }))
}

/// An input of a dictionary form.
struct DictField {
    name: String,
    label: String,
    value: String,
    options: Vec<(String, String, bool)>,
    date: bool,
    required: bool,
}

#[derive(Template)]
#[template(path = "admin/dict.html")]
struct DictPage {
    chrome: Chrome,
    slug: String,
    label: String,
    headers: Vec<String>,
    rows: Vec<(i64, String, Vec<String>)>,
    form_name: String,
    form_fields: Vec<DictField>,
    /// Editing an existing entry: its id and version.
    editing: Option<(i64, i64)>,
    error: String,
    /// An entry saved over a stale version: the user's values beside the latest.
    conflict: Option<Conflict>,
}

fn kind_of(slug: &str) -> Result<DictKind, AppError> {
    DictKind::from_slug(slug).ok_or(AppError::NotFound)
}

/// Labels for reference values (industry id → name, district code → name).
async fn ref_options(state: &AppState, ty: FieldType) -> Result<Vec<Opt>, StoreError> {
    Ok(match ty {
        FieldType::Ref(k) => state
            .store
            .dict_list(k)
            .await?
            .into_iter()
            .map(|i| Opt {
                value: i.id.to_string(),
                label: i.name,
            })
            .collect(),
        FieldType::DistrictCode => state
            .store
            .dict_list(DictKind::District)
            .await?
            .into_iter()
            .map(|i| Opt {
                value: i.value(DictKind::District, "code").to_string(),
                label: i.name,
            })
            .collect(),
        _ => Vec::new(),
    })
}

async fn dict_page(
    state: &AppState,
    user: &CurrentUser,
    kind: DictKind,
    typed: Option<(String, Vec<String>)>,
    editing: Option<(i64, i64)>,
    error: String,
) -> Result<Response, AppError> {
    dict_page_over(state, user, kind, typed, editing, error, false).await
}

/// The dictionary page; with `stale`, the typed entry was saved over a version that is no longer
/// the latest: it is shown beside the latest, and the form carries the latest version.
async fn dict_page_over(
    state: &AppState,
    user: &CurrentUser,
    kind: DictKind,
    typed: Option<(String, Vec<String>)>,
    mut editing: Option<(i64, i64)>,
    error: String,
    stale: bool,
) -> Result<Response, AppError> {
    let items = state.store.dict_list(kind).await?;
    let mut labels: Vec<HashMap<String, String>> = Vec::new();
    for spec in kind.fields() {
        labels.push(
            ref_options(state, spec.ty)
                .await?
                .into_iter()
                .map(|o| (o.value, o.label))
                .collect(),
        );
    }
    let display = |item: &DictItem| -> Vec<String> {
        item.values
            .iter()
            .zip(&labels)
            .map(|(v, l)| l.get(v).cloned().unwrap_or_else(|| v.clone()))
            .collect()
    };
    let rows = items
        .iter()
        .map(|i| (i.id, i.name.clone(), display(i)))
        .collect();
    let mut conflict = None;
    if let (true, Some((id, _)), Some((name, values))) = (stale, editing, &typed) {
        let latest = items
            .iter()
            .find(|i| i.id == id)
            .ok_or(AppError::NotFound)?;
        let mine = DictItem {
            name: name.clone(),
            values: values.clone(),
            ..latest.clone()
        };
        let pairs = std::iter::once(pair("名称", &mine.name, &latest.name))
            .chain(
                kind.fields()
                    .iter()
                    .zip(display(&mine).into_iter().zip(display(latest)))
                    .map(|(f, (m, t))| pair(f.label, m, t)),
            )
            .collect::<Vec<_>>();
        conflict = Some(
            Conflict::load(
                &state.store,
                kind.entity(),
                id,
                format!("/admin/dict/{}/{id}", kind.slug()),
                pairs,
            )
            .await?,
        );
        editing = Some((id, latest.version));
    }
    let (form_name, values) = match (&typed, editing) {
        (Some((n, v)), _) => (n.clone(), v.clone()),
        (None, Some((id, _))) => {
            let item = items
                .iter()
                .find(|i| i.id == id)
                .ok_or(AppError::NotFound)?;
            (item.name.clone(), item.values.clone())
        }
        (None, None) => (String::new(), vec![String::new(); kind.fields().len()]),
    };
    let mut form_fields = Vec::new();
    for (spec, value) in kind.fields().iter().zip(values) {
        let options = ref_options(state, spec.ty)
            .await?
            .into_iter()
            .map(|o| {
                let selected = o.value == value;
                (o.value, o.label, selected)
            })
            .collect();
        form_fields.push(DictField {
            name: spec.column.to_string(),
            label: spec.label.to_string(),
            value,
            options,
            date: spec.ty == FieldType::Date,
            required: spec.required,
        });
    }
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DictPage {
        chrome: Chrome::new(state, user, "admin"),
        slug: kind.slug().into(),
        label: kind.label().into(),
        headers: kind.fields().iter().map(|f| f.label.to_string()).collect(),
        rows,
        form_name,
        form_fields,
        editing,
        error,
        conflict,
    };
    Ok((status, html(&page)).into_response())
}

pub async fn dict_list(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(slug): PathOr404<String>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    dict_page(&state, &user, kind_of(&slug)?, None, None, String::new()).await
}

pub async fn dict_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404((slug, id)): PathOr404<(String, i64)>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let kind = kind_of(&slug)?;
    let item = state.store.dict_get(kind, id).await?;
    dict_page(
        &state,
        &user,
        kind,
        None,
        Some((id, item.version)),
        String::new(),
    )
    .await
}

fn dict_values(kind: DictKind, form: &HashMap<String, String>) -> (String, Vec<String>) {
    let name = form.get("name").cloned().unwrap_or_default();
    let values = kind
        .fields()
        .iter()
        .map(|f| form.get(f.column).cloned().unwrap_or_default())
        .collect();
    (name, values)
}

fn store_message(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::Invalid { message, .. } | StoreError::Conflict(message) => Ok(message),
        other => Err(other.into()),
    }
}

pub async fn dict_create(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(slug): PathOr404<String>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let kind = kind_of(&slug)?;
    let form: HashMap<String, String> = parse_body(req).await?;
    let (name, values) = dict_values(kind, &form);
    match state
        .store
        .dict_create(&user.actor, kind, &name, &values)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/dict/{slug}")).into_response()),
        Err(e) => {
            dict_page(
                &state,
                &user,
                kind,
                Some((name, values)),
                None,
                store_message(e)?,
            )
            .await
        }
    }
}

pub async fn dict_update(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404((slug, id)): PathOr404<(String, i64)>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let kind = kind_of(&slug)?;
    let form: HashMap<String, String> = parse_body(req).await?;
    let version = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (name, values) = dict_values(kind, &form);
    match state
        .store
        .dict_update(&user.actor, kind, id, version, &name, &values)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/dict/{slug}")).into_response()),
        Err(StoreError::Conflict(_))
            if state.store.dict_get(kind, id).await?.version != version =>
        {
            dict_page_over(
                &state,
                &user,
                kind,
                Some((name, values)),
                Some((id, version)),
                String::new(),
                true,
            )
            .await
        }
        Err(e) => {
            dict_page(
                &state,
                &user,
                kind,
                Some((name, values)),
                Some((id, version)),
                store_message(e)?,
            )
            .await
        }
    }
}

struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    scope: String,
    disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<UserRow>,
    form: UserForm,
    roles: Vec<Opt>,
    areas: Vec<Opt>,
    units: Vec<Opt>,
    leaders: Vec<Opt>,
    editing: Option<(i64, i64, bool)>,
    error: String,
    notice: String,
    /// An account saved over a stale version: the user's values beside the latest.
    conflict: Option<Conflict>,
}

impl UsersPage {
    /// The account form's fields as shown (labels, not codes), for a conflict.
    fn shown(&self, f: &UserForm) -> Vec<(&'static str, String)> {
        let label = |opts: &[Opt], v: &str| {
            opts.iter()
                .find(|o| o.value == v)
                .map_or_else(|| v.to_string(), |o| o.label.clone())
        };
        vec![
            ("姓名", f.display_name.clone()),
            ("角色", label(&self.roles, &f.role)),
            ("所属区县/平台", label(&self.areas, &f.area)),
            ("所属单位", label(&self.units, &f.unit_id)),
            ("对应领导", label(&self.leaders, &f.leader_id)),
        ]
    }
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserForm {
    username: String,
    display_name: String,
    role: String,
    area: String,
    unit_id: String,
    leader_id: String,
    password: String,
    version: i64,
}

impl UserForm {
    fn input(&self) -> UserInput {
        UserInput {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            area: self.area.clone(),
            unit_id: self.unit_id.parse().ok(),
            leader_id: self.leader_id.parse().ok(),
        }
    }
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    form: UserForm,
    editing: Option<(i64, i64, bool)>,
    error: String,
    notice: String,
) -> Result<Response, AppError> {
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = users_view(state, user, form, editing, error, notice).await?;
    Ok((status, html(&page)).into_response())
}

async fn users_view(
    state: &AppState,
    user: &CurrentUser,
    form: UserForm,
    editing: Option<(i64, i64, bool)>,
    error: String,
    notice: String,
) -> Result<UsersPage, AppError> {
    let districts = state.store.dict_list(DictKind::District).await?;
    let platforms = state.store.dict_list(DictKind::Platform).await?;
    let units = state.store.dict_list(DictKind::Unit).await?;
    let leaders = state.store.dict_list(DictKind::Leader).await?;
    let mut areas: Vec<Opt> = districts
        .iter()
        .map(|d| Opt {
            value: d.value(DictKind::District, "code").into(),
            label: d.name.clone(),
        })
        .collect();
    areas.extend(platforms.iter().map(|p| Opt {
        value: p.value(DictKind::Platform, "code").into(),
        label: p.name.clone(),
    }));
    let rows = user_rows(
        &state.store.list_users().await?,
        &districts,
        &platforms,
        &units,
        &leaders,
    );
    let to_opts = |items: Vec<DictItem>| {
        items
            .into_iter()
            .map(|i| Opt {
                value: i.id.to_string(),
                label: i.name,
            })
            .collect()
    };
    Ok(UsersPage {
        chrome: Chrome::new(state, user, "admin"),
        rows,
        form,
        roles: Role::ALL
            .iter()
            .map(|r| Opt {
                value: r.code().into(),
                label: r.label().into(),
            })
            .collect(),
        areas,
        units: to_opts(units),
        leaders: to_opts(leaders),
        editing,
        error,
        notice,
        conflict: None,
    })
}

/// The user list as the page and its export show it: role and scope by name.
fn user_rows(
    users: &[User],
    districts: &[DictItem],
    platforms: &[DictItem],
    units: &[DictItem],
    leaders: &[DictItem],
) -> Vec<UserRow> {
    let names = |items: &[DictItem]| -> HashMap<i64, String> {
        items.iter().map(|i| (i.id, i.name.clone())).collect()
    };
    let district_names: HashMap<String, String> = districts
        .iter()
        .map(|d| {
            (
                d.value(DictKind::District, "code").to_string(),
                d.name.clone(),
            )
        })
        .collect();
    let (platform_names, unit_names, leader_names) =
        (names(platforms), names(units), names(leaders));
    let scope_of = |u: &User| -> String {
        match u.role() {
            Some(Role::Area) => match u.platform_id {
                Some(p) => platform_names.get(&p).cloned().unwrap_or_default(),
                None => u
                    .district_code
                    .as_ref()
                    .and_then(|d| district_names.get(d).cloned())
                    .unwrap_or_default(),
            },
            Some(Role::Unit) => u
                .unit_id
                .and_then(|id| unit_names.get(&id).cloned())
                .unwrap_or_default(),
            Some(Role::Leader) => u
                .leader_id
                .and_then(|id| leader_names.get(&id).cloned())
                .unwrap_or_default(),
            _ => "全市".into(),
        }
    };
    users
        .iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role().map_or(u.role.clone(), |r| r.label().to_string()),
            scope: scope_of(u),
            disabled: u.disabled != 0,
        })
        .collect()
}

/// `/admin/users/export.xlsx`: every account with its role, scope and state.
pub async fn export_users(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    user.require_admin()?;
    let rows = user_rows(
        &state.store.list_users().await?,
        &state.store.dict_list(DictKind::District).await?,
        &state.store.dict_list(DictKind::Platform).await?,
        &state.store.dict_list(DictKind::Unit).await?,
        &state.store.dict_list(DictKind::Leader).await?,
    );
    let columns = vec![
        Column::new("序号", Integer, 6.0).untotalled(),
        Column::new("用户名", Text, 16.0),
        Column::new("姓名", Text, 14.0),
        Column::new("角色", Text, 12.0),
        Column::new("范围", Text, 22.0),
        Column::new("状态", Text, 8.0),
    ];
    let title = format!("{}系统用户清单", state.config.city_name);
    let scope = crate::export::scope_line("全部账号", &user.user.display_name);
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "用户",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::Int(i as i64 + 1),
                    Cell::Text(r.username),
                    Cell::Text(r.display_name),
                    Cell::Text(r.role),
                    Cell::Text(r.scope),
                    Cell::Text(if r.disabled { "已停用" } else { "正常" }.into()),
                ]
            })
            .collect(),
        chart: None,
    }];
    crate::export::book_download(&sheets, "系统用户清单", "users")
}

pub async fn users(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    user.require_admin()?;
    users_page(
        &state,
        &user,
        UserForm {
            role: "area".into(),
            ..Default::default()
        },
        None,
        String::new(),
        String::new(),
    )
    .await
}

pub async fn create_user(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let form: UserForm = parse_body(req).await?;
    match state
        .store
        .create_user(&user.actor, &form.input(), &form.password)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => {
            let message = store_message(e)?;
            users_page(
                &state,
                &user,
                UserForm {
                    password: String::new(),
                    ..form
                },
                None,
                message,
                String::new(),
            )
            .await
        }
    }
}

async fn form_for(state: &AppState, id: i64) -> Result<(UserForm, (i64, i64, bool)), AppError> {
    let u = state.store.user_by_id(id).await?;
    let area = match (u.platform_id, &u.district_code) {
        (Some(p), _) => state
            .store
            .dict_get(DictKind::Platform, p)
            .await?
            .value(DictKind::Platform, "code")
            .to_string(),
        (None, Some(d)) => d.clone(),
        _ => String::new(),
    };
    let form = UserForm {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        area,
        unit_id: u.unit_id.map(|v| v.to_string()).unwrap_or_default(),
        leader_id: u.leader_id.map(|v| v.to_string()).unwrap_or_default(),
        password: String::new(),
        version: u.version,
    };
    Ok((form, (u.id, u.version, u.disabled != 0)))
}

pub async fn user_form(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let (form, editing) = form_for(&state, id).await?;
    users_page(
        &state,
        &user,
        form,
        Some(editing),
        String::new(),
        String::new(),
    )
    .await
}

pub async fn update_user(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let form: UserForm = parse_body(req).await?;
    match state
        .store
        .update_user(&user.actor, id, form.version, &form.input())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(StoreError::Conflict(_))
            if state.store.user_by_id(id).await?.version != form.version =>
        {
            stale_user(&state, &user, id, form).await
        }
        Err(e) => {
            let message = store_message(e)?;
            let (_, editing) = form_for(&state, id).await?;
            users_page(
                &state,
                &user,
                form,
                Some((id, form_version(&editing), editing.2)),
                message,
                String::new(),
            )
            .await
        }
    }
}

/// An account saved over a version that is no longer the latest: the form as typed, carrying
/// the latest version, with the fields where the two differ.
async fn stale_user(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: UserForm,
) -> Result<Response, AppError> {
    let (latest, editing) = form_for(state, id).await?;
    let mut page = users_view(
        state,
        user,
        form,
        Some(editing),
        String::new(),
        String::new(),
    )
    .await?;
    let pairs = side_by_side(page.shown(&page.form), page.shown(&latest));
    page.conflict = Some(
        Conflict::load(
            &state.store,
            "user",
            id,
            format!("/admin/users/{id}"),
            pairs,
        )
        .await?,
    );
    Ok((StatusCode::CONFLICT, html(&page)).into_response())
}

fn form_version(editing: &(i64, i64, bool)) -> i64 {
    editing.1
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    disabled: String,
}

pub async fn user_state(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let form: StateForm = parse_body(req).await?;
    let target = state.store.user_by_id(id).await?;
    if target.id == user.user.id {
        return Err(AppError::Forbidden("不能停用自己的账号".into()));
    }
    state
        .store
        .set_disabled(&user.actor, &target.username, form.disabled == "1")
        .await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
}

pub async fn user_password(
    State(state): State<AppState>,
    user: CurrentUser,
    PathOr404(id): PathOr404<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let form: PasswordForm = parse_body(req).await?;
    let target = state.store.user_by_id(id).await?;
    let (edit_form, editing) = form_for(&state, id).await?;
    match state
        .store
        .set_password(&user.actor, &target.username, &form.password)
        .await
    {
        Ok(()) => {
            users_page(
                &state,
                &user,
                edit_form,
                Some(editing),
                String::new(),
                "密码已重置，该用户的所有登录会话已失效。".into(),
            )
            .await
        }
        Err(e) => {
            users_page(
                &state,
                &user,
                edit_form,
                Some(editing),
                store_message(e)?,
                String::new(),
            )
            .await
        }
    }
}
