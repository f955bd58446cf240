//! The ballot paper of an election, printed by dangvu (A5 or A4): the names in the list's
//! order, the place for the convening committee's stamp and the instruction line; with no
//! surplus, the four columns STT, họ và tên, đồng ý, không đồng ý (Điều 15, QĐ 190-QĐ/TW).

use serde_json::json;

use crate::ReportError;
use crate::typeset::{Template, compile};

pub struct BallotPaper {
    /// The convening committee, whose stamp the ballot carries.
    pub convening: String,
    pub title: String,
    /// Names struck through (a list with a surplus), or two boxes per name (none).
    pub surplus: bool,
    /// In ballot order.
    pub names: Vec<String>,
    /// A5 (the usual size) or A4 for a long list.
    pub a4: bool,
}

/// The ballot as a one-page PDF. CPU-bound: call it from `spawn_blocking` in async code.
pub fn ballot_pdf(b: &BallotPaper) -> Result<Vec<u8>, ReportError> {
    let instruction = if b.surplus {
        "Gạch ngang cả họ và tên người không bầu. Phiếu bầu quá số lượng cần bầu, hoặc gạch hết tên, là phiếu không hợp lệ."
    } else {
        "Đánh dấu X vào một ô \"Đồng ý\" hoặc \"Không đồng ý\" cho từng người."
    };
    let data = json!({
        "doc_title": format!("Phiếu bầu cử: {}", b.title),
        "paper": if b.a4 { "a4" } else { "a5" },
        "convening": b.convening.to_uppercase(),
        "title": b.title,
        "surplus": b.surplus,
        "candidates": b.names.iter().enumerate().map(|(i, n)| json!([(i + 1).to_string(), n])).collect::<Vec<_>>(),
        "instruction": instruction,
    });
    compile(Template::Ballot, &data)
}
