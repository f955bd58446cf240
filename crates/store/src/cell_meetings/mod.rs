//! Cell meetings (sinh hoạt chi bộ): scheduling, members' replies and comments, attendance,
//! minutes, and the monthly figures that supervision reads.

mod attendance;
mod book;
mod history;
mod minutes;
mod supervision;
pub mod tasks;
mod todo;
pub mod topics;

pub use attendance::{AttendanceEntry, RosterLine, record_attendance, reply, roster};
pub use book::{BookEntry, book};
pub use history::{HeldMeeting, load_history, months_drift, rebuild_months};
pub use minutes::{
    Minutes, MinutesHead, Resolution, SELF_SCORES, approve_minutes, current_minutes, minutes_versions, save_minutes,
};
pub use supervision::{
    Absentee, CellMonth, MonthView, TrendPoint, UnitMonth, absentees, count_cells, month_view, trend,
};
pub use todo::{CellTodo, cell_todo};

use chrono::{DateTime, FixedOffset, NaiveDate};
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::{Event, Kind, Month, Reply, State};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellMeeting {
    pub id: i64,
    /// The cell (chi bộ) that meets.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    #[schema(value_type = String, example = "regular")]
    pub kind: Kind,
    pub title: String,
    pub place: String,
    #[schema(value_type = String, example = "2026-03-03T07:30:00+07:00")]
    pub scheduled_at: DateTime<FixedOffset>,
    /// `YYYY-MM`, in Vietnam's time.
    pub month: String,
    /// `scheduled`, `held` (attendance recorded), `approved` (minutes approved and locked) or
    /// `cancelled`.
    #[schema(value_type = String, example = "scheduled")]
    pub state: State,
    /// The agenda items, in order.
    pub agenda: Vec<String>,
    /// Members whose attendance is recorded, and how many were present, excused, absent.
    pub recorded: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    /// present / recorded; 0 before attendance is recorded.
    pub attendance_rate: f64,
    /// The version of the latest minutes; 0 when there are none.
    pub minutes_version: i64,
    pub cancel_reason: Option<String>,
}

impl CellMeeting {
    pub fn month(&self) -> Month {
        Month::of_instant(self.scheduled_at)
    }
}

columns! {
    /// The columns a row is read from, in one place.
    pub(crate) mod col {
        id: "c.id",
        org_id: "c.org_id",
        kind: "c.kind",
        title: "c.title",
        place: "c.place",
        scheduled_at: "c.scheduled_at",
        month: "c.month",
        state: "c.state",
        agenda: "c.agenda",
        recorded: "c.recorded",
        present: "c.present",
        excused: "c.excused",
        absent: "c.absent",
        minutes_version: "c.minutes_version",
        cancel_reason: "c.cancel_reason",
    }
}

pub(crate) const COLUMNS: &str = col::SQL;

pub(crate) fn from_row(r: &Row) -> Result<CellMeeting, StoreError> {
    let decode = |what: &str| StoreError::Decode(format!("cell meeting: {what}"));
    let month = Month::from_number(r.int(col::month)?).ok_or_else(|| decode("month"))?;
    let (recorded, present) = (r.int(col::recorded)?, r.int(col::present)?);
    Ok(CellMeeting {
        id: r.int(col::id)?,
        org_id: r.id(col::org_id)?,
        kind: Kind::parse(&r.text(col::kind)?).ok_or_else(|| decode("kind"))?,
        title: r.text(col::title)?,
        place: r.text(col::place)?,
        scheduled_at: calendar::local(crate::from_micros(r.int(col::scheduled_at)?)),
        month: month.to_string(),
        state: State::parse(&r.text(col::state)?).ok_or_else(|| decode("state"))?,
        agenda: serde_json::from_str(&r.text(col::agenda)?).map_err(|_| decode("agenda"))?,
        recorded,
        present,
        excused: r.int(col::excused)?,
        absent: r.int(col::absent)?,
        attendance_rate: dangvu_domain::cell_meetings::attendance_rate(present, recorded),
        minutes_version: r.int(col::minutes_version)?,
        cancel_reason: r.opt_text(col::cancel_reason)?,
    })
}

pub struct NewCellMeeting {
    pub org_id: OrgId,
    pub kind: Kind,
    /// Empty: "Sinh hoạt thường kỳ tháng 3/2026".
    pub title: String,
    pub place: String,
    pub scheduled_at: DateTime<FixedOffset>,
    pub agenda: Vec<String>,
}

/// The agenda as the secretary wrote it: one item per non-empty line, at most 30 of 300 chars.
pub fn check_agenda(items: &[String], problems: &mut Problems) -> Vec<String> {
    let items: Vec<String> = items.iter().map(|i| clean(i)).filter(|i| !i.is_empty()).collect();
    if items.len() > 30 || items.iter().any(|i| i.chars().count() > 300) {
        problems.add("agenda", "Chương trình gồm tối đa 30 mục, mỗi mục tối đa 300 ký tự");
    }
    items
}

