//! The words of the report, computed once and laid out by each format.

use chrono::{Datelike, NaiveDate};
pub(crate) use dangvu_domain::vi::date;
use dangvu_domain::vi::number;
use serde_json::{Value, json};

use crate::{Counts, TaskLine, TaskReport};

/// A table as the formats draw it: relative column widths, one alignment per column
/// (`left`, `center`, `right`), a header row, body rows and an optional bold total row.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub widths: Vec<f64>,
    pub aligns: Vec<&'static str>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub foot: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub table: Option<Table>,
}

#[derive(Debug, Clone)]
pub(crate) struct Appendix {
    pub heading: String,
    pub period: String,
    pub note: String,
    pub table: Table,
}

#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub doc_title: String,
    pub author: String,
    /// Capitals; one entry per line when the caller broke the name with `\n`.
    pub superior: Vec<String>,
    pub issuer: Vec<String>,
    pub number: String,
    pub date_line: String,
    pub type_name: String,
    pub title: String,
    pub opening: Vec<String>,
    pub sections: Vec<Section>,
    pub recipients: Vec<String>,
    pub signer_title: Vec<String>,
    pub signer_name: String,
    pub appendix: Option<Appendix>,
    /// The audit log's head when printed ([`crate::AuditHead::line`]), at the foot.
    pub anchor: Option<String>,
}

pub(crate) const PARTY_TITLE: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";
pub(crate) const TYPE_NAME: &str = "BÁO CÁO";
pub(crate) const APPENDIX_HEADING: &str = "PHỤ LỤC: DANH SÁCH NHIỆM VỤ";

/// `66,7`: a share in per cent with one decimal and a decimal comma; `0` of nothing.
pub(crate) fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0".to_owned();
    }
    let tenths = (part as f64 * 1000.0 / whole as f64).round() as i64;
    let (int, frac) = (tenths / 10, tenths % 10);
    if frac == 0 { number(int) } else { format!("{},{}", number(int), frac.abs()) }
}

