//! The demo's congresses: the province's plans for two cycles; the bloc's congress of 2020, held
//! and closed, every milestone done; and the Văn phòng Tỉnh ủy committee preparing its next
//! congress, its political report in two versions with comments from its cells (two of them the
//! same) and from a member, one of them outdated by the second version and one already disposed.

use dangvu_domain::congresses::{CongressKind, Disposition, Event};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::OrgKind;
use dangvu_store::StoreError;
use dangvu_store::congresses::{self, NewComment, NewCongress, NewPlan, Sender};

use super::Builder;

const REPORT_V1: &str = "I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2025-2030
Đảng bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị; tham mưu, phục vụ Ban Thường vụ bảo đảm kịp thời, 98% văn bản đúng hạn.
Công tác xây dựng Đảng được chú trọng; 100% chi bộ sinh hoạt định kỳ đúng quy định.
Chuyển đổi số trong công tác văn phòng còn chậm, chưa đồng bộ.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2030-2035
Nâng cao chất lượng tham mưu, giúp việc Ban Chấp hành, Ban Thường vụ Tỉnh ủy.
Đẩy mạnh cải cách hành chính trong Đảng; quản lý tài chính, tài sản của Đảng công khai, minh bạch.";

const REPORT_V2: &str = "I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2025-2030
Nhiệm kỳ qua diễn ra trong bối cảnh nhiều khó khăn do thiên tai và biến động kinh tế.
Đảng bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị; tham mưu, phục vụ Ban Thường vụ bảo đảm kịp thời, 99% văn bản đúng hạn.
Công tác xây dựng Đảng được chú trọng; 100% chi bộ sinh hoạt định kỳ đúng quy định.
Chuyển đổi số trong công tác văn phòng còn chậm, chưa đồng bộ.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2030-2035
Nâng cao chất lượng tham mưu, giúp việc Ban Chấp hành, Ban Thường vụ Tỉnh ủy.
Đẩy mạnh cải cách hành chính trong Đảng; quản lý tài chính, tài sản của Đảng công khai, minh bạch.
Hoàn thành chuyển đổi số toàn diện công tác văn phòng vào năm 2032.";

