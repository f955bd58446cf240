//! The API of accounts: signing in and out, and the accounts with their roles and scopes.

pub mod session;
pub mod users;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::sign_in, session::sign_out))
        .routes(routes!(session::me))
        .routes(routes!(session::set_email))
        .routes(routes!(users::create, users::list))
        .routes(routes!(users::get))
}
