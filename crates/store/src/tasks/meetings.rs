//! Meetings (hội nghị, giao ban, họp Ban Thường vụ …) and their conclusions.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::OrgId;
use dangvu_domain::tasks::MEETING_KINDS;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Meeting {
    pub id: i64,
    /// The host organisation.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    /// `standing_board`, `standing_office`, `executive`, `quarterly_briefing`, `six_month_review`,
    /// `annual_review`, `congress_preparation`, `working_session` or `other`.
    pub kind: String,
    pub held_on: NaiveDate,
    pub chair: String,
    pub attendees: String,
    /// What the units reported.
    pub reports: String,
    /// The conclusion, from which tasks are drafted.
    pub conclusion: String,
    /// The document that records the conclusion (a Thông báo kết luận), if any.
    pub document_id: Option<i64>,
}

const COLUMNS: &str =
    "m.id, m.org_id, m.title, m.kind, m.held_on, m.chair, m.attendees, m.reports, m.conclusion, m.document_id";

fn from_row(r: &Row) -> Result<Meeting, StoreError> {
    Ok(Meeting {
        id: r.int(0)?,
        org_id: r.id(1)?,
        title: r.text(2)?,
        kind: r.text(3)?,
        held_on: r.date(4)?,
        chair: r.text(5)?,
        attendees: r.text(6)?,
        reports: r.text(7)?,
        conclusion: r.text(8)?,
        document_id: r.opt_int(9)?,
    })
}

pub struct NewMeeting {
    pub org_id: OrgId,
    pub title: String,
    pub kind: String,
    pub held_on: NaiveDate,
    pub chair: String,
    pub attendees: String,
    pub reports: String,
    pub conclusion: String,
    pub document_id: Option<i64>,
}

/// Long texts are kept as written (line breaks matter in a conclusion), only normalised.
fn text_block(s: &str) -> String {
    dangvu_domain::text::nfc(s.trim())
}

pub async fn create(tx: &mut Tx, actor: &Actor, new: NewMeeting) -> Result<Meeting, StoreError> {
    let title = clean(&new.title);
    let mut problems = Problems::new();
    if title.is_empty() || title.chars().count() > 500 {
        problems.add("title", "Tên cuộc họp gồm 1–500 ký tự");
    }
    if !MEETING_KINDS.iter().any(|(k, _)| *k == new.kind) {
        problems.add("kind", "Loại cuộc họp không hợp lệ");
    }
    if new.conclusion.len() > 200_000 || new.reports.len() > 200_000 {
        problems.add("conclusion", "Nội dung quá dài (tối đa 200.000 ký tự)");
    }
    if let Some(d) = new.document_id
        && tx.query_one("SELECT 1 FROM documents WHERE id = $1", params![d]).await?.is_none()
    {
        problems.add("document_id", "Không có văn bản này");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let m = Meeting {
        id: 0,
        org_id: new.org_id,
        title,
        kind: new.kind,
        held_on: new.held_on,
        chair: clean(&new.chair),
        attendees: text_block(&new.attendees),
        reports: text_block(&new.reports),
        conclusion: text_block(&new.conclusion),
        document_id: new.document_id,
    };
    let id = tx
        .query_one(
            "INSERT INTO meetings (org_id, title, kind, held_on, chair, attendees, reports, conclusion, document_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            params![
                m.org_id,
                m.title.as_str(),
                m.kind.as_str(),
                m.held_on,
                m.chair.as_str(),
                m.attendees.as_str(),
                m.reports.as_str(),
                m.conclusion.as_str(),
                m.document_id,
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
            action: Action::MeetingCreate,
            subject: Subject::meeting(id),
            before: None,
            after: Some(json!({"org_id": m.org_id, "title": m.title, "kind": m.kind, "held_on": m.held_on})),
        },
    )
    .await?;
    Ok(Meeting { id, ..m })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Meeting>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM meetings m WHERE m.id = $1");
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

/// Meetings hosted in the subtree at `path` (on `on`), newest first, paged by id.
pub async fn in_subtree(
    db: &Db,
    path: &str,
    on: NaiveDate,
    before_id: i64,
    limit: i64,
) -> Result<Vec<Meeting>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM meetings m JOIN org_versions v ON v.org_id = m.org_id
           AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2 AND m.id < $4 ORDER BY m.id DESC LIMIT $5"
    );
    db.query(&sql, params![path, dangvu_domain::orgs::tree::subtree_end(path), on, before_id, limit])
        .await?
        .iter()
        .map(from_row)
        .collect()
}
