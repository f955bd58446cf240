//! The count: each teller's entry of the pile, the comparison of two entries, the head's
//! resolution of the ballots they read differently, and the agreed per-ballot record from
//! which every result is recomputed.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::elections::record::{Record, result_fingerprint};
use dangvu_domain::elections::state::{Event, State};
use dangvu_domain::elections::{Ballot, Count, ElectionRules, Outcome, Reconciliation, check_list, differing_ballots};
use dangvu_domain::validation::Problems;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{Election, move_to};
use crate::audit::{self, Actor, Change, Subject};
use crate::db::insert_sql;
use crate::{Db, StoreError, Tx, Value, params};

/// One teller's entry, as the board sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub teller_id: i64,
    pub teller: String,
    pub issued: u32,
    pub returned: u32,
    /// How many ballots it holds (so far, while the teller is typing).
    pub ballots: u32,
    /// The teller declared the pile entered: only finished entries are compared.
    pub finished: bool,
}

/// Both entries and where they differ.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entries {
    /// In the order they were first saved.
    pub entries: Vec<EntryView>,
    /// True when two entries are saved and differ.
    pub differ: bool,
    /// The ballots (numbered from 1, in the order the pile was read) the two entries read
    /// differently.
    pub differing: Vec<u32>,
    /// True when the entries disagree on the ballots issued or returned.
    pub reconciliation_differs: bool,
    /// How each entry reads each differing ballot (canonical text; `null` where an entry has
    /// no such ballot), for the head who resolves them.
    pub readings: Vec<Reading>,
}

/// The two readings of one differing ballot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reading {
    pub ballot: u32,
    pub first: Option<String>,
    pub second: Option<String>,
}

struct StoredEntry {
    id: i64,
    finished: bool,
    teller_id: i64,
    teller: String,
    issued: u32,
    returned: u32,
    ballots: Vec<Ballot>,
}

