//! Reading how often a task comes back ("hằng quý", "định kỳ 6 tháng một lần", "6 tháng/lần"). It is
//! read apart from the deadline: the two share no rule and fill different fields of a draft.

use super::lex::Lex;
use super::lexicon::{Category, Keyword};
use crate::tasks::Recurrence;

/// "Cứ N tháng một lần": only the periods a task can be scheduled on.
fn every(months: u32) -> Option<Recurrence> {
    Recurrence::ALL.into_iter().find(|r| match r {
        Recurrence::Monthly => months == 1,
        Recurrence::Quarterly => months == 3,
        Recurrence::HalfYearly => months == 6,
        Recurrence::Yearly => months == 12,
    })
}

impl Lex {
    /// "6 tháng một lần", "định kỳ 3 tháng", "mỗi 6 tháng", "6 tháng/lần".
    fn every_months(&self, i: usize) -> Option<Recurrence> {
        let lead_in = self.phrase(i, Category::RecEvery);
        let k = i + lead_in;
        let (months, after) = if let Some((v, _)) = self.num(k) {
            (v, k + 1)
        } else {
            let v = self.numeral(k, &self.lexicon.numerals)?;
            if v == 10 && self.numeral(k + 1, &self.lexicon.numerals) == Some(2) { (12, k + 2) } else { (v, k + 1) }
        };
        if !self.word(after, Keyword::Thang) {
            return None;
        }
        let k = after + 1;
        let once =
            (self.word(k, Keyword::Mot) || self.num(k).is_some_and(|(v, _)| v == 1)) && self.word(k + 1, Keyword::Lan);
        let slash = self.punct(k) == Some('/') && self.word(k + 1, Keyword::Lan);
        if lead_in > 0 || once || slash { every(months) } else { None }
    }

    pub(super) fn recurrence(&self) -> Option<Recurrence> {
        (0..self.tokens.len()).find_map(|i| {
            if let Some(r) = self.every_months(i) {
                return Some(r);
            }
            [
                (Category::RecMonth, Recurrence::Monthly),
                (Category::RecQuarter, Recurrence::Quarterly),
                (Category::RecHalf, Recurrence::HalfYearly),
                (Category::RecYear, Recurrence::Yearly),
            ]
            .iter()
            .find(|(cat, _)| self.phrase(i, *cat) > 0)
            .map(|&(_, r)| r)
        })
    }
}
