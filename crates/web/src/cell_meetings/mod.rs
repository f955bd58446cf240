//! Scope and role rules for cell meetings, shared by the API and the pages so that both enforce
//! exactly the same rules: the checks and the reads both ask for are here, and every change is a
//! use case in one of the modules below, by the part of the work it belongs to.

pub mod api;
mod minutes;
pub mod pages;
mod planning;
mod replies;
mod tasks;
mod topics;

pub use minutes::{Draft, approve_minutes, record_attendance, write_minutes};
pub use planning::{Amendment, Plan, attach, cancel, reschedule, schedule};
pub use replies::{Answer, comment, reply};
pub use tasks::{Progress, assign_task, report_task, review_task};
pub use topics::{NewTopic, push_topic, withdraw_topic};

use chrono::{DateTime, FixedOffset};
use dangvu_domain::accounts::Role;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::tasks::{self as member_tasks, MemberTask};
use dangvu_store::cell_meetings::{self, CellMeeting};
use dangvu_store::orgs::Org;
use dangvu_store::params;

use crate::AppState;
use crate::error::AppError;
use crate::scope::visible_org;

/// Input as a handler read it, or what was wrong with it. A use case answers its problems after
/// the checks that do not depend on it, the meeting in scope and the account's role, so that a
/// meeting out of scope reads 404, and a change the role may not make 403, whatever was sent.
pub type Parsed<T> = Result<T, AppError>;

