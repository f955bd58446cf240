//! Elections: the list, the counting board, the tellers' entries, the agreed count and its
//! per-ballot record. The rules are `dangvu_domain::elections`; this module reads, writes and
//! audits, and moves a count only along `State::after`.

mod after;
mod count;

pub use after::{
    After, ApprovalDecision, Complaint, PostHolder, after, approve, complaint, destroy, post_holders, resolve_complaint,
};

pub use count::{
    Entries, EntryView, Keep, Pick, Reading, decide_tie, enter_ballot, entries, finish_entry, further_round,
    last_ballots, record, resolve, result, result_in, save_entry, seal, start_entry, undo_ballot,
};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::Term;
use dangvu_domain::elections::approval::Approval;
use dangvu_domain::elections::state::{Event, State};
use dangvu_domain::elections::{
    BallotKind, Body, ElectionKind, ElectionRules, Electors, Exclusion, check_list, floor_nomination_agreed,
};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, params};

/// One person on the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub id: i64,
    /// The number on the ballot, from 1, in the list's order.
    pub number: u32,
    pub full_name: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// Nominated from the floor (or self-nominated), with the vote that added the name.
    pub from_floor: bool,
    pub present: Option<u32>,
    pub agreed: Option<u32>,
}

/// One ballot of an election (a further round is an election of its own).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Election {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub congress_id: Option<i64>,
    /// The round before, for a further round (bầu tiếp).
    pub previous_id: Option<i64>,
    pub title: String,
    #[schema(value_type = String, example = "members_congress")]
    pub kind: ElectionKind,
    #[schema(value_type = String, example = "surplus")]
    pub ballot: BallotKind,
    pub seats: u32,
    #[schema(value_type = Object)]
    pub electors: Electors,
    /// The base of "more than half" (Điều 30): those summoned minus the exclusions.
    pub base: u32,
    /// The least number of votes that is more than half of the base.
    pub threshold: u32,
    /// `awaiting_entries`, `entries_differ`, `tie`, `final` or `sealed`.
    #[schema(value_type = String)]
    pub status: State,
    pub issued: Option<u32>,
    pub returned: Option<u32>,
    /// The ballot numbers the presidium chose among those tied for the last seats.
    pub tie_decision: Option<Vec<u32>>,
    pub tie_note: Option<String>,
    /// SHA-256 of the per-ballot record, once the count is agreed.
    pub record_fingerprint: Option<String>,
    /// SHA-256 of the result, once it is final.
    pub result_fingerprint: Option<String>,
    pub sealed_on: Option<NaiveDate>,
    /// What the election elects: a body of the organisation, delegates, or nobody (a poll).
    #[schema(value_type = String, example = "executive_committee")]
    pub body: Body,
    /// The term of the posts it fills, e.g. `2025-2030`.
    pub term: Option<String>,
    /// The committee above's approval (chuẩn y): `awaiting`, `approved`, `partly_approved`,
    /// `annulled`.
    #[schema(value_type = String, example = "awaiting")]
    pub approval: Approval,
    /// The committee above's task to approve, given when the ballots are sealed.
    pub approval_task_id: Option<i64>,
    /// The decision's reference (số quyết định) and day.
    pub approval_reference: Option<String>,
    pub approval_on: Option<NaiveDate>,
    /// The numbers on the ballot of the people elected whom the committee above did not approve.
    pub approval_refused: Vec<u32>,
    pub approval_note: Option<String>,
    /// The decision destroying the sealed ballots (Điều 35).
    pub destroyed_on: Option<NaiveDate>,
    pub destruction_reference: Option<String>,
    pub candidates: Vec<Candidate>,
}

impl Election {
    /// The candidate with this id, and its number on the ballot.
    pub fn candidate(&self, id: i64) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id == id)
    }
}

