//! The delegates pages: the seats and the list of a congress with the credentials committee's
//! decisions and the substitutions; the sessions with the check-in desk, where cards are typed
//! as people come in, and the electors an election at the congress takes.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use dangvu_domain::calendar;
use dangvu_domain::congresses::CongressKind;
use dangvu_domain::congresses::delegates::{Credentials, Decision, Role, Seats, Source};
use dangvu_domain::elections::Exclusion;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::Congress;
use dangvu_store::congresses::delegates::{CheckedIn, Delegate, ElectorsAt, NewDelegate, SeatRow, Session};
use serde::Deserialize;

use super::super::Access;
use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{Layout, PageForm, PageId, PageResult, PageRoutes, PageUser, render_with};

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/congresses/{id}/delegates", get(list).post(add))
        .route("/congresses/{id}/seats", post(set_seats))
        .route("/congresses/{id}/delegations", post(add_delegation))
        .route("/congresses/{id}/summons", post(summon))
        .route("/delegates/{id}/credentials", post(decide))
        .route("/congresses/{id}/credentials/accept-awaiting", post(accept_awaiting))
        .route("/delegates/{id}/substitution", post(substitute))
        .route("/delegates/{id}/exclusion", post(set_exclusion))
        .route("/congresses/{id}/sessions", get(sessions).post(open_session))
        .route("/congress-sessions/{id}/check-ins", post(check_in))
}

fn field(form: &HashMap<String, String>, k: &str) -> String {
    form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default()
}

fn whole(form: &HashMap<String, String>, k: &str, label: &str) -> Result<u32, AppError> {
    let raw = field(form, k);
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse().map_err(|_| AppError::invalid(k, format!("{label} là một số nguyên không âm")))
}

// ------------------------------------------------------------------ the list

/// A unit's line of the seats form: today's allocation, or the proposal asked for.
pub struct SeatLine {
    pub org_id: OrgId,
    pub org_name: String,
    pub members: Option<u32>,
    pub official: u32,
    pub alternates: u32,
    pub officials_named: u32,
    pub alternates_named: u32,
}

/// A person of the list as the page shows them.
pub struct DelegateRow {
    pub d: Delegate,
    pub source: &'static str,
    pub role: &'static str,
    pub credentials: &'static str,
    pub exclusion: &'static str,
    pub present: String,
    /// Alternates of the same delegation who may take this official's place: (id, label).
    pub alternates: Vec<(i64, String)>,
    pub decidable: bool,
    pub replaceable: bool,
}

#[derive(Template)]
#[template(path = "congresses/delegates.html")]
struct DelegatesPage {
    layout: Layout,
    c: Congress,
    org_name: String,
    delegates_congress: bool,
    staff: bool,
    can_prepare: bool,
    seats: Vec<SeatLine>,
    seat_total: (u32, u32),
    proposal: Option<(u32, u32, u32)>,
    rows: Vec<DelegateRow>,
    summoned: u32,
    accepted: u32,
    awaiting: u32,
    rejected: u32,
    replaced: u32,
    /// Units the reader may send delegates for: (id, name).
    units: Vec<(OrgId, String)>,
    /// Final elections of those units: (id, label).
    elections: Vec<(i64, String)>,
    sources: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// Ask for a proportional proposal: official seats, alternates, the floor.
    official: Option<u32>,
    alternates: Option<u32>,
    floor: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    list_page(&state, &user, id, q, Vec::new()).await
}

