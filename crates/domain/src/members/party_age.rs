//! Party age (tuổi đảng) and re-admission.
//!
//! Party age counts from the day the competent body signed the **first** admission decision
//! (not the ceremony, not the day of becoming official; the admission date on the party card
//! when no decision is on file), minus the periods of non-activity: expulsion, removal from the
//! list (xóa tên), lost contact and gaps caused by transfers. A re-admitted member keeps the first
//! date and loses the time out. A member cleared of a wrongful expulsion has no gap: record none.
//! (reference/domain-rules.md §4.4.)
//!
//! The time lost is counted in days, and the party age on a date is the completed months from
//! the admission decision to that date moved back by the days lost. Admitted 26/07/2015, out from
//! 01/01/2018 to 01/01/2022 (1,461 days): on 26/07/2025 the count stops at 26/07/2021, a party age
//! of 6 years. Moving the end (rather than the start) keeps the count anchored on the decision
//! date and makes it stand still, day for day, while a member is out: party age never goes down
//! as time passes, whatever the lengths of the months involved.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::months::{add_months, add_years, completed_months};
use super::rules::MembershipRules;

/// Completed years and months of party age.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
pub struct PartyAge {
    pub years: u32,
    /// 0 to 11.
    pub months: u32,
}

impl PartyAge {
    pub fn from_months(total: u32) -> Self {
        Self { years: total / 12, months: total % 12 }
    }

    pub fn total_months(self) -> u32 {
        self.years.saturating_mul(12).saturating_add(self.months)
    }

    /// "12 năm 3 tháng", "8 tháng", "0 tháng".
    pub fn label(self) -> String {
        match (self.years, self.months) {
            (0, m) => format!("{m} tháng"),
            (y, 0) => format!("{y} năm"),
            (y, m) => format!("{y} năm {m} tháng"),
        }
    }
}

/// A period without party activity: from `from` (the first day out, e.g. the date of the
/// expulsion decision) until `until` (the first day active again, e.g. the re-admission
/// decision), `until` not included; `None` while the period lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct InactivePeriod {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl InactivePeriod {
    /// Whether the dates are in order; a period that ends before it starts covers no day (and is
    /// ignored by [`party_age`]), which the registry should refuse on input.
    pub fn is_ordered(&self) -> bool {
        self.until.is_none_or(|u| u >= self.from)
    }
}

/// The days in `periods` that fall in `[admitted_on, on)`, each day counted once however the
/// periods overlap.
pub fn inactive_days(admitted_on: NaiveDate, periods: &[InactivePeriod], on: NaiveDate) -> u64 {
    if on <= admitted_on {
        return 0;
    }
    let mut clipped: Vec<(NaiveDate, NaiveDate)> = periods
        .iter()
        .map(|p| (p.from.max(admitted_on), p.until.unwrap_or(on).min(on)))
        .filter(|(from, until)| from < until)
        .collect();
    clipped.sort_unstable();
    let mut total: i64 = 0;
    let mut covered_until: Option<NaiveDate> = None;
    for (from, until) in clipped {
        let start = covered_until.map_or(from, |c| c.max(from));
        if until > start {
            total += (until - start).num_days();
            covered_until = Some(until);
        }
    }
    u64::try_from(total).unwrap_or(0)
}

/// The date the party age on `on` is counted up to: `on` moved back by the days of
/// non-activity. Never before the admission decision (when `on` is after it).
pub fn party_age_counted_until(admitted_on: NaiveDate, periods: &[InactivePeriod], on: NaiveDate) -> NaiveDate {
    let lost = inactive_days(admitted_on, periods, on);
    on.checked_sub_days(Days::new(lost)).unwrap_or(admitted_on)
}

/// Party age on `on`, in completed years and months; zero before the admission decision.
pub fn party_age(admitted_on: NaiveDate, periods: &[InactivePeriod], on: NaiveDate) -> PartyAge {
    PartyAge::from_months(completed_months(admitted_on, party_age_counted_until(admitted_on, periods, on)))
}

/// A Party badge milestone and the day a member reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BadgeMilestone {
    /// Party age, in years, of the badge (30, 40, 45 …).
    pub years: u32,
    /// The day the member reaches it, if no further non-activity intervenes.
    pub reached_on: NaiveDate,
}