/// The title (derived when empty), place and agenda of a meeting, checked: shared by
/// scheduling and rescheduling.
fn check_details(new: &NewCellMeeting, kind: Kind, problems: &mut Problems) -> (String, String, Vec<String>) {
    let month = Month::of_instant(new.scheduled_at);
    let title = match clean(&new.title) {
        // A thematic meeting is held on a subject (domain-rules §5, "sinh hoạt chuyên đề"):
        // it has no default title to fall back on, when it is scheduled or later.
        t if t.is_empty() && kind == Kind::Thematic => {
            problems.add("topic", "Sinh hoạt chuyên đề cần có chủ đề");
            t
        }
        t if t.is_empty() => dangvu_domain::cell_meetings::default_title(kind, month),
        t => t,
    };
    if title.chars().count() > 300 {
        problems.add("topic", "Chủ đề tối đa 300 ký tự");
    }
    let place = clean(&new.place);
    if place.chars().count() > 300 {
        problems.add("place", "Địa điểm tối đa 300 ký tự");
    }
    let agenda = check_agenda(&new.agenda, problems);
    if !(calendar::EARLIEST..=calendar::LATEST).contains(&new.scheduled_at.date_naive()) {
        problems.add("scheduled_at", "Thời gian họp không hợp lệ");
    }
    (title, place, agenda)
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewCellMeeting) -> Result<CellMeeting, StoreError> {
    let mut problems = Problems::new();
    let month = Month::of_instant(new.scheduled_at);
    let (title, place, agenda) = check_details(&new, new.kind, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let agenda_json = serde_json::to_string(&agenda).map_err(|e| StoreError::Decode(e.to_string()))?;
    let at = new.scheduled_at.timestamp_micros();
    let id = tx
        .query_one(
            "INSERT INTO cell_meetings (org_id, kind, title, place, scheduled_at, month, agenda, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            params![
                new.org_id,
                new.kind.as_str(),
                title.as_str(),
                place.as_str(),
                at,
                month.number(),
                agenda_json,
                actor.id,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingCreate,
            subject: Subject::cell_meeting(id),
            before: None,
            after: Some(
                json!({"org_id": new.org_id, "kind": new.kind, "title": title, "scheduled_at": new.scheduled_at}),
            ),
        },
    )
    .await?;
    get_in(tx, id).await?.ok_or(StoreError::NotFound)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<CellMeeting>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM cell_meetings c WHERE c.id = $1");
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<CellMeeting>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM cell_meetings c WHERE c.id = $1");
    tx.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

/// Changes the time, place, title or agenda of a meeting that has not been held. A title that
/// was the month's default ("Sinh hoạt thường kỳ tháng 3/2026") follows the meeting into its
/// new month.
pub async fn reschedule(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    mut change: NewCellMeeting,
) -> Result<CellMeeting, StoreError> {
    let next = meeting.state.after(Event::Reschedule).map_err(|why| StoreError::invalid("state", why))?;
    move_to(tx, meeting, next).await?;
    let old_default =
        Month::parse(&meeting.month).map(|m| dangvu_domain::cell_meetings::default_title(meeting.kind, m));
    if meeting.kind == Kind::Regular && old_default.as_deref() == Some(clean(&change.title).as_str()) {
        change.title = String::new();
    }
    let mut problems = Problems::new();
    let month = Month::of_instant(change.scheduled_at);
    let (title, place, agenda) = check_details(&change, meeting.kind, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    let agenda_json = serde_json::to_string(&agenda).map_err(|e| StoreError::Decode(e.to_string()))?;
    tx.execute(
        "UPDATE cell_meetings SET title = $2, place = $3, scheduled_at = $4, month = $5, agenda = $6 WHERE id = $1",
        params![
            meeting.id,
            title.as_str(),
            place.as_str(),
            change.scheduled_at.timestamp_micros(),
            month.number(),
            agenda_json
        ],
    )
    .await?;
    // Replies were given for the old month; they stay with the meeting.
    tx.execute(
        "UPDATE cell_meeting_attendance SET month = $2 WHERE meeting_id = $1",
        params![meeting.id, month.number()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingUpdate,
            subject: Subject::cell_meeting(meeting.id),
            before: Some(json!({"title": meeting.title, "scheduled_at": meeting.scheduled_at, "place": meeting.place})),
            after: Some(json!({"title": title, "scheduled_at": change.scheduled_at, "place": place})),
        },
    )
    .await?;
    get_in(tx, meeting.id).await?.ok_or(StoreError::NotFound)
}

/// Writes the state the rules answered for an event (`State::after`), if the meeting is still in
/// the state the decision was made from: the meeting was read before the transaction, and two
/// people acting on it at once must not carry it where the rules do not go. Run even when the
/// state stays the same, as the check that it has not changed meanwhile.
pub(crate) async fn move_to(tx: &mut Tx, meeting: &CellMeeting, next: State) -> Result<(), StoreError> {
    let changed = tx
        .execute(
            "UPDATE cell_meetings SET state = $2 WHERE id = $1 AND state = $3",
            params![meeting.id, next.as_str(), meeting.state.as_str()],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::invalid("state", "Cuộc họp vừa được cập nhật ở nơi khác; hãy tải lại trang"));
    }
    Ok(())
}

/// Cancels a meeting that has not been held, with the reason members will read.
pub async fn cancel(tx: &mut Tx, actor: &Actor, meeting: &CellMeeting, reason: &str) -> Result<(), StoreError> {
    let next = meeting.state.after(Event::Cancel).map_err(|why| StoreError::invalid("state", why))?;
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(StoreError::invalid("reason", "Hãy ghi lý do hủy (tối đa 500 ký tự)"));
    }
    move_to(tx, meeting, next).await?;
    tx.execute("UPDATE cell_meetings SET cancel_reason = $2 WHERE id = $1", params![meeting.id, reason.as_str()])
        .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingCancel,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// The meetings of one cell, newest first, paged by id; of one month when given.
pub async fn of_cell(
    db: &Db,
    org_id: OrgId,
    month: Option<Month>,
    before_id: i64,
    limit: i64,
) -> Result<Vec<CellMeeting>, StoreError> {
    let rows = match month {
        Some(m) => {
            let sql = format!(
                "SELECT {COLUMNS} FROM cell_meetings c WHERE c.org_id = $1 AND c.month = $2 AND c.id < $3
                 ORDER BY c.id DESC LIMIT $4"
            );
            db.query(&sql, params![org_id, m.number(), before_id, limit]).await?
        }
        None => {
            let sql = format!(
                "SELECT {COLUMNS} FROM cell_meetings c WHERE c.org_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3"
            );
            db.query(&sql, params![org_id, before_id, limit]).await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// The meetings of the member's present cell from `from` on, soonest first: the handbook's
/// "next meeting". At most `limit`.
pub async fn upcoming_for_member(
    db: &Db,
    member_id: MemberId,
    from: DateTime<FixedOffset>,
    limit: i64,
) -> Result<Vec<CellMeeting>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM members m JOIN cell_meetings c ON c.org_id = m.org_id
         WHERE m.id = $1 AND c.scheduled_at >= $2 ORDER BY c.scheduled_at, c.id LIMIT $3"
    );
    let rows = db.lookup(&sql, params![member_id, from.timestamp_micros(), limit]).await?;
    rows.iter().map(from_row).collect()
}

/// The meetings the member's present cell held or scheduled, newest first, paged by id.
pub async fn of_member_cell(
    db: &Db,
    member_id: MemberId,
    before_id: i64,
    limit: i64,
) -> Result<Vec<CellMeeting>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM members m JOIN cell_meetings c ON c.org_id = m.org_id
         WHERE m.id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3"
    );
    let rows = db.lookup(&sql, params![member_id, before_id, limit]).await?;
    rows.iter().map(from_row).collect()
}

