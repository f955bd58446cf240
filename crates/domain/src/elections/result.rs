//! Điều 30: who is elected. Those with more than half of the base pass; among them the most
//! votes win the seats. A tie for the last seats is never broken here: no rule of QĐ 190 was
//! found for it, so the result stops until the presidium's decision is recorded. "Elected" is
//! computed, never typed.

use serde::Serialize;

use super::base::majority_threshold;

/// One person in the result, by their number on the ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub number: u32,
    pub votes: u32,
    /// More than half of the base.
    pub passed_threshold: bool,
    pub elected: bool,
}

/// The result of a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub base: u32,
    pub threshold: u32,
    pub seats: u32,
    /// In ballot order.
    pub standings: Vec<Standing>,
    /// Those tied for the last seats when no decision is recorded yet; empty otherwise.
    pub tied: Vec<u32>,
    /// How many of the tied the decision must name.
    pub tied_seats: u32,
    /// Seats nobody won: they carry into a further round (bầu tiếp) if the congress decides.
    pub seats_unfilled: u32,
}

impl Outcome {
    pub fn is_tie(&self) -> bool {
        !self.tied.is_empty()
    }

    pub fn elected(&self) -> impl Iterator<Item = u32> + '_ {
        self.standings.iter().filter(|s| s.elected).map(|s| s.number)
    }

    /// Who may stand in a further round for the seats left: everyone on the list not elected
    /// (the congress decides whether to add names, Quy chế 244 Điều 20).
    pub fn further_round(&self) -> Option<(u32, Vec<u32>)> {
        (self.seats_unfilled > 0 && !self.is_tie())
            .then(|| (self.seats_unfilled, self.standings.iter().filter(|s| !s.elected).map(|s| s.number).collect()))
    }
}

/// Why a tie decision does not fit the tie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieDecisionProblem {
    NoTie,
    /// It names someone who is not among the tied.
    NotTied(u32),
    /// It names more or fewer people than the seats left to the tied.
    WrongNumber {
        named: usize,
        seats: u32,
    },
}

impl std::fmt::Display for TieDecisionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TieDecisionProblem::NoTie => write!(f, "Kết quả không có trường hợp bằng phiếu"),
            TieDecisionProblem::NotTied(n) => write!(f, "Người số {n} không nằm trong số bằng phiếu"),
            TieDecisionProblem::WrongNumber { named, seats } => {
                write!(f, "Quyết định phải chọn đúng {seats} người trong số bằng phiếu (đã chọn {named})")
            }
        }
    }
}

