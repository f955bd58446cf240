//! A draft's text as numbered paragraphs, what changed between two versions paragraph by
//! paragraph, where a comment's quoted text stands in a later version, and the key that groups
//! the same comment sent by many units.
//!
//! A version is kept whole and never changes; a comment points at (version, paragraph) and
//! keeps the words it quoted, so that it can follow its text into the next version or be marked
//! outdated when that text is gone (Consul's annotations keep their quote the same way).

use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices_deadline};

use crate::text;

/// The longest paragraph, in characters: a page of a report. Word diffs grow with the square of
/// a paragraph's length, so a longer one is refused rather than compared.
pub const MAX_PARAGRAPH_CHARS: usize = 20_000;

/// How long comparing two versions may take before it settles for a coarser answer (still one
/// that accounts for every paragraph): a draft is compared on every new version, in the
/// transaction that writes it, and by any reader.
const COMPARE_BUDGET: Duration = Duration::from_millis(500);

/// How long the word diff of one pair of paragraphs may take.
const WORDS_BUDGET: Duration = Duration::from_millis(20);

/// How many new paragraphs after the last paired one an old paragraph looks at for its rewrite.
const REWRITE_WINDOW: usize = 8;

fn words<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, 'a, str> {
    TextDiff::configure().timeout(WORDS_BUDGET).diff_words(old, new)
}

/// The paragraphs of a text, numbered from 1 by their place: one per non-empty line, each
/// trimmed and with inner whitespace collapsed (a report pasted from Word has one paragraph a
/// line; blank lines between them are layout, not text).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines().map(text::clean).filter(|p| !p.is_empty()).collect()
}

/// How one paragraph fared from one version to the next. Numbers are paragraph numbers (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Same { old: usize, new: usize },
    Changed { old: usize, new: usize },
    Added { new: usize },
    Removed { old: usize },
}

/// The paragraphs of `new` set against those of `old`, in reading order. Unchanged paragraphs
/// are matched by the patience diff, so that a paragraph inserted near the top does not make
/// every later one look changed; between two matched paragraphs, the old and new ones in the
/// same place are paired as changed and the rest are added or removed.
pub fn compare(old: &[String], new: &[String]) -> Vec<Change> {
    let mut out = Vec::with_capacity(new.len().max(old.len()));
    let deadline = Instant::now() + COMPARE_BUDGET;
    for op in capture_diff_slices_deadline(Algorithm::Patience, old, new, Some(deadline)) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                out.extend((0..len).map(|i| Change::Same { old: old_index + i + 1, new: new_index + i + 1 }))
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                out.extend((0..old_len).map(|i| Change::Removed { old: old_index + i + 1 }))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                out.extend((0..new_len).map(|i| Change::Added { new: new_index + i + 1 }))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => pair_rewritten(
                old,
                new,
                old_index..old_index + old_len,
                new_index..new_index + new_len,
                deadline,
                &mut out,
            ),
        }
    }
    out
}

/// How alike two paragraphs must be, as the share of their words in common, to be called one
/// paragraph rewritten rather than one removed and another added.
const REWRITTEN_MIN_RATIO: f32 = 0.5;

/// Between two unchanged paragraphs: each old paragraph is paired, in order, with the first of
/// the next few new ones that shares most of its words (a rewrite); new ones passed over are
/// added, old ones with no partner removed. Pairing by place alone would call an inserted
/// paragraph a rewrite of the one it pushed down. Past the deadline, nothing more is paired.
fn pair_rewritten(
    old: &[String],
    new: &[String],
    olds: std::ops::Range<usize>,
    news: std::ops::Range<usize>,
    deadline: Instant,
    out: &mut Vec<Change>,
) {
    let mut next_new = news.start;
    for o in olds {
        let window = next_new..news.end.min(next_new + REWRITE_WINDOW);
        let partner = window.into_iter().find(|&n| {
            Instant::now() < deadline && words(old[o].as_str(), new[n].as_str()).ratio() >= REWRITTEN_MIN_RATIO
        });
        match partner {
            Some(n) => {
                out.extend((next_new..n).map(|a| Change::Added { new: a + 1 }));
                out.push(Change::Changed { old: o + 1, new: n + 1 });
                next_new = n + 1;
            }
            None => out.push(Change::Removed { old: o + 1 }),
        }
    }
    out.extend((next_new..news.end).map(|a| Change::Added { new: a + 1 }));
}

