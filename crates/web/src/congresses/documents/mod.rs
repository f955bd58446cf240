//! A congress's documents, numbered in the congress's own series from 01 (36-HD/VPTW): the
//! congress's staff issue them while it sits; everyone who reads the congress reads the list,
//! and the documents are in the registry like any other.

pub mod api;

use chrono::NaiveDate;
use dangvu_domain::congresses::documents::CongressBody;
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::documents as store;
use dangvu_store::tasks::documents::Document;

use super::{prepared_congress, visible_congress};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

pub async fn list(state: &AppState, user: &SessionUser, congress_id: i64) -> Result<Vec<Document>, AppError> {
    visible_congress(state, user, congress_id).await?;
    Ok(store::of_congress(&state.db, congress_id).await?)
}

pub async fn issue(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
    body: CongressBody,
    doc_type: &str,
    title: &str,
    issued_on: NaiveDate,
) -> Result<Document, AppError> {
    prepared_congress(state, user, congress_id).await?;
    in_tx(state, async |tx| store::issue(tx, &actor(user), congress_id, body, doc_type, title, issued_on).await).await
}
