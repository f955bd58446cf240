//! The demo's petitions: the province inspection committee's register with a case in every
//! state (new, held for a congress's new committee, being handled on time, due soon and
//! overdue, paused for clarification, resolved on time and late, kept without handling,
//! forwarded to the State, withdrawn), a citizens' reception session, the committee's head as
//! the custodian of denouncers' identities and an inspector handling the cases. The senders'
//! names are invented.

use chrono::{Days, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::congresses::CongressKind;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{HolidayCalendar, add_working_days};
use dangvu_domain::petitions::clock::ClockFacts;
use dangvu_domain::petitions::{
    Channel, Clock, Concerns, Event, Kind, NotHandledReason, Outcome, PetitionRules, State, held_for_congress,
};
use dangvu_store::accounts::{self, NewUser};
use dangvu_store::congresses::{self, NewCongress};
use dangvu_store::petitions::{self, Clockwork, IdentityKey, Intake, Sender, Step};
use dangvu_store::{StoreError, params};

use super::{Builder, DEMO_PASSWORD};

/// One letter of the demo register.
struct Letter {
    days_ago: u64,
    channel: Channel,
    kind: Kind,
    summary: &'static str,
    sender: Option<(&'static str, &'static str, &'static str)>,
    concerns: Subject,
}

enum Subject {
    Member(MemberId),
    Org(OrgId),
    State(&'static str),
}

pub(super) async fn build(b: &mut Builder, province: OrgId, bloc: OrgId, key: &IdentityKey) -> Result<(), StoreError> {
    let today = calendar::today();
    let rules = PetitionRules::default();
    let mut holidays = HolidayCalendar::new();
    for year in 2024..=2028 {
        holidays.merge(&HolidayCalendar::vietnam_fixed(year));
    }
    let clock = Clockwork { rules: &rules, calendar: &holidays, today };

    let head = accounts::create_user(&mut b.tx, &b.actor, inspector("kiemtra", province)).await?;
    petitions::set_custodian(&mut b.tx, &b.actor, head.id, true).await?;
    let handler = accounts::create_user(&mut b.tx, &b.actor, inspector("kiemtravien", province)).await?;

    let members: Vec<MemberId> =
        b.tx.query(
            "SELECT id FROM members WHERE org_id IN (SELECT org_id FROM org_versions WHERE parent_id = $1)
             AND ended_on IS NULL ORDER BY id LIMIT 6",
            params![bloc],
        )
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let member = |i: usize| members.get(i % members.len().max(1)).copied().unwrap_or(MemberId::from(1));
    let reception = petitions::add_reception(
        &mut b.tx,
        &b.actor,
        province,
        today - Days::new(20),
        "Đồng chí Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        4,
        "Phản ánh việc thu hồi đất; tố cáo cán bộ nhận tiền khi cấp giấy chứng nhận",
    )
    .await?;

    let letters = [
        // 0: new, on time.
        Letter {
            days_ago: 2,
            channel: Channel::Post,
            kind: Kind::Denunciation,
            summary: "Tố cáo đảng viên kê khai tài sản, thu nhập không trung thực; tôi là Lê Thị Mai, xin được \
                      giữ bí mật.",
            sender: Some(("Lê Thị Mai", "Xóm 3, xã Nghi Phú", "0912000111")),
            concerns: Subject::Member(member(0)),
        },
        // 1: new, acceptance overdue.
        Letter {
            days_ago: 30,
            channel: Channel::HandedIn,
            kind: Kind::Complaint,
            summary: "Khiếu nại quyết định kỷ luật khiển trách của chi bộ vì chưa xem xét đầy đủ tình tiết.",
            sender: Some(("Phan Văn Hải", "Khối 5, phường Trường Vinh", "")),
            concerns: Subject::Member(member(1)),
        },
        // 2: accepted, due soon.
        Letter {
            days_ago: 130,
            channel: Channel::Reception,
            kind: Kind::Denunciation,
            summary: "Tố cáo cán bộ nhận tiền của người dân khi cấp giấy chứng nhận quyền sử dụng đất.",
            sender: Some(("Trần Văn Lực", "Xóm 7, xã Hưng Đông", "0988000222")),
            concerns: Subject::Member(member(2)),
        },
        // 3: accepted, overdue.
        Letter {
            days_ago: 150,
            channel: Channel::Forwarded,
            kind: Kind::Denunciation,
            summary: "Tố cáo chi bộ không tổ chức sinh hoạt định kỳ và lập biên bản khống.",
            sender: Some(("Nguyễn Thị Sen", "Khối 2, phường Vinh Hưng", "")),
            concerns: Subject::Org(bloc),
        },
        // 4: paused for clarification.
        Letter {
            days_ago: 45,
            channel: Channel::Post,
            kind: Kind::Complaint,
            summary: "Khiếu nại việc không được xét chuyển đảng chính thức đúng hạn.",
            sender: Some(("Võ Minh Tâm", "Xã Nghi Phú", "0977000333")),
            concerns: Subject::Member(member(3)),
        },
        // 5: resolved on time, after an extension.
        Letter {
            days_ago: 220,
            channel: Channel::Post,
            kind: Kind::Denunciation,
            summary: "Tố cáo đảng viên sử dụng xe công vào việc riêng nhiều lần trong năm.",
            sender: Some(("Hồ Văn Bảy", "Phường Cửa Lò", "")),
            concerns: Subject::Member(member(4)),
        },
        // 6: resolved late.
        Letter {
            days_ago: 100,
            channel: Channel::Online,
            kind: Kind::Feedback,
            summary: "Phản ánh việc chậm trả lời đơn của người dân về cấp phép xây dựng.",
            sender: Some(("Đặng Thị Hoa", "Phường Trường Vinh", "0905000444")),
            concerns: Subject::Org(bloc),
        },
        // 7: anonymous, kept.
        Letter {
            days_ago: 15,
            channel: Channel::Post,
            kind: Kind::Denunciation,
            summary: "Đơn không ký tên tố cáo lãnh đạo đơn vị chia chác tiền quỹ.",
            sender: None,
            concerns: Subject::Org(bloc),
        },
        // 8: a repeat of case 5, kept.
        Letter {
            days_ago: 10,
            channel: Channel::Post,
            kind: Kind::Denunciation,
            summary: "Tố cáo đảng viên sử dụng xe công vào việc riêng nhiều lần trong năm, đề nghị xử lý.",
            sender: Some(("Hồ Văn Bảy", "Phường Cửa Lò", "")),
            concerns: Subject::Member(member(4)),
        },
        // 9: a State matter, forwarded out.
        Letter {
            days_ago: 25,
            channel: Channel::Reception,
            kind: Kind::Proposal,
            summary: "Kiến nghị xem xét lại phương án bồi thường khi thu hồi đất làm đường.",
            sender: Some(("Ngô Văn Sơn", "Xã Hưng Đông", "0934000555")),
            concerns: Subject::State("UBND xã Hưng Đông"),
        },
        // 10: withdrawn.
        Letter {
            days_ago: 60,
            channel: Channel::HandedIn,
            kind: Kind::Complaint,
            summary: "Khiếu nại kết quả xếp loại chất lượng đảng viên năm trước.",
            sender: Some(("Bùi Thị Lan", "Phường Vinh Hưng", "0916000666")),
            concerns: Subject::Member(member(5)),
        },
    ];
    let mut ids = Vec::new();
    for letter in &letters {
        let received_on = today - Days::new(letter.days_ago);
        let id = register(b, key, &clock, province, letter, received_on, None, false).await?;
        ids.push(id);
    }
    let on = |days: u64| today - Days::new(days);
    let step = |event: Event, on: NaiveDate, note: &str| Step {
        event,
        on,
        note: note.to_owned(),
        decision: None,
        outcome: None,
        reason: None,
        forwarded_to: None,
    };
    let actor = b.actor.clone();
    for id in &ids[..7] {
        petitions::add_handler(&mut b.tx, &actor, *id, handler.id, today).await?;
    }
    petitions::take_step(&mut b.tx, &actor, ids[2], &step(Event::Accept, on(128), "Thụ lý giải quyết"), &clock).await?;
    petitions::take_step(&mut b.tx, &actor, ids[3], &step(Event::Accept, on(148), "Thụ lý giải quyết"), &clock).await?;
    petitions::take_step(&mut b.tx, &actor, ids[4], &step(Event::Accept, on(40), "Thụ lý"), &clock).await?;
    petitions::take_step(
        &mut b.tx,
        &actor,
        ids[4],
        &step(Event::Pause, on(12), "Đề nghị người khiếu nại bổ sung quyết định kỷ luật"),
        &clock,
    )
    .await?;
    petitions::take_step(&mut b.tx, &actor, ids[5], &step(Event::Accept, on(215), "Thụ lý"), &clock).await?;
    let mut extend = step(Event::Extend, on(100), "Vụ việc phức tạp: phải xác minh ở hai nơi");
    extend.decision = Some("Quyết định 15-QĐ/UBKTTU".into());
    petitions::take_step(&mut b.tx, &actor, ids[5], &extend, &clock).await?;
    let mut resolve = step(Event::Resolve, on(70), "Tố cáo đúng một phần; đề nghị chi bộ kiểm điểm");
    resolve.outcome = Some(Outcome::PartlyFounded);
    resolve.decision = Some("Thông báo 22-TB/UBKTTU".into());
    petitions::take_step(&mut b.tx, &actor, ids[5], &resolve, &clock).await?;
    petitions::take_step(&mut b.tx, &actor, ids[6], &step(Event::Accept, on(98), "Tiếp nhận"), &clock).await?;
    let mut answered = step(Event::Resolve, on(20), "Đã trả lời người phản ánh");
    answered.outcome = Some(Outcome::Answered);
    petitions::take_step(&mut b.tx, &actor, ids[6], &answered, &clock).await?;
    let mut keep = step(Event::Keep, on(8), "Đã được giải quyết tại đơn trước, không có tình tiết mới");
    keep.reason = Some(NotHandledReason::Repeated);
    petitions::take_step(&mut b.tx, &actor, ids[8], &keep, &clock).await?;
    let mut forward = step(Event::Forward, on(22), "Việc thuộc thẩm quyền chính quyền");
    forward.forwarded_to = Some("UBND xã Hưng Đông (Phiếu chuyển số 05/PC-UBKTTU)".into());
    petitions::take_step(&mut b.tx, &actor, ids[9], &forward, &clock).await?;
    petitions::take_step(&mut b.tx, &actor, ids[10], &step(Event::Withdraw, on(50), "Người khiếu nại rút đơn"), &clock)
        .await?;

    // A grassroots congress three weeks away: a denunciation about it received now is held for
    // the new committee.
    let cell = b.tx.query_one("SELECT id FROM orgs WHERE code = $1", params!["P-TVINH-CB01"]).await?;
    if let Some(cell) = cell {
        let cell: OrgId = cell.id(0)?;
        let opens_on = add_working_days(today, 15, &holidays);
        let congress = congresses::create(
            &mut b.tx,
            &b.actor,
            &NewCongress {
                org_id: cell,
                title: "Đại hội Chi bộ nhiệm kỳ 2027-2030".into(),
                kind: CongressKind::Members,
                term: "2027-2030".into(),
                opens_on,
                closes_on: Some(opens_on),
                place: "Nhà văn hóa khối".into(),
            },
        )
        .await?;
        let letter = Letter {
            days_ago: 1,
            channel: Channel::Post,
            kind: Kind::Denunciation,
            summary: "Tố cáo nhân sự dự kiến giới thiệu bí thư chi bộ khóa mới vi phạm quy định sinh con thứ ba.",
            sender: Some(("Cao Văn Thịnh", "Khối 1, phường Trường Vinh", "")),
            concerns: Subject::Org(cell),
        };
        let held = held_for_congress(letter.kind, on(1), opens_on, true, &rules, &holidays);
        register(b, key, &clock, province, &letter, on(1), Some(congress), held).await?;
    }
    let from_reception = Letter {
        days_ago: 20,
        channel: Channel::Reception,
        kind: Kind::Feedback,
        summary: "Phản ánh việc thu hồi đất chưa công khai phương án tại khối phố.",
        sender: Some(("Lương Văn Đức", "Khối 4, phường Trường Vinh", "0966000777")),
        concerns: Subject::Org(bloc),
    };
    let id = register(b, key, &clock, province, &from_reception, on(20), None, false).await?;
    b.tx.execute("UPDATE petitions SET reception_id = $2 WHERE id = $1", params![id, reception]).await?;
    Ok(())
}

fn inspector(username: &str, province: OrgId) -> NewUser {
    NewUser {
        username: username.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
        role: "inspector".to_owned(),
        org_id: Some(province),
        member_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn register(
    b: &mut Builder,
    key: &IdentityKey,
    clock: &Clockwork<'_>,
    org: OrgId,
    letter: &Letter,
    received_on: NaiveDate,
    congress_id: Option<i64>,
    held: bool,
) -> Result<i64, StoreError> {
    let (concerns, member, concerned_org, text) = match letter.concerns {
        Subject::Member(m) => {
            let name = b.tx.query_one("SELECT full_name FROM members WHERE id = $1", params![m]).await?;
            (Concerns::Member, Some(m), None, name.map(|r| r.text(0)).transpose()?.unwrap_or_default())
        }
        Subject::Org(o) => {
            let name =
                b.tx.query_one("SELECT name FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![o])
                    .await?;
            (Concerns::Org, None, Some(o), name.map(|r| r.text(0)).transpose()?.unwrap_or_default())
        }
        Subject::State(s) => (Concerns::State, None, None, s.to_owned()),
    };
    let sender = letter.sender.map(|(name, address, phone)| Sender {
        full_name: name.to_owned(),
        address: Some(address.to_owned()).filter(|a| !a.is_empty()),
        phone: Some(phone.to_owned()).filter(|p| !p.is_empty()),
        original_summary: None,
    });
    let mut sender = sender;
    let summary = match &mut sender {
        Some(s) => s.protect(letter.kind, letter.summary),
        None => letter.summary.to_owned(),
    };
    let not_handled = dangvu_domain::petitions::not_handled_at_intake(letter.kind, sender.is_some(), true);
    let state = State::at_intake(not_handled.is_some(), held);
    let rule = clock.rules.limit(letter.kind).clone();
    let dates = Clock::of(&rule, &ClockFacts::received(received_on), clock.calendar);
    let repeats = petitions::repeats_tx(&mut b.tx, concerns, member, concerned_org, &text, &summary, 60).await?;
    let intake = Intake {
        org_id: org,
        number: None,
        received_on,
        channel: letter.channel,
        kind: letter.kind,
        summary,
        concerns,
        concerns_member_id: member,
        concerns_org_id: concerned_org,
        concerns_text: text,
        competent_org_id: Some(org),
        congress_id,
        reception_id: None,
        state,
        not_handled_reason: not_handled,
        repeat_of: repeats.first().map(|r| r.id),
        guided_to_denounce: false,
        rule,
        clock: dates,
        sender,
    };
    petitions::register(&mut b.tx, &b.actor, key, &intake).await
}
