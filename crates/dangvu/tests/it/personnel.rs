//! Personnel work: only an account with the personnel grant reads it, inside its scope, every
//! read written to the audit log; the Organisation board keeps the structure, the holders and
//! the planning pools, and the rules (retirement, term limits, the pools' ratios) show on them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{PASSWORD, TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    personnel_data_is_read_only_with_the_grant_and_every_read_is_logged,
    the_organisation_board_keeps_posts_holders_and_the_planning_pools,
    the_congress_personnel_plan_is_approved_above_and_the_vote_compared_with_it,
    a_case_of_the_five_steps_votes_with_a_quorum_and_chooses_by_the_rule
);

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let sql = format!("SELECT id FROM users WHERE username = '{username}'");
    app.db.query_one(&sql, &[]).await.unwrap().expect("user").int(0).unwrap()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send("PUT", path, Some(token), Some(body)).await
}

/// A full member of the bloc's registry, younger than `born_after`, of the gender asked for.
async fn member(app: &TestApp, gender: &str, born_after: &str, skip: i64) -> i64 {
    let bloc = app.org_id("DUK-CCQ").await;
    let sql = format!(
        "SELECT m.id FROM members m JOIN org_versions v ON v.org_id = m.org_id AND v.valid_to IS NULL
         WHERE v.path LIKE '%/{bloc}/%' AND m.gender = '{gender}' AND m.birth_date > '{born_after}'
           AND m.status = 'full' AND m.ended_on IS NULL ORDER BY m.id LIMIT 1 OFFSET {skip}"
    );
    app.db.query_one(&sql, &[]).await.unwrap().expect("a member").int(0).unwrap()
}

