//! Party document numbers, as Hướng dẫn 36-HD/VPTW (3/4/2018) sets them:
//! `Số <n>-<TYPE>/<ISSUER>`, e.g. `Số 35-CT/TW`, `153-KH/TU`, `24-BS/UBKTTU`.
//! A hyphen between the serial and the type, a slash before the issuer, no colon after "Số"
//! (the State format `Số: 123/QĐ-UBND` is a different thing and is refused with a hint).

use serde::Serialize;

/// The document types of 36-HD/VPTW seen in real numbers (`reference/domain-rules.md` §3.7),
/// with their Vietnamese names. The official appendix was not available; a type missing
/// here is a one-line addition.
pub const HD36_DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("NQ", "Nghị quyết"),
    ("QĐ", "Quyết định, Quy định"),
    ("CT", "Chỉ thị"),
    ("KL", "Kết luận"),
    ("HD", "Hướng dẫn"),
    ("KH", "Kế hoạch"),
    ("CV", "Công văn"),
    ("QC", "Quy chế"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("CTr", "Chương trình"),
    ("CTHĐ", "Chương trình hành động"),
    ("TTr", "Tờ trình"),
    ("BB", "Biên bản"),
    ("BS", "Bản sao"),
];

/// A parsed number and symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentNumber {
    pub serial: u32,
    /// The canonical type symbol, e.g. `CT`, `QĐ`, `CTr`.
    pub doc_type: String,
    /// The issuer symbol, e.g. `TW`, `TU`, `BTCTW`, `ĐUK`.
    pub issuer: String,
}

impl DocumentNumber {
    /// `35-CT/TW`: how the number is stored and shown after "Số".
    pub fn canonical(&self) -> String {
        format!("{:02}-{}/{}", self.serial, self.doc_type, self.issuer)
    }

    /// The Vietnamese name of the type.
    pub fn type_name(&self) -> &'static str {
        HD36_DOCUMENT_TYPES.iter().find(|(s, _)| *s == self.doc_type).map(|(_, n)| *n).unwrap_or("Văn bản")
    }
}

/// Parses `Số 35-CT/TW`, `35-CT/TW`, `số 05 - CT / TU`; answers why not in Vietnamese.
pub fn parse_number(input: &str) -> Result<DocumentNumber, String> {
    let s = crate::text::clean(input);
    let s = s.strip_prefix("Số").or_else(|| s.strip_prefix("số")).or_else(|| s.strip_prefix("SỐ")).unwrap_or(&s);
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.starts_with(':') || (s.contains('/') && !s.contains('-')) || s.find('/') < s.find('-') {
        return Err("Số văn bản của Đảng viết dạng 35-CT/TW (không phải dạng của Nhà nước 35/CT-UBND)".into());
    }
    let (serial, rest) = s.split_once('-').ok_or("Thiếu dấu '-' giữa số và loại văn bản, ví dụ 35-CT/TW")?;
    let (doc_type, issuer) = rest.split_once('/').ok_or("Thiếu dấu '/' trước cơ quan ban hành, ví dụ 35-CT/TW")?;
    let serial: u32 = serial
        .parse()
        .ok()
        .filter(|n| *n > 0 && *n < 1_000_000)
        .ok_or("Số thứ tự phải là số nguyên dương, ví dụ 35-CT/TW")?;
    let doc_type = HD36_DOCUMENT_TYPES
        .iter()
        .find(|(sym, _)| sym.to_uppercase() == doc_type.to_uppercase())
        .map(|(sym, _)| (*sym).to_owned())
        .ok_or_else(|| {
            let known: Vec<&str> = HD36_DOCUMENT_TYPES.iter().map(|(s, _)| *s).collect();
            format!("Loại văn bản '{doc_type}' không có trong danh mục ({})", known.join(", "))
        })?;
    let issuer = issuer.to_uppercase();
    let issuer_ok =
        (1..=16).contains(&issuer.chars().count()) && issuer.chars().all(|c| c.is_alphanumeric() || c == '-');
    if !issuer_ok {
        return Err("Ký hiệu cơ quan ban hành gồm 1–16 chữ cái, ví dụ TW, TU, BTCTW, ĐUK".into());
    }
    Ok(DocumentNumber { serial, doc_type, issuer })
}

