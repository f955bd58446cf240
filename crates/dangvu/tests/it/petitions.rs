//! Petitions: a letter from intake to outcome on its clock, the register's rules (anonymous
//! and repeated letters, mixed letters, the congress window, forwarding), and the denouncer's
//! identity, read only by the case's handlers: never in the answers, pages or audit entries
//! anyone else reads, never in the database in clear.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{PASSWORD, TestApp, page, post_form, sign_in};

both_backends!(
    a_letter_runs_from_intake_to_its_outcome_on_its_clock,
    the_register_keeps_classifies_and_routes_letters_by_the_rules,
    a_denouncer_is_read_only_by_the_cases_handlers
);

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let sql = format!("SELECT id FROM users WHERE username = '{username}'");
    app.db.query_one(&sql, &[]).await.unwrap().expect("user").int(0).unwrap()
}

/// A member of the bloc's registry.
async fn bloc_member(app: &TestApp, skip: i64) -> i64 {
    let bloc = app.org_id("DUK-CCQ").await;
    let sql = format!(
        "SELECT m.id FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
         WHERE v.path LIKE '%/{bloc}/%' AND m.ended_on IS NULL ORDER BY m.id LIMIT 1 OFFSET {skip}"
    );
    app.db.query_one(&sql, &[]).await.unwrap().expect("a member").int(0).unwrap()
}

/// The text of a mail's body, base64 or quoted-printable as the mailer chose.
fn mail_body(message: &str) -> String {
    let raw = message.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").expect("a body");
    if head.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine as _;
        let encoded: String = body.split_whitespace().collect();
        return String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap();
    }
    let joined = body.replace("=\n", "");
    let mut bytes = Vec::new();
    let mut it = joined.bytes();
    while let Some(b) = it.next() {
        if b == b'=' {
            let hex: String =
                [it.next().unwrap_or(b'0'), it.next().unwrap_or(b'0')].iter().map(|c| *c as char).collect();
            bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The text of a PDF, flattened, when `pdftotext` is there (required on CI).
pub(crate) fn pdf_text(pdf: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("dangvu-petition-{}-{}.pdf", std::process::id(), pdf.len()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")),
        Err(e) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "pdftotext is required on CI: {e}");
            None
        }
    }
}

fn date(v: &Value) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(v.as_str().unwrap_or_else(|| panic!("a date: {v}")), "%Y-%m-%d").unwrap()
}

/// The holiday calendar in force.
async fn holidays(app: &TestApp) -> dangvu_domain::members::HolidayCalendar {
    dangvu_store::settings::get(&app.db).await.unwrap().holidays
}

