//! The rewards' pages: the hub of a subtree (`/rewards`: the badge days ahead, campaigns,
//! proposals, recent awards), the badge candidates of an award day with their printed list and
//! the decision (`/rewards/badges`), an award (`/awards/{id}`), a proposal
//! (`/award-proposals/{id}`), a campaign (`/campaigns/{id}`) and the figures
//! (`/rewards/figures`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::rewards::{AwardKind, State as ProposalState};
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::{self, Search};
use dangvu_store::orgs;
use dangvu_store::rewards::{
    Award, AwardFigures, AwardSummary, BadgeCandidate, Campaign, NewCampaign, NewProposalItem, NewRecipient, Proposal,
    ProposalSummary,
};
use serde::Deserialize;

use super::{ProposalInput, UnitAct};
use crate::AppState;
use crate::error::AppError;
use crate::pages::{Layout, PageForm, PageId, PageQuery, PageResult, PageRoutes, PageUser, form_status, render_with};
use crate::scope::optional_date;

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/rewards", get(hub))
        .route("/rewards/badges", get(badges).post(record_badges))
        .route("/rewards/badges/list", get(badge_list))
        .route("/rewards/figures", get(figures))
        .route("/rewards/figures/xlsx", get(figures_xlsx))
        .route("/awards/{id}", get(award))
        .route("/awards/{id}/ceremony", post(ceremony))
        .route("/award-proposals", post(create_proposal))
        .route("/award-proposals/{id}", get(proposal))
        .route("/award-proposals/{id}/items", post(add_item))
        .route("/award-proposals/{id}/items/delete", post(remove_item))
        .route("/award-proposals/{id}/steps", post(step))
        .route("/campaigns", post(launch))
        .route("/campaigns/{id}", get(campaign))
        .route("/campaigns/{id}/units", post(unit))
        .route("/campaigns/{id}/close", post(close))
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(vi::date).unwrap_or_default()
}

fn kinds(with_badge: bool) -> Vec<(&'static str, &'static str)> {
    AwardKind::ALL.iter().filter(|k| with_badge || **k != AwardKind::Badge).map(|k| (k.as_str(), k.label())).collect()
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org_id: Option<i64>,
    on: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

// ------------------------------------------------------------------ the hub

#[derive(Template)]
#[template(path = "rewards/index.html")]
struct HubPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    keeps: bool,
    /// (day, its date for the query, candidates).
    days: Vec<(String, String, usize)>,
    campaigns: Vec<Campaign>,
    proposals: Vec<ProposalSummary>,
    awards: Vec<AwardSummary>,
    kinds: Vec<(&'static str, &'static str)>,
    /// The organisations of the scope that may be named (the org itself and its children).
    units: Vec<(i64, String)>,
    year: i32,
    errors: Vec<FieldError>,
}

