//! The numbers of the membership regulations, in one place, as data an administrator can change.
//!
//! The defaults follow the regulations in force in 2025 (reference/domain-rules.md §4): the Party
//! Charter (Điều lệ Đảng), Quy định 232-QĐ/TW (2025, same numbers as 29-QĐ/TW of 2021) and its
//! successor 294-QĐ/TW on carrying out the Charter, and Quy định 366-QĐ/TW (30/8/2025) on
//! classification. When a regulation changes a number, the administrator edits the stored
//! settings; no new release is needed. Stored settings that lack a field (written by an older
//! release) take the default for it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{FieldError, Problems};

/// Every number the membership rules use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct MembershipRules {
    // Admission: eligibility (Quy định 232-QĐ/TW).
    /// Youngest age for admission, in years, counted by month at the chi bộ's vote ("đủ 18 tuổi").
    pub admission_min_age_years: u32,
    /// Oldest age for admission, in years, counted by month ("đến đủ 60 tuổi"); above it the
    /// committee directly under the Central Committee decides case by case.
    pub admission_max_age_years: u32,
    /// How long the certificate of the course "Nhận thức về Đảng" (CN-NTVĐ) stays valid, in years.
    pub course_certificate_valid_years: u32,
    /// How long an introducer must have worked with the applicant, in months ("ít nhất một năm").
    pub introducer_min_months_together: u32,
    /// The share of official members who must approve an admission or a recognition
    /// (Điều lệ Đảng: "ít nhất hai phần ba"): numerator …
    pub vote_approval_numerator: u32,
    /// … and denominator.
    pub vote_approval_denominator: u32,
    /// After this many votes with no 2/3 either way, the chi bộ reports to the higher committee,
    /// which decides.
    pub vote_rounds_before_referral: u32,

    // Admission and recognition: deadlines (Quy định 232-QĐ/TW; 29-QĐ/TW had the same numbers).
    /// The competent committee decides on admission within this many working days of the chi
    /// bộ's resolution (6-KNĐ).
    pub admission_decision_working_days: u32,
    /// The competent committee decides on recognition as an official member within this many
    /// working days of the chi bộ's resolution on recognition.
    pub recognition_decision_working_days: u32,
    /// The extension allowed, in special cases, to either decision above, in working days.
    pub decision_extension_working_days: u32,
    /// The admission ceremony is held within this many working days of receiving the decision.
    pub ceremony_working_days: u32,
    /// Probation (dự bị), in months, counted from the admission ceremony (Điều lệ Đảng, Điều 5).
    /// The member becomes official on its last day, even when the chi bộ meets late.
    pub probation_months: u32,
    /// The chi bộ reviews a probationary member for recognition within this many working days
    /// after the probation ends.
    pub recognition_review_working_days: u32,

    // Transfers (Quy định 294-QĐ/TW, point 6.3.1; 29-QĐ/TW).
    /// An official transfer is done within this many working days of the decision taking effect
    /// or of the move.
    pub official_transfer_working_days: u32,
    /// The member presents the introduction letter to the receiving chi ủy within this many
    /// working days.
    pub introduction_letter_working_days: u32,
    /// A temporary transfer for work or residence lasts at least this many months …
    pub temporary_transfer_min_months: u32,
    /// … and strictly less than this many months ("từ 3 tháng đến dưới 1 năm"); longer moves are
    /// official transfers.
    pub temporary_transfer_under_months: u32,
    /// A temporary transfer for a training course lasts at least this many months …
    pub training_transfer_min_months: u32,
    /// … and at most this many months ("từ 3 tháng đến 2 năm").
    pub training_transfer_max_months: u32,

    // Party age and re-admission (Điều lệ Đảng; 29-QĐ/TW).
    /// A former member may apply again only after this many months out of the Party.
    pub readmission_min_months_out: u32,
    /// How many times a person may be re-admitted ("chỉ được kết nạp lại một lần").
    pub max_readmissions: u32,

    // Classification (Quy định 366-QĐ/TW, 30/8/2025).
    /// The top of the scoring scale.
    pub classification_max_score: u32,
    /// The lowest score for "Hoàn thành xuất sắc nhiệm vụ".
    pub excellent_min_score: u32,
    /// The lowest score for "Hoàn thành tốt nhiệm vụ".
    pub good_min_score: u32,
    /// The lowest score for "Hoàn thành nhiệm vụ"; below it, "Không hoàn thành nhiệm vụ".
    pub completed_min_score: u32,
    /// A collective rated excellent has at least this share (percent) of its tasks exceeding
    /// requirements.
    pub excellent_min_exceeding_percent: u32,
    /// A collective rated "hoàn thành nhiệm vụ" has at most this share (percent) of its tasks
    /// behind schedule.
    pub completed_max_late_percent: u32,

    // Figures (roll-ups) and the Party badge.
    /// Age bands for roll-up figures: each number is the first age of a new band, so
    /// `[31, 41, 51, 61]` gives ≤30, 31–40, 41–50, 51–60, ≥61.
    pub age_band_starts: Vec<u32>,
    /// Party-age bands, in completed years, the same way: `[10, 20, 30, 40, 50]` gives <10,
    /// 10–19, 20–29, 30–39, 40–49, ≥50.
    pub party_age_band_starts: Vec<u32>,
    /// The party ages, in years, at which the Party badge (Huy hiệu Đảng) is awarded.
    pub badge_milestone_years: Vec<u32>,
    /// The days of the year the badge is awarded (3/2, 19/5, 2/9, 7/11), written `DD/MM`.
    pub badge_award_days: Vec<crate::rewards::AwardDay>,
}

