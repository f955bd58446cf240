//! Attached files: reading an upload within its limit, and answering a download only to
//! those who may read what the file belongs to.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use dangvu_domain::calendar;
use dangvu_store::accounts::SessionUser;
use dangvu_store::files::{self, MAX_FILE_BYTES, Owner};

use crate::AppState;
use crate::error::AppError;

use crate::tasks::{visible_document, visible_task};

/// The formats dangvu prints its documents in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
}

impl Format {
    /// `pdf`, `docx` or `xlsx`.
    pub fn parse(s: &str) -> Result<Format, AppError> {
        match s {
            "pdf" => Ok(Format::Pdf),
            "docx" => Ok(Format::Docx),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(AppError::invalid("format", "Định dạng phải là pdf, docx hoặc xlsx")),
        }
    }

    /// A document printed as PDF (the default, also for an empty word) or DOCX.
    pub fn document(s: &str) -> Result<Format, AppError> {
        match s {
            "pdf" | "" => Ok(Format::Pdf),
            "docx" => Ok(Format::Docx),
            _ => Err(AppError::invalid("format", "Định dạng là pdf hoặc docx")),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Lays a document out with `make` off the async threads (Typst is CPU work) and answers it as
/// a download named `{stem}.{extension}`.
pub async fn printed<F>(format: Format, stem: &str, make: F) -> Result<Response, AppError>
where
    F: FnOnce(Format) -> Result<Vec<u8>, dangvu_reports::ReportError> + Send + 'static,
{
    let bytes = tokio::task::spawn_blocking(move || make(format))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = disposition(&format!("{stem}.{}", format.extension()));
    Ok(([(header::CONTENT_TYPE, format.content_type().to_owned()), (header::CONTENT_DISPOSITION, name)], bytes)
        .into_response())
}
/// The audit log's head, to print at the foot of a document (reliability item 6).
pub async fn audit_head(state: &AppState) -> Result<Option<dangvu_reports::AuditHead>, AppError> {
    Ok(dangvu_store::audit::head(&state.db).await?.map(|(entry, hash)| dangvu_reports::AuditHead { entry, hash }))
}

/// The whole body of an upload, refused with 413 past the file limit.
pub async fn read_body(body: axum::body::Body) -> Result<Vec<u8>, AppError> {
    axum::body::to_bytes(body, MAX_FILE_BYTES)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| AppError::TooLarge("Tệp lớn hơn 20 MB".into()))
}

/// A file as a download: never shown inline, so that no uploaded file runs in a browser.
pub async fn download(state: &AppState, user: &SessionUser, id: i64) -> Result<Response, AppError> {
    match files::owner(&state.db, id).await?.ok_or(AppError::NotFound)? {
        Owner::Task(t) => drop(visible_task(state, user, t, calendar::today()).await?),
        Owner::Document(d) => drop(visible_document(state, user, d).await?),
        Owner::CellMeeting(m) => drop(crate::cell_meetings::visible_cell_meeting(state, user, m).await?),
        Owner::DraftComment(c) => drop(crate::congresses::visible_comment(state, user, c).await?),
    }
    let (info, data) = files::read(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition(&info.name)),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::HeaderName::from_static("x-content-type-options"), "nosniff".to_owned()),
        ],
        data,
    )
        .into_response())
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987 form, so that
/// "Báo cáo quý III.pdf" keeps its name in every browser.
pub(crate) fn disposition(name: &str) -> String {
    let fallback: String = dangvu_domain::text::fold(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A CSV cell a spreadsheet would read as a formula (a leading `=`, `+`, `-`, `@`, tab or
/// carriage return: `=HYPERLINK(…)` runs when the file is opened) is written as text, with an
/// apostrophe before it (OWASP's CSV injection advice). Every CSV export writes its text
/// cells through this.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}").into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_formula_is_written_as_text() {
        for f in ["=1+1", "+84 912", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(super::csv_text(f), format!("'{f}"));
        }
        assert_eq!(super::csv_text("Nguyễn Văn A"), "Nguyễn Văn A");
        assert_eq!(super::csv_text(""), "");
    }

    #[test]
    fn vietnamese_names_survive_the_header() {
        let d = super::disposition("Báo cáo quý III.pdf");
        assert!(d.starts_with("attachment; filename=\"bao-cao-quy-iii.pdf\""), "{d}");
        assert!(d.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20III.pdf"), "{d}");
    }
}
