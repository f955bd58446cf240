//! The subcommittees of a congress, their people and their tasks
//! (`dangvu_domain::congresses::subcommittees`).

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::subcommittees::{SeatInSubcommittee, SubcommitteeKind, check_member};
use dangvu_domain::ids::MemberId;
use dangvu_domain::tasks::NewTask;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::Congress;
use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubcommitteeMember {
    pub id: i64,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub full_name: String,
    /// `head`, `deputy`, `secretary` or `member`.
    #[schema(value_type = String, example = "head")]
    pub seat: SeatInSubcommittee,
    /// Their post, e.g. "Phó Bí thư Đảng ủy".
    pub title: String,
}

/// A task of a subcommittee, as the tasks capability holds it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubcommitteeTask {
    pub task_id: i64,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subcommittee {
    pub id: i64,
    pub congress_id: i64,
    /// `documents`, `personnel`, `organisation`, `propaganda` or `other`.
    #[schema(value_type = String, example = "documents")]
    pub kind: SubcommitteeKind,
    pub name: String,
    pub members: Vec<SubcommitteeMember>,
    pub tasks: Vec<SubcommitteeTask>,
}

/// The subcommittees of a congress with their people (head first) and tasks (soonest first).
pub async fn of_congress(db: &Db, congress_id: i64) -> Result<Vec<Subcommittee>, StoreError> {
    let mut list = Vec::new();
    for r in db
        .query(
            "SELECT id, kind, name FROM congress_subcommittees WHERE congress_id = $1 ORDER BY id",
            params![congress_id],
        )
        .await?
    {
        list.push(Subcommittee {
            id: r.int(0)?,
            congress_id,
            kind: r.word(1, SubcommitteeKind::parse)?,
            name: r.text(2)?,
            members: Vec::new(),
            tasks: Vec::new(),
        });
    }
    for s in &mut list {
        for r in db
            .query(
                "SELECT id, member_id, full_name, seat, title FROM congress_subcommittee_members
                 WHERE subcommittee_id = $1 ORDER BY CASE seat WHEN 'head' THEN 0 WHEN 'deputy' THEN 1 WHEN 'secretary' THEN 2 ELSE 3 END, id",
                params![s.id],
            )
            .await?
        {
            s.members.push(SubcommitteeMember {
                id: r.int(0)?,
                member_id: r.opt_id(1)?,
                full_name: r.text(2)?,
                seat: r.word(3, SeatInSubcommittee::parse)?,
                title: r.text(4)?,
            });
        }
        for r in db
            .query(
                "SELECT t.id, t.title, t.due_on, t.done_on FROM congress_subcommittee_tasks s JOIN tasks t ON t.id = s.task_id
                 WHERE s.subcommittee_id = $1 ORDER BY t.due_on, t.id",
                params![s.id],
            )
            .await?
        {
            s.tasks.push(SubcommitteeTask {
                task_id: r.int(0)?,
                title: r.text(1)?,
                due_on: r.opt_date(2)?,
                done_on: r.opt_date(3)?,
            });
        }
    }
    Ok(list)
}

/// The congress a subcommittee belongs to.
pub async fn congress_of(db: &Db, id: i64) -> Result<Option<i64>, StoreError> {
    db.query_one("SELECT congress_id FROM congress_subcommittees WHERE id = $1", params![id])
        .await?
        .map(|r| r.int(0))
        .transpose()
}

/// Sets up a subcommittee; its name defaults to the kind's usual one and is unique in the
/// congress.
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    kind: SubcommitteeKind,
    name: &str,
) -> Result<i64, StoreError> {
    let name = match clean(name) {
        n if n.is_empty() => kind.label().to_owned(),
        n => n,
    };
    if name.chars().count() > 200 {
        return Err(StoreError::invalid("name", "Tên tiểu ban dài quá 200 ký tự"));
    }
    let taken = tx
        .query_one(
            "SELECT 1 FROM congress_subcommittees WHERE congress_id = $1 AND name = $2",
            params![congress.id, name.as_str()],
        )
        .await?;
    if taken.is_some() {
        return Err(StoreError::invalid("name", "Đại hội đã có tiểu ban tên này"));
    }
    let id = tx
        .query_one(
            "INSERT INTO congress_subcommittees (congress_id, kind, name, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![congress.id, kind.as_str(), name.as_str(), actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::SubcommitteeCreate,
            subject: Subject::congress(congress.id),
            before: None,
            after: Some(json!({ "subcommittee": id, "kind": kind.as_str(), "name": name })),
        },
    )
    .await?;
    Ok(id)
}

pub struct NewSubcommitteeMember {
    pub member_id: Option<MemberId>,
    pub full_name: String,
    pub seat: SeatInSubcommittee,
    pub title: String,
}

pub async fn add_member(
    tx: &mut Tx,
    actor: &Actor,
    subcommittee_id: i64,
    new: &NewSubcommitteeMember,
) -> Result<i64, StoreError> {
    let (name, title) = (clean(&new.full_name), clean(&new.title));
    let heads = tx
        .query_one(
            "SELECT COUNT(*) FROM congress_subcommittee_members WHERE subcommittee_id = $1 AND seat = 'head'",
            params![subcommittee_id],
        )
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    let mut problems = Problems::new();
    check_member(&name, &title, new.seat, heads as u32, &mut problems);
    if let Some(m) = new.member_id
        && tx.query_one("SELECT 1 FROM members WHERE id = $1", params![m]).await?.is_none()
    {
        problems.add("member_id", "Không có đảng viên này");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO congress_subcommittee_members (subcommittee_id, member_id, full_name, seat, title, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![subcommittee_id, new.member_id, name.as_str(), new.seat.as_str(), title.as_str(), actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    let congress_id = tx
        .query_one("SELECT congress_id FROM congress_subcommittees WHERE id = $1", params![subcommittee_id])
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::SubcommitteeMember,
            subject: Subject::congress(congress_id),
            before: None,
            after: Some(
                json!({ "subcommittee": subcommittee_id, "seat": new.seat.as_str(), "member_id": new.member_id }),
            ),
        },
    )
    .await?;
    Ok(id)
}

/// Gives a subcommittee a task of the tasks capability: the congress's organisation assigns
/// and leads it, its title names the subcommittee.
pub async fn assign_task(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    subcommittee_id: i64,
    title: &str,
    due_on: Option<NaiveDate>,
) -> Result<i64, StoreError> {
    let name = tx
        .query_one(
            "SELECT name FROM congress_subcommittees WHERE id = $1 AND congress_id = $2",
            params![subcommittee_id, congress.id],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .text(0)?;
    let title = clean(title);
    if title.is_empty() {
        return Err(StoreError::invalid("title", "Nhập nội dung nhiệm vụ"));
    }
    let task = NewTask {
        org_id: congress.org_id,
        title: format!("{name}: {title}"),
        detail: String::new(),
        lead_org_id: congress.org_id,
        support_org_ids: Vec::new(),
        support_body_ids: Vec::new(),
        lead_body_id: None,
        starts_on: None,
        due_on,
        recurrence: None,
        meeting_id: None,
        document_id: None,
    };
    let task_id = crate::tasks::create(tx, actor, task).await?;
    tx.execute(
        "INSERT INTO congress_subcommittee_tasks (subcommittee_id, task_id) VALUES ($1, $2)",
        params![subcommittee_id, task_id],
    )
    .await?;
    Ok(task_id)
}
