//! A draft's text as numbered paragraphs, what changed between two versions paragraph by
//! paragraph, where a comment's quoted text stands in a later version, and the key that groups
//! the same comment sent by many units.
//!
//! A version is kept whole and never changes; a comment points at (version, paragraph) and
//! keeps the words it quoted, so that it can follow its text into the next version or be marked
//! outdated when that text is gone (Consul's annotations keep their quote the same way).

use serde::Serialize;
use sha2::{Digest, Sha256};
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices};

use crate::text;

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
    for op in capture_diff_slices(Algorithm::Patience, old, new) {
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
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                pair_rewritten(old, new, old_index..old_index + old_len, new_index..new_index + new_len, &mut out)
            }
        }
    }
    out
}

/// How alike two paragraphs must be, as the share of their words in common, to be called one
/// paragraph rewritten rather than one removed and another added.
const REWRITTEN_MIN_RATIO: f32 = 0.5;

/// Between two unchanged paragraphs: each old paragraph is paired, in order, with the first new
/// one that shares most of its words (a rewrite); new ones passed over are added, old ones
/// with no partner removed. Pairing by place alone would call an inserted paragraph a rewrite of
/// the one it pushed down.
fn pair_rewritten(
    old: &[String],
    new: &[String],
    olds: std::ops::Range<usize>,
    news: std::ops::Range<usize>,
    out: &mut Vec<Change>,
) {
    let mut next_new = news.start;
    for o in olds {
        let partner = (next_new..news.end)
            .find(|&n| TextDiff::from_words(old[o].as_str(), new[n].as_str()).ratio() >= REWRITTEN_MIN_RATIO);
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

/// For each paragraph of `old` (index = number − 1), the number of the paragraph of `new` it
/// became, unchanged or changed; `None` when it was removed.
pub fn successors(changes: &[Change], old_len: usize) -> Vec<Option<usize>> {
    let mut next = vec![None; old_len];
    for c in changes {
        if let Change::Same { old, new } | Change::Changed { old, new } = *c {
            next[old - 1] = Some(new);
        }
    }
    next
}

/// Words inserted and deleted inside a changed paragraph, for showing the change in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// `same`, `inserted` or `deleted`.
    pub kind: &'static str,
    pub text: String,
}

/// The word-by-word difference of two versions of a paragraph.
pub fn word_changes(old: &str, new: &str) -> Vec<Span> {
    let diff = TextDiff::from_words(old, new);
    let mut spans: Vec<Span> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "inserted",
            ChangeTag::Delete => "deleted",
        };
        match spans.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => spans.push(Span { kind, text: change.value().to_owned() }),
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

/// Where `quote` stands among `paragraphs`: in `near` (the paragraph the commented one became)
/// when it is still there, else in the first paragraph that holds it, else nowhere (outdated).
/// Whitespace is compared collapsed, as paragraphs are stored.
pub fn locate(quote: &str, near: Option<usize>, paragraphs: &[String]) -> Located {
    let quote = text::clean(quote);
    let holds = |n: usize| paragraphs.get(n - 1).is_some_and(|p| p.contains(quote.as_str()));
    if quote.is_empty() {
        return match near {
            Some(n) => Located::At { paragraph: n },
            None => Located::Outdated { near },
        };
    }
    if let Some(n) = near.filter(|&n| holds(n)) {
        return Located::At { paragraph: n };
    }
    match (1..=paragraphs.len()).find(|&n| holds(n)) {
        Some(n) => Located::At { paragraph: n },
        None => Located::Outdated { near },
    }
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
        assert_eq!(successors(&compare(&old, &new), 4), [Some(1), Some(3), Some(4), Some(5)]);
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
        let new = paras(&["Tăng trưởng kinh tế bình quân 7%/năm", "Giảm nghèo bền vững", "Xây dựng Đảng"]);
        assert_eq!(locate("bình quân 7%", Some(1), &new), Located::At { paragraph: 1 });
        // The paragraph moved and the quote went with it.
        assert_eq!(locate("Giảm  nghèo", Some(1), &new), Located::At { paragraph: 2 });
        assert_eq!(locate("8%/năm", Some(1), &new), Located::Outdated { near: Some(1) });
        assert_eq!(locate("8%/năm", None, &new), Located::Outdated { near: None });
        assert_eq!(locate("", Some(3), &new), Located::At { paragraph: 3 });
    }

    #[test]
    fn word_changes_show_what_was_struck_and_what_was_written() {
        let spans = word_changes("tăng trưởng 7% mỗi năm", "tăng trưởng 8% mỗi năm");
        let kinds: Vec<_> = spans.iter().map(|s| (s.kind, s.text.trim())).collect();
        assert!(kinds.contains(&("deleted", "7%")) && kinds.contains(&("inserted", "8%")), "{kinds:?}");
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

        /// A quote found is always in the paragraph named; an outdated quote is in none (a
        /// comment on a whole paragraph is outdated when its paragraph was removed).
        #[test]
        fn a_located_quote_is_where_it_is_said_to_be(new in version(), quote in "[a-f]{0,2}", near in prop::option::of(1usize..30)) {
            let near = near.filter(|&n| n <= new.len());
            match locate(&quote, near, &new) {
                Located::At { paragraph } => prop_assert!(new[paragraph - 1].contains(quote.as_str())),
                Located::Outdated { .. } if quote.is_empty() => prop_assert!(near.is_none()),
                Located::Outdated { .. } => prop_assert!(new.iter().all(|p| !p.contains(quote.as_str()))),
            }
        }
    }
}
