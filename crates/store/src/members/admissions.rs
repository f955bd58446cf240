//! The admission pipeline (kết nạp đảng viên): one case per person from "quần chúng ưu tú" to
//! official member, the yearly targets of each organisation, and the admissions counted by
//! unit for a period.
//!
//! A case stores only the dates of what happened; what is due or late comes from
//! `domain::members::admission_progress` with the rules in force. At the ceremony the
//! person enters the registry as a probationary member; the recognition decision makes the
//! member official from the end of probation.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::admission::CASE_DATES;
use dangvu_domain::members::{AdmissionCase, Gender, MembershipRules};
use dangvu_domain::orgs::tree;
use dangvu_domain::text::{clean, fold};
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::members::{self, NewMember};
use crate::{Db, Row, StoreError, Tx, params};

/// One person's admission case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Admission {
    pub id: i64,
    /// The cell that proposes the admission.
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub org_name: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// `male` or `female`.
    pub gender: String,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    /// The dates recorded so far.
    pub case: AdmissionCase,
    /// The registry record, from the ceremony on.
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    /// A case that stopped before recognition, and why.
    pub closed_on: Option<NaiveDate>,
    pub close_reason: Option<String>,
}

fn select() -> String {
    format!(
        "SELECT a.id, a.org_id, a.full_name, a.birth_date, a.gender, a.national_id, a.phone, a.member_id, a.closed_on,
                a.close_reason, a.admission_extended, a.recognition_extended,
                (SELECT v.name FROM org_versions v WHERE v.org_id = a.org_id ORDER BY v.valid_from DESC LIMIT 1),
                a.{}
         FROM admissions a",
        CASE_DATES.join(", a.")
    )
}

fn from_row(r: &Row) -> Result<Admission, StoreError> {
    let d = |i: usize| r.opt_date(13 + i);
    Ok(Admission {
        id: r.int(0)?,
        org_id: r.id(1)?,
        full_name: r.text(2)?,
        birth_date: r.date(3)?,
        gender: r.text(4)?,
        national_id: r.opt_text(5)?,
        phone: r.opt_text(6)?,
        member_id: r.opt_id(7)?,
        closed_on: r.opt_date(8)?,
        close_reason: r.opt_text(9)?,
        org_name: r.opt_text(12)?.unwrap_or_default(),
        case: AdmissionCase {
            candidate_listed_on: d(0)?,
            course_certificate_on: d(1)?,
            application_on: d(2)?,
            introduced_on: d(3)?,
            cell_vote_on: d(4)?,
            grassroots_resolution_on: d(5)?,
            admission_decision_on: d(6)?,
            admission_extended: r.bool(10)?,
            decision_received_on: d(7)?,
            ceremony_on: d(8)?,
            recognition_vote_on: d(9)?,
            recognition_extended: r.bool(11)?,
            recognition_decision_on: d(10)?,
        },
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Admission>, StoreError> {
    let sql = format!("{} WHERE a.id = $1", select());
    db.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()
}

/// The person, as entered.
#[derive(Debug, Clone, Default)]
pub struct NewAdmission {
    pub org_id: OrgId,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: String,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub case: AdmissionCase,
}

fn check_person(new: &NewAdmission, problems: &mut Problems) -> (String, Option<String>) {
    let full_name = clean(&new.full_name);
    if full_name.is_empty() || full_name.chars().count() > 200 {
        problems.add("full_name", "Họ và tên gồm 1–200 ký tự");
    }
    if Gender::parse(&new.gender).is_none() {
        problems.add("gender", "Giới tính là male/female (Nam/Nữ)");
    }
    match new.birth_date {
        None => problems.add("birth_date", "Thiếu ngày sinh"),
        Some(b) if b > calendar::today() => problems.add("birth_date", "Ngày sinh không hợp lệ"),
        _ => {}
    }
    let national_id = new.national_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if national_id.as_deref().is_some_and(|n| n.len() != 12 || !n.bytes().all(|b| b.is_ascii_digit())) {
        problems.add("national_id", "Số định danh cá nhân (CCCD) gồm 12 chữ số");
    }
    (full_name, national_id)
}

/// Opens a case in a cell of the caller's subtree (checked by the caller).
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewAdmission,
    rules: &MembershipRules,
) -> Result<i64, StoreError> {
    let mut problems = Problems::new();
    let (full_name, national_id) = check_person(new, &mut problems);
    new.case.check(new.birth_date, calendar::today(), rules, &mut problems);
    if new.case.ceremony_on.is_some() {
        problems.add("ceremony_on", "Mở hồ sơ rồi mới ghi lễ kết nạp (đảng viên vào danh sách từ lễ kết nạp)");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    members::cell_path(tx, new.org_id, calendar::today(), "org_id").await?;
    let gender = Gender::parse(&new.gender).map(|g| g.as_str()).unwrap_or_default();
    let c = &new.case;
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO admissions (org_id, full_name, search_text, birth_date, gender, national_id, phone,
                    admission_extended, recognition_extended, created_by, created_at, {})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
                 RETURNING id",
                CASE_DATES.join(", ")
            ),
            &[
                new.org_id.into(),
                full_name.as_str().into(),
                fold(&full_name).into(),
                new.birth_date.into(),
                gender.into(),
                national_id.as_deref().into(),
                new.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()).into(),
                c.admission_extended.into(),
                c.recognition_extended.into(),
                actor.id.into(),
                crate::now_micros().into(),
                c.candidate_listed_on.into(),
                c.course_certificate_on.into(),
                c.application_on.into(),
                c.introduced_on.into(),
                c.cell_vote_on.into(),
                c.grassroots_resolution_on.into(),
                c.admission_decision_on.into(),
                c.decision_received_on.into(),
                c.ceremony_on.into(),
                c.recognition_vote_on.into(),
                c.recognition_decision_on.into(),
            ],
        )
        .await?
        .ok_or_else(|| StoreError::Engine("INSERT … RETURNING gave no row".into()))?;
    let id = row.int(0)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AdmissionCreate,
            subject: Subject::admission(id),
            before: None,
            after: Some(json!({"org_id": new.org_id, "full_name": full_name, "case": c})),
        },
    )
    .await?;
    Ok(id)
}