/// The bloc congress's delegates: seats for each unit below by its full members, each unit's
/// delegation taken from its register (its first full members, then an alternate), two
/// delegates by right; the credentials committee accepts all but one official, whose place an
/// alternate takes; two sessions, everyone checked in but one official absent throughout.
async fn delegates(b: &mut Builder, congress_id: i64, bloc: OrgId) -> Result<(), StoreError> {
    use dangvu_domain::congresses::delegates::{Decision, Role, Seats, Source, allocate};
    use dangvu_store::congresses::delegates::{self as store, NewDelegate};

    let congress = congresses::lock(&mut b.tx, congress_id).await?;
    let units =
        b.tx.query(
            "SELECT v.org_id, v.path FROM org_versions v WHERE v.parent_id = $1 AND v.valid_to IS NULL ORDER BY v.path",
            dangvu_store::params![bloc],
        )
        .await?;
    // The full members of the whole bloc read once, each given to the unit below the bloc
    // whose subtree holds it.
    let bloc_path = b
        .tx
        .query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", dangvu_store::params![bloc])
        .await?
        .ok_or(StoreError::NotFound)?
        .text(0)?;
    let everyone = b
        .tx
        .query(
            "SELECT m.id, m.full_name, w.path FROM members m JOIN org_versions w ON w.org_id = m.org_id AND w.valid_to IS NULL
             WHERE m.status = 'full' AND w.path >= $1 AND w.path < $2 ORDER BY m.id",
            dangvu_store::params![bloc_path.as_str(), dangvu_domain::orgs::tree::subtree_end(&bloc_path).as_str()],
        )
        .await?;
    let mut people: Vec<Vec<(MemberId, String)>> = vec![Vec::new(); units.len()];
    for m in &everyone {
        let path = m.text(2)?;
        if let Some(i) = units.iter().position(|u| u.text(1).is_ok_and(|p| path.starts_with(&p))) {
            people[i].push((m.id(0)?, m.text(1)?));
        }
    }
    let members: Vec<u32> = people.iter().map(|p| p.len() as u32).collect();
    // Two seats a unit on average, one at least: the floor always fits.
    let officials = allocate(2 * members.len() as u32, &members, 1).ok_or(StoreError::NotFound)?;
    let mut allocation = Vec::new();
    for (r, official) in units.iter().zip(officials) {
        allocation.push((r.id::<OrgId>(0)?, Seats { official, alternates: 1 }));
    }
    store::set_seats(&mut b.tx, &b.actor, &congress, &allocation).await?;
    let mut list = vec![
        NewDelegate {
            org_id: bloc,
            member_id: None,
            full_name: "Nguyễn Văn Hùng".into(),
            source: Source::ExOfficio,
            role: Role::Official,
            votes: None,
            election_id: None,
        },
        NewDelegate {
            org_id: bloc,
            member_id: None,
            full_name: "Trần Thị Mai".into(),
            source: Source::ExOfficio,
            role: Role::Official,
            votes: None,
            election_id: None,
        },
    ];
    for (unit, (org_id, seats)) in people.iter().zip(&allocation) {
        for (i, (member_id, full_name)) in unit.iter().take(seats.official as usize + 1).enumerate() {
            let role = if i as u32 >= seats.official { Role::Alternate } else { Role::Official };
            list.push(NewDelegate {
                org_id: *org_id,
                member_id: Some(*member_id),
                full_name: full_name.clone(),
                source: Source::Elected,
                role,
                votes: None,
                election_id: None,
            });
        }
    }
    store::add(&mut b.tx, &b.actor, &congress, &list).await?;
    let all = store::delegates_in(&mut b.tx, congress_id).await?;
    // One official of the first unit with an alternate was found ineligible; the alternate sat.
    let replaced = all.iter().find(|d| {
        d.role == Role::Official
            && d.source == Source::Elected
            && all.iter().any(|a| a.role == Role::Alternate && a.org_id == d.org_id)
    });
    if let Some(official) = replaced {
        store::decide(
            &mut b.tx,
            &b.actor,
            &congress,
            official.id,
            Decision::Reject,
            "Chuyển sinh hoạt đảng sang đơn vị khác trước đại hội",
        )
        .await?;
        let alternate = all
            .iter()
            .find(|a| a.role == Role::Alternate && a.org_id == official.org_id)
            .ok_or(StoreError::NotFound)?;
        store::substitute(
            &mut b.tx,
            &b.actor,
            &congress,
            official.id,
            alternate.id,
            "Thay đại biểu không được công nhận tư cách",
        )
        .await?;
    }
    store::accept_awaiting(&mut b.tx, &b.actor, &congress).await?;
    let cards: Vec<u32> = all.iter().map(|d| d.card).collect();
    let absent = cards.last().copied();
    for (title, day) in [("Phiên trù bị", "2020-07-22"), ("Phiên chính thức", "2020-07-23")] {
        let session = store::open_session(&mut b.tx, &b.actor, &congress, title, on(day)).await?;
        let present: Vec<u32> = cards.iter().copied().filter(|c| Some(*c) != absent).collect();
        store::check_in(&mut b.tx, &b.actor, &congress, session, &present).await?;
    }
    Ok(())
}

/// The report's targets table: admitted members, documents on time, cells meeting monthly,
/// with last term's target, what was achieved and (`next`) the next term's.
fn targets(next: &[(&str, &str); 3]) -> Vec<dangvu_domain::congresses::targets::Target> {
    [
        ("Kết nạp đảng viên mới", "người", "40"),
        ("Văn bản tham mưu đúng hạn", "%", "95"),
        ("Chi bộ sinh hoạt định kỳ hằng tháng", "%", "100"),
    ]
    .iter()
    .zip(next)
    .map(|((name, unit, previous), (achieved, next))| dangvu_domain::congresses::targets::Target {
        name: (*name).into(),
        unit: (*unit).into(),
        previous_target: (*previous).into(),
        achieved: (*achieved).into(),
        next_target: (*next).into(),
    })
    .collect()
}

