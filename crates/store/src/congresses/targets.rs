//! The targets table of each version of a draft (`dangvu_domain::congresses::targets`).

use dangvu_domain::congresses::targets::{Target, check_targets};
use dangvu_domain::validation::Problems;

use crate::{Db, StoreError, Tx, params};

const SELECT: &str = "SELECT name, unit, previous_target, achieved, next_target FROM congress_draft_targets
    WHERE draft_id = $1 AND version = $2 ORDER BY row_number";

fn from_row(r: &crate::Row) -> Result<Target, StoreError> {
    Ok(Target {
        name: r.text(0)?,
        unit: r.text(1)?,
        previous_target: r.text(2)?,
        achieved: r.text(3)?,
        next_target: r.text(4)?,
    })
}

/// The table of one version, in its order.
pub async fn of_version(db: &Db, draft_id: i64, version: u32) -> Result<Vec<Target>, StoreError> {
    db.query(SELECT, params![draft_id, i64::from(version)]).await?.iter().map(from_row).collect()
}

/// Gives the version just written its own table, replacing the one it carried.
pub async fn set(tx: &mut Tx, draft_id: i64, version: u32, rows: &[Target]) -> Result<(), StoreError> {
    let rows: Vec<Target> = rows.iter().map(Target::cleaned).collect();
    let mut problems = Problems::new();
    check_targets(&rows, &mut problems);
    problems.finish().map_err(StoreError::Invalid)?;
    tx.execute(
        "DELETE FROM congress_draft_targets WHERE draft_id = $1 AND version = $2",
        params![draft_id, i64::from(version)],
    )
    .await?;
    for (i, t) in rows.iter().enumerate() {
        tx.execute(
            "INSERT INTO congress_draft_targets (draft_id, version, row_number, name, unit, previous_target, achieved, next_target)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![
                draft_id,
                i64::from(version),
                i as i64 + 1,
                t.name.as_str(),
                t.unit.as_str(),
                t.previous_target.as_str(),
                t.achieved.as_str(),
                t.next_target.as_str()
            ],
        )
        .await?;
    }
    Ok(())
}

/// A new version starts with the table of the one before.
pub(super) async fn carry(tx: &mut Tx, draft_id: i64, from: u32, to: u32) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO congress_draft_targets (draft_id, version, row_number, name, unit, previous_target, achieved, next_target)
         SELECT draft_id, $3, row_number, name, unit, previous_target, achieved, next_target
         FROM congress_draft_targets WHERE draft_id = $1 AND version = $2",
        params![draft_id, i64::from(from), i64::from(to)],
    )
    .await?;
    Ok(())
}
