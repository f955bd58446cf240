//! The life of a congress as a state machine: prepared by its organisation, reviewed and
//! approved by the higher committee (duyệt đại hội: seed 003, the provincial standing board
//! approves a bloc's congress before it opens), held, closed. [`State::after`] says where an
//! [`Event`] leads or why it is refused; the diagram is `docs/state-machines/congress.md`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Đang chuẩn bị: plan, drafts, comments, personnel.
    Preparing,
    /// The higher committee approved the preparation (đã duyệt).
    Approved,
    /// Đang họp.
    InSession,
    /// Đã bế mạc: from this day the complaint window of the elections runs (QĐ 190 Điều 33).
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The higher committee approves the preparation.
    Approve,
    /// The higher committee sends the preparation back to be reworked.
    SendBack,
    /// The congress opens (its preparatory session).
    Open,
    /// The congress closes.
    Close,
}

impl State {
    pub const ALL: [State; 4] = [State::Preparing, State::Approved, State::InSession, State::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Preparing => "preparing",
            State::Approved => "approved",
            State::InSession => "in_session",
            State::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Preparing => "Đang chuẩn bị",
            State::Approved => "Cấp trên đã duyệt",
            State::InSession => "Đang họp",
            State::Closed => "Đã bế mạc",
        }
    }

    /// Whether the congress has been held (opened), for the progress of a subtree.
    pub fn is_held(self) -> bool {
        matches!(self, State::InSession | State::Closed)
    }

    pub fn after(self, event: Event) -> Result<State, &'static str> {
        use Event::*;
        use State::*;
        match (self, event) {
            (Preparing, Approve) => Ok(Approved),
            (_, Approve) => Err("Chỉ duyệt đại hội đang chuẩn bị"),
            (Approved, SendBack) => Ok(Preparing),
            (_, SendBack) => Err("Chỉ trả lại đại hội đã được duyệt mà chưa khai mạc"),
            (Approved, Open) => Ok(InSession),
            (Preparing, Open) => Err("Đại hội chưa được cấp trên duyệt, chưa khai mạc được"),
            (_, Open) => Err("Đại hội đã khai mạc"),
            (InSession, Close) => Ok(Closed),
            (Closed, Close) => Err("Đại hội đã bế mạc"),
            (_, Close) => Err("Đại hội chưa khai mạc"),
        }
    }
}

impl Event {
    pub const ALL: [Event; 4] = [Event::Approve, Event::SendBack, Event::Open, Event::Close];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Approve => "approve",
            Event::SendBack => "send_back",
            Event::Open => "open",
            Event::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::{Event, State};

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/congress.md"));
        let mut allowed = BTreeSet::new();
        for state in State::ALL {
            for event in Event::ALL {
                if let Ok(next) = state.after(event) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), event.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/congress.md and State::after disagree");
    }

    proptest! {
        /// Any sequence of events: a congress opens only once approved, is never held again
        /// after closing, and a held congress never goes back to preparation.
        #[test]
        fn any_sequence_of_events_keeps_the_rules(events in prop::collection::vec(prop::sample::select(Event::ALL.to_vec()), 0..40)) {
            let mut state = State::Preparing;
            for event in events {
                match state.after(event) {
                    Ok(next) => {
                        if next == State::InSession {
                            prop_assert_eq!(state, State::Approved);
                        }
                        if state.is_held() {
                            prop_assert!(next.is_held());
                        }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
            }
            if state == State::Closed {
                for e in Event::ALL {
                    prop_assert!(state.after(e).is_err());
                }
            }
        }
    }
}
