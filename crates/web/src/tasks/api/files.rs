//! `/api/v1/files/{id}`: downloads of attached files.

use axum::extract::State;

use crate::AppState;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiUser, Id};

/// A file attached to a task, a progress report or a document, for those who may read it.
#[utoipa::path(get, path = "/files/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, as an attachment", content_type = "application/octet-stream"),
              (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<axum::response::Response, AppError> {
    crate::files::download(&state, &user, id).await
}
