//! One database API over two engines.
//!
//! SQLite is reached through rusqlite (about three times the point-query throughput of
//! sqlx's SQLite driver on the build machine) and PostgreSQL through tokio-postgres.
//! Queries are written once, with `$1` placeholders and the SQL both engines share;
//! where the dialects differ a query picks its text with [`Backend`]. Rows come back as
//! owned [`Row`]s of [`Value`]s, so the code above never sees which engine answered.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use futures_util::SinkExt;
use rusqlite::types::ValueRef;
use tokio::sync::{OwnedMutexGuard, Semaphore};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::StoreError;

/// Which engine a database runs on, for the few queries whose SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A value bound to or read from a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// Stored as `DATE` in PostgreSQL and as `YYYY-MM-DD` text in SQLite.
    Date(NaiveDate),
    /// `BYTEA` in PostgreSQL, `BLOB` in SQLite.
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl Value {
    /// The value borrowed, as it is bound.
    pub fn as_param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Int(v) => Param::Int(*v),
            Value::Float(v) => Param::Float(*v),
            Value::Text(s) => Param::Text(s),
            Value::Bool(b) => Param::Bool(*b),
            Value::Date(d) => Param::Date(*d),
            Value::Bytes(b) => Param::Bytes(b),
        }
    }
}

/// A [`Value`] borrowed: what a write of many rows binds without owning a `String` for each
/// text (a bulk load keeps its rows' text in one buffer a batch, see `members::bulk`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Float(f64),
    Text(&'a str),
    Bool(bool),
    Date(NaiveDate),
    Bytes(&'a [u8]),
}

/// Binds a list of Rust values: `params![id, name, on]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { &[$($crate::db::Value::from($v)),*][..] };
}

/// One row of a result, owned.
#[derive(Debug, Clone)]
pub struct Row(Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, StoreError> {
        self.0.get(i).ok_or_else(|| StoreError::Decode(format!("no column {i}")))
    }

    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| StoreError::Decode(format!("column {i} is null")))
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            Value::Bool(b) => Ok(Some(i64::from(*b))),
            other => Err(StoreError::Decode(format!("column {i}: expected integer, found {other:?}"))),
        }
    }

    pub fn float(&self, i: usize) -> Result<f64, StoreError> {
        match self.at(i)? {
            Value::Float(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(StoreError::Decode(format!("column {i}: expected number, found {other:?}"))),
        }
    }

    pub fn opt_float(&self, i: usize) -> Result<Option<f64>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.float(i).map(Some),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(StoreError::Decode(format!("column {i}: expected boolean, found {other:?}"))),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| StoreError::Decode(format!("column {i} is null")))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            other => Err(StoreError::Decode(format!("column {i}: expected text, found {other:?}"))),
        }
    }

    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        match self.at(i)? {
            Value::Bytes(b) => Ok(b.clone()),
            other => Err(StoreError::Decode(format!("column {i}: expected bytes, found {other:?}"))),
        }
    }

    pub fn date(&self, i: usize) -> Result<NaiveDate, StoreError> {
        self.opt_date(i)?.ok_or_else(|| StoreError::Decode(format!("column {i} is null")))
    }

    pub fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Date(d) => Ok(Some(*d)),
            Value::Text(s) => s
                .parse::<NaiveDate>()
                .map(Some)
                .map_err(|e| StoreError::Decode(format!("column {i}: bad date {s:?}: {e}"))),
            other => Err(StoreError::Decode(format!("column {i}: expected date, found {other:?}"))),
        }
    }
}

/// A pool of connections to one database, SQLite or PostgreSQL.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Engine>,
}

enum Engine {
    Sqlite(SqlitePool),
    Postgres(deadpool_postgres::Pool),
}

