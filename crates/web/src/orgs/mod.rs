//! Restructuring the tree, with every check of scope and role, shared by the API and
//! the pages so that both enforce exactly the same rules.

pub mod api;
pub mod pages;
pub mod units;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs::{self, NewOrg, Org};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{Seen, require_below_scope_root, require_tree_changes, seen_on, visible_org};
use crate::usecase::{actor, in_tx};

/// The organisation a change applies to: in scope both now and on the effective date,
/// so that no one rewrites history outside their scope.
async fn changeable(state: &AppState, user: &SessionUser, id: OrgId, on: NaiveDate) -> Result<Org, AppError> {
    visible_org(state, user, id, calendar::today()).await?;
    let org = visible_org(state, user, id, on).await?;
    require_tree_changes(user)?;
    Ok(org)
}

/// Another organisation named in the input: out of scope reads as "no such organisation".
async fn target(state: &AppState, user: &SessionUser, id: OrgId, on: NaiveDate, field: &str) -> Result<(), AppError> {
    match visible_org(state, user, id, on).await {
        Ok(_) => Ok(()),
        Err(AppError::NotFound) => Err(AppError::invalid(field, "Không có tổ chức này trong phạm vi của bạn")),
        Err(e) => Err(e),
    }
}

pub async fn found(state: &AppState, user: &SessionUser, new: NewOrg) -> Result<OrgId, AppError> {
    require_tree_changes(user)?;
    match new.parent_id {
        // Only an account that sees the whole tree may found a new root.
        None if !matches!(seen_on(state, user, new.effective_on).await?, Seen::All) => {
            return Err(AppError::invalid("parent_id", "Hãy chọn tổ chức cấp trên"));
        }
        None => {}
        Some(pid) => target(state, user, pid, new.effective_on, "parent_id").await?,
    }
    in_tx(state, async |tx| orgs::create(tx, &actor(user), new).await).await
}

pub async fn rename(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    name: &str,
    on: NaiveDate,
) -> Result<(), AppError> {
    changeable(state, user, id, on).await?;
    in_tx(state, async |tx| orgs::rename(tx, &actor(user), id, name, on).await).await
}

pub async fn move_org(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    parent_id: OrgId,
    on: NaiveDate,
) -> Result<(), AppError> {
    let org = changeable(state, user, id, on).await?;
    require_below_scope_root(user, &org)?;
    target(state, user, parent_id, on, "parent_id").await?;
    in_tx(state, async |tx| orgs::move_to(tx, &actor(user), id, parent_id, on).await).await
}

pub async fn merge(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    into_id: OrgId,
    on: NaiveDate,
) -> Result<(), AppError> {
    let org = changeable(state, user, id, on).await?;
    require_below_scope_root(user, &org)?;
    target(state, user, into_id, on, "into_id").await?;
    in_tx(state, async |tx| orgs::merge(tx, &actor(user), id, into_id, on).await).await
}

pub async fn dissolve(state: &AppState, user: &SessionUser, id: OrgId, on: NaiveDate) -> Result<(), AppError> {
    let org = changeable(state, user, id, on).await?;
    require_below_scope_root(user, &org)?;
    in_tx(state, async |tx| orgs::dissolve(tx, &actor(user), id, on).await).await
}

pub async fn add_body(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    kind: &str,
    name: &str,
) -> Result<i64, AppError> {
    visible_org(state, user, id, calendar::today()).await?;
    require_tree_changes(user)?;
    in_tx(state, async |tx| orgs::add_body(tx, &actor(user), id, kind, name).await).await
}

/// The organisation tree: its API and its pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
