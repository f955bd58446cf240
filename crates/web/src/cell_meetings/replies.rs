//! What members say before a meeting: their reply to the invitation, and their comments on the
//! agenda.

use dangvu_domain::cell_meetings::Reply;
use dangvu_domain::ids::MemberId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::{self, CellMeeting};

use super::{Parsed, member_cell, require_holder, visible_cell_meeting};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

/// A member's answer to the invitation.
pub struct Answer {
    pub reply: Reply,
    /// Why the member asks to be excused.
    pub reason: String,
    /// For the secretary answering for a member without a phone; a member answers for itself.
    pub member_id: Option<MemberId>,
}

/// A member confirms attendance or asks to be excused, with a reason. Answers whose reply was
/// recorded, and the reply.
pub async fn reply(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    answer: Parsed<Answer>,
) -> Result<(MemberId, Reply), AppError> {
    let meeting = visible_cell_meeting(state, user, id).await?;
    let answer = answer?;
    let member_id = reply_member(state, user, &meeting, answer.member_id).await?;
    in_tx(state, async |tx| {
        cell_meetings::reply(tx, &actor(user), &meeting, member_id, answer.reply, &answer.reason).await
    })
    .await?;
    Ok((member_id, answer.reply))
}

/// Comments on an agenda item before the meeting (from 1; 0 for the meeting as a whole): members
/// of the cell and those who hold its meetings.
pub async fn comment(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    agenda_item: i64,
    body: &str,
) -> Result<i64, AppError> {
    let meeting = visible_cell_meeting(state, user, id).await?;
    may_comment(state, user, &meeting).await?;
    in_tx(state, async |tx| cell_meetings::add_comment(tx, &actor(user), &meeting, agenda_item, body).await).await
}

/// Whose reply this is: the member's own, or one the secretary enters for a member of the cell.
async fn reply_member(
    state: &AppState,
    user: &SessionUser,
    meeting: &CellMeeting,
    given: Option<MemberId>,
) -> Result<MemberId, AppError> {
    match given {
        Some(id) if Some(id) != user.user.member_id => {
            require_holder(user)?;
            let roster = cell_meetings::roster(&state.db, meeting).await?;
            if roster.iter().any(|l| l.member_id == id) {
                Ok(id)
            } else {
                Err(AppError::invalid("member_id", "Không phải đảng viên của chi bộ này"))
            }
        }
        _ => match member_cell(state, user).await? {
            Some((member_id, cell)) if cell == meeting.org_id => Ok(member_id),
            Some(_) => Err(AppError::Forbidden("Cuộc họp này không phải của chi bộ bạn đang sinh hoạt".into())),
            None => Err(AppError::Forbidden("Tài khoản này không gắn với một đảng viên".into())),
        },
    }
}

/// Members of the cell and those who hold its meetings take part in the discussion.
async fn may_comment(state: &AppState, user: &SessionUser, meeting: &CellMeeting) -> Result<(), AppError> {
    if user.user.role.may_hold_cell_meetings() {
        return Ok(());
    }
    match member_cell(state, user).await? {
        Some((_, cell)) if cell == meeting.org_id => Ok(()),
        _ => Err(AppError::Forbidden("Chỉ đảng viên của chi bộ góp ý vào chương trình".into())),
    }
}
