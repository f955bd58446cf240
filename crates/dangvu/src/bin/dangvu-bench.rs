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
//! migration 0001 exactly: the materialised path of `dangvu_domain::tree`, depth 0 at the
//! root, `search_text = fold(name + " " + code)`, one open version (`valid_to` NULL,
//! change `found`) per organisation.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};
use clap::{Parser, Subcommand, ValueEnum};
use dangvu_domain::org::OrgKind;
use dangvu_domain::text::fold;
use dangvu_domain::tree;
use dangvu_store::{Backend, Db, Value, orgs, params};

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
}

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
    /// 34 provincial committees, 3,321 communes, ~52,000 grassroots organisations, ~300,000 cells.
    National,
    /// One province after 2025: 130 communes, ~1,500 grassroots organisations, ~9,000 cells.
    Province,
}

/// How big a generated tree is.
struct Shape {
    /// The code of the root; its version, written last, marks a complete tree.
    root_code: &'static str,
    code_prefix: &'static str,
    root_name: &'static str,
    /// Provincial committees under the root; 0 puts the communes right under the root.
    provinces: usize,
    /// Bloc committees ("Đảng bộ các cơ quan Đảng", "Đảng bộ Ủy ban nhân dân") per province.
    blocs_per_province: usize,
    communes: usize,
    grassroots: usize,
    /// Per thousand grassroots organisations, how many are đảng bộ cơ sở (the rest chi bộ cơ sở).
    grassroots_committees_per_mille: u64,
    /// Per thousand grassroots committees, how many have đảng bộ bộ phận (1 to 4 each).
    with_subs_per_mille: u64,
    cells: usize,
    /// Per thousand cells, how many sit in a sub-committee rather than right under a grassroots committee.
    cells_in_subs_per_mille: u64,
}

const NATIONAL: Shape = Shape {
    root_code: "BENCH-ROOT",
    code_prefix: "BENCH",
    root_name: "Toàn quốc (thử tải)",
    provinces: 34,
    blocs_per_province: 2,
    communes: 3_321,
    grassroots: 52_000,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 300_000,
    cells_in_subs_per_mille: 250,
};

const PROVINCE: Shape = Shape {
    root_code: "BENCHP-ROOT",
    code_prefix: "BENCHP",
    root_name: "Tỉnh (thử tải)",
    provinces: 0,
    blocs_per_province: 2,
    communes: 130,
    grassroots: 1_500,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 9_000,
    cells_in_subs_per_mille: 250,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Tree(args) => tree_bench(args).await,
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
    if let Some(file) = url.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(file).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let db = Db::connect(&url).await.with_context(|| format!("connecting to {url}"))?;
    if !dangvu_store::migrate::is_current(&db).await.unwrap_or(false) {
        dangvu_store::migrate::migrate(&db).await.context("migrating the schema")?;
    }
    println!("database: {url}");

    let complete = db
        .query_one(
            "SELECT 1 FROM orgs o JOIN org_versions v ON v.org_id = o.id WHERE o.code = $1",
            params![shape.root_code],
        )
        .await?
        .is_some();
    if complete {
        println!("tree already generated (found {}), skipping generation", shape.root_code);
    } else {
        if db.query_one("SELECT 1 FROM orgs WHERE code = $1", params![shape.root_code]).await?.is_some() {
            bail!(
                "{} exists without its version: an earlier generation stopped half-way; \
                 delete the database (or its rows) and run again",
                shape.root_code
            );
        }
        generate(&db, shape).await?;
    }

    let today = chrono::Utc::now().date_naive();
    let root = orgs::get_by_code(&db, shape.root_code, today).await?.context("the generated root is missing")?;
    let t = Instant::now();
    let sample = Sample::load(&db, &root, shape).await?;
    let upper =
        if shape.provinces > 0 { format!("{} provincial committees, ", sample.upper.len()) } else { String::new() };
    println!(
        "tree on {today}: {} organisations below the root ({upper}{} communes and blocs, {} grassroots, \
         {} sub-committees, {} cells); loaded for sampling in {:.1} s",
        sample.all.len(),
        sample.communes.len(),
        sample.grassroots,
        sample.subs,
        sample.cells,
        t.elapsed().as_secs_f64()
    );
    measure(&db, &root, &sample, today, &args, shape).await
}

// ------------------------------------------------------------------ generation

