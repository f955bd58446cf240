//! Awards: a deciding organisation's decision (its document in the registry) and who received
//! it, members or collectives of its subtree. A Party badge is recorded once per member and
//! milestone, and keeps `members.badge_years` (the last one received) for the candidates' list.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{InactivePeriod, MembershipRules};
use dangvu_domain::orgs::tree::{is_within, subtree_end};
use dangvu_domain::rewards::{AwardKind, badge_due, badge_reached_on};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::badges::{add_period, periods_statements};
use super::{long_text, required_text};
use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, StoreError, Tx, params};

/// The most recipients one decision records.
pub const MAX_RECIPIENTS: usize = 20_000;

pub struct NewAward {
    pub org_id: OrgId,
    pub kind: AwardKind,
    pub title: String,
    pub decided_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub document_id: Option<i64>,
    pub proposal_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub recipients: Vec<NewRecipient>,
}

#[derive(Debug, Clone, Default)]
pub struct NewRecipient {
    pub member_id: Option<MemberId>,
    pub org_id: Option<OrgId>,
    /// A badge's milestone; the one due on the decision day when not given.
    pub badge_years: Option<u32>,
    pub achievement: String,
}

/// One award as a list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardSummary {
    pub id: i64,
    /// The deciding organisation.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String)]
    pub kind: AwardKind,
    pub kind_label: &'static str,
    pub title: String,
    pub decided_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub document_id: Option<i64>,
    pub document_number: Option<String>,
    /// Individuals awarded.
    pub members: i64,
    /// Collectives awarded.
    pub collectives: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recipient {
    pub id: i64,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// The member's full name or the organisation's name.
    pub name: String,
    pub badge_years: Option<u32>,
    pub achievement: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Award {
    #[serde(flatten)]
    pub summary: AwardSummary,
    pub proposal_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub recipients: Vec<Recipient>,
}

/// An award on a member's record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberAward {
    pub award_id: i64,
    #[schema(value_type = String)]
    pub kind: AwardKind,
    pub kind_label: &'static str,
    pub title: String,
    pub decided_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub badge_years: Option<u32>,
    pub achievement: String,
    /// The deciding organisation.
    pub org_name: String,
    pub document_number: Option<String>,
}

