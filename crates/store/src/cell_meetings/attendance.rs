//! Members' replies before a meeting and the attendance the secretary records, with the
//! counters and the cell's month row kept exact on every write.

use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use std::collections::{HashMap, HashSet};

use dangvu_domain::cell_meetings::{Attendance, Event, Kind, Reply, absent_streak};
use dangvu_domain::text::{clean, fold};
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{CellMeeting, get_in, move_to};
use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, StoreError, Tx, params};

/// One line of the attendance the secretary records.
#[derive(Debug, Clone)]
pub struct AttendanceEntry {
    pub member_id: MemberId,
    pub status: Attendance,
    pub reason: Option<String>,
}

/// A member of the meeting's roster, with the reply and the recorded status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterLine {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    /// `probationary` or `full`.
    pub member_status: String,
    #[schema(value_type = Option<String>)]
    pub reply: Option<Reply>,
    pub reply_reason: Option<String>,
    #[schema(value_type = Option<String>)]
    pub status: Option<Attendance>,
    pub reason: Option<String>,
}

/// The members expected at the meeting: those of the cell now, not exempt from activities,
/// and anyone already recorded (a member transferred since keeps the line).
pub async fn roster(db: &Db, meeting: &CellMeeting) -> Result<Vec<RosterLine>, StoreError> {
    let rows = db
        .query(
            "SELECT m.id, m.full_name, m.status, a.reply, a.reply_reason, a.status, a.reason
             FROM members m LEFT JOIN cell_meeting_attendance a ON a.meeting_id = $1 AND a.member_id = m.id
             WHERE m.org_id = $2 AND m.ended_on IS NULL AND m.exempt = $3
             UNION
             SELECT m.id, m.full_name, m.status, a.reply, a.reply_reason, a.status, a.reason
             FROM cell_meeting_attendance a JOIN members m ON m.id = a.member_id WHERE a.meeting_id = $1",
            params![meeting.id, meeting.org_id, false],
        )
        .await?;
    let mut lines = rows
        .iter()
        .map(|r| {
            Ok(RosterLine {
                member_id: r.id(0)?,
                full_name: r.text(1)?,
                member_status: r.text(2)?,
                reply: r.opt_text(3)?.as_deref().and_then(Reply::parse),
                reply_reason: r.opt_text(4)?,
                status: r.opt_text(5)?.as_deref().and_then(Attendance::parse),
                reason: r.opt_text(6)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    lines.sort_by_cached_key(|l| (given_name_key(&l.full_name), l.member_id));
    Ok(lines)
}

/// Vietnamese lists sort by the given name (the last word), then the whole name.
fn given_name_key(full_name: &str) -> (String, String) {
    let folded = fold(full_name);
    let given = folded.rsplit(' ').next().unwrap_or_default().to_string();
    (given, folded)
}

/// A member's answer before the meeting: attending, or asking to be excused with a reason.
pub async fn reply(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    member_id: MemberId,
    answer: Reply,
    reason: &str,
) -> Result<(), StoreError> {
    let mut problems = Problems::new();
    let next = meeting.state.after(Event::Reply);
    if let Err(why) = next {
        problems.add("state", why);
    }
    let reason = clean(reason);
    if answer == Reply::Excused && reason.is_empty() {
        problems.add("reason", "Hãy ghi lý do xin vắng");
    }
    if reason.chars().count() > 500 {
        problems.add("reason", "Lý do tối đa 500 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    if let Ok(next) = next {
        move_to(tx, meeting, next).await?;
    }
    let reason = (!reason.is_empty()).then_some(reason);
    tx.execute(
        "INSERT INTO cell_meeting_attendance (meeting_id, member_id, month, reply, reply_reason, replied_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (meeting_id, member_id) DO UPDATE
         SET reply = excluded.reply, reply_reason = excluded.reply_reason, replied_at = excluded.replied_at",
        params![meeting.id, member_id, meeting.month().number(), answer.as_str(), reason.clone(), crate::now_micros()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingReply,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"member_id": member_id, "reply": answer, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// Records (or corrects) the attendance of the listed members; the others keep theirs. The
/// meeting becomes held, its counters and the cell's month row are recomputed from the rows,
/// and each member's run of unexcused absences is brought up to date.
pub async fn record_attendance(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    entries: &[AttendanceEntry],
) -> Result<CellMeeting, StoreError> {
    let entries = check_entries(tx, meeting, entries).await?;
    if entries.is_empty() {
        return Ok(meeting.clone());
    }
    let month = meeting.month().number();
    for chunk in entries.chunks(100) {
        let mut sql =
            String::from("INSERT INTO cell_meeting_attendance (meeting_id, member_id, month, status, reason) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        for (i, e) in chunk.iter().enumerate() {
            let n = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5));
            values.extend([
                Value::from(meeting.id),
                Value::from(e.member_id),
                Value::from(month),
                Value::from(e.status.as_str()),
                Value::from(e.reason.clone()),
            ]);
        }
        sql.push_str(
            " ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status, reason = excluded.reason",
        );
        tx.execute(&sql, &values).await?;
    }
    let next = meeting.state.after(Event::RecordAttendance).map_err(|why| StoreError::invalid("state", why))?;
    move_to(tx, meeting, next).await?;
    recount(tx, meeting).await?;
    if meeting.kind == Kind::Regular {
        for e in &entries {
            update_streaks(tx, e.member_id, meeting).await?;
        }
    }
    let counts: HashMap<&str, usize> = entries.iter().fold(HashMap::new(), |mut m, e| {
        *m.entry(e.status.as_str()).or_default() += 1;
        m
    });
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingAttendance,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"members": entries.len(), "by_status": counts})),
        },
    )
    .await?;
    get_in(tx, meeting.id).await?.ok_or(StoreError::NotFound)
}

/// Every line must name a member of the cell (or one already on the meeting's record) once;
/// a reason is kept only for an absence.
async fn check_entries(
    tx: &mut Tx,
    meeting: &CellMeeting,
    entries: &[AttendanceEntry],
) -> Result<Vec<AttendanceEntry>, StoreError> {
    let mut problems = Problems::new();
    if let Err(why) = meeting.state.after(Event::RecordAttendance) {
        problems.add("state", why);
    }
    if entries.len() > 5000 {
        problems.add("attendance", "Tối đa 5.000 đảng viên mỗi lần");
    }
    let rows = tx
        .query(
            "SELECT id FROM members WHERE org_id = $2 AND ended_on IS NULL
             UNION SELECT member_id FROM cell_meeting_attendance WHERE meeting_id = $1",
            params![meeting.id, meeting.org_id],
        )
        .await?;
    let allowed: HashSet<MemberId> = rows.iter().map(|r| r.id(0)).collect::<Result<_, _>>()?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        if !allowed.contains(&e.member_id) {
            problems.add(format!("[{i}].member_id"), "Không phải đảng viên của chi bộ này");
        } else if !seen.insert(e.member_id) {
            problems.add(format!("[{i}].member_id"), "Đảng viên này được ghi hai lần");
        }
        let reason = e.reason.as_deref().map(clean).filter(|r| !r.is_empty());
        if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
            problems.add(format!("[{i}].reason"), "Lý do tối đa 500 ký tự");
        }
        let reason = if e.status == Attendance::Present { None } else { reason };
        out.push(AttendanceEntry { member_id: e.member_id, status: e.status, reason });
    }
    problems.finish().map_err(StoreError::Invalid)?;
    Ok(out)
}

