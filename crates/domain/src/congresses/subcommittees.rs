//! The subcommittees that prepare a congress (tiểu ban): documents, personnel, organisation
//! and logistics, propaganda, each with its people and its own tasks. Chỉ thị 35-CT/TW asks
//! each committee to set them up when it plans its congress.

use serde::{Deserialize, Serialize};

use crate::validation::Problems;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubcommitteeKind {
    /// Tiểu ban Văn kiện: the political report and the other drafts, the comments.
    Documents,
    /// Tiểu ban Nhân sự: the personnel plan.
    Personnel,
    /// Tiểu ban Tổ chức phục vụ đại hội: the programme, the hall, the delegates' papers.
    Organisation,
    /// Tiểu ban Tuyên truyền.
    Propaganda,
    /// Any other the committee sets up.
    Other,
}

impl SubcommitteeKind {
    pub const ALL: [SubcommitteeKind; 5] = [
        SubcommitteeKind::Documents,
        SubcommitteeKind::Personnel,
        SubcommitteeKind::Organisation,
        SubcommitteeKind::Propaganda,
        SubcommitteeKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubcommitteeKind::Documents => "documents",
            SubcommitteeKind::Personnel => "personnel",
            SubcommitteeKind::Organisation => "organisation",
            SubcommitteeKind::Propaganda => "propaganda",
            SubcommitteeKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<SubcommitteeKind> {
        SubcommitteeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The usual name, which the committee may change.
    pub fn label(self) -> &'static str {
        match self {
            SubcommitteeKind::Documents => "Tiểu ban Văn kiện",
            SubcommitteeKind::Personnel => "Tiểu ban Nhân sự",
            SubcommitteeKind::Organisation => "Tiểu ban Tổ chức phục vụ đại hội",
            SubcommitteeKind::Propaganda => "Tiểu ban Tuyên truyền",
            SubcommitteeKind::Other => "Tiểu ban khác",
        }
    }
}

/// A person's place in a subcommittee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatInSubcommittee {
    /// Trưởng tiểu ban: one a subcommittee.
    Head,
    Deputy,
    Secretary,
    Member,
}

impl SeatInSubcommittee {
    pub const ALL: [SeatInSubcommittee; 4] = [
        SeatInSubcommittee::Head,
        SeatInSubcommittee::Deputy,
        SeatInSubcommittee::Secretary,
        SeatInSubcommittee::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SeatInSubcommittee::Head => "head",
            SeatInSubcommittee::Deputy => "deputy",
            SeatInSubcommittee::Secretary => "secretary",
            SeatInSubcommittee::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<SeatInSubcommittee> {
        SeatInSubcommittee::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            SeatInSubcommittee::Head => "Trưởng tiểu ban",
            SeatInSubcommittee::Deputy => "Phó trưởng tiểu ban",
            SeatInSubcommittee::Secretary => "Thư ký",
            SeatInSubcommittee::Member => "Thành viên",
        }
    }
}

/// The problems of adding a person to a subcommittee that already has `heads` heads: a name,
/// a title of a line, one head.
pub fn check_member(full_name: &str, title: &str, seat: SeatInSubcommittee, heads: u32, problems: &mut Problems) {
    let n = full_name.trim().chars().count();
    if n == 0 || n > 200 {
        problems.add("full_name", "Họ tên từ 1 đến 200 ký tự");
    }
    if title.chars().count() > 300 {
        problems.add("title", "Chức vụ dài quá 300 ký tự");
    }
    if seat == SeatInSubcommittee::Head && heads > 0 {
        problems.add("seat", "Tiểu ban đã có trưởng tiểu ban");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subcommittee_has_one_head() {
        let mut p = Problems::new();
        check_member("Nguyễn Văn An", "Phó Bí thư", SeatInSubcommittee::Head, 0, &mut p);
        check_member("Trần Thị Bình", "", SeatInSubcommittee::Deputy, 1, &mut p);
        assert!(p.is_empty());
        check_member("Lê Văn Cường", "", SeatInSubcommittee::Head, 1, &mut p);
        check_member(" ", "", SeatInSubcommittee::Member, 1, &mut p);
        let fields: Vec<_> = p.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["seat", "full_name"]);
    }

    #[test]
    fn every_word_reads_back() {
        for k in SubcommitteeKind::ALL {
            assert_eq!(SubcommitteeKind::parse(k.as_str()), Some(k));
        }
        for s in SeatInSubcommittee::ALL {
            assert_eq!(SeatInSubcommittee::parse(s.as_str()), Some(s));
        }
    }
}