fn u32_of(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

async fn stored_entries(tx_or_db: &mut Reader<'_>, election: &Election) -> Result<Vec<StoredEntry>, StoreError> {
    let n = election.candidates.len() as u32;
    let heads = tx_or_db
        .query(
            "SELECT e.id, e.teller_id, u.username, e.issued, e.returned, e.finished_at FROM election_entries e
             JOIN users u ON u.id = e.teller_id WHERE e.election_id = $1 ORDER BY e.id",
            params![election.id],
        )
        .await?;
    let mut out = Vec::with_capacity(heads.len());
    for h in heads {
        let id = h.int(0)?;
        let rows = tx_or_db
            .query("SELECT ballot FROM election_entry_ballots WHERE entry_id = $1 ORDER BY position", params![id])
            .await?;
        let ballots = rows
            .iter()
            .map(|r| Ballot::parse(&r.text(0)?, n).map_err(|e| StoreError::Decode(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(StoredEntry {
            id,
            finished: h.opt_int(5)?.is_some(),
            teller_id: h.int(1)?,
            teller: h.text(2)?,
            issued: u32_of(h.int(3)?),
            returned: u32_of(h.int(4)?),
            ballots,
        });
    }
    Ok(out)
}

/// Reads through a transaction or the pool, so that the same reading serves both.
pub(super) enum Reader<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

impl Reader<'_> {
    pub(super) async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<crate::Row>, StoreError> {
        match self {
            Reader::Db(db) => db.query(sql, params).await,
            Reader::Tx(tx) => tx.query(sql, params).await,
        }
    }
}

fn compare(a: &StoredEntry, b: &StoredEntry) -> (Vec<u32>, bool) {
    let differing = differing_ballots(&a.ballots, &b.ballots).into_iter().map(|i| i as u32 + 1).collect();
    (differing, a.issued != b.issued || a.returned != b.returned)
}

fn view(e: &StoredEntry) -> EntryView {
    EntryView {
        teller_id: e.teller_id,
        teller: e.teller.clone(),
        issued: e.issued,
        returned: e.returned,
        ballots: e.ballots.len() as u32,
        finished: e.finished,
    }
}

/// The entries saved so far and where they differ. Once the count is agreed the ballots of
/// the entries are gone: only their totals are answered.
pub async fn entries(db: &Db, election: &Election) -> Result<Entries, StoreError> {
    let stored = stored_entries(&mut Reader::Db(db), election).await?;
    let (differing, reconciliation_differs) = match &stored[..] {
        [a, b] if !election.status.is_counted() && a.finished && b.finished => compare(a, b),
        _ => (Vec::new(), false),
    };
    let readings = match &stored[..] {
        [a, b] => differing
            .iter()
            .map(|n| {
                let at = |e: &StoredEntry| e.ballots.get(*n as usize - 1).map(Ballot::canonical);
                Reading { ballot: *n, first: at(a), second: at(b) }
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Entries {
        entries: stored.iter().map(view).collect(),
        readings,
        differ: !differing.is_empty() || reconciliation_differs,
        differing,
        reconciliation_differs,
    })
}

/// The last `k` ballots of a teller's unfinished entry, newest first, as (number in the pile,
/// canonical text): what the teller sees to check the last keys typed.
pub async fn last_ballots(
    db: &Db,
    election: &Election,
    teller_id: i64,
    k: i64,
) -> Result<Vec<(u32, String)>, StoreError> {
    let rows = db
        .query(
            "SELECT b.position, b.ballot FROM election_entry_ballots b JOIN election_entries e ON e.id = b.entry_id
             WHERE e.election_id = $1 AND e.teller_id = $2 ORDER BY b.position DESC LIMIT $3",
            params![election.id, teller_id, k],
        )
        .await?;
    rows.iter().map(|r| Ok((u32_of(r.int(0)?), r.text(1)?))).collect()
}

/// The SHA-256 of an entry's ballots, sorted: the audit log keeps it, not the ballots. It is
/// taken over the sorted texts so that, beside the sealed record, it reveals nothing of the
/// order the pile was read in.
fn entry_fingerprint(ballots: &[Ballot]) -> String {
    let mut texts: Vec<String> = ballots.iter().map(Ballot::canonical).collect();
    texts.sort_unstable();
    let mut h = Sha256::new();
    for text in texts {
        h.update((text.len() as u64).to_be_bytes());
        h.update(text.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn check_entry(
    election: &Election,
    reconciliation: Reconciliation,
    ballots: &[Ballot],
    rules: &ElectionRules,
) -> Result<(), StoreError> {
    let mut problems = Problems::new();
    if let Err(list) = check_list(election.seats, election.candidates.len() as u32, election.ballot, rules) {
        problems.add(
            "candidates",
            "Danh sách bầu cử chưa đúng quy định (số dư); đại hội cần biểu quyết danh sách trước khi kiểm phiếu",
        );
        problems.extend(list);
    }
    reconciliation.check(ballots.len(), &mut problems);
    if let Some(i) = ballots.iter().position(|b| b.kind() != election.ballot) {
        problems.add(format!("ballots[{i}]"), "Phiếu không đúng mẫu của danh sách này");
    }
    problems.finish().map_err(StoreError::Invalid)
}

async fn write_entry_ballots(tx: &mut Tx, entry_id: i64, ballots: &[Ballot]) -> Result<(), StoreError> {
    const ROWS: usize = 300;
    for (k, chunk) in ballots.chunks(ROWS).enumerate() {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 3);
        for (i, b) in chunk.iter().enumerate() {
            values.extend([entry_id.into(), ((k * ROWS + i) as i64 + 1).into(), b.canonical().into()]);
        }
        tx.execute(&insert_sql("election_entry_ballots (entry_id, position, ballot)", 3, chunk.len()), &values).await?;
    }
    Ok(())
}

fn counted() -> StoreError {
    StoreError::invalid("status", "Kết quả kiểm phiếu đã thống nhất, không nhập thêm được")
}

fn refuse_when_counted(election: &Election) -> Result<(), StoreError> {
    if election.status.is_counted() {
        return Err(counted());
    }
    Ok(())
}

/// Starts a teller's entry of the pile, or starts it again: the teller's earlier entry, and
/// its ballots, are dropped. Answers the entry's id.
pub async fn start_entry(
    tx: &mut Tx,
    election: &Election,
    teller_id: i64,
    reconciliation: Reconciliation,
) -> Result<i64, StoreError> {
    let election = &super::lock(tx, election.id).await?;
    refuse_when_counted(election)?;
    if reconciliation.returned > reconciliation.issued {
        return Err(StoreError::invalid(
            "returned",
            format!(
                "Số phiếu thu vào ({}) nhiều hơn số phiếu phát ra ({})",
                reconciliation.returned, reconciliation.issued
            ),
        ));
    }
    let old = tx
        .query_one(
            "SELECT id FROM election_entries WHERE election_id = $1 AND teller_id = $2",
            params![election.id, teller_id],
        )
        .await?;
    if let Some(old) = old {
        let old_id = old.int(0)?;
        tx.execute("DELETE FROM election_entry_ballots WHERE entry_id = $1", params![old_id]).await?;
        tx.execute("DELETE FROM election_entries WHERE id = $1", params![old_id]).await?;
    }
    tx.query_one(
        "INSERT INTO election_entries (election_id, teller_id, issued, returned, saved_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![
            election.id,
            teller_id,
            i64::from(reconciliation.issued),
            i64::from(reconciliation.returned),
            crate::now_micros()
        ],
    )
    .await?
    .ok_or(StoreError::NotFound)?
    .int(0)
}

/// The teller's unfinished entry: its id and how many ballots it holds.
async fn open_entry(tx: &mut Tx, election: &Election, teller_id: i64) -> Result<(i64, i64, i64), StoreError> {
    let row = tx
        .query_one(
            "SELECT e.id, e.returned, (SELECT COUNT(*) FROM election_entry_ballots b WHERE b.entry_id = e.id)
             FROM election_entries e WHERE e.election_id = $1 AND e.teller_id = $2 AND e.finished_at IS NULL",
            params![election.id, teller_id],
        )
        .await?
        .ok_or_else(|| StoreError::invalid("entry", "Hãy bắt đầu lần nhập (ghi số phiếu phát ra, thu vào) trước"))?;
    Ok((row.int(0)?, row.int(1)?, row.int(2)?))
}

/// Saves the next ballot of the teller's entry, as it was read. Answers its number in the pile.
pub async fn enter_ballot(
    tx: &mut Tx,
    election: &Election,
    teller_id: i64,
    ballot: &Ballot,
) -> Result<i64, StoreError> {
    if super::lock_state(tx, election.id).await?.is_counted() {
        return Err(counted());
    }
    if ballot.kind() != election.ballot {
        return Err(StoreError::invalid("ballot", "Phiếu không đúng mẫu của danh sách này"));
    }
    let (entry_id, returned, entered) = open_entry(tx, election, teller_id).await?;
    if entered >= returned {
        return Err(StoreError::invalid("ballot", format!("Đã nhập đủ {returned} phiếu thu vào")));
    }
    let position = entered + 1;
    tx.execute(
        "INSERT INTO election_entry_ballots (entry_id, position, ballot) VALUES ($1, $2, $3)",
        params![entry_id, position, ballot.canonical()],
    )
    .await?;
    Ok(position)
}

/// Takes back the last ballot of the teller's unfinished entry (a key pressed too soon).
pub async fn undo_ballot(tx: &mut Tx, election: &Election, teller_id: i64) -> Result<(), StoreError> {
    if super::lock_state(tx, election.id).await?.is_counted() {
        return Err(counted());
    }
    let (entry_id, _, entered) = open_entry(tx, election, teller_id).await?;
    tx.execute("DELETE FROM election_entry_ballots WHERE entry_id = $1 AND position = $2", params![entry_id, entered])
        .await?;
    Ok(())
}

/// The teller declares the pile entered. The entry must account for every ballot returned;
/// with the other teller's finished entry, the two are compared, and when they agree the
/// count is final (or tied). Answers the count's new state.
pub async fn finish_entry(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    teller_id: i64,
    rules: &ElectionRules,
) -> Result<State, StoreError> {
    let election = &super::lock(tx, election.id).await?;
    refuse_when_counted(election)?;
    let stored = stored_entries(&mut Reader::Tx(tx), election).await?;
    let mine = stored
        .iter()
        .find(|e| e.teller_id == teller_id && !e.finished)
        .ok_or_else(|| StoreError::invalid("entry", "Không có lần nhập nào đang dở"))?;
    let reconciliation = Reconciliation { issued: mine.issued, returned: mine.returned };
    check_entry(election, reconciliation, &mine.ballots, rules)?;
    tx.execute("UPDATE election_entries SET finished_at = $2 WHERE id = $1", params![mine.id, crate::now_micros()])
        .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionEntry,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({
                "teller_id": teller_id, "issued": mine.issued, "returned": mine.returned,
                "ballots": mine.ballots.len(), "fingerprint": entry_fingerprint(&mine.ballots),
            })),
        },
    )
    .await?;
    let other = stored.iter().find(|e| e.teller_id != teller_id && e.finished);
    let event = match other {
        None => Event::EnterAlone,
        Some(other) => {
            let (differing, totals_differ) = compare(mine, other);
            if differing.is_empty() && !totals_differ {
                let tied = finalize(tx, actor, election, &mine.ballots, reconciliation).await?;
                Event::of_entry(true, true, tied)
            } else {
                Event::EnterDiffering
            }
        }
    };
    move_to(tx, election, event).await
}

/// A teller's entry of the whole pile at once (the API): it replaces the teller's earlier
/// entry while the count is not agreed, and is finished at once.
pub async fn save_entry(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    teller_id: i64,
    reconciliation: Reconciliation,
    ballots: &[Ballot],
    rules: &ElectionRules,
) -> Result<State, StoreError> {
    refuse_when_counted(election)?;
    check_entry(election, reconciliation, ballots, rules)?;
    let entry_id = start_entry(tx, election, teller_id, reconciliation).await?;
    write_entry_ballots(tx, entry_id, ballots).await?;
    finish_entry(tx, actor, election, teller_id, rules).await
}

/// Which teller's reading of a ballot the head keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The entry saved first.
    First,
    /// The entry saved second.
    Second,
}

/// The head's choice for one differing ballot (numbered from 1).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub struct Pick {
    pub ballot: u32,
    pub keep: Keep,
}

/// The head of the board keeps one teller's reading of each ballot the entries differ on
/// (a ballot only one of them entered is kept or dropped the same way), and the ballots
/// issued and returned when they differ. The count is then agreed.
pub async fn resolve(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    picks: &[Pick],
    totals: Option<Reconciliation>,
    rules: &ElectionRules,
) -> Result<State, StoreError> {
    let election = &super::lock(tx, election.id).await?;
    election.status.after(Event::Resolve).map_err(|why| StoreError::invalid("status", why))?;
    let stored = stored_entries(&mut Reader::Tx(tx), election).await?;
    let [first, second] = &stored[..] else {
        return Err(StoreError::invalid("status", "Chưa có đủ hai lần nhập để xử lý"));
    };
    if !first.finished || !second.finished {
        return Err(StoreError::invalid("status", "Một ủy viên đang nhập lại; hãy chờ lần nhập kết thúc"));
    }
    let (differing, totals_differ) = compare(first, second);
    let mut problems = Problems::new();
    for n in &differing {
        if !picks.iter().any(|p| p.ballot == *n) {
            problems.add("picks", format!("Hãy chọn cách đọc đúng của phiếu số {n}"));
        }
    }
    for p in picks.iter().filter(|p| !differing.contains(&p.ballot)) {
        problems.add("picks", format!("Phiếu số {} không khác nhau giữa hai lần nhập", p.ballot));
    }
    let reconciliation = match (totals_differ, totals) {
        (_, Some(given)) => given,
        (false, None) => Reconciliation { issued: first.issued, returned: first.returned },
        (true, None) => {
            problems.add("issued", "Hai lần nhập khác nhau về số phiếu phát ra hoặc thu vào: hãy ghi số đúng");
            Reconciliation::default()
        }
    };
    problems.finish().map_err(StoreError::Invalid)?;
    let len = first.ballots.len().max(second.ballots.len());
    let ballots: Vec<Ballot> = (0..len)
        .filter_map(|i| {
            let keep = picks.iter().find(|p| p.ballot as usize == i + 1).map_or(Keep::First, |p| p.keep);
            let from = if keep == Keep::First { first } else { second };
            from.ballots.get(i).cloned()
        })
        .collect();
    check_entry(election, reconciliation, &ballots, rules)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionResolve,
            subject: Subject::election(election.id),
            before: Some(json!({"differing": differing})),
            after: Some(json!({
                "picks": picks.iter().map(|p| json!({"ballot": p.ballot, "keep": if p.keep == Keep::First { "first" } else { "second" }})).collect::<Vec<_>>(),
                "issued": reconciliation.issued, "returned": reconciliation.returned,
            })),
        },
    )
    .await?;
    let tied = finalize(tx, actor, election, &ballots, reconciliation).await?;
    move_to(tx, election, if tied { Event::ResolveTied } else { Event::Resolve }).await
}

