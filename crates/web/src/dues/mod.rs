//! Party dues: what each member's dues are computed from, the decisions that exempt or reduce
//! them, the payments the cell records, a member's year, a cell's month, and the report of a
//! subtree with what each level keeps and passes up (`domain-rules.md` §11). Reads are scoped
//! to the account's subtree (a member reads only the own dues); changes need a role that keeps
//! the dues ([`Role::may_keep_dues`]).
//!
//! [`Role::may_keep_dues`]: dangvu_domain::accounts::Role::may_keep_dues

pub mod api;
pub mod pages;

use chrono::Datelike;
use dangvu_domain::calendar;
use dangvu_domain::dues::{Basis, Category, Exemption, ExemptionKind, Method, Month};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree::is_within;
use dangvu_domain::tasks::Period;
use dangvu_store::accounts::SessionUser;
use dangvu_store::dues::book::{self, Rules};
use dangvu_store::dues::{
    BasisRecord, BookLine, DuesReport, ExemptionRecord, MemberDues, NewExemption, NewPayment, Payment, ledger,
};
use dangvu_store::orgs::Org;
use dangvu_store::settings::{self, Settings};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{scope_org, visible_org};
use crate::usecase::{actor, in_tx};

fn require_reader(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.reads_dues() { Ok(()) } else { Err(AppError::forbidden()) }
}

fn require_keeper(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_keep_dues() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Tài khoản này không ghi sổ đảng phí".into()))
    }
}

fn rules(s: &Settings) -> Rules<'_> {
    Rules { dues: &s.dues_rules, personnel: &s.personnel_rules }
}

/// A month as typed (`YYYY-MM` or `MM/YYYY`), named by its field when it is not one.
pub fn month_field(raw: &str, field: &str) -> Result<Month, AppError> {
    Month::parse(raw).ok_or_else(|| AppError::invalid(field, "Tháng không hợp lệ (YYYY-MM)"))
}

/// A period of the dues report: a month (`2026-03`), a quarter, a half or a year (as for the
/// task reports); this year by default.
pub fn period(raw: Option<&str>) -> Result<(Month, Month), AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        let year = calendar::today().year();
        return Ok((Month::new(year, 1).unwrap_or(Month::of(calendar::today())), Month::of(calendar::today())));
    };
    if let Some(m) = Month::parse(raw) {
        return Ok((m, m));
    }
    let p = Period::parse(raw)
        .ok_or_else(|| AppError::invalid("period", "Kỳ báo cáo: 2026-03, 2026-Q1, 2026-H1 hoặc 2026"))?;
    Ok((Month::of(p.from), Month::of(p.to)))
}

/// A member whose dues the account changes: in scope, and the account keeps the dues.
async fn kept_member(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
) -> Result<dangvu_store::members::Member, AppError> {
    require_keeper(user)?;
    let m = crate::members::visible_member(state, user, id).await?;
    if m.ended_on.is_some() {
        return Err(AppError::invalid("member_id", "Đảng viên đã ra khỏi danh sách"));
    }
    Ok(m)
}

/// Sets what a member's dues are computed from, from a month on.
pub async fn set_basis(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    from: &str,
    category: &str,
    base: Option<i64>,
) -> Result<Vec<BasisRecord>, AppError> {
    kept_member(state, user, id).await?;
    let from = month_field(from, "from")?;
    let category = Category::parse(category.trim())
        .ok_or_else(|| AppError::invalid("category", "Đối tượng: insured, pensioner, student hoặc other"))?;
    let basis = Basis { from, category, base };
    in_tx(state, async |tx| ledger::set_basis(tx, &actor(user), id, basis).await).await?;
    Ok(ledger::bases(&state.db, id).await?)
}

/// A member's dues for a year (whoever reads the record; the member the own).
pub async fn member_dues(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    year: Option<i32>,
) -> Result<MemberDues, AppError> {
    crate::members::visible_member(state, user, id).await?;
    if user.user.member_id != Some(id) {
        require_reader(user)?;
    }
    let today = calendar::today();
    let year = year.unwrap_or(today.year());
    let s = settings::get(&state.db).await?;
    book::member_year(&state.db, id, year, today, &rules(&s)).await?.ok_or(AppError::NotFound)
}

/// A payment as typed.
pub struct PaymentInput {
    pub member_id: MemberId,
    pub month: String,
    pub amount: i64,
    pub paid_on: String,
    pub method: String,
    pub reference: Option<String>,
}

fn parse_payment(p: PaymentInput, at: &str) -> Result<NewPayment, AppError> {
    let month = month_field(&p.month, &format!("{at}month"))?;
    let paid_on = crate::scope::optional_date(Some(&p.paid_on), &format!("{at}paid_on"))?
        .ok_or_else(|| AppError::invalid(&format!("{at}paid_on"), "Ghi ngày nộp"))?;
    let method = Method::parse(p.method.trim())
        .ok_or_else(|| AppError::invalid(&format!("{at}method"), "Hình thức nộp: cash, portal hoặc bank"))?;
    Ok(NewPayment { member_id: p.member_id, month, amount: p.amount, paid_on, method, reference: p.reference })
}

