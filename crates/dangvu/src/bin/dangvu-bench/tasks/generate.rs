//! The tasks of `dangvu-bench tasks`, generated once per database by multi-row inserts that
//! follow the columns of migration 0002: five years of tasks (deadlines 2021–2025) with
//! supporting units, progress reports and the weekly meetings that gave them, drawn from a
//! fixed seed over the generated tree.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{Datelike, Days, NaiveDate};
use dangvu::demo::SplitMix64;
use dangvu_domain::orgs::tree;
use dangvu_domain::text::fold;
use dangvu_store::{Backend, Db, orgs, params};

use crate::org_tree::{NATIONAL, ROWS_PER_INSERT, Sample, Shape, day, lit, pick, place, vacuum_analyze};

/// The province of the tasks benchmark: "a province with 3,000 units" (about 2,970
/// organisations with this shape).
const TASKS_PROVINCE: Shape = Shape {
    root_code: "BENCHT-ROOT",
    code_prefix: "BENCHT",
    root_name: "Tỉnh (thử tải nhiệm vụ)",
    provinces: 0,
    blocs_per_province: 2,
    communes: 130,
    grassroots: 1_000,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 1_700,
    cells_in_subs_per_mille: 250,
};

/// How many tasks over which tree.
pub struct TaskShape {
    pub tree: &'static Shape,
    pub tasks: usize,
    /// The number of the marker document: written with serial 0 in the first transaction,
    /// set to serial 1 in the last one, so serial 1 marks complete data.
    pub marker: &'static str,
}

pub const PROVINCE_TASKS: TaskShape = TaskShape { tree: &TASKS_PROVINCE, tasks: 200_000, marker: "BENCHT-TASKS" };
pub const NATIONAL_TASKS: TaskShape = TaskShape { tree: &NATIONAL, tasks: 1_000_000, marker: "BENCH-TASKS" };

const TASKS_PER_TRANSACTION: usize = 50_000;

/// The deadlines of the generated tasks: five years.
fn first_due() -> NaiveDate {
    day(2021, 1, 1)
}

fn last_due() -> NaiveDate {
    day(2025, 12, 31)
}

/// The weekly meetings of each assigning committee start on this Monday.
fn meetings_from() -> NaiveDate {
    day(2020, 6, 1)
}

const TASK_VERBS: [&str; 12] = [
    "Rà soát",
    "Xây dựng",
    "Tổ chức",
    "Triển khai",
    "Hoàn thiện",
    "Báo cáo",
    "Kiểm tra",
    "Tham mưu",
    "Chỉ đạo",
    "Sơ kết",
    "Đôn đốc",
    "Chuẩn bị",
];

pub const TASK_OBJECTS: [&str; 16] = [
    "quy hoạch cán bộ nhiệm kỳ 2025–2030",
    "đề án sắp xếp tổ chức bộ máy",
    "kế hoạch phát triển kinh tế – xã hội",
    "công tác phát triển đảng viên",
    "việc thực hiện Nghị quyết của Ban Chấp hành",
    "chương trình chuyển đổi số",
    "công tác giải phóng mặt bằng dự án đường ven biển",
    "dự toán thu, chi ngân sách",
    "công tác phòng, chống tham nhũng, lãng phí",
    "việc giải quyết đơn thư, khiếu nại, tố cáo",
    "chương trình kiểm tra, giám sát",
    "chương trình xây dựng nông thôn mới",
    "công tác cải cách hành chính",
    "việc học tập, quán triệt nghị quyết",
    "đại hội các chi bộ trực thuộc",
    "phương án phòng, chống thiên tai",
];

const RECURRENCES: [&str; 6] = ["monthly", "monthly", "quarterly", "quarterly", "half_yearly", "yearly"];

const NOTE_PROGRESS: &str = "Đã triển khai, đang tổng hợp kết quả";
const NOTE_DONE: &str = "Đã hoàn thành, gửi báo cáo kèm theo";
const NOTE_PERIOD: &str = "Báo cáo định kỳ kỳ này";
const NOTE_RETURNED: &str = "Báo cáo chưa đủ số liệu, đề nghị bổ sung";

