//! Pages of cell meetings: a cell's meetings and the form that schedules them, one meeting with
//! its attendance and minutes, and a committee's view of the month across its cells.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use dangvu_domain::accounts::Role;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::{Attendance, Kind, Month, Reply, State as MeetingState};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::tasks::Review;
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings::{
    self, AttendanceEntry, CellMeeting, Comment, MinutesHead, Resolution, RosterLine, SELF_SCORES,
};
use dangvu_store::orgs::{self, Org};
use serde::Deserialize;

use crate::pages::{Layout, PageForm, PageId, PageResult, PageUser, done_message, render};

/// A topic for every cell below, from the supervision page.
#[derive(Deserialize)]
pub struct TopicForm {
    org_code: String,
    month: String,
    title: String,
    #[serde(default)]
    detail: String,
}

pub async fn push_topic(State(state): State<AppState>, f: PageForm<TopicForm>) -> PageResult {
    let PageForm { user, form } = f;
    let today = calendar::today();
    let org = page_org(&state, &user, Some(&form.org_code), today).await?;
    let month = Month::parse(&form.month).ok_or_else(|| AppError::invalid("month", "Hãy chọn tháng"))?;
    let topic = NewTopic { month, title: form.title, detail: form.detail, document_id: None };
    let result = crate::cell_meetings::push_topic(&state, &user, org.id, Ok(topic)).await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cell-meetings?org_code={}&month={month}&done=topic", org.code)).into_response())
        }
        Err(AppError::Invalid(errors)) => super::supervision::page(&state, &user, &org, month, None, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    month: String,
}

pub async fn withdraw_topic(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<WithdrawForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let org = crate::cell_meetings::withdraw_topic(&state, &user, id).await?;
    let month = Month::parse(&form.month).map(|m| m.to_string()).unwrap_or_default();
    Ok(Redirect::to(&format!("/cell-meetings?org_code={}&month={month}&done=topic_withdrawn", org.code))
        .into_response())
}
use crate::AppState;
use crate::cell_meetings::{
    Amendment, Answer, Draft, NewTopic, Parsed, Plan, Progress, member_cell, require_supervisor, visible_cell_meeting,
};
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::scope::{Seen, seen_on};

/// A meeting in a list.
pub struct MeetingRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub state: &'static str,
    pub attendance: String,
}

impl MeetingRow {
    pub fn of(m: &CellMeeting) -> MeetingRow {
        MeetingRow {
            id: m.id,
            title: m.title.clone(),
            kind: m.kind.label(),
            when: dangvu_domain::vi::day_and_time(m.scheduled_at),
            state: m.state.label(),
            attendance: if m.recorded > 0 { format!("{}/{} có mặt", m.present, m.recorded) } else { String::new() },
        }
    }
}

#[derive(Deserialize, Default)]
pub struct IndexParams {
    org_code: Option<String>,
    org_id: Option<OrgId>,
    month: Option<String>,
    done: Option<String>,
}

/// The organisation a page is about: the one named by code, or the account's own.
async fn page_org(state: &AppState, user: &SessionUser, code: Option<&str>, on: NaiveDate) -> Result<Org, AppError> {
    let seen = seen_on(state, user, on).await?;
    let code = code.map(str::trim).filter(|c| !c.is_empty()).and_then(|c| c.split_whitespace().next());
    let org = match code {
        Some(code) => orgs::get_by_code(&state.db, code, on).await?,
        None => match (&seen, user.user.org_id) {
            (Seen::All, _) => orgs::roots(&state.db, on).await?.into_iter().next(),
            (_, Some(id)) => orgs::get(&state.db, id, on).await?,
            _ => None,
        },
    };
    match org {
        Some(o) if seen.contains(&o.path) => Ok(o),
        _ => Err(AppError::NotFound),
    }
}

/// `/cell-meetings`: a cell's meetings, or for a committee the month across its cells.
pub async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<IndexParams>,
) -> PageResult {
    let today = calendar::today();
    let org = match p.org_id {
        Some(id) => crate::scope::visible_org(&state, &user, id, today).await?,
        None => page_org(&state, &user, p.org_code.as_deref(), today).await?,
    };
    let month = p.month.as_deref().and_then(Month::parse).unwrap_or_else(|| Month::of(today));
    if org.kind.holds_members() {
        cell_page(&state, &user, &org, done_message(p.done.as_deref()), Vec::new(), None).await
    } else {
        require_supervisor(&user)?;
        super::supervision::page(&state, &user, &org, month, done_message(p.done.as_deref()), Vec::new()).await
    }
}

