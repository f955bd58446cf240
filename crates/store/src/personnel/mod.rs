//! Personnel work: the grant that opens it, the posts of each organisation with their seats
//! and holders (elected or appointed), the gaps and limits of a subtree, and the planning
//! pools. The rules are `dangvu_domain::personnel`. Every read of this data is written to the
//! audit log by the web layer's use cases ([`log_read`]), in the same transaction as nothing
//! else: who looked at whose data is itself a record.

pub mod nominations;
pub mod planning;
pub mod plans;
pub mod posts;

pub use planning::{
    NewPlanningEntry, PlanningEntry, Pool, PostPool, add_to_pool, entry_org, pool, remove_from_pool, set_standards,
};
pub use posts::{
    Gap, Holder, LimitsReport, NewHolder, OrgPosts, PostRow, SeatCount, UnitFigures, end_holder, holder_org, limits,
    org_posts, record_holder, set_seats,
};

use dangvu_domain::audit::Action;
use serde_json::json;

use crate::audit::{self, Actor, Change, Subject};
use crate::{StoreError, Tx};

/// Gives or takes back the personnel grant of an account. Only the roles that do personnel
/// work take it: an admin, the Organisation board, a leader (Thường trực, Ban Thường vụ).
pub async fn set_grant(tx: &mut Tx, actor: &Actor, user_id: i64, granted: bool) -> Result<(), StoreError> {
    crate::accounts::set_grant(tx, actor, user_id, crate::accounts::Grant::Personnel, granted).await
}

/// Records that an account read personnel data: what (`"limits"`, `"posts"`, `"planning"` …)
/// and of which record.
pub async fn log_read(tx: &mut Tx, actor: &Actor, subject: Subject, what: &str) -> Result<(), StoreError> {
    audit::append(
        tx,
        actor,
        Change { action: Action::PersonnelRead, subject, before: None, after: Some(json!({ "read": what })) },
    )
    .await?;
    Ok(())
}
