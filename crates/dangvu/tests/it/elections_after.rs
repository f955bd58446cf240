//! After the count (Chương VI, QĐ 190): the committee above's approval and the posts it fills,
//! complaints in the window of Điều 33, the sealed ballots kept for the months of Điều 35 and
//! destroyed by decision only when no complaint is pending.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    the_committee_above_approves_and_the_people_approved_take_their_posts,
    complaints_hold_the_sealed_ballots_until_they_are_resolved
);

const BLOC: &str = "DUK-CCQ";

async fn user_id(app: &TestApp, token: &str) -> i64 {
    let (_, me) = app.get(token, "/api/v1/me").await;
    me["user"]["id"].as_i64().expect("user id")
}

/// The bloc elects `seats` of the names given; every voter keeps the first `seats` names, so
/// they are elected. Head `vanphong`, tellers `lanhdao` and `tochuc`. Answers the election's id,
/// its candidate ids and the head's token.
async fn counted(
    app: &TestApp,
    organiser: &str,
    body: &str,
    term: &str,
    names: &[&str],
    seats: usize,
) -> (i64, Vec<i64>, String) {
    let bloc = app.org_id(BLOC).await;
    let candidates: Vec<Value> = names.iter().map(|n| json!({"full_name": n})).collect();
    let (status, e) = app
        .post(
            organiser,
            "/api/v1/elections",
            json!({"org_id": bloc, "title": format!("Bầu {body}"), "kind": "conference", "seats": seats,
                   "ballot": if seats == names.len() { "approval" } else { "surplus" },
                   "candidates": candidates, "electors": {"summoned": 9}, "body": body, "term": term}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let election = e["id"].as_i64().unwrap();
    let ids: Vec<i64> = e["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let (head, t1, t2) = (app.login("vanphong").await, app.login("lanhdao").await, app.login("tochuc").await);
    for (token, role) in [(&head, "head"), (&t1, "teller"), (&t2, "teller")] {
        let id = user_id(app, token).await;
        let url = format!("/api/v1/elections/{election}/board");
        assert_eq!(app.post(organiser, &url, json!({"user_id": id, "role": role})).await.0, StatusCode::OK);
    }
    let ballot: Value = if seats == names.len() {
        json!(ids.iter().map(|id| json!({"candidate_id": id, "mark": "agree"})).collect::<Vec<_>>())
    } else {
        json!(ids[..seats])
    };
    let ballots = vec![ballot; 9];
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
    let (_, e) = app.get(&head, &format!("/api/v1/elections/{election}")).await;
    assert_eq!(e["status"], "final", "{e}");
    (election, ids, head)
}

async fn bloc_id(app: &TestApp) -> i64 {
    app.org_id(BLOC).await
}

async fn holders(app: &TestApp, token: &str, history: bool) -> Vec<Value> {
    let bloc = app.org_id(BLOC).await;
    let (status, posts) = app.get(token, &format!("/api/v1/orgs/{bloc}/posts?history={history}")).await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    posts["items"].as_array().unwrap().clone()
}

async fn the_committee_above_approves_and_the_people_approved_take_their_posts(app: TestApp) {
    let khoi = app.login("khoi").await;
    let province = app.login("tochuc").await;
    // The demo's bloc committee of 2025–2030 holds its posts (approved by the province), beside
    // the posts the Organisation board recorded by appointment.
    let before = holders(&app, &khoi, false).await;
    let committee: Vec<&Value> = before.iter().filter(|h| h["post"] == "executive_committee").collect();
    assert_eq!(committee.len(), 15, "{before:?}");
    assert!(before.iter().all(|h| h["term"] == "2025-2030"));
    assert!(committee.iter().all(|h| h["election_id"].is_i64()), "the committee came from the election");
    let ever_before = holders(&app, &khoi, true).await.len();

    let names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"];
    let (election, ids, head) = counted(&app, &khoi, "executive_committee", "2030-2035", &names, 4).await;
    let approval = format!("/api/v1/elections/{election}/approval");
    let today = dangvu_domain::calendar::today().to_string();
    let approve = |refused: Vec<i64>| json!({"decision": "approve", "refused": refused, "reference": "301-QĐ/TU", "decided_on": today});

    // Nothing is approved before the ballots are sealed; sealing gives the province a task.
    let (status, body) = app.post(&province, &approval, approve(vec![])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app.post(&head, &format!("/api/v1/elections/{election}/seal"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, e) = app.get(&khoi, &format!("/api/v1/elections/{election}")).await;
    assert_eq!(
        (e["approval"].as_str(), e["body"].as_str(), e["term"].as_str()),
        (Some("awaiting"), Some("executive_committee"), Some("2030-2035"))
    );
    let task = e["approval_task_id"].as_i64().expect("a task for the committee above");
    let (status, t) = app.get(&province, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    assert!(t["title"].as_str().unwrap().starts_with("Chuẩn y kết quả bầu ban chấp hành"), "{t}");

    // The bloc does not approve its own result; the province does, once.
    assert_eq!(app.post(&khoi, &approval, approve(vec![])).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.post(&province, &approval, approve(vec![ids[4]])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "Em was not elected: {body}");
    let (status, body) = app.post(&province, &approval, approve(ids[..4].to_vec())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "refusing everybody is an annulment: {body}");
    let (status, body) =
        app.post(&province, &approval, json!({"decision": "annul", "reference": "x", "decided_on": today})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an annulment says why: {body}");
    let tomorrow = (dangvu_domain::calendar::today() + chrono::Duration::days(1)).to_string();
    let (status, _) =
        app.post(&province, &approval, json!({"decision": "approve", "reference": "x", "decided_on": tomorrow})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a decision is not dated in the future");
    let (status, body) = app.post(&province, &approval, approve(vec![ids[3]])).await;
    assert_eq!((status, body["approval"].as_str()), (StatusCode::OK, Some("partly_approved")), "{body}");
    let (status, _) = app.post(&province, &approval, approve(vec![])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the decision stands");

    // The task is done; the three approved hold the posts, the previous term stepped down.
    let (_, t) = app.get(&province, &format!("/api/v1/tasks/{task}")).await;
    assert!(t["done_on"].is_string(), "{t}");
    let (_, e) = app.get(&khoi, &format!("/api/v1/elections/{election}")).await;
    assert_eq!((e["approval_reference"].as_str(), e["approval_refused"].clone()), (Some("301-QĐ/TU"), json!([4])));
    let now: Vec<String> =
        holders(&app, &khoi, false).await.iter().map(|h| h["full_name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(now, ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình"]);
    let ever = holders(&app, &khoi, true).await;
    assert_eq!(ever.len(), ever_before + 3, "the three approved join every holder before them");
    assert!(ever.iter().filter(|h| h["term"] == "2025-2030").all(|h| h["until"] == json!(today)));

    // A secretary elected within the term replaces the one before; the committee stays.
    let (sec, sec_ids, head) = counted(&app, &khoi, "secretary", "2030-2035", &["Nguyễn Văn An"], 1).await;
    assert_eq!(app.post(&head, &format!("/api/v1/elections/{sec}/seal"), json!({})).await.0, StatusCode::OK);
    let url = format!("/api/v1/elections/{sec}/approval");
    assert_eq!(app.post(&province, &url, approve(vec![])).await.0, StatusCode::OK);
    let now = holders(&app, &khoi, false).await;
    assert_eq!(now.len(), 4);
    assert_eq!(now.iter().filter(|h| h["post"] == "secretary").count(), 1);
    let _ = sec_ids;

    // An account neither in the bloc nor on its board sees nothing of the election.
    let cell_secretary = app.login("bithu").await;
    let (status, e) = app.get(&cell_secretary, &format!("/api/v1/elections/{election}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{e}");

    // An annulled result fills nothing; a poll is never sent above.
    let (annulled, _, head) = counted(&app, &khoi, "standing_board", "2030-2035", &["A", "B"], 2).await;
    assert_eq!(app.post(&head, &format!("/api/v1/elections/{annulled}/seal"), json!({})).await.0, StatusCode::OK);
    let (status, body) = app
        .post(
            &province,
            &format!("/api/v1/elections/{annulled}/approval"),
            json!({"decision": "annul", "reference": "302-QĐ/TU", "decided_on": today, "note": "Vi phạm quy trình giới thiệu"}),
        )
        .await;
    assert_eq!((status, body["approval"].as_str()), (StatusCode::OK, Some("annulled")), "{body}");
    assert_eq!(holders(&app, &khoi, false).await.len(), 4);
    let (poll, _, _) = counted(&app, &khoi, "other", "", &["A", "B"], 2).await;
    let (status, _) = app.post(&province, &format!("/api/v1/elections/{poll}/approval"), approve(vec![])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A single post elects one person.
    let (status, body) = app
        .post(
            &khoi,
            "/api/v1/elections",
            json!({"org_id": bloc_id(&app).await, "title": "Bầu", "kind": "conference", "seats": 2, "ballot": "approval",
                   "candidates": [{"full_name": "A"}, {"full_name": "B"}], "electors": {"summoned": 9},
                   "body": "secretary", "term": "2030-2035"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("\"seats\""), "{body}");
    // A body needs its term.
    let bloc = app.org_id(BLOC).await;
    let (status, body) = app
        .post(
            &khoi,
            "/api/v1/elections",
            json!({"org_id": bloc, "title": "Bầu", "kind": "conference", "seats": 1, "ballot": "approval",
                   "candidates": [{"full_name": "A"}], "electors": {"summoned": 9}, "body": "secretary"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("\"term\""), "{body}");

    // The pages: the bloc sees the posts and the decision, the province gets the form.
    let cookie = sign_in(&app, "tochuc").await;
    let (status, html) = page(&app, &cookie, &format!("/elections/{election}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đã chuẩn y, có người không được chuẩn y") && html.contains("Phạm Thị Dung"), "{html}");
    let (_, html) = page(&app, &cookie, &format!("/elections/{poll}")).await;
    assert!(!html.contains("/approval\""), "a poll has no approval form");
    let khoi_cookie = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &khoi_cookie, &format!("/elections?org_id={bloc}")).await;
    assert!(html.contains("Cấp ủy và các chức danh hiện nay") && html.contains("Trần Thị Bình"), "{html}");
}

async fn complaints_hold_the_sealed_ballots_until_they_are_resolved(app: TestApp) {
    let khoi = app.login("khoi").await;
    let (election, _, head) = counted(&app, &khoi, "inspection_committee", "2030-2035", &["A", "B"], 2).await;
    let base = format!("/api/v1/elections/{election}");
    let today = dangvu_domain::calendar::today();
    // The window opens when the ballots are sealed (no congress): not yet known.
    let (_, after) = app.get(&khoi, &format!("{base}/after")).await;
    assert_eq!((after["window_from"].clone(), after["sealed_until"].clone()), (Value::Null, Value::Null), "{after}");
    let complaint = json!({"received_on": today.to_string(), "reference": "Đơn số 12"});
    let (status, after) = app.post(&khoi, &format!("{base}/complaints"), complaint).await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let (status, _) =
        app.post(&khoi, &format!("{base}/complaints"), json!({"received_on": tomorrow, "reference": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not received in the future");
    let viewer = app.login("lanhdao").await;
    let (status, _) = app
        .post(&viewer, &format!("{base}/complaints"), json!({"received_on": today.to_string(), "reference": "x"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a viewer records nothing");
    let complaint_id = after["complaints"][0]["id"].as_i64().unwrap();

    assert_eq!(app.post(&head, &format!("{base}/seal"), json!({})).await.0, StatusCode::OK);
    let (_, after) = app.get(&khoi, &format!("{base}/after")).await;
    let settings = dangvu_store::settings::get(&app.db).await.unwrap();
    let ends =
        dangvu_domain::elections::custody::complaint_window_ends(today, &settings.election_rules, &settings.holidays);
    assert_eq!(after["window_from"], json!(today));
    assert_eq!(after["complaint_window_ends"], json!(ends));
    assert_eq!(after["complaints"][0]["in_time"], true, "known once the window is");
    assert_eq!(after["may_destroy"], false);
    let destroy = json!({"reference": "15-QĐ/ĐUK"});
    let (status, body) = app.post(&khoi, &format!("{base}/destruction"), destroy.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "sealed for six months first: {body}");

    // Seven months on (the seal is moved back, as time would), the pending complaint still
    // holds the ballots.
    let sealed = today - chrono::Months::new(7);
    let mut tx = app.db.begin().await.unwrap();
    tx.execute("UPDATE elections SET sealed_on = $2 WHERE id = $1", &[election.into(), sealed.into()]).await.unwrap();
    tx.commit().await.unwrap();
    let (status, body) = app.post(&khoi, &format!("{base}/destruction"), destroy.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("khiếu nại"), "{body}");
    let resolution = format!("{base}/complaints/{complaint_id}/resolution");
    let (status, after) =
        app.post(&khoi, &resolution, json!({"resolved_on": today.to_string(), "outcome": "Không có căn cứ"})).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["may_destroy"], true, "{after}");
    let (status, _) = app.post(&khoi, &resolution, json!({"resolved_on": today.to_string(), "outcome": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "resolved once");
    let (status, after) = app.post(&khoi, &format!("{base}/destruction"), destroy.clone()).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let (_, e) = app.get(&khoi, &base).await;
    assert_eq!((e["destroyed_on"].clone(), e["destruction_reference"].as_str()), (json!(today), Some("15-QĐ/ĐUK")));
    assert_eq!(app.post(&khoi, &format!("{base}/destruction"), destroy).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    // The page shows the register without names, and the destruction.
    let cookie = sign_in(&app, "khoi").await;
    let (_, html) = page(&app, &cookie, &format!("/elections/{election}")).await;
    assert!(html.contains("Đơn số 12, nhận") && html.contains("Đã tiêu hủy"), "{html}");
    let (_, home) = page(&app, &cookie, "/").await;
    let (status, _, html) = post_form(
        &app,
        &cookie,
        &format!("/elections/{election}/complaints"),
        &[("csrf", csrf_of(&home).as_str()), ("received_on", ""), ("reference", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the form again with its problem");
    assert!(html.contains("Hãy chọn ngày"), "{html}");
}
