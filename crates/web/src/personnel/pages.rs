//! The personnel pages: the gaps and limits of a subtree (`/personnel`), an organisation's
//! posts (`/orgs/{id}/personnel`) and its planning pools (`/orgs/{id}/planning`). An account
//! without the personnel grant gets 404 on each, as for a page that does not exist.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::personnel::Post;
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::personnel::{Holder, LimitsReport, OrgPosts, Pool, SeatCount};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::pages::{Layout, PageForm, PageId, PageQuery, PageResult, PageRoutes, PageUser, render_with};
use crate::scope::{date_or_today, optional_date};

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/personnel", get(limits))
        .route("/orgs/{id}/personnel", get(posts))
        .route("/orgs/{id}/personnel/seats", post(seats))
        .route("/orgs/{id}/personnel/holders", post(appoint))
        .route("/personnel/holders/{id}/end", post(end))
        .route("/orgs/{id}/planning", get(planning).post(add))
        .route("/planning/{id}/removal", post(removal))
        .route("/planning/{id}/standards", post(standards))
        .route("/congresses/{id}/personnel-plan", get(plan_show).post(plan_save))
        .route("/congresses/{id}/personnel-plan/events", post(plan_event))
        .route("/orgs/{id}/nominations", post(case_open))
        .route("/nominations/{id}", get(case_show))
        .route("/nominations/{id}/conference", post(case_conference))
        .route("/nominations/{id}/steps", post(case_step))
}

fn date_or_empty(d: Option<chrono::NaiveDate>) -> String {
    d.map(vi::date).unwrap_or_default()
}

/// A holder as a row of a table.
pub struct HolderRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub post: String,
    pub name: String,
    pub age: String,
    pub term: String,
    pub terms: u32,
    pub since: String,
    pub until: String,
    pub retires_on: String,
    pub limits: Vec<String>,
    pub how: String,
    pub reason: String,
}

fn holder_row(h: &Holder) -> HolderRow {
    let post = match &h.body_name {
        Some(b) => format!("{} ({b})", h.post_label),
        None => h.post_label.to_owned(),
    };
    HolderRow {
        id: h.id,
        org_id: i64::from(h.org_id),
        org_name: h.org_name.clone(),
        post,
        name: h.full_name.clone(),
        age: h.age.map(|a| a.to_string()).unwrap_or_default(),
        term: h.term.clone(),
        terms: h.consecutive_terms,
        since: vi::date(h.since),
        until: date_or_empty(h.until),
        retires_on: date_or_empty(h.retires_on),
        limits: h
            .limits
            .iter()
            .map(|l| match l.on {
                Some(on) => format!("{} ({})", l.label, vi::date(on)),
                None => l.label.to_owned(),
            })
            .collect(),
        how: match (&h.decision, h.election_id) {
            (Some(d), _) => d.clone(),
            (None, Some(e)) => format!("Bầu cử #{e}"),
            (None, None) => String::new(),
        },
        reason: h.end_reason.clone().unwrap_or_default(),
    }
}

// ------------------------------------------------------------------ gaps and limits

#[derive(Deserialize)]
pub struct LimitsQuery {
    org_id: Option<i64>,
    on: Option<String>,
}

#[derive(Template)]
#[template(path = "personnel/limits.html")]
struct LimitsPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    on: String,
    report: LimitsReport,
    limits: Vec<HolderRow>,
    cases: Vec<CaseRow>,
    open_cases: usize,
    late_cases: usize,
}

async fn limits(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<LimitsQuery>,
) -> PageResult {
    let on = date_or_today(q.on.as_deref(), "on")?;
    let (org, report, cases) = super::limits(&state, &user, q.org_id.map(OrgId::from), on).await?;
    let limits = report.limits.iter().map(holder_row).collect();
    let cases: Vec<CaseRow> = cases.iter().map(case_row).collect();
    let page = LimitsPage {
        open_cases: cases.iter().filter(|c| c.open).count(),
        late_cases: cases.iter().filter(|c| c.open && !c.late.is_empty()).count(),
        cases,
        layout: Layout::new(&user, "personnel"),
        org_id: i64::from(org.id),
        org_name: org.name,
        on: vi::date(on),
        report,
        limits,
    };
    Ok(render_with(axum::http::StatusCode::OK, &page))
}

