//! The numbers of the dues rules, each a setting an administrator changes: the rates of
//! Quy định 01-QĐ/TW with their dated steps, the regional minimum wages by decree, the amounts
//! of QĐ 342 for the months before it, the exemptions' thresholds and the shares each level
//! keeps (`domain-rules.md` §11; the shares under 01-QĐ/TW were not found, so the defaults are
//! those of QĐ 342).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Month;
use crate::validation::{FieldError, Problems};

/// A rate in hundredths of a percent: 100 is 1 %, 30 is 0.3 %.
pub type BasisPoints = u32;

/// The rates for members outside social insurance from a month on (QĐ 01 Đ3 k2 đ2.2: 0.3 % of
/// the regional minimum wage in 2026–2027, 0.5 % from 01/01/2028; 0.2 % then 0.3 % at or over
/// the retirement age).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OtherRate {
    #[schema(value_type = String, example = "2028-01")]
    pub from: Month,
    pub below_retirement_age: BasisPoints,
    pub at_retirement_age: BasisPoints,
}

/// The regional minimum wages (lương tối thiểu vùng) of the four regions from a month on, by
/// the decree that set them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegionalWages {
    #[schema(value_type = String, example = "2026-01")]
    pub from: Month,
    /// The decree, e.g. "NĐ 293/2025/NĐ-CP".
    pub source: String,
    /// Regions I, II, III, IV, in đồng a month.
    pub regions: [i64; 4],
}

/// The share of the dues that reaches it each level keeps (percent); the rest goes up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Shares {
    /// A cell under a grassroots committee keeps this share of what its members pay (QĐ 342:
    /// 30–50 %).
    pub cell: u32,
    /// A sub-committee (đảng bộ bộ phận) keeps this share of what reaches it.
    pub sub_committee: u32,
    /// A grassroots organisation keeps this share of all its subtree collects, its cells'
    /// shares included (QĐ 342: 70 %, 90 % in a commune or ward: set on that organisation).
    pub grassroots: u32,
    /// Each level above the grassroots keeps this share of what reaches it (QĐ 342: 50 %).
    pub higher: u32,
}

impl Default for Shares {
    fn default() -> Self {
        Shares { cell: 30, sub_committee: 0, grassroots: 70, higher: 50 }
    }
}

/// Every number of the dues rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct DuesRules {
    /// The first month of Quy định 01-QĐ/TW; the months before follow QĐ 342-QĐ/TW.
    #[schema(value_type = String, example = "2026-02")]
    pub qd01_from: Month,
    /// Members in compulsory social insurance: this share of the previous month's insured
    /// salary (both regulations: 1 %).
    pub insured_rate: BasisPoints,
    /// Members drawing a pension outside social insurance: this share of it (0.5 %).
    pub pension_rate: BasisPoints,
    /// Students (học sinh, sinh viên) under QĐ 01: this amount a month (5,000 đồng).
    pub student_amount: i64,
    /// Other members under QĐ 01: the rates by month (the later step wins).
    pub other_rates: Vec<OtherRate>,
    /// The regional minimum wages by month (the later decree wins).
    pub regional_wages: Vec<RegionalWages>,
    /// The region (1–4) of an organisation whose region is not set, nor any above it.
    pub default_region: u8,
    /// Under QĐ 342, members outside the salaried categories paid an amount the province set
    /// (2,000–30,000 đồng), halved outside working age.
    pub qd342_other_amount: i64,
    /// QĐ 01 Đ5: members with this many years of party age are exempt.
    pub exempt_party_age_years: u32,
    /// A hardship exemption or reduction lasts at most this many months.
    pub hardship_max_months: u32,
    /// This many unpaid months in a year and the cell is asked to consider proposing removal
    /// (QĐ 01; never removed automatically).
    pub unpaid_months_for_proposal: u32,
    /// Amounts are rounded, half up, to a multiple of this many đồng (1: to the đồng).
    pub round_to: i64,
    pub shares: Shares,
}

