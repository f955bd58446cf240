//! The month's supervision of cell meetings as a workbook: every cell on the first sheet (the
//! page shows the first 500), the trend on the second, the members absent several meetings
//! running on the third for those who may read their names.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::ReportError;

/// One cell in the month.
pub struct CellLine {
    pub name: String,
    pub regular: i64,
    pub thematic: i64,
    pub present: i64,
    pub recorded: i64,
    /// Thematic meetings since the start of the quarter.
    pub thematic_in_quarter: i64,
    /// Official members today.
    pub official_members: i64,
}

/// One month of the trend.
pub struct TrendLine {
    /// `YYYY-MM`.
    pub month: String,
    pub cells_met: i64,
    pub cells_met_regular: i64,
    pub cells_met_thematic: i64,
    pub attendance_rate: f64,
}

pub struct AbsenteeLine {
    pub full_name: String,
    pub cell: String,
    pub meetings_missed: i64,
}

pub struct Supervision {
    /// "Đảng bộ Khối các cơ quan tỉnh, tháng 3/2026".
    pub title: String,
    pub cells: Vec<CellLine>,
    pub trend: Vec<TrendLine>,
    /// `None` for an account that sees counts only.
    pub absentees: Option<Vec<AbsenteeLine>>,
}

pub fn supervision_xlsx(s: &Supervision) -> Result<Vec<u8>, ReportError> {
    build(s).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(s: &Supervision) -> Result<Vec<u8>, XlsxError> {
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin);
    let header = font(Format::new()).set_bold().set_align(FormatAlign::Center).set_text_wrap();
    let title = Format::new().set_font_name("Times New Roman").set_font_size(14).set_bold();
    let text = font(Format::new()).set_text_wrap();
    let int = font(Format::new()).set_num_format("#,##0");
    let percent = font(Format::new()).set_num_format("0.0%");
    let mut book = Workbook::new();

    let sheet = book.add_worksheet();
    sheet.set_name("Từng chi bộ")?;
    sheet.write_string_with_format(0, 0, &s.title, &title)?;
    let columns: [(&str, f64); 9] = [
        ("TT", 6.0),
        ("Chi bộ", 50.0),
        ("Thường kỳ", 11.0),
        ("Chuyên đề", 11.0),
        ("Có mặt", 10.0),
        ("Đã điểm danh", 13.0),
        ("Tỷ lệ dự", 10.0),
        ("Chuyên đề trong quý", 13.0),
        ("Đảng viên chính thức hiện nay", 15.0),
    ];
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(2, col as u16, *name, &header)?;
    }
    for (i, c) in s.cells.iter().enumerate() {
        let row = i as u32 + 3;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &int)?;
        sheet.write_string_with_format(row, 1, &c.name, &text)?;
        sheet.write_number_with_format(row, 2, c.regular as f64, &int)?;
        sheet.write_number_with_format(row, 3, c.thematic as f64, &int)?;
        sheet.write_number_with_format(row, 4, c.present as f64, &int)?;
        sheet.write_number_with_format(row, 5, c.recorded as f64, &int)?;
        if c.recorded > 0 {
            sheet.write_number_with_format(row, 6, c.present as f64 / c.recorded as f64, &percent)?;
        } else {
            sheet.write_string_with_format(row, 6, "", &text)?;
        }
        sheet.write_number_with_format(row, 7, c.thematic_in_quarter as f64, &int)?;
        sheet.write_number_with_format(row, 8, c.official_members as f64, &int)?;
    }
    sheet.set_freeze_panes(3, 0)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Theo tháng")?;
    let columns: [(&str, f64); 5] =
        [("Tháng", 10.0), ("Chi bộ có sinh hoạt", 16.0), ("Thường kỳ", 11.0), ("Chuyên đề", 11.0), ("Tỷ lệ dự", 10.0)];
    for (col, (name, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(0, col as u16, *name, &header)?;
    }
    for (i, t) in s.trend.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, &t.month, &text)?;
        sheet.write_number_with_format(row, 1, t.cells_met as f64, &int)?;
        sheet.write_number_with_format(row, 2, t.cells_met_regular as f64, &int)?;
        sheet.write_number_with_format(row, 3, t.cells_met_thematic as f64, &int)?;
        sheet.write_number_with_format(row, 4, t.attendance_rate, &percent)?;
    }

    if let Some(absentees) = &s.absentees {
        let sheet = book.add_worksheet();
        sheet.set_name("Vắng liên tiếp")?;
        let columns: [(&str, f64); 4] = [("TT", 6.0), ("Đảng viên", 30.0), ("Chi bộ", 45.0), ("Số buổi", 9.0)];
        for (col, (name, width)) in columns.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
            sheet.write_string_with_format(0, col as u16, *name, &header)?;
        }
        for (i, a) in absentees.iter().enumerate() {
            let row = i as u32 + 1;
            sheet.write_number_with_format(row, 0, (i + 1) as f64, &int)?;
            sheet.write_string_with_format(row, 1, &a.full_name, &text)?;
            sheet.write_string_with_format(row, 2, &a.cell, &text)?;
            sheet.write_number_with_format(row, 3, a.meetings_missed as f64, &int)?;
        }
    }
    book.save_to_buffer()
}
