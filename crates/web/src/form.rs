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
    serde_html_form::from_str(&kept).map_err(|e| AppError::BadRequest(format!("请求参数无效：{e}")))
}

pub async fn parse_body<T: DeserializeOwned>(req: Request<Body>) -> Result<T, AppError> {
    let bytes = axum::body::to_bytes(req.into_body(), 2 * 1024 * 1024)
        .await
        .map_err(|_| AppError::BadRequest("请求内容过大".into()))?;
    parse_pairs(&bytes)
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