impl Default for MembershipRules {
    fn default() -> Self {
        Self {
            admission_min_age_years: 18,
            admission_max_age_years: 60,
            course_certificate_valid_years: 5,
            introducer_min_months_together: 12,
            vote_approval_numerator: 2,
            vote_approval_denominator: 3,
            vote_rounds_before_referral: 3,
            admission_decision_working_days: 60,
            recognition_decision_working_days: 30,
            decision_extension_working_days: 30,
            ceremony_working_days: 30,
            probation_months: 12,
            recognition_review_working_days: 30,
            official_transfer_working_days: 60,
            introduction_letter_working_days: 30,
            temporary_transfer_min_months: 3,
            temporary_transfer_under_months: 12,
            training_transfer_min_months: 3,
            training_transfer_max_months: 24,
            readmission_min_months_out: 36,
            max_readmissions: 1,
            classification_max_score: 100,
            excellent_min_score: 90,
            good_min_score: 70,
            completed_min_score: 50,
            excellent_min_exceeding_percent: 30,
            completed_max_late_percent: 20,
            age_band_starts: vec![31, 41, 51, 61],
            party_age_band_starts: vec![10, 20, 30, 40, 50],
            badge_milestone_years: vec![30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
            badge_award_days: ["03/02", "19/05", "02/09", "07/11"]
                .iter()
                .filter_map(|d| crate::rewards::AwardDay::parse(d))
                .collect(),
        }
    }
}

/// No deadline of these rules is longer than about four years of working days; a larger number
/// is a typing error.
const MAX_WORKING_DAYS: u32 = 1000;
/// Nor is any term longer than 10 years.
const MAX_MONTHS: u32 = 120;

impl MembershipRules {
    /// Every setting that makes no sense, each with its field name and a Vietnamese reason.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();

