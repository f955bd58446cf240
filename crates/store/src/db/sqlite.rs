//! SQLite through rusqlite: the pool (one writer, readers in WAL), the connection settings,
//! `$N` parameters rewritten as `?N`, binding and reading.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;
use tokio::sync::Semaphore;

use super::{BulkSqlite, Param, Row, Value};
use crate::StoreError;

pub(super) struct SqlitePool {
    pub(super) path: PathBuf,
    pub(super) readers: Mutex<Vec<rusqlite::Connection>>,
    pub(super) readers_free: Semaphore,
    pub(super) writer: Arc<tokio::sync::Mutex<rusqlite::Connection>>,
}

pub(super) const SQLITE_READERS: usize = 8;

/// How long a connection waits for another's lock before it answers `SQLITE_BUSY`.
pub(super) const SQLITE_BUSY_TIMEOUT_MS: u64 = 10_000;

impl SqlitePool {
    pub(super) fn open(path: &Path) -> Result<SqlitePool, StoreError> {
        if path.as_os_str().is_empty() || path.to_str() == Some(":memory:") {
            return Err(StoreError::Config("SQLite needs a file: sqlite://FILE".into()));
        }
        let writer = open_sqlite(path)?;
        Ok(SqlitePool {
            path: path.to_owned(),
            readers: Mutex::new(Vec::new()),
            readers_free: Semaphore::new(SQLITE_READERS),
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
        })
    }

    pub(super) fn take_reader(&self) -> Result<rusqlite::Connection, StoreError> {
        let spare = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match spare {
            Some(c) => Ok(c),
            None => open_sqlite(&self.path),
        }
    }

    pub(super) fn give_back(&self, conn: rusqlite::Connection) {
        self.readers.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    }
}

/// WAL so readers never wait for the writer; `synchronous=FULL` so a committed
/// transaction survives a power cut, not only a crash of the process.
pub(super) fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path).map_err(sqlite_err)?;
    conn.busy_timeout(std::time::Duration::from_millis(SQLITE_BUSY_TIMEOUT_MS)).map_err(sqlite_err)?;
    match conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())) {
        Ok(()) => {}
        // A bulk load has the file in rollback-journal mode until it commits
        // ([`Db::begin_bulk`]); this connection reads in that mode meanwhile, and follows the
        // file back to WAL by itself.
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            tracing::warn!("SQLite: the file is out of WAL mode while a bulk load runs");
        }
        Err(e) => return Err(sqlite_err(e)),
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;
         PRAGMA mmap_size = 268435456;",
    )
    .map_err(sqlite_err)?;
    // The query planner stability guarantee: a statement's plan does not depend on the values
    // bound to it. Without it SQLite marks a cached statement expired whenever a bound value
    // could change the plan and compiles it again at the next step: half the time of the
    // member's home page went into parsing statements that were already prepared.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true).map_err(sqlite_err)?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