async fn list_page(state: &AppState, user: &SessionUser, id: i64, q: ListQuery, errors: Vec<FieldError>) -> PageResult {
    let (seen, list) = super::list(state, user, id).await?;
    let staff = seen.access == Access::Staff;
    let can_prepare = staff && user.user.role.may_prepare_congresses();
    let delegates_congress = seen.congress.kind == CongressKind::Delegates;
    let seat_rows: Vec<SeatRow> =
        if staff { dangvu_store::congresses::delegates::seats(&state.db, id).await? } else { Vec::new() };
    let proposal = match (q.official, can_prepare && delegates_congress) {
        (Some(o), true) => Some((o, q.alternates.unwrap_or(0), q.floor.unwrap_or(0))),
        _ => None,
    };
    let seats = seat_lines(state, user, id, &seat_rows, proposal, can_prepare && delegates_congress).await?;
    let seat_total = seat_rows.iter().fold((0, 0), |(o, a), s| (o + s.official, a + s.alternates));
    // The units the reader sends for: every unit with seats for the congress's staff, the
    // reader's own below it otherwise.
    let scope = crate::scope::seen_on(state, user, calendar::today()).await?;
    let mut units = Vec::new();
    let allocated = dangvu_store::congresses::delegates::seats(&state.db, id).await?;
    for s in &allocated {
        let path = dangvu_store::orgs::get(&state.db, s.org_id, calendar::today()).await?.map(|o| o.path);
        if staff || path.is_some_and(|p| scope.contains(&p)) {
            units.push((s.org_id, s.org_name.clone()));
        }
    }
    let mut elections = Vec::new();
    if user.user.role.may_prepare_congresses() {
        for (org_id, org_name) in &units {
            let conferences = dangvu_store::personnel::nominations::conferences_of_org(&state.db, *org_id).await?;
            for e in dangvu_store::elections::of_org(&state.db, *org_id, 50).await? {
                if !conferences.contains(&e.id)
                    && matches!(
                        e.status,
                        dangvu_domain::elections::state::State::Final | dangvu_domain::elections::state::State::Sealed
                    )
                {
                    elections.push((e.id, format!("{org_name} — {}", e.title)));
                }
            }
        }
    }
    let count = |f: fn(&Delegate) -> bool| list.iter().filter(|d| d.role == Role::Official && f(d)).count() as u32;
    let summoned = count(|d| d.credentials.sits());
    let accepted = count(|d| d.credentials == Credentials::Accepted);
    let awaiting = count(|d| d.credentials == Credentials::Awaiting);
    let rejected = count(|d| d.credentials == Credentials::Rejected);
    let replaced = count(|d| d.credentials == Credentials::Replaced);
    let rows = list
        .iter()
        .map(|d| DelegateRow {
            source: d.source.label(),
            role: d.role.label(),
            credentials: d.credentials.label(),
            exclusion: d.exclusion.map(|e| e.label()).unwrap_or(""),
            present: d.present_at.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
            alternates: list
                .iter()
                .filter(|a| a.role == Role::Alternate && a.credentials.sits() && a.org_id == d.org_id)
                .map(|a| (a.id, format!("{} (thẻ {})", a.full_name, a.card)))
                .collect(),
            decidable: super::decidable(d),
            replaceable: d.role == Role::Official
                && matches!(d.source, Source::Elected | Source::Appointed)
                && d.credentials != Credentials::Replaced,
            d: d.clone(),
        })
        .collect();
    let sources = Source::ALL
        .iter()
        .filter(|s| s.fits(seen.congress.kind) && (can_prepare || **s == Source::Elected))
        .map(|s| (s.as_str(), s.label()))
        .collect();
    let reasons = Exclusion::ALL
        .iter()
        .filter(|r| r.applies_to(seen.congress.kind.election_kind()))
        .map(|r| (r.as_str(), r.label()))
        .collect();
    if !user.user.role.may_prepare_congresses() {
        units.clear();
    }
    if can_prepare && !units.iter().any(|(o, _)| *o == seen.congress.org_id) {
        units.insert(0, (seen.congress.org_id, seen.org.name.clone()));
    }
    let page = DelegatesPage {
        layout: Layout::new(user, "congresses"),
        org_name: seen.org.name.clone(),
        c: seen.congress,
        delegates_congress,
        staff,
        can_prepare,
        seats,
        seat_total,
        proposal,
        rows,
        summoned,
        accepted,
        awaiting,
        rejected,
        replaced,
        units,
        elections,
        sources,
        reasons,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

/// The lines of the seats form: every unit directly below, with the allocation stored or the
/// proposal asked for.
async fn seat_lines(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    stored: &[SeatRow],
    proposal: Option<(u32, u32, u32)>,
    editable: bool,
) -> Result<Vec<SeatLine>, AppError> {
    if let Some((official, alternates, floor)) = proposal {
        let proposed = super::seat_proposal(state, user, id, official, alternates, floor).await?;
        return Ok(proposed
            .into_iter()
            .map(|p| {
                let named = stored.iter().find(|s| s.org_id == p.org_id);
                SeatLine {
                    org_id: p.org_id,
                    org_name: p.org_name,
                    members: Some(p.members),
                    official: p.official,
                    alternates: p.alternates,
                    officials_named: named.map(|s| s.officials_named).unwrap_or(0),
                    alternates_named: named.map(|s| s.alternates_named).unwrap_or(0),
                }
            })
            .collect());
    }
    let mut lines: Vec<SeatLine> = stored
        .iter()
        .map(|s| SeatLine {
            org_id: s.org_id,
            org_name: s.org_name.clone(),
            members: None,
            official: s.official,
            alternates: s.alternates,
            officials_named: s.officials_named,
            alternates_named: s.alternates_named,
        })
        .collect();
    if editable {
        // The units below without seats yet, so that the form can give them some.
        let seen = super::super::visible_congress(state, user, id).await?;
        for unit in dangvu_store::orgs::children(&state.db, seen.org.id, calendar::today(), 0, 1_000).await? {
            if !lines.iter().any(|l| l.org_id == unit.id) {
                lines.push(SeatLine {
                    org_id: unit.id,
                    org_name: unit.name,
                    members: None,
                    official: 0,
                    alternates: 0,
                    officials_named: 0,
                    alternates_named: 0,
                });
            }
        }
    }
    Ok(lines)
}

fn back(id: i64) -> impl FnOnce(()) -> String {
    move |_| format!("/congresses/{id}/delegates")
}

/// The seats form: `official.{org_id}` and `alternates.{org_id}` for each unit; a unit given
/// no seat at all is left out of the allocation.
pub async fn set_seats(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let mut allocation = Vec::new();
        let mut orgs: Vec<OrgId> = form
            .keys()
            .filter_map(|k| k.strip_prefix("official.").and_then(|o| o.parse::<i64>().ok()))
            .map(OrgId::from)
            .collect();
        orgs.sort_by_key(|o| i64::from(*o));
        for org in orgs {
            let official = whole(&form, &format!("official.{org}"), "Số đại biểu chính thức")?;
            let alternates = whole(&form, &format!("alternates.{org}"), "Số đại biểu dự khuyết")?;
            if official > 0 || alternates > 0 {
                allocation.push((org, Seats { official, alternates }));
            }
        }
        super::set_seats(&state, &user, id, allocation).await.map(|_| ())
    }
    .await;
    crate::pages::redirect_or_again(result, back(id), async |errors| {
        list_page(&state, &user, id, ListQuery::default(), errors).await
    })
    .await
}

pub async fn add(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let member_id = match field(&form, "member_id") {
            m if m.is_empty() => None,
            m => Some(MemberId::from(
                m.parse::<i64>().map_err(|_| AppError::invalid("member_id", "Mã đảng viên là một số"))?,
            )),
        };
        let new = NewDelegate {
            org_id: OrgId::from(
                field(&form, "org_id").parse::<i64>().map_err(|_| AppError::invalid("org_id", "Hãy chọn đoàn"))?,
            ),
            member_id,
            full_name: field(&form, "full_name"),
            source: Source::parse(&field(&form, "source"))
                .ok_or_else(|| AppError::invalid("source", "Hãy chọn thành phần"))?,
            role: Role::parse(&field(&form, "role")).unwrap_or(Role::Official),
            votes: None,
            election_id: None,
        };
        super::add(&state, &user, id, new).await.map(|_| ())
    }
    .await;
    crate::pages::redirect_or_again(result, back(id), async |errors| {
        list_page(&state, &user, id, ListQuery::default(), errors).await
    })
    .await
}

