//! `/api/v1/elections`: the list, the counting board, the tellers' entries, the result.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::elections::state::State as CountState;
use dangvu_domain::elections::{BallotKind, Body, ElectionKind, Electors, Exclusion, Mark, Reconciliation};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::Problems;
use dangvu_store::elections::{self, BoardMember, Election, Entries, NewCandidate, NewElection, Pick};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::BallotInput;
use crate::AppState;
use crate::api::JsonResult;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id, Ids};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CandidateInput {
    pub full_name: String,
    /// The member in the registry, when the person is one.
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ElectorsInput {
    /// Those summoned: members (members' congress) or official delegates (delegates' congress).
    pub summoned: u32,
    /// Those Điều 30 leaves out of the base, by reason: `temporary_transfer`, `exempt_absent`,
    /// `suspended`, `absent_with_reason` (members' congress); `committee_member_absent`,
    /// `delegate_absent_no_alternate` (delegates' congress, conference).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub excluded: std::collections::BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateElection {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    pub congress_id: Option<i64>,
    /// `members_congress`, `delegates_congress` or `conference`.
    pub kind: String,
    pub seats: u32,
    /// `surplus` (names struck through) or `approval` (đồng ý / không đồng ý per name).
    pub ballot: String,
    /// The convening committee's list, in ballot order.
    pub candidates: Vec<CandidateInput>,
    /// Those summoned and the exclusions of Điều 30; when absent, an election at a congress
    /// (`congress_id`) takes them from the congress's list and check-ins
    /// (`GET /congresses/{id}/electors`).
    pub electors: Option<ElectorsInput>,
    /// What it elects: `executive_committee`, `standing_board`, `secretary`, `deputy_secretary`,
    /// `inspection_committee`, `inspection_chair` (posts the committee above approves and the
    /// people approved then hold), `delegates` (to the congress above) or `other` (a poll; the
    /// default).
    pub body: Option<String>,
    /// The term of the posts (`2025-2030`); an election at a congress takes the congress's.
    pub term: Option<String>,
}

fn parse_new(input: CreateElection) -> Result<NewElection, AppError> {
    let mut problems = Problems::new();
    let kind = ElectionKind::parse(&input.kind);
    if kind.is_none() {
        problems.add("kind", "Loại là members_congress, delegates_congress hoặc conference");
    }
    let ballot = BallotKind::parse(&input.ballot);
    if ballot.is_none() {
        problems.add("ballot", "Phiếu là surplus (có số dư) hoặc approval (không có số dư)");
    }
    let body = match input.body.as_deref() {
        None | Some("") => Some(Body::Other),
        Some(word) => Body::parse(word),
    };
    if body.is_none() {
        problems.add("body", "Bầu: executive_committee, standing_board, secretary, deputy_secretary, inspection_committee, inspection_chair, delegates hoặc other");
    }
    let mut excluded = std::collections::BTreeMap::new();
    let electors = match input.electors {
        Some(e) => e,
        None if input.congress_id.is_some() => ElectorsInput::default(),
        None => return Err(AppError::invalid("electors", "Nhập số được triệu tập (hoặc chọn đại hội đã điểm danh)")),
    };
    for (reason, n) in electors.excluded {
        match Exclusion::parse(&reason) {
            Some(r) => {
                excluded.insert(r, n);
            }
            None => problems.add("electors.excluded", format!("Không có lý do \"{reason}\" trong Điều 30")),
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    Ok(NewElection {
        org_id: input.org_id,
        congress_id: input.congress_id,
        title: input.title,
        kind: kind.unwrap_or(ElectionKind::Conference),
        ballot: ballot.unwrap_or(BallotKind::Surplus),
        seats: input.seats,
        electors: Electors { summoned: electors.summoned, excluded },
        candidates: input
            .candidates
            .into_iter()
            .map(|c| NewCandidate { full_name: c.full_name, member_id: c.member_id })
            .collect(),
        body: body.unwrap_or(Body::Other),
        term: input.term,
    })
}

/// Prepare an election: the list in ballot order, checked against Điều 14 (the surplus), and
/// those summoned with the exclusions of Điều 30, which give the base and the threshold.
#[utoipa::path(post, path = "/elections", tag = "elections", request_body = CreateElection,
    responses((status = 201, body = Election), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateElection>,
) -> Result<(StatusCode, Json<Election>), AppError> {
    let new = parse_new(input)?;
    Ok((StatusCode::CREATED, Json(super::create(&state, &user, new).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    #[param(value_type = i64)]
    pub org_id: OrgId,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionList {
    /// Newest first, without their lists.
    pub items: Vec<Election>,
}

/// The elections of an organisation.
#[utoipa::path(get, path = "/elections", tag = "elections", params(ListParams),
    responses((status = 200, body = ElectionList), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<ElectionList> {
    Ok(Json(ElectionList { items: super::list(&state, &user, p.org_id).await? }))
}

/// One election with its list.
#[utoipa::path(get, path = "/elections/{id}", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = Election), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Election> {
    let election = super::visible_election(&state, &user, id).await?;
    Ok(Json(super::after::as_seen(&state, &user, election).await))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BoardInput {
    pub user_id: i64,
    /// `head`, `teller` or `observer`.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub items: Vec<BoardMember>,
}

/// Put an account on the counting board (Điều 8): nobody on the list sits on it; only its
/// tellers enter counts and only its head resolves differences.
#[utoipa::path(post, path = "/elections/{id}/board", tag = "elections", params(("id" = i64, Path)),
    request_body = BoardInput,
    responses((status = 200, body = Board), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_to_board(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<BoardInput>,
) -> JsonResult<Board> {
    Ok(Json(Board { items: super::add_to_board(&state, &user, id, input.user_id, &input.role).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Nomination {
    pub full_name: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// Delegates (members) present when the congress voted on the nomination.
    pub present: u32,
    /// How many of them agreed: more than 30 % of those present is needed (Điều 14).
    pub agreed: u32,
}

/// Add a person nominated from the floor, with the congress's vote.
#[utoipa::path(post, path = "/elections/{id}/candidates", tag = "elections", params(("id" = i64, Path)),
    request_body = Nomination,
    responses((status = 201, body = Election), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn nominate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<Nomination>,
) -> Result<(StatusCode, Json<Election>), AppError> {
    let candidate = NewCandidate { full_name: input.full_name, member_id: input.member_id };
    let election = super::nominate(&state, &user, id, candidate, input.present, input.agreed).await?;
    Ok((StatusCode::CREATED, Json(election)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Withdrawal {
    /// Why the name leaves the list: the congress's vote, the candidate's request …
    pub reason: String,
}

/// Take a name off the list before the count (the congress's decision): the names after it
/// move up one number.
#[utoipa::path(post, path = "/elections/{id}/candidates/{candidate_id}/withdraw", tag = "elections",
    params(("id" = i64, Path), ("candidate_id" = i64, Path)), request_body = Withdrawal,
    responses((status = 200, body = Election), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Ids(id, candidate_id): Ids,
    ApiJson(input): ApiJson<Withdrawal>,
) -> JsonResult<Election> {
    Ok(Json(super::withdraw(&state, &user, id, candidate_id, &input.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkInput {
    pub candidate_id: i64,
    /// `agree`, `disagree`, `both` or `none`.
    pub mark: String,
}

/// A ballot: the candidate ids kept (a list with a surplus), or a mark per candidate (no surplus).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum BallotJson {
    Kept(Vec<i64>),
    Marks(Vec<MarkInput>),
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryInput {
    pub issued: u32,
    pub returned: u32,
    /// Every ballot of the pile, in the order read.
    pub ballots: Vec<BallotJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntrySaved {
    /// The count's state after this entry: `awaiting_entries`, `entries_differ`, `tie` or `final`.
    pub status: String,
}

fn ballot_inputs(ballots: Vec<BallotJson>) -> Result<Vec<BallotInput>, AppError> {
    let mut problems = Problems::new();
    let mut out = Vec::with_capacity(ballots.len());
    for (i, b) in ballots.into_iter().enumerate() {
        match b {
            BallotJson::Kept(ids) => out.push(BallotInput::Kept(ids)),
            BallotJson::Marks(marks) => {
                let mut parsed = Vec::with_capacity(marks.len());
                for m in marks {
                    match Mark::parse(&m.mark) {
                        Some(mark) => parsed.push((m.candidate_id, mark)),
                        None => problems.add(format!("ballots[{i}]"), "Dấu là agree, disagree, both hoặc none"),
                    }
                }
                out.push(BallotInput::Marks(parsed));
            }
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    Ok(out)
}

/// One teller's entry of the whole count, ballot by ballot; it replaces the teller's earlier
/// entry while the count is not agreed. The count is final when two tellers' entries agree.
#[utoipa::path(post, path = "/elections/{id}/entries", tag = "elections", params(("id" = i64, Path)),
    request_body = EntryInput,
    responses((status = 201, body = EntrySaved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn save_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<EntryInput>,
) -> Result<(StatusCode, Json<EntrySaved>), AppError> {
    let ballots = ballot_inputs(input.ballots)?;
    let reconciliation = Reconciliation { issued: input.issued, returned: input.returned };
    let status = super::save_entry(&state, &user, id, reconciliation, ballots).await?;
    Ok((StatusCode::CREATED, Json(EntrySaved { status: status.as_str().into() })))
}

/// The entries saved and, when two differ, which ballots.
#[utoipa::path(get, path = "/elections/{id}/entries", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = Entries), (status = 404, body = ErrorBody)))]
pub async fn entries(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Entries> {
    Ok(Json(super::entries(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Resolution {
    /// For each differing ballot (numbered from 1), which entry reads it right.
    pub picks: Vec<Pick>,
    /// The ballots issued and returned, when the entries differ on them.
    pub issued: Option<u32>,
    pub returned: Option<u32>,
}

/// The head of the board resolves the ballots the two entries read differently.
#[utoipa::path(post, path = "/elections/{id}/resolve", tag = "elections", params(("id" = i64, Path)),
    request_body = Resolution,
    responses((status = 200, body = EntrySaved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<Resolution>,
) -> JsonResult<EntrySaved> {
    let totals = match (input.issued, input.returned) {
        (Some(issued), Some(returned)) => Some(Reconciliation { issued, returned }),
        (None, None) => None,
        _ => return Err(AppError::invalid("returned", "Hãy ghi cả số phiếu phát ra và số phiếu thu vào")),
    };
    let status = super::resolve(&state, &user, id, input.picks, totals).await?;
    Ok(Json(EntrySaved { status: status.as_str().into() }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TieDecision {
    /// The candidates the presidium chose among those tied, as many as the seats left to them.
    pub elected: Vec<i64>,
    /// The decision and its basis, as the minutes will say.
    pub note: String,
}

/// Record the presidium's decision on a tie for the last seats (the head of the board).
#[utoipa::path(post, path = "/elections/{id}/tie-decision", tag = "elections", params(("id" = i64, Path)),
    request_body = TieDecision,
    responses((status = 200, body = EntrySaved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide_tie(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<TieDecision>,
) -> JsonResult<EntrySaved> {
    let status = super::decide_tie(&state, &user, id, input.elected, &input.note).await?;
    Ok(Json(EntrySaved { status: status.as_str().into() }))
}

/// Seal the ballots and the record (Điều 35): nothing changes afterwards.
#[utoipa::path(post, path = "/elections/{id}/seal", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = EntrySaved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn seal(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<EntrySaved> {
    let status = super::seal(&state, &user, id).await?;
    Ok(Json(EntrySaved { status: status.as_str().into() }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateResult {
    pub id: i64,
    pub number: u32,
    pub full_name: String,
    /// Votes on valid ballots; `null` before the count is agreed.
    pub votes: Option<u32>,
    pub passed_threshold: bool,
    pub elected: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionResult {
    /// `awaiting_entries`, `entries_differ`, `tie`, `final` or `sealed`.
    pub status: String,
    pub issued: Option<u32>,
    pub returned: Option<u32>,
    pub valid: Option<u32>,
    pub invalid: Option<u32>,
    pub base: u32,
    pub threshold: u32,
    pub seats: u32,
    pub seats_unfilled: Option<u32>,
    pub candidates: Vec<CandidateResult>,
    /// Candidates tied for the last seats while no decision is recorded.
    pub tied: Vec<i64>,
    /// How many of the tied the decision names.
    pub tied_seats: u32,
    pub record_fingerprint: Option<String>,
    pub result_fingerprint: Option<String>,
}

/// The result by the rules: counted on valid ballots, against the base of Điều 30; "elected"
/// is computed, never typed.
#[utoipa::path(get, path = "/elections/{id}/result", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = ElectionResult), (status = 404, body = ErrorBody)))]
pub async fn result(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<ElectionResult> {
    let election = super::visible_election(&state, &user, id).await?;
    let counted = elections::result(&state.db, &election).await?;
    let id_of = |n: u32| election.candidates.iter().find(|c| c.number == n).map(|c| c.id).unwrap_or_default();
    let candidates = election
        .candidates
        .iter()
        .map(|c| {
            let standing = counted.as_ref().and_then(|(_, o)| o.standings.iter().find(|s| s.number == c.number));
            CandidateResult {
                id: c.id,
                number: c.number,
                full_name: c.full_name.clone(),
                votes: standing.map(|s| s.votes),
                passed_threshold: standing.is_some_and(|s| s.passed_threshold),
                elected: standing.is_some_and(|s| s.elected),
            }
        })
        .collect();
    let status = if election.status == CountState::Tie { "tie" } else { election.status.as_str() };
    Ok(Json(ElectionResult {
        status: status.into(),
        issued: election.issued,
        returned: election.returned,
        valid: counted.as_ref().map(|(c, _)| c.valid),
        invalid: counted.as_ref().map(|(c, _)| c.invalid),
        base: election.base,
        threshold: election.threshold,
        seats: election.seats,
        seats_unfilled: counted.as_ref().map(|(_, o)| o.seats_unfilled),
        tied: counted.as_ref().map(|(_, o)| o.tied.iter().map(|n| id_of(*n)).collect()).unwrap_or_default(),
        tied_seats: counted.as_ref().map_or(0, |(_, o)| o.tied_seats),
        candidates,
        record_fingerprint: election.record_fingerprint.clone(),
        result_fingerprint: election.result_fingerprint.clone(),
    }))
}

/// The per-ballot record (ballots sorted, no teller, time or order) with what the minutes
/// state and the fingerprints, for `dangvu election verify FILE`.
#[utoipa::path(get, path = "/elections/{id}/record", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> JsonResult<dangvu_domain::elections::record::RecordFile> {
    Ok(Json(super::record_file(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BallotParams {
    /// `a5` (default) or `a4`.
    pub paper: Option<String>,
}

/// The ballot paper to print, with the names in the list's order and the place for the stamp.
#[utoipa::path(get, path = "/elections/{id}/ballot", tag = "elections", params(("id" = i64, Path), BallotParams),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn ballot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<BallotParams>,
) -> Result<axum::response::Response, AppError> {
    super::ballot_paper(&state, &user, id, p.paper.as_deref().unwrap_or("a5")).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FurtherRound {
    /// The candidates the congress keeps on the list, among those not elected.
    pub candidate_ids: Vec<i64>,
    /// `surplus` or `approval`.
    pub ballot: String,
}

/// A further round (bầu tiếp) for the seats a final count left unfilled.
#[utoipa::path(post, path = "/elections/{id}/further-round", tag = "elections", params(("id" = i64, Path)),
    request_body = FurtherRound,
    responses((status = 201, body = Election), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn further_round(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<FurtherRound>,
) -> Result<(StatusCode, Json<Election>), AppError> {
    let election = super::further_round(&state, &user, id, input.candidate_ids, &input.ballot).await?;
    Ok((StatusCode::CREATED, Json(election)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MinutesParams {
    /// `pdf` (default) or `docx`.
    pub format: Option<String>,
}

/// The counting board's minutes (biên bản kiểm phiếu) with both fingerprints, once final.
#[utoipa::path(get, path = "/elections/{id}/minutes", tag = "elections", params(("id" = i64, Path), MinutesParams),
    responses((status = 200, description = "PDF or DOCX", content_type = "application/pdf"), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn minutes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<MinutesParams>,
) -> Result<axum::response::Response, AppError> {
    super::minutes(&state, &user, id, p.format.as_deref().unwrap_or("pdf")).await
}

// ------------------------------------------------------------------ after the count

/// The complaints window (Điều 33), the complaints received, the custody of the sealed ballots
/// (Điều 35). The approval is on the election itself (`approval`, `approval_task_id` …).
#[utoipa::path(get, path = "/elections/{id}/after", tag = "elections", params(("id" = i64, Path)),
    responses((status = 200, body = elections::After), (status = 404, body = ErrorBody)))]
pub async fn after(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<elections::After> {
    Ok(Json(super::after::after(&state, &user, id).await?.1))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ComplaintInput {
    /// The day the complaint was received (not after today).
    pub received_on: chrono::NaiveDate,
    /// The reference in the receiving committee's register (số đơn); never who complained.
    pub reference: String,
}

/// Record a complaint about the election, received on a day (in the window or late).
#[utoipa::path(post, path = "/elections/{id}/complaints", tag = "elections", params(("id" = i64, Path)),
    request_body = ComplaintInput,
    responses((status = 201, body = elections::After), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn complaint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ComplaintInput>,
) -> Result<(StatusCode, Json<elections::After>), AppError> {
    let after = super::after::complaint(&state, &user, id, input.received_on, &input.reference).await?;
    Ok((StatusCode::CREATED, Json(after)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ComplaintResolution {
    pub resolved_on: chrono::NaiveDate,
    /// The outcome in a few words (the decision's reference …).
    pub outcome: String,
}

/// Record that a complaint was resolved: the ballots may be destroyed only when none is pending.
#[utoipa::path(post, path = "/elections/{id}/complaints/{complaint_id}/resolution", tag = "elections",
    params(("id" = i64, Path), ("complaint_id" = i64, Path)), request_body = ComplaintResolution,
    responses((status = 200, body = elections::After), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn resolve_complaint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Ids(id, complaint_id): Ids,
    ApiJson(input): ApiJson<ComplaintResolution>,
) -> JsonResult<elections::After> {
    Ok(Json(super::after::resolve_complaint(&state, &user, id, complaint_id, input.resolved_on, &input.outcome).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DestructionInput {
    /// The committee's decision (số quyết định tiêu hủy).
    pub reference: String,
}

/// The decision destroying the sealed ballots, dated today: refused before the sealing months
/// are over (Điều 35) or while a complaint is pending.
#[utoipa::path(post, path = "/elections/{id}/destruction", tag = "elections", params(("id" = i64, Path)),
    request_body = DestructionInput,
    responses((status = 200, body = elections::After), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn destruction(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<DestructionInput>,
) -> JsonResult<elections::After> {
    Ok(Json(super::after::destroy(&state, &user, id, &input.reference).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApprovalInput {
    /// `approve` (refusing the people in `refused`, if any) or `annul`.
    pub decision: String,
    /// Candidate ids of people elected whom the committee does not approve (không chuẩn y).
    #[serde(default)]
    pub refused: Vec<i64>,
    /// The decision's reference (số quyết định chuẩn y).
    pub reference: String,
    /// The day of the decision (not after today).
    pub decided_on: chrono::NaiveDate,
    /// Why, for an annulment (required) or a refusal.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalSaved {
    /// `approved`, `partly_approved` or `annulled`.
    pub approval: String,
}

/// The committee above's decision on a final result (chuẩn y, Điều 2 and 33): the people
/// approved take the organisation's posts for the term, the committee's task is reported done.
/// Only an account whose scope lies strictly above the organisation decides.
#[utoipa::path(post, path = "/elections/{id}/approval", tag = "elections", params(("id" = i64, Path)),
    request_body = ApprovalInput,
    responses((status = 200, body = ApprovalSaved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn approval(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ApprovalInput>,
) -> JsonResult<ApprovalSaved> {
    let annul = super::after::annuls(&input.decision)?;
    let request = super::after::ApprovalRequest {
        annul,
        refused: input.refused,
        reference: input.reference,
        on: input.decided_on,
        note: input.note,
    };
    let approval = super::after::approve(&state, &user, id, request).await?;
    Ok(Json(ApprovalSaved { approval: approval.as_str().into() }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostsParams {
    /// Every holder ever, with the day each stepped down; by default those in post now.
    pub history: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostHolders {
    pub items: Vec<elections::PostHolder>,
}

/// Who holds the organisation's posts (executive committee, standing board, secretary …), as
/// the approved elections made them.
#[utoipa::path(get, path = "/orgs/{id}/posts", tag = "elections", params(("id" = i64, Path), PostsParams),
    responses((status = 200, body = PostHolders), (status = 404, body = ErrorBody)))]
pub async fn posts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<PostsParams>,
) -> JsonResult<PostHolders> {
    Ok(Json(PostHolders { items: super::after::post_holders(&state, &user, id, p.history.unwrap_or(false)).await? }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get))
        .routes(routes!(add_to_board))
        .routes(routes!(nominate))
        .routes(routes!(withdraw))
        .routes(routes!(save_entry, entries))
        .routes(routes!(resolve))
        .routes(routes!(decide_tie))
        .routes(routes!(seal))
        .routes(routes!(result))
        .routes(routes!(record))
        .routes(routes!(minutes))
        .routes(routes!(further_round))
        .routes(routes!(ballot))
        .routes(routes!(after))
        .routes(routes!(complaint))
        .routes(routes!(resolve_complaint))
        .routes(routes!(destruction))
        .routes(routes!(approval))
        .routes(routes!(posts))
}
