//! The append-only audit log: its API and its page.

pub mod api;
pub mod pages;

/// The audit log: its API and its page.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
