//! The demo's emulation and rewards: the bloc's Party badges recorded on every award day since
//! 2018 (a few members missed, so that the next day's list shows them beside those reaching a
//! milestone), the province's merit award of seed 004 ("tặng bằng khen cho 23 tập thể và 164
//! cá nhân"), a campaign summed up last year and one running with units registered and
//! reporting, and award proposals in every state.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use dangvu_domain::calendar;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::members::{InactivePeriod, MembershipRules};
use dangvu_domain::orgs::tree::subtree_end;
use dangvu_domain::rewards::{AwardKind, Event, badge_reached_on};
use dangvu_store::rewards::{
    NewAward, NewCampaign, NewProposal, NewProposalItem, NewRecipient, ProposalStep, awards, campaigns, proposals,
};
use dangvu_store::tasks::documents::{self, NewDocument};
use dangvu_store::{StoreError, params};

use super::{Builder, day};

/// One in this many members was missed on the day a milestone came: the next list shows them.
const MISSED_ONE_IN: i64 = 37;

pub(super) async fn build(b: &mut Builder, province: OrgId, bloc: OrgId) -> Result<(), StoreError> {
    let rules = MembershipRules::default();
    badge_history(b, bloc, &rules).await?;
    provincial_merit(b, province, bloc, &rules).await?;
    let closed = campaigns_of_the_bloc(b, bloc).await?;
    proposals_to_the_bloc(b, bloc, closed, &rules).await
}

/// The bloc's members with their admission, last badge and periods out.
async fn members_of(
    b: &mut Builder,
    bloc: OrgId,
) -> Result<Vec<(MemberId, NaiveDate, u32, Vec<InactivePeriod>)>, StoreError> {
    let path =
        b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1 AND valid_to IS NULL", params![bloc]).await?;
    let path = path.ok_or(StoreError::NotFound)?.text(0)?;
    let rows =
        b.tx.query(
            "SELECT m.id, m.admitted_on, m.badge_years, i.from_on, i.until_on FROM members m
             JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
             LEFT JOIN member_inactive_periods i ON i.member_id = m.id
             WHERE v.path >= $1 AND v.path < $2 AND m.ended_on IS NULL ORDER BY m.id",
            params![path.as_str(), subtree_end(&path)],
        )
        .await?;
    let mut out: Vec<(MemberId, NaiveDate, u32, Vec<InactivePeriod>)> = Vec::new();
    for r in rows {
        let id: MemberId = r.id(0)?;
        if out.last().is_none_or(|m| m.0 != id) {
            out.push((id, r.date(1)?, u32::try_from(r.int(2)?).unwrap_or(0), Vec::new()));
        }
        if let (Some(from), Some(last)) = (r.opt_date(3)?, out.last_mut()) {
            last.3.push(InactivePeriod { from, until: r.opt_date(4)? });
        }
    }
    Ok(out)
}

/// A badge decision of the bloc on every award day from 2018 to today: each member's milestones
/// go to the first award day on or after the day reached.
async fn badge_history(b: &mut Builder, bloc: OrgId, rules: &MembershipRules) -> Result<(), StoreError> {
    let today = calendar::today();
    let days: Vec<NaiveDate> = (2018..=today.year())
        .flat_map(|y| rules.badge_award_days.iter().filter_map(move |d| d.in_year(y)))
        .filter(|d| *d < today)
        .collect();
    let (Some(&first), Some(&last)) = (days.first(), days.iter().max()) else { return Ok(()) };
    let mut milestones = rules.badge_milestone_years.clone();
    milestones.sort_unstable();
    let mut by_day: BTreeMap<NaiveDate, BTreeMap<MemberId, u32>> = BTreeMap::new();
    for (id, admitted, received, periods) in members_of(b, bloc).await? {
        if i64::from(id) % MISSED_ONE_IN == 0 {
            continue;
        }
        for &years in milestones.iter().filter(|&&y| y > received) {
            let Some(reached) = badge_reached_on(admitted, &periods, years) else { break };
            if reached > last {
                break;
            }
            let Some(&day) = days.iter().filter(|d| **d >= reached.max(first)).min() else { break };
            // Two milestones reached by the same day: the higher one is awarded.
            by_day.entry(day).or_default().insert(id, years);
        }
    }
    let count = by_day.len();
    for (i, (on, members)) in by_day.into_iter().enumerate() {
        let recipients = members
            .into_iter()
            .map(|(id, years)| NewRecipient { member_id: Some(id), badge_years: Some(years), ..Default::default() })
            .collect();
        let title = format!("Tặng Huy hiệu Đảng đợt {}", dangvu_domain::vi::date(on));
        // The last two decisions are in the registry, as a new office keeps them.
        let document_id = if i + 2 >= count {
            let number = format!("{}-QĐ/ĐUK", 300 + i);
            let doc =
                NewDocument { number, title: title.clone(), issued_on: on, org_id: Some(bloc), congress_id: None };
            Some(documents::create(&mut b.tx, &b.actor, doc).await?.id)
        } else {
            None
        };
        let award = NewAward {
            org_id: bloc,
            kind: AwardKind::Badge,
            title,
            decided_on: on,
            ceremony_on: Some(on),
            document_id,
            proposal_id: None,
            campaign_id: None,
            recipients,
        };
        awards::record(&mut b.tx, &b.actor, award, rules).await?;
    }
    Ok(())
}

