//! `/api/v1/personnel`, `/api/v1/orgs/{id}/personnel`, `/api/v1/orgs/{id}/planning`: personnel
//! work, for accounts with the personnel grant only (404 for every other account).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::accounts::User;
use dangvu_store::personnel::{LimitsReport, OrgPosts, Pool, SeatCount};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::JsonResult;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::date_or_today;

#[derive(Debug, Deserialize, ToSchema)]
pub struct GrantInput {
    /// `true` gives the grant (admin, organizer or viewer accounts only), `false` takes it back.
    pub granted: bool,
}

/// Give or take back an account's personnel grant (admin, for an account in scope): with it the
/// account reads the posts' limits and the planning pools of its scope, and every read is
/// written to the audit log.
#[utoipa::path(put, path = "/users/{id}/personnel", tag = "personnel", params(("id" = i64, Path)),
    request_body = GrantInput,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<GrantInput>,
) -> JsonResult<User> {
    Ok(Json(super::grant(&state, &user, id, input.granted).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitsParams {
    /// The top of the subtree; the account's own organisation by default.
    pub org_id: Option<i64>,
    /// YYYY-MM-DD; today by default.
    pub on: Option<String>,
}

/// The gaps and limits of a subtree: the posts with fewer holders than seats (every
/// organisation has a secretary), and the holders who reach the retirement age, too little
/// working time for re-election or the term limit of a head's post, this term or the next.
#[utoipa::path(get, path = "/personnel/limits", tag = "personnel", params(LimitsParams),
    responses((status = 200, body = LimitsReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn limits(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<LimitsParams>,
) -> JsonResult<LimitsReport> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    Ok(Json(super::limits(&state, &user, p.org_id.map(OrgId::from), on).await?.1))
}

/// The posts of an organisation: their seats, holders now (age, retirement date, consecutive
/// terms, limits) and holders who have left.
#[utoipa::path(get, path = "/orgs/{id}/personnel", tag = "personnel", params(("id" = i64, Path)),
    responses((status = 200, body = OrgPosts), (status = 404, body = ErrorBody)))]
pub async fn posts(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id<OrgId>) -> JsonResult<OrgPosts> {
    Ok(Json(super::posts(&state, &user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeatInput {
    /// `secretary`, `deputy_secretary`, `standing_board`, `executive_committee`,
    /// `inspection_chair`, `inspection_committee`, `board_head`.
    pub post: String,
    /// The board, for `board_head`.
    pub body_id: Option<i64>,
    /// 0–500; a head's post at most 1.
    pub seats: u32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SeatsInput {
    pub seats: Vec<SeatInput>,
}

/// Set the structure: the seats of the posts given (the others keep theirs).
#[utoipa::path(put, path = "/orgs/{id}/personnel/seats", tag = "personnel", params(("id" = i64, Path)),
    request_body = SeatsInput,
    responses((status = 200, body = OrgPosts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn seats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<SeatsInput>,
) -> JsonResult<OrgPosts> {
    let seats = input
        .seats
        .into_iter()
        .map(|s| Ok(SeatCount { post: super::post_of(&s.post)?, body_id: s.body_id, seats: s.seats }))
        .collect::<Result<Vec<_>, crate::error::AppError>>()?;
    Ok(Json(super::set_seats(&state, &user, id, seats).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HolderInput {
    pub post: String,
    /// The board, for `board_head`.
    pub body_id: Option<i64>,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    /// `2025-2030`.
    pub term: String,
    /// The day the holder took the post (not after today).
    pub since: NaiveDate,
    /// For a holder of an earlier term: the day they left.
    pub until: Option<NaiveDate>,
    /// The appointing decision, e.g. `125-QĐ/TU ngày 02/10/2025`.
    pub decision: String,
}

/// Record a holder appointed to a post (or of an earlier term, with `until`): a head's post
/// changes hands, the holder before steps down the same day.
#[utoipa::path(post, path = "/orgs/{id}/personnel/holders", tag = "personnel", params(("id" = i64, Path)),
    request_body = HolderInput,
    responses((status = 201, body = OrgPosts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn appoint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<HolderInput>,
) -> Result<(StatusCode, Json<OrgPosts>), crate::error::AppError> {
    let a = super::Appointment {
        post: input.post,
        body_id: input.body_id,
        member_id: input.member_id,
        term: input.term,
        since: input.since,
        until: input.until,
        decision: input.decision,
    };
    Ok((StatusCode::CREATED, Json(super::appoint(&state, &user, id, a).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndInput {
    pub until: NaiveDate,
    /// Retirement, transfer, a new post …
    pub reason: String,
}

/// A holder steps down.
#[utoipa::path(post, path = "/personnel/holders/{id}/end", tag = "personnel", params(("id" = i64, Path)),
    request_body = EndInput,
    responses((status = 200, body = OrgPosts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<EndInput>,
) -> JsonResult<OrgPosts> {
    Ok(Json(super::end_holding(&state, &user, id, input.until, &input.reason).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PoolParams {
    /// `2030-2035`.
    pub term: String,
    /// The pools as they stood on this day (YYYY-MM-DD); today by default.
    pub on: Option<String>,
}

/// The planning pools of an organisation for a term: each post's people with their standards,
/// the ratios per post and for the level (women, young cadres, people per post, posts per
/// person, working time for a whole term), and who was taken out.
#[utoipa::path(get, path = "/orgs/{id}/planning", tag = "personnel", params(("id" = i64, Path), PoolParams),
    responses((status = 200, body = Pool), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pool(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<PoolParams>,
) -> JsonResult<Pool> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    Ok(Json(super::pool(&state, &user, id, &p.term, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanningInput {
    pub term: String,
    pub post: String,
    pub body_id: Option<i64>,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    /// The day of the decision (not after today).
    pub added_on: NaiveDate,
    pub decision: String,
    /// Standards of the settings' checklist found met.
    #[serde(default)]
    pub standards: Vec<String>,
}

/// Add a member to a post's pool by a decision.
#[utoipa::path(post, path = "/orgs/{id}/planning", tag = "personnel", params(("id" = i64, Path)),
    request_body = PlanningInput,
    responses((status = 201, body = Pool), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<PlanningInput>,
) -> Result<(StatusCode, Json<Pool>), crate::error::AppError> {
    let a = super::PlanningAddition {
        term: input.term,
        post: input.post,
        body_id: input.body_id,
        member_id: input.member_id,
        added_on: input.added_on,
        decision: input.decision,
        standards: input.standards,
    };
    Ok((StatusCode::CREATED, Json(super::add_to_pool(&state, &user, id, a).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RemovalInput {
    pub removed_on: NaiveDate,
    pub decision: String,
    pub reason: String,
}

/// Take a person out of a pool (the yearly review), by a decision.
#[utoipa::path(post, path = "/planning/{id}/removal", tag = "personnel", params(("id" = i64, Path)),
    request_body = RemovalInput,
    responses((status = 200, body = Pool), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn removal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<RemovalInput>,
) -> JsonResult<Pool> {
    Ok(Json(super::remove_from_pool(&state, &user, id, input.removed_on, &input.decision, &input.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StandardsInput {
    pub standards: Vec<String>,
}

/// Record the standards a person of a pool meets, at a review.
#[utoipa::path(put, path = "/planning/{id}/standards", tag = "personnel", params(("id" = i64, Path)),
    request_body = StandardsInput,
    responses((status = 200, body = Pool), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn standards(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<StandardsInput>,
) -> JsonResult<Pool> {
    Ok(Json(super::set_standards(&state, &user, id, input.standards).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grant))
        .routes(routes!(limits))
        .routes(routes!(posts))
        .routes(routes!(seats))
        .routes(routes!(appoint))
        .routes(routes!(end))
        .routes(routes!(pool, add))
        .routes(routes!(removal))
        .routes(routes!(standards))
        .routes(routes!(plan_api::show, plan_api::save))
        .routes(routes!(plan_api::event))
        .routes(routes!(plan_api::election))
        .routes(routes!(nomination_api::list))
        .routes(routes!(nomination_api::open))
        .routes(routes!(nomination_api::show))
        .routes(routes!(nomination_api::conference))
        .routes(routes!(nomination_api::step))
}

// ------------------------------------------------------------------ the congress personnel plan

mod plan_api {
    use axum::Json;
    use axum::extract::State;
    use chrono::NaiveDate;
    use dangvu_domain::ids::MemberId;
    use dangvu_store::personnel::plans::{Plan, PlanContent, PostComparison, PostContent};
    use serde::{Deserialize, Serialize};
    use utoipa::ToSchema;

    use crate::AppState;
    use crate::api::JsonResult;
    use crate::error::{AppError, ErrorBody};
    use crate::extract::{ApiJson, ApiUser, Id};

    #[derive(Debug, Serialize, ToSchema)]
    pub struct PlanView {
        /// `null` while the congress has no plan.
        pub plan: Option<Plan>,
        /// Once approved: the vote compared with it, post by post.
        pub comparison: Vec<PostComparison>,
    }

    /// The congress's personnel plan (personnel grant; the congress's own staff or a committee
    /// above), and once approved where the vote departed from it.
    #[utoipa::path(get, path = "/congresses/{id}/personnel-plan", tag = "personnel", params(("id" = i64, Path)),
        responses((status = 200, body = PlanView), (status = 404, body = ErrorBody)))]
    pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<PlanView> {
        let (_, plan, comparison) = super::super::plan(&state, &user, id).await?;
        Ok(Json(PlanView { plan, comparison }))
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct NameInput {
        #[schema(value_type = Option<i64>)]
        pub member_id: Option<MemberId>,
        pub full_name: String,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct PlanPostInput {
        /// `executive_committee`, `standing_board`, `secretary`, `deputy_secretary`,
        /// `inspection_committee`, `inspection_chair`.
        pub post: String,
        pub seats: u32,
        /// The candidates its list will carry (0: not decided yet).
        #[serde(default)]
        pub candidates: u32,
        #[serde(default)]
        pub names: Vec<NameInput>,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct PlanInput {
        #[serde(default)]
        pub note: String,
        pub posts: Vec<PlanPostInput>,
    }

    /// Write the draft plan: the structure and the names proposed (the convening committee's
    /// Organisation board, personnel grant).
    #[utoipa::path(put, path = "/congresses/{id}/personnel-plan", tag = "personnel", params(("id" = i64, Path)),
        request_body = PlanInput,
        responses((status = 200, body = Plan), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            (status = 422, body = ErrorBody)))]
    pub async fn save(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id,
        ApiJson(input): ApiJson<PlanInput>,
    ) -> JsonResult<Plan> {
        let posts = input
            .posts
            .into_iter()
            .map(|p| {
                let names = p.names.into_iter().map(|n| (n.member_id, n.full_name)).collect();
                Ok(PostContent {
                    post: super::super::post_of(&p.post)?,
                    seats: p.seats,
                    candidates: p.candidates,
                    names,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let content = PlanContent { note: input.note, posts };
        Ok(Json(super::super::save_plan(&state, &user, id, content).await?))
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct PlanEventInput {
        /// `submit`, `approve`, `return` or `amend`.
        pub event: String,
        /// For `approve`: the decision, e.g. `250-QĐ/TU ngày 10/3/2030`.
        #[serde(default)]
        pub decision: String,
        /// The day of the decision; today by default.
        pub decided_on: Option<NaiveDate>,
        /// For `return`: why.
        #[serde(default)]
        pub reason: String,
    }

    /// A step of the plan: `submit` and `amend` (the convening committee), `approve` and
    /// `return` (the committee above, scope strictly above the organisation).
    #[utoipa::path(post, path = "/congresses/{id}/personnel-plan/events", tag = "personnel", params(("id" = i64, Path)),
        request_body = PlanEventInput,
        responses((status = 200, body = Plan), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            (status = 422, body = ErrorBody)))]
    pub async fn event(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id,
        ApiJson(input): ApiJson<PlanEventInput>,
    ) -> JsonResult<Plan> {
        let plan =
            super::super::plan_event(&state, &user, id, &input.event, &input.decision, input.decided_on, &input.reason)
                .await?;
        Ok(Json(plan))
    }

    /// Where the election's result departed from the congress's approved personnel plan for its
    /// post: planned people not elected, people elected outside the plan, a body of another size.
    #[utoipa::path(get, path = "/elections/{id}/plan-comparison", tag = "personnel", params(("id" = i64, Path)),
        responses((status = 200, body = PostComparison), (status = 404, body = ErrorBody)))]
    pub async fn election(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id,
    ) -> JsonResult<PostComparison> {
        let found = super::super::election_comparison(&state, &user, id).await?;
        Ok(Json(found.ok_or(AppError::NotFound)?))
    }
}

// ------------------------------------------------------------------ the five-step procedure

mod nomination_api {
    use axum::Json;
    use axum::extract::State;
    use axum::http::StatusCode;
    use chrono::NaiveDate;
    use dangvu_domain::ids::OrgId;
    use dangvu_store::personnel::nominations::Case;
    use serde::{Deserialize, Serialize};
    use utoipa::{IntoParams, ToSchema};

    use crate::AppState;
    use crate::api::JsonResult;
    use crate::error::{AppError, ErrorBody};
    use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};

    #[derive(Debug, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct CasesParams {
        /// The top of the subtree; the account's own organisation by default.
        pub org_id: Option<i64>,
    }

    #[derive(Debug, Serialize, ToSchema)]
    pub struct Cases {
        pub items: Vec<Case>,
    }

    /// The cases of the five-step procedure in a subtree, open first, each with its deadlines
    /// and those it missed (`late`: `policy`, `start`, `complete`).
    #[utoipa::path(get, path = "/personnel/nominations", tag = "personnel", params(CasesParams),
        responses((status = 200, body = Cases), (status = 404, body = ErrorBody)))]
    pub async fn list(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        ApiQuery(p): ApiQuery<CasesParams>,
    ) -> JsonResult<Cases> {
        let (_, items) = super::super::cases(&state, &user, p.org_id.map(OrgId::from)).await?;
        Ok(Json(Cases { items }))
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct CaseInput {
        /// The post to fill (`deputy_secretary`, `board_head` with `body_id` …).
        pub post: String,
        pub body_id: Option<i64>,
        /// `appointment` (bổ nhiệm) or `nomination` (giới thiệu ứng cử).
        pub purpose: String,
        /// `inside` (the five steps) or `outside` (the shorter path).
        pub source: String,
        pub title: String,
        /// The day the policy was asked for (not after today).
        pub requested_on: NaiveDate,
    }

    /// Open a case for a vacancy: it starts at asking for the policy (xin chủ trương).
    #[utoipa::path(post, path = "/orgs/{id}/nominations", tag = "personnel", params(("id" = i64, Path)),
        request_body = CaseInput,
        responses((status = 201, body = Case), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            (status = 422, body = ErrorBody)))]
    pub async fn open(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id<OrgId>,
        ApiJson(input): ApiJson<CaseInput>,
    ) -> Result<(StatusCode, Json<Case>), AppError> {
        let r = super::super::CaseRequest {
            post: input.post,
            body_id: input.body_id,
            purpose: input.purpose,
            source: input.source,
            title: input.title,
            requested_on: input.requested_on,
        };
        Ok((StatusCode::CREATED, Json(super::super::open_case(&state, &user, id, r).await?)))
    }

    /// A case with its steps, conferences and deadlines.
    #[utoipa::path(get, path = "/nominations/{id}", tag = "personnel", params(("id" = i64, Path)),
        responses((status = 200, body = Case), (status = 404, body = ErrorBody)))]
    pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Case> {
        Ok(Json(super::super::case(&state, &user, id).await?))
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct ConferenceInput {
        pub summoned: u32,
        /// Those present: at least 2/3 of the summoned (the settings), else 422 and no ballot.
        pub present: u32,
        /// The people on the ballot, each with "đồng ý / không đồng ý".
        pub names: Vec<String>,
    }

    /// Open the conference of the current step (a step that votes): an election of the ballot
    /// engine, kind `conference`, whose counting board and double entry follow as for any
    /// election; only the personnel grant and its board see it.
    #[utoipa::path(post, path = "/nominations/{id}/conference", tag = "personnel", params(("id" = i64, Path)),
        request_body = ConferenceInput,
        responses((status = 200, body = Case), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            (status = 422, body = ErrorBody)))]
    pub async fn conference(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id,
        ApiJson(input): ApiJson<ConferenceInput>,
    ) -> JsonResult<Case> {
        Ok(Json(super::super::open_conference(&state, &user, id, input.summoned, input.present, input.names).await?))
    }

    #[derive(Debug, Deserialize, ToSchema)]
    pub struct StepInput {
        /// `complete` (the current step; a step that votes takes its conference's count and the
        /// selection rule) or `stop` (with the reason in `note`).
        pub event: String,
        /// The day; today by default.
        pub on: Option<NaiveDate>,
        #[serde(default)]
        pub note: String,
        /// For the last vote: the decision issued.
        #[serde(default)]
        pub decision: String,
    }

    /// Complete the current step or stop the case.
    #[utoipa::path(post, path = "/nominations/{id}/steps", tag = "personnel", params(("id" = i64, Path)),
        request_body = StepInput,
        responses((status = 200, body = Case), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
            (status = 422, body = ErrorBody)))]
    pub async fn step(
        State(state): State<AppState>,
        ApiUser(user): ApiUser,
        Id(id): Id,
        ApiJson(input): ApiJson<StepInput>,
    ) -> JsonResult<Case> {
        let on = input.on.unwrap_or_else(dangvu_domain::calendar::today);
        Ok(Json(super::super::step(&state, &user, id, &input.event, on, input.note, input.decision).await?))
    }
}
