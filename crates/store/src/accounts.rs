//! Accounts, their scope in the tree, sessions and login throttling.

use dangvu_domain::ids::{MemberId, OrgId};
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use chrono::NaiveDate;
use dangvu_domain::accounts::Role;
use dangvu_domain::audit::Action;
use dangvu_domain::validation::Problems;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, params};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    #[schema(value_type = String, example = "organizer")]
    pub role: Role,
    /// The organisation whose subtree the account may see; `null` for the whole tree.
    #[schema(value_type = Option<i64>)]
    pub org_id: Option<OrgId>,
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<MemberId>,
    pub active: bool,
    /// Whether the account reads and keeps personnel data (posts' limits, planning pools) in
    /// its scope: a grant an admin gives on top of the role.
    pub personnel: bool,
    /// Whether the account is the head of an inspection committee for its scope (the custodian
    /// of denouncers' identities): it decides who else may read one.
    pub petition_custodian: bool,
}

const USER_COLUMNS: &str =
    "u.id, u.username, u.role, u.org_id, u.member_id, u.active, u.personnel, u.petition_custodian";
/// How many columns [`USER_COLUMNS`] selects: the index of the first column a query adds.
const N: usize = 8;

fn user_from_row(r: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: r.int(0)?,
        username: r.text(1)?,
        role: Role::parse(&r.text(2)?).ok_or_else(|| StoreError::Decode("unknown role".into()))?,
        org_id: r.opt_id(3)?,
        member_id: r.opt_id(4)?,
        active: r.bool(5)?,
        personnel: r.bool(6)?,
        petition_custodian: r.bool(7)?,
    })
}

/// What part of the tree an account sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole tree (an account made without an organisation).
    Tree,
    /// The organisation with this path and everything below it.
    Subtree { org_id: OrgId, path: String },
    /// The account's organisation no longer exists: it sees nothing until reassigned.
    Ended { org_id: OrgId },
}

impl Scope {
    /// True when a node at `path` is inside this scope.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Scope::Tree => true,
            Scope::Subtree { path: p, .. } => dangvu_domain::orgs::tree::is_within(path, p),
            Scope::Ended { .. } => false,
        }
    }
}

// ------------------------------------------------------------------ passwords

/// How many passwords are hashed or checked at once, at most. Each argon2id computation holds
/// 19 MiB: three hundred sign-ins sent together took the server from 25 MB to 5 GB before this
/// bound. The others wait their turn (a sign-in takes tens of milliseconds), holding nothing.
pub const HASHING_AT_ONCE: usize = 2;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_AT_ONCE);

/// The hashes being computed now, and the most there ever were (for the test of the bound).
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static MOST_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// The most passwords ever hashed or checked at the same time by this process.
pub fn most_hashing_at_once() -> usize {
    MOST_IN_FLIGHT.load(Ordering::Relaxed)
}

type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that compute argon2id: [`HASHING_AT_ONCE`] of them, started once. Not the
/// blocking pool: each of its threads that ever ran a computation kept the 19 MiB in its own
/// allocator arena (a few hundred sign-ins left the server ~600 MB larger, growing with each
/// burst); on the same two threads that memory is reused.
fn hashers() -> Result<&'static std::sync::mpsc::Sender<HashJob>, StoreError> {
    static HASHERS: std::sync::OnceLock<Result<std::sync::mpsc::Sender<HashJob>, String>> = std::sync::OnceLock::new();
    let started = HASHERS.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<HashJob>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        for n in 0..HASHING_AT_ONCE {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let job = match receiver.lock() {
                            Ok(r) => r.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(sender)
    });
    started.as_ref().map_err(|e| StoreError::Engine(format!("password hashing threads: {e}")))
}

/// Runs one argon2id computation on the hashing threads, [`HASHING_AT_ONCE`] at a time.
async fn hashing<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> Result<R, StoreError> {
    let _permit = HASHING.acquire().await.map_err(|e| StoreError::Engine(e.to_string()))?;
    let (answer, answered) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
        let out = work();
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
        let _ = answer.send(out);
    });
    hashers()?.send(job).map_err(|_| StoreError::Engine("password hashing threads stopped".into()))?;
    answered.await.map_err(|_| StoreError::Engine("password hashing failed".into()))
}

