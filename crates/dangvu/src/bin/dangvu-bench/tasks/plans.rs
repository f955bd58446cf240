//! The query plans of `dangvu-bench tasks --explain` (or after a missed budget): the plans
//! of the store's task queries, their SQL copied from `tasks.rs`, then the proposals
//! measured against them on the same arguments and checked to answer the same: the queue
//! with `done_on IS NULL` in its branches (Q1, Q3) with and without two partial indexes
//! (P1, P2), and the trend counted by the database (T1).

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use dangvu_domain::orgs::tree;
use dangvu_domain::tasks::{Period, TaskStatus};
use dangvu_store::{Backend, Db, Value, orgs};

use crate::org_tree::Sample;
use crate::timing::Timing;

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
            *size.entry(id.0).or_default() += 1;
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
