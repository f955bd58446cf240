//! The life of a petition, drawn in `docs/state-machines/petition.md`: received and registered,
//! then accepted for handling (thụ lý), paused while clarification is awaited, extended, and
//! resolved; or kept without handling with a coded reason, forwarded to the competent body (or
//! to the State), held for the new committee when it arrives in a congress's window, or
//! withdrawn by its sender.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Registered; the receiving unit decides whether to accept it, forward it or keep it.
    Received,
    /// A denunciation about a congress received in its window: not handled before the congress,
    /// passed to the new committee (HD 07-HD/UBKTTW).
    Held,
    /// Accepted for handling (thụ lý): the resolution clock runs.
    Accepted,
    /// Waiting for the sender's clarification: the clock stops.
    Paused,
    /// Concluded, the sender told.
    Resolved,
    /// Kept without handling, with its reason; still counted.
    NotHandled,
    /// Sent to the competent organisation or out to the State, with the reference.
    Forwarded,
    /// The sender withdrew it.
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    Accept,
    Hold,
    Release,
    Pause,
    Resume,
    Extend,
    /// A verification step recorded (a hearing, a document obtained, a place visited): the case
    /// stays as it is.
    Verify,
    Resolve,
    Keep,
    Forward,
    Withdraw,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Received,
        State::Held,
        State::Accepted,
        State::Paused,
        State::Resolved,
        State::NotHandled,
        State::Forwarded,
        State::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Held => "held",
            State::Accepted => "accepted",
            State::Paused => "paused",
            State::Resolved => "resolved",
            State::NotHandled => "not_handled",
            State::Forwarded => "forwarded",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Received => "Mới tiếp nhận",
            State::Held => "Chuyển cấp ủy khóa mới (trước đại hội)",
            State::Accepted => "Đang giải quyết",
            State::Paused => "Tạm dừng, chờ bổ sung",
            State::Resolved => "Đã giải quyết",
            State::NotHandled => "Lưu, không xử lý",
            State::Forwarded => "Đã chuyển đơn",
            State::Withdrawn => "Người gửi rút đơn",
        }
    }

    /// The state a letter is registered in: kept when intake shows it is not handled, held when
    /// it is a denunciation in a congress's window, received otherwise.
    pub fn at_intake(not_handled: bool, held: bool) -> State {
        match (not_handled, held) {
            (true, _) => State::NotHandled,
            (false, true) => State::Held,
            (false, false) => State::Received,
        }
    }

    /// Whether nothing more happens to the case here.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Resolved | State::NotHandled | State::Forwarded | State::Withdrawn)
    }

    /// Whether a clock runs: the acceptance clock on a received letter, the resolution clock on
    /// an accepted one.
    pub fn clock_runs(self) -> bool {
        matches!(self, State::Received | State::Accepted)
    }

    /// The state after `event`, or why not, in words for the user.
    pub fn after(self, event: Event) -> Result<State, &'static str> {
        use Event as E;
        use State as S;
        match (self, event) {
            (S::Received, E::Accept) => Ok(S::Accepted),
            (S::Received, E::Hold) => Ok(S::Held),
            (S::Received, E::Keep) => Ok(S::NotHandled),
            (S::Received | S::Accepted, E::Forward) => Ok(S::Forwarded),
            (S::Received | S::Held | S::Accepted | S::Paused, E::Withdraw) => Ok(S::Withdrawn),
            (S::Held, E::Release) => Ok(S::Received),
            (S::Accepted, E::Pause) => Ok(S::Paused),
            (S::Paused, E::Resume) => Ok(S::Accepted),
            (S::Accepted, E::Extend | E::Verify) => Ok(S::Accepted),
            (S::Accepted, E::Resolve) => Ok(S::Resolved),
            (s, _) if s.is_closed() => Err("Đơn đã khép lại: không thay đổi được nữa"),
            (S::Received, _) => Err("Đơn mới tiếp nhận: hãy thụ lý, chuyển hoặc lưu đơn trước"),
            (S::Held, _) => Err("Đơn đang chờ chuyển cấp ủy khóa mới: chỉ tiếp tục được sau đại hội"),
            (S::Paused, _) => Err("Đơn đang tạm dừng chờ bổ sung: hãy tiếp tục giải quyết trước"),
            (S::Accepted, _) => Err("Đơn đã thụ lý và đang giải quyết"),
            _ => Err("Không thực hiện được bước này"),
        }
    }
}

impl Event {
    pub const ALL: [Event; 11] = [
        Event::Accept,
        Event::Hold,
        Event::Release,
        Event::Pause,
        Event::Resume,
        Event::Extend,
        Event::Verify,
        Event::Resolve,
        Event::Keep,
        Event::Forward,
        Event::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Accept => "accept",
            Event::Hold => "hold",
            Event::Release => "release",
            Event::Pause => "pause",
            Event::Resume => "resume",
            Event::Extend => "extend",
            Event::Verify => "verify",
            Event::Resolve => "resolve",
            Event::Keep => "keep",
            Event::Forward => "forward",
            Event::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/petition.md"));
        let mut allowed = BTreeSet::new();
        for state in State::ALL {
            for event in Event::ALL {
                if let Ok(next) = state.after(event) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), event.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/petition.md and State::after disagree");
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    proptest! {
        /// Any sequence of events: a closed case never changes again, a resolution follows an
        /// acceptance, every refusal says why, and the clock runs only where it should.
        #[test]
        fn events_in_any_order(events in prop::collection::vec(prop::sample::select(Event::ALL.to_vec()), 0..40)) {
            let mut state = State::Received;
            let mut accepted = false;
            for e in events {
                match state.after(e) {
                    Ok(next) => {
                        prop_assert!(!state.is_closed());
                        if next == State::Resolved { prop_assert!(accepted); }
                        if next == State::Accepted { accepted = true; }
                        if next == State::Paused { prop_assert_eq!(state, State::Accepted); }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
                prop_assert!(!(state.clock_runs() && state.is_closed()));
            }
        }
    }
}