fn record_of(election: &Election, reconciliation: Reconciliation, ballots: Vec<String>) -> Record {
    Record {
        title: election.title.clone(),
        org: election.org_id.to_string(),
        kind: election.kind,
        ballot: election.ballot,
        seats: election.seats,
        candidates: election.candidates.iter().map(|c| c.full_name.clone()).collect(),
        electors: election.electors.clone(),
        issued: reconciliation.issued,
        returned: reconciliation.returned,
        tie_decision: election.tie_decision.clone(),
        ballots,
    }
    .new_sorted()
}

/// Writes the agreed ballots as the record (sorted, nothing else), deletes the entries'
/// ballots, and keeps the fingerprints. Answers whether people are tied for the last seats.
async fn finalize(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    ballots: &[Ballot],
    reconciliation: Reconciliation,
) -> Result<bool, StoreError> {
    let record = record_of(election, reconciliation, ballots.iter().map(Ballot::canonical).collect());
    let (count, result) = record.recount().map_err(|e| StoreError::Decode(e.to_string()))?;
    for chunk in record.ballots.chunks(500) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 2);
        for b in chunk {
            values.extend([election.id.into(), b.as_str().into()]);
        }
        tx.execute(&insert_sql("election_ballots (election_id, ballot)", 2, chunk.len()), &values).await?;
    }
    tx.execute(
        "DELETE FROM election_entry_ballots WHERE entry_id IN (SELECT id FROM election_entries WHERE election_id = $1)",
        params![election.id],
    )
    .await?;
    let record_fp = record.fingerprint();
    let result_fp = (!result.is_tie()).then(|| result_fingerprint(&record_fp, &count, &result));
    tx.execute(
        "UPDATE elections SET issued = $2, returned = $3, record_fingerprint = $4, result_fingerprint = $5 WHERE id = $1",
        params![
            election.id,
            i64::from(reconciliation.issued),
            i64::from(reconciliation.returned),
            record_fp.as_str(),
            result_fp.as_deref()
        ],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionFinal,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({
                "valid": count.valid, "invalid": count.invalid, "elected": result.elected().collect::<Vec<_>>(),
                "tied": result.tied, "record_fingerprint": record_fp, "result_fingerprint": result_fp,
            })),
        },
    )
    .await?;
    Ok(result.is_tie())
}

