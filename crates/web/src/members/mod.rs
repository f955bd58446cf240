//! Members' records for the API and pages: who may keep and read them, and the
//! spreadsheet import and export; the use cases that change them are in `registry`,
//! `admissions` and `classifications`.

pub mod admissions;
pub mod api;
pub mod classifications;
pub mod figures;
pub mod import;
pub mod load;
pub mod pages;
pub mod registry;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::MemberStatus;
use dangvu_store::accounts::{Scope, SessionUser};
use dangvu_store::members::{self, Member};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::AppError;
use crate::files::csv_text;
use crate::scope::visible_org;
use crate::usecase::{actor, in_tx};

/// Register, import, transfer: the organisers and secretaries of the subtree.
pub fn require_keeper(user: &SessionUser) -> Result<(), AppError> {
    if user.user.role.may_keep_members() { Ok(()) } else { Err(AppError::forbidden()) }
}

/// A member the account may read: in its subtree, or the member's own record.
pub async fn visible_member(state: &AppState, user: &SessionUser, id: MemberId) -> Result<Member, AppError> {
    let today = calendar::today();
    let m = members::get(&state.db, id, today).await?.ok_or(AppError::NotFound)?;
    if user.user.member_id == Some(id) {
        return Ok(m);
    }
    if user.user.role == dangvu_domain::accounts::Role::Member {
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
pub async fn list_path(state: &AppState, user: &SessionUser, org_id: Option<OrgId>) -> Result<String, AppError> {
    if user.user.role == dangvu_domain::accounts::Role::Member {
        return Err(AppError::forbidden());
    }
    if matches!(user.scope, Scope::Ended { .. }) {
        return Err(AppError::NotFound);
    }
    crate::scope::scope_path(state, user, org_id).await
}

/// The two file formats of a members list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Result<ExportFormat, AppError> {
        match s {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            _ => Err(AppError::invalid("format", "Định dạng phải là csv hoặc xlsx")),
        }
    }
}

/// Rows read from the database per page while exporting: what an export holds in memory
/// besides the file itself.
const EXPORT_PAGE: i64 = 5000;

/// Writes every member the search finds, page by page, into a CSV or XLSX file. Pages are
/// read here and written on a blocking thread through a channel of two pages, so memory
/// stays bounded by the page size whatever the subtree (the XLSX sheet keeps its rows in a
/// temporary file). `each` redacts what the reader may not see. Returns the file and the
/// number of members in it.
pub async fn export(
    db: &dangvu_store::Db,
    search: members::Search<'_>,
    format: ExportFormat,
    each: impl Fn(Member) -> Member,
) -> Result<(Vec<u8>, usize), AppError> {
    let (pages, mut inbox) = tokio::sync::mpsc::channel::<Vec<Member>>(2);
    let writer = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let mut file = MemberFile::new(format)?;
        while let Some(page) = inbox.blocking_recv() {
            file.push(&page)?;
        }
        file.finish()
    });
    let mut count = 0;
    let mut after = search.after.cloned();
    let read = async {
        loop {
            let page_search = members::Search { after: after.as_ref(), limit: EXPORT_PAGE, ..search };
            let page = members::search(db, &page_search, calendar::today()).await?;
            count += page.members.len();
            if pages.send(page.members.into_iter().map(&each).collect()).await.is_err() {
                return Ok::<(), AppError>(());
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(()),
            }
        }
    };
    let read = read.await;
    drop(pages);
    let bytes = writer.await.map_err(|e| AppError::Internal(e.to_string()))?;
    read?;
    Ok((bytes?, count))
}

/// A members list being written, one page at a time.
pub enum MemberFile {
    /// UTF-8 with BOM, so that Excel reads the diacritics.
    Csv(Box<csv::Writer<Vec<u8>>>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        rows: u32,
    },
}

