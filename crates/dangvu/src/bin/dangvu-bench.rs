//! `dangvu-bench`: benchmarks, not tests (DESIGN.md §6: "Benchmarks, not timed tests,
//! hold these numbers").
//!
//! `dangvu-bench tree` generates, once per database, a tree of the size of the whole
//! country (34 provincial committees, 3,321 communes, 52,000 grassroots organisations,
//! 300,000 cells) or of one province, by bulk inserts straight into `orgs` and
//! `org_versions`, then times the store's tree queries on it:
//!
//! ```text
//! cargo build -p dangvu --release --bin dangvu-bench
//! target/release/dangvu-bench tree                          # sqlite://target/bench-national.sqlite
//! target/release/dangvu-bench tree --scale province
//! target/release/dangvu-bench tree --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench
//! ```
//!
//! The generated rows bypass `orgs::create` and the audit log but follow the schema of
//! migration 0001 exactly: the materialised path of `dangvu_domain::orgs::tree`, depth 0 at the
//! root, `search_text = fold(name + " " + code)`, one open version (`valid_to` NULL,
//! change `found`) per organisation.
//!
//! `dangvu-bench tasks` generates, once per database, a province of about 3,000 units
//! with 200,000 tasks whose deadlines span 2021–2025 (or, `--scale national`, 1,000,000
//! tasks over the national tree), with supporting units, progress reports and weekly
//! meetings, by bulk inserts that follow the columns of migration 0002; then it times
//! `dangvu_store::tasks` (a unit's queue, the summary and trend of the dashboard) and the
//! same through HTTP on an in-process server (the queue page, the dashboard, the summary
//! API), against the budgets "a unit's queue page < 20 ms" and "the dashboard of the
//! province root < 100 ms". `--explain` (or a missed budget) prints the query plans and
//! measures the proposed query and index changes on copies of the store's SQL:
//!
//! ```text
//! target/release/dangvu-bench tasks                         # sqlite://target/bench-tasks-province.sqlite
//! target/release/dangvu-bench tasks --scale national        # sqlite://target/bench-tasks-national.sqlite
//! target/release/dangvu-bench tasks --explain --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_tasks
//! ```
//!
//! `dangvu-bench members` imports generated members into the cells of a generated tree
//! as `dangvu members import` does (one CSV with a `cell` column, read, mapped and checked as
//! `POST /members/import` does, then written by `members::BulkLoad`; `DANGVU_LOG=info` shows
//! its phases), once per database, and prints rows per second
//! (budget: 100,000 or more); then it times the stats of the root (national, < 100 ms) and
//! of a province (< 20 ms), the figures by gender, age and party age, a search in a
//! province (< 50 ms), and the export of a province to XLSX and CSV (< 10 s, with the peak
//! resident memory of each):
//!
//! ```text
//! target/release/dangvu-bench members                       # 200,000 in a province, sqlite://target/bench-members.sqlite
//! target/release/dangvu-bench members --scale national      # 5,600,000, sqlite://target/bench-members-national.sqlite
//! target/release/dangvu-bench members --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_members
//! ```
//!
//! `dangvu-bench cell-meetings` generates a province of 15,000 cells and 250,000 members with
//! five years of monthly meetings (900,000 meetings, 15 million attendance rows), once per
//! database, then times the month's supervision of the province (< 200 ms), the trend and the
//! absentees, and the member's home page over HTTP (< 10 ms, and ≥ 10,000 requests/s with 32
//! connections; the load generator runs in the same process, on the same 2 cores):
//!
//! ```text
//! target/release/dangvu-bench cell-meetings                 # sqlite://target/bench-cell-meetings.sqlite
//! target/release/dangvu-bench cell-meetings --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_cells
//! ```
//!
//! `dangvu-bench extract` times the conclusion reader (`dangvu_domain::tasks::conclusion`) over
//! ~20 MB of generated conclusions, against the budget "over 5 MB/s".

use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
// A fixed-seed PRNG, splitmix64: the same tree and the same random arguments on every run.
use dangvu::demo::SplitMix64;
use dangvu_domain::orgs::tree;
use dangvu_domain::tasks::{Period, TaskStatus};
use dangvu_store::{Backend, Db, Value, orgs};

