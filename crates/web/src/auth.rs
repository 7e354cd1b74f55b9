//! Who is asking: browser sessions (cookie → session row), bearer tokens for API clients,
//! the login form with throttling, and CSRF protection on every state-changing request.
//!
//! CSRF: a logged-in browser must send its session's token (form field `_csrf` or header
//! `X-CSRF-Token`); before login, the login form uses a double-submit cookie. Requests that
//! authenticate with a bearer token carry no cookies' authority and are exempt.

use crate::AppState;
use crate::error::AppError;
use crate::views::html;
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_domain::Viewer;
use hezuo_store::auth::{LoginError, LoginErrorOr, Session, User, random_token};
use hezuo_store::{Actor, Store};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "hezuo_session";
const PRELOGIN_COOKIE: &str = "hezuo_csrf";

/// The authenticated caller, as every handler sees it.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub viewer: Viewer,
    pub actor: Actor,
    /// The session's CSRF token (empty for bearer-token callers).
    pub csrf: String,
}

impl CurrentUser {
    fn new(user: User, csrf: String, ip: String) -> CurrentUser {
        let viewer = user.viewer();
        let actor = Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            ip,
        };
        CurrentUser {
            user,
            viewer,
            actor,
            csrf,
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.viewer.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden("仅系统管理员可以进行此操作".into()))
        }
    }
}

/// Resolved once per request by [`csrf_guard`] and read by the extractor.
#[derive(Clone)]
struct Resolved(Option<CurrentUser>);

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub fn client_ip<B>(req: &Request<B>) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

async fn resolve(
    store: &Store,
    headers: &HeaderMap,
    ip: &str,
) -> Result<Option<CurrentUser>, AppError> {
    if let Some(token) = bearer(headers) {
        return Ok(store
            .token_user(token)
            .await?
            .map(|u| CurrentUser::new(u, String::new(), ip.to_string())));
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => Ok(store
            .session(token)
            .await?
            .map(|Session { csrf, user, .. }| CurrentUser::new(user, csrf, ip.to_string()))),
        _ => Ok(None),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The boundary of a `multipart/form-data` body.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    ct.split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
}

/// A small text field of a multipart body (the form puts `_csrf` first).
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = body
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())?;
    let rest = &body[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let end_marker = format!("\r\n--{boundary}");
    let len = rest[start..]
        .windows(end_marker.len())
        .position(|w| w == end_marker.as_bytes())?;
    String::from_utf8(rest[start..start + len].to_vec()).ok()
}

/// Resolves the caller and refuses state-changing browser requests without a valid CSRF token.
pub async fn csrf_guard(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    // Static assets need no caller; skip the session lookup.
    if req.uri().path().starts_with("/static/") {
        return next.run(req).await;
    }
    let ip = client_ip(&req);
    let resolved = match resolve(&state.store, req.headers(), &ip).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    // 等保: a browser session whose password has aged past the profile's limit must set a
    // new one before anything else (API tokens are not passwords and are not held up).
    if let Some(u) = &resolved
        && bearer(req.headers()).is_none()
        && state
            .store
            .password_profile()
            .expired(&u.user.password_changed_at)
        && !matches!(req.uri().path(), "/account/password" | "/logout")
    {
        return axum::response::Redirect::to("/account/password?expired=1").into_response();
    }
    // 等保: every download of the office's data (a workbook, a bulletin, an evidence file) is
    // on record with who, from where and what it covered.
    let download = (*req.method() == Method::GET && is_download(req.uri().path()))
        .then(|| resolved.as_ref().map(|u| u.actor.clone()))
        .flatten()
        .map(|actor| {
            let what = req
                .uri()
                .path_and_query()
                .map_or(String::new(), |p| p.as_str().to_string());
            (actor, what)
        });
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (mut parts, body) = req.into_parts();
    let body = if unsafe_method && bearer(&parts.headers).is_none() {
        // An upload's token is a field of its multipart form; the route's own body limit
        // (50 MB for uploads, 2 MB elsewhere) has already bounded what is read here.
        let boundary = multipart_boundary(&parts.headers);
        let limit = if boundary.is_some() {
            crate::UPLOAD_BODY_BYTES
        } else {
            2 * 1024 * 1024
        };
        let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => return AppError::BadRequest("请求内容过大".into()).into_response(),
        };
        let expected = match &resolved {
            Some(u) => Some(u.csrf.clone()),
            None => cookie(&parts.headers, PRELOGIN_COOKIE).map(str::to_string),
        };
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| match &boundary {
                Some(b) => multipart_field(&bytes, b, "_csrf"),
                None => form_field(&bytes, "_csrf"),
            });
        let ok =
            matches!((&expected, &sent), (Some(e), Some(s)) if !e.is_empty() && constant_eq(e, s));
        if !ok {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            let message = "页面已过期或请求来源无法验证，请刷新页面后重试。".to_string();
            if parts.uri.path().starts_with("/api/") {
                // An API call with neither a token nor a session is unauthenticated (401),
                // not a forged browser request.
                let error = if resolved.is_none() {
                    AppError::Unauthorized
                } else {
                    AppError::Forbidden(message)
                };
                return crate::error::ApiError(error).into_response();
            }
            return AppError::Forbidden(message).into_response();
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(Resolved(resolved));
    let response = next.run(Request::from_parts(parts, body)).await;
    if let Some((actor, what)) = download
        && response.status() == axum::http::StatusCode::OK
        && let Err(e) = state
            .store
            .record_event(
                &actor,
                "export",
                "download",
                &serde_json::json!({ "path": what }),
            )
            .await
    {
        // A download that cannot be put on record is not given out.
        tracing::error!(error = %e, "could not record a download");
        return AppError::Internal(e.to_string()).into_response();
    }
    response
}

