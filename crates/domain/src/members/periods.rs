//! A member's periods in the registry: from the admission decision on, which cell the member
//! was in and with which status, day by day. The past figures are counted from them, so when
//! an admission date or an official date that was typed wrong is corrected, the periods are
//! cut again: the first one starts on the corrected admission date, and the status turns
//! from probationary to full on the corrected official date. Cells and transfers stay.

use crate::ids::OrgId;
use chrono::NaiveDate;

use super::MemberStatus;

/// One period: in cell `org_id` with `status` from `from` until the day before `to` (open
/// while `to` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub org_id: OrgId,
    pub status: MemberStatus,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// Why the periods cannot take the corrected dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecutProblem {
    /// The member has no period (a record without a history cannot be corrected this way).
    NoPeriods,
    /// The new admission date is on or after the end of the first period (a transfer or the
    /// end of membership): the earlier history would be lost.
    AdmittedAfterFirstPeriod(NaiveDate),
    /// The official date is on or after the end of the last period: the member would have
    /// left before being official.
    OfficialAfterLastPeriod(NaiveDate),
}

impl std::fmt::Display for RecutProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecutProblem::NoPeriods => write!(f, "Hồ sơ chưa có quá trình sinh hoạt"),
            RecutProblem::AdmittedAfterFirstPeriod(d) => {
                write!(
                    f,
                    "Ngày kết nạp phải trước {} (lần thay đổi đầu tiên trong quá trình sinh hoạt)",
                    crate::vi::date(*d)
                )
            }
            RecutProblem::OfficialAfterLastPeriod(d) => {
                write!(f, "Ngày chính thức phải trước {} (ngày ra khỏi danh sách)", crate::vi::date(*d))
            }
        }
    }
}