/// Schedules meetings and records attendance and minutes: the cell's secretary, or an admin.
pub fn require_holder(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_hold_cell_meetings() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Reads the figures of a subtree's meetings: every role but a member.
pub fn require_supervisor(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_supervise_cell_meetings() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// The cell the member of this account belongs to now: read from the member's record, so a
/// transfer moves the handbook with the member.
pub async fn member_cell(state: &AppState, user: &SessionUser) -> Result<Option<(MemberId, OrgId)>, AppError> {
    let Some(member_id) = user.user.member_id else { return Ok(None) };
    let row = state
        .db
        .lookup_one("SELECT org_id FROM members WHERE id = $1 AND ended_on IS NULL", params![member_id])
        .await?;
    Ok(row.map(|r| r.id(0)).transpose()?.map(|org| (member_id, org)))
}

/// The meeting, if the account may see it: a member sees the meetings of the own cell and
/// those recorded with the member's name; other roles see the meetings of cells in scope.
pub async fn visible_cell_meeting(state: &AppState, user: &SessionUser, id: i64) -> Result<CellMeeting, AppError> {
    let meeting = cell_meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if user.user.role == Role::Member {
        let Some((member_id, cell)) = member_cell(state, user).await? else { return Err(AppError::NotFound) };
        if cell == meeting.org_id {
            return Ok(meeting);
        }
        let recorded = state
            .db
            .query_one(
                "SELECT 1 FROM cell_meeting_attendance WHERE meeting_id = $1 AND member_id = $2",
                params![id, member_id],
            )
            .await?;
        return recorded.map(|_| meeting).ok_or(AppError::NotFound);
    }
    visible_org(state, user, meeting.org_id, calendar::today()).await?;
    Ok(meeting)
}

/// A meeting to change, for those who hold it: out of scope reads 404 before the role is asked.
pub async fn held_meeting(state: &AppState, user: &SessionUser, id: i64) -> Result<CellMeeting, AppError> {
    let meeting = visible_cell_meeting(state, user, id).await?;
    require_holder(user)?;
    Ok(meeting)
}

/// A cell in scope named in the input, where meetings are held; otherwise a field error.
pub async fn cell_field(state: &AppState, user: &SessionUser, id: OrgId, field: &str) -> Result<Org, AppError> {
    let org = match visible_org(state, user, id, calendar::today()).await {
        Ok(o) => o,
        Err(AppError::NotFound) => {
            return Err(AppError::invalid(field, "Không có tổ chức này trong phạm vi của bạn"));
        }
        Err(e) => return Err(e),
    };
    if !org.active {
        return Err(AppError::invalid(field, "Tổ chức này không còn hoạt động"));
    }
    if !org.kind.holds_members() {
        return Err(AppError::invalid(field, "Sinh hoạt chi bộ do chi bộ hoặc chi bộ cơ sở tổ chức"));
    }
    Ok(org)
}

/// The trend of the subtree as it stands today, with the number of its cells.
pub async fn trend_of(
    state: &AppState,
    path: &str,
    from: dangvu_domain::cell_meetings::Month,
    to: dangvu_domain::cell_meetings::Month,
) -> Result<(i64, Vec<cell_meetings::TrendPoint>), AppError> {
    let today = calendar::today();
    let cells = cell_meetings::count_cells(&state.db, path, today).await?;
    Ok((cells, cell_meetings::trend(&state.db, path, from, to, today).await?))
}

/// The month's supervision of the subtree of `org` as an XLSX workbook: every cell, the trend
/// of the last 12 months, and the absentees for those who may read their names.
pub async fn supervision_file(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    month: dangvu_domain::cell_meetings::Month,
) -> Result<axum::response::Response, AppError> {
    use dangvu_reports::supervision::{AbsenteeLine, CellLine, Supervision, TrendLine, supervision_xlsx};

    require_supervisor(user)?;
    let today = calendar::today();
    let on = month.last_day().min(today);
    let view = cell_meetings::month_view(&state.db, &org.path, month, on).await?;
    let from = (0..11).fold(month, |m, _| m.prev());
    let trend = cell_meetings::trend(&state.db, &org.path, from, month, today).await?;
    let absentees = if user.user.role.sees_absentee_names() {
        let at_least = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules.absence_alert_meetings;
        let list = cell_meetings::absentees(&state.db, &org.path, month, i64::from(at_least), on).await?;
        Some(
            list.into_iter()
                .map(|a| AbsenteeLine { full_name: a.full_name, cell: a.cell, meetings_missed: a.meetings_missed })
                .collect(),
        )
    } else {
        None
    };
    let sheet = Supervision {
        title: format!("Sinh hoạt chi bộ: {}, tháng {}", org.name, month.label()),
        cells: view
            .per_cell
            .into_iter()
            .map(|c| CellLine {
                name: c.name,
                regular: c.regular_held,
                thematic: c.thematic_held,
                present: c.present,
                recorded: c.recorded,
                thematic_in_quarter: c.thematic_in_quarter,
                official_members: c.official_members,
            })
            .collect(),
        trend: trend
            .into_iter()
            .map(|t| TrendLine {
                month: t.month,
                cells_met: t.cells_met,
                cells_met_regular: t.cells_met_regular,
                cells_met_thematic: t.cells_met_thematic,
                attendance_rate: t.attendance_rate,
            })
            .collect(),
        absentees,
    };
    let name = format!("sinh-hoat-chi-bo-{}-{month}", org.code);
    crate::files::printed(crate::files::Format::Xlsx, &name, move |_| supervision_xlsx(&sheet)).await
}

/// A cell's minutes of `year` as a PDF book; the download is audited, as the book is the
/// Party's record of its meetings.
pub async fn minutes_book_file(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    year: i32,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    use dangvu_domain::cell_meetings::Attendance;
    use dangvu_reports::{BookMeeting, MinutesBook, minutes_book_pdf};

    require_supervisor(user)?;
    if !org.kind.holds_members() {
        return Err(AppError::invalid("org_id", "Sổ biên bản là của một chi bộ"));
    }
    if !(1930..=2999).contains(&year) {
        return Err(AppError::invalid("year", "Năm không hợp lệ"));
    }
    let entries = cell_meetings::book(&state.db, org.id, year).await?;
    let committee = match org.parent_id {
        Some(p) => dangvu_store::orgs::get(&state.db, p, calendar::today()).await?.map(|o| o.name).unwrap_or_default(),
        None => String::new(),
    };
    let meetings = entries
        .into_iter()
        .map(|e| {
            let m = &e.meeting;
            let head = e.minutes.as_ref().map(|v| v.head.clone()).unwrap_or_default();
            let mut facts = Vec::new();
            for (label, value) in [("Chủ trì", &head.chair), ("Thư ký", &head.secretary), ("Khách mời", &head.guests)]
            {
                if !value.is_empty() {
                    facts.push((label.to_owned(), value.clone()));
                }
            }
            if !head.started_at.is_empty() || !head.ended_at.is_empty() {
                facts.push(("Bắt đầu – kết thúc".into(), format!("{} – {}", head.started_at, head.ended_at)));
            }
            if !head.self_score_label().is_empty() {
                facts.push(("Tự đánh giá chất lượng".into(), head.self_score_label().into()));
            }
            BookMeeting {
                title: m.title.clone(),
                when: dangvu_domain::vi::day_and_time(m.scheduled_at),
                dated: m.scheduled_at.format("ngày %d tháng %m năm %Y").to_string(),
                place: m.place.clone(),
                attendance: format!("Đảng viên có mặt: {}/{}", m.present, m.recorded),
                absent: e
                    .absent
                    .iter()
                    .map(|(name, status, reason)| match (status, reason) {
                        (Attendance::Excused, Some(r)) => format!("{name} (có lý do: {r})"),
                        (Attendance::Excused, None) => format!("{name} (có lý do)"),
                        _ => format!("{name} (không lý do)"),
                    })
                    .collect(),
                head: facts,
                text: e.minutes.as_ref().map(|v| v.text.clone()),
                resolutions: e
                    .minutes
                    .as_ref()
                    .map(|v| v.resolutions.iter().map(dangvu_store::cell_meetings::Resolution::describe).collect())
                    .unwrap_or_default(),
                version_note: e
                    .minutes
                    .as_ref()
                    .filter(|v| v.version > 1)
                    .map(|v| format!("Bản sửa đổi lần {}", v.version)),
                chair: head.chair.clone(),
                secretary: head.secretary.clone(),
            }
        })
        .collect();
    let audit_head = crate::files::audit_head(state).await?;
    let book = MinutesBook { committee, cell: org.name.clone(), year, meetings, audit_head };
    let bytes = tokio::task::spawn_blocking(move || minutes_book_pdf(&book))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let org_id = org.id;
    crate::usecase::in_tx(state, async |tx| {
        dangvu_store::audit::append(
            tx,
            &crate::usecase::actor(user),
            dangvu_store::audit::Change {
                action: Action::CellMeetingBook,
                subject: dangvu_store::audit::Subject::org(org_id),
                before: None,
                after: Some(serde_json::json!({"year": year})),
            },
        )
        .await
    })
    .await?;
    let name = format!("so-bien-ban-{}-{year}.pdf", org.code);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, crate::files::disposition(&name)),
        ],
        bytes,
    )
        .into_response())
}

