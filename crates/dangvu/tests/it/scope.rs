//! Scope: an account sees and changes only its subtree. This test walks every API route
//! as an admin scoped to one ward and aims each at the bloc, outside that scope. A route
//! added to the API without a line here makes the test fail.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{PASSWORD, TestApp, csrf_of, multipart, page, post_form, sign_in};

both_backends!(every_route_keeps_to_the_scope, every_page_keeps_to_the_scope);

/// Words that would only appear in an answer that leaked the bloc or its accounts.
const OUTSIDE: [&str; 4] = ["DUK-CCQ", "Khối các cơ quan", "\"khoi\"", "\"tochuc\""];

/// The records of the bloc that an account of the ward must not reach, made by the admin.
struct Outside {
    ward: i64,
    inside: i64,
    bloc: i64,
    bloc_cell: i64,
    khoi: i64,
    doc: i64,
    meeting: i64,
    task: i64,
    member: i64,
    transfer: i64,
    admission: i64,
    file: i64,
    cell_meeting: i64,
    topic: i64,
    bloc_member: i64,
    member_task: i64,
    election: i64,
    congress: i64,
    draft: i64,
    draft_comment: i64,
    delegate: i64,
    session: i64,
    subcommittee: i64,
    holder: i64,
    planning_entry: i64,
    nomination: i64,
    petition: i64,
    scan: i64,
    award: i64,
    proposal: i64,
    campaign: i64,
}

