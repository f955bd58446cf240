//! `/api/v1/congresses/{id}/seats`, `…/delegates`, `…/sessions`, `…/electors`, `/api/v1/delegates`,
//! `/api/v1/congress-sessions`: seats, the list and its credentials, sessions and check-in.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::congresses::delegates::{Decision, Role, Seats, Source};
use dangvu_domain::elections::Exclusion;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::congresses::delegates::{CheckedIn, Delegate, ElectorsAt, NewDelegate, SeatRow, Session};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::SeatProposal;
use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};

#[derive(Debug, Serialize, ToSchema)]
pub struct SeatList {
    /// Each unit below with its seats and the delegates it named.
    pub items: Vec<SeatRow>,
}

/// The seats of a delegates' congress, by unit; for its staff.
#[utoipa::path(get, path = "/congresses/{id}/seats", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = SeatList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn seats(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<SeatList> {
    Ok(Json(SeatList { items: super::seats(&state, &user, id).await?.1 }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeatInput {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub official: u32,
    #[serde(default)]
    pub alternates: u32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeatsInput {
    /// The whole allocation: it replaces the one before.
    pub seats: Vec<SeatInput>,
}

/// Allocate the seats of a delegates' congress to the units below (the convening committee).
#[utoipa::path(put, path = "/congresses/{id}/seats", tag = "congresses", params(("id" = i64, Path)),
    request_body = SeatsInput,
    responses((status = 200, body = SeatList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_seats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<SeatsInput>,
) -> JsonResult<SeatList> {
    let allocation =
        input.seats.into_iter().map(|s| (s.org_id, Seats { official: s.official, alternates: s.alternates })).collect();
    Ok(Json(SeatList { items: super::set_seats(&state, &user, id, allocation).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalParams {
    /// Official seats to share.
    pub official: u32,
    #[serde(default)]
    pub alternates: u32,
    /// The least official seats of each unit.
    #[serde(default)]
    pub floor: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeatProposalList {
    pub items: Vec<SeatProposal>,
}

/// Seats for each unit directly below in proportion to its full members (largest remainder):
/// a proposal to edit, nothing stored.
#[utoipa::path(get, path = "/congresses/{id}/seat-proposal", tag = "congresses",
    params(("id" = i64, Path), ProposalParams),
    responses((status = 200, body = SeatProposalList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn seat_proposal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ProposalParams>,
) -> JsonResult<SeatProposalList> {
    Ok(Json(SeatProposalList {
        items: super::seat_proposal(&state, &user, id, p.official, p.alternates, p.floor).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DelegateList {
    /// By delegation, officials before alternates, each in rank; the congress's staff see all
    /// of them, a unit's office its own delegations.
    pub items: Vec<Delegate>,
}

/// The list of a congress.
#[utoipa::path(get, path = "/congresses/{id}/delegates", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = DelegateList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delegates(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<DelegateList> {
    Ok(Json(DelegateList { items: super::list(&state, &user, id).await?.1 }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DelegateInput {
    /// The delegation: the unit that elected them; the congress's organisation for a delegate
    /// by right.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub full_name: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// `elected`, `ex_officio`, `appointed` or `member`.
    pub source: String,
    /// `official` or `alternate`.
    #[serde(default = "official")]
    pub role: String,
    pub votes: Option<u32>,
}

fn official() -> String {
    "official".into()
}

fn role(s: &str) -> Result<Role, AppError> {
    Role::parse(s).ok_or_else(|| AppError::invalid("role", "Là official (chính thức) hoặc alternate (dự khuyết)"))
}

/// Name one person in the list: a delegate by right or appointed (the congress's staff), or
/// one elected by a unit below (its office too).
#[utoipa::path(post, path = "/congresses/{id}/delegates", tag = "congresses", params(("id" = i64, Path)),
    request_body = DelegateInput,
    responses((status = 201, body = Delegate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<DelegateInput>,
) -> Result<(StatusCode, Json<Delegate>), AppError> {
    let source = Source::parse(&input.source).ok_or_else(|| {
        AppError::invalid("source", "Là elected (bầu), ex_officio (đương nhiên), appointed (chỉ định) hoặc member")
    })?;
    let new = NewDelegate {
        org_id: input.org_id,
        member_id: input.member_id,
        full_name: input.full_name,
        source,
        role: role(&input.role)?,
        votes: input.votes,
        election_id: None,
    };
    Ok((StatusCode::CREATED, Json(super::add(&state, &user, id, new).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DelegationInput {
    /// A final election of a unit below: those elected arrive, in the order of their votes.
    pub election_id: i64,
    /// `official` or `alternate`.
    #[serde(default = "official")]
    pub role: String,
}

/// The delegation a unit's congress elected, from its election's final result.
#[utoipa::path(post, path = "/congresses/{id}/delegations", tag = "congresses", params(("id" = i64, Path)),
    request_body = DelegationInput,
    responses((status = 201, body = DelegateList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_delegation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<DelegationInput>,
) -> Result<(StatusCode, Json<DelegateList>), AppError> {
    let items = super::add_from_election(&state, &user, id, input.election_id, role(&input.role)?).await?;
    Ok((StatusCode::CREATED, Json(DelegateList { items })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Summoned {
    /// Members added to the list now.
    pub added: u32,
}

/// At a members' congress, summon every full member of the organisation and below.
#[utoipa::path(post, path = "/congresses/{id}/summons", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 201, body = Summoned), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn summon(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<(StatusCode, Json<Summoned>), AppError> {
    Ok((StatusCode::CREATED, Json(Summoned { added: super::summon_members(&state, &user, id).await? })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CredentialsInput {
    /// `accept` or `reject`.
    pub decision: String,
    /// Required when rejecting.
    #[serde(default)]
    pub reason: String,
}

/// The credentials committee's decision on a delegate (docs/state-machines/delegate.md).
#[utoipa::path(put, path = "/delegates/{id}/credentials", tag = "congresses", params(("id" = i64, Path)),
    request_body = CredentialsInput,
    responses((status = 200, body = Delegate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CredentialsInput>,
) -> JsonResult<Delegate> {
    let decision = match Decision::parse(&input.decision) {
        Some(d @ (Decision::Accept | Decision::Reject)) => d,
        _ => return Err(AppError::invalid("decision", "Là accept (công nhận) hoặc reject (không công nhận)")),
    };
    Ok(Json(super::decide(&state, &user, id, decision, &input.reason).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub accepted: u32,
}

/// Accept the credentials of everyone still awaiting review (those to reject are rejected one
/// by one first, with their reasons).
#[utoipa::path(post, path = "/congresses/{id}/credentials/accept-awaiting", tag = "congresses",
    params(("id" = i64, Path)),
    responses((status = 200, body = Accepted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn accept_awaiting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> JsonResult<Accepted> {
    Ok(Json(Accepted { accepted: super::accept_awaiting(&state, &user, id).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubstitutionInput {
    /// An alternate of the same delegation.
    pub alternate_id: i64,
    pub reason: String,
}

/// An alternate takes the place of this official; answers the alternate, now official.
#[utoipa::path(post, path = "/delegates/{id}/substitution", tag = "congresses", params(("id" = i64, Path)),
    request_body = SubstitutionInput,
    responses((status = 200, body = Delegate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn substitute(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<SubstitutionInput>,
) -> JsonResult<Delegate> {
    Ok(Json(super::substitute(&state, &user, id, input.alternate_id, &input.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExclusionInput {
    /// `temporary_transfer`, `exempt_absent`, `suspended`, `absent_with_reason`, or null.
    pub exclusion: Option<String>,
}

/// At a members' congress, why the convening committee leaves a member out of the base.
#[utoipa::path(put, path = "/delegates/{id}/exclusion", tag = "congresses", params(("id" = i64, Path)),
    request_body = ExclusionInput,
    responses((status = 200, body = Delegate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_exclusion(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ExclusionInput>,
) -> JsonResult<Delegate> {
    let exclusion = match input.exclusion.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Exclusion::parse(s).ok_or_else(|| AppError::invalid("exclusion", "Không có lý do này trong Điều 30"))?,
        ),
    };
    Ok(Json(super::set_exclusion(&state, &user, id, exclusion).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<Session>,
}

/// The sessions of a congress with those present at each.
#[utoipa::path(get, path = "/congresses/{id}/sessions", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = SessionList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn sessions(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<SessionList> {
    Ok(Json(SessionList { items: super::sessions(&state, &user, id).await?.1 }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SessionInput {
    pub title: String,
    /// Today when absent.
    pub held_on: Option<NaiveDate>,
}

/// Open the next session of a congress in session.
#[utoipa::path(post, path = "/congresses/{id}/sessions", tag = "congresses", params(("id" = i64, Path)),
    request_body = SessionInput,
    responses((status = 201, body = Session), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn open_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<(StatusCode, Json<Session>), AppError> {
    let held_on = input.held_on.unwrap_or_else(dangvu_domain::calendar::today);
    Ok((StatusCode::CREATED, Json(super::open_session(&state, &user, id, &input.title, held_on).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInInput {
    /// Card numbers.
    pub cards: Vec<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInAnswer {
    pub session: Session,
    #[serde(flatten)]
    pub cards: CheckedIn,
}

/// Check in delegates at a session by their card numbers.
#[utoipa::path(post, path = "/congress-sessions/{id}/check-ins", tag = "congresses", params(("id" = i64, Path)),
    request_body = CheckInInput,
    responses((status = 200, body = CheckInAnswer), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CheckInInput>,
) -> JsonResult<CheckInAnswer> {
    let (session, cards) = super::check_in(&state, &user, id, &input.cards).await?;
    Ok(Json(CheckInAnswer { session, cards }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ElectorsParams {
    /// The session counted to; the latest when absent.
    pub session: Option<u32>,
}

/// The electors of an election at this congress (QĐ 190 Điều 30): summoned, exclusions by
/// reason, base and threshold, and those present at the session; what `POST /elections`
/// takes as `electors`, and what it takes by itself when given `congress_id` alone.
#[utoipa::path(get, path = "/congresses/{id}/electors", tag = "congresses", params(("id" = i64, Path), ElectorsParams),
    responses((status = 200, body = ElectorsAt), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn electors(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ElectorsParams>,
) -> JsonResult<ElectorsAt> {
    Ok(Json(super::electors(&state, &user, id, p.session).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `pdf` (default) or `docx`.
    pub format: Option<String>,
}

/// The credentials committee's report (báo cáo thẩm tra tư cách đại biểu), PDF or DOCX.
#[utoipa::path(get, path = "/congresses/{id}/credentials-report", tag = "congresses",
    params(("id" = i64, Path), ReportParams),
    responses((status = 200, description = "The report", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn credentials_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<axum::response::Response, AppError> {
    super::credentials_report(&state, &user, id, p.format.as_deref().unwrap_or("pdf")).await
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(seats, set_seats))
        .routes(routes!(seat_proposal))
        .routes(routes!(delegates, add))
        .routes(routes!(add_delegation))
        .routes(routes!(summon))
        .routes(routes!(decide))
        .routes(routes!(accept_awaiting))
        .routes(routes!(substitute))
        .routes(routes!(set_exclusion))
        .routes(routes!(sessions, open_session))
        .routes(routes!(check_in))
        .routes(routes!(electors))
        .routes(routes!(credentials_report))
}