/// Paths that hand out the office's data as a file.
fn is_download(path: &str) -> bool {
    path.ends_with(".xlsx") || path.ends_with(".docx") || path.starts_with("/evidence/")
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Why a request has no usable caller: pages go to the login form, the API answers 401.
pub enum AuthRejection {
    Login(String),
    Api,
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            AuthRejection::Api => crate::error::ApiError(AppError::Unauthorized).into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Inside the nested `/api/v1` router `parts.uri` has the prefix stripped; the original
        // URI tells an API call from a page.
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(&parts.uri, |o| &o.0);
        match parts.extensions.get::<Resolved>() {
            Some(Resolved(Some(u))) => Ok(u.clone()),
            _ if uri.path().starts_with("/api/") => Err(AuthRejection::Api),
            _ => Err(AuthRejection::Login(
                uri.path_and_query()
                    .map_or("/".to_string(), |p| p.as_str().to_string()),
            )),
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    city: String,
    csrf: String,
    next: String,
    username: String,
    error: String,
    notice: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
    /// Set after a password change: the login page says why the session ended.
    changed: String,
}

/// Only same-site paths are followed after login.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/projects".to_string()
    }
}

fn cookie_header(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let csrf = cookie(&headers, PRELOGIN_COOKIE).map_or_else(random_token, str::to_string);
    let page = LoginPage {
        city: state.config.city_name.clone(),
        csrf: csrf.clone(),
        // Empty means "where this account starts" (a lead unit starts at its key items).
        next: if q.next.is_empty() {
            String::new()
        } else {
            safe_next(&q.next)
        },
        username: String::new(),
        error: String::new(),
        notice: if q.changed.is_empty() {
            String::new()
        } else {
            "密码已修改，请用新密码重新登录。".into()
        },
    };
    (
        [(
            header::SET_COOKIE,
            cookie_header(PRELOGIN_COOKIE, &csrf, state.config.secure_cookies, None),
        )],
        html(&page),
    )
        .into_response()
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
    #[serde(rename = "_csrf")]
    csrf: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let ip = client_ip(&req);
    let form: LoginForm = crate::form::parse_body(req).await?;
    match state.store.login(&form.username, &form.password, &ip).await {
        Ok(session) => {
            let cookie = cookie_header(
                SESSION_COOKIE,
                &session.token,
                state.config.secure_cookies,
                None,
            );
            // A lead unit lands on its key items, where its reminders are.
            let next = if form.next.is_empty() && session.user.role == "unit" {
                "/key-items".to_string()
            } else {
                safe_next(&form.next)
            };
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
        }
        Err(LoginErrorOr::Login(e)) => {
            let (status, error) = match e {
                LoginError::Invalid => (StatusCode::UNAUTHORIZED, "用户名或密码错误"),
                LoginError::Throttled => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "登录失败次数过多，请15分钟后再试",
                ),
            };
            let page = LoginPage {
                city: state.config.city_name.clone(),
                csrf: form.csrf,
                next: safe_next(&form.next),
                username: form.username,
                error: error.into(),
                notice: String::new(),
            };
            Ok((status, html(&page)).into_response())
        }
        Err(LoginErrorOr::Store(e)) => Err(e.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.logout(token, &user.actor).await?;
    }
    let clear = cookie_header(SESSION_COOKIE, "", state.config.secure_cookies, Some(0));
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

/// Page chrome shared by every logged-in page.
pub struct Chrome {
    pub city: String,
    pub display_name: String,
    pub role_label: String,
    pub csrf: String,
    pub is_admin: bool,
    pub is_leader: bool,
    pub can_edit: bool,
    pub nav: &'static str,
}

impl Chrome {
    pub fn new(state: &AppState, u: &CurrentUser, nav: &'static str) -> Chrome {
        Chrome {
            city: state.config.city_name.clone(),
            display_name: if u.user.display_name.is_empty() {
                u.user.username.clone()
            } else {
                u.user.display_name.clone()
            },
            role_label: u.viewer.role.label().to_string(),
            csrf: u.csrf.clone(),
            is_admin: u.viewer.is_admin(),
            is_leader: u.viewer.role == hezuo_domain::Role::Leader,
            can_edit: u.viewer.can_edit_projects(),
            nav,
        }
    }
}
