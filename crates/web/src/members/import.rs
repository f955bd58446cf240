//! Importing members from a spreadsheet: reading CSV and XLSX, mapping the file's columns
//! to the fields of a member's record (from the headings, or as the user chose), checking
//! every cell, and the preview that shows all of it before anything is written.

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::text::fold;
use dangvu_domain::validation::{FieldError, Problems};
use dangvu_store::members::{self, CheckedMember, NewMember};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;

/// The fields an import fills: the field names of `POST /api/v1/members`.
pub const FIELDS: [&str; 10] = [
    "full_name",
    "birth_date",
    "gender",
    "status",
    "admitted_on",
    "ceremony_on",
    "official_on",
    "national_id",
    "phone",
    "card_number",
];
const REQUIRED: [&str; 5] = ["full_name", "birth_date", "gender", "status", "admitted_on"];

/// How a field is called on a register kept by hand: the heading a message names when the
/// file's own heading is not at hand.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "full_name" => "Họ và tên",
        "birth_date" => "Ngày sinh",
        "gender" => "Giới tính",
        "status" => "Trạng thái (chính thức/dự bị)",
        "admitted_on" => "Ngày vào Đảng",
        "ceremony_on" => "Ngày lễ kết nạp",
        "official_on" => "Ngày chính thức",
        "national_id" => "Số CCCD",
        "phone" => "Điện thoại",
        "card_number" => "Số thẻ đảng viên",
        _ => "",
    }
}

/// Where a problem of an import is, as the user finds it in the spreadsheet: the row number
/// and the column under the file's own heading ("Dòng 7, cột “Ngày sinh”"); field names in the
/// message are given their Vietnamese headings too.
pub fn place_of(field: &str, header: &[String], mapping: &Mapping) -> String {
    let heading = |f: &str| -> String {
        match mapping.iter().position(|m| *m == Some(f)).and_then(|i| header.get(i)) {
            Some(h) if !h.trim().is_empty() => h.trim().to_owned(),
            _ => field_label(f).to_owned(),
        }
    };
    match field.strip_prefix("row ") {
        Some(rest) => match rest.split_once(": ") {
            Some((n, "cell")) => format!("Dòng {n}, cột mã chi bộ"),
            Some((n, f)) => format!("Dòng {n}, cột “{}”", heading(f)),
            None => format!("Dòng {rest}"),
        },
        None => match field {
            "file" => "Tệp".to_owned(),
            "columns" => "Cách ghép cột".to_owned(),
            other => other.to_owned(),
        },
    }
}

/// A message with the fields it names written as their Vietnamese headings.
pub fn in_vietnamese(message: &str) -> String {
    let mut out = message.to_owned();
    for f in FIELDS {
        out = out.replace(f, field_label(f));
    }
    out
}

/// The most rows one import takes: a province's cell at a time, or a whole province.
pub const MAX_IMPORT_ROWS: usize = 300_000;

/// Reads a CSV or XLSX file into rows of text cells (the first row the header).
pub fn read_table(bytes: &[u8], xlsx: bool) -> Result<Vec<Vec<String>>, AppError> {
    if xlsx {
        return read_xlsx(bytes);
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::invalid("file", "Tệp CSV phải mã hóa UTF-8"))?;
    let delimiter = delimiter_of(text.lines().next().unwrap_or_default());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(EmptyLinesAsRows::new(text.as_bytes(), delimiter));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| AppError::invalid(&format!("row {}", rows.len() + 1), format!("Dòng không đọc được: {e}")))?;
        rows.push(record.iter().map(|c| dangvu_domain::text::nfc(c.trim())).collect());
        if rows.len() > MAX_IMPORT_ROWS + 1 {
            return Err(AppError::invalid("file", format!("Tối đa {MAX_IMPORT_ROWS} dòng mỗi lần nhập")));
        }
    }
    Ok(rows)
}

/// A CSV source whose empty lines each hold one delimiter, so that the CSV reader, which
/// passes over empty lines, reads them as rows of empty cells: a spreadsheet shows them as
/// rows, and the row numbers of the messages must be the ones the user sees. Line breaks
/// inside a quoted cell are left alone; quotes are read as the `csv` crate reads them (one
/// opens a quoted cell only at the start of a cell, `""` inside is a quote). An empty first
/// line is still passed over: the first line with text is the header.
pub struct EmptyLinesAsRows<R> {
    inner: R,
    lines: Lines,
    /// Read from `inner`, with the delimiters added, from `at` on not yet given out.
    ready: Vec<u8>,
    at: usize,
}

