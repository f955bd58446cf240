//! One row of a result, read by column as the types the code above expects.

use chrono::NaiveDate;

use super::Value;
use crate::StoreError;

/// One row of a result, owned.
#[derive(Debug, Clone)]
pub struct Row(pub(super) Vec<Value>);

impl Row {
    pub(super) fn at(&self, i: usize) -> Result<&Value, StoreError> {
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

    /// An id column read as the type that says what it points at (`OrgId`, `MemberId`, …).
    pub fn id<T: From<i64>>(&self, i: usize) -> Result<T, StoreError> {
        self.int(i).map(T::from)
    }

    pub fn opt_id<T: From<i64>>(&self, i: usize) -> Result<Option<T>, StoreError> {
        Ok(self.opt_int(i)?.map(T::from))
    }

    /// A column holding one of a closed set of words (a status, a kind), read with the
    /// domain's own parser so that a word the code does not know is a decoding error, not a
    /// string compared with literals further up.
    pub fn word<T>(&self, i: usize, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
        self.opt_word(i, parse)?.ok_or_else(|| StoreError::Decode(format!("column {i} is null")))
    }

    pub fn opt_word<T>(&self, i: usize, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(s) => {
                parse(s).map(Some).ok_or_else(|| StoreError::Decode(format!("column {i}: unknown word {s:?}")))
            }
            other => Err(StoreError::Decode(format!("column {i}: expected text, found {other:?}"))),
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

/// Declares the columns a row type is read from, once: the select list and, for each column,
/// its index in a row read with it, so that a reader says `r.int(col::org_id)` and a column
/// added in the middle cannot shift the others.
///
/// ```ignore
/// columns! { mod col { id: "t.id", org_id: "t.org_id" } }
/// let sql = format!("SELECT {} FROM tasks t", col::SQL);
/// let org_id = row.int(col::org_id)?;
/// ```
macro_rules! columns {
    ($(#[$meta:meta])* $vis:vis mod $name:ident { $first:ident: $first_sql:literal $(, $field:ident: $sql:literal)* $(,)? }) => {
        $(#[$meta])*
        #[allow(non_upper_case_globals, dead_code)]
        $vis mod $name {
            #[allow(non_camel_case_types, clippy::enum_variant_names)]
            enum Index {
                $first,
                $($field,)*
            }
            /// The select list, in the order the columns are declared.
            pub const SQL: &str = concat!($first_sql $(, ", ", $sql)*);
            /// How many columns [`SQL`] selects: the index of a column a query adds after them.
            pub const COUNT: usize = [stringify!($first) $(, stringify!($field))*].len();
            pub const $first: usize = Index::$first as usize;
            $(pub const $field: usize = Index::$field as usize;)*
        }
    };
}
pub(crate) use columns;
