//! `dangvu-bench cell-meetings`: a province of 15,000 cells and 250,000 members with five years
//! of monthly meetings (900,000 meetings, 15 million attendance rows), generated once per
//! database by bulk inserts that follow migration 0007 (the runs of absences computed as the
//! store does, the month rows by its own recount); then it times the member's home page over
//! HTTP (p50/p99 and requests per second with 32 connections on loopback) and the month's
//! supervision of the province, with the trend and the absentees.

use dangvu_domain::ids::MemberId;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use dangvu::demo::SplitMix64;
use dangvu_domain::calendar;
use dangvu_domain::cell_meetings::{Month, absent_streak};
use dangvu_store::{Db, orgs, params};

use crate::http::{BENCH_PASSWORD, Http};
use crate::members::import_members;
use crate::org_tree::{Shape, ensure_tree, open, vacuum_analyze};
use crate::timing::{load_average, print_table, time};

/// "A province with 15,000 cells".
const CELL_PROVINCE: Shape = Shape {
    root_code: "BENCHC-ROOT",
    code_prefix: "BENCHC",
    root_name: "Tỉnh (thử tải sinh hoạt chi bộ)",
    provinces: 0,
    blocs_per_province: 2,
    communes: 130,
    grassroots: 2_400,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 13_700,
    cells_in_subs_per_mille: 250,
};

#[derive(clap::Args)]
pub struct CellMeetingsArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-cell-meetings.sqlite
    #[arg(long)]
    database_url: Option<String>,
    /// Members over the province's cells.
    #[arg(long, default_value_t = 250_000)]
    members: usize,
    /// Months of meetings back from last month.
    #[arg(long, default_value_t = 60)]
    months: usize,
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Seconds of the requests-per-second run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

