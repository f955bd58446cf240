//! The congress pages: the congresses of a subtree and the form that creates one; a congress
//! with its life and drafts; a draft read paragraph by paragraph with a comment form under
//! each (a member's phone reads it as well as the office's screen); two versions compared; the
//! comments with the subcommittee's disposition.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use chrono::NaiveDate;
use dangvu_domain::congresses::subcommittees::{SeatInSubcommittee, SubcommitteeKind};
use dangvu_domain::congresses::{CongressKind, Disposition, Event};
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::{
    Comment, CommentFilter, CommentGroup, Congress, Draft, MilestoneTask, NewCongress, PlanProgress,
};
use serde::Deserialize;

use super::Access;
use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{Layout, PageForm, PageId, PageResult, PageRoutes, PageUser, render_with};

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/congresses", get(list).post(create))
        .route("/congress-plans", post(push_plan))
        .route("/me/congresses", get(mine))
        .route("/congresses/{id}", get(show))
        .route("/congresses/{id}/status", post(change_status))
        .route("/congresses/{id}/drafts", post(create_draft))
        .route("/congresses/{id}/documents", post(issue_document))
        .route("/congresses/{id}/subcommittees", post(create_subcommittee))
        .route("/subcommittees/{id}/members", post(add_subcommittee_member))
        .route("/subcommittees/{id}/tasks", post(assign_subcommittee_task))
        .route("/drafts/{id}", get(draft))
        .route("/drafts/{id}/versions", post(add_version))
        .route("/drafts/{id}/window", post(set_window))
        .route("/drafts/{id}/comments", get(comments).post(add_comment))
        .route("/drafts/{id}/compare", get(compare))
        .route("/drafts/{id}/disposition-report", get(report))
        .route("/draft-comments/{id}/disposition", post(dispose))
        .route("/draft-comments/{id}/scan", post(attach_scan).layer(crate::pages::upload_limit()))
}

fn field(form: &HashMap<String, String>, k: &str) -> String {
    form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default()
}

fn date_field(form: &HashMap<String, String>, k: &str) -> Result<Option<NaiveDate>, AppError> {
    crate::scope::optional_date(Some(&field(form, k)), k)
}

fn number_field(form: &HashMap<String, String>, k: &str, label: &str) -> Result<Option<u32>, AppError> {
    let raw = field(form, k);
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| AppError::invalid(k, format!("{label} là một số nguyên dương")))
}

/// The targets typed one a line (`tên | đơn vị | chỉ tiêu cũ | đạt được | chỉ tiêu mới`);
/// `None` when the field is left empty (a new version keeps the table before).
fn targets_field(
    form: &HashMap<String, String>,
) -> Result<Option<Vec<dangvu_domain::congresses::targets::Target>>, AppError> {
    let raw = field(form, "targets");
    if raw.is_empty() {
        return Ok(None);
    }
    dangvu_domain::congresses::targets::parse_lines(&raw).map(Some).map_err(|why| AppError::invalid("targets", why))
}

// ------------------------------------------------------------------ the list

pub struct CongressRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub term: String,
    pub opens_on: String,
    pub status: &'static str,
}

/// A plan's progress as the page shows it.
pub struct ProgressRow {
    pub p: PlanProgress,
    pub kinds: String,
    pub held_by: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "congresses/congresses.html")]
struct CongressesPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    rows: Vec<CongressRow>,
    can_prepare: bool,
    term: String,
    on: String,
    progress: Vec<ProgressRow>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    org_id: Option<OrgId>,
    term: Option<String>,
    on: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    list_page(&state, &user, q, Vec::new()).await
}

