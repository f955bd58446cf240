//! `/api/v1`: the Party badge candidates of a subtree (`/orgs/{id}/badge-candidates`) and their
//! printed list, awards (`/awards`, `/members/{id}/awards`, `/orgs/{id}/awards`) and their
//! figures, award proposals (`/award-proposals`) and emulation campaigns (`/campaigns`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::rewards::Event;
use dangvu_store::rewards::{
    Award, AwardFigures, AwardSummary, BadgeCandidate, Campaign, MemberAward, NewCampaign, NewProposalItem,
    NewRecipient, Proposal, ProposalStep, ProposalSummary,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AwardInput, ProposalInput, UnitAct};
use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id, Ids};
use crate::scope::optional_date;

fn required_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    optional_date(Some(raw), field)?.ok_or_else(|| AppError::invalid(field, "Ghi ngày (YYYY-MM-DD)"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BadgeParams {
    /// YYYY-MM-DD: the award day; the next one of the settings (3/2, 19/5, 2/9, 7/11) by default.
    pub on: Option<String>,
    /// For the printed list: `pdf` (default) or `docx`.
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeCandidates {
    pub org_id: i64,
    /// The award day.
    pub on: NaiveDate,
    /// The next award days from today, for the lists ahead.
    pub award_days: Vec<NaiveDate>,
    pub items: Vec<BadgeCandidate>,
}

/// The members of the subtree whose party age reaches a Party badge milestone (the years in the
/// settings) on or before the award day and who have not received it: party age from the first
/// admission decision, the days out of the Party deducted; members who left are not listed. A
/// member who missed a milestone is listed for the highest one reached.
#[utoipa::path(get, path = "/orgs/{id}/badge-candidates", tag = "rewards", params(("id" = i64, Path), BadgeParams),
    responses((status = 200, body = BadgeCandidates), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn badge_candidates(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<BadgeParams>,
) -> JsonResult<BadgeCandidates> {
    let on = optional_date(p.on.as_deref(), "on")?;
    let (org, on, items) = super::badge_candidates(&state, &user, Some(id), on).await?;
    let award_days = super::award_days(&state).await?;
    Ok(Json(BadgeCandidates { org_id: i64::from(org.id), on, award_days, items }))
}

/// The candidates printed as the committee's submission for the award day (PDF or DOCX).
#[utoipa::path(get, path = "/orgs/{id}/badge-list", tag = "rewards", params(("id" = i64, Path), BadgeParams),
    responses((status = 200, description = "The list", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn badge_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<BadgeParams>,
) -> Result<axum::response::Response, AppError> {
    let on = optional_date(p.on.as_deref(), "on")?;
    super::badge_list(&state, &user, Some(id), on, p.format.as_deref().unwrap_or("pdf")).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecipientInput {
    /// A member of the deciding organisation's subtree …
    pub member_id: Option<i64>,
    /// … or a collective (an organisation) of it.
    pub org_id: Option<i64>,
    /// A badge's milestone (years of party age); the one due on the decision day by default.
    pub milestone_years: Option<u32>,
    /// The achievement it rewards.
    pub achievement: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAwardBody {
    /// `badge` (Huy hiệu Đảng), `certificate` (giấy khen), `merit` (bằng khen), `flag` (cờ thi
    /// đua), `title` (danh hiệu thi đua).
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD.
    pub decided_on: String,
    /// The deciding organisation; the account's own by default.
    pub org_id: Option<i64>,
    /// The decision in the documents' registry.
    pub document_id: Option<i64>,
    /// YYYY-MM-DD: the day it was handed over.
    pub ceremony_on: Option<String>,
    /// The emulation campaign it rewards.
    pub campaign_id: Option<i64>,
    pub recipients: Vec<RecipientInput>,
}

/// Record an award decided by an organisation in scope for members and collectives of its
/// subtree; it lands on each recipient's history. A Party badge goes to a member whose party age
/// reaches the milestone by the decision day, once.
#[utoipa::path(post, path = "/awards", tag = "rewards", request_body = NewAwardBody,
    responses((status = 201, body = Award), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_award(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NewAwardBody>,
) -> Result<(StatusCode, Json<Award>), AppError> {
    let award = AwardInput {
        org_id: input.org_id.map(OrgId::from),
        kind: input.kind,
        title: input.title,
        decided_on: required_date(&input.decided_on, "decided_on")?,
        ceremony_on: optional_date(input.ceremony_on.as_deref(), "ceremony_on")?,
        document_id: input.document_id,
        campaign_id: input.campaign_id,
        recipients: input
            .recipients
            .into_iter()
            .map(|r| NewRecipient {
                member_id: r.member_id.map(MemberId::from),
                org_id: r.org_id.map(OrgId::from),
                badge_years: r.milestone_years,
                achievement: r.achievement.unwrap_or_default(),
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(super::record_award(&state, &user, award).await?)))
}

/// One award with its recipients.
#[utoipa::path(get, path = "/awards/{id}", tag = "rewards", params(("id" = i64, Path)),
    responses((status = 200, body = Award), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_award(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Award> {
    Ok(Json(super::award(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CeremonyInput {
    /// YYYY-MM-DD: the day the award was handed over.
    pub held_on: String,
}

/// Record the ceremony of an award (the badge handed over on the great day).
#[utoipa::path(post, path = "/awards/{id}/ceremony", tag = "rewards", params(("id" = i64, Path)),
    request_body = CeremonyInput,
    responses((status = 200, body = Award), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn ceremony(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CeremonyInput>,
) -> JsonResult<Award> {
    let on = required_date(&input.held_on, "held_on")?;
    Ok(Json(super::set_ceremony(&state, &user, id, on).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberAwards {
    pub items: Vec<MemberAward>,
}

/// A member's awards and Party badges, newest first (whoever reads the record).
#[utoipa::path(get, path = "/members/{id}/awards", tag = "rewards", params(("id" = i64, Path)),
    responses((status = 200, body = MemberAwards), (status = 404, body = ErrorBody)))]
pub async fn member_awards(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<MemberId>,
) -> JsonResult<MemberAwards> {
    Ok(Json(MemberAwards { items: super::member_awards(&state, &user, id).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwardsParams {
    /// YYYY-MM-DD: decided from.
    pub from: Option<String>,
    /// YYYY-MM-DD: decided until.
    pub to: Option<String>,
    /// `badge`, `certificate`, `merit`, `flag`, `title`.
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgAwards {
    pub items: Vec<AwardSummary>,
}

/// The awards of a subtree, newest first: decided by one of its organisations or received by
/// its collectives and members (500 at most).
#[utoipa::path(get, path = "/orgs/{id}/awards", tag = "rewards", params(("id" = i64, Path), AwardsParams),
    responses((status = 200, body = OrgAwards), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn org_awards(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<AwardsParams>,
) -> JsonResult<OrgAwards> {
    let from = optional_date(p.from.as_deref(), "from")?;
    let to = optional_date(p.to.as_deref(), "to")?;
    let (_, items) = super::org_awards(&state, &user, Some(id), from, to, p.kind.as_deref()).await?;
    Ok(Json(OrgAwards { items }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresParams {
    pub org_id: Option<i64>,
    /// YYYY-MM-DD; 1 January of `to`'s year by default.
    pub from: Option<String>,
    /// YYYY-MM-DD; today by default.
    pub to: Option<String>,
}

/// Awards decided in a subtree in a period, by deciding organisation and kind: decisions,
/// collectives and individuals.
#[utoipa::path(get, path = "/awards/stats", tag = "rewards", params(FiguresParams),
    responses((status = 200, body = AwardFigures), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<FiguresParams>,
) -> JsonResult<AwardFigures> {
    let from = optional_date(p.from.as_deref(), "from")?;
    let to = optional_date(p.to.as_deref(), "to")?;
    Ok(Json(super::figures(&state, &user, p.org_id.map(OrgId::from), from, to).await?.1))
}

/// The same figures as a spreadsheet (XLSX).
#[utoipa::path(get, path = "/awards/report", tag = "rewards", params(FiguresParams),
    responses((status = 200, description = "The spreadsheet",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<FiguresParams>,
) -> Result<axum::response::Response, AppError> {
    let from = optional_date(p.from.as_deref(), "from")?;
    let to = optional_date(p.to.as_deref(), "to")?;
    super::figures_xlsx(&state, &user, p.org_id.map(OrgId::from), from, to).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProposalBody {
    /// The proposing unit; the account's own by default.
    pub org_id: Option<i64>,
    /// The level that decides: the unit's committee or one above; the parent by default.
    pub to_org_id: Option<i64>,
    /// `certificate`, `merit`, `flag`, `title` (the badge has its own list).
    pub kind: String,
    pub title: String,
    /// The year of the achievements and classification results; this year by default.
    pub year: Option<i32>,
    pub campaign_id: Option<i64>,
}

/// Start a proposal (a draft) from a unit in scope.
#[utoipa::path(post, path = "/award-proposals", tag = "rewards", request_body = NewProposalBody,
    responses((status = 201, body = Proposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_proposal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NewProposalBody>,
) -> Result<(StatusCode, Json<Proposal>), AppError> {
    let new = ProposalInput {
        org_id: input.org_id.map(OrgId::from),
        to_org_id: input.to_org_id.map(OrgId::from),
        kind: input.kind,
        title: input.title,
        year: input.year,
        campaign_id: input.campaign_id,
    };
    Ok((StatusCode::CREATED, Json(super::create_proposal(&state, &user, new).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgParams {
    pub org_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalList {
    pub items: Vec<ProposalSummary>,
}

/// The proposals a subtree sent or has to decide, open ones first.
#[utoipa::path(get, path = "/award-proposals", tag = "rewards", params(OrgParams),
    responses((status = 200, body = ProposalList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn proposals(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<OrgParams>,
) -> JsonResult<ProposalList> {
    Ok(Json(ProposalList { items: super::proposal_list(&state, &user, p.org_id.map(OrgId::from)).await?.1 }))
}

/// One proposal with its recipients, their achievements and classification results.
#[utoipa::path(get, path = "/award-proposals/{id}", tag = "rewards", params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_proposal(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Proposal> {
    Ok(Json(super::proposal(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemInput {
    /// A member of the proposing unit's subtree …
    pub member_id: Option<i64>,
    /// … or a collective of it.
    pub org_id: Option<i64>,
    pub achievement: String,
}

/// Add a recipient to a draft (or returned) proposal.
#[utoipa::path(post, path = "/award-proposals/{id}/items", tag = "rewards", params(("id" = i64, Path)),
    request_body = ItemInput,
    responses((status = 200, body = Proposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ItemInput>,
) -> JsonResult<Proposal> {
    let item = NewProposalItem {
        member_id: input.member_id.map(MemberId::from),
        org_id: input.org_id.map(OrgId::from),
        achievement: input.achievement,
    };
    Ok(Json(super::add_item(&state, &user, id, item).await?))
}

/// Remove a recipient from a draft (or returned) proposal.
#[utoipa::path(delete, path = "/award-proposals/{id}/items/{item_id}", tag = "rewards",
    params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn remove_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Ids(id, item): Ids,
) -> JsonResult<Proposal> {
    Ok(Json(super::remove_item(&state, &user, id, item).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepInput {
    /// `submit`, `withdraw` (the proposing unit); `return`, `reject`, `decide` (the deciding
    /// level) — docs/state-machines/award-proposal.md.
    pub event: String,
    /// Required to return or reject.
    pub reason: Option<String>,
    /// Deciding: the item ids approved; all when absent or empty.
    #[serde(default)]
    pub approved: Vec<i64>,
    /// Deciding: the decision's number (`125-QĐ/TU`), registered in the documents' registry.
    pub decision_number: Option<String>,
    pub decision_title: Option<String>,
    /// Deciding: YYYY-MM-DD, today by default.
    pub decided_on: Option<String>,
}

/// Take a step of the proposal's life; deciding registers the decision and records the award.
#[utoipa::path(post, path = "/award-proposals/{id}/steps", tag = "rewards", params(("id" = i64, Path)),
    request_body = StepInput,
    responses((status = 200, body = Proposal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<StepInput>,
) -> JsonResult<Proposal> {
    let step = proposal_step(input)?;
    Ok(Json(super::proposal_step(&state, &user, id, step).await?))
}

pub fn proposal_step(input: StepInput) -> Result<ProposalStep, AppError> {
    let event = Event::parse(input.event.trim())
        .ok_or_else(|| AppError::invalid("event", "Bước là submit, withdraw, return, reject hoặc decide"))?;
    Ok(ProposalStep {
        event,
        reason: input.reason,
        approved: input.approved,
        decision_number: input.decision_number,
        decision_title: input.decision_title.filter(|t| !t.trim().is_empty()),
        decided_on: optional_date(input.decided_on.as_deref(), "decided_on")?,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCampaignBody {
    /// The launching committee; the account's own by default.
    pub org_id: Option<i64>,
    pub theme: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD.
    pub ends_on: String,
    /// The criteria units are measured against.
    pub criteria: String,
}

/// Launch an emulation campaign for the subtree.
#[utoipa::path(post, path = "/campaigns", tag = "rewards", request_body = NewCampaignBody,
    responses((status = 201, body = Campaign), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn launch(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<NewCampaignBody>,
) -> Result<(StatusCode, Json<Campaign>), AppError> {
    let new = NewCampaign {
        org_id: crate::scope::own_org(&user, input.org_id.map(OrgId::from), "org_id")?,
        theme: input.theme,
        starts_on: required_date(&input.starts_on, "starts_on")?,
        ends_on: required_date(&input.ends_on, "ends_on")?,
        criteria: input.criteria,
    };
    Ok((StatusCode::CREATED, Json(super::launch_campaign(&state, &user, new).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignList {
    pub items: Vec<Campaign>,
}

/// The campaigns that concern a subtree: launched in it or above it, open ones first.
#[utoipa::path(get, path = "/campaigns", tag = "rewards", params(OrgParams),
    responses((status = 200, body = CampaignList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn campaigns(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<OrgParams>,
) -> JsonResult<CampaignList> {
    Ok(Json(CampaignList { items: super::campaign_list(&state, &user, p.org_id.map(OrgId::from)).await?.1 }))
}

/// One campaign with its units' pledges and results.
#[utoipa::path(get, path = "/campaigns/{id}", tag = "rewards", params(("id" = i64, Path)),
    responses((status = 200, body = Campaign), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_campaign(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Campaign> {
    Ok(Json(super::readable_campaign(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnitInput {
    /// The unit; the account's own by default.
    pub org_id: Option<i64>,
    /// Registering: the pledge; reporting: the results.
    pub text: String,
}

/// A unit below the launcher registers (or changes its pledge).
#[utoipa::path(post, path = "/campaigns/{id}/units", tag = "rewards", params(("id" = i64, Path)),
    request_body = UnitInput,
    responses((status = 200, body = Campaign), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<UnitInput>,
) -> JsonResult<Campaign> {
    let org = input.org_id.map(OrgId::from);
    Ok(Json(super::campaign_unit(&state, &user, id, org, UnitAct::Register(input.text)).await?))
}

/// A registered unit reports its results.
#[utoipa::path(post, path = "/campaigns/{id}/results", tag = "rewards", params(("id" = i64, Path)),
    request_body = UnitInput,
    responses((status = 200, body = Campaign), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn results(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<UnitInput>,
) -> JsonResult<Campaign> {
    let org = input.org_id.map(OrgId::from);
    Ok(Json(super::campaign_unit(&state, &user, id, org, UnitAct::Report(input.text)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseInput {
    pub summary: String,
}

/// The launching committee sums the campaign up and closes it.
#[utoipa::path(post, path = "/campaigns/{id}/close", tag = "rewards", params(("id" = i64, Path)),
    request_body = CloseInput,
    responses((status = 200, body = Campaign), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CloseInput>,
) -> JsonResult<Campaign> {
    Ok(Json(super::close_campaign(&state, &user, id, &input.summary).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(badge_candidates))
        .routes(routes!(badge_list))
        .routes(routes!(create_award))
        .routes(routes!(stats))
        .routes(routes!(report))
        .routes(routes!(show_award))
        .routes(routes!(ceremony))
        .routes(routes!(member_awards))
        .routes(routes!(org_awards))
        .routes(routes!(create_proposal, proposals))
        .routes(routes!(show_proposal))
        .routes(routes!(add_item))
        .routes(routes!(remove_item))
        .routes(routes!(step))
        .routes(routes!(launch, campaigns))
        .routes(routes!(show_campaign))
        .routes(routes!(register))
        .routes(routes!(results))
        .routes(routes!(close))
}
