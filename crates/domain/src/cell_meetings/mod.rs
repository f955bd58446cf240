//! Cell meetings (sinh hoạt chi bộ): the monthly regular meeting and the thematic ones, their
//! attendance and minutes, as kept in the member's handbook (Sổ tay đảng viên điện tử).

mod rules;
mod state;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};

pub use rules::CellMeetingRules;
pub use state::{Event, State};

use crate::calendar;

/// The two forms of a cell meeting; one does not replace the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The monthly meeting (sinh hoạt thường kỳ).
    Regular,
    /// A meeting on one topic (sinh hoạt chuyên đề), at least once a quarter.
    Thematic,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Regular, Kind::Thematic];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Regular => "regular",
            Kind::Thematic => "thematic",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Regular => "Sinh hoạt thường kỳ",
            Kind::Thematic => "Sinh hoạt chuyên đề",
        }
    }
}

/// A member's attendance as the secretary records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    /// Absent with a reason given (vắng có lý do).
    Excused,
    /// Absent without a reason (vắng không lý do).
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Excused, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Excused => "excused",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Present => "Có mặt",
            Attendance::Excused => "Vắng có lý do",
            Attendance::Absent => "Vắng không lý do",
        }
    }
}

/// A member's answer before the meeting, from the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Attending,
    /// Asks to be excused, with a reason (xin vắng).
    Excused,
}

impl Reply {
    pub fn as_str(self) -> &'static str {
        match self {
            Reply::Attending => "attending",
            Reply::Excused => "excused",
        }
    }

    pub fn parse(s: &str) -> Option<Reply> {
        [Reply::Attending, Reply::Excused].into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Reply::Attending => "Sẽ dự họp",
            Reply::Excused => "Xin vắng",
        }
    }
}

/// A calendar month, stored as the number `yyyymm` (202603): the same type on both engines,
/// sorted naturally. The month of an instant is taken in Vietnam's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=2999).contains(&year)).then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    /// The month of an instant, in Vietnam's time: 06:00 on the 1st is already the new month
    /// there, though still the last day of the old one in UTC.
    pub fn of_instant(at: DateTime<FixedOffset>) -> Month {
        Month::of(at.with_timezone(&calendar::vietnam()).date_naive())
    }

    /// `YYYY-MM`, as the API writes it.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn from_number(n: i64) -> Option<Month> {
        Month::new(i32::try_from(n / 100).ok()?, u32::try_from(n % 100).ok()?)
    }

    pub fn number(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.month)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month has a first day")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a month has a last day")
    }

    /// The given day of this month, or its last day when the month is shorter (the 31st of
    /// February is the 28th or 29th).
    pub fn day(self, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, day.max(1)).unwrap_or_else(|| self.last_day())
    }

    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }

    /// The first month of this month's quarter (January, April, July or October).
    pub fn quarter_start(self) -> Month {
        Month { month: (self.month - 1) / 3 * 3 + 1, ..self }
    }

    /// "3/2026", as minutes and titles write it.
    pub fn label(self) -> String {
        format!("{}/{}", self.month, self.year)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The usual hour of a cell meeting when only a date is given.
pub const DEFAULT_START: NaiveTime = NaiveTime::from_hms_opt(7, 30, 0).expect("a valid time");

/// Reads the time of a meeting: RFC 3339 (`2026-03-03T07:30:00+07:00`), a local date and time
/// (`2026-03-03T07:30` or with a space, taken in Vietnam's time), or a bare date (07:30 that day).
pub fn parse_scheduled_at(input: &str) -> Option<DateTime<FixedOffset>> {
    let s = input.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Some(at.with_timezone(&calendar::vietnam()));
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| calendar::parse_date(s).map(|d| d.and_time(DEFAULT_START)))?;
    calendar::vietnam().from_local_datetime(&local).single()
}

/// The title of a meeting when the secretary gives no topic.
pub fn default_title(kind: Kind, month: Month) -> String {
    format!("{} tháng {}", kind.label(), month.label())
}

/// The running count of regular meetings a member missed without a reason, this one included:
/// an unexcused absence adds one to the count of the previous regular meeting, anything else
/// resets it. A month in which the cell did not meet has no row, so it neither counts nor resets.
pub fn absent_streak(previous: i64, status: Attendance) -> i64 {
    if status == Attendance::Absent { previous + 1 } else { 0 }
}

