//! Documents, meetings and tasks: the scope and role rules and the use cases that change them
//! (register, record, assign, edit, report, review, cancel, attach), shared by the API and pages.

pub mod api;
pub mod drafts;
pub mod pages;
pub mod reminders;
pub mod report;

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::orgs;
use dangvu_store::tasks::documents::{self, Document, NewDocument};
use dangvu_store::tasks::meetings::{self, Meeting, NewMeeting};
use dangvu_store::tasks::{self, NewTask, Task};

use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;
use crate::scope::{org_field, seen_on, visible_org};
use crate::usecase::{actor, in_tx};

/// Registers documents and meetings, assigns and reviews tasks: the office (and admins).
pub fn require_direct(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_direct() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// A document is read by its registry's subtree and by the levels below it (directives
/// come down); a document of no registry by everyone.
pub async fn visible_document(state: &AppState, user: &SessionUser, id: i64) -> Result<Document, AppError> {
    let doc = documents::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let Some(org_id) = doc.org_id else { return Ok(doc) };
    let today = calendar::today();
    let org = orgs::get(&state.db, org_id, today).await?.ok_or(AppError::NotFound)?;
    let seen = seen_on(state, user, today).await?;
    let above_scope = match &user.scope {
        Scope::Subtree { path, .. } => dangvu_domain::orgs::tree::is_within(path, &org.path),
        _ => false,
    };
    if seen.contains(&org.path) || above_scope { Ok(doc) } else { Err(AppError::NotFound) }
}

pub async fn visible_meeting(state: &AppState, user: &SessionUser, id: i64) -> Result<Meeting, AppError> {
    let m = meetings::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, m.org_id, calendar::today()).await?;
    Ok(m)
}

/// A task is seen where it was assigned, by its lead unit and by its supporting units.
pub async fn visible_task(state: &AppState, user: &SessionUser, id: i64, today: NaiveDate) -> Result<Task, AppError> {
    let task = tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?;
    let units = [task.org_id, task.lead_org_id];
    for org in units.iter().chain(task.support_org_ids.iter()).chain(task.support_body_org_ids.iter()) {
        if visible_org(state, user, *org, today).await.is_ok() {
            return Ok(task);
        }
    }
    Err(AppError::NotFound)
}

/// The lead unit (or those above it) reports on a task.
pub async fn require_lead(state: &AppState, user: &SessionUser, task: &Task) -> Result<(), AppError> {
    let leads = visible_org(state, user, task.lead_org_id, calendar::today()).await.is_ok();
    if leads && user.user.role.may_report_tasks() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Chỉ đơn vị chủ trì báo cáo tiến độ nhiệm vụ này".into()))
    }
}

/// The office of the organisation that assigned the task reviews it.
pub async fn require_assigner(state: &AppState, user: &SessionUser, task: &Task) -> Result<(), AppError> {
    require_direct(user)?;
    match visible_org(state, user, task.org_id, calendar::today()).await {
        Ok(_) => Ok(()),
        Err(_) => Err(AppError::Forbidden("Chỉ Văn phòng nơi giao nhiệm vụ mới xem xét kết quả".into())),
    }
}

