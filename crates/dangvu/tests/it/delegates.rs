//! Delegates of a congress through the API and the pages: the seats allocated to the units
//! below, a delegation arriving from a unit's election in the order of its votes, the
//! credentials committee's decisions, an alternate taking an official's place, the sessions
//! and the check-in that give an election at the congress its base (QĐ 190 Điều 30), the
//! credentials report, and a member's place on the handbook; a members' congress summoning its
//! full members with the exclusions the article lists.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::harness::{TestApp, csrf_of, page, post_form, sign_in};

both_backends!(
    a_delegation_arrives_from_its_election_and_the_check_in_gives_the_base,
    a_members_congress_summons_its_full_members_and_leaves_out_whom_article_30_says,
    the_desk_checks_people_in_on_the_pages
);

const BLOC: &str = "DUK-CCQ";
const UNIT: &str = "DUK-CCQ-STC";
const CELL: &str = "DUK-CCQ-STC-CB01";

fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map_or_else(Vec::new, |f| f.iter().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect())
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    app.send("PUT", path, Some(token), Some(body)).await
}

async fn user_id(app: &TestApp, token: &str) -> i64 {
    let (_, me) = app.get(token, "/api/v1/me").await;
    me["user"]["id"].as_i64().expect("user id")
}

async fn congress(app: &TestApp, token: &str, code: &str, kind: &str) -> i64 {
    let (status, c) = app
        .post(
            token,
            "/api/v1/congresses",
            json!({"org_id": app.org_id(code).await, "title": format!("Đại hội {code}"), "kind": kind,
                   "term": "2025-2030", "opens_on": "2025-07-22", "closes_on": "2025-07-23", "place": "Vinh"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

/// The committee above approves (the province's office), the congress's own office opens it.
async fn open(app: &TestApp, opener: &str, id: i64) {
    let province = app.login("vanphong").await;
    let path = format!("/api/v1/congresses/{id}/status");
    let (status, body) = app.post(&province, &path, json!({"event": "approve", "on": "2025-07-01"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post(opener, &path, json!({"event": "open", "on": "2025-07-22"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The unit's congress elects 3 delegates from 4 names, 10 ballots entered twice: 10, 9, 7 and
/// 4 votes, the threshold 6. Answers the election and the candidates' ids in ballot order.
async fn unit_elects_its_delegates(app: &TestApp, organiser: &str) -> (i64, Vec<i64>) {
    let (status, e) = app
        .post(
            organiser,
            "/api/v1/elections",
            json!({"org_id": app.org_id(UNIT).await, "title": "Bầu đại biểu dự Đại hội Đảng bộ Khối", "kind": "members_congress",
                   "seats": 3, "ballot": "surplus",
                   "candidates": [{"full_name": "Nguyễn Văn An"}, {"full_name": "Trần Thị Bình"},
                                  {"full_name": "Lê Văn Cường"}, {"full_name": "Phạm Thị Dung"}],
                   "electors": {"summoned": 10}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let id = e["id"].as_i64().unwrap();
    let c: Vec<i64> = e["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let tellers = [app.login("lanhdao").await, app.login("tochuc").await];
    for (token, role) in [(&app.login("vanphong").await, "head"), (&tellers[0], "teller"), (&tellers[1], "teller")] {
        let uid = user_id(app, token).await;
        let (status, b) =
            app.post(organiser, &format!("/api/v1/elections/{id}/board"), json!({"user_id": uid, "role": role})).await;
        assert_eq!(status, StatusCode::OK, "{b}");
    }
    let mut ballots = vec![vec![c[0], c[1], c[3]]; 3];
    ballots.push(vec![c[0], c[2], c[3]]);
    ballots.extend(vec![vec![c[0], c[1], c[2]]; 6]);
    for teller in &tellers {
        let (status, body) = app
            .post(
                teller,
                &format!("/api/v1/elections/{id}/entries"),
                json!({"issued": 10, "returned": 10, "ballots": ballots}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (_, result) = app.get(organiser, &format!("/api/v1/elections/{id}/result")).await;
    assert_eq!(result["status"], "final", "{result}");
    (id, c)
}

fn card_of(list: &Value, name: &str) -> i64 {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["full_name"] == name)
        .unwrap_or_else(|| panic!("{name}: {list}"))["card"]
        .as_i64()
        .unwrap()
}

fn id_of(list: &Value, name: &str) -> i64 {
    list["items"].as_array().unwrap().iter().find(|d| d["full_name"] == name).unwrap()["id"].as_i64().unwrap()
}

async fn a_delegation_arrives_from_its_election_and_the_check_in_gives_the_base(app: TestApp) {
    let khoi = app.login("khoi").await;
    let c = congress(&app, &khoi, BLOC, "delegates").await;
    let unit = app.org_id(UNIT).await;

    // A proposal shares the seats by members, never below the floor; it stores nothing.
    let (status, p) =
        app.get(&khoi, &format!("/api/v1/congresses/{c}/seat-proposal?official=100&alternates=4&floor=1")).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let items = p["items"].as_array().unwrap();
    assert!(items.len() > 1, "{p}");
    assert_eq!(items.iter().map(|i| i["official"].as_i64().unwrap()).sum::<i64>(), 100);
    assert!(items.iter().all(|i| i["official"].as_i64().unwrap() >= 1));
    let (_, seats) = app.get(&khoi, &format!("/api/v1/congresses/{c}/seats")).await;
    assert_eq!(seats["items"], json!([]));

    // Seats only for units below; the unit gets 3 officials and 1 alternate.
    let (status, body) = put(
        &app,
        &khoi,
        &format!("/api/v1/congresses/{c}/seats"),
        json!({"seats": [{"org_id": app.org_id(BLOC).await, "official": 2}]}),
    )
    .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["seats[0]".to_owned()]));
    let (status, seats) = put(
        &app,
        &khoi,
        &format!("/api/v1/congresses/{c}/seats"),
        json!({"seats": [{"org_id": unit, "official": 3, "alternates": 1}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{seats}");
    assert_eq!(seats["items"][0]["official"], 3);

    // The unit's election: those elected arrive in the order of their votes.
    let (election, _) = unit_elects_its_delegates(&app, &khoi).await;
    let bithu = app.login("bithu").await;
    let (status, body) =
        app.post(&bithu, &format!("/api/v1/congresses/{c}/delegations"), json!({"election_id": election})).await;
    assert_eq!(
        (status, field_names(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["election_id".to_owned()]),
        "a cell's secretary does not see the unit's election"
    );
    let (status, _) = app
        .post(
            &bithu,
            &format!("/api/v1/congresses/{c}/delegates"),
            json!({"org_id": unit, "full_name": "X", "source": "elected"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor sends the unit's delegation");
    let (status, d) =
        app.post(&khoi, &format!("/api/v1/congresses/{c}/delegations"), json!({"election_id": election})).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let arrived: Vec<(&str, i64)> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["full_name"].as_str().unwrap(), d["votes"].as_i64().unwrap()))
        .collect();
    assert_eq!(arrived, [("Nguyễn Văn An", 10), ("Trần Thị Bình", 9), ("Lê Văn Cường", 7)]);
    assert!(d["items"].as_array().unwrap().iter().all(|d| d["source"] == "elected" && d["credentials"] == "awaiting"));
    let (status, body) =
        app.post(&khoi, &format!("/api/v1/congresses/{c}/delegations"), json!({"election_id": election})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["role".to_owned()]), "seats full");

    // The alternate is the member behind `dangvien`; a delegate by right of the bloc.
    let member = app
        .db
        .query_one("SELECT member_id FROM users WHERE username = 'dangvien'", &[])
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    let (status, g) = app
        .post(
            &khoi,
            &format!("/api/v1/congresses/{c}/delegates"),
            json!({"org_id": unit, "full_name": "Đỗ Văn Giang", "member_id": member, "source": "elected", "role": "alternate"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{g}");
    let (status, body) = app
        .post(
            &khoi,
            &format!("/api/v1/congresses/{c}/delegates"),
            json!({"org_id": unit, "full_name": "Một người nữa", "source": "elected", "role": "alternate"}),
        )
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["role".to_owned()]));
    let (status, body) = app
        .post(
            &khoi,
            &format!("/api/v1/congresses/{c}/delegates"),
            json!({"org_id": app.org_id(BLOC).await, "full_name": "Bí thư Đảng ủy Khối", "source": "ex_officio"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, list) = app.get(&khoi, &format!("/api/v1/congresses/{c}/delegates")).await;
    let (an, binh, cuong, giang) = (
        id_of(&list, "Nguyễn Văn An"),
        id_of(&list, "Trần Thị Bình"),
        id_of(&list, "Lê Văn Cường"),
        id_of(&list, "Đỗ Văn Giang"),
    );
    let cards: Vec<i64> = list["items"].as_array().unwrap().iter().map(|d| d["card"].as_i64().unwrap()).collect();
    let mut sorted = cards.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [1, 2, 3, 4, 5], "cards are numbered from 1 in the congress");

    // The credentials committee: accepted; rejected only with a reason; a rejected official's
    // place goes to the alternate of the same delegation.
    let credentials = |id: i64| format!("/api/v1/delegates/{id}/credentials");
    let (status, body) = put(&app, &khoi, &credentials(an), json!({"decision": "accept"})).await;
    assert_eq!((status, body["credentials"].as_str()), (StatusCode::OK, Some("accepted")), "{body}");
    let (status, body) = put(&app, &khoi, &credentials(binh), json!({"decision": "reject"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()]));
    let (status, _) =
        put(&app, &khoi, &credentials(binh), json!({"decision": "reject", "reason": "Đang bị đình chỉ sinh hoạt"}))
            .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = put(&app, &khoi, &credentials(binh), json!({"decision": "accept"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["decision".to_owned()]));
    let (status, body) = app
        .post(&khoi, &format!("/api/v1/delegates/{cuong}/substitution"), json!({"alternate_id": an, "reason": "Ốm"}))
        .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["alternate_id".to_owned()]));
    let (status, body) = app
        .post(
            &khoi,
            &format!("/api/v1/delegates/{binh}/substitution"),
            json!({"alternate_id": giang, "reason": "Thay đại biểu không được công nhận"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["role"].as_str(), body["replaces"].as_i64()), (Some("official"), Some(binh)));

    // Sessions open only once the congress is in session; the desk types cards.
    let (status, body) =
        app.post(&khoi, &format!("/api/v1/congresses/{c}/sessions"), json!({"title": "Phiên trù bị"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["status".to_owned()]));
    open(&app, &khoi, c).await;
    let (status, s) = app
        .post(
            &khoi,
            &format!("/api/v1/congresses/{c}/sessions"),
            json!({"title": "Phiên trù bị", "held_on": "2025-07-22"}),
        )
        .await;
    assert_eq!((status, s["number"].as_i64()), (StatusCode::CREATED, Some(1)), "{s}");
    let session = s["id"].as_i64().unwrap();
    let (_, list) = app.get(&khoi, &format!("/api/v1/congresses/{c}/delegates")).await;
    let (status, done) = app
        .post(
            &khoi,
            &format!("/api/v1/congress-sessions/{session}/check-ins"),
            json!({"cards": [card_of(&list, "Nguyễn Văn An"), card_of(&list, "Đỗ Văn Giang"), card_of(&list, "Trần Thị Bình"), 999]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["checked_in"].as_array().unwrap().len(), 2, "{done}");
    assert_eq!(done["not_sitting"], json!([card_of(&list, "Trần Thị Bình")]));
    assert_eq!(done["unknown"], json!([999]));
    assert_eq!(done["session"]["present"], 2);

    // Summoned: An, Cường, Giang (in Bình's place) and the delegate by right. Cường and the
    // delegate by right never came: the base is 2, more than half is 2.
    let (status, e) = app.get(&khoi, &format!("/api/v1/congresses/{c}/electors")).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    assert_eq!(
        (e["summoned"].as_i64(), e["base"].as_i64(), e["threshold"].as_i64(), e["present"].as_i64()),
        (Some(4), Some(2), Some(2), Some(2)),
        "{e}"
    );
    assert_eq!(e["excluded"], json!({"committee_member_absent": 1, "delegate_absent_no_alternate": 1}));

    // An election at the congress takes those numbers when it gives none, and its kind must fit.
    let bloc = app.org_id(BLOC).await;
    let election = |kind: &str| {
        json!({"org_id": bloc, "congress_id": c, "title": "Bầu Ban Chấp hành", "kind": kind, "seats": 1, "ballot": "approval",
               "candidates": [{"full_name": "Nguyễn Văn An"}]})
    };
    let (status, body) = app.post(&khoi, "/api/v1/elections", election("members_congress")).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".to_owned()]));
    let (status, body) = app.post(&khoi, "/api/v1/elections", election("delegates_congress")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["base"].as_i64(), body["threshold"].as_i64()), (Some(2), Some(2)));

    // The credentials report, both formats.
    for format in ["pdf", "docx"] {
        let res = app
            .http
            .get(app.url(&format!("/api/v1/congresses/{c}/credentials-report?format={format}")))
            .bearer_auth(&khoi)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(if format == "pdf" { b"%PDF" } else { b"PK" }), "{format}");
    }

    // The member sees their place on the handbook; a member reads no list.
    let dangvien = app.login("dangvien").await;
    let (_, mine) = app.get(&dangvien, "/api/v1/me/congresses").await;
    let place =
        mine["items"].as_array().unwrap().iter().find(|m| m["id"] == c).expect("the bloc's congress")["place"].clone();
    assert_eq!(
        (place["standing"].as_str(), place["card"].as_i64()),
        (Some("đại biểu chính thức"), Some(card_of(&list, "Đỗ Văn Giang")))
    );
    let (status, _) = app.get(&dangvien, &format!("/api/v1/congresses/{c}/delegates")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The log names ids and decisions, never a list of names.
    let (_, log) = app.get(&app.login("admin").await, "/api/v1/audit?limit=200").await;
    let text = log.to_string();
    assert!(text.contains("delegate.substitution") && text.contains("congress.check_in"), "{text}");
    let ours: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("delegate.") || a == "congress.check_in"))
        .collect();
    assert!(ours.len() >= 5, "{ours:?}");
    assert!(ours.iter().all(|e| !e.to_string().contains("Lê Văn Cường")), "names stay out of the list's entries");
}

async fn a_members_congress_summons_its_full_members_and_leaves_out_whom_article_30_says(app: TestApp) {
    let khoi = app.login("khoi").await;
    let c = congress(&app, &khoi, UNIT, "members").await;
    let (status, body) = put(
        &app,
        &khoi,
        &format!("/api/v1/congresses/{c}/seats"),
        json!({"seats": [{"org_id": app.org_id(CELL).await, "official": 2}]}),
    )
    .await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["kind".to_owned()]));

    let (status, s) = app.post(&khoi, &format!("/api/v1/congresses/{c}/summons"), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let added = s["added"].as_i64().unwrap();
    let full: i64 = app
        .db
        .query_one(
            "SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.status = 'full' AND o.code LIKE 'DUK-CCQ-STC%'",
            &[],
        )
        .await
        .unwrap()
        .unwrap()
        .int(0)
        .unwrap();
    assert_eq!(added, full, "every full member of the unit and its cells");
    assert!(added >= 3, "the demo unit has members: {added}");
    let (_, again) = app.post(&khoi, &format!("/api/v1/congresses/{c}/summons"), json!({})).await;
    assert_eq!(again["added"], 0, "nobody twice");

    let (_, list) = app.get(&khoi, &format!("/api/v1/congresses/{c}/delegates")).await;
    let items = list["items"].as_array().unwrap();
    let (transferred, exempt, third) =
        (items[0]["id"].as_i64().unwrap(), items[1]["id"].as_i64().unwrap(), items[2]["id"].as_i64().unwrap());
    let exclusion = |id: i64| format!("/api/v1/delegates/{id}/exclusion");
    let (status, body) = put(&app, &khoi, &exclusion(third), json!({"exclusion": "committee_member_absent"})).await;
    assert_eq!((status, field_names(&body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["exclusion".to_owned()]));
    for (id, reason) in [(transferred, "temporary_transfer"), (exempt, "exempt_absent")] {
        let (status, body) = put(&app, &khoi, &exclusion(id), json!({"exclusion": reason})).await;
        assert_eq!((status, body["exclusion"].as_str()), (StatusCode::OK, Some(reason)), "{body}");
    }

    // The exempt member comes after all and counts; the member on transfer never does.
    open(&app, &khoi, c).await;
    let (_, s) = app.post(&khoi, &format!("/api/v1/congresses/{c}/sessions"), json!({"title": "Phiên thứ nhất"})).await;
    let session = s["id"].as_i64().unwrap();
    let (status, _) = app
        .post(
            &khoi,
            &format!("/api/v1/congress-sessions/{session}/check-ins"),
            json!({"cards": [items[1]["card"], items[0]["card"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, e) = app.get(&khoi, &format!("/api/v1/congresses/{c}/electors?session=1")).await;
    assert_eq!(e["summoned"].as_i64(), Some(added));
    assert_eq!(e["excluded"], json!({"temporary_transfer": 1}), "{e}");
    assert_eq!(e["base"].as_i64(), Some(added - 1));

    // A cell's secretary reads the cell's own members in the list; a member reads none.
    let cell = app.org_id(CELL).await;
    let (status, mine) = app.get(&app.login("bithu").await, &format!("/api/v1/congresses/{c}/delegates")).await;
    assert_eq!(status, StatusCode::OK);
    let mine = mine["items"].as_array().unwrap();
    assert!(!mine.is_empty() && mine.len() < items.len());
    assert!(mine.iter().all(|d| d["org_id"] == cell));
    let (status, _) = app.get(&app.login("dangvien").await, &format!("/api/v1/congresses/{c}/sessions")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_desk_checks_people_in_on_the_pages(app: TestApp) {
    let khoi = app.login("khoi").await;
    let c = congress(&app, &khoi, UNIT, "members").await;
    app.post(&khoi, &format!("/api/v1/congresses/{c}/summons"), json!({})).await;
    open(&app, &khoi, c).await;

    let client = sign_in(&app, "khoi").await;
    let (status, sessions) = page(&app, &client, &format!("/congresses/{c}/sessions")).await;
    assert_eq!(status, StatusCode::OK, "{sessions}");
    let csrf = csrf_of(&sessions);
    let (status, _, _) =
        post_form(&app, &client, &format!("/congresses/{c}/sessions"), &[("csrf", &csrf), ("title", "Phiên thứ nhất")])
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, s) = app.get(&khoi, &format!("/api/v1/congresses/{c}/sessions")).await;
    let session = s["items"][0]["id"].as_i64().unwrap();
    let (status, _, html) = post_form(
        &app,
        &client,
        &format!("/congress-sessions/{session}/check-ins"),
        &[("csrf", &csrf), ("cards", "1-3 3 500")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("đã điểm danh 3 thẻ"), "{html}");
    assert!(html.contains("Không có thẻ số:</strong> 500"), "{html}");
    let (status, _, _) = post_form(
        &app,
        &client,
        &format!("/congress-sessions/{session}/check-ins"),
        &[("csrf", &csrf), ("cards", "tám")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The list page shows the cards and the committee's forms; a decision made there sticks.
    let (_, delegates) = page(&app, &client, &format!("/congresses/{c}/delegates")).await;
    assert!(delegates.contains("Đảng viên được triệu tập") && delegates.contains("/delegates/"), "{delegates}");
    let (_, list) = app.get(&khoi, &format!("/api/v1/congresses/{c}/delegates")).await;
    let first = list["items"][0]["id"].as_i64().unwrap();
    let (status, _, _) = post_form(
        &app,
        &client,
        &format!("/delegates/{first}/credentials"),
        &[("csrf", &csrf), ("decision", "accept")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = app.get(&khoi, &format!("/api/v1/congresses/{c}/delegates")).await;
    assert_eq!(list["items"][0]["credentials"], "accepted");
    assert_eq!(list["items"][0]["present_at"], json!([1]));
}
