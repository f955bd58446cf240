//! The "báo cáo tiếp thu, giải trình" of a congress draft: every comment received, where it
//! points, who sent it, and the documents subcommittee's disposition with its reason, in the
//! Party's document layout, as PDF and DOCX. The same comment sent by many is one row naming
//! all of them ("17 đơn vị").

use chrono::NaiveDate;
use dangvu_domain::vi::number;

use crate::ReportError;
use crate::content::{Content, Section, Table, date_line};

/// One row: a comment, or the same comment from several senders with the same disposition.
pub struct DispositionLine {
    /// "Đoạn 12 (bản 2)", or "Đoạn 7 của bản 1, nay không còn".
    pub place: String,
    pub text: String,
    pub senders: Vec<String>,
    /// "Tiếp thu" …; "Chưa xử lý" when none yet.
    pub disposition: String,
    pub reason: String,
}

pub struct DispositionReport {
    pub audit_head: Option<crate::AuditHead>,
    /// The congress's organisation, e.g. "Đảng bộ Khối các cơ quan tỉnh".
    pub org: String,
    /// The congress, e.g. "Đại hội đại biểu Đảng bộ Khối lần thứ VII, nhiệm kỳ 2025-2030".
    pub congress: String,
    pub draft: String,
    pub version: u32,
    pub sha256: String,
    pub place: String,
    pub on: NaiveDate,
    pub comments: u64,
    pub from_units: u64,
    pub from_members: u64,
    /// (label, count) for each disposition, and for those not yet disposed.
    pub totals: Vec<(String, u64)>,
    pub lines: Vec<DispositionLine>,
}

/// The senders of a row, at most this many by name, then "và N nơi khác".
const NAMED_SENDERS: usize = 12;

fn senders(list: &[String]) -> String {
    if list.len() <= NAMED_SENDERS {
        return list.join("; ");
    }
    format!("{}; và {} nơi khác", list[..NAMED_SENDERS].join("; "), number((list.len() - NAMED_SENDERS) as i64))
}

impl DispositionReport {
    fn content(&self) -> Content {
        let mut opening = vec![format!(
            "Tiểu ban Văn kiện đã nhận {} ý kiến góp ý vào dự thảo {} ({} của tổ chức, {} của đảng viên). \
             Báo cáo này tổng hợp từng ý kiến, vị trí trong dự thảo, nơi gửi và việc tiếp thu, giải trình; \
             vị trí ghi theo bản {} của dự thảo.",
            number(self.comments as i64),
            self.draft,
            number(self.from_units as i64),
            number(self.from_members as i64),
            self.version,
        )];
        opening.push(
            self.totals
                .iter()
                .map(|(label, n)| format!("{label}: {}", number(*n as i64)))
                .collect::<Vec<_>>()
                .join("; ")
                + ".",
        );
        // One section a place in the text, each with its own table: a table of tens of
        // thousands of rows is laid out as one piece, and its cost grows faster than its rows.
        let mut places: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let from = if l.senders.len() > 1 {
                format!("{} nơi: {}", number(l.senders.len() as i64), senders(&l.senders))
            } else {
                senders(&l.senders)
            };
            let row = vec![number(i as i64 + 1), l.text.clone(), from, l.disposition.clone(), l.reason.clone()];
            match places.last_mut() {
                Some((place, rows)) if *place == l.place => rows.push(row),
                _ => places.push((&l.place, vec![row])),
            }
        }
        let mut sections: Vec<Section> = places
            .into_iter()
            .map(|(place, rows)| Section {
                heading: place.to_owned(),
                paragraphs: Vec::new(),
                table: Some(Table {
                    widths: vec![0.8, 4.9, 3.0, 1.7, 4.1],
                    aligns: vec!["center", "left", "left", "left", "left"],
                    header: ["STT", "Nội dung góp ý", "Nơi gửi", "Tiếp thu", "Giải trình, lý do"]
                        .map(String::from)
                        .to_vec(),
                    rows,
                    foot: None,
                }),
            })
            .collect();
        sections.push(Section {
            heading: "Dấu vân tay của bản dự thảo".to_owned(),
            paragraphs: vec![format!("Bản {} (SHA-256): {}", self.version, self.sha256)],
            table: None,
        });
        Content {
            doc_title: format!("Báo cáo tiếp thu, giải trình ý kiến góp ý dự thảo {}", self.draft),
            author: "Tiểu ban Văn kiện".to_owned(),
            superior: vec![self.org.to_uppercase()],
            issuer: vec!["TIỂU BAN VĂN KIỆN".to_owned()],
            number: String::new(),
            date_line: date_line(self.place.trim(), self.on),
            type_name: "BÁO CÁO".to_owned(),
            title: format!("Tiếp thu, giải trình ý kiến góp ý dự thảo {} — {}", self.draft, self.congress),
            opening,
            sections,
            recipients: vec!["- Ban Thường vụ,".to_owned(), "- Lưu Tiểu ban Văn kiện.".to_owned()],
            signer_title: vec!["T/M TIỂU BAN VĂN KIỆN".to_owned(), "TRƯỞNG TIỂU BAN".to_owned()],
            signer_name: String::new(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }
}

/// Rows laid out together: about 200 pages, a few hundred megabytes of Typst's caches at most.
const ROWS_PER_PART: usize = 1_200;

/// The report as an A4 PDF, laid out in parts so that 50,000 comments fit in bounded memory.
/// CPU-bound: call it from `spawn_blocking` in async code.
pub fn disposition_pdf(r: &DispositionReport) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf_in_parts(&r.content(), ROWS_PER_PART)
}

/// The report as a Word document.
pub fn disposition_docx(r: &DispositionReport) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&r.content())
}
