//! `/api/v1/meetings`: meetings and their conclusions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_store::tasks::meetings::{self, Meeting};
use dangvu_store::tasks::{self, Task};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::scope_path;
use crate::tasks::{CreateMeeting, record_meeting, visible_meeting};

/// Record a meeting.
#[utoipa::path(post, path = "/meetings", tag = "meetings", request_body = CreateMeeting,
    responses((status = 201, body = Meeting), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateMeeting>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let m = record_meeting(&state, &user, input).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Meetings hosted in this organisation's subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<Meeting>,
    pub next_cursor: Option<String>,
}

/// Meetings of a subtree, newest first.
#[utoipa::path(get, path = "/meetings", tag = "meetings", params(ListParams),
    responses((status = 200, body = MeetingList), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<MeetingList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let path = scope_path(&state, &user, p.org_id).await?;
    let before = if after == 0 { i64::MAX } else { after };
    let items = meetings::in_subtree(&state.db, &path, calendar::today(), before, limit).await?;
    let next = next_cursor(items.last().map(|m| m.id), items.len(), limit);
    Ok(Json(MeetingList { items, next_cursor: next }))
}

/// One meeting.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = Meeting), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Meeting> {
    Ok(Json(visible_meeting(&state, &user, id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingTasks {
    pub items: Vec<Task>,
}

/// The tasks a meeting gave.
#[utoipa::path(get, path = "/meetings/{id}/tasks", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingTasks), (status = 404, body = ErrorBody)))]
pub async fn tasks_of(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<MeetingTasks> {
    visible_meeting(&state, &user, id).await?;
    Ok(Json(MeetingTasks { items: tasks::of_meeting(&state.db, id, calendar::today()).await? }))
}