struct Node {
    id: i64,
    parent_id: Option<i64>,
    kind: OrgKind,
    name: String,
    code: String,
    path: String,
    depth: i64,
    founded: NaiveDate,
}

struct Tree {
    nodes: Vec<Node>,
    base_id: i64,
    rng: SplitMix64,
}

impl Tree {
    /// Adds a node below the node at index `parent` (or a root) and answers its index.
    fn add(&mut self, parent: Option<usize>, kind: OrgKind, name: String, tag: &str, prefix: &str) -> usize {
        let index = self.nodes.len();
        let id = self.base_id + index as i64;
        let code = if tag.is_empty() { prefix.to_owned() } else { format!("{prefix}-{tag}{id}") };
        let (parent_id, path, depth, founded) = match parent {
            Some(p) => {
                let parent = &self.nodes[p];
                let founded = parent.founded + Days::new(self.rng.below(30));
                (Some(parent.id), tree::child_path(&parent.path, id), parent.depth + 1, founded)
            }
            None => (None, tree::root_path(id), 0, day(1930, 2, 3)),
        };
        self.nodes.push(Node { id, parent_id, kind, name, code, path, depth, founded });
        index
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

/// The 34 provincial-level units since 1 July 2025.
const PROVINCES: [&str; 34] = [
    "thành phố Hà Nội",
    "thành phố Huế",
    "tỉnh Lai Châu",
    "tỉnh Điện Biên",
    "tỉnh Sơn La",
    "tỉnh Lạng Sơn",
    "tỉnh Quảng Ninh",
    "tỉnh Thanh Hóa",
    "tỉnh Nghệ An",
    "tỉnh Hà Tĩnh",
    "tỉnh Cao Bằng",
    "tỉnh Tuyên Quang",
    "tỉnh Lào Cai",
    "tỉnh Thái Nguyên",
    "tỉnh Phú Thọ",
    "tỉnh Bắc Ninh",
    "tỉnh Hưng Yên",
    "thành phố Hải Phòng",
    "tỉnh Ninh Bình",
    "tỉnh Quảng Trị",
    "thành phố Đà Nẵng",
    "tỉnh Quảng Ngãi",
    "tỉnh Gia Lai",
    "tỉnh Khánh Hòa",
    "tỉnh Lâm Đồng",
    "tỉnh Đắk Lắk",
    "thành phố Hồ Chí Minh",
    "tỉnh Đồng Nai",
    "tỉnh Tây Ninh",
    "thành phố Cần Thơ",
    "tỉnh Vĩnh Long",
    "tỉnh Đồng Tháp",
    "tỉnh Cà Mau",
    "tỉnh An Giang",
];

const SYLLABLES: [&str; 40] = [
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Hưng", "Phước", "Thuận", "Đức", "Quang", "Minh", "Hải", "Sơn",
    "Trung", "Đông", "Tây", "Nam", "Bắc", "Thành", "Lộc", "Thịnh", "Yên", "Vĩnh", "Xuân", "Hà", "Lâm", "Mỹ", "Nghĩa",
    "Kim", "Ngọc", "Cát", "Đại", "Hiệp", "Lợi", "Phong", "Thái", "Tiến", "Châu",
];

const GRASSROOTS_UNITS: [&str; 10] = [
    "Trường THPT",
    "Trường THCS",
    "Trung tâm Y tế khu vực",
    "Công ty cổ phần",
    "Bệnh viện Đa khoa",
    "Ban Quản lý dự án",
    "Trường Tiểu học",
    "Chi nhánh Ngân hàng Nông nghiệp",
    "Công an xã",
    "Ban Chỉ huy Quân sự",
];

const GRASSROOTS_CELLS: [&str; 6] = ["thôn", "khối", "xóm", "bản", "Trường Mầm non", "Trạm Y tế"];

const SUB_UNITS: [&str; 6] = ["Khối Nội", "Khối Ngoại", "Khối Hành chính", "Phân xưởng", "Xí nghiệp", "Chi nhánh"];

const CELL_UNITS: [&str; 8] = [
    "Phòng Hành chính",
    "Phòng Kế hoạch – Tổng hợp",
    "Khoa Nội",
    "Tổ Toán – Tin",
    "Tổ Ngữ văn",
    "Đội sản xuất",
    "Phòng Kỹ thuật",
    "Văn phòng",
];

fn place(rng: &mut SplitMix64) -> String {
    let a = SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize];
    let b = SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize];
    format!("{a} {b}")
}

