//! The members registry: records with their history of cells and status, transfers, and
//! the member totals of every organisation's subtree, kept on each change.

pub mod admissions;
mod bulk;
pub mod classifications;
pub mod figures;
pub mod import_drafts;
mod inactive;
mod life;
mod record;
mod search;
mod transfers;

pub use bulk::{BulkBatch, BulkLoad, BulkRows, cells_by_code};
pub use inactive::{
    InactivePeriodRecord, NewInactivePeriod, REASONS as INACTIVE_REASONS, Readmission, delete_inactive_period,
    inactive_periods, readmit, record_inactive_period,
};
pub use life::{end_membership, recognize, set_exemption};
pub use record::{AdmissionDates, Identity, correct, correct_admission};
pub use search::{Found, Search, SearchCursor, search};
pub use transfers::{
    NewTransfer, Transfer, confirm_transfer, pending_transfers, transfer, transfer_target, transfers_of,
};

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{
    Gender, MemberStatus, MembershipEnd, MembershipRules, PartyAge, party_age, probation_ends_on,
};
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree;
use dangvu_domain::text::{clean, fold};
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::db::{columns, insert_sql};
use crate::{Db, Row, StoreError, Tx, params};

/// A member's record. `national_id`, `phone` and `card_number` are sensitive: the web
/// layer blanks them for roles that do not need them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    #[schema(value_type = i64)]
    pub id: MemberId,
    /// The cell (or grassroots cell) the member belongs to.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// `male` or `female`.
    #[schema(value_type = String)]
    pub gender: Gender,
    /// `probationary` or `full`.
    #[schema(value_type = String)]
    pub status: MemberStatus,
    /// The date of the admission decision.
    pub admitted_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub card_number: Option<String>,
    /// Exempt from party activities (miễn sinh hoạt), since when and why.
    pub exempt: bool,
    pub exempt_since: Option<NaiveDate>,
    pub exempt_reason: Option<String>,
    pub ended_on: Option<NaiveDate>,
    /// `removed_from_list`, `expelled`, `resigned` or `deceased`.
    #[schema(value_type = Option<String>)]
    pub end_kind: Option<MembershipEnd>,
    /// 12 months from the ceremony, for a probationary member (Điều lệ Đảng, Điều 5).
    pub probation_ends_on: Option<NaiveDate>,
    /// From the first admission decision to today (or the end of membership), minus the
    /// periods out (§4.4).
    pub party_age: PartyAge,
    /// The periods out that party age leaves out, oldest first.
    pub inactive_periods: Vec<InactivePeriodRecord>,
    /// Times re-admitted after leaving the Party.
    pub readmissions: i64,
}

columns! {
    /// The columns a row is read from, in one place.
    mod col {
        id: "m.id",
        org_id: "m.org_id",
        full_name: "m.full_name",
        birth_date: "m.birth_date",
        gender: "m.gender",
        status: "m.status",
        admitted_on: "m.admitted_on",
        ceremony_on: "m.ceremony_on",
        official_on: "m.official_on",
        national_id: "m.national_id",
        phone: "m.phone",
        card_number: "m.card_number",
        exempt: "m.exempt",
        ended_on: "m.ended_on",
        end_kind: "m.end_kind",
        org_name: "(SELECT v.name FROM org_versions v WHERE v.org_id = m.org_id ORDER BY v.valid_from DESC LIMIT 1)",
        exempt_since: "m.exempt_since",
        exempt_reason: "m.exempt_reason",
        inactive_periods: "m.inactive_periods",
        readmissions: "m.readmissions",
    }
}

const COLUMNS: &str = col::SQL;

