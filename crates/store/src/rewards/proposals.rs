//! Award proposals (docs/state-machines/award-proposal.md): a unit lists the collectives and
//! members it proposes with their achievements, beside each the yearly classification results
//! already recorded (QĐ 366-QĐ/TW); the deciding level returns, rejects or decides it. Deciding
//! registers the decision as a numbered document and records the award for the recipients
//! approved, in one transaction.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{ClassificationLevel, MembershipRules};
use dangvu_domain::orgs::tree::{is_within, subtree_end};
use dangvu_domain::rewards::{AwardKind, Event, State};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::awards::{self, NewAward, NewRecipient};
use super::{long_text, required_text};
use crate::audit::{self, Actor, Change, Subject};
use crate::tasks::documents::{self, NewDocument};
use crate::{Db, Row, StoreError, Tx, params};

/// The most recipients one proposal lists.
pub const MAX_ITEMS: usize = 2_000;

pub struct NewProposal {
    pub org_id: OrgId,
    pub to_org_id: OrgId,
    pub kind: AwardKind,
    pub title: String,
    /// The year whose achievements and classification results it rests on.
    pub year: i32,
    pub campaign_id: Option<i64>,
}

pub struct NewProposalItem {
    pub member_id: Option<MemberId>,
    pub org_id: Option<OrgId>,
    pub achievement: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalSummary {
    pub id: i64,
    /// The proposing unit.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    /// The level that decides.
    #[schema(value_type = i64)]
    pub to_org_id: OrgId,
    pub to_org_name: String,
    #[schema(value_type = String)]
    pub kind: AwardKind,
    pub kind_label: &'static str,
    pub title: String,
    pub year: i32,
    #[schema(value_type = String)]
    pub state: State,
    pub state_label: &'static str,
    pub submitted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The award recorded when it was decided.
    pub award_id: Option<i64>,
    pub members: i64,
    pub collectives: i64,
}

/// A classification result beside a proposed recipient.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rating {
    pub period: String,
    pub level: String,
    pub level_label: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalItem {
    pub id: i64,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    pub name: String,
    pub achievement: String,
    /// The results of the proposal's year and the year before, as recorded (QĐ 366-QĐ/TW).
    pub ratings: Vec<Rating>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    #[serde(flatten)]
    pub summary: ProposalSummary,
    pub campaign_id: Option<i64>,
    /// Why it was returned or rejected.
    pub reason: Option<String>,
    pub items: Vec<ProposalItem>,
}

/// A step of the proposal's life, with what it needs.
pub struct ProposalStep {
    pub event: Event,
    pub reason: Option<String>,
    /// Deciding: the items approved (all when empty).
    pub approved: Vec<i64>,
    /// Deciding: the decision's number in the registry (`125-QĐ/TU`), its title and day.
    pub decision_number: Option<String>,
    pub decision_title: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

async fn path_of(tx: &mut Tx, org: OrgId, field: &str) -> Result<String, StoreError> {
    tx.query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![org])
        .await?
        .ok_or_else(|| StoreError::invalid(field, "Không có tổ chức này"))?
        .text(0)
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewProposal) -> Result<i64, StoreError> {
    if new.kind == AwardKind::Badge {
        return Err(StoreError::invalid(
            "kind",
            "Huy hiệu Đảng xét theo danh sách đến mốc tuổi đảng, không qua tờ trình",
        ));
    }
    let title = required_text(&new.title, "title", 500, "Tên tờ trình")?;
    let this_year = calendar::today().format("%Y").to_string().parse::<i32>().unwrap_or(2026);
    if !(2000..=this_year).contains(&new.year) {
        return Err(StoreError::invalid("year", format!("Năm xét khen thưởng từ 2000 đến {this_year}")));
    }
    let path = path_of(tx, new.org_id, "org_id").await?;
    let to_path = path_of(tx, new.to_org_id, "to_org_id").await?;
    if !is_within(&path, &to_path) {
        return Err(StoreError::invalid("to_org_id", "Cấp quyết định là cấp ủy của đơn vị hoặc cấp trên"));
    }
    if let Some(campaign) = new.campaign_id {
        let launcher = tx
            .query_one(
                "SELECT v.path FROM campaigns c JOIN org_versions v ON v.org_id = c.org_id AND v.valid_to IS NULL
                 WHERE c.id = $1",
                params![campaign],
            )
            .await?
            .ok_or_else(|| StoreError::invalid("campaign_id", "Không có phong trào thi đua này"))?
            .text(0)?;
        if !is_within(&path, &launcher) {
            return Err(StoreError::invalid("campaign_id", "Đơn vị không thuộc phạm vi phong trào"));
        }
    }
    let id = tx
        .query_one(
            "INSERT INTO award_proposals (org_id, to_org_id, kind, title, year, campaign_id, state, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8) RETURNING id",
            params![
                new.org_id,
                new.to_org_id,
                new.kind.as_str(),
                title.as_str(),
                i64::from(new.year),
                new.campaign_id,
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
            action: Action::ProposalChange,
            subject: Subject::award_proposal(id),
            before: None,
            after: Some(json!({"org_id": new.org_id, "to_org_id": new.to_org_id, "kind": new.kind.as_str(),
                               "title": title, "year": new.year})),
        },
    )
    .await?;
    Ok(id)
}

struct Head {
    org_id: OrgId,
    to_org_id: OrgId,
    kind: AwardKind,
    title: String,
    state: State,
    campaign_id: Option<i64>,
}

async fn head(tx: &mut Tx, id: i64) -> Result<Head, StoreError> {
    let r = tx
        .query_one(
            "SELECT org_id, to_org_id, kind, title, state, campaign_id FROM award_proposals WHERE id = $1",
            params![id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Head {
        org_id: r.id(0)?,
        to_org_id: r.id(1)?,
        kind: AwardKind::parse(&r.text(2)?).ok_or_else(|| StoreError::Decode("award_proposals.kind".into()))?,
        title: r.text(3)?,
        state: State::parse(&r.text(4)?).ok_or_else(|| StoreError::Decode("award_proposals.state".into()))?,
        campaign_id: r.opt_int(5)?,
    })
}

/// Adds a recipient to a proposal still being written: a member or collective of the
/// proposing unit's subtree, once, with the achievement.
pub async fn add_item(tx: &mut Tx, actor: &Actor, id: i64, item: NewProposalItem) -> Result<i64, StoreError> {
    let h = head(tx, id).await?;
    if !h.state.is_editable() {
        return Err(StoreError::invalid("state", "Tờ trình đã trình, không sửa được danh sách"));
    }
    let achievement = long_text(&item.achievement, "achievement")?;
    if achievement.is_empty() {
        return Err(StoreError::invalid("achievement", "Ghi thành tích"));
    }
    let unit = path_of(tx, h.org_id, "org_id").await?;
    let (path, duplicate) = match (item.member_id, item.org_id) {
        (Some(member), None) => {
            let path = tx
                .query_one(
                    "SELECT v.path FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
                     WHERE m.id = $1 AND m.ended_on IS NULL",
                    params![member],
                )
                .await?
                .ok_or_else(|| StoreError::invalid("member_id", "Không có đảng viên này"))?
                .text(0)?;
            let dup = tx
                .query_one(
                    "SELECT 1 FROM award_proposal_items WHERE proposal_id = $1 AND member_id = $2",
                    params![id, member],
                )
                .await?
                .is_some();
            (path, dup)
        }
        (None, Some(org)) => {
            let path = path_of(tx, org, "org_id").await?;
            let dup = tx
                .query_one(
                    "SELECT 1 FROM award_proposal_items WHERE proposal_id = $1 AND org_id = $2",
                    params![id, org],
                )
                .await?
                .is_some();
            (path, dup)
        }
        _ => {
            return Err(StoreError::invalid(
                "member_id",
                "Đề nghị một đảng viên (member_id) hoặc một tập thể (org_id)",
            ));
        }
    };
    if !is_within(&path, &unit) {
        return Err(StoreError::invalid(
            if item.member_id.is_some() { "member_id" } else { "org_id" },
            "Không thuộc đơn vị đề nghị",
        ));
    }
    if duplicate {
        return Err(StoreError::invalid("member_id", "Đã có trong tờ trình"));
    }
    let count = tx
        .query_one("SELECT COUNT(*) FROM award_proposal_items WHERE proposal_id = $1", params![id])
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    if count >= MAX_ITEMS as i64 {
        return Err(StoreError::invalid("member_id", format!("Tờ trình tối đa {MAX_ITEMS} mục")));
    }
    let item_id = tx
        .query_one(
            "INSERT INTO award_proposal_items (proposal_id, member_id, org_id, achievement) VALUES ($1, $2, $3, $4)
             RETURNING id",
            params![id, item.member_id, item.org_id, achievement.as_str()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ProposalChange,
            subject: Subject::award_proposal(id),
            before: None,
            after: Some(json!({"item": item_id, "member_id": item.member_id, "org_id": item.org_id})),
        },
    )
    .await?;
    Ok(item_id)
}

pub async fn remove_item(tx: &mut Tx, actor: &Actor, id: i64, item_id: i64) -> Result<(), StoreError> {
    let h = head(tx, id).await?;
    if !h.state.is_editable() {
        return Err(StoreError::invalid("state", "Tờ trình đã trình, không sửa được danh sách"));
    }
    let gone =
        tx.execute("DELETE FROM award_proposal_items WHERE id = $1 AND proposal_id = $2", params![item_id, id]).await?;
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ProposalChange,
            subject: Subject::award_proposal(id),
            before: Some(json!({"item": item_id})),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Takes a step; deciding registers the decision and records the award. Answers the new state.
pub async fn take_step(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    step: ProposalStep,
    rules: &MembershipRules,
) -> Result<State, StoreError> {
    let h = head(tx, id).await?;
    let next = h.state.after(step.event).map_err(|why| StoreError::invalid("event", why))?;
    let today = calendar::today();
    let reason = step.reason.as_deref().map(|r| long_text(r, "reason")).transpose()?.filter(|r| !r.is_empty());
    let mut award_id = None;
    match step.event {
        Event::Submit => {
            let items = tx
                .query_one("SELECT COUNT(*) FROM award_proposal_items WHERE proposal_id = $1", params![id])
                .await?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(0);
            if items == 0 {
                return Err(StoreError::invalid("items", "Tờ trình chưa có ai được đề nghị"));
            }
        }
        Event::Return | Event::Reject if reason.is_none() => {
            return Err(StoreError::invalid("reason", "Ghi lý do"));
        }
        Event::Decide => award_id = Some(decide(tx, actor, id, &h, &step, rules).await?),
        _ => {}
    }
    let submitted = (step.event == Event::Submit).then_some(today);
    let closed = next.is_closed().then_some(today);
    tx.execute(
        "UPDATE award_proposals SET state = $2, reason = COALESCE($3, reason),
                submitted_on = COALESCE($4, submitted_on), closed_on = $5, award_id = COALESCE($6, award_id)
         WHERE id = $1",
        params![id, next.as_str(), reason.as_deref(), submitted, closed, award_id],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ProposalStep,
            subject: Subject::award_proposal(id),
            before: Some(json!({"state": h.state.as_str()})),
            after: Some(json!({"state": next.as_str(), "event": step.event.as_str(), "reason": reason,
                               "award_id": award_id})),
        },
    )
    .await?;
    Ok(next)
}

async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    h: &Head,
    step: &ProposalStep,
    rules: &MembershipRules,
) -> Result<i64, StoreError> {
    let number = step
        .decision_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| StoreError::invalid("decision_number", "Ghi số quyết định (ví dụ 125-QĐ/TU)"))?;
    let decided_on = step.decided_on.unwrap_or_else(calendar::today);
    let items = tx
        .query(
            "SELECT id, member_id, org_id, achievement FROM award_proposal_items WHERE proposal_id = $1 ORDER BY id",
            params![id],
        )
        .await?;
    let mut recipients = Vec::new();
    for r in &items {
        let item_id = r.int(0)?;
        if step.approved.is_empty() || step.approved.contains(&item_id) {
            recipients.push(NewRecipient {
                member_id: r.opt_int(1)?.map(MemberId::from),
                org_id: r.opt_int(2)?.map(OrgId::from),
                badge_years: None,
                achievement: r.text(3)?,
            });
        }
    }
    if let Some(stray) = step.approved.iter().find(|a| !items.iter().any(|r| r.int(0).ok() == Some(**a))) {
        return Err(StoreError::invalid("approved", format!("Mục {stray} không thuộc tờ trình")));
    }
    let title = step.decision_title.clone().unwrap_or_else(|| format!("Quyết định khen thưởng: {}", h.title));
    let document = documents::create(
        tx,
        actor,
        NewDocument {
            number: number.to_owned(),
            title,
            issued_on: decided_on,
            org_id: Some(h.to_org_id),
            congress_id: None,
        },
    )
    .await
    .map_err(|e| e.renamed("number", "decision_number"))?;
    awards::record(
        tx,
        actor,
        NewAward {
            org_id: h.to_org_id,
            kind: h.kind,
            title: h.title.clone(),
            decided_on,
            ceremony_on: None,
            document_id: Some(document.id),
            proposal_id: Some(id),
            campaign_id: h.campaign_id,
            recipients,
        },
        rules,
    )
    .await
}

