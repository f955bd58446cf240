//! `dangvu-bench tasks`: over a province of about 3,000 units with 200,000 tasks (or the
//! national tree with 1,000,000), times `dangvu_store::tasks` (a unit's queue, the summary
//! and trend of the dashboard) and the same through HTTP on an in-process server (the queue
//! page, the dashboard, the summary API) against their budgets; `--explain` (or a missed
//! budget) goes on to the query plans and the measured proposals.

pub mod generate;
mod plans;

use std::collections::HashMap;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dangvu::demo::SplitMix64;
use dangvu_domain::calendar;
use dangvu_domain::tasks::{Period, TaskStatus};
use dangvu_store::{Db, orgs, params, tasks};

use crate::Scale;
use crate::http::{BENCH_PASSWORD, Http};
use crate::org_tree::{Sample, ensure_tree, open};
use crate::timing::{Timing, backend_name, load_average, print_table, time};
use generate::{NATIONAL_TASKS, PROVINCE_TASKS, TaskShape, ensure_tasks, pick_id};
use plans::{drop_proposed_indexes, tasks_explain};

#[derive(clap::Args)]
pub struct TasksArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-tasks-<scale>.sqlite
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, value_enum, default_value_t = Scale::Province)]
    scale: Scale,
    /// Repetitions of each measured operation (those over the whole root run a quarter as often).
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Print the query plans (and the measured alternatives) even when every budget is met.
    #[arg(long)]
    explain: bool,
}

pub async fn run(args: TasksArgs) -> anyhow::Result<()> {
    let ts = match args.scale {
        Scale::National => &NATIONAL_TASKS,
        Scale::Province => &PROVINCE_TASKS,
    };
    let url = args.database_url.clone().unwrap_or_else(|| match args.scale {
        Scale::National => "sqlite://target/bench-tasks-national.sqlite".into(),
        Scale::Province => "sqlite://target/bench-tasks-province.sqlite".into(),
    });
    let db = open(&url).await?;
    drop_proposed_indexes(&db).await?;
    ensure_tree(&db, ts.tree).await?;
    let today = calendar::today();
    let root = orgs::get_by_code(&db, ts.tree.root_code, today).await?.context("the generated root is missing")?;
    let sample = Sample::load(&db, &root, ts.tree).await?;
    println!("tree on {today}: {}", sample.describe(ts.tree));
    ensure_tasks(&db, ts, &root, &sample, today).await?;

    // What the data looks like, through the store itself.
    let year = Period::parse("2025").context("a valid period")?;
    for (label, from, to) in [("all time", calendar::EARLIEST, calendar::LATEST), ("2025", year.from, year.to)] {
        let c = tasks::summary(&db, &root.path, today, from, to).await?.counts;
        println!(
            "tasks led in the tree, {label}: {} ({} open, {} overdue, {} done on time, {} done late)",
            c.total, c.open, c.overdue, c.done_on_time, c.done_late
        );
    }
    measure_tasks(&db, &root, &sample, today, &args, ts).await
}

