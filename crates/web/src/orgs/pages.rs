//! Pages of the organisation tree: browse it down to the cells, on any date, and
//! restructure it (found, rename, move, merge, dissolve) with an effective date.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::orgs::{self, NewOrg, Org};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{
    Layout, PageError, PageForm, PageId, PageResult, PageRoutes, PageUser, done_message, render, render_with,
};
use crate::scope::{Seen, date_or_today, seen_on, visible_org};
use axum::routing::{get, post};

/// An organisation as a page shows it.
pub struct OrgView {
    pub id: OrgId,
    pub code: String,
    pub name: String,
    pub kind_label: &'static str,
    pub active: bool,
    pub status: String,
    pub founded: String,
    pub expandable: bool,
}

impl OrgView {
    pub fn of(o: &Org) -> OrgView {
        let status = match (o.ended_on, o.end_reason.as_deref()) {
            (Some(d), Some("merged")) => format!("Đã hợp nhất từ {}", vi::date(d)),
            (Some(d), _) => format!("Đã giải thể từ {}", vi::date(d)),
            (None, _) if !o.active => "Chưa thành lập vào ngày này".to_owned(),
            _ => "Đang hoạt động".to_owned(),
        };
        OrgView {
            id: o.id,
            code: o.code.clone(),
            name: o.name.clone(),
            kind_label: o.kind.label(),
            active: o.active,
            status,
            founded: vi::date(o.founded_on),
            expandable: !matches!(o.kind, OrgKind::Cell | OrgKind::GrassrootsCell),
        }
    }
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
}

pub struct HistoryRow {
    pub period: String,
    pub name: String,
    pub parent: String,
    pub change: &'static str,
}

pub struct BodyRow {
    pub kind: &'static str,
    pub name: String,
}