fn from_row(r: &Row, today: NaiveDate, rules: &MembershipRules) -> Result<Member, StoreError> {
    let status = r.word(col::status, MemberStatus::parse)?;
    let admitted_on = r.date(col::admitted_on)?;
    let ceremony_on = r.opt_date(col::ceremony_on)?;
    let ended_on = r.opt_date(col::ended_on)?;
    Ok(Member {
        id: r.id(col::id)?,
        org_id: r.id(col::org_id)?,
        full_name: r.text(col::full_name)?,
        birth_date: r.date(col::birth_date)?,
        gender: r.word(col::gender, Gender::parse)?,
        probation_ends_on: match (status, ceremony_on) {
            (MemberStatus::Probationary, Some(c)) => Some(probation_ends_on(c, rules)),
            _ => None,
        },
        status,
        admitted_on,
        ceremony_on,
        official_on: r.opt_date(col::official_on)?,
        national_id: r.opt_text(col::national_id)?,
        phone: r.opt_text(col::phone)?,
        card_number: r.opt_text(col::card_number)?,
        exempt: r.bool(col::exempt)?,
        exempt_since: r.opt_date(col::exempt_since)?,
        exempt_reason: r.opt_text(col::exempt_reason)?,
        ended_on,
        end_kind: r.opt_word(col::end_kind, MembershipEnd::parse)?,
        org_name: r.opt_text(col::org_name)?.unwrap_or_default(),
        party_age: party_age(admitted_on, &[], ended_on.unwrap_or(today).min(today)),
        inactive_periods: Vec::new(),
        readmissions: r.int(col::readmissions)?,
    })
}

/// Whether the row's member has periods out (read separately, for the few who have any).
fn has_periods(r: &Row) -> Result<bool, StoreError> {
    Ok(r.int(col::inactive_periods)? > 0)
}

/// Reads the periods out of the members that have any and counts their party age again.
async fn with_periods(
    db: &Db,
    rows: &[Row],
    mut list: Vec<Member>,
    today: NaiveDate,
) -> Result<Vec<Member>, StoreError> {
    let ids: Vec<MemberId> = rows.iter().zip(&list).filter_map(|(r, m)| has_periods(r).ok()?.then_some(m.id)).collect();
    if ids.is_empty() {
        return Ok(list);
    }
    let mut periods = inactive::periods_of(db, &ids).await?;
    for m in &mut list {
        if let Some(p) = periods.remove(&m.id) {
            let spans: Vec<_> = p.iter().map(InactivePeriodRecord::period).collect();
            m.party_age = party_age(m.admitted_on, &spans, m.ended_on.unwrap_or(today).min(today));
            m.inactive_periods = p;
        }
    }
    Ok(list)
}

pub async fn get(db: &Db, id: MemberId, today: NaiveDate) -> Result<Option<Member>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM members m WHERE m.id = $1");
    let Some(r) = db.query_one(&sql, params![id]).await? else { return Ok(None) };
    let rules = crate::settings::get(db).await?.membership_rules;
    let m = from_row(&r, today, &rules)?;
    Ok(with_periods(db, &[r], vec![m], today).await?.pop())
}

/// The cell a member belongs to (the last one, for a membership that ended); `None` for no
/// such member.
pub async fn cell_of(db: &Db, id: MemberId) -> Result<Option<OrgId>, StoreError> {
    db.query_one("SELECT org_id FROM members WHERE id = $1", params![id]).await?.map(|r| r.id(0)).transpose()
}

/// A member as entered, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct NewMember {
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: String,
    pub status: String,
    pub admitted_on: Option<NaiveDate>,
    pub ceremony_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub card_number: Option<String>,
}

/// A member that passed every check, ready to be written.
#[derive(Debug, Clone)]
pub struct CheckedMember {
    full_name: String,
    birth_date: NaiveDate,
    gender: Gender,
    status: MemberStatus,
    admitted_on: NaiveDate,
    ceremony_on: Option<NaiveDate>,
    official_on: Option<NaiveDate>,
    national_id: Option<String>,
    phone: Option<String>,
    card_number: Option<String>,
}