/// A meeting as the handbook lists it: what a phone shows of it, without the agenda.
#[derive(Debug, Clone)]
pub struct HandbookLine {
    pub id: i64,
    pub title: String,
    pub scheduled_at: DateTime<FixedOffset>,
    pub state: State,
    /// The member's own answer, if any; upcoming meetings only.
    pub reply: Option<Reply>,
}

/// The handbook's two lists for a member's present cell.
#[derive(Debug, Default)]
pub struct Handbook {
    /// From `from` on, soonest first.
    pub upcoming: Vec<HandbookLine>,
    /// Before `from`, latest first.
    pub past: Vec<HandbookLine>,
}

/// The member's home page on a phone, the most requested page of all.
pub struct MemberHome {
    pub name: String,
    /// The member's present cell.
    pub cell: String,
    pub book: Handbook,
    /// The member's open tasks from meetings.
    pub tasks: Vec<tasks::MemberTask>,
}

/// What the member's home shows, in one read ([`Db::lookups`]): the member and the present
/// cell; the next `upcoming` meetings of that cell with the member's reply and the last `past`
/// ones with what became of them (only the columns the lists show: the agendas are read when
/// a meeting is opened); the open tasks. Past meetings carry no reply: the list does not show
/// it, and looking it up was a seek into the largest table for each of them. `None` when the
/// member is no longer in a cell.
pub async fn member_home(
    db: &Db,
    member_id: MemberId,
    today: NaiveDate,
    from: DateTime<FixedOffset>,
    upcoming: i64,
    past: i64,
) -> Result<Option<MemberHome>, StoreError> {
    const MEMBER: &str = "SELECT m.full_name, v.name FROM members m JOIN org_versions v ON v.org_id = m.org_id
           AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)
         WHERE m.id = $1 AND m.ended_on IS NULL";
    const MEETINGS: &str = "SELECT * FROM (
            SELECT c.id, c.title, c.scheduled_at, c.state, a.reply FROM cell_meetings c
            LEFT JOIN cell_meeting_attendance a ON a.meeting_id = c.id AND a.member_id = $1
            WHERE c.org_id = (SELECT org_id FROM members WHERE id = $1) AND c.scheduled_at >= $2
            ORDER BY c.scheduled_at, c.id LIMIT $3) upcoming
         UNION ALL
         SELECT * FROM (
            SELECT c.id, c.title, c.scheduled_at, c.state, NULL FROM cell_meetings c
            WHERE c.org_id = (SELECT org_id FROM members WHERE id = $1) AND c.scheduled_at < $2
            ORDER BY c.scheduled_at DESC, c.id DESC LIMIT $4) past";
    let from = from.timestamp_micros();
    let open_tasks = tasks::of_member_sql();
    let [me, meetings, open] = <[Vec<Row>; 3]>::try_from(
        db.lookups(&[
            (MEMBER, params![member_id, today]),
            (MEETINGS, params![member_id, from, upcoming, past]),
            (&open_tasks, params![member_id]),
        ])
        .await?,
    )
    .map_err(|_| StoreError::Decode("member home: three reads".into()))?;
    let Some(me) = me.first() else { return Ok(None) };
    let mut book = Handbook::default();
    for r in &meetings {
        let decode = |what: &str| StoreError::Decode(format!("handbook: {what}"));
        let at = r.int(2)?;
        let line = HandbookLine {
            id: r.int(0)?,
            title: r.text(1)?,
            scheduled_at: calendar::local(crate::from_micros(at)),
            state: State::parse(&r.text(3)?).ok_or_else(|| decode("state"))?,
            reply: r.opt_text(4)?.as_deref().and_then(Reply::parse),
        };
        if at >= from { book.upcoming.push(line) } else { book.past.push(line) }
    }
    let tasks = open.iter().map(|r| tasks::from_row(r, today)).collect::<Result<_, _>>()?;
    Ok(Some(MemberHome { name: me.text(0)?, cell: me.text(1)?, book, tasks }))
}

