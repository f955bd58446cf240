//! Scope and role rules for documents, meetings and tasks, shared by the API and pages.

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::audit::Actor;
use dangvu_store::documents::{self, Document};
use dangvu_store::meetings::{self, Meeting};
use dangvu_store::tasks::{self, Task};
use dangvu_store::{StoreError, Tx, orgs};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{seen_on, visible_org};

pub fn actor(user: &SessionUser) -> Actor {
    Actor::user(user.user.id, &user.user.username)
}

pub async fn in_tx<F, R>(state: &AppState, change: F) -> Result<R, AppError>
where
    F: AsyncFnOnce(&mut Tx) -> Result<R, StoreError>,
{
    let mut tx = state.db.begin().await?;
    let out = change(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// Registers documents and meetings, assigns and reviews tasks: the office (and admins).
pub fn require_direct(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_direct() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// An organisation named in the input, in scope today; otherwise a field error.
pub async fn org_field(state: &AppState, user: &SessionUser, id: i64, field: &str) -> Result<(), AppError> {
    match visible_org(state, user, id, calendar::today()).await {
        Ok(o) if o.active => Ok(()),
        Ok(_) => Err(AppError::invalid(field, "Tổ chức này không còn hoạt động")),
        Err(AppError::NotFound) => Err(AppError::invalid(field, "Không có tổ chức này trong phạm vi của bạn")),
        Err(e) => Err(e),
    }
}

/// The organisation that acts when the input names none: the account's own.
pub fn own_org(user: &SessionUser, given: Option<i64>, field: &str) -> Result<i64, AppError> {
    given.or(user.user.org_id).ok_or_else(|| AppError::invalid(field, "Hãy chọn tổ chức"))
}

/// The path the account reads from on `on` (the whole tree: the first root's).
pub async fn scope_path(state: &AppState, user: &SessionUser, org_id: Option<i64>) -> Result<String, AppError> {
    let today = calendar::today();
    if let Some(id) = org_id {
        return Ok(visible_org(state, user, id, today).await?.path);
    }
    match &user.scope {
        Scope::Subtree { path, .. } => Ok(path.clone()),
        Scope::Tree => {
            Ok(orgs::roots(&state.db, today).await?.into_iter().next().map(|o| o.path).unwrap_or_else(|| "/".into()))
        }
        Scope::Ended { .. } => Err(AppError::NotFound),
    }
}

/// A document is read by its registry's subtree and by the levels below it (directives
/// come down); a document of no registry by everyone.
pub async fn visible_document(state: &AppState, user: &SessionUser, id: i64) -> Result<Document, AppError> {
    let doc = documents::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let Some(org_id) = doc.org_id else { return Ok(doc) };
    let today = calendar::today();
    let org = orgs::get(&state.db, org_id, today).await?.ok_or(AppError::NotFound)?;
    let seen = seen_on(state, user, today).await?;
    let above_scope = match &user.scope {
        Scope::Subtree { path, .. } => dangvu_domain::tree::is_within(path, &org.path),
        _ => false,
    };
    if seen.contains(&org.path) || above_scope { Ok(doc) } else { Err(AppError::NotFound) }
}

pub async fn visible_meeting(state: &AppState, user: &SessionUser, id: i64) -> Result<Meeting, AppError> {
    let m = meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, m.org_id, calendar::today()).await?;
    Ok(m)
}

/// A task is seen where it was assigned, by its lead unit and by its supporting units.
pub async fn visible_task(state: &AppState, user: &SessionUser, id: i64, today: NaiveDate) -> Result<Task, AppError> {
    let task = tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?;
    for org in [task.org_id, task.lead_org_id].iter().chain(task.support_org_ids.iter()) {
        if visible_org(state, user, *org, today).await.is_ok() {
            return Ok(task);
        }
    }
    Err(AppError::NotFound)
}

/// The lead unit (or those above it) reports on a task.
pub async fn require_lead(state: &AppState, user: &SessionUser, task: &Task) -> Result<(), AppError> {
    let leads = visible_org(state, user, task.lead_org_id, calendar::today()).await.is_ok();
    if leads && user.user.role.may_report_tasks() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Chỉ đơn vị chủ trì báo cáo tiến độ nhiệm vụ này".into()))
    }
}

/// The office of the organisation that assigned the task reviews it.
pub async fn require_assigner(state: &AppState, user: &SessionUser, task: &Task) -> Result<(), AppError> {
    require_direct(user)?;
    match visible_org(state, user, task.org_id, calendar::today()).await {
        Ok(_) => Ok(()),
        Err(_) => Err(AppError::Forbidden("Chỉ Văn phòng nơi giao nhiệm vụ mới xem xét kết quả".into())),
    }
}
