//! Periods out of the Party or out of its activity, and re-admission: what party age leaves
//! out (reference/domain-rules.md §4.4). A re-admitted member keeps the first admission
//! decision, loses the time out, and starts a new probation.

use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::members::{InactivePeriod, MembershipRules, check_readmission};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{adjust_totals, cell_path};
use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// Why a member was out: the ways a membership ends (but death), lost contact, and the gap
/// between leaving one cell and joining the next.
pub const REASONS: [&str; 5] = ["expelled", "removed_from_list", "resigned", "lost_contact", "transfer_gap"];

/// One recorded period out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InactivePeriodRecord {
    pub id: i64,
    pub from_on: NaiveDate,
    /// `null` while the member is still out.
    pub until_on: Option<NaiveDate>,
    /// One of [`REASONS`].
    pub reason: String,
    pub note: Option<String>,
}

impl InactivePeriodRecord {
    pub fn period(&self) -> InactivePeriod {
        InactivePeriod { from: self.from_on, until: self.until_on }
    }
}

/// The periods of one member, oldest first.
pub async fn inactive_periods(db: &Db, member_id: MemberId) -> Result<Vec<InactivePeriodRecord>, StoreError> {
    Ok(periods_of(db, &[member_id]).await?.remove(&member_id).unwrap_or_default())
}

/// The periods of several members at once (a page of a list), by member.
pub(crate) async fn periods_of(
    db: &Db,
    member_ids: &[MemberId],
) -> Result<HashMap<MemberId, Vec<InactivePeriodRecord>>, StoreError> {
    let mut out: HashMap<MemberId, Vec<InactivePeriodRecord>> = HashMap::new();
    for chunk in member_ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT member_id, id, from_on, until_on, reason, note FROM member_inactive_periods
             WHERE member_id IN ({}) ORDER BY member_id, from_on, id",
            marks.join(", ")
        );
        let values: Vec<crate::Value> = chunk.iter().map(|id| (*id).into()).collect();
        for r in db.query(&sql, &values).await? {
            out.entry(r.id(0)?).or_default().push(InactivePeriodRecord {
                id: r.int(1)?,
                from_on: r.date(2)?,
                until_on: r.opt_date(3)?,
                reason: r.text(4)?,
                note: r.opt_text(5)?,
            });
        }
    }
    Ok(out)
}

/// A period out as entered.
#[derive(Debug, Clone)]
pub struct NewInactivePeriod<'a> {
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub reason: &'a str,
    pub note: Option<&'a str>,
}

/// Records a period out for a member (a past expulsion, removal, lost contact or gap between
/// transfers, entered when the record is completed). Periods of one member do not overlap.
pub async fn record_inactive_period(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    p: &NewInactivePeriod<'_>,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let admitted_on = tx
        .query_one("SELECT admitted_on FROM members WHERE id = $1", params![member_id])
        .await?
        .ok_or(StoreError::NotFound)?
        .date(0)?;
    let note = p.note.map(clean).filter(|n| !n.is_empty());
    let mut problems = dangvu_domain::validation::Problems::new();
    if !REASONS.contains(&p.reason) {
        problems.add("reason", format!("Lý do là một trong: {}", REASONS.join(", ")));
    }
    if p.from_on < admitted_on {
        problems.add("from_on", "Trước ngày quyết định kết nạp");
    }
    if p.from_on > today || p.until_on.is_some_and(|u| u > today) {
        problems.add("until_on", "Ngày ở tương lai");
    }
    if p.until_on.is_some_and(|u| u <= p.from_on) {
        problems.add("until_on", "Ngày kết thúc phải sau ngày bắt đầu");
    }
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        problems.add("note", "Ghi chú tối đa 500 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let existing = tx
        .query("SELECT from_on, until_on FROM member_inactive_periods WHERE member_id = $1", params![member_id])
        .await?;
    for r in existing {
        let (from, until) = (r.date(0)?, r.opt_date(1)?);
        let overlaps = until.is_none_or(|u| p.from_on < u) && p.until_on.is_none_or(|u| from < u);
        if overlaps {
            return Err(StoreError::invalid("from_on", "Trùng với một thời gian gián đoạn đã ghi"));
        }
    }
    let id = insert_period(tx, actor, member_id, p, note.as_deref()).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberInactivePeriod,
            subject: Subject::member(member_id),
            before: None,
            after: Some(
                json!({"id": id, "from_on": p.from_on, "until_on": p.until_on, "reason": p.reason, "note": note}),
            ),
        },
    )
    .await?;
    Ok(id)
}