/// `Nghệ An, ngày 05 tháng 07 năm 2025`.
/// Without a place: `Ngày 05 tháng 07 năm 2025`.
pub(crate) fn date_line(place: &str, d: NaiveDate) -> String {
    if place.is_empty() {
        return format!("Ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year());
    }
    format!("{place}, ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

/// The non-empty lines of a name, trimmed.
fn lines(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

fn due(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_else(|| "Thường xuyên".to_owned())
}

fn task_table(tasks: &[TaskLine]) -> Table {
    Table {
        widths: vec![1.1, 6.8, 4.2, 2.5, 2.9, 2.1],
        aligns: vec!["center", "left", "left", "center", "left", "center"],
        header: ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Tiến độ (%)"]
            .map(String::from)
            .to_vec(),
        rows: tasks
            .iter()
            .map(|t| {
                vec![
                    t.ordinal.to_string(),
                    t.title.clone(),
                    t.lead.clone(),
                    due(t.due),
                    t.status.clone(),
                    t.progress.to_string(),
                ]
            })
            .collect(),
        foot: None,
    }
}

fn count_cells(c: &Counts) -> [String; 5] {
    [number(c.total), number(c.done_on_time), number(c.overdue), number(c.open), number(c.done_late)]
}

impl Content {
    pub(crate) fn of(r: &TaskReport) -> Content {
        let t = &r.totals;
        let period = r.period_label.trim();

        let opening = vec![format!(
            "Thực hiện chế độ báo cáo định kỳ, trên cơ sở theo dõi, tổng hợp tình hình thực hiện các nhiệm vụ \
             của các cơ quan, đơn vị trong {org}, báo cáo kết quả thực hiện các nhiệm vụ {period} như sau:",
            org = r.org_name.trim(),
        )];

        let general = Section {
            heading: "I. KẾT QUẢ CHUNG".to_owned(),
            paragraphs: vec![if t.total == 0 {
                format!("Trong {period}, không có nhiệm vụ nào đến hạn hoặc đang thực hiện.")
            } else {
                format!(
                    "Trong {period}, tổng số nhiệm vụ được theo dõi là {total} nhiệm vụ; trong đó: hoàn thành đúng \
                     hạn {on_time} nhiệm vụ ({p_on_time}%), hoàn thành quá hạn {late} nhiệm vụ ({p_late}%), đang \
                     thực hiện trong hạn {open} nhiệm vụ ({p_open}%), quá hạn chưa hoàn thành {overdue} nhiệm vụ \
                     ({p_overdue}%).",
                    total = number(t.total),
                    on_time = number(t.done_on_time),
                    p_on_time = percent(t.done_on_time, t.total),
                    late = number(t.done_late),
                    p_late = percent(t.done_late, t.total),
                    open = number(t.open),
                    p_open = percent(t.open, t.total),
                    overdue = number(t.overdue),
                    p_overdue = percent(t.overdue, t.total),
                )
            }],
            table: (t.total > 0).then(|| Table {
                widths: vec![1.0, 6.0, 2.4, 2.4],
                aligns: vec!["center", "left", "right", "right"],
                header: ["TT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"].map(String::from).to_vec(),
                rows: [
                    ("Hoàn thành đúng hạn", t.done_on_time),
                    ("Hoàn thành quá hạn", t.done_late),
                    ("Đang thực hiện trong hạn", t.open),
                    ("Quá hạn chưa hoàn thành", t.overdue),
                ]
                .iter()
                .enumerate()
                .map(|(i, (label, n))| vec![(i + 1).to_string(), (*label).to_owned(), number(*n), percent(*n, t.total)])
                .collect(),
                foot: Some(vec![String::new(), "Tổng số nhiệm vụ".to_owned(), number(t.total), "100".to_owned()]),
            }),
        };

        let by_unit = Section {
            heading: "II. THEO ĐƠN VỊ CHỦ TRÌ".to_owned(),
            paragraphs: vec![if r.by_unit.is_empty() {
                "Trong kỳ không có đơn vị nào được giao chủ trì nhiệm vụ.".to_owned()
            } else {
                format!(
                    "Có {} đơn vị được giao chủ trì thực hiện nhiệm vụ; kết quả của từng đơn vị như sau:",
                    number(r.by_unit.len() as i64)
                )
            }],
            table: (!r.by_unit.is_empty()).then(|| Table {
                widths: vec![0.9, 5.4, 1.6, 1.7, 1.7, 2.0, 2.2],
                aligns: vec!["center", "left", "right", "right", "right", "right", "right"],
                header: ["TT", "Đơn vị", "Tổng số", "Đúng hạn", "Quá hạn", "Đang thực hiện", "Hoàn thành quá hạn"]
                    .map(String::from)
                    .to_vec(),
                rows: r
                    .by_unit
                    .iter()
                    .enumerate()
                    .map(|(i, u)| {
                        let mut row = vec![(i + 1).to_string(), u.name.clone()];
                        row.extend(count_cells(&u.counts));
                        row
                    })
                    .collect(),
                foot: Some({
                    let mut row = vec![String::new(), "Tổng cộng".to_owned()];
                    row.extend(count_cells(t));
                    row
                }),
            }),
        };

        let late = Section {
            heading: "III. CÁC NHIỆM VỤ CHẬM, QUÁ HẠN".to_owned(),
            paragraphs: vec![if r.late.is_empty() {
                format!("Trong {period}, không có nhiệm vụ chậm, quá hạn.")
            } else {
                format!(
                    "Trong {period}, có {n} nhiệm vụ chậm, quá hạn (quá hạn chưa hoàn thành {overdue}, hoàn thành \
                     quá hạn {done_late}), cụ thể như sau:",
                    n = number(r.late.len() as i64),
                    overdue = number(t.overdue),
                    done_late = number(t.done_late),
                )
            }],
            table: (!r.late.is_empty()).then(|| task_table(&r.late)),
        };

        let recommend = Section {
            heading: "IV. KIẾN NGHỊ".to_owned(),
            paragraphs: if r.late.is_empty() {
                vec![
                    "Đề nghị các cơ quan, đơn vị tiếp tục theo dõi, đôn đốc, bảo đảm hoàn thành các nhiệm vụ được \
                     giao đúng thời hạn, chất lượng; kịp thời báo cáo khó khăn, vướng mắc (nếu có)."
                        .to_owned(),
                ]
            } else {
                vec![
                    "1. Đề nghị các cơ quan, đơn vị chủ trì có nhiệm vụ chậm, quá hạn khẩn trương rà soát, tập trung \
                     chỉ đạo hoàn thành; báo cáo rõ nguyên nhân, khó khăn, vướng mắc và đề xuất điều chỉnh thời \
                     hạn (nếu có)."
                        .to_owned(),
                    "2. Các cơ quan, đơn vị cập nhật đầy đủ, kịp thời tiến độ thực hiện nhiệm vụ trên hệ thống để \
                     phục vụ việc theo dõi, tổng hợp, báo cáo cấp ủy theo quy định."
                        .to_owned(),
                ]
            },
            table: None,
        };

        let number_text = r.number.trim();
        let appendix = (!r.tasks.is_empty()).then(|| Appendix {
            heading: APPENDIX_HEADING.to_owned(),
            period: period.to_owned(),
            note: format!(
                "(Kèm theo Báo cáo {} ngày {})",
                match number_text.strip_prefix("Số ") {
                    Some(rest) => format!("số {rest}"),
                    None => number_text.to_owned(),
                },
                date(r.date)
            ),
            table: task_table(&r.tasks),
        });

        let issuer = lines(&r.issuing_body.to_uppercase());
        Content {
            doc_title: format!("{TYPE_NAME} {}", r.title.trim()),
            author: issuer.join(" "),
            superior: lines(&r.superior_body.to_uppercase()),
            issuer,
            number: r.number.clone(),
            date_line: date_line(r.place.trim(), r.date),
            type_name: TYPE_NAME.to_owned(),
            title: r.title.trim().to_owned(),
            opening,
            sections: vec![general, by_unit, late, recommend],
            recipients: r.recipients.clone(),
            signer_title: lines(&r.signer_title),
            signer_name: r.signer_name.trim().to_owned(),
            appendix,
            anchor: r.audit_head.as_ref().map(crate::AuditHead::line),
        }
    }

    /// The data file the Typst template reads.
    /// The content cut into parts of at most about `rows` table rows each: the sections in
    /// order, a long table continued in the next part under its heading marked "(tiếp theo)".
    /// Each part keeps the header's fields; the template shows them only in the first.
    pub(crate) fn parts(&self, rows: usize) -> Vec<Content> {
        let empty = || Content { sections: Vec::new(), ..self.clone() };
        let mut parts = vec![empty()];
        let mut filled = 0;
        for section in &self.sections {
            let Some(table) = &section.table else {
                if let Some(p) = parts.last_mut() {
                    p.sections.push(section.clone());
                }
                continue;
            };
            let mut heading = section.heading.clone();
            let mut paragraphs = section.paragraphs.clone();
            for chunk in table.rows.chunks(rows) {
                if filled > 0 && filled + chunk.len() > rows {
                    parts.push(empty());
                    filled = 0;
                }
                let piece = Section {
                    heading: heading.clone(),
                    paragraphs: std::mem::take(&mut paragraphs),
                    table: Some(Table { rows: chunk.to_vec(), ..table.clone() }),
                };
                if let Some(p) = parts.last_mut() {
                    p.sections.push(piece);
                }
                filled += chunk.len();
                heading = format!("{} (tiếp theo)", section.heading);
            }
        }
        parts
    }

    pub(crate) fn to_json(&self) -> Value {
        fn table(t: &Table) -> Value {
            json!({
                "widths": t.widths,
                "aligns": t.aligns,
                "header": t.header,
                "rows": t.rows,
                "foot": t.foot,
            })
        }
        json!({
            "doc_title": self.doc_title,
            "author": self.author,
            "superior": self.superior,
            "issuer": self.issuer,
            "number": self.number,
            "date_line": self.date_line,
            "type_name": self.type_name,
            "title": self.title,
            "opening": self.opening,
            "sections": self.sections.iter().map(|s| json!({
                "heading": s.heading,
                "paragraphs": s.paragraphs,
                "table": s.table.as_ref().map(table),
            })).collect::<Vec<_>>(),
            "recipients": self.recipients,
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "anchor": self.anchor,
            "appendix": self.appendix.as_ref().map(|a| json!({
                "heading": a.heading,
                "period": a.period,
                "note": a.note,
                "table": table(&a.table),
            })),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(heading: &str, rows: usize) -> Section {
        Section {
            heading: heading.into(),
            paragraphs: vec![format!("{heading} mở đầu")],
            table: Some(Table {
                widths: vec![1.0],
                aligns: vec!["left"],
                header: vec!["STT".into()],
                rows: (0..rows).map(|i| vec![format!("{heading}-{i}")]).collect(),
                foot: None,
            }),
        }
    }

    #[test]
    fn a_long_report_is_cut_into_parts_that_keep_every_row_in_order() {
        let content = Content {
            doc_title: String::new(),
            author: String::new(),
            superior: Vec::new(),
            issuer: Vec::new(),
            number: String::new(),
            date_line: String::new(),
            type_name: String::new(),
            title: String::new(),
            opening: Vec::new(),
            sections: vec![
                section("Đoạn 1", 3),
                section("Đoạn 2", 7),
                Section { heading: "Kết".into(), paragraphs: vec!["x".into()], table: None },
            ],
            recipients: Vec::new(),
            signer_title: Vec::new(),
            signer_name: String::new(),
            appendix: None,
            anchor: None,
        };
        let parts = content.parts(4);
        let rows: Vec<String> = parts
            .iter()
            .flat_map(|p| {
                p.sections.iter().filter_map(|s| s.table.as_ref()).flat_map(|t| t.rows.iter().map(|r| r[0].clone()))
            })
            .collect();
        let all: Vec<String> = content
            .sections
            .iter()
            .filter_map(|s| s.table.as_ref())
            .flat_map(|t| t.rows.iter().map(|r| r[0].clone()))
            .collect();
        assert_eq!(rows, all);
        for p in &parts {
            let n: usize = p.sections.iter().filter_map(|s| s.table.as_ref()).map(|t| t.rows.len()).sum();
            assert!(n <= 4, "a part holds at most 4 rows: {n}");
        }
        let headings: Vec<&str> = parts.iter().flat_map(|p| p.sections.iter().map(|s| s.heading.as_str())).collect();
        assert_eq!(headings, ["Đoạn 1", "Đoạn 2", "Đoạn 2 (tiếp theo)", "Kết"]);
        // The section's paragraphs open it once, not in its continuation.
        assert_eq!(parts[2].sections[0].paragraphs, Vec::<String>::new());
    }

    #[test]
    fn formats_the_vietnamese_way() {
        assert_eq!(number(0), "0");
        assert_eq!(number(5112), "5.112");
        assert_eq!(number(-1_234_567), "-1.234.567");
        assert_eq!(percent(2, 3), "66,7");
        assert_eq!(percent(1, 2), "50");
        assert_eq!(percent(5, 0), "0");
        assert_eq!(percent(12345, 12345), "100");
        let d = NaiveDate::from_ymd_opt(2025, 7, 5).unwrap();
        assert_eq!(date(d), "05/07/2025");
        assert_eq!(date_line("Nghệ An", d), "Nghệ An, ngày 05 tháng 07 năm 2025");
    }
}