// ------------------------------------------------------------------ an organisation's posts

pub struct PostView {
    pub label: String,
    pub post: &'static str,
    pub body_id: String,
    pub seats: u32,
    pub seats_set: bool,
    pub holders: Vec<HolderRow>,
}

#[derive(Template)]
#[template(path = "personnel/posts.html")]
struct PostsPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    posts: Vec<PostView>,
    past: Vec<HolderRow>,
    keeps: bool,
    post_kinds: Vec<(&'static str, &'static str)>,
    bodies: Vec<(i64, String)>,
    today: String,
    errors: Vec<FieldError>,
}

async fn posts_page(state: &AppState, user: &SessionUser, org_id: OrgId, errors: Vec<FieldError>) -> PageResult {
    let OrgPosts { org_id, org_name, posts, past } = super::posts(state, user, org_id).await?;
    let bodies = dangvu_store::orgs::bodies(&state.db, org_id).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let page = PostsPage {
        layout: Layout::new(user, "personnel"),
        org_id: i64::from(org_id),
        org_name,
        posts: posts
            .iter()
            .map(|p| PostView {
                label: match &p.body_name {
                    Some(b) => format!("{} ({b})", p.post_label),
                    None => p.post_label.to_owned(),
                },
                post: p.post.as_str(),
                body_id: p.body_id.map(|b| b.to_string()).unwrap_or_default(),
                seats: p.seats,
                seats_set: p.seats_set,
                holders: p.holders.iter().map(holder_row).collect(),
            })
            .collect(),
        past: past.iter().map(holder_row).collect(),
        keeps: super::keeps_personnel(user),
        post_kinds: Post::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        bodies,
        today: calendar::today().to_string(),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

async fn posts(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId<OrgId>) -> PageResult {
    posts_page(&state, &user, id, Vec::new()).await
}

/// Back to the posts page, or the page again with the errors.
async fn back_to_posts<T>(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    result: Result<T, AppError>,
) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/personnel", i64::from(org_id))).into_response()),
        Err(AppError::Invalid(errors)) => posts_page(state, user, org_id, errors).await,
        Err(e) => Err(e.into()),
    }
}

fn body_of(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| AppError::invalid("body_id", "Ban không hợp lệ")),
    }
}

#[derive(Deserialize)]
pub struct SeatForm {
    post: String,
    #[serde(default)]
    body_id: String,
    seats: String,
}

async fn seats(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<SeatForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let seats =
            form.seats.trim().parse::<u32>().map_err(|_| AppError::invalid("seats", "Hãy ghi một số nguyên"))?;
        let seat = SeatCount { post: super::post_of(&form.post)?, body_id: body_of(&form.body_id)?, seats };
        super::set_seats(&state, &user, id, vec![seat]).await
    }
    .await;
    back_to_posts(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct AppointForm {
    post: String,
    #[serde(default)]
    body_id: String,
    member_id: String,
    term: String,
    since: String,
    #[serde(default)]
    until: String,
    decision: String,
}

fn member_of(raw: &str) -> Result<MemberId, AppError> {
    raw.trim()
        .parse::<i64>()
        .map(MemberId::from)
        .map_err(|_| AppError::invalid("member_id", "Ghi mã số đảng viên trong danh sách (số ở cuối đường dẫn hồ sơ)"))
}

fn required_date(raw: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    optional_date(Some(raw), field)?.ok_or_else(|| AppError::invalid(field, "Hãy chọn ngày"))
}

async fn appoint(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<AppointForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let a = super::Appointment {
            post: form.post.clone(),
            body_id: body_of(&form.body_id)?,
            member_id: member_of(&form.member_id)?,
            term: form.term.clone(),
            since: required_date(&form.since, "since")?,
            until: optional_date(Some(&form.until), "until")?,
            decision: form.decision.clone(),
        };
        super::appoint(&state, &user, id, a).await
    }
    .await;
    back_to_posts(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct EndForm {
    org_id: i64,
    until: String,
    reason: String,
}

async fn end(State(state): State<AppState>, PageId(id): PageId, f: PageForm<EndForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let until = required_date(&form.until, "until")?;
        super::end_holding(&state, &user, id, until, &form.reason).await
    }
    .await;
    back_to_posts(&state, &user, OrgId::from(form.org_id), result).await
}

// ------------------------------------------------------------------ planning

#[derive(Deserialize)]
pub struct PlanningQuery {
    term: Option<String>,
    on: Option<String>,
}

pub struct EntryRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub gender: &'static str,
    pub age: u32,
    pub posts_in_term: u32,
    pub standards: Vec<(String, bool)>,
    pub met: usize,
    pub added: String,
    pub removed: String,
    pub notes: Vec<&'static str>,
}

