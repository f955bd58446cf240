//! Tasks drafted from a meeting's conclusions: the conclusion reader's drafts, with each unit
//! it names matched against the organisations of the subtree, for the API and the review page;
//! and the use case that assigns the drafted tasks the office confirms there.

use dangvu_domain::ids::OrgId;
use std::collections::HashMap;

use dangvu_domain::calendar;
use dangvu_domain::tasks::conclusion::{self, DraftTask};
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs;
use dangvu_store::tasks::meetings::Meeting;
use dangvu_store::tasks::{self, NewTask};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::tasks::pages::tasks::{lead_of, support_of};
use crate::tasks::{require_direct, visible_meeting};
use crate::usecase::{actor, in_tx};

/// A unit named in the text, with the body or else the organisation it matches when exactly
/// one does (a body first: "Ban Tổ chức Tỉnh ủy" is the board, not a cell of that name).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub name: String,
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    pub body_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftOut {
    pub ordinal: u32,
    pub text: String,
    pub due_on: Option<chrono::NaiveDate>,
    /// The words the deadline was read from.
    pub due_text: Option<String>,
    pub starts_on: Option<chrono::NaiveDate>,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly` when the item is a report duty.
    pub recurrence: Option<String>,
    pub lead: Vec<Unit>,
    pub support: Vec<Unit>,
    pub warnings: Vec<String>,
}

/// Matches the units of each draft against the subtree at `path`; a name matched once
/// is not looked up again.
pub async fn matched(state: &AppState, path: &str, drafts: Vec<DraftTask>) -> Result<Vec<DraftOut>, AppError> {
    let mut cache = HashMap::new();
    let mut out = Vec::with_capacity(drafts.len());
    for d in drafts {
        let lead = resolve(state, path, d.lead, &mut cache).await?;
        let support = resolve(state, path, d.support, &mut cache).await?;
        out.push(DraftOut {
            ordinal: d.ordinal,
            text: d.text,
            due_on: d.due_on,
            due_text: d.due_text,
            starts_on: d.starts_on,
            recurrence: d.recurrence.map(|r| r.as_str().to_owned()),
            lead,
            support,
            warnings: d.warnings,
        });
    }
    Ok(out)
}

async fn resolve(
    state: &AppState,
    path: &str,
    names: Vec<String>,
    cache: &mut HashMap<String, (Option<OrgId>, Option<i64>)>,
) -> Result<Vec<Unit>, AppError> {
    let today = dangvu_domain::calendar::today();
    let mut units = Vec::with_capacity(names.len());
    for name in names {
        let key = conclusion::match_key(&name);
        let (org_id, body_id) = match cache.get(&key) {
            Some(found) => *found,
            None => {
                let found = match orgs::match_body(&state.db, path, &name, today).await? {
                    Some(body) => (None, Some(body)),
                    None => (orgs::match_unit(&state.db, path, &name, today).await?, None),
                };
                cache.insert(key, found);
                found
            }
        };
        units.push(Unit { name, org_id, body_id });
    }
    Ok(units)
}

/// A meeting whose conclusion the account may turn into tasks: the office (and admins), in scope.
pub async fn draftable(state: &AppState, user: &SessionUser, id: i64) -> Result<Meeting, AppError> {
    require_direct(user)?;
    visible_meeting(state, user, id).await
}

/// A drafted task as the office confirms it on the review page: its row, its units as the
/// pickers name them.
pub struct Confirmed<'a> {
    pub n: usize,
    pub title: &'a str,
    pub lead_code: &'a str,
    pub support_codes: &'a str,
    pub due_on: &'a str,
    pub recurrence: &'a str,
}

/// Assigns every confirmed task of the meeting's conclusion at once, all or none; each refused
/// row is named by its number.
pub async fn assign_confirmed(
    state: &AppState,
    user: &SessionUser,
    meeting_id: i64,
    rows: Vec<Confirmed<'_>>,
) -> Result<(), AppError> {
    let meeting = draftable(state, user, meeting_id).await?;
    let mut errors = Vec::new();
    let mut new_tasks = Vec::new();
    for row in &rows {
        let label = format!("Nhiệm vụ {}", row.n + 1);
        match checked(state, user, &meeting, row).await {
            Ok(t) => new_tasks.push(t),
            Err(AppError::Invalid(fields)) => errors.extend(
                fields.into_iter().map(|f| FieldError { field: f.field, message: format!("{label}: {}", f.message) }),
            ),
            Err(e) => return Err(e),
        }
    }
    if new_tasks.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "include".into(), message: "Hãy chọn ít nhất một nhiệm vụ để giao".into()
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    in_tx(state, async |tx| {
        for t in new_tasks {
            tasks::create(tx, &actor(user), t).await?;
        }
        Ok(())
    })
    .await
}

/// The checks of one row, as for a task assigned alone.
async fn checked(
    state: &AppState,
    user: &SessionUser,
    meeting: &Meeting,
    row: &Confirmed<'_>,
) -> Result<NewTask, AppError> {
    let (lead_org, lead_body) = lead_of(state, user, row.lead_code).await?;
    let (lead, lead_body_id) = crate::tasks::lead_unit(state, user, lead_org, lead_body).await?;
    let (support, support_body_ids) = support_of(state, user, row.support_codes).await?;
    let due_on = match row.due_on.trim() {
        "" => None,
        s => Some(calendar::parse_date(s).ok_or_else(|| AppError::invalid("due_on", "Thời hạn không hợp lệ"))?),
    };
    if row.title.trim().is_empty() {
        return Err(AppError::invalid("title", "Nội dung nhiệm vụ không được để trống"));
    }
    Ok(NewTask {
        org_id: meeting.org_id,
        title: row.title.to_owned(),
        detail: String::new(),
        lead_org_id: lead,
        lead_body_id,
        support_org_ids: support,
        support_body_ids,
        starts_on: None,
        due_on,
        recurrence: Some(row.recurrence.to_owned()).filter(|r| !r.is_empty()),
        meeting_id: Some(meeting.id),
        document_id: meeting.document_id,
    })
}