#[derive(Template)]
#[template(path = "orgs/org.html")]
struct OrgPage {
    layout: Layout,
    org: OrgView,
    crumbs: Vec<(OrgId, String)>,
    on: String,
    on_label: String,
    is_today: bool,
    today: String,
    org_figures: Vec<Figure>,
    member_figures: Vec<Figure>,
    children: Vec<OrgView>,
    more_children: bool,
    bodies: Vec<BodyRow>,
    history: Vec<HistoryRow>,
    can_change: bool,
    can_restructure: bool,
    child_kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    open_form: String,
    done: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct ShowParams {
    on: Option<String>,
    done: Option<String>,
}

/// `/orgs`: the top of the account's scope.
pub async fn index(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let today = calendar::today();
    let top = match (seen_on(&state, &user, today).await?, user.user.org_id) {
        (Seen::All, _) => orgs::roots(&state.db, today).await?.into_iter().next().map(|o| o.id),
        (Seen::Below(_), Some(id)) => Some(id),
        _ => None,
    };
    match top {
        Some(id) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<OrgId>,
    PageQuery(p): PageQuery<ShowParams>,
) -> PageResult {
    let on = date_or_today(p.on.as_deref(), "on")?;
    let done = done_message(p.done.as_deref());
    org_page(&state, &user, id, on, Vec::new(), "", done).await
}

/// The organisation page; with `errors`, the form `open_form` is shown open with them.
async fn org_page(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    on: NaiveDate,
    errors: Vec<FieldError>,
    open_form: &str,
    done: Option<&'static str>,
) -> PageResult {
    let org = visible_org(state, user, id, on).await?;
    let crumbs = visible_crumbs(state, user, &org, on).await?;
    let stats = orgs::stats(&state.db, &org, on).await?;
    const CHILD_PAGE: i64 = 500;
    let kids = orgs::children(&state.db, id, on, 0, CHILD_PAGE).await?;
    let more_children = kids.len() as i64 == CHILD_PAGE;
    let mut children: Vec<OrgView> = kids.iter().map(OrgView::of).collect();
    children.sort_by_cached_key(|c| dangvu_domain::text::fold(&c.name));
    let figure = |kind: OrgKind| Figure {
        label: kind.label(),
        value: vi::number(stats.orgs.get(kind.as_str()).copied().unwrap_or(0)),
    };
    let org_figures = [
        OrgKind::Committee,
        OrgKind::GrassrootsCommittee,
        OrgKind::GrassrootsCell,
        OrgKind::SubCommittee,
        OrgKind::Cell,
    ]
    .into_iter()
    .map(figure)
    .filter(|f| f.value != "0" || org.kind != OrgKind::Cell)
    .collect();
    let member_figures = vec![
        Figure { label: "Tổng số đảng viên", value: vi::number(stats.members.total) },
        Figure { label: "Chính thức", value: vi::number(stats.members.full) },
        Figure { label: "Dự bị", value: vi::number(stats.members.probationary) },
    ];
    let history = orgs::history(&state.db, id)
        .await?
        .into_iter()
        .map(|v| HistoryRow {
            period: match v.valid_to {
                Some(t) => format!("{} – {}", vi::date(v.valid_from), vi::date(t)),
                None => format!("từ {}", vi::date(v.valid_from)),
            },
            name: v.name,
            parent: v.parent_name.unwrap_or_else(|| "—".into()),
            change: change_label(&v.change),
        })
        .collect();
    let bodies = orgs::bodies(&state.db, id)
        .await?
        .into_iter()
        .map(|b| BodyRow { kind: b.kind.label(), name: b.name })
        .collect();
    let is_scope_root = user.user.org_id == Some(org.id);
    let child_kinds = OrgKind::ALL
        .into_iter()
        .filter(|k| k.may_be_child_of(Some(org.kind)))
        .map(|k| (k.as_str(), k.label()))
        .collect();
    let page = OrgPage {
        layout: Layout::new(user, "orgs"),
        can_change: user.user.role.may_change_orgs() && org.active,
        can_restructure: !is_scope_root,
        org: OrgView::of(&org),
        crumbs,
        on: on.format("%Y-%m-%d").to_string(),
        on_label: vi::date(on),
        is_today: on == calendar::today(),
        today: calendar::today().format("%Y-%m-%d").to_string(),
        org_figures,
        member_figures,
        children,
        more_children,
        bodies,
        history,
        child_kinds,
        errors,
        open_form: open_form.to_owned(),
        done,
    };
    let status = crate::pages::form_status(&page.errors);
    Ok(render_with(status, &page))
}

/// The ancestors the account may see: its scope starts below the root, so the levels
/// above it are not links.
async fn visible_crumbs(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    on: NaiveDate,
) -> Result<Vec<(OrgId, String)>, PageError> {
    let seen = seen_on(state, user, on).await?;
    let all = orgs::ancestors(&state.db, org, on).await?;
    let ids = dangvu_domain::orgs::tree::ids(&org.path);
    let mut out = Vec::new();
    for (depth, (id, name)) in all.into_iter().enumerate() {
        let prefix: String = ids[..=depth].iter().map(|i| format!("/{i}")).collect::<String>() + "/";
        if seen.contains(&prefix) {
            out.push((id, name));
        }
    }
    Ok(out)
}

fn change_label(change: &str) -> &'static str {
    match change {
        "found" => "Thành lập",
        "rename" => "Đổi tên",
        "move" => "Chuyển tổ chức cấp trên",
        "moved_with_parent" => "Theo tổ chức cấp trên",
        "merge" => "Nhận về khi hợp nhất",
        _ => "Thay đổi",
    }
}

#[derive(Template)]
#[template(path = "orgs/children.html")]
struct ChildrenPartial {
    children: Vec<OrgView>,
    on: String,
}

#[derive(Deserialize)]
pub struct OnParam {
    on: Option<String>,
}

/// One level of the tree, for expanding a node in place (htmx).
pub async fn children(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId<OrgId>,
    PageQuery(p): PageQuery<OnParam>,
) -> PageResult {
    let on = date_or_today(p.on.as_deref(), "on")?;
    visible_org(&state, &user, id, on).await?;
    let mut children: Vec<OrgView> = orgs::children(&state.db, id, on, 0, 500).await?.iter().map(OrgView::of).collect();
    children.sort_by_cached_key(|c| dangvu_domain::text::fold(&c.name));
    Ok(render(&ChildrenPartial { children, on: on.format("%Y-%m-%d").to_string() })?.into_response())
}

#[derive(Template)]
#[template(path = "orgs/pick.html")]
struct PickPartial {
    found: Vec<OrgView>,
}

/// Suggestions for the organisation fields of the forms, by name or code.
pub async fn pick(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let today = calendar::today();
    // htmx sends the field under its own name, whatever the form calls it.
    let q = p.into_values().find(|s| !s.trim().is_empty()).unwrap_or_default();
    let mut found = Vec::new();
    if q.trim().chars().count() >= 2 {
        let scope_paths: Vec<String> = match seen_on(&state, &user, today).await? {
            Seen::All => orgs::roots(&state.db, today).await?.into_iter().map(|o| o.path).collect(),
            Seen::Below(p) => vec![p],
            Seen::Nothing => Vec::new(),
        };
        for path in scope_paths {
            found.extend(orgs::search(&state.db, &path, &q, today, 20).await?.iter().map(OrgView::of));
        }
    }
    Ok(render(&PickPartial { found })?.into_response())
}

#[derive(Template)]
#[template(path = "orgs/unit_pick.html")]
struct UnitPickPartial {
    /// The value the field takes when chosen, and what kind of unit it is.
    found: Vec<(String, String)>,
}

/// Suggestions for the unit fields (an organisation or a body), by name: each one's label, and
/// in a field of several units (separated by `;`) the units already chosen before it.
pub async fn pick_unit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let mut p = p;
    // `only=orgs`: a field that takes an organisation, not a body.
    let with_bodies = p.remove("only").as_deref() != Some("orgs");
    let typed = p.into_values().find(|s| !s.trim().is_empty()).unwrap_or_default();
    let (chosen, q) = match typed.rsplit_once(';') {
        Some((before, last)) => (format!("{}; ", before.trim_end()), last.trim().to_owned()),
        None => (String::new(), typed.trim().to_owned()),
    };
    let found = super::units::suggestions(&state, &user, &q, with_bodies)
        .await?
        .into_iter()
        .map(|(label, kind)| (format!("{chosen}{label}"), kind))
        .collect();
    Ok(render(&UnitPickPartial { found })?.into_response())
}