/// The committee preparing its congress: its subcommittees with their people and tasks, and
/// its full members summoned.
async fn preparation(b: &mut Builder, congress_id: i64) -> Result<(), StoreError> {
    use dangvu_domain::congresses::subcommittees::{SeatInSubcommittee, SubcommitteeKind};
    use dangvu_store::congresses::subcommittees::{self as subcommittees, NewSubcommitteeMember};

    let congress = congresses::lock(&mut b.tx, congress_id).await?;
    for (kind, head, head_title, tasks) in [
        (
            SubcommitteeKind::Documents,
            "Nguyễn Thị Hương",
            "Phó Bí thư Đảng ủy",
            [
                ("Hoàn thành dự thảo Báo cáo chính trị trình Ban Thường vụ", "2030-03-15"),
                ("Tổng hợp ý kiến góp ý của các chi bộ", "2030-04-20"),
            ],
        ),
        (
            SubcommitteeKind::Personnel,
            "Lê Văn Thành",
            "Bí thư Đảng ủy",
            [
                ("Xây dựng phương án nhân sự Ban Chấp hành khóa mới", "2030-03-31"),
                ("Lấy phiếu giới thiệu nhân sự", "2030-04-10"),
            ],
        ),
        (
            SubcommitteeKind::Organisation,
            "Phạm Minh Tuấn",
            "Chánh Văn phòng",
            [("Chuẩn bị hội trường, tài liệu đại biểu", "2030-05-15"), ("In thẻ đại biểu", "2030-05-10")],
        ),
    ] {
        let id = subcommittees::create(&mut b.tx, &b.actor, &congress, kind, "").await?;
        let member = NewSubcommitteeMember {
            member_id: None,
            full_name: head.into(),
            seat: SeatInSubcommittee::Head,
            title: head_title.into(),
        };
        subcommittees::add_member(&mut b.tx, &b.actor, id, &member).await?;
        for (task, due) in tasks {
            subcommittees::assign_task(&mut b.tx, &b.actor, &congress, id, task, Some(on(due))).await?;
        }
    }
    let summoned = dangvu_store::congresses::delegates::members_to_summon_in(&mut b.tx, &congress).await?;
    dangvu_store::congresses::delegates::add(&mut b.tx, &b.actor, &congress, &summoned).await?;
    Ok(())
}

async fn org(b: &mut Builder, code: &str) -> Result<OrgId, StoreError> {
    b.id_of(code).await
}

fn on(s: &str) -> chrono::NaiveDate {
    s.parse().expect("a demo date")
}

