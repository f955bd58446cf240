//! The targets table of a congress draft as a spreadsheet: one row a target, its values as
//! text cells written as typed (never read as formulas).

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::ReportError;

/// Each row: name, unit, last term's target, achieved, next term's target.
pub fn targets_xlsx(title: &str, rows: &[[String; 5]]) -> Result<Vec<u8>, ReportError> {
    build(title, rows).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(title: &str, rows: &[[String; 5]]) -> Result<Vec<u8>, XlsxError> {
    let cell =
        Format::new().set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin).set_text_wrap();
    let header = cell.clone().set_bold();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Chỉ tiêu")?;
    sheet.write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_name("Times New Roman"))?;
    let columns = [
        ("TT", 6.0),
        ("Chỉ tiêu", 48.0),
        ("Đơn vị tính", 14.0),
        ("Chỉ tiêu nhiệm kỳ trước", 18.0),
        ("Kết quả thực hiện", 18.0),
        ("Chỉ tiêu nhiệm kỳ tới", 18.0),
    ];
    for (c, (name, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(2, c as u16, *name, &header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 3;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &cell)?;
        for (c, value) in row.iter().enumerate() {
            sheet.write_string_with_format(r, c as u16 + 1, value, &cell)?;
        }
    }
    book.save_to_buffer()
}
