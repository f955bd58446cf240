//! Reading a task's deadline: the dates and periods written in the text (`Core`), the year filled in
//! when it is left out, the deadline words that tie a date to the task's completion, ranges, and the
//! choice among several dates, with the warnings the reviewer should see.

use chrono::{Datelike, NaiveDate};

use super::lex::{Kind, Lex};
use super::lexicon::{Category, Keyword};
use crate::vi;

#[derive(Debug, Clone, Default)]
pub(super) struct Deadline {
    pub(super) due: Option<NaiveDate>,
    pub(super) text: Option<String>,
    pub(super) starts: Option<NaiveDate>,
    pub(super) warnings: Vec<String>,
    /// Whether the item said anything about a deadline (even an invalid one), so that it does not
    /// take its heading's.
    pub(super) found: bool,
    /// Whether items under a heading with this deadline take it: not when it is a date written
    /// with no deadline word, which in a heading is the date of the meeting.
    pub(super) inheritable: bool,
}

/// A date or period as written.
#[derive(Debug, Clone, Copy)]
enum Core {
    Date {
        d: u32,
        m: u32,
        y: Option<i32>,
    },
    /// `point`: "cuối tháng 6" is a moment, not a period, so "trước cuối tháng 6" is still 30/6.
    Month {
        m: u32,
        y: Option<i32>,
        point: bool,
    },
    Quarter {
        q: u32,
        y: Option<i32>,
        point: bool,
    },
    Half {
        first: bool,
        y: Option<i32>,
    },
    Year {
        y: Option<i32>,
        point: bool,
    },
}

impl Core {
    fn year(self) -> Option<i32> {
        match self {
            Core::Date { y, .. }
            | Core::Month { y, .. }
            | Core::Quarter { y, .. }
            | Core::Half { y, .. }
            | Core::Year { y, .. } => y,
        }
    }

    fn with_year(self, year: i32) -> Core {
        let y = Some(year);
        match self {
            Core::Date { d, m, .. } => Core::Date { d, m, y },
            Core::Month { m, point, .. } => Core::Month { m, y, point },
            Core::Quarter { q, point, .. } => Core::Quarter { q, y, point },
            Core::Half { first, .. } => Core::Half { first, y },
            Core::Year { point, .. } => Core::Year { y, point },
        }
    }

    fn point(self) -> bool {
        match self {
            Core::Date { .. } | Core::Half { .. } => false,
            Core::Month { point, .. } | Core::Quarter { point, .. } | Core::Year { point, .. } => point,
        }
    }

    /// First and last day in year `y`.
    fn bounds(self, y: i32) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Core::Date { d, m, .. } => {
                let date = NaiveDate::from_ymd_opt(y, m, d)?;
                Some((date, date))
            }
            Core::Month { m, .. } => month_bounds(y, m),
            Core::Quarter { q, .. } => {
                let first = q.checked_mul(3)?.checked_sub(2)?;
                Some((month_bounds(y, first)?.0, month_bounds(y, first + 2)?.1))
            }
            Core::Half { first: true, .. } => Some((month_bounds(y, 1)?.0, month_bounds(y, 6)?.1)),
            Core::Half { first: false, .. } => Some((month_bounds(y, 7)?.0, month_bounds(y, 12)?.1)),
            Core::Year { .. } => Some((month_bounds(y, 1)?.0, month_bounds(y, 12)?.1)),
        }
    }

    /// The deadline in year `y`: the last day, or with "trước" the day before the period starts
    /// ("trước tháng 6/2025" → 31/5/2025). "trước ngày 15/5" stays 15/5, as offices read it.
    fn due_in(self, y: i32, before: bool) -> Option<NaiveDate> {
        let (start, end) = self.bounds(y)?;
        if before && !self.point() && !matches!(self, Core::Date { .. }) { start.pred_opt() } else { Some(end) }
    }
}

fn month_bounds(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = NaiveDate::from_ymd_opt(y, m, 1)?;
    let end =
        if m == 12 { NaiveDate::from_ymd_opt(y, 12, 31)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)?.pred_opt()? };
    Some((start, end))
}

