//! The Party badge candidates of a subtree for an award day: the members (membership not
//! ended) whose party age reaches, on or before the day, a milestone above the last badge they
//! received, computed by [`dangvu_domain::rewards::badge_due`].
//!
//! The database narrows the registry first: for each milestone, the members whose last badge is
//! below it and who were admitted at least that many years before the day (one range of the
//! index `members_badge_due` each, a day of slack for 29/02), kept when their cell is in the
//! subtree. Time out of the Party only makes a
//! milestone later, so nobody is left out; the domain's rule then decides for each one, with the
//! periods out of those who have some.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{InactivePeriod, MembershipRules, PartyAge, party_age};
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::rewards::badge_due;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Value;
use crate::{Db, StoreError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeCandidate {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// The member's cell.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub admitted_on: NaiveDate,
    /// The badge proposed: its years of party age.
    pub milestone_years: u32,
    /// The day the party age reached it.
    pub reached_on: NaiveDate,
    /// The last badge received (0: none).
    pub received_years: u32,
    /// Party age on the award day.
    pub party_age: PartyAge,
}

/// The candidates of the subtree at `path` for the award day `on`, by cell and name.
pub async fn candidates(
    db: &Db,
    path: &str,
    on: NaiveDate,
    rules: &MembershipRules,
) -> Result<Vec<BadgeCandidate>, StoreError> {
    let mut milestones = rules.badge_milestone_years.clone();
    milestones.sort_unstable();
    milestones.dedup();
    let end = subtree_end(path);
    let mut values: Vec<Value> = vec![Value::from(path), Value::from(end.as_str())];
    let mut arms = Vec::new();
    let mut below = 0u32;
    for &years in &milestones {
        // Admitted on or before this day (and one more for an anniversary on 29/02).
        let latest =
            on.checked_sub_months(Months::new(years.saturating_mul(12))).and_then(|d| d.checked_add_days(Days::new(1)));
        let Some(latest) = latest else { continue };
        values.push(Value::from(latest));
        let received: Vec<String> = (below..years).map(|y| y.to_string()).collect();
        arms.push(format!(
            "SELECT id, org_id FROM members WHERE badge_years IN ({}) AND admitted_on <= ${} AND ended_on IS NULL",
            received.join(", "),
            values.len()
        ));
        below = years;
    }
    if arms.is_empty() {
        return Ok(Vec::new());
    }
    // Below a root, the organisations of the subtree are gathered once and the registry's
    // candidates, read from the index alone, are matched against them: a province's list does
    // not look up the organisation of every candidate of the country. From a root, nearly every
    // organisation is in: each candidate's own is looked up instead. The members' own columns
    // are read after, by id, for those kept: joined in the same statement, PostgreSQL's
    // estimate of the candidates (the milestones and the admission dates are far from
    // independent) made it hash the whole registry.
    let due = arms.join(" UNION ALL ");
    let is_root = path.matches('/').count() == 2;
    let sql = if is_root {
        format!(
            "WITH due AS ({due})
             SELECT d.id, o.name, o.path FROM due d CROSS JOIN org_versions o
             WHERE o.org_id = d.org_id AND o.valid_to IS NULL AND o.path >= $1 AND o.path < $2"
        )
    } else {
        format!(
            "WITH orgs AS MATERIALIZED (
                 SELECT org_id, name, path FROM org_versions WHERE path >= $1 AND path < $2 AND valid_to IS NULL),
             due AS ({due})
             SELECT d.id, o.name, o.path FROM due d CROSS JOIN orgs o WHERE o.org_id = d.org_id"
        )
    };
    let mut cells: HashMap<MemberId, (String, String)> = HashMap::new();
    for r in db.query(&sql, &values).await? {
        cells.insert(r.id(0)?, (r.text(1)?, r.text(2)?));
    }
    let ids: Vec<MemberId> = cells.keys().copied().collect();
    struct Row {
        id: MemberId,
        full_name: String,
        org_id: OrgId,
        org_name: String,
        path: String,
        admitted_on: NaiveDate,
        received: u32,
        with_periods: bool,
        birth_date: NaiveDate,
    }
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let list: Vec<String> = chunk.iter().map(|id| i64::from(*id).to_string()).collect();
        let sql = format!(
            "SELECT id, full_name, org_id, admitted_on, badge_years, inactive_periods, birth_date FROM members
             WHERE id IN ({})",
            list.join(", ")
        );
        for r in db.query(&sql, &[]).await? {
            let id: MemberId = r.id(0)?;
            let Some((org_name, path)) = cells.remove(&id) else { continue };
            found.push(Row {
                id,
                full_name: r.text(1)?,
                org_id: r.id(2)?,
                org_name,
                path,
                admitted_on: r.date(3)?,
                received: u32::try_from(r.int(4)?).unwrap_or(0),
                with_periods: r.int(5)? > 0,
                birth_date: r.date(6)?,
            });
        }
    }
    let out_ids: Vec<MemberId> = found.iter().filter(|m| m.with_periods).map(|m| m.id).collect();
    let periods = periods_of(db, &out_ids).await?;
    let none = Vec::new();
    let mut candidates: Vec<(String, BadgeCandidate)> = found
        .into_iter()
        .filter_map(|m| {
            let spans = periods.get(&m.id).unwrap_or(&none);
            let due = badge_due(m.admitted_on, spans, m.received, on, &milestones)?;
            Some((
                m.path,
                BadgeCandidate {
                    member_id: m.id,
                    party_age: party_age(m.admitted_on, spans, on),
                    full_name: m.full_name,
                    birth_date: m.birth_date,
                    org_id: m.org_id,
                    org_name: m.org_name,
                    admitted_on: m.admitted_on,
                    milestone_years: due.years,
                    reached_on: due.reached_on,
                    received_years: m.received,
                },
            ))
        })
        .collect();
    candidates.sort_by(|(a, x), (b, y)| {
        a.cmp(b).then_with(|| x.full_name.cmp(&y.full_name)).then(x.member_id.cmp(&y.member_id))
    });
    Ok(candidates.into_iter().map(|(_, c)| c).collect())
}

/// The statements that read the periods out of the Party of these members, a few hundred ids
/// each; [`add_period`] reads their rows.
pub(crate) fn periods_statements(ids: &[MemberId]) -> Vec<String> {
    ids.chunks(500)
        .map(|chunk| {
            let list: Vec<String> = chunk.iter().map(|id| i64::from(*id).to_string()).collect();
            format!(
                "SELECT member_id, from_on, until_on FROM member_inactive_periods WHERE member_id IN ({})",
                list.join(", ")
            )
        })
        .collect()
}

pub(crate) fn add_period(
    periods: &mut HashMap<MemberId, Vec<InactivePeriod>>,
    r: &crate::Row,
) -> Result<(), StoreError> {
    periods.entry(r.id(0)?).or_default().push(InactivePeriod { from: r.date(1)?, until: r.opt_date(2)? });
    Ok(())
}

async fn periods_of(db: &Db, ids: &[MemberId]) -> Result<HashMap<MemberId, Vec<InactivePeriod>>, StoreError> {
    let mut periods = HashMap::new();
    for sql in periods_statements(ids) {
        for r in db.query(&sql, &[]).await? {
            add_period(&mut periods, &r)?;
        }
    }
    Ok(periods)
}
