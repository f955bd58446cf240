//! A ballot as the tellers read it, and its validity (Điều 15; Quy chế 244, Điều 17, kept by
//! QĐ 190). Candidates are known by their number on the ballot, from 1, in the list's order.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::BallotKind;

/// One person's boxes on a ballot with no surplus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// "Đồng ý": a vote.
    Agree,
    /// "Không đồng ý".
    Disagree,
    /// Both boxes: the ballot stays valid, the person gets no vote.
    Both,
    /// Neither box: the ballot stays valid, the person gets no vote.
    None,
}

impl Mark {
    pub const ALL: [Mark; 4] = [Mark::Agree, Mark::Disagree, Mark::Both, Mark::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Agree => "agree",
            Mark::Disagree => "disagree",
            Mark::Both => "both",
            Mark::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// One letter in the canonical form of a ballot.
    fn letter(self) -> char {
        match self {
            Mark::Agree => 'A',
            Mark::Disagree => 'D',
            Mark::Both => 'B',
            Mark::None => 'N',
        }
    }

    fn from_letter(c: char) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.letter() == c)
    }
}

/// One paper ballot, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ballot {
    /// The numbers of the names left standing (not struck through), ascending, each once.
    Surplus(Vec<u32>),
    /// The mark for each person, in list order.
    Approval(Vec<Mark>),
}

/// Why an entry is not a ballot of this list: a typing mistake, refused at entry (never a
/// ballot counted as invalid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotProblem {
    /// A number that is nobody's on the list.
    NotOnTheList(u32),
    /// The same number twice.
    Repeated(u32),
    /// Marks for a different number of people than the list has.
    WrongLength { marks: usize, candidates: u32 },
    /// Text that is not a ballot at all.
    Unreadable,
}

impl fmt::Display for BallotProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BallotProblem::NotOnTheList(n) => write!(f, "Không có người số {n} trong danh sách"),
            BallotProblem::Repeated(n) => write!(f, "Số {n} được ghi hai lần"),
            BallotProblem::WrongLength { marks, candidates } => {
                write!(f, "Phiếu có {marks} ô đánh dấu nhưng danh sách có {candidates} người")
            }
            BallotProblem::Unreadable => write!(f, "Không đọc được phiếu"),
        }
    }
}

/// Whether a ballot counts (Điều 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Valid,
    /// It votes for more people than there are seats.
    TooMany,
    /// It votes for nobody on a list of several.
    Nobody,
}

impl Validity {
    pub fn is_valid(self) -> bool {
        self == Validity::Valid
    }
}

impl Ballot {
    /// A ballot with a surplus from the names kept.
    pub fn kept(numbers: &[u32], candidates: u32) -> Result<Ballot, BallotProblem> {
        let mut kept = numbers.to_vec();
        kept.sort_unstable();
        for pair in kept.windows(2) {
            if pair[0] == pair[1] {
                return Err(BallotProblem::Repeated(pair[0]));
            }
        }
        if let Some(n) = kept.iter().find(|n| **n == 0 || **n > candidates) {
            return Err(BallotProblem::NotOnTheList(*n));
        }
        Ok(Ballot::Surplus(kept))
    }

    /// A ballot with a surplus from the names struck through, as tellers read them aloud.
    pub fn struck(numbers: &[u32], candidates: u32) -> Result<Ballot, BallotProblem> {
        let Ballot::Surplus(struck) = Ballot::kept(numbers, candidates)? else { unreachable!() };
        Ok(Ballot::Surplus((1..=candidates).filter(|n| struck.binary_search(n).is_err()).collect()))
    }

    /// A ballot with no surplus, one mark per person in list order.
    pub fn marks(marks: Vec<Mark>, candidates: u32) -> Result<Ballot, BallotProblem> {
        if marks.len() != candidates as usize {
            return Err(BallotProblem::WrongLength { marks: marks.len(), candidates });
        }
        Ok(Ballot::Approval(marks))
    }

    pub fn kind(&self) -> BallotKind {
        match self {
            Ballot::Surplus(_) => BallotKind::Surplus,
            Ballot::Approval(_) => BallotKind::Approval,
        }
    }

    /// The numbers of those this ballot gives a vote to, ascending.
    pub fn votes(&self) -> Vec<u32> {
        match self {
            Ballot::Surplus(kept) => kept.clone(),
            Ballot::Approval(marks) => (1..).zip(marks).filter(|(_, m)| **m == Mark::Agree).map(|(n, _)| n).collect(),
        }
    }

    /// Điều 15: a ballot voting for more people than the seats is invalid, and so is a ballot
    /// with a surplus that keeps nobody of several. A ballot with no surplus stays valid when
    /// a person's boxes are both marked or neither is: that person gets no vote.
    pub fn validity(&self, seats: u32, candidates: u32) -> Validity {
        let votes = self.votes().len();
        match self {
            _ if votes > seats as usize => Validity::TooMany,
            Ballot::Surplus(_) if votes == 0 && candidates > 1 => Validity::Nobody,
            _ => Validity::Valid,
        }
    }

    /// The canonical text of the ballot, what the record holds and sorts: `s:1,4,5` (names
    /// kept) or `a:ADBN` (one letter a person).
    pub fn canonical(&self) -> String {
        match self {
            Ballot::Surplus(kept) => {
                format!("s:{}", kept.iter().map(u32::to_string).collect::<Vec<_>>().join(","))
            }
            Ballot::Approval(marks) => format!("a:{}", marks.iter().map(|m| m.letter()).collect::<String>()),
        }
    }

