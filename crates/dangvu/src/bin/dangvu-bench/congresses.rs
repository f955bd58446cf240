//! `dangvu-bench congresses`: a province's congress cycle and its political report. On a
//! province tree (1,500 grassroots organisations, 9,000 cells) the province pushes two plans;
//! every organisation creates its congress (with its milestones as tasks) and most open theirs.
//! Those held reported their milestones done, one in twenty late. A report of 1,500 paragraphs
//! gets 50,000 comments from the cells and four more versions.
//! Times the subtree's progress (budget 100 ms), comparing two versions (200 ms), the grouped
//! comments of the busiest paragraph (50 ms), one comment saved, a new version carrying every
//! comment, and the disposition report of 50,000 comments as PDF (30 s) with the process's peak
//! memory.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::Context;
use chrono::Days;
use dangvu::demo::SplitMix64;
use dangvu_domain::congresses::{CongressKind, Event, group_key};
use dangvu_domain::ids::OrgId;
use dangvu_domain::orgs::OrgKind;
use dangvu_store::audit::Actor;
use dangvu_store::congresses::{self, NewComment, NewCongress, NewPlan, Sender};
use dangvu_store::{Db, orgs, params};

use crate::org_tree::{PROVINCE, ROWS_PER_INSERT, Sample, day, ensure_tree, lit, open};
use crate::timing::{backend_name, load_average, print_table, time};

#[derive(clap::Args)]
pub struct CongressesArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-congresses.sqlite (made anew)
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, default_value_t = 1_500)]
    paragraphs: usize,
    #[arg(long, default_value_t = 50_000)]
    comments: usize,
    #[arg(long, default_value_t = 20)]
    iterations: usize,
}

const TERM: &str = "2025-2030";

/// Words for generated paragraphs: a report reads like this, more or less.
const WORDS: [&str; 24] = [
    "phát triển",
    "kinh tế",
    "xã hội",
    "nâng cao",
    "chất lượng",
    "tổ chức",
    "cơ sở",
    "đảng",
    "đảng viên",
    "chuyển đổi số",
    "cải cách",
    "hành chính",
    "nhiệm vụ",
    "giải pháp",
    "lãnh đạo",
    "chỉ đạo",
    "thực hiện",
    "hiệu quả",
    "bền vững",
    "tăng trưởng",
    "bình quân",
    "nhiệm kỳ",
    "đoàn kết",
    "kiểm tra",
];

