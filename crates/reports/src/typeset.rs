//! PDF through Typst, compiled in-process: a `World` with the template, the data as
//! `/data.json`, the embedded Liberation Serif and nothing else (no files, no network, no
//! system fonts, no clock).

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::ReportError;
use crate::content::Content;

/// The templates, each compiled with its own `/data.json`.
#[derive(Clone, Copy)]
pub(crate) enum Template {
    /// The quarterly task report (Hướng dẫn 36-HD/VPTW).
    Report,
    /// A cell's minutes of a year.
    MinutesBook,
    /// A ballot paper of an election.
    Ballot,
}

const TEMPLATES: [(&str, &str); 3] = [
    ("/report.typ", include_str!("report.typ")),
    ("/minutes_book.typ", include_str!("minutes_book.typ")),
    ("/ballot.typ", include_str!("ballot.typ")),
];

/// Liberation Serif 2.1.5 (SIL OFL 1.1, see fonts/LICENSE): Times New Roman's metrics and
/// every Vietnamese letter.
const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// What every compilation shares, built once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    mains: Vec<Source>,
    data_id: FileId,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            mains: TEMPLATES.iter().map(|(path, text)| Source::new(file_id(path), (*text).to_owned())).collect(),
            data_id: file_id("/data.json"),
        }
    })
}

struct ReportWorld {
    shared: &'static Shared,
    main: &'static Source,
    data: Bytes,
}

impl ReportWorld {
    fn not_found(id: FileId) -> FileError {
        FileError::NotFound(id.get().vpath().get_with_slash().into())
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(Self::not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(Self::not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn describe(diags: &[SourceDiagnostic]) -> String {
    diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

pub(crate) fn pdf(content: &Content) -> Result<Vec<u8>, ReportError> {
    compile(Template::Report, &content.to_json())
}

/// A report of many table rows, laid out in parts of about `rows_per_part` rows and exported as
/// one PDF. Typst's layout holds its caches for a whole document; one of tens of thousands of
/// rows took gigabytes, while each part's caches are dropped before the next part is laid out,
/// so memory follows the part, not the report, and only the finished pages are kept.
pub(crate) fn pdf_in_parts(content: &Content, rows_per_part: usize) -> Result<Vec<u8>, ReportError> {
    let parts = content.parts(rows_per_part.max(1));
    if parts.len() <= 1 {
        return pdf(content);
    }
    let shared = shared();
    let main = &shared.mains[Template::Report as usize];
    let (mut pages, mut info) = (typst::ecow::EcoVec::new(), None);
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let mut data = part.to_json();
        data["part"] = serde_json::json!(match i {
            0 => "first",
            i if i == last => "last",
            _ => "middle",
        });
        data["first_page"] = serde_json::json!(pages.len() + 1);
        let data = serde_json::to_vec(&data).map_err(|e| ReportError::Pdf(e.to_string()))?;
        let world = ReportWorld { shared, main, data: Bytes::new(data) };
        let document = typst::compile::<PagedDocument>(&world).output.map_err(|e| ReportError::Pdf(describe(&e)));
        typst::comemo::evict(0);
        let document = document?;
        info.get_or_insert_with(|| typst::model::Document::info(&document).clone());
        pages.extend(document.pages().iter().cloned());
    }
    let document = PagedDocument::new(pages, info.unwrap_or_default());
    typst_pdf::pdf(&document, &PdfOptions::default()).map_err(|e| ReportError::Pdf(describe(&e)))
}

/// Lays out `template` with `data` as its `/data.json`.
pub(crate) fn compile(template: Template, data: &serde_json::Value) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_vec(data).map_err(|e| ReportError::Pdf(e.to_string()))?;
    let shared = shared();
    let main = &shared.mains[template as usize];
    let world = ReportWorld { shared, main, data: Bytes::new(data) };
    let document = typst::compile::<PagedDocument>(&world).output.map_err(|e| ReportError::Pdf(describe(&e)));
    // Keep Typst's memoisation cache small: every report has different data.
    typst::comemo::evict(10);
    let pdf = typst_pdf::pdf(&document?, &PdfOptions::default()).map_err(|e| ReportError::Pdf(describe(&e)))?;
    Ok(pdf)
}