impl Default for DuesRules {
    fn default() -> Self {
        let month = |y, m| Month::new(y, m).expect("a valid month");
        DuesRules {
            qd01_from: month(2026, 2),
            insured_rate: 100,
            pension_rate: 50,
            student_amount: 5_000,
            other_rates: vec![
                OtherRate { from: month(2026, 2), below_retirement_age: 30, at_retirement_age: 20 },
                OtherRate { from: month(2028, 1), below_retirement_age: 50, at_retirement_age: 30 },
            ],
            regional_wages: vec![
                RegionalWages {
                    from: month(2024, 7),
                    source: "NĐ 74/2024/NĐ-CP".into(),
                    regions: [4_960_000, 4_410_000, 3_860_000, 3_450_000],
                },
                RegionalWages {
                    from: month(2026, 1),
                    source: "NĐ 293/2025/NĐ-CP".into(),
                    regions: [5_310_000, 4_730_000, 4_140_000, 3_700_000],
                },
            ],
            default_region: 1,
            qd342_other_amount: 5_000,
            exempt_party_age_years: 50,
            hardship_max_months: 12,
            unpaid_months_for_proposal: 3,
            round_to: 1,
            shares: Shares::default(),
        }
    }
}

impl DuesRules {
    /// The rate step for other members in force in `month` (none before the first step).
    pub fn other_rate(&self, month: Month) -> Option<&OtherRate> {
        self.other_rates.iter().filter(|r| r.from <= month).max_by_key(|r| r.from)
    }

    /// The regional minimum wage of `region` (1–4) in `month`.
    pub fn regional_wage(&self, month: Month, region: u8) -> Option<i64> {
        let wages = self.regional_wages.iter().filter(|w| w.from <= month).max_by_key(|w| w.from)?;
        wages.regions.get(usize::from(region).checked_sub(1)?).copied()
    }

    /// `amount` × `rate`, rounded half up to the unit of the settings.
    pub fn share_of(&self, amount: i64, rate: BasisPoints) -> i64 {
        let exact = i128::from(amount) * i128::from(rate);
        let unit = i128::from(self.round_to.max(1)) * 10_000;
        let rounded = (exact + unit / 2).div_euclid(unit) * unit / 10_000;
        i64::try_from(rounded).unwrap_or(i64::MAX)
    }

    /// Every number within what it can mean, each problem named by its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();
        if self.insured_rate > 1000 || self.pension_rate > 1000 {
            p.add("insured_rate", "Tỷ lệ đóng tối đa 10% (1000 phần vạn)");
        }
        if !(0..=1_000_000).contains(&self.student_amount) || !(0..=1_000_000).contains(&self.qd342_other_amount) {
            p.add("student_amount", "Mức đóng cố định từ 0 đến 1.000.000 đồng");
        }
        if self.other_rates.is_empty()
            || self.other_rates.iter().any(|r| r.below_retirement_age > 1000 || r.at_retirement_age > 1000)
        {
            p.add("other_rates", "Cần ít nhất một mức, mỗi tỷ lệ tối đa 10%");
        }
        if self.regional_wages.is_empty()
            || self
                .regional_wages
                .iter()
                .any(|w| w.regions.iter().any(|r| !(1..=1_000_000_000).contains(r)) || w.source.chars().count() > 200)
        {
            p.add("regional_wages", "Cần ít nhất một mức lương tối thiểu vùng, mỗi mức dương");
        }
        if !(1..=4).contains(&self.default_region) {
            p.add("default_region", "Vùng từ 1 đến 4");
        }
        if !(1..=100).contains(&self.exempt_party_age_years) {
            p.add("exempt_party_age_years", "Tuổi đảng được miễn từ 1 đến 100 năm");
        }
        if !(1..=60).contains(&self.hardship_max_months) {
            p.add("hardship_max_months", "Thời hạn miễn, giảm từ 1 đến 60 tháng");
        }
        if !(1..=12).contains(&self.unpaid_months_for_proposal) {
            p.add("unpaid_months_for_proposal", "Số tháng không đóng từ 1 đến 12");
        }
        if !(1..=100_000).contains(&self.round_to) {
            p.add("round_to", "Làm tròn đến bội số của 1 đến 100.000 đồng");
        }
        let s = &self.shares;
        if [s.cell, s.sub_committee, s.grassroots, s.higher].iter().any(|v| *v > 100) || s.cell > s.grassroots {
            p.add("shares", "Tỷ lệ trích giữ lại 0–100%, chi bộ không giữ nhiều hơn tổ chức cơ sở");
        }
        p.finish()
    }
}
