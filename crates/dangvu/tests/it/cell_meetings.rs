//! Cell meetings through the API: scheduling, the member's handbook, attendance, minutes that
//! lock once approved, the month's supervision and the members absent several meetings running.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    schedule_record_and_supervise,
    members_reply_and_comment_on_their_phone,
    minutes_lock_once_approved,
    absences_running_are_listed_and_corrected,
    topics_from_above_reach_every_cell_below,
    member_tasks_are_followed_until_accepted,
    quarters_ask_for_thematic_meetings_and_cells_for_official_members,
    a_meeting_moves_or_is_cancelled_until_it_is_held
);

const CELL: &str = "DUK-CCQ-STC-CB01";

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send("PUT", path, Some(token), Some(body)).await
}

/// Schedules a regular meeting of the demo cell as its secretary.
async fn schedule(app: &TestApp, token: &str, cell: i64, at: &str) -> i64 {
    let (status, m) = app
        .post(
            token,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "regular", "scheduled_at": at, "topic": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    m["id"].as_i64().unwrap()
}

async fn roster(app: &TestApp, token: &str, id: i64) -> Vec<i64> {
    let (status, m) = app.get(token, &format!("/api/v1/cell-meetings/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m["roster"].as_array().unwrap().iter().map(|l| l["member_id"].as_i64().unwrap()).collect()
}

fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect()
}

async fn schedule_record_and_supervise(app: TestApp) {
    let secretary = app.login("bithu").await;
    let cell = app.org_id(CELL).await;
    let (status, m) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "regular", "scheduled_at": "2031-03-03T07:30:00+07:00", "topic": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["title"], "Sinh hoạt thường kỳ tháng 3/2031");
    assert_eq!(m["state"], "scheduled");
    assert_eq!(m["month"], "2031-03");
    assert_eq!(m["scheduled_at"], "2031-03-03T07:30:00+07:00");
    assert_eq!(m["agenda"].as_array().unwrap().len(), 3, "the usual agenda: {m}");
    let id = m["id"].as_i64().unwrap();

    // 06:30 on the 1st in Hà Nội is still the 31st in UTC: the month is Vietnam's.
    let (_, early) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "thematic", "scheduled_at": "2031-03-31T23:30:00Z", "topic": "Chuyên đề chuyển đổi số"}),
        )
        .await;
    assert_eq!(early["month"], "2031-04", "{early}");

    let members = roster(&app, &secretary, id).await;
    assert!(members.len() >= 3, "{members:?}");
    let (status, held) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([
            {"member_id": members[0], "status": "present"},
            {"member_id": members[1], "status": "excused", "reason": "Đi công tác"},
            {"member_id": members[2], "status": "absent"}
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held["state"], "held");
    assert_eq!((held["recorded"].as_i64(), held["present"].as_i64()), (Some(3), Some(1)));
    // An empty list changes nothing.
    let (status, _) = put(&app, &secretary, &format!("/api/v1/cell-meetings/{id}/attendance"), json!([])).await;
    assert_eq!(status, StatusCode::OK);

    // The committee above sees which of its cells met.
    let viewer = app.login("lanhdao").await;
    let committee = app.org_id("DUK-CCQ-STC").await;
    let (status, s) = app.get(&viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-stats?month=2031-03")).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let cells = s["cells"].as_i64().unwrap();
    assert!(cells >= 2, "{s}");
    assert_eq!(s["cells_met"], 1);
    assert_eq!(s["cells_met_regular"], 1);
    assert!((s["attendance_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9, "{s}");
    let not_met = s["cells_not_met"].as_array().unwrap();
    assert_eq!(not_met.len() as i64, cells - 1);
    assert!(not_met.iter().all(|c| c["org_id"] != cell && c["name"].is_string()));
    // The bloc sees it by the units directly below it, the least met first.
    let bloc = app.org_id("DUK-CCQ").await;
    let (_, b) = app.get(&viewer, &format!("/api/v1/orgs/{bloc}/cell-meeting-stats?month=2031-03")).await;
    let units = b["by_unit"].as_array().unwrap();
    assert_eq!(units.len(), 63, "the 63 grassroots organisations of seed 003: {b}");
    let finance = units.iter().find(|u| u["org_id"] == committee).expect("the finance department's committee");
    assert_eq!((finance["cells"].as_i64(), finance["cells_met"].as_i64()), (Some(cells), Some(1)));
    assert_eq!(units[0]["cells_met"], 0, "worst first");
    assert_eq!(units.iter().map(|u| u["cells"].as_i64().unwrap()).sum::<i64>(), b["cells"].as_i64().unwrap());

    // A month nobody met in: every cell is listed, the rate is 0.
    let (_, empty) = app.get(&viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-stats?month=2031-05")).await;
    assert_eq!((empty["cells_met"].as_i64(), empty["attendance_rate"].as_f64()), (Some(0), Some(0.0)));
    let (status, _) = app.get(&viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-stats?month=2031-13")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, trend) =
        app.get(&viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-trend?from=2031-01&to=2031-04")).await;
    let months: Vec<&str> = trend["months"].as_array().unwrap().iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert_eq!(months, ["2031-01", "2031-02", "2031-03", "2031-04"]);
    assert_eq!(trend["months"][2]["cells_met"], 1);

    // The same month as a workbook: every cell, the trend; no names for a viewer.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/orgs/{committee}/cell-meeting-report?month=2031-03")))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Từng chi bộ", "Theo tháng"]);
    let cells_sheet = book.worksheet_range("Từng chi bộ").unwrap();
    assert_eq!(cells_sheet.height() as i64, cells + 3, "a title, a blank row, the header, then every cell");

    // Refusals write nothing.
    let before = app.audit_len().await;
    let other_cell_member = app
        .db
        .query_one("SELECT MIN(id) FROM members WHERE org_id <> $1", dangvu_store::params![cell])
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    let (status, body) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([{"member_id": members[0], "status": "absent"}, {"member_id": other_cell_member, "status": "present"}]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_names(&body), ["[1].member_id"]);
    let (status, body) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([{"member_id": members[0], "status": "late"}]),
    )
    .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["[0].status".to_owned()]));
    let (status, body) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "weekly", "scheduled_at": "ngày mai"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&body), ["kind", "scheduled_at"]);
    // Meetings are held by cells, and only by cells in scope.
    let admin = app.login("admin").await;
    let (status, body) = app
        .post(
            &admin,
            "/api/v1/cell-meetings",
            json!({"org_id": committee, "kind": "regular", "scheduled_at": "2031-03-03"}),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["org_id".to_owned()]));
    let elsewhere = app.org_id("DUK-CCQ-STC-CB02").await;
    let (status, _) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": elsewhere, "kind": "regular", "scheduled_at": "2031-03-03"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .post(
            &viewer,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "regular", "scheduled_at": "2031-03-03"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_len().await, before);

    // A member sees the own cell's meetings, not the province's figures.
    let member = app.login("dangvien").await;
    let (status, _) = app.get(&member, &format!("/api/v1/orgs/{committee}/cell-meeting-stats")).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");
    let (status, list) = app.get(&secretary, &format!("/api/v1/cell-meetings?org_id={cell}&month=2031-03")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn members_reply_and_comment_on_their_phone(app: TestApp) {
    let secretary = app.login("bithu").await;
    let member = app.login("dangvien").await;
    let cell = app.org_id(CELL).await;
    // The demo's next regular meeting is there already.
    let (status, upcoming) = app.get(&member, "/api/v1/me/cell-meetings?upcoming=true").await;
    assert_eq!(status, StatusCode::OK, "{upcoming}");
    assert!(!upcoming["items"].as_array().unwrap().is_empty());
    // A meeting the secretary schedules appears at once.
    let id = schedule(&app, &secretary, cell, "2031-04-03T07:30").await;
    let (_, upcoming) = app.get(&member, "/api/v1/me/cell-meetings?upcoming=true").await;
    let items = upcoming["items"].as_array().unwrap();
    assert_eq!(items.last().unwrap()["id"], id, "soonest first: {upcoming}");

    // The documents to read are there for the member, as files to download.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/cell-meetings/{id}/files?name=Nghị quyết tháng 4.pdf")))
        .bearer_auth(&secretary)
        .body("%PDF-1.4 tài liệu sinh hoạt".as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let (_, files) = app.get(&member, &format!("/api/v1/cell-meetings/{id}/files")).await;
    let file = files["items"][0]["id"].as_i64().expect("a file");
    let res = app.http.get(app.url(&format!("/api/v1/files/{file}"))).bearer_auth(&member).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let res = app
        .http
        .post(app.url(&format!("/api/v1/cell-meetings/{id}/files?name=x.pdf")))
        .bearer_auth(&member)
        .body("%PDF".as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "members read the documents, the secretary posts them");

    // Asking to be excused needs a reason.
    let before = app.audit_len().await;
    let (status, body) =
        app.post(&member, &format!("/api/v1/cell-meetings/{id}/reply"), json!({"reply": "excused"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()]));
    assert_eq!(app.audit_len().await, before);
    let (status, done) = app
        .post(
            &member,
            &format!("/api/v1/cell-meetings/{id}/reply"),
            json!({"reply": "excused", "reason": "Đi công tác Hà Nội"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let me = done["member_id"].as_i64().unwrap();
    let (_, seen) = app.get(&secretary, &format!("/api/v1/cell-meetings/{id}")).await;
    let line = seen["roster"].as_array().unwrap().iter().find(|l| l["member_id"] == me).unwrap().clone();
    assert_eq!((line["reply"].as_str(), line["reply_reason"].as_str()), (Some("excused"), Some("Đi công tác Hà Nội")));

    // Comments on an agenda item, under the member's name.
    let (status, c) = app
        .post(
            &member,
            &format!("/api/v1/cell-meetings/{id}/comments"),
            json!({"agenda_item": 3, "body": "Đề nghị bổ sung tiến độ giải ngân."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["items"][0]["agenda_item"], 3);
    let (status, _) = app
        .post(&member, &format!("/api/v1/cell-meetings/{id}/comments"), json!({"agenda_item": 9, "body": "?"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A member sees the own line only, and records nothing for others.
    let (_, mine) = app.get(&member, &format!("/api/v1/cell-meetings/{id}")).await;
    assert_eq!(mine["roster"].as_array().unwrap().len(), 1);
    let (status, _) =
        app.send("PUT", &format!("/api/v1/cell-meetings/{id}/attendance"), Some(&member), Some(json!([]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another cell's meetings are not the member's.
    let other = app.org_id("DUK-CCQ-STC-CB02").await;
    let admin = app.login("admin").await;
    let elsewhere = schedule(&app, &admin, other, "2031-04-03").await;
    let (status, _) = app.get(&member, &format!("/api/v1/cell-meetings/{elsewhere}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An office account has no handbook.
    let (status, _) = app.get(&admin, "/api/v1/me/cell-meetings?upcoming=true").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The secretary answers for a member without a phone.
    let others: Vec<i64> = roster(&app, &secretary, id).await.into_iter().filter(|m| *m != me).collect();
    let (status, _) = app
        .post(
            &secretary,
            &format!("/api/v1/cell-meetings/{id}/reply"),
            json!({"reply": "attending", "member_id": others[0]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn minutes_lock_once_approved(app: TestApp) {
    let secretary = app.login("bithu").await;
    let cell = app.org_id(CELL).await;
    let id = schedule(&app, &secretary, cell, "2031-05-03").await;
    let (status, _) = app.post(&secretary, &format!("/api/v1/cell-meetings/{id}/minutes/approve"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "nothing held, nothing to approve");
    let members = roster(&app, &secretary, id).await;
    let all: Vec<Value> = members.iter().map(|m| json!({"member_id": m, "status": "present"})).collect();
    let (status, _) = put(&app, &secretary, &format!("/api/v1/cell-meetings/{id}/attendance"), Value::Array(all)).await;
    assert_eq!(status, StatusCode::OK);
    // A meeting shorter than the rules ask is saved, with a warning, through the API as on the page.
    let (status, short) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/minutes"),
        json!({"text": "Nháp.", "head": {"started_at": "07:30", "ended_at": "08:15"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{short}");
    let warning = short["length_warning"].as_str().unwrap_or_default();
    assert!(warning.contains("45 phút") && warning.contains("90 phút"), "{short}");
    let (status, v1) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/minutes"),
        json!({"text": "Chủ trì: đồng chí Bí thư. Có mặt đủ.",
               "head": {"chair": "Nguyễn Văn Hùng", "secretary": "Lê Thị Mai", "started_at": "07:30", "ended_at": "09:15", "self_score": "good"},
               "resolutions": [
            "Thống nhất kế hoạch tháng 6",
            {"text": "Đề nghị kết nạp quần chúng Trần Văn Bình", "votes_for": 10, "votes_against": 0, "votes_abstain": 1}
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v1}");
    assert_eq!(v1["version"], 1, "the draft was replaced");
    assert_eq!(v1["length_warning"], Value::Null, "105 minutes is long enough");
    assert_eq!(
        (v1["head"]["chair"].as_str(), v1["head"]["self_score"].as_str()),
        (Some("Nguyễn Văn Hùng"), Some("good"))
    );
    let (status, body) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/minutes"),
        json!({"text": "x", "head": {"started_at": "9h", "ended_at": "07:00", "self_score": "excellent"}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&body), ["started_at", "self_score"]);
    assert_eq!(v1["resolutions"][1]["votes_for"], 10);
    let (status, approved) =
        app.post(&secretary, &format!("/api/v1/cell-meetings/{id}/minutes/approve"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["state"], "approved");

    // The approved text cannot be changed, even in the database.
    let changed = app.db.begin().await.unwrap().execute("UPDATE cell_meeting_minutes SET text = 'x'", &[]).await;
    assert!(changed.is_err(), "approved minutes are locked");
    // Nor the roll call they record (present/total, the absent by name).
    let before = app.audit_len().await;
    let (status, body) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([{"member_id": members[0], "status": "absent"}]),
    )
    .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["state".to_owned()]));
    assert_eq!(app.audit_len().await, before);
    // A change is a new version that waits for approval again.
    let before = app.audit_len().await;
    let (status, v2) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/minutes"),
        json!({"text": "Chủ trì: đồng chí Bí thư. Có mặt đủ. Bổ sung ý kiến.", "resolutions": [], "change_reason": "Bổ sung ý kiến"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(v2["version"], 2);
    assert_eq!(app.audit_len().await, before + 1);
    // While the amendment waits for approval, the roll call can be corrected with it.
    let (status, held) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([{"member_id": members[0], "status": "excused", "reason": "Ốm"}]),
    )
    .await;
    assert_eq!((status, held["state"].as_str()), (StatusCode::OK, Some("held")), "{held}");
    let (_, versions) = app.get(&secretary, &format!("/api/v1/cell-meetings/{id}/minutes/versions")).await;
    let items = versions["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["text"], "Chủ trì: đồng chí Bí thư. Có mặt đủ.");
    assert!(items[1]["approved_at"].is_string() && items[0]["approved_at"].is_null());
    // Members read approved minutes only.
    let member = app.login("dangvien").await;
    let (_, seen) = app.get(&member, &format!("/api/v1/cell-meetings/{id}/minutes/versions")).await;
    assert_eq!(seen["items"].as_array().unwrap().len(), 1);

    // The year's minutes book prints the approved version; its download is audited.
    let before = app.audit_len().await;
    let res = app
        .http
        .get(app.url(&format!("/api/v1/orgs/{cell}/minutes-book?year=2031")))
        .bearer_auth(&secretary)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(app.audit_len().await, before + 1);
    let committee = app.org_id("DUK-CCQ-STC").await;
    let (status, _) = app.get(&secretary, &format!("/api/v1/orgs/{committee}/minutes-book?year=2031")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the secretary's scope is the cell");
    let (status, _) =
        app.get(&app.login("khoi").await, &format!("/api/v1/orgs/{committee}/minutes-book?year=2031")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a book is a cell's");
    let (status, _) = app.get(&member, &format!("/api/v1/orgs/{cell}/minutes-book?year=2031")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The month rows kept on every write equal a recount from the meetings.
    let mut tx = app.db.begin().await.unwrap();
    let drift = dangvu_store::cell_meetings::months_drift(&mut tx).await.unwrap();
    assert!(drift.is_empty(), "{drift:?}");
}

async fn absences_running_are_listed_and_corrected(app: TestApp) {
    let secretary = app.login("bithu").await;
    let organizer = app.login("khoi").await;
    let cell = app.org_id(CELL).await;
    let bloc = app.org_id("DUK-CCQ").await;
    let ids = [
        schedule(&app, &secretary, cell, "2031-01-03").await,
        schedule(&app, &secretary, cell, "2031-02-03").await,
        schedule(&app, &secretary, cell, "2031-03-03").await,
    ];
    // Members with no run of absences in the demo's months, so the count starts here.
    let running: Vec<i64> = app
        .db
        .query("SELECT member_id FROM cell_meeting_attendance WHERE absent_streak > 0", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.int(0).unwrap())
        .collect();
    let members: Vec<i64> =
        roster(&app, &secretary, ids[0]).await.into_iter().filter(|m| !running.contains(m)).collect();
    let (absentee, other) = (members[0], members[1]);
    for id in ids {
        let (status, body) = put(
            &app,
            &secretary,
            &format!("/api/v1/cell-meetings/{id}/attendance"),
            json!([{"member_id": absentee, "status": "absent"}, {"member_id": other, "status": "excused", "reason": "Ốm"}]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let listed = |body: &Value| -> Vec<(i64, i64)> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["member_id"].as_i64().unwrap(), a["meetings_missed"].as_i64().unwrap()))
            .collect()
    };
    let (status, body) =
        app.get(&organizer, &format!("/api/v1/orgs/{bloc}/cell-meeting-absentees?month=2031-03")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(listed(&body), [(absentee, 3)], "excused absences do not count");
    let (_, body) = app.get(&organizer, &format!("/api/v1/orgs/{bloc}/cell-meeting-absentees?month=2031-02")).await;
    assert!(listed(&body).is_empty());
    // A correction of February breaks the run, and March is recounted.
    put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{}/attendance", ids[1]),
        json!([{"member_id": absentee, "status": "present"}]),
    )
    .await;
    let (_, body) =
        app.get(&organizer, &format!("/api/v1/orgs/{bloc}/cell-meeting-absentees?month=2031-03&at_least=1")).await;
    assert_eq!(listed(&body), [(absentee, 1)]);
    // Names are for those who follow them up.
    let viewer = app.login("lanhdao").await;
    let (status, _) = app.get(&viewer, &format!("/api/v1/orgs/{bloc}/cell-meeting-absentees?month=2031-03")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The threshold and the unified day are settings.
    let admin = app.login("admin").await;
    let (status, s) = put(&app, &admin, "/api/v1/settings", json!({"cell_meeting_rules": {"regular_day": 4}})).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["cell_meeting_rules"]["regular_day"], 4);
    assert_eq!(s["cell_meeting_rules"]["absence_alert_meetings"], 3);
    let (status, body) =
        put(&app, &admin, "/api/v1/settings", json!({"cell_meeting_rules": {"regular_day": 31}})).await;
    assert_eq!(
        (status, field_names(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["cell_meeting_rules.regular_day".to_owned()])
    );
}

async fn topics_from_above_reach_every_cell_below(app: TestApp) {
    let office = app.login("vanphong").await;
    let organizer = app.login("khoi").await;
    let province = app.org_id("TU-NA").await;
    let finance = app.org_id("DUK-CCQ-STC").await;
    let (cell, other) = (app.org_id(CELL).await, app.org_id("DUK-CCQ-SGDDT-CB01").await);
    let (status, t) = app
        .post(&office, "/api/v1/cell-meeting-topics", json!({"org_id": province, "month": "2031-07", "title": "Quán triệt Nghị quyết Đại hội", "detail": "Đọc trước toàn văn"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let (status, t2) = app
        .post(
            &organizer,
            "/api/v1/cell-meeting-topics",
            json!({"org_id": finance, "month": "2031-07", "title": "Kiểm điểm tiến độ giải ngân"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t2}");
    let admin = app.login("admin").await;
    let here = schedule(&app, &admin, cell, "2031-07-03").await;
    let there = schedule(&app, &admin, other, "2031-07-03").await;
    let earlier = schedule(&app, &admin, cell, "2031-06-03").await;
    let titles = |body: &Value| -> Vec<String> {
        body["topics"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
    };
    let (_, m) = app.get(&admin, &format!("/api/v1/cell-meetings/{here}")).await;
    assert_eq!(titles(&m), ["Quán triệt Nghị quyết Đại hội", "Kiểm điểm tiến độ giải ngân"]);
    let (_, m) = app.get(&admin, &format!("/api/v1/cell-meetings/{there}")).await;
    assert_eq!(titles(&m), ["Quán triệt Nghị quyết Đại hội"], "the finance committee's topic stays in its cells");
    let (_, m) = app.get(&admin, &format!("/api/v1/cell-meetings/{earlier}")).await;
    assert!(titles(&m).is_empty(), "another month");
    // The member reads them on the handbook.
    let member = app.login("dangvien").await;
    let (_, m) = app.get(&member, &format!("/api/v1/cell-meetings/{here}")).await;
    assert_eq!(titles(&m).len(), 2);
    // Refusals: a member, a bad month; then a withdrawal.
    let (status, _) = app
        .post(&member, "/api/v1/cell-meeting-topics", json!({"org_id": cell, "month": "2031-07", "title": "x"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(&office, "/api/v1/cell-meeting-topics", json!({"org_id": province, "month": "07/2031", "title": "x"}))
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["month".to_owned()]));
    let (_, list) = app.get(&office, &format!("/api/v1/cell-meeting-topics?org_id={province}")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let id = t["id"].as_i64().unwrap();
    let (status, _) = app.send("DELETE", &format!("/api/v1/cell-meeting-topics/{id}"), Some(&office), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, m) = app.get(&admin, &format!("/api/v1/cell-meetings/{there}")).await;
    assert!(titles(&m).is_empty());
}

async fn member_tasks_are_followed_until_accepted(app: TestApp) {
    let secretary = app.login("bithu").await;
    let member = app.login("dangvien").await;
    let cell = app.org_id(CELL).await;
    let id = schedule(&app, &secretary, cell, "2031-08-03").await;
    let (_, me) = app.get(&member, "/api/v1/me").await;
    let me = me["user"]["member_id"].as_i64().expect("the member account's member");
    let (status, task) = app
        .post(
            &secretary,
            &format!("/api/v1/cell-meetings/{id}/tasks"),
            json!({"member_id": me, "title": "Vận động 5 hộ hoàn thành nộp thuế", "due_on": "2031-09-30"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{task}");
    assert_eq!((task["status"].as_str(), task["progress"].as_i64()), (Some("open"), Some(0)));
    let task = task["id"].as_i64().unwrap();
    // Only the secretary gives tasks, only to members of the cell.
    let (status, _) = app
        .post(&member, &format!("/api/v1/cell-meetings/{id}/tasks"), json!({"member_id": me, "title": "Tự giao"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let outsider = app
        .db
        .query_one("SELECT MIN(id) FROM members WHERE org_id <> $1", dangvu_store::params![cell])
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    let (status, body) = app
        .post(
            &secretary,
            &format!("/api/v1/cell-meetings/{id}/tasks"),
            json!({"member_id": outsider, "title": "Ngoài chi bộ"}),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["member_id".to_owned()]));

    // The member sees it, reports it done; the secretary returns it once, then accepts it.
    let (_, mine) = app.get(&member, "/api/v1/me/cell-meeting-tasks").await;
    assert_eq!(mine["items"][0]["id"], task);
    let (status, _) =
        app.post(&secretary, &format!("/api/v1/cell-meeting-tasks/{task}/review"), json!({"accept": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "nothing reported yet");
    let (status, t) = app
        .post(
            &member,
            &format!("/api/v1/cell-meeting-tasks/{task}/reports"),
            json!({"progress": 100, "note": "Đã vận động xong 5 hộ"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["review"], "pending");
    let (_, t) =
        app.post(&secretary, &format!("/api/v1/cell-meeting-tasks/{task}/review"), json!({"accept": false})).await;
    assert_eq!(t["review"], "returned");
    app.post(
        &member,
        &format!("/api/v1/cell-meeting-tasks/{task}/reports"),
        json!({"progress": 100, "note": "Bổ sung biên nhận"}),
    )
    .await;
    let (_, t) =
        app.post(&secretary, &format!("/api/v1/cell-meeting-tasks/{task}/review"), json!({"accept": true})).await;
    assert_eq!(t["status"], "done_on_time", "{t}");
    let (_, mine) = app.get(&member, "/api/v1/me/cell-meeting-tasks").await;
    assert!(mine["items"].as_array().unwrap().is_empty(), "accepted work leaves the list");
    let (_, list) = app.get(&secretary, &format!("/api/v1/cell-meetings/{id}/tasks")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

fn lists(stats: &Value, key: &str, org_id: i64) -> bool {
    stats[key].as_array().unwrap_or_else(|| panic!("{key} in {stats}")).iter().any(|c| c["org_id"] == org_id)
}

async fn quarters_ask_for_thematic_meetings_and_cells_for_official_members(app: TestApp) {
    let secretary = app.login("bithu").await;
    let viewer = app.login("lanhdao").await;
    let cell = app.org_id(CELL).await;
    let committee = app.org_id("DUK-CCQ-STC").await;
    let stats = |month: &'static str| {
        let (app, viewer) = (&app, &viewer);
        async move {
            let (status, s) =
                app.get(viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-stats?month={month}")).await;
            assert_eq!(status, StatusCode::OK, "{s}");
            s
        }
    };
    let (status, thematic) = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "thematic", "scheduled_at": "2031-04-10T14:00:00+07:00", "topic": "Chuyển đổi số"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{thematic}");
    let id = thematic["id"].as_i64().unwrap();
    let may = stats("2031-05").await;
    assert_eq!(may["thematic_per_quarter"], 1);
    assert!(lists(&may, "cells_short_of_thematic", cell), "scheduled is not held: {may}");
    assert_eq!(may["cells_short_of_thematic"].as_array().unwrap().len() as i64, may["cells"].as_i64().unwrap());

    let members = roster(&app, &secretary, id).await;
    let (status, body) = put(
        &app,
        &secretary,
        &format!("/api/v1/cell-meetings/{id}/attendance"),
        json!([{"member_id": members[0], "status": "present"}]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Held in April, it counts for April, May and June, not for March nor for July.
    for month in ["2031-04", "2031-05", "2031-06"] {
        assert!(!lists(&stats(month).await, "cells_short_of_thematic", cell), "{month}");
    }
    for month in ["2031-03", "2031-07"] {
        assert!(lists(&stats(month).await, "cells_short_of_thematic", cell), "{month}");
    }

    // A new cell with nobody in it yet is below the three official members a cell needs.
    let organizer = app.login("tochuc").await;
    let (status, new_cell) = app
        .post(
            &organizer,
            "/api/v1/orgs",
            json!({"code": "DUK-CCQ-STC-CB99", "name": "Chi bộ Thử mới", "kind": "cell", "parent_id": committee}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{new_cell}");
    let new_cell = new_cell["id"].as_i64().unwrap();
    let (_, now) = app.get(&viewer, &format!("/api/v1/orgs/{committee}/cell-meeting-stats")).await;
    assert_eq!(now["min_official_members"], 3);
    assert!(lists(&now, "cells_too_few_official", new_cell), "{now}");
    let full = app
        .db
        .query_one("SELECT full_count FROM org_member_totals WHERE org_id = $1", dangvu_store::params![cell])
        .await
        .unwrap()
        .map_or(0, |r| r.int(0).unwrap());
    assert_eq!(lists(&now, "cells_too_few_official", cell), full < 3, "{full} official members: {now}");
}

async fn a_meeting_moves_or_is_cancelled_until_it_is_held(app: TestApp) {
    let secretary = app.login("bithu").await;
    let member = app.login("dangvien").await;
    let cell = app.org_id(CELL).await;
    let id = schedule(&app, &secretary, cell, "2031-03-03T07:30:00+07:00").await;
    let (status, _) =
        app.post(&member, &format!("/api/v1/cell-meetings/{id}/reply"), json!({"reply": "attending"})).await;
    assert_eq!(status, StatusCode::OK);

    // The 3rd falls on a holiday: the meeting moves to April, its default title with it, and
    // the member's answer stays.
    let (status, moved) = app
        .send(
            "PATCH",
            &format!("/api/v1/cell-meetings/{id}"),
            Some(&secretary),
            Some(json!({"scheduled_at": "2031-04-02T14:00", "place": "Hội trường tầng 2"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["scheduled_at"], "2031-04-02T14:00:00+07:00");
    assert_eq!(
        (moved["month"].as_str(), moved["title"].as_str()),
        (Some("2031-04"), Some("Sinh hoạt thường kỳ tháng 4/2031"))
    );
    assert_eq!(moved["place"], "Hội trường tầng 2");
    assert_eq!(moved["agenda"].as_array().unwrap().len(), 3, "the agenda is kept: {moved}");
    let (_, mine) = app.get(&member, "/api/v1/me/cell-meetings").await;
    let line =
        mine["items"].as_array().unwrap().iter().find(|m| m["id"] == id).cloned().expect("still on the handbook");
    assert_eq!(line["month"], "2031-04");
    let (_, seen) = app.get(&secretary, &format!("/api/v1/cell-meetings/{id}")).await;
    assert!(seen["roster"].as_array().unwrap().iter().any(|l| l["reply"] == "attending"), "{seen}");

    // A topic of its own is kept as written; a bad time changes nothing.
    let (status, titled) = app
        .send(
            "PATCH",
            &format!("/api/v1/cell-meetings/{id}"),
            Some(&secretary),
            Some(json!({"topic": "Kỳ họp tháng Tư"})),
        )
        .await;
    assert_eq!((status, titled["title"].as_str()), (StatusCode::OK, Some("Kỳ họp tháng Tư")));
    let before = app.audit_len().await;
    let (status, body) = app
        .send("PATCH", &format!("/api/v1/cell-meetings/{id}"), Some(&secretary), Some(json!({"scheduled_at": "mai"})))
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["scheduled_at".to_owned()]));
    // Members read the meeting; they do not move or cancel it.
    let (status, _) = app
        .send("PATCH", &format!("/api/v1/cell-meetings/{id}"), Some(&member), Some(json!({"place": "Nhà tôi"})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_len().await, before);
    // A thematic meeting keeps a topic: emptying it is refused as creating one without is.
    let thematic = app
        .post(
            &secretary,
            "/api/v1/cell-meetings",
            json!({"org_id": cell, "kind": "thematic", "scheduled_at": "2031-03-17T14:00", "topic": "Học tập Nghị quyết"}),
        )
        .await
        .1["id"]
        .as_i64()
        .expect("a thematic meeting");
    let (status, body) = app
        .send("PATCH", &format!("/api/v1/cell-meetings/{thematic}"), Some(&secretary), Some(json!({"topic": "  "})))
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["topic".to_owned()]));
    let before = app.audit_len().await;
    let (status, _) = app.post(&member, &format!("/api/v1/cell-meetings/{id}/cancel"), json!({"reason": "Bận"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) =
        app.post(&secretary, &format!("/api/v1/cell-meetings/{id}/cancel"), json!({"reason": " "})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()]));
    assert_eq!(app.audit_len().await, before);

    let (status, cancelled) = app
        .post(
            &secretary,
            &format!("/api/v1/cell-meetings/{id}/cancel"),
            json!({"reason": "Chi bộ sinh hoạt ghép với tháng 5"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(
        (cancelled["state"].as_str(), cancelled["cancel_reason"].as_str()),
        (Some("cancelled"), Some("Chi bộ sinh hoạt ghép với tháng 5"))
    );
    // Held or cancelled, a meeting no longer moves.
    let (status, body) = app
        .send(
            "PATCH",
            &format!("/api/v1/cell-meetings/{id}"),
            Some(&secretary),
            Some(json!({"scheduled_at": "2031-04-03"})),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["state".to_owned()]));
}

/// The first link to a cell meeting on a page.
fn meeting_link(html: &str) -> String {
    let at = html.find("href=\"/cell-meetings/").expect("a link to a meeting") + 6;
    html[at..].split('"').next().unwrap().to_owned()
}

both_backends!(pages_of_cell_meetings);

/// The handbook on a member's phone stays light; the secretary schedules, records attendance,
/// writes and approves the minutes; the province sees which cells met.
async fn pages_of_cell_meetings(app: TestApp) {
    let member = sign_in(&app, "dangvien").await;
    let (status, home) = page(&app, &member, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Sổ tay đảng viên") && home.contains("Sắp tới"), "{home}");
    assert!(!home.contains("<script"), "no script on the handbook");
    assert!(!home.contains("href=\"/members\""), "no office navigation for a member");

    // Under 50 KB of HTML and CSS after compression, as a cheap phone on a slow link gets it.
    let mut bytes = 0;
    let meeting = meeting_link(&home);
    for path in ["/".to_owned(), meeting.clone(), "/static/app.css".to_owned(), "/static/icon.svg".to_owned()] {
        let res = app
            .http
            .get(app.url(&path))
            .header("cookie", &member)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        bytes += res.bytes().await.unwrap().len();
    }
    assert!(bytes < 50 * 1024, "the handbook weighs {bytes} bytes");

    let (_, html) = page(&app, &member, &meeting).await;
    assert!(html.contains("Tôi sẽ dự họp"), "{html}");
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &member,
        &format!("{meeting}/reply"),
        &[("csrf", &csrf), ("reply", "excused"), ("reason", "Đi công tác Vinh")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &member, &location).await;
    assert!(html.contains("Đã gửi trả lời") && html.contains("Đi công tác Vinh"), "{html}");
    let (status, _, html) =
        post_form(&app, &member, &format!("{meeting}/reply"), &[("csrf", &csrf), ("reply", "excused")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hãy ghi lý do xin vắng"), "{html}");

    // The secretary's pages.
    let secretary = sign_in(&app, "bithu").await;
    let (status, html) = page(&app, &secretary, "/cell-meetings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Lên lịch sinh hoạt"), "{html}");
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &secretary,
        "/cell-meetings",
        &[
            ("csrf", &csrf),
            ("org_code", "DUK-CCQ-STC-CB01"),
            ("kind", "regular"),
            ("date", "2031-06-03"),
            ("time", "07:30"),
            ("topic", ""),
            ("place", "Hội trường Sở"),
            ("agenda", "Học tập và làm theo Bác\nNhiệm vụ tháng 7"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let id: i64 = location.trim_start_matches("/cell-meetings/").split('?').next().unwrap().parse().unwrap();
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Sinh hoạt thường kỳ tháng 6/2031") && html.contains("Nhiệm vụ tháng 7"), "{html}");
    // The secretary moves it by a day from the form on its page.
    assert!(html.contains("value=\"2031-06-03T07:30\""), "{html}");
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/reschedule"),
        &[
            ("csrf", &csrf),
            ("scheduled_at", "2031-06-04T08:00"),
            ("place", "Hội trường Sở"),
            ("topic", "Sinh hoạt thường kỳ tháng 6/2031"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Đã đổi lịch sinh hoạt") && html.contains("04/06/2031 lúc 08:00"), "{html}");
    // Attendance from the form: every member of the roster present.
    let (_, detail) = app.get(&app.login("bithu").await, &format!("/api/v1/cell-meetings/{id}")).await;
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
    for line in detail["roster"].as_array().unwrap() {
        fields.push((format!("s{}", line["member_id"]), "present".into()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, location, _) = post_form(&app, &secretary, &format!("/cell-meetings/{id}/attendance"), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(
        html.contains("Đã lưu điểm danh") && html.contains("BIÊN BẢN"),
        "the minutes start from the template: {html}"
    );
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/minutes"),
        &[
            ("csrf", &csrf),
            ("chair", "Nguyễn Văn Hùng"),
            ("started_at", "07:30"),
            ("ended_at", "08:30"),
            ("self_score", "fair"),
            ("text", "Diễn biến buổi sinh hoạt"),
            ("resolutions", "Thông qua kế hoạch tháng 7 | 12 | 0 | 0"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("tán thành 12") && html.contains("<dd>Khá</dd>"), "{html}");
    assert!(html.contains("ít hơn 90 phút"), "an hour is short of the rules: {html}");
    let (status, location, _) =
        post_form(&app, &secretary, &format!("/cell-meetings/{id}/approve"), &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Biên bản đã thông qua và được khóa"), "{html}");

    // A task for the member who signs in as `dangvien`; it shows on the handbook.
    let (_, me) = app.get(&app.login("dangvien").await, "/api/v1/me").await;
    let me = me["user"]["member_id"].to_string();
    let (status, location, _) = post_form(
        &app,
        &secretary,
        &format!("/cell-meetings/{id}/tasks"),
        &[
            ("csrf", &csrf),
            ("member_id", &me),
            ("title", "Viết bài tuyên truyền chuyển đổi số"),
            ("due_on", "2031-07-15"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &secretary, &location).await;
    assert!(html.contains("Đã giao nhiệm vụ cho đảng viên"), "{html}");
    let (_, home) = page(&app, &member, "/").await;
    assert!(home.contains("Việc được giao") && home.contains("Viết bài tuyên truyền chuyển đổi số"), "{home}");
    let task_action = home.split("action=\"/cell-meeting-tasks/").nth(1).unwrap().split('"').next().unwrap();
    let member_csrf = csrf_of(&home);
    let (status, location, _) = post_form(
        &app,
        &member,
        &format!("/cell-meeting-tasks/{task_action}"),
        &[("csrf", &member_csrf), ("progress", "100"), ("note", "Đã đăng trên trang của Sở")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = page(&app, &member, &location).await;
    assert!(home.contains("Chờ bí thư công nhận"), "{home}");

    // The province's view of the bloc in that month.
    let viewer = sign_in(&app, "lanhdao").await;
    let (status, html) = page(&app, &viewer, "/cell-meetings?org_code=DUK-CCQ&month=2031-06").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chi bộ chưa sinh hoạt") && html.contains("<svg"), "{html}");
    assert!(html.contains("Theo đơn vị trực thuộc") && html.contains("Đảng bộ Sở Tài chính"), "{html}");
    assert!(html.contains("Danh sách do Ban Tổ chức"), "a viewer sees counts, not names");
    assert!(html.contains("Chưa đủ 1 buổi chuyên đề trong quý"), "{html}");
    assert!(html.contains("Dưới 3 đảng viên chính thức"), "{html}");
    // The office's list is not a page of the handbook: for a member it does not exist.
    let (status, _) = page(&app, &member, "/cell-meetings?org_code=DUK-CCQ").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a member stays in the handbook");

    // The bloc's office sets a topic for June; the cell's June meeting shows it.
    let organizer = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &organizer, "/cell-meetings?org_code=DUK-CCQ&month=2031-06").await;
    let csrf = csrf_of(&html);
    let (status, location, _) = post_form(
        &app,
        &organizer,
        "/cell-meeting-topics",
        &[
            ("csrf", &csrf),
            ("org_code", "DUK-CCQ"),
            ("month", "2031-06"),
            ("title", "Học tập chuyên đề năm 2031"),
            ("detail", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &organizer, &location).await;
    assert!(html.contains("Đã gửi định hướng") && html.contains("Học tập chuyên đề năm 2031"), "{html}");
    let (_, html) = page(&app, &secretary, &format!("/cell-meetings/{id}")).await;
    assert!(html.contains("Nội dung cấp trên định hướng") && html.contains("Học tập chuyên đề năm 2031"), "{html}");
}
