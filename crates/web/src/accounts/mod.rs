//! Signing in, shared by the API and the web interface, with throttling per account
//! and per address so that passwords cannot be guessed at speed.

pub mod api;
pub mod pages;

use dangvu_store::accounts::{self, ACCOUNT_FAILURES, ADDRESS_FAILURES, NewSession, User};

use crate::AppState;
use crate::error::AppError;

pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    address: &str,
) -> Result<(User, NewSession), AppError> {
    let account_key = format!("account:{}", username.trim().to_lowercase());
    let address_key = format!("address:{address}");
    // Both allowances are taken before the password is checked, so that guesses sent at once
    // are counted one by one and no refused guess costs a hash. The address counts only the
    // guesses it made that were checked.
    if !accounts::take_attempt(&state.db, &address_key, ADDRESS_FAILURES).await? {
        return Err(too_many());
    }
    if !accounts::take_attempt(&state.db, &account_key, ACCOUNT_FAILURES).await? {
        accounts::give_back_attempt(&state.db, &address_key).await?;
        return Err(too_many());
    }
    let found = accounts::for_login(&state.db, username).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let ok = accounts::verify_password(hash, password.to_owned()).await;
    match user {
        Some(user) if ok && user.active => {
            accounts::clear_failures(&state.db, &account_key).await?;
            accounts::give_back_attempt(&state.db, &address_key).await?;
            let session = accounts::open_session(&state.db, user.id).await?;
            tracing::info!(user_id = user.id, "signed in");
            Ok((user, session))
        }
        _ => {
            tracing::info!("failed sign-in");
            Err(AppError::Unauthorized)
        }
    }
}

/// Accounts: their API and their pages.
pub fn router() -> crate::Routes {
    crate::Routes { api: api::router(), pages: pages::router() }
}

fn too_many() -> AppError {
    AppError::TooManyRequests("Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút".into())
}
