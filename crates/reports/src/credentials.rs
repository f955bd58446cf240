//! The credentials committee's report (báo cáo thẩm tra tư cách đại biểu) that the congress
//! votes on at its preparatory session: who was summoned and how, who is present, the make-up
//! of the delegates, the substitutions, those not accepted with the reason, and the proposal
//! to accept the credentials of the rest. In the Party's layout: the congress is the superior
//! line of a document of its credentials committee (36-HD/VPTW).

use chrono::NaiveDate;
use dangvu_domain::vi::number;

use crate::ReportError;
use crate::content::{Content, Section, Table, date_line};

/// One delegation: the unit, its seats and how many of its people sit and came.
pub struct CredentialsDelegation {
    pub unit: String,
    pub official_seats: u32,
    pub alternate_seats: u32,
    /// Officials who sit (awaiting review or accepted).
    pub sitting: u32,
    pub present: u32,
}

/// A person named in one of the report's tables.
pub struct CredentialsPerson {
    pub full_name: String,
    pub delegation: String,
    pub reason: String,
}

pub struct CredentialsReport {
    pub audit_head: Option<crate::AuditHead>,
    /// The congress, as the superior line: "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ … LẦN THỨ …".
    pub congress: String,
    pub members_congress: bool,
    pub place: String,
    pub on: NaiveDate,
    /// Officials who sit, by source label ("Đại biểu bầu": 210 …).
    pub summoned_by_source: Vec<(String, u32)>,
    pub summoned: u32,
    pub accepted: u32,
    pub awaiting: u32,
    /// The latest session's number and those present at it, when a session was held.
    pub present: Option<(u32, u32)>,
    /// Officials who sit and never checked in.
    pub absent: Vec<CredentialsPerson>,
    /// Among those who sit and have a record in the register.
    pub with_record: u32,
    pub women: u32,
    pub youngest: Option<u32>,
    pub oldest: Option<u32>,
    pub average_age: Option<f64>,
    /// The earliest year of admission among them.
    pub longest_membership_since: Option<i32>,
    /// "Official → alternate", with the reason.
    pub substitutions: Vec<CredentialsPerson>,
    pub rejected: Vec<CredentialsPerson>,
    pub delegations: Vec<CredentialsDelegation>,
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "0 %".to_owned();
    }
    format!("{:.1} %", f64::from(part) * 100.0 / f64::from(whole)).replace('.', ",")
}

fn people(rows: &[CredentialsPerson], third: &str) -> Table {
    Table {
        widths: vec![0.8, 4.5, 4.5, 5.5],
        aligns: vec!["center", "left", "left", "left"],
        header: ["STT", "Họ và tên", "Đoàn đại biểu", third].map(String::from).to_vec(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, p)| vec![number(i as i64 + 1), p.full_name.clone(), p.delegation.clone(), p.reason.clone()])
            .collect(),
        foot: None,
    }
}

