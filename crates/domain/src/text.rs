//! Vietnamese text: normalisation of input and folding for search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Every text that enters dangvu is stored in NFC, so that the same word typed
/// on two keyboards (composed or decomposed) is the same string.
pub fn nfc(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    nfc_into(input, &mut out);
    out
}

/// [`nfc`] into `out`, which is cleared first: a reader of millions of cells keeps one
/// `String` a column instead of making one a cell.
pub fn nfc_into(input: &str, out: &mut String) {
    out.clear();
    // Most text is already composed (and ASCII text always is): checking is cheaper than
    // decomposing and composing again, which was a tenth of an import's time.
    if unicode_normalization::is_nfc_quick(input.chars()) == unicode_normalization::IsNormalized::Yes {
        out.push_str(input);
    } else {
        out.extend(input.nfc());
    }
}

/// Whether no text in dangvu may hold `c`: a control character other than tab and the line
/// breaks (NUL among them, which PostgreSQL refuses and SQLite would store, so the engines
/// disagree), or a bidirectional override, embedding or isolate (U+202A–U+202E,
/// U+2066–U+2069), which makes a name or a file name read otherwise than it is written
/// (`hoso\u{202E}fdp.exe` shows as `hosoexe.pdf`).
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character of `s` no text may hold, if any (see [`is_forbidden`]).
pub fn first_forbidden(s: &str) -> Option<char> {
    s.chars().find(|c| is_forbidden(*c))
}

/// What a user is told when a text holds such a character, naming it by its code.
pub fn forbidden_message(c: char) -> String {
    format!("Văn bản có ký tự điều khiển hoặc ký tự đảo chiều (U+{:04X}) không được chấp nhận", c as u32)
}

/// A cell as dangvu's CSV exports wrote it, read back: an apostrophe put before a leading
/// `=`, `+`, `-`, `@`, tab or carriage return (so that a spreadsheet shows it as text instead
/// of running it) is taken off again; any other text is itself.
pub fn from_spreadsheet_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// NFC, trimmed, with inner runs of whitespace collapsed to one space.
pub fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if unicode_normalization::is_nfc_quick(word.chars()) == unicode_normalization::IsNormalized::Yes {
            out.push_str(word);
        } else {
            out.extend(word.nfc());
        }
    }
    out
}

/// The search key of a text: lower case, no diacritics, `đ` as `d`.
///
/// SQLite's FTS and PostgreSQL's `unaccent` disagree on `đ`, so both databases
/// store and compare this folded form instead.
pub fn fold(input: &str) -> String {
    if input.is_ascii() {
        return input.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(input.len());
    // Each character decomposed on its own: NFD would also put runs of combining marks in
    // canonical order, but they are all dropped, and its buffering was a tenth of the time
    // a national load spends reading the file.
    for c in input.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        decompose_canonical(c, |c| {
            if is_combining_mark(c) {
                return;
            }
            match c {
                'đ' | 'Đ' => out.push('d'),
                c => out.extend(c.to_lowercase()),
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_and_bidi_override_characters_are_forbidden_and_vietnamese_is_not() {
        for c in ['\0', '\u{1}', '\u{1B}', '\u{7F}', '\u{85}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', 'đ', 'Ư', '\u{300}', '\u{200E}', '–', '€'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
        assert_eq!(first_forbidden("hoso\u{202E}fdp.exe"), Some('\u{202E}'));
        assert_eq!(first_forbidden("Nguyễn Văn A\nDòng hai"), None);
        assert!(forbidden_message('\0').contains("U+0000"));
    }

    #[test]
    fn an_exported_text_cell_reads_back_as_it_was() {
        for s in ["=1+1", "+84 912 345 678", "-", "@SUM(A1)", "Nguyễn Văn A", "'quoted", "", "'"] {
            let written = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
            assert_eq!(from_spreadsheet_text(&written), s);
        }
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đặng Thị Hường"), "dang thi huong");
        assert_eq!(fold("ĐƯỜNG"), "duong");
        assert_eq!(fold("Đảng bộ Khối các cơ quan tỉnh"), "dang bo khoi cac co quan tinh");
    }

    #[test]
    fn composed_and_decomposed_are_equal_after_nfc() {
        let decomposed = "Nghe\u{0302}\u{0323} An";
        assert_eq!(nfc(decomposed), "Nghệ An");
        assert_eq!(clean("  Chi   bộ\t1 "), "Chi bộ 1");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC*") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn fold_ignores_composition(s in "[a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐ ]{0,40}") {
            let nfd: String = s.nfd().collect();
            prop_assert_eq!(fold(&nfd), fold(&s));
        }

        #[test]
        fn the_shortcuts_change_nothing(s in "\\PC*") {
            // Composed or not, ASCII or not: the quick paths answer what the full ones would.
            for text in [s.clone(), s.nfd().collect(), s.to_ascii_lowercase()] {
                prop_assert_eq!(nfc(&text), text.nfc().collect::<String>());
                let mut reused = String::from("what the buffer held before");
                nfc_into(&text, &mut reused);
                prop_assert_eq!(reused, text.nfc().collect::<String>());
            }
            for text in [s.clone(), s.nfd().collect(), s.nfc().collect()] {
                let slow: String = text
                    .nfd()
                    .filter(|c| !is_combining_mark(*c))
                    .flat_map(|c| if matches!(c, 'đ' | 'Đ') { 'd'.to_lowercase() } else { c.to_lowercase() })
                    .collect();
                prop_assert_eq!(fold(&text), slow);
                let words: Vec<String> = text.split_whitespace().map(|w| w.nfc().collect()).collect();
                prop_assert_eq!(clean(&text), words.join(" "));
            }
            let ascii: String = s.chars().filter(char::is_ascii).collect();
            let slow: String = ascii.chars().flat_map(char::to_lowercase).collect();
            prop_assert_eq!(fold(&ascii), slow);
        }
    }
}
