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
        (Event::Close, "2020-07-23", ""),
    ] {
        congresses::change_state(&mut b.tx, &b.actor, held, event, on(day), note).await?;
    }

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
