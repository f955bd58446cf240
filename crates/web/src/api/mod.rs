//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.

pub mod admissions;
pub mod audit;
pub mod cell_meetings;
pub mod documents;
pub mod extract;
pub mod figures;
pub mod files;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod session;
pub mod settings;
pub mod tasks;
pub mod users;

use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
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
        (name = "settings", description = "Numbers an administrator changes without a release"),
        (name = "audit", description = "The append-only audit log"),
    )
)]
struct ApiDoc;

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

/// Every `/api/v1` route with its documentation; a route cannot exist without it.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::sign_in, session::sign_out))
        .routes(routes!(session::me))
        .routes(routes!(session::set_email))
        .routes(routes!(users::create, users::list))
        .routes(routes!(users::get))
        .routes(routes!(orgs::create, orgs::list))
        .routes(routes!(orgs::get))
        .routes(routes!(orgs::tree))
        .routes(routes!(orgs::stats))
        .routes(routes!(orgs::history))
        .routes(routes!(orgs::rename))
        .routes(routes!(orgs::move_org))
        .routes(routes!(orgs::merge))
        .routes(routes!(orgs::dissolve))
        .routes(routes!(orgs::bodies, orgs::add_body))
        .routes(routes!(members::create, members::list))
        .routes(routes!(members::get, members::correct))
        .routes(routes!(members::transfer))
        .routes(routes!(members::import))
        .routes(routes!(members::import_preview))
        .routes(routes!(members::add_inactive_period))
        .routes(routes!(members::delete_inactive_period))
        .routes(routes!(members::readmit))
        .routes(routes!(members::record_file))
        .routes(routes!(members::export))
        .routes(routes!(members::end))
        .routes(routes!(members::exemption))
        .routes(routes!(members::recognize))
        .routes(routes!(members::correct_admission))
        .routes(routes!(members::transfers))
        .routes(routes!(members::pending_transfers))
        .routes(routes!(members::confirm_transfer))
        .routes(routes!(admissions::create, admissions::list))
        .routes(routes!(admissions::report))
        .routes(routes!(admissions::get, admissions::update))
        .routes(routes!(admissions::close))
        .routes(routes!(admissions::set_target))
        .routes(routes!(figures::member_figures))
        .routes(routes!(figures::record, figures::list))
        .routes(routes!(documents::create, documents::list))
        .routes(routes!(documents::get))
        .routes(routes!(documents::files))
        .routes(routes!(meetings::create, meetings::list))
        .routes(routes!(meetings::get))
        .routes(routes!(meetings::tasks_of))
        .routes(routes!(tasks::create, tasks::list))
        .routes(routes!(tasks::summary))
        .routes(routes!(extract::extract))
        .routes(routes!(tasks::get, tasks::update))
        .routes(routes!(tasks::cancel))
        .routes(routes!(tasks::files, tasks::attach))
        .routes(routes!(files::download))
        .routes(routes!(tasks::report, tasks::reports))
        .routes(routes!(tasks::review))
        .routes(routes!(tasks::reminders))
        .routes(routes!(tasks::report_file, tasks::issue_report))
        .routes(routes!(cell_meetings::create, cell_meetings::list))
        .routes(routes!(cell_meetings::get, cell_meetings::update))
        .routes(routes!(cell_meetings::cancel))
        .routes(routes!(cell_meetings::attendance))
        .routes(routes!(cell_meetings::minutes))
        .routes(routes!(cell_meetings::approve))
        .routes(routes!(cell_meetings::minutes_versions))
        .routes(routes!(cell_meetings::reply))
        .routes(routes!(cell_meetings::comments, cell_meetings::comment))
        .routes(routes!(cell_meetings::mine))
        .routes(routes!(cell_meetings::stats))
        .routes(routes!(cell_meetings::trend))
        .routes(routes!(cell_meetings::absentees))
        .routes(routes!(cell_meetings::report))
        .routes(routes!(cell_meetings::push_topic, cell_meetings::topics_list))
        .routes(routes!(cell_meetings::withdraw_topic))
        .routes(routes!(cell_meetings::assign_task, cell_meetings::meeting_tasks))
        .routes(routes!(cell_meetings::my_tasks))
        .routes(routes!(cell_meetings::report_task))
        .routes(routes!(cell_meetings::review_task))
        .routes(routes!(cell_meetings::attach, cell_meetings::files))
        .routes(routes!(cell_meetings::minutes_book))
        .routes(routes!(settings::get, settings::update))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
}

/// The OpenAPI document of every `/api/v1` route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = router().split_for_parts();
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
/// optional one), the others stay. A field `T` does not have is refused, not ignored.
pub fn merge_patch<T: Serialize + DeserializeOwned>(current: &T, patch: serde_json::Value) -> Result<T, AppError> {
    let serde_json::Value::Object(changes) = patch else {
        return Err(AppError::BadRequest("Nội dung phải là một đối tượng JSON".into()));
    };
    let mut merged = serde_json::to_value(current).map_err(|e| AppError::Internal(e.to_string()))?;
    let serde_json::Value::Object(fields) = &mut merged else {
        return Err(AppError::Internal("not an object".into()));
    };
    let mut problems = dangvu_domain::validation::Problems::new();
    for (key, value) in changes {
        if fields.contains_key(&key) {
            fields.insert(key, value);
        } else {
            problems.add(key, "Không có trường này");
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    serde_json::from_value(merged).map_err(|e| AppError::invalid("body", format!("Giá trị không hợp lệ: {e}")))
}
