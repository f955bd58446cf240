//! The pages of members: the registry and its import, admissions, classification and figures.

pub mod admissions;
pub mod import;
pub mod mine;
pub mod registry;

use axum::routing::{get, post};

use crate::pages::PageRoutes;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/members", get(registry::index))
        .route("/me/record", get(mine::record))
        .route("/members/export", get(registry::export))
        .route("/members/import", post(import::upload).layer(axum::extract::DefaultBodyLimit::max(64 << 20)))
        .route("/members/import/review", post(import::review))
        .route("/members/{id}", get(registry::show))
        .route("/members/{id}/file", get(registry::record_file))
        .route("/members/{id}/record", post(registry::correct))
        .route("/members/{id}/admission-dates", post(registry::correct_admission))
        .route("/members/{id}/transfer", post(registry::transfer))
        .route("/members/{id}/end", post(registry::end))
        .route("/members/{id}/exemption", post(registry::exemption))
        .route("/members/{id}/recognition", post(registry::recognize))
        .route("/members/{id}/inactive-periods", post(registry::add_period))
        .route("/members/{id}/inactive-periods/delete", post(registry::delete_period))
        .route("/members/{id}/readmission", post(registry::readmit))
        .route("/transfers/{id}/confirm", post(registry::confirm_transfer))
        .route("/admissions", get(admissions::index).post(admissions::create))
        .route("/admissions/report", get(admissions::report))
        .route("/admissions/{id}", get(admissions::show).post(admissions::record_steps))
        .route("/admissions/{id}/close", post(admissions::close))
        .route("/orgs/{id}/admission-target", post(admissions::set_target))
        .route("/figures", get(admissions::figures))
        .route("/classifications", get(admissions::classifications).post(admissions::record_classifications))
}
