//! The rewards' documents: the list of members proposed for the Party badge on an award day
//! (the committee's submission, PDF or DOCX, in the Party's layout) and the figures of awards
//! (PDF, XLSX).

use chrono::NaiveDate;
use dangvu_domain::vi::number;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::ReportError;
use crate::content::{Content, Section, Table, date, date_line};

/// One member proposed for the badge.
#[derive(Debug, Clone)]
pub struct BadgeLine {
    pub full_name: String,
    pub cell: String,
    pub birth_year: Option<i32>,
    pub admitted_on: NaiveDate,
    /// "45 năm 3 tháng".
    pub party_age: String,
    pub milestone_years: u32,
}

pub struct BadgeList {
    pub audit_head: Option<crate::AuditHead>,
    /// The committee proposing, e.g. "Đảng ủy Khối các cơ quan tỉnh".
    pub org: String,
    pub award_day: NaiveDate,
    pub on: NaiveDate,
    pub lines: Vec<BadgeLine>,
}

impl BadgeList {
    fn content(&self) -> Content {
        let mut milestones: Vec<u32> = self.lines.iter().map(|l| l.milestone_years).collect();
        milestones.sort_unstable_by(|a, b| b.cmp(a));
        milestones.dedup();
        let summary: Vec<String> = milestones
            .iter()
            .map(|m| {
                let n = self.lines.iter().filter(|l| l.milestone_years == *m).count();
                format!("Huy hiệu {m} năm tuổi Đảng: {} đồng chí", number(n as i64))
            })
            .collect();
        let opening = vec![
            format!(
                "Căn cứ quy định về xét tặng Huy hiệu Đảng, {} đề nghị xét tặng Huy hiệu Đảng đợt {} cho {} đồng chí \
                 đảng viên đủ tuổi đảng, tuổi đảng tính từ ngày quyết định kết nạp, đã trừ thời gian không sinh hoạt \
                 đảng.",
                self.org,
                date(self.award_day),
                number(self.lines.len() as i64)
            ),
            summary.join("; ") + ".",
        ];
        let table = Table {
            widths: vec![0.8, 3.4, 3.2, 1.2, 1.8, 1.8, 1.4],
            aligns: vec!["center", "left", "left", "center", "center", "center", "center"],
            header: ["STT", "Họ và tên", "Chi bộ", "Năm sinh", "Ngày vào Đảng", "Tuổi đảng", "Huy hiệu"]
                .map(String::from)
                .to_vec(),
            rows: self
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    vec![
                        (i + 1).to_string(),
                        l.full_name.clone(),
                        l.cell.clone(),
                        l.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                        date(l.admitted_on),
                        l.party_age.clone(),
                        format!("{} năm", l.milestone_years),
                    ]
                })
                .collect(),
            foot: None,
        };
        Content {
            doc_title: "Danh sách đề nghị tặng Huy hiệu Đảng".to_owned(),
            author: self.org.clone(),
            superior: Vec::new(),
            issuer: vec![self.org.to_uppercase()],
            number: String::new(),
            date_line: date_line("", self.on),
            type_name: "TỜ TRÌNH".to_owned(),
            title: format!("Đề nghị xét tặng Huy hiệu Đảng đợt {}", date(self.award_day)),
            opening,
            sections: vec![Section {
                heading: "Danh sách đảng viên đề nghị tặng Huy hiệu Đảng".to_owned(),
                paragraphs: Vec::new(),
                table: Some(table),
            }],
            recipients: vec!["- Như trên,".to_owned(), "- Lưu Văn phòng.".to_owned()],
            signer_title: vec!["T/M BAN THƯỜNG VỤ".to_owned()],
            signer_name: String::new(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }
}

pub fn badge_list_pdf(list: &BadgeList) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf(&list.content())
}

pub fn badge_list_docx(list: &BadgeList) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&list.content())
}

/// One line of the figures: a deciding organisation and a kind of award.
#[derive(Debug, Clone)]
pub struct AwardLine {
    pub org: String,
    pub kind: String,
    pub awards: i64,
    pub collectives: i64,
    pub individuals: i64,
}

pub struct AwardFiguresSheet {
    pub org: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<AwardLine>,
}

/// The figures as a spreadsheet: a line per deciding organisation and kind, then the total;
/// every label written as text, never read as a formula.
pub fn award_figures_xlsx(f: &AwardFiguresSheet) -> Result<Vec<u8>, ReportError> {
    build(f).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(f: &AwardFiguresSheet) -> Result<Vec<u8>, XlsxError> {
    let cell = Format::new().set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin);
    let header = cell.clone().set_bold().set_text_wrap();
    let int = cell.clone().set_num_format("#,##0");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Khen thưởng")?;
    let title = format!("Khen thưởng của {} từ ngày {} đến ngày {}", f.org, date(f.from), date(f.to));
    sheet.write_string_with_format(0, 0, &title, &header)?;
    let head = ["Cấp quyết định", "Hình thức", "Số quyết định", "Tập thể", "Cá nhân"];
    for (c, h) in head.iter().enumerate() {
        sheet.set_column_width(c as u16, if c < 2 { 36.0 } else { 14.0 })?;
        sheet.write_string_with_format(2, c as u16, *h, &header)?;
    }
    let mut row = 3u32;
    for l in &f.lines {
        sheet.write_string_with_format(row, 0, &l.org, &cell)?;
        sheet.write_string_with_format(row, 1, &l.kind, &cell)?;
        for (c, n) in [l.awards, l.collectives, l.individuals].iter().enumerate() {
            sheet.write_number_with_format(row, c as u16 + 2, *n as f64, &int)?;
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Tổng số", &header)?;
    sheet.write_string_with_format(row, 1, "", &header)?;
    let totals = f.lines.iter().fold([0i64; 3], |t, l| [t[0] + l.awards, t[1] + l.collectives, t[2] + l.individuals]);
    for (c, n) in totals.iter().enumerate() {
        sheet.write_number_with_format(row, c as u16 + 2, *n as f64, &int)?;
    }
    book.save_to_buffer()
}
