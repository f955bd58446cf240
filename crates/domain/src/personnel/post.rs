//! The leadership posts of an organisation (DESIGN.md §3: bodies inside an organisation).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::elections::Body;

/// A leadership post. The first six are elected (QĐ 190) and filled by the approved result of
/// an election; a head of board is appointed (QĐ 80-QĐ/TW) and names the board it heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Post {
    Secretary,
    DeputySecretary,
    StandingBoard,
    ExecutiveCommittee,
    InspectionChair,
    InspectionCommittee,
    /// Trưởng ban (Ban Tổ chức, Ban Tuyên giáo …), Chánh Văn phòng: one per board.
    BoardHead,
}

impl Post {
    pub const ALL: [Post; 7] = [
        Post::Secretary,
        Post::DeputySecretary,
        Post::StandingBoard,
        Post::ExecutiveCommittee,
        Post::InspectionChair,
        Post::InspectionCommittee,
        Post::BoardHead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Post::Secretary => "secretary",
            Post::DeputySecretary => "deputy_secretary",
            Post::StandingBoard => "standing_board",
            Post::ExecutiveCommittee => "executive_committee",
            Post::InspectionChair => "inspection_chair",
            Post::InspectionCommittee => "inspection_committee",
            Post::BoardHead => "board_head",
        }
    }

    pub fn parse(s: &str) -> Option<Post> {
        Post::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Post::Secretary => "Bí thư",
            Post::DeputySecretary => "Phó Bí thư",
            Post::StandingBoard => "Ủy viên Ban Thường vụ",
            Post::ExecutiveCommittee => "Ủy viên Ban Chấp hành",
            Post::InspectionChair => "Chủ nhiệm Ủy ban Kiểm tra",
            Post::InspectionCommittee => "Ủy viên Ủy ban Kiểm tra",
            Post::BoardHead => "Trưởng ban",
        }
    }

    /// The post an election's body fills, if any (delegates and straw polls fill none).
    pub fn from_body(body: Body) -> Option<Post> {
        Some(match body {
            Body::ExecutiveCommittee => Post::ExecutiveCommittee,
            Body::StandingBoard => Post::StandingBoard,
            Body::Secretary => Post::Secretary,
            Body::DeputySecretary => Post::DeputySecretary,
            Body::InspectionCommittee => Post::InspectionCommittee,
            Body::InspectionChair => Post::InspectionChair,
            Body::Delegates | Body::Other => return None,
        })
    }

    /// One holder at a time: the term limit of a head applies to it.
    pub fn is_single(self) -> bool {
        matches!(self, Post::Secretary | Post::InspectionChair | Post::BoardHead)
    }

    /// Whether the post names a board of the organisation.
    pub fn names_a_board(self) -> bool {
        self == Post::BoardHead
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_read_back_and_every_elected_post_is_a_body() {
        for p in Post::ALL {
            assert_eq!(Post::parse(p.as_str()), Some(p));
        }
        for b in Body::ALL {
            if let Some(p) = Post::from_body(b) {
                assert_eq!(p.as_str(), b.as_str(), "one word for a post in both capabilities");
            }
        }
        assert!(Post::from_body(Body::Other).is_none());
    }
}