struct GenReport {
    kind: &'static str,
    progress: i64,
    note: &'static str,
    done: bool,
    on: NaiveDate,
}

struct GenTask {
    id: i64,
    org_id: i64,
    title: String,
    detail: String,
    lead: i64,
    meeting: Option<i64>,
    starts_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    recurrence: Option<&'static str>,
    progress: i64,
    done_on: Option<NaiveDate>,
    review: &'static str,
    created_at: i64,
    support: Vec<i64>,
    reports: Vec<GenReport>,
}

/// Midnight UTC of a date, in microseconds.
fn micros(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp_micros()
}

pub fn pick_id(rng: &mut SplitMix64, from: &[i64]) -> i64 {
    from[rng.below(from.len() as u64) as usize]
}

/// Draws the tasks, one at a time, from a fixed seed (the dates are relative to `today`
/// only where a task could not yet have been done).
struct TaskGen<'a> {
    rng: SplitMix64,
    s: &'a Sample,
    national: bool,
    root_id: i64,
    /// The provincial committee above each organisation (national scale): the assigner.
    assigner: HashMap<i64, i64>,
    /// The committees that hold weekly meetings, and the id of the first meeting.
    meeting_orgs: HashMap<i64, i64>,
    meeting_base: i64,
    weeks: i64,
    today: NaiveDate,
}

