//! `/api/v1/audit`: the audit log, for admins who see the whole tree.

use axum::Json;
use axum::extract::State;
use dangvu_store::audit::{self, AuditEntry};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiQuery, ApiUser};
use crate::scope::require_admin;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The log spans every organisation, so only an admin of the whole tree reads it.
fn require_auditor(user: &dangvu_store::accounts::SessionUser) -> Result<(), AppError> {
    require_admin(user)?;
    if user.scope != dangvu_store::accounts::Scope::Tree {
        return Err(AppError::Forbidden("Chỉ quản trị viên toàn hệ thống xem được nhật ký".into()));
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// Entries, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(PageParams),
    responses((status = 200, body = AuditList), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<PageParams>,
) -> JsonResult<AuditList> {
    require_auditor(&user)?;
    let limit = p.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::invalid("limit", "limit phải từ 1 đến 500"));
    }
    let before = match p.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(c.parse().map_err(|_| AppError::invalid("cursor", "cursor không hợp lệ"))?),
    };
    let items = audit::list(&state.db, before, limit).await?;
    let next = next_cursor(items.last().map(|e| e.id), items.len(), limit);
    Ok(Json(AuditList { items, next_cursor: next }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub intact: bool,
    /// Entries that verified.
    pub entries: i64,
    /// The first entry that does not verify, and why.
    pub problem: Option<String>,
}

/// Walks the hash chain of the whole log.
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
pub async fn verify(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<Verification> {
    require_auditor(&user)?;
    Ok(Json(match audit::verify(&state.db).await? {
        Ok(n) => Verification { intact: true, entries: n, problem: None },
        Err(b) => Verification { intact: false, entries: 0, problem: Some(b.to_string()) },
    }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(verify))
}
