//! `dangvu-bench petitions`: a province of about 3,000 organisations whose 60 inspection
//! committees (the root's, each commune's and bloc's) registered 20,000 letters a year for five
//! years (100,000 cases), each about an organisation of the tree or a State matter, in every
//! state. Times a committee's register filtered by status (budget 50 ms), the province's
//! figures for a year (budget 100 ms) and the repeat matching of a new letter against the
//! register (budget 50 ms).

use std::fmt::Write as _;

use chrono::Days;
use dangvu::demo::SplitMix64;
use dangvu_domain::ids::OrgId;
use dangvu_domain::members::HolidayCalendar;
use dangvu_domain::petitions::{Concerns, Fingerprint, Kind, PetitionRules, State};
use dangvu_store::petitions::{self, Clockwork, Filter};
use dangvu_store::{Db, orgs};

use crate::org_tree::{ROWS_PER_INSERT, Sample, Shape, ensure_tree, lit, open};
use crate::timing::{backend_name, load_average, print_table, time};

#[derive(clap::Args)]
pub struct PetitionsArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-petitions.sqlite
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    /// Letters a year.
    #[arg(long, default_value_t = 20_000)]
    per_year: usize,
}

const SHAPE: Shape = Shape {
    root_code: "BENCHP-ROOT",
    code_prefix: "BENCHP",
    root_name: "Đảng bộ tỉnh (thử tải đơn thư)",
    provinces: 0,
    blocs_per_province: 2,
    communes: 58,
    grassroots: 640,
    grassroots_committees_per_mille: 450,
    with_subs_per_mille: 120,
    cells: 2_300,
    cells_in_subs_per_mille: 250,
};

const YEARS: u64 = 5;

/// The matters letters are about, and the words around them.
const MATTERS: [&str; 12] = [
    "nhận tiền khi cấp giấy chứng nhận quyền sử dụng đất",
    "sử dụng xe công vào việc riêng",
    "kê khai tài sản thu nhập không trung thực",
    "không tổ chức sinh hoạt chi bộ định kỳ",
    "bổ nhiệm người thân không đúng quy trình",
    "thu hồi đất bồi thường không thỏa đáng",
    "chậm giải quyết hồ sơ của người dân",
    "vi phạm quy định về đấu thầu dự án",
    "quyết định kỷ luật chưa đúng người đúng lỗi",
    "lập biên bản họp khống",
    "chia chác tiền quỹ của đơn vị",
    "xây dựng nhà trái phép trên đất công",
];
const OPENINGS: [&str; 4] = ["Tố cáo việc", "Khiếu nại về việc", "Phản ánh việc", "Kiến nghị xem xét việc"];
const PLACES: [&str; 6] = ["tại xã", "tại phường", "ở thôn", "của cơ quan", "tại khối phố", "trong đơn vị"];
const STATE_MATTERS: usize = 200;

fn summary(rng: &mut SplitMix64, kind: Kind) -> String {
    let opening = match kind {
        Kind::Denunciation => OPENINGS[0],
        Kind::Complaint => OPENINGS[1],
        Kind::Feedback => OPENINGS[2],
        Kind::Proposal => OPENINGS[3],
    };
    format!(
        "{opening} {} {} số {}, đề nghị xem xét xử lý",
        MATTERS[rng.below(MATTERS.len() as u64) as usize],
        PLACES[rng.below(PLACES.len() as u64) as usize],
        rng.below(40) + 1
    )
}

