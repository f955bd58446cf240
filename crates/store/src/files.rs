//! Files attached to tasks, progress reports and issued documents: the minutes, the
//! signed scan, the workbook a unit sends with its report.
//!
//! The bytes are stored in the database with their SHA-256, so that a backup holds them
//! and every server behind a load balancer serves the same file.

use dangvu_domain::audit::Action;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::audit::{self, Actor, Change, Subject};
use crate::{Db, Row, StoreError, Tx, params};

/// Large enough for a scanned signed report, small enough to keep the database lean.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file an office exchanges, by extension, with the type they are served as.
/// Anything else (HTML, scripts, executables) is refused: a file is downloaded by other
/// units and must not run in their browser.
const KINDS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("zip", "application/zip"),
];

/// What is known of a stored file, without its bytes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// The progress report it came with, for a task's file.
    pub report_id: Option<i64>,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// The name as shown and downloaded: no folders, no control characters, NFC.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = dangvu_domain::text::nfc(base).chars().filter(|c| !c.is_control() && *c != '"').collect();
    name.trim().trim_start_matches('.').trim().to_owned()
}

/// The type a name is served as, when its extension is one of the accepted kinds.
pub fn content_type_of(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    KINDS.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Checks a file before it is stored; answers its cleaned name and type.
pub fn check(raw_name: &str, data: &[u8], field: &str) -> Result<(String, &'static str), StoreError> {
    let name = clean_name(raw_name);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(StoreError::invalid(field, "Tên tệp gồm 1–200 ký tự"));
    }
    let Some(content_type) = content_type_of(&name) else {
        return Err(StoreError::invalid(
            field,
            format!("Tệp \"{name}\" không thuộc loại được nhận (PDF, Word, Excel, ảnh JPG/PNG, TXT, CSV, ZIP)"),
        ));
    };
    if data.is_empty() {
        return Err(StoreError::invalid(field, format!("Tệp \"{name}\" rỗng")));
    }
    if data.len() > MAX_FILE_BYTES {
        return Err(StoreError::invalid(field, format!("Tệp \"{name}\" lớn hơn 20 MB")));
    }
    Ok((name, content_type))
}

/// Stores a file checked by [`check`]; answers its id.
async fn put(tx: &mut Tx, actor: &Actor, name: &str, content_type: &str, data: Vec<u8>) -> Result<i64, StoreError> {
    let sha = hex(&Sha256::digest(&data));
    let size = data.len() as i64;
    let id = tx
        .query_one(
            "INSERT INTO files (name, content_type, size, sha256, data, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![name, content_type, size, sha.as_str(), data, actor.id, crate::now_micros()],
        )
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)?;
    Ok(id)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Attaches a file to a task (and to one of its progress reports).
pub async fn attach_to_task(
    tx: &mut Tx,
    actor: &Actor,
    task_id: i64,
    report_id: Option<i64>,
    raw_name: &str,
    data: Vec<u8>,
) -> Result<i64, StoreError> {
    if tx.query_one("SELECT 1 FROM tasks WHERE id = $1", params![task_id]).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    attach(tx, actor, Owner::Task(task_id), report_id, raw_name, data).await
}

/// Attaches a file to a registered document (an issued report keeps its PDF and DOCX).
pub async fn attach_to_document(
    tx: &mut Tx,
    actor: &Actor,
    document_id: i64,
    raw_name: &str,
    data: Vec<u8>,
) -> Result<i64, StoreError> {
    attach(tx, actor, Owner::Document(document_id), None, raw_name, data).await
}

/// Attaches a document to read before a cell meeting.
pub async fn attach_to_cell_meeting(
    tx: &mut Tx,
    actor: &Actor,
    meeting_id: i64,
    raw_name: &str,
    data: Vec<u8>,
) -> Result<i64, StoreError> {
    attach(tx, actor, Owner::CellMeeting(meeting_id), None, raw_name, data).await
}

/// Attaches the scanned page of a comment typed in from paper (a new scan replaces the one
/// before, which stays in the audit log).
pub async fn attach_to_draft_comment(
    tx: &mut Tx,
    actor: &Actor,
    comment_id: i64,
    raw_name: &str,
    data: Vec<u8>,
) -> Result<i64, StoreError> {
    attach(tx, actor, Owner::DraftComment(comment_id), None, raw_name, data).await
}

/// Stores the file, links it to what it belongs to, and records the change: the one way a
/// file is attached to anything.
async fn attach(
    tx: &mut Tx,
    actor: &Actor,
    owner: Owner,
    report_id: Option<i64>,
    raw_name: &str,
    data: Vec<u8>,
) -> Result<i64, StoreError> {
    let (name, content_type) = check(raw_name, &data, "file")?;
    let size = data.len();
    let id = put(tx, actor, &name, content_type, data).await?;
    let (action, subject) = match owner {
        Owner::Task(task_id) => {
            tx.execute(
                "INSERT INTO task_files (task_id, file_id, report_id) VALUES ($1, $2, $3)",
                params![task_id, id, report_id],
            )
            .await?;
            (Action::TaskAttach, Subject::task(task_id))
        }
        Owner::Document(document_id) => {
            tx.execute("INSERT INTO document_files (document_id, file_id) VALUES ($1, $2)", params![document_id, id])
                .await?;
            (Action::DocumentAttach, Subject::document(document_id))
        }
        Owner::CellMeeting(meeting_id) => {
            tx.execute("INSERT INTO cell_meeting_files (meeting_id, file_id) VALUES ($1, $2)", params![meeting_id, id])
                .await?;
            (Action::CellMeetingAttach, Subject::cell_meeting(meeting_id))
        }
        Owner::DraftComment(comment_id) => {
            tx.execute("UPDATE congress_comments SET file_id = $2 WHERE id = $1", params![comment_id, id]).await?;
            (Action::DraftCommentScan, Subject::draft_comment(comment_id))
        }
    };
    let mut after = json!({"file_id": id, "name": name, "size": size});
    if let Owner::Task(_) = owner {
        after["report_id"] = json!(report_id);
    }
    audit::append(tx, actor, Change { action, subject, before: None, after: Some(after) }).await?;
    Ok(id)
}

