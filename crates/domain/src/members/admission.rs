//! The admission pipeline: from "quần chúng ưu tú" to official member, with the deadlines of
//! Quy định 232-QĐ/TW and the Charter (reference/domain-rules.md §4.1–4.3).
//!
//! Nothing here is stored: the registry records the dates of what happened
//! ([`AdmissionCase`]) and [`admission_progress`] derives, for each step, whether it is done, due
//! or late on a given day, so that the status cannot drift from the dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::Problems;

use super::months::{add_months, add_years, calendar_months};
use super::rules::MembershipRules;
use super::working_days::{HolidayCalendar, add_working_days};

/// The steps of admission, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionStep {
    /// The chi bộ lists the person as an outstanding candidate (quần chúng ưu tú, cảm tình Đảng).
    CandidateListed,
    /// The course "Nhận thức về Đảng" and its certificate (CN-NTVĐ).
    Course,
    /// Application (1-KNĐ) and background record (2-KNĐ).
    Application,
    /// Introduction by official members (3-KNĐ) or by the youth union (4-KNĐ).
    Introducers,
    /// The chi bộ's resolution proposing admission (6-KNĐ).
    CellVote,
    /// The grassroots committee's resolution (8-KNĐ).
    GrassrootsResolution,
    /// The competent committee's admission decision (9-KNĐ); party age counts from it.
    AdmissionDecision,
    /// The admission ceremony; probation counts from it.
    Ceremony,
    /// Probation (dự bị), 12 months from the ceremony.
    Probation,
    /// The chi bộ's resolution on recognition as an official member.
    RecognitionVote,
    /// The competent committee's decision recognising the official member.
    Recognition,
}

impl AdmissionStep {
    pub const ALL: [AdmissionStep; 11] = [
        AdmissionStep::CandidateListed,
        AdmissionStep::Course,
        AdmissionStep::Application,
        AdmissionStep::Introducers,
        AdmissionStep::CellVote,
        AdmissionStep::GrassrootsResolution,
        AdmissionStep::AdmissionDecision,
        AdmissionStep::Ceremony,
        AdmissionStep::Probation,
        AdmissionStep::RecognitionVote,
        AdmissionStep::Recognition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdmissionStep::CandidateListed => "candidate_listed",
            AdmissionStep::Course => "course",
            AdmissionStep::Application => "application",
            AdmissionStep::Introducers => "introducers",
            AdmissionStep::CellVote => "cell_vote",
            AdmissionStep::GrassrootsResolution => "grassroots_resolution",
            AdmissionStep::AdmissionDecision => "admission_decision",
            AdmissionStep::Ceremony => "ceremony",
            AdmissionStep::Probation => "probation",
            AdmissionStep::RecognitionVote => "recognition_vote",
            AdmissionStep::Recognition => "recognition",
        }
    }

    pub fn parse(s: &str) -> Option<AdmissionStep> {
        AdmissionStep::ALL.into_iter().find(|step| step.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdmissionStep::CandidateListed => "Quần chúng ưu tú (cảm tình Đảng)",
            AdmissionStep::Course => "Lớp bồi dưỡng nhận thức về Đảng",
            AdmissionStep::Application => "Đơn xin vào Đảng và lý lịch",
            AdmissionStep::Introducers => "Người giới thiệu",
            AdmissionStep::CellVote => "Chi bộ xét, đề nghị kết nạp",
            AdmissionStep::GrassrootsResolution => "Nghị quyết của đảng ủy cơ sở",
            AdmissionStep::AdmissionDecision => "Quyết định kết nạp",
            AdmissionStep::Ceremony => "Lễ kết nạp",
            AdmissionStep::Probation => "Thời kỳ dự bị",
            AdmissionStep::RecognitionVote => "Chi bộ xét công nhận đảng viên chính thức",
            AdmissionStep::Recognition => "Quyết định công nhận đảng viên chính thức",
        }
    }

    /// The form of the step's paper, where there is one (HD 12-HD/BTCTW, 2022 form set).
    pub fn form(self) -> Option<&'static str> {
        match self {
            AdmissionStep::Course => Some("CN-NTVĐ"),
            AdmissionStep::Application => Some("1-KNĐ, 2-KNĐ"),
            AdmissionStep::Introducers => Some("3-KNĐ, 4-KNĐ"),
            AdmissionStep::CellVote => Some("6-KNĐ"),
            AdmissionStep::GrassrootsResolution => Some("8-KNĐ"),
            AdmissionStep::AdmissionDecision => Some("9-KNĐ"),
            _ => None,
        }
    }
}

