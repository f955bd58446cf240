//! The numbers an administrator changes without a release: their API and their page.

pub mod api;
pub mod pages;

/// Settings: their API and their page.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
