//! Drafting tasks from the pasted text of a meeting conclusion (DESIGN.md §3.3, domain-rules §9).
//!
//! The office pastes what the leader concluded ("(1) … (6)", "Giao Sở Tài chính chủ trì, phối hợp
//! với …; hoàn thành trước ngày 15/5/2025") and gets back a draft list of tasks that a person then
//! reviews and confirms. Nothing here is stored and nothing is final, so the rules are plain and every
//! result can be traced back to the words it came from: `due_text` quotes the deadline as written and
//! unit names are kept as written. Where a rule has to guess (a deadline already past, a date that does
//! not exist, a year left out) it says so in `warnings` rather than guessing silently.
//!
//! How the text is read:
//!
//! - Input is put in NFC; control and zero-width characters count as spaces.
//! - Keywords are compared syllable by syllable, case-insensitively and regardless of where the tone
//!   mark sits ("Tỉnh uỷ" = "Tỉnh ủy", "hoà" = "hòa"), but tones and vowel marks count: "giao"
//!   (assign) is not "giáo" (education). Text typed with no diacritics at all is not understood.
//! - Unit names are recognised by their head word, which must be capitalised as Vietnamese writes
//!   names ("Sở", "Ban", "Ủy ban", "Đảng ủy", …, or an abbreviation such as "UBND"), or by a group
//!   noun ("các cấp ủy", "các sở, ngành", "đảng đoàn"). Inside a name, a capitalised word always
//!   continues it ("Ban Chỉ đạo", "Sở Xây dựng"), while a lower-case verb ends it ("… chỉ đạo").
//!
//! Choices where the text is ambiguous:
//!
//! - A group opened by "các", "những", "từng", "một số"… keeps the lower-case nouns after its commas
//!   as one name: "các cấp ủy, tổ chức đảng", "các sở, ban, ngành", "Ủy ban nhân dân các huyện, thị
//!   xã, thành phố". The quantifier counts for all of them and no piece alone names a unit; the
//!   reviewer maps the group to organisations.
//! - "X chỉ đạo Y": X leads; Y, the units it directs, are neither lead nor support. With no lead
//!   before it ("Tăng cường chỉ đạo các địa phương …"), Y leads.
//! - Units of a heading ("Giao UBND tỉnh:", "Đối với Sở Tài chính:", "các cấp ủy … cần tập trung một
//!   số nhiệm vụ:") lead the items under it that name no lead; a heading's deadline ("Nhiệm vụ quý
//!   III/2025:") goes to items that give none, unless it is a bare date (the meeting's own date).
//! - "trước ngày 15/5" is 15/5, as offices read it; "trước tháng 6", "trước quý III", "trước năm 2026"
//!   are the day before that period begins.
//! - A period with no deadline word and no year ("6 tháng đầu năm", "quý II") usually reports results,
//!   so it is not a deadline; neither is one with its year that is already past ("kết quả quý I/2024").
//!   A date written out, or a period after a deadline word, is kept even when past, with a warning.
//! - The date of a cited document ("Chỉ thị số 35 ngày 14/6/2024") and a start alone ("từ ngày
//!   1/7/2025") are not deadlines; a day and month in brackets with no deadline word ("(27/7)") is
//!   not a date.
//!
//! Everything runs in time linear in the input (all look-aheads are bounded) and never panics.

mod deadline;
mod lex;
mod lexicon;
mod recurrence;
mod segment;
mod units;

use chrono::NaiveDate;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

use deadline::Deadline;
use lex::Lex;
use lexicon::{Lexicon, lexicon};
use segment::{BlockKind, Style, fallback, segment, tidy};

/// How often a recurring task comes back; the same type as the stored task's.
pub use crate::tasks::Recurrence;