impl TaskGen<'_> {
    /// The weekly meeting of `org` held on or before `on`.
    fn meeting(&self, org: i64, on: NaiveDate) -> Option<i64> {
        let index = *self.meeting_orgs.get(&org)?;
        let week = (on - meetings_from()).num_days() / 7;
        (0..self.weeks).contains(&week).then(|| self.meeting_base + index * self.weeks + week)
    }

    fn task(&mut self, id: i64) -> GenTask {
        let s = self.s;
        let today = self.today;
        let rng = &mut self.rng;
        // The lead: committees and grassroots organisations above all.
        let r = rng.below(100);
        let lead = if r < 38 {
            if self.national && r >= 35 { pick_id(rng, &s.upper) } else { pick_id(rng, &s.communes) }
        } else if r < 83 {
            pick_id(rng, &s.grassroots)
        } else if r < 88 && !s.subs.is_empty() {
            pick_id(rng, &s.subs)
        } else if !s.cells.is_empty() {
            pick_id(rng, &s.cells)
        } else {
            pick_id(rng, &s.grassroots)
        };
        let org_id =
            if self.national { self.assigner.get(&lead).copied().unwrap_or(self.root_id) } else { self.root_id };

        let span = (last_due() - first_due()).num_days() as u64 + 1;
        let mut due = (rng.below(100) >= 8).then(|| first_due() + Days::new(rng.below(span)));
        let created = match due {
            Some(d) => d - Days::new(15 + rng.below(166)),
            None => first_due() - Days::new(180) + Days::new(rng.below(span + 180)),
        }
        .min(today);
        let starts_on = (rng.below(100) < 70).then(|| created + Days::new(rng.below(8)));
        let recurrence = (due.is_some() && rng.below(100) < 4).then(|| pick(rng, &RECURRENCES));

        let verb = pick(rng, &TASK_VERBS);
        let object = pick(rng, &TASK_OBJECTS);
        let year = due.unwrap_or(created).year();
        let title = match rng.below(5) {
            0 => format!("{verb} {object} năm {year}"),
            1 => format!("{verb} {object} quý {}/{year}", 1 + rng.below(4)),
            2 => format!("{verb} {object} trên địa bàn {}", place(rng)),
            3 => format!("{verb} {object} 6 tháng đầu năm {year}"),
            _ => format!("{verb} {object}"),
        };
        let detail = if rng.below(100) < 30 {
            format!(
                "Theo kết luận của Ban Thường vụ ngày {}; báo cáo kết quả về Văn phòng trước thời hạn.",
                created.format("%d/%m/%Y")
            )
        } else {
            String::new()
        };
        let with_meeting = rng.below(2) == 0;

        let mut reports = Vec::new();
        let (done_on, progress, review) = match (recurrence, due) {
            // A report duty: each period reported done moved the deadline on; most are
            // at the period after today, some one period behind (overdue).
            (Some(rec), Some(first)) => {
                let r = dangvu_domain::tasks::Recurrence::parse(rec).expect("a known recurrence");
                let behind = rng.below(100) < 15;
                let mut past = Vec::new();
                let mut d = first;
                while d < today {
                    let next = r.next_due(d);
                    if behind && next >= today {
                        break;
                    }
                    past.push(d);
                    d = next;
                }
                due = Some(d);
                let n = (1 + rng.below(3) as usize).min(past.len());
                for &p in &past[past.len() - n..] {
                    reports.push(GenReport { kind: "progress", progress: 100, note: NOTE_PERIOD, done: true, on: p });
                }
                if reports.is_empty() {
                    reports.push(GenReport {
                        kind: "progress",
                        progress: 0,
                        note: NOTE_PROGRESS,
                        done: false,
                        on: created,
                    });
                }
                (None, 0, "none")
            }
            _ => {
                let done_per_cent = match due.map(|d| d.year()) {
                    Some(..=2021) => 97,
                    Some(2022) => 96,
                    Some(2023) => 94,
                    Some(2024) => 90,
                    Some(_) | None => 70,
                };
                if rng.below(100) < done_per_cent {
                    let done_on = match due {
                        Some(d) if rng.below(100) < 80 => {
                            d - Days::new(rng.below((d - created).num_days().clamp(1, 21) as u64))
                        }
                        Some(d) => d + Days::new(1 + rng.below(75)),
                        None => created + Days::new(10 + rng.below(300)),
                    }
                    .min(today)
                    .max(created);
                    if rng.below(2) == 0 && done_on > created {
                        reports.push(GenReport {
                            kind: "progress",
                            progress: 30 + 10 * rng.below(7) as i64,
                            note: NOTE_PROGRESS,
                            done: false,
                            on: created + Days::new(rng.below((done_on - created).num_days() as u64)),
                        });
                    }
                    reports.push(GenReport {
                        kind: "progress",
                        progress: 100,
                        note: NOTE_DONE,
                        done: true,
                        on: done_on,
                    });
                    let accepted = rng.below(100) < 85;
                    if accepted {
                        let on = (done_on + Days::new(rng.below(10))).min(today);
                        reports.push(GenReport { kind: "accepted", progress: 100, note: "", done: true, on });
                    }
                    (Some(done_on), 100, if accepted { "accepted" } else { "pending" })
                } else {
                    let horizon = due.map_or(created + Days::new(365), |d| d + Days::new(60)).min(today).max(created);
                    let spread = (horizon - created).num_days().max(1) as u64;
                    if rng.below(100) < 6 {
                        // Reported done, returned by the office: open again.
                        let on = created + Days::new(rng.below(spread));
                        reports.push(GenReport { kind: "progress", progress: 100, note: NOTE_DONE, done: true, on });
                        let back = (on + Days::new(1 + rng.below(10))).min(today);
                        reports.push(GenReport {
                            kind: "returned",
                            progress: 100,
                            note: NOTE_RETURNED,
                            done: false,
                            on: back,
                        });
                        (None, 100, "returned")
                    } else {
                        let n = 1 + rng.below(3);
                        let mut dates: Vec<NaiveDate> =
                            (0..n).map(|_| created + Days::new(rng.below(spread))).collect();
                        dates.sort();
                        let progress = 10 * (1 + rng.below(9)) as i64;
                        for (k, on) in dates.into_iter().enumerate() {
                            reports.push(GenReport {
                                kind: "progress",
                                progress: progress * (k as i64 + 1) / n as i64,
                                note: NOTE_PROGRESS,
                                done: false,
                                on,
                            });
                        }
                        (None, progress, "none")
                    }
                }
            }
        };

        let supporters = match rng.below(10) {
            0..=3 => 0,
            4..=6 => 1,
            7..=8 => 2,
            _ => 3,
        };
        let mut support = Vec::new();
        for _ in 0..supporters {
            let o = if rng.below(2) == 0 { pick_id(rng, &s.communes) } else { pick_id(rng, &s.grassroots) };
            if o != lead && !support.contains(&o) {
                support.push(o);
            }
        }
        let created_at = micros(created) + rng.below(10 * 3600) as i64 * 1_000_000;
        let meeting = if with_meeting { self.meeting(org_id, created) } else { None };
        GenTask {
            id,
            org_id,
            title,
            detail,
            lead,
            meeting,
            starts_on,
            due_on: due,
            recurrence,
            progress,
            done_on,
            review,
            created_at,
            support,
            reports,
        }
    }
}

