//! The counting board's minutes (biên bản kiểm phiếu, Điều 8 of QĐ 190-QĐ/TW) in the Party's
//! document layout, as PDF and DOCX: the base and its exclusions, the ballots, each person's
//! votes and share of the base, who is elected, the tie decision, the board's signature, and
//! the two fingerprints anyone can check with `dangvu election verify`.

use chrono::NaiveDate;

use crate::ReportError;
use crate::content::{Content, Section, Table, date_line, percent};
use dangvu_domain::vi::number;

/// One person on the list.
pub struct CountedCandidate {
    pub number: u32,
    pub full_name: String,
    pub votes: u32,
    pub elected: bool,
}

/// What the minutes state.
pub struct CountMinutes {
    /// The convening committee's organisation ("Đảng bộ Khối các cơ quan tỉnh").
    pub convening: String,
    /// "Đại hội đại biểu lần thứ … " or the conference.
    pub gathering: String,
    pub election: String,
    pub place: String,
    pub on: NaiveDate,
    /// "Danh sách có số dư" …
    pub ballot: String,
    pub seats: u32,
    pub summoned: u32,
    /// Each exclusion of Điều 30 with its number.
    pub exclusions: Vec<(String, u32)>,
    pub base: u32,
    pub threshold: u32,
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
    pub invalid: u32,
    pub candidates: Vec<CountedCandidate>,
    pub seats_unfilled: u32,
    pub tie_note: Option<String>,
    pub head: String,
    pub members: Vec<String>,
    pub record_fingerprint: String,
    pub result_fingerprint: String,
    pub audit_head: Option<crate::AuditHead>,
}

impl CountMinutes {
    fn content(&self) -> Content {
        let share = |n: u32| percent(i64::from(n), i64::from(self.base));
        let mut base_lines = vec![format!("Tổng số được triệu tập: {}.", number(i64::from(self.summoned)))];
        base_lines.extend(self.exclusions.iter().map(|(why, n)| format!("Trừ {why}: {}.", number(i64::from(*n)))));
        base_lines.push(format!(
            "Số làm căn cứ tính kết quả (Điều 30): {}; người trúng cử phải được quá một nửa, tức từ {} phiếu trở lên.",
            number(i64::from(self.base)),
            number(i64::from(self.threshold))
        ));
        let ballots = vec![
            format!("Số phiếu phát ra: {}.", number(i64::from(self.issued))),
            format!("Số phiếu thu vào: {}.", number(i64::from(self.returned))),
            format!("Số phiếu hợp lệ: {}.", number(i64::from(self.valid))),
            format!("Số phiếu không hợp lệ: {}.", number(i64::from(self.invalid))),
        ];
        let table = Table {
            widths: vec![1.0, 6.0, 2.0, 3.0],
            aligns: vec!["center", "left", "right", "right"],
            header: ["STT", "Họ và tên", "Số phiếu", "Tỷ lệ so với căn cứ (%)"].map(String::from).to_vec(),
            rows: self
                .candidates
                .iter()
                .map(|c| vec![c.number.to_string(), c.full_name.clone(), number(i64::from(c.votes)), share(c.votes)])
                .collect(),
            foot: None,
        };
        let elected: Vec<&CountedCandidate> = self.candidates.iter().filter(|c| c.elected).collect();
        let mut result = vec![format!("Số người trúng cử: {} trên {} cần bầu.", elected.len(), self.seats)];
        result.extend(elected.iter().enumerate().map(|(i, c)| {
            format!(
                "{}. {} — {} phiếu, đạt {}% so với số làm căn cứ.",
                i + 1,
                c.full_name,
                number(i64::from(c.votes)),
                share(c.votes)
            )
        }));
        if let Some(note) = &self.tie_note {
            result.push(format!("Trường hợp bằng phiếu ở suất cuối: {note}"));
        }
        if self.seats_unfilled > 0 {
            result.push(format!(
                "Còn thiếu {} người so với số cần bầu; đại hội xem xét, quyết định bầu tiếp.",
                self.seats_unfilled
            ));
        }
        let fingerprints = vec![
            format!("Bản ghi từng phiếu (SHA-256): {}", self.record_fingerprint),
            format!("Kết quả (SHA-256): {}", self.result_fingerprint),
            "Bản ghi được niêm phong cùng phiếu bầu; kiểm lại bằng lệnh dangvu election verify.".to_owned(),
        ];
        let mut board = vec![format!("Trưởng ban: {}.", self.head)];
        if !self.members.is_empty() {
            board.push(format!("Các thành viên: {}.", self.members.join(", ")));
        }
        Content {
            doc_title: format!("Biên bản kiểm phiếu {}", self.election),
            author: "Ban kiểm phiếu".to_owned(),
            superior: vec![self.convening.to_uppercase()],
            issuer: vec![self.gathering.to_uppercase(), "BAN KIỂM PHIẾU".to_owned()],
            number: String::new(),
            date_line: date_line(self.place.trim(), self.on),
            type_name: "BIÊN BẢN".to_owned(),
            title: format!("Kiểm phiếu {}", self.election),
            opening: vec![format!(
                "Ban kiểm phiếu đã kiểm phiếu {} ({}, bầu {} người). Kết quả như sau:",
                self.election,
                self.ballot.to_lowercase(),
                self.seats
            )],
            sections: vec![
                Section { heading: "I. Ban kiểm phiếu".to_owned(), paragraphs: board, table: None },
                Section { heading: "II. Số làm căn cứ".to_owned(), paragraphs: base_lines, table: None },
                Section { heading: "III. Phiếu bầu".to_owned(), paragraphs: ballots, table: None },
                Section {
                    heading: "IV. Số phiếu bầu cho từng người".to_owned(),
                    paragraphs: Vec::new(),
                    table: Some(table),
                },
                Section { heading: "V. Kết quả".to_owned(), paragraphs: result, table: None },
                Section { heading: "VI. Dấu vân tay".to_owned(), paragraphs: fingerprints, table: None },
            ],
            recipients: vec!["- Đoàn Chủ tịch đại hội,".to_owned(), "- Lưu hồ sơ đại hội.".to_owned()],
            signer_title: vec!["T/M BAN KIỂM PHIẾU".to_owned(), "TRƯỞNG BAN".to_owned()],
            signer_name: self.head.clone(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }
}

/// The minutes as an A4 PDF. CPU-bound: call it from `spawn_blocking` in async code.
pub fn count_minutes_pdf(m: &CountMinutes) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf(&m.content())
}

/// The minutes as a Word document.
pub fn count_minutes_docx(m: &CountMinutes) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&m.content())
}