/// The dates recorded so far for one person's admission; every field is optional because a case
/// is recorded as it goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct AdmissionCase {
    pub candidate_listed_on: Option<NaiveDate>,
    /// The date of the course certificate.
    pub course_certificate_on: Option<NaiveDate>,
    pub application_on: Option<NaiveDate>,
    pub introduced_on: Option<NaiveDate>,
    /// The chi bộ's resolution proposing admission (6-KNĐ).
    pub cell_vote_on: Option<NaiveDate>,
    pub grassroots_resolution_on: Option<NaiveDate>,
    /// The admission decision (9-KNĐ): the date party age counts from.
    pub admission_decision_on: Option<NaiveDate>,
    /// The competent committee extended its time to decide on admission (special cases).
    pub admission_extended: bool,
    /// When the chi bộ received the decision; the ceremony is due from this day, or from the
    /// decision date when it is not recorded.
    pub decision_received_on: Option<NaiveDate>,
    pub ceremony_on: Option<NaiveDate>,
    /// The chi bộ's resolution on recognition as an official member.
    pub recognition_vote_on: Option<NaiveDate>,
    /// The competent committee extended its time to decide on recognition.
    pub recognition_extended: bool,
    pub recognition_decision_on: Option<NaiveDate>,
}

/// The names of the steps' dates, in the order the steps happen (the store's columns bear
/// the same names).
pub const CASE_DATES: [&str; 11] = [
    "candidate_listed_on",
    "course_certificate_on",
    "application_on",
    "introduced_on",
    "cell_vote_on",
    "grassroots_resolution_on",
    "admission_decision_on",
    "decision_received_on",
    "ceremony_on",
    "recognition_vote_on",
    "recognition_decision_on",
];

impl AdmissionCase {
    /// The dates of the steps, in the order of [`CASE_DATES`].
    pub fn dates(&self) -> [Option<NaiveDate>; 11] {
        [
            self.candidate_listed_on,
            self.course_certificate_on,
            self.application_on,
            self.introduced_on,
            self.cell_vote_on,
            self.grassroots_resolution_on,
            self.admission_decision_on,
            self.decision_received_on,
            self.ceremony_on,
            self.recognition_vote_on,
            self.recognition_decision_on,
        ]
    }

