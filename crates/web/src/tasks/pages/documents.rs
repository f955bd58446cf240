//! Pages of the documents registry and of meetings with their conclusions.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::calendar;
use dangvu_domain::tasks::{MEETING_KINDS, meeting_kind_label};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::tasks::documents::{self, Search};
use dangvu_store::tasks::meetings;
use dangvu_store::{orgs, tasks};
use serde::Deserialize;

use super::tasks::{TaskRow, row};
use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::codes_to_ids;
use crate::pages::{DoneParam, Layout, PageForm, PageId, PageResult, PageUser, done_message, render, render_with};
use crate::scope::date_or_today;
use crate::scope::scope_path;
use crate::tasks::{CreateDocument, CreateMeeting, visible_meeting};

pub struct DocumentRow {
    pub id: i64,
    pub number: String,
    pub type_name: &'static str,
    pub title: String,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "tasks/documents.html")]
struct DocumentsPage {
    layout: Layout,
    rows: Vec<DocumentRow>,
    q: String,
    can_register: bool,
    status_ok: bool,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct DocumentsParams {
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    done: Option<String>,
}

pub async fn documents(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<DocumentsParams>,
) -> PageResult {
    documents_page(&state, &user, p, Vec::new()).await
}

async fn documents_page(
    state: &AppState,
    user: &SessionUser,
    p: DocumentsParams,
    errors: Vec<FieldError>,
) -> PageResult {
    let from = p.from.as_deref().filter(|s| !s.is_empty()).map(|s| date_or_today(Some(s), "from")).transpose()?;
    let to = p.to.as_deref().filter(|s| !s.is_empty()).map(|s| date_or_today(Some(s), "to")).transpose()?;
    let scope_path = match &user.scope {
        Scope::Tree => None,
        Scope::Subtree { path, .. } => Some(path.clone()),
        Scope::Ended { .. } => Some("/0/".into()),
    };
    let search = Search { q: p.q.clone(), from, to, scope_path, on: calendar::today() };
    let rows = documents::search(&state.db, &search, i64::MAX, 200)
        .await?
        .into_iter()
        .map(|d| DocumentRow {
            id: d.id,
            type_name: dangvu_domain::tasks::document::parse_number(&d.number)
                .map(|n| n.type_name())
                .unwrap_or("Văn bản"),
            number: d.number,
            title: d.title,
            issued: vi::date(d.issued_on),
        })
        .collect();
    let page = DocumentsPage {
        layout: Layout::new(user, "documents"),
        rows,
        q: p.q.unwrap_or_default(),
        can_register: user.user.role.may_direct(),
        done: done_message(p.done.as_deref()),
        today: calendar::today().format("%Y-%m-%d").to_string(),
        status_ok: errors.is_empty(),
        errors,
    };
    let status = if page.status_ok { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_with(status, &page))
}

#[derive(Deserialize)]
pub struct DocumentForm {
    number: String,
    title: String,
    issued_on: String,
}

pub async fn register_document(State(state): State<AppState>, f: PageForm<DocumentForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        // A page names no registry: the document goes into the account's own.
        let input = CreateDocument { number: form.number, title: form.title, issued_on: form.issued_on, org_id: None };
        crate::tasks::register_document(&state, &user, input).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/documents?done=document").into_response()),
        Err(AppError::Invalid(errors)) => documents_page(&state, &user, DocumentsParams::default(), errors).await,
        Err(e) => Err(e.into()),
    }
}

pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub held: String,
}

#[derive(Template)]
#[template(path = "tasks/meetings.html")]
struct MeetingsPage {
    layout: Layout,
    rows: Vec<MeetingRow>,
    can_record: bool,
    kinds: Vec<(&'static str, &'static str)>,
    status_ok: bool,
    errors: Vec<FieldError>,
    today: String,
    own_code: String,
}

pub async fn meetings(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    meetings_page(&state, &user, Vec::new()).await
}

