//! Topics a higher level sets for every cell of its subtree in a month: each cell sees those
//! of its ancestors on its meetings' agenda.

use chrono::{DateTime, FixedOffset};
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::Month;
use dangvu_domain::ids::OrgId;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Value;
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Topic {
    pub id: i64,
    /// The committee that set it.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub title: String,
    pub detail: String,
    pub document_id: Option<i64>,
    /// "35-CT/TW: Chỉ thị về …", when a document is named.
    pub document: Option<String>,
    #[schema(value_type = String)]
    pub created_at: DateTime<FixedOffset>,
}

const COLUMNS: &str =
    "t.id, t.org_id, v.name, t.month, t.title, t.detail, t.document_id, d.number, d.title, t.created_at";

fn from_row(r: &Row) -> Result<Topic, StoreError> {
    let month = Month::from_number(r.int(3)?).ok_or_else(|| StoreError::Decode("topic month".into()))?;
    let document = match (r.opt_text(7)?, r.opt_text(8)?) {
        (Some(n), Some(t)) => Some(format!("{n}: {t}")),
        _ => None,
    };
    Ok(Topic {
        id: r.int(0)?,
        org_id: r.id(1)?,
        org_name: r.text(2)?,
        month: month.to_string(),
        title: r.text(4)?,
        detail: r.text(5)?,
        document_id: r.opt_int(6)?,
        document,
        created_at: calendar::local(crate::from_micros(r.int(9)?)),
    })
}

fn select(where_clause: &str, tail: &str) -> String {
    format!(
        "SELECT {COLUMNS} FROM cell_meeting_topics t
         JOIN org_versions v ON v.org_id = t.org_id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)
         LEFT JOIN documents d ON d.id = t.document_id
         WHERE t.withdrawn_at IS NULL AND {where_clause} {tail}"
    )
}

/// Sets a topic for every cell below `org_id` in `month`.
pub async fn push(
    tx: &mut Tx,
    actor: &Actor,
    org_id: OrgId,
    month: Month,
    title: &str,
    detail: &str,
    document_id: Option<i64>,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let title = clean(title);
    if title.is_empty() || title.chars().count() > 300 {
        problems.add("title", "Nội dung gồm 1–300 ký tự");
    }
    let detail = dangvu_domain::text::nfc(detail.trim());
    if detail.chars().count() > 5000 {
        problems.add("detail", "Hướng dẫn tối đa 5.000 ký tự");
    }
    if let Some(d) = document_id
        && tx.query_one("SELECT 1 FROM documents WHERE id = $1", params![d]).await?.is_none()
    {
        problems.add("document_id", "Không có văn bản này");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let id = tx
        .query_one(
            "INSERT INTO cell_meeting_topics (org_id, month, title, detail, document_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![
                org_id,
                month.number(),
                title.as_str(),
                detail.as_str(),
                document_id,
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
            action: Action::CellMeetingTopic,
            subject: Subject::org(org_id),
            before: None,
            after: Some(json!({"topic_id": id, "month": month.to_string(), "title": title})),
        },
    )
    .await?;
    Ok(id)
}

/// Withdraws a topic; the cells no longer see it.
pub async fn withdraw(tx: &mut Tx, actor: &Actor, topic: &Topic) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE cell_meeting_topics SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL",
        params![topic.id, crate::now_micros()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CellMeetingTopicWithdraw,
            subject: Subject::org(topic.org_id),
            before: Some(json!({"topic_id": topic.id, "title": topic.title})),
            after: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Topic>, StoreError> {
    let sql = select("t.id = $2", "");
    db.query_one(&sql, params![calendar::today(), id]).await?.map(|r| from_row(&r)).transpose()
}

/// The topics set by `org_id` itself, newest month first.
pub async fn set_by(db: &Db, org_id: OrgId, limit: i64) -> Result<Vec<Topic>, StoreError> {
    let sql = select("t.org_id = $2", "ORDER BY t.month DESC, t.id LIMIT $3");
    let rows = db.query(&sql, params![calendar::today(), org_id, limit]).await?;
    rows.iter().map(from_row).collect()
}

/// The topics a cell at `cell_path` has in `month`: those set by the cell and each of its
/// ancestors (ids read from the path, so one index probe each).
pub async fn for_cell(db: &Db, cell_path: &str, month: Month) -> Result<Vec<Topic>, StoreError> {
    let ids = dangvu_domain::orgs::tree::ids(cell_path);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = select(&format!("t.month = $2 AND t.org_id IN ({})", list.join(", ")), "ORDER BY t.id");
    let mut values = vec![Value::from(calendar::today()), Value::from(month.number())];
    values.extend(ids.into_iter().map(Value::from));
    let rows = db.query(&sql, &values).await?;
    rows.iter().map(from_row).collect()
}
