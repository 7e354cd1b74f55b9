//! The administrator's 等保 pages: the audit log searched (who, from where, what, whether it
//! succeeded, the record before and after) and exported, and the live sessions, each of which
//! can be ended — one, or every session of a user.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::error::AppError;
use crate::form::{parse_body, parse_query};
use crate::views::html;
use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::Request;
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_store::AuditEntry;
use hezuo_store::security::{AuditFilter, AuditPage, SessionRow};
use serde::Deserialize;

const PER_PAGE: i64 = 50;

/// Events by their Chinese names, for the filter and the table.
const ACTIONS: [(&str, &str); 16] = [
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("login_locked", "登录被锁定"),
    ("logout", "退出"),
    ("create", "新增"),
    ("update", "修改"),
    ("delete", "删除"),
    ("set", "设置"),
    ("transition", "阶段变更"),
    ("import", "导入"),
    ("export", "导出/下载"),
    ("password", "修改密码"),
    ("disable", "停用账号"),
    ("enable", "启用账号"),
    ("end_session", "结束会话"),
    ("purge", "清理审计日志"),
];

fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map_or_else(|| action.to_string(), |(_, label)| label.to_string())
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditView {
    chrome: Chrome,
    page: AuditPage,
    filter: AuditFilter,
    query: String,
    pages: i64,
    actions: Vec<(&'static str, &'static str)>,
}

impl AuditView {
    fn label(&self, action: &str) -> String {
        action_label(action)
    }

    fn given(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    fn change(&self, e: &AuditEntry) -> String {
        change_text(e)
    }
}

/// Before → after, shortened for the table.
fn change_text(e: &AuditEntry) -> String {
    let short = |s: &Option<String>| {
        s.as_deref().map_or(String::new(), |s| {
            let t: String = s.chars().take(160).collect();
            if t.len() < s.len() {
                format!("{t}…")
            } else {
                t
            }
        })
    };
    match (short(&e.before_json), short(&e.after_json)) {
        (b, a) if b.is_empty() => a,
        (b, a) if a.is_empty() => format!("原：{b}"),
        (b, a) => format!("原：{b} → 新：{a}"),
    }
}

fn query_of(f: &AuditFilter) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("user", &f.user),
        ("action", &f.action),
        ("entity", &f.entity),
        ("from", &f.from),
        ("to", &f.to),
        ("success", &f.success),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// `GET /admin/audit?user=&action=&entity=&from=&to=&success=&page=`.
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let filter: AuditFilter = parse_query(raw.as_deref())?;
    let page = state
        .store
        .search_audit(&user.viewer, &filter, PER_PAGE)
        .await?;
    Ok(html(&AuditView {
        chrome: Chrome::new(&state, &user, "admin"),
        pages: (page.total + PER_PAGE - 1).max(1) / PER_PAGE.max(1),
        query: query_of(&filter),
        actions: ACTIONS.to_vec(),
        page,
        filter,
    }))
}

/// `GET /admin/audit/export.xlsx`: the filtered log (up to 100,000 rows) as a workbook.
pub async fn export_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    use hezuo_office::export::{BookSheet, Cell, Column, ColumnKind::*, ListSheet};
    user.require_admin()?;
    let filter: AuditFilter = parse_query(raw.as_deref())?;
    let page = state
        .store
        .search_audit(
            &user.viewer,
            &AuditFilter {
                page: None,
                ..filter.clone()
            },
            100_000,
        )
        .await?;
    let columns = vec![
        Column::new("时间（UTC）", Text, 22.0),
        Column::new("用户", Text, 16.0),
        Column::new("地址", Text, 16.0),
        Column::new("事件", Text, 12.0),
        Column::new("对象", Text, 16.0),
        Column::new("对象编号", Integer, 10.0).untotalled(),
        Column::new("结果", Text, 8.0),
        Column::new("变更内容", Text, 80.0),
    ];
    let rows = page
        .items
        .iter()
        .map(|e| {
            vec![
                Cell::Text(e.at.clone()),
                Cell::Text(e.username.clone()),
                Cell::Text(e.ip.clone()),
                Cell::Text(action_label(&e.action)),
                Cell::Text(e.entity.clone()),
                e.entity_id.map_or(Cell::Empty, Cell::Int),
                Cell::Text(if e.success != 0 { "成功" } else { "失败" }.into()),
                Cell::Text(change_text(e)),
            ]
        })
        .collect();
    let q = query_of(&filter);
    let scope = crate::export::scope_line(
        if q.is_empty() { "全部" } else { &q },
        &user.user.display_name,
    );
    let title = format!("{}区域合作办平台审计日志", state.config.city_name);
    let sheets = [BookSheet {
        list: ListSheet {
            sheet_name: "审计日志",
            title: &title,
            scope: &scope,
            columns: &columns,
        },
        rows,
        chart: None,
    }];
    crate::export::book_download(&sheets, "审计日志", "audit")
}

#[derive(Template)]
#[template(path = "admin/sessions.html")]
struct SessionsView {
    chrome: Chrome,
    sessions: Vec<SessionRow>,
    idle_minutes: i64,
    max_hours: i64,
}

/// `GET /admin/sessions`.
pub async fn sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let policy = state.store.session_policy();
    Ok(html(&SessionsView {
        chrome: Chrome::new(&state, &user, "admin"),
        sessions: state.store.list_sessions(&user.viewer).await?,
        idle_minutes: policy.idle_minutes,
        max_hours: policy.max_hours,
    }))
}

#[derive(Debug, Deserialize)]
struct EndForm {
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    user_id: Option<i64>,
}

/// `POST /admin/sessions/end`: one session (`session`) or every session of `user_id`.
pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    user.require_admin()?;
    let f: EndForm = parse_body(req).await?;
    let (session, user_id) = match f.session.as_deref() {
        Some(s) => (Some(s), None),
        None => (None, f.user_id),
    };
    state
        .store
        .end_sessions(&user.viewer, &user.actor, session, user_id)
        .await?;
    Ok(Redirect::to("/admin/sessions").into_response())
}
