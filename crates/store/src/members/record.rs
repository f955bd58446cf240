//! Correcting a member's record: the identity fields that are typed, and sometimes mistyped
//! (name, birth date, gender, citizen id, phone, card number), and the admission dates, which
//! also cut the member's periods again. Status, cell and the end of membership change through
//! their own procedures (recognition, transfer, end of membership), each with its rules and
//! its history.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::MemberId;
use dangvu_domain::members::{MemberStatus, periods};
use dangvu_domain::text::clean;
use dangvu_domain::validation::{FieldError, Problems};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Member, NewMember, check, search, search_text};
use crate::audit::{self, Actor, Change, Subject};
use crate::{StoreError, Tx, params};

/// The identity fields of a record, as they stand or as corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Identity {
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// `male` or `female`.
    pub gender: String,
    /// Số định danh cá nhân (CCCD), 12 digits.
    pub national_id: Option<String>,
    pub phone: Option<String>,
    /// Số thẻ đảng viên.
    pub card_number: Option<String>,
}

impl Identity {
    pub fn of(m: &Member) -> Identity {
        Identity {
            full_name: m.full_name.clone(),
            birth_date: m.birth_date,
            gender: m.gender.as_str().to_owned(),
            national_id: m.national_id.clone(),
            phone: m.phone.clone(),
            card_number: m.card_number.clone(),
        }
    }
}

/// Fields the audit log names without their values (DESIGN.md §7): who changed a citizen id
/// is recorded, the number itself stays in the record.
const SENSITIVE: [&str; 3] = ["national_id", "phone", "card_number"];

/// Corrects the identity fields of a record under the rules a new record keeps (checked
/// against its admission date, which stays); every error at once and nothing written when
/// one is wrong. The words the search finds the member by follow the new name and numbers.
pub async fn correct(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    corrected: &Identity,
    today: NaiveDate,
) -> Result<(), StoreError> {
    // The record as it stands, read in the transaction that corrects it.
    let row = tx
        .query_one(
            "SELECT full_name, birth_date, gender, national_id, phone, card_number,
                    status, admitted_on, ceremony_on, official_on, search_text
             FROM members WHERE id = $1",
            params![member_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let before = Identity {
        full_name: row.text(0)?,
        birth_date: row.date(1)?,
        gender: row.text(2)?,
        national_id: row.opt_text(3)?,
        phone: row.opt_text(4)?,
        card_number: row.opt_text(5)?,
    };
    let as_new = NewMember {
        full_name: corrected.full_name.clone(),
        birth_date: Some(corrected.birth_date),
        gender: corrected.gender.clone(),
        status: row.text(6)?,
        admitted_on: Some(row.date(7)?),
        ceremony_on: row.opt_date(8)?,
        official_on: row.opt_date(9)?,
        national_id: corrected.national_id.clone(),
        phone: corrected.phone.clone(),
        card_number: corrected.card_number.clone(),
    };
    let mut problems = Problems::new();
    let checked = check(&as_new, today, "", &mut problems);
    problems
        .finish()
        .map_err(|errors| StoreError::Invalid(errors.into_iter().map(on_the_corrected_field).collect()))?;
    let checked = checked.ok_or_else(|| StoreError::Decode("a checked record without a value".into()))?;
    let after = Identity {
        full_name: checked.full_name.clone(),
        birth_date: checked.birth_date,
        gender: checked.gender.as_str().to_owned(),
        national_id: checked.national_id.clone(),
        phone: checked.phone.clone(),
        card_number: checked.card_number.clone(),
    };
    if after == before {
        return Ok(());
    }
    let old_text = row.text(10)?;
    let new_text = search_text(&checked);
    tx.execute(
        "UPDATE members SET full_name = $2, search_text = $3, birth_date = $4, gender = $5, national_id = $6,
                            phone = $7, card_number = $8
         WHERE id = $1",
        params![
            member_id,
            after.full_name.as_str(),
            new_text.as_str(),
            after.birth_date,
            after.gender.as_str(),
            after.national_id.as_deref(),
            after.phone.as_deref(),
            after.card_number.as_deref()
        ],
    )
    .await?;
    for term in search::terms(&old_text) {
        tx.execute("DELETE FROM member_terms WHERE term = $1 AND member_id = $2", params![term, member_id]).await?;
    }
    search::index_terms(tx, &[(member_id.0, new_text.as_str())]).await?;
    let (was, now) = changes(&before, &after)?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberCorrect,
            subject: Subject::member(member_id),
            before: Some(was),
            after: Some(now),
        },
    )
    .await?;
    Ok(())
}

