//! One error type at the HTTP edge. Each variant says what status it becomes; database and
//! internal faults become 500 with the detail logged once and kept out of the response.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hezuo_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: absent, or outside the caller's scope (the two are indistinguishable on purpose).
    #[error("找不到该页面或记录")]
    NotFound,
    /// 401: not logged in (API) — pages redirect to the login form instead.
    #[error("请先登录")]
    Unauthorized,
    /// 403: logged in but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 409: a stale version or a uniqueness clash.
    #[error("{0}")]
    Conflict(String),
    /// 422: input that cannot be accepted; `field` names the form field.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// 400: a malformed request.
    #[error("{0}")]
    BadRequest(String),
    /// 500: logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid { field, message } => AppError::Invalid { field, message },
            StoreError::Db(e) => AppError::Internal(e.to_string()),
            StoreError::Config(m) => AppError::Internal(m),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The text a person may read.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                "系统出现错误，请稍后重试；如果问题持续，请联系管理员。".into()
            }
            other => other.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let title = match status {
            StatusCode::NOT_FOUND => "找不到页面",
            StatusCode::FORBIDDEN => "没有权限",
            StatusCode::CONFLICT => "数据已变更",
            StatusCode::INTERNAL_SERVER_ERROR => "系统错误",
            _ => "无法处理请求",
        };
        let page = ErrorPage {
            status: status.as_u16(),
            title,
            message: self.public_message(),
        };
        (status, crate::views::html(&page)).into_response()
    }
}

/// The JSON form of an error for API clients: `{"error": "...", "field": "..."}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A message in Chinese for a person to read.
    pub error: String,
    /// The field the error is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field error, for validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<hezuo_domain::FieldError>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let field = match &self.0 {
            AppError::Invalid { field, .. } if !field.is_empty() => Some(field.clone()),
            _ => None,
        };
        (
            status,
            Json(ErrorBody {
                error: self.0.public_message(),
                field,
                errors: Vec::new(),
            }),
        )
            .into_response()
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `Json` for the API whose rejections are the house JSON error in Chinese.
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                let message = match e {
                    axum::extract::rejection::JsonRejection::MissingJsonContentType(_) => {
                        "请求头须为 Content-Type: application/json".to_string()
                    }
                    axum::extract::rejection::JsonRejection::JsonDataError(e) => {
                        format!("请求内容的字段类型不符：{}", e.body_text())
                    }
                    other => format!("请求内容不是有效的 JSON：{}", other.body_text()),
                };
                Err(ApiError(AppError::Invalid {
                    field: String::new(),
                    message,
                }))
            }
        }
    }
}

/// A path parameter that does not parse names nothing: 404, on pages and in the API alike.
pub struct PathOr404<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for PathOr404<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| PathOr404(v))
            .map_err(|_| AppError::NotFound)
    }
}

/// [`PathOr404`] for the API, answering in JSON.
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        PathOr404::<T>::from_request_parts(parts, state)
            .await
            .map(|PathOr404(v)| ApiPath(v))
            .map_err(ApiError)
    }
}
