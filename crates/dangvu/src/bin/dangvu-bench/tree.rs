//! `dangvu-bench tree`: on a generated national or province tree, times the store's tree
//! queries (`is_within`, `get`, the children of a commune and of a province, the roll-up
//! stats) against their budgets, and with `--explain` (or a missed budget) prints their
//! plans, their SQL copied from `orgs.rs`.

use dangvu_domain::ids::OrgId;
use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dangvu::demo::SplitMix64;
use dangvu_domain::orgs::tree;
use dangvu_store::{Backend, Db, Value, orgs};

use crate::Scale;
use crate::org_tree::{NATIONAL, PROVINCE, Sample, Shape, ensure_tree, open};
use crate::timing::{Timing, backend_name, print_table, time};

#[derive(clap::Args)]
pub struct TreeArgs {
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

pub async fn run(args: TreeArgs) -> anyhow::Result<()> {
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
                ids[rng.below(ids.len() as u64) as usize].0
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
            v.push(orgs::get(db, OrgId(*id), today).await?.context("sampled organisation missing")?);
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
                if orgs::is_within(db, OrgId(x), OrgId(y), today).await? != expect {
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
                orgs::get(db, OrgId(id), today).await?.context("missing")?;
                Ok(())
            }
        })
        .await?,
    );
    timings.push(
        time("children of a commune (≤500)", n, Some(5.0), |i| {
            let id = communes[i];
            async move {
                orgs::children(db, OrgId(id), today, 0, 500).await?;
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
                orgs::children(db, OrgId(id), today, 0, 500).await?;
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