pub async fn add_delegation(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let election_id = field(&form, "election_id")
            .parse::<i64>()
            .map_err(|_| AppError::invalid("election_id", "Hãy chọn cuộc bầu cử"))?;
        let role = Role::parse(&field(&form, "role")).unwrap_or(Role::Official);
        super::add_from_election(&state, &user, id, election_id, role).await.map(|_| ())
    }
    .await;
    crate::pages::redirect_or_again(result, back(id), async |errors| {
        list_page(&state, &user, id, ListQuery::default(), errors).await
    })
    .await
}

pub async fn summon(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, .. } = f;
    let result = super::summon_members(&state, &user, id).await.map(|_| ());
    crate::pages::redirect_or_again(result, back(id), async |errors| {
        list_page(&state, &user, id, ListQuery::default(), errors).await
    })
    .await
}

pub async fn accept_awaiting(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, .. } = f;
    let result = super::accept_awaiting(&state, &user, id).await.map(|_| ());
    crate::pages::redirect_or_again(result, back(id), async |errors| {
        list_page(&state, &user, id, ListQuery::default(), errors).await
    })
    .await
}

/// The page of the congress a person of the list belongs to, after a change to them.
async fn after_change(
    state: &AppState,
    user: &SessionUser,
    delegate_id: i64,
    result: Result<(), AppError>,
) -> PageResult {
    let congress_id = dangvu_store::congresses::delegates::delegate(&state.db, delegate_id)
        .await?
        .ok_or(AppError::NotFound)?
        .congress_id;
    crate::pages::redirect_or_again(result, back(congress_id), async |errors| {
        list_page(state, user, congress_id, ListQuery::default(), errors).await
    })
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let decision = match Decision::parse(&field(&form, "decision")) {
            Some(d @ (Decision::Accept | Decision::Reject)) => d,
            _ => return Err(AppError::invalid("decision", "Hãy chọn công nhận hoặc không công nhận")),
        };
        super::decide(&state, &user, id, decision, &field(&form, "reason")).await.map(|_| ())
    }
    .await;
    after_change(&state, &user, id, result).await
}