/// What became of each paragraph of one version in the next, for following comments.
#[derive(Debug, Clone)]
pub struct Succession {
    /// For each old paragraph (index = number − 1), the new paragraph it became, unchanged or
    /// rewritten; `None` when it was removed.
    next: Vec<Option<usize>>,
    /// For each new paragraph, whether it is rewritten or added (text that was not there).
    fresh: Vec<bool>,
}

impl Succession {
    pub fn between(old: &[String], new: &[String]) -> Succession {
        let mut next = vec![None; old.len()];
        let mut fresh = vec![false; new.len()];
        for c in compare(old, new) {
            match c {
                Change::Same { old, new } => next[old - 1] = Some(new),
                Change::Changed { old, new } => {
                    next[old - 1] = Some(new);
                    fresh[new - 1] = true;
                }
                Change::Added { new } => fresh[new - 1] = true,
                Change::Removed { .. } => {}
            }
        }
        Succession { next, fresh }
    }

    /// Where a comment on old paragraph `paragraph` stands in `new`. On the whole paragraph
    /// (`quote` none): in the paragraph it became, outdated once removed. On some words: in the
    /// paragraph it became while that still holds them, else in a rewritten or added paragraph
    /// that does (the words moved), else outdated. An unchanged paragraph elsewhere that
    /// happens to hold the same words was not what the comment was about.
    pub fn follow(&self, paragraph: usize, quote: Option<&str>, new: &[String]) -> Located {
        let near = paragraph.checked_sub(1).and_then(|i| self.next.get(i).copied().flatten());
        let Some(quote) = quote.map(text::clean).filter(|q| !q.is_empty()) else {
            return match near {
                Some(n) => Located::At { paragraph: n },
                None => Located::Outdated { near },
            };
        };
        let holds = |n: usize| new.get(n - 1).is_some_and(|p| p.contains(quote.as_str()));
        if let Some(n) = near.filter(|&n| holds(n)) {
            return Located::At { paragraph: n };
        }
        match (1..=new.len()).find(|&n| self.fresh.get(n - 1) == Some(&true) && holds(n)) {
            Some(n) => Located::At { paragraph: n },
            None => Located::Outdated { near },
        }
    }
}

/// Words inserted and deleted inside a changed paragraph, for showing the change in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// `same`, `inserted` or `deleted`.
    pub kind: &'static str,
    pub text: String,
}

/// The word-by-word difference of two versions of a paragraph: runs of inserted or deleted
/// words are one span each, the spaces between them included.
pub fn word_changes(old: &str, new: &str) -> Vec<Span> {
    let diff = words(old, new);
    let changes: Vec<(&'static str, &str)> = diff
        .iter_all_changes()
        .map(|c| {
            let kind = match c.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Insert => "inserted",
                ChangeTag::Delete => "deleted",
            };
            (kind, c.value())
        })
        .collect();
    let mut spans: Vec<Span> = Vec::new();
    for (i, &(kind, value)) in changes.iter().enumerate() {
        // A space kept between two changes of one kind belongs to them, not to the text kept.
        let kind = match (kind, spans.last(), changes.get(i + 1)) {
            ("same", Some(last), Some(&(next, _)))
                if value.trim().is_empty() && last.kind != "same" && last.kind == next =>
            {
                last.kind
            }
            _ => kind,
        };
        match spans.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(value),
            _ => spans.push(Span { kind, text: value.to_owned() }),
        }
    }
    spans
}

/// Where a comment's quoted text stands in a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "located", rename_all = "snake_case")]
pub enum Located {
    /// The quote is in this paragraph (number from 1).
    At { paragraph: usize },
    /// The quoted text is gone; `near` is the paragraph its own became, if it was not removed.
    Outdated { near: Option<usize> },
}

