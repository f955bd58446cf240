//! Administration pages: accounts and the audit log.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use dangvu_domain::accounts::Role;
use dangvu_domain::calendar;
use dangvu_domain::validation::FieldError;
use dangvu_store::accounts::{self, SessionUser};
use dangvu_store::orgs;
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{NewAccount, create_account};
use crate::error::AppError;
use crate::pages::PageQuery;
use crate::pages::{DoneParam, Layout, PageForm, PageResult, PageUser, done_message, render_with};
use crate::scope::require_admin;

pub struct UserRow {
    pub username: String,
    pub role: &'static str,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    status_ok: bool,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
    form_username: String,
    form_org: String,
}

pub async fn users(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PageQuery(p): PageQuery<DoneParam>,
) -> PageResult {
    users_page(&state, &user, Vec::new(), done_message(p.done.as_deref()), String::new(), String::new()).await
}

async fn users_page(
    state: &AppState,
    user: &SessionUser,
    errors: Vec<FieldError>,
    done: Option<&'static str>,
    form_username: String,
    form_org: String,
) -> PageResult {
    require_admin(user)?;
    let today = calendar::today();
    let mut rows = Vec::new();
    for u in accounts::users_in(&state.db, &user.scope, today, 0, 500).await? {
        let scope = match u.org_id {
            Some(o) => orgs::get(&state.db, o, today).await?.map(|o| o.name).unwrap_or_default(),
            None => "Toàn bộ cây tổ chức".to_owned(),
        };
        rows.push(UserRow { username: u.username, role: u.role.label(), scope });
    }
    let page = UsersPage {
        layout: Layout::new(user, "users"),
        users: rows,
        roles: Role::ALL.iter().filter(|r| **r != Role::Member).map(|r| (r.as_str(), r.label())).collect(),
        status_ok: errors.is_empty(),
        errors,
        done,
        form_username,
        form_org,
    };
    let status = if page.status_ok { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render_with(status, &page))
}

#[derive(Deserialize)]
pub struct UserForm {
    username: String,
    password: String,
    role: String,
    org_code: String,
    #[serde(default)]
    email: String,
}

pub async fn create_user(State(state): State<AppState>, f: PageForm<UserForm>) -> PageResult {
    let PageForm { user, form } = f;
    require_admin(&user)?;
    let result: Result<(), AppError> = async {
        let org_id = match crate::pages::codes_to_ids(&state, &form.org_code, "org_code").await?[..] {
            [] => None,
            [one] => Some(one),
            _ => return Err(AppError::invalid("org_code", "Chỉ chọn một tổ chức làm phạm vi")),
        };
        let new = NewAccount {
            username: form.username.clone(),
            password: form.password,
            role: form.role,
            org_id,
            member_id: None,
            email: form.email,
        };
        create_account(&state, &user, new, "org_code").await.map(drop)
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/users?done=user").into_response()),
        Err(AppError::Invalid(errors)) => users_page(&state, &user, errors, None, form.username, form.org_code).await,
        Err(e) => Err(e.into()),
    }
}
