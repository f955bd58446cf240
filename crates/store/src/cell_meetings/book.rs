//! A cell's year of meetings for its minutes book.

use dangvu_domain::cell_meetings::{Attendance, Month};
use dangvu_domain::ids::OrgId;

use super::{COLUMNS, CellMeeting, Minutes, from_row, minutes_versions};
use crate::{Db, StoreError, params};

/// One meeting of the book: its latest approved minutes, if any, and who was absent.
pub struct BookEntry {
    pub meeting: CellMeeting,
    pub minutes: Option<Minutes>,
    /// Name, status and reason of each member not present.
    pub absent: Vec<(String, Attendance, Option<String>)>,
}

/// The meetings of `org_id` held in `year`, in order, cancelled ones left out.
pub async fn book(db: &Db, org_id: OrgId, year: i32) -> Result<Vec<BookEntry>, StoreError> {
    let (from, to) = match (Month::new(year, 1), Month::new(year, 12)) {
        (Some(f), Some(t)) => (f.number(), t.number()),
        _ => return Err(StoreError::invalid("year", "Năm không hợp lệ")),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM cell_meetings c WHERE c.org_id = $1 AND c.month >= $2 AND c.month <= $3
           AND c.state IN ('held', 'approved') ORDER BY c.scheduled_at, c.id"
    );
    let meetings = db.query(&sql, params![org_id, from, to]).await?;
    let mut out = Vec::with_capacity(meetings.len());
    for r in &meetings {
        let meeting = from_row(r)?;
        let minutes = minutes_versions(db, meeting.id).await?.into_iter().find(|m| m.approved_at.is_some());
        let absent = db
            .query(
                "SELECT m.full_name, a.status, a.reason FROM cell_meeting_attendance a JOIN members m ON m.id = a.member_id
                 WHERE a.meeting_id = $1 AND a.status IN ('excused', 'absent') ORDER BY m.full_name",
                params![meeting.id],
            )
            .await?
            .iter()
            .map(|a| {
                let status = Attendance::parse(&a.text(1)?).unwrap_or(Attendance::Absent);
                Ok((a.text(0)?, status, a.opt_text(2)?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(BookEntry { meeting, minutes, absent });
    }
    Ok(out)
}