/// The key under which the same comment from many units is grouped and counted: the text in
/// lower case with punctuation and the spacing between words ignored, hashed. Diacritics are
/// kept: in Vietnamese they change the word.
pub fn group_key(comment: &str) -> String {
    let mut normal = String::with_capacity(comment.len());
    for word in text::nfc(comment).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !normal.is_empty() {
            normal.push(' ');
        }
        normal.extend(word.chars().flat_map(char::to_lowercase));
    }
    let digest = Sha256::digest(normal.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    fn paras(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paragraphs_are_the_non_empty_lines_cleaned() {
        let text = "I. ĐÁNH GIÁ\r\n\r\n  1. Về   kinh tế  \n\n\n2. Về xã hội\n";
        assert_eq!(paragraphs(text), ["I. ĐÁNH GIÁ", "1. Về kinh tế", "2. Về xã hội"]);
        assert!(paragraphs(" \n\t\n").is_empty());
    }

    #[test]
    fn an_inserted_paragraph_leaves_the_ones_after_it_unchanged() {
        let old = paras(&["a", "b", "chi bộ sinh hoạt đều", "d"]);
        let new = paras(&["a", "x", "b", "chi bộ sinh hoạt đều đặn", "d"]);
        assert_eq!(
            compare(&old, &new),
            [
                Change::Same { old: 1, new: 1 },
                Change::Added { new: 2 },
                Change::Same { old: 2, new: 3 },
                Change::Changed { old: 3, new: 4 },
                Change::Same { old: 4, new: 5 },
            ]
        );
        let succession = Succession::between(&old, &new);
        let became: Vec<_> = (1..=4).map(|p| succession.follow(p, None, &new)).collect();
        let at = |paragraph| Located::At { paragraph };
        assert_eq!(became, [at(1), at(3), at(4), at(5)]);
    }

    #[test]
    fn a_paragraph_inserted_before_a_rewritten_one_is_added_not_a_rewrite() {
        let old = paras(&["Mở đầu", "Tăng trưởng kinh tế bình quân 7%/năm, vượt chỉ tiêu", "Kết luận"]);
        let new = paras(&[
            "Mở đầu",
            "Nhiệm kỳ qua nhiều khó khăn do thiên tai",
            "Tăng trưởng kinh tế bình quân 7,2%/năm, vượt chỉ tiêu",
            "Kết luận",
        ]);
        assert_eq!(
            compare(&old, &new),
            [
                Change::Same { old: 1, new: 1 },
                Change::Added { new: 2 },
                Change::Changed { old: 2, new: 3 },
                Change::Same { old: 3, new: 4 },
            ]
        );
        // Nothing alike: removed and added, not rewritten.
        let changes = compare(&paras(&["a", "xyz uvw", "c"]), &paras(&["a", "hoàn toàn khác", "c"]));
        assert_eq!(changes[1..3], [Change::Removed { old: 2 }, Change::Added { new: 2 }]);
    }

    #[test]
    fn a_quote_follows_its_text_and_is_outdated_when_the_text_is_gone() {
        let old = paras(&[
            "Mở đầu",
            "Tăng trưởng kinh tế bình quân 7%/năm; giảm nghèo bền vững",
            "Xây dựng Đảng",
            "Kết luận",
        ]);
        let new = paras(&[
            "Mở đầu",
            "Tăng trưởng kinh tế bình quân 7,2%/năm",
            "Giảm nghèo bền vững, không để ai bị bỏ lại phía sau",
            "Xây dựng Đảng trong sạch",
            "Kết luận",
        ]);
        let s = Succession::between(&old, &new);
        let at = |paragraph| Located::At { paragraph };
        // Still in the paragraph it became, though that paragraph was rewritten.
        assert_eq!(s.follow(2, Some("Tăng trưởng kinh tế"), &new), at(2));
        // The words moved into a paragraph that was added.
        assert_eq!(s.follow(2, Some("Giảm  nghèo"), &new), at(3));
        // The words are gone.
        assert_eq!(s.follow(2, Some("7%/năm"), &new), Located::Outdated { near: Some(2) });
        // A comment on the whole paragraph follows the paragraph through a rewrite.
        assert_eq!(s.follow(3, None, &new), at(4));
        // "Kết luận" is only in an unchanged paragraph: a quote of it from elsewhere does not jump there.
        assert_eq!(s.follow(2, Some("Kết luận"), &new), Located::Outdated { near: Some(2) });
        // A paragraph number the old version does not have is outdated, never a panic.
        assert_eq!(s.follow(0, None, &new), Located::Outdated { near: None });
        assert_eq!(s.follow(99, Some("Mở"), &new), Located::Outdated { near: None });
    }

    #[test]
    fn a_removed_paragraph_takes_its_whole_paragraph_comments_with_it() {
        let old = paras(&["a", "đoạn sẽ bị bỏ hẳn khỏi bản mới", "c"]);
        let new = paras(&["a", "c"]);
        let s = Succession::between(&old, &new);
        assert_eq!(s.follow(2, None, &new), Located::Outdated { near: None });
        assert_eq!(s.follow(3, None, &new), Located::At { paragraph: 2 });
    }

    #[test]
    fn word_changes_show_what_was_struck_and_what_was_written() {
        let spans = word_changes("tăng trưởng 7% mỗi năm", "tăng trưởng 8% mỗi năm");
        let kinds: Vec<_> = spans.iter().map(|s| (s.kind, s.text.trim())).collect();
        assert!(kinds.contains(&("deleted", "7%")) && kinds.contains(&("inserted", "8%")), "{kinds:?}");
        let spans = word_changes("tăng trưởng", "tăng trưởng kinh tế bền vững");
        assert_eq!(spans.iter().filter(|s| s.kind == "inserted").count(), 1, "{spans:?}");
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "tăng trưởng kinh tế bền vững", "the spans keep the new text whole");
    }

    #[test]
    fn the_same_comment_typed_differently_has_one_key_and_a_different_word_another() {
        let a = group_key("Đề nghị bổ sung chỉ tiêu về chuyển đổi số.");
        assert_eq!(a, group_key("  đề nghị bổ sung  chỉ tiêu về chuyển đổi số "));
        let decomposed: String = "Đề nghị bổ sung chỉ tiêu về chuyển đổi số".nfd().collect();
        assert_eq!(a, group_key(&decomposed));
        assert_ne!(a, group_key("Đề nghị bổ sung chi tiêu về chuyển đổi số"));
        assert_eq!(a.len(), 16);
    }

    fn version() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "d", "e", "f"]).prop_map(String::from), 0..30)
    }

    proptest! {
        /// Any two versions: every old paragraph appears once as old, every new one once as new,
        /// in order, and a paragraph called the same is the same text.
        #[test]
        fn comparing_two_versions_accounts_for_every_paragraph_once(old in version(), new in version()) {
            let changes = compare(&old, &new);
            let olds: Vec<usize> = changes.iter().filter_map(|c| match *c {
                Change::Same { old, .. } | Change::Changed { old, .. } | Change::Removed { old } => Some(old),
                Change::Added { .. } => None,
            }).collect();
            let news: Vec<usize> = changes.iter().filter_map(|c| match *c {
                Change::Same { new, .. } | Change::Changed { new, .. } | Change::Added { new } => Some(new),
                Change::Removed { .. } => None,
            }).collect();
            prop_assert_eq!(olds, (1..=old.len()).collect::<Vec<_>>());
            prop_assert_eq!(news, (1..=new.len()).collect::<Vec<_>>());
            for c in &changes {
                if let Change::Same { old: o, new: n } = *c {
                    prop_assert_eq!(&old[o - 1], &new[n - 1]);
                }
            }
        }

        /// A comment followed into the next version is where its words are (or on the paragraph
        /// its own became); an outdated quote is in no paragraph it could have moved to.
        #[test]
        fn a_followed_comment_is_where_it_is_said_to_be(
            old in version(), new in version(), quote in prop::option::of("[a-f]{0,2}"), paragraph in 0usize..32
        ) {
            let s = Succession::between(&old, &new);
            let quote = quote.filter(|q| !q.is_empty());
            match (s.follow(paragraph, quote.as_deref(), &new), quote) {
                (Located::At { paragraph: n }, Some(q)) => prop_assert!(new[n - 1].contains(q.as_str())),
                (Located::At { paragraph: n }, None) => prop_assert!(n >= 1 && n <= new.len()),
                (Located::Outdated { near }, Some(q)) => {
                    prop_assert!(near.is_none_or(|n| !new[n - 1].contains(q.as_str())));
                }
                (Located::Outdated { near }, None) => prop_assert!(near.is_none()),
            }
        }
    }
}
