//! `/api/v1/settings`: the numbers an administrator of the whole tree may change.

use axum::Json;
use axum::extract::State;
use dangvu_store::settings::{self, Settings};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiUser};
use crate::usecase::{actor, in_tx};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Settings apply to the whole deployment, so only an admin of the whole tree changes them.
fn require_tree_admin(user: &dangvu_store::accounts::SessionUser) -> Result<(), AppError> {
    crate::scope::require_admin(user)?;
    if user.scope != dangvu_store::accounts::Scope::Tree {
        return Err(AppError::Forbidden("Chỉ quản trị viên toàn hệ thống thay đổi được thiết lập".into()));
    }
    Ok(())
}

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
}

/// Applies a patch to one group of rules; its field errors are named inside the group.
fn patch_rules<T: serde::Serialize + serde::de::DeserializeOwned>(
    group: &str,
    current: &T,
    patch: serde_json::Value,
) -> Result<T, AppError> {
    crate::api::merge_patch(current, patch).map_err(|e| match e {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = format!("{group}.{}", f.field);
                    f
                })
                .collect(),
        ),
        other => other,
    })
}

/// Change settings (admin of the whole tree).
#[utoipa::path(put, path = "/settings", tag = "settings", request_body = UpdateSettings,
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<UpdateSettings>,
) -> JsonResult<Settings> {
    require_tree_admin(&user)?;
    // Everything is checked before anything is written: one bad value changes nothing.
    let term = match input.term_starts_on.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => Some(Some(
            dangvu_domain::calendar::parse_date(raw)
                .ok_or_else(|| AppError::invalid("term_starts_on", "Ngày bắt đầu nhiệm kỳ không hợp lệ"))?,
        )),
    };
    let current = settings::get(&state.db).await?;
    let rules = input
        .membership_rules
        .map(|patch| patch_rules("membership_rules", &current.membership_rules, patch))
        .transpose()?;
    let meeting_rules = input
        .cell_meeting_rules
        .map(|patch| patch_rules("cell_meeting_rules", &current.cell_meeting_rules, patch))
        .transpose()?;
    in_tx(&state, async |tx| {
        if let Some(rules) = &rules {
            settings::set_membership_rules(tx, &actor(&user), rules).await?;
        }
        if let Some(rules) = &meeting_rules {
            settings::set_cell_meeting_rules(tx, &actor(&user), rules).await?;
        }
        if let Some(holidays) = &input.holidays {
            settings::set_holidays(tx, &actor(&user), holidays).await?;
        }
        if let Some(days) = input.reminder_days {
            settings::set_reminder_days(tx, &actor(&user), days).await?;
        }
        if let Some(on) = term {
            settings::set_term_starts_on(tx, &actor(&user), on).await?;
        }
        Ok(())
    })
    .await?;
    Ok(Json(settings::get(&state.db).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, update))
}
