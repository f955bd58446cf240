//! Pages of the membership work of the Organisation board: the admission pipeline with what
//! is due and late, the admissions report against targets, the roll-up figures of a subtree
//! and the yearly classification.

use dangvu_domain::ids::{MemberId, OrgId};
use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::members::{AdmissionCase, ClassificationLevel, StepState};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members;
use dangvu_store::members::admissions::NewAdmission;
use dangvu_store::members::classifications::{self, NewClassification};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::members::admissions::{
    self as cases, AdmissionView, AdmissionsReport, report as admissions_report, visible_admission,
};
use crate::members::classifications::classify;
use crate::members::figures::{FiguresParams, OrgMemberFigures, figures_of};
use crate::members::list_path;
use crate::members::registry::Change;
use crate::pages::PageQuery;
use crate::pages::codes_to_ids;
use crate::pages::{DoneParam, Layout, PageForm, PageId, PageResult, PageUser, done_message, render_with};

fn d(date: Option<NaiveDate>) -> String {
    date.map(vi::date).unwrap_or_default()
}

fn form_date(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let date = calendar::parse_date(raw);
    if date.is_none() {
        errors.push(FieldError { field: field.into(), message: "Ngày không hợp lệ".into() });
    }
    date
}

/// The organisation a page is about: the one asked for, or the root of the account's scope.
async fn page_org(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
) -> Result<dangvu_store::orgs::Org, AppError> {
    let path = list_path(state, user, org_id).await?;
    crate::members::admissions::report_org(state, user, org_id, &path).await
}

pub struct CaseRow {
    pub id: i64,
    pub name: String,
    pub cell: String,
    pub step: &'static str,
    pub due_on: String,
    pub late: bool,
    pub state: &'static str,
}

fn case_row(v: &AdmissionView) -> CaseRow {
    CaseRow {
        id: v.admission.id,
        name: v.admission.full_name.clone(),
        cell: v.admission.org_name.clone(),
        step: v.current_label(),
        due_on: d(v.current.and_then(|s| s.due_on)),
        late: v.is_late(),
        state: match v.state.as_str() {
            "late" => "Quá hạn",
            "official" => "Chính thức",
            "closed" => "Đã dừng",
            _ => "Đang làm",
        },
    }
}

