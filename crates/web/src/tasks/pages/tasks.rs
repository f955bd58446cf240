//! Pages of tasks: each unit's queue, a task with its reports, assigning a task, and the
//! standing committee's dashboard.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::tasks::{Period, Recurrence, Review, TaskStatus};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs;
use dangvu_store::tasks::{self, Task};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::orgs::units::{self, UnitRef};
use crate::pages::PageQuery;
use crate::pages::{
    DoneParam, Layout, PageForm, PageId, PageResult, PageUpload, PageUser, done_message, render, render_with,
};
use crate::scope::scope_path;
use crate::tasks::{CreateTask, assign};
use crate::tasks::{require_assigner, require_lead, visible_task};

/// The unit that leads a task, as the pickers name it.
pub fn lead_ref(task: &Task) -> UnitRef {
    match task.lead_body_id {
        Some(b) => UnitRef::Body(b),
        None => UnitRef::Org(task.lead_org_id),
    }
}

/// The supporting units of a task, organisations then bodies.
pub fn support_refs(task: &Task) -> Vec<UnitRef> {
    let orgs = task.support_org_ids.iter().map(|o| UnitRef::Org(*o));
    orgs.chain(task.support_body_ids.iter().map(|b| UnitRef::Body(*b))).collect()
}

/// The lead a form names: an organisation, or a body.
pub async fn lead_of(
    state: &AppState,
    user: &SessionUser,
    text: &str,
) -> Result<(Option<OrgId>, Option<i64>), AppError> {
    if text.contains(';') {
        return Err(AppError::invalid("lead_org_id", "Chỉ chọn một đơn vị chủ trì"));
    }
    Ok(match units::parse_one(state, user, text, "lead_org_id").await? {
        UnitRef::Org(o) => (Some(o), None),
        UnitRef::Body(b) => (None, Some(b)),
    })
}

/// The supporting units a form names, split into organisations and bodies.
pub async fn support_of(state: &AppState, user: &SessionUser, text: &str) -> Result<(Vec<OrgId>, Vec<i64>), AppError> {
    let mut orgs = Vec::new();
    let mut bodies = Vec::new();
    for unit in units::parse_many(state, user, text, "support_org_ids").await? {
        match unit {
            UnitRef::Org(o) => orgs.push(o),
            UnitRef::Body(b) => bodies.push(b),
        }
    }
    Ok((orgs, bodies))
}

/// A task as a row of a list.
pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub lead: String,
    pub due: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub progress: i64,
    pub late_days: Option<i64>,
}

pub fn status_class(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Open => "st-open",
        TaskStatus::Overdue => "st-overdue",
        TaskStatus::DoneOnTime => "st-done",
        TaskStatus::DoneLate => "st-late",
    }
}

pub fn row(t: &Task, today: NaiveDate) -> TaskRow {
    TaskRow {
        id: t.id,
        title: t.title.clone(),
        lead: match t.lead_parent_name.as_str() {
            "" => t.lead_name.clone(),
            parent => format!("{} · {parent}", t.lead_name),
        },
        due: match (t.due_on, &t.recurrence) {
            (Some(d), Some(r)) => format!("{} ({})", vi::date(d), r.label().to_lowercase()),
            (Some(d), None) => vi::date(d),
            (None, _) => "Không thời hạn".into(),
        },
        status: t.status.label(),
        status_class: status_class(t.status),
        progress: t.progress,
        late_days: (t.status == TaskStatus::Overdue).then(|| t.due_on.map(|d| (today - d).num_days())).flatten(),
    }
}

/// The queues of the tasks page, by what the unit has to do with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Not finished, most urgent first.
    Open,
    /// Late and not finished.
    Overdue,
    /// Reported done, waiting for the assigning office to accept or return them.
    Review,
    /// Reported done.
    Done,
}

impl View {
    const ALL: [View; 4] = [View::Open, View::Overdue, View::Review, View::Done];

    fn key(self) -> &'static str {
        match self {
            View::Open => "open",
            View::Overdue => "overdue",
            View::Review => "review",
            View::Done => "done",
        }
    }

    fn label(self) -> &'static str {
        match self {
            View::Open => "Chưa hoàn thành",
            View::Overdue => "Quá hạn",
            View::Review => "Chờ xem xét",
            View::Done => "Đã hoàn thành",
        }
    }

    fn parse(s: &str) -> View {
        View::ALL.into_iter().find(|v| v.key() == s).unwrap_or(View::Open)
    }
}

