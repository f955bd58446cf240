//! `/api/v1/congresses/{id}/documents`: the congress's documents in its own series.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::congresses::documents::CongressBody;
use dangvu_store::tasks::documents::Document;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser, Id};

#[derive(Debug, Serialize, ToSchema)]
pub struct CongressDocuments {
    /// In the order of their numbers.
    pub items: Vec<Document>,
}

/// The congress's documents.
#[utoipa::path(get, path = "/congresses/{id}/documents", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = CongressDocuments), (status = 404, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CongressDocuments> {
    Ok(Json(CongressDocuments { items: super::list(&state, &user, id).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueInput {
    /// `congress`, `presidium`, `secretariat`, `credentials` or `counting_board`.
    pub body: String,
    /// A type of 36-HD/VPTW: `NQ`, `BB`, `BC`, `TTr`, `QĐ` …
    #[serde(rename = "type")]
    pub doc_type: String,
    pub title: String,
    /// Today when absent.
    pub issued_on: Option<NaiveDate>,
}

/// Register the congress's next document: numbered on in the congress's one series from 01,
/// whatever its type (`01-NQ/ĐH`, `02-BB/BKP` …).
#[utoipa::path(post, path = "/congresses/{id}/documents", tag = "congresses", params(("id" = i64, Path)),
    request_body = IssueInput,
    responses((status = 201, body = Document), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<IssueInput>,
) -> Result<(StatusCode, Json<Document>), AppError> {
    let body = CongressBody::parse(&input.body).ok_or_else(|| {
        AppError::invalid("body", "Là congress, presidium, secretariat, credentials hoặc counting_board")
    })?;
    let on = input.issued_on.unwrap_or_else(dangvu_domain::calendar::today);
    Ok((StatusCode::CREATED, Json(super::issue(&state, &user, id, body, &input.doc_type, &input.title, on).await?)))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, issue))
}
