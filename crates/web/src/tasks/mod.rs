//! Scope and role rules for documents, meetings and tasks, shared by the API and pages.

pub mod api;
pub mod pages;
pub mod reminders;
pub mod report;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::documents::{self, Document};
use dangvu_store::meetings::{self, Meeting};
use dangvu_store::orgs;
use dangvu_store::tasks::{self, Task};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{seen_on, visible_org};

/// Registers documents and meetings, assigns and reviews tasks: the office (and admins).
pub fn require_direct(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_direct() { Ok(()) } else { Err(AppError::forbidden()) }
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

/// Documents, meetings and tasks: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
