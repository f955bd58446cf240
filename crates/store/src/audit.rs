//! The append-only, hash-chained audit log: who did what, when, before and after.

use dangvu_domain::audit::{Action, AuditContent, ChainBreak, GENESIS};
use dangvu_domain::ids::{MemberId, OrgId};
use serde::Serialize;

use crate::{Backend, Db, StoreError, Tx, params};

/// Who acts: an account, or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor { id: Some(id), name: name.to_owned() }
    }

    /// Changes made by `dangvu` admin commands on the server itself.
    pub fn command_line() -> Actor {
        Actor { id: None, name: "dòng lệnh".to_owned() }
    }
}

/// What a change is about: the kind of record the log names (`member`, `org` …) and, when it
/// is one record, its id. Built only by the constructors below, so that an organisation's id
/// cannot be logged as a member's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    entity: &'static str,
    id: Option<i64>,
}

macro_rules! subjects {
    ($($(#[$meta:meta])* $one:ident $(/ $many:ident)?: $entity:literal, $id:ty;)*) => {
        impl Subject {
            $(
                $(#[$meta])*
                pub fn $one(id: $id) -> Subject {
                    Subject { entity: $entity, id: Some(i64::from(id)) }
                }
                $(
                    /// Several records of this kind at once (a bulk change).
                    pub fn $many() -> Subject {
                        Subject { entity: $entity, id: None }
                    }
                )?
            )*
        }
    };
}

subjects! {
    admission: "admission", i64;
    award: "award", i64;
    award_proposal: "award_proposal", i64;
    body: "body", i64;
    campaign: "campaign", i64;
    cell_meeting / cell_meetings: "cell_meeting", i64;
    classification / classifications: "classification", i64;
    congress: "congress", i64;
    delegate: "delegate", i64;
    draft: "draft", i64;
    draft_comment: "draft_comment", i64;
    document: "document", i64;
    election: "election", i64;
    meeting: "meeting", i64;
    member / members: "member", MemberId;
    nomination_case: "nomination_case", i64;
    org: "org", OrgId;
    personnel_plan: "personnel_plan", i64;
    petition: "petition", i64;
    planning_entry: "planning_entry", i64;
    post_holder: "post_holder", i64;
    reception: "reception", i64;
    task: "task", i64;
    user: "user", i64;
}

impl Subject {
    /// The administrator's settings: one record, no id.
    pub fn settings() -> Subject {
        Subject { entity: "settings", id: None }
    }
}

/// One change, recorded in the same transaction as the change itself.
pub struct Change {
    pub action: Action,
    pub subject: Subject,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn append(tx: &mut Tx, actor: &Actor, change: Change) -> Result<i64, StoreError> {
    let head_sql = match tx.backend() {
        Backend::Sqlite => "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
        // The row lock serialises appends, so the chain never forks.
        Backend::Postgres => "SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE",
    };
    let head = tx.query_one(head_sql, &[]).await?.ok_or(StoreError::NotFound)?;
    let (last_id, last_hash) = (head.int(0)?, head.text(1)?);
    let id = last_id + 1;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let content = AuditContent {
        id,
        at: crate::now_micros(),
        actor_id: actor.id,
        actor_name: &actor.name,
        action: change.action.as_str(),
        entity: change.subject.entity,
        entity_id: change.subject.id,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = content.hash(&last_hash);
    tx.execute(
        "INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        params![
            id,
            content.at,
            actor.id,
            actor.name.as_str(),
            change.action.as_str(),
            change.subject.entity,
            change.subject.id,
            before.as_deref(),
            after.as_deref(),
            last_hash.as_str(),
            hash.as_str()
        ],
    )
    .await?;
    tx.execute("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1", params![id, hash]).await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Newest first; `before_id` pages backwards.
pub async fn list(db: &Db, before_id: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = db
        .query(
            "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before, after
             FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2",
            params![before_id.unwrap_or(i64::MAX), limit],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let json = |i| -> Result<Option<serde_json::Value>, StoreError> {
                Ok(r.opt_text(i)?.and_then(|s| serde_json::from_str(&s).ok()))
            };
            Ok(AuditEntry {
                id: r.int(0)?,
                at: crate::from_micros(r.int(1)?).to_rfc3339(),
                actor_id: r.opt_int(2)?,
                actor_name: r.text(3)?,
                action: r.text(4)?,
                entity: r.text(5)?,
                entity_id: r.opt_int(6)?,
                before: json(7)?,
                after: json(8)?,
            })
        })
        .collect()
}

/// The log's head now: its last entry and that entry's hash, `None` while the log is empty.
/// Documents print it, anchoring the log outside the database.
pub async fn head(db: &Db) -> Result<Option<(i64, String)>, StoreError> {
    let rows = db.query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &[]).await?;
    rows.first().map(|r| Ok((r.int(0)?, r.text(1)?))).transpose()
}

/// The entry whose hash is `hash`, if the log holds one: with a chain that verifies, the log
/// still contains everything up to the head a document printed.
pub async fn entry_with_hash(db: &Db, hash: &str) -> Result<Option<i64>, StoreError> {
    let rows = db.query("SELECT id FROM audit_log WHERE hash = $1", params![hash]).await?;
    rows.first().map(|r| r.int(0)).transpose()
}

/// Walks the whole chain. `Ok(n)` is the number of entries that verified.
pub async fn verify(db: &Db) -> Result<Result<i64, ChainBreak>, StoreError> {
    const BATCH: i64 = 10_000;
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_id = 0i64;
    let mut count = 0i64;
    loop {
        let rows = db
            .query(
                "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before, after, prev_hash, hash
                 FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2",
                params![prev_id, BATCH],
            )
            .await?;
        for r in &rows {
            let id = r.int(0)?;
            let (actor_name, action, entity) = (r.text(3)?, r.text(4)?, r.text(5)?);
            let (before, after) = (r.opt_text(7)?, r.opt_text(8)?);
            let content = AuditContent {
                id,
                at: r.int(1)?,
                actor_id: r.opt_int(2)?,
                actor_name: &actor_name,
                action: &action,
                entity: &entity,
                entity_id: r.opt_int(6)?,
                before: before.as_deref(),
                after: after.as_deref(),
            };
            if id != prev_id + 1 || r.text(9)? != prev_hash {
                return Ok(Err(ChainBreak::Unlinked { id }));
            }
            let hash = r.text(10)?;
            if content.hash(&prev_hash) != hash {
                return Ok(Err(ChainBreak::Edited { id }));
            }
            prev_hash = hash;
            prev_id = id;
            count += 1;
        }
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    let head = db.query_one("SELECT last_id, last_hash FROM audit_head WHERE id = 1", &[]).await?;
    let Some(head) = head else {
        return Ok(Err(ChainBreak::Truncated { expected: -1, found: Some(prev_id) }));
    };
    let (last_id, last_hash) = (head.int(0)?, head.text(1)?);
    if last_id != prev_id || last_hash != prev_hash {
        let found = (prev_id > 0).then_some(prev_id);
        return Ok(Err(ChainBreak::Truncated { expected: last_id, found }));
    }
    Ok(Ok(count))
}
