//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.

use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

use crate::error::AppError;

#[derive(OpenApi)]
#[openapi(
    info(title = "dangvu API", description = "The work of Party committees: organisations, accounts, audit.", version = "1"),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "orgs", description = "The organisation tree and its history"),
        (name = "users", description = "Accounts, roles and scope"),
        (name = "members", description = "The members registry, transfers, import and export"),
        (name = "documents", description = "The registry of Party documents"),
        (name = "meetings", description = "Meetings and their conclusions"),
        (name = "tasks", description = "Tasks from assignment to acceptance"),
        (name = "cell-meetings", description = "Cell meetings, the member's handbook and their supervision"),
        (name = "congresses", description = "Congresses: the congress of an organisation, its drafts in versions, comments from members and units, and their disposition"),
        (name = "elections", description = "Elections by secret ballot: the list, the counting board, the double-entry count, the result"),
        (name = "personnel", description = "Personnel work, for accounts with the personnel grant: posts and holders, gaps and limits, planning pools"),
        (name = "rewards", description = "Emulation and rewards: Party badge candidates, awards, award proposals, campaigns and their figures"),
        (name = "dues", description = "Party dues: a member's basis, year, payments and exemptions; a cell's monthly book; the report of a subtree with what each level keeps and passes up"),
        (name = "settings", description = "Numbers an administrator changes without a release"),
        (name = "audit", description = "The append-only audit log"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document of every `/api/v1` route: each capability's routes are documented
/// where they are declared (`utoipa_axum::routes!`), so a route cannot exist without it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = crate::routes().api.split_for_parts();
    let mut paths = utoipa::openapi::path::Paths::new();
    for (path, item) in std::mem::take(&mut doc.paths.paths) {
        paths.paths.insert(format!("/api/v1{path}"), item);
    }
    doc.paths = paths;
    doc
}

pub async fn serve_openapi(
    axum::extract::State(doc): axum::extract::State<std::sync::Arc<String>>,
) -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], (*doc).clone())
}

/// `limit` (default 50, at most 500) and `cursor` of every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1–500, default 50.
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    /// The limit and the id after which the page starts.
    pub fn resolve(&self) -> Result<(i64, i64), AppError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            return Err(AppError::invalid("limit", "limit phải từ 1 đến 500"));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => c.parse().map_err(|_| AppError::invalid("cursor", "cursor không hợp lệ"))?,
        };
        Ok((limit, after))
    }
}

/// The cursor of the next page: the last id, when the page was full.
pub fn next_cursor(last_id: Option<i64>, len: usize, limit: i64) -> Option<String> {
    (len as i64 == limit).then(|| last_id.map(|i| i.to_string())).flatten()
}

pub type JsonResult<T> = Result<Json<T>, AppError>;

/// Applies a JSON object of changes to `current`: the fields named change (`null` clears an
/// optional one), the others stay; a field holding an object is patched the same way, field by
/// field (RFC 7396). A field `T` does not have is refused, not ignored.
pub fn merge_patch<T: Serialize + DeserializeOwned>(current: &T, patch: serde_json::Value) -> Result<T, AppError> {
    let serde_json::Value::Object(changes) = patch else {
        return Err(AppError::BadRequest("Nội dung phải là một đối tượng JSON".into()));
    };
    let mut merged = serde_json::to_value(current).map_err(|e| AppError::Internal(e.to_string()))?;
    let serde_json::Value::Object(fields) = &mut merged else {
        return Err(AppError::Internal("not an object".into()));
    };
    let mut problems = dangvu_domain::validation::Problems::new();
    patch_fields(fields, changes, "", &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    serde_json::from_value(merged).map_err(|e| AppError::invalid("body", format!("Giá trị không hợp lệ: {e}")))
}

fn patch_fields(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    changes: serde_json::Map<String, serde_json::Value>,
    prefix: &str,
    problems: &mut dangvu_domain::validation::Problems,
) {
    for (key, value) in changes {
        match (fields.get_mut(&key), value) {
            (None, _) => problems.add(format!("{prefix}{key}"), "Không có trường này"),
            (Some(serde_json::Value::Object(inner)), serde_json::Value::Object(more)) => {
                patch_fields(inner, more, &format!("{prefix}{key}."), problems);
            }
            (Some(slot), value) => *slot = value,
        }
    }
}
