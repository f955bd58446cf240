//! The task report of a subtree and period in the Party's document format: the data
//! gathered here, laid out by `dangvu_reports` as PDF, DOCX or XLSX.

use axum::response::Response;
use dangvu_domain::calendar;
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::{BodyKind, OrgKind};
use dangvu_domain::tasks::{Period, TaskStatus};
use dangvu_reports::{Counts, TaskLine, TaskReport, UnitCounts};
use dangvu_store::orgs::{self, Org};
use dangvu_store::tasks;

use crate::AppState;
use crate::error::AppError;

/// The most tasks one report lists; beyond that the appendix would not be read anyway.
const MAX_TASKS: i64 = 20_000;

pub use crate::files::Format;

fn counts(c: &tasks::Counts) -> Counts {
    Counts { total: c.total, open: c.open, overdue: c.overdue, done_on_time: c.done_on_time, done_late: c.done_late }
}

/// "Nghệ An" from "Đảng bộ tỉnh Nghệ An": the locality of the date line.
fn place_of(name: &str) -> String {
    const PREFIXES: [&str; 8] = [
        "Đảng bộ tỉnh ",
        "Đảng bộ thành phố ",
        "Đảng bộ phường ",
        "Đảng bộ xã ",
        "Đảng bộ đặc khu ",
        "Đảng bộ huyện ",
        "Đảng bộ thị xã ",
        "Đảng bộ ",
    ];
    PREFIXES.iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name).to_owned()
}

/// Who signs and how the number reads: the office when the organisation has one.
pub async fn issuer_of(state: &AppState, org: &Org) -> Result<(bool, String), AppError> {
    let office = orgs::bodies(&state.db, org.id).await?.into_iter().any(|b| b.kind == BodyKind::Office);
    Ok((office, dangvu_domain::tasks::document::default_issuer(org.kind, &org.name, office)))
}

/// "Số      -BC/TU" on a draft: the office writes the number in by hand, as it does on
/// paper. Non-breaking spaces keep the gap in every layout.
fn draft_number(symbol: &str) -> String {
    format!("Số{}-BC/{symbol}", "\u{a0}".repeat(8))
}

/// Gathers the report of `org`'s subtree for `period`; `number` is the issued number
/// (`Số 12-BC/TU`), or none on a draft.
pub async fn build(
    state: &AppState,
    org: &Org,
    period: Period,
    number: Option<String>,
) -> Result<TaskReport, AppError> {
    let today = calendar::today();
    let summary = tasks::summary(&state.db, &org.path, today, period.from, period.to).await?;
    let list = tasks::of_period(&state.db, &org.path, today, period.from, period.to, MAX_TASKS).await?;
    let line = |(i, t): (usize, &tasks::Task)| TaskLine {
        ordinal: i + 1,
        title: t.title.clone(),
        lead: t.lead_name.clone(),
        due: t.due_on,
        status: t.status.label().to_owned(),
        progress: t.progress,
    };
    // Late work of earlier periods still open when this one began is reported with it.
    let carried = tasks::carried_into(&state.db, &org.path, today, period.from, period.to, MAX_TASKS).await?;
    let late: Vec<&tasks::Task> = list
        .iter()
        .chain(carried.iter())
        .filter(|t| matches!(t.status, TaskStatus::Overdue | TaskStatus::DoneLate))
        .collect();
    let office = orgs::bodies(&state.db, org.id).await?.into_iter().find(|b| b.kind == BodyKind::Office);
    let parent = match org.parent_id {
        Some(p) => orgs::get(&state.db, p, today).await?.map(|o| o.name),
        None => None,
    };
    let (superior, issuer, signer) = match &office {
        // "TỈNH ỦY NGHỆ AN / VĂN PHÒNG": the committee above, the office under it (36-HD/VPTW).
        Some(o) => (
            dangvu_domain::tasks::document::committee_name(org.kind, &org.name),
            dangvu_domain::tasks::document::body_under_committee(&o.name),
            "CHÁNH VĂN PHÒNG".to_owned(),
        ),
        None => {
            let signer = match org.kind {
                OrgKind::Cell | OrgKind::GrassrootsCell => "T/M CHI BỘ\nBÍ THƯ",
                OrgKind::GrassrootsCommittee | OrgKind::SubCommittee => "T/M ĐẢNG ỦY\nBÍ THƯ",
                _ => "T/M BAN THƯỜNG VỤ",
            };
            (parent.clone().unwrap_or_default(), org.name.clone(), signer.to_owned())
        }
    };
    let mut recipients = Vec::new();
    if let Some(p) = &parent {
        recipients.push(format!("- Thường trực {p},"));
    }
    recipients.push(format!("- Ban Thường vụ {},", org.name));
    recipients.push("- Lưu Văn phòng.".to_owned());
    Ok(TaskReport {
        superior_body: superior,
        issuing_body: issuer,
        number: match number {
            Some(n) => n,
            None => draft_number(&issuer_of(state, org).await?.1),
        },
        place: place_of(&org.name),
        date: today,
        title: format!("kết quả thực hiện các nhiệm vụ {}", period.label()),
        org_name: org.name.clone(),
        period_label: period.label(),
        totals: counts(&summary.counts),
        by_unit: summary
            .by_org
            .iter()
            .map(|u| UnitCounts { name: u.name.clone(), counts: counts(&u.counts) })
            .collect(),
        late: late.into_iter().enumerate().map(line).collect(),
        tasks: list.iter().enumerate().map(line).collect(),
        signer_title: signer,
        signer_name: String::new(),
        recipients,
        audit_head: crate::files::audit_head(state).await?,
    })
}

