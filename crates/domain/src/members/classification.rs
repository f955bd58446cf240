//! Yearly (or quarterly, or per term) quality classification of members and collectives,
//! Quy định 366-QĐ/TW (30/8/2025), reference/domain-rules.md §4.6.
//!
//! The score on a 100-point scale gives a level; for a collective (and for a leader, judged by the
//! area they lead) the results of its tasks can only lower that level, never raise it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::MembershipRules;

/// The four levels, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClassificationLevel {
    Excellent,
    Good,
    Completed,
    NotCompleted,
}

impl ClassificationLevel {
    pub const ALL: [ClassificationLevel; 4] = [
        ClassificationLevel::Excellent,
        ClassificationLevel::Good,
        ClassificationLevel::Completed,
        ClassificationLevel::NotCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassificationLevel::Excellent => "excellent",
            ClassificationLevel::Good => "good",
            ClassificationLevel::Completed => "completed",
            ClassificationLevel::NotCompleted => "not_completed",
        }
    }

    pub fn parse(s: &str) -> Option<ClassificationLevel> {
        ClassificationLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ClassificationLevel::Excellent => "Hoàn thành xuất sắc nhiệm vụ",
            ClassificationLevel::Good => "Hoàn thành tốt nhiệm vụ",
            ClassificationLevel::Completed => "Hoàn thành nhiệm vụ",
            ClassificationLevel::NotCompleted => "Không hoàn thành nhiệm vụ",
        }
    }

    /// 3 for the best level down to 0, for comparing and sorting.
    pub fn rank(self) -> u8 {
        match self {
            ClassificationLevel::Excellent => 3,
            ClassificationLevel::Good => 2,
            ClassificationLevel::Completed => 1,
            ClassificationLevel::NotCompleted => 0,
        }
    }

    /// The lower of two levels.
    pub fn worse(self, other: ClassificationLevel) -> ClassificationLevel {
        if other.rank() < self.rank() { other } else { self }
    }

    /// The level a score gives: ≥ 90 excellent, 70 to < 90 good, 50 to < 70 completed, below 50
    /// not completed (thresholds from `rules`). A score that is not a number gives the lowest.
    pub fn from_score(score: f64, rules: &MembershipRules) -> ClassificationLevel {
        if score >= f64::from(rules.excellent_min_score) {
            ClassificationLevel::Excellent
        } else if score >= f64::from(rules.good_min_score) {
            ClassificationLevel::Good
        } else if score >= f64::from(rules.completed_min_score) {
            ClassificationLevel::Completed
        } else {
            ClassificationLevel::NotCompleted
        }
    }
}

/// Whether `score` lies on the scale (0 to the maximum), to refuse typing errors on input.
pub fn score_is_valid(score: f64, rules: &MembershipRules) -> bool {
    (0.0..=f64::from(rules.classification_max_score)).contains(&score)
}

/// The task results a collective's level depends on, for the period reviewed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CollectiveResults {
    /// Tasks assigned in the period.
    pub tasks_total: u32,
    /// Of these, completed (on time or not).
    pub tasks_completed: u32,
    /// Of these, completed on time and with quality.
    pub tasks_on_time: u32,
    /// Of these, exceeding the requirements.
    pub tasks_exceeding: u32,
    /// Whether a member or a subordinate unit was disciplined in the period.
    pub has_disciplined: bool,
}

/// The best level the task results allow (Quy định 366-QĐ/TW):
/// - excellent: every task on time with quality, at least 30% exceeding requirements, and no
///   one disciplined;
/// - good: every task on time with quality;
/// - completed: every task completed, at most 20% of them behind schedule;
/// - otherwise not completed.
///
/// With no task assigned the conditions on tasks hold. Inconsistent counts (more on time than
/// completed …) are read as the smaller number.
pub fn best_level_allowed(results: &CollectiveResults, rules: &MembershipRules) -> ClassificationLevel {
    let total = u64::from(results.tasks_total);
    let completed = u64::from(results.tasks_completed).min(total);
    let on_time = u64::from(results.tasks_on_time).min(completed);
    let exceeding = u64::from(results.tasks_exceeding).min(completed);
    let all_on_time = on_time == total;
    if all_on_time
        && exceeding * 100 >= u64::from(rules.excellent_min_exceeding_percent) * total
        && !results.has_disciplined
    {
        ClassificationLevel::Excellent
    } else if all_on_time {
        ClassificationLevel::Good
    } else if completed == total && (completed - on_time) * 100 <= u64::from(rules.completed_max_late_percent) * total {
        ClassificationLevel::Completed
    } else {
        ClassificationLevel::NotCompleted
    }
}

