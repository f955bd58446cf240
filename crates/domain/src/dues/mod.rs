//! Party dues (đảng phí): what each member owes a month by the regulation in force that month
//! (QĐ 342-QĐ/TW until 01/2026, Quy định 01-QĐ/TW from 02/2026 with its 2028 step), the
//! exemptions and reductions, the months left unpaid, and the share each level keeps of what
//! reaches it (`domain-rules.md` §11). Every number is a setting ([`DuesRules`]).
//!
//! dangvu records and reconciles payments; it never takes them (the national public-service
//! portal or cash to the cell).

pub mod arrears;
pub mod month;
pub mod rules;
pub mod shares;

pub use arrears::{MonthLine, YearDues, year_dues};
pub use month::Month;
pub use rules::{BasisPoints, DuesRules, OtherRate, RegionalWages, Shares};
pub use shares::{Flow, Unit, allocate};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::InactivePeriod;
use crate::rewards::badge_reached_on;
use crate::validation::Problems;

words! {
    /// What a member's dues are computed from (QĐ 01 Đ3).
    Category {
        /// In compulsory social insurance: a share of the previous month's insured salary.
        Insured = "insured" / "Đóng bảo hiểm xã hội bắt buộc",
        /// Drawing a pension, outside social insurance: a share of the pension.
        Pensioner = "pensioner" / "Hưởng lương hưu",
        /// A pupil or student: a fixed amount.
        Student = "student" / "Học sinh, sinh viên",
        /// Everyone else: a share of the regional minimum wage of the cell's area.
        Other = "other" / "Đảng viên khác",
    }
}

words! {
    /// How a payment reached the cell (QĐ 01: the portal or cash; a bank account where the
    /// committee keeps one).
    Method {
        Cash = "cash" / "Tiền mặt",
        Portal = "portal" / "Cổng Dịch vụ công quốc gia",
        Bank = "bank" / "Chuyển khoản",
    }
}

words! {
    /// Why a member pays less or nothing, as a dated decision (QĐ 01 Đ5); fifty years of party
    /// age exempts by itself and is never recorded.
    ExemptionKind {
        /// Receiving the social pension allowance (trợ cấp hưu trí xã hội): exempt.
        SocialPension = "social_pension" / "Hưởng trợ cấp hưu trí xã hội",
        /// A poor or near-poor household, a grave illness: exempt on request.
        SpecialHardship = "special_hardship" / "Đặc biệt khó khăn",
        /// Other hardship: exempt or reduced by 30, 50 or 70 %, for at most twelve months.
        Hardship = "hardship" / "Khó khăn",
    }
}

words! {
    /// The regulation a month's dues follow.
    Regulation {
        Qd342 = "qd342" / "Quy định 342-QĐ/TW",
        Qd01 = "qd01" / "Quy định 01-QĐ/TW",
    }
}

/// What a member's dues are computed from, from a month on (until the next basis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    pub from: Month,
    pub category: Category,
    /// The insured salary or the pension, in đồng a month; none for the fixed categories.
    pub base: Option<i64>,
}

impl Basis {
    /// The base is given exactly when the category computes from one; it is a wage, not a
    /// fortune.
    pub fn check(&self, problems: &mut Problems) {
        match (self.category, self.base) {
            (Category::Insured | Category::Pensioner, None) => {
                problems.add("base", "Nhập mức lương đóng bảo hiểm xã hội hoặc lương hưu hằng tháng (đồng)")
            }
            (_, Some(b)) if !(0..=10_000_000_000).contains(&b) => {
                problems.add("base", "Mức lương từ 0 đến 10 tỷ đồng một tháng")
            }
            _ => {}
        }
    }
}

/// A dated decision that exempts a member or reduces the dues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exemption {
    pub kind: ExemptionKind,
    /// 100 exempts; 30, 50 or 70 reduce.
    pub percent: u32,
    pub from: Month,
    /// The last month covered; none for a standing exemption (social pension).
    pub until: Option<Month>,
}

