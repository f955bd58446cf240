//! The pages of accounts: signing in and out, and the list of accounts.

pub mod login;
pub mod users;

use axum::routing::{get, post};

use crate::pages::PageRoutes;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/users", get(users::users).post(users::create_user))
}
