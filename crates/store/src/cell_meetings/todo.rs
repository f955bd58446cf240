//! What a cell's secretary has to do next: the next meeting and who has answered, minutes
//! waiting for approval, the members' tasks.

use chrono::{DateTime, FixedOffset, NaiveDate};
use dangvu_domain::ids::OrgId;
use serde::Serialize;
use utoipa::ToSchema;

use super::{COLUMNS, CellMeeting, from_row};
use crate::{Db, StoreError, params};

/// A cell's open work, as its secretary's home shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellTodo {
    /// The next meeting scheduled from now on.
    pub next: Option<CellMeeting>,
    /// Members expected at it, and how many have answered.
    pub expected: i64,
    pub answered: i64,
    /// Meetings held (attendance recorded) whose minutes are not approved yet, oldest first.
    pub minutes_to_approve: Vec<CellMeeting>,
    /// Members' tasks reported done and waiting for the secretary.
    pub member_tasks_to_review: i64,
    /// Members' tasks past their deadline and not done.
    pub member_tasks_overdue: i64,
}

pub async fn cell_todo(
    db: &Db,
    cell: OrgId,
    now: DateTime<FixedOffset>,
    today: NaiveDate,
) -> Result<CellTodo, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM cell_meetings c WHERE c.org_id = $1 AND c.state = 'scheduled' AND c.scheduled_at >= $2
         ORDER BY c.scheduled_at, c.id LIMIT 1"
    );
    let next = db.query_one(&sql, params![cell, now.timestamp_micros()]).await?.as_ref().map(from_row).transpose()?;
    let (expected, answered) = match &next {
        Some(m) => {
            let roster = super::roster(db, m).await?;
            (roster.len() as i64, roster.iter().filter(|l| l.reply.is_some()).count() as i64)
        }
        None => (0, 0),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM cell_meetings c WHERE c.org_id = $1 AND c.state = 'held' ORDER BY c.scheduled_at, c.id LIMIT 20"
    );
    let minutes_to_approve = db.query(&sql, params![cell]).await?.iter().map(from_row).collect::<Result<_, _>>()?;
    let counts = db
        .query_one(
            "SELECT CAST(COALESCE(SUM(CASE WHEN review = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN done_on IS NULL AND due_on IS NOT NULL AND due_on < $2 THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM cell_meeting_tasks WHERE org_id = $1",
            params![cell, today],
        )
        .await?;
    let (member_tasks_to_review, member_tasks_overdue) = match counts {
        Some(r) => (r.int(0)?, r.int(1)?),
        None => (0, 0),
    };
    Ok(CellTodo { next, expected, answered, minutes_to_approve, member_tasks_to_review, member_tasks_overdue })
}