/// `/cell-meetings/export?org_code=&month=`: the month's supervision as XLSX.
pub async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<IndexParams>,
) -> PageResult {
    let today = calendar::today();
    let org = page_org(&state, &user, p.org_code.as_deref(), today).await?;
    let month = p.month.as_deref().and_then(Month::parse).unwrap_or_else(|| Month::of(today));
    Ok(crate::cell_meetings::supervision_file(&state, &user, &org, month).await?)
}

#[derive(Deserialize, Default)]
pub struct BookParams {
    org_code: Option<String>,
    year: Option<i32>,
}

/// `/cell-meetings/book?org_code=&year=`: the cell's minutes of a year as a PDF book.
pub async fn book(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<BookParams>,
) -> PageResult {
    let today = calendar::today();
    let org = page_org(&state, &user, p.org_code.as_deref(), today).await?;
    let year = p.year.unwrap_or_else(|| chrono::Datelike::year(&today));
    Ok(crate::cell_meetings::minutes_book_file(&state, &user, &org, year).await?)
}

#[derive(Template)]
#[template(path = "cell_meetings/meetings.html")]
struct CellPage {
    layout: Layout,
    org_name: String,
    org_code: String,
    parent_code: Option<String>,
    years: Vec<i32>,
    rows: Vec<MeetingRow>,
    can_hold: bool,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
    form: ScheduleForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct ScheduleForm {
    org_code: String,
    kind: String,
    date: String,
    time: String,
    topic: String,
    place: String,
    agenda: String,
}

async fn cell_page(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
    form: Option<ScheduleForm>,
) -> PageResult {
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let meetings = cell_meetings::of_cell(&state.db, org.id, None, i64::MAX, 60).await?;
    let parent_code = match org.parent_id {
        Some(p) => orgs::get(&state.db, p, calendar::today()).await?.map(|o| o.code),
        None => None,
    };
    let form = form.unwrap_or_else(|| ScheduleForm {
        org_code: org.code.clone(),
        kind: "regular".into(),
        date: dangvu_domain::cell_meetings::next_regular_day(rules.regular_day, calendar::today())
            .format("%Y-%m-%d")
            .to_string(),
        time: rules.regular_time.clone(),
        topic: String::new(),
        place: String::new(),
        agenda: rules.agenda_template.join("\n"),
    });
    let page = CellPage {
        layout: Layout::new(user, "cell_meetings"),
        org_name: org.name.clone(),
        org_code: org.code.clone(),
        parent_code,
        years: {
            let mut years: Vec<i32> = meetings.iter().map(|m| m.month().year()).collect();
            years.dedup();
            years
        },
        rows: meetings.iter().map(MeetingRow::of).collect(),
        can_hold: user.user.role.may_hold_cell_meetings(),
        errors,
        done,
        form,
    };
    Ok(render(&page)?.into_response())
}

/// The meeting the form asks for, or what is wrong with it.
fn plan_of(form: &ScheduleForm) -> Parsed<Plan> {
    let kind = Kind::parse(&form.kind).ok_or_else(|| AppError::invalid("kind", "Hãy chọn loại sinh hoạt"))?;
    let at = dangvu_domain::cell_meetings::parse_scheduled_at(&format!("{}T{}", form.date.trim(), form.time.trim()))
        .ok_or_else(|| AppError::invalid("scheduled_at", "Ngày giờ họp không hợp lệ"))?;
    Ok(Plan {
        kind,
        scheduled_at: at,
        title: form.topic.clone(),
        place: form.place.clone(),
        agenda: Some(form.agenda.lines().map(str::to_owned).collect()),
    })
}

/// Schedules a meeting from the form; the form again with its errors when it is refused.
pub async fn create(State(state): State<AppState>, f: PageForm<ScheduleForm>) -> PageResult {
    let PageForm { user, form } = f;
    let today = calendar::today();
    let org = page_org(&state, &user, Some(&form.org_code), today).await?;
    // The form proposes the usual agenda; left as proposed (or empty), the agenda follows the
    // kind chosen, so that a thematic meeting gets its own course.
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let plan = plan_of(&form).map(|mut plan| {
        let typed: Vec<String> =
            form.agenda.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if typed.is_empty() || typed == rules.agenda_template {
            plan.agenda = None;
        }
        plan
    });
    let result = crate::cell_meetings::schedule(&state, &user, org.id, plan).await;
    match result {
        Ok(m) => Ok(Redirect::to(&format!("/cell-meetings/{}?done=cell_meeting", m.id)).into_response()),
        Err(AppError::Invalid(errors)) => cell_page(&state, &user, &org, None, errors, Some(form)).await,
        Err(e) => Err(e.into()),
    }
}

/// One attendance line of the form.
pub struct AttendanceRow {
    pub member_id: MemberId,
    pub full_name: String,
    pub probationary: bool,
    pub reply: String,
    /// The recorded status's code (the form's value) and its label (what is read).
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
}

impl AttendanceRow {
    fn of(l: &RosterLine) -> AttendanceRow {
        let reply = match (l.reply, &l.reply_reason) {
            (Some(Reply::Excused), Some(r)) => format!("Xin vắng: {r}"),
            (Some(r), _) => r.label().to_owned(),
            (None, _) => String::new(),
        };
        // Before anything is recorded, the form proposes what the member answered.
        let status = match (l.status, l.reply) {
            (Some(s), _) => s,
            (None, Some(Reply::Excused)) => Attendance::Excused,
            (None, _) => Attendance::Present,
        };
        AttendanceRow {
            member_id: l.member_id,
            full_name: l.full_name.clone(),
            probationary: l.member_status == "probationary",
            reply,
            status: status.as_str(),
            status_label: status.label(),
            reason: l.reason.clone().or_else(|| l.reply_reason.clone()).unwrap_or_default(),
        }
    }
}

/// A topic set from above, as a cell reads it.
pub struct TopicView {
    pub title: String,
    pub detail: String,
    pub from: String,
    pub document: String,
}

impl TopicView {
    fn of(t: &cell_meetings::topics::Topic) -> TopicView {
        TopicView {
            title: t.title.clone(),
            detail: t.detail.clone(),
            from: t.org_name.clone(),
            document: t.document.clone().unwrap_or_default(),
        }
    }
}

/// A document to read, with whether it came later than the rules ask.
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub size_kb: i64,
    pub late: bool,
}

