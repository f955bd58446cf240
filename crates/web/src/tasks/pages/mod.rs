//! The pages of documents, meetings and tasks.

pub mod documents;
pub mod drafts;
pub mod tasks;

use axum::routing::{get, post};

use crate::pages::PageRoutes;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/tasks", get(tasks::queue))
        .route("/tasks/new", get(tasks::new_form).post(tasks::create))
        .route("/tasks/{id}", get(tasks::show))
        .route("/tasks/{id}/report", post(tasks::report).layer(crate::pages::upload_limit()))
        .route("/tasks/{id}/files", post(tasks::attach).layer(crate::pages::upload_limit()))
        .route("/tasks/{id}/edit", get(tasks::edit_form).post(tasks::edit))
        .route("/tasks/{id}/cancel", post(tasks::cancel))
        .route("/tasks/{id}/review", post(tasks::review))
        .route("/files/{id}", get(tasks::download))
        .route("/dashboard", get(tasks::dashboard))
        .route("/reports/tasks", get(tasks::report_file).post(tasks::issue_report))
        .route("/documents", get(documents::documents).post(documents::register_document))
        .route("/documents/{id}", get(documents::document))
        .route("/meetings", get(documents::meetings).post(documents::record_meeting))
        .route("/meetings/{id}", get(documents::meeting))
        .route("/meetings/{id}/draft", get(drafts::show).post(drafts::confirm))
}