fn paragraph(rng: &mut SplitMix64, n: usize) -> String {
    let mut p = format!("{n}. ");
    for i in 0..(25 + rng.below(30) as usize) {
        if i > 0 {
            p.push(' ');
        }
        p.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    p.push('.');
    p
}

/// The next version of a text: about 5 % of paragraphs reworded, 1 % inserted, 1 % removed.
fn revise(rng: &mut SplitMix64, paragraphs: &[String], version: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(paragraphs.len() + 20);
    for (i, p) in paragraphs.iter().enumerate() {
        match rng.below(100) {
            0 => {}
            1 => {
                out.push(p.clone());
                out.push(format!("Bổ sung ở bản {version}, sau đoạn {}: {}", i + 1, paragraph(rng, i)));
            }
            2..=6 => out.push(format!("{p} Sửa ở bản {version}.")),
            _ => out.push(p.clone()),
        }
    }
    out
}

/// The process's peak resident memory, from /proc (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(args: CongressesArgs) -> anyhow::Result<()> {
    let url = args.database_url.clone().unwrap_or_else(|| "sqlite://target/bench-congresses.sqlite".into());
    if let Some(file) = url.strip_prefix("sqlite://") {
        std::fs::remove_file(file).ok();
    }
    let db = open(&url).await?;
    ensure_tree(&db, &PROVINCE).await?;
    let root = orgs::get_by_code(&db, PROVINCE.root_code, day(2025, 1, 1)).await?.context("the province root")?;
    let sample = Sample::load(&db, &root, &PROVINCE).await?;
    println!("{}", sample.describe(&PROVINCE));
    let actor = Actor::command_line();
    let mut rng = SplitMix64(0x00da_c0b6_2e55_0001);

    // The cycle: plans, a congress for every organisation, most approved and opened.
    let started = Instant::now();
    let mut tx = db.begin().await?;
    for (kinds, held_by) in [
        (vec![OrgKind::GrassrootsCommittee, OrgKind::GrassrootsCell], day(2025, 6, 30)),
        (vec![OrgKind::Cell], day(2025, 5, 31)),
    ] {
        let plan = NewPlan { org_id: root.id, term: TERM.into(), kinds, held_by, milestones: None };
        congresses::push_plan(&mut tx, &actor, &plan).await?;
    }
    tx.commit().await?;
    let units: Vec<i64> = sample.grassroots.iter().chain(&sample.cells).copied().collect();
    let mut held = 0;
    for chunk in units.chunks(500) {
        let mut tx = db.begin().await?;
        for &org in chunk {
            // 97 % plan their congress; 92 % of all have opened it by 30/6.
            let roll = rng.below(100);
            if roll >= 97 {
                continue;
            }
            let opens_on = day(2025, 3, 1) + Days::new(rng.below(120));
            let new = NewCongress {
                org_id: OrgId(org),
                title: "Đại hội (thử tải)".into(),
                kind: CongressKind::Members,
                term: TERM.into(),
                opens_on,
                closes_on: None,
                place: String::new(),
            };
            let id = congresses::create(&mut tx, &actor, &new).await?;
            if roll < 92 {
                // Its office reports the preparation's milestones as it reaches them, one in
                // twenty some days late.
                let open = tx
                    .query(
                        "SELECT m.task_id, t.due_on FROM congress_milestones m JOIN tasks t ON t.id = m.task_id
                         WHERE m.congress_id = $1 AND m.milestone NOT IN ('higher_review', 'opening')",
                        params![id],
                    )
                    .await?;
                for r in open {
                    let due = r.opt_date(1)?.unwrap_or(opens_on);
                    let on = if rng.below(20) == 0 { due + Days::new(1 + rng.below(9)) } else { due };
                    dangvu_store::tasks::report(&mut tx, &actor, r.int(0)?, 100, "", true, on).await?;
                }
                let approve = opens_on - Days::new(10);
                congresses::change_state(&mut tx, &actor, id, Event::Approve, approve, "Đồng ý").await?;
                congresses::change_state(&mut tx, &actor, id, Event::Open, opens_on, "").await?;
                held += 1;
            }
        }
        tx.commit().await?;
    }
    println!(
        "{} congresses planned ({held} opened), their milestones as tasks, in {:.1} s",
        units.len() * 97 / 100,
        started.elapsed().as_secs_f64()
    );

    // The province's own congress and its political report, 1,500 paragraphs in five versions.
    let mut tx = db.begin().await?;
    let new = NewCongress {
        org_id: root.id,
        title: "Đại hội đại biểu Đảng bộ tỉnh (thử tải)".into(),
        kind: CongressKind::Delegates,
        term: TERM.into(),
        opens_on: day(2025, 10, 10),
        closes_on: None,
        place: String::new(),
    };
    let congress = congresses::create(&mut tx, &actor, &new).await?;
    let mut versions = vec![(1..=args.paragraphs).map(|n| paragraph(&mut rng, n)).collect::<Vec<_>>()];
    let draft =
        congresses::create_draft(&mut tx, &actor, congress, "Báo cáo chính trị", &versions[0].join("\n"), None, None)
            .await?;
    tx.commit().await?;
    let chars: usize = versions[0].iter().map(|p| p.chars().count()).sum();

    // 50,000 comments from the cells on version 1: a few paragraphs draw most of them, and a
    // third repeat one of 200 common requests.
    let started = Instant::now();
    let busiest = insert_comments(&db, draft, &versions[0], &sample.cells, args.comments, &mut rng).await?;
    println!("{} comments loaded in {:.1} s", args.comments, started.elapsed().as_secs_f64());

    let mut timings = Vec::new();
    let mut carried = Vec::new();
    for v in 2..=5 {
        let next = revise(&mut rng, versions.last().expect("a version"), v);
        let t = Instant::now();
        let mut tx = db.begin().await?;
        congresses::add_version(&mut tx, &actor, draft, &next.join("\n"), "Tiếp thu").await?;
        tx.commit().await?;
        carried.push(t.elapsed().as_secs_f64() * 1000.0);
        versions.push(congresses::version(&db, draft, v as u32).await?.context("the version")?.paragraphs);
    }

    let (root_path, on) = (root.path.clone(), day(2025, 6, 30));
    timings.push(
        time("the province's congress progress (2 plans, 10,500 organisations)", args.iterations, Some(100.0), |_| {
            let (db, root_path) = (&db, &root_path);
            async move {
                let p = congresses::progress(db, root_path, TERM, on).await?;
                anyhow::ensure!(p.len() == 2 && p[0].expected > 0, "two plans with organisations");
                Ok(())
            }
        })
        .await?,
    );
    let (v4, v5) = (&versions[3], &versions[4]);
    timings.push(
        time("comparing versions 4 and 5 (with the changed words)", args.iterations, Some(200.0), |_| async move {
            let c = dangvu_web::congresses::api::comparison_of(4, 5, v4, v5);
            anyhow::ensure!(c.same > 0, "most paragraphs unchanged");
            Ok(())
        })
        .await?,
    );
    let busiest_now = busiest_paragraph(&db, draft).await?;
    timings.push(
        time("the grouped comments of the busiest paragraph", args.iterations, Some(50.0), |_| {
            let db = &db;
            async move {
                let groups = congresses::comment_groups(db, draft, busiest_now).await?;
                anyhow::ensure!(!groups.is_empty(), "comments on the busiest paragraph");
                Ok(())
            }
        })
        .await?,
    );
    let cells = &sample.cells;
    timings.push(
        time("one comment saved (checked, carried, audited)", args.iterations * 5, Some(50.0), |i| {
            let (db, actor) = (&db, &actor);
            async move {
                let new = NewComment {
                    draft_id: draft,
                    version: 5,
                    paragraph: 1 + (i % 1000) as u32,
                    quote: String::new(),
                    text: format!("Góp ý thêm số {i}."),
                    sender: Sender::Org { org_id: OrgId(cells[i % cells.len()]), members_agreeing: None },
                    from_paper: false,
                    file_id: None,
                };
                let mut tx = db.begin().await?;
                congresses::add_comment(&mut tx, actor, &new, day(2025, 6, 1)).await?;
                tx.commit().await?;
                Ok(())
            }
        })
        .await?,
    );

    // The report: gathered from the store, then laid out once (the first layout of a process).
    let draft_row = congresses::draft(&db, draft).await?.context("the draft")?;
    let congress_row = congresses::get(&db, congress).await?.context("the congress")?;
    let before = peak_mb();
    let t = Instant::now();
    let report = dangvu_web::congresses::disposition_report_of(&db, &draft_row, &congress_row, &root.name)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let gathered = t.elapsed().as_secs_f64() * 1000.0;
    let rows = report.lines.len();
    let t = Instant::now();
    let pdf = dangvu_reports::disposition_pdf(&report).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let laid_out = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let docx = dangvu_reports::disposition_docx(&report).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let word = t.elapsed().as_secs_f64() * 1000.0;

    println!(
        "a report of {} paragraphs ({} characters) in 5 versions, {} comments (busiest paragraph {busiest}), on {}{}",
        args.paragraphs,
        chars,
        args.comments,
        backend_name(&db),
        load_average()
    );
    let missed = print_table(&timings);
    println!(
        "new version carrying the comments: {} ms (versions 2–5)",
        carried.iter().map(|ms| format!("{ms:.0}")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "disposition report: {rows} rows for {} comments; gathered in {gathered:.0} ms, PDF {laid_out:.0} ms \
         ({} pages, {:.1} MB, budget 30,000 ms: {}), DOCX {word:.0} ms ({:.1} MB); peak memory {} MB",
        args.comments + args.iterations * 5 + (args.iterations * 5 / 20).max(3),
        pdf_pages(&pdf),
        pdf.len() as f64 / 1e6,
        if gathered + laid_out <= 30_000.0 { "ok" } else { "MISSED" },
        docx.len() as f64 / 1e6,
        match (before, peak_mb()) {
            (Some(b), Some(a)) => format!("{b:.0} → {a:.0}"),
            _ => "unknown".into(),
        }
    );
    anyhow::ensure!(missed.is_empty(), "budgets missed: {}", missed.join(", "));
    Ok(())
}

/// Pages of a PDF, counted by its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    pdf.windows(b"/Type /Page\n".len())
        .filter(|w| *w == b"/Type /Page\n")
        .count()
        .max(pdf.windows(b"/Type/Page".len()).filter(|w| *w == b"/Type/Page").count())
}