/// The next badge milestone after `on` and the day it is reached; `None` past the last one.
/// A member still out of the Party on `on` (an open period) reaches nothing.
pub fn next_badge(
    admitted_on: NaiveDate,
    periods: &[InactivePeriod],
    on: NaiveDate,
    rules: &MembershipRules,
) -> Option<BadgeMilestone> {
    if periods.iter().any(|p| p.until.is_none() && p.from <= on) {
        return None;
    }
    // Every period is closed and began by `on`, so no more days are lost before the milestone.
    let lost = Days::new(inactive_days(admitted_on, periods, on));
    rules
        .badge_milestone_years
        .iter()
        .map(|&years| BadgeMilestone {
            years,
            reached_on: add_years(admitted_on, years).checked_add_days(lost).unwrap_or(NaiveDate::MAX),
        })
        .filter(|b| b.reached_on > on)
        .min_by_key(|b| b.reached_on)
}

/// Why a former member may not be re-admitted yet or at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReadmissionProblem {
    #[error("Đã được kết nạp lại {times} lần; chỉ được kết nạp lại tối đa {max} lần")]
    AlreadyReadmitted { times: u32, max: u32 },
    #[error("Chưa đủ {months} tháng kể từ khi ra khỏi Đảng; được xem xét từ ngày {}", crate::vi::date(*eligible_from))]
    TooSoon { months: u32, eligible_from: NaiveDate },
}