async fn measure_tasks(
    db: &Db,
    root: &orgs::Org,
    s: &Sample,
    today: NaiveDate,
    args: &TasksArgs,
    ts: &TaskShape,
) -> anyhow::Result<()> {
    let n = args.iterations.max(1);
    let national = ts.tree.provinces > 0;
    // The operations over a province (the dashboard) run a quarter as often; over the
    // national root a twentieth.
    let heavy = (n / 4).max(10);
    let root_n = if national { (n / 20).max(5) } else { heavy };
    let province_budget = |b: f64| if national { None } else { Some(b) };
    let mut rng = SplitMix64(0x00da_4600_7a5c_beec);
    let total = n + (n / 20).max(3);
    let paths: HashMap<i64, &str> = s.all.iter().map(|(id, p)| (*id, p.as_str())).collect();
    let mut draw = |from: &[i64]| -> Vec<(i64, String)> {
        (0..total)
            .map(|_| {
                let id = pick_id(&mut rng, from);
                (id, paths.get(&id).copied().unwrap_or(root.path.as_str()).to_owned())
            })
            .collect()
    };
    let communes = draw(&s.communes);
    let grassroots = draw(&s.grassroots);
    let provinces = draw(&s.upper);
    let year = Period::parse("2025").context("a valid period")?;
    let (from, to) = (year.from, year.to);
    let rp = root.path.as_str();
    let overdue = tasks::Filter { status: Some(TaskStatus::Overdue), ..Default::default() };
    let overdue = &overdue;

    let mut sizes = Vec::new();
    for (label, units) in [("a commune or bloc", &communes), ("a grassroots organisation", &grassroots)] {
        let mut rows = 0;
        for (_, path) in units.iter().take(20) {
            rows += tasks::queue(db, path, today, 300).await?.len();
        }
        sizes.push(format!("{label}'s queue holds {:.0} tasks", rows as f64 / 20.0));
    }
    println!("{} (mean of 20, at most 300)", sizes.join(", "));

    let mut st = Vec::new();
    st.push(
        time("queue of a commune or bloc (≤300)", n, Some(20.0), |i| {
            let path = &communes[i].1;
            async move {
                tasks::queue(db, path, today, 300).await?;
                Ok(())
            }
        })
        .await?,
    );
    st.push(
        time("queue of a grassroots org (≤300)", n, Some(20.0), |i| {
            let path = &grassroots[i].1;
            async move {
                tasks::queue(db, path, today, 300).await?;
                Ok(())
            }
        })
        .await?,
    );
    st.push(
        time("in_subtree of a commune, overdue (≤100)", n, None, |i| {
            let path = &communes[i].1;
            async move {
                tasks::in_subtree(db, path, today, overdue, 0, 100).await?;
                Ok(())
            }
        })
        .await?,
    );
    st.push(
        time("in_subtree of the root, overdue (≤100)", root_n, None, |_| async move {
            tasks::in_subtree(db, rp, today, overdue, 0, 100).await?;
            Ok(())
        })
        .await?,
    );
    st.push(
        time("summary of the root, 2025", root_n, None, |_| async move {
            tasks::summary(db, rp, today, from, to).await?;
            Ok(())
        })
        .await?,
    );
    st.push(
        time("summary of the root, all time", root_n, None, |_| async move {
            tasks::summary(db, rp, today, calendar::EARLIEST, calendar::LATEST).await?;
            Ok(())
        })
        .await?,
    );
    st.push(
        time("trend of the root, 2025", root_n, None, |_| async move {
            tasks::trend(db, rp, today, from, to).await?;
            Ok(())
        })
        .await?,
    );
    st.push(
        time("summary + trend of the root, 2025", root_n, province_budget(100.0), |_| async move {
            tasks::summary(db, rp, today, from, to).await?;
            tasks::trend(db, rp, today, from, to).await?;
            Ok(())
        })
        .await?,
    );
    if national {
        st.push(
            time("summary + trend of a province, 2025", heavy, Some(100.0), |i| {
                let path = &provinces[i].1;
                async move {
                    tasks::summary(db, path, today, from, to).await?;
                    tasks::trend(db, path, today, from, to).await?;
                    Ok(())
                }
            })
            .await?,
        );
    }

    let ht = http_measure(db, root, &communes, &grassroots, national.then_some(&provinces), n, heavy, root_n).await?;

    println!();
    println!(
        "{}, {} organisations, {} tasks, date {today}; times in ms{}",
        backend_name(db),
        s.all.len() + 1,
        db.query_one("SELECT COUNT(*) FROM tasks", &[]).await?.context("no row")?.int(0)?,
        load_average()
    );
    println!("store functions (dangvu_store::tasks):");
    let mut missed = print_table(&st);
    println!("HTTP, in-process server on loopback, one keep-alive connection:");
    missed.extend(print_table(&ht));
    if !missed.is_empty() {
        println!("budgets missed: {}", missed.join("; "));
    }
    if args.explain || !missed.is_empty() {
        tasks_explain(db, root, s, &communes, &provinces, national, today).await?;
    }
    Ok(())
}

