//! The pages of cell meetings: the cell's meetings, the member's handbook, the supervision.

pub mod handbook;
pub mod meetings;
pub mod supervision;

use axum::routing::{get, post};

use crate::pages::PageRoutes;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/cell-meetings", get(meetings::index).post(meetings::create))
        .route("/cell-meetings/export", get(meetings::export))
        .route("/cell-meetings/book", get(meetings::book))
        .route("/cell-meeting-topics", post(meetings::push_topic))
        .route("/cell-meeting-topics/{id}/withdraw", post(meetings::withdraw_topic))
        .route("/cell-meetings/{id}", get(meetings::show))
        .route("/cell-meetings/{id}/attendance", post(meetings::attendance))
        .route("/cell-meetings/{id}/minutes", post(meetings::minutes))
        .route("/cell-meetings/{id}/approve", post(meetings::approve))
        .route("/cell-meetings/{id}/cancel", post(meetings::cancel))
        .route("/cell-meetings/{id}/reschedule", post(meetings::reschedule))
        .route("/cell-meetings/{id}/reply", post(meetings::reply))
        .route("/cell-meetings/{id}/comments", post(meetings::comment))
        .route("/cell-meetings/{id}/tasks", post(meetings::assign_task))
        .route("/cell-meetings/{id}/files", post(meetings::attach).layer(crate::pages::upload_limit()))
        .route("/cell-meeting-tasks/{id}/report", post(meetings::report_task))
        .route("/cell-meeting-tasks/{id}/review", post(meetings::review_task))
}
