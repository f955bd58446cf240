//! XLSX through rust_xlsxwriter: the task table on the first sheet (a header row, then one
//! row per task), the counts by unit on the second.

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::{ReportError, TaskReport};

fn xlsx_error(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

pub(crate) fn xlsx(r: &TaskReport) -> Result<Vec<u8>, ReportError> {
    build(r).map_err(xlsx_error)
}

fn build(r: &TaskReport) -> Result<Vec<u8>, XlsxError> {
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(12).set_border(FormatBorder::Thin);
    let header = font(Format::new())
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let text = font(Format::new()).set_text_wrap().set_align(FormatAlign::Top);
    let centered = font(Format::new()).set_align(FormatAlign::Center).set_align(FormatAlign::Top);
    let date = centered.clone().set_num_format("dd/mm/yyyy");
    let int = font(Format::new()).set_num_format("#,##0").set_align(FormatAlign::Top);
    let bold_int = int.clone().set_bold();
    let bold_text = text.clone().set_bold();

    let mut book = Workbook::new();

    let tasks = book.add_worksheet();
    tasks.set_name("Nhiệm vụ")?;
    let columns: [(&str, f64); 6] = [
        ("TT", 6.0),
        ("Nhiệm vụ", 60.0),
        ("Đơn vị chủ trì", 32.0),
        ("Thời hạn", 13.0),
        ("Tình trạng", 22.0),
        ("Tiến độ (%)", 11.0),
    ];
    for (col, (title, width)) in columns.iter().enumerate() {
        let col = col as u16;
        tasks.set_column_width(col, *width)?;
        tasks.write_string_with_format(0, col, *title, &header)?;
    }
    for (i, t) in r.tasks.iter().enumerate() {
        let row = i as u32 + 1;
        tasks.write_number_with_format(row, 0, t.ordinal as f64, &centered)?;
        tasks.write_string_with_format(row, 1, &t.title, &text)?;
        tasks.write_string_with_format(row, 2, &t.lead, &text)?;
        match t.due {
            Some(d) => {
                let d = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                tasks.write_datetime_with_format(row, 3, &d, &date)?
            }
            None => tasks.write_string_with_format(row, 3, "Thường xuyên", &centered)?,
        };
        tasks.write_string_with_format(row, 4, &t.status, &text)?;
        tasks.write_number_with_format(row, 5, t.progress as f64, &centered)?;
    }
    tasks.set_freeze_panes(1, 0)?;
    tasks.autofilter(0, 0, r.tasks.len() as u32, columns.len() as u16 - 1)?;
    tasks.set_repeat_rows(0, 0)?;
    tasks.set_landscape().set_paper_size(9);

    let units = book.add_worksheet();
    units.set_name("Theo đơn vị")?;
    let columns: [(&str, f64); 7] = [
        ("TT", 6.0),
        ("Đơn vị", 45.0),
        ("Tổng số", 11.0),
        ("Đúng hạn", 11.0),
        ("Quá hạn", 11.0),
        ("Đang thực hiện", 14.0),
        ("Hoàn thành quá hạn", 14.0),
    ];
    for (col, (title, width)) in columns.iter().enumerate() {
        let col = col as u16;
        units.set_column_width(col, *width)?;
        units.write_string_with_format(0, col, *title, &header)?;
    }
    let counts = |c: &crate::Counts| [c.total, c.done_on_time, c.overdue, c.open, c.done_late];
    for (i, u) in r.by_unit.iter().enumerate() {
        let row = i as u32 + 1;
        units.write_number_with_format(row, 0, row as f64, &centered)?;
        units.write_string_with_format(row, 1, &u.name, &text)?;
        for (j, n) in counts(&u.counts).into_iter().enumerate() {
            units.write_number_with_format(row, 2 + j as u16, n as f64, &int)?;
        }
    }
    let row = r.by_unit.len() as u32 + 1;
    units.write_string_with_format(row, 0, "", &bold_text)?;
    units.write_string_with_format(row, 1, "Tổng cộng", &bold_text)?;
    for (j, n) in counts(&r.totals).into_iter().enumerate() {
        units.write_number_with_format(row, 2 + j as u16, n as f64, &bold_int)?;
    }
    units.set_freeze_panes(1, 0)?;

    book.save_to_buffer()
}
