//! `/api/v1/settings`: the numbers an administrator of the whole tree may change.

use axum::Json;
use axum::extract::State;
use dangvu_store::settings::{self, Settings};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, ApiUser};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The current settings.
#[utoipa::path(get, path = "/settings", tag = "settings",
    responses((status = 200, body = Settings), (status = 401, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(_user): ApiUser) -> JsonResult<Settings> {
    Ok(Json(settings::get(&state.db).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateSettings {
    /// 0–60.
    pub reminder_days: Option<i64>,
    /// YYYY-MM-DD, the first day of the committees' current term; `""` clears it.
    pub term_starts_on: Option<String>,
    /// Any fields of the membership rules to change, e.g. `{"probation_months": 12}`; the
    /// others keep their value.
    pub membership_rules: Option<serde_json::Value>,
    /// The whole holiday calendar: `{"holidays": ["2027-02-05", …], "extra_working_days": […]}`.
    #[schema(value_type = Option<Object>)]
    pub holidays: Option<dangvu_domain::members::HolidayCalendar>,
    /// Any fields of the rules on cell meetings to change, e.g. `{"regular_day": 4}`.
    pub cell_meeting_rules: Option<serde_json::Value>,
    /// Any fields of the election rules to change, e.g. `{"max_surplus_percent": 30}`.
    pub election_rules: Option<serde_json::Value>,
    /// Any fields of the personnel rules to change, e.g. `{"max_consecutive_terms": 2}`.
    pub personnel_rules: Option<serde_json::Value>,
    /// Any fields of the petition rules to change, e.g. `{"congress_window_grassroots": 25}` or
    /// `{"denunciation": {"resolve_within": 90}}`.
    pub petition_rules: Option<serde_json::Value>,
    /// Any fields of the dues rules to change, e.g. `{"default_region": 2}` or
    /// `{"shares": {"cell": 50}}`.
    pub dues_rules: Option<serde_json::Value>,
}

/// Change settings (admin of the whole tree).
#[utoipa::path(put, path = "/settings", tag = "settings", request_body = UpdateSettings,
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<UpdateSettings>,
) -> JsonResult<Settings> {
    let change = super::Change {
        reminder_days: input.reminder_days,
        term_starts_on: input.term_starts_on,
        membership_rules: input.membership_rules,
        holidays: input.holidays,
        cell_meeting_rules: input.cell_meeting_rules,
        election_rules: input.election_rules,
        personnel_rules: input.personnel_rules,
        petition_rules: input.petition_rules,
        dues_rules: input.dues_rules,
        write_unchanged_rules: true,
    };
    Ok(Json(super::update(&state, &user, change).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, update))
}