columns! {
    mod col {
        id: "e.id",
        org_id: "e.org_id",
        congress_id: "e.congress_id",
        previous_id: "e.previous_id",
        title: "e.title",
        kind: "e.kind",
        ballot: "e.ballot",
        seats: "e.seats",
        summoned: "e.summoned",
        excluded: "e.excluded",
        state: "e.state",
        issued: "e.issued",
        returned: "e.returned",
        tie_decision: "e.tie_decision",
        tie_note: "e.tie_note",
        record_fingerprint: "e.record_fingerprint",
        result_fingerprint: "e.result_fingerprint",
        sealed_on: "e.sealed_on",
        body: "e.body",
        term: "e.term",
        approval: "e.approval",
        approval_task_id: "e.approval_task_id",
        approval_reference: "e.approval_reference",
        approval_on: "e.approval_on",
        approval_refused: "e.approval_refused",
        approval_note: "e.approval_note",
        destroyed_on: "e.destroyed_on",
        destruction_reference: "e.destruction_reference",
    }
}

fn count_of(r: &Row, i: usize) -> Result<Option<u32>, StoreError> {
    r.opt_int(i)?.map(|n| u32::try_from(n).map_err(|_| StoreError::Decode(format!("column {i}: {n}")))).transpose()
}

/// `3,5` as the numbers it lists.
pub(crate) fn numbers(text: &str) -> Vec<u32> {
    text.split(',').filter_map(|n| n.trim().parse().ok()).collect()
}

fn from_row(r: &Row) -> Result<Election, StoreError> {
    let excluded: BTreeMap<Exclusion, u32> =
        serde_json::from_str(&r.text(col::excluded)?).map_err(|e| StoreError::Decode(e.to_string()))?;
    let electors = Electors { summoned: count_of(r, col::summoned)?.unwrap_or(0), excluded };
    let base = electors.base();
    Ok(Election {
        id: r.int(col::id)?,
        org_id: r.id(col::org_id)?,
        congress_id: r.opt_int(col::congress_id)?,
        previous_id: r.opt_int(col::previous_id)?,
        title: r.text(col::title)?,
        kind: r.word(col::kind, ElectionKind::parse)?,
        ballot: r.word(col::ballot, BallotKind::parse)?,
        seats: count_of(r, col::seats)?.unwrap_or(0),
        electors,
        base,
        threshold: dangvu_domain::elections::majority_threshold(base),
        status: r.word(col::state, State::parse)?,
        issued: count_of(r, col::issued)?,
        returned: count_of(r, col::returned)?,
        tie_decision: r.opt_text(col::tie_decision)?.map(|t| numbers(&t)),
        tie_note: r.opt_text(col::tie_note)?,
        record_fingerprint: r.opt_text(col::record_fingerprint)?,
        result_fingerprint: r.opt_text(col::result_fingerprint)?,
        sealed_on: r.opt_date(col::sealed_on)?,
        body: r.word(col::body, Body::parse)?,
        term: r.opt_text(col::term)?,
        approval: r.word(col::approval, Approval::parse)?,
        approval_task_id: r.opt_int(col::approval_task_id)?,
        approval_reference: r.opt_text(col::approval_reference)?,
        approval_on: r.opt_date(col::approval_on)?,
        approval_refused: r.opt_text(col::approval_refused)?.map(|t| numbers(&t)).unwrap_or_default(),
        approval_note: r.opt_text(col::approval_note)?,
        destroyed_on: r.opt_date(col::destroyed_on)?,
        destruction_reference: r.opt_text(col::destruction_reference)?,
        candidates: Vec::new(),
    })
}

async fn candidates_of(db: &Db, election_id: i64) -> Result<Vec<Candidate>, StoreError> {
    let rows = db
        .query(
            "SELECT id, number, full_name, member_id, from_floor, present, agreed FROM election_candidates
             WHERE election_id = $1 ORDER BY number",
            params![election_id],
        )
        .await?;
    rows.iter().map(candidate_of).collect()
}

