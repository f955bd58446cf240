//! The delegates of a congress: the seats the convening committee allocates, the list of those
//! who sit with their credentials, alternates taking officials' places, the sessions and the
//! check-ins that give the elections their base. The rules are
//! `dangvu_domain::congresses::delegates`.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::congresses::CongressKind;
use dangvu_domain::congresses::delegates::{
    self as rules, Attendance, Credentials, Decision, Role, Seats, Source, check_delegation, check_substitution,
};
use dangvu_domain::elections::{Electors, Exclusion};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::tree::is_within;
use dangvu_domain::text::clean;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::Congress;
use crate::audit::{self, Actor, Change, Subject};
use crate::db::columns;
use crate::{Db, Row, StoreError, Tx, params};

/// The most seats of one kind a unit may get, and the most people in a list: the national
/// congress seats about 1,600 delegates; a members' congress of a large grassroots committee a
/// few thousand members.
pub const MAX_SEATS: u32 = 2_000;
pub const MAX_LIST: i64 = 5_000;

/// Refuses a change to the list once the congress has closed: its credentials and its base are
/// what the elections counted against.
fn still_open(congress: &Congress) -> Result<(), StoreError> {
    if congress.status == dangvu_domain::congresses::State::Closed {
        return Err(StoreError::invalid("status", "Đại hội đã bế mạc: danh sách đại biểu không đổi nữa"));
    }
    Ok(())
}

/// The seats of one unit below and how many of them its delegation fills.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeatRow {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub official: u32,
    pub alternates: u32,
    /// Officials in the list (elected or appointed, still sitting or replaced by an alternate).
    pub officials_named: u32,
    pub alternates_named: u32,
}

/// The seats of a congress, by unit, in the order of the units' names.
pub async fn seats(db: &Db, congress_id: i64) -> Result<Vec<SeatRow>, StoreError> {
    let rows = db
        .query(
            "SELECT s.org_id, v.name, s.official, s.alternates,
                    (SELECT COUNT(*) FROM congress_delegates d WHERE d.congress_id = s.congress_id AND d.org_id = s.org_id
                       AND d.role = 'official' AND d.source IN ('elected', 'appointed') AND d.replaces IS NULL),
                    (SELECT COUNT(*) FROM congress_delegates d WHERE d.congress_id = s.congress_id AND d.org_id = s.org_id
                       AND (d.role = 'alternate' OR d.replaces IS NOT NULL) AND d.source IN ('elected', 'appointed'))
             FROM congress_seats s JOIN org_versions v ON v.org_id = s.org_id AND v.valid_to IS NULL
             WHERE s.congress_id = $1 ORDER BY v.path",
            params![congress_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(SeatRow {
                org_id: r.id(0)?,
                org_name: r.text(1)?,
                official: r.int(2)? as u32,
                alternates: r.int(3)? as u32,
                officials_named: r.int(4)? as u32,
                alternates_named: r.int(5)? as u32,
            })
        })
        .collect()
}

/// The seats a unit holds in a congress, `None` when none were allocated.
async fn seats_of(tx: &mut Tx, congress_id: i64, org_id: OrgId) -> Result<Option<Seats>, StoreError> {
    let row = tx
        .query_one(
            "SELECT official, alternates FROM congress_seats WHERE congress_id = $1 AND org_id = $2",
            params![congress_id, org_id],
        )
        .await?;
    row.map(|r| Ok(Seats { official: r.int(0)? as u32, alternates: r.int(1)? as u32 })).transpose()
}

/// How many seats of `role` the delegation of `org_id` fills: an alternate who took an
/// official's place still fills an alternate's seat (the official's seat stays the replaced
/// official's).
async fn seats_taken(tx: &mut Tx, congress_id: i64, org_id: OrgId, role: Role) -> Result<u32, StoreError> {
    let sql = match role {
        Role::Official => {
            "SELECT COUNT(*) FROM congress_delegates WHERE congress_id = $1 AND org_id = $2
             AND role = 'official' AND replaces IS NULL AND source IN ('elected', 'appointed')"
        }
        Role::Alternate => {
            "SELECT COUNT(*) FROM congress_delegates WHERE congress_id = $1 AND org_id = $2
             AND (role = 'alternate' OR replaces IS NOT NULL) AND source IN ('elected', 'appointed')"
        }
    };
    Ok(tx.query_one(sql, params![congress_id, org_id]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0) as u32)
}

