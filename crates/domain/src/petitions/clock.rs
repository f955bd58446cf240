//! The clock of a petition: from the time limit that applies to its kind, the dates by which it
//! must be accepted (thụ lý) and resolved, moved by extensions and by pauses while the sender's
//! clarification is awaited. Like Alaveteli, the dates are stored on the case and computed again
//! on every event that moves them; the rule that applied is stored with them, so that a later
//! change of the settings does not rewrite an old case's deadline.
//!
//! Days are counted as the rule says: working days skip weekends and the holiday calendar of
//! the settings; calendar-day limits that end on a day off move to the next working day. The
//! day of receipt (a letter by post: its postmark) is day zero.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::members::{HolidayCalendar, add_working_days, working_day_on_or_after, working_days_between};
use crate::validation::{FieldError, Problems};

/// When the resolution clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// From the day the competent body received the letter (the Party's rule on denunciations).
    Receipt,
    /// From the day it was accepted (thụ lý; Luật Khiếu nại 2011 Điều 28).
    Acceptance,
}

/// The time limit of one kind of petition, named after its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimeLimit {
    /// The text the numbers follow, and whether it was confirmed.
    pub source: String,
    /// Counted in working days (else calendar days, moved past a day off at the end).
    pub working_days: bool,
    /// Accepted or forwarded within this many days of receipt.
    pub accept_within: u32,
    /// Resolved within this many days …
    pub resolve_within: u32,
    /// … counted from this day.
    pub counted_from: Start,
    /// Each extension adds this many days …
    pub extension: u32,
    /// … at most this many times.
    pub max_extensions: u32,
}

/// Every number of petition handling. Defaults follow `domain-rules.md` §7; none of the Party's
/// numbers could be checked against Quy định 296-QĐ/TW (2025), so each is a setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PetitionRules {
    pub complaint: TimeLimit,
    pub denunciation: TimeLimit,
    pub proposal: TimeLimit,
    pub feedback: TimeLimit,
    /// A case is "due soon" this many working days before its deadline.
    pub due_soon_days: u32,
    /// HD 07-HD/UBKTTW (2019): a denunciation about a congress that the competent body receives
    /// within this many working days before a grassroots congress opens is held for the new
    /// committee …
    pub congress_window_grassroots: u32,
    /// … and this many before a congress above the grassroots.
    pub congress_window_above: u32,
    /// A new letter about the same person or organisation whose content is at least this
    /// similar (percent of shared words) is shown as a probable repeat.
    pub repeat_similarity_percent: u32,
}

impl Default for PetitionRules {
    fn default() -> Self {
        PetitionRules {
            complaint: TimeLimit {
                source: "Luật Khiếu nại 2011 Điều 27 (thụ lý trong 10 ngày); QĐ 30-QĐ/TW 2016: khiếu nại kỷ luật đảng \
                         giải quyết trong 90 ngày làm việc (chưa đối chiếu QĐ 296-QĐ/TW)"
                    .into(),
                working_days: true,
                accept_within: 10,
                resolve_within: 90,
                counted_from: Start::Acceptance,
                extension: 30,
                max_extensions: 1,
            },
            denunciation: TimeLimit {
                source:
                    "Sổ tay công tác kiểm tra: tố cáo đối với tổ chức đảng, đảng viên giải quyết trong 90 ngày làm \
                         việc kể từ ngày nhận đơn, gia hạn không quá 30 ngày làm việc (chưa đối chiếu QĐ 296-QĐ/TW)"
                        .into(),
                working_days: true,
                accept_within: 10,
                resolve_within: 90,
                counted_from: Start::Receipt,
                extension: 30,
                max_extensions: 1,
            },
            proposal: TimeLimit {
                source: "Quy chế của cơ quan (không có thời hạn luật định; mặc định 15 ngày làm việc)".into(),
                working_days: true,
                accept_within: 10,
                resolve_within: 15,
                counted_from: Start::Receipt,
                extension: 15,
                max_extensions: 1,
            },
            feedback: TimeLimit {
                source: "Quy chế của cơ quan (không có thời hạn luật định; mặc định 15 ngày làm việc)".into(),
                working_days: true,
                accept_within: 10,
                resolve_within: 15,
                counted_from: Start::Receipt,
                extension: 15,
                max_extensions: 1,
            },
            due_soon_days: 5,
            congress_window_grassroots: 25,
            congress_window_above: 30,
            repeat_similarity_percent: 60,
        }
    }
}

