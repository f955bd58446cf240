//! What an election elects. A congress elects the organisation's bodies for the new term (the
//! executive committee, then at its first session the standing board, the secretary and the
//! deputies, the inspection committee and its chair) and its delegates to the congress above;
//! the same ballot also serves straw polls that elect nobody. Only the bodies are approved
//! (chuẩn y) by the committee above and become the organisation's holders (Điều 2, Điều 33).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// Ban Chấp hành (the cấp ủy).
    ExecutiveCommittee,
    /// Ban Thường vụ.
    StandingBoard,
    /// Bí thư.
    Secretary,
    /// Phó Bí thư.
    DeputySecretary,
    /// Ủy ban Kiểm tra.
    InspectionCommittee,
    /// Chủ nhiệm Ủy ban Kiểm tra.
    InspectionChair,
    /// Đại biểu dự đại hội cấp trên: their credentials are the congress above's to examine.
    Delegates,
    /// A straw poll or any vote that fills no post (lấy phiếu giới thiệu, tín nhiệm …).
    Other,
}

impl Body {
    pub const ALL: [Body; 8] = [
        Body::ExecutiveCommittee,
        Body::StandingBoard,
        Body::Secretary,
        Body::DeputySecretary,
        Body::InspectionCommittee,
        Body::InspectionChair,
        Body::Delegates,
        Body::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Body::ExecutiveCommittee => "executive_committee",
            Body::StandingBoard => "standing_board",
            Body::Secretary => "secretary",
            Body::DeputySecretary => "deputy_secretary",
            Body::InspectionCommittee => "inspection_committee",
            Body::InspectionChair => "inspection_chair",
            Body::Delegates => "delegates",
            Body::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Body> {
        Body::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Body::ExecutiveCommittee => "Ban Chấp hành (cấp ủy)",
            Body::StandingBoard => "Ban Thường vụ",
            Body::Secretary => "Bí thư",
            Body::DeputySecretary => "Phó Bí thư",
            Body::InspectionCommittee => "Ủy ban Kiểm tra",
            Body::InspectionChair => "Chủ nhiệm Ủy ban Kiểm tra",
            Body::Delegates => "Đại biểu dự đại hội cấp trên",
            Body::Other => "Lấy phiếu, biểu quyết khác",
        }
    }

    /// Whether the result needs the committee above's approval and, once approved, fills the
    /// organisation's posts for the term (Điều 2: chi bộ up to the committees under the Central
    /// Committee have their results approved).
    pub fn is_approved_above(self) -> bool {
        !matches!(self, Body::Delegates | Body::Other)
    }

    /// Whether the election fills a single post (a secretary, a chair): one seat, and the
    /// person approved replaces the holder before, even within the term.
    pub fn is_single_post(self) -> bool {
        matches!(self, Body::Secretary | Body::InspectionChair)
    }
}

#[cfg(test)]
mod tests {
    use super::Body;

    #[test]
    fn every_body_reads_back_and_only_posts_go_to_the_committee_above() {
        for body in Body::ALL {
            assert_eq!(Body::parse(body.as_str()), Some(body));
            assert!(!body.label().is_empty());
        }
        assert!(Body::ExecutiveCommittee.is_approved_above());
        assert!(!Body::Delegates.is_approved_above());
        assert!(!Body::Other.is_approved_above());
    }
}
