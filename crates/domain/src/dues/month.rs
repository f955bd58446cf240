//! A calendar month, `YYYY-MM`: the unit the dues are owed, paid and reported in.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A month of the calendar, ordered; `2026-02` on the wire and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month(i32);

impl Month {
    /// `month` 1–12 of `year` 1930–2200 (the years a member's dues can fall in).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1930..=2200).contains(&year) && (1..=12).contains(&month)).then(|| Month(year * 12 + month as i32 - 1))
    }

    /// `YYYY-MM`; `MM/YYYY` (how people write it) is read too.
    pub fn parse(text: &str) -> Option<Month> {
        let text = text.trim();
        let (year, month) = match text.split_once('-') {
            Some((y, m)) => (y, m),
            None => {
                let (m, y) = text.split_once('/')?;
                (y, m)
            }
        };
        if year.len() != 4 || !(1..=2).contains(&month.len()) {
            return None;
        }
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month(day.year() * 12 + day.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1–12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    /// `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `self` to `later`, both counted: `2026-01..=2026-12` is 12.
    pub fn count_to(self, later: Month) -> i32 {
        later.0 - self.0 + 1
    }

    /// The twelve months of a year.
    pub fn of_year(year: i32) -> impl Iterator<Item = Month> {
        (0..12).map(move |m| Month(year * 12 + m))
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.0..=last.0).map(Month)
    }

    /// "tháng 02/2026".
    pub fn label(self) -> String {
        format!("tháng {:02}/{}", self.month(), self.year())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("tháng không hợp lệ: {text} (YYYY-MM)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_reads_and_writes_as_people_and_machines_write_it() {
        let m = Month::parse("2026-02").unwrap();
        assert_eq!((m.year(), m.month()), (2026, 2));
        assert_eq!(Month::parse("2/2026"), Some(m));
        assert_eq!(Month::parse("02/2026"), Some(m));
        assert_eq!(m.to_string(), "2026-02");
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(Month::parse("2028-02").unwrap().last_day().day(), 29);
        assert_eq!(Month::parse("2026-12").unwrap().next().to_string(), "2027-01");
        for bad in ["2026-13", "2026-00", "26-01", "2026", "", "abcd-ef", "1900-01"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(Month::of_year(2026).count(), 12);
        assert_eq!(Month::parse("2025-11").unwrap().count_to(Month::parse("2026-02").unwrap()), 4);
    }
}
