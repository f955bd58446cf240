//! The posts of each organisation: how many seats each has (its structure), who holds them,
//! since when and by which decision, and what a subtree lacks or will lack (the gaps, and the
//! holders who reach a limit of age or terms).

use std::collections::HashMap;

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::Gender;
use dangvu_domain::members::member::age_on;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::personnel::limits::ramp;
use dangvu_domain::personnel::{
    HolderFacts, Limit, PersonnelRules, Post, Term, consecutive_terms, holder_limits, retirement_date,
};
use dangvu_domain::text::clean;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::Row;
use crate::{Db, StoreError, Tx, params};

/// One holder of a post, with what the rules say of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Holder {
    pub id: i64,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_id: Option<i64>,
    /// The board a head of board heads.
    pub body_name: Option<String>,
    pub term: String,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub full_name: String,
    pub age: Option<u32>,
    /// The day the holder reaches the retirement age (NĐ 135/2020).
    pub retires_on: Option<NaiveDate>,
    /// Terms in this post of this organisation without a break, this one included.
    pub consecutive_terms: u32,
    /// The election whose approved result gave the post, or `null` for an appointment.
    pub election_id: Option<i64>,
    /// The decision that appointed them (number and date as written).
    pub decision: Option<String>,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// The limits reached this term or the next (none once the holder has left).
    pub limits: Vec<Limit>,
}

/// A post of an organisation: its seats and its holders now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostRow {
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_id: Option<i64>,
    pub body_name: Option<String>,
    pub seats: u32,
    /// Whether the seats were set (the structure), or only assumed (one secretary).
    pub seats_set: bool,
    pub holders: Vec<Holder>,
}

/// The posts of one organisation, and the holders who have left them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgPosts {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub posts: Vec<PostRow>,
    pub past: Vec<Holder>,
}

/// A post of the subtree with fewer holders than seats.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Gap {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String, example = "secretary")]
    pub post: Post,
    pub post_label: &'static str,
    pub body_name: Option<String>,
    pub seats: u32,
    pub held: u32,
}

/// What a subtree lacks and will lack: the posts short of holders, and the holders who reach
/// an age or term limit this term or the next, the earliest first; and the same counted for
/// each unit directly below the top (the top's own posts first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LimitsReport {
    pub on: NaiveDate,
    pub orgs: u32,
    pub seats: u32,
    pub held: u32,
    pub gaps: Vec<Gap>,
    pub limits: Vec<Holder>,
    pub units: Vec<UnitFigures>,
}

/// The figures of one unit directly below the top of a subtree, its own subtree counted.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct UnitFigures {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub orgs: u32,
    pub seats: u32,
    pub held: u32,
    /// Seats without a holder.
    pub vacant: u32,
    /// Holders who reach a limit this term or the next.
    pub at_limit: u32,
    /// Cases of the five-step procedure under way, and those of them past a deadline.
    pub cases_open: u32,
    pub cases_late: u32,
}

/// The seats of one post, as the structure sets them.
#[derive(Debug, Clone)]
pub struct SeatCount {
    pub post: Post,
    pub body_id: Option<i64>,
    pub seats: u32,
}

/// An appointment (or a holder of an earlier term, recorded with `until`).
#[derive(Debug, Clone)]
pub struct NewHolder {
    pub org_id: OrgId,
    pub post: Post,
    pub body_id: Option<i64>,
    pub member_id: MemberId,
    pub term: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub decision: String,
}

type SeatKey = (OrgId, Post, Option<i64>);

/// The organisations of a subtree on `on`: id → (name, path).
async fn subtree_orgs(db: &Db, path: &str, on: NaiveDate) -> Result<HashMap<OrgId, (String, String)>, StoreError> {
    let rows = db
        .query(
            "SELECT org_id, name, path FROM org_versions
             WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND path >= $2 AND path < $3",
            params![on, path, subtree_end(path)],
        )
        .await?;
    rows.iter().map(|r| Ok((r.id(0)?, (r.text(1)?, r.text(2)?)))).collect()
}