const INFO: &str = "f.id, f.name, f.content_type, f.size, f.sha256, u.username, f.created_at";

fn info(r: &Row, report_id: Option<i64>) -> Result<FileInfo, StoreError> {
    Ok(FileInfo {
        id: r.int(0)?,
        name: r.text(1)?,
        content_type: r.text(2)?,
        size: r.int(3)?,
        sha256: r.text(4)?,
        created_by: r.opt_text(5)?,
        created_at: r.int(6)?,
        report_id,
    })
}

pub async fn of_task(db: &Db, task_id: i64) -> Result<Vec<FileInfo>, StoreError> {
    let sql = format!(
        "SELECT {INFO}, tf.report_id FROM task_files tf JOIN files f ON f.id = tf.file_id
         LEFT JOIN users u ON u.id = f.created_by WHERE tf.task_id = $1 ORDER BY f.id"
    );
    db.query(&sql, params![task_id]).await?.iter().map(|r| info(r, r.opt_int(7)?)).collect()
}

pub async fn of_document(db: &Db, document_id: i64) -> Result<Vec<FileInfo>, StoreError> {
    let sql = format!(
        "SELECT {INFO} FROM document_files df JOIN files f ON f.id = df.file_id
         LEFT JOIN users u ON u.id = f.created_by WHERE df.document_id = $1 ORDER BY f.id"
    );
    db.query(&sql, params![document_id]).await?.iter().map(|r| info(r, None)).collect()
}

pub async fn of_cell_meeting(db: &Db, meeting_id: i64) -> Result<Vec<FileInfo>, StoreError> {
    let sql = format!(
        "SELECT {INFO} FROM cell_meeting_files mf JOIN files f ON f.id = mf.file_id
         LEFT JOIN users u ON u.id = f.created_by WHERE mf.meeting_id = $1 ORDER BY f.id"
    );
    db.query(&sql, params![meeting_id]).await?.iter().map(|r| info(r, None)).collect()
}

/// What a file belongs to: whoever may read that may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Task(i64),
    Document(i64),
    CellMeeting(i64),
    /// The scanned page of a comment on a congress draft typed in from paper.
    DraftComment(i64),
}

pub async fn owner(db: &Db, file_id: i64) -> Result<Option<Owner>, StoreError> {
    let row = db
        .query_one(
            "SELECT (SELECT task_id FROM task_files WHERE file_id = $1 LIMIT 1),
                    (SELECT document_id FROM document_files WHERE file_id = $1 LIMIT 1),
                    (SELECT meeting_id FROM cell_meeting_files WHERE file_id = $1 LIMIT 1),
                    (SELECT id FROM congress_comments WHERE file_id = $1 LIMIT 1)",
            params![file_id],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(match (row.opt_int(0)?, row.opt_int(1)?, row.opt_int(2)?, row.opt_int(3)?) {
        (Some(t), _, _, _) => Some(Owner::Task(t)),
        (None, Some(d), _, _) => Some(Owner::Document(d)),
        (None, None, Some(m), _) => Some(Owner::CellMeeting(m)),
        (None, None, None, Some(c)) => Some(Owner::DraftComment(c)),
        (None, None, None, None) => None,
    })
}

/// A file with its bytes.
pub async fn read(db: &Db, file_id: i64) -> Result<Option<(FileInfo, Vec<u8>)>, StoreError> {
    let sql = format!("SELECT {INFO}, f.data FROM files f LEFT JOIN users u ON u.id = f.created_by WHERE f.id = $1");
    let Some(r) = db.query_one(&sql, params![file_id]).await? else { return Ok(None) };
    Ok(Some((info(&r, None)?, r.bytes(7)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_quotes() {
        assert_eq!(clean_name("C:\\Users\\vp\\Báo cáo \"quý\".pdf"), "Báo cáo quý.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("..."), "");
    }

    #[test]
    fn only_office_kinds_are_taken() {
        assert_eq!(content_type_of("Bao cao.PDF"), Some("application/pdf"));
        assert!(content_type_of("trang.html").is_none());
        assert!(content_type_of("khong-duoi").is_none());
        assert!(check("a.pdf", b"", "file").is_err());
        assert!(check("a.exe", b"MZ", "file").is_err());
        assert_eq!(check("dir/a.xlsx", b"PK", "file").unwrap().0, "a.xlsx");
    }
}