/// The meeting's documents; one added less than `lead_days` before the meeting is late.
async fn files_of(state: &AppState, m: &CellMeeting, lead_days: u32) -> Result<Vec<FileView>, AppError> {
    let deadline = (m.scheduled_at - chrono::Duration::days(i64::from(lead_days))).timestamp_micros();
    Ok(dangvu_store::files::of_cell_meeting(&state.db, m.id)
        .await?
        .into_iter()
        .map(|f| FileView { id: f.id, name: f.name, size_kb: (f.size + 1023) / 1024, late: f.created_at > deadline })
        .collect())
}

/// Documents to read, from the meeting page.
pub async fn attach(State(state): State<AppState>, PageId(id): PageId, f: crate::pages::PageUpload) -> PageResult {
    let crate::pages::PageUpload { user, files, .. } = f;
    let result = crate::cell_meetings::attach(&state, &user, id, std::future::ready(Ok(files))).await.map(|_| ());
    after(&state, &user, id, "file", result).await
}

/// A member's task, as a list shows it.
pub struct TaskView {
    pub id: i64,
    pub member: String,
    pub title: String,
    pub due: String,
    pub status: &'static str,
    pub progress: i64,
    pub report: String,
    pub pending: bool,
    pub returned: bool,
}

impl TaskView {
    pub fn of(t: &cell_meetings::tasks::MemberTask) -> TaskView {
        TaskView {
            id: t.id,
            member: t.member_name.clone(),
            title: t.title.clone(),
            due: t.due_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "không hạn".into()),
            status: if t.review == Review::Pending { "Chờ bí thư công nhận" } else { t.status.label() },
            progress: t.progress,
            report: t.report.clone(),
            pending: t.review == Review::Pending,
            returned: t.review == Review::Returned,
        }
    }
}

pub struct CommentView {
    pub author: String,
    pub item: String,
    pub body: String,
    pub when: String,
}

impl CommentView {
    fn of(c: &Comment, agenda: &[String]) -> CommentView {
        let item = usize::try_from(c.agenda_item)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| agenda.get(i))
            .map(|t| format!("Mục {}: {t}", c.agenda_item))
            .unwrap_or_else(|| "Chung".into());
        CommentView {
            author: c.author.clone(),
            item,
            body: c.body.clone(),
            when: dangvu_domain::vi::day_and_time(c.created_at),
        }
    }
}