/// Signs in through the pages and the API of an in-process server and times the pages.
#[allow(clippy::too_many_arguments)]
async fn http_measure(
    db: &Db,
    root: &orgs::Org,
    communes: &[(i64, String)],
    grassroots: &[(i64, String)],
    provinces: Option<&Vec<(i64, String)>>,
    n: usize,
    heavy: usize,
    root_n: usize,
) -> anyhow::Result<Vec<Timing>> {
    let national = provinces.is_some();
    let username = format!("bench-{}", root.code.to_lowercase());
    if db.query_one("SELECT 1 FROM users WHERE username = $1", params![username.as_str()]).await?.is_none() {
        let mut tx = db.begin().await?;
        dangvu_store::accounts::create_user(
            &mut tx,
            &dangvu_store::audit::Actor::command_line(),
            dangvu_store::accounts::NewUser {
                username: username.clone(),
                password: BENCH_PASSWORD.into(),
                role: "office".into(),
                org_id: Some(root.id),
                member_id: None,
            },
        )
        .await?;
        tx.commit().await?;
    }

    let listener = dangvu::server::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(dangvu::server::serve(listener, db.clone(), dangvu_web::Config::default(), async move {
        let _ = stopped.await;
    }));
    let mut http = Http::new(addr);

    let form = format!("username={username}&password={BENCH_PASSWORD}");
    let res =
        http.send("POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).await?;
    let cookie = res
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| v.split(';').next().filter(|c| c.starts_with("dangvu_session=")).map(str::to_owned))
        .with_context(|| format!("POST /login answered {} without a session cookie", res.status))?;
    let body = serde_json::json!({"username": username, "password": BENCH_PASSWORD}).to_string();
    let res = http.send("POST", "/api/v1/session", &[("Content-Type", "application/json")], body.as_bytes()).await?;
    let token = serde_json::from_slice::<serde_json::Value>(&res.body)
        .ok()
        .and_then(|v| v["token"].as_str().map(|t| format!("Bearer {t}")))
        .with_context(|| format!("POST /api/v1/session answered {} without a token", res.status))?;

    let page = [("Cookie", cookie.as_str())];
    let api = [("Authorization", token.as_str())];
    let http = tokio::sync::Mutex::new(http);
    let get = |target: String, headers: &'static str| {
        let http = &http;
        let headers: &[(&str, &str)] = if headers == "page" { &page } else { &api };
        async move {
            let res = http.lock().await.send("GET", &target, headers, b"").await?;
            if res.status != 200 {
                bail!("GET {target} answered {}: {}", res.status, String::from_utf8_lossy(&res.body));
            }
            Ok(res.body.len())
        }
    };
    let mut sizes = Vec::new();
    sizes.push(format!("queue page {} KB", get(format!("/tasks?org_id={}", communes[0].0), "page").await? / 1024));
    sizes.push(format!("dashboard {} KB", get("/dashboard?period=2025".into(), "page").await? / 1024));
    let summary_target = format!("/api/v1/tasks/summary?org_id={}&period=2025", root.id);
    sizes.push(format!("summary JSON {} KB", get(summary_target.clone(), "api").await? / 1024));
    println!("HTTP on {addr}, signed in as {username}: {}", sizes.join(", "));

    let mut ht = Vec::new();
    ht.push(
        time("GET /tasks?org_id=<commune or bloc>", n, Some(20.0), |i| {
            get(format!("/tasks?org_id={}", communes[i].0), "page")
        })
        .await?,
    );
    ht.push(
        time("GET /tasks?org_id=<grassroots org>", n, Some(20.0), |i| {
            get(format!("/tasks?org_id={}", grassroots[i].0), "page")
        })
        .await?,
    );
    ht.push(
        time("GET /dashboard?period=2025 (root)", root_n, (!national).then_some(100.0), |_| {
            get("/dashboard?period=2025".into(), "page")
        })
        .await?,
    );
    if let Some(provinces) = provinces {
        ht.push(
            time("GET /dashboard?period=2025&org_id=<province>", heavy, Some(100.0), |i| {
                get(format!("/dashboard?period=2025&org_id={}", provinces[i].0), "page")
            })
            .await?,
        );
    }
    ht.push(
        time("GET /api/v1/tasks/summary?org_id=<root>&period=2025", root_n, None, |_| {
            get(summary_target.clone(), "api")
        })
        .await?,
    );
    drop(http);
    let _ = stop.send(());
    server.await??;
    Ok(ht)
}
