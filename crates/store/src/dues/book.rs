//! The dues books, read from the ledger with the rules: a member's year, a cell's month, the
//! arrears of a subtree and its report with what each level keeps and passes up.
//!
//! Every book loads the same [`Ledger`] of a subtree (its members, their bases, decisions and
//! what they paid, month by month) in five statements whatever its size, then the domain's rules
//! compute each member's months in memory. A member's months are counted where the member is
//! now: a member who moved brings the year's book along.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::dues::{
    Basis, Category, DuesRules, Exempt, Exemption, ExemptionKind, MemberFacts, Month, MonthLine, Unit, YearDues,
    allocate, months_due, year_dues,
};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{Gender, InactivePeriod};
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree::{ids, subtree_end};
use dangvu_domain::personnel::PersonnelRules;
use dangvu_domain::personnel::limits::{ramp, retirement_date};
use serde::Serialize;
use utoipa::ToSchema;

use super::ledger::{BasisRecord, ExemptionRecord, Payment};
use crate::rewards::badges::{add_period, periods_statements};
use crate::{Db, StoreError, params};

/// The numbers the books need: the dues rules and the retirement ramp.
pub struct Rules<'a> {
    pub dues: &'a DuesRules,
    pub personnel: &'a PersonnelRules,
}

/// A member as the books read it.
struct Holder {
    id: MemberId,
    full_name: String,
    org_id: OrgId,
    facts: MemberFacts,
}

/// Everything the books of a subtree compute from, for the months `from..=to`.
struct Ledger {
    holders: Vec<Holder>,
    bases: Bases,
    exemptions: Decisions,
    /// What each member paid, by year: the twelve months.
    paid: HashMap<(MemberId, i32), [i64; 12]>,
    /// The region and share set on organisations (`dues_units`).
    units: HashMap<OrgId, (Option<u8>, Option<u32>)>,
}

/// Which members a ledger reads: a subtree's, or one member.
#[derive(Clone, Copy)]
enum Whose<'a> {
    Subtree(&'a str),
    Member(MemberId),
}

impl Whose<'_> {
    /// The clause on `m` (members) and `o` (their organisation now) and its values from `$n`.
    fn clause(&self, n: usize) -> (String, Vec<crate::db::Value>) {
        match self {
            Whose::Subtree(path) => (
                format!("o.path >= ${n} AND o.path < ${}", n + 1),
                vec![crate::db::Value::from(*path), crate::db::Value::from(subtree_end(path))],
            ),
            Whose::Member(id) => (format!("m.id = ${n}"), vec![crate::db::Value::from(*id)]),
        }
    }
}

const MEMBERS_OF: &str = "FROM members m JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL";

/// The region of every organisation that set one, and the share it keeps.
async fn units(db: &Db) -> Result<HashMap<OrgId, (Option<u8>, Option<u32>)>, StoreError> {
    let mut units = HashMap::new();
    for r in db.query("SELECT org_id, region, keeps FROM dues_units", &[]).await? {
        let region = r.opt_int(1)?.and_then(|v| u8::try_from(v).ok());
        let keeps = r.opt_int(2)?.and_then(|v| u32::try_from(v).ok());
        units.insert(r.id(0)?, (region, keeps));
    }
    Ok(units)
}

/// The region of the organisation at `path`: its own, else the nearest above, else the
/// settings'.
fn region_of(path: &str, units: &HashMap<OrgId, (Option<u8>, Option<u32>)>, rules: &DuesRules) -> u8 {
    ids(path).iter().rev().find_map(|id| units.get(id).and_then(|u| u.0)).unwrap_or(rules.default_region)
}

