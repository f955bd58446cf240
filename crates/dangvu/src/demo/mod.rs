//! `dangvu demo`: a small but realistic Nghệ An deployment to try dangvu with.
//!
//! Everything is written in one transaction through the store API, so the audit log
//! records the demo like any other change, and the data is the same on every run
//! (the few varying dates come from a fixed-seed splitmix64, not from the clock).
//!
//! - The province root "Đảng bộ tỉnh Nghệ An" (`TU-NA`) with its bodies.
//! - Eight commune and ward committees as they stand after the 1 July 2025
//!   restructuring, each with grassroots cells and grassroots committees.
//! - The bloc "Đảng bộ Khối các cơ quan tỉnh" (`DUK-CCQ`) with the figures of seed 003:
//!   39 grassroots committees, 24 grassroots cells, 11 sub-committees and 419 cells, listed
//!   in `demo/bloc.tsv` (read by `demo/data.rs`).
//! - History: the district "Đảng bộ huyện Diễn Châu" and its communes until 1 July 2025,
//!   when the communes were merged, renamed and moved under the province and the district
//!   was dissolved; and the rename of the transport department's committee on 1 March 2025.
//! - The bloc's cell meetings of the last three months and this one, with attendance and
//!   approved minutes, and the next regular meeting of the finance department's office cell.
//! - Elections: the bloc's congress of 2025 (15 of 17, counted by two tellers, final) and the
//!   office cell's congress with its list and board, ready for the tellers (`lanhdao`, `tochuc`).
//! - Seven accounts, all with [`DEMO_PASSWORD`]: `admin`; `tochuc` (organisation department),
//!   `vanphong` (office) and `lanhdao` (viewer) for the province; `khoi` (organiser) for the
//!   bloc; `bithu` (secretary) and `dangvien` (member) of that cell, who sees the handbook.

use chrono::{Datelike, Days, NaiveDate};
use dangvu_domain::accounts::Role;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::orgs::OrgKind;
use dangvu_store::accounts::{self, NewUser};
use dangvu_store::audit::Actor;
use dangvu_store::orgs::{self, NewOrg};
use dangvu_store::petitions::IdentityKey;
use dangvu_store::tasks::{self, documents, meetings};
use dangvu_store::{Db, StoreError, Tx, params};

mod congresses;
mod data;
mod dues;
mod elections;
mod personnel;
mod petitions;
mod rewards;

/// The password of every demo account; `dangvu demo` prints it.
pub const DEMO_PASSWORD: &str = "dangvu-demo-2026";

/// The demo accounts, each as (username, password, role label, name of its scope).
pub type DemoAccounts = Vec<(String, String, String, String)>;

/// The code of the province root; its presence means the demo is already loaded.
pub const PROVINCE_CODE: &str = "TU-NA";
/// The code of the bloc committee with the figures of seed 003.
pub const BLOC_CODE: &str = "DUK-CCQ";

/// Builds the demo tree and accounts in one transaction. Refuses a database that
/// already holds them.
/// `key` seals the senders of the demo's petitions: the server that serves the demo holds it.
pub async fn build_demo(db: &Db, key: &IdentityKey) -> Result<DemoAccounts, StoreError> {
    let bloc_data = data::bloc()?;
    let mut tx = db.begin().await?;
    if tx.query_one("SELECT 1 FROM orgs WHERE code = $1", params![PROVINCE_CODE]).await?.is_some() {
        return Err(StoreError::invalid(
            "demo",
            format!("Cơ sở dữ liệu đã có dữ liệu mẫu (tổ chức mã {PROVINCE_CODE})"),
        ));
    }
    let mut b = Builder { tx, actor: Actor::command_line(), rng: SplitMix64(0x00da_4600_2026_0003) };

    let province = b.org(PROVINCE_CODE, "Đảng bộ tỉnh Nghệ An", OrgKind::Province, None, day(1930, 2, 3)).await?;
    for (kind, name) in PROVINCE_BODIES {
        orgs::add_body(&mut b.tx, &b.actor, province, kind, name).await?;
    }

    let bloc = build_bloc(&mut b, province, &bloc_data).await?;
    build_communes(&mut b, province).await?;
    build_dien_chau_history(&mut b, province).await?;
    build_directives(&mut b, province).await?;
    build_body_tasks(&mut b, province).await?;

    build_members(&mut b, bloc).await?;
    build_admissions(&mut b, bloc).await?;
    build_cell_meetings(&mut b, bloc).await?;

    let cell_code = format!("{BLOC_CODE}-STC-CB01");
    let cell = b.id_of(&cell_code).await?;
    let handbook_member =
        b.tx.query_one("SELECT MIN(id) FROM members WHERE org_id = $1", params![cell])
            .await?
            .ok_or(StoreError::NotFound)?
            .id(0)?;
    let accounts_to_make: [(&str, Role, Option<OrgId>, String); 7] = [
        ("admin", Role::Admin, None, "Toàn bộ hệ thống".to_owned()),
        ("tochuc", Role::Organizer, Some(province), "Đảng bộ tỉnh Nghệ An".to_owned()),
        ("vanphong", Role::Office, Some(province), "Đảng bộ tỉnh Nghệ An".to_owned()),
        ("khoi", Role::Organizer, Some(bloc), "Đảng bộ Khối các cơ quan tỉnh".to_owned()),
        ("bithu", Role::Secretary, Some(cell), "Chi bộ Văn phòng (Đảng bộ Sở Tài chính)".to_owned()),
        ("lanhdao", Role::Viewer, Some(province), "Đảng bộ tỉnh Nghệ An".to_owned()),
        ("dangvien", Role::Member, Some(cell), "Chi bộ Văn phòng (Đảng bộ Sở Tài chính)".to_owned()),
    ];
    let mut out = DemoAccounts::new();
    for (username, role, org_id, scope) in accounts_to_make {
        let new = NewUser {
            username: username.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role: role.as_str().to_owned(),
            org_id,
            member_id: (role == Role::Member).then_some(handbook_member),
        };
        accounts::create_user(&mut b.tx, &b.actor, new).await?;
        out.push((username.to_owned(), DEMO_PASSWORD.to_owned(), role.label().to_owned(), scope));
    }
    elections::build(&mut b, bloc, cell).await?;
    congresses::build(&mut b, bloc).await?;
    personnel::build(&mut b, bloc).await?;
    petitions::build(&mut b, province, bloc, key).await?;
    rewards::build(&mut b, province, bloc).await?;
    dues::build(&mut b, province, bloc).await?;
    b.tx.commit().await?;
    Ok(out)
}

