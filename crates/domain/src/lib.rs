//! The words and rules of Party-committee work, with no I/O.
//!
//! Everything here is pure: the storage and HTTP layers call these functions and
//! types so that a rule lives in exactly one place.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod cell_meetings;
pub mod congresses;
pub mod elections;
pub mod ids;
pub mod members;
pub mod orgs;
pub mod personnel;
pub mod petitions;
#[cfg(test)]
mod state_diagram;
pub mod tasks;
pub mod text;
pub mod validation;
pub mod vi;
