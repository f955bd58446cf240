//! The subcommittees that prepare a congress: the congress's staff set them up, name their
//! people and give them tasks; everyone who reads the congress reads them.

pub mod api;

use chrono::NaiveDate;
use dangvu_domain::congresses::subcommittees::SubcommitteeKind;
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::subcommittees::{self as store, NewSubcommitteeMember, Subcommittee};

use super::{Seen, prepared_congress, visible_congress};
use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

pub async fn list(state: &AppState, user: &SessionUser, congress_id: i64) -> Result<Vec<Subcommittee>, AppError> {
    visible_congress(state, user, congress_id).await?;
    Ok(store::of_congress(&state.db, congress_id).await?)
}

async fn one(state: &AppState, congress_id: i64, id: i64) -> Result<Subcommittee, AppError> {
    store::of_congress(&state.db, congress_id).await?.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound)
}

pub async fn create(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
    kind: SubcommitteeKind,
    name: &str,
) -> Result<Subcommittee, AppError> {
    let Seen { congress, .. } = prepared_congress(state, user, congress_id).await?;
    let id = in_tx(state, async |tx| store::create(tx, &actor(user), &congress, kind, name).await).await?;
    one(state, congress_id, id).await
}

/// The subcommittee's congress, for its preparers.
async fn prepared(state: &AppState, user: &SessionUser, id: i64) -> Result<Seen, AppError> {
    let congress_id = store::congress_of(&state.db, id).await?.ok_or(AppError::NotFound)?;
    prepared_congress(state, user, congress_id).await
}

pub async fn add_member(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    new: NewSubcommitteeMember,
) -> Result<Subcommittee, AppError> {
    let seen = prepared(state, user, id).await?;
    if let Some(m) = new.member_id {
        match crate::members::visible_member(state, user, m).await {
            Ok(_) => {}
            Err(AppError::NotFound) => {
                return Err(AppError::invalid("member_id", "Không có đảng viên này trong phạm vi của bạn"));
            }
            Err(e) => return Err(e),
        }
    }
    in_tx(state, async |tx| store::add_member(tx, &actor(user), id, &new).await).await?;
    one(state, seen.congress.id, id).await
}

pub async fn assign_task(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    title: &str,
    due_on: Option<NaiveDate>,
) -> Result<Subcommittee, AppError> {
    let Seen { congress, .. } = prepared(state, user, id).await?;
    in_tx(state, async |tx| store::assign_task(tx, &actor(user), &congress, id, title, due_on).await).await?;
    one(state, congress.id, id).await
}
