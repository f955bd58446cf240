//! `/api/v1/petitions`: the register of complaints, denunciations, proposals and feedback, its
//! steps, handlers and figures; `/api/v1/orgs/{id}/receptions`: citizens' reception sessions.
//! A denunciation's sender appears only in the answers given to the case's handlers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::petitions::Event;
use dangvu_store::accounts::User;
use dangvu_store::petitions::{Figures, Petition, Reception};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{CaseView, Letter, Registered, StepInput};
use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::optional_date;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SenderInput {
    pub full_name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPetition {
    /// The unit whose register receives it; the account's own organisation by default.
    pub org_id: Option<i64>,
    /// The registration number; the next of the register's year (`N/YYYY`) by default.
    pub number: Option<String>,
    /// YYYY-MM-DD: the day received (by post: the postmark); today by default.
    pub received_on: Option<String>,
    /// `post`, `handed_in`, `reception`, `forwarded`, `online`.
    pub channel: String,
    /// `complaint`, `denunciation`, `proposal`, `feedback`.
    pub kind: String,
    /// The content of the letter.
    pub summary: String,
    /// The sender; `null` for an anonymous letter (kept without handling when it complains or
    /// denounces). A denunciation's sender is read only by its handlers.
    pub sender: Option<SenderInput>,
    /// `member`, `org` or `state`; from the ids given by default.
    pub concerns: Option<String>,
    /// The member of the registry the letter concerns.
    pub concerns_member_id: Option<i64>,
    /// The organisation it concerns.
    pub concerns_org_id: Option<i64>,
    /// A State matter (an authority, an administrative case) in words.
    pub concerns_text: Option<String>,
    /// The congress a denunciation concerns: one received in the window before it opens is held
    /// for the new committee (HD 07-HD/UBKTTW).
    pub congress_id: Option<i64>,
    /// The citizens' reception session it was raised at.
    pub reception_id: Option<i64>,
    /// A complaint that also denounces: the complaint is handled, the sender told to send the
    /// denunciation separately (HD 02-HD/TW).
    #[serde(default)]
    pub also_denounces: bool,
}

/// Register a letter (office, inspection committee, admin): classified (kept with a reason when
/// it is not handled), linked to the case it repeats, routed to the competent body, timed.
#[utoipa::path(post, path = "/petitions", tag = "petitions", request_body = NewPetition,
    responses((status = 201, body = Registered), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NewPetition>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    let letter = Letter {
        org_id: input.org_id.map(OrgId::from),
        number: input.number,
        received_on: optional_date(input.received_on.as_deref(), "received_on")?,
        channel: input.channel,
        kind: input.kind,
        summary: input.summary,
        sender: input.sender.map(|s| dangvu_store::petitions::Sender {
            full_name: s.full_name,
            address: s.address,
            phone: s.phone,
            original_summary: None,
        }),
        concerns: input.concerns,
        concerns_member_id: input.concerns_member_id.map(MemberId::from),
        concerns_org_id: input.concerns_org_id.map(OrgId::from),
        concerns_text: input.concerns_text,
        congress_id: input.congress_id,
        reception_id: input.reception_id,
        also_denounces: input.also_denounces,
    };
    Ok((StatusCode::CREATED, Json(super::register(&state, &user, letter).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The top of the subtree; the account's own organisation by default.
    pub org_id: Option<i64>,
    /// `received`, `held`, `accepted`, `paused`, `resolved`, `not_handled`, `forwarded`, `withdrawn`.
    pub status: Option<String>,
    /// `complaint`, `denunciation`, `proposal`, `feedback`.
    pub kind: Option<String>,
    /// `true`: only the cases past their deadline today.
    pub overdue: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PetitionList {
    pub items: Vec<Petition>,
    pub next_cursor: Option<String>,
}

/// The register of a subtree, newest first: never a sender.
#[utoipa::path(get, path = "/petitions", tag = "petitions", params(ListParams),
    responses((status = 200, body = PetitionList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<PetitionList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor }.resolve()?;
    let filter = super::RegisterFilter {
        org_id: p.org_id.map(OrgId::from),
        status: p.status.as_deref(),
        kind: p.kind.as_deref(),
        overdue: p.overdue.unwrap_or(false),
    };
    let (_, items) = super::list(&state, &user, filter, limit, after).await?;
    let next = next_cursor(items.last().map(|p| p.id), items.len(), limit);
    Ok(Json(PetitionList { items, next_cursor: next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    pub org_id: Option<i64>,
    /// YYYY-MM-DD; 1 January of `to`'s year by default.
    pub from: Option<String>,
    /// YYYY-MM-DD; today by default.
    pub to: Option<String>,
}

/// The figures of a subtree's registers for the letters received in a period: received,
/// handled, resolved on time and late, open and overdue, by kind, status, channel, subject and
/// competent body, and by month.
#[utoipa::path(get, path = "/petitions/stats", tag = "petitions", params(StatsParams),
    responses((status = 200, body = Figures), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<StatsParams>,
) -> JsonResult<Figures> {
    let from = optional_date(p.from.as_deref(), "from")?;
    let to = optional_date(p.to.as_deref(), "to")?;
    Ok(Json(super::figures(&state, &user, p.org_id.map(OrgId::from), from, to).await?.1))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub org_id: Option<i64>,
    /// YYYY-MM-DD; 1 January of `to`'s year by default.
    pub from: Option<String>,
    /// YYYY-MM-DD; today by default.
    pub to: Option<String>,
    /// `pdf` (default), `docx` or `xlsx`.
    pub format: Option<String>,
}

/// The figures printed: the inspection committee's report in the Party's layout (PDF, DOCX) or
/// the spreadsheet (XLSX). Counts only, never a sender.
#[utoipa::path(get, path = "/petitions/report", tag = "petitions", params(ReportQuery),
    responses((status = 200, description = "The report", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ReportQuery>,
) -> Result<axum::response::Response, AppError> {
    let from = optional_date(p.from.as_deref(), "from")?;
    let to = optional_date(p.to.as_deref(), "to")?;
    super::figures_report(&state, &user, p.org_id.map(OrgId::from), from, to, p.format.as_deref().unwrap_or("pdf"))
        .await
}

/// One case: its clock, history and handlers; its sender only for its handlers (and, for a
/// letter that is not a denunciation, the inspection committee in scope). Reading a sender is
/// written to the audit log.
#[utoipa::path(get, path = "/petitions/{id}", tag = "petitions", params(("id" = i64, Path)),
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CaseView> {
    Ok(Json(super::case(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HandlerInput {
    /// An inspector or admin account whose scope holds the case.
    pub user_id: i64,
}

/// Assign a handler to a case (inspection committee, admin).
#[utoipa::path(post, path = "/petitions/{id}/handlers", tag = "petitions", params(("id" = i64, Path)),
    request_body = HandlerInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn handler(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<HandlerInput>,
) -> JsonResult<CaseView> {
    Ok(Json(super::add_handler(&state, &user, id, input.user_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptInput {
    /// YYYY-MM-DD; today by default.
    pub accepted_on: Option<String>,
    pub note: Option<String>,
}

/// Accept a case for handling (thụ lý): where the rule counts from acceptance, its resolution
/// clock starts.
#[utoipa::path(post, path = "/petitions/{id}/accept", tag = "petitions", params(("id" = i64, Path)),
    request_body = AcceptInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<AcceptInput>,
) -> JsonResult<CaseView> {
    let step = StepInput {
        on: optional_date(input.accepted_on.as_deref(), "accepted_on")?,
        note: input.note.unwrap_or_default(),
        ..Default::default()
    };
    Ok(Json(super::take_step(&state, &user, id, Event::Accept, step).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendInput {
    /// Why (a complex case: several places to verify, several contents …).
    pub reason: String,
    /// The decision extending it (number and date).
    pub decision: Option<String>,
    /// YYYY-MM-DD; today by default.
    pub on: Option<String>,
}

/// Extend the resolution deadline by the rule's days, at most the rule's number of times.
#[utoipa::path(post, path = "/petitions/{id}/extend", tag = "petitions", params(("id" = i64, Path)),
    request_body = ExtendInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn extend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ExtendInput>,
) -> JsonResult<CaseView> {
    let step = StepInput {
        on: optional_date(input.on.as_deref(), "on")?,
        note: input.reason,
        decision: input.decision,
        ..Default::default()
    };
    Ok(Json(super::take_step(&state, &user, id, Event::Extend, step).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveInput {
    /// YYYY-MM-DD; today by default.
    pub resolved_on: Option<String>,
    /// `founded`, `partly_founded`, `unfounded` (a complaint or denunciation); `answered` (a
    /// proposal or feedback).
    pub outcome: String,
    /// The conclusion and the measures proposed (a discipline case referred …).
    pub note: Option<String>,
    /// The conclusion's document (number and date).
    pub decision: Option<String>,
}

/// Conclude a case; the sender is told the result.
#[utoipa::path(post, path = "/petitions/{id}/resolve", tag = "petitions", params(("id" = i64, Path)),
    request_body = ResolveInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ResolveInput>,
) -> JsonResult<CaseView> {
    let step = StepInput {
        on: optional_date(input.resolved_on.as_deref(), "resolved_on")?,
        note: input.note.unwrap_or_default(),
        outcome: Some(input.outcome),
        decision: input.decision,
        ..Default::default()
    };
    Ok(Json(super::take_step(&state, &user, id, Event::Resolve, step).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepBody {
    /// `accept`, `hold`, `release`, `pause`, `resume`, `extend`, `verify` (a verification step,
    /// its content in `note`), `resolve`, `keep`, `forward`, `withdraw`
    /// (docs/state-machines/petition.md).
    pub event: String,
    /// YYYY-MM-DD; today by default.
    pub on: Option<String>,
    pub note: Option<String>,
    pub decision: Option<String>,
    /// For `resolve`.
    pub outcome: Option<String>,
    /// For `keep`: `anonymous`, `no_address`, `repeated`, `vague`, `not_competent`.
    pub reason: Option<String>,
    /// For `forward` out of the tree (to the State): where, with the reference.
    pub forwarded_to: Option<String>,
    /// For `forward` inside the tree: the competent organisation, whose register receives it.
    pub to_org_id: Option<i64>,
}

/// Any step of a case's life: pause while the sender's clarification is awaited and resume,
/// keep without handling (with its reason), forward (to the competent organisation, or out to
/// the State), hold for the new committee and release after the congress, withdraw.
#[utoipa::path(post, path = "/petitions/{id}/steps", tag = "petitions", params(("id" = i64, Path)),
    request_body = StepBody,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<StepBody>,
) -> JsonResult<CaseView> {
    let event = Event::parse(input.event.trim()).ok_or_else(|| AppError::invalid("event", "Bước không hợp lệ"))?;
    let step = StepInput {
        on: optional_date(input.on.as_deref(), "on")?,
        note: input.note.unwrap_or_default(),
        decision: input.decision,
        outcome: input.outcome,
        reason: input.reason,
        forwarded_to: input.forwarded_to,
        to_org_id: input.to_org_id.map(OrgId::from),
    };
    Ok(Json(super::take_step(&state, &user, id, event, step).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DisclosureInput {
    /// The account that may read the denouncer from now on.
    pub user_id: i64,
    /// Why: the decision's grounds.
    pub reason: String,
}

/// The head of the inspection committee shows a case's denouncer to an account that does not
/// handle it: a recorded decision (who, for whom, why, when).
#[utoipa::path(post, path = "/petitions/{id}/disclosures", tag = "petitions", params(("id" = i64, Path)),
    request_body = DisclosureInput,
    responses((status = 200, body = CaseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn disclosure(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<DisclosureInput>,
) -> JsonResult<CaseView> {
    Ok(Json(super::disclose(&state, &user, id, input.user_id, &input.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CustodianInput {
    /// `true`: the account (an inspector) heads the inspection committee of its scope.
    pub custodian: bool,
}

/// Make an inspector account the head of its inspection committee, the custodian of
/// denouncers' identities in its scope (admin, for an account in scope).
#[utoipa::path(put, path = "/users/{id}/petition-custodian", tag = "petitions", params(("id" = i64, Path)),
    request_body = CustodianInput,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn custodian(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CustodianInput>,
) -> JsonResult<User> {
    Ok(Json(super::set_custodian(&state, &user, id, input.custodian).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReceptionInput {
    /// YYYY-MM-DD; today by default.
    pub held_on: Option<String>,
    /// The leader who received the citizens.
    pub leader: String,
    /// How many people came.
    pub people: i64,
    /// The matters raised.
    pub matters: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionList {
    pub items: Vec<Reception>,
}

/// Record a citizens' reception session (tiếp công dân); its matters become petitions with
/// `reception_id`.
#[utoipa::path(post, path = "/orgs/{id}/receptions", tag = "petitions", params(("id" = i64, Path)),
    request_body = ReceptionInput,
    responses((status = 201, body = Reception), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_reception(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<ReceptionInput>,
) -> Result<(StatusCode, Json<Reception>), AppError> {
    let held_on = optional_date(input.held_on.as_deref(), "held_on")?;
    let r = super::add_reception(&state, &user, id, held_on, &input.leader, input.people, &input.matters).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The citizens' reception sessions of an organisation, newest first.
#[utoipa::path(get, path = "/orgs/{id}/receptions", tag = "petitions", params(("id" = i64, Path)),
    responses((status = 200, body = ReceptionList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn receptions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
) -> JsonResult<ReceptionList> {
    Ok(Json(ReceptionList { items: super::receptions(&state, &user, id).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LetterParams {
    /// `acceptance` (the notice of acceptance, to the sender), `result` (the notice of the
    /// result, to the sender) or `transfer` (the transfer letter to the competent body).
    pub kind: String,
    /// `pdf` (default) or `docx`.
    pub format: Option<String>,
}

/// A letter of the case in the Party's layout: to the sender (for those who read the sender;
/// the read is logged) or the transfer letter (never naming a denouncer).
#[utoipa::path(get, path = "/petitions/{id}/letter", tag = "petitions", params(("id" = i64, Path), LetterParams),
    responses((status = 200, description = "The letter", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn letter(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<LetterParams>,
) -> Result<axum::response::Response, AppError> {
    super::letter(&state, &user, id, &p.kind, p.format.as_deref().unwrap_or("pdf")).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyPetitions {
    /// The open cases of the account's subtree against their clocks.
    pub deadlines: dangvu_store::petitions::Deadlines,
    /// The open cases the account handles, the nearest deadline first.
    pub items: Vec<Petition>,
}

/// The account's petitions: the deadlines of its subtree's register, the cases it handles.
#[utoipa::path(get, path = "/me/petitions", tag = "petitions",
    responses((status = 200, body = MyPetitions), (status = 403, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<MyPetitions> {
    if !super::reads_petitions(&user) {
        return Err(AppError::forbidden());
    }
    let org = crate::scope::scope_org(&state, &user, None).await?;
    let (deadlines, items) = super::home(&state, &user, &org).await?;
    Ok(Json(MyPetitions { deadlines, items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanParams {
    /// The file's name with its extension (`don.pdf`, `trang-1.jpg`): PDF, JPG or PNG. Only its
    /// kind is kept.
    pub name: String,
}

/// Keep a scanned letter (the raw bytes as the body, at most 20 MB), sealed like the sender:
/// the office or inspection committee that registers.
#[utoipa::path(post, path = "/petitions/{id}/scans", tag = "petitions", params(("id" = i64, Path), ScanParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = dangvu_store::petitions::Scan), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ScanParams>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<dangvu_store::petitions::Scan>), AppError> {
    let data = crate::files::read_body(body).await?;
    Ok((StatusCode::CREATED, Json(super::attach_scan(&state, &user, id, &p.name, data).await?)))
}

/// A scanned letter, for those who read the sender (its handlers); the read is logged.
#[utoipa::path(get, path = "/petition-scans/{id}", tag = "petitions", params(("id" = i64, Path)),
    responses((status = 200, description = "The scan", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn scan_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<axum::response::Response, AppError> {
    super::scan_file(&state, &user, id).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(stats))
        .routes(routes!(report))
        .routes(routes!(show))
        .routes(routes!(handler))
        .routes(routes!(accept))
        .routes(routes!(extend))
        .routes(routes!(resolve))
        .routes(routes!(step))
        .routes(routes!(disclosure))
        .routes(routes!(letter))
        .routes(routes!(scan))
        .routes(routes!(scan_file))
        .routes(routes!(custodian))
        .routes(routes!(mine))
        .routes(routes!(add_reception, receptions))
}
