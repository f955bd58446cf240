//! The life of a cell meeting as a state machine: scheduled, held once its attendance is
//! recorded, approved when the meeting approves its minutes (which locks them and the roll
//! call), or cancelled before it is held. Every change a secretary or a member makes is an
//! [`Event`]; [`State::after`] says where it leads or why the meeting refuses it, and the store
//! writes that and nothing else. The diagram is `docs/state-machines/cell-meeting.md`; a test
//! reads it and compares it with this table.

use serde::{Deserialize, Serialize};

/// Where a meeting stands: scheduled, held (attendance recorded), its minutes approved and
/// locked, or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Scheduled,
    Held,
    Approved,
    Cancelled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Scheduled => "scheduled",
            State::Held => "held",
            State::Approved => "approved",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Scheduled => "Đã lên lịch",
            State::Held => "Đã họp",
            State::Approved => "Biên bản đã thông qua",
            State::Cancelled => "Đã hủy",
        }
    }
}

/// What is done to a cell meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The secretary moves it, or changes its topic or place.
    Reschedule,
    /// The secretary cancels it, with a reason members read.
    Cancel,
    /// A member answers whether they will attend.
    Reply,
    /// A member or the secretary writes in its discussion.
    Comment,
    /// The secretary records who attended: the meeting has been held.
    RecordAttendance,
    /// The secretary writes the minutes; after approval, a new version that must be approved
    /// again.
    WriteMinutes,
    /// The meeting approves its minutes, read back at its end: they are locked.
    ApproveMinutes,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::Reschedule,
        Event::Cancel,
        Event::Reply,
        Event::Comment,
        Event::RecordAttendance,
        Event::WriteMinutes,
        Event::ApproveMinutes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Reschedule => "reschedule",
            Event::Cancel => "cancel",
            Event::Reply => "reply",
            Event::Comment => "comment",
            Event::RecordAttendance => "record_attendance",
            Event::WriteMinutes => "write_minutes",
            Event::ApproveMinutes => "approve_minutes",
        }
    }
}

impl State {
    pub const ALL: [State; 4] = [State::Scheduled, State::Held, State::Approved, State::Cancelled];

    /// The state after `event`, or why the meeting refuses it, in words for the user.
    pub fn after(self, event: Event) -> Result<State, &'static str> {
        use Event::*;
        use State::*;
        match (self, event) {
            (Scheduled, Reschedule) => Ok(Scheduled),
            (_, Reschedule) => Err("Chỉ sửa được cuộc họp chưa diễn ra"),
            (Scheduled, Cancel) => Ok(Cancelled),
            (_, Cancel) => Err("Chỉ hủy được cuộc họp chưa diễn ra"),
            (Scheduled, Reply) => Ok(Scheduled),
            (_, Reply) => Err("Cuộc họp đã diễn ra hoặc đã hủy"),
            (Scheduled | Held, Comment) => Ok(self),
            (_, Comment) => Err("Cuộc họp đã kết thúc, không nhận thêm ý kiến"),
            (Cancelled, RecordAttendance | WriteMinutes | ApproveMinutes) => Err("Cuộc họp đã hủy"),
            (Scheduled | Held, RecordAttendance) => Ok(Held),
            // The approved minutes record the roll call (present/total, the absent by name): it
            // is locked with them, and corrected together with an amended version of the minutes.
            (Approved, RecordAttendance) => {
                Err("Biên bản đã thông qua và khóa điểm danh; muốn sửa, hãy lưu bản sửa đổi biên bản trước")
            }
            // Minutes may be drafted before the meeting; after approval a change is a new
            // version, which the meeting must approve again.
            (Scheduled | Held, WriteMinutes) => Ok(self),
            (Approved, WriteMinutes) => Ok(Held),
            (Held, ApproveMinutes) => Ok(Approved),
            (Scheduled, ApproveMinutes) => Err("Hãy ghi điểm danh trước khi thông qua biên bản"),
            (Approved, ApproveMinutes) => Err("Biên bản đã được thông qua"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::{Event, State};

    fn drawn() -> BTreeSet<(String, String, String)> {
        crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/cell-meeting.md"))
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
        assert_eq!(drawn(), allowed, "docs/state-machines/cell-meeting.md and State::after disagree");
    }

    #[test]
    fn only_a_held_meeting_approves_its_minutes_and_a_cancelled_one_takes_nothing() {
        for state in State::ALL {
            assert_eq!(state.after(Event::ApproveMinutes).is_ok(), state == State::Held);
            for event in Event::ALL {
                if state == State::Cancelled {
                    assert!(state.after(event).is_err(), "{event:?} on a cancelled meeting");
                }
            }
        }
    }

    fn event() -> impl Strategy<Value = Event> {
        prop::sample::select(Event::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of events from a scheduled meeting: a refused event changes nothing
        /// (the caller keeps the state), the meeting is approved only by approving minutes of
        /// a held meeting, it is cancelled only before it is held and then for good, and once
        /// held it is never scheduled again.
        #[test]
        fn any_sequence_of_events_keeps_the_rules(events in prop::collection::vec(event(), 0..40)) {
            let mut state = State::Scheduled;
            let mut held = false;
            for event in events {
                match state.after(event) {
                    Ok(next) => {
                        if next == State::Approved && state != State::Approved {
                            prop_assert_eq!((state, event), (State::Held, Event::ApproveMinutes));
                        }
                        if next == State::Cancelled {
                            prop_assert!(state == State::Scheduled && !held);
                        }
                        if held {
                            prop_assert!(next != State::Scheduled);
                        }
                        held |= next == State::Held;
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
                if state == State::Cancelled {
                    for e in Event::ALL {
                        prop_assert!(state.after(e).is_err());
                    }
                }
            }
        }
    }
}