/// A collective's level: the level of its score, lowered to what its task results allow.
pub fn classify_collective(score: f64, results: &CollectiveResults, rules: &MembershipRules) -> ClassificationLevel {
    ClassificationLevel::from_score(score, rules).worse(best_level_allowed(results, rules))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClassificationLevel::*;
    use proptest::prelude::*;

    #[test]
    fn scores() {
        let r = MembershipRules::default();
        let level = |s| ClassificationLevel::from_score(s, &r);
        assert_eq!(level(100.0), Excellent);
        assert_eq!(level(90.0), Excellent);
        assert_eq!(level(89.99), Good);
        assert_eq!(level(70.0), Good);
        assert_eq!(level(69.5), Completed);
        assert_eq!(level(50.0), Completed);
        assert_eq!(level(49.9), NotCompleted);
        assert_eq!(level(f64::NAN), NotCompleted);
        assert!(score_is_valid(100.0, &r));
        assert!(!score_is_valid(100.5, &r));
        assert!(!score_is_valid(-1.0, &r));
        assert!(!score_is_valid(f64::NAN, &r));
    }

    #[test]
    fn labels_and_codes() {
        assert_eq!(Excellent.label(), "Hoàn thành xuất sắc nhiệm vụ");
        assert_eq!(NotCompleted.label(), "Không hoàn thành nhiệm vụ");
        assert_eq!(serde_json::to_string(&NotCompleted).unwrap(), "\"not_completed\"");
        for l in ClassificationLevel::ALL {
            assert_eq!(ClassificationLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(Good.worse(Excellent), Good);
        assert_eq!(Good.worse(Completed), Completed);
    }

    #[test]
    fn task_results_cap_the_level() {
        let r = MembershipRules::default();
        let results = |total, completed, on_time, exceeding, has_disciplined| CollectiveResults {
            tasks_total: total,
            tasks_completed: completed,
            tasks_on_time: on_time,
            tasks_exceeding: exceeding,
            has_disciplined,
        };
        assert_eq!(classify_collective(95.0, &results(10, 10, 10, 3, false), &r), Excellent);
        assert_eq!(classify_collective(95.0, &results(10, 10, 10, 2, false), &r), Good, "under 30% exceeding");
        assert_eq!(classify_collective(95.0, &results(10, 10, 10, 5, true), &r), Good, "someone disciplined");
        assert_eq!(classify_collective(95.0, &results(10, 10, 9, 5, false), &r), Completed, "one late");
        assert_eq!(classify_collective(95.0, &results(10, 10, 8, 5, false), &r), Completed, "20% late");
        assert_eq!(classify_collective(95.0, &results(10, 10, 7, 5, false), &r), NotCompleted, "30% late");
        assert_eq!(classify_collective(95.0, &results(10, 9, 9, 5, false), &r), NotCompleted, "one not done");
        assert_eq!(classify_collective(75.0, &results(10, 10, 10, 10, false), &r), Good, "never raised");
        assert_eq!(classify_collective(95.0, &CollectiveResults::default(), &r), Excellent);
        assert_eq!(best_level_allowed(&results(3, 9, 9, 9, false), &r), Excellent, "counts are clamped");
    }

    proptest! {
        #[test]
        fn never_raises_and_never_panics(
            score in -10.0f64..120.0, total in any::<u32>(), completed in any::<u32>(),
            on_time in any::<u32>(), exceeding in any::<u32>(), disciplined in any::<bool>(),
        ) {
            let r = MembershipRules::default();
            let results = CollectiveResults {
                tasks_total: total, tasks_completed: completed, tasks_on_time: on_time,
                tasks_exceeding: exceeding, has_disciplined: disciplined,
            };
            let level = classify_collective(score, &results, &r);
            prop_assert!(level.rank() <= ClassificationLevel::from_score(score, &r).rank());
        }
    }
}
