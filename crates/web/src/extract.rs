//! Request extractors: JSON and query input normalised and validated the same way
//! everywhere, and the signed-in account with its scope.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use dangvu_domain::calendar;
use dangvu_domain::text::{first_forbidden, forbidden_message, nfc};
use dangvu_store::accounts::{self, SessionUser};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::AppError;

/// A JSON body, every string NFC-normalised before it is read (CONTRACT.md).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::BadRequest("Nội dung phải là JSON (Content-Type: application/json)".into()));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge("Nội dung yêu cầu quá lớn".into())
            } else {
                AppError::BadRequest("Không đọc được nội dung yêu cầu".into())
            }
        })?;
        let mut value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest(format!("JSON không hợp lệ: {e}")))?;
        normalize(&mut value, "body")?;
        serde_json::from_value(value).map(ApiJson).map_err(|e| AppError::invalid("body", field_message(&e)))
    }
}

/// What serde found wrong, said in Vietnamese (its own words are English and name Rust types).
fn field_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let quoted = |rest: &str| rest.split('`').next().unwrap_or_default().to_owned();
    if let Some(rest) = text.strip_prefix("missing field `") {
        return format!("Thiếu trường {}", quoted(rest));
    }
    if let Some(rest) = text.strip_prefix("unknown field `") {
        return format!("Không có trường {}", quoted(rest));
    }
    if let Some(rest) = text.strip_prefix("unknown variant `") {
        return format!("Giá trị \"{}\" không thuộc các giá trị cho phép", quoted(rest));
    }
    if text.starts_with("invalid type") {
        return "Sai kiểu dữ liệu (ví dụ: chữ ở chỗ cần số, hoặc số ở chỗ cần chữ)".into();
    }
    if text.starts_with("invalid length") {
        return "Sai số phần tử của danh sách".into();
    }
    if text.starts_with("premature end of input") || text.starts_with("input contains invalid characters") {
        return "Ngày hoặc giá trị không đúng định dạng".into();
    }
    "Dữ liệu không đúng kiểu hoặc không hợp lệ".into()
}

/// Every string in NFC; a string holding a control or bidi-override character is refused,
/// named by the field it is in (the nearest key).
fn normalize(v: &mut serde_json::Value, field: &str) -> Result<(), AppError> {
    match v {
        serde_json::Value::String(s) => {
            allowed_text(s, field)?;
            *s = nfc(s);
        }
        serde_json::Value::Array(a) => a.iter_mut().try_for_each(|v| normalize(v, field))?,
        serde_json::Value::Object(o) => {
            for (k, v) in o.iter_mut() {
                allowed_text(k, field)?;
                normalize(v, k)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Refuses a text holding a character no text may hold (`text::is_forbidden`: NUL and the
/// other controls, bidi overrides), alike on both engines, before anything is read from it.
pub fn allowed_text(s: &str, field: &str) -> Result<(), AppError> {
    match first_forbidden(s) {
        Some(c) => Err(AppError::invalid(field, forbidden_message(c))),
        None => Ok(()),
    }
}

/// Query parameters, with a structured 422 when they do not parse.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let q = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
        for (k, v) in &pairs {
            allowed_text(k, "query")?;
            allowed_text(v, k)?;
        }
        if let Ok(v) = serde_urlencoded::from_str(q) {
            return Ok(ApiQuery(v));
        }
        // A parameter left empty (`org_id=`, as a form sends an empty field) is one not given.
        let given: Vec<&(String, String)> = pairs.iter().filter(|(_, v)| !v.trim().is_empty()).collect();
        let encode = |list: &[&(String, String)]| serde_urlencoded::to_string(list).unwrap_or_default();
        match serde_urlencoded::from_str(&encode(&given)) {
            Ok(v) => Ok(ApiQuery(v)),
            Err(_) => {
                // Name the parameter at fault: the one without which the rest reads.
                let culprit = (0..given.len()).find(|&i| {
                    let mut rest = given.clone();
                    rest.remove(i);
                    serde_urlencoded::from_str::<T>(&encode(&rest)).is_ok()
                });
                Err(match culprit {
                    Some(i) => {
                        AppError::invalid(&given[i].0, format!("Tham số {} không hợp lệ: “{}”", given[i].0, given[i].1))
                    }
                    None => AppError::invalid("query", "Tham số trên địa chỉ không hợp lệ (sai kiểu hoặc thiếu)"),
                })
            }
        }
    }
}

/// An id in the path, as the type that says what it points at (`Id<OrgId>`, `Id<MemberId>`;
/// a plain `i64` for the rest); anything that is not one is simply not found.
pub struct Id<T = i64>(pub T);

impl<T: std::str::FromStr, S: Send + Sync> FromRequestParts<S> for Id<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        raw.parse().map(Id).map_err(|_| AppError::NotFound)
    }
}

/// Two numeric ids from the path (`/members/{id}/inactive-periods/{period_id}`); anything
/// else is "not found".
pub struct Ids(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path((a, b)) = axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok(Ids(a.parse().map_err(|_| AppError::NotFound)?, b.parse().map_err(|_| AppError::NotFound)?))
    }
}

/// The account behind `Authorization: Bearer TOKEN`.
pub struct ApiUser(pub SessionUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts).ok_or(AppError::Unauthorized)?;
        let user = accounts::session(&state.db, token, calendar::today()).await?.ok_or(AppError::Unauthorized)?;
        Ok(ApiUser(user))
    }
}

pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
    (!token.is_empty()).then_some(token)
}

/// The name of the session cookie of the web interface.
pub const SESSION_COOKIE: &str = "dangvu_session";

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The address a request came from: the socket's, or the proxy's `X-Forwarded-For`
/// when the server is told to trust its proxy.
pub fn client_address(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(first) =
            parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
    {
        return first.trim().to_owned();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
