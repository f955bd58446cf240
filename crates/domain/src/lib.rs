//! The words and rules of Party-committee work, with no I/O.
//!
//! Everything here is pure: the storage and HTTP layers call these functions and
//! types so that a rule lives in exactly one place.
#![forbid(unsafe_code)]

/// A closed set of the domain's words: each variant with its word in the API and the database
/// and its label in Vietnamese (`as_str`, `parse`, `label`, `ALL`). The module using it imports
/// `Serialize`, `Deserialize` and `ToSchema`.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal / $label:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word,)* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The word people use.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }
        }
    };
}

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod cell_meetings;
pub mod congresses;
pub mod dues;
pub mod elections;
pub mod ids;
pub mod members;
pub mod orgs;
pub mod personnel;
pub mod petitions;
pub mod rewards;
#[cfg(test)]
mod state_diagram;
pub mod tasks;
pub mod text;
pub mod validation;
pub mod vi;
