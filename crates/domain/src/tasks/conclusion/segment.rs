//! Cutting the text into items: numbered and bulleted lists (markers, their styles and sequences),
//! the headings above them and the prose around them, and, for a text with no list, its sentences
//! that give a task.

use std::collections::HashMap;

use super::lex::{Kind, Lex};
use super::lexicon::{Category, Keyword, Lexicon};

/// Whitespace collapsed to single spaces, trimmed.
pub(super) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An item's text: squashed, without the separators that joined it to its neighbours.
pub(super) fn tidy(s: &str) -> String {
    squash(s).trim_matches(|c: char| matches!(c, ';' | ',' | ':') || c.is_whitespace()).to_string()
}

/// Ends a sentence (closing quotes and brackets aside).
fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| matches!(c, '"' | '”' | '’' | '\'' | ')' | '»') || c.is_whitespace());
    t.ends_with(['.', '!', '?', '…', ':'])
}

/// A short capitalised line without final punctuation: an article subheading, a photo caption,
/// a byline ("Hồng Lê"), or an agency heading ("Sở Tài chính").
fn title_like(s: &str) -> bool {
    let t = s.trim();
    let Some(last) = t.chars().last() else { return false };
    if matches!(last, '.' | '!' | '?' | '…' | ';' | ':' | ',') {
        return false;
    }
    if t.split_whitespace().count() > 12 {
        return false;
    }
    t.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_uppercase)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    /// A marked item.
    Item,
    /// Context for the items under it.
    Heading,
    /// Prose outside any list.
    Loose,
}

#[derive(Debug)]
pub(super) struct Block {
    pub(super) kind: BlockKind,
    pub(super) style: Option<Style>,
    pub(super) text: String,
}

/// Splits the text into marked items, headings and loose prose.
///
/// An item started at the start of a line takes the following unmarked lines (text wrapped by a
/// PDF, a "Thời hạn hoàn thành …" line), except a heading (ends with ":"), a short title-like line
/// after a finished sentence, or a "Nguồn:" line. An item started inline ends with its paragraph,
/// unless the next line visibly continues its sentence.
pub(super) fn segment(lines: &[&str], lexicon: &'static Lexicon) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut last: HashMap<Style, u32> = HashMap::new();
    // The item that may still take continuation lines, and whether it started inline.
    let mut open: Option<(usize, bool)> = None;
    for line in lines {
        let lex = Lex::new(line, lexicon);
        let n = lex.tokens.len();
        if n == 0 {
            continue;
        }
        if lex.phrase(0, Category::EndMatter) > 0 {
            break;
        }
        let markers = lex.markers(&mut last);
        let first = markers.first().map_or(n, |m| m.token);
        if first > 0 {
            let text = squash(&lex.span(0, first));
            let more = !markers.is_empty();
            let colon = text.ends_with(':');
            let title = title_like(&text) && lex.phrase(0, Category::Tie) == 0;
            let source = lex.word(0, Keyword::Nguon) && lex.punct(1) == Some(':');
            let joins = match open {
                Some((o, inline)) if !colon && !source => match blocks.get(o) {
                    Some(prev) if inline => {
                        !ends_terminal(&prev.text) && (more || lex.tokens.first().is_some_and(|t| t.lower))
                    }
                    // Items that end with ";" and a last one with ".": the "." closes the list.
                    Some(prev) if prev.text.ends_with('.') && closes_list(&blocks, o) => false,
                    Some(prev) => !(title && ends_terminal(&prev.text)),
                    None => false,
                },
                _ => false,
            };
            let target = if joins { open.and_then(|(o, _)| blocks.get_mut(o)) } else { None };
            if let Some(block) = target {
                block.text.push(' ');
                block.text.push_str(&text);
            } else {
                open = None;
                let (kind, text) = if source {
                    (BlockKind::Loose, text)
                } else if colon || more {
                    (BlockKind::Heading, lex.last_sentence(0, first))
                } else if title {
                    (BlockKind::Heading, text)
                } else {
                    (BlockKind::Loose, text)
                };
                blocks.push(Block { kind, style: None, text });
            }
        }
        for (k, m) in markers.iter().enumerate() {
            let end = markers.get(k + 1).map_or(n, |x| x.token);
            let text = if m.text_token < end { squash(&lex.span(m.text_token, end)) } else { String::new() };
            blocks.push(Block { kind: BlockKind::Item, style: Some(m.style), text });
            open = Some((blocks.len() - 1, m.token > 0));
        }
    }

    // A marked line that introduces further marked lines is their heading: "1. Về kinh tế:" above
    // "a) …", or a section "II. NHIỆM VỤ" above "1. …".
    let headings: Vec<bool> = blocks
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let next = blocks.get(k + 1).filter(|x| x.kind == BlockKind::Item);
            b.kind == BlockKind::Item
                && next.is_some_and(|x| {
                    b.text.ends_with(':')
                        || (matches!(b.style, Some(Style::Roman | Style::UpperLetter)) && x.style != b.style)
                })
        })
        .collect();
    for (b, heading) in blocks.iter_mut().zip(headings) {
        if heading {
            b.kind = BlockKind::Heading;
        }
    }
    blocks
}

