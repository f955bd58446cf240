//! What a committee sees of its cells' meetings: which cells met in a month, attendance, the
//! members absent without reason several meetings running, and the trend by month. Every
//! figure comes from the cells' month rows, never from the 15 million attendance rows.

use chrono::NaiveDate;
use dangvu_domain::cell_meetings::{CellMeetingRules, Month, attendance_rate};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree;
use dangvu_domain::text::fold;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Value;
use crate::{Db, StoreError, params};

/// One cell in the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellMonth {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    /// The cell's place in the tree on the date asked.
    #[serde(skip)]
    pub path: String,
    /// Meetings held (attendance recorded), of each kind.
    pub held: i64,
    pub regular_held: i64,
    pub thematic_held: i64,
    pub recorded: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    /// Thematic meetings held from the first month of the quarter to this one.
    pub thematic_in_quarter: i64,
    /// Official members today (a cell needs a minimum of them).
    pub official_members: i64,
}

/// The month of a subtree: its cells, which of them met, and attendance.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct MonthView {
    /// Cells and grassroots cells in the subtree at the end of the month (or today).
    pub cells: i64,
    /// Cells that held at least one meeting of any kind.
    pub cells_met: i64,
    pub cells_met_regular: i64,
    pub cells_met_thematic: i64,
    pub recorded: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    /// present / recorded over the meetings held; 0 when none was recorded.
    pub attendance_rate: f64,
    /// Every cell, sorted by name.
    pub per_cell: Vec<CellMonth>,
}

impl MonthView {
    pub fn not_met(&self) -> impl Iterator<Item = &CellMonth> {
        self.per_cell.iter().filter(|c| c.held == 0)
    }

    /// The cells that have not yet held the quarter's thematic meetings.
    pub fn short_of_thematic<'a>(&'a self, rules: &'a CellMeetingRules) -> impl Iterator<Item = &'a CellMonth> {
        self.per_cell.iter().filter(|c| rules.short_of_thematic(c.thematic_in_quarter))
    }

    /// The cells with fewer official members than a cell needs.
    pub fn too_few_official<'a>(&'a self, rules: &'a CellMeetingRules) -> impl Iterator<Item = &'a CellMonth> {
        self.per_cell.iter().filter(|c| rules.too_few_official(c.official_members))
    }

    /// The month by the units directly below the organisation at `depth` (0 for a root): the
    /// cells of each, how many met, and attendance, worst first, as an office calls them.
    pub fn by_unit(&self, depth: i64, names: &std::collections::HashMap<OrgId, String>) -> Vec<UnitMonth> {
        let mut units: std::collections::HashMap<OrgId, UnitMonth> = std::collections::HashMap::new();
        for c in &self.per_cell {
            let Some(&unit) = tree::ids(&c.path).get(usize::try_from(depth + 1).unwrap_or(usize::MAX)) else {
                continue;
            };
            let u = units.entry(unit).or_insert_with(|| UnitMonth {
                org_id: unit,
                name: names.get(&unit).cloned().unwrap_or_default(),
                ..UnitMonth::default()
            });
            u.cells += 1;
            u.cells_met += i64::from(c.held > 0);
            u.recorded += c.recorded;
            u.present += c.present;
        }
        let mut out: Vec<UnitMonth> = units
            .into_values()
            .map(|mut u| {
                u.attendance_rate = attendance_rate(u.present, u.recorded);
                u
            })
            .collect();
        out.sort_by(|a, b| {
            let share = |u: &UnitMonth| u.cells_met as f64 / u.cells.max(1) as f64;
            share(a).total_cmp(&share(b)).then_with(|| fold(&a.name).cmp(&fold(&b.name)))
        });
        out
    }
}

/// One unit directly below, in the month.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct UnitMonth {
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub name: String,
    pub cells: i64,
    pub cells_met: i64,
    #[serde(skip)]
    pub recorded: i64,
    #[serde(skip)]
    pub present: i64,
    pub attendance_rate: f64,
}

