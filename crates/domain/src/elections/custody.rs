//! After the count (Chương VI, QĐ 190-QĐ/TW): the window in which complaints about the election
//! are received (Điều 33: within 15 working days after the congress closes) and the custody of
//! the sealed ballots (Điều 35: kept sealed for 6 months, opened by nobody without the
//! competent level's decision, then destroyed by decision of the same-level committee when no
//! complaint or denunciation is pending). Both numbers are [`ElectionRules`] settings.

use chrono::{Months, NaiveDate};

use super::ElectionRules;
use crate::members::{HolidayCalendar, add_working_days};

/// The last day on which a complaint about the election is received in time (Điều 33): the
/// `complaint_working_days`-th working day after the day the congress closed (or, for an
/// election outside a congress, the day its ballots were sealed).
pub fn complaint_window_ends(closed_on: NaiveDate, rules: &ElectionRules, calendar: &HolidayCalendar) -> NaiveDate {
    add_working_days(closed_on, rules.complaint_working_days, calendar)
}

/// Whether a complaint received on `received_on` came within the window. A late complaint is
/// still recorded: deciding what to do with it is the inspection committee's, not dangvu's.
pub fn in_time(received_on: NaiveDate, window_ends: NaiveDate) -> bool {
    received_on <= window_ends
}

/// The first day on which the sealed ballots may be destroyed (Điều 35): `sealing_months`
/// calendar months after sealing (the 31st sealed gives the last day of a shorter month).
pub fn sealed_until(sealed_on: NaiveDate, rules: &ElectionRules) -> NaiveDate {
    sealed_on.checked_add_months(Months::new(rules.sealing_months)).unwrap_or(NaiveDate::MAX)
}

/// Whether the committee may decide on `on` to destroy the ballots sealed until `until`, with
/// the complaint window ending on `window_ends` (`None` while the congress has not closed)
/// and `complaints_pending` complaints about the election not yet resolved.
pub fn check_destruction(
    on: NaiveDate,
    until: NaiveDate,
    window_ends: Option<NaiveDate>,
    complaints_pending: usize,
) -> Result<(), &'static str> {
    if on < until {
        return Err("Phiếu bầu được niêm phong đủ thời hạn (Điều 35) mới được tiêu hủy");
    }
    if window_ends.is_none_or(|w| on <= w) {
        return Err("Chưa hết thời hạn nhận khiếu nại về bầu cử (Điều 33): chưa được tiêu hủy phiếu bầu");
    }
    if complaints_pending > 0 {
        return Err("Còn khiếu nại, tố cáo về bầu cử chưa giải quyết: chưa được tiêu hủy phiếu bầu");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    use super::*;
    use crate::members::working_days_between;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn fifteen_working_days_skip_the_weekends_and_the_holidays() {
        let rules = ElectionRules::default();
        // Closed on Thursday 23/7/2020: 15 working days is three weeks later, Thursday 13/8.
        assert_eq!(complaint_window_ends(day(2020, 7, 23), &rules, &HolidayCalendar::new()), day(2020, 8, 13));
        // Closed on Friday 28/8/2020: 2/9 (a Wednesday) is off, so the window ends a day later.
        let calendar = HolidayCalendar::vietnam_fixed(2020);
        assert_eq!(complaint_window_ends(day(2020, 8, 28), &rules, &calendar), day(2020, 9, 21));
    }

    #[test]
    fn six_months_of_sealing_end_on_the_same_day_or_the_end_of_a_shorter_month() {
        let rules = ElectionRules::default();
        assert_eq!(sealed_until(day(2025, 7, 23), &rules), day(2026, 1, 23));
        assert_eq!(sealed_until(day(2025, 8, 31), &rules), day(2026, 2, 28));
        let window = Some(day(2025, 8, 13));
        assert!(check_destruction(day(2026, 1, 22), day(2026, 1, 23), window, 0).is_err());
        assert!(check_destruction(day(2026, 1, 23), day(2026, 1, 23), window, 1).is_err());
        assert!(check_destruction(day(2026, 1, 23), day(2026, 1, 23), None, 0).is_err(), "the congress not closed");
        assert!(check_destruction(day(2026, 1, 23), day(2026, 1, 23), Some(day(2026, 1, 23)), 0).is_err());
        assert!(check_destruction(day(2026, 1, 23), day(2026, 1, 23), window, 0).is_ok());
    }

    proptest! {
        /// The window holds exactly the set number of working days and ends on a working day;
        /// the sealing lasts the set number of months.
        #[test]
        fn the_windows_hold_what_the_rules_say(
            days in 0i64..20_000, working in 1u32..60, months in 1u32..36,
        ) {
            let closed = day(2000, 1, 1) + chrono::Days::new(days as u64);
            let rules = ElectionRules { complaint_working_days: working, sealing_months: months, ..ElectionRules::default() };
            let calendar = HolidayCalendar::vietnam_fixed(closed.year());
            let ends = complaint_window_ends(closed, &rules, &calendar);
            prop_assert_eq!(working_days_between(closed, ends, &calendar), i64::from(working));
            prop_assert!(in_time(ends, ends));
            prop_assert!(!in_time(ends.succ_opt().unwrap(), ends));
            let until = sealed_until(closed, &rules);
            let whole = (until.year() - closed.year()) * 12 + until.month() as i32 - closed.month() as i32;
            prop_assert_eq!(whole, months as i32);
            let later = until.max(ends.succ_opt().unwrap());
            prop_assert!(check_destruction(later, until, Some(ends), 0).is_ok());
            prop_assert!(check_destruction(until.pred_opt().unwrap(), until, Some(ends), 0).is_err());
            prop_assert!(check_destruction(later, until, Some(later), 0).is_err());
        }
    }
}