fn candidate_of(r: &Row) -> Result<Candidate, StoreError> {
    Ok(Candidate {
        id: r.int(0)?,
        number: count_of(r, 1)?.unwrap_or(0),
        full_name: r.text(2)?,
        member_id: r.opt_id(3)?,
        from_floor: r.bool(4)?,
        present: count_of(r, 5)?,
        agreed: count_of(r, 6)?,
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Election>, StoreError> {
    let sql = format!("SELECT {} FROM elections e WHERE e.id = $1", col::SQL);
    let Some(r) = db.query_one(&sql, params![id]).await? else { return Ok(None) };
    let mut election = from_row(&r)?;
    election.candidates = candidates_of(db, id).await?;
    Ok(Some(election))
}

/// The election as the transaction sees it (with its list).
pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<Election>, StoreError> {
    let sql = format!("SELECT {} FROM elections e WHERE e.id = $1", col::SQL);
    let Some(r) = tx.query_one(&sql, params![id]).await? else { return Ok(None) };
    let mut election = from_row(&r)?;
    let rows = tx
        .query(
            "SELECT id, number, full_name, member_id, from_floor, present, agreed FROM election_candidates
             WHERE election_id = $1 ORDER BY number",
            params![id],
        )
        .await?;
    election.candidates = rows.iter().map(candidate_of).collect::<Result<_, _>>()?;
    Ok(Some(election))
}

/// The elections of an organisation, newest first (without their lists).
pub async fn of_org(db: &Db, org_id: OrgId, limit: i64) -> Result<Vec<Election>, StoreError> {
    let sql = format!("SELECT {} FROM elections e WHERE e.org_id = $1 ORDER BY e.id DESC LIMIT $2", col::SQL);
    db.query(&sql, params![org_id, limit]).await?.iter().map(from_row).collect()
}

/// A person to put on the list.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub full_name: String,
    pub member_id: Option<MemberId>,
}

/// An election as the convening committee prepares it.
#[derive(Debug, Clone)]
pub struct NewElection {
    pub org_id: OrgId,
    pub congress_id: Option<i64>,
    pub title: String,
    pub kind: ElectionKind,
    pub ballot: BallotKind,
    pub seats: u32,
    pub electors: Electors,
    pub candidates: Vec<NewCandidate>,
    pub body: Body,
    /// The term of the posts, for a body; a congress's election takes its congress's term.
    pub term: Option<String>,
}

fn check_candidate(c: &NewCandidate, field: &str, problems: &mut Problems) -> String {
    let name = clean(&c.full_name);
    if name.is_empty() || name.chars().count() > 200 {
        problems.add(field, "Họ tên người ứng cử từ 1 đến 200 ký tự");
    }
    name
}

/// Writes the election and its list, after checking the list against Điều 14 and the
/// electors against Điều 30.
pub async fn create(tx: &mut Tx, actor: &Actor, new: &NewElection, rules: &ElectionRules) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let title = clean(&new.title);
    if title.is_empty() || title.chars().count() > 300 {
        problems.add("title", "Tên cuộc bầu cử từ 1 đến 300 ký tự");
    }
    new.electors.check(new.kind, &mut problems);
    let term = term_of(tx, new, &mut problems).await?;
    if new.body.is_single_post() && new.seats != 1 {
        problems.add("seats", format!("{} bầu một người", new.body.label()));
    }
    if let Err(list) = check_list(new.seats, new.candidates.len() as u32, new.ballot, rules) {
        problems.extend(list);
    }
    let names: Vec<String> = new
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| check_candidate(c, &format!("candidates[{i}].full_name"), &mut problems))
        .collect();
    let mut members: Vec<MemberId> = new.candidates.iter().filter_map(|c| c.member_id).collect();
    members.sort_unstable();
    if members.windows(2).any(|w| w[0] == w[1]) {
        problems.add("candidates", "Một đảng viên có tên hai lần trong danh sách");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let excluded = serde_json::to_string(&new.electors.excluded).map_err(|e| StoreError::Decode(e.to_string()))?;
    let id = tx
        .query_one(
            "INSERT INTO elections (org_id, congress_id, title, kind, ballot, seats, summoned, excluded, state,
                                    created_by, created_at, body, term)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            params![
                new.org_id,
                new.congress_id,
                title.as_str(),
                new.kind.as_str(),
                new.ballot.as_str(),
                i64::from(new.seats),
                i64::from(new.electors.summoned),
                excluded.as_str(),
                State::AwaitingEntries.as_str(),
                actor.id,
                crate::now_micros(),
                new.body.as_str(),
                term.as_deref()
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    for (i, (c, name)) in new.candidates.iter().zip(&names).enumerate() {
        tx.execute(
            "INSERT INTO election_candidates (election_id, number, full_name, member_id, from_floor)
             VALUES ($1, $2, $3, $4, $5)",
            params![id, i as i64 + 1, name.as_str(), c.member_id, false],
        )
        .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionCreate,
            subject: Subject::election(id),
            before: None,
            // A straw poll or a conference of the five-step procedure is personnel work: the log,
            // which every admin reads, counts its names instead of naming them.
            after: Some(json!({
                "org_id": new.org_id, "title": title, "kind": new.kind.as_str(), "ballot": new.ballot.as_str(),
                "seats": new.seats, "electors": new.electors,
                "candidates": if new.body == Body::Other { json!(names.len()) } else { json!(names) },
                "body": new.body.as_str(), "term": term,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// The term of the posts the election fills: its congress's, or the one given (`2025-2030`),
/// which a body needs (its holders are approved for a term).
async fn term_of(tx: &mut Tx, new: &NewElection, problems: &mut Problems) -> Result<Option<String>, StoreError> {
    if let Some(congress_id) = new.congress_id {
        let row = tx.query_one("SELECT term FROM congresses WHERE id = $1", params![congress_id]).await?;
        return row.map(|r| r.text(0)).transpose();
    }
    let given = new.term.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match given.map(|t| (t, Term::parse(t))) {
        Some((_, Some(term))) => Ok(Some(term.to_string())),
        Some((_, None)) => {
            problems.add("term", "Nhiệm kỳ ghi dạng 2025-2030 (từ 1 đến 5 năm)");
            Ok(None)
        }
        None if new.body.is_approved_above() => {
            problems.add("term", "Bầu cấp ủy, chức danh thì ghi nhiệm kỳ (2025-2030)");
            Ok(None)
        }
        None => Ok(None),
    }
}

/// The election as it is now, its row locked until the transaction ends (PostgreSQL; a SQLite
/// write transaction holds the whole database already): every change reads the count's state
/// here, never from a copy read before the transaction, so two tellers finishing at once are
/// compared, and a ballot typed as the count becomes final is refused.
pub(crate) async fn lock(tx: &mut Tx, id: i64) -> Result<Election, StoreError> {
    if tx.backend() == crate::Backend::Postgres {
        tx.query_one("SELECT id FROM elections WHERE id = $1 FOR UPDATE", params![id]).await?;
    }
    get_in(tx, id).await?.ok_or(StoreError::NotFound)
}

/// The count's state alone, its row locked as [`lock`] does: what a keystroke of a teller needs
/// (the list and the layout of the ballot do not change once entries exist).
pub(crate) async fn lock_state(tx: &mut Tx, id: i64) -> Result<State, StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => "SELECT state FROM elections WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT state FROM elections WHERE id = $1",
    };
    tx.query_one(sql, params![id]).await?.ok_or(StoreError::NotFound)?.word(0, State::parse)
}

/// The list and the board are the congress's until the tellers start: once an entry exists,
/// a name or a teller changed would change what the ballots already typed mean.
async fn ensure_no_entries(tx: &mut Tx, election: &Election) -> Result<(), StoreError> {
    let entries = tx
        .query_one("SELECT COUNT(*) FROM election_entries WHERE election_id = $1", params![election.id])
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    if entries > 0 {
        return Err(StoreError::invalid(
            "status",
            "Ban kiểm phiếu đã bắt đầu nhập phiếu: danh sách và ban kiểm phiếu không sửa được nữa",
        ));
    }
    Ok(())
}

/// Moves the count from the state it was read in, or answers why it cannot move: a guarded
/// update, so that two tellers saving at once cannot both move it from the same state.
pub(crate) async fn move_to(tx: &mut Tx, election: &Election, event: Event) -> Result<State, StoreError> {
    let next = election.status.after(event).map_err(|why| StoreError::invalid("status", why))?;
    let changed = tx
        .execute(
            "UPDATE elections SET state = $3 WHERE id = $1 AND state = $2",
            params![election.id, election.status.as_str(), next.as_str()],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::invalid("status", "Cuộc bầu cử vừa được người khác cập nhật; hãy tải lại"));
    }
    Ok(next)
}

/// Takes a name off the list before the count, as the congress decided (a list over the
/// surplus the rules allow, Điều 14; a candidate who withdrew): the names after it move up one
/// number on the ballot.
pub async fn withdraw(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    candidate_id: i64,
    reason: &str,
) -> Result<(), StoreError> {
    let election = &lock(tx, election.id).await?;
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(StoreError::invalid("reason", "Hãy ghi căn cứ rút tên (biểu quyết của đại hội …)"));
    }
    let candidate = election.candidate(candidate_id).cloned().ok_or(StoreError::NotFound)?;
    move_to(tx, election, Event::EditList).await?;
    ensure_no_entries(tx, election).await?;
    tx.execute("DELETE FROM election_candidates WHERE id = $1", params![candidate_id]).await?;
    // One row at a time, in ascending order, so the numbers stay unique at every step.
    for c in election.candidates.iter().filter(|c| c.number > candidate.number) {
        tx.execute("UPDATE election_candidates SET number = $2 WHERE id = $1", params![c.id, i64::from(c.number) - 1])
            .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionWithdraw,
            subject: Subject::election(election.id),
            before: Some(json!({"full_name": candidate.full_name, "number": candidate.number})),
            after: Some(json!({"reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// The roles on the counting board (Điều 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BoardRole {
    Head,
    Teller,
    Observer,
}

impl BoardRole {
    pub const ALL: [BoardRole; 3] = [BoardRole::Head, BoardRole::Teller, BoardRole::Observer];

    pub fn as_str(self) -> &'static str {
        match self {
            BoardRole::Head => "head",
            BoardRole::Teller => "teller",
            BoardRole::Observer => "observer",
        }
    }

    pub fn parse(s: &str) -> Option<BoardRole> {
        BoardRole::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            BoardRole::Head => "Trưởng ban kiểm phiếu",
            BoardRole::Teller => "Ủy viên ban kiểm phiếu",
            BoardRole::Observer => "Người giám sát",
        }
    }
}

/// One account on the counting board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardMember {
    pub user_id: i64,
    pub username: String,
    pub role: BoardRole,
}

pub async fn board(db: &Db, election_id: i64) -> Result<Vec<BoardMember>, StoreError> {
    let rows = db
        .query(
            "SELECT b.user_id, u.username, b.role FROM election_board b JOIN users u ON u.id = b.user_id
             WHERE b.election_id = $1 ORDER BY b.role, u.username",
            params![election_id],
        )
        .await?;
    rows.iter()
        .map(|r| Ok(BoardMember { user_id: r.int(0)?, username: r.text(1)?, role: r.word(2, BoardRole::parse)? }))
        .collect()
}

/// The account's role on the board of an election, if it has one.
pub async fn board_role(db: &Db, election_id: i64, user_id: i64) -> Result<Option<BoardRole>, StoreError> {
    db.query_one(
        "SELECT role FROM election_board WHERE election_id = $1 AND user_id = $2",
        params![election_id, user_id],
    )
    .await?
    .map(|r| r.word(0, BoardRole::parse))
    .transpose()
}

/// Puts an account on the counting board. Nobody on the list sits on the board (Điều 8), and
/// the board has one head.
pub async fn add_to_board(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    user_id: i64,
    role: BoardRole,
) -> Result<(), StoreError> {
    let election = &lock(tx, election.id).await?;
    move_to(tx, election, Event::EditList).await?;
    ensure_no_entries(tx, election).await?;
    if role == BoardRole::Teller {
        let tellers = tx
            .query_one(
                "SELECT COUNT(*) FROM election_board WHERE election_id = $1 AND role = $2 AND user_id <> $3",
                params![election.id, BoardRole::Teller.as_str(), user_id],
            )
            .await?
            .ok_or(StoreError::NotFound)?
            .int(0)?;
        // Two entries are compared: a third teller's would never be.
        if tellers >= 2 {
            return Err(StoreError::invalid("role", "Ban kiểm phiếu đã có hai người nhập phiếu"));
        }
    }
    let user = tx
        .query_one("SELECT member_id FROM users WHERE id = $1 AND active = $2", params![user_id, true])
        .await?
        .ok_or_else(|| StoreError::invalid("user_id", "Không có tài khoản này"))?;
    let member: Option<MemberId> = user.opt_id(0)?;
    if member.is_some() && election.candidates.iter().any(|c| c.member_id == member) {
        return Err(StoreError::invalid(
            "user_id",
            "Người có tên trong danh sách bầu cử không tham gia ban kiểm phiếu",
        ));
    }
    if role == BoardRole::Head {
        let head = tx
            .query_one(
                "SELECT user_id FROM election_board WHERE election_id = $1 AND role = $2 AND user_id <> $3",
                params![election.id, BoardRole::Head.as_str(), user_id],
            )
            .await?;
        if head.is_some() {
            return Err(StoreError::invalid("role", "Ban kiểm phiếu đã có trưởng ban"));
        }
    }
    tx.execute("DELETE FROM election_board WHERE election_id = $1 AND user_id = $2", params![election.id, user_id])
        .await?;
    tx.execute(
        "INSERT INTO election_board (election_id, user_id, role) VALUES ($1, $2, $3)",
        params![election.id, user_id, role.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionBoard,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"user_id": user_id, "role": role.as_str()})),
        },
    )
    .await?;
    Ok(())
}

/// Adds a person nominated from the floor, when more than 30 % of those present agreed
/// (Điều 14). The list may then have a surplus over the limit: the count waits until the
/// congress chooses whom to keep.
pub async fn nominate(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    candidate: &NewCandidate,
    present: u32,
    agreed: u32,
    rules: &ElectionRules,
) -> Result<i64, StoreError> {
    let election = &lock(tx, election.id).await?;
    let mut problems = Problems::new();
    let name = check_candidate(candidate, "full_name", &mut problems);
    if election.ballot == BallotKind::Approval && election.candidates.len() as u32 >= election.seats {
        problems.add("full_name", "Danh sách không có số dư đã đủ số cần bầu; không thêm người được");
    }
    if present == 0 {
        problems.add("present", "Hãy ghi số đại biểu có mặt");
    } else if !floor_nomination_agreed(present, agreed, rules) {
        problems.add(
            "agreed",
            format!(
                "Cần trên {}% số có mặt tán thành ({} của {present}); mới có {agreed}",
                rules.floor_nomination_min_percent,
                u64::from(present) * u64::from(rules.floor_nomination_min_percent) / 100 + 1
            ),
        );
    }
    if candidate.member_id.is_some() && election.candidates.iter().any(|c| c.member_id == candidate.member_id) {
        problems.add("member_id", "Người này đã có tên trong danh sách");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    move_to(tx, election, Event::EditList).await?;
    ensure_no_entries(tx, election).await?;
    let number = election.candidates.len() as i64 + 1;
    let id = tx
        .query_one(
            "INSERT INTO election_candidates (election_id, number, full_name, member_id, from_floor, present, agreed)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![
                election.id,
                number,
                name.as_str(),
                candidate.member_id,
                true,
                i64::from(present),
                i64::from(agreed)
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionNominate,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"full_name": name, "number": number, "present": present, "agreed": agreed})),
        },
    )
    .await?;
    Ok(id)
}