/// The admission date is not corrected here: a rule between it and the birth date (old enough
/// to be admitted) is the birth date's error.
fn on_the_corrected_field(mut e: FieldError) -> FieldError {
    if e.field == "admitted_on" {
        e.field = "birth_date".into();
        e.message = format!("Theo ngày sinh này: {}", e.message);
    }
    e
}

/// The changed fields before and after, sensitive ones named without their values.
fn changes(before: &Identity, after: &Identity) -> Result<(serde_json::Value, serde_json::Value), StoreError> {
    let as_map = |i: &Identity| match serde_json::to_value(i) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        _ => Err(StoreError::Decode("an identity is an object".into())),
    };
    let (old, new) = (as_map(before)?, as_map(after)?);
    let (mut was, mut now) = (serde_json::Map::new(), serde_json::Map::new());
    for (field, value) in &new {
        if old.get(field) == Some(value) {
            continue;
        }
        if SENSITIVE.contains(&field.as_str()) {
            was.insert(field.clone(), json!("…"));
            now.insert(field.clone(), json!("(đã sửa)"));
        } else {
            was.insert(field.clone(), old.get(field).cloned().unwrap_or_default());
            now.insert(field.clone(), value.clone());
        }
    }
    Ok((serde_json::Value::Object(was), serde_json::Value::Object(now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Identity {
        Identity {
            full_name: "Đặng Thị Đường".into(),
            birth_date: NaiveDate::from_ymd_opt(1985, 1, 4).unwrap(),
            gender: "female".into(),
            national_id: Some("040185000123".into()),
            phone: None,
            card_number: Some("48001234".into()),
        }
    }

    #[test]
    fn the_log_names_a_changed_citizen_id_without_its_digits() {
        let before = record();
        let after =
            Identity {
                full_name: "Đặng Thị Hường".into(), national_id: Some("040185000124".into()), ..record()
            };
        let (was, now) = changes(&before, &after).unwrap();
        assert_eq!(was, json!({"full_name": "Đặng Thị Đường", "national_id": "…"}));
        assert_eq!(now, json!({"full_name": "Đặng Thị Hường", "national_id": "(đã sửa)"}));
        assert!(!now.to_string().contains("040185000124"));
    }
}

/// The dates of a member's admission, as they stand or as corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdmissionDates {
    /// The date of the admission decision, from which party age counts.
    pub admitted_on: NaiveDate,
    /// The admission ceremony, from which the 12 months of probation run.
    pub ceremony_on: Option<NaiveDate>,
    /// The day the member became official; only for a full member.
    pub official_on: Option<NaiveDate>,
}

/// Corrects admission dates that were typed or imported wrong, on the `basis` of the
/// original documents (kept in the audit log with the dates before and after). The
/// member's periods are cut again, so past figures and party age follow; cells and
/// transfers stay. Status does not change here: recognition does that. A record with a
/// re-admission is refused: its dates belong to two memberships.
pub async fn correct_admission(
    tx: &mut Tx,
    actor: &Actor,
    member_id: MemberId,
    corrected: &AdmissionDates,
    basis: &str,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let row = tx
        .query_one(
            "SELECT full_name, birth_date, gender, status, admitted_on, ceremony_on, official_on, readmissions
             FROM members WHERE id = $1",
            params![member_id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let before =
        AdmissionDates { admitted_on: row.date(4)?, ceremony_on: row.opt_date(5)?, official_on: row.opt_date(6)? };
    let status = MemberStatus::parse(&row.text(3)?).ok_or_else(|| StoreError::Decode("member status".into()))?;
    let basis = clean(basis);
    let mut problems = Problems::new();
    if basis.is_empty() || basis.chars().count() > 500 {
        problems.add("basis", "Ghi căn cứ sửa (quyết định, hồ sơ gốc), tối đa 500 ký tự");
    }
    if row.int(7)? > 0 {
        problems.add("admitted_on", "Hồ sơ đã có lần kết nạp lại: ngày của hai lần vào Đảng không sửa ở đây");
    }
    // The rules a new record keeps, on the corrected dates.
    let as_new = NewMember {
        full_name: row.text(0)?,
        birth_date: Some(row.date(1)?),
        gender: row.text(2)?,
        status: status.as_str().to_owned(),
        admitted_on: Some(corrected.admitted_on),
        ceremony_on: corrected.ceremony_on,
        official_on: corrected.official_on,
        national_id: None,
        phone: None,
        card_number: None,
    };
    let mut checked = Problems::new();
    check(&as_new, today, "", &mut checked);
    for e in checked.finish().err().unwrap_or_default() {
        if ["admitted_on", "ceremony_on", "official_on"].contains(&e.field.as_str()) {
            problems.add(e.field, e.message);
        }
    }
    if corrected.ceremony_on.is_some_and(|c| c > today) {
        problems.add("ceremony_on", "Ngày lễ kết nạp ở tương lai");
    }
    match (status, corrected.official_on) {
        (MemberStatus::Full, Some(o)) if o > today => problems.add("official_on", "Ngày chính thức ở tương lai"),
        (MemberStatus::Full, Some(o)) if corrected.ceremony_on.is_some_and(|c| o < c) => {
            problems.add("official_on", "Ngày chính thức trước lễ kết nạp")
        }
        (MemberStatus::Full, None) if before.official_on.is_some() => {
            problems.add("official_on", "Đảng viên chính thức cần ngày chính thức")
        }
        _ => {}
    }
    let first_inactive = tx
        .query_one("SELECT MIN(from_on) FROM member_inactive_periods WHERE member_id = $1", params![member_id])
        .await?
        .map(|r| r.opt_date(0))
        .transpose()?
        .flatten();
    if let Some(from) = first_inactive.filter(|f| *f < corrected.admitted_on) {
        problems.add(
            "admitted_on",
            format!("Đã ghi thời gian không sinh hoạt từ {}, trước ngày kết nạp mới", dangvu_domain::vi::date(from)),
        );
    }
    let spans = periods_of(tx, member_id).await?;
    let recut = match periods::recut(&spans, corrected.admitted_on, status, corrected.official_on) {
        Ok(recut) => Some(recut),
        Err(e @ periods::RecutProblem::OfficialAfterLastPeriod(_)) => {
            problems.add("official_on", e.to_string());
            None
        }
        Err(e) => {
            problems.add("admitted_on", e.to_string());
            None
        }
    };
    problems.finish().map_err(StoreError::Invalid)?;
    let recut = recut.ok_or_else(|| StoreError::Decode("checked periods without a value".into()))?;
    if *corrected == before {
        return Ok(());
    }
    tx.execute(
        "UPDATE members SET admitted_on = $2, ceremony_on = $3, official_on = $4 WHERE id = $1",
        params![member_id, corrected.admitted_on, corrected.ceremony_on, corrected.official_on],
    )
    .await?;
    tx.execute("DELETE FROM member_periods WHERE member_id = $1", params![member_id]).await?;
    for s in &recut {
        tx.execute(
            "INSERT INTO member_periods (member_id, org_id, status, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)",
            params![member_id, s.org_id, s.status.as_str(), s.from, s.to],
        )
        .await?;
    }
    audit::append(
        tx,
        actor,
        Change {
            action: Action::MemberCorrectAdmission,
            subject: Subject::member(member_id),
            before: Some(json!(before)),
            after: Some(json!({"dates": corrected, "basis": basis})),
        },
    )
    .await?;
    Ok(())
}

/// The member's periods in order.
async fn periods_of(tx: &mut Tx, member_id: MemberId) -> Result<Vec<periods::Span>, StoreError> {
    let rows = tx
        .query(
            "SELECT org_id, status, valid_from, valid_to FROM member_periods WHERE member_id = $1 ORDER BY valid_from, id",
            params![member_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(periods::Span {
                org_id: r.id(0)?,
                status: MemberStatus::parse(&r.text(1)?).ok_or_else(|| StoreError::Decode("period status".into()))?,
                from: r.date(2)?,
                to: r.opt_date(3)?,
            })
        })
        .collect()
}
