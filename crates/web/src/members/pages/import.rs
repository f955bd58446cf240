//! The import of a members list in two steps: the file is sent once and kept as a draft
//! (in the database, `dangvu_store::members::import_drafts`, so that any server can confirm
//! it), the preview shows how its columns map, its first rows and every problem, the user
//! changes the mapping if needed, and only then writes it, all rows or none.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::calendar;
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::SessionUser;
use dangvu_store::members::import_drafts::{self, DraftFile};

use crate::AppState;
use crate::error::AppError;
use crate::members::import::{FIELDS, ImportPreview};
use crate::members::registry::{import, import_cell, keep_import_draft};
use crate::pages::{Layout, PageForm, PageResult, PageUpload, render_with};

/// The fields as the preview's choices name them.
fn field_label(field: &str) -> &'static str {
    match field {
        "full_name" => "Họ và tên",
        "birth_date" => "Ngày sinh",
        "gender" => "Giới tính",
        "status" => "Trạng thái (chính thức/dự bị)",
        "admitted_on" => "Ngày kết nạp",
        "ceremony_on" => "Ngày lễ kết nạp",
        "official_on" => "Ngày chính thức",
        "national_id" => "Số CCCD",
        "phone" => "Điện thoại",
        "card_number" => "Số thẻ đảng viên",
        _ => "",
    }
}

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

pub struct ColumnView {
    pub heading: String,
    pub field: String,
    /// The column's value in the first row, to recognise it by.
    pub example: String,
}

#[derive(Template)]
#[template(path = "members/import_preview.html")]
struct PreviewPage {
    layout: Layout,
    token: String,
    file_name: String,
    cell_code: String,
    cell_name: String,
    choices: Vec<Choice>,
    columns: Vec<ColumnView>,
    rows: usize,
    sample: Vec<Vec<String>>,
    valid: bool,
    errors: Vec<FieldError>,
    problems: Vec<crate::members::import::ImportProblem>,
}

/// `POST /members/import`: the file is kept and its preview shown; nothing is written yet.
pub async fn upload(State(state): State<AppState>, f: PageUpload) -> PageResult {
    let user = f.user.clone();
    let cell_code = f.field("cell_code").unwrap_or_default().trim().to_owned();
    let result = keep_import_draft(&state, &user, &cell_code, f.files.into_iter().next()).await;
    match result {
        Ok((token, file, cell_name)) => preview_page(&user, token, Arc::new(file), cell_code, cell_name, None).await,
        Err(AppError::Invalid(errors)) => super::registry::import_failed(&state, &user, errors, cell_code).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /members/import/review`: check again with the columns the user chose, or import.
pub async fn review(State(state): State<AppState>, f: PageForm<Vec<(String, String)>>) -> PageResult {
    let user = f.user;
    let field = |name: &str| f.form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let token = field("token").unwrap_or_default();
    let cell_code = field("cell_code").unwrap_or_default();
    let columns: Vec<String> = (0..).map_while(|i| field(&format!("col{i}"))).collect();
    let (cell, cell_name) = match import_cell(&state, &user, &cell_code).await {
        Ok(c) => c,
        Err(AppError::Invalid(errors)) => {
            return super::registry::import_failed(&state, &user, errors, cell_code).await;
        }
        Err(e) => return Err(e.into()),
    };
    let Some(file) = import_drafts::get(&state.db, user.user.id, &token).await? else {
        return super::registry::import_failed(&state, &user, draft_gone(), cell_code).await;
    };
    let file = Arc::new(file);
    if field("action").as_deref() != Some("import") {
        return preview_page(&user, token, file, cell_code, cell_name, Some(columns)).await;
    }
    let chosen = columns.clone();
    let for_check = file.clone();
    let rows = async {
        let today = calendar::today();
        tokio::task::spawn_blocking(move || {
            crate::members::import::check_file(&for_check.bytes, for_check.xlsx, Some(&chosen), today)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    };
    match import(&state, &user, cell, Some(&token), rows).await {
        Ok(Some(_)) => Ok(Redirect::to("/members?done=import").into_response()),
        Ok(None) => super::registry::import_failed(&state, &user, draft_gone(), cell_code).await,
        Err(AppError::Invalid(_)) => preview_page(&user, token, file, cell_code, cell_name, Some(columns)).await,
        Err(e) => Err(e.into()),
    }
}

/// What an import says of a draft that is no longer kept: expired, imported, or not this
/// account's.
fn draft_gone() -> Vec<FieldError> {
    vec![FieldError {
        field: "file".into(),
        message: format!("Tệp đã hết hạn chờ ({} phút); hãy chọn lại tệp", import_drafts::LIFETIME_SECONDS / 60),
    }]
}

async fn preview_page(
    user: &SessionUser,
    token: String,
    file: Arc<DraftFile>,
    cell_code: String,
    cell_name: String,
    chosen: Option<Vec<String>>,
) -> PageResult {
    let today = calendar::today();
    let for_preview = file.clone();
    let preview: ImportPreview = tokio::task::spawn_blocking(move || {
        crate::members::import::preview(&for_preview.bytes, for_preview.xlsx, chosen.as_deref(), today)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let mut choices = vec![Choice { value: "", label: "(bỏ qua cột này)" }];
    choices.extend(FIELDS.iter().map(|f| Choice { value: f, label: field_label(f) }));
    let page = PreviewPage {
        layout: Layout::new(user, "members"),
        token,
        file_name: file.name.clone(),
        cell_code,
        cell_name,
        choices,
        columns: preview
            .columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| ColumnView {
                heading: c.heading,
                field: c.field.unwrap_or_default(),
                example: preview.sample.first().and_then(|r| r.get(i)).cloned().unwrap_or_default(),
            })
            .collect(),
        rows: preview.rows,
        sample: preview.sample,
        valid: preview.valid,
        errors: preview.errors,
        problems: preview.problems,
    };
    let code = if page.valid { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_with(code, &page))
}
