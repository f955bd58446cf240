//! Elections by secret ballot: the use cases both the API and the pages call. The convening
//! committee's staff (in scope, with a role that runs elections) prepare the list and the
//! counting board; the board's tellers enter the ballots, its head resolves differences and
//! records the presidium's decision on a tie. Anyone on the board reads the election, even
//! from outside the organisation's subtree (a teller is a delegate, scoped to their own cell).

pub mod after;
pub mod api;
pub mod pages;

use dangvu_domain::calendar;
use dangvu_domain::elections::record::RecordFile;
use dangvu_domain::elections::state::State;
use dangvu_domain::elections::{Ballot, BallotKind, Mark, Reconciliation};
use dangvu_domain::elections::{Count, Outcome};
use dangvu_domain::ids::OrgId;
use dangvu_domain::validation::Problems;
use dangvu_reports::{CountMinutes, CountedCandidate};
use dangvu_store::accounts::SessionUser;
use dangvu_store::elections::{self, BoardRole, Election, NewCandidate, NewElection, Pick};
use dangvu_store::settings;

use crate::AppState;
use crate::error::AppError;
use crate::scope::visible_org;
use crate::usecase::{actor, in_tx};

/// The account may prepare elections for organisations in its scope.
fn require_organiser(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_run_elections() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// The election, if the account may see it: its organisation is in scope, or the account
/// sits on its counting board. Otherwise 404.
/// Whether the election is hidden from the account as personnel data: a conference of the
/// five-step procedure, for an account without the personnel grant.
pub(crate) async fn is_hidden(state: &AppState, user: &SessionUser, id: i64) -> Result<bool, AppError> {
    Ok(!crate::personnel::reads_personnel(user)
        && dangvu_store::personnel::nominations::is_conference(&state.db, id).await?)
}

/// A conference of the five-step procedure is personnel data: besides its counting board, only
/// accounts with the personnel grant see it.
pub async fn visible_election(state: &AppState, user: &SessionUser, id: i64) -> Result<Election, AppError> {
    let election = elections::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !is_hidden(state, user, id).await? && visible_org(state, user, election.org_id, calendar::today()).await.is_ok()
    {
        return Ok(election);
    }
    match elections::board_role(&state.db, id, user.user.id).await? {
        Some(_) => Ok(election),
        None => Err(AppError::NotFound),
    }
}

/// An election the account prepares: in scope (404 otherwise), then the role (403).
pub(crate) async fn prepared_election(state: &AppState, user: &SessionUser, id: i64) -> Result<Election, AppError> {
    let election = elections::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    visible_org(state, user, election.org_id, calendar::today()).await?;
    if is_hidden(state, user, id).await? {
        return Err(AppError::NotFound);
    }
    require_organiser(user)?;
    Ok(election)
}

/// An election the account counts in with `role` on its board.
async fn board_election(state: &AppState, user: &SessionUser, id: i64, role: BoardRole) -> Result<Election, AppError> {
    let election = visible_election(state, user, id).await?;
    match elections::board_role(&state.db, id, user.user.id).await? {
        Some(r) if r == role => Ok(election),
        _ => Err(AppError::Forbidden(match role {
            BoardRole::Teller => "Chỉ ủy viên ban kiểm phiếu được nhập phiếu".into(),
            _ => "Chỉ trưởng ban kiểm phiếu làm được việc này".into(),
        })),
    }
}

/// Members on the list must be members the account sees.
async fn candidates_in_scope(state: &AppState, user: &SessionUser, list: &[NewCandidate]) -> Result<(), AppError> {
    for (i, c) in list.iter().enumerate() {
        let Some(member) = c.member_id else { continue };
        let cell = dangvu_store::members::cell_of(&state.db, member).await?;
        if !matches!(cell, Some(o) if visible_org(state, user, o, calendar::today()).await.is_ok()) {
            return Err(AppError::invalid(&format!("candidates[{i}].member_id"), "Không có đảng viên này"));
        }
    }
    Ok(())
}

pub async fn create(state: &AppState, user: &SessionUser, mut new: NewElection) -> Result<Election, AppError> {
    require_organiser(user)?;
    crate::scope::org_field(state, user, new.org_id, "org_id").await?;
    if let Some(congress_id) = new.congress_id {
        new.electors = at_congress(state, user, &new, congress_id).await?;
    }
    candidates_in_scope(state, user, &new.candidates).await?;
    let rules = settings::get(&state.db).await?.election_rules;
    let id = in_tx(state, async |tx| elections::create(tx, &actor(user), &new, &rules).await).await?;
    elections::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// An election held at a congress: the congress of the same organisation, in session, of the
/// kind the election counts for. The electors given, or when none are given those of the
/// congress's list and check-ins so far (Điều 30).
async fn at_congress(
    state: &AppState,
    user: &SessionUser,
    new: &NewElection,
    congress_id: i64,
) -> Result<dangvu_domain::elections::Electors, AppError> {
    let seen = match crate::congresses::visible_congress(state, user, congress_id).await {
        Ok(seen) => seen,
        Err(AppError::NotFound) => return Err(AppError::invalid("congress_id", "Không có đại hội này")),
        Err(e) => return Err(e),
    };
    let congress = &seen.congress;
    if congress.org_id != new.org_id {
        return Err(AppError::invalid("congress_id", "Đại hội này là của tổ chức khác"));
    }
    if congress.status != dangvu_domain::congresses::State::InSession {
        return Err(AppError::invalid("congress_id", "Đại hội chưa khai mạc hoặc đã bế mạc"));
    }
    // The first meeting of the new committee, held during the congress, elects its standing
    // board and secretary as a conference of its own members: its electors are given.
    let explicit = new.electors != dangvu_domain::elections::Electors::default();
    if new.kind == dangvu_domain::elections::ElectionKind::Conference && explicit {
        return Ok(new.electors.clone());
    }
    if congress.kind.election_kind() != new.kind {
        return Err(AppError::invalid(
            "kind",
            format!(
                "Bầu cử tại {} là loại {}",
                congress.kind.label().to_lowercase(),
                congress.kind.election_kind().label().to_lowercase()
            ),
        ));
    }
    if explicit {
        return Ok(new.electors.clone());
    }
    let at = dangvu_store::congresses::delegates::electors(&state.db, congress, None).await?;
    if at.session.is_none() && congress.kind == dangvu_domain::congresses::CongressKind::Delegates {
        return Err(AppError::invalid(
            "electors",
            "Đại hội chưa điểm danh phiên nào: chưa có số đại biểu có mặt để tính số làm căn cứ",
        ));
    }
    Ok(dangvu_domain::elections::Electors { summoned: at.summoned, excluded: at.excluded })
}

pub async fn list(state: &AppState, user: &SessionUser, org_id: OrgId) -> Result<Vec<Election>, AppError> {
    visible_org(state, user, org_id, calendar::today()).await?;
    let mut list = elections::of_org(&state.db, org_id, 200).await?;
    if !crate::personnel::reads_personnel(user) {
        let conferences = dangvu_store::personnel::nominations::conferences_of_org(&state.db, org_id).await?;
        list.retain(|e| !conferences.contains(&e.id));
    }
    Ok(list)
}

pub async fn add_to_board(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    user_id: i64,
    role: &str,
) -> Result<Vec<elections::BoardMember>, AppError> {
    let election = prepared_election(state, user, id).await?;
    let role = BoardRole::parse(role)
        .ok_or_else(|| AppError::invalid("role", "Vai trò là head (trưởng ban), teller hoặc observer"))?;
    in_tx(state, async |tx| elections::add_to_board(tx, &actor(user), &election, user_id, role).await).await?;
    Ok(elections::board(&state.db, id).await?)
}

pub async fn nominate(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    candidate: NewCandidate,
    present: u32,
    agreed: u32,
) -> Result<Election, AppError> {
    let election = prepared_election(state, user, id).await?;
    candidates_in_scope(state, user, std::slice::from_ref(&candidate)).await?;
    let rules = settings::get(&state.db).await?.election_rules;
    in_tx(state, async |tx| {
        elections::nominate(tx, &actor(user), &election, &candidate, present, agreed, &rules).await
    })
    .await?;
    elections::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn withdraw(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    candidate_id: i64,
    reason: &str,
) -> Result<Election, AppError> {
    let election = prepared_election(state, user, id).await?;
    in_tx(state, async |tx| elections::withdraw(tx, &actor(user), &election, candidate_id, reason).await).await?;
    elections::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// A ballot as a client sends it: the candidate ids kept (with a surplus), or a mark per
/// candidate id (with none).
pub enum BallotInput {
    Kept(Vec<i64>),
    Marks(Vec<(i64, Mark)>),
}

/// Reads the ballots of an entry against the list, naming each one that is not a ballot of it.
fn ballots_of(election: &Election, input: Vec<BallotInput>) -> Result<Vec<Ballot>, AppError> {
    let n = election.candidates.len() as u32;
    let number = |id: i64| election.candidate(id).map(|c| c.number);
    let mut problems = Problems::new();
    let mut out = Vec::with_capacity(input.len());
    for (i, b) in input.into_iter().enumerate() {
        let field = format!("ballots[{i}]");
        let ballot = match (election.ballot, b) {
            (BallotKind::Surplus, BallotInput::Kept(ids)) => {
                match ids.iter().map(|id| number(*id).ok_or(*id)).collect::<Result<Vec<u32>, i64>>() {
                    Ok(numbers) => Ballot::kept(&numbers, n).map_err(|e| e.to_string()),
                    Err(id) => Err(format!("Không có ứng cử viên mã {id} trong danh sách")),
                }
            }
            (BallotKind::Approval, BallotInput::Kept(ids)) if ids.is_empty() => {
                Ballot::marks(vec![Mark::None; n as usize], n).map_err(|e| e.to_string())
            }
            (BallotKind::Approval, BallotInput::Marks(marks)) => {
                let mut by_number = vec![Mark::None; n as usize];
                let mut seen = vec![false; n as usize];
                let mut bad = None;
                for (id, mark) in marks {
                    match number(id) {
                        Some(k) if !seen[k as usize - 1] => {
                            seen[k as usize - 1] = true;
                            by_number[k as usize - 1] = mark;
                        }
                        Some(_) => bad = Some(format!("Ứng cử viên mã {id} được ghi hai lần")),
                        None => bad = Some(format!("Không có ứng cử viên mã {id} trong danh sách")),
                    }
                }
                match bad {
                    Some(why) => Err(why),
                    None => Ballot::marks(by_number, n).map_err(|e| e.to_string()),
                }
            }
            (BallotKind::Surplus, BallotInput::Marks(_)) => {
                Err("Danh sách có số dư: phiếu là danh sách mã những người được giữ lại".into())
            }
            (BallotKind::Approval, BallotInput::Kept(_)) => {
                Err("Danh sách không có số dư: phiếu ghi đồng ý/không đồng ý cho từng người".into())
            }
        };
        match ballot {
            Ok(b) => out.push(b),
            Err(why) => problems.add(field, why),
        }
    }
    problems.finish().map_err(AppError::Invalid)?;
    Ok(out)
}

pub async fn save_entry(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    reconciliation: Reconciliation,
    ballots: Vec<BallotInput>,
) -> Result<State, AppError> {
    let election = board_election(state, user, id, BoardRole::Teller).await?;
    let ballots = ballots_of(&election, ballots)?;
    let rules = settings::get(&state.db).await?.election_rules;
    in_tx(state, async |tx| {
        elections::save_entry(tx, &actor(user), &election, user.user.id, reconciliation, &ballots, &rules).await
    })
    .await
}

/// Reads a ballot as a teller types it. With a surplus: the numbers of the names struck
/// through, in any order, separated by spaces, commas or dots (nothing typed: none struck).
/// With none: one letter a person in list order, `d` đồng ý, `k` không đồng ý, `h` both boxes,
/// `t` neither (spaces ignored).
pub fn typed_ballot(election: &Election, text: &str) -> Result<Ballot, AppError> {
    let n = election.candidates.len() as u32;
    let invalid = |why: String| AppError::invalid("ballot", why);
    match election.ballot {
        BallotKind::Surplus => {
            let numbers = text
                .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == ';')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u32>().map_err(|_| invalid(format!("\"{s}\" không phải số thứ tự trên phiếu"))))
                .collect::<Result<Vec<u32>, AppError>>()?;
            Ballot::struck(&numbers, n).map_err(|e| invalid(e.to_string()))
        }
        BallotKind::Approval => {
            let marks = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c.to_ascii_lowercase() {
                    'd' => Ok(Mark::Agree),
                    'k' => Ok(Mark::Disagree),
                    'h' => Ok(Mark::Both),
                    't' => Ok(Mark::None),
                    other => Err(invalid(format!(
                        "\"{other}\": gõ d (đồng ý), k (không đồng ý), h (cả hai ô) hoặc t (trống)"
                    ))),
                })
                .collect::<Result<Vec<Mark>, AppError>>()?;
            Ballot::marks(marks, n).map_err(|e| invalid(e.to_string()))
        }
    }
}

/// A teller starts (or starts again) their entry of the pile.
pub async fn start_entry(state: &AppState, user: &SessionUser, id: i64, pile: Reconciliation) -> Result<(), AppError> {
    let election = board_election(state, user, id, BoardRole::Teller).await?;
    in_tx(state, async |tx| elections::start_entry(tx, &election, user.user.id, pile).await).await?;
    Ok(())
}

/// Saves the next ballot as the teller typed it; answers its number in the pile.
pub async fn enter_ballot(state: &AppState, user: &SessionUser, id: i64, typed: &str) -> Result<i64, AppError> {
    let election = board_election(state, user, id, BoardRole::Teller).await?;
    let ballot = typed_ballot(&election, typed)?;
    in_tx(state, async |tx| elections::enter_ballot(tx, &election, user.user.id, &ballot).await).await
}

pub async fn undo_ballot(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    let election = board_election(state, user, id, BoardRole::Teller).await?;
    in_tx(state, async |tx| elections::undo_ballot(tx, &election, user.user.id).await).await
}

pub async fn finish_entry(state: &AppState, user: &SessionUser, id: i64) -> Result<State, AppError> {
    let election = board_election(state, user, id, BoardRole::Teller).await?;
    let rules = settings::get(&state.db).await?.election_rules;
    in_tx(state, async |tx| elections::finish_entry(tx, &actor(user), &election, user.user.id, &rules).await).await
}

/// The entries and which ballots differ; how each entry read them is for the head alone, who
/// resolves them (a teller who saw the other's readings could copy them).
pub async fn entries(state: &AppState, user: &SessionUser, id: i64) -> Result<elections::Entries, AppError> {
    let election = visible_election(state, user, id).await?;
    let mut entries = elections::entries(&state.db, &election).await?;
    if elections::board_role(&state.db, id, user.user.id).await? != Some(BoardRole::Head) {
        entries.readings.clear();
    }
    Ok(entries)
}

pub async fn resolve(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    picks: Vec<Pick>,
    totals: Option<Reconciliation>,
) -> Result<State, AppError> {
    let election = board_election(state, user, id, BoardRole::Head).await?;
    let rules = settings::get(&state.db).await?.election_rules;
    in_tx(state, async |tx| elections::resolve(tx, &actor(user), &election, &picks, totals, &rules).await).await
}

/// Records the presidium's decision on a tie: `chosen` are candidate ids.
pub async fn decide_tie(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    chosen: Vec<i64>,
    note: &str,
) -> Result<State, AppError> {
    let election = board_election(state, user, id, BoardRole::Head).await?;
    let numbers = chosen
        .iter()
        .map(|c| election.candidate(*c).map(|c| c.number))
        .collect::<Option<Vec<u32>>>()
        .ok_or_else(|| AppError::invalid("elected", "Không có ứng cử viên này trong danh sách"))?;
    in_tx(state, async |tx| elections::decide_tie(tx, &actor(user), &election, &numbers, note).await).await
}

/// The per-ballot record for `dangvu election verify`: for the head of the board and the
/// convening committee's staff in scope only (it is sealed with the ballots, not published).
pub async fn record_file(state: &AppState, user: &SessionUser, id: i64) -> Result<RecordFile, AppError> {
    let election = visible_election(state, user, id).await?;
    let head = elections::board_role(&state.db, id, user.user.id).await? == Some(BoardRole::Head);
    let organiser = user.user.role.may_run_elections()
        && visible_org(state, user, election.org_id, calendar::today()).await.is_ok();
    if !head && !organiser {
        return Err(AppError::forbidden());
    }
    if election.status == State::Sealed {
        // Điều 35: sealed ballots are opened only by a decision of the competent level.
        return Err(AppError::invalid(
            "status",
            "Phiếu bầu đã niêm phong: chỉ mở theo quyết định của cấp có thẩm quyền",
        ));
    }
    let record = elections::record(&state.db, &election)
        .await?
        .ok_or_else(|| AppError::invalid("status", "Chưa có kết quả kiểm phiếu thống nhất"))?;
    RecordFile::of(record).map_err(|e| AppError::Internal(e.to_string()))
}

/// The ballot paper to print (A5, or A4 for a long list), for those who prepare the election
/// or sit on its board.
pub async fn ballot_paper(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    paper: &str,
) -> Result<axum::response::Response, AppError> {
    use dangvu_reports::{BallotPaper, ballot_pdf};

    let a4 = match paper {
        "a5" | "" => false,
        "a4" => true,
        _ => return Err(AppError::invalid("paper", "Khổ giấy là a5 hoặc a4")),
    };
    let election = visible_election(state, user, id).await?;
    let on_board = elections::board_role(&state.db, id, user.user.id).await?.is_some();
    if !on_board && !user.user.role.may_run_elections() {
        return Err(AppError::forbidden());
    }
    let convening = dangvu_store::orgs::get(&state.db, election.org_id, calendar::today())
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let paper = BallotPaper {
        convening,
        title: election.title.clone(),
        surplus: election.ballot == BallotKind::Surplus,
        names: election.candidates.iter().map(|c| c.full_name.clone()).collect(),
        a4,
    };
    crate::files::printed(crate::files::Format::Pdf, &format!("phieu-bau-{id}"), move |_| ballot_pdf(&paper)).await
}

/// What the counting board's minutes state, from a final count; `None` while the result waits
/// for a tie decision (it has no result fingerprint yet).
pub fn count_minutes(
    election: &Election,
    count: &Count,
    result: &Outcome,
    convening: String,
    board: &[elections::BoardMember],
    on: chrono::NaiveDate,
) -> Option<CountMinutes> {
    let (Some(record_fingerprint), Some(result_fingerprint)) =
        (election.record_fingerprint.clone(), election.result_fingerprint.clone())
    else {
        return None;
    };
    let head = board.iter().find(|b| b.role == BoardRole::Head).map(|b| b.username.clone()).unwrap_or_default();
    let members = board.iter().filter(|b| b.role == BoardRole::Teller).map(|b| b.username.clone()).collect();
    Some(CountMinutes {
        convening,
        gathering: election.kind.label().to_owned(),
        election: election.title.clone(),
        place: String::new(),
        on,
        ballot: election.ballot.label().to_owned(),
        seats: election.seats,
        summoned: election.electors.summoned,
        exclusions: election.electors.excluded.iter().map(|(r, n)| (r.label().to_lowercase(), *n)).collect(),
        base: result.base,
        threshold: result.threshold,
        issued: count.issued,
        returned: count.returned,
        valid: count.valid,
        invalid: count.invalid,
        candidates: election
            .candidates
            .iter()
            .map(|c| {
                let s = result.standings.iter().find(|s| s.number == c.number);
                CountedCandidate {
                    number: c.number,
                    full_name: c.full_name.clone(),
                    votes: s.map_or(0, |s| s.votes),
                    elected: s.is_some_and(|s| s.elected),
                }
            })
            .collect(),
        seats_unfilled: result.seats_unfilled,
        tie_note: election.tie_note.clone(),
        head,
        members,
        record_fingerprint,
        result_fingerprint,
        audit_head: None,
    })
}

/// The counting board's minutes as PDF or DOCX, once the result is final (a tie waits for its
/// decision): anyone who sees the election reads them.
pub async fn minutes(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    format: &str,
) -> Result<axum::response::Response, AppError> {
    use crate::files::Format;
    use dangvu_reports::{count_minutes_docx, count_minutes_pdf};

    let format = Format::document(format)?;
    let election = visible_election(state, user, id).await?;
    let (count, result) = elections::result(&state.db, &election)
        .await?
        .ok_or_else(|| AppError::invalid("status", "Chưa có kết quả kiểm phiếu thống nhất"))?;
    let today = calendar::today();
    let convening =
        dangvu_store::orgs::get(&state.db, election.org_id, today).await?.map(|o| o.name).unwrap_or_default();
    let board = elections::board(&state.db, id).await?;
    let mut minutes = count_minutes(&election, &count, &result, convening, &board, today)
        .ok_or_else(|| AppError::invalid("status", "Kết quả còn chờ quyết định về trường hợp bằng phiếu"))?;
    minutes.audit_head = crate::files::audit_head(state).await?;
    crate::files::printed(format, &format!("bien-ban-kiem-phieu-{id}"), move |format| match format {
        Format::Docx => count_minutes_docx(&minutes),
        _ => count_minutes_pdf(&minutes),
    })
    .await
}

/// A further round for the seats left, on the list the congress chose among those not elected.
pub async fn further_round(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    candidate_ids: Vec<i64>,
    ballot: &str,
) -> Result<Election, AppError> {
    let election = prepared_election(state, user, id).await?;
    let ballot = BallotKind::parse(ballot)
        .ok_or_else(|| AppError::invalid("ballot", "Phiếu là surplus (có số dư) hoặc approval (không có số dư)"))?;
    let rules = settings::get(&state.db).await?.election_rules;
    let new = in_tx(state, async |tx| {
        elections::further_round(tx, &actor(user), &election, &candidate_ids, ballot, &rules).await
    })
    .await?;
    elections::get(&state.db, new).await?.ok_or(AppError::NotFound)
}

pub async fn seal(state: &AppState, user: &SessionUser, id: i64) -> Result<State, AppError> {
    let election = board_election(state, user, id, BoardRole::Head).await?;
    in_tx(state, async |tx| elections::seal(tx, &actor(user), &election, calendar::today()).await).await
}

/// Elections: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}