pub struct VersionView {
    pub version: i64,
    pub head: Vec<(&'static str, String)>,
    pub approved: String,
    pub change_reason: String,
    pub text: String,
    pub resolutions: Vec<String>,
}

#[derive(Template)]
#[template(path = "cell_meetings/meeting.html")]
struct MeetingPage {
    layout: Layout,
    m: MeetingRow,
    /// The time as the reschedule form's `datetime-local` input takes it.
    scheduled_input: String,
    place: String,
    cancel_reason: String,
    org_name: String,
    org_code: String,
    agenda: Vec<String>,
    topics: Vec<TopicView>,
    roster: Vec<AttendanceRow>,
    expected: usize,
    replied: usize,
    can_hold: bool,
    scheduled: bool,
    held: bool,
    /// The minutes are approved: the roll call is locked with them.
    locked: bool,
    approvable: bool,
    head: MinutesHead,
    self_scores: [(&'static str, &'static str); 4],
    length_warning: String,
    minutes_text: String,
    resolutions_text: String,
    amending: bool,
    versions: Vec<VersionView>,
    comments: Vec<CommentView>,
    tasks: Vec<TaskView>,
    files: Vec<FileView>,
    lead_days: u32,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
    statuses: [(&'static str, &'static str); 3],
}

#[derive(Template)]
#[template(path = "cell_meetings/handbook_meeting.html")]
struct HandbookMeetingPage {
    csrf: String,
    name: String,
    m: MeetingRow,
    place: String,
    cancel_reason: String,
    agenda: Vec<(usize, String)>,
    topics: Vec<TopicView>,
    files: Vec<FileView>,
    my_reply: String,
    my_reason: String,
    can_reply: bool,
    can_comment: bool,
    minutes: Option<VersionView>,
    comments: Vec<CommentView>,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ShowParams {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<ShowParams>,
) -> PageResult {
    meeting_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

async fn meeting_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let meeting = visible_cell_meeting(state, user, id).await?;
    if user.user.role == Role::Member {
        return handbook_meeting(state, user, &meeting, errors, done).await;
    }
    let roster = cell_meetings::roster(&state.db, &meeting).await?;
    let versions = cell_meetings::minutes_versions(&state.db, id).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let comments = cell_meetings::comments(&state.db, id).await?;
    let org = orgs::get(&state.db, meeting.org_id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    let topics = crate::cell_meetings::topics_of(state, &meeting).await?;
    let tasks = cell_meetings::tasks::of_meeting(&state.db, meeting.id, calendar::today()).await?;
    let latest = versions.first();
    let amending = latest.is_some_and(|v| v.approved_at.is_some());
    let minutes_text = match latest {
        Some(v) => v.text.clone(),
        None => minutes_draft(&meeting, &org, &roster, &topics),
    };
    let resolutions_text = latest
        .map(|v| {
            v.resolutions
                .iter()
                .map(|r| match (r.votes_for, r.votes_against, r.votes_abstain) {
                    (None, None, None) => r.text.clone(),
                    (f, a, b) => format!("{} | {} | {} | {}", r.text, f.unwrap_or(0), a.unwrap_or(0), b.unwrap_or(0)),
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let page = MeetingPage {
        layout: Layout::new(user, "cell_meetings"),
        m: MeetingRow::of(&meeting),
        scheduled_input: meeting.scheduled_at.format("%Y-%m-%dT%H:%M").to_string(),
        place: meeting.place.clone(),
        cancel_reason: meeting.cancel_reason.clone().unwrap_or_default(),
        org_name: org.name.clone(),
        org_code: org.code.clone(),
        agenda: meeting.agenda.clone(),
        topics: topics.iter().map(TopicView::of).collect(),
        expected: roster.len(),
        replied: roster.iter().filter(|l| l.reply.is_some()).count(),
        roster: roster.iter().map(AttendanceRow::of).collect(),
        can_hold: user.user.role.may_hold_cell_meetings(),
        scheduled: meeting.state == MeetingState::Scheduled,
        held: matches!(meeting.state, MeetingState::Held | MeetingState::Approved),
        locked: meeting.state == MeetingState::Approved,
        approvable: meeting.state == MeetingState::Held && latest.is_some_and(|v| v.approved_at.is_none()),
        head: latest.map(|v| v.head.clone()).unwrap_or_default(),
        self_scores: SELF_SCORES,
        length_warning: rules.length_warning(latest.and_then(|v| v.head.length_minutes())).unwrap_or_default(),
        minutes_text,
        resolutions_text,
        amending,
        versions: versions.iter().map(version_view).collect(),
        comments: comments.iter().map(|c| CommentView::of(c, &meeting.agenda)).collect(),
        tasks: tasks.iter().map(TaskView::of).collect(),
        files: files_of(state, &meeting, rules.documents_lead_days).await?,
        lead_days: rules.documents_lead_days,
        errors,
        done,
        statuses: [
            (Attendance::Present.as_str(), Attendance::Present.label()),
            (Attendance::Excused.as_str(), Attendance::Excused.label()),
            (Attendance::Absent.as_str(), Attendance::Absent.label()),
        ],
    };
    Ok(render(&page)?.into_response())
}

fn version_view(v: &cell_meetings::Minutes) -> VersionView {
    let h = &v.head;
    let time = match (h.started_at.as_str(), h.ended_at.as_str()) {
        ("", "") => String::new(),
        (a, b) => format!("{a} – {b}"),
    };
    VersionView {
        head: [
            ("Chủ trì", h.chair.clone()),
            ("Thư ký", h.secretary.clone()),
            ("Khách mời", h.guests.clone()),
            ("Thời gian", time),
            ("Tự đánh giá", h.self_score_label().to_owned()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect(),
        version: v.version,
        approved: v.approved_at.map(dangvu_domain::vi::day_and_time).unwrap_or_default(),
        change_reason: v.change_reason.clone(),
        text: v.text.clone(),
        resolutions: v.resolutions.iter().map(Resolution::describe).collect(),
    }
}

/// The minutes as the template lays them out, filled from what is known: time, place, the
/// attendance with the absent members by name and reason, one heading per agenda item.
fn minutes_draft(m: &CellMeeting, org: &Org, roster: &[RosterLine], topics: &[cell_meetings::topics::Topic]) -> String {
    let present = roster.iter().filter(|l| l.status == Some(Attendance::Present)).count();
    let absent: Vec<String> = roster
        .iter()
        .filter(|l| matches!(l.status, Some(Attendance::Excused | Attendance::Absent)))
        .map(|l| match (&l.status, &l.reason) {
            (Some(Attendance::Excused), Some(r)) => format!("{} (có lý do: {r})", l.full_name),
            (Some(Attendance::Excused), None) => format!("{} (có lý do)", l.full_name),
            _ => format!("{} (không lý do)", l.full_name),
        })
        .collect();
    let mut out = format!(
        "BIÊN BẢN {}\n{}\n\nThời gian: {}\nĐịa điểm: {}\n\
         Đảng viên có mặt: {present}/{}\nVắng: {}\n\nNỘI DUNG\n",
        m.title.to_uppercase(),
        org.name,
        dangvu_domain::vi::day_and_time(m.scheduled_at),
        m.place,
        roster.len(),
        if absent.is_empty() { "không".to_owned() } else { absent.join("; ") },
    );
    let items = m
        .agenda
        .iter()
        .cloned()
        .chain(topics.iter().map(|t| format!("{} (theo định hướng của {})", t.title, t.org_name)));
    for (i, item) in items.enumerate() {
        out.push_str(&format!("\n{}. {item}\nÝ kiến phát biểu: \nKết luận của chủ trì: \n", i + 1));
    }
    out.push_str("\nBiên bản được đọc lại trước khi bế mạc.\n");
    out
}

async fn handbook_meeting(
    state: &AppState,
    user: &SessionUser,
    meeting: &CellMeeting,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let own = member_cell(state, user).await?;
    let roster = cell_meetings::roster(&state.db, meeting).await?;
    let mine = roster.iter().find(|l| Some(l.member_id) == user.user.member_id);
    let in_cell = own.is_some_and(|(_, cell)| cell == meeting.org_id);
    let minutes = cell_meetings::current_minutes(&state.db, meeting.id).await?.filter(|v| v.approved_at.is_some());
    let comments = cell_meetings::comments(&state.db, meeting.id).await?;
    let topics = crate::cell_meetings::topics_of(state, meeting).await?;
    let lead_days = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules.documents_lead_days;
    let page = HandbookMeetingPage {
        topics: topics.iter().map(TopicView::of).collect(),
        files: files_of(state, meeting, lead_days).await?,
        csrf: user.csrf_token.clone(),
        name: mine.map(|l| l.full_name.clone()).unwrap_or_else(|| user.user.username.clone()),
        m: MeetingRow::of(meeting),
        place: meeting.place.clone(),
        cancel_reason: meeting.cancel_reason.clone().unwrap_or_default(),
        agenda: meeting.agenda.iter().cloned().enumerate().map(|(i, t)| (i + 1, t)).collect(),
        my_reply: mine.and_then(|l| l.reply).map(|r| r.as_str().to_owned()).unwrap_or_default(),
        my_reason: mine.and_then(|l| l.reply_reason.clone()).unwrap_or_default(),
        can_reply: in_cell && meeting.state == MeetingState::Scheduled,
        can_comment: in_cell && matches!(meeting.state, MeetingState::Scheduled | MeetingState::Held),
        minutes: minutes.as_ref().map(version_view),
        comments: comments.iter().map(|c| CommentView::of(c, &meeting.agenda)).collect(),
        errors,
        done,
    };
    Ok(render(&page)?.into_response())
}

/// After a change to a meeting: back to it with a message, or the page again with the errors.
async fn after(state: &AppState, user: &SessionUser, id: i64, done: &str, result: Result<(), AppError>) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cell-meetings/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => meeting_page(state, user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

/// The attendance the form records: `s{member_id}` the status, `r{member_id}` the reason.
fn attendance_of(form: &[(String, String)]) -> Parsed<Vec<AttendanceEntry>> {
    let field = |prefix: char, member: MemberId| {
        let key = format!("{prefix}{member}");
        form.iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim().to_owned())
    };
    let mut entries = Vec::new();
    for (k, v) in form {
        let Some(member_id) = k.strip_prefix('s').and_then(|n| n.parse::<MemberId>().ok()) else { continue };
        let status = Attendance::parse(v).ok_or_else(|| AppError::invalid("status", "Hãy chọn có mặt hoặc vắng"))?;
        entries.push(AttendanceEntry { member_id, status, reason: field('r', member_id) });
    }
    Ok(entries)
}

/// The attendance form: `s{member_id}` the status, `r{member_id}` the reason.
pub async fn attendance(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<Vec<(String, String)>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = crate::cell_meetings::record_attendance(&state, &user, id, attendance_of(&form)).await.map(|_| ());
    after(&state, &user, id, "attendance", result).await
}

#[derive(Deserialize)]
pub struct MinutesForm {
    #[serde(default)]
    chair: String,
    #[serde(default)]
    secretary: String,
    #[serde(default)]
    guests: String,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    ended_at: String,
    #[serde(default)]
    self_score: String,
    text: String,
    #[serde(default)]
    resolutions: String,
    #[serde(default)]
    change_reason: String,
}

/// One resolution per line: its text, then optionally `| for | against | abstain`.
fn parse_resolutions(raw: &str) -> Result<Vec<Resolution>, AppError> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let mut parts = line.split('|').map(str::trim);
        let text = parts.next().unwrap_or_default().to_owned();
        let votes: Vec<&str> = parts.collect();
        let number = |k: usize| -> Result<Option<i64>, AppError> {
            match votes.get(k).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s.parse().map(Some).map_err(|_| {
                    AppError::invalid("resolutions", format!("Nghị quyết {}: số phiếu phải là số", i + 1))
                }),
            }
        };
        out.push(Resolution { text, votes_for: number(0)?, votes_against: number(1)?, votes_abstain: number(2)? });
    }
    Ok(out)
}

/// The minutes the form writes, or what is wrong with them.
fn draft_of(form: MinutesForm) -> Parsed<Draft> {
    let resolutions = parse_resolutions(&form.resolutions)?;
    let head = MinutesHead {
        chair: form.chair,
        secretary: form.secretary,
        guests: form.guests,
        started_at: form.started_at,
        ended_at: form.ended_at,
        self_score: form.self_score,
    };
    Ok(Draft { head, text: form.text, resolutions, change_reason: form.change_reason })
}

pub async fn minutes(State(state): State<AppState>, PageId(id): PageId, f: PageForm<MinutesForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = crate::cell_meetings::write_minutes(&state, &user, id, draft_of(form)).await.map(|_| ());
    after(&state, &user, id, "minutes", result).await
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn approve(State(state): State<AppState>, PageId(id): PageId, f: PageForm<EmptyForm>) -> PageResult {
    let user = f.user;
    let result = crate::cell_meetings::approve_minutes(&state, &user, id).await.map(|_| ());
    after(&state, &user, id, "approved", result).await
}

#[derive(Deserialize)]
pub struct RescheduleForm {
    scheduled_at: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    place: String,
}

/// Moves a meeting that has not been held, or changes its topic or place.
pub async fn reschedule(State(state): State<AppState>, PageId(id): PageId, f: PageForm<RescheduleForm>) -> PageResult {
    let PageForm { user, form } = f;
    let amendment = dangvu_domain::cell_meetings::parse_scheduled_at(&form.scheduled_at)
        .ok_or_else(|| AppError::invalid("scheduled_at", "Thời gian họp không hợp lệ (ví dụ 2026-03-03T07:30)"))
        .map(|at| Amendment { scheduled_at: Some(at), title: Some(form.topic), place: Some(form.place), agenda: None });
    let result = crate::cell_meetings::reschedule(&state, &user, id, amendment).await.map(|_| ());
    after(&state, &user, id, "meeting_moved", result).await
}

#[derive(Deserialize)]
pub struct CancelForm {
    reason: String,
}

pub async fn cancel(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CancelForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = crate::cell_meetings::cancel(&state, &user, id, &form.reason).await.map(|_| ());
    after(&state, &user, id, "meeting_cancelled", result).await
}

#[derive(Deserialize)]
pub struct ReplyForm {
    reply: String,
    #[serde(default)]
    reason: String,
}

pub async fn reply(State(state): State<AppState>, PageId(id): PageId, f: PageForm<ReplyForm>) -> PageResult {
    let PageForm { user, form } = f;
    let answer = Reply::parse(&form.reply)
        .ok_or_else(|| AppError::invalid("reply", "Hãy chọn dự họp hoặc xin vắng"))
        .map(|reply| Answer { reply, reason: form.reason, member_id: None });
    let result = crate::cell_meetings::reply(&state, &user, id, answer).await.map(|_| ());
    after(&state, &user, id, "reply", result).await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    agenda_item: String,
    body: String,
}

pub async fn comment(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CommentForm>) -> PageResult {
    let PageForm { user, form } = f;
    let item = form.agenda_item.trim().parse().unwrap_or(0);
    let result = crate::cell_meetings::comment(&state, &user, id, item, &form.body).await.map(|_| ());
    after(&state, &user, id, "comment", result).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    member_id: MemberId,
    title: String,
    #[serde(default)]
    due_on: String,
}

pub async fn assign_task(State(state): State<AppState>, PageId(id): PageId, f: PageForm<AssignForm>) -> PageResult {
    let PageForm { user, form } = f;
    let due_on = Some(form.due_on.as_str());
    let result =
        crate::cell_meetings::assign_task(&state, &user, id, form.member_id, &form.title, due_on).await.map(|_| ());
    after(&state, &user, id, "member_task", result).await
}

#[derive(Deserialize)]
pub struct TaskReportForm {
    progress: String,
    #[serde(default)]
    note: String,
}

/// The member's report from the handbook; back to the handbook.
pub async fn report_task(State(state): State<AppState>, PageId(id): PageId, f: PageForm<TaskReportForm>) -> PageResult {
    let PageForm { user, form } = f;
    let report = form
        .progress
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("progress", "Tiến độ là số từ 0 đến 100"))
        .map(|progress| Progress { progress, note: form.note });
    let task = crate::cell_meetings::report_task(&state, &user, id, report).await?;
    let target = if user.user.role == Role::Member {
        "/?done=task_report#tasks".to_owned()
    } else {
        format!("/cell-meetings/{}?done=task_report", task.meeting_id)
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Deserialize)]
pub struct TaskReviewForm {
    accept: String,
}

pub async fn review_task(State(state): State<AppState>, PageId(id): PageId, f: PageForm<TaskReviewForm>) -> PageResult {
    let PageForm { user, form } = f;
    // Read first, as the page goes back to the task's meeting even when the review is refused.
    let task = crate::cell_meetings::visible_member_task(&state, &user, id).await?;
    let result = crate::cell_meetings::review_task(&state, &user, id, form.accept == "true").await.map(|_| ());
    after(&state, &user, task.meeting_id, "task_review", result).await
}