enum Resolved {
    /// The date, and whether a missing year was taken as a later one than the reference year.
    Due(NaiveDate, bool),
    /// No such day in any year (31/2).
    Invalid,
    /// Outside the calendar's range.
    Unknown,
}

/// Fills in a missing year: the reference year, or the first later year in which the date exists
/// and is not before the reference date (29/2 waits for a leap year).
fn resolve(core: Core, before: bool, reference: NaiveDate) -> Resolved {
    if let Some(y) = core.year() {
        return match core.due_in(y, before) {
            Some(d) => Resolved::Due(d, false),
            None => Resolved::Invalid,
        };
    }
    let y0 = reference.year();
    for k in 0..=8 {
        let Some(y) = y0.checked_add(k) else { break };
        if let Some(d) = core.due_in(y, before)
            && d >= reference
        {
            return Resolved::Due(d, k > 0);
        }
    }
    if core.due_in(2000, before).is_none() { Resolved::Invalid } else { Resolved::Unknown }
}

#[derive(Debug, Clone, Copy)]
struct CoreHit {
    core: Core,
    /// First token of the date as written (after "ngày"), for warnings.
    start: usize,
    end: usize,
}

#[derive(Debug)]
struct Candidate {
    text: String,
    tie: bool,
    /// A date written out with no deadline word before it.
    bare_date: bool,
    due: Option<NaiveDate>,
    starts: Option<NaiveDate>,
    invalid: Option<String>,
    rolled: bool,
}

impl Lex {
    /// "/2025", "-2025", "năm 2025" after a month or quarter.
    fn year_suffix(&self, k: usize, bare: bool) -> (Option<i32>, usize) {
        if matches!(self.punct(k), Some('/' | '-'))
            && self.adj(k)
            && self.adj(k + 1)
            && let Some(y) = self.num4(k + 1)
        {
            return (Some(y), k + 2);
        }
        if self.word(k, Keyword::Nam)
            && let Some(y) = self.num4(k + 1)
        {
            return (Some(y), k + 2);
        }
        if bare && let Some(y) = self.num4(k) {
            return (Some(y), k + 1);
        }
        (None, k)
    }

    fn month_after(&self, k: usize) -> Option<(u32, Option<i32>, usize)> {
        let (m, d) = self.num(k)?;
        if d > 2 || !(1..=12).contains(&m) {
            return None;
        }
        let (y, end) = self.year_suffix(k + 1, false);
        Some((m, y, end))
    }

    fn quarter_after(&self, k: usize) -> Option<(u32, Option<i32>, usize)> {
        let q = match self.num(k) {
            Some((q, 1)) if (1..=4).contains(&q) => q,
            Some(_) => return None,
            None => {
                let t = self.tokens.get(k)?;
                if t.kind != Kind::Word {
                    return None;
                }
                ["i", "ii", "iii", "iv"]
                    .iter()
                    .position(|r| self.bare_is(k, r))
                    .and_then(|p| u32::try_from(p + 1).ok())?
            }
        };
        let (y, end) = self.year_suffix(k + 1, true);
        Some((q, y, end))
    }

    /// Another "/n" or "-n" right after: part of something longer than a date.
    fn continues(&self, k: usize) -> bool {
        matches!(self.punct(k), Some('/' | '-' | '.')) && self.adj(k) && self.adj(k + 1) && self.num(k + 1).is_some()
    }

    /// `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy`, `yyyy-mm-dd`, and with `cue` the year-less `d/m`.
    fn numeric_date(&self, j: usize, cue: bool) -> Option<CoreHit> {
        let (a, ad) = self.num(j)?;
        if j >= 2
            && self.adj(j)
            && matches!(self.punct(j - 1), Some('/' | '-' | '.'))
            && self.adj(j - 1)
            && self.num(j - 2).is_some()
        {
            return None;
        }
        let sep = self.punct(j + 1).filter(|c| matches!(c, '/' | '-' | '.'))?;
        if !self.adj(j + 1) || !self.adj(j + 2) {
            return None;
        }
        let (b, bd) = self.num(j + 2)?;
        if ad == 4 {
            if sep == '-'
                && bd <= 2
                && self.punct_adj(j + 3, '-')
                && self.adj(j + 4)
                && let Some((c, cd)) = self.num(j + 4)
                && cd <= 2
                && !self.continues(j + 5)
            {
                let y = i32::try_from(a).ok()?;
                return Some(CoreHit { core: Core::Date { d: c, m: b, y: Some(y) }, start: j, end: j + 5 });
            }
            return None;
        }
        if ad > 2 || bd > 2 {
            return None;
        }
        if self.punct_adj(j + 3, sep) && self.adj(j + 4) {
            if let Some(y) = self.num4(j + 4)
                && !self.continues(j + 5)
            {
                return Some(CoreHit { core: Core::Date { d: a, m: b, y: Some(y) }, start: j, end: j + 5 });
            }
            return None;
        }
        if sep == '/' && cue && !self.continues(j + 3) {
            return Some(CoreHit { core: Core::Date { d: a, m: b, y: None }, start: j, end: j + 3 });
        }
        None
    }

