//! What every use case shares: the one transaction a change runs in, and the actor the audit
//! log names for it. A use case checks scope and role, validates, then calls `in_tx` with the
//! store's write, so that the change and its audit entry commit together or not at all.

use dangvu_store::accounts::SessionUser;
use dangvu_store::audit::Actor;
use dangvu_store::{StoreError, Tx};

use crate::AppState;
use crate::error::AppError;

pub fn actor(user: &SessionUser) -> Actor {
    Actor::user(user.user.id, &user.user.username)
}

pub async fn in_tx<F, R>(state: &AppState, change: F) -> Result<R, AppError>
where
    F: AsyncFnOnce(&mut Tx) -> Result<R, StoreError>,
{
    let mut tx = state.db.begin().await?;
    let out = change(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}
