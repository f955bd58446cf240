//! `/api/v1`: a member's dues basis (`PUT /members/{id}/dues-basis`), year
//! (`/members/{id}/dues`), payments and exemptions; a cell's month and batch of payments
//! (`/orgs/{id}/dues`); the report of a subtree (`/orgs/{id}/dues-report`); the region and share
//! set on an organisation (`/orgs/{id}/dues-unit`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::dues::{BasisRecord, BookLine, DuesReport, ExemptionRecord, MemberDues, Payment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ExemptionInput, PaymentInput};
use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};

#[derive(Debug, Deserialize, ToSchema)]
pub struct BasisInput {
    /// YYYY-MM: from this month on (until the next basis).
    pub from: String,
    /// `insured` (compulsory social insurance), `pensioner`, `student` or `other`.
    pub category: String,
    /// The monthly insured salary or pension the percentage applies to, in đồng (insured and
    /// pensioner only).
    pub base: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Bases {
    pub items: Vec<BasisRecord>,
}

/// Set what a member's dues are computed from, from a month on; a basis starting the same month
/// is replaced. Members with no basis pay as "other" members (a share of the regional minimum
/// wage of the cell's area).
#[utoipa::path(put, path = "/members/{id}/dues-basis", tag = "dues", params(("id" = i64, Path)),
    request_body = BasisInput,
    responses((status = 200, body = Bases), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_basis(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<BasisInput>,
) -> JsonResult<Bases> {
    let items = super::set_basis(&state, &user, id, &input.from, &input.category, input.base).await?;
    Ok(Json(Bases { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// YYYY; this year by default.
    pub year: Option<i32>,
}

/// A member's dues for a year: each month's amount by the regulation in force that month
/// (QĐ 342 until 01/2026, 01-QĐ/TW from 02/2026), what was paid for it, whether it is exempt,
/// and the months over and unpaid. The member reads the own.
#[utoipa::path(get, path = "/members/{id}/dues", tag = "dues", params(("id" = i64, Path), YearParams),
    responses((status = 200, body = MemberDues), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn member_dues(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiQuery(p): ApiQuery<YearParams>,
) -> JsonResult<MemberDues> {
    Ok(Json(super::member_dues(&state, &user, id, p.year).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PaymentBody {
    /// YYYY-MM: the month paid for (up to twelve ahead).
    pub month: String,
    /// In đồng.
    pub amount: i64,
    /// YYYY-MM-DD.
    pub paid_on: String,
    /// `cash` (to the cell), `portal` (Cổng Dịch vụ công quốc gia) or `bank`.
    pub method: String,
    /// The portal's or the bank's transaction code (required for the portal), or a receipt
    /// number; recorded once per member.
    pub reference: Option<String>,
}

/// Record a member's payment for a month, in the member's cell.
#[utoipa::path(post, path = "/members/{id}/dues/payments", tag = "dues", params(("id" = i64, Path)),
    request_body = PaymentBody,
    responses((status = 201, body = Payment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_payment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(b): ApiJson<PaymentBody>,
) -> Result<(StatusCode, Json<Payment>), AppError> {
    let input = PaymentInput {
        member_id: id,
        month: b.month,
        amount: b.amount,
        paid_on: b.paid_on,
        method: b.method,
        reference: b.reference,
    };
    Ok((StatusCode::CREATED, Json(super::record_payment(&state, &user, input).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExemptionBody {
    /// `social_pension`, `special_hardship` or `hardship`.
    pub kind: String,
    /// 100 exempts (default); a hardship may instead reduce by 30, 50 or 70.
    pub percent: Option<u32>,
    /// YYYY-MM: the first month covered.
    pub from: String,
    /// YYYY-MM: the last month covered (a hardship: at most twelve months).
    pub until: Option<String>,
    /// YYYY-MM-DD; today by default.
    pub decided_on: Option<String>,
    /// The deciding organisation: the member's grassroots cell, or the committee above the cell
    /// (the default).
    pub decided_by: Option<i64>,
    /// The decision's number or the cell's minutes.
    pub reference: String,
}

/// Record a decision exempting a member from the dues or reducing them (QĐ 01 Đ5). Fifty years
/// of party age exempt by themselves.
#[utoipa::path(post, path = "/members/{id}/dues/exemptions", tag = "dues", params(("id" = i64, Path)),
    request_body = ExemptionBody,
    responses((status = 201, body = ExemptionRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_exemption(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(b): ApiJson<ExemptionBody>,
) -> Result<(StatusCode, Json<ExemptionRecord>), AppError> {
    let input = ExemptionInput {
        kind: b.kind,
        percent: b.percent,
        from: b.from,
        until: b.until,
        decided_on: b.decided_on,
        decided_by: b.decided_by.map(OrgId::from),
        reference: b.reference,
    };
    Ok((StatusCode::CREATED, Json(super::add_exemption(&state, &user, id, input).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParams {
    /// YYYY-MM; this month by default.
    pub month: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthBook {
    pub org_id: i64,
    #[schema(example = "2026-03")]
    pub month: String,
    pub items: Vec<BookLine>,
}

/// The dues book of a subtree (a cell, usually) for a month: every member in the Party that
/// month, the amount due, paid, and the year's unpaid months so far.
#[utoipa::path(get, path = "/orgs/{id}/dues", tag = "dues", params(("id" = i64, Path), MonthParams),
    responses((status = 200, body = MonthBook), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn month_book(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<MonthParams>,
) -> JsonResult<MonthBook> {
    let (org, month, items) = super::month_book(&state, &user, Some(id), p.month.as_deref()).await?;
    Ok(Json(MonthBook { org_id: i64::from(org.id), month: month.to_string(), items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CellPayment {
    pub member_id: i64,
    /// YYYY-MM; the batch's month by default.
    pub month: Option<String>,
    pub amount: i64,
    /// YYYY-MM-DD; the batch's day by default.
    pub paid_on: Option<String>,
    /// `cash`, `portal` or `bank`; the batch's by default.
    pub method: Option<String>,
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CellPayments {
    /// YYYY-MM.
    pub month: Option<String>,
    /// YYYY-MM-DD.
    pub paid_on: Option<String>,
    /// `cash` by default.
    pub method: Option<String>,
    pub payments: Vec<CellPayment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Payments {
    pub items: Vec<Payment>,
}

/// Record a sitting's payments in a cell's book, all or none (the treasurer's month).
#[utoipa::path(post, path = "/orgs/{id}/dues/payments", tag = "dues", params(("id" = i64, Path)),
    request_body = CellPayments,
    responses((status = 201, body = Payments), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_cell_payments(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(b): ApiJson<CellPayments>,
) -> Result<(StatusCode, Json<Payments>), AppError> {
    let inputs = b
        .payments
        .into_iter()
        .map(|p| PaymentInput {
            member_id: MemberId::from(p.member_id),
            month: p.month.or_else(|| b.month.clone()).unwrap_or_default(),
            amount: p.amount,
            paid_on: p.paid_on.or_else(|| b.paid_on.clone()).unwrap_or_default(),
            method: p.method.or_else(|| b.method.clone()).unwrap_or_else(|| "cash".into()),
            reference: p.reference,
        })
        .collect();
    let items = super::record_payments(&state, &user, id, inputs).await?;
    Ok((StatusCode::CREATED, Json(Payments { items })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `2026-03`, `2026-Q1`, `2026-H1` or `2026`; this year to date by default.
    pub period: Option<String>,
}

/// The dues report of a subtree for a period: members, what was due and paid, what the subtree
/// keeps (every level's share) and what the organisation passes up, members in arrears; the same
/// for each unit directly below, and the members in arrears with their months.
#[utoipa::path(get, path = "/orgs/{id}/dues-report", tag = "dues", params(("id" = i64, Path), ReportParams),
    responses((status = 200, body = DuesReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> JsonResult<DuesReport> {
    Ok(Json(super::report(&state, &user, Some(id), p.period.as_deref()).await?))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DuesUnit {
    /// The region (1–4) of the organisation's area for the regional minimum wage; `null`: the
    /// one above (or the settings').
    pub region: Option<u8>,
    /// The share it keeps of what reaches it, percent; `null`: the settings' for its kind.
    pub keeps: Option<u32>,
}

/// Set the region of an organisation's area and the share of the dues it keeps.
#[utoipa::path(put, path = "/orgs/{id}/dues-unit", tag = "dues", params(("id" = i64, Path)), request_body = DuesUnit,
    responses((status = 200, body = DuesUnit), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(b): ApiJson<DuesUnit>,
) -> JsonResult<DuesUnit> {
    let (region, keeps) = super::set_unit(&state, &user, id, b.region, b.keeps).await?;
    Ok(Json(DuesUnit { region, keeps }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(set_basis))
        .routes(routes!(member_dues))
        .routes(routes!(record_payment))
        .routes(routes!(add_exemption))
        .routes(routes!(month_book))
        .routes(routes!(record_cell_payments))
        .routes(routes!(report))
        .routes(routes!(set_unit))
}