#[derive(Template)]
#[template(path = "members/admissions.html")]
struct AdmissionsPage {
    layout: Layout,
    org_id: String,
    filter: String,
    q: String,
    rows: Vec<CaseRow>,
    late: usize,
    can_keep: bool,
    /// The secretary's own cell, filled in the form to open a case.
    own_cell: String,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct AdmissionsParams {
    org_id: Option<OrgId>,
    state: Option<String>,
    q: Option<String>,
    done: Option<String>,
}

/// `/admissions`: the cases of the subtree, late ones flagged, with a form to open one.
pub async fn index(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<AdmissionsParams>,
) -> PageResult {
    admissions_page(&state, &user, p, Vec::new()).await
}

async fn admissions_page(
    state: &AppState,
    user: &SessionUser,
    p: AdmissionsParams,
    errors: Vec<FieldError>,
) -> PageResult {
    let filter =
        p.state.clone().filter(|s| ["open", "late", "due", "all"].contains(&s.as_str())).unwrap_or("open".into());
    let path = list_path(state, user, p.org_id).await?;
    let views = crate::members::admissions::list(state, user, &path, &filter, p.q.as_deref()).await?;
    let page = AdmissionsPage {
        layout: Layout::new(user, "members"),
        org_id: p.org_id.map(|o| o.to_string()).unwrap_or_default(),
        late: views.iter().filter(|v| v.is_late()).count(),
        rows: views.iter().map(case_row).collect(),
        filter,
        q: p.q.unwrap_or_default(),
        can_keep: user.user.role.may_keep_members(),
        own_cell: crate::orgs::units::own_cell_label(state, user).await?,
        done: done_message(p.done.as_deref()),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

#[derive(Deserialize)]
pub struct NewCaseForm {
    cell_code: String,
    full_name: String,
    birth_date: String,
    gender: String,
    #[serde(default)]
    candidate_listed_on: String,
    #[serde(default)]
    course_certificate_on: String,
    #[serde(default)]
    application_on: String,
}

pub async fn create(State(state): State<AppState>, f: PageForm<NewCaseForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let cell = codes_to_ids(&state, &form.cell_code, "org_id").await?;
        let [cell] = cell[..] else { return Err(AppError::invalid("org_id", "Hãy ghi mã chi bộ")) };
        let mut errors = Vec::new();
        let new = NewAdmission {
            org_id: cell,
            full_name: form.full_name.clone(),
            birth_date: form_date(&form.birth_date, "birth_date", &mut errors),
            gender: form.gender.clone(),
            national_id: None,
            phone: None,
            case: AdmissionCase {
                candidate_listed_on: form_date(&form.candidate_listed_on, "candidate_listed_on", &mut errors),
                course_certificate_on: form_date(&form.course_certificate_on, "course_certificate_on", &mut errors),
                application_on: form_date(&form.application_on, "application_on", &mut errors),
                ..AdmissionCase::default()
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        cases::open(&state, &user, &new).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admissions/{id}?done=admission")).into_response()),
        Err(AppError::Invalid(errors)) => admissions_page(&state, &user, AdmissionsParams::default(), errors).await,
        Err(e) => Err(e.into()),
    }
}

pub struct StepRow {
    pub label: &'static str,
    pub form: &'static str,
    pub done_on: String,
    pub due_on: String,
    pub state: &'static str,
    pub class: &'static str,
}

/// One date input of the steps form.
pub struct DateField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "members/admission.html")]
struct AdmissionPage {
    layout: Layout,
    v: AdmissionView,
    born: String,
    steps: Vec<StepRow>,
    fields: Vec<DateField>,
    can_keep: bool,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

/// `/admissions/{id}`: the steps with their deadlines, and the form to record dates.
pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    admission_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

const DATE_FIELDS: [(&str, &str); 11] = [
    ("candidate_listed_on", "Chi bộ đưa vào danh sách quần chúng ưu tú"),
    ("course_certificate_on", "Giấy chứng nhận lớp nhận thức về Đảng"),
    ("application_on", "Đơn xin vào Đảng, lý lịch"),
    ("introduced_on", "Người giới thiệu"),
    ("cell_vote_on", "Chi bộ xét, đề nghị kết nạp (6-KNĐ)"),
    ("grassroots_resolution_on", "Nghị quyết đảng ủy cơ sở (8-KNĐ)"),
    ("admission_decision_on", "Quyết định kết nạp (9-KNĐ)"),
    ("decision_received_on", "Chi bộ nhận quyết định"),
    ("ceremony_on", "Lễ kết nạp"),
    ("recognition_vote_on", "Chi bộ xét công nhận chính thức"),
    ("recognition_decision_on", "Quyết định công nhận chính thức"),
];

async fn admission_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let a = visible_admission(state, user, id).await?;
    let settings = dangvu_store::settings::get(&state.db).await?;
    let v = AdmissionView::new(a, calendar::today(), &settings.membership_rules, &settings.holidays);
    let steps = v
        .steps
        .iter()
        .map(|s| StepRow {
            label: s.step.label(),
            form: s.step.form().unwrap_or(""),
            done_on: d(s.done_on),
            due_on: d(s.due_on),
            state: if s.done_late() { "Xong, quá hạn" } else { s.state.label() },
            class: match s.state {
                StepState::Late => "st-late",
                StepState::Done if s.done_late() => "st-late",
                StepState::Done => "st-done",
                StepState::Due => "st-open",
                StepState::NotYet => "",
            },
        })
        .collect();
    let case = serde_json::to_value(&v.admission.case).unwrap_or_default();
    let fields = DATE_FIELDS
        .iter()
        .map(|(name, label)| DateField { name, label, value: case[name].as_str().unwrap_or_default().to_owned() })
        .collect();
    let page = AdmissionPage {
        layout: Layout::new(user, "members"),
        born: vi::date(v.admission.birth_date),
        can_keep: user.user.role.may_keep_members() && v.admission.closed_on.is_none(),
        v,
        steps,
        fields,
        done,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

/// The steps form: every date field, and the two extension boxes.
pub async fn record_steps(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let mut errors = Vec::new();
        let mut case = serde_json::Map::new();
        for (name, _) in DATE_FIELDS {
            let date = form_date(form.get(name).map(String::as_str).unwrap_or(""), name, &mut errors);
            case.insert(name.into(), serde_json::json!(date));
        }
        for name in ["admission_extended", "recognition_extended"] {
            case.insert(name.into(), serde_json::json!(form.contains_key(name)));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let case: AdmissionCase = serde_json::from_value(case.into()).map_err(|e| AppError::Internal(e.to_string()))?;
        cases::record_steps(&state, &user, id, Change::Whole(case)).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admissions/{id}?done=steps")).into_response()),
        Err(AppError::Invalid(errors)) => admission_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CloseForm {
    reason: String,
}

pub async fn close(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CloseForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = cases::close(&state, &user, id, None, &form.reason).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admissions/{id}?done=closed")).into_response()),
        Err(AppError::Invalid(errors)) => admission_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "members/admissions_report.html")]
struct ReportPage {
    layout: Layout,
    r: AdmissionsReport,
    org_id: OrgId,
    can_keep: bool,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct ReportParams {
    org_id: Option<OrgId>,
    year: Option<i32>,
    done: Option<String>,
}

/// `/admissions/report`: admissions of a year by unit against targets, targets editable.
pub async fn report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<ReportParams>,
) -> PageResult {
    let org = page_org(&state, &user, p.org_id).await?;
    let year = p.year.filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| calendar::today().year());
    let page = ReportPage {
        layout: Layout::new(&user, "members"),
        r: admissions_report(&state, &org, year).await?,
        org_id: org.id,
        can_keep: user.user.role.may_keep_members(),
        done: done_message(p.done.as_deref()),
    };
    Ok(render_with(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct TargetForm {
    year: i32,
    target: String,
    /// The organisation whose report to go back to.
    back: i64,
}

pub async fn set_target(
    State(state): State<AppState>,
    PageId(id): PageId<OrgId>,
    f: PageForm<TargetForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let target: i64 =
        form.target.trim().parse().map_err(|_| AppError::invalid("target", "Chỉ tiêu là một số nguyên"))?;
    cases::set_target(&state, &user, id, form.year, target).await?;
    Ok(Redirect::to(&format!("/admissions/report?org_id={}&year={}&done=target", form.back, form.year)).into_response())
}

/// 5.112: a count as the page prints it.
pub fn num(n: impl std::borrow::Borrow<i64>) -> String {
    dangvu_domain::vi::number(*n.borrow())
}

#[derive(Template)]
#[template(path = "members/figures.html")]
struct FiguresPage {
    layout: Layout,
    f: OrgMemberFigures,
    on: String,
    from: String,
    to: String,
    on_label: String,
    period_label: String,
}

#[derive(Deserialize)]
pub struct FiguresQuery {
    org_id: Option<OrgId>,
    on: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `/figures`: the members of a subtree on a day, by status, gender, age and party age, and
/// the changes of a period.
pub async fn figures(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<FiguresQuery>,
) -> PageResult {
    let org = page_org(&state, &user, p.org_id).await?;
    let params = FiguresParams { on: p.on.filter(|s| !s.is_empty()), from: p.from, to: p.to };
    let f = figures_of(&state, &user, org.id, &params).await?;
    let page = FiguresPage {
        layout: Layout::new(&user, "members"),
        on: f.figures.on.to_string(),
        from: f.flows.from.map(|x| x.to_string()).unwrap_or_default(),
        to: f.flows.to.map(|x| x.to_string()).unwrap_or_default(),
        on_label: vi::date(f.figures.on),
        period_label: format!("{} – {}", d(f.flows.from), d(f.flows.to)),
        f,
    };
    Ok(render_with(StatusCode::OK, &page))
}

pub struct LevelRow {
    pub label: &'static str,
    pub members: i64,
    pub orgs: i64,
}

pub struct ClassifyRow {
    pub member_id: MemberId,
    pub name: String,
    pub level: String,
    pub score: String,
    /// Why this row was refused, shown on the row.
    pub error: String,
}

#[derive(Template)]
#[template(path = "members/classifications.html")]
struct ClassificationsPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    period: String,
    levels: Vec<LevelRow>,
    choices: Vec<(&'static str, &'static str)>,
    /// The members of the cell, when the organisation is one and the account keeps records.
    rows: Vec<ClassifyRow>,
    org_level: String,
    org_score: String,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct ClassificationsQuery {
    org_id: Option<OrgId>,
    period: Option<String>,
    done: Option<String>,
}

/// `/classifications`: counts by level for the subtree and, for a cell, the form to record
/// each member's level.
pub async fn classifications(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<ClassificationsQuery>,
) -> PageResult {
    classifications_page(&state, &user, p, Vec::new(), None).await
}

/// The page, with what was typed when a submission is refused (`typed`): every row keeps its
/// value, and each refusal is shown on its row, naming the member.
async fn classifications_page(
    state: &AppState,
    user: &SessionUser,
    p: ClassificationsQuery,
    mut errors: Vec<FieldError>,
    typed: Option<&HashMap<String, String>>,
) -> PageResult {
    let org = page_org(state, user, p.org_id).await?;
    let period = p
        .period
        .as_deref()
        .and_then(classifications::check_period)
        .unwrap_or_else(|| (calendar::today().year() - 1).to_string());
    let summary = classifications::summary(&state.db, &org.path, &period).await?;
    let levels = ClassificationLevel::ALL
        .iter()
        .map(|l| {
            let pick = |c: &classifications::LevelCounts| match l {
                ClassificationLevel::Excellent => c.excellent,
                ClassificationLevel::Good => c.good,
                ClassificationLevel::Completed => c.completed,
                ClassificationLevel::NotCompleted => c.not_completed,
            };
            LevelRow { label: l.label(), members: pick(&summary.members), orgs: pick(&summary.orgs) }
        })
        .collect();
    let recorded = classifications::of_org(&state.db, org.id, &period).await?;
    let mut rows = Vec::new();
    if org.kind.holds_members() && user.user.role.may_keep_members() {
        let search = members::Search { path: &org.path, q: None, status: None, after: None, limit: 500 };
        for m in members::search(&state.db, &search, calendar::today()).await?.members {
            let mine = recorded.iter().find(|c| c.member_id == Some(m.id));
            let (level_key, score_key) = (format!("level_{}", m.id), format!("score_{}", m.id));
            let mut error = Vec::new();
            for e in errors.iter_mut().filter(|e| e.field == level_key || e.field == score_key) {
                error.push(e.message.clone());
                e.message = format!("{}: {}", m.full_name, e.message);
            }
            rows.push(ClassifyRow {
                member_id: m.id,
                level: match typed {
                    Some(t) => t.get(&level_key).cloned().unwrap_or_default(),
                    None => mine.map(|c| c.level.clone()).unwrap_or_default(),
                },
                score: match typed {
                    Some(t) => t.get(&score_key).cloned().unwrap_or_default(),
                    None => mine.and_then(|c| c.score).map(|s| s.to_string()).unwrap_or_default(),
                },
                name: m.full_name,
                error: error.join("; "),
            });
        }
    }
    let own = recorded.iter().find(|c| c.member_id.is_none() && c.org_id == org.id);
    let page = ClassificationsPage {
        layout: Layout::new(user, "members"),
        org_id: org.id,
        org_name: org.name,
        period,
        levels,
        choices: ClassificationLevel::ALL.iter().map(|l| (l.as_str(), l.label())).collect(),
        rows,
        org_level: match typed {
            Some(t) => t.get("org_level").cloned().unwrap_or_default(),
            None => own.map(|c| c.level.clone()).unwrap_or_default(),
        },
        org_score: match typed {
            Some(t) => t.get("org_score").cloned().unwrap_or_default(),
            None => own.and_then(|c| c.score).map(|s| s.to_string()).unwrap_or_default(),
        },
        done: done_message(p.done.as_deref()),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

/// The form of a cell: `level_{member}`/`score_{member}` for each member, `org_level` and
/// `org_score` for the cell itself; blank lines are left out.
pub async fn record_classifications(State(state): State<AppState>, f: PageForm<HashMap<String, String>>) -> PageResult {
    let PageForm { user, form } = f;
    let org_id: OrgId = form.get("org_id").and_then(|s| s.parse().ok()).ok_or(AppError::NotFound)?;
    let period = form.get("period").cloned().unwrap_or_default();
    let result = async {
        let mut entries = Vec::new();
        // The form's field of each entry, to put the rules' refusals back on their rows.
        let mut fields_of_entries: Vec<(String, String)> = Vec::new();
        let mut errors = Vec::new();
        let mut entry = |member_id: Option<MemberId>, level: Option<&String>, score: Option<&String>, field: String| {
            let level = level.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            let score = match score.map(|s| s.trim().replace(',', ".")).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => match s.parse::<f64>() {
                    Ok(x) => Some(x),
                    Err(_) => {
                        errors.push(FieldError { field, message: "Điểm là một số".into() });
                        return;
                    }
                },
            };
            if level.is_some() || score.is_some() {
                let org_id = member_id.is_none().then_some(org_id);
                entries.push(NewClassification { member_id, org_id, level, score });
                let level_field = match member_id {
                    Some(m) => format!("level_{m}"),
                    None => "org_level".to_owned(),
                };
                fields_of_entries.push((level_field, field.clone()));
            }
        };
        let mut ids: Vec<MemberId> =
            form.keys().filter_map(|k| k.strip_prefix("level_").and_then(|s| s.parse().ok())).collect();
        ids.sort_unstable();
        for id in ids {
            entry(Some(id), form.get(&format!("level_{id}")), form.get(&format!("score_{id}")), format!("score_{id}"));
        }
        entry(None, form.get("org_level"), form.get("org_score"), "org_score".into());
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        classify(&state, &user, Some(org_id), &period, None, &entries).await.map_err(|e| match e {
            AppError::Invalid(list) => AppError::Invalid(
                list.into_iter()
                    .map(|mut f| {
                        // `entries[3].level` → the row's own field.
                        let at = f.field.strip_prefix("entries[").and_then(|r| r.split_once("]."));
                        if let Some((i, what)) = at
                            && let Some((level, score)) = i.parse::<usize>().ok().and_then(|i| fields_of_entries.get(i))
                        {
                            f.field = if what == "score" { score.clone() } else { level.clone() };
                        }
                        f
                    })
                    .collect(),
            ),
            other => other,
        })
    }
    .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/classifications?org_id={org_id}&period={period}&done=classified"))
                .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let p = ClassificationsQuery { org_id: Some(org_id), period: Some(period), done: None };
            classifications_page(&state, &user, p, errors, Some(&form)).await
        }
        Err(e) => Err(e.into()),
    }
}
