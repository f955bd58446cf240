//! Điều 14: the list of candidates and its surplus (số dư), and nominations from the floor.

use serde::Serialize;

use super::{BallotKind, ElectionRules};
use crate::validation::Problems;

/// What the checks found on a list that may be voted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListCheck {
    /// Candidates beyond the seats (0 on a list with no surplus).
    pub surplus: u32,
    /// The most the surplus may be.
    pub max_surplus: u32,
    /// The guidance (10–15 % of the seats, rounded to people), shown and not enforced, when
    /// the surplus is outside it.
    pub guidance: Option<String>,
}

/// The largest surplus Điều 14 allows for `seats`: 30 % of the seats, rounded down, or one
/// person for a body of 3 to 5.
pub fn max_surplus(seats: u32, rules: &ElectionRules) -> u32 {
    if (rules.small_body_min_seats..=rules.small_body_max_seats).contains(&seats) {
        rules.small_body_max_surplus
    } else {
        (u64::from(seats) * u64::from(rules.max_surplus_percent) / 100) as u32
    }
}

/// Checks a list of `candidates` for `seats` on a ballot of `kind`. A list with a surplus must
/// have more candidates than seats and a surplus within [`max_surplus`]; a list with none may
/// not have more candidates than seats.
pub fn check_list(seats: u32, candidates: u32, kind: BallotKind, rules: &ElectionRules) -> Result<ListCheck, Problems> {
    let mut problems = Problems::new();
    if seats == 0 {
        problems.add("seats", "Số lượng cần bầu phải từ 1 trở lên");
    }
    if candidates == 0 {
        problems.add("candidates", "Danh sách bầu cử chưa có ai");
    }
    let max = max_surplus(seats, rules);
    let surplus = candidates.saturating_sub(seats);
    if problems.is_empty() {
        match kind {
            BallotKind::Surplus if candidates <= seats => problems.add(
                "candidates",
                format!("Danh sách có số dư phải nhiều hơn số cần bầu ({seats}); có {candidates} người"),
            ),
            BallotKind::Surplus if surplus > max => problems.add(
                "candidates",
                format!(
                    "Số dư {surplus} người vượt mức tối đa {max} người (không quá {}% số cần bầu, Điều 14 Quy chế \
                     bầu cử); đại hội cần biểu quyết những người được giữ lại trong danh sách",
                    rules.max_surplus_percent
                ),
            ),
            BallotKind::Approval if candidates > seats => problems.add(
                "candidates",
                format!("Danh sách không có số dư thì số người ({candidates}) không vượt số cần bầu ({seats})"),
            ),
            _ => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let guidance = (kind == BallotKind::Surplus).then(|| guidance(seats, surplus, rules)).flatten();
    Ok(ListCheck { surplus: if kind == BallotKind::Surplus { surplus } else { 0 }, max_surplus: max, guidance })
}

/// The 10–15 % guidance in people, when the surplus is outside it.
fn guidance(seats: u32, surplus: u32, rules: &ElectionRules) -> Option<String> {
    let percent_of_seats = |p: u32| u64::from(seats) * u64::from(p);
    let (low, high) = (rules.guidance_surplus_min_percent, rules.guidance_surplus_max_percent);
    let share = u64::from(surplus) * 100;
    if share >= percent_of_seats(low) && share <= percent_of_seats(high) {
        return None;
    }
    let people = |p: u32| percent_of_seats(p).div_ceil(100);
    Some(format!(
        "Hướng dẫn: cấp ủy triệu tập chuẩn bị số dư từ {low}% đến {high}% số cần bầu (khoảng {}–{} người); \
         danh sách này dư {surplus} người",
        people(low),
        (percent_of_seats(high) / 100).max(people(low))
    ))
}

/// Điều 14: a person nominated from the floor (or self-nominated) joins the list only when
/// more than 30 % of those present agree.
pub fn floor_nomination_agreed(present: u32, agreed: u32, rules: &ElectionRules) -> bool {
    agreed <= present && u64::from(agreed) * 100 > u64::from(present) * u64::from(rules.floor_nomination_min_percent)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rules() -> ElectionRules {
        ElectionRules::default()
    }

    #[test]
    fn a_surplus_is_at_most_thirty_percent_of_the_seats() {
        assert_eq!(max_surplus(200, &rules()), 60);
        assert!(check_list(200, 260, BallotKind::Surplus, &rules()).is_ok());
        assert!(check_list(200, 261, BallotKind::Surplus, &rules()).is_err());
        assert_eq!(max_surplus(7, &rules()), 2);
        assert!(check_list(7, 10, BallotKind::Surplus, &rules()).is_err());
    }

    #[test]
    fn a_body_of_three_to_five_has_a_surplus_of_one_at_most() {
        for seats in 3..=5 {
            assert!(check_list(seats, seats + 1, BallotKind::Surplus, &rules()).is_ok());
            assert!(check_list(seats, seats + 2, BallotKind::Surplus, &rules()).is_err());
        }
    }

    #[test]
    fn a_list_with_a_surplus_needs_one_and_a_list_without_has_none() {
        assert!(check_list(9, 9, BallotKind::Surplus, &rules()).is_err());
        assert!(check_list(1, 1, BallotKind::Approval, &rules()).is_ok());
        assert!(check_list(3, 3, BallotKind::Approval, &rules()).is_ok());
        assert!(check_list(1, 2, BallotKind::Approval, &rules()).is_err());
        assert!(check_list(0, 2, BallotKind::Approval, &rules()).is_err());
    }

    #[test]
    fn the_guidance_is_shown_outside_ten_to_fifteen_percent() {
        // Huế, 2025: 52 seats, 58 on the list: 11.5 %.
        assert_eq!(check_list(52, 58, BallotKind::Surplus, &rules()).unwrap().guidance, None);
        let thin = check_list(52, 53, BallotKind::Surplus, &rules()).unwrap();
        assert!(thin.guidance.unwrap().contains("10% đến 15%"));
        assert_eq!(check_list(52, 53, BallotKind::Approval, &rules()).ok(), None);
    }

    #[test]
    fn a_floor_nomination_needs_more_than_thirty_percent_of_those_present() {
        assert!(!floor_nomination_agreed(100, 30, &rules()));
        assert!(floor_nomination_agreed(100, 31, &rules()));
        assert!(!floor_nomination_agreed(10, 3, &rules()));
        assert!(floor_nomination_agreed(10, 4, &rules()));
        assert!(!floor_nomination_agreed(10, 11, &rules()), "more agreeing than present");
    }

    proptest! {
        #[test]
        fn an_accepted_surplus_list_never_passes_the_limit(seats in 1u32..400, candidates in 1u32..600) {
            if let Ok(check) = check_list(seats, candidates, BallotKind::Surplus, &rules()) {
                prop_assert!(candidates > seats);
                prop_assert!(check.surplus <= check.max_surplus);
                let small = (3..=5).contains(&seats);
                prop_assert!(small || u64::from(check.surplus) * 100 <= u64::from(seats) * 30);
            }
        }

        /// The least agreement that passes is 30 % of those present, rounded down, plus one;
        /// every larger number up to all present passes too.
        #[test]
        fn a_floor_nomination_passes_from_just_above_the_share(present in 1u32..5000) {
            let least = present * 3 / 10 + 1;
            for agreed in [least.saturating_sub(1), least, (least + present) / 2, present] {
                prop_assert_eq!(floor_nomination_agreed(present, agreed, &rules()), agreed >= least, "{}", agreed);
            }
        }
    }
}
