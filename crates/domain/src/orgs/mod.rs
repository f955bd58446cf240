//! Organisations of the Party tree: kinds, the parent each kind may have, codes and names,
//! and the bodies inside an organisation that can own work.

pub mod tree;

use serde::{Deserialize, Serialize};

use crate::validation::Problems;

/// The kind of a node of the tree (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Tỉnh ủy / đảng bộ tỉnh: the root of a deployment.
    Province,
    /// Đảng bộ trực thuộc: district (historical), commune, ward, bloc.
    Committee,
    /// Đảng bộ cơ sở.
    GrassrootsCommittee,
    /// Chi bộ cơ sở.
    GrassrootsCell,
    /// Đảng bộ bộ phận.
    SubCommittee,
    /// Chi bộ.
    Cell,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        OrgKind::Province,
        OrgKind::Committee,
        OrgKind::GrassrootsCommittee,
        OrgKind::GrassrootsCell,
        OrgKind::SubCommittee,
        OrgKind::Cell,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Province => "province",
            OrgKind::Committee => "committee",
            OrgKind::GrassrootsCommittee => "grassroots_committee",
            OrgKind::GrassrootsCell => "grassroots_cell",
            OrgKind::SubCommittee => "sub_committee",
            OrgKind::Cell => "cell",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Vietnamese name of the kind.
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Province => "Đảng bộ tỉnh",
            OrgKind::Committee => "Đảng bộ trực thuộc",
            OrgKind::GrassrootsCommittee => "Đảng bộ cơ sở",
            OrgKind::GrassrootsCell => "Chi bộ cơ sở",
            OrgKind::SubCommittee => "Đảng bộ bộ phận",
            OrgKind::Cell => "Chi bộ",
        }
    }

    /// Which kinds may stand directly above this one. `None` in the list means the
    /// kind may be a root.
    pub fn may_be_child_of(self, parent: Option<OrgKind>) -> bool {
        use OrgKind::*;
        matches!(
            (self, parent),
            (Province, None)
                | (Committee | GrassrootsCommittee | GrassrootsCell, Some(Province | Committee))
                | (SubCommittee, Some(GrassrootsCommittee))
                | (Cell, Some(GrassrootsCommittee | SubCommittee))
        )
    }

    /// Members belong to a cell or to a grassroots cell, never to a committee.
    pub fn holds_members(self) -> bool {
        matches!(self, OrgKind::Cell | OrgKind::GrassrootsCell)
    }

    /// Grassroots organisations (tổ chức cơ sở đảng).
    pub fn is_grassroots(self) -> bool {
        matches!(self, OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell)
    }
}

/// Why a change of the tree is refused; each reason reads as a sentence to the user.
pub fn parent_problem(kind: OrgKind, parent: Option<OrgKind>) -> Option<String> {
    if kind.may_be_child_of(parent) {
        return None;
    }
    Some(match parent {
        None => format!("{} phải thuộc một tổ chức cấp trên", kind.label()),
        Some(p) => format!("{} không thể trực thuộc {}", kind.label(), p.label().to_lowercase()),
    })
}

/// An organisation code: upper case letters, digits, `-`, `_` and `.`, 2 to 40 characters.
pub fn normalize_code(input: &str) -> String {
    input.trim().to_uppercase()
}

pub fn check_code(code: &str, problems: &mut Problems) {
    let ok_chars = code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if code.len() < 2 || code.len() > 40 || !ok_chars {
        problems.add("code", "Mã tổ chức gồm 2–40 ký tự: chữ cái không dấu, chữ số, dấu '-', '_' hoặc '.'");
    }
}

pub fn check_name(name: &str, problems: &mut Problems) {
    let n = name.chars().count();
    if n == 0 {
        problems.add("name", "Tên tổ chức không được để trống");
    } else if n > 200 {
        problems.add("name", "Tên tổ chức dài quá 200 ký tự");
    }
}

/// A body inside an organisation that can own tasks (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Ban Chấp hành.
    Executive,
    /// Ban Thường vụ.
    Standing,
    /// Thường trực.
    StandingOffice,
    /// Ủy ban Kiểm tra.
    Inspection,
    /// A board: Ban Tổ chức, Ban Tuyên giáo và Dân vận …
    Board,
    /// Văn phòng.
    Office,
    /// Đảng đoàn (in the People's Council, the Front, a mass organisation).
    PartyDelegation,
    /// Ban cán sự đảng (in the People's Committee, a court, a procuracy).
    PartyBoard,
    /// The Front or a mass organisation the committee assigns work to.
    MassOrganisation,
}

impl BodyKind {
    pub const ALL: [BodyKind; 9] = [
        BodyKind::Executive,
        BodyKind::Standing,
        BodyKind::StandingOffice,
        BodyKind::Inspection,
        BodyKind::Board,
        BodyKind::Office,
        BodyKind::PartyDelegation,
        BodyKind::PartyBoard,
        BodyKind::MassOrganisation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Executive => "executive",
            BodyKind::Standing => "standing",
            BodyKind::StandingOffice => "standing_office",
            BodyKind::Inspection => "inspection",
            BodyKind::Board => "board",
            BodyKind::Office => "office",
            BodyKind::PartyDelegation => "party_delegation",
            BodyKind::PartyBoard => "party_board",
            BodyKind::MassOrganisation => "mass_organisation",
        }
    }

    pub fn parse(s: &str) -> Option<BodyKind> {
        BodyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            BodyKind::Executive => "Ban Chấp hành",
            BodyKind::Standing => "Ban Thường vụ",
            BodyKind::StandingOffice => "Thường trực",
            BodyKind::Inspection => "Ủy ban Kiểm tra",
            BodyKind::Board => "Ban",
            BodyKind::Office => "Văn phòng",
            BodyKind::PartyDelegation => "Đảng đoàn",
            BodyKind::PartyBoard => "Ban cán sự đảng",
            BodyKind::MassOrganisation => "Mặt trận, đoàn thể",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_shape_follows_the_charter() {
        use OrgKind::*;
        assert!(Province.may_be_child_of(None));
        assert!(!Cell.may_be_child_of(None));
        assert!(Cell.may_be_child_of(Some(SubCommittee)));
        assert!(Cell.may_be_child_of(Some(GrassrootsCommittee)));
        assert!(!Cell.may_be_child_of(Some(GrassrootsCell)));
        assert!(!Cell.may_be_child_of(Some(Province)));
        assert!(SubCommittee.may_be_child_of(Some(GrassrootsCommittee)));
        assert!(!SubCommittee.may_be_child_of(Some(Committee)));
        assert!(GrassrootsCell.may_be_child_of(Some(Committee)));
        assert!(parent_problem(Cell, Some(Province)).is_some());
    }

    #[test]
    fn codes() {
        let mut p = Problems::new();
        check_code(&normalize_code(" duk-ccq "), &mut p);
        assert!(p.is_empty());
        check_code("Đ", &mut p);
        check_code("A B", &mut p);
        assert_eq!(p.into_vec().len(), 2);
    }

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        for k in BodyKind::ALL {
            assert_eq!(BodyKind::parse(k.as_str()), Some(k));
        }
    }
}
