//! A cell's minutes of a year as a PDF book (sổ biên bản sinh hoạt chi bộ): a cover, then each
//! meeting with its latest approved minutes and the signatures of the chair and the secretary.

use serde_json::json;

use crate::ReportError;
use crate::typeset::{Template, compile};

/// One meeting of the book.
pub struct BookMeeting {
    pub title: String,
    /// "Thứ Ba, 03/03/2026 lúc 07:30".
    pub when: String,
    /// The day of the meeting as a Party document dates itself: "ngày 03 tháng 03 năm 2026".
    pub dated: String,
    pub place: String,
    /// "Có mặt 10/12 đảng viên".
    pub attendance: String,
    /// "Nguyễn Văn An (vắng có lý do: đi công tác)".
    pub absent: Vec<String>,
    /// Facts of the head: ("Chủ trì", "…"), ("Thư ký", "…") …
    pub head: Vec<(String, String)>,
    /// The approved text; `None` when the minutes were not approved.
    pub text: Option<String>,
    pub resolutions: Vec<String>,
    /// "Bản sửa đổi lần 2" when the approved minutes were changed.
    pub version_note: Option<String>,
    pub chair: String,
    pub secretary: String,
}

pub struct MinutesBook {
    /// The committee above the cell ("Đảng bộ Sở Tài chính").
    pub committee: String,
    pub cell: String,
    pub year: i32,
    pub meetings: Vec<BookMeeting>,
    pub audit_head: Option<crate::AuditHead>,
}

/// The book as an A4 PDF. CPU-bound: call it from `spawn_blocking` in async code.
pub fn minutes_book_pdf(book: &MinutesBook) -> Result<Vec<u8>, ReportError> {
    let meetings: Vec<serde_json::Value> = book
        .meetings
        .iter()
        .map(|m| {
            json!({
                "title": m.title,
                "when": m.when,
                "dated": m.dated,
                "place": m.place,
                "attendance": m.attendance,
                "absent": m.absent,
                "head": m.head.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                "text": m.text.as_ref().map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>()),
                "resolutions": m.resolutions,
                "version_note": m.version_note,
                "chair": m.chair,
                "secretary": m.secretary,
            })
        })
        .collect();
    let data = json!({
        "committee": book.committee.to_uppercase(),
        "cell": book.cell.to_uppercase(),
        "year": book.year.to_string(),
        "doc_title": format!("Sổ biên bản sinh hoạt {} năm {}", book.cell, book.year),
        "meetings": meetings,
        "anchor": book.audit_head.as_ref().map(crate::AuditHead::line),
    });
    compile(Template::MinutesBook, &data)
}
