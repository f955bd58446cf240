//! `POST /api/v1/tasks/extract`: a draft of tasks from the text of a conclusion.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use dangvu_domain::conclusion::{self, DraftTask};
use dangvu_store::orgs;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser};
use crate::scope::scope_path;

/// The longest text drafted at once: a conclusion is a few pages, not a book.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtractRequest {
    pub text: String,
    /// The meeting or document date that relative deadlines count from (YYYY-MM-DD).
    pub reference_date: String,
    /// Match unit names inside this organisation's subtree; the account's scope when absent.
    pub org_id: Option<i64>,
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractResponse {
    pub tasks: Vec<DraftOut>,
}

/// Draft tasks from a conclusion: one per numbered or bulleted item, with the units and
/// deadline it names. Nothing is stored.
#[utoipa::path(post, path = "/tasks/extract", tag = "tasks", request_body = ExtractRequest,
    responses((status = 200, body = ExtractResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extract(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<ExtractRequest>,
) -> JsonResult<ExtractResponse> {
    let reference = dangvu_domain::calendar::parse_date(&input.reference_date)
        .ok_or_else(|| AppError::invalid("reference_date", "Ngày tham chiếu không hợp lệ"))?;
    if input.text.len() > MAX_TEXT_BYTES {
        return Err(AppError::invalid("text", "Văn bản quá dài (tối đa 1 MB)"));
    }
    let path = scope_path(&state, &user, input.org_id).await?;
    let drafts = conclusion::extract(&input.text, reference);
    Ok(Json(ExtractResponse { tasks: matched(&state, &path, drafts).await? }))
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