/// Whether item `o` ends a list whose items end with ";" (the one before it does).
fn closes_list(blocks: &[Block], o: usize) -> bool {
    let Some(style) = blocks.get(o).and_then(|b| b.style) else { return false };
    blocks[..o.min(blocks.len())]
        .iter()
        .rev()
        .find(|b| b.kind == BlockKind::Item && b.style == Some(style))
        .is_some_and(|b| b.text.ends_with(';'))
}

/// Items of a text with no list: each sentence with a task verb, leaving out article subheadings.
pub(super) fn fallback(lines: &[&str], lexicon: &'static Lexicon) -> Vec<String> {
    let mut out = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let lex = Lex::new(line, lexicon);
        let n = lex.tokens.len();
        if n == 0 {
            continue;
        }
        if lex.phrase(0, Category::EndMatter) > 0 {
            break;
        }
        let from = lex.marker_at(0, true).map_or(0, |m| m.text_token);
        if from >= n {
            continue;
        }
        let subheading = title_like(line)
            && !lex.tokens.iter().any(|t| t.kind == Kind::Num)
            && !(from..n).any(|i| lex.phrase(i, Category::Trigger) > 0)
            && lines.iter().skip(k + 1).find(|l| !l.trim().is_empty()).is_some_and(|l| !title_like(l));
        if subheading {
            continue;
        }
        for (a, b) in lex.sentences(from, n) {
            let text = tidy(&lex.span(a, b));
            if text.is_empty() {
                continue;
            }
            if lex.has_task_verb(a, b) {
                out.push(text);
            } else if lex.phrase(a, Category::TieWindow) > 0 || lex.word(a, Keyword::Han) {
                // "Thời hạn hoàn thành trước ngày …" after a task belongs to it.
                if let Some(last) = out.last_mut() {
                    last.push(' ');
                    last.push_str(&text);
                }
            }
        }
    }
    out
}

/// The numbering style of an item; an inline number only counts when it continues its sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Style {
    /// (1)
    Paren,
    /// (a)
    ParenLetter,
    /// 1.
    NumDot,
    /// 1.1 or 1.1.
    NumDotNested,
    /// 1)
    NumParen,
    /// 1/
    NumSlash,
    /// a)
    Letter,
    /// II.
    Roman,
    /// A.
    UpperLetter,
    /// - – + • *
    Bullet,
    /// Một là,
    OrdLa,
    /// Thứ nhất,
    OrdThu,
}

#[derive(Debug, Clone, Copy)]
struct Marker {
    style: Style,
    value: u32,
    /// First token of the marker.
    token: usize,
    /// First token of the item's text.
    text_token: usize,
}

const BULLETS: [char; 24] = [
    '-', '–', '—', '+', '•', '*', '·', '▪', '◦', '●', '○', '■', '□', '♦', '➢', '➤', '✓', '⁃', '‣', '∙', '\u{F0A7}',
    '►', '❖', '√',
];

/// Letters of Vietnamese lists in order: a, b, c, d, đ, e …
const LETTERS: &str = "abcdđefghijklmnopqrstuvwxyz";

impl Lex {
    /// Markers of one line: at its start, then inline ones that continue their sequence.
    fn markers(&self, last: &mut HashMap<Style, u32>) -> Vec<Marker> {
        let mut out = Vec::new();
        let n = self.tokens.len();
        let mut i = 0;
        if let Some(m) = self.marker_at(0, true) {
            last.insert(m.style, m.value);
            i = m.text_token;
            out.push(m);
        }
        while i < n {
            if let Some(m) = self.inline_marker(i)
                && accept(&m, last)
            {
                last.insert(m.style, m.value);
                i = m.text_token.max(i + 1);
                out.push(m);
                continue;
            }
            i += 1;
        }
        out
    }

    fn inline_marker(&self, i: usize) -> Option<Marker> {
        if i == 0 {
            return None;
        }
        let prev = self.tokens.get(i - 1)?.kind;
        let after_stop = matches!(prev, Kind::Punct(':' | ';' | '.' | '!' | '?'));
        let m = self.marker_at(i, false)?;
        let ok = match m.style {
            Style::Paren | Style::ParenLetter => after_stop || self.gap_before(i),
            Style::Bullet => matches!(prev, Kind::Punct(':' | ';')),
            _ => after_stop && self.gap_before(i),
        };
        ok.then_some(m)
    }

    fn letter_value(&self, i: usize) -> Option<u32> {
        let t = self.tokens.get(i)?;
        if t.kind != Kind::Word || t.end != t.start + 1 || !t.lower {
            return None;
        }
        let c = *self.chars.get(t.start)?;
        let k = LETTERS.chars().position(|l| l == c)?;
        u32::try_from(k + 1).ok()
    }