/// Documents, meetings and tasks: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTask {
    pub title: String,
    pub detail: Option<String>,
    /// The lead unit (chủ trì): an organisation, or give `lead_body_id` instead.
    #[schema(value_type = Option<i64>)]
    pub lead_org_id: Option<OrgId>,
    /// The lead unit when it is a body of an organisation (a board, the office, the inspection
    /// committee, a đảng đoàn, a ban cán sự đảng …).
    pub lead_body_id: Option<i64>,
    /// Supporting units (phối hợp).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub support_org_ids: Vec<OrgId>,
    /// Supporting bodies, beside the organisations.
    #[serde(default)]
    pub support_body_ids: Vec<i64>,
    /// YYYY-MM-DD; none for a task without a deadline.
    pub due_on: Option<String>,
    pub starts_on: Option<String>,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly`, for a report duty (then `due_on` is the first deadline).
    pub recurrence: Option<String>,
    pub meeting_id: Option<i64>,
    pub document_id: Option<i64>,
    /// The organisation that assigns and follows the task; the meeting's host, or the account's own.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

fn optional_date(raw: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => calendar::parse_date(s).map(Some).ok_or_else(|| AppError::invalid(field, "Ngày không hợp lệ")),
    }
}

/// The lead of a task: the organisation, and the body of it when a body leads; in scope.
pub async fn lead_unit(
    state: &AppState,
    user: &SessionUser,
    org: Option<OrgId>,
    body: Option<i64>,
) -> Result<(OrgId, Option<i64>), AppError> {
    match (org, body) {
        (_, Some(body_id)) => {
            let body = orgs::body(&state.db, body_id)
                .await?
                .ok_or_else(|| AppError::invalid("lead_body_id", "Không có cơ quan này"))?;
            if org.is_some_and(|o| o != body.org_id) {
                return Err(AppError::invalid("lead_body_id", "Cơ quan chủ trì không thuộc tổ chức chủ trì"));
            }
            org_field(state, user, body.org_id, "lead_body_id").await?;
            Ok((body.org_id, Some(body_id)))
        }
        (Some(org), None) => {
            org_field(state, user, org, "lead_org_id").await?;
            Ok((org, None))
        }
        (None, None) => Err(AppError::invalid("lead_org_id", "Hãy chọn đơn vị chủ trì")),
    }
}

/// Supporting bodies must exist and belong to organisations in scope.
pub async fn support_bodies(state: &AppState, user: &SessionUser, ids: &[i64]) -> Result<(), AppError> {
    for id in ids {
        let body = orgs::body(&state.db, *id)
            .await?
            .ok_or_else(|| AppError::invalid("support_body_ids", "Không có cơ quan này"))?;
        org_field(state, user, body.org_id, "support_body_ids").await?;
    }
    Ok(())
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
    let (lead_org_id, lead_body_id) = lead_unit(state, user, input.lead_org_id, input.lead_body_id).await?;
    for o in &input.support_org_ids {
        org_field(state, user, *o, "support_org_ids").await?;
    }
    support_bodies(state, user, &input.support_body_ids).await?;
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
        lead_org_id,
        lead_body_id,
        support_org_ids: input.support_org_ids,
        support_body_ids: input.support_body_ids,
        starts_on,
        due_on,
        recurrence: input.recurrence,
        meeting_id: input.meeting_id,
        document_id: input.document_id,
    };
    let id = in_tx(state, async |tx| tasks::create(tx, &actor(user), new).await).await?;
    tasks::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)
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
    #[schema(value_type = Option<i64>)]
    pub lead_org_id: Option<OrgId>,
    /// A body as the lead instead (then `lead_org_id` may be left out).
    pub lead_body_id: Option<i64>,
    #[schema(value_type = Option<Vec<i64>>)]
    pub support_org_ids: Option<Vec<OrgId>>,
    pub support_body_ids: Option<Vec<i64>>,
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
    let (lead_org_id, lead_body_id) = match (input.lead_org_id, input.lead_body_id) {
        (None, None) => (task.lead_org_id, task.lead_body_id),
        (org, body) => lead_unit(state, user, org, body).await?,
    };
    let support_org_ids = input.support_org_ids.unwrap_or_else(|| task.support_org_ids.clone());
    for o in support_org_ids.iter().filter(|o| !task.support_org_ids.contains(o)) {
        org_field(state, user, *o, "support_org_ids").await?;
    }
    let support_body_ids = input.support_body_ids.unwrap_or_else(|| task.support_body_ids.clone());
    let added: Vec<i64> = support_body_ids.iter().filter(|b| !task.support_body_ids.contains(b)).copied().collect();
    support_bodies(state, user, &added).await?;
    let recurrence = match input.recurrence {
        Some(r) => r.filter(|r| !r.trim().is_empty()),
        None => task.recurrence.map(|r| r.as_str().to_owned()),
    };
    let change = NewTask {
        org_id: task.org_id,
        title: input.title.unwrap_or(task.title),
        detail: input.detail.unwrap_or(task.detail),
        lead_org_id,
        lead_body_id,
        support_org_ids,
        support_body_ids,
        starts_on,
        due_on,
        recurrence,
        meeting_id: task.meeting_id,
        document_id: task.document_id,
    };
    in_tx(state, async |tx| tasks::update(tx, &actor(user), id, change, &input.reason).await).await?;
    tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)
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

/// The task as it now is, after a change.
async fn reread(state: &AppState, id: i64, today: NaiveDate) -> Result<Task, AppError> {
    tasks::get(&state.db, id, today).await?.ok_or(AppError::NotFound)
}

/// The lead unit reports progress, or that the task is done, with the files that go with the
/// report.
pub async fn report(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    progress: i64,
    note: &str,
    done: bool,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Task, AppError> {
    let today = calendar::today();
    let task = visible_task(state, user, id, today).await?;
    require_lead(state, user, &task).await?;
    // The report and its files are one write: a refused file refuses the report.
    in_tx(state, async |tx| {
        let report_id = tasks::report(tx, &actor(user), id, progress, note, done, today).await?;
        for (name, data) in files {
            dangvu_store::files::attach_to_task(tx, &actor(user), id, Some(report_id), &name, data).await?;
        }
        Ok(())
    })
    .await?;
    reread(state, id, today).await
}

/// The office that assigned a task accepts the result reported done, or returns it.
pub async fn review(state: &AppState, user: &SessionUser, id: i64, accept: bool, note: &str) -> Result<Task, AppError> {
    let today = calendar::today();
    let task = visible_task(state, user, id, today).await?;
    require_assigner(state, user, &task).await?;
    in_tx(state, async |tx| tasks::review(tx, &actor(user), id, accept, note, today).await).await?;
    reread(state, id, today).await
}

/// The office that assigned a task cancels it; it leaves queues, counts and reports.
pub async fn cancel(state: &AppState, user: &SessionUser, id: i64, reason: &str) -> Result<Task, AppError> {
    let today = calendar::today();
    let task = visible_task(state, user, id, today).await?;
    require_assigner(state, user, &task).await?;
    in_tx(state, async |tx| tasks::cancel(tx, &actor(user), id, reason, today).await).await?;
    reread(state, id, today).await
}

/// Files added to a task, or to one of its progress reports, all or none. `files` is read
/// only once the account may attach them, so that an upload no one may make is not taken in.
pub async fn attach(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    report_id: Option<i64>,
    files: impl Future<Output = Result<Vec<(String, Vec<u8>)>, AppError>>,
) -> Result<Vec<dangvu_store::files::FileInfo>, AppError> {
    let task = visible_task(state, user, id, calendar::today()).await?;
    require_attacher(state, user, &task).await?;
    let files = files.await?;
    if files.is_empty() {
        return Err(AppError::invalid("file", "Hãy chọn tệp để đính kèm"));
    }
    if let Some(r) = report_id
        && !tasks::reports(&state.db, id).await?.iter().any(|x| x.id == r)
    {
        return Err(AppError::invalid("report_id", "Báo cáo này không thuộc nhiệm vụ"));
    }
    let ids = in_tx(state, async |tx| {
        let mut ids = Vec::with_capacity(files.len());
        for (name, data) in files {
            ids.push(dangvu_store::files::attach_to_task(tx, &actor(user), id, report_id, &name, data).await?);
        }
        Ok(ids)
    })
    .await?;
    let attached = dangvu_store::files::of_task(&state.db, id).await?;
    Ok(attached.into_iter().filter(|f| ids.contains(&f.id)).collect())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDocument {
    /// `35-CT/TW` or `Số 35-CT/TW`.
    pub number: String,
    /// Trích yếu.
    pub title: String,
    /// YYYY-MM-DD.
    pub issued_on: String,
    /// The registry (organisation) it belongs to; the account's own when absent.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
}

/// Registers a document in a registry in scope; its type and issuer are read from the number.
pub async fn register_document(
    state: &AppState,
    user: &SessionUser,
    input: CreateDocument,
) -> Result<Document, AppError> {
    require_direct(user)?;
    let issued_on = calendar::parse_date(&input.issued_on)
        .ok_or_else(|| AppError::invalid("issued_on", "Ngày ban hành không hợp lệ"))?;
    let org_id = input.org_id.or(user.user.org_id);
    if let Some(o) = org_id {
        org_field(state, user, o, "org_id").await?;
    }
    let new = NewDocument { number: input.number, title: input.title, issued_on, org_id, congress_id: None };
    in_tx(state, async |tx| documents::create(tx, &actor(user), new).await).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMeeting {
    /// The host organisation.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub title: String,
    /// YYYY-MM-DD.
    pub held_on: String,
    /// `standing_board`, `standing_office`, `executive`, `quarterly_briefing`, `six_month_review`,
    /// `annual_review`, `congress_preparation`, `working_session` or `other`.
    pub kind: String,
    pub chair: Option<String>,
    pub attendees: Option<String>,
    pub reports: Option<String>,
    pub conclusion: Option<String>,
    pub document_id: Option<i64>,
}

/// Records a meeting hosted in scope, with its conclusion.
pub async fn record_meeting(state: &AppState, user: &SessionUser, input: CreateMeeting) -> Result<Meeting, AppError> {
    require_direct(user)?;
    let held_on =
        calendar::parse_date(&input.held_on).ok_or_else(|| AppError::invalid("held_on", "Ngày họp không hợp lệ"))?;
    org_field(state, user, input.org_id, "org_id").await?;
    if let Some(d) = input.document_id
        && visible_document(state, user, d).await.is_err()
    {
        return Err(AppError::invalid("document_id", "Không có văn bản này"));
    }
    let new = NewMeeting {
        org_id: input.org_id,
        title: input.title,
        kind: input.kind,
        held_on,
        chair: input.chair.unwrap_or_default(),
        attendees: input.attendees.unwrap_or_default(),
        reports: input.reports.unwrap_or_default(),
        conclusion: input.conclusion.unwrap_or_default(),
        document_id: input.document_id,
    };
    in_tx(state, async |tx| meetings::create(tx, &actor(user), new).await).await
}
