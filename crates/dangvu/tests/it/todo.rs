//! "Việc cần làm": each role's home says what to do next, and each item leads to where it is done.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, page, sign_in};

both_backends!(each_role_sees_what_to_do_next);

fn item<'a>(todo: &'a Value, kind: &str) -> Option<&'a Value> {
    todo["items"].as_array().unwrap().iter().find(|i| i["kind"] == kind)
}

async fn each_role_sees_what_to_do_next(app: TestApp) {
    // The office: a result reported done waits for it, and is counted until accepted.
    let office = app.login("vanphong").await;
    let (status, todo) = app.get(&office, "/api/v1/me/todo").await;
    assert_eq!(status, StatusCode::OK, "{todo}");
    let before = item(&todo, "tasks_review").map(|i| i["count"].as_i64().unwrap()).unwrap_or(0);
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, task) = app
        .post(
            &office,
            "/api/v1/tasks",
            json!({"title": "Báo cáo chuyên đề", "lead_org_id": cell, "due_on": "2030-01-31"}),
        )
        .await;
    let id = task["id"].as_i64().unwrap();
    let secretary = app.login("bithu").await;
    app.post(&secretary, &format!("/api/v1/tasks/{id}/reports"), json!({"progress": 100, "done": true})).await;
    let (_, todo) = app.get(&office, "/api/v1/me/todo").await;
    let review = item(&todo, "tasks_review").expect("results wait for the office");
    assert_eq!(review["count"].as_i64(), Some(before + 1), "{todo}");
    assert_eq!(review["urgent"], true);
    assert!(review["href"].as_str().unwrap().contains("view=review"));
    // Late tasks are those of the subtree that are late, whatever the year, by unit.
    let (_, overdue) = app.get(&office, "/api/v1/tasks?status=overdue&limit=500").await;
    let late = overdue["items"].as_array().unwrap().iter().filter(|t| t["review"] != "pending").count() as i64;
    if let Some(i) = item(&todo, "tasks_overdue") {
        assert!(i["count"].as_i64().unwrap() >= late.min(1), "{i}");
        assert!(!i["detail"].as_array().unwrap().is_empty(), "the units with late tasks are named");
    }
    // Every item counts something and links to a page.
    for i in todo["items"].as_array().unwrap() {
        assert!(i["count"].as_i64().unwrap() > 0, "{i}");
        assert!(i["href"].as_str().unwrap().starts_with('/'), "{i}");
    }
    // Urgent first.
    let urgency: Vec<bool> = todo["items"].as_array().unwrap().iter().map(|i| i["urgent"] == true).collect();
    assert!(urgency.windows(2).all(|w| w[0] || !w[1]), "{urgency:?}");

    // The secretary: the next meeting with who has answered; minutes once it is held.
    let (status, meeting) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "regular", "scheduled_at": "2031-03-03T07:30:00+07:00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{meeting}");
    // The next one is the soonest still scheduled from now on.
    let (_, list) = app.get(&secretary, &format!("/api/v1/cell-meetings?org_id={cell}&limit=200")).await;
    let now = chrono::Utc::now().to_rfc3339();
    let soonest = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["state"] == "scheduled")
        .map(|m| {
            (
                chrono::DateTime::parse_from_rfc3339(m["scheduled_at"].as_str().unwrap()).unwrap(),
                m["id"].as_i64().unwrap(),
            )
        })
        .filter(|(at, _)| at.to_utc().to_rfc3339() >= now)
        .min()
        .map(|(_, id)| id);
    let (_, todo) = app.get(&secretary, "/api/v1/me/todo").await;
    let next = item(&todo, "next_cell_meeting").unwrap_or_else(|| panic!("{todo}"));
    assert_eq!(next["href"], format!("/cell-meetings/{}", soonest.unwrap()), "{list}");
    assert!(next["detail"][0].as_str().unwrap().contains("đã trả lời"), "{next}");

    // On the meeting's page, attendance is one tap per member, the reason box beside it.
    let cookie = sign_in(&app, "bithu").await;
    let (_, html) = page(&app, &cookie, &format!("/cell-meetings/{}", meeting["id"])).await;
    assert!(html.contains("type=\"radio\" name=\"s") && html.contains("class=\"absence-reason\""), "{html}");

    // The page: the office's home opens with it.
    let cookie = sign_in(&app, "vanphong").await;
    let (_, home) = page(&app, &cookie, "/").await;
    assert!(home.contains("Việc cần làm") && home.contains("view=review"), "the home lists the review queue");
    // The leader reads the figures that matter beside the same span of last year.
    let leader = sign_in(&app, "lanhdao").await;
    let (_, home) = page(&app, &leader, "/").await;
    assert!(home.contains("id=\"key-figures\"") && home.matches("Cùng kỳ năm trước").count() >= 3, "{home}");

    // A member has the handbook, not an office's to-do.
    let member = app.login("dangvien").await;
    let (status, _) = app.get(&member, "/api/v1/me/todo").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both_backends!(a_thematic_meeting_has_its_own_agenda);

