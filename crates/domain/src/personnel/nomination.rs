//! The five-step procedure (quy trình 5 bước) for appointing a cadre or nominating one for
//! election (QĐ 80-QĐ/TW, Chương 3; its own appendix was not read, the steps are those the press
//! and NĐ 138/2020 describe, `domain-rules.md` §6): the policy asked for and decided first, then
//! the leadership's three rounds around an expanded conference and the key cadres' conference,
//! each conference a secret ballot whose quorum is two thirds of those summoned and whose
//! choice is the most votes among those above half of the summoned. A candidate from outside
//! the unit takes a shorter path. The case is a state machine drawn in
//! `docs/state-machines/nomination.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::HolidayCalendar;
use crate::members::working_days::add_working_days;

/// Where the candidates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Nguồn nhân sự tại chỗ: the five steps.
    Inside,
    /// Nguồn từ nơi khác: the leadership agrees the policy, the unit the person comes from is
    /// consulted, the leadership votes (not read verbatim).
    Outside,
}

/// The steps of a case, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Xin chủ trương: the competent level decides within its days.
    Policy,
    /// Bước 1: the collective leadership proposes the structure, standards and procedure.
    LeadershipProposal,
    /// Bước 2: the expanded conference nominates by secret ballot.
    ExpandedConference,
    /// Bước 3: the leadership nominates by secret ballot, on step 2's result.
    LeadershipNomination,
    /// Bước 4: the key cadres' conference gives its opinion by secret ballot.
    KeyCadreConference,
    /// Bước 5: the leadership votes on the person by secret ballot.
    LeadershipVote,
    /// Outside candidates: the unit the person works in is consulted (no ballot).
    OriginConsulted,
    /// The decision (appointment, nomination) is issued.
    Decided,
    /// Stopped: the policy refused, nobody reached the threshold, or withdrawn.
    Stopped,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Policy,
        Step::LeadershipProposal,
        Step::ExpandedConference,
        Step::LeadershipNomination,
        Step::KeyCadreConference,
        Step::LeadershipVote,
        Step::OriginConsulted,
        Step::Decided,
        Step::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Policy => "policy",
            Step::LeadershipProposal => "leadership_proposal",
            Step::ExpandedConference => "expanded_conference",
            Step::LeadershipNomination => "leadership_nomination",
            Step::KeyCadreConference => "key_cadre_conference",
            Step::LeadershipVote => "leadership_vote",
            Step::OriginConsulted => "origin_consulted",
            Step::Decided => "decided",
            Step::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Step::Policy => "Xin chủ trương",
            Step::LeadershipProposal => "Bước 1: Tập thể lãnh đạo đề xuất cơ cấu, tiêu chuẩn",
            Step::ExpandedConference => "Bước 2: Hội nghị mở rộng giới thiệu (phiếu kín)",
            Step::LeadershipNomination => "Bước 3: Tập thể lãnh đạo giới thiệu (phiếu kín)",
            Step::KeyCadreConference => "Bước 4: Hội nghị cán bộ chủ chốt lấy ý kiến (phiếu kín)",
            Step::LeadershipVote => "Bước 5: Tập thể lãnh đạo biểu quyết (phiếu kín)",
            Step::OriginConsulted => "Lấy ý kiến nơi người được giới thiệu công tác",
            Step::Decided => "Đã quyết định",
            Step::Stopped => "Dừng quy trình",
        }
    }

    /// Whether the step is a conference that votes by secret ballot (its result is an
    /// election of the ballot engine, with its quorum).
    pub fn votes(self) -> bool {
        matches!(
            self,
            Step::ExpandedConference | Step::LeadershipNomination | Step::KeyCadreConference | Step::LeadershipVote
        )
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Step::Decided | Step::Stopped)
    }
}

/// What moves a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseEvent {
    /// The current step is done (its ballot counted with a quorum, where it votes).
    Complete,
    /// The competent level refused the policy, nobody reached the threshold, or the case is withdrawn.
    Stop,
}

