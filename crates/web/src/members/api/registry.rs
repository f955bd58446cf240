//! `/api/v1/members`: the registry, its search, transfers, import and export.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::Problems;
use dangvu_store::members::{self, Member};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id, Ids};
use crate::members::registry::{self, Change, CreateMember, date};
use crate::members::{
    ExportParams, XLSX, export_file, list_path, record_download, redact, status_param, visible_member,
};

/// Register a member in a cell of the account's subtree.
#[utoipa::path(post, path = "/members", tag = "members", request_body = CreateMember,
    responses((status = 201, body = Member), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateMember>,
) -> Result<(StatusCode, Json<Member>), AppError> {
    let m = registry::register(&state, &user, input).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// One member's record; reading it is recorded in the audit log.
#[utoipa::path(get, path = "/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = Member), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id<MemberId>) -> JsonResult<Member> {
    Ok(Json(registry::read(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// Name, card number or citizen id; case and diacritics ignored (`dang` finds `Đặng`).
    pub q: Option<String>,
    /// `probationary` or `full`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<Member>,
    pub next_cursor: Option<String>,
}

/// Correct the identity fields of a record (name, birth date, gender, citizen id, phone, card
/// number): a JSON object with the fields that change, `null` clearing an optional one.
/// Status, cell and dates of admission change through their own procedures.
#[utoipa::path(patch, path = "/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = members::Identity,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> JsonResult<Member> {
    Ok(Json(registry::correct(&state, &user, id, Change::Patch(patch)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdmissionCorrection {
    /// The admission decision, YYYY-MM-DD or dd/mm/yyyy.
    pub admitted_on: String,
    /// The admission ceremony; absent or empty when not recorded.
    pub ceremony_on: Option<String>,
    /// The day the member became official; a full member's only.
    pub official_on: Option<String>,
    /// What the correction rests on (the decision, the original file); kept in the audit log.
    pub basis: String,
}

/// Correct admission dates that were typed or imported wrong. The member's periods are cut
/// again, so party age and past figures follow; status, cells and transfers stay. Refused for
/// a record with a re-admission.
#[utoipa::path(put, path = "/members/{id}/admission-dates", tag = "members", params(("id" = i64, Path)),
    request_body = AdmissionCorrection,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_admission(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<AdmissionCorrection>,
) -> JsonResult<Member> {
    let mut problems = Problems::new();
    let admitted_on = date(Some(&input.admitted_on), "admitted_on", &mut problems);
    if admitted_on.is_none() && input.admitted_on.trim().is_empty() {
        problems.add("admitted_on", "Thiếu ngày quyết định kết nạp");
    }
    let ceremony_on = date(input.ceremony_on.as_deref(), "ceremony_on", &mut problems);
    let official_on = date(input.official_on.as_deref(), "official_on", &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    let admitted_on = admitted_on.ok_or_else(|| AppError::invalid("admitted_on", "Thiếu ngày quyết định kết nạp"))?;
    let dates = members::AdmissionDates { admitted_on, ceremony_on, official_on };
    Ok(Json(registry::correct_admission(&state, &user, id, &dates, &input.basis).await?))
}

/// Search the members of a subtree.
#[utoipa::path(get, path = "/members", tag = "members", params(SearchParams),
    responses((status = 200, body = MemberList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> JsonResult<MemberList> {
    let (limit, _) = PageParams { limit: p.limit, cursor: None }.resolve()?;
    let after = match p.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            Some(members::SearchCursor::parse(c).ok_or_else(|| AppError::invalid("cursor", "cursor không hợp lệ"))?)
        }
    };
    let status = status_param(p.status.as_deref())?;
    let path = list_path(&state, &user, p.org_id).await?;
    let search = members::Search { path: &path, q: p.q.as_deref(), status, after: after.as_ref(), limit };
    let found = members::search(&state.db, &search, calendar::today()).await?;
    let items: Vec<Member> = found.members.into_iter().map(|m| redact(&user, m)).collect();
    Ok(Json(MemberList { items, next_cursor: found.next.map(|c| c.to_string()) }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Transfer {
    /// The receiving cell.
    #[schema(value_type = i64)]
    pub to_org_id: OrgId,
    /// `official` or `temporary`.
    pub kind: String,
    /// YYYY-MM-DD.
    pub effective_on: String,
    /// For a temporary transfer, the day it ends (3 months to 2 years later).
    pub until_on: Option<String>,
}

/// Transfer a member to another cell (chuyển sinh hoạt đảng), official or temporary.
#[utoipa::path(post, path = "/members/{id}/transfer", tag = "members", params(("id" = i64, Path)), request_body = Transfer,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<Transfer>,
) -> JsonResult<Member> {
    let on = calendar::parse_date(&input.effective_on)
        .ok_or_else(|| AppError::invalid("effective_on", "Ngày chuyển không hợp lệ"))?;
    let mut problems = Problems::new();
    let until = date(input.until_on.as_deref(), "until_on", &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    let order =
        members::NewTransfer { to_org_id: input.to_org_id, kind: &input.kind, effective_on: on, until_on: until };
    Ok(Json(registry::transfer(&state, &user, id, &order).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The cell every member of the file joins.
    #[param(value_type = i64)]
    pub org_id: OrgId,
    /// The field each column of the file fills, in order, separated by commas; an empty
    /// entry skips its column (`full_name,birth_date,,gender,status,admitted_on`). Without
    /// it the columns are mapped from their headings: the field names, or the usual
    /// Vietnamese headings ("Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số CCCD"…).
    pub columns: Option<String>,
}

impl ImportParams {
    fn chosen(&self) -> Option<Vec<String>> {
        self.columns.as_ref().map(|c| c.split(',').map(|s| s.trim().to_owned()).collect())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub created: usize,
}

/// Import members from CSV or XLSX: the first row holds the headings, mapped to fields by
/// name or by `columns`. Nothing is written unless every row is valid; each bad cell is
/// reported as `row N: field`.
#[utoipa::path(post, path = "/members/import", tag = "members", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = Imported), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> JsonResult<Imported> {
    let chosen = p.chosen();
    let rows = async {
        let (bytes, xlsx) = import_body(&headers, body).await?;
        let today = calendar::today();
        tokio::task::spawn_blocking(move || crate::members::import::check_file(&bytes, xlsx, chosen.as_deref(), today))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    let created = registry::import(&state, &user, p.org_id, None, rows)
        .await?
        .ok_or_else(|| AppError::Internal("an import without a draft writes or fails".into()))?;
    Ok(Json(Imported { created }))
}

/// What `POST /members/import` would do with the same file and parameters, without writing:
/// the mapping of the columns, the first rows and every problem.
#[utoipa::path(post, path = "/members/import/preview", tag = "members", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = crate::members::import::ImportPreview), (status = 403, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> JsonResult<crate::members::import::ImportPreview> {
    let chosen = p.chosen();
    let preview = async {
        let (bytes, xlsx) = import_body(&headers, body).await?;
        let today = calendar::today();
        tokio::task::spawn_blocking(move || crate::members::import::preview(&bytes, xlsx, chosen.as_deref(), today))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    Ok(Json(registry::preview_import(&state, &user, p.org_id, preview).await?))
}

/// The file of an import, read once the account may import it: whether the body is CSV or
/// XLSX, and its bytes.
async fn import_body(headers: &HeaderMap, body: axum::body::Body) -> Result<(axum::body::Bytes, bool), AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let xlsx = content_type.starts_with(XLSX);
    if !xlsx && !content_type.starts_with("text/csv") {
        return Err(AppError::BadRequest(format!("Nội dung phải là text/csv hoặc {XLSX}")));
    }
    let bytes = axum::body::to_bytes(body, 200 * 1024 * 1024)
        .await
        .map_err(|_| AppError::TooLarge("Tệp nhập lớn hơn 200 MB".into()))?;
    Ok((bytes, xlsx))
}

/// Export a list of members (the same filters as the search, every page) to CSV or XLSX.
#[utoipa::path(get, path = "/members/export", tag = "members", params(ExportParams),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, AppError> {
    export_file(&state, &user, p).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFileParams {
    /// `csv` or `xlsx`.
    pub format: String,
}

/// One member's record as a file: a member downloads their own; record keepers any they may
/// read (the read is audited, as on the record page).
#[utoipa::path(get, path = "/members/{id}/file", tag = "members", params(("id" = i64, Path), RecordFileParams),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiQuery(p): ApiQuery<RecordFileParams>,
) -> Result<Response, AppError> {
    record_download(&state, &user, id, &p.format).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndMembership {
    /// `removed_from_list` (xóa tên), `expelled` (khai trừ), `resigned` (xin ra khỏi Đảng) or
    /// `deceased` (từ trần).
    pub kind: String,
    /// YYYY-MM-DD; today when absent.
    pub ended_on: Option<String>,
}

/// End a membership. The record and its history stay; the member leaves every figure from
/// that day.
#[utoipa::path(post, path = "/members/{id}/end", tag = "members", params(("id" = i64, Path)), request_body = EndMembership,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<EndMembership>,
) -> JsonResult<Member> {
    let on = crate::scope::date_or_today(input.ended_on.as_deref(), "ended_on")?;
    Ok(Json(registry::end(&state, &user, id, &input.kind, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Exemption {
    pub exempt: bool,
    /// Since when (YYYY-MM-DD); today when absent.
    pub since: Option<String>,
    /// Required to exempt: old age, illness, work far away…
    pub reason: Option<String>,
}

/// Exempt a member from activities (miễn sinh hoạt) or lift the exemption.
#[utoipa::path(put, path = "/members/{id}/exemption", tag = "members", params(("id" = i64, Path)), request_body = Exemption,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn exemption(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<Exemption>,
) -> JsonResult<Member> {
    let mut problems = Problems::new();
    let since = date(input.since.as_deref(), "since", &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    Ok(Json(registry::set_exemption(&state, &user, id, input.exempt, since, input.reason.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Recognition {
    /// The date of the competent committee's decision (YYYY-MM-DD); the member is official
    /// from the last day of probation.
    pub decided_on: String,
}

/// Recognise a probationary member as an official member.
#[utoipa::path(post, path = "/members/{id}/recognition", tag = "members", params(("id" = i64, Path)), request_body = Recognition,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recognize(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<Recognition>,
) -> JsonResult<Member> {
    let on = calendar::parse_date(&input.decided_on)
        .ok_or_else(|| AppError::invalid("decided_on", "Ngày quyết định không hợp lệ"))?;
    Ok(Json(registry::recognise(&state, &user, id, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InactivePeriodInput {
    /// YYYY-MM-DD, not before the admission decision.
    pub from_on: String,
    /// YYYY-MM-DD; absent while the member is still out.
    pub until_on: Option<String>,
    /// `expelled`, `removed_from_list`, `resigned`, `lost_contact` or `transfer_gap`.
    pub reason: String,
    pub note: Option<String>,
}

/// Record a period out of the Party or out of its activity; party age leaves it out.
#[utoipa::path(post, path = "/members/{id}/inactive-periods", tag = "members", params(("id" = i64, Path)),
    request_body = InactivePeriodInput,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_inactive_period(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<InactivePeriodInput>,
) -> JsonResult<Member> {
    let mut problems = Problems::new();
    let from_on = date(Some(&input.from_on), "from_on", &mut problems);
    let until_on = date(input.until_on.as_deref(), "until_on", &mut problems);
    if input.from_on.trim().is_empty() {
        problems.add("from_on", "Thiếu ngày bắt đầu");
    }
    problems.finish().map_err(AppError::Invalid)?;
    let Some(from_on) = from_on else { return Err(AppError::invalid("from_on", "Thiếu ngày bắt đầu")) };
    let period =
        members::NewInactivePeriod { from_on, until_on, reason: input.reason.trim(), note: input.note.as_deref() };
    Ok(Json(registry::add_inactive_period(&state, &user, id, &period).await?))
}

/// Remove a period out recorded in error, or of a member cleared of a wrongful expulsion.
#[utoipa::path(delete, path = "/members/{id}/inactive-periods/{period_id}", tag = "members",
    params(("id" = i64, Path), ("period_id" = i64, Path)),
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_inactive_period(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Ids(id, period_id): Ids,
) -> JsonResult<Member> {
    Ok(Json(registry::delete_inactive_period(&state, &user, MemberId(id), period_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadmissionInput {
    /// The new admission decision (YYYY-MM-DD).
    pub decision_on: String,
    /// The new admission ceremony (YYYY-MM-DD); the new probation counts from it.
    pub ceremony_on: String,
    /// The cell the member joins; the last one when absent.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

/// Re-admit a member whose membership ended: once at most, after 36 months out (numbers in
/// the membership rules). Party age keeps the first decision and loses the time out; a new
/// probation starts at the new ceremony.
#[utoipa::path(post, path = "/members/{id}/readmission", tag = "members", params(("id" = i64, Path)),
    request_body = ReadmissionInput,
    responses((status = 200, body = Member), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn readmit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
    ApiJson(input): ApiJson<ReadmissionInput>,
) -> JsonResult<Member> {
    let mut problems = Problems::new();
    let decision_on = date(Some(&input.decision_on), "decision_on", &mut problems);
    let ceremony_on = date(Some(&input.ceremony_on), "ceremony_on", &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    let (Some(decision_on), Some(ceremony_on)) = (decision_on, ceremony_on) else {
        return Err(AppError::invalid("decision_on", "Ghi ngày quyết định và ngày lễ kết nạp lại"));
    };
    Ok(Json(registry::readmit(&state, &user, id, decision_on, ceremony_on, input.org_id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferList {
    pub items: Vec<members::Transfer>,
}

/// A member's transfers, oldest first.
#[utoipa::path(get, path = "/members/{id}/transfers", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = TransferList), (status = 404, body = ErrorBody)))]
pub async fn transfers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
) -> JsonResult<TransferList> {
    visible_member(&state, &user, id).await?;
    let s = dangvu_store::settings::get(&state.db).await?;
    let items = members::transfers_of(&state.db, id, calendar::today(), &s.membership_rules, &s.holidays).await?;
    Ok(Json(TransferList { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PendingParams {
    /// The receiving subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

/// Transfers into the subtree that the receiving cell has not confirmed (at most 1,000), with
/// the last day for the introduction letter.
#[utoipa::path(get, path = "/transfers/pending", tag = "members", params(PendingParams),
    responses((status = 200, body = TransferList), (status = 404, body = ErrorBody)))]
pub async fn pending_transfers(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<PendingParams>,
) -> JsonResult<TransferList> {
    let path = list_path(&state, &user, p.org_id).await?;
    let s = dangvu_store::settings::get(&state.db).await?;
    let items =
        members::pending_transfers(&state.db, &path, calendar::today(), &s.membership_rules, &s.holidays).await?;
    Ok(Json(TransferList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmTransfer {
    /// The day the member presented the introduction letter; today when absent.
    pub confirmed_on: Option<String>,
}

/// The receiving side confirms a transfer.
#[utoipa::path(post, path = "/transfers/{id}/confirm", tag = "members", params(("id" = i64, Path)),
    request_body = ConfirmTransfer,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm_transfer(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ConfirmTransfer>,
) -> Result<StatusCode, AppError> {
    registry::confirm_transfer(&state, &user, id, input.confirmed_on.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
