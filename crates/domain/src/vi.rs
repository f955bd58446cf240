//! Vietnamese formatting: dates as dd/mm/yyyy, numbers as 5.112.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

/// `01/07/2025`.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// `14:05 01/07/2025`, in Vietnam's time.
pub fn datetime(at: DateTime<Utc>) -> String {
    let l = crate::calendar::local(at);
    format!("{:02}:{:02} {}", l.hour(), l.minute(), date(l.date_naive()))
}

/// `5.112`, `-1.234.567`: the thousands separator is a dot.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// "Thứ Ba, 03/03/2026 lúc 07:30", as a member reads it.
pub fn day_and_time(at: DateTime<FixedOffset>) -> String {
    let day = match at.weekday() {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ nhật",
    };
    // Plain integer formatting: chrono's `format` parses its pattern on every call, and the
    // handbook writes this on every line of the most requested page.
    format!("{day}, {:02}/{:02}/{} lúc {:02}:{:02}", at.day(), at.month(), at.year(), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_numbers_the_vietnamese_way() {
        assert_eq!(number(0), "0");
        assert_eq!(number(419), "419");
        assert_eq!(number(5112), "5.112");
        assert_eq!(number(88695), "88.695");
        assert_eq!(number(5_600_000), "5.600.000");
        assert_eq!(number(-1234), "-1.234");
    }

    #[test]
    fn formats_dates_day_first() {
        assert_eq!(date(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()), "01/07/2025");
    }

    proptest! {
        #[test]
        fn number_round_trips(n in any::<i64>()) {
            let s = number(n);
            let back: i128 = s.replace('.', "").parse().unwrap();
            prop_assert_eq!(back, n as i128);
        }
    }

    #[test]
    fn a_meeting_time_reads_with_its_weekday_in_vietnamese() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-03T07:30:00+07:00").unwrap();
        assert_eq!(super::day_and_time(at), "Thứ Ba, 03/03/2026 lúc 07:30");
        let sunday = chrono::DateTime::parse_from_rfc3339("2026-03-01T19:05:00+07:00").unwrap();
        assert_eq!(super::day_and_time(sunday), "Chủ nhật, 01/03/2026 lúc 19:05");
    }
}
