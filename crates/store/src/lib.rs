//! Storage for dangvu: one API over SQLite (the embedded default) and PostgreSQL.
//!
//! Each module is named after a capability and keeps its queries next to the code
//! that uses them.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod cell_meetings;
pub mod congresses;
pub mod db;
pub mod dues;
pub mod elections;
pub mod files;
pub mod members;
pub mod migrate;
pub mod orgs;
pub mod personnel;
pub mod petitions;
pub mod rewards;
pub mod settings;
pub mod tasks;

pub use db::{Backend, Db, Param, Row, Tx, Value};

use dangvu_domain::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input breaks a rule; nothing was written.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    /// A unique key already holds this value.
    #[error("duplicate: {0}")]
    Unique(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Engine(String),
    #[error("cannot read a stored value: {0}")]
    Decode(String),
    #[error("the database is closed")]
    Closed,
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid(vec![FieldError { field: field.into(), message: message.into() }])
    }

    /// The same error with a field renamed: a rule of one capability answered under the name
    /// the caller's input gives it (the registry's `number` is a decision's `decision_number`).
    pub fn renamed(self, from: &str, to: &str) -> StoreError {
        match self {
            StoreError::Invalid(mut fields) => {
                for f in fields.iter_mut().filter(|f| f.field == from) {
                    f.field = to.into();
                }
                StoreError::Invalid(fields)
            }
            other => other,
        }
    }
}

/// Microseconds since the Unix epoch: how instants are stored, the same on both engines.
pub fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// Reads an instant stored by [`now_micros`].
pub fn from_micros(us: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(us).unwrap_or_default()
}
