//! The delegates of a congress, the use cases both the API and the pages call. The congress's
//! organisation (its convening committee) allocates the seats, reviews credentials through its
//! credentials committee, lets alternates take officials' places, opens the sessions and checks
//! people in. A unit below sends its own delegation: the office of the unit names the people
//! its congress elected, or takes them from the result of its election.

pub mod api;
pub mod pages;

use dangvu_domain::calendar;
use dangvu_domain::congresses::CongressKind;
use dangvu_domain::congresses::delegates::{Credentials, Decision, Role, Seats, Source, allocate};
use dangvu_domain::elections::Exclusion;
use dangvu_domain::ids::OrgId;
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::delegates::{
    self as store, CheckedIn, Delegate, ElectorsAt, NewDelegate, SeatRow, Session,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Access, Seen, prepared_congress, visible_congress};
use crate::AppState;
use crate::error::AppError;
use crate::scope::seen_on;
use crate::usecase::{actor, in_tx};

/// The seats of a congress; for its staff.
pub async fn seats(state: &AppState, user: &SessionUser, id: i64) -> Result<(Seen, Vec<SeatRow>), AppError> {
    let seen = visible_congress(state, user, id).await?;
    seen.require_staff()?;
    let rows = store::seats(&state.db, id).await?;
    Ok((seen, rows))
}

pub async fn set_seats(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    allocation: Vec<(OrgId, Seats)>,
) -> Result<Vec<SeatRow>, AppError> {
    let Seen { congress, .. } = prepared_congress(state, user, id).await?;
    in_tx(state, async |tx| store::set_seats(tx, &actor(user), &congress, &allocation).await).await?;
    Ok(store::seats(&state.db, id).await?)
}

/// A unit directly below the congress's organisation with its full members and the seats a
/// proportional allocation gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeatProposal {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    /// Full members in the unit and below it today.
    pub members: u32,
    pub official: u32,
    pub alternates: u32,
}

/// The most seats a proposal shares: far above any congress (the national one seats 1,600).
const MAX_PROPOSED: u32 = 100_000;

/// Seats for each unit directly below in proportion to its full members (the largest
/// remainder), at least `floor` officials each: a proposal the committee edits, never stored.
pub async fn seat_proposal(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    official: u32,
    alternates: u32,
    floor: u32,
) -> Result<Vec<SeatProposal>, AppError> {
    let Seen { org, .. } = prepared_congress(state, user, id).await?;
    for (field, n) in [("official", official), ("alternates", alternates), ("floor", floor)] {
        if n > MAX_PROPOSED {
            return Err(AppError::invalid(field, format!("Tối đa {MAX_PROPOSED} đại biểu")));
        }
    }
    let today = calendar::today();
    let units = dangvu_store::orgs::children(&state.db, org.id, today, 0, 1_000).await?;
    let mut members = Vec::with_capacity(units.len());
    for unit in &units {
        members.push(dangvu_store::members::counts(&state.db, unit.id, &unit.path, today).await?.0 as u32);
    }
    let officials = allocate(official, &members, floor).ok_or_else(|| {
        AppError::invalid(
            "floor",
            format!("{} đơn vị, mỗi đơn vị {floor} đại biểu: vượt tổng số đại biểu", units.len()),
        )
    })?;
    let alternates = allocate(alternates, &members, 0).unwrap_or_else(|| vec![0; units.len()]);
    Ok(units
        .into_iter()
        .zip(members)
        .zip(officials.into_iter().zip(alternates))
        .map(|((u, m), (o, a))| SeatProposal { org_id: u.id, org_name: u.name, members: m, official: o, alternates: a })
        .collect())
}

/// Whether the account sends the delegation of `org_id`: the office of that unit (or one
/// above it, below the congress), with a role that prepares congresses.
async fn sends_for(state: &AppState, user: &SessionUser, seen: &Seen, org_id: OrgId) -> Result<bool, AppError> {
    if !user.user.role.may_prepare_congresses() {
        return Ok(false);
    }
    if seen.access == Access::Staff {
        return Ok(true);
    }
    let Some(unit) = dangvu_store::orgs::get(&state.db, org_id, calendar::today()).await? else { return Ok(false) };
    Ok(seen_on(state, user, calendar::today()).await?.contains(&unit.path))
}

/// The list of a congress: all of it for its staff; for the office of a unit below, the
/// delegations it sends.
pub async fn list(state: &AppState, user: &SessionUser, id: i64) -> Result<(Seen, Vec<Delegate>), AppError> {
    let seen = visible_congress(state, user, id).await?;
    let all = store::delegates(&state.db, id).await?;
    let list = match seen.access {
        Access::Staff => all,
        Access::Below if user.user.role != dangvu_domain::accounts::Role::Member => {
            let scope = seen_on(state, user, calendar::today()).await?;
            let today = calendar::today();
            let mut mine = Vec::new();
            for d in all {
                let path = dangvu_store::orgs::get(&state.db, d.org_id, today).await?.map(|o| o.path);
                if path.is_some_and(|p| scope.contains(&p)) {
                    mine.push(d);
                }
            }
            mine
        }
        Access::Below => return Err(AppError::forbidden()),
    };
    Ok((seen, list))
}