fn date_lit(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "NULL".to_owned(), |d| format!("'{d}'"))
}

fn bool_lit(backend: Backend, b: bool) -> &'static str {
    match (backend, b) {
        (Backend::Sqlite, true) => "1",
        (Backend::Sqlite, false) => "0",
        (Backend::Postgres, true) => "true",
        (Backend::Postgres, false) => "false",
    }
}

fn insert_tasks(rows: &[GenTask]) -> String {
    let mut sql = String::with_capacity(rows.len() * 300);
    sql.push_str(
        "INSERT INTO tasks (id, org_id, title, detail, lead_org_id, meeting_id, document_id, starts_on, due_on, \
         recurrence, progress, done_on, review, created_by, created_at) VALUES ",
    );
    for (k, t) in rows.iter().enumerate() {
        if k > 0 {
            sql.push(',');
        }
        write!(
            sql,
            "({},{},{},{},{},{},NULL,{},{},{},{},{},{},NULL,{})",
            t.id,
            t.org_id,
            lit(&t.title),
            lit(&t.detail),
            t.lead,
            t.meeting.map_or_else(|| "NULL".to_owned(), |m| m.to_string()),
            date_lit(t.starts_on),
            date_lit(t.due_on),
            t.recurrence.map_or_else(|| "NULL".to_owned(), lit),
            t.progress,
            date_lit(t.done_on),
            lit(t.review),
            t.created_at
        )
        .expect("writing to a String");
    }
    sql
}

