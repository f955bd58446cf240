//! A planning pool (quy hoạch) of a post for a term, and the ratios the rules watch over it
//! (QĐ 50-QĐ/TW): how many people per post, how many posts per person, the share of women and
//! of young cadres, and enough working age for a whole term.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::PersonnelRules;
use super::limits::has_working_months;
use crate::members::Gender;
use crate::members::member::age_on;

/// What the ratios need to know of one person in a pool.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub gender: Gender,
    pub birth_date: NaiveDate,
    /// The posts of the same term whose pools hold this person, this one included.
    pub posts_in_term: u32,
}

/// What the rules say of one person of a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PoolCheck {
    /// Under the young cadres' age at the start of the term.
    pub young: bool,
    /// Fewer months of working age left at the start of the term than a whole term asks.
    pub short_of_working_time: bool,
    /// In more posts' pools than the rules allow.
    pub too_many_posts: bool,
}

pub fn check_candidate(c: &Candidate, term_starts: NaiveDate, rules: &PersonnelRules) -> PoolCheck {
    PoolCheck {
        young: age_on(c.birth_date, term_starts) < rules.young_age_years,
        short_of_working_time: !has_working_months(
            c.birth_date,
            c.gender,
            term_starts,
            rules.first_time_min_months,
            rules,
        ),
        too_many_posts: c.posts_in_term > rules.planning_max_posts_per_person,
    }
}

/// The figures of a pool (one post, or all the posts of a level together).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PoolFigures {
    pub people: u32,
    pub women: u32,
    pub young: u32,
    /// Whole percent, rounded down; 0 for an empty pool.
    pub women_percent: u32,
    pub young_percent: u32,
    /// What falls short of the rules, in words for the page (empty when nothing does).
    pub warnings: Vec<String>,
}

/// The figures of one pool. `per_post` is true for a single post's pool, whose size the rules
/// bound; a level's figures are the union of its posts' pools, each person counted once.
pub fn pool_figures(
    people: &[Candidate],
    term_starts: NaiveDate,
    per_post: bool,
    rules: &PersonnelRules,
) -> PoolFigures {
    let n = u32::try_from(people.len()).unwrap_or(u32::MAX);
    let women = count(people.iter().filter(|c| c.gender == Gender::Female));
    let young = count(people.iter().filter(|c| age_on(c.birth_date, term_starts) < rules.young_age_years));
    let percent = |k: u32| if n == 0 { 0 } else { u32::try_from(u64::from(k) * 100 / u64::from(n)).unwrap_or(100) };
    let mut warnings = Vec::new();
    if per_post && n > rules.planning_max_per_post {
        warnings.push(format!("Quá {} người cho một chức danh", rules.planning_max_per_post));
    }
    if per_post && n < rules.planning_min_per_post {
        warnings.push(format!("Chưa đủ {} người cho chức danh", rules.planning_min_per_post));
    }
    if n > 0 && percent(women) < rules.planning_min_women_percent {
        warnings.push(format!("Tỷ lệ nữ dưới {}%", rules.planning_min_women_percent));
    }
    if n > 0 && percent(young) < rules.planning_min_young_percent {
        warnings.push(format!(
            "Tỷ lệ cán bộ trẻ (dưới {} tuổi) dưới {}%",
            rules.young_age_years, rules.planning_min_young_percent
        ));
    }
    let short = count(people.iter().filter(|c| check_candidate(c, term_starts, rules).short_of_working_time));
    if short > 0 {
        warnings.push(format!("{short} người không đủ tuổi công tác trọn nhiệm kỳ"));
    }
    let spread = count(people.iter().filter(|c| c.posts_in_term > rules.planning_max_posts_per_person));
    if spread > 0 {
        warnings.push(format!("{spread} người được quy hoạch quá {} chức danh", rules.planning_max_posts_per_person));
    }
    PoolFigures { people: n, women, young, women_percent: percent(women), young_percent: percent(young), warnings }
}

fn count<T>(it: impl Iterator<Item = T>) -> u32 {
    u32::try_from(it.count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(female: bool, born: i32, posts: u32) -> Candidate {
        Candidate {
            gender: if female { Gender::Female } else { Gender::Male },
            birth_date: d(born, 6, 1),
            posts_in_term: posts,
        }
    }

    #[test]
    fn a_pool_of_four_men_in_their_fifties() {
        let rules = PersonnelRules::default();
        let pool: Vec<_> = (0..4).map(|i| person(false, 1972 + i, 1)).collect();
        let f = pool_figures(&pool, d(2030, 9, 1), true, &rules);
        assert_eq!((f.people, f.women, f.young), (4, 0, 0));
        assert!(f.warnings.iter().any(|w| w.contains("Quá 3 người")), "{:?}", f.warnings);
        assert!(f.warnings.iter().any(|w| w.contains("nữ")));
        assert!(f.warnings.iter().any(|w| w.contains("trẻ")));
        // Men born 06/1972 and 06/1973 retire at 62 in 06/2034 and 06/2035: less than a term from 09/2030.
        assert!(f.warnings.iter().any(|w| w.starts_with("2 người không đủ tuổi")), "{:?}", f.warnings);
    }

    #[test]
    fn a_balanced_pool_warns_of_nothing() {
        let rules = PersonnelRules::default();
        let pool = [person(true, 1992, 1), person(false, 1980, 2), person(false, 1978, 1)];
        let f = pool_figures(&pool, d(2030, 9, 1), true, &rules);
        assert_eq!((f.women_percent, f.young_percent), (33, 33));
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        assert!(pool_figures(&[], d(2030, 9, 1), false, &rules).warnings.is_empty());
    }

    proptest! {
        #[test]
        fn shares_are_percent_of_the_people(people in proptest::collection::vec((any::<bool>(), 1950i32..2005, 1u32..6), 0..40)) {
            let rules = PersonnelRules::default();
            let pool: Vec<_> = people.iter().map(|(f, y, p)| person(*f, *y, *p)).collect();
            let f = pool_figures(&pool, d(2030, 1, 1), true, &rules);
            prop_assert_eq!(f.people as usize, pool.len());
            prop_assert!(f.women <= f.people && f.young <= f.people);
            prop_assert!(f.women_percent <= 100 && f.young_percent <= 100);
            prop_assert_eq!(f.people > rules.planning_max_per_post, f.warnings.iter().any(|w| w.starts_with("Quá")));
        }
    }
}
