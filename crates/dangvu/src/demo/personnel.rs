//! The demo's personnel work: the Organisation board and the leaders given the personnel grant;
//! the bloc's structure with its holders (a secretary in a second running term, a deputy near
//! retirement, seats still empty); a secretary in nine cells of ten; and the bloc's planning for
//! 2030–2035, one person taken out at the 2026 review.

use chrono::NaiveDate;
use dangvu_domain::audit::Action;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::Gender;
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::personnel::{PersonnelRules, Post};
use dangvu_store::audit::{self, Change, Subject};
use dangvu_store::personnel::{self, NewHolder, NewPlanningEntry, SeatCount};
use dangvu_store::{StoreError, params};
use serde_json::json;

use super::Builder;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The bloc's members in post-able shape: id, gender, birth date, by id.
async fn bloc_members(b: &mut Builder, bloc: OrgId) -> Result<Vec<(MemberId, Gender, NaiveDate)>, StoreError> {
    let path =
        b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![bloc])
            .await?
            .ok_or(StoreError::NotFound)?
            .text(0)?;
    let end = subtree_end(&path);
    let rows =
        b.tx.query(
            "SELECT m.id, m.gender, m.birth_date FROM members m
             JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
             WHERE v.path >= $1 AND v.path < $2 AND m.ended_on IS NULL AND m.status = 'full'
             ORDER BY m.id LIMIT 3000",
            params![path.as_str(), end],
        )
        .await?;
    rows.iter().map(|r| Ok((r.id(0)?, r.word(1, Gender::parse)?, r.date(2)?))).collect()
}

pub(super) async fn build(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    for username in ["tochuc", "lanhdao"] {
        let id = b.tx.query_one("SELECT id FROM users WHERE username = $1", params![username]).await?;
        let id = id.ok_or(StoreError::NotFound)?.int(0)?;
        personnel::set_grant(&mut b.tx, &b.actor, id, true).await?;
    }
    let seats = [
        (Post::Secretary, 1),
        (Post::DeputySecretary, 2),
        (Post::StandingBoard, 5),
        (Post::ExecutiveCommittee, 15),
        (Post::InspectionChair, 1),
        (Post::InspectionCommittee, 5),
    ]
    .map(|(post, seats)| SeatCount { post, body_id: None, seats });
    personnel::set_seats(&mut b.tx, &b.actor, bloc, &seats).await?;

    let members = bloc_members(b, bloc).await?;
    // A secretary who retires in this term, a deputy who retires in the next.
    let born_in = |from: i32, to: i32| {
        members.iter().find(|m| m.1 == Gender::Male && (day(from, 1, 1)..day(to, 1, 1)).contains(&m.2)).map(|m| m.0)
    };
    let oldest: Vec<MemberId> = [born_in(1965, 1968), born_in(1969, 1972)].into_iter().flatten().collect();
    let younger: Vec<&(MemberId, Gender, NaiveDate)> = members.iter().filter(|m| m.2 >= day(1976, 1, 1)).collect();
    let (Some(&secretary), Some(&deputy)) = (oldest.first(), oldest.get(1)) else { return Ok(()) };
    let hold = |post, member_id, term: &str, since, until, decision: &str| NewHolder {
        org_id: bloc,
        post,
        body_id: None,
        member_id,
        term: term.into(),
        since,
        until,
        decision: decision.into(),
    };
    for new in [
        hold(
            Post::Secretary,
            secretary,
            "2020-2025",
            day(2020, 8, 20),
            Some(day(2025, 7, 23)),
            "88-QĐ/TU ngày 20/8/2020",
        ),
        hold(Post::Secretary, secretary, "2025-2030", day(2025, 8, 28), None, "216-QĐ/TU ngày 28/8/2025"),
        hold(Post::DeputySecretary, deputy, "2025-2030", day(2025, 8, 28), None, "216-QĐ/TU ngày 28/8/2025"),
    ] {
        personnel::record_holder(&mut b.tx, &b.actor, new).await?;
    }
    for (i, m) in younger.iter().take(3).enumerate() {
        let decision = "217-QĐ/TU ngày 28/8/2025";
        let post = if i == 0 { Post::InspectionChair } else { Post::StandingBoard };
        personnel::record_holder(&mut b.tx, &b.actor, hold(post, m.0, "2025-2030", day(2025, 8, 28), None, decision))
            .await?;
    }

    // Every cell's secretary but one in ten: the cell's first full member, elected at the
    // cell's congress of 2025 (one statement, one entry in the audit log).
    let cells =
        b.tx.execute(
            "INSERT INTO post_holders (org_id, post, term, member_id, full_name, decision, since)
             SELECT m.org_id, 'secretary', '2025-2030', m.id, m.full_name, 'Đại hội chi bộ 2025', '2025-05-15'
             FROM members m JOIN orgs o ON o.id = m.org_id
             WHERE o.kind = 'cell' AND m.status = 'full' AND m.ended_on IS NULL AND o.id % 10 <> 3
               AND m.id = (SELECT MIN(x.id) FROM members x WHERE x.org_id = m.org_id AND x.status = 'full')",
            &[],
        )
        .await?;
    audit::append(
        &mut b.tx,
        &b.actor,
        Change {
            action: Action::PostHolder,
            subject: Subject::org(bloc),
            before: None,
            after: Some(json!({"cells_with_a_secretary": cells, "term": "2025-2030"})),
        },
    )
    .await?;

    // The bloc's planning for the next term.
    let rules = PersonnelRules::default();
    let women: Vec<MemberId> = younger.iter().filter(|m| m.1 == Gender::Female).map(|m| m.0).skip(1).take(3).collect();
    let men: Vec<MemberId> = younger.iter().filter(|m| m.1 == Gender::Male).map(|m| m.0).skip(2).take(5).collect();
    let plan = [
        (Post::Secretary, vec![men.first(), women.first(), men.get(1)]),
        (Post::DeputySecretary, vec![men.get(2), women.get(1), men.get(3)]),
        (Post::InspectionChair, vec![women.get(2), men.get(4)]),
    ];
    let standards = rules.planning_standards.clone();
    let mut first = None;
    for (post, people) in plan {
        for (i, member_id) in people.into_iter().flatten().enumerate() {
            let new = NewPlanningEntry {
                org_id: bloc,
                post,
                body_id: None,
                term: "2030-2035".into(),
                member_id: *member_id,
                added_on: day(2025, 12, 10),
                decision: "312-QĐ/TU ngày 10/12/2025".into(),
                standards: standards.iter().take(standards.len() - i).cloned().collect(),
            };
            let id = personnel::add_to_pool(&mut b.tx, &b.actor, new, &rules).await?;
            first.get_or_insert(id);
        }
    }
    congress_plan(b).await?;
    nomination_case(b, bloc).await?;
    if let Some(id) = first {
        personnel::remove_from_pool(
            &mut b.tx,
            &b.actor,
            id,
            day(2026, 11, 20),
            "405-QĐ/TU ngày 20/11/2026",
            "Rà soát năm 2026: chuyển công tác ra ngoài tỉnh",
        )
        .await?;
    }
    Ok(())
}