/// argon2id with the crate's default (OWASP) parameters, off the async threads.
pub async fn hash_password(password: String) -> Result<String, StoreError> {
    hashing(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Engine(e.to_string()))
    })
    .await?
}

/// Checks a password. With no stored hash it still does the work, so that the time
/// taken does not tell whether the account exists.
pub async fn verify_password(stored: Option<String>, password: String) -> bool {
    const DECOY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2ElmLFG+m7QUDb1Xnp4OJc4jR2bsGGF4e7iCw9Jh9mI";
    hashing(move || {
        let real = stored.is_some();
        let text = stored.unwrap_or_else(|| DECOY.to_owned());
        let Ok(hash) = PasswordHash::new(&text) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &hash).is_ok() && real
    })
    .await
    .unwrap_or(false)
}

// ------------------------------------------------------------------ users

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: String,
    pub org_id: Option<OrgId>,
    pub member_id: Option<MemberId>,
}

/// The password policy (`dangvu_domain::accounts::password`, OWASP ASVS level 2).
pub fn check_password_strength(password: &str, username: &str, problems: &mut Problems) {
    if let Some(why) = dangvu_domain::accounts::password::weakness(password, username) {
        problems.add("password", why);
    }
}

/// Creates an account. A `member` account is bound to a member record and its scope is
/// that member's cell.
pub async fn create_user(tx: &mut Tx, actor: &Actor, new: NewUser) -> Result<User, StoreError> {
    let username = new.username.trim().to_lowercase();
    let mut problems = Problems::new();
    let ok_chars = username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if username.len() < 3 || username.len() > 64 || !ok_chars {
        problems.add("username", "Tên đăng nhập gồm 3–64 ký tự: chữ cái không dấu, chữ số, '.', '_' hoặc '-'");
    }
    check_password_strength(&new.password, &username, &mut problems);
    let role = Role::parse(&new.role);
    if role.is_none() {
        problems.add("role", "Vai trò không hợp lệ");
    }
    let mut org_id = new.org_id;
    if let Some(oid) = org_id
        && tx.query_one("SELECT 1 FROM orgs WHERE id = $1", params![oid]).await?.is_none()
    {
        problems.add("org_id", "Không có tổ chức này");
    }
    if role == Some(Role::Member) {
        match new.member_id {
            None => problems.add("member_id", "Tài khoản đảng viên phải gắn với một đảng viên"),
            Some(mid) => match tx.query_one("SELECT org_id FROM members WHERE id = $1", params![mid]).await? {
                Some(r) => org_id = Some(r.id(0)?),
                None => problems.add("member_id", "Không có đảng viên này"),
            },
        }
    } else if new.member_id.is_some() {
        problems.add("member_id", "Chỉ tài khoản đảng viên mới gắn với một đảng viên");
    }
    if tx.query_one("SELECT 1 FROM users WHERE username = $1", params![username.as_str()]).await?.is_some() {
        problems.add("username", "Tên đăng nhập đã được dùng");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let role = role.expect("validated above");
    let hash = hash_password(new.password).await?;
    let id = tx
        .query_one(
            "INSERT INTO users (username, password_hash, role, org_id, member_id, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![username.as_str(), hash, role.as_str(), org_id, new.member_id, true, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    // The password hash is never written to the audit log.
    audit::append(
        tx,
        actor,
        Change {
            action: Action::UserCreate,
            subject: Subject::user(id),
            before: None,
            after: Some(
                json!({"username": username, "role": role.as_str(), "org_id": org_id, "member_id": new.member_id}),
            ),
        },
    )
    .await?;
    Ok(User {
        id,
        username,
        role,
        org_id,
        member_id: new.member_id,
        active: true,
        personnel: false,
        petition_custodian: false,
    })
}

pub async fn user(db: &Db, id: i64) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    db.query_one(&sql, params![id]).await?.map(|r| user_from_row(&r)).transpose()
}

/// The account and its password hash, for signing in.
pub async fn for_login(db: &Db, username: &str) -> Result<Option<(User, String)>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1");
    let name = username.trim().to_lowercase();
    match db.query_one(&sql, params![name]).await? {
        Some(r) => Ok(Some((user_from_row(&r)?, r.text(N)?))),
        None => Ok(None),
    }
}

