//! A committee's view of its cells' meetings in a month: which met, which did not, attendance,
//! members absent several meetings running, and the trend (seed 002's figure).

use askama::Template;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::{Month, attendance_rate};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::vi;
use dangvu_store::accounts::SessionUser;
use dangvu_store::cell_meetings;
use dangvu_store::orgs::Org;

use crate::AppState;
use crate::error::AppError;
use crate::pages::{Layout, PageResult, render};

/// The most cells a page lists; the XLSX export has all of them.
const PAGE_CELLS: usize = 500;

pub struct Bar {
    pub label: String,
    pub x: i64,
    pub met_y: i64,
    pub met_h: i64,
    pub regular_y: i64,
    pub regular_h: i64,
    pub title: String,
}

pub struct CellLine {
    pub org_id: OrgId,
    pub name: String,
    /// The organisation the cell belongs to.
    pub parent: String,
    pub regular: i64,
    pub thematic: i64,
    pub attendance: String,
    pub thematic_in_quarter: i64,
    pub official_members: i64,
}

pub struct UnitLine {
    pub org_id: OrgId,
    pub name: String,
    pub cells: i64,
    pub cells_met: i64,
    pub share: String,
    pub attendance: String,
}

pub struct AbsenteeLine {
    pub member_id: MemberId,
    pub full_name: String,
    pub cell: String,
    pub missed: i64,
}

#[derive(Template)]
#[template(path = "cell_meetings/supervision.html")]
struct SupervisionPage {
    layout: Layout,
    org_name: String,
    org_code: String,
    month: String,
    month_label: String,
    cells: String,
    cells_met: String,
    met_share: String,
    cells_met_regular: String,
    cells_met_thematic: String,
    not_met_count: String,
    attendance: String,
    not_met: Vec<CellLine>,
    not_met_more: usize,
    thematic_per_quarter: u32,
    short_of_thematic: CellList,
    min_official_members: u32,
    too_few_official: CellList,
    units: Vec<UnitLine>,
    per_cell: Vec<CellLine>,
    per_cell_more: usize,
    bars: Vec<Bar>,
    sees_names: bool,
    absentees: Vec<AbsenteeLine>,
    absence_alert: i64,
    can_push: bool,
    topics: Vec<TopicLine>,
    done: Option<&'static str>,
    errors: Vec<dangvu_domain::validation::FieldError>,
}

pub struct TopicLine {
    pub id: i64,
    pub month: String,
    pub title: String,
    pub detail: String,
}

/// The first cells of a list, and how many more there are.
struct CellList {
    total: String,
    lines: Vec<CellLine>,
    more: usize,
}

impl CellList {
    fn of<'a>(cells: impl Iterator<Item = &'a cell_meetings::CellMonth>, parents: &Parents) -> CellList {
        let all: Vec<&cell_meetings::CellMonth> = cells.collect();
        CellList {
            total: vi::number(all.len() as i64),
            more: all.len().saturating_sub(PAGE_CELLS),
            lines: all.into_iter().take(PAGE_CELLS).map(|c| line(c, parents)).collect(),
        }
    }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0).replace('.', ",")
}

/// The names of the cells' parents: 25 cells named "Chi bộ Văn phòng" are told apart by them.
type Parents = std::collections::HashMap<OrgId, String>;

fn parent_of(c: &cell_meetings::CellMonth) -> Option<OrgId> {
    let ids = dangvu_domain::orgs::tree::ids(&c.path);
    ids.len().checked_sub(2).map(|i| ids[i])
}

async fn parents(state: &AppState, cells: &[cell_meetings::CellMonth], on: NaiveDate) -> Result<Parents, AppError> {
    let mut ids: Vec<OrgId> = cells.iter().filter_map(parent_of).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(dangvu_store::orgs::names(&state.db, &ids, on).await?)
}

fn line(c: &cell_meetings::CellMonth, parents: &Parents) -> CellLine {
    CellLine {
        org_id: c.org_id,
        name: c.name.clone(),
        parent: parent_of(c).and_then(|p| parents.get(&p).cloned()).unwrap_or_default(),
        regular: c.regular_held,
        thematic: c.thematic_held,
        attendance: if c.recorded > 0 { format!("{}/{}", c.present, c.recorded) } else { "—".into() },
        thematic_in_quarter: c.thematic_in_quarter,
        official_members: c.official_members,
    }
}