async fn meetings_page(state: &AppState, user: &SessionUser, errors: Vec<FieldError>) -> PageResult {
    let today = calendar::today();
    let path = scope_path(state, user, None).await?;
    let rows = meetings::in_subtree(&state.db, &path, today, i64::MAX, 200)
        .await?
        .into_iter()
        .map(|m| MeetingRow { id: m.id, kind: meeting_kind_label(&m.kind), held: vi::date(m.held_on), title: m.title })
        .collect();
    let own_code = match user.user.org_id {
        Some(id) => orgs::get(&state.db, id, today).await?.map(|o| o.code).unwrap_or_default(),
        None => String::new(),
    };
    let page = MeetingsPage {
        layout: Layout::new(user, "meetings"),
        rows,
        can_record: user.user.role.may_direct(),
        kinds: MEETING_KINDS.to_vec(),
        today: today.format("%Y-%m-%d").to_string(),
        own_code,
        status_ok: errors.is_empty(),
        errors,
    };
    let status = if page.status_ok { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_with(status, &page))
}

#[derive(Deserialize)]
pub struct MeetingForm {
    org_code: String,
    title: String,
    kind: String,
    held_on: String,
    #[serde(default)]
    chair: String,
    #[serde(default)]
    attendees: String,
    #[serde(default)]
    reports: String,
    #[serde(default)]
    conclusion: String,
}

pub async fn record_meeting(State(state): State<AppState>, f: PageForm<MeetingForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let ids = codes_to_ids(&state, &form.org_code, "org_id").await?;
        let [org_id] = ids[..] else {
            return Err(AppError::invalid("org_id", "Hãy nhập mã tổ chức chủ trì cuộc họp"));
        };
        let input = CreateMeeting {
            org_id,
            title: form.title,
            kind: form.kind,
            held_on: form.held_on,
            chair: Some(form.chair),
            attendees: Some(form.attendees),
            reports: Some(form.reports),
            conclusion: Some(form.conclusion),
            document_id: None,
        };
        crate::tasks::record_meeting(&state, &user, input).await
    }
    .await;
    match result {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?done=meeting", m.id)).into_response()),
        Err(AppError::Invalid(errors)) => meetings_page(&state, &user, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "tasks/meeting.html")]
struct MeetingPage {
    layout: Layout,
    id: i64,
    title: String,
    kind: &'static str,
    held: String,
    host: String,
    chair: String,
    attendees: String,
    reports: String,
    conclusion: String,
    tasks: Vec<TaskRow>,
    can_draft: bool,
    done: Option<&'static str>,
}

pub async fn meeting(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    let today = calendar::today();
    let m = visible_meeting(&state, &user, id).await?;
    let host = orgs::get(&state.db, m.org_id, today).await?.map(|o| o.name).unwrap_or_default();
    let tasks = tasks::of_meeting(&state.db, id, today).await?.iter().map(|t| row(t, today)).collect();
    let page = MeetingPage {
        layout: Layout::new(&user, "meetings"),
        id,
        kind: meeting_kind_label(&m.kind),
        held: vi::date(m.held_on),
        host,
        can_draft: user.user.role.may_direct() && !m.conclusion.is_empty(),
        title: m.title,
        chair: m.chair,
        attendees: m.attendees,
        reports: m.reports,
        conclusion: m.conclusion,
        tasks,
        done: done_message(p.done.as_deref()),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "tasks/document.html")]
struct DocumentPage {
    layout: Layout,
    d: DocumentRow,
    issuer: String,
    files: Vec<super::tasks::FileRow>,
    tasks: Vec<TaskRow>,
    done: Option<&'static str>,
}

/// `/documents/{id}`: a registered document, its files and the tasks assigned under it.
pub async fn document(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    let today = calendar::today();
    let d = crate::tasks::visible_document(&state, &user, id).await?;
    let files = super::tasks::file_rows(dangvu_store::files::of_document(&state.db, id).await?);
    let tasks = tasks::of_document(&state.db, id, today).await?.iter().map(|t| row(t, today)).collect();
    let page = DocumentPage {
        layout: Layout::new(&user, "documents"),
        issuer: d.issuer.clone(),
        d: DocumentRow {
            id: d.id,
            type_name: dangvu_domain::tasks::document::parse_number(&d.number)
                .map(|n| n.type_name())
                .unwrap_or("Văn bản"),
            number: d.number,
            title: d.title,
            issued: vi::date(d.issued_on),
        },
        files,
        tasks,
        done: done_message(p.done.as_deref()),
    };
    Ok(render(&page)?.into_response())
}
