//! The election pages: an organisation's elections and the form that prepares one; an
//! election with its list, board, entries, result and the head's decisions; and the teller's
//! entry page, where each ballot is typed from the keyboard and saved as it is typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use dangvu_domain::elections::state::State as CountState;
use dangvu_domain::elections::{Ballot, BallotKind, Body, ElectionKind, Electors, Exclusion, Mark, Reconciliation};
use dangvu_domain::ids::OrgId;
use dangvu_domain::validation::FieldError;
use dangvu_domain::vi;
use dangvu_store::accounts::{self, SessionUser};
use dangvu_store::elections::{self, BoardRole, Election, Keep, NewCandidate, NewElection, Pick};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{DoneParam, Layout, PageForm, PageId, PageResult, PageRoutes, PageUser, done_message, render_with};

pub fn router() -> PageRoutes {
    PageRoutes::new()
        .route("/elections", get(list).post(create))
        .route("/elections/{id}", get(show))
        .route("/elections/{id}/board", post(add_to_board))
        .route("/elections/{id}/candidates", post(nominate))
        .route("/elections/{id}/withdraw", post(withdraw))
        .route("/elections/{id}/resolve", post(resolve))
        .route("/elections/{id}/tie-decision", post(decide_tie))
        .route("/elections/{id}/seal", post(seal))
        .route("/elections/{id}/further-round", post(further_round))
        .route("/elections/{id}/minutes", get(minutes))
        .route("/elections/{id}/ballot", get(ballot))
        .route("/elections/{id}/entry", get(entry))
        .route("/elections/{id}/entry/start", post(start_entry))
        .route("/elections/{id}/entry/ballot", post(enter_ballot))
        .route("/elections/{id}/entry/undo", post(undo_ballot))
        .route("/elections/{id}/entry/finish", post(finish_entry))
        .route("/elections/{id}/complaints", post(complaint))
        .route("/elections/{id}/complaint-resolution", post(resolve_complaint))
        .route("/elections/{id}/destruction", post(destruction))
        .route("/elections/{id}/approval", post(approval))
}

// ------------------------------------------------------------------ the list

pub struct ElectionRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub seats: u32,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "elections/elections.html")]
struct ElectionsPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    rows: Vec<ElectionRow>,
    can_prepare: bool,
    kinds: Vec<(&'static str, &'static str)>,
    bodies: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    /// Who holds the organisation's posts now: post, name, term, since.
    holders: Vec<(&'static str, String, String, String)>,
    /// The form's values when it is opened from a congress's check-in, or shown again.
    prefill: HashMap<String, String>,
    errors: Vec<FieldError>,
}

impl ElectionsPage {
    fn value(&self, k: &str) -> &str {
        self.prefill.get(k).map(String::as_str).unwrap_or("")
    }
}

/// `org_id`, and the form's values when a congress opens it: `congress_id`, `kind`,
/// `summoned` and `excl.{reason}`.
pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(q): PageQuery<HashMap<String, String>>,
) -> PageResult {
    let org_id = q.get("org_id").and_then(|o| o.parse::<i64>().ok()).map(OrgId::from);
    list_page(&state, &user, org_id, q, Vec::new()).await
}

