//! The per-ballot record of a count, which anyone can recount offline (`dangvu election
//! verify`), and the two fingerprints printed on the counting board's minutes: one of the
//! record, one of the result.
//!
//! The record holds each ballot's canonical text, sorted, so that nothing in it orders the
//! ballots: no teller, no time, no position in the pile. It is sealed with the paper ballots,
//! not published.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ballot::{Ballot, BallotProblem};
use super::base::Electors;
use super::count::{Count, Reconciliation, tally};
use super::result::{Outcome, TieDecisionProblem, outcome};
use super::{BallotKind, ElectionKind};

/// What a count is recomputed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub title: String,
    pub org: String,
    pub kind: ElectionKind,
    pub ballot: BallotKind,
    pub seats: u32,
    /// The names in ballot order: number 1 first.
    pub candidates: Vec<String>,
    pub electors: Electors,
    pub issued: u32,
    pub returned: u32,
    /// The presidium's decision on a tie for the last seats: the numbers chosen.
    pub tie_decision: Option<Vec<u32>>,
    /// Every ballot's canonical text ([`Ballot::canonical`]), sorted.
    pub ballots: Vec<String>,
}

/// Why a record cannot be recounted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    Ballot {
        index: usize,
        problem: BallotProblem,
    },
    /// A ballot of the other layout.
    WrongKind {
        index: usize,
    },
    NotSorted,
    TieDecision(TieDecisionProblem),
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordProblem::Ballot { index, problem } => write!(f, "ballot {}: {problem}", index + 1),
            RecordProblem::WrongKind { index } => write!(f, "ballot {}: not a ballot of this list's layout", index + 1),
            RecordProblem::NotSorted => write!(f, "the ballots are not in canonical order"),
            RecordProblem::TieDecision(p) => write!(f, "tie decision: {p}"),
        }
    }
}

/// Hashes fields, each prefixed with its length, so that no two different sequences of
/// fields are the same bytes.
struct Fingerprint(Sha256);

impl Fingerprint {
    fn new(kind: &str) -> Self {
        let mut f = Fingerprint(Sha256::new());
        f.field(kind);
        f
    }

    fn field(&mut self, text: &str) -> &mut Self {
        self.0.update((text.len() as u64).to_be_bytes());
        self.0.update(text.as_bytes());
        self
    }

    fn number(&mut self, n: impl std::fmt::Display) -> &mut Self {
        self.field(&n.to_string())
    }