/// Inserts `n` comments on version 1 by multi-row INSERTs; answers the busiest paragraph.
async fn insert_comments(
    db: &Db,
    draft: i64,
    paragraphs: &[String],
    cells: &[i64],
    n: usize,
    rng: &mut SplitMix64,
) -> anyhow::Result<u32> {
    let common: Vec<String> =
        (0..200).map(|i| format!("Đề nghị bổ sung giải pháp cụ thể về nội dung số {i}.")).collect();
    let mut counts = vec![0u32; paragraphs.len()];
    let mut sql = String::new();
    let mut rows = 0;
    let mut tx = db.begin().await?;
    for i in 0..n {
        // Half the comments fall on the first 2 % of paragraphs.
        let p = if rng.below(2) == 0 {
            rng.below((paragraphs.len() / 50).max(1) as u64) as usize
        } else {
            rng.below(paragraphs.len() as u64) as usize
        };
        counts[p] += 1;
        let text = if rng.below(3) == 0 {
            common[rng.below(200) as usize].clone()
        } else {
            format!("Góp ý số {i} của chi bộ về đoạn {}: đề nghị làm rõ hơn.", p + 1)
        };
        if rows == 0 {
            sql.clear();
            sql.push_str(
                "INSERT INTO congress_comments (draft_id, version, paragraph, quote, whole_paragraph, text, group_key,
                 org_id, at_version, at_paragraph, outdated, created_at) VALUES ",
            );
        } else {
            sql.push(',');
        }
        let _ = write!(
            sql,
            "({draft}, 1, {}, {}, {}, {}, {}, {}, 1, {}, {}, {})",
            p + 1,
            lit(&paragraphs[p]),
            if db.backend() == dangvu_store::Backend::Postgres { "TRUE" } else { "1" },
            lit(&text),
            lit(&group_key(&text)),
            cells[rng.below(cells.len() as u64) as usize],
            p + 1,
            if db.backend() == dangvu_store::Backend::Postgres { "FALSE" } else { "0" },
            dangvu_store::now_micros(),
        );
        rows += 1;
        if rows == ROWS_PER_INSERT || i + 1 == n {
            tx.execute(&sql, &[]).await?;
            rows = 0;
        }
    }
    tx.commit().await?;
    crate::org_tree::vacuum_analyze(db, &["congress_comments"]).await?;
    let busiest = counts.iter().enumerate().max_by_key(|(_, c)| **c).map_or(1, |(i, _)| i + 1);
    Ok(busiest as u32)
}

/// The paragraph of the latest version that holds the most comments now.
async fn busiest_paragraph(db: &Db, draft: i64) -> anyhow::Result<u32> {
    let r = db
        .query_one(
            "SELECT at_paragraph, COUNT(*) FROM congress_comments WHERE draft_id = $1 AND outdated = $2
             GROUP BY at_paragraph ORDER BY COUNT(*) DESC LIMIT 1",
            params![draft, false],
        )
        .await?
        .context("comments")?;
    Ok(r.int(0)? as u32)
}