impl CaseEvent {
    pub const ALL: [CaseEvent; 2] = [CaseEvent::Complete, CaseEvent::Stop];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseEvent::Complete => "complete",
            CaseEvent::Stop => "stop",
        }
    }

    pub fn parse(s: &str) -> Option<CaseEvent> {
        CaseEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// The step after `step` is completed, on the path of `source`.
fn next(step: Step, source: Source) -> Option<Step> {
    use Step::*;
    Some(match (source, step) {
        (_, Policy) => LeadershipProposal,
        (Source::Inside, LeadershipProposal) => ExpandedConference,
        (Source::Inside, ExpandedConference) => LeadershipNomination,
        (Source::Inside, LeadershipNomination) => KeyCadreConference,
        (Source::Inside, KeyCadreConference) => LeadershipVote,
        (Source::Outside, LeadershipProposal) => OriginConsulted,
        (Source::Outside, OriginConsulted) => LeadershipVote,
        (_, LeadershipVote) => Decided,
        _ => return None,
    })
}

/// The step after `event`, or why not, in words for the user.
pub fn after(step: Step, source: Source, event: CaseEvent) -> Result<Step, &'static str> {
    if !step.is_open() {
        return Err("Quy trình đã kết thúc");
    }
    match event {
        CaseEvent::Stop => Ok(Step::Stopped),
        CaseEvent::Complete => next(step, source).ok_or("Bước này không thuộc quy trình của nguồn nhân sự này"),
    }
}

/// The numbers of the procedure, named after their source (not read verbatim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct NominationRules {
    /// The competent level decides the policy within this many days of the request.
    pub policy_decision_days: u32,
    /// The unit starts the procedure within this many days of the policy's approval.
    pub start_within_days: u32,
    /// … and completes it within this many working days of the start.
    pub complete_within_working_days: u32,
    /// A conference votes only with at least this share of the summoned present: numerator …
    pub quorum_numerator: u32,
    /// … and denominator (2/3).
    pub quorum_denominator: u32,
    /// A person is chosen only with more than this percent of the summoned's votes (50).
    pub selection_min_percent: u32,
}

impl Default for NominationRules {
    fn default() -> Self {
        NominationRules {
            policy_decision_days: 10,
            start_within_days: 15,
            complete_within_working_days: 30,
            quorum_numerator: 2,
            quorum_denominator: 3,
            selection_min_percent: 50,
        }
    }
}

/// The deadlines of a case, from the dates known so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Deadlines {
    /// The policy must be decided by this day.
    pub policy_by: Option<NaiveDate>,
    /// The procedure must start by this day.
    pub start_by: Option<NaiveDate>,
    /// … and be completed by this day.
    pub complete_by: Option<NaiveDate>,
}

pub fn deadlines(
    requested_on: NaiveDate,
    policy_approved_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    rules: &NominationRules,
    calendar: &HolidayCalendar,
) -> Deadlines {
    let days = |d: NaiveDate, n: u32| d.checked_add_days(chrono::Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX);
    Deadlines {
        policy_by: Some(days(requested_on, rules.policy_decision_days)),
        start_by: policy_approved_on.map(|d| days(d, rules.start_within_days)),
        complete_by: started_on.map(|d| add_working_days(d, rules.complete_within_working_days, calendar)),
    }
}

/// Whether a conference of `present` out of `summoned` may vote (at least 2/3 present).
pub fn has_quorum(present: u32, summoned: u32, rules: &NominationRules) -> bool {
    summoned > 0
        && u64::from(present) * u64::from(rules.quorum_denominator)
            >= u64::from(summoned) * u64::from(rules.quorum_numerator)
}