// ------------------------------------------------------------------ building

struct Builder {
    tx: Tx,
    actor: Actor,
    rng: SplitMix64,
}

impl Builder {
    async fn org(
        &mut self,
        code: &str,
        name: &str,
        kind: OrgKind,
        parent_id: Option<OrgId>,
        on: NaiveDate,
    ) -> Result<OrgId, StoreError> {
        let new = NewOrg {
            code: code.to_owned(),
            name: name.to_owned(),
            kind: kind.as_str().to_owned(),
            parent_id,
            effective_on: on,
        };
        orgs::create(&mut self.tx, &self.actor, new).await
    }

    async fn id_of(&mut self, code: &str) -> Result<OrgId, StoreError> {
        self.tx
            .query_one("SELECT id FROM orgs WHERE code = $1", params![code])
            .await?
            .ok_or(StoreError::NotFound)?
            .id(0)
    }

    /// A founding date between `from` and `to` (both included), never after `to`.
    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        if to <= from {
            return from;
        }
        let span = (to - from).num_days() as u64 + 1;
        from + Days::new(self.rng.below(span))
    }
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("a valid calendar date"),
    }
}

/// The day the district level ended and the new communes and wards began.
fn restructuring_day() -> NaiveDate {
    day(2025, 7, 1)
}

async fn build_bloc(b: &mut Builder, province: OrgId, data: &data::Bloc) -> Result<OrgId, StoreError> {
    let founded = day(1991, 9, 1);
    // Every organisation of the bloc exists by the end of 2019, so the figures of
    // seed 003 (30 June 2020) hold on that date as well as today.
    let last = day(2019, 12, 31);
    let bloc = b.org(BLOC_CODE, "Đảng bộ Khối các cơ quan tỉnh", OrgKind::Committee, Some(province), founded).await?;
    for (kind, name) in BLOC_BODIES {
        orgs::add_body(&mut b.tx, &b.actor, bloc, kind, name).await?;
    }
    for gc in &data.committees {
        let on = b.date_between(founded, day(2012, 12, 31));
        let code = format!("{BLOC_CODE}-{}", gc.code);
        let id = b.org(&code, &gc.name, OrgKind::GrassrootsCommittee, Some(bloc), on).await?;
        let mut n = 0;
        for cell in &gc.cells {
            n += 1;
            let cell_on = b.date_between(on, last.min(on + Days::new(3000)));
            b.org(&format!("{code}-CB{n:02}"), &format!("Chi bộ {cell}"), OrgKind::Cell, Some(id), cell_on).await?;
        }
        for (s, (sub, cells)) in gc.subs.iter().enumerate() {
            let sub_on = b.date_between(on, last.min(on + Days::new(2000)));
            let sub_id = b
                .org(
                    &format!("{code}-BP{:02}", s + 1),
                    &format!("Đảng bộ bộ phận {sub}"),
                    OrgKind::SubCommittee,
                    Some(id),
                    sub_on,
                )
                .await?;
            for cell in cells {
                n += 1;
                let cell_on = b.date_between(sub_on, last.min(sub_on + Days::new(1500)));
                b.org(&format!("{code}-CB{n:02}"), &format!("Chi bộ {cell}"), OrgKind::Cell, Some(sub_id), cell_on)
                    .await?;
            }
        }
    }
    for (code, name) in &data.cells {
        let on = b.date_between(founded, day(2015, 12, 31));
        b.org(&format!("{BLOC_CODE}-{code}"), name, OrgKind::GrassrootsCell, Some(bloc), on).await?;
    }
    // The transport department became the construction department (2025 reorganisation
    // of provincial departments): same party committee, new name.
    let transport = b.id_of(&format!("{BLOC_CODE}-SGTVT")).await?;
    orgs::rename(&mut b.tx, &b.actor, transport, "Đảng bộ Sở Xây dựng", day(2025, 3, 1)).await?;
    Ok(bloc)
}

async fn build_communes(b: &mut Builder, province: OrgId) -> Result<(), StoreError> {
    let on = restructuring_day();
    for c in &COMMUNES {
        let id = b.org(c.code, c.name, OrgKind::Committee, Some(province), on).await?;
        for (kind, name) in COMMUNE_BODIES {
            orgs::add_body(&mut b.tx, &b.actor, id, kind, name).await?;
        }
        add_grassroots(b, id, c.code, c.cells, c.committees, on).await?;
    }
    Ok(())
}

/// Grassroots cells `{code}-CB{n}` and grassroots committees `{code}-{suffix}` with their
/// cells `{code}-{suffix}-CB{n}`, all founded on `on`.
async fn add_grassroots(
    b: &mut Builder,
    parent: OrgId,
    code: &str,
    cells: &[&str],
    committees: &[(&str, &str, &[&str])],
    on: NaiveDate,
) -> Result<(), StoreError> {
    for (i, cell) in cells.iter().enumerate() {
        b.org(&format!("{code}-CB{:02}", i + 1), cell, OrgKind::GrassrootsCell, Some(parent), on).await?;
    }
    for (suffix, name, gc_cells) in committees {
        let gc_code = format!("{code}-{suffix}");
        let gc = b.org(&gc_code, name, OrgKind::GrassrootsCommittee, Some(parent), on).await?;
        for (i, cell) in gc_cells.iter().enumerate() {
            b.org(&format!("{gc_code}-CB{:02}", i + 1), cell, OrgKind::Cell, Some(gc), on).await?;
        }
    }
    Ok(())
}