pub struct PoolView {
    pub label: String,
    pub people: Vec<EntryRow>,
    pub figures: dangvu_domain::personnel::PoolFigures,
}

#[derive(Template)]
#[template(path = "personnel/planning.html")]
struct PlanningPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    term: String,
    on: String,
    term_starts: String,
    pools: Vec<PoolView>,
    level: dangvu_domain::personnel::PoolFigures,
    removed: Vec<EntryRow>,
    standards: Vec<String>,
    keeps: bool,
    post_kinds: Vec<(&'static str, &'static str)>,
    bodies: Vec<(i64, String)>,
    today: String,
    errors: Vec<FieldError>,
}

/// The term planned by default: the next one after the current term's (five years on).
fn default_term() -> String {
    let year = chrono::Datelike::year(&calendar::today());
    let start = 2030 + ((year - 2026).max(0) / 5) * 5;
    format!("{start}-{}", start + 5)
}

fn entry_row(e: &dangvu_store::personnel::PlanningEntry, checklist: &[String]) -> EntryRow {
    let mut notes = Vec::new();
    if e.check.young {
        notes.push("Cán bộ trẻ");
    }
    if e.check.short_of_working_time {
        notes.push("Không đủ tuổi công tác trọn nhiệm kỳ");
    }
    if e.check.too_many_posts {
        notes.push("Quy hoạch quá số chức danh");
    }
    EntryRow {
        id: e.id,
        name: e.full_name.clone(),
        unit: e.unit.clone(),
        gender: e.gender.label(),
        age: e.age_at_term_start,
        posts_in_term: e.posts_in_term,
        standards: checklist.iter().map(|s| (s.clone(), e.standards.contains(s))).collect(),
        met: e.standards.iter().filter(|s| checklist.contains(s)).count(),
        added: format!("{} — {}", vi::date(e.added_on), e.added_decision),
        removed: match (e.removed_on, &e.removed_decision, &e.removed_reason) {
            (Some(on), Some(d), Some(r)) => format!("{} — {d}: {r}", vi::date(on)),
            _ => String::new(),
        },
        notes,
    }
}

