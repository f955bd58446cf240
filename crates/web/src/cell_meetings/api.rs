//! `/api/v1/cell-meetings`: cell meetings, the member's handbook and their supervision.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::{Attendance, Kind, Month, Reply, parse_scheduled_at};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::Problems;
use dangvu_store::cell_meetings::tasks::{self as member_tasks, MemberTask};
use dangvu_store::cell_meetings::topics::{self, Topic};
use dangvu_store::cell_meetings::{
    self, Absentee, AttendanceEntry, CellMeeting, Comment, Minutes, MinutesHead, Resolution, RosterLine, TrendPoint,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::cell_meetings::{
    Amendment, Answer, Draft, NewTopic, Plan, Progress, member_cell, require_supervisor, start_of_today,
    visible_cell_meeting,
};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::visible_org;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCellMeeting {
    /// The cell that meets.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    /// `regular` or `thematic`.
    pub kind: String,
    /// RFC 3339 (`2026-03-03T07:30:00+07:00`), a local `YYYY-MM-DDTHH:MM`, or a date (07:30).
    pub scheduled_at: String,
    /// The topic; for a regular meeting it may be empty ("Sinh hoạt thường kỳ tháng 3/2026").
    pub topic: Option<String>,
    pub place: Option<String>,
    /// The agenda items; the usual agenda (settings) when absent.
    pub agenda: Option<Vec<String>>,
}

fn scheduled_at(raw: &str, problems: &mut Problems) -> Option<DateTime<FixedOffset>> {
    let at = parse_scheduled_at(raw);
    if at.is_none() {
        problems.add("scheduled_at", "Thời gian họp không hợp lệ (ví dụ 2026-03-03T07:30:00+07:00)");
    }
    at
}

/// Schedule a cell meeting (the cell's secretary). Members see it at once.
#[utoipa::path(post, path = "/cell-meetings", tag = "cell-meetings", request_body = CreateCellMeeting,
    responses((status = 201, body = CellMeeting), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateCellMeeting>,
) -> Result<(StatusCode, Json<CellMeeting>), AppError> {
    let mut problems = Problems::new();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        problems.add("kind", "Loại sinh hoạt là regular (thường kỳ) hoặc thematic (chuyên đề)");
    }
    let at = scheduled_at(&input.scheduled_at, &mut problems);
    let plan = problems.finish().map_err(AppError::Invalid).and_then(|()| match (kind, at) {
        (Some(kind), Some(at)) => Ok(Plan {
            kind,
            scheduled_at: at,
            title: input.topic.unwrap_or_default(),
            place: input.place.unwrap_or_default(),
            agenda: input.agenda,
        }),
        _ => Err(AppError::Internal("checked above".into())),
    });
    let m = super::schedule(&state, &user, input.org_id, plan).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCellMeeting {
    /// The new time (as when scheduling); unchanged when absent.
    pub scheduled_at: Option<String>,
    /// The new topic; unchanged when absent.
    pub topic: Option<String>,
    pub place: Option<String>,
    pub agenda: Option<Vec<String>>,
}

/// Move or amend a meeting that has not been held: its time, topic, place or agenda (the
/// cell's secretary). Members' replies stay with it; a default title follows it into its new
/// month.
#[utoipa::path(patch, path = "/cell-meetings/{id}", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = UpdateCellMeeting,
    responses((status = 200, body = CellMeeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<UpdateCellMeeting>,
) -> JsonResult<CellMeeting> {
    let mut problems = Problems::new();
    let at = input.scheduled_at.as_deref().map(|raw| scheduled_at(raw, &mut problems));
    let amendment = problems.finish().map_err(AppError::Invalid).map(|()| Amendment {
        scheduled_at: at.flatten(),
        title: input.topic,
        place: input.place,
        agenda: input.agenda,
    });
    Ok(Json(super::reschedule(&state, &user, id, amendment).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelCellMeeting {
    /// What members read on their handbook.
    pub reason: String,
}

/// Cancel a meeting that has not been held, with the reason (the cell's secretary).
#[utoipa::path(post, path = "/cell-meetings/{id}/cancel", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = CancelCellMeeting,
    responses((status = 200, body = CellMeeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CancelCellMeeting>,
) -> JsonResult<CellMeeting> {
    Ok(Json(super::cancel(&state, &user, id, &input.reason).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The cell; the member's own cell, or the account's organisation, when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// `YYYY-MM`: only the meetings of that month.
    pub month: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CellMeetingList {
    pub items: Vec<CellMeeting>,
    pub next_cursor: Option<String>,
}

fn month_param(raw: Option<&str>) -> Result<Option<Month>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Month::parse(s).map(Some).ok_or_else(|| AppError::invalid("month", "Tháng phải có dạng YYYY-MM")),
    }
}

/// The meetings of one cell, newest first.
#[utoipa::path(get, path = "/cell-meetings", tag = "cell-meetings", params(ListParams),
    responses((status = 200, body = CellMeetingList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<CellMeetingList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let month = month_param(p.month.as_deref())?;
    let before = if after == 0 { i64::MAX } else { after };
    let own = match member_cell(&state, &user).await? {
        Some((_, cell)) if user.user.role == dangvu_domain::accounts::Role::Member => Some(cell),
        _ => user.user.org_id,
    };
    let org_id = p.org_id.or(own).ok_or_else(|| AppError::invalid("org_id", "Hãy chọn chi bộ"))?;
    let org = visible_org(&state, &user, org_id, calendar::today()).await?;
    if !org.kind.holds_members() {
        return Err(AppError::invalid("org_id", "Sinh hoạt chi bộ do chi bộ hoặc chi bộ cơ sở tổ chức"));
    }
    let items = cell_meetings::of_cell(&state.db, org.id, month, before, limit).await?;
    let next = next_cursor(items.last().map(|m| m.id), items.len(), limit);
    Ok(Json(CellMeetingList { items, next_cursor: next }))
}

/// A meeting with what the account may see of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CellMeetingDetail {
    pub meeting: CellMeeting,
    /// The members expected, with their replies and recorded attendance: for those who hold
    /// the meeting. A member sees only the own line.
    pub roster: Vec<RosterLine>,
    /// The latest minutes (a member sees them once approved).
    pub minutes: Option<Minutes>,
    pub comments: Vec<Comment>,
    /// What the committees above set for this month's meetings, on the agenda after the cell's
    /// own items.
    pub topics: Vec<Topic>,
}

/// One meeting, its roster, minutes and comments.
#[utoipa::path(get, path = "/cell-meetings/{id}", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = CellMeetingDetail), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CellMeetingDetail> {
    let meeting = visible_cell_meeting(&state, &user, id).await?;
    let mut roster = cell_meetings::roster(&state.db, &meeting).await?;
    let mut minutes = cell_meetings::current_minutes(&state.db, id).await?;
    if user.user.role == dangvu_domain::accounts::Role::Member {
        roster.retain(|l| Some(l.member_id) == user.user.member_id);
        if minutes.as_ref().is_some_and(|m| m.approved_at.is_none()) {
            minutes = None;
        }
    }
    let comments = cell_meetings::comments(&state.db, id).await?;
    let topics = crate::cell_meetings::topics_of(&state, &meeting).await?;
    Ok(Json(CellMeetingDetail { meeting, roster, minutes, comments, topics }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceLine {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    /// `present`, `excused` or `absent`.
    pub status: String,
    pub reason: Option<String>,
}

/// Record the attendance of the listed members (the others keep theirs).
#[utoipa::path(put, path = "/cell-meetings/{id}/attendance", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = Vec<AttendanceLine>,
    responses((status = 200, body = CellMeeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(lines): ApiJson<Vec<AttendanceLine>>,
) -> JsonResult<CellMeeting> {
    let mut problems = Problems::new();
    let entries: Vec<AttendanceEntry> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match Attendance::parse(l.status.trim()) {
            Some(status) => Some(AttendanceEntry { member_id: l.member_id, status, reason: l.reason.clone() }),
            None => {
                problems.add(format!("[{i}].status"), "Trạng thái là present, excused hoặc absent");
                None
            }
        })
        .collect();
    let entries = problems.finish().map_err(AppError::Invalid).map(|()| entries);
    Ok(Json(super::record_attendance(&state, &user, id, entries).await?))
}

/// A resolution: its text alone, or with the vote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ResolutionInput {
    Text(String),
    Voted { text: String, votes_for: Option<i64>, votes_against: Option<i64>, votes_abstain: Option<i64> },
}

impl ResolutionInput {
    fn resolution(self) -> Resolution {
        match self {
            ResolutionInput::Text(text) => {
                Resolution { text, votes_for: None, votes_against: None, votes_abstain: None }
            }
            ResolutionInput::Voted { text, votes_for, votes_against, votes_abstain } => {
                Resolution { text, votes_for, votes_against, votes_abstain }
            }
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MinutesInput {
    pub text: String,
    /// Chair, secretary, guests, start and end (`HH:MM`) and the meeting's self-score
    /// (`good`, `fair`, `average`, `poor`).
    #[serde(default)]
    pub head: MinutesHead,
    #[serde(default)]
    pub resolutions: Vec<ResolutionInput>,
    /// Why approved minutes are changed (a new version).
    pub change_reason: Option<String>,
}

/// Write the minutes: a draft is replaced; once approved, a change is a new version.
#[utoipa::path(put, path = "/cell-meetings/{id}/minutes", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = MinutesInput,
    responses((status = 200, body = SavedMinutes), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn minutes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<MinutesInput>,
) -> JsonResult<SavedMinutes> {
    let draft = Draft {
        head: input.head,
        text: input.text,
        resolutions: input.resolutions.into_iter().map(ResolutionInput::resolution).collect(),
        change_reason: input.change_reason.unwrap_or_default(),
    };
    let m = super::write_minutes(&state, &user, id, Ok(draft)).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let length_warning = rules.length_warning(m.head.length_minutes());
    Ok(Json(SavedMinutes { minutes: m, length_warning }))
}

/// The minutes as written, and what the rules say of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedMinutes {
    #[serde(flatten)]
    pub minutes: Minutes,
    /// Set when the start and end times say the meeting was shorter than the rules ask (90
    /// minutes by default): a warning, the minutes are saved.
    pub length_warning: Option<String>,
}

/// The minutes were read back and approved: they are locked.
#[utoipa::path(post, path = "/cell-meetings/{id}/minutes/approve", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = CellMeeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn approve(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CellMeeting> {
    Ok(Json(super::approve_minutes(&state, &user, id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesVersions {
    pub items: Vec<Minutes>,
}

/// Every version of the minutes, newest first.
#[utoipa::path(get, path = "/cell-meetings/{id}/minutes/versions", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MinutesVersions), (status = 404, body = ErrorBody)))]
pub async fn minutes_versions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> JsonResult<MinutesVersions> {
    visible_cell_meeting(&state, &user, id).await?;
    let mut items = cell_meetings::minutes_versions(&state.db, id).await?;
    if user.user.role == dangvu_domain::accounts::Role::Member {
        items.retain(|m| m.approved_at.is_some());
    }
    Ok(Json(MinutesVersions { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyInput {
    /// `attending` or `excused`.
    pub reply: String,
    /// Required when excused.
    pub reason: Option<String>,
    /// For the secretary answering for a member without a phone; a member answers for itself.
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyDone {
    pub meeting_id: i64,
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub reply: String,
}

/// A member confirms attendance or asks to be excused, with a reason.
#[utoipa::path(post, path = "/cell-meetings/{id}/reply", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = ReplyInput,
    responses((status = 200, body = ReplyDone), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<ReplyInput>,
) -> JsonResult<ReplyDone> {
    let answer = Reply::parse(input.reply.trim())
        .ok_or_else(|| AppError::invalid("reply", "Trả lời là attending (dự họp) hoặc excused (xin vắng)"))
        .map(|reply| Answer { reply, reason: input.reason.unwrap_or_default(), member_id: input.member_id });
    let (member_id, answer) = super::reply(&state, &user, id, answer).await?;
    Ok(Json(ReplyDone { meeting_id: id, member_id, reply: answer.as_str().into() }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentInput {
    /// The agenda item, from 1; 0 for the meeting as a whole.
    pub agenda_item: Option<i64>,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<Comment>,
}

/// Comments on the agenda.
#[utoipa::path(get, path = "/cell-meetings/{id}/comments", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = CommentList), (status = 404, body = ErrorBody)))]
pub async fn comments(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<CommentList> {
    visible_cell_meeting(&state, &user, id).await?;
    Ok(Json(CommentList { items: cell_meetings::comments(&state.db, id).await? }))
}

/// Comment on an agenda item before the meeting (members of the cell and its secretary).
#[utoipa::path(post, path = "/cell-meetings/{id}/comments", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = CommentInput,
    responses((status = 201, body = CommentList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn comment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<(StatusCode, Json<CommentList>), AppError> {
    super::comment(&state, &user, id, input.agenda_item.unwrap_or(0), &input.body).await?;
    Ok((StatusCode::CREATED, Json(CommentList { items: cell_meetings::comments(&state.db, id).await? })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineParams {
    /// `true`: the meetings from today on, soonest first, all of them.
    pub upcoming: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The meetings of the signed-in member's own cell.
#[utoipa::path(get, path = "/me/cell-meetings", tag = "cell-meetings", params(MineParams),
    responses((status = 200, body = CellMeetingList), (status = 403, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<MineParams>,
) -> JsonResult<CellMeetingList> {
    let Some((member_id, _)) = member_cell(&state, &user).await? else {
        return Err(AppError::Forbidden("Tài khoản này không gắn với một đảng viên đang sinh hoạt".into()));
    };
    if p.upcoming == Some(true) {
        let items = cell_meetings::upcoming_for_member(&state.db, member_id, start_of_today(), 500).await?;
        return Ok(Json(CellMeetingList { items, next_cursor: None }));
    }
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let before = if after == 0 { i64::MAX } else { after };
    let items = cell_meetings::of_member_cell(&state.db, member_id, before, limit).await?;
    let next = next_cursor(items.last().map(|m| m.id), items.len(), limit);
    Ok(Json(CellMeetingList { items, next_cursor: next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParams {
    /// `YYYY-MM`; the current month when absent.
    pub month: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CellRef {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
}

/// Which cells of the subtree met in the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct CellMeetingStats {
    /// `YYYY-MM`.
    pub month: String,
    /// Cells and grassroots cells in the subtree (the organisation itself included).
    pub cells: i64,
    /// Cells that held at least one meeting (attendance recorded), of any kind.
    pub cells_met: i64,
    pub cells_met_regular: i64,
    pub cells_met_thematic: i64,
    /// Present / recorded over the meetings held; 0 when nothing was recorded.
    pub attendance_rate: f64,
    pub recorded: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    /// Every cell that held no meeting, by name.
    pub cells_not_met: Vec<CellRef>,
    /// Thematic meetings a quarter asks of each cell (the rule an administrator sets).
    pub thematic_per_quarter: u32,
    /// The cells that have held fewer thematic meetings since the start of the quarter, up to
    /// this month.
    pub cells_short_of_thematic: Vec<CellRef>,
    /// Official members a cell needs (Điều lệ Đảng, Điều 21).
    pub min_official_members: u32,
    /// The cells with fewer official members than that, today.
    pub cells_too_few_official: Vec<CellRef>,
    /// The units directly below, the least met first.
    pub by_unit: Vec<dangvu_store::cell_meetings::UnitMonth>,
}

/// The month's cell meetings of a subtree: the figure seed 002 asks for.
#[utoipa::path(get, path = "/orgs/{id}/cell-meeting-stats", tag = "cell-meetings", params(("id" = i64, Path), MonthParams),
    responses((status = 200, body = CellMeetingStats), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<MonthParams>,
) -> JsonResult<CellMeetingStats> {
    let month = month_param(p.month.as_deref())?.unwrap_or_else(|| Month::of(calendar::today()));
    let org = visible_org(&state, &user, id, calendar::today()).await?;
    require_supervisor(&user)?;
    let on = month.last_day().min(calendar::today());
    let view = cell_meetings::month_view(&state.db, &org.path, month, on).await?;
    let by_unit = crate::cell_meetings::by_unit(&state, &org, &view, on).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let refs = |cells: &mut dyn Iterator<Item = &cell_meetings::CellMonth>| -> Vec<CellRef> {
        cells.map(|c| CellRef { org_id: c.org_id, name: c.name.clone() }).collect()
    };
    Ok(Json(CellMeetingStats {
        by_unit,
        month: month.to_string(),
        cells: view.cells,
        cells_met: view.cells_met,
        cells_met_regular: view.cells_met_regular,
        cells_met_thematic: view.cells_met_thematic,
        attendance_rate: view.attendance_rate,
        recorded: view.recorded,
        present: view.present,
        excused: view.excused,
        absent: view.absent,
        cells_not_met: refs(&mut view.not_met()),
        thematic_per_quarter: rules.thematic_per_quarter,
        cells_short_of_thematic: refs(&mut view.short_of_thematic(&rules)),
        min_official_members: rules.min_official_members,
        cells_too_few_official: refs(&mut view.too_few_official(&rules)),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// `YYYY-MM`; 11 months before `to` when absent.
    pub from: Option<String>,
    /// `YYYY-MM`; the current month when absent.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Trend {
    /// Cells in the subtree today; every month is counted over them.
    pub cells: i64,
    pub months: Vec<TrendPoint>,
}

/// Month by month, how many of the subtree's cells met and how many members attended.
#[utoipa::path(get, path = "/orgs/{id}/cell-meeting-trend", tag = "cell-meetings", params(("id" = i64, Path), TrendParams),
    responses((status = 200, body = Trend), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn trend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<TrendParams>,
) -> JsonResult<Trend> {
    let to = month_param(p.to.as_deref())?.unwrap_or_else(|| Month::of(calendar::today()));
    let from = month_param(p.from.as_deref())?.unwrap_or_else(|| (0..11).fold(to, |m, _| m.prev()));
    if from > to || to.number() - from.number() > 1000 {
        return Err(AppError::invalid("from", "Khoảng tháng từ 1 đến 120 tháng, from không sau to"));
    }
    let org = visible_org(&state, &user, id, calendar::today()).await?;
    require_supervisor(&user)?;
    let (cells, months) = crate::cell_meetings::trend_of(&state, &org.path, from, to).await?;
    Ok(Json(Trend { cells, months }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbsenteeParams {
    /// `YYYY-MM`; the current month when absent.
    pub month: Option<String>,
    /// Regular meetings missed without reason running; the setting when absent (3).
    pub at_least: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenteeList {
    pub month: String,
    pub at_least: i64,
    pub items: Vec<Absentee>,
}

/// Members absent without reason from several regular meetings running, for the cell committees
/// to follow up (those who keep the records).
#[utoipa::path(get, path = "/orgs/{id}/cell-meeting-absentees", tag = "cell-meetings",
    params(("id" = i64, Path), AbsenteeParams),
    responses((status = 200, body = AbsenteeList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn absentees(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<AbsenteeParams>,
) -> JsonResult<AbsenteeList> {
    let month = month_param(p.month.as_deref())?.unwrap_or_else(|| Month::of(calendar::today()));
    let org = visible_org(&state, &user, id, calendar::today()).await?;
    if !user.user.role.sees_absentee_names() {
        return Err(AppError::forbidden());
    }
    let at_least = match p.at_least {
        Some(n) if (1..=60).contains(&n) => n,
        Some(_) => return Err(AppError::invalid("at_least", "Số buổi từ 1 đến 60")),
        None => i64::from(dangvu_store::settings::get(&state.db).await?.cell_meeting_rules.absence_alert_meetings),
    };
    let on = month.last_day().min(calendar::today());
    let items = cell_meetings::absentees(&state.db, &org.path, month, at_least, on).await?;
    Ok(Json(AbsenteeList { month: month.to_string(), at_least, items }))
}

/// The month's supervision as an XLSX workbook: every cell, the 12-month trend, and the
/// absentees for those who keep the records.
#[utoipa::path(get, path = "/orgs/{id}/cell-meeting-report", tag = "cell-meetings",
    params(("id" = i64, Path), MonthParams),
    responses((status = 200, description = "XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<MonthParams>,
) -> Result<axum::response::Response, AppError> {
    let month = month_param(p.month.as_deref())?.unwrap_or_else(|| Month::of(calendar::today()));
    let org = visible_org(&state, &user, id, calendar::today()).await?;
    crate::cell_meetings::supervision_file(&state, &user, &org, month).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year; the current one when absent.
    pub year: Option<i32>,
}

/// A cell's minutes of a year as a PDF book, each meeting with its approved minutes.
#[utoipa::path(get, path = "/orgs/{id}/minutes-book", tag = "cell-meetings", params(("id" = i64, Path), YearParams),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn minutes_book(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<YearParams>,
) -> Result<axum::response::Response, AppError> {
    let org = visible_org(&state, &user, id, calendar::today()).await?;
    let year = p.year.unwrap_or_else(|| chrono::Datelike::year(&calendar::today()));
    crate::cell_meetings::minutes_book_file(&state, &user, &org, year).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PushTopic {
    /// The committee whose cells all get it.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    /// `YYYY-MM`.
    pub month: String,
    pub title: String,
    pub detail: Option<String>,
    /// A document of the registry to study for it.
    pub document_id: Option<i64>,
}

/// Set a topic for the meetings of every cell below a committee in a month.
#[utoipa::path(post, path = "/cell-meeting-topics", tag = "cell-meetings", request_body = PushTopic,
    responses((status = 201, body = Topic), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn push_topic(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<PushTopic>,
) -> Result<(StatusCode, Json<Topic>), AppError> {
    let month = Month::parse(&input.month).ok_or_else(|| AppError::invalid("month", "Tháng phải có dạng YYYY-MM"));
    let topic = month.map(|month| NewTopic {
        month,
        title: input.title,
        detail: input.detail.unwrap_or_default(),
        document_id: input.document_id,
    });
    let id = super::push_topic(&state, &user, input.org_id, topic).await?;
    let topic = topics::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(topic)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopicParams {
    /// The committee that set them; the account's organisation when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<Topic>,
}

/// The topics a committee set, newest month first.
#[utoipa::path(get, path = "/cell-meeting-topics", tag = "cell-meetings", params(TopicParams),
    responses((status = 200, body = TopicList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn topics_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<TopicParams>,
) -> JsonResult<TopicList> {
    let org_id = p.org_id.or(user.user.org_id).ok_or_else(|| AppError::invalid("org_id", "Hãy chọn tổ chức"))?;
    let org = visible_org(&state, &user, org_id, calendar::today()).await?;
    Ok(Json(TopicList { items: topics::set_by(&state.db, org.id, 200).await? }))
}

/// Withdraw a topic: the cells no longer see it.
#[utoipa::path(delete, path = "/cell-meeting-topics/{id}", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn withdraw_topic(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> Result<StatusCode, AppError> {
    super::withdraw_topic(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignTask {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub title: String,
    /// YYYY-MM-DD or dd/mm/yyyy.
    pub due_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberTaskList {
    pub items: Vec<MemberTask>,
}

/// Give a member of the cell a task decided by the meeting.
#[utoipa::path(post, path = "/cell-meetings/{id}/tasks", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = AssignTask,
    responses((status = 201, body = MemberTask), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn assign_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<AssignTask>,
) -> Result<(StatusCode, Json<MemberTask>), AppError> {
    let task = super::assign_task(&state, &user, id, input.member_id, &input.title, input.due_on.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

/// The tasks a meeting gave.
#[utoipa::path(get, path = "/cell-meetings/{id}/tasks", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MemberTaskList), (status = 404, body = ErrorBody)))]
pub async fn meeting_tasks(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
) -> JsonResult<MemberTaskList> {
    visible_cell_meeting(&state, &user, id).await?;
    let mut items = member_tasks::of_meeting(&state.db, id, calendar::today()).await?;
    if user.user.role == dangvu_domain::accounts::Role::Member {
        items.retain(|t| Some(t.member_id) == user.user.member_id);
    }
    Ok(Json(MemberTaskList { items }))
}

/// The signed-in member's tasks not yet accepted.
#[utoipa::path(get, path = "/me/cell-meeting-tasks", tag = "cell-meetings",
    responses((status = 200, body = MemberTaskList), (status = 403, body = ErrorBody)))]
pub async fn my_tasks(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<MemberTaskList> {
    let Some((member_id, _)) = member_cell(&state, &user).await? else {
        return Err(AppError::Forbidden("Tài khoản này không gắn với một đảng viên đang sinh hoạt".into()));
    };
    Ok(Json(MemberTaskList { items: member_tasks::of_member(&state.db, member_id, calendar::today()).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskReportInput {
    /// 0–100; 100 asks the secretary to accept the work.
    pub progress: i64,
    pub note: Option<String>,
}

/// The member reports progress on a task.
#[utoipa::path(post, path = "/cell-meeting-tasks/{id}/reports", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = TaskReportInput,
    responses((status = 200, body = MemberTask), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<TaskReportInput>,
) -> JsonResult<MemberTask> {
    let report = Progress { progress: input.progress, note: input.note.unwrap_or_default() };
    Ok(Json(super::report_task(&state, &user, id, Ok(report)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskReviewInput {
    pub accept: bool,
}

/// The secretary accepts the work reported done, or returns it.
#[utoipa::path(post, path = "/cell-meeting-tasks/{id}/review", tag = "cell-meetings", params(("id" = i64, Path)),
    request_body = TaskReviewInput,
    responses((status = 200, body = MemberTask), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn review_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<TaskReviewInput>,
) -> JsonResult<MemberTask> {
    Ok(Json(super::review_task(&state, &user, id, input.accept).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileParams {
    /// The file's name, with its extension.
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingFiles {
    pub items: Vec<dangvu_store::files::FileInfo>,
}

/// Attach a document to read before the meeting (the raw bytes as the body, at most 20 MB).
#[utoipa::path(post, path = "/cell-meetings/{id}/files", tag = "cell-meetings", params(("id" = i64, Path), FileParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = dangvu_store::files::FileInfo), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<FileParams>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<dangvu_store::files::FileInfo>), AppError> {
    let file = async move { crate::files::read_body(body).await.map(|data| vec![(p.name, data)]) };
    let ids = super::attach(&state, &user, id, file).await?;
    let info = dangvu_store::files::of_cell_meeting(&state.db, id)
        .await?
        .into_iter()
        .find(|f| ids.contains(&f.id))
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// The documents to read for the meeting; download each from `/api/v1/files/{id}`.
#[utoipa::path(get, path = "/cell-meetings/{id}/files", tag = "cell-meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingFiles), (status = 404, body = ErrorBody)))]
pub async fn files(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<MeetingFiles> {
    visible_cell_meeting(&state, &user, id).await?;
    Ok(Json(MeetingFiles { items: dangvu_store::files::of_cell_meeting(&state.db, id).await? }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get, update))
        .routes(routes!(cancel))
        .routes(routes!(attendance))
        .routes(routes!(minutes))
        .routes(routes!(approve))
        .routes(routes!(minutes_versions))
        .routes(routes!(reply))
        .routes(routes!(comments, comment))
        .routes(routes!(mine))
        .routes(routes!(stats))
        .routes(routes!(trend))
        .routes(routes!(absentees))
        .routes(routes!(report))
        .routes(routes!(push_topic, topics_list))
        .routes(routes!(withdraw_topic))
        .routes(routes!(assign_task, meeting_tasks))
        .routes(routes!(my_tasks))
        .routes(routes!(report_task))
        .routes(routes!(review_task))
        .routes(routes!(attach, files))
        .routes(routes!(minutes_book))
}