    /// Reads [`Ballot::canonical`] back, checked against a list of `candidates`.
    pub fn parse(text: &str, candidates: u32) -> Result<Ballot, BallotProblem> {
        match text.split_once(':') {
            Some(("s", "")) => Ok(Ballot::Surplus(Vec::new())),
            Some(("s", list)) => {
                let numbers: Vec<u32> = list
                    .split(',')
                    .map(|n| n.parse().map_err(|_| BallotProblem::Unreadable))
                    .collect::<Result<_, _>>()?;
                let ballot = Ballot::kept(&numbers, candidates)?;
                // One text per ballot: the numbers must already be in order.
                if ballot.canonical() != text {
                    return Err(BallotProblem::Unreadable);
                }
                Ok(ballot)
            }
            Some(("a", letters)) => {
                let marks: Option<Vec<Mark>> = letters.chars().map(Mark::from_letter).collect();
                Ballot::marks(marks.ok_or(BallotProblem::Unreadable)?, candidates)
            }
            _ => Err(BallotProblem::Unreadable),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn striking_names_keeps_the_others() {
        assert_eq!(Ballot::struck(&[2, 5], 5).unwrap(), Ballot::Surplus(vec![1, 3, 4]));
        assert_eq!(Ballot::struck(&[], 3).unwrap().votes(), vec![1, 2, 3]);
        assert_eq!(Ballot::struck(&[6], 5), Err(BallotProblem::NotOnTheList(6)));
        assert_eq!(Ballot::struck(&[0], 5), Err(BallotProblem::NotOnTheList(0)));
        assert_eq!(Ballot::struck(&[3, 3], 5), Err(BallotProblem::Repeated(3)));
    }

    #[test]
    fn a_surplus_ballot_keeping_more_than_the_seats_or_nobody_is_invalid() {
        let seats = 3;
        assert_eq!(Ballot::struck(&[1], 5).unwrap().validity(seats, 5), Validity::TooMany);
        assert_eq!(Ballot::struck(&[1, 2], 5).unwrap().validity(seats, 5), Validity::Valid);
        assert_eq!(Ballot::struck(&[1, 2, 3, 4], 5).unwrap().validity(seats, 5), Validity::Valid);
        assert_eq!(Ballot::struck(&[1, 2, 3, 4, 5], 5).unwrap().validity(seats, 5), Validity::Nobody);
    }

    #[test]
    fn both_or_neither_box_keeps_the_ballot_valid_with_no_vote_for_that_person() {
        let ballot = Ballot::marks(vec![Mark::Agree, Mark::Both, Mark::None, Mark::Disagree], 4).unwrap();
        assert_eq!(ballot.validity(4, 4), Validity::Valid);
        assert_eq!(ballot.votes(), vec![1]);
        let single = Ballot::marks(vec![Mark::Both], 1).unwrap();
        assert_eq!((single.validity(1, 1), single.votes()), (Validity::Valid, vec![]));
        let nobody = Ballot::marks(vec![Mark::Disagree; 3], 3).unwrap();
        assert_eq!(nobody.validity(3, 3), Validity::Valid, "disagreeing with everyone is a vote");
        assert!(Ballot::marks(vec![Mark::Agree], 2).is_err());
    }

    #[test]
    fn the_canonical_text_reads_back_and_is_unique() {
        for ballot in [
            Ballot::Surplus(vec![]),
            Ballot::Surplus(vec![1, 3, 12]),
            Ballot::Approval(vec![Mark::Agree, Mark::Disagree, Mark::Both, Mark::None]),
        ] {
            let n = if ballot.kind() == BallotKind::Surplus { 12 } else { 4 };
            assert_eq!(Ballot::parse(&ballot.canonical(), n), Ok(ballot));
        }
        assert!(Ballot::parse("s:3,1", 5).is_err(), "out of order");
        assert!(Ballot::parse("s:1,,2", 5).is_err());
        assert!(Ballot::parse("a:AX", 2).is_err());
        assert!(Ballot::parse("x:1", 2).is_err());
    }

    fn any_ballot(candidates: u32) -> impl Strategy<Value = Ballot> {
        prop_oneof![
            prop::sample::subsequence((1..=candidates).collect::<Vec<_>>(), 0..=candidates as usize)
                .prop_map(Ballot::Surplus),
            prop::collection::vec(prop::sample::select(Mark::ALL.to_vec()), candidates as usize)
                .prop_map(Ballot::Approval),
        ]
    }

    proptest! {
        #[test]
        fn validity_follows_the_votes((candidates, seats, ballot) in (1u32..40).prop_flat_map(|c| (Just(c), 1..=c, any_ballot(c)))) {
            let votes = ballot.votes().len() as u32;
            let validity = ballot.validity(seats, candidates);
            prop_assert_eq!(validity == Validity::TooMany, votes > seats);
            if validity.is_valid() && ballot.kind() == BallotKind::Surplus && candidates > 1 {
                prop_assert!(votes >= 1);
            }
            prop_assert_eq!(Ballot::parse(&ballot.canonical(), candidates), Ok(ballot));
        }
    }
}