fn pick<'a>(rng: &mut SplitMix64, from: &[&'a str]) -> &'a str {
    from[rng.below(from.len() as u64) as usize]
}

/// Builds the whole tree in memory, level by level, with ids following the highest id
/// already in the database.
fn build_tree(shape: &Shape, base_id: i64) -> Tree {
    let mut t = Tree { nodes: Vec::with_capacity(400_000), base_id, rng: SplitMix64(0x00da_4600_0000_0034) };
    let p = shape.code_prefix;
    let root = t.add(None, OrgKind::Province, shape.root_name.to_owned(), "", shape.root_code);

    // Provincial committees (as `committee`, since the root is the only `province`), or
    // the root itself at province scale.
    let mut upper = Vec::new();
    for i in 0..shape.provinces {
        upper.push(t.add(
            Some(root),
            OrgKind::Committee,
            format!("Đảng bộ {}", PROVINCES[i % PROVINCES.len()]),
            "T",
            p,
        ));
    }
    if upper.is_empty() {
        upper.push(root);
    }
    let mut blocs = Vec::new();
    for &u in &upper {
        for b in 0..shape.blocs_per_province {
            let name =
                if b % 2 == 0 { "Đảng bộ các cơ quan Đảng" } else { "Đảng bộ Ủy ban nhân dân" };
            blocs.push(t.add(Some(u), OrgKind::Committee, name.to_owned(), "K", p));
        }
    }
    let mut communes = Vec::with_capacity(shape.communes);
    for _ in 0..shape.communes {
        let parent = upper[t.rng.below(upper.len() as u64) as usize];
        let level = if t.rng.below(5) == 0 { "phường" } else { "xã" };
        let name = format!("Đảng bộ {level} {}", place(&mut t.rng));
        communes.push(t.add(Some(parent), OrgKind::Committee, name, "X", p));
    }
    // Grassroots organisations: most in communes, some in the blocs.
    let mut committees = Vec::new();
    for _ in 0..shape.grassroots {
        let parent = if blocs.is_empty() || t.rng.below(100) < 85 {
            communes[t.rng.below(communes.len() as u64) as usize]
        } else {
            blocs[t.rng.below(blocs.len() as u64) as usize]
        };
        if t.rng.below(1000) < shape.grassroots_committees_per_mille {
            let name = format!("Đảng bộ {} {}", pick(&mut t.rng, &GRASSROOTS_UNITS), place(&mut t.rng));
            committees.push(t.add(Some(parent), OrgKind::GrassrootsCommittee, name, "G", p));
        } else {
            let name = format!("Chi bộ {} {}", pick(&mut t.rng, &GRASSROOTS_CELLS), place(&mut t.rng));
            t.add(Some(parent), OrgKind::GrassrootsCell, name, "C", p);
        }
    }
    let mut subs = Vec::new();
    for &gc in &committees {
        if t.rng.below(1000) < shape.with_subs_per_mille {
            for k in 0..1 + t.rng.below(4) {
                let name = format!("Đảng bộ bộ phận {} {}", pick(&mut t.rng, &SUB_UNITS), k + 1);
                subs.push(t.add(Some(gc), OrgKind::SubCommittee, name, "B", p));
            }
        }
    }
    for _ in 0..shape.cells {
        let parent = if !subs.is_empty() && t.rng.below(1000) < shape.cells_in_subs_per_mille {
            subs[t.rng.below(subs.len() as u64) as usize]
        } else {
            committees[t.rng.below(committees.len() as u64) as usize]
        };
        let name = format!("Chi bộ {} {}", pick(&mut t.rng, &CELL_UNITS), 1 + t.rng.below(12));
        t.add(Some(parent), OrgKind::Cell, name, "CB", p);
    }
    t
}

/// A text literal: the generated names come from the constants above, but quote anyway.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Rows per multi-row INSERT, and organisations per transaction.
const ROWS_PER_INSERT: usize = 1000;
const ORGS_PER_TRANSACTION: usize = 50_000;

