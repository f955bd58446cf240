//! Tasks drafted from a meeting's conclusions: the conclusion reader's drafts, with each unit
//! it names matched against the organisations of the subtree, for the API and the review page.

use std::collections::HashMap;

use dangvu_domain::tasks::conclusion::{self, DraftTask};
use dangvu_store::orgs;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;

/// A unit named in the text, with the organisation it matches when exactly one does.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub name: String,
    pub org_id: Option<i64>,
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
    cache: &mut HashMap<String, Option<i64>>,
) -> Result<Vec<Unit>, AppError> {
    let today = dangvu_domain::calendar::today();
    let mut units = Vec::with_capacity(names.len());
    for name in names {
        let key = conclusion::match_key(&name);
        let org_id = match cache.get(&key) {
            Some(found) => *found,
            None => {
                let found = orgs::match_unit(&state.db, path, &name, today).await?;
                cache.insert(key, found);
                found
            }
        };
        units.push(Unit { name, org_id });
    }
    Ok(units)
}