/// Accounts whose organisation lies inside `scope` on `today`, by id after `after_id`.
/// An account of the whole tree is seen only by a scope of the whole tree.
pub async fn users_in(
    db: &Db,
    scope: &Scope,
    today: NaiveDate,
    after_id: i64,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    let rows = match scope {
        Scope::Tree => {
            let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT $2");
            db.query(&sql, params![after_id, limit]).await?
        }
        Scope::Subtree { path, .. } => {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u
                 JOIN org_versions v ON v.org_id = u.org_id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)
                 WHERE v.path >= $2 AND v.path < $3 AND u.id > $4 ORDER BY u.id LIMIT $5"
            );
            let end = dangvu_domain::orgs::tree::subtree_end(path);
            db.query(&sql, params![today, path.as_str(), end, after_id, limit]).await?
        }
        Scope::Ended { .. } => Vec::new(),
    };
    rows.iter().map(user_from_row).collect()
}

// ------------------------------------------------------------------ sessions

/// How long a session lasts from sign-in.
pub const SESSION_SECONDS: i64 = 12 * 3600;

pub struct NewSession {
    /// Given to the client once; only its hash is stored.
    pub token: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// 256 random bits, URL-safe: session tokens and other secrets handed to a browser.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a token handed to a browser (sessions, import drafts): a copy of the
/// database opens nothing.
pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a new session; a new random id at every sign-in, so a planted id is useless.
pub async fn open_session(db: &Db, user_id: i64) -> Result<NewSession, StoreError> {
    let s = NewSession {
        token: random_token(),
        csrf_token: random_token(),
        expires_at: crate::now_micros() + SESSION_SECONDS * 1_000_000,
    };
    let mut tx = db.begin().await?;
    // Expired sessions are swept as new ones open, so the table stays small.
    tx.execute("DELETE FROM sessions WHERE expires_at < $1", params![crate::now_micros()]).await?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        params![token_hash(&s.token), user_id, s.csrf_token.as_str(), crate::now_micros(), s.expires_at],
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// A signed-in account, as every request sees it.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub scope: Scope,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// The account behind a session token, with its scope resolved on `today`: one query.
pub async fn session(db: &Db, token: &str, today: NaiveDate) -> Result<Option<SessionUser>, StoreError> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at, v.path FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN org_versions v ON v.org_id = u.org_id AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)
         WHERE s.token_hash = $1 AND s.expires_at > $3"
    );
    let Some(r) = db.lookup_one(&sql, params![token_hash(token), today, crate::now_micros()]).await? else {
        return Ok(None);
    };
    let user = user_from_row(&r)?;
    if !user.active {
        return Ok(None);
    }
    let scope = match (user.org_id, r.opt_text(N + 2)?) {
        (None, _) => Scope::Tree,
        (Some(org_id), Some(path)) => Scope::Subtree { org_id, path },
        (Some(org_id), None) => Scope::Ended { org_id },
    };
    Ok(Some(SessionUser { user, scope, csrf_token: r.text(N)?, expires_at: r.int(N + 1)? }))
}

pub async fn close_session(db: &Db, token: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    tx.execute("DELETE FROM sessions WHERE token_hash = $1", params![token_hash(token)]).await?;
    tx.commit().await
}

// ------------------------------------------------------------------ throttling

/// Failed sign-ins allowed per key within [`THROTTLE_WINDOW`] before it is locked: for one
/// account from one address, for one address whatever the account, and for one account from
/// all addresses together.
pub const ACCOUNT_FAILURES: i64 = 5;
pub const ADDRESS_FAILURES: i64 = 20;
pub const ACCOUNT_WIDE_FAILURES: i64 = 100;

/// The throttle's key for an account from all addresses (`username` lower-cased).
pub fn account_throttle_key(username: &str) -> String {
    format!("account:{username}")
}

/// The start of the throttle's keys for an account from one address: the prefix and then the
/// address.
pub fn account_throttle_prefix(username: &str) -> String {
    format!("account:{username}|")
}

