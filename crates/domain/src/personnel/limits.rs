//! The limits a holder of a post reaches: the retirement age, the working time left that
//! re-election asks for, and the number of consecutive terms in a head's post.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{PersonnelRules, Post, RetirementAge};
use crate::members::Gender;
use crate::members::months::{add_months, add_years, completed_months};

/// The day a person born on `birth` reaches the retirement age of the ramp: the first year
/// whose age they reach within that same year (NĐ 135/2020 Phụ lục I reads the same way: a
/// man born in 01/1965 retires at 61 years 6 months, in 07/2026).
pub fn retirement_date(birth: NaiveDate, ramp: &RetirementAge) -> NaiveDate {
    let mut year = add_months(birth, ramp.in_year(i32::MIN)).year();
    loop {
        let day = add_months(birth, ramp.in_year(year));
        if day.year() <= year || day == NaiveDate::MAX {
            return day;
        }
        year += 1;
    }
}

/// The ramp that applies to a person.
pub fn ramp(rules: &PersonnelRules, gender: Gender) -> &RetirementAge {
    match gender {
        Gender::Male => &rules.retirement_men,
        Gender::Female => &rules.retirement_women,
    }
}

/// A term as the Party writes it, `2025-2030`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    pub start: i32,
    pub end: i32,
}

impl Term {
    /// `2025-2030` (a dash or an en dash, spaces allowed); the end after the start, within
    /// ten years.
    pub fn parse(s: &str) -> Option<Term> {
        let (a, b) = s.split_once(['-', '–'])?;
        let (start, end) = (a.trim().parse::<i32>().ok()?, b.trim().parse::<i32>().ok()?);
        ((1930..=2200).contains(&start) && end > start && end - start <= 10).then_some(Term { start, end })
    }