fn digits(raw: &Option<String>) -> Option<String> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Every rule a member's record keeps; field errors carry `prefix` (`row 3: ` in an import).
pub fn check(new: &NewMember, today: NaiveDate, prefix: &str, problems: &mut Problems) -> Option<CheckedMember> {
    let before = problems.len();
    let field = |f: &str| format!("{prefix}{f}");
    // An imported cell comes through no request extractor: a NUL or a bidi override is
    // refused here, alike on both engines.
    for (name, text) in [
        ("full_name", Some(&new.full_name)),
        ("national_id", new.national_id.as_ref()),
        ("phone", new.phone.as_ref()),
        ("card_number", new.card_number.as_ref()),
    ] {
        if let Some(c) = text.and_then(|t| dangvu_domain::text::first_forbidden(t)) {
            problems.add(field(name), dangvu_domain::text::forbidden_message(c));
        }
    }
    let full_name = clean(&new.full_name);
    if full_name.is_empty() || full_name.chars().count() > 200 {
        problems.add(field("full_name"), "Họ và tên gồm 1–200 ký tự");
    }
    let gender = Gender::parse(&new.gender);
    if gender.is_none() {
        problems.add(field("gender"), "Giới tính là male/female (Nam/Nữ)");
    }
    let status = MemberStatus::parse(&new.status);
    if status.is_none() {
        problems.add(field("status"), "Trạng thái là full/probationary (chính thức/dự bị)");
    }
    match new.birth_date {
        None => problems.add(field("birth_date"), "Thiếu ngày sinh"),
        Some(b) if b > today || dangvu_domain::members::age_on(b, today) > 120 => {
            problems.add(field("birth_date"), "Ngày sinh không hợp lệ")
        }
        _ => {}
    }
    match (new.admitted_on, new.birth_date) {
        (None, _) => problems.add(field("admitted_on"), "Thiếu ngày quyết định kết nạp"),
        (Some(a), _) if a > today => problems.add(field("admitted_on"), "Ngày kết nạp ở tương lai"),
        (Some(a), Some(b)) if dangvu_domain::members::age_on(b, a) < 16 => {
            problems.add(field("admitted_on"), "Ngày kết nạp khi chưa đủ tuổi vào Đảng")
        }
        _ => {}
    }
    if let (Some(c), Some(a)) = (new.ceremony_on, new.admitted_on)
        && c < a
    {
        problems.add(field("ceremony_on"), "Lễ kết nạp trước ngày quyết định kết nạp");
    }
    if let (Some(o), Some(a)) = (new.official_on, new.admitted_on)
        && o < a
    {
        problems.add(field("official_on"), "Ngày chính thức trước ngày kết nạp");
    }
    if status == Some(MemberStatus::Probationary) && new.official_on.is_some() {
        problems.add(field("official_on"), "Đảng viên dự bị chưa có ngày chính thức");
    }
    let national_id = digits(&new.national_id);
    if national_id.as_deref().is_some_and(|n| n.len() != 12 || !n.bytes().all(|b| b.is_ascii_digit())) {
        problems.add(field("national_id"), "Số định danh cá nhân (CCCD) gồm 12 chữ số");
    }
    let phone = digits(&new.phone);
    if phone.as_deref().is_some_and(|p| {
        let d: String = p.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        !(9..=15).contains(&d.len()) || !d.trim_start_matches('+').bytes().all(|b| b.is_ascii_digit())
    }) {
        problems.add(field("phone"), "Số điện thoại không hợp lệ");
    }
    let card_number = digits(&new.card_number);
    if card_number.as_deref().is_some_and(|c| c.chars().count() > 20) {
        problems.add(field("card_number"), "Số thẻ đảng viên tối đa 20 ký tự");
    }
    if problems.len() > before {
        return None;
    }
    Some(CheckedMember {
        full_name,
        birth_date: new.birth_date?,
        gender: gender?,
        status: status?,
        admitted_on: new.admitted_on?,
        ceremony_on: new.ceremony_on,
        official_on: new.official_on,
        national_id,
        phone,
        card_number,
    })
}

/// Adds `full`/`probationary` to the totals of every organisation on `path` (the member's
/// cell and all above it).
pub(crate) async fn adjust_totals(tx: &mut Tx, path: &str, full: i64, probationary: i64) -> Result<(), StoreError> {
    if full == 0 && probationary == 0 {
        return Ok(());
    }
    for org in tree::ids(path) {
        add_to_totals(tx, org, full, probationary).await?;
    }
    Ok(())
}

