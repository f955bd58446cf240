//! Vietnamese formatting: dates as dd/mm/yyyy, numbers as 5.112.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

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
}
