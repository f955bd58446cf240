//! Calendar months, counted the way the regulations count them.
//!
//! A term "of 12 months from 29/02/2024" ends on 28/02/2025: adding months keeps the day of the
//! month and falls back to the last day of a shorter month (chrono's `checked_add_months`). The
//! completed months between two dates are counted with the same rule, so that a term of `n`
//! months, started on `d`, has lasted exactly `n` completed months on its last day.

use chrono::{Datelike, Months, NaiveDate};

/// `date` plus `months`, with the end-of-month fallback; saturates at chrono's last date
/// instead of failing, which no stored date (≤ 2999) comes near.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// `years` whole years after `date` (29/02 falls back to 28/02).
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    add_months(date, years.saturating_mul(12))
}

/// The number of whole months from `from` to `to`: the largest `m` with
/// `add_months(from, m) <= to`; 0 when `to` is not after `from`.
pub fn completed_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    // Within chrono's range (±262,000 years) the month difference fits a u32, and it overshoots
    // by at most one (when the day of `to` is earlier than that of `from`).
    let guess = u32::try_from(calendar_months(from, to).max(0)).unwrap_or(u32::MAX);
    if guess > 0 && add_months(from, guess) > to { guess - 1 } else { guess }
}

/// Whole years from `from` to `to` (see [`completed_months`]).
pub fn completed_years(from: NaiveDate, to: NaiveDate) -> u32 {
    completed_months(from, to) / 12
}

/// The difference of the calendar months of two dates, ignoring the days: from 31/01 to 01/02
/// is one month. This is how "tuổi tính theo tháng" is counted for admission.
pub fn calendar_months(from: NaiveDate, to: NaiveDate) -> i64 {
    (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_ends_fall_back() {
        assert_eq!(add_months(d(2024, 2, 29), 12), d(2025, 2, 28));
        assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2024, 3, 31), 1), d(2024, 4, 30));
        assert_eq!(add_years(d(2024, 2, 29), 4), d(2028, 2, 29));
    }

    #[test]
    fn completed_months_counts_whole_months() {
        assert_eq!(completed_months(d(2024, 2, 29), d(2025, 2, 28)), 12);
        assert_eq!(completed_months(d(2024, 2, 29), d(2025, 2, 27)), 11);
        assert_eq!(completed_months(d(2025, 1, 31), d(2025, 2, 28)), 1);
        assert_eq!(completed_months(d(2025, 1, 15), d(2025, 2, 14)), 0);
        assert_eq!(completed_months(d(2025, 1, 15), d(2025, 2, 15)), 1);
        assert_eq!(completed_months(d(2025, 3, 1), d(2025, 1, 1)), 0);
        assert_eq!(completed_years(d(2015, 7, 26), d(2025, 7, 25)), 9);
        assert_eq!(completed_years(d(2015, 7, 26), d(2025, 7, 26)), 10);
        assert_eq!(calendar_months(d(2025, 1, 31), d(2025, 2, 1)), 1);
    }

    proptest! {
        #[test]
        fn completed_months_is_the_largest_fitting(a in 0i64..400_000, b in 0i64..400_000) {
            let base = d(1900, 1, 1);
            let (from, to) = (base + chrono::Days::new(a as u64), base + chrono::Days::new(b as u64));
            let m = completed_months(from, to);
            if to > from {
                prop_assert!(add_months(from, m) <= to);
                prop_assert!(add_months(from, m + 1) > to);
            } else {
                prop_assert_eq!(m, 0);
            }
        }
    }
}
