//! The numbers an administrator changes without a release: the one use case that changes
//! them, shared by their API and their page, so that both check and write them the same way.

pub mod api;
pub mod pages;

use dangvu_domain::members::HolidayCalendar;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::settings::{self, Settings};

use crate::AppState;
use crate::error::AppError;
use crate::usecase::{actor, in_tx};

/// Settings apply to the whole deployment, so only an admin of the whole tree changes them.
pub fn require_tree_admin(user: &SessionUser) -> Result<(), AppError> {
    crate::scope::require_admin(user)?;
    if user.scope != Scope::Tree {
        return Err(AppError::Forbidden("Chỉ quản trị viên toàn hệ thống thay đổi được thiết lập".into()));
    }
    Ok(())
}

/// A change to the settings: each part given is written, the others keep their value.
#[derive(Debug, Default)]
pub struct Change {
    /// 0–60.
    pub reminder_days: Option<i64>,
    /// YYYY-MM-DD or dd/mm/yyyy, the first day of the committees' current term; `""` clears it.
    pub term_starts_on: Option<String>,
    /// A merge patch of the membership rules.
    pub membership_rules: Option<serde_json::Value>,
    /// The whole holiday calendar.
    pub holidays: Option<HolidayCalendar>,
    /// A merge patch of the rules on cell meetings.
    pub cell_meeting_rules: Option<serde_json::Value>,
    /// A merge patch of the election rules.
    pub election_rules: Option<serde_json::Value>,
    /// A merge patch of the personnel rules.
    pub personnel_rules: Option<serde_json::Value>,
    /// A merge patch of the petition rules.
    pub petition_rules: Option<serde_json::Value>,
    /// A merge patch of the dues rules.
    pub dues_rules: Option<serde_json::Value>,
    /// Whether the rules on cell meetings and elections are written even when the patch leaves
    /// them as they were. The page's form always carries them, so it writes them only when they change and
    /// saving the form leaves no entry for rules nobody touched; the API writes what it is given.
    pub write_unchanged_rules: bool,
}

/// Applies a patch to one group of rules; its field errors are named inside the group.
fn patch_rules<T: serde::Serialize + serde::de::DeserializeOwned>(
    group: &str,
    current: &T,
    patch: serde_json::Value,
) -> Result<T, AppError> {
    crate::api::merge_patch(current, patch).map_err(|e| match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = format!("{group}.{}", f.field);
                    f
                })
                .collect(),
        ),
        other => other,
    })
}

/// Changes the settings (admin of the whole tree) and answers them as they now are.
pub async fn update(state: &AppState, user: &SessionUser, change: Change) -> Result<Settings, AppError> {
    require_tree_admin(user)?;
    // Everything is checked before anything is written: one bad value changes nothing.
    let term = match change.term_starts_on.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => Some(Some(
            dangvu_domain::calendar::parse_date(raw)
                .ok_or_else(|| AppError::invalid("term_starts_on", "Ngày bắt đầu nhiệm kỳ không hợp lệ"))?,
        )),
    };
    let current = settings::get(&state.db).await?;
    let rules = change
        .membership_rules
        .map(|patch| patch_rules("membership_rules", &current.membership_rules, patch))
        .transpose()?;
    let meeting_rules = change
        .cell_meeting_rules
        .map(|patch| patch_rules("cell_meeting_rules", &current.cell_meeting_rules, patch))
        .transpose()?
        .filter(|rules| change.write_unchanged_rules || *rules != current.cell_meeting_rules);
    let election_rules = change
        .election_rules
        .map(|patch| patch_rules("election_rules", &current.election_rules, patch))
        .transpose()?
        .filter(|rules| change.write_unchanged_rules || *rules != current.election_rules);
    let personnel_rules = change
        .personnel_rules
        .map(|patch| patch_rules("personnel_rules", &current.personnel_rules, patch))
        .transpose()?
        .filter(|rules| change.write_unchanged_rules || *rules != current.personnel_rules);
    let petition_rules = change
        .petition_rules
        .map(|patch| patch_rules("petition_rules", &current.petition_rules, patch))
        .transpose()?
        .filter(|rules| change.write_unchanged_rules || *rules != current.petition_rules);
    let dues_rules = change
        .dues_rules
        .map(|patch| patch_rules("dues_rules", &current.dues_rules, patch))
        .transpose()?
        .filter(|rules| change.write_unchanged_rules || *rules != current.dues_rules);
    in_tx(state, async |tx| {
        if let Some(rules) = &dues_rules {
            settings::set_dues_rules(tx, &actor(user), rules).await?;
        }
        if let Some(rules) = &petition_rules {
            settings::set_petition_rules(tx, &actor(user), rules).await?;
        }
        if let Some(rules) = &personnel_rules {
            settings::set_personnel_rules(tx, &actor(user), rules).await?;
        }
        if let Some(rules) = &election_rules {
            settings::set_election_rules(tx, &actor(user), rules).await?;
        }
        if let Some(rules) = &rules {
            settings::set_membership_rules(tx, &actor(user), rules).await?;
        }
        if let Some(rules) = &meeting_rules {
            settings::set_cell_meeting_rules(tx, &actor(user), rules).await?;
        }
        if let Some(holidays) = &change.holidays {
            settings::set_holidays(tx, &actor(user), holidays).await?;
        }
        if let Some(days) = change.reminder_days {
            settings::set_reminder_days(tx, &actor(user), days).await?;
        }
        if let Some(on) = term {
            settings::set_term_starts_on(tx, &actor(user), on).await?;
        }
        Ok(())
    })
    .await?;
    Ok(settings::get(&state.db).await?)
}

/// Settings: their API and their page.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