/// Whether a person who left the Party on `left_on`, already re-admitted `times_readmitted`
/// times, may be considered for re-admission on `considered_on`. Re-admission also requires a
/// new probation, which the admission pipeline applies as for anyone.
pub fn check_readmission(
    times_readmitted: u32,
    left_on: NaiveDate,
    considered_on: NaiveDate,
    rules: &MembershipRules,
) -> Result<(), ReadmissionProblem> {
    if times_readmitted >= rules.max_readmissions {
        return Err(ReadmissionProblem::AlreadyReadmitted { times: times_readmitted, max: rules.max_readmissions });
    }
    let eligible_from = add_months(left_on, rules.readmission_min_months_out);
    if considered_on < eligible_from {
        return Err(ReadmissionProblem::TooSoon { months: rules.readmission_min_months_out, eligible_from });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn out(from: NaiveDate, until: Option<NaiveDate>) -> InactivePeriod {
        InactivePeriod { from, until }
    }

    #[test]
    fn counts_from_the_admission_decision() {
        // The worked example of §4.4: admitted 26/7/2015, official 26/7/2016.
        assert_eq!(party_age(d(2015, 7, 26), &[], d(2025, 7, 26)), PartyAge { years: 10, months: 0 });
        assert_eq!(party_age(d(2015, 7, 26), &[], d(2025, 7, 25)), PartyAge { years: 9, months: 11 });
        assert_eq!(party_age(d(2015, 7, 26), &[], d(2015, 7, 26)), PartyAge::default());
        assert_eq!(party_age(d(2015, 7, 26), &[], d(2010, 1, 1)), PartyAge::default());
        assert_eq!(party_age(d(2024, 1, 31), &[], d(2024, 2, 29)), PartyAge { years: 0, months: 1 });
        assert_eq!(PartyAge { years: 12, months: 3 }.label(), "12 năm 3 tháng");
        assert_eq!(PartyAge { years: 0, months: 8 }.label(), "8 tháng");
        assert_eq!(PartyAge { years: 5, months: 0 }.label(), "5 năm");
    }

    #[test]
    fn readmitted_members_lose_the_time_out() {
        let gap = [out(d(2018, 1, 1), Some(d(2022, 1, 1)))];
        assert_eq!(party_age_counted_until(d(2015, 7, 26), &gap, d(2025, 7, 26)), d(2021, 7, 26));
        assert_eq!(party_age(d(2015, 7, 26), &gap, d(2025, 7, 26)), PartyAge { years: 6, months: 0 });
        // While still out, party age stands still.
        let open = [out(d(2018, 1, 1), None)];
        let frozen = party_age(d(2015, 7, 26), &open, d(2018, 1, 1));
        assert_eq!(frozen, PartyAge { years: 2, months: 5 });
        assert_eq!(party_age(d(2015, 7, 26), &open, d(2030, 1, 1)), frozen);
    }

    #[test]
    fn overlapping_and_odd_periods() {
        let admitted = d(2000, 1, 1);
        let on = d(2020, 1, 1);
        let periods = [
            // Transfer gap inside a lost-contact period: counted once.
            out(d(2005, 1, 1), Some(d(2006, 1, 1))),
            out(d(2005, 6, 1), Some(d(2005, 9, 1))),
            // Touching the previous one.
            out(d(2006, 1, 1), Some(d(2006, 1, 11))),
            // Before admission: only the part after counts.
            out(d(1999, 12, 1), Some(d(2000, 1, 3))),
            // Reversed: ignored.
            out(d(2010, 1, 1), Some(d(2009, 1, 1))),
            // After `on`: ignored.
            out(d(2021, 1, 1), None),
        ];
        assert_eq!(inactive_days(admitted, &periods, on), 365 + 10 + 2);
        assert!(!periods[4].is_ordered());
        assert!(periods[5].is_ordered());
    }

    #[test]
    fn next_badges() {
        let r = MembershipRules::default();
        let next = next_badge(d(1995, 2, 3), &[], d(2025, 1, 1), &r).unwrap();
        assert_eq!(next, BadgeMilestone { years: 30, reached_on: d(2025, 2, 3) });
        let next = next_badge(d(1995, 2, 3), &[], d(2025, 2, 3), &r).unwrap();
        assert_eq!(next.years, 40);
        let gap = [out(d(2000, 1, 1), Some(d(2000, 1, 11)))];
        assert_eq!(next_badge(d(1995, 2, 3), &gap, d(2025, 1, 1), &r).unwrap().reached_on, d(2025, 2, 13));
        assert_eq!(next_badge(d(1995, 2, 3), &[out(d(2000, 1, 1), None)], d(2025, 1, 1), &r), None);
        assert_eq!(next_badge(d(1930, 2, 3), &[], d(2025, 1, 1), &r), None);
    }

    #[test]
    fn readmission_only_once_and_after_36_months() {
        let r = MembershipRules::default();
        assert_eq!(check_readmission(0, d(2020, 5, 31), d(2023, 5, 31), &r), Ok(()));
        assert_eq!(
            check_readmission(0, d(2020, 5, 31), d(2023, 5, 30), &r),
            Err(ReadmissionProblem::TooSoon { months: 36, eligible_from: d(2023, 5, 31) })
        );
        assert_eq!(
            check_readmission(1, d(2010, 1, 1), d(2025, 1, 1), &r),
            Err(ReadmissionProblem::AlreadyReadmitted { times: 1, max: 1 })
        );
        let msg = check_readmission(0, d(2024, 2, 29), d(2025, 1, 1), &r).unwrap_err().to_string();
        assert_eq!(msg, "Chưa đủ 36 tháng kể từ khi ra khỏi Đảng; được xem xét từ ngày 28/02/2027");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..401_000).prop_map(|n| d(1900, 1, 1) + Days::new(n))
    }

    proptest! {
        #[test]
        fn never_panics_and_never_exceeds_calendar_time(
            admitted in any_date(),
            on in any_date(),
            periods in prop::collection::vec((any_date(), prop::option::of(any_date())), 0..6),
        ) {
            let periods: Vec<InactivePeriod> = periods.into_iter().map(|(from, until)| out(from, until)).collect();
            let age = party_age(admitted, &periods, on);
            let plain = party_age(admitted, &[], on);
            prop_assert!(age <= plain);
            prop_assert!(age.months < 12);
            let until = party_age_counted_until(admitted, &periods, on);
            prop_assert!(until <= on);
            prop_assert!(on < admitted || until >= admitted);
            let _ = next_badge(admitted, &periods, on, &MembershipRules::default());
            let _ = check_readmission(0, admitted, on, &MembershipRules::default());
        }

        #[test]
        fn party_age_grows_with_time(
            admitted in any_date(), a in any_date(), b in any_date(),
            periods in prop::collection::vec((any_date(), prop::option::of(any_date())), 0..4),
        ) {
            let periods: Vec<InactivePeriod> = periods.into_iter().map(|(from, until)| out(from, until)).collect();
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(party_age(admitted, &periods, early) <= party_age(admitted, &periods, late));
        }
    }
}