async fn list_page(state: &AppState, user: &SessionUser, q: ListQuery, errors: Vec<FieldError>) -> PageResult {
    let org = crate::scope::scope_org(state, user, q.org_id).await?;
    let on = crate::scope::date_or_today(q.on.as_deref(), "on")?;
    // The term asked, else the latest one a plan reaching this organisation names.
    let plans = super::plans(state, user, org.id).await?;
    let term = q.term.filter(|t| !t.trim().is_empty()).or_else(|| plans.iter().map(|p| p.term.clone()).max());
    let progress = match &term {
        Some(t) => super::progress(state, user, org.id, t, on).await?,
        None => Vec::new(),
    };
    let progress = progress
        .into_iter()
        .map(|p| ProgressRow {
            kinds: p.plan.kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "),
            held_by: dangvu_domain::vi::date(p.plan.held_by),
            share: if p.expected == 0 {
                "0".into()
            } else {
                format!("{:.1}", f64::from(p.held) * 100.0 / f64::from(p.expected)).replace('.', ",")
            },
            p,
        })
        .collect();
    let rows = super::list(state, user, Some(org.id))
        .await?
        .into_iter()
        .map(|c| CongressRow {
            id: c.id,
            title: c.title,
            kind: c.kind.label(),
            term: c.term,
            opens_on: dangvu_domain::vi::date(c.opens_on),
            status: c.status.label(),
        })
        .collect();
    let page = CongressesPage {
        layout: Layout::new(user, "congresses"),
        org_id: org.id,
        org_name: org.name,
        rows,
        can_prepare: user.user.role.may_prepare_congresses(),
        term: term.unwrap_or_default(),
        on: on.to_string(),
        progress,
        kinds: [
            OrgKind::GrassrootsCommittee,
            OrgKind::GrassrootsCell,
            OrgKind::SubCommittee,
            OrgKind::Cell,
            OrgKind::Committee,
        ]
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect(),
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

/// The plan form: the kinds ticked, the usual milestones.
pub async fn push_plan(State(state): State<AppState>, f: PageForm<Vec<(String, String)>>) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.iter().find(|(f, _)| f == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let org_id: Option<OrgId> = get("org_id").parse().ok();
    let result = async {
        let new = dangvu_store::congresses::NewPlan {
            org_id: org_id.ok_or(AppError::NotFound)?,
            term: get("term"),
            kinds: form.iter().filter(|(f, _)| f == "kind").filter_map(|(_, v)| OrgKind::parse(v)).collect(),
            held_by: crate::scope::optional_date(Some(&get("held_by")), "held_by")?
                .ok_or_else(|| AppError::invalid("held_by", "Nhập thời hạn hoàn thành đại hội"))?,
            milestones: None,
        };
        super::push_plan(&state, &user, new).await
    }
    .await;
    let q = |term: Option<String>| ListQuery { org_id, term, on: None };
    crate::pages::redirect_or_again(
        result,
        |p| format!("/congresses?org_id={}&term={}", p.org_id, p.term),
        async |errors| list_page(&state, &user, q(None), errors).await,
    )
    .await
}

pub async fn create(State(state): State<AppState>, f: PageForm<HashMap<String, String>>) -> PageResult {
    let PageForm { user, form } = f;
    let org_id: Option<OrgId> = field(&form, "org_id").parse().ok();
    let result = async {
        let new = NewCongress {
            org_id: org_id.ok_or(AppError::NotFound)?,
            title: field(&form, "title"),
            kind: CongressKind::parse(&field(&form, "kind"))
                .ok_or_else(|| AppError::invalid("kind", "Hãy chọn loại đại hội"))?,
            term: field(&form, "term"),
            opens_on: date_field(&form, "opens_on")?
                .ok_or_else(|| AppError::invalid("opens_on", "Nhập ngày khai mạc"))?,
            closes_on: date_field(&form, "closes_on")?,
            place: field(&form, "place"),
        };
        super::create(&state, &user, new).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |c| format!("/congresses/{}", c.id),
        async |errors| list_page(&state, &user, ListQuery { org_id, term: None, on: None }, errors).await,
    )
    .await
}

// ------------------------------------------------------------------ one congress

#[derive(Template)]
#[template(path = "congresses/congress.html")]
struct CongressPage {
    layout: Layout,
    c: Congress,
    org_name: String,
    kind: &'static str,
    status: &'static str,
    opens_on: String,
    closes_on: String,
    drafts: Vec<Draft>,
    milestones: Vec<MilestoneTask>,
    staff: bool,
    /// An office below that sends a delegation reads its part of the list.
    may_send: bool,
    can_prepare: bool,
    documents: Vec<dangvu_store::tasks::documents::Document>,
    subcommittees: Vec<dangvu_store::congresses::subcommittees::Subcommittee>,
    subcommittee_kinds: Vec<(&'static str, &'static str)>,
    seats_in_subcommittee: Vec<(&'static str, &'static str)>,
    /// The congress sits (or has closed): its documents are issued.
    issues_documents: bool,
    bodies: Vec<(&'static str, &'static str)>,
    doc_types: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    congress_page(&state, &user, id, Vec::new()).await
}

async fn congress_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let super::Seen { congress: c, org, access } = super::visible_congress(state, user, id).await?;
    let org_name = org.name;
    let drafts = dangvu_store::congresses::drafts_of(&state.db, id).await?;
    let milestones = dangvu_store::congresses::milestones(&state.db, id).await?;
    let documents = dangvu_store::congresses::documents::of_congress(&state.db, id).await?;
    let subcommittees = dangvu_store::congresses::subcommittees::of_congress(&state.db, id).await?;
    let page = CongressPage {
        layout: Layout::new(user, "congresses"),
        org_name,
        kind: c.kind.label(),
        status: c.status.label(),
        opens_on: dangvu_domain::vi::date(c.opens_on),
        closes_on: c.closes_on.map(dangvu_domain::vi::date).unwrap_or_default(),
        drafts,
        milestones,
        staff: access == Access::Staff,
        may_send: user.user.role.may_prepare_congresses(),
        can_prepare: access == Access::Staff && user.user.role.may_prepare_congresses(),
        documents,
        subcommittees,
        subcommittee_kinds: SubcommitteeKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        seats_in_subcommittee: SeatInSubcommittee::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        issues_documents: c.status.is_held(),
        bodies: dangvu_domain::congresses::documents::CongressBody::ALL
            .iter()
            .map(|b| (b.as_str(), b.label()))
            .collect(),
        doc_types: dangvu_domain::tasks::document::HD36_DOCUMENT_TYPES.to_vec(),
        c,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

pub async fn change_status(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let event = Event::parse(&field(&form, "event")).ok_or_else(|| AppError::invalid("event", "Hãy chọn việc"))?;
        let on = date_field(&form, "on")?.unwrap_or_else(dangvu_domain::calendar::today);
        super::change_state(&state, &user, id, event, on, &field(&form, "note")).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/congresses/{id}"),
        async |errors| congress_page(&state, &user, id, errors).await,
    )
    .await
}

pub async fn create_draft(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let window = (date_field(&form, "comments_from")?, date_field(&form, "comments_until")?);
        let targets = targets_field(&form)?;
        super::create_draft(
            &state,
            &user,
            id,
            &field(&form, "title"),
            &field(&form, "text"),
            window,
            targets.as_deref(),
        )
        .await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |d| format!("/drafts/{}", d.id),
        async |errors| congress_page(&state, &user, id, errors).await,
    )
    .await
}

pub async fn issue_document(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let body = dangvu_domain::congresses::documents::CongressBody::parse(&field(&form, "body"))
            .ok_or_else(|| AppError::invalid("body", "Hãy chọn nơi ban hành"))?;
        let on = date_field(&form, "issued_on")?.unwrap_or_else(dangvu_domain::calendar::today);
        super::documents::issue(&state, &user, id, body, &field(&form, "type"), &field(&form, "title"), on).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/congresses/{id}#documents"),
        async |errors| congress_page(&state, &user, id, errors).await,
    )
    .await
}