    /// The rules a case's dates keep, every problem at once: nothing in the future, the steps in
    /// their order, each step after the one it needs, and the conditions of §4.1 on the day the
    /// chi bộ votes.
    pub fn check(
        &self,
        birth_date: Option<NaiveDate>,
        today: NaiveDate,
        rules: &MembershipRules,
        problems: &mut Problems,
    ) {
        let dates = self.dates();
        for (field, date) in CASE_DATES.iter().zip(dates) {
            if date.is_some_and(|d| d > today) {
                problems.add(*field, "Ngày ở tương lai");
            }
        }
        // The course certificate may come before the listing (it is valid five years), so it
        // stays out of the order.
        let mut latest: Option<(&str, NaiveDate)> = None;
        for (field, date) in CASE_DATES.iter().zip(dates) {
            if *field == "course_certificate_on" {
                continue;
            }
            let Some(date) = date else { continue };
            if let Some((before, at)) = latest
                && date < at
            {
                problems.add(*field, format!("Ngày trước bước trước đó ({before})"));
            }
            latest = Some((field, date));
        }
        let needs = [
            (
                "cell_vote_on",
                self.cell_vote_on.is_some(),
                self.application_on.is_some(),
                "Chưa ghi ngày đơn xin vào Đảng",
            ),
            (
                "admission_decision_on",
                self.admission_decision_on.is_some(),
                self.cell_vote_on.is_some(),
                "Chưa ghi ngày chi bộ xét, đề nghị kết nạp",
            ),
            (
                "ceremony_on",
                self.ceremony_on.is_some(),
                self.admission_decision_on.is_some(),
                "Chưa ghi ngày quyết định kết nạp",
            ),
            (
                "recognition_vote_on",
                self.recognition_vote_on.is_some(),
                self.ceremony_on.is_some(),
                "Chưa ghi ngày lễ kết nạp",
            ),
            (
                "recognition_decision_on",
                self.recognition_decision_on.is_some(),
                self.recognition_vote_on.is_some(),
                "Chưa ghi ngày chi bộ xét công nhận chính thức",
            ),
        ];
        for (field, recorded, prerequisite, message) in needs {
            if recorded && !prerequisite {
                problems.add(field, message);
            }
        }
        if let (Some(vote), Some(ceremony)) = (self.recognition_vote_on, self.ceremony_on)
            && vote < probation_ends_on(ceremony, rules)
        {
            problems.add("recognition_vote_on", "Chi bộ xét công nhận khi thời kỳ dự bị (12 tháng) chưa kết thúc");
        }
        if let Some(vote) = self.cell_vote_on {
            let applicant = Applicant {
                birth_date,
                course_certificate_on: self.course_certificate_on,
                // The introducers' time with the applicant is checked on paper (3-KNĐ); here the
                // step being recorded stands for it.
                introducer_months_together: self
                    .introduced_on
                    .map(|_| vec![rules.introducer_min_months_together])
                    .unwrap_or_default(),
            };
            for problem in check_eligibility(&applicant, vote, rules) {
                // Over the age limit the decision moves up; it is not refused.
                if !matches!(problem, EligibilityProblem::OverAge { .. }) {
                    problems.add("cell_vote_on", problem.to_string());
                }
            }
        }
    }
}

/// Where a step stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Done (`done_on` says when; later than `due_on` means it was done late).
    Done,
    /// Under way with a deadline not yet passed.
    Due,
    /// Not done and its deadline has passed.
    Late,
    /// Not done and no deadline runs yet (the step before is not done, or no rule sets one).
    NotYet,
}

impl StepState {
    pub fn label(self) -> &'static str {
        match self {
            StepState::Done => "Đã xong",
            StepState::Due => "Đang trong thời hạn",
            StepState::Late => "Quá hạn",
            StepState::NotYet => "Chưa đến",
        }
    }
}

/// One line of the pipeline, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StepProgress {
    pub step: AdmissionStep,
    pub state: StepState,
    pub done_on: Option<NaiveDate>,
    /// The deadline the rules set, once the step it counts from is done.
    pub due_on: Option<NaiveDate>,
}

impl StepProgress {
    /// Done, but after its deadline.
    pub fn done_late(&self) -> bool {
        matches!((self.done_on, self.due_on), (Some(done), Some(due)) if done > due)
    }
}

/// The last day of probation, which is also the day the member becomes official if recognised,
/// "even if the chi bộ met late": 12 months from the ceremony (Điều lệ Đảng, Điều 5), with
/// month ends falling back (29/02/2024 → 28/02/2025).
pub fn probation_ends_on(ceremony_on: NaiveDate, rules: &MembershipRules) -> NaiveDate {
    add_months(ceremony_on, rules.probation_months)
}

impl AdmissionCase {
    /// The day probation ends, once the ceremony is recorded.
    pub fn probation_ends_on(&self, rules: &MembershipRules) -> Option<NaiveDate> {
        self.ceremony_on.map(|c| probation_ends_on(c, rules))
    }