/// Where [`EmptyLinesAsRows`] stands in the file.
struct Lines {
    delimiter: u8,
    quoting: Quoting,
    /// At the start of a line, not the file's: an end of line here ends an empty line.
    line_start: bool,
    /// Just after a `\r`: a `\n` now ends the same line.
    after_cr: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Quoting {
    /// Outside quotes; true at the start of a cell.
    Unquoted {
        cell_start: bool,
    },
    Quoted,
    /// A quote inside a quoted cell: the end of its quoted part, or the first of `""`.
    QuoteInQuoted,
}

impl<R: std::io::BufRead> EmptyLinesAsRows<R> {
    pub fn new(inner: R, delimiter: u8) -> Self {
        let lines =
            Lines { delimiter, quoting: Quoting::Unquoted { cell_start: true }, line_start: false, after_cr: false };
        EmptyLinesAsRows { inner, lines, ready: Vec::new(), at: 0 }
    }
}

impl Lines {
    /// Copies `byte` to `out`, a delimiter first if it ends an empty line.
    fn pass(&mut self, byte: u8, out: &mut Vec<u8>) {
        match (self.quoting, byte) {
            (Quoting::Quoted, b'"') => self.quoting = Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => {}
            (Quoting::QuoteInQuoted, b'"') => self.quoting = Quoting::Quoted,
            (Quoting::QuoteInQuoted, _) => {
                // The quoted part of the cell is over: the byte is read as outside quotes.
                self.quoting = Quoting::Unquoted { cell_start: false };
                return self.pass(byte, out);
            }
            (Quoting::Unquoted { .. }, b'\n') if self.after_cr => self.after_cr = false,
            (Quoting::Unquoted { .. }, b'\n' | b'\r') => {
                if self.line_start {
                    out.push(self.delimiter);
                }
                self.line_start = true;
                self.after_cr = byte == b'\r';
                self.quoting = Quoting::Unquoted { cell_start: true };
            }
            (Quoting::Unquoted { cell_start }, _) => {
                self.line_start = false;
                self.after_cr = false;
                self.quoting = match byte {
                    b'"' if cell_start => Quoting::Quoted,
                    _ => Quoting::Unquoted { cell_start: byte == self.delimiter },
                };
            }
        }
        out.push(byte);
    }
}

impl<R: std::io::BufRead> std::io::Read for EmptyLinesAsRows<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.ready.len() {
            self.ready.clear();
            self.at = 0;
            let chunk = self.inner.fill_buf()?;
            for &byte in chunk {
                self.lines.pass(byte, &mut self.ready);
            }
            let len = chunk.len();
            self.inner.consume(len);
        }
        let n = buf.len().min(self.ready.len() - self.at);
        buf[..n].copy_from_slice(&self.ready[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The separator of a CSV file, from its first line: Excel in Vietnam often saves CSV with
/// ";" separators.
pub fn delimiter_of(first_line: &str) -> u8 {
    if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' }
}

/// What a workbook may hold before it is read: a province's register is a few hundred MB of
/// XML at most, and a file that unpacks to more, or puts a cell far away, is refused before it
/// costs memory (a 1.6 KB file with a cell in XFD1048576 once asked for 549 GB).
#[derive(Debug, Clone, Copy)]
pub struct XlsxLimits {
    /// Every part of the workbook unpacked, together.
    pub unpacked_bytes: u64,
    /// The shared strings, which the reader holds whole.
    pub shared_strings_bytes: u64,
    pub columns: u32,
    pub cell_chars: usize,
}

pub const XLSX_LIMITS: XlsxLimits =
    XlsxLimits { unpacked_bytes: 512 << 20, shared_strings_bytes: 64 << 20, columns: 100, cell_chars: 2_000 };

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    read_xlsx_within(bytes, XLSX_LIMITS)
}

fn unreadable() -> AppError {
    AppError::invalid("file", "Không đọc được tệp Excel (.xlsx)")
}

/// Unpacks every part of the workbook into nothing, counting, and stops at the limits: the
/// sizes a file declares are not trusted.
fn check_unpacked_size(bytes: &[u8], limits: XlsxLimits) -> Result<(), AppError> {
    let too_large = || AppError::TooLarge(format!("Tệp Excel giải nén lớn hơn {} MB", limits.unpacked_bytes >> 20));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|_| unreadable())?;
        let shared_strings = part.name().is_ok_and(|n| n.eq_ignore_ascii_case("xl/sharedStrings.xml"));
        let allowed = limits.unpacked_bytes.saturating_sub(total);
        let allowed = if shared_strings { allowed.min(limits.shared_strings_bytes) } else { allowed };
        let read = std::io::copy(&mut std::io::Read::take(&mut part, allowed + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        if read > allowed {
            return Err(too_large());
        }
        total += read;
    }
    Ok(())
}

/// Reads the first sheet cell by cell, so that only the cells the file holds take memory,
/// within `limits` and [`MAX_IMPORT_ROWS`].
pub fn read_xlsx_within(bytes: &[u8], limits: XlsxLimits) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{DataRef, Reader, Xlsx};
    check_unpacked_size(bytes, limits)?;
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| AppError::invalid("file", "Tệp Excel không có trang tính"))?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| AppError::invalid("file", "Không đọc được trang tính đầu tiên"))?;
    let too_many_rows = || AppError::invalid("file", format!("Tối đa {MAX_IMPORT_ROWS} dòng mỗi lần nhập"));
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) =
        cells.next_cell().map_err(|_| AppError::invalid("file", "Không đọc được trang tính đầu tiên"))?
    {
        let (row, column) = cell.get_position();
        if row as usize > MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
        if column >= limits.columns {
            return Err(AppError::invalid("file", format!("Tối đa {} cột", limits.columns)));
        }
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => dangvu_domain::text::nfc(s.trim()),
            DataRef::SharedString(s) => dangvu_domain::text::nfc(s.trim()),
            DataRef::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => b.to_string(),
            // Dates typed as dates in Excel arrive as serial numbers (calamine #294).
            DataRef::DateTime(dt) => excel_date(dt.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
            DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
            DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(_) => "#ERROR".to_owned(),
        };
        if text.chars().count() > limits.cell_chars {
            return Err(AppError::invalid(
                &format!("row {}", row + 1),
                format!("Ô ở cột {} dài hơn {} ký tự", column + 1, limits.cell_chars),
            ));
        }
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    // Rows stay as long as their last cell, as a CSV file's do: padding every row to the widest
    // would let one far cell cost a hundred strings a row.
    Ok(rows)
}

