//! The petitions' pages: the register of a subtree (`/petitions`), a letter's intake
//! (`/petitions/new`), a case with its clock, steps and handlers (`/petitions/{id}`), the figures
//! with the monthly trend (`/petitions/figures`), and the citizens' reception sessions of an
//! organisation (`/orgs/{id}/receptions`). The sender of a denunciation shows only on its case
//! page, only to its handlers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::petitions::{Channel, Concerns, Event, Kind, NotHandledReason, Outcome, State as CaseState};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::petitions::figures::Line;
use dangvu_store::petitions::{Figures, Petition, Reception, Sender};
use serde::Deserialize;

use super::{CaseView, Letter, StepInput};
use crate::AppState;
use crate::error::AppError;
use crate::pages::{Layout, PageForm, PageId, PageQuery, PageResult, PageRoutes, PageUser, form_status, render_with};
use crate::scope::optional_date;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/petitions", get(register).post(create))
        .route("/petitions/new", get(new_letter))
        .route("/petitions/figures", get(figures))
        .route("/petitions/report", get(report))
        .route("/petitions/{id}", get(show))
        .route("/petitions/{id}/steps", post(step))
        .route("/petitions/{id}/handlers", post(handler))
        .route("/petitions/{id}/disclosures", post(disclosure))
        .route("/petitions/{id}/letter", get(letter))
        .route("/petitions/{id}/scans", post(scan).layer(crate::pages::upload_limit()))
        .route("/petition-scans/{id}", get(scan_file))
        .route("/orgs/{id}/receptions", get(receptions).post(add_reception))
}

fn date_or_empty(d: Option<chrono::NaiveDate>) -> String {
    d.map(vi::date).unwrap_or_default()
}

/// A case as a row of the register.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub received_on: String,
    pub kind: &'static str,
    pub channel: &'static str,
    pub concerns: String,
    pub summary: String,
    pub status: &'static str,
    pub timing: &'static str,
    pub timing_label: &'static str,
    pub due: String,
    pub org_name: String,
}

pub fn row(p: &Petition) -> Row {
    let summary: String = p.summary.chars().take(140).collect();
    let due = match p.status {
        CaseState::Received => vi::date(p.accept_due_on),
        _ => date_or_empty(p.due_on),
    };
    Row {
        id: p.id,
        number: p.number.clone(),
        received_on: vi::date(p.received_on),
        kind: p.kind.label(),
        channel: p.channel.label(),
        concerns: if p.concerns_text.is_empty() { p.concerns.label().to_owned() } else { p.concerns_text.clone() },
        summary: if p.summary.chars().count() > 140 { format!("{summary}…") } else { summary },
        status: p.status.label(),
        timing: p.timing.as_str(),
        timing_label: p.timing.label(),
        due,
        org_name: p.org_name.clone(),
    }
}

// ------------------------------------------------------------------ the register

#[derive(Deserialize)]
pub struct RegisterQuery {
    org_id: Option<i64>,
    status: Option<String>,
    kind: Option<String>,
    overdue: Option<String>,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "petitions/register.html")]
struct RegisterPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    rows: Vec<Row>,
    status: String,
    kind: String,
    overdue: bool,
    states: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    next: Option<i64>,
    registers: bool,
}

const PAGE: i64 = 100;

async fn register(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<RegisterQuery>,
) -> PageResult {
    let status = q.status.clone().filter(|s| !s.is_empty());
    let kind = q.kind.clone().filter(|k| !k.is_empty());
    let overdue = q.overdue.as_deref().is_some_and(|o| !o.is_empty());
    let filter = super::RegisterFilter {
        org_id: q.org_id.map(OrgId::from),
        status: status.as_deref(),
        kind: kind.as_deref(),
        overdue,
    };
    let (org, items) = super::list(&state, &user, filter, PAGE, q.before.unwrap_or(0)).await?;
    let next = (items.len() as i64 == PAGE).then(|| items.last().map(|p| p.id)).flatten();
    let page = RegisterPage {
        layout: Layout::new(&user, "petitions"),
        org_id: i64::from(org.id),
        org_name: org.name,
        rows: items.iter().map(row).collect(),
        status: status.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        overdue,
        states: CaseState::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        next,
        registers: user.user.role.may_register_petitions(),
    };
    Ok(render_with(StatusCode::OK, &page))
}

// ------------------------------------------------------------------ intake