/// The organisation's path and name today, `None` when it does not exist today.
async fn org_today(tx: &mut Tx, org_id: OrgId) -> Result<Option<(String, String)>, StoreError> {
    let row = tx
        .query_one("SELECT path, name FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![org_id])
        .await?;
    row.map(|r| Ok((r.text(0)?, r.text(1)?))).transpose()
}

/// Allocates the seats of a delegates' congress to the units below its organisation, replacing
/// the allocation before. A unit's seats cannot fall below the delegates it already sent.
pub async fn set_seats(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    allocation: &[(OrgId, Seats)],
) -> Result<(), StoreError> {
    if congress.kind != CongressKind::Delegates {
        return Err(StoreError::invalid("kind", "Chỉ đại hội đại biểu mới phân bổ đại biểu"));
    }
    let congress = &super::lock(tx, congress.id).await?;
    still_open(congress)?;
    let (path, _) = org_today(tx, congress.org_id).await?.ok_or(StoreError::NotFound)?;
    let mut problems = Problems::new();
    let mut seen = std::collections::HashSet::new();
    for (i, (org_id, seats)) in allocation.iter().enumerate() {
        let field = format!("seats[{i}]");
        if !seen.insert(*org_id) {
            problems.add(&field, "Một đơn vị có tên hai lần trong bảng phân bổ");
            continue;
        }
        if seats.official > MAX_SEATS || seats.alternates > MAX_SEATS {
            problems.add(&field, format!("Số đại biểu của một đơn vị không quá {MAX_SEATS}"));
        }
        match org_today(tx, *org_id).await? {
            Some((unit, name)) if is_within(&unit, &path) && unit != path => {
                for role in Role::ALL {
                    let taken = seats_taken(tx, congress.id, *org_id, role).await?;
                    if taken > seats.of(role) {
                        problems.add(
                            &field,
                            format!(
                                "{name} đã có {taken} đại biểu {}: không giảm xuống {} được",
                                role.label().to_lowercase(),
                                seats.of(role)
                            ),
                        );
                    }
                }
            }
            _ => problems.add(&field, "Chỉ phân bổ đại biểu cho các đơn vị trực thuộc tổ chức đại hội"),
        }
    }
    let kept: Vec<i64> = allocation.iter().map(|(o, _)| i64::from(*o)).collect();
    for row in tx
        .query(
            "SELECT s.org_id, v.name FROM congress_seats s JOIN org_versions v ON v.org_id = s.org_id AND v.valid_to IS NULL
             WHERE s.congress_id = $1",
            params![congress.id],
        )
        .await?
    {
        let org_id: OrgId = row.id(0)?;
        if !kept.contains(&i64::from(org_id))
            && (seats_taken(tx, congress.id, org_id, Role::Official).await?
                + seats_taken(tx, congress.id, org_id, Role::Alternate).await?)
                > 0
        {
            problems.add("seats", format!("{} đã có đại biểu: giữ đơn vị này trong bảng phân bổ", row.text(1)?));
        }
    }
    problems.finish().map_err(StoreError::Invalid)?;
    tx.execute("DELETE FROM congress_seats WHERE congress_id = $1", params![congress.id]).await?;
    for (org_id, seats) in allocation {
        tx.execute(
            "INSERT INTO congress_seats (congress_id, org_id, official, alternates) VALUES ($1, $2, $3, $4)",
            params![congress.id, *org_id, i64::from(seats.official), i64::from(seats.alternates)],
        )
        .await?;
    }
    let total: (u32, u32) = allocation.iter().fold((0, 0), |(o, a), (_, s)| (o + s.official, a + s.alternates));
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CongressSeats,
            subject: Subject::congress(congress.id),
            before: None,
            after: Some(json!({
                "units": allocation.len(), "official": total.0, "alternates": total.1,
                "seats": allocation.iter().map(|(o, s)| json!([o, s.official, s.alternates])).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    Ok(())
}

/// One person in the list of a congress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delegate {
    pub id: i64,
    pub congress_id: i64,
    /// The number on the delegate's card, what the check-in desk types.
    pub card: u32,
    /// The delegation: the unit that sent them.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub full_name: String,
    /// `elected`, `ex_officio`, `appointed` or `member`.
    #[schema(value_type = String, example = "elected")]
    pub source: Source,
    /// `official` or `alternate`; an alternate who took an official's place is `official`.
    #[schema(value_type = String, example = "official")]
    pub role: Role,
    /// The order in the delegation (by votes when elected).
    pub rank: u32,
    pub votes: Option<u32>,
    pub election_id: Option<i64>,
    /// `awaiting`, `accepted`, `rejected` or `replaced`.
    #[schema(value_type = String, example = "accepted")]
    pub credentials: Credentials,
    /// The credentials committee's reason, or why an official was replaced.
    pub reason: String,
    /// The official whose place this alternate took.
    pub replaces: Option<i64>,
    /// At a members' congress, why the member is left out of the base (Điều 30).
    #[schema(value_type = Option<String>)]
    pub exclusion: Option<Exclusion>,
    /// The sessions the person checked in at, by number.
    pub present_at: Vec<u32>,
    /// What the credentials committee should look at (a probationary member, a member of
    /// another unit): findings to read, never a decision.
    pub concerns: Vec<String>,
}

impl Delegate {
    fn attendance(&self, up_to: Option<u32>) -> Attendance {
        Attendance {
            role: self.role,
            source: self.source,
            credentials: self.credentials,
            present: self.present_at.iter().any(|&n| up_to.is_none_or(|u| n <= u)),
            exclusion: self.exclusion,
        }
    }
}

columns! {
    mod col {
        id: "d.id",
        congress_id: "d.congress_id",
        card: "d.card",
        org_id: "d.org_id",
        org_name: "v.name",
        member_id: "d.member_id",
        full_name: "d.full_name",
        source: "d.source",
        role: "d.role",
        rank: "d.rank",
        votes: "d.votes",
        election_id: "d.election_id",
        credentials: "d.credentials",
        reason: "d.reason",
        replaces: "d.replaces",
        exclusion: "d.exclusion",
        member_full: "m.status",
        member_path: "mv.path",
        delegation_path: "v.path",
    }
}

const FROM: &str = "FROM congress_delegates d
    JOIN org_versions v ON v.org_id = d.org_id AND v.valid_to IS NULL
    LEFT JOIN members m ON m.id = d.member_id
    LEFT JOIN org_versions mv ON mv.org_id = m.org_id AND mv.valid_to IS NULL";

fn from_row(r: &Row) -> Result<Delegate, StoreError> {
    let member_full = r.opt_text(col::member_full)?.map(|s| s == "full");
    let in_delegation = match (r.opt_text(col::member_path)?, r.text(col::delegation_path)?) {
        (Some(member), delegation) => Some(is_within(&member, &delegation)),
        (None, _) => None,
    };
    Ok(Delegate {
        id: r.int(col::id)?,
        congress_id: r.int(col::congress_id)?,
        card: r.int(col::card)? as u32,
        org_id: r.id(col::org_id)?,
        org_name: r.text(col::org_name)?,
        member_id: r.opt_id(col::member_id)?,
        full_name: r.text(col::full_name)?,
        source: r.word(col::source, Source::parse)?,
        role: r.word(col::role, Role::parse)?,
        rank: r.int(col::rank)? as u32,
        votes: r.opt_int(col::votes)?.map(|v| v as u32),
        election_id: r.opt_int(col::election_id)?,
        credentials: r.word(col::credentials, Credentials::parse)?,
        reason: r.text(col::reason)?,
        replaces: r.opt_int(col::replaces)?,
        exclusion: r.opt_word(col::exclusion, Exclusion::parse)?,
        present_at: Vec::new(),
        concerns: rules::concerns(member_full, in_delegation).into_iter().map(String::from).collect(),
    })
}

fn list_sql() -> String {
    format!(
        "SELECT {} {FROM} WHERE d.congress_id = $1 ORDER BY v.path, d.role DESC, d.rank, d.id LIMIT {MAX_LIST}",
        col::SQL
    )
}

const CHECK_INS: &str = "SELECT c.delegate_id, s.number FROM congress_check_ins c
    JOIN congress_sessions s ON s.id = c.session_id WHERE s.congress_id = $1 ORDER BY s.number";

/// The people of `rows` with the sessions `check_ins` say they came to.
fn with_check_ins(rows: &[Row], check_ins: &[Row]) -> Result<Vec<Delegate>, StoreError> {
    let mut list = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let mut present: HashMap<i64, Vec<u32>> = HashMap::new();
    for r in check_ins {
        present.entry(r.int(0)?).or_default().push(r.int(1)? as u32);
    }
    for d in &mut list {
        d.present_at = present.remove(&d.id).unwrap_or_default();
    }
    Ok(list)
}

/// The list of a congress: by delegation (in the order of the tree), officials before
/// alternates, each in their rank; with the sessions each checked in at.
pub async fn delegates(db: &Db, congress_id: i64) -> Result<Vec<Delegate>, StoreError> {
    let rows = db.query(&list_sql(), params![congress_id]).await?;
    with_check_ins(&rows, &db.query(CHECK_INS, params![congress_id]).await?)
}

/// The list as a transaction sees it.
pub async fn delegates_in(tx: &mut Tx, congress_id: i64) -> Result<Vec<Delegate>, StoreError> {
    let rows = tx.query(&list_sql(), params![congress_id]).await?;
    with_check_ins(&rows, &tx.query(CHECK_INS, params![congress_id]).await?)
}

pub async fn delegate(db: &Db, id: i64) -> Result<Option<Delegate>, StoreError> {
    let sql = format!("SELECT {} {FROM} WHERE d.id = $1", col::SQL);
    let Some(mut d) = db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()? else {
        return Ok(None);
    };
    for r in db
        .query(
            "SELECT s.number FROM congress_check_ins c JOIN congress_sessions s ON s.id = c.session_id
             WHERE c.delegate_id = $1 ORDER BY s.number",
            params![id],
        )
        .await?
    {
        d.present_at.push(r.int(0)? as u32);
    }
    Ok(Some(d))
}

async fn delegate_in(tx: &mut Tx, id: i64) -> Result<Delegate, StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => format!("SELECT {} {FROM} WHERE d.id = $1 FOR UPDATE OF d", col::SQL),
        crate::Backend::Sqlite => format!("SELECT {} {FROM} WHERE d.id = $1", col::SQL),
    };
    from_row(&tx.query_one(&sql, params![id]).await?.ok_or(StoreError::NotFound)?)
}

/// The places a member holds in the congresses not yet closed: what the handbook shows.
pub async fn of_member(db: &Db, member_id: MemberId) -> Result<Vec<Delegate>, StoreError> {
    let sql = format!(
        "SELECT {} {FROM} JOIN congresses k ON k.id = d.congress_id
         WHERE d.member_id = $1 AND k.state <> 'closed' ORDER BY k.opens_on",
        col::SQL
    );
    db.query(&sql, params![member_id]).await?.iter().map(from_row).collect()
}

/// A person to add to the list.
#[derive(Debug, Clone)]
pub struct NewDelegate {
    pub org_id: OrgId,
    pub member_id: Option<MemberId>,
    pub full_name: String,
    pub source: Source,
    pub role: Role,
    pub votes: Option<u32>,
    pub election_id: Option<i64>,
}

/// Adds people to the list of a congress not yet closed, after checking each against the
/// seats of their delegation; every card numbered on from the last. All or none are added.
pub async fn add(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    list: &[NewDelegate],
) -> Result<Vec<i64>, StoreError> {
    let congress = &super::lock(tx, congress.id).await?;
    still_open(congress)?;
    let listed = tx
        .query_one("SELECT COUNT(*) FROM congress_delegates WHERE congress_id = $1", params![congress.id])
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    if listed + list.len() as i64 > MAX_LIST {
        return Err(StoreError::invalid("delegates", format!("Danh sách một đại hội tối đa {MAX_LIST} người")));
    }
    let (path, _) = org_today(tx, congress.org_id).await?.ok_or(StoreError::NotFound)?;
    let mut problems = Problems::new();
    let mut adding: HashMap<(OrgId, Role), u32> = HashMap::new();
    let mut names = Vec::with_capacity(list.len());
    // A summons of a members' congress names thousands of people from a few hundred units:
    // each unit is read once.
    let mut units: HashMap<OrgId, Option<(String, String)>> = HashMap::new();
    for (i, d) in list.iter().enumerate() {
        let field = |f: &str| if list.len() == 1 { f.to_owned() } else { format!("delegates[{i}].{f}") };
        let name = clean(&d.full_name);
        if name.is_empty() || name.chars().count() > 200 {
            problems.add(field("full_name"), "Họ tên từ 1 đến 200 ký tự");
        }
        names.push(name);
        if !d.source.fits(congress.kind) {
            problems.add(
                field("source"),
                format!("{} không dự {}", d.source.label(), congress.kind.label().to_lowercase()),
            );
        }
        if d.role == Role::Alternate && !d.source.takes_a_seat() {
            problems.add(field("role"), "Chỉ đại biểu bầu hoặc chỉ định mới có dự khuyết");
        }
        let unit = match units.get(&d.org_id) {
            Some(unit) => unit.clone(),
            None => {
                let unit = org_today(tx, d.org_id).await?;
                units.insert(d.org_id, unit.clone());
                unit
            }
        };
        match (&unit, d.source) {
            (Some((unit, _)), Source::ExOfficio) if *unit != path => {
                problems.add(field("org_id"), "Đại biểu đương nhiên thuộc đoàn của chính tổ chức đại hội")
            }
            (Some((unit, _)), Source::Elected | Source::Appointed) if !is_within(unit, &path) || *unit == path => {
                problems.add(field("org_id"), "Đoàn đại biểu phải là một đơn vị trực thuộc tổ chức đại hội")
            }
            (Some((unit, _)), Source::Member) if !is_within(unit, &path) => {
                problems.add(field("org_id"), "Đảng viên phải sinh hoạt trong đảng bộ của đại hội")
            }
            (None, _) => problems.add(field("org_id"), "Không có đơn vị này"),
            _ => {}
        }
        if let Some(member) = d.member_id {
            if tx.query_one("SELECT 1 FROM members WHERE id = $1", params![member]).await?.is_none() {
                problems.add(field("member_id"), "Không có đảng viên này");
            } else if tx
                .query_one(
                    "SELECT 1 FROM congress_delegates WHERE congress_id = $1 AND member_id = $2",
                    params![congress.id, member],
                )
                .await?
                .is_some()
                || list[..i].iter().any(|o| o.member_id == Some(member))
            {
                problems.add(field("member_id"), "Đảng viên này đã có trong danh sách đại hội");
            }
        }
        if d.source.takes_a_seat() {
            *adding.entry((d.org_id, d.role)).or_insert(0) += 1;
        }
    }
    let mut delegations: Vec<_> = adding.into_iter().collect();
    delegations.sort_by_key(|((o, r), _)| (i64::from(*o), r.as_str()));
    for ((org_id, role), n) in delegations {
        let seats = seats_of(tx, congress.id, org_id).await?;
        let taken = seats_taken(tx, congress.id, org_id, role).await?;
        let unit = units.get(&org_id).cloned().flatten().map(|(_, name)| name).unwrap_or_default();
        check_delegation(&unit, seats, role, taken, n, &mut problems);
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let last = tx
        .query_one("SELECT COALESCE(MAX(card), 0) FROM congress_delegates WHERE congress_id = $1", params![congress.id])
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    let mut ids = Vec::with_capacity(list.len());
    let mut ranks: HashMap<(OrgId, Role), i64> = HashMap::new();
    for (i, (d, name)) in list.iter().zip(&names).enumerate() {
        let rank = match ranks.get(&(d.org_id, d.role)) {
            Some(r) => r + 1,
            None => tx
                .query_one(
                    "SELECT COALESCE(MAX(rank), 0) + 1 FROM congress_delegates WHERE congress_id = $1 AND org_id = $2 AND role = $3",
                    params![congress.id, d.org_id, d.role.as_str()],
                )
                .await?
                .map(|r| r.int(0))
                .transpose()?
                .unwrap_or(1),
        };
        ranks.insert((d.org_id, d.role), rank);
        let id = tx
            .query_one(
                "INSERT INTO congress_delegates (congress_id, card, org_id, member_id, full_name, source, role, rank, votes,
                                                 election_id, credentials, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                params![
                    congress.id,
                    last + i as i64 + 1,
                    d.org_id,
                    d.member_id,
                    name.as_str(),
                    d.source.as_str(),
                    d.role.as_str(),
                    rank,
                    d.votes.map(i64::from),
                    d.election_id,
                    Credentials::Awaiting.as_str(),
                    actor.id,
                    crate::now_micros()
                ],
            )
            .await?
            .ok_or(StoreError::NotFound)?
            .int(0)?;
        ids.push(id);
    }
    // One entry for the batch: ids and sources, never a list of names in the log.
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DelegateAdd,
            subject: Subject::congress(congress.id),
            before: None,
            after: Some(json!({
                "delegates": ids,
                "delegations": list.iter().map(|d| json!([d.org_id, d.source.as_str(), d.role.as_str()])).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    Ok(ids)
}

/// The delegation a unit elected, read from the final result of its election: those elected,
/// in the order of their votes (the most first, then the ballot's order), as `role`.
pub async fn from_election(
    db: &Db,
    election: &crate::elections::Election,
    role: Role,
) -> Result<Vec<NewDelegate>, StoreError> {
    if !matches!(
        election.status,
        dangvu_domain::elections::state::State::Final | dangvu_domain::elections::state::State::Sealed
    ) {
        return Err(StoreError::invalid("election_id", "Cuộc bầu cử này chưa có kết quả cuối cùng"));
    }
    let Some((_, outcome)) = crate::elections::result(db, election).await? else {
        return Err(StoreError::invalid("election_id", "Cuộc bầu cử này chưa có kết quả cuối cùng"));
    };
    let mut elected: Vec<_> = outcome.standings.iter().filter(|s| s.elected).collect();
    elected.sort_by_key(|s| (std::cmp::Reverse(s.votes), s.number));
    Ok(elected
        .into_iter()
        .filter_map(|s| election.candidates.iter().find(|c| c.number == s.number).map(|c| (c, s.votes)))
        .map(|(c, votes)| NewDelegate {
            org_id: election.org_id,
            member_id: c.member_id,
            full_name: c.full_name.clone(),
            source: Source::Elected,
            role,
            votes: Some(votes),
            election_id: Some(election.id),
        })
        .collect())
}

/// The full members of the congress's organisation and every unit below it, as the list of a
/// members' congress: those not in it already.
pub async fn members_to_summon_in(tx: &mut Tx, congress: &Congress) -> Result<Vec<NewDelegate>, StoreError> {
    let row = tx.query_one(ORG_PATH, params![congress.org_id]).await?.ok_or(StoreError::NotFound)?;
    let path = row.text(0)?;
    let end = dangvu_domain::orgs::tree::subtree_end(&path);
    summons(tx.query(&summon_sql(), params![path.as_str(), end.as_str(), congress.id]).await?)
}

const ORG_PATH: &str = "SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL";

fn summon_sql() -> String {
    format!(
        "SELECT m.id, m.full_name, m.org_id FROM members m
         JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
         WHERE v.path >= $1 AND v.path < $2 AND m.status = 'full'
           AND NOT EXISTS (SELECT 1 FROM congress_delegates d WHERE d.congress_id = $3 AND d.member_id = m.id)
         ORDER BY v.path, m.search_text, m.id LIMIT {}",
        MAX_LIST + 1
    )
}

fn summons(rows: Vec<Row>) -> Result<Vec<NewDelegate>, StoreError> {
    if rows.len() as i64 > MAX_LIST {
        return Err(StoreError::invalid("members", format!("Hơn {MAX_LIST} đảng viên: hãy tổ chức đại hội đại biểu")));
    }
    rows.iter()
        .map(|r| {
            Ok(NewDelegate {
                org_id: r.id(2)?,
                member_id: Some(r.id(0)?),
                full_name: r.text(1)?,
                source: Source::Member,
                role: Role::Official,
                votes: None,
                election_id: None,
            })
        })
        .collect()
}

fn check_reason(reason: &str, required: bool, problems: &mut Problems) -> String {
    let reason = clean(reason);
    if required && reason.is_empty() {
        problems.add("reason", "Nêu lý do");
    } else if reason.chars().count() > 2_000 {
        problems.add("reason", "Lý do dài quá 2.000 ký tự");
    }
    reason
}

/// The credentials committee's decision on one delegate: accepted, or not with the reason.
pub async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<Delegate, StoreError> {
    let congress = &super::lock(tx, congress.id).await?;
    still_open(congress)?;
    let delegate = delegate_in(tx, id).await?;
    if delegate.congress_id != congress.id {
        return Err(StoreError::NotFound);
    }
    if decision == Decision::Replace {
        return Err(StoreError::invalid("decision", "Thay đại biểu bằng cách chọn đại biểu dự khuyết thay"));
    }
    let mut problems = Problems::new();
    let reason = check_reason(reason, decision == Decision::Reject, &mut problems);
    let next = match delegate.credentials.after(decision) {
        Ok(next) => Some(next),
        Err(why) => {
            problems.add("decision", why);
            None
        }
    };
    problems.finish().map_err(StoreError::Invalid)?;
    let next = next.ok_or(StoreError::NotFound)?;
    tx.execute(
        "UPDATE congress_delegates SET credentials = $2, reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
        params![id, next.as_str(), reason.as_str(), actor.id, crate::now_micros()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DelegateCredentials,
            subject: Subject::delegate(id),
            before: Some(json!({ "credentials": delegate.credentials.as_str() })),
            after: Some(json!({ "credentials": next.as_str(), "reason": reason })),
        },
    )
    .await?;
    Ok(Delegate { credentials: next, reason, ..delegate })
}

/// The credentials committee accepts everyone still awaiting review at once, as the congress
/// votes on the committee's report: those it rejects it rejects one by one, with a reason,
/// before. Answers how many were accepted.
pub async fn accept_awaiting(tx: &mut Tx, actor: &Actor, congress: &Congress) -> Result<u32, StoreError> {
    let congress = super::lock(tx, congress.id).await?;
    still_open(&congress)?;
    let ids: Vec<i64> = tx
        .query(
            "SELECT id FROM congress_delegates WHERE congress_id = $1 AND credentials = 'awaiting' ORDER BY id",
            params![congress.id],
        )
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(0);
    }
    tx.execute(
        "UPDATE congress_delegates SET credentials = 'accepted', decided_by = $2, decided_at = $3
         WHERE congress_id = $1 AND credentials = 'awaiting'",
        params![congress.id, actor.id, crate::now_micros()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DelegateCredentials,
            subject: Subject::congress(congress.id),
            before: Some(json!({ "credentials": "awaiting" })),
            after: Some(json!({ "credentials": "accepted", "delegates": ids })),
        },
    )
    .await?;
    Ok(ids.len() as u32)
}

/// An alternate takes the place of an official of the same delegation who cannot come or was
/// not accepted: the official leaves the list, the alternate becomes an official.
pub async fn substitute(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    official_id: i64,
    alternate_id: i64,
    reason: &str,
) -> Result<Delegate, StoreError> {
    let congress = &super::lock(tx, congress.id).await?;
    let official = delegate_in(tx, official_id).await?;
    let alternate = delegate_in(tx, alternate_id).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid("alternate_id", "Không có đại biểu dự khuyết này"),
        e => e,
    })?;
    if official.congress_id != congress.id {
        return Err(StoreError::NotFound);
    }
    let mut problems = Problems::new();
    if alternate.congress_id != congress.id {
        problems.add("alternate_id", "Đại biểu dự khuyết này không thuộc đại hội");
    }
    if congress.status == dangvu_domain::congresses::State::Closed {
        problems.add("status", "Đại hội đã bế mạc");
    }
    let reason = check_reason(reason, true, &mut problems);
    check_substitution(
        (official.role, official.source, official.credentials, i64::from(official.org_id)),
        (alternate.role, alternate.credentials, i64::from(alternate.org_id)),
        &mut problems,
    );
    problems.finish().map_err(StoreError::Invalid)?;
    let now = crate::now_micros();
    tx.execute(
        "UPDATE congress_delegates SET credentials = 'replaced', reason = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
        params![official_id, reason.as_str(), actor.id, now],
    )
    .await?;
    tx.execute(
        "UPDATE congress_delegates SET role = 'official', replaces = $2,
           rank = (SELECT rank FROM congress_delegates WHERE id = $2) WHERE id = $1",
        params![alternate_id, official_id],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DelegateSubstitution,
            subject: Subject::delegate(official_id),
            before: Some(json!({ "credentials": official.credentials.as_str() })),
            after: Some(json!({ "credentials": "replaced", "by": alternate_id, "reason": reason })),
        },
    )
    .await?;
    Ok(Delegate { role: Role::Official, replaces: Some(official_id), ..alternate })
}

/// At a members' congress, why the convening committee leaves a member out of the base
/// (Điều 30), or no reason.
pub async fn set_exclusion(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    id: i64,
    exclusion: Option<Exclusion>,
) -> Result<(), StoreError> {
    let congress = &super::lock(tx, congress.id).await?;
    still_open(congress)?;
    let delegate = delegate_in(tx, id).await?;
    if delegate.congress_id != congress.id {
        return Err(StoreError::NotFound);
    }
    if congress.kind != CongressKind::Members {
        // At a delegates' congress the exclusions of Điều 30 come from the check-ins.
        return Err(StoreError::invalid(
            "exclusion",
            "Đại hội đại biểu: số được trừ tính từ điểm danh, không ghi lý do cho từng người",
        ));
    }
    if let Some(e) = exclusion
        && !e.applies_to(congress.kind.election_kind())
    {
        return Err(StoreError::invalid(
            "exclusion",
            format!("Lý do \"{}\" không áp dụng cho {} (Điều 30)", e.label(), congress.kind.label().to_lowercase()),
        ));
    }
    tx.execute(
        "UPDATE congress_delegates SET exclusion = $2 WHERE id = $1",
        params![id, exclusion.map(|e| e.as_str())],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::DelegateExclusion,
            subject: Subject::delegate(id),
            before: Some(json!({ "exclusion": delegate.exclusion.map(|e| e.as_str()) })),
            after: Some(json!({ "exclusion": exclusion.map(|e| e.as_str()) })),
        },
    )
    .await?;
    Ok(())
}