    /// The date of becoming an official member: the end of probation, once recognised.
    pub fn official_on(&self, rules: &MembershipRules) -> Option<NaiveDate> {
        self.recognition_decision_on.and(self.probation_ends_on(rules))
    }
}

/// Every step of `case` in order, with its state on `today`.
///
/// Deadlines (in working days of `calendar`): admission decision 60 from the chi bộ's
/// resolution (+30 if extended); ceremony 30 from receiving the decision; probation ends 12
/// months after the ceremony; the chi bộ's recognition vote 30 after probation ends; the
/// recognition decision 30 after that vote (+30 if extended). The steps before the chi bộ's vote
/// have no deadline.
pub fn admission_progress(
    case: &AdmissionCase,
    today: NaiveDate,
    rules: &MembershipRules,
    calendar: &HolidayCalendar,
) -> Vec<StepProgress> {
    let within = |from: Option<NaiveDate>, working_days: u32| from.map(|d| add_working_days(d, working_days, calendar));
    let extension = |extended: bool| if extended { rules.decision_extension_working_days } else { 0 };
    let probation_end = case.probation_ends_on(rules);

    AdmissionStep::ALL
        .into_iter()
        .map(|step| {
            let (done_on, due_on) = match step {
                AdmissionStep::CandidateListed => (case.candidate_listed_on, None),
                AdmissionStep::Course => (case.course_certificate_on, None),
                AdmissionStep::Application => (case.application_on, None),
                AdmissionStep::Introducers => (case.introduced_on, None),
                AdmissionStep::CellVote => (case.cell_vote_on, None),
                AdmissionStep::GrassrootsResolution => (case.grassroots_resolution_on, None),
                AdmissionStep::AdmissionDecision => (
                    case.admission_decision_on,
                    within(
                        case.cell_vote_on,
                        rules.admission_decision_working_days.saturating_add(extension(case.admission_extended)),
                    ),
                ),
                AdmissionStep::Ceremony => (
                    case.ceremony_on,
                    within(case.decision_received_on.or(case.admission_decision_on), rules.ceremony_working_days),
                ),
                // A period, not an act: it is over on its last day.
                AdmissionStep::Probation => (probation_end.filter(|end| *end <= today), probation_end),
                AdmissionStep::RecognitionVote => {
                    (case.recognition_vote_on, within(probation_end, rules.recognition_review_working_days))
                }
                AdmissionStep::Recognition => (
                    case.recognition_decision_on,
                    within(
                        case.recognition_vote_on,
                        rules.recognition_decision_working_days.saturating_add(extension(case.recognition_extended)),
                    ),
                ),
            };
            let state = match (done_on, due_on) {
                (Some(_), _) => StepState::Done,
                (None, Some(due)) if due < today => StepState::Late,
                (None, Some(_)) => StepState::Due,
                (None, None) => StepState::NotYet,
            };
            StepProgress { step, state, done_on, due_on }
        })
        .collect()
}

/// What the rules need to know about an applicant when the chi bộ votes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Applicant {
    pub birth_date: Option<NaiveDate>,
    pub course_certificate_on: Option<NaiveDate>,
    /// For each introducer, the months they have worked with the applicant.
    pub introducer_months_together: Vec<u32>,
}

/// A reason an applicant does not meet the conditions on the day of the chi bộ's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EligibilityProblem {
    #[error("Chưa có ngày sinh")]
    NoBirthDate,
    #[error("Chưa đủ {min_years} tuổi (tính theo tháng) khi chi bộ xét kết nạp")]
    TooYoung { age_months: i64, min_years: u32 },
    #[error(
        "Trên {max_years} tuổi (tính theo tháng): việc kết nạp do cấp ủy trực thuộc Trung ương xem xét, quyết định"
    )]
    OverAge { age_months: i64, max_years: u32 },
    #[error("Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng")]
    NoCourseCertificate,
    #[error("Giấy chứng nhận học lớp nhận thức về Đảng cấp sau ngày chi bộ xét kết nạp")]
    CourseCertificateAfterVote,
    #[error("Giấy chứng nhận học lớp nhận thức về Đảng đã hết hạn từ ngày {}", crate::vi::date(*expired_on))]
    CourseCertificateExpired { expired_on: NaiveDate },
    #[error("Chưa có người giới thiệu")]
    NoIntroducer,
    #[error("Người giới thiệu thứ {number} mới công tác cùng {months} tháng, chưa đủ {min_months} tháng")]
    IntroducerTooShort { number: usize, months: u32, min_months: u32 },
}