#[derive(Deserialize, Default, Clone)]
pub struct LetterForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    sender_name: String,
    #[serde(default)]
    sender_address: String,
    #[serde(default)]
    sender_phone: String,
    #[serde(default)]
    concerns: String,
    #[serde(default)]
    concerns_member_id: String,
    #[serde(default)]
    concerns_org_id: String,
    #[serde(default)]
    concerns_text: String,
    #[serde(default)]
    congress_id: String,
    #[serde(default)]
    reception_id: String,
    #[serde(default)]
    also_denounces: String,
}

#[derive(Template)]
#[template(path = "petitions/new.html")]
struct NewPage {
    layout: Layout,
    form: LetterForm,
    errors: Vec<FieldError>,
    today: String,
    kinds: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    subjects: Vec<(&'static str, &'static str)>,
}

fn new_page(user: &SessionUser, form: LetterForm, errors: Vec<FieldError>) -> PageResult {
    let page = NewPage {
        layout: Layout::new(user, "petitions"),
        form,
        today: calendar::today().to_string(),
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        channels: Channel::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        subjects: Concerns::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

#[derive(Deserialize)]
pub struct NewQuery {
    org_id: Option<i64>,
    reception_id: Option<i64>,
}

async fn new_letter(PageUser(user): PageUser, PageQuery(q): PageQuery<NewQuery>) -> PageResult {
    if !user.user.role.may_register_petitions() {
        return Err(AppError::forbidden().into());
    }
    let form = LetterForm {
        org_id: q.org_id.map(|o| o.to_string()).unwrap_or_default(),
        reception_id: q.reception_id.map(|r| r.to_string()).unwrap_or_default(),
        channel: if q.reception_id.is_some() { "reception".into() } else { "post".into() },
        ..Default::default()
    };
    new_page(&user, form, Vec::new())
}

fn optional_id(raw: &str, field: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| AppError::invalid(field, "Mã số không hợp lệ"))
}

/// The organisation a letter concerns, as the picker names it (or its code, or its id).
async fn concerned_org(state: &AppState, raw: &str) -> Result<Option<OrgId>, AppError> {
    if let Some(id) = optional_id(raw, "concerns_org_id").ok().flatten() {
        return Ok(Some(OrgId::from(id)));
    }
    match crate::pages::codes_to_ids(state, raw, "concerns_org_id").await?[..] {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(AppError::invalid("concerns_org_id", "Chỉ chọn một tổ chức đảng")),
    }
}

fn letter_of(form: &LetterForm) -> Result<Letter, AppError> {
    let anonymous = !form.anonymous.is_empty();
    let sender = (!anonymous).then(|| Sender {
        full_name: form.sender_name.clone(),
        address: Some(form.sender_address.clone()),
        phone: Some(form.sender_phone.clone()),
        original_summary: None,
    });
    Ok(Letter {
        org_id: optional_id(&form.org_id, "org_id")?.map(OrgId::from),
        number: Some(form.number.clone()),
        received_on: optional_date(Some(&form.received_on), "received_on")?,
        channel: form.channel.clone(),
        kind: form.kind.clone(),
        summary: form.summary.clone(),
        sender,
        concerns: Some(form.concerns.clone()),
        concerns_member_id: optional_id(&form.concerns_member_id, "concerns_member_id")?.map(MemberId::from),
        concerns_org_id: None,
        concerns_text: Some(form.concerns_text.clone()),
        congress_id: optional_id(&form.congress_id, "congress_id")?,
        reception_id: optional_id(&form.reception_id, "reception_id")?,
        also_denounces: !form.also_denounces.is_empty(),
    })
}

async fn create(State(state): State<AppState>, f: PageForm<LetterForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let mut letter = letter_of(&form)?;
        letter.concerns_org_id = concerned_org(&state, &form.concerns_org_id).await?;
        super::register(&state, &user, letter).await
    }
    .await;
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/petitions/{}", r.petition.id)).into_response()),
        Err(AppError::Invalid(errors)) => new_page(&user, form, errors),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ a case

#[derive(Template)]
#[template(path = "petitions/case.html")]
struct CasePage {
    layout: Layout,
    c: CaseView,
    row: Row,
    errors: Vec<FieldError>,
    today: String,
    handles: bool,
    registers: bool,
    custodian: bool,
    steps: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    history: Vec<(String, String, String, String, String)>,
    rule_counted: &'static str,
}

fn event_label(e: &str) -> &'static str {
    match e {
        "register" => "Vào sổ",
        "accept" => "Thụ lý",
        "hold" => "Chuyển cấp ủy khóa mới",
        "release" => "Tiếp tục sau đại hội",
        "pause" => "Tạm dừng chờ bổ sung",
        "resume" => "Tiếp tục giải quyết",
        "extend" => "Gia hạn",
        "verify" => "Xác minh",
        "resolve" => "Kết luận",
        "keep" => "Lưu đơn, không xử lý",
        "forward" => "Chuyển đơn",
        "withdraw" => "Người gửi rút đơn",
        _ => "Bước khác",
    }
}