/// The date of an Excel serial number (days since 1899-12-30, the 1900 system).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (0.0..2_958_466.0).contains(&serial).then(|| epoch.checked_add_days(chrono::Days::new(serial as u64))).flatten()
}

/// The headings other files use for each field, folded (lower case, no diacritics): the
/// registers kept in Excel by the organisation boards, and dangvu's own export.
const HEADINGS: [(&str, &[&str]); 10] = [
    ("full_name", &["ho va ten", "ho ten", "ho va ten dang vien", "ten dang vien"]),
    ("birth_date", &["ngay sinh", "ngay thang nam sinh", "sinh ngay"]),
    ("gender", &["gioi tinh", "gioi", "nam/nu"]),
    ("status", &["trang thai", "dang vien chinh thuc/du bi", "loai dang vien", "chinh thuc/du bi"]),
    ("admitted_on", &["ngay ket nap", "ngay vao dang", "ngay ket nap dang", "ngay quyet dinh ket nap"]),
    ("ceremony_on", &["ngay le ket nap", "ngay to chuc le ket nap"]),
    ("official_on", &["ngay chinh thuc", "ngay cong nhan chinh thuc", "ngay dang chinh thuc"]),
    ("national_id", &["so cccd", "cccd", "can cuoc cong dan", "so can cuoc", "so dinh danh", "so dinh danh ca nhan"]),
    ("phone", &["dien thoai", "so dien thoai", "sdt", "so dt"]),
    ("card_number", &["so the dang vien", "so the", "so the dang"]),
];

/// Headings that name no field: row numbers, and the cell of dangvu's own export (an
/// import goes into the cell chosen for it).
const SKIPPED: [&str; 8] = ["stt", "tt", "so tt", "id", "org_id", "org_name", "chi bo", "ghi chu"];