/// Records a decision and its recipients, in the caller's transaction. Every recipient is in
/// the deciding organisation's subtree; a badge goes to a member whose party age reaches its
/// milestone by the decision day and who has not received it.
pub async fn record(tx: &mut Tx, actor: &Actor, new: NewAward, rules: &MembershipRules) -> Result<i64, StoreError> {
    let title = required_text(&new.title, "title", 500, "Tên, trích yếu khen thưởng")?;
    let today = calendar::today();
    if new.decided_on > today {
        return Err(StoreError::invalid("decided_on", "Ngày quyết định ở tương lai"));
    }
    if new.ceremony_on.is_some_and(|c| c < new.decided_on) {
        return Err(StoreError::invalid("ceremony_on", "Lễ trao tặng không trước ngày quyết định"));
    }
    if new.recipients.is_empty() || new.recipients.len() > MAX_RECIPIENTS {
        return Err(StoreError::invalid("recipients", format!("Từ 1 đến {MAX_RECIPIENTS} người, tập thể được khen")));
    }
    let decider = tx
        .query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![new.org_id])
        .await?
        .ok_or_else(|| StoreError::invalid("org_id", "Không có tổ chức quyết định này"))?
        .text(0)?;
    if let Some(doc) = new.document_id
        && tx.query_one("SELECT 1 FROM documents WHERE id = $1", params![doc]).await?.is_none()
    {
        return Err(StoreError::invalid("document_id", "Không có văn bản này trong sổ"));
    }
    let checked = check_recipients(tx, &new, &decider, rules).await?;
    let award_id = tx
        .query_one(
            "INSERT INTO awards (org_id, kind, title, decided_on, ceremony_on, document_id, proposal_id, campaign_id,
                                 created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            params![
                new.org_id,
                new.kind.as_str(),
                title.as_str(),
                new.decided_on,
                new.ceremony_on,
                new.document_id,
                new.proposal_id,
                new.campaign_id,
                actor.id,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    for chunk in checked.chunks(200) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        let mut rows = Vec::with_capacity(chunk.len());
        for r in chunk {
            let n = values.len();
            rows.push(format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5));
            values.extend([
                Value::from(award_id),
                Value::from(r.member_id),
                Value::from(r.org_id),
                Value::from(r.badge_years.map(i64::from)),
                Value::from(r.achievement.as_str()),
            ]);
        }
        let sql = format!(
            "INSERT INTO award_recipients (award_id, member_id, org_id, badge_years, achievement) VALUES {}",
            rows.join(", ")
        );
        tx.execute(&sql, &values).await?;
    }
    // The last badge received, kept on the member for the candidates' list.
    let mut by_years: HashMap<u32, Vec<MemberId>> = HashMap::new();
    for r in &checked {
        if let (Some(member), Some(years)) = (r.member_id, r.badge_years) {
            by_years.entry(years).or_default().push(member);
        }
    }
    for (years, members) in by_years {
        for chunk in members.chunks(500) {
            let sql =
                format!("UPDATE members SET badge_years = $1 WHERE badge_years < $1 AND id IN ({})", id_list(chunk));
            tx.execute(&sql, params![i64::from(years)]).await?;
        }
    }
    let members = checked.iter().filter(|r| r.member_id.is_some()).count();
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AwardRecord,
            subject: Subject::award(award_id),
            before: None,
            after: Some(json!({
                "org_id": new.org_id, "kind": new.kind.as_str(), "title": title, "decided_on": new.decided_on,
                "document_id": new.document_id, "members": members, "collectives": checked.len() - members,
            })),
        },
    )
    .await?;
    Ok(award_id)
}

/// What the registry says of a member named as a recipient.
struct MemberFacts {
    path: String,
    ended: bool,
    admitted_on: NaiveDate,
    badge_years: u32,
}

/// The recipients, each found in the decider's subtree, named once, a badge's milestone due.
/// The registry is read a few hundred recipients a statement, so a decision for thousands of
/// members stays a handful of statements.
async fn check_recipients(
    tx: &mut Tx,
    new: &NewAward,
    decider_path: &str,
    rules: &MembershipRules,
) -> Result<Vec<NewRecipient>, StoreError> {
    let mut seen_members = HashSet::new();
    let mut seen_orgs = HashSet::new();
    let mut out = Vec::with_capacity(new.recipients.len());
    for (i, r) in new.recipients.iter().enumerate() {
        let field = format!("recipients[{i}]");
        let achievement = long_text(&r.achievement, &format!("{field}.achievement"))?;
        match (r.member_id, r.org_id) {
            (Some(member), None) => {
                if !seen_members.insert(member) {
                    return Err(StoreError::invalid(&field, "Người này có hai lần trong danh sách"));
                }
            }
            (None, Some(org)) => {
                if new.kind == AwardKind::Badge {
                    return Err(StoreError::invalid(&field, "Huy hiệu Đảng trao cho đảng viên, không cho tập thể"));
                }
                if !seen_orgs.insert(org) {
                    return Err(StoreError::invalid(&field, "Tập thể này có hai lần trong danh sách"));
                }
            }
            _ => {
                return Err(StoreError::invalid(
                    &field,
                    "Mỗi người được khen là một đảng viên (member_id) hoặc một tập thể (org_id)",
                ));
            }
        }
        if r.badge_years.is_some() && new.kind != AwardKind::Badge {
            return Err(StoreError::invalid(&field, "Mốc năm tuổi đảng chỉ ghi cho Huy hiệu Đảng"));
        }
        out.push(NewRecipient { achievement, ..r.clone() });
    }
    let member_ids: Vec<MemberId> = out.iter().filter_map(|r| r.member_id).collect();
    let facts = member_facts(tx, &member_ids).await?;
    let org_ids: Vec<OrgId> = out.iter().filter_map(|r| r.org_id).collect();
    let org_paths = org_paths(tx, &org_ids).await?;
    let periods = if new.kind == AwardKind::Badge { periods_of(tx, &member_ids).await? } else { HashMap::new() };
    let none = Vec::new();
    for (i, r) in out.iter_mut().enumerate() {
        let field = format!("recipients[{i}]");
        if let Some(org) = r.org_id {
            let path = org_paths.get(&org).ok_or_else(|| StoreError::invalid(&field, "Không có tổ chức này"))?;
            if !is_within(path, decider_path) {
                return Err(StoreError::invalid(&field, "Tập thể không thuộc đảng bộ của cấp quyết định"));
            }
            continue;
        }
        let Some(member) = r.member_id else { continue };
        let m = facts.get(&member).ok_or_else(|| StoreError::invalid(&field, "Không có đảng viên này"))?;
        if !is_within(&m.path, decider_path) {
            return Err(StoreError::invalid(&field, "Đảng viên không thuộc đảng bộ của cấp quyết định"));
        }
        if new.kind != AwardKind::Badge {
            continue;
        }
        if m.ended {
            return Err(StoreError::invalid(&field, "Người này không còn là đảng viên"));
        }
        let spans = periods.get(&member).unwrap_or(&none);
        r.badge_years = Some(
            badge_for(r.badge_years, m, spans, new.decided_on, rules)
                .map_err(|why| StoreError::invalid(&field, why))?,
        );
    }
    Ok(out)
}