pub async fn substitute(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let alternate = field(&form, "alternate_id")
            .parse::<i64>()
            .map_err(|_| AppError::invalid("alternate_id", "Hãy chọn đại biểu dự khuyết"))?;
        super::substitute(&state, &user, id, alternate, &field(&form, "reason")).await.map(|_| ())
    }
    .await;
    after_change(&state, &user, id, result).await
}

pub async fn set_exclusion(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let exclusion = match field(&form, "exclusion") {
            e if e.is_empty() => None,
            e => Some(Exclusion::parse(&e).ok_or_else(|| AppError::invalid("exclusion", "Hãy chọn lý do"))?),
        };
        super::set_exclusion(&state, &user, id, exclusion).await.map(|_| ())
    }
    .await;
    after_change(&state, &user, id, result).await
}

// ------------------------------------------------------------------ sessions and check-in

#[derive(Template)]
#[template(path = "congresses/sessions.html")]
struct SessionsPage {
    layout: Layout,
    c: Congress,
    org_name: String,
    can_prepare: bool,
    in_session: bool,
    sessions: Vec<Session>,
    electors: ElectorsAt,
    exclusions: Vec<(&'static str, u32)>,
    /// The query that opens the election form with these numbers.
    election_link: String,
    checked: Option<(u32, CheckedIn)>,
    errors: Vec<FieldError>,
}

pub async fn sessions(State(state): State<AppState>, PageUser(user): PageUser, PageId(id): PageId) -> PageResult {
    sessions_page(&state, &user, id, None, Vec::new()).await
}

async fn sessions_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    checked: Option<(u32, CheckedIn)>,
    errors: Vec<FieldError>,
) -> PageResult {
    let (seen, sessions) = super::sessions(state, user, id).await?;
    let electors = super::electors(state, user, id, None).await?;
    let mut election_link = format!(
        "/elections?org_id={}&congress_id={}&kind={}&summoned={}",
        seen.congress.org_id,
        id,
        seen.congress.kind.election_kind().as_str(),
        electors.summoned
    );
    for (reason, n) in &electors.excluded {
        election_link.push_str(&format!("&excl.{}={n}", reason.as_str()));
    }
    let page = SessionsPage {
        layout: Layout::new(user, "congresses"),
        org_name: seen.org.name.clone(),
        can_prepare: user.user.role.may_prepare_congresses(),
        in_session: seen.congress.status == dangvu_domain::congresses::State::InSession,
        exclusions: electors.excluded.iter().map(|(r, n)| (r.label(), *n)).collect(),
        c: seen.congress,
        sessions,
        electors,
        election_link,
        checked,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

pub async fn open_session(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let held_on =
            crate::scope::optional_date(Some(&field(&form, "held_on")), "held_on")?.unwrap_or_else(calendar::today);
        super::open_session(&state, &user, id, &field(&form, "title"), held_on).await
    }
    .await;
    crate::pages::redirect_or_again(
        result,
        |_| format!("/congresses/{id}/sessions"),
        async |errors| sessions_page(&state, &user, id, None, errors).await,
    )
    .await
}

/// The desk types the cards of those coming in; the page answers at once with who was
/// checked in, who was already, and the numbers no one sits under.
pub async fn check_in(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let session = dangvu_store::congresses::delegates::session(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let result = async {
        let cards = super::parse_cards(&field(&form, "cards"))?;
        super::check_in(&state, &user, id, &cards).await
    }
    .await;
    match result {
        Ok((s, done)) => sessions_page(&state, &user, s.congress_id, Some((s.number, done)), Vec::new()).await,
        Err(AppError::Invalid(errors)) => sessions_page(&state, &user, session.congress_id, None, errors).await,
        Err(e) => Err(e.into()),
    }
}
