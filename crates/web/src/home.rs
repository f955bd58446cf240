//! The dashboard: the account's part of the tree at a glance.

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
use axum::response::IntoResponse;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    today: String,
    scope: Option<OrgView>,
    figures: Vec<Figure>,
    members: String,
    children: Vec<OrgView>,
    reminder_days: i64,
    due_soon: Vec<crate::tasks::pages::tasks::TaskRow>,
    missed_today: Vec<crate::tasks::pages::tasks::TaskRow>,
    /// The petitions of the subtree against their clocks, for those who read the register.
    petitions: Option<dangvu_store::petitions::Deadlines>,
    /// The open petitions the account handles, the nearest deadline first.
    my_petitions: Vec<crate::petitions::pages::Row>,
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
    let top = match seen_on(&state, &user, today).await? {
        Seen::All => orgs::roots(&state.db, today).await?.into_iter().next(),
        Seen::Below(_) => match user.user.org_id {
            Some(id) => orgs::get(&state.db, id, today).await?,
            None => None,
        },
        Seen::Nothing => None,
    };
    let mut page = HomePage {
        layout: Layout::new(&user, "home"),
        today: vi::date(today),
        scope: None,
        figures: Vec::new(),
        members: "0".into(),
        children: Vec::new(),
        reminder_days: 0,
        due_soon: Vec::new(),
        missed_today: Vec::new(),
        petitions: None,
        my_petitions: Vec::new(),
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
        let days = dangvu_store::settings::get(&state.db).await?.reminder_days;
        let r = dangvu_store::tasks::reminders(&state.db, &org.path, today, days).await?;
        page.reminder_days = days;
        page.due_soon = r.due_soon.iter().map(|t| crate::tasks::pages::tasks::row(t, today)).collect();
        page.missed_today = r.missed_today.iter().map(|t| crate::tasks::pages::tasks::row(t, today)).collect();
        if crate::petitions::reads_petitions(&user) {
            let (deadlines, mine) = crate::petitions::home(&state, &user, &org).await?;
            page.petitions = Some(deadlines);
            page.my_petitions = mine.iter().map(crate::petitions::pages::row).collect();
        }
        page.scope = Some(OrgView::of(&org));
    }
    Ok(render(&page)?.into_response())
}

/// The home page (no API of its own: it gathers what the capabilities hold).
pub fn router() -> crate::Routes {
    crate::Routes {
        api: utoipa_axum::router::OpenApiRouter::new(),
        pages: crate::pages::PageRoutes::new().route("/", axum::routing::get(dashboard)),
    }
}