/// The badge recorded for a member: the milestone asked for, if it is one, above the last
/// received and reached by the decision day; otherwise the one due that day.
fn badge_for(
    asked: Option<u32>,
    m: &MemberFacts,
    spans: &[InactivePeriod],
    decided_on: NaiveDate,
    rules: &MembershipRules,
) -> Result<u32, String> {
    let Some(years) = asked else {
        return badge_due(m.admitted_on, spans, m.badge_years, decided_on, &rules.badge_milestone_years)
            .map(|b| b.years)
            .ok_or_else(|| "Đến ngày quyết định chưa đến mốc Huy hiệu Đảng nào chưa nhận".to_owned());
    };
    if !rules.badge_milestone_years.contains(&years) {
        return Err(format!("{years} năm không phải mốc tặng Huy hiệu Đảng"));
    }
    if years <= m.badge_years {
        return Err(format!("Đã nhận Huy hiệu {} năm tuổi đảng", m.badge_years));
    }
    match badge_reached_on(m.admitted_on, spans, years) {
        Some(on) if on <= decided_on => Ok(years),
        _ => Err(format!("Đến ngày quyết định chưa đủ {years} năm tuổi đảng")),
    }
}

fn id_list<T: Copy + Into<i64>>(ids: &[T]) -> String {
    ids.iter().map(|id| (*id).into().to_string()).collect::<Vec<_>>().join(", ")
}

async fn member_facts(tx: &mut Tx, ids: &[MemberId]) -> Result<HashMap<MemberId, MemberFacts>, StoreError> {
    let mut facts = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT m.id, v.path, m.ended_on, m.admitted_on, m.badge_years FROM members m
             JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL WHERE m.id IN ({})",
            id_list(chunk)
        );
        for r in tx.query(&sql, &[]).await? {
            facts.insert(
                r.id(0)?,
                MemberFacts {
                    path: r.text(1)?,
                    ended: r.opt_date(2)?.is_some(),
                    admitted_on: r.date(3)?,
                    badge_years: u32::try_from(r.int(4)?).unwrap_or(0),
                },
            );
        }
    }
    Ok(facts)
}

async fn org_paths(tx: &mut Tx, ids: &[OrgId]) -> Result<HashMap<OrgId, String>, StoreError> {
    let mut paths = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql =
            format!("SELECT org_id, path FROM org_versions WHERE valid_to IS NULL AND org_id IN ({})", id_list(chunk));
        for r in tx.query(&sql, &[]).await? {
            paths.insert(r.id(0)?, r.text(1)?);
        }
    }
    Ok(paths)
}