/// Takes the file out of WAL mode into rollback-journal mode if no other connection has it
/// open (SQLite refuses the switch otherwise, at once: the wait for locks is off while it is
/// tried). Answers whether it did. A server reading the file keeps it in WAL, and the load
/// runs as any transaction does.
pub(super) fn rollback_journal_if_alone(conn: &rusqlite::Connection) -> Result<bool, StoreError> {
    conn.execute_batch("PRAGMA busy_timeout = 0").map_err(sqlite_err)?;
    let mode: Result<String, _> = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    conn.execute_batch(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")).map_err(sqlite_err)?;
    Ok(mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete")))
}

impl BulkSqlite {
    /// Sets the writer's connection back as [`open_sqlite`] leaves it, outside the transaction.
    pub(super) fn end(self, conn: &rusqlite::Connection) {
        let _ = conn.execute_batch("PRAGMA foreign_keys = ON");
        if self.rollback_journal {
            // Going back to WAL needs no exclusive lock: it waits for readers as any write does.
            // Should it fail, the next connection opened puts the file back in WAL.
            if let Err(e) = conn.execute_batch("PRAGMA journal_mode = WAL") {
                tracing::warn!(error = %e, "bulk load: the file could not be put back in WAL mode");
            }
        }
    }
}

/// The statement as SQLite runs it: `$N` parameters become `?N`, which SQLite binds by
/// number. (A `$N` is a named parameter to SQLite, and finding a name or the name of a number
/// is a linear scan: quadratic over a 1,300-parameter insert, most of an import's time.)
/// Text between single quotes is left alone.
pub(super) fn sqlite_sql(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains('$') {
        return std::borrow::Cow::Borrowed(sql);
    }
    // Byte by byte: `$`, `'` and digits are ASCII, so every cut falls on a character boundary.
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'$' if !quoted && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push_str(&sql[copied..i]);
                out.push('?');
                copied = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(&sql[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Binds the `i`th of `params` to `?{i+1}` (see [`sqlite_sql`]). SQLite copies what it is
/// given, so text and dates are bound from where they are: a date's text is made on the stack.
pub(super) fn bind_sqlite<'a>(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: impl IntoIterator<Item = Param<'a>>,
) -> Result<(), StoreError> {
    for (i, v) in params.into_iter().enumerate() {
        let i = i + 1;
        match v {
            Param::Null => stmt.raw_bind_parameter(i, rusqlite::types::Null),
            Param::Int(v) => stmt.raw_bind_parameter(i, v),
            Param::Float(v) => stmt.raw_bind_parameter(i, v),
            Param::Text(s) => stmt.raw_bind_parameter(i, s),
            Param::Bool(b) => stmt.raw_bind_parameter(i, i64::from(b)),
            Param::Date(d) => stmt.raw_bind_parameter(i, iso_date(d).as_str()),
            Param::Bytes(b) => stmt.raw_bind_parameter(i, b),
        }
        .map_err(sqlite_err)?;
    }
    Ok(())
}

pub(super) fn sqlite_query(conn: &rusqlite::Connection, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
    let mut stmt = conn.prepare_cached(&sqlite_sql(sql)).map_err(sqlite_err)?;
    bind_sqlite(&mut stmt, params.iter().map(Value::as_param))?;
    let n = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(sqlite_err)? {
        let mut values = Vec::with_capacity(n);
        for i in 0..n {
            values.push(match r.get_ref(i).map_err(sqlite_err)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Float(v),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
            });
        }
        out.push(Row(values));
    }
    Ok(out)
}

/// `YYYY-MM-DD`, as dates are stored; written out by hand because chrono's `format` parses its
/// pattern on every call and most reads bind today's date. On the stack: a bulk load binds
/// several dates a member.
pub(super) fn iso_date(d: NaiveDate) -> DateText {
    use std::fmt::Write;
    let mut text = DateText { bytes: [0; 16], len: 0 };
    // A year has at most 7 characters with its sign (chrono's range): the 16 bytes suffice.
    let _ = write!(text, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    text
}

/// The text of a date, in place.
pub(super) struct DateText {
    pub(super) bytes: [u8; 16],
    pub(super) len: usize,
}

impl DateText {
    pub(super) fn as_str(&self) -> &str {
        // Only whole `str`s are written in (`write_str`).
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for DateText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

pub(super) fn sqlite_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let text = msg.clone().unwrap_or_default();
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        {
            return StoreError::Unique(text);
        }
        if f.code == rusqlite::ErrorCode::DatabaseBusy || f.code == rusqlite::ErrorCode::DatabaseLocked {
            return StoreError::Unavailable(text);
        }
    }
    StoreError::Engine(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::{iso_date, sqlite_sql};
    use crate::db::Value;
    use crate::db::postgres::copy_text;

    #[test]
    fn dates_are_written_as_stored_and_read_back() {
        for d in ["0999-01-05", "2024-02-29", "2026-12-31"] {
            let date: chrono::NaiveDate = d.parse().unwrap();
            assert_eq!(iso_date(date).as_str(), d);
        }
        // The widest year chrono has still fits the text's bytes.
        assert_eq!(iso_date(chrono::NaiveDate::MIN).as_str(), "-262143-01-01");
        assert_eq!(iso_date(chrono::NaiveDate::MAX).as_str(), "262142-12-31");
    }

    #[test]
    fn dollar_parameters_become_numbered_outside_quotes() {
        assert_eq!(sqlite_sql("SELECT 1"), "SELECT 1");
        assert_eq!(
            sqlite_sql("UPDATE t SET a = $2, b = '$1 và $' WHERE id = $1 AND c = $10"),
            "UPDATE t SET a = ?2, b = '$1 và $' WHERE id = ?1 AND c = ?10"
        );
        assert_eq!(
            sqlite_sql("SELECT json_extract(x, '$.a') FROM t WHERE y = $1"),
            "SELECT json_extract(x, '$.a') FROM t WHERE y = ?1"
        );
    }

    #[test]
    fn copy_text_escapes_what_would_end_a_column_or_a_row() {
        let text = |v: Value| {
            let mut out = Vec::new();
            copy_text(v.as_param(), &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(text(Value::Null), r"\N");
        assert_eq!(text(Value::Text(r"\N".into())), r"\\N", "the text \\N is not NULL");
        assert_eq!(text(Value::Text("Đặng\tThị\nBảy\r".into())), r"Đặng\tThị\nBảy\r");
        assert_eq!(text(Value::Int(-42)), "-42");
        assert_eq!(text(Value::Bool(true)), "t");
        assert_eq!(text(Value::Float(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(text(Value::Float(0.5)), "0.5");
        assert_eq!(text("2024-02-29".parse::<chrono::NaiveDate>().unwrap().into()), "2024-02-29");
        assert_eq!(text(Value::Bytes(vec![0, 0xab])), r"\\x00ab");
    }
}
