//! `/api/v1/congresses/{id}/subcommittees`, `/api/v1/subcommittees/{id}/…`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::congresses::subcommittees::{SeatInSubcommittee, SubcommitteeKind};
use dangvu_domain::ids::MemberId;
use dangvu_store::congresses::subcommittees::{NewSubcommitteeMember, Subcommittee};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser, Id};

#[derive(Debug, Serialize, ToSchema)]
pub struct SubcommitteeList {
    pub items: Vec<Subcommittee>,
}

/// The subcommittees of a congress with their people and tasks.
#[utoipa::path(get, path = "/congresses/{id}/subcommittees", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = SubcommitteeList), (status = 404, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<SubcommitteeList> {
    Ok(Json(SubcommitteeList { items: super::list(&state, &user, id).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubcommitteeInput {
    /// `documents`, `personnel`, `organisation`, `propaganda` or `other`.
    pub kind: String,
    /// The kind's usual name when absent ("Tiểu ban Văn kiện" …).
    #[serde(default)]
    pub name: String,
}

/// Set up a subcommittee of the congress.
#[utoipa::path(post, path = "/congresses/{id}/subcommittees", tag = "congresses", params(("id" = i64, Path)),
    request_body = SubcommitteeInput,
    responses((status = 201, body = Subcommittee), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<SubcommitteeInput>,
) -> Result<(StatusCode, Json<Subcommittee>), AppError> {
    let kind = SubcommitteeKind::parse(&input.kind)
        .ok_or_else(|| AppError::invalid("kind", "Là documents, personnel, organisation, propaganda hoặc other"))?;
    Ok((StatusCode::CREATED, Json(super::create(&state, &user, id, kind, &input.name).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberInput {
    pub full_name: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// `head`, `deputy`, `secretary` or `member`.
    #[serde(default = "member")]
    pub seat: String,
    /// Their post.
    #[serde(default)]
    pub title: String,
}

fn member() -> String {
    "member".into()
}

/// Name a person to a subcommittee (one head a subcommittee).
#[utoipa::path(post, path = "/subcommittees/{id}/members", tag = "congresses", params(("id" = i64, Path)),
    request_body = MemberInput,
    responses((status = 201, body = Subcommittee), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<MemberInput>,
) -> Result<(StatusCode, Json<Subcommittee>), AppError> {
    let seat = SeatInSubcommittee::parse(&input.seat)
        .ok_or_else(|| AppError::invalid("seat", "Là head, deputy, secretary hoặc member"))?;
    let new =
        NewSubcommitteeMember { member_id: input.member_id, full_name: input.full_name, seat, title: input.title };
    Ok((StatusCode::CREATED, Json(super::add_member(&state, &user, id, new).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskInput {
    pub title: String,
    pub due_on: Option<NaiveDate>,
}

/// Give a subcommittee a task: a task of the tasks capability, led by the congress's
/// organisation, its title naming the subcommittee.
#[utoipa::path(post, path = "/subcommittees/{id}/tasks", tag = "congresses", params(("id" = i64, Path)),
    request_body = TaskInput,
    responses((status = 201, body = Subcommittee), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn assign_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Subcommittee>), AppError> {
    Ok((StatusCode::CREATED, Json(super::assign_task(&state, &user, id, &input.title, input.due_on).await?)))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(add_member)).routes(routes!(assign_task))
}