async fn insert_period(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    p: &NewInactivePeriod<'_>,
    note: Option<&str>,
) -> Result<i64, StoreError> {
    let id = tx
        .query_one(
            "INSERT INTO member_inactive_periods (member_id, from_on, until_on, reason, note, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![member_id, p.from_on, p.until_on, p.reason, note, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or_else(|| StoreError::Engine("INSERT … RETURNING gave no row".into()))?
        .int(0)?;
    tx.execute("UPDATE members SET inactive_periods = inactive_periods + 1 WHERE id = $1", params![member_id]).await?;
    Ok(id)
}

/// Removes a period recorded in error, or one that no longer counts (a member cleared of a
/// wrongful expulsion has continuous party age).
pub async fn delete_inactive_period(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    period_id: i64,
) -> Result<(), StoreError> {
    let row = tx
        .query_one(
            "SELECT from_on, until_on, reason FROM member_inactive_periods WHERE id = $1 AND member_id = $2",
            params![period_id, member_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let before =
        json!({"id": period_id, "from_on": row.date(0)?, "until_on": row.opt_date(1)?, "reason": row.text(2)?});
    tx.execute("DELETE FROM member_inactive_periods WHERE id = $1", params![period_id]).await?;
    tx.execute("UPDATE members SET inactive_periods = inactive_periods - 1 WHERE id = $1", params![member_id]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberInactivePeriodDelete,
            subject: Subject::member(member_id),
            before: Some(before),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// A re-admission as decided.
#[derive(Debug, Clone)]
pub struct Readmission {
    /// The competent committee's new admission decision.
    pub decision_on: NaiveDate,
    /// The new admission ceremony; the new probation counts from it.
    pub ceremony_on: NaiveDate,
    /// The cell the member joins.
    pub org_id: OrgId,
}

/// Re-admits a member whose membership ended: at most `max_readmissions` times and not
/// before `readmission_min_months_out` months out. The time out is recorded as a period out,
/// the member is probationary again from the new decision with a new probation from the new
/// ceremony, and party age keeps counting from the first decision.
pub async fn readmit(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    r: &Readmission,
    rules: &MembershipRules,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let row = tx
        .query_one(
            "SELECT ended_on, end_kind, readmissions, official_on FROM members WHERE id = $1",
            params![member_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let (Some(ended_on), Some(kind)) = (row.opt_date(0)?, row.opt_text(1)?) else {
        return Err(StoreError::invalid(
            "member",
            "Người này đang là đảng viên; chỉ kết nạp lại người đã ra khỏi Đảng",
        ));
    };
    if kind == "deceased" {
        return Err(StoreError::invalid("member", "Đảng viên đã từ trần"));
    }
    let mut problems = dangvu_domain::validation::Problems::new();
    if r.decision_on > today {
        problems.add("decision_on", "Ngày ở tương lai");
    }
    if r.ceremony_on < r.decision_on || r.ceremony_on > today {
        problems.add("ceremony_on", "Lễ kết nạp từ ngày quyết định đến hôm nay");
    }
    let times = u32::try_from(row.int(2)?).unwrap_or(u32::MAX);
    if let Err(e) = check_readmission(times, ended_on, r.decision_on, rules) {
        problems.add("decision_on", e.to_string());
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let path = cell_path(tx, r.org_id, today, "org_id").await?;
    let out = NewInactivePeriod { from_on: ended_on, until_on: Some(r.decision_on), reason: &kind, note: None };
    let period_id = insert_period(tx, actor, member_id, &out, None).await?;
    // The member's first recognition as a full member stays in its year's figures.
    tx.execute(
        "UPDATE member_inactive_periods SET official_on = $2 WHERE id = $1",
        params![period_id, row.opt_date(3)?],
    )
    .await?;
    tx.execute(
        "UPDATE members SET ended_on = NULL, end_kind = NULL, status = 'probationary', org_id = $2,
             ceremony_on = $3, official_on = NULL, exempt = $4, exempt_since = NULL, exempt_reason = NULL,
             readmissions = readmissions + 1
         WHERE id = $1",
        params![member_id, r.org_id, r.ceremony_on, false],
    )
    .await?;
    tx.execute(
        "INSERT INTO member_periods (member_id, org_id, status, valid_from) VALUES ($1, $2, 'probationary', $3)",
        params![member_id, r.org_id, r.decision_on],
    )
    .await?;
    adjust_totals(tx, &path, 0, 1).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberReadmit,
            subject: Subject::member(member_id),
            before: Some(json!({"ended_on": ended_on, "end_kind": kind})),
            after: Some(json!({"decision_on": r.decision_on, "ceremony_on": r.ceremony_on, "org_id": r.org_id,
                               "inactive_period": period_id})),
        },
    )
    .await?;
    Ok(())
}