/// Resolves the organisation a form names, by its label (name · parent) or its code, within the
/// account's scope.
async fn by_code(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    on: NaiveDate,
    field: &str,
) -> Result<OrgId, AppError> {
    let missing = || AppError::invalid(field, "Không có tổ chức này trong phạm vi của bạn");
    if let Some(found) = super::units::orgs_by_label(state, code, on).await? {
        let seen = seen_on(state, user, on).await?;
        let mut inside = Vec::new();
        for id in found {
            if let Some(o) = orgs::get(&state.db, id, on).await?
                && seen.contains(&o.path)
            {
                inside.push(o.id);
            }
        }
        return match inside[..] {
            [one] => Ok(one),
            [] => Err(missing()),
            _ => Err(AppError::invalid(field, "Có nhiều tổ chức cùng tên: hãy chọn trong danh sách gợi ý")),
        };
    }
    let code = code.trim();
    let code = code.split_whitespace().next().unwrap_or_default();
    let org = orgs::get_by_code(&state.db, code, on).await?.ok_or_else(missing)?;
    if !seen_on(state, user, on).await?.contains(&org.path) {
        return Err(missing());
    }
    Ok(org.id)
}

/// After a change: back to the page with a message, or the page again with the errors.
async fn after(
    state: &AppState,
    user: &SessionUser,
    id: OrgId,
    form: &str,
    result: Result<OrgId, AppError>,
) -> PageResult {
    match result {
        Ok(target) => Ok(Redirect::to(&format!("/orgs/{target}?done={form}")).into_response()),
        Err(AppError::Invalid(errors)) => org_page(state, user, id, calendar::today(), errors, form, None).await,
        Err(e) => Err(e.into()),
    }
}

fn effective(raw: &str) -> Result<NaiveDate, AppError> {
    date_or_today(Some(raw), "effective_on")
}

#[derive(Deserialize)]
pub struct FoundForm {
    code: String,
    name: String,
    kind: String,
    effective_on: String,
}

pub async fn found(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<FoundForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = effective(&form.effective_on)?;
        let new = NewOrg { code: form.code, name: form.name, kind: form.kind, parent_id: Some(id), effective_on: on };
        super::found(&state, &user, new).await
    }
    .await;
    after(&state, &user, id, "found", result).await
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
    effective_on: String,
}

pub async fn rename(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<RenameForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = effective(&form.effective_on)?;
        super::rename(&state, &user, id, &form.name, on).await.map(|_| id)
    }
    .await;
    after(&state, &user, id, "rename", result).await
}

#[derive(Deserialize)]
pub struct MoveForm {
    parent_code: String,
    effective_on: String,
}

pub async fn move_org(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<MoveForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = effective(&form.effective_on)?;
        let parent = by_code(&state, &user, &form.parent_code, on, "parent_id").await?;
        super::move_org(&state, &user, id, parent, on).await.map(|_| id)
    }
    .await;
    after(&state, &user, id, "move", result).await
}

#[derive(Deserialize)]
pub struct MergeForm {
    into_code: String,
    effective_on: String,
}

pub async fn merge(State(state): State<AppState>, PageId(id): PageId<OrgId>, f: PageForm<MergeForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = effective(&form.effective_on)?;
        let into = by_code(&state, &user, &form.into_code, on, "into_id").await?;
        super::merge(&state, &user, id, into, on).await.map(|_| into)
    }
    .await;
    after(&state, &user, id, "merge", result).await
}

#[derive(Deserialize)]
pub struct DissolveForm {
    effective_on: String,
}

pub async fn dissolve(
    State(state): State<AppState>,
    PageId(id): PageId<OrgId>,
    f: PageForm<DissolveForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = effective(&form.effective_on)?;
        super::dissolve(&state, &user, id, on).await.map(|_| id)
    }
    .await;
    after(&state, &user, id, "dissolve", result).await
}

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/orgs", get(index))
        .route("/orgs/pick", get(pick))
        .route("/units/pick", get(pick_unit))
        .route("/orgs/{id}", get(show))
        .route("/orgs/{id}/children", get(children))
        .route("/orgs/{id}/found", post(found))
        .route("/orgs/{id}/rename", post(rename))
        .route("/orgs/{id}/move", post(move_org))
        .route("/orgs/{id}/merge", post(merge))
        .route("/orgs/{id}/dissolve", post(dissolve))
}
