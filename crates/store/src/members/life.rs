//! The turns of a membership after admission: recognition as an official member, exemption
//! from activities, and the end of membership. Each keeps the periods and totals right.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{MembershipEnd, MembershipRules, probation_ends_on};
use dangvu_domain::text::clean;
use serde_json::json;

use super::{adjust_totals, cell_path};
use crate::audit::{self, Actor, Change, Subject};
use crate::{StoreError, Tx, params};

struct Current {
    org_id: OrgId,
    status: String,
    ceremony_on: Option<NaiveDate>,
    exempt: bool,
}

/// The member as it stands, refusing one whose membership has ended.
async fn current(tx: &mut Tx, member_id: MemberId) -> Result<Current, StoreError> {
    let row = tx
        .query_one(
            "SELECT org_id, status, ceremony_on, exempt, ended_on FROM members WHERE id = $1",
            params![member_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.opt_date(4)?.is_some() {
        return Err(StoreError::invalid("member", "Người này không còn là đảng viên"));
    }
    Ok(Current { org_id: row.id(0)?, status: row.text(1)?, ceremony_on: row.opt_date(2)?, exempt: row.bool(3)? })
}

/// The competent committee recognised a probationary member as official on `decided_on`.
/// The member is official from the last day of probation, "even if the chi bộ met late"
/// (Điều lệ Đảng, Điều 5), so the periods change status from that day, not from the decision.
pub async fn recognize(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    decided_on: NaiveDate,
    rules: &MembershipRules,
) -> Result<NaiveDate, StoreError> {
    let m = current(tx, member_id).await?;
    if m.status != "probationary" {
        return Err(StoreError::invalid("member", "Đảng viên đã là đảng viên chính thức"));
    }
    let ceremony_on = m.ceremony_on.ok_or_else(|| {
        StoreError::invalid("ceremony_on", "Chưa ghi ngày lễ kết nạp: không tính được ngày hết dự bị")
    })?;
    let official_on = probation_ends_on(ceremony_on, rules);
    if decided_on < official_on {
        return Err(StoreError::invalid(
            "decided_on",
            format!("Thời kỳ dự bị kết thúc ngày {}: chưa công nhận được", dangvu_domain::vi::date(official_on)),
        ));
    }
    if decided_on > calendar::today() {
        return Err(StoreError::invalid("decided_on", "Ngày quyết định ở tương lai"));
    }
    // The period running on the official day is cut in two; later ones (after a transfer)
    // simply become full.
    let running = tx
        .query_one(
            "SELECT id, org_id, valid_to FROM member_periods
             WHERE member_id = $1 AND valid_from < $2 AND (valid_to IS NULL OR valid_to > $2)",
            params![member_id, official_on],
        )
        .await?;
    tx.execute(
        "UPDATE member_periods SET status = 'full' WHERE member_id = $1 AND valid_from >= $2",
        params![member_id, official_on],
    )
    .await?;
    if let Some(p) = running {
        tx.execute("UPDATE member_periods SET valid_to = $2 WHERE id = $1", params![p.int(0)?, official_on]).await?;
        tx.execute(
            "INSERT INTO member_periods (member_id, org_id, status, valid_from, valid_to) VALUES ($1, $2, 'full', $3, $4)",
            params![member_id, p.int(1)?, official_on, p.opt_date(2)?],
        )
        .await?;
    }
    tx.execute("UPDATE members SET status = 'full', official_on = $2 WHERE id = $1", params![member_id, official_on])
        .await?;
    let path = cell_path(tx, m.org_id, calendar::today(), "org_id").await?;
    adjust_totals(tx, &path, 1, -1).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberRecognize,
            subject: Subject::member(member_id),
            before: Some(json!({"status": "probationary"})),
            after: Some(json!({"status": "full", "official_on": official_on, "decided_on": decided_on})),
        },
    )
    .await?;
    Ok(official_on)
}

/// Exempts a member from activities (miễn sinh hoạt: old age, illness, work far away) or
/// lifts the exemption. The member stays counted in every figure.
pub async fn set_exemption(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    exempt: bool,
    since: Option<NaiveDate>,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let m = current(tx, member_id).await?;
    let reason = reason.map(clean).filter(|r| !r.is_empty());
    let (since, reason) = if exempt {
        let reason = reason.ok_or_else(|| StoreError::invalid("reason", "Ghi lý do miễn sinh hoạt"))?;
        if reason.chars().count() > 500 {
            return Err(StoreError::invalid("reason", "Lý do tối đa 500 ký tự"));
        }
        let since = since.unwrap_or_else(calendar::today);
        if since > calendar::today() {
            return Err(StoreError::invalid("since", "Ngày miễn sinh hoạt ở tương lai"));
        }
        (Some(since), Some(reason))
    } else {
        (None, None)
    };
    tx.execute(
        "UPDATE members SET exempt = $2, exempt_since = $3, exempt_reason = $4 WHERE id = $1",
        params![member_id, exempt, since, reason.as_deref()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberExemption,
            subject: Subject::member(member_id),
            before: Some(json!({"exempt": m.exempt})),
            after: Some(json!({"exempt": exempt, "since": since, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// Ends a membership on `on` (removed from the list, expelled, resigned, deceased). The
/// record stays, with its history; the member leaves every figure from that day.
pub async fn end_membership(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    kind: &str,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let kind = MembershipEnd::parse(kind).ok_or_else(|| {
        StoreError::invalid("kind", "Hình thức là removed_from_list, expelled, resigned hoặc deceased")
    })?;
    let m = current(tx, member_id).await?;
    if on > calendar::today() {
        return Err(StoreError::invalid("ended_on", "Ngày ở tương lai"));
    }
    let last_start = tx
        .query_one("SELECT MAX(valid_from) FROM member_periods WHERE member_id = $1", params![member_id])
        .await?
        .map(|r| r.opt_date(0))
        .transpose()?
        .flatten();
    if last_start.is_some_and(|s| on <= s) {
        return Err(StoreError::invalid("ended_on", "Ngày phải sau lần thay đổi gần nhất của đảng viên"));
    }
    tx.execute(
        "UPDATE member_periods SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL",
        params![member_id, on],
    )
    .await?;
    tx.execute("UPDATE members SET ended_on = $2, end_kind = $3 WHERE id = $1", params![member_id, on, kind.as_str()])
        .await?;
    let path = cell_path(tx, m.org_id, calendar::today(), "org_id").await?;
    let (full, prob) = if m.status == "full" { (1, 0) } else { (0, 1) };
    adjust_totals(tx, &path, -full, -prob).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberEnd,
            subject: Subject::member(member_id),
            before: Some(json!({"status": m.status})),
            after: Some(json!({"end_kind": kind.as_str(), "ended_on": on})),
        },
    )
    .await?;
    Ok(())
}