const SUMMARY: &str = "p.id, p.org_id, o.name, p.to_org_id, t.name, p.kind, p.title, p.year, p.state, p.submitted_on,
    p.closed_on, p.award_id,
    (SELECT COUNT(*) FROM award_proposal_items i WHERE i.proposal_id = p.id AND i.member_id IS NOT NULL),
    (SELECT COUNT(*) FROM award_proposal_items i WHERE i.proposal_id = p.id AND i.org_id IS NOT NULL)";
const SUMMARY_FROM: &str = "FROM award_proposals p
    JOIN org_versions o ON o.org_id = p.org_id AND o.valid_to IS NULL
    JOIN org_versions t ON t.org_id = p.to_org_id AND t.valid_to IS NULL";

fn summary_of(r: &Row) -> Result<ProposalSummary, StoreError> {
    let kind = AwardKind::parse(&r.text(5)?).ok_or_else(|| StoreError::Decode("award_proposals.kind".into()))?;
    let state = State::parse(&r.text(8)?).ok_or_else(|| StoreError::Decode("award_proposals.state".into()))?;
    Ok(ProposalSummary {
        id: r.int(0)?,
        org_id: r.id(1)?,
        org_name: r.text(2)?,
        to_org_id: r.id(3)?,
        to_org_name: r.text(4)?,
        kind,
        kind_label: kind.label(),
        title: r.text(6)?,
        year: i32::try_from(r.int(7)?).unwrap_or_default(),
        state,
        state_label: state.label(),
        submitted_on: r.opt_date(9)?,
        closed_on: r.opt_date(10)?,
        award_id: r.opt_int(11)?,
        members: r.int(12)?,
        collectives: r.int(13)?,
    })
}

