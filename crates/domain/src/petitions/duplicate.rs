//! A letter sent again: found by matching the person or organisation it concerns and the words
//! of its content (the handbook keeps "đơn trùng" without handling when nothing new is in it).
//! The words are folded (no case, no diacritics) so that a letter typed without accents still
//! matches; the commonest function words are left out so that two letters do not look alike
//! only because both are written in Vietnamese.

use std::collections::BTreeSet;

use crate::text::fold;

/// The words most letters share, folded.
const COMMON: &[&str] = &[
    "cua", "va", "la", "cac", "cho", "da", "co", "khong", "duoc", "trong", "nguoi", "ong", "ba", "toi", "nay", "voi",
    "mot", "nhung", "den", "tu", "ve", "o", "thi", "de", "khi", "theo", "tai", "nhu", "con", "se", "dang", "ra",
];

/// The distinct folded words of a text, apart from the commonest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint(BTreeSet<String>);

impl Fingerprint {
    pub fn of(text: &str) -> Fingerprint {
        Fingerprint(
            fold(text)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && !COMMON.contains(w))
                .map(str::to_owned)
                .collect(),
        )
    }

    /// The words joined by spaces, as stored beside the case.
    pub fn to_stored(&self) -> String {
        self.0.iter().map(String::as_str).collect::<Vec<_>>().join(" ")
    }

    pub fn from_stored(stored: &str) -> Fingerprint {
        Fingerprint(stored.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How alike two letters' words are, in percent of the words either uses (Jaccard).
pub fn similarity(a: &Fingerprint, b: &Fingerprint) -> u32 {
    let union = a.0.union(&b.0).count();
    if union == 0 {
        return 0;
    }
    let shared = a.0.intersection(&b.0).count();
    u32::try_from(shared * 100 / union).unwrap_or(100)
}

/// `text` with every occurrence of each of `names` (ignoring case) replaced by `mask`: the
/// sender's own name, address or phone in a denunciation's content, so that what people other
/// than the handlers read does not name the denouncer.
pub fn redact(text: &str, names: &[&str], mask: &str) -> String {
    let mut out: Vec<char> = text.chars().collect();
    for name in names.iter().map(|n| n.trim()).filter(|n| n.chars().count() >= 3) {
        let needle: Vec<char> = name.chars().map(lower).collect();
        let mut result = Vec::with_capacity(out.len());
        let folded: Vec<char> = out.iter().copied().map(lower).collect();
        let mut i = 0;
        while i < out.len() {
            if folded.len() >= i + needle.len() && folded[i..i + needle.len()] == needle[..] {
                result.extend(mask.chars());
                i += needle.len();
            } else {
                result.push(out[i]);
                i += 1;
            }
        }
        out = result;
    }
    out.into_iter().collect()
}

/// One character in lower case, one for one (so that positions in the text stay the same).
fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_same_letter_typed_without_accents_is_found() {
        let first = Fingerprint::of(
            "Tố cáo đồng chí Trần Văn Bình, Phó Chủ tịch UBND xã, nhận tiền để cấp giấy chứng nhận quyền sử dụng đất",
        );
        let again = Fingerprint::of(
            "to cao dong chi Tran Van Binh pho chu tich UBND xa nhan tien de cap giay chung nhan quyen su dung dat sai",
        );
        let other = Fingerprint::of("Kiến nghị sửa đường liên thôn bị sạt lở sau mưa lũ");
        assert!(similarity(&first, &again) >= 80, "{}", similarity(&first, &again));
        assert!(similarity(&first, &other) < 20);
        assert_eq!(Fingerprint::from_stored(&first.to_stored()), first);
    }

    #[test]
    fn the_senders_name_address_and_phone_leave_the_text() {
        let text = "Tôi là NGUYỄN Thị Hoa, số 12 ngõ 3, ĐT 0912345678, tố cáo ông Bình. Nguyễn Thị Hoa ký.";
        let out = redact(text, &["Nguyễn Thị Hoa", "số 12 ngõ 3", "0912345678", ""], "[…]");
        assert_eq!(out, "Tôi là […], […], ĐT […], tố cáo ông Bình. […] ký.");
    }

    proptest! {
        #[test]
        fn similarity_is_a_symmetric_percentage(a in "[a-e ]{0,40}", b in "[a-e ]{0,40}") {
            let (fa, fb) = (Fingerprint::of(&a), Fingerprint::of(&b));
            prop_assert_eq!(similarity(&fa, &fb), similarity(&fb, &fa));
            prop_assert!(similarity(&fa, &fb) <= 100);
            if !fa.is_empty() { prop_assert_eq!(similarity(&fa, &fa), 100); }
        }

        #[test]
        fn a_redacted_text_never_holds_the_name(prefix in "[a-zđ ]{0,20}", suffix in "[a-zđ ]{0,20}") {
            let name = "Lê Thị Mận";
            let text = format!("{prefix}{name}{suffix}{}", name.to_uppercase());
            let out = redact(&text, &[name], "*");
            prop_assert!(!out.to_lowercase().contains(&name.to_lowercase()));
        }
    }
}
