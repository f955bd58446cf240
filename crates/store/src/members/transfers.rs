//! Transfers between cells (chuyển sinh hoạt đảng): the move itself, its history, and the
//! receiving side's confirmation that the member presented the introduction letter.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{
    HolidayCalendar, MembershipRules, TemporaryReason, TransferKind, check_temporary_transfer,
    introduction_letter_due_on,
};
use dangvu_domain::orgs::tree;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{adjust_totals, cell_path};
use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, params};

/// A transfer as ordered: where to, how, from when (and until when, if temporary).
#[derive(Debug, Clone, Copy)]
pub struct NewTransfer<'a> {
    pub to_org_id: OrgId,
    /// `official` or `temporary`.
    pub kind: &'a str,
    pub effective_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
}

/// One transfer, with the names of both cells as they are now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Transfer {
    pub id: i64,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub member_name: String,
    #[schema(value_type = i64)]
    pub from_org_id: OrgId,
    pub from_org_name: String,
    #[schema(value_type = i64)]
    pub to_org_id: OrgId,
    pub to_org_name: String,
    /// `official` or `temporary`.
    pub kind: String,
    pub effective_on: NaiveDate,
    /// The end of a temporary transfer.
    pub until_on: Option<NaiveDate>,
    /// The receiving chi bộ confirmed the member's arrival on this day.
    pub confirmed_on: Option<NaiveDate>,
    /// The last day to present the introduction letter (30 working days, Quy định 294-QĐ/TW).
    pub letter_due_on: NaiveDate,
    /// Not confirmed and past `letter_due_on`.
    pub late: bool,
}

const NAME_OF: &str = "(SELECT v.name FROM org_versions v WHERE v.org_id = {} ORDER BY v.valid_from DESC LIMIT 1)";

fn select() -> String {
    format!(
        "SELECT t.id, t.member_id, m.full_name, t.from_org_id, {}, t.to_org_id, {}, t.kind, t.effective_on, t.until_on,
                t.confirmed_on
         FROM transfers t JOIN members m ON m.id = t.member_id",
        NAME_OF.replace("{}", "t.from_org_id"),
        NAME_OF.replace("{}", "t.to_org_id")
    )
}

fn from_row(
    r: &Row,
    today: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> Result<Transfer, StoreError> {
    let effective_on = r.date(8)?;
    let confirmed_on = r.opt_date(10)?;
    let letter_due_on = introduction_letter_due_on(effective_on, rules, calendar);
    Ok(Transfer {
        id: r.int(0)?,
        member_id: r.id(1)?,
        member_name: r.text(2)?,
        from_org_id: r.id(3)?,
        from_org_name: r.opt_text(4)?.unwrap_or_default(),
        to_org_id: r.id(5)?,
        to_org_name: r.opt_text(6)?.unwrap_or_default(),
        kind: r.text(7)?,
        effective_on,
        until_on: r.opt_date(9)?,
        confirmed_on,
        letter_due_on,
        late: confirmed_on.is_none() && letter_due_on < today,
    })
}

/// A member's transfers, oldest first.
pub async fn transfers_of(
    db: &Db,
    member_id: MemberId,
    today: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> Result<Vec<Transfer>, StoreError> {
    let sql = format!("{} WHERE t.member_id = $1 ORDER BY t.effective_on, t.id", select());
    db.query(&sql, params![member_id]).await?.iter().map(|r| from_row(r, today, rules, calendar)).collect()
}

/// Transfers into cells of the subtree at `path` that the receiving side has not confirmed,
/// the oldest first (the late ones lead).
pub async fn pending_transfers(
    db: &Db,
    path: &str,
    today: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> Result<Vec<Transfer>, StoreError> {
    let sql = format!(
        "{} JOIN org_versions v ON v.org_id = t.to_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE t.confirmed_on IS NULL AND v.path >= $1 AND v.path < $2 ORDER BY t.effective_on, t.id LIMIT 1000",
        select()
    );
    db.query(&sql, params![path, tree::subtree_end(path), today])
        .await?
        .iter()
        .map(|r| from_row(r, today, rules, calendar))
        .collect()
}

/// The receiving cell confirms the transfer. Answers the receiving cell's id (for the
/// caller's scope check, done before) — the transfer must exist and be unconfirmed.
pub async fn confirm_transfer(tx: &mut Tx, actor: &Actor, transfer_id: i64, on: NaiveDate) -> Result<(), StoreError> {
    let row = tx
        .query_one("SELECT effective_on, confirmed_on, member_id FROM transfers WHERE id = $1", params![transfer_id])
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("transfer", "Việc chuyển sinh hoạt này đã được xác nhận"));
    }
    if on < row.date(0)? || on > calendar::today() {
        return Err(StoreError::invalid("confirmed_on", "Ngày xác nhận từ ngày chuyển đến hôm nay"));
    }
    tx.execute(
        "UPDATE transfers SET confirmed_on = $2, confirmed_by = $3 WHERE id = $1",
        params![transfer_id, on, actor.id],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberTransferConfirm,
            subject: Subject::member(row.id(2)?),
            before: None,
            after: Some(json!({"transfer_id": transfer_id, "confirmed_on": on})),
        },
    )
    .await?;
    Ok(())
}