    fn half_year(&self, j: usize) -> Option<CoreHit> {
        let six = self.num(j).is_some_and(|(v, d)| v == 6 && d <= 2) || self.word(j, Keyword::Sau);
        let k = if six && self.word(j + 1, Keyword::Thang) {
            j + 2
        } else if self.word(j, Keyword::Nua) {
            j + 1
        } else {
            return None;
        };
        let first = if self.word(k, Keyword::Dau) {
            true
        } else if self.word(k, Keyword::Cuoi) {
            false
        } else {
            return None;
        };
        if !self.word(k + 1, Keyword::Nam) {
            return None;
        }
        let (y, end) = match self.num4(k + 2) {
            Some(y) => (Some(y), k + 3),
            None if self.word(k + 2, Keyword::Nay) => (None, k + 3),
            None => (None, k + 2),
        };
        Some(CoreHit { core: Core::Half { first, y }, start: j, end })
    }

    /// A date or period starting at token `j`. `cue` says a deadline word came just before, which
    /// lets the looser forms count ("trước ngày 30/6", "trong tháng 6", "trong quý III").
    fn core(&self, j: usize, cue: bool) -> Option<CoreHit> {
        let t = *self.tokens.get(j)?;
        if self.word(j, Keyword::Cuoi) {
            if self.word(j + 1, Keyword::Nam) {
                let (y, end) = match self.num4(j + 2) {
                    Some(y) => (Some(y), j + 3),
                    None if self.word(j + 2, Keyword::Nay) => (None, j + 3),
                    None => (None, j + 2),
                };
                return Some(CoreHit { core: Core::Year { y, point: true }, start: j, end });
            }
            if self.word(j + 1, Keyword::Thang)
                && let Some((m, y, end)) = self.month_after(j + 2)
            {
                return Some(CoreHit { core: Core::Month { m, y, point: true }, start: j, end });
            }
            if self.word(j + 1, Keyword::Quy)
                && let Some((q, y, end)) = self.quarter_after(j + 2)
            {
                return Some(CoreHit { core: Core::Quarter { q, y, point: true }, start: j, end });
            }
            return None;
        }
        if self.word(j, Keyword::Ngay) {
            if let Some((d, dd)) = self.num(j + 1)
                && dd <= 2
                && self.word(j + 2, Keyword::Thang)
                && let Some((m, md)) = self.num(j + 3)
                && md <= 2
            {
                let (y, end) = self.year_suffix(j + 4, false);
                return Some(CoreHit { core: Core::Date { d, m, y }, start: j + 1, end });
            }
            return self.numeric_date(j + 1, true);
        }
        if t.kind == Kind::Num {
            if let Some(hit) = self.numeric_date(j, cue) {
                return Some(hit);
            }
            return self.half_year(j);
        }
        if self.word(j, Keyword::Sau) || self.word(j, Keyword::Nua) {
            return self.half_year(j);
        }
        if self.word(j, Keyword::Thang) && !(j > 0 && self.num(j - 1).is_some()) {
            if let Some((m, y, end)) = self.month_after(j + 1)
                && (y.is_some() || cue)
            {
                return Some(CoreHit { core: Core::Month { m, y, point: false }, start: j, end });
            }
            return None;
        }
        if self.word(j, Keyword::Quy) {
            if let Some((q, y, end)) = self.quarter_after(j + 1)
                && (y.is_some() || cue)
            {
                return Some(CoreHit { core: Core::Quarter { q, y, point: false }, start: j, end });
            }
            return None;
        }
        if self.word(j, Keyword::Nam) {
            if let Some(y) = self.num4(j + 1) {
                // "năm 2021-2025" is a term, not a deadline.
                let term = matches!(self.punct(j + 2), Some('-' | '–' | '—')) && self.num4(j + 3).is_some();
                if !term {
                    return Some(CoreHit { core: Core::Year { y: Some(y), point: false }, start: j, end: j + 2 });
                }
            } else if cue && self.word(j + 1, Keyword::Nay) {
                return Some(CoreHit { core: Core::Year { y: None, point: false }, start: j, end: j + 2 });
            }
        }
        None
    }

