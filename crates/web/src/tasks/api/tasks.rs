//! `/api/v1/tasks`: tasks from assignment to acceptance, queues and summaries.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::tasks::{Period, TaskStatus};
use dangvu_store::files::FileInfo;
use dangvu_store::tasks::{self, Report, Summary, Task};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::date_or_today;
use crate::scope::scope_path;
use crate::tasks::{CreateTask, UpdateTask, assign, edit, visible_task};

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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Tasks this organisation's subtree leads or supports; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    /// `open`, `overdue`, `done_on_time` or `done_late`.
    pub status: Option<String>,
    /// `pending`: the results reported done that wait for the assigning office to accept or
    /// return them (also those the subtree assigned, wherever the work was done); `none`,
    /// `accepted` or `returned`.
    pub review: Option<String>,
    /// Only what this body leads or supports.
    pub body_id: Option<i64>,
    /// Words of the title.
    pub q: Option<String>,
    /// A deadline on or after this day (YYYY-MM-DD).
    pub due_from: Option<String>,
    /// A deadline on or before this day (YYYY-MM-DD).
    pub due_to: Option<String>,
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
    let review = match p.review.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            dangvu_domain::tasks::Review::parse(s)
                .ok_or_else(|| AppError::invalid("review", "review phải là pending, none, accepted hoặc returned"))?,
        ),
    };
    let day = |raw: &Option<String>, field: &str| match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => calendar::parse_date(s).map(Some).ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ")),
    };
    let filter = tasks::Filter {
        status,
        review,
        body_id: p.body_id,
        done: None,
        text: p.q.clone().unwrap_or_default(),
        due_from: day(&p.due_from, "due_from")?,
        due_to: day(&p.due_to, "due_to")?,
    };
    let path = scope_path(&state, &user, p.org_id).await?;
    let items = tasks::in_subtree(&state.db, &path, calendar::today(), &filter, after, limit).await?;
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
    let task = crate::tasks::report(&state, &user, id, input.progress, &input.note, input.done, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(task)))
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
    Ok(Json(crate::tasks::review(&state, &user, id, input.accept, &input.note).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryParams {
    /// The subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
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
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
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
    let org = crate::scope::scope_org(&state, &user, p.org_id).await?;
    let report = crate::tasks::report::build(&state, &org, period, None).await?;
    crate::tasks::report::file(report, format, &p.period).await
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
    Ok(Json(crate::tasks::cancel(&state, &user, id, &input.reason).await?))
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
    let file = async { Ok(vec![(p.name, crate::files::read_body(body).await?)]) };
    let attached = crate::tasks::attach(&state, &user, id, p.report_id, file).await?;
    let info = attached.into_iter().next().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(info)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueReport {
    /// The subtree; the account's scope when absent.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
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
    let period = Period::parse(&input.period)
        .ok_or_else(|| AppError::invalid("period", "Kỳ phải dạng 2024-Q2, 2024-H1 hoặc 2024"))?;
    let issued =
        crate::tasks::report::issue(&state, &user, input.org_id, period, &input.period, input.symbol.as_deref())
            .await?;
    Ok((StatusCode::CREATED, Json(issued)))
}
