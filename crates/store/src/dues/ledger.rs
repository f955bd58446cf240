//! The rows the dues are computed from, and the payments: each write checked, in the caller's
//! transaction, with its audit entry.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::dues::{Basis, Category, DuesRules, Exemption, ExemptionKind, Method, Month};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, StoreError, Tx, params};

/// The largest payment of one month recorded (a member paying far more is encouraged, but a
/// typing slip of three zeros should be caught).
pub const MAX_PAYMENT: i64 = 100_000_000;

/// How far ahead a member may pay.
pub const MONTHS_AHEAD: i32 = 12;

/// A basis as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BasisRecord {
    #[schema(value_type = String, example = "2026-02")]
    pub from: Month,
    #[schema(value_type = String)]
    pub category: Category,
    pub category_label: &'static str,
    pub base: Option<i64>,
}

/// Sets what a member's dues are computed from, from `basis.from` on; a basis already starting
/// that month is replaced.
pub async fn set_basis(tx: &mut Tx, actor: &Actor, member: MemberId, basis: Basis) -> Result<(), StoreError> {
    let mut p = Problems::new();
    basis.check(&mut p);
    p.finish().map_err(StoreError::Invalid)?;
    let base = basis.base.filter(|_| matches!(basis.category, Category::Insured | Category::Pensioner));
    let before = tx
        .query_one(
            "SELECT category, base FROM dues_bases WHERE member_id = $1 AND from_month = $2",
            params![member, basis.from.to_string()],
        )
        .await?
        .map(|r| Ok::<_, StoreError>(json!({"category": r.text(0)?, "base": r.opt_int(1)?})))
        .transpose()?;
    tx.execute(
        "INSERT INTO dues_bases (member_id, from_month, category, base, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (member_id, from_month) DO UPDATE SET category = $3, base = $4, recorded_by = $5, recorded_at = $6",
        params![member, basis.from.to_string(), basis.category.as_str(), base, actor.id, crate::now_micros()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DuesBasis,
            subject: Subject::member(member),
            before,
            after: Some(json!({"from": basis.from, "category": basis.category.as_str(), "base": base})),
        },
    )
    .await?;
    Ok(())
}

/// A member's bases, oldest first.
pub async fn bases(db: &Db, member: MemberId) -> Result<Vec<BasisRecord>, StoreError> {
    db.query(
        "SELECT from_month, category, base FROM dues_bases WHERE member_id = $1 ORDER BY from_month",
        params![member],
    )
    .await?
    .iter()
    .map(|r| {
        let category = r.word(1, Category::parse)?;
        Ok(BasisRecord {
            from: r.word(0, Month::parse)?,
            category,
            category_label: category.label(),
            base: r.opt_int(2)?,
        })
    })
    .collect()
}

pub struct NewExemption {
    pub exemption: Exemption,
    pub decided_on: NaiveDate,
    /// The organisation that decided (the cell's committee, or the grassroots cell itself).
    pub decided_by: OrgId,
    /// The decision's number or the minutes that record it.
    pub reference: String,
}

/// A decision as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExemptionRecord {
    pub id: i64,
    #[schema(value_type = String)]
    pub kind: ExemptionKind,
    pub kind_label: &'static str,
    pub percent: u32,
    #[schema(value_type = String)]
    pub from: Month,
    #[schema(value_type = Option<String>)]
    pub until: Option<Month>,
    pub decided_on: NaiveDate,
    #[schema(value_type = i64)]
    pub decided_by: OrgId,
    pub reference: String,
}

/// Records an exemption or reduction of a member's dues.
pub async fn add_exemption(
    tx: &mut Tx,
    actor: &Actor,
    member: MemberId,
    new: NewExemption,
    rules: &DuesRules,
) -> Result<ExemptionRecord, StoreError> {
    let mut p = Problems::new();
    new.exemption.check(rules, &mut p);
    let reference = clean(&new.reference);
    if reference.is_empty() || reference.chars().count() > 200 {
        p.add("reference", "Ghi số quyết định hoặc biên bản họp chi bộ (1–200 ký tự)");
    }
    if new.decided_on > calendar::today() {
        p.add("decided_on", "Ngày quyết định ở tương lai");
    }
    p.finish().map_err(StoreError::Invalid)?;
    let e = new.exemption;
    let id = tx
        .query_one(
            "INSERT INTO dues_exemptions (member_id, kind, percent, from_month, until_month, decided_on, decided_by,
                                          reference, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            params![
                member,
                e.kind.as_str(),
                i64::from(e.percent),
                e.from.to_string(),
                e.until.map(|u| u.to_string()),
                new.decided_on,
                new.decided_by,
                reference.as_str(),
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
            action: Action::DuesExemption,
            subject: Subject::member(member),
            before: None,
            after: Some(json!({
                "exemption_id": id, "kind": e.kind.as_str(), "percent": e.percent, "from": e.from, "until": e.until,
                "decided_on": new.decided_on, "decided_by": new.decided_by, "reference": reference,
            })),
        },
    )
    .await?;
    Ok(ExemptionRecord {
        id,
        kind: e.kind,
        kind_label: e.kind.label(),
        percent: e.percent,
        from: e.from,
        until: e.until,
        decided_on: new.decided_on,
        decided_by: new.decided_by,
        reference,
    })
}