    /// "Chỉ thị số 35 ngày 14/6/2024", "Kế hoạch 153-KH/TU ngày …": the date of a document cited,
    /// not a deadline.
    fn cites_document(&self, i: usize) -> bool {
        let lo = i.saturating_sub(5);
        let mut k = i;
        while k > lo {
            k -= 1;
            if matches!(self.punct(k), Some('.' | ';')) {
                return false;
            }
            if self.phrase(k, Category::Doc) > 0 {
                return true;
            }
            if self.num(k).is_some()
                && matches!(self.punct(k + 1), Some('-' | '/'))
                && self.adj(k + 1)
                && self.tokens.get(k + 2).is_some_and(|t| t.kind == Kind::Word && !t.gap)
            {
                return true;
            }
        }
        false
    }

    /// "hoàn thành việc … trong quý III": a tie word a few words before the date.
    fn tie_window(&self, i: usize) -> bool {
        let lo = i.saturating_sub(8);
        let mut k = i;
        while k > lo {
            k -= 1;
            if matches!(self.punct(k), Some('.' | ';')) {
                return false;
            }
            if self.phrase(k, Category::TieWindow) > 0 {
                return true;
            }
        }
        false
    }

    pub(super) fn deadline(&self, reference: NaiveDate) -> Deadline {
        let n = self.tokens.len();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut i = 0;
        while i < n {
            // Deadline words before the date: "hoàn thành trước ngày", "thời hạn:", "xong trong".
            let mut j = i;
            let mut tie = false;
            let mut soft = false;
            let mut before = false;
            for _ in 0..6 {
                let t = self.phrase(j, Category::Tie);
                if t > 0 {
                    tie = true;
                    before = t == 1 && self.word(j, Keyword::Truoc);
                    j += t;
                    continue;
                }
                let s = self.phrase(j, Category::Soft);
                if s > 0 {
                    soft = true;
                    j += s;
                    continue;
                }
                if j > i && self.punct(j) == Some(':') {
                    j += 1;
                    continue;
                }
                break;
            }
            if self.word(j, Keyword::Tu)
                && let Some(a) = self.core(j + 1, true)
            {
                let mut k = a.end;
                if self.word(k, Keyword::Den)
                    || self.word(k, Keyword::Toi)
                    || matches!(self.punct(k), Some('-' | '–' | '—'))
                {
                    k += 1;
                    if self.word(k, Keyword::Het) {
                        k += 1;
                    }
                    if let Some(b) = self.core(k, true) {
                        candidates.push(self.range(i, a, b, tie, reference));
                        i = b.end.max(i + 1);
                        continue;
                    }
                }
                // "từ ngày 01/7/2025" alone is when something takes effect, not a deadline.
                i = a.end.max(i + 1);
                continue;
            }
            if let Some(hit) = self.core(j, tie || soft) {
                if let Some(c) = self.candidate(i, hit, tie, soft, before, reference) {
                    candidates.push(c);
                }
                i = hit.end.max(i + 1);
                continue;
            }
            i += 1;
        }
        choose(candidates, reference)
    }