/// Records payments collected by the cell `org_id` from its members, all or none.
pub async fn record_payments(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    inputs: Vec<PaymentInput>,
) -> Result<Vec<Payment>, AppError> {
    require_keeper(user)?;
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    if !org.kind.holds_members() {
        return Err(AppError::invalid("org_id", "Đảng phí ghi vào sổ của chi bộ"));
    }
    if inputs.is_empty() || inputs.len() > 2000 {
        return Err(AppError::invalid("payments", "Từ 1 đến 2000 khoản nộp mỗi lần"));
    }
    let single = inputs.len() == 1;
    let payments: Vec<NewPayment> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, p)| parse_payment(p, &if single { String::new() } else { format!("payments[{i}].") }))
        .collect::<Result<_, _>>()?;
    let s = settings::get(&state.db).await?;
    let facts = book::facts_of_subtree(&state.db, &org.path, &rules(&s)).await?;
    in_tx(state, async |tx| {
        ledger::record_payments(tx, &actor(user), org.id, &payments, |member, month| {
            facts.get(&member).filter(|(cell, _)| *cell == org.id).map(|(_, f)| f.in_party(month))
        })
        .await
    })
    .await
}

/// Records one member's payment in the member's cell (CONTRACT.md).
pub async fn record_payment(state: &AppState, user: &SessionUser, input: PaymentInput) -> Result<Payment, AppError> {
    let m = kept_member(state, user, input.member_id).await?;
    let mut paid = record_payments(state, user, m.org_id, vec![input]).await?;
    paid.pop().ok_or(AppError::NotFound)
}

/// An exemption or reduction as typed.
pub struct ExemptionInput {
    pub kind: String,
    pub percent: Option<u32>,
    pub from: String,
    pub until: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<OrgId>,
    pub reference: String,
}

/// The organisation that decides a member's exemption by default (QĐ 01 Đ5, `domain-rules.md`
/// §11.3): a grassroots cell decides itself; a cell under a grassroots committee, the committee.
fn deciding_org(cell: &Org) -> OrgId {
    match (cell.kind, cell.parent_id) {
        (OrgKind::Cell, Some(parent)) => parent,
        _ => cell.id,
    }
}

/// Records a decision exempting a member or reducing the dues.
pub async fn add_exemption(
    state: &AppState,
    user: &SessionUser,
    id: MemberId,
    input: ExemptionInput,
) -> Result<ExemptionRecord, AppError> {
    let m = kept_member(state, user, id).await?;
    let today = calendar::today();
    let cell = visible_org(state, user, m.org_id, today).await?;
    let kind = ExemptionKind::parse(input.kind.trim())
        .ok_or_else(|| AppError::invalid("kind", "Trường hợp: social_pension, special_hardship hoặc hardship"))?;
    let from = month_field(&input.from, "from")?;
    let until =
        input.until.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(|u| month_field(u, "until")).transpose()?;
    let decided_on = crate::scope::optional_date(input.decided_on.as_deref(), "decided_on")?.unwrap_or(today);
    let decided_by = match input.decided_by {
        None => deciding_org(&cell),
        Some(org) => {
            let o = visible_org(state, user, org, today)
                .await
                .map_err(|_| AppError::invalid("decided_by", "Không có tổ chức này trong phạm vi của bạn"))?;
            if !is_within(&cell.path, &o.path) {
                return Err(AppError::invalid(
                    "decided_by",
                    "Tổ chức quyết định là chi bộ hoặc cấp ủy cấp trên của đảng viên",
                ));
            }
            o.id
        }
    };
    let exemption = Exemption { kind, percent: input.percent.unwrap_or(100), from, until };
    let s = settings::get(&state.db).await?;
    let new = NewExemption { exemption, decided_on, decided_by, reference: input.reference };
    in_tx(state, async |tx| ledger::add_exemption(tx, &actor(user), id, new, &s.dues_rules).await).await
}

/// The organisation whose dues the account reads (the top of its scope by default).
pub async fn dues_org(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<Org, AppError> {
    let org = scope_org(state, user, org_id).await?;
    require_reader(user)?;
    Ok(org)
}

/// The book of a subtree (a cell, usually) for a month.
pub async fn month_book(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    month: Option<&str>,
) -> Result<(Org, Month, Vec<BookLine>), AppError> {
    let org = dues_org(state, user, org_id).await?;
    let today = calendar::today();
    let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
        Some(raw) => month_field(raw, "month")?,
        None => Month::of(today),
    };
    let s = settings::get(&state.db).await?;
    let lines = book::month_book(&state.db, &org.path, month, today, &rules(&s)).await?;
    Ok((org, month, lines))
}

/// The dues report of a subtree for a period (CONTRACT.md).
pub async fn report(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    period_raw: Option<&str>,
) -> Result<DuesReport, AppError> {
    let org = dues_org(state, user, org_id).await?;
    let (from, to) = period(period_raw)?;
    let s = settings::get(&state.db).await?;
    Ok(book::report(&state.db, org.id, &org.path, from, to, calendar::today(), &rules(&s)).await?)
}

/// Sets the region of an organisation's area and the share it keeps.
pub async fn set_unit(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    region: Option<u8>,
    keeps: Option<u32>,
) -> Result<(Option<u8>, Option<u32>), AppError> {
    require_keeper(user)?;
    let org = visible_org(state, user, org_id, calendar::today()).await?;
    in_tx(state, async |tx| ledger::set_unit(tx, &actor(user), org.id, region, keeps).await).await?;
    Ok((region, keeps))
}

/// Dues: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
