//! The life of a count as a state machine. Two tellers enter the same pile of ballots; while
//! their entries differ nothing is final, the head of the counting board resolves the
//! differences, a tie for the last seats waits for the presidium's decision, and a final
//! result is sealed with the paper ballots. [`State::after`] says where an [`Event`] leads or
//! why the count refuses it; the store writes that and nothing else. The diagram is
//! `docs/state-machines/election-count.md`; a test reads it and compares it with this table.

use serde::{Deserialize, Serialize};

/// Where a count stands. The API's `status` is [`State::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The list may still change; fewer than two entries are saved.
    AwaitingEntries,
    /// Two entries are saved and differ on some ballots.
    EntriesDiffer,
    /// The entries agree (or the head resolved them) and people are tied for the last seats.
    Tie,
    /// The result stands.
    Final,
    /// The ballots and the record are sealed (Điều 35): nothing changes any more.
    Sealed,
}

/// What is done to a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The list changes: a nomination from the floor, a name withdrawn, the board.
    EditList,
    /// A teller saves an entry; it is the first, or the other teller's is missing (or being
    /// typed again).
    EnterAlone,
    /// A teller saves an entry and it differs from the other teller's.
    EnterDiffering,
    /// A teller saves an entry that agrees with the other's; the result is clear.
    EnterAgreeing,
    /// A teller saves an entry that agrees with the other's; people are tied.
    EnterAgreeingTied,
    /// The head keeps one entry for each differing ballot; the result is clear.
    Resolve,
    /// The head resolves the differences; people are tied.
    ResolveTied,
    /// The presidium's decision on the tie is recorded.
    DecideTie,
    /// The ballots and the record are sealed.
    Seal,
}

impl State {
    pub const ALL: [State; 5] = [State::AwaitingEntries, State::EntriesDiffer, State::Tie, State::Final, State::Sealed];

    pub fn as_str(self) -> &'static str {
        match self {
            State::AwaitingEntries => "awaiting_entries",
            State::EntriesDiffer => "entries_differ",
            State::Tie => "tie",
            State::Final => "final",
            State::Sealed => "sealed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::AwaitingEntries => "Đang chờ nhập phiếu",
            State::EntriesDiffer => "Hai lần nhập khác nhau",
            State::Tie => "Có người bằng phiếu, chờ đoàn chủ tịch quyết định",
            State::Final => "Đã có kết quả",
            State::Sealed => "Đã niêm phong",
        }
    }

    /// Whether a result has been reached (the counts agree).
    pub fn is_counted(self) -> bool {
        matches!(self, State::Tie | State::Final | State::Sealed)
    }

    /// The state after `event`, or why the count refuses it, in words for the user.
    pub fn after(self, event: Event) -> Result<State, &'static str> {
        use Event::*;
        use State::*;
        match (self, event) {
            (AwaitingEntries, EditList) => Ok(AwaitingEntries),
            (_, EditList) => Err("Đã có phiếu được nhập: danh sách bầu cử và ban kiểm phiếu không sửa được nữa"),
            (AwaitingEntries, EnterAlone) => Ok(AwaitingEntries),
            (AwaitingEntries | EntriesDiffer, EnterDiffering) => Ok(EntriesDiffer),
            (AwaitingEntries | EntriesDiffer, EnterAgreeing) => Ok(Final),
            (AwaitingEntries | EntriesDiffer, EnterAgreeingTied) => Ok(Tie),
            // Both tellers started again after their entries differed: the first to finish
            // waits for the other, as at the start.
            (EntriesDiffer, EnterAlone) => Ok(AwaitingEntries),
            (_, EnterAlone | EnterDiffering | EnterAgreeing | EnterAgreeingTied) => {
                Err("Kết quả kiểm phiếu đã thống nhất, không nhập thêm được")
            }
            (EntriesDiffer, Resolve) => Ok(Final),
            (EntriesDiffer, ResolveTied) => Ok(Tie),
            (_, Resolve | ResolveTied) => Err("Không có phiếu nào khác nhau giữa hai lần nhập để xử lý"),
            (Tie, DecideTie) => Ok(Final),
            (_, DecideTie) => Err("Kết quả không có trường hợp bằng phiếu chờ quyết định"),
            (Final, Seal) => Ok(Sealed),
            (Sealed, Seal) => Err("Phiếu bầu đã được niêm phong"),
            (_, Seal) => Err("Chỉ niêm phong khi đã có kết quả cuối cùng"),
        }
    }
}

impl Event {
    pub const ALL: [Event; 9] = [
        Event::EditList,
        Event::EnterAlone,
        Event::EnterDiffering,
        Event::EnterAgreeing,
        Event::EnterAgreeingTied,
        Event::Resolve,
        Event::ResolveTied,
        Event::DecideTie,
        Event::Seal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::EditList => "edit_list",
            Event::EnterAlone => "enter_alone",
            Event::EnterDiffering => "enter_differing",
            Event::EnterAgreeing => "enter_agreeing",
            Event::EnterAgreeingTied => "enter_agreeing_tied",
            Event::Resolve => "resolve",
            Event::ResolveTied => "resolve_tied",
            Event::DecideTie => "decide_tie",
            Event::Seal => "seal",
        }
    }

    /// The event of saving an entry, from what the comparison with the other entry found.
    pub fn of_entry(other_entry: bool, agree: bool, tied: bool) -> Event {
        match (other_entry, agree, tied) {
            (false, _, _) => Event::EnterAlone,
            (true, false, _) => Event::EnterDiffering,
            (true, true, false) => Event::EnterAgreeing,
            (true, true, true) => Event::EnterAgreeingTied,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::{Event, State};

    fn drawn() -> BTreeSet<(String, String, String)> {
        crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/election-count.md"))
    }

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let mut allowed = BTreeSet::new();
        for state in State::ALL {
            for event in Event::ALL {
                if let Ok(next) = state.after(event) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), event.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn(), allowed, "docs/state-machines/election-count.md and State::after disagree");
    }

    fn event() -> impl Strategy<Value = Event> {
        prop::sample::select(Event::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of events: the list changes only before the entries, a result is
        /// reached only by agreeing entries or the head's resolution, a tie only leaves by a
        /// decision, and a sealed count takes nothing at all.
        #[test]
        fn any_sequence_of_events_keeps_the_rules(events in prop::collection::vec(event(), 0..60)) {
            let mut state = State::AwaitingEntries;
            for event in events {
                match state.after(event) {
                    Ok(next) => {
                        if event == Event::EditList {
                            prop_assert_eq!((state, next), (State::AwaitingEntries, State::AwaitingEntries));
                        }
                        if next.is_counted() && !state.is_counted() {
                            prop_assert!(matches!(
                                event,
                                Event::EnterAgreeing | Event::EnterAgreeingTied | Event::Resolve | Event::ResolveTied
                            ));
                        }
                        if state.is_counted() {
                            prop_assert!(next.is_counted(), "a result is never undone");
                        }
                        if state == State::Tie {
                            prop_assert_eq!((event, next), (Event::DecideTie, State::Final));
                        }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
                if state == State::Sealed {
                    for e in Event::ALL {
                        prop_assert!(state.after(e).is_err());
                    }
                }
            }
        }
    }
}
