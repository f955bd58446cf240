//! Settings an administrator changes without a new release (DESIGN.md §4: the numbers
//! of the rules are data).

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change};
use crate::{Db, StoreError, Tx, params};

/// Every setting with its meaning and bounds; the database holds the values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settings {
    /// Reminders of a task's deadline appear this many days before it (0–60).
    pub reminder_days: i64,
}

pub async fn get(db: &Db) -> Result<Settings, StoreError> {
    let mut s = Settings { reminder_days: 7 };
    for r in db.query("SELECT key, value FROM settings", &[]).await? {
        if r.text(0)? == "reminder_days" {
            s.reminder_days = r.text(1)?.parse().unwrap_or(s.reminder_days);
        }
    }
    Ok(s)
}

pub async fn set_reminder_days(tx: &mut Tx, actor: &Actor, days: i64) -> Result<(), StoreError> {
    if !(0..=60).contains(&days) {
        return Err(StoreError::invalid("reminder_days", "Số ngày nhắc trước hạn từ 0 đến 60"));
    }
    let before = tx.query_one("SELECT value FROM settings WHERE key = 'reminder_days'", &[]).await?;
    let before = before.map(|r| r.text(0)).transpose()?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('reminder_days', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
        params![days.to_string()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: "settings.update",
            entity: "settings",
            entity_id: None,
            before: Some(json!({"reminder_days": before})),
            after: Some(json!({"reminder_days": days})),
        },
    )
    .await?;
    Ok(())
}
