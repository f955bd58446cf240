//! Documents, meetings and tasks through the API: from a conclusion to a task followed
//! until it is accepted.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, multipart, page, sign_in};

both_backends!(
    documents_registry,
    tasks_from_meeting_to_acceptance,
    reminders_follow_the_setting,
    drafting_from_a_conclusion,
    report_files,
    editing_and_cancelling,
    files_go_with_tasks_and_reports,
    issuing_a_report_numbers_it
);

async fn editing_and_cancelling(app: TestApp) {
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;
    let ward = app.org_id("P-TVINH").await;
    let (_, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Rà soát hồ sơ", "lead_org_id": commune, "due_on": "2030-03-31"}),
        )
        .await;
    let id = task["id"].as_i64().unwrap();
    let path = format!("/api/v1/tasks/{id}");

    // A new deadline needs a reason; a bad edit changes nothing.
    let (status, body) = app.send("PATCH", &path, Some(&office), Some(json!({"due_on": "2030-06-30"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "reason");
    let (status, body) = app
        .send("PATCH", &path, Some(&office), Some(json!({"title": "", "support_org_ids": [commune], "due_on": "x"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, same) = app.get(&office, &path).await;
    assert_eq!(same["title"], "Rà soát hồ sơ");
    assert_eq!(same["due_on"], "2030-03-31");

    let (status, edited) = app
        .send(
            "PATCH",
            &path,
            Some(&office),
            Some(json!({"title": "Rà soát, cập nhật hồ sơ", "support_org_ids": [ward], "due_on": "2030-06-30",
                        "reason": "Gia hạn theo đề nghị của đơn vị"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"], "Rà soát, cập nhật hồ sơ");
    assert_eq!(edited["due_on"], "2030-06-30");
    assert_eq!(edited["support_org_ids"], json!([ward]));
    // `null` clears the deadline; a field left out keeps its value.
    let (_, cleared) = app
        .send("PATCH", &path, Some(&office), Some(json!({"due_on": null, "reason": "Chưa xác định thời hạn"})))
        .await;
    assert_eq!(cleared["due_on"], serde_json::Value::Null);
    assert_eq!(cleared["title"], "Rà soát, cập nhật hồ sơ");
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=10").await;
    assert!(log.to_string().contains("Gia hạn theo đề nghị của đơn vị"), "{log}");

    // Only the office that assigned it edits or cancels.
    let secretary = app.login("bithu").await;
    let (status, _) = app.send("PATCH", &path, Some(&secretary), Some(json!({"title": "x"}))).await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");

    let (status, body) = app.post(&office, &format!("{path}/cancel"), json!({"reason": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, cancelled) =
        app.post(&office, &format!("{path}/cancel"), json!({"reason": "Đã lồng ghép vào nhiệm vụ khác"})).await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["cancel_reason"], "Đã lồng ghép vào nhiệm vụ khác");
    assert!(cancelled["cancelled_on"].is_string());

    // Gone from lists and counts, still readable, closed to reports and edits.
    let (_, list) = app.get(&office, &format!("/api/v1/tasks?org_id={commune}&limit=500")).await;
    assert!(list["items"].as_array().unwrap().iter().all(|t| t["id"] != id));
    let (status, _) = app.get(&office, &path).await;
    assert_eq!(status, StatusCode::OK);
    let admin = app.login("admin").await;
    let (status, _) = app.post(&admin, &format!("{path}/reports"), json!({"progress": 10})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.send("PATCH", &path, Some(&office), Some(json!({"title": "x"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn upload(app: &TestApp, token: &str, path: &str, bytes: &[u8]) -> (StatusCode, serde_json::Value) {
    let res = app.http.post(app.url(path)).bearer_auth(token).body(bytes.to_vec()).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or_default())
}

async fn files_go_with_tasks_and_reports(app: TestApp) {
    let office = app.login("vanphong").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Nộp biên bản sinh hoạt", "lead_org_id": cell, "due_on": "2030-01-31"}),
        )
        .await;
    let id = task["id"].as_i64().unwrap();

    // The lead cell reports and attaches its minutes to that report.
    let secretary = app.login("bithu").await;
    let (_, _) = app.post(&secretary, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 50})).await;
    let (_, reports) = app.get(&secretary, &format!("/api/v1/tasks/{id}/reports")).await;
    let report_id = reports["items"][0]["id"].as_i64().unwrap();
    let minutes = "%PDF-1.4\nBiên bản họp chi bộ tháng 11".as_bytes();
    let (status, file) = upload(
        &app,
        &secretary,
        &format!("/api/v1/tasks/{id}/files?name=Biên%20bản%20tháng%2011.pdf&report_id={report_id}"),
        minutes,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{file}");
    assert_eq!(file["name"], "Biên bản tháng 11.pdf");
    assert_eq!(file["report_id"], report_id);
    assert_eq!(file["size"], minutes.len());

    // Pages of HTML, empty files and files over 20 MB are refused, and nothing is kept.
    let before = app.audit_len().await;
    let (status, body) = upload(&app, &secretary, &format!("/api/v1/tasks/{id}/files?name=x.html"), b"<script>").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = upload(&app, &secretary, &format!("/api/v1/tasks/{id}/files?name=x.pdf"), b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let big = vec![b'x'; 20 * 1024 * 1024 + 1];
    let (status, _) = upload(&app, &secretary, &format!("/api/v1/tasks/{id}/files?name=x.pdf"), &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.audit_len().await, before);

    // The office downloads it as it was sent; the name survives the header.
    let (_, list) = app.get(&office, &format!("/api/v1/tasks/{id}/files")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let res =
        app.http.get(app.url(&format!("/api/v1/files/{}", file["id"]))).bearer_auth(&office).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n"), "{disposition}");
    assert_eq!(&res.bytes().await.unwrap()[..], minutes);

    // A commune outside the bloc neither reads nor adds files.
    let (status, _) = app
        .post(&app.login("admin").await, "/api/v1/users", json!({"username": "vp.cualo", "password": "mat-khau-dai-1", "role": "office", "org_id": app.org_id("P-CLO").await}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let outsider = app.login_with("vp.cualo", "mat-khau-dai-1").await;
    let (status, _) = app.get(&outsider, &format!("/api/v1/files/{}", file["id"])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload(&app, &outsider, &format!("/api/v1/tasks/{id}/files?name=a.pdf"), b"%PDF").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn issuing_a_report_numbers_it(app: TestApp) {
    let office = app.login("vanphong").await;
    let (status, first) = app.post(&office, "/api/v1/reports/tasks", json!({"period": "2024"})).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let number = first["document"]["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("01-BC/"), "{number}");
    assert_eq!(first["document"]["type"], "BC");
    let names: Vec<&str> = first["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["bao-cao-nhiem-vu-2024-so-01.pdf", "bao-cao-nhiem-vu-2024-so-01.docx"]);

    // The next one takes the next serial; another symbol starts its own sequence.
    let (_, second) = app.post(&office, "/api/v1/reports/tasks", json!({"period": "2024-H2"})).await;
    assert!(second["document"]["number"].as_str().unwrap().starts_with("02-BC/"), "{second}");
    // A new term restarts the serials (36-HD/VPTW): 15-BC/TU of the last term does not count.
    let (status, _) = app
        .post(
            &office,
            "/api/v1/documents",
            json!({"number": "15-BC/TU", "title": "Báo cáo cũ", "issued_on": "2025-06-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let admin = app.login("admin").await;
    let (status, _) = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"term_starts_on": "31/02/2025", "reminder_days": 3})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, settings) = app.get(&admin, "/api/v1/settings").await;
    assert_eq!(settings["reminder_days"], 7, "a refused change writes nothing");
    let (status, _) =
        app.send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"term_starts_on": "01/07/2025"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, own) = app.post(&office, "/api/v1/reports/tasks", json!({"period": "2024", "symbol": "TU"})).await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    assert_eq!(own["document"]["number"], "01-BC/TU");
    let (status, body) = app.post(&office, "/api/v1/reports/tasks", json!({"period": "2024", "symbol": "T/U"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // The issued PDF is kept, with its number in it.
    let pdf = first["files"][0]["id"].as_i64().unwrap();
    let res = app.http.get(app.url(&format!("/api/v1/files/{pdf}"))).bearer_auth(&office).send().await.unwrap();
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let doc = first["document"]["id"].as_i64().unwrap();
    let (_, files) = app.get(&office, &format!("/api/v1/documents/{doc}/files")).await;
    assert_eq!(files["items"].as_array().unwrap().len(), 2);
    // Only the office (or an admin) issues.
    let (status, _) = app.post(&app.login("lanhdao").await, "/api/v1/reports/tasks", json!({"period": "2024"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The report of the demo province for 2024, in the three formats.
async fn report_files(app: TestApp) {
    let office = app.login("vanphong").await;
    for (format, content_type, magic) in [
        ("pdf", "application/pdf", &b"%PDF"[..]),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &b"PK"[..]),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &b"PK"[..]),
    ] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/reports/tasks?period=2024&format={format}")))
            .bearer_auth(&office)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{format}");
        assert_eq!(res.headers()["content-type"], content_type);
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("bao-cao-nhiem-vu-2024"));
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        assert!(bytes.len() > 1000, "{format}: {} bytes", bytes.len());
    }
    let (status, body) = app.get(&office, "/api/v1/reports/tasks?period=2024&format=odt").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.get(&office, "/api/v1/reports/tasks?period=2024-Q7&format=pdf").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn drafting_from_a_conclusion(app: TestApp) {
    let office = app.login("vanphong").await;
    let text = "Đồng chí Bí thư kết luận, đề nghị:\n\
        (1) Giao Đảng ủy Khối các cơ quan tỉnh chủ trì, phối hợp với Đảng bộ phường Trường Vinh rà soát, kiện toàn tổ chức đảng, hoàn thành trước ngày 15/5/2025.\n\
        (2) Sở Tài chính tham mưu bố trí kinh phí trong quý III.\n\
        (3) Giao Sở Mặt Trăng chủ trì báo cáo xong trong cuối năm 2024.\n\
        (4) Tăng cường kiểm tra, giám sát.";
    let (status, draft) =
        app.post(&office, "/api/v1/tasks/extract", json!({"text": text, "reference_date": "2025-03-10"})).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let tasks = draft["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 4, "{draft}");
    assert_eq!(tasks[0]["ordinal"], 1);
    assert_eq!(tasks[0]["due_on"], "2025-05-15");
    assert_eq!(tasks[0]["lead"][0]["org_id"], app.org_id("DUK-CCQ").await, "{draft}");
    assert_eq!(tasks[0]["support"][0]["org_id"], app.org_id("P-TVINH").await, "{draft}");
    assert_eq!(tasks[1]["due_on"], "2025-09-30");
    assert_eq!(tasks[1]["lead"][0]["org_id"], app.org_id("DUK-CCQ-STC").await, "{draft}");
    // An unknown unit is shown as written, never invented; a past deadline is flagged.
    assert_eq!(tasks[2]["lead"][0]["org_id"], serde_json::Value::Null);
    assert!(tasks[2]["lead"][0]["name"].as_str().unwrap().contains("Mặt Trăng"));
    assert_eq!(tasks[2]["due_on"], "2024-12-31");
    assert!(!tasks[2]["warnings"].as_array().unwrap().is_empty());
    assert_eq!(tasks[3]["due_on"], serde_json::Value::Null);

    // Odd input is 200 or 422, never a 500; nothing is stored.
    let before = app.audit_len().await;
    for odd in ["", "(((((", "\u{0301}\u{0301}", "1. 2. 3. 4.", "trước ngày 31/2/2025"] {
        let (status, _) =
            app.post(&office, "/api/v1/tasks/extract", json!({"text": odd, "reference_date": "2025-01-01"})).await;
        assert_eq!(status, StatusCode::OK, "{odd:?}");
    }
    let (status, _) =
        app.post(&office, "/api/v1/tasks/extract", json!({"text": "x", "reference_date": "hôm nay"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_len().await, before);
}

async fn reminders_follow_the_setting(app: TestApp) {
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;
    let today = dangvu_domain::calendar::today();
    let in_days = |n: u64| (today + chrono::Days::new(n)).format("%Y-%m-%d").to_string();
    let yesterday = today.pred_opt().unwrap().format("%Y-%m-%d").to_string();
    for (title, due) in [("Sắp đến hạn", in_days(3)), ("Còn xa", in_days(20)), ("Vừa quá hạn", yesterday)]
    {
        let (status, _) =
            app.post(&office, "/api/v1/tasks", json!({"title": title, "lead_org_id": commune, "due_on": due})).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, r) = app.get(&office, "/api/v1/me/reminders").await;
    let titles = |key: &str| -> Vec<String> {
        r[key].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(r["days"], 7);
    assert!(titles("due_soon").contains(&"Sắp đến hạn".to_owned()));
    assert!(!titles("due_soon").contains(&"Còn xa".to_owned()));
    assert_eq!(titles("missed_today"), ["Vừa quá hạn"]);

    // Only an admin of the whole tree changes the number of days.
    let (status, _) = app.send("PUT", "/api/v1/settings", Some(&office), Some(json!({"reminder_days": 30}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let (status, _) = app.send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"reminder_days": 99}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, s) = app.send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"reminder_days": 30}))).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let (_, r) = app.get(&office, "/api/v1/me/reminders").await;
    assert!(r["due_soon"].as_array().unwrap().iter().any(|t| t["title"] == "Còn xa"));
}

async fn documents_registry(app: TestApp) {
    let office = app.login("vanphong").await;
    let (status, doc) = app
        .post(&office, "/api/v1/documents", json!({"number": "Số 45-CT/TW", "title": "Chỉ thị về thí điểm số hóa hồ sơ đảng viên", "issued_on": "2024-06-14"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["number"], "45-CT/TW");
    assert_eq!(doc["type"], "CT");
    assert_eq!(doc["issuer"], "TW");
    assert_eq!(doc["serial"], 45);
    assert_eq!(doc["org_id"], app.org_id("TU-NA").await);

    let (status, body) = app
        .post(&office, "/api/v1/documents", json!({"number": "45-CT/TW", "title": "Trùng", "issued_on": "2024-06-14"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app
        .post(
            &office,
            "/api/v1/documents",
            json!({"number": "Số: 12/QĐ-UBND", "title": "Văn bản nhà nước", "issued_on": "2024-06-14"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "number");
    app.post(
        &office,
        "/api/v1/documents",
        json!({"number": "163-KH/TU", "title": "Kế hoạch thực hiện Chỉ thị 45 về số hóa", "issued_on": "2024-07-01"}),
    )
    .await;

    // Search by number or title words, without diacritics, and by date.
    let (_, found) = app.get(&office, "/api/v1/documents?q=thi%20diem").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let (_, found) = app.get(&office, "/api/v1/documents?q=chi%20thi%2045").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 2);
    let (_, found) = app.get(&office, "/api/v1/documents?q=163-KH").await;
    assert_eq!(found["items"][0]["number"], "163-KH/TU");
    let (_, found) = app.get(&office, "/api/v1/documents?q=chi%20thi%2045&from=2024-06-20").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);

    // The bloc reads the province's documents (they come down), and cannot register.
    let bloc = app.login("khoi").await;
    let (_, found) = app.get(&bloc, "/api/v1/documents?q=chi%20thi%2045").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 2);
    let (status, _) = app
        .post(&bloc, "/api/v1/documents", json!({"number": "1-KH/ĐUK", "title": "x", "issued_on": "2024-06-14"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn tasks_from_meeting_to_acceptance(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let finance = app.org_id("DUK-CCQ-STC").await;
    let planning = app.org_id("DUK-CCQ-SKHDT").await;
    let (status, meeting) = app
        .post(&office, "/api/v1/meetings", json!({
            "org_id": province, "title": "Hội nghị Ban Thường vụ Tỉnh ủy quý II/2025", "held_on": "2025-06-20",
            "kind": "standing_board", "chair": "Đồng chí Bí thư Tỉnh ủy",
            "conclusion": "(1) Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát nguồn vốn, hoàn thành trước ngày 15/7/2025."
        }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    let (status, body) = app
        .post(
            &office,
            "/api/v1/meetings",
            json!({"org_id": province, "title": "X", "held_on": "2025-13-01", "kind": "tiệc"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let (status, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({
                "title": "Rà soát nguồn vốn đầu tư công", "lead_org_id": finance, "support_org_ids": [planning],
                "due_on": "2025-07-15", "meeting_id": meeting["id"]
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let id = task["id"].as_i64().unwrap();
    assert_eq!(task["org_id"], province, "assigned by the meeting's host");
    assert_eq!(task["status"], "overdue", "its deadline has passed");
    assert_eq!(task["support_org_ids"], json!([planning]));

    // Invalid tasks change nothing.
    let before = app.audit_len().await;
    for (body, field) in [
        (json!({"title": "", "lead_org_id": finance}), "title"),
        (json!({"title": "A", "lead_org_id": finance, "support_org_ids": [finance]}), "support_org_ids"),
        (json!({"title": "A", "lead_org_id": finance, "due_on": "31/02/2025"}), "due_on"),
        (json!({"title": "A", "lead_org_id": finance, "recurrence": "weekly", "due_on": "2025-07-01"}), "recurrence"),
        (json!({"title": "A", "lead_org_id": 99999999}), "lead_org_id"),
    ] {
        let (status, answer) = app.post(&office, "/api/v1/tasks", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{body}");
    }
    assert_eq!(app.audit_len().await, before);

    // The queue of the lead and of the supporting unit.
    let (_, list) = app.get(&office, &format!("/api/v1/tasks?org_id={finance}&status=overdue")).await;
    assert_eq!(list["items"][0]["id"], id);
    let (_, list) = app.get(&office, &format!("/api/v1/tasks?org_id={planning}")).await;
    assert_eq!(list["items"][0]["id"], id, "supporting units see it too");
    let (_, list) = app.get(&office, &format!("/api/v1/tasks?org_id={finance}&status=open")).await;
    assert_eq!(list["items"], json!([]));

    // The bloc reports; a viewer cannot.
    let bloc = app.login("khoi").await;
    let (status, t) = app
        .post(&bloc, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 60, "note": "Đã rà soát 3/5 dự án"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(t["progress"], 60);
    let viewer = app.login("lanhdao").await;
    let (status, _) = app.post(&viewer, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 70})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post(&bloc, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 170})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, t) = app
        .post(&bloc, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 100, "note": "Xong", "done": true}))
        .await;
    assert_eq!(t["status"], "done_late");
    assert_eq!(t["review"], "pending");

    // Only the office that assigned it reviews; returned, it is late again.
    let (status, _) = app.post(&bloc, &format!("/api/v1/tasks/{id}/review"), json!({"accept": true})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post(&office, &format!("/api/v1/tasks/{id}/review"), json!({"accept": false})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a return needs a reason");
    let (_, t) = app
        .post(&office, &format!("/api/v1/tasks/{id}/review"), json!({"accept": false, "note": "Thiếu số liệu"}))
        .await;
    assert_eq!(t["status"], "overdue");
    assert_eq!(t["review"], "returned");
    app.post(&bloc, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 100, "done": true})).await;
    let (_, t) = app.post(&office, &format!("/api/v1/tasks/{id}/review"), json!({"accept": true})).await;
    assert_eq!(t["review"], "accepted");
    let (_, reports) = app.get(&office, &format!("/api/v1/tasks/{id}/reports")).await;
    let kinds: Vec<&str> = reports["items"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["progress", "progress", "returned", "progress", "accepted"]);

    // A monthly report duty rolls to the next deadline when a period is done.
    let (_, duty) = app
        .post(&office, "/api/v1/tasks", json!({"title": "Báo cáo tình hình hằng tháng", "lead_org_id": planning, "due_on": "2025-01-31", "recurrence": "monthly"}))
        .await;
    let (_, duty) =
        app.post(&bloc, &format!("/api/v1/tasks/{}/reports", duty["id"]), json!({"progress": 100, "done": true})).await;
    assert_eq!(duty["due_on"], "2025-02-28");
    assert_eq!(duty["done_on"], serde_json::Value::Null);

    // The summary of the province for 2025: one done late, one overdue report duty, and the
    // demo's approval of the bloc's 2025 election (done 28/8/2025, no deadline).
    let (status, s) =
        app.get(&office, &format!("/api/v1/tasks/summary?org_id={province}&from=2025-01-01&to=2025-12-31")).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["total"], 3);
    assert_eq!(s["done_late"], 1);
    assert_eq!(s["overdue"], 1);
    let by: Vec<i64> = s["by_org"].as_array().unwrap().iter().map(|o| o["org_id"].as_i64().unwrap()).collect();
    assert!(by.contains(&finance) && by.contains(&planning));
    let (_, s) = app.get(&office, "/api/v1/tasks/summary?period=2025-Q3").await;
    assert_eq!(s["total"], 2, "the approval, done in August, is one of them: {s}");
    let (status, _) = app.get(&office, "/api/v1/tasks/summary?period=2025-Q9").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, of_meeting) = app.get(&office, &format!("/api/v1/meetings/{}/tasks", meeting["id"])).await;
    assert_eq!(of_meeting["items"].as_array().unwrap().len(), 1);
}

both_backends!(reminders_by_email);

/// A relay that takes every message and keeps its text: the SMTP dialogue at its plainest.
pub(crate) async fn fake_relay() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (sender, received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let sender = sender.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 relay ready\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = data.as_mut() {
                        if line == "." {
                            sender.send(std::mem::take(text)).unwrap();
                            data = None;
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.get(..4).unwrap_or_default().to_ascii_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250 relay\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, received)
}

async fn reminders_by_email(app: TestApp) {
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;
    let today = dangvu_domain::calendar::today();
    let due = (today + chrono::Days::new(2)).format("%Y-%m-%d").to_string();
    let (status, _) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Báo cáo sơ kết công tác dân vận", "lead_org_id": commune, "due_on": due}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = app.send("PUT", "/api/v1/me/email", Some(&office), Some(json!({"email": "vanphong@"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "email");
    let (status, _) =
        app.send("PUT", "/api/v1/me/email", Some(&office), Some(json!({"email": "vanphong@tinhuy.example.vn"}))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (url, mut received) = fake_relay().await;
    let mailer = dangvu_web::tasks::reminders::Mailer::new(
        &url,
        "Văn phòng Tỉnh ủy <dangvu@tinhuy.example.vn>",
        Some("https://dangvu.example.vn/".into()),
    )
    .unwrap();
    assert_eq!(dangvu_web::tasks::reminders::send_due(&app.db, &mailer, today).await.unwrap(), 1);
    let message = received.recv().await.unwrap();
    assert!(message.contains("To: vanphong@tinhuy.example.vn"), "{message}");
    assert!(message.contains("Subject:"), "{message}");
    assert!(message.contains("Content-Transfer-Encoding: base64"), "{message}");
    let encoded: String = message.split("\n\n").nth(1).unwrap().split_whitespace().collect();
    use base64::Engine as _;
    let body = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap();
    assert!(body.contains("Báo cáo sơ kết công tác dân vận"), "{body}");
    assert!(body.contains("https://dangvu.example.vn/tasks/"), "{body}");
    // Once a day, whichever server asks again.
    assert_eq!(dangvu_web::tasks::reminders::send_due(&app.db, &mailer, today).await.unwrap(), 0);
    // A relay that cannot be reached leaves the day's message to a later round.
    let down = dangvu_web::tasks::reminders::Mailer::new("smtp://127.0.0.1:9", "dangvu@localhost", None).unwrap();
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(dangvu_web::tasks::reminders::send_due(&app.db, &down, tomorrow).await.unwrap(), 0);
    assert_eq!(dangvu_web::tasks::reminders::send_due(&app.db, &mailer, tomorrow).await.unwrap(), 1);
}

both_backends!(pages_follow_a_task);

/// The office records a meeting, assigns a task from it, the lead unit reports, and the
/// dashboard counts it: every step through the forms.
async fn pages_follow_a_task(app: TestApp) {
    let office = sign_in(&app, "vanphong").await;
    let (_, html) = page(&app, &office, "/meetings").await;
    let csrf = csrf_of(&html);
    let form = |cookie: &str, path: &str, body: String| {
        app.http
            .post(app.url(path))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let res = form(&office, "/meetings", format!(
        "csrf={csrf}&org_code=TU-NA&title=H%E1%BB%99i+ngh%E1%BB%8B+BTV&kind=standing_board&held_on=2025-06-20&conclusion=%281%29+Giao+S%E1%BB%9F+T%C3%A0i+ch%C3%ADnh"
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let meeting_url = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = page(&app, &office, &meeting_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hội nghị BTV") && html.contains("Giao Sở Tài chính"));

    // A bad form shows the reason; a good one assigns the task.
    let res = form(
        &office,
        "/tasks/new",
        format!("csrf={csrf}&title=R%C3%A0+so%C3%A1t&lead_code=KHONG-CO&due_on=2025-07-15"),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("KHONG-CO"));
    let res = form(&office, "/tasks/new", format!(
        "csrf={csrf}&title=R%C3%A0+so%C3%A1t+ngu%E1%BB%93n+v%E1%BB%91n&lead_code=DUK-CCQ-STC&support_codes=DUK-CCQ-SKHDT&due_on=2025-07-15&recurrence="
    ))
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let task_url = res.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();

    // The bloc sees it in its queue, late, and reports it done.
    let bloc = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &bloc, "/tasks").await;
    assert!(html.contains("Rà soát nguồn vốn") && html.contains("Quá hạn"));
    let (_, html) = page(&app, &bloc, &task_url).await;
    let bloc_csrf = csrf_of(&html);
    let upload = |cookie: &str, path: String, (content_type, body): (String, Vec<u8>)| {
        app.http.post(app.url(&path)).header("cookie", cookie).header("content-type", content_type).body(body).send()
    };
    // A file of a kind that is refused refuses the whole report.
    let fields = [("csrf", bloc_csrf.as_str()), ("progress", "100"), ("note", "Xong"), ("done", "1")];
    let res = upload(&bloc, format!("{task_url}/report"), multipart(&fields, Some(("file", "trang.html", b"<b>"))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không thuộc loại được nhận"));
    let (_, html) = page(&app, &bloc, &task_url).await;
    assert!(html.contains("Chưa có báo cáo"));
    let report = multipart(&fields, Some(("file", "Báo cáo kết quả.pdf", b"%PDF-1.4 ket qua")));
    let res = upload(&bloc, format!("{task_url}/report"), report).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &bloc, &task_url).await;
    assert!(html.contains("Hoàn thành quá hạn") && html.contains("Chờ Văn phòng xem xét"));
    assert!(html.contains("Báo cáo kết quả.pdf"), "the file is listed with the task");
    let at = html.find("href=\"/files/").expect("a link to the file") + 6;
    let file_url = html[at..].split('"').next().unwrap().to_owned();
    let res = app.http.get(app.url(&file_url)).header("cookie", &office).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(&res.bytes().await.unwrap()[..], b"%PDF-1.4 ket qua");
    // Without the session's token, nothing is taken.
    let res = upload(&bloc, format!("{task_url}/files"), multipart(&[("csrf", "x")], Some(("file", "a.pdf", b"%PDF"))))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The office accepts; the dashboard of 2025 counts it.
    let res = form(&office, &format!("{task_url}/review"), format!("csrf={csrf}&decision=accept&note=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = page(&app, &office, "/dashboard?period=2025").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đảng bộ Sở Tài chính") && html.contains("Hoàn thành quá hạn"));
    assert!(html.contains("<svg"), "the trend chart is drawn");

    // Documents: register one and find it without diacritics.
    let res = form(&office, "/documents", format!("csrf={csrf}&number=163-KH%2FTU&title=K%E1%BA%BF+ho%E1%BA%A1ch+%C4%91%E1%BA%A1i+h%E1%BB%99i&issued_on=2025-07-01")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, "/documents?q=ke+hoach+dai+hoi").await;
    assert!(html.contains("163-KH/TU") && html.contains("Kế hoạch"));

    // The office issues the year's report from the dashboard: numbered, registered, kept.
    let res = form(&office, "/reports/tasks", format!("csrf={csrf}&period=2025&symbol=")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let doc_url = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = page(&app, &office, &doc_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("01-BC/") && html.contains("bao-cao-nhiem-vu-2025-so-01.pdf"), "{html}");

    // A task is edited (a new deadline needs a reason) and cancelled.
    let res = form(
        &office,
        "/tasks/new",
        format!("csrf={csrf}&title=Vi%E1%BB%87c+th%E1%BB%AD&lead_code=P-CLO&due_on=2031-01-31"),
    )
    .await
    .unwrap();
    let url = res.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let (status, html) = page(&app, &office, &format!("{url}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    // The lead is shown by its name beside its parent's, never as a code to type.
    assert!(html.contains("Việc thử") && html.contains(" · Đảng bộ tỉnh Nghệ An"), "{html}");
    assert!(!html.contains("value=\"P-CLO\""));
    let edit = |reason: &str| {
        format!(
            "csrf={csrf}&title=Vi%E1%BB%87c+th%E1%BB%AD&lead_code=P-CLO&support_codes=&due_on=2031-03-31&recurrence=&detail=&reason={reason}"
        )
    };
    let res = form(&office, &format!("{url}/edit"), edit("")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("lý do"));
    let res = form(&office, &format!("{url}/edit"), edit("Gia+h%E1%BA%A1n")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("31/03/2031"));
    let res = form(&office, &format!("{url}/cancel"), format!("csrf={csrf}&reason=Kh%C3%B4ng+c%C3%B2n+c%E1%BA%A7n"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &office, &url).await;
    assert!(html.contains("Nhiệm vụ đã hủy") && html.contains("Không còn cần"));
    assert!(!html.contains("Sửa nhiệm vụ"));
}
