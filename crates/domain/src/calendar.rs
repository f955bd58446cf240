//! Dates as the users live them: Vietnam is UTC+7 all year, with no daylight saving.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+7, the time zone of every Party organisation.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// Today's date in Vietnam: "as it stands today" means this date.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vietnam()).date_naive()
}

/// The earliest date dangvu stores: before the Party was founded (3/2/1930).
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
/// The latest date dangvu stores.
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2999, 12, 31).expect("a valid date");

/// Parses `YYYY-MM-DD` (the API) or `dd/mm/yyyy` (what people type).
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    iso_date(s)
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

/// Exactly `YYYY-MM-DD`, the form of every date an export or the API writes, read without
/// chrono's format interpreter (a national import reads twenty million dates).
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    NaiveDate::from_ymd_opt(number(&b[..4])? as i32, number(&b[5..7])?, number(&b[8..])?)
}

/// An instant shown in Vietnam's time.
pub fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&vietnam())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_quick_reading_agrees_with_chrono(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9 -]{8,11}") {
            prop_assert_eq!(parse_date(&s), NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y")).ok());
        }
    }

    #[test]
    fn parses_both_forms() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(parse_date("2025-07-01"), Some(d));
        assert_eq!(parse_date("01/07/2025"), Some(d));
        assert_eq!(parse_date(" 1/7/2025 "), Some(d));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(parse_date("20245-01-01"), None);
    }
}
