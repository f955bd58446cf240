//! The numbers of personnel work, each named after the text it follows. Those marked
//! "not read verbatim" come from the press and guidance, not from the regulation's own text
//! (`domain-rules.md` §6): they are defaults an administrator checks against the text in force.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{FieldError, Problems};

/// The retirement age in normal working conditions, rising each year to a final age
/// (Bộ luật Lao động 2019 Điều 169; Nghị định 135/2020/NĐ-CP Điều 4): men 60 years 3 months
/// in 2021, three months more each year up to 62; women 55 years 4 months in 2021, four months
/// more each year up to 60. Before the first year the age is one step lower (60 and 55, the
/// rule before 2021).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RetirementAge {
    /// The first year of the ramp.
    pub first_year: i32,
    /// The age in that year, in months.
    pub first_age_months: u32,
    /// Months added each later year.
    pub step_months: u32,
    /// The age the ramp stops at, in months.
    pub final_age_months: u32,
}

impl RetirementAge {
    /// The retirement age, in months, for someone who reaches it in `year`.
    pub fn in_year(&self, year: i32) -> u32 {
        if year < self.first_year {
            return self.first_age_months.saturating_sub(self.step_months);
        }
        let steps = u32::try_from(year - self.first_year).unwrap_or(u32::MAX);
        self.first_age_months.saturating_add(steps.saturating_mul(self.step_months)).min(self.final_age_months)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PersonnelRules {
    /// Bộ luật Lao động 2019 Điều 169, NĐ 135/2020 Điều 4: men.
    pub retirement_men: RetirementAge,
    /// The same, women.
    pub retirement_women: RetirementAge,
    /// Điều lệ Đảng Điều 13: a committee's term is five years.
    pub term_years: u32,
    /// Chỉ thị của Bộ Chính trị về đại hội đảng bộ các cấp (not read verbatim): who joins a
    /// committee for the first time, or enters a planning pool, has at least this many months
    /// of working age left from the start of the term ("đủ tuổi công tác trọn một nhiệm kỳ").
    pub first_time_min_months: u32,
    /// The same Chỉ thị (not read verbatim): who is re-elected has at least this many months
    /// left ("ít nhất 1/2 nhiệm kỳ").
    pub reelection_min_months: u32,
    /// Not read verbatim: one person holds a head's post (secretary, inspection chair, head of
    /// board) of the same organisation for at most this many consecutive terms.
    pub max_consecutive_terms: u32,
    /// Quy định 50-QĐ/TW (2021) về công tác quy hoạch cán bộ (not read verbatim): a post's
    /// pool holds at most this many people …
    pub planning_max_per_post: u32,
    /// … and, by the guidance, at least this many.
    pub planning_min_per_post: u32,
    /// QĐ 50 (not read verbatim): one person is in the pools of at most this many posts.
    pub planning_max_posts_per_person: u32,
    /// HD 16-HD/BTCTW (2022) (not read verbatim): women make at least this share of a pool, in
    /// percent …
    pub planning_min_women_percent: u32,
    /// … young cadres at least this share …
    pub planning_min_young_percent: u32,
    /// … "young" being under this age at the start of the term.
    pub young_age_years: u32,
    /// The standards each person of a pool is checked against (QĐ 50: tiêu chuẩn chung and
    /// those of the post), shown as a checklist.
    pub planning_standards: Vec<String>,
    /// The numbers of the five-step procedure (QĐ 80-QĐ/TW, not read verbatim).
    pub nomination: super::nomination::NominationRules,
}

impl Default for PersonnelRules {
    fn default() -> Self {
        PersonnelRules {
            retirement_men: RetirementAge {
                first_year: 2021,
                first_age_months: 60 * 12 + 3,
                step_months: 3,
                final_age_months: 62 * 12,
            },
            retirement_women: RetirementAge {
                first_year: 2021,
                first_age_months: 55 * 12 + 4,
                step_months: 4,
                final_age_months: 60 * 12,
            },
            term_years: 5,
            first_time_min_months: 60,
            reelection_min_months: 30,
            max_consecutive_terms: 2,
            planning_max_per_post: 3,
            planning_min_per_post: 2,
            planning_max_posts_per_person: 3,
            planning_min_women_percent: 15,
            planning_min_young_percent: 15,
            young_age_years: 40,
            planning_standards: [
                "Bản lĩnh chính trị, phẩm chất đạo đức",
                "Trình độ chuyên môn đại học trở lên",
                "Trình độ lý luận chính trị theo chức danh",
                "Đã kinh qua vị trí lãnh đạo cấp dưới",
                "Xếp loại hoàn thành tốt nhiệm vụ trở lên các năm gần nhất",
                "Đủ sức khỏe",
            ]
            .map(String::from)
            .to_vec(),
            nomination: Default::default(),
        }
    }
}

impl PersonnelRules {
    /// Every number within what the rules can mean, each problem named by its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();
        for (field, r) in [("retirement_men", &self.retirement_men), ("retirement_women", &self.retirement_women)] {
            if !(2000..=2100).contains(&r.first_year)
                || !(40 * 12..=80 * 12).contains(&r.first_age_months)
                || r.final_age_months < r.first_age_months
                || r.final_age_months > 80 * 12
                || r.step_months > 24
            {
                p.add(field, "Tuổi nghỉ hưu: năm từ 2000 đến 2100, tuổi từ 40 đến 80 và tăng dần");
            }
        }
        if !(1..=10).contains(&self.term_years) {
            p.add("term_years", "Nhiệm kỳ từ 1 đến 10 năm");
        }
        if self.first_time_min_months > 240 || self.reelection_min_months > 240 {
            p.add("reelection_min_months", "Thời gian công tác còn lại tính bằng tháng, tối đa 240");
        }
        if !(1..=10).contains(&self.max_consecutive_terms) {
            p.add("max_consecutive_terms", "Số nhiệm kỳ liên tiếp từ 1 đến 10");
        }
        if self.planning_max_per_post == 0 || self.planning_min_per_post > self.planning_max_per_post {
            p.add("planning_max_per_post", "Số người quy hoạch mỗi chức danh: tối thiểu không quá tối đa, tối đa từ 1");
        }
        if self.planning_max_posts_per_person == 0 {
            p.add("planning_max_posts_per_person", "Mỗi người được quy hoạch ít nhất 1 chức danh");
        }
        if self.planning_min_women_percent > 100 || self.planning_min_young_percent > 100 {
            p.add("planning_min_women_percent", "Tỷ lệ tính bằng phần trăm, từ 0 đến 100");
        }
        if !(18..=70).contains(&self.young_age_years) {
            p.add("young_age_years", "Tuổi cán bộ trẻ từ 18 đến 70");
        }
        if self.planning_standards.len() > 30
            || self.planning_standards.iter().any(|s| s.trim().is_empty() || s.chars().count() > 200)
        {
            p.add("planning_standards", "Tối đa 30 tiêu chuẩn, mỗi tiêu chuẩn 1–200 ký tự");
        }
        let n = &self.nomination;
        if n.quorum_denominator == 0 || n.quorum_numerator == 0 || n.quorum_numerator > n.quorum_denominator {
            p.add("nomination.quorum_numerator", "Tỷ lệ có mặt tối thiểu là một phân số từ 0 đến 1");
        }
        if n.selection_min_percent >= 100 || n.policy_decision_days > 365 || n.start_within_days > 365 {
            p.add("nomination.selection_min_percent", "Tỷ lệ phiếu dưới 100%, thời hạn tối đa 365 ngày");
        }
        if !(1..=365).contains(&n.complete_within_working_days) {
            p.add("nomination.complete_within_working_days", "Thời hạn hoàn thành từ 1 đến 365 ngày làm việc");
        }
        p.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ramp_of_nd_135() {
        let r = PersonnelRules::default();
        assert_eq!(r.retirement_men.in_year(2020), 60 * 12);
        assert_eq!(r.retirement_men.in_year(2021), 60 * 12 + 3);
        assert_eq!(r.retirement_men.in_year(2026), 61 * 12 + 6);
        assert_eq!(r.retirement_men.in_year(2028), 62 * 12);
        assert_eq!(r.retirement_men.in_year(2040), 62 * 12);
        assert_eq!(r.retirement_women.in_year(2021), 55 * 12 + 4);
        assert_eq!(r.retirement_women.in_year(2035), 60 * 12);
        assert_eq!(r.retirement_women.in_year(2036), 60 * 12);
        assert!(r.validate().is_ok());
    }

    #[test]
    fn nonsense_is_refused_by_field() {
        let r =
            PersonnelRules { planning_min_per_post: 5, planning_max_per_post: 3, term_years: 0, ..Default::default() };
        let errors = r.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"planning_max_per_post") && fields.contains(&"term_years"), "{fields:?}");
    }
}