/// The percentages a reduction may take (QĐ 01 Đ5).
pub const REDUCTIONS: [u32; 4] = [30, 50, 70, 100];

impl Exemption {
    pub fn check(&self, rules: &DuesRules, problems: &mut Problems) {
        if !REDUCTIONS.contains(&self.percent) {
            problems.add("percent", "Miễn (100%) hoặc giảm 30%, 50%, 70%");
        }
        if self.kind != ExemptionKind::Hardship && self.percent != 100 {
            problems.add("percent", "Trường hợp này được miễn đóng (100%)");
        }
        match self.until {
            Some(until) if until < self.from => problems.add("until", "Tháng kết thúc trước tháng bắt đầu"),
            Some(until)
                if self.kind == ExemptionKind::Hardship
                    && self.from.count_to(until) > rules.hardship_max_months as i32 =>
            {
                problems.add("until", format!("Mỗi quyết định miễn, giảm tối đa {} tháng", rules.hardship_max_months))
            }
            None if self.kind == ExemptionKind::Hardship => {
                problems.add("until", "Miễn, giảm vì khó khăn phải có thời hạn")
            }
            _ => {}
        }
    }

    pub fn covers(&self, month: Month) -> bool {
        self.from <= month && self.until.is_none_or(|u| month <= u)
    }
}

/// What the rules need to know of a member, read from the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFacts {
    pub admitted_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub inactive: Vec<InactivePeriod>,
    /// The day the member reaches the retirement age (NĐ 135/2020), when the birth date is
    /// known.
    pub retires_on: Option<NaiveDate>,
    /// The region (1–4) of the cell's area.
    pub region: u8,
}

impl MemberFacts {
    /// Whether the member belongs to the Party during some day of `month`: admitted by its
    /// end, not gone before it starts, not out of the Party for all of it.
    pub fn in_party(&self, month: Month) -> bool {
        let (first, last) = (month.first_day(), month.last_day());
        self.admitted_on <= last
            && self.ended_on.is_none_or(|e| e >= first)
            && !self.inactive.iter().any(|p| p.from <= first && p.until.is_none_or(|u| u > last))
    }

    /// The day fifty years of party age (the settings' number) are reached.
    pub fn exempt_by_party_age_from(&self, rules: &DuesRules) -> Option<NaiveDate> {
        badge_reached_on(self.admitted_on, &self.inactive, rules.exempt_party_age_years)
    }
}

/// Why a month's dues are nothing although the member belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exempt {
    /// QĐ 01 Đ5: fifty years of party age.
    PartyAge,
    /// A recorded decision.
    Decision(ExemptionKind),
}

/// One month of a member's dues as the rules compute it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDue {
    pub month: Month,
    /// The member belongs to the Party this month (otherwise nothing is due).
    pub in_party: bool,
    pub regulation: Regulation,
    /// The category computed from; `Other` by default when the member declared nothing.
    pub category: Category,
    /// Whether a basis was declared for the month.
    pub declared: bool,
    pub due: i64,
    pub exempt: Option<Exempt>,
    /// The reduction applied, percent (0 when none).
    pub reduction: u32,
}

/// The regulation in force in `month`.
pub fn regulation_in(month: Month, rules: &DuesRules) -> Regulation {
    if month < rules.qd01_from { Regulation::Qd342 } else { Regulation::Qd01 }
}

/// The basis in force in `month`: the latest that starts on or before it.
pub fn basis_in(month: Month, bases: &[Basis]) -> Option<Basis> {
    bases.iter().filter(|b| b.from <= month).max_by_key(|b| b.from).copied()
}

/// Whether the member has reached the retirement age in `month` (reached by its last day).
fn at_retirement_age(facts: &MemberFacts, month: Month) -> bool {
    facts.retires_on.is_some_and(|r| r <= month.last_day())
}