    fn roman_value(&self, i: usize) -> Option<u32> {
        let t = self.tokens.get(i)?;
        let cs = self.chars.get(t.start..t.end)?;
        if t.kind != Kind::Word || cs.is_empty() || cs.len() > 6 {
            return None;
        }
        let digit = |c: char| match c {
            'I' => Some(1),
            'V' => Some(5),
            'X' => Some(10),
            'L' => Some(50),
            'C' => Some(100),
            _ => None,
        };
        let values: Vec<u32> = cs.iter().map(|&c| digit(c)).collect::<Option<_>>()?;
        let mut total = 0u32;
        for (k, v) in values.iter().enumerate() {
            if values.get(k + 1).is_some_and(|next| next > v) {
                total = total.saturating_sub(*v);
            } else {
                total += v;
            }
        }
        (1..=399).contains(&total).then_some(total)
    }

    /// The marker starting at token `i`, if any. `line_start` allows the forms that only make
    /// sense at the start of a line (sections "II.", "A.", nested "1.2").
    fn marker_at(&self, i: usize, line_start: bool) -> Option<Marker> {
        let t = *self.tokens.get(i)?;
        let mk = |style, value, text_token| Some(Marker { style, value, token: i, text_token });
        match t.kind {
            Kind::Punct('(') => {
                let inner = self.tokens.get(i + 1)?;
                if inner.gap || !self.punct_adj(i + 2, ')') {
                    return None;
                }
                match inner.kind {
                    Kind::Num if inner.digits <= 3 && inner.num >= 1 => mk(Style::Paren, inner.num, i + 3),
                    Kind::Word => mk(Style::ParenLetter, self.letter_value(i + 1)?, i + 3),
                    _ => None,
                }
            }
            Kind::Num if t.digits <= 3 && t.num >= 1 => {
                let next = self.tokens.get(i + 1)?;
                if next.gap {
                    return None;
                }
                match next.kind {
                    Kind::Punct('.') => {
                        if line_start
                            && t.digits <= 2
                            && self.adj(i + 2)
                            && self.num(i + 2).is_some_and(|(_, d)| d <= 2)
                        {
                            if self.punct_adj(i + 3, '.') && self.gap_before(i + 4) {
                                return mk(Style::NumDotNested, t.num, i + 4);
                            }
                            if self.gap_before(i + 3) {
                                return mk(Style::NumDotNested, t.num, i + 3);
                            }
                            return None;
                        }
                        let sloppy = line_start
                            && self.tokens.get(i + 2).is_some_and(|u| !u.gap && u.kind == Kind::Word && u.upper);
                        if self.gap_before(i + 2) || sloppy { mk(Style::NumDot, t.num, i + 2) } else { None }
                    }
                    Kind::Punct(')') if self.gap_before(i + 2) => mk(Style::NumParen, t.num, i + 2),
                    Kind::Punct('/') if self.gap_before(i + 2) => mk(Style::NumSlash, t.num, i + 2),
                    _ => None,
                }
            }
            Kind::Word => {
                if let Some(v) = self.letter_value(i)
                    && self.punct_adj(i + 1, ')')
                    && self.gap_before(i + 2)
                {
                    return mk(Style::Letter, v, i + 2);
                }
                if line_start && self.punct_adj(i + 1, '.') && self.gap_before(i + 2) {
                    if let Some(v) = self.roman_value(i) {
                        return mk(Style::Roman, v, i + 2);
                    }
                    if t.end == t.start + 1
                        && let Some(&c) = self.chars.get(t.start)
                        && c.is_ascii_uppercase()
                    {
                        return mk(Style::UpperLetter, u32::from(c) - u32::from('A') + 1, i + 2);
                    }
                }
                if let Some(v) = self.numeral(i, &self.lexicon.numerals)
                    && self.word(i + 1, Keyword::La)
                {
                    let k = if matches!(self.punct(i + 2), Some(',' | ':')) { i + 3 } else { i + 2 };
                    return mk(Style::OrdLa, v, k);
                }
                if self.word(i, Keyword::Thu)
                    && let Some(v) = self.numeral(i + 1, &self.lexicon.ordinals)
                    && matches!(self.punct(i + 2), Some(',' | ':'))
                    && !self.word(i + 3, Keyword::Ngay)
                {
                    return mk(Style::OrdThu, v, i + 3);
                }
                None
            }
            Kind::Punct(c) if BULLETS.contains(&c) => {
                let next = self.tokens.get(i + 1)?;
                if matches!(c, '-' | '+' | '*' | '–' | '—') && !next.gap {
                    return None;
                }
                mk(Style::Bullet, 0, i + 1)
            }
            _ => None,
        }
    }
}

/// Accepts an inline marker only when it continues its sequence (or starts one), so that a stray
/// "(2)" or "3." inside a sentence does not split it.
fn accept(m: &Marker, last: &HashMap<Style, u32>) -> bool {
    let prev = last.get(&m.style).copied();
    match m.style {
        Style::Bullet => true,
        Style::Letter | Style::ParenLetter => {
            m.value == 1 || prev.is_some_and(|p| m.value == p.saturating_add(1) || m.value == p.saturating_add(2))
        }
        _ => m.value == 1 || prev.is_some_and(|p| m.value == p.saturating_add(1)),
    }
}
