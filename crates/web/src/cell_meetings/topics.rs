//! The topics the committees above set for their cells' meetings.

use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::Month;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::topics;
use dangvu_store::orgs::Org;

use super::Parsed;
use crate::AppState;
use crate::error::AppError;
use crate::scope::{org_field, visible_org};
use crate::usecase::{actor, in_tx};

/// A topic for the meetings of a month.
pub struct NewTopic {
    pub month: Month,
    pub title: String,
    pub detail: String,
    /// A document of the registry to study for it.
    pub document_id: Option<i64>,
}

/// Sets a topic for the meetings of every cell below the committee `org_id` in a month. Answers
/// the topic's id.
pub async fn push_topic(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    topic: Parsed<NewTopic>,
) -> Result<i64, AppError> {
    if !user.user.role.may_push_cell_topics() {
        return Err(AppError::forbidden());
    }
    let topic = topic?;
    org_field(state, user, org_id, "org_id").await?;
    if let Some(d) = topic.document_id
        && crate::tasks::visible_document(state, user, d).await.is_err()
    {
        return Err(AppError::invalid("document_id", "Không có văn bản này"));
    }
    in_tx(state, async |tx| {
        topics::push(tx, &actor(user), org_id, topic.month, &topic.title, &topic.detail, topic.document_id).await
    })
    .await
}

/// Withdraws a topic: the cells no longer see it. Answers the committee that had set it.
pub async fn withdraw_topic(state: &AppState, user: &SessionUser, id: i64) -> Result<Org, AppError> {
    let topic = topics::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let org = visible_org(state, user, topic.org_id, calendar::today()).await?;
    if !user.user.role.may_push_cell_topics() {
        return Err(AppError::forbidden());
    }
    in_tx(state, async |tx| topics::withdraw(tx, &actor(user), &topic).await).await?;
    Ok(org)
}