const IN_SUBTREE: &str = "IN (SELECT org_id FROM org_versions
     WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND path >= $2 AND path < $3)";

struct HolderRow {
    id: i64,
    org_id: OrgId,
    post: Post,
    body_id: Option<i64>,
    term: String,
    member_id: Option<MemberId>,
    full_name: String,
    election_id: Option<i64>,
    decision: Option<String>,
    since: NaiveDate,
    until: Option<NaiveDate>,
    end_reason: Option<String>,
    gender: Option<Gender>,
    birth_date: Option<NaiveDate>,
}

const HOLDER_COLUMNS: &str = "h.id, h.org_id, h.post, h.body_id, h.term, h.member_id, h.full_name, h.election_id,
     h.decision, h.since, h.until, h.end_reason, m.gender, m.birth_date";

fn holder_row(r: &Row) -> Result<HolderRow, StoreError> {
    Ok(HolderRow {
        id: r.int(0)?,
        org_id: r.id(1)?,
        post: r.word(2, Post::parse)?,
        body_id: r.opt_int(3)?,
        term: r.text(4)?,
        member_id: r.opt_id(5)?,
        full_name: r.text(6)?,
        election_id: r.opt_int(7)?,
        decision: r.opt_text(8)?,
        since: r.date(9)?,
        until: r.opt_date(10)?,
        end_reason: r.opt_text(11)?,
        gender: r.opt_word(12, Gender::parse)?,
        birth_date: r.opt_date(13)?,
    })
}

/// The holders of the rows, current and past, with their ages, terms and limits on `on`.
fn holders_of(
    rows: Vec<HolderRow>,
    orgs: &HashMap<OrgId, (String, String)>,
    bodies: &HashMap<i64, String>,
    rules: &PersonnelRules,
    on: NaiveDate,
) -> Vec<Holder> {
    // The terms each person held in each post of each organisation, for the consecutive terms.
    let mut held: HashMap<(OrgId, Post, Option<i64>, MemberId), Vec<Term>> = HashMap::new();
    for r in &rows {
        if let (Some(m), Some(t)) = (r.member_id, Term::parse(&r.term)) {
            held.entry((r.org_id, r.post, r.body_id, m)).or_default().push(t);
        }
    }
    rows.into_iter()
        .map(|r| {
            let term = Term::parse(&r.term);
            let terms = r.member_id.and_then(|m| held.get(&(r.org_id, r.post, r.body_id, m)));
            let consecutive = match (term, terms) {
                (Some(t), Some(all)) => consecutive_terms(all, t),
                _ => 1,
            };
            let person = r.gender.zip(r.birth_date);
            let limits = match (person, term) {
                (Some((gender, birth_date)), Some(term)) if r.until.is_none() => holder_limits(
                    &HolderFacts {
                        post: r.post,
                        gender,
                        birth_date,
                        term,
                        since: r.since,
                        consecutive_terms: consecutive,
                    },
                    rules,
                ),
                _ => Vec::new(),
            };
            Holder {
                id: r.id,
                org_id: r.org_id,
                org_name: orgs.get(&r.org_id).map(|o| o.0.clone()).unwrap_or_default(),
                post: r.post,
                post_label: r.post.label(),
                body_id: r.body_id,
                body_name: r.body_id.and_then(|b| bodies.get(&b).cloned()),
                term: r.term,
                member_id: r.member_id,
                full_name: r.full_name,
                age: r.birth_date.map(|b| age_on(b, on)),
                retires_on: person.map(|(g, b)| retirement_date(b, ramp(rules, g))),
                consecutive_terms: consecutive,
                election_id: r.election_id,
                decision: r.decision,
                since: r.since,
                until: r.until,
                end_reason: r.end_reason,
                limits,
            }
        })
        .collect()
}

async fn bodies_in(db: &Db, sql_filter: &str, params: &[crate::db::Value]) -> Result<HashMap<i64, String>, StoreError> {
    let rows = db.query(&format!("SELECT id, name FROM bodies WHERE org_id {sql_filter}"), params).await?;
    rows.iter().map(|r| Ok((r.int(0)?, r.text(1)?))).collect()
}

