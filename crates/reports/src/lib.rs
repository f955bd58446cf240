//! Party-format reports (Hướng dẫn 36-HD/VPTW): the quarterly task report "Báo cáo kết quả
//! thực hiện các nhiệm vụ …" as PDF (Typst, compiled in-process with embedded Liberation
//! Serif), DOCX (Times New Roman in every font slot) and XLSX (the task table).
//!
//! The words are computed once (`content`) and each format lays them out. User text is
//! never interpreted: Typst reads it as JSON data, DOCX and XLSX get plain text.

mod ballot;
mod content;
mod count_minutes;
mod credentials;
mod disposition;
mod minutes_book;
pub mod petition_figures;
pub mod petition_letters;
pub mod rewards;
mod sheet;
pub mod supervision;
mod targets;
pub use ballot::{BallotPaper, ballot_pdf};
pub use count_minutes::{CountMinutes, CountedCandidate, count_minutes_docx, count_minutes_pdf};
pub use credentials::{CredentialsDelegation, CredentialsPerson, CredentialsReport, credentials_docx, credentials_pdf};
pub use disposition::{DispositionLine, DispositionReport, disposition_docx, disposition_pdf};
pub use minutes_book::{BookMeeting, MinutesBook, minutes_book_pdf};
pub use petition_figures::{
    FigureLine, PetitionFigures, petition_figures_docx, petition_figures_pdf, petition_figures_xlsx,
};
pub use petition_letters::{LetterKind, PetitionLetter, petition_letter_docx, petition_letter_pdf};
pub use rewards::{
    AwardFiguresSheet, AwardLine, BadgeLine, BadgeList, award_figures_xlsx, badge_list_docx, badge_list_pdf,
};
pub use targets::targets_xlsx;
mod typeset;
mod word;

use chrono::NaiveDate;

/// Task counts by status; the four statuses are disjoint and add up to `total`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    /// Not done, deadline not passed.
    pub open: i64,
    /// Not done, deadline passed.
    pub overdue: i64,
    pub done_on_time: i64,
    pub done_late: i64,
}

/// The counts of one lead unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCounts {
    pub name: String,
    pub counts: Counts,
}

/// One task as a row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    /// The number shown in the "TT" column.
    pub ordinal: usize,
    pub title: String,
    /// The lead unit.
    pub lead: String,
    /// The deadline; `None` is shown as "Thường xuyên".
    pub due: Option<NaiveDate>,
    /// The status in Vietnamese, e.g. "Quá hạn".
    pub status: String,
    /// 0–100.
    pub progress: i64,
}

/// The audit log's head when a document was printed: its last entry and that entry's hash.
/// Printed at the foot of every document dangvu issues, so that a log rewritten later, chain
/// and all, is caught by the paper: `dangvu audit verify --expect HASH` proves the log still
/// holds that entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub entry: i64,
    pub hash: String,
}

impl AuditHead {
    /// The line at the foot of the document.
    pub fn line(&self) -> String {
        format!("Nhật ký dangvu khi in: mục {}, mã {}", self.entry, self.hash)
    }
}

/// Everything the quarterly task report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    /// The line above the issuer, e.g. "ĐẢNG BỘ TỈNH NGHỆ AN" (printed in capitals).
    pub superior_body: String,
    /// e.g. "TỈNH ỦY NGHỆ AN" or "VĂN PHÒNG TỈNH ỦY" (printed in capitals, bold).
    pub issuing_body: String,
    /// e.g. "Số 125-BC/TU", or "Số    -BC/TU" before numbering.
    pub number: String,
    /// The locality of the date line, e.g. "Nghệ An".
    pub place: String,
    pub date: NaiveDate,
    /// The trích yếu under "BÁO CÁO", e.g. "kết quả thực hiện các nhiệm vụ quý II năm 2025".
    pub title: String,
    /// The subtree reported on, e.g. "Đảng bộ tỉnh Nghệ An".
    pub org_name: String,
    /// e.g. "quý II năm 2025".
    pub period_label: String,
    pub totals: Counts,
    /// By lead unit, in the order to print.
    pub by_unit: Vec<UnitCounts>,
    /// The late tasks (overdue, or done late).
    pub late: Vec<TaskLine>,
    /// Every task of the period (the XLSX, and the appendix of the PDF and DOCX).
    pub tasks: Vec<TaskLine>,
    /// e.g. "T/M BAN THƯỜNG VỤ"; a line break separates lines ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ").
    pub signer_title: String,
    /// May be empty: the space for the signature and the name is left blank.
    pub signer_name: String,
    /// The "Nơi nhận:" lines, e.g. "- Thường trực Tỉnh ủy,".
    pub recipients: Vec<String>,
    pub audit_head: Option<AuditHead>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("DOCX: {0}")]
    Docx(String),
    #[error("XLSX: {0}")]
    Xlsx(String),
}

/// The report as an A4 PDF. CPU-bound (about 0.1–0.2 s for 200 tasks in a release build):
/// call it from `spawn_blocking` in async code.
pub fn pdf(r: &TaskReport) -> Result<Vec<u8>, ReportError> {
    typeset::pdf(&content::Content::of(r))
}

/// The report as a Word document.
pub fn docx(r: &TaskReport) -> Result<Vec<u8>, ReportError> {
    word::docx(&content::Content::of(r))
}

/// The tasks of the report as a workbook: one row per task under a header row on the
/// first sheet, the counts by unit on the second.
pub fn xlsx(r: &TaskReport) -> Result<Vec<u8>, ReportError> {
    sheet::xlsx(r)
}
