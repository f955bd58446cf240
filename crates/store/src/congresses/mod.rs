//! Congresses: the congress of an organisation for a term and its life (prepared, approved by
//! the higher committee, held, closed), its drafts and the comments on them. The rules are
//! `dangvu_domain::congresses`; this module reads, writes and audits.

pub mod delegates;
pub mod documents;
mod drafts;
mod plans;
pub mod subcommittees;
pub mod targets;

pub use drafts::{
    Comment, CommentFilter, CommentGroup, Draft, NewComment, Sender, Version, VersionHead, Whose, add_comment,
    add_version, comment, comment_groups, comments, counts_by_paragraph, create_draft, dispose, draft, draft_in,
    drafts_of, every_comment, set_window, version,
};
pub use plans::{
    MilestoneTask, MissedMilestone, NewPlan, OrgStanding, Plan, PlanProgress, milestones, plans_reaching, progress,
    push_plan,
};

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::{CongressKind, Event, Milestone, State, check_congress};
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, params};

/// The congress of an organisation for one term.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Congress {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    /// `members` (đại hội đảng viên) or `delegates` (đại hội đại biểu).
    #[schema(value_type = String, example = "members")]
    pub kind: CongressKind,
    /// Like `2025-2030`.
    pub term: String,
    pub opens_on: NaiveDate,
    pub closes_on: Option<NaiveDate>,
    pub place: String,
    /// `preparing`, `approved`, `in_session` or `closed`.
    #[schema(value_type = String, example = "preparing")]
    pub status: State,
    /// The higher committee's note with its approval or with sending it back.
    pub status_note: String,
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

columns! {
    mod col {
        id: "c.id",
        org_id: "c.org_id",
        title: "c.title",
        kind: "c.kind",
        term: "c.term",
        opens_on: "c.opens_on",
        closes_on: "c.closes_on",
        place: "c.place",
        state: "c.state",
        state_note: "c.state_note",
        opened_on: "c.opened_on",
        closed_on: "c.closed_on",
    }
}