/// The district of Diễn Châu until 30 June 2025, and what became of it.
async fn build_dien_chau_history(b: &mut Builder, province: OrgId) -> Result<(), StoreError> {
    let district =
        b.org("HU-DCHAU", "Đảng bộ huyện Diễn Châu", OrgKind::Committee, Some(province), day(1947, 2, 1)).await?;
    let mut old = Vec::new();
    for c in &DIEN_CHAU_OLD_COMMUNES {
        let on = b.date_between(day(1955, 1, 1), day(1994, 12, 31));
        let id = b.org(c.code, c.name, OrgKind::Committee, Some(district), on).await?;
        let cells_on = b.date_between(on, day(2005, 12, 31));
        add_grassroots(b, id, c.code, c.cells, c.committees, cells_on).await?;
        old.push(id);
    }
    let [town, dien_ky, dien_hanh, dien_quang] = old[..] else { unreachable!("four old communes") };
    let on = restructuring_day();
    let (actor, tx) = (&b.actor, &mut b.tx);

    // xã Diễn Châu: a new commune committee, into which the town and Diễn Kỷ are merged.
    let new = NewOrg {
        code: "XA-DCHAU".into(),
        name: "Đảng bộ xã Diễn Châu".into(),
        kind: OrgKind::Committee.as_str().into(),
        parent_id: Some(province),
        effective_on: on,
    };
    let dien_chau = orgs::create(tx, actor, new).await?;
    for (kind, name) in COMMUNE_BODIES {
        orgs::add_body(tx, actor, dien_chau, kind, name).await?;
    }
    orgs::merge(tx, actor, town, dien_chau, on).await?;
    orgs::merge(tx, actor, dien_ky, dien_chau, on).await?;

    // xã Đức Châu: Diễn Hạnh takes the new name, moves under the province and
    // receives Diễn Quảng.
    orgs::rename(tx, actor, dien_hanh, "Đảng bộ xã Đức Châu", on).await?;
    orgs::move_to(tx, actor, dien_hanh, province, on).await?;
    for (kind, name) in COMMUNE_BODIES {
        orgs::add_body(tx, actor, dien_hanh, kind, name).await?;
    }
    orgs::merge(tx, actor, dien_quang, dien_hanh, on).await?;

    // The district level ends.
    orgs::dissolve(tx, actor, district, on).await?;
    Ok(())
}

// ------------------------------------------------------------------ directives and tasks

/// Documents, two meetings of the standing office and the tasks their conclusions gave,
/// some done, some late: enough for the queues and the dashboard to mean something.
async fn build_directives(b: &mut Builder, province: OrgId) -> Result<(), StoreError> {
    let (actor, tx) = (&b.actor, &mut b.tx);
    let mut docs = Vec::new();
    for (number, title, on) in DEMO_DOCUMENTS {
        let new = documents::NewDocument {
            number: number.into(),
            title: title.into(),
            issued_on: on,
            org_id: Some(province),
            congress_id: None,
        };
        docs.push(documents::create(tx, actor, new).await?.id);
    }
    for m in DEMO_MEETINGS {
        let new = meetings::NewMeeting {
            org_id: province,
            title: m.title.into(),
            kind: m.kind.into(),
            held_on: m.held_on,
            chair: m.chair.into(),
            attendees: m.attendees.into(),
            reports: String::new(),
            conclusion: m.conclusion.into(),
            document_id: None,
        };
        let meeting = meetings::create(tx, actor, new).await?.id;
        for t in m.tasks {
            let lead = id_of_code(tx, t.lead).await?;
            let mut support = Vec::new();
            for code in t.support {
                support.push(id_of_code(tx, code).await?);
            }
            let new = tasks::NewTask {
                org_id: province,
                title: t.title.into(),
                detail: String::new(),
                lead_org_id: lead,
                support_org_ids: support,
                support_body_ids: Vec::new(),
                lead_body_id: None,
                starts_on: None,
                due_on: t.due_on,
                recurrence: t.recurrence.map(Into::into),
                meeting_id: Some(meeting),
                document_id: t.document.map(|i| docs[i]),
            };
            let id = tasks::create(tx, actor, new).await?;
            if let Some((progress, done_on)) = t.reported {
                let on = done_on.unwrap_or(m.held_on);
                tasks::report(tx, actor, id, progress, "Báo cáo của đơn vị chủ trì", done_on.is_some(), on).await?;
                if done_on.is_some() {
                    tasks::review(tx, actor, id, true, "", on).await?;
                }
            }
        }
    }
    Ok(())
}

/// (title, lead body, supporting bodies, supporting unit code, deadline, reported done on)
type BodyWork =
    (&'static str, &'static str, &'static [&'static str], Option<&'static str>, NaiveDate, Option<NaiveDate>);

