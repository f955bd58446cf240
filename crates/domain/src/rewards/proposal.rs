//! The life of an award proposal (tờ trình đề nghị khen thưởng), drawn in
//! `docs/state-machines/award-proposal.md`: a unit drafts it (the collectives and members with
//! their achievements), submits it to the level that awards, which returns it for correction,
//! decides it (the decision a numbered document of the registry, the awards landing on each
//! recipient approved) or turns it down; the unit may withdraw it until it is decided.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

words! {
    /// Where a proposal stands.
    State {
        /// Being written by the proposing unit.
        Draft = "draft" / "Đang soạn",
        /// Sent to the deciding level, waiting for its review.
        Submitted = "submitted" / "Đã trình",
        /// Sent back for correction, with the reason.
        Returned = "returned" / "Trả lại để hoàn chỉnh",
        /// Decided: the decision issued, the approved recipients awarded.
        Decided = "decided" / "Đã quyết định",
        /// Turned down by the deciding level, with the reason.
        Rejected = "rejected" / "Không khen thưởng",
        /// Withdrawn by the proposing unit.
        Withdrawn = "withdrawn" / "Đã rút",
    }
}

words! {
    /// What happens to a proposal.
    Event {
        Submit = "submit" / "Trình",
        Return = "return" / "Trả lại",
        Decide = "decide" / "Quyết định khen thưởng",
        Reject = "reject" / "Không khen thưởng",
        Withdraw = "withdraw" / "Rút",
    }
}

impl State {
    /// Whether the proposal is over.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Decided | State::Rejected | State::Withdrawn)
    }

    /// Whether the proposing unit may still change its recipients.
    pub fn is_editable(self) -> bool {
        matches!(self, State::Draft | State::Returned)
    }

    /// The state after `event`, or why it cannot happen now.
    pub fn after(self, event: Event) -> Result<State, &'static str> {
        use Event as E;
        use State as S;
        match (self, event) {
            (S::Draft | S::Returned, E::Submit) => Ok(S::Submitted),
            (S::Submitted, E::Return) => Ok(S::Returned),
            (S::Submitted, E::Decide) => Ok(S::Decided),
            (S::Submitted, E::Reject) => Ok(S::Rejected),
            (S::Draft | S::Returned | S::Submitted, E::Withdraw) => Ok(S::Withdrawn),
            (S::Submitted, E::Submit) => Err("Tờ trình đã được trình"),
            (S::Draft | S::Returned, _) => Err("Tờ trình chưa được trình lên cấp quyết định"),
            (S::Decided | S::Rejected | S::Withdrawn, _) => Err("Tờ trình đã kết thúc"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/award-proposal.md"));
        let mut allowed = BTreeSet::new();
        for &state in State::ALL {
            for &event in Event::ALL {
                if let Ok(next) = state.after(event) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), event.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/award-proposal.md and State::after disagree");
    }

    proptest! {
        /// Any sequence of events: a closed proposal never changes again, a decision follows a
        /// submission, only an editable proposal is submitted, and every refusal says why.
        #[test]
        fn events_in_any_order(events in prop::collection::vec(prop::sample::select(Event::ALL.to_vec()), 0..40)) {
            let mut state = State::Draft;
            for e in events {
                match state.after(e) {
                    Ok(next) => {
                        prop_assert!(!state.is_closed());
                        if matches!(next, State::Decided | State::Rejected | State::Returned) {
                            prop_assert_eq!(state, State::Submitted);
                        }
                        if next == State::Submitted { prop_assert!(state.is_editable()); }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
            }
        }
    }
}
