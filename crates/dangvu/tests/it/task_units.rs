//! Bodies as task owners (a board, the office, a đảng đoàn …), the conclusion reader matching a
//! name to the body before a cell of the same name, and the office's review queue.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    bodies_lead_and_support_tasks,
    the_reader_matches_bodies_first,
    results_wait_in_the_review_queue,
    every_unit_field_takes_a_name_beside_its_parent,
    late_work_is_carried_into_the_next_periods,
    the_task_report_is_headed_as_the_party_writes_it
);

/// The id of the body of `org` named `name`.
async fn body(app: &TestApp, token: &str, org: i64, name: &str) -> i64 {
    let (_, bodies) = app.get(token, &format!("/api/v1/orgs/{org}/bodies")).await;
    let found = bodies["items"].as_array().unwrap().iter().find(|b| b["name"] == name);
    found.unwrap_or_else(|| panic!("no body {name} in {bodies}"))["id"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

async fn bodies_lead_and_support_tasks(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let board = body(&app, &office, province, "Ban Tổ chức Tỉnh ủy").await;
    let office_body = body(&app, &office, province, "Văn phòng Tỉnh ủy").await;
    let delegation = body(&app, &office, province, "Đảng đoàn Hội đồng nhân dân tỉnh").await;

    let (status, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Thẩm định hồ sơ nhân sự", "lead_body_id": board, "support_body_ids": [office_body, delegation],
                   "due_on": "2030-03-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    assert_eq!(task["lead_body_id"], board);
    assert_eq!(task["lead_org_id"], province, "a body's task counts in its organisation's subtree");
    assert_eq!(task["lead_name"], "Ban Tổ chức Tỉnh ủy");
    let mut support = vec![office_body, delegation];
    support.sort_unstable();
    assert_eq!(task["support_body_ids"], json!(support));
    let id = task["id"].as_i64().unwrap();

    // The board's own queue: what it leads or supports, and nothing of the other bodies.
    let (_, led) = app.get(&office, &format!("/api/v1/tasks?org_id={province}&body_id={board}&limit=500")).await;
    assert!(ids(&led).contains(&id), "{led}");
    let (_, supported) =
        app.get(&office, &format!("/api/v1/tasks?org_id={province}&body_id={delegation}&limit=500")).await;
    assert!(ids(&supported).contains(&id));
    let inspection = body(&app, &office, province, "Ủy ban Kiểm tra Tỉnh ủy").await;
    let (_, other) = app.get(&office, &format!("/api/v1/tasks?org_id={province}&body_id={inspection}&limit=500")).await;
    assert!(!ids(&other).contains(&id));

    // A body can be the lead on an edit too, and a body cannot support itself.
    let path = format!("/api/v1/tasks/{id}");
    let (status, body_err) = app
        .send(
            "PATCH",
            &path,
            Some(&office),
            Some(json!({"lead_body_id": office_body, "support_body_ids": [office_body]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body_err}");
    assert_eq!(body_err["error"]["fields"][0]["field"], "support_body_ids");
    let (status, edited) = app
        .send("PATCH", &path, Some(&office), Some(json!({"lead_body_id": office_body, "support_body_ids": [board]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (edited["lead_body_id"].as_i64(), edited["lead_name"].as_str()),
        (Some(office_body), Some("Văn phòng Tỉnh ủy"))
    );

    // Every refusal names its field and writes nothing.
    let bloc = app.org_id("DUK-CCQ").await;
    for (input, field) in [
        (json!({"title": "A", "lead_body_id": 999_999}), "lead_body_id"),
        (json!({"title": "A", "lead_body_id": board, "lead_org_id": bloc}), "lead_body_id"),
        (json!({"title": "A", "lead_body_id": board, "support_body_ids": [999_999]}), "support_body_ids"),
        (json!({"title": "A"}), "lead_org_id"),
    ] {
        let (status, err) = app.post(&office, "/api/v1/tasks", input.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{input} → {err}");
        assert_eq!(err["error"]["fields"][0]["field"], field, "{input} → {err}");
    }
    // The bloc's organiser sees its own office's work, not the province's boards'.
    let khoi = app.login("khoi").await;
    let (status, err) = app.post(&khoi, "/api/v1/tasks", json!({"title": "A", "lead_body_id": board})).await;
    assert!(matches!(status.as_u16(), 403 | 422), "{status} {err}");
    let (status, _) = app.get(&khoi, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // In the browser, the unit is chosen by name beside its parent, never by code.
    let cookie = sign_in(&app, "vanphong").await;
    let (_, form) = page(&app, &cookie, "/tasks/new").await;
    assert!(form.contains("/units/pick"), "the form offers the unit picker");
    let (_, offered) = page(&app, &cookie, "/units/pick?lead_code=ban+t%E1%BB%95+ch%E1%BB%A9c").await;
    assert!(offered.contains("Ban Tổ chức Tỉnh ủy · Đảng bộ tỉnh Nghệ An"), "{offered}");
    let csrf = csrf_of(&form);
    let (status, _, _) = post_form(
        &app,
        &cookie,
        "/tasks/new",
        &[
            ("csrf", csrf.as_str()),
            ("title", "Chuẩn bị hội nghị sơ kết"),
            ("lead_code", "Ban Tổ chức Tỉnh ủy · Đảng bộ tỉnh Nghệ An"),
            ("support_codes", "Văn phòng Tỉnh ủy · Đảng bộ tỉnh Nghệ An; Chi bộ Văn phòng · Đảng bộ Sở Tài chính"),
            ("due_on", "2030-06-30"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, led) = app
        .get(&office, &format!("/api/v1/tasks?org_id={province}&body_id={board}&q=h%E1%BB%99i+ngh%E1%BB%8B&limit=500"))
        .await;
    let made = &led["items"][0];
    assert_eq!(made["title"], "Chuẩn bị hội nghị sơ kết", "{led}");
    assert_eq!(made["support_body_ids"], json!([office_body]));
    assert_eq!(made["support_org_ids"], json!([app.org_id("DUK-CCQ-STC-CB01").await]));
    assert_eq!(made["lead_parent_name"], "Đảng bộ tỉnh Nghệ An");
    let (_, queue) = page(&app, &cookie, "/tasks?q=h%E1%BB%99i+ngh%E1%BB%8B").await;
    assert!(
        queue.contains("Chủ trì: Ban Tổ chức Tỉnh ủy · Đảng bộ tỉnh Nghệ An"),
        "lists name the lead with its parent"
    );
    let (_, shown) = page(&app, &cookie, &format!("/tasks/{}", made["id"])).await;
    assert!(shown.contains("Chi bộ Văn phòng · Đảng bộ Sở Tài chính"), "the task page names units with their parent");
}

async fn the_reader_matches_bodies_first(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let board = body(&app, &office, province, "Ban Tổ chức Tỉnh ủy").await;
    let office_body = body(&app, &office, province, "Văn phòng Tỉnh ủy").await;
    // The demo has a cell named "Chi bộ Ban Tổ chức Tỉnh ủy" and a committee "Đảng bộ Văn phòng
    // Tỉnh ủy": the text means the board and the office.
    let text = "1. Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy hướng dẫn rà soát quy hoạch cán bộ, xong trước ngày 30/9/2026.";
    let (status, out) = app
        .post(
            &office,
            "/api/v1/tasks/extract",
            json!({"text": text, "reference_date": "2026-06-20", "org_id": province}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let task = &out["tasks"][0];
    assert_eq!(task["lead"][0]["body_id"], board, "{out}");
    assert_eq!(task["lead"][0]["org_id"], Value::Null, "{out}");
    assert_eq!(task["support"][0]["body_id"], office_body, "{out}");
    // A name that is no body still finds its organisation.
    let text = "1. Giao Đảng ủy Khối các cơ quan tỉnh chủ trì thực hiện, xong trong tháng 12/2026.";
    let (_, out) = app
        .post(
            &office,
            "/api/v1/tasks/extract",
            json!({"text": text, "reference_date": "2026-06-20", "org_id": province}),
        )
        .await;
    assert_eq!(out["tasks"][0]["lead"][0]["org_id"], app.org_id("DUK-CCQ").await, "{out}");
    assert_eq!(out["tasks"][0]["lead"][0]["body_id"], Value::Null);
}

async fn results_wait_in_the_review_queue(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Nộp báo cáo chuyên đề", "lead_org_id": cell, "due_on": "2030-01-31"}),
        )
        .await;
    let id = task["id"].as_i64().unwrap();
    let pending = format!("/api/v1/tasks?org_id={province}&review=pending&limit=500");
    let (_, before) = app.get(&office, &pending).await;
    assert!(!ids(&before).contains(&id));

    // Reported done, it waits in the assigning office's queue (and the cell's), until accepted.
    let secretary = app.login("bithu").await;
    let (status, _) =
        app.post(&secretary, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 100, "done": true})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, waiting) = app.get(&office, &pending).await;
    assert!(ids(&waiting).contains(&id), "{waiting}");
    assert!(waiting["items"].as_array().unwrap().iter().all(|t| t["review"] == "pending"));
    let (_, mine) = app.get(&secretary, &format!("/api/v1/tasks?org_id={cell}&review=pending")).await;
    assert!(ids(&mine).contains(&id));
    // In the office's queue page too, under "Chờ xem xét".
    let cookie = sign_in(&app, "vanphong").await;
    let (status, html) = page(&app, &cookie, "/tasks?view=review").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nộp báo cáo chuyên đề"), "the review tab lists it");

    let (status, returned) = app
        .post(&office, &format!("/api/v1/tasks/{id}/review"), json!({"accept": false, "note": "Bổ sung số liệu"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{returned}");
    let (_, after) = app.get(&office, &pending).await;
    assert!(!ids(&after).contains(&id), "returned, it leaves the review queue");
    let (_, open) =
        app.get(&office, &format!("/api/v1/tasks?org_id={province}&status=open&review=returned&limit=500")).await;
    assert!(ids(&open).contains(&id));

    let (status, err) = app.get(&office, "/api/v1/tasks?review=later").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["fields"][0]["field"], "review");
}

/// The label a picker gives an organisation: its name beside its parent's.
async fn label_of(app: &TestApp, token: &str, code: &str) -> String {
    let (_, org) = app.get(token, &format!("/api/v1/orgs/{}", app.org_id(code).await)).await;
    let (_, parent) = app.get(token, &format!("/api/v1/orgs/{}", org["parent_id"])).await;
    format!("{} · {}", org["name"].as_str().unwrap(), parent["name"].as_str().unwrap())
}

async fn every_unit_field_takes_a_name_beside_its_parent(app: TestApp) {
    let admin = app.login("admin").await;
    // A secretary's own cell is filled in where members are imported or a case is opened.
    let own = label_of(&app, &admin, "DUK-CCQ-STC-CB01").await;
    let secretary = sign_in(&app, "bithu").await;
    for path in ["/members", "/admissions"] {
        let (_, html) = page(&app, &secretary, path).await;
        assert!(html.contains(&format!("value=\"{own}\"")), "{path} fills in the secretary's cell");
    }
    // The organiser transfers a member by the receiving cell's label.
    let organiser = sign_in(&app, "khoi").await;
    let khoi = app.login("khoi").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, members) = app.get(&khoi, &format!("/api/v1/members?org_id={cell}&limit=1")).await;
    let member = members["items"][0]["id"].as_i64().unwrap();
    let (_, html) = page(&app, &organiser, &format!("/members/{member}")).await;
    let csrf = csrf_of(&html);
    let to = label_of(&app, &admin, "DUK-CCQ-SKHDT-CB01").await;
    let (status, _, body) = post_form(
        &app,
        &organiser,
        &format!("/members/{member}/transfer"),
        &[("csrf", csrf.as_str()), ("to_code", to.as_str()), ("kind", "official"), ("effective_on", "2026-12-01")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, moved) = app.get(&khoi, &format!("/api/v1/members/{member}")).await;
    assert_eq!(moved["org_id"], app.org_id("DUK-CCQ-SKHDT-CB01").await, "{moved}");
    // A label of no organisation is refused by name, nothing written.
    let (status, _, body) = post_form(
        &app,
        &organiser,
        &format!("/members/{member}/transfer"),
        &[
            ("csrf", csrf.as_str()),
            ("to_code", "Chi bộ Không Có · Đảng bộ Không Có"),
            ("kind", "official"),
            ("effective_on", "2026-12-02"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Chi bộ Không Có"), "the refusal names what was typed");
}

async fn late_work_is_carried_into_the_next_periods(app: TestApp) {
    let office = app.login("vanphong").await;
    let commune = app.org_id("P-CLO").await;
    let summary = |year: i32| {
        let (app, office) = (&app, &office);
        async move {
            let (_, s) = app
                .get(office, &format!("/api/v1/tasks/summary?org_id={commune}&from={year}-01-01&to={year}-12-31"))
                .await;
            s
        }
    };
    let (before_2021, before_2022) = (summary(2021).await, summary(2022).await);
    let (_, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Rà soát hồ sơ tồn đọng", "lead_org_id": commune, "due_on": "2020-06-30"}),
        )
        .await;
    let id = task["id"].as_i64().unwrap();
    // Not done: late in 2020 and carried into every year after, outside each year's own counts.
    let carried = |s: &Value| s["carried_over"]["total"].as_i64().unwrap();
    let (after_2021, after_2022) = (summary(2021).await, summary(2022).await);
    assert_eq!(carried(&after_2021), carried(&before_2021) + 1, "{after_2021}");
    assert_eq!(after_2021["carried_over"]["overdue"], before_2021["carried_over"]["overdue"].as_i64().unwrap() + 1);
    assert_eq!(after_2021["total"], before_2021["total"], "the year's own tasks are those due in it");
    assert_eq!(carried(&after_2022), carried(&before_2022) + 1);
    // Done in March 2021: carried into 2021 (done late), no more into 2022.
    mark_done_on(&app, id, "2021-03-15").await;
    let (done_2021, done_2022) = (summary(2021).await, summary(2022).await);
    assert_eq!(carried(&done_2021), carried(&before_2021) + 1);
    assert_eq!(done_2021["carried_over"]["done_late"], before_2021["carried_over"]["done_late"].as_i64().unwrap() + 1);
    assert_eq!(carried(&done_2022), carried(&before_2022), "{done_2022}");

    // The dashboard's chart has every month of the year, with its figures as a table.
    let cookie = sign_in(&app, "vanphong").await;
    let (_, html) = page(&app, &cookie, &format!("/dashboard?org_id={commune}&period=2021")).await;
    assert_eq!(html.matches("class=\"bar-due\"").count(), 12, "twelve months");
    assert!(html.contains("id=\"chart-table\"") && html.contains("Tháng 3/2021"));
    assert!(html.contains("id=\"carried-over\""));
}

/// Records a task done on a given day, as the lead unit's report of that day would have.
async fn mark_done_on(app: &TestApp, id: i64, on: &str) {
    let on = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    let mut tx = app.db.begin().await.unwrap();
    dangvu_store::tasks::report(&mut tx, &dangvu_store::audit::Actor::command_line(), id, 100, "Đã xong", true, on)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn the_task_report_is_headed_as_the_party_writes_it(app: TestApp) {
    let office = app.login("vanphong").await;
    let province = app.org_id("TU-NA").await;
    let res = app
        .http
        .get(app.url(&format!("/api/v1/reports/tasks?org_id={province}&period=2026&format=pdf")))
        .bearer_auth(&office)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    let Some(text) = crate::petitions::pdf_text(&pdf) else { return };
    // The committee above, the office under it: not the Party organisation, not "Văn phòng Tỉnh ủy".
    assert!(text.contains("TỈNH ỦY NGHỆ AN VĂN PHÒNG"), "{text}");
    assert!(!text.contains("ĐẢNG BỘ TỈNH NGHỆ AN VĂN PHÒNG TỈNH ỦY"), "{text}");
}