const CSV_HEADER: [&str; 13] = [
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

/// The headings of the registry's XLSX export (the import maps them back by themselves).
pub(crate) const XLSX_HEADER: [&str; 11] = [
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

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(e.to_string())
}

fn csv_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

impl MemberFile {
    pub fn new(format: ExportFormat) -> Result<MemberFile, AppError> {
        match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
                w.write_record(CSV_HEADER).map_err(csv_error)?;
                Ok(MemberFile::Csv(Box::new(w)))
            }
            ExportFormat::Xlsx => {
                let mut book = rust_xlsxwriter::Workbook::new();
                let sheet = book.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
                sheet.set_name("Dang vien").map_err(xlsx_error)?;
                let bold = rust_xlsxwriter::Format::new().set_bold();
                for (c, h) in XLSX_HEADER.iter().enumerate() {
                    sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xlsx_error)?;
                }
                Ok(MemberFile::Xlsx { book: Box::new(book), rows: 0 })
            }
        }
    }

    pub fn push(&mut self, page: &[Member]) -> Result<(), AppError> {
        match self {
            MemberFile::Csv(w) => {
                let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                for m in page {
                    let text = |s: Option<&str>| csv_text(s.unwrap_or_default()).into_owned();
                    w.write_record([
                        m.id.to_string(),
                        text(Some(&m.full_name)),
                        m.birth_date.to_string(),
                        m.gender.as_str().to_owned(),
                        m.status.as_str().to_owned(),
                        m.admitted_on.to_string(),
                        d(m.ceremony_on),
                        d(m.official_on),
                        text(m.national_id.as_deref()),
                        text(m.phone.as_deref()),
                        text(m.card_number.as_deref()),
                        m.org_id.to_string(),
                        text(Some(&m.org_name)),
                    ])
                    .map_err(csv_error)?;
                }
            }
            MemberFile::Xlsx { book, rows } => {
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                let vi = |d: Option<NaiveDate>| d.map(dangvu_domain::vi::date).unwrap_or_default();
                for m in page {
                    *rows += 1;
                    let r = *rows;
                    sheet.write_number(r, 0, r).map_err(xlsx_error)?;
                    let cells = [
                        m.full_name.as_str(),
                        &vi(Some(m.birth_date)),
                        m.gender.label(),
                        m.status.label(),
                        &vi(Some(m.admitted_on)),
                        &vi(m.official_on),
                        m.national_id.as_deref().unwrap_or_default(),
                        m.phone.as_deref().unwrap_or_default(),
                        m.card_number.as_deref().unwrap_or_default(),
                        m.org_name.as_str(),
                    ];
                    for (c, v) in cells.iter().enumerate() {
                        if !v.is_empty() {
                            sheet.write_string(r, c as u16 + 1, *v).map_err(xlsx_error)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        match self {
            MemberFile::Csv(w) => (*w).into_inner().map_err(csv_error),
            MemberFile::Xlsx { mut book, .. } => book.save_to_buffer().map_err(xlsx_error),
        }
    }
}

/// Members: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}

fn status_param(raw: Option<&str>) -> Result<Option<MemberStatus>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => MemberStatus::parse(s)
            .map(Some)
            .ok_or_else(|| AppError::invalid("status", "status phải là probationary hoặc full")),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The subtree; the account's scope when absent.
    #[param(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    pub q: Option<String>,
    pub status: Option<String>,
    /// `csv` or `xlsx`.
    pub format: String,
}

/// Shared with the page's export buttons.
pub async fn export_file(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    p: ExportParams,
) -> Result<Response, AppError> {
    let format = crate::members::ExportFormat::parse(&p.format)?;
    let status = status_param(p.status.as_deref())?;
    let path = list_path(state, user, p.org_id).await?;
    let search = members::Search { path: &path, q: p.q.as_deref(), status, after: None, limit: 0 };
    let (bytes, count) = crate::members::export(&state.db, search, format, |m| redact(user, m)).await?;
    let actor = actor(user);
    in_tx(state, async |tx| {
        dangvu_store::audit::append(
            tx,
            &actor,
            dangvu_store::audit::Change {
                action: Action::MemberExport,
                subject: dangvu_store::audit::Subject::members(),
                before: None,
                after: Some(serde_json::json!({"path": path, "count": count, "format": p.format})),
            },
        )
        .await
    })
    .await?;
    Ok(download(format, "dang-vien", bytes))
}

pub async fn record_download(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    id: MemberId,
    format: &str,
) -> Result<Response, AppError> {
    let format = crate::members::ExportFormat::parse(format)?;
    let m = registry::read(state, user, id).await?;
    let mut file = crate::members::MemberFile::new(format)?;
    file.push(&[m])?;
    let bytes = file.finish()?;
    Ok(download(format, &format!("ho-so-dang-vien-{id}"), bytes))
}

/// A file to save, never cached.
fn download(format: crate::members::ExportFormat, name: &str, bytes: Vec<u8>) -> Response {
    let (content_type, ext) = match format {
        crate::members::ExportFormat::Xlsx => (XLSX, "xlsx"),
        crate::members::ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{ext}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