async fn hub_page(state: &AppState, user: &SessionUser, org_id: Option<OrgId>, errors: Vec<FieldError>) -> PageResult {
    let org = super::rewards_org(state, user, org_id).await?;
    let mut days = Vec::new();
    for day in super::award_days(state).await? {
        let (_, _, items) = super::badge_candidates(state, user, Some(org.id), Some(day)).await?;
        days.push((vi::date(day), day.to_string(), items.len()));
    }
    let (_, campaigns) = super::campaign_list(state, user, Some(org.id)).await?;
    let (_, proposals) = super::proposal_list(state, user, Some(org.id)).await?;
    let (_, mut awards) = super::org_awards(state, user, Some(org.id), None, None, None).await?;
    awards.truncate(20);
    let today = calendar::today();
    let mut units = vec![(i64::from(org.id), org.name.clone())];
    units
        .extend(orgs::children(&state.db, org.id, today, 0, 200).await?.into_iter().map(|o| (i64::from(o.id), o.name)));
    let page = HubPage {
        layout: Layout::new(user, "rewards"),
        org_id: i64::from(org.id),
        org_name: org.name,
        keeps: user.user.role.may_keep_rewards(),
        days,
        campaigns,
        proposals,
        awards,
        kinds: kinds(false),
        units,
        year: chrono::Datelike::year(&today),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn hub(State(state): State<AppState>, PageUser(user): PageUser, PageQuery(q): PageQuery<OrgQuery>) -> PageResult {
    hub_page(&state, &user, q.org_id.map(OrgId::from), Vec::new()).await
}

// ------------------------------------------------------------------ badges

#[derive(Template)]
#[template(path = "rewards/badges.html")]
struct BadgesPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    on: String,
    on_label: String,
    days: Vec<(String, String)>,
    items: Vec<BadgeRow>,
    keeps: bool,
    today: String,
    errors: Vec<FieldError>,
}

struct BadgeRow {
    c: BadgeCandidate,
    admitted_on: String,
    reached_on: String,
    party_age: String,
}

async fn badges_page(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    on: Option<NaiveDate>,
    errors: Vec<FieldError>,
) -> PageResult {
    let (org, on, items) = super::badge_candidates(state, user, org_id, on).await?;
    let days = super::award_days(state).await?.into_iter().map(|d| (d.to_string(), vi::date(d))).collect();
    let page = BadgesPage {
        layout: Layout::new(user, "rewards"),
        org_id: i64::from(org.id),
        org_name: org.name,
        on: on.to_string(),
        on_label: vi::date(on),
        days,
        items: items
            .into_iter()
            .map(|c| BadgeRow {
                admitted_on: vi::date(c.admitted_on),
                reached_on: vi::date(c.reached_on),
                party_age: c.party_age.label(),
                c,
            })
            .collect(),
        keeps: user.user.role.may_keep_rewards(),
        today: calendar::today().to_string(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn badges(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<OrgQuery>,
) -> PageResult {
    let on = optional_date(q.on.as_deref(), "on")?;
    badges_page(&state, &user, q.org_id.map(OrgId::from), on, Vec::new()).await
}

async fn badge_list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<OrgQuery>,
) -> PageResult {
    let on = optional_date(q.on.as_deref(), "on")?;
    Ok(super::badge_list(&state, &user, q.org_id.map(OrgId::from), on, q.format.as_deref().unwrap_or("pdf")).await?)
}

/// The badge decision: its number in the registry, its day, the members ticked.
async fn record_badges(State(state): State<AppState>, f: PageForm<Vec<(String, String)>>) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let org_id = get("org_id").and_then(|v| v.parse::<i64>().ok()).map(OrgId::from);
    let on = optional_date(get("on"), "on")?;
    let result = async {
        let decided_on = optional_date(get("decided_on"), "decided_on")?
            .ok_or_else(|| AppError::invalid("decided_on", "Ghi ngày quyết định"))?;
        let number = get("decision_number").unwrap_or("").trim().to_owned();
        let recipients: Vec<NewRecipient> = form
            .iter()
            .filter(|(k, _)| k == "member")
            .filter_map(|(_, v)| v.parse::<i64>().ok())
            .map(|id| NewRecipient { member_id: Some(MemberId::from(id)), ..Default::default() })
            .collect();
        if recipients.is_empty() {
            return Err(AppError::invalid("recipients", "Chọn ít nhất một đảng viên"));
        }
        let on_label = on.map(vi::date).unwrap_or_default();
        let award = super::record_badge_decision(
            &state,
            &user,
            org_id,
            &number,
            decided_on,
            format!("Tặng Huy hiệu Đảng đợt {on_label}"),
            recipients,
        )
        .await?;
        Ok::<_, AppError>(award)
    }
    .await;
    match result {
        Ok(award) => Ok(Redirect::to(&format!("/awards/{}", award.summary.id)).into_response()),
        Err(AppError::Invalid(errors)) => badges_page(&state, &user, org_id, on, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ an award

#[derive(Template)]
#[template(path = "rewards/award.html")]
struct AwardPage {
    layout: Layout,
    a: Award,
    decided_on: String,
    ceremony_on: String,
    keeps: bool,
    today: String,
    errors: Vec<FieldError>,
}

async fn award_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let a = super::award(state, user, id).await?;
    let page = AwardPage {
        layout: Layout::new(user, "rewards"),
        decided_on: vi::date(a.summary.decided_on),
        ceremony_on: date_text(a.summary.ceremony_on),
        a,
        keeps: user.user.role.may_keep_rewards(),
        today: calendar::today().to_string(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn award(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    award_page(&state, &user, id, Vec::new()).await
}

#[derive(Deserialize)]
struct CeremonyForm {
    held_on: String,
}

async fn ceremony(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CeremonyForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = optional_date(Some(&form.held_on), "held_on")?
            .ok_or_else(|| AppError::invalid("held_on", "Ghi ngày trao tặng"))?;
        super::set_ceremony(&state, &user, id, on).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/awards/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => award_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ figures

#[derive(Template)]
#[template(path = "rewards/figures.html")]
struct FiguresPage {
    layout: Layout,
    org_id: i64,
    org_name: String,
    f: AwardFigures,
    from: String,
    to: String,
}

async fn figures(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<OrgQuery>,
) -> PageResult {
    let from = optional_date(q.from.as_deref(), "from")?;
    let to = optional_date(q.to.as_deref(), "to")?;
    let (org, f) = super::figures(&state, &user, q.org_id.map(OrgId::from), from, to).await?;
    let page = FiguresPage {
        layout: Layout::new(&user, "rewards"),
        org_id: i64::from(org.id),
        org_name: org.name,
        from: f.from.to_string(),
        to: f.to.to_string(),
        f,
    };
    Ok(render_with(StatusCode::OK, &page))
}

async fn figures_xlsx(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<OrgQuery>,
) -> PageResult {
    let from = optional_date(q.from.as_deref(), "from")?;
    let to = optional_date(q.to.as_deref(), "to")?;
    Ok(super::figures_xlsx(&state, &user, q.org_id.map(OrgId::from), from, to).await?)
}

// ------------------------------------------------------------------ proposals

#[derive(Deserialize)]
struct ProposalForm {
    org_id: Option<i64>,
    to_org_id: Option<String>,
    kind: String,
    title: String,
    year: Option<String>,
}

async fn create_proposal(State(state): State<AppState>, f: PageForm<ProposalForm>) -> PageResult {
    let PageForm { user, form } = f;
    let org_id = form.org_id.map(OrgId::from);
    let result = async {
        let year = match form.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
            None => None,
            Some(y) => Some(y.parse().map_err(|_| AppError::invalid("year", "Năm là một số"))?),
        };
        let to_org_id = form.to_org_id.as_deref().and_then(|v| v.parse::<i64>().ok()).map(OrgId::from);
        let input = ProposalInput {
            org_id,
            to_org_id,
            kind: form.kind.clone(),
            title: form.title.clone(),
            year,
            campaign_id: None,
        };
        super::create_proposal(&state, &user, input).await
    }
    .await;
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/award-proposals/{}", p.summary.id)).into_response()),
        Err(AppError::Invalid(errors)) => hub_page(&state, &user, org_id, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "rewards/proposal.html")]
struct ProposalPage {
    layout: Layout,
    p: Proposal,
    state: &'static str,
    unit_side: bool,
    decider_side: bool,
    editable: bool,
    submitted: bool,
    /// Members and collectives of the proposing unit that may be added.
    members: Vec<(i64, String)>,
    collectives: Vec<(i64, String)>,
    today: String,
    errors: Vec<FieldError>,
}

async fn proposal_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let p = super::proposal(state, user, id).await?;
    let today = calendar::today();
    let seen = crate::scope::seen_on(state, user, today).await?;
    let unit = orgs::get(&state.db, p.summary.org_id, today).await?.ok_or(AppError::NotFound)?;
    let decider = orgs::get(&state.db, p.summary.to_org_id, today).await?.ok_or(AppError::NotFound)?;
    let keeps = user.user.role.may_keep_rewards();
    let unit_side = keeps && seen.contains(&unit.path);
    let editable = unit_side && p.summary.state.is_editable();
    let (members, collectives) = if editable {
        let search = Search { path: &unit.path, q: None, status: None, after: None, limit: 500 };
        let found = members::search(&state.db, &search, today).await?;
        let mut orgs_list = vec![(i64::from(unit.id), unit.name.clone())];
        orgs_list.extend(
            orgs::subtree(&state.db, &unit, today, 2, 300).await?.into_iter().map(|o| (i64::from(o.id), o.name)),
        );
        orgs_list.dedup_by_key(|(id, _)| *id);
        (
            found.members.into_iter().map(|m| (i64::from(m.id), format!("{} ({})", m.full_name, m.org_name))).collect(),
            orgs_list,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let page = ProposalPage {
        layout: Layout::new(user, "rewards"),
        state: p.summary.state.label(),
        unit_side,
        decider_side: keeps && seen.contains(&decider.path),
        editable,
        submitted: p.summary.state == ProposalState::Submitted,
        p,
        members,
        collectives,
        today: today.to_string(),
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn proposal(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    proposal_page(&state, &user, id, Vec::new()).await
}

#[derive(Deserialize)]
struct ItemForm {
    member_id: Option<String>,
    org_id: Option<String>,
    achievement: String,
}

async fn add_item(State(state): State<AppState>, PageId(id): PageId, f: PageForm<ItemForm>) -> PageResult {
    let PageForm { user, form } = f;
    let parse = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let item = NewProposalItem {
        member_id: parse(&form.member_id).map(MemberId::from),
        org_id: if parse(&form.member_id).is_some() { None } else { parse(&form.org_id).map(OrgId::from) },
        achievement: form.achievement,
    };
    match super::add_item(&state, &user, id, item).await {
        Ok(_) => Ok(Redirect::to(&format!("/award-proposals/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => proposal_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RemoveForm {
    item_id: i64,
}

async fn remove_item(State(state): State<AppState>, PageId(id): PageId, f: PageForm<RemoveForm>) -> PageResult {
    let PageForm { user, form } = f;
    match super::remove_item(&state, &user, id, form.item_id).await {
        Ok(_) => Ok(Redirect::to(&format!("/award-proposals/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => proposal_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

async fn step(State(state): State<AppState>, PageId(id): PageId, f: PageForm<Vec<(String, String)>>) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let input = super::api::StepInput {
        event: get("event").unwrap_or_default(),
        reason: get("reason"),
        approved: form.iter().filter(|(k, _)| k == "approved").filter_map(|(_, v)| v.parse().ok()).collect(),
        decision_number: get("decision_number"),
        decision_title: get("decision_title"),
        decided_on: get("decided_on"),
    };
    let result = async { super::proposal_step(&state, &user, id, super::api::proposal_step(input)?).await }.await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/award-proposals/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => proposal_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ campaigns

#[derive(Deserialize)]
struct CampaignForm {
    org_id: i64,
    theme: String,
    starts_on: String,
    ends_on: String,
    criteria: String,
}

async fn launch(State(state): State<AppState>, f: PageForm<CampaignForm>) -> PageResult {
    let PageForm { user, form } = f;
    let org_id = OrgId::from(form.org_id);
    let result = async {
        let date = |raw: &str, field: &str| {
            optional_date(Some(raw), field)?.ok_or_else(|| AppError::invalid(field, "Ghi ngày"))
        };
        let new = NewCampaign {
            org_id,
            theme: form.theme.clone(),
            starts_on: date(&form.starts_on, "starts_on")?,
            ends_on: date(&form.ends_on, "ends_on")?,
            criteria: form.criteria.clone(),
        };
        super::launch_campaign(&state, &user, new).await
    }
    .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/campaigns/{}", c.id)).into_response()),
        Err(AppError::Invalid(errors)) => hub_page(&state, &user, Some(org_id), errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "rewards/campaign.html")]
struct CampaignPage {
    layout: Layout,
    c: Campaign,
    period: String,
    open: bool,
    launcher_side: bool,
    /// The units of the account that may register or report (its own organisation and below).
    units: Vec<(i64, String)>,
    errors: Vec<FieldError>,
}

async fn campaign_page(state: &AppState, user: &SessionUser, id: i64, errors: Vec<FieldError>) -> PageResult {
    let c = super::readable_campaign(state, user, id).await?;
    let today = calendar::today();
    let seen = crate::scope::seen_on(state, user, today).await?;
    let launcher = orgs::get(&state.db, c.org_id, today).await?.ok_or(AppError::NotFound)?;
    let keeps = user.user.role.may_keep_rewards();
    let mut units = Vec::new();
    if keeps && c.state == dangvu_domain::rewards::CampaignState::Open {
        let own = super::rewards_org(state, user, None).await?;
        if own.path != launcher.path {
            units.push((i64::from(own.id), own.name.clone()));
        }
        units.extend(
            orgs::children(&state.db, own.id, today, 0, 200)
                .await?
                .into_iter()
                .filter(|o| dangvu_domain::orgs::tree::is_within(&o.path, &launcher.path))
                .map(|o| (i64::from(o.id), o.name)),
        );
    }
    let page = CampaignPage {
        layout: Layout::new(user, "rewards"),
        period: format!("{} – {}", vi::date(c.starts_on), vi::date(c.ends_on)),
        open: c.state == dangvu_domain::rewards::CampaignState::Open,
        launcher_side: keeps && seen.contains(&launcher.path),
        c,
        units,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

async fn campaign(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    campaign_page(&state, &user, id, Vec::new()).await
}

#[derive(Deserialize)]
struct UnitForm {
    org_id: Option<i64>,
    /// `register` or `report`.
    act: String,
    text: String,
}

async fn unit(State(state): State<AppState>, PageId(id): PageId, f: PageForm<UnitForm>) -> PageResult {
    let PageForm { user, form } = f;
    let act = if form.act == "report" { UnitAct::Report(form.text) } else { UnitAct::Register(form.text) };
    match super::campaign_unit(&state, &user, id, form.org_id.map(OrgId::from), act).await {
        Ok(_) => Ok(Redirect::to(&format!("/campaigns/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => campaign_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct CloseForm {
    summary: String,
}

async fn close(State(state): State<AppState>, PageId(id): PageId, f: PageForm<CloseForm>) -> PageResult {
    let PageForm { user, form } = f;
    match super::close_campaign(&state, &user, id, &form.summary).await {
        Ok(_) => Ok(Redirect::to(&format!("/campaigns/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => campaign_page(&state, &user, id, errors).await,
        Err(e) => Err(e.into()),
    }
}
