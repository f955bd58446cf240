//! Congresses (đại hội): the congress of an organisation once a term, prepared as a project,
//! its drafts (dự thảo văn kiện) in versions with comments collected from members and units,
//! and the disposition of every comment (tiếp thu, giải trình) that the standing board reads.
//!
//! Chỉ thị 35-CT/TW asks every level to prepare its documents and take comments widely;
//! QĐ 190-QĐ/TW and the election rules follow the congress in `elections`.

pub mod delegates;
pub mod documents;
pub mod draft;
pub mod plan;
pub mod state;
pub mod subcommittees;
pub mod targets;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::Problems;

pub use draft::{Change, Located, MAX_PARAGRAPH_CHARS, Succession, compare, group_key, paragraphs};
pub use plan::{Milestone, Standing, Step, standing};
pub use state::{Event, State};

/// Who is summoned: every member (đại hội đảng viên) or elected delegates (đại hội đại biểu).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CongressKind {
    Members,
    Delegates,
}

impl CongressKind {
    pub const ALL: [CongressKind; 2] = [CongressKind::Members, CongressKind::Delegates];

    pub fn as_str(self) -> &'static str {
        match self {
            CongressKind::Members => "members",
            CongressKind::Delegates => "delegates",
        }
    }

    pub fn parse(s: &str) -> Option<CongressKind> {
        CongressKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CongressKind::Members => "Đại hội đảng viên",
            CongressKind::Delegates => "Đại hội đại biểu",
        }
    }

    /// The kind of the elections held at a congress of this kind (the base of Điều 30).
    pub fn election_kind(self) -> crate::elections::ElectionKind {
        match self {
            CongressKind::Members => crate::elections::ElectionKind::MembersCongress,
            CongressKind::Delegates => crate::elections::ElectionKind::DelegatesCongress,
        }
    }
}

/// A term (nhiệm kỳ) written `2025-2030`: its first and last years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    pub from: i32,
    pub to: i32,
}

impl Term {
    /// The longest term: the Party's terms are five years (Điều lệ Đảng, Điều 10); a cell's
    /// term was shorter before 2020, so any span from one to five years is accepted.
    pub const MAX_YEARS: i32 = 5;

    pub fn parse(s: &str) -> Option<Term> {
        let (a, b) = s.trim().split_once(['-', '–'])?;
        let (from, to) = (a.trim().parse::<i32>().ok()?, b.trim().parse::<i32>().ok()?);
        ((1930..=2200).contains(&from) && to > from && to - from <= Term::MAX_YEARS).then_some(Term { from, to })
    }

    /// Whether a congress on `date` can open this term: in the year it starts or the year before
    /// (a congress held late in 2024 opens the 2025–2030 term).
    pub fn opened_on(self, date: NaiveDate) -> bool {
        (self.from - 1..=self.from).contains(&date.year())
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// What a new congress must satisfy before it is stored; every problem named by its field.
pub fn check_congress(
    title: &str,
    term: &str,
    opens_on: NaiveDate,
    closes_on: Option<NaiveDate>,
    problems: &mut Problems,
) -> Option<Term> {
    if title.trim().is_empty() {
        problems.add("title", "Nhập tên đại hội");
    } else if title.chars().count() > 300 {
        problems.add("title", "Tên đại hội dài quá 300 ký tự");
    }
    let parsed = Term::parse(term);
    match parsed {
        None => problems.add("term", "Nhiệm kỳ viết như 2025-2030, không quá 5 năm"),
        Some(t) if !t.opened_on(opens_on) => problems
            .add("opens_on", format!("Đại hội nhiệm kỳ {t} khai mạc trong năm {} hoặc năm {}", t.from - 1, t.from)),
        Some(_) => {}
    }
    if let Some(close) = closes_on {
        if close < opens_on {
            problems.add("closes_on", "Ngày bế mạc không được trước ngày khai mạc");
        } else if (close - opens_on).num_days() > 10 {
            problems.add("closes_on", "Đại hội kéo dài quá 10 ngày: kiểm tra lại ngày bế mạc");
        }
    }
    parsed
}

/// What the documents subcommittee decides about a comment (tiếp thu, giải trình).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Tiếp thu: the draft is changed as the comment asks.
    Accepted,
    /// Tiếp thu một phần.
    PartlyAccepted,
    /// Không tiếp thu, with the reason (giải trình).
    NotAccepted,
    /// Ghi nhận: kept for later work, outside what this draft decides.
    Noted,
}

impl Disposition {
    pub const ALL: [Disposition; 4] =
        [Disposition::Accepted, Disposition::PartlyAccepted, Disposition::NotAccepted, Disposition::Noted];

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Accepted => "accepted",
            Disposition::PartlyAccepted => "partly_accepted",
            Disposition::NotAccepted => "not_accepted",
            Disposition::Noted => "noted",
        }
    }

    pub fn parse(s: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Disposition::Accepted => "Tiếp thu",
            Disposition::PartlyAccepted => "Tiếp thu một phần",
            Disposition::NotAccepted => "Không tiếp thu",
            Disposition::Noted => "Ghi nhận",
        }
    }
}

/// The longest comment and the longest reason, in characters: a page of a political report.
pub const MAX_COMMENT_CHARS: usize = 10_000;

/// A comment's text: present, not longer than a page.
pub fn check_comment(text: &str, problems: &mut Problems) {
    if text.trim().is_empty() {
        problems.add("text", "Nhập nội dung góp ý");
    } else if text.chars().count() > MAX_COMMENT_CHARS {
        problems.add("text", format!("Góp ý dài quá {MAX_COMMENT_CHARS} ký tự"));
    }
}

/// A disposition's reason: always given, as the report prints it beside the comment.
pub fn check_reason(reason: &str, problems: &mut Problems) {
    if reason.trim().is_empty() {
        problems.add("reason", "Nêu lý do tiếp thu hoặc giải trình");
    } else if reason.chars().count() > MAX_COMMENT_CHARS {
        problems.add("reason", format!("Lý do dài quá {MAX_COMMENT_CHARS} ký tự"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_term_is_two_years_written_with_a_dash_at_most_five_apart() {
        assert_eq!(Term::parse("2025-2030"), Some(Term { from: 2025, to: 2030 }));
        assert_eq!(Term::parse(" 2025 – 2030 "), Some(Term { from: 2025, to: 2030 }));
        assert_eq!(Term::parse("2025-2027").map(|t| t.to_string()), Some("2025-2027".into()));
        for bad in ["2025", "2030-2025", "2025-2031", "2025-2025", "abcd-efgh", "", "20-25"] {
            assert_eq!(Term::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_congress_opens_its_term_in_its_first_year_or_the_year_before() {
        let mut p = Problems::new();
        assert!(check_congress("Đại hội", "2025-2030", d("2025-07-22"), Some(d("2025-07-23")), &mut p).is_some());
        check_congress("Đại hội", "2025-2030", d("2024-11-02"), None, &mut p);
        assert!(p.is_empty(), "{p:?}");
        check_congress("Đại hội", "2025-2030", d("2026-01-10"), None, &mut p);
        check_congress("", "2025-2030", d("2025-01-10"), Some(d("2025-01-09")), &mut p);
        let fields: Vec<_> = p.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["opens_on", "title", "closes_on"]);
    }

    #[test]
    fn every_disposition_reads_back_from_its_word() {
        for d in Disposition::ALL {
            assert_eq!(Disposition::parse(d.as_str()), Some(d));
        }
        assert_eq!(Disposition::parse("rejected"), None);
    }
}
