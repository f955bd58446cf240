//! The home page: "Việc cần làm" — what the account has to do next — then its part of the tree
//! at a glance. A member's home is the handbook.

pub mod figures;
pub mod todo;

use askama::Template;
use axum::extract::State;
use dangvu_domain::calendar;
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::vi;
use dangvu_store::orgs;

use crate::AppState;
use crate::orgs::pages::{Figure, OrgView};
use crate::pages::{Layout, PageResult, PageUser, render};
use crate::scope::{Seen, seen_on};
use axum::Json;
use axum::response::IntoResponse;
use dangvu_store::accounts::SessionUser;

use crate::api::JsonResult;
use crate::error::AppError;
use crate::extract::ApiUser;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    today: String,
    scope: Option<OrgView>,
    figures: Vec<Figure>,
    members: String,
    children: Vec<OrgView>,
    missed_today: Vec<crate::tasks::pages::tasks::TaskRow>,
    /// The petitions of the subtree against their clocks, for those who read the register.
    petitions: Option<dangvu_store::petitions::Deadlines>,
    /// The open petitions the account handles, the nearest deadline first.
    my_petitions: Vec<crate::petitions::pages::Row>,
    /// What the account has to do next.
    todo: Vec<todo::TodoItem>,
    /// The figures a leader reads first, beside the same span of last year.
    key_figures: Vec<figures::KeyFigure>,
}

#[derive(serde::Deserialize, Default)]
pub struct HomeParams {
    done: Option<String>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    crate::extract::ApiQuery(p): crate::extract::ApiQuery<HomeParams>,
) -> PageResult {
    // A member's home is the handbook: no office figures, no office navigation.
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return crate::cell_meetings::pages::handbook::home(
            &state,
            &user,
            crate::pages::done_message(p.done.as_deref()),
        )
        .await;
    }
    let today = calendar::today();
    let top = top_org(&state, &user).await?;
    let mut page = HomePage {
        layout: Layout::new(&user, "home"),
        today: vi::date(today),
        scope: None,
        figures: Vec::new(),
        members: "0".into(),
        children: Vec::new(),
        missed_today: Vec::new(),
        petitions: None,
        my_petitions: Vec::new(),
        todo: Vec::new(),
        key_figures: Vec::new(),
    };
    if let Some(org) = top {
        let stats = orgs::stats(&state.db, &org, today).await?;
        page.figures = [
            OrgKind::Committee,
            OrgKind::GrassrootsCommittee,
            OrgKind::GrassrootsCell,
            OrgKind::SubCommittee,
            OrgKind::Cell,
        ]
        .into_iter()
        .map(|k| Figure { label: k.label(), value: vi::number(stats.orgs.get(k.as_str()).copied().unwrap_or(0)) })
        .collect();
        page.members = vi::number(stats.members.total);
        let mut kids: Vec<OrgView> =
            orgs::children(&state.db, org.id, today, 0, 500).await?.iter().map(OrgView::of).collect();
        kids.sort_by_cached_key(|c| dangvu_domain::text::fold(&c.name));
        page.children = kids;
        let todo = todo::gather(&state, &user, &org).await?;
        page.missed_today = todo.missed_today.iter().map(|t| crate::tasks::pages::tasks::row(t, today)).collect();
        if let Some((deadlines, mine)) = todo.petitions {
            page.my_petitions = mine.iter().map(crate::petitions::pages::row).collect();
            page.petitions = Some(deadlines);
        }
        page.todo = todo.items;
        page.key_figures = figures::key_figures(&state, &org).await?;
        page.scope = Some(OrgView::of(&org));
    }
    Ok(render(&page)?.into_response())
}

/// The organisation at the top of the account's scope: its own, or the first root for an
/// account that sees the whole tree.
async fn top_org(state: &AppState, user: &SessionUser) -> Result<Option<orgs::Org>, AppError> {
    let today = calendar::today();
    Ok(match seen_on(state, user, today).await? {
        Seen::All => orgs::roots(&state.db, today).await?.into_iter().next(),
        Seen::Below(_) => match user.user.org_id {
            Some(id) => orgs::get(&state.db, id, today).await?,
            None => None,
        },
        Seen::Nothing => None,
    })
}

/// What the account has to do next, at the top of its scope (a member: nothing here; the
/// handbook says what the member has to do).
#[utoipa::path(get, path = "/me/todo", tag = "accounts",
    responses((status = 200, body = todo::Todo), (status = 404, body = crate::error::ErrorBody)))]
pub async fn my_todo(State(state): State<AppState>, ApiUser(user): ApiUser) -> JsonResult<todo::Todo> {
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return Err(AppError::NotFound);
    }
    let org = top_org(&state, &user).await?.ok_or(AppError::NotFound)?;
    Ok(Json(todo::gather(&state, &user, &org).await?))
}

/// The home page, and the to-do it opens with.
pub fn router() -> crate::Routes {
    crate::Routes {
        api: utoipa_axum::router::OpenApiRouter::new().routes(utoipa_axum::routes!(my_todo)),
        pages: crate::pages::PageRoutes::new().route("/", axum::routing::get(dashboard)),
    }
}