pub async fn run(args: CellMeetingsArgs) -> anyhow::Result<()> {
    let url = args.database_url.clone().unwrap_or_else(|| "sqlite://target/bench-cell-meetings.sqlite".into());
    let db = open(&url).await?;
    ensure_tree(&db, &CELL_PROVINCE).await?;
    let today = calendar::today();
    let root =
        orgs::get_by_code(&db, CELL_PROVINCE.root_code, today).await?.context("the generated root is missing")?;
    let end = dangvu_domain::orgs::tree::subtree_end(&root.path);
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
        import_members(&db, &cells, args.members, today).await?;
    }
    let meetings =
        db.query_one("SELECT COUNT(*) FROM cell_meetings", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if meetings == 0 {
        generate(&db, args.months, today).await?;
    }
    let counts = db
        .query_one(
            "SELECT (SELECT COUNT(*) FROM cell_meetings), (SELECT COUNT(*) FROM cell_meeting_attendance),
                    (SELECT COUNT(*) FROM members)",
            &[],
        )
        .await?
        .context("counts")?;
    println!(
        "{} cells, {} members, {} meetings, {} attendance rows{}",
        cells.len(),
        counts.int(2)?,
        counts.int(0)?,
        counts.int(1)?,
        load_average()
    );

    let n = args.iterations;
    let month = Month::of(today).prev();
    let on = month.last_day().min(today);
    let mut timings = Vec::new();
    timings.push(
        time("month view of the province (15,000 cells)", (n / 4).max(3), Some(200.0), |_| async {
            dangvu_store::cell_meetings::month_view(&db, &root.path, month, on).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let from = (0..11).fold(month, |m, _| m.prev());
    timings.push(
        time("12-month trend of the province", (n / 10).max(3), None, |_| async {
            dangvu_store::cell_meetings::trend(&db, &root.path, from, month, today).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    timings.push(
        time("absent 3 running, province", (n / 10).max(3), None, |_| async {
            dangvu_store::cell_meetings::absentees(&db, &root.path, month, 3, on).await.map_err(anyhow::Error::from)
        })
        .await?,
    );
    let mut missed = print_table(&timings);
    missed.extend(http(&db, &cells, n, args.seconds).await?);
    if !missed.is_empty() {
        anyhow::bail!("budgets missed: {}", missed.join(", "));
    }
    Ok(())
}

/// Five years of meetings, one month per transaction: every cell holds its regular meeting
/// (95 of 100 months), a third a thematic one each quarter; members are present 90%, excused
/// 6%, absent 4%, and one in 300 stops coming. Ids are given, so rows are written as literals.
async fn generate(db: &Db, months: usize, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut by_cell: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in db.query("SELECT org_id, id FROM members WHERE ended_on IS NULL ORDER BY id", &[]).await? {
        by_cell.entry(r.int(0)?).or_default().push(r.int(1)?);
    }
    let mut cells: Vec<(i64, Vec<i64>)> = by_cell.into_iter().collect();
    cells.sort_by_key(|(c, _)| *c);
    let mut rng = SplitMix64(0xce11_2026);
    let mut streaks: HashMap<i64, i64> = HashMap::new();
    let first = (0..months).fold(Month::of(today), |m, _| m.prev());
    let (mut meeting_id, mut rows_total) = (0i64, 0usize);
    let now = dangvu_store::now_micros();
    let mut month = first;
    for _ in 0..months {
        let mut tx = db.begin().await?;
        let mut meetings = Vec::new();
        let mut attendance = Vec::new();
        for (cell, members) in &cells {
            let thematic = month.month() % 3 == 0 && rng.below(3) == 0;
            for (kind, hour) in [("regular", 0u32), ("thematic", 7)] {
                if (kind == "regular" && rng.below(100) >= 95) || (kind == "thematic" && !thematic) {
                    continue;
                }
                meeting_id += 1;
                let at = month.day(3).and_hms_opt(hour, 30, 0).context("time")?.and_utc().timestamp_micros();
                let (mut p, mut e, mut a) = (0, 0, 0);
                for &m in members {
                    let roll = rng.below(100);
                    let status = if m % 300 == 0 || roll < 4 {
                        a += 1;
                        dangvu_domain::cell_meetings::Attendance::Absent
                    } else if roll < 10 {
                        e += 1;
                        dangvu_domain::cell_meetings::Attendance::Excused
                    } else {
                        p += 1;
                        dangvu_domain::cell_meetings::Attendance::Present
                    };
                    let streak = if kind == "regular" {
                        let s = absent_streak(streaks.get(&m).copied().unwrap_or(0), status);
                        streaks.insert(m, s);
                        s
                    } else {
                        0
                    };
                    attendance.push(format!("({meeting_id},{m},{},'{}',{})", month.number(), status.as_str(), streak));
                }
                let title = if kind == "regular" { "Sinh hoạt thường kỳ" } else { "Sinh hoạt chuyên đề" };
                meetings.push(format!(
                    "({meeting_id},{cell},'{kind}','{title} tháng {}',{at},{},'approved','[]',{},{p},{e},{a},1,{now})",
                    month.label(),
                    month.number(),
                    p + e + a
                ));
            }
        }
        // Literal statements go as plain text (`batch`), not prepared: each is unique, and a
        // prepared one stays cached on the connection and in the PostgreSQL backend with its
        // plan. Prepared, PostgreSQL's generation crawled after 8 million rows (a statement
        // of 1,000 meetings took 9 s, then 568 s); the cache is the likely cause.
        for chunk in meetings.chunks(1000) {
            tx.batch(&format!(
                "INSERT INTO cell_meetings (id, org_id, kind, title, scheduled_at, month, state, agenda, recorded,
                     present, excused, absent, minutes_version, created_at) VALUES {}",
                chunk.join(",")
            ))
            .await?;
        }
        for chunk in attendance.chunks(2000) {
            tx.batch(&format!(
                "INSERT INTO cell_meeting_attendance (meeting_id, member_id, month, status, absent_streak) VALUES {}",
                chunk.join(",")
            ))
            .await?;
        }
        tx.commit().await?;
        rows_total += attendance.len();
        eprintln!(
            "  {month}: {meeting_id} meetings, {rows_total} attendance rows, {:.0} s",
            started.elapsed().as_secs_f64()
        );
        month = month.next();
    }
    if db.backend() == dangvu_store::Backend::Postgres {
        // Identity columns continue after the ids given here.
        db.query("SELECT setval(pg_get_serial_sequence('cell_meetings', 'id'), MAX(id)) FROM cell_meetings", &[])
            .await?;
    }
    let mut tx = db.begin().await?;
    dangvu_store::cell_meetings::rebuild_months(&mut tx).await?;
    tx.commit().await?;
    db.query("ANALYZE", &[]).await?;
    if db.backend() == dangvu_store::Backend::Postgres {
        // Without the visibility map "absent 3 months running" took 4–5 s instead of 12 ms.
        vacuum_analyze(db, &["cell_meeting_attendance", "cell_meetings", "cell_meeting_months"]).await?;
    }
    if db.backend() == dangvu_store::Backend::Sqlite {
        // dangvu never runs ANALYZE itself, so a database it serves has no STAT4 samples; keep
        // the row counts only. (Plans never depend on bound values: the connections set the
        // query planner stability guarantee, see `open_sqlite`.)
        let mut tx = db.begin().await?;
        tx.execute("DELETE FROM sqlite_stat4", &[]).await?;
        tx.commit().await?;
        db.query("ANALYZE sqlite_schema", &[]).await?;
    }
    println!(
        "generated {meeting_id} meetings and {rows_total} attendance rows in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The member's home page: time per request on one connection, then requests per second
/// with 32 connections (as `wrk -c 32`), each signed in as a different member.
async fn http(db: &Db, cells: &[i64], n: usize, seconds: u64) -> anyhow::Result<Vec<String>> {
    const CONNECTIONS: usize = 32;
    // Members of cells spread over the province, one account each.
    let mut members = Vec::new();
    for cell in cells.iter().step_by((cells.len() / CONNECTIONS).max(1)).take(CONNECTIONS) {
        let row = db.query_one("SELECT MIN(id) FROM members WHERE org_id = $1", params![*cell]).await?;
        if let Some(id) = row.and_then(|r| r.opt_int(0).ok().flatten()) {
            members.push(id);
        }
    }
    let mut tx = db.begin().await?;
    for m in &members {
        let username = format!("bench-member-{m}");
        if tx.query_one("SELECT 1 FROM users WHERE username = $1", params![username.as_str()]).await?.is_none() {
            dangvu_store::accounts::create_user(
                &mut tx,
                &dangvu_store::audit::Actor::command_line(),
                dangvu_store::accounts::NewUser {
                    username,
                    password: BENCH_PASSWORD.into(),
                    role: "member".into(),
                    org_id: None,
                    member_id: Some(MemberId(*m)),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;

    let listener = dangvu::server::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(dangvu::server::serve(listener, db.clone(), dangvu_web::Config::default(), async move {
        let _ = stopped.await;
    }));
    let mut cookies = Vec::new();
    for m in &members {
        let mut http = Http::new(addr);
        let form = format!("username=bench-member-{m}&password={BENCH_PASSWORD}");
        let res = http
            .send("POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes())
            .await?;
        let cookie = res
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, v)| v.split(';').next().filter(|c| c.starts_with("dangvu_session=")).map(str::to_owned))
            .with_context(|| format!("POST /login answered {} without a session cookie", res.status))?;
        cookies.push(cookie);
    }
    let one = tokio::sync::Mutex::new(Http::new(addr));
    let first = cookies.first().context("no member account")?.clone();
    let res = one.lock().await.send("GET", "/", &[("Cookie", first.as_str())], b"").await?;
    let sample = String::from_utf8_lossy(&res.body).into_owned();
    anyhow::ensure!(res.status == 200 && sample.contains("Sắp tới"), "GET / answered {}: {sample}", res.status);
    println!(
        "HTTP on {addr}: the member's home is {} bytes uncompressed; {} members signed in",
        res.body.len(),
        cookies.len()
    );
    let timing = time("GET / (member's home, one connection)", n * 5, Some(10.0), |i| {
        let one = &one;
        let cookie = cookies[i % cookies.len()].clone();
        async move {
            let res = one.lock().await.send("GET", "/", &[("Cookie", cookie.as_str())], b"").await?;
            anyhow::ensure!(res.status == 200, "GET / answered {}", res.status);
            Ok(())
        }
    })
    .await?;
    let mut missed = print_table(&[timing]);

    // Requests per second: 32 keep-alive connections for `seconds`; first on a static file,
    // to show what the HTTP stack and the load generator cost on their own.
    let baseline = rps(addr, "/static/icon.svg", &cookies, CONNECTIONS, seconds.min(5)).await;
    println!(
        "GET /static/icon.svg with {CONNECTIONS} connections: {baseline:.0} requests/s (no database: the HTTP stack and the load generator alone)"
    );
    let rps = rps(addr, "/", &cookies, CONNECTIONS, seconds).await;
    println!(
        "GET / (member's home) with {CONNECTIONS} connections for {seconds} s: {rps:.0} requests/s (budget ≥ 10,000; the load generator shares the 2 cores)"
    );
    if rps < 10_000.0 {
        missed.push(format!("member's home {rps:.0} req/s"));
    }
    let _ = stop.send(());
    server.await??;
    Ok(missed)
}

/// Requests per second on `target` with `connections` keep-alive connections for `seconds`.
async fn rps(addr: std::net::SocketAddr, target: &str, cookies: &[String], connections: usize, seconds: u64) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop_flag = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for i in 0..connections {
        let cookie = cookies[i % cookies.len()].clone();
        let target = target.to_owned();
        let (done, failed, stop_flag) = (done.clone(), failed.clone(), stop_flag.clone());
        workers.push(tokio::spawn(async move {
            let mut http = Http::new(addr);
            while !stop_flag.load(Ordering::Relaxed) {
                match http.send("GET", &target, &[("Cookie", cookie.as_str())], b"").await {
                    Ok(r) if r.status == 200 => done.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop_flag.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.await;
    }
    if failed.load(Ordering::Relaxed) > 0 {
        eprintln!("  {target}: {} requests failed", failed.load(Ordering::Relaxed));
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}
