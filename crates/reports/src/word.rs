//! DOCX through docx-rs: the same layout as the PDF, in Times New Roman (set in all four
//! font slots, else Word falls back to another font for Vietnamese); no font embedded.

use docx_rs::{
    AlignmentType, BreakType, Docx, Header, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableRow, VAlignType, WidthType,
};

use crate::ReportError;
use crate::content::{self, Content};

const FONT: &str = "Times New Roman";

/// Twentieths of a point per millimetre.
const MM: f64 = 56.692_913;
const PAGE_W: u32 = 11_906; // A4, 210 mm
const PAGE_H: u32 = 16_838; // 297 mm
const LEFT: f64 = 30.0;
const RIGHT: f64 = 15.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 20.0;

fn twips(mm: f64) -> i32 {
    (mm * MM).round() as i32
}

/// The width of the text column, in twentieths of a point.
fn text_width() -> usize {
    (PAGE_W as i32 - twips(LEFT) - twips(RIGHT)) as usize
}

fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT)
}

#[derive(Clone, Copy)]
struct Style {
    /// Points.
    size: usize,
    bold: bool,
    italic: bool,
    underline: bool,
}

const BODY: Style = Style { size: 14, bold: false, italic: false, underline: false };

impl Style {
    fn size(self, size: usize) -> Style {
        Style { size, ..self }
    }
    fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
    fn italic(self) -> Style {
        Style { italic: true, ..self }
    }
    fn underline(self) -> Style {
        Style { underline: true, ..self }
    }
}

fn run(text: &str, s: Style) -> Run {
    let mut r = Run::new().add_text(text).size(s.size * 2).fonts(fonts());
    if s.bold {
        r = r.bold();
    }
    if s.italic {
        r = r.italic();
    }
    if s.underline {
        r = r.underline("single");
    }
    r
}

/// Spacing before and after in points, line height in 240ths of a line.
fn spacing(before: u32, after: u32, line: i32) -> LineSpacing {
    LineSpacing::new().before(before * 20).after(after * 20).line(line)
}

/// A line of the header blocks and the tables: no indent, tight spacing.
fn line(text: &str, s: Style, align: AlignmentType) -> Paragraph {
    Paragraph::new().add_run(run(text, s)).align(align).line_spacing(spacing(0, 0, 240))
}

/// A body paragraph: justified, first line indented 1 cm.
fn body(text: &str, s: Style) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, s))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(twips(10.0))), None, None)
        .line_spacing(spacing(0, 6, 276))
}

fn empty(points: u32) -> Paragraph {
    Paragraph::new().line_spacing(
        LineSpacing::new().before(0).after(0).line((points * 20) as i32).line_rule(docx_rs::LineSpacingType::Exact),
    )
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs.into_iter().fold(TableCell::new().width(width, WidthType::Dxa), |c, p| c.add_paragraph(p))
}

fn align_of(a: &str) -> AlignmentType {
    match a {
        "left" => AlignmentType::Left,
        "right" => AlignmentType::Right,
        _ => AlignmentType::Center,
    }
}

fn table(t: &content::Table) -> Table {
    let total: f64 = t.widths.iter().sum();
    let widths: Vec<usize> = t.widths.iter().map(|w| ((w / total) * text_width() as f64).floor() as usize).collect();
    let cell_style = BODY.size(12);
    let row = |cells: &[String], header: bool| {
        TableRow::new(
            cells
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let (s, a) = if header {
                        (cell_style.bold(), AlignmentType::Center)
                    } else {
                        (cell_style, align_of(t.aligns[i]))
                    };
                    cell(widths[i], vec![line(text, s, a).line_spacing(spacing(2, 2, 240))])
                        .vertical_align(VAlignType::Center)
                })
                .collect(),
        )
    };
    let mut rows = vec![row(&t.header, true)];
    rows.extend(t.rows.iter().map(|r| row(r, false)));
    if let Some(foot) = &t.foot {
        rows.push(TableRow::new(
            foot.iter()
                .enumerate()
                .map(|(i, text)| {
                    cell(
                        widths[i],
                        vec![line(text, cell_style.bold(), align_of(t.aligns[i])).line_spacing(spacing(2, 2, 240))],
                    )
                    .vertical_align(VAlignType::Center)
                })
                .collect(),
        ));
    }
    Table::new(rows).set_grid(widths).width(text_width(), WidthType::Dxa)
}

/// About how many capitals of 14pt Times fit on one line of the left header block.
const HEADER_CHARS: usize = 22;

/// The lines of a header name: as given, or one long line broken in two of about the same
/// length (Word would leave the last word alone on the second line).
fn header_lines(lines: &[String]) -> Vec<String> {
    let [name] = lines else { return lines.to_vec() };
    let len = name.chars().count();
    if len <= HEADER_CHARS {
        return lines.to_vec();
    }
    let best = name
        .char_indices()
        .filter(|(_, ch)| *ch == ' ')
        .map(|(i, _)| i)
        .min_by_key(|i| name[..*i].chars().count().abs_diff(len / 2));
    match best {
        Some(i) => vec![name[..i].trim().to_owned(), name[i..].trim().to_owned()],
        None => lines.to_vec(),
    }
}

