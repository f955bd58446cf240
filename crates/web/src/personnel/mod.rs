//! Personnel work (công tác cán bộ): the posts of each organisation, their holders and limits,
//! the gaps of a subtree, and the planning pools. The most sensitive data of dangvu: only an
//! account given the personnel grant reads it, inside its scope; every other account finds
//! nothing there (404, as for what does not exist), and every read is written to the audit log.
//! Changes are the Organisation board's (an admin or organizer with the grant).

pub mod api;
pub mod pages;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::personnel::Post;
use dangvu_store::accounts::{self, Scope, SessionUser, User};
use dangvu_store::audit::Subject;
use dangvu_store::orgs::Org;
use dangvu_store::personnel::{
    self, LimitsReport, NewHolder, NewPlanningEntry, OrgPosts, Pool, SeatCount, planning::entry_org, posts::holder_org,
};
use dangvu_store::settings;

use crate::AppState;
use crate::error::AppError;
use crate::scope::{require_admin, visible_org};
use crate::usecase::{actor, in_tx};

/// Whether the account reads personnel data at all (the navigation shows it only then).
pub fn reads_personnel(user: &SessionUser) -> bool {
    user.user.personnel && user.user.active
}

/// An organisation whose personnel data the account reads: the grant and the scope, or 404.
async fn personnel_org(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<Org, AppError> {
    if !reads_personnel(user) {
        return Err(AppError::NotFound);
    }
    visible_org(state, user, org_id, calendar::today()).await
}

/// As [`personnel_org`], for a change: the Organisation board's (admin or organizer).
async fn kept_org(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<Org, AppError> {
    let org = personnel_org(state, user, org_id).await?;
    if !user.user.role.may_change_orgs() {
        return Err(AppError::Forbidden("Chỉ Ban Tổ chức thay đổi được dữ liệu công tác cán bộ".into()));
    }
    Ok(org)
}

/// Whether the account changes personnel data (the pages show the forms only then).
pub fn keeps_personnel(user: &SessionUser) -> bool {
    reads_personnel(user) && user.user.role.may_change_orgs()
}

async fn log_read(state: &AppState, user: &SessionUser, subject: Subject, what: &str) -> Result<(), AppError> {
    in_tx(state, async |tx| personnel::log_read(tx, &actor(user), subject, what).await).await
}

/// Gives or takes back an account's personnel grant (an admin, for an account in scope).
pub async fn grant(state: &AppState, user: &SessionUser, user_id: i64, granted: bool) -> Result<User, AppError> {
    require_admin(user)?;
    let target = accounts::user(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    match target.org_id {
        None if user.scope != Scope::Tree => return Err(AppError::NotFound),
        Some(org) => {
            visible_org(state, user, org, calendar::today()).await?;
        }
        None => {}
    }
    in_tx(state, async |tx| personnel::set_grant(tx, &actor(user), user_id, granted).await).await?;
    accounts::user(&state.db, user_id).await?.ok_or(AppError::NotFound)
}

/// The gaps and limits of the subtree of `org_id` (the account's own when absent), on `on`,
/// with the subtree's cases of the five-step procedure they count.
pub async fn limits(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    on: NaiveDate,
) -> Result<(Org, LimitsReport, Vec<Case>), AppError> {
    if !reads_personnel(user) {
        return Err(AppError::NotFound);
    }
    let org = crate::scope::scope_org(state, user, org_id).await?;
    let s = settings::get(&state.db).await?;
    let cases = nominations::cases_in(&state.db, &org.path, &s.personnel_rules.nomination, &s.holidays, on).await?;
    let report = personnel::limits(&state.db, &org.path, &s.personnel_rules, &cases, on).await?;
    log_read(state, user, Subject::org(org.id), "limits").await?;
    Ok((org, report, cases))
}

/// The posts of one organisation with their holders.
pub async fn posts(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<OrgPosts, AppError> {
    let org = personnel_org(state, user, org_id).await?;
    let rules = settings::get(&state.db).await?.personnel_rules;
    let posts = personnel::org_posts(&state.db, org.id, &org.name, &rules, calendar::today()).await?;
    log_read(state, user, Subject::org(org.id), "posts").await?;
    Ok(posts)
}

pub async fn set_seats(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    seats: Vec<SeatCount>,
) -> Result<OrgPosts, AppError> {
    kept_org(state, user, org_id).await?;
    if seats.is_empty() || seats.len() > 100 {
        return Err(AppError::invalid("seats", "Ghi số lượng của 1 đến 100 chức danh"));
    }
    in_tx(state, async |tx| personnel::set_seats(tx, &actor(user), org_id, &seats).await).await?;
    posts(state, user, org_id).await
}

/// An appointment as a client or a form gives it.
pub struct Appointment {
    pub post: String,
    pub body_id: Option<i64>,
    pub member_id: MemberId,
    pub term: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub decision: String,
}

pub fn post_of(raw: &str) -> Result<Post, AppError> {
    Post::parse(raw.trim()).ok_or_else(|| AppError::invalid("post", "Chức danh không hợp lệ"))
}

/// A member named in personnel input: in the registry and in the account's scope.
async fn member_in_scope(state: &AppState, user: &SessionUser, member_id: MemberId) -> Result<(), AppError> {
    let cell = dangvu_store::members::cell_of(&state.db, member_id).await?;
    match cell {
        Some(o) if visible_org(state, user, o, calendar::today()).await.is_ok() => Ok(()),
        _ => Err(AppError::invalid("member_id", "Không có đảng viên này trong phạm vi của bạn")),
    }
}

pub async fn appoint(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    a: Appointment,
) -> Result<OrgPosts, AppError> {
    kept_org(state, user, org_id).await?;
    let post = post_of(&a.post)?;
    if a.since > calendar::today() {
        return Err(AppError::invalid("since", "Ngày bắt đầu không sau hôm nay"));
    }
    member_in_scope(state, user, a.member_id).await?;
    let new = NewHolder {
        org_id,
        post,
        body_id: a.body_id,
        member_id: a.member_id,
        term: a.term,
        since: a.since,
        until: a.until,
        decision: a.decision,
    };
    in_tx(state, async |tx| personnel::record_holder(tx, &actor(user), new).await).await?;
    posts(state, user, org_id).await
}

/// A holder steps down; answers the organisation's posts.
pub async fn end_holding(
    state: &AppState,
    user: &SessionUser,
    holder_id: i64,
    until: NaiveDate,
    reason: &str,
) -> Result<OrgPosts, AppError> {
    let org_id = holder_org(&state.db, holder_id).await?.ok_or(AppError::NotFound)?;
    kept_org(state, user, org_id).await?;
    if until > calendar::today() {
        return Err(AppError::invalid("until", "Ngày thôi giữ chức không sau hôm nay"));
    }
    in_tx(state, async |tx| personnel::end_holder(tx, &actor(user), holder_id, until, reason).await).await?;
    posts(state, user, org_id).await
}

/// The planning of an organisation for a term, on `on`.
pub async fn pool(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    term: &str,
    on: NaiveDate,
) -> Result<Pool, AppError> {
    let org = personnel_org(state, user, org_id).await?;
    let rules = settings::get(&state.db).await?.personnel_rules;
    let pool = personnel::pool(&state.db, org.id, &org.name, term, on, &rules).await?;
    log_read(state, user, Subject::org(org.id), "planning").await?;
    Ok(pool)
}

pub struct PlanningAddition {
    pub term: String,
    pub post: String,
    pub body_id: Option<i64>,
    pub member_id: MemberId,
    pub added_on: NaiveDate,
    pub decision: String,
    pub standards: Vec<String>,
}

pub async fn add_to_pool(
    state: &AppState,
    user: &SessionUser,
    org_id: OrgId,
    a: PlanningAddition,
) -> Result<Pool, AppError> {
    kept_org(state, user, org_id).await?;
    let post = post_of(&a.post)?;
    if a.added_on > calendar::today() {
        return Err(AppError::invalid("added_on", "Ngày quyết định không sau hôm nay"));
    }
    member_in_scope(state, user, a.member_id).await?;
    let rules = settings::get(&state.db).await?.personnel_rules;
    let term = a.term.clone();
    let new = NewPlanningEntry {
        org_id,
        post,
        body_id: a.body_id,
        term: a.term,
        member_id: a.member_id,
        added_on: a.added_on,
        decision: a.decision,
        standards: a.standards,
    };
    in_tx(state, async |tx| personnel::add_to_pool(tx, &actor(user), new, &rules).await).await?;
    pool(state, user, org_id, &term, calendar::today()).await
}

/// The organisation and term of a pool entry the account keeps.
async fn kept_entry(state: &AppState, user: &SessionUser, id: i64) -> Result<(OrgId, String), AppError> {
    let (org_id, term) = entry_org(&state.db, id).await?.ok_or(AppError::NotFound)?;
    kept_org(state, user, org_id).await?;
    Ok((org_id, term))
}

pub async fn remove_from_pool(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    on: NaiveDate,
    decision: &str,
    reason: &str,
) -> Result<Pool, AppError> {
    let (org_id, term) = kept_entry(state, user, id).await?;
    if on > calendar::today() {
        return Err(AppError::invalid("removed_on", "Ngày quyết định không sau hôm nay"));
    }
    in_tx(state, async |tx| personnel::remove_from_pool(tx, &actor(user), id, on, decision, reason).await).await?;
    pool(state, user, org_id, &term, calendar::today()).await
}

pub async fn set_standards(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    standards: Vec<String>,
) -> Result<Pool, AppError> {
    let (org_id, term) = kept_entry(state, user, id).await?;
    let rules = settings::get(&state.db).await?.personnel_rules;
    in_tx(state, async |tx| personnel::set_standards(tx, &actor(user), id, &standards, &rules).await).await?;
    pool(state, user, org_id, &term, calendar::today()).await
}

/// Personnel: its API and its pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}

// ------------------------------------------------------------------ the congress personnel plan

use dangvu_domain::personnel::plan::PlanEvent;
use dangvu_store::personnel::plans::{self, Plan, PlanContent, PostComparison};

/// A congress whose personnel plan the account reads: the grant, and the congress's organisation
/// in scope (its own staff, or a committee above).
async fn plan_congress(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
) -> Result<crate::congresses::Seen, AppError> {
    if !reads_personnel(user) {
        return Err(AppError::NotFound);
    }
    let seen = crate::congresses::visible_congress(state, user, congress_id).await?;
    seen.require_staff().map_err(|_| AppError::NotFound)?;
    Ok(seen)
}

/// The plan of a congress (none yet: `None`) and the vote compared with it once approved.
pub async fn plan(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
) -> Result<(crate::congresses::Seen, Option<Plan>, Vec<PostComparison>), AppError> {
    let seen = plan_congress(state, user, congress_id).await?;
    let plan = plans::plan_of(&state.db, congress_id).await?;
    let comparison = match &plan {
        Some(p) if p.state == dangvu_domain::personnel::plan::PlanState::Approved => {
            plans::comparison(&state.db, p).await?
        }
        _ => Vec::new(),
    };
    log_read(state, user, Subject::congress(congress_id), "personnel_plan").await?;
    Ok((seen, plan, comparison))
}

/// Writes the draft plan (the convening committee's Organisation board).
pub async fn save_plan(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
    content: PlanContent,
) -> Result<Plan, AppError> {
    let seen = plan_congress(state, user, congress_id).await?;
    kept_org(state, user, seen.org.id).await?;
    for (i, post) in content.posts.iter().enumerate() {
        for (member_id, _) in &post.names {
            if let Some(m) = member_id {
                member_in_scope(state, user, *m).await.map_err(|_| {
                    AppError::invalid(&format!("posts[{i}]"), "Không có đảng viên này trong phạm vi của bạn")
                })?;
            }
        }
    }
    let org_id = seen.org.id;
    in_tx(state, async |tx| plans::save_plan(tx, &actor(user), congress_id, org_id, &content).await).await?;
    plans::plan_of(&state.db, congress_id).await?.ok_or(AppError::NotFound)
}

/// A step of the plan: submit and amend are the convening committee's; approve and return the
/// committee above's (scope strictly above the organisation).
pub async fn plan_event(
    state: &AppState,
    user: &SessionUser,
    congress_id: i64,
    event: &str,
    decision: &str,
    on: Option<NaiveDate>,
    reason: &str,
) -> Result<Plan, AppError> {
    let event = PlanEvent::parse(event.trim())
        .ok_or_else(|| AppError::invalid("event", "Sự kiện là submit, approve, return hoặc amend"))?;
    let seen = plan_congress(state, user, congress_id).await?;
    kept_org(state, user, seen.org.id).await?;
    if event.is_decided_above() && !crate::scope::is_strictly_above(user, &seen.org) {
        return Err(AppError::Forbidden("Chỉ cấp ủy cấp trên phê duyệt hoặc trả lại đề án nhân sự".into()));
    }
    let on = on.unwrap_or_else(calendar::today);
    if on > calendar::today() {
        return Err(AppError::invalid("decided_on", "Ngày quyết định không sau hôm nay"));
    }
    let plan = plans::plan_of(&state.db, congress_id).await?.ok_or(AppError::NotFound)?;
    in_tx(state, async |tx| plans::plan_event(tx, &actor(user), plan.id, event, decision, on, reason).await).await?;
    plans::plan_of(&state.db, congress_id).await?.ok_or(AppError::NotFound)
}

/// Where an election's result departed from the approved plan for its post (issue 21's "the
/// personnel plan compared"); `None` when the election belongs to no congress with an approved
/// plan naming its post.
pub async fn election_comparison(
    state: &AppState,
    user: &SessionUser,
    election_id: i64,
) -> Result<Option<PostComparison>, AppError> {
    if !reads_personnel(user) {
        return Err(AppError::NotFound);
    }
    let election = dangvu_store::elections::get(&state.db, election_id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, election.org_id, calendar::today()).await?;
    let Some(congress_id) = election.congress_id else { return Ok(None) };
    let (_, plan, comparison) = plan(state, user, congress_id).await?;
    if plan.is_none() {
        return Ok(None);
    }
    Ok(comparison.into_iter().find(|c| c.post.as_str() == election.body.as_str()))
}

// ------------------------------------------------------------------ the five-step procedure

use dangvu_store::personnel::nominations::{self, Case, Completion, NewCase, Purpose};

/// The numbers and calendar a case's deadlines need.
async fn nomination_rules(
    state: &AppState,
) -> Result<(dangvu_domain::personnel::nomination::NominationRules, dangvu_domain::members::HolidayCalendar), AppError>
{
    let s = settings::get(&state.db).await?;
    Ok((s.personnel_rules.nomination, s.holidays))
}

/// A case the account reads (the grant, its organisation in scope), and its organisation.
async fn visible_case(state: &AppState, user: &SessionUser, id: i64) -> Result<Org, AppError> {
    let org_id = nominations::case_org(&state.db, id).await?.ok_or(AppError::NotFound)?;
    personnel_org(state, user, org_id).await
}

pub async fn case(state: &AppState, user: &SessionUser, id: i64) -> Result<Case, AppError> {
    visible_case(state, user, id).await?;
    let (rules, calendar) = nomination_rules(state).await?;
    let case =
        nominations::case(&state.db, id, &rules, &calendar, calendar::today()).await?.ok_or(AppError::NotFound)?;
    log_read(state, user, Subject::nomination_case(id), "nomination").await?;
    Ok(case)
}

/// The cases of a subtree (the account's own by default): open first, each with the deadlines
/// it missed.
pub async fn cases(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<(Org, Vec<Case>), AppError> {
    if !reads_personnel(user) {
        return Err(AppError::NotFound);
    }
    let org = crate::scope::scope_org(state, user, org_id).await?;
    let (rules, calendar) = nomination_rules(state).await?;
    let list = nominations::cases_in(&state.db, &org.path, &rules, &calendar, calendar::today()).await?;
    log_read(state, user, Subject::org(org.id), "nominations").await?;
    Ok((org, list))
}

pub struct CaseRequest {
    pub post: String,
    pub body_id: Option<i64>,
    pub purpose: String,
    pub source: String,
    pub title: String,
    pub requested_on: NaiveDate,
}

pub async fn open_case(state: &AppState, user: &SessionUser, org_id: OrgId, r: CaseRequest) -> Result<Case, AppError> {
    kept_org(state, user, org_id).await?;
    let purpose = Purpose::parse(r.purpose.trim()).ok_or_else(|| {
        AppError::invalid("purpose", "Mục đích là bổ nhiệm (appointment) hoặc giới thiệu ứng cử (nomination)")
    })?;
    let source = match r.source.trim() {
        "inside" => dangvu_domain::personnel::nomination::Source::Inside,
        "outside" => dangvu_domain::personnel::nomination::Source::Outside,
        _ => return Err(AppError::invalid("source", "Nguồn nhân sự là tại chỗ (inside) hoặc từ nơi khác (outside)")),
    };
    if r.requested_on > calendar::today() {
        return Err(AppError::invalid("requested_on", "Ngày xin chủ trương không sau hôm nay"));
    }
    let new = NewCase {
        org_id,
        post: post_of(&r.post)?,
        body_id: r.body_id,
        purpose,
        source,
        title: r.title,
        requested_on: r.requested_on,
    };
    let id = in_tx(state, async |tx| nominations::create_case(tx, &actor(user), new).await).await?;
    case(state, user, id).await
}

/// Opens the conference of the case's current step (its ballot an election of the engine).
pub async fn open_conference(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    summoned: u32,
    present: u32,
    names: Vec<String>,
) -> Result<Case, AppError> {
    let org = visible_case(state, user, id).await?;
    kept_org(state, user, org.id).await?;
    let s = settings::get(&state.db).await?;
    let conference = nominations::NewConference { summoned, present, names };
    let (rules, election_rules) = (&s.personnel_rules.nomination, &s.election_rules);
    in_tx(state, async |tx| {
        nominations::open_conference(tx, &actor(user), id, &conference, rules, election_rules).await
    })
    .await?;
    case(state, user, id).await
}

/// `complete` (with the day, a note and, for the last vote, the decision) or `stop` (with why).
pub async fn step(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    event: &str,
    on: NaiveDate,
    note: String,
    decision: String,
) -> Result<Case, AppError> {
    let org = visible_case(state, user, id).await?;
    kept_org(state, user, org.id).await?;
    if on > calendar::today() {
        return Err(AppError::invalid("on", "Ngày không sau hôm nay"));
    }
    let (rules, _) = nomination_rules(state).await?;
    match event.trim() {
        "complete" => {
            let done = Completion { on, note, decision };
            in_tx(state, async |tx| nominations::complete_step(tx, &actor(user), id, &done, &rules).await).await?;
        }
        "stop" => {
            in_tx(state, async |tx| nominations::stop_case(tx, &actor(user), id, on, &note).await).await?;
        }
        _ => return Err(AppError::invalid("event", "Sự kiện là complete hoặc stop")),
    }
    case(state, user, id).await
}
