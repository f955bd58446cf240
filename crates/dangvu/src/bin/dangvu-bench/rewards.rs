//! `dangvu-bench rewards`: the Party badge candidates of an award day on the members bench's
//! registry (its database: generated and imported once, as `dangvu-bench members` does), after
//! a badge history like a registry's: every member has received the milestones reached by the
//! last award day, but one in fifty who was missed. Times the candidates of a province and of the
//! whole country for the next award day.

use anyhow::{Context, bail};
use chrono::{Datelike, Months, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::members::MembershipRules;
use dangvu_domain::orgs::tree;
use dangvu_domain::rewards::next_award_days;
use dangvu_store::db::Value;
use dangvu_store::{orgs, params, rewards};

use crate::Scale;
use crate::org_tree::{NATIONAL, PROVINCE, ensure_tree, open, vacuum_analyze};
use crate::timing::{load_average, print_table, time};

#[derive(clap::Args)]
pub struct RewardsArgs {
    /// sqlite://FILE or postgres://…; default: the members bench's database of the scale.
    #[arg(long)]
    database_url: Option<String>,
    /// `province` (200,000 members) or `national` (5,600,000 members).
    #[arg(long, value_enum, default_value_t = Scale::National)]
    scale: Scale,
    #[arg(long, default_value_t = 50)]
    iterations: usize,
}

/// Issue 24's budgets on SQLite: the candidates of a province under 100 ms, of the country
/// under 2 s.
pub async fn run(args: RewardsArgs) -> anyhow::Result<()> {
    let (shape, wanted, file) = match args.scale {
        Scale::Province => (&PROVINCE, 200_000, "bench-members"),
        Scale::National => (&NATIONAL, 5_600_000, "bench-members-national"),
    };
    let url = args.database_url.clone().unwrap_or_else(|| format!("sqlite://target/{file}.sqlite"));
    let db = open(&url).await?;
    ensure_tree(&db, shape).await?;
    let today = calendar::today();
    let root = orgs::get_by_code(&db, shape.root_code, today).await?.context("the generated root is missing")?;
    let have = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if have == 0 {
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
        crate::members::import_members(&db, &cells, wanted, today).await?;
    }
    let rules = MembershipRules::default();
    let days = next_award_days(today, &rules.badge_award_days, 1);
    let on = *days.first().context("no award day in the settings")?;
    let last = previous_award_day(today, &rules);
    badge_history(&db, last, &rules).await?;

    let province = match args.scale {
        Scale::Province => root.clone(),
        Scale::National => {
            orgs::children(&db, root.id, today, 0, 1).await?.into_iter().next().context("no province")?
        }
    };
    let total = db.query_one("SELECT COUNT(*) FROM members", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    let in_province = rewards::badges::candidates(&db, &province.path, on, &rules).await?.len();
    let in_country = rewards::badges::candidates(&db, &root.path, on, &rules).await?.len();
    println!(
        "members: {total}; award day {on} (history to {last}): {in_province} candidates in {}, {in_country} in the country{}",
        province.name,
        load_average()
    );
    let n = args.iterations;
    let mut timings = Vec::new();
    timings.push(
        time("badge candidates of a province", n, Some(100.0), |_| async {
            rewards::badges::candidates(&db, &province.path, on, &rules).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    timings.push(
        time("badge candidates of the country", (n / 10).max(3), Some(2000.0), |_| async {
            rewards::badges::candidates(&db, &root.path, on, &rules).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let missed = print_table(&timings);
    if !missed.is_empty() {
        bail!("budgets missed: {}", missed.join(", "));
    }
    Ok(())
}

/// The last award day before today.
fn previous_award_day(today: NaiveDate, rules: &MembershipRules) -> NaiveDate {
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    next_award_days(year_ago, &rules.badge_award_days, 8).into_iter().filter(|d| *d < today).max().unwrap_or(year_ago)
}

/// Every member's badges up to the milestones reached by `last`, one in fifty missed: written
/// once (a member with a badge means it is done).
async fn badge_history(db: &dangvu_store::Db, last: NaiveDate, rules: &MembershipRules) -> anyhow::Result<()> {
    if db.query_one("SELECT 1 FROM members WHERE badge_years > 0 LIMIT 1", &[]).await?.is_some() {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut cases = Vec::new();
    let mut values = Vec::new();
    let mut milestones = rules.badge_milestone_years.clone();
    milestones.sort_unstable_by(|a, b| b.cmp(a));
    for years in &milestones {
        let by = last.checked_sub_months(Months::new(years * 12)).context("a milestone before the calendar")?;
        values.push(Value::from(by));
        cases.push(format!("WHEN admitted_on <= ${} THEN {years}", values.len()));
    }
    let sql = format!("UPDATE members SET badge_years = CASE {} ELSE 0 END WHERE id % 50 <> 0", cases.join(" "));
    let mut tx = db.begin().await?;
    tx.execute(&sql, &values).await?;
    tx.commit().await?;
    if db.backend() == dangvu_store::Backend::Postgres {
        vacuum_analyze(db, &["members"]).await?;
    }
    println!("badge history to {last} written in {:.1} s (year {})", started.elapsed().as_secs_f64(), last.year());
    Ok(())
}