/// A session of the congress (phiên họp): the preparatory session, the official sessions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Session {
    pub id: i64,
    pub congress_id: i64,
    pub number: u32,
    pub title: String,
    pub held_on: NaiveDate,
    /// Officials who sit and checked in.
    pub present: u32,
    /// Alternates and others who checked in without a vote.
    pub present_without_vote: u32,
}

pub async fn sessions(db: &Db, congress_id: i64) -> Result<Vec<Session>, StoreError> {
    let rows = db
        .query(
            "SELECT s.id, s.congress_id, s.number, s.title, s.held_on,
                    (SELECT COUNT(*) FROM congress_check_ins c JOIN congress_delegates d ON d.id = c.delegate_id
                      WHERE c.session_id = s.id AND d.role = 'official' AND d.credentials IN ('awaiting', 'accepted')),
                    (SELECT COUNT(*) FROM congress_check_ins c JOIN congress_delegates d ON d.id = c.delegate_id
                      WHERE c.session_id = s.id AND NOT (d.role = 'official' AND d.credentials IN ('awaiting', 'accepted')))
             FROM congress_sessions s WHERE s.congress_id = $1 ORDER BY s.number",
            params![congress_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Session {
                id: r.int(0)?,
                congress_id: r.int(1)?,
                number: r.int(2)? as u32,
                title: r.text(3)?,
                held_on: r.date(4)?,
                present: r.int(5)? as u32,
                present_without_vote: r.int(6)? as u32,
            })
        })
        .collect()
}

