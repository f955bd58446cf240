//! The tasks a meeting gives members of the cell: assigned by the secretary, reported on by the
//! member, accepted or returned by the secretary.

use dangvu_domain::calendar;
use dangvu_domain::ids::MemberId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::tasks::{self as member_tasks, MemberTask};

use super::{Parsed, held_meeting, require_holder, visible_member_task};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

/// Gives a member of the cell a task decided by the meeting `id`, due on `due_on` (YYYY-MM-DD or
/// dd/mm/yyyy; none when empty). Answers the task.
pub async fn assign_task(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    member_id: MemberId,
    title: &str,
    due_on: Option<&str>,
) -> Result<MemberTask, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    let due_on = crate::scope::optional_date(due_on, "due_on")?;
    let task_id =
        in_tx(state, async |tx| member_tasks::assign(tx, &actor(user), &meeting, member_id, title, due_on).await)
            .await?;
    member_tasks::get(&state.db, task_id, calendar::today()).await?.ok_or(AppError::NotFound)
}

/// A report on a task.
pub struct Progress {
    /// 0–100; 100 asks the secretary to accept the work.
    pub progress: i64,
    pub note: String,
}

/// The member reports progress on a task (or the secretary for the member). Answers the task as
/// reported.
pub async fn report_task(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    report: Parsed<Progress>,
) -> Result<MemberTask, AppError> {
    let task = visible_member_task(state, user, id).await?;
    if Some(task.member_id) != user.user.member_id && !user.user.role.may_hold_cell_meetings() {
        return Err(AppError::forbidden());
    }
    let report = report?;
    in_tx(state, async |tx| member_tasks::report(tx, &actor(user), &task, report.progress, &report.note).await).await?;
    member_tasks::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)
}

/// The secretary accepts the work reported done, or returns it. Answers the task as reviewed.
pub async fn review_task(state: &AppState, user: &SessionUser, id: i64, accept: bool) -> Result<MemberTask, AppError> {
    let task = visible_member_task(state, user, id).await?;
    require_holder(user)?;
    let today = calendar::today();
    in_tx(state, async |tx| member_tasks::review(tx, &actor(user), &task, accept, today).await).await?;
    member_tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)
}