/// Writes the tree with multi-row INSERTs of literal values (binding tens of thousands of
/// `$N` parameters costs more than parsing the literals: SQLite looks named parameters up
/// one by one). The root's version goes in last, in the last transaction: its presence
/// marks a complete tree.
async fn generate(db: &Db, shape: &Shape) -> anyhow::Result<()> {
    let started = Instant::now();
    let base_id = db.query_one("SELECT COALESCE(MAX(id), 0) FROM orgs", &[]).await?.context("no row")?.int(0)? + 1;
    let t = build_tree(shape, base_id);
    let nodes = &t.nodes;
    println!(
        "generating {} organisations (ids {}..={}), built in memory in {:.1} s",
        nodes.len(),
        base_id,
        base_id + nodes.len() as i64 - 1,
        started.elapsed().as_secs_f64()
    );
    let created_at = dangvu_store::now_micros();

    // Every non-root version first; the root's version (index 0) last.
    let order: Vec<usize> = (1..nodes.len()).chain(std::iter::once(0)).collect();
    for (part, chunk) in order.chunks(ORGS_PER_TRANSACTION).enumerate() {
        let mut tx = db.begin().await?;
        if part == 0 {
            // The orgs row of the root comes first: versions refer to it.
            tx.batch(&insert_orgs(&[&nodes[0]], created_at)).await?;
        }
        let org_rows: Vec<&Node> = chunk.iter().filter(|&&i| i != 0).map(|&i| &nodes[i]).collect();
        for rows in org_rows.chunks(ROWS_PER_INSERT) {
            tx.batch(&insert_orgs(rows, created_at)).await?;
        }
        for rows in chunk.chunks(ROWS_PER_INSERT) {
            let mut sql = String::with_capacity(rows.len() * 260);
            sql.push_str(
                "INSERT INTO org_versions (org_id, parent_id, kind, name, search_text, path, depth, valid_from, valid_to, change) VALUES ",
            );
            for (k, &i) in rows.iter().enumerate() {
                let n = &nodes[i];
                if k > 0 {
                    sql.push(',');
                }
                let parent = n.parent_id.map_or_else(|| "NULL".to_owned(), |p| p.to_string());
                let search = fold(&format!("{} {}", n.name, n.code));
                write!(
                    sql,
                    "({},{},{},{},{},{},{},{},NULL,'found')",
                    n.id,
                    parent,
                    lit(n.kind.as_str()),
                    lit(&n.name),
                    lit(&search),
                    lit(&n.path),
                    n.depth,
                    lit(&n.founded.format("%Y-%m-%d").to_string())
                )
                .expect("writing to a String");
            }
            tx.batch(&sql).await?;
        }
        tx.commit().await?;
        let done = ((part + 1) * ORGS_PER_TRANSACTION).min(nodes.len());
        println!("  {done:>7} / {} written, {:.1} s", nodes.len(), started.elapsed().as_secs_f64());
    }
    if db.backend() == Backend::Postgres {
        // The ids were given explicitly: move the identity past them for later inserts.
        let mut tx = db.begin().await?;
        tx.query("SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT MAX(id) FROM orgs))", &[]).await?;
        tx.commit().await?;
    }
    let t = Instant::now();
    match db.backend() {
        Backend::Sqlite => {
            let mut tx = db.begin().await?;
            tx.batch("ANALYZE").await?;
            tx.commit().await?;
        }
        Backend::Postgres => {
            // VACUUM sets the visibility map, so index-only scans need no heap visits
            // (autovacuum would do the same a little later).
            for table in ["orgs", "org_versions"] {
                if let Err(e) = db.query(&format!("VACUUM ANALYZE {table}"), &[]).await {
                    println!("VACUUM ANALYZE {table} failed ({e}); running ANALYZE");
                    let mut tx = db.begin().await?;
                    tx.batch(&format!("ANALYZE {table}")).await?;
                    tx.commit().await?;
                }
            }
        }
    }
    println!(
        "generated in {:.1} s (of which ANALYZE {:.1} s)",
        started.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn insert_orgs(rows: &[&Node], created_at: i64) -> String {
    let mut sql = String::with_capacity(rows.len() * 80);
    sql.push_str("INSERT INTO orgs (id, code, kind, founded_on, created_at) VALUES ");
    for (k, n) in rows.iter().enumerate() {
        if k > 0 {
            sql.push(',');
        }
        write!(
            sql,
            "({},{},{},{},{created_at})",
            n.id,
            lit(&n.code),
            lit(n.kind.as_str()),
            lit(&n.founded.format("%Y-%m-%d").to_string())
        )
        .expect("writing to a String");
    }
    sql
}

// ------------------------------------------------------------------ measurement

/// The organisations of the generated tree, by role, to draw random arguments from.
struct Sample {
    /// (id, path) of every organisation below the root.
    all: Vec<(i64, String)>,
    /// Provincial committees (national scale), or the root (province scale).
    upper: Vec<i64>,
    /// Communes and blocs: the committees at the lowest committee level.
    communes: Vec<i64>,
    grassroots: usize,
    subs: usize,
    cells: usize,
}

impl Sample {
    async fn load(db: &Db, root: &orgs::Org, shape: &Shape) -> anyhow::Result<Sample> {
        let rows = db
            .query(
                "SELECT v.org_id, v.kind, v.path, v.depth FROM org_versions v
                 WHERE v.path > $1 AND v.path < $2 AND v.valid_to IS NULL",
                params![root.path.as_str(), tree::subtree_end(&root.path)],
            )
            .await?;
        let commune_depth = if shape.provinces > 0 { 2 } else { 1 };
        let mut s =
            Sample { all: Vec::new(), upper: Vec::new(), communes: Vec::new(), grassroots: 0, subs: 0, cells: 0 };
        for r in &rows {
            let (id, kind, path, depth) = (r.int(0)?, r.text(1)?, r.text(2)?, r.int(3)?);
            match OrgKind::parse(&kind) {
                Some(OrgKind::Committee) if depth == commune_depth => s.communes.push(id),
                Some(OrgKind::Committee) if depth == 1 => s.upper.push(id),
                Some(OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell) => s.grassroots += 1,
                Some(OrgKind::SubCommittee) => s.subs += 1,
                Some(OrgKind::Cell) => s.cells += 1,
                _ => {}
            }
            s.all.push((id, path));
        }
        if s.upper.is_empty() {
            s.upper.push(root.id);
        }
        if s.all.is_empty() || s.communes.is_empty() {
            bail!("the generated tree is empty");
        }
        Ok(s)
    }
}

struct Timing {
    operation: String,
    samples: Vec<Duration>,
    /// The most a call may take at p99, in ms, when the issue sets a budget.
    budget_ms: Option<f64>,
}

impl Timing {
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    /// The nearest-rank percentile.
    fn percentile(sorted: &[Duration], p: f64) -> Duration {
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    fn summary(&self) -> (f64, f64, f64, f64) {
        let mut s = self.samples.clone();
        s.sort();
        let mean = s.iter().map(|d| Timing::ms(*d)).sum::<f64>() / s.len() as f64;
        (
            mean,
            Timing::ms(Timing::percentile(&s, 50.0)),
            Timing::ms(Timing::percentile(&s, 99.0)),
            Timing::ms(*s.last().expect("at least one sample")),
        )
    }
}

/// Runs `op` `warmup` times unmeasured, then `n` times measured.
async fn time<F, Fut>(operation: &str, n: usize, budget_ms: Option<f64>, mut op: F) -> anyhow::Result<Timing>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let warmup = (n / 20).max(3);
    for i in 0..warmup {
        op(i).await?;
    }
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        op(warmup + i).await?;
        samples.push(t.elapsed());
    }
    Ok(Timing { operation: operation.to_owned(), samples, budget_ms })
}

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

    let backend = match db.backend() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!();
    println!("{backend}, {} organisations, date {today}; times in ms", s.all.len() + 1);
    println!("{:<32} {:>6} {:>9} {:>9} {:>9} {:>9}  budget (p99)", "operation", "iters", "mean", "p50", "p99", "max");
    let mut missed = Vec::new();
    for t in &timings {
        let (mean, p50, p99, max) = t.summary();
        let verdict = match t.budget_ms {
            Some(b) if p99 <= b => format!("< {b} ms: ok"),
            Some(b) => {
                missed.push(t.operation.clone());
                format!("< {b} ms: MISSED")
            }
            None => String::new(),
        };
        println!(
            "{:<32} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3}  {verdict}",
            t.operation,
            t.samples.len(),
            mean,
            p50,
            p99,
            max
        );
    }
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

// ------------------------------------------------------------------ a fixed-seed PRNG

/// splitmix64: the same tree and the same random arguments on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
