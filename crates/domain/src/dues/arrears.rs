//! A member's year: each month's dues beside what was paid for it, and the months left unpaid.
//! A month is unpaid once it is over, something was due and less was paid; three of them in a
//! year (the settings' number) ask the cell to consider proposing removal — the cell decides,
//! never dangvu (QĐ 01; QĐ 24-QĐ/TW §8.1 had the same rule).

use super::{DuesRules, Month, MonthDue};

/// One month of the book: the dues, what was paid for it, whether it is in arrears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthLine {
    pub due: MonthDue,
    pub paid: i64,
    pub unpaid: bool,
}

/// A member's dues over the months asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearDues {
    pub months: Vec<MonthLine>,
    pub due: i64,
    pub paid: i64,
    pub unpaid_months: u32,
    /// The cell should consider the member's case (never an automatic removal).
    pub needs_review: bool,
}

/// Whether a month is in arrears on `current` (the month it is now): over, owed, not paid in
/// full.
pub fn is_unpaid(line: &MonthDue, paid: i64, current: Month) -> bool {
    line.month < current && line.due > 0 && paid < line.due
}

/// The months' dues matched with the amounts paid for each (`paid(month)`), as of `current`.
pub fn year_dues(months: Vec<MonthDue>, paid: impl Fn(Month) -> i64, current: Month, rules: &DuesRules) -> YearDues {
    let months: Vec<MonthLine> = months
        .into_iter()
        .map(|due| {
            let p = paid(due.month);
            MonthLine { due, paid: p, unpaid: is_unpaid(&due, p, current) }
        })
        .collect();
    let unpaid_months = months.iter().filter(|l| l.unpaid).count() as u32;
    YearDues {
        due: months.iter().map(|l| l.due.due).sum(),
        paid: months.iter().map(|l| l.paid).sum(),
        needs_review: unpaid_months >= rules.unpaid_months_for_proposal,
        unpaid_months,
        months,
    }
}