#[derive(Template)]
#[template(path = "tasks/tasks.html")]
struct QueuePage {
    layout: Layout,
    org_name: String,
    org_id: OrgId,
    view: &'static str,
    view_label: &'static str,
    views: Vec<(&'static str, &'static str)>,
    unit: String,
    q: String,
    period: String,
    periods: Vec<(String, String)>,
    rows: Vec<TaskRow>,
    can_assign: bool,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct QueueParams {
    org_id: Option<OrgId>,
    done: Option<String>,
    view: Option<String>,
    /// A unit as the pickers name it: narrows to its subtree (a body: to what it leads or supports).
    unit: Option<String>,
    q: Option<String>,
    /// `2026`, `2026-H1`, `2026-Q3`: deadlines in that period.
    period: Option<String>,
}

/// The periods a queue can be narrowed to: this year, its halves and quarters, the last years.
fn period_choices(today: NaiveDate) -> Vec<(String, String)> {
    let year = today.year();
    let mut periods = vec![(String::new(), "Mọi thời hạn".to_owned()), (year.to_string(), format!("Năm {year}"))];
    periods.push((format!("{year}-H1"), format!("6 tháng đầu năm {year}")));
    periods.push((format!("{year}-H2"), format!("6 tháng cuối năm {year}")));
    periods.extend((1..=4).map(|q| (format!("{year}-Q{q}"), format!("Quý {q}/{year}"))));
    periods.extend((year - 3..year).rev().map(|y| (y.to_string(), format!("Năm {y}"))));
    periods
}

/// `/tasks`: the unit's queues — not finished (most urgent first), overdue, waiting for review,
/// done — narrowed by unit, deadline period and words of the title.
pub async fn queue(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<QueueParams>,
) -> PageResult {
    let today = calendar::today();
    let view = View::parse(p.view.as_deref().unwrap_or_default());
    let unit_text = p.unit.clone().unwrap_or_default();
    let (scope_org, body_id) = match unit_text.trim() {
        "" => (p.org_id, None),
        text => match units::parse_one(&state, &user, text, "unit").await? {
            UnitRef::Org(o) => (Some(o), None),
            UnitRef::Body(b) => {
                let body = orgs::body(&state.db, b).await?.ok_or(AppError::NotFound)?;
                (Some(body.org_id), Some(b))
            }
        },
    };
    let path = scope_path(&state, &user, scope_org).await?;
    let org_id = dangvu_domain::orgs::tree::ids(&path).last().copied().unwrap_or_default();
    let org_name = orgs::get(&state.db, org_id, today).await?.map(|o| o.name).unwrap_or_default();
    let period_key = p.period.clone().unwrap_or_default();
    let period = match period_key.trim() {
        "" => None,
        k => Some(Period::parse(k).ok_or_else(|| AppError::invalid("period", "Kỳ không hợp lệ"))?),
    };
    let q = p.q.clone().unwrap_or_default();
    let plain = view == View::Open && body_id.is_none() && period.is_none() && q.trim().is_empty();
    let tasks = if plain {
        tasks::queue(&state.db, &path, today, 300).await?
    } else {
        let filter = tasks::Filter {
            status: (view == View::Overdue).then_some(TaskStatus::Overdue),
            review: (view == View::Review).then_some(Review::Pending),
            body_id,
            done: match view {
                View::Open => Some(false),
                View::Done => Some(true),
                _ => None,
            },
            text: q.clone(),
            due_from: period.as_ref().map(|p| p.from),
            due_to: period.as_ref().map(|p| p.to),
        };
        tasks::in_subtree(&state.db, &path, today, &filter, 0, 300).await?
    };
    let page = QueuePage {
        layout: Layout::new(&user, "tasks"),
        org_name,
        org_id,
        view: view.key(),
        view_label: view.label(),
        views: View::ALL.iter().map(|v| (v.key(), v.label())).collect(),
        unit: unit_text,
        q,
        period: period_key,
        periods: period_choices(today),
        rows: tasks.iter().map(|t| row(t, today)).collect(),
        can_assign: user.user.role.may_direct(),
        done: done_message(p.done.as_deref()),
    };
    Ok(render(&page)?.into_response())
}

pub struct ReportRow {
    pub on: String,
    pub who: String,
    pub what: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "tasks/task.html")]
