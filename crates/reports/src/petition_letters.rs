//! The letters of a petition in the Party's document layout (36-HD/VPTW): the notice that a
//! letter was accepted for handling (thông báo thụ lý), the notice of its result (thông báo
//! kết quả giải quyết) — both to the sender — and the transfer letter (phiếu chuyển đơn) to
//! the competent body, which never names a denouncer: the body that receives it asks the
//! handlers, who keep the identity.

use chrono::NaiveDate;

use crate::ReportError;
use crate::content::{Content, Section, date, date_line};

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    Acceptance,
    Result,
    Transfer,
}

impl LetterKind {
    pub fn parse(s: &str) -> Option<LetterKind> {
        match s {
            "acceptance" => Some(LetterKind::Acceptance),
            "result" => Some(LetterKind::Result),
            "transfer" => Some(LetterKind::Transfer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Acceptance => "acceptance",
            LetterKind::Result => "result",
            LetterKind::Transfer => "transfer",
        }
    }
}

pub struct PetitionLetter {
    pub kind: LetterKind,
    pub audit_head: Option<crate::AuditHead>,
    /// The committee above the issuer, e.g. "ĐẢNG BỘ TỈNH NGHỆ AN".
    pub superior: String,
    /// The issuing body, e.g. "ỦY BAN KIỂM TRA".
    pub issuer: String,
    pub place: String,
    pub on: NaiveDate,
    /// The case: "Tố cáo", its number in the register, the day received.
    pub kind_label: String,
    pub case_number: String,
    pub received_on: NaiveDate,
    /// The content as the register keeps it (without the denouncer's name).
    pub summary: String,
    /// Whom or what the letter concerns.
    pub concerns: String,
    /// The sender, for the letters to the sender; `None` for the transfer letter of a
    /// denunciation and for an anonymous letter.
    pub sender: Option<String>,
    /// Acceptance: the day and the deadline; result: the outcome and its reasons; transfer:
    /// where to and why.
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub note: String,
    pub forwarded_to: Option<String>,
}

impl PetitionLetter {
    fn content(&self) -> Content {
        let about = format!(
            "{} số {} nhận ngày {} về việc: {} (đối tượng: {}).",
            self.kind_label,
            self.case_number,
            date(self.received_on),
            self.summary,
            self.concerns
        );
        let to = self.sender.clone().unwrap_or_else(|| "người gửi đơn".to_owned());
        let (type_name, title, opening, sections, recipients) = match self.kind {
            LetterKind::Acceptance => (
                "THÔNG BÁO",
                format!("Về việc thụ lý giải quyết {}", self.kind_label.to_lowercase()),
                vec![format!("Kính gửi: {to}.")],
                vec![Section {
                    heading: String::new(),
                    paragraphs: vec![
                        about,
                        format!(
                            "{} đã thụ lý giải quyết đơn từ ngày {}.{}",
                            self.issuer_title(),
                            self.accepted_on.map(date).unwrap_or_default(),
                            self.due_on
                                .map(|d| format!(" Thời hạn giải quyết đến ngày {}.", date(d)))
                                .unwrap_or_default()
                        ),
                        "Kết quả giải quyết sẽ được thông báo đến người gửi đơn theo quy định.".to_owned(),
                    ],
                    table: None,
                }],
                vec![format!("- {to},"), "- Lưu hồ sơ giải quyết đơn.".to_owned()],
            ),
            LetterKind::Result => (
                "THÔNG BÁO",
                format!("Kết quả giải quyết {}", self.kind_label.to_lowercase()),
                vec![format!("Kính gửi: {to}.")],
                vec![Section {
                    heading: String::new(),
                    paragraphs: vec![
                        about,
                        format!("Kết luận: {}.", self.outcome.clone().unwrap_or_default()),
                        self.note.clone(),
                    ]
                    .into_iter()
                    .filter(|p| !p.trim().is_empty())
                    .collect(),
                    table: None,
                }],
                vec![format!("- {to},"), "- Lưu hồ sơ giải quyết đơn.".to_owned()],
            ),
            LetterKind::Transfer => {
                let target = self.forwarded_to.clone().unwrap_or_default();
                (
                    "PHIẾU CHUYỂN ĐƠN",
                    format!("{} số {}", self.kind_label, self.case_number),
                    vec![format!("Kính gửi: {target}.")],
                    vec![Section {
                        heading: String::new(),
                        paragraphs: vec![
                            about,
                            match &self.sender {
                                Some(s) => format!("Người gửi: {s}."),
                                None => "Danh tính người gửi được giữ bí mật theo quy định; cơ quan nhận liên hệ \
                                         cơ quan chuyển đơn khi cần."
                                    .to_owned(),
                            },
                            format!(
                                "Đơn thuộc thẩm quyền giải quyết của {target}. {} chuyển đơn để xem xét, giải \
                                 quyết theo thẩm quyền.",
                                self.issuer_title()
                            ),
                            self.note.clone(),
                        ]
                        .into_iter()
                        .filter(|p| !p.trim().is_empty())
                        .collect(),
                        table: None,
                    }],
                    vec![format!("- {target},"), "- Lưu hồ sơ đơn.".to_owned()],
                )
            }
        };
        Content {
            doc_title: format!("{type_name} {title}"),
            author: self.issuer_title(),
            superior: vec![self.superior.to_uppercase()],
            issuer: vec![self.issuer.to_uppercase()],
            number: String::new(),
            date_line: date_line(self.place.trim(), self.on),
            type_name: type_name.to_owned(),
            title,
            opening,
            sections,
            recipients,
            signer_title: vec![format!("T/M {}", self.issuer.to_uppercase())],
            signer_name: String::new(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }

    fn issuer_title(&self) -> String {
        let mut c = self.issuer.chars();
        let first: String = c.next().map(|f| f.to_uppercase().collect()).unwrap_or_default();
        first + &c.as_str().to_lowercase()
    }
}

/// The letter as an A4 PDF. CPU-bound: call it from `spawn_blocking` in async code.
pub fn petition_letter_pdf(l: &PetitionLetter) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf(&l.content())
}

/// The letter as a Word document.
pub fn petition_letter_docx(l: &PetitionLetter) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&l.content())
}
