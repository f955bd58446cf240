//! Members' records for the API and pages: who may keep and read them, and the
//! spreadsheet import and export.

use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::validation::{FieldError, Problems};
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::members::{self, CheckedMember, Member, NewMember};

use crate::AppState;
use crate::error::AppError;
use crate::scope::visible_org;

/// Register, import, transfer: the organisers and secretaries of the subtree.
pub fn require_keeper(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_keep_members() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// A member the account may read: in its subtree, or the member's own record.
pub async fn visible_member(state: &AppState, user: &SessionUser, id: i64) -> Result<Member, AppError> {
    let today = calendar::today();
    let m = members::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?;
    if user.user.member_id == Some(id) {
        return Ok(m);
    }
    if user.user.role == dangvu_domain::role::Role::Member {
        return Err(AppError::NotFound);
    }
    visible_org(state, user, m.org_id, today).await?;
    Ok(redact(user, m))
}

/// Blanks the identity fields for roles that do not keep records (DESIGN.md §7).
pub fn redact(user: &SessionUser, mut m: Member) -> Member {
    if !user.user.role.sees_member_identity() && user.user.member_id != Some(m.id) {
        m.national_id = None;
        m.phone = None;
        m.card_number = None;
    }
    m
}

/// The path a member list reads: the given org (in scope) or the account's scope.
pub async fn list_path(state: &AppState, user: &SessionUser, org_id: Option<i64>) -> Result<String, AppError> {
    if user.user.role == dangvu_domain::role::Role::Member {
        return Err(AppError::forbidden());
    }
    if matches!(user.scope, Scope::Ended { .. }) {
        return Err(AppError::NotFound);
    }
    crate::directives::scope_path(state, user, org_id).await
}

/// The columns an import may name: the field names of `POST /api/v1/members`.
const COLUMNS: [&str; 10] = [
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

/// The most rows one import takes: a province's cell at a time, or a whole province.
pub const MAX_IMPORT_ROWS: usize = 300_000;

/// Reads a CSV or XLSX file into rows of text cells (the first row the header).
pub fn read_table(bytes: &[u8], xlsx: bool) -> Result<Vec<Vec<String>>, AppError> {
    if xlsx {
        return read_xlsx(bytes);
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| AppError::invalid("file", "Tệp CSV phải mã hóa UTF-8"))?;
    // Excel in Vietnam often saves CSV with ";" separators.
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| AppError::invalid(&format!("row {}", i + 1), format!("Dòng không đọc được: {e}")))?;
        rows.push(record.iter().map(|c| dangvu_domain::text::nfc(c.trim())).collect());
        if rows.len() > MAX_IMPORT_ROWS + 1 {
            return Err(AppError::invalid("file", format!("Tối đa {MAX_IMPORT_ROWS} dòng mỗi lần nhập")));
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|_| AppError::invalid("file", "Không đọc được tệp Excel (.xlsx)"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::invalid("file", "Tệp Excel không có trang tính"))?
        .map_err(|_| AppError::invalid("file", "Không đọc được trang tính đầu tiên"))?;
    if range.height() > MAX_IMPORT_ROWS + 1 {
        return Err(AppError::invalid("file", format!("Tối đa {MAX_IMPORT_ROWS} dòng mỗi lần nhập")));
    }
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => dangvu_domain::text::nfc(s.trim()),
            Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            // Dates typed as dates in Excel arrive as serial numbers (calamine #294).
            Data::DateTime(dt) => excel_date(dt.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(_) => "#ERROR".to_owned(),
        }
    };
    Ok(range.rows().map(|r| r.iter().map(cell).collect()).collect())
}

/// The date of an Excel serial number (days since 1899-12-30, the 1900 system).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (0.0..2_958_466.0).contains(&serial).then(|| epoch.checked_add_days(chrono::Days::new(serial as u64))).flatten()
}

