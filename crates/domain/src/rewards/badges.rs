//! The Party badge (Huy hiệu Đảng): a member is proposed on the award day on or before which
//! the party age reaches a milestone (30, 40, 45 … 90 years: the settings) not yet received.
//! Party age counts from the first admission decision minus the days out of the Party
//! (`domain-rules.md` §4.4, [`crate::members::party_age`]), so a day out moves the milestone a
//! day later; a member out of the Party (an open period) reaches nothing until back.
//!
//! A member who reached two milestones without receiving either (missed on an earlier award
//! day, or the history not recorded) is proposed for the higher one: that is the badge the
//! party age earns on the day.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::InactivePeriod;
use crate::members::months::add_years;
use crate::members::party_age::BadgeMilestone;

/// The day the party age reaches `years`: the anniversary of the admission decision, moved
/// later by every day out of the Party before it. `None` when an open period (still out)
/// begins before the milestone is reached.
pub fn badge_reached_on(admitted_on: NaiveDate, periods: &[InactivePeriod], years: u32) -> Option<NaiveDate> {
    let mut reached = add_years(admitted_on, years);
    for (from, until) in out_of_the_party(admitted_on, periods) {
        if from >= reached {
            break;
        }
        // The whole period falls before the (moved) milestone: it moves by its length.
        let until = until?;
        reached = reached.checked_add_days(Days::new((until - from).num_days().unsigned_abs()))?;
    }
    Some(reached)
}

/// The periods out of the Party from the admission decision on, merged where they overlap and
/// sorted; an open period ends the list.
fn out_of_the_party(admitted_on: NaiveDate, periods: &[InactivePeriod]) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut spans: Vec<(NaiveDate, Option<NaiveDate>)> = periods
        .iter()
        .filter(|p| p.is_ordered() && p.until.is_none_or(|u| u > admitted_on))
        .map(|p| (p.from.max(admitted_on), p.until))
        .filter(|(from, until)| until.is_none_or(|u| u > *from))
        .collect();
    spans.sort_unstable_by_key(|(from, _)| *from);
    let mut merged: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::with_capacity(spans.len());
    for (from, until) in spans {
        match merged.last_mut() {
            Some((_, last)) if last.is_none_or(|l| from <= l) => {
                *last = match (*last, until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push((from, until)),
        }
        if merged.last().is_some_and(|(_, u)| u.is_none()) {
            break;
        }
    }
    merged
}

/// The badge a member is proposed for on the award day `on`: the highest milestone above the
/// one last received (`received_years`, 0 for none) that the party age reaches on or before
/// `on`. `None` when there is none.
pub fn badge_due(
    admitted_on: NaiveDate,
    periods: &[InactivePeriod],
    received_years: u32,
    on: NaiveDate,
    milestones: &[u32],
) -> Option<BadgeMilestone> {
    milestones
        .iter()
        .filter(|&&years| years > received_years)
        .filter_map(|&years| Some(BadgeMilestone { years, reached_on: badge_reached_on(admitted_on, periods, years)? }))
        .filter(|b| b.reached_on <= on)
        .max_by_key(|b| b.years)
}

/// A day of the year on which badges are awarded (3/2, 19/5, 2/9, 7/11), written `DD/MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
pub struct AwardDay {
    pub month: u32,
    pub day: u32,
}

impl AwardDay {
    pub fn parse(text: &str) -> Option<AwardDay> {
        let (day, month) = text.trim().split_once('/')?;
        let (day, month) = (day.trim().parse().ok()?, month.trim().parse().ok()?);
        // 29/02 is refused: an award day must exist every year.
        NaiveDate::from_ymd_opt(2025, month, day).map(|_| AwardDay { month, day })
    }

    /// This award day in `year`.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl std::fmt::Display for AwardDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:02}", self.day, self.month)
    }
}

impl TryFrom<String> for AwardDay {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        AwardDay::parse(&text).ok_or_else(|| format!("Ngày trao Huy hiệu không hợp lệ: {text} (DD/MM)"))
    }
}

impl From<AwardDay> for String {
    fn from(day: AwardDay) -> String {
        day.to_string()
    }
}