async fn load(db: &Db, whose: Whose<'_>, from: Month, to: Month, rules: &Rules<'_>) -> Result<Ledger, StoreError> {
    // The bases and decisions are read on a task of their own, on another of the pool's
    // connections, while this one reads the members with what they paid.
    let (clause, values) = whose.clause(1);
    let other = db.clone();
    let side = tokio::spawn(async move { bases_and_decisions(&other, &clause, &values).await });
    let units = units(db).await?;
    let (clause, mut values) = whose.clause(1);
    let n = values.len();
    values.push(crate::db::Value::from(to.last_day()));
    values.push(crate::db::Value::from(from.first_day()));
    values.push(crate::db::Value::from(i64::from(from.year())));
    // Within one year (every book but a member's history) what was paid comes with the member,
    // a row per member and year (`dues_paid_years`, kept with every payment).
    let one_year = from.year() == to.year();
    let sql = format!(
        "SELECT m.id, m.full_name, m.org_id, o.path, m.admitted_on, m.ended_on, m.birth_date, m.gender,
                m.inactive_periods, {PAID_COLUMNS}
         {MEMBERS_OF}
         LEFT JOIN dues_paid_years p ON p.member_id = m.id AND p.year = ${} AND {one_year}
         WHERE {clause} AND m.admitted_on <= ${} AND (m.ended_on IS NULL OR m.ended_on >= ${})",
        n + 3,
        n + 1,
        n + 2,
        one_year = if one_year { "1 = 1" } else { "1 = 0" },
    );
    let mut holders = Vec::new();
    let mut out = Vec::new();
    let mut paid = HashMap::new();
    for r in db.query(&sql, &values).await? {
        let birth: NaiveDate = r.date(6)?;
        let gender = r.word(7, Gender::parse)?;
        let path = r.text(3)?;
        let id: MemberId = r.id(0)?;
        if r.int(8)? > 0 {
            out.push(id);
        }
        if one_year && let Some(months) = paid_of(&r, 9)? {
            paid.insert((id, from.year()), months);
        }
        holders.push(Holder {
            id,
            full_name: r.text(1)?,
            org_id: r.id(2)?,
            facts: MemberFacts {
                admitted_on: r.date(4)?,
                ended_on: r.opt_date(5)?,
                inactive: Vec::new(),
                retires_on: Some(retirement_date(birth, ramp(rules.personnel, gender))),
                region: region_of(&path, &units, rules.dues),
            },
        });
    }
    let mut periods: HashMap<MemberId, Vec<InactivePeriod>> = HashMap::new();
    for sql in periods_statements(&out) {
        for r in db.query(&sql, &[]).await? {
            add_period(&mut periods, &r)?;
        }
    }
    for h in &mut holders {
        if let Some(p) = periods.remove(&h.id) {
            h.facts.inactive = p;
        }
    }
    if !one_year {
        let (clause, mut values) = whose.clause(1);
        let n = values.len();
        values.push(crate::db::Value::from(i64::from(from.year())));
        values.push(crate::db::Value::from(i64::from(to.year())));
        let sql = format!(
            "SELECT p.member_id, p.year, {PAID_COLUMNS} FROM dues_paid_years p JOIN members m ON m.id = p.member_id
             JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL
             WHERE {clause} AND p.year >= ${} AND p.year <= ${}",
            n + 1,
            n + 2
        );
        for r in db.query(&sql, &values).await? {
            let year = i32::try_from(r.int(1)?).map_err(|e| StoreError::Decode(e.to_string()))?;
            if let Some(months) = paid_of(&r, 2)? {
                paid.insert((r.id(0)?, year), months);
            }
        }
    }
    let (bases, exemptions) = side.await.map_err(|e| StoreError::Engine(e.to_string()))??;
    Ok(Ledger { holders, bases, exemptions, paid, units })
}

const PAID_COLUMNS: &str = "p.m01, p.m02, p.m03, p.m04, p.m05, p.m06, p.m07, p.m08, p.m09, p.m10, p.m11, p.m12";

/// The twelve months paid, read from `at` on; none when the row has no year (a left join).
fn paid_of(r: &crate::Row, at: usize) -> Result<Option<[i64; 12]>, StoreError> {
    if r.opt_int(at)?.is_none() {
        return Ok(None);
    }
    let mut months = [0; 12];
    for (i, m) in months.iter_mut().enumerate() {
        *m = r.int(at + i)?;
    }
    Ok(Some(months))
}

type Bases = HashMap<MemberId, Vec<Basis>>;
type Decisions = HashMap<MemberId, Vec<Exemption>>;