/// Seed 004: the provincial standing board "tặng bằng khen cho 23 tập thể và 164 cá nhân".
async fn provincial_merit(
    b: &mut Builder,
    province: OrgId,
    bloc: OrgId,
    rules: &MembershipRules,
) -> Result<(), StoreError> {
    let collectives: Vec<OrgId> =
        b.tx.query(
            "SELECT org_id FROM org_versions WHERE parent_id = $1 AND valid_to IS NULL ORDER BY org_id LIMIT 23",
            params![bloc],
        )
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let people: Vec<MemberId> =
        b.tx.query("SELECT id FROM members WHERE ended_on IS NULL AND status = 'full' ORDER BY id", &[])
            .await?
            .iter()
            .map(|r| r.id(0))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .step_by(25)
            .take(164)
            .collect();
    let on = day(2026, 1, 20);
    let title = "Tặng Bằng khen của Ban Thường vụ Tỉnh ủy: thành tích xuất sắc trong công tác xây dựng Đảng năm 2025";
    let doc = NewDocument {
        number: "1268-QĐ/TU".into(),
        title: title.into(),
        issued_on: on,
        org_id: Some(province),
        congress_id: None,
    };
    let document_id = documents::create(&mut b.tx, &b.actor, doc).await?.id;
    let achievement = "Hoàn thành xuất sắc nhiệm vụ năm 2025".to_owned();
    let recipients = collectives
        .into_iter()
        .map(|o| NewRecipient { org_id: Some(o), achievement: achievement.clone(), ..Default::default() })
        .chain(people.into_iter().map(|m| NewRecipient {
            member_id: Some(m),
            achievement: achievement.clone(),
            ..Default::default()
        }))
        .collect();
    let award = NewAward {
        org_id: province,
        kind: AwardKind::Merit,
        title: title.into(),
        decided_on: on,
        ceremony_on: Some(day(2026, 2, 3)),
        document_id: Some(document_id),
        proposal_id: None,
        campaign_id: None,
        recipients,
    };
    awards::record(&mut b.tx, &b.actor, award, rules).await?;
    Ok(())
}

/// The grassroots committees of the bloc, first ones first.
async fn committees(b: &mut Builder, bloc: OrgId) -> Result<Vec<OrgId>, StoreError> {
    b.tx.query(
        "SELECT org_id FROM org_versions WHERE parent_id = $1 AND valid_to IS NULL AND kind = 'grassroots_committee'
         ORDER BY org_id LIMIT 8",
        params![bloc],
    )
    .await?
    .iter()
    .map(|r| r.id(0))
    .collect()
}

/// Seed 000: "phát động các phong trào thi đua chào mừng đại hội đảng các cấp" — last year's,
/// summed up, and this year's, running. Answers last year's.
async fn campaigns_of_the_bloc(b: &mut Builder, bloc: OrgId) -> Result<i64, StoreError> {
    let units = committees(b, bloc).await?;
    let closed = campaigns::launch(
        &mut b.tx,
        &b.actor,
        NewCampaign {
            org_id: bloc,
            theme: "Thi đua lập thành tích chào mừng đại hội đảng bộ các cấp, tiến tới Đại hội đại biểu toàn quốc lần \
                    thứ XIV của Đảng"
                .into(),
            starts_on: day(2025, 1, 2),
            ends_on: day(2025, 12, 31),
            criteria:
                "1. Tổ chức đại hội đúng tiến độ, đúng quy trình.\n2. Hoàn thành 100% chỉ tiêu kết nạp đảng viên.\n\
                       3. Không có đơn thư tố cáo vượt cấp liên quan đến nhân sự đại hội."
                    .into(),
        },
    )
    .await?;
    for (i, unit) in units.iter().take(5).enumerate() {
        campaigns::register(&mut b.tx, &b.actor, closed, *unit, "Đăng ký hoàn thành xuất sắc các tiêu chí thi đua")
            .await?;
        let result = format!("Tổ chức đại hội đúng tiến độ; kết nạp {} đảng viên mới, vượt chỉ tiêu.", 6 + i);
        campaigns::report(&mut b.tx, &b.actor, closed, *unit, &result).await?;
    }
    campaigns::close(
        &mut b.tx,
        &b.actor,
        closed,
        "5 đảng bộ cơ sở đăng ký và báo cáo; 100% tổ chức đại hội đúng tiến độ. Đề nghị khen thưởng các tập thể, cá \
         nhân tiêu biểu.",
    )
    .await?;
    let running = campaigns::launch(
        &mut b.tx,
        &b.actor,
        NewCampaign {
            org_id: bloc,
            theme: "Thi đua thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ Khối nhiệm kỳ 2025 - 2030".into(),
            starts_on: day(2026, 3, 1),
            ends_on: day(2027, 2, 28),
            criteria:
                "1. Hoàn thành nhiệm vụ chính trị được giao.\n2. Sinh hoạt chi bộ đúng quy định, có chuyên đề hằng \
                       quý.\n3. Chuyển đổi số trong công tác đảng."
                    .into(),
        },
    )
    .await?;
    for (i, unit) in units.iter().enumerate() {
        campaigns::register(&mut b.tx, &b.actor, running, *unit, "Đăng ký hoàn thành tốt các tiêu chí").await?;
        if i < 3 {
            campaigns::report(&mut b.tx, &b.actor, running, *unit, "Sơ kết 9 tháng: hoàn thành các tiêu chí").await?;
        }
    }
    Ok(closed)
}