/// Work the standing committee gives its own boards, office and đảng đoàn (seed 000, 002), and
/// results reported done that wait for the office to accept them: the office's review queue.
async fn build_body_tasks(b: &mut Builder, province: OrgId) -> Result<(), StoreError> {
    let (actor, tx) = (&b.actor, &mut b.tx);
    let work: [BodyWork; 5] = [
        (
            "Hướng dẫn rà soát, bổ sung quy hoạch cấp ủy các cấp nhiệm kỳ 2025 - 2030",
            "Ban Tổ chức Tỉnh ủy",
            &["Văn phòng Tỉnh ủy"],
            None,
            day(2026, 12, 31),
            None,
        ),
        (
            "Tổng hợp kết quả 5 năm thực hiện Chỉ thị số 35-CT/TW, báo cáo Ban Thường vụ",
            "Văn phòng Tỉnh ủy",
            &["Ban Tổ chức Tỉnh ủy"],
            None,
            day(2026, 11, 30),
            Some(day(2026, 11, 26)),
        ),
        (
            "Giám sát việc giải quyết kiến nghị cử tri sau kỳ họp Hội đồng nhân dân tỉnh",
            "Đảng đoàn Hội đồng nhân dân tỉnh",
            &["Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
            None,
            day(2027, 3, 31),
            None,
        ),
        (
            "Lãnh đạo tháo gỡ vướng mắc giải phóng mặt bằng dự án trọng điểm",
            "Ban cán sự đảng Ủy ban nhân dân tỉnh",
            &[],
            Some("P-TVINH"),
            day(2026, 10, 31),
            None,
        ),
        (
            "Tổ chức tháng thanh niên, ra quân tình nguyện hè",
            "Tỉnh đoàn Nghệ An",
            &["Ban Tuyên giáo và Dân vận Tỉnh ủy"],
            None,
            day(2026, 8, 31),
            Some(day(2026, 9, 4)),
        ),
    ];
    for (title, lead, support, support_unit, due_on, done_on) in work {
        let lead = body_named(tx, province, lead).await?;
        let mut support_body_ids = Vec::new();
        for name in support {
            support_body_ids.push(body_named(tx, province, name).await?);
        }
        let support_org_ids = match support_unit {
            Some(code) => vec![id_of_code(tx, code).await?],
            None => Vec::new(),
        };
        let new = tasks::NewTask {
            org_id: province,
            title: title.into(),
            detail: String::new(),
            lead_org_id: province,
            lead_body_id: Some(lead),
            support_org_ids,
            support_body_ids,
            starts_on: None,
            due_on: Some(due_on),
            recurrence: None,
            meeting_id: None,
            document_id: None,
        };
        let id = tasks::create(tx, actor, new).await?;
        if let Some(on) = done_on {
            tasks::report(tx, actor, id, 100, "Đã hoàn thành, gửi kèm báo cáo kết quả", true, on).await?;
        }
    }
    // A commune's result waiting for the office.
    let commune = id_of_code(tx, "P-CLO").await?;
    let new = tasks::NewTask {
        org_id: province,
        title: "Báo cáo sơ kết công tác dân vận 6 tháng cuối năm 2026".into(),
        detail: String::new(),
        lead_org_id: commune,
        lead_body_id: None,
        support_org_ids: Vec::new(),
        support_body_ids: Vec::new(),
        starts_on: None,
        due_on: Some(day(2026, 12, 15)),
        recurrence: None,
        meeting_id: None,
        document_id: None,
    };
    let id = tasks::create(tx, actor, new).await?;
    tasks::report(tx, actor, id, 100, "Báo cáo sơ kết gửi kèm", true, day(2026, 12, 1)).await?;
    Ok(())
}

async fn body_named(tx: &mut Tx, org: OrgId, name: &str) -> Result<i64, StoreError> {
    tx.query_one("SELECT id FROM bodies WHERE org_id = $1 AND name = $2", params![org, name])
        .await?
        .ok_or(StoreError::NotFound)?
        .int(0)
}

async fn id_of_code(tx: &mut Tx, code: &str) -> Result<OrgId, StoreError> {
    tx.query_one("SELECT id FROM orgs WHERE code = $1", params![code]).await?.ok_or(StoreError::NotFound)?.id(0)
}

const DEMO_DOCUMENTS: [(&str, &str, NaiveDate); 3] = [
    (
        "35-CT/TW",
        "Chỉ thị về tổ chức đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        day(2024, 6, 14),
    ),
    ("50-CT/TW", "Chỉ thị về tiếp tục nâng cao chất lượng sinh hoạt chi bộ trong tình hình mới", day(2025, 7, 23)),
    ("153-KH/TU", "Kế hoạch thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị", day(2024, 7, 5)),
];

struct DemoTask {
    title: &'static str,
    lead: &'static str,
    support: &'static [&'static str],
    due_on: Option<NaiveDate>,
    recurrence: Option<&'static str>,
    document: Option<usize>,
    /// Progress reported, and the day it was done (then accepted).
    reported: Option<(i64, Option<NaiveDate>)>,
}

struct DemoMeeting {
    title: &'static str,
    kind: &'static str,
    held_on: NaiveDate,
    chair: &'static str,
    attendees: &'static str,
    conclusion: &'static str,
    tasks: &'static [DemoTask],
}