async fn bases_and_decisions(
    db: &Db,
    clause: &str,
    values: &[crate::db::Value],
) -> Result<(Bases, Decisions), StoreError> {
    let mut bases: Bases = HashMap::new();
    let sql = format!(
        "SELECT b.member_id, b.from_month, b.category, b.base FROM dues_bases b JOIN members m ON m.id = b.member_id
         JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL WHERE {clause}"
    );
    for r in db.query(&sql, values).await? {
        bases.entry(r.id(0)?).or_default().push(Basis {
            from: r.word(1, Month::parse)?,
            category: r.word(2, Category::parse)?,
            base: r.opt_int(3)?,
        });
    }
    let mut exemptions: Decisions = HashMap::new();
    let sql = format!(
        "SELECT e.member_id, e.kind, e.percent, e.from_month, e.until_month FROM dues_exemptions e
         JOIN members m ON m.id = e.member_id JOIN org_versions o ON o.org_id = m.org_id AND o.valid_to IS NULL
         WHERE {clause}"
    );
    for r in db.query(&sql, values).await? {
        exemptions.entry(r.id(0)?).or_default().push(Exemption {
            kind: r.word(1, ExemptionKind::parse)?,
            percent: u32::try_from(r.int(2)?).unwrap_or(0),
            from: r.word(3, Month::parse)?,
            until: r.opt_word(4, Month::parse)?,
        });
    }
    Ok((bases, exemptions))
}

impl Ledger {
    /// A member's months `from..=to` as of `current`.
    fn year_of(&self, h: &Holder, from: Month, to: Month, current: Month, rules: &DuesRules) -> YearDues {
        let none_b = Vec::new();
        let none_e = Vec::new();
        let bases = self.bases.get(&h.id).unwrap_or(&none_b);
        let exemptions = self.exemptions.get(&h.id).unwrap_or(&none_e);
        let months = months_due(from, to, &h.facts, bases, exemptions, rules);
        let paid = |m: Month| self.paid.get(&(h.id, m.year())).map_or(0, |months| months[m.month() as usize - 1]);
        year_dues(months, paid, current, rules)
    }
}

/// One month of a member's dues as the API and the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthView {
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    /// In đồng, by the regulation in force that month.
    pub due: i64,
    pub paid: i64,
    /// Nothing is due: fifty years of party age or a decision.
    pub exempt: bool,
    /// Why: `party_age`, or the decision's kind.
    pub exempt_reason: Option<&'static str>,
    /// A reduction's percent (0: none).
    pub reduction: u32,
    /// Over, owed and not paid in full.
    pub unpaid: bool,
    /// The member belongs to the Party this month.
    pub in_party: bool,
    /// `qd342` or `qd01`.
    pub regulation: &'static str,
    pub category: &'static str,
    pub category_label: &'static str,
    /// Whether a basis was declared (otherwise the other members' rate).
    pub declared: bool,
}

impl From<&MonthLine> for MonthView {
    fn from(l: &MonthLine) -> Self {
        MonthView {
            month: l.due.month,
            due: l.due.due,
            paid: l.paid,
            exempt: l.due.exempt.is_some(),
            exempt_reason: l.due.exempt.map(|e| match e {
                Exempt::PartyAge => "party_age",
                Exempt::Decision(k) => k.as_str(),
            }),
            reduction: l.due.reduction,
            unpaid: l.unpaid,
            in_party: l.due.in_party,
            regulation: l.due.regulation.as_str(),
            category: l.due.category.as_str(),
            category_label: l.due.category.label(),
            declared: l.due.declared,
        }
    }
}

/// A member's dues for a year: the contract's answer, with the basis, decisions and payments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberDues {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub year: i32,
    pub months: Vec<MonthView>,
    pub due: i64,
    pub paid: i64,
    pub unpaid_months: u32,
    /// As many unpaid months as the rules name: the cell considers the case (never automatic).
    pub needs_review: bool,
    /// The region (1–4) of the cell's area.
    pub region: u8,
    /// Fifty years of party age (the settings' number) are reached on this day.
    pub exempt_from: Option<NaiveDate>,
    pub bases: Vec<BasisRecord>,
    pub exemptions: Vec<ExemptionRecord>,
    pub payments: Vec<Payment>,
}

