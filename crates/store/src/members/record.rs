//! Correcting a member's record: the identity fields that are typed, and sometimes mistyped
//! (name, birth date, gender, citizen id, phone, card number). Status, cell, admission dates
//! and the end of membership change through their own procedures (recognition, transfer,
//! end of membership), each with its rules and its history.

use chrono::NaiveDate;
use dangvu_domain::validation::{FieldError, Problems};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{Member, NewMember, check, search, search_text};
use crate::audit::{self, Actor, Change};
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
            gender: m.gender.clone(),
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
    member_id: i64,
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
    search::index_terms(tx, &[(member_id, new_text.as_str())]).await?;
    let (was, now) = changes(&before, &after)?;
    audit::append(
        tx,
        actor,
        Change {
            action: "member.correct",
            entity: "member",
            entity_id: Some(member_id),
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