impl Db {
    /// Opens `sqlite://FILE` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        let engine = if let Some(file) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Engine::Sqlite(SqlitePool::open(Path::new(file))?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut config: tokio_postgres::Config =
                url.parse().map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?;
            // No JIT: it pays off for long analytic queries, and compiling a walk of a
            // subtree whose cost PostgreSQL overestimates took 50 ms of an 80 ms search.
            if config.get_options().is_none() {
                config.options("-c jit=off");
            }
            let manager = deadpool_postgres::Manager::from_config(
                config,
                tokio_postgres::NoTls,
                deadpool_postgres::ManagerConfig { recycling_method: deadpool_postgres::RecyclingMethod::Fast },
            );
            let pool = deadpool_postgres::Pool::builder(manager)
                .max_size(16)
                .build()
                .map_err(|e| StoreError::Config(format!("PostgreSQL pool: {e}")))?;
            // Fail now, not at the first request, when the server cannot be reached.
            drop(pool.get().await.map_err(|e| StoreError::Unavailable(with_causes(&e)))?);
            Engine::Postgres(pool)
        } else {
            return Err(StoreError::Config("the database URL must start with sqlite:// or postgres://".into()));
        };
        Ok(Db { inner: Arc::new(engine) })
    }

    pub fn backend(&self) -> Backend {
        match &*self.inner {
            Engine::Sqlite(_) => Backend::Sqlite,
            Engine::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a read query outside any transaction.
    pub async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match &*self.inner {
            Engine::Sqlite(pool) => {
                let _permit = pool.readers_free.acquire().await.map_err(|_| StoreError::Closed)?;
                let conn = pool.take_reader()?;
                let result = blocking(|| sqlite_query(&conn, sql, params));
                pool.give_back(conn);
                result
            }
            Engine::Postgres(pool) => {
                let client = pg_client(pool).await?;
                pg_query(&client, sql, params).await
            }
        }
    }

    pub async fn query_one(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// A read by key that touches a handful of index entries (a session, a member's next
    /// meetings). On SQLite it runs on the calling thread: handing the worker over, as
    /// [`Db::query`] does, costs more than such a read (the member's home page does twice the
    /// requests per second this way). Anything that scans or aggregates goes through `query`.
    pub async fn lookup(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match &*self.inner {
            Engine::Sqlite(pool) => {
                let _permit = pool.readers_free.acquire().await.map_err(|_| StoreError::Closed)?;
                let conn = pool.take_reader()?;
                let result = sqlite_query(&conn, sql, params);
                pool.give_back(conn);
                result
            }
            Engine::Postgres(_) => self.query(sql, params).await,
        }
    }

    pub async fn lookup_one(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.lookup(sql, params).await?.into_iter().next())
    }

    /// Reads by key that make one page, in one go: on SQLite one connection and one read
    /// transaction (one snapshot, and one round of WAL locks instead of one per statement,
    /// which was a tenth of the member's home page); on PostgreSQL one connection with the
    /// statements pipelined in one round trip. The rows of each read, in order.
    pub async fn lookups(&self, reads: &[(&str, &[Value])]) -> Result<Vec<Vec<Row>>, StoreError> {
        match &*self.inner {
            Engine::Sqlite(pool) => {
                let _permit = pool.readers_free.acquire().await.map_err(|_| StoreError::Closed)?;
                let conn = pool.take_reader()?;
                let begun = conn.prepare_cached("BEGIN").and_then(|mut s| s.execute([])).map_err(sqlite_err);
                let result =
                    begun.and_then(|_| reads.iter().map(|(sql, params)| sqlite_query(&conn, sql, params)).collect());
                // A connection left inside a transaction would hold its snapshot for good.
                if conn.prepare_cached("COMMIT").and_then(|mut s| s.execute([])).is_ok() {
                    pool.give_back(conn);
                }
                result
            }
            Engine::Postgres(pool) => {
                let client = pg_client(pool).await?;
                let mut statements = Vec::with_capacity(reads.len());
                for (sql, _) in reads {
                    statements.push(client.prepare_cached(sql).await.map_err(pg_err)?);
                }
                let refs: Vec<Vec<&(dyn ToSql + Sync)>> =
                    reads.iter().map(|(_, params)| params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()).collect();
                let pending = statements.iter().zip(&refs).map(|(stmt, params)| client.query(stmt, params));
                let answers = futures_util::future::try_join_all(pending).await.map_err(pg_err)?;
                answers.iter().map(|rows| rows.iter().map(pg_row).collect()).collect()
            }
        }
    }

    /// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE` on the one writer
    /// connection, so writers queue here instead of failing with `SQLITE_BUSY`.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        match &*self.inner {
            Engine::Sqlite(pool) => {
                let conn = pool.writer.clone().lock_owned().await;
                blocking(|| conn.execute_batch("BEGIN IMMEDIATE")).map_err(sqlite_err)?;
                Ok(Tx { backend: Backend::Sqlite, inner: Some(TxInner::Sqlite(conn)), bulk: None })
            }
            Engine::Postgres(pool) => {
                let client = pg_client(pool).await?;
                client.batch_execute("BEGIN").await.map_err(pg_err)?;
                Ok(Tx { backend: Backend::Postgres, inner: Some(TxInner::Postgres(Box::new(client))), bulk: None })
            }
        }
    }

    /// Starts a write transaction for a bulk load whose writer keeps the references itself
    /// (`members::BulkLoad`). On SQLite, foreign keys are not checked until it ends: each
    /// check is a seek into the parent table, and the words of five million members, in the
    /// order of their index, would seek the members' table at random thirty million times.
    /// (SQLite takes `PRAGMA foreign_keys` only outside a transaction, hence here.)
    ///
    /// When no other connection has the SQLite file open, the load also runs in rollback-journal
    /// mode instead of WAL ([`rollback_journal_if_alone`]): SQLite journals only the pages that
    /// existed when the transaction began, so the rows of a load into a young registry are
    /// written once, to the file, where WAL writes each page twice (to the log, then by the
    /// checkpoint after the commit). WAL comes back when the transaction ends.
    pub async fn begin_bulk(&self) -> Result<Tx, StoreError> {
        match &*self.inner {
            Engine::Sqlite(pool) => {
                let conn = pool.writer.clone().lock_owned().await;
                // This process's idle readers hold the log open; they are opened again on demand.
                pool.readers.lock().unwrap_or_else(|e| e.into_inner()).clear();
                let journal = blocking(|| rollback_journal_if_alone(&conn))?;
                let begun = blocking(|| conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE"));
                let tx = Tx {
                    backend: Backend::Sqlite,
                    inner: Some(TxInner::Sqlite(conn)),
                    bulk: Some(BulkSqlite { rollback_journal: journal }),
                };
                // On failure the drop of `tx` turns the checks and the log back on.
                begun.map_err(sqlite_err)?;
                Ok(tx)
            }
            Engine::Postgres(_) => self.begin().await,
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.query("SELECT 1", &[]).await.is_ok()
    }
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    backend: Backend,
    inner: Option<TxInner>,
    /// A bulk load on SQLite: what is set back when it ends.
    bulk: Option<BulkSqlite>,
}

/// What a bulk load changed on the SQLite writer's connection, for the duration of its
/// transaction: foreign keys are off, and the file may be out of WAL mode.
struct BulkSqlite {
    rollback_journal: bool,
}

enum TxInner {
    Sqlite(OwnedMutexGuard<rusqlite::Connection>),
    // Boxed: a pooled PostgreSQL client is large, a SQLite guard is one pointer.
    Postgres(Box<deadpool_postgres::Object>),
}

impl Tx {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn inner(&self) -> &TxInner {
        self.inner.as_ref().expect("a transaction is used only until it ends")
    }

    pub async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self.inner() {
            TxInner::Sqlite(conn) => blocking(|| sqlite_query(conn, sql, params)),
            TxInner::Postgres(client) => pg_query(client, sql, params).await,
        }
    }

    pub async fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// Runs a statement and answers how many rows it changed.
    pub async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let params: Vec<Param<'_>> = params.iter().map(Value::as_param).collect();
        self.execute_params(sql, &params).await
    }

    /// [`Tx::execute`] with borrowed values.
    pub async fn execute_params(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        match self.inner() {
            TxInner::Sqlite(conn) => blocking(|| {
                let mut stmt = conn.prepare_cached(&sqlite_sql(sql)).map_err(sqlite_err)?;
                bind_sqlite(&mut stmt, params.iter().copied())?;
                stmt.raw_execute().map(|n| n as u64).map_err(sqlite_err)
            }),
            TxInner::Postgres(client) => {
                let stmt = client.prepare_cached(sql).await.map_err(pg_err)?;
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                client.execute(&stmt, &refs).await.map_err(pg_err)
            }
        }
    }

    /// Appends rows of `width` values to `into` (`table (columns)`) with one
    /// `COPY … FROM STDIN`: no statement and no bound parameter per row, the fastest way
    /// into PostgreSQL. SQLite has no such command: there, multi-row `INSERT`s are the way.
    pub async fn copy_in(&mut self, into: &str, width: usize, values: &[Param<'_>]) -> Result<u64, StoreError> {
        let TxInner::Postgres(client) = self.inner() else {
            return Err(StoreError::Engine("COPY is PostgreSQL's".into()));
        };
        let mut text = Vec::with_capacity(values.len() * 12);
        for row in values.chunks(width) {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    text.push(b'\t');
                }
                copy_text(*v, &mut text);
            }
            text.push(b'\n');
        }
        let sink = client.copy_in(&format!("COPY {into} FROM STDIN")).await.map_err(pg_err)?;
        let mut sink = std::pin::pin!(sink);
        sink.send(bytes::Bytes::from(text)).await.map_err(pg_err)?;
        sink.as_mut().finish().await.map_err(pg_err)
    }

    /// Runs several statements without parameters (migrations).
    pub async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self.inner() {
            TxInner::Sqlite(conn) => blocking(|| conn.execute_batch(sql)).map_err(sqlite_err),
            TxInner::Postgres(client) => client.batch_execute(sql).await.map_err(pg_err),
        }
    }

    /// Makes the transaction durable; only then is the write acknowledged.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        match self.inner.take().expect("a transaction commits once") {
            TxInner::Sqlite(conn) => blocking(|| match conn.execute_batch("COMMIT") {
                Ok(()) => {
                    if let Some(bulk) = self.bulk.take() {
                        bulk.end(&conn);
                    }
                    Ok(())
                }
                Err(e) => {
                    // The transaction is still open: the drop rolls it back and ends the bulk mode.
                    self.inner = Some(TxInner::Sqlite(conn));
                    Err(sqlite_err(e))
                }
            }),
            TxInner::Postgres(client) => client.batch_execute("COMMIT").await.map_err(pg_err),
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        match self.inner.take() {
            None => {}
            Some(TxInner::Sqlite(conn)) => {
                let _ = conn.execute_batch("ROLLBACK");
                if let Some(bulk) = self.bulk.take() {
                    bulk.end(&conn);
                }
            }
            Some(TxInner::Postgres(client)) => {
                // The connection goes back to the pool only after the rollback.
                if let Ok(handle) = tokio::runtime::Handle::try_current() {
                    handle.spawn(async move {
                        let _ = client.batch_execute("ROLLBACK").await;
                    });
                } else {
                    let _ = deadpool_postgres::Object::take(*client);
                }
            }
        }
    }
}