pub(crate) fn exemption_from_row(r: &crate::Row, at: usize) -> Result<ExemptionRecord, StoreError> {
    let kind = r.word(at + 1, ExemptionKind::parse)?;
    Ok(ExemptionRecord {
        id: r.int(at)?,
        kind,
        kind_label: kind.label(),
        percent: u32::try_from(r.int(at + 2)?).unwrap_or(0),
        from: r.word(at + 3, Month::parse)?,
        until: r.opt_word(at + 4, Month::parse)?,
        decided_on: r.date(at + 5)?,
        decided_by: r.id(at + 6)?,
        reference: r.text(at + 7)?,
    })
}

pub(crate) const EXEMPTION_COLUMNS: &str =
    "id, kind, percent, from_month, until_month, decided_on, decided_by, reference";

/// A member's decisions, oldest first.
pub async fn exemptions(db: &Db, member: MemberId) -> Result<Vec<ExemptionRecord>, StoreError> {
    let sql = format!("SELECT {EXEMPTION_COLUMNS} FROM dues_exemptions WHERE member_id = $1 ORDER BY from_month, id");
    db.query(&sql, params![member]).await?.iter().map(|r| exemption_from_row(r, 0)).collect()
}

/// One payment to record.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub member_id: MemberId,
    pub month: Month,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub method: Method,
    /// The portal's transaction code or the bank's reference; the receipt number for cash.
    pub reference: Option<String>,
}

/// A payment as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Payment {
    pub id: i64,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    pub amount: i64,
    pub paid_on: NaiveDate,
    #[schema(value_type = String)]
    pub method: Method,
    pub method_label: &'static str,
    pub reference: Option<String>,
}

/// Checks one payment's own fields; `at` names it in a batch (`payments[3].amount`).
fn check_payment(p: &NewPayment, at: &str, today: NaiveDate, problems: &mut Problems) -> Option<String> {
    if !(1..=MAX_PAYMENT).contains(&p.amount) {
        problems.add(format!("{at}amount"), "Số tiền từ 1 đến 100.000.000 đồng");
    }
    if p.paid_on > today {
        problems.add(format!("{at}paid_on"), "Ngày nộp ở tương lai");
    }
    if p.month > Month::of(today).plus(MONTHS_AHEAD) {
        problems.add(format!("{at}month"), format!("Nộp trước tối đa {MONTHS_AHEAD} tháng"));
    }
    let reference = p.reference.as_deref().map(clean).filter(|r| !r.is_empty());
    if reference.as_ref().is_some_and(|r| r.chars().count() > 100) {
        problems.add(format!("{at}reference"), "Mã giao dịch tối đa 100 ký tự");
    }
    if p.method == Method::Portal && reference.is_none() {
        problems.add(format!("{at}reference"), "Nộp qua Cổng Dịch vụ công: nhập mã giao dịch");
    }
    reference
}

/// Records payments collected by the cell `org_id` from its members, all or none. Each member
/// belongs to the cell, and to the Party in the month paid for; a portal or bank reference is
/// recorded once per member.
pub async fn record_payments(
    tx: &mut Tx,
    actor: &Actor,
    org_id: OrgId,
    payments: &[NewPayment],
    in_party: impl Fn(MemberId, Month) -> Option<bool>,
) -> Result<Vec<Payment>, StoreError> {
    let today = calendar::today();
    let mut problems = Problems::new();
    let single = payments.len() == 1;
    let mut references = Vec::with_capacity(payments.len());
    for (i, p) in payments.iter().enumerate() {
        let at = if single { String::new() } else { format!("payments[{i}].") };
        references.push(check_payment(p, &at, today, &mut problems));
        match in_party(p.member_id, p.month) {
            None => problems.add(format!("{at}member_id"), "Đảng viên không thuộc chi bộ này"),
            Some(false) => problems.add(format!("{at}month"), "Tháng này đảng viên không sinh hoạt đảng"),
            Some(true) => {}
        }
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let mut recorded = Vec::with_capacity(payments.len());
    let now = crate::now_micros();
    for (p, reference) in payments.iter().zip(&references) {
        if let Some(reference) = reference {
            let seen = tx
                .query_one(
                    "SELECT 1 FROM dues_payments WHERE member_id = $1 AND method = $2 AND reference = $3",
                    params![p.member_id, p.method.as_str(), reference.as_str()],
                )
                .await?;
            if seen.is_some() {
                return Err(StoreError::invalid("reference", format!("Giao dịch {reference} đã được ghi nhận")));
            }
        }
        let id = tx
            .query_one(
                "INSERT INTO dues_payments (member_id, org_id, month, amount, paid_on, method, reference, recorded_by,
                                            recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                params![
                    p.member_id,
                    org_id,
                    p.month.to_string(),
                    p.amount,
                    p.paid_on,
                    p.method.as_str(),
                    reference.as_deref(),
                    actor.id,
                    now
                ],
            )
            .await?
            .ok_or(StoreError::NotFound)?
            .int(0)?;
        add_to_year(tx, p.member_id, p.month, p.amount).await?;
        recorded.push(Payment {
            id,
            member_id: p.member_id,
            month: p.month,
            amount: p.amount,
            paid_on: p.paid_on,
            method: p.method,
            method_label: p.method.label(),
            reference: reference.clone(),
        });
    }
    // One entry for the batch: what a cell's treasurer entered at one sitting.
    let total: i64 = payments.iter().map(|p| p.amount).sum();
    let subject = match payments {
        [one] => Subject::member(one.member_id),
        _ => Subject::org(org_id),
    };
    let months: Vec<String> = {
        let mut m: Vec<String> = payments.iter().map(|p| p.month.to_string()).collect();
        m.sort();
        m.dedup();
        m
    };
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DuesPayment,
            subject,
            before: None,
            after: Some(json!({"org_id": org_id, "payments": payments.len(), "amount": total, "months": months})),
        },
    )
    .await?;
    Ok(recorded)
}