/// The receiving cell of a transfer, for scope checks.
pub async fn transfer_target(db: &Db, transfer_id: i64) -> Result<Option<OrgId>, StoreError> {
    db.query_one("SELECT to_org_id FROM transfers WHERE id = $1", params![transfer_id])
        .await?
        .map(|r| r.id(0))
        .transpose()
}

/// Moves a member to another cell from `on`: the old period ends, a new one starts, the
/// totals follow, and the transfer is kept with its kind.
pub async fn transfer(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    order: &NewTransfer<'_>,
    rules: &MembershipRules,
) -> Result<(), StoreError> {
    let NewTransfer { to_org_id, kind, effective_on: on, until_on } = *order;
    let row = tx
        .query_one("SELECT org_id, status, ended_on FROM members WHERE id = $1", params![member_id])
        .await?
        .ok_or(StoreError::NotFound)?;
    let (from_org, status): (OrgId, _) = (row.id(0)?, row.text(1)?);
    if row.opt_date(2)?.is_some() {
        return Err(StoreError::invalid("member", "Người này không còn là đảng viên"));
    }
    match (TransferKind::parse(kind), until_on) {
        (None, _) => return Err(StoreError::invalid("kind", "Hình thức chuyển là official hoặc temporary")),
        (Some(TransferKind::Official), Some(_)) => {
            return Err(StoreError::invalid("until_on", "Chuyển sinh hoạt chính thức không có ngày kết thúc"));
        }
        (Some(TransferKind::Temporary), None) => {
            return Err(StoreError::invalid("until_on", "Chuyển sinh hoạt tạm thời cần ngày kết thúc"));
        }
        // 3 months to 2 years covers both cases of the rule (work or residence: under a year;
        // a training course: up to two years).
        (Some(TransferKind::Temporary), Some(until)) => {
            check_temporary_transfer(TemporaryReason::Training, on, until, rules)
                .map_err(|e| StoreError::invalid("until_on", e.to_string()))?;
        }
        (Some(TransferKind::Official), None) => {}
    }
    if from_org == to_org_id {
        return Err(StoreError::invalid("to_org_id", "Đảng viên đang sinh hoạt ở chi bộ này"));
    }
    let last_start = tx
        .query_one("SELECT MAX(valid_from) FROM member_periods WHERE member_id = $1", params![member_id])
        .await?
        .map(|r| r.opt_date(0))
        .transpose()?
        .flatten();
    if last_start.is_some_and(|s| on <= s) {
        return Err(StoreError::invalid("effective_on", "Ngày chuyển phải sau lần thay đổi gần nhất"));
    }
    let today = calendar::today();
    let to_path = cell_path(tx, to_org_id, today, "to_org_id").await?;
    let from_path = cell_path(tx, from_org, today, "org_id").await?;
    tx.execute(
        "UPDATE member_periods SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL",
        params![member_id, on],
    )
    .await?;
    tx.execute(
        "INSERT INTO member_periods (member_id, org_id, status, valid_from) VALUES ($1, $2, $3, $4)",
        params![member_id, to_org_id, status.as_str(), on],
    )
    .await?;
    tx.execute("UPDATE members SET org_id = $2 WHERE id = $1", params![member_id, to_org_id]).await?;
    tx.execute(
        "INSERT INTO transfers (member_id, from_org_id, to_org_id, kind, effective_on, until_on, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![member_id, from_org, to_org_id, kind, on, until_on, actor.id, crate::now_micros()],
    )
    .await?;
    let (f, p) = if status == "full" { (1, 0) } else { (0, 1) };
    adjust_totals(tx, &from_path, -f, -p).await?;
    adjust_totals(tx, &to_path, f, p).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberTransfer,
            subject: Subject::member(member_id),
            before: Some(json!({"org_id": from_org})),
            after: Some(json!({"org_id": to_org_id, "kind": kind, "effective_on": on, "until_on": until_on})),
        },
    )
    .await?;
    Ok(())
}