/// Checks every row of an import; answers the members, or one error per bad cell with
/// `field` = `row N: column` (N counts the header as row 1).
pub fn check_rows(rows: &[Vec<String>], today: NaiveDate) -> Result<Vec<CheckedMember>, Vec<FieldError>> {
    let mut problems = Problems::new();
    let Some(header) = rows.first() else {
        problems.add("file", "Tệp rỗng");
        return Err(problems.into_vec());
    };
    let mut index = [None; COLUMNS.len()];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(c) => index[c] = Some(i),
            None if name.is_empty() || name == "org_id" => {}
            None => problems.add("row 1", format!("Cột \"{name}\" không có trong danh mục ({})", COLUMNS.join(", "))),
        }
    }
    for required in REQUIRED {
        if index[COLUMNS.iter().position(|c| *c == required).unwrap_or(0)].is_none() {
            problems.add("row 1", format!("Thiếu cột {required}"));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_vec());
    }
    let mut out = Vec::with_capacity(rows.len().saturating_sub(1));
    for (n, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let prefix = format!("row {}: ", n + 1);
        let get = |col: &str| -> String {
            let c = COLUMNS.iter().position(|x| *x == col).and_then(|c| index[c]);
            c.and_then(|i| row.get(i)).cloned().unwrap_or_default()
        };
        let mut date = |col: &str| -> Option<NaiveDate> {
            let raw = get(col);
            if raw.is_empty() {
                return None;
            }
            let d = calendar::parse_date(&raw);
            if d.is_none() {
                problems
                    .add(format!("{prefix}{col}"), format!("\"{raw}\" không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"));
            }
            d
        };
        let new = NewMember {
            full_name: get("full_name"),
            birth_date: date("birth_date"),
            gender: get("gender"),
            status: get("status"),
            admitted_on: date("admitted_on"),
            ceremony_on: date("ceremony_on"),
            official_on: date("official_on"),
            national_id: Some(get("national_id")),
            phone: Some(get("phone")),
            card_number: Some(get("card_number")),
        };
        let bad_dates =
            ["birth_date", "admitted_on"].iter().any(|c| !get(c).is_empty() && calendar::parse_date(&get(c)).is_none());
        let mut row_problems = Problems::new();
        let checked = members::check(&new, today, &prefix, &mut row_problems);
        for e in row_problems.into_vec() {
            // A date that did not parse is reported once, as unreadable, not again as missing.
            let col = e.field.trim_start_matches(&prefix);
            if bad_dates && (col == "birth_date" || col == "admitted_on") && e.message.starts_with("Thiếu") {
                continue;
            }
            problems.add(e.field, e.message);
        }
        if let Some(m) = checked {
            out.push(m);
        }
        if problems.len() > 1000 {
            problems.add("file", "Quá nhiều lỗi; đã dừng kiểm tra ở dòng này");
            break;
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.add("file", "Tệp không có dòng dữ liệu nào");
    }
    problems.finish().map(|()| out)
}

/// A list of members as CSV (UTF-8 with BOM, so that Excel reads the diacritics).
pub fn to_csv(list: &[Member]) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = [
        "id",
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
        "org_id",
        "org_name",
    ];
    w.write_record(header).map_err(|e| AppError::Internal(e.to_string()))?;
    for m in list {
        let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            m.id.to_string(),
            m.full_name.clone(),
            m.birth_date.to_string(),
            m.gender.clone(),
            m.status.clone(),
            m.admitted_on.to_string(),
            d(m.ceremony_on),
            d(m.official_on),
            m.national_id.clone().unwrap_or_default(),
            m.phone.clone().unwrap_or_default(),
            m.card_number.clone().unwrap_or_default(),
            m.org_id.to_string(),
            m.org_name.clone(),
        ])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    w.into_inner().map_err(|e| AppError::Internal(e.to_string()))
}

/// A list of members as a workbook, written row by row with bounded memory.
pub fn to_xlsx(list: &[Member]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
    sheet.set_name("Dang vien").map_err(err)?;
    let bold = Format::new().set_bold();
    let header = [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Trạng thái",
        "Ngày kết nạp",
        "Ngày chính thức",
        "Số CCCD",
        "Điện thoại",
        "Số thẻ đảng viên",
        "Chi bộ",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    let vi = |d: Option<NaiveDate>| d.map(dangvu_domain::vi::date).unwrap_or_default();
    for (i, m) in list.iter().enumerate() {
        let r = i as u32 + 1;
        let cells = [
            (i + 1).to_string(),
            m.full_name.clone(),
            vi(Some(m.birth_date)),
            if m.gender == "female" { "Nữ".into() } else { "Nam".into() },
            if m.status == "full" { "Chính thức".into() } else { "Dự bị".into() },
            vi(Some(m.admitted_on)),
            vi(m.official_on),
            m.national_id.clone().unwrap_or_default(),
            m.phone.clone().unwrap_or_default(),
            m.card_number.clone().unwrap_or_default(),
            m.org_name.clone(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v).map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let errors = check_rows(&t, today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"row 3: full_name"), "{fields:?}");
        assert!(fields.contains(&"row 3: birth_date"), "{fields:?}");
        assert!(fields.contains(&"row 3: gender"), "{fields:?}");
        assert!(fields.contains(&"row 3: admitted_on"), "{fields:?}");
        assert!(!fields.iter().any(|f| f.starts_with("row 2")), "{fields:?}");
    }

    #[test]
    fn semicolons_and_any_column_order() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let t = rows(
            "\u{feff}status;gender;admitted_on;birth_date;full_name\nfull;female;2001-01-02;1975-06-30;Đặng Thị Bình\n",
        );
        let ok = check_rows(&t, today).unwrap();
        assert_eq!(ok.len(), 1);
        let missing = check_rows(&rows("full_name,mau_sac\nA,xanh\n"), today).unwrap_err();
        assert!(missing.iter().any(|e| e.message.contains("mau_sac")));
        assert!(missing.iter().any(|e| e.message.contains("Thiếu cột birth_date")));
    }
}