/// The seats of each post, and which of them the structure set (the others are assumed).
struct Seats {
    count: HashMap<SeatKey, u32>,
    set: std::collections::HashSet<SeatKey>,
}

/// The seats of every post set for the organisations, and one secretary for each organisation
/// whose structure does not say otherwise.
fn seats_with_default(rows: &[Row], orgs: impl Iterator<Item = OrgId>) -> Result<Seats, StoreError> {
    let mut seats = Seats { count: HashMap::new(), set: Default::default() };
    for r in rows {
        let key = (r.id(0)?, r.word(1, Post::parse)?, r.opt_int(2)?);
        seats.count.insert(key, u32::try_from(r.int(3)?).unwrap_or(0));
        seats.set.insert(key);
    }
    for org in orgs {
        seats.count.entry((org, Post::Secretary, None)).or_insert(1);
    }
    Ok(seats)
}

/// The posts of one organisation with their seats and holders, on `on`.
pub async fn org_posts(
    db: &Db,
    org_id: OrgId,
    org_name: &str,
    rules: &PersonnelRules,
    on: NaiveDate,
) -> Result<OrgPosts, StoreError> {
    let rows = db
        .query(
            &format!(
                "SELECT {HOLDER_COLUMNS} FROM post_holders h LEFT JOIN members m ON m.id = h.member_id
                 WHERE h.org_id = $1 ORDER BY h.since DESC, h.id LIMIT 5000"
            ),
            params![org_id],
        )
        .await?;
    let rows = rows.iter().map(holder_row).collect::<Result<Vec<_>, _>>()?;
    let orgs = HashMap::from([(org_id, (org_name.to_owned(), String::new()))]);
    let bodies = bodies_in(db, "= $1", params![org_id]).await?;
    let holders = holders_of(rows, &orgs, &bodies, rules, on);
    let seat_rows =
        db.query("SELECT org_id, post, body_id, seats FROM post_seats WHERE org_id = $1", params![org_id]).await?;
    let Seats { count: seats, set } = seats_with_default(&seat_rows, std::iter::once(org_id))?;
    let mut keys: Vec<SeatKey> = seats.keys().copied().collect();
    for h in holders.iter().filter(|h| h.until.is_none()) {
        if !seats.contains_key(&(org_id, h.post, h.body_id)) {
            keys.push((org_id, h.post, h.body_id));
        }
    }
    keys.sort();
    keys.dedup();
    let (current, past): (Vec<Holder>, Vec<Holder>) = holders.into_iter().partition(|h| h.until.is_none());
    let posts = keys
        .into_iter()
        .map(|key @ (_, post, body_id)| PostRow {
            post,
            post_label: post.label(),
            body_id,
            body_name: body_id.and_then(|b| bodies.get(&b).cloned()),
            seats: seats.get(&key).copied().unwrap_or(0),
            seats_set: set.contains(&key),
            holders: current.iter().filter(|h| (h.post, h.body_id) == (post, body_id)).cloned().collect(),
        })
        .collect();
    Ok(OrgPosts { org_id, org_name: org_name.to_owned(), posts, past })
}

