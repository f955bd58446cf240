//! "Hồ sơ của tôi": the member's own record in the handbook's shell, as the registry holds it
//! (the member account reaches no page of the office's registry).

use askama::Template;
use axum::extract::State;
use dangvu_domain::calendar;
use dangvu_domain::vi;
use dangvu_store::members::Member;

use crate::AppState;
use crate::error::AppError;
use crate::pages::{PageResult, PageUser, render_with};

#[derive(Template)]
#[template(path = "members/mine.html")]
struct MinePage {
    name: String,
    csrf: String,
    m: Member,
    birth_date: String,
    admitted_on: String,
    official_on: String,
    party_age: String,
}

/// `/me/record`.
pub async fn record(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let id = user.user.member_id.ok_or(AppError::NotFound)?;
    let m = dangvu_store::members::get(&state.db, id, calendar::today()).await?.ok_or(AppError::NotFound)?;
    let page = MinePage {
        name: m.full_name.clone(),
        csrf: user.csrf_token.clone(),
        birth_date: vi::date(m.birth_date),
        admitted_on: vi::date(m.admitted_on),
        official_on: m.official_on.map(vi::date).unwrap_or_default(),
        party_age: m.party_age.label(),
        m,
    };
    Ok(render_with(axum::http::StatusCode::OK, &page))
}
