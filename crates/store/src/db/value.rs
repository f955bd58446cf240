//! The values a query binds and reads, the same for both engines: [`Value`] owned, [`Param`]
//! borrowed (a bulk load binds its rows from one buffer a batch).

use chrono::NaiveDate;

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
impl From<dangvu_domain::ids::OrgId> for Value {
    fn from(v: dangvu_domain::ids::OrgId) -> Self {
        Value::Int(v.0)
    }
}
impl From<dangvu_domain::ids::MemberId> for Value {
    fn from(v: dangvu_domain::ids::MemberId) -> Self {
        Value::Int(v.0)
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