/// One task as drafted from the text, for a person to review. Nothing is matched to the
/// organisation tree here: `lead` and `support` are names as written (see [`match_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftTask {
    /// 1, 2, 3 … in order of appearance, whatever numbering the text used.
    pub ordinal: u32,
    /// The item's text, whitespace collapsed and numbering marker removed.
    pub text: String,
    pub due_on: Option<NaiveDate>,
    /// The words the deadline came from, e.g. "trước ngày 15/5/2025".
    pub due_text: Option<String>,
    /// Start of a range "từ 01/7/2025 đến 15/8/2025".
    pub starts_on: Option<NaiveDate>,
    pub recurrence: Option<Recurrence>,
    /// Units named as lead (chủ trì), as written.
    pub lead: Vec<String>,
    /// Units named as supporting (phối hợp), as written.
    pub support: Vec<String>,
    /// What the reviewer should check, in Vietnamese.
    pub warnings: Vec<String>,
}

/// Drafts the tasks of a conclusion.
///
/// `reference_date` is the meeting or document date: deadlines without a year count from it, and
/// a deadline before it is kept but flagged.
///
/// Items are found in this order of preference:
/// 1. numbered or bulleted items ("(1)", "1.", "1)", "1/", "a)", "-", "–", "+", "•", "*",
///    "Một là,", "Thứ nhất,"), at the start of a line or, for numbered ones, inline after
///    punctuation ("… như sau: (1) …; (2) …"), when there are at least two;
/// 2. otherwise each sentence with a task verb ("giao", "chủ trì", "đề nghị", "yêu cầu",
///    "tập trung", "khẩn trương", "chỉ đạo", "triển khai", "hoàn thành", "tham mưu", "rà soát",
///    "xây dựng");
/// 3. otherwise the whole text, if it is not empty.
pub fn extract(text: &str, reference_date: NaiveDate) -> Vec<DraftTask> {
    let lexicon = lexicon();
    let normalized = normalize(text);
    let lines: Vec<&str> = normalized.split('\n').collect();

    let blocks = segment(&lines, lexicon);
    let mut headings: Vec<&str> = Vec::new();
    let mut marked: Vec<(String, Option<usize>)> = Vec::new();
    // The heading in force, and its numbering style: "2. Về nhiệm vụ quý II:" covers "2.1", "2.2"
    // but not "3.", which is its sibling.
    let mut context: Option<(usize, Option<Style>)> = None;
    for block in &blocks {
        match block.kind {
            BlockKind::Heading => {
                headings.push(&block.text);
                context = Some((headings.len() - 1, block.style));
            }
            BlockKind::Item => {
                if context.is_some_and(|(_, style)| style.is_some() && style == block.style) {
                    context = None;
                }
                let text = tidy(&block.text);
                if !text.is_empty() {
                    marked.push((text, context.map(|(h, _)| h)));
                }
            }
            // Prose after the list that gives a task ("Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc.")
            // is one too; prose before it is the preamble.
            BlockKind::Loose => {
                let lex = Lex::new(&block.text, lexicon);
                if !marked.is_empty() && (lex.has_task_verb(0, lex.tokens.len()) || !lex.units().0.is_empty()) {
                    let text = tidy(&block.text);
                    if !text.is_empty() {
                        marked.push((text, None));
                    }
                }
            }
        }
    }

    let drafts = if marked.len() >= 2 {
        marked
    } else {
        let found: Vec<(String, Option<usize>)> = fallback(&lines, lexicon).into_iter().map(|t| (t, None)).collect();
        if !found.is_empty() {
            found
        } else if !marked.is_empty() {
            marked
        } else {
            let whole = tidy(&normalized);
            if whole.is_empty() { Vec::new() } else { vec![(whole, None)] }
        }
    };

    let mut contexts: Vec<Option<Context>> = vec![None; headings.len()];
    for (_, h) in &drafts {
        if let Some(h) = *h
            && let Some(slot) = contexts.get_mut(h)
            && slot.is_none()
            && let Some(heading) = headings.get(h)
        {
            *slot = Some(Context::of(heading, reference_date, lexicon));
        }
    }

    drafts
        .into_iter()
        .enumerate()
        .map(|(k, (text, h))| {
            let context = h.and_then(|h| contexts.get(h)).and_then(Option::as_ref);
            draft(k, text, context, reference_date, lexicon)
        })
        .collect()
}