/// The meeting's counters, then the cell's month row, recomputed from their rows: an exact
/// recount cannot drift the way added differences can.
async fn recount(tx: &mut Tx, meeting: &CellMeeting) -> Result<(), StoreError> {
    let rows = tx
        .query(
            "SELECT status, COUNT(*) FROM cell_meeting_attendance WHERE meeting_id = $1 AND status IS NOT NULL
             GROUP BY status",
            params![meeting.id],
        )
        .await?;
    let mut by: HashMap<String, i64> = HashMap::new();
    for r in &rows {
        by.insert(r.text(0)?, r.int(1)?);
    }
    let (present, excused, absent) = (by.get("present"), by.get("excused"), by.get("absent"));
    let (present, excused, absent) =
        (present.copied().unwrap_or(0), excused.copied().unwrap_or(0), absent.copied().unwrap_or(0));
    tx.execute(
        "UPDATE cell_meetings SET recorded = $2, present = $3, excused = $4, absent = $5 WHERE id = $1",
        params![meeting.id, present + excused + absent, present, excused, absent],
    )
    .await?;
    refresh_month(tx, meeting.org_id, meeting.month().number()).await
}

/// The cell's row for the month, from that month's held meetings (three at most, usually).
pub(crate) async fn refresh_month(tx: &mut Tx, org_id: OrgId, month: i64) -> Result<(), StoreError> {
    let rows = tx
        .query(
            "SELECT kind, recorded, present, excused, absent FROM cell_meetings
             WHERE org_id = $1 AND month = $2 AND state IN ('held', 'approved')",
            params![org_id, month],
        )
        .await?;
    let mut row = [0i64; 7];
    for r in &rows {
        row[0] += 1;
        match r.text(0)?.as_str() {
            "regular" => row[1] += 1,
            _ => row[2] += 1,
        }
        for (k, i) in (3..7).zip(1..5) {
            row[k] += r.int(i)?;
        }
    }
    tx.execute(
        "INSERT INTO cell_meeting_months (org_id, month, held, regular_held, thematic_held, recorded, present, excused, absent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (org_id, month) DO UPDATE SET held = excluded.held, regular_held = excluded.regular_held,
             thematic_held = excluded.thematic_held, recorded = excluded.recorded, present = excluded.present,
             excused = excluded.excused, absent = excluded.absent",
        params![org_id, month, row[0], row[1], row[2], row[3], row[4], row[5], row[6]],
    )
    .await?;
    Ok(())
}

