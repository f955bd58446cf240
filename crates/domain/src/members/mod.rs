//! Members: the rules of admission, probation, party age, transfers and classification
//! (DESIGN.md §3.2, reference/domain-rules.md §4).
//!
//! Every number comes from [`MembershipRules`], which an administrator can change when a
//! regulation does; every deadline in working days uses a [`HolidayCalendar`] whose holidays are
//! data. Nothing here does I/O or reads the clock: callers pass "today".

pub mod admission;
pub mod bands;
pub mod classification;
pub mod member;
pub mod months;
pub mod party_age;
pub mod periods;
pub mod rules;
pub mod transfer;
pub mod working_days;

pub use admission::{
    AdmissionCase, AdmissionStep, Applicant, EligibilityProblem, StepProgress, StepState, admission_age_months,
    admission_progress, check_eligibility, course_certificate_valid_until, probation_ends_on,
};
pub use bands::{Band, age_band, all_bands, band_of, next_badge_milestone, party_age_band, reached_badge_milestone};
pub use classification::{
    ClassificationLevel, CollectiveResults, best_level_allowed, classify_collective, score_is_valid,
};
pub use member::{Gender, MemberStatus, MembershipEnd, age_on};
pub use party_age::{
    BadgeMilestone, InactivePeriod, PartyAge, ReadmissionProblem, check_readmission, inactive_days, next_badge,
    party_age, party_age_counted_until,
};
pub use rules::MembershipRules;
pub use transfer::{
    TemporaryReason, TransferKind, TransferProblem, check_temporary_transfer, introduction_letter_due_on,
    official_transfer_due_on,
};
pub use working_days::{HolidayCalendar, add_working_days, working_day_on_or_after, working_days_between};