/// A member's dues for `year` as of `today`; `None` when the member is not in the registry.
pub async fn member_year(
    db: &Db,
    member: MemberId,
    year: i32,
    today: NaiveDate,
    rules: &Rules<'_>,
) -> Result<Option<MemberDues>, StoreError> {
    let (Some(from), Some(to)) = (Month::new(year, 1), Month::new(year, 12)) else {
        return Err(StoreError::invalid("year", "Năm từ 1930 đến 2200"));
    };
    // The ledger of the member whatever the year: a member not yet admitted has months of
    // nothing, not a 404.
    let ledger = load(db, Whose::Member(member), Month::new(1930, 1).unwrap_or(from), to, rules).await?;
    let Some(h) = ledger.holders.first() else { return Ok(None) };
    let year_dues = ledger.year_of(h, from, to, Month::of(today), rules.dues);
    Ok(Some(MemberDues {
        member_id: h.id,
        full_name: h.full_name.clone(),
        org_id: h.org_id,
        year,
        months: year_dues.months.iter().map(MonthView::from).collect(),
        due: year_dues.due,
        paid: year_dues.paid,
        unpaid_months: year_dues.unpaid_months,
        needs_review: year_dues.needs_review,
        region: h.facts.region,
        exempt_from: h.facts.exempt_by_party_age_from(rules.dues),
        bases: super::ledger::bases(db, member).await?,
        exemptions: super::ledger::exemptions(db, member).await?,
        payments: super::ledger::payments(db, member, from, to).await?,
    }))
}

/// One member on a cell's page of the book for a month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookLine {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    #[serde(flatten)]
    pub month: MonthView,
    /// Unpaid months of the year so far.
    pub unpaid_months: u32,
    pub needs_review: bool,
}

/// The book of the subtree at `path` (a cell, usually) for `month`: every member in the Party
/// that month, with the year's arrears so far.
pub async fn month_book(
    db: &Db,
    path: &str,
    month: Month,
    today: NaiveDate,
    rules: &Rules<'_>,
) -> Result<Vec<BookLine>, StoreError> {
    let (from, to) = year_span(month.year());
    let mut ledger = load(db, Whose::Subtree(path), from, to, rules).await?;
    ledger.holders.sort_by(|a, b| (a.org_id, &a.full_name, a.id).cmp(&(b.org_id, &b.full_name, b.id)));
    let current = Month::of(today);
    Ok(ledger
        .holders
        .iter()
        .filter_map(|h| {
            let year = ledger.year_of(h, from, to, current, rules.dues);
            let line = year.months.iter().find(|l| l.due.month == month)?;
            line.due.in_party.then(|| BookLine {
                member_id: h.id,
                full_name: h.full_name.clone(),
                org_id: h.org_id,
                month: MonthView::from(line),
                unpaid_months: year.unpaid_months,
                needs_review: year.needs_review,
            })
        })
        .collect())
}

fn year_span(year: i32) -> (Month, Month) {
    let from = Month::new(year, 1).or_else(|| Month::new(2200, 1)).unwrap_or_else(|| Month::of(NaiveDate::MIN));
    (from, from.plus(11))
}

/// A member with months unpaid in the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArrearsLine {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    #[schema(value_type = Vec<String>)]
    pub months: Vec<Month>,
    /// What is owed for them.
    pub owed: i64,
    pub needs_review: bool,
}

/// What passed through one unit of a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitFlow {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    pub members: u32,
    pub due: i64,
    pub paid: i64,
    /// Kept within the unit's subtree.
    pub kept: i64,
    /// Passed up by the unit.
    pub remitted: i64,
    pub members_in_arrears: u32,
}

/// The dues report of a subtree for a period (CONTRACT.md).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesReport {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String)]
    pub from: Month,
    #[schema(value_type = String)]
    pub to: Month,
    /// Members in the Party in some month of the period.
    pub members: u32,
    pub due: i64,
    pub paid: i64,
    /// What stays in the subtree, every level's share.
    pub kept: i64,
    /// What the organisation passes up.
    pub remitted: i64,
    /// What the organisation itself keeps.
    pub kept_here: i64,
    /// Members with a month of the period unpaid (as of today).
    pub members_in_arrears: u32,
    /// The same for each unit directly below.
    pub units: Vec<UnitFlow>,
    /// Those members, with their months.
    pub arrears: Vec<ArrearsLine>,
}

struct OrgRow {
    id: OrgId,
    parent: Option<OrgId>,
    kind: OrgKind,
    name: String,
    path: String,
}

