//! The record of a meeting, by those who hold it: who attended, the minutes, and their approval.

use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::{self, AttendanceEntry, CellMeeting, Minutes, MinutesHead, Resolution};

use super::{Parsed, held_meeting};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

/// Records the attendance of the listed members (the others keep theirs).
pub async fn record_attendance(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    entries: Parsed<Vec<AttendanceEntry>>,
) -> Result<CellMeeting, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    let entries = entries?;
    in_tx(state, async |tx| cell_meetings::record_attendance(tx, &actor(user), &meeting, &entries).await).await
}

/// The minutes as the secretary writes them.
pub struct Draft {
    /// Chair, secretary, guests, start and end and the meeting's self-score.
    pub head: MinutesHead,
    pub text: String,
    pub resolutions: Vec<Resolution>,
    /// Why approved minutes are changed (a new version).
    pub change_reason: String,
}

/// Writes the minutes: a draft is replaced; once approved, a change is a new version.
pub async fn write_minutes(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    draft: Parsed<Draft>,
) -> Result<Minutes, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    let d = draft?;
    in_tx(state, async |tx| {
        cell_meetings::save_minutes(tx, &actor(user), &meeting, &d.head, &d.text, &d.resolutions, &d.change_reason)
            .await
    })
    .await
}

/// The minutes were read back and approved: they are locked, and the roll call with them.
pub async fn approve_minutes(state: &AppState, user: &SessionUser, id: i64) -> Result<CellMeeting, AppError> {
    let meeting = held_meeting(state, user, id).await?;
    in_tx(state, async |tx| cell_meetings::approve_minutes(tx, &actor(user), &meeting).await).await
}
