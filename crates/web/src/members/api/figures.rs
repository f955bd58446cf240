//! `/api/v1/orgs/{id}/member-figures` and `/api/v1/classifications`: the roll-up figures of
//! members and the quality classification of members and organisations.

use axum::Json;
use axum::extract::State;
use chrono::Datelike;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::members::classifications::{self, Classification, ClassificationSummary, NewClassification};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::members::classifications::classify;
use crate::members::figures::{FiguresParams, OrgMemberFigures, figures_of};
use crate::members::list_path;

/// Members of the subtree on a day by status, gender, age band and party-age band; and the
/// admissions, recognitions, departures and transfers of a period.
#[utoipa::path(get, path = "/orgs/{id}/member-figures", tag = "members", params(("id" = i64, Path), FiguresParams),
    responses((status = 200, body = OrgMemberFigures), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn member_figures(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<FiguresParams>,
) -> JsonResult<OrgMemberFigures> {
    Ok(Json(figures_of(&state, &user, id, &p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClassificationEntry {
    /// A member …
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// … or an organisation.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// `excellent`, `good`, `completed` or `not_completed`; from the score when absent.
    pub level: Option<String>,
    /// 0–100 (Quy định 366-QĐ/TW); a level given with a score may be lower than the
    /// score's, not higher.
    pub score: Option<f64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecordClassifications {
    /// `2025`, `2025-Q3` or `2020-2025`.
    pub period: String,
    /// Today when absent.
    pub decided_on: Option<String>,
    pub entries: Vec<ClassificationEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub recorded: usize,
}

/// Record (or replace) the classification of members and organisations for a period, all
/// or nothing.
#[utoipa::path(post, path = "/classifications", tag = "members", request_body = RecordClassifications,
    responses((status = 200, body = Recorded), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<RecordClassifications>,
) -> JsonResult<Recorded> {
    let entries: Vec<NewClassification> = input
        .entries
        .into_iter()
        .map(|e| NewClassification { member_id: e.member_id, org_id: e.org_id, level: e.level, score: e.score })
        .collect();
    let recorded = classify(&state, &user, None, &input.period, input.decided_on.as_deref(), &entries).await?;
    Ok(Json(Recorded { recorded }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassificationParams {
    /// The subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// `2025`, `2025-Q3` or `2020-2025`; last year when absent.
    pub period: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Classifications {
    pub summary: ClassificationSummary,
    /// The members of the organisation itself (a cell) and its direct children.
    pub items: Vec<Classification>,
}

/// Counts by level of a subtree for a period, and the entries of the organisation itself.
#[utoipa::path(get, path = "/classifications", tag = "members", params(ClassificationParams),
    responses((status = 200, body = Classifications), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ClassificationParams>,
) -> JsonResult<Classifications> {
    let path = list_path(&state, &user, p.org_id).await?;
    let org_id = dangvu_domain::orgs::tree::ids(&path).last().copied().ok_or(AppError::NotFound)?;
    let period = p.period.clone().unwrap_or_else(|| (calendar::today().year() - 1).to_string());
    let summary = classifications::summary(&state.db, &path, &period).await?;
    let items = classifications::of_org(&state.db, org_id, &period).await?;
    Ok(Json(Classifications { summary, items }))
}