impl PetitionRules {
    pub fn limit(&self, kind: Kind) -> &TimeLimit {
        match kind {
            Kind::Complaint => &self.complaint,
            Kind::Denunciation => &self.denunciation,
            Kind::Proposal => &self.proposal,
            Kind::Feedback => &self.feedback,
        }
    }

    /// Every number within what it can mean, each problem named by its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();
        for kind in Kind::ALL {
            let l = self.limit(*kind);
            let field = kind.as_str();
            if !(1..=365).contains(&l.resolve_within) || !(1..=60).contains(&l.accept_within) {
                p.add(format!("{field}.resolve_within"), "Thời hạn giải quyết 1–365 ngày, thụ lý 1–60 ngày");
            }
            if l.extension > 365 || l.max_extensions > 5 {
                p.add(format!("{field}.extension"), "Mỗi lần gia hạn tối đa 365 ngày, tối đa 5 lần");
            }
            if l.source.trim().is_empty() || l.source.chars().count() > 500 {
                p.add(format!("{field}.source"), "Ghi căn cứ của thời hạn (1–500 ký tự)");
            }
        }
        if self.due_soon_days > 60 {
            p.add("due_soon_days", "Báo sắp đến hạn trước tối đa 60 ngày làm việc");
        }
        if self.congress_window_grassroots > 120 || self.congress_window_above > 120 {
            p.add("congress_window_grassroots", "Thời gian trước đại hội tối đa 120 ngày làm việc");
        }
        if !(10..=100).contains(&self.repeat_similarity_percent) {
            p.add("repeat_similarity_percent", "Mức giống nhau từ 10 đến 100 phần trăm");
        }
        p.finish()
    }
}

impl TimeLimit {
    /// `days` after `from`, counted as this rule counts.
    fn after(&self, from: NaiveDate, days: u32, calendar: &HolidayCalendar) -> NaiveDate {
        if self.working_days {
            add_working_days(from, days, calendar)
        } else {
            let end = from.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
            working_day_on_or_after(end, calendar)
        }
    }

    /// The days `[from, to)` add to a deadline when the clock stopped over them, counted as
    /// this rule counts.
    fn stopped(&self, from: NaiveDate, to: NaiveDate, calendar: &HolidayCalendar) -> u32 {
        let days = if self.working_days { working_days_between(from, to, calendar) } else { (to - from).num_days() };
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    }
}

/// What the clock of a case is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts {
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    /// Extensions decided so far.
    pub extensions: u32,
    /// The pauses: from, and until (open while the clarification is awaited).
    pub pauses: Vec<(NaiveDate, Option<NaiveDate>)>,
}

impl ClockFacts {
    /// A case just received: no acceptance, extension or pause yet.
    pub fn received(received_on: NaiveDate) -> ClockFacts {
        ClockFacts { received_on, accepted_on: None, extensions: 0, pauses: Vec::new() }
    }
}

/// The dates of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Clock {
    /// Accepted or forwarded by this day.
    pub accept_due_on: NaiveDate,
    /// Resolved by this day; `None` while it cannot be known (not yet accepted when counted from
    /// acceptance, or stopped by an open pause).
    pub due_on: Option<NaiveDate>,
}

