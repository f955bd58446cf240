//! PostgreSQL through tokio-postgres: pooled clients, binding values, reading rows, the text
//! format of `COPY`, and errors with their causes.

use chrono::NaiveDate;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::sqlite::iso_date;
use super::{Param, Row, Value};
use crate::StoreError;

pub(super) async fn pg_client(pool: &deadpool_postgres::Pool) -> Result<deadpool_postgres::Object, StoreError> {
    pool.get().await.map_err(|e| StoreError::Unavailable(with_causes(&e)))
}

/// An error with its causes: the pool's own message ("db error") says little alone.
pub(super) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

pub(super) async fn pg_query(
    client: &deadpool_postgres::Object,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>, StoreError> {
    let stmt = client.prepare_cached(sql).await.map_err(pg_err)?;
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&stmt, &refs).await.map_err(pg_err)?;
    rows.iter().map(pg_row).collect()
}

pub(super) fn pg_row(r: &tokio_postgres::Row) -> Result<Row, StoreError> {
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
pub(super) fn copy_text(v: Param<'_>, out: &mut Vec<u8>) {
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

pub(super) fn pg_err(e: tokio_postgres::Error) -> StoreError {
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
