//! `/api/v1/admissions`: the admission pipeline, its due and late steps, yearly targets and
//! the admissions report.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::members::AdmissionCase;
use dangvu_store::members::admissions::NewAdmission;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::members::admissions::{
    self as cases, AdmissionView, AdmissionsReport, list as list_cases, report as admissions_report, report_org,
};
use crate::members::list_path;
use crate::members::registry::Change;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateAdmission {
    /// The cell that proposes the admission.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub full_name: String,
    /// YYYY-MM-DD or dd/mm/yyyy.
    pub birth_date: String,
    /// `male`/`female` (or `Nam`/`Nữ`).
    pub gender: String,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    /// The dates already known (YYYY-MM-DD), e.g. `candidate_listed_on`, `course_certificate_on`.
    #[serde(flatten)]
    pub case: AdmissionCase,
}

async fn view(state: &AppState, user: &dangvu_store::accounts::SessionUser, id: i64) -> JsonResult<AdmissionView> {
    let a = crate::members::admissions::visible_admission(state, user, id).await?;
    let s = dangvu_store::settings::get(&state.db).await?;
    Ok(Json(AdmissionView::new(a, calendar::today(), &s.membership_rules, &s.holidays)))
}

/// Open an admission case for a person in a cell of the account's subtree.
#[utoipa::path(post, path = "/admissions", tag = "members", request_body = CreateAdmission,
    responses((status = 201, body = AdmissionView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateAdmission>,
) -> Result<(StatusCode, Json<AdmissionView>), AppError> {
    let birth_date = calendar::parse_date(&input.birth_date);
    if birth_date.is_none() {
        return Err(AppError::invalid("birth_date", "Ngày sinh không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)"));
    }
    let new = NewAdmission {
        org_id: input.org_id,
        full_name: input.full_name,
        birth_date,
        gender: input.gender,
        national_id: input.national_id,
        phone: input.phone,
        case: input.case,
    };
    let id = cases::open(&state, &user, &new).await?;
    Ok((StatusCode::CREATED, view(&state, &user, id).await?))
}

/// One case with its steps: done, due (with the deadline), late or not yet.
#[utoipa::path(get, path = "/admissions/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = AdmissionView), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<AdmissionView> {
    view(&state, &user, id).await
}

/// Record the dates of steps: a JSON object with any of the date fields of the case
/// (`null` clears one) and `admission_extended`/`recognition_extended`. The ceremony puts the
/// person in the registry as a probationary member; the recognition decision makes them official.
#[utoipa::path(patch, path = "/admissions/{id}", tag = "members", params(("id" = i64, Path)), request_body = AdmissionCase,
    responses((status = 200, body = AdmissionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> JsonResult<AdmissionView> {
    cases::record_steps(&state, &user, id, Change::Patch(patch)).await?;
    view(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseAdmission {
    /// Why the case stops (withdrawn, not admitted, not recognised…).
    pub reason: String,
    /// Today when absent.
    pub closed_on: Option<String>,
}

/// Stop a case; its dates stay.
#[utoipa::path(post, path = "/admissions/{id}/close", tag = "members", params(("id" = i64, Path)), request_body = CloseAdmission,
    responses((status = 200, body = AdmissionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CloseAdmission>,
) -> JsonResult<AdmissionView> {
    cases::close(&state, &user, id, input.closed_on.as_deref(), &input.reason).await?;
    view(&state, &user, id).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// `open` (default), `late`, `due` (the current step runs, not late) or `all`.
    pub state: Option<String>,
    /// Name contains this text (case and diacritics ignored).
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdmissionList {
    /// At most 5,000 cases, the oldest first.
    pub items: Vec<AdmissionView>,
    /// Of the items: how many have a late step.
    pub late: usize,
}

/// The cases of a subtree with where each stands.
#[utoipa::path(get, path = "/admissions", tag = "members", params(ListParams),
    responses((status = 200, body = AdmissionList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<AdmissionList> {
    let filter = p.state.as_deref().unwrap_or("open");
    if !["open", "late", "due", "all"].contains(&filter) {
        return Err(AppError::invalid("state", "state là open, late, due hoặc all"));
    }
    let path = list_path(&state, &user, p.org_id).await?;
    let items = list_cases(&state, &user, &path, filter, p.q.as_deref()).await?;
    let late = items.iter().filter(|v| v.is_late()).count();
    Ok(Json(AdmissionList { items, late }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdmissionTarget {
    pub year: i32,
    /// How many admissions the organisation plans for the year.
    pub target: i64,
}

/// Set an organisation's admission target for a year (chỉ tiêu kết nạp).
#[utoipa::path(put, path = "/orgs/{id}/admission-target", tag = "members", params(("id" = i64, Path)),
    request_body = AdmissionTarget,
    responses((status = 200, body = AdmissionsReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn set_target(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<AdmissionTarget>,
) -> JsonResult<AdmissionsReport> {
    let org = cases::set_target(&state, &user, id, input.year, input.target).await?;
    Ok(Json(admissions_report(&state, &org, input.year).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The organisation whose units are compared; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// The current year when absent.
    pub year: Option<i32>,
}

/// Admissions of a year by unit against each unit's target.
#[utoipa::path(get, path = "/admissions/report", tag = "members", params(ReportParams),
    responses((status = 200, body = AdmissionsReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> JsonResult<AdmissionsReport> {
    let path = list_path(&state, &user, p.org_id).await?;
    let org = report_org(&state, &user, p.org_id, &path).await?;
    let year = p.year.unwrap_or_else(|| chrono::Datelike::year(&calendar::today()));
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid("year", "Năm không hợp lệ"));
    }
    Ok(Json(admissions_report(&state, &org, year).await?))
}
