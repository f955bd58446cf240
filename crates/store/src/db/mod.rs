//! One database API over two engines.
//!
//! SQLite is reached through rusqlite (about three times the point-query throughput of
//! sqlx's SQLite driver on the build machine) and PostgreSQL through tokio-postgres.
//! Queries are written once, with `$1` placeholders and the SQL both engines share;
//! where the dialects differ a query picks its text with [`Backend`]. Rows come back as
//! owned [`Row`]s of [`Value`]s, so the code above never sees which engine answered.

mod postgres;
mod row;
mod sqlite;
mod value;

use std::path::Path;
use std::sync::Arc;

use futures_util::SinkExt;
use tokio::sync::OwnedMutexGuard;
use tokio_postgres::types::ToSql;

pub use row::Row;
pub(crate) use row::columns;
pub use value::{Param, Value};

use crate::StoreError;
use postgres::*;
use sqlite::*;

/// Which engine a database runs on, for the few queries whose SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Binds a list of Rust values: `params![id, name, on]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { &[$($crate::db::Value::from($v)),*][..] };
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

/// `INSERT INTO {into} VALUES` for `rows` rows of `width` values each (`$1` onwards).
pub(crate) fn insert_sql(into: &str, width: usize, rows: usize) -> String {
    let marks: Vec<String> = (0..rows)
        .map(|i| {
            let row: Vec<String> = (1..=width).map(|k| format!("${}", width * i + k)).collect();
            format!("({})", row.join(", "))
        })
        .collect();
    format!("INSERT INTO {into} VALUES {}", marks.join(", "))
}