/// The gaps and limits of the subtree at `path`, on `on`; `cases` are the subtree's cases of
/// the five-step procedure (`nominations::cases_in`), which the per-unit figures count and the
/// caller usually shows too: read once, by the caller.
pub async fn limits(
    db: &Db,
    path: &str,
    rules: &PersonnelRules,
    cases: &[super::nominations::Case],
    on: NaiveDate,
) -> Result<LimitsReport, StoreError> {
    let orgs = subtree_orgs(db, path, on).await?;
    let scope = params![on, path, subtree_end(path)];
    let rows = db
        .query(
            &format!(
                "SELECT {HOLDER_COLUMNS} FROM post_holders h LEFT JOIN members m ON m.id = h.member_id
                 WHERE h.org_id {IN_SUBTREE}"
            ),
            scope,
        )
        .await?;
    let rows = rows.iter().map(holder_row).collect::<Result<Vec<_>, _>>()?;
    let bodies = bodies_in(db, IN_SUBTREE, scope).await?;
    let holders = holders_of(rows, &orgs, &bodies, rules, on);
    let seat_rows = db
        .query(&format!("SELECT org_id, post, body_id, seats FROM post_seats WHERE org_id {IN_SUBTREE}"), scope)
        .await?;
    let seats = seats_with_default(&seat_rows, orgs.keys().copied())?.count;
    let mut held: HashMap<SeatKey, u32> = HashMap::new();
    for h in holders.iter().filter(|h| h.until.is_none()) {
        *held.entry((h.org_id, h.post, h.body_id)).or_default() += 1;
    }
    let path_of = |o: &OrgId| orgs.get(o).map(|x| x.1.as_str()).unwrap_or("");
    let mut gaps: Vec<Gap> = seats
        .iter()
        .filter(|(key, seats)| held.get(key).copied().unwrap_or(0) < **seats)
        .map(|(key @ (org_id, post, body_id), seats)| Gap {
            org_id: *org_id,
            org_name: orgs.get(org_id).map(|o| o.0.clone()).unwrap_or_default(),
            post: *post,
            post_label: post.label(),
            body_name: body_id.and_then(|b| bodies.get(&b).cloned()),
            seats: *seats,
            held: held.get(key).copied().unwrap_or(0),
        })
        .collect();
    gaps.sort_by(|a, b| (path_of(&a.org_id), a.post).cmp(&(path_of(&b.org_id), b.post)));
    let mut limits: Vec<Holder> = holders.into_iter().filter(|h| h.until.is_none() && !h.limits.is_empty()).collect();
    limits.sort_by(|a, b| {
        let first = |h: &Holder| h.limits.iter().filter_map(|l| l.on).min().unwrap_or(NaiveDate::MAX);
        (first(a), path_of(&a.org_id), a.post).cmp(&(first(b), path_of(&b.org_id), b.post))
    });
    // The unit of an organisation: the top itself, or the first organisation below the top on
    // its path (`/1/5/9/` under `/1/` is unit 5).
    let unit_of = |o: &OrgId| -> Option<OrgId> {
        let p = orgs.get(o).map(|x| x.1.as_str())?;
        match p.strip_prefix(path)?.split('/').next().filter(|s| !s.is_empty()) {
            Some(first) => first.parse::<i64>().ok().map(OrgId::from),
            None => Some(*o),
        }
    };
    let mut units: HashMap<OrgId, UnitFigures> = HashMap::new();
    let mut unit = |o: &OrgId, add: &dyn Fn(&mut UnitFigures)| {
        if let Some(u) = unit_of(o) {
            add(units.entry(u).or_insert_with(|| UnitFigures { org_id: u, ..Default::default() }));
        }
    };
    for o in orgs.keys() {
        unit(o, &|u| u.orgs += 1);
    }
    for (key, n) in &seats {
        let h = held.get(key).copied().unwrap_or(0);
        unit(&key.0, &|u| {
            u.seats += n;
            u.held += h.min(*n);
            u.vacant += n.saturating_sub(h);
        });
    }
    for h in &limits {
        unit(&h.org_id, &|u| u.at_limit += 1);
    }
    for c in cases.iter().filter(|c| c.step.is_open()) {
        let late = u32::from(!c.late.is_empty());
        unit(&c.org_id, &|u| {
            u.cases_open += 1;
            u.cases_late += late;
        });
    }
    let mut units: Vec<UnitFigures> = units
        .into_values()
        .map(|mut u| {
            u.org_name = orgs.get(&u.org_id).map(|o| o.0.clone()).unwrap_or_default();
            u
        })
        .collect();
    units.sort_by(|a, b| {
        (path_of(&a.org_id).len(), path_of(&a.org_id)).cmp(&(path_of(&b.org_id).len(), path_of(&b.org_id)))
    });
    Ok(LimitsReport {
        on,
        orgs: u32::try_from(orgs.len()).unwrap_or(u32::MAX),
        seats: seats.values().sum(),
        held: held.values().sum(),
        gaps,
        limits,
        units,
    })
}