#[derive(Parser)]
#[command(name = "dangvu-bench", version, about = "Benchmarks of dangvu at national size")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate (once) a national- or province-size tree and time the tree queries on it.
    Tree(TreeArgs),
    /// Generate (once) five years of tasks over a province (or the nation) and time the
    /// task queue, the summaries and the pages that show them.
    Tasks(tasks::TasksArgs),
    /// Time the conclusion reader (`dangvu_domain::tasks::conclusion::extract`) over ~20 MB of
    /// generated conclusions.
    Extract(extract::ExtractArgs),
    /// Import generated members into the cells of a province tree (once), then time the
    /// roll-up figures, the search and the XLSX export of the province.
    Members(members::MembersArgs),
    /// Generate (once) five years of cell meetings over a province of 15,000 cells, then time
    /// the member's home page and the month's supervision of the province.
    CellMeetings(cell_meetings::CellMeetingsArgs),
}

#[path = "dangvu-bench/cell_meetings.rs"]
mod cell_meetings;
#[path = "dangvu-bench/extract.rs"]
mod extract;
#[path = "dangvu-bench/http.rs"]
mod http;
#[path = "dangvu-bench/members.rs"]
mod members;
#[path = "dangvu-bench/org_tree.rs"]
mod org_tree;
#[path = "dangvu-bench/tasks/mod.rs"]
mod tasks;
#[path = "dangvu-bench/timing.rs"]
mod timing;

use org_tree::{NATIONAL, PROVINCE, Sample, Shape, ensure_tree, open};
use timing::{Timing, backend_name, print_table, time};

#[derive(clap::Args)]
struct TreeArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-<scale>.sqlite
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, value_enum, default_value_t = Scale::National)]
    scale: Scale,
    /// Repetitions of each measured operation (the root roll-up runs a tenth as often).
    #[arg(long, default_value_t = 1000)]
    iterations: usize,
    /// Print the query plans of the measured queries even when every budget is met.
    #[arg(long)]
    explain: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scale {
    /// tree: 34 provincial committees, 3,321 communes, ~52,000 grassroots organisations,
    /// ~300,000 cells; tasks: 1,000,000 over that tree.
    National,
    /// tree: one province after 2025, 130 communes, ~1,500 grassroots organisations, ~9,000
    /// cells; tasks: 200,000 over a province of ~3,000 units.
    Province,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Off unless asked: the phases of a load (`DANGVU_LOG=info`), the engines' own warnings.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("DANGVU_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    match cli.command {
        Command::Tree(args) => tree_bench(args).await,
        Command::Tasks(args) => tasks::run(args).await,
        Command::Extract(args) => extract::run(args).await,
        Command::Members(args) => members::run(args).await,
        Command::CellMeetings(args) => cell_meetings::run(args).await,
    }
}

async fn tree_bench(args: TreeArgs) -> anyhow::Result<()> {
    let shape = match args.scale {
        Scale::National => &NATIONAL,
        Scale::Province => &PROVINCE,
    };
    let url = args.database_url.clone().unwrap_or_else(|| match args.scale {
        Scale::National => "sqlite://target/bench-national.sqlite".into(),
        Scale::Province => "sqlite://target/bench-province.sqlite".into(),
    });
    let db = open(&url).await?;
    ensure_tree(&db, shape).await?;

    let today = chrono::Utc::now().date_naive();
    let root = orgs::get_by_code(&db, shape.root_code, today).await?.context("the generated root is missing")?;
    let t = Instant::now();
    let sample = Sample::load(&db, &root, shape).await?;
    println!("tree on {today}: {}; loaded for sampling in {:.1} s", sample.describe(shape), t.elapsed().as_secs_f64());
    measure(&db, &root, &sample, today, &args, shape).await
}

// ------------------------------------------------------------------ measurement

