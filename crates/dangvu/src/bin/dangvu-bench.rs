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