/// The conclusion of seed 002 (giao ban quý II/2024), and a giao ban of 2026.
const DEMO_MEETINGS: [DemoMeeting; 2] = [
    DemoMeeting {
        title: "Hội nghị giao ban thường trực và chánh văn phòng các cấp ủy trực thuộc tỉnh quý II/2024",
        kind: "quarterly_briefing",
        held_on: day(2024, 6, 20),
        chair: "Đồng chí Phó Bí thư Thường trực Tỉnh ủy",
        attendees: "Lãnh đạo các ban đảng, Văn phòng Tỉnh ủy; thường trực, chánh văn phòng các cấp ủy trực thuộc tỉnh",
        conclusion: "Các cấp ủy trong thời gian tới cần tập trung một số nhiệm vụ: (1) Tăng cường vai trò lãnh đạo của cấp ủy trong công tác lãnh đạo triển khai thực hiện các dự án công trình trọng điểm trên địa bàn; có giải pháp thực hiện hiệu quả đẩy nhanh tiến độ giải phóng mặt bằng, kịp thời báo cáo Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy những vấn đề vướng mắc; (2) Quan tâm chỉ đạo giải quyết tốt tin báo tố giác tội phạm; (3) Thực hiện phê duyệt quy hoạch, kiện toàn nhân sự cấp ủy xong trong cuối năm 2024; (4) Tăng cường chỉ đạo, giám sát việc ứng dụng sinh hoạt chi bộ hàng tháng bằng Sổ tay đảng viên điện tử Đảng bộ tỉnh; (5) Tăng cường kiểm tra, giám sát các cấp ủy về việc thực hiện quy chế làm việc của các cấp ủy; (6) Tập trung thực hiện phát triển đảng đạt chỉ tiêu đề ra.",
        tasks: &[
            DemoTask {
                title: "Đẩy nhanh tiến độ giải phóng mặt bằng các dự án trọng điểm, báo cáo vướng mắc",
                lead: "P-TVINH",
                support: &["P-CLO"],
                due_on: Some(day(2024, 9, 30)),
                recurrence: None,
                document: None,
                reported: Some((100, Some(day(2024, 9, 25)))),
            },
            DemoTask {
                title: "Phê duyệt quy hoạch, kiện toàn nhân sự cấp ủy",
                lead: "DUK-CCQ",
                support: &[],
                due_on: Some(day(2024, 12, 31)),
                recurrence: None,
                document: Some(0),
                reported: Some((100, Some(day(2025, 1, 20)))),
            },
            DemoTask {
                title: "Giám sát việc sinh hoạt chi bộ hằng tháng bằng Sổ tay đảng viên điện tử",
                lead: "DUK-CCQ",
                support: &["P-TVINH"],
                due_on: Some(day(2024, 7, 31)),
                recurrence: Some("monthly"),
                document: None,
                reported: None,
            },
            DemoTask {
                title: "Phát triển đảng viên đạt chỉ tiêu, chú trọng trong doanh nghiệp và trường học",
                lead: "DUK-CCQ-SGDDT",
                support: &["DUK-CCQ"],
                due_on: Some(day(2024, 12, 31)),
                recurrence: None,
                document: None,
                reported: Some((70, None)),
            },
        ],
    },
    DemoMeeting {
        title: "Hội nghị Ban Thường vụ Tỉnh ủy quý III/2026",
        kind: "standing_board",
        held_on: day(2026, 9, 28),
        chair: "Đồng chí Bí thư Tỉnh ủy",
        attendees: "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
        conclusion: "(1) Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Đảng ủy Khối các cơ quan tỉnh tổng hợp kết quả kiểm điểm, xếp loại chất lượng tổ chức đảng, đảng viên năm 2026, hoàn thành trước ngày 15/12/2026. (2) Đảng bộ phường Trường Vinh hoàn thành bàn giao mặt bằng dự án trước ngày 31/10/2026. (3) Đảng bộ xã Diễn Châu rà soát, kiện toàn các chi bộ sau sắp xếp trong tháng 11/2026.",
        tasks: &[
            DemoTask {
                title: "Tổng hợp kết quả kiểm điểm, xếp loại chất lượng tổ chức đảng, đảng viên năm 2026",
                lead: "DUK-CCQ",
                support: &[],
                due_on: Some(day(2026, 12, 15)),
                recurrence: None,
                document: None,
                reported: Some((40, None)),
            },
            DemoTask {
                title: "Hoàn thành bàn giao mặt bằng dự án",
                lead: "P-TVINH",
                support: &[],
                due_on: Some(day(2026, 10, 31)),
                recurrence: None,
                document: None,
                reported: Some((80, None)),
            },
            DemoTask {
                title: "Rà soát, kiện toàn các chi bộ sau sắp xếp",
                lead: "XA-DCHAU",
                support: &[],
                due_on: Some(day(2026, 11, 30)),
                recurrence: None,
                document: None,
                reported: None,
            },
            DemoTask {
                title: "Báo cáo tình hình tư tưởng, hoạt động của đảng bộ hằng quý",
                lead: "XA-DCHAU",
                support: &[],
                due_on: Some(day(2026, 9, 30)),
                recurrence: Some("quarterly"),
                document: None,
                reported: None,
            },
        ],
    },
];

// ------------------------------------------------------------------ a fixed-seed PRNG

/// splitmix64 (Steele, Lea, Flood 2014): enough to vary dates, the same on every run.
/// `SplitMix64(seed)`; `dangvu-bench` draws from it too, for the same tree and the same
/// random arguments on every run.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The 5,112 members of the bloc (seed 003), spread over the cells that hold members:
/// its 419 cells and 24 grassroots cells. Names, dates and statuses are generated,
/// always the same; about one in twelve is on probation.
async fn build_members(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    const SURNAMES: [&str; 15] = [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Phan",
        "Vũ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đường",
    ];
    const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc"];
    const GIVEN: [&str; 26] = [
        "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai",
        "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vinh", "Yến",
    ];
    let today = dangvu_domain::calendar::today();
    let path = b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1", params![bloc]).await?;
    let path = path.ok_or(StoreError::NotFound)?.text(0)?;
    let holders: Vec<OrgId> =
        b.tx.query(
            "SELECT org_id FROM org_versions WHERE path > $1 AND path < $2 AND valid_to IS NULL
               AND kind IN ('cell', 'grassroots_cell') ORDER BY org_id",
            params![path.as_str(), dangvu_domain::orgs::tree::subtree_end(&path)],
        )
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let n = holders.len().max(1);
    for (i, org_id) in holders.iter().enumerate() {
        let count = BLOC_MEMBERS / n + usize::from(i < BLOC_MEMBERS % n);
        let mut batch = Vec::with_capacity(count);
        for _ in 0..count {
            let female = b.rng.below(2) == 0;
            let middle = if female { "Thị" } else { MIDDLE[b.rng.below(MIDDLE.len() as u64) as usize] };
            let name = format!(
                "{} {} {}",
                SURNAMES[b.rng.below(SURNAMES.len() as u64) as usize],
                middle,
                GIVEN[b.rng.below(GIVEN.len() as u64) as usize]
            );
            let birth = day(1966, 1, 1) + Days::new(b.rng.below(365 * 36));
            let probationary = b.rng.below(12) == 0;
            let admitted = if probationary {
                today - Days::new(60 + b.rng.below(300))
            } else {
                (birth + Days::new(365 * 22 + b.rng.below(365 * 15))).min(today - Days::new(400))
            };
            let ceremony = admitted + Days::new(10 + b.rng.below(20));
            let new = dangvu_store::members::NewMember {
                full_name: name,
                birth_date: Some(birth),
                gender: if female { "female" } else { "male" }.into(),
                status: if probationary { "probationary" } else { "full" }.into(),
                admitted_on: Some(admitted),
                ceremony_on: Some(ceremony),
                official_on: (!probationary).then(|| ceremony + Days::new(365)),
                national_id: Some(format!("040{:09}", b.rng.below(1_000_000_000))),
                phone: None,
                card_number: Some(format!("{:08}", 30_000_000 + b.rng.below(9_000_000))),
            };
            let mut problems = dangvu_domain::validation::Problems::new();
            let checked = dangvu_store::members::check(&new, today, "", &mut problems)
                .ok_or_else(|| StoreError::Invalid(problems.into_vec()))?;
            batch.push(checked);
        }
        dangvu_store::members::insert(&mut b.tx, &b.actor, *org_id, &batch, today).await?;
    }
    Ok(())
}

