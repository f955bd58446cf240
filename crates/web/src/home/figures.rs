//! The few figures a leader reads on opening dangvu, each beside the same part of last year:
//! tasks done on time, tasks late now, new members admitted, petitions past their deadline.

use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::vi;
use dangvu_store::orgs::Org;
use dangvu_store::{members, tasks};

use crate::AppState;
use crate::error::AppError;

/// One figure, this year so far and the same span of last year.
pub struct KeyFigure {
    pub label: &'static str,
    pub value: String,
    /// "Cùng kỳ năm trước: 12" — empty when the figure has no comparison.
    pub before: String,
    /// `up`, `down` or `same`, and whether that direction is good news.
    pub trend: &'static str,
    pub good: bool,
    pub href: String,
}

/// The same day of last year (28 February for a 29th).
fn a_year_before(day: NaiveDate) -> NaiveDate {
    day.with_year(day.year() - 1).or_else(|| day.pred_opt().and_then(|d| d.with_year(d.year() - 1))).unwrap_or(day)
}

fn trend(now: i64, before: i64, more_is_good: bool) -> (&'static str, bool) {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => ("up", more_is_good),
        std::cmp::Ordering::Less => ("down", !more_is_good),
        std::cmp::Ordering::Equal => ("same", true),
    }
}

/// Per mille of `part` in `whole`, shown as a percent with one decimal.
fn share(part: i64, whole: i64) -> (i64, String) {
    let permille = if whole > 0 { part * 1000 / whole } else { 0 };
    (permille, format!("{},{}%", permille / 10, permille % 10))
}

pub async fn key_figures(state: &AppState, org: &Org) -> Result<Vec<KeyFigure>, AppError> {
    let today = calendar::today();
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let (last_start, last_today) = (a_year_before(start), a_year_before(today));
    let mut out = Vec::new();

    let now = tasks::summary(&state.db, &org.path, today, start, today).await?;
    let then = tasks::summary(&state.db, &org.path, today, last_start, last_today).await?;
    let finished = |s: &tasks::Summary| s.counts.done_on_time + s.counts.done_late;
    let (rate_now, rate_text) = share(now.counts.done_on_time, finished(&now));
    let (rate_then, rate_then_text) = share(then.counts.done_on_time, finished(&then));
    let (t, good) = trend(rate_now, rate_then, true);
    out.push(KeyFigure {
        label: "Nhiệm vụ hoàn thành đúng hạn (từ đầu năm)",
        value: rate_text,
        before: format!("Cùng kỳ năm trước: {rate_then_text}"),
        trend: t,
        good,
        href: format!("/dashboard?org_id={}", org.id),
    });
    let (t, good) = trend(now.counts.overdue, then.counts.overdue, false);
    out.push(KeyFigure {
        label: "Nhiệm vụ đến hạn từ đầu năm, đang quá hạn",
        value: vi::number(now.counts.overdue),
        before: format!("Cùng kỳ năm trước: {}", vi::number(then.counts.overdue)),
        trend: t,
        good,
        href: format!("/tasks?org_id={}&view=overdue", org.id),
    });

    let admitted_now = members::figures::flows(&state.db, &org.path, start, today).await?.admitted;
    let admitted_then = members::figures::flows(&state.db, &org.path, last_start, last_today).await?.admitted;
    let (t, good) = trend(admitted_now, admitted_then, true);
    out.push(KeyFigure {
        label: "Đảng viên mới kết nạp (từ đầu năm)",
        value: vi::number(admitted_now),
        before: format!("Cùng kỳ năm trước: {}", vi::number(admitted_then)),
        trend: t,
        good,
        href: format!("/figures?org_id={}", org.id),
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_year_and_shares() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(a_year_before(day(2028, 2, 29)), day(2027, 2, 28));
        assert_eq!(a_year_before(day(2026, 12, 8)), day(2025, 12, 8));
        assert_eq!(share(2, 3), (666, "66,6%".to_owned()));
        assert_eq!(share(0, 0), (0, "0,0%".to_owned()));
        assert_eq!(trend(3, 2, false), ("up", false));
        assert_eq!(trend(1, 2, false), ("down", true));
    }
}