/// The issuer symbol a committee signs with when the office has not set another, as in
/// the numbers seen in real documents (`reference/domain-rules.md` §3.7): `TU` for a
/// provincial committee, `ĐUK` for a bloc committee (Đảng ủy Khối), `ĐU` for other
/// committees, `CB` for a cell; its office (Văn phòng) prefixes `VP`.
pub fn default_issuer(kind: crate::orgs::OrgKind, name: &str, by_office: bool) -> String {
    use crate::orgs::OrgKind;
    let base = match kind {
        OrgKind::Province => "TU",
        OrgKind::Cell | OrgKind::GrassrootsCell => "CB",
        _ if crate::text::fold(name).contains("khoi") => "ĐUK",
        _ => "ĐU",
    };
    if by_office { format!("VP{base}") } else { base.to_owned() }
}

/// The name of the committee (cấp ủy) of an organisation, as a Party document's header writes
/// the body that issues (36-HD/VPTW; `reference/domain-rules.md` §3.3): "Đảng bộ tỉnh Nghệ An"
/// is led by "Tỉnh ủy Nghệ An", "Đảng bộ huyện Diễn Châu" by "Huyện ủy Diễn Châu", "Đảng bộ xã
/// Diễn Châu" by "Đảng ủy xã Diễn Châu", "Đảng bộ Khối các cơ quan tỉnh" by "Đảng ủy Khối các cơ
/// quan tỉnh"; a cell signs as itself.
pub fn committee_name(kind: crate::orgs::OrgKind, name: &str) -> String {
    use crate::orgs::OrgKind;
    let name = name.trim();
    if matches!(kind, OrgKind::Cell | OrgKind::GrassrootsCell) {
        return name.to_owned();
    }
    // The levels whose committee takes the level's own word: tỉnh → Tỉnh ủy.
    const LEVELS: [(&str, &str); 5] = [
        ("Đảng bộ tỉnh ", "Tỉnh ủy "),
        ("Đảng bộ thành phố ", "Thành ủy "),
        ("Đảng bộ huyện ", "Huyện ủy "),
        ("Đảng bộ thị xã ", "Thị ủy "),
        ("Đảng bộ quận ", "Quận ủy "),
    ];
    let level = matches!(kind, OrgKind::Province | OrgKind::Committee);
    if level && let Some((rest, word)) = LEVELS.iter().find_map(|(p, w)| name.strip_prefix(p).map(|r| (r, w))) {
        return format!("{word}{rest}");
    }
    match name.strip_prefix("Đảng bộ ") {
        Some(rest) => format!("Đảng ủy {rest}"),
        None => name.to_owned(),
    }
}

