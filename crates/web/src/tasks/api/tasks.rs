//! `/api/v1/tasks`: tasks from assignment to acceptance, queues and summaries.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::task::{Period, TaskStatus};
use dangvu_store::files::FileInfo;
use dangvu_store::tasks::{self, NewTask, Report, Summary, Task};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::date_or_today;
use crate::scope::{org_field, scope_path};
use crate::tasks::{require_assigner, require_direct, require_lead, visible_document, visible_meeting, visible_task};
use crate::usecase::{actor, in_tx};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    pub title: String,
    pub detail: Option<String>,
    /// The lead unit (chủ trì).
    pub lead_org_id: i64,
    /// Supporting units (phối hợp).
    #[serde(default)]
    pub support_org_ids: Vec<i64>,
    /// YYYY-MM-DD; none for a task without a deadline.
    pub due_on: Option<String>,
    pub starts_on: Option<String>,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly`, for a report duty (then `due_on` is the first deadline).
    pub recurrence: Option<String>,
    pub meeting_id: Option<i64>,
    pub document_id: Option<i64>,
    /// The organisation that assigns and follows the task; the meeting's host, or the account's own.
    pub org_id: Option<i64>,
}

fn optional_date(raw: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => calendar::parse_date(s).map(Some).ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ")),
    }
}

/// Assign a task.
#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = CreateTask,
    responses((status = 201, body = Task), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateTask>,
) -> Result<(StatusCode, Json<Task>), AppError> {
    let task = assign(&state, &user, input).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

/// Every check of an assignment, shared with the page that confirms a drafted conclusion.
pub async fn assign(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    input: CreateTask,
) -> Result<Task, AppError> {
    require_direct(user)?;
    let due_on = optional_date(&input.due_on, "due_on")?;
    let starts_on = optional_date(&input.starts_on, "starts_on")?;
    org_field(state, user, input.lead_org_id, "lead_org_id").await?;
    for o in &input.support_org_ids {
        org_field(state, user, *o, "support_org_ids").await?;
    }
    let meeting = match input.meeting_id {
        Some(m) => Some(
            visible_meeting(state, user, m)
                .await
                .map_err(|_| AppError::invalid("meeting_id", "Không có cuộc họp này"))?,
        ),
        None => None,
    };
    if let Some(d) = input.document_id
        && visible_document(state, user, d).await.is_err()
    {
        return Err(AppError::invalid("document_id", "Không có văn bản này"));
    }
    let org_id = input
        .org_id
        .or(meeting.map(|m| m.org_id))
        .or(user.user.org_id)
        .ok_or_else(|| AppError::invalid("org_id", "Hãy chọn tổ chức giao nhiệm vụ"))?;
    org_field(state, user, org_id, "org_id").await?;
    let new = NewTask {
        org_id,
        title: input.title,
        detail: input.detail.unwrap_or_default(),
        lead_org_id: input.lead_org_id,
        support_org_ids: input.support_org_ids,
        starts_on,
        due_on,
        recurrence: input.recurrence,
        meeting_id: input.meeting_id,
        document_id: input.document_id,
    };
    let id = in_tx(state, async |tx| tasks::create(tx, &actor(user), new).await).await?;
    tasks::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Tasks this organisation's subtree leads or supports; the account's scope when absent.
    pub org_id: Option<i64>,
    /// `open`, `overdue`, `done_on_time` or `done_late`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub items: Vec<Task>,
    pub next_cursor: Option<String>,
}

/// Tasks a subtree leads or supports.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(ListParams),
    responses((status = 200, body = TaskList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<TaskList> {
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let status =
        match p.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(TaskStatus::parse(s).ok_or_else(|| {
                AppError::invalid("status", "status phải là open, overdue, done_on_time hoặc done_late")
            })?),
        };
    let path = scope_path(&state, &user, p.org_id).await?;
    let items = tasks::in_subtree(&state.db, &path, calendar::today(), status, after, limit).await?;
    let next = next_cursor(items.last().map(|t| t.id), items.len(), limit);
    Ok(Json(TaskList { items, next_cursor: next }))
}

/// One task.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = Task), (status = 404, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<Task> {
    Ok(Json(visible_task(&state, &user, id, calendar::today()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateReport {
    /// 0–100.
    pub progress: i64,
    #[serde(default)]
    pub note: String,
    /// The task (or this period of a report duty) is done.
    #[serde(default)]
    pub done: bool,
}

/// The lead unit reports progress, or that the task is done.
#[utoipa::path(post, path = "/tasks/{id}/reports", tag = "tasks", params(("id" = i64, Path)), request_body = CreateReport,
    responses((status = 201, body = Task), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<CreateReport>,
) -> Result<(StatusCode, Json<Task>), AppError> {
    let today = calendar::today();
    let task = visible_task(&state, &user, id, today).await?;
    require_lead(&state, &user, &task).await?;
    in_tx(&state, async |tx| {
        tasks::report(tx, &actor(&user), id, input.progress, &input.note, input.done, today).await
    })
    .await?;
    Ok((StatusCode::CREATED, Json(tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<Report>,
}

/// The reports and reviews of a task, oldest first.
#[utoipa::path(get, path = "/tasks/{id}/reports", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = ReportList), (status = 404, body = ErrorBody)))]
pub async fn reports(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<ReportList> {
    visible_task(&state, &user, id, calendar::today()).await?;
    Ok(Json(ReportList { items: tasks::reports(&state.db, id).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Review {
    /// true: accept the result; false: return it to the lead unit, with a reason.
    pub accept: bool,
    #[serde(default)]
    pub note: String,
}

/// The office accepts or returns a task reported done.
#[utoipa::path(post, path = "/tasks/{id}/review", tag = "tasks", params(("id" = i64, Path)), request_body = Review,
    responses((status = 200, body = Task), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<Review>,
) -> JsonResult<Task> {
    let today = calendar::today();
    let task = visible_task(&state, &user, id, today).await?;
    require_assigner(&state, &user, &task).await?;
    in_tx(&state, async |tx| tasks::review(tx, &actor(&user), id, input.accept, &input.note, today).await).await?;
    Ok(Json(tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// The subtree; the account's scope when absent.
    pub org_id: Option<i64>,
    /// Deadlines from (YYYY-MM-DD); or use `period`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `2024-Q2`, `2024-H1` or `2024`.
    pub period: Option<String>,
}

/// Counts by status, in total and by lead unit.
#[utoipa::path(get, path = "/tasks/summary", tag = "tasks", params(SummaryParams),
    responses((status = 200, body = Summary), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<SummaryParams>,
) -> JsonResult<Summary> {
    let (from, to) = range(&p)?;
    let path = scope_path(&state, &user, p.org_id).await?;
    Ok(Json(tasks::summary(&state.db, &path, calendar::today(), from, to).await?))
}

/// The date range of a summary: a period, or from/to, or everything.
pub fn range(p: &SummaryParams) -> Result<(chrono::NaiveDate, chrono::NaiveDate), AppError> {
    if let Some(period) = p.period.as_deref().filter(|s| !s.is_empty()) {
        let pr = Period::parse(period)
            .ok_or_else(|| AppError::invalid("period", "Kỳ phải dạng 2024-Q2, 2024-H1 hoặc 2024"))?;
        return Ok((pr.from, pr.to));
    }
    let from = match p.from.as_deref() {
        Some(s) => date_or_today(Some(s), "from")?,
        None => calendar::EARLIEST,
    };
    let to = match p.to.as_deref() {
        Some(s) => date_or_today(Some(s), "to")?,
        None => calendar::LATEST,
    };
    if from > to {
        return Err(AppError::invalid("to", "Ngày kết thúc trước ngày bắt đầu"));
    }
    Ok((from, to))
}

/// The signed-in account's reminders: deadlines of its subtree within the configured
/// number of days, and those missed today.
#[utoipa::path(get, path = "/me/reminders", tag = "tasks",
    responses((status = 200, body = tasks::Reminders), (status = 401, body = ErrorBody)))]
pub async fn reminders(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<tasks::Reminders> {
    let path = scope_path(&state, &user, None).await?;
    let days = dangvu_store::settings::get(&state.db).await?.reminder_days;
    Ok(Json(tasks::reminders(&state.db, &path, calendar::today(), days).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The subtree; the account's scope when absent.
    pub org_id: Option<i64>,
    /// `2024-Q2`, `2024-H1` or `2024`.
    pub period: String,
    /// `pdf`, `docx` or `xlsx`.
    pub format: String,
}

/// The task report of a subtree for a period, in the Party's document format (PDF, DOCX)
/// or as a workbook (XLSX).
#[utoipa::path(get, path = "/reports/tasks", tag = "tasks", params(ReportParams),
    responses(
        (status = 200, description = "The file: application/pdf, the DOCX or the XLSX type, as `format` asks",
            content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<axum::response::Response, AppError> {
    let format = crate::tasks::report::Format::parse(&p.format)?;
    let period = Period::parse(&p.period)
        .ok_or_else(|| AppError::invalid("period", "Kỳ phải dạng 2024-Q2, 2024-H1 hoặc 2024"))?;
    let path = scope_path(&state, &user, p.org_id).await?;
    let org_id = dangvu_domain::tree::ids(&path).last().copied().ok_or(AppError::NotFound)?;
    let org = crate::scope::visible_org(&state, &user, org_id, calendar::today()).await?;
    let report = crate::tasks::report::build(&state, &org, period, None).await?;
    crate::tasks::report::file(report, format, &p.period).await
}

/// A field that may be left out (unchanged), `null` (cleared) or given.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Fields of a task to change; those left out keep their value, `null` clears a date.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateTask {
    pub title: Option<String>,
    pub detail: Option<String>,
    pub lead_org_id: Option<i64>,
    pub support_org_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub due_on: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub starts_on: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub recurrence: Option<Option<String>>,
    /// Why, required when the deadline changes (gia hạn).
    #[serde(default)]
    pub reason: String,
}

/// The office that assigned a task edits it while it is unfinished.
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = UpdateTask,
    responses((status = 200, body = Task), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<UpdateTask>,
) -> JsonResult<Task> {
    Ok(Json(edit(&state, &user, id, input).await?))
}

/// Every check of an edit, shared with the task's edit page.
pub async fn edit(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    id: i64,
    input: UpdateTask,
) -> Result<Task, AppError> {
    let today = calendar::today();
    let task = visible_task(state, user, id, today).await?;
    require_assigner(state, user, &task).await?;
    let due_on = match &input.due_on {
        Some(raw) => optional_date(raw, "due_on")?,
        None => task.due_on,
    };
    let starts_on = match &input.starts_on {
        Some(raw) => optional_date(raw, "starts_on")?,
        None => task.starts_on,
    };
    let lead_org_id = input.lead_org_id.unwrap_or(task.lead_org_id);
    if lead_org_id != task.lead_org_id {
        org_field(state, user, lead_org_id, "lead_org_id").await?;
    }
    let support_org_ids = input.support_org_ids.unwrap_or_else(|| task.support_org_ids.clone());
    for o in support_org_ids.iter().filter(|o| !task.support_org_ids.contains(o)) {
        org_field(state, user, *o, "support_org_ids").await?;
    }
    let recurrence = match input.recurrence {
        Some(r) => r.filter(|r| !r.trim().is_empty()),
        None => task.recurrence.clone(),
    };
    let change = NewTask {
        org_id: task.org_id,
        title: input.title.unwrap_or(task.title),
        detail: input.detail.unwrap_or(task.detail),
        lead_org_id,
        support_org_ids,
        starts_on,
        due_on,
        recurrence,
        meeting_id: task.meeting_id,
        document_id: task.document_id,
    };
    in_tx(state, async |tx| tasks::update(tx, &actor(user), id, change, &input.reason).await).await?;
    tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Cancel {
    /// Why the task is no longer needed; required.
    pub reason: String,
}

/// The office that assigned a task cancels it; it leaves queues, counts and reports.
#[utoipa::path(post, path = "/tasks/{id}/cancel", tag = "tasks", params(("id" = i64, Path)), request_body = Cancel,
    responses((status = 200, body = Task), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiJson(input): ApiJson<Cancel>,
) -> JsonResult<Task> {
    let today = calendar::today();
    let task = visible_task(&state, &user, id, today).await?;
    require_assigner(&state, &user, &task).await?;
    in_tx(&state, async |tx| tasks::cancel(tx, &actor(&user), id, &input.reason, today).await).await?;
    Ok(Json(tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    pub items: Vec<FileInfo>,
}

/// Files attached to a task and to its progress reports.
#[utoipa::path(get, path = "/tasks/{id}/files", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = FileList), (status = 404, body = ErrorBody)))]
pub async fn files(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id) -> JsonResult<FileList> {
    visible_task(&state, &user, id, calendar::today()).await?;
    Ok(Json(FileList { items: dangvu_store::files::of_task(&state.db, id).await? }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachParams {
    /// The file's name with its extension (`bao-cao.pdf`): PDF, Word, Excel, JPG/PNG, TXT, CSV or ZIP.
    pub name: String,
    /// The progress report the file belongs to, if any.
    pub report_id: Option<i64>,
}

/// Attaches a file (the raw bytes as the body, at most 20 MB) to a task: the lead unit
/// with its reports, the assigning office with the task.
#[utoipa::path(post, path = "/tasks/{id}/files", tag = "tasks", params(("id" = i64, Path), AttachParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id,
    ApiQuery(p): ApiQuery<AttachParams>,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<FileInfo>), AppError> {
    let today = calendar::today();
    let task = visible_task(&state, &user, id, today).await?;
    require_attacher(&state, &user, &task).await?;
    let data = crate::files::read_body(body).await?;
    if let Some(r) = p.report_id
        && !tasks::reports(&state.db, id).await?.iter().any(|x| x.id == r)
    {
        return Err(AppError::invalid("report_id", "Báo cáo này không thuộc nhiệm vụ"));
    }
    let file_id = in_tx(&state, async |tx| {
        dangvu_store::files::attach_to_task(tx, &actor(&user), id, p.report_id, &p.name, data).await
    })
    .await?;
    let info = dangvu_store::files::of_task(&state.db, id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// Files go with a task from the lead unit (its reports) or the office that assigned it.
pub async fn require_attacher(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    task: &Task,
) -> Result<(), AppError> {
    if require_lead(state, user, task).await.is_ok() || require_assigner(state, user, task).await.is_ok() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Chỉ đơn vị chủ trì hoặc Văn phòng nơi giao nhiệm vụ đính kèm tệp".into()))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueReport {
    /// The subtree; the account's scope when absent.
    pub org_id: Option<i64>,
    /// `2024-Q2`, `2024-H1` or `2024`.
    pub period: String,
    /// The issuer symbol after the slash (`TU`, `VPTU`, `ĐUK` …); by default the usual one of the organisation.
    pub symbol: Option<String>,
}

/// Issues the task report: the next number of its issuer (`12-BC/TU`, 36-HD/VPTW), a
/// registered document, and its PDF and DOCX kept as issued.
#[utoipa::path(post, path = "/reports/tasks", tag = "tasks", request_body = IssueReport,
    responses((status = 201, body = crate::tasks::report::Issued), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue_report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<IssueReport>,
) -> Result<(StatusCode, Json<crate::tasks::report::Issued>), AppError> {
    require_direct(&user)?;
    let period = Period::parse(&input.period)
        .ok_or_else(|| AppError::invalid("period", "Kỳ phải dạng 2024-Q2, 2024-H1 hoặc 2024"))?;
    let path = scope_path(&state, &user, input.org_id).await?;
    let org_id = dangvu_domain::tree::ids(&path).last().copied().ok_or(AppError::NotFound)?;
    let org = crate::scope::visible_org(&state, &user, org_id, calendar::today()).await?;
    let issued =
        crate::tasks::report::issue(&state, &user, &org, period, &input.period, input.symbol.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}