async fn personnel_data_is_read_only_with_the_grant_and_every_read_is_logged(app: TestApp) {
    let bloc = app.org_id("DUK-CCQ").await;
    let province = app.org_id("TU-NA").await;
    let admin = app.login("admin").await;
    // An admin of the bloc, a level below the province, first without the grant.
    let (status, _) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "qt.khoi", "password": PASSWORD, "role": "admin", "org_id": bloc}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let reads = [
        format!("/api/v1/personnel/limits?org_id={bloc}"),
        format!("/api/v1/orgs/{bloc}/personnel"),
        format!("/api/v1/orgs/{bloc}/planning?term=2030-2035"),
    ];
    let pages = [
        format!("/personnel?org_id={bloc}"),
        format!("/orgs/{bloc}/personnel"),
        format!("/orgs/{bloc}/planning?term=2030-2035"),
    ];
    // The province's office, a cell secretary, the bloc's Organisation board and its admin, the
    // whole tree's admin: none has the grant, none reads anything, through the API or a page.
    for username in ["vanphong", "bithu", "khoi", "qt.khoi", "admin"] {
        let token = app.login(username).await;
        for path in &reads {
            let (status, body) = app.get(&token, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{username} {path}: {body}");
        }
        let cookie = sign_in(&app, username).await;
        for path in &pages {
            let (status, html) = page(&app, &cookie, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{username} {path}");
            assert!(!html.contains("quy hoạch") && !html.contains("Nghỉ hưu"), "{username} {path}");
        }
        let (_, home) = page(&app, &cookie, "/").await;
        assert!(!home.contains("href=\"/personnel\""), "{username} sees no personnel link");
    }
    // Nor does anything of it reach the members' export or a member's record.
    let organiser = app.login("tochuc").await;
    let (_, pool) = app.get(&organiser, &format!("/api/v1/orgs/{bloc}/planning?term=2030-2035")).await;
    let planned = pool["posts"][0]["people"][0]["full_name"].as_str().expect("a planned person").to_owned();
    let planned_id = pool["posts"][0]["people"][0]["member_id"].as_i64().unwrap();
    let (_, record) = app.get(&admin, &format!("/api/v1/members/{planned_id}")).await;
    let record = record.to_string();
    assert!(record.contains(&planned) && !record.contains("2030-2035") && !record.contains("312-QĐ"), "{record}");
    let export = app.http.get(app.url(&format!("/api/v1/members/export?org_id={bloc}"))).bearer_auth(&admin);
    let export = export.send().await.unwrap().text().await.unwrap();
    assert!(!export.contains("312-QĐ") && !export.contains("quy hoạch"), "the export carries no planning");
    // The audit log names who looked, not whom they found in the pools.
    let (_, log) = app.get(&admin, "/api/v1/audit?limit=500").await;
    let planning_entries: Vec<&Value> =
        log["items"].as_array().unwrap().iter().filter(|e| e["action"] == "planning.add").collect();
    assert!(!planning_entries.is_empty());
    for e in planning_entries {
        assert!(e["after"].get("member_id").is_none() && !e.to_string().contains(&planned), "{e}");
    }

    // With the grant, the bloc's admin reads its own subtree and not the province above it.
    let qt_khoi = user_id(&app, "qt.khoi").await;
    let (status, granted) =
        put(&app, &admin, &format!("/api/v1/users/{qt_khoi}/personnel"), json!({"granted": true})).await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["personnel"], true);
    let token = app.login("qt.khoi").await;
    let before = app.audit_len().await;
    for path in &reads {
        let (status, body) = app.get(&token, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    assert_eq!(app.audit_len().await, before + 3, "each read is one entry of the audit log");
    let (_, log) = app.get(&admin, "/api/v1/audit?limit=3").await;
    for e in log["items"].as_array().unwrap() {
        assert_eq!(e["action"], "personnel.read", "{e}");
        assert_eq!(e["actor_name"], "qt.khoi", "{e}");
    }
    let (status, _) = app.get(&token, &format!("/api/v1/orgs/{province}/personnel")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the province lies above the bloc's admin");
    // A page shows the link and the data to the granted account.
    let cookie = sign_in(&app, "qt.khoi").await;
    let (status, html) = page(&app, &cookie, &format!("/personnel?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/personnel\"") && html.contains("Chức danh còn thiếu"), "{html}");

    // The grant goes to those who do personnel work only, and an admin gives it in scope only.
    let office = user_id(&app, "vanphong").await;
    let (status, body) =
        put(&app, &admin, &format!("/api/v1/users/{office}/personnel"), json!({"granted": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "personnel", "{body}");
    let lanhdao = user_id(&app, "lanhdao").await;
    let (status, _) = put(&app, &token, &format!("/api/v1/users/{lanhdao}/personnel"), json!({"granted": false})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the province's leader is outside the bloc's admin");
    let (status, _) =
        put(&app, &organiser, &format!("/api/v1/users/{qt_khoi}/personnel"), json!({"granted": false})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only an admin grants");
    // Taken back, it reads nothing again.
    let (status, _) = put(&app, &admin, &format!("/api/v1/users/{qt_khoi}/personnel"), json!({"granted": false})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get(&token, &reads[1]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_organisation_board_keeps_posts_holders_and_the_planning_pools(app: TestApp) {
    let bloc = app.org_id("DUK-CCQ").await;
    let organiser = app.login("tochuc").await;
    let leader = app.login("lanhdao").await;

    // The demo's bloc: a secretary in a second running term, seats still empty.
    let (status, posts) = app.get(&organiser, &format!("/api/v1/orgs/{bloc}/personnel")).await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    let secretary = posts["posts"].as_array().unwrap().iter().find(|p| p["post"] == "secretary").unwrap();
    assert_eq!(secretary["holders"][0]["consecutive_terms"], 2, "{secretary}");
    assert!(secretary["holders"][0]["limits"].to_string().contains("term_limit"), "{secretary}");
    let (_, report) = app.get(&leader, &format!("/api/v1/personnel/limits?org_id={bloc}")).await;
    assert!(report["gaps"].as_array().unwrap().iter().any(|g| g["org_id"] == bloc && g["post"] == "standing_board"));
    assert!(report["limits"].as_array().unwrap().iter().any(|h| h["org_id"] == bloc && h["post"] == "secretary"));
    // Counted per unit directly below: the bloc's own posts first, the vacant seats adding up.
    let units = report["units"].as_array().unwrap();
    assert_eq!(units[0]["org_id"], bloc, "{units:?}");
    let vacant: i64 = units.iter().map(|u| u["vacant"].as_i64().unwrap()).sum();
    let gaps: i64 = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["seats"].as_i64().unwrap() - g["held"].as_i64().unwrap())
        .sum();
    assert_eq!(vacant, gaps);
    let orgs: i64 = units.iter().map(|u| u["orgs"].as_i64().unwrap()).sum();
    assert_eq!(orgs, report["orgs"].as_i64().unwrap());
    assert_eq!(units.iter().map(|u| u["cases_open"].as_i64().unwrap()).sum::<i64>(), 1, "the demo's case");

    // A leader with the grant reads but does not change.
    let (status, _) = put(
        &app,
        &leader,
        &format!("/api/v1/orgs/{bloc}/personnel/seats"),
        json!({"seats": [{"post": "standing_board", "seats": 7}]}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The structure: a board's head, and a head's post cannot have two seats.
    let (_, bodies) = app.get(&organiser, &format!("/api/v1/orgs/{bloc}/bodies")).await;
    let body_id = match bodies["items"].as_array().and_then(|b| b.first()) {
        Some(b) => b["id"].as_i64().unwrap(),
        None => {
            let (status, b) = app
                .post(
                    &organiser,
                    &format!("/api/v1/orgs/{bloc}/bodies"),
                    json!({"kind": "board", "name": "Ban Tổ chức"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{b}");
            b["id"].as_i64().unwrap()
        }
    };
    let before = app.audit_len().await;
    let (status, body) = put(
        &app,
        &organiser,
        &format!("/api/v1/orgs/{bloc}/personnel/seats"),
        json!({"seats": [{"post": "standing_board", "seats": 7}, {"post": "inspection_chair", "seats": 2}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.audit_len().await, before, "a refused change writes nothing, not even its first half");
    let (status, posts) = put(
        &app,
        &organiser,
        &format!("/api/v1/orgs/{bloc}/personnel/seats"),
        json!({"seats": [{"post": "standing_board", "seats": 7}, {"post": "board_head", "body_id": body_id, "seats": 1}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    let board = posts["posts"].as_array().unwrap().iter().find(|p| p["post"] == "board_head").unwrap();
    assert_eq!((board["seats"].as_i64(), board["holders"].as_array().unwrap().len()), (Some(1), 0));

    // Appointments: a head of board needs the board; the next head replaces the first.
    let (a, b) = (member(&app, "male", "1975-01-01", 10).await, member(&app, "female", "1975-01-01", 10).await);
    let appoint = |member_id: i64, since: &str| {
        json!({"post": "board_head", "body_id": body_id, "member_id": member_id, "term": "2025-2030",
               "since": since, "decision": "20-QĐ/ĐUK ngày 05/01/2026"})
    };
    let url = format!("/api/v1/orgs/{bloc}/personnel/holders");
    let (status, body) = app
        .post(
            &organiser,
            &url,
            json!({"post": "board_head", "member_id": a, "term": "2025-2030", "since": "2026-01-05", "decision": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("body_id")),
        "{body}"
    );
    let (status, body) = app
        .post(
            &organiser,
            &url,
            json!({"post": "board_head", "body_id": body_id, "member_id": a,
        "term": "2030/2025", "since": "2026-01-05", "decision": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("term")),
        "{body}"
    );
    let (status, _) = app.post(&organiser, &url, appoint(a, "2026-01-05")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, posts) = app.post(&organiser, &url, appoint(b, "2026-06-01")).await;
    assert_eq!(status, StatusCode::CREATED, "{posts}");
    let board = posts["posts"].as_array().unwrap().iter().find(|p| p["post"] == "board_head").unwrap();
    assert_eq!(board["holders"].as_array().unwrap().len(), 1);
    assert_eq!(board["holders"][0]["member_id"], b);
    let left = posts["past"].as_array().unwrap().iter().find(|h| h["member_id"] == a).expect("the first head left");
    assert_eq!(left["until"], "2026-06-01");
    // The standing board is full at its seats; a holder steps down with a reason.
    let holder = board["holders"][0]["id"].as_i64().unwrap();
    let (status, body) = app
        .post(
            &organiser,
            &format!("/api/v1/personnel/holders/{holder}/end"),
            json!({"until": "2026-06-01", "reason": "Nghỉ"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not on the day they started: {body}");
    let (status, posts) = app
        .post(
            &organiser,
            &format!("/api/v1/personnel/holders/{holder}/end"),
            json!({"until": "2026-07-01", "reason": "Chuyển công tác"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    assert!(posts["past"].to_string().contains("Chuyển công tác"));

    // Planning: the demo's pools for 2030-2035, one person taken out at the 2026 review.
    let planning = format!("/api/v1/orgs/{bloc}/planning");
    let (_, pool) = app.get(&organiser, &format!("{planning}?term=2030-2035")).await;
    assert_eq!(pool["removed"].as_array().unwrap().len(), 1, "{pool}");
    // As it stood before the review, the person was still in.
    let (_, then) = app.get(&organiser, &format!("{planning}?term=2030-2035&on=2026-01-01")).await;
    assert_eq!(then["removed"].as_array().unwrap().len(), 0);
    assert_eq!(then["level"]["people"].as_i64().unwrap(), pool["level"]["people"].as_i64().unwrap() + 1);

    // A new pool for the standing board of 2030-2035: four men past forty break the rules.
    let mut added = Vec::new();
    for skip in 20..24 {
        let m = member(&app, "male", "1960-01-01", skip).await;
        let (status, pool) = app
            .post(
                &organiser,
                &planning,
                json!({"term": "2030-2035", "post": "standing_board", "member_id": m, "added_on": "2026-03-01",
                       "decision": "45-QĐ/TU ngày 01/3/2026", "standards": ["Đủ sức khỏe"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{pool}");
        added.push((m, pool));
    }
    let (_, pool) = added.last().unwrap().clone();
    let board_pool = pool["posts"].as_array().unwrap().iter().find(|p| p["post"] == "standing_board").unwrap();
    let warnings = board_pool["figures"]["warnings"].to_string();
    assert!(warnings.contains("Quá 3 người") && warnings.contains("nữ"), "{warnings}");
    assert_eq!(board_pool["figures"]["women"], 0);
    // Twice in the same pool, an unknown standard, a member from nowhere: refused by field.
    let first = added[0].0;
    for (input, field) in [
        (json!({"member_id": first}), "member_id"),
        (json!({"member_id": added[1].0, "post": "secretary", "standards": ["Biết hát"]}), "standards"),
        (json!({"member_id": 999_999_999}), "member_id"),
    ] {
        let mut body =
            json!({"term": "2030-2035", "post": "standing_board", "added_on": "2026-03-01", "decision": "1-QĐ"});
        for (k, v) in input.as_object().unwrap() {
            body[k] = v.clone();
        }
        let before = app.audit_len().await;
        let (status, answer) = app.post(&organiser, &planning, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
        assert_eq!(app.audit_len().await, before);
    }
    // The review: standards ticked, one person taken out by decision.
    let entry = board_pool["people"].as_array().unwrap().iter().find(|e| e["member_id"] == first).unwrap();
    let entry = entry["id"].as_i64().unwrap();
    let (status, pool) = put(
        &app,
        &organiser,
        &format!("/api/v1/planning/{entry}/standards"),
        json!({"standards": ["Đủ sức khỏe", "Trình độ chuyên môn đại học trở lên"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{pool}");
    assert!(pool.to_string().contains("Trình độ chuyên môn đại học trở lên"));
    let (status, pool) = app
        .post(
            &organiser,
            &format!("/api/v1/planning/{entry}/removal"),
            json!({"removed_on": "2026-11-30", "decision": "410-QĐ/TU", "reason": "Rà soát năm 2026"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{pool}");
    let board_pool = pool["posts"].as_array().unwrap().iter().find(|p| p["post"] == "standing_board").unwrap();
    assert_eq!(board_pool["figures"]["people"], 3);
    assert!(!board_pool["figures"]["warnings"].to_string().contains("Quá 3 người"));

    // The pages: the planning page shows the pool; its form adds a person, its errors stay.
    let cookie = sign_in(&app, "tochuc").await;
    let (status, html) = page(&app, &cookie, &format!("/orgs/{bloc}/planning?term=2030-2035")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ủy viên Ban Thường vụ") && html.contains("Đã đưa ra khỏi quy hoạch"), "{html}");
    let csrf = csrf_of(&html);
    let woman = member(&app, "female", "1990-01-01", 0).await.to_string();
    let form = [
        ("csrf", csrf.as_str()),
        ("term", "2030-2035"),
        ("post", "standing_board"),
        ("body_id", ""),
        ("member_id", woman.as_str()),
        ("added_on", "2026-03-02"),
        ("decision", "46-QĐ/TU"),
    ];
    let (status, location, _) = post_form(&app, &cookie, &format!("/orgs/{bloc}/planning"), &form).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, format!("/orgs/{bloc}/planning?term=2030-2035").as_str())
    );
    let (_, html) = page(&app, &cookie, &format!("/orgs/{bloc}/planning?term=2030-2035")).await;
    assert!(html.contains("Cán bộ trẻ"), "the young woman is marked: {html}");
    let mut bad = form;
    bad[6] = ("decision", "");
    let (status, _, html) = post_form(&app, &cookie, &format!("/orgs/{bloc}/planning"), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ghi số và ngày của quyết định"), "{html}");
    let (status, html) = page(&app, &cookie, &format!("/orgs/{bloc}/personnel")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chuyển công tác") && html.contains("Bí thư"), "{html}");
}

async fn the_congress_personnel_plan_is_approved_above_and_the_vote_compared_with_it(app: TestApp) {
    let bloc = app.org_id("DUK-CCQ").await;
    let admin = app.login("admin").await;
    let khoi_id = user_id(&app, "khoi").await;
    let (status, _) = put(&app, &admin, &format!("/api/v1/users/{khoi_id}/personnel"), json!({"granted": true})).await;
    assert_eq!(status, StatusCode::OK);
    let (khoi, province) = (app.login("khoi").await, app.login("tochuc").await);
    let today = dangvu_domain::calendar::today();
    // A congress opens in its term's first year (or the year before): the term starts this year.
    let year = chrono::Datelike::year(&today);
    let today = today.to_string();
    let (status, congress) = app
        .post(
            &khoi,
            "/api/v1/congresses",
            json!({"org_id": bloc, "title": "Đại hội Đảng bộ Khối lần thứ XVI", "kind": "members",
                   "term": format!("{year}-{}", year + 5), "opens_on": today}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{congress}");
    let congress = congress["id"].as_i64().unwrap();
    let plan_url = format!("/api/v1/congresses/{congress}/personnel-plan");
    let (status, view) = app.get(&khoi, &plan_url).await;
    assert_eq!((status, &view["plan"]), (StatusCode::OK, &Value::Null), "no plan yet");

    // The draft: a committee of three, four names on its list; a secretary's post of two seats
    // is refused with nothing written.
    let before = app.audit_len().await;
    let (status, body) = put(
        &app,
        &khoi,
        &plan_url,
        json!({"posts": [
        {"post": "executive_committee", "seats": 3, "candidates": 4, "names": []},
        {"post": "secretary", "seats": 2, "names": []}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(app.audit_len().await, before);
    let names = ["Nguyễn Văn Kế Hoạch", "Trần Thị Dự Kiến", "Lê Văn Đề Án"];
    let (status, plan) = put(
        &app,
        &khoi,
        &plan_url,
        json!({"note": "Cơ cấu 3 đồng chí", "posts": [
        {"post": "executive_committee", "seats": 3, "candidates": 4,
         "names": names.iter().map(|n| json!({"full_name": n})).collect::<Vec<_>>()}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["state"], "draft");
    // The log keeps the structure, not the names.
    let (_, log) = app.get(&admin, "/api/v1/audit?limit=1").await;
    assert_eq!(log["items"][0]["action"], "personnel_plan.save");
    assert!(!log["items"][0].to_string().contains("Kế Hoạch"), "{log}");

    // Submitted by the bloc, approved by the province: not the other way round.
    let events = format!("{plan_url}/events");
    let (status, _) = app.post(&province, &events, json!({"event": "approve", "decision": "250-QĐ/TU"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a draft is not approved");
    let (status, plan) = app.post(&khoi, &events, json!({"event": "submit"})).await;
    assert_eq!((status, plan["state"].as_str()), (StatusCode::OK, Some("submitted")), "{plan}");
    let (status, _) = put(&app, &khoi, &plan_url, json!({"posts": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a submitted plan is frozen");
    let (status, _) = app.post(&khoi, &events, json!({"event": "approve", "decision": "1-QĐ"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the bloc does not approve its own plan");
    let (status, body) = app.post(&province, &events, json!({"event": "approve"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, plan) =
        app.post(&province, &events, json!({"event": "approve", "decision": "250-QĐ/TU", "decided_on": today})).await;
    assert_eq!((status, plan["state"].as_str()), (StatusCode::OK, Some("approved")), "{plan}");

    // The congress opens and elects: two of the plan and one from outside it.
    let status_url = format!("/api/v1/congresses/{congress}/status");
    assert_eq!(app.post(&province, &status_url, json!({"event": "approve"})).await.0, StatusCode::OK);
    assert_eq!(app.post(&khoi, &status_url, json!({"event": "open"})).await.0, StatusCode::OK);
    let list = [names[0], names[1], "Phạm Văn Ngoài Đề Án", names[2]];
    let (status, e) = app
        .post(
            &khoi,
            "/api/v1/elections",
            json!({"org_id": bloc, "congress_id": congress, "title": "Bầu Ban Chấp hành", "kind": "members_congress",
                   "ballot": "surplus", "seats": 3, "electors": {"summoned": 9}, "body": "executive_committee",
                   "candidates": list.iter().map(|n| json!({"full_name": n})).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let election = e["id"].as_i64().unwrap();
    let ids: Vec<i64> = e["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let (head, t1, t2) = (app.login("vanphong").await, app.login("lanhdao").await, province.clone());
    for (username, token, role) in
        [("vanphong", &khoi, "head"), ("lanhdao", &khoi, "teller"), ("tochuc", &khoi, "teller")]
    {
        let id = user_id(&app, username).await;
        let (status, body) =
            app.post(token, &format!("/api/v1/elections/{election}/board"), json!({"user_id": id, "role": role})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let ballots = vec![json!(ids[..3]); 9];
    for teller in [&t1, &t2] {
        let (status, saved) = app
            .post(
                teller,
                &format!("/api/v1/elections/{election}/entries"),
                json!({"issued": 9, "returned": 9, "ballots": ballots}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
    }
    let (status, cmp) = app.get(&province, &format!("/api/v1/elections/{election}/plan-comparison")).await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    assert_eq!(cmp["departed"], true, "{cmp}");
    assert_eq!(cmp["departures"]["not_elected"], json!([names[2]]));
    assert_eq!(cmp["departures"]["elected_outside"], json!(["Phạm Văn Ngoài Đề Án"]));
    // The head of the counting board, without the grant, sees neither the plan nor the comparison.
    for token in [&head] {
        assert_eq!(app.get(token, &plan_url).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(token, &format!("/api/v1/elections/{election}/plan-comparison")).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let cookie = sign_in(&app, "tochuc").await;
    let (status, html) = page(&app, &cookie, &format!("/congresses/{congress}/personnel-plan")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Trúng cử ngoài đề án") && html.contains("Phạm Văn Ngoài Đề Án"), "{html}");
    // The bloc amends its approved plan through the page: back to a draft to approve again.
    let cookie = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &cookie, &format!("/congresses/{congress}/personnel-plan")).await;
    let form = [("csrf", csrf_of(&html)), ("event", "amend".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) =
        post_form(&app, &cookie, &format!("/congresses/{congress}/personnel-plan/events"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, view) = app.get(&khoi, &plan_url).await;
    assert_eq!(view["plan"]["state"], "draft");
}

async fn a_case_of_the_five_steps_votes_with_a_quorum_and_chooses_by_the_rule(app: TestApp) {
    let bloc = app.org_id("DUK-CCQ").await;
    let organiser = app.login("tochuc").await;
    let today = dangvu_domain::calendar::today().to_string();
    let (status, case) = app
        .post(
            &organiser,
            &format!("/api/v1/orgs/{bloc}/nominations"),
            json!({"post": "deputy_secretary", "purpose": "appointment", "source": "inside",
                   "title": "Bổ nhiệm Phó Bí thư Đảng ủy Khối", "requested_on": today}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    assert_eq!(case["step"], "policy");
    assert!(case["deadlines"]["policy_by"].is_string(), "{case}");
    let id = case["id"].as_i64().unwrap();
    let steps = format!("/api/v1/nominations/{id}/steps");
    let conference = format!("/api/v1/nominations/{id}/conference");
    // The policy, then step 1: neither votes.
    for expected in ["leadership_proposal", "expanded_conference"] {
        let (status, c) = app.post(&organiser, &steps, json!({"event": "complete", "note": "Đã thống nhất"})).await;
        assert_eq!((status, c["step"].as_str()), (StatusCode::OK, Some(expected)), "{c}");
    }
    // Step 2 votes: not without its conference, not without two thirds present.
    let (status, body) = app.post(&organiser, &steps, json!({"event": "complete"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let names = ["Nguyễn Văn Một", "Trần Thị Hai", "Lê Văn Ba"];
    let before = app.audit_len().await;
    let (status, body) =
        app.post(&organiser, &conference, json!({"summoned": 31, "present": 20, "names": names})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "20 of 31 is under 2/3: {body}");
    assert_eq!(body["error"]["fields"][0]["field"], "present");
    assert_eq!(app.audit_len().await, before, "no ballot was made");
    let (status, c) = app.post(&organiser, &conference, json!({"summoned": 31, "present": 21, "names": names})).await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let election = c["conferences"][0]["election_id"].as_i64().unwrap();
    // The conference's ballot: an election only the grant and its board see, not in the lists.
    let office = app.login("vanphong").await;
    assert_eq!(app.get(&office, &format!("/api/v1/elections/{election}")).await.0, StatusCode::NOT_FOUND);
    let (_, list) = app.get(&office, &format!("/api/v1/elections?org_id={bloc}")).await;
    assert!(!list.to_string().contains("Nguyễn Văn Một"), "{list}");
    assert_eq!(app.get(&office, &format!("/api/v1/nominations/{id}")).await.0, StatusCode::NOT_FOUND);
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=5").await;
    assert!(!log.to_string().contains("Trần Thị Hai"), "the log counts the names: {log}");

    // Counted twice by two tellers: 21 ballots; "Trần Thị Hai" agreed by 17, "Nguyễn Văn Một" by
    // 15 (not more than half of the 31 summoned), "Lê Văn Ba" by 17 on ten ballots less: 12.
    let (_, e) = app.get(&organiser, &format!("/api/v1/elections/{election}")).await;
    let ids: Vec<i64> = e["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let (t1, t2) = (app.login("lanhdao").await, app.login("khoi").await);
    for (username, role) in [("bithu", "head"), ("lanhdao", "teller"), ("khoi", "teller")] {
        let uid = user_id(&app, username).await;
        let (status, body) = app
            .post(&organiser, &format!("/api/v1/elections/{election}/board"), json!({"user_id": uid, "role": role}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let ballots: Vec<Value> = (0..21)
        .map(|i| {
            let mark = |yes: bool| if yes { "agree" } else { "disagree" };
            json!([
                {"candidate_id": ids[0], "mark": mark(i < 15)},
                {"candidate_id": ids[1], "mark": mark(i < 17)},
                {"candidate_id": ids[2], "mark": mark(i >= 9)},
            ])
        })
        .collect();
    for teller in [&t1, &t2] {
        let (status, saved) = app
            .post(
                teller,
                &format!("/api/v1/elections/{election}/entries"),
                json!({"issued": 21, "returned": 21, "ballots": ballots}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
    }
    let (status, c) = app.post(&organiser, &steps, json!({"event": "complete", "on": today})).await;
    assert_eq!((status, c["step"].as_str()), (StatusCode::OK, Some("leadership_nomination")), "{c}");
    assert_eq!(c["steps"][2]["chosen_name"], "Trần Thị Hai", "{c}");
    let votes: Vec<(String, i64, bool)> = c["conferences"][0]["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (v["full_name"].as_str().unwrap().to_owned(), v["votes"].as_i64().unwrap(), v["above_threshold"] == true)
        })
        .collect();
    assert_eq!(
        votes,
        [("Nguyễn Văn Một".into(), 15, false), ("Trần Thị Hai".into(), 17, true), ("Lê Văn Ba".into(), 12, false)]
    );
    // A leader with the grant reads the case; the office does not; the dashboard lists it.
    let leader = app.login("lanhdao").await;
    let (status, list) = app.get(&leader, &format!("/api/v1/personnel/nominations?org_id={bloc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list["items"].as_array().unwrap().iter().any(|c| c["id"] == id), "{list}");
    assert_eq!(app.post(&leader, &steps, json!({"event": "stop", "note": "x"})).await.0, StatusCode::FORBIDDEN);
    // The quorum is a setting: at 3/4, a conference of 21 out of 31 would not have voted.
    let admin = app.login("admin").await;
    let (status, body) = put(
        &app,
        &admin,
        "/api/v1/settings",
        json!({"personnel_rules": {"nomination": {"quorum_numerator": 5, "quorum_denominator": 4}}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "personnel_rules.nomination.quorum_numerator");
    let (status, _) = put(
        &app,
        &admin,
        "/api/v1/settings",
        json!({"personnel_rules": {"nomination": {"quorum_numerator": 3, "quorum_denominator": 4}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        app.post(&organiser, &conference, json!({"summoned": 31, "present": 21, "names": names})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("3/4"), "{body}");
    let cookie = sign_in(&app, "admin").await;
    let (_, html) = page(&app, &cookie, "/settings").await;
    assert!(html.contains("name=\"pr.nomination.quorum_numerator\" value=\"3\""), "the settings page shows it");
    // Stopped with a reason; nothing moves a closed case.
    let (status, c) = app.post(&organiser, &steps, json!({"event": "stop", "note": "Nhân sự chuyển công tác"})).await;
    assert_eq!((status, c["step"].as_str()), (StatusCode::OK, Some("stopped")));
    assert_eq!(app.post(&organiser, &steps, json!({"event": "complete"})).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // The pages: the case, and the dashboard of the subtree.
    let cookie = sign_in(&app, "tochuc").await;
    let (status, html) = page(&app, &cookie, &format!("/nominations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Trần Thị Hai") && html.contains("Nhân sự chuyển công tác"), "{html}");
    // The conference's counting minutes print in the Party format, for those who read the case.
    assert!(html.contains(&format!("/elections/{election}/minutes?format=pdf")), "{html}");
    let res = app.http.get(app.url(&format!("/elections/{election}/minutes?format=pdf"))).header("cookie", &cookie);
    let res = res.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let office = sign_in(&app, "vanphong").await;
    let (status, _) = page(&app, &office, &format!("/elections/{election}/minutes?format=pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not for the office without the grant");
    let (_, html) = page(&app, &cookie, &format!("/personnel?org_id={bloc}")).await;
    assert!(html.contains("Bổ nhiệm Phó Bí thư Đảng ủy Khối"), "{html}");
}
