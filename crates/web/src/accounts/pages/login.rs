//! Signing in and out of the web interface.

use askama::Template;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::extract::{SESSION_COOKIE, client_address, cookie};
use crate::pages::{PageForm, PageQuery, PageResult, render_with};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

/// Only a plain path on this site may follow the sign-in, never another site. Browsers drop
/// tabs and line breaks from a URL and read `\\` as `/`, so `/%09/evil.example` would become
/// `//evil.example`: a path holding a control character, white space or a backslash, or
/// starting with `//`, is refused (the home page instead).
fn safe_next(next: Option<&str>) -> String {
    let plain = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    };
    match next {
        Some(n) if plain(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn form(PageQuery(q): PageQuery<NextParam>) -> Response {
    render_with(StatusCode::OK, &LoginPage { next: safe_next(q.next.as_deref()), username: String::new(), error: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(State(state): State<AppState>, parts: Parts, body: axum::body::Bytes) -> Response {
    let Ok(input) = serde_urlencoded::from_bytes::<LoginForm>(&body) else {
        return render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &LoginPage {
                next: "/".into(),
                username: String::new(),
                error: Some("Hãy nhập tên đăng nhập và mật khẩu".into()),
            },
        );
    };
    let next = safe_next(input.next.as_deref());
    let address = client_address(&parts, state.config.trust_proxy);
    match crate::accounts::sign_in(&state, &input.username, &input.password, &address).await {
        Ok((_, session)) => {
            // A session id planted before sign-in is dropped: the new one is fresh.
            if let Some(old) = cookie(&parts, SESSION_COOKIE) {
                let _ = dangvu_store::accounts::close_session(&state.db, old).await;
            }
            let secure = if state.config.secure_cookies { "; Secure" } else { "" };
            let value = format!(
                "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                session.token,
                dangvu_store::accounts::SESSION_SECONDS
            );
            let mut res = Redirect::to(&next).into_response();
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            let (status, error) = match e {
                AppError::Unauthorized => {
                    (StatusCode::UNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng".to_owned())
                }
                AppError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, m),
                other => (other.status(), other.to_string()),
            };
            render_with(status, &LoginPage { next, username: input.username, error: Some(error) })
        }
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {}

pub async fn logout(State(state): State<AppState>, parts: Parts, form: PageForm<LogoutForm>) -> PageResult {
    let _ = form.form;
    if let Some(token) = cookie(&parts, SESSION_COOKIE) {
        dangvu_store::accounts::close_session(&state.db, token).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("dangvu_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_plain_local_path_follows_the_sign_in() {
        for local in ["/", "/members?org_id=3", "/elections/7#after", "/t%C3%A0i-li%E1%BB%87u"] {
            assert_eq!(safe_next(Some(local)), local);
        }
        for other in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\\evil.example",
            "/\\/evil.example",
            "https://evil.example",
            "evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(other)), "/", "{other:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