        if self.admission_min_age_years == 0 {
            p.add("admission_min_age_years", "Tuổi tối thiểu phải lớn hơn 0");
        }
        if self.admission_max_age_years < self.admission_min_age_years || self.admission_max_age_years > 120 {
            p.add("admission_max_age_years", "Tuổi tối đa phải từ tuổi tối thiểu đến 120");
        }
        if self.course_certificate_valid_years == 0 || self.course_certificate_valid_years > 50 {
            p.add("course_certificate_valid_years", "Thời hạn giấy chứng nhận phải từ 1 đến 50 năm");
        }
        months_at_most(&mut p, "introducer_min_months_together", self.introducer_min_months_together);
        if self.vote_approval_denominator == 0 || self.vote_approval_numerator > self.vote_approval_denominator {
            p.add("vote_approval_denominator", "Tỷ lệ tán thành phải là một phân số từ 0 đến 1, mẫu số khác 0");
        }
        if self.vote_approval_numerator == 0 {
            p.add("vote_approval_numerator", "Tỷ lệ tán thành phải lớn hơn 0");
        }
        if self.vote_rounds_before_referral == 0 {
            p.add("vote_rounds_before_referral", "Số lần biểu quyết phải lớn hơn 0");
        }

        for (field, value) in [
            ("admission_decision_working_days", self.admission_decision_working_days),
            ("recognition_decision_working_days", self.recognition_decision_working_days),
            ("ceremony_working_days", self.ceremony_working_days),
            ("recognition_review_working_days", self.recognition_review_working_days),
            ("official_transfer_working_days", self.official_transfer_working_days),
            ("introduction_letter_working_days", self.introduction_letter_working_days),
        ] {
            if value == 0 || value > MAX_WORKING_DAYS {
                p.add(field, format!("Thời hạn phải từ 1 đến {MAX_WORKING_DAYS} ngày làm việc"));
            }
        }
        if self.decision_extension_working_days > MAX_WORKING_DAYS {
            p.add("decision_extension_working_days", format!("Gia hạn tối đa {MAX_WORKING_DAYS} ngày làm việc"));
        }

        if self.probation_months == 0 || self.probation_months > MAX_MONTHS {
            p.add("probation_months", format!("Thời gian dự bị phải từ 1 đến {MAX_MONTHS} tháng"));
        }
        if self.temporary_transfer_min_months == 0 {
            p.add("temporary_transfer_min_months", "Thời gian tối thiểu phải lớn hơn 0");
        }
        if self.temporary_transfer_under_months <= self.temporary_transfer_min_months
            || self.temporary_transfer_under_months > MAX_MONTHS
        {
            p.add("temporary_transfer_under_months", "Giới hạn trên phải lớn hơn thời gian tối thiểu");
        }
        if self.training_transfer_min_months == 0 {
            p.add("training_transfer_min_months", "Thời gian tối thiểu phải lớn hơn 0");
        }
        if self.training_transfer_max_months < self.training_transfer_min_months
            || self.training_transfer_max_months > MAX_MONTHS
        {
            p.add("training_transfer_max_months", "Thời gian tối đa phải không nhỏ hơn thời gian tối thiểu");
        }
        months_at_most(&mut p, "readmission_min_months_out", self.readmission_min_months_out);

        if self.classification_max_score == 0 {
            p.add("classification_max_score", "Thang điểm phải lớn hơn 0");
        }
        if !(self.classification_max_score >= self.excellent_min_score
            && self.excellent_min_score > self.good_min_score
            && self.good_min_score > self.completed_min_score)
        {
            p.add(
                "excellent_min_score",
                "Ngưỡng điểm phải giảm dần: thang điểm ≥ xuất sắc > tốt > hoàn thành nhiệm vụ",
            );
        }
        for (field, value) in [
            ("excellent_min_exceeding_percent", self.excellent_min_exceeding_percent),
            ("completed_max_late_percent", self.completed_max_late_percent),
        ] {
            if value > 100 {
                p.add(field, "Tỷ lệ phải từ 0 đến 100%");
            }
        }

        for (field, starts) in [
            ("age_band_starts", &self.age_band_starts),
            ("party_age_band_starts", &self.party_age_band_starts),
            ("badge_milestone_years", &self.badge_milestone_years),
        ] {
            let ascending = starts.windows(2).all(|w| w[0] < w[1]);
            if !ascending || starts.first() == Some(&0) || starts.len() > 30 || starts.last() > Some(&150) {
                p.add(field, "Các mốc phải tăng dần, lớn hơn 0 và không quá 150, tối đa 30 mốc");
            }
        }

