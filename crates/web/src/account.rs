//! The user's own account: changing the password (required once it has aged past the
//! password profile's limit). A changed password ends every session, so the user logs in again.

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::error::AppError;
use crate::form::parse_body;
use crate::views::html;
use askama::Template;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hezuo_store::StoreError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    chrome: Chrome,
    rule: String,
    expired: bool,
    field: String,
    error: String,
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    expired: bool,
    field: &str,
    error: String,
) -> PasswordPage {
    PasswordPage {
        chrome: Chrome::new(state, user, "account"),
        rule: state.store.password_profile().rule(),
        expired,
        field: field.to_string(),
        error,
    }
}

/// `GET /account/password[?expired=1]`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let expired = raw.as_deref().is_some_and(|q| q.contains("expired=1"))
        || state
            .store
            .password_profile()
            .expired(&user.user.password_changed_at);
    Ok(html(&page(&state, &user, expired, "", String::new())))
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: on success every session ends and the login page says why.
pub async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let f: ChangeForm = parse_body(req).await?;
    let result = if f.password != f.confirm {
        Err(StoreError::invalid("confirm", "两次输入的新密码不一致"))
    } else {
        state
            .store
            .change_own_password(&user.actor, user.user.id, &f.current, &f.password)
            .await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/login?changed=1").into_response()),
        Err(StoreError::Invalid { field, message }) => {
            let expired = state
                .store
                .password_profile()
                .expired(&user.user.password_changed_at);
            let p = page(&state, &user, expired, &field, message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