pub async fn session(db: &Db, id: i64) -> Result<Option<Session>, StoreError> {
    let Some(row) = db.query_one("SELECT congress_id FROM congress_sessions WHERE id = $1", params![id]).await? else {
        return Ok(None);
    };
    Ok(sessions(db, row.int(0)?).await?.into_iter().find(|s| s.id == id))
}

/// Opens the next session of a congress that has opened (in session).
pub async fn open_session(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    title: &str,
    held_on: NaiveDate,
) -> Result<i64, StoreError> {
    let congress = super::lock(tx, congress.id).await?;
    let mut problems = Problems::new();
    if congress.status != dangvu_domain::congresses::State::InSession {
        problems.add("status", "Chỉ điểm danh khi đại hội đang họp (đã khai mạc, chưa bế mạc)");
    }
    let title = clean(title);
    if title.is_empty() || title.chars().count() > 200 {
        problems.add("title", "Tên phiên họp từ 1 đến 200 ký tự");
    }
    if congress.opened_on.is_some_and(|o| held_on < o) {
        problems.add("held_on", "Phiên họp không trước ngày khai mạc");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let number = tx
        .query_one(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM congress_sessions WHERE congress_id = $1",
            params![congress.id],
        )
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(1);
    let id = tx
        .query_one(
            "INSERT INTO congress_sessions (congress_id, number, title, held_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            params![congress.id, number, title.as_str(), held_on, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::CongressSession,
            subject: Subject::congress(congress.id),
            before: None,
            after: Some(json!({ "session": id, "number": number, "title": title, "held_on": held_on })),
        },
    )
    .await?;
    Ok(id)
}

