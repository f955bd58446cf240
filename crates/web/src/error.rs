//! One error type for every handler, mapped to HTTP: JSON for the API, a page for people.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangvu_domain::validation::FieldError;
use dangvu_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid credentials.
    #[error("Cần đăng nhập")]
    Unauthorized,
    /// Signed in, but the account may not act there.
    #[error("{0}")]
    Forbidden(String),
    /// Does not exist, or lies outside the account's scope: the two look the same.
    #[error("Không tìm thấy")]
    NotFound,
    /// The input breaks a rule; nothing was written.
    #[error("Dữ liệu không hợp lệ")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The body is larger than the route takes.
    #[error("{0}")]
    TooLarge(String),
    #[error("Cơ sở dữ liệu tạm thời không trả lời")]
    Unavailable,
    #[error("Lỗi hệ thống")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden("Tài khoản không có quyền thực hiện thao tác này".into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Unavailable => "service_unavailable",
            AppError::Internal(_) => "internal_error",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(fields) => AppError::Invalid(fields),
            StoreError::NotFound => AppError::NotFound,
            StoreError::Unique(_) => AppError::invalid("", "Giá trị này đã được dùng"),
            StoreError::Unavailable(_) | StoreError::Closed => AppError::Unavailable,
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The error body of every API answer (CONTRACT.md, "HTTP basics").
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// snake_case, stable.
    pub code: String,
    /// For people, in Vietnamese.
    pub message: String,
    /// Only for validation errors (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub fields: Option<Vec<FieldError>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let fields = match &self {
            AppError::Invalid(f) => Some(f.clone()),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code: self.code().to_owned(), message: self.to_string(), fields } };
        (self.status(), axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, AppError>;
