//! Tasks a cell meeting gives to its members, followed until the secretary accepts them.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::MemberId;
use dangvu_domain::tasks::{Review, TaskStatus};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::CellMeeting;
use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberTask {
    pub id: i64,
    pub meeting_id: i64,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub member_name: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub progress: i64,
    pub report: String,
    /// `none`, `pending` (reported done, waiting for the secretary), `accepted` or `returned`.
    #[schema(value_type = String)]
    pub review: Review,
    pub done_on: Option<NaiveDate>,
    /// `open`, `overdue`, `done_on_time` or `done_late`.
    #[schema(value_type = String)]
    pub status: TaskStatus,
}

columns! {
    /// The columns a row is read from, in one place.
    mod col {
        id: "k.id",
        meeting_id: "k.meeting_id",
        member_id: "k.member_id",
        member_name: "m.full_name",
        title: "k.title",
        due_on: "k.due_on",
        progress: "k.progress",
        report: "k.report",
        review: "k.review",
        done_on: "k.done_on",
    }
}

const COLUMNS: &str = col::SQL;

pub(super) fn from_row(r: &Row, today: NaiveDate) -> Result<MemberTask, StoreError> {
    let (due_on, done_on) = (r.opt_date(col::due_on)?, r.opt_date(col::done_on)?);
    Ok(MemberTask {
        id: r.int(col::id)?,
        meeting_id: r.int(col::meeting_id)?,
        member_id: r.id(col::member_id)?,
        member_name: r.text(col::member_name)?,
        title: r.text(col::title)?,
        due_on,
        progress: r.int(col::progress)?,
        report: r.text(col::report)?,
        review: r.word(col::review, Review::parse)?,
        done_on,
        status: TaskStatus::of(due_on, done_on, today),
    })
}

/// Gives a task to a member of the meeting's roster.
pub async fn assign(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &CellMeeting,
    member_id: MemberId,
    title: &str,
    due_on: Option<NaiveDate>,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let title = clean(title);
    if title.is_empty() || title.chars().count() > 500 {
        problems.add("title", "Nhiệm vụ gồm 1–500 ký tự");
    }
    let in_cell = tx
        .query_one(
            "SELECT 1 FROM members WHERE id = $1 AND (org_id = $2 AND ended_on IS NULL
               OR id IN (SELECT member_id FROM cell_meeting_attendance WHERE meeting_id = $3))",
            params![member_id, meeting.org_id, meeting.id],
        )
        .await?;
    if in_cell.is_none() {
        problems.add("member_id", "Không phải đảng viên của chi bộ này");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO cell_meeting_tasks (meeting_id, org_id, member_id, title, due_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![meeting.id, meeting.org_id, member_id, title.as_str(), due_on, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingTask,
            subject: Subject::cell_meeting(meeting.id),
            before: None,
            after: Some(json!({"task_id": id, "member_id": member_id, "title": title, "due_on": due_on})),
        },
    )
    .await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64, today: NaiveDate) -> Result<Option<MemberTask>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM cell_meeting_tasks k JOIN members m ON m.id = k.member_id WHERE k.id = $1");
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r, today)).transpose()
}

pub async fn of_meeting(db: &Db, meeting_id: i64, today: NaiveDate) -> Result<Vec<MemberTask>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cell_meeting_tasks k JOIN members m ON m.id = k.member_id WHERE k.meeting_id = $1
         ORDER BY k.id"
    );
    db.query(&sql, params![meeting_id]).await?.iter().map(|r| from_row(r, today)).collect()
}

/// The member's tasks not yet accepted, soonest due first, and the last accepted ones.
pub async fn of_member(db: &Db, member_id: MemberId, today: NaiveDate) -> Result<Vec<MemberTask>, StoreError> {
    db.lookup(&of_member_sql(), params![member_id]).await?.iter().map(|r| from_row(r, today)).collect()
}

/// A member's open tasks, `$1` the member.
pub(super) fn of_member_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM cell_meeting_tasks k JOIN members m ON m.id = k.member_id
         WHERE k.member_id = $1 AND k.done_on IS NULL ORDER BY k.due_on, k.id LIMIT 50"
    )
}

/// The member reports progress; at 100 the work waits for the secretary's review.
pub async fn report(
    tx: &mut Tx,
    actor: &Actor,
    task: &MemberTask,
    progress: i64,
    note: &str,
) -> Result<(), StoreError> {
    let mut problems = Problems::new();
    if task.done_on.is_some() {
        problems.add("state", "Nhiệm vụ đã được công nhận hoàn thành");
    }
    if !(0..=100).contains(&progress) {
        problems.add("progress", "Tiến độ từ 0 đến 100");
    }
    let note = clean(note);
    if note.chars().count() > 2000 {
        problems.add("note", "Báo cáo tối đa 2.000 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    tx.execute(
        "UPDATE cell_meeting_tasks SET progress = $2, report = $3, reported_at = $4, review = $5 WHERE id = $1",
        params![task.id, progress, note.as_str(), crate::now_micros(), Review::after_report(progress).as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingTaskReport,
            subject: Subject::cell_meeting(task.meeting_id),
            before: Some(json!({"task_id": task.id, "progress": task.progress})),
            after: Some(json!({"task_id": task.id, "progress": progress})),
        },
    )
    .await?;
    Ok(())
}

/// The secretary accepts the reported work (done on `today`) or returns it.
pub async fn review(
    tx: &mut Tx,
    actor: &Actor,
    task: &MemberTask,
    accept: bool,
    today: NaiveDate,
) -> Result<(), StoreError> {
    if task.review != Review::Pending {
        return Err(StoreError::invalid("review", "Đảng viên chưa báo cáo hoàn thành"));
    }
    if accept {
        tx.execute(
            "UPDATE cell_meeting_tasks SET review = $3, done_on = $2 WHERE id = $1",
            params![task.id, today, Review::Accepted.as_str()],
        )
        .await?;
    } else {
        // The member reports again when the work is redone.
        tx.execute(
            "UPDATE cell_meeting_tasks SET review = $2 WHERE id = $1",
            params![task.id, Review::Returned.as_str()],
        )
        .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingTaskReview,
            subject: Subject::cell_meeting(task.meeting_id),
            before: None,
            after: Some(json!({"task_id": task.id, "accepted": accept})),
        },
    )
    .await?;
    Ok(())
}
