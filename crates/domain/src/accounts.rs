//! Roles and what each may do inside its scope (CONTRACT.md, "Roles").

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in scope, including accounts.
    Admin,
    /// The organisation tree and members (Ban Tổ chức).
    Organizer,
    /// Meetings, documents, tasks, reports (Văn phòng).
    Office,
    /// Petitions (Ủy ban Kiểm tra).
    Inspector,
    /// A cell or committee's own meetings and members (bí thư).
    Secretary,
    /// Read-only leader.
    Viewer,
    /// A party member: own profile, own cell's meetings and documents.
    Member,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Organizer, Role::Office, Role::Inspector, Role::Secretary, Role::Viewer, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organizer => "organizer",
            Role::Office => "office",
            Role::Inspector => "inspector",
            Role::Secretary => "secretary",
            Role::Viewer => "viewer",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The name shown in the interface.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Organizer => "Ban Tổ chức",
            Role::Office => "Văn phòng",
            Role::Inspector => "Ủy ban Kiểm tra",
            Role::Secretary => "Bí thư chi bộ",
            Role::Viewer => "Lãnh đạo (chỉ xem)",
            Role::Member => "Đảng viên",
        }
    }

    /// Found, rename, move, merge and dissolve organisations.
    pub fn may_change_orgs(self) -> bool {
        matches!(self, Role::Admin | Role::Organizer)
    }

    /// Register documents and meetings, assign tasks and review them (Văn phòng).
    pub fn may_direct(self) -> bool {
        matches!(self, Role::Admin | Role::Office)
    }

    /// Report progress on the tasks of one's own unit.
    pub fn may_report_tasks(self) -> bool {
        !matches!(self, Role::Viewer | Role::Member)
    }

    /// Keep members' records: register, import, transfer (Ban Tổ chức, bí thư chi bộ).
    pub fn may_keep_members(self) -> bool {
        matches!(self, Role::Admin | Role::Organizer | Role::Secretary)
    }

    /// See members' citizen id, phone and card number (DESIGN.md §7): those who keep the
    /// records; others see the rest of the record.
    pub fn sees_member_identity(self) -> bool {
        self.may_keep_members()
    }

    /// Schedule a cell's meetings, record attendance and minutes (bí thư chi bộ, and admins).
    pub fn may_hold_cell_meetings(self) -> bool {
        matches!(self, Role::Admin | Role::Secretary)
    }

    /// Prepare the elections of an organisation in scope: the list, floor nominations, the
    /// counting board (the convening committee's office, Organisation board, a secretary).
    pub fn may_run_elections(self) -> bool {
        matches!(self, Role::Admin | Role::Office | Role::Organizer | Role::Secretary)
    }

    /// Plan a congress, write its drafts and dispose of the comments on them; approve the
    /// congress of an organisation below (Chỉ thị 35-CT/TW).
    pub fn may_prepare_congresses(self) -> bool {
        matches!(self, Role::Admin | Role::Office | Role::Organizer | Role::Secretary)
    }

    /// Set topics and documents for the meetings of every cell below (the committee's office,
    /// the Organisation board, a secretary of a committee).
    pub fn may_push_cell_topics(self) -> bool {
        matches!(self, Role::Admin | Role::Office | Role::Organizer | Role::Secretary)
    }

    /// See which cells of the subtree met and how many attended: every office role; a member
    /// sees only the meetings of the own cell.
    pub fn may_supervise_cell_meetings(self) -> bool {
        self != Role::Member
    }

    /// See by name the members absent from several meetings running: those who keep the
    /// records and must follow them up; others see the counts.
    pub fn sees_absentee_names(self) -> bool {
        self.may_keep_members()
    }

    /// Create accounts and read the audit log.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
