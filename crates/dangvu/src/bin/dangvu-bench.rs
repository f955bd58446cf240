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
//! `dangvu-bench elections` counts a national congress (1,600 ballots, a list of 220 for 200
//! seats, two tellers) on a database made anew, against the budgets of one ballot saved under
//! 5 ms, the result under 100 ms and the offline verify under 1 s:
//!
//! ```text
//! target/release/dangvu-bench elections                     # sqlite://target/bench-elections.sqlite
//! target/release/dangvu-bench elections --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_elections
//! ```
//!
//! `dangvu-bench congresses` runs a province's congress cycle and a political report of 1,500
//! paragraphs, five versions and 50,000 comments, against the budgets of the subtree's progress
//! under 100 ms, comparing two versions under 200 ms, a paragraph's grouped comments under 50 ms
//! and the disposition report as PDF under 30 s:
//!
//! ```text
//! target/release/dangvu-bench congresses                    # sqlite://target/bench-congresses.sqlite
//! target/release/dangvu-bench congresses --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_congresses
//! ```
//!
//! `dangvu-bench personnel` runs a province of 3,000 organisations with 15,000 leadership seats
//! and 40,000 people in planning pools, against the budgets of the province's gaps and limits
//! under 200 ms and one organisation's pools with their ratios under 50 ms:
//!
//! ```text
//! target/release/dangvu-bench personnel                     # sqlite://target/bench-personnel.sqlite
//! target/release/dangvu-bench personnel --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_personnel
//! ```
//!
//! `dangvu-bench petitions` runs 100,000 petitions over five years in the 60 registers of a
//! province of 3,000 organisations, against the budgets of a register filtered by status under
//! 50 ms, the province's figures for a year under 100 ms and repeat matching under 50 ms:
//!
//! ```text
//! target/release/dangvu-bench petitions                     # sqlite://target/bench-petitions.sqlite
//! target/release/dangvu-bench petitions --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_petitions
//! ```
//!
//! `dangvu-bench rewards` times the Party badge candidates of the next award day on the members
//! bench's registry (5.6 M members nationally, imported once) with a badge history, against the
//! budgets of a province under 100 ms and the country under 2 s:
//!
//! ```text
//! target/release/dangvu-bench rewards                       # the national registry, SQLite
//! target/release/dangvu-bench rewards --scale province
//! ```
//!
//! `dangvu-bench dues` generates a province of 250,000 members with five years of dues payments
//! (15 million member-months), once per database, and times recording a cell's month of
//! payments (< 50 ms), the dues report of the province for a year (< 500 ms), a cell's month and
//! a member's year:
//!
//! ```text
//! target/release/dangvu-bench dues                          # sqlite://target/bench-dues.sqlite
//! target/release/dangvu-bench dues --database-url postgres://postgres@127.0.0.1:5432/dangvu_bench_dues
//! ```
//!
//! `dangvu-bench extract` times the conclusion reader (`dangvu_domain::tasks::conclusion`) over
//! ~20 MB of generated conclusions, against the budget "over 5 MB/s".

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "dangvu-bench", version, about = "Benchmarks of dangvu at national size")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate (once) a national- or province-size tree and time the tree queries on it.
    Tree(tree::TreeArgs),
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
    /// A national congress: 1,600 ballots of a list of 220 for 200 seats, entered by two
    /// tellers; times the entry, the result and the offline recount.
    Elections(elections::ElectionsArgs),
    /// A province's congress cycle (two plans, 10,500 congresses) and a political report of
    /// 1,500 paragraphs in five versions with 50,000 comments; times the progress view, the
    /// comparison, the grouped comments, one comment and the disposition report.
    Congresses(congresses::CongressesArgs),
    /// A province of 3,000 organisations, 15,000 leadership seats and 40,000 people in
    /// planning pools; times the gaps and limits of the province and one organisation's pools.
    Personnel(personnel::PersonnelArgs),
    /// 100,000 petitions over five years in a province's 60 registers: the register by status,
    /// the figures of a year, repeat matching.
    Petitions(petitions::PetitionsArgs),
    /// The Party badge candidates of the next award day, for a province and for the country, on
    /// the members bench's registry with a badge history.
    Rewards(rewards::RewardsArgs),
    /// Party dues on a province of 250,000 members with five years of payments: a cell's month
    /// recorded, the province's report for a year, a cell's month, a member's year.
    Dues(dues::DuesArgs),
}

#[path = "dangvu-bench/cell_meetings.rs"]
mod cell_meetings;
#[path = "dangvu-bench/congresses.rs"]
mod congresses;
#[path = "dangvu-bench/dues.rs"]
mod dues;
#[path = "dangvu-bench/elections.rs"]
mod elections;
#[path = "dangvu-bench/extract.rs"]
mod extract;
#[path = "dangvu-bench/http.rs"]
mod http;
#[path = "dangvu-bench/members.rs"]
mod members;
#[path = "dangvu-bench/org_tree.rs"]
mod org_tree;
#[path = "dangvu-bench/personnel.rs"]
mod personnel;
#[path = "dangvu-bench/petitions.rs"]
mod petitions;
#[path = "dangvu-bench/rewards.rs"]
mod rewards;
#[path = "dangvu-bench/tasks/mod.rs"]
mod tasks;
#[path = "dangvu-bench/timing.rs"]
mod timing;
#[path = "dangvu-bench/tree.rs"]
mod tree;

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
        Command::Tree(args) => tree::run(args).await,
        Command::Tasks(args) => tasks::run(args).await,
        Command::Extract(args) => extract::run(args).await,
        Command::Members(args) => members::run(args).await,
        Command::CellMeetings(args) => cell_meetings::run(args).await,
        Command::Elections(args) => elections::run(args).await,
        Command::Congresses(args) => congresses::run(args).await,
        Command::Personnel(args) => personnel::run(args).await,
        Command::Petitions(args) => petitions::run(args).await,
        Command::Rewards(args) => rewards::run(args).await,
        Command::Dues(args) => dues::run(args).await,
    }
}