/// The result of `votes` (by ballot number) for `seats` against `base`, with the presidium's
/// decision on a tie for the last seats when one is recorded (`decided`: the numbers chosen).
pub fn outcome(votes: &[u32], seats: u32, base: u32, decided: Option<&[u32]>) -> Result<Outcome, TieDecisionProblem> {
    let threshold = majority_threshold(base);
    let mut passed: Vec<(u32, u32)> = (1..).zip(votes.iter().copied()).filter(|(_, v)| *v >= threshold).collect();
    passed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut elected: Vec<u32> = Vec::new();
    let mut tied: Vec<u32> = Vec::new();
    let mut tied_seats = 0;
    if seats == 0 {
        // No seats (only a forged record has none): nobody is elected.
    } else if passed.len() <= seats as usize {
        elected.extend(passed.iter().map(|p| p.0));
    } else {
        let last = passed[seats as usize - 1].1;
        elected.extend(passed.iter().filter(|p| p.1 > last).map(|p| p.0));
        let at_last: Vec<u32> = passed.iter().filter(|p| p.1 == last).map(|p| p.0).collect();
        let seats_left = seats - elected.len() as u32;
        if at_last.len() as u32 <= seats_left {
            elected.extend(at_last);
        } else {
            tied_seats = seats_left;
            tied = at_last;
        }
    }
    match (decided, tied.is_empty()) {
        (Some(_), true) => return Err(TieDecisionProblem::NoTie),
        (Some(chosen), false) => {
            if let Some(n) = chosen.iter().find(|n| !tied.contains(n)) {
                return Err(TieDecisionProblem::NotTied(*n));
            }
            let mut distinct = chosen.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() != tied_seats as usize {
                return Err(TieDecisionProblem::WrongNumber { named: distinct.len(), seats: tied_seats });
            }
            elected.extend(distinct);
            tied.clear();
        }
        (None, _) => {}
    }
    let standings = (1..)
        .zip(votes.iter().copied())
        .map(|(number, votes)| Standing {
            number,
            votes,
            passed_threshold: votes >= threshold,
            elected: elected.contains(&number),
        })
        .collect();
    let filled = elected.len() as u32 + if tied.is_empty() { 0 } else { tied_seats };
    Ok(Outcome {
        base,
        threshold,
        seats,
        standings,
        tied_seats: if tied.is_empty() { 0 } else { tied_seats },
        tied,
        seats_unfilled: seats - filled,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn elected(o: &Outcome) -> Vec<u32> {
        o.elected().collect()
    }

    #[test]
    fn the_most_votes_above_half_of_the_base_win() {
        // Base 10, threshold 6; 3 seats.
        let o = outcome(&[9, 6, 5, 8, 7], 3, 10, None).unwrap();
        assert_eq!(o.threshold, 6);
        assert_eq!(elected(&o), vec![1, 4, 5]);
        assert!(o.standings[1].passed_threshold && !o.standings[1].elected);
        assert!(!o.standings[2].passed_threshold);
        assert_eq!(o.seats_unfilled, 0);
    }

    #[test]
    fn half_of_the_base_is_not_enough() {
        let o = outcome(&[5, 6], 2, 10, None).unwrap();
        assert_eq!(elected(&o), vec![2]);
        assert_eq!(o.seats_unfilled, 1);
        assert_eq!(o.further_round(), Some((1, vec![1])));
    }

    #[test]
    fn a_tie_for_the_last_seat_waits_for_a_decision() {
        let o = outcome(&[9, 7, 7, 7, 3], 2, 10, None).unwrap();
        assert_eq!(elected(&o), vec![1]);
        assert_eq!((o.tied.clone(), o.tied_seats, o.seats_unfilled), (vec![2, 3, 4], 1, 0));
        assert_eq!(o.further_round(), None);
        let decided = outcome(&[9, 7, 7, 7, 3], 2, 10, Some(&[3])).unwrap();
        assert_eq!(elected(&decided), vec![1, 3]);
        assert!(!decided.is_tie());
        assert_eq!(outcome(&[9, 7, 7, 7, 3], 2, 10, Some(&[5])), Err(TieDecisionProblem::NotTied(5)));
        assert_eq!(
            outcome(&[9, 7, 7, 7, 3], 2, 10, Some(&[2, 3])),
            Err(TieDecisionProblem::WrongNumber { named: 2, seats: 1 })
        );
        assert_eq!(outcome(&[9, 8], 2, 10, Some(&[1])), Err(TieDecisionProblem::NoTie));
    }

    #[test]
    fn no_seats_elect_nobody_and_do_not_panic() {
        let o = outcome(&[9, 9], 0, 10, None).unwrap();
        assert_eq!(o.elected().count(), 0);
        assert_eq!(o.seats_unfilled, 0);
    }

    #[test]
    fn a_tie_that_fits_the_seats_elects_them_all() {
        let o = outcome(&[7, 7, 9], 3, 10, None).unwrap();
        assert_eq!(elected(&o), vec![1, 2, 3]);
        assert!(!o.is_tie());
    }

    proptest! {
        /// On random counts: never more elected than seats; everyone elected passed the
        /// threshold; nobody outside beats someone elected; a tie leaves exactly the tied seats
        /// open, with every tied person on the same number of votes.
        #[test]
        fn the_result_keeps_the_rules(votes in prop::collection::vec(0u32..30, 1..40), seats in 1u32..10, base in 1u32..40) {
            let o = outcome(&votes, seats, base, None).unwrap();
            let won: Vec<&Standing> = o.standings.iter().filter(|s| s.elected).collect();
            prop_assert!(won.len() as u32 <= seats);
            prop_assert!(won.iter().all(|s| s.passed_threshold && 2 * s.votes > base));
            let least_won = won.iter().map(|s| s.votes).min();
            for s in o.standings.iter().filter(|s| !s.elected && s.passed_threshold) {
                prop_assert!(least_won.is_none_or(|l| s.votes <= l));
            }
            if o.is_tie() {
                let tied_votes: Vec<u32> = o.tied.iter().map(|n| votes[*n as usize - 1]).collect();
                prop_assert!(tied_votes.windows(2).all(|w| w[0] == w[1]));
                prop_assert!((o.tied.len() as u32) > o.tied_seats);
                prop_assert_eq!(won.len() as u32 + o.tied_seats + o.seats_unfilled, seats);
                let chosen: Vec<u32> = o.tied.iter().copied().take(o.tied_seats as usize).collect();
                let decided = outcome(&votes, seats, base, Some(&chosen)).unwrap();
                prop_assert_eq!(decided.elected().count() as u32, seats);
            } else {
                let passed = o.standings.iter().filter(|s| s.passed_threshold).count() as u32;
                prop_assert_eq!(won.len() as u32, passed.min(seats));
                prop_assert_eq!(o.seats_unfilled, seats - passed.min(seats));
            }
        }
    }
}