    pub fn next(self) -> Term {
        Term { start: self.end, end: self.end + (self.end - self.start) }
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// How many terms run back without a break from `current` among those `held` (a term follows
/// another when it starts the year the other ends). `current` counts once.
pub fn consecutive_terms(held: &[Term], current: Term) -> u32 {
    let mut count = 1;
    let mut start = current.start;
    while let Some(before) = held.iter().find(|t| t.end == start && t.start < start) {
        count += 1;
        start = before.start;
    }
    count
}

/// What the limits need to know of one holder.
#[derive(Debug, Clone)]
pub struct HolderFacts {
    pub post: Post,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    /// The term held now.
    pub term: Term,
    /// The day the holder took the post in this term.
    pub since: NaiveDate,
    /// Terms in this post of this organisation without a break, this one included.
    pub consecutive_terms: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// Reaches the retirement age before this term ends.
    RetiresThisTerm,
    /// Reaches it during the next term.
    RetiresNextTerm,
    /// Has less working time left at the next term's start than re-election asks for.
    TooLittleTimeForReelection,
    /// Has held this head's post for the most consecutive terms the rules allow.
    TermLimit,
}

impl LimitKind {
    pub fn label(self) -> &'static str {
        match self {
            LimitKind::RetiresThisTerm => "Đến tuổi nghỉ hưu trong nhiệm kỳ này",
            LimitKind::RetiresNextTerm => "Đến tuổi nghỉ hưu trong nhiệm kỳ tới",
            LimitKind::TooLittleTimeForReelection => "Không đủ thời gian công tác để tái cử",
            LimitKind::TermLimit => "Đã giữ chức vụ đủ số nhiệm kỳ liên tiếp tối đa",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Limit {
    pub kind: LimitKind,
    pub label: &'static str,
    /// The retirement date, for the limits of age.
    pub on: Option<NaiveDate>,
}

/// The limits a holder reaches this term or the next. The next term starts on the anniversary
/// of `since` in the year this term ends (congresses fall in the same season each cycle).
/// Someone who took the post already past the retirement age (a retired member leading the
/// cell of a residential area) holds it outside working age: only the term limit applies.
pub fn holder_limits(h: &HolderFacts, rules: &PersonnelRules) -> Vec<Limit> {
    let retires = retirement_date(h.birth_date, ramp(rules, h.gender));
    let years_to_next = u32::try_from(h.term.end - h.since.year()).unwrap_or(0);
    let next_start = add_years(h.since, years_to_next);
    let next_end = add_years(next_start, rules.term_years);
    let mut limits = Vec::new();
    let mut add = |kind: LimitKind, on: Option<NaiveDate>| limits.push(Limit { kind, label: kind.label(), on });
    if retires <= h.since {
        // Outside working age from the start: no limit of age.
    } else if retires < next_start {
        add(LimitKind::RetiresThisTerm, Some(retires));
    } else {
        if retires < next_end {
            add(LimitKind::RetiresNextTerm, Some(retires));
        }
        if completed_months(next_start, retires) < rules.reelection_min_months {
            add(LimitKind::TooLittleTimeForReelection, Some(retires));
        }
    }
    if h.post.is_single() && h.consecutive_terms >= rules.max_consecutive_terms {
        add(LimitKind::TermLimit, None);
    }
    limits
}

/// Whether a person has at least `months` of working age left on `from` (planning, a first
/// election to a committee).
pub fn has_working_months(
    birth: NaiveDate,
    gender: Gender,
    from: NaiveDate,
    months: u32,
    rules: &PersonnelRules,
) -> bool {
    completed_months(from, retirement_date(birth, ramp(rules, gender))) >= months
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn retirement_follows_the_table_of_nd_135() {
        let r = PersonnelRules::default();
        // Phụ lục I: men born 01/1965 retire at 61y6m in 07/2026; born 04/1966 at 62 in 04/2028.
        assert_eq!(retirement_date(d(1965, 1, 15), &r.retirement_men), d(2026, 7, 15));
        assert_eq!(retirement_date(d(1966, 4, 1), &r.retirement_men), d(2028, 4, 1));
        // Men born 1961-01 retired at 60y3m in 04/2021 (the first year of the ramp).
        assert_eq!(retirement_date(d(1961, 1, 10), &r.retirement_men), d(2021, 4, 10));
        // Before the ramp: 60 exactly.
        assert_eq!(retirement_date(d(1958, 6, 1), &r.retirement_men), d(2018, 6, 1));
        // Women born 1975 and later: 60.
        assert_eq!(retirement_date(d(1980, 2, 29), &r.retirement_women), d(2040, 2, 29));
        // Women born 05/1966 retire at 55y4m in 09/2021; born 10/1966 reach 55y4m in 02/2022,
        // when the age is 55y8m, so they retire in 06/2022.
        assert_eq!(retirement_date(d(1966, 5, 1), &r.retirement_women), d(2021, 9, 1));
        assert_eq!(retirement_date(d(1966, 10, 1), &r.retirement_women), d(2022, 6, 1));
    }

    #[test]
    fn terms_read_and_chain() {
        let t = Term::parse("2025-2030").unwrap();
        assert_eq!(t, Term { start: 2025, end: 2030 });
        assert_eq!(Term::parse("2025 – 2030"), Some(t));
        assert_eq!(Term::parse("2030-2025"), None);
        assert_eq!(Term::parse("nhiệm kỳ"), None);
        assert_eq!(t.next().to_string(), "2030-2035");
        let held =
            [Term::parse("2015-2020").unwrap(), Term::parse("2020-2025").unwrap(), Term::parse("2005-2010").unwrap()];
        assert_eq!(consecutive_terms(&held, t), 3, "2005-2010 is not in the chain");
        assert_eq!(consecutive_terms(&[], t), 1);
    }

    #[test]
    fn a_secretary_in_a_second_term_born_in_1968() {
        let rules = PersonnelRules::default();
        let h = HolderFacts {
            post: Post::Secretary,
            gender: Gender::Male,
            birth_date: d(1968, 3, 1),
            term: Term::parse("2025-2030").unwrap(),
            since: d(2025, 9, 20),
            consecutive_terms: 2,
        };
        // Retires at 62 on 01/03/2030, before the next term starts on 20/09/2030.
        let limits = holder_limits(&h, &rules);
        let kinds: Vec<_> = limits.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [LimitKind::RetiresThisTerm, LimitKind::TermLimit]);
        assert_eq!(limits[0].on, Some(d(2030, 3, 1)));
        // A younger member of the committee in a first term: nothing.
        let young =
            HolderFacts { post: Post::ExecutiveCommittee, birth_date: d(1985, 1, 1), consecutive_terms: 1, ..h };
        assert!(holder_limits(&young, &rules).is_empty());
    }

    #[test]
    fn a_retired_member_leading_a_residential_cell_meets_only_the_term_limit() {
        let rules = PersonnelRules::default();
        let h = HolderFacts {
            post: Post::Secretary,
            gender: Gender::Male,
            birth_date: d(1950, 1, 1),
            term: Term::parse("2025-2030").unwrap(),
            since: d(2025, 5, 15),
            consecutive_terms: 1,
        };
        assert!(holder_limits(&h, &rules).is_empty());
        let kinds: Vec<_> =
            holder_limits(&HolderFacts { consecutive_terms: 2, ..h }, &rules).iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [LimitKind::TermLimit]);
    }

    #[test]
    fn retiring_in_the_next_term_and_too_late_for_reelection() {
        let rules = PersonnelRules::default();
        let h = HolderFacts {
            post: Post::ExecutiveCommittee,
            gender: Gender::Female,
            // Retires at 60 on 01/06/2032: 20 months into the next term (from 01/10/2030).
            birth_date: d(1972, 6, 1),
            term: Term::parse("2025-2030").unwrap(),
            since: d(2025, 10, 1),
            consecutive_terms: 1,
        };
        let kinds: Vec<_> = holder_limits(&h, &rules).iter().map(|l| l.kind).collect();
        assert_eq!(kinds, [LimitKind::RetiresNextTerm, LimitKind::TooLittleTimeForReelection]);
    }

    proptest! {
        /// Whoever is born later retires no earlier, and never before the ramp's lowest age or
        /// after its final age.
        #[test]
        fn retirement_is_monotone_and_bounded(a in 0i64..40_000, b in 0i64..40_000, female: bool) {
            let rules = PersonnelRules::default();
            let ramp = if female { &rules.retirement_women } else { &rules.retirement_men };
            let base = d(1930, 1, 1);
            let (x, y) = (base + chrono::Duration::days(a.min(b)), base + chrono::Duration::days(a.max(b)));
            prop_assert!(retirement_date(x, ramp) <= retirement_date(y, ramp));
            let r = retirement_date(x, ramp);
            prop_assert!(r >= add_months(x, ramp.in_year(i32::MIN)));
            prop_assert!(r <= add_months(x, ramp.final_age_months));
        }
    }
}