async fn measure(
    db: &Db,
    root: &orgs::Org,
    s: &Sample,
    today: NaiveDate,
    args: &TreeArgs,
    shape: &Shape,
) -> anyhow::Result<()> {
    let n = args.iterations.max(1);
    let mut rng = SplitMix64(0x00da_4600_beec);
    let province_scale = shape.provinces == 0;

    // Random arguments, drawn before timing. Half the pairs are true (Y is an ancestor
    // of X), half are mostly false (Y is a random commune).
    let total = n + (n / 20).max(3);
    let paths: HashMap<i64, &str> = s.all.iter().map(|(id, p)| (*id, p.as_str())).collect();
    let pairs: Vec<(i64, i64, bool)> = (0..total)
        .map(|k| {
            let (x, xpath) = &s.all[rng.below(s.all.len() as u64) as usize];
            let y = if k % 2 == 0 {
                let ids = tree::ids(xpath);
                ids[rng.below(ids.len() as u64) as usize]
            } else {
                s.communes[rng.below(s.communes.len() as u64) as usize]
            };
            let ypath = paths.get(&y).copied().unwrap_or(root.path.as_str());
            (*x, y, tree::is_within(xpath, ypath))
        })
        .collect();
    let any: Vec<i64> = (0..total).map(|_| s.all[rng.below(s.all.len() as u64) as usize].0).collect();
    let communes: Vec<i64> = (0..total).map(|_| s.communes[rng.below(s.communes.len() as u64) as usize]).collect();
    let uppers: Vec<i64> = (0..total).map(|_| s.upper[rng.below(s.upper.len() as u64) as usize]).collect();
    // At province scale the second roll-up is of a commune.
    let rollups: &[i64] = if province_scale { &communes } else { &uppers };
    let rollup_orgs = {
        let mut v = Vec::new();
        for id in rollups.iter().take(total) {
            v.push(orgs::get(db, *id, today).await?.context("sampled organisation missing")?);
        }
        v
    };

    let mut timings = Vec::new();
    let wrong = Cell::new(0usize);
    timings.push(
        time("is_within (X below Y?)", n, Some(1.0), |i| {
            let (x, y, expect) = pairs[i];
            let wrong = &wrong;
            async move {
                if orgs::is_within(db, x, y, today).await? != expect {
                    wrong.set(wrong.get() + 1);
                }
                Ok(())
            }
        })
        .await?,
    );
    if wrong.get() > 0 {
        bail!("is_within answered {} pairs wrongly", wrong.get());
    }
    timings.push(
        time("get (one organisation)", n, None, |i| {
            let id = any[i];
            async move {
                orgs::get(db, id, today).await?.context("missing")?;
                Ok(())
            }
        })
        .await?,
    );
    timings.push(
        time("children of a commune (≤500)", n, Some(5.0), |i| {
            let id = communes[i];
            async move {
                orgs::children(db, id, today, 0, 500).await?;
                Ok(())
            }
        })
        .await?,
    );
    let upper_label = if province_scale { "children of the root (≤500)" } else { "children of a province (≤500)" };
    timings.push(
        time(upper_label, n, Some(5.0), |i| {
            let id = uppers[i];
            async move {
                orgs::children(db, id, today, 0, 500).await?;
                Ok(())
            }
        })
        .await?,
    );
    let rollup_label = if province_scale { "stats of a commune" } else { "stats of a province" };
    timings.push(
        time(rollup_label, n, None, |i| {
            let org = &rollup_orgs[i];
            async move {
                orgs::stats(db, org, today).await?;
                Ok(())
            }
        })
        .await?,
    );
    let root_n = (n / 10).max(10);
    timings.push(
        time("stats of the root", root_n, Some(50.0), |_| async move {
            orgs::stats(db, root, today).await?;
            Ok(())
        })
        .await?,
    );

    println!();
    println!("{}, {} organisations, date {today}; times in ms", backend_name(db), s.all.len() + 1);
    let missed = print_table(&timings);
    if args.explain || !missed.is_empty() {
        explain(db, root, s, today).await?;
    }
    Ok(())
}

// ------------------------------------------------------------------ query plans

/// "in effect on $N", as in `dangvu_store::orgs`.
fn valid_on(n: usize) -> String {
    format!("v.valid_from <= ${n} AND (v.valid_to IS NULL OR v.valid_to > ${n})")
}

