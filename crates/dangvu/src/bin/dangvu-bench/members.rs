//! `dangvu-bench members`: imports generated members into the cells of a generated tree as
//! `dangvu members import` does (once per database) and prints rows per second, then times
//! the roll-up figures of the root and of a province, a search in a province and the export
//! of a province to XLSX and CSV with the peak resident memory of each. `import_members` also
//! fills the cell-meetings bench's province.

use std::time::Instant;

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};
use dangvu::demo::SplitMix64;
use dangvu_domain::calendar;
use dangvu_domain::orgs::tree;
use dangvu_store::{Backend, orgs, params};

use crate::Scale;
use crate::org_tree::{NATIONAL, PROVINCE, day, ensure_tree, open, vacuum_analyze};
use crate::timing::{load_average, print_table, time};

#[derive(clap::Args)]
pub struct MembersArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-members.sqlite
    #[arg(long)]
    database_url: Option<String>,
    /// `province` (default: 200,000 members) or `national` (5,600,000 members in ~300,000 cells).
    #[arg(long, value_enum, default_value_t = Scale::Province)]
    scale: Scale,
    /// Members to import over the tree's cells; the scale's figure when absent.
    #[arg(long)]
    members: Option<usize>,
    #[arg(long, default_value_t = 200)]
    iterations: usize,
}

