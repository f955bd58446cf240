//! The demo's congresses: the bloc's congress of 2025, held and closed; and the Sở Tài chính
//! committee preparing its next congress, its political report in two versions with comments
//! from its cells (two of them the same) and from a member, one of them outdated by the second
//! version and one already disposed.

use dangvu_domain::congresses::{CongressKind, Disposition, Event};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_store::StoreError;
use dangvu_store::congresses::{self, NewComment, NewCongress, Sender};

use super::Builder;

const REPORT_V1: &str = "I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2025-2030
Đảng bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị; thu ngân sách trên địa bàn tăng bình quân 9%/năm.
Công tác xây dựng Đảng được chú trọng; 100% chi bộ sinh hoạt định kỳ đúng quy định.
Chuyển đổi số trong công tác quản lý tài chính còn chậm, chưa đồng bộ.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2030-2035
Nâng cao chất lượng tham mưu về tài chính, ngân sách; hoàn thành dự toán thu hằng năm.
Đẩy mạnh cải cách hành chính, công khai, minh bạch trong quản lý tài chính công.";

const REPORT_V2: &str = "I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2025-2030
Nhiệm kỳ qua diễn ra trong bối cảnh nhiều khó khăn do thiên tai và biến động kinh tế.
Đảng bộ lãnh đạo cơ quan hoàn thành tốt nhiệm vụ chính trị; thu ngân sách trên địa bàn tăng bình quân 9,4%/năm.
Công tác xây dựng Đảng được chú trọng; 100% chi bộ sinh hoạt định kỳ đúng quy định.
Chuyển đổi số trong công tác quản lý tài chính còn chậm, chưa đồng bộ.
II. PHƯƠNG HƯỚNG, NHIỆM VỤ NHIỆM KỲ 2030-2035
Nâng cao chất lượng tham mưu về tài chính, ngân sách; hoàn thành dự toán thu hằng năm.
Đẩy mạnh cải cách hành chính, công khai, minh bạch trong quản lý tài chính công.
Hoàn thành chuyển đổi số toàn diện trong quản lý tài chính công vào năm 2032.";

async fn org(b: &mut Builder, code: &str) -> Result<OrgId, StoreError> {
    b.id_of(code).await
}

fn on(s: &str) -> chrono::NaiveDate {
    s.parse().expect("a demo date")
}

/// The bloc's 2025 congress, held; the finance committee's next one, in preparation.
pub(super) async fn build(b: &mut Builder, bloc: OrgId, member: MemberId) -> Result<(), StoreError> {
    let held = congresses::create(
        &mut b.tx,
        &b.actor,
        &NewCongress {
            org_id: bloc,
            title: "Đại hội đại biểu Đảng bộ Khối các cơ quan tỉnh lần thứ XV".into(),
            kind: CongressKind::Delegates,
            term: "2025-2030".into(),
            opens_on: on("2025-07-22"),
            closes_on: Some(on("2025-07-23")),
            place: "Thành phố Vinh".into(),
        },
    )
    .await?;
    for (event, day, note) in [
        (Event::Approve, "2025-07-01", "Ban Thường vụ Tỉnh ủy đồng ý"),
        (Event::Open, "2025-07-22", ""),
        (Event::Close, "2025-07-23", ""),
    ] {
        congresses::change_state(&mut b.tx, &b.actor, held, event, on(day), note).await?;
    }

    let committee = org(b, "DUK-CCQ-STC").await?;
    let next = congresses::create(
        &mut b.tx,
        &b.actor,
        &NewCongress {
            org_id: committee,
            title: "Đại hội Đảng bộ Sở Tài chính lần thứ XI".into(),
            kind: CongressKind::Members,
            term: "2030-2035".into(),
            opens_on: on("2030-05-20"),
            closes_on: Some(on("2030-05-21")),
            place: "Hội trường Sở Tài chính".into(),
        },
    )
    .await?;
    let draft = congresses::create_draft(&mut b.tx, &b.actor, next, "Báo cáo chính trị", REPORT_V1, None, None).await?;
    let today = dangvu_domain::calendar::today();
    let same = "Đề nghị bổ sung chỉ tiêu cụ thể về chuyển đổi số cho nhiệm kỳ tới.";
    let mut comments = Vec::new();
    for (cell, paragraph, quote, text, agreeing) in [
        ("DUK-CCQ-STC-CB01", 4, "Chuyển đổi số", same, Some(11)),
        ("DUK-CCQ-STC-CB02", 4, "", same, Some(8)),
        ("DUK-CCQ-STC-CB03", 2, "9%/năm", "Đề nghị nêu rõ số liệu thu ngân sách từng năm làm căn cứ.", None),
        ("DUK-CCQ-STC-CB01", 6, "", "Bổ sung nhiệm vụ đào tạo, bồi dưỡng cán bộ trẻ.", Some(11)),
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