/// Runs a short synchronous SQLite call. On the multi-threaded runtime the worker is
/// handed over while it runs, so a slow query does not stall other requests.
fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

// ---------------------------------------------------------------- SQLite

struct SqlitePool {
    path: PathBuf,
    readers: Mutex<Vec<rusqlite::Connection>>,
    readers_free: Semaphore,
    writer: Arc<tokio::sync::Mutex<rusqlite::Connection>>,
}

const SQLITE_READERS: usize = 8;

/// How long a connection waits for another's lock before it answers `SQLITE_BUSY`.
const SQLITE_BUSY_TIMEOUT_MS: u64 = 10_000;

impl SqlitePool {
    fn open(path: &Path) -> Result<SqlitePool, StoreError> {
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

    fn take_reader(&self) -> Result<rusqlite::Connection, StoreError> {
        let spare = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match spare {
            Some(c) => Ok(c),
            None => open_sqlite(&self.path),
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        self.readers.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    }
}

/// WAL so readers never wait for the writer; `synchronous=FULL` so a committed
/// transaction survives a power cut, not only a crash of the process.
fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, StoreError> {
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
fn rollback_journal_if_alone(conn: &rusqlite::Connection) -> Result<bool, StoreError> {
    conn.execute_batch("PRAGMA busy_timeout = 0").map_err(sqlite_err)?;
    let mode: Result<String, _> = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    conn.execute_batch(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")).map_err(sqlite_err)?;
    Ok(mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete")))
}

impl BulkSqlite {
    /// Sets the writer's connection back as [`open_sqlite`] leaves it, outside the transaction.
    fn end(self, conn: &rusqlite::Connection) {
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
fn sqlite_sql(sql: &str) -> std::borrow::Cow<'_, str> {
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
fn bind_sqlite<'a>(
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

fn sqlite_query(conn: &rusqlite::Connection, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
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
fn iso_date(d: NaiveDate) -> DateText {
    use std::fmt::Write;
    let mut text = DateText { bytes: [0; 16], len: 0 };
    // A year has at most 7 characters with its sign (chrono's range): the 16 bytes suffice.
    let _ = write!(text, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    text
}

/// The text of a date, in place.
struct DateText {
    bytes: [u8; 16],
    len: usize,
}

impl DateText {
    fn as_str(&self) -> &str {
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

fn sqlite_err(e: rusqlite::Error) -> StoreError {
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

// ---------------------------------------------------------------- PostgreSQL

async fn pg_client(pool: &deadpool_postgres::Pool) -> Result<deadpool_postgres::Object, StoreError> {
    pool.get().await.map_err(|e| StoreError::Unavailable(with_causes(&e)))
}

/// An error with its causes: the pool's own message ("db error") says little alone.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

async fn pg_query(client: &deadpool_postgres::Object, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
    let stmt = client.prepare_cached(sql).await.map_err(pg_err)?;
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&stmt, &refs).await.map_err(pg_err)?;
    rows.iter().map(pg_row).collect()
}

fn pg_row(r: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::VOID {
            Ok(Value::Null)
        } else if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i).map(|v| v.map_or(Value::Null, Value::Int))
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i).map(|v| v.map_or(Value::Null, |v| Value::Int(v.into())))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i).map(|v| v.map_or(Value::Null, |v| Value::Int(v.into())))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i).map(|v| v.map_or(Value::Null, Value::Bool))
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i).map(|v| v.map_or(Value::Null, Value::Float))
        } else if *t == Type::FLOAT4 {
            r.try_get::<_, Option<f32>>(i).map(|v| v.map_or(Value::Null, |v| Value::Float(v.into())))
        } else if *t == Type::DATE {
            r.try_get::<_, Option<NaiveDate>>(i).map(|v| v.map_or(Value::Null, Value::Date))
        } else if *t == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i).map(|v| v.map_or(Value::Null, Value::Bytes))
        } else {
            r.try_get::<_, Option<String>>(i).map(|v| v.map_or(Value::Null, Value::Text))
        };
        values.push(v.map_err(|e| StoreError::Decode(format!("column {}: {e}", col.name())))?);
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        self.as_param().to_sql(ty, out)
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) if *ty == Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
            Param::Int(v) if *ty == Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
            Param::Int(v) if *ty == Type::FLOAT8 => (v as f64).to_sql(ty, out),
            Param::Int(v) => v.to_sql(ty, out),
            Param::Float(v) => v.to_sql(ty, out),
            Param::Text(s) if *ty == Type::DATE => NaiveDate::parse_from_str(s, "%Y-%m-%d")?.to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Bool(b) => b.to_sql(ty, out),
            Param::Date(d) if *ty == Type::TEXT || *ty == Type::VARCHAR => iso_date(d).as_str().to_sql(ty, out),
            Param::Date(d) => d.to_sql(ty, out),
            Param::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A value in the text format of `COPY`: `\N` for NULL, and in text the four characters
/// that would end a column or a row, or start an escape, escaped.
fn copy_text(v: Param<'_>, out: &mut Vec<u8>) {
    use std::io::Write;
    match v {
        Param::Null => out.extend_from_slice(b"\\N"),
        Param::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Param::Float(f) if f.is_nan() => out.extend_from_slice(b"NaN"),
        Param::Float(f) if f.is_infinite() => {
            out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
        }
        Param::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Param::Bool(b) => out.push(if b { b't' } else { b'f' }),
        Param::Date(d) => out.extend_from_slice(iso_date(d).as_str().as_bytes()),
        Param::Text(s) => {
            for &b in s.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
        // bytea's hex input, its backslash escaped for COPY.
        Param::Bytes(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

fn pg_err(e: tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        if code == "23505" {
            return StoreError::Unique(db.constraint().unwrap_or_default().to_owned());
        }
        return StoreError::Engine(format!("{code}: {}", db.message()));
    }
    if e.is_closed() {
        return StoreError::Unavailable(e.to_string());
    }
    StoreError::Engine(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::{Value, copy_text, iso_date, sqlite_sql};

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