/// The field a column's heading names, if any.
pub fn field_of_heading(heading: &str) -> Option<&'static str> {
    let h = fold(heading.trim().trim_start_matches('\u{feff}'));
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    FIELDS
        .iter()
        .find(|f| **f == h)
        .copied()
        .or_else(|| HEADINGS.iter().find(|(_, names)| names.contains(&h.as_str())).map(|(f, _)| *f))
}

/// The field each column of the file fills; `None` for a column that is skipped.
pub type Mapping = Vec<Option<&'static str>>;

/// Maps the columns of a file: from its headings, or from `chosen`, one entry per column
/// (a field name, or empty to skip the column). A heading that names no field is an error
/// until the user chooses what it is, so that nothing is dropped unseen.
pub fn map_columns(header: &[String], chosen: Option<&[String]>) -> Result<Mapping, Vec<FieldError>> {
    let mut problems = Problems::new();
    let mut mapping = Vec::with_capacity(header.len());
    match chosen {
        Some(chosen) => {
            if chosen.len() > header.len() {
                problems.add("columns", format!("Tệp có {} cột mà cách ghép có {} cột", header.len(), chosen.len()));
            }
            for (i, name) in chosen.iter().enumerate() {
                let name = name.trim();
                if name.is_empty() || name == "-" {
                    mapping.push(None);
                    continue;
                }
                match FIELDS.iter().find(|f| **f == name) {
                    Some(f) => mapping.push(Some(*f)),
                    None => {
                        problems.add("columns", format!("Cột thứ {}: \"{name}\" không phải trường của hồ sơ", i + 1));
                        mapping.push(None);
                    }
                }
            }
            mapping.resize(header.len(), None);
        }
        None => {
            for heading in header {
                let field = field_of_heading(heading);
                let skipped = fold(heading.trim()).is_empty() || SKIPPED.contains(&fold(heading.trim()).as_str());
                if field.is_none() && !skipped {
                    problems.add(
                        "row 1",
                        format!("Cột \"{heading}\" không ghép được với trường nào: hãy chọn trường hoặc bỏ qua cột"),
                    );
                }
                mapping.push(field);
            }
        }
    }
    for field in FIELDS {
        let columns: Vec<usize> =
            mapping.iter().enumerate().filter(|(_, f)| **f == Some(field)).map(|(i, _)| i + 1).collect();
        if columns.len() > 1 {
            problems.add("row 1", format!("Các cột {columns:?} cùng ghi vào {field}"));
        }
    }
    for required in REQUIRED {
        if !mapping.contains(&Some(required)) {
            problems.add("row 1", format!("Thiếu cột {required}"));
        }
    }
    problems.finish().map(|()| mapping)
}

/// Reads, maps and checks a whole file: the members, or every problem at once.
pub fn check_file(
    bytes: &[u8],
    xlsx: bool,
    chosen: Option<&[String]>,
    today: NaiveDate,
) -> Result<Vec<CheckedMember>, AppError> {
    let rows = read_table(bytes, xlsx)?;
    let Some(header) = rows.first() else {
        return Err(AppError::invalid("file", "Tệp rỗng"));
    };
    let mapping = map_columns(header, chosen).map_err(AppError::Invalid)?;
    check_rows(&rows, &mapping, today).map_err(AppError::Invalid)
}