/// What the check-in desk hears back for the cards it typed.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CheckedIn {
    /// Cards checked in now.
    pub checked_in: Vec<u32>,
    /// Cards already checked in at this session.
    pub already: Vec<u32>,
    /// Cards of people who do not sit: not accepted or replaced.
    pub not_sitting: Vec<u32>,
    /// Numbers no card of this congress carries.
    pub unknown: Vec<u32>,
}

/// Checks in the cards typed at the desk for one session of a congress in session. Unknown
/// cards and people who do not sit are answered, never checked in.
pub async fn check_in(
    tx: &mut Tx,
    actor: &Actor,
    congress: &Congress,
    session_id: i64,
    cards: &[u32],
) -> Result<CheckedIn, StoreError> {
    let congress = super::lock(tx, congress.id).await?;
    if congress.status != dangvu_domain::congresses::State::InSession {
        return Err(StoreError::invalid("status", "Chỉ điểm danh khi đại hội đang họp"));
    }
    let owner = tx.query_one("SELECT congress_id FROM congress_sessions WHERE id = $1", params![session_id]).await?;
    if owner.map(|r| r.int(0)).transpose()? != Some(congress.id) {
        return Err(StoreError::NotFound);
    }
    if cards.len() > MAX_LIST as usize {
        return Err(StoreError::invalid("cards", format!("Tối đa {MAX_LIST} thẻ một lần")));
    }
    let mut done = CheckedIn::default();
    let mut cards = cards.to_vec();
    cards.sort_unstable();
    cards.dedup();
    // The list and who already came, read once: a desk may type a few hundred cards at once.
    let mut by_card: HashMap<u32, (i64, Credentials, bool)> = HashMap::new();
    for row in tx
        .query(
            "SELECT d.card, d.id, d.credentials,
                    (SELECT COUNT(*) FROM congress_check_ins c WHERE c.session_id = $2 AND c.delegate_id = d.id)
             FROM congress_delegates d WHERE d.congress_id = $1",
            params![congress.id, session_id],
        )
        .await?
    {
        by_card.insert(row.int(0)? as u32, (row.int(1)?, row.word(2, Credentials::parse)?, row.int(3)? > 0));
    }
    let now = crate::now_micros();
    let mut ids = Vec::new();
    for card in cards {
        match by_card.get(&card) {
            None => done.unknown.push(card),
            Some((_, credentials, _)) if !credentials.sits() => done.not_sitting.push(card),
            Some((_, _, true)) => done.already.push(card),
            Some((id, _, false)) => {
                tx.execute(
                    "INSERT INTO congress_check_ins (session_id, delegate_id, checked_in_by, checked_in_at) VALUES ($1, $2, $3, $4)",
                    params![session_id, *id, actor.id, now],
                )
                .await?;
                ids.push(*id);
                done.checked_in.push(card);
            }
        }
    }
    if !ids.is_empty() {
        audit::append(
            tx,
            actor,
            Change {
                action: Action::CongressCheckIn,
                subject: Subject::congress(congress.id),
                before: None,
                after: Some(json!({ "session": session_id, "delegates": ids })),
            },
        )
        .await?;
    }
    Ok(done)
}