/// The cells of the subtree at `path` as they stood on `on`, with their row for `month`: one
/// index range per kind of cell, then per cell a primary-key read of the month, a short range
/// of the quarter's months and its member totals.
pub async fn month_view(db: &Db, path: &str, month: Month, on: NaiveDate) -> Result<MonthView, StoreError> {
    let end = tree::subtree_end(path);
    let per_kind = "SELECT v.org_id, v.name, v.path, COALESCE(mm.held, 0), COALESCE(mm.regular_held, 0),
            COALESCE(mm.thematic_held, 0), COALESCE(mm.recorded, 0), COALESCE(mm.present, 0),
            COALESCE(mm.excused, 0), COALESCE(mm.absent, 0),
            CAST(COALESCE((SELECT SUM(q.thematic_held) FROM cell_meeting_months q
                WHERE q.org_id = v.org_id AND q.month >= $7 AND q.month <= $4), 0) AS BIGINT),
            COALESCE(t.full_count, 0)
        FROM org_versions v LEFT JOIN cell_meeting_months mm ON mm.org_id = v.org_id AND mm.month = $4
        LEFT JOIN org_member_totals t ON t.org_id = v.org_id
        WHERE v.kind = $KIND AND v.path >= $1 AND v.path < $2
          AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)";
    let sql = format!("{} UNION ALL {}", per_kind.replace("$KIND", "$5"), per_kind.replace("$KIND", "$6"));
    let rows = db
        .query(
            &sql,
            &[
                Value::from(path),
                Value::from(end),
                Value::from(on),
                Value::from(month.number()),
                Value::from(OrgKind::Cell.as_str()),
                Value::from(OrgKind::GrassrootsCell.as_str()),
                Value::from(month.quarter_start().number()),
            ],
        )
        .await?;
    let mut view = MonthView::default();
    let mut cells = Vec::with_capacity(rows.len());
    for r in &rows {
        let c = CellMonth {
            org_id: r.id(0)?,
            name: r.text(1)?,
            path: r.text(2)?,
            held: r.int(3)?,
            regular_held: r.int(4)?,
            thematic_held: r.int(5)?,
            recorded: r.int(6)?,
            present: r.int(7)?,
            excused: r.int(8)?,
            absent: r.int(9)?,
            thematic_in_quarter: r.int(10)?,
            official_members: r.int(11)?,
        };
        view.cells += 1;
        view.cells_met += i64::from(c.held > 0);
        view.cells_met_regular += i64::from(c.regular_held > 0);
        view.cells_met_thematic += i64::from(c.thematic_held > 0);
        view.recorded += c.recorded;
        view.present += c.present;
        view.excused += c.excused;
        view.absent += c.absent;
        cells.push((fold(&c.name), c));
    }
    cells.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.org_id.cmp(&b.1.org_id)));
    view.per_cell = cells.into_iter().map(|(_, c)| c).collect();
    view.attendance_rate = attendance_rate(view.present, view.recorded);
    Ok(view)
}

/// How many cells and grassroots cells the subtree holds on `on`.
pub async fn count_cells(db: &Db, path: &str, on: NaiveDate) -> Result<i64, StoreError> {
    let end = tree::subtree_end(path);
    let per_kind = "SELECT COUNT(*) FROM org_versions v WHERE v.kind = $KIND AND v.path >= $1 AND v.path < $2
          AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)";
    let sql = format!("{} UNION ALL {}", per_kind.replace("$KIND", "$4"), per_kind.replace("$KIND", "$5"));
    let rows = db.query(&sql, params![path, end, on, OrgKind::Cell.as_str(), OrgKind::GrassrootsCell.as_str()]).await?;
    rows.iter().map(|r| r.int(0)).sum()
}

/// One month of the trend.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub cells_met: i64,
    pub cells_met_regular: i64,
    pub cells_met_thematic: i64,
    pub attendance_rate: f64,
}

