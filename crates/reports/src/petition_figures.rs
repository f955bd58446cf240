//! The figures of a petitions' register for a period: the quarterly report of the inspection
//! committee in the Party's layout (PDF, DOCX) and the same tables as a spreadsheet. Counts
//! only: a report never names a sender or a case.

use chrono::NaiveDate;
use dangvu_domain::vi::number;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::ReportError;
use crate::content::{Content, Section, Table, date, date_line, percent};

/// The counts of one line of a breakdown.
#[derive(Debug, Clone, Default)]
pub struct FigureLine {
    pub label: String,
    pub received: i64,
    pub not_handled: i64,
    pub resolved: i64,
    pub resolved_on_time: i64,
    pub resolved_late: i64,
    pub open: i64,
    pub overdue: i64,
}

pub struct PetitionFigures {
    pub audit_head: Option<crate::AuditHead>,
    /// The organisation whose registers are counted, e.g. "Đảng bộ tỉnh Nghệ An".
    pub org: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub on: NaiveDate,
    pub total: FigureLine,
    /// (title, lines): by kind, by channel, by subject, by competent body.
    pub breakdowns: Vec<(String, Vec<FigureLine>)>,
    /// (month, received, resolved).
    pub months: Vec<(String, i64, i64)>,
}

const HEADER: [&str; 8] =
    ["Nội dung", "Nhận", "Lưu, không xử lý", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Đang giải quyết", "Đang quá hạn"];

fn row(l: &FigureLine) -> Vec<String> {
    [l.received, l.not_handled, l.resolved, l.resolved_on_time, l.resolved_late, l.open, l.overdue]
        .iter()
        .map(|n| number(*n))
        .fold(vec![l.label.clone()], |mut r, n| {
            r.push(n);
            r
        })
}

fn table(lines: &[FigureLine], total: Option<&FigureLine>) -> Table {
    Table {
        widths: vec![4.0, 1.4, 1.6, 1.6, 1.4, 1.4, 1.6, 1.6],
        aligns: vec!["left", "right", "right", "right", "right", "right", "right", "right"],
        header: HEADER.map(String::from).to_vec(),
        rows: lines.iter().map(row).collect(),
        foot: total.map(row),
    }
}

impl PetitionFigures {
    fn content(&self) -> Content {
        let t = &self.total;
        let opening = vec![
            format!(
                "Từ ngày {} đến ngày {}, các cơ quan của {} nhận {} đơn; lưu, không xử lý {} đơn (nặc danh, mạo \
                 danh, không rõ địa chỉ, trùng lặp, không rõ nội dung).",
                date(self.from),
                date(self.to),
                self.org,
                number(t.received),
                number(t.not_handled)
            ),
            format!(
                "Đã giải quyết {} đơn, trong đó {} đơn đúng hạn ({} %), {} đơn quá hạn; đang giải quyết {} đơn, trong \
                 đó {} đơn đã quá hạn.",
                number(t.resolved),
                number(t.resolved_on_time),
                percent(t.resolved_on_time, t.resolved),
                number(t.resolved_late),
                number(t.open),
                number(t.overdue)
            ),
        ];
        let mut sections: Vec<Section> = self
            .breakdowns
            .iter()
            .enumerate()
            .map(|(i, (title, lines))| Section {
                heading: format!("{}. {title}", i + 1),
                paragraphs: Vec::new(),
                table: Some(table(lines, Some(&FigureLine { label: "Tổng số".into(), ..t.clone() }))),
            })
            .collect();
        sections.push(Section {
            heading: format!("{}. Theo tháng", sections.len() + 1),
            paragraphs: Vec::new(),
            table: Some(Table {
                widths: vec![3.0, 2.0, 2.0],
                aligns: vec!["left", "right", "right"],
                header: ["Tháng", "Nhận", "Đã giải quyết"].map(String::from).to_vec(),
                rows: self.months.iter().map(|(m, r, s)| vec![m.clone(), number(*r), number(*s)]).collect(),
                foot: None,
            }),
        });
        Content {
            doc_title: "Báo cáo công tác tiếp nhận, giải quyết đơn thư".to_owned(),
            author: "Ủy ban Kiểm tra".to_owned(),
            superior: vec![self.org.to_uppercase()],
            issuer: vec!["ỦY BAN KIỂM TRA".to_owned()],
            number: String::new(),
            date_line: date_line("", self.on),
            type_name: "BÁO CÁO".to_owned(),
            title: format!(
                "Kết quả tiếp nhận, giải quyết đơn thư khiếu nại, tố cáo từ ngày {} đến ngày {}",
                date(self.from),
                date(self.to)
            ),
            opening,
            sections,
            recipients: vec!["- Thường trực cấp ủy,".to_owned(), "- Lưu Ủy ban Kiểm tra.".to_owned()],
            signer_title: vec!["T/M ỦY BAN KIỂM TRA".to_owned(), "CHỦ NHIỆM".to_owned()],
            signer_name: String::new(),
            appendix: None,
            anchor: self.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }
}

pub fn petition_figures_pdf(f: &PetitionFigures) -> Result<Vec<u8>, ReportError> {
    crate::typeset::pdf(&f.content())
}

pub fn petition_figures_docx(f: &PetitionFigures) -> Result<Vec<u8>, ReportError> {
    crate::word::docx(&f.content())
}

/// One sheet per breakdown and one of the months; every label written as text, never read as a
/// formula.
pub fn petition_figures_xlsx(f: &PetitionFigures) -> Result<Vec<u8>, ReportError> {
    build(f).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(f: &PetitionFigures) -> Result<Vec<u8>, XlsxError> {
    let cell = Format::new().set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin);
    let header = cell.clone().set_bold().set_text_wrap();
    let int = cell.clone().set_num_format("#,##0");
    let mut book = Workbook::new();
    for (title, lines) in &f.breakdowns {
        let sheet = book.add_worksheet();
        let name: String = title.chars().take(31).collect();
        sheet.set_name(&name)?;
        for (c, h) in HEADER.iter().enumerate() {
            sheet.set_column_width(c as u16, if c == 0 { 36.0 } else { 14.0 })?;
            sheet.write_string_with_format(0, c as u16, *h, &header)?;
        }
        for (i, l) in
            lines.iter().chain(std::iter::once(&FigureLine { label: "Tổng số".into(), ..f.total.clone() })).enumerate()
        {
            let r = i as u32 + 1;
            sheet.write_string_with_format(r, 0, &l.label, &cell)?;
            for (c, n) in
                [l.received, l.not_handled, l.resolved, l.resolved_on_time, l.resolved_late, l.open, l.overdue]
                    .iter()
                    .enumerate()
            {
                sheet.write_number_with_format(r, c as u16 + 1, *n as f64, &int)?;
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Theo tháng")?;
    for (c, h) in ["Tháng", "Nhận", "Đã giải quyết"].iter().enumerate() {
        sheet.set_column_width(c as u16, 16.0)?;
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, (m, received, resolved)) in f.months.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string_with_format(r, 0, m, &cell)?;
        sheet.write_number_with_format(r, 1, *received as f64, &int)?;
        sheet.write_number_with_format(r, 2, *resolved as f64, &int)?;
    }
    book.save_to_buffer()
}