/// Prints the plans of the store's tree queries (their SQL copied from `orgs.rs`), and
/// the time of each statement alone.
async fn explain(db: &Db, root: &orgs::Org, s: &Sample, today: NaiveDate) -> anyhow::Result<()> {
    let end = tree::subtree_end(&root.path);
    let cols = "o.id, o.code, v.name, o.kind, v.parent_id, v.depth, o.founded_on, o.ended_on, \
                o.end_reason, o.merged_into_id, v.path, v.valid_from, v.valid_to";
    let (x, y) = (s.all[s.all.len() / 2].0, s.communes[0]);
    let queries: Vec<(String, String, Vec<Value>)> = vec![
        (
            "is_within".to_owned(),
            format!("SELECT v.org_id, v.path FROM org_versions v WHERE v.org_id IN ($1, $2) AND {}", valid_on(3)),
            vec![x.into(), y.into(), today.into()],
        ),
        (
            "children".to_owned(),
            format!(
                "SELECT {cols} FROM org_versions v JOIN orgs o ON o.id = v.org_id
                 WHERE v.parent_id = $1 AND {} AND v.org_id > $3 ORDER BY v.org_id LIMIT $4",
                valid_on(2)
            ),
            vec![s.communes[0].into(), today.into(), 0i64.into(), 500i64.into()],
        ),
        (
            "stats of the root: organisations by kind".to_owned(),
            format!(
                "SELECT v.kind, COUNT(*) FROM org_versions v
                 WHERE v.path > $1 AND v.path < $2 AND {} GROUP BY v.kind",
                valid_on(3)
            ),
            vec![root.path.as_str().into(), end.as_str().into(), today.into()],
        ),
        (
            "stats of the root: members by status".to_owned(),
            format!(
                "SELECT m.status, COUNT(*) FROM org_versions v JOIN members m ON m.org_id = v.org_id
                 WHERE v.path >= $1 AND v.path < $2 AND {} GROUP BY m.status",
                valid_on(3)
            ),
            vec![root.path.as_str().into(), end.as_str().into(), today.into()],
        ),
    ];
    println!();
    for (label, sql, params) in queries {
        println!("plan of {label}:");
        let (prefix, col) = match db.backend() {
            Backend::Sqlite => ("EXPLAIN QUERY PLAN ", 3),
            Backend::Postgres => ("EXPLAIN (ANALYZE, BUFFERS) ", 0),
        };
        for r in db.query(&format!("{prefix}{sql}"), &params).await? {
            println!("    {}", r.text(col)?);
        }
        db.query(&sql, &params).await?;
        let t = Instant::now();
        for _ in 0..5 {
            db.query(&sql, &params).await?;
        }
        println!("    (this statement alone: {:.3} ms mean of 5)", Timing::ms(t.elapsed()) / 5.0);
    }
    Ok(())
}

// ------------------------------------------------------------------ tasks: query plans

/// `COLUMNS` of `dangvu_store::tasks`, copied.
const TASK_COLUMNS: &str = "t.id, t.org_id, t.title, t.detail, t.lead_org_id, t.meeting_id, t.document_id, \
     t.starts_on, t.due_on, t.recurrence, t.progress, t.done_on, t.review, \
     (SELECT lv.name FROM org_versions lv WHERE lv.org_id = t.lead_org_id ORDER BY lv.valid_from DESC LIMIT 1)";

/// `subtree_tasks_sql` of `dangvu_store::tasks`, copied.
const SUBTREE_TASKS: &str = "SELECT t0.id FROM tasks t0 JOIN org_versions v ON v.org_id = t0.lead_org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2
     UNION
     SELECT s.task_id FROM task_support s JOIN org_versions v ON v.org_id = s.org_id
       AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
     WHERE v.path >= $1 AND v.path < $2";