/// The reference of a decision as typed (number and date): cleaned, 1–200 characters.
pub(super) fn decision_text(raw: &str) -> Result<String, StoreError> {
    let decision = clean(raw);
    if decision.is_empty() || decision.chars().count() > 200 {
        return Err(StoreError::invalid("decision", "Ghi số và ngày của quyết định (tối đa 200 ký tự)"));
    }
    Ok(decision)
}

/// Whether the board belongs to the organisation, as a head of board's post needs (and only it).
pub(super) async fn check_board(
    tx: &mut Tx,
    org_id: OrgId,
    post: Post,
    body_id: Option<i64>,
) -> Result<(), StoreError> {
    match (post.names_a_board(), body_id) {
        (true, None) => Err(StoreError::invalid("body_id", "Hãy chọn ban mà người này đứng đầu")),
        (false, Some(_)) => Err(StoreError::invalid("body_id", "Chỉ chức danh trưởng ban mới gắn với một ban")),
        (false, None) => Ok(()),
        (true, Some(b)) => {
            match tx.query_one("SELECT 1 FROM bodies WHERE id = $1 AND org_id = $2", params![b, org_id]).await? {
                Some(_) => Ok(()),
                None => Err(StoreError::invalid("body_id", "Không có ban này trong tổ chức")),
            }
        }
    }
}

/// Sets the seats of the posts given; the others keep theirs.
pub async fn set_seats(tx: &mut Tx, actor: &Actor, org_id: OrgId, seats: &[SeatCount]) -> Result<(), StoreError> {
    for s in seats {
        check_board(tx, org_id, s.post, s.body_id).await?;
        if s.seats > 500 {
            return Err(StoreError::invalid("seats", "Số lượng mỗi chức danh từ 0 đến 500"));
        }
        if s.post.is_single() && s.seats > 1 {
            return Err(StoreError::invalid("seats", format!("{} chỉ có một người", s.post.label())));
        }
    }
    for s in seats {
        let updated = tx
            .execute(
                "UPDATE post_seats SET seats = $4 WHERE org_id = $1 AND post = $2 AND COALESCE(body_id, 0) = COALESCE($3, 0)",
                params![org_id, s.post.as_str(), s.body_id, i64::from(s.seats)],
            )
            .await?;
        if updated == 0 {
            tx.execute(
                "INSERT INTO post_seats (org_id, post, body_id, seats) VALUES ($1, $2, $3, $4)",
                params![org_id, s.post.as_str(), s.body_id, i64::from(s.seats)],
            )
            .await?;
        }
    }
    let after: Vec<_> =
        seats.iter().map(|s| json!({"post": s.post.as_str(), "body_id": s.body_id, "seats": s.seats})).collect();
    audit::append(
        tx,
        actor,
        Change { action: Action::PostSeats, subject: Subject::org(org_id), before: None, after: Some(json!(after)) },
    )
    .await?;
    Ok(())
}