/// The Văn phòng Tỉnh ủy committee's personnel plan for its 2030 congress: written and sent to
/// the province, which has not decided yet.
async fn congress_plan(b: &mut Builder) -> Result<(), StoreError> {
    use dangvu_domain::personnel::plan::PlanEvent;
    use dangvu_store::personnel::plans::{self, PlanContent, PostContent};

    let Some(congress) =
        b.tx.query_one("SELECT id, org_id FROM congresses WHERE term = '2030-2035' ORDER BY id LIMIT 1", &[]).await?
    else {
        return Ok(());
    };
    let (congress_id, org_id): (i64, OrgId) = (congress.int(0)?, congress.id(1)?);
    let path =
        b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![org_id])
            .await?
            .ok_or(StoreError::NotFound)?
            .text(0)?;
    let people =
        b.tx.query(
            "SELECT m.id, m.full_name FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
             WHERE v.path >= $1 AND v.path < $2 AND m.status = 'full' AND m.ended_on IS NULL ORDER BY m.id LIMIT 11",
            params![path.as_str(), subtree_end(&path)],
        )
        .await?;
    let people: Vec<(Option<MemberId>, String)> =
        people.iter().map(|r| Ok((Some(r.id(0)?), r.text(1)?))).collect::<Result<_, StoreError>>()?;
    if people.len() < 11 {
        return Ok(());
    }
    let content = PlanContent {
        note: "Cơ cấu 9 đồng chí; tái cử 5, tham gia lần đầu 4; nữ 3, trẻ 2.".into(),
        posts: [
            (Post::ExecutiveCommittee, 9, 10, &people[..10]),
            (Post::StandingBoard, 3, 3, &people[..3]),
            (Post::Secretary, 1, 1, &people[..1]),
            (Post::DeputySecretary, 1, 1, &people[1..2]),
            (Post::InspectionCommittee, 3, 3, &people[8..11]),
            (Post::InspectionChair, 1, 1, &people[8..9]),
        ]
        .map(|(post, seats, candidates, names)| PostContent { post, seats, candidates, names: names.to_vec() })
        .to_vec(),
    };
    let plan = plans::save_plan(&mut b.tx, &b.actor, congress_id, org_id, &content).await?;
    plans::plan_event(&mut b.tx, &b.actor, plan, PlanEvent::Submit, "", day(2026, 11, 25), "").await?;
    Ok(())
}

/// A case of the five-step procedure in progress in the bloc: the policy approved, step 1 done,
/// the expanded conference held with its quorum, its ballots waiting for the tellers.
async fn nomination_case(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    use dangvu_domain::personnel::nomination::{NominationRules, Source};
    use dangvu_store::personnel::nominations::{self, Completion, NewCase, Purpose};

    let rules = NominationRules::default();
    let new = NewCase {
        org_id: bloc,
        post: Post::DeputySecretary,
        body_id: None,
        purpose: Purpose::Appointment,
        source: Source::Inside,
        title: "Bổ nhiệm Phó Bí thư Đảng ủy Khối các cơ quan tỉnh".into(),
        requested_on: day(2026, 11, 2),
    };
    let id = nominations::create_case(&mut b.tx, &b.actor, new).await?;
    for (on, note) in [
        (day(2026, 11, 10), "Ban Thường vụ Tỉnh ủy đồng ý chủ trương (Công văn 1520-CV/TU)"),
        (day(2026, 11, 17), "Thống nhất cơ cấu, tiêu chuẩn, quy trình"),
    ] {
        let done = Completion { on, note: note.into(), decision: String::new() };
        nominations::complete_step(&mut b.tx, &b.actor, id, &done, &rules).await?;
    }
    let names = ["Nguyễn Văn Thành", "Trần Thị Minh Hằng", "Lê Quang Huy"].map(String::from).to_vec();
    let conference = nominations::NewConference { summoned: 31, present: 27, names };
    let election_rules = dangvu_domain::elections::ElectionRules::default();
    nominations::open_conference(&mut b.tx, &b.actor, id, &conference, &rules, &election_rules).await?;
    Ok(())
}
