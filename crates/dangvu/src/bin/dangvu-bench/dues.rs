//! `dangvu-bench dues`: party dues on a province of 250,000 members (the members bench's
//! generator on the province tree) with five years of payments (15 million member-months: every
//! member declared a basis, nearly all paid every month, one in forty skipped the last three),
//! written once per database. Times recording a cell's month of payments (the use case's reads
//! and its transaction), the dues report of the province for a year, a cell's month and a
//! member's year.

use anyhow::{Context, bail};
use chrono::Days;
use dangvu_domain::calendar;
use dangvu_domain::dues::{DuesRules, Method, Month};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::tree;
use dangvu_domain::personnel::PersonnelRules;
use dangvu_store::audit::Actor;
use dangvu_store::dues::book::{self, Rules};
use dangvu_store::dues::{NewPayment, ledger};
use dangvu_store::{orgs, params};

use crate::org_tree::{PROVINCE, ensure_tree, open, vacuum_analyze};
use crate::timing::{load_average, print_table, time};

#[derive(clap::Args)]
pub struct DuesArgs {
    /// sqlite://FILE or postgres://…
    #[arg(long, default_value = "sqlite://target/bench-dues.sqlite")]
    database_url: String,
    #[arg(long, default_value_t = 30)]
    iterations: usize,
}

const MEMBERS: usize = 250_000;
const YEARS: i32 = 5;

/// Issue 26's budgets on SQLite: a cell's month of payments recorded under 50 ms, the report of
/// the province for a year under 500 ms.
pub async fn run(args: DuesArgs) -> anyhow::Result<()> {
    let db = open(&args.database_url).await?;
    ensure_tree(&db, &PROVINCE).await?;
    let today = calendar::today();
    let root = orgs::get_by_code(&db, PROVINCE.root_code, today).await?.context("the generated root is missing")?;
    let end = tree::subtree_end(&root.path);
    let have = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if have == 0 {
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
        crate::members::import_members(&db, &cells, MEMBERS, today).await?;
    }
    let current = Month::of(today);
    ensure_payments(&db, current).await?;

    let dues = DuesRules::default();
    let personnel = PersonnelRules::default();
    let rules = Rules { dues: &dues, personnel: &personnel };
    let members = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    let payments =
        db.query_one("SELECT COUNT(*) FROM dues_payments", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    // The cells with the most members, one per iteration.
    let cells: Vec<(OrgId, String)> = db
        .query(
            "SELECT o.org_id, o.path FROM org_versions o JOIN members m ON m.org_id = o.org_id
             WHERE o.valid_to IS NULL AND o.kind IN ('cell', 'grassroots_cell')
             GROUP BY o.org_id, o.path ORDER BY COUNT(*) DESC, o.org_id LIMIT 200",
            &[],
        )
        .await?
        .iter()
        .map(|r| Ok((r.id(0)?, r.text(1)?)))
        .collect::<anyhow::Result<_>>()?;
    let (first_cell, first_path) = cells.first().cloned().context("no cell with members")?;
    let year = current.year() - 1;
    let report = book::report(
        &db,
        root.id,
        &root.path,
        Month::new(year, 1).context("year")?,
        Month::new(year, 12).context("year")?,
        today,
        &rules,
    )
    .await?;
    println!(
        "members: {members}, payments: {payments}; report of {year}: {} members, due {}, paid {}, kept {}, remitted {}, \
         {} in arrears{}",
        report.members,
        report.due,
        report.paid,
        report.kept,
        report.remitted,
        report.members_in_arrears,
        load_average()
    );
    let n = args.iterations;
    let actor = Actor::command_line();
    let mut timings = Vec::new();
    timings.push(
        time("record a cell's month of payments", n, Some(50.0), |i| {
            let (cell, path) = cells[i % cells.len()].clone();
            let (db, rules, actor) = (&db, &rules, &actor);
            async move {
                let facts = book::facts_of_subtree(db, &path, rules).await?;
                let payments: Vec<NewPayment> = facts
                    .iter()
                    .filter(|(_, (org, f))| *org == cell && f.in_party(current))
                    .map(|(id, _)| NewPayment {
                        member_id: *id,
                        month: current,
                        amount: 10_000,
                        paid_on: today,
                        method: Method::Cash,
                        reference: None,
                    })
                    .collect();
                let mut tx = db.begin().await?;
                ledger::record_payments(&mut tx, actor, cell, &payments, |m: MemberId, month| {
                    facts.get(&m).map(|(_, f)| f.in_party(month))
                })
                .await?;
                tx.commit().await?;
                Ok(())
            }
        })
        .await?,
    );
    let (from, to) = (Month::new(year, 1).context("year")?, Month::new(year, 12).context("year")?);
    timings.push(
        time("the dues report of the province for a year", (n / 3).max(5), Some(500.0), |_| async {
            book::report(&db, root.id, &root.path, from, to, today, &rules).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    timings.push(
        time("a cell's month", n, Some(50.0), |_| async {
            book::month_book(&db, &first_path, current, today, &rules).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let member: MemberId = db
        .query_one("SELECT MIN(id) FROM members WHERE org_id = $1", params![first_cell])
        .await?
        .context("a member")?
        .id(0)?;
    timings.push(
        time("a member's year", n, Some(20.0), |_| async {
            book::member_year(&db, member, current.year(), today, &rules).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let missed = print_table(&timings);
    if !missed.is_empty() {
        bail!("budgets missed: {}", missed.join(", "));
    }
    Ok(())
}

/// Bases for every member and five years of payments up to last month, written once: one
/// statement a month. Nearly everyone is insured (1 % of a salary in steps of 200,000 đồng); one
/// in forty skipped the last three months.
async fn ensure_payments(db: &dangvu_store::Db, current: Month) -> anyhow::Result<()> {
    if db.query_one("SELECT 1 FROM dues_payments LIMIT 1", &[]).await?.is_some() {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let first = current.plus(-12 * YEARS);
    let mut tx = db.begin_bulk().await?;
    tx.execute(
        "INSERT INTO dues_bases (member_id, from_month, category, base, recorded_by, recorded_at)
         SELECT id, $1, CASE WHEN id % 20 = 0 THEN 'pensioner' ELSE 'insured' END, 4600000 + (id % 40) * 200000,
                NULL, 0
         FROM members",
        params![first.to_string()],
    )
    .await?;
    for month in first.through(current.plus(-1)) {
        let skip = if month >= current.plus(-3) { "id % 40 = 0" } else { "1 = 0" };
        let sql = format!(
            "INSERT INTO dues_payments (member_id, org_id, month, amount, paid_on, method, reference, recorded_by,
                                        recorded_at)
             SELECT id, org_id, $1, CASE WHEN id % 20 = 0 THEN (4600000 + (id % 40) * 200000) / 200
                                         ELSE (4600000 + (id % 40) * 200000) / 100 END,
                    $2, 'cash', NULL, NULL, 0
             FROM members WHERE admitted_on <= $3 AND NOT ({skip})"
        );
        let paid_on = month.first_day() + Days::new(9);
        tx.execute(&sql, params![month.to_string(), paid_on, month.last_day()]).await?;
    }
    ledger::rebuild_paid_years(&mut tx).await?;
    tx.commit().await?;
    if db.backend() == dangvu_store::Backend::Postgres {
        vacuum_analyze(db, &["dues_bases", "dues_payments", "dues_paid_years"]).await?;
    }
    println!("bases and {YEARS} years of payments written in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
