//! Emulation and rewards (thi đua, khen thưởng): the Party badge (Huy hiệu Đảng) that party age
//! earns, emulation campaigns, and the award proposals a unit sends up and the level above
//! decides.
//!
//! The badge's milestones and award days are settings ([`crate::members::MembershipRules`]);
//! [`badges`] computes who reaches which milestone by an award day, the inactive periods
//! deducted. A proposal's life is the state machine of [`proposal`].

pub mod badges;
pub mod proposal;

pub use badges::{AwardDay, badge_due, badge_reached_on, next_award_days};
pub use proposal::{Event, State};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

words! {
    /// The form of an award. The Party badge is earned by party age; the others are proposed
    /// for achievements and decided by the level that awards them.
    AwardKind {
        /// Huy hiệu Đảng: 30, 40, 45 … years of party age.
        Badge = "badge" / "Huy hiệu Đảng",
        /// Giấy khen: from a district-level or grassroots committee.
        Certificate = "certificate" / "Giấy khen",
        /// Bằng khen: from a provincial committee or above.
        Merit = "merit" / "Bằng khen",
        /// Cờ thi đua: to a collective that leads a campaign.
        Flag = "flag" / "Cờ thi đua",
        /// A title of emulation (chiến sĩ thi đua, tập thể lao động xuất sắc …).
        Title = "title" / "Danh hiệu thi đua",
    }
}

words! {
    /// Where an emulation campaign stands.
    CampaignState {
        /// Launched: units of the subtree register and report.
        Open = "open" / "Đang phát động",
        /// Summed up by the launching committee; nothing more is reported.
        Closed = "closed" / "Đã tổng kết",
    }
}

/// The longest text of an achievement, a criterion or a summary.
pub const MAX_TEXT_CHARS: usize = 4000;
