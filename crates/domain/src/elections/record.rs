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
    /// The ballots do not reconcile with those issued and returned.
    Reconciliation(String),
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordProblem::Ballot { index, problem } => write!(f, "ballot {}: {problem}", index + 1),
            RecordProblem::WrongKind { index } => write!(f, "ballot {}: not a ballot of this list's layout", index + 1),
            RecordProblem::NotSorted => write!(f, "the ballots are not in canonical order"),
            RecordProblem::TieDecision(p) => write!(f, "tie decision: {p}"),
            RecordProblem::Reconciliation(why) => write!(f, "{why}"),
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
        let mut problems = crate::validation::Problems::new();
        reconciliation.check(ballots.len(), &mut problems);
        if let Err(found) = problems.finish() {
            let why = found.into_iter().map(|p| p.message).collect::<Vec<_>>().join("; ");
            return Err(RecordProblem::Reconciliation(why));
        }
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

/// The record as it is exported, sealed with the paper ballots, and checked offline by
/// `dangvu election verify FILE`: the ballots, and what the counting board's minutes state
/// about them (the totals, each person's votes, who is elected, the fingerprints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFile {
    /// `dangvu-election-record/1`.
    pub format: String,
    pub record: Record,
    pub stated: Stated,
    pub record_fingerprint: String,
    /// Absent while a tie waits for the presidium's decision.
    pub result_fingerprint: Option<String>,
}

/// What the minutes state, to be recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stated {
    pub valid: u32,
    pub invalid: u32,
    pub base: u32,
    pub threshold: u32,
    /// By ballot number: `votes[0]` is number 1's.
    pub votes: Vec<u32>,
    pub elected: Vec<u32>,
    pub tied: Vec<u32>,
    pub seats_unfilled: u32,
}

pub const RECORD_FORMAT: &str = "dangvu-election-record/1";

impl RecordFile {
    /// The file of a record, with what it recounts to.
    pub fn of(record: Record) -> Result<RecordFile, RecordProblem> {
        let (count, result) = record.recount()?;
        let record_fingerprint = record.fingerprint();
        let result_fingerprint = (!result.is_tie()).then(|| result_fingerprint(&record_fingerprint, &count, &result));
        Ok(RecordFile {
            format: RECORD_FORMAT.into(),
            stated: stated(&count, &result),
            record,
            record_fingerprint,
            result_fingerprint,
        })
    }

    /// Recounts the record and compares everything the file states with what it recounts to.
    /// Answers the recomputed statement, or every disagreement in words.
    pub fn verify(&self) -> Result<Stated, Vec<String>> {
        let mut problems = Vec::new();
        if self.format != RECORD_FORMAT {
            problems.push(format!("unknown format {:?} (expected {RECORD_FORMAT})", self.format));
        }
        let (count, result) = self.record.recount().map_err(|e| vec![e.to_string()])?;
        let again = stated(&count, &result);
        let compare = |what: &str, stated: String, recounted: String, problems: &mut Vec<String>| {
            if stated != recounted {
                problems.push(format!("{what}: the file states {stated}, the ballots give {recounted}"));
            }
        };
        compare("valid ballots", self.stated.valid.to_string(), again.valid.to_string(), &mut problems);
        compare("invalid ballots", self.stated.invalid.to_string(), again.invalid.to_string(), &mut problems);
        compare("base", self.stated.base.to_string(), again.base.to_string(), &mut problems);
        compare("threshold", self.stated.threshold.to_string(), again.threshold.to_string(), &mut problems);
        compare("votes", format!("{:?}", self.stated.votes), format!("{:?}", again.votes), &mut problems);
        compare("elected", format!("{:?}", self.stated.elected), format!("{:?}", again.elected), &mut problems);
        compare("tied", format!("{:?}", self.stated.tied), format!("{:?}", again.tied), &mut problems);
        compare(
            "seats unfilled",
            self.stated.seats_unfilled.to_string(),
            again.seats_unfilled.to_string(),
            &mut problems,
        );
        let record_fp = self.record.fingerprint();
        compare("record fingerprint", self.record_fingerprint.clone(), record_fp.clone(), &mut problems);
        let result_fp = (!result.is_tie()).then(|| result_fingerprint(&record_fp, &count, &result));
        compare(
            "result fingerprint",
            format!("{:?}", self.result_fingerprint),
            format!("{result_fp:?}"),
            &mut problems,
        );
        if problems.is_empty() { Ok(again) } else { Err(problems) }
    }
}

fn stated(count: &Count, result: &Outcome) -> Stated {
    Stated {
        valid: count.valid,
        invalid: count.invalid,
        base: result.base,
        threshold: result.threshold,
        votes: count.votes.clone(),
        elected: result.elected().collect(),
        tied: result.tied.clone(),
        seats_unfilled: result.seats_unfilled,
    }
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
            issued: (ballots.len() as u32).max(5),
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

    #[test]
    fn a_record_missing_a_ballot_does_not_reconcile() {
        let mut r = record(vec!["s:1,2".into(), "s:2,3".into()]);
        r.returned = 3;
        assert!(matches!(r.recount().unwrap_err(), RecordProblem::Reconciliation(_)));
    }

    #[test]
    fn a_file_verifies_and_any_change_to_it_is_named() {
        let r = record(vec!["s:1,2".into(), "s:1,3".into(), "s:1,2".into(), "s:1,2,3".into(), "s:2,3".into()]);
        let file = RecordFile::of(r).unwrap();
        assert_eq!(file.verify().unwrap().elected, vec![1, 2]);
        let mut forged = file.clone();
        forged.stated.elected = vec![1, 3];
        assert!(forged.verify().unwrap_err().iter().any(|p| p.starts_with("elected")));
        let mut forged = file.clone();
        forged.record.ballots[0] = "s:1,3".into();
        forged.record.ballots.sort();
        let problems = forged.verify().unwrap_err();
        assert!(problems.iter().any(|p| p.starts_with("record fingerprint")), "{problems:?}");
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