async fn list_page(
    state: &AppState,
    user: &SessionUser,
    org_id: Option<OrgId>,
    prefill: HashMap<String, String>,
    errors: Vec<FieldError>,
) -> PageResult {
    let org = crate::scope::scope_org(state, user, org_id).await?;
    let rows = super::list(state, user, org.id)
        .await?
        .into_iter()
        .map(|e| ElectionRow {
            id: e.id,
            title: e.title,
            kind: e.kind.label(),
            seats: e.seats,
            status: e.status.label(),
        })
        .collect();
    let page = ElectionsPage {
        layout: Layout::new(user, "elections"),
        org_id: org.id,
        org_name: org.name,
        rows,
        can_prepare: user.user.role.may_run_elections(),
        kinds: ElectionKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        bodies: Body::ALL.iter().map(|b| (b.as_str(), b.label())).collect(),
        reasons: Exclusion::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        holders: super::after::post_holders(state, user, org.id, false)
            .await?
            .into_iter()
            .map(|h| (h.post_label, h.full_name, h.term, vi::date(h.since)))
            .collect(),
        prefill,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

/// The form that prepares an election: the list one name a line, `excl.{reason}` the
/// exclusions of Điều 30.
pub async fn create(State(state): State<AppState>, f: PageForm<HashMap<String, String>>) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let org_id: Option<OrgId> = get("org_id").parse().ok();
    let result = async {
        let number = |k: &str, label: &str| -> Result<u32, AppError> {
            let raw = get(k);
            if raw.is_empty() {
                return Ok(0);
            }
            raw.parse().map_err(|_| AppError::invalid(k, format!("{label} là một số nguyên")))
        };
        let mut excluded = std::collections::BTreeMap::new();
        for reason in Exclusion::ALL {
            let n = number(&format!("excl.{}", reason.as_str()), reason.label())?;
            if n > 0 {
                excluded.insert(reason, n);
            }
        }
        let new = NewElection {
            org_id: org_id.ok_or(AppError::NotFound)?,
            congress_id: match get("congress_id") {
                c if c.is_empty() => None,
                c => Some(c.parse().map_err(|_| AppError::invalid("congress_id", "Không có đại hội này"))?),
            },
            title: get("title"),
            kind: ElectionKind::parse(&get("kind")).ok_or_else(|| AppError::invalid("kind", "Hãy chọn loại"))?,
            ballot: BallotKind::parse(&get("ballot"))
                .ok_or_else(|| AppError::invalid("ballot", "Hãy chọn mẫu phiếu"))?,
            seats: number("seats", "Số cần bầu")?,
            electors: Electors { summoned: number("summoned", "Số được triệu tập")?, excluded },
            candidates: get("candidates")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| NewCandidate { full_name: l.to_owned(), member_id: None })
                .collect(),
            body: match get("body") {
                b if b.is_empty() => Body::Other,
                b => Body::parse(&b).ok_or_else(|| AppError::invalid("body", "Hãy chọn bầu gì"))?,
            },
            term: Some(get("term")),
        };
        super::create(&state, &user, new).await
    }
    .await;
    match result {
        Ok(e) => Ok(Redirect::to(&format!("/elections/{}?done=election", e.id)).into_response()),
        Err(AppError::Invalid(errors)) => list_page(&state, &user, org_id, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------ one election

pub struct CandidateRow {
    pub id: i64,
    pub number: u32,
    pub name: String,
    pub from_floor: String,
    pub votes: String,
    pub share: String,
    pub passed: bool,
    pub elected: bool,
    pub tied: bool,
}

pub struct ReadingRow {
    pub ballot: u32,
    pub first: String,
    pub second: String,
}

#[derive(Template)]
#[template(path = "elections/election.html")]
struct ElectionPage {
    layout: Layout,
    e: Election,
    kind: &'static str,
    ballot_label: &'static str,
    status: &'static str,
    state: &'static str,
    candidates: Vec<CandidateRow>,
    board: Vec<(String, &'static str)>,
    entries: Vec<(String, u32, bool)>,
    readings: Vec<ReadingRow>,
    reconciliation_differs: bool,
    counted: bool,
    valid: String,
    invalid: String,
    seats_unfilled: u32,
    tied_seats: u32,
    can_prepare: bool,
    /// The staff may start a further round for the seats left.
    can_continue: bool,
    is_head: bool,
    is_teller: bool,
    roles: Vec<(&'static str, &'static str)>,
    /// After the count: the window, complaints, custody and approval.
    after: AfterView,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

/// The election page's "after the count" section, in words and dates ready to show.
#[derive(Default)]
pub struct AfterView {
    /// The account sees the organisation (a teller from elsewhere sees the count alone).
    pub visible: bool,
    pub body: &'static str,
    pub term: String,
    /// The result goes to the committee above for approval.
    pub approved_above: bool,
    pub approval: &'static str,
    pub approval_state: &'static str,
    pub approval_line: String,
    pub refused: Vec<String>,
    pub window: String,
    /// id, received, reference, late, resolved (day and outcome; empty while pending).
    pub complaints: Vec<(i64, String, String, bool, String)>,
    pub sealed_on: String,
    pub sealed_until: String,
    pub destroyed: String,
    pub destruction_blocked: String,
    pub may_destroy: bool,
    /// The account records complaints and the destruction (the convening side's staff).
    pub may_record: bool,
    /// The account decides the approval (a committee strictly above, the result awaiting it).
    pub may_approve: bool,
    /// The people elected, for the refusals: candidate id, number, name.
    pub elected: Vec<(i64, u32, String)>,
}

async fn after_view(
    state: &AppState,
    user: &SessionUser,
    e: &Election,
    outcome: Option<&dangvu_domain::elections::Outcome>,
) -> Result<AfterView, AppError> {
    let org = crate::scope::visible_org(state, user, e.org_id, dangvu_domain::calendar::today()).await.ok();
    let Some(org) = org else {
        // A teller or observer from outside the organisation sees the count, not what follows.
        return Ok(AfterView {
            body: e.body.label(),
            term: e.term.clone().unwrap_or_default(),
            ..AfterView::default()
        });
    };
    let (_, after) = super::after::after(state, user, e.id).await?;
    let role = user.user.role;
    let staff = role.may_run_elections();
    let name_of = |n: &u32| e.candidates.iter().find(|c| c.number == *n).map(|c| c.full_name.clone());
    let approval_line = match (e.approval_reference.as_deref(), e.approval_on) {
        (Some(r), Some(on)) => format!(
            "Quyết định {r} ngày {}{}",
            vi::date(on),
            e.approval_note.as_deref().filter(|n| !n.is_empty()).map(|n| format!(": {n}")).unwrap_or_default()
        ),
        _ => String::new(),
    };
    let window = match (after.window_from, after.complaint_window_ends) {
        (Some(from), Some(ends)) => format!("từ {} đến hết ngày {}", vi::date(from), vi::date(ends)),
        _ if e.congress_id.is_some() => "tính từ ngày bế mạc đại hội".to_owned(),
        _ => "tính từ ngày niêm phong phiếu bầu".to_owned(),
    };
    Ok(AfterView {
        visible: true,
        body: e.body.label(),
        term: e.term.clone().unwrap_or_default(),
        approved_above: e.body.is_approved_above(),
        approval: e.approval.label(),
        approval_state: e.approval.as_str(),
        approval_line,
        refused: e.approval_refused.iter().filter_map(name_of).collect(),
        window,
        complaints: after
            .complaints
            .iter()
            .map(|c| {
                let resolved = match (c.resolved_on, c.outcome.as_deref()) {
                    (Some(on), outcome) => format!("{} — {}", vi::date(on), outcome.unwrap_or("")),
                    _ => String::new(),
                };
                (c.id, vi::date(c.received_on), c.reference.clone(), c.in_time == Some(false), resolved)
            })
            .collect(),
        sealed_on: e.sealed_on.map(vi::date).unwrap_or_default(),
        sealed_until: after.sealed_until.map(vi::date).unwrap_or_default(),
        destroyed: match (e.destroyed_on, e.destruction_reference.as_deref()) {
            (Some(on), Some(r)) => format!("{} (quyết định {r})", vi::date(on)),
            _ => String::new(),
        },
        destruction_blocked: after.destruction_blocked.unwrap_or_default(),
        may_destroy: staff && after.may_destroy,
        may_record: (staff || role == dangvu_domain::accounts::Role::Inspector) && e.status.is_counted(),
        may_approve: staff
            && crate::scope::is_strictly_above(user, &org)
            && e.status == CountState::Sealed
            && e.body.is_approved_above()
            && e.approval == dangvu_domain::elections::approval::Approval::Awaiting,
        elected: outcome
            .map(|o| {
                o.elected()
                    .filter_map(|n| e.candidates.iter().find(|c| c.number == n).map(|c| (c.id, n, c.full_name.clone())))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// How a ballot reads, in words: the names struck, or one mark a person.
fn describe(canonical: Option<&str>, n: u32) -> String {
    let Some(text) = canonical else { return "(không có phiếu này)".into() };
    match Ballot::parse(text, n) {
        Ok(Ballot::Surplus(kept)) => {
            let struck: Vec<String> = (1..=n).filter(|k| !kept.contains(k)).map(|k| k.to_string()).collect();
            if struck.is_empty() {
                "không gạch tên nào".into()
            } else {
                format!("gạch số {}", struck.join(", "))
            }
        }
        Ok(Ballot::Approval(marks)) => marks
            .iter()
            .map(|m| match m {
                Mark::Agree => 'd',
                Mark::Disagree => 'k',
                Mark::Both => 'h',
                Mark::None => 't',
            })
            .collect(),
        Err(_) => text.to_owned(),
    }
}

async fn election_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let e = super::visible_election(state, user, id).await?;
    let e = super::after::as_seen(state, user, e).await;
    let role = elections::board_role(&state.db, id, user.user.id).await?;
    let board = elections::board(&state.db, id).await?.into_iter().map(|b| (b.username, b.role.label())).collect();
    let entries = elections::entries(&state.db, &e).await?;
    let n = e.candidates.len() as u32;
    let counted = elections::result(&state.db, &e).await?;
    let outcome = counted.as_ref().map(|(_, o)| o);
    let candidates = e
        .candidates
        .iter()
        .map(|c| {
            let s = outcome.and_then(|o| o.standings.iter().find(|s| s.number == c.number));
            CandidateRow {
                id: c.id,
                number: c.number,
                name: c.full_name.clone(),
                from_floor: match (c.from_floor, c.present, c.agreed) {
                    (true, Some(p), Some(a)) => format!("đề cử tại đại hội ({a}/{p} tán thành)"),
                    _ => String::new(),
                },
                votes: s.map(|s| dangvu_domain::vi::number(i64::from(s.votes))).unwrap_or_default(),
                share: s
                    .filter(|_| e.base > 0)
                    .map(|s| format!("{:.2}%", f64::from(s.votes) * 100.0 / f64::from(e.base)).replace('.', ","))
                    .unwrap_or_default(),
                passed: s.is_some_and(|s| s.passed_threshold),
                elected: s.is_some_and(|s| s.elected),
                tied: outcome.is_some_and(|o| o.tied.contains(&c.number)),
            }
        })
        .collect();
    let page = ElectionPage {
        layout: Layout::new(user, "elections"),
        kind: e.kind.label(),
        ballot_label: e.ballot.label(),
        status: e.status.label(),
        state: e.status.as_str(),
        candidates,
        board,
        // Once the count is agreed the entries' ballots are gone (nothing orders the record):
        // each entry is then as long as the pile it reconciled.
        entries: entries
            .entries
            .iter()
            .map(|v| (v.teller.clone(), if e.status.is_counted() { v.returned } else { v.ballots }, v.finished))
            .collect(),
        readings: entries
            .readings
            .iter()
            .map(|r| ReadingRow {
                ballot: r.ballot,
                first: describe(r.first.as_deref(), n),
                second: describe(r.second.as_deref(), n),
            })
            .collect(),
        reconciliation_differs: entries.reconciliation_differs,
        counted: counted.is_some(),
        valid: counted.as_ref().map(|(c, _)| c.valid.to_string()).unwrap_or_default(),
        invalid: counted.as_ref().map(|(c, _)| c.invalid.to_string()).unwrap_or_default(),
        seats_unfilled: outcome.map_or(0, |o| o.seats_unfilled),
        tied_seats: outcome.map_or(0, |o| o.tied_seats),
        can_prepare: user.user.role.may_run_elections() && e.status == CountState::AwaitingEntries,
        can_continue: user.user.role.may_run_elections()
            && matches!(e.status, CountState::Final | CountState::Sealed)
            && outcome.is_some_and(|o| o.seats_unfilled > 0),
        is_head: role == Some(BoardRole::Head),
        is_teller: role == Some(BoardRole::Teller),
        roles: BoardRole::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        after: after_view(state, user, &e, outcome).await?,
        e,
        done,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    election_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

/// Which page a change goes back to.
#[derive(Clone, Copy)]
enum Back {
    Election,
    Entry,
}

/// After a change: back to the page with a message, or the page again with the errors.
async fn after<T>(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    back: Back,
    done: &str,
    result: Result<T, AppError>,
) -> PageResult {
    match (result, back) {
        (Ok(_), Back::Election) => Ok(Redirect::to(&format!("/elections/{id}?done={done}")).into_response()),
        (Ok(_), Back::Entry) => Ok(Redirect::to(&format!("/elections/{id}/entry?done={done}")).into_response()),
        (Err(AppError::Invalid(errors)), Back::Election) => election_page(state, user, id, errors, None).await,
        (Err(AppError::Invalid(errors)), Back::Entry) => entry_page(state, user, id, errors, None).await,
        (Err(e), _) => Err(e.into()),
    }
}

/// A whole number typed in a form field.
fn whole_number(raw: &str, field: &str) -> Result<u32, AppError> {
    raw.trim().parse::<u32>().map_err(|_| AppError::invalid(field, "Hãy ghi một số nguyên"))
}

#[derive(Deserialize)]
pub struct BoardForm {
    username: String,
    role: String,
}

pub async fn add_to_board(State(state): State<AppState>, PageId(id): PageId, f: PageForm<BoardForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let (account, _) = accounts::for_login(&state.db, form.username.trim())
            .await?
            .ok_or_else(|| AppError::invalid("username", "Không có tài khoản này"))?;
        super::add_to_board(&state, &user, id, account.id, &form.role).await
    }
    .await;
    after(&state, &user, id, Back::Election, "board", result).await
}

#[derive(Deserialize)]
pub struct NominationForm {
    full_name: String,
    present: String,
    agreed: String,
}

pub async fn nominate(State(state): State<AppState>, PageId(id): PageId, f: PageForm<NominationForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let (present, agreed) = (whole_number(&form.present, "present")?, whole_number(&form.agreed, "agreed")?);
        let candidate = NewCandidate { full_name: form.full_name.clone(), member_id: None };
        super::nominate(&state, &user, id, candidate, present, agreed).await
    }
    .await;
    after(&state, &user, id, Back::Election, "nomination", result).await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    candidate_id: i64,
    #[serde(default)]
    reason: String,
}

pub async fn withdraw(State(state): State<AppState>, PageId(id): PageId, f: PageForm<WithdrawForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = super::withdraw(&state, &user, id, form.candidate_id, &form.reason).await;
    after(&state, &user, id, Back::Election, "withdrawn", result).await
}

/// `keep_{n}` = `first` or `second` for each differing ballot; `issued`/`returned` when the
/// entries differ on them.
pub async fn resolve(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let mut picks = Vec::new();
        for (key, value) in &form {
            let Some(n) = key.strip_prefix("keep_").and_then(|n| n.parse::<u32>().ok()) else { continue };
            let keep = if value == "second" { Keep::Second } else { Keep::First };
            picks.push(Pick { ballot: n, keep });
        }
        let count = |k: &str| form.get(k).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::parse::<u32>);
        let totals = match (count("issued"), count("returned")) {
            (Some(Ok(issued)), Some(Ok(returned))) => Some(Reconciliation { issued, returned }),
            (None, None) => None,
            _ => return Err(AppError::invalid("issued", "Hãy ghi số phiếu phát ra và thu vào bằng số")),
        };
        super::resolve(&state, &user, id, picks, totals).await
    }
    .await;
    after(&state, &user, id, Back::Election, "resolve", result).await
}

/// `elected_{candidate id}` for each chosen person, and the note.
pub async fn decide_tie(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let chosen: Vec<i64> = form.keys().filter_map(|k| k.strip_prefix("elected_")?.parse().ok()).collect();
    let note = form.get("note").cloned().unwrap_or_default();
    let result = super::decide_tie(&state, &user, id, chosen, &note).await;
    after(&state, &user, id, Back::Election, "tie", result).await
}

/// `keep_{candidate id}` for each name the congress keeps, and the ballot's layout.
pub async fn further_round(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let kept: Vec<i64> = form.keys().filter_map(|k| k.strip_prefix("keep_")?.parse().ok()).collect();
    let ballot = form.get("ballot").cloned().unwrap_or_default();
    match super::further_round(&state, &user, id, kept, &ballot).await {
        Ok(next) => Ok(Redirect::to(&format!("/elections/{}?done=election", next.id)).into_response()),
        Err(AppError::Invalid(errors)) => election_page(&state, &user, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn seal(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, .. } = f;
    let result = super::seal(&state, &user, id).await;
    after(&state, &user, id, Back::Election, "seal", result).await
}

#[derive(Deserialize)]
pub struct MinutesQuery {
    format: Option<String>,
}

#[derive(Deserialize)]
pub struct BallotQuery {
    paper: Option<String>,
}

pub async fn ballot(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<BallotQuery>,
) -> PageResult {
    Ok(super::ballot_paper(&state, &user, id, q.paper.as_deref().unwrap_or("a5")).await?)
}

pub async fn minutes(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<MinutesQuery>,
) -> PageResult {
    Ok(super::minutes(&state, &user, id, q.format.as_deref().unwrap_or("pdf")).await?)
}

// ------------------------------------------------------------------ the teller's entry

#[derive(Template)]
#[template(path = "elections/entry.html")]
struct EntryPage {
    layout: Layout,
    e: Election,
    surplus: bool,
    /// The teller's entry: ballots so far, returned, finished.
    open: Option<(u32, u32)>,
    finished: bool,
    last: Vec<(u32, String)>,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
}

async fn entry_page(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
) -> PageResult {
    let e = super::visible_election(state, user, id).await?;
    if elections::board_role(&state.db, id, user.user.id).await? != Some(BoardRole::Teller) {
        return Err(AppError::Forbidden("Chỉ ủy viên ban kiểm phiếu được nhập phiếu".into()).into());
    }
    let entries = elections::entries(&state.db, &e).await?;
    let mine = entries.entries.iter().find(|v| v.teller_id == user.user.id);
    let n = e.candidates.len() as u32;
    let last = elections::last_ballots(&state.db, &e, user.user.id, 5)
        .await?
        .into_iter()
        .map(|(k, text)| (k, describe(Some(&text), n)))
        .collect();
    let page = EntryPage {
        layout: Layout::new(user, "elections"),
        surplus: e.ballot == BallotKind::Surplus,
        open: mine.filter(|v| !v.finished).map(|v| (v.ballots, v.returned)),
        finished: mine.is_some_and(|v| v.finished) || e.status.is_counted(),
        last,
        e,
        done,
        errors,
    };
    Ok(render_with(crate::pages::form_status(&page.errors), &page))
}

pub async fn entry(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageId(id): PageId,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    entry_page(&state, &user, id, Vec::new(), done_message(p.done.as_deref())).await
}

#[derive(Deserialize)]
pub struct StartForm {
    issued: String,
    returned: String,
}

pub async fn start_entry(State(state): State<AppState>, PageId(id): PageId, f: PageForm<StartForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let pile = Reconciliation {
            issued: whole_number(&form.issued, "issued")?,
            returned: whole_number(&form.returned, "returned")?,
        };
        super::start_entry(&state, &user, id, pile).await
    }
    .await;
    after(&state, &user, id, Back::Entry, "entry_started", result).await
}

#[derive(Deserialize)]
pub struct BallotForm {
    #[serde(default)]
    ballot: String,
}

pub async fn enter_ballot(State(state): State<AppState>, PageId(id): PageId, f: PageForm<BallotForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = super::enter_ballot(&state, &user, id, &form.ballot).await;
    after(&state, &user, id, Back::Entry, "ballot", result).await
}

pub async fn undo_ballot(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, .. } = f;
    let result = super::undo_ballot(&state, &user, id).await;
    after(&state, &user, id, Back::Entry, "ballot_undone", result).await
}

pub async fn finish_entry(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, .. } = f;
    let result = super::finish_entry(&state, &user, id).await;
    after(&state, &user, id, Back::Entry, "entry_finished", result).await
}

// ------------------------------------------------------------------ after the count

/// A day a form requires (`YYYY-MM-DD` as a date input sends it, or `dd/mm/yyyy`).
fn form_date(raw: &str, field: &str) -> Result<chrono::NaiveDate, AppError> {
    crate::scope::optional_date(Some(raw), field)?.ok_or_else(|| AppError::invalid(field, "Hãy chọn ngày"))
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    received_on: String,
    reference: String,
}

pub async fn complaint(State(state): State<AppState>, PageId(id): PageId, f: PageForm<ComplaintForm>) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = form_date(&form.received_on, "received_on")?;
        super::after::complaint(&state, &user, id, on, &form.reference).await
    }
    .await;
    after(&state, &user, id, Back::Election, "complaint", result).await
}

#[derive(Deserialize)]
pub struct ResolutionForm {
    complaint_id: i64,
    resolved_on: String,
    outcome: String,
}

pub async fn resolve_complaint(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<ResolutionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = async {
        let on = form_date(&form.resolved_on, "resolved_on")?;
        super::after::resolve_complaint(&state, &user, id, form.complaint_id, on, &form.outcome).await
    }
    .await;
    after(&state, &user, id, Back::Election, "complaint_resolved", result).await
}

#[derive(Deserialize)]
pub struct DestructionForm {
    reference: String,
}

pub async fn destruction(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<DestructionForm>,
) -> PageResult {
    let PageForm { user, form } = f;
    let result = super::after::destroy(&state, &user, id, &form.reference).await;
    after(&state, &user, id, Back::Election, "destroyed", result).await
}

/// `decision` = `approve` or `annul`, `refuse_{candidate id}` for each person not approved.
pub async fn approval(
    State(state): State<AppState>,
    PageId(id): PageId,
    f: PageForm<HashMap<String, String>>,
) -> PageResult {
    let PageForm { user, form } = f;
    let get = |k: &str| form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let result = async {
        let annul = super::after::annuls(&get("decision"))?;
        let refused: Vec<i64> =
            form.keys().filter_map(|k| k.strip_prefix("refuse_")).filter_map(|c| c.parse().ok()).collect();
        let on = form_date(&get("decided_on"), "decided_on")?;
        let request =
            super::after::ApprovalRequest { annul, refused, reference: get("reference"), on, note: get("note") };
        super::after::approve(&state, &user, id, request).await
    }
    .await;
    after(&state, &user, id, Back::Election, "approval", result).await
}
