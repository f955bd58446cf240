//! The congress personnel plan (đề án nhân sự): the structure and number of the new executive
//! committee, standing board and key posts, and the names proposed for each, which the committee
//! above approves before the congress (Chỉ thị on congresses; QĐ 190 Điều 14 asks the convening
//! committee for the list). Its life is a small state machine drawn in
//! `docs/state-machines/personnel-plan.md`; after the vote, [`compare`] lists where the vote
//! departed from the approved plan (seed 004: "bầu không đúng với nội dung, tinh thần đề án
//! nhân sự được phê duyệt").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text::fold;

/// Where a personnel plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// The convening committee writes it; it can change.
    Draft,
    /// Sent to the committee above; frozen while it decides.
    Submitted,
    /// Approved by the committee above: what the vote is compared with.
    Approved,
}

/// What happens to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanEvent {
    /// The convening committee sends it up.
    Submit,
    /// The committee above approves it.
    Approve,
    /// The committee above sends it back to be revised.
    Return,
    /// The convening committee revises an approved plan (it must be approved again).
    Amend,
}

impl PlanState {
    pub const ALL: [PlanState; 3] = [PlanState::Draft, PlanState::Submitted, PlanState::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Submitted => "submitted",
            PlanState::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<PlanState> {
        PlanState::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "Đang xây dựng",
            PlanState::Submitted => "Đã trình cấp trên",
            PlanState::Approved => "Cấp trên đã phê duyệt",
        }
    }

    /// Whether the structure and the names may change.
    pub fn is_editable(self) -> bool {
        self == PlanState::Draft
    }

    /// The state after `event`, or why not, in words for the user.
    pub fn after(self, event: PlanEvent) -> Result<PlanState, &'static str> {
        match (self, event) {
            (PlanState::Draft, PlanEvent::Submit) => Ok(PlanState::Submitted),
            (PlanState::Submitted, PlanEvent::Approve) => Ok(PlanState::Approved),
            (PlanState::Submitted, PlanEvent::Return) => Ok(PlanState::Draft),
            (PlanState::Approved, PlanEvent::Amend) => Ok(PlanState::Draft),
            (PlanState::Draft, _) => Err("Đề án đang xây dựng: hãy trình cấp trên trước"),
            (PlanState::Submitted, _) => Err("Đề án đang chờ cấp trên quyết định"),
            (PlanState::Approved, _) => Err("Đề án đã được phê duyệt: muốn sửa, hãy điều chỉnh đề án"),
        }
    }
}

impl PlanEvent {
    pub const ALL: [PlanEvent; 4] = [PlanEvent::Submit, PlanEvent::Approve, PlanEvent::Return, PlanEvent::Amend];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanEvent::Submit => "submit",
            PlanEvent::Approve => "approve",
            PlanEvent::Return => "return",
            PlanEvent::Amend => "amend",
        }
    }

    pub fn parse(s: &str) -> Option<PlanEvent> {
        PlanEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Whether the committee above decides it (the others are the convening committee's).
    pub fn is_decided_above(self) -> bool {
        matches!(self, PlanEvent::Approve | PlanEvent::Return)
    }
}

/// A person on the plan or elected: the registry's member when known, else the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub member_id: Option<i64>,
    pub full_name: String,
}

impl Person {
    fn same(&self, other: &Person) -> bool {
        match (self.member_id, other.member_id) {
            (Some(a), Some(b)) => a == b,
            _ => fold(&self.full_name) == fold(&other.full_name),
        }
    }
}

/// Where a vote departed from the approved plan for one post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Departures {
    pub planned_seats: u32,
    pub elected_seats: u32,
    /// Proposed by the plan, not elected.
    pub not_elected: Vec<String>,
    /// Elected, not proposed by the plan (a nomination from the floor, a self-nomination).
    pub elected_outside: Vec<String>,
}

impl Departures {
    pub fn departed(&self) -> bool {
        self.planned_seats != self.elected_seats || !self.not_elected.is_empty() || !self.elected_outside.is_empty()
    }
}

/// Compares the people elected to a post with those the approved plan proposed for it.
pub fn compare(planned_seats: u32, planned: &[Person], elected: &[Person]) -> Departures {
    Departures {
        planned_seats,
        elected_seats: u32::try_from(elected.len()).unwrap_or(u32::MAX),
        not_elected: planned
            .iter()
            .filter(|p| !elected.iter().any(|e| e.same(p)))
            .map(|p| p.full_name.clone())
            .collect(),
        elected_outside: elected
            .iter()
            .filter(|e| !planned.iter().any(|p| p.same(e)))
            .map(|e| e.full_name.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/personnel-plan.md"));
        let mut allowed = BTreeSet::new();
        for state in PlanState::ALL {
            for event in PlanEvent::ALL {
                if let Ok(next) = state.after(event) {
                    allowed.insert((state.as_str().to_owned(), next.as_str().to_owned(), event.as_str().to_owned()));
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/personnel-plan.md and PlanState::after disagree");
        for e in PlanEvent::ALL {
            assert_eq!(PlanEvent::parse(e.as_str()), Some(e));
        }
    }

    fn person(id: Option<i64>, name: &str) -> Person {
        Person { member_id: id, full_name: name.into() }
    }

    #[test]
    fn the_case_of_seed_004() {
        // The plan proposed three; the vote elected two of them and one from the floor.
        let planned =
            [person(Some(1), "Nguyễn Văn An"), person(Some(2), "Trần Thị Bình"), person(None, "Lê Văn Cường")];
        let elected =
            [person(Some(1), "Nguyễn Văn An"), person(None, "le van cuong"), person(Some(9), "Phạm Văn Dũng")];
        let d = compare(3, &planned, &elected);
        assert!(d.departed());
        assert_eq!(d.not_elected, ["Trần Thị Bình"]);
        assert_eq!(d.elected_outside, ["Phạm Văn Dũng"]);
        let same = compare(3, &planned, &planned);
        assert!(!same.departed(), "{same:?}");
    }

    proptest! {
        /// Any sequence of events keeps the plan in a state; only a draft is edited, only an
        /// approved plan is compared; every refusal says why.
        #[test]
        fn events_in_any_order(events in prop::collection::vec(prop::sample::select(PlanEvent::ALL.to_vec()), 0..30)) {
            let mut state = PlanState::Draft;
            for e in events {
                match state.after(e) {
                    Ok(next) => {
                        if next == PlanState::Approved { prop_assert_eq!(state, PlanState::Submitted); }
                        state = next;
                    }
                    Err(why) => prop_assert!(!why.is_empty()),
                }
            }
            prop_assert_eq!(state.is_editable(), state == PlanState::Draft);
        }

        /// Everyone planned is elected or listed as not elected; everyone elected is planned
        /// or listed as elected outside the plan.
        #[test]
        fn departures_account_for_everyone(planned in prop::collection::btree_set(0i64..30, 0..10), elected in prop::collection::btree_set(0i64..30, 0..10)) {
            let p: Vec<Person> = planned.iter().map(|i| person(Some(*i), &format!("P{i}"))).collect();
            let e: Vec<Person> = elected.iter().map(|i| person(Some(*i), &format!("P{i}"))).collect();
            let d = compare(p.len() as u32, &p, &e);
            prop_assert_eq!(d.not_elected.len(), planned.difference(&elected).count());
            prop_assert_eq!(d.elected_outside.len(), elected.difference(&planned).count());
        }
    }
}
