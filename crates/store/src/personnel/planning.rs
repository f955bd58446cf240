//! The planning pools (quy hoạch cán bộ) of an organisation's posts for a term: who is in each,
//! by which decision they were added and removed (the yearly review), the standards found met,
//! and the ratios the rules watch, per post and for the whole level.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::Gender;
use dangvu_domain::members::member::age_on;
use dangvu_domain::personnel::planning::check_candidate;
use dangvu_domain::personnel::{Candidate, PersonnelRules, PoolCheck, PoolFigures, Post, Term, pool_figures};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// One person in one post's pool.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanningEntry {
    pub id: i64,
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_id: Option<i64>,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    /// The unit the member belongs to now.
    pub unit: String,
    #[schema(value_type = String, example = "female")]
    pub gender: Gender,
    /// Age at the start of the term.
    pub age_at_term_start: u32,
    /// The posts of the same term whose pools hold this person.
    pub posts_in_term: u32,
    /// The standards found met, from the settings' checklist.
    pub standards: Vec<String>,
    pub added_on: NaiveDate,
    pub added_decision: String,
    pub removed_on: Option<NaiveDate>,
    pub removed_decision: Option<String>,
    pub removed_reason: Option<String>,
    pub check: PoolCheck,
}

/// One post's pool and its figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostPool {
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_id: Option<i64>,
    pub body_name: Option<String>,
    pub people: Vec<PlanningEntry>,
    pub figures: PoolFigures,
}

/// An organisation's planning for a term, as it stood on `on`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pool {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub term: String,
    pub on: NaiveDate,
    /// The day ages and working time are counted on: 1 January of the term's first year.
    pub term_starts: NaiveDate,
    pub posts: Vec<PostPool>,
    /// Every post together, each person counted once.
    pub level: PoolFigures,
    /// Those taken out of the pools up to `on`, the latest first.
    pub removed: Vec<PlanningEntry>,
    /// The checklist of standards (the settings').
    pub standards: Vec<String>,
}

pub struct NewPlanningEntry {
    pub org_id: OrgId,
    pub post: Post,
    pub body_id: Option<i64>,
    pub term: String,
    pub member_id: MemberId,
    pub added_on: NaiveDate,
    pub decision: String,
    pub standards: Vec<String>,
}

fn term_of(raw: &str) -> Result<Term, StoreError> {
    Term::parse(raw).ok_or_else(|| StoreError::invalid("term", "Nhiệm kỳ viết như 2030-2035"))
}

