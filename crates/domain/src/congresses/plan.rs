//! The plan of a congress cycle that a committee pushes down to the organisations below it
//! (Chỉ thị 35-CT/TW: every level prepares its congress in a calendar set from above): which
//! kinds of organisation hold a congress, the day by which they are held, and the milestones each
//! congress gets, counted back from its opening. Each milestone becomes a task of its congress's
//! organisation, so the dashboards and reminders already built follow it.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::orgs::OrgKind;
use crate::validation::Problems;

use super::CongressKind;

/// A step of the preparation with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The drafts of the documents are ready to be sent for comments.
    DraftsReady,
    /// Comments on the drafts are closed.
    CommentsClosed,
    /// The personnel plan (đề án nhân sự) is approved.
    PersonnelApproved,
    /// The committee above reviews and approves the congress (duyệt đại hội).
    HigherReview,
    /// The congresses below have elected this congress's delegates (a delegates' congress only).
    DelegatesElected,
    /// The congress opens.
    Opening,
}

impl Milestone {
    pub const ALL: [Milestone; 6] = [
        Milestone::DraftsReady,
        Milestone::CommentsClosed,
        Milestone::PersonnelApproved,
        Milestone::HigherReview,
        Milestone::DelegatesElected,
        Milestone::Opening,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::DraftsReady => "drafts_ready",
            Milestone::CommentsClosed => "comments_closed",
            Milestone::PersonnelApproved => "personnel_approved",
            Milestone::HigherReview => "higher_review",
            Milestone::DelegatesElected => "delegates_elected",
            Milestone::Opening => "opening",
        }
    }

    pub fn parse(s: &str) -> Option<Milestone> {
        Milestone::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Milestone::DraftsReady => "Hoàn thành dự thảo văn kiện",
            Milestone::CommentsClosed => "Kết thúc lấy ý kiến dự thảo văn kiện",
            Milestone::PersonnelApproved => "Phương án nhân sự được phê duyệt",
            Milestone::HigherReview => "Cấp ủy cấp trên duyệt đại hội",
            Milestone::DelegatesElected => "Các đảng bộ, chi bộ trực thuộc bầu xong đại biểu",
            Milestone::Opening => "Khai mạc đại hội",
        }
    }

    /// Whether a congress of this kind has the milestone: only a delegates' congress waits for
    /// its delegates.
    pub fn applies_to(self, kind: CongressKind) -> bool {
        self != Milestone::DelegatesElected || kind == CongressKind::Delegates
    }
}

/// A milestone and how many days before the opening it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Step {
    #[schema(value_type = String, example = "drafts_ready")]
    pub milestone: Milestone,
    pub days_before: u32,
}

impl Step {
    /// The day it is due for a congress opening on `opens_on`.
    pub fn due_on(self, opens_on: NaiveDate) -> NaiveDate {
        opens_on.checked_sub_days(Days::new(u64::from(self.days_before))).unwrap_or(opens_on)
    }
}

/// The longest preparation a plan may count back: a year.
pub const MAX_DAYS_BEFORE: u32 = 366;

/// The milestones when no committee above pushed a plan: the usual calendar of a cycle.
pub fn default_steps() -> Vec<Step> {
    use Milestone::*;
    [
        (DraftsReady, 60),
        (CommentsClosed, 30),
        (PersonnelApproved, 30),
        (DelegatesElected, 20),
        (HigherReview, 15),
        (Opening, 0),
    ]
    .into_iter()
    .map(|(milestone, days_before)| Step { milestone, days_before })
    .collect()
}

/// A plan's steps: each milestone at most once, within a year before the opening.
pub fn check_steps(steps: &[Step], problems: &mut Problems) {
    if steps.is_empty() {
        problems.add("milestones", "Kế hoạch cần ít nhất một mốc");
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in steps {
        if !seen.insert(s.milestone) {
            problems.add("milestones", format!("Mốc \"{}\" có hai lần", s.milestone.label()));
        }
        if s.days_before > MAX_DAYS_BEFORE {
            problems.add("milestones", format!("Mốc \"{}\" quá một năm trước khai mạc", s.milestone.label()));
        }
    }
}

/// The kinds a plan covers: at least one, none twice.
pub fn check_kinds(kinds: &[OrgKind], problems: &mut Problems) {
    if kinds.is_empty() {
        problems.add("kinds", "Chọn loại tổ chức tiến hành đại hội theo kế hoạch");
    }
    if kinds.iter().enumerate().any(|(i, k)| kinds[..i].contains(k)) {
        problems.add("kinds", "Một loại tổ chức có hai lần");
    }
}

/// Where an organisation stands in a cycle on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// The congress opened on or before the plan's deadline.
    HeldOnTime,
    /// It opened, after the deadline.
    HeldLate,
    /// It has a date still to come, before the deadline.
    Scheduled,
    /// Not held, and the deadline or its own planned opening has passed.
    Late,
    /// No congress yet, and the deadline has not passed.
    NotScheduled,
}