/// Proposals to the bloc in every state: decided (the award recorded), submitted, returned,
/// draft, rejected, withdrawn.
async fn proposals_to_the_bloc(
    b: &mut Builder,
    bloc: OrgId,
    campaign: i64,
    rules: &MembershipRules,
) -> Result<(), StoreError> {
    let units = committees(b, bloc).await?;
    let plan: [(&str, Option<Event>, Option<&str>); 6] = [
        ("Đề nghị tặng Giấy khen tổng kết phong trào thi đua năm 2025", Some(Event::Decide), None),
        ("Đề nghị tặng Giấy khen năm 2026", Some(Event::Submit), None),
        (
            "Đề nghị tặng Giấy khen hoàn thành xuất sắc nhiệm vụ năm 2026",
            Some(Event::Return),
            Some("Bổ sung kết quả xếp loại năm 2026 của các cá nhân"),
        ),
        ("Đề nghị tặng Giấy khen chuyên đề chuyển đổi số", None, None),
        ("Đề nghị tặng Giấy khen đột xuất", Some(Event::Reject), Some("Thành tích chưa đủ tiêu chuẩn khen đột xuất")),
        ("Đề nghị tặng Giấy khen người tốt việc tốt", Some(Event::Withdraw), None),
    ];
    for (i, (title, last, reason)) in plan.into_iter().enumerate() {
        let Some(&unit) = units.get(i % units.len().max(1)) else { return Ok(()) };
        let year = if i == 0 { 2025 } else { 2026 };
        let new = NewProposal {
            org_id: unit,
            to_org_id: bloc,
            kind: AwardKind::Certificate,
            title: title.into(),
            year,
            campaign_id: (i == 0).then_some(campaign),
        };
        let id = proposals::create(&mut b.tx, &b.actor, new).await?;
        let cells: Vec<OrgId> =
            b.tx.query(
                "SELECT org_id FROM org_versions WHERE parent_id = $1 AND valid_to IS NULL ORDER BY org_id LIMIT 2",
                params![unit],
            )
            .await?
            .iter()
            .map(|r| r.id(0))
            .collect::<Result<_, _>>()?;
        let people: Vec<MemberId> =
            b.tx.query(
                "SELECT m.id FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
                 WHERE v.parent_id = $1 AND m.ended_on IS NULL ORDER BY m.id LIMIT 4",
                params![unit],
            )
            .await?
            .iter()
            .map(|r| r.id(0))
            .collect::<Result<_, _>>()?;
        for cell in cells {
            let item = NewProposalItem {
                member_id: None,
                org_id: Some(cell),
                achievement: "Chi bộ trong sạch, vững mạnh; hoàn thành xuất sắc nhiệm vụ".into(),
            };
            proposals::add_item(&mut b.tx, &b.actor, id, item).await?;
        }
        for member in people {
            let item = NewProposalItem {
                member_id: Some(member),
                org_id: None,
                achievement: "Hoàn thành xuất sắc nhiệm vụ; tiêu biểu trong phong trào thi đua".into(),
            };
            proposals::add_item(&mut b.tx, &b.actor, id, item).await?;
        }
        let Some(last) = last else { continue };
        let step = |event: Event| ProposalStep {
            event,
            reason: reason.map(str::to_owned),
            approved: Vec::new(),
            decision_number: (event == Event::Decide).then(|| "57-QĐ/ĐUK".to_owned()),
            decision_title: None,
            decided_on: (event == Event::Decide).then(|| day(2026, 1, 12)),
        };
        if last != Event::Withdraw {
            proposals::take_step(&mut b.tx, &b.actor, id, step(Event::Submit), rules).await?;
        }
        if last != Event::Submit {
            proposals::take_step(&mut b.tx, &b.actor, id, step(last), rules).await?;
        }
    }
    Ok(())
}
