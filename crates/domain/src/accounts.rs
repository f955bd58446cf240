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

    /// Read the petitions' register and its figures (never a denouncer: only a case's
    /// handlers read that): the inspection committee, the office that receives the mail, a
    /// leader.
    pub fn reads_petitions(self) -> bool {
        matches!(self, Role::Admin | Role::Inspector | Role::Office | Role::Viewer)
    }

    /// Register a letter and record a citizens' reception session (the office receives the
    /// mail; the inspection committee its own).
    pub fn may_register_petitions(self) -> bool {
        matches!(self, Role::Admin | Role::Inspector | Role::Office)
    }

    /// Route, accept, handle and conclude petitions, and assign their handlers (UBKT).
    pub fn may_handle_petitions(self) -> bool {
        matches!(self, Role::Admin | Role::Inspector)
    }

    /// Read awards, badge candidates, proposals and campaigns of the subtree: every office role
    /// (a member sees the own awards on the own record).
    pub fn reads_rewards(self) -> bool {
        self != Role::Member
    }

    /// Keep the emulation and rewards work: launch and report campaigns, write and decide award
    /// proposals, record badges and awards (the committee's office, the Organisation board, a
    /// secretary).
    pub fn may_keep_rewards(self) -> bool {
        matches!(self, Role::Admin | Role::Office | Role::Organizer | Role::Secretary)
    }

    /// Read the dues books and reports of the subtree: every office role (a member reads the
    /// own dues).
    pub fn reads_dues(self) -> bool {
        self != Role::Member
    }

    /// Keep the dues books: record payments, bases and exemptions, set the region and shares
    /// (a cell's secretary, the committee's office).
    pub fn may_keep_dues(self) -> bool {
        matches!(self, Role::Admin | Role::Office | Role::Secretary)
    }

    /// Create accounts and read the audit log.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }
}

/// The password policy of OWASP ASVS 4.0 level 2 (V2.1): at least 12 characters (2.1.1), up to
/// 128 accepted (2.1.2), any character, no composition rules (2.1.9), and not a common or
/// guessable password (2.1.7): the well-known ones and their variants (letters swapped for
/// digits, digits or symbols added at the end), runs of the keyboard or the alphabet, a few
/// characters repeated, or the account's own name.
pub mod password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    /// The most used passwords and their bases, Vietnamese ones included, as written after
    /// [`normalised`]: the list is short because the variants are folded onto it.
    const COMMON: [&str; 63] = [
        "password",
        "passwd",
        "pass",
        "qwerty",
        "qwertyuiop",
        "asdfgh",
        "asdfghjkl",
        "zxcvbnm",
        "iloveyou",
        "admin",
        "administrator",
        "root",
        "welcome",
        "letmein",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "princess",
        "trustnoi",
        "master",
        "shadow",
        "superman",
        "batman",
        "starwars",
        "whatever",
        "freedom",
        "changeme",
        "default",
        "secret",
        "abc",
        "abcabc",
        "aaa",
        "qazwsx",
        "zaqxsw",
        "qweasd",
        "matkhau",
        "matkhaucuatoi",
        "anhyeuem",
        "emyeuanh",
        "yeuem",
        "yeuanh",
        "vietnam",
        "vietnamvodich",
        "hanoi",
        "saigon",
        "hochiminh",
        "nghean",
        "dangvien",
        "dangcongsan",
        "dangcongsanvietnam",
        "tinhuy",
        "quantri",
        "quantrivien",
        "nguyen",
        "tran",
        "dangvu",
        "login",
        "user",
        "guest",
        "test",
        "demo",
    ];

    /// Lower case, letters for the digits and symbols that stand for them, without separators
    /// and without the digits and symbols added at the end (`P@ssw0rd-2024!` → `password`).
    pub fn normalised(password: &str) -> String {
        let lower = password.to_lowercase();
        let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
        let stem = if stem.is_empty() { lower.as_str() } else { stem };
        stem.chars()
            .map(|c| match c {
                '@' | '4' => 'a',
                '0' => 'o',
                '1' | '!' | '|' => 'i',
                '3' => 'e',
                '$' | '5' => 's',
                '7' => 't',
                other => other,
            })
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | ','))
            .collect()
    }

    /// Whether the text runs along a row of the keyboard, the alphabet or the digits (either way).
    fn is_run(text: &str) -> bool {
        const RUNS: [&str; 4] = [
            "abcdefghijklmnopqrstuvwxyz",
            "01234567890123456789",
            "qwertyuiopasdfghjklzxcvbnm",
            "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
        ];
        let reversed: String = text.chars().rev().collect();
        text.chars().count() >= 4 && RUNS.iter().any(|r| r.contains(text) || r.contains(reversed.as_str()))
    }

    /// What is wrong with a password, in words for the user; `None` when it is acceptable.
    pub fn weakness(password: &str, username: &str) -> Option<String> {
        let chars = password.chars().count();
        if chars < MIN_CHARS {
            return Some(format!("Mật khẩu phải có ít nhất {MIN_CHARS} ký tự (nên dùng một câu dễ nhớ)"));
        }
        if chars > MAX_CHARS {
            return Some(format!("Mật khẩu tối đa {MAX_CHARS} ký tự"));
        }
        let distinct: std::collections::BTreeSet<char> = password.chars().flat_map(char::to_lowercase).collect();
        if distinct.len() < 5 {
            return Some("Mật khẩu lặp lại quá ít ký tự khác nhau".into());
        }
        let plain: String = password.chars().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect();
        let folded = normalised(password);
        if COMMON.contains(&folded.as_str()) || is_run(&plain) || is_run(&folded) {
            return Some("Mật khẩu này quá phổ biến hoặc dễ đoán; hãy chọn mật khẩu khác".into());
        }
        let name = username.trim().to_lowercase();
        if name.chars().count() >= 4 && password.to_lowercase().contains(&name) {
            return Some("Mật khẩu không được chứa tên đăng nhập".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_policy_of_asvs_level_2() {
        use password::weakness;
        for weak in [
            "ngan",
            "aaaaaaaaaaaa",
            "121212121212",
            "Password2024!",
            "P@ssw0rd-2026",
            "matkhau123456",
            "Anh yeu em 2025",
            "qwertyuiop123",
            "abcdefghijklm",
            "123456789012",
            "1qaz2wsx3edc4rfv",
            "nguyenvana-nguyenvana",
        ] {
            assert!(weakness(weak, "nguyenvana").is_some(), "{weak} passes");
        }
        for fine in [
            "dangvu-demo-2026",
            "mat-khau-dai-1",
            "a long password",
            "Cây tre Việt Nam 1945",
            "bench-tasks-2026-password",
        ] {
            assert_eq!(weakness(fine, "quantri"), None, "{fine}");
        }
        assert!(weakness(&"đ".repeat(129), "x").is_some());
        assert_eq!(password::normalised("P@ssw0rd-2024!"), "password");
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
