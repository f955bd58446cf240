//! Backups (`dangvu backup`, DESIGN.md §5: the data that must never be lost): a consistent
//! copy taken while the server runs, and a check of a copy before it is trusted.
//!
//! SQLite: `VACUUM INTO` from a connection of its own, which reads one snapshot of the file
//! (WAL included) while the server goes on writing, and writes a compact, ordinary file.
//! Copying the file with `cp` under writes gave 12 corrupt copies in 80 and misses what is in
//! the WAL. PostgreSQL: `pg_dump --format=custom`, which also reads one snapshot.

use std::path::{Path, PathBuf};

use crate::{Db, StoreError};

/// What a check of a backup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// `sqlite` or `postgres`.
    pub engine: &'static str,
    /// The newest migration the copy holds.
    pub schema_version: i64,
    /// The entries of the audit log, every one verified against the chain; `None` when the
    /// copy could not be opened as a database (a PostgreSQL dump given no database to
    /// restore into).
    pub audit_entries: Option<i64>,
}

/// The SQLite file a `sqlite://FILE` URL names.
fn sqlite_file(url: &str) -> Option<&Path> {
    url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(Path::new)
}

/// Writes a consistent copy of the database at `url` to `dest`, which must not exist yet.
/// Answers the copy's size in bytes.
pub async fn take(url: &str, dest: &Path) -> Result<u64, StoreError> {
    if dest.exists() {
        return Err(StoreError::Config(format!("{} exists already: a backup never overwrites a file", dest.display())));
    }
    match sqlite_file(url) {
        Some(file) => {
            let (file, dest_owned) = (file.to_owned(), dest.to_owned());
            tokio::task::spawn_blocking(move || vacuum_into(&file, &dest_owned))
                .await
                .map_err(|e| StoreError::Engine(e.to_string()))??;
        }
        None if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            run(
                "pg_dump",
                &["--format=custom", "--no-owner", "--no-privileges", "--file", path_str(dest)?, "--dbname", url],
            )
            .await?;
        }
        None => return Err(StoreError::Config("the database URL must start with sqlite:// or postgres://".into())),
    }
    Ok(std::fs::metadata(dest).map_err(io)?.len())
}

fn vacuum_into(file: &Path, dest: &Path) -> Result<(), StoreError> {
    if !file.exists() {
        return Err(StoreError::Config(format!("no database at {}", file.display())));
    }
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Engine(e.to_string()))?;
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| StoreError::Engine(e.to_string()))?;
    conn.execute("VACUUM INTO ?1", [path_str(dest)?]).map_err(|e| StoreError::Engine(e.to_string()))?;
    Ok(())
}

/// Checks a backup: a SQLite copy is checked page by page (`PRAGMA integrity_check`) and its
/// audit chain verified, on a scratch copy so that the backup itself is never opened for
/// writing. A PostgreSQL dump is read whole (`pg_restore --list`) and, given `restore_into`
/// (an empty database), restored there and its audit chain verified.
pub async fn check(file: &Path, restore_into: Option<&str>) -> Result<Checked, StoreError> {
    let mut magic = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(file).map_err(io)?;
        let n = f.read(&mut magic).map_err(io)?;
        if n < 5 {
            return Err(StoreError::Config(format!("{} is not a dangvu backup", file.display())));
        }
    }
    if magic.starts_with(b"SQLite format 3\0") {
        check_sqlite(file).await
    } else if magic.starts_with(b"PGDMP") {
        check_dump(file, restore_into).await
    } else {
        Err(StoreError::Config(format!("{} is neither a SQLite file nor a pg_dump archive", file.display())))
    }
}

async fn check_sqlite(file: &Path) -> Result<Checked, StoreError> {
    let scratch = scratch_copy(file)?;
    let result = async {
        let path = scratch.clone();
        let integrity: String = tokio::task::spawn_blocking(move || {
            let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|e| StoreError::Engine(e.to_string()))?;
            conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| StoreError::Engine(e.to_string()))
        })
        .await
        .map_err(|e| StoreError::Engine(e.to_string()))??;
        if integrity != "ok" {
            return Err(StoreError::Engine(format!("the file is damaged: {integrity}")));
        }
        let db = Db::connect(&format!("sqlite://{}", path_str(&scratch)?)).await?;
        audited(&db, "sqlite").await
    }
    .await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
    }
    result
}

