//! `/api/v1/drafts/{id}/targets`: a draft's targets table, its comparison between versions and
//! its export.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use dangvu_domain::congresses::targets::{Target, TargetChange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiQuery, ApiUser, Id};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableParams {
    /// The latest version when absent.
    pub version: Option<u32>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TargetTable {
    pub version: u32,
    pub items: Vec<Target>,
}

/// The targets table of a version, as JSON or as a CSV or XLSX download.
#[utoipa::path(get, path = "/drafts/{id}/targets", tag = "congresses", params(("id" = i64, Path), TableParams),
    responses((status = 200, body = TargetTable), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn table(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<TableParams>,
) -> Result<axum::response::Response, AppError> {
    match p.format.as_deref().unwrap_or("json") {
        "json" => {
            let (version, items) = super::table(&state, &user, id, p.version).await?;
            Ok(Json(TargetTable { version, items }).into_response())
        }
        other => super::export(&state, &user, id, p.version, other).await,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    pub from: u32,
    pub to: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TargetComparison {
    pub from: u32,
    pub to: u32,
    /// `same`, `changed` (with `before` and `after`), `added`, `removed`, matched by name.
    pub items: Vec<TargetChange>,
}

/// Two versions' targets compared target by target.
#[utoipa::path(get, path = "/drafts/{id}/targets/compare", tag = "congresses", params(("id" = i64, Path), CompareParams),
    responses((status = 200, body = TargetComparison), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compare(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<CompareParams>,
) -> JsonResult<TargetComparison> {
    Ok(Json(TargetComparison { from: p.from, to: p.to, items: super::compare(&state, &user, id, p.from, p.to).await? }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(table)).routes(routes!(compare))
}