/// Generates the tasks of `ts` over the tree of `root`, unless the marker says they are there.
pub async fn ensure_tasks(
    db: &Db,
    ts: &TaskShape,
    root: &orgs::Org,
    s: &Sample,
    today: NaiveDate,
) -> anyhow::Result<()> {
    match db.query_one("SELECT serial FROM documents WHERE number = $1", params![ts.marker]).await? {
        Some(r) if r.int(0)? == 1 => {
            println!("tasks already generated (marker document {} found), skipping generation", ts.marker);
            return Ok(());
        }
        Some(_) => bail!(
            "the tasks of {} were generated half-way (marker document {} has serial 0); \
             delete the database and run again",
            ts.tree.root_code,
            ts.marker
        ),
        None => {}
    }
    let started = Instant::now();
    let backend = db.backend();
    let max = |table: &'static str| async move {
        anyhow::Ok(
            db.query_one(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"), &[]).await?.context("no row")?.int(0)?,
        )
    };
    let task_base = max("tasks").await? + 1;
    let meeting_base = max("meetings").await? + 1;
    let national = ts.tree.provinces > 0;
    let assigners: Vec<i64> = if national { s.upper.clone() } else { vec![root.id.0] };
    let weeks = (day(2026, 1, 5) - meetings_from()).num_days() / 7;
    let mut assigner = HashMap::new();
    if national {
        for (id, path) in &s.all {
            let ids = tree::ids(path);
            if ids.len() >= 3 {
                assigner.insert(*id, ids[1].0);
            }
        }
    }
    let mut g = TaskGen {
        rng: SplitMix64(0x00da_4600_7a5c_0001),
        s,
        national,
        root_id: root.id.0,
        assigner,
        meeting_orgs: assigners.iter().enumerate().map(|(k, id)| (*id, k as i64)).collect(),
        meeting_base,
        weeks,
        today,
    };
    println!(
        "generating {} tasks (ids from {task_base}) and {} meetings over {} organisations",
        ts.tasks,
        assigners.len() as i64 * weeks,
        s.all.len() + 1
    );

    // The marker and the meetings first.
    let mut tx = db.begin().await?;
    tx.execute(
        "INSERT INTO documents (org_id, number, serial, doc_type, issuer, title, search_text, issued_on, created_at)
         VALUES ($1, $2, 0, 'other', 'dangvu-bench', $3, $4, $5, $6)",
        params![
            root.id,
            ts.marker,
            "Dữ liệu thử tải nhiệm vụ",
            fold("Dữ liệu thử tải nhiệm vụ"),
            today,
            dangvu_store::now_micros()
        ],
    )
    .await?;
    let kinds = ["standing_board", "standing_office", "standing_board", "executive"];
    let mut meetings = Vec::new();
    for (k, org) in assigners.iter().enumerate() {
        for w in 0..weeks {
            let held = meetings_from() + Days::new(7 * w as u64);
            meetings.push(format!(
                "({},{},{},{},'{held}','','','','',NULL,NULL,{})",
                meeting_base + k as i64 * weeks + w,
                org,
                lit(&format!("Họp tuần {}/{}", w % 52 + 1, held.year())),
                lit(kinds[(w % 4) as usize]),
                micros(held)
            ));
        }
    }
    for rows in meetings.chunks(ROWS_PER_INSERT) {
        tx.batch(&format!(
            "INSERT INTO meetings (id, org_id, title, kind, held_on, chair, attendees, reports, conclusion, \
             document_id, created_by, created_at) VALUES {}",
            rows.join(",")
        ))
        .await?;
    }
    tx.commit().await?;

    let (mut supports, mut reports) = (0usize, 0usize);
    let mut next = 0usize;
    while next < ts.tasks {
        let n = TASKS_PER_TRANSACTION.min(ts.tasks - next);
        let batch: Vec<GenTask> = (0..n).map(|k| g.task(task_base + (next + k) as i64)).collect();
        let mut tx = db.begin().await?;
        for rows in batch.chunks(ROWS_PER_INSERT) {
            tx.batch(&insert_tasks(rows)).await?;
        }
        let support_rows: Vec<String> =
            batch.iter().flat_map(|t| t.support.iter().map(move |o| format!("({},{o})", t.id))).collect();
        for rows in support_rows.chunks(ROWS_PER_INSERT) {
            tx.batch(&format!("INSERT INTO task_support (task_id, org_id) VALUES {}", rows.join(","))).await?;
        }
        let mut report_rows = Vec::new();
        for t in &batch {
            for r in &t.reports {
                report_rows.push(format!(
                    "({},{},{},{},{},'{}',NULL,{})",
                    t.id,
                    lit(r.kind),
                    r.progress,
                    lit(r.note),
                    bool_lit(backend, r.done),
                    r.on,
                    micros(r.on) + 3 * 3600 * 1_000_000
                ));
            }
        }
        for rows in report_rows.chunks(ROWS_PER_INSERT) {
            tx.batch(&format!(
                "INSERT INTO task_reports (task_id, kind, progress, note, done, reported_on, reported_by, reported_at) \
                 VALUES {}",
                rows.join(",")
            ))
            .await?;
        }
        next += n;
        if next == ts.tasks {
            tx.execute("UPDATE documents SET serial = 1 WHERE number = $1", params![ts.marker]).await?;
        }
        tx.commit().await?;
        supports += support_rows.len();
        reports += report_rows.len();
        println!("  {next:>8} / {} tasks written, {:.1} s", ts.tasks, started.elapsed().as_secs_f64());
    }
    if backend == Backend::Postgres {
        let mut tx = db.begin().await?;
        for table in ["tasks", "meetings"] {
            tx.query(
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"),
                &[],
            )
            .await?;
        }
        tx.commit().await?;
    }
    let t = Instant::now();
    match backend {
        Backend::Sqlite => {
            let mut tx = db.begin().await?;
            tx.batch("ANALYZE").await?;
            tx.commit().await?;
        }
        Backend::Postgres => {
            vacuum_analyze(db, &["tasks", "task_support", "task_reports", "meetings", "documents"]).await?;
        }
    }
    println!(
        "generated {} tasks, {supports} supporting units, {reports} reports in {:.1} s (of which ANALYZE {:.1} s)",
        ts.tasks,
        started.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