/// Adds a payment to what the member paid for its month, kept by year (`dues_paid_years`).
async fn add_to_year(tx: &mut Tx, member: MemberId, month: Month, amount: i64) -> Result<(), StoreError> {
    let column = format!("m{:02}", month.month());
    let sql = format!(
        "INSERT INTO dues_paid_years (member_id, year, {column}) VALUES ($1, $2, $3)
         ON CONFLICT (member_id, year) DO UPDATE SET {column} = dues_paid_years.{column} + excluded.{column}"
    );
    tx.execute(&sql, params![member, i64::from(month.year()), amount]).await?;
    Ok(())
}

/// Writes `dues_paid_years` again from the payments: after payments were loaded in bulk (the
/// demo, a bench), not one by one.
pub async fn rebuild_paid_years(tx: &mut Tx) -> Result<(), StoreError> {
    let months: Vec<String> =
        (1..=12).map(|m| format!("SUM(CASE WHEN substr(month, 6, 2) = '{m:02}' THEN amount ELSE 0 END)")).collect();
    let columns: Vec<String> = (1..=12).map(|m| format!("m{m:02}")).collect();
    tx.execute("DELETE FROM dues_paid_years", &[]).await?;
    let sql = format!(
        "INSERT INTO dues_paid_years (member_id, year, {})
         SELECT member_id, CAST(substr(month, 1, 4) AS BIGINT), {} FROM dues_payments
         GROUP BY member_id, substr(month, 1, 4)",
        columns.join(", "),
        months.join(", ")
    );
    tx.execute(&sql, &[]).await?;
    Ok(())
}

pub(crate) const PAYMENT_COLUMNS: &str = "id, member_id, month, amount, paid_on, method, reference";

pub(crate) fn payment_from_row(r: &crate::Row) -> Result<Payment, StoreError> {
    let method = r.word(5, Method::parse)?;
    Ok(Payment {
        id: r.int(0)?,
        member_id: r.id(1)?,
        month: r.word(2, Month::parse)?,
        amount: r.int(3)?,
        paid_on: r.date(4)?,
        method,
        method_label: method.label(),
        reference: r.opt_text(6)?,
    })
}

/// A member's payments for the months `from..=to`, by month.
pub async fn payments(db: &Db, member: MemberId, from: Month, to: Month) -> Result<Vec<Payment>, StoreError> {
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM dues_payments WHERE member_id = $1 AND month >= $2 AND month <= $3
         ORDER BY month, paid_on, id"
    );
    db.query(&sql, params![member, from.to_string(), to.to_string()]).await?.iter().map(payment_from_row).collect()
}

/// Sets the region of an organisation's area and the share it keeps (`None`: inherited, or the
/// settings' share).
pub async fn set_unit(
    tx: &mut Tx,
    actor: &Actor,
    org_id: OrgId,
    region: Option<u8>,
    keeps: Option<u32>,
) -> Result<(), StoreError> {
    let mut p = Problems::new();
    if region.is_some_and(|r| !(1..=4).contains(&r)) {
        p.add("region", "Vùng từ 1 đến 4 (Nghị định về lương tối thiểu vùng)");
    }
    if keeps.is_some_and(|k| k > 100) {
        p.add("keeps", "Tỷ lệ trích giữ lại từ 0 đến 100%");
    }
    p.finish().map_err(StoreError::Invalid)?;
    let before = tx
        .query_one("SELECT region, keeps FROM dues_units WHERE org_id = $1", params![org_id])
        .await?
        .map(|r| Ok::<_, StoreError>(json!({"region": r.opt_int(0)?, "keeps": r.opt_int(1)?})))
        .transpose()?;
    let values: [Value; 3] =
        [Value::from(org_id), Value::from(region.map(i64::from)), Value::from(keeps.map(i64::from))];
    tx.execute(
        "INSERT INTO dues_units (org_id, region, keeps) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE SET region = $2, keeps = $3",
        &values,
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DuesUnit,
            subject: Subject::org(org_id),
            before,
            after: Some(json!({"region": region, "keeps": keeps})),
        },
    )
    .await?;
    Ok(())
}