/// Prints the plan of one statement and the time it takes alone (mean of 5 after one warm-up).
async fn plan(db: &Db, label: &str, sql: &str, params: &[Value]) -> anyhow::Result<f64> {
    println!("plan of {label}:");
    let (prefix, col) = match db.backend() {
        Backend::Sqlite => ("EXPLAIN QUERY PLAN ", 3),
        Backend::Postgres => ("EXPLAIN (ANALYZE, BUFFERS) ", 0),
    };
    for r in db.query(&format!("{prefix}{sql}"), params).await? {
        println!("    {}", r.text(col)?);
    }
    db.query(sql, params).await?;
    let t = Instant::now();
    for _ in 0..5 {
        db.query(sql, params).await?;
    }
    let ms = Timing::ms(t.elapsed()) / 5.0;
    println!("    (this statement alone: {ms:.3} ms mean of 5)");
    Ok(ms)
}

/// The indexes of the queue proposals, created only while they are measured: (name,
/// SQLite, PostgreSQL). PostgreSQL needs `id` in the index for an index-only scan; SQLite
/// has it as the rowid.
const PROPOSED_INDEXES: [(&str, &str, &str); 2] = [
    (
        "bench_proposal_tasks_open_by_lead",
        "ON tasks (lead_org_id, due_on) WHERE done_on IS NULL",
        "ON tasks (lead_org_id, due_on) INCLUDE (id) WHERE done_on IS NULL",
    ),
    ("bench_proposal_tasks_open", "ON tasks (id) WHERE done_on IS NULL", "ON tasks (id) WHERE done_on IS NULL"),
];

