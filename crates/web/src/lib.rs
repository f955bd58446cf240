//! The web interface and the JSON API of dangvu, served by one axum router.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod api;
pub mod assets;
pub mod audit;
pub mod cell_meetings;
pub mod congresses;
pub mod dues;
pub mod elections;
pub mod error;
pub mod extract;
pub mod files;
pub mod home;
pub mod members;
pub mod orgs;
pub mod pages;
pub mod personnel;
pub mod petitions;
pub mod rewards;
pub mod scope;
pub mod security;
pub mod settings;
pub mod tasks;
pub mod usecase;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use dangvu_store::Db;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Settings that come from flags or the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted proxy).
    pub trust_proxy: bool,
    /// The key that seals petitions' senders: held here, never in the database.
    pub identity_key: dangvu_store::petitions::IdentityKey,
}

impl Default for Config {
    /// No proxy, plain cookies, and a key of its own: identities it seals open only in this
    /// process (tests, a throwaway server).
    fn default() -> Self {
        Config {
            secure_cookies: false,
            trust_proxy: false,
            identity_key: dangvu_store::petitions::IdentityKey::generate(),
        }
    }
}

/// What every handler shares. The server keeps no state of its own beyond this.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

async fn api_not_found() -> error::AppError {
    error::AppError::NotFound
}

/// The whole application: pages, API, static files, health check.
pub fn app(db: Db, config: Config) -> Router {
    let state = AppState { db, config: Arc::new(config) };
    let Routes { api, pages } = routes();
    let (api, _) = api.split_for_parts();
    let doc = Arc::new(api::openapi().to_json().unwrap_or_else(|_| "{}".into()));
    let openapi = Router::new().route("/openapi.json", get(api::serve_openapi)).with_state(doc);
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    Router::new()
        // An unknown API route answers the API's JSON error, not the pages' 404 page.
        .nest("/api/v1", api.merge(openapi.with_state(())).fallback(api_not_found))
        .route("/healthz", get(healthz))
        .merge(pages.into_router())
        .merge(assets::router())
        .fallback(pages::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(security::same_origin))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(security::request_span))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// The routes of one capability: its documented API (under `/api/v1`) and its pages.
pub struct Routes {
    pub api: OpenApiRouter<AppState>,
    pub pages: pages::PageRoutes,
}

/// Every capability's routes, merged in this one place; the API keeps its OpenAPI document.
pub fn routes() -> Routes {
    let capabilities = [
        home::router(),
        accounts::router(),
        orgs::router(),
        members::router(),
        tasks::router(),
        cell_meetings::router(),
        elections::router(),
        congresses::router(),
        personnel::router(),
        petitions::router(),
        rewards::router(),
        dues::router(),
        settings::router(),
        audit::router(),
    ];
    let mut all = Routes { api: OpenApiRouter::with_openapi(api::ApiDoc::openapi()), pages: pages::PageRoutes::new() };
    for capability in capabilities {
        all.api = all.api.merge(capability.api);
        all.pages = all.pages.merge(capability.pages);
    }
    all
}

/// The path of every page route, for the page scope walk of the tests.
pub fn page_paths() -> Vec<&'static str> {
    routes().pages.paths().to_vec()
}

/// `200 {"status":"ok"}` when the database answers, `503` otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (StatusCode::OK, axum::Json(serde_json::json!({"status": "ok"})))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "unavailable"})))
    }
}
