//! `/api/v1/orgs`: the tree, its history and its restructuring.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_store::orgs::{self, Body, NewOrg, Org, Stats, Version};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{JsonResult, PageParams, next_cursor};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ApiUser, Id};
use crate::scope::{Seen, date_or_today, seen_on, visible_org};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateOrg {
    /// Unique, e.g. `DUK-CCQ`.
    pub code: String,
    pub name: String,
    /// `province`, `committee`, `grassroots_committee`, `grassroots_cell`, `sub_committee` or `cell`.
    pub kind: String,
    /// `null` only for the root of a tree.
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    /// Founding date; today when absent.
    pub effective_on: Option<String>,
}

/// Found an organisation.
#[utoipa::path(post, path = "/orgs", tag = "orgs", request_body = CreateOrg,
    responses((status = 201, body = Org), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<CreateOrg>,
) -> Result<(StatusCode, Json<Org>), AppError> {
    let on = date_or_today(input.effective_on.as_deref(), "effective_on")?;
    let new =
        NewOrg { code: input.code, name: input.name, kind: input.kind, parent_id: input.parent_id, effective_on: on };
    let id = super::found(&state, &user, new).await?;
    let org = orgs::get(&state.db, id, on).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The children of this organisation.
    #[param(value_type = Option<i64>)]
    pub parent_id: Option<OrgId>,
    /// The organisation with this code.
    pub code: Option<String>,
    /// Name or code contains this text (case and diacritics ignored).
    pub q: Option<String>,
    /// The tree as on this date (YYYY-MM-DD); today when absent.
    pub on: Option<String>,
    /// 1–500, default 50.
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgList {
    pub items: Vec<Org>,
    pub next_cursor: Option<String>,
}

/// List organisations: the children of one, one by code, a search, or the top of the scope.
#[utoipa::path(get, path = "/orgs", tag = "orgs", params(ListParams),
    responses((status = 200, body = OrgList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> JsonResult<OrgList> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    let (limit, after) = PageParams { limit: p.limit, cursor: p.cursor.clone() }.resolve()?;
    let seen = seen_on(&state, &user, on).await?;
    let items = if let Some(pid) = p.parent_id {
        visible_org(&state, &user, pid, on).await?;
        orgs::children(&state.db, pid, on, after, limit).await?
    } else if let Some(code) = p.code.as_deref() {
        let found = orgs::get_by_code(&state.db, code, on).await?;
        found.into_iter().filter(|o| seen.contains(&o.path) && after < o.id.0).collect()
    } else {
        let top = match &seen {
            Seen::All => orgs::roots(&state.db, on).await?,
            Seen::Below(_) => match user.user.org_id {
                Some(id) => orgs::get(&state.db, id, on).await?.into_iter().collect(),
                None => Vec::new(),
            },
            Seen::Nothing => Vec::new(),
        };
        match p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            None => top.into_iter().filter(|o| o.id.0 > after).take(limit as usize).collect(),
            Some(q) => {
                // Searches are ranked by depth and name, so they are not paged by id.
                let mut found = Vec::new();
                for root in &top {
                    found.extend(orgs::search(&state.db, &root.path, q, on, limit).await?);
                }
                found.truncate(limit as usize);
                return Ok(Json(OrgList { items: found, next_cursor: None }));
            }
        }
    };
    let next = next_cursor(items.last().map(|o| o.id.0), items.len(), limit);
    Ok(Json(OrgList { items, next_cursor: next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnParams {
    /// YYYY-MM-DD; today when absent.
    pub on: Option<String>,
}

/// One organisation as it stood on a date.
#[utoipa::path(get, path = "/orgs/{id}", tag = "orgs", params(("id" = i64, Path), OnParams),
    responses((status = 200, body = Org), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<OnParams>,
) -> JsonResult<Org> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    Ok(Json(visible_org(&state, &user, id, on).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TreeParams {
    /// Levels below the organisation, 1–12; default 1.
    pub depth: Option<i64>,
    /// YYYY-MM-DD; today when absent.
    pub on: Option<String>,
}

/// A node of the tree with its children.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreeNode {
    #[serde(flatten)]
    pub org: Org,
    #[schema(no_recursion)]
    pub children: Vec<TreeNode>,
}

/// Most nodes one tree answer may hold.
const TREE_LIMIT: i64 = 20_000;

/// The subtree as it stood on a date.
#[utoipa::path(get, path = "/orgs/{id}/tree", tag = "orgs", params(("id" = i64, Path), TreeParams),
    responses((status = 200, body = TreeNode), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tree(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<TreeParams>,
) -> JsonResult<TreeNode> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    let depth = p.depth.unwrap_or(1);
    if !(1..=12).contains(&depth) {
        return Err(AppError::invalid("depth", "depth phải từ 1 đến 12"));
    }
    let root = visible_org(&state, &user, id, on).await?;
    let nodes = orgs::subtree(&state.db, &root, on, depth, TREE_LIMIT + 1).await?;
    if nodes.len() as i64 > TREE_LIMIT {
        return Err(AppError::invalid("depth", "Cây quá lớn để trả về một lần; hãy giảm depth"));
    }
    Ok(Json(build_tree(root, nodes)))
}

/// Nests nodes that come in path order under their parents; children sorted by name.
fn build_tree(root: Org, nodes: Vec<Org>) -> TreeNode {
    let mut by_parent: std::collections::HashMap<OrgId, Vec<Org>> = std::collections::HashMap::new();
    for n in nodes {
        if let Some(p) = n.parent_id {
            by_parent.entry(p).or_default().push(n);
        }
    }
    fn attach(org: Org, by_parent: &mut std::collections::HashMap<OrgId, Vec<Org>>) -> TreeNode {
        let mut kids = by_parent.remove(&org.id).unwrap_or_default();
        kids.sort_by_cached_key(|k| dangvu_domain::text::fold(&k.name));
        let children = kids.into_iter().map(|k| attach(k, by_parent)).collect();
        TreeNode { org, children }
    }
    attach(root, &mut by_parent)
}

/// Counts over the whole subtree below the organisation (itself not counted).
#[utoipa::path(get, path = "/orgs/{id}/stats", tag = "orgs", params(("id" = i64, Path), OnParams),
    responses((status = 200, body = Stats), (status = 404, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiQuery(p): ApiQuery<OnParams>,
) -> JsonResult<Stats> {
    let on = date_or_today(p.on.as_deref(), "on")?;
    let org = visible_org(&state, &user, id, on).await?;
    Ok(Json(orgs::stats(&state.db, &org, on).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub items: Vec<Version>,
}

/// Every name and place the organisation has had.
#[utoipa::path(get, path = "/orgs/{id}/history", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = History), (status = 404, body = ErrorBody)))]
pub async fn history(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id<OrgId>) -> JsonResult<History> {
    visible_org(&state, &user, id, calendar::today()).await?;
    Ok(Json(History { items: orgs::history(&state.db, id).await? }))
}

fn effective(raw: &Option<String>) -> Result<NaiveDate, AppError> {
    date_or_today(raw.as_deref(), "effective_on")
}

/// The organisation as on the date of the change that was just made.
async fn after_change(state: &AppState, id: OrgId, on: NaiveDate) -> JsonResult<Org> {
    Ok(Json(orgs::get(&state.db, id, on).await?.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RenameOrg {
    pub name: String,
    /// Today when absent.
    pub effective_on: Option<String>,
}

/// Rename from a date; the old name stays in the history.
#[utoipa::path(post, path = "/orgs/{id}/rename", tag = "orgs", params(("id" = i64, Path)), request_body = RenameOrg,
    responses((status = 200, body = Org), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<RenameOrg>,
) -> JsonResult<Org> {
    let on = effective(&input.effective_on)?;
    super::rename(&state, &user, id, &input.name, on).await?;
    after_change(&state, id, on).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveOrg {
    #[schema(value_type = i64)]
    pub parent_id: OrgId,
    pub effective_on: Option<String>,
}

/// Move under another parent from a date, with the whole subtree.
#[utoipa::path(post, path = "/orgs/{id}/move", tag = "orgs", params(("id" = i64, Path)), request_body = MoveOrg,
    responses((status = 200, body = Org), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<MoveOrg>,
) -> JsonResult<Org> {
    let on = effective(&input.effective_on)?;
    super::move_org(&state, &user, id, input.parent_id, on).await?;
    after_change(&state, id, on).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeOrg {
    #[schema(value_type = i64)]
    pub into_id: OrgId,
    pub effective_on: Option<String>,
}

/// Merge into another organisation: children and members move there, this one ends.
#[utoipa::path(post, path = "/orgs/{id}/merge", tag = "orgs", params(("id" = i64, Path)), request_body = MergeOrg,
    responses((status = 200, body = Org), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<MergeOrg>,
) -> JsonResult<Org> {
    let on = effective(&input.effective_on)?;
    super::merge(&state, &user, id, input.into_id, on).await?;
    after_change(&state, id, on).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DissolveOrg {
    pub effective_on: Option<String>,
}

/// Dissolve from a date; it must have no children or members left.
#[utoipa::path(post, path = "/orgs/{id}/dissolve", tag = "orgs", params(("id" = i64, Path)), request_body = DissolveOrg,
    responses((status = 200, body = Org), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<DissolveOrg>,
) -> JsonResult<Org> {
    let on = effective(&input.effective_on)?;
    super::dissolve(&state, &user, id, on).await?;
    after_change(&state, id, on).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BodyList {
    pub items: Vec<Body>,
}

/// The bodies inside an organisation (Ban Chấp hành, Ban Thường vụ, UBKT, boards, office).
#[utoipa::path(get, path = "/orgs/{id}/bodies", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = BodyList), (status = 404, body = ErrorBody)))]
pub async fn bodies(State(state): State<AppState>, ApiUser(user): ApiUser, Id(id): Id<OrgId>) -> JsonResult<BodyList> {
    visible_org(&state, &user, id, calendar::today()).await?;
    Ok(Json(BodyList { items: orgs::bodies(&state.db, id).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateBody {
    /// `executive`, `standing`, `standing_office`, `inspection`, `board` or `office`.
    pub kind: String,
    pub name: String,
}

/// Add a body to an organisation.
#[utoipa::path(post, path = "/orgs/{id}/bodies", tag = "orgs", params(("id" = i64, Path)), request_body = CreateBody,
    responses((status = 201, body = Body), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_body(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Id(id): Id<OrgId>,
    ApiJson(input): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<Body>), AppError> {
    let body_id = super::add_body(&state, &user, id, &input.kind, &input.name).await?;
    let body = orgs::bodies(&state.db, id).await?.into_iter().find(|b| b.id == body_id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(body)))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get))
        .routes(routes!(tree))
        .routes(routes!(stats))
        .routes(routes!(history))
        .routes(routes!(rename))
        .routes(routes!(move_org))
        .routes(routes!(merge))
        .routes(routes!(dissolve))
        .routes(routes!(bodies, add_body))
}