/// Drops the proposals' indexes left by an interrupted run, so that the store is timed on its own schema.
pub async fn drop_proposed_indexes(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for (name, _, _) in PROPOSED_INDEXES {
        tx.batch(&format!("DROP INDEX IF EXISTS {name}")).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn create_proposed_index(db: &Db, k: usize) -> anyhow::Result<()> {
    let (name, sqlite, pg) = PROPOSED_INDEXES[k];
    let sql = format!("CREATE INDEX {name} {}", if db.backend() == Backend::Sqlite { sqlite } else { pg });
    let t = Instant::now();
    let mut tx = db.begin().await?;
    tx.batch(&sql).await?;
    tx.batch(&if db.backend() == Backend::Sqlite { format!("ANALYZE {name}") } else { "ANALYZE tasks".to_owned() })
        .await?;
    tx.commit().await?;
    println!("    (P{}: {sql}; {:.1} s)", k + 1, t.elapsed().as_secs_f64());
    Ok(())
}

/// The SQL of the store's queue (`Store`), with `done_on IS NULL` also inside the lead
/// branch (`Q1`), and also inside the support branch by a join to the task (`Q3`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Queue {
    Store,
    Q1,
    Q3,
}

fn queue_sql(variant: Queue) -> String {
    let valid = "AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)";
    let subtree = match variant {
        Queue::Store => SUBTREE_TASKS.to_owned(),
        Queue::Q1 => format!(
            "SELECT t0.id FROM tasks t0 JOIN org_versions v ON v.org_id = t0.lead_org_id {valid}
             WHERE v.path >= $1 AND v.path < $2 AND t0.done_on IS NULL
             UNION
             SELECT s.task_id FROM task_support s JOIN org_versions v ON v.org_id = s.org_id {valid}
             WHERE v.path >= $1 AND v.path < $2"
        ),
        Queue::Q3 => format!(
            "SELECT t0.id FROM tasks t0 JOIN org_versions v ON v.org_id = t0.lead_org_id {valid}
             WHERE v.path >= $1 AND v.path < $2 AND t0.done_on IS NULL
             UNION
             SELECT s.task_id FROM task_support s JOIN org_versions v ON v.org_id = s.org_id {valid}
             JOIN tasks t1 ON t1.id = s.task_id AND t1.done_on IS NULL
             WHERE v.path >= $1 AND v.path < $2"
        ),
    };
    format!(
        "SELECT {TASK_COLUMNS} FROM tasks t WHERE t.id IN ({subtree}) AND t.done_on IS NULL
         ORDER BY CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END, t.due_on, t.id LIMIT $4"
    )
}

/// The SQL of the store's summary.
fn summary_sql() -> String {
    let status = TaskStatus::sql_case(3);
    format!(
        "SELECT t.lead_org_id, v.name, {status} AS status, COUNT(*) FROM tasks t
         JOIN org_versions v ON v.org_id = t.lead_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2
           AND ((t.due_on >= $4 AND t.due_on <= $5)
                OR (t.due_on IS NULL AND (t.done_on IS NULL OR (t.done_on >= $4 AND t.done_on <= $5))))
         GROUP BY t.lead_org_id, v.name, {status}"
    )
}

/// The SQL of the store's trend (`grouped`: counted by day and status in the database).
fn trend_sql(grouped: bool) -> String {
    let status = TaskStatus::sql_case(3);
    let from = "FROM tasks t
         JOIN org_versions v ON v.org_id = t.lead_org_id AND v.valid_from <= $3 AND (v.valid_to IS NULL OR v.valid_to > $3)
         WHERE v.path >= $1 AND v.path < $2 AND t.due_on >= $4 AND t.due_on <= $5";
    if grouped {
        format!("SELECT t.due_on, {status}, COUNT(*) {from} GROUP BY t.due_on, {status}")
    } else {
        format!("SELECT t.due_on, {status} {from}")
    }
}

/// What a query answered, in a form to compare two variants: ids in order, or sums by key.
fn digest(kind: &str, grouped: bool, rows: &[dangvu_store::Row]) -> anyhow::Result<String> {
    Ok(match kind {
        "queue" => format!("{:?}", rows.iter().map(|r| r.int(0)).collect::<Result<Vec<_>, _>>()?),
        _ => {
            let mut m = std::collections::BTreeMap::new();
            for r in rows {
                let n = if grouped { r.int(2)? } else { 1 };
                *m.entry((r.date(0)?.format("%Y-%m").to_string(), r.text(1)?)).or_insert(0) += n;
            }
            format!("{m:?}")
        }
    })
}

/// What the store does with the rows of a trend once read (copied from
/// `tasks.rs`), so that a variant moving work between SQL and Rust is timed whole.
fn finish(kind: &str, grouped: bool, rows: &[dangvu_store::Row]) -> anyhow::Result<usize> {
    match kind {
        "trend" => {
            let mut months: std::collections::BTreeMap<String, (i64, i64)> = std::collections::BTreeMap::new();
            for r in rows {
                let month = r.date(0)?.format("%Y-%m").to_string();
                let late = matches!(r.text(1)?.as_str(), "overdue" | "done_late");
                let n = if grouped { r.int(2)? } else { 1 };
                let e = months.entry(month).or_default();
                e.0 += n;
                e.1 += if late { n } else { 0 };
            }
            Ok(months.len())
        }
        _ => Ok(rows.len()),
    }
}

/// Times each variant once per argument set (after one warm-up), the statement and what
/// the store does with its rows, checks that every variant answers what the first (the
/// store's SQL) answers, and prints mean and max.
async fn compare(
    db: &Db,
    kind: &str,
    title: &str,
    variants: &[(&str, String, bool)],
    args: &[Vec<Value>],
) -> anyhow::Result<()> {
    const ROUNDS: usize = 3;
    println!("{title} ({} argument sets × {ROUNDS} rounds, the variants interleaved):", args.len());
    for (_, sql, _) in variants {
        db.query(sql, &args[0]).await?;
    }
    let mut times = vec![Vec::new(); variants.len()];
    let mut same = vec![true; variants.len()];
    for round in 0..ROUNDS {
        for params in args {
            let mut first = String::new();
            for (k, (_, sql, grouped)) in variants.iter().enumerate() {
                let t = Instant::now();
                let rows = db.query(sql, params).await?;
                finish(kind, *grouped, &rows)?;
                times[k].push(t.elapsed());
                if round == 0 {
                    let d = digest(kind, *grouped, &rows)?;
                    if k == 0 {
                        first = d;
                    } else if d != first {
                        same[k] = false;
                    }
                }
            }
        }
    }
    for (k, (label, _, _)) in variants.iter().enumerate() {
        let (mean, p50, _, max) =
            Timing { operation: String::new(), samples: times[k].clone(), budget_ms: None }.summary();
        let verdict = match (k, same[k]) {
            (0, _) => "",
            (_, true) => "same answers",
            (_, false) => "DIFFERENT ANSWERS",
        };
        println!("    {label:<50} mean {mean:>8.3}  p50 {p50:>8.3}  max {max:>8.3} ms  {verdict}");
    }
    Ok(())
}

/// The plans of the store's task queries (their SQL copied from `tasks.rs`), then the
/// proposals measured against them on the same arguments.
pub async fn tasks_explain(
    db: &Db,
    root: &orgs::Org,
    s: &Sample,
    communes: &[(i64, String)],
    provinces: &[(i64, String)],
    national: bool,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let year = Period::parse("2025").context("a valid period")?;
    let range = |path: &str| -> Vec<Value> {
        vec![path.into(), tree::subtree_end(path).into(), today.into(), year.from.into(), year.to.into()]
    };
    let queue_args =
        |path: &str| -> Vec<Value> { vec![path.into(), tree::subtree_end(path).into(), today.into(), 300i64.into()] };
    // The units with the largest subtrees (the blocs), where the queue is slowest.
    let mut size: HashMap<i64, usize> = HashMap::new();
    for (_, path) in &s.all {
        for id in tree::ids(path) {
            *size.entry(id).or_default() += 1;
        }
    }
    let paths: HashMap<i64, &str> = s.all.iter().map(|(id, p)| (*id, p.as_str())).collect();
    let mut largest: Vec<i64> = s.communes.clone();
    largest.sort_by_key(|id| std::cmp::Reverse(size.get(id).copied().unwrap_or(0)));
    let mut queue_units: Vec<&str> = largest.iter().take(3).filter_map(|id| paths.get(id).copied()).collect();
    queue_units.extend(communes.iter().take(47).map(|(_, p)| p.as_str()));
    let rp = root.path.as_str();
    let commune = queue_units[0];

    println!();
    plan(db, "queue of the largest committee subtree", &queue_sql(Queue::Store), &queue_args(commune)).await?;
    plan(db, "summary of the root, 2025", &summary_sql(), &range(rp)).await?;
    plan(db, "trend of the root, 2025", &trend_sql(false), &range(rp)).await?;

    println!();
    println!("proposals, measured on copies of the store's queries:");
    let q_args: Vec<Vec<Value>> = queue_units.iter().map(|p| queue_args(p)).collect();
    let title = "queue of the 3 largest + 47 random committees (≤300)";
    let store = ("store: queue", queue_sql(Queue::Store), false);
    let q1 = ("Q1: done_on IS NULL also in the lead branch", queue_sql(Queue::Q1), false);
    let q3 = ("Q3: Q1 + the support branch joined to open tasks", queue_sql(Queue::Q3), false);
    let measured = async {
        compare(db, "queue", title, &[store.clone(), q1.clone(), q3.clone()], &q_args).await?;
        create_proposed_index(db, 0).await?;
        compare(db, "queue", &format!("{title}, with index P1"), &[store.clone(), q1, q3.clone()], &q_args).await?;
        create_proposed_index(db, 1).await?;
        compare(db, "queue", &format!("{title}, with P1 and P2"), &[store, q3], &q_args).await?;
        plan(db, "Q3 with P1 and P2 on the largest subtree", &queue_sql(Queue::Q3), &queue_args(commune)).await
    }
    .await;
    drop_proposed_indexes(db).await?;
    measured?;

    let mut groups: Vec<(String, Vec<Vec<Value>>)> = vec![("the root, 5 times".to_owned(), vec![range(rp); 5])];
    if national {
        groups.push(("10 provinces".to_owned(), provinces.iter().take(10).map(|(_, p)| range(p)).collect()));
    }
    let trend = ("store: trend (one row per task)", trend_sql(false), false);
    let t1 = ("T1: GROUP BY due_on, status", trend_sql(true), true);
    for (scope, d_args) in &groups {
        compare(
            db,
            "trend",
            &format!("trend, 2025, of {scope} (statement + the store's Rust)"),
            &[trend.clone(), t1.clone()],
            d_args,
        )
        .await?;
    }
    plan(db, "T1 of the root", &trend_sql(true), &range(rp)).await?;
    Ok(())
}