/// The agreed per-ballot record, sorted; `None` before the count is agreed.
pub async fn record(db: &Db, election: &Election) -> Result<Option<Record>, StoreError> {
    record_in(&mut Reader::Db(db), election).await
}

async fn record_in(reader: &mut Reader<'_>, election: &Election) -> Result<Option<Record>, StoreError> {
    let (Some(issued), Some(returned)) = (election.issued, election.returned) else { return Ok(None) };
    if !election.status.is_counted() {
        return Ok(None);
    }
    let rows = reader
        .query("SELECT ballot FROM election_ballots WHERE election_id = $1 ORDER BY ballot", params![election.id])
        .await?;
    let ballots = rows.iter().map(|r| r.text(0)).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(record_of(election, Reconciliation { issued, returned }, ballots)))
}

/// The count and the result, recomputed from the record; `None` before the count is agreed.
pub async fn result(db: &Db, election: &Election) -> Result<Option<(Count, Outcome)>, StoreError> {
    let Some(record) = record(db, election).await? else { return Ok(None) };
    record.recount().map(Some).map_err(|e| StoreError::Decode(e.to_string()))
}

/// The same, read inside a transaction (the election locked by it).
pub async fn result_in(tx: &mut Tx, election: &Election) -> Result<Option<(Count, Outcome)>, StoreError> {
    let Some(record) = record_in(&mut Reader::Tx(tx), election).await? else { return Ok(None) };
    record.recount().map(Some).map_err(|e| StoreError::Decode(e.to_string()))
}

