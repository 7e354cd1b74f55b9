//! Reading forms and query strings the way browsers send them: repeated keys become lists,
//! and empty fields mean "not given" rather than a parse error.

use crate::error::AppError;
use axum::body::Body;
use axum::http::Request;
use serde::de::DeserializeOwned;

/// Drops empty values, then deserializes (repeated keys into `Vec`s).
pub fn parse_pairs<T: DeserializeOwned>(raw: &[u8]) -> Result<T, AppError> {
    let kept: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(raw).filter(|(_, v)| !v.trim().is_empty()))
        .finish();
    serde_html_form::from_str(&kept).map_err(|e| {
        // serde's own words are English and name no field a user would know.
        tracing::debug!(error = %e, "unreadable parameters");
        AppError::BadRequest(
            "请求参数无效：有参数的值不是有效的数字、日期或选项，或超出范围".into(),
        )
    })
}

pub async fn parse_body<T: DeserializeOwned>(req: Request<Body>) -> Result<T, AppError> {
    parse_pairs(&body_bytes(req).await?)
}

/// A form's raw body (at most 2 MB), for a handler that reads keys a struct cannot name.
pub async fn body_bytes(req: Request<Body>) -> Result<axum::body::Bytes, AppError> {
    axum::body::to_bytes(req.into_body(), 2 * 1024 * 1024)
        .await
        .map_err(|_| AppError::BadRequest("请求内容过大".into()))
}

/// The version a form read of one of several records it lists, posted as `version_{key}`
/// (e.g. `version_2024-03`): `None` if the form did not list that record.
pub fn version_for(body: &[u8], key: &str) -> Option<i64> {
    let name = format!("version_{key}");
    form_urlencoded::parse(body)
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// The `version` a form was read at (0 when the form carries none, which no record has).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct VersionForm {
    pub version: i64,
}

pub fn parse_query<T: DeserializeOwned>(query: Option<&str>) -> Result<T, AppError> {
    parse_pairs(query.unwrap_or("").as_bytes())
}

/// The messages for one form field, joined with "；" (a list field's rows count too:
/// `milestones` gathers `milestones[0]`, `milestones[1]` …).
pub fn errors_for(errors: &[hezuo_domain::FieldError], field: &str) -> String {
    let row = format!("{field}[");
    errors
        .iter()
        .filter(|e| e.field == field || e.field.starts_with(&row))
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}