/// The share of recorded members who were present; 0 when nobody was recorded.
pub fn attendance_rate(present: i64, recorded: i64) -> f64 {
    if recorded <= 0 { 0.0 } else { present as f64 / recorded as f64 }
}

/// The next unified meeting day from today: this month's if it is still ahead, else next month's.
pub fn next_regular_day(day: u32, today: NaiveDate) -> NaiveDate {
    let this = Month::of(today).day(day);
    if this >= today { this } else { Month::of(today).next().day(day) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_month_of_an_instant_is_vietnams() {
        // 23:30 UTC on 31 March is 06:30 on 1 April in Hà Nội.
        let at = DateTime::parse_from_rfc3339("2026-03-31T23:30:00Z").unwrap();
        assert_eq!(Month::of_instant(at), Month::new(2026, 4).unwrap());
        let at = DateTime::parse_from_rfc3339("2026-04-01T06:30:00+07:00").unwrap();
        assert_eq!(Month::of_instant(at).number(), 202604);
    }

    #[test]
    fn scheduled_at_reads_three_forms() {
        let want = DateTime::parse_from_rfc3339("2026-03-03T07:30:00+07:00").unwrap();
        assert_eq!(parse_scheduled_at("2026-03-03T07:30:00+07:00"), Some(want));
        assert_eq!(parse_scheduled_at("2026-03-03T00:30:00Z"), Some(want));
        assert_eq!(parse_scheduled_at("2026-03-03T07:30"), Some(want));
        assert_eq!(parse_scheduled_at("2026-03-03"), Some(want));
        assert_eq!(parse_scheduled_at("03/03/2026"), Some(want));
        assert_eq!(parse_scheduled_at("tháng ba"), None);
        assert_eq!(parse_scheduled_at("2026-02-30"), None);
    }

    #[test]
    fn a_quarter_starts_in_january_april_july_or_october() {
        let starts: Vec<u32> = (1..=12).map(|m| Month::new(2026, m).unwrap().quarter_start().month()).collect();
        assert_eq!(starts, [1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10]);
        assert_eq!(Month::new(2026, 12).unwrap().quarter_start().year(), 2026);
    }

    #[test]
    fn months_parse_and_print() {
        assert_eq!(Month::parse("2026-03").unwrap().to_string(), "2026-03");
        assert_eq!(Month::parse("2026-3"), None);
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-03"), None);
        let feb = Month::new(2028, 2).unwrap();
        assert_eq!(feb.last_day(), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert_eq!(feb.day(31), NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert_eq!(Month::new(2026, 12).unwrap().next(), Month::new(2027, 1).unwrap());
        assert_eq!(Month::new(2027, 1).unwrap().prev(), Month::new(2026, 12).unwrap());
        assert_eq!(default_title(Kind::Regular, feb), "Sinh hoạt thường kỳ tháng 2/2028");
    }

    #[test]
    fn a_streak_counts_unexcused_absences_only() {
        let mut s = 0;
        for status in [Attendance::Absent, Attendance::Absent, Attendance::Absent] {
            s = absent_streak(s, status);
        }
        assert_eq!(s, 3);
        assert_eq!(absent_streak(s, Attendance::Excused), 0);
        assert_eq!(absent_streak(s, Attendance::Present), 0);
        assert_eq!(attendance_rate(0, 0), 0.0);
        assert_eq!(attendance_rate(9, 12), 0.75);
    }

    proptest! {
        #[test]
        fn months_round_trip(year in 1900i32..2999, month in 1u32..=12) {
            let m = Month::new(year, month).unwrap();
            prop_assert_eq!(Month::from_number(m.number()), Some(m));
            prop_assert_eq!(Month::parse(&m.to_string()), Some(m));
            prop_assert_eq!(m.next().prev(), m);
            prop_assert_eq!(Month::of(m.first_day()), m);
            prop_assert_eq!(Month::of(m.last_day()), m);
            prop_assert_eq!(m.last_day().succ_opt().map(Month::of), Some(m.next()));
        }
    }

    #[test]
    fn the_next_unified_day_is_this_months_until_it_has_passed() {
        let on = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(super::next_regular_day(3, on("2026-03-01")), on("2026-03-03"));
        assert_eq!(super::next_regular_day(3, on("2026-03-03")), on("2026-03-03"));
        assert_eq!(super::next_regular_day(3, on("2026-03-04")), on("2026-04-03"));
        assert_eq!(super::next_regular_day(3, on("2026-12-20")), on("2027-01-03"));
    }
}
