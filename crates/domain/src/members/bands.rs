//! Bands for roll-up figures (age, party age) and the Party badge milestones.
//!
//! The boundaries are data ([`MembershipRules::age_band_starts`],
//! [`MembershipRules::party_age_band_starts`]): report templates differ between boards and years.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::party_age::PartyAge;
use super::rules::MembershipRules;

/// One band of a figure: values from `from` to `to`, both included; the last band has no `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Band {
    /// Position of the band, 0 for the youngest; the column of a roll-up table.
    pub index: usize,
    pub from: u32,
    pub to: Option<u32>,
}

impl Band {
    /// "Dưới 31 tuổi", "Từ 31 đến 40 tuổi", "Từ 61 tuổi trở lên" for `unit` = "tuổi";
    /// "Dưới 10 năm", "Từ 10 đến 19 năm", "Từ 50 năm trở lên" for `unit` = "năm".
    pub fn label(&self, unit: &str) -> String {
        match (self.from, self.to) {
            (0, None) => "Tất cả".to_owned(),
            (0, Some(to)) => format!("Dưới {} {unit}", u64::from(to) + 1),
            (from, None) => format!("Từ {from} {unit} trở lên"),
            (from, Some(to)) if from == to => format!("{from} {unit}"),
            (from, Some(to)) => format!("Từ {from} đến {to} {unit}"),
        }
    }
}

/// The band of `value` among bands that start at `starts` (ascending; the first band starts at
/// 0). Unsorted `starts` (refused by [`MembershipRules::validate`]) give a band, not a panic.
pub fn band_of(value: u32, starts: &[u32]) -> Band {
    let index = starts.iter().filter(|s| **s <= value).count();
    let from = starts.iter().copied().filter(|s| *s <= value).max().unwrap_or(0);
    let to = starts.iter().copied().filter(|s| *s > value).min().map(|next| next - 1);
    Band { index, from, to }
}

/// Every band, in order, for the columns of a table (including bands nobody falls in).
pub fn all_bands(starts: &[u32]) -> Vec<Band> {
    let mut out = Vec::with_capacity(starts.len() + 1);
    out.push(band_of(0, starts));
    for &s in starts {
        let band = band_of(s, starts);
        if !out.contains(&band) {
            out.push(band);
        }
    }
    out
}

/// The age band of a member aged `age_years` (see [`super::member::age_on`]).
pub fn age_band(age_years: u32, rules: &MembershipRules) -> Band {
    band_of(age_years, &rules.age_band_starts)
}

/// The party-age band of a member, by completed years.
pub fn party_age_band(age: PartyAge, rules: &MembershipRules) -> Band {
    band_of(age.years, &rules.party_age_band_starts)
}

/// The first badge milestone (in years of party age) not yet reached by `age`; `None` past the
/// last milestone. A member whose party age is exactly 30 years has reached the 30-year badge,
/// so the next one is 40. For the date it is reached, see [`super::party_age::next_badge`].
pub fn next_badge_milestone(age: PartyAge, rules: &MembershipRules) -> Option<u32> {
    rules.badge_milestone_years.iter().copied().filter(|m| u64::from(*m) * 12 > u64::from(age.total_months())).min()
}

/// The highest badge milestone reached by `age`, if any.
pub fn reached_badge_milestone(age: PartyAge, rules: &MembershipRules) -> Option<u32> {
    rules.badge_milestone_years.iter().copied().filter(|m| u64::from(*m) * 12 <= u64::from(age.total_months())).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn age_bands_follow_the_settings() {
        let r = MembershipRules::default();
        let labels: Vec<String> =
            [18, 30, 31, 40, 41, 60, 61, 90].iter().map(|a| age_band(*a, &r).label("tuổi")).collect();
        assert_eq!(
            labels,
            [
                "Dưới 31 tuổi",
                "Dưới 31 tuổi",
                "Từ 31 đến 40 tuổi",
                "Từ 31 đến 40 tuổi",
                "Từ 41 đến 50 tuổi",
                "Từ 51 đến 60 tuổi",
                "Từ 61 tuổi trở lên",
                "Từ 61 tuổi trở lên"
            ]
        );
        assert_eq!(age_band(61, &r).index, 4);
        assert_eq!(all_bands(&r.age_band_starts).len(), 5);
    }

    #[test]
    fn party_age_bands() {
        let r = MembershipRules::default();
        let band = |y| party_age_band(PartyAge { years: y, months: 11 }, &r);
        assert_eq!(band(9).label("năm"), "Dưới 10 năm");
        assert_eq!(band(10).label("năm"), "Từ 10 đến 19 năm");
        assert_eq!(band(49).index, 4);
        assert_eq!(band(50).label("năm"), "Từ 50 năm trở lên");
        let all: Vec<String> = all_bands(&r.party_age_band_starts).iter().map(|b| b.label("năm")).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(band_of(5, &[]).label("năm"), "Tất cả");
    }

    #[test]
    fn badge_milestones() {
        let r = MembershipRules::default();
        let age = |years, months| PartyAge { years, months };
        assert_eq!(next_badge_milestone(age(12, 3), &r), Some(30));
        assert_eq!(next_badge_milestone(age(29, 11), &r), Some(30));
        assert_eq!(next_badge_milestone(age(30, 0), &r), Some(40));
        assert_eq!(next_badge_milestone(age(44, 6), &r), Some(45));
        assert_eq!(next_badge_milestone(age(90, 0), &r), None);
        assert_eq!(reached_badge_milestone(age(29, 11), &r), None);
        assert_eq!(reached_badge_milestone(age(47, 0), &r), Some(45));
    }

    proptest! {
        #[test]
        fn a_value_lies_in_its_band(value in 0u32..200, mut starts in prop::collection::vec(1u32..150, 0..8)) {
            let unsorted = band_of(value, &starts);
            let _ = unsorted.label("tuổi");
            starts.sort_unstable();
            starts.dedup();
            let band = band_of(value, &starts);
            prop_assert!(band.from <= value);
            prop_assert!(band.to.is_none_or(|to| value <= to));
            prop_assert_eq!(all_bands(&starts)[band.index], band);
        }
    }
}
