//! Working days (ngày làm việc): the unit of most deadlines of Party work.
//!
//! Offices rest on Saturday and Sunday and on the public holidays. The holidays are data, not
//! code: the lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương on 10/3 lunar) move every year, the
//! day next to Quốc khánh (1/9 or 3/9) and any swapped days are fixed each year by the
//! Government's notice, and the list itself is changed by law from time to time. Administrators
//! enter them; [`HolidayCalendar::vietnam_fixed`] only fills in what the Labour Code fixes on the
//! solar calendar.

use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The days off besides the weekend, and the weekend days that are worked instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct HolidayCalendar {
    /// Public holidays and compensatory days off (ngày nghỉ lễ, Tết, nghỉ bù). A date listed
    /// here is never a working day, even when it is also listed in `extra_working_days`.
    pub holidays: BTreeSet<NaiveDate>,
    /// Saturdays or Sundays declared working days in exchange for a bridge day off (ngày làm
    /// bù), as the Government's yearly notice sets them.
    pub extra_working_days: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    /// Only the weekend is off.
    pub fn new() -> Self {
        Self::default()
    }

    /// The weekend plus `holidays`.
    pub fn with_holidays(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { holidays: holidays.into_iter().collect(), extra_working_days: BTreeSet::new() }
    }

    /// The holidays of `year` that the Labour Code 2019 fixes on the solar calendar
    /// (Bộ luật Lao động 2019, Điều 112 khoản 1): Tết Dương lịch 1/1, Ngày Chiến thắng 30/4,
    /// Ngày Quốc tế lao động 1/5 and Quốc khánh 2/9; plus, for each of them that falls on a
    /// Saturday or Sunday, the compensatory day off on the next working day (Điều 111 khoản 3).
    ///
    /// Not included, because they cannot be known from the year alone and must be entered as
    /// data: the 5 days of Tết Nguyên đán and Giỗ Tổ Hùng Vương (10/3), which follow the lunar
    /// calendar; the second day of Quốc khánh, "01 ngày liền kề trước hoặc sau" (1/9 or 3/9),
    /// which the Prime Minister chooses each year; the compensatory days of those; and any
    /// days swapped by the Government's yearly notice.
    pub fn vietnam_fixed(year: i32) -> Self {
        let mut calendar = Self::new();
        let fixed: Vec<NaiveDate> = [(1, 1), (4, 30), (5, 1), (9, 2)]
            .iter()
            .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
            .collect();
        calendar.holidays.extend(fixed.iter().copied());
        for day in fixed {
            if is_weekend(day) {
                // The next weekday that is not already off (30/4 and 1/5 on a weekend give
                // two days, as in 2022: 2/5 and 3/5).
                let mut next = day.succ_opt();
                while let Some(d) = next {
                    if calendar.is_working_day(d) {
                        calendar.holidays.insert(d);
                        break;
                    }
                    next = d.succ_opt();
                }
            }
        }
        calendar
    }

    pub fn add_holiday(&mut self, day: NaiveDate) {
        self.holidays.insert(day);
    }

    pub fn add_extra_working_day(&mut self, day: NaiveDate) {
        self.extra_working_days.insert(day);
    }

    /// Everything `other` knows as well, e.g. the fixed holidays of several years plus the
    /// dates entered by an administrator.
    pub fn merge(&mut self, other: &HolidayCalendar) {
        self.holidays.extend(other.holidays.iter().copied());
        self.extra_working_days.extend(other.extra_working_days.iter().copied());
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.holidays.contains(&day) {
            return false;
        }
        !is_weekend(day) || self.extra_working_days.contains(&day)
    }

    /// Working days in `(after, until]`; 0 when `until <= after`.
    fn count_after(&self, after: NaiveDate, until: NaiveDate) -> i64 {
        if until <= after {
            return 0;
        }
        let range = (Excluded(after), Included(until));
        let weekdays = weekdays_up_to(until) - weekdays_up_to(after);
        let holidays_on_weekdays = self.holidays.range(range).filter(|d| !is_weekend(**d)).count() as i64;
        let worked_weekend_days =
            self.extra_working_days.range(range).filter(|d| is_weekend(**d) && !self.holidays.contains(*d)).count()
                as i64;
        weekdays - holidays_on_weekdays + worked_weekend_days
    }
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday to Friday days from 01/01/0001 (a Monday, day 1 of the common era) up to `day`;
/// only differences of this count are used, so it need not be meaningful before that.
fn weekdays_up_to(day: NaiveDate) -> i64 {
    let n = i64::from(day.num_days_from_ce());
    n.div_euclid(7) * 5 + n.rem_euclid(7).min(5)
}

/// The `n`-th working day after `start`: day 1 is the first working day after `start`, so a
/// deadline "within 60 working days of the resolution" is `add_working_days(resolution, 60, …)`.
/// `n = 0` gives `start` itself. Saturates at chrono's last date (far beyond any stored date).
pub fn add_working_days(start: NaiveDate, n: u32, calendar: &HolidayCalendar) -> NaiveDate {
    let mut current = start;
    let mut remaining = u64::from(n);
    // `remaining` calendar days hold at most `remaining` working days, so each jump lands on or
    // before the answer; it lands on the answer exactly when every day jumped over was worked.
    // The jumps shrink geometrically, so even a huge `n` takes few steps.
    while remaining > 0 {
        let Some(next) = current.checked_add_days(Days::new(remaining)) else {
            return NaiveDate::MAX;
        };
        let worked = calendar.count_after(current, next).max(0) as u64;
        remaining = remaining.saturating_sub(worked);
        current = next;
    }
    current
}

/// The working days from `a` to `b`: those in `(a, b]` when `b >= a`, so that
/// `working_days_between(d, add_working_days(d, n)) == n`; negative when `b` is before `a`.
pub fn working_days_between(a: NaiveDate, b: NaiveDate, calendar: &HolidayCalendar) -> i64 {
    if b >= a { calendar.count_after(a, b) } else { -calendar.count_after(b, a) }
}

/// The first working day on or after `day`, e.g. to move a deadline that a person enters on a
/// holiday.
pub fn working_day_on_or_after(day: NaiveDate, calendar: &HolidayCalendar) -> NaiveDate {
    match day.pred_opt() {
        Some(before) => add_working_days(before, 1, calendar),
        None => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_one_is_the_first_working_day_after() {
        let cal = HolidayCalendar::new();
        // Friday 6/6/2025 + 1 → Monday 9/6.
        assert_eq!(add_working_days(d(2025, 6, 6), 1, &cal), d(2025, 6, 9));
        // Saturday + 1 → Monday.
        assert_eq!(add_working_days(d(2025, 6, 7), 1, &cal), d(2025, 6, 9));
        assert_eq!(add_working_days(d(2025, 6, 9), 5, &cal), d(2025, 6, 16));
        assert_eq!(add_working_days(d(2025, 6, 7), 0, &cal), d(2025, 6, 7));
        assert_eq!(working_days_between(d(2025, 6, 6), d(2025, 6, 9), &cal), 1);
        assert_eq!(working_days_between(d(2025, 6, 9), d(2025, 6, 6), &cal), -1);
        assert_eq!(working_days_between(d(2025, 6, 7), d(2025, 6, 8), &cal), 0);
    }

    #[test]
    fn holidays_inside_the_span_are_skipped() {
        let cal = HolidayCalendar::vietnam_fixed(2025);
        // Monday 28/4/2025: 29/4 is worked, 30/4 (Wed) and 1/5 (Thu) are off.
        assert_eq!(add_working_days(d(2025, 4, 28), 1, &cal), d(2025, 4, 29));
        assert_eq!(add_working_days(d(2025, 4, 28), 2, &cal), d(2025, 5, 2));
        assert_eq!(add_working_days(d(2025, 4, 28), 3, &cal), d(2025, 5, 5));
        assert_eq!(working_days_between(d(2025, 4, 28), d(2025, 5, 5), &cal), 3);
        // Tết 2025 (29/1 is mùng 1) entered as data: 27/1 to 31/1 off.
        let mut cal = cal;
        for day in 27..=31 {
            cal.add_holiday(d(2025, 1, day));
        }
        // Friday 24/1 + 1 working day → Monday 3/2.
        assert_eq!(add_working_days(d(2025, 1, 24), 1, &cal), d(2025, 2, 3));
        // 60 working days from a resolution on 2/1/2025 (Thursday).
        let due = add_working_days(d(2025, 1, 2), 60, &cal);
        assert_eq!(working_days_between(d(2025, 1, 2), due, &cal), 60);
        assert!(cal.is_working_day(due));
        assert_eq!(due, d(2025, 4, 3));
    }

    #[test]
    fn fixed_holidays_and_compensatory_days() {
        // 2022: 30/4 Saturday and 1/5 Sunday → off on Monday 2/5 and Tuesday 3/5.
        let cal = HolidayCalendar::vietnam_fixed(2022);
        let expected: BTreeSet<NaiveDate> =
            [d(2022, 1, 1), d(2022, 1, 3), d(2022, 4, 30), d(2022, 5, 1), d(2022, 5, 2), d(2022, 5, 3), d(2022, 9, 2)]
                .into_iter()
                .collect();
        assert_eq!(cal.holidays, expected);
        // 2023: 2/9 Saturday → Monday 4/9.
        assert!(HolidayCalendar::vietnam_fixed(2023).holidays.contains(&d(2023, 9, 4)));
        // 2025: none fall on a weekend.
        assert_eq!(HolidayCalendar::vietnam_fixed(2025).holidays.len(), 4);
    }

    #[test]
    fn swapped_weekend_days_are_worked() {
        // 2023: Saturday 6/5 worked in exchange for Tuesday 2/5 off.
        let mut cal = HolidayCalendar::vietnam_fixed(2023);
        cal.add_holiday(d(2023, 5, 2));
        cal.add_extra_working_day(d(2023, 5, 6));
        // Friday 28/4 + 1: 1/5 Mon, 2/5 Tue off; 3/5 Wed.
        assert_eq!(add_working_days(d(2023, 4, 28), 1, &cal), d(2023, 5, 3));
        assert_eq!(add_working_days(d(2023, 5, 5), 1, &cal), d(2023, 5, 6));
        assert_eq!(working_days_between(d(2023, 5, 5), d(2023, 5, 8), &cal), 2);
        // A day listed both ways stays off.
        cal.add_holiday(d(2023, 5, 6));
        assert!(!cal.is_working_day(d(2023, 5, 6)));
        assert_eq!(working_days_between(d(2023, 5, 5), d(2023, 5, 8), &cal), 1);
    }

    #[test]
    fn calendar_round_trips_as_json() {
        let cal = HolidayCalendar::vietnam_fixed(2022);
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"2022-05-03\""));
        let back: HolidayCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cal);
        let empty: HolidayCalendar = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, HolidayCalendar::new());
        // Unsorted, duplicated input is fine.
        let cal: HolidayCalendar =
            serde_json::from_str(r#"{"holidays":["2025-09-03","2025-09-01","2025-09-03"]}"#).unwrap();
        assert_eq!(cal.holidays.len(), 2);
    }

    #[test]
    fn next_working_day() {
        let cal = HolidayCalendar::vietnam_fixed(2025);
        assert_eq!(working_day_on_or_after(d(2025, 4, 30), &cal), d(2025, 5, 2));
        assert_eq!(working_day_on_or_after(d(2025, 5, 2), &cal), d(2025, 5, 2));
        assert_eq!(working_day_on_or_after(NaiveDate::MIN, &cal), NaiveDate::MIN);
    }

    #[test]
    fn huge_counts_do_not_hang_or_panic() {
        let cal = HolidayCalendar::vietnam_fixed(2025);
        assert_eq!(add_working_days(d(2025, 1, 1), u32::MAX, &cal), NaiveDate::MAX);
        let far = add_working_days(d(2025, 1, 1), 10_000_000, &cal);
        assert_eq!(working_days_between(d(2025, 1, 1), far, &cal), 10_000_000);
    }

    fn holidays_in_2020s() -> impl Strategy<Value = HolidayCalendar> {
        (prop::collection::vec(0u64..4000, 0..60), prop::collection::vec(0u64..4000, 0..10)).prop_map(|(h, w)| {
            let base = d(2020, 1, 1);
            HolidayCalendar {
                holidays: h.into_iter().map(|n| base + Days::new(n)).collect(),
                extra_working_days: w.into_iter().map(|n| base + Days::new(n)).collect(),
            }
        })
    }

    proptest! {
        #[test]
        fn adding_lands_on_a_working_day_and_is_monotonic(
            start in 0u64..400_000, n in 0u32..400, cal in holidays_in_2020s(),
        ) {
            let start = d(1900, 1, 1) + Days::new(start);
            let due = add_working_days(start, n, &cal);
            let next = add_working_days(start, n + 1, &cal);
            let later_start = add_working_days(start.succ_opt().unwrap(), n, &cal);
            prop_assert!(next > due);
            prop_assert!(later_start >= due);
            prop_assert!(cal.is_working_day(next));
            if n > 0 {
                prop_assert!(cal.is_working_day(due));
                prop_assert!(due > start);
            }
            prop_assert_eq!(working_days_between(start, due, &cal), i64::from(n));
        }

        #[test]
        fn counting_matches_a_day_by_day_walk(a in 0u64..3000, len in 0u64..800, cal in holidays_in_2020s()) {
            let from = d(2019, 6, 1) + Days::new(a);
            let to = from + Days::new(len);
            let mut walked = 0i64;
            let mut day = from;
            while day < to {
                day = day.succ_opt().unwrap();
                if cal.is_working_day(day) {
                    walked += 1;
                }
            }
            prop_assert_eq!(working_days_between(from, to, &cal), walked);
            prop_assert_eq!(working_days_between(to, from, &cal), -walked);
        }

        #[test]
        fn fixed_holidays_never_panic(year in 1900i32..3000) {
            let cal = HolidayCalendar::vietnam_fixed(year);
            prop_assert!(cal.holidays.len() >= 4 && cal.holidays.len() <= 8);
        }
    }
}