pub async fn create_subcommittee(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let kind = SubcommitteeKind::parse(&field(&form, "kind"))
            .ok_or_else(|| AppError::invalid("kind", "Hãy chọn loại tiểu ban"))?;
        super::subcommittees::create(&state, &user, id, kind, &field(&form, "name")).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/congresses/{id}#subcommittees"),
        async |errors| congress_page(&state, &user, id, errors).await,
    )
    .await
}

/// The congress page after a change to one of its subcommittees.
async fn after_subcommittee(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    result: Result<dangvu_store::congresses::subcommittees::Subcommittee, AppError>,
) -> PageResult {
    let congress_id =
        dangvu_store::congresses::subcommittees::congress_of(&state.db, id).await?.ok_or(AppError::NotFound)?;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/congresses/{congress_id}#subcommittees"),
        async |errors| congress_page(state, user, congress_id, errors).await,
    )
    .await
}

pub async fn add_subcommittee_member(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let seat = SeatInSubcommittee::parse(&field(&form, "seat")).unwrap_or(SeatInSubcommittee::Member);
        let new = dangvu_store::congresses::subcommittees::NewSubcommitteeMember {
            member_id: None,
            full_name: field(&form, "full_name"),
            seat,
            title: field(&form, "title"),
        };
        super::subcommittees::add_member(&state, &user, id, new).await
    }
    .await;
    after_subcommittee(&state, &user, id, result).await
}

pub async fn assign_subcommittee_task(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let due_on = date_field(&form, "due_on")?;
        super::subcommittees::assign_task(&state, &user, id, &field(&form, "title"), due_on).await
    }
    .await;
    after_subcommittee(&state, &user, id, result).await
}

/// The scanned page of a paper comment, from the comments page.
pub async fn attach_scan(
    State(state): State<AppState>,
    PageId(id): PageId,
    upload: crate::pages::PageUpload,
) -> PageResult {
    let crate::pages::PageUpload { user, files, .. } = upload;
    let file =
        async move { files.into_iter().next().ok_or_else(|| AppError::invalid("file", "Hãy chọn tệp bản quét")) };
    let comment = super::attach_scan(&state, &user, id, file).await?;
    Ok(Redirect::to(&format!("/drafts/{}/comments#c{}", comment.draft_id, comment.id)).into_response())
}