async fn generate(db: &Db, registers: &[i64], all: &[i64], per_year: usize) -> anyhow::Result<()> {
    let mut rng = SplitMix64(0x00da_4600_0e77_0001);
    let rules = PetitionRules::default();
    let today = dangvu_domain::calendar::today();
    let first_day = today - Days::new(365 * YEARS);
    let total = per_year * YEARS as usize;
    let created = dangvu_store::now_micros();
    let mut tx = db.begin().await?;
    let mut made = 0;
    while made < total {
        let mut sql = String::from(
            "INSERT INTO petitions (org_id, number, received_on, channel, kind, summary, words, concerns,
                 concerns_org_id, concerns_text, competent_org_id, state, not_handled_reason, rule, accepted_on,
                 accept_due_on, due_on, closed_on, outcome, has_sender, created_at) VALUES ",
        );
        for _ in 0..ROWS_PER_INSERT.min(total - made) {
            made += 1;
            let org = registers[rng.below(registers.len() as u64) as usize];
            let received = first_day + Days::new(rng.below(365 * YEARS));
            let kind = Kind::ALL[rng.below(4) as usize];
            let text = summary(&mut rng, kind);
            let words = Fingerprint::of(&text).to_stored();
            let channel = ["post", "handed_in", "reception", "forwarded", "online"][rng.below(5) as usize];
            let (concerns, concerned, concerns_text) = if rng.below(5) == 0 {
                (Concerns::State, "NULL".to_owned(), format!("UBND xã số {}", rng.below(STATE_MATTERS as u64)))
            } else {
                (Concerns::Org, all[rng.below(all.len() as u64) as usize].to_string(), String::new())
            };
            let age = (today - received).num_days();
            let roll = rng.below(100);
            let state = if age > 200 {
                match roll {
                    0..=69 => State::Resolved,
                    70..=84 => State::NotHandled,
                    85..=94 => State::Forwarded,
                    _ => State::Withdrawn,
                }
            } else {
                match roll {
                    0..=19 => State::Received,
                    20..=59 => State::Accepted,
                    60..=64 => State::Paused,
                    65..=84 => State::Resolved,
                    85..=94 => State::NotHandled,
                    _ => State::Forwarded,
                }
            };
            let limit = rules.limit(kind);
            let accept_due = received + Days::new(14);
            let accepted = matches!(state, State::Accepted | State::Paused | State::Resolved)
                .then(|| received + Days::new(rng.below(10) + 1));
            let due = (state != State::Paused).then(|| received + Days::new(u64::from(limit.resolve_within) * 7 / 5));
            let closed_after = (rng.below(150) + 1).min(age.max(1) as u64);
            let closed = state.is_closed().then(|| received + Days::new(closed_after));
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into());
            let _ = write!(
                sql,
                "({org}, '{made}/B', '{received}', '{channel}', '{}', {}, {}, '{}', {concerned}, {}, {org}, '{}', {}, {},
                  {}, '{accept_due}', {}, {}, {}, {}, {created}),",
                kind.as_str(),
                lit(&text),
                lit(&words),
                concerns.as_str(),
                lit(&concerns_text),
                state.as_str(),
                if state == State::NotHandled { "'vague'" } else { "NULL" },
                lit(&serde_json::to_string(limit)?),
                date(accepted),
                date(due),
                date(closed),
                if state == State::Resolved {
                    if kind == Kind::Proposal || kind == Kind::Feedback { "'answered'" } else { "'unfounded'" }
                } else {
                    "NULL"
                },
                if rng.below(10) == 0 { "FALSE" } else { "TRUE" },
            );
        }
        sql.pop();
        tx.execute(&sql, &[]).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn run(args: PetitionsArgs) -> anyhow::Result<()> {
    let url = args.database_url.clone().unwrap_or_else(|| "sqlite://target/bench-petitions.sqlite".into());
    let db = open(&url).await?;
    ensure_tree(&db, &SHAPE).await?;
    let today = dangvu_domain::calendar::today();
    let root = orgs::get_by_code(&db, SHAPE.root_code, today).await?.ok_or_else(|| anyhow::anyhow!("no root"))?;
    let sample = Sample::load(&db, &root, &SHAPE).await?;
    let mut registers = sample.communes.clone();
    registers.push(root.id.0);
    let all: Vec<i64> = sample.all.iter().map(|(id, _)| *id).collect();
    let loaded = db.query_one("SELECT COUNT(*) FROM petitions", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if loaded == 0 {
        let t = std::time::Instant::now();
        generate(&db, &registers, &all, args.per_year).await?;
        // The statistics a running server's database has (PostgreSQL's autovacuum, SQLite's
        // `PRAGMA optimize`), which a freshly loaded one lacks.
        let mut tx = db.begin().await?;
        tx.execute("ANALYZE", &[]).await?;
        tx.commit().await?;
        println!("petitions generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let cases = db.query_one("SELECT COUNT(*) FROM petitions", &[]).await?.map(|r| r.int(0)).transpose()?.unwrap_or(0);
    let rules = PetitionRules::default();
    let calendar = HolidayCalendar::vietnam_fixed(chrono::Datelike::year(&today));
    let clock = Clockwork { rules: &rules, calendar: &calendar, today };
    let mut rng = SplitMix64(0x00da_4600_0e77_0002);
    let picks: Vec<i64> =
        (0..args.iterations * 5).map(|_| registers[rng.below(registers.len() as u64) as usize]).collect();
    let paths: std::collections::HashMap<i64, String> =
        sample.all.iter().cloned().chain([(root.id.0, root.path.clone())]).collect();
    let mut timings = Vec::new();
    for state in [State::Accepted, State::Paused] {
        let label = format!("a committee's register, {} (50 newest)", state.as_str());
        timings.push(
            time(&label, args.iterations * 5, Some(50.0), |i| {
                let (db, clock) = (&db, &clock);
                let path = paths[&picks[i % picks.len()]].clone();
                async move {
                    let filter = Filter { path, state: Some(state), kind: None, overdue: false };
                    petitions::list(db, &filter, clock, 50, 0).await?;
                    Ok(())
                }
            })
            .await?,
        );
    }
    timings.push(
        time("the province's register, accepted (50 newest)", args.iterations, Some(50.0), |_| {
            let (db, clock, path) = (&db, &clock, root.path.clone());
            async move {
                let filter = Filter { path, state: Some(State::Accepted), kind: None, overdue: false };
                petitions::list(db, &filter, clock, 50, 0).await?;
                Ok(())
            }
        })
        .await?,
    );
    timings.push(
        time("the province's register, overdue (50 newest)", args.iterations, Some(50.0), |_| {
            let (db, clock, path) = (&db, &clock, root.path.clone());
            async move {
                let filter = Filter { path, state: None, kind: None, overdue: true };
                petitions::list(db, &filter, clock, 50, 0).await?;
                Ok(())
            }
        })
        .await?,
    );
    let year_ago = today - Days::new(365);
    let figures = petitions::figures(&db, &root.path, year_ago, today, today).await?;
    timings.push(
        time("the province's figures for a year", args.iterations, Some(100.0), |_| {
            let (db, path) = (&db, &root.path);
            async move {
                petitions::figures(db, path, year_ago, today, today).await?;
                Ok(())
            }
        })
        .await?,
    );
    let subjects: Vec<i64> = (0..args.iterations * 5).map(|_| all[rng.below(all.len() as u64) as usize]).collect();
    let letter = "Tố cáo việc nhận tiền khi cấp giấy chứng nhận quyền sử dụng đất tại xã số 7, đề nghị xem xét xử lý";
    timings.push(
        time("repeats of a new letter about an organisation", args.iterations * 5, Some(50.0), |i| {
            let (db, org) = (&db, OrgId(subjects[i % subjects.len()]));
            async move {
                petitions::repeats(db, Concerns::Org, None, Some(org), "", letter, 60).await?;
                Ok(())
            }
        })
        .await?,
    );
    timings.push(
        time("repeats of a new letter about a State matter", args.iterations * 5, Some(50.0), |i| {
            let db = &db;
            let text = format!("UBND xã số {}", i % STATE_MATTERS);
            async move {
                petitions::repeats(db, Concerns::State, None, None, &text, letter, 60).await?;
                Ok(())
            }
        })
        .await?,
    );
    println!(
        "{} organisations, {} registers, {cases} cases on {}{}; the province's year: {} received, {} resolved, {} overdue",
        all.len() + 1,
        registers.len(),
        backend_name(&db),
        load_average(),
        figures.total.received,
        figures.total.resolved,
        figures.total.overdue,
    );
    let missed = print_table(&timings);
    anyhow::ensure!(missed.is_empty(), "over budget: {}", missed.join(", "));
    Ok(())
}
