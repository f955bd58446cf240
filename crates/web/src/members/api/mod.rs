//! The API of members: the registry, transfers, import and export, admissions, classification
//! and the figures.

pub mod admissions;
pub mod figures;
pub mod registry;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(registry::create, registry::list))
        .routes(routes!(registry::get, registry::correct))
        .routes(routes!(registry::transfer))
        .routes(routes!(registry::import))
        .routes(routes!(registry::import_preview))
        .routes(routes!(registry::add_inactive_period))
        .routes(routes!(registry::delete_inactive_period))
        .routes(routes!(registry::readmit))
        .routes(routes!(registry::record_file))
        .routes(routes!(registry::export))
        .routes(routes!(registry::end))
        .routes(routes!(registry::exemption))
        .routes(routes!(registry::recognize))
        .routes(routes!(registry::correct_admission))
        .routes(routes!(registry::transfers))
        .routes(routes!(registry::pending_transfers))
        .routes(routes!(registry::confirm_transfer))
        .routes(routes!(admissions::create, admissions::list))
        .routes(routes!(admissions::report))
        .routes(routes!(admissions::get, admissions::update))
        .routes(routes!(admissions::close))
        .routes(routes!(admissions::set_target))
        .routes(routes!(figures::member_figures))
        .routes(routes!(figures::record, figures::list))
}