async fn planning_page(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    term: Option<String>,
    on: Option<String>,
    errors: Vec<FieldError>,
) -> PageResult {
    let term = term.filter(|t| !t.trim().is_empty()).unwrap_or_else(default_term);
    let on = date_or_today(on.as_deref(), "on")?;
    let Pool { org_name, term, term_starts, posts, level, removed, standards, .. } =
        super::pool(state, user, org_id, &term, on).await?;
    let bodies = dangvu_store::orgs::bodies(&state.db, org_id).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let page = PlanningPage {
        layout: Layout::new(user, "personnel"),
        org_id: i64::from(org_id),
        org_name,
        term,
        on: vi::date(on),
        term_starts: vi::date(term_starts),
        pools: posts
            .iter()
            .map(|p| PoolView {
                label: match &p.body_name {
                    Some(b) => format!("{} ({b})", p.post_label),
                    None => p.post_label.to_owned(),
                },
                people: p.people.iter().map(|e| entry_row(e, &standards)).collect(),
                figures: p.figures.clone(),
            })
            .collect(),
        level,
        removed: removed.iter().map(|e| entry_row(e, &standards)).collect(),
        standards,
        keeps: super::keeps_personnel(user),
        post_kinds: Post::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        bodies,
        today: calendar::today().to_string(),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

async fn planning(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<OrgId>,
    PageQuery(q): PageQuery<PlanningQuery>,
) -> PageResult {
    planning_page(&state, &user, id, q.term, q.on, Vec::new()).await
}

async fn back_to_planning<T>(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    term: &str,
    result: Result<T, AppError>,
) -> PageResult {
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/orgs/{}/planning?term={}", i64::from(org_id), crate::pages::urlencode(term)))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => planning_page(state, user, org_id, Some(term.to_owned()), None, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    term: String,
    post: String,
    #[serde(default)]
    body_id: String,
    member_id: String,
    added_on: String,
    decision: String,
}

async fn add(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<AddForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let a = super::PlanningAddition {
            term: form.term.clone(),
            post: form.post.clone(),
            body_id: body_of(&form.body_id)?,
            member_id: member_of(&form.member_id)?,
            added_on: required_date(&form.added_on, "added_on")?,
            decision: form.decision.clone(),
            standards: Vec::new(),
        };
        super::add_to_pool(&state, &user, id, a).await
    }
    .await;
    back_to_planning(&state, &user, id, &form.term, result).await
}

#[derive(Deserialize)]
pub struct RemovalForm {
    org_id: i64,
    term: String,
    removed_on: String,
    decision: String,
    reason: String,
}

async fn removal(State(state): State<AppState>, PageId(id): PageId, f: PageForm<RemovalForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = required_date(&form.removed_on, "removed_on")?;
        super::remove_from_pool(&state, &user, id, on, &form.decision, &form.reason).await
    }
    .await;
    back_to_planning(&state, &user, OrgId::from(form.org_id), &form.term, result).await
}

async fn standards(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<Vec<(String, String)>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let value = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let org_id = OrgId::from(value("org_id").parse::<i64>().unwrap_or(0));
    let term = value("term");
    let met: Vec<String> = form.iter().filter(|(n, _)| n == "standard").map(|(_, v)| v.clone()).collect();
    let result = super::set_standards(&state, &user, id, met).await;
    back_to_planning(&state, &user, org_id, &term, result).await
}

// ------------------------------------------------------------------ the congress personnel plan

pub struct PlanPostRow {
    pub post: &'static str,
    pub label: &'static str,
    pub seats: String,
    pub candidates: String,
    pub names: String,
    pub count: usize,
}

pub struct ComparisonRow {
    pub label: &'static str,
    pub counted: bool,
    pub departed: bool,
    pub planned_seats: u32,
    pub elected_seats: u32,
    pub not_elected: String,
    pub elected_outside: String,
}

#[derive(Template)]
#[template(path = "personnel/plan.html")]
struct PlanPage {
    layout: Layout,
    congress_id: i64,
    congress_title: String,
    org_name: String,
    exists: bool,
    state: &'static str,
    state_label: &'static str,
    editable: bool,
    note: String,
    decision: String,
    returned_reason: String,
    posts: Vec<PlanPostRow>,
    comparison: Vec<ComparisonRow>,
    keeps: bool,
    above: bool,
    today: String,
    errors: Vec<FieldError>,
}

/// The posts a congress elects, in the plan's order.
const PLANNED_POSTS: [Post; 6] = [
    Post::ExecutiveCommittee,
    Post::StandingBoard,
    Post::Secretary,
    Post::DeputySecretary,
    Post::InspectionCommittee,
    Post::InspectionChair,
];

