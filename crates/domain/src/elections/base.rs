//! Điều 30: the base of "more than half" is not the valid ballots but those summoned, minus
//! the exclusions the article lists, which differ between a members' and a delegates' congress.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ElectionKind;
use crate::validation::Problems;

/// Why someone summoned does not count in the base (Điều 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Members' congress: on temporary transfer to another đảng bộ.
    TemporaryTransfer,
    /// Members' congress: exempt from activities and absent (an exempt member who votes counts).
    ExemptAbsent,
    /// Members' congress: suspended from activity, prosecuted, indicted or detained.
    Suspended,
    /// Members' congress: an official member absent for the whole congress with a reason the
    /// convening committee accepted.
    AbsentWithReason,
    /// Delegates' congress: a member of the convening committee absent for the whole congress.
    CommitteeMemberAbsent,
    /// Delegates' congress: an official delegate absent for the whole congress, no alternate.
    DelegateAbsentNoAlternate,
}

impl Exclusion {
    pub const ALL: [Exclusion; 6] = [
        Exclusion::TemporaryTransfer,
        Exclusion::ExemptAbsent,
        Exclusion::Suspended,
        Exclusion::AbsentWithReason,
        Exclusion::CommitteeMemberAbsent,
        Exclusion::DelegateAbsentNoAlternate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::TemporaryTransfer => "temporary_transfer",
            Exclusion::ExemptAbsent => "exempt_absent",
            Exclusion::Suspended => "suspended",
            Exclusion::AbsentWithReason => "absent_with_reason",
            Exclusion::CommitteeMemberAbsent => "committee_member_absent",
            Exclusion::DelegateAbsentNoAlternate => "delegate_absent_no_alternate",
        }
    }

    pub fn parse(s: &str) -> Option<Exclusion> {
        Exclusion::ALL.into_iter().find(|e| e.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Exclusion::TemporaryTransfer => "Đảng viên đang sinh hoạt tạm thời ở đảng bộ khác",
            Exclusion::ExemptAbsent => "Đảng viên được miễn sinh hoạt, không dự đại hội",
            Exclusion::Suspended => "Đảng viên bị đình chỉ sinh hoạt, bị truy tố, xét xử, tạm giam",
            Exclusion::AbsentWithReason => "Đảng viên chính thức vắng mặt suốt thời gian đại hội có lý do",
            Exclusion::CommitteeMemberAbsent => "Cấp ủy viên triệu tập vắng mặt suốt thời gian đại hội",
            Exclusion::DelegateAbsentNoAlternate => "Đại biểu chính thức vắng mặt, không có đại biểu dự khuyết thay",
        }
    }

    /// Whether Điều 30 lists this exclusion for the gathering. A conference of a committee
    /// counts its members summoned, less those absent, as a delegates' congress does.
    pub fn applies_to(self, kind: ElectionKind) -> bool {
        let members = matches!(
            self,
            Exclusion::TemporaryTransfer | Exclusion::ExemptAbsent | Exclusion::Suspended | Exclusion::AbsentWithReason
        );
        match kind {
            ElectionKind::MembersCongress => members,
            ElectionKind::DelegatesCongress | ElectionKind::Conference => !members,
        }
    }
}

/// Those summoned to vote and, by reason, those Điều 30 leaves out of the base.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Electors {
    pub summoned: u32,
    pub excluded: BTreeMap<Exclusion, u32>,
}

impl Electors {
    /// The problems of the numbers for `kind`: an exclusion the article does not list for it,
    /// more excluded than summoned, nobody left to count.
    pub fn check(&self, kind: ElectionKind, problems: &mut Problems) {
        if self.summoned == 0 {
            problems.add("electors.summoned", "Hãy ghi số đại biểu (đảng viên) được triệu tập");
        }
        for reason in self.excluded.keys().filter(|r| !r.applies_to(kind)) {
            problems.add(
                "electors.excluded",
                format!("Lý do \"{}\" không áp dụng cho {} (Điều 30)", reason.label(), kind.label().to_lowercase()),
            );
        }
        if self.summoned > 0 && self.excluded_total() >= u64::from(self.summoned) {
            problems.add("electors.excluded", "Số được trừ phải ít hơn số được triệu tập");
        }
    }

    pub fn excluded_total(&self) -> u64 {
        self.excluded.values().map(|n| u64::from(*n)).sum()
    }

    /// The number "more than half" counts against: those summoned minus the exclusions.
    pub fn base(&self) -> u32 {
        u64::from(self.summoned).saturating_sub(self.excluded_total()) as u32
    }
}

/// The least number of votes that is more than half of `base`, in integers: 7 of 12, 7 of 13.
pub fn majority_threshold(base: u32) -> u32 {
    base / 2 + 1
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn problems_of(electors: &Electors, kind: ElectionKind) -> usize {
        let mut problems = Problems::new();
        electors.check(kind, &mut problems);
        problems.len()
    }

    #[test]
    fn more_than_half_at_odd_and_even_bases() {
        assert_eq!(majority_threshold(12), 7);
        assert_eq!(majority_threshold(13), 7);
        assert_eq!(majority_threshold(1), 1);
        assert_eq!(majority_threshold(2), 2);
        assert_eq!(majority_threshold(1600), 801);
    }

    proptest! {
        #[test]
        fn the_threshold_is_the_least_number_above_half(base in 1u32..2_000_000) {
            let t = majority_threshold(base);
            prop_assert!(2 * u64::from(t) > u64::from(base));
            prop_assert!(2 * u64::from(t - 1) <= u64::from(base));
        }
    }

    #[test]
    fn the_base_leaves_out_the_exclusions_of_the_gathering() {
        let electors = Electors {
            summoned: 120,
            excluded: [(Exclusion::TemporaryTransfer, 3), (Exclusion::AbsentWithReason, 2)].into(),
        };
        assert_eq!(electors.base(), 115);
        assert_eq!(problems_of(&electors, ElectionKind::MembersCongress), 0);
        assert_eq!(
            problems_of(&electors, ElectionKind::DelegatesCongress),
            2,
            "both reasons are a members' congress's"
        );
    }

    #[test]
    fn each_reason_belongs_to_one_kind_of_congress() {
        for reason in Exclusion::ALL {
            assert_ne!(
                reason.applies_to(ElectionKind::MembersCongress),
                reason.applies_to(ElectionKind::DelegatesCongress),
                "{reason:?}"
            );
            assert_eq!(Exclusion::parse(reason.as_str()), Some(reason));
        }
    }

    #[test]
    fn nobody_left_to_count_is_refused() {
        let electors = Electors { summoned: 4, excluded: [(Exclusion::CommitteeMemberAbsent, 4)].into() };
        assert_eq!(problems_of(&electors, ElectionKind::DelegatesCongress), 1);
        assert_eq!(problems_of(&Electors::default(), ElectionKind::Conference), 1);
    }
}