/// The report of the subtree rooted at `org` (its `path`) for the months `from..=to`.
pub async fn report(
    db: &Db,
    org: OrgId,
    path: &str,
    from: Month,
    to: Month,
    today: NaiveDate,
    rules: &Rules<'_>,
) -> Result<DuesReport, StoreError> {
    let ledger = load(db, Whose::Subtree(path), from, to, rules).await?;
    let mut orgs = Vec::new();
    for r in db
        .query(
            "SELECT org_id, parent_id, kind, name, path FROM org_versions
             WHERE path >= $1 AND path < $2 AND valid_to IS NULL ORDER BY path",
            params![path, subtree_end(path)],
        )
        .await?
    {
        orgs.push(OrgRow {
            id: r.id(0)?,
            parent: r.opt_id(1)?,
            kind: r.word(2, OrgKind::parse)?,
            name: r.text(3)?,
            path: r.text(4)?,
        });
    }
    let current = Month::of(today);
    #[derive(Default, Clone, Copy)]
    struct Sums {
        members: u32,
        due: i64,
        paid: i64,
        in_arrears: u32,
    }
    let mut by_org: HashMap<OrgId, Sums> = HashMap::new();
    let mut arrears = Vec::new();
    for h in &ledger.holders {
        let year = ledger.year_of(h, from, to, current, rules.dues);
        let s = by_org.entry(h.org_id).or_default();
        if year.months.iter().any(|l| l.due.in_party) {
            s.members += 1;
        }
        s.due += year.due;
        s.paid += year.paid;
        if year.unpaid_months > 0 {
            s.in_arrears += 1;
            let unpaid: Vec<&MonthLine> = year.months.iter().filter(|l| l.unpaid).collect();
            arrears.push(ArrearsLine {
                member_id: h.id,
                full_name: h.full_name.clone(),
                org_id: h.org_id,
                months: unpaid.iter().map(|l| l.due.month).collect(),
                owed: unpaid.iter().map(|l| l.due.due - l.paid).sum(),
                needs_review: year.needs_review,
            });
        }
    }
    arrears.sort_by(|a, b| (a.org_id, &a.full_name, a.member_id).cmp(&(b.org_id, &b.full_name, b.member_id)));
    let allocation: Vec<Unit> = orgs
        .iter()
        .map(|o| Unit {
            id: o.id,
            parent: o.parent.filter(|_| o.id != org),
            kind: o.kind,
            keeps: ledger.units.get(&o.id).and_then(|u| u.1),
            collected: by_org.get(&o.id).map_or(0, |s| s.paid),
        })
        .collect();
    let flows = allocate(&allocation, rules.dues);
    // Each unit directly below: the sums of its subtree (paths sort a subtree together).
    let mut units = Vec::new();
    for child in orgs.iter().filter(|o| o.parent == Some(org)) {
        let mut s = Sums::default();
        for o in orgs.iter().filter(|o| o.path.starts_with(&child.path)) {
            if let Some(x) = by_org.get(&o.id) {
                s.members += x.members;
                s.due += x.due;
                s.paid += x.paid;
                s.in_arrears += x.in_arrears;
            }
        }
        let flow = flows.get(&child.id).copied().unwrap_or_default();
        units.push(UnitFlow {
            org_id: child.id,
            name: child.name.clone(),
            members: s.members,
            due: s.due,
            paid: s.paid,
            kept: flow.subtree_collected - flow.remitted,
            remitted: flow.remitted,
            members_in_arrears: s.in_arrears,
        });
    }
    let root = flows.get(&org).copied().unwrap_or_default();
    let total = by_org.values().fold(Sums::default(), |a, s| Sums {
        members: a.members + s.members,
        due: a.due + s.due,
        paid: a.paid + s.paid,
        in_arrears: a.in_arrears + s.in_arrears,
    });
    Ok(DuesReport {
        org_id: org,
        org_name: orgs.iter().find(|o| o.id == org).map(|o| o.name.clone()).unwrap_or_default(),
        from,
        to,
        members: total.members,
        due: total.due,
        paid: total.paid,
        kept: total.paid - root.remitted,
        remitted: root.remitted,
        kept_here: root.kept,
        members_in_arrears: total.in_arrears,
        units,
        arrears,
    })
}

/// Where each member of a subtree is now and what the rules know of them, to check payments
/// against (a month the member belongs to the Party).
pub async fn facts_of_subtree(
    db: &Db,
    path: &str,
    rules: &Rules<'_>,
) -> Result<HashMap<MemberId, (OrgId, MemberFacts)>, StoreError> {
    // The members of this month, and one month of payments read: the facts are what is wanted.
    let month = Month::of(dangvu_domain::calendar::today());
    let ledger = load(db, Whose::Subtree(path), month, month, rules).await?;
    Ok(ledger.holders.into_iter().map(|h| (h.id, (h.org_id, h.facts))).collect())
}