/// Adds to one organisation's totals (its subtree's members by status).
async fn add_to_totals(tx: &mut Tx, org: OrgId, full: i64, probationary: i64) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO org_member_totals (org_id, full_count, prob_count) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE
         SET full_count = org_member_totals.full_count + $2, prob_count = org_member_totals.prob_count + $3",
        params![org, full, probationary],
    )
    .await?;
    Ok(())
}

/// [`add_to_totals`] for many organisations (each once) in one statement.
async fn add_to_many_totals(tx: &mut Tx, changes: &[(OrgId, (i64, i64))]) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let marks: Vec<String> =
        (0..changes.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
    let sql = format!(
        "INSERT INTO org_member_totals (org_id, full_count, prob_count) VALUES {}
         ON CONFLICT (org_id) DO UPDATE SET full_count = org_member_totals.full_count + excluded.full_count,
                                            prob_count = org_member_totals.prob_count + excluded.prob_count",
        marks.join(", ")
    );
    let values: Vec<crate::Value> =
        changes.iter().flat_map(|(org, (full, prob))| [(*org).into(), (*full).into(), (*prob).into()]).collect();
    tx.execute(&sql, &values).await?;
    Ok(())
}

/// Moves the totals of the subtree at `from_path` (its root excluded from the change) to
/// the ancestors of `to_path`: used when an organisation moves or merges.
pub async fn move_totals(
    tx: &mut Tx,
    subtree_root: OrgId,
    from_path: &str,
    to_parent_path: &str,
) -> Result<(), StoreError> {
    let row = tx
        .query_one("SELECT full_count, prob_count FROM org_member_totals WHERE org_id = $1", params![subtree_root])
        .await?;
    let Some(row) = row else { return Ok(()) };
    let (full, prob) = (row.int(0)?, row.int(1)?);
    let above_old = &tree::ids(from_path)[..tree::ids(from_path).len().saturating_sub(1)];
    for org in above_old {
        tx.execute(
            "UPDATE org_member_totals SET full_count = full_count - $2, prob_count = prob_count - $3 WHERE org_id = $1",
            params![*org, full, prob],
        )
        .await?;
    }
    adjust_totals(tx, to_parent_path, full, prob).await
}

/// [`cell_path`] of many cells, in their order: a hundred cells a statement, for imports.
async fn cell_paths(tx: &mut Tx, org_ids: &[OrgId], on: NaiveDate, field: &str) -> Result<Vec<String>, StoreError> {
    let mut found: std::collections::HashMap<OrgId, (String, Option<OrgKind>)> = std::collections::HashMap::new();
    for chunk in org_ids.chunks(ROWS_PER_STATEMENT) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT v.org_id, v.path, v.kind FROM org_versions v
             WHERE v.org_id IN ({}) AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)",
            marks.join(", ")
        );
        let mut values: Vec<crate::Value> = Vec::with_capacity(chunk.len() + 1);
        values.push(on.into());
        values.extend(chunk.iter().map(|id| crate::Value::from(*id)));
        for r in tx.query(&sql, &values).await? {
            found.insert(r.id(0)?, (r.text(1)?, OrgKind::parse(&r.text(2)?)));
        }
    }
    org_ids
        .iter()
        .map(|id| match found.get(id) {
            None => Err(StoreError::invalid(field, "Tổ chức không tồn tại hoặc không còn hoạt động")),
            Some((_, kind)) if !kind.is_some_and(|k| k.holds_members()) => {
                Err(StoreError::invalid(field, "Đảng viên sinh hoạt ở chi bộ (hoặc đảng bộ/chi bộ cơ sở có đảng viên)"))
            }
            Some((path, _)) => Ok(path.clone()),
        })
        .collect()
}

/// The path of a cell that holds members, active on `on`; a field error otherwise.
pub(crate) async fn cell_path(tx: &mut Tx, org_id: OrgId, on: NaiveDate, field: &str) -> Result<String, StoreError> {
    let mut paths = cell_paths(tx, &[org_id], on, field).await?;
    paths.pop().ok_or_else(|| StoreError::Decode("one cell asked, none answered".into()))
}

/// 13 values a row: 100 rows stay far below the parameter limits of both engines.
const ROWS_PER_STATEMENT: usize = 100;

