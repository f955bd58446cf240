//! Preparing a meeting, by those who hold it: scheduling it, moving or cancelling it until it is
//! held, and the documents to read before it.

use chrono::{DateTime, FixedOffset};
use dangvu_domain::cell_meetings::Kind;
use dangvu_domain::ids::OrgId;
use dangvu_store::StoreError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::{self, CellMeeting, NewCellMeeting};

use super::{Parsed, cell_field, held_meeting, require_holder};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

/// A meeting to schedule.
pub struct Plan {
    pub kind: Kind,
    pub scheduled_at: DateTime<FixedOffset>,
    /// The topic; for a regular meeting it may be empty ("Sinh hoạt thường kỳ tháng 3/2026").
    pub title: String,
    pub place: String,
    /// The agenda items; the usual agenda of the meeting's kind (settings) when `None`.
    pub agenda: Option<Vec<String>>,
}

/// Schedules a meeting of the cell `org_id` (its secretary, or an admin). Members see it at once.
pub async fn schedule(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    plan: Parsed<Plan>,
) -> Result<CellMeeting, AppError> {
    require_holder(user)?;
    let plan = plan?;
    cell_field(state, user, org_id, "org_id").await?;
    let agenda = match plan.agenda {
        Some(items) => items,
        None => dangvu_store::settings::get(&state.db).await?.cell_meeting_rules.agenda_for(plan.kind).to_vec(),
    };
    let new = NewCellMeeting {
        org_id,
        kind: plan.kind,
        title: plan.title,
        place: plan.place,
        scheduled_at: plan.scheduled_at,
        agenda,
    };
    in_tx(state, async |tx| cell_meetings::create(tx, &actor(user), new).await).await
}

/// What moving or amending a meeting changes; what is `None` stays as it is.
pub struct Amendment {
    pub scheduled_at: Option<DateTime<FixedOffset>>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub agenda: Option<Vec<String>>,
}

/// Moves or amends a meeting that has not been held (the cell's secretary). Members' replies stay
/// with it; a default title follows it into its new month.
pub async fn reschedule(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    amendment: Parsed<Amendment>,
) -> Result<CellMeeting, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    let amendment = amendment?;
    let change = NewCellMeeting {
        org_id: meeting.org_id,
        kind: meeting.kind,
        title: amendment.title.unwrap_or_else(|| meeting.title.clone()),
        place: amendment.place.unwrap_or_else(|| meeting.place.clone()),
        scheduled_at: amendment.scheduled_at.unwrap_or(meeting.scheduled_at),
        agenda: amendment.agenda.unwrap_or_else(|| meeting.agenda.clone()),
    };
    in_tx(state, async |tx| cell_meetings::reschedule(tx, &actor(user), &meeting, change).await).await
}

/// Cancels a meeting that has not been held, with the reason members read on their handbook
/// (the cell's secretary). Answers the meeting as cancelled.
pub async fn cancel(state: &AppState, user: &SessionUser, id: i64, reason: &str) -> Result<CellMeeting, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    in_tx(state, async |tx| {
        cell_meetings::cancel(tx, &actor(user), &meeting, reason).await?;
        cell_meetings::get_in(tx, id).await?.ok_or(StoreError::NotFound)
    })
    .await
}

/// Attaches documents to read before the meeting (those who hold it): each file with the name it
/// was sent with. They are read only once scope and role allow it, so that an upload the API
/// refuses is not taken in. Answers the files' ids.
pub async fn attach(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    files: impl Future<Output = Parsed<Vec<(String, Vec<u8>)>>>,
) -> Result<Vec<i64>, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    let files = files.await?;
    if files.is_empty() {
        return Err(AppError::invalid("file", "Hãy chọn tệp để đính kèm"));
    }
    in_tx(state, async |tx| {
        let mut ids = Vec::with_capacity(files.len());
        for (name, data) in files {
            ids.push(dangvu_store::files::attach_to_cell_meeting(tx, &actor(user), meeting.id, &name, data).await?);
        }
        Ok(ids)
    })
    .await
}
