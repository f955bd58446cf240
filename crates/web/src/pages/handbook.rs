//! The member's handbook on a phone (Sổ tay đảng viên): the next meetings of the own cell with
//! the member's reply, and the past ones. Light pages: no script, one stylesheet.

use askama::Template;
use axum::response::IntoResponse;
use dangvu_domain::calendar;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings;
use dangvu_store::params;

use super::cell_meetings::MeetingRow;
use super::{PageResult, render};
use crate::AppState;
use crate::api::cell_meetings::start_of_today;

pub struct Upcoming {
    pub row: MeetingRow,
    pub reply: &'static str,
}

#[derive(Template)]
#[template(path = "handbook.html")]
struct HandbookPage {
    csrf: String,
    name: String,
    cell: String,
    has_cell: bool,
    upcoming: Vec<Upcoming>,
    past: Vec<MeetingRow>,
    tasks: Vec<super::cell_meetings::TaskView>,
    done: Option<&'static str>,
}

pub async fn home(state: &AppState, user: &SessionUser, done: Option<&'static str>) -> PageResult {
    let mut page = HandbookPage {
        csrf: user.csrf_token.clone(),
        name: user.user.username.clone(),
        cell: String::new(),
        has_cell: false,
        upcoming: Vec::new(),
        past: Vec::new(),
        tasks: Vec::new(),
        done,
    };
    let today = calendar::today();
    let me = match user.user.member_id {
        Some(id) => state
            .db
            .lookup_one(
                "SELECT m.full_name, v.name FROM members m JOIN org_versions v ON v.org_id = m.org_id
                   AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)
                 WHERE m.id = $1 AND m.ended_on IS NULL",
                params![id, today],
            )
            .await?
            .map(|r| Ok::<_, dangvu_store::StoreError>((id, r.text(0)?, r.text(1)?)))
            .transpose()?,
        None => None,
    };
    let Some((member_id, name, cell)) = me else { return Ok(render(&page)?.into_response()) };
    page.name = name;
    page.cell = cell;
    page.has_cell = true;
    let from = start_of_today();
    // One read gives both lists: the upcoming meetings (soonest first) and the past ones.
    let meetings = cell_meetings::handbook(&state.db, member_id, 36).await?;
    let (mut upcoming, past): (Vec<_>, Vec<_>) = meetings.into_iter().partition(|(m, _)| m.scheduled_at >= from);
    upcoming.reverse();
    page.upcoming = upcoming
        .iter()
        .take(10)
        .map(|(m, reply)| Upcoming {
            row: MeetingRow::of(m),
            reply: match reply {
                Some(r) => r.label(),
                None if m.state == dangvu_domain::cell_meeting::State::Cancelled => "Đã hủy",
                None => "Chưa trả lời",
            },
        })
        .collect();
    page.past = past.iter().take(12).map(|(m, _)| MeetingRow::of(m)).collect();
    page.tasks = cell_meetings::tasks::of_member(&state.db, member_id, today)
        .await?
        .iter()
        .map(super::cell_meetings::TaskView::of)
        .collect();
    Ok(render(&page)?.into_response())
}