/// A member's comment on an agenda item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    /// The agenda item, from 1; 0 for the meeting as a whole.
    pub agenda_item: i64,
    /// The member's name, or the account's for an office account.
    pub author: String,
    pub body: String,
    #[schema(value_type = String)]
    pub created_at: DateTime<FixedOffset>,
}

pub async fn comments(db: &Db, meeting_id: i64) -> Result<Vec<Comment>, StoreError> {
    let rows = db
        .query(
            "SELECT k.id, k.agenda_item, COALESCE(m.full_name, u.username), k.body, k.created_at
             FROM cell_meeting_comments k JOIN users u ON u.id = k.user_id LEFT JOIN members m ON m.id = u.member_id
             WHERE k.meeting_id = $1 ORDER BY k.id LIMIT 1000",
            params![meeting_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Comment {
                id: r.int(0)?,
                agenda_item: r.int(1)?,
                author: r.text(2)?,
                body: r.text(3)?,
                created_at: calendar::local(crate::from_micros(r.int(4)?)),
            })
        })
        .collect()
}

/// Adds a comment on an agenda item of a meeting not yet closed.
pub async fn add_comment(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    agenda_item: i64,
    body: &str,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let next = meeting.state.after(Event::Comment);
    if let Err(why) = next {
        problems.add("state", why);
    }
    if !(0..=meeting.agenda.len() as i64).contains(&agenda_item) {
        problems.add("agenda_item", "Không có mục này trong chương trình");
    }
    let body = dangvu_domain::text::nfc(body.trim());
    if body.is_empty() || body.chars().count() > 2000 {
        problems.add("body", "Ý kiến gồm 1–2.000 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    if let Ok(next) = next {
        move_to(tx, meeting, next).await?;
    }
    let id = tx
        .query_one(
            "INSERT INTO cell_meeting_comments (meeting_id, agenda_item, user_id, body, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![meeting.id, agenda_item, actor.id, body.as_str(), crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingComment,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"comment_id": id, "agenda_item": agenda_item})),
        },
    )
    .await?;
    Ok(id)
}