async fn check_dump(file: &Path, restore_into: Option<&str>) -> Result<Checked, StoreError> {
    run("pg_restore", &["--list", path_str(file)?]).await?;
    let Some(url) = restore_into else {
        return Ok(Checked { engine: "postgres", schema_version: 0, audit_entries: None });
    };
    let db = Db::connect(url).await?;
    let tables = db
        .query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .await?
        .first()
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    if tables > 0 {
        return Err(StoreError::Config("restore into an empty database: this one has tables".into()));
    }
    run("pg_restore", &["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url, path_str(file)?]).await?;
    audited(&db, "postgres").await
}

/// The schema's version and the audit chain verified, or why not.
async fn audited(db: &Db, engine: &'static str) -> Result<Checked, StoreError> {
    let schema_version = db
        .query("SELECT MAX(version) FROM schema_migrations", &[])
        .await?
        .first()
        .map(|r| r.opt_int(0))
        .transpose()?
        .flatten()
        .ok_or_else(|| StoreError::Engine("no migration was applied: not a dangvu database".into()))?;
    match crate::audit::verify(db).await? {
        Ok(entries) => Ok(Checked { engine, schema_version, audit_entries: Some(entries) }),
        Err(broken) => Err(StoreError::Engine(format!("the audit log does not verify: {broken}"))),
    }
}

/// A copy of `file` in the temporary directory, to open without touching the backup.
fn scratch_copy(file: &Path) -> Result<PathBuf, StoreError> {
    let scratch =
        std::env::temp_dir().join(format!("dangvu-backup-check-{}-{}.sqlite", std::process::id(), crate::now_micros()));
    std::fs::copy(file, &scratch).map_err(io)?;
    Ok(scratch)
}

/// Runs a PostgreSQL client program, its own error output in the failure. A password in a
/// connection URL is handed over in `PGPASSWORD`, never on a command line others can list.
async fn run(program: &str, args: &[&str]) -> Result<(), StoreError> {
    let mut password = None;
    let args: Vec<String> = args
        .iter()
        .map(|a| match without_password(a) {
            Some((url, pw)) => {
                password = Some(pw);
                url
            }
            None => (*a).to_owned(),
        })
        .collect();
    let program = program.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(&program);
        command.args(&args);
        if let Some(pw) = password {
            command.env("PGPASSWORD", pw);
        }
        command
            .output()
            .map_err(|e| StoreError::Config(format!("{program} could not run (is postgresql-client installed?): {e}")))
            .and_then(|out| {
                if out.status.success() {
                    Ok(())
                } else {
                    Err(StoreError::Engine(format!(
                        "{program} failed: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    )))
                }
            })
    })
    .await
    .map_err(|e| StoreError::Engine(e.to_string()))?
}

/// `postgres://user:secret@host/db` as `postgres://user@host/db` and `secret`; `None` for
/// anything else.
fn without_password(arg: &str) -> Option<(String, String)> {
    let scheme_end = arg.find("://")? + 3;
    if !arg.starts_with("postgres") {
        return None;
    }
    let rest = &arg[scheme_end..];
    let at = rest.find('@')?;
    let (user_info, host) = (&rest[..at], &rest[at..]);
    let (user, pw) = user_info.split_once(':')?;
    Some((format!("{}{user}{host}", &arg[..scheme_end]), pw.to_owned()))
}

fn path_str(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| StoreError::Config(format!("{}: the path is not UTF-8", path.display())))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Engine(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_password_leaves_the_url() {
        assert_eq!(
            without_password("postgres://dangvu:s3cret@db.example:5432/dangvu"),
            Some(("postgres://dangvu@db.example:5432/dangvu".into(), "s3cret".into()))
        );
        assert_eq!(without_password("postgres://dangvu@localhost/dangvu"), None);
        assert_eq!(without_password("/tmp/backup.dump"), None);
    }
}