/// Records the presidium's decision on a tie for the last seats: `chosen` are ballot numbers
/// among the tied, as many as the seats left to them.
pub async fn decide_tie(
    tx: &mut Tx,
    actor: &Actor,
    election: &Election,
    chosen: &[u32],
    note: &str,
) -> Result<State, StoreError> {
    let election = &super::lock(tx, election.id).await?;
    election.status.after(Event::DecideTie).map_err(|why| StoreError::invalid("status", why))?;
    // The decision is kept sorted: the record's fingerprint is taken over it as stored.
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let note = dangvu_domain::text::clean(note);
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(StoreError::invalid("note", "Hãy ghi căn cứ quyết định của đoàn chủ tịch (tối đa 2.000 ký tự)"));
    }
    let mut decided = election.clone();
    decided.tie_decision = Some(chosen.clone());
    let record = record_in(&mut Reader::Tx(tx), &decided).await?.ok_or(StoreError::NotFound)?;
    let (count, result) = record.recount().map_err(|e| match e {
        dangvu_domain::elections::record::RecordProblem::TieDecision(p) => {
            StoreError::invalid("elected", p.to_string())
        }
        other => StoreError::Decode(other.to_string()),
    })?;
    let record_fp = record.fingerprint();
    let result_fp = result_fingerprint(&record_fp, &count, &result);
    let sorted = chosen;
    let text = sorted.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    tx.execute(
        "UPDATE elections SET tie_decision = $2, tie_note = $3, record_fingerprint = $4, result_fingerprint = $5
         WHERE id = $1",
        params![election.id, text.as_str(), note.as_str(), record_fp.as_str(), result_fp.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionTieDecision,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"chosen": sorted, "note": note, "result_fingerprint": result_fp})),
        },
    )
    .await?;
    move_to(tx, election, Event::DecideTie).await
}

