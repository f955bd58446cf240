//! `/api/v1/users`: accounts with a role and a scope (admin only).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::accounts::{self, NewUser, SessionUser, User};
use dangvu_store::audit::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
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
    require_admin(&user)?;
    let today = calendar::today();
    match input.org_id {
        None if input.role != "member" && !matches!(seen_on(&state, &user, today).await?, Seen::All) => {
            return Err(AppError::invalid("org_id", "Hãy chọn tổ chức trong phạm vi của bạn"));
        }
        Some(org_id) if visible_org(&state, &user, org_id, today).await.is_err() => {
            return Err(AppError::invalid("org_id", "Không có tổ chức này"));
        }
        _ => {}
    }
    if let Some(member_id) = input.member_id {
        member_in_scope(&state, &user, member_id).await?;
    }
    let email = crate::tasks::reminders::check_address(input.email.as_deref().unwrap_or_default())
        .map_err(|why| AppError::invalid("email", why))?;
    let mut tx = state.db.begin().await?;
    let created = accounts::create_user(
        &mut tx,
        &Actor::user(user.user.id, &user.user.username),
        NewUser {
            username: input.username,
            password: input.password,
            role: input.role,
            org_id: input.org_id,
            member_id: input.member_id,
        },
    )
    .await?;
    if email.is_some() {
        accounts::set_email(&mut tx, &Actor::user(user.user.id, &user.user.username), created.id, email.as_deref())
            .await?;
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn member_in_scope(state: &AppState, user: &SessionUser, member_id: MemberId) -> Result<(), AppError> {
    let row = state.db.query_one("SELECT org_id FROM members WHERE id = $1", dangvu_store::params![member_id]).await?;
    let org_id = row.map(|r| r.id(0)).transpose()?;
    match org_id {
        Some(o) if visible_org(state, user, o, calendar::today()).await.is_ok() => Ok(()),
        _ => Err(AppError::invalid("member_id", "Không có đảng viên này")),
    }
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