/// The choice of a conference: the most votes among those with more than half of the summoned
/// (not of those present). `None` when nobody passes, or when the most votes are tied (the
/// leadership then decides, outside this rule).
pub fn selected(votes: &[(u32, u32)], summoned: u32, rules: &NominationRules) -> Option<u32> {
    let passes = |v: u32| u64::from(v) * 100 > u64::from(summoned) * u64::from(rules.selection_min_percent);
    let best = votes.iter().filter(|(_, v)| passes(*v)).map(|(_, v)| *v).max()?;
    let mut at_best = votes.iter().filter(|(_, v)| *v == best);
    let first = at_best.next()?;
    if at_best.next().is_some() { None } else { Some(first.0) }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_diagram_draws_exactly_the_transitions_the_code_allows() {
        let drawn = crate::state_diagram::drawn(include_str!("../../../../docs/state-machines/nomination.md"));
        let mut allowed = BTreeSet::new();
        for source in [Source::Inside, Source::Outside] {
            for step in Step::ALL {
                for event in CaseEvent::ALL {
                    if let Ok(to) = after(step, source, event) {
                        allowed.insert((step.as_str().to_owned(), to.as_str().to_owned(), event.as_str().to_owned()));
                    }
                }
            }
        }
        assert_eq!(drawn, allowed, "docs/state-machines/nomination.md and nomination::after disagree");
    }

    #[test]
    fn the_inside_path_has_five_steps_and_four_ballots() {
        let mut step = Step::Policy;
        let mut path = vec![step];
        while step.is_open() {
            step = after(step, Source::Inside, CaseEvent::Complete).unwrap();
            path.push(step);
        }
        assert_eq!(path.len(), 7, "{path:?}");
        assert_eq!(path.iter().filter(|s| s.votes()).count(), 4);
        let mut step = Step::Policy;
        let mut ballots = 0;
        while step.is_open() {
            step = after(step, Source::Outside, CaseEvent::Complete).unwrap();
            ballots += usize::from(step.votes());
        }
        assert_eq!(ballots, 1, "the outside path votes once");
    }

    #[test]
    fn deadlines_quorum_and_the_selection_rule() {
        let rules = NominationRules::default();
        let cal = HolidayCalendar::vietnam_fixed(2026);
        let dl = deadlines(d(2026, 3, 2), Some(d(2026, 3, 9)), Some(d(2026, 3, 16)), &rules, &cal);
        assert_eq!(dl.policy_by, Some(d(2026, 3, 12)));
        assert_eq!(dl.start_by, Some(d(2026, 3, 24)));
        // 30 working days after Monday 16/3/2026: six weeks of five days, less the Monday.
        assert_eq!(dl.complete_by, Some(d(2026, 4, 27)));
        // Started on 6/4, the holidays of 30/4 and 1/5 push it two days: 20/5, not 18/5.
        let dl = deadlines(d(2026, 3, 2), None, Some(d(2026, 4, 6)), &rules, &cal);
        assert_eq!(dl.complete_by, Some(d(2026, 5, 20)));
        // 2/3 of 31 summoned: 21 present is enough (63 ≥ 62), 20 is not.
        assert!(has_quorum(21, 31, &rules));
        assert!(!has_quorum(20, 31, &rules));
        assert!(!has_quorum(0, 0, &rules));
        // More than half of the 31 summoned (16 votes), not of those present.
        assert_eq!(selected(&[(1, 15), (2, 14)], 31, &rules), None);
        assert_eq!(selected(&[(1, 16), (2, 20), (3, 18)], 31, &rules), Some(2));
        assert_eq!(selected(&[(1, 20), (2, 20)], 31, &rules), None, "a tie at the top is the leadership's");
    }

    proptest! {
        /// Any sequence of events ends a case at most once; a decision comes only after the
        /// leadership's vote; the chosen person has the most votes and more than half.
        #[test]
        fn cases_and_choices(
            outside: bool,
            events in prop::collection::vec(prop::sample::select(CaseEvent::ALL.to_vec()), 0..20),
            votes in prop::collection::vec(0u32..60, 1..8),
            summoned in 1u32..60,
        ) {
            let source = if outside { Source::Outside } else { Source::Inside };
            let mut step = Step::Policy;
            for e in events {
                match after(step, source, e) {
                    Ok(to) => {
                        if to == Step::Decided { prop_assert_eq!(step, Step::LeadershipVote); }
                        prop_assert!(step.is_open());
                        step = to;
                    }
                    Err(why) => { prop_assert!(!step.is_open()); prop_assert!(!why.is_empty()); }
                }
            }
            let rules = NominationRules::default();
            let list: Vec<(u32, u32)> = votes.iter().enumerate().map(|(i, v)| (i as u32, *v)).collect();
            if let Some(who) = selected(&list, summoned, &rules) {
                let v = list[who as usize].1;
                prop_assert!(u64::from(v) * 2 > u64::from(summoned));
                prop_assert!(list.iter().all(|(i, x)| *i == who || *x < v));
            }
        }
    }
}