async fn plan_page(state: &AppState, user: &SessionUser, congress_id: i64, errors: Vec<FieldError>) -> PageResult {
    let (seen, plan, comparison) = super::plan(state, user, congress_id).await?;
    let posts = PLANNED_POSTS
        .iter()
        .map(|post| {
            let planned = plan.as_ref().and_then(|p| p.posts.iter().find(|x| x.post == *post));
            PlanPostRow {
                post: post.as_str(),
                label: post.label(),
                seats: planned.map(|p| p.seats.to_string()).unwrap_or_default(),
                candidates: planned.map(|p| p.candidates).filter(|c| *c > 0).map(|c| c.to_string()).unwrap_or_default(),
                names: planned
                    .map(|p| p.names.iter().map(|n| n.full_name.as_str()).collect::<Vec<_>>().join("\n"))
                    .unwrap_or_default(),
                count: planned.map(|p| p.names.len()).unwrap_or(0),
            }
        })
        .collect();
    let page = PlanPage {
        layout: Layout::new(user, "personnel"),
        congress_id,
        congress_title: seen.congress.title.clone(),
        org_name: seen.org.name.clone(),
        exists: plan.is_some(),
        state: plan.as_ref().map(|p| p.state.as_str()).unwrap_or("draft"),
        state_label: plan.as_ref().map(|p| p.state_label).unwrap_or("Chưa lập"),
        editable: plan.as_ref().is_none_or(|p| p.state.is_editable()),
        note: plan.as_ref().map(|p| p.note.clone()).unwrap_or_default(),
        decision: plan
            .as_ref()
            .and_then(|p| {
                p.decision
                    .clone()
                    .map(|d| format!("{d}{}", p.decided_on.map(|on| format!(", {}", vi::date(on))).unwrap_or_default()))
            })
            .unwrap_or_default(),
        returned_reason: plan.as_ref().and_then(|p| p.returned_reason.clone()).unwrap_or_default(),
        posts,
        comparison: comparison
            .iter()
            .map(|c| ComparisonRow {
                label: c.post_label,
                counted: c.counted,
                departed: c.departed,
                planned_seats: c.departures.planned_seats,
                elected_seats: c.departures.elected_seats,
                not_elected: c.departures.not_elected.join(", "),
                elected_outside: c.departures.elected_outside.join(", "),
            })
            .collect(),
        keeps: super::keeps_personnel(user),
        above: crate::scope::is_strictly_above(user, &seen.org),
        today: calendar::today().to_string(),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

async fn plan_show(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    plan_page(&state, &user, id, Vec::new()).await
}

async fn back_to_plan<T>(state: &AppState, user: &SessionUser, id: i64, result: Result<T, AppError>) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/congresses/{id}/personnel-plan")).into_response()),
        Err(AppError::Invalid(errors)) => plan_page(state, user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

/// The form: `seats.{post}`, `candidates.{post}`, `names.{post}` (one name a line) per post; a
/// post with no seats is left out of the plan.
async fn plan_save(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<std::collections::HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let get = |k: String| form.get(&k).map(|s| s.trim().to_owned()).unwrap_or_default();
        let mut posts = Vec::new();
        for (i, post) in PLANNED_POSTS.iter().enumerate() {
            let seats = get(format!("seats.{}", post.as_str()));
            if seats.is_empty() {
                continue;
            }
            let number = |raw: &str| {
                raw.parse::<u32>().map_err(|_| {
                    AppError::invalid(&format!("posts[{i}]"), format!("{}: hãy ghi số nguyên", post.label()))
                })
            };
            let candidates = get(format!("candidates.{}", post.as_str()));
            let names = get(format!("names.{}", post.as_str()))
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| (None, l.to_owned()))
                .collect();
            posts.push(dangvu_store::personnel::plans::PostContent {
                post: *post,
                seats: number(&seats)?,
                candidates: if candidates.is_empty() { 0 } else { number(&candidates)? },
                names,
            });
        }
        let content = dangvu_store::personnel::plans::PlanContent { note: get("note".into()), posts };
        super::save_plan(&state, &user, id, content).await
    }
    .await;
    back_to_plan(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct PlanEventForm {
    event: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    reason: String,
}

async fn plan_event(State(state): State<AppState>, PageId(id): PageId, f: PageForm<PlanEventForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = optional_date(Some(&form.decided_on), "decided_on")?;
        super::plan_event(&state, &user, id, &form.event, &form.decision, on, &form.reason).await
    }
    .await;
    back_to_plan(&state, &user, id, result).await
}

// ------------------------------------------------------------------ the five-step procedure

pub struct CaseRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub step: &'static str,
    pub open: bool,
    pub late: String,
    pub due: String,
}

fn late_words(late: &[&'static str]) -> String {
    late.iter()
        .map(|l| match *l {
            "policy" => "quá hạn quyết định chủ trương",
            "start" => "quá hạn bắt đầu",
            _ => "quá hạn hoàn thành",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn case_row(c: &dangvu_store::personnel::nominations::Case) -> CaseRow {
    let due = match (c.step, c.deadlines.complete_by, c.deadlines.start_by, c.deadlines.policy_by) {
        (s, _, _, _) if !s.is_open() => String::new(),
        (_, Some(d), _, _) => format!("hoàn thành trước {}", vi::date(d)),
        (_, None, Some(d), _) => format!("bắt đầu trước {}", vi::date(d)),
        (_, None, None, Some(d)) => format!("chủ trương trước {}", vi::date(d)),
        _ => String::new(),
    };
    CaseRow {
        id: c.id,
        org_id: i64::from(c.org_id),
        org_name: c.org_name.clone(),
        title: c.title.clone(),
        step: c.step_label,
        open: c.step.is_open(),
        late: late_words(&c.late),
        due,
    }
}

#[derive(Template)]
#[template(path = "personnel/nomination.html")]
struct CasePage {
    layout: Layout,
    c: dangvu_store::personnel::nominations::Case,
    row: CaseRow,
    votes: bool,
    conference: Option<(i64, u32, u32)>,
    steps: Vec<(&'static str, String, String, String)>,
    keeps: bool,
    today: String,
    errors: Vec<FieldError>,
}

async fn case_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let c = super::case(state, user, id).await?;
    let conference = c.conferences.iter().find(|x| x.step == c.step).map(|x| (x.election_id, x.summoned, x.present));
    let page = CasePage {
        layout: Layout::new(user, "personnel"),
        row: case_row(&c),
        votes: c.step.votes(),
        conference,
        steps: c
            .steps
            .iter()
            .map(|s| (s.label, vi::date(s.completed_on), s.note.clone(), s.chosen_name.clone().unwrap_or_default()))
            .collect(),
        keeps: super::keeps_personnel(user),
        today: calendar::today().to_string(),
        c,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

async fn case_show(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    case_page(&state, &user, id, Vec::new()).await
}

async fn back_to_case<T>(state: &AppState, user: &SessionUser, id: i64, result: Result<T, AppError>) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/nominations/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => case_page(state, user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CaseForm {
    post: String,
    #[serde(default)]
    body_id: String,
    purpose: String,
    source: String,
    title: String,
    requested_on: String,
}

async fn case_open(State(state): State<AppState>, PageId(org): PageId<OrgId>, f: PageForm<CaseForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let r = super::CaseRequest {
            post: form.post.clone(),
            body_id: body_of(&form.body_id)?,
            purpose: form.purpose.clone(),
            source: form.source.clone(),
            title: form.title.clone(),
            requested_on: required_date(&form.requested_on, "requested_on")?,
        };
        super::open_case(&state, &user, org, r).await
    }
    .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/nominations/{}", c.id)).into_response()),
        Err(AppError::Invalid(errors)) => posts_page(&state, &user, org, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ConferenceForm {
    summoned: String,
    present: String,
    names: String,
}

async fn case_conference(State(state): State<AppState>, PageId(id): PageId, f: PageForm<ConferenceForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let number = |raw: &str, field: &str| {
            raw.trim().parse::<u32>().map_err(|_| AppError::invalid(field, "Hãy ghi một số nguyên"))
        };
        let names = form.names.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        super::open_conference(
            &state,
            &user,
            id,
            number(&form.summoned, "summoned")?,
            number(&form.present, "present")?,
            names,
        )
        .await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct StepForm {
    event: String,
    on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    decision: String,
}

async fn case_step(State(state): State<AppState>, PageId(id): PageId, f: PageForm<StepForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = required_date(&form.on, "on")?;
        super::step(&state, &user, id, &form.event, on, form.note.clone(), form.decision.clone()).await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}
