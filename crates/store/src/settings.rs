//! Settings an administrator changes without a new release (DESIGN.md §4: the numbers
//! of the rules are data).

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::cell_meetings::CellMeetingRules;
use dangvu_domain::dues::DuesRules;
use dangvu_domain::elections::ElectionRules;
use dangvu_domain::members::{HolidayCalendar, MembershipRules};
use dangvu_domain::personnel::PersonnelRules;
use dangvu_domain::petitions::PetitionRules;
use dangvu_domain::validation::FieldError;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, StoreError, Tx, params};

/// Every setting with its meaning and bounds; the database holds the values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settings {
    /// Reminders of a task's deadline appear this many days before it (0–60).
    pub reminder_days: i64,
    /// The first day of the current term of the committees: the serial numbers of the
    /// documents they issue restart from 01 on it (Hướng dẫn 36-HD/VPTW). `null`: count
    /// from the first document.
    pub term_starts_on: Option<NaiveDate>,
    /// Every number of the membership regulations (deadlines, ages, probation, score
    /// thresholds, bands); a field missing from the stored value takes its default.
    pub membership_rules: MembershipRules,
    /// Public holidays and swapped working days, for deadlines in working days. Tết and
    /// Giỗ Tổ follow the lunar calendar: they are entered each year.
    pub holidays: HolidayCalendar,
    /// The numbers of the rules on cell meetings: the unified day of the monthly meeting, its
    /// length, the documents' lead time, the usual agenda.
    pub cell_meeting_rules: CellMeetingRules,
    /// The numbers of the election rules (QĐ 190-QĐ/TW): the surplus, floor nominations, the
    /// window for complaints, how long the ballots stay sealed.
    pub election_rules: ElectionRules,
    /// The numbers of personnel work: the retirement ramp, the working time a first election
    /// and a re-election ask for, the term limit of a head's post, the planning pools' ratios.
    pub personnel_rules: PersonnelRules,
    /// The time limits of petitions by kind (each named after its source), the congress window
    /// of HD 07-HD/UBKTTW, when a case is due soon, how alike a repeated letter is.
    pub petition_rules: PetitionRules,
    /// The numbers of the dues rules: the rates of QĐ 01-QĐ/TW with their dated steps, the
    /// regional minimum wages by decree, QĐ 342's amounts for the months before, the exemptions'
    /// thresholds, the shares each level keeps.
    pub dues_rules: DuesRules,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            reminder_days: 7,
            term_starts_on: None,
            membership_rules: MembershipRules::default(),
            holidays: HolidayCalendar::default(),
            cell_meeting_rules: CellMeetingRules::default(),
            election_rules: ElectionRules::default(),
            personnel_rules: PersonnelRules::default(),
            petition_rules: PetitionRules::default(),
            dues_rules: DuesRules::default(),
        }
    }
}

pub async fn get(db: &Db) -> Result<Settings, StoreError> {
    let mut s = Settings::default();
    for r in db.query("SELECT key, value FROM settings", &[]).await? {
        let value = r.text(1)?;
        match r.text(0)?.as_str() {
            "reminder_days" => s.reminder_days = value.parse().unwrap_or(s.reminder_days),
            "term_starts_on" => s.term_starts_on = NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok(),
            // Written only after validation; an unreadable value (hand-edited) keeps the defaults.
            "membership_rules" => s.membership_rules = serde_json::from_str(&value).unwrap_or_default(),
            "holidays" => s.holidays = serde_json::from_str(&value).unwrap_or_default(),
            "cell_meeting_rules" => s.cell_meeting_rules = serde_json::from_str(&value).unwrap_or_default(),
            "election_rules" => s.election_rules = serde_json::from_str(&value).unwrap_or_default(),
            "personnel_rules" => s.personnel_rules = serde_json::from_str(&value).unwrap_or_default(),
            "petition_rules" => s.petition_rules = serde_json::from_str(&value).unwrap_or_default(),
            "dues_rules" => s.dues_rules = serde_json::from_str(&value).unwrap_or_default(),
            _ => {}
        }
    }
    Ok(s)
}

/// Writes one setting, already validated, with its old value in the audit log.
async fn set(tx: &mut Tx, actor: &Actor, key: &str, value: &str) -> Result<(), StoreError> {
    let before = tx.query_one("SELECT value FROM settings WHERE key = $1", params![key]).await?;
    let before = before.map(|r| r.text(0)).transpose()?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
        params![key, value],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::SettingsUpdate,
            subject: Subject::settings(),
            before: Some(json!({ key: before })),
            after: Some(json!({ key: value })),
        },
    )
    .await?;
    Ok(())
}

/// Writes a group of rules under `key` once its own check passed, each problem named inside
/// the group (`dues_rules.default_region`).
async fn set_rules<T: Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    key: &str,
    rules: &T,
    checked: Result<(), Vec<FieldError>>,
) -> Result<(), StoreError> {
    checked.map_err(|errors| {
        StoreError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError { field: format!("{key}.{}", e.field), message: e.message })
                .collect(),
        )
    })?;
    let value = serde_json::to_string(rules).map_err(|e| StoreError::Decode(e.to_string()))?;
    set(tx, actor, key, &value).await
}

pub async fn set_reminder_days(tx: &mut Tx, actor: &Actor, days: i64) -> Result<(), StoreError> {
    if !(0..=60).contains(&days) {
        return Err(StoreError::invalid("reminder_days", "Số ngày nhắc trước hạn từ 0 đến 60"));
    }
    set(tx, actor, "reminder_days", &days.to_string()).await
}

pub async fn set_term_starts_on(tx: &mut Tx, actor: &Actor, on: Option<NaiveDate>) -> Result<(), StoreError> {
    let value = on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    set(tx, actor, "term_starts_on", &value).await
}

/// Replaces the membership rules after checking every number.
pub async fn set_membership_rules(tx: &mut Tx, actor: &Actor, rules: &MembershipRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "membership_rules", rules, rules.validate()).await
}

/// Replaces the rules on cell meetings after checking every number.
pub async fn set_cell_meeting_rules(tx: &mut Tx, actor: &Actor, rules: &CellMeetingRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "cell_meeting_rules", rules, rules.validate()).await
}

/// Replaces the election rules after checking every number.
pub async fn set_election_rules(tx: &mut Tx, actor: &Actor, rules: &ElectionRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "election_rules", rules, rules.validate()).await
}

/// Replaces the personnel rules after checking every number.
pub async fn set_personnel_rules(tx: &mut Tx, actor: &Actor, rules: &PersonnelRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "personnel_rules", rules, rules.validate()).await
}

/// Replaces the petition rules after checking every number.
pub async fn set_petition_rules(tx: &mut Tx, actor: &Actor, rules: &PetitionRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "petition_rules", rules, rules.validate()).await
}

/// Replaces the holiday calendar.
pub async fn set_holidays(tx: &mut Tx, actor: &Actor, holidays: &HolidayCalendar) -> Result<(), StoreError> {
    let value = serde_json::to_string(holidays).map_err(|e| StoreError::Decode(e.to_string()))?;
    set(tx, actor, "holidays", &value).await
}

/// Replaces the dues rules after checking every number.
pub async fn set_dues_rules(tx: &mut Tx, actor: &Actor, rules: &DuesRules) -> Result<(), StoreError> {
    set_rules(tx, actor, "dues_rules", rules, rules.validate()).await
}