/// Clears every sign-in lock of an account (`dangvu user unlock`): the way back in for an
/// administrator whose account guesses locked. Answers how many locks there were.
pub async fn unlock(db: &Db, username: &str) -> Result<u64, StoreError> {
    let name = username.trim().to_lowercase();
    let mut tx = db.begin().await?;
    let keys: Vec<String> = tx
        .query(
            "SELECT key FROM login_throttle WHERE key = $1 OR key LIKE $2",
            params![account_throttle_key(&name).as_str(), format!("{}%", account_throttle_prefix(&name)).as_str()],
        )
        .await?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<_, _>>()?;
    // A `_` in a username is a wildcard to LIKE (and escapes differ between the engines): the
    // keys found are matched exactly here.
    let prefix = account_throttle_prefix(&name);
    let mut cleared = 0;
    for key in keys.iter().filter(|k| **k == account_throttle_key(&name) || k.starts_with(&prefix)) {
        cleared += tx.execute("DELETE FROM login_throttle WHERE key = $1", params![key.as_str()]).await?;
    }
    tx.commit().await?;
    Ok(cleared)
}
/// Seconds.
pub const THROTTLE_WINDOW: i64 = 15 * 60;

/// Takes one attempt of `key`'s allowance, atomically, before any password is checked: the
/// count of the window goes up in the same statement that reads it, so guesses sent all at
/// once are counted one by one (on PostgreSQL the update locks the row, on SQLite writes are
/// serialised). Answers whether the attempt may go on: at most `limit` attempts in a window,
/// which starts at the first one and lasts [`THROTTLE_WINDOW`] seconds; beyond them the key is
/// refused until the window ends. (`login_throttle.locked_until` is no longer written: the
/// count decides.)
pub async fn take_attempt(db: &Db, key: &str, limit: i64) -> Result<bool, StoreError> {
    let now = crate::now_micros();
    let window = THROTTLE_WINDOW * 1_000_000;
    let mut tx = db.begin().await?;
    let row = tx
        .query_one(
            "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0)
             ON CONFLICT (key) DO UPDATE SET
                 failures = CASE WHEN login_throttle.window_start + $3 > $2 THEN login_throttle.failures + 1 ELSE 1 END,
                 window_start = CASE WHEN login_throttle.window_start + $3 > $2 THEN login_throttle.window_start ELSE $2 END
             RETURNING failures",
            params![key, now, window],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let allowed = row.int(0)? <= limit;
    if !allowed {
        // A refused attempt is not counted: the key stays refused until its window ends, and
        // an address is not shut out by the guesses another allowance refused.
        tx.execute("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1", params![key]).await?;
    }
    tx.commit().await?;
    Ok(allowed)
}

/// Gives back an attempt taken by [`take_attempt`] that does not count against the key: a
/// sign-in that succeeded, as seen from its address, or one the account's own count refused.
pub async fn give_back_attempt(db: &Db, key: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    tx.execute("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0", params![key])
        .await?;
    tx.commit().await
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    tx.execute("DELETE FROM login_throttle WHERE key = $1", params![key]).await?;
    tx.commit().await
}

/// Sets (or clears) the address an account's reminders are e-mailed to. The address is
/// checked by the caller (the web layer parses it as an e-mail address).
pub async fn set_email(tx: &mut Tx, actor: &Actor, user_id: i64, email: Option<&str>) -> Result<(), StoreError> {
    if email.is_some_and(|e| e.len() > 254) {
        return Err(StoreError::invalid("email", "Địa chỉ e-mail quá dài"));
    }
    let before = tx.query_one("SELECT email FROM users WHERE id = $1", params![user_id]).await?;
    let before = before.ok_or(StoreError::NotFound)?.opt_text(0)?;
    tx.execute("UPDATE users SET email = $2 WHERE id = $1", params![user_id, email]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: Action::UserEmail,
            subject: Subject::user(user_id),
            before: Some(json!({"email": before})),
            after: Some(json!({"email": email})),
        },
    )
    .await?;
    Ok(())
}

/// An active account with an e-mail address, and where its scope starts on a day.
#[derive(Debug, Clone)]
pub struct MailRecipient {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    /// The path of its organisation on that day; `None` for the whole tree. Accounts of
    /// an organisation that has ended are left out.
    pub path: Option<String>,
}