        if self.badge_award_days.is_empty() || self.badge_award_days.len() > 12 {
            p.add("badge_award_days", "Từ 1 đến 12 ngày trao Huy hiệu Đảng trong năm");
        }

        p.finish()
    }

    /// Whether `yes` votes out of `members` official members (or committee members) carry a
    /// decision: at least the approval share, and someone must be entitled to vote.
    pub fn vote_approves(&self, yes: u32, members: u32) -> bool {
        members > 0
            && yes <= members
            && u64::from(yes) * u64::from(self.vote_approval_denominator)
                >= u64::from(members) * u64::from(self.vote_approval_numerator)
    }

    /// Whether, after `rounds` votes without the approval share either way, the case goes to the
    /// higher committee.
    pub fn needs_referral(&self, rounds: u32) -> bool {
        rounds >= self.vote_rounds_before_referral
    }
}

fn months_at_most(p: &mut Problems, field: &str, value: u32) {
    if value > MAX_MONTHS {
        p.add(field, format!("Tối đa {MAX_MONTHS} tháng"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rules: &MembershipRules) -> Vec<String> {
        rules.validate().err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn defaults_are_valid_and_follow_the_regulations() {
        let r = MembershipRules::default();
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.admission_decision_working_days, 60);
        assert_eq!(r.probation_months, 12);
        assert_eq!((r.excellent_min_score, r.good_min_score, r.completed_min_score), (90, 70, 50));
    }

    #[test]
    fn nonsense_is_refused() {
        let r = MembershipRules { probation_months: 0, ..Default::default() };
        assert_eq!(fields(&r), ["probation_months"]);
        let r = MembershipRules { good_min_score: 95, ..Default::default() };
        assert_eq!(fields(&r), ["excellent_min_score"]);
        let r = MembershipRules { excellent_min_score: 101, ..Default::default() };
        assert_eq!(fields(&r), ["excellent_min_score"]);
        let r = MembershipRules { age_band_starts: vec![41, 31], ..Default::default() };
        assert_eq!(fields(&r), ["age_band_starts"]);
        let r = MembershipRules { party_age_band_starts: vec![0, 10], ..Default::default() };
        assert_eq!(fields(&r), ["party_age_band_starts"]);
        let r = MembershipRules {
            admission_max_age_years: 10,
            temporary_transfer_under_months: 3,
            admission_decision_working_days: 0,
            vote_approval_denominator: 0,
            ..Default::default()
        };
        assert_eq!(
            fields(&r),
            [
                "admission_max_age_years",
                "vote_approval_denominator",
                "admission_decision_working_days",
                "temporary_transfer_under_months"
            ]
        );
    }

    #[test]
    fn partial_settings_take_defaults() {
        let r: MembershipRules = serde_json::from_str(r#"{"probation_months": 6}"#).unwrap();
        assert_eq!(r.probation_months, 6);
        assert_eq!(r.admission_decision_working_days, 60);
        let json = serde_json::to_value(MembershipRules::default()).unwrap();
        assert_eq!(json["badge_milestone_years"][0], 30);
        let back: MembershipRules = serde_json::from_value(json).unwrap();
        assert_eq!(back, MembershipRules::default());
    }

    #[test]
    fn two_thirds() {
        let r = MembershipRules::default();
        assert!(r.vote_approves(2, 3));
        assert!(r.vote_approves(6, 9));
        assert!(!r.vote_approves(5, 9));
        assert!(r.vote_approves(4, 6));
        assert!(!r.vote_approves(3, 5));
        assert!(!r.vote_approves(0, 0));
        assert!(!r.vote_approves(7, 6));
        assert!(!r.needs_referral(2));
        assert!(r.needs_referral(3));
    }
}