/// Records the dates of a case. At the ceremony the person enters the registry as a
/// probationary member of the cell; with the recognition decision the member becomes
/// official. Steps that made those changes cannot be undone here.
pub async fn update(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    case: &AdmissionCase,
    rules: &MembershipRules,
) -> Result<(), StoreError> {
    let sql = format!("{} WHERE a.id = $1", select());
    let before =
        tx.query_one(&sql, params![id]).await?.map(|r| from_row(&r)).transpose()?.ok_or(StoreError::NotFound)?;
    if before.closed_on.is_some() {
        return Err(StoreError::invalid("case", "Hồ sơ đã dừng"));
    }
    let mut problems = Problems::new();
    case.check(Some(before.birth_date), calendar::today(), rules, &mut problems);
    let old = &before.case;
    if before.member_id.is_some()
        && (case.ceremony_on != old.ceremony_on || case.admission_decision_on != old.admission_decision_on)
    {
        problems.add("ceremony_on", "Đảng viên đã vào danh sách từ lễ kết nạp: sửa ở hồ sơ đảng viên");
    }
    if old.recognition_decision_on.is_some() && case.recognition_decision_on != old.recognition_decision_on {
        problems.add("recognition_decision_on", "Đã công nhận đảng viên chính thức");
    }
    problems.finish().map_err(StoreError::Invalid)?;

    let mut sets: Vec<String> = CASE_DATES.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
    sets.push("admission_extended = $13".into());
    sets.push("recognition_extended = $14".into());
    let mut values: Vec<crate::Value> = vec![id.into()];
    values.extend(case.dates().into_iter().map(Into::into));
    values.extend([case.admission_extended.into(), case.recognition_extended.into()]);
    tx.execute(&format!("UPDATE admissions SET {} WHERE id = $1", sets.join(", ")), &values).await?;

    let mut member_id = before.member_id;
    if member_id.is_none()
        && let (Some(ceremony_on), Some(decided)) = (case.ceremony_on, case.admission_decision_on)
    {
        let new = NewMember {
            full_name: before.full_name.clone(),
            birth_date: Some(before.birth_date),
            gender: before.gender.clone(),
            status: "probationary".into(),
            admitted_on: Some(decided),
            ceremony_on: Some(ceremony_on),
            official_on: None,
            national_id: before.national_id.clone(),
            phone: before.phone.clone(),
            card_number: None,
        };
        let mut problems = Problems::new();
        let checked = members::check(&new, calendar::today(), "", &mut problems);
        problems.finish().map_err(StoreError::Invalid)?;
        let checked = checked.ok_or_else(|| StoreError::invalid("case", "Không tạo được hồ sơ đảng viên"))?;
        let ids = members::insert(tx, actor, before.org_id, &[checked], calendar::today()).await?;
        member_id = ids.first().copied();
        tx.execute("UPDATE admissions SET member_id = $2 WHERE id = $1", params![id, member_id]).await?;
    }
    if old.recognition_decision_on.is_none()
        && let (Some(decided), Some(member)) = (case.recognition_decision_on, member_id)
    {
        members::recognize(tx, actor, member, decided, rules).await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AdmissionUpdate,
            subject: Subject::admission(id),
            before: Some(json!(old)),
            after: Some(json!(case)),
        },
    )
    .await?;
    Ok(())
}