async fn a_thematic_meeting_has_its_own_agenda(app: TestApp) {
    let secretary = app.login("bithu").await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let (_, settings) = app.get(&app.login("admin").await, "/api/v1/settings").await;
    let rules = &settings["cell_meeting_rules"];
    assert!(rules["thematic_agenda_template"].as_array().is_some_and(|a| !a.is_empty()), "{settings}");
    for (kind, template) in [("thematic", "thematic_agenda_template"), ("regular", "agenda_template")] {
        let (status, meeting) = app
            .post(
                &secretary,
                "/api/v1/cell-meetings",
                json!({"org_id": cell, "kind": kind, "topic": "Chuyên đề học tập và làm theo Bác",
                       "scheduled_at": "2031-04-03T07:30:00+07:00"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{meeting}");
        assert_eq!(meeting["agenda"], rules[template], "a {kind} meeting starts from its own agenda");
    }
    // The setting is the administrator's to change.
    let admin = app.login("admin").await;
    let (status, _) = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"cell_meeting_rules": {"thematic_agenda_template": ["Báo cáo chuyên đề", "Thảo luận"]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, meeting) = app
        .post(&secretary, "/api/v1/cell-meetings", json!({"org_id": cell, "kind": "thematic", "topic": "Chuyên đề", "scheduled_at": "2031-05-03T07:30:00+07:00"}))
        .await;
    assert_eq!(meeting["agenda"], json!(["Báo cáo chuyên đề", "Thảo luận"]));
}

/// Each record of the minutes book is headed as a Party document: the committee and the cell,
/// "ĐẢNG CỘNG SẢN VIỆT NAM", the date, "BIÊN BẢN".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_record_of_the_minutes_book_has_the_party_header() {
    let app = TestApp::spawn(dangvu_store::Backend::Sqlite).await;
    let cell = app.org_id("DUK-CCQ-STC-CB01").await;
    let cookie = sign_in(&app, "bithu").await;
    // A year in which the cell approved minutes.
    let token = app.login("bithu").await;
    let (_, list) = app.get(&token, &format!("/api/v1/cell-meetings?org_id={cell}&limit=200")).await;
    let approved =
        list["items"].as_array().unwrap().iter().find(|m| m["state"] == "approved").expect("approved minutes");
    let year: i32 = approved["month"].as_str().unwrap()[..4].parse().unwrap();
    let res = app
        .http
        .get(app.url(&format!("/cell-meetings/book?org_id={cell}&year={year}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    let Some(text) = crate::petitions::pdf_text(&pdf) else { return };
    let records = text.matches("BIÊN BẢN ").count() - text.matches("SỔ BIÊN BẢN").count();
    assert!(records > 0, "{text}");
    assert_eq!(text.matches("ĐẢNG CỘNG SẢN VIỆT NAM").count(), records, "one header per record: {text}");
    assert!(text.contains(&format!("năm {year}")));
}