/// The issuing line of a body under its committee: "Văn phòng Tỉnh ủy" under "Tỉnh ủy Nghệ An"
/// reads "Văn phòng" — the committee is the line above it.
pub fn body_under_committee(body: &str) -> String {
    const UNDER: [&str; 7] = [" Tỉnh ủy", " Thành ủy", " Huyện ủy", " Thị ủy", " Quận ủy", " Đảng ủy Khối", " Đảng ủy"];
    let body = body.trim();
    UNDER.iter().find_map(|u| body.find(u).map(|i| body[..i].to_owned())).unwrap_or_else(|| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_committee_as_the_header_writes_it() {
        use crate::orgs::OrgKind::*;
        assert_eq!(committee_name(Province, "Đảng bộ tỉnh Nghệ An"), "Tỉnh ủy Nghệ An");
        assert_eq!(committee_name(Province, "Đảng bộ thành phố Hà Nội"), "Thành ủy Hà Nội");
        assert_eq!(committee_name(Committee, "Đảng bộ huyện Diễn Châu"), "Huyện ủy Diễn Châu");
        assert_eq!(committee_name(Committee, "Đảng bộ xã Diễn Châu"), "Đảng ủy xã Diễn Châu");
        assert_eq!(committee_name(Committee, "Đảng bộ Khối các cơ quan tỉnh"), "Đảng ủy Khối các cơ quan tỉnh");
        assert_eq!(committee_name(GrassrootsCommittee, "Đảng bộ Sở Tài chính"), "Đảng ủy Sở Tài chính");
        assert_eq!(committee_name(Cell, "Chi bộ Văn phòng"), "Chi bộ Văn phòng");
        assert_eq!(body_under_committee("Văn phòng Tỉnh ủy"), "Văn phòng");
        assert_eq!(body_under_committee("Văn phòng Đảng ủy Khối"), "Văn phòng");
        assert_eq!(body_under_committee("Ban Tổ chức Tỉnh ủy"), "Ban Tổ chức");
        assert_eq!(body_under_committee("Văn phòng"), "Văn phòng");
    }

    fn ok(s: &str) -> (u32, String, String) {
        let n = parse_number(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (n.serial, n.doc_type, n.issuer)
    }

    #[test]
    fn parses_party_numbers() {
        assert_eq!(ok("Số 35-CT/TW"), (35, "CT".into(), "TW".into()));
        assert_eq!(ok("153-KH/TU"), (153, "KH".into(), "TU".into()));
        assert_eq!(ok("05-CT/TU"), (5, "CT".into(), "TU".into()));
        assert_eq!(ok("số 294-qđ/tw"), (294, "QĐ".into(), "TW".into()));
        assert_eq!(ok("Số 24 - BS / UBKTTU"), (24, "BS".into(), "UBKTTU".into()));
        assert_eq!(ok("147-CTHĐ/TU"), (147, "CTHĐ".into(), "TU".into()));
        assert_eq!(ok("65-KH/ĐU"), (65, "KH".into(), "ĐU".into()));
        assert_eq!(ok("12-ctr/tu").1, "CTr");
        assert_eq!(parse_number("05-CT/TU").unwrap().canonical(), "05-CT/TU");
        assert_eq!(parse_number("5-CT/TU").unwrap().canonical(), "05-CT/TU");
        assert_eq!(parse_number("35-CT/TW").unwrap().type_name(), "Chỉ thị");
    }

    #[test]
    fn refuses_other_forms_with_a_reason() {
        for bad in ["Số: 123/QĐ-UBND", "123/QĐ-UBND", "CT/TW", "0-CT/TW", "35-XYZ/TW", "35-CT", "35CT/TW", "35-CT/", ""]
        {
            let e = parse_number(bad).expect_err(bad);
            assert!(!e.is_ascii(), "{bad}: the reason is in Vietnamese");
        }
    }

    #[test]
    fn committees_sign_with_their_usual_symbol() {
        use crate::orgs::OrgKind;
        assert_eq!(default_issuer(OrgKind::Province, "Đảng bộ tỉnh Nghệ An", false), "TU");
        assert_eq!(default_issuer(OrgKind::Province, "Đảng bộ tỉnh Nghệ An", true), "VPTU");
        assert_eq!(default_issuer(OrgKind::Committee, "Đảng bộ Khối các cơ quan tỉnh", false), "ĐUK");
        assert_eq!(default_issuer(OrgKind::Committee, "Đảng bộ phường Trường Vinh", false), "ĐU");
        assert_eq!(default_issuer(OrgKind::Cell, "Chi bộ Văn phòng", false), "CB");
        for kind in OrgKind::ALL {
            let symbol = default_issuer(kind, "Khối", true);
            assert!(parse_number(&format!("1-BC/{symbol}")).is_ok(), "{symbol}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_number(&s);
        }

        #[test]
        fn canonical_round_trips(n in 1u32..100_000, t in 0usize..15, issuer in "[A-Z]{1,8}") {
            let doc_type = HD36_DOCUMENT_TYPES[t].0;
            let parsed = parse_number(&format!("Số {n}-{doc_type}/{issuer}")).unwrap();
            prop_assert_eq!(parse_number(&parsed.canonical()).unwrap(), parsed.clone());
            prop_assert_eq!(parsed.serial, n);
        }
    }
}
