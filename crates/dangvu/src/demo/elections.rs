//! The demo's elections: the bloc's congress of 2025, counted twice and final, and the
//! office cell's congress, its list and board ready for the tellers to enter the ballots.

use chrono::NaiveDate;
use dangvu_domain::elections::{
    Ballot, BallotKind, Body, ElectionKind, ElectionRules, Electors, Exclusion, Reconciliation,
};
use dangvu_domain::ids::OrgId;
use dangvu_store::elections::{self, ApprovalDecision, BoardRole, NewCandidate, NewElection};
use dangvu_store::{StoreError, params};

use super::Builder;

const BLOC_LIST: [&str; 17] = [
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Đình Quang",
    "Phạm Văn Thắng",
    "Hoàng Thị Lan",
    "Võ Minh Tuấn",
    "Đặng Văn Hải",
    "Bùi Thị Hồng",
    "Hồ Sỹ Long",
    "Ngô Thị Thanh",
    "Phan Văn Đức",
    "Dương Thị Hà",
    "Lý Văn Nam",
    "Chu Thị Nga",
    "Mai Xuân Sơn",
    "Đinh Thị Yến",
    "Trịnh Văn Vinh",
];

async fn user_id(b: &mut Builder, username: &str) -> Result<i64, StoreError> {
    b.tx.query_one("SELECT id FROM users WHERE username = $1", params![username])
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)
}

async fn seat(b: &mut Builder, id: i64, board: [(&str, BoardRole); 3]) -> Result<(), StoreError> {
    for (username, role) in board {
        let user = user_id(b, username).await?;
        let election = elections::get_in(&mut b.tx, id).await?.ok_or(StoreError::NotFound)?;
        elections::add_to_board(&mut b.tx, &b.actor, &election, user, role).await?;
    }
    Ok(())
}

/// The bloc's congress (15 of 17, 150 delegates summoned, 2 committee members absent), its
/// ballots entered by two tellers who agree; and the office cell's congress awaiting its count.
pub(super) async fn build(b: &mut Builder, bloc: OrgId, cell: OrgId) -> Result<(), StoreError> {
    let rules = ElectionRules::default();
    let congress = NewElection {
        org_id: bloc,
        congress_id: None,
        title: "Bầu Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh khóa XV, nhiệm kỳ 2025–2030".into(),
        kind: ElectionKind::DelegatesCongress,
        ballot: BallotKind::Surplus,
        seats: 15,
        electors: Electors { summoned: 150, excluded: [(Exclusion::CommitteeMemberAbsent, 2)].into() },
        candidates: BLOC_LIST.iter().map(|n| NewCandidate { full_name: (*n).into(), member_id: None }).collect(),
        body: Body::ExecutiveCommittee,
        term: Some("2025-2030".into()),
    };
    let id = elections::create(&mut b.tx, &b.actor, &congress, &rules).await?;
    seat(b, id, [("vanphong", BoardRole::Head), ("lanhdao", BoardRole::Teller), ("tochuc", BoardRole::Teller)]).await?;
    // 148 ballots returned of 150 issued. Each delegate strikes two to four names, the later
    // names of the list more often; one ballot strikes nobody (17 kept of 15: invalid).
    let n = BLOC_LIST.len() as u32;
    let mut ballots = Vec::with_capacity(148);
    for k in 0..148 {
        let mut struck: Vec<u32> = Vec::new();
        if k != 77 {
            let count = 2 + b.rng.below(3) as usize;
            while struck.len() < count {
                let pick = 1 + (b.rng.below(u64::from(n)) as u32).max(b.rng.below(u64::from(n)) as u32);
                if !struck.contains(&pick) {
                    struck.push(pick);
                }
            }
        }
        ballots.push(Ballot::struck(&struck, n).map_err(|e| StoreError::Decode(e.to_string()))?);
    }
    let pile = Reconciliation { issued: 150, returned: 148 };
    for teller in ["lanhdao", "tochuc"] {
        let user = user_id(b, teller).await?;
        let election = elections::get_in(&mut b.tx, id).await?.ok_or(StoreError::NotFound)?;
        elections::save_entry(&mut b.tx, &b.actor, &election, user, pile, &ballots, &rules).await?;
    }
    after_the_count(b, id, &rules).await?;

    let cell_congress = NewElection {
        org_id: cell,
        congress_id: None,
        title: "Bầu Chi ủy Chi bộ Văn phòng nhiệm kỳ 2025–2027".into(),
        kind: ElectionKind::MembersCongress,
        ballot: BallotKind::Surplus,
        seats: 3,
        electors: Electors { summoned: 14, excluded: [(Exclusion::AbsentWithReason, 1)].into() },
        candidates: ["Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Thu", "Phạm Quốc Việt"]
            .iter()
            .map(|n| NewCandidate { full_name: (*n).into(), member_id: None })
            .collect(),
        body: Body::ExecutiveCommittee,
        term: Some("2025-2027".into()),
    };
    let id = elections::create(&mut b.tx, &b.actor, &cell_congress, &rules).await?;
    seat(b, id, [("bithu", BoardRole::Head), ("lanhdao", BoardRole::Teller), ("tochuc", BoardRole::Teller)]).await
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// What followed the bloc's count: the ballots sealed on the closing day, one complaint
/// received and resolved, the province's approval (the new executive committee takes its
/// seats) and, six months on, the ballots destroyed.
async fn after_the_count(b: &mut Builder, id: i64, rules: &ElectionRules) -> Result<(), StoreError> {
    let get = async |b: &mut Builder| elections::get_in(&mut b.tx, id).await?.ok_or(StoreError::NotFound);
    let election = get(b).await?;
    elections::seal(&mut b.tx, &b.actor, &election, day(2025, 7, 23)).await?;
    let election = get(b).await?;
    let complaint = elections::complaint(&mut b.tx, &b.actor, &election, day(2025, 7, 30), "Đơn số 07/2025").await?;
    elections::resolve_complaint(
        &mut b.tx,
        &b.actor,
        &election,
        complaint,
        day(2025, 8, 20),
        "Ủy ban Kiểm tra Tỉnh ủy kết luận: không có vi phạm, giữ nguyên kết quả",
    )
    .await?;
    let decision = ApprovalDecision {
        annul: false,
        refused: Default::default(),
        reference: "215-QĐ/TU".into(),
        on: day(2025, 8, 28),
        note: String::new(),
    };
    elections::approve(&mut b.tx, &b.actor, &election, &decision).await?;
    let election = get(b).await?;
    let calendar = dangvu_domain::members::HolidayCalendar::vietnam_fixed(2025);
    elections::destroy(&mut b.tx, &b.actor, &election, day(2026, 1, 26), "12-QĐ/ĐUK", rules, &calendar).await
}