/// The key a unit name is matched on, so that the same unit written two ways meets itself.
///
/// Folded as [`crate::text::fold`] does (lower case, no diacritics, `đ` → `d`, hence also "uỷ" =
/// "ủy"), punctuation dropped ("chính trị – xã hội" = "chính trị - xã hội"), spaces collapsed, and the
/// abbreviations that name units in conclusions written out: UBND, HĐND, UBKT, MTTQ, UBMTTQ, BTV, BCH,
/// VPTU, CCQ, TP, TX. "TU" alone is deliberately not expanded to "Tỉnh ủy": folded, it is also the
/// syllable "tư" ("Sở Tư pháp"). Apply it to both sides of a comparison.
pub fn match_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c)).filter(|w| !w.is_empty()) {
        let folded = crate::text::fold(word);
        let expanded = match folded.as_str() {
            "ubnd" => "uy ban nhan dan",
            "hdnd" => "hoi dong nhan dan",
            "ubkt" => "uy ban kiem tra",
            "mttq" => "mat tran to quoc",
            "ubmttq" => "uy ban mat tran to quoc",
            "btv" => "ban thuong vu",
            "bch" => "ban chap hanh",
            "vptu" => "van phong tinh uy",
            "ccq" => "cac co quan",
            "tp" => "thanh pho",
            "tx" => "thi xa",
            other => other,
        };
        if expanded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(expanded);
    }
    out
}

/// What a heading line says about the items under it: an agency heading ("Giao UBND tỉnh:",
/// "Đối với Sở Tài chính:") gives them their lead, a heading with a deadline gives them that deadline,
/// unless the item says otherwise.
#[derive(Debug, Clone, Default)]
struct Context {
    lead: Vec<String>,
    support: Vec<String>,
    deadline: Deadline,
    recurrence: Option<Recurrence>,
}

impl Context {
    fn of(heading: &str, reference: NaiveDate, lexicon: &'static Lexicon) -> Context {
        let lex = Lex::new(heading, lexicon);
        let (mut lead, support) = lex.units();
        if lead.is_empty() && support.is_empty() {
            lead = lex.heading_lead();
        }
        Context { lead, support, deadline: lex.deadline(reference), recurrence: lex.recurrence() }
    }
}

fn draft(
    index: usize,
    text: String,
    context: Option<&Context>,
    reference: NaiveDate,
    lexicon: &'static Lexicon,
) -> DraftTask {
    let lex = Lex::new(&text, lexicon);
    let (mut lead, mut support) = lex.units();
    let mut deadline = lex.deadline(reference);
    let mut recurrence = lex.recurrence();
    if let Some(c) = context {
        if lead.is_empty() {
            lead = c.lead.clone();
            if support.is_empty() {
                support = c.support.clone();
            }
        }
        if !deadline.found && c.deadline.inheritable {
            deadline = c.deadline.clone();
        }
        if recurrence.is_none() {
            recurrence = c.recurrence;
        }
    }
    DraftTask {
        ordinal: u32::try_from(index + 1).unwrap_or(u32::MAX),
        text,
        due_on: deadline.due,
        due_text: deadline.text,
        starts_on: deadline.starts,
        recurrence,
        lead,
        support,
        warnings: deadline.warnings,
    }
}

/// NFC, with every line break as `\n` and control or invisible characters as spaces (so that
/// words never run together and every word of the output is a word of the input).
fn normalize(input: &str) -> String {
    crate::text::nfc(input)
        .chars()
        .map(|c| match c {
            '\n' => '\n',
            '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests;
