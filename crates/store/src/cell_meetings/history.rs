//! Loading a past of held meetings in bulk (the demo province, the benchmark), and the exact
//! recount of the month rows from the meetings, which also checks the rows kept on each write.

use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use dangvu_domain::cell_meetings::{Attendance, Kind, Month, absent_streak};
use serde_json::json;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{StoreError, Tx, params};

/// A meeting that took place, with its attendance and, when approved, its minutes.
pub struct HeldMeeting {
    pub org_id: OrgId,
    pub kind: Kind,
    pub title: String,
    pub scheduled_at: DateTime<FixedOffset>,
    pub agenda: Vec<String>,
    pub attendance: Vec<(MemberId, Attendance, Option<String>)>,
    pub approved_minutes: Option<String>,
}

/// Writes meetings held before any other is recorded for their members: the runs of absences
/// are counted here in the order of the meetings. One audit entry for the whole load.
pub async fn load_history(tx: &mut Tx, actor: &Actor, meetings: &mut [HeldMeeting]) -> Result<usize, StoreError> {
    meetings.sort_by_key(|m| m.scheduled_at);
    let mut streaks: HashMap<MemberId, i64> = HashMap::new();
    let now = crate::now_micros();
    let mut rows: Vec<[Value; 6]> = Vec::new();
    for m in meetings.iter() {
        let month = Month::of_instant(m.scheduled_at).number();
        let (mut present, mut excused, mut absent) = (0i64, 0i64, 0i64);
        for (_, status, _) in &m.attendance {
            match status {
                Attendance::Present => present += 1,
                Attendance::Excused => excused += 1,
                Attendance::Absent => absent += 1,
            }
        }
        let state = if m.approved_minutes.is_some() { "approved" } else { "held" };
        let agenda = serde_json::to_string(&m.agenda).map_err(|e| StoreError::Decode(e.to_string()))?;
        let id = tx
            .query_one(
                "INSERT INTO cell_meetings (org_id, kind, title, scheduled_at, month, state, agenda, recorded, present,
                     excused, absent, minutes_version, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                params![
                    m.org_id,
                    m.kind.as_str(),
                    m.title.as_str(),
                    m.scheduled_at.timestamp_micros(),
                    month,
                    state,
                    agenda,
                    present + excused + absent,
                    present,
                    excused,
                    absent,
                    i64::from(m.approved_minutes.is_some()),
                    actor.id,
                    now
                ],
            )
            .await?
            .ok_or(StoreError::NotFound)?
            .int(0)?;
        if let Some(text) = &m.approved_minutes {
            tx.execute(
                "INSERT INTO cell_meeting_minutes (meeting_id, version, text, approved_at, approved_by, created_by, created_at)
                 VALUES ($1, 1, $2, $3, $4, $4, $3)",
                params![id, text.as_str(), now, actor.id],
            )
            .await?;
        }
        for (member, status, reason) in &m.attendance {
            let streak = if m.kind == Kind::Regular {
                let s = absent_streak(streaks.get(member).copied().unwrap_or(0), *status);
                streaks.insert(*member, s);
                s
            } else {
                0
            };
            rows.push([
                Value::from(id),
                Value::from(*member),
                Value::from(month),
                Value::from(status.as_str()),
                Value::from(reason.clone()),
                Value::from(streak),
            ]);
        }
    }
    for chunk in rows.chunks(150) {
        let mut sql = String::from(
            "INSERT INTO cell_meeting_attendance (meeting_id, member_id, month, status, reason, absent_streak) VALUES ",
        );
        let mut values = Vec::with_capacity(chunk.len() * 6);
        for (i, row) in chunk.iter().enumerate() {
            let n = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6));
            values.extend(row.iter().cloned());
        }
        tx.execute(&sql, &values).await?;
    }
    rebuild_months(tx).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingLoad,
            subject: Subject::cell_meetings(),
            before: None,
            after: Some(json!({"meetings": meetings.len(), "attendance": rows.len()})),
        },
    )
    .await?;
    Ok(meetings.len())
}

/// The SELECT that counts every cell's months from the meetings held.
const MONTHS_FROM_MEETINGS: &str = "SELECT org_id, month, COUNT(*),
        CAST(SUM(CASE WHEN kind = 'regular' THEN 1 ELSE 0 END) AS BIGINT),
        CAST(SUM(CASE WHEN kind = 'thematic' THEN 1 ELSE 0 END) AS BIGINT),
        CAST(SUM(recorded) AS BIGINT), CAST(SUM(present) AS BIGINT),
        CAST(SUM(excused) AS BIGINT), CAST(SUM(absent) AS BIGINT)
    FROM cell_meetings WHERE state IN ('held', 'approved') GROUP BY org_id, month";

/// Recounts every month row from the meetings.
pub async fn rebuild_months(tx: &mut Tx) -> Result<(), StoreError> {
    tx.execute("DELETE FROM cell_meeting_months", &[]).await?;
    tx.execute(
        &format!(
            "INSERT INTO cell_meeting_months (org_id, month, held, regular_held, thematic_held, recorded, present,
                 excused, absent) {MONTHS_FROM_MEETINGS}"
        ),
        &[],
    )
    .await?;
    Ok(())
}

/// The month rows as a recount would make them, and as they are: the two must agree.
pub async fn months_drift(tx: &mut Tx) -> Result<Vec<String>, StoreError> {
    let mut want = HashMap::new();
    for r in tx.query(MONTHS_FROM_MEETINGS, &[]).await? {
        let v: Vec<i64> = (2..9).map(|i| r.int(i)).collect::<Result<_, _>>()?;
        want.insert((r.int(0)?, r.int(1)?), v);
    }
    let mut drift = Vec::new();
    let kept = tx
        .query(
            "SELECT org_id, month, held, regular_held, thematic_held, recorded, present, excused, absent
             FROM cell_meeting_months WHERE held > 0",
            &[],
        )
        .await?;
    for r in &kept {
        let key = (r.int(0)?, r.int(1)?);
        let v: Vec<i64> = (2..9).map(|i| r.int(i)).collect::<Result<_, _>>()?;
        if want.remove(&key).as_ref() != Some(&v) {
            drift.push(format!("{key:?}: kept {v:?}"));
        }
    }
    drift.extend(want.keys().map(|k| format!("{k:?}: missing")));
    Ok(drift)
}