/// What an import would do, shown before it does it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportPreview {
    /// Each column of the file, its heading and the field it fills (`null`: skipped).
    pub columns: Vec<PreviewColumn>,
    /// Data rows in the file (blank rows not counted).
    pub rows: usize,
    /// The first rows as they are in the file.
    pub sample: Vec<Vec<String>>,
    /// True when the import would write every row.
    pub valid: bool,
    /// Every problem, by row and field, as a failed import reports them.
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
    /// The same problems as the user finds them: the row of the spreadsheet and the column
    /// under its own heading, the message with Vietnamese headings.
    pub problems: Vec<ImportProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportProblem {
    /// "Dòng 7, cột “Ngày sinh”".
    pub place: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewColumn {
    pub heading: String,
    pub field: Option<String>,
}

/// Rows shown in a preview.
const SAMPLE_ROWS: usize = 10;

/// The preview of a file: its mapping (guessed or chosen), its first rows and every problem.
pub fn preview(
    bytes: &[u8],
    xlsx: bool,
    chosen: Option<&[String]>,
    today: NaiveDate,
) -> Result<ImportPreview, AppError> {
    let rows = read_table(bytes, xlsx)?;
    let Some(header) = rows.first() else {
        return Err(AppError::invalid("file", "Tệp rỗng"));
    };
    let data: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    let (mapping, errors) = match map_columns(header, chosen) {
        Ok(mapping) => {
            let errors = check_rows(&rows, &mapping, today).err().unwrap_or_default();
            (mapping, errors)
        }
        // The columns are not all settled: show the guess and what is wrong with it, and, when
        // every required field has its column, the rows' problems too, in the same round.
        Err(mut errors) => {
            let guess: Mapping = header.iter().map(|h| field_of_heading(h)).collect();
            if REQUIRED.iter().all(|f| guess.contains(&Some(*f))) {
                errors.extend(check_rows(&rows, &guess, today).err().unwrap_or_default());
            }
            (guess, errors)
        }
    };
    let problems = errors
        .iter()
        .map(|e| ImportProblem { place: place_of(&e.field, header, &mapping), message: in_vietnamese(&e.message) })
        .collect();
    Ok(ImportPreview {
        columns: header
            .iter()
            .zip(&mapping)
            .map(|(h, f)| PreviewColumn { heading: h.clone(), field: f.map(str::to_owned) })
            .collect(),
        rows: data.len(),
        sample: data.iter().take(SAMPLE_ROWS).map(|r| (*r).clone()).collect(),
        valid: errors.is_empty(),
        errors,
        problems,
    })
}

/// Checks every row of an import with its columns mapped; answers the members, or one
/// error per bad cell with `field` = `row N: field` (N counts the header as row 1).
pub fn check_rows(
    rows: &[Vec<String>],
    mapping: &Mapping,
    today: NaiveDate,
) -> Result<Vec<CheckedMember>, Vec<FieldError>> {
    let checker = RowChecker::new(mapping, today);
    let mut problems = Problems::new();
    let mut out = Vec::with_capacity(rows.len().saturating_sub(1));
    for (n, row) in rows.iter().enumerate().skip(1) {
        if let Some(m) = checker.check(n + 1, row, &mut problems) {
            out.push(m);
        }
        if problems.len() > MAX_PROBLEMS {
            problems.add("file", "Quá nhiều lỗi; đã dừng kiểm tra ở dòng này");
            break;
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.add("file", "Tệp không có dòng dữ liệu nào");
    }
    problems.finish().map(|()| out)
}

/// The problems an import reports before it stops checking: enough to fix a file whose
/// columns are wrong, not a million times the same message.
pub const MAX_PROBLEMS: usize = 1000;

/// The checks of one row, with the column of each field found once for the file.
pub struct RowChecker {
    name: Option<usize>,
    gender: Option<usize>,
    status: Option<usize>,
    national_id: Option<usize>,
    phone: Option<usize>,
    card: Option<usize>,
    dates: [(&'static str, Option<usize>); 4],
    today: NaiveDate,
}

impl RowChecker {
    pub fn new(mapping: &Mapping, today: NaiveDate) -> RowChecker {
        let at = |field: &str| mapping.iter().position(|f| *f == Some(field));
        let [name, gender, status, national_id, phone, card] =
            ["full_name", "gender", "status", "national_id", "phone", "card_number"].map(at);
        let dates = ["birth_date", "admitted_on", "ceremony_on", "official_on"].map(|f| (f, at(f)));
        RowChecker { name, gender, status, national_id, phone, card, dates, today }
    }

    /// Checks row `n` of the file (the header is row 1): the member, or its problems added
    /// to `problems`. An empty row is skipped without a problem.
    pub fn check(&self, n: usize, row: &[String], problems: &mut Problems) -> Option<CheckedMember> {
        if row.iter().all(|c| c.is_empty()) {
            return None;
        }
        let prefix = format!("row {n}: ");
        // A cell of dangvu's own CSV export reads back as it was (`'+84 …` is `+84 …`).
        let get = |column: Option<usize>| -> &str {
            column.and_then(|i| row.get(i)).map_or("", |c| dangvu_domain::text::from_spreadsheet_text(c))
        };
        // A date that did not parse is reported once, as unreadable, not again as missing.
        let mut unreadable: Vec<&str> = Vec::new();
        let [birth_date, admitted_on, ceremony_on, official_on] = self.dates.map(|(field, column)| {
            let raw = get(column);
            if raw.is_empty() {
                return None;
            }
            let d = calendar::parse_date(raw);
            if d.is_none() {
                problems
                    .add(format!("{prefix}{field}"), format!("\"{raw}\" không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"));
                unreadable.push(field);
            }
            d
        });
        let new = NewMember {
            full_name: get(self.name).to_owned(),
            birth_date,
            gender: get(self.gender).to_owned(),
            status: get(self.status).to_owned(),
            admitted_on,
            ceremony_on,
            official_on,
            national_id: Some(get(self.national_id).to_owned()),
            phone: Some(get(self.phone).to_owned()),
            card_number: Some(get(self.card).to_owned()),
        };
        let mut row_problems = Problems::new();
        let checked = members::check(&new, self.today, &prefix, &mut row_problems);
        for e in row_problems.into_vec() {
            let col = e.field.trim_start_matches(&prefix);
            if unreadable.contains(&col) && e.message.starts_with("Thiếu") {
                continue;
            }
            problems.add(e.field, e.message);
        }
        checked.filter(|_| unreadable.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_in_one_round_under_the_files_own_headings() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let file = "Họ và tên,Ngày sinh,Giới tính,Trạng thái,Ngày vào Đảng,Quê quán\n\
                    Nguyễn Văn An,12/03/1985,Nam,Chính thức,19/05/2010,Nghệ An\n\
                    Trần Thị Bình,31/02/1990,Nữ,Chính thức,03/02/2015,Hà Tĩnh\n";
        let p = preview(file.as_bytes(), false, None, today).unwrap();
        assert!(!p.valid);
        // The unknown column and the bad date of row 3, together.
        let places: Vec<&str> = p.problems.iter().map(|x| x.place.as_str()).collect();
        assert!(places.contains(&"Dòng 3, cột “Ngày sinh”"), "{places:?}");
        assert!(p.problems.iter().any(|x| x.message.contains("Quê quán")), "{:?}", p.problems);
        // No field name of ours reaches the user.
        for x in &p.problems {
            assert!(FIELDS.iter().all(|f| !x.place.contains(f) && !x.message.contains(f)), "{x:?}");
        }
        // A missing required column is named by its Vietnamese heading.
        let p = preview("Họ và tên,Giới tính\nAn,Nam\n".as_bytes(), false, None, today).unwrap();
        assert!(p.problems.iter().any(|x| x.message.contains("Ngày sinh")), "{:?}", p.problems);
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        read_table(text.as_bytes(), false).unwrap()
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = rows(
            "full_name,birth_date,gender,status,admitted_on\n\
             Nguyễn Văn An,12/03/1980,Nam,chính thức,2005-05-19\n\
             ,31/02/1990,khác,dự bị,2030-01-01\n",
        );
        let errors = check_rows(&t, &map_columns(&t[0], None).unwrap(), today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"row 3: full_name"), "{fields:?}");
        assert!(fields.contains(&"row 3: birth_date"), "{fields:?}");
        assert!(fields.contains(&"row 3: gender"), "{fields:?}");
        assert!(fields.contains(&"row 3: admitted_on"), "{fields:?}");
        assert!(!fields.iter().any(|f| f.starts_with("row 2")), "{fields:?}");
    }

    #[test]
    fn empty_lines_are_rows_as_in_a_spreadsheet() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = rows(
            "full_name,birth_date,gender,status,admitted_on\n\n\
             Nguyễn Văn An,12/03/1980,Nam,chính thức,2005-05-19\r\n\r\n\
             \"Lê\nVăn Ba\",31/02/1990,Nam,dự bị,2020-01-01\n\n\
             Trần Văn Tư,1980-01-01,khác,dự bị,2020-01-01\n",
        );
        assert_eq!(t.len(), 7, "{t:?}");
        let errors = check_rows(&t, &map_columns(&t[0], None).unwrap(), today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["row 5: birth_date", "row 7: gender"], "a quoted line break stays in its row");
    }

    proptest::proptest! {
        #[test]
        fn empty_lines_become_rows_and_nothing_else_changes(
            lines in proptest::collection::vec(
                proptest::option::weighted(0.7, proptest::collection::vec("[a-c\"\n\r ,]{0,4}", 2..4)),
                1..12,
            ),
            crlf in proptest::bool::ANY,
            chunk in 1usize..8,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let quote = |cell: &String| {
                if cell.contains(['"', ',', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.clone() }
            };
            // The first line has text: it is the header.
            let lines: Vec<Vec<String>> = std::iter::once(vec!["h".to_owned(), "k".to_owned()])
                .chain(lines.into_iter().map(|l| l.unwrap_or_default()))
                .collect();
            let text: String = lines.iter().map(|cells| cells.iter().map(quote).collect::<Vec<_>>().join(",") + end).collect();
            let source = std::io::BufReader::with_capacity(chunk, text.as_bytes());
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(EmptyLinesAsRows::new(source, b','));
            let read: Vec<Vec<String>> =
                reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
            let expected: Vec<Vec<String>> = lines
                .iter()
                .map(|cells| if cells.is_empty() { vec![String::new(), String::new()] } else { cells.clone() })
                .collect();
            proptest::prop_assert_eq!(read, expected, "{:?}", text);
        }
    }

    #[test]
    fn an_unreadable_date_is_reported_once_and_hides_nothing_else() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = rows(
            "full_name,birth_date,gender,status,admitted_on
Lê Văn Bốn,31/02/1990,Nam,chính thức,
",
        );
        let errors = check_rows(&t, &map_columns(&t[0], None).unwrap(), today).unwrap_err();
        let on = |field: &str| errors.iter().filter(|e| e.field == format!("row 2: {field}")).collect::<Vec<_>>();
        let birth = on("birth_date");
        assert_eq!(birth.len(), 1, "{errors:?}");
        assert!(birth[0].message.contains("không phải ngày"), "{errors:?}");
        // The empty admission date is still missing, though the birth date did not read.
        assert!(on("admitted_on").iter().any(|e| e.message.starts_with("Thiếu")), "{errors:?}");
    }

    #[test]
    fn semicolons_and_any_column_order() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = rows(
            "\u{feff}status;gender;admitted_on;birth_date;full_name\nfull;female;2001-01-02;1975-06-30;Đặng Thị Bình\n",
        );
        let ok = check_rows(&t, &map_columns(&t[0], None).unwrap(), today).unwrap();
        assert_eq!(ok.len(), 1);
        let missing = map_columns(&rows("full_name,mau_sac\nA,xanh\n")[0], None).unwrap_err();
        assert!(missing.iter().any(|e| e.message.contains("mau_sac")));
        assert!(missing.iter().any(|e| e.message.contains("Thiếu cột birth_date")));
    }

    #[test]
    fn vietnamese_headings_and_our_own_export_map_by_themselves() {
        let header: Vec<String> = crate::members::XLSX_HEADER.map(str::to_owned).to_vec();
        let mapping = map_columns(&header, None).unwrap();
        assert_eq!(mapping[0], None);
        assert_eq!(mapping[1], Some("full_name"));
        assert_eq!(mapping[7], Some("national_id"));
        assert_eq!(mapping[9], Some("card_number"));
        assert_eq!(mapping[10], None);
        assert_eq!(field_of_heading("  NGÀY   VÀO ĐẢNG "), Some("admitted_on"));
        assert_eq!(field_of_heading("Quê quán"), None);
    }

    #[test]
    fn a_chosen_mapping_skips_and_renames_columns() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t =
            rows("Tên,Sinh,Quê quán,Nam/nữ,Loại,Vào Đảng\nLê Văn Tám,1980-01-02,Nghệ An,Nam,chính thức,2005-05-19\n");
        assert!(map_columns(&t[0], None).is_err(), "'Quê quán' names no field");
        let chosen: Vec<String> =
            ["full_name", "birth_date", "", "gender", "status", "admitted_on"].map(str::to_owned).to_vec();
        let mapping = map_columns(&t[0], Some(&chosen)).unwrap();
        let ok = check_rows(&t, &mapping, today).unwrap();
        assert_eq!(ok.len(), 1);
        let twice: Vec<String> = ["full_name", "full_name"].map(str::to_owned).to_vec();
        let errors = map_columns(&t[0], Some(&twice)).unwrap_err();
        assert!(errors.iter().any(|e| e.message.contains("cùng ghi vào full_name")), "{errors:?}");
        let unknown: Vec<String> = ["ten_goi"].map(str::to_owned).to_vec();
        assert!(map_columns(&t[0], Some(&unknown)).unwrap_err().iter().any(|e| e.field == "columns"));
    }

    #[test]
    fn a_preview_shows_the_mapping_the_rows_and_every_problem() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let file = "Họ và tên,Ngày sinh,Giới tính,Trạng thái,Ngày kết nạp\n\
                    Nguyễn Văn An,12/03/1980,Nam,chính thức,2005-05-19\n\
                    ,,,,\n\
                    Trần Thị Bé,31/02/1990,Nữ,dự bị,2026-01-05\n";
        let p = preview(file.as_bytes(), false, None, today).unwrap();
        assert_eq!(p.rows, 2);
        assert_eq!(p.sample.len(), 2);
        assert_eq!(p.columns[4].field.as_deref(), Some("admitted_on"));
        assert!(!p.valid);
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!(p.errors[0].field, "row 4: birth_date");
    }

    /// A workbook with the given cells of text, as Excel would save it.
    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (row, column, text) in cells {
            sheet.write_string(*row, *column, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    fn refusal(bytes: &[u8], limits: XlsxLimits) -> String {
        match read_xlsx_within(bytes, limits) {
            Ok(rows) => panic!("read {} rows", rows.len()),
            Err(AppError::Invalid(errors)) => errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "),
            Err(AppError::TooLarge(message)) => message,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_workbook_is_read_cell_by_cell_as_the_sheet_shows_it() {
        let bytes = workbook(&[(0, 0, "Họ và tên"), (0, 2, "Giới tính"), (1, 0, "Phan Thị Nhập"), (1, 2, "Nữ")]);
        let rows = read_table(&bytes, true).unwrap();
        assert_eq!(rows, [vec!["Họ và tên", "", "Giới tính"], vec!["Phan Thị Nhập", "", "Nữ"]]);
    }

    /// Reliability defect 1: a small file with a cell far away asked for the whole rectangle
    /// (549 GB for A1 and XFD1048576, 7.7 GB for A1 and ZZ200000) and the process aborted.
    #[test]
    fn a_far_cell_is_refused_before_it_costs_memory() {
        let corner = workbook(&[(0, 0, "Họ và tên"), (1_048_575, 16_383, "x")]);
        assert!(corner.len() < 20_000);
        assert!(refusal(&corner, XLSX_LIMITS).contains("dòng"), "the rows' limit");
        let wide = workbook(&[(0, 0, "Họ và tên"), (199_999, 701, "x")]);
        assert!(refusal(&wide, XLSX_LIMITS).contains("cột"), "the columns' limit");
        let far_down = workbook(&[(0, 0, "Họ và tên"), (400_000, 0, "x")]);
        assert!(refusal(&far_down, XLSX_LIMITS).contains("dòng"));
    }

    /// A file that unpacks to far more than it weighs (a "zip bomb") is refused while it is
    /// unpacked, whatever sizes it declares; a long cell is refused and not echoed.
    #[test]
    fn a_workbook_that_unpacks_too_large_or_holds_a_long_cell_is_refused() {
        // Excel keeps a cell under 32,767 characters: forty long cells unpack to 1.2 MB.
        let long: Vec<String> = (0..40).map(|i| format!("{i}{}", "a".repeat(30_000))).collect();
        let mut cells = vec![(0, 0, "Họ và tên")];
        cells.extend(long.iter().enumerate().map(|(i, text)| (i as u32 + 1, 0, text.as_str())));
        let bomb = workbook(&cells);
        assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
        let small = XlsxLimits { unpacked_bytes: 1 << 20, ..XLSX_LIMITS };
        assert!(refusal(&bomb, small).contains("giải nén"));
        let strings = XlsxLimits { shared_strings_bytes: 1 << 20, ..XLSX_LIMITS };
        assert!(refusal(&bomb, strings).contains("giải nén"));
        let message = refusal(&bomb, XLSX_LIMITS);
        assert!(message.contains("2000 ký tự") && message.len() < 200, "{message}");
    }
}