    fn candidate(
        &self,
        i: usize,
        hit: CoreHit,
        tie: bool,
        soft: bool,
        before: bool,
        reference: NaiveDate,
    ) -> Option<Candidate> {
        let explicit = matches!(hit.core, Core::Date { .. });
        let prefixed = tie || soft;
        if explicit && !prefixed && self.cites_document(i) {
            return None;
        }
        let (due, invalid, rolled) = match resolve(hit.core, before, reference) {
            Resolved::Due(d, rolled) => (Some(d), None, rolled),
            Resolved::Invalid => (None, Some(self.span(hit.start, hit.end)), false),
            Resolved::Unknown => (None, None, false),
        };
        // "kết quả quý II/2024" at a July meeting looks back, and so may "6 tháng đầu năm": only a
        // period named as a deadline, or one with its year, counts, and only a period named as a
        // deadline or a date written out can be in the past (and is then flagged).
        if !explicit && !prefixed && (hit.core.year().is_none() || due.is_some_and(|d| d < reference)) {
            return None;
        }
        if due.is_none() && invalid.is_none() {
            return None;
        }
        Some(Candidate {
            text: self.span(i, hit.end),
            tie: tie || self.tie_window(i),
            bare_date: explicit && !prefixed,
            due,
            starts: None,
            invalid,
            rolled,
        })
    }

    /// "từ 01/7/2025 đến 15/8/2025", "từ ngày 1/7 đến ngày 15/8/2025", "từ tháng 7 đến tháng 9/2025".
    fn range(&self, i: usize, a: CoreHit, b: CoreHit, tie: bool, reference: NaiveDate) -> Candidate {
        let mut from = a.core;
        if from.year().is_none()
            && let Some(y) = b.core.year()
        {
            from = from.with_year(y);
        }
        let mut invalid = None;
        let (due, rolled) = match resolve(b.core, false, reference) {
            Resolved::Due(d, r) => (Some(d), r),
            Resolved::Invalid => {
                invalid = Some(self.span(b.start, b.end));
                (None, false)
            }
            Resolved::Unknown => (None, false),
        };
        if from.bounds(2000).is_none() && from.bounds(2001).is_none() {
            invalid = invalid.or_else(|| Some(self.span(a.start, a.end)));
        }
        let starts = match (from.year(), due) {
            (Some(y), Some(_)) => {
                let s = from.bounds(y).map(|p| p.0);
                if s.is_none() {
                    invalid = invalid.or_else(|| Some(self.span(a.start, a.end)));
                }
                s
            }
            (None, Some(d)) => match from.bounds(d.year()) {
                Some((s, _)) if s > d => from.bounds(d.year() - 1).map(|p| p.0),
                other => other.map(|p| p.0),
            },
            _ => None,
        };
        let due = if invalid.is_some() { None } else { due };
        Candidate {
            text: self.span(i, b.end),
            tie: tie || self.tie_window(i),
            bare_date: false,
            due,
            starts: due.and(starts),
            invalid,
            rolled,
        }
    }
}

/// Picks the deadline: the last one tied to completion ("hoàn thành", "trước", "chậm nhất", "hạn"…),
/// else the last one; and says what the reviewer should check.
fn choose(candidates: Vec<Candidate>, reference: NaiveDate) -> Deadline {
    let mut warnings: Vec<String> = Vec::new();
    for c in &candidates {
        if let Some(written) = &c.invalid {
            let msg = format!("Ngày {written} không tồn tại");
            if !warnings.contains(&msg) {
                warnings.push(msg);
            }
        }
    }
    let chosen = candidates.iter().rev().find(|c| c.tie).or(candidates.last());
    let Some(c) = chosen else { return Deadline { warnings, ..Deadline::default() } };
    let mut deadline = Deadline { found: true, inheritable: c.tie || !c.bare_date, ..Deadline::default() };
    if let Some(due) = c.due {
        deadline.due = Some(due);
        deadline.text = Some(c.text.clone());
        deadline.starts = c.starts;
        if c.rolled {
            warnings.push(format!("Thời hạn “{}” không ghi năm, hiểu là {}", c.text, vi::date(due)));
        }
        if due < reference {
            warnings.push(format!("Thời hạn {} trước ngày họp {}", vi::date(due), vi::date(reference)));
        }
        if let Some(s) = c.starts
            && s > due
        {
            warnings.push(format!("Ngày bắt đầu {} sau thời hạn {}", vi::date(s), vi::date(due)));
        }
    }
    deadline.warnings = warnings;
    deadline
}