/// The proposals a subtree sent or has to decide, open ones first, newest first.
pub async fn of_subtree(db: &Db, path: &str, limit: i64) -> Result<Vec<ProposalSummary>, StoreError> {
    let end = subtree_end(path);
    db.query(
        &format!(
            "SELECT {SUMMARY} {SUMMARY_FROM}
             WHERE (o.path >= $1 AND o.path < $2) OR (t.path >= $1 AND t.path < $2)
             ORDER BY CASE WHEN p.state IN ('decided', 'rejected', 'withdrawn') THEN 1 ELSE 0 END, p.id DESC
             LIMIT $3"
        ),
        params![path, end.as_str(), limit],
    )
    .await?
    .iter()
    .map(summary_of)
    .collect()
}

/// The paths of the proposing unit and of the deciding level, for the scope checks.
pub async fn paths(db: &Db, id: i64) -> Result<Option<(String, String)>, StoreError> {
    db.query_one(&format!("SELECT o.path, t.path {SUMMARY_FROM} WHERE p.id = $1"), params![id])
        .await?
        .map(|r| Ok((r.text(0)?, r.text(1)?)))
        .transpose()
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Proposal>, StoreError> {
    let Some(row) = db
        .query_one(&format!("SELECT {SUMMARY}, p.campaign_id, p.reason {SUMMARY_FROM} WHERE p.id = $1"), params![id])
        .await?
    else {
        return Ok(None);
    };
    let summary = summary_of(&row)?;
    let periods = [summary.year.to_string(), (summary.year - 1).to_string()];
    let rows = db
        .query(
            "SELECT i.id, i.member_id, i.org_id, COALESCE(m.full_name, v.name, ''), i.achievement
             FROM award_proposal_items i
             LEFT JOIN members m ON m.id = i.member_id
             LEFT JOIN org_versions v ON v.org_id = i.org_id AND v.valid_to IS NULL
             WHERE i.proposal_id = $1 ORDER BY i.org_id IS NULL, i.id",
            params![id],
        )
        .await?;
    let ratings = db
        .query(
            "SELECT i.id, c.period, c.level FROM award_proposal_items i
             JOIN classifications c ON ((c.subject = 'member' AND c.member_id = i.member_id)
                                     OR (c.subject = 'org' AND i.org_id IS NOT NULL AND c.org_id = i.org_id))
             WHERE i.proposal_id = $1 AND c.period IN ($2, $3) ORDER BY c.period DESC",
            params![id, periods[0].as_str(), periods[1].as_str()],
        )
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let item_id = r.int(0)?;
        let mut mine = Vec::new();
        for c in ratings.iter().filter(|c| c.int(0).ok() == Some(item_id)) {
            let level = c.text(2)?;
            mine.push(Rating {
                period: c.text(1)?,
                level_label: ClassificationLevel::parse(&level).map_or("", ClassificationLevel::label),
                level,
            });
        }
        items.push(ProposalItem {
            id: item_id,
            member_id: r.opt_int(1)?.map(MemberId::from),
            org_id: r.opt_int(2)?.map(OrgId::from),
            name: r.text(3)?,
            achievement: r.text(4)?,
            ratings: mine,
        });
    }
    Ok(Some(Proposal { summary, campaign_id: row.opt_int(14)?, reason: row.opt_text(15)?, items }))
}