/// Issue 4's budgets on SQLite: import ≥ 100,000 rows/s, stats of a province < 20 ms,
/// search in a province < 50 ms, XLSX export of 200,000 members < 10 s.
pub async fn run(args: MembersArgs) -> anyhow::Result<()> {
    use dangvu_store::members;
    let (shape, default_members, file) = match args.scale {
        Scale::Province => (&PROVINCE, 200_000, "bench-members"),
        Scale::National => (&NATIONAL, 5_600_000, "bench-members-national"),
    };
    let wanted = args.members.unwrap_or(default_members);
    let url = args.database_url.clone().unwrap_or_else(|| format!("sqlite://target/{file}.sqlite"));
    let db = open(&url).await?;
    ensure_tree(&db, shape).await?;
    let today = calendar::today();
    let root = orgs::get_by_code(&db, shape.root_code, today).await?.context("the generated root is missing")?;
    let end = tree::subtree_end(&root.path);
    let cells: Vec<i64> = db
        .query(
            "SELECT org_id FROM org_versions WHERE path > $1 AND path < $2 AND valid_to IS NULL
               AND kind IN ('cell', 'grassroots_cell') ORDER BY org_id",
            params![root.path.as_str(), end.as_str()],
        )
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_, _>>()?;
    let have = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if have == 0 {
        import_members(&db, &cells, wanted, today).await?;
        // SQLite has no autovacuum to gather statistics, and the members' queries are planned
        // without them there.
        if db.backend() == Backend::Postgres {
            vacuum_analyze(&db, &["members", "member_terms", "member_periods", "org_member_totals"]).await?;
        }
    }
    let total = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    println!("members: {total} in {} cells{}", cells.len(), load_average());

    // The province measured: the tree itself at province scale, its first province nationally.
    let province = match args.scale {
        Scale::Province => root.clone(),
        Scale::National => {
            let kids = orgs::children(&db, root.id, today, 0, 1).await?;
            kids.into_iter().next().context("the national tree has no province")?
        }
    };
    let n = args.iterations;
    let mut timings = Vec::new();
    if args.scale == Scale::National {
        timings.push(
            time("stats of the root, today", n, Some(100.0), |_| async {
                orgs::stats(&db, &root, today).await.map_err(anyhow::Error::from)
            })
            .await?,
        );
    }
    timings.push(
        time("stats of a province, today", n, Some(20.0), |_| async {
            orgs::stats(&db, &province, today).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let past = today - Days::new(30);
    timings.push(
        time("stats of a province, 30 days ago", (n / 20).max(3), None, |_| async {
            orgs::stats(&db, &province, past).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let rules = dangvu_domain::members::MembershipRules::default();
    timings.push(
        time("figures of a province (gender, age, party age)", (n / 20).max(3), None, |_| async {
            dangvu_store::members::figures::on_day(&db, &province.path, today, &rules)
                .await
                .map_err(anyhow::Error::from)
        })
        .await?,
    );
    // Common words (a page is met within a few hundred members), three common words that
    // few members share, and a card number's first digits (a handful of members).
    for q in ["dang", "pham hung", "nguyen van an", "duong van hai", "12345"] {
        timings.push(
            time(&format!("search in a province, \"{q}\" (a page of 50)"), n, Some(50.0), |_| {
                let db = &db;
                let path = province.path.clone();
                async move {
                    let s = members::Search { path: &path, q: Some(q), status: None, after: None, limit: 50 };
                    members::search(db, &s, today).await.map_err(anyhow::Error::from)
                }
            })
            .await?,
        );
    }
    let missed = print_table(&timings);

    for format in [dangvu_web::members::ExportFormat::Xlsx, dangvu_web::members::ExportFormat::Csv] {
        reset_peak_memory();
        let before = peak_memory();
        let started = Instant::now();
        let search = members::Search { path: &province.path, q: None, status: None, after: None, limit: 0 };
        let (bytes, count) =
            dangvu_web::members::export(&db, search, format, |m| m).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "export of a province to {format:?}: {count} members, {:.1} MB in {:.1} s (budget < 10 s); resident memory {before} before, peak {} during",
            bytes.len() as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            peak_memory()
        );
    }
    if !missed.is_empty() {
        bail!("budgets missed: {}", missed.join(", "));
    }
    Ok(())
}

/// Imports `wanted` generated members over `cells` as `dangvu members import` does: a CSV
/// file with a `cell` column (written first, not timed), read, checked and written in one
/// transaction. Prints rows per second, reading and checks included.
pub async fn import_members(
    db: &dangvu_store::Db,
    cells: &[i64],
    wanted: usize,
    today: NaiveDate,
) -> anyhow::Result<()> {
    const SURNAMES: [&str; 12] =
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương"];
    const MIDDLE: [&str; 4] = ["Văn", "Thị", "Đức", "Minh"];
    const GIVEN: [&str; 12] = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam"];
    use std::io::Write;
    let codes: std::collections::HashMap<i64, String> = db
        .query("SELECT id, code FROM orgs", &[])
        .await?
        .iter()
        .map(|r| Ok((r.int(0)?, r.text(1)?)))
        .collect::<Result<_, dangvu_store::StoreError>>()?;
    let path = std::path::PathBuf::from(format!("target/bench-members-{wanted}.csv"));
    let writing = Instant::now();
    let mut rng = SplitMix64(0x4d45_4d42);
    let per_cell = wanted.div_ceil(cells.len().max(1));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, "cell,full_name,birth_date,gender,status,admitted_on,national_id,card_number")?;
    let mut done = 0;
    for &cell in cells {
        let n = per_cell.min(wanted - done);
        for _ in 0..n {
            let birth = day(1950, 1, 1) + Days::new(rng.below(365 * 55));
            let female = rng.below(3) == 0;
            writeln!(
                out,
                "{},{} {} {},{},{},{},{},{:012},{:08}",
                codes[&cell],
                SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
                if female { "Thị" } else { MIDDLE[rng.below(MIDDLE.len() as u64) as usize] },
                GIVEN[rng.below(GIVEN.len() as u64) as usize],
                birth.format("%d/%m/%Y"),
                if female { "Nữ" } else { "Nam" },
                if rng.below(12) == 0 { "dự bị" } else { "chính thức" },
                (birth + Days::new(365 * 22 + rng.below(365 * 20))).min(today),
                rng.below(1_000_000_000_000),
                rng.below(100_000_000),
            )?;
        }
        done += n;
        if done >= wanted {
            break;
        }
    }
    out.flush()?;
    drop(out);
    println!(
        "wrote {done} members over {} cells to {} in {:.1} s ({:.0} MB)",
        cells.len(),
        path.display(),
        writing.elapsed().as_secs_f64(),
        std::fs::metadata(&path)?.len() as f64 / 1e6
    );
    let started = Instant::now();
    let loaded = dangvu_web::members::load::load_file(db, &path, None, today)
        .await
        .map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "imported {} members in {secs:.1} s: {:.0} rows/s (budget ≥ 100,000; reading, checks and indexes included)",
        loaded.members,
        loaded.members as f64 / secs
    );
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Starts a new peak for `peak_memory` (Linux: writing 5 to clear_refs resets VmHWM).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory, from /proc where there is one.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}
