//! The count of one entry: ballots issued and returned reconciled, valid and invalid ballots,
//! each person's votes; and where two tellers' entries of the same pile differ.

use serde::Serialize;

use super::ballot::{Ballot, Validity};
use crate::validation::Problems;

/// The ballots handed out and those found in the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Reconciliation {
    pub issued: u32,
    pub returned: u32,
}

impl Reconciliation {
    /// Returned ballots cannot outnumber those issued, and every returned ballot is entered,
    /// so that valid + invalid = returned.
    pub fn check(&self, entered: usize, problems: &mut Problems) {
        if self.returned > self.issued {
            problems.add(
                "returned",
                format!("Số phiếu thu vào ({}) nhiều hơn số phiếu phát ra ({})", self.returned, self.issued),
            );
        }
        if entered != self.returned as usize {
            problems.add("ballots", format!("Đã nhập {entered} phiếu nhưng số phiếu thu vào là {}", self.returned));
        }
    }
}

/// What one entry adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Count {
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
    pub invalid: u32,
    /// Invalid for voting for more people than the seats.
    pub invalid_too_many: u32,
    /// Invalid for voting for nobody on a list of several.
    pub invalid_nobody: u32,
    /// The votes of each person, by number on the ballot (`votes[0]` is number 1), counted on
    /// valid ballots only.
    pub votes: Vec<u32>,
}

/// Adds up the ballots of an entry for `seats` on a list of `candidates`.
pub fn tally(reconciliation: Reconciliation, ballots: &[Ballot], seats: u32, candidates: u32) -> Count {
    let mut count = Count {
        issued: reconciliation.issued,
        returned: reconciliation.returned,
        votes: vec![0; candidates as usize],
        ..Count::default()
    };
    for ballot in ballots {
        match ballot.validity(seats, candidates) {
            Validity::Valid => {
                count.valid += 1;
                for n in ballot.votes() {
                    count.votes[n as usize - 1] += 1;
                }
            }
            Validity::TooMany => count.invalid_too_many += 1,
            Validity::Nobody => count.invalid_nobody += 1,
        }
    }
    count.invalid = count.invalid_too_many + count.invalid_nobody;
    count
}

/// The positions (from 0) at which two entries of the same pile differ, a ballot entered by
/// one teller only included.
pub fn differing_ballots(a: &[Ballot], b: &[Ballot]) -> Vec<usize> {
    (0..a.len().max(b.len())).filter(|i| a.get(*i) != b.get(*i)).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::elections::ballot::Mark;

    #[test]
    fn valid_and_invalid_add_up_to_the_returned_ballots() {
        let ballots = vec![
            Ballot::struck(&[1], 4).unwrap(),          // keeps 2, 3, 4: valid for 3 seats
            Ballot::struck(&[], 4).unwrap(),           // keeps 4 of 3 seats: invalid
            Ballot::struck(&[1, 2, 3, 4], 4).unwrap(), // nobody: invalid
            Ballot::struck(&[1, 2], 4).unwrap(),       // keeps 3, 4
        ];
        let count = tally(Reconciliation { issued: 5, returned: 4 }, &ballots, 3, 4);
        assert_eq!((count.valid, count.invalid, count.invalid_too_many, count.invalid_nobody), (2, 2, 1, 1));
        assert_eq!(count.votes, vec![0, 1, 2, 2]);
        let mut problems = Problems::new();
        Reconciliation { issued: 5, returned: 4 }.check(ballots.len(), &mut problems);
        assert!(problems.is_empty());
    }

    #[test]
    fn more_returned_than_issued_or_ballots_missing_is_refused() {
        let mut problems = Problems::new();
        Reconciliation { issued: 3, returned: 4 }.check(4, &mut problems);
        assert_eq!(problems.len(), 1);
        let mut problems = Problems::new();
        Reconciliation { issued: 4, returned: 4 }.check(3, &mut problems);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn differences_are_found_ballot_by_ballot() {
        let one = Ballot::marks(vec![Mark::Agree], 1).unwrap();
        let other = Ballot::marks(vec![Mark::Disagree], 1).unwrap();
        let a = vec![one.clone(), one.clone(), other.clone()];
        let b = vec![one.clone(), other.clone(), other.clone(), one.clone()];
        assert_eq!(differing_ballots(&a, &b), vec![1, 3]);
        assert!(differing_ballots(&a, &a).is_empty());
    }

    proptest! {
        #[test]
        fn a_tally_accounts_for_every_ballot_and_vote(
            kept in prop::collection::vec(prop::collection::btree_set(1u32..=12, 0..=12), 0..200),
            seats in 1u32..=12,
        ) {
            let ballots: Vec<Ballot> = kept.iter().map(|k| Ballot::Surplus(k.iter().copied().collect())).collect();
            let n = ballots.len() as u32;
            let count = tally(Reconciliation { issued: n, returned: n }, &ballots, seats, 12);
            prop_assert_eq!(count.valid + count.invalid, n);
            let valid_votes: usize = ballots.iter().filter(|b| b.validity(seats, 12).is_valid()).map(|b| b.votes().len()).sum();
            prop_assert_eq!(count.votes.iter().map(|v| *v as usize).sum::<usize>(), valid_votes);
            prop_assert!(count.votes.iter().all(|v| *v <= count.valid));
        }
    }
}