/// The header: left the superior and issuing bodies, "*" and the number; right the Party
/// title underlined (the rule the width of the text) and the place and date.
fn header(c: &Content) -> Table {
    let left = text_width() * 44 / 100;
    let right = text_width() - left;
    let center = AlignmentType::Center;
    let rows = vec![
        TableRow::new(vec![
            cell(left, header_lines(&c.superior).iter().map(|l| line(l, BODY, center)).collect()),
            cell(right, vec![line(content::PARTY_TITLE, BODY.size(15).bold().underline(), center)]),
        ]),
        TableRow::new(vec![
            cell(left, header_lines(&c.issuer).iter().map(|l| line(l, BODY.bold(), center)).collect()),
            cell(right, vec![line("", BODY, center)]),
        ]),
        TableRow::new(vec![cell(left, vec![line("*", BODY, center)]), cell(right, vec![line("", BODY, center)])]),
        TableRow::new(vec![
            cell(left, vec![line(&c.number, BODY, center)]),
            cell(right, vec![line(&c.date_line, BODY.italic(), center)]),
        ]),
    ];
    Table::without_borders(rows).set_grid(vec![left, right]).width(text_width(), WidthType::Dxa)
}

/// The bottom: "Nơi nhận:" and the recipients left, the signature block right.
fn signature(c: &Content) -> Table {
    let half = text_width() / 2;
    let mut left = vec![line("Nơi nhận:", BODY.size(12).bold().italic(), AlignmentType::Left)];
    left.extend(c.recipients.iter().map(|r| line(r, BODY.size(11), AlignmentType::Left)));
    let mut right: Vec<Paragraph> =
        c.signer_title.iter().map(|l| line(l, BODY.bold(), AlignmentType::Center)).collect();
    right.push(empty(80));
    right.push(line(&c.signer_name, BODY.bold(), AlignmentType::Center));
    Table::without_borders(vec![TableRow::new(vec![cell(half, left), cell(text_width() - half, right)])])
        .set_grid(vec![half, text_width() - half])
        .width(text_width(), WidthType::Dxa)
}

pub(crate) fn docx(c: &Content) -> Result<Vec<u8>, ReportError> {
    let center = AlignmentType::Center;
    let page_number = Header::new()
        .add_paragraph(Paragraph::new().add_page_num(PageNum::new()).align(center).size(26).fonts(fonts()));
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(twips(TOP))
                .bottom(twips(BOTTOM))
                .left(twips(LEFT))
                .right(twips(RIGHT))
                .header(twips(10.0))
                .footer(twips(10.0)),
        )
        .default_fonts(fonts())
        .default_size(28)
        .header(page_number)
        .first_header(Header::new())
        .title_pg()
        .add_table(header(c))
        .add_paragraph(empty(14))
        .add_paragraph(line(&c.type_name, BODY.size(16).bold(), center))
        .add_paragraph(line(&c.title, BODY.bold(), center))
        // The short rule under the trích yếu: underlined no-break spaces, about 3 cm.
        .add_paragraph(line(&"\u{a0}".repeat(24), BODY.underline(), center).line_spacing(spacing(0, 12, 240)));

    for p in &c.opening {
        doc = doc.add_paragraph(body(p, BODY));
    }
    for s in &c.sections {
        doc = doc.add_paragraph(body(&s.heading, BODY.bold()).keep_next(true));
        for p in &s.paragraphs {
            doc = doc.add_paragraph(body(p, BODY));
        }
        if let Some(t) = &s.table {
            doc = doc.add_table(table(t)).add_paragraph(empty(6));
        }
    }
    doc = doc.add_paragraph(empty(10)).add_table(signature(c));
    if let Some(anchor) = &c.anchor {
        doc = doc.add_paragraph(empty(6)).add_paragraph(line(anchor, BODY.size(8), AlignmentType::Left));
    }

    if let Some(a) = &c.appendix {
        doc = doc
            .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            .add_paragraph(line(&a.heading, BODY.bold(), center))
            .add_paragraph(line(&a.period, BODY.bold(), center))
            .add_paragraph(line(&a.note, BODY.size(13).italic(), center).line_spacing(spacing(0, 10, 240)))
            .add_table(table(&a.table));
    }

    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::header_lines;

    #[test]
    fn long_header_names_break_in_the_middle() {
        let one = |s: &str| vec![s.to_owned()];
        assert_eq!(header_lines(&one("ĐẢNG BỘ TỈNH NGHỆ AN")), one("ĐẢNG BỘ TỈNH NGHỆ AN"));
        assert_eq!(header_lines(&one("ĐẢNG ỦY PHƯỜNG TRƯỜNG VINH")), vec!["ĐẢNG ỦY PHƯỜNG", "TRƯỜNG VINH"]);
        let given = vec!["ĐẢNG ỦY KHỐI CÁC CƠ QUAN".to_owned(), "VÀ DOANH NGHIỆP TỈNH".to_owned()];
        assert_eq!(header_lines(&given), given);
    }
}
