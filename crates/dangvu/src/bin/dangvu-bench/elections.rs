//! `dangvu-bench elections`: a national congress, 1,600 delegates electing 200 of a list of
//! 220, every ballot entered by two tellers. Times a teller's entry of the whole pile (and so
//! the cost of one ballot), the second entry that agrees and makes the count final, the result
//! recomputed from the record, and the offline recount of `dangvu election verify`.

use std::time::Instant;

use anyhow::Context;
use dangvu::demo::SplitMix64;
use dangvu_domain::elections::record::RecordFile;
use dangvu_domain::elections::{Ballot, BallotKind, ElectionKind, ElectionRules, Electors, Reconciliation};
use dangvu_store::accounts::{self, NewUser};
use dangvu_store::audit::Actor;
use dangvu_store::elections::{self, BoardRole, NewCandidate, NewElection};
use dangvu_store::orgs::{self, NewOrg};

use crate::org_tree::open;
use crate::timing::{backend_name, load_average, print_table, time};

#[derive(clap::Args)]
pub struct ElectionsArgs {
    /// sqlite://FILE or postgres://…; default sqlite://target/bench-elections.sqlite (made anew)
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, default_value_t = 1_600)]
    ballots: usize,
    #[arg(long, default_value_t = 220)]
    candidates: u32,
    #[arg(long, default_value_t = 200)]
    seats: u32,
    #[arg(long, default_value_t = 20)]
    iterations: usize,
}

