//! The committee above's approval of a result (chuẩn y, Điều 2 and Điều 33 of QĐ 190): it
//! approves the people elected, may refuse to approve one who does not meet the standards
//! ("không chuẩn y"), or annuls the result when the principles or the procedure were breached,
//! ordering a new election. Once decided, the decision stands: a further decision is a new
//! election. The diagram is `docs/state-machines/election-approval.md`; a test reads it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// Where the approval of a result stands. The API's `approval` is [`Approval::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    /// The result waits for the committee above.
    Awaiting,
    /// Every person elected is approved.
    Approved,
    /// Approved except the people the committee above refused.
    PartlyApproved,
    /// The result is annulled; the organisation elects again.
    Annulled,
}

/// What the committee above decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Approve,
    /// Approve, refusing some of the people elected.
    ApproveExcept,
    Annul,
}

impl Approval {
    pub const ALL: [Approval; 4] =
        [Approval::Awaiting, Approval::Approved, Approval::PartlyApproved, Approval::Annulled];

    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Awaiting => "awaiting",
            Approval::Approved => "approved",
            Approval::PartlyApproved => "partly_approved",
            Approval::Annulled => "annulled",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        Approval::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Approval::Awaiting => "Chờ cấp trên chuẩn y",
            Approval::Approved => "Đã chuẩn y",
            Approval::PartlyApproved => "Đã chuẩn y, có người không được chuẩn y",
            Approval::Annulled => "Kết quả bị hủy, phải bầu lại",
        }
    }

    /// Whether the people approved hold their posts.
    pub fn fills_posts(self) -> bool {
        matches!(self, Approval::Approved | Approval::PartlyApproved)
    }

    /// The approval after `decision`, or why it is refused, in words for the user.
    pub fn after(self, decision: Decision) -> Result<Approval, &'static str> {
        match (self, decision) {
            (Approval::Awaiting, Decision::Approve) => Ok(Approval::Approved),
            (Approval::Awaiting, Decision::ApproveExcept) => Ok(Approval::PartlyApproved),
            (Approval::Awaiting, Decision::Annul) => Ok(Approval::Annulled),
            (_, _) => Err("Cấp trên đã quyết định về kết quả này; quyết định khác là một cuộc bầu mới"),
        }
    }
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Approve, Decision::ApproveExcept, Decision::Annul];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::ApproveExcept => "approve_except",
            Decision::Annul => "annul",
        }
    }

    /// The decision that refuses these of the people elected: refusing nobody is an approval,
    /// refusing somebody who was not elected or everybody is a mistake (annul instead).
    pub fn refusing(elected: &BTreeSet<u32>, refused: &BTreeSet<u32>) -> Result<Decision, &'static str> {
        if refused.is_empty() {
            return Ok(Decision::Approve);
        }
        if !refused.is_subset(elected) {
            return Err("Chỉ không chuẩn y được người đã trúng cử");
        }
        if refused.len() == elected.len() {
            return Err("Không chuẩn y tất cả người trúng cử: hãy hủy kết quả bầu cử");
        }
        Ok(Decision::ApproveExcept)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::{Approval, Decision};

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/election-approval.md"));
        let mut allowed = BTreeSet::new();
        for state in Approval::ALL {
            for decision in Decision::ALL {
                if let Ok(next) = state.after(decision) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), decision.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/election-approval.md and Approval::after disagree");
    }

    #[test]
    fn every_word_reads_back() {
        for a in Approval::ALL {
            assert_eq!(Approval::parse(a.as_str()), Some(a));
        }
    }

    proptest! {
        /// Any sequence of decisions: only the first one counts, and whatever refuses people
        /// refuses only people elected and never all of them.
        #[test]
        fn only_the_first_decision_counts(
            decisions in prop::collection::vec(prop::sample::select(Decision::ALL.to_vec()), 1..10),
            elected in prop::collection::btree_set(1u32..40, 0..12),
            refused in prop::collection::btree_set(1u32..40, 0..12),
        ) {
            let mut state = Approval::Awaiting;
            for (i, d) in decisions.iter().enumerate() {
                match state.after(*d) {
                    Ok(next) => { prop_assert_eq!(i, 0); state = next; }
                    Err(why) => { prop_assert!(i > 0); prop_assert!(!why.is_empty()); }
                }
            }
            prop_assert_ne!(state, Approval::Awaiting);
            match Decision::refusing(&elected, &refused) {
                Ok(Decision::Approve) => prop_assert!(refused.is_empty()),
                Ok(Decision::ApproveExcept) => {
                    prop_assert!(refused.is_subset(&elected));
                    prop_assert!(refused.len() < elected.len());
                }
                Ok(Decision::Annul) => prop_assert!(false, "refusing never annuls by itself"),
                Err(_) => prop_assert!(!refused.is_empty() && (!refused.is_subset(&elected) || refused.len() == elected.len())),
            }
        }
    }
}