// ------------------------------------------------------------------ one draft

pub struct ParagraphRow {
    pub number: u32,
    pub text: String,
    /// Comments the reader sees standing in this paragraph.
    pub comments: u32,
}

#[derive(Template)]
#[template(path = "congresses/draft.html")]
struct DraftPage {
    layout: Layout,
    d: Draft,
    congress: Congress,
    version: u32,
    latest: u32,
    sha256: String,
    paragraphs: Vec<ParagraphRow>,
    open: bool,
    window: String,
    staff: bool,
    can_prepare: bool,
    /// The organisations the reader may comment for: (id, name); empty for a member alone.
    units: Vec<(OrgId, String)>,
    is_member: bool,
    mine: Vec<Comment>,
    /// The version's targets table (chỉ tiêu).
    targets: Vec<dangvu_domain::congresses::targets::Target>,
    errors: Vec<FieldError>,
    done: bool,
}

#[derive(Deserialize)]
pub struct DraftQuery {
    version: Option<u32>,
    done: Option<String>,
}

pub async fn draft(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<DraftQuery>,
) -> PageResult {
    draft_page(&state, &user, id, q.version, Vec::new(), q.done.is_some()).await
}

async fn draft_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    version: Option<u32>,
    errors: Vec<FieldError>,
    done: bool,
) -> PageResult {
    let (d, super::Seen { congress, org, access }, v) = super::version(state, user, id, version).await?;
    let today = dangvu_domain::calendar::today();
    let whose = super::whose(user, access);
    let counts = dangvu_store::congresses::counts_by_paragraph(&state.db, id, v.version, &whose).await?;
    // A reader from below sees what they sent; the staff read them all on the comments page.
    let mine = match access {
        Access::Staff => Vec::new(),
        Access::Below => {
            dangvu_store::congresses::comments(&state.db, id, &whose, &CommentFilter::default(), 200).await?
        }
    };
    let units =
        if user.user.role.may_report_tasks() { super::units_below(state, user, &org.path).await? } else { Vec::new() };
    let window = match (d.comments_from, d.comments_until) {
        (None, None) => "Mở góp ý đến khi đóng".to_owned(),
        (f, u) => format!(
            "Lấy ý kiến {}{}",
            f.map(|f| format!("từ {}", dangvu_domain::vi::date(f))).unwrap_or_default(),
            u.map(|u| format!(" đến hết {}", dangvu_domain::vi::date(u))).unwrap_or_default()
        ),
    };
    let targets = dangvu_store::congresses::targets::of_version(&state.db, d.id, v.version).await?;
    let page = DraftPage {
        layout: Layout::new(user, "congresses"),
        targets,
        version: v.version,
        latest: d.latest(),
        sha256: v.sha256,
        paragraphs: v
            .paragraphs
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let number = i as u32 + 1;
                ParagraphRow { number, text, comments: counts.get(&number).copied().unwrap_or(0) }
            })
            .collect(),
        open: d.open_for_comments(today) && congress.status != dangvu_domain::congresses::State::Closed,
        window,
        staff: access == Access::Staff,
        can_prepare: access == Access::Staff && user.user.role.may_prepare_congresses(),
        units,
        is_member: user.user.member_id.is_some(),
        mine,
        congress,
        d,
        errors,
        done,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

pub async fn add_comment(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let version = number_field(&form, "version", "Bản").ok().flatten();
    let result = async {
        let on_behalf_of = match field(&form, "on_behalf_of_org_id").as_str() {
            "" | "me" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map(OrgId::from)
                    .map_err(|_| AppError::invalid("on_behalf_of_org_id", "Hãy chọn tổ chức"))?,
            ),
        };
        let input = super::CommentInput {
            version: version.ok_or_else(|| AppError::invalid("version", "Thiếu số bản"))?,
            paragraph: number_field(&form, "paragraph", "Đoạn")?
                .ok_or_else(|| AppError::invalid("paragraph", "Chọn đoạn góp ý"))?,
            quote: field(&form, "quote"),
            text: field(&form, "text"),
            on_behalf_of,
            members_agreeing: number_field(&form, "members_agreeing", "Số đảng viên tán thành")?,
            from_paper: field(&form, "from_paper") == "1",
        };
        super::add_comment(&state, &user, id, input).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |c| format!("/drafts/{id}?done=1#p{}", c.paragraph),
        async |errors| draft_page(&state, &user, id, version, errors, false).await,
    )
    .await
}

