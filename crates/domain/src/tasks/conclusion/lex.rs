//! A text cut into tokens (words, numbers, punctuation), each word with its syllable id in the
//! lexicon, and the questions every rule asks of them: is token `i` this word, this punctuation,
//! the start of a phrase of this category; where do the sentences end. The readers of items, units,
//! deadlines and recurrences each add their own `impl Lex` block.

use unicode_normalization::char::is_combining_mark;

use super::lexicon::{Category, Keyword, Lexicon, split_char, syllable_hash};
use super::segment::squash;

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !c.is_ascii_digit()) || is_combining_mark(c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    /// A run of ASCII digits.
    Num,
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: Kind,
    /// Syllable id, 0 when the word is not in the lexicon.
    pub(super) sid: u16,
    /// Whitespace (or the start of the text) before it.
    pub(super) gap: bool,
    /// First letter upper case.
    pub(super) upper: bool,
    /// First letter lower case.
    pub(super) lower: bool,
    /// Two or more letters, all upper case.
    pub(super) caps: bool,
    pub(super) num: u32,
    pub(super) digits: usize,
}

/// A text cut into words, numbers and punctuation.
pub(super) struct Lex {
    pub(super) lexicon: &'static Lexicon,
    pub(super) chars: Vec<char>,
    pub(super) tokens: Vec<Token>,
}

impl Lex {
    pub(super) fn new(s: &str, lexicon: &'static Lexicon) -> Lex {
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut tokens = Vec::new();
        let mut i = 0;
        let mut gap = true;
        while i < n {
            let c = chars[i];
            if c.is_whitespace() {
                gap = true;
                i += 1;
                continue;
            }
            let start = i;
            let mut token = Token {
                start,
                end: start,
                kind: Kind::Punct(c),
                sid: 0,
                gap,
                upper: false,
                lower: false,
                caps: false,
                num: 0,
                digits: 0,
            };
            if c.is_ascii_digit() {
                let mut value: u32 = 0;
                while i < n && chars[i].is_ascii_digit() {
                    let d = chars[i].to_digit(10).unwrap_or(0);
                    value = value.saturating_mul(10).saturating_add(d);
                    i += 1;
                }
                token.kind = Kind::Num;
                token.num = value;
                token.digits = i - start;
            } else if is_word_char(c) {
                while i < n && is_word_char(chars[i]) {
                    i += 1;
                }
                token.kind = Kind::Word;
                let word = &chars[start..i];
                token.upper = c.is_uppercase();
                token.lower = c.is_lowercase();
                let letters = word.iter().filter(|c| c.is_alphabetic()).count();
                token.caps = letters >= 2 && word.iter().all(|c| !c.is_lowercase());
                // Words longer than any syllable, or outside the Latin script, are not in the lexicon.
                if word.len() <= 12 && word.iter().all(|&c| u32::from(c) < 0x1F00) {
                    token.sid = lexicon.ids.get(&syllable_hash(word)).copied().unwrap_or(0);
                }
            } else {
                i += 1;
            }
            token.end = i;
            tokens.push(token);
            gap = false;
        }
        Lex { lexicon, chars, tokens }
    }

    /// The text of tokens `a..b`, as written.
    pub(super) fn span(&self, a: usize, b: usize) -> String {
        if a >= b || b > self.tokens.len() {
            return String::new();
        }
        let (s, e) = (self.tokens[a].start, self.tokens[b - 1].end);
        self.chars.get(s..e).map(|cs| cs.iter().collect()).unwrap_or_default()
    }