async fn case_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let c = super::case(state, user, id).await?;
    let handles = user.user.role.may_handle_petitions();
    let custodian = super::is_custodian_for(state, user, &c.petition).await?;
    let steps = c.next_steps.iter().filter_map(|s| Event::parse(s)).map(|e| (e.as_str(), event_label(e.as_str())));
    let page = CasePage {
        layout: Layout::new(user, "petitions"),
        row: row(&c.petition),
        today: calendar::today().to_string(),
        handles,
        registers: user.user.role.may_register_petitions(),
        custodian,
        steps: steps.collect(),
        outcomes: Outcome::ALL.iter().filter(|o| o.fits(c.petition.kind)).map(|o| (o.as_str(), o.label())).collect(),
        reasons: NotHandledReason::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        history: c
            .history
            .iter()
            .map(|h| {
                (
                    event_label(&h.event).to_owned(),
                    vi::date(h.on),
                    h.note.clone(),
                    h.decision.clone().unwrap_or_default(),
                    h.actor_name.clone(),
                )
            })
            .collect(),
        rule_counted: match c.petition.rule.counted_from {
            dangvu_domain::petitions::clock::Start::Receipt => "kể từ ngày nhận đơn",
            dangvu_domain::petitions::clock::Start::Acceptance => "kể từ ngày thụ lý",
        },
        c,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn show(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    case_page(&state, &user, id, Vec::new()).await
}

async fn back_to_case<T>(state: &AppState, user: &SessionUser, id: i64, result: Result<T, AppError>) -> PageResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/petitions/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => case_page(state, user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    event: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    forwarded_to: String,
    #[serde(default)]
    to_org_id: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn step(State(state): State<AppState>, PageId(id): PageId, f: PageForm<StepForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let event = Event::parse(form.event.trim()).ok_or_else(|| AppError::invalid("event", "Bước không hợp lệ"))?;
        let input = StepInput {
            on: optional_date(Some(&form.on), "on")?,
            note: form.note.clone(),
            decision: some(&form.decision),
            outcome: some(&form.outcome),
            reason: some(&form.reason),
            forwarded_to: some(&form.forwarded_to),
            to_org_id: optional_id(&form.to_org_id, "to_org_id")?.map(OrgId::from),
        };
        super::take_step(&state, &user, id, event, input).await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct HandlerForm {
    user_id: String,
}

async fn handler(State(state): State<AppState>, PageId(id): PageId, f: PageForm<HandlerForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let target =
            optional_id(&form.user_id, "user_id")?.ok_or_else(|| AppError::invalid("user_id", "Chọn người xử lý"))?;
        super::add_handler(&state, &user, id, target).await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct DisclosureForm {
    user_id: String,
    #[serde(default)]
    reason: String,
}

async fn disclosure(State(state): State<AppState>, PageId(id): PageId, f: PageForm<DisclosureForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let target = optional_id(&form.user_id, "user_id")?
            .ok_or_else(|| AppError::invalid("user_id", "Chọn tài khoản được xem"))?;
        super::disclose(&state, &user, id, target, &form.reason).await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}

#[derive(Deserialize)]
pub struct LetterQuery {
    kind: String,
    format: Option<String>,
}

async fn letter(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<LetterQuery>,
) -> PageResult {
    Ok(super::letter(&state, &user, id, &q.kind, q.format.as_deref().unwrap_or("pdf")).await?)
}

async fn scan(State(state): State<AppState>, PageId(id): PageId, f: crate::pages::PageUpload) -> PageResult {
    let crate::pages::PageUpload { user, files, .. } = f;
    let result = async {
        let Some((name, data)) = files.into_iter().next() else {
            return Err(AppError::invalid("file", "Chọn tệp bản quét"));
        };
        super::attach_scan(&state, &user, id, &name, data).await
    }
    .await;
    back_to_case(&state, &user, id, result).await
}

async fn scan_file(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    Ok(super::scan_file(&state, &user, id).await?)
}

// ------------------------------------------------------------------ figures

#[derive(Deserialize)]
pub struct FiguresQuery {
    org_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
}

/// One bar of the monthly chart.
pub struct Bar {
    pub month: String,
    pub received: i64,
    pub resolved: i64,
    pub x: i64,
    pub received_height: i64,
    pub resolved_height: i64,
}

#[derive(Template)]
#[template(path = "petitions/figures.html")]
struct FiguresPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    from: String,
    to: String,
    f: Figures,
    bars: Vec<Bar>,
    chart_width: i64,
    sections: Vec<(&'static str, Vec<Line>)>,
}

/// The monthly trend as bars, 160 pixels for the busiest month.
fn bars(f: &Figures) -> Vec<Bar> {
    let top = f.months.iter().map(|m| m.received).max().unwrap_or(0).max(1);
    f.months
        .iter()
        .enumerate()
        .map(|(i, m)| Bar {
            month: m.month.clone(),
            received: m.received,
            resolved: m.resolved,
            x: 40 + i as i64 * 36,
            received_height: m.received * 160 / top,
            resolved_height: m.resolved * 160 / top,
        })
        .collect()
}

async fn figures(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<FiguresQuery>,
) -> PageResult {
    let from = optional_date(q.from.as_deref(), "from")?;
    let to = optional_date(q.to.as_deref(), "to")?;
    let (org, f) = super::figures(&state, &user, q.org_id.map(OrgId::from), from, to).await?;
    let bars = bars(&f);
    let page = FiguresPage {
        layout: Layout::new(&user, "petitions"),
        org_id: i64::from(org.id),
        org_name: org.name,
        from: f.from.to_string(),
        to: f.to.to_string(),
        chart_width: 60 + bars.len() as i64 * 36,
        bars,
        sections: vec![
            ("Theo loại đơn", f.by_kind.values().cloned().collect()),
            ("Theo trạng thái", f.by_status.values().cloned().collect()),
            ("Theo hình thức nhận", f.by_channel.values().cloned().collect()),
            ("Theo đối tượng", f.by_concerns.values().cloned().collect()),
            ("Theo cấp có thẩm quyền", f.by_competent.values().cloned().collect()),
        ],
        f,
    };
    Ok(render_with(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    org_id: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

async fn report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<ReportQuery>,
) -> PageResult {
    let from = optional_date(q.from.as_deref(), "from")?;
    let to = optional_date(q.to.as_deref(), "to")?;
    let format = q.format.unwrap_or_default();
    Ok(super::figures_report(&state, &user, q.org_id.map(OrgId::from), from, to, &format).await?)
}

// ------------------------------------------------------------------ reception sessions

#[derive(Template)]
#[template(path = "petitions/receptions.html")]
struct ReceptionsPage {
    layout: Layout,
    org_id: i64,
    items: Vec<Reception>,
    errors: Vec<FieldError>,
    today: String,
    registers: bool,
}

async fn receptions_page(state: &AppState, user: &SessionUser, org: OrgId, errors: Vec<FieldError>) -> PageResult {
    let items = super::receptions(state, user, org).await?;
    let page = ReceptionsPage {
        layout: Layout::new(user, "petitions"),
        org_id: i64::from(org),
        items,
        today: calendar::today().to_string(),
        registers: user.user.role.may_register_petitions(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn receptions(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId<OrgId>) -> PageResult {
    receptions_page(&state, &user, id, Vec::new()).await
}

#[derive(Deserialize)]
pub struct ReceptionForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    matters: String,
}

async fn add_reception(
    State(state): State<AppState>,
    PageId(id): PageId<OrgId>,
    f: PageForm<ReceptionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let people = form.people.trim().parse().map_err(|_| AppError::invalid("people", "Ghi số lượt người"))?;
        super::add_reception(
            &state,
            &user,
            id,
            optional_date(Some(&form.held_on), "held_on")?,
            &form.leader,
            people,
            &form.matters,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/receptions")).into_response()),
        Err(AppError::Invalid(errors)) => receptions_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}