/// The topics the committees above set for the meeting's month, read through the cell's
/// ancestors as the tree stands today.
pub async fn topics_of(state: &AppState, meeting: &CellMeeting) -> Result<Vec<cell_meetings::topics::Topic>, AppError> {
    let Some(cell) = dangvu_store::orgs::get(&state.db, meeting.org_id, calendar::today()).await? else {
        return Ok(Vec::new());
    };
    Ok(cell_meetings::topics::for_cell(&state.db, &cell.path, meeting.month()).await?)
}

/// The month by the units directly below `org`, worst first.
pub async fn by_unit(
    state: &AppState,
    org: &Org,
    view: &cell_meetings::MonthView,
    on: chrono::NaiveDate,
) -> Result<Vec<cell_meetings::UnitMonth>, AppError> {
    let names = dangvu_store::orgs::children(&state.db, org.id, on, 0, 10_000)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(view.by_unit(org.depth, &names))
}

/// Cell meetings: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}

/// Midnight today in Vietnam: "upcoming" includes this morning's meeting all day.
pub fn start_of_today() -> DateTime<FixedOffset> {
    let midnight = calendar::today().and_time(chrono::NaiveTime::MIN);
    midnight.and_local_timezone(calendar::vietnam()).single().expect("UTC+7 has no gaps")
}

/// A task the account may act on: the member's own, or one of a meeting the account holds.
pub async fn visible_member_task(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    id: i64,
) -> Result<MemberTask, AppError> {
    let task = member_tasks::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return if Some(task.member_id) == user.user.member_id { Ok(task) } else { Err(AppError::NotFound) };
    }
    visible_cell_meeting(state, user, task.meeting_id).await?;
    Ok(task)
}
