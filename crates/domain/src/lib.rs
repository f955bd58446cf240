//! The words and rules of Party-committee work, with no I/O.
//!
//! Everything here is pure: the storage and HTTP layers call these functions and
//! types so that a rule lives in exactly one place.
#![forbid(unsafe_code)]

pub mod audit;
pub mod calendar;
pub mod cell_meeting;
pub mod conclusion;
pub mod document;
pub mod membership;
pub mod org;
pub mod role;
pub mod task;
pub mod text;
pub mod tree;
pub mod validation;
pub mod vi;