/// The numbers an election at this congress takes (Điều 30), as of a session: those summoned,
/// the exclusions from the list and the check-ins up to it, and those present at it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ElectorsAt {
    /// The session counted to, `None` before the first.
    pub session: Option<u32>,
    pub summoned: u32,
    /// By reason of Điều 30.
    #[schema(value_type = Object)]
    pub excluded: std::collections::BTreeMap<Exclusion, u32>,
    pub base: u32,
    /// The least number of votes that is more than half of the base.
    pub threshold: u32,
    /// Officials who sit and checked in at the session: what a nomination from the floor counts
    /// "more than 30 % of those present" against.
    pub present: u32,
}

/// The electors of a congress as of session `number` (the latest when `None`).
pub async fn electors(db: &Db, congress: &Congress, number: Option<u32>) -> Result<ElectorsAt, StoreError> {
    let list = delegates(db, congress.id).await?;
    let sessions = sessions(db, congress.id).await?;
    let session = match number {
        Some(n) => Some(sessions.iter().find(|s| s.number == n).ok_or(StoreError::NotFound)?),
        None => sessions.last(),
    };
    let up_to = session.map(|s| s.number);
    let counted: Electors = rules::electors(congress.kind, list.iter().map(|d| d.attendance(up_to)));
    let present = session.map(|s| s.present).unwrap_or(0);
    Ok(ElectorsAt {
        session: up_to,
        summoned: counted.summoned,
        base: counted.base(),
        threshold: dangvu_domain::elections::majority_threshold(counted.base()),
        excluded: counted.excluded,
        present,
    })
}

/// What the register says of a person in the list, for the make-up of the delegates.
#[derive(Debug, Clone, Copy)]
pub struct MemberFacts {
    pub delegate_id: i64,
    pub female: bool,
    pub birth_date: NaiveDate,
    pub admitted_on: NaiveDate,
}

/// The register's facts of everyone in the list who has a record.
pub async fn member_facts(db: &Db, congress_id: i64) -> Result<Vec<MemberFacts>, StoreError> {
    let rows = db
        .query(
            "SELECT d.id, m.gender, m.birth_date, m.admitted_on FROM congress_delegates d
             JOIN members m ON m.id = d.member_id WHERE d.congress_id = $1",
            params![congress_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MemberFacts {
                delegate_id: r.int(0)?,
                female: r.text(1)? == "female",
                birth_date: r.date(2)?,
                admitted_on: r.date(3)?,
            })
        })
        .collect()
}