    fn hex(self) -> String {
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl Record {
    /// Sorts the ballots into their canonical order (the record's only order).
    pub fn new_sorted(mut self) -> Record {
        self.ballots.sort_unstable();
        self
    }

    /// The SHA-256 of the record, printed on the minutes.
    pub fn fingerprint(&self) -> String {
        let mut f = Fingerprint::new("dangvu election record 1");
        f.field(&self.title).field(&self.org).field(self.kind.as_str()).field(self.ballot.as_str()).number(self.seats);
        f.number(self.candidates.len());
        for name in &self.candidates {
            f.field(name);
        }
        f.number(self.electors.summoned).number(self.electors.excluded.len());
        for (reason, n) in &self.electors.excluded {
            f.field(reason.as_str()).number(n);
        }
        f.number(self.issued).number(self.returned);
        match &self.tie_decision {
            Some(chosen) => f.field(&chosen.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
            None => f.field("\u{0}none"),
        };
        f.number(self.ballots.len());
        for ballot in &self.ballots {
            f.field(ballot);
        }
        f.hex()
    }

    /// Reads every ballot back, checked against the list.
    pub fn ballots(&self) -> Result<Vec<Ballot>, RecordProblem> {
        if self.ballots.windows(2).any(|w| w[0] > w[1]) {
            return Err(RecordProblem::NotSorted);
        }
        let n = self.candidates.len() as u32;
        self.ballots
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let ballot = Ballot::parse(text, n).map_err(|problem| RecordProblem::Ballot { index, problem })?;
                if ballot.kind() != self.ballot {
                    return Err(RecordProblem::WrongKind { index });
                }
                Ok(ballot)
            })
            .collect()
    }

    /// Recomputes validity, totals, the base, the threshold and the result.
    pub fn recount(&self) -> Result<(Count, Outcome), RecordProblem> {
        let ballots = self.ballots()?;
        let reconciliation = Reconciliation { issued: self.issued, returned: self.returned };
        let count = tally(reconciliation, &ballots, self.seats, self.candidates.len() as u32);
        let result = outcome(&count.votes, self.seats, self.electors.base(), self.tie_decision.as_deref())
            .map_err(RecordProblem::TieDecision)?;
        Ok((count, result))
    }
}

/// The SHA-256 of a result, chained to the record's fingerprint, printed on the minutes.
pub fn result_fingerprint(record_fingerprint: &str, count: &Count, result: &Outcome) -> String {
    let mut f = Fingerprint::new("dangvu election result 1");
    f.field(record_fingerprint);
    f.number(count.issued).number(count.returned).number(count.valid).number(count.invalid);
    f.number(result.base).number(result.threshold).number(result.seats).number(result.seats_unfilled);
    for s in &result.standings {
        f.number(s.number).number(s.votes).number(u8::from(s.passed_threshold)).number(u8::from(s.elected));
    }
    f.field(&result.tied.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
    f.hex()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::elections::Exclusion;

    fn record(ballots: Vec<String>) -> Record {
        Record {
            title: "Bầu Ban Chấp hành".into(),
            org: "Chi bộ 1".into(),
            kind: ElectionKind::MembersCongress,
            ballot: BallotKind::Surplus,
            seats: 2,
            candidates: vec!["An".into(), "Bình".into(), "Chi".into()],
            electors: Electors { summoned: 6, excluded: [(Exclusion::AbsentWithReason, 1)].into() },
            issued: 5,
            returned: ballots.len() as u32,
            tie_decision: None,
            ballots,
        }
        .new_sorted()
    }

    #[test]
    fn a_record_recounts_to_its_result() {
        let r = record(vec!["s:1,2".into(), "s:1,3".into(), "s:1,2".into(), "s:1,2,3".into(), "s:2,3".into()]);
        let (count, result) = r.recount().unwrap();
        assert_eq!((count.valid, count.invalid), (4, 1));
        assert_eq!(count.votes, vec![3, 3, 2]);
        assert_eq!((result.base, result.threshold), (5, 3));
        assert_eq!(result.elected().collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn any_change_changes_the_fingerprint() {
        let r = record(vec!["s:1,2".into(), "s:2,3".into()]);
        let mut other = r.clone();
        other.candidates[1] = "Bính".into();
        assert_ne!(r.fingerprint(), other.fingerprint());
        let mut other = r.clone();
        other.ballots[1] = "s:1,3".into();
        assert_ne!(r.fingerprint(), other.fingerprint());
        let mut other = r.clone();
        other.electors.summoned += 1;
        assert_ne!(r.fingerprint(), other.fingerprint());
        assert_eq!(r.fingerprint().len(), 64);
    }

    #[test]
    fn a_record_out_of_order_or_with_a_foreign_ballot_is_refused() {
        let mut r = record(vec!["s:1,2".into(), "s:2,3".into()]);
        r.ballots.reverse();
        assert_eq!(r.recount().unwrap_err(), RecordProblem::NotSorted);
        let r = record(vec!["a:AA".into()]);
        assert!(matches!(r.recount().unwrap_err(), RecordProblem::Ballot { .. }));
        let r = record(vec!["a:AAA".into()]);
        assert_eq!(r.recount().unwrap_err(), RecordProblem::WrongKind { index: 0 });
    }

    proptest! {
        /// The order the ballots were entered in leaves no trace: any order gives the same
        /// record, fingerprint and result.
        #[test]
        fn the_entry_order_leaves_no_trace(
            kept in prop::collection::vec(prop::sample::subsequence(vec![1u32, 2, 3], 0..=3), 1..30),
            seed in any::<u64>(),
        ) {
            let texts: Vec<String> = kept.iter().map(|k| Ballot::Surplus(k.clone()).canonical()).collect();
            let mut shuffled = texts.clone();
            let len = shuffled.len();
            for i in 0..len {
                shuffled.swap(i, (seed.wrapping_mul(i as u64 + 7) % len as u64) as usize);
            }
            let (a, b) = (record(texts), record(shuffled));
            prop_assert_eq!(a.fingerprint(), b.fingerprint());
            let (ca, ra) = a.recount().unwrap();
            let (cb, rb) = b.recount().unwrap();
            prop_assert_eq!(result_fingerprint(&a.fingerprint(), &ca, &ra), result_fingerprint(&b.fingerprint(), &cb, &rb));
        }
    }
}
