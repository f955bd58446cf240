//! Files sent to the members' import page, kept while their account looks at the preview and
//! maps the columns, so that the file is not sent again for each look.
//!
//! They are kept in the database, not in a server's memory: a preview made on one server is
//! confirmed on whichever server the load balancer picks next. A draft belongs to the account
//! that sent it; another account's token finds nothing. As for sessions, only the SHA-256 of the
//! token handed to the browser is stored. Drafts are not audited: keeping one changes nothing in
//! the registry, and the import itself is (`member.import`).

use crate::accounts::{random_token, token_hash};
use crate::{Db, Param, StoreError, Tx, params};

/// An uploaded file waiting to be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftFile {
    /// Shown on the preview; made by [`DraftFile::new`].
    pub name: String,
    /// An Excel workbook (`.xlsx`), else CSV.
    pub xlsx: bool,
    pub bytes: Vec<u8>,
}

impl DraftFile {
    /// The file as the browser sent it. Its name keeps no folders and no control characters
    /// (PostgreSQL refuses a NUL in text) and at most 200 characters, as an attached file's.
    pub fn new(sent_name: &str, bytes: Vec<u8>) -> DraftFile {
        let xlsx = sent_name.to_ascii_lowercase().ends_with(".xlsx");
        let name = crate::files::clean_name(sent_name).chars().take(MAX_NAME_CHARS).collect();
        DraftFile { name, xlsx, bytes }
    }
}

/// How long a draft waits, in seconds.
pub const LIFETIME_SECONDS: i64 = 30 * 60;
/// How many drafts wait, and their total size, for one account. These were the limits of the
/// server's memory when the drafts lived there; in the database they are each account's, and
/// bound what one account leaves behind (expired drafts of every account go anyway).
pub const MAX_DRAFTS: usize = 32;
pub const MAX_DRAFT_BYTES: usize = 128 * 1024 * 1024;

/// The longest file name kept, in characters, as for attached files.
const MAX_NAME_CHARS: usize = 200;

/// Drafts kept at or before this instant have expired.
fn expired_at(now: i64) -> i64 {
    now - LIFETIME_SECONDS * 1_000_000
}

/// Keeps a file for `account_id`; answers the token that finds it again. Expired drafts, of
/// every account, are deleted first; then the account's oldest drafts go while it has too many
/// or they are too large together (the new one stays).
pub async fn keep(db: &Db, account_id: i64, file: &DraftFile) -> Result<String, StoreError> {
    if file.bytes.len() > MAX_DRAFT_BYTES {
        return Err(StoreError::invalid("file", format!("Tệp lớn hơn {} MB", MAX_DRAFT_BYTES >> 20)));
    }
    if file.name.chars().count() > MAX_NAME_CHARS || file.name.chars().any(char::is_control) {
        return Err(StoreError::invalid("file", "Tên tệp dài quá 200 ký tự hoặc có ký tự điều khiển"));
    }
    let token = random_token();
    let hash = token_hash(&token);
    let now = crate::now_micros();
    let mut tx = db.begin().await?;
    tx.execute("DELETE FROM import_drafts WHERE kept_at <= $1", params![expired_at(now)]).await?;
    let kept = tx
        .query(
            "SELECT token_hash, size FROM import_drafts WHERE user_id = $1 ORDER BY kept_at DESC, token_hash",
            params![account_id],
        )
        .await?;
    // Newest first: once the drafts counted so far with the new one are over a limit, this one
    // and every older one go.
    let (mut count, mut bytes) = (1usize, file.bytes.len());
    for row in &kept {
        count += 1;
        bytes = bytes.saturating_add(usize::try_from(row.int(1)?).unwrap_or(usize::MAX));
        if count > MAX_DRAFTS || bytes > MAX_DRAFT_BYTES {
            tx.execute("DELETE FROM import_drafts WHERE token_hash = $1", params![row.text(0)?]).await?;
        }
    }
    let size = i64::try_from(file.bytes.len()).map_err(|_| StoreError::invalid("file", "Tệp quá lớn"))?;
    tx.execute_params(
        "INSERT INTO import_drafts (token_hash, user_id, file_name, xlsx, size, data, kept_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Param::Text(&hash),
            Param::Int(account_id),
            Param::Text(&file.name),
            Param::Bool(file.xlsx),
            Param::Int(size),
            Param::Bytes(&file.bytes),
            Param::Int(now),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// A token as [`random_token`] makes them (43 URL-safe characters); anything else finds nothing
/// without a query.
fn plausible(token: &str) -> bool {
    (32..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The file kept under `token` for this account, if it has not expired.
pub async fn get(db: &Db, account_id: i64, token: &str) -> Result<Option<DraftFile>, StoreError> {
    if !plausible(token) {
        return Ok(None);
    }
    let row = db
        .query_one(
            "SELECT file_name, xlsx, data FROM import_drafts WHERE token_hash = $1 AND user_id = $2 AND kept_at > $3",
            params![token_hash(token), account_id, expired_at(crate::now_micros())],
        )
        .await?;
    row.map(|r| Ok(DraftFile { name: r.text(0)?, xlsx: r.bool(1)?, bytes: r.bytes(2)? })).transpose()
}

/// Deletes this account's draft under `token`; answers whether there was one. Run in the
/// transaction of the import, so that a draft is imported once even when it is confirmed twice
/// at the same time, on one server or two.
pub async fn forget(tx: &mut Tx, account_id: i64, token: &str) -> Result<bool, StoreError> {
    if !plausible(token) {
        return Ok(false);
    }
    let deleted = tx
        .execute(
            "DELETE FROM import_drafts WHERE token_hash = $1 AND user_id = $2",
            params![token_hash(token), account_id],
        )
        .await?;
    Ok(deleted > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_name_is_kept_without_folders_or_control_characters() {
        let file = DraftFile::new("C:\\Users\\a\\Danh sách\0.XLSX", b"x".to_vec());
        assert_eq!(file.name, "Danh sách.XLSX");
        assert!(file.xlsx);
        let file = DraftFile::new(&format!("{}.csv", "a".repeat(300)), b"x".to_vec());
        assert_eq!(file.name.chars().count(), MAX_NAME_CHARS);
        assert!(!file.xlsx);
    }

    #[test]
    fn only_tokens_as_they_are_made_are_looked_up() {
        assert!(plausible(&random_token()));
        assert!(!plausible(""));
        assert!(!plausible("short"));
        assert!(!plausible(&"a".repeat(65)));
        assert!(!plausible("abcdefghijklmnopqrstuvwxyz0123456789+/=ABCD"));
    }
}