pub async fn add_version(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let targets = targets_field(&form)?;
        super::add_version(&state, &user, id, &field(&form, "text"), &field(&form, "note"), targets.as_deref()).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/drafts/{id}"),
        async |errors| draft_page(&state, &user, id, None, errors, false).await,
    )
    .await
}

pub async fn set_window(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let window = (date_field(&form, "comments_from")?, date_field(&form, "comments_until")?);
        super::set_window(&state, &user, id, window).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/drafts/{id}"),
        async |errors| draft_page(&state, &user, id, None, errors, false).await,
    )
    .await
}

// ------------------------------------------------------------------ comparing versions

#[derive(Template)]
#[template(path = "congresses/compare.html")]
struct ComparePage {
    layout: Layout,
    d: Draft,
    cmp: super::api::Comparison,
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: Option<u32>,
    to: Option<u32>,
}

pub async fn compare(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<CompareQuery>,
) -> PageResult {
    let (d, _) = super::visible_draft(&state, &user, id).await?;
    let to = q.to.unwrap_or(d.latest());
    let from = q.from.unwrap_or(to.saturating_sub(1).max(1));
    let cmp = super::comparison(&state, &user, id, from, to).await?;
    Ok(render_with(StatusCode::OK, &ComparePage { layout: Layout::new(&user, "congresses"), d, cmp }))
}

// ------------------------------------------------------------------ comments and disposition

#[derive(Template)]
#[template(path = "congresses/comments.html")]
struct CommentsPage {
    layout: Layout,
    d: Draft,
    paragraph: Option<u32>,
    groups: Vec<CommentGroup>,
    comments: Vec<Comment>,
    staff: bool,
    can_prepare: bool,
    /// The account may attach the scan of its unit's paper comments.
    may_scan: bool,
    dispositions: Vec<(&'static str, &'static str)>,
    undisposed: bool,
    next: Option<i64>,
}

#[derive(Deserialize)]
pub struct CommentsQuery {
    paragraph: Option<u32>,
    undisposed: Option<String>,
    after: Option<i64>,
}

pub async fn comments(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<CommentsQuery>,
) -> PageResult {
    let (d, super::Seen { access, .. }) = super::visible_draft(&state, &user, id).await?;
    let staff = access == Access::Staff;
    let undisposed = q.undisposed.is_some_and(|u| !u.is_empty());
    let filter = CommentFilter { paragraph: q.paragraph, undisposed, after_id: q.after };
    let comments = super::comments(&state, &user, id, &filter, 200).await?;
    let groups = match (staff, q.paragraph) {
        (true, Some(p)) => super::groups(&state, &user, id, p).await?,
        _ => Vec::new(),
    };
    let next = (comments.len() == 200).then(|| comments.last().map(|c| c.id)).flatten();
    let page = CommentsPage {
        layout: Layout::new(&user, "congresses"),
        d,
        paragraph: q.paragraph,
        groups,
        comments,
        staff,
        can_prepare: staff && user.user.role.may_prepare_congresses(),
        may_scan: user.user.role.may_report_tasks(),
        dispositions: Disposition::ALL.iter().map(|d| (d.as_str(), d.label())).collect(),
        undisposed,
        next,
    };
    Ok(render_with(StatusCode::OK, &page))
}

pub async fn dispose(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let disposition = Disposition::parse(&field(&form, "disposition"))
        .ok_or_else(|| AppError::invalid("disposition", "Hãy chọn tiếp thu hay không"))?;
    let c = super::dispose(&state, &user, id, disposition, &field(&form, "reason")).await?;
    let back = match field(&form, "paragraph").parse::<u32>() {
        Ok(p) => format!("/drafts/{}/comments?paragraph={p}#c{}", c.draft_id, c.id),
        Err(_) => format!("/drafts/{}/comments#c{}", c.draft_id, c.id),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct ReportQuery {
    format: Option<String>,
}

pub async fn report(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<ReportQuery>,
) -> PageResult {
    Ok(super::disposition_report(&state, &user, id, q.format.as_deref().unwrap_or("pdf")).await?)
}

// ------------------------------------------------------------------ the member's congresses

#[derive(Template)]
#[template(path = "congresses/mine.html")]
struct MinePage {
    csrf: String,
    name: String,
    items: Vec<super::MyCongress>,
    today: NaiveDate,
}

/// The handbook's page of congresses: the member's cell's and those above, with their drafts.
pub async fn mine(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let page = MinePage {
        csrf: user.csrf_token.clone(),
        name: user.user.username.clone(),
        items: super::mine(&state, &user).await?,
        today: dangvu_domain::calendar::today(),
    };
    Ok(render_with(StatusCode::OK, &page))
}