impl Standing {
    pub fn is_held(self) -> bool {
        matches!(self, Standing::HeldOnTime | Standing::HeldLate)
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::HeldOnTime => "Đã đại hội đúng hạn",
            Standing::HeldLate => "Đã đại hội, quá hạn",
            Standing::Scheduled => "Đã có ngày đại hội",
            Standing::Late => "Chậm",
            Standing::NotScheduled => "Chưa có kế hoạch đại hội",
        }
    }
}

/// The standing on `on` of an organisation whose congress (if any) planned to open on
/// `opens_on` and opened on `opened_on`, under a plan holding congresses by `held_by`. An
/// opening after `on` is not known on `on`.
pub fn standing(
    opens_on: Option<NaiveDate>,
    opened_on: Option<NaiveDate>,
    held_by: NaiveDate,
    on: NaiveDate,
) -> Standing {
    match (opens_on, opened_on.filter(|&d| d <= on)) {
        (_, Some(d)) if d <= held_by => Standing::HeldOnTime,
        (_, Some(_)) => Standing::HeldLate,
        _ if on > held_by => Standing::Late,
        (Some(planned), None) if planned < on => Standing::Late,
        (Some(_), None) => Standing::Scheduled,
        (None, None) => Standing::NotScheduled,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn seed_figure_51985_of_52105_is_counted_by_the_opening_date() {
        let by = d("2020-06-30");
        assert_eq!(standing(Some(d("2020-06-20")), Some(d("2020-06-20")), by, d("2020-06-30")), Standing::HeldOnTime);
        assert_eq!(standing(Some(d("2020-06-20")), Some(d("2020-07-02")), by, d("2020-07-10")), Standing::HeldLate);
        // Seen on 30/6 the late one had not opened yet: late.
        assert_eq!(standing(Some(d("2020-06-20")), Some(d("2020-07-02")), by, d("2020-06-30")), Standing::Late);
        assert_eq!(standing(Some(d("2020-06-25")), None, by, d("2020-06-10")), Standing::Scheduled);
        assert_eq!(standing(None, None, by, d("2020-06-10")), Standing::NotScheduled);
        assert_eq!(standing(None, None, by, d("2020-07-01")), Standing::Late);
    }

    #[test]
    fn a_plan_names_each_milestone_once_within_a_year() {
        let mut p = Problems::new();
        check_steps(&default_steps(), &mut p);
        assert!(p.is_empty());
        let twice = [Step { milestone: Milestone::Opening, days_before: 0 }; 2];
        check_steps(&twice, &mut p);
        check_steps(&[Step { milestone: Milestone::DraftsReady, days_before: 400 }], &mut p);
        assert_eq!(p.len(), 2);
        assert_eq!(
            Step { milestone: Milestone::DraftsReady, days_before: 60 }.due_on(d("2025-07-22")),
            d("2025-05-23")
        );
    }

    #[test]
    fn only_a_delegates_congress_waits_for_its_delegates() {
        assert!(Milestone::DelegatesElected.applies_to(CongressKind::Delegates));
        assert!(!Milestone::DelegatesElected.applies_to(CongressKind::Members));
        assert!(Milestone::ALL.iter().all(|m| Milestone::parse(m.as_str()) == Some(*m)));
    }

    proptest! {
        /// An organisation counts as held exactly when it opened by the day asked, and is never
        /// both held and late.
        #[test]
        fn held_means_opened_by_the_day(open in 0i64..400, opened in prop::option::of(0i64..400), by in 0i64..400, on in 0i64..400) {
            let base = d("2025-01-01");
            let day = |n: i64| base + chrono::Duration::days(n);
            let s = standing(Some(day(open)), opened.map(day), day(by), day(on));
            prop_assert_eq!(s.is_held(), opened.is_some_and(|o| o <= on));
            if on > by {
                prop_assert!(s.is_held() || s == Standing::Late);
            }
        }
    }
}