/// Renders the report and answers it as a file to download.
pub async fn file(report: TaskReport, format: Format, period_key: &str) -> Result<Response, AppError> {
    crate::files::printed(format, &format!("bao-cao-nhiem-vu-{period_key}"), move |format| match format {
        Format::Pdf => dangvu_reports::pdf(&report),
        Format::Docx => dangvu_reports::docx(&report),
        Format::Xlsx => dangvu_reports::xlsx(&report),
    })
    .await
}

/// An issued report: registered in the documents registry with the next number of its
/// issuer, with the PDF and DOCX kept as they were signed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub document: dangvu_store::tasks::documents::Document,
    pub files: Vec<dangvu_store::files::FileInfo>,
}

/// Numbers, lays out and registers the report of a subtree in scope (the account's own when
/// `org_id` is absent) for `period`: the office (and admins). Nothing is written when any step
/// fails.
pub async fn issue(
    state: &AppState,
    user: &dangvu_store::accounts::SessionUser,
    org_id: Option<OrgId>,
    period: Period,
    period_key: &str,
    symbol: Option<&str>,
) -> Result<Issued, AppError> {
    use dangvu_store::tasks::documents;
    use dangvu_store::{files, settings};
    super::require_direct(user)?;
    let org = &crate::scope::scope_org(state, user, org_id).await?;
    let symbol = match symbol.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            dangvu_domain::tasks::document::parse_number(&format!("1-BC/{s}"))
                .map_err(|why| AppError::invalid("symbol", why))?
                .issuer
        }
        None => issuer_of(state, org).await?.1,
    };
    let today = calendar::today();
    // A term set to start later has not begun: the current one goes on.
    let term = settings::get(&state.db).await?.term_starts_on.filter(|t| *t <= today);
    let serial = documents::next_serial(&state.db, org.id, "BC", &symbol, term).await?;
    let number = format!("{serial:02}-BC/{symbol}");
    let report = build(state, org, period, Some(format!("Số {number}"))).await?;
    let title = format!("Báo cáo {}", report.title);
    let (pdf, docx) = tokio::task::spawn_blocking(move || {
        Ok::<_, String>((
            dangvu_reports::pdf(&report).map_err(|e| e.to_string())?,
            dangvu_reports::docx(&report).map_err(|e| e.to_string())?,
        ))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let actor = crate::usecase::actor(user);
    let base = format!("bao-cao-nhiem-vu-{period_key}-so-{serial:02}");
    // A concurrent issue of the same number on the same day fails on the registry's
    // unique number, and this one writes nothing.
    let document = crate::usecase::in_tx(state, async |tx| {
        let new = documents::NewDocument {
            number: number.clone(),
            title,
            issued_on: today,
            org_id: Some(org.id),
            congress_id: None,
        };
        let doc = documents::create(tx, &actor, new).await?;
        files::attach_to_document(tx, &actor, doc.id, &format!("{base}.pdf"), pdf).await?;
        files::attach_to_document(tx, &actor, doc.id, &format!("{base}.docx"), docx).await?;
        Ok(doc)
    })
    .await?;
    let files = files::of_document(&state.db, document.id).await?;
    Ok(Issued { document, files })
}