/// Admission cases at every stage in the first cells of the bloc, some late, and this
/// year's targets of its grassroots organisations: seed 001's "kết nạp đảng viên còn thấp"
/// has something to show.
async fn build_admissions(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    use dangvu_domain::members::AdmissionCase;
    const CANDIDATES: [(&str, &str); 10] = [
        ("Nguyễn Thị Thu Hiền", "female"),
        ("Trần Quốc Khánh", "male"),
        ("Lê Thị Minh Nguyệt", "female"),
        ("Phạm Đức Thắng", "male"),
        ("Hoàng Văn Lực", "male"),
        ("Võ Thị Ngọc Ánh", "female"),
        ("Đặng Minh Tuệ", "male"),
        ("Bùi Thị Kim Oanh", "female"),
        ("Hồ Sỹ Phong", "male"),
        ("Đinh Thị Hồng Nhung", "female"),
    ];
    let today = dangvu_domain::calendar::today();
    let rules = dangvu_domain::members::MembershipRules::default();
    let path = b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1", params![bloc]).await?;
    let path = path.ok_or(StoreError::NotFound)?.text(0)?;
    let end = dangvu_domain::orgs::tree::subtree_end(&path);
    let cells: Vec<OrgId> =
        b.tx.query(
            "SELECT org_id FROM org_versions WHERE path > $1 AND path < $2 AND valid_to IS NULL
               AND kind = 'cell' ORDER BY org_id LIMIT 10",
            params![path.as_str(), end.as_str()],
        )
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let ago = |days: u64| Some(today - Days::new(days));
    for (i, ((name, gender), org_id)) in CANDIDATES.iter().zip(&cells).enumerate() {
        // Stage i % 5: listed, course done, application and introducers, voted by the
        // cell, decided. The later stages are past their time on purpose.
        let stage = i % 5;
        let case = AdmissionCase {
            candidate_listed_on: ago(220),
            course_certificate_on: (stage >= 1).then(|| today - Days::new(180)),
            application_on: (stage >= 2).then(|| today - Days::new(130)),
            introduced_on: (stage >= 2).then(|| today - Days::new(125)),
            cell_vote_on: (stage >= 3).then(|| today - Days::new(110)),
            grassroots_resolution_on: (stage >= 4).then(|| today - Days::new(100)),
            admission_decision_on: (stage >= 4).then(|| today - Days::new(75)),
            ..AdmissionCase::default()
        };
        let new = dangvu_store::members::admissions::NewAdmission {
            org_id: *org_id,
            full_name: (*name).to_owned(),
            birth_date: Some(day(1995 + (i as i32 % 6), 1 + (i as u32 % 12), 10)),
            gender: (*gender).to_owned(),
            national_id: None,
            phone: None,
            case,
        };
        dangvu_store::members::admissions::create(&mut b.tx, &b.actor, &new, &rules).await?;
    }
    let grassroots: Vec<OrgId> =
        b.tx.query(
            "SELECT org_id FROM org_versions WHERE parent_id = $1 AND valid_to IS NULL ORDER BY org_id",
            params![bloc],
        )
        .await?
        .iter()
        .map(|r| r.id(0))
        .collect::<Result<_, _>>()?;
    let year = today.year();
    let mut total = 0;
    for (i, org_id) in grassroots.iter().enumerate() {
        let target = 2 + (i as i64 % 4);
        total += target;
        dangvu_store::members::admissions::set_target(&mut b.tx, &b.actor, *org_id, year, target).await?;
    }
    dangvu_store::members::admissions::set_target(&mut b.tx, &b.actor, bloc, year, total).await?;
    Ok(())
}

/// Seed 003: "… 5.112 đảng viên" in the bloc.
pub const BLOC_MEMBERS: usize = 5_112;

// ------------------------------------------------------------------ the data

