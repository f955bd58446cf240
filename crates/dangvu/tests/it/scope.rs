//! Scope: an account sees and changes only its subtree. This test walks every API route
//! as an admin scoped to one ward and aims each at the bloc, outside that scope. A route
//! added to the API without a line here makes the test fail.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::TestApp;

both_backends!(every_route_keeps_to_the_scope);

/// Words that would only appear in an answer that leaked the bloc or its accounts.
const OUTSIDE: [&str; 4] = ["DUK-CCQ", "Khối các cơ quan", "\"khoi\"", "\"tochuc\""];

async fn every_route_keeps_to_the_scope(app: TestApp) {
    let admin = app.login("admin").await;
    let ward = app.org_id("P-TVINH").await;
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "qt.truongvinh", "password": "mat-khau-dai-1", "role": "admin", "org_id": ward}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = app.login_with("qt.truongvinh", "mat-khau-dai-1").await;

    let bloc = app.org_id("DUK-CCQ").await;
    let bloc_cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, kids) = app.get(&token, &format!("/api/v1/orgs?parent_id={ward}")).await;
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
    let token = app.login_with("qt.truongvinh", "mat-khau-dai-1").await;
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
