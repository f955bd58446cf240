//! `POST/DELETE /api/v1/session`, `GET /api/v1/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use dangvu_store::accounts::User;
use dangvu_store::orgs::Org;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser, bearer, client_address};

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    pub user: User,
}

/// Sign in.
#[utoipa::path(post, path = "/session", tag = "session", security(()),
    request_body = SignIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(input): ApiJson<SignIn>,
) -> Result<Json<SessionOut>, AppError> {
    let address = client_address(&parts, state.config.trust_proxy);
    let (user, session) = crate::accounts::sign_in(&state, &input.username, &input.password, &address).await?;
    Ok(Json(SessionOut {
        token: session.token,
        expires_at: dangvu_store::from_micros(session.expires_at).to_rfc3339(),
        user,
    }))
}

/// Sign out: the token stops working.
#[utoipa::path(delete, path = "/session", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn sign_out(State(state): State<AppState>, parts: Parts) -> Result<StatusCode, AppError> {
    let token = bearer(&parts).ok_or(AppError::Unauthorized)?;
    dangvu_store::accounts::session(&state.db, token, dangvu_domain::calendar::today())
        .await?
        .ok_or(AppError::Unauthorized)?;
    dangvu_store::accounts::close_session(&state.db, token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    /// The organisation at the top of the account's scope; `null` for the whole tree.
    pub scope: Option<Org>,
}

/// The signed-in account and its scope.
#[utoipa::path(get, path = "/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Me>, AppError> {
    let scope = match user.user.org_id {
        Some(id) => dangvu_store::orgs::get(&state.db, id, dangvu_domain::calendar::today()).await?,
        None => None,
    };
    Ok(Json(Me { user: user.user, scope }))
}

#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct SetEmail {
    /// The address for the daily reminders; `""` stops them.
    pub email: String,
}

/// The signed-in account sets where its reminders are e-mailed.
#[utoipa::path(put, path = "/me/email", tag = "session", request_body = SetEmail,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_email(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    crate::extract::ApiJson(input): crate::extract::ApiJson<SetEmail>,
) -> Result<axum::http::StatusCode, AppError> {
    let email = crate::tasks::reminders::check_address(&input.email).map_err(|why| AppError::invalid("email", why))?;
    let actor = crate::usecase::actor(&user);
    crate::usecase::in_tx(&state, async |tx| {
        dangvu_store::accounts::set_email(tx, &actor, user.user.id, email.as_deref()).await
    })
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