impl Clock {
    pub fn of(limit: &TimeLimit, facts: &ClockFacts, calendar: &HolidayCalendar) -> Clock {
        let accept_due_on = limit.after(facts.received_on, limit.accept_within, calendar);
        let start = match limit.counted_from {
            Start::Receipt => Some(facts.received_on),
            Start::Acceptance => facts.accepted_on,
        };
        let open_pause = facts.pauses.iter().any(|(_, until)| until.is_none());
        let due_on = start.filter(|_| !open_pause).map(|start| {
            let extended = limit.resolve_within.saturating_add(limit.extension.saturating_mul(facts.extensions));
            let paused: u32 = facts
                .pauses
                .iter()
                .filter_map(|(from, until)| until.map(|u| limit.stopped(*from, u, calendar)))
                .fold(0, u32::saturating_add);
            limit.after(start, extended.saturating_add(paused), calendar)
        });
        Clock { accept_due_on, due_on }
    }
}

/// Where a case stands against its clock today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    OnTime,
    DueSoon,
    Overdue,
    /// No clock runs (held, paused).
    Stopped,
    /// Closed in time (or closed with no deadline to meet).
    DoneOnTime,
    /// Closed after its deadline.
    DoneLate,
}

impl Timing {
    pub fn label(self) -> &'static str {
        match self {
            Timing::OnTime => "Trong hạn",
            Timing::DueSoon => "Sắp đến hạn",
            Timing::Overdue => "Quá hạn",
            Timing::Stopped => "Dừng tính hạn",
            Timing::DoneOnTime => "Xong đúng hạn",
            Timing::DoneLate => "Xong quá hạn",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Timing::OnTime => "on_time",
            Timing::DueSoon => "due_soon",
            Timing::Overdue => "overdue",
            Timing::Stopped => "stopped",
            Timing::DoneOnTime => "done_on_time",
            Timing::DoneLate => "done_late",
        }
    }

    /// Where a case in `state`, with `clock`, closed on `closed_on` if it is, stands on `today`.
    pub fn of(
        state: super::State,
        clock: &Clock,
        closed_on: Option<NaiveDate>,
        today: NaiveDate,
        due_soon_days: u32,
        calendar: &HolidayCalendar,
    ) -> Timing {
        use super::State as S;
        let deadline = match state {
            S::Received => Some(clock.accept_due_on),
            S::Accepted => clock.due_on,
            S::Held | S::Paused => return Timing::Stopped,
            S::Resolved => {
                return match (clock.due_on, closed_on) {
                    (Some(due), Some(done)) if done > due => Timing::DoneLate,
                    _ => Timing::DoneOnTime,
                };
            }
            S::NotHandled | S::Forwarded | S::Withdrawn => {
                return match closed_on {
                    Some(done) if done > clock.accept_due_on && state != S::Withdrawn => Timing::DoneLate,
                    _ => Timing::DoneOnTime,
                };
            }
        };
        let Some(deadline) = deadline else { return Timing::OnTime };
        if today > deadline {
            Timing::Overdue
        } else if working_days_between(today, deadline, calendar) <= i64::from(due_soon_days) {
            Timing::DueSoon
        } else {
            Timing::OnTime
        }
    }
}

/// The first day of a congress's window (HD 07-HD/UBKTTW): the earliest day from which there
/// are at most `window` working days up to the opening day.
pub fn congress_window_opens(opens_on: NaiveDate, window: u32, calendar: &HolidayCalendar) -> NaiveDate {
    let mut day = opens_on;
    // At most `window` working days lie in (day, opens_on]; a week holds at least one working
    // day unless the calendar says otherwise, so the walk is bounded.
    for _ in 0..(u64::from(window) * 7 + 400) {
        let Some(before) = day.pred_opt() else { break };
        if working_days_between(before, opens_on, calendar) > i64::from(window) {
            break;
        }
        day = before;
    }
    day
}

