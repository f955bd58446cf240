//! Ids that say what they point at, so that an organisation's id passed where a member's is
//! expected does not compile.
//!
//! On the wire and in the database they are plain integers (`serde(transparent)`); a field of an
//! API type declares `#[schema(value_type = i64)]` so that the OpenAPI document keeps saying
//! "integer" where a client sees one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    };
}

id! {
    /// An organisation of the tree: a committee, a grassroots organisation, a cell.
    OrgId
}

id! {
    /// A party member in the registry.
    MemberId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_integer_on_the_wire() {
        assert_eq!(serde_json::to_string(&OrgId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<MemberId>("7").unwrap(), MemberId(7));
        assert_eq!("15".parse::<OrgId>().unwrap(), OrgId(15));
        assert_eq!(OrgId(3).to_string(), "3");
    }
}