/// Stops a case that will not go on (withdrawn, not admitted, not recognised); its dates stay.
pub async fn close(tx: &mut Tx, actor: &Actor, id: i64, on: NaiveDate, reason: &str) -> Result<(), StoreError> {
    let reason = clean(reason);
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(StoreError::invalid("reason", "Ghi lý do dừng (tối đa 500 ký tự)"));
    }
    if on > calendar::today() {
        return Err(StoreError::invalid("closed_on", "Ngày ở tương lai"));
    }
    let done = tx
        .execute(
            "UPDATE admissions SET closed_on = $2, close_reason = $3
             WHERE id = $1 AND closed_on IS NULL AND recognition_decision_on IS NULL",
            params![id, on, reason.as_str()],
        )
        .await?;
    if done == 0 {
        return Err(StoreError::invalid("case", "Hồ sơ đã dừng hoặc đã hoàn thành"));
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AdmissionClose,
            subject: Subject::admission(id),
            before: None,
            after: Some(json!({"closed_on": on, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Neither recognised nor stopped.
    Open,
    /// Every case.
    All,
}

/// The most cases one list holds; a province's open cases are a few thousand.
pub const LIST_LIMIT: i64 = 5000;

/// The cases of the cells in a subtree (versions of `today`), the oldest first.
pub async fn list(
    db: &Db,
    path: &str,
    which: Which,
    q: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<Admission>, StoreError> {
    let mut sql = format!(
        "{} JOIN org_versions v ON v.org_id = a.org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2",
        select()
    );
    if which == Which::Open {
        sql.push_str(" AND a.closed_on IS NULL AND a.recognition_decision_on IS NULL");
    }
    let mut values: Vec<crate::Value> = vec![path.into(), tree::subtree_end(path).into(), today.into()];
    for w in q.map(fold).unwrap_or_default().split_whitespace().take(6) {
        values.push(format!("%{}%", w.replace(['%', '_', '\\'], "")).into());
        sql.push_str(&format!(" AND a.search_text LIKE ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY a.id LIMIT {LIST_LIMIT}"));
    db.query(&sql, &values).await?.iter().map(from_row).collect()
}

/// Sets an organisation's admission target for a year.
pub async fn set_target(tx: &mut Tx, actor: &Actor, org_id: OrgId, year: i32, target: i64) -> Result<(), StoreError> {
    if !(2000..=2100).contains(&year) {
        return Err(StoreError::invalid("year", "Năm không hợp lệ"));
    }
    if !(0..=1_000_000).contains(&target) {
        return Err(StoreError::invalid("target", "Chỉ tiêu là số từ 0"));
    }
    tx.execute(
        "INSERT INTO admission_targets (org_id, year, target) VALUES ($1, $2, $3)
         ON CONFLICT (org_id, year) DO UPDATE SET target = $3",
        params![org_id, year, target],
    )
    .await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::AdmissionTarget,
            subject: Subject::org(org_id),
            before: None,
            after: Some(json!({"year": year, "target": target})),
        },
    )
    .await?;
    Ok(())
}

/// The targets of `year` for the given organisations.
pub async fn targets(db: &Db, org_ids: &[OrgId], year: i32) -> Result<Vec<(OrgId, i64)>, StoreError> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = org_ids.iter().map(OrgId::to_string).collect();
    let sql =
        format!("SELECT org_id, target FROM admission_targets WHERE year = $1 AND org_id IN ({})", list.join(","));
    db.query(&sql, params![year]).await?.iter().map(|r| Ok((r.id(0)?, r.int(1)?))).collect()
}