pub async fn mail_recipients(db: &Db, on: NaiveDate) -> Result<Vec<MailRecipient>, StoreError> {
    let rows = db
        .query(
            "SELECT u.id, u.username, u.email, u.org_id, v.path FROM users u
             LEFT JOIN org_versions v ON v.org_id = u.org_id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1)
             WHERE u.active = $2 AND u.email IS NOT NULL AND u.email <> '' ORDER BY u.id",
            params![on, true],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let path = r.opt_text(4)?;
        if r.opt_int(3)?.is_some() && path.is_none() {
            continue;
        }
        out.push(MailRecipient { user_id: r.int(0)?, username: r.text(1)?, email: r.text(2)?, path });
    }
    Ok(out)
}

/// Claims the day's reminder e-mail of an account: true for the one server that gets it.
pub async fn claim_reminder_mail(tx: &mut Tx, user_id: i64, on: NaiveDate) -> Result<bool, StoreError> {
    let n = tx
        .execute(
            "INSERT INTO reminder_mails (user_id, sent_on) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            params![user_id, on],
        )
        .await?;
    Ok(n == 1)
}

/// Gives the claim back when the relay refused the message, so that a later round retries.
pub async fn release_reminder_mail(db: &Db, user_id: i64, on: NaiveDate) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    tx.execute("DELETE FROM reminder_mails WHERE user_id = $1 AND sent_on = $2", params![user_id, on]).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    /// Sign-ins sent by the dozen are checked two at a time, not all at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn passwords_are_checked_a_few_at_a_time() {
        let checks: Vec<_> = (0..16).map(|i| tokio::spawn(super::verify_password(None, format!("doan-{i}")))).collect();
        for check in checks {
            assert!(!check.await.unwrap());
        }
        let most = super::most_hashing_at_once();
        assert!((1..=super::HASHING_AT_ONCE).contains(&most), "{most} at once");
    }
}

/// A grant an admin gives an account on top of its role: a flag on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// Personnel work (công tác cán bộ): the admin, the Organisation board, a leader.
    Personnel,
    /// The head of an inspection committee: the custodian of denouncers' identities.
    PetitionCustodian,
}

impl Grant {
    /// The column of `users` holding it (a word of the code, never of the input).
    fn column(self) -> &'static str {
        match self {
            Grant::Personnel => "personnel",
            Grant::PetitionCustodian => "petition_custodian",
        }
    }

    fn action(self) -> Action {
        match self {
            Grant::Personnel => Action::UserPersonnel,
            Grant::PetitionCustodian => Action::UserPetitionCustodian,
        }
    }

    /// Which roles take it, and the refusal for the others.
    fn fits(self, role: Role) -> Result<(), &'static str> {
        match self {
            Grant::Personnel if matches!(role, Role::Admin | Role::Organizer | Role::Viewer) => Ok(()),
            Grant::Personnel => Err("Chỉ tài khoản quản trị, Ban Tổ chức hoặc lãnh đạo được giao công tác cán bộ"),
            Grant::PetitionCustodian if role == Role::Inspector => Ok(()),
            Grant::PetitionCustodian => Err("Chỉ tài khoản Ủy ban Kiểm tra được giao"),
        }
    }
}

/// Gives or takes back a grant of an account, with its audit entry; nothing when it is already so.
pub async fn set_grant(tx: &mut Tx, actor: &Actor, user_id: i64, grant: Grant, on: bool) -> Result<(), StoreError> {
    let column = grant.column();
    let row = tx.query_one(&format!("SELECT role, {column} FROM users WHERE id = $1"), params![user_id]).await?;
    let row = row.ok_or(StoreError::NotFound)?;
    let role = row.word(0, Role::parse)?;
    if on && let Err(why) = grant.fits(role) {
        return Err(StoreError::invalid(column, why));
    }
    let before = row.bool(1)?;
    if before == on {
        return Ok(());
    }
    tx.execute(&format!("UPDATE users SET {column} = $2 WHERE id = $1"), params![user_id, on]).await?;
    audit::append(
        tx,
        actor,
        Change {
            action: grant.action(),
            subject: Subject::user(user_id),
            before: Some(serde_json::json!({ column: before })),
            after: Some(serde_json::json!({ column: on })),
        },
    )
    .await?;
    Ok(())
}