/// Records a holder appointed to a post (or one of an earlier term, with `until`). A single
/// post's holder in place steps down the day the new one starts.
pub async fn record_holder(tx: &mut Tx, actor: &Actor, new: NewHolder) -> Result<i64, StoreError> {
    check_board(tx, new.org_id, new.post, new.body_id).await?;
    let Some(term) = Term::parse(&new.term) else {
        return Err(StoreError::invalid("term", "Nhiệm kỳ viết như 2025-2030"));
    };
    if new.until.is_some_and(|u| u <= new.since) {
        return Err(StoreError::invalid("until", "Ngày thôi giữ chức sau ngày bắt đầu"));
    }
    let decision = decision_text(&new.decision)?;
    let member = tx.query_one("SELECT full_name, ended_on FROM members WHERE id = $1", params![new.member_id]).await?;
    let Some(member) = member else { return Err(StoreError::invalid("member_id", "Không có đảng viên này")) };
    if new.until.is_none() && member.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("member_id", "Đảng viên này đã ra khỏi danh sách"));
    }
    let (post, body) = (new.post.as_str(), new.body_id);
    if new.until.is_none() {
        let same = tx
            .query_one(
                "SELECT 1 FROM post_holders WHERE org_id = $1 AND post = $2 AND COALESCE(body_id, 0) = COALESCE($3, 0)
                 AND member_id = $4 AND until IS NULL",
                params![new.org_id, post, body, new.member_id],
            )
            .await?;
        if same.is_some() {
            return Err(StoreError::invalid("member_id", "Người này đang giữ chức danh này"));
        }
        if new.post.is_single() {
            tx.execute(
                "UPDATE post_holders SET until = $4, end_reason = $5
                 WHERE org_id = $1 AND post = $2 AND COALESCE(body_id, 0) = COALESCE($3, 0) AND until IS NULL",
                params![new.org_id, post, body, new.since, "Có người được bổ nhiệm thay"],
            )
            .await?;
        } else {
            let full = tx
                .query_one(
                    "SELECT s.seats, (SELECT COUNT(*) FROM post_holders h WHERE h.org_id = s.org_id AND h.post = s.post
                        AND COALESCE(h.body_id, 0) = COALESCE(s.body_id, 0) AND h.until IS NULL)
                     FROM post_seats s WHERE s.org_id = $1 AND s.post = $2 AND COALESCE(s.body_id, 0) = COALESCE($3, 0)",
                    params![new.org_id, post, body],
                )
                .await?;
            if let Some(r) = full
                && r.int(1)? >= r.int(0)?
            {
                return Err(StoreError::invalid("post", "Chức danh này đã đủ số lượng theo cơ cấu"));
            }
        }
    }
    let full_name = member.text(0)?;
    let id = tx
        .query_one(
            "INSERT INTO post_holders (org_id, post, body_id, term, member_id, full_name, decision, since, until)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            params![
                new.org_id,
                post,
                body,
                term.to_string(),
                new.member_id,
                full_name.as_str(),
                decision.as_str(),
                new.since,
                new.until
            ],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PostHolder,
            subject: Subject::post_holder(id),
            before: None,
            after: Some(json!({"org_id": new.org_id, "post": post, "body_id": body, "term": term.to_string(),
                "member_id": new.member_id, "decision": decision, "since": new.since, "until": new.until})),
        },
    )
    .await?;
    Ok(id)
}

/// A holder steps down (retirement, transfer, discipline …) on `until`. Answers the holder's
/// organisation, for the caller's scope check made before.
pub async fn end_holder(tx: &mut Tx, actor: &Actor, id: i64, until: NaiveDate, reason: &str) -> Result<(), StoreError> {
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(StoreError::invalid("reason", "Ghi lý do thôi giữ chức (tối đa 500 ký tự)"));
    }
    let row = tx.query_one("SELECT since, until FROM post_holders WHERE id = $1", params![id]).await?;
    let row = row.ok_or(StoreError::NotFound)?;
    if row.opt_date(1)?.is_some() {
        return Err(StoreError::invalid("until", "Người này đã thôi giữ chức"));
    }
    if until <= row.date(0)? {
        return Err(StoreError::invalid("until", "Ngày thôi giữ chức sau ngày bắt đầu"));
    }
    tx.execute(
        "UPDATE post_holders SET until = $2, end_reason = $3 WHERE id = $1",
        params![id, until, reason.as_str()],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::PostHolderEnd,
            subject: Subject::post_holder(id),
            before: None,
            after: Some(json!({"until": until, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// The organisation a holder's record belongs to.
pub async fn holder_org(db: &Db, id: i64) -> Result<Option<OrgId>, StoreError> {
    db.query_one("SELECT org_id FROM post_holders WHERE id = $1", params![id]).await?.map(|r| r.id(0)).transpose()
}