/// An admin scoped to the ward of Trường Vinh (`qt.truongvinh`, the demo password), and the
/// bloc's records outside its scope.
async fn ward_admin_and_the_bloc(app: &TestApp) -> Outside {
    let admin = app.login("admin").await;
    let ward = app.org_id("P-TVINH").await;
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "qt.truongvinh", "password": PASSWORD, "role": "admin", "org_id": ward}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let bloc = app.org_id("DUK-CCQ").await;
    let bloc_cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, kids) = app.get(&admin, &format!("/api/v1/orgs?parent_id={ward}")).await;
    let inside = kids["items"][0]["id"].as_i64().expect("the ward has children");
    let khoi = dangvu_store::accounts::for_login(&app.db, "khoi").await.unwrap().unwrap().0.id;

    // Records of the bloc that the ward must not reach.
    let (_, doc) = app
        .post(&admin, "/api/v1/documents", json!({"number": "12-KH/ĐUK", "title": "Kế hoạch của Khối các cơ quan", "issued_on": "2025-03-01", "org_id": bloc}))
        .await;
    let doc = doc["id"].as_i64().expect("document");
    let (_, meeting) = app
        .post(&admin, "/api/v1/meetings", json!({"org_id": bloc, "title": "Giao ban Khối các cơ quan quý I", "held_on": "2025-03-30", "kind": "quarterly_briefing"}))
        .await;
    let meeting = meeting["id"].as_i64().expect("meeting");
    let (_, task) = app
        .post(&admin, "/api/v1/tasks", json!({"title": "Việc của Khối các cơ quan", "lead_org_id": bloc_cell, "meeting_id": meeting, "due_on": "2025-06-30"}))
        .await;
    let task = task["id"].as_i64().expect("task");
    let (_, member) = app
        .post(
            &admin,
            "/api/v1/members",
            json!({"full_name": "Người của Khối các cơ quan", "birth_date": "1980-01-01", "gender": "male",
               "org_id": bloc_cell, "admitted_on": "2005-01-01", "status": "full", "national_id": "001080000001"}),
        )
        .await;
    let member = member["id"].as_i64().expect("member");
    let other_bloc_cell = app.org_id("DUK-CCQ-STC-CB02").await;
    let (status, _) = app
        .post(
            &admin,
            &format!("/api/v1/members/{member}/transfer"),
            json!({"to_org_id": other_bloc_cell, "kind": "official", "effective_on": "2025-06-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, transfers) = app.get(&admin, &format!("/api/v1/members/{member}/transfers")).await;
    let transfer = transfers["items"][0]["id"].as_i64().expect("transfer");
    let (_, admission) = app
        .post(
            &admin,
            "/api/v1/admissions",
            json!({"org_id": bloc_cell, "full_name": "Quần chúng của Khối các cơ quan", "birth_date": "1998-04-01",
                   "gender": "female", "candidate_listed_on": "2025-02-01"}),
        )
        .await;
    let admission = admission["id"].as_i64().expect("admission");
    let file = app
        .http
        .post(app.url(&format!("/api/v1/tasks/{task}/files?name=bien-ban.pdf")))
        .bearer_auth(&admin)
        .body("%PDF-1.4 Khối các cơ quan".as_bytes().to_vec())
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let file = file["id"].as_i64().expect("file");

    let (_, cell_meeting) = app
        .post(
            &admin,
            "/api/v1/cell-meetings",
            json!({"org_id": bloc_cell, "kind": "regular", "scheduled_at": "2031-03-03", "topic": "Khối các cơ quan"}),
        )
        .await;
    let cell_meeting = cell_meeting["id"].as_i64().expect("cell meeting");
    let (_, topic) = app
        .post(
            &admin,
            "/api/v1/cell-meeting-topics",
            json!({"org_id": bloc, "month": "2031-03", "title": "Định hướng của Khối các cơ quan"}),
        )
        .await;
    let topic = topic["id"].as_i64().expect("topic");
    let (_, bloc_member) = app.get(&admin, &format!("/api/v1/cell-meetings/{cell_meeting}")).await;
    let bloc_member = bloc_member["roster"][0]["member_id"].as_i64().expect("a member of the bloc's cell");
    let (_, member_task) = app
        .post(
            &admin,
            &format!("/api/v1/cell-meetings/{cell_meeting}/tasks"),
            json!({"member_id": bloc_member, "title": "Việc của Khối các cơ quan"}),
        )
        .await;
    let member_task = member_task["id"].as_i64().expect("member task");
    let (_, election) = app
        .post(
            &admin,
            "/api/v1/elections",
            json!({"org_id": bloc, "title": "Bầu cử của Khối các cơ quan", "kind": "delegates_congress", "seats": 4,
                   "ballot": "surplus", "candidates": [{"full_name": "A"}, {"full_name": "B"}, {"full_name": "C"},
                   {"full_name": "D"}, {"full_name": "E"}], "electors": {"summoned": 20}}),
        )
        .await;
    let election = election["id"].as_i64().expect("election");
    let (_, congress) = app
        .post(
            &admin,
            "/api/v1/congresses",
            json!({"org_id": bloc, "title": "Đại hội của Khối các cơ quan", "kind": "delegates", "term": "2030-2035",
                   "opens_on": "2030-05-20"}),
        )
        .await;
    let congress = congress["id"].as_i64().expect("congress");
    let (_, draft) = app
        .post(
            &admin,
            &format!("/api/v1/congresses/{congress}/drafts"),
            json!({"title": "Báo cáo chính trị của Khối các cơ quan", "text": "Đoạn một\nĐoạn hai"}),
        )
        .await;
    let draft = draft["id"].as_i64().expect("draft");
    let (_, draft_comment) = app
        .post(
            &admin,
            &format!("/api/v1/drafts/{draft}/comments"),
            json!({"version": 1, "paragraph": 1, "text": "Góp ý của Khối các cơ quan", "on_behalf_of_org_id": bloc}),
        )
        .await;
    let draft_comment = draft_comment["id"].as_i64().expect("draft comment");
    let unit = app.org_id("DUK-CCQ-STC").await;
    let (status, _) = app
        .send(
            "PUT",
            &format!("/api/v1/congresses/{congress}/seats"),
            Some(&admin),
            Some(json!({"seats": [{"org_id": unit, "official": 2, "alternates": 1}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, delegate) = app
        .post(
            &admin,
            &format!("/api/v1/congresses/{congress}/delegates"),
            json!({"org_id": unit, "full_name": "Đại biểu của Khối các cơ quan", "source": "elected"}),
        )
        .await;
    let delegate = delegate["id"].as_i64().expect("delegate");
    for event in ["approve", "open"] {
        let (status, body) =
            app.post(&admin, &format!("/api/v1/congresses/{congress}/status"), json!({"event": event})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, session) =
        app.post(&admin, &format!("/api/v1/congresses/{congress}/sessions"), json!({"title": "Phiên của Khối"})).await;
    let session = session["id"].as_i64().expect("session");
    let (_, subcommittee) =
        app.post(&admin, &format!("/api/v1/congresses/{congress}/subcommittees"), json!({"kind": "documents"})).await;
    let subcommittee = subcommittee["id"].as_i64().expect("subcommittee");
    // The ward's admin does personnel work: what it cannot reach below is scope, not the grant.
    let ward_admin = app.db.query_one("SELECT id FROM users WHERE username = 'qt.truongvinh'", &[]).await.unwrap();
    let ward_admin = ward_admin.unwrap().int(0).unwrap();
    let (status, _) = app
        .send("PUT", &format!("/api/v1/users/{ward_admin}/personnel"), Some(&admin), Some(json!({"granted": true})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let first = |sql: &'static str| async move { app.db.query_one(sql, &[]).await.unwrap().unwrap().int(0).unwrap() };
    let holder = first("SELECT MIN(id) FROM post_holders WHERE member_id IS NOT NULL").await;
    let planning_entry = first("SELECT MIN(id) FROM planning_entries").await;
    let nomination = first("SELECT MIN(id) FROM nomination_cases").await;
    let award = first("SELECT MIN(id) FROM awards").await;
    let proposal = first("SELECT MIN(id) FROM award_proposals").await;
    let campaign = first("SELECT MIN(id) FROM campaigns").await;
    let (status, petition) = app
        .post(
            &admin,
            "/api/v1/petitions",
            json!({"org_id": bloc, "channel": "post", "kind": "denunciation",
                   "summary": "Tố cáo trong Khối các cơ quan", "sender": {"full_name": "Người của Khối", "phone": "0900"}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{petition}");
    let petition = petition["id"].as_i64().expect("petition");
    let scan = app
        .http
        .post(app.url(&format!("/api/v1/petitions/{petition}/scans?name=don.pdf")))
        .bearer_auth(&admin)
        .body("%PDF-1.4 Khối các cơ quan".as_bytes().to_vec())
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let scan = scan["id"].as_i64().expect("scan");
    Outside {
        ward,
        inside,
        bloc,
        bloc_cell,
        khoi,
        doc,
        meeting,
        task,
        member,
        transfer,
        admission,
        file,
        cell_meeting,
        topic,
        bloc_member,
        member_task,
        election,
        congress,
        draft,
        draft_comment,
        delegate,
        session,
        subcommittee,
        holder,
        planning_entry,
        nomination,
        petition,
        scan,
        award,
        proposal,
        campaign,
    }
}

async fn every_route_keeps_to_the_scope(app: TestApp) {
    let Outside {
        ward,
        inside,
        bloc,
        bloc_cell,
        khoi,
        doc,
        meeting,
        task,
        member,
        transfer,
        admission,
        file,
        cell_meeting,
        topic,
        bloc_member,
        member_task,
        election,
        congress,
        draft,
        draft_comment,
        delegate,
        session,
        subcommittee,
        holder,
        planning_entry,
        nomination,
        petition,
        scan,
        award,
        proposal,
        campaign,
    } = ward_admin_and_the_bloc(&app).await;
    let token = app.login("qt.truongvinh").await;

    // (method, documented path, request path, body)
    let cases: Vec<(&str, &str, String, Option<Value>)> = vec![
        ("post", "/api/v1/session", "/api/v1/session".into(), Some(json!({"username": "khoi", "password": "doan-mo"}))),
        ("get", "/api/v1/me", "/api/v1/me".into(), None),
        ("put", "/api/v1/me/email", "/api/v1/me/email".into(), Some(json!({"email": "sai dia chi"}))),
        (
            "post",
            "/api/v1/users",
            "/api/v1/users".into(),
            Some(json!({"username": "ngoai.pham.vi", "password": "mat-khau-dai-1", "role": "viewer", "org_id": bloc})),
        ),
        ("get", "/api/v1/users", "/api/v1/users?limit=500".into(), None),
        ("get", "/api/v1/users/{id}", format!("/api/v1/users/{khoi}"), None),
        (
            "post",
            "/api/v1/orgs",
            "/api/v1/orgs".into(),
            Some(json!({"code": "NGOAI-1", "name": "Chi bộ ngoài", "kind": "cell", "parent_id": bloc_cell})),
        ),
        ("get", "/api/v1/orgs", format!("/api/v1/orgs?parent_id={bloc}"), None),
        ("get", "/api/v1/orgs/{id}", format!("/api/v1/orgs/{bloc}"), None),
        ("get", "/api/v1/orgs/{id}/tree", format!("/api/v1/orgs/{bloc}/tree?depth=2"), None),
        ("get", "/api/v1/orgs/{id}/stats", format!("/api/v1/orgs/{bloc}/stats"), None),
        ("get", "/api/v1/orgs/{id}/history", format!("/api/v1/orgs/{bloc}/history"), None),
        (
            "post",
            "/api/v1/orgs/{id}/rename",
            format!("/api/v1/orgs/{bloc}/rename"),
            Some(json!({"name": "Đổi tên trái phép"})),
        ),
        ("post", "/api/v1/orgs/{id}/move", format!("/api/v1/orgs/{bloc_cell}/move"), Some(json!({"parent_id": ward}))),
        (
            "post",
            "/api/v1/orgs/{id}/merge",
            format!("/api/v1/orgs/{bloc_cell}/merge"),
            Some(json!({"into_id": inside})),
        ),
        ("post", "/api/v1/orgs/{id}/dissolve", format!("/api/v1/orgs/{bloc_cell}/dissolve"), Some(json!({}))),
        ("get", "/api/v1/orgs/{id}/bodies", format!("/api/v1/orgs/{bloc}/bodies"), None),
        (
            "post",
            "/api/v1/orgs/{id}/bodies",
            format!("/api/v1/orgs/{bloc}/bodies"),
            Some(json!({"kind": "board", "name": "Ban X"})),
        ),
        (
            "post",
            "/api/v1/documents",
            "/api/v1/documents".into(),
            Some(json!({"number": "13-KH/ĐUK", "title": "Ngoài phạm vi", "issued_on": "2025-03-01", "org_id": bloc})),
        ),
        ("get", "/api/v1/documents", "/api/v1/documents?q=khoi".into(), None),
        ("get", "/api/v1/documents/{id}", format!("/api/v1/documents/{doc}"), None),
        (
            "post",
            "/api/v1/members",
            "/api/v1/members".into(),
            Some(
                json!({"full_name": "A", "birth_date": "1980-01-01", "gender": "male", "org_id": bloc_cell, "admitted_on": "2005-01-01", "status": "full"}),
            ),
        ),
        ("get", "/api/v1/members", format!("/api/v1/members?org_id={bloc}"), None),
        ("get", "/api/v1/members/{id}", format!("/api/v1/members/{member}"), None),
        ("patch", "/api/v1/members/{id}", format!("/api/v1/members/{member}"), Some(json!({"phone": null}))),
        (
            "post",
            "/api/v1/members/{id}/transfer",
            format!("/api/v1/members/{member}/transfer"),
            Some(json!({"to_org_id": inside, "kind": "official", "effective_on": "2026-01-01"})),
        ),
        (
            "post",
            "/api/v1/members/{id}/end",
            format!("/api/v1/members/{member}/end"),
            Some(json!({"kind": "resigned", "ended_on": "2026-01-01"})),
        ),
        (
            "put",
            "/api/v1/members/{id}/exemption",
            format!("/api/v1/members/{member}/exemption"),
            Some(json!({"exempt": true, "reason": "Tuổi cao"})),
        ),
        (
            "post",
            "/api/v1/members/{id}/recognition",
            format!("/api/v1/members/{member}/recognition"),
            Some(json!({"decided_on": "2026-01-01"})),
        ),
        (
            "put",
            "/api/v1/members/{id}/admission-dates",
            format!("/api/v1/members/{member}/admission-dates"),
            Some(json!({"admitted_on": "2020-01-01", "basis": "Quyết định gốc"})),
        ),
        ("get", "/api/v1/members/{id}/transfers", format!("/api/v1/members/{member}/transfers"), None),
        ("get", "/api/v1/members/{id}/file", format!("/api/v1/members/{member}/file?format=csv"), None),
        (
            "post",
            "/api/v1/members/{id}/inactive-periods",
            format!("/api/v1/members/{member}/inactive-periods"),
            Some(json!({"from_on": "2015-01-01", "until_on": "2016-01-01", "reason": "lost_contact"})),
        ),
        (
            "delete",
            "/api/v1/members/{id}/inactive-periods/{period_id}",
            format!("/api/v1/members/{member}/inactive-periods/1"),
            None,
        ),
        (
            "post",
            "/api/v1/members/{id}/readmission",
            format!("/api/v1/members/{member}/readmission"),
            Some(json!({"decision_on": "2024-02-01", "ceremony_on": "2024-02-15"})),
        ),
        ("get", "/api/v1/transfers/pending", format!("/api/v1/transfers/pending?org_id={bloc}"), None),
        ("post", "/api/v1/transfers/{id}/confirm", format!("/api/v1/transfers/{transfer}/confirm"), Some(json!({}))),
        (
            "post",
            "/api/v1/admissions",
            "/api/v1/admissions".into(),
            Some(json!({"org_id": bloc_cell, "full_name": "B", "birth_date": "1998-01-01", "gender": "male"})),
        ),
        ("get", "/api/v1/admissions", format!("/api/v1/admissions?org_id={bloc}&state=all"), None),
        ("get", "/api/v1/admissions/report", format!("/api/v1/admissions/report?org_id={bloc}"), None),
        ("get", "/api/v1/admissions/{id}", format!("/api/v1/admissions/{admission}"), None),
        (
            "patch",
            "/api/v1/admissions/{id}",
            format!("/api/v1/admissions/{admission}"),
            Some(json!({"application_on": "2025-03-01"})),
        ),
        (
            "post",
            "/api/v1/admissions/{id}/close",
            format!("/api/v1/admissions/{admission}/close"),
            Some(json!({"reason": "Rút hồ sơ"})),
        ),
        (
            "put",
            "/api/v1/orgs/{id}/admission-target",
            format!("/api/v1/orgs/{bloc}/admission-target"),
            Some(json!({"year": 2025, "target": 100})),
        ),
        ("get", "/api/v1/orgs/{id}/member-figures", format!("/api/v1/orgs/{bloc}/member-figures"), None),
        (
            "post",
            "/api/v1/classifications",
            "/api/v1/classifications".into(),
            Some(
                json!({"period": "2025", "entries": [{"member_id": member, "level": "good"}, {"org_id": bloc, "score": 95}]}),
            ),
        ),
        ("get", "/api/v1/classifications", format!("/api/v1/classifications?org_id={bloc}&period=2025"), None),
        ("post", "/api/v1/members/import", format!("/api/v1/members/import?org_id={bloc_cell}"), Some(json!("x"))),
        (
            "post",
            "/api/v1/members/import/preview",
            format!("/api/v1/members/import/preview?org_id={bloc_cell}"),
            Some(json!("x")),
        ),
        ("get", "/api/v1/members/export", format!("/api/v1/members/export?org_id={bloc}&format=csv"), None),
        ("get", "/api/v1/documents/{id}/files", format!("/api/v1/documents/{doc}/files"), None),
        (
            "post",
            "/api/v1/meetings",
            "/api/v1/meetings".into(),
            Some(json!({"org_id": bloc, "title": "Họp ngoài phạm vi", "held_on": "2025-03-30", "kind": "other"})),
        ),
        ("get", "/api/v1/meetings", format!("/api/v1/meetings?org_id={bloc}"), None),
        ("get", "/api/v1/meetings/{id}", format!("/api/v1/meetings/{meeting}"), None),
        ("get", "/api/v1/meetings/{id}/tasks", format!("/api/v1/meetings/{meeting}/tasks"), None),
        (
            "post",
            "/api/v1/tasks",
            "/api/v1/tasks".into(),
            Some(json!({"title": "Giao ra ngoài", "lead_org_id": bloc_cell})),
        ),
        ("get", "/api/v1/tasks", format!("/api/v1/tasks?org_id={bloc}"), None),
        (
            "post",
            "/api/v1/tasks/extract",
            "/api/v1/tasks/extract".into(),
            Some(
                json!({"text": "(1) Giao Sở Tài chính chủ trì rà soát.", "reference_date": "2025-01-01", "org_id": bloc}),
            ),
        ),
        ("get", "/api/v1/tasks/summary", format!("/api/v1/tasks/summary?org_id={bloc}"), None),
        ("get", "/api/v1/tasks/{id}", format!("/api/v1/tasks/{task}"), None),
        ("patch", "/api/v1/tasks/{id}", format!("/api/v1/tasks/{task}"), Some(json!({"title": "Đổi"}))),
        ("post", "/api/v1/tasks/{id}/cancel", format!("/api/v1/tasks/{task}/cancel"), Some(json!({"reason": "Hủy"}))),
        ("get", "/api/v1/tasks/{id}/files", format!("/api/v1/tasks/{task}/files"), None),
        ("post", "/api/v1/tasks/{id}/files", format!("/api/v1/tasks/{task}/files?name=a.pdf"), Some(json!("%PDF"))),
        ("get", "/api/v1/files/{id}", format!("/api/v1/files/{file}"), None),
        ("post", "/api/v1/tasks/{id}/reports", format!("/api/v1/tasks/{task}/reports"), Some(json!({"progress": 50}))),
        ("get", "/api/v1/tasks/{id}/reports", format!("/api/v1/tasks/{task}/reports"), None),
        ("post", "/api/v1/tasks/{id}/review", format!("/api/v1/tasks/{task}/review"), Some(json!({"accept": true}))),
        ("get", "/api/v1/reports/tasks", format!("/api/v1/reports/tasks?org_id={bloc}&period=2025&format=pdf"), None),
        (
            "post",
            "/api/v1/reports/tasks",
            "/api/v1/reports/tasks".into(),
            Some(json!({"org_id": bloc, "period": "2025"})),
        ),
        ("get", "/api/v1/me/reminders", "/api/v1/me/reminders".into(), None),
        ("get", "/api/v1/me/todo", "/api/v1/me/todo".into(), None),
        (
            "post",
            "/api/v1/cell-meetings",
            "/api/v1/cell-meetings".into(),
            Some(json!({"org_id": bloc_cell, "kind": "regular", "scheduled_at": "2031-03-03"})),
        ),
        ("get", "/api/v1/cell-meetings", format!("/api/v1/cell-meetings?org_id={bloc_cell}"), None),
        ("get", "/api/v1/cell-meetings/{id}", format!("/api/v1/cell-meetings/{cell_meeting}"), None),
        (
            "patch",
            "/api/v1/cell-meetings/{id}",
            format!("/api/v1/cell-meetings/{cell_meeting}"),
            Some(json!({"scheduled_at": "2031-03-04"})),
        ),
        (
            "post",
            "/api/v1/cell-meetings/{id}/cancel",
            format!("/api/v1/cell-meetings/{cell_meeting}/cancel"),
            Some(json!({"reason": "Hủy"})),
        ),
        (
            "put",
            "/api/v1/cell-meetings/{id}/attendance",
            format!("/api/v1/cell-meetings/{cell_meeting}/attendance"),
            Some(json!([])),
        ),
        (
            "put",
            "/api/v1/cell-meetings/{id}/minutes",
            format!("/api/v1/cell-meetings/{cell_meeting}/minutes"),
            Some(json!({"text": "Ghi trái phép", "resolutions": []})),
        ),
        (
            "post",
            "/api/v1/cell-meetings/{id}/minutes/approve",
            format!("/api/v1/cell-meetings/{cell_meeting}/minutes/approve"),
            Some(json!({})),
        ),
        (
            "get",
            "/api/v1/cell-meetings/{id}/minutes/versions",
            format!("/api/v1/cell-meetings/{cell_meeting}/minutes/versions"),
            None,
        ),
        (
            "post",
            "/api/v1/cell-meetings/{id}/reply",
            format!("/api/v1/cell-meetings/{cell_meeting}/reply"),
            Some(json!({"reply": "attending", "member_id": member})),
        ),
        ("get", "/api/v1/cell-meetings/{id}/comments", format!("/api/v1/cell-meetings/{cell_meeting}/comments"), None),
        (
            "post",
            "/api/v1/cell-meetings/{id}/comments",
            format!("/api/v1/cell-meetings/{cell_meeting}/comments"),
            Some(json!({"body": "Ý kiến trái phép"})),
        ),
        ("get", "/api/v1/me/cell-meetings", "/api/v1/me/cell-meetings?upcoming=true".into(), None),
        ("get", "/api/v1/orgs/{id}/cell-meeting-stats", format!("/api/v1/orgs/{bloc}/cell-meeting-stats"), None),
        ("get", "/api/v1/orgs/{id}/cell-meeting-trend", format!("/api/v1/orgs/{bloc}/cell-meeting-trend"), None),
        (
            "post",
            "/api/v1/cell-meeting-topics",
            "/api/v1/cell-meeting-topics".into(),
            Some(json!({"org_id": bloc, "month": "2031-03", "title": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/cell-meeting-topics", format!("/api/v1/cell-meeting-topics?org_id={bloc}"), None),
        (
            "post",
            "/api/v1/cell-meetings/{id}/tasks",
            format!("/api/v1/cell-meetings/{cell_meeting}/tasks"),
            Some(json!({"member_id": bloc_member, "title": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/cell-meetings/{id}/tasks", format!("/api/v1/cell-meetings/{cell_meeting}/tasks"), None),
        (
            "post",
            "/api/v1/cell-meetings/{id}/files",
            format!("/api/v1/cell-meetings/{cell_meeting}/files?name=a.pdf"),
            Some(json!("%PDF")),
        ),
        ("get", "/api/v1/cell-meetings/{id}/files", format!("/api/v1/cell-meetings/{cell_meeting}/files"), None),
        ("get", "/api/v1/me/cell-meeting-tasks", "/api/v1/me/cell-meeting-tasks".into(), None),
        (
            "post",
            "/api/v1/cell-meeting-tasks/{id}/reports",
            format!("/api/v1/cell-meeting-tasks/{member_task}/reports"),
            Some(json!({"progress": 100})),
        ),
        (
            "post",
            "/api/v1/cell-meeting-tasks/{id}/review",
            format!("/api/v1/cell-meeting-tasks/{member_task}/review"),
            Some(json!({"accept": true})),
        ),
        ("delete", "/api/v1/cell-meeting-topics/{id}", format!("/api/v1/cell-meeting-topics/{topic}"), None),
        ("get", "/api/v1/orgs/{id}/minutes-book", format!("/api/v1/orgs/{bloc_cell}/minutes-book?year=2031"), None),
        ("get", "/api/v1/orgs/{id}/cell-meeting-report", format!("/api/v1/orgs/{bloc}/cell-meeting-report"), None),
        (
            "get",
            "/api/v1/orgs/{id}/cell-meeting-absentees",
            format!("/api/v1/orgs/{bloc}/cell-meeting-absentees"),
            None,
        ),
        (
            "post",
            "/api/v1/congresses",
            "/api/v1/congresses".into(),
            Some(
                json!({"org_id": bloc, "title": "Đại hội", "kind": "members", "term": "2035-2040", "opens_on": "2035-05-01"}),
            ),
        ),
        ("get", "/api/v1/congresses", format!("/api/v1/congresses?org_id={bloc}"), None),
        (
            "post",
            "/api/v1/congress-plans",
            "/api/v1/congress-plans".into(),
            Some(json!({"org_id": bloc, "term": "2035-2040", "kinds": ["cell"], "held_by": "2035-05-01"})),
        ),
        ("get", "/api/v1/congress-plans", format!("/api/v1/congress-plans?org_id={bloc}"), None),
        ("get", "/api/v1/me/congresses", "/api/v1/me/congresses".into(), None),
        (
            "get",
            "/api/v1/orgs/{id}/congress-progress",
            format!("/api/v1/orgs/{bloc}/congress-progress?term=2025-2030"),
            None,
        ),
        ("get", "/api/v1/congresses/{id}", format!("/api/v1/congresses/{congress}"), None),
        (
            "post",
            "/api/v1/congresses/{id}/status",
            format!("/api/v1/congresses/{congress}/status"),
            Some(json!({"event": "approve", "note": "Ngoài phạm vi"})),
        ),
        (
            "post",
            "/api/v1/congresses/{id}/drafts",
            format!("/api/v1/congresses/{congress}/drafts"),
            Some(json!({"title": "Dự thảo", "text": "Một đoạn"})),
        ),
        ("get", "/api/v1/congresses/{id}/seats", format!("/api/v1/congresses/{congress}/seats"), None),
        (
            "put",
            "/api/v1/congresses/{id}/seats",
            format!("/api/v1/congresses/{congress}/seats"),
            Some(json!({"seats": []})),
        ),
        (
            "get",
            "/api/v1/congresses/{id}/seat-proposal",
            format!("/api/v1/congresses/{congress}/seat-proposal?official=4"),
            None,
        ),
        ("get", "/api/v1/congresses/{id}/delegates", format!("/api/v1/congresses/{congress}/delegates"), None),
        (
            "post",
            "/api/v1/congresses/{id}/delegates",
            format!("/api/v1/congresses/{congress}/delegates"),
            Some(json!({"org_id": ward, "full_name": "Ngoài phạm vi", "source": "elected"})),
        ),
        (
            "post",
            "/api/v1/congresses/{id}/delegations",
            format!("/api/v1/congresses/{congress}/delegations"),
            Some(json!({"election_id": election})),
        ),
        ("post", "/api/v1/congresses/{id}/summons", format!("/api/v1/congresses/{congress}/summons"), None),
        (
            "put",
            "/api/v1/delegates/{id}/credentials",
            format!("/api/v1/delegates/{delegate}/credentials"),
            Some(json!({"decision": "reject", "reason": "Ngoài phạm vi"})),
        ),
        (
            "post",
            "/api/v1/delegates/{id}/substitution",
            format!("/api/v1/delegates/{delegate}/substitution"),
            Some(json!({"alternate_id": delegate, "reason": "Ngoài phạm vi"})),
        ),
        (
            "put",
            "/api/v1/delegates/{id}/exclusion",
            format!("/api/v1/delegates/{delegate}/exclusion"),
            Some(json!({"exclusion": null})),
        ),
        ("get", "/api/v1/congresses/{id}/sessions", format!("/api/v1/congresses/{congress}/sessions"), None),
        (
            "post",
            "/api/v1/congresses/{id}/sessions",
            format!("/api/v1/congresses/{congress}/sessions"),
            Some(json!({"title": "Ngoài phạm vi"})),
        ),
        (
            "post",
            "/api/v1/congress-sessions/{id}/check-ins",
            format!("/api/v1/congress-sessions/{session}/check-ins"),
            Some(json!({"cards": [1]})),
        ),
        ("get", "/api/v1/congresses/{id}/electors", format!("/api/v1/congresses/{congress}/electors"), None),
        (
            "get",
            "/api/v1/congresses/{id}/credentials-report",
            format!("/api/v1/congresses/{congress}/credentials-report"),
            None,
        ),
        (
            "post",
            "/api/v1/congresses/{id}/credentials/accept-awaiting",
            format!("/api/v1/congresses/{congress}/credentials/accept-awaiting"),
            None,
        ),
        ("get", "/api/v1/congresses/{id}/documents", format!("/api/v1/congresses/{congress}/documents"), None),
        (
            "post",
            "/api/v1/congresses/{id}/documents",
            format!("/api/v1/congresses/{congress}/documents"),
            Some(json!({"body": "congress", "type": "NQ", "title": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/congresses/{id}/subcommittees", format!("/api/v1/congresses/{congress}/subcommittees"), None),
        (
            "post",
            "/api/v1/congresses/{id}/subcommittees",
            format!("/api/v1/congresses/{congress}/subcommittees"),
            Some(json!({"kind": "personnel"})),
        ),
        (
            "post",
            "/api/v1/subcommittees/{id}/members",
            format!("/api/v1/subcommittees/{subcommittee}/members"),
            Some(json!({"full_name": "Ngoài phạm vi", "seat": "member"})),
        ),
        (
            "post",
            "/api/v1/subcommittees/{id}/tasks",
            format!("/api/v1/subcommittees/{subcommittee}/tasks"),
            Some(json!({"title": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/drafts/{id}/targets", format!("/api/v1/drafts/{draft}/targets"), None),
        (
            "get",
            "/api/v1/drafts/{id}/targets/compare",
            format!("/api/v1/drafts/{draft}/targets/compare?from=1&to=1"),
            None,
        ),
        (
            "post",
            "/api/v1/draft-comments/{id}/scan",
            format!("/api/v1/draft-comments/{draft_comment}/scan?name=a.pdf"),
            Some(json!("%PDF")),
        ),
        ("get", "/api/v1/drafts/{id}", format!("/api/v1/drafts/{draft}"), None),
        (
            "post",
            "/api/v1/drafts/{id}/versions",
            format!("/api/v1/drafts/{draft}/versions"),
            Some(json!({"text": "Bản mới"})),
        ),
        ("put", "/api/v1/drafts/{id}/window", format!("/api/v1/drafts/{draft}/window"), Some(json!({}))),
        ("get", "/api/v1/drafts/{id}/compare", format!("/api/v1/drafts/{draft}/compare?from=1&to=1"), None),
        (
            "post",
            "/api/v1/drafts/{id}/comments",
            format!("/api/v1/drafts/{draft}/comments"),
            Some(json!({"version": 1, "paragraph": 1, "text": "Ngoài phạm vi", "on_behalf_of_org_id": ward})),
        ),
        ("get", "/api/v1/drafts/{id}/comments", format!("/api/v1/drafts/{draft}/comments"), None),
        (
            "get",
            "/api/v1/drafts/{id}/paragraphs/{number}/groups",
            format!("/api/v1/drafts/{draft}/paragraphs/1/groups"),
            None,
        ),
        (
            "put",
            "/api/v1/draft-comments/{id}/disposition",
            format!("/api/v1/draft-comments/{draft_comment}/disposition"),
            Some(json!({"disposition": "noted", "reason": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/drafts/{id}/disposition-report", format!("/api/v1/drafts/{draft}/disposition-report"), None),
        (
            "post",
            "/api/v1/elections",
            "/api/v1/elections".into(),
            Some(json!({"org_id": bloc, "title": "Bầu", "kind": "conference", "seats": 1, "ballot": "approval",
                        "candidates": [{"full_name": "A"}], "electors": {"summoned": 9}})),
        ),
        ("get", "/api/v1/elections", format!("/api/v1/elections?org_id={bloc}"), None),
        ("get", "/api/v1/elections/{id}", format!("/api/v1/elections/{election}"), None),
        (
            "post",
            "/api/v1/elections/{id}/board",
            format!("/api/v1/elections/{election}/board"),
            Some(json!({"user_id": khoi, "role": "teller"})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/candidates",
            format!("/api/v1/elections/{election}/candidates"),
            Some(json!({"full_name": "F", "present": 10, "agreed": 9})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/entries",
            format!("/api/v1/elections/{election}/entries"),
            Some(json!({"issued": 1, "returned": 1, "ballots": [[]]})),
        ),
        ("get", "/api/v1/elections/{id}/entries", format!("/api/v1/elections/{election}/entries"), None),
        (
            "post",
            "/api/v1/elections/{id}/resolve",
            format!("/api/v1/elections/{election}/resolve"),
            Some(json!({"picks": []})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/tie-decision",
            format!("/api/v1/elections/{election}/tie-decision"),
            Some(json!({"elected": [], "note": "x"})),
        ),
        ("post", "/api/v1/elections/{id}/seal", format!("/api/v1/elections/{election}/seal"), None),
        ("get", "/api/v1/elections/{id}/result", format!("/api/v1/elections/{election}/result"), None),
        ("get", "/api/v1/elections/{id}/record", format!("/api/v1/elections/{election}/record"), None),
        ("get", "/api/v1/elections/{id}/minutes", format!("/api/v1/elections/{election}/minutes"), None),
        ("get", "/api/v1/elections/{id}/ballot", format!("/api/v1/elections/{election}/ballot"), None),
        (
            "post",
            "/api/v1/elections/{id}/candidates/{candidate_id}/withdraw",
            format!("/api/v1/elections/{election}/candidates/1/withdraw"),
            Some(json!({"reason": "x"})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/further-round",
            format!("/api/v1/elections/{election}/further-round"),
            Some(json!({"candidate_ids": [], "ballot": "approval"})),
        ),
        ("get", "/api/v1/elections/{id}/after", format!("/api/v1/elections/{election}/after"), None),
        (
            "post",
            "/api/v1/elections/{id}/complaints",
            format!("/api/v1/elections/{election}/complaints"),
            Some(json!({"received_on": "2026-01-05", "reference": "Đơn 1"})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/complaints/{complaint_id}/resolution",
            format!("/api/v1/elections/{election}/complaints/1/resolution"),
            Some(json!({"resolved_on": "2026-01-06", "outcome": "x"})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/destruction",
            format!("/api/v1/elections/{election}/destruction"),
            Some(json!({"reference": "1-QĐ"})),
        ),
        (
            "post",
            "/api/v1/elections/{id}/approval",
            format!("/api/v1/elections/{election}/approval"),
            Some(json!({"decision": "approve", "reference": "1-QĐ", "decided_on": "2026-01-06"})),
        ),
        ("get", "/api/v1/orgs/{id}/posts", format!("/api/v1/orgs/{bloc}/posts?history=true"), None),
        (
            "put",
            "/api/v1/users/{id}/personnel",
            format!("/api/v1/users/{khoi}/personnel"),
            Some(json!({"granted": true})),
        ),
        ("get", "/api/v1/personnel/limits", format!("/api/v1/personnel/limits?org_id={bloc}"), None),
        ("get", "/api/v1/orgs/{id}/personnel", format!("/api/v1/orgs/{bloc}/personnel"), None),
        (
            "put",
            "/api/v1/orgs/{id}/personnel/seats",
            format!("/api/v1/orgs/{bloc}/personnel/seats"),
            Some(json!({"seats": [{"post": "standing_board", "seats": 9}]})),
        ),
        (
            "post",
            "/api/v1/orgs/{id}/personnel/holders",
            format!("/api/v1/orgs/{bloc}/personnel/holders"),
            Some(json!({"post": "standing_board", "member_id": bloc_member, "term": "2025-2030",
                "since": "2026-01-05", "decision": "1-QĐ"})),
        ),
        (
            "post",
            "/api/v1/personnel/holders/{id}/end",
            format!("/api/v1/personnel/holders/{holder}/end"),
            Some(json!({"until": "2026-01-05", "reason": "Ngoài phạm vi"})),
        ),
        ("get", "/api/v1/orgs/{id}/planning", format!("/api/v1/orgs/{bloc}/planning?term=2030-2035"), None),
        (
            "post",
            "/api/v1/orgs/{id}/planning",
            format!("/api/v1/orgs/{bloc}/planning"),
            Some(json!({"term": "2030-2035", "post": "secretary", "member_id": bloc_member,
                "added_on": "2026-01-05", "decision": "1-QĐ"})),
        ),
        (
            "post",
            "/api/v1/planning/{id}/removal",
            format!("/api/v1/planning/{planning_entry}/removal"),
            Some(json!({"removed_on": "2026-01-05", "decision": "1-QĐ", "reason": "Ngoài phạm vi"})),
        ),
        (
            "put",
            "/api/v1/planning/{id}/standards",
            format!("/api/v1/planning/{planning_entry}/standards"),
            Some(json!({"standards": []})),
        ),
        (
            "get",
            "/api/v1/congresses/{id}/personnel-plan",
            format!("/api/v1/congresses/{congress}/personnel-plan"),
            None,
        ),
        (
            "put",
            "/api/v1/congresses/{id}/personnel-plan",
            format!("/api/v1/congresses/{congress}/personnel-plan"),
            Some(json!({"posts": [{"post": "secretary", "seats": 1, "names": [{"full_name": "Ngoài"}]}]})),
        ),
        (
            "post",
            "/api/v1/congresses/{id}/personnel-plan/events",
            format!("/api/v1/congresses/{congress}/personnel-plan/events"),
            Some(json!({"event": "submit"})),
        ),
        (
            "get",
            "/api/v1/elections/{id}/plan-comparison",
            format!("/api/v1/elections/{election}/plan-comparison"),
            None,
        ),
        ("get", "/api/v1/personnel/nominations", format!("/api/v1/personnel/nominations?org_id={bloc}"), None),
        (
            "post",
            "/api/v1/orgs/{id}/nominations",
            format!("/api/v1/orgs/{bloc}/nominations"),
            Some(json!({"post": "secretary", "purpose": "appointment", "source": "inside", "title": "Ngoài",
                "requested_on": "2026-01-05"})),
        ),
        ("get", "/api/v1/nominations/{id}", format!("/api/v1/nominations/{nomination}"), None),
        (
            "post",
            "/api/v1/nominations/{id}/conference",
            format!("/api/v1/nominations/{nomination}/conference"),
            Some(json!({"summoned": 3, "present": 3, "names": ["Ngoài"]})),
        ),
        (
            "post",
            "/api/v1/nominations/{id}/steps",
            format!("/api/v1/nominations/{nomination}/steps"),
            Some(json!({"event": "stop", "note": "Ngoài"})),
        ),
        ("get", "/api/v1/petitions", format!("/api/v1/petitions?org_id={bloc}"), None),
        ("get", "/api/v1/me/petitions", "/api/v1/me/petitions".into(), None),
        (
            "post",
            "/api/v1/petitions",
            "/api/v1/petitions".into(),
            Some(json!({"org_id": bloc, "channel": "post", "kind": "feedback", "summary": "Ngoài"})),
        ),
        ("get", "/api/v1/petitions/stats", format!("/api/v1/petitions/stats?org_id={bloc}"), None),
        ("get", "/api/v1/petitions/report", format!("/api/v1/petitions/report?org_id={bloc}&format=xlsx"), None),
        ("get", "/api/v1/petitions/{id}", format!("/api/v1/petitions/{petition}"), None),
        ("get", "/api/v1/petitions/{id}/letter", format!("/api/v1/petitions/{petition}/letter?kind=transfer"), None),
        ("post", "/api/v1/petitions/{id}/scans", format!("/api/v1/petitions/{petition}/scans?name=x.pdf"), None),
        ("get", "/api/v1/petition-scans/{id}", format!("/api/v1/petition-scans/{scan}"), None),
        (
            "post",
            "/api/v1/petitions/{id}/handlers",
            format!("/api/v1/petitions/{petition}/handlers"),
            Some(json!({"user_id": khoi})),
        ),
        ("post", "/api/v1/petitions/{id}/accept", format!("/api/v1/petitions/{petition}/accept"), Some(json!({}))),
        (
            "post",
            "/api/v1/petitions/{id}/extend",
            format!("/api/v1/petitions/{petition}/extend"),
            Some(json!({"reason": "Ngoài"})),
        ),
        (
            "post",
            "/api/v1/petitions/{id}/resolve",
            format!("/api/v1/petitions/{petition}/resolve"),
            Some(json!({"outcome": "unfounded"})),
        ),
        (
            "post",
            "/api/v1/petitions/{id}/steps",
            format!("/api/v1/petitions/{petition}/steps"),
            Some(json!({"event": "withdraw"})),
        ),
        (
            "post",
            "/api/v1/petitions/{id}/disclosures",
            format!("/api/v1/petitions/{petition}/disclosures"),
            Some(json!({"user_id": khoi, "reason": "Ngoài phạm vi"})),
        ),
        (
            "put",
            "/api/v1/users/{id}/petition-custodian",
            format!("/api/v1/users/{khoi}/petition-custodian"),
            Some(json!({"custodian": true})),
        ),
        ("get", "/api/v1/orgs/{id}/receptions", format!("/api/v1/orgs/{bloc}/receptions"), None),
        (
            "post",
            "/api/v1/orgs/{id}/receptions",
            format!("/api/v1/orgs/{bloc}/receptions"),
            Some(json!({"leader": "Ngoài", "people": 1, "matters": "Ngoài"})),
        ),
        ("get", "/api/v1/orgs/{id}/badge-candidates", format!("/api/v1/orgs/{bloc}/badge-candidates"), None),
        ("get", "/api/v1/orgs/{id}/badge-list", format!("/api/v1/orgs/{bloc}/badge-list"), None),
        (
            "post",
            "/api/v1/awards",
            "/api/v1/awards".into(),
            Some(json!({"kind": "merit", "title": "Ngoài", "decided_on": "2026-01-02", "org_id": bloc,
                        "recipients": [{"member_id": bloc_member}]})),
        ),
        ("get", "/api/v1/awards/stats", format!("/api/v1/awards/stats?org_id={bloc}"), None),
        ("get", "/api/v1/awards/report", format!("/api/v1/awards/report?org_id={bloc}"), None),
        ("get", "/api/v1/awards/{id}", format!("/api/v1/awards/{award}"), None),
        (
            "post",
            "/api/v1/awards/{id}/ceremony",
            format!("/api/v1/awards/{award}/ceremony"),
            Some(json!({"held_on": "2026-02-03"})),
        ),
        ("get", "/api/v1/members/{id}/awards", format!("/api/v1/members/{bloc_member}/awards"), None),
        ("get", "/api/v1/orgs/{id}/awards", format!("/api/v1/orgs/{bloc}/awards"), None),
        (
            "post",
            "/api/v1/award-proposals",
            "/api/v1/award-proposals".into(),
            Some(json!({"org_id": bloc_cell, "kind": "certificate", "title": "Ngoài"})),
        ),
        ("get", "/api/v1/award-proposals", format!("/api/v1/award-proposals?org_id={bloc}"), None),
        ("get", "/api/v1/award-proposals/{id}", format!("/api/v1/award-proposals/{proposal}"), None),
        (
            "post",
            "/api/v1/award-proposals/{id}/items",
            format!("/api/v1/award-proposals/{proposal}/items"),
            Some(json!({"member_id": bloc_member, "achievement": "Ngoài"})),
        ),
        (
            "delete",
            "/api/v1/award-proposals/{id}/items/{item_id}",
            format!("/api/v1/award-proposals/{proposal}/items/1"),
            None,
        ),
        (
            "post",
            "/api/v1/award-proposals/{id}/steps",
            format!("/api/v1/award-proposals/{proposal}/steps"),
            Some(json!({"event": "withdraw"})),
        ),
        (
            "post",
            "/api/v1/campaigns",
            "/api/v1/campaigns".into(),
            Some(
                json!({"org_id": bloc, "theme": "Ngoài", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "criteria": "Ngoài"}),
            ),
        ),
        ("get", "/api/v1/campaigns", format!("/api/v1/campaigns?org_id={bloc}"), None),
        ("get", "/api/v1/campaigns/{id}", format!("/api/v1/campaigns/{campaign}"), None),
        (
            "post",
            "/api/v1/campaigns/{id}/units",
            format!("/api/v1/campaigns/{campaign}/units"),
            Some(json!({"text": "Ngoài"})),
        ),
        (
            "post",
            "/api/v1/campaigns/{id}/results",
            format!("/api/v1/campaigns/{campaign}/results"),
            Some(json!({"text": "Ngoài"})),
        ),
        (
            "post",
            "/api/v1/campaigns/{id}/close",
            format!("/api/v1/campaigns/{campaign}/close"),
            Some(json!({"summary": "Ngoài"})),
        ),
        (
            "put",
            "/api/v1/members/{id}/dues-basis",
            format!("/api/v1/members/{bloc_member}/dues-basis"),
            Some(json!({"from": "2026-01", "category": "student"})),
        ),
        ("get", "/api/v1/members/{id}/dues", format!("/api/v1/members/{bloc_member}/dues"), None),
        (
            "post",
            "/api/v1/members/{id}/dues/payments",
            format!("/api/v1/members/{bloc_member}/dues/payments"),
            Some(json!({"month": "2026-01", "amount": 5000, "paid_on": "2026-01-05", "method": "cash"})),
        ),
        (
            "post",
            "/api/v1/members/{id}/dues/exemptions",
            format!("/api/v1/members/{bloc_member}/dues/exemptions"),
            Some(json!({"kind": "social_pension", "from": "2026-01", "reference": "Ngoài"})),
        ),
        ("get", "/api/v1/orgs/{id}/dues", format!("/api/v1/orgs/{bloc_cell}/dues"), None),
        (
            "post",
            "/api/v1/orgs/{id}/dues/payments",
            format!("/api/v1/orgs/{bloc_cell}/dues/payments"),
            Some(
                json!({"month": "2026-01", "paid_on": "2026-01-05", "payments": [{"member_id": bloc_member, "amount": 5000}]}),
            ),
        ),
        ("get", "/api/v1/orgs/{id}/dues-report", format!("/api/v1/orgs/{bloc}/dues-report"), None),
        ("put", "/api/v1/orgs/{id}/dues-unit", format!("/api/v1/orgs/{bloc}/dues-unit"), Some(json!({"region": 1}))),
        ("get", "/api/v1/settings", "/api/v1/settings".into(), None),
        ("put", "/api/v1/settings", "/api/v1/settings".into(), Some(json!({"reminder_days": 30}))),
        ("get", "/api/v1/audit", "/api/v1/audit".into(), None),
        ("get", "/api/v1/audit/verify", "/api/v1/audit/verify".into(), None),
        ("get", "/api/v1/openapi.json", "/api/v1/openapi.json".into(), None),
        ("delete", "/api/v1/session", "/api/v1/session".into(), None),
    ];

    // Every documented route has a case, and every case is a documented route.
    let (_, doc) = app.send("GET", "/api/v1/openapi.json", None, None).await;
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    documented.insert(("get".into(), "/api/v1/openapi.json".into()));
    let covered: BTreeSet<(String, String)> = cases.iter().map(|(m, p, _, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(covered, documented, "the scope walk must cover exactly the documented routes");

    let before = app.audit_len().await;
    let reports_before =
        app.db.query_one("SELECT COUNT(*) FROM task_reports", &[]).await.unwrap().unwrap().int(0).unwrap();
    for (method, documented, path, body) in &cases {
        let (status, answer) = app.send(&method.to_uppercase(), path, Some(&token), body.clone()).await;
        let text = answer.to_string();
        // Lists may answer, empty of anything outside; nothing else may succeed.
        let allowed_ok = (*method == "get"
            && matches!(
                *documented,
                "/api/v1/me"
                    | "/api/v1/users"
                    | "/api/v1/openapi.json"
                    | "/api/v1/orgs"
                    | "/api/v1/documents"
                    | "/api/v1/me/reminders"
                    | "/api/v1/me/todo"
                    | "/api/v1/me/congresses"
                    | "/api/v1/me/petitions"
                    | "/api/v1/settings"
            ))
            || (*method == "delete" && *documented == "/api/v1/session");
        if status.is_success() {
            assert!(allowed_ok, "{method} {path} answered {status} outside the scope: {text}");
            if *documented != "/api/v1/openapi.json" {
                for word in OUTSIDE {
                    assert!(!text.contains(word), "{method} {path} leaked {word}: {text}");
                }
            }
        } else {
            assert!(matches!(status.as_u16(), 401 | 403 | 404 | 422), "{method} {path} answered {status}: {text}");
        }
    }
    assert_eq!(app.audit_len().await, before, "nothing outside the scope changed");
    let reports_after =
        app.db.query_one("SELECT COUNT(*) FROM task_reports", &[]).await.unwrap().unwrap().int(0).unwrap();
    assert_eq!(reports_after, reports_before);

    // Changes inside the scope that point outside it are refused too.
    let token = app.login("qt.truongvinh").await;
    for (path, body) in [
        (format!("/api/v1/orgs/{inside}/move"), json!({"parent_id": bloc})),
        (format!("/api/v1/orgs/{inside}/merge"), json!({"into_id": bloc_cell})),
    ] {
        let (status, answer) = app.post(&token, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {answer}");
    }
    let (_, found) = app.get(&token, "/api/v1/orgs?code=DUK-CCQ").await;
    assert_eq!(found["items"], json!([]));
    // A search finds only what is inside: "khối" names blocks of the ward, and the bloc.
    let (_, found) = app.get(&token, "/api/v1/orgs?q=khoi").await;
    let items = found["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|o| o["code"].as_str().unwrap().starts_with("P-TVINH")), "{found}");
    // The scoped account cannot restructure its own top organisation either.
    let (status, _) = app.post(&token, &format!("/api/v1/orgs/{ward}/dissolve"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_len().await, before);

    // The same account does see and change its own subtree.
    let (status, org) = app.get(&token, &format!("/api/v1/orgs/{inside}")).await;
    assert_eq!(status, StatusCode::OK, "{org}");
    let (status, _) =
        app.post(&token, &format!("/api/v1/orgs/{inside}/rename"), json!({"name": "Chi bộ đổi tên"})).await;
    assert_eq!(status, StatusCode::OK);
}

/// A row of the page walk: the method, the route as served, the request's path, the form.
type PageCase<'a> = (&'static str, &'static str, String, Vec<(&'a str, String)>);

/// The page forms that name no organisation: they write to the account's own registry.
const OWN_REGISTRY: [&str; 1] = ["/documents"];

/// The page routes whose forms carry a file.
const UPLOADS: [&str; 6] = [
    "/petitions/{id}/scans",
    "/tasks/{id}/report",
    "/tasks/{id}/files",
    "/cell-meetings/{id}/files",
    "/members/import",
    "/draft-comments/{id}/scan",
];

/// The pages as the API: every page route, aimed at the bloc by the ward's admin, signed in
/// through the form. A page route added without a row here makes the test fail: the rows must
/// name exactly the paths the application serves, and a method a path has but no row tries
/// answers something other than 405.
async fn every_page_keeps_to_the_scope(app: TestApp) {
    let Outside {
        ward,
        bloc,
        bloc_cell,
        doc,
        meeting,
        task,
        member,
        transfer,
        admission,
        file,
        cell_meeting,
        topic,
        bloc_member,
        member_task,
        election,
        congress,
        draft,
        draft_comment,
        delegate,
        session,
        subcommittee,
        holder,
        planning_entry,
        nomination,
        petition,
        scan,
        khoi,
        award,
        proposal,
        campaign,
        ..
    } = ward_admin_and_the_bloc(&app).await;
    let cookie = sign_in(&app, "qt.truongvinh").await;
    let (_, home) = page(&app, &cookie, "/").await;
    let csrf = csrf_of(&home);
    let period = format!("period_{member}");

    // (method, route, request path, form fields)
    let cases: Vec<PageCase> = vec![
        ("get", "/", "/".into(), vec![]),
        ("get", "/login", "/login".into(), vec![]),
        ("post", "/login", "/login".into(), vec![("username", "khoi".into()), ("password", "doan-mo".into())]),
        ("get", "/orgs", format!("/orgs?org_id={bloc}"), vec![]),
        ("get", "/orgs/pick", "/orgs/pick?q=khoi".into(), vec![]),
        ("get", "/units/pick", "/units/pick?q=ban".into(), vec![]),
        ("get", "/orgs/{id}", format!("/orgs/{bloc}"), vec![]),
        ("get", "/orgs/{id}/children", format!("/orgs/{bloc}/children"), vec![]),
        (
            "post",
            "/orgs/{id}/found",
            format!("/orgs/{bloc}/found"),
            vec![
                ("code", "NGOAI-2".into()),
                ("name", "Chi bộ ngoài".into()),
                ("kind", "cell".into()),
                ("effective_on", "".into()),
            ],
        ),
        (
            "post",
            "/orgs/{id}/rename",
            format!("/orgs/{bloc}/rename"),
            vec![("name", "Đổi tên".into()), ("effective_on", "".into())],
        ),
        (
            "post",
            "/orgs/{id}/move",
            format!("/orgs/{bloc_cell}/move"),
            vec![("parent_code", "P-TVINH".into()), ("effective_on", "".into())],
        ),
        (
            "post",
            "/orgs/{id}/merge",
            format!("/orgs/{bloc_cell}/merge"),
            vec![("into_code", "P-TVINH".into()), ("effective_on", "".into())],
        ),
        ("post", "/orgs/{id}/dissolve", format!("/orgs/{bloc_cell}/dissolve"), vec![("effective_on", "".into())]),
        ("get", "/users", format!("/users?org_id={bloc}"), vec![]),
        (
            "post",
            "/users",
            "/users".into(),
            vec![
                ("username", "ngoai.pham.vi".into()),
                ("password", "mat-khau-dai-1".into()),
                ("role", "viewer".into()),
                ("org_code", "DUK-CCQ".into()),
            ],
        ),
        ("get", "/tasks", format!("/tasks?org_id={bloc}"), vec![]),
        ("get", "/tasks/new", format!("/tasks/new?meeting_id={meeting}"), vec![]),
        (
            "post",
            "/tasks/new",
            "/tasks/new".into(),
            vec![("title", "Giao ra ngoài".into()), ("lead_code", "DUK-CCQ-STC-CB01".into())],
        ),
        ("get", "/tasks/{id}", format!("/tasks/{task}"), vec![]),
        ("post", "/tasks/{id}/report", format!("/tasks/{task}/report"), vec![("progress", "50".into())]),
        ("post", "/tasks/{id}/files", format!("/tasks/{task}/files"), vec![]),
        ("get", "/tasks/{id}/edit", format!("/tasks/{task}/edit"), vec![]),
        (
            "post",
            "/tasks/{id}/edit",
            format!("/tasks/{task}/edit"),
            vec![("title", "Đổi".into()), ("lead_code", "DUK-CCQ-STC-CB01".into())],
        ),
        ("post", "/tasks/{id}/cancel", format!("/tasks/{task}/cancel"), vec![("reason", "Hủy".into())]),
        ("post", "/tasks/{id}/review", format!("/tasks/{task}/review"), vec![("decision", "accept".into())]),
        ("get", "/files/{id}", format!("/files/{file}"), vec![]),
        ("get", "/dashboard", format!("/dashboard?org_id={bloc}"), vec![]),
        ("get", "/reports/tasks", format!("/reports/tasks?org_id={bloc}&period=2025&format=pdf"), vec![]),
        (
            "post",
            "/reports/tasks",
            "/reports/tasks".into(),
            vec![("org_id", bloc.to_string()), ("period", "2025".into())],
        ),
        ("get", "/documents", format!("/documents?org_id={bloc}"), vec![]),
        (
            "post",
            "/documents",
            "/documents".into(),
            vec![("number", "13-KH/ĐUK".into()), ("title", "Ngoài".into()), ("issued_on", "2025-03-01".into())],
        ),
        ("get", "/documents/{id}", format!("/documents/{doc}"), vec![]),
        ("get", "/meetings", format!("/meetings?org_id={bloc}"), vec![]),
        (
            "post",
            "/meetings",
            "/meetings".into(),
            vec![
                ("org_code", "DUK-CCQ".into()),
                ("title", "Họp ngoài phạm vi".into()),
                ("kind", "other".into()),
                ("held_on", "2025-03-30".into()),
            ],
        ),
        ("get", "/meetings/{id}", format!("/meetings/{meeting}"), vec![]),
        ("get", "/meetings/{id}/draft", format!("/meetings/{meeting}/draft"), vec![]),
        ("post", "/meetings/{id}/draft", format!("/meetings/{meeting}/draft"), vec![("count", "0".into())]),
        ("get", "/members", format!("/members?org_id={bloc}"), vec![]),
        ("get", "/members/export", format!("/members/export?org_id={bloc}&format=csv"), vec![]),
        ("post", "/members/import", "/members/import".into(), vec![("cell_code", "DUK-CCQ-STC-CB01".into())]),
        ("post", "/members/import/review", "/members/import/review".into(), vec![("token", "khong-co".into())]),
        ("get", "/members/{id}", format!("/members/{member}"), vec![]),
        ("get", "/members/{id}/file", format!("/members/{member}/file?format=csv"), vec![]),
        (
            "post",
            "/members/{id}/record",
            format!("/members/{member}/record"),
            vec![("full_name", "Đổi tên".into()), ("birth_date", "1980-01-01".into()), ("gender", "male".into())],
        ),
        (
            "post",
            "/members/{id}/admission-dates",
            format!("/members/{member}/admission-dates"),
            vec![("admitted_on", "2005-01-02".into()), ("basis", "Sai ngày".into())],
        ),
        (
            "post",
            "/members/{id}/transfer",
            format!("/members/{member}/transfer"),
            vec![("to_code", "P-TVINH".into()), ("kind", "official".into()), ("effective_on", "2025-07-01".into())],
        ),
        (
            "post",
            "/members/{id}/end",
            format!("/members/{member}/end"),
            vec![("kind", "died".into()), ("ended_on", "2025-07-01".into())],
        ),
        (
            "post",
            "/members/{id}/exemption",
            format!("/members/{member}/exemption"),
            vec![("exempt", "true".into()), ("since", "2025-07-01".into()), ("reason", "Tuổi cao".into())],
        ),
        (
            "post",
            "/members/{id}/recognition",
            format!("/members/{member}/recognition"),
            vec![("decided_on", "2006-01-01".into())],
        ),
        (
            "post",
            "/members/{id}/inactive-periods",
            format!("/members/{member}/inactive-periods"),
            vec![("from_on", "2010-01-01".into()), ("until_on", "2011-01-01".into()), ("reason", "other".into())],
        ),
        (
            "post",
            "/members/{id}/inactive-periods/delete",
            format!("/members/{member}/inactive-periods/delete"),
            vec![("period_id", "1".into())],
        ),
        (
            "post",
            "/members/{id}/readmission",
            format!("/members/{member}/readmission"),
            vec![("decision_on", "2024-02-01".into()), ("ceremony_on", "2024-02-15".into())],
        ),
        (
            "post",
            "/transfers/{id}/confirm",
            format!("/transfers/{transfer}/confirm"),
            vec![("member_id", member.to_string())],
        ),
        ("get", "/admissions", format!("/admissions?org_id={bloc}"), vec![]),
        (
            "post",
            "/admissions",
            "/admissions".into(),
            vec![
                ("cell_code", "DUK-CCQ-STC-CB01".into()),
                ("full_name", "B".into()),
                ("birth_date", "1998-01-01".into()),
                ("gender", "male".into()),
            ],
        ),
        ("get", "/admissions/report", format!("/admissions/report?org_id={bloc}"), vec![]),
        ("get", "/admissions/{id}", format!("/admissions/{admission}"), vec![]),
        ("post", "/admissions/{id}", format!("/admissions/{admission}"), vec![("application_on", "2025-03-01".into())]),
        ("post", "/admissions/{id}/close", format!("/admissions/{admission}/close"), vec![("reason", "Rút".into())]),
        (
            "post",
            "/orgs/{id}/admission-target",
            format!("/orgs/{bloc}/admission-target"),
            vec![("year", "2025".into()), ("target", "100".into()), ("back", bloc.to_string())],
        ),
        ("get", "/figures", format!("/figures?org_id={bloc}"), vec![]),
        ("get", "/classifications", format!("/classifications?org_id={bloc}&period=2025"), vec![]),
        (
            "post",
            "/classifications",
            "/classifications".into(),
            vec![("org_id", bloc.to_string()), ("period", "2025".into()), (period.as_str(), "good".into())],
        ),
        ("get", "/congresses", format!("/congresses?org_id={bloc}"), vec![]),
        ("get", "/me/congresses", "/me/congresses".into(), vec![]),
        (
            "post",
            "/congress-plans",
            "/congress-plans".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("term", "2035-2040".into()),
                ("kind", "cell".into()),
                ("held_by", "2035-05-01".into()),
            ],
        ),
        (
            "post",
            "/congresses",
            "/congresses".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("title", "Đại hội".into()),
                ("kind", "members".into()),
                ("term", "2035-2040".into()),
                ("opens_on", "2035-05-01".into()),
            ],
        ),
        ("get", "/congresses/{id}", format!("/congresses/{congress}"), vec![]),
        (
            "post",
            "/congresses/{id}/status",
            format!("/congresses/{congress}/status"),
            vec![("event", "approve".into())],
        ),
        (
            "post",
            "/congresses/{id}/drafts",
            format!("/congresses/{congress}/drafts"),
            vec![("title", "Dự thảo".into()), ("text", "Một đoạn".into())],
        ),
        ("get", "/congresses/{id}/delegates", format!("/congresses/{congress}/delegates"), vec![]),
        (
            "post",
            "/congresses/{id}/delegates",
            format!("/congresses/{congress}/delegates"),
            vec![("org_id", ward.to_string()), ("full_name", "Ngoài phạm vi".into()), ("source", "elected".into())],
        ),
        ("post", "/congresses/{id}/seats", format!("/congresses/{congress}/seats"), vec![]),
        (
            "post",
            "/congresses/{id}/delegations",
            format!("/congresses/{congress}/delegations"),
            vec![("election_id", election.to_string())],
        ),
        ("post", "/congresses/{id}/summons", format!("/congresses/{congress}/summons"), vec![]),
        (
            "post",
            "/delegates/{id}/credentials",
            format!("/delegates/{delegate}/credentials"),
            vec![("decision", "reject".into()), ("reason", "Ngoài phạm vi".into())],
        ),
        (
            "post",
            "/delegates/{id}/substitution",
            format!("/delegates/{delegate}/substitution"),
            vec![("alternate_id", delegate.to_string()), ("reason", "Ngoài phạm vi".into())],
        ),
        ("post", "/delegates/{id}/exclusion", format!("/delegates/{delegate}/exclusion"), vec![]),
        ("get", "/congresses/{id}/sessions", format!("/congresses/{congress}/sessions"), vec![]),
        (
            "post",
            "/congresses/{id}/sessions",
            format!("/congresses/{congress}/sessions"),
            vec![("title", "Ngoài phạm vi".into())],
        ),
        (
            "post",
            "/congress-sessions/{id}/check-ins",
            format!("/congress-sessions/{session}/check-ins"),
            vec![("cards", "1".into())],
        ),
        (
            "post",
            "/congresses/{id}/credentials/accept-awaiting",
            format!("/congresses/{congress}/credentials/accept-awaiting"),
            vec![],
        ),
        (
            "post",
            "/congresses/{id}/documents",
            format!("/congresses/{congress}/documents"),
            vec![("body", "congress".into()), ("type", "NQ".into()), ("title", "Ngoài phạm vi".into())],
        ),
        (
            "post",
            "/congresses/{id}/subcommittees",
            format!("/congresses/{congress}/subcommittees"),
            vec![("kind", "other".into())],
        ),
        (
            "post",
            "/subcommittees/{id}/members",
            format!("/subcommittees/{subcommittee}/members"),
            vec![("full_name", "Ngoài phạm vi".into())],
        ),
        (
            "post",
            "/subcommittees/{id}/tasks",
            format!("/subcommittees/{subcommittee}/tasks"),
            vec![("title", "Ngoài phạm vi".into())],
        ),
        ("post", "/draft-comments/{id}/scan", format!("/draft-comments/{draft_comment}/scan"), vec![]),
        ("get", "/drafts/{id}", format!("/drafts/{draft}"), vec![]),
        ("post", "/drafts/{id}/versions", format!("/drafts/{draft}/versions"), vec![("text", "Bản mới".into())]),
        ("post", "/drafts/{id}/window", format!("/drafts/{draft}/window"), vec![]),
        ("get", "/drafts/{id}/comments", format!("/drafts/{draft}/comments"), vec![]),
        (
            "post",
            "/drafts/{id}/comments",
            format!("/drafts/{draft}/comments"),
            vec![("version", "1".into()), ("paragraph", "1".into()), ("text", "Ngoài phạm vi".into())],
        ),
        ("get", "/drafts/{id}/compare", format!("/drafts/{draft}/compare"), vec![]),
        ("get", "/drafts/{id}/disposition-report", format!("/drafts/{draft}/disposition-report"), vec![]),
        (
            "post",
            "/draft-comments/{id}/disposition",
            format!("/draft-comments/{draft_comment}/disposition"),
            vec![("disposition", "noted".into()), ("reason", "Ngoài phạm vi".into())],
        ),
        ("get", "/elections", format!("/elections?org_id={bloc}"), vec![]),
        (
            "post",
            "/elections",
            "/elections".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("title", "Bầu".into()),
                ("kind", "conference".into()),
                ("ballot", "approval".into()),
                ("seats", "1".into()),
                ("summoned", "9".into()),
                ("candidates", "A".into()),
            ],
        ),
        ("get", "/elections/{id}", format!("/elections/{election}"), vec![]),
        ("get", "/personnel", format!("/personnel?org_id={bloc}"), vec![]),
        (
            "post",
            "/orgs/{id}/nominations",
            format!("/orgs/{bloc}/nominations"),
            vec![
                ("post", "secretary".into()),
                ("purpose", "appointment".into()),
                ("source", "inside".into()),
                ("title", "Ngoài".into()),
                ("requested_on", "2026-01-05".into()),
            ],
        ),
        ("get", "/nominations/{id}", format!("/nominations/{nomination}"), vec![]),
        (
            "post",
            "/nominations/{id}/conference",
            format!("/nominations/{nomination}/conference"),
            vec![("summoned", "3".into()), ("present", "3".into()), ("names", "Ngoài".into())],
        ),
        (
            "post",
            "/nominations/{id}/steps",
            format!("/nominations/{nomination}/steps"),
            vec![("event", "stop".into()), ("on", "2026-01-05".into()), ("note", "Ngoài".into())],
        ),
        ("get", "/congresses/{id}/personnel-plan", format!("/congresses/{congress}/personnel-plan"), vec![]),
        (
            "post",
            "/congresses/{id}/personnel-plan",
            format!("/congresses/{congress}/personnel-plan"),
            vec![("seats.secretary", "1".into()), ("names.secretary", "Ngoài".into())],
        ),
        (
            "post",
            "/congresses/{id}/personnel-plan/events",
            format!("/congresses/{congress}/personnel-plan/events"),
            vec![("event", "submit".into())],
        ),
        ("get", "/orgs/{id}/personnel", format!("/orgs/{bloc}/personnel"), vec![]),
        (
            "post",
            "/orgs/{id}/personnel/seats",
            format!("/orgs/{bloc}/personnel/seats"),
            vec![("post", "standing_board".into()), ("seats", "9".into())],
        ),
        (
            "post",
            "/orgs/{id}/personnel/holders",
            format!("/orgs/{bloc}/personnel/holders"),
            vec![
                ("post", "standing_board".into()),
                ("member_id", bloc_member.to_string()),
                ("term", "2025-2030".into()),
                ("since", "2026-01-05".into()),
                ("decision", "1-QĐ".into()),
            ],
        ),
        (
            "post",
            "/personnel/holders/{id}/end",
            format!("/personnel/holders/{holder}/end"),
            vec![("org_id", bloc.to_string()), ("until", "2026-01-05".into()), ("reason", "Ngoài".into())],
        ),
        ("get", "/orgs/{id}/planning", format!("/orgs/{bloc}/planning?term=2030-2035"), vec![]),
        (
            "post",
            "/orgs/{id}/planning",
            format!("/orgs/{bloc}/planning"),
            vec![
                ("term", "2030-2035".into()),
                ("post", "secretary".into()),
                ("member_id", bloc_member.to_string()),
                ("added_on", "2026-01-05".into()),
                ("decision", "1-QĐ".into()),
            ],
        ),
        (
            "post",
            "/planning/{id}/removal",
            format!("/planning/{planning_entry}/removal"),
            vec![
                ("org_id", bloc.to_string()),
                ("term", "2030-2035".into()),
                ("removed_on", "2026-01-05".into()),
                ("decision", "1-QĐ".into()),
                ("reason", "Ngoài".into()),
            ],
        ),
        (
            "post",
            "/planning/{id}/standards",
            format!("/planning/{planning_entry}/standards"),
            vec![("org_id", bloc.to_string()), ("term", "2030-2035".into())],
        ),
        (
            "post",
            "/elections/{id}/board",
            format!("/elections/{election}/board"),
            vec![("username", "khoi".into()), ("role", "teller".into())],
        ),
        (
            "post",
            "/elections/{id}/candidates",
            format!("/elections/{election}/candidates"),
            vec![("full_name", "F".into()), ("present", "10".into()), ("agreed", "9".into())],
        ),
        ("post", "/elections/{id}/resolve", format!("/elections/{election}/resolve"), vec![("keep_1", "first".into())]),
        (
            "post",
            "/elections/{id}/tie-decision",
            format!("/elections/{election}/tie-decision"),
            vec![("elected_1", "1".into()), ("note", "x".into())],
        ),
        ("post", "/elections/{id}/seal", format!("/elections/{election}/seal"), vec![]),
        (
            "post",
            "/elections/{id}/withdraw",
            format!("/elections/{election}/withdraw"),
            vec![("candidate_id", "1".into()), ("reason", "x".into())],
        ),
        (
            "post",
            "/elections/{id}/further-round",
            format!("/elections/{election}/further-round"),
            vec![("ballot", "approval".into())],
        ),
        (
            "post",
            "/elections/{id}/complaints",
            format!("/elections/{election}/complaints"),
            vec![("received_on", "2026-01-05".into()), ("reference", "Đơn 1".into())],
        ),
        (
            "post",
            "/elections/{id}/complaint-resolution",
            format!("/elections/{election}/complaint-resolution"),
            vec![("complaint_id", "1".into()), ("resolved_on", "2026-01-06".into()), ("outcome", "x".into())],
        ),
        (
            "post",
            "/elections/{id}/destruction",
            format!("/elections/{election}/destruction"),
            vec![("reference", "1-QĐ".into())],
        ),
        (
            "post",
            "/elections/{id}/approval",
            format!("/elections/{election}/approval"),
            vec![("decision", "approve".into()), ("reference", "1-QĐ".into()), ("decided_on", "2026-01-06".into())],
        ),
        ("get", "/elections/{id}/minutes", format!("/elections/{election}/minutes?format=pdf"), vec![]),
        ("get", "/elections/{id}/ballot", format!("/elections/{election}/ballot"), vec![]),
        ("get", "/elections/{id}/entry", format!("/elections/{election}/entry"), vec![]),
        (
            "post",
            "/elections/{id}/entry/start",
            format!("/elections/{election}/entry/start"),
            vec![("issued", "1".into()), ("returned", "1".into())],
        ),
        (
            "post",
            "/elections/{id}/entry/ballot",
            format!("/elections/{election}/entry/ballot"),
            vec![("ballot", "1".into())],
        ),
        ("post", "/elections/{id}/entry/undo", format!("/elections/{election}/entry/undo"), vec![]),
        ("post", "/elections/{id}/entry/finish", format!("/elections/{election}/entry/finish"), vec![]),
        ("get", "/cell-meetings", format!("/cell-meetings?org_id={bloc_cell}"), vec![]),
        (
            "post",
            "/cell-meetings",
            "/cell-meetings".into(),
            vec![
                ("org_code", "DUK-CCQ-STC-CB01".into()),
                ("kind", "regular".into()),
                ("date", "2031-03-03".into()),
                ("time", "19:00".into()),
                ("topic", "".into()),
                ("place", "".into()),
                ("agenda", "".into()),
            ],
        ),
        ("get", "/cell-meetings/export", format!("/cell-meetings/export?org_id={bloc}"), vec![]),
        ("get", "/cell-meetings/book", format!("/cell-meetings/book?org_id={bloc_cell}&year=2031"), vec![]),
        (
            "post",
            "/cell-meeting-topics",
            "/cell-meeting-topics".into(),
            vec![("org_code", "DUK-CCQ".into()), ("month", "2031-03".into()), ("title", "Ngoài phạm vi".into())],
        ),
        (
            "post",
            "/cell-meeting-topics/{id}/withdraw",
            format!("/cell-meeting-topics/{topic}/withdraw"),
            vec![("month", "2031-03".into())],
        ),
        ("get", "/cell-meetings/{id}", format!("/cell-meetings/{cell_meeting}"), vec![]),
        ("post", "/cell-meetings/{id}/attendance", format!("/cell-meetings/{cell_meeting}/attendance"), vec![]),
        (
            "post",
            "/cell-meetings/{id}/minutes",
            format!("/cell-meetings/{cell_meeting}/minutes"),
            vec![("text", "Ghi trái phép".into())],
        ),
        ("post", "/cell-meetings/{id}/approve", format!("/cell-meetings/{cell_meeting}/approve"), vec![]),
        (
            "post",
            "/cell-meetings/{id}/cancel",
            format!("/cell-meetings/{cell_meeting}/cancel"),
            vec![("reason", "Hủy".into())],
        ),
        (
            "post",
            "/cell-meetings/{id}/reschedule",
            format!("/cell-meetings/{cell_meeting}/reschedule"),
            vec![("scheduled_at", "2031-03-04T19:00".into())],
        ),
        (
            "post",
            "/cell-meetings/{id}/reply",
            format!("/cell-meetings/{cell_meeting}/reply"),
            vec![("reply", "attending".into())],
        ),
        (
            "post",
            "/cell-meetings/{id}/comments",
            format!("/cell-meetings/{cell_meeting}/comments"),
            vec![("body", "Ý kiến trái phép".into())],
        ),
        (
            "post",
            "/cell-meetings/{id}/tasks",
            format!("/cell-meetings/{cell_meeting}/tasks"),
            vec![("member_id", bloc_member.to_string()), ("title", "Ngoài phạm vi".into())],
        ),
        ("post", "/cell-meetings/{id}/files", format!("/cell-meetings/{cell_meeting}/files"), vec![]),
        (
            "post",
            "/cell-meeting-tasks/{id}/report",
            format!("/cell-meeting-tasks/{member_task}/report"),
            vec![("progress", "100".into())],
        ),
        (
            "post",
            "/cell-meeting-tasks/{id}/review",
            format!("/cell-meeting-tasks/{member_task}/review"),
            vec![("accept", "true".into())],
        ),
        ("get", "/petitions", format!("/petitions?org_id={bloc}"), vec![]),
        (
            "post",
            "/petitions",
            "/petitions".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("channel", "post".into()),
                ("kind", "feedback".into()),
                ("summary", "Ngoài".into()),
            ],
        ),
        ("get", "/petitions/new", format!("/petitions/new?org_id={bloc}"), vec![]),
        ("get", "/petitions/figures", format!("/petitions/figures?org_id={bloc}"), vec![]),
        ("get", "/petitions/report", format!("/petitions/report?org_id={bloc}"), vec![]),
        ("get", "/petitions/{id}", format!("/petitions/{petition}"), vec![]),
        ("get", "/petitions/{id}/letter", format!("/petitions/{petition}/letter?kind=transfer"), vec![]),
        ("post", "/petitions/{id}/scans", format!("/petitions/{petition}/scans"), vec![]),
        ("get", "/petition-scans/{id}", format!("/petition-scans/{scan}"), vec![]),
        ("post", "/petitions/{id}/steps", format!("/petitions/{petition}/steps"), vec![("event", "withdraw".into())]),
        (
            "post",
            "/petitions/{id}/handlers",
            format!("/petitions/{petition}/handlers"),
            vec![("user_id", khoi.to_string())],
        ),
        (
            "post",
            "/petitions/{id}/disclosures",
            format!("/petitions/{petition}/disclosures"),
            vec![("user_id", khoi.to_string()), ("reason", "Ngoài phạm vi".into())],
        ),
        ("get", "/orgs/{id}/receptions", format!("/orgs/{bloc}/receptions"), vec![]),
        (
            "post",
            "/orgs/{id}/receptions",
            format!("/orgs/{bloc}/receptions"),
            vec![("leader", "Ngoài".into()), ("people", "1".into()), ("matters", "Ngoài".into())],
        ),
        ("get", "/rewards", format!("/rewards?org_id={bloc}"), vec![]),
        ("get", "/rewards/badges", format!("/rewards/badges?org_id={bloc}"), vec![]),
        (
            "post",
            "/rewards/badges",
            "/rewards/badges".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("member", bloc_member.to_string()),
                ("decided_on", "2026-02-03".into()),
            ],
        ),
        ("get", "/rewards/badges/list", format!("/rewards/badges/list?org_id={bloc}"), vec![]),
        ("get", "/rewards/figures", format!("/rewards/figures?org_id={bloc}"), vec![]),
        ("get", "/rewards/figures/xlsx", format!("/rewards/figures/xlsx?org_id={bloc}"), vec![]),
        ("get", "/awards/{id}", format!("/awards/{award}"), vec![]),
        ("post", "/awards/{id}/ceremony", format!("/awards/{award}/ceremony"), vec![("held_on", "2026-02-03".into())]),
        (
            "post",
            "/award-proposals",
            "/award-proposals".into(),
            vec![("org_id", bloc_cell.to_string()), ("kind", "certificate".into()), ("title", "Ngoài".into())],
        ),
        ("get", "/award-proposals/{id}", format!("/award-proposals/{proposal}"), vec![]),
        (
            "post",
            "/award-proposals/{id}/items",
            format!("/award-proposals/{proposal}/items"),
            vec![("member_id", bloc_member.to_string()), ("achievement", "Ngoài".into())],
        ),
        (
            "post",
            "/award-proposals/{id}/items/delete",
            format!("/award-proposals/{proposal}/items/delete"),
            vec![("item_id", "1".into())],
        ),
        (
            "post",
            "/award-proposals/{id}/steps",
            format!("/award-proposals/{proposal}/steps"),
            vec![("event", "withdraw".into())],
        ),
        (
            "post",
            "/campaigns",
            "/campaigns".into(),
            vec![
                ("org_id", bloc.to_string()),
                ("theme", "Ngoài".into()),
                ("starts_on", "2026-01-01".into()),
                ("ends_on", "2026-12-31".into()),
                ("criteria", "Ngoài".into()),
            ],
        ),
        ("get", "/campaigns/{id}", format!("/campaigns/{campaign}"), vec![]),
        (
            "post",
            "/campaigns/{id}/units",
            format!("/campaigns/{campaign}/units"),
            vec![("act", "register".into()), ("text", "Ngoài".into())],
        ),
        ("post", "/campaigns/{id}/close", format!("/campaigns/{campaign}/close"), vec![("summary", "Ngoài".into())]),
        ("get", "/dues", format!("/dues?org_id={bloc}"), vec![]),
        ("get", "/dues/book", format!("/dues/book?org_id={bloc_cell}"), vec![]),
        (
            "post",
            "/dues/book",
            "/dues/book".into(),
            vec![
                ("org_id", bloc_cell.to_string()),
                ("month", "2026-01".into()),
                ("paid_on", "2026-01-05".into()),
                ("method", "cash".into()),
                ("member", bloc_member.to_string()),
            ],
        ),
        ("get", "/members/{id}/dues", format!("/members/{bloc_member}/dues"), vec![]),
        ("get", "/me/dues", "/me/dues".into(), vec![]),
        ("get", "/me/record", "/me/record".into(), vec![]),
        (
            "post",
            "/members/{id}/dues/basis",
            format!("/members/{bloc_member}/dues/basis"),
            vec![("from", "2026-01".into()), ("category", "student".into())],
        ),
        (
            "post",
            "/members/{id}/dues/payments",
            format!("/members/{bloc_member}/dues/payments"),
            vec![
                ("month", "2026-01".into()),
                ("amount", "5000".into()),
                ("paid_on", "2026-01-05".into()),
                ("method", "cash".into()),
            ],
        ),
        (
            "post",
            "/members/{id}/dues/exemptions",
            format!("/members/{bloc_member}/dues/exemptions"),
            vec![("kind", "social_pension".into()), ("from", "2026-01".into()), ("reference", "Ngoài".into())],
        ),
        ("get", "/audit", "/audit".into(), vec![]),
        ("get", "/settings", "/settings".into(), vec![]),
        ("post", "/settings", "/settings".into(), vec![("reminder_days", "30".into())]),
        ("post", "/logout", "/logout".into(), vec![]),
    ];

    // Every page route has a row, and every row is a page route.
    let served: BTreeSet<&str> = dangvu_web::page_paths().into_iter().collect();
    let covered: BTreeSet<&str> = cases.iter().map(|(_, route, _, _)| *route).collect();
    assert_eq!(covered, served, "the page scope walk must cover exactly the page routes");
    for route in &served {
        for method in ["get", "post"] {
            if cases.iter().any(|(m, r, _, _)| *m == method && r == route) {
                continue;
            }
            let path = route.replace("{id}", &bloc.to_string());
            let request = app.http.request(method.to_uppercase().parse().unwrap(), app.url(&path));
            let status = request.header("cookie", &cookie).send().await.unwrap().status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {route} has no row in the page scope walk");
        }
    }

    let before = app.audit_len().await;
    let mut own_changes = 0;
    for (method, route, path, fields) in &cases {
        let (status, location, text) = if *method == "get" {
            let (status, text) = page(&app, &cookie, path).await;
            (status, String::new(), text)
        } else {
            let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            if UPLOADS.contains(route) {
                let csv =
                    "Họ và tên,Ngày sinh,Giới tính,Trạng thái,Ngày vào Đảng\nA,01/01/1990,Nam,chính thức,19/05/2015\n";
                let (content_type, body) = multipart(&form, Some(("file", "tep.csv", csv.as_bytes())));
                let res = app
                    .http
                    .post(app.url(path))
                    .header("cookie", &cookie)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let location =
                    res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
                (status, location, res.text().await.unwrap())
            } else {
                post_form(&app, &cookie, path, &form).await
            }
        };
        assert!(!status.is_server_error(), "{method} {path} answered {status}: {text}");
        // A page may answer, with nothing of the bloc on it; a change may not happen.
        for word in ["DUK-CCQ", "Khối các cơ quan"] {
            assert!(!(status.is_success() && text.contains(word)), "{method} {path} showed {word}: {text}");
        }
        if *method == "post" && OWN_REGISTRY.contains(route) {
            assert_eq!(status, StatusCode::SEE_OTHER, "{method} {path}: {text}");
            own_changes += 1;
        } else if *method == "post" && !matches!(*route, "/login" | "/logout") {
            assert!(
                status.is_client_error() || (status.is_success() && location.is_empty()),
                "{method} {path} answered {status} {location} outside the scope"
            );
        }
    }
    assert_eq!(app.audit_len().await, before + own_changes, "no page changed anything outside the scope");
    let registered = app.db.query_one("SELECT org_id FROM documents WHERE number = '13-KH/ĐUK'", &[]).await.unwrap();
    assert_eq!(registered.map(|r| r.int(0).unwrap()), Some(ward), "the document went into the ward's own registry");
}
