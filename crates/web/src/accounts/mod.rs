//! Accounts: signing in, with throttling per account and per address so that passwords
//! cannot be guessed at speed, and creating accounts; both shared by the API and the web
//! interface.

pub mod api;
pub mod pages;

use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::accounts::{
    self, ACCOUNT_FAILURES, ACCOUNT_WIDE_FAILURES, ADDRESS_FAILURES, NewSession, NewUser, SessionUser, User,
};

use crate::AppState;
use crate::error::AppError;
use crate::scope::{Seen, require_admin, seen_on, visible_org};
use crate::usecase::{actor, in_tx};

/// An account to create, as the admin asked for it.
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub role: String,
    /// The top of its scope; `None` for the whole tree (or a member's own cell).
    pub org_id: Option<OrgId>,
    pub member_id: Option<MemberId>,
    /// Where reminders are e-mailed; empty for none.
    pub email: String,
}

/// Creates an account inside the admin's scope: its organisation (or the member it belongs
/// to) must be one the admin sees, and only an admin who sees the whole tree creates an
/// account for all of it. `org_field` names the input that chose the organisation.
pub async fn create_account(
    state: &AppState,
    user: &SessionUser,
    new: NewAccount,
    org_field: &str,
) -> Result<User, AppError> {
    require_admin(user)?;
    let today = calendar::today();
    match new.org_id {
        None if new.role != "member" && !matches!(seen_on(state, user, today).await?, Seen::All) => {
            return Err(AppError::invalid(org_field, "Hãy chọn tổ chức trong phạm vi của bạn"));
        }
        Some(org_id) if visible_org(state, user, org_id, today).await.is_err() => {
            return Err(AppError::invalid(org_field, "Không có tổ chức này trong phạm vi của bạn"));
        }
        _ => {}
    }
    if let Some(member_id) = new.member_id {
        let cell = dangvu_store::members::cell_of(&state.db, member_id).await?;
        if !matches!(cell, Some(o) if visible_org(state, user, o, today).await.is_ok()) {
            return Err(AppError::invalid("member_id", "Không có đảng viên này"));
        }
    }
    let email = crate::tasks::reminders::check_address(&new.email).map_err(|why| AppError::invalid("email", why))?;
    let NewAccount { username, password, role, org_id, member_id, .. } = new;
    in_tx(state, async |tx| {
        let created =
            accounts::create_user(tx, &actor(user), NewUser { username, password, role, org_id, member_id }).await?;
        if email.is_some() {
            accounts::set_email(tx, &actor(user), created.id, email.as_deref()).await?;
        }
        Ok(created)
    })
    .await
}

pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    address: &str,
) -> Result<(User, NewSession), AppError> {
    let name = username.trim().to_lowercase();
    let address_key = format!("address:{address}");
    // Five guesses lock an account for the address they came from, not for everyone: a
    // stranger's guesses cannot shut the only administrator out. A far larger allowance for
    // the account from all addresses together bounds guessing spread over many addresses;
    // `dangvu user unlock` clears them all.
    let pair_key = format!("{}{address}", accounts::account_throttle_prefix(&name));
    let account_key = accounts::account_throttle_key(&name);
    // The allowances are taken before the password is checked, so that guesses sent at once
    // are counted one by one and no refused guess costs a hash. A broader allowance counts
    // only the guesses a narrower one let through.
    if !accounts::take_attempt(&state.db, &address_key, ADDRESS_FAILURES).await? {
        return Err(too_many());
    }
    if !accounts::take_attempt(&state.db, &pair_key, ACCOUNT_FAILURES).await? {
        accounts::give_back_attempt(&state.db, &address_key).await?;
        return Err(too_many());
    }
    if !accounts::take_attempt(&state.db, &account_key, ACCOUNT_WIDE_FAILURES).await? {
        accounts::give_back_attempt(&state.db, &pair_key).await?;
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
            accounts::clear_failures(&state.db, &pair_key).await?;
            accounts::give_back_attempt(&state.db, &account_key).await?;
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