const PROVINCE_BODIES: [(&str, &str); 11] = [
    ("executive", "Ban Chấp hành Đảng bộ tỉnh"),
    ("standing", "Ban Thường vụ Tỉnh ủy"),
    ("standing_office", "Thường trực Tỉnh ủy"),
    ("inspection", "Ủy ban Kiểm tra Tỉnh ủy"),
    ("board", "Ban Tổ chức Tỉnh ủy"),
    ("board", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ("office", "Văn phòng Tỉnh ủy"),
    ("party_delegation", "Đảng đoàn Hội đồng nhân dân tỉnh"),
    ("party_board", "Ban cán sự đảng Ủy ban nhân dân tỉnh"),
    ("party_delegation", "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("mass_organisation", "Tỉnh đoàn Nghệ An"),
];

const BLOC_BODIES: [(&str, &str); 4] = [
    ("executive", "Ban Chấp hành Đảng bộ Khối"),
    ("standing", "Ban Thường vụ Đảng ủy Khối"),
    ("inspection", "Ủy ban Kiểm tra Đảng ủy Khối"),
    ("office", "Văn phòng Đảng ủy Khối"),
];

const COMMUNE_BODIES: [(&str, &str); 4] = [
    ("executive", "Ban Chấp hành Đảng bộ"),
    ("standing", "Ban Thường vụ Đảng ủy"),
    ("inspection", "Ủy ban Kiểm tra Đảng ủy"),
    ("office", "Văn phòng Đảng ủy"),
];

/// A commune-level committee with its grassroots cells and grassroots committees
/// (code suffix, name, cell names).
struct Commune {
    code: &'static str,
    name: &'static str,
    cells: &'static [&'static str],
    committees: &'static [(&'static str, &'static str, &'static [&'static str])],
}

const SCHOOL_CELLS: &[&str] = &[
    "Chi bộ Tổ Toán – Tin",
    "Chi bộ Tổ Ngữ văn – Ngoại ngữ",
    "Chi bộ Tổ Khoa học tự nhiên",
    "Chi bộ Tổ Khoa học xã hội",
    "Chi bộ Hành chính – Phục vụ",
];

/// The communes and wards founded on 1 July 2025 (Diễn Châu and Đức Châu come from the
/// history of the district, below).
const COMMUNES: [Commune; 6] = [
    Commune {
        code: "P-TVINH",
        name: "Đảng bộ phường Trường Vinh",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3", "Chi bộ khối 4", "Chi bộ khối 5"],
        committees: &[
            ("THPT-HTK", "Đảng bộ Trường THPT Huỳnh Thúc Kháng", SCHOOL_CELLS),
            (
                "CHO-VINH",
                "Đảng bộ Ban Quản lý chợ Vinh",
                &["Chi bộ Văn phòng Ban", "Chi bộ Tổ Quản lý ngành hàng", "Chi bộ Tổ Bảo vệ – Phòng cháy"],
            ),
        ],
    },
    Commune {
        code: "P-THVINH",
        name: "Đảng bộ phường Thành Vinh",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3", "Chi bộ khối 4"],
        committees: &[("THPT-HHT", "Đảng bộ Trường THPT Hà Huy Tập", SCHOOL_CELLS)],
    },
    Commune {
        code: "P-VHUNG",
        name: "Đảng bộ phường Vinh Hưng",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3", "Chi bộ khối 4"],
        committees: &[("THPT-LVT", "Đảng bộ Trường THPT Lê Viết Thuật", SCHOOL_CELLS)],
    },
    Commune {
        code: "P-CLO",
        name: "Đảng bộ phường Cửa Lò",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3", "Chi bộ khối 4"],
        committees: &[(
            "BQL-DL",
            "Đảng bộ Ban Quản lý Khu du lịch Cửa Lò",
            &["Chi bộ Văn phòng Ban", "Chi bộ Đội Quản lý bãi biển", "Chi bộ Đội Cứu hộ"],
        )],
    },
    Commune {
        code: "X-CCUONG",
        name: "Đảng bộ xã Con Cuông",
        cells: &["Chi bộ bản 1", "Chi bộ bản 2", "Chi bộ bản 3", "Chi bộ khối 1"],
        committees: &[
            (
                "TTYT",
                "Đảng bộ Trung tâm Y tế khu vực Con Cuông",
                &["Chi bộ Khoa Khám bệnh", "Chi bộ Khoa Nội – Nhi", "Chi bộ Khoa Ngoại – Sản", "Chi bộ Hành chính"],
            ),
            ("THPT-CC", "Đảng bộ Trường THPT Con Cuông", SCHOOL_CELLS),
        ],
    },
    Commune {
        code: "P-HMAI",
        name: "Đảng bộ phường Hoàng Mai",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3", "Chi bộ khối 4", "Chi bộ khối 5"],
        committees: &[("THPT-HM", "Đảng bộ Trường THPT Hoàng Mai", SCHOOL_CELLS)],
    },
];

/// The communes of the district of Diễn Châu before 1 July 2025, in the order
/// [town, Diễn Kỷ, Diễn Hạnh, Diễn Quảng] that `build_dien_chau_history` relies on.
const DIEN_CHAU_OLD_COMMUNES: [Commune; 4] = [
    Commune {
        code: "DCH-TT",
        name: "Đảng bộ thị trấn Diễn Châu",
        cells: &["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3"],
        committees: &[(
            "THPT-DC3",
            "Đảng bộ Trường THPT Diễn Châu 3",
            &["Chi bộ Tổ Tự nhiên", "Chi bộ Tổ Xã hội", "Chi bộ Hành chính – Phục vụ"],
        )],
    },
    Commune {
        code: "DCH-DKY",
        name: "Đảng bộ xã Diễn Kỷ",
        cells: &["Chi bộ xóm 1", "Chi bộ xóm 2", "Chi bộ xóm 3"],
        committees: &[],
    },
    Commune {
        code: "DCH-DHANH",
        name: "Đảng bộ xã Diễn Hạnh",
        cells: &["Chi bộ xóm 1", "Chi bộ xóm 2", "Chi bộ xóm 3"],
        committees: &[],
    },
    Commune {
        code: "DCH-DQUANG",
        name: "Đảng bộ xã Diễn Quảng",
        cells: &["Chi bộ thôn 1", "Chi bộ thôn 2", "Chi bộ thôn 3"],
        committees: &[],
    },
];

/// Reasons members give for missing a meeting.
const EXCUSES: [&str; 4] = ["Đi công tác", "Ốm, có giấy của cơ sở y tế", "Việc gia đình", "Đi học tập trung"];

/// The bloc's cells met in each of the last three months (about 93% held the regular meeting,
/// a third a thematic one), and this month's meetings are held up to the unified day; the
/// finance department's office cell has its next regular meeting scheduled. A few members
/// miss every meeting without reason, so the list of absentees has names.
async fn build_cell_meetings(b: &mut Builder, bloc: OrgId) -> Result<(), StoreError> {
    use dangvu_domain::cell_meetings::{Attendance, Kind, Month, default_title};
    use dangvu_store::cell_meetings::{self, HeldMeeting, NewCellMeeting};

    let rules = dangvu_domain::cell_meetings::CellMeetingRules::default();
    let today = dangvu_domain::calendar::today();
    let path = b.tx.query_one("SELECT path FROM org_versions WHERE org_id = $1", params![bloc]).await?;
    let path = path.ok_or(StoreError::NotFound)?.text(0)?;
    let rows =
        b.tx.query(
            "SELECT v.org_id, m.id FROM org_versions v JOIN members m ON m.org_id = v.org_id
             WHERE v.path > $1 AND v.path < $2 AND v.valid_to IS NULL AND v.kind IN ('cell', 'grassroots_cell')
               AND m.ended_on IS NULL ORDER BY v.org_id, m.id",
            params![path.as_str(), dangvu_domain::orgs::tree::subtree_end(&path)],
        )
        .await?;
    let mut cells: Vec<(OrgId, Vec<MemberId>)> = Vec::new();
    for r in &rows {
        let (cell, member): (OrgId, MemberId) = (r.id(0)?, r.id(1)?);
        match cells.last_mut() {
            Some((c, members)) if *c == cell => members.push(member),
            _ => cells.push((cell, vec![member])),
        }
    }
    let this_month = Month::of(today);
    let months = [this_month.prev().prev().prev(), this_month.prev().prev(), this_month.prev(), this_month];
    let mut held = Vec::new();
    for (cell, members) in &cells {
        for (i, month) in months.iter().enumerate() {
            let day = month.day(rules.regular_day);
            let current = *month == this_month;
            if (current && day >= today) || b.rng.below(100) >= 93 {
                continue;
            }
            let thematic = !current && b.rng.below(3) == 0;
            for kind in [Kind::Regular, Kind::Thematic] {
                if kind == Kind::Thematic && !thematic {
                    continue;
                }
                let at = dangvu_domain::cell_meetings::parse_scheduled_at(&format!(
                    "{}T{}",
                    day.format("%Y-%m-%d"),
                    if kind == Kind::Regular { "07:30" } else { "14:00" }
                ))
                .ok_or(StoreError::NotFound)?;
                let attendance = members
                    .iter()
                    .map(|&m| {
                        let roll = b.rng.below(100);
                        if m.0 % 397 == 0 || roll < 3 {
                            (m, Attendance::Absent, None)
                        } else if roll < 11 {
                            (m, Attendance::Excused, Some(EXCUSES[(roll % 4) as usize].to_owned()))
                        } else {
                            (m, Attendance::Present, None)
                        }
                    })
                    .collect();
                let title = match kind {
                    Kind::Regular => default_title(kind, *month),
                    Kind::Thematic => "Chuyên đề: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh".into(),
                };
                held.push(HeldMeeting {
                    org_id: *cell,
                    kind,
                    approved_minutes: (i + 1 < months.len()).then(|| {
                        format!("Biên bản {title}. Chi bộ đã thảo luận, thống nhất các nội dung trong chương trình.")
                    }),
                    title,
                    scheduled_at: at,
                    agenda: rules.agenda_template.clone(),
                    attendance,
                });
            }
        }
    }
    cell_meetings::load_history(&mut b.tx, &b.actor, &mut held).await?;
    // The next regular meeting of the cell whose member signs in as `dangvien`.
    let cell = b.id_of(&format!("{BLOC_CODE}-STC-CB01")).await?;
    let next = [this_month, this_month.next()].into_iter().map(|m| m.day(rules.regular_day)).find(|d| *d >= today);
    let next = next.unwrap_or_else(|| this_month.next().day(rules.regular_day));
    let at = dangvu_domain::cell_meetings::parse_scheduled_at(&next.format("%Y-%m-%d").to_string())
        .ok_or(StoreError::NotFound)?;
    let new = NewCellMeeting {
        org_id: cell,
        kind: Kind::Regular,
        title: String::new(),
        place: "Phòng họp tầng 3, Sở Tài chính".into(),
        scheduled_at: at,
        agenda: rules.agenda_template.clone(),
    };
    cell_meetings::create(&mut b.tx, &b.actor, new).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bloc_has_the_figures_of_seed_003() {
        // The bloc holds the figures of seed 003: 39 grassroots committees, 24 grassroots
        // cells, 11 sub-committees and 419 cells.
        let bloc = data::bloc().expect("demo/bloc.tsv parses");
        assert_eq!(bloc.committees.len(), 39);
        assert_eq!(bloc.cells.len(), 24);
        assert_eq!(bloc.committees.iter().map(|gc| gc.subs.len()).sum::<usize>(), 11, "the bloc has 11 sub-committees");
        let cells =
            bloc.committees.iter().map(|gc| gc.cells.len() + gc.subs.iter().map(|(_, c)| c.len()).sum::<usize>());
        assert_eq!(cells.sum::<usize>(), 419, "the bloc has 419 cells");
    }

    #[test]
    fn splitmix64_gives_the_reference_sequence() {
        // The first outputs of splitmix64 seeded with 0 and 1234567 (Vigna's splitmix64.c):
        // the demo and the benchmarks depend on this very sequence.
        let mut rng = SplitMix64(0);
        assert_eq!(
            [rng.next(), rng.next(), rng.next()],
            [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f]
        );
        let mut rng = SplitMix64(1_234_567);
        assert_eq!([rng.next(), rng.next()], [6_457_827_717_110_365_317, 3_203_168_211_198_807_973]);
    }

    #[test]
    fn codes_are_unique_and_valid() {
        let bloc = data::bloc().expect("demo/bloc.tsv parses");
        let mut codes = vec![BLOC_CODE.to_owned()];
        for gc in &bloc.committees {
            codes.push(format!("{BLOC_CODE}-{}", gc.code));
        }
        for (code, _) in &bloc.cells {
            codes.push(format!("{BLOC_CODE}-{code}"));
        }
        for c in COMMUNES.iter().chain(&DIEN_CHAU_OLD_COMMUNES) {
            codes.push(c.code.to_owned());
            for (suffix, _, _) in c.committees {
                codes.push(format!("{}-{suffix}", c.code));
            }
        }
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        for code in codes {
            let mut p = dangvu_domain::validation::Problems::new();
            dangvu_domain::orgs::check_code(&code, &mut p);
            assert!(p.is_empty(), "{code}");
        }
    }
}
