//! The audit log's page: the entries newest first, and the check of the hash chain.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use dangvu_domain::audit::Action;
use dangvu_store::accounts::Scope;
use dangvu_store::audit;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{Layout, PageResult, PageUser, render};
use crate::scope::require_admin;
use axum::routing::get;

pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub entity: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    next: Option<i64>,
    verification: Option<(bool, String)>,
}

#[derive(Deserialize)]
pub struct AuditParams {
    before: Option<i64>,
    verify: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<AuditParams>,
) -> PageResult {
    require_admin(&user)?;
    if user.scope != Scope::Tree {
        return Err(AppError::Forbidden("Chỉ quản trị viên toàn hệ thống xem được nhật ký".into()).into());
    }
    const PAGE: i64 = 100;
    let entries = audit::list(&state.db, p.before, PAGE).await?;
    let next = (entries.len() as i64 == PAGE).then(|| entries.last().map(|e| e.id)).flatten();
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|d| dangvu_domain::vi::datetime(d.to_utc()))
                .unwrap_or(e.at),
            actor: e.actor_name,
            action: action_label(&e.action),
            entity: match e.entity_id {
                Some(id) => format!("{} #{id}", entity_label(&e.entity)),
                None => entity_label(&e.entity).to_owned(),
            },
            before: e.before.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()).unwrap_or_default(),
            after: e.after.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()).unwrap_or_default(),
        })
        .collect();
    let verification = match p.verify {
        Some(_) => Some(match audit::verify(&state.db).await? {
            Ok(n) => (true, format!("Nhật ký toàn vẹn: {} mục đều khớp chuỗi băm.", dangvu_domain::vi::number(n))),
            Err(b) => (false, format!("Nhật ký đã bị can thiệp: {b}")),
        }),
        None => None,
    };
    Ok(render(&AuditPage { layout: Layout::new(&user, "audit"), rows, next, verification })?.into_response())
}

/// The change in words; a text no version of dangvu wrote reads as "another change".
fn action_label(action: &str) -> &'static str {
    Action::parse(action).map_or("Thay đổi khác", Action::label)
}

fn entity_label(entity: &str) -> &'static str {
    match entity {
        "org" => "Tổ chức",
        "body" => "Cơ quan",
        "user" => "Tài khoản",
        "member" => "Đảng viên",
        _ => "Bản ghi",
    }
}

pub fn router() -> crate::pages::PageRoutes {
    crate::pages::PageRoutes::new().route("/audit", get(audit))
}
