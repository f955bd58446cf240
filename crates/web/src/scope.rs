//! Scope: every account sees its organisation and what lies below it, and nothing else.
//! Every handler that touches an organisation goes through [`visible_org`].

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::orgs::{self, Org};

use crate::AppState;
use crate::error::AppError;

/// The part of the tree an account sees on one date.
pub enum Seen {
    All,
    Below(String),
    Nothing,
}

impl Seen {
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Seen::All => true,
            Seen::Below(p) => dangvu_domain::orgs::tree::is_within(path, p),
            Seen::Nothing => false,
        }
    }
}

/// The account's subtree as it stood on `on`: "what was below my organisation then".
pub async fn seen_on(state: &AppState, user: &SessionUser, on: NaiveDate) -> Result<Seen, AppError> {
    Ok(match &user.scope {
        Scope::Tree => Seen::All,
        Scope::Ended { .. } => Seen::Nothing,
        Scope::Subtree { path, .. } if on == calendar::today() => Seen::Below(path.clone()),
        Scope::Subtree { org_id, .. } => match orgs::get(&state.db, *org_id, on).await? {
            Some(o) if o.active => Seen::Below(o.path),
            _ => Seen::Nothing,
        },
    })
}

/// The organisation as on `on`, if it exists and the account may see it; otherwise 404.
pub async fn visible_org(state: &AppState, user: &SessionUser, id: OrgId, on: NaiveDate) -> Result<Org, AppError> {
    let org = orgs::get(&state.db, id, on).await?.ok_or(AppError::NotFound)?;
    if !seen_on(state, user, on).await?.contains(&org.path) {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

/// The account may restructure the tree (found, rename, move, merge, dissolve).
pub fn require_tree_changes(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_change_orgs() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Moving, merging or dissolving the account's own top organisation changes the level
/// above it, which lies outside the scope.
pub fn require_below_scope_root(user: &SessionUser, org: &Org) -> Result<(), AppError> {
    match &user.scope {
        Scope::Subtree { org_id, .. } if *org_id == org.id => {
            Err(AppError::Forbidden("Chỉ cấp trên mới chuyển, hợp nhất hoặc giải thể được tổ chức này".into()))
        }
        _ => Ok(()),
    }
}

/// Whether the account's scope lies strictly above `org` (an administrator of the whole tree
/// for a root): what a higher committee's decision on the organisation takes (approving a
/// congress, approving an election's result).
pub fn is_strictly_above(user: &SessionUser, org: &Org) -> bool {
    match &user.scope {
        Scope::Tree => true,
        Scope::Subtree { path, .. } => dangvu_domain::orgs::tree::is_within(&org.path, path) && *path != org.path,
        Scope::Ended { .. } => false,
    }
}

pub fn require_admin(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_administer() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Reads `on` (YYYY-MM-DD or dd/mm/yyyy); today when absent.
pub fn date_or_today(raw: Option<&str>, field: &str) -> Result<NaiveDate, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(calendar::today()),
        Some(s) => calendar::parse_date(s)
            .ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)")),
    }
}

/// An optional date field: absent or empty is `None`.
pub fn optional_date(raw: Option<&str>, field: &str) -> Result<Option<NaiveDate>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => calendar::parse_date(s)
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)")),
    }
}

/// An organisation named in the input, in scope today; otherwise a field error.
pub async fn org_field(state: &AppState, user: &SessionUser, id: OrgId, field: &str) -> Result<(), AppError> {
    match visible_org(state, user, id, calendar::today()).await {
        Ok(o) if o.active => Ok(()),
        Ok(_) => Err(AppError::invalid(field, "Tổ chức này không còn hoạt động")),
        Err(AppError::NotFound) => Err(AppError::invalid(field, "Không có tổ chức này trong phạm vi của bạn")),
        Err(e) => Err(e),
    }
}

/// The organisation that acts when the input names none: the account's own.
pub fn own_org(user: &SessionUser, given: Option<OrgId>, field: &str) -> Result<OrgId, AppError> {
    given.or(user.user.org_id).ok_or_else(|| AppError::invalid(field, "Hãy chọn tổ chức"))
}

/// The organisation the account reads from: the one asked for when it is in scope, otherwise
/// the top of the scope (the first root, for an account that sees the whole tree).
pub async fn scope_org(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<Org, AppError> {
    let path = scope_path(state, user, org_id).await?;
    let id = dangvu_domain::orgs::tree::ids(&path).last().copied().ok_or(AppError::NotFound)?;
    visible_org(state, user, id, calendar::today()).await
}

/// The path the account reads from on `on` (the whole tree: the first root's).
pub async fn scope_path(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<String, AppError> {
    let today = calendar::today();
    if let Some(id) = org_id {
        return Ok(visible_org(state, user, id, today).await?.path);
    }
    match &user.scope {
        Scope::Subtree { path, .. } => Ok(path.clone()),
        Scope::Tree => {
            Ok(orgs::roots(&state.db, today).await?.into_iter().next().map(|o| o.path).unwrap_or_else(|| "/".into()))
        }
        Scope::Ended { .. } => Err(AppError::NotFound),
    }
}
