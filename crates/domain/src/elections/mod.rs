//! Elections by secret ballot inside the Party (Quy chế bầu cử trong Đảng, QĐ 190-QĐ/TW,
//! 10/10/2024): the list and its surplus (Điều 14), the ballot and its validity (Điều 15), the
//! base of "more than half" and who is elected (Điều 30), the count's life as a state machine,
//! and the per-ballot record anyone can recount offline.
//!
//! The paper ballot is the authority; this module makes its count exact. Every number of the
//! rules is a field of [`ElectionRules`], which an administrator can change.

pub mod approval;
pub mod ballot;
pub mod base;
pub mod body;
pub mod count;
pub mod custody;
pub mod list;
pub mod record;
pub mod result;
pub mod state;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{FieldError, Problems};

pub use ballot::{Ballot, BallotProblem, Mark, Validity};
pub use base::{Electors, Exclusion, majority_threshold};
pub use body::Body;
pub use count::{Count, Reconciliation, differing_ballots, tally};
pub use list::{ListCheck, check_list, floor_nomination_agreed};
pub use result::{Outcome, Standing, outcome};

/// Which gathering votes: it decides the base of "more than half" (Điều 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElectionKind {
    /// Đại hội đảng viên: every member of the cell or đảng bộ is summoned.
    MembersCongress,
    /// Đại hội đại biểu: delegates are summoned.
    DelegatesCongress,
    /// A conference (hội nghị) of a committee, e.g. electing its standing board or secretary:
    /// the base is the members summoned, with the exclusions of a delegates' congress.
    Conference,
}

impl ElectionKind {
    pub const ALL: [ElectionKind; 3] =
        [ElectionKind::MembersCongress, ElectionKind::DelegatesCongress, ElectionKind::Conference];

    pub fn as_str(self) -> &'static str {
        match self {
            ElectionKind::MembersCongress => "members_congress",
            ElectionKind::DelegatesCongress => "delegates_congress",
            ElectionKind::Conference => "conference",
        }
    }

    pub fn parse(s: &str) -> Option<ElectionKind> {
        ElectionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ElectionKind::MembersCongress => "Đại hội đảng viên",
            ElectionKind::DelegatesCongress => "Đại hội đại biểu",
            ElectionKind::Conference => "Hội nghị",
        }
    }
}

/// How the ballot is laid out (Điều 15): names struck through on a list with a surplus, or two
/// boxes, "đồng ý" and "không đồng ý", per name on a list with none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BallotKind {
    /// Số dư: the voter strikes the full name of each person they do not vote for.
    Surplus,
    /// Không có số dư: the columns STT, họ tên, đồng ý, không đồng ý.
    Approval,
}

impl BallotKind {
    pub const ALL: [BallotKind; 2] = [BallotKind::Surplus, BallotKind::Approval];

    pub fn as_str(self) -> &'static str {
        match self {
            BallotKind::Surplus => "surplus",
            BallotKind::Approval => "approval",
        }
    }

    pub fn parse(s: &str) -> Option<BallotKind> {
        BallotKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            BallotKind::Surplus => "Danh sách có số dư",
            BallotKind::Approval => "Danh sách không có số dư",
        }
    }
}

/// The numbers of the election rules, each named after its article. The defaults are QĐ 190's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ElectionRules {
    /// Điều 14: the surplus may not exceed this share of the seats, in percent ("không quá 30%").
    pub max_surplus_percent: u32,
    /// Điều 14: the convening committee prepares a surplus of at least this percent …
    pub guidance_surplus_min_percent: u32,
    /// … and at most this percent ("từ 10% đến 15%"): shown, not enforced.
    pub guidance_surplus_max_percent: u32,
    /// Điều 14 (hướng dẫn): a body of this many seats or fewer …
    pub small_body_max_seats: u32,
    /// … and at least this many (3 to 5) …
    pub small_body_min_seats: u32,
    /// … may have a surplus of at most this many people.
    pub small_body_max_surplus: u32,
    /// Điều 14: a nomination from the floor joins the list only when more than this percent of
    /// those present agree.
    pub floor_nomination_min_percent: u32,
    /// Điều 33: complaints about an election, within this many working days after the
    /// congress closes.
    pub complaint_working_days: u32,
    /// Điều 35: the ballots are kept sealed this many months, then destroyed by decision.
    pub sealing_months: u32,
}

impl ElectionRules {
    /// Every number within what the rules can mean, each problem named by its field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::new();
        if !(1..=100).contains(&self.max_surplus_percent) {
            p.add("max_surplus_percent", "Số dư tối đa phải từ 1% đến 100% số cần bầu");
        }
        if self.guidance_surplus_min_percent > self.guidance_surplus_max_percent
            || self.guidance_surplus_max_percent > self.max_surplus_percent
        {
            p.add(
                "guidance_surplus_max_percent",
                "Mức số dư hướng dẫn phải từ thấp đến cao và không vượt số dư tối đa",
            );
        }
        if self.small_body_min_seats == 0 || self.small_body_min_seats > self.small_body_max_seats {
            p.add("small_body_max_seats", "Quy mô cấp ủy nhỏ phải từ thấp đến cao, từ 1 trở lên");
        }
        if self.small_body_max_surplus == 0 {
            p.add("small_body_max_surplus", "Số dư của cấp ủy nhỏ phải từ 1 người trở lên");
        }
        if self.floor_nomination_min_percent > 99 {
            p.add("floor_nomination_min_percent", "Tỷ lệ tán thành đề cử tại đại hội phải dưới 100%");
        }
        if !(1..=90).contains(&self.complaint_working_days) {
            p.add("complaint_working_days", "Thời hạn khiếu nại phải từ 1 đến 90 ngày làm việc");
        }
        if !(1..=120).contains(&self.sealing_months) {
            p.add("sealing_months", "Thời gian niêm phong phải từ 1 đến 120 tháng");
        }
        p.finish()
    }
}

impl Default for ElectionRules {
    fn default() -> Self {
        ElectionRules {
            max_surplus_percent: 30,
            guidance_surplus_min_percent: 10,
            guidance_surplus_max_percent: 15,
            small_body_min_seats: 3,
            small_body_max_seats: 5,
            small_body_max_surplus: 1,
            floor_nomination_min_percent: 30,
            complaint_working_days: 15,
            sealing_months: 6,
        }
    }
}
