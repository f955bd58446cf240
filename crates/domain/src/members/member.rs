//! The words of the member registry: status, gender, how a membership ends, age.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::months::completed_years;
use crate::text::fold;

/// Whether a member is on probation (dự bị) or an official member (chính thức).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Probationary,
    Full,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 2] = [MemberStatus::Probationary, MemberStatus::Full];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Probationary => "probationary",
            MemberStatus::Full => "full",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Probationary => "Dự bị",
            MemberStatus::Full => "Chính thức",
        }
    }

    /// `probationary`/`full`, or the Vietnamese words as people type them in a spreadsheet
    /// ("Dự bị", "du bi", "CHÍNH THỨC"): case and diacritics do not matter.
    pub fn parse(input: &str) -> Option<MemberStatus> {
        let key = fold(&crate::text::clean(input));
        match key.as_str() {
            "probationary" | "du bi" | "dang vien du bi" => Some(MemberStatus::Probationary),
            "full" | "chinh thuc" | "dang vien chinh thuc" => Some(MemberStatus::Full),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }

    /// `male`/`female` or `Nam`/`Nữ` (any case, with or without diacritics).
    pub fn parse(input: &str) -> Option<Gender> {
        match fold(input.trim()).as_str() {
            "male" | "nam" => Some(Gender::Male),
            "female" | "nu" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// How a membership ends (Điều lệ Đảng, Điều 8 and the disciplinary rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MembershipEnd {
    /// Xóa tên: e.g. a probationary member not recognised, or long absence without reason.
    RemovedFromList,
    /// Khai trừ: the heaviest party discipline.
    Expelled,
    /// Xin ra khỏi Đảng.
    Resigned,
    /// Từ trần.
    Deceased,
}

impl MembershipEnd {
    pub const ALL: [MembershipEnd; 4] =
        [MembershipEnd::RemovedFromList, MembershipEnd::Expelled, MembershipEnd::Resigned, MembershipEnd::Deceased];

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipEnd::RemovedFromList => "removed_from_list",
            MembershipEnd::Expelled => "expelled",
            MembershipEnd::Resigned => "resigned",
            MembershipEnd::Deceased => "deceased",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MembershipEnd::RemovedFromList => "Xóa tên",
            MembershipEnd::Expelled => "Khai trừ",
            MembershipEnd::Resigned => "Xin ra khỏi Đảng",
            MembershipEnd::Deceased => "Từ trần",
        }
    }

    /// The code, or the Vietnamese label in any case and with or without diacritics.
    pub fn parse(input: &str) -> Option<MembershipEnd> {
        let key = fold(&crate::text::clean(input));
        MembershipEnd::ALL.into_iter().find(|e| e.as_str() == key || fold(e.label()) == key)
    }
}

/// Age in completed years on `on` (0 before the birth date). A person born on 29/02 turns a
/// year older on 28/02 of a common year.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    completed_years(birth, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn statuses_parse_from_both_languages() {
        for (input, status) in [
            ("probationary", MemberStatus::Probationary),
            ("full", MemberStatus::Full),
            ("Dự bị", MemberStatus::Probationary),
            ("du bi", MemberStatus::Probationary),
            ("DỰ  BỊ", MemberStatus::Probationary),
            ("Chính thức", MemberStatus::Full),
            (" chinh thuc ", MemberStatus::Full),
            ("CHÍNH THỨC", MemberStatus::Full),
        ] {
            assert_eq!(MemberStatus::parse(input), Some(status), "{input}");
        }
        assert_eq!(MemberStatus::parse("dubi"), None);
        assert_eq!(MemberStatus::parse(""), None);
        assert_eq!(serde_json::to_string(&MemberStatus::Probationary).unwrap(), "\"probationary\"");
        for s in MemberStatus::ALL {
            assert_eq!(MemberStatus::parse(s.as_str()), Some(s));
            assert_eq!(MemberStatus::parse(s.label()), Some(s));
        }
    }

    #[test]
    fn genders() {
        assert_eq!(Gender::parse("Nam"), Some(Gender::Male));
        assert_eq!(Gender::parse("NỮ"), Some(Gender::Female));
        assert_eq!(Gender::parse("nu"), Some(Gender::Female));
        assert_eq!(Gender::parse("female"), Some(Gender::Female));
        assert_eq!(Gender::parse("Male "), Some(Gender::Male));
        assert_eq!(Gender::parse("x"), None);
        assert_eq!(serde_json::to_string(&Gender::Female).unwrap(), "\"female\"");
    }

    #[test]
    fn membership_ends() {
        for e in MembershipEnd::ALL {
            assert_eq!(MembershipEnd::parse(e.as_str()), Some(e));
            assert_eq!(MembershipEnd::parse(e.label()), Some(e));
        }
        assert_eq!(MembershipEnd::parse("xoa ten"), Some(MembershipEnd::RemovedFromList));
        assert_eq!(MembershipEnd::parse("TỪ TRẦN"), Some(MembershipEnd::Deceased));
        assert_eq!(serde_json::to_string(&MembershipEnd::RemovedFromList).unwrap(), "\"removed_from_list\"");
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d(1990, 6, 15), d(2025, 6, 14)), 34);
        assert_eq!(age_on(d(1990, 6, 15), d(2025, 6, 15)), 35);
        assert_eq!(age_on(d(2004, 2, 29), d(2022, 2, 28)), 18);
        assert_eq!(age_on(d(2004, 2, 29), d(2022, 2, 27)), 17);
        assert_eq!(age_on(d(2030, 1, 1), d(2025, 1, 1)), 0);
    }
}
