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

#[cfg(test)]
mod tests {
    #[test]
    fn vietnamese_names_survive_the_header() {
        let d = super::disposition("Báo cáo quý III.pdf");
        assert!(d.starts_with("attachment; filename=\"bao-cao-quy-iii.pdf\""), "{d}");
        assert!(d.contains("filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20III.pdf"), "{d}");
    }
}
