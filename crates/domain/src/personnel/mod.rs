//! Personnel work (công tác cán bộ) of the Organisation board: the leadership posts of each
//! organisation and their holders, the limits of age and term the rules set on them, and the
//! planning pools (quy hoạch) of each post for a term.
//!
//! Every number is a field of [`PersonnelRules`], named after the text it follows; several of
//! those texts were not read verbatim (`domain-rules.md` §6), so an administrator can change
//! each of them without a release.

pub mod limits;
pub mod nomination;
pub mod plan;
pub mod planning;
pub mod post;
pub mod rules;

pub use limits::{HolderFacts, Limit, LimitKind, Term, consecutive_terms, holder_limits, retirement_date};
pub use planning::{Candidate, PoolCheck, PoolFigures, check_candidate, pool_figures};
pub use post::Post;
pub use rules::{PersonnelRules, RetirementAge};