/// Age "tính theo tháng" on `on`: the calendar months from the month of birth, the day of the
/// month not counting (born in 05/2007: 18 years, i.e. 216 months, for the whole of 05/2025).
pub fn admission_age_months(birth: NaiveDate, on: NaiveDate) -> i64 {
    calendar_months(birth, on)
}

/// The last day the course certificate is valid: the same day `course_certificate_valid_years`
/// later (a term ends at the end of the corresponding day).
pub fn course_certificate_valid_until(certificate_on: NaiveDate, rules: &MembershipRules) -> NaiveDate {
    add_years(certificate_on, rules.course_certificate_valid_years)
}

/// Every condition of §4.1 the applicant fails on `cell_vote_on`, the day the chi bộ considers
/// the admission: age 18 to 60 counted by month (from 18 years 0 months to 60 years 0 months),
/// a course certificate issued no more than 5 years before, and at least one introducer who has
/// worked with the applicant for 12 months. Over 60 is not forbidden but moves the decision up.
pub fn check_eligibility(
    applicant: &Applicant,
    cell_vote_on: NaiveDate,
    rules: &MembershipRules,
) -> Vec<EligibilityProblem> {
    let mut problems = Vec::new();

    match applicant.birth_date {
        None => problems.push(EligibilityProblem::NoBirthDate),
        Some(birth) => {
            let age_months = admission_age_months(birth, cell_vote_on);
            if age_months < i64::from(rules.admission_min_age_years) * 12 {
                problems.push(EligibilityProblem::TooYoung { age_months, min_years: rules.admission_min_age_years });
            } else if age_months > i64::from(rules.admission_max_age_years) * 12 {
                problems.push(EligibilityProblem::OverAge { age_months, max_years: rules.admission_max_age_years });
            }
        }
    }

    match applicant.course_certificate_on {
        None => problems.push(EligibilityProblem::NoCourseCertificate),
        Some(issued) if issued > cell_vote_on => problems.push(EligibilityProblem::CourseCertificateAfterVote),
        Some(issued) => {
            let valid_until = course_certificate_valid_until(issued, rules);
            if cell_vote_on > valid_until {
                problems.push(EligibilityProblem::CourseCertificateExpired { expired_on: valid_until });
            }
        }
    }

    if applicant.introducer_months_together.is_empty() {
        problems.push(EligibilityProblem::NoIntroducer);
    }
    for (i, &months) in applicant.introducer_months_together.iter().enumerate() {
        if months < rules.introducer_min_months_together {
            problems.push(EligibilityProblem::IntroducerTooShort {
                number: i + 1,
                months,
                min_months: rules.introducer_min_months_together,
            });
        }
    }

    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn states(progress: &[StepProgress]) -> Vec<(AdmissionStep, StepState)> {
        progress.iter().map(|p| (p.step, p.state)).collect()
    }

    #[test]
    fn probation_is_twelve_months_from_the_ceremony() {
        let r = MembershipRules::default();
        assert_eq!(probation_ends_on(d(2024, 2, 29), &r), d(2025, 2, 28));
        assert_eq!(probation_ends_on(d(2025, 1, 31), &r), d(2026, 1, 31));
        assert_eq!(probation_ends_on(d(2023, 2, 28), &r), d(2024, 2, 28));
        assert_eq!(probation_ends_on(d(2025, 7, 1), &r), d(2026, 7, 1));
        let r6 = MembershipRules { probation_months: 1, ..Default::default() };
        assert_eq!(probation_ends_on(d(2025, 1, 31), &r6), d(2025, 2, 28));
    }

    #[test]
    fn official_on_is_the_end_of_probation_even_when_the_cell_met_late() {
        let r = MembershipRules::default();
        let case = AdmissionCase {
            ceremony_on: Some(d(2024, 2, 29)),
            recognition_vote_on: Some(d(2025, 6, 1)),
            recognition_decision_on: Some(d(2025, 7, 1)),
            ..Default::default()
        };
        assert_eq!(case.official_on(&r), Some(d(2025, 2, 28)));
        let pending = AdmissionCase { recognition_decision_on: None, ..case };
        assert_eq!(pending.official_on(&r), None);
        assert_eq!(pending.probation_ends_on(&r), Some(d(2025, 2, 28)));
    }

    #[test]
    fn deadlines_count_working_days_and_holidays() {
        let r = MembershipRules::default();
        let mut cal = HolidayCalendar::vietnam_fixed(2025);
        for day in 27..=31 {
            cal.add_holiday(d(2025, 1, day));
        }
        let case = AdmissionCase {
            candidate_listed_on: Some(d(2024, 3, 1)),
            course_certificate_on: Some(d(2024, 5, 10)),
            application_on: Some(d(2024, 9, 1)),
            introduced_on: Some(d(2024, 10, 1)),
            cell_vote_on: Some(d(2025, 1, 2)),
            ..Default::default()
        };
        let progress = admission_progress(&case, d(2025, 3, 1), &r, &cal);
        assert_eq!(progress.len(), AdmissionStep::ALL.len());
        let decision = progress[6];
        assert_eq!(decision.step, AdmissionStep::AdmissionDecision);
        assert_eq!(decision.due_on, Some(d(2025, 4, 3)));
        assert_eq!(decision.state, StepState::Due);
        assert_eq!(progress[5].state, StepState::NotYet, "no separate deadline for 8-KNĐ");
        let late = admission_progress(&case, d(2025, 4, 4), &r, &cal);
        assert_eq!(late[6].state, StepState::Late);
        // With the extension, 30 working days more.
        let extended = AdmissionCase { admission_extended: true, ..case.clone() };
        let progress = admission_progress(&extended, d(2025, 4, 4), &r, &cal);
        assert_eq!(progress[6].state, StepState::Due);
        assert_eq!(progress[6].due_on, Some(add_working_days(d(2025, 4, 3), 30, &cal)));
    }

    #[test]
    fn a_whole_case() {
        let r = MembershipRules::default();
        let cal = HolidayCalendar::vietnam_fixed(2024);
        let case = AdmissionCase {
            candidate_listed_on: Some(d(2023, 1, 10)),
            course_certificate_on: Some(d(2023, 3, 15)),
            application_on: Some(d(2023, 6, 1)),
            introduced_on: Some(d(2023, 6, 5)),
            cell_vote_on: Some(d(2023, 11, 20)),
            grassroots_resolution_on: Some(d(2023, 12, 5)),
            admission_decision_on: Some(d(2024, 1, 10)),
            decision_received_on: Some(d(2024, 1, 15)),
            ceremony_on: Some(d(2024, 2, 29)),
            ..Default::default()
        };
        let during = admission_progress(&case, d(2024, 9, 1), &r, &cal);
        assert_eq!(
            states(&during)[6..],
            [
                (AdmissionStep::AdmissionDecision, StepState::Done),
                (AdmissionStep::Ceremony, StepState::Done),
                (AdmissionStep::Probation, StepState::Due),
                (AdmissionStep::RecognitionVote, StepState::Due),
                (AdmissionStep::Recognition, StepState::NotYet),
            ]
        );
        assert_eq!(during[8].due_on, Some(d(2025, 2, 28)));
        // The ceremony counts from the receipt: 30 working days after 15/1/2024 is 26/2/2024 (Tết
        // 2024 is not in this calendar), so the ceremony on 29/2 was late.
        assert_eq!(during[7].due_on, Some(d(2024, 2, 26)));
        assert!(during[7].done_late());
        assert!(!during[6].done_late());

        let after = admission_progress(&case, d(2025, 2, 28), &r, &cal);
        assert_eq!(after[8].state, StepState::Done);
        assert_eq!(after[8].done_on, Some(d(2025, 2, 28)));
        // The chi bộ reviews within 30 working days after probation ends.
        assert_eq!(after[9].due_on, Some(add_working_days(d(2025, 2, 28), 30, &cal)));
        let late_review = admission_progress(&case, d(2025, 6, 1), &r, &cal);
        assert_eq!(late_review[9].state, StepState::Late);

        let voted = AdmissionCase { recognition_vote_on: Some(d(2025, 3, 10)), ..case };
        let progress = admission_progress(&voted, d(2025, 3, 11), &r, &cal);
        assert_eq!(progress[10].state, StepState::Due);
        assert_eq!(progress[10].due_on, Some(add_working_days(d(2025, 3, 10), 30, &cal)));
    }

    #[test]
    fn steps_and_labels() {
        for step in AdmissionStep::ALL {
            assert_eq!(AdmissionStep::parse(step.as_str()), Some(step));
            assert!(!step.label().is_empty());
        }
        assert_eq!(AdmissionStep::CellVote.form(), Some("6-KNĐ"));
        assert!(AdmissionStep::CandidateListed < AdmissionStep::Recognition);
        assert_eq!(serde_json::to_string(&AdmissionStep::GrassrootsResolution).unwrap(), "\"grassroots_resolution\"");
        let json = serde_json::to_value(StepProgress {
            step: AdmissionStep::Ceremony,
            state: StepState::NotYet,
            done_on: None,
            due_on: Some(d(2025, 1, 2)),
        })
        .unwrap();
        assert_eq!(json["state"], "not_yet");
        assert_eq!(json["due_on"], "2025-01-02");
    }

    fn applicant(birth: NaiveDate, course: NaiveDate, introducers: &[u32]) -> Applicant {
        Applicant {
            birth_date: Some(birth),
            course_certificate_on: Some(course),
            introducer_months_together: introducers.to_vec(),
        }
    }

    #[test]
    fn age_is_counted_by_month() {
        let r = MembershipRules::default();
        let course = d(2025, 1, 1);
        // Born 31/05/2007: 18 for the whole of May 2025, from the 1st.
        assert_eq!(check_eligibility(&applicant(d(2007, 5, 31), course, &[12]), d(2025, 5, 1), &r), []);
        assert_eq!(
            check_eligibility(&applicant(d(2007, 5, 31), course, &[12]), d(2025, 4, 30), &r),
            [EligibilityProblem::TooYoung { age_months: 215, min_years: 18 }]
        );
        // Born 01/03/1965: 60 years 0 months for the whole of March 2025; April is over 60.
        assert_eq!(check_eligibility(&applicant(d(1965, 3, 1), course, &[12]), d(2025, 3, 31), &r), []);
        let over = check_eligibility(&applicant(d(1965, 3, 1), course, &[12]), d(2025, 4, 1), &r);
        assert_eq!(over, [EligibilityProblem::OverAge { age_months: 721, max_years: 60 }]);
        assert!(over[0].to_string().contains("cấp ủy trực thuộc Trung ương"));
    }

    #[test]
    fn certificate_and_introducers() {
        let r = MembershipRules::default();
        let birth = d(2000, 1, 1);
        // Issued 29/02/2020: valid through 28/02/2025.
        assert_eq!(course_certificate_valid_until(d(2020, 2, 29), &r), d(2025, 2, 28));
        assert_eq!(check_eligibility(&applicant(birth, d(2020, 2, 29), &[24, 12]), d(2025, 2, 28), &r), []);
        let problems = check_eligibility(&applicant(birth, d(2020, 2, 29), &[24, 11]), d(2025, 3, 1), &r);
        assert_eq!(
            problems,
            [
                EligibilityProblem::CourseCertificateExpired { expired_on: d(2025, 2, 28) },
                EligibilityProblem::IntroducerTooShort { number: 2, months: 11, min_months: 12 },
            ]
        );
        assert_eq!(problems[0].to_string(), "Giấy chứng nhận học lớp nhận thức về Đảng đã hết hạn từ ngày 28/02/2025");
        let none = Applicant::default();
        assert_eq!(
            check_eligibility(&none, d(2025, 1, 1), &r),
            [
                EligibilityProblem::NoBirthDate,
                EligibilityProblem::NoCourseCertificate,
                EligibilityProblem::NoIntroducer
            ]
        );
        assert_eq!(
            check_eligibility(&applicant(birth, d(2025, 2, 1), &[12]), d(2025, 1, 1), &r),
            [EligibilityProblem::CourseCertificateAfterVote]
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..401_000).prop_map(|n| d(1900, 1, 1) + chrono::Days::new(n))
    }

    proptest! {
        #[test]
        fn never_panics(
            dates in prop::collection::vec(prop::option::of(any_date()), 11),
            extended in any::<(bool, bool)>(),
            today in any_date(),
            months in prop::collection::vec(0u32..100, 0..4),
        ) {
            let case = AdmissionCase {
                candidate_listed_on: dates[0],
                course_certificate_on: dates[1],
                application_on: dates[2],
                introduced_on: dates[3],
                cell_vote_on: dates[4],
                grassroots_resolution_on: dates[5],
                admission_decision_on: dates[6],
                admission_extended: extended.0,
                decision_received_on: dates[7],
                ceremony_on: dates[8],
                recognition_vote_on: dates[9],
                recognition_extended: extended.1,
                recognition_decision_on: dates[10],
            };
            let r = MembershipRules::default();
            let cal = HolidayCalendar::vietnam_fixed(2025);
            let progress = admission_progress(&case, today, &r, &cal);
            prop_assert_eq!(progress.len(), 11);
            for p in &progress {
                prop_assert_eq!(p.state == StepState::Done, p.done_on.is_some());
                if let (Some(due), Some(from)) = (p.due_on, case.cell_vote_on)
                    && p.step == AdmissionStep::AdmissionDecision
                {
                    prop_assert!(due > from);
                }
            }
            let applicant = Applicant { birth_date: dates[0], course_certificate_on: dates[1], introducer_months_together: months };
            let _ = check_eligibility(&applicant, today, &r).iter().map(ToString::to_string).count();
        }
    }

    #[test]
    fn a_case_is_checked_for_order_future_dates_and_missing_steps_at_once() {
        let on = |s: &str| s.parse::<NaiveDate>().unwrap();
        let rules = MembershipRules::default();
        let today = on("2026-06-01");
        let fields = |case: &AdmissionCase| {
            let mut problems = crate::validation::Problems::new();
            case.check(Some(on("1995-01-01")), today, &rules, &mut problems);
            problems.finish().err().unwrap_or_default().into_iter().map(|e| e.field).collect::<Vec<_>>()
        };
        let case = AdmissionCase {
            candidate_listed_on: Some(on("2026-01-10")),
            application_on: Some(on("2026-01-05")),
            ceremony_on: Some(on("2026-07-01")),
            ..AdmissionCase::default()
        };
        // The application before the listing, a ceremony to come, and no decision before it.
        assert_eq!(fields(&case), ["ceremony_on", "application_on", "ceremony_on"]);
        let fine = AdmissionCase {
            candidate_listed_on: Some(on("2026-01-10")),
            application_on: Some(on("2026-02-05")),
            ..AdmissionCase::default()
        };
        assert!(fields(&fine).is_empty());
    }
}