impl CredentialsReport {
    fn content(&self) -> Content {
        let who = if self.members_congress { "đảng viên" } else { "đại biểu" };
        let mut opening = vec![format!(
            "Căn cứ Điều lệ Đảng và Quy chế bầu cử trong Đảng (Quyết định số 190-QĐ/TW), Ban Thẩm tra tư cách \
             đại biểu đã thẩm tra tư cách {} {who} được triệu tập dự Đại hội, xin báo cáo Đại hội như sau.",
            number(i64::from(self.summoned)),
        )];
        if let Some((session, present)) = self.present {
            opening.push(format!(
                "Có mặt tại phiên họp thứ {session}: {}/{} {who} ({}).",
                number(i64::from(present)),
                number(i64::from(self.summoned)),
                share(present, self.summoned)
            ));
        }
        let mut sections = vec![Section {
            heading: format!("1. Số {who} được triệu tập"),
            paragraphs: Vec::new(),
            table: Some(Table {
                widths: vec![9.0, 3.0, 3.0],
                aligns: vec!["left", "right", "right"],
                header: ["Thành phần", "Số người", "Tỷ lệ"].map(String::from).to_vec(),
                rows: self
                    .summoned_by_source
                    .iter()
                    .map(|(label, n)| vec![label.clone(), number(i64::from(*n)), share(*n, self.summoned)])
                    .collect(),
                foot: Some(vec!["Tổng số".to_owned(), number(i64::from(self.summoned)), "100 %".to_owned()]),
            }),
        }];
        let mut make_up = vec![format!(
            "Trong {} {who} có hồ sơ đảng viên: nữ {} ({}).",
            number(i64::from(self.with_record)),
            number(i64::from(self.women)),
            share(self.women, self.with_record)
        )];
        if let (Some(young), Some(old), Some(avg)) = (self.youngest, self.oldest, self.average_age) {
            let avg = format!("{avg:.1}").replace('.', ",");
            make_up.push(format!("Tuổi đời: trẻ nhất {young}, cao nhất {old}, bình quân {avg} tuổi."));
        }
        if let Some(year) = self.longest_membership_since {
            make_up.push(format!("Đồng chí có tuổi đảng cao nhất vào Đảng năm {year}."));
        }
        if self.with_record < self.summoned {
            make_up.push(format!(
                "{} {who} chưa liên kết với hồ sơ đảng viên, không tính trong cơ cấu trên.",
                number(i64::from(self.summoned - self.with_record))
            ));
        }
        sections.push(Section { heading: format!("2. Cơ cấu {who}"), paragraphs: make_up, table: None });
        if !self.delegations.is_empty() {
            sections.push(Section {
                heading: "3. Theo đoàn đại biểu".to_owned(),
                paragraphs: Vec::new(),
                table: Some(Table {
                    widths: vec![6.0, 2.3, 2.3, 2.3, 2.3],
                    aligns: vec!["left", "right", "right", "right", "right"],
                    header: ["Đoàn đại biểu", "Được phân bổ", "Dự khuyết", "Được triệu tập", "Có mặt"]
                        .map(String::from)
                        .to_vec(),
                    rows: self
                        .delegations
                        .iter()
                        .map(|d| {
                            vec![
                                d.unit.clone(),
                                number(i64::from(d.official_seats)),
                                number(i64::from(d.alternate_seats)),
                                number(i64::from(d.sitting)),
                                number(i64::from(d.present)),
                            ]
                        })
                        .collect(),
                    foot: None,
                }),
            });
        }
        let n = sections.len() + 1;
        sections.push(Section {
            heading: format!("{n}. Thay đại biểu chính thức bằng đại biểu dự khuyết"),
            paragraphs: if self.substitutions.is_empty() { vec!["Không có.".to_owned()] } else { Vec::new() },
            table: (!self.substitutions.is_empty()).then(|| people(&self.substitutions, "Thay cho, lý do")),
        });
        sections.push(Section {
            heading: format!("{}. {} không được công nhận tư cách", n + 1, capitalised(who)),
            paragraphs: if self.rejected.is_empty() { vec!["Không có.".to_owned()] } else { Vec::new() },
            table: (!self.rejected.is_empty()).then(|| people(&self.rejected, "Lý do")),
        });
        sections.push(Section {
            heading: format!("{}. {} vắng mặt", n + 2, capitalised(who)),
            paragraphs: if self.absent.is_empty() { vec!["Không có.".to_owned()] } else { Vec::new() },
            table: (!self.absent.is_empty()).then(|| people(&self.absent, "Ghi chú")),
        });
        let mut proposal = vec![format!(
            "Ban Thẩm tra tư cách đại biểu đề nghị Đại hội xem xét, công nhận tư cách của {} {who} đã được thẩm tra.",
            number(i64::from(self.accepted))
        )];
        if self.awaiting > 0 {
            proposal.push(format!("Còn {} {who} chưa được thẩm tra.", number(i64::from(self.awaiting))));
        }
        sections.push(Section { heading: format!("{}. Đề nghị", n + 3), paragraphs: proposal, table: None });
        Content {
            doc_title: "Báo cáo thẩm tra tư cách đại biểu".to_owned(),
            author: "Ban Thẩm tra tư cách đại biểu".to_owned(),
            superior: vec![self.congress.to_uppercase()],
            issuer: vec!["BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU".to_owned()],
            number: String::new(),
            date_line: date_line(self.place.trim(), self.on),
            type_name: "BÁO CÁO".to_owned(),
            title: "Thẩm tra tư cách đại biểu dự Đại hội".to_owned(),
            opening,
            sections,
            recipients: vec!["- Đoàn Chủ tịch Đại hội,".to_owned(), "- Lưu Ban Thẩm tra tư cách.".to_owned()],
            signer_title: vec!["T/M BAN THẨM TRA TƯ CÁCH".to_owned(), "TRƯỞNG BAN".to_owned()],
            signer_name: String::new(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The report as an A4 PDF. CPU-bound: call it from `spawn_blocking` in async code.
pub fn credentials_pdf(r: &CredentialsReport) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf(&r.content())
}

/// The report as a Word document.
pub fn credentials_docx(r: &CredentialsReport) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&r.content())
}