/// A further round (bầu tiếp) when a final count elected too few: the seats left, on a list
/// the congress chose among those not elected (Quy chế 244 Điều 20; the congress decides
/// whether to add names, which is a new election). Answers the new election's id.
pub async fn further_round(
    tx: &mut Tx,
    actor: &Actor,
    previous: &Election,
    candidate_ids: &[i64],
    ballot: dangvu_domain::elections::BallotKind,
    rules: &ElectionRules,
) -> Result<i64, StoreError> {
    let previous = &super::lock(tx, previous.id).await?;
    if !matches!(previous.status, State::Final | State::Sealed) {
        return Err(StoreError::invalid("status", "Chỉ bầu tiếp khi đã có kết quả cuối cùng"));
    }
    let record = record_in(&mut Reader::Tx(tx), previous).await?.ok_or(StoreError::NotFound)?;
    let (_, result) = record.recount().map_err(|e| StoreError::Decode(e.to_string()))?;
    let already = tx.query_one("SELECT id FROM elections WHERE previous_id = $1", params![previous.id]).await?;
    if already.is_some() {
        return Err(StoreError::invalid("status", "Đã lập lần bầu tiếp cho cuộc bầu này"));
    }
    let Some((seats, eligible)) = result.further_round() else {
        return Err(StoreError::invalid("status", "Đã bầu đủ số lượng, không cần bầu tiếp"));
    };
    let mut candidates = Vec::with_capacity(candidate_ids.len());
    for id in candidate_ids {
        match previous.candidate(*id) {
            Some(c) if eligible.contains(&c.number) => {
                candidates.push(super::NewCandidate { full_name: c.full_name.clone(), member_id: c.member_id })
            }
            Some(_) => return Err(StoreError::invalid("candidate_ids", "Người đã trúng cử không bầu tiếp")),
            None => return Err(StoreError::invalid("candidate_ids", "Không có người này trong danh sách")),
        }
    }
    let round = 1 + tx
        .query_one(
            "WITH RECURSIVE chain(id, previous_id) AS (
                 SELECT id, previous_id FROM elections WHERE id = $1
                 UNION ALL SELECT e.id, e.previous_id FROM elections e JOIN chain c ON e.id = c.previous_id)
             SELECT COUNT(*) FROM chain",
            params![previous.id],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    let new = super::NewElection {
        org_id: previous.org_id,
        congress_id: previous.congress_id,
        title: format!(
            "{} — bầu tiếp (lần bỏ phiếu thứ {round})",
            previous.title.chars().take(240).collect::<String>()
        ),
        kind: previous.kind,
        ballot,
        seats,
        electors: previous.electors.clone(),
        candidates,
        body: previous.body,
        term: previous.term.clone(),
    };
    let id = super::create(tx, actor, &new, rules).await?;
    tx.execute("UPDATE elections SET previous_id = $2 WHERE id = $1", params![id, previous.id]).await?;
    Ok(id)
}

/// The sealing record: the ballots and the record are sealed on `on` (Điều 35). A result that
/// fills the organisation's posts goes to the committee above as a task to approve (chuẩn y).
pub async fn seal(tx: &mut Tx, actor: &Actor, election: &Election, on: NaiveDate) -> Result<State, StoreError> {
    let election = &super::lock(tx, election.id).await?;
    let next = move_to(tx, election, Event::Seal).await?;
    tx.execute("UPDATE elections SET sealed_on = $2 WHERE id = $1", params![election.id, on]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::ElectionSeal,
            subject: Subject::election(election.id),
            before: None,
            after: Some(json!({"sealed_on": on})),
        },
    )
    .await?;
    if election.body.is_approved_above() {
        super::after::give_approval_task(tx, actor, election, on).await?;
    }
    Ok(next)
}
