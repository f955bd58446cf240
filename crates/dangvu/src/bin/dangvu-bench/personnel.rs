//! `dangvu-bench personnel`: a province of about 3,000 organisations with five leadership
//! seats each (15,000 posts: a secretary, a deputy, three committee members), nine holders in
//! ten, and about 40,000 people in the planning pools of 2030–2035 (thirteen per organisation
//! over three posts). Times the gaps and limits of the whole province (budget 200 ms) and one
//! organisation's pools with their ratios (budget 50 ms).

use std::fmt::Write as _;

use dangvu::demo::SplitMix64;
use dangvu_domain::personnel::PersonnelRules;
use dangvu_store::{Db, orgs, params, personnel};

use crate::org_tree::{ROWS_PER_INSERT, Sample, Shape, day, ensure_tree, lit, open};
use crate::timing::{backend_name, load_average, print_table, time};

#[derive(clap::Args)]
pub struct PersonnelArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-personnel.sqlite
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, default_value_t = 20)]
    iterations: usize,
}

/// About 3,000 organisations: 60 communes and blocs, 640 grassroots, 2,300 cells.
const SHAPE: Shape = Shape {
    root_code: "BENCHK-ROOT",
    code_prefix: "BENCHK",
    root_name: "Đảng bộ tỉnh (thử tải cán bộ)",
    provinces: 0,
    blocs_per_province: 2,
    communes: 58,
    grassroots: 640,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 2_300,
    cells_in_subs_per_mille: 250,
};

const SURNAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng"];
const GIVEN: [&str; 8] = ["Văn An", "Thị Bình", "Quốc Cường", "Thị Dung", "Minh Đức", "Thị Hà", "Hữu Hùng", "Thị Lan"];

/// Writes `count` members into `org_id` and answers nothing: their ids follow in order.
fn member_values(sql: &mut String, org_id: i64, rng: &mut SplitMix64, created: i64) {
    let name = format!(
        "{} {}",
        SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
        GIVEN[rng.below(GIVEN.len() as u64) as usize]
    );
    let female = name.contains("Thị");
    let birth = day(1960, 1, 1) + chrono::Days::new(rng.below(35 * 365));
    let _ = write!(
        sql,
        "({org_id}, {}, {}, '{birth}', '{}', 'full', '2010-05-19', {created}),",
        lit(&name),
        lit(&dangvu_domain::text::fold(&name)),
        if female { "female" } else { "male" }
    );
}