fn from_row(r: &Row) -> Result<Congress, StoreError> {
    Ok(Congress {
        id: r.int(col::id)?,
        org_id: r.id(col::org_id)?,
        title: r.text(col::title)?,
        kind: r.word(col::kind, CongressKind::parse)?,
        term: r.text(col::term)?,
        opens_on: r.date(col::opens_on)?,
        closes_on: r.opt_date(col::closes_on)?,
        place: r.text(col::place)?,
        status: r.word(col::state, State::parse)?,
        status_note: r.text(col::state_note)?,
        opened_on: r.opt_date(col::opened_on)?,
        closed_on: r.opt_date(col::closed_on)?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Congress>, StoreError> {
    let sql = format!("SELECT {} FROM congresses c WHERE c.id = $1", col::SQL);
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

/// The congress as the transaction sees it, its row locked on PostgreSQL (a SQLite write
/// transaction holds the whole database already), so that two changes of its state are made
/// one after the other.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Congress, StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => format!("SELECT {} FROM congresses c WHERE c.id = $1 FOR UPDATE", col::SQL),
        crate::Backend::Sqlite => format!("SELECT {} FROM congresses c WHERE c.id = $1", col::SQL),
    };
    from_row(&tx.query_one(&sql, params![id]).await?.ok_or(StoreError::NotFound)?)
}

/// The congresses of an organisation, the latest term first.
pub async fn of_org(db: &Db, org_id: OrgId) -> Result<Vec<Congress>, StoreError> {
    let sql = format!("SELECT {} FROM congresses c WHERE c.org_id = $1 ORDER BY c.opens_on DESC, c.id DESC", col::SQL);
    db.query(&sql, params![org_id]).await?.iter().map(from_row).collect()
}

/// The congresses of the organisations of a subtree (the path of its root), soonest first,
/// at most `limit`.
pub async fn in_subtree(db: &Db, path: &str, on: NaiveDate, limit: i64) -> Result<Vec<Congress>, StoreError> {
    let sql = format!(
        "SELECT {} FROM congresses c
         JOIN org_versions v ON v.org_id = c.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2
         ORDER BY c.opens_on DESC, c.id DESC LIMIT $4",
        col::SQL
    );
    let end = dangvu_domain::orgs::tree::subtree_end(path);
    db.query(&sql, params![path, end.as_str(), on, limit]).await?.iter().map(from_row).collect()
}

/// The congresses not yet closed of the organisation at `path` and of those above it: what a
/// member of a cell reads and comments on, the nearest first.
pub async fn reaching(db: &Db, path: &str) -> Result<Vec<Congress>, StoreError> {
    let orgs = dangvu_domain::orgs::tree::ids(path);
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<crate::db::Value> = orgs.iter().map(|&o| crate::db::Value::from(o)).collect();
    values.push(crate::db::Value::from(State::Closed.as_str()));
    let list = (1..=orgs.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql =
        format!("SELECT {} FROM congresses c WHERE c.org_id IN ({list}) AND c.state <> ${}", col::SQL, orgs.len() + 1);
    let mut list = db.query(&sql, &values).await?.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let depth = |c: &Congress| std::cmp::Reverse(orgs.iter().position(|&o| o == c.org_id).unwrap_or(0));
    list.sort_by_key(|c| (depth(c), c.opens_on));
    Ok(list)
}

/// A congress as its organisation's office plans it.
#[derive(Debug, Clone)]
pub struct NewCongress {
    pub org_id: OrgId,
    pub title: String,
    pub kind: CongressKind,
    pub term: String,
    pub opens_on: NaiveDate,
    pub closes_on: Option<NaiveDate>,
    pub place: String,
}

/// Writes a congress in preparation, after checking it; an organisation holds one congress a
/// term.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewCongress) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let title = clean(&new.title);
    let place = clean(&new.place);
    let term = check_congress(&title, &new.term, new.opens_on, new.closes_on, &mut problems);
    if place.chars().count() > 300 {
        problems.add("place", "Địa điểm dài quá 300 ký tự");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let term = term.map(|t| t.to_string()).unwrap_or_default();
    let taken = tx
        .query_one("SELECT id FROM congresses WHERE org_id = $1 AND term = $2", params![new.org_id, term.as_str()])
        .await?;
    if taken.is_some() {
        return Err(StoreError::Invalid(dangvu_domain::validation::invalid(
            "term",
            "Tổ chức này đã có đại hội của nhiệm kỳ này",
        )));
    }
    let id = tx
        .query_one(
            "INSERT INTO congresses (org_id, title, kind, term, opens_on, closes_on, place, state, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            params![
                new.org_id,
                title.as_str(),
                new.kind.as_str(),
                term.as_str(),
                new.opens_on,
                new.closes_on,
                place.as_str(),
                State::Preparing.as_str(),
                actor.id,
                crate::now_micros()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    plans::create_milestones(tx, actor, id, new.org_id, new.kind, &term, new.opens_on).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CongressCreate,
            subject: Subject::congress(id),
            before: None,
            after: Some(json!({
                "org_id": new.org_id, "title": title, "kind": new.kind.as_str(), "term": term,
                "opens_on": new.opens_on, "closes_on": new.closes_on, "place": place,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// Moves the congress along `State::after`: approved or sent back by the higher committee
/// (with its note), opened or closed on `on`.
pub async fn change_state(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    event: Event,
    on: NaiveDate,
    note: &str,
) -> Result<Congress, StoreError> {
    let congress = lock(tx, id).await?;
    let next = congress
        .status
        .after(event)
        .map_err(|why| StoreError::Invalid(dangvu_domain::validation::invalid("status", why)))?;
    let note = clean(note);
    if event == Event::SendBack && note.is_empty() {
        return Err(StoreError::Invalid(dangvu_domain::validation::invalid(
            "note",
            "Nêu lý do trả lại để tổ chức chuẩn bị lại",
        )));
    }
    if note.chars().count() > 2_000 {
        return Err(StoreError::Invalid(dangvu_domain::validation::invalid("note", "Ghi chú dài quá 2.000 ký tự")));
    }
    let (opened_on, closed_on) = match event {
        Event::Open => (Some(on), None),
        Event::Close => {
            if congress.opened_on.is_some_and(|o| on < o) {
                return Err(StoreError::Invalid(dangvu_domain::validation::invalid(
                    "on",
                    "Ngày bế mạc không được trước ngày khai mạc",
                )));
            }
            (congress.opened_on, Some(on))
        }
        Event::Approve | Event::SendBack => (congress.opened_on, congress.closed_on),
    };
    let kept_note =
        if matches!(event, Event::Approve | Event::SendBack) { note.clone() } else { congress.status_note.clone() };
    tx.execute(
        "UPDATE congresses SET state = $2, state_note = $3, opened_on = $4, closed_on = $5 WHERE id = $1",
        params![id, next.as_str(), kept_note.as_str(), opened_on, closed_on],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CongressState,
            subject: Subject::congress(id),
            before: Some(json!({ "status": congress.status.as_str() })),
            after: Some(json!({ "status": next.as_str(), "event": event.as_str(), "on": on, "note": note })),
        },
    )
    .await?;
    match event {
        Event::Approve => plans::reach_milestone(tx, actor, id, Milestone::HigherReview, on).await?,
        Event::Open => plans::reach_milestone(tx, actor, id, Milestone::Opening, on).await?,
        Event::SendBack | Event::Close => {}
    }
    Ok(Congress { status: next, status_note: kept_note, opened_on, closed_on, ..congress })
}
