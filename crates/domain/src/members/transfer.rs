//! Transfers of party activity between organisations (chuyển sinh hoạt đảng),
//! reference/domain-rules.md §4.5 (Quy định 294-QĐ/TW point 6.3.1; 29-QĐ/TW).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::months::add_months;
use super::rules::MembershipRules;
use super::working_days::{HolidayCalendar, add_working_days};

/// Official (chính thức: new job, retirement, long-term move) or temporary (tạm thời).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Official,
    Temporary,
}

impl TransferKind {
    pub const ALL: [TransferKind; 2] = [TransferKind::Official, TransferKind::Temporary];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Official => "official",
            TransferKind::Temporary => "temporary",
        }
    }

    pub fn parse(s: &str) -> Option<TransferKind> {
        TransferKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TransferKind::Official => "Chuyển sinh hoạt đảng chính thức",
            TransferKind::Temporary => "Chuyển sinh hoạt đảng tạm thời",
        }
    }
}

/// Why a member transfers temporarily; the allowed duration depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemporaryReason {
    /// A change of residence or work place: 3 months to under 1 year.
    WorkOrResidence,
    /// A training course, returning afterwards: 3 months to 2 years.
    Training,
    /// A special case set by the Ban Bí thư: no duration rule here.
    Special,
}

impl TemporaryReason {
    pub const ALL: [TemporaryReason; 3] =
        [TemporaryReason::WorkOrResidence, TemporaryReason::Training, TemporaryReason::Special];

    pub fn as_str(self) -> &'static str {
        match self {
            TemporaryReason::WorkOrResidence => "work_or_residence",
            TemporaryReason::Training => "training",
            TemporaryReason::Special => "special",
        }
    }

    pub fn parse(s: &str) -> Option<TemporaryReason> {
        TemporaryReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TemporaryReason::WorkOrResidence => "Thay đổi nơi cư trú hoặc nơi làm việc",
            TemporaryReason::Training => "Đi học, bồi dưỡng",
            TemporaryReason::Special => "Trường hợp đặc biệt do Ban Bí thư quy định",
        }
    }
}

/// Why a temporary transfer's dates do not fit its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransferProblem {
    #[error("Ngày kết thúc phải sau ngày bắt đầu")]
    EndsBeforeStart,
    #[error("Dưới {min_months} tháng: không phải chuyển sinh hoạt đảng tạm thời")]
    TooShort { min_months: u32 },
    #[error("Từ {under_months} tháng trở lên: phải chuyển sinh hoạt đảng chính thức")]
    TooLongForWork { under_months: u32 },
    #[error("Khóa học dài quá {max_months} tháng: phải chuyển sinh hoạt đảng chính thức")]
    TooLongForTraining { max_months: u32 },
}

/// Whether a temporary transfer from `from` until `until` (the day the member returns) fits
/// `reason`: work or residence from 3 months to under 12, training from 3 to 24 months.
pub fn check_temporary_transfer(
    reason: TemporaryReason,
    from: NaiveDate,
    until: NaiveDate,
    rules: &MembershipRules,
) -> Result<(), TransferProblem> {
    if until <= from {
        return Err(TransferProblem::EndsBeforeStart);
    }
    match reason {
        TemporaryReason::WorkOrResidence => {
            if until < add_months(from, rules.temporary_transfer_min_months) {
                Err(TransferProblem::TooShort { min_months: rules.temporary_transfer_min_months })
            } else if until >= add_months(from, rules.temporary_transfer_under_months) {
                Err(TransferProblem::TooLongForWork { under_months: rules.temporary_transfer_under_months })
            } else {
                Ok(())
            }
        }
        TemporaryReason::Training => {
            if until < add_months(from, rules.training_transfer_min_months) {
                Err(TransferProblem::TooShort { min_months: rules.training_transfer_min_months })
            } else if until > add_months(from, rules.training_transfer_max_months) {
                Err(TransferProblem::TooLongForTraining { max_months: rules.training_transfer_max_months })
            } else {
                Ok(())
            }
        }
        TemporaryReason::Special => Ok(()),
    }
}

