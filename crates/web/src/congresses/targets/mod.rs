//! The targets table of a draft: read by everyone who reads the draft, compared between
//! versions target by target, exported as CSV or XLSX.

pub mod api;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use dangvu_domain::congresses::targets::{Target, TargetChange, compare_targets};
use dangvu_store::accounts::SessionUser;
use dangvu_store::congresses::targets as store;

use crate::AppState;
use crate::error::AppError;

/// The table of a version (the latest when none is asked) and that version's number.
pub async fn table(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    version: Option<u32>,
) -> Result<(u32, Vec<Target>), AppError> {
    let (draft, _, v) = super::version(state, user, draft_id, version).await?;
    Ok((v.version, store::of_version(&state.db, draft.id, v.version).await?))
}

pub async fn compare(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    from: u32,
    to: u32,
) -> Result<Vec<TargetChange>, AppError> {
    let (_, old) = table(state, user, draft_id, Some(from)).await?;
    let (_, new) = table(state, user, draft_id, Some(to)).await?;
    Ok(compare_targets(&old, &new))
}

/// The table as a download: `csv` or `xlsx`.
pub async fn export(
    state: &AppState,
    user: &SessionUser,
    draft_id: i64,
    version: Option<u32>,
    format: &str,
) -> Result<Response, AppError> {
    let (draft, _, v) = super::version(state, user, draft_id, version).await?;
    let rows = store::of_version(&state.db, draft.id, v.version).await?;
    let cells: Vec<[String; 5]> =
        rows.into_iter().map(|t| [t.name, t.unit, t.previous_target, t.achieved, t.next_target]).collect();
    let stem = format!("chi-tieu-du-thao-{draft_id}-ban-{}", v.version);
    match format {
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let csv_error = |e: csv::Error| AppError::Internal(e.to_string());
            w.write_record([
                "Chỉ tiêu",
                "Đơn vị tính",
                "Chỉ tiêu nhiệm kỳ trước",
                "Kết quả thực hiện",
                "Chỉ tiêu nhiệm kỳ tới",
            ])
            .map_err(csv_error)?;
            for row in &cells {
                w.write_record(row.iter().map(|c| crate::files::csv_text(c).into_owned())).map_err(csv_error)?;
            }
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            bytes.extend(w.into_inner().map_err(|e| AppError::Internal(e.to_string()))?);
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, crate::files::disposition(&format!("{stem}.csv"))),
                ],
                bytes,
            )
                .into_response())
        }
        "xlsx" => {
            let title = format!("{} — bản {}", draft.title, v.version);
            crate::files::printed(crate::files::Format::Xlsx, &stem, move |_| {
                dangvu_reports::targets_xlsx(&title, &cells)
            })
            .await
        }
        _ => Err(AppError::invalid("format", "Định dạng là csv hoặc xlsx")),
    }
}