/// Writes checked members into the cell `org_id`: records, their first period, totals
/// once for the batch, one audit entry. Answers the new ids.
pub async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    org_id: OrgId,
    members: &[CheckedMember],
    today: NaiveDate,
) -> Result<Vec<MemberId>, StoreError> {
    insert_cells(tx, actor, &[(org_id, members)], today).await
}

/// Writes checked members into several cells at once (an import of a commune or of a whole
/// province): rows of every cell share the statements, the totals of each ancestor change
/// once for the batch, and the batch is one audit entry. Answers the new ids, sorted.
pub async fn insert_cells(
    tx: &mut Tx,
    actor: &Actor,
    cells: &[(OrgId, &[CheckedMember])],
    today: NaiveDate,
) -> Result<Vec<MemberId>, StoreError> {
    // Each ancestor's change of totals, summed over the batch.
    let mut totals: std::collections::BTreeMap<OrgId, (i64, i64)> = std::collections::BTreeMap::new();
    let org_ids: Vec<OrgId> = cells.iter().map(|(org_id, _)| *org_id).collect();
    let paths = cell_paths(tx, &org_ids, today, "org_id").await?;
    for ((_, members), path) in cells.iter().zip(&paths) {
        let full = members.iter().filter(|m| m.status == MemberStatus::Full).count() as i64;
        let prob = members.len() as i64 - full;
        for org in tree::ids(path) {
            let t = totals.entry(org).or_default();
            t.0 += full;
            t.1 += prob;
        }
    }
    let rows: Vec<(OrgId, &CheckedMember)> =
        cells.iter().flat_map(|(org_id, members)| members.iter().map(move |m| (*org_id, m))).collect();
    let now = crate::now_micros();
    let mut ids = Vec::with_capacity(rows.len());
    // The words of the whole batch, indexed at the end in the index's order: the entries of
    // an import spread over the whole `member_terms` index, and writing them sorted visits
    // each of its pages once instead of once per statement.
    let mut words: Vec<(i64, String)> = Vec::with_capacity(rows.len());
    // Many rows per statement: an import of a province is a few thousand round trips to
    // the engine, not hundreds of thousands.
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_sql(
            "members (org_id, full_name, search_text, birth_date, gender, status, admitted_on, ceremony_on,
                      official_on, national_id, phone, card_number, created_at)",
            13,
            chunk.len(),
        );
        let mut values: Vec<crate::Value> = Vec::with_capacity(chunk.len() * 13);
        for (org_id, m) in chunk {
            values.extend([
                (*org_id).into(),
                m.full_name.as_str().into(),
                search_text(m).into(),
                m.birth_date.into(),
                m.gender.as_str().into(),
                m.status.as_str().into(),
                m.admitted_on.into(),
                m.ceremony_on.into(),
                m.official_on.into(),
                m.national_id.as_deref().into(),
                m.phone.as_deref().into(),
                m.card_number.as_deref().into(),
                now.into(),
            ]);
        }
        // What the member's first period and its search words need comes back with each id:
        // the order of RETURNING is not promised to be that of VALUES, and reading the rows
        // back by id costs PostgreSQL a scan of the table per statement.
        let sql = sql + " RETURNING id, org_id, status, admitted_on, search_text, official_on";
        let written = tx.query(&sql, &values).await?;
        let mut new_ids = Vec::with_capacity(written.len());
        let mut periods: Vec<crate::Value> = Vec::with_capacity(written.len() * 10);
        for r in &written {
            let id = r.int(0)?;
            new_ids.push(MemberId(id));
            words.push((id, r.text(4)?));
            // Each member's history starts at its admission, in its cell; a full member was
            // probationary until the official date, and the past figures count it so.
            let (org_id, status, admitted_on) = (r.int(1)?, r.text(2)?, r.date(3)?);
            match r.opt_date(5)?.filter(|o| status == MemberStatus::Full.as_str() && *o > admitted_on) {
                Some(official_on) => periods.extend([
                    id.into(),
                    org_id.into(),
                    MemberStatus::Probationary.as_str().into(),
                    admitted_on.into(),
                    official_on.into(),
                    id.into(),
                    org_id.into(),
                    status.into(),
                    official_on.into(),
                    crate::Value::Null,
                ]),
                None => {
                    periods.extend([id.into(), org_id.into(), status.into(), admitted_on.into(), crate::Value::Null])
                }
            }
        }
        tx.execute(&insert_sql(PERIODS, 5, periods.len() / 5), &periods).await?;
        ids.extend(new_ids);
    }
    let words: Vec<(i64, &str)> = words.iter().map(|(id, text)| (*id, text.as_str())).collect();
    search::index_terms(tx, &words).await?;
    ids.sort_unstable();
    let totals: Vec<(OrgId, (i64, i64))> = totals.into_iter().collect();
    for chunk in totals.chunks(ROWS_PER_STATEMENT) {
        add_to_many_totals(tx, chunk).await?;
    }
    // One entry per member for a few, one for the batch of an import: the log stays
    // readable, and an import of 200,000 rows does not write 200,000 entries.
    let after = match (&ids[..], cells) {
        ([id], [(org_id, [m])]) => {
            json!({"id": id, "org_id": org_id, "full_name": m.full_name, "status": m.status.as_str()})
        }
        _ => json!({
            "cells": cells.iter().map(|(org_id, m)| json!({"org_id": org_id, "created": m.len()})).collect::<Vec<_>>(),
            "created": ids.len(), "first_id": ids.first(), "last_id": ids.last()
        }),
    };
    audit::append(
        tx,
        actor,
        Change {
            action: if ids.len() == 1 { Action::MemberCreate } else { Action::MemberImport },
            subject: if let [id] = ids[..] { Subject::member(id) } else { Subject::members() },
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(ids)
}

/// What the search reads of a member (folded name, card number, citizen id), and what its
/// words in `member_terms` come from.
fn search_text(m: &CheckedMember) -> String {
    fold(&format!(
        "{} {} {}",
        m.full_name,
        m.card_number.as_deref().unwrap_or_default(),
        m.national_id.as_deref().unwrap_or_default()
    ))
}

/// The columns of a member's period, as [`insert_sql`] takes them.
const PERIODS: &str = "member_periods (member_id, org_id, status, valid_from, valid_to)";

/// Records that someone read a member's full record (DESIGN.md §7).
pub async fn audit_read(tx: &mut Tx, actor: &Actor, member_id: MemberId) -> Result<(), StoreError> {
    audit::append(
        tx,
        actor,
        Change { action: Action::MemberRead, subject: Subject::member(member_id), before: None, after: None },
    )
    .await?;
    Ok(())
}

/// Members by status in a subtree: today from the maintained totals (one row), on a
/// past date from the periods, each checked against its cell's version on that date.
pub async fn counts(db: &Db, org_id: OrgId, path: &str, on: NaiveDate) -> Result<(i64, i64), StoreError> {
    if on >= calendar::today() {
        let row = db
            .query_one("SELECT full_count, prob_count FROM org_member_totals WHERE org_id = $1", params![org_id])
            .await?;
        return Ok(match row {
            Some(r) => (r.int(0)?, r.int(1)?),
            None => (0, 0),
        });
    }
    let rows = db
        .query(
            "SELECT p.status, COUNT(*) FROM member_periods p
             JOIN org_versions v ON v.org_id = p.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
             WHERE v.path >= $1 AND v.path < $2 AND p.valid_from <= $3 AND (p.valid_to IS NULL OR p.valid_to > $3)
             GROUP BY p.status",
            params![path, tree::subtree_end(path), on],
        )
        .await?;
    let (mut full, mut prob) = (0, 0);
    for r in rows {
        if r.text(0)? == "full" {
            full += r.int(1)?;
        } else {
            prob += r.int(1)?;
        }
    }
    Ok((full, prob))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_row_insert_numbers_its_values_row_after_row() {
        assert_eq!(insert_sql("t (a, b, c)", 3, 2), "INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6)");
        assert_eq!(insert_sql(PERIODS, 5, 1), format!("INSERT INTO {PERIODS} VALUES ($1, $2, $3, $4, $5)"));
    }
}
