//! `POST /api/v1/tasks/extract`: a draft of tasks from the text of a conclusion.

use axum::Json;
use axum::extract::State;
use dangvu_domain::ids::OrgId;
use dangvu_domain::tasks::conclusion::{self};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser};
use crate::scope::scope_path;
use crate::tasks::drafts::{DraftOut, matched};

/// The longest text drafted at once: a conclusion is a few pages, not a book.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtractRequest {
    pub text: String,
    /// The meeting or document date that relative deadlines count from (YYYY-MM-DD).
    pub reference_date: String,
    /// Match unit names inside this organisation's subtree; the account's scope when absent.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractResponse {
    pub tasks: Vec<DraftOut>,
}

/// Draft tasks from a conclusion: one per numbered or bulleted item, with the units and
/// deadline it names. Nothing is stored.
#[utoipa::path(post, path = "/tasks/extract", tag = "tasks", request_body = ExtractRequest,
    responses((status = 200, body = ExtractResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extract(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<ExtractRequest>,
) -> JsonResult<ExtractResponse> {
    let reference = dangvu_domain::calendar::parse_date(&input.reference_date)
        .ok_or_else(|| AppError::invalid("reference_date", "Ngày tham chiếu không hợp lệ"))?;
    if input.text.len() > MAX_TEXT_BYTES {
        return Err(AppError::invalid("text", "Văn bản quá dài (tối đa 1 MB)"));
    }
    let path = scope_path(&state, &user, input.org_id).await?;
    let drafts = conclusion::extract(&input.text, reference);
    Ok(Json(ExtractResponse { tasks: matched(&state, &path, drafts).await? }))
}