/// The bloc's congress of 22–23/7/2020 (seed 003: the provincial standing board approved it),
/// held; the Văn phòng Tỉnh ủy committee's next one, in preparation.
pub(super) async fn build(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    // The province's plans: the committees directly under it held their congresses of 2020 by
    // 30/9; the grassroots organisations hold the next ones by 30/6/2030.
    let province = org(b, super::PROVINCE_CODE).await?;
    for (term, kinds, held_by) in [
        ("2020-2025", vec![OrgKind::Committee], "2020-09-30"),
        ("2030-2035", vec![OrgKind::GrassrootsCommittee, OrgKind::GrassrootsCell], "2030-06-30"),
    ] {
        let plan = NewPlan { org_id: province, term: term.into(), kinds, held_by: on(held_by), milestones: None };
        congresses::push_plan(&mut b.tx, &b.actor, &plan).await?;
    }
    let held = congresses::create(
        &mut b.tx,
        &b.actor,
        &NewCongress {
            org_id: bloc,
            title: "Đại hội đại biểu Đảng bộ Khối các cơ quan tỉnh lần thứ XIV".into(),
            kind: CongressKind::Delegates,
            term: "2020-2025".into(),
            opens_on: on("2020-07-22"),
            closes_on: Some(on("2020-07-23")),
            place: "Thành phố Vinh".into(),
        },
    )
    .await?;
    // A congress held: every milestone of its preparation was reported done on its day.
    let open =
        b.tx.query(
            "SELECT m.task_id, t.due_on FROM congress_milestones m JOIN tasks t ON t.id = m.task_id
             WHERE m.congress_id = $1 AND t.done_on IS NULL",
            dangvu_store::params![held],
        )
        .await?;
    for r in open {
        let due = r.opt_date(1)?.unwrap_or(on("2020-07-22"));
        dangvu_store::tasks::report(&mut b.tx, &b.actor, r.int(0)?, 100, "Đã hoàn thành", true, due).await?;
    }
    for (event, day, note) in [
        (Event::Approve, "2020-07-01", "Ban Thường vụ Tỉnh ủy duyệt, đồng ý tổ chức ngày 22–23/7/2020"),
        (Event::Open, "2020-07-22", ""),
    ] {
        congresses::change_state(&mut b.tx, &b.actor, held, event, on(day), note).await?;
    }
    delegates(b, held, bloc).await?;
    congresses::change_state(&mut b.tx, &b.actor, held, Event::Close, on("2020-07-23"), "").await?;

    let committee = org(b, "DUK-CCQ-VPTU").await?;
    let first_cell = org(b, "DUK-CCQ-VPTU-CB01").await?;
    let member: MemberId =
        b.tx.query_one("SELECT MIN(id) FROM members WHERE org_id = $1", dangvu_store::params![first_cell])
            .await?
            .ok_or(StoreError::NotFound)?
            .id(0)?;
    let next = congresses::create(
        &mut b.tx,
        &b.actor,
        &NewCongress {
            org_id: committee,
            title: "Đại hội Đảng bộ Văn phòng Tỉnh ủy lần thứ XI".into(),
            kind: CongressKind::Members,
            term: "2030-2035".into(),
            opens_on: on("2030-05-20"),
            closes_on: Some(on("2030-05-21")),
            place: "Hội trường Tỉnh ủy".into(),
        },
    )
    .await?;
    let draft = congresses::create_draft(&mut b.tx, &b.actor, next, "Báo cáo chính trị", REPORT_V1, None, None).await?;
    congresses::targets::set(&mut b.tx, draft, 1, &targets(&[("8", "8"), ("98", "100"), ("100", "100")])).await?;
    preparation(b, next).await?;
    let today = dangvu_domain::calendar::today();
    let same = "Đề nghị bổ sung chỉ tiêu cụ thể về chuyển đổi số cho nhiệm kỳ tới.";
    let mut comments = Vec::new();
    for (cell, paragraph, quote, text, agreeing) in [
        ("DUK-CCQ-VPTU-CB01", 4, "Chuyển đổi số", same, Some(11)),
        ("DUK-CCQ-VPTU-CB02", 4, "", same, Some(8)),
        ("DUK-CCQ-VPTU-CB03", 2, "98% văn bản", "Đề nghị nêu rõ số văn bản trễ hạn và nguyên nhân.", None),
        ("DUK-CCQ-VPTU-CB01", 6, "", "Bổ sung nhiệm vụ đào tạo, bồi dưỡng cán bộ trẻ.", Some(11)),
    ] {
        let org_id = org(b, cell).await?;
        let new = NewComment {
            draft_id: draft,
            version: 1,
            paragraph,
            quote: quote.into(),
            text: text.into(),
            sender: Sender::Org { org_id, members_agreeing: agreeing },
            from_paper: false,
            file_id: None,
        };
        comments.push(congresses::add_comment(&mut b.tx, &b.actor, &new, today).await?);
    }
    let mine = NewComment {
        draft_id: draft,
        version: 1,
        paragraph: 3,
        quote: "sinh hoạt định kỳ".into(),
        text: "Nên đánh giá cả chất lượng sinh hoạt chuyên đề, không chỉ số buổi.".into(),
        sender: Sender::Member(member),
        from_paper: false,
        file_id: None,
    };
    congresses::add_comment(&mut b.tx, &b.actor, &mine, today).await?;
    congresses::dispose(
        &mut b.tx,
        &b.actor,
        comments[0],
        Disposition::Accepted,
        "Đã bổ sung chỉ tiêu chuyển đổi số vào phần phương hướng (bản 2).",
    )
    .await?;
    congresses::add_version(&mut b.tx, &b.actor, draft, REPORT_V2, "Tiếp thu ý kiến các chi bộ").await?;
    congresses::targets::set(&mut b.tx, draft, 2, &targets(&[("8", "10"), ("99", "100"), ("100", "100")])).await?;
    // A draft of the second document, not yet commented.
    congresses::create_draft(
        &mut b.tx,
        &b.actor,
        next,
        "Báo cáo kiểm điểm của Ban Chấp hành",
        "Ưu điểm: Ban Chấp hành đoàn kết, thống nhất, lãnh đạo hoàn thành nhiệm vụ.\nHạn chế: việc kiểm tra, giám sát chuyên đề còn ít.",
        None,
        None,
    )
    .await?;
    Ok(())
}