async fn generate(db: &Db, all: &[i64]) -> anyhow::Result<()> {
    let mut rng = SplitMix64(0x00da_4600_ca00_0001);
    let created = dangvu_store::now_micros();
    // Per organisation: 5 holders-to-be and 13 planned people.
    let per_org = 18;
    let mut tx = db.begin().await?;
    for chunk in all.chunks(ROWS_PER_INSERT / per_org) {
        let mut sql = String::from(
            "INSERT INTO members (org_id, full_name, search_text, birth_date, gender, status, admitted_on, created_at) VALUES ",
        );
        for org in chunk {
            for _ in 0..per_org {
                member_values(&mut sql, *org, &mut rng, created);
            }
        }
        sql.pop();
        tx.execute(&sql, &[]).await?;
    }
    tx.commit().await?;
    let mut tx = db.begin().await?;
    for chunk in all.chunks(ROWS_PER_INSERT / 3) {
        let mut seats = String::from("INSERT INTO post_seats (org_id, post, seats) VALUES ");
        for org in chunk {
            let _ = write!(
                seats,
                "({org}, 'secretary', 1), ({org}, 'deputy_secretary', 1), ({org}, 'executive_committee', 3),"
            );
        }
        seats.pop();
        tx.execute(&seats, &[]).await?;
    }
    // The members of each organisation, in id order: five hold its posts (one seat in ten
    // left empty), thirteen are planned.
    for chunk in all.chunks(ROWS_PER_INSERT / per_org) {
        let first = chunk[0];
        let last = chunk[chunk.len() - 1];
        let rows = tx
            .query(
                "SELECT org_id, id, full_name FROM members WHERE org_id >= $1 AND org_id <= $2 ORDER BY org_id, id",
                params![first, last],
            )
            .await?;
        let mut holders = String::from(
            "INSERT INTO post_holders (org_id, post, term, member_id, full_name, decision, since) VALUES ",
        );
        let mut planned = String::from(
            "INSERT INTO planning_entries (org_id, post, term, member_id, standards, added_on, added_decision, created_at) VALUES ",
        );
        let (mut h, mut p) = (0, 0);
        let mut by_org: std::collections::BTreeMap<i64, Vec<(i64, String)>> = Default::default();
        for r in &rows {
            by_org.entry(r.int(0)?).or_default().push((r.int(1)?, r.text(2)?));
        }
        for (org, people) in by_org {
            for (i, (id, name)) in people.iter().enumerate() {
                if i < 5 {
                    if rng.below(10) == 0 {
                        continue;
                    }
                    let post = ["secretary", "deputy_secretary", "executive_committee"][i.min(2)];
                    let _ =
                        write!(holders, "({org}, '{post}', '2025-2030', {id}, {}, '1-QĐ', '2025-08-20'),", lit(name));
                    h += 1;
                } else {
                    let post = ["secretary", "deputy_secretary", "executive_committee"][(i - 5) % 3];
                    let _ = write!(
                        planned,
                        "({org}, '{post}', '2030-2035', {id}, '[\"Đủ sức khỏe\"]', '2025-12-10', '312-QĐ', {created}),"
                    );
                    p += 1;
                }
            }
        }
        if h > 0 {
            holders.pop();
            tx.execute(&holders, &[]).await?;
        }
        if p > 0 {
            planned.pop();
            tx.execute(&planned, &[]).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn run(args: PersonnelArgs) -> anyhow::Result<()> {
    let url = args.database_url.clone().unwrap_or_else(|| "sqlite://target/bench-personnel.sqlite".into());
    let db = open(&url).await?;
    ensure_tree(&db, &SHAPE).await?;
    let today = dangvu_domain::calendar::today();
    let root = orgs::get_by_code(&db, SHAPE.root_code, today).await?.ok_or_else(|| anyhow::anyhow!("no root"))?;
    let sample = Sample::load(&db, &root, &SHAPE).await?;
    let mut all: Vec<i64> = sample.all.iter().map(|(id, _)| *id).collect();
    all.push(root.id.0);
    all.sort_unstable();
    let loaded = db
        .query_one("SELECT COUNT(*) FROM post_seats WHERE org_id = $1", params![root.id])
        .await?
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    if loaded == 0 {
        let t = std::time::Instant::now();
        generate(&db, &all).await?;
        println!("personnel generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { db.query_one(sql, &[]).await.map(|r| r.map(|r| r.int(0).unwrap_or(0)).unwrap_or(0)) }
    };
    let (seats, holders, planned) = (
        count("SELECT CAST(SUM(seats) AS BIGINT) FROM post_seats").await?,
        count("SELECT COUNT(*) FROM post_holders WHERE until IS NULL").await?,
        count("SELECT COUNT(*) FROM planning_entries WHERE removed_on IS NULL").await?,
    );
    let rules = PersonnelRules::default();
    let mut timings = Vec::new();
    let calendar = dangvu_domain::members::HolidayCalendar::default();
    let cases = personnel::nominations::cases_in(&db, &root.path, &rules.nomination, &calendar, today).await?;
    let report = personnel::limits(&db, &root.path, &rules, &cases, today).await?;
    timings.push(
        time("gaps and limits of the province, with its cases", args.iterations, Some(200.0), |_| {
            let (db, path, rules, calendar) = (&db, &root.path, &rules, &calendar);
            async move {
                let cases = personnel::nominations::cases_in(db, path, &rules.nomination, calendar, today).await?;
                personnel::limits(db, path, rules, &cases, today).await?;
                Ok(())
            }
        })
        .await?,
    );
    let mut rng = SplitMix64(0x00da_4600_ca00_0002);
    let picks: Vec<i64> = (0..args.iterations * 5).map(|_| all[rng.below(all.len() as u64) as usize]).collect();
    let one = personnel::pool(&db, dangvu_domain::ids::OrgId(picks[0]), "", "2030-2035", today, &rules).await?;
    anyhow::ensure!(one.level.people > 0, "the pools timed are empty");
    timings.push(
        time("one organisation's pools with their ratios", args.iterations * 5, Some(50.0), |i| {
            let (db, rules, org) = (&db, &rules, picks[i % picks.len()]);
            async move {
                personnel::pool(db, dangvu_domain::ids::OrgId(org), "", "2030-2035", today, rules).await?;
                Ok(())
            }
        })
        .await?,
    );
    println!(
        "{} organisations, {seats} seats, {holders} holders, {planned} people in pools ({} in the first pool timed) on {}{}; the province: {} gaps, {} holders at a limit",
        all.len(),
        one.level.people,
        backend_name(&db),
        load_average(),
        report.gaps.len(),
        report.limits.len(),
    );
    let missed = print_table(&timings);
    anyhow::ensure!(missed.is_empty(), "over budget: {}", missed.join(", "));
    Ok(())
}