/// The periods out of the Party of these members, read in the transaction.
async fn periods_of(tx: &mut Tx, ids: &[MemberId]) -> Result<HashMap<MemberId, Vec<InactivePeriod>>, StoreError> {
    let mut periods = HashMap::new();
    for sql in periods_statements(ids) {
        for r in tx.query(&sql, &[]).await? {
            add_period(&mut periods, &r)?;
        }
    }
    Ok(periods)
}

/// Records the day the award was handed over (the badge ceremony).
pub async fn set_ceremony(tx: &mut Tx, actor: &Actor, id: i64, on: NaiveDate) -> Result<(), StoreError> {
    let decided_on = tx
        .query_one("SELECT decided_on FROM awards WHERE id = $1", params![id])
        .await?
        .ok_or(StoreError::NotFound)?
        .date(0)?;
    if on < decided_on {
        return Err(StoreError::invalid("ceremony_on", "Lễ trao tặng không trước ngày quyết định"));
    }
    if on > calendar::today() {
        return Err(StoreError::invalid("ceremony_on", "Ngày ở tương lai"));
    }
    tx.execute("UPDATE awards SET ceremony_on = $2 WHERE id = $1", params![id, on]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AwardCeremony,
            subject: Subject::award(id),
            before: None,
            after: Some(json!({"ceremony_on": on})),
        },
    )
    .await?;
    Ok(())
}

const SUMMARY: &str = "a.id, a.org_id, v.name, a.kind, a.title, a.decided_on, a.ceremony_on, a.document_id, d.number,
    (SELECT COUNT(*) FROM award_recipients r WHERE r.award_id = a.id AND r.member_id IS NOT NULL),
    (SELECT COUNT(*) FROM award_recipients r WHERE r.award_id = a.id AND r.org_id IS NOT NULL)";
const SUMMARY_FROM: &str = "FROM awards a JOIN org_versions v ON v.org_id = a.org_id AND v.valid_to IS NULL
    LEFT JOIN documents d ON d.id = a.document_id";

fn summary_of(r: &crate::Row) -> Result<AwardSummary, StoreError> {
    let kind = AwardKind::parse(&r.text(3)?).ok_or_else(|| StoreError::Decode("awards.kind".into()))?;
    Ok(AwardSummary {
        id: r.int(0)?,
        org_id: r.id(1)?,
        org_name: r.text(2)?,
        kind,
        kind_label: kind.label(),
        title: r.text(4)?,
        decided_on: r.date(5)?,
        ceremony_on: r.opt_date(6)?,
        document_id: r.opt_int(7)?,
        document_number: r.opt_text(8)?,
        members: r.int(9)?,
        collectives: r.int(10)?,
    })
}