pub async fn run(args: ElectionsArgs) -> anyhow::Result<()> {
    let url = args.database_url.clone().unwrap_or_else(|| "sqlite://target/bench-elections.sqlite".into());
    if let Some(file) = url.strip_prefix("sqlite://") {
        std::fs::remove_file(file).ok();
    }
    let db = open(&url).await?;
    let actor = Actor::command_line();
    let today = dangvu_domain::calendar::today();
    let mut tx = db.begin().await?;
    let code = format!("BENCHE-{}", std::process::id());
    let org = orgs::create(
        &mut tx,
        &actor,
        NewOrg {
            code: code.clone(),
            name: "Đảng bộ (thử tải bầu cử)".into(),
            kind: "province".into(),
            parent_id: None,
            effective_on: today,
        },
    )
    .await?;
    let mut users = Vec::new();
    for name in ["truongban", "kiemphieu1", "kiemphieu2"] {
        let new = NewUser {
            username: format!("{name}-{}", std::process::id()),
            password: "bench-password-1".into(),
            role: "viewer".into(),
            org_id: Some(org),
            member_id: None,
        };
        users.push(accounts::create_user(&mut tx, &actor, new).await?.id);
    }
    let new = NewElection {
        org_id: org,
        congress_id: None,
        title: "Bầu Ban Chấp hành (thử tải)".into(),
        kind: ElectionKind::DelegatesCongress,
        ballot: BallotKind::Surplus,
        seats: args.seats,
        electors: Electors { summoned: args.ballots as u32, excluded: Default::default() },
        candidates: (1..=args.candidates)
            .map(|i| NewCandidate { full_name: format!("Ứng cử viên số {i}"), member_id: None })
            .collect(),
        body: dangvu_domain::elections::Body::ExecutiveCommittee,
        term: Some("2025-2030".into()),
    };
    let rules = ElectionRules::default();
    let id = elections::create(&mut tx, &actor, &new, &rules).await?;
    let election = elections::get_in(&mut tx, id).await?.context("the election")?;
    for (user, role) in users.iter().zip([BoardRole::Head, BoardRole::Teller, BoardRole::Teller]) {
        elections::add_to_board(&mut tx, &actor, &election, *user, role).await?;
    }
    tx.commit().await?;

    // Each delegate strikes 15–35 names: most ballots keep at most the seats, a few keep more.
    let mut rng = SplitMix64(0x00da_4600_e1ec_0001);
    let ballots: Vec<Ballot> = (0..args.ballots)
        .map(|_| {
            let strike = 15 + rng.below(21) as usize;
            let mut struck: Vec<u32> = Vec::with_capacity(strike);
            while struck.len() < strike {
                let n = 1 + rng.below(u64::from(args.candidates)) as u32;
                if !struck.contains(&n) {
                    struck.push(n);
                }
            }
            Ballot::struck(&struck, args.candidates).expect("a ballot of the list")
        })
        .collect();
    let pile = Reconciliation { issued: args.ballots as u32, returned: args.ballots as u32 };
    let election = elections::get(&db, id).await?.context("the election")?;
    let mut timings = Vec::new();
    let first_teller = users[1];
    // As the entry page saves it: one ballot, one transaction, as the teller presses Enter.
    let mut tx = db.begin().await?;
    elections::start_entry(&mut tx, &election, first_teller, pile).await?;
    tx.commit().await?;
    let one = args.ballots.min(400) - args.ballots.min(400) / 20;
    timings.push(
        time("one ballot typed and saved (its own transaction)", one, Some(5.0), |i| {
            let (db, election, ballots) = (&db, &election, &ballots);
            async move {
                let mut tx = db.begin().await?;
                elections::enter_ballot(&mut tx, election, first_teller, &ballots[i % ballots.len()]).await?;
                tx.commit().await?;
                Ok(())
            }
        })
        .await?,
    );
    let entry = time("a teller's entry of the whole pile", args.iterations, None, |_| {
        let (db, election, ballots, rules) = (&db, &election, &ballots, &rules);
        async move {
            let mut tx = db.begin().await?;
            elections::save_entry(&mut tx, &Actor::command_line(), election, first_teller, pile, ballots, rules)
                .await?;
            tx.commit().await?;
            Ok(())
        }
    })
    .await?;
    let per_ballot = entry.summary().1 / args.ballots as f64;
    timings.push(entry);

    let t = Instant::now();
    let mut tx = db.begin().await?;
    let state = elections::save_entry(&mut tx, &actor, &election, users[2], pile, &ballots, &rules).await?;
    tx.commit().await?;
    let agreeing = t.elapsed();
    anyhow::ensure!(state.is_counted(), "the two entries should agree");

    let mut election = elections::get(&db, id).await?.context("the election")?;
    // Random ballots may tie for the last seats: the presidium's decision is then recorded,
    // as the head would, so that the result is final and the minutes carry both fingerprints.
    let (_, outcome) = elections::result(&db, &election).await?.context("a result")?;
    let tied = outcome.is_tie();
    if tied {
        let chosen: Vec<u32> = outcome.tied.iter().copied().take(outcome.tied_seats as usize).collect();
        let mut tx = db.begin().await?;
        elections::decide_tie(&mut tx, &actor, &election, &chosen, "Đoàn chủ tịch quyết định (thử tải)").await?;
        tx.commit().await?;
        election = elections::get(&db, id).await?.context("the election")?;
    }
    timings.push(
        time("the result, recomputed from the record", args.iterations, Some(100.0), |_| {
            let (db, election) = (&db, &election);
            async move {
                elections::result(db, election).await?.context("a result")?;
                Ok(())
            }
        })
        .await?,
    );
    let (count, result) = elections::result(&db, &election).await?.context("a result")?;
    let board = elections::board(&db, id).await?;
    let minutes = dangvu_web::elections::count_minutes(&election, &count, &result, code.clone(), &board, today)
        .context("a final result")?;
    // The first layout of the process (fonts, the template) and then the same data again,
    // which Typst's memoisation makes cheaper: both are reported.
    let t = Instant::now();
    let pdf = dangvu_reports::count_minutes_pdf(&minutes).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let first_pdf = t.elapsed();
    timings.push(
        time("the minutes as PDF (220 names), again", 5, Some(2000.0), |_| {
            let minutes = &minutes;
            async move {
                dangvu_reports::count_minutes_pdf(minutes).map_err(|e| anyhow::anyhow!(e.to_string()))?;
                Ok(())
            }
        })
        .await?,
    );
    let record = elections::record(&db, &election).await?.context("the record")?;
    let file = serde_json::to_string(&RecordFile::of(record).map_err(|e| anyhow::anyhow!(e.to_string()))?)?;
    timings.push(
        time("dangvu election verify (parse, recount, fingerprints)", args.iterations, Some(1000.0), |_| {
            let file = &file;
            async move {
                let parsed: RecordFile = serde_json::from_str(file)?;
                parsed.verify().map_err(|p| anyhow::anyhow!(p.join("; ")))?;
                Ok(())
            }
        })
        .await?,
    );
    println!(
        "{} ballots × {} names for {} seats on {}{}",
        args.ballots,
        args.candidates,
        args.seats,
        backend_name(&db),
        load_average()
    );
    print_table(&timings);
    println!(
        "the whole-pile entry per ballot: {per_ballot:.3} ms; the agreeing second entry, final count and record: {:.0} ms; record file {} KB; the first minutes PDF of the process: {:.0} ms, {} KB; a tie decided: {}",
        agreeing.as_secs_f64() * 1000.0,
        file.len() / 1024,
        first_pdf.as_secs_f64() * 1000.0,
        pdf.len() / 1024,
        tied
    );
    Ok(())
}