/// The periods cut again for `admitted_on` and `official_on` (`None`: every period keeps the
/// member's one status `status`). `spans` are one membership, in order and back to back.
/// Two periods in the same cell that only differ by the status turn are joined first, so
/// the turn moves instead of adding a cut at each correction.
pub fn recut(
    spans: &[Span],
    admitted_on: NaiveDate,
    status: MemberStatus,
    official_on: Option<NaiveDate>,
) -> Result<Vec<Span>, RecutProblem> {
    let mut joined: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match joined.last_mut() {
            Some(last) if last.to == Some(s.from) && last.org_id == s.org_id && last.status != s.status => {
                last.to = s.to;
            }
            _ => joined.push(*s),
        }
    }
    let first = joined.first_mut().ok_or(RecutProblem::NoPeriods)?;
    if let Some(end) = first.to
        && admitted_on >= end
    {
        return Err(RecutProblem::AdmittedAfterFirstPeriod(end));
    }
    first.from = admitted_on;
    let turn = match (status, official_on) {
        (MemberStatus::Full, Some(o)) => o,
        // One status throughout.
        _ => {
            return Ok(joined.into_iter().map(|s| Span { status, ..s }).collect());
        }
    };
    if let Some(end) = joined.last().and_then(|s| s.to)
        && turn >= end
    {
        return Err(RecutProblem::OfficialAfterLastPeriod(end));
    }
    let mut out = Vec::with_capacity(joined.len() + 1);
    for s in joined {
        if s.to.is_some_and(|to| to <= turn) {
            out.push(Span { status: MemberStatus::Probationary, ..s });
        } else if s.from >= turn {
            out.push(Span { status: MemberStatus::Full, ..s });
        } else {
            out.push(Span { status: MemberStatus::Probationary, to: Some(turn), ..s });
            out.push(Span { status: MemberStatus::Full, from: turn, ..s });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(org_id: i64, status: MemberStatus, from: &str, to: Option<&str>) -> Span {
        Span { org_id: OrgId(org_id), status, from: d(from), to: to.map(d) }
    }

    use MemberStatus::{Full, Probationary};

    #[test]
    fn the_turn_moves_to_the_corrected_official_date() {
        let spans = [span(7, Probationary, "2020-03-01", Some("2021-03-15")), span(7, Full, "2021-03-15", None)];
        let out = recut(&spans, d("2020-02-20"), Full, Some(d("2021-02-28"))).unwrap();
        assert_eq!(
            out,
            vec![span(7, Probationary, "2020-02-20", Some("2021-02-28")), span(7, Full, "2021-02-28", None)]
        );
    }

    #[test]
    fn a_transfer_keeps_its_date_and_the_turn_falls_in_the_right_cell() {
        // Transferred while probationary; the official date, corrected, falls after the transfer.
        let spans = [
            span(7, Probationary, "2020-03-01", Some("2020-09-01")),
            span(9, Probationary, "2020-09-01", Some("2021-03-01")),
            span(9, Full, "2021-03-01", None),
        ];
        let out = recut(&spans, d("2020-03-01"), Full, Some(d("2021-04-10"))).unwrap();
        assert_eq!(
            out,
            vec![
                span(7, Probationary, "2020-03-01", Some("2020-09-01")),
                span(9, Probationary, "2020-09-01", Some("2021-04-10")),
                span(9, Full, "2021-04-10", None),
            ]
        );
        // Moved before the transfer: the first cell holds the turn, the second is all full.
        let out = recut(&spans, d("2020-03-01"), Full, Some(d("2020-06-30"))).unwrap();
        assert_eq!(
            out,
            vec![
                span(7, Probationary, "2020-03-01", Some("2020-06-30")),
                span(7, Full, "2020-06-30", Some("2020-09-01")),
                span(9, Full, "2020-09-01", None),
            ]
        );
    }

    #[test]
    fn an_admission_date_past_the_first_change_is_refused() {
        let spans =
            [span(7, Probationary, "2020-03-01", Some("2020-09-01")), span(9, Probationary, "2020-09-01", None)];
        assert_eq!(
            recut(&spans, d("2020-09-01"), Probationary, None),
            Err(RecutProblem::AdmittedAfterFirstPeriod(d("2020-09-01")))
        );
        assert_eq!(recut(&[], d("2020-09-01"), Probationary, None), Err(RecutProblem::NoPeriods));
    }

    #[test]
    fn an_official_date_after_the_member_left_is_refused() {
        let spans = [span(7, Full, "2010-03-01", Some("2015-01-01"))];
        assert_eq!(
            recut(&spans, d("2010-03-01"), Full, Some(d("2015-01-01"))),
            Err(RecutProblem::OfficialAfterLastPeriod(d("2015-01-01")))
        );
    }

    #[test]
    fn a_leap_day_official_date_is_kept_as_it_is() {
        let spans = [span(7, Full, "2019-02-10", None)];
        let out = recut(&spans, d("2019-02-10"), Full, Some(d("2020-02-29"))).unwrap();
        assert_eq!(out[0].to, Some(d("2020-02-29")));
        assert_eq!(out[1].from, d("2020-02-29"));
    }

    /// Back-to-back periods from `start`, each `lengths[i]` days in cell `orgs[i]`, the last
    /// open when `open`.
    fn history(start: NaiveDate, parts: &[(i64, u16)], open: bool) -> Vec<Span> {
        let mut from = start;
        let mut out = Vec::new();
        for (i, (org, days)) in parts.iter().enumerate() {
            let to = from + chrono::Days::new(u64::from(*days) + 1);
            let last = i + 1 == parts.len();
            out.push(Span { org_id: OrgId(*org), status: Full, from, to: if last && open { None } else { Some(to) } });
            from = to;
        }
        out
    }

    fn status_on(spans: &[Span], day: NaiveDate) -> Option<(OrgId, MemberStatus)> {
        spans.iter().find(|s| s.from <= day && s.to.is_none_or(|t| day < t)).map(|s| (s.org_id, s.status))
    }

    proptest! {
        /// Whatever the dates, the periods stay back to back, every day keeps its cell, the
        /// first day is the corrected admission, and the status is probationary exactly
        /// before the official day; correcting again adds no cut.
        #[test]
        fn the_recut_keeps_the_cells_and_moves_only_the_dates(
            parts in proptest::collection::vec((1i64..4, 0u16..400), 1..6),
            open in any::<bool>(),
            shift in 0u16..60,
            turn_at in 0u16..2000,
        ) {
            let start = d("2015-01-01");
            let spans = history(start, &parts, open);
            let admitted = start + chrono::Days::new(u64::from(shift));
            let official = admitted + chrono::Days::new(u64::from(turn_at));
            match recut(&spans, admitted, Full, Some(official)) {
                Err(RecutProblem::AdmittedAfterFirstPeriod(end)) => prop_assert!(admitted >= end),
                Err(RecutProblem::OfficialAfterLastPeriod(end)) => prop_assert!(official >= end),
                Err(RecutProblem::NoPeriods) => prop_assert!(false, "there were periods"),
                Ok(out) => {
                    prop_assert_eq!(out[0].from, admitted);
                    prop_assert_eq!(out.last().unwrap().to, spans.last().unwrap().to);
                    for w in out.windows(2) {
                        prop_assert_eq!(w[0].to, Some(w[1].from));
                        prop_assert!(w[0].from < w[1].from);
                    }
                    let end = spans.last().unwrap().to.unwrap_or(start + chrono::Days::new(3000));
                    let mut day = admitted;
                    while day < end {
                        let (org, status) = status_on(&out, day).unwrap();
                        // Days after the corrected admission keep the cell they had.
                        if day >= start {
                            prop_assert_eq!(Some(org), status_on(&spans, day).map(|(o, _)| o));
                        }
                        prop_assert_eq!(status, if day < official { Probationary } else { Full });
                        day = day + chrono::Days::new(7);
                    }
                    let again = recut(&out, admitted, Full, Some(official)).unwrap();
                    prop_assert!(again.len() <= out.len());
                }
            }
        }
    }
}