/// Brings the member's run of unexcused absences up to date from this meeting on: usually
/// this one row, more when an older meeting is corrected.
async fn update_streaks(tx: &mut Tx, member_id: MemberId, meeting: &CellMeeting) -> Result<(), StoreError> {
    let at = meeting.scheduled_at.timestamp_micros();
    let before = tx
        .query_one(
            "SELECT a.absent_streak FROM cell_meeting_attendance a JOIN cell_meetings c ON c.id = a.meeting_id
             WHERE a.member_id = $1 AND c.kind = 'regular' AND a.status IS NOT NULL
               AND (c.scheduled_at < $2 OR (c.scheduled_at = $2 AND c.id < $3))
             ORDER BY c.scheduled_at DESC, c.id DESC LIMIT 1",
            params![member_id, at, meeting.id],
        )
        .await?;
    let mut streak = before.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    let after = tx
        .query(
            "SELECT a.meeting_id, a.status, a.absent_streak FROM cell_meeting_attendance a
             JOIN cell_meetings c ON c.id = a.meeting_id
             WHERE a.member_id = $1 AND c.kind = 'regular' AND a.status IS NOT NULL
               AND (c.scheduled_at > $2 OR (c.scheduled_at = $2 AND c.id >= $3))
             ORDER BY c.scheduled_at, c.id",
            params![member_id, at, meeting.id],
        )
        .await?;
    for r in &after {
        let status = Attendance::parse(&r.text(1)?).unwrap_or(Attendance::Present);
        streak = absent_streak(streak, status);
        if r.int(2)? != streak {
            tx.execute(
                "UPDATE cell_meeting_attendance SET absent_streak = $3 WHERE meeting_id = $1 AND member_id = $2",
                params![r.int(0)?, member_id, streak],
            )
            .await?;
        }
    }
    Ok(())
}