/// The months from `from` to `to` for the cells of the subtree as it stands on `on`: how a
/// committee's cells have kept their meetings, month by month.
pub async fn trend(db: &Db, path: &str, from: Month, to: Month, on: NaiveDate) -> Result<Vec<TrendPoint>, StoreError> {
    let end = tree::subtree_end(path);
    let per_kind = "SELECT mm.month, mm.held, mm.regular_held, mm.thematic_held, mm.recorded, mm.present
        FROM org_versions v JOIN cell_meeting_months mm ON mm.org_id = v.org_id AND mm.month >= $4 AND mm.month <= $5
        WHERE v.kind = $KIND AND v.path >= $1 AND v.path < $2
          AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)";
    let sql = format!("{} UNION ALL {}", per_kind.replace("$KIND", "$6"), per_kind.replace("$KIND", "$7"));
    let rows = db
        .query(
            &sql,
            &[
                Value::from(path),
                Value::from(end),
                Value::from(on),
                Value::from(from.number()),
                Value::from(to.number()),
                Value::from(OrgKind::Cell.as_str()),
                Value::from(OrgKind::GrassrootsCell.as_str()),
            ],
        )
        .await?;
    let mut months = Vec::new();
    let mut m = from;
    while m <= to && months.len() < 120 {
        months.push((m, [0i64; 5]));
        m = m.next();
    }
    for r in &rows {
        let Some(month) = Month::from_number(r.int(0)?) else { continue };
        let Some((_, sums)) = months.iter_mut().find(|(m, _)| *m == month) else { continue };
        sums[0] += i64::from(r.int(1)? > 0);
        sums[1] += i64::from(r.int(2)? > 0);
        sums[2] += i64::from(r.int(3)? > 0);
        sums[3] += r.int(4)?;
        sums[4] += r.int(5)?;
    }
    Ok(months
        .into_iter()
        .map(|(m, s)| TrendPoint {
            month: m.to_string(),
            cells_met: s[0],
            cells_met_regular: s[1],
            cells_met_thematic: s[2],
            attendance_rate: attendance_rate(s[4], s[3]),
        })
        .collect())
}

/// A member absent without reason from several regular meetings running.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Absentee {
    #[schema(value_type = i64)]
    pub member_id: MemberId,
    pub full_name: String,
    #[schema(value_type = i64)]
    pub org_id: OrgId,
    pub cell: String,
    /// Regular meetings missed without reason running, up to the month's.
    pub meetings_missed: i64,
}

/// The members of the subtree whose run of unexcused absences reached `at_least` in the month.
pub async fn absentees(
    db: &Db,
    path: &str,
    month: Month,
    at_least: i64,
    on: NaiveDate,
) -> Result<Vec<Absentee>, StoreError> {
    let end = tree::subtree_end(path);
    let rows = db
        .query(
            // The month's runs of absences first, by the partial index (the literal `> 0` lets
            // SQLite use it), then their cells and members: a few thousand rows in a province.
            "SELECT m.id, m.full_name, v.org_id, v.name, MAX(a.absent_streak)
             FROM cell_meeting_attendance a CROSS JOIN cell_meetings c CROSS JOIN org_versions v
             CROSS JOIN members m
             WHERE a.month = $4 AND a.absent_streak > 0 AND a.absent_streak >= $5
               AND c.id = a.meeting_id AND v.org_id = c.org_id
               AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
               AND v.path >= $1 AND v.path < $2 AND m.id = a.member_id
             GROUP BY m.id, m.full_name, v.org_id, v.name",
            params![path, end, on, month.number(), at_least.max(1)],
        )
        .await?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(Absentee {
                member_id: r.id(0)?,
                full_name: r.text(1)?,
                org_id: r.id(2)?,
                cell: r.text(3)?,
                meetings_missed: r.int(4)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    out.sort_by_cached_key(|a| (fold(&a.cell), fold(&a.full_name), a.member_id));
    Ok(out)
}