async fn a_letter_runs_from_intake_to_its_outcome_on_its_clock(app: TestApp) {
    use dangvu_domain::members::working_days_between;
    let province = app.org_id("TU-NA").await;
    let office = app.login("vanphong").await;
    let member = bloc_member(&app, 0).await;
    let today = dangvu_domain::calendar::today();
    let received = today - chrono::Days::new(20);
    let (status, letter) = app
        .post(
            &office,
            "/api/v1/petitions",
            json!({"org_id": province, "received_on": received.to_string(), "channel": "post", "kind": "denunciation",
                   "summary": "Tố cáo đảng viên nhận quà biếu của doanh nghiệp khi thẩm định dự án.",
                   "sender": {"full_name": "Kiều Văn Thanh", "address": "Xóm 9, xã Diễn Châu"},
                   "concerns_member_id": member}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{letter}");
    assert_eq!(letter["status"], "received");
    assert_eq!(letter["handled"], true);
    assert_eq!(letter["concerns"], "member");
    assert!(letter["competent_org_id"].is_i64(), "{letter}");
    let id = letter["id"].as_i64().unwrap();
    // A denunciation's clock runs from receipt: 90 working days by default.
    let cal = holidays(&app).await;
    let due = date(&letter["due_on"]);
    assert_eq!(working_days_between(received, due, &cal), 90, "{letter}");
    assert_eq!(letter["rule"]["resolve_within"], 90);
    assert!(letter.get("sender").is_none(), "intake answers no sender: {letter}");

    // The office registers; the inspection committee handles.
    let (status, _) =
        app.post(&office, &format!("/api/v1/petitions/{id}/accept"), json!({"accepted_on": today.to_string()})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let head = app.login("kiemtra").await;
    let handler = user_id(&app, "kiemtravien").await;
    let (status, case) =
        app.post(&head, &format!("/api/v1/petitions/{id}/handlers"), json!({"user_id": handler})).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["handlers"][0]["username"], "kiemtravien");
    // An organizer cannot be a handler.
    let tochuc = user_id(&app, "tochuc").await;
    let (status, body) = app.post(&head, &format!("/api/v1/petitions/{id}/handlers"), json!({"user_id": tochuc})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let inspector = app.login("kiemtravien").await;
    let accepted_on = today - chrono::Days::new(10);
    let (status, case) = app
        .post(&inspector, &format!("/api/v1/petitions/{id}/accept"), json!({"accepted_on": accepted_on.to_string()}))
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "accepted");
    assert_eq!(date(&case["due_on"]), due, "counted from receipt: acceptance does not move it");
    // Accepted twice: refused by the state machine, with the reason.
    let (status, body) = app
        .post(&inspector, &format!("/api/v1/petitions/{id}/accept"), json!({"accepted_on": today.to_string()}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // One extension of 30 working days, with its reason; a second is refused.
    let (status, body) = app.post(&inspector, &format!("/api/v1/petitions/{id}/extend"), json!({"reason": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, case) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/extend"),
            json!({"reason": "Phải xác minh tại hai nơi", "decision": "QĐ 31-QĐ/UBKTTU"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let extended = date(&case["due_on"]);
    assert_eq!(working_days_between(due, extended, &cal), 30);
    assert_eq!(case["extensions"], 1);
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{id}/extend"), json!({"reason": "Lần nữa"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "reason");

    // A verification step is recorded; the case stays as it is.
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{id}/steps"), json!({"event": "verify", "note": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, case) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/steps"),
            json!({"event": "verify", "note": "Làm việc với người bị tố cáo, thu thập hồ sơ dự án"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "accepted");

    // A pause for clarification stops the clock; resuming adds the days back.
    let paused_on = today - chrono::Days::new(7);
    let (status, case) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/steps"),
            json!({"event": "pause", "on": paused_on.to_string(), "note": "Đề nghị người tố cáo bổ sung chứng cứ"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "paused");
    assert_eq!(case["timing"], "stopped");
    assert!(case["due_on"].is_null());
    let (status, case) = app
        .post(&inspector, &format!("/api/v1/petitions/{id}/steps"), json!({"event": "resume", "on": today.to_string()}))
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(
        working_days_between(extended, date(&case["due_on"]), &cal),
        working_days_between(paused_on, today, &cal)
    );

    // The handler's home page lists it with its deadline; the subtree's overdue cases are counted.
    let handler_cookie = sign_in(&app, "kiemtravien").await;
    let (_, home) = page(&app, &handler_cookie, "/").await;
    assert!(home.contains("id=\"petition-deadlines\"") && home.contains(case["number"].as_str().unwrap()), "{home}");
    assert!(home.contains("quá hạn"), "the demo's overdue cases: {home}");
    let (status, mine) = app.get(&inspector, "/api/v1/me/petitions").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert!(mine["items"].as_array().unwrap().iter().any(|p| p["id"] == id), "{mine}");
    assert!(mine["deadlines"]["overdue"].as_i64().unwrap() >= 1);
    // The daily e-mail names the handler's cases near or past their deadline: number and
    // deadline, never the content or the sender.
    let (status, _) = app
        .send("PUT", "/api/v1/me/email", Some(&inspector), Some(json!({"email": "kiemtravien@tinhuy.example.vn"})))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (url, mut mails) = crate::tasks::fake_relay().await;
    let mailer =
        dangvu_web::tasks::reminders::Mailer::new(&url, "dangvu@tinhuy.example.vn", Some("https://dangvu.vn".into()))
            .unwrap();
    assert_eq!(dangvu_web::tasks::reminders::send_due(&app.db, &mailer, today).await.unwrap(), 1);
    let message = mails.recv().await.unwrap();
    let body = mail_body(&message);
    assert!(body.contains("Đơn thư bạn được giao") && body.contains("https://dangvu.vn/petitions/"), "{body}");
    assert!(body.contains("quá hạn"), "the demo's overdue cases: {body}");
    assert!(!body.contains("Lê Thị Mai") && !body.contains("Tố cáo đảng viên kê khai"), "{body}");

    let (_, dashboard) = page(&app, &handler_cookie, "/dashboard").await;
    assert!(dashboard.contains("id=\"petition-deadlines\"") && dashboard.contains("quá hạn"), "the tasks' dashboard");
    let (_, home) = page(&app, &sign_in(&app, "tochuc").await, "/").await;
    assert!(!home.contains("petition-deadlines"), "not for the Organisation board");

    // A denunciation is founded or not; "answered" is for proposals and feedback.
    let (status, body) = app
        .post(&inspector, &format!("/api/v1/petitions/{id}/resolve"), json!({"outcome": "answered", "note": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, case) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/resolve"),
            json!({"resolved_on": today.to_string(), "outcome": "partly_founded",
                   "note": "Đúng một phần; đề nghị xem xét kỷ luật", "decision": "KL 05-KL/UBKTTU"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["timing"], "done_on_time");
    assert_eq!(case["outcome"], "partly_founded");
    let events: Vec<&str> = case["history"].as_array().unwrap().iter().map(|h| h["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["register", "accept", "extend", "verify", "pause", "resume", "resolve"]);
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{id}/steps"), json!({"event": "withdraw"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "closed: {body}");

    // The register and the figures count it.
    let (status, list) = app.get(&head, &format!("/api/v1/petitions?org_id={province}&status=resolved")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list["items"].as_array().unwrap().iter().any(|p| p["id"] == id));
    let (status, overdue) = app.get(&head, &format!("/api/v1/petitions?org_id={province}&overdue=true")).await;
    assert_eq!(status, StatusCode::OK);
    for p in overdue["items"].as_array().unwrap() {
        assert!(matches!(p["status"].as_str(), Some("received" | "accepted")), "{p}");
        assert_eq!(p["timing"], "overdue", "{p}");
    }
    let from = (today - chrono::Days::new(400)).to_string();
    let (status, stats) =
        app.get(&head, &format!("/api/v1/petitions/stats?org_id={province}&from={from}&to={today}")).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    let (_, all) = app.get(&head, &format!("/api/v1/petitions?org_id={province}&limit=500")).await;
    let in_period =
        all["items"].as_array().unwrap().iter().filter(|p| p["received_on"].as_str().unwrap() >= from.as_str()).count();
    assert_eq!(stats["received"].as_u64().unwrap() as usize, in_period, "{stats}");
    let kinds: i64 = stats["by_kind"].as_object().unwrap().values().map(|l| l["received"].as_i64().unwrap()).sum();
    assert_eq!(kinds as usize, in_period);
    let states: i64 = stats["by_status"].as_object().unwrap().values().map(|l| l["received"].as_i64().unwrap()).sum();
    assert_eq!(states as usize, in_period);
    assert!(stats["by_kind"]["denunciation"]["resolved"].as_i64().unwrap() >= 1, "{stats}");
    assert!(stats["resolved_on_time"].as_i64().unwrap() >= 1);
    assert!(stats["overdue"].as_i64().unwrap() >= 1, "the demo has overdue cases: {stats}");
    let closed_elsewhere = ["not_handled", "forwarded", "withdrawn"]
        .iter()
        .map(|s| stats["by_status"][s]["received"].as_i64().unwrap_or(0))
        .sum::<i64>();
    assert_eq!(
        stats["on_time"].as_i64().unwrap() + stats["late"].as_i64().unwrap() + closed_elsewhere,
        in_period as i64,
        "{stats}"
    );
    let months: i64 = stats["months"].as_array().unwrap().iter().map(|m| m["received"].as_i64().unwrap()).sum();
    assert_eq!(months as usize, in_period);

    // Who may read: a viewer reads the register; an organizer and a secretary do not.
    assert_eq!(app.get(&app.login("lanhdao").await, "/api/v1/petitions").await.0, StatusCode::OK);
    assert_eq!(app.get(&app.login("tochuc").await, "/api/v1/petitions").await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&app.login("bithu").await, &format!("/api/v1/petitions/{id}")).await.0, StatusCode::NOT_FOUND);

    // The pages: the register with its timing, the case, the figures with the chart.
    let cookie = sign_in(&app, "kiemtravien").await;
    let (status, html) = page(&app, &cookie, "/petitions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-timing=\"overdue\"") && html.contains(case["number"].as_str().unwrap()), "{html}");
    let (status, html) = page(&app, &cookie, &format!("/petitions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Kiều Văn Thanh"), "the handler reads the sender on the page");
    let (status, html) = page(&app, &cookie, "/petitions/figures").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("Theo loại đơn"));

    // The numbers are settings; a case keeps the rule it was registered under.
    let admin = app.login("admin").await;
    let (status, body) = app
        .send(
            "PUT",
            "/api/v1/settings",
            Some(&admin),
            Some(json!({"petition_rules": {"denunciation": {"resolve_within": 60, "source": "Quy định mới (thử)"}}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .send("PUT", "/api/v1/settings", Some(&admin), Some(json!({"petition_rules": {"due_soon_days": 999}})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "petition_rules.due_soon_days");
    let (_, newer) = app
        .post(
            &office,
            "/api/v1/petitions",
            json!({"org_id": province, "received_on": received.to_string(), "channel": "post", "kind": "denunciation",
                   "summary": "Tố cáo khác", "sender": {"full_name": "Kiều Văn Thanh", "phone": "0911"}}),
        )
        .await;
    assert_eq!(working_days_between(received, date(&newer["due_on"]), &cal), 60, "{newer}");
    assert_eq!(newer["rule"]["source"], "Quy định mới (thử)");
    let (_, old) = app.get(&inspector, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(old["rule"]["resolve_within"], 90, "the old case keeps its rule");
    let admin_cookie = sign_in(&app, "admin").await;
    let (_, html) = page(&app, &admin_cookie, "/settings").await;
    assert!(html.contains("name=\"pt.denunciation.resolve_within\" value=\"60\""), "the settings page");
}

async fn the_register_keeps_classifies_and_routes_letters_by_the_rules(app: TestApp) {
    let province = app.org_id("TU-NA").await;
    let bloc = app.org_id("DUK-CCQ").await;
    let inspector = app.login("kiemtravien").await;
    let member = bloc_member(&app, 1).await;
    let post = |body: Value| {
        let app = &app;
        let token = inspector.clone();
        async move { app.post(&token, "/api/v1/petitions", body).await }
    };
    // Anonymous: kept with its reason, still counted.
    let (status, anon) = post(json!({"org_id": province, "channel": "post", "kind": "denunciation",
        "summary": "Tố cáo không ký tên", "sender": null, "concerns_member_id": member}))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{anon}");
    assert_eq!(anon["status"], "not_handled");
    assert_eq!(anon["handled"], false);
    assert_eq!(anon["not_handled_reason"], "anonymous");
    // Anonymous feedback is still read.
    let (_, feedback) =
        post(json!({"channel": "online", "kind": "feedback", "summary": "Phản ánh đường làng ngập", "sender": null}))
            .await;
    assert_eq!(feedback["status"], "received", "{feedback}");
    // No address and no phone: no one to answer.
    let (_, nowhere) = post(json!({"channel": "post", "kind": "complaint", "summary": "Khiếu nại kỷ luật",
        "sender": {"full_name": "Người không địa chỉ"}, "concerns_member_id": member}))
    .await;
    assert_eq!(nowhere["not_handled_reason"], "no_address", "{nowhere}");

    // A repeat: same member, same content (typed without accents) → linked to the first.
    let text = "Tố cáo đảng viên lợi dụng chức vụ để trục lợi khi giao đất tái định cư cho người thân";
    let (_, first) = post(json!({"channel": "post", "kind": "denunciation", "summary": text,
        "sender": {"full_name": "Lý Văn Nam", "phone": "0911222333"}, "concerns_member_id": member}))
    .await;
    let (_, again) = post(json!({"channel": "post", "kind": "denunciation",
        "summary": "to cao dang vien loi dung chuc vu de truc loi khi giao dat tai dinh cu cho nguoi than",
        "sender": {"full_name": "Lý Văn Nam", "phone": "0911222333"}, "concerns_member_id": member}))
    .await;
    assert_eq!(again["repeat_of"], first["id"], "{again}");
    assert!(again["repeats"][0]["similarity"].as_u64().unwrap() >= 60);
    let (_, other) =
        post(json!({"channel": "post", "kind": "denunciation", "summary": "Tố cáo chuyện khác hẳn về họp",
        "sender": {"full_name": "Lý Văn Nam", "phone": "0911222333"}, "concerns_member_id": member}))
        .await;
    assert!(other["repeat_of"].is_null(), "{other}");
    let again_id = again["id"].as_i64().unwrap();
    let (status, kept) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{again_id}/steps"),
            json!({"event": "keep", "reason": "repeated", "note": "Không có tình tiết mới"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    assert_eq!(kept["not_handled_reason"], "repeated");

    // A mixed letter: the complaint is handled, the sender guided to denounce separately.
    let (status, body) = post(json!({"channel": "post", "kind": "denunciation", "summary": "x",
        "sender": {"full_name": "A B", "phone": "1"}, "also_denounces": true}))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, mixed) = post(json!({"channel": "handed_in", "kind": "complaint", "also_denounces": true,
        "summary": "Khiếu nại quyết định kỷ luật và tố cáo người ký quyết định",
        "sender": {"full_name": "Trịnh Văn Khải", "address": "Phường Vinh Hưng"}, "concerns_member_id": member}))
    .await;
    assert_eq!(mixed["guided_to_denounce"], true);
    assert_eq!(mixed["status"], "received");
    assert!(mixed["due_on"].is_null(), "a complaint's clock starts at acceptance: {mixed}");

    // A matter for the State is forwarded out, with the reference.
    let (_, state_matter) = post(json!({"channel": "reception", "kind": "proposal",
        "summary": "Kiến nghị sửa cầu dân sinh", "sender": {"full_name": "Mai Văn Tú", "phone": "0900"},
        "concerns_text": "UBND phường Trường Vinh"}))
    .await;
    assert_eq!(state_matter["concerns"], "state");
    assert!(state_matter["competent_org_id"].is_null());
    let sid = state_matter["id"].as_i64().unwrap();
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{sid}/steps"), json!({"event": "forward"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "where to: {body}");
    let (status, fwd) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{sid}/steps"),
            json!({"event": "forward", "forwarded_to": "UBND phường Trường Vinh (Phiếu chuyển 07/PC)"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{fwd}");
    assert_eq!(fwd["status"], "forwarded");

    // Forwarded inside the tree: the competent organisation's register receives it, its clock
    // starting there; the sender goes with it, sealed again.
    let fid = first["id"].as_i64().unwrap();
    let (status, fwd) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{fid}/steps"),
            json!({"event": "forward", "to_org_id": bloc, "decision": "Phiếu chuyển 08/PC"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{fwd}");
    let (_, there) = app.get(&app.login("admin").await, &format!("/api/v1/petitions?org_id={bloc}")).await;
    let moved = there["items"].as_array().unwrap().iter().find(|p| p["channel"] == "forwarded").expect("in the bloc");
    assert_eq!(moved["org_id"], bloc);
    assert_eq!(moved["kind"], "denunciation");
    assert!(moved["has_sender"].as_bool().unwrap());

    // The congress window (HD 07): a denunciation about the demo's grassroots congress, three
    // weeks away, is held for the new committee and released only after the congress.
    let congress = app
        .db
        .query_one("SELECT id FROM congresses WHERE title = 'Đại hội Chi bộ nhiệm kỳ 2027-2030'", &[])
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    let (_, held) = post(json!({"channel": "post", "kind": "denunciation", "congress_id": congress,
        "summary": "Tố cáo nhân sự giới thiệu bí thư khóa mới", "sender": {"full_name": "Đỗ Thị Yến", "phone": "0933"}}))
    .await;
    assert_eq!(held["status"], "held", "{held}");
    assert_eq!(held["timing"], "stopped");
    let hid = held["id"].as_i64().unwrap();
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{hid}/steps"), json!({"event": "release"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Nor can a case be held by hand unless it is a denunciation about a congress not yet over.
    let (status, body) =
        app.post(&inspector, &format!("/api/v1/petitions/{}/steps", mixed["id"]), json!({"event": "hold"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A complaint about the same congress is not held.
    let (_, complaint) = post(json!({"channel": "post", "kind": "complaint", "congress_id": congress,
        "summary": "Khiếu nại", "sender": {"full_name": "Đỗ Thị Yến", "phone": "0933"}}))
    .await;
    assert_eq!(complaint["status"], "received");

    // Every state is in the demo register.
    let head = app.login("kiemtra").await;
    for state in ["received", "held", "accepted", "paused", "resolved", "not_handled", "forwarded", "withdrawn"] {
        let (_, list) = app.get(&head, &format!("/api/v1/petitions?org_id={province}&status={state}")).await;
        assert!(!list["items"].as_array().unwrap().is_empty(), "no {state} case");
    }

    // Input is checked, nothing written on a refusal.
    let before = app.audit_len().await;
    for (body, field) in [
        (json!({"channel": "post", "kind": "gossip", "summary": "x"}), "kind"),
        (json!({"channel": "fax", "kind": "feedback", "summary": "x"}), "channel"),
        (json!({"channel": "post", "kind": "feedback", "summary": ""}), "summary"),
        (json!({"channel": "post", "kind": "feedback", "summary": "x", "received_on": "2999-01-01"}), "received_on"),
        (
            json!({"channel": "post", "kind": "feedback", "summary": "x", "concerns_member_id": 99999999}),
            "concerns_member_id",
        ),
        (json!({"channel": "post", "kind": "feedback", "summary": "x", "concerns": "state"}), "concerns_text"),
    ] {
        let (status, answer) = post(body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
    }
    assert_eq!(app.audit_len().await, before);
    // A bloc inspector does not reach the province's register.
    let (status, _) = app
        .post(
            &app.login("admin").await,
            "/api/v1/users",
            json!({"username": "kt.khoi", "password": PASSWORD, "role": "inspector", "org_id": bloc}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let bloc_inspector = app.login("kt.khoi").await;
    assert_eq!(app.get(&bloc_inspector, &format!("/api/v1/petitions/{fid}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&bloc_inspector, &format!("/api/v1/petitions?org_id={province}")).await.0,
        StatusCode::NOT_FOUND
    );

    // A reception session, and a letter registered from it through the page.
    let (status, session) = app
        .post(
            &inspector,
            &format!("/api/v1/orgs/{province}/receptions"),
            json!({"leader": "Chủ nhiệm UBKT", "people": 3, "matters": "Đất đai"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let cookie = sign_in(&app, "kiemtravien").await;
    let (_, form) =
        page(&app, &cookie, &format!("/petitions/new?org_id={province}&reception_id={}", session["id"])).await;
    let csrf = crate::harness::csrf_of(&form);
    let reception = session["id"].to_string();
    let (status, location, body) = post_form(
        &app,
        &cookie,
        "/petitions",
        &[
            ("csrf", csrf.as_str()),
            ("org_id", &province.to_string()),
            ("reception_id", &reception),
            ("channel", "reception"),
            ("kind", "feedback"),
            ("summary", "Phản ánh chậm cấp giấy"),
            ("sender_name", "Hà Văn Long"),
            ("sender_phone", "0944"),
            ("concerns", "org"),
            ("received_on", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(location.starts_with("/petitions/"));
    let (_, sessions) = app.get(&inspector, &format!("/api/v1/orgs/{province}/receptions")).await;
    let counted = sessions["items"].as_array().unwrap().iter().find(|s| s["id"] == session["id"]).unwrap();
    assert_eq!(counted["petitions"], 1);
}

async fn a_denouncer_is_read_only_by_the_cases_handlers(app: TestApp) {
    let province = app.org_id("TU-NA").await;
    let admin = app.login("admin").await;
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "kt.khac", "password": PASSWORD, "role": "inspector", "org_id": province}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (name, address, phone) = ("Phùng Thị Bích Ngọc", "Số 77 ngõ Lạc Sơn", "0999888777");
    let member = bloc_member(&app, 2).await;
    let office = app.login("vanphong").await;
    let (status, letter) = app
        .post(
            &office,
            "/api/v1/petitions",
            json!({"org_id": province, "channel": "handed_in", "kind": "denunciation",
                   "summary": format!("Tôi là {name}, ở {address}, điện thoại {phone}, tố cáo đảng viên nhận hối lộ."),
                   "sender": {"full_name": name, "address": address, "phone": phone},
                   "concerns_member_id": member}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{letter}");
    let id = letter["id"].as_i64().unwrap();
    let secrets = [name, "Bích Ngọc", address, phone, "PHÙNG THỊ BÍCH NGỌC"];
    let leaks = |text: &str| secrets.iter().find(|s| text.contains(*s)).map(|s| s.to_string());
    assert!(!letter.to_string().contains("Bích Ngọc"), "{letter}");
    assert!(letter["summary"].as_str().unwrap().contains("[người gửi]"));
    // Nobody but the head of the inspection committee makes a reader of a denouncer: not an
    // inspector, not an admin, not even of themselves.
    let other_inspector = user_id(&app, "kt.khac").await;
    for who in ["kt.khac", "admin"] {
        let (status, _) = app
            .post(
                &app.login(who).await,
                &format!("/api/v1/petitions/{id}/handlers"),
                json!({"user_id": other_inspector}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who} assigned a handler to a denunciation");
    }
    let head = app.login("kiemtra").await;
    let handler = user_id(&app, "kiemtravien").await;
    let (status, _) = app.post(&head, &format!("/api/v1/petitions/{id}/handlers"), json!({"user_id": handler})).await;
    assert_eq!(status, StatusCode::OK);

    // The office keeps the scanned letter; it is sealed, and only the handler opens it.
    let scanned = format!("%PDF-1.4 Don to cao cua {name}, {address}, {phone}").into_bytes();
    let res = app
        .http
        .post(app.url(&format!("/api/v1/petitions/{id}/scans?name=don-{phone}.pdf")))
        .bearer_auth(&office)
        .body(scanned.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let scan = res.json::<Value>().await.unwrap();
    assert!(leaks(&scan.to_string()).is_none(), "{scan}");
    let scan_url = format!("/api/v1/petition-scans/{}", scan["id"]);
    for (who, expected) in
        [("vanphong", StatusCode::FORBIDDEN), ("admin", StatusCode::FORBIDDEN), ("kiemtravien", StatusCode::OK)]
    {
        let res = app.http.get(app.url(&scan_url)).bearer_auth(app.login(who).await).send().await.unwrap();
        assert_eq!(res.status(), expected, "{who} and the scan");
        if expected == StatusCode::OK {
            assert_eq!(res.bytes().await.unwrap().to_vec(), scanned);
        }
    }

    // The handler reads it, and the read is logged without the identity.
    let inspector = app.login("kiemtravien").await;
    let (_, case) = app.get(&inspector, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(case["sender"]["full_name"], name);
    assert_eq!(case["sender"]["phone"], phone);
    assert!(case["sender"]["original_summary"].as_str().unwrap().contains(name));

    let from = (dangvu_domain::calendar::today() - chrono::Days::new(3650)).to_string();
    let api = [
        format!("/api/v1/petitions/{id}"),
        format!("/api/v1/petitions?org_id={province}&limit=500"),
        format!("/api/v1/petitions?org_id={province}&kind=denunciation"),
        format!("/api/v1/petitions/stats?org_id={province}&from={from}"),
        format!("/api/v1/members/{member}"),
        "/api/v1/audit?limit=500".to_owned(),
    ];
    let pages = [
        format!("/petitions/{id}"),
        format!("/petitions?org_id={province}"),
        format!("/petitions/figures?org_id={province}&from={from}"),
        format!("/orgs/{province}/receptions"),
        "/audit".to_owned(),
        "/".to_owned(),
    ];
    for who in ["admin", "lanhdao", "kt.khac", "vanphong", "kiemtra"] {
        let token = app.login(who).await;
        for path in &api {
            let (_, body) = app.get(&token, path).await;
            assert_eq!(leaks(&body.to_string()), None, "{who} read the denouncer at {path}: {body}");
        }
        let cookie = sign_in(&app, who).await;
        for path in &pages {
            let (_, html) = page(&app, &cookie, path).await;
            assert_eq!(leaks(&html), None, "{who} read the denouncer on {path}");
        }
    }
    let (_, case) = app.get(&app.login("kt.khac").await, &format!("/api/v1/petitions/{id}")).await;
    assert!(case["sender"].is_null() && case["sender_hidden"] == true, "{case}");

    // The audit log, all of it, never names the denouncer; the handler's read is in it.
    let log =
        app.db.query("SELECT action, COALESCE(before, ''), COALESCE(after, '') FROM audit_log", &[]).await.unwrap();
    let mut reads = 0;
    for r in &log {
        let line = format!("{} {} {}", r.text(0).unwrap(), r.text(1).unwrap(), r.text(2).unwrap());
        assert_eq!(leaks(&line), None, "the audit log names the denouncer: {line}");
        reads += usize::from(r.text(0).unwrap() == "petition.sender_read");
    }
    assert!(reads >= 1);

    // Showing it to a leader needs the head of the inspection committee's recorded decision.
    let leader = user_id(&app, "lanhdao").await;
    let (status, _) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/disclosures"),
            json!({"user_id": leader, "reason": "Phục vụ xem xét kỷ luật"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a handler is not the custodian");
    let (status, case) = app
        .post(
            &head,
            &format!("/api/v1/petitions/{id}/disclosures"),
            json!({"user_id": leader, "reason": "Thường trực cần đối chất với người tố cáo"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["disclosures"][0]["decided_by"], "kiemtra");
    let (_, case) = app.get(&app.login("lanhdao").await, &format!("/api/v1/petitions/{id}")).await;
    assert_eq!(case["sender"]["full_name"], name);

    // The letters: the notice of the result to the sender names them, for the handler only;
    // the transfer letter to another body never does.
    let today = dangvu_domain::calendar::today().to_string();
    let (status, _) =
        app.post(&inspector, &format!("/api/v1/petitions/{id}/accept"), json!({"accepted_on": today})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{id}/resolve"),
            json!({"outcome": "unfounded", "note": "Không có căn cứ"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let letter = |token: String, path: String| {
        let app = &app;
        async move {
            let res = app.http.get(app.url(&path)).bearer_auth(&token).send().await.unwrap();
            (res.status(), res.bytes().await.unwrap().to_vec())
        }
    };
    let (status, pdf) = letter(inspector.clone(), format!("/api/v1/petitions/{id}/letter?kind=result")).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("THÔNG BÁO") && text.contains(name), "{text}");
    }
    let other = app.login("kt.khac").await;
    let (status, _) = letter(other.clone(), format!("/api/v1/petitions/{id}/letter?kind=result")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an inspector not handling the case prints nothing naming the sender");
    let (status, _) = letter(inspector.clone(), format!("/api/v1/petitions/{id}/letter?kind=transfer")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not forwarded");
    let (_, second) = app
        .post(
            &office,
            "/api/v1/petitions",
            json!({"org_id": province, "channel": "post", "kind": "denunciation", "summary": "Tố cáo việc khác hẳn",
                   "sender": {"full_name": name, "phone": phone}}),
        )
        .await;
    let second = second["id"].as_i64().unwrap();
    let bloc = app.org_id("DUK-CCQ").await;
    let (status, body) = app
        .post(
            &inspector,
            &format!("/api/v1/petitions/{second}/steps"),
            json!({"event": "forward", "to_org_id": bloc, "decision": "Phiếu chuyển 09/PC"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, pdf) = letter(other, format!("/api/v1/petitions/{second}/letter?kind=transfer&format=docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with(b"PK"), "a Word document");
    let (status, pdf) = letter(inspector.clone(), format!("/api/v1/petitions/{second}/letter?kind=transfer")).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("PHIẾU CHUYỂN ĐƠN") && text.contains("giữ bí mật"), "{text}");
        assert_eq!(leaks(&text), None, "the transfer letter names the denouncer: {text}");
    }

    // The figures printed and exported hold counts only.
    for format in ["pdf", "docx", "xlsx"] {
        let (status, bytes) =
            letter(app.login("lanhdao").await, format!("/api/v1/petitions/report?org_id={province}&format={format}"))
                .await;
        assert_eq!(status, StatusCode::OK, "{format}");
        let text = String::from_utf8_lossy(&bytes).to_string();
        assert_eq!(leaks(&text), None, "the {format} report names the denouncer");
        if format == "pdf"
            && let Some(text) = pdf_text(&bytes)
        {
            assert!(text.contains("BÁO CÁO") && text.contains("Theo loại đơn"), "{text}");
            assert_eq!(leaks(&text), None);
        }
    }

    // The database holds no denouncer in clear: its file for SQLite, every row for PostgreSQL.
    let url = app.database_url().to_owned();
    if let Some(path) = url.strip_prefix("sqlite://") {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(b);
            }
        }
        assert!(!bytes.is_empty());
        for s in secrets {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "the SQLite file holds {s}");
        }
    } else {
        let tables = app
            .db
            .query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", &[])
            .await
            .unwrap();
        for t in tables {
            let table = t.text(0).unwrap();
            let rows = app.db.query(&format!("SELECT t::text FROM \"{table}\" t"), &[]).await.unwrap();
            for r in rows {
                assert_eq!(leaks(&r.text(0).unwrap()), None, "{table} holds the denouncer");
            }
        }
    }
}