/// One award with its recipients.
pub async fn get(db: &Db, id: i64) -> Result<Option<Award>, StoreError> {
    let Some(row) = db
        .query_one(
            &format!("SELECT {SUMMARY}, a.proposal_id, a.campaign_id {SUMMARY_FROM} WHERE a.id = $1"),
            params![id],
        )
        .await?
    else {
        return Ok(None);
    };
    let recipients = db
        .query(
            "SELECT r.id, r.member_id, r.org_id, COALESCE(m.full_name, v.name, ''), r.badge_years, r.achievement
             FROM award_recipients r
             LEFT JOIN members m ON m.id = r.member_id
             LEFT JOIN org_versions v ON v.org_id = r.org_id AND v.valid_to IS NULL
             WHERE r.award_id = $1 ORDER BY r.org_id IS NULL, r.id",
            params![id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Recipient {
                id: r.int(0)?,
                member_id: r.opt_int(1)?.map(MemberId::from),
                org_id: r.opt_int(2)?.map(OrgId::from),
                name: r.text(3)?,
                badge_years: r.opt_int(4)?.and_then(|y| u32::try_from(y).ok()),
                achievement: r.text(5)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(Award {
        summary: summary_of(&row)?,
        proposal_id: row.opt_int(11)?,
        campaign_id: row.opt_int(12)?,
        recipients,
    }))
}

/// The path of the deciding organisation of an award, for the scope check.
pub async fn decider_path(db: &Db, id: i64) -> Result<Option<String>, StoreError> {
    db.query_one(
        "SELECT v.path FROM awards a JOIN org_versions v ON v.org_id = a.org_id AND v.valid_to IS NULL WHERE a.id = $1",
        params![id],
    )
    .await?
    .map(|r| r.text(0))
    .transpose()
}

/// The awards of a subtree, newest first: decided by one of its organisations, or received by
/// one of its collectives or of the members now in it.
pub async fn of_subtree(
    db: &Db,
    path: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<AwardKind>,
    limit: i64,
) -> Result<Vec<AwardSummary>, StoreError> {
    let end = subtree_end(path);
    let sql = format!(
        "SELECT {SUMMARY} {SUMMARY_FROM}
         WHERE a.decided_on >= $3 AND a.decided_on <= $4 AND ($5 = '' OR a.kind = $5)
           AND ((v.path >= $1 AND v.path < $2)
             OR EXISTS (SELECT 1 FROM award_recipients r
                        JOIN org_versions rv ON rv.valid_to IS NULL AND rv.org_id = r.org_id
                        WHERE r.award_id = a.id AND rv.path >= $1 AND rv.path < $2)
             OR EXISTS (SELECT 1 FROM award_recipients r JOIN members m ON m.id = r.member_id
                        JOIN org_versions mv ON mv.valid_to IS NULL AND mv.org_id = m.org_id
                        WHERE r.award_id = a.id AND mv.path >= $1 AND mv.path < $2))
         ORDER BY a.decided_on DESC, a.id DESC LIMIT $6"
    );
    // No bound given: every decision. The bounds are written as both engines store dates
    // (chrono's own extremes are out of PostgreSQL's range and sort wrong as SQLite's text).
    let from = from.or(NaiveDate::from_ymd_opt(1900, 1, 1)).unwrap_or_default();
    let to = to.or(NaiveDate::from_ymd_opt(9999, 12, 31)).unwrap_or_default();
    db.query(&sql, params![path, end.as_str(), from, to, kind.map_or("", AwardKind::as_str), limit])
        .await?
        .iter()
        .map(summary_of)
        .collect()
}

/// A member's awards and badges, newest first.
pub async fn of_member(db: &Db, member_id: MemberId) -> Result<Vec<MemberAward>, StoreError> {
    db.query(
        "SELECT a.id, a.kind, a.title, a.decided_on, a.ceremony_on, r.badge_years, r.achievement, v.name, d.number
         FROM award_recipients r JOIN awards a ON a.id = r.award_id
         JOIN org_versions v ON v.org_id = a.org_id AND v.valid_to IS NULL
         LEFT JOIN documents d ON d.id = a.document_id
         WHERE r.member_id = $1 ORDER BY a.decided_on DESC, a.id DESC",
        params![member_id],
    )
    .await?
    .iter()
    .map(|r| {
        let kind = AwardKind::parse(&r.text(1)?).ok_or_else(|| StoreError::Decode("awards.kind".into()))?;
        Ok(MemberAward {
            award_id: r.int(0)?,
            kind,
            kind_label: kind.label(),
            title: r.text(2)?,
            decided_on: r.date(3)?,
            ceremony_on: r.opt_date(4)?,
            badge_years: r.opt_int(5)?.and_then(|y| u32::try_from(y).ok()),
            achievement: r.text(6)?,
            org_name: r.text(7)?,
            document_number: r.opt_text(8)?,
        })
    })
    .collect()
}

/// Whether the subtree at `path` holds the member now (the badges' reads are scoped so).
pub async fn member_in(db: &Db, member_id: MemberId, path: &str) -> Result<bool, StoreError> {
    let end = subtree_end(path);
    Ok(db
        .query_one(
            "SELECT 1 FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
             WHERE m.id = $1 AND v.path >= $2 AND v.path < $3",
            params![member_id, path, end.as_str()],
        )
        .await?
        .is_some())
}
