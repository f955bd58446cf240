//! `/api/v1/documents`: the registry of Party documents.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_store::accounts::Scope;
use dangvu_store::tasks::documents::{self, Document, Search};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::date_or_today;
use crate::tasks::{CreateDocument, register_document, visible_document};

/// Register a document; its type and issuer are read from the number.
#[utoipa::path(post, path = "/documents", tag = "documents", request_body = CreateDocument,
    responses((status = 201, body = Document), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateDocument>,
) -> Result<(StatusCode, Json<Document>), AppError> {
    let doc = register_document(&state, &user, input).await?;
    Ok((StatusCode::CREATED, Json(doc)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words of the number or title; case and diacritics ignored.
    pub q: Option<String>,
    /// Issued on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Issued on or before (YYYY-MM-DD).
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    pub items: Vec<Document>,
    pub next_cursor: Option<String>,
}

/// Search the registries the account reads: its subtree's and those of the levels above.
#[utoipa::path(get, path = "/documents", tag = "documents", params(SearchParams),
    responses((status = 200, body = DocumentList), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> JsonResult<DocumentList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let from = p.from.as_deref().map(|s| date_or_today(Some(s), "from")).transpose()?;
    let to = p.to.as_deref().map(|s| date_or_today(Some(s), "to")).transpose()?;
    let scope_path = match &user.scope {
        Scope::Tree => None,
        Scope::Subtree { path, .. } => Some(path.clone()),
        Scope::Ended { .. } => return Ok(Json(DocumentList { items: Vec::new(), next_cursor: None })),
    };
    let search = Search { q: p.q, from, to, scope_path, on: calendar::today() };
    let before = if after == 0 { i64::MAX } else { after };
    let items = documents::search(&state.db, &search, before, limit).await?;
    let next = next_cursor(items.last().map(|d| d.id), items.len(), limit);
    Ok(Json(DocumentList { items, next_cursor: next }))
}

/// One document.
#[utoipa::path(get, path = "/documents/{id}", tag = "documents", params(("id" = i64, Path)),
    responses((status = 200, body = Document), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Document> {
    Ok(Json(visible_document(&state, &user, id).await?))
}

/// Files kept with a document (an issued report's PDF and DOCX).
#[utoipa::path(get, path = "/documents/{id}/files", tag = "documents", params(("id" = i64, Path)),
    responses((status = 200, body = super::tasks::FileList), (status = 404, body = ErrorBody)))]
pub async fn files(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> JsonResult<super::tasks::FileList> {
    visible_document(&state, &user, id).await?;
    Ok(Json(super::tasks::FileList { items: dangvu_store::files::of_document(&state.db, id).await? }))
}
