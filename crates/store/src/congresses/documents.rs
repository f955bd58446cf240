//! A congress's documents in the registry, numbered in the congress's own series
//! (`dangvu_domain::congresses::documents`).

use chrono::NaiveDate;
use dangvu_domain::congresses::State;
use dangvu_domain::congresses::documents::{CongressBody, congress_document_number};

use crate::tasks::documents::{self, Document, NewDocument};
use crate::{Db, StoreError, Tx, params};

/// Registers the congress's next document: its number is the next of the series, the body
/// its issuer. A congress issues from its opening (the preparatory session) to its closing day.
pub async fn issue(
    tx: &mut Tx,
    actor: &crate::audit::Actor,
    congress_id: i64,
    body: CongressBody,
    doc_type: &str,
    title: &str,
    issued_on: NaiveDate,
) -> Result<Document, StoreError> {
    // The congress's row is locked first, so that two documents issued at once take two numbers.
    let congress = super::lock(tx, congress_id).await?;
    let within = match (congress.status, congress.opened_on) {
        (State::InSession, Some(open)) => issued_on >= open,
        (State::Closed, Some(open)) => issued_on >= open && congress.closed_on.is_none_or(|c| issued_on <= c),
        _ => false,
    };
    if !within {
        return Err(StoreError::invalid(
            "issued_on",
            "Văn bản đại hội mang ngày từ phiên trù bị (khai mạc) đến ngày bế mạc của đại hội",
        ));
    }
    let serial = tx
        .query_one("SELECT COALESCE(MAX(serial), 0) + 1 FROM documents WHERE congress_id = $1", params![congress_id])
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(1);
    let number =
        congress_document_number(serial as u32, doc_type, body).map_err(|why| StoreError::invalid("type", why))?;
    let new = NewDocument {
        number: number.canonical(),
        title: title.to_owned(),
        issued_on,
        org_id: Some(congress.org_id),
        congress_id: Some(congress_id),
    };
    documents::create(tx, actor, new).await
}

/// The congress's documents in the order of their numbers.
pub async fn of_congress(db: &Db, congress_id: i64) -> Result<Vec<Document>, StoreError> {
    let ids = db.query("SELECT id FROM documents WHERE congress_id = $1 ORDER BY serial", params![congress_id]).await?;
    let mut list = Vec::with_capacity(ids.len());
    for r in ids {
        if let Some(d) = documents::get(db, r.int(0)?).await? {
            list.push(d);
        }
    }
    Ok(list)
}
