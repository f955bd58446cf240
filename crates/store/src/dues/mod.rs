//! Party dues: what each member's dues are computed from, the decisions that exempt or reduce
//! them, the payments a cell records ([`ledger`]), and the books read from them with the rules
//! of [`dangvu_domain::dues`] ([`book`]): a member's year, a cell's month, the arrears and the
//! report of a subtree with what each level keeps and passes up.
//!
//! The dues owed are never stored: a corrected basis, a new decree in the settings or a late
//! exemption changes every month it covers at once.

pub mod book;
pub mod ledger;

pub use book::{ArrearsLine, BookLine, DuesReport, MemberDues, UnitFlow};
pub use ledger::{BasisRecord, ExemptionRecord, NewExemption, NewPayment, Payment};
