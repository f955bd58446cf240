//! `/api/v1/meetings`: meetings and their conclusions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_store::tasks::meetings::{self, Meeting, NewMeeting};
use dangvu_store::tasks::{self, Task};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::{org_field, scope_path};
use crate::tasks::{require_direct, visible_document, visible_meeting};
use crate::usecase::{actor, in_tx};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMeeting {
    /// The host organisation.
    pub org_id: i64,
    pub title: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    /// `standing_board`, `standing_office`, `executive`, `quarterly_briefing`, `six_month_review`,
    /// `annual_review`, `congress_preparation`, `working_session` or `other`.
    pub kind: String,
    pub chair: Option<String>,
    pub attendees: Option<String>,
    pub reports: Option<String>,
    pub conclusion: Option<String>,
    pub document_id: Option<i64>,
}

/// Record a meeting.
#[utoipa::path(post, path = "/meetings", tag = "meetings", request_body = CreateMeeting,
    responses((status = 201, body = Meeting), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateMeeting>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    require_direct(&user)?;
    let held_on =
        calendar::parse_date(&input.held_on).ok_or_else(|| AppError::invalid("held_on", "Ngày họp không hợp lệ"))?;
    org_field(&state, &user, input.org_id, "org_id").await?;
    if let Some(d) = input.document_id
        && visible_document(&state, &user, d).await.is_err()
    {
        return Err(AppError::invalid("document_id", "Không có văn bản này"));
    }
    let new = NewMeeting {
        org_id: input.org_id,
        title: input.title,
        kind: input.kind,
        held_on,
        chair: input.chair.unwrap_or_default(),
        attendees: input.attendees.unwrap_or_default(),
        reports: input.reports.unwrap_or_default(),
        conclusion: input.conclusion.unwrap_or_default(),
        document_id: input.document_id,
    };
    let m = in_tx(&state, async |tx| meetings::create(tx, &actor(&user), new).await).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Meetings hosted in this organisation's subtree; the account's scope when absent.
    pub org_id: Option<i64>,
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