/// A person named by hand: a delegate by right or appointed (the congress's staff), or one a
/// unit's congress elected (its office too).
pub async fn add(state: &AppState, user: &SessionUser, id: i64, new: NewDelegate) -> Result<Delegate, AppError> {
    let seen = visible_congress(state, user, id).await?;
    let own = seen.access == Access::Staff && user.user.role.may_prepare_congresses();
    let allowed = match new.source {
        Source::Elected => sends_for(state, user, &seen, new.org_id).await?,
        Source::ExOfficio | Source::Appointed | Source::Member => own,
    };
    if !allowed {
        return Err(AppError::forbidden());
    }
    if let Some(m) = new.member_id {
        match crate::members::visible_member(state, user, m).await {
            Ok(_) => {}
            Err(AppError::NotFound) => {
                return Err(AppError::invalid("member_id", "Không có đảng viên này trong phạm vi của bạn"));
            }
            Err(e) => return Err(e),
        }
    }
    let ids =
        in_tx(state, async |tx| store::add(tx, &actor(user), &seen.congress, std::slice::from_ref(&new)).await).await?;
    let id = ids.first().copied().ok_or(AppError::NotFound)?;
    store::delegate(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The delegation a unit's congress elected, from the final result of its election: the
/// elected as `role`, in the order of their votes.
pub async fn add_from_election(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    election_id: i64,
    role: Role,
) -> Result<Vec<Delegate>, AppError> {
    let seen = visible_congress(state, user, id).await?;
    let election = match crate::elections::visible_election(state, user, election_id).await {
        Ok(e) => e,
        Err(AppError::NotFound) => return Err(AppError::invalid("election_id", "Không có cuộc bầu cử này")),
        Err(e) => return Err(e),
    };
    if !sends_for(state, user, &seen, election.org_id).await? {
        return Err(AppError::forbidden());
    }
    let list = store::from_election(&state.db, &election, role).await?;
    if list.is_empty() {
        return Err(AppError::invalid("election_id", "Cuộc bầu cử này không có ai trúng cử"));
    }
    let ids = in_tx(state, async |tx| store::add(tx, &actor(user), &seen.congress, &list).await).await?;
    let all = store::delegates(&state.db, id).await?;
    Ok(all.into_iter().filter(|d| ids.contains(&d.id)).collect())
}

/// At a members' congress: every full member of the organisation and below not yet in the
/// list is summoned. Answers how many were added.
pub async fn summon_members(state: &AppState, user: &SessionUser, id: i64) -> Result<u32, AppError> {
    let Seen { congress, .. } = prepared_congress(state, user, id).await?;
    if congress.kind != CongressKind::Members {
        return Err(AppError::invalid(
            "kind",
            "Đại hội đại biểu: các đơn vị gửi đại biểu của mình, không triệu tập mọi đảng viên",
        ));
    }
    let ids = in_tx(state, async |tx| {
        let list = store::members_to_summon_in(tx, &congress).await?;
        store::add(tx, &actor(user), &congress, &list).await
    })
    .await?;
    Ok(ids.len() as u32)
}

/// One person of the list, for the congress's preparers, with the congress.
async fn prepared_delegate(state: &AppState, user: &SessionUser, id: i64) -> Result<(Seen, Delegate), AppError> {
    let delegate = store::delegate(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let seen = visible_congress(state, user, delegate.congress_id).await?;
    seen.require_staff()?;
    seen.require_preparer(user)?;
    Ok((seen, delegate))
}

/// The credentials committee's decision: accept, or reject with the reason.
pub async fn decide(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<Delegate, AppError> {
    let (seen, _) = prepared_delegate(state, user, id).await?;
    in_tx(state, async |tx| store::decide(tx, &actor(user), &seen.congress, id, decision, reason).await).await?;
    store::delegate(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// The credentials committee accepts everyone still awaiting review.
pub async fn accept_awaiting(state: &AppState, user: &SessionUser, id: i64) -> Result<u32, AppError> {
    let Seen { congress, .. } = prepared_congress(state, user, id).await?;
    in_tx(state, async |tx| store::accept_awaiting(tx, &actor(user), &congress).await).await
}

/// An alternate of the same delegation takes the official's place.
pub async fn substitute(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    alternate_id: i64,
    reason: &str,
) -> Result<Delegate, AppError> {
    let (seen, _) = prepared_delegate(state, user, id).await?;
    in_tx(state, async |tx| store::substitute(tx, &actor(user), &seen.congress, id, alternate_id, reason).await)
        .await?;
    store::delegate(&state.db, alternate_id).await?.ok_or(AppError::NotFound)
}

/// At a members' congress, the reason a member is left out of the base (Điều 30), or none.
pub async fn set_exclusion(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    exclusion: Option<Exclusion>,
) -> Result<Delegate, AppError> {
    let (seen, _) = prepared_delegate(state, user, id).await?;
    in_tx(state, async |tx| store::set_exclusion(tx, &actor(user), &seen.congress, id, exclusion).await).await?;
    store::delegate(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn sessions(state: &AppState, user: &SessionUser, id: i64) -> Result<(Seen, Vec<Session>), AppError> {
    let seen = visible_congress(state, user, id).await?;
    seen.require_staff()?;
    Ok((seen, store::sessions(&state.db, id).await?))
}

pub async fn open_session(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    title: &str,
    held_on: chrono::NaiveDate,
) -> Result<Session, AppError> {
    let Seen { congress, .. } = prepared_congress(state, user, id).await?;
    let sid = in_tx(state, async |tx| store::open_session(tx, &actor(user), &congress, title, held_on).await).await?;
    store::session(&state.db, sid).await?.ok_or(AppError::NotFound)
}

/// Checks in the cards typed at the desk of one session.
pub async fn check_in(
    state: &AppState,
    user: &SessionUser,
    session_id: i64,
    cards: &[u32],
) -> Result<(Session, CheckedIn), AppError> {
    let session = store::session(&state.db, session_id).await?.ok_or(AppError::NotFound)?;
    let Seen { congress, .. } = prepared_congress(state, user, session.congress_id).await?;
    let done = in_tx(state, async |tx| store::check_in(tx, &actor(user), &congress, session_id, cards).await).await?;
    let session = store::session(&state.db, session_id).await?.ok_or(AppError::NotFound)?;
    Ok((session, done))
}

/// The numbers an election at the congress takes, as of a session (the latest when none).
pub async fn electors(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    session: Option<u32>,
) -> Result<ElectorsAt, AppError> {
    let seen = visible_congress(state, user, id).await?;
    seen.require_staff()?;
    Ok(store::electors(&state.db, &seen.congress, session).await?)
}

/// Card numbers as the desk types them: numbers and ranges ("12 15, 20-24"), at most
/// [`store::MAX_LIST`] of them.
pub fn parse_cards(raw: &str) -> Result<Vec<u32>, AppError> {
    let bad = || AppError::invalid("cards", "Số thẻ viết như 12 15 20-24");
    let mut cards = Vec::new();
    for part in raw.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|p| !p.is_empty()) {
        let (from, to) = match part.split_once(['-', '–']) {
            Some((a, b)) => (a.trim().parse::<u32>().map_err(|_| bad())?, b.trim().parse::<u32>().map_err(|_| bad())?),
            None => {
                let n = part.parse::<u32>().map_err(|_| bad())?;
                (n, n)
            }
        };
        if from == 0 || to < from || (to - from) as i64 >= store::MAX_LIST || cards.len() as i64 > store::MAX_LIST {
            return Err(bad());
        }
        cards.extend(from..=to);
    }
    if cards.is_empty() {
        return Err(AppError::invalid("cards", "Nhập số thẻ đại biểu"));
    }
    if cards.len() as i64 > store::MAX_LIST {
        return Err(AppError::invalid("cards", format!("Tối đa {} thẻ một lần", store::MAX_LIST)));
    }
    Ok(cards)
}

/// A member's place in a congress not yet closed, for the handbook.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPlace {
    pub congress_id: i64,
    pub card: u32,
    /// "đại biểu chính thức", "đại biểu dự khuyết", "đại biểu đương nhiên" …
    pub standing: String,
    /// "Đại biểu bầu" …
    pub source: String,
    /// "Chính thức" or "Dự khuyết".
    pub role: String,
    /// "Đủ tư cách" …
    pub credentials: String,
    /// The delegation the member sits in.
    pub delegation: String,
}

impl From<&Delegate> for MyPlace {
    fn from(d: &Delegate) -> Self {
        let standing = match (d.source, d.role) {
            (Source::Member, _) => "đảng viên được triệu tập dự đại hội",
            (Source::ExOfficio, _) => "đại biểu đương nhiên",
            (Source::Appointed, Role::Official) => "đại biểu chính thức (chỉ định)",
            (_, Role::Official) => "đại biểu chính thức",
            (_, Role::Alternate) => "đại biểu dự khuyết",
        };
        MyPlace {
            congress_id: d.congress_id,
            card: d.card,
            standing: standing.to_owned(),
            source: d.source.label().to_owned(),
            role: d.role.label().to_owned(),
            credentials: d.credentials.label().to_owned(),
            delegation: d.org_name.clone(),
        }
    }
}

/// Those in the list by how they stand, for the page's and the report's totals.
pub fn sitting(list: &[Delegate]) -> impl Iterator<Item = &Delegate> {
    list.iter().filter(|d| d.credentials.sits())
}

/// Whether a person of the list may still be decided on (not replaced).
pub fn decidable(d: &Delegate) -> bool {
    d.credentials != Credentials::Replaced
}

/// The credentials committee's report, PDF or DOCX; for the congress's staff.
pub async fn credentials_report(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;

    let format = Format::document(format)?;
    let seen = visible_congress(state, user, id).await?;
    seen.require_staff()?;
    let mut report = credentials_report_of(&state.db, &seen).await?;
    report.audit_head = crate::files::audit_head(state).await?;
    crate::files::printed(format, &format!("tham-tra-tu-cach-{id}"), move |format| match format {
        Format::Docx => dangvu_reports::credentials_docx(&report),
        _ => dangvu_reports::credentials_pdf(&report),
    })
    .await
}

/// What the credentials report of a congress states, from the store.
pub async fn credentials_report_of(
    db: &dangvu_store::Db,
    seen: &Seen,
) -> Result<dangvu_reports::CredentialsReport, AppError> {
    use chrono::Datelike;
    use dangvu_reports::{CredentialsDelegation, CredentialsPerson};

    let congress = &seen.congress;
    let list = store::delegates(db, congress.id).await?;
    let sessions = store::sessions(db, congress.id).await?;
    let seats = store::seats(db, congress.id).await?;
    let facts = store::member_facts(db, congress.id).await?;
    let today = calendar::today();
    let officials: Vec<&Delegate> = sitting(&list).filter(|d| d.role == Role::Official).collect();
    let summoned_by_source = Source::ALL
        .iter()
        .map(|s| (s.label().to_owned(), officials.iter().filter(|d| d.source == *s).count() as u32))
        .filter(|(_, n)| *n > 0)
        .collect();
    let by_id: std::collections::HashMap<i64, &Delegate> = list.iter().map(|d| (d.id, d)).collect();
    let facts: Vec<_> = facts
        .iter()
        .filter(|f| by_id.get(&f.delegate_id).is_some_and(|d| officials.iter().any(|o| o.id == d.id)))
        .collect();
    let ages: Vec<u32> = facts.iter().filter_map(|f| today.years_since(f.birth_date)).collect();
    let person = |d: &Delegate, reason: String| CredentialsPerson {
        full_name: d.full_name.clone(),
        delegation: d.org_name.clone(),
        reason,
    };
    let substitutions = list
        .iter()
        .filter_map(|a| a.replaces.and_then(|o| by_id.get(&o)).map(|o| (a, o)))
        .map(|(a, o)| person(a, format!("Thay đồng chí {}: {}", o.full_name, o.reason)))
        .collect();
    let rejected =
        list.iter().filter(|d| d.credentials == Credentials::Rejected).map(|d| person(d, d.reason.clone())).collect();
    let absent = if sessions.is_empty() {
        Vec::new()
    } else {
        officials.iter().filter(|d| d.present_at.is_empty()).map(|d| person(d, d.source.label().to_owned())).collect()
    };
    let delegations = seats
        .iter()
        .map(|s| {
            let mine = officials.iter().filter(|d| d.org_id == s.org_id);
            CredentialsDelegation {
                unit: s.org_name.clone(),
                official_seats: s.official,
                alternate_seats: s.alternates,
                sitting: mine.clone().count() as u32,
                present: mine.filter(|d| !d.present_at.is_empty()).count() as u32,
            }
        })
        .collect();
    Ok(dangvu_reports::CredentialsReport {
        audit_head: None,
        congress: format!("{} nhiệm kỳ {}", congress.title, congress.term),
        members_congress: congress.kind == CongressKind::Members,
        place: congress.place.clone(),
        on: today,
        summoned_by_source,
        summoned: officials.len() as u32,
        accepted: officials.iter().filter(|d| d.credentials == Credentials::Accepted).count() as u32,
        awaiting: officials.iter().filter(|d| d.credentials == Credentials::Awaiting).count() as u32,
        present: sessions.last().map(|s| (s.number, s.present)),
        absent,
        with_record: facts.len() as u32,
        women: facts.iter().filter(|f| f.female).count() as u32,
        youngest: ages.iter().min().copied(),
        oldest: ages.iter().max().copied(),
        average_age: (!ages.is_empty()).then(|| ages.iter().map(|&a| f64::from(a)).sum::<f64>() / ages.len() as f64),
        longest_membership_since: facts.iter().map(|f| f.admitted_on.year()).min(),
        substitutions,
        rejected,
        delegations,
    })
}
