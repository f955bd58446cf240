//! `/api/v1/congresses`, `/api/v1/drafts`, `/api/v1/draft-comments`: the congress, its drafts in
//! versions, the comments and their disposition.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::congresses::draft::{Span, word_changes};
use dangvu_domain::congresses::targets::Target;
use dangvu_domain::congresses::{Change, CongressKind, Disposition, Event, compare};
use dangvu_domain::ids::OrgId;
use dangvu_domain::validation::Problems;
use dangvu_store::congresses::{
    Comment, CommentFilter, CommentGroup, Congress, Draft, MilestoneTask, NewCongress, NewPlan, Plan, PlanProgress,
    VersionHead,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCongress {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    /// `members` (đại hội đảng viên) or `delegates` (đại hội đại biểu).
    pub kind: String,
    /// Like `2025-2030`.
    pub term: String,
    pub opens_on: NaiveDate,
    pub closes_on: Option<NaiveDate>,
    #[serde(default)]
    pub place: String,
}

/// Create the congress of an organisation for a term, in preparation.
#[utoipa::path(post, path = "/congresses", tag = "congresses", request_body = CreateCongress,
    responses((status = 201, body = Congress), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateCongress>,
) -> Result<(StatusCode, Json<Congress>), AppError> {
    let kind = CongressKind::parse(&input.kind)
        .ok_or_else(|| AppError::invalid("kind", "Loại đại hội là members (đảng viên) hoặc delegates (đại biểu)"))?;
    let new = NewCongress {
        org_id: input.org_id,
        title: input.title,
        kind,
        term: input.term,
        opens_on: input.opens_on,
        closes_on: input.closes_on,
        place: input.place,
    };
    Ok((StatusCode::CREATED, Json(super::create(&state, &user, new).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The root of the subtree; the account's own organisation when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CongressList {
    /// The congresses of the subtree's organisations, the latest opening first (at most 500).
    pub items: Vec<Congress>,
}

/// The congresses of a subtree.
#[utoipa::path(get, path = "/congresses", tag = "congresses", params(ListParams),
    responses((status = 200, body = CongressList), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<CongressList> {
    Ok(Json(CongressList { items: super::list(&state, &user, p.org_id).await? }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CongressView {
    #[serde(flatten)]
    pub congress: Congress,
    /// Its milestones, each a task, the soonest first.
    pub milestones: Vec<MilestoneTask>,
    /// Its drafts, with their versions.
    pub drafts: Vec<Draft>,
}

/// One congress with its drafts; for the organisation's staff and everyone below it.
#[utoipa::path(get, path = "/congresses/{id}", tag = "congresses", params(("id" = i64, Path)),
    responses((status = 200, body = CongressView), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CongressView> {
    let congress = super::visible_congress(&state, &user, id).await?.congress;
    let drafts = dangvu_store::congresses::drafts_of(&state.db, id).await?;
    let milestones = dangvu_store::congresses::milestones(&state.db, id).await?;
    Ok(Json(CongressView { congress, milestones, drafts }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusInput {
    /// `approve` or `send_back` (the committee above), `open` or `close` (the organisation).
    pub event: String,
    /// The day it happened; today when absent.
    pub on: Option<NaiveDate>,
    /// The committee's note; required when sending back.
    #[serde(default)]
    pub note: String,
}

/// Move the congress along its life (docs/state-machines/congress.md).
#[utoipa::path(post, path = "/congresses/{id}/status", tag = "congresses", params(("id" = i64, Path)),
    request_body = StatusInput,
    responses((status = 200, body = Congress), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<StatusInput>,
) -> JsonResult<Congress> {
    let event = Event::parse(&input.event)
        .ok_or_else(|| AppError::invalid("event", "Sự kiện là approve, send_back, open hoặc close"))?;
    let on = input.on.unwrap_or_else(dangvu_domain::calendar::today);
    Ok(Json(super::change_state(&state, &user, id, event, on, &input.note).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDraft {
    pub title: String,
    /// The text: one paragraph a line.
    pub text: String,
    pub comments_from: Option<NaiveDate>,
    pub comments_until: Option<NaiveDate>,
    /// The targets table (chỉ tiêu), kept as data beside the text.
    pub targets: Option<Vec<Target>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Paragraph {
    /// From 1.
    pub number: u32,
    pub text: String,
}

/// A draft and one of its versions, paragraph by paragraph.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftView {
    pub id: i64,
    pub congress_id: i64,
    pub title: String,
    pub comments_from: Option<NaiveDate>,
    pub comments_until: Option<NaiveDate>,
    /// Whether comments are taken today.
    pub open_for_comments: bool,
    /// The version shown (the latest unless asked).
    pub version: u32,
    pub latest_version: u32,
    pub sha256: String,
    pub versions: Vec<VersionHead>,
    pub paragraphs: Vec<Paragraph>,
    /// The version's targets table.
    pub targets: Vec<Target>,
}

async fn draft_view(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    id: i64,
    version: Option<u32>,
) -> Result<DraftView, AppError> {
    let (draft, seen, v) = super::version(state, user, id, version).await?;
    let congress = seen.congress;
    let today = dangvu_domain::calendar::today();
    let targets = dangvu_store::congresses::targets::of_version(&state.db, draft.id, v.version).await?;
    Ok(DraftView {
        targets,
        id: draft.id,
        congress_id: draft.congress_id,
        title: draft.title.clone(),
        comments_from: draft.comments_from,
        comments_until: draft.comments_until,
        open_for_comments: draft.open_for_comments(today)
            && congress.status != dangvu_domain::congresses::State::Closed,
        version: v.version,
        latest_version: draft.latest(),
        sha256: v.sha256,
        versions: draft.versions,
        paragraphs: v
            .paragraphs
            .into_iter()
            .enumerate()
            .map(|(i, text)| Paragraph { number: i as u32 + 1, text })
            .collect(),
    })
}

/// Write a draft of the congress's documents: its first version.
#[utoipa::path(post, path = "/congresses/{id}/drafts", tag = "congresses", params(("id" = i64, Path)),
    request_body = CreateDraft,
    responses((status = 201, body = DraftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CreateDraft>,
) -> Result<(StatusCode, Json<DraftView>), AppError> {
    let window = (input.comments_from, input.comments_until);
    let draft =
        super::create_draft(&state, &user, id, &input.title, &input.text, window, input.targets.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(draft_view(&state, &user, draft.id, None).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// The version to show; the latest when absent.
    pub version: Option<u32>,
}

/// A draft with the paragraphs of a version, numbered from 1.
#[utoipa::path(get, path = "/drafts/{id}", tag = "congresses", params(("id" = i64, Path), VersionParams),
    responses((status = 200, body = DraftView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_draft(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<VersionParams>,
) -> JsonResult<DraftView> {
    Ok(Json(draft_view(&state, &user, id, p.version).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewVersion {
    pub text: String,
    /// What changed, in a sentence.
    pub note: Option<String>,
    /// The version's targets table; the one before is carried when absent.
    pub targets: Option<Vec<Target>>,
}

/// Add the next version, kept whole; open comments follow their quoted text into it or are
/// marked outdated when it is gone.
#[utoipa::path(post, path = "/drafts/{id}/versions", tag = "congresses", params(("id" = i64, Path)),
    request_body = NewVersion,
    responses((status = 201, body = DraftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_version(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<NewVersion>,
) -> Result<(StatusCode, Json<DraftView>), AppError> {
    let note = input.note.as_deref().unwrap_or("");
    super::add_version(&state, &user, id, &input.text, note, input.targets.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(draft_view(&state, &user, id, None).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowInput {
    pub comments_from: Option<NaiveDate>,
    pub comments_until: Option<NaiveDate>,
}

/// Set the days the draft is open for comments.
#[utoipa::path(put, path = "/drafts/{id}/window", tag = "congresses", params(("id" = i64, Path)),
    request_body = WindowInput,
    responses((status = 200, body = DraftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_window(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<WindowInput>,
) -> JsonResult<DraftView> {
    super::set_window(&state, &user, id, (input.comments_from, input.comments_until)).await?;
    Ok(Json(draft_view(&state, &user, id, None).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    pub from: u32,
    pub to: u32,
}

/// One paragraph's fate between two versions, with its texts and, when changed, the words.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParagraphChange {
    /// `same`, `changed`, `added` or `removed`.
    pub change: &'static str,
    pub old_number: Option<u32>,
    pub new_number: Option<u32>,
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    /// For a changed paragraph: the words kept, inserted and deleted, in order.
    #[schema(value_type = Vec<Object>)]
    pub words: Vec<Span>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    pub from: u32,
    pub to: u32,
    pub same: u32,
    pub changed: u32,
    pub added: u32,
    pub removed: u32,
    pub paragraphs: Vec<ParagraphChange>,
}

/// Compare two versions paragraph by paragraph.
#[utoipa::path(get, path = "/drafts/{id}/compare", tag = "congresses", params(("id" = i64, Path), CompareParams),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compare_versions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<CompareParams>,
) -> JsonResult<Comparison> {
    Ok(Json(super::comparison(&state, &user, id, p.from, p.to).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentInput {
    pub version: u32,
    /// The paragraph's number in that version, from 1.
    pub paragraph: u32,
    /// The words the comment is about, inside the paragraph; the whole paragraph when absent.
    pub quote: Option<String>,
    pub text: String,
    /// Send on behalf of this organisation (in the account's scope, below the congress's);
    /// without it the comment is the signed-in member's own.
    #[schema(value_type = Option<i64>)]
    pub on_behalf_of_org_id: Option<OrgId>,
    /// How many of the organisation's members agreed at its meeting.
    pub members_agreeing: Option<u32>,
    /// Typed in from a paper comment.
    #[serde(default)]
    pub from_paper: bool,
}

/// Comment on a paragraph of a draft while it is open for comments.
#[utoipa::path(post, path = "/drafts/{id}/comments", tag = "congresses", params(("id" = i64, Path)),
    request_body = CommentInput,
    responses((status = 201, body = Comment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    let input = super::CommentInput {
        version: input.version,
        paragraph: input.paragraph,
        quote: input.quote.unwrap_or_default(),
        text: input.text,
        on_behalf_of: input.on_behalf_of_org_id,
        members_agreeing: input.members_agreeing,
        from_paper: input.from_paper,
    };
    Ok((StatusCode::CREATED, Json(super::add_comment(&state, &user, id, input).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentParams {
    /// Only those standing in this paragraph of the latest version.
    pub paragraph: Option<u32>,
    /// Only those without a disposition.
    #[serde(default)]
    pub undisposed: bool,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<Comment>,
    pub next_cursor: Option<String>,
}

/// The comments on a draft: a member sees their own, a unit its own, the congress's
/// organisation all of them, in the order they came.
#[utoipa::path(get, path = "/drafts/{id}/comments", tag = "congresses", params(("id" = i64, Path), CommentParams),
    responses((status = 200, body = CommentList), (status = 404, body = ErrorBody)))]
pub async fn comments(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<CommentParams>,
) -> JsonResult<CommentList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor }.resolve()?;
    let filter = CommentFilter { paragraph: p.paragraph, undisposed: p.undisposed, after_id: Some(after) };
    let items = super::comments(&state, &user, id, &filter, limit).await?;
    let next_cursor = next_cursor(items.last().map(|c| c.id), items.len(), limit);
    Ok(Json(CommentList { items, next_cursor }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupList {
    /// The same comment sent by many, the most sent first ("17 đơn vị đề nghị …").
    pub items: Vec<CommentGroup>,
}

/// The comments standing in a paragraph of the latest version, the same ones grouped and
/// counted (the congress's organisation).
#[utoipa::path(get, path = "/drafts/{id}/paragraphs/{number}/groups", tag = "congresses",
    params(("id" = i64, Path), ("number" = u32, Path)),
    responses((status = 200, body = GroupList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn groups(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    axum::extract::Path((id, number)): axum::extract::Path<(i64, u32)>,
) -> JsonResult<GroupList> {
    Ok(Json(GroupList { items: super::groups(&state, &user, id, number).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DispositionInput {
    /// `accepted`, `partly_accepted`, `not_accepted` or `noted`.
    pub disposition: String,
    pub reason: String,
}

/// The subcommittee's disposition of a comment, with its reason (tiếp thu, giải trình).
#[utoipa::path(put, path = "/draft-comments/{id}/disposition", tag = "congresses", params(("id" = i64, Path)),
    request_body = DispositionInput,
    responses((status = 200, body = Comment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn dispose(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<DispositionInput>,
) -> JsonResult<Comment> {
    let mut problems = Problems::new();
    let disposition = Disposition::parse(&input.disposition);
    if disposition.is_none() {
        problems.add("disposition", "Là accepted, partly_accepted, not_accepted hoặc noted");
    }
    dangvu_domain::congresses::check_reason(&input.reason, &mut problems);
    problems.finish().map_err(AppError::Invalid)?;
    let disposition = disposition.unwrap_or(Disposition::Noted);
    Ok(Json(super::dispose(&state, &user, id, disposition, &input.reason).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `pdf` (default) or `docx`.
    pub format: Option<String>,
}

/// The "báo cáo tiếp thu, giải trình": every comment with where it points, who sent it, the
/// disposition and the reason (the congress's organisation).
#[utoipa::path(get, path = "/drafts/{id}/disposition-report", tag = "congresses",
    params(("id" = i64, Path), ReportParams),
    responses((status = 200, description = "PDF or DOCX", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn disposition_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<axum::response::Response, AppError> {
    super::disposition_report(&state, &user, id, p.format.as_deref().unwrap_or("pdf")).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StepInput {
    /// `drafts_ready`, `comments_closed`, `personnel_approved`, `higher_review`, `delegates_elected`
    /// or `opening`.
    pub milestone: String,
    pub days_before: u32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanInput {
    /// The committee pushing the plan; it covers the organisations strictly below it.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub term: String,
    /// The kinds of organisation that hold their congress under it: `grassroots_committee`,
    /// `grassroots_cell`, `sub_committee`, `cell`, `committee`.
    pub kinds: Vec<String>,
    /// Congresses are held by this day.
    pub held_by: NaiveDate,
    /// The milestones, counted back from each congress's opening; the usual calendar when absent.
    pub milestones: Option<Vec<StepInput>>,
}

/// Push the plan of a term's congresses down to the organisations below: each congress created
/// under it gets its milestones as tasks.
#[utoipa::path(post, path = "/congress-plans", tag = "congresses", request_body = PlanInput,
    responses((status = 201, body = Plan), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn push_plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<(StatusCode, Json<Plan>), AppError> {
    let mut problems = Problems::new();
    let kinds = input
        .kinds
        .iter()
        .filter_map(|k| {
            let kind = dangvu_domain::orgs::OrgKind::parse(k);
            if kind.is_none() {
                problems.add("kinds", format!("Không có loại tổ chức \"{k}\""));
            }
            kind
        })
        .collect();
    let milestones = input.milestones.map(|steps| {
        steps
            .iter()
            .filter_map(|s| {
                let milestone = dangvu_domain::congresses::Milestone::parse(&s.milestone);
                if milestone.is_none() {
                    problems.add("milestones", format!("Không có mốc \"{}\"", s.milestone));
                }
                milestone.map(|milestone| dangvu_domain::congresses::Step { milestone, days_before: s.days_before })
            })
            .collect()
    });
    problems.finish().map_err(AppError::Invalid)?;
    let new = NewPlan { org_id: input.org_id, term: input.term, kinds, held_by: input.held_by, milestones };
    Ok((StatusCode::CREATED, Json(super::push_plan(&state, &user, new).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlansParams {
    #[param(value_type = i64)]
    pub org_id: OrgId,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanList {
    /// Pushed by the organisation or the committees above it, the highest first.
    pub items: Vec<Plan>,
}

/// The plans that reach an organisation.
#[utoipa::path(get, path = "/congress-plans", tag = "congresses", params(PlansParams),
    responses((status = 200, body = PlanList), (status = 404, body = ErrorBody)))]
pub async fn plans(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<PlansParams>,
) -> JsonResult<PlanList> {
    Ok(Json(PlanList { items: super::plans(&state, &user, p.org_id).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// Like `2025-2030`.
    pub term: String,
    /// The day; today when absent.
    pub on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressList {
    /// One entry per plan of the term that reaches the subtree.
    pub items: Vec<PlanProgress>,
}

/// Where a subtree stands in a term's congress cycle on a day: how many organisations have
/// held their congress (on time or late), which are late, which milestones were missed.
#[utoipa::path(get, path = "/orgs/{id}/congress-progress", tag = "congresses", params(("id" = i64, Path), ProgressParams),
    responses((status = 200, body = ProgressList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> JsonResult<ProgressList> {
    let on = crate::scope::date_or_today(p.on.as_deref(), "on")?;
    Ok(Json(ProgressList { items: super::progress(&state, &user, id, &p.term, on).await? }))
}

fn change_of(c: Change, old: &[String], new: &[String]) -> ParagraphChange {
    let text = |v: &[String], n: usize| v.get(n - 1).cloned();
    match c {
        Change::Same { old: o, new: n } => ParagraphChange {
            change: "same",
            old_number: Some(o as u32),
            new_number: Some(n as u32),
            old_text: None,
            new_text: text(new, n),
            words: Vec::new(),
        },
        Change::Changed { old: o, new: n } => ParagraphChange {
            change: "changed",
            old_number: Some(o as u32),
            new_number: Some(n as u32),
            words: word_changes(&old[o - 1], &new[n - 1]),
            old_text: text(old, o),
            new_text: text(new, n),
        },
        Change::Added { new: n } => ParagraphChange {
            change: "added",
            old_number: None,
            new_number: Some(n as u32),
            old_text: None,
            new_text: text(new, n),
            words: Vec::new(),
        },
        Change::Removed { old: o } => ParagraphChange {
            change: "removed",
            old_number: Some(o as u32),
            new_number: None,
            old_text: text(old, o),
            new_text: None,
            words: Vec::new(),
        },
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanParams {
    /// The file's name, with its extension (`phieu-gop-y.pdf`, `.jpg`, `.png`).
    pub name: String,
}

/// Attach the scanned page of a comment typed in from paper (the raw bytes as the body, at
/// most 20 MB); download it from `/api/v1/files/{file_id}`.
#[utoipa::path(post, path = "/draft-comments/{id}/scan", tag = "congresses", params(("id" = i64, Path), ScanParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Comment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach_scan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<ScanParams>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<Comment>), AppError> {
    let file = async move { crate::files::read_body(body).await.map(|data| (p.name, data)) };
    Ok((StatusCode::CREATED, Json(super::attach_scan(&state, &user, id, file).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyCongresses {
    /// The account's own organisation's and those above, not yet closed, the nearest first.
    pub items: Vec<super::MyCongress>,
}

/// The congresses the signed-in account (a member: their cell) reads and comments on.
#[utoipa::path(get, path = "/me/congresses", tag = "congresses", responses((status = 200, body = MyCongresses)))]
pub async fn mine(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<MyCongresses> {
    Ok(Json(MyCongresses { items: super::mine(&state, &user).await? }))
}

pub fn comparison_of(from: u32, to: u32, old: &[String], new: &[String]) -> Comparison {
    let changes = compare(old, new);
    let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count() as u32;
    Comparison {
        from,
        to,
        same: count(|c| matches!(c, Change::Same { .. })),
        changed: count(|c| matches!(c, Change::Changed { .. })),
        added: count(|c| matches!(c, Change::Added { .. })),
        removed: count(|c| matches!(c, Change::Removed { .. })),
        paragraphs: changes.into_iter().map(|c| change_of(c, old, new)).collect(),
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get))
        .routes(routes!(change_status))
        .routes(routes!(create_draft))
        .routes(routes!(get_draft))
        .routes(routes!(add_version))
        .routes(routes!(set_window))
        .routes(routes!(compare_versions))
        .routes(routes!(add_comment, comments))
        .routes(routes!(groups))
        .routes(routes!(dispose))
        .routes(routes!(attach_scan))
        .routes(routes!(disposition_report))
        .routes(routes!(push_plan, plans))
        .routes(routes!(progress))
        .routes(routes!(mine))
}