struct TaskPage {
    layout: Layout,
    t: TaskRow,
    detail: String,
    support: Vec<String>,
    assigned_by: String,
    meeting: Option<(i64, String)>,
    document: Option<(i64, String)>,
    review: &'static str,
    reports: Vec<ReportRow>,
    files: Vec<FileRow>,
    can_report: bool,
    can_review: bool,
    can_attach: bool,
    can_edit: bool,
    cancelled: Option<(String, String)>,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
}

pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub who: String,
}

/// `1,2 MB`, `35 KB`: sizes as the office reads them.
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1 << 20 {
        format!("{},{} MB", bytes >> 20, ((bytes % (1 << 20)) * 10) >> 20)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub fn file_rows(files: Vec<dangvu_store::files::FileInfo>) -> Vec<FileRow> {
    files
        .into_iter()
        .map(|f| FileRow { id: f.id, name: f.name, size: size_label(f.size), who: f.created_by.unwrap_or_default() })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    task_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

async fn task_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let today = calendar::today();
    let task = visible_task(state, user, id, today).await?;
    let mut ids = task.support_org_ids.clone();
    ids.push(task.org_id);
    let names = orgs::names(&state.db, &ids, today).await?;
    let mut support: Vec<String> = Vec::new();
    for unit in support_refs(&task) {
        support.push(units::label(state, unit, today).await?);
    }
    let meeting = match task.meeting_id {
        Some(m) => dangvu_store::tasks::meetings::get(&state.db, m).await?.map(|m| (m.id, m.title)),
        None => None,
    };
    let document = match task.document_id {
        Some(d) => dangvu_store::tasks::documents::get(&state.db, d)
            .await?
            .map(|d| (d.id, format!("{} — {}", d.number, d.title))),
        None => None,
    };
    let reports = tasks::reports(&state.db, id)
        .await?
        .into_iter()
        .map(|r| ReportRow {
            on: vi::date(r.reported_on),
            who: r.reported_by.unwrap_or_default(),
            what: match (r.kind.as_str(), r.done) {
                ("accepted", _) => "Văn phòng chấp nhận kết quả".into(),
                ("returned", _) => "Văn phòng trả lại".into(),
                (_, true) => "Báo cáo hoàn thành".into(),
                _ => format!("Tiến độ {}%", r.progress),
            },
            note: r.note,
        })
        .collect();
    let open = task.cancelled_on.is_none();
    let assigner = require_assigner(state, user, &task).await.is_ok();
    let can_report = open && task.done_on.is_none() && require_lead(state, user, &task).await.is_ok();
    let can_review = open && task.review == Review::Pending && assigner;
    let can_edit = open && task.done_on.is_none() && assigner;
    let can_attach = open && (can_report || assigner);
    let files = file_rows(dangvu_store::files::of_task(&state.db, id).await?);
    let cancelled = task.cancelled_on.map(|d| (vi::date(d), task.cancel_reason.clone()));
    let page = TaskPage {
        layout: Layout::new(user, "tasks"),
        t: row(&task, today),
        detail: task.detail.clone(),
        support,
        assigned_by: names.get(&task.org_id).cloned().unwrap_or_default(),
        meeting,
        document,
        review: match task.review {
            Review::Pending => "Chờ Văn phòng xem xét",
            Review::Accepted => "Đã được chấp nhận",
            Review::Returned => "Bị trả lại, cần hoàn thiện",
            Review::None => "",
        },
        reports,
        files,
        can_report,
        can_review,
        can_attach,
        can_edit,
        cancelled,
        errors,
        done,
    };
    let status = crate::pages::form_status(&page.errors);
    Ok(render_with(status, &page))
}

/// The lead unit's progress report, with the files that go with it (multipart form).
pub async fn report(State(state): State<AppState>, PageId(id): PageId, f: PageUpload) -> PageResult {
    let user = f.user.clone();
    let result = async {
        let done = f.field("done").is_some();
        let progress = if done {
            100
        } else {
            f.field("progress")
                .unwrap_or_default()
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("progress", "Tiến độ là một số từ 0 đến 100"))?
        };
        let note = f.field("note").unwrap_or_default().to_owned();
        crate::tasks::report(&state, &user, id, progress, &note, done, f.files).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?done=report")).into_response()),
        Err(AppError::Invalid(errors)) => task_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

/// Files added to a task by its lead unit or the office that assigned it.
pub async fn attach(State(state): State<AppState>, PageId(id): PageId, f: PageUpload) -> PageResult {
    let user = f.user.clone();
    let result = crate::tasks::attach(&state, &user, id, None, async { Ok(f.files) }).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?done=file")).into_response()),
        Err(AppError::Invalid(errors)) => task_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

/// A file, for those who may read what it belongs to.
pub async fn download(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    Ok(crate::files::download(&state, &user, id).await?)
}

#[derive(Template)]
#[template(path = "tasks/task_edit.html")]
struct EditPage {
    layout: Layout,
    id: i64,
    errors: Vec<FieldError>,
    recurrences: Vec<(&'static str, &'static str)>,
    f: EditForm,
}

#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    lead_code: String,
    #[serde(default)]
    support_codes: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    recurrence: String,
    #[serde(default)]
    reason: String,
}

fn edit_page(user: &SessionUser, id: i64, errors: Vec<FieldError>, f: EditForm) -> PageResult {
    let page = EditPage { layout: Layout::new(user, "tasks"), id, errors, recurrences: recurrence_choices(), f };
    let status = crate::pages::form_status(&page.errors);
    Ok(render_with(status, &page))
}

pub async fn edit_form(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    let today = calendar::today();
    let task = visible_task(&state, &user, id, today).await?;
    require_assigner(&state, &user, &task).await?;
    let f = EditForm {
        title: task.title.clone(),
        detail: task.detail.clone(),
        lead_code: units::label(&state, lead_ref(&task), today).await?,
        support_codes: units::labels(&state, &support_refs(&task), today).await?,
        due_on: task.due_on.map(|d| d.to_string()).unwrap_or_default(),
        recurrence: task.recurrence.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        reason: String::new(),
    };
    edit_page(&user, id, Vec::new(), f)
}

pub async fn edit(State(state): State<AppState>, PageId(id): PageId, f: PageForm<EditForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let (lead_org_id, lead_body_id) = lead_of(&state, &user, &form.lead_code).await?;
        let (support_org_ids, support_body_ids) = support_of(&state, &user, &form.support_codes).await?;
        let change = crate::tasks::UpdateTask {
            title: Some(form.title.clone()),
            detail: Some(form.detail.clone()),
            lead_org_id,
            lead_body_id,
            support_org_ids: Some(support_org_ids),
            support_body_ids: Some(support_body_ids),
            due_on: Some(Some(form.due_on.clone())),
            starts_on: None,
            recurrence: Some(Some(form.recurrence.clone())),
            reason: form.reason.clone(),
        };
        crate::tasks::edit(&state, &user, id, change).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?done=edit")).into_response()),
        Err(AppError::Invalid(errors)) => edit_page(&user, id, errors, form),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

pub async fn cancel(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CancelForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = crate::tasks::cancel(&state, &user, id, &form.reason).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?done=cancel")).into_response()),
        Err(AppError::Invalid(errors)) => task_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ReviewForm {
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn review(State(state): State<AppState>, PageId(id): PageId, f: PageForm<ReviewForm>) -> PageResult {
    let PageForm { user, form } = f;
    let accept = form.decision == "accept";
    let result = crate::tasks::review(&state, &user, id, accept, &form.note).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/tasks/{id}?done=review")).into_response()),
        Err(AppError::Invalid(errors)) => task_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "tasks/task_new.html")]
struct NewTaskPage {
    layout: Layout,
    errors: Vec<FieldError>,
    recurrences: Vec<(&'static str, &'static str)>,
    title: String,
    lead_code: String,
    support_codes: String,
    due_on: String,
}

pub async fn new_form(PageUser(user): PageUser) -> PageResult {
    crate::tasks::require_direct(&user)?;
    Ok(render(&new_page(&user, Vec::new(), NewTaskForm::default()))?.into_response())
}

fn recurrence_choices() -> Vec<(&'static str, &'static str)> {
    Recurrence::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

fn new_page(user: &SessionUser, errors: Vec<FieldError>, f: NewTaskForm) -> NewTaskPage {
    NewTaskPage {
        layout: Layout::new(user, "tasks"),
        errors,
        recurrences: recurrence_choices(),
        title: f.title,
        lead_code: f.lead_code,
        support_codes: f.support_codes,
        due_on: f.due_on,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct NewTaskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    lead_code: String,
    #[serde(default)]
    support_codes: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    recurrence: String,
}

pub async fn create(State(state): State<AppState>, f: PageForm<NewTaskForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let (lead_org_id, lead_body_id) = lead_of(&state, &user, &form.lead_code).await?;
        let (support_org_ids, support_body_ids) = support_of(&state, &user, &form.support_codes).await?;
        let input = CreateTask {
            title: form.title.clone(),
            detail: Some(form.detail.clone()),
            lead_org_id,
            lead_body_id,
            support_org_ids,
            support_body_ids,
            due_on: Some(form.due_on.clone()),
            starts_on: None,
            recurrence: Some(form.recurrence.clone()).filter(|r| !r.is_empty()),
            meeting_id: None,
            document_id: None,
            org_id: None,
        };
        assign(&state, &user, input).await
    }
    .await;
    match result {
        Ok(t) => Ok(Redirect::to(&format!("/tasks/{}?done=task", t.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &new_page(&user, errors, form.clone())))
        }
        Err(e) => Err(e.into()),
    }
}

/// The chart's plotting area: bars 120 units high from y = 10, after a left margin for the axis.
const CHART_HEIGHT: i64 = 120;
const CHART_LEFT: i64 = 34;

/// The months from `from` to `to`: key `YYYY-MM`, year, month.
fn months_of(from: NaiveDate, to: NaiveDate) -> Vec<(String, i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) && out.len() < 120 {
        out.push((format!("{y}-{m:02}"), y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// One bar of the trend chart, laid out in Rust so that the template stays plain SVG.
pub struct Bar {
    pub label: String,
    /// The month in words and its figures, for the table that is the chart's text alternative.
    pub month: String,
    pub due: i64,
    pub due_text: String,
    pub late_text: String,
    /// Where the bar's value is written, above it.
    pub value_y: i64,
    pub x: i64,
    pub due_y: i64,
    pub due_h: i64,
    pub late_y: i64,
    pub late_h: i64,
    pub title: String,
}

pub struct UnitRow {
    pub org_id: OrgId,
    pub name: String,
    pub total: String,
    pub overdue: String,
    pub done_late: String,
    pub open: String,
}

#[derive(Template)]
#[template(path = "tasks/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    period_label: String,
    period: String,
    periods: Vec<(String, String)>,
    total: String,
    open: String,
    overdue: String,
    done_on_time: String,
    done_late: String,
    /// Of the total, those carried over from before the period.
    carried_over: String,
    carried_overdue: String,
    units: Vec<UnitRow>,
    bars: Vec<Bar>,
    chart_max: i64,
    can_issue: bool,
    default_symbol: String,
    /// The petitions of the subtree against their clocks, for those who read the register.
    petitions: Option<dangvu_store::petitions::Deadlines>,
}

#[derive(Deserialize)]
pub struct DashboardParams {
    org_id: Option<OrgId>,
    period: Option<String>,
}

/// `/dashboard`: what is late, where, whose, for the standing committee.
pub async fn dashboard(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<DashboardParams>,
) -> PageResult {
    let today = calendar::today();
    let org = crate::scope::scope_org(&state, &user, p.org_id).await?;
    let default_symbol = crate::tasks::report::issuer_of(&state, &org).await?.1;
    let petitions = match crate::petitions::reads_petitions(&user) {
        true => Some(crate::petitions::deadlines(&state, &org).await?),
        false => None,
    };
    let (org_id, org_name, path) = (org.id, org.name, org.path);
    let year = today.year();
    let period_key = p.period.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| year.to_string());
    let period = Period::parse(&period_key).ok_or_else(|| AppError::invalid("period", "Kỳ không hợp lệ"))?;
    let s = tasks::summary(&state.db, &path, today, period.from, period.to).await?;
    let units = s
        .by_org
        .iter()
        .take(30)
        .map(|o| UnitRow {
            org_id: o.org_id,
            name: o.name.clone(),
            total: vi::number(o.counts.total),
            overdue: vi::number(o.counts.overdue),
            done_late: vi::number(o.counts.done_late),
            open: vi::number(o.counts.open),
        })
        .collect();
    let trend = tasks::trend(&state.db, &path, today, period.from, period.to).await?;
    let by_month: std::collections::HashMap<&str, (i64, i64)> =
        trend.iter().map(|m| (m.month.as_str(), (m.due, m.late))).collect();
    let chart_max = trend.iter().map(|m| m.due).max().unwrap_or(0).max(1);
    // Every month of the period has its bar, an empty one too: a gap is a figure.
    let months = months_of(period.from, period.to);
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, (key, year, month))| {
            let (due, late) = by_month.get(key.as_str()).copied().unwrap_or((0, 0));
            let due_h = due * CHART_HEIGHT / chart_max;
            let late_h = late * CHART_HEIGHT / chart_max;
            Bar {
                label: format!("{month:02}/{:02}", year % 100),
                month: format!("Tháng {month}/{year}"),
                due,
                due_text: vi::number(due),
                late_text: vi::number(late),
                value_y: CHART_HEIGHT - due_h + 6,
                x: CHART_LEFT + i as i64 * 26,
                due_y: CHART_HEIGHT - due_h + 10,
                due_h,
                late_y: CHART_HEIGHT - late_h + 10,
                late_h,
                title: format!(
                    "Tháng {month}/{year}: {} nhiệm vụ đến hạn, {} trễ hạn",
                    vi::number(due),
                    vi::number(late)
                ),
            }
        })
        .collect();
    // The parts of the year shown, then the other years.
    let shown = period.from.year();
    let mut periods = vec![
        (shown.to_string(), format!("Năm {shown}")),
        (format!("{shown}-H1"), format!("6 tháng đầu năm {shown}")),
        (format!("{shown}-H2"), format!("6 tháng cuối năm {shown}")),
    ];
    periods.extend((1..=4).map(|q| (format!("{shown}-Q{q}"), format!("Quý {q}/{shown}"))));
    periods.extend((year - 5..=year).rev().filter(|y| *y != shown).map(|y| (y.to_string(), format!("Năm {y}"))));
    let page = DashboardPage {
        layout: Layout::new(&user, "dashboard"),
        org_id,
        org_name,
        period_label: period.label(),
        period: period_key,
        periods,
        total: vi::number(s.counts.total),
        open: vi::number(s.counts.open),
        overdue: vi::number(s.counts.overdue),
        done_on_time: vi::number(s.counts.done_on_time),
        done_late: vi::number(s.counts.done_late),
        carried_over: vi::number(s.carried_over.total),
        carried_overdue: vi::number(s.carried_over.overdue),
        units,
        bars,
        chart_max,
        can_issue: user.user.role.may_direct(),
        default_symbol,
        petitions,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct ReportParams {
    org_id: Option<OrgId>,
    period: String,
    format: String,
}

/// `/reports/tasks`: the report of the dashboard, to download.
pub async fn report_file(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<ReportParams>,
) -> PageResult {
    let format = crate::tasks::report::Format::parse(&p.format)?;
    let period = Period::parse(&p.period).ok_or_else(|| AppError::invalid("period", "Kỳ không hợp lệ"))?;
    let org = crate::scope::scope_org(&state, &user, p.org_id).await?;
    let report = crate::tasks::report::build(&state, &org, period, None).await?;
    Ok(crate::tasks::report::file(report, format, &p.period).await?)
}

#[derive(Deserialize)]
pub struct IssueForm {
    org_id: Option<OrgId>,
    period: String,
    #[serde(default)]
    symbol: String,
}

/// Issues the dashboard's report: numbered, registered, its files kept.
pub async fn issue_report(State(state): State<AppState>, f: PageForm<IssueForm>) -> PageResult {
    let PageForm { user, form } = f;
    let period = Period::parse(&form.period).ok_or_else(|| AppError::invalid("period", "Kỳ không hợp lệ"))?;
    let symbol = Some(form.symbol.as_str()).filter(|s| !s.trim().is_empty());
    let issued = crate::tasks::report::issue(&state, &user, form.org_id, period, &form.period, symbol).await?;
    Ok(Redirect::to(&format!("/documents/{}?done=issued", issued.document.id)).into_response())
}