/// The next `count` award days from `from` on (`from` included), in order.
pub fn next_award_days(from: NaiveDate, days: &[AwardDay], count: usize) -> Vec<NaiveDate> {
    let mut sorted: Vec<AwardDay> = days.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() {
        return Vec::new();
    }
    (from.year()..)
        .take(count + 1)
        .flat_map(|year| sorted.iter().filter_map(move |d| d.in_year(year)))
        .filter(|d| *d >= from)
        .take(count)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::party_age;
    use proptest::prelude::*;

    const MILESTONES: [u32; 12] = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn out(from: NaiveDate, until: Option<NaiveDate>) -> InactivePeriod {
        InactivePeriod { from, until }
    }

    #[test]
    fn the_anniversary_of_the_decision_without_time_out() {
        assert_eq!(badge_reached_on(d(1996, 3, 2), &[], 30), Some(d(2026, 3, 2)));
        let due = badge_due(d(1996, 3, 2), &[], 0, d(2026, 5, 19), &MILESTONES).unwrap();
        assert_eq!((due.years, due.reached_on), (30, d(2026, 3, 2)));
        // Not yet on the award day before.
        assert_eq!(badge_due(d(1996, 3, 2), &[], 0, d(2026, 2, 3), &MILESTONES), None);
        // Already received: nothing until the next milestone.
        assert_eq!(badge_due(d(1996, 3, 2), &[], 30, d(2026, 5, 19), &MILESTONES), None);
        let forty = badge_due(d(1986, 3, 2), &[], 30, d(2026, 5, 19), &MILESTONES).unwrap();
        assert_eq!(forty.years, 40);
    }

    #[test]
    fn leap_days() {
        // Admitted on 29/02: the anniversary in a common year is 28/02, as party age counts it.
        let reached = badge_reached_on(d(1996, 2, 29), &[], 30).unwrap();
        assert_eq!(reached, d(2026, 2, 28));
        assert_eq!(party_age::party_age(d(1996, 2, 29), &[], reached).years, 30);
        assert_eq!(party_age::party_age(d(1996, 2, 29), &[], d(2026, 2, 27)).years, 29);
        // In a leap year it is the 29th.
        assert_eq!(badge_reached_on(d(1984, 2, 29), &[], 40), Some(d(2024, 2, 29)));
        assert_eq!(AwardDay::parse("29/02"), None);
    }

    #[test]
    fn time_out_of_the_party_moves_the_milestone() {
        // Out 1,461 days (2000–2003): the 30 years move by as many days.
        let gap = [out(d(2000, 1, 1), Some(d(2004, 1, 1)))];
        assert_eq!(badge_reached_on(d(1990, 6, 1), &gap, 30), Some(d(2024, 6, 1) + Days::new(0)));
        // Re-admitted: counted from the first decision, the time out deducted.
        let due = badge_due(d(1990, 6, 1), &gap, 0, d(2024, 9, 2), &MILESTONES).unwrap();
        assert_eq!((due.years, due.reached_on), (30, d(2024, 6, 1)));
        // Still out: nothing, whatever the day.
        let open = [out(d(2000, 1, 1), None)];
        assert_eq!(badge_reached_on(d(1990, 6, 1), &open, 30), None);
        assert_eq!(badge_due(d(1990, 6, 1), &open, 0, d(2090, 1, 1), &MILESTONES), None);
        // A period after the milestone changes nothing.
        let later = [out(d(2021, 1, 1), None)];
        assert_eq!(badge_reached_on(d(1990, 6, 1), &later, 30), Some(d(2020, 6, 1)));
        // Overlapping periods count each day once.
        let overlap = [out(d(2000, 1, 1), Some(d(2002, 1, 1))), out(d(2001, 1, 1), Some(d(2004, 1, 1)))];
        assert_eq!(badge_reached_on(d(1990, 6, 1), &overlap, 30), badge_reached_on(d(1990, 6, 1), &gap, 30));
    }

    #[test]
    fn a_readmitted_member_counts_from_the_first_decision() {
        // Admitted 1/3/1985, expelled 1/6/1995, re-admitted 1/6/1999 (a new probation, the same
        // first date): four years out, so 30 years come on 1/3/2019, not 1/3/2015.
        let out = [out(d(1995, 6, 1), Some(d(1999, 6, 1)))];
        assert_eq!(badge_reached_on(d(1985, 3, 1), &out, 30), Some(d(2019, 3, 1)));
        let due = badge_due(d(1985, 3, 1), &out, 0, d(2019, 5, 19), &MILESTONES).unwrap();
        assert_eq!((due.years, due.reached_on), (30, d(2019, 3, 1)));
        assert_eq!(badge_due(d(1985, 3, 1), &out, 0, d(2019, 2, 3), &MILESTONES), None);
        // Out again (a second period, open): nothing more until back.
        let twice = [out[0], InactivePeriod { from: d(2020, 1, 1), until: None }];
        assert_eq!(badge_due(d(1985, 3, 1), &twice, 30, d(2040, 1, 1), &MILESTONES), None);
    }

    #[test]
    fn a_missed_milestone_gives_the_higher_badge() {
        let due = badge_due(d(1980, 1, 10), &[], 0, d(2026, 2, 3), &MILESTONES).unwrap();
        assert_eq!(due.years, 45);
        assert_eq!(due.reached_on, d(2025, 1, 10));
    }

    #[test]
    fn award_days_come_in_order_across_years() {
        let days: Vec<AwardDay> =
            ["07/11", "03/02", "19/05", "02/09"].iter().filter_map(|t| AwardDay::parse(t)).collect();
        assert_eq!(
            next_award_days(d(2026, 12, 7), &days, 4),
            vec![d(2027, 2, 3), d(2027, 5, 19), d(2027, 9, 2), d(2027, 11, 7)]
        );
        assert_eq!(next_award_days(d(2026, 11, 7), &days, 1), vec![d(2026, 11, 7)]);
        assert!(next_award_days(d(2026, 11, 7), &[], 4).is_empty());
        assert_eq!(AwardDay::parse(" 3/2 ").map(|d| d.to_string()), Some("03/02".into()));
        assert_eq!(AwardDay::parse("31/04"), None);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (1940i32..2030, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| NaiveDate::from_ymd_opt(y, m, 28).unwrap())
        })
    }

    fn period() -> impl Strategy<Value = InactivePeriod> {
        (date(), 0u64..6000, prop::bool::weighted(0.15))
            .prop_map(|(from, len, open)| InactivePeriod { from, until: (!open).then(|| from + Days::new(len)) })
    }

    proptest! {
        /// The day a milestone is reached is the first day party age (as the registry computes
        /// it) shows those years; `None` only when the member never gets there.
        #[test]
        fn reached_on_agrees_with_party_age(
            admitted in date(),
            periods in prop::collection::vec(period(), 0..4),
            years in 1u32..70,
        ) {
            let months = years * 12;
            match badge_reached_on(admitted, &periods, years) {
                Some(r) => {
                    prop_assert!(party_age::party_age(admitted, &periods, r).total_months() >= months);
                    let before = r.pred_opt().unwrap();
                    prop_assert!(party_age::party_age(admitted, &periods, before).total_months() < months);
                }
                None => {
                    let far = d(2262, 1, 1);
                    prop_assert!(party_age::party_age(admitted, &periods, far).total_months() < months);
                }
            }
        }

        /// The badge due is reached by the award day, above the one received, and no higher
        /// milestone is reached too.
        #[test]
        fn badge_due_is_the_highest_reached(
            admitted in date(),
            periods in prop::collection::vec(period(), 0..3),
            received in prop::sample::select(vec![0u32, 30, 40, 45, 60]),
            on in date(),
        ) {
            let due = badge_due(admitted, &periods, received, on, &MILESTONES);
            for &m in MILESTONES.iter().filter(|&&m| m > received) {
                let reached = badge_reached_on(admitted, &periods, m).is_some_and(|r| r <= on);
                match due {
                    Some(b) if m > b.years => prop_assert!(!reached),
                    Some(b) if m == b.years => prop_assert!(reached),
                    None => prop_assert!(!reached),
                    _ => {}
                }
            }
        }
    }
}
