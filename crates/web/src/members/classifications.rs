//! The yearly quality classification of members and organisations (Quy định 366-QĐ/TW): the
//! use case that records it, shared by the API and the pages.

use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::classifications::{self, NewClassification};

use crate::AppState;
use crate::error::AppError;
use crate::members::{list_path, require_keeper};
use crate::scope::date_or_today;
use crate::usecase::{actor, in_tx};

/// Records (or replaces) the classification of members and organisations of a subtree (the
/// account's scope when `org_id` is absent) for a period, all or nothing; answers how many
/// entries were recorded. Decided today when `decided_on` is absent.
pub async fn classify(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    period: &str,
    decided_on: Option<&str>,
    entries: &[NewClassification],
) -> Result<usize, AppError> {
    require_keeper(user)?;
    let scope = list_path(state, user, org_id).await?;
    let decided_on = date_or_today(decided_on, "decided_on")?;
    let rules = dangvu_store::settings::get(&state.db).await?.membership_rules;
    in_tx(state, async |tx| {
        classifications::record(tx, &actor(user), &scope, period, decided_on, entries, &rules).await
    })
    .await
}