/// The day a term's ages are counted on.
pub fn term_starts(term: Term) -> NaiveDate {
    NaiveDate::from_ymd_opt(term.start, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The standards given, each one of the checklist's.
fn checked_standards(given: &[String], rules: &PersonnelRules) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for s in given.iter().map(|s| clean(s)).filter(|s| !s.is_empty()) {
        if !rules.planning_standards.contains(&s) {
            return Err(StoreError::invalid("standards", format!("Không có tiêu chuẩn \"{s}\" trong danh mục")));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The organisation's pools for the term, on `on`.
pub async fn pool(
    db: &Db,
    org_id: OrgId,
    org_name: &str,
    term: &str,
    on: NaiveDate,
    rules: &PersonnelRules,
) -> Result<Pool, StoreError> {
    let t = term_of(term)?;
    let starts = term_starts(t);
    let rows = db
        .query(
            "SELECT p.id, p.post, p.body_id, p.member_id, m.full_name, m.gender, m.birth_date, p.standards,
                    p.added_on, p.added_decision, p.removed_on, p.removed_decision, p.removed_reason,
                    (SELECT COUNT(*) FROM planning_entries q WHERE q.member_id = p.member_id AND q.term = p.term
                        AND q.added_on <= $3 AND (q.removed_on IS NULL OR q.removed_on > $3)),
                    COALESCE((SELECT v.name FROM org_versions v WHERE v.org_id = m.org_id
                        AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)), '')
             FROM planning_entries p JOIN members m ON m.id = p.member_id
             WHERE p.org_id = $1 AND p.term = $2 AND p.added_on <= $3
             ORDER BY p.post, p.body_id, m.full_name, p.id LIMIT 20000",
            params![org_id, t.to_string(), on],
        )
        .await?;
    let bodies: HashMap<i64, String> = db
        .query("SELECT id, name FROM bodies WHERE org_id = $1", params![org_id])
        .await?
        .iter()
        .map(|r| Ok((r.int(0)?, r.text(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut current: Vec<(PlanningEntry, Candidate)> = Vec::new();
    let mut removed = Vec::new();
    for r in &rows {
        let post = r.word(1, Post::parse)?;
        let gender = r.word(5, Gender::parse)?;
        let birth_date = r.date(6)?;
        let standards: Vec<String> = serde_json::from_str(&r.text(7)?).unwrap_or_default();
        let posts_in_term = u32::try_from(r.int(13)?).unwrap_or(0);
        let candidate = Candidate { gender, birth_date, posts_in_term };
        let removed_on = r.opt_date(10)?.filter(|d| *d <= on);
        let entry = PlanningEntry {
            id: r.int(0)?,
            post,
            post_label: post.label(),
            body_id: r.opt_int(2)?,
            member_id: r.id(3)?,
            full_name: r.text(4)?,
            unit: r.text(14)?,
            gender,
            age_at_term_start: age_on(birth_date, starts),
            posts_in_term,
            standards,
            added_on: r.date(8)?,
            added_decision: r.text(9)?,
            removed_on,
            removed_decision: removed_on.and(r.opt_text(11)?),
            removed_reason: removed_on.and(r.opt_text(12)?),
            check: check_candidate(&candidate, starts, rules),
        };
        if removed_on.is_some() { removed.push(entry) } else { current.push((entry, candidate)) }
    }
    removed.sort_by_key(|e| std::cmp::Reverse(e.removed_on));
    let mut posts: Vec<PostPool> = Vec::new();
    for (entry, _) in &current {
        if !posts.iter().any(|p| (p.post, p.body_id) == (entry.post, entry.body_id)) {
            posts.push(PostPool {
                post: entry.post,
                post_label: entry.post_label,
                body_id: entry.body_id,
                body_name: entry.body_id.and_then(|b| bodies.get(&b).cloned()),
                people: Vec::new(),
                figures: PoolFigures::default(),
            });
        }
    }
    posts.sort_by_key(|p| (p.post, p.body_id));
    for p in &mut posts {
        let mine: Vec<&(PlanningEntry, Candidate)> =
            current.iter().filter(|(e, _)| (e.post, e.body_id) == (p.post, p.body_id)).collect();
        let candidates: Vec<Candidate> = mine.iter().map(|(_, c)| c.clone()).collect();
        p.figures = pool_figures(&candidates, starts, true, rules);
        p.people = mine.into_iter().map(|(e, _)| e.clone()).collect();
    }
    let mut seen = std::collections::HashSet::new();
    let level: Vec<Candidate> =
        current.iter().filter(|(e, _)| seen.insert(e.member_id)).map(|(_, c)| c.clone()).collect();
    Ok(Pool {
        org_id,
        org_name: org_name.to_owned(),
        term: t.to_string(),
        on,
        term_starts: starts,
        posts,
        level: pool_figures(&level, starts, false, rules),
        removed,
        standards: rules.planning_standards.clone(),
    })
}

/// Adds a member to a post's pool by a decision.
pub async fn add_to_pool(
    tx: &mut Tx,
    actor: &Actor,
    new: NewPlanningEntry,
    rules: &PersonnelRules,
) -> Result<i64, StoreError> {
    let term = term_of(&new.term)?;
    super::posts::check_board(tx, new.org_id, new.post, new.body_id).await?;
    let decision = super::posts::decision_text(&new.decision)?;
    let standards = checked_standards(&new.standards, rules)?;
    let member = tx.query_one("SELECT ended_on FROM members WHERE id = $1", params![new.member_id]).await?;
    match member {
        None => return Err(StoreError::invalid("member_id", "Không có đảng viên này")),
        Some(m) if m.opt_date(0)?.is_some() => {
            return Err(StoreError::invalid("member_id", "Đảng viên này đã ra khỏi danh sách"));
        }
        Some(_) => {}
    }
    let already = tx
        .query_one(
            "SELECT 1 FROM planning_entries WHERE org_id = $1 AND post = $2 AND COALESCE(body_id, 0) = COALESCE($3, 0)
             AND term = $4 AND member_id = $5 AND removed_on IS NULL",
            params![new.org_id, new.post.as_str(), new.body_id, term.to_string(), new.member_id],
        )
        .await?;
    if already.is_some() {
        return Err(StoreError::invalid("member_id", "Người này đã trong quy hoạch chức danh này"));
    }
    let standards_json = serde_json::to_string(&standards).map_err(|e| StoreError::Decode(e.to_string()))?;
    let id = tx
        .query_one(
            "INSERT INTO planning_entries (org_id, post, body_id, term, member_id, standards, added_on, added_decision, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            params![
                new.org_id,
                new.post.as_str(),
                new.body_id,
                term.to_string(),
                new.member_id,
                standards_json,
                new.added_on,
                decision.as_str(),
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
            action: Action::PlanningAdd,
            subject: Subject::planning_entry(id),
            before: None,
            // Who is in a pool is personnel data: the log, which every admin reads, names the
            // entry, not the person (the entry's row keeps the person and the decision).
            after: Some(json!({"org_id": new.org_id, "post": new.post.as_str(), "body_id": new.body_id,
                "term": term.to_string(), "added_on": new.added_on})),
        },
    )
    .await?;
    Ok(id)
}

/// The organisation and term whose pool holds an entry.
pub async fn entry_org(db: &Db, id: i64) -> Result<Option<(OrgId, String)>, StoreError> {
    let row = db.query_one("SELECT org_id, term FROM planning_entries WHERE id = $1", params![id]).await?;
    row.map(|r| Ok((r.id(0)?, r.text(1)?))).transpose()
}

/// Takes a person out of a pool at the yearly review (or when they leave), by a decision.
pub async fn remove_from_pool(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    decision: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let (decision, reason) = (super::posts::decision_text(decision)?, clean(reason));
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(StoreError::invalid("reason", "Ghi lý do đưa ra khỏi quy hoạch (tối đa 500 ký tự)"));
    }
    let row = tx.query_one("SELECT added_on, removed_on FROM planning_entries WHERE id = $1", params![id]).await?;
    let row = row.ok_or(StoreError::NotFound)?;
    if row.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("removed_on", "Người này đã được đưa ra khỏi quy hoạch"));
    }
    if on < row.date(0)? {
        return Err(StoreError::invalid("removed_on", "Ngày đưa ra không trước ngày bổ sung"));
    }
    tx.execute(
        "UPDATE planning_entries SET removed_on = $2, removed_decision = $3, removed_reason = $4 WHERE id = $1",
        params![id, on, decision.as_str(), reason.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PlanningRemove,
            subject: Subject::planning_entry(id),
            before: None,
            after: Some(json!({"removed_on": on, "decision": decision, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// Records the standards found met at a review.
pub async fn set_standards(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    standards: &[String],
    rules: &PersonnelRules,
) -> Result<(), StoreError> {
    let standards = checked_standards(standards, rules)?;
    let before = tx.query_one("SELECT standards FROM planning_entries WHERE id = $1", params![id]).await?;
    let before: Vec<String> = serde_json::from_str(&before.ok_or(StoreError::NotFound)?.text(0)?).unwrap_or_default();
    let value = serde_json::to_string(&standards).map_err(|e| StoreError::Decode(e.to_string()))?;
    tx.execute("UPDATE planning_entries SET standards = $2 WHERE id = $1", params![id, value]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PlanningStandards,
            subject: Subject::planning_entry(id),
            before: Some(json!(before)),
            after: Some(json!(standards)),
        },
    )
    .await?;
    Ok(())
}
