//! The generated organisation tree every bench runs on: its shapes (national, one
//! province), its generation once per database by multi-row inserts straight into `orgs`
//! and `org_versions`, and the sample of it the benches draw their arguments from; with
//! what the other generators share: connecting (`open`), literals and rows per insert
//! (`lit`, `ROWS_PER_INSERT`), statistics after a load (`vacuum_analyze`), dates (`day`)
//! and random names (`pick`, `place`).

use dangvu_domain::ids::OrgId;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};
// A fixed-seed PRNG, splitmix64: the same tree and the same random arguments on every run.
use dangvu::demo::SplitMix64;
use dangvu_domain::orgs::OrgKind;
use dangvu_domain::orgs::tree;
use dangvu_domain::text::fold;
use dangvu_store::{Backend, Db, orgs, params};

/// How big a generated tree is.
pub struct Shape {
    /// The code of the root; its version, written last, marks a complete tree.
    pub root_code: &'static str,
    pub code_prefix: &'static str,
    pub root_name: &'static str,
    /// Provincial committees under the root; 0 puts the communes right under the root.
    pub provinces: usize,
    /// Bloc committees ("Đảng bộ các cơ quan Đảng", "Đảng bộ Ủy ban nhân dân") per province.
    pub blocs_per_province: usize,
    pub communes: usize,
    pub grassroots: usize,
    /// Per thousand grassroots organisations, how many are đảng bộ cơ sở (the rest chi bộ cơ sở).
    pub grassroots_committees_per_mille: u64,
    /// Per thousand grassroots committees, how many have đảng bộ bộ phận (1 to 4 each).
    pub with_subs_per_mille: u64,
    pub cells: usize,
    /// Per thousand cells, how many sit in a sub-committee rather than right under a grassroots committee.
    pub cells_in_subs_per_mille: u64,
}

pub const NATIONAL: Shape = Shape {
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

pub const PROVINCE: Shape = Shape {
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

/// Connects to `url` (creating the directory of a SQLite file) and brings the schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    if let Some(file) = url.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(file).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let db = Db::connect(url).await.with_context(|| format!("connecting to {url}"))?;
    if !dangvu_store::migrate::is_current(&db).await.unwrap_or(false) {
        dangvu_store::migrate::migrate(&db).await.context("migrating the schema")?;
    }
    println!("database: {url}");
    Ok(db)
}

/// Generates the tree of `shape` unless the database already holds it.
pub async fn ensure_tree(db: &Db, shape: &Shape) -> anyhow::Result<()> {
    let complete = db
        .query_one(
            "SELECT 1 FROM orgs o JOIN org_versions v ON v.org_id = o.id WHERE o.code = $1",
            params![shape.root_code],
        )
        .await?
        .is_some();
    if complete {
        println!("tree already generated (found {}), skipping generation", shape.root_code);
        return Ok(());
    }
    if db.query_one("SELECT 1 FROM orgs WHERE code = $1", params![shape.root_code]).await?.is_some() {
        bail!(
            "{} exists without its version: an earlier generation stopped half-way; \
             delete the database (or its rows) and run again",
            shape.root_code
        );
    }
    generate(db, shape).await
}

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
                (Some(parent.id), tree::child_path(&parent.path, OrgId(id)), parent.depth + 1, founded)
            }
            None => (None, tree::root_path(OrgId(id)), 0, day(1930, 2, 3)),
        };
        self.nodes.push(Node { id, parent_id, kind, name, code, path, depth, founded });
        index
    }
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
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

pub fn place(rng: &mut SplitMix64) -> String {
    let a = SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize];
    let b = SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize];
    format!("{a} {b}")
}

pub fn pick<'a>(rng: &mut SplitMix64, from: &[&'a str]) -> &'a str {
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
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Rows per multi-row INSERT, and organisations per transaction.
pub const ROWS_PER_INSERT: usize = 1000;
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
            vacuum_analyze(db, &["orgs", "org_versions"]).await?;
        }
    }
    println!(
        "generated in {:.1} s (of which ANALYZE {:.1} s)",
        started.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// PostgreSQL after a bulk load: statistics for the planner, and the visibility map so that
/// index-only scans need no heap visits (autovacuum would do both a little later).
pub async fn vacuum_analyze(db: &Db, tables: &[&str]) -> anyhow::Result<()> {
    for table in tables {
        if let Err(e) = db.query(&format!("VACUUM ANALYZE {table}"), &[]).await {
            println!("VACUUM ANALYZE {table} failed ({e}); running ANALYZE");
            let mut tx = db.begin().await?;
            tx.batch(&format!("ANALYZE {table}")).await?;
            tx.commit().await?;
        }
    }
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

/// The organisations of the generated tree, by role, to draw random arguments from.
pub struct Sample {
    /// (id, path) of every organisation below the root.
    pub all: Vec<(i64, String)>,
    /// Provincial committees (national scale), or the root (province scale).
    pub upper: Vec<i64>,
    /// Communes and blocs: the committees at the lowest committee level.
    pub communes: Vec<i64>,
    /// Grassroots committees and grassroots cells.
    pub grassroots: Vec<i64>,
    pub subs: Vec<i64>,
    pub cells: Vec<i64>,
}

impl Sample {
    pub async fn load(db: &Db, root: &orgs::Org, shape: &Shape) -> anyhow::Result<Sample> {
        let rows = db
            .query(
                "SELECT v.org_id, v.kind, v.path, v.depth FROM org_versions v
                 WHERE v.path > $1 AND v.path < $2 AND v.valid_to IS NULL",
                params![root.path.as_str(), tree::subtree_end(&root.path)],
            )
            .await?;
        let commune_depth = if shape.provinces > 0 { 2 } else { 1 };
        let mut s = Sample {
            all: Vec::new(),
            upper: Vec::new(),
            communes: Vec::new(),
            grassroots: Vec::new(),
            subs: Vec::new(),
            cells: Vec::new(),
        };
        for r in &rows {
            let (id, kind, path, depth) = (r.int(0)?, r.text(1)?, r.text(2)?, r.int(3)?);
            match OrgKind::parse(&kind) {
                Some(OrgKind::Committee) if depth == commune_depth => s.communes.push(id),
                Some(OrgKind::Committee) if depth == 1 => s.upper.push(id),
                Some(OrgKind::GrassrootsCommittee | OrgKind::GrassrootsCell) => s.grassroots.push(id),
                Some(OrgKind::SubCommittee) => s.subs.push(id),
                Some(OrgKind::Cell) => s.cells.push(id),
                _ => {}
            }
            s.all.push((id, path));
        }
        if s.upper.is_empty() {
            s.upper.push(root.id.0);
        }
        if s.all.is_empty() || s.communes.is_empty() || s.grassroots.is_empty() {
            bail!("the generated tree is empty");
        }
        Ok(s)
    }

    pub fn describe(&self, shape: &Shape) -> String {
        let upper =
            if shape.provinces > 0 { format!("{} provincial committees, ", self.upper.len()) } else { String::new() };
        format!(
            "{} organisations below the root ({upper}{} communes and blocs, {} grassroots, {} sub-committees, {} cells)",
            self.all.len(),
            self.communes.len(),
            self.grassroots.len(),
            self.subs.len(),
            self.cells.len()
        )
    }
}