/// Whether a petition is held for the new committee: a denunciation concerning a congress,
/// received by the competent body from the window's first day up to the opening day.
pub fn held_for_congress(
    kind: Kind,
    received_on: NaiveDate,
    opens_on: NaiveDate,
    grassroots: bool,
    rules: &PetitionRules,
    calendar: &HolidayCalendar,
) -> bool {
    let window = if grassroots { rules.congress_window_grassroots } else { rules.congress_window_above };
    kind == Kind::Denunciation
        && received_on <= opens_on
        && received_on >= congress_window_opens(opens_on, window, calendar)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::petitions::State;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(received: NaiveDate) -> ClockFacts {
        ClockFacts { received_on: received, accepted_on: None, extensions: 0, pauses: vec![] }
    }

    #[test]
    fn a_denunciation_runs_90_working_days_from_receipt_past_tet() {
        let rules = PetitionRules::default();
        // Tết 2027: 05/02 to 11/02 off.
        let mut cal = HolidayCalendar::vietnam_fixed(2027);
        for day in 5..=11 {
            cal.add_holiday(d(2027, 2, day));
        }
        let received = d(2027, 1, 4);
        let clock = Clock::of(&rules.denunciation, &facts(received), &cal);
        let due = clock.due_on.unwrap();
        assert_eq!(working_days_between(received, due, &cal), 90);
        // Without Tết it would be five working days earlier.
        let plain = Clock::of(&rules.denunciation, &facts(received), &HolidayCalendar::new()).due_on.unwrap();
        assert!(due > plain);
        assert_eq!(clock.accept_due_on, d(2027, 1, 18));
    }

    #[test]
    fn a_complaint_waits_for_its_acceptance() {
        let rules = PetitionRules::default();
        let cal = HolidayCalendar::new();
        let mut f = facts(d(2027, 3, 1));
        assert_eq!(Clock::of(&rules.complaint, &f, &cal).due_on, None);
        f.accepted_on = Some(d(2027, 3, 8));
        let due = Clock::of(&rules.complaint, &f, &cal).due_on.unwrap();
        assert_eq!(working_days_between(d(2027, 3, 8), due, &cal), 90);
    }

    #[test]
    fn an_extension_and_a_pause_move_the_deadline() {
        let rules = PetitionRules::default();
        let cal = HolidayCalendar::new();
        let mut f = facts(d(2027, 3, 1));
        let base = Clock::of(&rules.denunciation, &f, &cal).due_on.unwrap();
        f.extensions = 1;
        let extended = Clock::of(&rules.denunciation, &f, &cal).due_on.unwrap();
        assert_eq!(working_days_between(base, extended, &cal), 30);
        // Paused Monday 05/04 to Monday 12/04: five working days stopped.
        f.pauses.push((d(2027, 4, 5), None));
        assert_eq!(Clock::of(&rules.denunciation, &f, &cal).due_on, None);
        f.pauses[0].1 = Some(d(2027, 4, 12));
        let paused = Clock::of(&rules.denunciation, &f, &cal).due_on.unwrap();
        assert_eq!(working_days_between(extended, paused, &cal), 5);
    }

    #[test]
    fn a_calendar_day_limit_ending_on_a_sunday_moves_to_monday() {
        let limit = TimeLimit { working_days: false, resolve_within: 6, ..PetitionRules::default().proposal };
        // Monday 01/03/2027 + 6 days = Sunday 07/03 → Monday 08/03.
        let clock = Clock::of(&limit, &facts(d(2027, 3, 1)), &HolidayCalendar::new());
        assert_eq!(clock.due_on, Some(d(2027, 3, 8)));
    }

    #[test]
    fn timing_before_and_after_the_deadline() {
        let cal = HolidayCalendar::new();
        let clock = Clock { accept_due_on: d(2027, 3, 15), due_on: Some(d(2027, 6, 30)) };
        let t = |s, today| Timing::of(s, &clock, None, today, 5, &cal);
        assert_eq!(t(State::Received, d(2027, 3, 1)), Timing::OnTime);
        assert_eq!(t(State::Received, d(2027, 3, 10)), Timing::DueSoon);
        assert_eq!(t(State::Received, d(2027, 3, 16)), Timing::Overdue);
        assert_eq!(t(State::Accepted, d(2027, 3, 16)), Timing::OnTime);
        assert_eq!(t(State::Accepted, d(2027, 7, 1)), Timing::Overdue);
        assert_eq!(t(State::Paused, d(2027, 9, 1)), Timing::Stopped);
        let done = |on| Timing::of(State::Resolved, &clock, Some(on), d(2027, 12, 1), 5, &cal);
        assert_eq!(done(d(2027, 6, 30)), Timing::DoneOnTime);
        assert_eq!(done(d(2027, 7, 1)), Timing::DoneLate);
    }

    #[test]
    fn the_congress_window_of_hd_07() {
        let rules = PetitionRules::default();
        let cal = HolidayCalendar::new();
        // A grassroots congress opening Friday 18/06/2027: 25 working days back is Friday 14/05.
        let opens = d(2027, 6, 18);
        let first = congress_window_opens(opens, 25, &cal);
        assert_eq!(working_days_between(first, opens, &cal), 25);
        assert!(working_days_between(first.pred_opt().unwrap(), opens, &cal) > 25);
        assert!(held_for_congress(Kind::Denunciation, first, opens, true, &rules, &cal));
        assert!(held_for_congress(Kind::Denunciation, opens, opens, true, &rules, &cal));
        assert!(!held_for_congress(Kind::Denunciation, d(2027, 5, 13), opens, true, &rules, &cal));
        assert!(!held_for_congress(Kind::Denunciation, d(2027, 6, 19), opens, true, &rules, &cal));
        assert!(!held_for_congress(Kind::Complaint, first, opens, true, &rules, &cal));
        // Above the grassroots the window is 30 working days: 13/05 is in it.
        assert!(held_for_congress(Kind::Denunciation, d(2027, 5, 13), opens, false, &rules, &cal));
        assert!(rules.validate().is_ok());
    }

    fn calendar() -> impl Strategy<Value = HolidayCalendar> {
        prop::collection::vec(0u64..800, 0..40).prop_map(|offsets| {
            HolidayCalendar::with_holidays(offsets.into_iter().map(|o| d(2026, 1, 1) + Days::new(o)))
        })
    }

    proptest! {
        /// Whatever the holidays: the deadline is a working day, as many working days after the
        /// start as the rule and its extensions give, plus the days paused; more extensions or
        /// pauses never bring it earlier.
        #[test]
        fn deadlines_hold_under_any_calendar(
            cal in calendar(),
            start in 0u64..400,
            extensions in 0u32..3,
            pause in prop::option::of((0u64..200, 0u64..30)),
        ) {
            let rules = PetitionRules::default();
            let limit = &rules.denunciation;
            let received = d(2026, 1, 1) + Days::new(start);
            let mut f = ClockFacts { received_on: received, accepted_on: None, extensions, pauses: vec![] };
            let plain = Clock::of(limit, &f, &cal).due_on.unwrap();
            prop_assert!(cal.is_working_day(plain));
            prop_assert_eq!(working_days_between(received, plain, &cal), i64::from(90 + 30 * extensions));
            if let Some((from, len)) = pause {
                let from = received + Days::new(from);
                f.pauses.push((from, Some(from + Days::new(len))));
                let paused = Clock::of(limit, &f, &cal).due_on.unwrap();
                prop_assert!(paused >= plain);
                prop_assert_eq!(
                    working_days_between(plain, paused, &cal),
                    working_days_between(from, from + Days::new(len), &cal)
                );
            }
            f.extensions += 1;
            prop_assert!(Clock::of(limit, &f, &cal).due_on.unwrap() > plain);
        }

        /// The window holds exactly the days with at most N working days to the opening.
        #[test]
        fn the_window_is_exactly_n_working_days(cal in calendar(), open in 60u64..700, window in 1u32..40, probe in 0u64..120) {
            let opens = d(2026, 1, 1) + Days::new(open);
            let first = congress_window_opens(opens, window, &cal);
            let day = opens - Days::new(probe);
            let inside = day >= first;
            prop_assert_eq!(inside, working_days_between(day, opens, &cal) <= i64::from(window));
        }
    }
}
