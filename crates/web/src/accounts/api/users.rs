//! `/api/v1/users`: accounts with a role and a scope (admin only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::accounts::{self, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::accounts::{NewAccount, create_account};
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::{Seen, require_admin, seen_on, visible_org};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUser {
    pub username: String,
    /// At least 10 characters.
    pub password: String,
    /// `admin`, `organizer`, `office`, `inspector`, `secretary`, `viewer` or `member`.
    pub role: String,
    /// The top of the account's scope; `null` for the whole tree (only for an admin who sees it all).
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// For a `member` account: the member it belongs to; its scope is the member's cell.
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// Where the daily reminders are e-mailed, when the server has an SMTP relay.
    pub email: Option<String>,
}

/// Create an account inside the admin's scope.
#[utoipa::path(post, path = "/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let new = NewAccount {
        username: input.username,
        password: input.password,
        role: input.role,
        org_id: input.org_id,
        member_id: input.member_id,
        email: input.email.unwrap_or_default(),
    };
    let created = create_account(&state, &user, new, "org_id").await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<User>,
    pub next_cursor: Option<String>,
}

/// Accounts whose scope lies inside the admin's.
#[utoipa::path(get, path = "/users", tag = "users", params(PageParams),
    responses((status = 200, body = UserList), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> JsonResult<UserList> {
    require_admin(&user)?;
    let (limit, after) = p.resolve()?;
    let items = accounts::users_in(&state.db, &user.scope, calendar::today(), after, limit).await?;
    let next = next_cursor(items.last().map(|u| u.id), items.len(), limit);
    Ok(Json(UserList { items, next_cursor: next }))
}

/// One account.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<User> {
    let found = accounts::user(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if found.id == user.user.id {
        return Ok(Json(found));
    }
    let visible = match found.org_id {
        Some(o) => visible_org(&state, &user, o, calendar::today()).await.is_ok(),
        None => matches!(seen_on(&state, &user, calendar::today()).await?, Seen::All),
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    require_admin(&user)?;
    Ok(Json(found))
}