/// The last day to complete an official transfer: 60 working days after the decision took
/// effect or the member moved.
pub fn official_transfer_due_on(
    effective_on: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    add_working_days(effective_on, rules.official_transfer_working_days, calendar)
}

/// The last day for the member to present the introduction letter to the receiving chi ủy:
/// 30 working days after it was issued. Later presentations must be explained.
pub fn introduction_letter_due_on(
    issued_on: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> NaiveDate {
    add_working_days(issued_on, rules.introduction_letter_working_days, calendar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn kinds_serialise_as_the_contract_says() {
        assert_eq!(serde_json::to_string(&TransferKind::Official).unwrap(), "\"official\"");
        assert_eq!(serde_json::from_str::<TransferKind>("\"temporary\"").unwrap(), TransferKind::Temporary);
        for k in TransferKind::ALL {
            assert_eq!(TransferKind::parse(k.as_str()), Some(k));
        }
        for r in TemporaryReason::ALL {
            assert_eq!(TemporaryReason::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn temporary_durations() {
        let r = MembershipRules::default();
        let work = TemporaryReason::WorkOrResidence;
        let from = d(2025, 1, 31);
        assert_eq!(check_temporary_transfer(work, from, d(2025, 4, 30), &r), Ok(()));
        assert_eq!(
            check_temporary_transfer(work, from, d(2025, 4, 29), &r),
            Err(TransferProblem::TooShort { min_months: 3 })
        );
        assert_eq!(check_temporary_transfer(work, from, d(2026, 1, 30), &r), Ok(()));
        assert_eq!(
            check_temporary_transfer(work, from, d(2026, 1, 31), &r),
            Err(TransferProblem::TooLongForWork { under_months: 12 })
        );
        let training = TemporaryReason::Training;
        assert_eq!(check_temporary_transfer(training, from, d(2027, 1, 31), &r), Ok(()));
        assert_eq!(
            check_temporary_transfer(training, from, d(2027, 2, 1), &r),
            Err(TransferProblem::TooLongForTraining { max_months: 24 })
        );
        assert_eq!(check_temporary_transfer(training, from, from, &r), Err(TransferProblem::EndsBeforeStart));
        assert_eq!(check_temporary_transfer(TemporaryReason::Special, from, d(2030, 1, 1), &r), Ok(()));
        assert_eq!(
            check_temporary_transfer(work, from, d(2025, 2, 1), &r).unwrap_err().to_string(),
            "Dưới 3 tháng: không phải chuyển sinh hoạt đảng tạm thời"
        );
    }

    #[test]
    fn due_dates() {
        let r = MembershipRules::default();
        let cal = HolidayCalendar::vietnam_fixed(2025);
        // Monday 1/9/2025 (not in the fixed list: the administrator enters it) → 30 working days,
        // skipping 2/9.
        let due = introduction_letter_due_on(d(2025, 9, 1), &r, &cal);
        assert_eq!(due, d(2025, 10, 14));
        let due = official_transfer_due_on(d(2025, 9, 1), &r, &cal);
        assert_eq!(due, add_working_days(d(2025, 10, 14), 30, &cal));
    }

    proptest! {
        #[test]
        fn never_panics(a in 0u64..401_000, b in 0u64..401_000, reason in 0usize..3) {
            let base = d(1900, 1, 1);
            let (from, until) = (base + chrono::Days::new(a), base + chrono::Days::new(b));
            let r = MembershipRules::default();
            let result = check_temporary_transfer(TemporaryReason::ALL[reason], from, until, &r);
            if until <= from {
                prop_assert_eq!(result, Err(TransferProblem::EndsBeforeStart));
            }
            let cal = HolidayCalendar::new();
            prop_assert!(introduction_letter_due_on(from, &r, &cal) > from);
        }
    }
}