/// The month's dues before exemptions, by the regulation in force.
fn gross_due(month: Month, category: Category, base: Option<i64>, facts: &MemberFacts, rules: &DuesRules) -> i64 {
    let retired = at_retirement_age(facts, month);
    match (regulation_in(month, rules), category) {
        (_, Category::Insured) => rules.share_of(base.unwrap_or(0), rules.insured_rate),
        (_, Category::Pensioner) => rules.share_of(base.unwrap_or(0), rules.pension_rate),
        // QĐ 01 Đ3 k2: a fixed amount for students.
        (Regulation::Qd01, Category::Student) => rules.student_amount,
        // QĐ 01 Đ3 k2 đ2.2: a share of the regional minimum wage of the cell's area.
        (Regulation::Qd01, Category::Other) => {
            let (Some(rate), Some(wage)) = (rules.other_rate(month), rules.regional_wage(month, facts.region)) else {
                return 0;
            };
            let bp = if retired { rate.at_retirement_age } else { rate.below_retirement_age };
            rules.share_of(wage, bp)
        }
        // QĐ 342: the province's amount, halved outside working age.
        (Regulation::Qd342, Category::Student | Category::Other) => {
            if retired {
                rules.share_of(rules.qd342_other_amount, 5_000)
            } else {
                rules.qd342_other_amount
            }
        }
    }
}

/// What a member owes for `month`: the basis in force (or the other members' rate when none
/// was declared), the regulation of the month, then the exemptions (fifty years of party age
/// from QĐ 01 on; recorded decisions always) and reductions.
pub fn month_due(
    month: Month,
    facts: &MemberFacts,
    bases: &[Basis],
    exemptions: &[Exemption],
    rules: &DuesRules,
) -> MonthDue {
    due_with(month, facts, bases, exemptions, rules, facts.exempt_by_party_age_from(rules))
}

/// The months `from..=to` of one member, as [`month_due`] computes each; the day party age
/// exempts is computed once.
pub fn months_due(
    from: Month,
    to: Month,
    facts: &MemberFacts,
    bases: &[Basis],
    exemptions: &[Exemption],
    rules: &DuesRules,
) -> Vec<MonthDue> {
    let exempt_from = facts.exempt_by_party_age_from(rules);
    from.through(to).map(|m| due_with(m, facts, bases, exemptions, rules, exempt_from)).collect()
}

fn due_with(
    month: Month,
    facts: &MemberFacts,
    bases: &[Basis],
    exemptions: &[Exemption],
    rules: &DuesRules,
    exempt_from: Option<NaiveDate>,
) -> MonthDue {
    let regulation = regulation_in(month, rules);
    let basis = basis_in(month, bases);
    let category = basis.map_or(Category::Other, |b| b.category);
    let mut line = MonthDue {
        month,
        in_party: facts.in_party(month),
        regulation,
        category,
        declared: basis.is_some(),
        due: 0,
        exempt: None,
        reduction: 0,
    };
    if !line.in_party {
        return line;
    }
    let party_age_exempt = regulation == Regulation::Qd01 && exempt_from.is_some_and(|d| d <= month.last_day());
    if party_age_exempt {
        line.exempt = Some(Exempt::PartyAge);
        return line;
    }
    // Of two decisions on the same month the more generous applies.
    let decision = exemptions.iter().filter(|e| e.covers(month)).max_by_key(|e| e.percent);
    match decision {
        Some(e) if e.percent >= 100 => line.exempt = Some(Exempt::Decision(e.kind)),
        Some(e) => {
            line.reduction = e.percent;
            let gross = gross_due(month, category, basis.and_then(|b| b.base), facts, rules);
            line.due = rules.share_of(gross, 100u32.saturating_sub(e.percent) * 100);
        }
        None => line.due = gross_due(month, category, basis.and_then(|b| b.base), facts, rules),
    }
    line
}

#[cfg(test)]
mod tests;