pub async fn page(
    state: &AppState,
    user: &SessionUser,
    org: &Org,
    month: Month,
    done: Option<&'static str>,
    errors: Vec<dangvu_domain::validation::FieldError>,
) -> PageResult {
    let today = calendar::today();
    let on = month.last_day().min(today);
    let view = cell_meetings::month_view(&state.db, &org.path, month, on).await?;
    let from = (0..11).fold(month, |m, _| m.prev());
    let trend = cell_meetings::trend(&state.db, &org.path, from, month, today).await?;
    let rules = dangvu_store::settings::get(&state.db).await?.cell_meeting_rules;
    let sees_names = user.user.role.sees_absentee_names();
    let alert = i64::from(rules.absence_alert_meetings);
    let absentees =
        if sees_names { cell_meetings::absentees(&state.db, &org.path, month, alert, on).await? } else { Vec::new() };
    const HEIGHT: i64 = 120;
    let cells_now = view.cells.max(1);
    let bars = trend
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let met_h = t.cells_met.min(cells_now) * HEIGHT / cells_now;
            let regular_h = t.cells_met_regular.min(cells_now) * HEIGHT / cells_now;
            Bar {
                label: format!("{}/{}", &t.month[5..], &t.month[2..4]),
                x: 8 + i as i64 * 26,
                met_y: HEIGHT - met_h + 10,
                met_h,
                regular_y: HEIGHT - regular_h + 10,
                regular_h,
                title: format!(
                    "Tháng {}: {} chi bộ sinh hoạt ({} thường kỳ), tỷ lệ dự {}",
                    t.month,
                    t.cells_met,
                    t.cells_met_regular,
                    percent(t.attendance_rate)
                ),
            }
        })
        .collect();
    let not_met: Vec<&cell_meetings::CellMonth> = view.not_met().collect();
    let parents = parents(state, &view.per_cell, on).await?;
    let units = crate::cell_meetings::by_unit(state, org, &view, on)
        .await?
        .into_iter()
        .map(|u| UnitLine {
            org_id: u.org_id,
            share: percent(attendance_rate(u.cells_met, u.cells)),
            attendance: percent(u.attendance_rate),
            name: u.name,
            cells: u.cells,
            cells_met: u.cells_met,
        })
        .collect();
    let page = SupervisionPage {
        layout: Layout::new(user, "cell_meetings"),
        org_name: org.name.clone(),
        org_code: org.code.clone(),
        month: month.to_string(),
        month_label: month.label(),
        cells: vi::number(view.cells),
        cells_met: vi::number(view.cells_met),
        met_share: percent(attendance_rate(view.cells_met, view.cells)),
        cells_met_regular: vi::number(view.cells_met_regular),
        cells_met_thematic: vi::number(view.cells_met_thematic),
        not_met_count: vi::number(not_met.len() as i64),
        attendance: percent(view.attendance_rate),
        not_met_more: not_met.len().saturating_sub(PAGE_CELLS),
        units,
        not_met: not_met.iter().take(PAGE_CELLS).map(|c| line(c, &parents)).collect(),
        thematic_per_quarter: rules.thematic_per_quarter,
        short_of_thematic: CellList::of(view.short_of_thematic(&rules), &parents),
        min_official_members: rules.min_official_members,
        too_few_official: CellList::of(view.too_few_official(&rules), &parents),
        per_cell_more: view.per_cell.len().saturating_sub(PAGE_CELLS),
        per_cell: view.per_cell.iter().take(PAGE_CELLS).map(|c| line(c, &parents)).collect(),
        bars,
        sees_names,
        absentees: absentees
            .iter()
            .map(|a| AbsenteeLine {
                member_id: a.member_id,
                full_name: a.full_name.clone(),
                cell: a.cell.clone(),
                missed: a.meetings_missed,
            })
            .collect(),
        absence_alert: alert,
        can_push: user.user.role.may_push_cell_topics(),
        topics: cell_meetings::topics::set_by(&state.db, org.id, 24)
            .await?
            .into_iter()
            .map(|t| TopicLine { id: t.id, month: t.month, title: t.title, detail: t.detail })
            .collect(),
        done,
        errors,
    };
    Ok(render(&page)?.into_response())
}