    pub(super) fn word(&self, i: usize, w: Keyword) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == Kind::Word && t.sid != 0 && t.sid == self.lexicon.word(w))
    }

    pub(super) fn punct(&self, i: usize) -> Option<char> {
        match self.tokens.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    pub(super) fn num(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tokens.get(i)?;
        (t.kind == Kind::Num).then_some((t.num, t.digits))
    }

    pub(super) fn num4(&self, i: usize) -> Option<i32> {
        let (v, d) = self.num(i)?;
        if d == 4 { i32::try_from(v).ok() } else { None }
    }

    /// Token `i` exists and touches the one before it.
    pub(super) fn adj(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| !t.gap)
    }

    /// Whitespace or the end of the text before token `i`.
    pub(super) fn gap_before(&self, i: usize) -> bool {
        self.tokens.get(i).is_none_or(|t| t.gap)
    }

    pub(super) fn punct_adj(&self, i: usize, c: char) -> bool {
        self.punct(i) == Some(c) && self.adj(i)
    }

    /// The bare (lower case, toneless) letters of token `i` equal `s`, which is plain ASCII.
    pub(super) fn bare_is(&self, i: usize, s: &str) -> bool {
        let Some(t) = self.tokens.get(i) else { return false };
        let Some(cs) = self.chars.get(t.start..t.end) else { return false };
        cs.len() == s.chars().count() && cs.iter().zip(s.chars()).all(|(&c, e)| split_char(c).0 == e)
    }

    /// Length in tokens of the longest phrase of `cat` starting at token `i`, 0 if none.
    pub(super) fn phrase(&self, i: usize, cat: Category) -> usize {
        let Some(t) = self.tokens.get(i) else { return 0 };
        if t.kind != Kind::Word || t.sid == 0 {
            return 0;
        }
        let Some(entries) = self.lexicon.table.get(usize::from(t.sid)) else { return 0 };
        let mut best = 0;
        for (c, rest) in entries {
            if *c == cat
                && rest.len() + 1 > best
                && rest
                    .iter()
                    .enumerate()
                    .all(|(k, &sid)| self.tokens.get(i + 1 + k).is_some_and(|u| u.kind == Kind::Word && u.sid == sid))
            {
                best = rest.len() + 1;
            }
        }
        best
    }

    pub(super) fn numeral(&self, i: usize, table: &[u16; 10]) -> Option<u32> {
        let t = self.tokens.get(i)?;
        if t.kind != Kind::Word || t.sid == 0 {
            return None;
        }
        let k = table.iter().position(|&s| s == t.sid)?;
        u32::try_from(k + 1).ok()
    }

    /// Sentences of tokens `from..to`, as token ranges.
    pub(super) fn sentences(&self, from: usize, to: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut a = from;
        let mut i = from;
        while i < to {
            if matches!(self.punct(i), Some('.' | '!' | '?' | '…')) && !self.abbreviation(i) {
                let mut e = i + 1;
                while e < to && matches!(self.punct(e), Some('"' | '”' | '’' | ')' | '»')) && self.adj(e) {
                    e += 1;
                }
                let next_starts = e >= to
                    || (self.gap_before(e)
                        && self
                            .tokens
                            .get(e)
                            .is_some_and(|t| t.upper || t.kind == Kind::Num || matches!(t.kind, Kind::Punct(_))));
                if next_starts {
                    out.push((a, e));
                    a = e;
                    i = e;
                    continue;
                }
            }
            i += 1;
        }
        if a < to {
            out.push((a, to));
        }
        out
    }

    /// "TP. Hồ Chí Minh", "ThS. Nguyễn …": a dot that does not end the sentence.
    fn abbreviation(&self, dot: usize) -> bool {
        dot > 0
            && self.adj(dot)
            && ["tp", "tx", "ths", "ts", "pgs", "gs", "bs", "th", "ks", "cn"].iter().any(|a| self.bare_is(dot - 1, a))
    }

    pub(super) fn last_sentence(&self, from: usize, to: usize) -> String {
        match self.sentences(from, to).last() {
            Some(&(a, b)) => squash(&self.span(a, b)),
            None => squash(&self.span(from, to)),
        }
    }

    /// "giao ban", "giao thông", "bàn giao": a "giao" that assigns nothing ("Giao Ban Tổ chức" does).
    pub(super) fn excluded(&self, i: usize) -> bool {
        (self.phrase(i, Category::Exclude) > 0 && self.tokens.get(i + 1).is_some_and(|t| t.lower))
            || (i > 0 && self.phrase(i - 1, Category::Exclude) >= 2)
    }

    pub(super) fn has_task_verb(&self, a: usize, b: usize) -> bool {
        (a..b).any(|k| {
            let l = self.phrase(k, Category::TaskVerb);
            // "chủ trì hội nghị", "phát biểu chỉ đạo hội nghị" describe the meeting.
            let presides = l == 2 && self.phrase(k + l, Category::Meeting) > 0;
            l > 0 && !self.excluded(k) && !presides
        })
    }
}
