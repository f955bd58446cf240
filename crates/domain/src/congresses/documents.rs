//! The numbers of a congress's documents (Hướng dẫn 36-HD/VPTW, `domain-rules.md` §2.9, §3.4):
//! the documents of the congress and of its bodies (presidium, secretariat, credentials
//! committee, counting board) share one series from 01, whatever their type, from the
//! preparatory session to the closing day. The congress, or the body, is the issuer.

use serde::{Deserialize, Serialize};

use crate::tasks::document::{DocumentNumber, HD36_DOCUMENT_TYPES};

/// Who issues a document at a congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CongressBody {
    /// Đại hội: its resolution, its minutes.
    Congress,
    /// Đoàn Chủ tịch.
    Presidium,
    /// Đoàn Thư ký.
    Secretariat,
    /// Ban Thẩm tra tư cách đại biểu.
    Credentials,
    /// Ban Kiểm phiếu.
    CountingBoard,
}

impl CongressBody {
    pub const ALL: [CongressBody; 5] = [
        CongressBody::Congress,
        CongressBody::Presidium,
        CongressBody::Secretariat,
        CongressBody::Credentials,
        CongressBody::CountingBoard,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CongressBody::Congress => "congress",
            CongressBody::Presidium => "presidium",
            CongressBody::Secretariat => "secretariat",
            CongressBody::Credentials => "credentials",
            CongressBody::CountingBoard => "counting_board",
        }
    }

    pub fn parse(s: &str) -> Option<CongressBody> {
        CongressBody::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CongressBody::Congress => "Đại hội",
            CongressBody::Presidium => "Đoàn Chủ tịch",
            CongressBody::Secretariat => "Đoàn Thư ký",
            CongressBody::Credentials => "Ban Thẩm tra tư cách đại biểu",
            CongressBody::CountingBoard => "Ban Kiểm phiếu",
        }
    }

    /// The issuer's symbol after the slash. The official abbreviation table of 36-HD/VPTW was
    /// not found (`domain-rules.md` §3.7): these are the abbreviations of the bodies' names as
    /// congress documents write them.
    pub fn symbol(self) -> &'static str {
        match self {
            CongressBody::Congress => "ĐH",
            CongressBody::Presidium => "ĐCT",
            CongressBody::Secretariat => "ĐTK",
            CongressBody::Credentials => "BTTTC",
            CongressBody::CountingBoard => "BKP",
        }
    }
}

/// The number of the congress's `serial`-th document, of type `doc_type` (a 36-HD/VPTW type
/// symbol, in any case), issued by `body`: `01-NQ/ĐH`. Answers why not when the type is not
/// one of the guide's.
pub fn congress_document_number(serial: u32, doc_type: &str, body: CongressBody) -> Result<DocumentNumber, String> {
    let doc_type = HD36_DOCUMENT_TYPES
        .iter()
        .find(|(sym, _)| sym.to_uppercase() == doc_type.trim().to_uppercase())
        .map(|(sym, _)| (*sym).to_owned())
        .ok_or_else(|| {
            let known: Vec<&str> = HD36_DOCUMENT_TYPES.iter().map(|(s, _)| *s).collect();
            format!("Loại văn bản '{}' không có trong danh mục ({})", doc_type.trim(), known.join(", "))
        })?;
    Ok(DocumentNumber { serial, doc_type, issuer: body.symbol().to_owned() })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::tasks::document::parse_number;

    #[test]
    fn the_series_is_shared_and_written_from_01() {
        let first = congress_document_number(1, "nq", CongressBody::Congress).unwrap();
        assert_eq!(first.canonical(), "01-NQ/ĐH");
        assert_eq!(congress_document_number(12, "TTr", CongressBody::Presidium).unwrap().canonical(), "12-TTr/ĐCT");
        assert!(congress_document_number(3, "XYZ", CongressBody::Congress).is_err());
    }

    proptest! {
        /// Every number a congress writes reads back as the registry parses numbers.
        #[test]
        fn every_congress_number_reads_back(serial in 1u32..10_000, t in 0usize..HD36_DOCUMENT_TYPES.len(), b in 0usize..5) {
            let body = CongressBody::ALL[b];
            let n = congress_document_number(serial, HD36_DOCUMENT_TYPES[t].0, body).unwrap();
            prop_assert_eq!(parse_number(&n.canonical()).unwrap(), n);
        }
    }
}
